/* server.c: HTTP front end on libmicrohttpd (epoll, thread pool). */
/* For pthread_rwlockattr_setkind_np (glibc). */
#define _GNU_SOURCE
#include "http/server.h"
#include "core/auth.h"
#include "core/setup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long ctip_server_stop() lets the requests in flight finish. */
#define SHUTDOWN_GRACE_MS 3000

struct ctip_server {
	struct MHD_Daemon *daemon;
	const struct ctip_route *routes;
	char *db;
	char *web_dir;
	int port;
	pthread_key_t store_key; /* each worker thread's store */
	pthread_key_t count_key; /* and its mapped one (CTIP_COUNTS) */
	struct ctip_keyring kr;  /* the database's key file */
	char *key_path;
	pthread_rwlock_t key_lock; /* reloads of kr wait for handlers */
	/* One look at the key file at a time (keys_refresh): held while
	 * key_stat is read or written and while a reload runs. */
	pthread_mutex_t reload_lock;
	struct stat key_stat;       /* of the key file when loaded or refused */
	atomic_long key_checked;    /* second of the last look at the file */
	struct ctip_auditq *auditq; /* group commit of read audits */
	bool secure_cookie;
	char trusted_proxy[INET6_ADDRSTRLEN]; /* "" when none */
	atomic_long proxy_warned; /* minute of the last warning about it */
	atomic_int inflight;      /* requests begun and not yet completed */
	/* ctip_server_stop has begun: requests arriving now are refused
	 * (503), so that those in flight drain. */
	atomic_bool stopping;
};

/* State of one request across the handler's calls. */
struct conn_ctx {
	struct ctip_buf body;
	bool too_big;
	bool refused; /* arrived once the server was stopping: 503 */
	struct timespec start;
	/* The request, kept here while it waits for its audit entry. */
	bool started;
	struct ctip_arena arena;
	struct ctip_req req;
	struct ctip_resp resp;
	struct ctip_principal who;
	struct ctip_server *srv;
	struct MHD_Connection *conn;
	_Atomic int waiting; /* 1 while suspended for the audit log */
	enum ctip_status audit_rc;
	struct ctip_err audit_err;
};

static const char security_csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

int
ctip_status_to_http(enum ctip_status code)
{
	switch (code) {
	case CTIP_OK:
		return 200;
	case CTIP_ENOTFOUND:
		return 404;
	case CTIP_EINVAL:
		return 400;
	case CTIP_EEXIST:
	case CTIP_ECONFLICT:
	case CTIP_ETRANSITION:
	case CTIP_EDUPLICATE:
		return 409;
	case CTIP_ENOTENTITLED:
		return 422;
	case CTIP_ETOOBIG:
		return 413;
	case CTIP_EAUTH:
		return 401;
	case CTIP_EFORBIDDEN:
	case CTIP_ECSRF:
	case CTIP_EREASON:
	case CTIP_EPWCHANGE:
		return 403;
	case CTIP_ELOCKED:
	case CTIP_ETHROTTLED:
		return 429;
	case CTIP_EMEDIA:
		return 415;
	case CTIP_EMETHOD:
		return 405;
	case CTIP_ESTORE:
	case CTIP_EIO:
	case CTIP_EINTERNAL:
		return 500;
	}
	return 500;
}

void
ctip_resp_json(struct ctip_resp *resp, int status, void *json)
{
	enum ctip_status rc;

	ctip_buf_reset(&resp->body);
	/* NULL: a value that could not be built (out of memory). */
	rc = json != NULL ? ctip_json_write(&resp->body, json) : CTIP_ETOOBIG;
	json_decref(json);
	if (rc != CTIP_OK) {
		ctip_resp_problem(resp, CTIP_ETOOBIG, NULL,
				  "response too large");
		return;
	}
	resp->status = status;
	resp->content_type = "application/json; charset=utf-8";
}

void
ctip_resp_download(struct ctip_req *req, struct ctip_resp *resp,
		   const char *content_type, const char *filename,
		   struct ctip_buf *data)
{
	ctip_buf_free(&resp->body);
	resp->body = *data;
	ctip_buf_init(data, 0);
	resp->status = 200;
	resp->content_type = content_type;
	/* The name is the server's own ASCII: nothing to escape. */
	resp->disposition = ctip_arena_printf(
		req->arena, "attachment; filename=\"%s\"", filename);
}

/* The problem JSON of code with message msg, and field and the refusing
 * rule when they are not NULL or "". */
static void
problem(struct ctip_resp *resp, enum ctip_status code, const char *field,
	const char *rule, const char *msg)
{
	/* U+FFFD takes three bytes for each bad byte it stands for. */
	char text_msg[3 * 512], text_field[256];
	json_t *j;

	/* A message may quote input that is not UTF-8 (a query string's
	 * bytes): jansson refuses such a string, so the bad bytes become
	 * U+FFFD, and the field is kept. */
	ctip_text_scrub(text_msg, sizeof(text_msg), msg);
	j = json_pack("{s:s, s:s}", "code", ctip_status_name(code), "message",
		      text_msg);
	if (j != NULL && field != NULL && field[0] != '\0') {
		ctip_text_scrub(text_field, sizeof(text_field), field);
		json_object_set_new(j, "field", json_string(text_field));
	}
	/* Rule names are the code's own ASCII words. */
	if (j != NULL && rule != NULL && rule[0] != '\0')
		json_object_set_new(j, "rule", json_string(rule));
	ctip_buf_reset(&resp->body);
	/* Out of memory: a fixed text rather than nothing. */
	if (j == NULL || ctip_json_write(&resp->body, j) != CTIP_OK) {
		ctip_buf_reset(&resp->body);
		if (ctip_buf_printf(&resp->body,
				    "{\"code\":\"%s\",\"message\":\"request "
				    "failed\"}",
				    ctip_status_name(code)) != CTIP_OK)
			abort();
	}
	json_decref(j);
	resp->status = ctip_status_to_http(code);
	resp->content_type = "application/problem+json; charset=utf-8";
	if (code == CTIP_ESTORE || code == CTIP_EINTERNAL || code == CTIP_EIO)
		ctip_log(CTIP_LOG_ERROR, "request failed: %s", text_msg);
}

void
ctip_resp_problem(struct ctip_resp *resp, enum ctip_status code,
		  const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		msg[ctip_text_cut(msg, sizeof(msg) - 1)] = '\0';
	problem(resp, code, field, NULL, msg);
}

void
ctip_resp_err(struct ctip_resp *resp, const struct ctip_err *err)
{
	problem(resp, err->code, err->field, err->rule, err->msg);
}

const char *
ctip_req_header(const struct ctip_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* Match pattern against path; {x} segments fill req->params. */
static bool
match(const char *pattern, const char *path, struct ctip_req *req)
{
	const char *p = pattern, *s = path, *e;

	req->n_params = 0;
	while (*p != '\0' && *s != '\0') {
		if (*p == '{') {
			e = strchr(s, '/');
			if (e == NULL)
				e = s + strlen(s);
			if (e == s || req->n_params == 4)
				return false;
			req->params[req->n_params++] = ctip_arena_strndup(
				req->arena, s, (size_t)(e - s));
			p = strchr(p, '}');
			if (p == NULL)
				return false;
			p++;
			s = e;
			continue;
		}
		if (*p++ != *s++)
			return false;
	}
	return *p == '\0' && *s == '\0';
}

/*
 * Whether pattern a is more specific than b, both matching one path: at
 * the first segment where they differ a literal beats a {parameter}. So
 * /api/reports/submit is that route's path for every method, never an id
 * of /api/reports/{id}, and a GET there is 405, not a 404 for "submit".
 */
static bool
more_specific(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if ((*a == '{') != (*b == '{'))
			return *b == '{';
		if (*a == '{') {
			/* Both parameters: the same segment of the path. */
			a = strchr(a, '}');
			b = strchr(b, '}');
			if (a == NULL || b == NULL)
				return false;
		}
		a++;
		b++;
	}
	return false;
}

/* This thread's connection, or for a route that counts over many records
 * its mapped one (store.h, map). Each is opened on first use. */
static struct ctip_store *
thread_store(struct ctip_server *srv, bool counts, struct ctip_err *err)
{
	pthread_key_t key = counts ? srv->count_key : srv->store_key;
	struct ctip_store *st = pthread_getspecific(key);

	if (st != NULL)
		return st;
	if (ctip_store_open(&st, srv->db, CTIP_OPEN_EXISTING, err) != CTIP_OK)
		return NULL;
	if (counts && st->ops->map(st, true, err) != CTIP_OK) {
		st->ops->close(st);
		return NULL;
	}
	pthread_setspecific(key, st);
	return st;
}

static void
close_thread_store(void *p)
{
	struct ctip_store *st = p;

	st->ops->close(st);
}

/* The peer's address as text. */
static void
peer_ip(char out[64], struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, 64, "unknown");
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, 64);
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  64);
}

/* addr (text) in the canonical form inet_ntop writes into out; false
 * when it is not an IPv4 or IPv6 address. */
static bool
canonical_ip(char out[INET6_ADDRSTRLEN], const char *addr)
{
	unsigned char bin[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, addr, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, addr, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

/* Keep the value of the last X-Forwarded-For line in *cls. */
static enum MHD_Result
last_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
	       const char *value)
{
	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") == 0 && value != NULL)
		*(const char **)cls = value;
	return MHD_YES;
}

/* The client's address as text: the peer's, or, when the peer is the
 * trusted reverse proxy, the last address of X-Forwarded-For (the one
 * the proxy appended; those before it are the client's own word). Over
 * several lines of the header, the last line's: a proxy may add its own
 * line after the client's instead of appending to it. */
static void
client_ip(char out[64], struct ctip_req *req)
{
	const char *xff = NULL, *last;
	char addr[64], canon[INET6_ADDRSTRLEN];
	long minute;
	size_t n;

	peer_ip(out, req->conn);
	if (req->server->trusted_proxy[0] == '\0' ||
	    strcmp(out, req->server->trusted_proxy) != 0)
		return;
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, last_forwarded,
				  &xff);
	if (xff == NULL)
		return; /* the proxy's own request (a health check) */
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n < sizeof(addr)) {
		memcpy(addr, last, n);
		addr[n] = '\0';
		if (canonical_ip(canon, addr)) {
			snprintf(out, 64, "%s", canon);
			return;
		}
	}
	/* Unreadable: the proxy's own address stands for the client, and
	 * every client behind it then shares one login throttle. Say so,
	 * at most once a minute: the proxy does not name its clients. */
	minute = (long)(time(NULL) / 60);
	if (atomic_exchange(&req->server->proxy_warned, minute) != minute)
		ctip_log(CTIP_LOG_WARN,
			 "a request from the trusted proxy %s names no client "
			 "address in X-Forwarded-For",
			 out);
}

static bool
is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * Who is asking: a session cookie or an API token. Fills p, or answers
 * 401/403 and returns false. A browser write must carry the session's
 * CSRF token; before the one-time password is changed only routes
 * flagged CTIP_PWCHANGE are open.
 */
static bool
authenticate(struct ctip_req *req, struct ctip_resp *resp,
	     const struct ctip_route *r, struct ctip_principal *p)
{
	const char *cookie, *auth, *csrf;
	struct ctip_err err = { 0 };
	enum ctip_status rc;

	auth = ctip_req_header(req, "Authorization");
	cookie = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
					     "ctip_session");
	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0)
		rc = ctip_auth_bearer(p, req->store, auth + 7, req->ip, &err);
	else if (cookie != NULL)
		rc = ctip_auth_session(p, req->store, cookie, req->ip, &err);
	else
		rc = ctip_err_set(&err, CTIP_EAUTH, "sign in first");
	if (rc != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return false;
	}
	if (is_write(req->method) && !p->via_token) {
		csrf = ctip_req_header(req, "X-CSRF-Token");
		if (csrf == NULL || strlen(csrf) != strlen(p->csrf) ||
		    sodium_memcmp(csrf, p->csrf, strlen(p->csrf)) != 0) {
			ctip_resp_problem(resp, CTIP_ECSRF, "X-CSRF-Token",
					  "missing or stale CSRF token");
			return false;
		}
	}
	if (p->must_change_password && !(r->flags & CTIP_PWCHANGE)) {
		ctip_resp_problem(resp, CTIP_EPWCHANGE, "password",
				  "change the one-time password first");
		return false;
	}
	return true;
}

/*
 * `ctip key rotate` adds a key to the key file while servers run: look at
 * the file at most once a second and reload it when it changed, so that
 * new data is sealed with the new key and re-encrypted rows open. A file
 * that fails the database's key check (another index key, another data
 * key under a known id, a known key missing) is not taken.
 */
static void
keys_refresh(struct ctip_server *srv)
{
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };
	struct ctip_store *db;
	struct stat st;
	long now = (long)time(NULL);
	int n_keys;

	if (atomic_exchange(&srv->key_checked, now) == now)
		return;
	/* One look at a time, and no request waits for another's: a reload
	 * under way (a slow key check) answers for this second too, and the
	 * next look compares with the key_stat it leaves. */
	if (pthread_mutex_trylock(&srv->reload_lock) != 0)
		return;
	if (stat(srv->key_path, &st) != 0 ||
	    (st.st_mtim.tv_sec == srv->key_stat.st_mtim.tv_sec &&
	     st.st_mtim.tv_nsec == srv->key_stat.st_mtim.tv_nsec &&
	     st.st_size == srv->key_stat.st_size &&
	     st.st_ino == srv->key_stat.st_ino))
		goto out;
	if ((db = thread_store(srv, false, &err)) == NULL) {
		/* Tried again in a second: the file is still unseen. */
		ctip_log(CTIP_LOG_ERROR, "key file not checked: %s", err.msg);
		goto out;
	}
	if (ctip_keyring_load(&kr, srv->key_path, &err) != CTIP_OK ||
	    ctip_key_check(db, &kr, &err) != CTIP_OK) {
		ctip_log(CTIP_LOG_ERROR,
			 "key file changed but was not reloaded: %s", err.msg);
		ctip_keyring_wipe(&kr);
		/* Refused: not again until the file changes. Unread, or the
		 * database busy: again in a second. */
		if (err.code == CTIP_EINVAL)
			srv->key_stat = st;
		goto out;
	}
	/* Handlers read srv->kr under the read lock: it changes only under
	 * the write lock, and is not read here after it is let go. */
	n_keys = kr.n_keys;
	pthread_rwlock_wrlock(&srv->key_lock);
	srv->kr = kr;
	pthread_rwlock_unlock(&srv->key_lock);
	srv->key_stat = st;
	ctip_keyring_wipe(&kr);
	ctip_log(CTIP_LOG_INFO, "key file reloaded: %d keys", n_keys);
out:
	pthread_mutex_unlock(&srv->reload_lock);
}

static void
dispatch(struct ctip_server *srv, struct ctip_req *req, struct ctip_resp *resp)
{
	const struct ctip_route *r, *best = NULL;
	struct ctip_principal *p = req->who_buf;
	struct ctip_err err = { 0 };
	char allow[64] = "";
	bool is_api = strncmp(req->path, "/api/", 5) == 0 ||
		      strcmp(req->path, "/healthz") == 0;

	/* The path first, whatever the method: its most specific pattern
	 * (the first of equals); then that pattern's routes by method, the
	 * others' methods making the 405's Allow. */
	for (r = srv->routes; r->method != NULL; r++)
		if (match(r->pattern, req->path, req) &&
		    (best == NULL || more_specific(r->pattern, best->pattern)))
			best = r;
	for (r = srv->routes; best != NULL && r->method != NULL; r++) {
		if (strcmp(r->pattern, best->pattern) != 0)
			continue;
		if (strcmp(r->method, req->method) != 0 &&
		    !(strcmp(r->method, "GET") == 0 &&
		      strcmp(req->method, "HEAD") == 0)) {
			/* Once each. No method name is part of another. */
			if (strstr(allow, r->method) == NULL &&
			    strlen(allow) + strlen(r->method) + 3 <
				    sizeof(allow))
				snprintf(allow + strlen(allow),
					 sizeof(allow) - strlen(allow), "%s%s",
					 allow[0] ? ", " : "", r->method);
			continue;
		}
		/* The parameters of this pattern (the search left others'). */
		(void)match(r->pattern, req->path, req);
		if (strncmp(r->pattern, "/api/", 5) == 0) {
			req->counts = (r->flags & CTIP_COUNTS) != 0;
			req->store = thread_store(srv, req->counts, &err);
			if (req->store == NULL) {
				ctip_resp_err(resp, &err);
				return;
			}
			req->access.st = req->store;
			req->access.kr = &srv->kr;
			req->access.q = srv->auditq;
		}
		keys_refresh(srv);
		pthread_rwlock_rdlock(&srv->key_lock);
		if (!(r->flags & CTIP_PUBLIC)) {
			req->who = p;
			if (!authenticate(req, resp, r, p))
				req->who = NULL;
		}
		if ((r->flags & CTIP_PUBLIC) || req->who != NULL)
			r->fn(req, resp);
		pthread_rwlock_unlock(&srv->key_lock);
		return;
	}
	if (allow[0] != '\0') {
		resp->allow = ctip_arena_strdup(req->arena, allow);
		ctip_resp_problem(resp, CTIP_EMETHOD, NULL,
				  "method %s is not allowed here", req->method);
		return;
	}
	if (is_api || is_write(req->method)) {
		ctip_resp_problem(resp, CTIP_ENOTFOUND, NULL,
				  "no such resource: %s %s", req->method,
				  req->path);
		return;
	}
	ctip_serve_static(req, resp);
}

const char *
ctip_req_query(const struct ctip_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

/* Whether a Content-Type is application/json, with parameters or without
 * ("; charset=utf-8"); the media type is case-insensitive (RFC 9110). */
static bool
is_json_type(const char *value)
{
	static const char json[] = "application/json";

	if (value == NULL || strncasecmp(value, json, sizeof(json) - 1) != 0)
		return false;
	value += sizeof(json) - 1;
	value += strspn(value, " \t");
	return *value == '\0' || *value == ';';
}

void *
ctip_req_json(struct ctip_req *req, struct ctip_resp *resp)
{
	json_error_t e;
	json_t *j;

	/* A form of another site may send text/plain, form-urlencoded or
	 * multipart without a preflight; application/json needs one, which
	 * ctip never grants. Refusing the others keeps cross-site forms
	 * (a login CSRF, say) from reaching any JSON route. */
	if (!is_json_type(ctip_req_header(req, "Content-Type"))) {
		ctip_resp_problem(resp, CTIP_EMEDIA, "Content-Type",
				  "Content-Type must be application/json");
		return NULL;
	}
	j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		ctip_resp_problem(resp, CTIP_EINVAL, NULL,
				  "body is not valid JSON: %s (line %d)",
				  e.text, e.line);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		ctip_resp_problem(resp, CTIP_EINVAL, NULL,
				  "body must be a JSON object");
		return NULL;
	}
	return j;
}

void
ctip_resp_session_cookie(struct ctip_req *req, struct ctip_resp *resp,
			 const char *token)
{
	resp->set_cookie = ctip_arena_printf(
		req->arena,
		"ctip_session=%s; Path=/; HttpOnly; SameSite=Strict%s; "
		"Max-Age=%d",
		token ? token : "",
		req->server->secure_cookie ? "; Secure" : "",
		token ? CTIP_SESSION_MAX : 0);
}

/* For HEAD, MHD sends the headers of the full body (its Content-Length
 * too) and leaves the body out. */
static enum MHD_Result
queue(struct MHD_Connection *conn, struct ctip_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(resp->body.len, resp->body.data,
					    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	if (resp->content_type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					resp->content_type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				resp->cache_control ? resp->cache_control
						    : "no-store");
	if (resp->etag != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, resp->etag);
	if (resp->allow != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
	if (resp->set_cookie != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE,
					resp->set_cookie);
	if (resp->disposition != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
					resp->disposition);
	if (resp->close)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	MHD_add_response_header(r, "Content-Security-Policy", security_csp);
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * Request framing that libmicrohttpd 0.9.75 lets through although RFC 9112
 * section 6 refuses it: two Content-Length or Transfer-Encoding headers, a
 * transfer coding other than chunked (MHD then waits for a body it cannot
 * delimit), or both headers at once. A body length that two parties could
 * read differently is how requests are smuggled past a proxy.
 */
struct framing {
	int te, cl;
	bool chunked;
};

static enum MHD_Result
count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
	      const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		f->te++;
		f->chunked = value != NULL && strcasecmp(value, "chunked") == 0;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		f->cl++;
	}
	return MHD_YES;
}

static const char *
framing_error(struct MHD_Connection *conn)
{
	struct framing f = { 0, 0, false };

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
	if (f.te > 1 || f.cl > 1)
		return "repeated Transfer-Encoding or Content-Length";
	if (f.te == 1 && !f.chunked)
		return "a Transfer-Encoding other than chunked";
	if (f.te == 1 && f.cl == 1)
		return "both Transfer-Encoding and Content-Length";
	return NULL;
}

/* A 400 problem before the body is read: MHD then closes the connection,
 * as RFC 9112 requires after bad framing. */
static enum MHD_Result
refuse(struct MHD_Connection *conn, const char *why)
{
	struct ctip_resp resp;
	enum MHD_Result ret;

	memset(&resp, 0, sizeof(resp));
	ctip_buf_init(&resp.body, 4096);
	ctip_resp_problem(&resp, CTIP_EINVAL, NULL, "bad request framing: %s",
			  why);
	ret = queue(conn, &resp);
	ctip_buf_free(&resp.body);
	return ret;
}

/* The answer to a request that arrived once the server was stopping,
 * before any work or audit: 503 with a problem of its own code (no status
 * of ctip_status_to_http stands for it), and the connection closed, so
 * that the client retries on a new one, with this server or the next. */
static void
shutting_down(struct ctip_resp *resp)
{
	static const char body[] =
		"{\"code\":\"shutting_down\",\"message\":\"the server is "
		"shutting down and takes no new requests: nothing was done; "
		"retry in a moment\"}";

	ctip_buf_reset(&resp->body);
	if (ctip_buf_add(&resp->body, body, sizeof(body) - 1) != CTIP_OK)
		abort();
	resp->status = 503;
	resp->content_type = "application/problem+json; charset=utf-8";
	resp->close = true;
}

/* The audit writer committed (or failed) a suspended request's entry. */
static void
audit_done(void *arg, enum ctip_status rc, const struct ctip_err *err)
{
	struct conn_ctx *ctx = arg;

	ctx->audit_rc = rc;
	ctx->audit_err = *err;
	atomic_store(&ctx->waiting, 0);
	MHD_resume_connection(ctx->conn);
}

void
ctip_resp_defer(struct ctip_req *req, struct ctip_resp *resp,
		const struct ctip_audit_event *ev,
		void (*cont)(struct ctip_req *req, struct ctip_resp *resp))
{
	struct ctip_err err = { 0 };

	if (req->access.q == NULL) {
		if (ctip_audit_write(req->store, req->access.kr, ev, &err) !=
		    CTIP_OK)
			ctip_resp_err(resp, &err);
		else
			cont(req, resp);
		return;
	}
	resp->deferred = true;
	resp->defer_ev = *ev;
	resp->defer_cont = cont;
}

/* Send the answer of ctx's request and release what it held. */
static enum MHD_Result
finish(struct conn_ctx *ctx, const char *method, const char *url)
{
	struct timespec end;
	enum MHD_Result ret;
	double ms;

	ret = queue(ctx->conn, &ctx->resp);
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - ctx->start.tv_sec) * 1e3 +
	     (double)(end.tv_nsec - ctx->start.tv_nsec) / 1e6;
	/* The path only: query strings could carry identifying data. */
	ctip_log(CTIP_LOG_DEBUG, "%s %s %d %.2fms", method, url,
		 ctx->resp.status, ms);
	ctip_buf_free(&ctx->resp.body);
	ctip_arena_free(&ctx->arena);
	sodium_memzero(&ctx->who, sizeof(ctx->who));
	ctx->started = false;
	return ret;
}

/* A suspended request is back: build its answer now that its audit entry
 * is in the log. */
static enum MHD_Result
resume(struct ctip_server *srv, struct conn_ctx *ctx, const char *method,
       const char *url)
{
	struct ctip_req *req = &ctx->req;
	struct ctip_resp *resp = &ctx->resp;
	struct ctip_err err = { 0 };

	resp->deferred = false;
	if (ctx->audit_rc != CTIP_OK) {
		ctip_resp_err(resp, &ctx->audit_err);
		return finish(ctx, method, url);
	}
	pthread_rwlock_rdlock(&srv->key_lock);
	req->store = thread_store(srv, req->counts, &err);
	if (req->store == NULL) {
		ctip_resp_err(resp, &err);
	} else {
		req->access.st = req->store;
		req->access.kr = &srv->kr;
		resp->defer_cont(req, resp);
	}
	pthread_rwlock_unlock(&srv->key_lock);
	return finish(ctx, method, url);
}

/* The value of hex digit c, -1 for another character. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A NUL (%00) decoded as such would end the path or argument early:
 * "/api/persons/2005%00abc" would read person 2005, and a rule of a proxy
 * in front would have seen another path. */
#define NUL_MARK "\xC0\x80"

/*
 * Percent-decode s in place for MHD (the path and the query arguments),
 * as MHD_http_unescape does, but %00 becomes NUL_MARK (NUL's overlong
 * form, never valid UTF-8, as long as "%00" is not): what carries it is
 * then refused (the path, on_request) or is text that is not UTF-8.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *r = s, *w = s;
	int hi, lo;

	(void)cls;
	(void)conn;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = hex_value(r[1])) >= 0 &&
		    (lo = hex_value(r[2])) >= 0) {
			if (hi == 0 && lo == 0) {
				memcpy(w, NUL_MARK, 2);
				w += 2;
			} else {
				*w++ = (char)(hi * 16 + lo);
			}
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	struct ctip_server *srv = cls;
	struct conn_ctx *ctx = *con_cls;
	struct ctip_err err = { 0 };
	const char *why;

	(void)version;
	/* First call: headers only. Answering now would make MHD 0.9.75
	 * close the connection (stack-baseline pitfall 1). */
	if (ctx == NULL) {
		if ((why = framing_error(conn)) != NULL)
			return refuse(conn, why);
		ctx = ctip_xmalloc(sizeof(*ctx));
		memset(ctx, 0, sizeof(*ctx));
		/* Decided when the request arrives: one begun before the
		 * stop finishes normally, with its audit entry. */
		ctx->refused = atomic_load(&srv->stopping);
		ctip_buf_init(&ctx->body, CTIP_BODY_LIMIT);
		clock_gettime(CLOCK_MONOTONIC, &ctx->start);
		ctx->srv = srv;
		ctx->conn = conn;
		*con_cls = ctx;
		atomic_fetch_add(&srv->inflight, 1);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!ctx->too_big &&
		    ctip_buf_add(&ctx->body, upload_data, *upload_data_size) !=
			    CTIP_OK) {
			ctx->too_big = true;
			ctip_buf_free(&ctx->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->started)
		return resume(srv, ctx, method, url);
	ctx->started = true;
	ctip_arena_init(&ctx->arena, CTIP_ARENA_LIMIT);
	memset(&ctx->req, 0, sizeof(ctx->req));
	memset(&ctx->resp, 0, sizeof(ctx->resp));
	ctip_buf_init(&ctx->resp.body, 64u << 20);
	ctx->resp.status = 200;
	ctx->req.method = method;
	ctx->req.path = url;
	ctx->req.body = ctip_buf_str(&ctx->body);
	ctx->req.body_len = ctx->body.len;
	ctx->req.arena = &ctx->arena;
	ctx->req.conn = conn;
	ctx->req.server = srv;
	ctx->req.who_buf = &ctx->who;
	client_ip(ctx->req.ip, &ctx->req);
	if (ctx->refused)
		shutting_down(&ctx->resp);
	else if (ctx->too_big)
		ctip_resp_problem(&ctx->resp, CTIP_ETOOBIG, NULL,
				  "request body larger than %u bytes",
				  CTIP_BODY_LIMIT);
	else if (strstr(url, NUL_MARK) != NULL)
		ctip_resp_problem(&ctx->resp, CTIP_EINVAL, NULL,
				  "the path holds a NUL byte (%%00)");
	else
		dispatch(srv, &ctx->req, &ctx->resp);
	if (!ctx->resp.deferred)
		return finish(ctx, method, url);
	/* Suspend before queueing the entry, so that the writer's resume
	 * always finds the connection suspended. */
	atomic_store(&ctx->waiting, 1);
	MHD_suspend_connection(conn);
	if (ctip_auditq_submit(srv->auditq, &ctx->resp.defer_ev, audit_done,
			       ctx, &err) != CTIP_OK) {
		ctx->audit_rc = err.code;
		ctx->audit_err = err;
		atomic_store(&ctx->waiting, 0);
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct ctip_server *srv = cls;
	struct conn_ctx *ctx = *con_cls;

	(void)conn;
	(void)toe;
	if (ctx == NULL)
		return;
	/* A connection closed while its request was suspended is not
	 * possible: MHD keeps suspended connections until resumed. */
	if (ctx->started) {
		ctip_buf_free(&ctx->resp.body);
		ctip_arena_free(&ctx->arena);
	}
	sodium_memzero(&ctx->who, sizeof(ctx->who));
	ctip_buf_free(&ctx->body);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static void
on_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	ctip_log(CTIP_LOG_ERROR, "libmicrohttpd failed at %s:%u: %s", file,
		 line, reason ? reason : "");
	abort();
}

/* Parse "host:port" or "[v6]:port" into a socket address. */
static enum ctip_status
parse_listen(struct sockaddr_storage *out, socklen_t *out_len,
	     const char *listen, struct ctip_err *err)
{
	char host[128];
	const char *colon;
	char *end;
	long port;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (listen[0] == '[') {
		colon = strstr(listen, "]:");
		if (colon == NULL)
			goto bad;
		n = (size_t)(colon - listen - 1);
		if (n >= sizeof(host))
			goto bad;
		memcpy(host, listen + 1, n);
		host[n] = '\0';
		colon++;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
			goto bad;
		n = (size_t)(colon - listen);
		memcpy(host, listen, n);
		host[n] = '\0';
	}
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port < 0 ||
	    port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)out)->sin_addr) ==
	    1) {
		((struct sockaddr_in *)out)->sin_family = AF_INET;
		((struct sockaddr_in *)out)->sin_port = htons((uint16_t)port);
		*out_len = sizeof(struct sockaddr_in);
		return CTIP_OK;
	}
	if (inet_pton(AF_INET6, host,
		      &((struct sockaddr_in6 *)out)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)out)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)out)->sin6_port = htons((uint16_t)port);
		*out_len = sizeof(struct sockaddr_in6);
		return CTIP_OK;
	}
bad:
	return ctip_err_field(err, CTIP_EINVAL, "listen",
			      "--listen: \"%s\" is not ADDR:PORT with a "
			      "numeric address, e.g. 127.0.0.1:8080",
			      listen);
}

/* Load the key file, check it belongs to the database, start the audit
 * queue. */
static enum ctip_status
open_keys(struct ctip_server *s, const char *key, struct ctip_err *err)
{
	struct ctip_store *st;
	enum ctip_status rc;

	if ((rc = ctip_keyring_load(&s->kr, key, err)) != CTIP_OK)
		return rc;
	s->key_path = ctip_xstrdup(key);
	if (stat(key, &s->key_stat) != 0)
		memset(&s->key_stat, 0, sizeof(s->key_stat));
	if ((rc = ctip_store_open(&st, s->db, CTIP_OPEN_EXISTING, err)) !=
	    CTIP_OK)
		return rc;
	rc = ctip_key_check(st, &s->kr, err);
	st->ops->close(st);
	if (rc == CTIP_OK)
		rc = ctip_auditq_start(&s->auditq, s->db, &s->kr, err);
	return rc;
}

enum ctip_status
ctip_server_start(struct ctip_server **out, const struct ctip_server_conf *conf,
		  const struct ctip_route *routes, struct ctip_err *err)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;
	struct ctip_server *s;
	const union MHD_DaemonInfo *info;
	/* MHD_USE_ITC: needed by MHD_quiesce_daemon() in ctip_server_stop. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME;
	pthread_rwlockattr_t rwattr;
	enum ctip_status rc;
	uint16_t port;

	if ((rc = parse_listen(&addr, &addr_len, conf->listen, err)) != 0)
		return rc;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s = ctip_xmalloc(sizeof(*s));
	memset(s, 0, sizeof(*s));
	atomic_init(&s->inflight, 0);
	s->routes = routes;
	s->db = ctip_xstrdup(conf->db);
	s->web_dir = ctip_xstrdup(conf->web_dir);
	s->secure_cookie = conf->secure_cookie;
	if (conf->trusted_proxy != NULL &&
	    !canonical_ip(s->trusted_proxy, conf->trusted_proxy)) {
		free(s->db);
		free(s->web_dir);
		free(s);
		return ctip_err_field(err, CTIP_EINVAL, "trusted-proxy",
				      "--trusted-proxy: \"%s\" is not an IP "
				      "address",
				      conf->trusted_proxy);
	}
	pthread_key_create(&s->store_key, close_thread_store);
	pthread_key_create(&s->count_key, close_thread_store);
	/* Writer-preferring: under a steady stream of requests a key file
	 * reload would otherwise wait for ever (glibc prefers readers). */
	pthread_rwlockattr_init(&rwattr);
	pthread_rwlockattr_setkind_np(
		&rwattr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&s->key_lock, &rwattr);
	pthread_rwlockattr_destroy(&rwattr);
	pthread_mutex_init(&s->reload_lock, NULL);
	atomic_init(&s->stopping, false);
	atomic_init(&s->key_checked, (long)time(NULL));
	atomic_init(&s->proxy_warned, 0L);
	if ((rc = open_keys(s, conf->key, err)) != CTIP_OK) {
		ctip_server_stop(s);
		return rc;
	}
	MHD_set_panic_func(on_panic, NULL);
	/* MHD binds to addr and names port only in its error messages. */
	port = ntohs(addr.ss_family == AF_INET6
			     ? ((struct sockaddr_in6 *)&addr)->sin6_port
			     : ((struct sockaddr_in *)&addr)->sin_port);
	s->daemon = MHD_start_daemon(
		flags, port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(conf->threads > 0 ? conf->threads : 2),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* Refuse what HTTP/1.1 forbids (no Host, bad headers). */
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_END);
	if (s->daemon == NULL) {
		rc = ctip_err_set(err, CTIP_EIO,
				  "could not listen on %s: address in use or "
				  "not available",
				  conf->listen);
		ctip_server_stop(s);
		return rc;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info != NULL ? info->port : 0;
	*out = s;
	return CTIP_OK;
}

int
ctip_server_port(const struct ctip_server *s)
{
	return s->port;
}

void
ctip_server_stop(struct ctip_server *s)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };
	MHD_socket lsock;
	int waited;

	if (s == NULL)
		return;
	if (s->daemon != NULL) {
		/* Accept no more connections, let the requests in flight
		 * finish (MHD_stop_daemon alone would cut them off), then
		 * close every connection. Idle keep-alive connections hold
		 * no request and do not delay the stop; a request that comes
		 * on a kept-alive connection from now on is refused with 503
		 * and its connection closed (on_request), so that a steady
		 * stream of them cannot keep requests in flight until the
		 * audit log closes under them. */
		atomic_store(&s->stopping, true);
		ctip_log(CTIP_LOG_INFO, "stopping: refusing new requests "
					"(503), finishing those in flight");
		lsock = MHD_quiesce_daemon(s->daemon);
		for (waited = 0; atomic_load(&s->inflight) > 0 &&
				 waited < SHUTDOWN_GRACE_MS;
		     waited += 10)
			nanosleep(&pause, NULL);
		/* MHD_stop_daemon panics on a suspended connection: write
		 * every queued audit entry, which resumes its request (later
		 * ones fail and resume themselves), and let those finish. */
		ctip_auditq_close(s->auditq);
		for (waited = 0; atomic_load(&s->inflight) > 0 && waited < 1000;
		     waited += 10)
			nanosleep(&pause, NULL);
		MHD_stop_daemon(s->daemon);
		if (lsock != MHD_INVALID_SOCKET)
			close(lsock);
	}
	pthread_key_delete(s->store_key);
	pthread_key_delete(s->count_key);
	ctip_auditq_stop(s->auditq);
	ctip_keyring_wipe(&s->kr);
	pthread_rwlock_destroy(&s->key_lock);
	pthread_mutex_destroy(&s->reload_lock);
	free(s->key_path);
	free(s->db);
	free(s->web_dir);
	free(s);
}

/* Content types of the files the web UI ships. */
static const char *
content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	for (i = 0; dot != NULL && i < CTIP_NELEM(types); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

void
ctip_serve_static(struct ctip_req *req, struct ctip_resp *resp)
{
	const char *rel = req->path;
	char path[4096], etag[64], chunk[65536];
	const char *inm;
	struct stat st;
	ssize_t k;
	int fd;

	/* Only plain names: no "..", no hidden files, no backslashes. */
	if (rel[0] != '/' || strstr(rel, "/.") != NULL ||
	    strchr(rel, '\\') != NULL || strlen(rel) > 200) {
		ctip_resp_problem(resp, CTIP_ENOTFOUND, NULL,
				  "no such file: %s", rel);
		return;
	}
	if (strcmp(rel, "/") == 0)
		rel = "/index.html";
	snprintf(path, sizeof(path), "%s%s", req->server->web_dir, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		ctip_resp_problem(resp, CTIP_ENOTFOUND, NULL,
				  "no such file: %s", rel);
		return;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"",
		 (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size);
	resp->etag = ctip_arena_strdup(req->arena, etag);
	/* Revalidate every time: cheap with the ETag, and a new release is
	 * never hidden behind a stale cache. */
	resp->cache_control = "no-cache";
	resp->content_type = content_type(rel);
	inm = ctip_req_header(req, "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		close(fd);
		resp->status = 304;
		return;
	}
	while ((k = read(fd, chunk, sizeof(chunk))) > 0)
		if (ctip_buf_add(&resp->body, chunk, (size_t)k) != CTIP_OK)
			break;
	close(fd);
	if (k != 0) {
		ctip_resp_problem(resp, CTIP_EIO, NULL, "could not read %s",
				  rel);
		return;
	}
	resp->status = 200;
}

/* server.h: the HTTP front end on libmicrohttpd: requests, responses, the
 * route table and the server's life cycle. */
#ifndef CTIP_SERVER_H
#define CTIP_SERVER_H

#include "core/access.h"
#include "store/store.h"
#include "util/buf.h"

#define CTIP_BODY_LIMIT  (1u << 20)  /* request bodies */
#define CTIP_ARENA_LIMIT (64u << 20) /* per-request memory */

struct ctip_server_conf {
	const char *listen;  /* "127.0.0.1:8080", "[::1]:8080"; port 0 = any */
	const char *db;      /* store URL */
	const char *web_dir; /* static files */
	const char *key;     /* key file of the database */
	int threads;         /* worker threads */
	bool secure_cookie;  /* mark cookies Secure (TLS in front of ctip) */
	/* A reverse proxy's address: from it, X-Forwarded-For names the
	 * client (for the login throttle and the audit log); NULL: none. */
	const char *trusted_proxy;
};

struct ctip_req {
	const char *method; /* "GET", ... */
	const char *path;   /* decoded path without the query */
	const char *body;   /* NUL-terminated, "" when none */
	size_t body_len;
	struct ctip_arena *arena; /* freed after the response is sent */
	struct ctip_store *store; /* this thread's connection */
	bool counts;              /* the route is CTIP_COUNTS */
	const char *params[4];    /* values of {name} segments, in order */
	int n_params;
	void *conn; /* struct MHD_Connection, for headers */
	const struct ctip_server *server;
	const struct ctip_principal *who; /* NULL on public routes */
	struct ctip_access access;        /* store, keys, audit queue */
	char ip[64];                      /* the client's address */
	struct ctip_principal *who_buf;   /* where the server keeps who */
	void *state; /* a deferred handler's, for its continuation */
};

struct ctip_resp {
	int status;
	const char *content_type;
	struct ctip_buf body;
	const char *cache_control; /* NULL: "no-store" */
	const char *etag;          /* or NULL */
	const char *allow;         /* for 405, or NULL */
	const char *set_cookie;    /* a Set-Cookie value, or NULL */
	const char *disposition;   /* a Content-Disposition, or NULL */
	bool close;                /* "Connection: close": the last answer */
	/* Set by ctip_resp_defer: log defer_ev, then run defer_cont. */
	bool deferred;
	struct ctip_audit_event defer_ev;
	void (*defer_cont)(struct ctip_req *req, struct ctip_resp *resp);
};

/* A handler fills resp; its return value is ignored by the server. */
typedef void (*ctip_handler_fn)(struct ctip_req *req, struct ctip_resp *resp);

/* Route flags. Without CTIP_PUBLIC a route needs a signed-in user; a
 * write by a browser session also needs its CSRF token. */
enum {
	CTIP_PUBLIC = 1 << 0,   /* no sign-in needed */
	CTIP_PWCHANGE = 1 << 1, /* allowed before the one-time password is
				   changed */
	CTIP_COUNTS = 1 << 2,   /* counts over many records: served on the
				   thread's mapped connection */
};

struct ctip_route {
	const char *method;
	const char *pattern; /* "/api/things/{id}": {x} matches one segment */
	ctip_handler_fn fn;
	unsigned flags;
};

struct ctip_server;

/* Start serving; routes are matched in order. CTIP_EIO if the address
 * cannot be bound. */
CTIP_MUST_CHECK enum ctip_status
ctip_server_start(struct ctip_server **out, const struct ctip_server_conf *conf,
		  const struct ctip_route *routes, struct ctip_err *err);

/* The port actually bound (useful with port 0). */
int ctip_server_port(const struct ctip_server *s);

/* Finish the requests in flight (for up to 3 s), close every connection and
 * free. */
void ctip_server_stop(struct ctip_server *s);

/* HTTP status of a ctip status. */
int ctip_status_to_http(enum ctip_status code);

/* A JSON problem response {"code","message","field"} for status code. */
void ctip_resp_problem(struct ctip_resp *resp, enum ctip_status code,
		       const char *field, const char *fmt, ...)
	CTIP_PRINTF(4, 5);

/* A problem response from a filled-in error. */
void ctip_resp_err(struct ctip_resp *resp, const struct ctip_err *err);

/* A JSON body (the json_t is a jansson value, decref'd here). */
void ctip_resp_json(struct ctip_resp *resp, int status, void *json);

/* Answer 200 with the n bytes of a file to download as filename (ASCII,
 * no quotes) of content_type; takes the bytes over from data. */
void ctip_resp_download(struct ctip_req *req, struct ctip_resp *resp,
			const char *content_type, const char *filename,
			struct ctip_buf *data);

/* Serve a file below the web directory for req->path (GET and HEAD). */
void ctip_serve_static(struct ctip_req *req, struct ctip_resp *resp);

/* A query parameter's value, or NULL. */
const char *ctip_req_query(const struct ctip_req *req, const char *name);

/* The request body as a JSON object (a jansson json_t *, owned by the
 * caller), or NULL after answering 400 with what is wrong, or 415 when it
 * was not sent as application/json. */
void *ctip_req_json(struct ctip_req *req, struct ctip_resp *resp);

/* The signed-in user's session cookie for token, or one that clears it
 * (token NULL). */
void ctip_resp_session_cookie(struct ctip_req *req, struct ctip_resp *resp,
			      const char *token);

/*
 * Answer later: the server suspends the request (freeing its thread),
 * commits ev to the audit log with other requests' entries, then calls
 * cont(req, resp) to build the answer — or answers 500 if the entry could
 * not be written. ev's strings may point into req->arena, req->state or
 * *req->who. Without an audit queue, ev is written at once and cont runs
 * now.
 */
void ctip_resp_defer(struct ctip_req *req, struct ctip_resp *resp,
		     const struct ctip_audit_event *ev,
		     void (*cont)(struct ctip_req *req,
				  struct ctip_resp *resp));

/* A request header's value, or NULL. */
const char *ctip_req_header(const struct ctip_req *req, const char *name);

#endif

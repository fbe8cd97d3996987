/* auth.c: passwords, sessions, throttling, API tokens and accounts. */
#include "core/auth.h"
#include "core/person.h"
#include "util/log.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <time.h>

void
ctip_time_after(char out[24], long seconds)
{
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
ctip_token_hash(unsigned char out[32], const char *token)
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token),
			   NULL, 0);
}

static void
random_token(char out[CTIP_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CTIP_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

/* Fill p from a user row and its unit. */
static void
fill_principal(struct ctip_principal *p, const struct ctip_user_row *u,
	       const struct ctip_org_unit_row *o)
{
	p->user_id = u->id;
	copy(p->username, sizeof(p->username), u->username);
	copy(p->display_name, sizeof(p->display_name), u->display_name);
	p->roles = ctip_roles_parse(u->roles);
	p->must_change_password = u->must_change_password;
	p->unit_id = o->id;
	copy(p->unit_name, sizeof(p->unit_name), o->name);
	copy(p->agency, sizeof(p->agency), o->agency);
	copy(p->admin_code, sizeof(p->admin_code), o->admin_code);
	copy(p->level, sizeof(p->level), o->level);
	copy(p->province_code, sizeof(p->province_code), o->province_code);
}

enum ctip_status
ctip_auth_principal(struct ctip_principal *p, struct ctip_store *st,
		    int64_t user_id, struct ctip_err *err)
{
	struct ctip_user_row u;
	struct ctip_org_unit_row o;
	struct ctip_arena a;
	enum ctip_status rc;

	memset(p, 0, sizeof(*p));
	ctip_arena_init(&a, 1 << 16);
	rc = st->ops->user_get(&u, st, user_id, &a, err);
	if (rc == CTIP_OK)
		rc = st->ops->org_unit_get(&o, st, u.org_unit_id, &a, err);
	if (rc == CTIP_OK) {
		fill_principal(p, &u, &o);
		if (u.disabled)
			rc = ctip_err_set(err, CTIP_EAUTH,
					  "user %lld is disabled",
					  (long long)user_id);
	}
	ctip_arena_free(&a);
	return rc;
}

/* A printable copy of what a client sent as a username, for the log. */
static void
loggable(char out[65], const char *name)
{
	if (ctip_text_valid(name, strlen(name)) && strlen(name) <= 64)
		copy(out, 65, name);
	else
		copy(out, 65, "(invalid)");
}

/* Verified when the user does not exist, so that the answer takes as long
 * as for a wrong password and names cannot be probed by timing. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy_hash(void)
{
	if (crypto_pwhash_str(dummy_hash, "ctip", 4,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

/* --- the throttle of failed logins by address --- */

/* One address's failed logins in its current window. */
struct ip_slot {
	char key[64]; /* the address (an IPv6 one cut to its /64); "": free */
	long since;   /* when the window began (monotonic seconds) */
	long last;    /* the latest failure counted */
	int fails;    /* failures counted since `since` */
	int pending;  /* attempts begun and not ended yet */
};

/* Memory, not the database: the count is a brake, not a record (the
 * audit log is the record), it costs no write, and a restart forgetting
 * it leaves every account's own lock in place. A linear scan of 1024
 * slots under the lock costs microseconds, next to Argon2's 50 ms. */
static struct ip_slot ip_slots[CTIP_LOGIN_IP_SLOTS];
static pthread_mutex_t ip_lock = PTHREAD_MUTEX_INITIALIZER;

/* The throttle's key of ip: one subscriber usually holds a whole IPv6
 * /64, so its addresses count as one. */
static void
ip_key(char out[64], const char *ip)
{
	struct in6_addr a;
	char text[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, ip, &a) == 1 && !IN6_IS_ADDR_V4MAPPED(&a)) {
		memset(&a.s6_addr[8], 0, 8);
		if (inet_ntop(AF_INET6, &a, text, sizeof(text)) != NULL) {
			snprintf(out, 64, "%s/64", text);
			return;
		}
	}
	copy(out, 64, ip);
}

/* key's slot, or NULL; with ip_lock held. */
static struct ip_slot *
ip_find(const char *key)
{
	size_t i;

	for (i = 0; i < CTIP_NELEM(ip_slots); i++)
		if (ip_slots[i].key[0] != '\0' &&
		    strcmp(ip_slots[i].key, key) == 0)
			return &ip_slots[i];
	return NULL;
}

static bool
ip_expired(const struct ip_slot *s, long now)
{
	return now - s->since >= CTIP_LOGIN_IP_WINDOW;
}

/* What an address weighs against the limit: its failures in the window
 * and the attempts under way, each of which may be one more. */
static int
ip_weight(const struct ip_slot *s, long now)
{
	return (ip_expired(s, now) ? 0 : s->fails) + s->pending;
}

/* Where a new address goes, with ip_lock held: a free or idle expired
 * slot, else the one that weighs least, the least recent of those, so
 * that many addresses with a failure or two cannot push out one at the
 * limit. */
static struct ip_slot *
ip_victim(long now)
{
	struct ip_slot *s, *v = &ip_slots[0];
	int w, vw = INT_MAX;

	for (s = ip_slots; s < ip_slots + CTIP_NELEM(ip_slots); s++) {
		w = s->key[0] == '\0' ? 0 : ip_weight(s, now);
		if (w == 0)
			return s;
		if (w < vw || (w == vw && s->last < v->last)) {
			v = s;
			vw = w;
		}
	}
	return v;
}

/* key's slot, taken if it has none; with ip_lock held. A window that
 * ended starts again. */
static struct ip_slot *
ip_slot(const char *key, long now)
{
	struct ip_slot *s = ip_find(key);

	if (s == NULL) {
		s = ip_victim(now);
		memset(s, 0, sizeof(*s));
		copy(s->key, sizeof(s->key), key);
		s->since = now;
	} else if (ip_expired(s, now)) {
		s->since = now;
		s->fails = 0;
	}
	return s;
}

bool
ctip_auth_throttle_begin(const char *ip, long now, long *retry_after)
{
	struct ip_slot *s;
	char key[64];
	bool blocked;

	ip_key(key, ip);
	pthread_mutex_lock(&ip_lock);
	s = ip_slot(key, now);
	blocked = s->fails + s->pending >= CTIP_LOGIN_IP_MAX_FAILS;
	if (!blocked)
		s->pending++;
	else if (retry_after != NULL)
		*retry_after = s->fails >= CTIP_LOGIN_IP_MAX_FAILS
				       ? s->since + CTIP_LOGIN_IP_WINDOW - now
				       : 1;
	pthread_mutex_unlock(&ip_lock);
	return blocked;
}

void
ctip_auth_throttle_end(const char *ip, long now, bool failed)
{
	struct ip_slot *s;
	char key[64];

	ip_key(key, ip);
	pthread_mutex_lock(&ip_lock);
	/* Its slot may have gone to another address meanwhile (a full
	 * table): the failure still counts. */
	s = ip_slot(key, now);
	if (s->pending > 0)
		s->pending--;
	if (failed) {
		s->fails++;
		s->last = now;
		if (s->fails == CTIP_LOGIN_IP_MAX_FAILS)
			ctip_log(CTIP_LOG_WARN,
				 "%d failed logins from %s: its logins are "
				 "refused for %d minutes",
				 s->fails, key, CTIP_LOGIN_IP_WINDOW / 60);
	}
	pthread_mutex_unlock(&ip_lock);
}

void
ctip_auth_throttle_clear(void)
{
	pthread_mutex_lock(&ip_lock);
	memset(ip_slots, 0, sizeof(ip_slots));
	pthread_mutex_unlock(&ip_lock);
}

static long
monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

/* --- failures counted against an account --- */

static bool
locked(const struct ctip_user_row *u, const char *now)
{
	return u->locked_until != NULL && strcmp(u->locked_until, now) > 0;
}

/*
 * Inside the transaction the caller began, after reading u again there
 * (NULL: no such user): count one more failure against u, unless it is
 * locked already, locking it at CTIP_LOGIN_MAX_FAILS (and ending all its
 * sessions if end_sessions); append ev with the outcome, "locked" if the
 * account was or now is locked, "failed" otherwise; commit. *locks: this
 * failure locked the account. Rolls back on failure.
 */
static enum ctip_status
count_failure(bool *locks, struct ctip_store *st, const struct ctip_keyring *kr,
	      struct ctip_audit_event *ev, const struct ctip_user_row *u,
	      const char *now, bool end_sessions, struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;
	char until[24] = "";
	int fails;

	*locks = false;
	ev->outcome = "failed";
	if (u != NULL && locked(u, now)) {
		ev->outcome = "locked";
	} else if (u != NULL) {
		fails = u->failed_logins + 1;
		if (fails >= CTIP_LOGIN_MAX_FAILS) {
			ctip_time_after(until, CTIP_LOGIN_LOCK);
			ev->outcome = "locked";
			*locks = true;
			fails = 0;
		}
		rc = st->ops->user_set_login_state(
			st, u->id, fails, until[0] ? until : NULL, err);
		if (rc == CTIP_OK && *locks && end_sessions)
			rc = st->ops->session_delete_user(st, u->id, NULL, err);
	}
	return ctip_audit_commit(st, kr, ev, rc, err);
}

enum ctip_status
ctip_auth_login(struct ctip_principal *p, char token[CTIP_TOKEN_LEN + 1],
		struct ctip_store *st, const struct ctip_keyring *kr,
		const char *username, const char *password, const char *ip,
		struct ctip_err *err)
{
	struct ctip_audit_event ev = { 0 };
	struct ctip_user_row u;
	struct ctip_arena a;
	unsigned char hash[32];
	char now[24], until[24], name[65];
	const char *verified = NULL;
	enum ctip_status rc, lrc;
	long mono = monotonic_now(), wait;
	bool found, ok, locks, failed = false;

	memset(p, 0, sizeof(*p));
	pthread_once(&dummy_once, make_dummy_hash);
	if (dummy_hash[0] == '\0')
		return ctip_err_set(err, CTIP_EINTERNAL, "out of memory");
	/* Whatever the name: this answer says nothing about accounts. An
	 * attempt let through is under way until it ends at out:, so that
	 * attempts at once cannot pass the limit together. */
	if (ctip_auth_throttle_begin(ip, mono, &wait))
		return wait <= 1 ? ctip_err_set(err, CTIP_ETHROTTLED,
						"too many logins at once from "
						"this address: try again in a "
						"few seconds")
				 : ctip_err_set(err, CTIP_ETHROTTLED,
						"too many failed logins from "
						"this address: try again in "
						"%ld minutes",
						(wait + 59) / 60);
	ctip_now(now);
	loggable(name, username);
	ev.username = name;
	ev.action = "session.login";
	ev.object_type = "user";
	ev.object_id = name;
	ev.ip = ip;
	ctip_arena_init(&a, 1 << 16);
	rc = st->ops->user_find(&u, st, username, &a, err);
	if (rc != CTIP_OK && rc != CTIP_ENOTFOUND)
		goto out;
	found = rc == CTIP_OK;
	/* The hash checked, kept in the arena beside the row read again. */
	if (found)
		verified = u.password_hash;
	/* Verified whatever the account's state, locked or disabled too:
	 * the answer must not tell them from a wrong password, neither by
	 * its bytes nor by its time. */
	ok = crypto_pwhash_str_verify(found ? u.password_hash : dummy_hash,
				      password, strlen(password)) == 0 &&
	     found;
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		goto out;
	/* Read the counters again inside the (immediate) transaction:
	 * logins checked at the same time must not overwrite each other's
	 * failures, and an account locked meanwhile stays locked. */
	if (found &&
	    (rc = st->ops->user_find(&u, st, username, &a, err)) != CTIP_OK) {
		st->ops->rollback(st);
		goto out;
	}
	/* The password changed (or was reset) while Argon2 ran: what was
	 * checked is no longer the password, so the attempt is decided
	 * against the current one, which it was not shown to match. It
	 * answers, is audited and counts as a wrong password does, and no
	 * session outlives the change. */
	if (found && strcmp(u.password_hash, verified) != 0)
		ok = false;
	if (!ok || u.disabled || locked(&u, now)) {
		rc = count_failure(&locks, st, kr, &ev, found ? &u : NULL, now,
				   false, err);
		if (rc != CTIP_OK)
			goto out;
		failed = true;
		rc = ctip_err_set(err, CTIP_EAUTH,
				  "wrong username or password");
		goto out;
	}
	random_token(token);
	ctip_token_hash(hash, token);
	rc = ctip_auth_principal(p, st, u.id, err);
	if (rc == CTIP_OK)
		random_token(p->csrf);
	ctip_time_after(until, CTIP_SESSION_MAX);
	if (rc == CTIP_OK && (u.failed_logins != 0 || u.locked_until != NULL))
		rc = st->ops->user_set_login_state(st, u.id, 0, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->session_insert(st, hash, u.id, p->csrf, now,
					     until, ip, err);
	copy(p->ip, sizeof(p->ip), ip);
	memcpy(p->session_hash, hash, 32);
	ev.who = p;
	ev.outcome = "ok";
	if (rc == CTIP_OK)
		rc = ctip_audit_append(st, kr, &ev, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK) {
		st->ops->rollback(st);
		sodium_memzero(token, CTIP_TOKEN_LEN + 1);
	}
out:
	ctip_auth_throttle_end(ip, mono, failed);
	lrc = rc;
	ctip_arena_free(&a);
	return lrc;
}

/* Whether timestamp ts is more than seconds before now. */
static bool
older_than(const char *ts, long seconds)
{
	char limit[24];

	ctip_time_after(limit, -seconds);
	return strcmp(ts, limit) < 0;
}

enum ctip_status
ctip_auth_session(struct ctip_principal *p, struct ctip_store *st,
		  const char *token, const char *ip, struct ctip_err *err)
{
	struct ctip_session_row s;
	struct ctip_user_row u;
	struct ctip_org_unit_row o;
	struct ctip_arena a;
	unsigned char hash[32];
	char now[24];
	enum ctip_status rc;

	memset(p, 0, sizeof(*p));
	if (strlen(token) != CTIP_TOKEN_LEN)
		return ctip_err_set(err, CTIP_EAUTH, "no valid session");
	ctip_token_hash(hash, token);
	ctip_now(now);
	ctip_arena_init(&a, 4096);
	rc = st->ops->session_user(&s, &u, &o, st, hash, &a, err);
	if (rc == CTIP_ENOTFOUND)
		rc = ctip_err_set(err, CTIP_EAUTH, "no valid session");
	if (rc == CTIP_OK && (strcmp(s.expires_at, now) <= 0 ||
			      older_than(s.last_seen_at, CTIP_SESSION_IDLE))) {
		/* Best effort: an expired row is useless either way. */
		if (st->ops->session_delete(st, hash, err) == CTIP_OK)
			rc = ctip_err_set(err, CTIP_EAUTH, "session expired");
		else
			rc = CTIP_EAUTH;
	}
	if (rc == CTIP_OK && u.disabled)
		rc = ctip_err_set(err, CTIP_EAUTH, "user is disabled");
	if (rc == CTIP_OK) {
		fill_principal(p, &u, &o);
		copy(p->csrf, sizeof(p->csrf), s.csrf_token);
		memcpy(p->session_hash, hash, 32);
		copy(p->ip, sizeof(p->ip), ip);
		/* Record activity once a minute, not on every request: a
		 * write per read would serialize the server on the disk. */
		if (older_than(s.last_seen_at, 60))
			rc = st->ops->session_touch(st, hash, now, err);
	}
	ctip_arena_free(&a);
	if (rc != CTIP_OK && rc != CTIP_EAUTH && rc != CTIP_ESTORE)
		rc = ctip_err_set(err, CTIP_EAUTH, "no valid session");
	return rc;
}

enum ctip_status
ctip_auth_bearer(struct ctip_principal *p, struct ctip_store *st,
		 const char *token, const char *ip, struct ctip_err *err)
{
	unsigned char hash[32];
	int64_t user_id;
	enum ctip_status rc;

	memset(p, 0, sizeof(*p));
	ctip_token_hash(hash, token);
	rc = st->ops->token_get(&user_id, st, hash, err);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_EAUTH,
				    "unknown or revoked token");
	if (rc == CTIP_OK)
		rc = ctip_auth_principal(p, st, user_id, err);
	if (rc == CTIP_OK) {
		p->via_token = true;
		copy(p->ip, sizeof(p->ip), ip);
	}
	return rc;
}

enum ctip_status
ctip_auth_logout(struct ctip_store *st, const struct ctip_keyring *kr,
		 const struct ctip_principal *p, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = "session.logout",
				       .object_type = "user",
				       .object_id = p->username };
	enum ctip_status rc;

	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->session_delete(st, p->session_hash, err);
	return ctip_audit_commit(st, kr, &ev, rc, err);
}

enum ctip_status
ctip_auth_change_password(struct ctip_store *st, const struct ctip_keyring *kr,
			  struct ctip_principal *p, const char *current,
			  const char *next, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = "user.password_change",
				       .object_type = "user",
				       .object_id = p->username };
	char hash[crypto_pwhash_STRBYTES], now[24];
	struct ctip_session_row s;
	struct ctip_user_row u;
	struct ctip_arena a;
	const char *verified;
	size_t n = strlen(next);
	enum ctip_status rc;
	bool refused, locks;

	/* What no password can be, blank or too long, is bad input, as
	 * everywhere in the API: nothing is guessed by it, and it is
	 * neither verified nor counted. */
	if (ctip_text_blank(current))
		return ctip_err_field(err, CTIP_EINVAL, "current_password",
				      "current_password: required");
	if (strlen(current) > CTIP_PASSWORD_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "current_password",
				      "current_password: does not match");
	ctip_now(now);
	ctip_arena_init(&a, 1 << 16);
	hash[0] = '\0';
	rc = st->ops->user_get(&u, st, p->user_id, &a, err);
	if (rc != CTIP_OK)
		goto out;
	/* The hash checked, kept in the arena beside the row read again. */
	verified = u.password_hash;
	refused = crypto_pwhash_str_verify(verified, current,
					   strlen(current)) != 0 ||
		  locked(&u, now);
	if (!refused) {
		if (n < CTIP_PASSWORD_MIN || n > CTIP_PASSWORD_MAX ||
		    !ctip_text_valid(next, n)) {
			rc = ctip_err_field(err, CTIP_EINVAL, "new_password",
					    "new_password: %d to %d characters",
					    CTIP_PASSWORD_MIN,
					    CTIP_PASSWORD_MAX);
			goto out;
		}
		/* No password is blank: a blank current one is never
		 * right. */
		if (ctip_text_blank(next)) {
			rc = ctip_err_field(err, CTIP_EINVAL, "new_password",
					    "new_password: not only white "
					    "space");
			goto out;
		}
		if (strcmp(next, current) == 0 ||
		    strcmp(next, p->username) == 0) {
			rc = ctip_err_field(err, CTIP_EINVAL, "new_password",
					    "new_password: must differ from "
					    "the current password and the "
					    "username");
			goto out;
		}
		if (crypto_pwhash_str(
			    hash, next, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
			rc = ctip_err_set(err, CTIP_EINTERNAL, "out of memory");
			goto out;
		}
	}
	/* Argon2 ran outside the transaction: read the account again
	 * inside it, where nothing else can change it before the commit. */
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		goto out;
	if ((rc = st->ops->user_get(&u, st, p->user_id, &a, err)) != CTIP_OK) {
		st->ops->rollback(st);
		goto out;
	}
	/* Another change (this user's from another session, a reset, a
	 * lock) ended this session meanwhile: it is over, as for any
	 * request that comes with an ended session. */
	if (!p->via_token && (rc = st->ops->session_get(&s, st, p->session_hash,
							&a, err)) != CTIP_OK) {
		st->ops->rollback(st);
		if (rc == CTIP_ENOTFOUND)
			rc = ctip_err_set(err, CTIP_EAUTH, "no valid session");
		goto out;
	}
	/* The password was changed meanwhile by another request of this
	 * session or by an administrator: the one checked is no longer
	 * current, and writing now would silently undo that change. Not
	 * counted: nothing was checked against the current password. */
	if (!locked(&u, now) && strcmp(u.password_hash, verified) != 0) {
		st->ops->rollback(st);
		rc = ctip_err_rule(err, CTIP_ECONFLICT, "current_password",
				   "password_changed",
				   "current_password: the password was changed "
				   "meanwhile, by another request or an "
				   "administrator: enter the current password "
				   "again");
		goto out;
	}
	if (refused || locked(&u, now)) {
		/* A session (or a token) is no licence to guess: each
		 * wrong password counts as a failed login would. */
		rc = count_failure(&locks, st, kr, &ev, &u, now, true, err);
		if (rc != CTIP_OK)
			goto out;
		/* Naming the field: the page says why the session ended. */
		if (locks)
			rc = ctip_err_field(err, CTIP_EAUTH, "current_password",
					    "current_password: wrong too many "
					    "times: the account is locked and "
					    "every session ended");
		else if (locked(&u, now))
			rc = ctip_err_set(err, CTIP_ELOCKED,
					  "account locked after repeated "
					  "failed attempts until %s",
					  u.locked_until);
		else
			rc = ctip_err_field(err, CTIP_EINVAL,
					    "current_password",
					    "current_password: does not match");
		goto out;
	}
	rc = st->ops->user_set_password(st, p->user_id, hash, false, now, err);
	/* The password was right: earlier failures were the user's own. */
	if (rc == CTIP_OK && u.failed_logins != 0)
		rc = st->ops->user_set_login_state(st, p->user_id, 0, NULL,
						   err);
	/* Whoever knew the old password is signed out everywhere else. */
	if (rc == CTIP_OK)
		rc = st->ops->session_delete_user(
			st, p->user_id, p->via_token ? NULL : p->session_hash,
			err);
	rc = ctip_audit_commit(st, kr, &ev, rc, err);
	if (rc == CTIP_OK)
		p->must_change_password = false;
out:
	sodium_memzero(hash, sizeof(hash));
	ctip_arena_free(&a);
	return rc;
}

static const struct ctip_principal *
actor(const struct ctip_principal *by, struct ctip_principal *system)
{
	if (by != NULL)
		return by;
	memset(system, 0, sizeof(*system));
	copy(system->username, sizeof(system->username), "system");
	copy(system->ip, sizeof(system->ip), "cli");
	return system;
}

/*
 * Whether by may manage the accounts of unit_id (the command line, by NULL,
 * may manage all): CTIP_OK, or CTIP_EFORBIDDEN naming org_unit_id when the
 * unit is outside by's administration.
 */
static enum ctip_status
administered(struct ctip_store *st, const struct ctip_principal *by,
	     int64_t unit_id, struct ctip_err *err)
{
	struct ctip_org_unit_row u;
	struct ctip_arena a;
	enum ctip_status rc;

	if (by == NULL)
		return CTIP_OK;
	ctip_arena_init(&a, 1 << 12);
	rc = st->ops->org_unit_get(&u, st, unit_id, &a, err);
	if (rc == CTIP_OK && !ctip_authz_administers(by, &u))
		rc = ctip_err_field(err, CTIP_EFORBIDDEN, "org_unit_id",
				    "org_unit_id: unit %lld is outside your "
				    "administration",
				    (long long)unit_id);
	ctip_arena_free(&a);
	return rc;
}

/* The same for an existing account: one outside by's administration
 * answers as one that does not exist. */
static enum ctip_status
administered_user(struct ctip_store *st, const struct ctip_principal *by,
		  int64_t user_id, struct ctip_err *err)
{
	struct ctip_user_row u;
	struct ctip_arena a;
	enum ctip_status rc;

	if (by == NULL)
		return CTIP_OK;
	ctip_arena_init(&a, 1 << 12);
	rc = st->ops->user_get(&u, st, user_id, &a, err);
	if (rc == CTIP_OK)
		rc = administered(st, by, u.org_unit_id, err);
	ctip_arena_free(&a);
	if (rc == CTIP_ENOTFOUND || rc == CTIP_EFORBIDDEN)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "user %lld does not exist",
				    (long long)user_id);
	return rc;
}

enum ctip_status
ctip_account_create(int64_t *out, char password[CTIP_PASSWORD_GEN_LEN + 1],
		    struct ctip_store *st, const struct ctip_keyring *kr,
		    const struct ctip_principal *by, const char *username,
		    const char *display_name, int64_t org_unit_id,
		    const char *const *roles, struct ctip_err *err)
{
	struct ctip_principal system;
	size_t i;
	struct ctip_audit_event ev = { .action = "user.create",
				       .object_type = "user",
				       .object_id = username };
	enum ctip_status rc;

	ev.who = actor(by, &system);
	ctip_password_generate(password);
	if ((rc = administered(st, by, org_unit_id, err)) != CTIP_OK)
		return rc;
	/* An auditor reads the whole audit log, of every place: only the
	 * nation's administrators (or the command line) make one. */
	for (i = 0; by != NULL && roles[i] != NULL; i++)
		if (strcmp(roles[i], "auditor") == 0 &&
		    strcmp(by->level, "nation") != 0)
			return ctip_err_field(err, CTIP_EFORBIDDEN, "roles",
					      "roles: only a national "
					      "administrator may make an "
					      "auditor");
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = ctip_user_create(out, st, username, display_name, org_unit_id,
			      password, roles, err);
	return ctip_audit_commit(st, kr, &ev, rc, err);
}

enum ctip_status
ctip_account_reset_password(char password[CTIP_PASSWORD_GEN_LEN + 1],
			    struct ctip_store *st,
			    const struct ctip_keyring *kr,
			    const struct ctip_principal *by, int64_t user_id,
			    struct ctip_err *err)
{
	struct ctip_principal system;
	char hash[crypto_pwhash_STRBYTES], now[24], id[24];
	struct ctip_audit_event ev = { .action = "user.password_reset",
				       .object_type = "user",
				       .object_id = id };
	enum ctip_status rc;

	ev.who = actor(by, &system);
	snprintf(id, sizeof(id), "%lld", (long long)user_id);
	/* One's own password is changed with the current one (which counts
	 * wrong tries toward the lock): a reset would let a stolen or
	 * left-open session turn into a known password without it. */
	if (by != NULL && by->user_id == user_id)
		return ctip_err_set(err, CTIP_EINVAL,
				    "you cannot reset your own password; "
				    "change it with the current one");
	if ((rc = administered_user(st, by, user_id, err)) != CTIP_OK)
		return rc;
	ctip_password_generate(password);
	if (crypto_pwhash_str(hash, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ctip_err_set(err, CTIP_EINTERNAL, "out of memory");
	ctip_now(now);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->user_set_password(st, user_id, hash, true, now, err);
	sodium_memzero(hash, sizeof(hash));
	if (rc == CTIP_OK)
		rc = st->ops->session_delete_user(st, user_id, NULL, err);
	return ctip_audit_commit(st, kr, &ev, rc, err);
}

enum ctip_status
ctip_account_disable(struct ctip_store *st, const struct ctip_keyring *kr,
		     const struct ctip_principal *by, int64_t user_id,
		     struct ctip_err *err)
{
	struct ctip_principal system;
	char now[24], id[24];
	struct ctip_audit_event ev = { .action = "user.disable",
				       .object_type = "user",
				       .object_id = id };
	enum ctip_status rc;

	ev.who = actor(by, &system);
	snprintf(id, sizeof(id), "%lld", (long long)user_id);
	if ((rc = administered_user(st, by, user_id, err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->user_set_disabled(st, user_id, true, now, err);
	if (rc == CTIP_OK)
		rc = st->ops->session_delete_user(st, user_id, NULL, err);
	return ctip_audit_commit(st, kr, &ev, rc, err);
}

enum ctip_status
ctip_token_create(int64_t *out, char token[CTIP_TOKEN_LEN + 6],
		  struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_principal *by, int64_t user_id,
		  const char *name, struct ctip_err *err)
{
	struct ctip_principal system;
	char raw[CTIP_TOKEN_LEN + 1], now[24], id[24];
	struct ctip_audit_event ev = { .action = "token.create",
				       .object_type = "user",
				       .object_id = id };
	unsigned char hash[32];
	enum ctip_status rc;

	ev.who = actor(by, &system);
	snprintf(id, sizeof(id), "%lld", (long long)user_id);
	if (name[0] == '\0' || strlen(name) > 100 ||
	    !ctip_text_valid(name, strlen(name)))
		return ctip_err_field(err, CTIP_EINVAL, "name",
				      "name: 1 to 100 characters");
	random_token(raw);
	snprintf(token, CTIP_TOKEN_LEN + 6, "ctip_%s", raw);
	sodium_memzero(raw, sizeof(raw));
	ctip_token_hash(hash, token);
	ctip_now(now);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->token_insert(out, st, user_id, name, hash, now, err);
	return ctip_audit_commit(st, kr, &ev, rc, err);
}

/* err.h: status codes and the error record every fallible function fills. */
#ifndef CTIP_ERR_H
#define CTIP_ERR_H

#include "util/common.h"

enum ctip_status {
	CTIP_OK = 0,
	CTIP_ENOTFOUND = -1,  /* no such object: HTTP 404 */
	CTIP_EINVAL = -2,     /* bad input from the caller: HTTP 400 */
	CTIP_EEXIST = -3,     /* the object already exists: HTTP 409 */
	CTIP_ECONFLICT = -4,  /* stale version or state: HTTP 409 */
	CTIP_ESTORE = -5,     /* the database failed: HTTP 500 */
	CTIP_ETOOBIG = -6,    /* an arena or input limit was hit: HTTP 413 */
	CTIP_EIO = -7,        /* a file could not be read or written */
	CTIP_EAUTH = -8,      /* not authenticated: HTTP 401 */
	CTIP_EFORBIDDEN = -9, /* authenticated but not allowed: HTTP 403 */
	CTIP_EINTERNAL = -10, /* a bug or an unexpected failure: HTTP 500 */
	CTIP_EMETHOD = -11,   /* method not allowed on a resource: HTTP 405 */
	CTIP_ECSRF = -12,     /* write without a valid CSRF token: HTTP 403 */
	CTIP_EREASON = -13, /* identity read outside the unit, no reason: 403 */
	CTIP_EPWCHANGE = -14, /* one-time password must be changed first: 403 */
	CTIP_ELOCKED = -15,   /* account locked after failed logins: HTTP 429 */
	CTIP_ETRANSITION = -16,  /* a step the current state does not allow:
				    HTTP 409 */
	CTIP_ENOTENTITLED = -17, /* a support the person is not entitled to,
				    or beyond its limit: HTTP 422 */
	CTIP_EDUPLICATE = -18,   /* probably registered already: HTTP 409 */
	CTIP_ETHROTTLED = -19,   /* too many failed logins from the client's
				    address: HTTP 429 */
	CTIP_EMEDIA = -20,       /* a body of a type the route does not take:
				    HTTP 415 */
};

struct ctip_err {
	enum ctip_status code; /* same value the function returned */
	char field[64];        /* input field at fault, "" when none */
	char rule[40]; /* the record's rule that refused, "" when none */
	char msg[256]; /* English, lower case, no final period */
};

/*
 * Fill in err (which may be NULL) with code and a printf-style message,
 * clear its field, and return code so callers can write
 * `return ctip_err_set(err, CTIP_EINVAL, "...")`.
 */
enum ctip_status ctip_err_set(struct ctip_err *err, enum ctip_status code,
			      const char *fmt, ...) CTIP_PRINTF(3, 4);

/* As ctip_err_set, and name the input field at fault. */
enum ctip_status ctip_err_field(struct ctip_err *err, enum ctip_status code,
				const char *field, const char *fmt, ...)
	CTIP_PRINTF(4, 5);

/*
 * As ctip_err_field (field may be NULL), for an action a rule of the
 * record's state refuses: rule is its stable name ("intake_resolved",
 * "extend_ended", ...), the "rule" of HTTP problems, which the web UI
 * tells in the reader's language without reading the English message.
 */
enum ctip_status ctip_err_rule(struct ctip_err *err, enum ctip_status code,
			       const char *field, const char *rule,
			       const char *fmt, ...) CTIP_PRINTF(5, 6);

/*
 * Prefix err's field with where the input sat ("person." or "minors[1]."),
 * cut to the field's size; returns err's code.
 */
enum ctip_status ctip_err_prefix(struct ctip_err *err, const char *where);

/*
 * The stable machine-readable name of a status ("not_found", "invalid",
 * ...), used as the "code" of HTTP problem responses and looked up by the
 * web UI to show a translated message. Never NULL.
 */
const char *ctip_status_name(enum ctip_status code);

#endif

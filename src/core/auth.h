/* auth.h: signing in: passwords, sessions with CSRF tokens, login
 * throttling, API tokens, and account administration. */
#ifndef CTIP_AUTH_H
#define CTIP_AUTH_H

#include "core/account.h"
#include "core/audit.h"

#define CTIP_TOKEN_LEN       43        /* base64url of 32 random bytes */
#define CTIP_SESSION_IDLE    (30 * 60) /* seconds without a request */
#define CTIP_SESSION_MAX     (12 * 3600)
#define CTIP_LOGIN_MAX_FAILS 5         /* failures in a row before a lock */
#define CTIP_LOGIN_LOCK      (15 * 60) /* seconds an account stays locked */

/*
 * Check username and password; on success create a session, fill *p and
 * the new session token (the cookie value). Every attempt is audited;
 * after CTIP_LOGIN_MAX_FAILS failures in a row the account is locked for
 * CTIP_LOGIN_LOCK seconds. CTIP_EAUTH for a wrong name or password (the
 * same answer, and about the same time, whether the name exists or not),
 * CTIP_ELOCKED while locked.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_login(struct ctip_principal *p, char token[CTIP_TOKEN_LEN + 1],
		struct ctip_store *st, const struct ctip_keyring *kr,
		const char *username, const char *password, const char *ip,
		struct ctip_err *err);

/* The principal of a session token; CTIP_EAUTH if unknown, expired or
 * idle for too long, or the user is disabled. */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_session(struct ctip_principal *p, struct ctip_store *st,
		  const char *token, const char *ip, struct ctip_err *err);

/* The principal of an API token ("Authorization: Bearer ..."). */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_bearer(struct ctip_principal *p, struct ctip_store *st,
		 const char *token, const char *ip, struct ctip_err *err);

/* End p's session (audited). */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_logout(struct ctip_store *st, const struct ctip_keyring *kr,
		 const struct ctip_principal *p, struct ctip_err *err);

/* Change p's password after checking the current one (audited) and end
 * p's other sessions; CTIP_EINVAL naming "current_password" or
 * "new_password". */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_change_password(struct ctip_store *st, const struct ctip_keyring *kr,
			  struct ctip_principal *p, const char *current,
			  const char *next, struct ctip_err *err);

/* Fill *p for user_id as if signed in (CLI and tests). */
CTIP_MUST_CHECK enum ctip_status ctip_auth_principal(struct ctip_principal *p,
						     struct ctip_store *st,
						     int64_t user_id,
						     struct ctip_err *err);

/*
 * Administration, all audited with `by` as the actor (NULL: the CLI run
 * by the machine's operator, logged as "system"):
 * create a user with a generated one-time password; reset a password to a
 * new one-time one (ending the user's sessions); disable a user (ending
 * the sessions); create an API token (the token is shown once). An
 * administrator `by` manages only the units it administers
 * (ctip_authz_administers): a unit beyond is CTIP_EFORBIDDEN naming
 * org_unit_id, a user beyond answers CTIP_ENOTFOUND as one that does not
 * exist. Only a national administrator makes an auditor (who reads the
 * log of every place): CTIP_EFORBIDDEN naming roles.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_account_create(int64_t *out, char password[CTIP_PASSWORD_GEN_LEN + 1],
		    struct ctip_store *st, const struct ctip_keyring *kr,
		    const struct ctip_principal *by, const char *username,
		    const char *display_name, int64_t org_unit_id,
		    const char *const *roles, struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status ctip_account_reset_password(
	char password[CTIP_PASSWORD_GEN_LEN + 1], struct ctip_store *st,
	const struct ctip_keyring *kr, const struct ctip_principal *by,
	int64_t user_id, struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_account_disable(struct ctip_store *st, const struct ctip_keyring *kr,
		     const struct ctip_principal *by, int64_t user_id,
		     struct ctip_err *err);
CTIP_MUST_CHECK enum ctip_status
ctip_token_create(int64_t *out, char token[CTIP_TOKEN_LEN + 6],
		  struct ctip_store *st, const struct ctip_keyring *kr,
		  const struct ctip_principal *by, int64_t user_id,
		  const char *name, struct ctip_err *err);

/* Hash of a session or API token as stored (BLAKE2b-256). */
void ctip_token_hash(unsigned char out[32], const char *token);

/* Timestamp t seconds after now (yyyy-mm-ddThh:mm:ssZ). */
void ctip_time_after(char out[24], long seconds);

#endif

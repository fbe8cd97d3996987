/* auth.h: signing in: passwords, sessions with CSRF tokens, login
 * throttling, API tokens, and account administration. */
#ifndef CTIP_AUTH_H
#define CTIP_AUTH_H

#include "core/account.h"
#include "core/audit.h"

#define CTIP_TOKEN_LEN          43        /* base64url of 32 random bytes */
#define CTIP_SESSION_IDLE       (30 * 60) /* seconds without a request */
#define CTIP_SESSION_MAX        (12 * 3600)
#define CTIP_LOGIN_MAX_FAILS    5         /* failures in a row before a lock */
#define CTIP_LOGIN_LOCK         (15 * 60) /* seconds an account stays locked */
#define CTIP_LOGIN_IP_MAX_FAILS 20        /* failed logins from one address */
#define CTIP_LOGIN_IP_WINDOW    (15 * 60) /* ...in this many seconds */
#define CTIP_LOGIN_IP_SLOTS     1024      /* addresses the throttle holds */

/*
 * Check username and password; on success create a session, fill *p and
 * the new session token (the cookie value). Every attempt is audited;
 * after CTIP_LOGIN_MAX_FAILS failures in a row (logins and wrong current
 * passwords alike) the account is locked for CTIP_LOGIN_LOCK seconds.
 * CTIP_EAUTH "wrong username or password" for a wrong name or password,
 * and for any password while the account is locked or disabled: the same
 * answer, after the same Argon2id verification, whether the account
 * exists, is locked or is disabled (the audit log tells them apart:
 * outcome "failed" or "locked"). Before any of that, CTIP_ETHROTTLED when
 * the address ip already failed CTIP_LOGIN_IP_MAX_FAILS times within
 * CTIP_LOGIN_IP_WINDOW seconds (ctip_auth_throttle_begin), whatever the name
 * and password; such an attempt is neither verified nor audited. The
 * password is verified outside the transaction that creates the session;
 * if the stored hash changed meanwhile (a password change or reset), the
 * attempt is decided against the current hash it was not verified
 * against: it answers, is audited and counts as a wrong password, so no
 * session made with an old password outlives the change.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_auth_login(struct ctip_principal *p, char token[CTIP_TOKEN_LEN + 1],
		struct ctip_store *st, const struct ctip_keyring *kr,
		const char *username, const char *password, const char *ip,
		struct ctip_err *err);

/*
 * The throttle of failed logins by client address, held in this
 * process's memory (a table of CTIP_LOGIN_IP_SLOTS addresses shared by
 * all threads; it starts empty with the process). An IPv6 address counts
 * by its /64. now is a monotonic clock in seconds; ctip_auth_login passes
 * CLOCK_MONOTONIC's.
 *
 * ctip_auth_throttle_begin: whether ip is refused: its failures in the
 * window that began with its first counted failure and its attempts
 * under way reach CTIP_LOGIN_IP_MAX_FAILS (then, if retry_after is not
 * NULL, the seconds until it may try again). If not, the attempt is under
 * way until ctip_auth_throttle_end, so that attempts at once cannot pass
 * the limit together.
 * ctip_auth_throttle_end: end an attempt begun, counting one failure of
 * ip if failed. When the table is full, the address that weighs least
 * (the least recent of those) makes room, so that an address at the
 * limit is the last to go.
 * ctip_auth_throttle_clear: forget every address (tests).
 */
bool ctip_auth_throttle_begin(const char *ip, long now, long *retry_after);
void ctip_auth_throttle_end(const char *ip, long now, bool failed);
void ctip_auth_throttle_clear(void);

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

/*
 * Change p's password after checking the current one (audited) and end
 * p's other sessions; CTIP_EINVAL naming "current_password" or
 * "new_password" (a blank new password is refused too). A wrong current
 * password is audited (outcome "failed") and counts toward the account's
 * lock as a failed login does: the one that reaches CTIP_LOGIN_MAX_FAILS
 * locks the account, ends all its sessions (p's too) and is CTIP_EAUTH
 * naming "current_password" (outcome "locked"). While the account is
 * locked every attempt, with the right password or not, is CTIP_ELOCKED
 * (audited "locked"), so that the answer tells nothing. A blank current
 * password, or one longer than CTIP_PASSWORD_MAX, which no password can
 * be, is CTIP_EINVAL before any check: not verified, audited or counted.
 * The check runs before the transaction that writes; inside it, when p's
 * session was ended meanwhile (another change, a reset, a lock) the
 * change is CTIP_EAUTH "no valid session", and when the stored password
 * is no longer the one checked (changed by another request or reset) it
 * is CTIP_ECONFLICT naming "current_password" with the rule
 * "password_changed"; neither writes, is audited or counts.
 */
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
 * new one-time one (ending the user's sessions; not one's own, which is
 * changed with the current one: CTIP_EINVAL); disable a user (ending
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

/* account.h: user accounts and passwords. */
#ifndef CTIP_ACCOUNT_H
#define CTIP_ACCOUNT_H

#include "store/store.h"

#define CTIP_PASSWORD_GEN_LEN 16 /* generated one-time passwords */
#define CTIP_PASSWORD_MIN     12 /* shortest password a user may choose */
#define CTIP_PASSWORD_MAX     128

/* A random one-time password of CTIP_PASSWORD_GEN_LEN characters from an
 * alphabet without look-alikes (no 0/O, 1/l/I). */
void ctip_password_generate(char out[CTIP_PASSWORD_GEN_LEN + 1]);

/*
 * Create a user of org_unit_id with roles (NULL-terminated) and an
 * Argon2id hash of password. CTIP_EINVAL naming the field for a bad
 * username (3-64 of a-z 0-9 . _ -), display name, role or a password
 * outside CTIP_PASSWORD_MIN..MAX; CTIP_EEXIST if the username is taken.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_user_create(int64_t *out, struct ctip_store *st, const char *username,
		 const char *display_name, int64_t org_unit_id,
		 const char *password, const char *const *roles,
		 struct ctip_err *err);

#endif

/* account.c: user accounts and passwords. */
#include "core/account.h"
#include "core/person.h"
#include "util/text.h"

#include <sodium.h>

static const char *const all_roles[] = { "hotline_operator",
					 "case_worker",
					 "investigator",
					 "procurator",
					 "judge",
					 "statistician",
					 "supervisor",
					 "administrator",
					 "auditor",
					 NULL };

void
ctip_password_generate(char out[CTIP_PASSWORD_GEN_LEN + 1])
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyz"
				       "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	int i;

	for (i = 0; i < CTIP_PASSWORD_GEN_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[CTIP_PASSWORD_GEN_LEN] = '\0';
}

static bool
username_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 3 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static bool
role_ok(const char *r)
{
	const char *const *p;

	for (p = all_roles; *p != NULL; p++)
		if (strcmp(*p, r) == 0)
			return true;
	return false;
}

enum ctip_status
ctip_user_create(int64_t *out, struct ctip_store *st, const char *username,
		 const char *display_name, int64_t org_unit_id,
		 const char *password, const char *const *roles,
		 struct ctip_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	char now[24];
	size_t n = strlen(password);
	enum ctip_status rc;
	const char *const *r;

	if (!username_ok(username))
		return ctip_err_field(err, CTIP_EINVAL, "username",
				      "username: 3 to 64 characters of a-z, "
				      "0-9, '.', '_' or '-'");
	if (ctip_text_blank(display_name) ||
	    !ctip_text_valid(display_name, strlen(display_name)) ||
	    ctip_text_length(display_name) > 200)
		return ctip_err_field(err, CTIP_EINVAL, "display_name",
				      "display_name: 1 to 200 characters of "
				      "valid UTF-8, not only spaces");
	if (roles[0] == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "roles",
				      "roles: at least one role is required");
	for (r = roles; *r != NULL; r++) {
		const char *const *q;

		if (!role_ok(*r))
			return ctip_err_field(err, CTIP_EINVAL, "roles",
					      "roles: unknown role \"%s\"", *r);
		/* A role twice would fail in the store after the user row
		 * went in, leaving a user without roles. */
		for (q = roles; q != r; q++)
			if (strcmp(*q, *r) == 0)
				return ctip_err_field(err, CTIP_EINVAL, "roles",
						      "roles: \"%s\" given "
						      "twice",
						      *r);
	}
	if (n < CTIP_PASSWORD_MIN || n > CTIP_PASSWORD_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "password",
				      "password: %d to %d characters",
				      CTIP_PASSWORD_MIN, CTIP_PASSWORD_MAX);
	if (crypto_pwhash_str(hash, password, n,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "could not hash the password: out of "
				    "memory");
	ctip_now(now);
	rc = st->ops->user_insert(out, st, username, display_name, org_unit_id,
				  hash, roles, now, err);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

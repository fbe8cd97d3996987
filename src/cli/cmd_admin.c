/* cmd_admin.c: `ctip user ...`, `ctip org ...`, `ctip token create` and
 * `ctip audit verify`: account administration at the shell, audited as
 * "system". */
#include "cli/cli.h"
#include "core/auth.h"
#include "core/authz.h"
#include "core/org.h"
#include "core/person.h"
#include "core/setup.h"

#include <sodium.h>

/* Open the database and its key file (checked to belong together). */
static int
open_both(struct ctip_store **st, struct ctip_keyring *kr, const char *db,
	  const char *key)
{
	struct ctip_err err = { 0 };

	if (ctip_store_open(st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	if (ctip_keyring_load(kr, key, &err) != CTIP_OK ||
	    ctip_key_check(*st, kr, &err) != CTIP_OK) {
		(*st)->ops->close(*st);
		ctip_keyring_wipe(kr);
		return ctip_cli_fail(&err);
	}
	return CTIP_EXIT_OK;
}

static void
close_both(struct ctip_store *st, struct ctip_keyring *kr)
{
	st->ops->close(st);
	ctip_keyring_wipe(kr);
}

static int
find_user(int64_t *id, struct ctip_store *st, const char *name)
{
	struct ctip_user_row u;
	struct ctip_err err = { 0 };
	struct ctip_arena a;
	int rc;

	ctip_arena_init(&a, 1 << 16);
	rc = st->ops->user_find(&u, st, name, &a, &err);
	if (rc == CTIP_ENOTFOUND)
		ctip_err_set(&err, CTIP_ENOTFOUND, "no user \"%s\"", name);
	if (rc == CTIP_OK)
		*id = u.id;
	ctip_arena_free(&a);
	return rc == CTIP_OK ? CTIP_EXIT_OK : ctip_cli_fail(&err);
}

/*
 * Split the comma-separated role list into names (each a role of
 * authz.c, at most CTIP_NELEM(names) - 1 of them) and a NULL after them.
 * Prints one line naming the bad role and returns CTIP_EXIT_INPUT when a
 * name is empty or unknown: ctip_roles_parse() would skip it silently.
 */
static int
split_roles(char names[][32], const char **roles, size_t cap, const char *list)
{
	size_t len, n = 0, i;
	const char *p = list;
	unsigned bit;

	for (;;) {
		len = strcspn(p, ",");
		if (len == 0) {
			fprintf(stderr,
				"ctip user add: --roles \"%s\": role %zu is "
				"empty\n",
				list, n + 1);
			return CTIP_EXIT_INPUT;
		}
		if (len >= sizeof(names[0]))
			bit = 0;
		else {
			memcpy(names[n], p, len);
			names[n][len] = '\0';
			bit = ctip_role_bit(names[n]);
		}
		if (bit == 0) {
			fprintf(stderr,
				"ctip user add: --roles: unknown role "
				"\"%.*s%s\"; the roles are",
				(int)(len > 64 ? 64 : len), p,
				len > 64 ? "..." : "");
			for (i = 0; ctip_role_name(1u << i) != NULL; i++)
				fprintf(stderr, "%s %s", i > 0 ? "," : "",
					ctip_role_name(1u << i));
			fprintf(stderr, "\n");
			return CTIP_EXIT_INPUT;
		}
		roles[n] = names[n];
		n++;
		p += len;
		if (*p == '\0')
			break;
		p++; /* the comma */
		if (n == cap - 1) {
			fprintf(stderr,
				"ctip user add: --roles: more than "
				"%zu roles\n",
				cap - 1);
			return CTIP_EXIT_INPUT;
		}
	}
	roles[n] = NULL;
	return CTIP_EXIT_OK;
}

int
ctip_cmd_user_add(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const char *name = NULL, *agency = "POLICE", *admin = NULL;
	const char *roles_arg = NULL;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ "name", "TEXT", "display name (required)", &name, NULL },
		{ "agency", "CODE", "agency of the user's unit", &agency,
		  NULL },
		{ "admin-code", "CODE",
		  "the unit's place: VN, a province or a commune code "
		  "(required)",
		  &admin, NULL },
		{ "roles", "LIST",
		  "comma-separated roles, e.g. case_worker,supervisor "
		  "(required)",
		  &roles_arg, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	char password[CTIP_PASSWORD_GEN_LEN + 1], now[24], names[16][32];
	const char *roles[16];
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	char *pos[1];
	int64_t unit, id;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((rc = ctip_cli_one_arg(cmd, n, "the USERNAME")) != 0)
		return rc < 0 ? CTIP_EXIT_OK : rc;
	if (name == NULL || admin == NULL || roles_arg == NULL) {
		fprintf(stderr, "ctip user add: --name, --admin-code and "
				"--roles are required\n");
		return CTIP_EXIT_USAGE;
	}
	if ((rc = split_roles(names, roles, CTIP_NELEM(roles), roles_arg)) !=
	    CTIP_EXIT_OK)
		return rc;
	if ((rc = open_both(&st, &kr, db, key)) != CTIP_EXIT_OK)
		return rc;
	ctip_now(now);
	rc = ctip_org_add(&unit, st, agency, admin, now, &err);
	if (rc == CTIP_OK)
		rc = ctip_account_create(&id, password, st, &kr, NULL, pos[0],
					 name, unit, roles, &err);
	close_both(st, &kr);
	if (rc != CTIP_OK)
		return ctip_cli_fail(&err);
	printf("ctip: created user %s (id %lld)\n  one-time password: %s\n"
	       "  (shown only now; it must be changed at first login)\n",
	       pos[0], (long long)id, password);
	sodium_memzero(password, sizeof(password));
	return CTIP_EXIT_OK;
}

int
ctip_cmd_user_list(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_user_row *users;
	struct ctip_org_unit_row o;
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	struct ctip_arena a;
	int n, i, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	ctip_arena_init(&a, 64u << 20);
	rc = st->ops->user_list(&users, &n, st, &a, &err);
	for (i = 0; rc == CTIP_OK && i < n; i++) {
		rc = st->ops->org_unit_get(&o, st, users[i].org_unit_id, &a,
					   &err);
		if (rc == CTIP_OK)
			printf("%-20s %-9s %-30s %s\n", users[i].username,
			       users[i].disabled ? "disabled" : "active",
			       users[i].roles, o.name);
	}
	st->ops->close(st);
	ctip_arena_free(&a);
	return rc == CTIP_OK ? CTIP_EXIT_OK : ctip_cli_fail(&err);
}

static int
user_change(const struct ctip_cmd *cmd, int argc, char **argv, bool reset)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	char password[CTIP_PASSWORD_GEN_LEN + 1];
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	char *pos[1];
	int64_t id;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((rc = ctip_cli_one_arg(cmd, n, "the USERNAME")) != 0)
		return rc < 0 ? CTIP_EXIT_OK : rc;
	if ((rc = open_both(&st, &kr, db, key)) != CTIP_EXIT_OK)
		return rc;
	if ((rc = find_user(&id, st, pos[0])) != CTIP_EXIT_OK) {
		close_both(st, &kr);
		return rc;
	}
	rc = reset ? ctip_account_reset_password(password, st, &kr, NULL, id,
						 &err)
		   : ctip_account_disable(st, &kr, NULL, id, &err);
	close_both(st, &kr);
	if (rc != CTIP_OK)
		return ctip_cli_fail(&err);
	if (reset)
		printf("ctip: new one-time password of %s: %s\n", pos[0],
		       password);
	else
		printf("ctip: disabled %s and ended its sessions\n", pos[0]);
	sodium_memzero(password, sizeof(password));
	return CTIP_EXIT_OK;
}

int
ctip_cmd_user_disable(const struct ctip_cmd *cmd, int argc, char **argv)
{
	return user_change(cmd, argc, argv, false);
}

int
ctip_cmd_user_reset(const struct ctip_cmd *cmd, int argc, char **argv)
{
	return user_change(cmd, argc, argv, true);
}

int
ctip_cmd_org_add(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *agency = NULL, *admin = NULL;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "agency", "CODE", "agency code, e.g. POLICE (required)",
		  &agency, NULL },
		{ "admin-code", "CODE",
		  "VN, a province or a commune code (required)", &admin, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_org_unit_row o;
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	struct ctip_arena a;
	char now[24];
	int64_t id;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (agency == NULL || admin == NULL) {
		fprintf(stderr, "ctip org add: --agency and --admin-code are "
				"required\n");
		return CTIP_EXIT_USAGE;
	}
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	ctip_now(now);
	ctip_arena_init(&a, 1 << 16);
	rc = ctip_org_add(&id, st, agency, admin, now, &err);
	if (rc == CTIP_OK)
		rc = st->ops->org_unit_get(&o, st, id, &a, &err);
	if (rc == CTIP_OK)
		printf("%lld\t%s\n", (long long)o.id, o.name);
	st->ops->close(st);
	ctip_arena_free(&a);
	return rc == CTIP_OK ? CTIP_EXIT_OK : ctip_cli_fail(&err);
}

int
ctip_cmd_org_list(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db();
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_org_unit_row *units;
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	struct ctip_arena a;
	int n, i, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK)
		return ctip_cli_fail(&err);
	ctip_arena_init(&a, 256u << 20);
	rc = st->ops->org_unit_list(&units, &n, st, &a, &err);
	for (i = 0; rc == CTIP_OK && i < n; i++)
		printf("%lld\t%s\t%s\t%s\n", (long long)units[i].id,
		       units[i].agency, units[i].admin_code, units[i].name);
	st->ops->close(st);
	ctip_arena_free(&a);
	return rc == CTIP_OK ? CTIP_EXIT_OK : ctip_cli_fail(&err);
}

int
ctip_cmd_token_create(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const char *name = NULL;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ "name", "TEXT", "what the token is for (required)", &name,
		  NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	char token[CTIP_TOKEN_LEN + 6];
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	char *pos[1];
	int64_t user, id;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((rc = ctip_cli_one_arg(cmd, n, "the USERNAME")) != 0)
		return rc < 0 ? CTIP_EXIT_OK : rc;
	if (name == NULL) {
		fprintf(stderr, "ctip token create: --name is required\n");
		return CTIP_EXIT_USAGE;
	}
	if ((rc = open_both(&st, &kr, db, key)) != CTIP_EXIT_OK)
		return rc;
	if ((rc = find_user(&user, st, pos[0])) != CTIP_EXIT_OK) {
		close_both(st, &kr);
		return rc;
	}
	rc = ctip_token_create(&id, token, st, &kr, NULL, user, name, &err);
	close_both(st, &kr);
	if (rc != CTIP_OK)
		return ctip_cli_fail(&err);
	printf("ctip: token %lld for %s (shown only now; send it as "
	       "\"Authorization: Bearer TOKEN\"):\n%s\n",
	       (long long)id, pos[0], token);
	sodium_memzero(token, sizeof(token));
	return CTIP_EXIT_OK;
}

/* Whether row id of the log still has the mac hex recorded earlier. */
static int
check_head(struct ctip_store *st, const char *head)
{
	struct ctip_audit_filter f = { 0 };
	struct ctip_audit_row *rows;
	struct ctip_err err = { 0 };
	struct ctip_arena a;
	char hex[65], *end;
	long long id;
	int n, rc;

	id = strtoll(head, &end, 10);
	if (id <= 0 || *end != ':' || strlen(end + 1) != 16) {
		fprintf(stderr, "ctip audit verify: --head must be ID:MAC as "
				"printed by an earlier run\n");
		return CTIP_EXIT_USAGE;
	}
	ctip_arena_init(&a, 1 << 20);
	f.before_id = id + 1;
	f.limit = 1;
	rc = st->ops->audit_list(&rows, &n, st, &f, &a, &err);
	if (rc == CTIP_OK && (n == 0 || rows[0].id != id)) {
		fprintf(stderr,
			"ctip: audit log broken: entry %lld, recorded "
			"earlier as the head, is gone (entries were "
			"removed from the end)\n",
			id);
		rc = -1;
	} else if (rc == CTIP_OK) {
		sodium_bin2hex(hex, sizeof(hex), rows[0].mac, 8);
		if (strcmp(hex, end + 1) != 0) {
			fprintf(stderr,
				"ctip: audit log broken: entry %lld "
				"differs from the head recorded "
				"earlier\n",
				id);
			rc = -1;
		}
	}
	ctip_arena_free(&a);
	if (rc > 0 || rc < -1)
		return ctip_cli_fail(&err);
	return rc == -1 ? CTIP_EXIT_FAIL : CTIP_EXIT_OK;
}

int
ctip_cmd_audit_verify(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *key = ctip_default_key();
	const char *head = NULL;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database", &db, NULL },
		{ "key", "FILE", "key file", &key, NULL },
		{ "head", "ID:MAC",
		  "a head printed by an earlier run: fail if it is gone "
		  "(entries removed from the end)",
		  &head, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_keyring kr;
	struct ctip_store *st;
	unsigned char mac[32];
	char hex[17];
	int64_t bad, last;
	long rows;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, NULL, 0);
	if (n != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if ((rc = open_both(&st, &kr, db, key)) != CTIP_EXIT_OK)
		return rc;
	rc = ctip_audit_verify(&bad, &rows, st, &kr, &err);
	if (rc == CTIP_OK)
		rc = st->ops->audit_last(&last, mac, st, &err);
	if (rc != CTIP_OK) {
		close_both(st, &kr);
		return ctip_cli_fail(&err);
	}
	if (bad != 0) {
		close_both(st, &kr);
		fprintf(stderr,
			"ctip: audit log broken at entry %lld: it was changed, "
			"removed or inserted after it was written (%ld "
			"entries checked)\n",
			(long long)bad, rows);
		return CTIP_EXIT_FAIL;
	}
	if (head != NULL && (rc = check_head(st, head)) != CTIP_EXIT_OK) {
		close_both(st, &kr);
		return rc;
	}
	close_both(st, &kr);
	sodium_bin2hex(hex, sizeof(hex), mac, 8);
	printf("ctip: audit log intact (%ld entries); head %lld:%s\n"
	       "  (record the head elsewhere; \"--head %lld:%s\" later "
	       "proves no entry was removed from the end)\n",
	       rows, (long long)last, hex, (long long)last, hex);
	return CTIP_EXIT_OK;
}

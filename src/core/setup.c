/* setup.c: `ctip init`. */
#include "core/setup.h"
#include "core/org.h"
#include "core/synth.h"
#include "util/crypto.h"
#include "util/fs.h"

#include <sodium.h>
#include <unistd.h>

/*
 * Every data key of kr must be the one of its id the database knows
 * (meta "key_check.<id>", recorded when a key is first seen), and every
 * key the database knows must be in kr ("key_ids"): a file with a wrong
 * data key would seal records no right file opens, and one that lacks
 * a key could not open what it sealed.
 */
static enum ctip_status
check_data_keys(struct ctip_store *st, const struct ctip_keyring *kr,
		struct ctip_arena *a, struct ctip_err *err)
{
	unsigned char fp[CTIP_BLIND_BYTES];
	char hex[2 * CTIP_BLIND_BYTES + 1], name[32], ids[16 * 11 + 1];
	const char *p;
	char *have = NULL, *known = NULL, *end;
	enum ctip_status rc;
	size_t len = 0;
	unsigned long id;
	int i;

	rc = st->ops->meta_get(&known, st, "key_ids", a, err);
	if (rc == CTIP_ENOTFOUND) {
		known = "";
		rc = CTIP_OK;
	}
	for (p = known; rc == CTIP_OK && *p != '\0'; p = *end ? end + 1 : end) {
		id = strtoul(p, &end, 10);
		for (i = 0; i < kr->n_keys && kr->ids[i] != id; i++)
			;
		if (i == kr->n_keys)
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "the key file lacks key %lu, which "
					  "sealed data in this database: use "
					  "its newest key file",
					  id);
	}
	for (i = 0; rc == CTIP_OK && i < kr->n_keys; i++) {
		ctip_key_fingerprint(fp, kr, i);
		sodium_bin2hex(hex, sizeof(hex), fp, sizeof(fp));
		snprintf(name, sizeof(name), "key_check.%u",
			 (unsigned)kr->ids[i]);
		rc = st->ops->meta_get(&have, st, name, a, err);
		if (rc == CTIP_ENOTFOUND)
			rc = st->ops->meta_set(st, name, hex, err);
		else if (rc == CTIP_OK && strcmp(have, hex) != 0)
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "key %u of the key file is not the "
					  "one this database was sealed with: "
					  "use the key file created with it",
					  (unsigned)kr->ids[i]);
		len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s%u",
					i ? "," : "", (unsigned)kr->ids[i]);
	}
	if (rc == CTIP_OK && strcmp(known, ids) != 0)
		rc = st->ops->meta_set(st, "key_ids", ids, err);
	return rc;
}

enum ctip_status
ctip_key_check(struct ctip_store *st, const struct ctip_keyring *kr,
	       struct ctip_err *err)
{
	unsigned char fp[CTIP_BLIND_BYTES];
	char hex[2 * CTIP_BLIND_BYTES + 1];
	struct ctip_arena a;
	char *have = NULL;
	enum ctip_status rc;

	ctip_blind(fp, kr, "key_check", "ctip key file fingerprint v1");
	sodium_bin2hex(hex, sizeof(hex), fp, sizeof(fp));
	/* One write transaction: two processes seeing a new key at once
	 * record one fingerprint, and the second compares with it. */
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 4096);
	rc = st->ops->meta_get(&have, st, "key_check", &a, err);
	if (rc == CTIP_ENOTFOUND)
		rc = st->ops->meta_set(st, "key_check", hex, err);
	else if (rc == CTIP_OK && strcmp(have, hex) != 0)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "the key file does not belong to this "
				  "database: use the key file created with it");
	if (rc == CTIP_OK)
		rc = check_data_keys(st, kr, &a, err);
	ctip_arena_free(&a);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_setup_demo(struct ctip_import_stats *out, struct ctip_store *st,
		const struct ctip_keyring *kr, long n, uint64_t seed,
		struct ctip_err *err)
{
	struct ctip_synth_record *r = ctip_xmalloc(sizeof(*r));
	struct ctip_commune *communes;
	struct ctip_synth g;
	struct ctip_arena a;
	struct ctip_buf b;
	enum ctip_status rc;
	char line[32];
	int n_communes;
	long i;

	ctip_arena_init(&a, 16u << 20);
	ctip_buf_init(&b, (size_t)1 << 30);
	rc = st->ops->communes(&communes, &n_communes, st, &a, err);
	if (rc == CTIP_OK && n_communes == 0)
		rc = ctip_err_set(err, CTIP_EINVAL,
				  "no communes: load the reference data first");
	if (rc != CTIP_OK)
		goto out;
	ctip_synth_init(&g, seed, communes, n_communes);
	rc = ctip_buf_printf(&b, "%s\n", ctip_import_header);
	for (i = 0; i < n && rc == CTIP_OK; i++) {
		ctip_synth_next(&g, r);
		rc = ctip_synth_csv(&b, r);
	}
	if (rc != CTIP_OK) {
		rc = ctip_err_set(err, CTIP_ETOOBIG, "demo dataset too large");
		goto out;
	}
	rc = ctip_import_persons(out, st, kr, b.data, b.len, "POLICE", true,
				 err);
	if (rc == CTIP_OK) {
		snprintf(line, sizeof(line), "%ld", out->persons);
		rc = st->ops->meta_set(st, "demo_persons", line, err);
	}
out:
	free(r);
	ctip_buf_free(&b);
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_setup_init(struct ctip_init_result *out, const struct ctip_init_opts *o,
		struct ctip_err *err)
{
	static const char *const admin_roles[] = { "administrator", NULL };
	struct ctip_store *st = NULL;
	struct ctip_keyring kr;
	enum ctip_status rc;
	int64_t unit, user;
	char now[24];
	int applied;

	memset(out, 0, sizeof(*out));
	memset(&kr, 0, sizeof(kr));
	if (access(o->db_path, F_OK) == 0)
		return ctip_err_set(err, CTIP_EEXIST,
				    "database \"%s\" already exists: use "
				    "\"ctip migrate\" to upgrade it",
				    o->db_path);
	if (access(o->key_path, F_OK) != 0) {
		if ((rc = ctip_keyring_create(o->key_path, err)) != CTIP_OK)
			return rc;
		out->key_created = true;
	}
	rc = ctip_keyring_load(&kr, o->key_path, err);
	if (rc == CTIP_OK)
		rc = ctip_fs_mkparent(o->db_path, err);
	if (rc == CTIP_OK)
		rc = ctip_store_open(&st, o->db_path, CTIP_OPEN_CREATE, err);
	if (rc == CTIP_OK)
		rc = st->ops->migrate(&applied, st, err);
	if (rc == CTIP_OK)
		rc = ctip_key_check(st, &kr, err);
	if (rc == CTIP_OK)
		rc = ctip_refdata_load(st, o->data_dir, err);
	if (rc == CTIP_OK)
		rc = ctip_refdata_stats(&out->ref, st, err);
	ctip_now(now);
	if (rc == CTIP_OK)
		rc = ctip_org_ensure(&unit, st, "POLICE", "VN", now, err);
	ctip_password_generate(out->admin_password);
	if (rc == CTIP_OK)
		rc = ctip_user_create(&user, st, o->admin, "Quản trị hệ thống",
				      unit, out->admin_password, admin_roles,
				      err);
	if (rc == CTIP_OK && o->demo_persons > 0)
		rc = ctip_setup_demo(&out->demo, st, &kr, o->demo_persons,
				     o->demo_seed, err);
	/* Only with the demo persons: casework without them would be the
	 * one made-up thing in a real database. */
	if (rc == CTIP_OK && o->demo_persons > 0 && o->demo_records)
		rc = ctip_setup_demo_records(&out->records, st, &kr,
					     o->demo_seed, err);
	if (st != NULL)
		st->ops->close(st);
	ctip_keyring_wipe(&kr);
	if (rc != CTIP_OK) {
		char side[4200];

		unlink(o->db_path);
		snprintf(side, sizeof(side), "%s-wal", o->db_path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", o->db_path);
		unlink(side);
		if (out->key_created)
			unlink(o->key_path);
		sodium_memzero(out->admin_password,
			       sizeof(out->admin_password));
	}
	return rc;
}

/* setup.h: `ctip init`: a new database with reference data, a key file, an
 * administrator and optionally the synthetic demo dataset. */
#ifndef CTIP_SETUP_H
#define CTIP_SETUP_H

#include "core/account.h"
#include "core/demo.h"
#include "core/import.h"
#include "core/refdata.h"

struct ctip_init_opts {
	const char *db_path;  /* SQLite file; must not exist */
	const char *key_path; /* key file; created unless it exists */
	const char *data_dir; /* reference data */
	const char *admin;    /* administrator's username */
	long demo_persons;    /* 0 for no demo data */
	uint64_t demo_seed;
	bool demo_records; /* and demo casework (core/demo.h), with persons */
};

struct ctip_init_result {
	char admin_password[CTIP_PASSWORD_GEN_LEN + 1]; /* one-time */
	bool key_created; /* false when an existing key file was used */
	struct ctip_ref_stats ref;
	struct ctip_import_stats demo;
	struct ctip_demo_records records; /* zero unless demo_records */
};

/*
 * Create and fill a new database. On any failure nothing is left behind:
 * the database (and the key file, if this call created it) is removed.
 * CTIP_EEXIST if the database already exists.
 */
CTIP_MUST_CHECK enum ctip_status ctip_setup_init(struct ctip_init_result *out,
						 const struct ctip_init_opts *o,
						 struct ctip_err *err);

/*
 * Check that kr is the key file of this database: the first check records
 * a keyed fingerprint in the database (meta "key_check"), and one of each
 * data key when it is first seen (a rotation adds one); later ones compare
 * with them. CTIP_EINVAL if kr belongs to another database, holds another
 * key under a known id, or lacks a key the database knows, so no identity
 * field is ever sealed under a key the database cannot open.
 */
CTIP_MUST_CHECK enum ctip_status ctip_key_check(struct ctip_store *st,
						const struct ctip_keyring *kr,
						struct ctip_err *err);

/* Generate n synthetic persons with seed and import them as demo data,
 * owned by the commune police of their commune. */
CTIP_MUST_CHECK enum ctip_status ctip_setup_demo(struct ctip_import_stats *out,
						 struct ctip_store *st,
						 const struct ctip_keyring *kr,
						 long n, uint64_t seed,
						 struct ctip_err *err);

#endif

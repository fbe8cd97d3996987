/* store.h: the storage interface. core sees only this header; each backend
 * (store_sqlite.c now, PostgreSQL later) fills in a struct ctip_store_ops.
 * All SQL lives below src/store/. */
#ifndef CTIP_STORE_H
#define CTIP_STORE_H

#include "util/arena.h"
#include "util/err.h"

/* Reference tables, loaded from data/ by core/refdata.c. */
enum ctip_ref_kind {
	CTIP_REF_ADMIN_UNIT,
	CTIP_REF_ETHNIC_GROUP,
	CTIP_REF_COUNTRY,
	CTIP_REF_PURPOSE,
	CTIP_REF_SUPPORT_TYPE,
	CTIP_REF_SUPPORT_ENTITLEMENT,
	CTIP_REF_SUPPORT_AMOUNT,
	CTIP_REF_INTAKE_CHANNEL,
	CTIP_REF_AGENCY,
	CTIP_REF_N_KINDS
};

/* Tables whose rows `ctip_store_ops.count` can count. */
enum ctip_count_kind {
	CTIP_COUNT_PROVINCES,
	CTIP_COUNT_COMMUNES,
	CTIP_COUNT_ORG_UNITS,
	CTIP_COUNT_USERS,
	CTIP_COUNT_PERSONS,
	CTIP_COUNT_EVENTS,
	CTIP_COUNT_N_KINDS
};

/* A person row as stored: identity fields already sealed by core. */
struct ctip_person_row {
	int64_t owner_unit_id;
	const char *province_code;
	const char *commune_code; /* NULL when unknown */
	const char *role;         /* victim, under_identification, ... */
	int64_t accompanies_id;   /* 0 unless role is accompanying_minor */
	const char *sex;          /* F, M or U */
	const char *birth_date;   /* yyyy-mm-dd or NULL */
	int birth_year;           /* 0 when unknown */
	const char *ethnicity_code;
	const char *nationality; /* ISO alpha-2 or NULL */
	const char *citizenship;
	const unsigned char *name_bidx;          /* CTIP_BLIND_BYTES */
	const unsigned char *const *name_tokens; /* CTIP_BLIND_BYTES each */
	int n_name_tokens;
	const unsigned char *name_enc;
	size_t name_enc_len;
	const unsigned char *citizen_id_enc; /* NULL when none */
	size_t citizen_id_enc_len;
	const unsigned char *citizen_id_bidx; /* CTIP_BLIND_BYTES or NULL */
	const unsigned char *phone_enc;
	size_t phone_enc_len;
	const unsigned char *phone_bidx;
	const unsigned char *address_enc;
	size_t address_enc_len;
	bool is_demo;
	const char *now;    /* timestamp for created_at/updated_at */
	int64_t created_by; /* 0 for a system import */
};

/* A trafficking event row with its purposes. */
struct ctip_event_row {
	int64_t person_id;
	const char *province_code;
	bool abroad;
	const char *destination_country; /* NULL when domestic or unknown */
	const char *recruitment_means;
	const char *recruited_on;
	const char *exploited_from;
	const char *exploited_to;
	const char *discovery;
	const char *discovered_on;
	const char *const *purposes; /* purpose codes */
	int n_purposes;
	const char *now;
	int64_t created_by;
};

/* One admin unit (province, commune or the nation). */
struct ctip_admin_unit {
	const char *code;          /* in the caller's arena */
	const char *level;         /* nation, province or commune */
	const char *name;          /* "An Phú" */
	const char *full_name;     /* "Xã An Phú" */
	const char *province_code; /* NULL unless a commune */
};

/* A commune with its province, for generators and pickers. */
struct ctip_commune {
	const char *code;          /* in the caller's arena */
	const char *province_code; /* in the caller's arena */
};

struct ctip_store;

/*
 * Every function returns CTIP_OK or a negative status and fills err. Out
 * parameters come first; strings returned live in the arena passed in.
 */
struct ctip_store_ops {
	const char *name; /* "sqlite" or "postgres", for logs and tests */

	/* Apply the migrations not yet applied, in one transaction each;
	 * *applied = how many ran (0 when up to date). */
	int (*migrate)(int *applied, struct ctip_store *st,
		       struct ctip_err *err);
	/* Highest applied migration, 0 for an empty database. */
	int (*schema_version)(int *out, struct ctip_store *st,
			      struct ctip_err *err);
	/* Copy the live database to a new file at path. */
	int (*backup)(struct ctip_store *st, const char *path,
		      struct ctip_err *err);

	/* Bulk mode on or off: a larger cache for one big transaction. */
	int (*bulk)(struct ctip_store *st, bool on, struct ctip_err *err);

	int (*begin)(struct ctip_store *st, struct ctip_err *err);
	int (*commit)(struct ctip_store *st, struct ctip_err *err);
	/* Never fails in a way the caller can act on. */
	void (*rollback)(struct ctip_store *st);

	/* Key/value metadata. meta_get: CTIP_ENOTFOUND when absent. */
	int (*meta_get)(char **out, struct ctip_store *st, const char *key,
			struct ctip_arena *a, struct ctip_err *err);
	int (*meta_set)(struct ctip_store *st, const char *key,
			const char *value, struct ctip_err *err);

	/* Insert or update one reference row; values in the column order of
	 * ctip_ref_columns(kind), NULL for an empty value. */
	int (*ref_upsert)(struct ctip_store *st, enum ctip_ref_kind kind,
			  const char *const *values, struct ctip_err *err);
	int (*ref_count)(long *out, struct ctip_store *st,
			 enum ctip_ref_kind kind, struct ctip_err *err);
	/* *out = whether a row with that code exists (first key column). */
	int (*ref_exists)(bool *out, struct ctip_store *st,
			  enum ctip_ref_kind kind, const char *code,
			  struct ctip_err *err);
	/* Codes of one reference table in code order (first key column). */
	int (*ref_codes)(const char ***out, int *n_out, struct ctip_store *st,
			 enum ctip_ref_kind kind, struct ctip_arena *a,
			 struct ctip_err *err);
	/* The admin unit with that code; CTIP_ENOTFOUND if none. */
	int (*admin_unit_get)(struct ctip_admin_unit *out,
			      struct ctip_store *st, const char *code,
			      struct ctip_arena *a, struct ctip_err *err);
	/* Every commune with its province, in code order. */
	int (*communes)(struct ctip_commune **out, int *n_out,
			struct ctip_store *st, struct ctip_arena *a,
			struct ctip_err *err);

	int (*count)(long *out, struct ctip_store *st,
		     enum ctip_count_kind kind, struct ctip_err *err);

	/* The org unit of agency at admin unit, created with name if
	 * missing. */
	int (*org_unit_ensure)(int64_t *out, struct ctip_store *st,
			       const char *agency, const char *admin_code,
			       const char *name, const char *now,
			       struct ctip_err *err);
	/* A new user; CTIP_EEXIST if the username is taken. roles is a
	 * NULL-terminated list. */
	int (*user_insert)(int64_t *out, struct ctip_store *st,
			   const char *username, const char *display_name,
			   int64_t org_unit_id, const char *password_hash,
			   const char *const *roles, const char *now,
			   struct ctip_err *err);

	int (*person_insert)(int64_t *out, struct ctip_store *st,
			     const struct ctip_person_row *row,
			     struct ctip_err *err);
	int (*event_insert)(int64_t *out, struct ctip_store *st,
			    const struct ctip_event_row *row,
			    struct ctip_err *err);

	void (*close)(struct ctip_store *st);
};

struct ctip_store {
	const struct ctip_store_ops *ops;
};

/* How ctip_store_open treats a database that does not exist yet. */
enum ctip_open_mode {
	CTIP_OPEN_EXISTING, /* CTIP_ENOTFOUND: run `ctip init` first */
	CTIP_OPEN_CREATE,   /* create an empty database */
};

/*
 * Open the database named by url: "sqlite:PATH", a plain PATH (SQLite), or
 * ":memory:". The connection is for one thread at a time. CTIP_ENOTFOUND
 * when it does not exist and mode is CTIP_OPEN_EXISTING, CTIP_ESTORE
 * otherwise. Close with st->ops->close(st).
 */
CTIP_MUST_CHECK enum ctip_status ctip_store_open(struct ctip_store **out,
						 const char *url,
						 enum ctip_open_mode mode,
						 struct ctip_err *err);

/* Backends' open functions (called by ctip_store_open). */
enum ctip_status ctip_store_sqlite_open(struct ctip_store **out,
					const char *path,
					enum ctip_open_mode mode,
					struct ctip_err *err);

/* Column names of a reference kind, in the order ref_upsert takes them;
 * NULL-terminated. The first column is the code looked up by ref_exists. */
const char *const *ctip_ref_columns(enum ctip_ref_kind kind);

/* Human name of a reference kind ("ethnic groups"), for messages. */
const char *ctip_ref_name(enum ctip_ref_kind kind);

/* Machine name of a reference kind ("ethnic_groups"), for JSON keys. */
const char *ctip_ref_key(enum ctip_ref_kind kind);

#endif

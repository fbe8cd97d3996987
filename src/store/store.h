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
	CTIP_REF_INDICATOR,  /* data/indicators/indicators.csv (issue 6) */
	CTIP_REF_KPI_RATE,   /* data/indicators/rates.csv */
	CTIP_REF_FORM,       /* data/forms/forms.csv */
	CTIP_REF_FORM_ROW,   /* data/forms/rows.csv */
	CTIP_REF_RULE,       /* data/forms/rules.csv */
	CTIP_REF_PLAN_ALIAS, /* data/plan-agency-aliases.csv (issue 7) */
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
	const unsigned char *contacts_enc;
	size_t contacts_enc_len;
	bool birth_estimated;      /* birth_year from an estimated age */
	const char *status;        /* received or identified */
	const char *received_on;   /* yyyy-mm-dd */
	const char *verify_due;    /* yyyy-mm-dd or NULL */
	const char *identified_on; /* yyyy-mm-dd or NULL */
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

/* A reference code with its names. */
struct ctip_ref_name {
	const char *code;
	const char *name; /* Vietnamese */
	const char *name_en;
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

/* An org unit with its place. */
struct ctip_org_unit_row {
	int64_t id;
	const char *name;          /* in the caller's arena */
	const char *agency;        /* agency code */
	const char *admin_code;    /* VN, a province or a commune code */
	const char *level;         /* nation, province or commune */
	const char *province_code; /* NULL for the nation */
};

/* A user account as stored. */
struct ctip_user_row {
	int64_t id;
	const char *username; /* in the caller's arena */
	const char *display_name;
	int64_t org_unit_id;
	const char *password_hash;
	const char *roles; /* comma-separated, sorted */
	bool must_change_password;
	bool disabled;
	int failed_logins;
	const char *locked_until; /* timestamp or NULL */
	int version;
};

/* A session as stored (looked up by the hash of its token). */
struct ctip_session_row {
	int64_t user_id;
	const char *csrf_token; /* in the caller's arena */
	const char *last_seen_at;
	const char *expires_at;
};

/* A person as stored: identity sealed, as in struct ctip_person_row. */
struct ctip_person_rec {
	int64_t id;
	int64_t owner_unit_id;
	const char *province_code; /* strings in the caller's arena */
	const char *commune_code;
	const char *role;
	int64_t accompanies_id;
	const char *sex;
	const char *birth_date;
	int birth_year;
	const char *ethnicity_code;
	const char *nationality;
	const char *citizenship;
	const unsigned char *name_enc;
	size_t name_enc_len;
	const unsigned char *citizen_id_enc;
	size_t citizen_id_enc_len;
	const unsigned char *phone_enc;
	size_t phone_enc_len;
	const unsigned char *address_enc;
	size_t address_enc_len;
	const unsigned char *contacts_enc;
	size_t contacts_enc_len;
	bool birth_estimated;
	const char *status; /* received, verifying, identified, ... */
	const char *received_on;
	const char *verify_due;    /* or NULL */
	const char *identified_on; /* or NULL */
	const char *updated_at;
	bool is_demo;
	int version;
};

/*
 * Which persons a search may return: those owned by unit_id, granted to
 * it, and, when province_code is set, all of that province.
 */
struct ctip_person_scope {
	int64_t unit_id;
	const char *province_code; /* or NULL */
};

/* What to search persons by; unset criteria are NULL/0. All set criteria
 * must match. */
struct ctip_person_query {
	const unsigned char *tokens[4]; /* blind name words, n_tokens used */
	int n_tokens;
	const unsigned char *citizen_id_bidx;
	const unsigned char *phone_bidx;
	const char *commune_code;
	const char *status;
	const char *role;
	const char *purpose;           /* a purpose code or its parent's */
	const char *destination;       /* country alpha-2 of an event */
	const char *verify_overdue_on; /* yyyy-mm-dd: verification overdue */
	int limit;                     /* 1..500 */
};

/* One audit log entry. */
struct ctip_audit_row {
	int64_t id; /* the previous row's id + 1 */
	const char *at;
	int64_t user_id; /* 0 when no user (failed login of an unknown name) */
	const char *username;
	int64_t org_unit_id;
	const char *action;      /* "person.read", "session.login", ... */
	const char *object_type; /* "person", "user", "session", ... */
	const char *object_id;
	const char *ip;
	const char *reason;  /* "" when none */
	const char *outcome; /* "ok", "denied", "failed", "locked" */
	unsigned char mac[32];
};

/* Filters of an audit listing; unset ones are 0/NULL. */
struct ctip_audit_filter {
	int64_t before_id; /* only ids below; 0: from the newest */
	const char *username;
	const char *action;
	const char *outcome; /* "ok", "denied", ... or NULL for all */
	int limit;           /* 1..500 */
};

/* A sealed value with its blind index (intake mentions). */
struct ctip_sealed {
	const char *kind; /* "phone" or "name" */
	const unsigned char *enc;
	size_t enc_len;
	const unsigned char *bidx; /* CTIP_BLIND_BYTES */
};

/* An intake as stored; strings and blobs in the caller's arena when read. */
struct ctip_intake_row {
	int64_t id;
	int64_t owner_unit_id;
	const char *province_code;
	const char *commune_code; /* or NULL */
	const char *received_at;
	const char *channel;
	const char *language;
	bool reporter_anonymous;
	const unsigned char *reporter_name_enc;
	size_t reporter_name_enc_len;
	const unsigned char *reporter_phone_enc;
	size_t reporter_phone_enc_len;
	const unsigned char *reporter_phone_bidx;
	const unsigned char *summary_enc;
	size_t summary_enc_len;
	const char *classification; /* or NULL */
	const char *purpose_code;   /* or NULL */
	const char *urgency;
	const char *status;
	const char *classified_at;
	int64_t classified_by;
	const char *deadline; /* NULL when no legal clock */
	const char *extension;
	const char *decision; /* or NULL */
	const unsigned char *decision_note_enc;
	size_t decision_note_enc_len;
	const char *decided_at;
	int64_t decided_by;
	const unsigned char *resolution_enc;
	size_t resolution_enc_len;
	const char *resolved_at;
	int64_t resolved_by;
	const char *idempotency_key;
	const char *created_at;
	int64_t created_by;
	const char *updated_at;
	int version;
	struct ctip_sealed *mentions; /* read back: in the arena */
	int n_mentions;
};

/* Which intakes a listing returns. */
enum ctip_due {
	CTIP_DUE_ALL,     /* every intake, newest first */
	CTIP_DUE_OVERDUE, /* unresolved, deadline passed; oldest deadline first
			   */
	CTIP_DUE_SOON,    /* unresolved, deadline within the window */
};

/* A referral as stored. */
struct ctip_referral_row {
	int64_t id;
	const char *object_type; /* "intake" or "person" */
	int64_t object_id;
	int64_t from_unit_id;
	int64_t to_unit_id;
	const unsigned char *note_enc;
	size_t note_enc_len;
	const char *status; /* sent, accepted, refused, completed, withdrawn */
	const char *sent_at;
	int64_t sent_by;
	const char *ack_due_at;
	const char *responded_at;
	int64_t responded_by;
	const unsigned char *refusal_reason_enc;
	size_t refusal_reason_enc_len;
	const char *closed_at;
	int64_t closed_by;
	int version;
};

/* Which intakes a KPI counts: received in [from, to), of one unit
 * (unit_id), or of one province (province_code), or all (neither). */
struct ctip_kpi_filter {
	int64_t unit_id;           /* 0: not by unit */
	const char *commune_code;  /* NULL: not by commune (intakes: by
				      their place, like the statistics) */
	const char *province_code; /* NULL: not by province */
	const char *from, *to;     /* timestamps */
};

/* Counts behind the intake KPIs. */
struct ctip_intake_counts {
	long received, classified, resolved;
	long tips, tips_classified, tips_resolved, tips_in_time;
	long referred; /* intakes referred at least once */
};

/* A criminal case as stored (issue 4 opens leads; issue 5 the rest). */
struct ctip_case_row {
	int64_t id;
	int64_t owner_unit_id;
	const char *province_code;
	const char *stage;
	const char *article; /* "150", "151", "other" or NULL */
	const unsigned char *title_enc;
	size_t title_enc_len;
	const char *created_at;
	int64_t created_by;
	int version;
};

struct ctip_casework_ops;
struct ctip_case_ops;
struct ctip_stats_ops;

/* Every sealed (encrypted) column, for key rotation. */
enum ctip_sealed_column {
	CTIP_SEALED_PERSON_NAME,
	CTIP_SEALED_PERSON_CITIZEN_ID,
	CTIP_SEALED_PERSON_PHONE,
	CTIP_SEALED_PERSON_ADDRESS,
	CTIP_SEALED_PERSON_CONTACTS,
	CTIP_SEALED_INTAKE_REPORTER_NAME,
	CTIP_SEALED_INTAKE_REPORTER_PHONE,
	CTIP_SEALED_INTAKE_SUMMARY,
	CTIP_SEALED_INTAKE_DECISION_NOTE,
	CTIP_SEALED_INTAKE_RESOLUTION,
	CTIP_SEALED_INTAKE_MENTION,
	CTIP_SEALED_REFERRAL_NOTE,
	CTIP_SEALED_REFERRAL_REFUSAL,
	CTIP_SEALED_CASE_TITLE,
	CTIP_SEALED_CASE_NOTE,
	CTIP_SEALED_OFFENDER_NAME,
	CTIP_SEALED_OFFENDER_CITIZEN_ID,
	CTIP_SEALED_STEP_REASON,
	CTIP_SEALED_STEP_DOC_NUMBER,
	CTIP_SEALED_CONSENT_REPRESENTATIVE,
	CTIP_SEALED_CONSENT_WITHDRAWAL,
	CTIP_SEALED_SERVICE_NOTE,
	CTIP_SEALED_SERVICE_OVERRIDE,
	CTIP_SEALED_PROTECTION_NOTE,
	CTIP_SEALED_FOLLOW_UP_NOTE,
	CTIP_SEALED_N_COLUMNS
};

/* Given a sealed value (n bytes), set *out to its replacement (*out_n
 * bytes, valid until the next call) or NULL to keep it. */
typedef int (*ctip_reseal_fn)(const unsigned char **out, size_t *out_n,
			      const unsigned char *blob, size_t n, void *arg,
			      struct ctip_err *err);

typedef int (*ctip_audit_visit_fn)(const struct ctip_audit_row *row, void *arg);

struct ctip_store;

/*
 * Every function returns CTIP_OK or a negative status and fills err. Out
 * parameters come first; strings returned live in the arena passed in.
 */
struct ctip_store_ops {
	const char *name; /* "sqlite" or "postgres", for logs and tests */

	/* Apply the migrations not yet applied, then check the schema
	 * (schema_check), all in one transaction: a failed migration or a
	 * schema that differs changes nothing. *applied = how many ran (0
	 * when up to date). When one ran, meta refdata_digest is deleted in
	 * that transaction: the reference data count as not loaded until
	 * they are loaded again (`ctip migrate`). */
	int (*migrate)(int *applied, struct ctip_store *st,
		       struct ctip_err *err);
	/* Check that the database's schema is exactly the one the
	 * migrations make on an empty database (tables, indexes and
	 * triggers, by their definitions), changing nothing: CTIP_OK, or
	 * CTIP_ESTORE whose message names the first difference ("table
	 * intake_person is missing", "table access_grant differs from
	 * ctip's definition") and how many more there are. migrate runs it
	 * before it commits and refuses a database that differs; `ctip
	 * serve` runs it at start. */
	int (*schema_check)(struct ctip_store *st, struct ctip_err *err);
	/* Highest applied migration, 0 for an empty database. */
	int (*schema_version)(int *out, struct ctip_store *st,
			      struct ctip_err *err);
	/* Copy the live database to a new file at path: one snapshot,
	 * written under a temporary name and renamed when complete. */
	int (*backup)(struct ctip_store *st, const char *path,
		      struct ctip_err *err);
	/* CTIP_ESTORE, naming the file and the cause, if the database
	 * cannot be written (a read-only file, directory or -shm); a busy
	 * database is writable. */
	int (*writable)(struct ctip_store *st, struct ctip_err *err);

	/* Bulk mode on or off, outside a transaction: a larger cache for
	 * one big transaction, and foreign keys not enforced, so the caller
	 * writes only references it has checked. */
	int (*bulk)(struct ctip_store *st, bool on, struct ctip_err *err);
	/*
	 * Inside a bulk load's transaction: when drop, and when there are no
	 * persons yet (a first load), drop the secondary indexes of persons
	 * and events; when not drop, create them again (one sorted build
	 * each, instead of a random insert per row). A rollback brings them
	 * back as they were.
	 */
	int (*load_indexes)(struct ctip_store *st, bool drop,
			    struct ctip_err *err);

	int (*begin)(struct ctip_store *st, struct ctip_err *err);
	/* A read-only transaction (on) and its end (off): the reads between
	 * see one state of the database. Not inside a write transaction. */
	int (*read_snapshot)(struct ctip_store *st, bool on,
			     struct ctip_err *err);
	int (*commit)(struct ctip_store *st, struct ctip_err *err);
	/* Map the database for reading (on), or not (off, as opened):
	 * for a connection that counts over many records, not for one that
	 * serves short reads while others write. A second connection
	 * (open_again) is mapped like the first. */
	int (*map)(struct ctip_store *st, bool on, struct ctip_err *err);
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
	/* Delete every row of a kind that is loaded whole (form rows,
	 * validation rules), so that a row removed from its file goes;
	 * nothing for the other kinds. */
	int (*ref_clear)(struct ctip_store *st, enum ctip_ref_kind kind,
			 struct ctip_err *err);
	int (*ref_count)(long *out, struct ctip_store *st,
			 enum ctip_ref_kind kind, struct ctip_err *err);
	/* *out = whether a row with that code exists (first key column). */
	int (*ref_exists)(bool *out, struct ctip_store *st,
			  enum ctip_ref_kind kind, const char *code,
			  struct ctip_err *err);
	/* *out = the levels at which agency has units, as in
	 * data/agencies.csv ("commune|province|national"); CTIP_ENOTFOUND
	 * for an unknown agency. */
	int (*agency_levels)(const char **out, struct ctip_store *st,
			     const char *agency, struct ctip_arena *a,
			     struct ctip_err *err);
	/* Codes of one reference table in code order (first key column). */
	int (*ref_codes)(const char ***out, int *n_out, struct ctip_store *st,
			 enum ctip_ref_kind kind, struct ctip_arena *a,
			 struct ctip_err *err);
	/* Codes with their names, for pickers: admin units (the provinces,
	 * or with parent the communes of that province), ethnic groups or
	 * countries; CTIP_EINVAL for another kind. */
	int (*ref_names)(struct ctip_ref_name **out, int *n_out,
			 struct ctip_store *st, enum ctip_ref_kind kind,
			 const char *parent, struct ctip_arena *a,
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

	/* The org unit of agency at admin_code; CTIP_ENOTFOUND if none. */
	int (*org_unit_find)(int64_t *out, struct ctip_store *st,
			     const char *agency, const char *admin_code,
			     struct ctip_err *err);
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

	/* Org units: one by id, or all of them (CTIP_ENOTFOUND if none). */
	int (*org_unit_get)(struct ctip_org_unit_row *out,
			    struct ctip_store *st, int64_t id,
			    struct ctip_arena *a, struct ctip_err *err);
	int (*org_unit_list)(struct ctip_org_unit_row **out, int *n_out,
			     struct ctip_store *st, struct ctip_arena *a,
			     struct ctip_err *err);

	/* Users: by id or by username; CTIP_ENOTFOUND when absent. */
	int (*user_get)(struct ctip_user_row *out, struct ctip_store *st,
			int64_t id, struct ctip_arena *a, struct ctip_err *err);
	int (*user_find)(struct ctip_user_row *out, struct ctip_store *st,
			 const char *username, struct ctip_arena *a,
			 struct ctip_err *err);
	int (*user_list)(struct ctip_user_row **out, int *n_out,
			 struct ctip_store *st, struct ctip_arena *a,
			 struct ctip_err *err);
	/* Record a login attempt's effect on the throttle. */
	int (*user_set_login_state)(struct ctip_store *st, int64_t id,
				    int failed_logins, const char *locked_until,
				    struct ctip_err *err);
	int (*user_set_password)(struct ctip_store *st, int64_t id,
				 const char *hash, bool must_change,
				 const char *now, struct ctip_err *err);
	int (*user_set_disabled)(struct ctip_store *st, int64_t id,
				 bool disabled, const char *now,
				 struct ctip_err *err);

	/* Sessions, keyed by a hash of their token (32 bytes). */
	int (*session_insert)(struct ctip_store *st,
			      const unsigned char *token_hash, int64_t user_id,
			      const char *csrf_token, const char *now,
			      const char *expires_at, const char *ip,
			      struct ctip_err *err);
	int (*session_get)(struct ctip_session_row *out, struct ctip_store *st,
			   const unsigned char *token_hash,
			   struct ctip_arena *a, struct ctip_err *err);
	/* The session, its user and the user's unit in one look-up (every
	 * request makes it). */
	int (*session_user)(struct ctip_session_row *s, struct ctip_user_row *u,
			    struct ctip_org_unit_row *o, struct ctip_store *st,
			    const unsigned char *token_hash,
			    struct ctip_arena *a, struct ctip_err *err);
	int (*session_touch)(struct ctip_store *st,
			     const unsigned char *token_hash, const char *now,
			     struct ctip_err *err);
	int (*session_delete)(struct ctip_store *st,
			      const unsigned char *token_hash,
			      struct ctip_err *err);
	/* End every session of a user (password reset, disabled) but the
	 * one whose hash is keep (NULL: all). */
	int (*session_delete_user)(struct ctip_store *st, int64_t user_id,
				   const unsigned char *keep,
				   struct ctip_err *err);

	/* API tokens, by the hash of the token (32 bytes). token_get:
	 * CTIP_ENOTFOUND when unknown or revoked. */
	int (*token_insert)(int64_t *out, struct ctip_store *st,
			    int64_t user_id, const char *name,
			    const unsigned char *token_hash, const char *now,
			    struct ctip_err *err);
	int (*token_get)(int64_t *user_id, struct ctip_store *st,
			 const unsigned char *token_hash, struct ctip_err *err);
	int (*token_revoke)(struct ctip_store *st, int64_t id, const char *now,
			    struct ctip_err *err);

	/* A person by id (CTIP_ENOTFOUND), and whether unit_id was granted
	 * access to it. */
	int (*person_get)(struct ctip_person_rec *out, struct ctip_store *st,
			  int64_t id, struct ctip_arena *a,
			  struct ctip_err *err);
	int (*access_granted)(bool *out, struct ctip_store *st,
			      const char *object_type, int64_t object_id,
			      int64_t unit_id, struct ctip_err *err);
	int (*access_grant)(struct ctip_store *st, const char *object_type,
			    int64_t object_id, int64_t unit_id, int64_t by,
			    const char *now, struct ctip_err *err);
	/* Ids of the persons matching q within scope, newest first. */
	int (*person_search)(int64_t **out, int *n_out, struct ctip_store *st,
			     const struct ctip_person_scope *scope,
			     const struct ctip_person_query *q,
			     struct ctip_arena *a, struct ctip_err *err);
	/* Key rotation: call fn with every value of sealed column col, in
	 * short transactions of a few hundred rows, and store the value fn
	 * gives back (unless the row changed meanwhile). *seen counts the
	 * values, *changed those replaced. */
	int (*reseal)(long *seen, long *changed, struct ctip_store *st,
		      enum ctip_sealed_column col, ctip_reseal_fn fn, void *arg,
		      struct ctip_err *err);

	/* The audit log: the last row's id and mac (id 0 when empty), a new
	 * row with the id the caller chose (the last + 1: the id is part of
	 * the chain), a listing newest first, and a walk over all rows in id
	 * order that stops when visit returns non-zero. */
	int (*audit_last)(int64_t *id, unsigned char mac[32],
			  struct ctip_store *st, struct ctip_err *err);
	int (*audit_insert)(struct ctip_store *st, struct ctip_audit_row *row,
			    struct ctip_err *err);
	int (*audit_list)(struct ctip_audit_row **out, int *n_out,
			  struct ctip_store *st,
			  const struct ctip_audit_filter *f,
			  struct ctip_arena *a, struct ctip_err *err);
	int (*audit_walk)(struct ctip_store *st, ctip_audit_visit_fn visit,
			  void *arg, struct ctip_err *err);

	/* Intakes. insert: CTIP_EEXIST when created_by already used the
	 * idempotency key; find_key: the id of that earlier intake. update
	 * writes the mutable columns (classification to resolution) if the
	 * version is still row->version, and bumps it (CTIP_ECONFLICT
	 * otherwise). list: ids of unit_id's intakes (of one status unless
	 * status is NULL); for the due modes,
	 * unresolved ones whose deadline is before now (overdue) or between
	 * now and soon (due soon). repeat: ids of the intakes unit_id owns or
	 * was referred whose reporter or a mentioned phone has blind index
	 * bidx, newest first. */
	int (*intake_insert)(int64_t *out, struct ctip_store *st,
			     const struct ctip_intake_row *row,
			     struct ctip_err *err);
	int (*intake_find_key)(int64_t *out, struct ctip_store *st,
			       int64_t created_by, const char *key,
			       struct ctip_err *err);
	int (*intake_get)(struct ctip_intake_row *out, struct ctip_store *st,
			  int64_t id, struct ctip_arena *a,
			  struct ctip_err *err);
	int (*intake_update)(struct ctip_store *st,
			     const struct ctip_intake_row *row,
			     struct ctip_err *err);
	/* Make intake id, if owned by from_unit_id, to_unit_id's (its version
	 * incremented); nothing when another unit owns it. */
	int (*intake_hand_over)(struct ctip_store *st, int64_t id,
				int64_t from_unit_id, int64_t to_unit_id,
				const char *now, struct ctip_err *err);
	int (*intake_list)(int64_t **out, int *n_out, struct ctip_store *st,
			   int64_t unit_id, enum ctip_due due, const char *now,
			   const char *soon, const char *status, int limit,
			   struct ctip_arena *a, struct ctip_err *err);
	int (*intake_repeat)(int64_t **out, int *n_out, struct ctip_store *st,
			     int64_t unit_id, const unsigned char *bidx,
			     int limit, struct ctip_arena *a,
			     struct ctip_err *err);

	/* Referrals. update writes status to closed_by if the version is
	 * still row->version and bumps it (CTIP_ECONFLICT otherwise). list:
	 * ids of the referrals to (inbox) or from unit_id, newest first;
	 * status NULL for all. counts: of unit_id's inbox by status, and how
	 * many are unanswered past ack_due_at (before now). revoke: remove a
	 * unit's access grant. */
	int (*referral_insert)(int64_t *out, struct ctip_store *st,
			       const struct ctip_referral_row *row,
			       struct ctip_err *err);
	int (*referral_get)(struct ctip_referral_row *out,
			    struct ctip_store *st, int64_t id,
			    struct ctip_arena *a, struct ctip_err *err);
	int (*referral_update)(struct ctip_store *st,
			       const struct ctip_referral_row *row,
			       struct ctip_err *err);
	int (*referral_list)(int64_t **out, int *n_out, struct ctip_store *st,
			     int64_t unit_id, bool inbox, const char *status,
			     int limit, struct ctip_arena *a,
			     struct ctip_err *err);
	int (*referral_counts)(long counts[5], long *late,
			       struct ctip_store *st, int64_t unit_id,
			       const char *now, struct ctip_err *err);
	int (*access_revoke)(struct ctip_store *st, const char *object_type,
			     int64_t object_id, int64_t unit_id,
			     struct ctip_err *err);

	/* The link between an intake and the persons registered from it:
	 * add one, and read either side's ids. */
	int (*intake_person_link)(struct ctip_store *st, int64_t intake_id,
				  int64_t person_id, struct ctip_err *err);
	int (*intake_persons)(int64_t **out, int *n_out, struct ctip_store *st,
			      int64_t intake_id, struct ctip_arena *a,
			      struct ctip_err *err);
	int (*person_intakes)(int64_t **out, int *n_out, struct ctip_store *st,
			      int64_t person_id, struct ctip_arena *a,
			      struct ctip_err *err);

	/* Criminal cases and their intakes (both ways). */
	int (*case_insert)(int64_t *out, struct ctip_store *st,
			   const struct ctip_case_row *row,
			   struct ctip_err *err);
	int (*intake_case_link)(struct ctip_store *st, int64_t intake_id,
				int64_t case_id, struct ctip_err *err);
	int (*intake_cases)(int64_t **out, int *n_out, struct ctip_store *st,
			    int64_t intake_id, struct ctip_arena *a,
			    struct ctip_err *err);
	int (*case_intakes)(int64_t **out, int *n_out, struct ctip_store *st,
			    int64_t case_id, struct ctip_arena *a,
			    struct ctip_err *err);

	/* KPI inputs: counts; referrals by the receiving unit's agency
	 * (agencies[i], counts[i]); for each referred intake, its receipt
	 * and first referral times (received[i], referred[i]). */
	int (*intake_counts)(struct ctip_intake_counts *out,
			     struct ctip_store *st,
			     const struct ctip_kpi_filter *f,
			     struct ctip_err *err);
	int (*referral_by_agency)(const char ***agencies, long **counts,
				  int *n_out, struct ctip_store *st,
				  const struct ctip_kpi_filter *f,
				  struct ctip_arena *a, struct ctip_err *err);
	int (*referral_delays)(const char ***received, const char ***referred,
			       int *n_out, struct ctip_store *st,
			       const struct ctip_kpi_filter *f,
			       struct ctip_arena *a, struct ctip_err *err);

	/* Victim casework (store_casework.h) and criminal cases
	 * (store_case.h), as sub-tables. */
	const struct ctip_casework_ops *casework;
	const struct ctip_case_ops *cases;
	const struct ctip_stats_ops *stats;    /* store_stats.h (issue 6) */
	const struct ctip_report_ops *reports; /* store_report.h */
	const struct ctip_plan_ops *plans;     /* store_plan.h (issue 7) */

	/* Another connection to the same database, for work done on a
	 * second thread (a report's counts); CTIP_EINVAL for an in-memory
	 * database, which has no second connection. */
	int (*open_again)(struct ctip_store **out, struct ctip_store *st,
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

/* What ctip_store_restore found. */
struct ctip_restore_info {
	int schema_version; /* of the backup */
	bool created;       /* the target did not exist and was created */
};

/* A check of the restored copy before it replaces anything (the key
 * file's): anything but CTIP_OK stops the restore. */
typedef enum ctip_status (*ctip_restore_check)(struct ctip_store *copy,
					       void *arg, struct ctip_err *err);

/*
 * Replace the database at url with a copy of the backup file at from,
 * or create it there. The backup is only read. It is copied beside the
 * target first and refused there, the target untouched, unless it is a
 * ctip database not newer than this ctip, passes an integrity check and
 * passes check. Then it is copied into the target through SQLite (the
 * target's own WAL is checkpointed into its own pages first, never
 * replayed onto the copy), which fails with CTIP_ECONFLICT while another
 * process has the database open. CTIP_ENOTFOUND when from does not exist,
 * CTIP_EINVAL when it is not a usable backup.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_store_restore(struct ctip_restore_info *out, const char *url,
		   const char *from, ctip_restore_check check, void *arg,
		   struct ctip_err *err);

/* End the read transaction begun with read_snapshot after work that
 * returned rc: rc, or the end's failure (into err) after a success. */
CTIP_MUST_CHECK enum ctip_status ctip_store_read_end(struct ctip_store *st,
						     enum ctip_status rc,
						     struct ctip_err *err);

/* Backends' open functions (called by ctip_store_open). */
enum ctip_status ctip_store_sqlite_open(struct ctip_store **out,
					const char *path,
					enum ctip_open_mode mode,
					struct ctip_err *err);

enum ctip_status ctip_store_sqlite_restore(struct ctip_restore_info *out,
					   const char *path, const char *from,
					   ctip_restore_check check, void *arg,
					   struct ctip_err *err);

/* Column names of a reference kind, in the order ref_upsert takes them;
 * NULL-terminated. The first column is the code looked up by ref_exists. */
/* The schema version this ctip's migrations bring a database to. */
int ctip_store_schema_latest(void);

const char *const *ctip_ref_columns(enum ctip_ref_kind kind);

/* Human name of a reference kind ("ethnic groups"), for messages. */
const char *ctip_ref_name(enum ctip_ref_kind kind);

/* Machine name of a reference kind ("ethnic_groups"), for JSON keys. */
const char *ctip_ref_key(enum ctip_ref_kind kind);

#include "store/store_case.h"
#include "store/store_casework.h"
#include "store/store_plan.h"
#include "store/store_report.h"
#include "store/store_stats.h"

#endif

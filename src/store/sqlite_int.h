/* sqlite_int.h: what the files of the SQLite backend share: the
 * connection, the statement cache and the row helpers. Only files under
 * src/store/ include it. Each file owns a range of statement ids and gives
 * their SQL through its *_sql function. */
#ifndef CTIP_SQLITE_INT_H
#define CTIP_SQLITE_INT_H

#include "store/store.h"

#include <sqlite3.h>

enum stmt_id {
	S_META_GET,
	S_META_SET,
	S_REF_UPSERT,                                  /* + kind */
	S_REF_COUNT = S_REF_UPSERT + CTIP_REF_N_KINDS, /* + kind */
	S_REF_EXISTS = S_REF_COUNT + CTIP_REF_N_KINDS, /* + kind */
	S_REF_CODES = S_REF_EXISTS + CTIP_REF_N_KINDS, /* + kind */
	S_REF_CLEAR = S_REF_CODES + CTIP_REF_N_KINDS,  /* + kind */
	S_COUNT = S_REF_CLEAR + CTIP_REF_N_KINDS,      /* + count kind */
	S_COMMUNES = S_COUNT + CTIP_COUNT_N_KINDS,
	S_ADMIN_UNIT_GET,
	S_AGENCY_LEVELS,
	S_ORG_GET,
	S_ORG_INSERT,
	S_USER_INSERT,
	S_ROLE_INSERT,
	S_PERSON_INSERT,
	S_EVENT_INSERT,
	S_EVENT_PURPOSE_INSERT,
	S_NAME_TOKEN_INSERT,
	S_ORG_UNIT_GET,
	S_ORG_UNIT_LIST,
	S_USER_GET,
	S_USER_FIND,
	S_USER_LIST,
	S_USER_LOGIN_STATE,
	S_USER_PASSWORD,
	S_USER_DISABLED,
	S_SESSION_INSERT,
	S_SESSION_GET,
	S_SESSION_USER,
	S_SESSION_TOUCH,
	S_SESSION_DELETE,
	S_SESSION_DELETE_USER,
	S_TOKEN_INSERT,
	S_TOKEN_GET,
	S_TOKEN_REVOKE,
	S_PERSON_GET,
	S_ACCESS_GRANTED,
	S_ACCESS_GRANT,
	S_PERSON_SEARCH_NAME,
	S_PERSON_SEARCH_CID,
	S_PERSON_SEARCH_PHONE,
	S_PERSON_LIST,
	S_INTAKE_INSERT,
	S_INTAKE_MENTION_INSERT,
	S_INTAKE_FIND_KEY,
	S_INTAKE_GET,
	S_INTAKE_MENTIONS,
	S_INTAKE_UPDATE,
	S_INTAKE_HAND_OVER,
	S_INTAKE_LIST_ALL,
	S_INTAKE_LIST_OVERDUE,
	S_INTAKE_LIST_SOON,
	S_INTAKE_REPEAT,
	S_REFERRAL_INSERT,
	S_REFERRAL_GET,
	S_REFERRAL_UPDATE,
	S_REFERRAL_INBOX,
	S_REFERRAL_OUTBOX,
	S_REFERRAL_COUNTS,
	S_ACCESS_REVOKE,
	/* One statement per scope, so that each uses the index for its
	 * scope (an "?2 IS NULL OR" form would scan the whole table). */
	S_INTAKE_COUNTS_COMMUNE,
	S_INTAKE_COUNTS_PROV,
	S_INTAKE_COUNTS_NATION,
	S_REFERRAL_BY_AGENCY_COMMUNE,
	S_REFERRAL_BY_AGENCY_PROV,
	S_REFERRAL_BY_AGENCY_NATION,
	S_REFERRAL_DELAYS_COMMUNE,
	S_REFERRAL_DELAYS_PROV,
	S_REFERRAL_DELAYS_NATION,
	S_INTAKE_PERSON_LINK,
	S_INTAKE_PERSONS,
	S_PERSON_INTAKES,
	S_CASE_INSERT,
	S_INTAKE_CASE_LINK,
	S_INTAKE_CASES,
	S_CASE_INTAKES,
	S_AUDIT_LAST,
	S_AUDIT_INSERT,
	S_AUDIT_LIST,
	S_AUDIT_WALK,
	S_TX_READ, /* transactions, prepared once like the rest */
	S_TX_WRITE,
	S_TX_COMMIT,
	/* Each further file of the backend owns a range of ids. */
	S_CASEWORK,               /* store_sqlite_casework.c */
	S_CASE = S_CASEWORK + 64, /* store_sqlite_case.c */
	S_STATS = S_CASE + 64,    /* store_sqlite_stats.c */
	S_REPORT = S_STATS + 128, /* store_sqlite_report.c */
	S_PLAN = S_REPORT + 64,   /* store_sqlite_plan.c */
	S_N = S_PLAN + 64
};

struct sqlite_store {
	struct ctip_store base; /* first, so the two pointers convert */
	sqlite3 *db;
	bool writing; /* holds writer_lock (a transaction is open) */
	bool mapped;  /* sq_map */
	sqlite3_stmt *stmts[S_N];
	/* The secondary indexes a first bulk load dropped, to create again
	 * before it commits (sq_load_indexes); NULL-terminated. */
	char **dropped;
};

static inline struct sqlite_store *
S(struct ctip_store *st)
{
	return (struct sqlite_store *)st;
}

/* Read typed rows into void pointers (sq_read_all and sq_get_one). */
typedef void (*sq_row_reader)(sqlite3_stmt *q, void *out, struct ctip_arena *a,
			      bool *ok);

/* The SQL of statement id of each file's range, NULL if it has none. */
const char *sq_casework_sql(int id);
const char *sq_case_sql(int id);
const char *sq_stats_sql(int id);
const char *sq_report_sql(int id);
const char *sq_plan_sql(int id);

/* The sub-tables of operations the other files fill in. */
extern const struct ctip_casework_ops sq_casework_ops;
extern const struct ctip_case_ops sq_case_ops;
extern const struct ctip_stats_ops sq_stats_ops;
extern const struct ctip_report_ops sq_report_ops;
extern const struct ctip_plan_ops sq_plan_ops;

/* A store error from SQLite's last error: CTIP_EEXIST for a unique key,
 * CTIP_EINVAL for another constraint, CTIP_ESTORE otherwise. */
enum ctip_status sq_db_error(struct sqlite_store *s, struct ctip_err *err,
			     const char *what);

/* The schema version of connection db into *out, 0 without a migration
 * table: SQLITE_OK or the error's code. */
int sq_version_of(sqlite3 *db, int *out);

/* Create schema_migration if need be and apply the migrations it does not
 * record, in the caller's transaction; *applied counts them. */
int sq_apply_migrations(int *applied, struct sqlite_store *s,
			struct ctip_err *err);

/* store_sqlite_schema.c. The migration (014_dev_build_repair) before which
 * sq_apply_migrations runs sq_repair_dev_builds. */
#define SQ_REPAIR_VERSION 14

/* The SQLite-only part of repairing the databases of development builds,
 * run just before migration 014 (which does the rest in common SQL): a
 * plan_task_unit made without its id column gets one holding each row's
 * rowid. Nothing on any other database. CTIP_OK or CTIP_ESTORE. */
int sq_repair_dev_builds(struct sqlite_store *s, struct ctip_err *err);

/* The schema_check op (store.h). */
int sq_schema_check(struct ctip_store *st, struct ctip_err *err);

/* store_sqlite_file.c: the backup and writable ops. */
int sq_backup(struct ctip_store *st, const char *path, struct ctip_err *err);
int sq_writable(struct ctip_store *st, struct ctip_err *err);

/* Why SQLite found the database at path read-only (the file, its
 * directory, its -shm), for messages; db's last error otherwise. */
void sq_readonly_cause(char *out, size_t n, const char *path, sqlite3 *db);

/* The cached statement id (prepared on first use); NULL after setting err. */
sqlite3_stmt *sq_stmt(struct sqlite_store *s, int id, struct ctip_err *err);

/* Reset q and clear its bindings. */
void sq_done(sqlite3_stmt *q);

/* Bind a value, NULL (or id 0) as SQL NULL. */
void sq_bind_text(sqlite3_stmt *q, int i, const char *v);
void sq_bind_blob(sqlite3_stmt *q, int i, const unsigned char *v, size_t n);
void sq_bind_id(sqlite3_stmt *q, int i, int64_t v);

/* Run q, which returns no rows, and reset it. */
enum ctip_status sq_exec_stmt(struct sqlite_store *s, sqlite3_stmt *q,
			      const char *what, struct ctip_err *err);

/* Step q once: CTIP_OK with a row, CTIP_ENOTFOUND (what) without. The
 * caller reads the row, then calls sq_done(q). */
int sq_step_one(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
		struct ctip_err *err);

/* Run an INSERT and give the new row's id. */
enum ctip_status sq_insert_row(int64_t *out, struct sqlite_store *s,
			       sqlite3_stmt *q, const char *what,
			       struct ctip_err *err);

/* Run an UPDATE/DELETE; CTIP_ENOTFOUND (what) if it changed no row. */
int sq_exec_change(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
		   struct ctip_err *err);

/* Open a transaction unless one is open; returns whether it did.
 * sq_own_end commits (rc OK) or rolls back the one it opened. */
bool sq_own_begin(struct sqlite_store *s, struct ctip_err *err, int *rc);
int sq_own_end(struct sqlite_store *s, bool own, int rc, struct ctip_err *err);

/* Copies of column i in a (NULL for SQL NULL; *ok = false when full). */
const char *sq_col_text(sqlite3_stmt *q, int i, struct ctip_arena *a, bool *ok);
const unsigned char *sq_col_blob(sqlite3_stmt *q, int i, size_t *n,
				 struct ctip_arena *a, bool *ok);

/* The row of statement id for an integer key, read into out;
 * CTIP_ENOTFOUND naming what when there is none. */
int sq_get_one(void *out, struct sqlite_store *s, int id, int64_t key,
	       const char *what, sq_row_reader read, struct ctip_arena *a,
	       struct ctip_err *err);

/* Run q and read every row into an array of size-byte items. */
int sq_read_all(void **out, int *n_out, size_t size, struct sqlite_store *s,
		sqlite3_stmt *q, sq_row_reader read, struct ctip_arena *a,
		struct ctip_err *err);

/* Column 0 as an int64_t (a reader for id lists). */
void sq_read_id_v(sqlite3_stmt *q, void *id, struct ctip_arena *a, bool *ok);

/* Every row of statement id bound with one integer key, read into an
 * array of size-byte items. */
int sq_rows_of(void **out, int *n_out, size_t size, struct sqlite_store *s,
	       int id, int64_t key, sq_row_reader read, struct ctip_arena *a,
	       struct ctip_err *err);

/* Ids from statement id bound with one integer key. */
int sq_ids_of(int64_t **out, int *n_out, struct sqlite_store *s, int id,
	      int64_t key, struct ctip_arena *a, struct ctip_err *err);

#endif

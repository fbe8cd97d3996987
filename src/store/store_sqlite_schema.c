/* store_sqlite_schema.c: the schema check (is this database's schema the
 * one the migrations make?) and the SQLite-only part of repairing the
 * databases of development builds (docs/internals/storage.md,
 * Migrations). */
#include "store/migrations.h"
#include "store/sqlite_int.h"

/* The schema as sqlite_master holds it, SQLite's own objects (sqlite_*:
 * statistics, sequences, automatic indexes) left out, in the order the
 * comparison walks. */
static const char schema_sql[] =
	"SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
	"WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name";

struct schema_obj {
	char *type, *name, *tbl_name, *sql; /* malloc'd */
};

struct schema {
	struct schema_obj *objs;
	int n_objs;
};

static void
schema_free(struct schema *sc)
{
	int i;

	for (i = 0; i < sc->n_objs; i++) {
		free(sc->objs[i].type);
		free(sc->objs[i].name);
		free(sc->objs[i].tbl_name);
		free(sc->objs[i].sql);
	}
	free(sc->objs);
	sc->objs = NULL;
	sc->n_objs = 0;
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const char *v = (const char *)sqlite3_column_text(q, i);

	return ctip_xstrdup(v != NULL ? v : "");
}

/* Read the schema of s into *out (freed by schema_free). */
static int
schema_read(struct schema *out, struct sqlite_store *s, const char *which,
	    struct ctip_err *err)
{
	sqlite3_stmt *q;
	int n_alloc = 0, rc;

	out->objs = NULL;
	out->n_objs = 0;
	if (sqlite3_prepare_v2(s->db, schema_sql, -1, &q, NULL) != SQLITE_OK)
		return sq_db_error(s, err, which);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct schema_obj *o;

		if (out->n_objs == n_alloc) {
			n_alloc = n_alloc ? 2 * n_alloc : 128;
			out->objs = ctip_xrealloc(out->objs,
						  (size_t)n_alloc * sizeof(*o));
		}
		o = &out->objs[out->n_objs++];
		o->type = col_dup(q, 0);
		o->name = col_dup(q, 1);
		o->tbl_name = col_dup(q, 2);
		o->sql = col_dup(q, 3);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		schema_free(out);
		return sq_db_error(s, err, which);
	}
	return CTIP_OK;
}

/* The schema the migrations make: every migration applied to an empty
 * database in memory, in one transaction. */
static int
schema_expected(struct schema *out, struct ctip_err *err)
{
	struct ctip_store *mem;
	struct sqlite_store *m;
	int applied, rc;

	if ((rc = ctip_store_sqlite_open(&mem, ":memory:", CTIP_OPEN_CREATE,
					 err)) != CTIP_OK)
		return rc;
	m = S(mem);
	if (sqlite3_exec(m->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		rc = sq_db_error(m, err, "begin the expected schema");
	if (rc == CTIP_OK)
		rc = sq_apply_migrations(&applied, m, err);
	if (rc == CTIP_OK)
		rc = schema_read(out, m, "read the expected schema", err);
	mem->ops->close(mem); /* rolls the in-memory database away */
	return rc;
}

static int
obj_cmp(const struct schema_obj *a, const struct schema_obj *b)
{
	int c = strcmp(a->type, b->type);

	return c != 0 ? c : strcmp(a->name, b->name);
}

/* Tables first: a table that differs says more than its indexes. */
static int
rank(const char *type)
{
	return strcmp(type, "table") == 0 ? 0 : 1;
}

/* Count a difference of o (how it differs) and describe it into what if
 * it is the first, or the first table after other objects. */
static void
note(char *what, size_t len, int *n, int *best, const struct schema_obj *o,
     const char *how)
{
	if ((*n)++ == 0 || rank(o->type) < *best) {
		snprintf(what, len, "%s %s %s", o->type, o->name, how);
		*best = rank(o->type);
	}
}

int
sq_schema_check(struct ctip_store *st, struct ctip_err *err)
{
	struct schema want, have;
	char what[200] = "";
	int i = 0, j = 0, n = 0, best = 0, rc;

	if ((rc = schema_expected(&want, err)) != CTIP_OK)
		return rc;
	if ((rc = schema_read(&have, S(st), "read the schema", err)) !=
	    CTIP_OK) {
		schema_free(&want);
		return rc;
	}
	/* Both lists are sorted by (type, name): one merge. */
	while (i < want.n_objs || j < have.n_objs) {
		int c = i == want.n_objs ? 1
			: j == have.n_objs
				? -1
				: obj_cmp(&want.objs[i], &have.objs[j]);

		if (c < 0) {
			note(what, sizeof(what), &n, &best, &want.objs[i++],
			     "is missing");
		} else if (c > 0) {
			note(what, sizeof(what), &n, &best, &have.objs[j++],
			     "is not in ctip's schema");
		} else {
			if (strcmp(want.objs[i].tbl_name,
				   have.objs[j].tbl_name) != 0 ||
			    strcmp(want.objs[i].sql, have.objs[j].sql) != 0)
				note(what, sizeof(what), &n, &best,
				     &want.objs[i],
				     "differs from ctip's definition");
			i++;
			j++;
		}
	}
	schema_free(&want);
	schema_free(&have);
	if (n == 0)
		return CTIP_OK;
	if (n == 1)
		return ctip_err_set(err, CTIP_ESTORE,
				    "schema is not ctip's: %s", what);
	return ctip_err_set(err, CTIP_ESTORE,
			    "schema is not ctip's: %s (and %d "
			    "more difference%s)",
			    what, n - 1, n == 2 ? "" : "s");
}

/* Whether table has column; false if there is no such table. */
static int
has_column(bool *out, struct sqlite_store *s, const char *table,
	   const char *column, struct ctip_err *err)
{
	sqlite3_stmt *q;
	int rc;

	*out = false;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT 1 FROM pragma_table_info(?1) WHERE "
			       "name = ?2",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_db_error(s, err, "read a table's columns");
	sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, column, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_db_error(s, err, "read a table's columns");
	*out = rc == SQLITE_ROW;
	return CTIP_OK;
}

/*
 * Repairs the databases of development builds 2cf1e4c to 0113051, made
 * before 010_plans gave plan_task_unit its id (a1ad324). Their rows are
 * known by SQLite's rowid only, which the common SQL of migration 014
 * cannot read; here the table gets an id column holding each rowid, and
 * 014 rebuilds the table with id as its key. A plan_task_unit that has
 * its id, or none at all (before migration 010), is left alone.
 */
int
sq_repair_dev_builds(struct sqlite_store *s, struct ctip_err *err)
{
	bool has_table, has_id;
	int rc;

	if ((rc = has_column(&has_table, s, "plan_task_unit", "task_id",
			     err)) != CTIP_OK ||
	    (rc = has_column(&has_id, s, "plan_task_unit", "id", err)) !=
		    CTIP_OK)
		return rc;
	if (!has_table || has_id)
		return CTIP_OK;
	if (sqlite3_exec(s->db,
			 "ALTER TABLE plan_task_unit ADD COLUMN id INTEGER; "
			 "UPDATE plan_task_unit SET id = rowid",
			 NULL, NULL, NULL) != SQLITE_OK)
		return sq_db_error(s, err,
				   "give plan_task_unit its id (repair of a "
				   "development build's database)");
	return CTIP_OK;
}

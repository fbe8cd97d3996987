/* store_sqlite_case.c: criminal cases in the SQLite backend: the case row,
 * its stage changes, offenders, victims, listings and the KPI counts. */
#include "store/sqlite_int.h"
#include "util/crypto.h"

enum {
	Q_PERSON_CASES = S_CASE,
	Q_GET,
	Q_UPDATE,
	Q_LIST_UNIT,
	Q_LIST_PROV,
	Q_STAGE_INSERT,
	Q_STAGES,
	Q_OFFENDER_INSERT,
	Q_OFFENDERS,
	Q_VICTIM_LINK,
	Q_VICTIMS,
	/* One statement per scope, so that each uses its own index. */
	Q_KPI_UNIT,
	Q_KPI_PROV,
	Q_KPI_NATION,
};

#define CASE_COLUMNS                                                           \
	"id, owner_unit_id, province_code, stage, article, title_enc, "        \
	"case_number, initiated_on, investigated_on, solved_on, "              \
	"indicted_on, tried_on, verdict_on, stage_on, suspended_from, "        \
	"created_at, created_by, updated_at, version"

#define KPI_COUNTS                                                             \
	"SELECT count(*), count(investigated_on), count(solved_on), "          \
	"count(indicted_on), count(tried_on), count(verdict_on), "             \
	"coalesce(sum(CASE WHEN stage = 'suspended' THEN 1 ELSE 0 END), 0), "  \
	"coalesce(sum(CASE WHEN stage = 'closed' THEN 1 ELSE 0 END), 0) "      \
	"FROM criminal_case "

const char *
sq_case_sql(int id)
{
	switch (id) {
	case Q_PERSON_CASES:
		return "SELECT case_id FROM case_person WHERE person_id = ?1 "
		       "ORDER BY case_id";
	case Q_GET:
		return "SELECT " CASE_COLUMNS " FROM criminal_case WHERE id = "
		       "?1";
	case Q_UPDATE:
		return "UPDATE criminal_case SET stage = ?2, article = ?3, "
		       "title_enc = ?4, case_number = ?5, initiated_on = ?6, "
		       "investigated_on = ?7, solved_on = ?8, indicted_on = "
		       "?9, tried_on = ?10, verdict_on = ?11, stage_on = ?12, "
		       "suspended_from = ?13, updated_at = ?14, version = "
		       "version + 1 WHERE id = ?1 AND version = ?15";
	case Q_LIST_UNIT:
		return "SELECT id FROM criminal_case WHERE owner_unit_id = ?1 "
		       "AND (?2 IS NULL OR stage = ?2) AND (?3 = 0 OR id < ?3) "
		       "ORDER BY id DESC LIMIT ?4";
	case Q_LIST_PROV:
		return "SELECT id FROM criminal_case WHERE province_code = ?1 "
		       "AND (?2 IS NULL OR stage = ?2) AND (?3 = 0 OR id < ?3) "
		       "ORDER BY id DESC LIMIT ?4";
	case Q_STAGE_INSERT:
		return "INSERT INTO case_stage (case_id, from_stage, to_stage, "
		       "on_date, unit_id, user_id, note_enc, created_at) "
		       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	case Q_STAGES:
		return "SELECT id, case_id, from_stage, to_stage, on_date, "
		       "unit_id, user_id, note_enc, created_at FROM case_stage "
		       "WHERE case_id = ?1 ORDER BY id";
	case Q_OFFENDER_INSERT:
		return "INSERT INTO case_offender (case_id, role, sex, "
		       "birth_year, nationality, name_enc, citizen_id_enc, "
		       "citizen_id_bidx, created_at, created_by) VALUES (?1, "
		       "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
	case Q_OFFENDERS:
		return "SELECT id, case_id, role, sex, birth_year, "
		       "nationality, name_enc, citizen_id_enc, created_at, "
		       "created_by FROM case_offender WHERE case_id = ?1 ORDER "
		       "BY id";
	case Q_VICTIM_LINK:
		return "INSERT INTO case_person (case_id, person_id, "
		       "linked_at, linked_by) VALUES (?1, ?2, ?3, ?4)";
	case Q_VICTIMS:
		return "SELECT c.person_id, p.sex, p.birth_date, p.birth_year, "
		       "(SELECT min(coalesce(e.recruited_on, e.exploited_from, "
		       "e.discovered_on)) FROM trafficking_event e WHERE "
		       "e.person_id = c.person_id), c.linked_at FROM "
		       "case_person c JOIN person p ON p.id = c.person_id "
		       "WHERE c.case_id = ?1 ORDER BY c.person_id";
	case Q_KPI_UNIT:
		return KPI_COUNTS "WHERE owner_unit_id = ?1 AND initiated_on "
				  ">= ?3 AND initiated_on <= ?4";
	case Q_KPI_PROV:
		return KPI_COUNTS "WHERE province_code = ?2 AND initiated_on "
				  ">= ?3 AND initiated_on <= ?4";
	case Q_KPI_NATION:
		return KPI_COUNTS "WHERE initiated_on >= ?3 AND initiated_on "
				  "<= ?4";
	default:
		return NULL;
	}
}

static int
person_cases(int64_t **out, int *n_out, struct ctip_store *st,
	     int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), Q_PERSON_CASES, person_id, a, err);
}

static void
read_case(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_case_rec *o = row;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->owner_unit_id = sqlite3_column_int64(q, 1);
	o->province_code = sq_col_text(q, 2, a, ok);
	o->stage = sq_col_text(q, 3, a, ok);
	o->article = sq_col_text(q, 4, a, ok);
	o->title_enc = sq_col_blob(q, 5, &o->title_enc_len, a, ok);
	o->case_number = sq_col_text(q, 6, a, ok);
	o->initiated_on = sq_col_text(q, 7, a, ok);
	o->investigated_on = sq_col_text(q, 8, a, ok);
	o->solved_on = sq_col_text(q, 9, a, ok);
	o->indicted_on = sq_col_text(q, 10, a, ok);
	o->tried_on = sq_col_text(q, 11, a, ok);
	o->verdict_on = sq_col_text(q, 12, a, ok);
	o->stage_on = sq_col_text(q, 13, a, ok);
	o->suspended_from = sq_col_text(q, 14, a, ok);
	o->created_at = sq_col_text(q, 15, a, ok);
	o->created_by = sqlite3_column_int64(q, 16);
	o->updated_at = sq_col_text(q, 17, a, ok);
	o->version = sqlite3_column_int(q, 18);
}

static int
get(struct ctip_case_rec *out, struct ctip_store *st, int64_t id,
    struct ctip_arena *a, struct ctip_err *err)
{
	return sq_get_one(out, S(st), Q_GET, id, "case", read_case, a, err);
}

static int
update(struct ctip_store *st, const struct ctip_case_rec *r,
       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_UPDATE, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sq_bind_text(q, 2, r->stage);
	sq_bind_text(q, 3, r->article);
	sq_bind_blob(q, 4, r->title_enc, r->title_enc_len);
	sq_bind_text(q, 5, r->case_number);
	sq_bind_text(q, 6, r->initiated_on);
	sq_bind_text(q, 7, r->investigated_on);
	sq_bind_text(q, 8, r->solved_on);
	sq_bind_text(q, 9, r->indicted_on);
	sq_bind_text(q, 10, r->tried_on);
	sq_bind_text(q, 11, r->verdict_on);
	sq_bind_text(q, 12, r->stage_on);
	sq_bind_text(q, 13, r->suspended_from);
	sq_bind_text(q, 14, r->updated_at);
	sqlite3_bind_int(q, 15, r->version);
	rc = sq_exec_stmt(s, q, "update the case", err);
	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "case %lld was changed by someone else: "
				    "reload it",
				    (long long)r->id);
	return rc;
}

static int
list(int64_t **out, int *n_out, struct ctip_store *st,
     const struct ctip_case_filter *f, struct ctip_arena *a,
     struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q =
		sq_stmt(s, f->unit_id != 0 ? Q_LIST_UNIT : Q_LIST_PROV, err);

	if (q == NULL)
		return err->code;
	if (f->unit_id != 0)
		sqlite3_bind_int64(q, 1, f->unit_id);
	else
		sq_bind_text(q, 1, f->province_code);
	sq_bind_text(q, 2, f->stage);
	sqlite3_bind_int64(q, 3, f->before_id);
	sqlite3_bind_int(q, 4, f->limit);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

static int
stage_insert(int64_t *out, struct ctip_store *st,
	     const struct ctip_case_stage_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_STAGE_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->case_id);
	sq_bind_text(q, 2, r->from_stage);
	sq_bind_text(q, 3, r->to_stage);
	sq_bind_text(q, 4, r->on_date);
	sqlite3_bind_int64(q, 5, r->unit_id);
	sqlite3_bind_int64(q, 6, r->user_id);
	sq_bind_blob(q, 7, r->note_enc, r->note_enc_len);
	sq_bind_text(q, 8, r->created_at);
	return sq_insert_row(out, s, q, "store the stage change", err);
}

static void
read_stage(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_case_stage_row *o = row;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->case_id = sqlite3_column_int64(q, 1);
	o->from_stage = sq_col_text(q, 2, a, ok);
	o->to_stage = sq_col_text(q, 3, a, ok);
	o->on_date = sq_col_text(q, 4, a, ok);
	o->unit_id = sqlite3_column_int64(q, 5);
	o->user_id = sqlite3_column_int64(q, 6);
	o->note_enc = sq_col_blob(q, 7, &o->note_enc_len, a, ok);
	o->created_at = sq_col_text(q, 8, a, ok);
}

static int
stages(struct ctip_case_stage_row **out, int *n_out, struct ctip_store *st,
       int64_t case_id, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_STAGES, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, case_id);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_stage,
			   a, err);
}

static int
offender_insert(int64_t *out, struct ctip_store *st,
		const struct ctip_case_offender_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_OFFENDER_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->case_id);
	sq_bind_text(q, 2, r->role);
	sq_bind_text(q, 3, r->sex);
	sq_bind_id(q, 4, r->birth_year);
	sq_bind_text(q, 5, r->nationality);
	sq_bind_blob(q, 6, r->name_enc, r->name_enc_len);
	sq_bind_blob(q, 7, r->citizen_id_enc, r->citizen_id_enc_len);
	sq_bind_blob(q, 8, r->citizen_id_bidx,
		     r->citizen_id_bidx != NULL ? CTIP_BLIND_BYTES : 0);
	sq_bind_text(q, 9, r->created_at);
	sqlite3_bind_int64(q, 10, r->created_by);
	return sq_insert_row(out, s, q, "store the offender", err);
}

static void
read_offender(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_case_offender_row *o = row;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(q, 0);
	o->case_id = sqlite3_column_int64(q, 1);
	o->role = sq_col_text(q, 2, a, ok);
	o->sex = sq_col_text(q, 3, a, ok);
	o->birth_year = sqlite3_column_int(q, 4);
	o->nationality = sq_col_text(q, 5, a, ok);
	o->name_enc = sq_col_blob(q, 6, &o->name_enc_len, a, ok);
	o->citizen_id_enc = sq_col_blob(q, 7, &o->citizen_id_enc_len, a, ok);
	o->created_at = sq_col_text(q, 8, a, ok);
	o->created_by = sqlite3_column_int64(q, 9);
}

static int
offenders(struct ctip_case_offender_row **out, int *n_out,
	  struct ctip_store *st, int64_t case_id, struct ctip_arena *a,
	  struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_OFFENDERS, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, case_id);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_offender, a, err);
}

static int
victim_link(struct ctip_store *st, int64_t case_id, int64_t person_id,
	    const char *now, int64_t by, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_VICTIM_LINK, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, person_id);
	sq_bind_text(q, 3, now);
	sqlite3_bind_int64(q, 4, by);
	return sq_exec_stmt(s, q, "link the victim to the case", err);
}

static void
read_victim(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_case_victim_row *o = row;

	memset(o, 0, sizeof(*o));
	o->person_id = sqlite3_column_int64(q, 0);
	o->sex = sq_col_text(q, 1, a, ok);
	o->birth_date = sq_col_text(q, 2, a, ok);
	o->birth_year = sqlite3_column_int(q, 3);
	o->event_on = sq_col_text(q, 4, a, ok);
	o->linked_at = sq_col_text(q, 5, a, ok);
}

static int
victims(struct ctip_case_victim_row **out, int *n_out, struct ctip_store *st,
	int64_t case_id, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_VICTIMS, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, case_id);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_victim, a, err);
}

static int
kpi_counts(struct ctip_case_counts *out, struct ctip_store *st,
	   const struct ctip_kpi_filter *f, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	int id = f->unit_id != 0            ? Q_KPI_UNIT
		 : f->province_code != NULL ? Q_KPI_PROV
					    : Q_KPI_NATION;
	sqlite3_stmt *q = sq_stmt(s, id, err);
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, f->unit_id);
	sq_bind_text(q, 2, f->province_code);
	sq_bind_text(q, 3, f->from);
	sq_bind_text(q, 4, f->to);
	memset(out, 0, sizeof(*out));
	rc = sq_step_one(s, q, "count", err);
	if (rc == CTIP_OK) {
		out->initiated = (long)sqlite3_column_int64(q, 0);
		out->investigated = (long)sqlite3_column_int64(q, 1);
		out->solved = (long)sqlite3_column_int64(q, 2);
		out->indicted = (long)sqlite3_column_int64(q, 3);
		out->tried = (long)sqlite3_column_int64(q, 4);
		out->verdict = (long)sqlite3_column_int64(q, 5);
		out->suspended = (long)sqlite3_column_int64(q, 6);
		out->closed = (long)sqlite3_column_int64(q, 7);
	}
	sq_done(q);
	return rc;
}

const struct ctip_case_ops sq_case_ops = {
	.person_cases = person_cases,
	.get = get,
	.update = update,
	.list = list,
	.stage_insert = stage_insert,
	.stages = stages,
	.offender_insert = offender_insert,
	.offenders = offenders,
	.victim_link = victim_link,
	.victims = victims,
	.kpi_counts = kpi_counts,
};

_Static_assert((int)Q_KPI_NATION < (int)S_CASE + 64,
	       "case statements exceed their range");

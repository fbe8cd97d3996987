/* store_sqlite_casework.c: victim casework in the SQLite backend. */
#include "store/sqlite_int.h"
#include "util/crypto.h"

enum {
	Q_STEP_INSERT = S_CASEWORK,
	Q_STEPS,
	Q_SET_STATUS,
	Q_CONSENT_INSERT,
	Q_CONSENT_WITHDRAW,
	Q_CONSENTS,
	Q_SERVICE_INSERT,
	Q_SERVICES,
	Q_ENTITLEMENT,
	Q_LIMITS,
	Q_PROTECTION_INSERT,
	Q_PROTECTION_END,
	Q_PROTECTIONS,
	Q_FOLLOW_UP_INSERT,
	Q_FOLLOW_UP_DONE,
	Q_FOLLOW_UPS,
	Q_FOLLOW_UPS_DUE,
	Q_EVENTS,
	Q_EVENT_PURPOSES,
	Q_MINORS,
	Q_REFERRALS,
	Q_DUPLICATES,
	Q_END
};

const char *
sq_casework_sql(int id)
{
	switch (id) {
	case Q_STEP_INSERT:
		return "INSERT INTO person_step (person_id, step, from_status, "
		       "to_status, on_date, unit_id, user_id, reason_enc, "
		       "evidence, doc_type, doc_issuer, doc_number_enc, "
		       "doc_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		       "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	case Q_STEPS:
		return "SELECT id, person_id, step, from_status, to_status, "
		       "on_date, unit_id, user_id, reason_enc, evidence, "
		       "doc_type, doc_issuer, doc_number_enc, doc_date, "
		       "created_at FROM person_step WHERE person_id = ?1 "
		       "ORDER BY id";
	case Q_SET_STATUS:
		return "UPDATE person SET status = ?3, role = ?4, "
		       "identified_on = COALESCE(?5, identified_on), "
		       "updated_at = ?6, updated_by = ?7, version = version + "
		       "1 WHERE id = ?1 AND version = ?2";
	case Q_CONSENT_INSERT:
		return "INSERT INTO consent (person_id, scope, given_by, "
		       "representative_enc, given_on, unit_id, created_by, "
		       "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	case Q_CONSENT_WITHDRAW:
		return "UPDATE consent SET withdrawn_on = ?4, withdrawal_enc = "
		       "?5, version = version + 1 WHERE id = ?1 AND person_id "
		       "= ?2 AND version = ?3 AND withdrawn_on IS NULL";
	case Q_CONSENTS:
		return "SELECT id, person_id, scope, given_by, "
		       "representative_enc, given_on, withdrawn_on, "
		       "withdrawal_enc, unit_id, created_by, created_at, "
		       "version FROM consent WHERE person_id = ?1 ORDER BY id";
	case Q_SERVICE_INSERT:
		return "INSERT INTO support_service (person_id, support_code, "
		       "provider_unit_id, provider, provided_on, location, "
		       "unit, quantity, amount_vnd, regime, override_enc, "
		       "note_enc, created_by, created_at) VALUES (?1, ?2, ?3, "
		       "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
	case Q_SERVICES:
		return "SELECT id, person_id, support_code, provider_unit_id, "
		       "provider, provided_on, location, unit, quantity, "
		       "amount_vnd, regime, override_enc, note_enc, "
		       "created_by, created_at FROM support_service WHERE "
		       "person_id = ?1 ORDER BY provided_on, id";
	case Q_ENTITLEMENT:
		return "SELECT entitled, legal_basis, note FROM "
		       "support_entitlement WHERE support_code = ?1 AND "
		       "person_role = ?2 AND citizenship = ?3 AND location = "
		       "?4";
	case Q_LIMITS:
		return "SELECT unit, amount_vnd, max_units, legal_basis FROM "
		       "support_amount WHERE support_code = ?1 AND valid_from "
		       "<= ?2 AND (valid_to IS NULL OR valid_to >= ?2) ORDER "
		       "BY unit";
	case Q_PROTECTION_INSERT:
		return "INSERT INTO protection_measure (person_id, kind, "
		       "beneficiary, start_on, end_on, unit_id, note_enc, "
		       "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, "
		       "?6, ?7, ?8, ?9)";
	case Q_PROTECTION_END:
		return "UPDATE protection_measure SET end_on = ?4, version = "
		       "version + 1 WHERE id = ?1 AND person_id = ?2 AND "
		       "version = ?3 AND end_on IS NULL";
	case Q_PROTECTIONS:
		return "SELECT id, person_id, kind, beneficiary, start_on, "
		       "end_on, unit_id, note_enc, created_by, created_at, "
		       "version FROM protection_measure WHERE person_id = ?1 "
		       "ORDER BY id";
	case Q_FOLLOW_UP_INSERT:
		return "INSERT INTO follow_up (person_id, unit_id, due_on, "
		       "note_enc, created_by, created_at) VALUES (?1, ?2, ?3, "
		       "?4, ?5, ?6)";
	case Q_FOLLOW_UP_DONE:
		return "UPDATE follow_up SET done_on = ?4, outcome = ?5, "
		       "note_enc = COALESCE(?6, note_enc), version = version "
		       "+ 1 WHERE id = ?1 AND person_id = ?2 AND version = ?3 "
		       "AND done_on IS NULL";
	case Q_FOLLOW_UPS:
		return "SELECT id, person_id, unit_id, due_on, done_on, "
		       "outcome, note_enc, created_by, created_at, version "
		       "FROM follow_up WHERE person_id = ?1 ORDER BY due_on, "
		       "id";
	case Q_FOLLOW_UPS_DUE:
		return "SELECT f.id, f.person_id, f.unit_id, f.due_on, "
		       "f.done_on, f.outcome, f.note_enc, f.created_by, "
		       "f.created_at, f.version FROM follow_up f JOIN person p "
		       "ON p.id = f.person_id WHERE f.person_id IN (SELECT id "
		       "FROM person WHERE owner_unit_id = ?1 UNION SELECT "
		       "object_id FROM access_grant WHERE unit_id = ?1 AND "
		       "object_type = 'person') AND f.done_on IS NULL AND "
		       "f.due_on < ?2 AND p.status <> 'closed' AND p.status "
		       "<> 'not_victim' ORDER BY f.due_on, f.id LIMIT ?3";
	case Q_EVENTS:
		return "SELECT id, abroad, destination_country, "
		       "recruitment_means, recruited_on, exploited_from, "
		       "exploited_to, discovery, discovered_on, created_at "
		       "FROM trafficking_event WHERE person_id = ?1 ORDER BY "
		       "discovered_on, id";
	case Q_EVENT_PURPOSES:
		return "SELECT p.purpose_code FROM event_purpose p WHERE "
		       "p.event_id = ?1 ORDER BY p.purpose_code";
	case Q_MINORS:
		return "SELECT id FROM person WHERE accompanies_id = ?1 ORDER "
		       "BY id";
	case Q_REFERRALS:
		return "SELECT id FROM referral WHERE object_type = 'person' "
		       "AND object_id = ?1 ORDER BY id";
	case Q_DUPLICATES:
		/* Two lookups by blind index, each on its own index; the
		 * scope as in the person searches. */
		return "SELECT p.id FROM person p WHERE p.id IN (SELECT id "
		       "FROM person WHERE citizen_id_bidx = ?3 UNION SELECT id "
		       "FROM person WHERE name_bidx = ?4 AND (?5 IS NULL OR "
		       "birth_year IS NULL OR abs(birth_year - ?5) <= 1) AND "
		       "(?6 IS NULL OR commune_code IS NULL OR commune_code = "
		       "?6)) AND (p.owner_unit_id = ?1 OR p.province_code = ?2 "
		       "OR EXISTS (SELECT 1 FROM access_grant g WHERE "
		       "g.object_type = 'person' AND g.object_id = p.id AND "
		       "g.unit_id = ?1)) ORDER BY p.id DESC LIMIT 20";
	default:
		return NULL;
	}
}

_Static_assert((int)Q_END <= (int)S_CASE,
	       "casework statements exceed their range");

static int
step_insert(int64_t *out, struct ctip_store *st, const struct ctip_step_row *r,
	    struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_STEP_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sq_bind_text(q, 2, r->step);
	sq_bind_text(q, 3, r->from_status);
	sq_bind_text(q, 4, r->to_status);
	sq_bind_text(q, 5, r->on_date);
	sqlite3_bind_int64(q, 6, r->unit_id);
	sq_bind_id(q, 7, r->user_id);
	sq_bind_blob(q, 8, r->reason_enc, r->reason_enc_len);
	sq_bind_text(q, 9, r->evidence);
	sq_bind_text(q, 10, r->doc_type);
	sq_bind_text(q, 11, r->doc_issuer);
	sq_bind_blob(q, 12, r->doc_number_enc, r->doc_number_enc_len);
	sq_bind_text(q, 13, r->doc_date);
	sq_bind_text(q, 14, r->created_at);
	return sq_insert_row(out, s, q, "store the step", err);
}

static void
read_step(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_step_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->person_id = sqlite3_column_int64(q, 1);
	r->step = sq_col_text(q, 2, a, ok);
	r->from_status = sq_col_text(q, 3, a, ok);
	r->to_status = sq_col_text(q, 4, a, ok);
	r->on_date = sq_col_text(q, 5, a, ok);
	r->unit_id = sqlite3_column_int64(q, 6);
	r->user_id = sqlite3_column_int64(q, 7);
	r->reason_enc = sq_col_blob(q, 8, &r->reason_enc_len, a, ok);
	r->evidence = sq_col_text(q, 9, a, ok);
	r->doc_type = sq_col_text(q, 10, a, ok);
	r->doc_issuer = sq_col_text(q, 11, a, ok);
	r->doc_number_enc = sq_col_blob(q, 12, &r->doc_number_enc_len, a, ok);
	r->doc_date = sq_col_text(q, 13, a, ok);
	r->created_at = sq_col_text(q, 14, a, ok);
}

static int
steps(struct ctip_step_row **out, int *n_out, struct ctip_store *st,
      int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_STEPS,
			  person_id, read_step, a, err);
}

/* Run an UPDATE guarded by a version: CTIP_ECONFLICT naming what when it
 * changed no row. */
static int
change(struct sqlite_store *s, sqlite3_stmt *q, const char *what,
       struct ctip_err *err)
{
	int rc = sq_exec_stmt(s, q, "write to the database", err);

	if (rc == CTIP_OK && sqlite3_changes(s->db) == 0)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "%s was changed by someone else; reload it "
				    "and try again",
				    what);
	return rc;
}

static int
set_status(struct ctip_store *st, const struct ctip_status_change *c,
	   struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_SET_STATUS, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, c->person_id);
	sqlite3_bind_int(q, 2, c->version);
	sq_bind_text(q, 3, c->status);
	sq_bind_text(q, 4, c->role);
	sq_bind_text(q, 5, c->identified_on);
	sq_bind_text(q, 6, c->now);
	sq_bind_id(q, 7, c->user_id);
	return change(s, q, "the person", err);
}

static int
consent_insert(int64_t *out, struct ctip_store *st,
	       const struct ctip_consent_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_CONSENT_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sq_bind_text(q, 2, r->scope);
	sq_bind_text(q, 3, r->given_by);
	sq_bind_blob(q, 4, r->representative_enc, r->representative_enc_len);
	sq_bind_text(q, 5, r->given_on);
	sqlite3_bind_int64(q, 6, r->unit_id);
	sq_bind_id(q, 7, r->created_by);
	sq_bind_text(q, 8, r->created_at);
	return sq_insert_row(out, s, q, "store the consent", err);
}

static int
consent_withdraw(struct ctip_store *st, const struct ctip_consent_row *r,
		 struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_CONSENT_WITHDRAW, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sqlite3_bind_int64(q, 2, r->person_id);
	sqlite3_bind_int(q, 3, r->version);
	sq_bind_text(q, 4, r->withdrawn_on);
	sq_bind_blob(q, 5, r->withdrawal_enc, r->withdrawal_enc_len);
	return change(s, q, "the consent", err);
}

static void
read_consent(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_consent_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->person_id = sqlite3_column_int64(q, 1);
	r->scope = sq_col_text(q, 2, a, ok);
	r->given_by = sq_col_text(q, 3, a, ok);
	r->representative_enc =
		sq_col_blob(q, 4, &r->representative_enc_len, a, ok);
	r->given_on = sq_col_text(q, 5, a, ok);
	r->withdrawn_on = sq_col_text(q, 6, a, ok);
	r->withdrawal_enc = sq_col_blob(q, 7, &r->withdrawal_enc_len, a, ok);
	r->unit_id = sqlite3_column_int64(q, 8);
	r->created_by = sqlite3_column_int64(q, 9);
	r->created_at = sq_col_text(q, 10, a, ok);
	r->version = sqlite3_column_int(q, 11);
}

static int
consents(struct ctip_consent_row **out, int *n_out, struct ctip_store *st,
	 int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_CONSENTS,
			  person_id, read_consent, a, err);
}

static int
service_insert(int64_t *out, struct ctip_store *st,
	       const struct ctip_service_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_SERVICE_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sq_bind_text(q, 2, r->support_code);
	sqlite3_bind_int64(q, 3, r->provider_unit_id);
	sq_bind_text(q, 4, r->provider);
	sq_bind_text(q, 5, r->provided_on);
	sq_bind_text(q, 6, r->location);
	sq_bind_text(q, 7, r->unit);
	sqlite3_bind_int64(q, 8, r->quantity);
	sqlite3_bind_int64(q, 9, r->amount_vnd);
	sq_bind_text(q, 10, r->regime);
	sq_bind_blob(q, 11, r->override_enc, r->override_enc_len);
	sq_bind_blob(q, 12, r->note_enc, r->note_enc_len);
	sq_bind_id(q, 13, r->created_by);
	sq_bind_text(q, 14, r->created_at);
	return sq_insert_row(out, s, q, "store the support service", err);
}

static void
read_service(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_service_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->person_id = sqlite3_column_int64(q, 1);
	r->support_code = sq_col_text(q, 2, a, ok);
	r->provider_unit_id = sqlite3_column_int64(q, 3);
	r->provider = sq_col_text(q, 4, a, ok);
	r->provided_on = sq_col_text(q, 5, a, ok);
	r->location = sq_col_text(q, 6, a, ok);
	r->unit = sq_col_text(q, 7, a, ok);
	r->quantity = (long)sqlite3_column_int64(q, 8);
	r->amount_vnd = sqlite3_column_int64(q, 9);
	r->regime = sq_col_text(q, 10, a, ok);
	r->override_enc = sq_col_blob(q, 11, &r->override_enc_len, a, ok);
	r->note_enc = sq_col_blob(q, 12, &r->note_enc_len, a, ok);
	r->created_by = sqlite3_column_int64(q, 13);
	r->created_at = sq_col_text(q, 14, a, ok);
}

static int
services(struct ctip_service_row **out, int *n_out, struct ctip_store *st,
	 int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_SERVICES,
			  person_id, read_service, a, err);
}

static int
entitlement(struct ctip_entitlement_row *out, struct ctip_store *st,
	    const char *code, const char *role, const char *citizenship,
	    const char *location, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_ENTITLEMENT, err);
	bool ok = true;
	int rc;

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, code);
	sq_bind_text(q, 2, role);
	sq_bind_text(q, 3, citizenship);
	sq_bind_text(q, 4, location);
	rc = sq_step_one(s, q, "entitlement", err);
	if (rc == CTIP_OK) {
		out->entitled = sqlite3_column_int(q, 0) != 0;
		out->legal_basis = sq_col_text(q, 1, a, &ok);
		out->note = sq_col_text(q, 2, a, &ok);
	}
	sq_done(q);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

static void
read_limit(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_support_limit *l = row;

	l->unit = sq_col_text(q, 0, a, ok);
	l->amount_vnd = sqlite3_column_type(q, 1) == SQLITE_NULL
				? -1
				: sqlite3_column_int64(q, 1);
	l->max_units = (long)sqlite3_column_int64(q, 2);
	l->legal_basis = sq_col_text(q, 3, a, ok);
}

static int
support_limits(struct ctip_support_limit **out, int *n_out,
	       struct ctip_store *st, const char *code, const char *date,
	       struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_LIMITS, err);

	if (q == NULL)
		return err->code;
	sq_bind_text(q, 1, code);
	sq_bind_text(q, 2, date);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q, read_limit,
			   a, err);
}

static int
protection_insert(int64_t *out, struct ctip_store *st,
		  const struct ctip_protection_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_PROTECTION_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sq_bind_text(q, 2, r->kind);
	sq_bind_text(q, 3, r->beneficiary);
	sq_bind_text(q, 4, r->start_on);
	sq_bind_text(q, 5, r->end_on);
	sqlite3_bind_int64(q, 6, r->unit_id);
	sq_bind_blob(q, 7, r->note_enc, r->note_enc_len);
	sq_bind_id(q, 8, r->created_by);
	sq_bind_text(q, 9, r->created_at);
	return sq_insert_row(out, s, q, "store the protection measure", err);
}

static int
protection_end(struct ctip_store *st, const struct ctip_protection_row *r,
	       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_PROTECTION_END, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sqlite3_bind_int64(q, 2, r->person_id);
	sqlite3_bind_int(q, 3, r->version);
	sq_bind_text(q, 4, r->end_on);
	return change(s, q, "the protection measure", err);
}

static void
read_protection(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_protection_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->person_id = sqlite3_column_int64(q, 1);
	r->kind = sq_col_text(q, 2, a, ok);
	r->beneficiary = sq_col_text(q, 3, a, ok);
	r->start_on = sq_col_text(q, 4, a, ok);
	r->end_on = sq_col_text(q, 5, a, ok);
	r->unit_id = sqlite3_column_int64(q, 6);
	r->note_enc = sq_col_blob(q, 7, &r->note_enc_len, a, ok);
	r->created_by = sqlite3_column_int64(q, 8);
	r->created_at = sq_col_text(q, 9, a, ok);
	r->version = sqlite3_column_int(q, 10);
}

static int
protections(struct ctip_protection_row **out, int *n_out, struct ctip_store *st,
	    int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st),
			  Q_PROTECTIONS, person_id, read_protection, a, err);
}

static int
follow_up_insert(int64_t *out, struct ctip_store *st,
		 const struct ctip_follow_up_row *r, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_FOLLOW_UP_INSERT, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->person_id);
	sqlite3_bind_int64(q, 2, r->unit_id);
	sq_bind_text(q, 3, r->due_on);
	sq_bind_blob(q, 4, r->note_enc, r->note_enc_len);
	sq_bind_id(q, 5, r->created_by);
	sq_bind_text(q, 6, r->created_at);
	return sq_insert_row(out, s, q, "store the follow-up visit", err);
}

static int
follow_up_done(struct ctip_store *st, const struct ctip_follow_up_row *r,
	       struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_FOLLOW_UP_DONE, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, r->id);
	sqlite3_bind_int64(q, 2, r->person_id);
	sqlite3_bind_int(q, 3, r->version);
	sq_bind_text(q, 4, r->done_on);
	sq_bind_text(q, 5, r->outcome);
	sq_bind_blob(q, 6, r->note_enc, r->note_enc_len);
	return change(s, q, "the follow-up visit", err);
}

static void
read_follow_up(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_follow_up_row *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->person_id = sqlite3_column_int64(q, 1);
	r->unit_id = sqlite3_column_int64(q, 2);
	r->due_on = sq_col_text(q, 3, a, ok);
	r->done_on = sq_col_text(q, 4, a, ok);
	r->outcome = sq_col_text(q, 5, a, ok);
	r->note_enc = sq_col_blob(q, 6, &r->note_enc_len, a, ok);
	r->created_by = sqlite3_column_int64(q, 7);
	r->created_at = sq_col_text(q, 8, a, ok);
	r->version = sqlite3_column_int(q, 9);
}

static int
follow_ups(struct ctip_follow_up_row **out, int *n_out, struct ctip_store *st,
	   int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	return sq_rows_of((void **)out, n_out, sizeof(**out), S(st),
			  Q_FOLLOW_UPS, person_id, read_follow_up, a, err);
}

static int
follow_ups_due(struct ctip_follow_up_row **out, int *n_out,
	       struct ctip_store *st, int64_t unit_id, const char *before,
	       int limit, struct ctip_arena *a, struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_FOLLOW_UPS_DUE, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, unit_id);
	sq_bind_text(q, 2, before);
	sqlite3_bind_int(q, 3, limit);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   read_follow_up, a, err);
}

static void
read_event(sqlite3_stmt *q, void *row, struct ctip_arena *a, bool *ok)
{
	struct ctip_event_rec *r = row;

	r->id = sqlite3_column_int64(q, 0);
	r->abroad = sqlite3_column_int(q, 1) != 0;
	r->destination_country = sq_col_text(q, 2, a, ok);
	r->recruitment_means = sq_col_text(q, 3, a, ok);
	r->recruited_on = sq_col_text(q, 4, a, ok);
	r->exploited_from = sq_col_text(q, 5, a, ok);
	r->exploited_to = sq_col_text(q, 6, a, ok);
	r->discovery = sq_col_text(q, 7, a, ok);
	r->discovered_on = sq_col_text(q, 8, a, ok);
	r->created_at = sq_col_text(q, 9, a, ok);
	r->purposes = NULL;
}

/* The purpose codes of event id, comma-separated, into a. */
static int
event_purposes(const char **out, struct sqlite_store *s, int64_t id,
	       struct ctip_arena *a, struct ctip_err *err)
{
	sqlite3_stmt *q = sq_stmt(s, Q_EVENT_PURPOSES, err);
	char buf[256];
	size_t n = 0, len;
	int rc;

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, id);
	buf[0] = '\0';
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);

		len = strlen(code);
		if (n + len + 2 > sizeof(buf))
			break;
		if (n > 0)
			buf[n++] = ',';
		memcpy(buf + n, code, len + 1);
		n += len;
	}
	sq_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_db_error(s, err, "read purposes");
	*out = ctip_arena_strdup(a, buf);
	return *out != NULL ? CTIP_OK
			    : ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
}

static int
events(struct ctip_event_rec **out, int *n_out, struct ctip_store *st,
       int64_t person_id, struct ctip_arena *a, struct ctip_err *err)
{
	int rc = sq_rows_of((void **)out, n_out, sizeof(**out), S(st), Q_EVENTS,
			    person_id, read_event, a, err);
	int i;

	for (i = 0; rc == CTIP_OK && i < *n_out; i++)
		rc = event_purposes(&(*out)[i].purposes, S(st), (*out)[i].id, a,
				    err);
	return rc;
}

static int
minors(int64_t **out, int *n_out, struct ctip_store *st, int64_t person_id,
       struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), Q_MINORS, person_id, a, err);
}

static int
referrals(int64_t **out, int *n_out, struct ctip_store *st, int64_t person_id,
	  struct ctip_arena *a, struct ctip_err *err)
{
	return sq_ids_of(out, n_out, S(st), Q_REFERRALS, person_id, a, err);
}

static int
duplicates(int64_t **out, int *n_out, struct ctip_store *st,
	   const struct ctip_person_scope *scope,
	   const struct ctip_duplicate_query *dq, struct ctip_arena *a,
	   struct ctip_err *err)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = sq_stmt(s, Q_DUPLICATES, err);

	if (q == NULL)
		return err->code;
	sqlite3_bind_int64(q, 1, scope->unit_id);
	sq_bind_text(q, 2, scope->province_code);
	sq_bind_blob(q, 3, dq->citizen_id_bidx, CTIP_BLIND_BYTES);
	sq_bind_blob(q, 4, dq->name_bidx, CTIP_BLIND_BYTES);
	if (dq->birth_year > 0)
		sqlite3_bind_int(q, 5, dq->birth_year);
	sq_bind_text(q, 6, dq->commune_code);
	return sq_read_all((void **)out, n_out, sizeof(**out), s, q,
			   sq_read_id_v, a, err);
}

const struct ctip_casework_ops sq_casework_ops = {
	.step_insert = step_insert,
	.steps = steps,
	.set_status = set_status,
	.consent_insert = consent_insert,
	.consent_withdraw = consent_withdraw,
	.consents = consents,
	.service_insert = service_insert,
	.services = services,
	.entitlement = entitlement,
	.support_limits = support_limits,
	.protection_insert = protection_insert,
	.protection_end = protection_end,
	.protections = protections,
	.follow_up_insert = follow_up_insert,
	.follow_up_done = follow_up_done,
	.follow_ups = follow_ups,
	.follow_ups_due = follow_ups_due,
	.events = events,
	.minors = minors,
	.referrals = referrals,
	.duplicates = duplicates,
};

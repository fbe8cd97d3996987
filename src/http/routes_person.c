/* routes_person.c: persons (scope-checked, audited) and the audit log. */
#include "http/routes.h"
#include "core/casework.h"
#include "util/text.h"

json_t *
ctip_json_person_view(const struct ctip_person_view *v)
{
	const struct ctip_person_rec *r = &v->rec;
	json_t *j, *identity = json_null();

	if (v->view == CTIP_VIEW_IDENTITY)
		identity =
			json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "full_name",
				  v->full_name, "citizen_id", v->citizen_id,
				  "phone", v->phone, "address", v->address,
				  "contacts", v->contacts);
	j = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, "
		      "s:s?, s:I, s:b, s:i, s:o}",
		      "id", (json_int_t)r->id, "pseudonym", v->pseudonym,
		      "role", r->role, "sex", r->sex, "birth_date",
		      r->birth_date, "ethnicity", r->ethnicity_code,
		      "nationality", r->nationality, "citizenship",
		      r->citizenship, "province", r->province_code, "commune",
		      r->commune_code, "owner_unit_id",
		      (json_int_t)r->owner_unit_id, "demo", r->is_demo,
		      "version", r->version, "identity", identity);
	json_object_set_new(j, "birth_year",
			    r->birth_year > 0 ? json_integer(r->birth_year)
					      : json_null());
	json_object_set_new(j, "accompanies_id",
			    r->accompanies_id > 0
				    ? json_integer(r->accompanies_id)
				    : json_null());
	json_object_set_new(j, "birth_estimated",
			    json_boolean(r->birth_estimated));
	json_object_set_new(j, "status", json_string(r->status));
	json_object_set_new(j, "received_on",
			    ctip_json_str_or_null(r->received_on));
	json_object_set_new(j, "verify_due",
			    ctip_json_str_or_null(r->verify_due));
	json_object_set_new(j, "identified_on",
			    ctip_json_str_or_null(r->identified_on));
	return j;
}

/* A person read waiting for its audit entry: authorized, with its
 * casework's rows, nothing opened yet. */
struct person_get {
	struct ctip_person_pending pp;
	struct ctip_casework cw;
};

/* The answer of GET /api/persons/{id}, once its read is in the log. */
static void
person_get_done(struct ctip_req *req, struct ctip_resp *resp)
{
	struct person_get *g = req->state;
	struct ctip_person_view v;
	struct ctip_err err = { 0 };
	json_t *j, *ji;
	int i;

	if (ctip_person_release(&v, req->access.kr, &g->pp, req->arena, &err) !=
		    CTIP_OK ||
	    ctip_casework_open(&g->cw, req->access.kr, &g->pp.rec, v.view,
			       req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	/* The intakes this person was registered from (both ways). */
	j = ctip_json_person_view(&v);
	ji = json_array();
	for (i = 0; v.view == CTIP_VIEW_IDENTITY && i < g->cw.n_intakes; i++)
		json_array_append_new(ji, json_integer(g->cw.intakes[i]));
	json_object_set_new(j, "intake_ids", ji);
	json_object_set_new(
		j, "may_change",
		json_boolean(ctip_person_may_change(req->who, &g->pp)));
	ctip_json_casework(j, &g->cw);
	ctip_resp_json(resp, 200, j);
}

/* The answer is already in resp (a refusal, logged meanwhile). */
static void
keep_answer(struct ctip_req *req, struct ctip_resp *resp)
{
	(void)req;
	(void)resp;
}

/*
 * GET /api/persons/{id}?reason=: authorize now and read the casework from
 * the same state; an identity view waits (without holding a thread) until
 * its audit entry is committed, and is decrypted only then.
 */
void
ctip_h_person_get(struct ctip_req *req, struct ctip_resp *resp)
{
	struct person_get *g;
	struct ctip_audit_event ev;
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);

	if (id == 0)
		return;
	g = ctip_arena_alloc(req->arena, sizeof(*g));
	if (g == NULL) {
		ctip_resp_problem(resp, CTIP_ETOOBIG, NULL, "out of memory");
		return;
	}
	if (ctip_casework_authorize(&g->pp, &g->cw, &req->access, req->who, id,
				    ctip_req_query(req, "reason"), req->arena,
				    &err) != CTIP_OK) {
		/* Refused: answered once the refusal is in the audit log. (A
		 * failure after an allowed read released nothing: no entry.) */
		ctip_resp_err(resp, &err);
		if (g->pp.denied) {
			ctip_person_audit_event(&ev, &g->pp, req->who);
			ctip_resp_defer(req, resp, &ev, keep_answer);
		}
		return;
	}
	req->state = g;
	if (!g->pp.audit) {
		person_get_done(req, resp);
		return;
	}
	ctip_person_audit_event(&ev, &g->pp, req->who);
	ctip_resp_defer(req, resp, &ev, person_get_done);
}

/* GET /api/persons?q=&citizen_id=&phone=&commune=&status=&role=&purpose=
 * &destination=&overdue=verify&reason=&limit= */
void
ctip_h_person_find(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_person_search s = { 0 };
	struct ctip_person_view *views;
	struct ctip_err err = { 0 };
	const char *overdue = ctip_req_query(req, "overdue");
	long long limit;
	json_t *items;
	int n, i;

	s.name = ctip_req_query(req, "q");
	s.citizen_id = ctip_req_query(req, "citizen_id");
	s.phone = ctip_req_query(req, "phone");
	s.commune = ctip_req_query(req, "commune");
	s.status = ctip_req_query(req, "status");
	s.role = ctip_req_query(req, "role");
	s.purpose = ctip_req_query(req, "purpose");
	s.destination = ctip_req_query(req, "destination");
	if (overdue != NULL && strcmp(overdue, "verify") != 0) {
		ctip_resp_problem(resp, CTIP_EINVAL, "overdue",
				  "overdue: only \"verify\" is known");
		return;
	}
	s.verify_overdue = overdue != NULL;
	s.reason = ctip_req_query(req, "reason");
	if (!ctip_req_long(&limit, req, resp, "limit", 1, 200, 50))
		return;
	s.limit = (int)limit;
	if (ctip_person_find(&views, &n, &req->access, req->who, &s, req->arena,
			     &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, ctip_json_person_view(&views[i]));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* Integer member key of obj into *out when present and not null, within
 * [min, max]; false after answering 400 with message (e.g. "must be a
 * year") naming where + key. */
static bool
person_int(int64_t *out, bool *given, json_t *obj, const char *where,
	   const char *key, json_int_t min, json_int_t max, const char *message,
	   struct ctip_resp *resp)
{
	json_t *x = json_object_get(obj, key);
	char field[64];

	*given = x != NULL && !json_is_null(x);
	if (!*given)
		return true;
	if (json_is_integer(x) && json_integer_value(x) >= min &&
	    json_integer_value(x) <= max) {
		*out = (int64_t)json_integer_value(x);
		return true;
	}
	snprintf(field, sizeof(field), "%s%s", where, key);
	ctip_resp_problem(resp, CTIP_EINVAL, field, "%s: %s", field, message);
	return false;
}

/* The member "identification" of a victim's registration into *ident
 * (in->identification), if given; false after answering 400. */
static bool
person_identification(struct ctip_person_input *in,
		      struct ctip_step_input *ident, json_t *obj,
		      const char *prefix, struct ctip_resp *resp)
{
	json_t *v = json_object_get(obj, "identification");
	char where[64];

	if (v == NULL || json_is_null(v))
		return true;
	snprintf(where, sizeof(where), "%sidentification", prefix);
	if (ident == NULL || !json_is_object(v)) {
		ctip_resp_problem(resp, CTIP_EINVAL, where,
				  ident == NULL
					  ? "%s: only for a person "
					    "registered as a victim"
					  : "%s: an object {on, evidence, "
					    "document}",
				  where);
		return false;
	}
	memset(ident, 0, sizeof(*ident));
	snprintf(where, sizeof(where), "%sidentification.", prefix);
	if (!ctip_json_str_in(&ident->on, v, where, "on", resp) ||
	    !ctip_json_identification(ident, v, where, resp))
		return false;
	in->identification = ident;
	return true;
}

bool
ctip_json_person(struct ctip_person_input *in, struct ctip_step_input *ident,
		 json_t *obj, const char *where, struct ctip_resp *resp)
{
	static const char *const fields[] = {
		"role",        "sex",         "birth_date", "ethnicity",
		"nationality", "citizenship", "full_name",  "citizen_id",
		"phone",       "address",     "province",   "commune",
		"contacts",    "received_on",
	};
	const char *vals[CTIP_NELEM(fields)];
	char prefix[48];
	int64_t v;
	bool given;
	size_t i;

	memset(in, 0, sizeof(*in));
	if (!json_is_object(obj)) {
		ctip_resp_problem(resp, CTIP_EINVAL, where,
				  "%s: a person must be a JSON object",
				  where[0] != '\0' ? where : "body");
		return false;
	}
	/* Fields of a nested person are named under it: "person.sex". */
	snprintf(prefix, sizeof(prefix), "%s%s", where,
		 where[0] != '\0' ? "." : "");
	for (i = 0; i < CTIP_NELEM(fields); i++)
		if (!ctip_json_str_in(&vals[i], obj, prefix, fields[i], resp))
			return false;
	in->role = vals[0];
	in->sex = vals[1];
	in->birth_date = vals[2];
	in->ethnicity_code = vals[3];
	in->nationality = vals[4];
	in->citizenship = vals[5];
	in->full_name = vals[6];
	in->citizen_id = vals[7];
	in->phone = vals[8];
	in->address = vals[9];
	in->province_code = vals[10];
	in->commune_code = vals[11];
	in->contacts = vals[12];
	in->received_on = vals[13];
	if (!person_int(&v, &given, obj, prefix, "estimated_age", 0, 120,
			"0 to 120 years", resp))
		return false;
	in->has_estimated_age = given;
	in->estimated_age = given ? (int)v : 0;
	if (!person_int(&v, &given, obj, prefix, "birth_year", 1, 9999,
			"must be a year", resp))
		return false;
	in->birth_year = given ? (int)v : 0;
	/* Absent or null: no adult. An id is positive: 0 is not "none". */
	if (!person_int(&v, &given, obj, prefix, "accompanies_id", 1, INT64_MAX,
			"must be an id", resp))
		return false;
	in->accompanies_id = given ? v : 0;
	return person_identification(in, ident, obj, prefix, resp);
}

void
ctip_resp_duplicates(struct ctip_resp *resp, const struct ctip_person_view *v,
		     int n)
{
	json_t *items = json_array(), *j;
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(items, ctip_json_person_view(&v[i]));
	j = json_pack("{s:s, s:s, s:o}", "code",
		      ctip_status_name(CTIP_EDUPLICATE), "message",
		      "this person may be registered already: open the "
		      "candidates to compare, or send confirm_new: true",
		      "candidates", items);
	ctip_resp_json(resp, 409, j);
	resp->content_type = "application/problem+json; charset=utf-8";
}

/* POST /api/persons: register a person owned by the user's unit; 409
 * duplicate_suspected with candidates unless confirm_new is true. */
void
ctip_h_person_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_person_input in;
	struct ctip_step_input ident;
	const char *role;
	struct ctip_person_view v, *dups;
	struct ctip_err err = { 0 };
	json_t *body;
	bool confirm_new;
	int64_t id;
	int n;

	if (!ctip_require(req, resp, CTIP_PERM_PERSON_CREATE) ||
	    (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_person(&in, &ident, body, "", resp) ||
	    !ctip_json_bool(&confirm_new, body, "confirm_new", resp))
		goto out;
	/* A victim without identification is refused before the duplicate
	 * search reads (and audits) anyone. */
	if (ctip_casework_registering(&role, &in, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	if (!confirm_new) {
		if (ctip_person_duplicates(&dups, &n, &req->access, req->who,
					   &in, req->arena, &err) != CTIP_OK) {
			ctip_resp_err(resp, &err);
			goto out;
		}
		if (n > 0) {
			ctip_resp_duplicates(resp, dups, n);
			goto out;
		}
	}
	if (ctip_person_register(&id, &req->access, req->who, &in, &err) !=
		    CTIP_OK ||
	    ctip_person_read(&v, &req->access, req->who, id, NULL, req->arena,
			     &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	ctip_resp_json(resp, 201, ctip_json_person_view(&v));
out:
	json_decref(body);
}

/* GET /api/audit?before_id=&user=&action=&outcome=&limit= */
void
ctip_h_audit(struct ctip_req *req, struct ctip_resp *resp)
{
	static const char *const outcomes[] = { "ok", "denied", "failed",
						"locked", NULL };
	struct ctip_audit_filter f = { 0 };
	struct ctip_audit_row *rows;
	struct ctip_err err = { 0 };
	long long before, limit;
	json_t *items;
	int n, i;

	if (!ctip_require(req, resp, CTIP_PERM_AUDIT_READ) ||
	    !ctip_req_long(&before, req, resp, "before_id", 0, INT64_MAX, 0) ||
	    !ctip_req_long(&limit, req, resp, "limit", 1, 500, 100))
		return;
	f.before_id = before;
	f.limit = (int)limit;
	f.username = ctip_req_opt(req, "user");
	f.action = ctip_req_opt(req, "action");
	f.outcome = ctip_req_opt(req, "outcome");
	if (f.outcome != NULL && !ctip_one_of(f.outcome, outcomes)) {
		ctip_resp_problem(resp, CTIP_EINVAL, "outcome",
				  "outcome: ok, denied, failed or locked");
		return;
	}
	if (req->store->ops->audit_list(&rows, &n, req->store, &f, req->arena,
					&err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, "
				  "s:s, s:s}",
				  "id", (json_int_t)rows[i].id, "at",
				  rows[i].at, "username", rows[i].username,
				  "org_unit_id",
				  (json_int_t)rows[i].org_unit_id, "action",
				  rows[i].action, "object_type",
				  rows[i].object_type, "object_id",
				  rows[i].object_id, "ip", rows[i].ip, "reason",
				  rows[i].reason, "outcome", rows[i].outcome));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* routes_case.c: criminal cases from lead to verdict, and their KPIs. */
#include "http/routes.h"
#include "core/case.h"

/* A member as a positive id, 0 when absent or null; -1 after answering
 * 400 naming key when it is something else. */
static int64_t
json_id(json_t *obj, const char *key, struct ctip_resp *resp)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		ctip_resp_problem(resp, CTIP_EINVAL, key,
				  "%s: a positive integer id", key);
		return -1;
	}
	return (int64_t)json_integer_value(v);
}

static json_t *
case_json(const struct ctip_case_detail *d)
{
	const struct ctip_case_rec *c = &d->rec;
	bool id = d->scope.view == CTIP_VIEW_IDENTITY;
	json_t *j, *a;
	int i;

	j = json_pack(
		"{s:I, s:s, s:s?, s:s?, s:s, s:I, s:o, s:s, s:s, s:i, "
		"s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s}",
		"id", (json_int_t)c->id, "stage", c->stage, "article",
		c->article, "case_number", c->case_number, "province",
		c->province_code, "owner_unit_id", (json_int_t)c->owner_unit_id,
		"owner_unit", ctip_json_org_unit(&d->owner), "created_at",
		c->created_at, "updated_at", c->updated_at, "version",
		c->version, "initiated_on", c->initiated_on, "investigated_on",
		c->investigated_on, "solved_on", c->solved_on, "indicted_on",
		c->indicted_on, "tried_on", c->tried_on, "verdict_on",
		c->verdict_on, "stage_on", c->stage_on, "suspended_from",
		c->suspended_from, "view", id ? "identity" : "pseudonym");
	json_object_set_new(j, "title",
			    id ? json_string(d->title) : json_null());
	a = json_array();
	for (i = 0; i < d->n_stages; i++) {
		const struct ctip_case_stage *s = &d->stages[i];

		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?, s:s?, "
				     "s:s}",
				     "id", (json_int_t)s->row.id, "from",
				     s->row.from_stage, "to", s->row.to_stage,
				     "on", s->row.on_date, "unit_id",
				     (json_int_t)s->row.unit_id, "by", s->by,
				     "note", s->note, "created_at",
				     s->row.created_at));
	}
	json_object_set_new(j, "stages", a);
	a = json_array();
	for (i = 0; i < d->n_offenders; i++) {
		const struct ctip_case_offender *o = &d->offenders[i];

		json_array_append_new(
			a,
			json_pack("{s:I, s:s, s:s, s:o, s:s?, s:s?, s:s?, "
				  "s:s}",
				  "id", (json_int_t)o->row.id, "role",
				  o->row.role, "sex", o->row.sex, "birth_year",
				  o->row.birth_year
					  ? json_integer(o->row.birth_year)
					  : json_null(),
				  "nationality", o->row.nationality, "name",
				  o->name, "citizen_id", o->citizen_id,
				  "created_at", o->row.created_at));
	}
	json_object_set_new(j, "offenders", a);
	a = json_array();
	for (i = 0; i < d->n_victims; i++) {
		const struct ctip_case_victim *v = &d->victims[i];
		int by = v->row.birth_date
				 ? (int)strtol(v->row.birth_date, NULL, 10)
				 : v->row.birth_year;

		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:o, s:s?, s:o, s:o, "
				     "s:s}",
				     "person_id", (json_int_t)v->row.person_id,
				     "pseudonym", v->pseudonym, "sex",
				     v->row.sex, "birth_year",
				     by > 0 ? json_integer(by) : json_null(),
				     "age_on", v->age_on, "age_min",
				     v->age_min >= 0 ? json_integer(v->age_min)
						     : json_null(),
				     "age_max",
				     v->age_max >= 0 ? json_integer(v->age_max)
						     : json_null(),
				     "linked_at", v->row.linked_at));
	}
	json_object_set_new(j, "victims", a);
	a = json_array();
	for (i = 0; i < d->n_intakes; i++)
		json_array_append_new(a, json_integer(d->intake_ids[i]));
	json_object_set_new(j, "intake_ids", a);
	a = json_array();
	for (i = 0; i < d->n_warnings; i++) {
		const struct ctip_case_warning *w = &d->warnings[i];

		json_array_append_new(
			a, json_pack("{s:s, s:o, s:o}", "code", w->code,
				     "person_id",
				     w->person_id ? json_integer(w->person_id)
						  : json_null(),
				     "age",
				     w->age >= 0 ? json_integer(w->age)
						 : json_null()));
	}
	json_object_set_new(j, "warnings", a);
	a = json_array();
	for (i = 0; i < d->n_next; i++)
		json_array_append_new(a, json_string(d->next[i]));
	json_object_set_new(j, "next", a);
	json_object_set_new(j, "may",
			    json_pack("{s:b, s:b, s:b}", "investigate",
				      d->scope.investigate, "prosecute",
				      d->scope.prosecute, "adjudicate",
				      d->scope.adjudicate));
	return j;
}

/* Answer with case id as the user now sees it. */
static void
answer(struct ctip_req *req, struct ctip_resp *resp, int64_t id, int status)
{
	struct ctip_case_detail d;
	struct ctip_err err = { 0 };
	json_t *j;

	if (ctip_case_detail(&d, &req->access, req->who, id, req->arena,
			     &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	j = case_json(&d);
	if (j == NULL)
		ctip_resp_problem(resp, CTIP_EINTERNAL, NULL,
				  "could not encode case %lld", (long long)id);
	else
		ctip_resp_json(resp, status, j);
}

/* GET /api/cases/{id} */
void
ctip_h_case_get(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		answer(req, resp, id, 200);
}

/* GET /api/cases?stage=&before=&limit= */
void
ctip_h_case_list(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_case_rec *rows;
	struct ctip_err err = { 0 };
	json_t *items;
	long long lim, bef;
	int n, i;

	if (!ctip_req_long(&bef, req, resp, "before", 1, INT64_MAX, 0) ||
	    !ctip_req_long(&lim, req, resp, "limit", 1, CTIP_CASE_LIST_MAX, 50))
		return;
	if (ctip_case_list(&rows, &n, &req->access, req->who,
			   ctip_req_query(req, "stage"), bef, (int)lim,
			   req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		const struct ctip_case_rec *c = &rows[i];

		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s?, s:s?, s:s, s:I, s:s?, "
				  "s:s?, s:s, s:i}",
				  "id", (json_int_t)c->id, "stage", c->stage,
				  "article", c->article, "case_number",
				  c->case_number, "province", c->province_code,
				  "owner_unit_id", (json_int_t)c->owner_unit_id,
				  "initiated_on", c->initiated_on, "stage_on",
				  c->stage_on, "created_at", c->created_at,
				  "version", c->version));
	}
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/cases {"title","article"}: a lead of the user's unit. */
void
ctip_h_case_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *title, *article;
	json_t *body;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&title, body, "title", resp) ||
	    !ctip_json_str(&article, body, "article", resp))
		goto out;
	if (ctip_case_create(&id, &req->access, req->who, article, title,
			     &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	answer(req, resp, id, 201);
out:
	json_decref(body);
}

/* POST /api/cases/{id}/stage {"to","on","note","case_number","article",
 * "version"} */
void
ctip_h_case_stage(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_case_step step;
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	memset(&step, 0, sizeof(step));
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_str(&step.to, body, "to", resp) ||
	    !ctip_json_str(&step.on, body, "on", resp) ||
	    !ctip_json_str(&step.note, body, "note", resp) ||
	    !ctip_json_str(&step.case_number, body, "case_number", resp) ||
	    !ctip_json_str(&step.article, body, "article", resp))
		goto out;
	if (ctip_case_move(&req->access, req->who, id, version, &step, &err) !=
	    CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200);
out:
	json_decref(body);
}

/* POST /api/cases/{id}/edit {"title","article","case_number","version"} */
void
ctip_h_case_edit(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *title, *article, *number;
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_str(&title, body, "title", resp) ||
	    !ctip_json_str(&article, body, "article", resp) ||
	    !ctip_json_str(&number, body, "case_number", resp))
		goto out;
	if (ctip_case_edit(&req->access, req->who, id, version, title, article,
			   number, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200);
out:
	json_decref(body);
}

/* POST /api/cases/{id}/offenders {"role","sex","birth_year",
 * "nationality","name","citizen_id","version"} */
void
ctip_h_case_offender(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_offender_input in;
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0), oid;
	json_t *body, *by;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	memset(&in, 0, sizeof(in));
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_str(&in.role, body, "role", resp) ||
	    !ctip_json_str(&in.sex, body, "sex", resp) ||
	    !ctip_json_str(&in.nationality, body, "nationality", resp) ||
	    !ctip_json_str(&in.name, body, "name", resp) ||
	    !ctip_json_str(&in.citizen_id, body, "citizen_id", resp))
		goto out;
	by = json_object_get(body, "birth_year");
	if (by != NULL && !json_is_null(by)) {
		if (!json_is_integer(by) || json_integer_value(by) < 1900 ||
		    json_integer_value(by) > 2100) {
			ctip_resp_problem(resp, CTIP_EINVAL, "birth_year",
					  "birth_year: a year");
			goto out;
		}
		in.birth_year = (int)json_integer_value(by);
	}
	if (ctip_case_add_offender(&oid, &req->access, req->who, id, version,
				   &in, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 201);
out:
	json_decref(body);
}

/* POST /api/cases/{id}/victims {"person_id","reason","version"} */
void
ctip_h_case_victim(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *reason;
	int64_t id = ctip_req_id(req, resp, 0), pid;
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_str(&reason, body, "reason", resp) ||
	    (pid = json_id(body, "person_id", resp)) < 0)
		goto out;
	if (pid == 0) {
		ctip_resp_problem(resp, CTIP_EINVAL, "person_id",
				  "person_id: required");
		goto out;
	}
	if (ctip_case_link_victim(&req->access, req->who, id, version, pid,
				  reason, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200);
out:
	json_decref(body);
}

/* POST /api/cases/{id}/intakes {"intake_id","version"} */
void
ctip_h_case_intake(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0), iid;
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    (iid = json_id(body, "intake_id", resp)) < 0)
		goto out;
	if (iid == 0) {
		ctip_resp_problem(resp, CTIP_EINVAL, "intake_id",
				  "intake_id: required");
		goto out;
	}
	if (ctip_case_link_intake(&req->access, req->who, id, version, iid,
				  &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200);
out:
	json_decref(body);
}

/* GET /api/kpi/cases?from=&to=[&unit=|&province=] */
void
ctip_h_kpi_cases(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_case_kpi k;
	struct ctip_err err = { 0 };
	long long uid;
	json_t *j;

	if (!ctip_req_long(&uid, req, resp, "unit", 1, INT64_MAX, 0))
		return;
	if (ctip_case_kpi(&k, req->store, req->who, ctip_req_query(req, "from"),
			  ctip_req_query(req, "to"), uid,
			  ctip_req_query(req, "province"), req->arena,
			  &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	j = json_pack("{s:{s:s, s:s}, s:{s:I, s:s?}, s:{s:I, s:I, s:I, s:I, "
		      "s:I, s:I, s:I, s:I}, s:o, s:o, s:o}",
		      "period", "from", k.filter.from, "to", k.filter.to,
		      "scope", "unit_id", (json_int_t)k.filter.unit_id,
		      "province", k.filter.province_code, "counts", "initiated",
		      (json_int_t)k.counts.initiated, "investigated",
		      (json_int_t)k.counts.investigated, "solved",
		      (json_int_t)k.counts.solved, "indicted",
		      (json_int_t)k.counts.indicted, "tried",
		      (json_int_t)k.counts.tried, "verdict",
		      (json_int_t)k.counts.verdict, "suspended",
		      (json_int_t)k.counts.suspended, "closed",
		      (json_int_t)k.counts.closed, "solved",
		      ctip_json_kpi_rate(&k.solved), "indicted",
		      ctip_json_kpi_rate(&k.indicted), "tried",
		      ctip_json_kpi_rate(&k.tried));
	ctip_resp_json(resp, 200, j);
}

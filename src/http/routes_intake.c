/* routes_intake.c: tips and reports, and their legal clock. */
#include "http/routes.h"
#include "core/casework.h"
#include "core/intake.h"
#include "core/kpi.h"

static json_t *
strings(const char *const *v, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *
intake_json(const struct ctip_intake_view *v)
{
	const struct ctip_intake_row *r = &v->row;
	bool id = v->view == CTIP_VIEW_IDENTITY;
	json_t *j, *legal = json_null(), *reporter = json_null();

	if (v->legal) {
		legal = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:b, s:b}",
				  "deadline", r->deadline, "extension",
				  r->extension, "decision", r->decision,
				  "decided_at", r->decided_at, "note",
				  id ? v->decision_note : NULL, "overdue",
				  v->overdue, "due_soon", v->due_soon);
		/* Who decided: the user's id (the audit log names them). */
		json_object_set_new(legal, "decided_by",
				    r->decided_by ? json_integer(r->decided_by)
						  : json_null());
	}
	if (id)
		reporter = r->reporter_anonymous
				   ? json_pack("{s:b}", "anonymous", 1)
				   : json_pack("{s:b, s:s?, s:s?}", "anonymous",
					       0, "name", v->reporter_name,
					       "phone", v->reporter_phone);
	j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, "
		      "s:s, s:I, s:i, s:s, s:o, s:o}",
		      "id", (json_int_t)r->id, "received_at", r->received_at,
		      "channel", r->channel, "language", r->language,
		      "province", r->province_code, "commune", r->commune_code,
		      "classification", r->classification, "purpose",
		      r->purpose_code, "urgency", r->urgency, "status",
		      r->status, "owner_unit_id", (json_int_t)r->owner_unit_id,
		      "version", r->version, "created_at", r->created_at,
		      "legal", legal, "reporter", reporter);
	json_object_set_new(j, "summary",
			    id ? json_string(v->summary) : json_null());
	json_object_set_new(j, "resolution",
			    id && v->resolution ? json_string(v->resolution)
						: json_null());
	json_object_set_new(j, "mentioned_phones",
			    id ? strings(v->phones, v->n_phones) : json_null());
	json_object_set_new(j, "mentioned_names",
			    id ? strings(v->names, v->n_names) : json_null());
	return j;
}

/* Answer with intake id. echo: the answer to the request that just
 * created or changed it, already audited as such (no read entry). */
static void
answer(struct ctip_req *req, struct ctip_resp *resp, int64_t id, int status,
       bool echo)
{
	struct ctip_intake_view v;
	struct ctip_err err = { 0 };

	int64_t *persons;
	json_t *j, *jp;
	int n, i;

	if ((echo ? ctip_intake_echo(&v, &req->access, req->who, id, req->arena,
				     &err)
		  : ctip_intake_read(&v, &req->access, req->who, id, req->arena,
				     &err)) != CTIP_OK ||
	    req->store->ops->intake_persons(&persons, &n, req->store, id,
					    req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	j = intake_json(&v);
	jp = json_array();
	for (i = 0; v.links && i < n; i++)
		json_array_append_new(jp, json_integer(persons[i]));
	json_object_set_new(j, "person_ids", jp);
	if (req->store->ops->intake_cases(&persons, &n, req->store, id,
					  req->arena, &err) != CTIP_OK) {
		json_decref(j);
		ctip_resp_err(resp, &err);
		return;
	}
	jp = json_array();
	for (i = 0; v.links && i < n; i++)
		json_array_append_new(jp, json_integer(persons[i]));
	json_object_set_new(j, "case_ids", jp);
	ctip_resp_json(resp, status, j);
}

/* A list of strings member into out (at most max); false after a 400. */
static bool
string_list(const char **out, int *n, int max, json_t *body, const char *key,
	    struct ctip_resp *resp)
{
	json_t *a = json_object_get(body, key), *v;
	size_t i;

	*n = 0;
	if (a == NULL || json_is_null(a))
		return true;
	if (!json_is_array(a) || json_array_size(a) > (size_t)max) {
		ctip_resp_problem(resp, CTIP_EINVAL, key,
				  "%s: a list of at most %d strings", key, max);
		return false;
	}
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			ctip_resp_problem(resp, CTIP_EINVAL, key,
					  "%s: must be strings", key);
			return false;
		}
		out[(*n)++] = json_string_value(v);
	}
	return true;
}

/* POST /api/intakes (header Idempotency-Key) */
void
ctip_h_intake_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_intake_input in = { 0 };
	struct ctip_err err = { 0 };
	json_t *body, *rep, *anon;
	bool existed;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&in.received_at, body, "received_at", resp) ||
	    !ctip_json_str(&in.channel, body, "channel", resp) ||
	    !ctip_json_str(&in.language, body, "language", resp) ||
	    !ctip_json_str(&in.province_code, body, "province", resp) ||
	    !ctip_json_str(&in.commune_code, body, "commune", resp) ||
	    !ctip_json_str(&in.summary, body, "summary", resp) ||
	    !ctip_json_str(&in.classification, body, "classification", resp) ||
	    !ctip_json_str(&in.purpose, body, "purpose", resp) ||
	    !ctip_json_str(&in.urgency, body, "urgency", resp) ||
	    !string_list(in.phones, &in.n_phones, CTIP_INTAKE_MENTIONS_MAX,
			 body, "mentioned_phones", resp) ||
	    !string_list(in.names, &in.n_names, CTIP_INTAKE_MENTIONS_MAX, body,
			 "mentioned_names", resp))
		goto out;
	rep = json_object_get(body, "reporter");
	if (!json_is_object(rep) ||
	    !json_is_boolean(anon = json_object_get(rep, "anonymous"))) {
		ctip_resp_problem(resp, CTIP_EINVAL, "reporter",
				  "reporter: an object with \"anonymous\" "
				  "true or false");
		goto out;
	}
	in.reporter_anonymous = json_is_true(anon);
	if (!ctip_json_str_in(&in.reporter_name, rep, "reporter.", "name",
			      resp) ||
	    !ctip_json_str_in(&in.reporter_phone, rep, "reporter.", "phone",
			      resp))
		goto out;
	in.idempotency_key = ctip_req_header(req, "Idempotency-Key");
	if (ctip_intake_create(&id, &existed, &req->access, req->who, &in,
			       &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	answer(req, resp, id, existed ? 200 : 201, true);
out:
	json_decref(body);
}

/* GET /api/intakes/{id} */
void
ctip_h_intake_get(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		answer(req, resp, id, 200, false);
}

/* GET /api/intakes?due=overdue|soon&limit= */
void
ctip_h_intake_list(struct ctip_req *req, struct ctip_resp *resp)
{
	const char *due = ctip_req_query(req, "due");
	struct ctip_intake_view v;
	struct ctip_err err = { 0 };
	enum ctip_due mode = CTIP_DUE_ALL;
	int64_t *ids;
	json_t *items;
	long long lim;
	int n, i;

	if (!ctip_req_long(&lim, req, resp, "limit", 1, 200, 50))
		return;
	if (due != NULL && strcmp(due, "overdue") == 0)
		mode = CTIP_DUE_OVERDUE;
	else if (due != NULL && strcmp(due, "soon") == 0)
		mode = CTIP_DUE_SOON;
	else if (due != NULL) {
		ctip_resp_problem(resp, CTIP_EINVAL, "due",
				  "due: overdue or soon");
		return;
	}
	if (ctip_intake_list(&ids, &n, &req->access, req->who, mode,
			     ctip_req_query(req, "status"), (int)lim,
			     req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		if (ctip_intake_read(&v, &req->access, req->who, ids[i],
				     req->arena, &err) != CTIP_OK) {
			json_decref(items);
			ctip_resp_err(resp, &err);
			return;
		}
		json_array_append_new(items, intake_json(&v));
	}
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/intakes/repeat?phone= */
void
ctip_h_intake_repeat(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_intake_row row;
	struct ctip_err err = { 0 };
	int64_t *intakes, *persons;
	char pseudonym[16];
	int ni, np, i;
	json_t *ji, *jp;

	if (ctip_intake_repeat(&intakes, &ni, &persons, &np, &req->access,
			       req->who, ctip_req_query(req, "phone"),
			       req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	/* Ids and times only, of records core found p may open. */
	ji = json_array();
	for (i = 0; i < ni; i++) {
		if (req->store->ops->intake_get(&row, req->store, intakes[i],
						req->arena, &err) != CTIP_OK)
			continue;
		json_array_append_new(ji, json_pack("{s:I, s:s}", "id",
						    (json_int_t)intakes[i],
						    "received_at",
						    row.received_at));
	}
	jp = json_array();
	for (i = 0; i < np; i++) {
		ctip_person_pseudonym(pseudonym, req->access.kr, persons[i]);
		json_array_append_new(jp, json_pack("{s:I, s:s}", "id",
						    (json_int_t)persons[i],
						    "pseudonym", pseudonym));
	}
	ctip_resp_json(resp, 200,
		       json_pack("{s:o, s:o}", "intakes", ji, "persons", jp));
}

enum step { CLASSIFY, EXTEND, DECIDE, RESOLVE };

static void
step(struct ctip_req *req, struct ctip_resp *resp, enum step which)
{
	const char *a = NULL, *b = NULL, *c = NULL;
	struct ctip_err err = { 0 };
	enum ctip_status rc = CTIP_EINVAL;
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0)
		goto out;
	switch (which) {
	case CLASSIFY:
		if (ctip_json_str(&a, body, "classification", resp) &&
		    ctip_json_str(&b, body, "purpose", resp) &&
		    ctip_json_str(&c, body, "urgency", resp))
			rc = ctip_intake_classify(&req->access, req->who, id,
						  version, a, b, c, &err);
		else
			goto out;
		break;
	case EXTEND:
		if (!ctip_json_str(&a, body, "kind", resp))
			goto out;
		rc = ctip_intake_extend(&req->access, req->who, id, version, a,
					&err);
		break;
	case DECIDE:
		if (!ctip_json_str(&a, body, "decision", resp) ||
		    !ctip_json_str(&b, body, "note", resp))
			goto out;
		rc = ctip_intake_decide(&req->access, req->who, id, version, a,
					b, &err);
		break;
	case RESOLVE:
		if (!ctip_json_str(&a, body, "resolution", resp))
			goto out;
		rc = ctip_intake_resolve(&req->access, req->who, id, version, a,
					 &err);
		break;
	}
	if (rc != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200, true);
out:
	json_decref(body);
}

void
ctip_h_intake_classify(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, CLASSIFY);
}

void
ctip_h_intake_extend(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, EXTEND);
}

void
ctip_h_intake_decide(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, DECIDE);
}

void
ctip_h_intake_resolve(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, RESOLVE);
}

/* GET /api/kpi/intakes?from=yyyy-mm-dd&to=yyyy-mm-dd&province= */
void
ctip_h_kpi_intakes(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_intake_kpi k;
	struct ctip_err err = { 0 };
	json_t *by, *j;
	int i;

	if (ctip_intake_kpi(
		    &k, req->store, req->who, ctip_req_query(req, "from"),
		    ctip_req_query(req, "to"), ctip_req_query(req, "commune"),
		    ctip_req_query(req, "province"), req->arena,
		    &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	by = json_object();
	for (i = 0; i < k.n_agencies; i++)
		json_object_set_new(by, k.agencies[i],
				    json_integer(k.agency_counts[i]));
	j = json_pack("{s:{s:s, s:s}, s:{s:s?, s:s?}, s:I, s:I, s:I, s:I, "
		      "s:I, s:I, s:I, s:I, s:o}",
		      "period", "from", ctip_req_query(req, "from"), "to",
		      ctip_req_query(req, "to"), "scope", "commune",
		      k.filter.commune_code, "province", k.filter.province_code,
		      "received", (json_int_t)k.counts.received, "classified",
		      (json_int_t)k.counts.classified, "resolved",
		      (json_int_t)k.counts.resolved, "tips",
		      (json_int_t)k.counts.tips, "tips_classified",
		      (json_int_t)k.counts.tips_classified, "tips_resolved",
		      (json_int_t)k.counts.tips_resolved,
		      "tips_resolved_in_time",
		      (json_int_t)k.counts.tips_in_time, "referred",
		      (json_int_t)k.counts.referred, "referrals_by_agency", by);
	json_object_set_new(j, "share_classified",
			    ctip_json_rounded(k.share_classified, 4));
	json_object_set_new(j, "share_resolved",
			    ctip_json_rounded(k.share_resolved, 4));
	json_object_set_new(j, "share_tips_resolved_in_time",
			    ctip_json_rounded(k.share_tips_in_time, 4));
	/* The two programme KPIs with their targets and traffic lights. */
	json_object_set_new(j, "kpi_classified",
			    ctip_json_kpi_rate(&k.classified));
	json_object_set_new(j, "kpi_resolved", ctip_json_kpi_rate(&k.resolved));
	/* Hours to two decimals (36 seconds). */
	json_object_set_new(j, "median_hours_to_referral",
			    ctip_json_rounded(k.median_hours_to_referral, 2));
	ctip_resp_json(resp, 200, j);
}

/* POST /api/intakes/{id}/persons {"person": {...}, "minors": [{...}]}:
 * register the person an intake is about, and the minors with them. */
void
ctip_h_intake_persons(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_person_input adult, minors[CTIP_MINORS_MAX];
	struct ctip_step_input ident;
	const char *role;
	int64_t ids[1 + CTIP_MINORS_MAX];
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body, *jm, *v, *out;
	char where[32], field[48];
	bool confirm_new;
	size_t i;
	int n = 0;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_person(&adult, &ident, json_object_get(body, "person"),
			      "person", resp) ||
	    !ctip_json_bool(&confirm_new, body, "confirm_new", resp))
		goto done;
	jm = json_object_get(body, "minors");
	if (jm != NULL && !json_is_null(jm)) {
		if (!json_is_array(jm) ||
		    json_array_size(jm) > CTIP_MINORS_MAX) {
			ctip_resp_problem(resp, CTIP_EINVAL, "minors",
					  "minors: a list of at most %d "
					  "persons",
					  CTIP_MINORS_MAX);
			goto done;
		}
		json_array_foreach(jm, i, v)
		{
			snprintf(where, sizeof(where), "minors[%zu]", i);
			if (!ctip_json_person(&minors[n], NULL, v, where, resp))
				goto done;
			/* A minor's role is implied: any other is a mistake,
			 * not something to overwrite. */
			if (minors[n].role != NULL &&
			    strcmp(minors[n].role, "accompanying_minor") != 0) {
				snprintf(field, sizeof(field), "%s.role",
					 where);
				ctip_resp_problem(resp, CTIP_EINVAL, field,
						  "%s: accompanying_minor, or "
						  "leave it out",
						  field);
				goto done;
			}
			n++;
		}
	}
	/* A victim without identification is refused before the duplicate
	 * search reads (and audits) anyone; other errors as registering
	 * finds them, the role's first. */
	if (adult.role != NULL && strcmp(adult.role, "victim") == 0 &&
	    ctip_authz_can(req->who, CTIP_PERM_PERSON_CREATE) &&
	    ctip_casework_registering(&role, &adult, &err) != CTIP_OK) {
		ctip_err_prefix(&err, "person.");
		ctip_resp_err(resp, &err);
		goto done;
	}
	/* The same duplicate warning as a registration of its own. */
	if (!confirm_new) {
		struct ctip_person_view *dups;
		int n_dups;

		if (ctip_person_duplicates(&dups, &n_dups, &req->access,
					   req->who, &adult, req->arena,
					   &err) != CTIP_OK) {
			ctip_resp_err(resp, &err);
			goto done;
		}
		if (n_dups > 0) {
			ctip_resp_duplicates(resp, dups, n_dups);
			goto done;
		}
	}
	if (ctip_intake_register_persons(ids, &n, &req->access, req->who, id,
					 &adult, minors, n, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto done;
	}
	out = json_array();
	for (i = 0; i < (size_t)n; i++)
		json_array_append_new(out, json_integer(ids[i]));
	ctip_resp_json(resp, 201,
		       json_pack("{s:I, s:o}", "intake_id", (json_int_t)id,
				 "person_ids", out));
done:
	json_decref(body);
}

/* POST /api/intakes/{id}/case {"article","title"}: open a criminal-case
 * lead from the intake. */
void
ctip_h_intake_case(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *article, *title;
	int64_t id = ctip_req_id(req, resp, 0), case_id;
	json_t *body;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&article, body, "article", resp) ||
	    !ctip_json_str(&title, body, "title", resp))
		goto out;
	if (ctip_intake_open_case(&case_id, &req->access, req->who, id, article,
				  title, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	ctip_resp_json(resp, 201,
		       json_pack("{s:I, s:I}", "intake_id", (json_int_t)id,
				 "case_id", (json_int_t)case_id));
out:
	json_decref(body);
}

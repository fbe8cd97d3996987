/* routes_casework.c: a person's process, support, consents, protection and
 * follow-up visits (core/casework.h). */
#include "http/routes.h"
#include "core/casework.h"
#include "util/text.h"

json_t *
ctip_json_str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* An integer member within [min, max] into *out (def when absent or
 * null); false after answering 400 naming it. */
static bool
json_int(long long *out, json_t *obj, const char *key, long long def,
	 long long min, long long max, struct ctip_resp *resp)
{
	json_t *x = json_object_get(obj, key);

	*out = def;
	if (x == NULL || json_is_null(x))
		return true;
	if (!json_is_integer(x) || json_integer_value(x) < min ||
	    json_integer_value(x) > max) {
		ctip_resp_problem(resp, CTIP_EINVAL, key,
				  "%s: a whole number from %lld to %lld", key,
				  min, max);
		return false;
	}
	*out = json_integer_value(x);
	return true;
}

static json_t *
step_json(const struct ctip_step_row *s, const char *reason,
	  const char *doc_number)
{
	json_t *j = json_pack(
		"{s:I, s:s, s:o, s:s, s:s, s:I, s:o, s:s}", "id",
		(json_int_t)s->id, "step", s->step, "from",
		ctip_json_str_or_null(s->from_status), "to", s->to_status, "on",
		s->on_date, "unit_id", (json_int_t)s->unit_id, "reason",
		ctip_json_str_or_null(reason), "at", s->created_at);

	if (s->evidence != NULL)
		json_object_set_new(j, "identification",
				    json_pack("{s:s, s:{s:s, s:s?, s:o, s:s?}}",
					      "evidence", s->evidence,
					      "document", "type", s->doc_type,
					      "issuer", s->doc_issuer, "number",
					      ctip_json_str_or_null(doc_number),
					      "date", s->doc_date));
	return j;
}

static json_t *
event_json(const struct ctip_event_rec *e)
{
	return json_pack("{s:I, s:b, s:o, s:o, s:o, s:s, s:s, s:s}", "id",
			 (json_int_t)e->id, "abroad", e->abroad, "destination",
			 ctip_json_str_or_null(e->destination_country),
			 "recruitment_means",
			 ctip_json_str_or_null(e->recruitment_means),
			 "recruited_on", ctip_json_str_or_null(e->recruited_on),
			 "discovery", e->discovery, "discovered_on",
			 e->discovered_on, "purposes", e->purposes);
}

void
ctip_json_casework(json_t *j, const struct ctip_casework *cw)
{
	json_t *a;
	int i;

	a = json_array();
	for (i = 0; i < cw->n_steps; i++)
		json_array_append_new(a, step_json(&cw->steps[i],
						   cw->step_reasons[i],
						   cw->step_doc_numbers[i]));
	json_object_set_new(j, "steps", a);
	a = json_array();
	for (i = 0; i < cw->n_events; i++)
		json_array_append_new(a, event_json(&cw->events[i]));
	json_object_set_new(j, "events", a);
	a = json_array();
	for (i = 0; i < cw->n_consents; i++) {
		const struct ctip_consent_row *c = &cw->consents[i];

		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:i}",
				     "id", (json_int_t)c->id, "scope", c->scope,
				     "given_by", c->given_by, "representative",
				     ctip_json_str_or_null(
					     cw->consent_representatives[i]),
				     "given_on", c->given_on, "withdrawn_on",
				     ctip_json_str_or_null(c->withdrawn_on),
				     "withdrawal_reason",
				     ctip_json_str_or_null(
					     cw->consent_withdrawals[i]),
				     "version", c->version));
	}
	json_object_set_new(j, "consents", a);
	a = json_array();
	for (i = 0; i < cw->n_services; i++) {
		const struct ctip_service_row *s = &cw->services[i];

		json_array_append_new(
			a,
			json_pack(
				"{s:I, s:s, s:I, s:o, s:s, s:s, s:s, "
				"s:I, s:I, s:s, s:b, s:o, s:o}",
				"id", (json_int_t)s->id, "support",
				s->support_code, "provider_unit_id",
				(json_int_t)s->provider_unit_id, "provider",
				ctip_json_str_or_null(s->provider),
				"provided_on", s->provided_on, "location",
				s->location, "unit", s->unit, "quantity",
				(json_int_t)s->quantity, "amount_vnd",
				(json_int_t)s->amount_vnd, "regime", s->regime,
				"override", s->override_enc != NULL,
				"override_reason",
				ctip_json_str_or_null(cw->service_overrides[i]),
				"note",
				ctip_json_str_or_null(cw->service_notes[i])));
	}
	json_object_set_new(j, "services", a);
	json_object_set_new(j, "services_total_vnd",
			    json_integer((json_int_t)cw->total_vnd));
	a = json_array();
	for (i = 0; i < cw->n_protections; i++) {
		const struct ctip_protection_row *m = &cw->protections[i];

		json_array_append_new(
			a, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:i}",
				     "id", (json_int_t)m->id, "kind", m->kind,
				     "beneficiary", m->beneficiary, "start_on",
				     m->start_on, "end_on",
				     ctip_json_str_or_null(m->end_on), "note",
				     ctip_json_str_or_null(
					     cw->protection_notes[i]),
				     "version", m->version));
	}
	json_object_set_new(j, "protection", a);
	a = json_array();
	for (i = 0; i < cw->n_follow_ups; i++) {
		const struct ctip_follow_up_row *f = &cw->follow_ups[i];

		json_array_append_new(
			a,
			json_pack("{s:I, s:s, s:o, s:o, s:o, s:i}", "id",
				  (json_int_t)f->id, "due_on", f->due_on,
				  "done_on", ctip_json_str_or_null(f->done_on),
				  "outcome", ctip_json_str_or_null(f->outcome),
				  "note",
				  ctip_json_str_or_null(cw->follow_up_notes[i]),
				  "version", f->version));
	}
	json_object_set_new(j, "follow_ups", a);
	a = json_array();
	for (i = 0; i < cw->n_minors; i++)
		json_array_append_new(a, json_integer(cw->minors[i]));
	json_object_set_new(j, "minor_ids", a);
	a = json_array();
	for (i = 0; cw->next_steps[i] != NULL; i++)
		json_array_append_new(a, json_string(cw->next_steps[i]));
	json_object_set_new(j, "next_steps", a);
}

/* The body of a POST on /api/persons/{id}/..., with the id; NULL after
 * answering. */
static json_t *
begin(int64_t *id, struct ctip_req *req, struct ctip_resp *resp)
{
	if ((*id = ctip_req_id(req, resp, 0)) == 0)
		return NULL;
	return ctip_req_json(req, resp);
}

/* Answer 201 {"id": id} or the error. */
static void
created(struct ctip_resp *resp, enum ctip_status rc, int64_t id,
	const struct ctip_err *err)
{
	if (rc != CTIP_OK)
		ctip_resp_err(resp, err);
	else
		ctip_resp_json(resp, 201,
			       json_pack("{s:I}", "id", (json_int_t)id));
}

/* Answer 200 {"ok": true} or the error. */
static void
changed(struct ctip_resp *resp, enum ctip_status rc, const struct ctip_err *err)
{
	if (rc != CTIP_OK)
		ctip_resp_err(resp, err);
	else
		ctip_resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

/* A string member key of the document into *out (NULL when absent); false
 * after answering 400 naming it as core does, "<where>document.<key>". */
static bool
doc_str(const char **out, json_t *doc, const char *where, const char *key,
	struct ctip_resp *resp)
{
	json_t *v = json_object_get(doc, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		char field[64];

		snprintf(field, sizeof(field), "%sdocument.%s", where, key);
		ctip_resp_problem(resp, CTIP_EINVAL, field,
				  "%s: must be a string", field);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

bool
ctip_json_identification(struct ctip_step_input *in, json_t *obj,
			 const char *where, struct ctip_resp *resp)
{
	json_t *ev = json_object_get(obj, "evidence"), *doc, *x;
	char field[48];
	size_t i;

	snprintf(field, sizeof(field), "%sevidence", where);
	if (ev != NULL && !json_is_null(ev)) {
		if (!json_is_array(ev) ||
		    json_array_size(ev) > CTIP_EVIDENCE_MAX) {
			ctip_resp_problem(resp, CTIP_EINVAL, field,
					  "%s: a list of at most %d sources",
					  field, CTIP_EVIDENCE_MAX);
			return false;
		}
		json_array_foreach(ev, i, x)
		{
			if (!json_is_string(x)) {
				ctip_resp_problem(resp, CTIP_EINVAL, field,
						  "%s: letters of Art. 32.1",
						  field);
				return false;
			}
			in->evidence[in->n_evidence++] = json_string_value(x);
		}
	}
	doc = json_object_get(obj, "document");
	if (doc == NULL || json_is_null(doc))
		return true;
	if (!json_is_object(doc)) {
		snprintf(field, sizeof(field), "%sdocument", where);
		ctip_resp_problem(resp, CTIP_EINVAL, field,
				  "%s: an object {type, issuer, number, "
				  "date}",
				  field);
		return false;
	}
	return doc_str(&in->doc_type, doc, where, "type", resp) &&
	       doc_str(&in->doc_issuer, doc, where, "issuer", resp) &&
	       doc_str(&in->doc_number, doc, where, "number", resp) &&
	       doc_str(&in->doc_date, doc, where, "date", resp);
}

/* POST /api/persons/{id}/steps {step, on, reason, evidence[], document
 * {type, issuer, number, date}, version} */
void
ctip_h_person_step(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_step_input in = { 0 };
	struct ctip_err err = { 0 };
	enum ctip_status rc;
	json_t *body;
	int64_t id, step_id = 0;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (!ctip_json_str(&in.step, body, "step", resp) ||
	    !ctip_json_str(&in.on, body, "on", resp) ||
	    !ctip_json_str(&in.reason, body, "reason", resp) ||
	    (in.version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_identification(&in, body, "", resp))
		goto out;
	rc = ctip_casework_step(&step_id, &req->access, req->who, id, &in,
				&err);
	created(resp, rc, step_id, &err);
out:
	json_decref(body);
}

/* POST /api/persons/{id}/events {abroad, destination, recruitment_means,
 * recruited_on, discovery, discovered_on, purposes[]} */
void
ctip_h_person_event(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_event_input in = { 0 };
	struct ctip_err err = { 0 };
	enum ctip_status rc;
	json_t *body, *pu, *x;
	int64_t id, event_id = 0;
	size_t i;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (!ctip_json_bool(&in.abroad, body, "abroad", resp) ||
	    !ctip_json_str(&in.destination_country, body, "destination",
			   resp) ||
	    !ctip_json_str(&in.recruitment_means, body, "recruitment_means",
			   resp) ||
	    !ctip_json_str(&in.recruited_on, body, "recruited_on", resp) ||
	    !ctip_json_str(&in.discovery, body, "discovery", resp) ||
	    !ctip_json_str(&in.discovered_on, body, "discovered_on", resp))
		goto out;
	pu = json_object_get(body, "purposes");
	if (!json_is_array(pu) || json_array_size(pu) > CTIP_PURPOSES_MAX) {
		ctip_resp_problem(resp, CTIP_EINVAL, "purposes",
				  "purposes: a list of 1 to %d purpose codes",
				  CTIP_PURPOSES_MAX);
		goto out;
	}
	json_array_foreach(pu, i, x)
	{
		if (!json_is_string(x)) {
			ctip_resp_problem(resp, CTIP_EINVAL, "purposes",
					  "purposes: purpose codes");
			goto out;
		}
		in.purposes[in.n_purposes++] = json_string_value(x);
	}
	rc = ctip_casework_event(&event_id, &req->access, req->who, id, &in,
				 &err);
	created(resp, rc, event_id, &err);
out:
	json_decref(body);
}

/* GET /api/persons/{id}/entitlements?location=in_vn|abroad */
void
ctip_h_person_entitlements(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_entitlement e[10];
	struct ctip_err err = { 0 };
	const char *location = ctip_req_query(req, "location");
	json_t *items, *limits;
	int64_t id = ctip_req_id(req, resp, 0);
	int i, k;

	if (id == 0)
		return;
	if (ctip_casework_entitlements(e, &req->access, req->who, id, location,
				       req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < 10; i++) {
		limits = json_array();
		for (k = 0; k < e[i].n_limits; k++) {
			const struct ctip_support_limit *l = &e[i].limits[k];

			json_array_append_new(
				limits,
				json_pack("{s:s, s:o, s:o, s:I, s:s}", "unit",
					  l->unit, "amount_vnd",
					  l->amount_vnd >= 0
						  ? json_integer(l->amount_vnd)
						  : json_null(),
					  "max_units",
					  l->max_units > 0
						  ? json_integer(l->max_units)
						  : json_null(),
					  "used", (json_int_t)e[i].used[k],
					  "legal_basis", l->legal_basis));
		}
		json_array_append_new(
			items,
			json_pack("{s:s, s:b, s:o, s:o, s:s, s:s, s:o}",
				  "support", e[i].support_code, "entitled",
				  e[i].entitled, "refusal_code",
				  ctip_json_str_or_null(e[i].refusal_code),
				  "refusal",
				  ctip_json_str_or_null(e[i].refusal),
				  "legal_basis", e[i].legal_basis, "regime",
				  e[i].regime, "limits", limits));
	}
	/* Absent or blank means Viet Nam, as core took it. */
	ctip_resp_json(resp, 200,
		       json_pack("{s:s, s:o}", "location",
				 ctip_text_blank(location) ? "in_vn" : location,
				 "items", items));
}

/* POST /api/persons/{id}/services {support, provider, provided_on,
 * location, unit, quantity, amount_vnd, note, override_reason} */
void
ctip_h_person_service(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_service_input in = { 0 };
	struct ctip_err err = { 0 };
	enum ctip_status rc;
	long long quantity, amount;
	json_t *body;
	int64_t id, sid = 0;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (!ctip_json_str(&in.support_code, body, "support", resp) ||
	    !ctip_json_str(&in.provider, body, "provider", resp) ||
	    !ctip_json_str(&in.provided_on, body, "provided_on", resp) ||
	    !ctip_json_str(&in.location, body, "location", resp) ||
	    !ctip_json_str(&in.unit, body, "unit", resp) ||
	    !ctip_json_str(&in.note, body, "note", resp) ||
	    !ctip_json_str(&in.override_reason, body, "override_reason",
			   resp) ||
	    !json_int(&quantity, body, "quantity", 1, 1, 100000, resp) ||
	    !json_int(&amount, body, "amount_vnd", 0, 0, 1000000000000LL, resp))
		goto out;
	in.quantity = (long)quantity;
	in.amount_vnd = amount;
	rc = ctip_casework_service(&sid, &req->access, req->who, id, &in, &err);
	created(resp, rc, sid, &err);
out:
	json_decref(body);
}

/* POST /api/persons/{id}/consents {scope, given_by, representative,
 * given_on} */
void
ctip_h_person_consent(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_consent_input in = { 0 };
	struct ctip_err err = { 0 };
	json_t *body;
	int64_t id, cid = 0;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&in.scope, body, "scope", resp) &&
	    ctip_json_str(&in.given_by, body, "given_by", resp) &&
	    ctip_json_str(&in.representative, body, "representative", resp) &&
	    ctip_json_str(&in.given_on, body, "given_on", resp)) {
		enum ctip_status rc = ctip_casework_consent(
			&cid, &req->access, req->who, id, &in, &err);

		created(resp, rc, cid, &err);
	}
	json_decref(body);
}

/* POST /api/persons/{id}/consents/{cid}/withdraw {on, reason, version} */
void
ctip_h_person_consent_withdraw(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *on = NULL, *reason = NULL;
	int64_t id, cid;
	json_t *body;
	int version;

	if ((cid = ctip_req_id(req, resp, 1)) == 0 ||
	    (body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&on, body, "on", resp) &&
	    ctip_json_str(&reason, body, "reason", resp) &&
	    (version = ctip_json_version(body, resp)) > 0)
		changed(resp,
			ctip_casework_withdraw(&req->access, req->who, id, cid,
					       version, on, reason, &err),
			&err);
	json_decref(body);
}

/* POST /api/persons/{id}/protection {kind, beneficiary, start_on, end_on,
 * note} */
void
ctip_h_person_protection(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_protection_input in = { 0 };
	struct ctip_err err = { 0 };
	json_t *body;
	int64_t id, mid = 0;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&in.kind, body, "kind", resp) &&
	    ctip_json_str(&in.beneficiary, body, "beneficiary", resp) &&
	    ctip_json_str(&in.start_on, body, "start_on", resp) &&
	    ctip_json_str(&in.end_on, body, "end_on", resp) &&
	    ctip_json_str(&in.note, body, "note", resp)) {
		enum ctip_status rc = ctip_casework_protect(
			&mid, &req->access, req->who, id, &in, &err);

		created(resp, rc, mid, &err);
	}
	json_decref(body);
}

/* POST /api/persons/{id}/protection/{mid}/end {on, version} */
void
ctip_h_person_protection_end(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *on = NULL;
	int64_t id, mid;
	json_t *body;
	int version;

	if ((mid = ctip_req_id(req, resp, 1)) == 0 ||
	    (body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&on, body, "on", resp) &&
	    (version = ctip_json_version(body, resp)) > 0)
		changed(resp,
			ctip_casework_protect_end(&req->access, req->who, id,
						  mid, version, on, &err),
			&err);
	json_decref(body);
}

/* POST /api/persons/{id}/follow-ups {due_on, note} */
void
ctip_h_person_follow_up(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *due = NULL, *note = NULL;
	json_t *body;
	int64_t id, fid = 0;

	if ((body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&due, body, "due_on", resp) &&
	    ctip_json_str(&note, body, "note", resp)) {
		enum ctip_status rc = ctip_casework_follow_up(
			&fid, &req->access, req->who, id, due, note, &err);

		created(resp, rc, fid, &err);
	}
	json_decref(body);
}

/* POST /api/persons/{id}/follow-ups/{fid}/visit {done_on, outcome, note,
 * version} */
void
ctip_h_person_visit(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *done = NULL, *outcome = NULL, *note = NULL;
	int64_t id, fid;
	json_t *body;
	int version;

	if ((fid = ctip_req_id(req, resp, 1)) == 0 ||
	    (body = begin(&id, req, resp)) == NULL)
		return;
	if (ctip_json_str(&done, body, "done_on", resp) &&
	    ctip_json_str(&outcome, body, "outcome", resp) &&
	    ctip_json_str(&note, body, "note", resp) &&
	    (version = ctip_json_version(body, resp)) > 0)
		changed(resp,
			ctip_casework_visit(&req->access, req->who, id, fid,
					    version, done, outcome, note, &err),
			&err);
	json_decref(body);
}

/* GET /api/persons/{id}/timeline?reason= */
void
ctip_h_person_timeline(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_timeline_entry *t;
	struct ctip_err err = { 0 };
	json_t *items;
	int64_t id = ctip_req_id(req, resp, 0);
	int n, i;

	if (id == 0)
		return;
	if (ctip_casework_timeline(&t, &n, &req->access, req->who, id,
				   ctip_req_query(req, "reason"), req->arena,
				   &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:I, s:s, s:o}", "on", t[i].on,
				  "kind", t[i].kind, "id", (json_int_t)t[i].id,
				  "what", t[i].what ? t[i].what : "", "detail",
				  ctip_json_str_or_null(t[i].detail)));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* The pseudonym of person id, in the request's arena. */
static const char *
pseudonym(struct ctip_req *req, int64_t id)
{
	char *out = ctip_arena_alloc(req->arena, 16);

	if (out == NULL)
		return "";
	ctip_person_pseudonym(out, req->access.kr, id);
	return out;
}

/* GET /api/follow-ups?days=N: open visits of the user's unit due within N
 * days (default 14), overdue first. */
void
ctip_h_follow_ups_due(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_follow_up_row *f;
	struct ctip_err err = { 0 };
	long long days;
	char today[11];
	json_t *items;
	int n, i;

	if (!ctip_req_long(&days, req, resp, "days", 0, 366, 14))
		return;
	if (ctip_casework_visits_due(&f, &n, &req->access, req->who, (int)days,
				     req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_today(today);
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:I, s:I, s:s, s:s, s:b, s:i}", "id",
				  (json_int_t)f[i].id, "person_id",
				  (json_int_t)f[i].person_id, "pseudonym",
				  pseudonym(req, f[i].person_id), "due_on",
				  f[i].due_on, "overdue",
				  strcmp(f[i].due_on, today) < 0, "version",
				  f[i].version));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

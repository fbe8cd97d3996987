/* routes_referral.c: referrals (chuyển tuyến) between units. */
#include "http/routes.h"
#include "core/referral.h"

static json_t *
referral_json(const struct ctip_referral_view *v)
{
	const struct ctip_referral_row *r = &v->row;

	return json_pack("{s:I, s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:s?, "
			 "s:s?, s:s?, s:s?, s:b, s:i}",
			 "id", (json_int_t)r->id, "object_type", r->object_type,
			 "object_id", (json_int_t)r->object_id, "from_unit_id",
			 (json_int_t)r->from_unit_id, "to_unit_id",
			 (json_int_t)r->to_unit_id, "status", r->status,
			 "sent_at", r->sent_at, "ack_due_at", r->ack_due_at,
			 "responded_at", r->responded_at, "closed_at",
			 r->closed_at, "note", v->note, "refusal_reason",
			 v->refusal_reason, "late", v->late, "version",
			 r->version);
}

static void
answer(struct ctip_req *req, struct ctip_resp *resp, int64_t id, int status)
{
	struct ctip_referral_view v;
	struct ctip_err err = { 0 };

	if (ctip_referral_read(&v, &req->access, req->who, id, true, req->arena,
			       &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_json(resp, status, referral_json(&v));
}

/* POST /api/referrals {"object_type","object_id","to_unit_id","note"} */
void
ctip_h_referral_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *type, *note;
	json_t *body, *oid, *to;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	if (!ctip_json_str(&type, body, "object_type", resp) ||
	    !ctip_json_str(&note, body, "note", resp))
		goto out;
	oid = json_object_get(body, "object_id");
	to = json_object_get(body, "to_unit_id");
	if (!json_is_integer(oid) || json_integer_value(oid) < 1) {
		ctip_resp_problem(resp, CTIP_EINVAL, "object_id",
				  "object_id: the id of the record to refer");
		goto out;
	}
	if (!json_is_integer(to) || json_integer_value(to) < 1) {
		ctip_resp_problem(resp, CTIP_EINVAL, "to_unit_id",
				  "to_unit_id: the id of the receiving unit");
		goto out;
	}
	if (ctip_referral_send(&id, &req->access, req->who, type,
			       (int64_t)json_integer_value(oid),
			       (int64_t)json_integer_value(to), note,
			       &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		goto out;
	}
	answer(req, resp, id, 201);
out:
	json_decref(body);
}

/* GET /api/referrals?box=in|out&status=&limit= */
void
ctip_h_referral_list(struct ctip_req *req, struct ctip_resp *resp)
{
	static const char *const names[5] = { "sent", "accepted", "refused",
					      "completed", "withdrawn" };
	const char *box = ctip_req_query(req, "box");
	struct ctip_referral_view v;
	struct ctip_err err = { 0 };
	long counts[5], late;
	int64_t *ids;
	json_t *items, *jc;
	long long lim;
	int n, i;
	bool inbox = box == NULL || strcmp(box, "in") == 0;

	if (box != NULL && strcmp(box, "in") != 0 && strcmp(box, "out") != 0) {
		ctip_resp_problem(resp, CTIP_EINVAL, "box", "box: in or out");
		return;
	}
	if (!ctip_req_long(&lim, req, resp, "limit", 1, 200, 50))
		return;
	if (ctip_referral_list(&ids, &n, &req->access, req->who, inbox,
			       ctip_req_query(req, "status"), (int)lim,
			       req->arena, &err) != CTIP_OK ||
	    ctip_referral_counts(counts, &late, &req->access, req->who, &err) !=
		    CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		/* A list shows no notes: no read of them to log. */
		if (ctip_referral_read(&v, &req->access, req->who, ids[i],
				       false, req->arena, &err) != CTIP_OK) {
			json_decref(items);
			ctip_resp_err(resp, &err);
			return;
		}
		json_array_append_new(items, referral_json(&v));
	}
	jc = json_pack("{s:I}", "late", (json_int_t)late);
	for (i = 0; i < 5; i++)
		json_object_set_new(jc, names[i], json_integer(counts[i]));
	ctip_resp_json(resp, 200,
		       json_pack("{s:o, s:o}", "items", items, "inbox", jc));
}

/* GET /api/referrals/{id} */
void
ctip_h_referral_get(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		answer(req, resp, id, 200);
}

enum step { ACCEPT, REFUSE, COMPLETE, WITHDRAW };

static void
step(struct ctip_req *req, struct ctip_resp *resp, enum step which)
{
	struct ctip_err err = { 0 };
	const char *reason = NULL;
	enum ctip_status rc = CTIP_OK;
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0)
		goto out;
	if (which == REFUSE && !ctip_json_str(&reason, body, "reason", resp))
		goto out;
	switch (which) {
	case ACCEPT:
	case REFUSE:
		rc = ctip_referral_respond(&req->access, req->who, id, version,
					   which == ACCEPT, reason, &err);
		break;
	case COMPLETE:
		rc = ctip_referral_complete(&req->access, req->who, id, version,
					    &err);
		break;
	case WITHDRAW:
		rc = ctip_referral_withdraw(&req->access, req->who, id, version,
					    &err);
		break;
	}
	if (rc != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer(req, resp, id, 200);
out:
	json_decref(body);
}

void
ctip_h_referral_accept(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, ACCEPT);
}

void
ctip_h_referral_refuse(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, REFUSE);
}

void
ctip_h_referral_complete(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, COMPLETE);
}

void
ctip_h_referral_withdraw(struct ctip_req *req, struct ctip_resp *resp)
{
	step(req, resp, WITHDRAW);
}

/* GET /api/units: the directory of org units, for choosing where to
 * refer (names and places only; any signed-in user). */
void
ctip_h_units(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_org_unit_row *units;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, i;

	if (req->store->ops->org_unit_list(&units, &n, req->store, req->arena,
					   &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, ctip_json_org_unit(&units[i]));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

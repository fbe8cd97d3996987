/* routes_plan.c: plans, their tasks, cascade, progress, roll-up, the due
 * list, exports and the import of a plan document (issue 7; contract in
 * docs/api-plans.md). The PLAN shape is built by core (core/plan.h). */
#include "core/plan.h"
#include "core/plan_export.h"
#include "http/routes.h"

/* Answer 200 with the plan id as PLAN JSON (status: 200 or 201). */
static void
answer_plan(struct ctip_req *req, struct ctip_resp *resp, int64_t id,
	    int status)
{
	struct ctip_err err = { 0 };
	json_t *j;

	if (ctip_plan_get(&j, &req->access, req->who, id, req->arena, &err) !=
	    CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, status, j);
}

/* GET /api/plans: the plans in the user's scope. */
void
ctip_h_plan_list(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	json_t *j;

	if (ctip_plan_list(&j, &req->access, req->who, req->arena, &err) !=
	    CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 200, j);
}

/* POST /api/plans: create a plan of the user's unit. */
void
ctip_h_plan_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	json_t *body;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	if (ctip_plan_create(&id, &req->access, req->who, body, req->arena,
			     &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_plan(req, resp, id, 201);
	json_decref(body);
}

/* GET /api/plans/{id} */
void
ctip_h_plan_get(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		answer_plan(req, resp, id, 200);
}

/* POST /api/plans/{id}/cascade: a lower level's plan from this one. */
void
ctip_h_plan_cascade(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0), new_id;
	json_t *body;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (ctip_plan_cascade(&new_id, &req->access, req->who, id, body,
			      req->arena, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_plan(req, resp, new_id, 201);
	json_decref(body);
}

/* POST /api/plans/{id}/tasks/{tid}: change a task of one's own plan. */
void
ctip_h_plan_task_update(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0), tid;
	json_t *body;

	if (id == 0 || (tid = ctip_req_id(req, resp, 1)) == 0 ||
	    (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (ctip_plan_task_update(&req->access, req->who, id, tid, body,
				  req->arena, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_plan(req, resp, id, 200);
	json_decref(body);
}

/* POST /api/plans/{id}/tasks/{tid}/progress */
void
ctip_h_plan_progress(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0), tid;
	json_t *body;

	if (id == 0 || (tid = ctip_req_id(req, resp, 1)) == 0 ||
	    (body = ctip_req_json(req, resp)) == NULL)
		return;
	if (ctip_plan_progress(&req->access, req->who, id, tid, body,
			       req->arena, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_plan(req, resp, id, 200);
	json_decref(body);
}

/* GET /api/plans/{id}/rollup?period= */
void
ctip_h_plan_rollup(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *j;

	if (id == 0)
		return;
	if (ctip_plan_rollup(&j, &req->access, req->who, id,
			     ctip_req_query(req, "period"), req->arena,
			     &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 200, j);
}

/* GET /api/plans/due[?days=30] */
void
ctip_h_plan_due(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	long long days;
	json_t *j;

	if (!ctip_req_long(&days, req, resp, "days", 0, 366, 30))
		return;
	if (ctip_plan_due(&j, &req->access, req->who, (int)days, req->arena,
			  &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 200, j);
}

/* GET /api/plans/{id}/export?format=json|xlsx[&lang=vi|en]: the plan
 * with its implementation report, to download. */
void
ctip_h_plan_export(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *format = ctip_req_query(req, "format");
	const char *lang;
	int64_t id = ctip_req_id(req, resp, 0);
	struct ctip_buf out;
	char name[64];
	enum ctip_status rc;
	bool json;
	json_t *j;

	if (id == 0)
		return;
	if (format == NULL ||
	    (strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0)) {
		ctip_resp_problem(resp, CTIP_EINVAL, "format",
				  "format: xlsx or json");
		return;
	}
	json = strcmp(format, "json") == 0;
	if ((lang = ctip_req_lang(req, resp)) == NULL)
		return;
	if (ctip_plan_get(&j, &req->access, req->who, id, req->arena, &err) !=
	    CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_buf_init(&out, 32u << 20);
	rc = json ? ctip_json_dump(&out, j, "plan", &err)
		  : ctip_plan_xlsx(&out, j, lang, &err);
	json_decref(j);
	if (rc != CTIP_OK) {
		ctip_buf_free(&out);
		ctip_resp_err(resp, &err);
		return;
	}
	snprintf(name, sizeof(name), "plan_%lld.%s", (long long)id, format);
	ctip_resp_download(req, resp,
			   json ? "application/json; charset=utf-8"
				: "application/"
				  "vnd.openxmlformats-officedocument."
				  "spreadsheetml.sheet",
			   name, &out);
}

/* POST /api/plans/import: the document as text/plain in the body; the
 * proposal, nothing saved. */
void
ctip_h_plan_import(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	json_t *j;

	if (ctip_plan_import(&j, req->store, req->who, NULL, req->body,
			     req->body_len, req->arena, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 200, j);
}

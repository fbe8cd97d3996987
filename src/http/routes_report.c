/* routes_report.c: periodic reports, their exports, trends and the
 * activities units record (issue 6). */
#include "core/activity.h"
#include "core/report.h"
#include "core/report_export.h"
#include "http/routes.h"

/* GET /api/reports/forms */
void
ctip_h_report_forms(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_form *forms;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, i;

	if (ctip_report_forms(&forms, &n, req->store, req->who, req->arena,
			      &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code",
				  forms[i].code, "name_vi", forms[i].name_vi,
				  "name_en", forms[i].name_en, "level",
				  forms[i].level, "period_type",
				  forms[i].period_type, "deadlines",
				  forms[i].deadlines, "legal_basis",
				  forms[i].legal_basis));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* The view as JSON; takes the body over. */
static json_t *
view_json(struct ctip_report_view *v)
{
	const struct ctip_report_rec *r = &v->rec;
	json_t *j = json_pack(
		"{s:o, s:s, s:i, s:b, s:o, s:b, s:b, s:i, s:i, s:o}", "id",
		v->stored ? json_integer(r->id) : json_null(), "status",
		v->status, "version", v->stored ? r->version : 0, "expected",
		v->expected, "due_on",
		ctip_json_str_or_null(v->due_on[0] != '\0' ? v->due_on : NULL),
		"may_submit", v->may_submit, "may_review", v->may_review,
		"errors", v->n_errors, "warnings", v->n_warnings, "report",
		v->body);

	v->body = NULL;
	if (j != NULL && v->stored)
		json_object_update_new(
			j, json_pack("{s:o, s:s, s:s, s:o, s:o}", "note",
				     ctip_json_str_or_null(r->note),
				     "first_submitted_at",
				     r->first_submitted_at, "submitted_at",
				     r->submitted_at, "reviewed_at",
				     ctip_json_str_or_null(r->reviewed_at),
				     "review_comment",
				     ctip_json_str_or_null(r->review_comment)));
	return j;
}

/* The report a query names: ?form=&period=&place= */
static bool
view_of_query(struct ctip_report_view *v, struct ctip_req *req,
	      struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };

	if (ctip_report_get(
		    v, &req->access, req->who, ctip_req_query(req, "form"),
		    ctip_req_query(req, "period"), ctip_req_query(req, "place"),
		    req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return false;
	}
	return true;
}

/* GET /api/reports?form=&period=[&place=]: the stored report or the
 * draft computed now. */
void
ctip_h_report_get(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_report_view v;

	if (view_of_query(&v, req, resp))
		ctip_resp_json(resp, 200, view_json(&v));
}

/* Answer with stored report id and its steps. */
static void
answer_id(struct ctip_req *req, struct ctip_resp *resp, int64_t id)
{
	struct ctip_report_view v;
	struct ctip_report_step *steps;
	struct ctip_err err = { 0 };
	json_t *j, *items;
	int n, i;

	if (ctip_report_get_id(&v, &req->access, req->who, id, req->arena,
			       &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	if (ctip_report_steps(&steps, &n, &req->access, req->who, id,
			      req->arena, &err) != CTIP_OK) {
		json_decref(v.body);
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:o}", "action",
				      steps[i].action, "at", steps[i].at,
				      "user", steps[i].user_name, "unit",
				      steps[i].unit_name, "comment",
				      ctip_json_str_or_null(steps[i].comment));

		if (s != NULL && steps[i].submission > 0)
			json_object_update_new(
				s, json_pack("{s:i, s:b}", "submission",
					     steps[i].submission, "kept",
					     steps[i].kept));
		json_array_append_new(items, s);
	}
	j = view_json(&v);
	json_object_set_new(j, "steps", items);
	ctip_resp_json(resp, 200, j);
}

/* GET /api/reports/{id}: a stored report with its steps. */
void
ctip_h_report_get_id(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		answer_id(req, resp, id);
}

/* GET /api/reports/{id}/submissions/{n}: submission n of a stored report
 * as it was submitted, and what became of it. */
void
ctip_h_report_submission(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_report_submission sub;
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);
	int64_t n;

	if (id == 0)
		return;
	n = ctip_req_number(req, 1);
	if (n == 0 || n > INT32_MAX) {
		ctip_resp_problem(resp, CTIP_EINVAL, "n",
				  "n: a submission number, 1 or more");
		return;
	}
	if (ctip_report_submission(&sub, &req->access, req->who, id, (int)n,
				   req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_json(
		resp, 200,
		json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:s, s:o, s:o, "
			  "s:o, s:o}",
			  "report_id", (json_int_t)sub.report_id, "submission",
			  sub.n, "submitted_at", sub.step->at, "submitted_by",
			  sub.step->user_name, "unit", sub.step->unit_name,
			  "note", ctip_json_str_or_null(sub.step->comment),
			  "status_after", sub.status_after, "reviewed_at",
			  ctip_json_str_or_null(sub.review ? sub.review->at
							   : NULL),
			  "reviewed_by",
			  ctip_json_str_or_null(
				  sub.review ? sub.review->user_name : NULL),
			  "comment",
			  ctip_json_str_or_null(sub.review ? sub.review->comment
							   : NULL),
			  "snapshot", sub.body));
}

/* POST /api/reports/submit {"form","period","place","note","version"}
 * (version 0 for a first submission). */
void
ctip_h_report_submit(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *form, *period, *place, *note;
	json_t *body, *ver;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	ver = json_object_get(body, "version");
	if (!ctip_json_str(&form, body, "form", resp) ||
	    !ctip_json_str(&period, body, "period", resp) ||
	    !ctip_json_str(&place, body, "place", resp) ||
	    !ctip_json_str(&note, body, "note", resp))
		goto out;
	if (!json_is_integer(ver) || json_integer_value(ver) < 0 ||
	    json_integer_value(ver) > INT32_MAX) {
		ctip_resp_problem(resp, CTIP_EINVAL, "version",
				  "version: the version you saw is required "
				  "(0 for a report never submitted)");
		goto out;
	}
	if (ctip_report_submit(&id, &req->access, req->who, form, period, place,
			       note, (int)json_integer_value(ver), req->arena,
			       &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_id(req, resp, id);
out:
	json_decref(body);
}

/* POST /api/reports/{id}/review {"decision","comment","version"} */
void
ctip_h_report_review(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *decision, *comment;
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) < 0 ||
	    !ctip_json_str(&decision, body, "decision", resp) ||
	    !ctip_json_str(&comment, body, "comment", resp))
		goto out;
	if (ctip_report_review(&req->access, req->who, id, version, decision,
			       comment, req->arena, &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		answer_id(req, resp, id);
out:
	json_decref(body);
}

/* GET /api/reports/completeness?form=&period=[&province=] */
void
ctip_h_report_completeness(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_report_completeness c;
	struct ctip_err err = { 0 };
	json_t *items;
	int i;

	if (ctip_report_completeness(&c, &req->access, req->who,
				     ctip_req_query(req, "form"),
				     ctip_req_query(req, "period"),
				     ctip_req_opt(req, "province"), req->arena,
				     &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < c.n_places; i++) {
		const struct ctip_report_place *pl = &c.places[i];

		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "code",
				  pl->code, "name", pl->name, "status",
				  pl->status, "report_id",
				  pl->report_id != 0
					  ? json_integer(pl->report_id)
					  : json_null(),
				  "submitted_at",
				  ctip_json_str_or_null(pl->submitted_at),
				  "timeliness", pl->timeliness));
	}
	ctip_resp_json(
		resp, 200,
		json_pack("{s:s, s:s, s:o, s:b, s:{s:i, s:I, s:I, s:I, s:I, "
			  "s:I, s:I}, s:o}",
			  "form", c.form.code, "period", c.period.key, "due_on",
			  ctip_json_str_or_null(c.expected ? c.due_on : NULL),
			  "expected", c.expected, "counts", "expected",
			  c.n_places, "submitted", (json_int_t)c.submitted,
			  "returned", (json_int_t)c.returned, "on_time",
			  (json_int_t)c.on_time, "late", (json_int_t)c.late,
			  "missing", (json_int_t)c.missing, "overdue",
			  (json_int_t)c.overdue, "places", items));
}

/* GET /api/reports/reminders */
void
ctip_h_report_reminders(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_report_reminder *r;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, i;

	if (ctip_report_reminders(&r, &n, &req->access, req->who, req->arena,
				  &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, "
				  "s:o, s:I}",
				  "kind", r[i].kind, "form", r[i].form.code,
				  "form_name_vi", r[i].form.name_vi,
				  "form_name_en", r[i].form.name_en, "period",
				  r[i].period.key, "due_on", r[i].due_on,
				  "days_left", r[i].days_left, "place",
				  ctip_json_str_or_null(r[i].place_code),
				  "status", ctip_json_str_or_null(r[i].status),
				  "count", (json_int_t)r[i].count));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* POST /api/reports/deadlines {"form","period_no","month_day"} */
void
ctip_h_report_deadline(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	const char *form, *md;
	json_t *body, *no;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	no = json_object_get(body, "period_no");
	if (!ctip_json_str(&form, body, "form", resp) ||
	    !ctip_json_str(&md, body, "month_day", resp))
		goto out;
	if (!json_is_integer(no) || json_integer_value(no) < 1 ||
	    json_integer_value(no) > 4) {
		ctip_resp_problem(resp, CTIP_EINVAL, "period_no",
				  "period_no: a period number from 1 to 4 "
				  "is required");
		goto out;
	}
	if (ctip_report_deadline_set(&req->access, req->who, form,
				     (int)json_integer_value(no), md,
				     &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, 200,
			       json_pack("{s:s, s:I, s:s}", "form", form,
					 "period_no",
					 (json_int_t)json_integer_value(no),
					 "month_day", md));
out:
	json_decref(body);
}

/* The report body as JSON under threshold: the published copy. */
static enum ctip_status
json_export(struct ctip_buf *out, const json_t *body, int threshold,
	    struct ctip_err *err)
{
	json_t *pub;
	enum ctip_status rc;

	if ((rc = ctip_report_suppressed(&pub, body, threshold, err)) !=
	    CTIP_OK)
		return rc;
	rc = ctip_json_dump(out, pub, "report", err);
	json_decref(pub);
	return rc;
}

/* GET /api/reports/export?form=&period=[&place=]&format=xlsx|csv|json
 * [&suppress=N][&lang=vi|en]: the report as shown, to download; with
 * suppress, the published copy in every format (report_export.h). */
void
ctip_h_report_export(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_report_view v;
	struct ctip_err err = { 0 };
	struct ctip_buf out;
	const char *format = ctip_req_query(req, "format");
	const char *lang;
	char name[128];
	long long threshold;
	enum ctip_status rc;

	if (format == NULL ||
	    (strcmp(format, "xlsx") != 0 && strcmp(format, "csv") != 0 &&
	     strcmp(format, "json") != 0)) {
		ctip_resp_problem(resp, CTIP_EINVAL, "format",
				  "format: xlsx, csv or json");
		return;
	}
	if (!ctip_req_long(&threshold, req, resp, "suppress", 0, 100, 0))
		return;
	if ((lang = ctip_req_lang(req, resp)) == NULL ||
	    !view_of_query(&v, req, resp))
		return;
	/* Every format says whether this is a draft. */
	json_object_set_new(v.body, "status", json_string(v.status));
	snprintf(name, sizeof(name), "%s_%s_%s.%s", v.form.code, v.period.key,
		 v.place.code, format);
	ctip_buf_init(&out, 32u << 20);
	if (strcmp(format, "json") == 0)
		rc = json_export(&out, v.body, (int)threshold, &err);
	else if (strcmp(format, "csv") == 0)
		rc = ctip_report_csv(&out, v.body, (int)threshold, lang, &err);
	else
		rc = ctip_report_xlsx(&out, v.body, (int)threshold, lang, &err);
	json_decref(v.body);
	if (rc != CTIP_OK) {
		ctip_buf_free(&out);
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_download(
		req, resp,
		strcmp(format, "json") == 0 ? "application/json; charset=utf-8"
		: strcmp(format, "csv") == 0
			? "text/csv; charset=utf-8"
			: "application/"
			  "vnd.openxmlformats-officedocument.spreadsheetml."
			  "sheet",
		name, &out);
}

/* GET /api/stats/trend?indicator=&period_type=&count=[&commune=|
 * &province=] */
void
ctip_h_stats_trend(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_trend_point *pts;
	struct ctip_err err = { 0 };
	long long n_want;
	json_t *items;
	int n, i;

	if (!ctip_req_long(&n_want, req, resp, "count", 1, 12, 8))
		return;
	if (ctip_report_trend(&pts, &n, req->store, req->who,
			      ctip_req_query(req, "indicator"),
			      ctip_req_query(req, "period_type"), (int)n_want,
			      ctip_req_opt(req, "commune"),
			      ctip_req_opt(req, "province"), req->arena,
			      &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items,
				      json_pack("{s:s, s:s, s:s, s:I, s:b}",
						"period", pts[i].period.key,
						"from", pts[i].period.from,
						"to", pts[i].period.to, "total",
						(json_int_t)pts[i].total,
						"partial", pts[i].partial));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* ---- activities --------------------------------------------------------- */

static json_t *
activity_json(const struct ctip_activity *r)
{
	return json_pack(
		"{s:I, s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:I, "
		"s:o, s:s, s:s, s:i}",
		"id", (json_int_t)r->id, "unit_id", (json_int_t)r->org_unit_id,
		"unit_name", r->unit_name, "province_code",
		ctip_json_str_or_null(r->province_code), "commune_code",
		ctip_json_str_or_null(r->commune_code), "kind", r->kind,
		"title", r->title, "started_on", r->started_on, "ended_on",
		r->ended_on, "participants", (json_int_t)r->participants,
		"note", ctip_json_str_or_null(r->note), "created_at",
		r->created_at, "updated_at", r->updated_at, "version",
		r->version);
}

/* An activity input from a JSON body, or false after answering 400. */
static bool
activity_input(struct ctip_activity_input *in, json_t *body,
	       struct ctip_resp *resp)
{
	json_t *n = json_object_get(body, "participants");

	memset(in, 0, sizeof(*in));
	if (!ctip_json_str(&in->kind, body, "kind", resp) ||
	    !ctip_json_str(&in->title, body, "title", resp) ||
	    !ctip_json_str(&in->started_on, body, "started_on", resp) ||
	    !ctip_json_str(&in->ended_on, body, "ended_on", resp) ||
	    !ctip_json_str(&in->note, body, "note", resp))
		return false;
	if (!json_is_integer(n) || json_integer_value(n) < 0 ||
	    json_integer_value(n) > 10000000) {
		ctip_resp_problem(resp, CTIP_EINVAL, "participants",
				  "participants: a whole number from 0 to "
				  "10000000");
		return false;
	}
	in->participants = (long)json_integer_value(n);
	return true;
}

/* Answer with activity id as p sees it. */
static void
activity_answer(struct ctip_req *req, struct ctip_resp *resp, int64_t id,
		int status)
{
	struct ctip_activity r;
	struct ctip_err err = { 0 };

	if (ctip_activity_get(&r, &req->access, req->who, id, req->arena,
			      &err) != CTIP_OK)
		ctip_resp_err(resp, &err);
	else
		ctip_resp_json(resp, status, activity_json(&r));
}

/* POST /api/activities {"kind","title","started_on","ended_on",
 * "participants","note"} */
void
ctip_h_activity_create(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_activity_input in;
	struct ctip_err err = { 0 };
	json_t *body;
	int64_t id;

	if ((body = ctip_req_json(req, resp)) == NULL)
		return;
	if (activity_input(&in, body, resp)) {
		if (ctip_activity_create(&id, &req->access, req->who, &in,
					 &err) != CTIP_OK)
			ctip_resp_err(resp, &err);
		else
			activity_answer(req, resp, id, 201);
	}
	json_decref(body);
}

/* POST /api/activities/{id}/edit {... as create, "version"} */
void
ctip_h_activity_edit(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_activity_input in;
	struct ctip_err err = { 0 };
	int64_t id = ctip_req_id(req, resp, 0);
	json_t *body;
	int version;

	if (id == 0 || (body = ctip_req_json(req, resp)) == NULL)
		return;
	if ((version = ctip_json_version(body, resp)) >= 0 &&
	    activity_input(&in, body, resp)) {
		in.version = version;
		if (ctip_activity_update(&req->access, req->who, id, &in,
					 req->arena, &err) != CTIP_OK)
			ctip_resp_err(resp, &err);
		else
			activity_answer(req, resp, id, 200);
	}
	json_decref(body);
}

/* GET /api/activities/{id} */
void
ctip_h_activity_get(struct ctip_req *req, struct ctip_resp *resp)
{
	int64_t id = ctip_req_id(req, resp, 0);

	if (id != 0)
		activity_answer(req, resp, id, 200);
}

/* GET /api/activities?kind=&from=&to=&province=&commune=&before=&limit= */
void
ctip_h_activity_list(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_activity_filter f = { 0 };
	struct ctip_activity *rows;
	struct ctip_err err = { 0 };
	long long limit, before;
	json_t *items;
	int n, i;

	f.kind = ctip_req_opt(req, "kind");
	f.from = ctip_req_opt(req, "from");
	f.to = ctip_req_opt(req, "to");
	f.province_code = ctip_req_opt(req, "province");
	f.commune_code = ctip_req_opt(req, "commune");
	if (!ctip_req_long(&limit, req, resp, "limit", 1, 200, 50) ||
	    !ctip_req_long(&before, req, resp, "before", 0, INT64_MAX, 0))
		return;
	f.limit = (int)limit;
	f.before_id = before;
	if (ctip_activity_list(&rows, &n, &req->access, req->who, &f,
			       req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, activity_json(&rows[i]));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

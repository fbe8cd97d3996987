/* routes.c: the API's route table, public handlers and shared helpers. */
#include "http/routes.h"
#include "core/kpi.h"
#include "core/refdata.h"

/*
 * GET /healthz: the process is up. Touches no database, so it is also the
 * bare figure the full-stack benchmarks are compared with.
 */
static void
healthz(struct ctip_req *req, struct ctip_resp *resp)
{
	(void)req;
	ctip_resp_json(resp, 200,
		       json_pack("{s:s, s:s}", "status", "ok", "version",
				 CTIP_VERSION));
}

/*
 * GET /api/meta: what the web UI shows before login: version, schema and
 * whether the database holds the synthetic demo dataset.
 */
static void
meta(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_err err = { 0 };
	char *demo = NULL;
	int version;
	enum ctip_status rc;

	rc = req->store->ops->schema_version(&version, req->store, &err);
	if (rc != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	rc = req->store->ops->meta_get(&demo, req->store, "demo_persons",
				       req->arena, &err);
	if (rc != CTIP_OK && rc != CTIP_ENOTFOUND) {
		ctip_resp_err(resp, &err);
		return;
	}
	ctip_resp_json(
		resp, 200,
		json_pack("{s:s, s:i, s:b, s:I}", "version", CTIP_VERSION,
			  "schema", version, "demo", demo != NULL,
			  "demo_persons",
			  (json_int_t)(demo ? strtoll(demo, NULL, 10) : 0)));
}

/* GET /api/ref/stats: row counts of the reference tables. */
/* GET /api/ref/{kind}: provinces, communes?province=NN, ethnic-groups
 * or countries, as {"items": [{"code","name","name_en"}]} for pickers. */
static void
ref_list(struct ctip_req *req, struct ctip_resp *resp)
{
	static const struct {
		const char *name;
		enum ctip_ref_kind kind;
		bool by_province;
	} kinds[] = {
		{ "provinces", CTIP_REF_ADMIN_UNIT, false },
		{ "communes", CTIP_REF_ADMIN_UNIT, true },
		{ "ethnic-groups", CTIP_REF_ETHNIC_GROUP, false },
		{ "countries", CTIP_REF_COUNTRY, false },
	};
	const char *province = ctip_req_query(req, "province");
	struct ctip_ref_name *rows;
	struct ctip_err err = { 0 };
	json_t *items;
	size_t k;
	int n, i;

	for (k = 0; k < CTIP_NELEM(kinds); k++)
		if (strcmp(req->params[0], kinds[k].name) == 0)
			break;
	if (k == CTIP_NELEM(kinds)) {
		ctip_resp_problem(resp, CTIP_ENOTFOUND, NULL,
				  "no such resource: %s", req->path);
		return;
	}
	if (kinds[k].by_province &&
	    (province == NULL || strlen(province) != 2 ||
	     strspn(province, "0123456789") != 2)) {
		ctip_resp_problem(resp, CTIP_EINVAL, "province",
				  "province: a 2-digit province code is "
				  "required");
		return;
	}
	if (req->store->ops->ref_names(&rows, &n, req->store, kinds[k].kind,
				       kinds[k].by_province ? province : NULL,
				       req->arena, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s?}", "code",
					 rows[i].code, "name", rows[i].name,
					 "name_en", rows[i].name_en));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

static void
ref_stats(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_ref_stats s;
	struct ctip_err err = { 0 };
	json_t *j;
	int k;

	if (ctip_refdata_stats(&s, req->store, &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	j = json_pack("{s:I, s:I}", "provinces", (json_int_t)s.provinces,
		      "communes", (json_int_t)s.communes);
	for (k = 0; k < CTIP_REF_N_KINDS; k++)
		if (k != CTIP_REF_ADMIN_UNIT)
			json_object_set_new(j,
					    ctip_ref_key((enum ctip_ref_kind)k),
					    json_integer(s.rows[k]));
	ctip_resp_json(resp, 200, j);
}

json_t *
ctip_json_org_unit(const struct ctip_org_unit_row *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?}", "id",
			 (json_int_t)o->id, "name", o->name, "agency",
			 o->agency, "admin_code", o->admin_code, "level",
			 o->level, "province_code", o->province_code);
}

bool
ctip_json_str_in(const char **out, json_t *obj, const char *where,
		 const char *key, struct ctip_resp *resp)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_string(v)) {
		char field[64];

		snprintf(field, sizeof(field), "%s%s", where, key);
		ctip_resp_problem(resp, CTIP_EINVAL, field,
				  "%s: must be a string", field);
		return false;
	}
	*out = json_string_value(v);
	return true;
}

bool
ctip_json_str(const char **out, json_t *obj, const char *key,
	      struct ctip_resp *resp)
{
	return ctip_json_str_in(out, obj, "", key, resp);
}

bool
ctip_json_bool(bool *out, json_t *obj, const char *key, struct ctip_resp *resp)
{
	json_t *v = json_object_get(obj, key);

	*out = json_is_true(v);
	if (v == NULL || json_is_null(v) || json_is_boolean(v))
		return true;
	ctip_resp_problem(resp, CTIP_EINVAL, key, "%s: must be true or false",
			  key);
	return false;
}

int
ctip_json_version(json_t *body, struct ctip_resp *resp)
{
	json_t *v = json_object_get(body, "version");

	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > INT32_MAX) {
		ctip_resp_problem(resp, CTIP_EINVAL, "version",
				  "version: the version you saw is required");
		return -1;
	}
	return (int)json_integer_value(v);
}

int64_t
ctip_req_number(const struct ctip_req *req, int i)
{
	const char *s = i < req->n_params ? req->params[i] : NULL;
	char *end;
	long long v;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno == 0 && *end == '\0' && v > 0 ? v : 0;
}

const char *
ctip_req_opt(const struct ctip_req *req, const char *name)
{
	const char *v = ctip_req_query(req, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

bool
ctip_req_long(long long *out, struct ctip_req *req, struct ctip_resp *resp,
	      const char *name, long long min, long long max, long long dflt)
{
	const char *s = ctip_req_query(req, name);
	const char *digits;
	long long v;

	*out = dflt;
	if (s == NULL || s[0] == '\0')
		return true;
	digits = s + (s[0] == '-');
	if (digits[0] != '\0' &&
	    strspn(digits, "0123456789") == strlen(digits)) {
		errno = 0;
		v = strtoll(s, NULL, 10);
		if (errno == 0 && v >= min && v <= max) {
			*out = v;
			return true;
		}
	}
	ctip_resp_problem(resp, CTIP_EINVAL, name,
			  "%s: a whole number from %lld to %lld", name, min,
			  max);
	return false;
}

int64_t
ctip_req_id(struct ctip_req *req, struct ctip_resp *resp, int i)
{
	int64_t v = ctip_req_number(req, i);

	if (v == 0)
		ctip_resp_problem(resp, CTIP_ENOTFOUND, NULL,
				  "no such resource: %s", req->path);
	return v;
}

const char *
ctip_req_lang(struct ctip_req *req, struct ctip_resp *resp)
{
	const char *lang = ctip_req_query(req, "lang");

	if (lang == NULL || lang[0] == '\0')
		return "vi";
	if (strcmp(lang, "vi") == 0 || strcmp(lang, "en") == 0)
		return lang;
	ctip_resp_problem(resp, CTIP_EINVAL, "lang", "lang: vi or en");
	return NULL;
}

enum ctip_status
ctip_json_dump(struct ctip_buf *out, const json_t *j, const char *what,
	       struct ctip_err *err)
{
	char *text = json_dumps(j, JSON_INDENT(1));
	enum ctip_status rc =
		text != NULL && ctip_buf_puts(out, text) == CTIP_OK
			? CTIP_OK
			: ctip_err_set(err, CTIP_ETOOBIG, "%s too large", what);

	free(text);
	return rc;
}

bool
ctip_require(struct ctip_req *req, struct ctip_resp *resp, enum ctip_perm perm)
{
	if (ctip_authz_can(req->who, perm))
		return true;
	ctip_resp_problem(resp, CTIP_EFORBIDDEN, NULL,
			  "your role may not do this");
	return false;
}

const struct ctip_route ctip_routes[] = {
	{ "GET", "/healthz", healthz, CTIP_PUBLIC },
	{ "GET", "/api/meta", meta, CTIP_PUBLIC },
	{ "GET", "/api/ref/stats", ref_stats, CTIP_PUBLIC },
	{ "GET", "/api/ref/{kind}", ref_list, 0 },
	{ "POST", "/api/session", ctip_h_session_create, CTIP_PUBLIC },
	{ "GET", "/api/session", ctip_h_session_get, CTIP_PWCHANGE },
	{ "DELETE", "/api/session", ctip_h_session_delete, CTIP_PWCHANGE },
	{ "POST", "/api/session/password", ctip_h_session_password,
	  CTIP_PWCHANGE },
	{ "GET", "/api/org-units", ctip_h_org_units, 0 },
	{ "POST", "/api/org-units", ctip_h_org_unit_create, 0 },
	{ "GET", "/api/users", ctip_h_users, 0 },
	{ "POST", "/api/users", ctip_h_user_create, 0 },
	{ "POST", "/api/users/{id}/disable", ctip_h_user_disable, 0 },
	{ "POST", "/api/users/{id}/reset-password", ctip_h_user_reset, 0 },
	{ "GET", "/api/persons", ctip_h_person_find, 0 },
	{ "POST", "/api/persons", ctip_h_person_create, 0 },
	{ "GET", "/api/persons/{id}", ctip_h_person_get, 0 },
	{ "POST", "/api/persons/{id}/steps", ctip_h_person_step, 0 },
	{ "POST", "/api/persons/{id}/events", ctip_h_person_event, 0 },
	{ "GET", "/api/persons/{id}/entitlements", ctip_h_person_entitlements,
	  0 },
	{ "POST", "/api/persons/{id}/services", ctip_h_person_service, 0 },
	{ "POST", "/api/persons/{id}/consents", ctip_h_person_consent, 0 },
	{ "POST", "/api/persons/{id}/consents/{cid}/withdraw",
	  ctip_h_person_consent_withdraw, 0 },
	{ "POST", "/api/persons/{id}/protection", ctip_h_person_protection, 0 },
	{ "POST", "/api/persons/{id}/protection/{mid}/end",
	  ctip_h_person_protection_end, 0 },
	{ "POST", "/api/persons/{id}/follow-ups", ctip_h_person_follow_up, 0 },
	{ "POST", "/api/persons/{id}/follow-ups/{fid}/visit",
	  ctip_h_person_visit, 0 },
	{ "GET", "/api/persons/{id}/timeline", ctip_h_person_timeline, 0 },
	{ "GET", "/api/follow-ups", ctip_h_follow_ups_due, 0 },
	{ "GET", "/api/audit", ctip_h_audit, 0 },
	{ "POST", "/api/intakes", ctip_h_intake_create, 0 },
	{ "GET", "/api/intakes", ctip_h_intake_list, 0 },
	{ "GET", "/api/intakes/repeat", ctip_h_intake_repeat, 0 },
	{ "GET", "/api/intakes/{id}", ctip_h_intake_get, 0 },
	{ "POST", "/api/intakes/{id}/classify", ctip_h_intake_classify, 0 },
	{ "POST", "/api/intakes/{id}/extend", ctip_h_intake_extend, 0 },
	{ "POST", "/api/intakes/{id}/decide", ctip_h_intake_decide, 0 },
	{ "POST", "/api/intakes/{id}/resolve", ctip_h_intake_resolve, 0 },
	{ "POST", "/api/intakes/{id}/persons", ctip_h_intake_persons, 0 },
	{ "POST", "/api/intakes/{id}/case", ctip_h_intake_case, 0 },
	{ "GET", "/api/cases/{id}", ctip_h_case_get, 0 },
	{ "GET", "/api/cases", ctip_h_case_list, 0 },
	{ "POST", "/api/cases", ctip_h_case_create, 0 },
	{ "POST", "/api/cases/{id}/stage", ctip_h_case_stage, 0 },
	{ "POST", "/api/cases/{id}/edit", ctip_h_case_edit, 0 },
	{ "POST", "/api/cases/{id}/offenders", ctip_h_case_offender, 0 },
	{ "POST", "/api/cases/{id}/victims", ctip_h_case_victim, 0 },
	{ "POST", "/api/cases/{id}/intakes", ctip_h_case_intake, 0 },
	{ "GET", "/api/kpi/cases", ctip_h_kpi_cases, CTIP_COUNTS },
	{ "POST", "/api/referrals", ctip_h_referral_create, 0 },
	{ "GET", "/api/referrals", ctip_h_referral_list, 0 },
	{ "GET", "/api/referrals/{id}", ctip_h_referral_get, 0 },
	{ "POST", "/api/referrals/{id}/accept", ctip_h_referral_accept, 0 },
	{ "POST", "/api/referrals/{id}/refuse", ctip_h_referral_refuse, 0 },
	{ "POST", "/api/referrals/{id}/complete", ctip_h_referral_complete, 0 },
	{ "POST", "/api/referrals/{id}/withdraw", ctip_h_referral_withdraw, 0 },
	{ "GET", "/api/units", ctip_h_units, 0 },
	{ "GET", "/api/kpi/intakes", ctip_h_kpi_intakes, CTIP_COUNTS },
	{ "GET", "/api/stats/indicators", ctip_h_stats_indicators,
	  CTIP_COUNTS },
	{ "GET", "/api/stats/values", ctip_h_stats_values, CTIP_COUNTS },
	{ "GET", "/api/stats/trend", ctip_h_stats_trend, CTIP_COUNTS },
	{ "GET", "/api/reports/forms", ctip_h_report_forms, 0 },
	{ "GET", "/api/reports/completeness", ctip_h_report_completeness, 0 },
	{ "GET", "/api/reports/reminders", ctip_h_report_reminders, 0 },
	{ "GET", "/api/reports/export", ctip_h_report_export, CTIP_COUNTS },
	{ "POST", "/api/reports/submit", ctip_h_report_submit, CTIP_COUNTS },
	{ "POST", "/api/reports/deadlines", ctip_h_report_deadline, 0 },
	{ "GET", "/api/reports", ctip_h_report_get, CTIP_COUNTS },
	{ "GET", "/api/reports/{id}", ctip_h_report_get_id, CTIP_COUNTS },
	{ "POST", "/api/reports/{id}/review", ctip_h_report_review,
	  CTIP_COUNTS },
	{ "GET", "/api/reports/{id}/submissions/{n}", ctip_h_report_submission,
	  0 },
	{ "GET", "/api/activities", ctip_h_activity_list, 0 },
	{ "POST", "/api/activities", ctip_h_activity_create, 0 },
	{ "GET", "/api/activities/{id}", ctip_h_activity_get, 0 },
	{ "POST", "/api/activities/{id}/edit", ctip_h_activity_edit, 0 },
	{ "GET", "/api/plans", ctip_h_plan_list, 0 },
	{ "POST", "/api/plans", ctip_h_plan_create, 0 },
	{ "GET", "/api/plans/due", ctip_h_plan_due, 0 },
	{ "POST", "/api/plans/import", ctip_h_plan_import, 0 },
	{ "GET", "/api/plans/{id}", ctip_h_plan_get, 0 },
	{ "POST", "/api/plans/{id}/cascade", ctip_h_plan_cascade, 0 },
	{ "GET", "/api/plans/{id}/rollup", ctip_h_plan_rollup, 0 },
	{ "GET", "/api/plans/{id}/export", ctip_h_plan_export, 0 },
	{ "POST", "/api/plans/{id}/tasks/{tid}", ctip_h_plan_task_update, 0 },
	{ "POST", "/api/plans/{id}/tasks/{tid}/progress", ctip_h_plan_progress,
	  0 },
	{ NULL, NULL, NULL, 0 }, /* end of table */
};

json_t *
ctip_json_kpi_rate(const struct ctip_kpi_rate *r)
{
	json_t *j = json_pack(
		"{s:I, s:I, s:f, s:s, s:s}", "count", (json_int_t)r->part, "of",
		(json_int_t)r->whole, "target", r->target, "comparison",
		r->strict ? "above" : "at_least", "status", r->light);

	json_object_set_new(j, "rate", ctip_json_rounded(r->rate, 4));
	return j;
}

json_t *
ctip_json_rounded(double x, int decimals)
{
	double scale = 1;

	while (decimals-- > 0)
		scale *= 10;
	return x < 0 ? json_null()
		     : json_real((double)(long)(x * scale + 0.5) / scale);
}

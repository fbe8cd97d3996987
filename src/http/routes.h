/* routes.h: the API's route table, and the JSON shapes handlers share. */
#ifndef CTIP_ROUTES_H
#define CTIP_ROUTES_H

#include "http/server.h"

#include <jansson.h>

extern const struct ctip_route ctip_routes[];

/* Handlers, by file. */
void ctip_h_session_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_session_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_session_delete(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_session_password(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_org_units(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_org_unit_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_users(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_user_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_user_disable(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_user_reset(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_find(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_step(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_event(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_entitlements(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_service(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_consent(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_consent_withdraw(struct ctip_req *req,
				    struct ctip_resp *resp);
void ctip_h_person_protection(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_protection_end(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_follow_up(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_visit(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_person_timeline(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_follow_ups_due(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_audit(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_list(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_repeat(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_classify(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_extend(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_decide(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_resolve(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_list(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_accept(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_refuse(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_complete(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_referral_withdraw(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_units(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_kpi_intakes(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_persons(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_intake_case(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_list(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_stage(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_edit(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_offender(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_victim(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_case_intake(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_kpi_cases(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_stats_indicators(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_stats_values(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_stats_trend(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_forms(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_get_id(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_submission(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_submit(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_review(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_completeness(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_reminders(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_deadline(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_report_export(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_activity_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_activity_edit(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_activity_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_activity_list(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_list(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_create(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_get(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_cascade(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_task_update(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_progress(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_rollup(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_due(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_export(struct ctip_req *req, struct ctip_resp *resp);
void ctip_h_plan_import(struct ctip_req *req, struct ctip_resp *resp);

/* A person as p may see it (identity null unless shown). */
struct ctip_person_view;
json_t *ctip_json_person_view(const struct ctip_person_view *v);

/* Add the sections of a person's casework (steps, events, consents,
 * services with totals, protection, follow-ups, minors, next steps) to
 * person object j. */
struct ctip_casework;
void ctip_json_casework(json_t *j, const struct ctip_casework *cw);

/* 409 duplicate_suspected with the persons (pseudonymised) who may
 * already be the one being registered, as "candidates". */
void ctip_resp_duplicates(struct ctip_resp *resp,
			  const struct ctip_person_view *v, int n);

/* A KPI rate: {"count","of","rate","target","comparison","status"}. */
struct ctip_kpi_rate;
json_t *ctip_json_kpi_rate(const struct ctip_kpi_rate *r);

/* x (a rate, a share, hours: not negative) rounded to decimals places,
 * half up; null when x is negative (nothing to divide by). One rounding
 * for every KPI figure, so that 11 of 13 reads 0.8462 wherever it
 * appears. */
json_t *ctip_json_rounded(double x, int decimals);

/* A JSON string, or null for NULL. */
json_t *ctip_json_str_or_null(const char *s);

/* {"id","name","agency","admin_code","level","province_code"} */
json_t *ctip_json_org_unit(const struct ctip_org_unit_row *o);

/* A string member, or NULL when absent or null; false (after answering
 * 400 naming the field) when present but not a string. */
bool ctip_json_str(const char **out, json_t *obj, const char *key,
		   struct ctip_resp *resp);

/* As ctip_json_str, for a member of an object nested in the body: the
 * field named is where then key ("reporter." "name"). */
bool ctip_json_str_in(const char **out, json_t *obj, const char *where,
		      const char *key, struct ctip_resp *resp);

/* A boolean member into *out (false when absent or null); false after
 * answering 400 naming the field when present but not true or false. */
bool ctip_json_bool(bool *out, json_t *obj, const char *key,
		    struct ctip_resp *resp);

/* A person input from the JSON object at where in the body ("" for the
 * body itself, "person", "minors[0]"): strings borrowed from obj, fields
 * named under where; or false after answering 400. ident: room for the
 * member "identification" of a victim ({on, evidence, document}), or
 * NULL where none may be given (a minor). */
bool ctip_json_person(struct ctip_person_input *in,
		      struct ctip_step_input *ident, json_t *obj,
		      const char *where, struct ctip_resp *resp);

/* The members "evidence" (letters of Law Art. 32.1) and "document" {type,
 * issuer, number, date} of obj into in, fields named under where ("" or
 * "identification."); or false after answering 400. */
bool ctip_json_identification(struct ctip_step_input *in, json_t *obj,
			      const char *where, struct ctip_resp *resp);

/* The "version" member of a change's body (the version the user saw), or
 * -1 after answering 400. */
int ctip_json_version(json_t *body, struct ctip_resp *resp);

/* Path parameter i as a positive integer written without sign or leading
 * zero, or 0 when it is not one. */
int64_t ctip_req_number(const struct ctip_req *req, int i);

/* Query parameter name, or NULL when absent or empty (empty is absent). */
const char *ctip_req_opt(const struct ctip_req *req, const char *name);

/* Query parameter name as a whole number (digits, optionally after '-')
 * within [min, max] into *out; dflt when absent or empty. False after
 * answering 400 naming it. strtol alone would read "abc" as 0 and "7x"
 * as 7. */
bool ctip_req_long(long long *out, struct ctip_req *req, struct ctip_resp *resp,
		   const char *name, long long min, long long max,
		   long long dflt);

/* A positive id from path parameter i, or 0 after answering 404. */
int64_t ctip_req_id(struct ctip_req *req, struct ctip_resp *resp, int i);

/* The "lang" query parameter of an export: "vi" (also when absent) or
 * "en"; NULL after answering 400 naming "lang". */
const char *ctip_req_lang(struct ctip_req *req, struct ctip_resp *resp);

/* Append j as indented JSON to out (an export's JSON format); what names
 * it when out is full (CTIP_ETOOBIG). */
CTIP_MUST_CHECK enum ctip_status ctip_json_dump(struct ctip_buf *out,
						const json_t *j,
						const char *what,
						struct ctip_err *err);

/* Answer 403 unless the signed-in user's role allows perm. */
bool ctip_require(struct ctip_req *req, struct ctip_resp *resp,
		  enum ctip_perm perm);

#endif

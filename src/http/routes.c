/* routes.c: the API's route table and its handlers. */
#include "http/routes.h"
#include "core/refdata.h"

#include <jansson.h>

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

const struct ctip_route ctip_routes[] = {
	{ "GET", "/healthz", healthz },
	{ "GET", "/api/meta", meta },
	{ "GET", "/api/ref/stats", ref_stats },
	{ NULL, NULL, NULL }, /* end of table */
};

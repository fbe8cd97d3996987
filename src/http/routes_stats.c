/* routes_stats.c: the statistics API (issue 6, phase 1): the indicator
 * catalogue and one indicator's value by place and period. Aggregates
 * only; no identity leaves here. */
#include "core/stats.h"
#include "http/routes.h"

/* The allowed dimensions, as a JSON array of their names. */
static json_t *
dims_json(const char *list)
{
	json_t *j = json_array();
	const char *w = list, *end;

	while (w != NULL && *w != '\0') {
		while (*w == ' ')
			w++;
		for (end = w; *end != ' ' && *end != '\0'; end++)
			;
		if (end > w)
			json_array_append_new(
				j, json_stringn(w, (size_t)(end - w)));
		w = end;
	}
	return j;
}

/* GET /api/stats/indicators */
void
ctip_h_stats_indicators(struct ctip_req *req, struct ctip_resp *resp)
{
	struct ctip_indicator *rows;
	struct ctip_err err = { 0 };
	json_t *items;
	int n, i;

	if (ctip_stats_indicators(&rows, &n, req->store, req->who, req->arena,
				  &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "code",
				  rows[i].code, "name_vi", rows[i].name_vi,
				  "name_en", rows[i].name_en, "counts",
				  rows[i].counts, "measure", rows[i].measure,
				  "filter",
				  ctip_json_str_or_null(rows[i].filter),
				  "dimensions", dims_json(rows[i].dimensions)));
	ctip_resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/stats/values?indicator=&from=&to=[&commune=|&province=][&by=] */
void
ctip_h_stats_values(struct ctip_req *req, struct ctip_resp *resp)
{
	static const char *const scopes[] = { "nation", "province", "commune" };
	struct ctip_stats_value v;
	struct ctip_err err = { 0 };
	const char *by = ctip_req_query(req, "by");
	json_t *values;
	int i;

	if (by != NULL && by[0] == '\0')
		by = NULL;
	if (ctip_stats_value(
		    &v, req->store, req->who, ctip_req_query(req, "indicator"),
		    ctip_req_query(req, "from"), ctip_req_query(req, "to"),
		    ctip_req_query(req, "commune"),
		    ctip_req_query(req, "province"), by, req->arena,
		    &err) != CTIP_OK) {
		ctip_resp_err(resp, &err);
		return;
	}
	values = json_array();
	for (i = 0; i < v.n_values; i++)
		json_array_append_new(values,
				      json_pack("{s:s, s:I}", "category",
						v.values[i].category, "value",
						(json_int_t)v.values[i].value));
	ctip_resp_json(resp, 200,
		       json_pack("{s:s, s:{s:s, s:o}, s:s, s:s, s:I, s:o, s:o}",
				 "indicator", v.ind.code, "scope", "level",
				 scopes[v.scope], "code",
				 ctip_json_str_or_null(v.place), "from", v.from,
				 "to", v.to, "total", (json_int_t)v.total, "by",
				 ctip_json_str_or_null(v.by), "values",
				 values));
}

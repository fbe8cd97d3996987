/* report.c: periodic reports (issue 6): periods and deadlines, the draft
 * computed from the records, validation, the submission workflow,
 * completeness, reminders. */
#include "core/report.h"
#include "core/case.h"
#include "core/stats.h"
#include "util/text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/* How far back and ahead reminders look, in days. */
#define REMIND_BACK  120
#define REMIND_AHEAD 15

/* ---- periods ---------------------------------------------------------- */

/* Periods of a type in a year. */
static int
periods_in_year(const char *period_type)
{
	if (strcmp(period_type, "quarter") == 0)
		return 4;
	if (strcmp(period_type, "half_year") == 0)
		return 2;
	return 1;
}

/* Fill out's dates and key from its type, year and number. The cut-off
 * of Decree 09/2019/NĐ-CP Art. 12: a quarter from the 15th of the month
 * before it to the 14th of its last month; a half-year and a year from
 * 15 December of the year before. */
static void
period_fill(struct ctip_period *out, const char *period_type, int year, int no)
{
	/* Bounded for the compiler: years are checked to 2000-2100. */
	unsigned y = (unsigned)year % 10000u, n = (unsigned)no % 10u;
	unsigned end_month = 12;

	out->year = year;
	out->no = no;
	if (strcmp(period_type, "peak") == 0) {
		snprintf(out->key, sizeof(out->key), "%04u-peak", y);
		snprintf(out->from, sizeof(out->from), "%04u-07-01", y);
		snprintf(out->to, sizeof(out->to), "%04u-09-30", y);
		return;
	}
	if (strcmp(period_type, "quarter") == 0) {
		snprintf(out->key, sizeof(out->key), "%04u-Q%u", y, n);
		end_month = 3 * n;
	} else if (strcmp(period_type, "half_year") == 0) {
		snprintf(out->key, sizeof(out->key), "%04u-H%u", y, n);
		end_month = 6 * n;
	} else {
		snprintf(out->key, sizeof(out->key), "%04u", y);
	}
	/* The first period of a year starts on 15 December before it. */
	if (n <= 1 || strcmp(period_type, "year") == 0)
		snprintf(out->from, sizeof(out->from), "%04u-12-15",
			 (y + 9999u) % 10000u);
	else
		snprintf(out->from, sizeof(out->from), "%04u-%02u-15", y,
			 (end_month -
			  (12 / (unsigned)periods_in_year(period_type))) %
				 100u);
	snprintf(out->to, sizeof(out->to), "%04u-%02u-14", y, end_month % 100u);
}

enum ctip_status
ctip_period_parse(struct ctip_period *out, const char *period_type,
		  const char *key, struct ctip_err *err)
{
	static const struct {
		const char *type, *example, *prefix;
	} types[] = {
		{ "quarter", "2026-Q1 to 2026-Q4", "-Q" },
		{ "half_year", "2026-H1 or 2026-H2", "-H" },
		{ "year", "2026", "" },
		{ "peak", "2026-peak", "-peak" },
	};
	const char *rest;
	size_t t, len;
	int year = 0, no = 1, i;

	memset(out, 0, sizeof(*out));
	for (t = 0; t < CTIP_NELEM(types); t++)
		if (strcmp(types[t].type, period_type) == 0)
			break;
	if (t == CTIP_NELEM(types))
		return ctip_err_field(err, CTIP_EINVAL, "period",
				      "period: unknown period type \"%s\"",
				      period_type);
	for (i = 0; key != NULL && i < 4 && key[i] >= '0' && key[i] <= '9'; i++)
		year = year * 10 + (key[i] - '0');
	if (i == 4) {
		rest = key + 4;
		len = strlen(types[t].prefix);
		if (strncmp(rest, types[t].prefix, len) != 0)
			year = 0;
		rest += strncmp(rest, types[t].prefix, len) == 0 ? len : 0;
		if (periods_in_year(period_type) > 1) {
			no = rest[0] - '0';
			rest += rest[0] != '\0';
		}
		if (*rest != '\0')
			year = 0;
	} else {
		year = 0;
	}
	if (year < 2000 || year > 2100 || no < 1 ||
	    no > periods_in_year(period_type))
		return ctip_err_field(err, CTIP_EINVAL, "period",
				      "period: expected %s", types[t].example);
	period_fill(out, period_type, year, no);
	return CTIP_OK;
}

void
ctip_period_of(struct ctip_period *out, const char *period_type,
	       const char *day)
{
	int year = (int)strtol(day, NULL, 10), n = periods_in_year(period_type);
	int no;

	memset(out, 0, sizeof(*out));
	if (strcmp(period_type, "peak") == 0) {
		period_fill(out, period_type, year, 1);
		return;
	}
	/* From 15 December on, the day belongs to next year's first. */
	if (strcmp(day + 5, "12-15") >= 0) {
		period_fill(out, period_type, year + 1, 1);
		return;
	}
	for (no = 1; no <= n; no++) {
		period_fill(out, period_type, year, no);
		if (strcmp(day, out->to) <= 0)
			return;
	}
}

/* The form's deadline (MM-DD) for period number no, from "n:MM-DD ..."; NULL
 * when it has none. */
static bool
form_deadline(char out[6], const char *deadlines, int no)
{
	const char *w = deadlines;
	int n, used;

	while (w != NULL && *w != '\0') {
		while (*w == ' ')
			w++;
		used = -1;
		if (sscanf(w, "%d:%5[0-9-]%n", &n, out, &used) == 2 &&
		    used > 0 && strlen(out) == 5 && n == no)
			return true;
		w = strchr(w, ' ');
	}
	out[0] = '\0';
	return false;
}

/* Whether md (MM-DD) is a day of every year. */
static bool
month_day_valid(const char *md)
{
	char d[11];

	if (md == NULL || strlen(md) != 5)
		return false;
	snprintf(d, sizeof(d), "2023-%s", md);
	return ctip_date_valid(d);
}

enum ctip_status
ctip_report_due(char due_on[11], bool *expected, struct ctip_store *st,
		const struct ctip_form *form, const struct ctip_period *period,
		const char *province, struct ctip_err *err)
{
	char md[6], own[6], day[32];
	bool found = false;
	enum ctip_status rc;

	due_on[0] = '\0';
	*expected = form_deadline(md, form->deadlines, period->no);
	if (!*expected)
		return CTIP_OK;
	if (strcmp(form->level, "province") == 0 && province != NULL) {
		rc = st->ops->reports->deadline_get(own, &found, st, form->code,
						    province, period->no, err);
		if (rc != CTIP_OK)
			return rc;
		if (found)
			memcpy(md, own, sizeof(md));
	}
	/* The first such day after the period: an annual report due on
	 * 10 January is due in the next year. */
	snprintf(day, sizeof(day), "%04d-%s", period->year, md);
	if (strcmp(day, period->to) <= 0)
		snprintf(day, sizeof(day), "%04d-%s", period->year + 1, md);
	snprintf(due_on, 11, "%.10s", day);
	return CTIP_OK;
}

/* ---- who may do what -------------------------------------------------- */

static bool
is_reporter(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_STATISTICIAN | CTIP_ROLE_SUPERVISOR));
}

/* The place p reports for at its level: its commune, its province, VN. */
static const char *
own_place(const struct ctip_principal *p)
{
	if (strcmp(p->level, "nation") == 0)
		return "VN";
	if (strcmp(p->level, "province") == 0)
		return p->province_code;
	return p->admin_code;
}

/* Whether place lies in p's scope. */
static bool
place_visible(const struct ctip_principal *p, const struct ctip_admin_unit *u)
{
	if (strcmp(p->level, "nation") == 0)
		return true;
	if (strcmp(p->level, "province") == 0)
		return strcmp(u->code, p->province_code) == 0 ||
		       (u->province_code != NULL &&
			strcmp(u->province_code, p->province_code) == 0);
	return strcmp(u->code, p->admin_code) == 0;
}

/* Whether p reviews the reports of place u submitted by user
 * submitted_by: the level above; the nation's, which has none above it
 * in ctip, another of its own officials (four eyes). */
static bool
reviews(const struct ctip_principal *p, const struct ctip_admin_unit *u,
	int64_t submitted_by)
{
	if (!is_reporter(p))
		return false;
	if (strcmp(u->level, "commune") == 0)
		return strcmp(p->level, "province") == 0 &&
		       strcmp(u->province_code, p->province_code) == 0;
	if (strcmp(u->level, "province") == 0)
		return strcmp(p->level, "nation") == 0;
	return strcmp(p->level, "nation") == 0 && p->user_id != submitted_by;
}

/* The form code and the period key of a request, checked. */
static enum ctip_status
form_period(struct ctip_form *f, struct ctip_period *pd, struct ctip_store *st,
	    const char *form, const char *period, struct ctip_arena *a,
	    struct ctip_err *err)
{
	enum ctip_status rc;

	if (form == NULL || form[0] == '\0')
		return ctip_err_field(err, CTIP_EINVAL, "form",
				      "form: required");
	rc = st->ops->reports->form_get(f, st, form, a, err);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_field(err, CTIP_ENOTFOUND, "form",
				      "form: no form \"%s\"", form);
	if (rc != CTIP_OK)
		return rc;
	return ctip_period_parse(pd, f->period_type, period, err);
}

/* The form, the period and the place of a request, checked. */
static enum ctip_status
resolve(struct ctip_report_view *out, struct ctip_store *st,
	const struct ctip_principal *p, const char *form, const char *period,
	const char *place, struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;

	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see reports");
	if ((rc = form_period(&out->form, &out->period, st, form, period, a,
			      err)) != CTIP_OK)
		return rc;
	if (place == NULL || place[0] == '\0')
		place = own_place(p);
	rc = st->ops->admin_unit_get(&out->place, st, place, a, err);
	if (rc == CTIP_ENOTFOUND ||
	    (rc == CTIP_OK && strcmp(out->place.level, out->form.level) != 0))
		return ctip_err_field(err, CTIP_EINVAL, "place",
				      "place: %s reports for a %s, and \"%s\" "
				      "is not one",
				      out->form.code, out->form.level, place);
	if (rc != CTIP_OK)
		return rc;
	if (!place_visible(p, &out->place))
		return ctip_err_field(err, CTIP_EFORBIDDEN, "place",
				      "place: %s is outside your scope", place);
	return ctip_report_due(out->due_on, &out->expected, st, &out->form,
			       &out->period,
			       strcmp(out->place.level, "commune") == 0
				       ? out->place.province_code
				       : out->place.code,
			       err);
}

/* ---- the draft ---------------------------------------------------------- */

/* Categories every report shows, in order, even when zero. */
static const struct {
	const char *dim, *code, *vi, *en;
} fixed[] = {
	{ "sex", "M", "Nam", "Male" },
	{ "sex", "F", "Nữ", "Female" },
	{ "sex", "U", "Không rõ", "Unknown" },
	{ "age_band", "under_16", "Dưới 16 tuổi", "Under 16" },
	{ "age_band", "16_17", "Từ 16 đến dưới 18 tuổi", "16 to 17" },
	{ "age_band", "18_30", "Từ 18 đến 30 tuổi", "18 to 30" },
	{ "age_band", "over_30", "Trên 30 tuổi", "Over 30" },
	{ "age_band", "unknown", "Không rõ", "Unknown" },
	{ "ethnic", "kinh", "Dân tộc Kinh", "Kinh" },
	{ "ethnic", "minority", "Dân tộc thiểu số", "Ethnic minority" },
	{ "ethnic", "unknown", "Không rõ", "Unknown" },
	{ "abroad", "domestic", "Trong nước", "Domestic" },
	{ "abroad", "abroad", "Ra nước ngoài", "Abroad" },
	{ "abroad", "unknown", "Không rõ", "Unknown" },
	{ "article", "150", "Điều 150 Bộ luật Hình sự", "Penal Code Art. 150" },
	{ "article", "151", "Điều 151 Bộ luật Hình sự", "Penal Code Art. 151" },
	{ "article", "other", "Điều luật khác", "Other article" },
	{ "article", "unknown", "Chưa xác định", "Not yet set" },
};

/* Names of the open dimensions' categories. */
struct names {
	struct ctip_ref_name *purposes, *ethnic, *countries;
	int n_purposes, n_ethnic, n_countries;
};

static const struct ctip_ref_name *
find_name(const struct ctip_ref_name *v, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[i];
	return NULL;
}

/* A category's labels: fixed, from the reference lists, or the code. */
static void
category_label(const char **vi, const char **en, const struct names *nm,
	       const char *dim, const char *code)
{
	const struct ctip_ref_name *r = NULL;
	size_t i;

	for (i = 0; i < CTIP_NELEM(fixed); i++)
		if (strcmp(fixed[i].dim, dim) == 0 &&
		    strcmp(fixed[i].code, code) == 0) {
			*vi = fixed[i].vi;
			*en = fixed[i].en;
			return;
		}
	if (strcmp(code, "unknown") == 0) {
		*vi = "Không rõ";
		*en = "Unknown";
		return;
	}
	if (strcmp(dim, "purpose") == 0)
		r = find_name(nm->purposes, nm->n_purposes, code);
	else if (strcmp(dim, "ethnicity") == 0)
		r = find_name(nm->ethnic, nm->n_ethnic, code);
	else if (strcmp(dim, "destination") == 0)
		r = find_name(nm->countries, nm->n_countries, code);
	*vi = r != NULL ? r->name : code;
	*en = r != NULL && r->name_en != NULL ? r->name_en : *vi;
}

/* One count a draft needs, made before the rows are laid out. */
struct job {
	const char *item, *by;
	struct ctip_stats_value v;
	bool done;
};

/* What a draft is computed from. */
struct draft {
	struct ctip_store *st;
	struct ctip_report_view *v;
	enum ctip_stats_scope scope;
	const char *place; /* NULL for the nation */
	struct ctip_rate_def *rates;
	int n_rates;
	struct names names;
	struct ctip_arena *a;
	struct job *jobs;
	int n_jobs;
	atomic_int next_job; /* the next job a worker takes */
	bool frozen;         /* for a snapshot: one thread, one read */
};

static const struct ctip_rate_def *
rate_of(const struct draft *d, const char *code)
{
	int i;

	for (i = 0; i < d->n_rates; i++)
		if (strcmp(d->rates[i].code, code) == 0)
			return &d->rates[i];
	return NULL;
}

/* Whether a and b are both NULL or the same string. */
static bool
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Count indicator code (by dimension by, or NULL) into *out: the count
 * made beforehand, or now. */
static enum ctip_status
count(struct ctip_stats_value *out, struct draft *d, const char *code,
      const char *by, struct ctip_err *err)
{
	enum ctip_status rc;
	int i;

	for (i = 0; i < d->n_jobs; i++)
		if (d->jobs[i].done && strcmp(d->jobs[i].item, code) == 0 &&
		    same(d->jobs[i].by, by)) {
			*out = d->jobs[i].v;
			return CTIP_OK;
		}
	memset(out, 0, sizeof(*out));
	rc = d->st->ops->stats->indicator_get(&out->ind, d->st, code, d->a,
					      err);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_EINVAL,
				    "form %s names \"%s\", which is neither "
				    "an indicator nor a rate",
				    d->v->form.code, code);
	if (rc != CTIP_OK)
		return rc;
	return ctip_stats_count(out, d->st, d->scope, d->place,
				d->v->period.from, d->v->period.to, by, d->a,
				err);
}

/* The total of indicator code (a job of the draft's). */
static enum ctip_status
total_of(long *out, struct draft *d, const char *code, struct ctip_err *err)
{
	struct ctip_stats_value v;
	enum ctip_status rc;

	if ((rc = count(&v, d, code, NULL, err)) == CTIP_OK)
		*out = v.total;
	return rc;
}

/* The cells of v, with the fixed categories of its dimension first (zero
 * when absent) and then the others present. */
static json_t *
cells_json(const struct draft *d, const struct ctip_stats_value *v, long *sum)
{
	json_t *cells = json_array();
	const char *vi, *en;
	size_t f;
	int i;
	bool has_fixed = false;

	*sum = 0;
	for (f = 0; f < CTIP_NELEM(fixed); f++) {
		long value = 0;

		if (strcmp(fixed[f].dim, v->by) != 0)
			continue;
		has_fixed = true;
		for (i = 0; i < v->n_values; i++)
			if (strcmp(v->values[i].category, fixed[f].code) == 0)
				value = v->values[i].value;
		json_array_append_new(
			cells, json_pack("{s:s, s:s, s:s, s:I}", "category",
					 fixed[f].code, "label_vi", fixed[f].vi,
					 "label_en", fixed[f].en, "value",
					 (json_int_t)value));
		*sum += value;
	}
	for (i = 0; i < v->n_values; i++) {
		const char *c = v->values[i].category;
		bool known = false;

		for (f = 0; has_fixed && f < CTIP_NELEM(fixed); f++)
			if (strcmp(fixed[f].dim, v->by) == 0 &&
			    strcmp(fixed[f].code, c) == 0)
				known = true;
		if (known)
			continue;
		category_label(&vi, &en, &d->names, v->by, c);
		json_array_append_new(
			cells,
			json_pack("{s:s, s:s, s:s, s:I}", "category", c,
				  "label_vi", vi, "label_en", en, "value",
				  (json_int_t)v->values[i].value));
		*sum += v->values[i].value;
	}
	return cells;
}

static json_t *
finding(const char *code, const char *severity, const char *vi, const char *en,
	const char *row_no)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "code", code, "severity",
			 severity, "message_vi", vi, "message_en", en, "row",
			 row_no);
}

/* One row of the layout into the draft. */
static enum ctip_status
row_json(json_t **out, json_t *findings, struct draft *d,
	 const struct ctip_form_row *r, struct ctip_err *err)
{
	const struct ctip_rate_def *rd = rate_of(d, r->item);
	struct ctip_stats_value v;
	struct ctip_kpi_rate rate;
	long num, den, total, sum;
	json_t *j;
	enum ctip_status rc;

	j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "seq",
		      r->seq, "no", r->label_no, "section_vi", r->section_vi,
		      "section_en", r->section_en, "label_vi", r->label_vi,
		      "label_en", r->label_en, "item", r->item, "by", r->by);
	if (j == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	*out = j;
	if (rd != NULL) {
		if ((rc = total_of(&num, d, rd->numerator, err)) != CTIP_OK ||
		    (rc = total_of(&den, d, rd->denominator, err)) != CTIP_OK)
			return rc;
		ctip_kpi_rate_fill(&rate, num, den, rd->target_percent,
				   strcmp(rd->comparison, "above") == 0);
		json_object_set_new(j, "kind", json_string("rate"));
		json_object_set_new(j, "numerator", json_integer(num));
		json_object_set_new(j, "denominator", json_integer(den));
		json_object_set_new(j, "rate",
				    rate.rate < 0 ? json_null()
						  : json_real(rate.rate));
		json_object_set_new(j, "target_percent",
				    json_integer(rd->target_percent));
		json_object_set_new(j, "comparison",
				    json_string(rd->comparison));
		json_object_set_new(j, "light", json_string(rate.light));
		return CTIP_OK;
	}
	if ((rc = count(&v, d, r->item, r->by, err)) != CTIP_OK)
		return rc;
	json_object_set_new(j, "kind", json_string("count"));
	json_object_set_new(j, "counts", json_string(v.ind.counts));
	if (r->by == NULL) {
		json_object_set_new(j, "total", json_integer(v.total));
		return CTIP_OK;
	}
	/* The split row's total is the item's own count, so that a split
	 * that partitions it is checked against a second statement. */
	if ((rc = total_of(&total, d, r->item, err)) != CTIP_OK)
		return rc;
	json_object_set_new(j, "total", json_integer(total));
	json_object_set_new(j, "cells", cells_json(d, &v, &sum));
	json_object_set_new(j, "partitions",
			    json_boolean(ctip_stats_partitions(&v.ind, r->by)));
	if (ctip_stats_partitions(&v.ind, r->by) && sum != total) {
		char *vi = ctip_arena_printf(d->a,
					     "Dòng %s: tổng các nhóm (%ld) "
					     "khác tổng số (%ld)",
					     r->label_no, sum, total);
		char *en = ctip_arena_printf(d->a,
					     "Row %s: the categories add up "
					     "to %ld, not the total %ld",
					     r->label_no, sum, total);

		if (vi == NULL || en == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		const char *code =
			ctip_arena_printf(d->a, "SUM_%s", r->label_no);

		if (code == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		json_array_append_new(
			findings, finding(code, "error", vi, en, r->label_no));
	}
	return CTIP_OK;
}

/* The rules whose two items the draft has counted (in total). */
static enum ctip_status
check_rules(json_t *findings, struct draft *d, struct ctip_err *err)
{
	struct ctip_rule *rules;
	long l = 0, r = 0;
	int n, i, k, have;
	bool ok;
	enum ctip_status rc;

	if ((rc = d->st->ops->reports->rules(&rules, &n, d->st, d->a, err)) !=
	    CTIP_OK)
		return rc;
	for (i = 0; i < n; i++) {
		have = 0;
		for (k = 0; k < d->n_jobs; k++) {
			const struct job *j = &d->jobs[k];

			if (!j->done || j->by != NULL)
				continue;
			if (strcmp(j->item, rules[i].left) == 0) {
				l = j->v.total;
				have |= 1;
			}
			if (strcmp(j->item, rules[i].right) == 0) {
				r = j->v.total;
				have |= 2;
			}
		}
		if (have != 3)
			continue;
		ok = strcmp(rules[i].op, "<=") == 0   ? l <= r
		     : strcmp(rules[i].op, ">=") == 0 ? l >= r
						      : l == r;
		if (!ok)
			json_array_append_new(
				findings,
				finding(rules[i].code, rules[i].severity,
					rules[i].message_vi,
					rules[i].message_en, NULL));
	}
	return CTIP_OK;
}

/* A worker making a draft's counts on a connection of its own. */
struct worker {
	struct draft *d;
	struct ctip_store *st;
	struct ctip_arena *a; /* the counts' strings: kept to the end */
	enum ctip_status rc;
	struct ctip_err err;
};

/* Take jobs until none is left or one fails. A job whose item is not an
 * indicator is left undone: laying the row out reports it. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	struct draft *d = w->d;
	struct job *j;
	int i;

	/* Each worker counts in one read transaction of its own: one state
	 * per worker, and a mapped connection maps the file once for the
	 * draft instead of again at each count after another connection
	 * wrote. A frozen draft is already in one (draft()). */
	if (!d->frozen && (w->rc = w->st->ops->read_snapshot(
				   w->st, true, &w->err)) != CTIP_OK)
		return NULL;
	while (w->rc == CTIP_OK &&
	       (i = atomic_fetch_add(&d->next_job, 1)) < d->n_jobs) {
		j = &d->jobs[i];
		memset(&j->v, 0, sizeof(j->v));
		w->rc = w->st->ops->stats->indicator_get(
			&j->v.ind, w->st, j->item, w->a, &w->err);
		if (w->rc == CTIP_ENOTFOUND) {
			w->rc = CTIP_OK;
			continue;
		}
		if (w->rc == CTIP_OK)
			w->rc = ctip_stats_count(&j->v, w->st, d->scope,
						 d->place, d->v->period.from,
						 d->v->period.to, j->by, w->a,
						 &w->err);
		j->done = w->rc == CTIP_OK;
	}
	if (!d->frozen)
		w->rc = ctip_store_read_end(w->st, w->rc, &w->err);
	return NULL;
}

/* Add the count (item, by) to the jobs unless it is there. */
static void
add_job(struct draft *d, const char *item, const char *by)
{
	int i;

	for (i = 0; i < d->n_jobs; i++)
		if (strcmp(d->jobs[i].item, item) == 0 &&
		    same(d->jobs[i].by, by))
			return;
	d->jobs[d->n_jobs].item = item;
	d->jobs[d->n_jobs].by = by;
	d->jobs[d->n_jobs++].done = false;
}

/*
 * Make every count the rows need — each row's, a split row's total, a
 * rate's two — before laying them out. A province's or the nation's
 * draft shares them between this thread and a second one on a
 * connection of its own (the machine's two cores: a national half-year
 * is some 40 statements over 100,000 rows each); a commune's is quick on
 * one. second is the second worker, with an arena of its own (second->a)
 * that the counts' strings live in until the draft is laid out.
 */
static enum ctip_status
count_all(struct draft *d, const struct ctip_form_row *rows, int n,
	  struct worker *second, struct ctip_err *err)
{
	struct worker first = { .d = d, .st = d->st, .a = d->a };
	const struct ctip_rate_def *rd;
	pthread_t t;
	bool two = false;
	int i;

	d->jobs =
		ctip_arena_alloc(d->a, (size_t)(3 * n + 1) * sizeof(*d->jobs));
	if (d->jobs == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; i < n; i++) {
		if ((rd = rate_of(d, rows[i].item)) != NULL) {
			add_job(d, rd->numerator, NULL);
			add_job(d, rd->denominator, NULL);
			continue;
		}
		add_job(d, rows[i].item, NULL);
		if (rows[i].by != NULL)
			add_job(d, rows[i].item, rows[i].by);
	}
	atomic_store(&d->next_job, 0);
	second->d = d;
	second->rc = CTIP_OK;
	if (!d->frozen && d->scope != CTIP_SCOPE_COMMUNE &&
	    d->st->ops->open_again(&second->st, d->st, &second->err) ==
		    CTIP_OK) {
		two = pthread_create(&t, NULL, work, second) == 0;
		if (!two)
			second->st->ops->close(second->st);
	}
	work(&first);
	if (two) {
		pthread_join(t, NULL);
		second->st->ops->close(second->st);
	}
	second->st = NULL;
	if (first.rc != CTIP_OK) {
		*err = first.err;
		return first.rc;
	}
	if (two && second->rc != CTIP_OK) {
		*err = second->err;
		return second->rc;
	}
	return CTIP_OK;
}

/* Compute v's report now into v->body (frozen: see draft()). */
static enum ctip_status
compute(struct ctip_report_view *v, struct ctip_store *st, bool frozen,
	struct ctip_arena *a, struct ctip_err *err)
{
	struct draft d = { .st = st, .v = v, .a = a, .frozen = frozen };
	struct worker second = { 0 };
	struct ctip_arena second_arena;
	struct ctip_form_row *rows;
	json_t *jrows, *findings, *row;
	char now[24];
	int n, i;
	enum ctip_status rc;

	d.scope = strcmp(v->place.level, "commune") == 0 ? CTIP_SCOPE_COMMUNE
		  : strcmp(v->place.level, "province") == 0
			  ? CTIP_SCOPE_PROVINCE
			  : CTIP_SCOPE_NATION;
	d.place = d.scope == CTIP_SCOPE_NATION ? NULL : v->place.code;
	if ((rc = st->ops->reports->rows(&rows, &n, st, v->form.layout, a,
					 err)) != CTIP_OK ||
	    (rc = st->ops->reports->rates(&d.rates, &d.n_rates, st, a, err)) !=
		    CTIP_OK ||
	    (rc = st->ops->ref_names(&d.names.purposes, &d.names.n_purposes, st,
				     CTIP_REF_PURPOSE, NULL, a, err)) !=
		    CTIP_OK ||
	    (rc = st->ops->ref_names(&d.names.ethnic, &d.names.n_ethnic, st,
				     CTIP_REF_ETHNIC_GROUP, NULL, a, err)) !=
		    CTIP_OK ||
	    (rc = st->ops->ref_names(&d.names.countries, &d.names.n_countries,
				     st, CTIP_REF_COUNTRY, NULL, a, err)) !=
		    CTIP_OK)
		return rc;
	ctip_arena_init(&second_arena, 64u << 20);
	second.a = &second_arena;
	if ((rc = count_all(&d, rows, n, &second, err)) != CTIP_OK) {
		ctip_arena_free(&second_arena);
		return rc;
	}
	jrows = json_array();
	findings = json_array();
	for (i = 0; i < n; i++) {
		row = NULL;
		rc = row_json(&row, findings, &d, &rows[i], err);
		if (row != NULL)
			json_array_append_new(jrows, row);
		if (rc != CTIP_OK)
			break;
	}
	if (rc == CTIP_OK)
		rc = check_rules(findings, &d, err);
	ctip_now(now);
	v->body = json_pack(
		"{s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}, "
		"s:{s:s, s:s, s:s}, s:s?, s:s, s:o, s:o}",
		"format", "ctip-report/1", "form", "code", v->form.code,
		"name_vi", v->form.name_vi, "name_en", v->form.name_en, "level",
		v->form.level, "period_type", v->form.period_type,
		"legal_basis", v->form.legal_basis, "period", "key",
		v->period.key, "from", v->period.from, "to", v->period.to,
		"place", "code", v->place.code, "name", v->place.full_name,
		"level", v->place.level, "due_on",
		v->expected ? v->due_on : NULL, "computed_at", now, "rows",
		jrows, "findings", findings);
	/* The body holds copies: the second worker's strings may go. */
	ctip_arena_free(&second_arena);
	if (v->body == NULL && rc == CTIP_OK)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if (rc != CTIP_OK) {
		json_decref(v->body);
		v->body = NULL;
		return rc;
	}
	return CTIP_OK;
}

/* Count the findings of v->body by severity. */
static void
count_findings(struct ctip_report_view *v)
{
	json_t *f;
	size_t i;

	v->n_errors = v->n_warnings = 0;
	json_array_foreach(json_object_get(v->body, "findings"), i, f)
	{
		const char *s =
			json_string_value(json_object_get(f, "severity"));

		if (s != NULL && strcmp(s, "error") == 0)
			v->n_errors++;
		else
			v->n_warnings++;
	}
}

/*
 * Compute v's report now into v->body. A draft to look at shares its
 * counts between two connections, each reading the database as it is
 * when it reads; a draft to freeze (frozen: a submission) reads on one
 * connection in one read transaction, so that the snapshot's rows and
 * checks agree with each other even while others write.
 */
static enum ctip_status
draft(struct ctip_report_view *v, struct ctip_store *st, bool frozen,
      struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;
	bool computed;

	if (!frozen)
		return compute(v, st, false, a, err);
	if ((rc = st->ops->read_snapshot(st, true, err)) != CTIP_OK)
		return rc;
	rc = compute(v, st, true, a, err);
	computed = rc == CTIP_OK;
	rc = ctip_store_read_end(st, rc, err);
	if (computed && rc != CTIP_OK) {
		json_decref(v->body);
		v->body = NULL;
	}
	return rc;
}

/* Fill the stored report's state into v, and its body: the snapshot when
 * submitted or approved, a draft otherwise (frozen: see draft()). */
static enum ctip_status
view_fill(struct ctip_report_view *v, const struct ctip_principal *p,
	  struct ctip_store *st, bool frozen, struct ctip_arena *a,
	  struct ctip_err *err)
{
	json_error_t jerr;
	enum ctip_status rc;

	v->status = v->stored ? v->rec.status : "draft";
	if (v->stored && strcmp(v->rec.status, "returned") != 0) {
		v->body = json_loads(v->rec.snapshot, 0, &jerr);
		if (v->body == NULL)
			return ctip_err_set(err, CTIP_EINTERNAL,
					    "report %lld: its snapshot does "
					    "not parse: %s",
					    (long long)v->rec.id, jerr.text);
	} else if ((rc = draft(v, st, frozen, a, err)) != CTIP_OK) {
		return rc;
	}
	count_findings(v);
	v->may_submit = is_reporter(p) && v->expected &&
			strcmp(p->admin_code, v->place.code) == 0 &&
			(!v->stored || strcmp(v->rec.status, "returned") == 0);
	v->may_review = v->stored && strcmp(v->rec.status, "submitted") == 0 &&
			reviews(p, &v->place, v->rec.submitted_by);
	return CTIP_OK;
}

/* ctip_report_get, the draft computed to be frozen when frozen. */
static enum ctip_status
get_view(struct ctip_report_view *out, const struct ctip_access *ax,
	 const struct ctip_principal *p, const char *form, const char *period,
	 const char *place, bool frozen, struct ctip_arena *a,
	 struct ctip_err *err)
{
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if ((rc = resolve(out, ax->st, p, form, period, place, a, err)) !=
	    CTIP_OK)
		return rc;
	rc = ax->st->ops->reports->get(&out->rec, ax->st, out->form.code,
				       out->period.key, out->place.code, a,
				       err);
	if (rc != CTIP_OK && rc != CTIP_ENOTFOUND)
		return rc;
	out->stored = rc == CTIP_OK;
	return view_fill(out, p, ax->st, frozen, a, err);
}

enum ctip_status
ctip_report_get(struct ctip_report_view *out, const struct ctip_access *ax,
		const struct ctip_principal *p, const char *form,
		const char *period, const char *place, struct ctip_arena *a,
		struct ctip_err *err)
{
	return get_view(out, ax, p, form, period, place, false, a, err);
}

enum ctip_status
ctip_report_get_id(struct ctip_report_view *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id,
		   struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_report_rec rec;
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see reports");
	rc = ax->st->ops->reports->get_id(&rec, ax->st, id, a, err);
	if (rc == CTIP_OK) {
		rc = resolve(out, ax->st, p, rec.form_code, rec.period,
			     rec.place_code, a, err);
		if (rc == CTIP_EFORBIDDEN)
			rc = CTIP_ENOTFOUND;
	}
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_ENOTFOUND, "no report %lld",
				    (long long)id);
	if (rc != CTIP_OK)
		return rc;
	out->rec = rec;
	out->stored = true;
	return view_fill(out, p, ax->st, false, a, err);
}

enum ctip_status
ctip_report_submit(int64_t *id_out, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *form,
		   const char *period, const char *place, const char *note,
		   int version, struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_report_view v;
	struct ctip_report_rec r;
	char now[24], today[11];
	char *snapshot;
	enum ctip_status rc;

	*id_out = 0;
	if ((rc = get_view(&v, ax, p, form, period, place, true, a, err)) !=
	    CTIP_OK)
		goto out;
	if (!is_reporter(p) || strcmp(p->admin_code, v.place.code) != 0) {
		rc = ctip_err_set(err, CTIP_EFORBIDDEN,
				  "only a statistician or supervisor of %s "
				  "may submit its report",
				  v.place.full_name);
		goto out;
	}
	if (!v.expected) {
		rc = ctip_err_field(err, CTIP_EINVAL, "period",
				    "period: %s is not reported for %s",
				    v.form.code, v.period.key);
		goto out;
	}
	ctip_today(today);
	if (strcmp(today, v.period.to) <= 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "period",
				    "period: %s ends on %s; submit from the "
				    "day after",
				    v.period.key, v.period.to);
		goto out;
	}
	if (v.stored && strcmp(v.rec.status, "returned") != 0) {
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "the report is already %s", v.rec.status);
		goto out;
	}
	if ((v.stored ? v.rec.version : 0) != version) {
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "the report was changed by someone else: "
				    "reload it");
		goto out;
	}
	if ((rc = ctip_text_check(note, 2000, false, "note", err)) != CTIP_OK)
		goto out;
	if (v.n_errors > 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "report",
				    "report: %d validation error%s to correct "
				    "before submitting",
				    v.n_errors, v.n_errors == 1 ? "" : "s");
		goto out;
	}
	if (v.n_warnings > 0 && ctip_text_blank(note)) {
		rc = ctip_err_field(err, CTIP_EINVAL, "note",
				    "note: explain the %d warning%s before "
				    "submitting",
				    v.n_warnings, v.n_warnings == 1 ? "" : "s");
		goto out;
	}
	ctip_now(now);
	json_object_set_new(v.body, "submitted_at", json_string(now));
	snapshot = json_dumps(v.body, JSON_COMPACT);
	if (snapshot == NULL) {
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		goto out;
	}
	r = (struct ctip_report_rec){
		.id = v.stored ? v.rec.id : 0,
		.form_code = v.form.code,
		.period = v.period.key,
		.place_code = v.place.code,
		.province_code = strcmp(v.place.level, "commune") == 0
					 ? v.place.province_code
				 : strcmp(v.place.level, "province") == 0
					 ? v.place.code
					 : NULL,
		.due_on = v.due_on,
		.snapshot = snapshot,
		.note = ctip_text_blank(note) ? NULL : note,
		.submitted_at = now,
		.submitted_by = p->user_id,
		.submitted_unit_id = p->unit_id,
		.version = version,
	};
	if ((rc = st->ops->begin(st, err)) == CTIP_OK) {
		rc = st->ops->reports->submit(id_out, st, &r, err);
		if (rc == CTIP_OK)
			rc = ctip_audit_change(ax->st, ax->kr, p,
					       "report.submit", "report",
					       *id_out, NULL, err);
		if (rc == CTIP_OK)
			rc = st->ops->commit(st, err);
		if (rc != CTIP_OK)
			st->ops->rollback(st);
	}
	/* Two submitting at once: the second finds the key taken. */
	if (rc == CTIP_EEXIST)
		rc = ctip_err_field(err, CTIP_ECONFLICT, "version",
				    "the report was submitted meanwhile: "
				    "reload it");
	free(snapshot);
out:
	json_decref(v.body);
	return rc;
}

enum ctip_status
ctip_report_review(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *decision,
		   const char *comment, struct ctip_arena *a,
		   struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_report_view v;
	bool approve;
	char now[24];
	enum ctip_status rc;

	if (decision == NULL || (strcmp(decision, "approve") != 0 &&
				 strcmp(decision, "return") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "decision",
				      "decision: approve or return");
	approve = strcmp(decision, "approve") == 0;
	if ((rc = ctip_text_check(comment, 2000, !approve, "comment", err)) !=
	    CTIP_OK)
		return rc;
	if ((rc = ctip_report_get_id(&v, ax, p, id, a, err)) != CTIP_OK)
		return rc;
	json_decref(v.body);
	if (!reviews(p, &v.place, v.rec.submitted_by))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only a statistician or supervisor of the "
				    "level above %s reviews its report (of the "
				    "nation's, another of its own)",
				    v.place.full_name);
	if (strcmp(v.rec.status, "submitted") != 0)
		return ctip_err_field(err, CTIP_ECONFLICT, "status",
				      "the report is %s, not submitted",
				      v.rec.status);
	ctip_now(now);
	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = st->ops->reports->review(
		st, id, version, approve ? "approved" : "returned", p->user_id,
		p->unit_id, now, ctip_text_blank(comment) ? NULL : comment,
		err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p,
				       approve ? "report.approve"
					       : "report.return",
				       "report", id, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

/* ---- completeness and reminders ---------------------------------------- */

/* The Viet Nam day of a stored UTC timestamp. */
static const char *
timeliness(const struct ctip_report_place *pl, const char *due_on,
	   const char *today)
{
	char day[11];

	if (pl->submitted_at != NULL) {
		ctip_day_of(day, pl->submitted_at);
		return strcmp(day, due_on) <= 0 ? "on_time" : "late";
	}
	return strcmp(today, due_on) > 0 ? "overdue" : "pending";
}

enum ctip_status
ctip_report_completeness(struct ctip_report_completeness *out,
			 const struct ctip_access *ax,
			 const struct ctip_principal *p, const char *form,
			 const char *period, const char *province,
			 struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_ref_name *places = NULL;
	struct ctip_report_rec *recs;
	struct ctip_ref_name nation = { "VN", "Việt Nam", "Viet Nam" };
	struct ctip_admin_unit pu;
	char today[11];
	int n_places = 0, n_recs, i, k;
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see reports");
	if (strcmp(p->level, "commune") == 0)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "a commune unit sees its own report "
				    "only");
	if ((rc = form_period(&out->form, &out->period, st, form, period, a,
			      err)) != CTIP_OK)
		return rc;
	if (strcmp(p->level, "province") == 0) {
		if (province != NULL && strcmp(province, p->province_code) != 0)
			return ctip_err_field(err, CTIP_EFORBIDDEN, "province",
					      "province: outside your scope");
		province = p->province_code;
	}
	if (strcmp(out->form.level, "commune") == 0) {
		if (province == NULL)
			return ctip_err_field(err, CTIP_EINVAL, "province",
					      "province: required for a "
					      "commune form");
		rc = st->ops->admin_unit_get(&pu, st, province, a, err);
		if (rc == CTIP_ENOTFOUND ||
		    (rc == CTIP_OK && strcmp(pu.level, "province") != 0))
			return ctip_err_field(err, CTIP_EINVAL, "province",
					      "province: no province \"%s\"",
					      province);
		if (rc != CTIP_OK)
			return rc;
		rc = st->ops->ref_names(&places, &n_places, st,
					CTIP_REF_ADMIN_UNIT, province, a, err);
	} else if (strcmp(out->form.level, "province") == 0) {
		rc = st->ops->ref_names(&places, &n_places, st,
					CTIP_REF_ADMIN_UNIT, NULL, a, err);
		/* A province unit sees its own row only. */
		for (i = k = 0; rc == CTIP_OK && i < n_places; i++)
			if (province == NULL ||
			    strcmp(places[i].code, province) == 0)
				places[k++] = places[i];
		n_places = k;
	} else {
		if (strcmp(p->level, "nation") != 0)
			return ctip_err_set(err, CTIP_EFORBIDDEN,
					    "the national report is seen at "
					    "national level");
		places = &nation;
		n_places = 1;
		province = NULL;
	}
	if (rc != CTIP_OK)
		return rc;
	/* The deadline of the first place (a province may set its own:
	 * then each province row has its own due date). */
	if ((rc = ctip_report_due(
		     out->due_on, &out->expected, st, &out->form, &out->period,
		     strcmp(out->form.level, "province") == 0 && n_places > 0
			     ? places[0].code
			     : province,
		     err)) != CTIP_OK)
		return rc;
	if ((rc = st->ops->reports->list(
		     &recs, &n_recs, st, out->form.code, out->period.key,
		     strcmp(out->form.level, "commune") == 0 ? province : NULL,
		     a, err)) != CTIP_OK)
		return rc;
	out->places = ctip_arena_alloc(a, (size_t)(n_places + 1) *
						  sizeof(*out->places));
	if (out->places == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	ctip_today(today);
	for (i = 0; i < n_places; i++) {
		struct ctip_report_place *pl = &out->places[i];
		char due[11];
		bool expected;

		pl->code = places[i].code;
		pl->name = places[i].name;
		pl->status = "missing";
		for (k = 0; k < n_recs; k++)
			if (strcmp(recs[k].place_code, pl->code) == 0) {
				pl->status = recs[k].status;
				pl->report_id = recs[k].id;
				pl->submitted_at = recs[k].first_submitted_at;
			}
		memcpy(due, out->due_on, sizeof(due));
		if (strcmp(out->form.level, "province") == 0 &&
		    (rc = ctip_report_due(due, &expected, st, &out->form,
					  &out->period, pl->code, err)) !=
			    CTIP_OK)
			return rc;
		pl->timeliness =
			out->expected ? timeliness(pl, due, today) : "pending";
		/* A returned report is the place's to send again: neither
		 * in nor missing (it was sent, and its first sending dates
		 * it). */
		if (pl->report_id == 0)
			out->missing++;
		else if (strcmp(pl->status, "returned") == 0)
			out->returned++;
		else
			out->submitted++;
		if (strcmp(pl->timeliness, "on_time") == 0)
			out->on_time++;
		else if (strcmp(pl->timeliness, "late") == 0)
			out->late++;
		else if (strcmp(pl->timeliness, "overdue") == 0)
			out->overdue++;
	}
	out->n_places = n_places;
	return CTIP_OK;
}

/* Days from a to b (yyyy-mm-dd, valid). */
static int
days_between(const char *a, const char *b)
{
	struct tm ta = { 0 }, tb = { 0 };

	ta.tm_year = (int)strtol(a, NULL, 10) - 1900;
	ta.tm_mon = (int)strtol(a + 5, NULL, 10) - 1;
	ta.tm_mday = (int)strtol(a + 8, NULL, 10);
	tb.tm_year = (int)strtol(b, NULL, 10) - 1900;
	tb.tm_mon = (int)strtol(b + 5, NULL, 10) - 1;
	tb.tm_mday = (int)strtol(b + 8, NULL, 10);
	ta.tm_hour = tb.tm_hour = 12;
	return (int)((timegm(&tb) - timegm(&ta)) / 86400);
}

/* Append a reminder to the growing array *out. */
static enum ctip_status
remind(struct ctip_report_reminder **out, int *n, int *cap,
       const struct ctip_report_reminder *r, struct ctip_arena *a,
       struct ctip_err *err)
{
	struct ctip_report_reminder *grown;

	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		grown = ctip_arena_alloc(a, (size_t)*cap * sizeof(*grown));
		if (grown == NULL)
			return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		if (*n > 0)
			memcpy(grown, *out, (size_t)*n * sizeof(*grown));
		*out = grown;
	}
	(*out)[(*n)++] = *r;
	return CTIP_OK;
}

/* The level below level, or NULL. */
static const char *
level_below(const char *level)
{
	if (strcmp(level, "nation") == 0)
		return "province";
	if (strcmp(level, "province") == 0)
		return "commune";
	return NULL;
}

enum ctip_status
ctip_report_reminders(struct ctip_report_reminder **out, int *n_out,
		      const struct ctip_access *ax,
		      const struct ctip_principal *p, struct ctip_arena *a,
		      struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_form *forms;
	struct ctip_report_rec rec;
	struct ctip_report_completeness c;
	struct ctip_report_reminder r;
	const char *below = level_below(p->level);
	char today[11], due[11];
	bool expected;
	int n_forms, f, year, no, cap = 0, y0;
	enum ctip_status rc;

	*out = NULL;
	*n_out = 0;
	if (!is_reporter(p))
		return CTIP_OK;
	if ((rc = st->ops->reports->forms(&forms, &n_forms, st, a, err)) !=
	    CTIP_OK)
		return rc;
	ctip_today(today);
	y0 = (int)strtol(today, NULL, 10);
	for (f = 0; f < n_forms; f++) {
		bool own = strcmp(forms[f].level, p->level) == 0;
		bool lower =
			below != NULL && strcmp(forms[f].level, below) == 0;

		if (!own && !lower)
			continue;
		for (year = y0 - 1; year <= y0 + 1; year++)
			for (no = 1;
			     no <= periods_in_year(forms[f].period_type);
			     no++) {
				memset(&r, 0, sizeof(r));
				r.form = forms[f];
				period_fill(&r.period, forms[f].period_type,
					    year, no);
				rc = ctip_report_due(
					due, &expected, st, &forms[f],
					&r.period,
					own && strcmp(p->level, "province") == 0
						? p->province_code
						: NULL,
					err);
				if (rc != CTIP_OK)
					return rc;
				if (!expected)
					continue;
				r.days_left = days_between(today, due);
				/* Reports waiting for review are listed
				 * whenever their period; the rest within the
				 * window. */
				if (r.days_left > REMIND_AHEAD ||
				    (r.days_left < -REMIND_BACK && own))
					continue;
				memcpy(r.due_on, due, sizeof(r.due_on));
				if (own) {
					r.place_code = own_place(p);
					rc = st->ops->reports->get(
						&rec, st, forms[f].code,
						r.period.key, r.place_code, a,
						err);
					if (rc == CTIP_OK &&
					    strcmp(rec.status, "returned") != 0)
						continue;
					if (rc != CTIP_OK &&
					    rc != CTIP_ENOTFOUND)
						return rc;
					r.kind = "due";
					r.status = rc == CTIP_OK ? "returned"
								 : "missing";
					if (strcmp(today, r.period.to) <= 0 &&
					    rc != CTIP_OK)
						r.status = "open";
					rc = remind(out, n_out, &cap, &r, a,
						    err);
					if (rc != CTIP_OK)
						return rc;
					continue;
				}
				rc = ctip_report_completeness(
					&c, ax, p, forms[f].code, r.period.key,
					NULL, a, err);
				if (rc != CTIP_OK)
					return rc;
				r.count = 0;
				for (int i = 0; i < c.n_places; i++)
					if (strcmp(c.places[i].status,
						   "submitted") == 0)
						r.count++;
				if (r.count > 0) {
					r.kind = "review";
					rc = remind(out, n_out, &cap, &r, a,
						    err);
					if (rc != CTIP_OK)
						return rc;
				}
				if (c.overdue > 0 &&
				    r.days_left >= -REMIND_BACK) {
					r.kind = "missing";
					r.count = c.overdue;
					rc = remind(out, n_out, &cap, &r, a,
						    err);
					if (rc != CTIP_OK)
						return rc;
				}
			}
	}
	return CTIP_OK;
}

enum ctip_status
ctip_report_deadline_set(const struct ctip_access *ax,
			 const struct ctip_principal *p, const char *form,
			 int period_no, const char *month_day,
			 struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	struct ctip_form f;
	struct ctip_arena a;
	char now[24], object_id[64];
	struct ctip_audit_event ev = { .who = p,
				       .action = "report.deadline",
				       .object_type = "report_form",
				       .object_id = object_id };
	enum ctip_status rc;

	if (!is_reporter(p) || strcmp(p->level, "province") != 0)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "a province's statistician or supervisor "
				    "sets its deadlines");
	ctip_arena_init(&a, 64u << 10);
	rc = form == NULL ? CTIP_ENOTFOUND
			  : st->ops->reports->form_get(&f, st, form, &a, err);
	if (rc == CTIP_ENOTFOUND ||
	    (rc == CTIP_OK && strcmp(f.level, "province") != 0))
		rc = ctip_err_field(err, CTIP_EINVAL, "form",
				    "form: not a province form");
	else if (rc == CTIP_OK &&
		 (period_no < 1 || period_no > periods_in_year(f.period_type)))
		rc = ctip_err_field(err, CTIP_EINVAL, "period_no",
				    "period_no: from 1 to %d",
				    periods_in_year(f.period_type));
	else if (rc == CTIP_OK && !month_day_valid(month_day))
		rc = ctip_err_field(err, CTIP_EINVAL, "month_day",
				    "month_day: a day of the year as MM-DD");

	if (rc == CTIP_OK) {
		ctip_now(now);
		snprintf(object_id, sizeof(object_id), "%s/%s/%d", f.code,
			 p->province_code, period_no);
		if ((rc = st->ops->begin(st, err)) == CTIP_OK) {
			rc = st->ops->reports->deadline_set(
				st, f.code, p->province_code, period_no,
				month_day, p->user_id, now, err);
			if (rc == CTIP_OK)
				rc = ctip_audit_append(st, ax->kr, &ev, err);
			if (rc == CTIP_OK)
				rc = st->ops->commit(st, err);
			if (rc != CTIP_OK)
				st->ops->rollback(st);
		}
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_report_forms(struct ctip_form **out, int *n_out, struct ctip_store *st,
		  const struct ctip_principal *p, struct ctip_arena *a,
		  struct ctip_err *err)
{
	*out = NULL;
	*n_out = 0;
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see reports");
	return st->ops->reports->forms(out, n_out, st, a, err);
}

enum ctip_status
ctip_report_steps(struct ctip_report_step **out, int *n_out,
		  const struct ctip_access *ax, const struct ctip_principal *p,
		  int64_t id, struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_report_rec rec;
	struct ctip_admin_unit u;
	enum ctip_status rc;

	*out = NULL;
	*n_out = 0;
	if (!ctip_stats_may_see(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see reports");
	rc = ax->st->ops->reports->get_id(&rec, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->admin_unit_get(&u, ax->st, rec.place_code, a,
						 err);
	if (rc == CTIP_OK && !place_visible(p, &u))
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_ENOTFOUND, "no report %lld",
				    (long long)id);
	if (rc != CTIP_OK)
		return rc;
	return ax->st->ops->reports->steps(out, n_out, ax->st, id, a, err);
}

enum ctip_status
ctip_report_submission(struct ctip_report_submission *out,
		       const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int n,
		       struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_report_step *steps;
	const char *snapshot;
	json_error_t jerr;
	int n_steps, i;
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if (n < 1)
		return ctip_err_field(err, CTIP_EINVAL, "n",
				      "n: a submission number, 1 or more");
	/* The steps' read checks the scope. */
	if ((rc = ctip_report_steps(&steps, &n_steps, ax, p, id, a, err)) !=
	    CTIP_OK)
		return rc;
	for (i = 0; i < n_steps && steps[i].submission != n; i++)
		;
	if (i == n_steps)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "report %lld has no submission %d",
				    (long long)id, n);
	out->report_id = id;
	out->n = n;
	out->step = &steps[i];
	/* The step after a submission decides it; none: it is current. */
	if (i + 1 < n_steps && strcmp(steps[i + 1].action, "submit") != 0) {
		out->review = &steps[i + 1];
		out->status_after = strcmp(out->review->action, "approve") == 0
					    ? "approved"
					    : "returned";
	} else {
		out->status_after = "current";
	}
	if ((rc = ax->st->ops->reports->submission(&snapshot, ax->st, id, n, a,
						   err)) != CTIP_OK)
		return rc;
	out->body = json_loads(snapshot, 0, &jerr);
	if (out->body == NULL)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "report %lld: the snapshot of submission "
				    "%d does not parse: %s",
				    (long long)id, n, jerr.text);
	return CTIP_OK;
}

/* ---- trends -------------------------------------------------------------- */

/* The period before p of the same type. */
static void
period_before(struct ctip_period *out, const char *period_type,
	      const struct ctip_period *p)
{
	if (p->no > 1)
		period_fill(out, period_type, p->year, p->no - 1);
	else
		period_fill(out, period_type, p->year - 1,
			    periods_in_year(period_type));
}

enum ctip_status
ctip_report_trend(struct ctip_trend_point **out, int *n_out,
		  struct ctip_store *st, const struct ctip_principal *p,
		  const char *code, const char *period_type, int count,
		  const char *commune, const char *province,
		  struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_stats_value v;
	struct ctip_trend_point *pts;
	struct ctip_period cur;
	char today[11];
	int i;
	enum ctip_status rc;

	*out = NULL;
	*n_out = 0;
	if (period_type == NULL || (strcmp(period_type, "quarter") != 0 &&
				    strcmp(period_type, "half_year") != 0 &&
				    strcmp(period_type, "year") != 0 &&
				    strcmp(period_type, "peak") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "period_type",
				      "period_type: quarter, half_year, year "
				      "or peak");
	if (count < 1 || count > 12)
		return ctip_err_field(err, CTIP_EINVAL, "count",
				      "count: from 1 to 12");
	pts = ctip_arena_alloc(a, (size_t)count * sizeof(*pts));
	if (pts == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	ctip_today(today);
	ctip_period_of(&cur, period_type, today);
	/* The peak period of this year has not begun before 1 July. */
	if (strcmp(today, cur.from) < 0)
		period_before(&cur, period_type, &cur);
	for (i = count - 1; i >= 0; i--) {
		pts[i].period = cur;
		pts[i].partial = strcmp(today, cur.to) <= 0;
		period_before(&cur, period_type, &cur);
	}
	/* The roles and the scope are checked once, over the whole span;
	 * each period is then counted for that place. */
	rc = ctip_stats_request(&v, st, p, code, pts[0].period.from,
				pts[count - 1].period.to, commune, province, a,
				err);
	for (i = 0; rc == CTIP_OK && i < count; i++) {
		rc = ctip_stats_count(&v, st, v.scope, v.place,
				      pts[i].period.from, pts[i].period.to,
				      NULL, a, err);
		pts[i].total = v.total;
	}
	if (rc != CTIP_OK)
		return rc;
	*out = pts;
	*n_out = count;
	return CTIP_OK;
}

/* ---- the catalogue ------------------------------------------------------ */

enum ctip_status
ctip_report_catalogue_check(struct ctip_store *st, struct ctip_err *err)
{
	struct ctip_arena a;
	struct ctip_form *forms;
	struct ctip_form_row *rows;
	struct ctip_rate_def *rates;
	struct ctip_rule *rules;
	struct ctip_indicator ind;
	struct ctip_stats_value v;
	struct ctip_err why = { 0 };
	char md[6];
	const char *w;
	int n_forms, n_rows, n_rates, n_rules, f, i, k, no, n;
	bool is_rate;
	enum ctip_status rc;

	ctip_arena_init(&a, 4u << 20);
	rc = st->ops->reports->forms(&forms, &n_forms, st, &a, err);
	if (rc == CTIP_OK)
		rc = st->ops->reports->rates(&rates, &n_rates, st, &a, err);
	if (rc == CTIP_OK)
		rc = st->ops->reports->rules(&rules, &n_rules, st, &a, err);
	for (f = 0; rc == CTIP_OK && f < n_forms; f++) {
		/* Each deadline names a period of the type and a day. */
		for (w = forms[f].deadlines, n = 0; w != NULL && *w != '\0';
		     w = strchr(w + 1, ' ')) {
			while (*w == ' ')
				w++;
			if (sscanf(w, "%d:%5s", &no, md) != 2 || no < 1 ||
			    no > periods_in_year(forms[f].period_type) ||
			    !month_day_valid(md)) {
				rc = ctip_err_set(err, CTIP_EINVAL,
						  "form %s: deadlines: "
						  "expected \"n:MM-DD\" with n "
						  "a period of the %s",
						  forms[f].code,
						  forms[f].period_type);
				break;
			}
			n++;
		}
		if (rc == CTIP_OK && n == 0)
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "form %s: no deadline",
					  forms[f].code);
		if (rc == CTIP_OK)
			rc = st->ops->reports->rows(&rows, &n_rows, st,
						    forms[f].layout, &a, err);
		if (rc == CTIP_OK && n_rows == 0)
			rc = ctip_err_set(err, CTIP_EINVAL,
					  "form %s: layout \"%s\" has no rows",
					  forms[f].code, forms[f].layout);
		for (i = 0; rc == CTIP_OK && i < n_rows; i++) {
			is_rate = false;
			for (k = 0; k < n_rates; k++)
				if (strcmp(rates[k].code, rows[i].item) == 0)
					is_rate = true;
			if (is_rate) {
				if (rows[i].by != NULL)
					rc = ctip_err_set(
						err, CTIP_EINVAL,
						"layout %s row %d: a rate "
						"is not split",
						forms[f].layout, rows[i].seq);
				continue;
			}
			rc = st->ops->stats->indicator_get(
				&ind, st, rows[i].item, &a, err);
			if (rc == CTIP_ENOTFOUND) {
				rc = ctip_err_set(err, CTIP_EINVAL,
						  "layout %s row %d: item: "
						  "\"%s\" is neither an "
						  "indicator nor a rate",
						  forms[f].layout, rows[i].seq,
						  rows[i].item);
				break;
			}
			if (rc != CTIP_OK || rows[i].by == NULL)
				continue;
			/* The split must be one the indicator allows: the
			 * count's own check, on an empty period. */
			memset(&v, 0, sizeof(v));
			v.ind = ind;
			rc = ctip_stats_count(&v, st, CTIP_SCOPE_COMMUNE,
					      "00000", "1900-01-01",
					      "1900-01-01", rows[i].by, &a,
					      &why);
			if (rc != CTIP_OK)
				rc = ctip_err_set(err, CTIP_EINVAL,
						  "layout %s row %d: %s",
						  forms[f].layout, rows[i].seq,
						  why.msg);
		}
	}
	for (i = 0; rc == CTIP_OK && i < n_rules; i++) {
		const char *items[2] = { rules[i].left, rules[i].right };

		for (k = 0; rc == CTIP_OK && k < 2; k++) {
			rc = st->ops->stats->indicator_get(&ind, st, items[k],
							   &a, err);
			if (rc == CTIP_ENOTFOUND)
				rc = ctip_err_set(err, CTIP_EINVAL,
						  "rule %s: no indicator "
						  "\"%s\"",
						  rules[i].code, items[k]);
		}
	}
	ctip_arena_free(&a);
	return rc;
}

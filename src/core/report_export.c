/* report_export.c: a periodic report as CSV or as an XLSX workbook shaped
 * like the paper form, and its published JSON, with small counts
 * suppressed across the whole table (report_export.h). */
#include "core/report_export.h"
#include "core/xlsx.h"
#include "util/arena.h"

#include <limits.h>
#include <math.h>
#include <time.h>

#include <xlsxwriter.h>

#define MAX_ROWS      5000
#define MAX_CELLS     1000
#define MAX_THRESHOLD 100

/* ---- the words of each language ----------------------------------------- */

struct words {
	const char *csv_head; /* the CSV header line, without its CRLF */
	const char *sheet, *checks;
	const char *nation, *motto, *form;
	const char *period, *from, *to, *basis, *due;
	const char *cols[5];
	const char *op_above, *op_at_least;
	const char *met, *near, *not_met;
	const char *note, *quote_open, *quote_close;
	const char *hidden_below, *hidden_also, *note_rate;
	const char *prepared_on, *preparer, *head, *sign_preparer, *sign_head;
	const char *check_cols[4];
	const char *error, *warning;
	const char *draft; /* a report not submitted, or returned */
};

static const struct words vi = {
	.csv_head = "STT,Mục,Chỉ tiêu,Phân tổ,Số liệu",
	.sheet = "Báo cáo",
	.checks = "Kiểm tra",
	.nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	.motto = "Độc lập - Tự do - Hạnh phúc",
	.form = "Biểu",
	.period = "Kỳ báo cáo",
	.from = "từ",
	.to = "đến",
	.basis = "Căn cứ",
	.due = "Hạn gửi báo cáo",
	.cols = { "STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu",
		  "Chỉ tiêu KH / Đánh giá" },
	.met = "Đạt",
	.near = "Gần đạt",
	.not_met = "Chưa đạt",
	.note = "Ghi chú",
	.quote_open = "“",
	.quote_close = "”",
	.hidden_below = "không công bố để bảo vệ người có liên quan (số nhỏ "
			"hơn",
	.hidden_also = ", hoặc số ẩn thêm để không suy ra được số nhỏ từ "
		       "các số khác)",
	.note_rate = "“—”: không có tỷ lệ hoặc tỷ lệ không công bố",
	.prepared_on = "Ngày lập",
	.preparer = "NGƯỜI LẬP BIỂU",
	.head = "THỦ TRƯỞNG ĐƠN VỊ",
	.sign_preparer = "(Ký, ghi rõ họ tên)",
	.sign_head = "(Ký, ghi rõ họ tên, đóng dấu)",
	.check_cols = { "Mã", "Mức độ", "Dòng", "Nội dung" },
	.error = "Lỗi",
	.warning = "Cảnh báo",
	.draft = "DỰ THẢO: báo cáo chưa gửi, số liệu còn có thể thay đổi",
};

static const struct words en = {
	.csv_head = "no,section,indicator,category,value",
	.sheet = "Report",
	.checks = "Checks",
	.nation = "SOCIALIST REPUBLIC OF VIET NAM",
	.motto = "Independence - Freedom - Happiness",
	.form = "Form",
	.period = "Reporting period",
	.from = "from",
	.to = "to",
	.basis = "Legal basis",
	.due = "Due on",
	.cols = { "No.", "Indicator", "Unit", "Value", "Target / Assessment" },
	.met = "Met",
	.near = "Nearly met",
	.not_met = "Not met",
	.note = "Note",
	.quote_open = "\"",
	.quote_close = "\"",
	.hidden_below = "not published, to protect the persons concerned (a "
			"count below",
	.hidden_also = ", or one hidden as well so that such a count cannot "
		       "be worked out from the others)",
	.note_rate = "\"—\": no rate, or a rate not published",
	.prepared_on = "Prepared on",
	.preparer = "PREPARED BY",
	.head = "HEAD OF UNIT",
	.sign_preparer = "(Signature, full name)",
	.sign_head = "(Signature, full name, seal)",
	.check_cols = { "Code", "Severity", "Row", "Message" },
	.error = "Error",
	.warning = "Warning",
	.draft = "DRAFT: the report is not submitted; its figures may still "
		 "change",
};

/* The unit of a count ("counts" of the indicator). */
static const struct {
	const char *counts, *vi, *en;
} units[] = {
	{ "persons", "người", "persons" },
	{ "intakes", "tin", "reports" },
	{ "cases", "vụ", "cases" },
	{ "offenders", "đối tượng", "offenders" },
	{ "services", "lượt", "services" },
	{ "referrals", "lượt", "referrals" },
	{ "activities", "cuộc", "activities" },
	{ "participants", "lượt người", "participants" },
};

/* ---- reading the report ---------------------------------------------- */

static bool
english(const char *lang)
{
	return strcmp(lang, "en") == 0;
}

/* o's string member key, "" when absent or not a string. */
static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* Whether report (its "status", as the export adds it) is a draft: not
 * submitted yet, or returned to be corrected. */
static bool
is_draft(const json_t *report)
{
	const char *status = str(report, "status");

	return strcmp(status, "draft") == 0 || strcmp(status, "returned") == 0;
}

/* o's member base_vi or base_en, the Vietnamese one when the English one
 * is empty. */
static const char *
text_in(const json_t *o, const char *base, const char *lang)
{
	char key[32];
	const char *s = "";

	if (english(lang)) {
		snprintf(key, sizeof(key), "%s_en", base);
		s = str(o, key);
	}
	if (*s == '\0') {
		snprintf(key, sizeof(key), "%s_vi", base);
		s = str(o, key);
	}
	return s;
}

static long long
count_of(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static bool
count_ok(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) >= 0;
}

static const char *
unit_of(const json_t *row, const char *lang)
{
	const char *counts = str(row, "counts");
	size_t i;

	if (strcmp(str(row, "kind"), "rate") == 0)
		return "%";
	for (i = 0; i < CTIP_NELEM(units); i++)
		if (strcmp(units[i].counts, counts) == 0)
			return english(lang) ? units[i].en : units[i].vi;
	return counts;
}

static enum ctip_status
not_a_report(struct ctip_err *err)
{
	return ctip_err_field(err, CTIP_EINVAL, "report",
			      "report: expected a ctip-report/1 document");
}

/* Check row (number no, from 1) of a report. */
static enum ctip_status
check_row(const json_t *row, size_t no, struct ctip_err *err)
{
	const char *kind = str(row, "kind");
	const json_t *cells, *cell, *rate;
	size_t i;

	if (!json_is_object(row))
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: row %zu is not an object", no);
	if (strcmp(kind, "rate") == 0) {
		rate = json_object_get(row, "rate");
		if (!count_ok(row, "numerator") ||
		    !count_ok(row, "denominator") ||
		    !(json_is_number(rate) || json_is_null(rate)))
			return ctip_err_field(err, CTIP_EINVAL, "report",
					      "report: row %zu: a rate needs "
					      "a numerator, a denominator "
					      "and a rate",
					      no);
		return CTIP_OK;
	}
	if (strcmp(kind, "count") != 0)
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: row %zu: kind is neither "
				      "count nor rate",
				      no);
	if (!count_ok(row, "total"))
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: row %zu: total is not a count",
				      no);
	cells = json_object_get(row, "cells");
	if (cells == NULL || json_is_null(cells)) {
		if (json_is_string(json_object_get(row, "by")))
			return ctip_err_field(err, CTIP_EINVAL, "report",
					      "report: row %zu: split by %s "
					      "without cells",
					      no, str(row, "by"));
		return CTIP_OK;
	}
	if (!json_is_array(cells))
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: row %zu: cells is not an "
				      "array",
				      no);
	if (json_array_size(cells) > MAX_CELLS)
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: row %zu has more than %d cells",
				      no, MAX_CELLS);
	json_array_foreach(cells, i, cell)
	{
		if (!json_is_object(cell) || !count_ok(cell, "value"))
			return ctip_err_field(err, CTIP_EINVAL, "report",
					      "report: row %zu: cell %zu has "
					      "no count",
					      no, i + 1);
	}
	return CTIP_OK;
}

static enum ctip_status
check_threshold(int threshold, struct ctip_err *err)
{
	if (threshold < 0 || threshold > MAX_THRESHOLD)
		return ctip_err_field(err, CTIP_EINVAL, "threshold",
				      "threshold: expected 0 to %d",
				      MAX_THRESHOLD);
	return CTIP_OK;
}

/* Check that report has what the exports read. */
static enum ctip_status
check_report(const json_t *report, struct ctip_err *err)
{
	const json_t *rows, *row, *findings;
	enum ctip_status rc;
	size_t i;

	if (!json_is_object(report) ||
	    strcmp(str(report, "format"), "ctip-report/1") != 0 ||
	    !json_is_object(json_object_get(report, "form")) ||
	    !json_is_object(json_object_get(report, "period")) ||
	    !json_is_object(json_object_get(report, "place")))
		return not_a_report(err);
	rows = json_object_get(report, "rows");
	if (!json_is_array(rows))
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: rows is not an array");
	if (json_array_size(rows) > MAX_ROWS)
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: more than %d rows", MAX_ROWS);
	json_array_foreach(rows, i, row)
	{
		if ((rc = check_row(row, i + 1, err)) != CTIP_OK)
			return rc;
	}
	findings = json_object_get(report, "findings");
	if (findings != NULL && !json_is_array(findings))
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: findings is not an array");
	if (json_array_size(findings) > MAX_ROWS)
		return ctip_err_field(err, CTIP_EINVAL, "report",
				      "report: more than %d findings",
				      MAX_ROWS);
	return CTIP_OK;
}

/* Check the arguments and that report has what the exports read. */
static enum ctip_status
check(const json_t *report, int threshold, const char *lang,
      struct ctip_err *err)
{
	enum ctip_status rc;

	if ((rc = check_threshold(threshold, err)) != CTIP_OK)
		return rc;
	if (lang == NULL || (strcmp(lang, "vi") != 0 && !english(lang)))
		return ctip_err_field(err, CTIP_EINVAL, "lang",
				      "lang: expected vi or en");
	return check_report(report, err);
}

/* ---- suppression ------------------------------------------------------ */

/* What a report (checked) shows under a threshold: the rules are in
 * report_export.h. */
struct supp {
	bool *total;   /* by row: a count row's total is hidden, a rate row's
			* rate suppressed */
	size_t *first; /* by row: its first cell's index in cell */
	bool *cell;    /* the cells of every row, in order: hidden */
};

static void *
zalloc(size_t n, size_t size)
{
	void *p = ctip_xmalloc(n * size + 1);

	memset(p, 0, n * size + 1);
	return p;
}

static bool
small(long long v, int threshold)
{
	return v >= 1 && v < threshold;
}

/* a + b for counts, at most LLONG_MAX: a report is not trusted. */
static long long
add(long long a, long long b)
{
	return b > LLONG_MAX - a ? LLONG_MAX : a + b;
}

/* A row and its item, to find the rows of an item. */
struct item_row {
	const char *item;
	size_t row;
};

static int
by_item(const void *a, const void *b)
{
	const struct item_row *x = a, *y = b;
	int c = strcmp(x->item, y->item);

	if (c != 0)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* A cell's value and place, to hide the smallest first. */
struct part {
	long long v;
	size_t i;
};

static int
by_value(const void *a, const void *b)
{
	const struct part *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
by_count(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Rule 2: the hidden cells of a split row (checked) of a shown total,
 * into hidden[]. The reader knows the hidden cells' sum (the total minus
 * the shown ones; as good as known in a split that nearly partitions)
 * and, 0 being shown, that each is 1 or more: so one hidden cell alone is
 * known, and so are k hidden cells that add up to k (all ones); 2t-1 or more
 * leave each of two hidden cells anything from 1 to 2t-2. False when hiding
 * every non-zero cell is not enough: then the total must go. */
static bool
protect(bool *hidden, const json_t *cells, int threshold)
{
	size_t n = json_array_size(cells), i, k = 0, n_parts = 0;
	struct part *parts = zalloc(n, sizeof(*parts));
	long long v, sum = 0;

	for (i = 0; i < n; i++) {
		v = count_of(json_array_get(cells, i), "value");
		hidden[i] = small(v, threshold);
		if (hidden[i]) {
			k++;
			sum = add(sum, v);
		} else if (v > 0) {
			parts[n_parts].v = v;
			parts[n_parts++].i = i;
		}
	}
	qsort(parts, n_parts, sizeof(*parts), by_value);
	for (i = 0; k > 0 &&
		    (k < 2 || sum < 2LL * threshold - 1 || sum <= (long long)k);
	     i++) {
		if (i == n_parts) {
			free(parts);
			return false;
		}
		hidden[parts[i].i] = true;
		k++;
		sum = add(sum, parts[i].v);
	}
	free(parts);
	return true;
}

/* s = what report (checked) shows under threshold; supp_free frees it. */
static void
supp_make(struct supp *s, const json_t *report, int threshold)
{
	const json_t *rows = json_object_get(report, "rows"), *row, *cells;
	size_t n = json_array_size(rows), n_cells = 0, n_items = 0, n_gone = 0;
	size_t i, k;
	struct item_row *items = zalloc(n, sizeof(*items));
	size_t *group = zalloc(n, sizeof(*group)); /* an item's first row */
	bool *gone = zalloc(n, sizeof(*gone)); /* by first row: total hidden */
	long long *hid = zalloc(n, sizeof(*hid)), num, den;

	s->total = zalloc(n, sizeof(*s->total));
	s->first = zalloc(n, sizeof(*s->first));
	json_array_foreach(rows, i, row)
	{
		s->first[i] = n_cells;
		n_cells += json_array_size(json_object_get(row, "cells"));
		group[i] = i;
		if (strcmp(str(row, "kind"), "count") == 0 &&
		    *str(row, "item") != '\0') {
			items[n_items].item = str(row, "item");
			items[n_items++].row = i;
		}
	}
	s->cell = zalloc(n_cells, sizeof(*s->cell));
	/* The rows of an item show one figure, its total. */
	qsort(items, n_items, sizeof(*items), by_item);
	for (i = 1; i < n_items; i++)
		if (strcmp(items[i].item, items[i - 1].item) == 0)
			group[items[i].row] = group[items[i - 1].row];

	/* Rule 1, then rule 2 in the rows of the totals still shown. */
	json_array_foreach(rows, i, row)
	{
		if (strcmp(str(row, "kind"), "count") == 0 &&
		    small(count_of(row, "total"), threshold))
			gone[group[i]] = true;
	}
	json_array_foreach(rows, i, row)
	{
		cells = json_object_get(row, "cells");
		if (strcmp(str(row, "kind"), "count") != 0 || gone[group[i]])
			continue;
		if (!protect(s->cell + s->first[i], cells, threshold))
			gone[group[i]] = true;
	}

	/* Rule 3: a hidden total, everywhere, with its whole breakdown. */
	json_array_foreach(rows, i, row)
	{
		if (strcmp(str(row, "kind"), "count") != 0 || !gone[group[i]])
			continue;
		s->total[i] = true;
		hid[n_gone++] = count_of(row, "total");
		for (k = 0; k < json_array_size(json_object_get(row, "cells"));
		     k++)
			s->cell[s->first[i] + k] = true;
	}

	/* Rule 4: rates. A rate row does not name the items of its counts,
	 * so a count equal to a hidden total is taken for it. */
	qsort(hid, n_gone, sizeof(*hid), by_count);
	json_array_foreach(rows, i, row)
	{
		if (strcmp(str(row, "kind"), "rate") != 0)
			continue;
		num = count_of(row, "numerator");
		den = count_of(row, "denominator");
		s->total[i] = small(num, threshold) || small(den, threshold) ||
			      bsearch(&num, hid, n_gone, sizeof(*hid),
				      by_count) != NULL ||
			      bsearch(&den, hid, n_gone, sizeof(*hid),
				      by_count) != NULL;
	}
	free(items);
	free(group);
	free(gone);
	free(hid);
}

static void
supp_free(struct supp *s)
{
	free(s->total);
	free(s->first);
	free(s->cell);
}

/* Whether cell k of row i is hidden. */
static bool
cell_hidden(const struct supp *s, size_t i, size_t k)
{
	return s->cell[s->first[i] + k];
}

/* The text of count v: "12", or "x" when hidden. */
static void
value_text(char *out, size_t cap, long long v, bool hidden)
{
	if (hidden)
		snprintf(out, cap, "x");
	else
		snprintf(out, cap, "%lld", v);
}

/* Whether rate row i (checked) is shown, and its percent with one
 * decimal into *pct. */
static bool
rate_shown(double *pct, const json_t *row, const struct supp *s, size_t i)
{
	long long num = count_of(row, "numerator");
	long long den = count_of(row, "denominator");

	*pct = 0;
	if (den == 0 || json_is_null(json_object_get(row, "rate")) ||
	    s->total[i])
		return false;
	*pct = round(1000.0 * (double)num / (double)den) / 10.0;
	return true;
}

enum ctip_status
ctip_report_suppressed(json_t **out, const json_t *report, int threshold,
		       struct ctip_err *err)
{
	struct supp s;
	json_t *copy, *row, *cell;
	enum ctip_status rc;
	size_t i, k;

	assert(out != NULL);
	*out = NULL;
	if ((rc = check_threshold(threshold, err)) != CTIP_OK ||
	    (rc = check_report(report, err)) != CTIP_OK)
		return rc;
	if ((copy = json_deep_copy(report)) == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "could not copy the report: out of "
				    "memory");
	if (threshold < 2) {
		*out = copy;
		return CTIP_OK;
	}
	supp_make(&s, report, threshold);
	json_array_foreach(json_object_get(copy, "rows"), i, row)
	{
		if (strcmp(str(row, "kind"), "rate") == 0) {
			if (!s.total[i])
				continue;
			json_object_set_new(row, "numerator", json_null());
			json_object_set_new(row, "denominator", json_null());
			json_object_set_new(row, "rate", json_null());
			json_object_set_new(row, "light", json_string("none"));
			json_object_set_new(row, "suppressed", json_true());
			continue;
		}
		if (s.total[i]) {
			json_object_set_new(row, "total", json_null());
			json_object_set_new(row, "suppressed", json_true());
		}
		json_array_foreach(json_object_get(row, "cells"), k, cell)
		{
			if (!cell_hidden(&s, i, k))
				continue;
			json_object_set_new(cell, "value", json_null());
			json_object_set_new(cell, "suppressed", json_true());
		}
	}
	json_object_del(copy, "findings");
	json_object_set_new(copy, "suppress", json_integer(threshold));
	supp_free(&s);
	*out = copy;
	return CTIP_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

/* One field; a text one is guarded against formula injection. */
static enum ctip_status
csv_field(struct ctip_buf *b, const char *s, bool text, bool last)
{
	bool guard = text && s[0] != '\0' && strchr("=+-@", s[0]) != NULL;
	enum ctip_status rc;
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		rc = ctip_buf_printf(b, "%s%s", guard ? "'" : "", s);
	} else {
		rc = ctip_buf_puts(b, guard ? "\"'" : "\"");
		for (p = s; rc == CTIP_OK && *p != '\0'; p++)
			rc = *p == '"' ? ctip_buf_add(b, "\"\"", 2)
				       : ctip_buf_add(b, p, 1);
		if (rc == CTIP_OK)
			rc = ctip_buf_add(b, "\"", 1);
	}
	if (rc == CTIP_OK)
		rc = ctip_buf_puts(b, last ? "\r\n" : ",");
	return rc;
}

static enum ctip_status
csv_line(struct ctip_buf *b, const char *no, const char *section,
	 const char *indicator, const char *category, const char *value)
{
	enum ctip_status rc;

	if ((rc = csv_field(b, no, true, false)) != CTIP_OK ||
	    (rc = csv_field(b, section, true, false)) != CTIP_OK ||
	    (rc = csv_field(b, indicator, true, false)) != CTIP_OK ||
	    (rc = csv_field(b, category, true, false)) != CTIP_OK)
		return rc;
	return csv_field(b, value, false, true);
}

/* The lines of row i (checked). */
static enum ctip_status
csv_row(struct ctip_buf *b, const json_t *row, const struct supp *s, size_t i,
	const char *lang)
{
	const char *no = str(row, "no");
	const char *section = text_in(row, "section", lang);
	const char *label = text_in(row, "label", lang);
	const json_t *cells = json_object_get(row, "cells"), *cell;
	enum ctip_status rc;
	char value[32];
	double pct;
	size_t k;

	if (strcmp(str(row, "kind"), "rate") == 0) {
		if (rate_shown(&pct, row, s, i))
			snprintf(value, sizeof(value), "%.1f", pct);
		else
			snprintf(value, sizeof(value), "—");
		return csv_line(b, no, section, label, "", value);
	}
	value_text(value, sizeof(value), count_of(row, "total"), s->total[i]);
	if ((rc = csv_line(b, no, section, label, "", value)) != CTIP_OK)
		return rc;
	json_array_foreach(cells, k, cell)
	{
		const char *cat = text_in(cell, "label", lang);

		value_text(value, sizeof(value), count_of(cell, "value"),
			   cell_hidden(s, i, k));
		if ((rc = csv_line(b, no, section, label,
				   *cat != '\0' ? cat : str(cell, "category"),
				   value)) != CTIP_OK)
			return rc;
	}
	return CTIP_OK;
}

enum ctip_status
ctip_report_csv(struct ctip_buf *out, const json_t *report, int threshold,
		const char *lang, struct ctip_err *err)
{
	const struct words *w;
	const json_t *row;
	struct supp s;
	size_t start = out->len, i;
	enum ctip_status rc;

	assert(out != NULL);
	if ((rc = check(report, threshold, lang, err)) != CTIP_OK)
		return rc;
	w = english(lang) ? &en : &vi;
	supp_make(&s, report, threshold);
	rc = ctip_buf_printf(out, "\xEF\xBB\xBF%s\r\n", w->csv_head);
	/* A draft says so above its figures, in the indicator column. */
	if (rc == CTIP_OK && is_draft(report))
		rc = ctip_buf_printf(out, ",,\"%s\",,\r\n", w->draft);
	json_array_foreach(json_object_get(report, "rows"), i, row)
	{
		if (rc != CTIP_OK)
			break;
		rc = csv_row(out, row, &s, i, lang);
	}
	supp_free(&s);
	if (rc != CTIP_OK) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "report CSV larger than %zu bytes",
				    out->limit);
	}
	return CTIP_OK;
}

/* ---- XLSX --------------------------------------------------------------- */

/* "2025-12-15" as "15/12/2025"; other text as it is. */
/* The formats of the form. */
struct formats {
	lxw_format *place, *nation, *motto, *small, *title, *line;
	lxw_format *head, *letter, *section, *no, *label, *sub, *unit, *num,
		*pct, *text_num, *target;
	lxw_format *note, *date, *sign, *sign_note;
	lxw_format *check_head, *check;
};

/* A sheet being written; the first failed write is kept. */
struct sheet {
	struct ctip_xlsx_sheet x;
	const struct formats *f;
	const struct words *w;
	int row; /* the next row to write, from 0 */
};

static void
make_formats(struct formats *f, lxw_workbook *wb)
{
	f->place = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	f->nation = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	f->motto = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	format_set_underline(f->motto, LXW_UNDERLINE_SINGLE);
	f->small = ctip_xlsx_format(wb, false, false, LXW_ALIGN_CENTER, false);
	f->title = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	format_set_font_size(f->title, 14);
	format_set_text_wrap(f->title);
	f->line = ctip_xlsx_format(wb, false, true, LXW_ALIGN_CENTER, false);
	format_set_text_wrap(f->line);
	f->head = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, true);
	format_set_text_wrap(f->head);
	format_set_bg_color(f->head, 0xF2F2F2);
	f->letter = ctip_xlsx_format(wb, false, true, LXW_ALIGN_CENTER, true);
	f->section = ctip_xlsx_format(wb, true, false, LXW_ALIGN_LEFT, true);
	f->no = ctip_xlsx_format(wb, false, false, LXW_ALIGN_CENTER, true);
	f->label = ctip_xlsx_format(wb, false, false, LXW_ALIGN_LEFT, true);
	format_set_text_wrap(f->label);
	f->sub = ctip_xlsx_format(wb, false, false, LXW_ALIGN_LEFT, true);
	format_set_text_wrap(f->sub);
	format_set_indent(f->sub, 2);
	f->unit = ctip_xlsx_format(wb, false, false, LXW_ALIGN_CENTER, true);
	f->num = ctip_xlsx_format(wb, false, false, LXW_ALIGN_RIGHT, true);
	format_set_num_format(f->num, "#,##0");
	f->pct = ctip_xlsx_format(wb, false, false, LXW_ALIGN_RIGHT, true);
	format_set_num_format(f->pct, "0.0");
	f->text_num = ctip_xlsx_format(wb, false, false, LXW_ALIGN_RIGHT, true);
	f->target = ctip_xlsx_format(wb, false, false, LXW_ALIGN_CENTER, true);
	format_set_text_wrap(f->target);
	f->note = ctip_xlsx_format(wb, false, true, LXW_ALIGN_LEFT, false);
	format_set_text_wrap(f->note);
	format_set_font_size(f->note, 11);
	f->date = ctip_xlsx_format(wb, false, true, LXW_ALIGN_CENTER, false);
	f->sign = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	f->sign_note =
		ctip_xlsx_format(wb, false, true, LXW_ALIGN_CENTER, false);
	f->check_head =
		ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, true);
	format_set_bg_color(f->check_head, 0xF2F2F2);
	f->check = ctip_xlsx_format(wb, false, false, LXW_ALIGN_LEFT, true);
	format_set_text_wrap(f->check);
}

/* The top of the form: the place and the nation, the title, the period,
 * the legal basis and the due date. */
static void
form_top(struct sheet *s, const json_t *report, const char *lang)
{
	const json_t *form = json_object_get(report, "form");
	const json_t *period = json_object_get(report, "period");
	const json_t *place = json_object_get(report, "place");
	const struct words *w = s->w;
	char text[1024], from[32], to[32], due[32];

	ctip_xlsx_upper(text, sizeof(text), str(place, "name"));
	ctip_xlsx_merge(&s->x, 0, 0, 1, text, s->f->place);
	ctip_xlsx_merge(&s->x, 0, 2, 4, w->nation, s->f->nation);
	snprintf(text, sizeof(text), "%s: %s", w->form, str(form, "code"));
	ctip_xlsx_merge(&s->x, 1, 0, 1, text, s->f->small);
	ctip_xlsx_merge(&s->x, 1, 2, 4, w->motto, s->f->motto);
	ctip_xlsx_note(&s->x, worksheet_set_row(s->x.ws, 3, 36, NULL));
	ctip_xlsx_merge(&s->x, 3, 0, 4, text_in(form, "name", lang),
			s->f->title);
	if (is_draft(report))
		ctip_xlsx_merge(&s->x, 2, 0, 4, w->draft, s->f->title);
	ctip_xlsx_dmy(from, sizeof(from), str(period, "from"));
	ctip_xlsx_dmy(to, sizeof(to), str(period, "to"));
	snprintf(text, sizeof(text), "%s: %s (%s %s %s %s)", w->period,
		 str(period, "key"), w->from, from, w->to, to);
	ctip_xlsx_merge(&s->x, 4, 0, 4, text, s->f->line);
	s->row = 5;
	if (*str(form, "legal_basis") != '\0') {
		snprintf(text, sizeof(text), "%s: %s", w->basis,
			 str(form, "legal_basis"));
		ctip_xlsx_note(&s->x,
			       worksheet_set_row(s->x.ws, (lxw_row_t)s->row, 32,
						 NULL));
		ctip_xlsx_merge(&s->x, s->row++, 0, 4, text, s->f->line);
	}
	if (*str(report, "due_on") != '\0') {
		ctip_xlsx_dmy(due, sizeof(due), str(report, "due_on"));
		snprintf(text, sizeof(text), "%s: %s", w->due, due);
		ctip_xlsx_merge(&s->x, s->row++, 0, 4, text, s->f->line);
	}
	s->row++;
}

/* A rate's target and evaluation: "≥ 90%: Đạt". */
static void
rate_target(char *out, size_t cap, const json_t *row, bool shown,
	    const struct words *w)
{
	const char *light = str(row, "light");
	const char *word = strcmp(light, "green") == 0   ? w->met
			   : strcmp(light, "amber") == 0 ? w->near
			   : strcmp(light, "red") == 0   ? w->not_met
							 : NULL;
	const json_t *target = json_object_get(row, "target_percent");
	int n = 0;

	out[0] = '\0';
	if (json_is_number(target))
		n = snprintf(out, cap, "%s %g%%",
			     strcmp(str(row, "comparison"), "above") == 0 ? ">"
									  : "≥",
			     json_number_value(target));
	if (shown && word != NULL && n >= 0 && (size_t)n < cap)
		snprintf(out + n, cap - (size_t)n, "%s%s", n > 0 ? ": " : "",
			 word);
}

/* What the table used, for the note under it. */
struct used {
	bool hidden, rate;
};

/* A count's value cell. */
static void
put_value(struct sheet *s, int row, long long v, bool hidden, struct used *u)
{
	if (!hidden) {
		ctip_xlsx_num(&s->x, row, 3, (double)v, s->f->num);
		return;
	}
	u->hidden = true;
	ctip_xlsx_put(&s->x, row, 3, "x", s->f->text_num);
}

/* Row i of the report (checked) and its cells. */
static void
form_row(struct sheet *s, const json_t *row, const struct supp *sp, size_t i,
	 const char *lang, struct used *u)
{
	const json_t *cells = json_object_get(row, "cells"), *cell;
	const char *unit = unit_of(row, lang);
	char text[64];
	double pct;
	size_t k;
	bool shown;

	ctip_xlsx_put(&s->x, s->row, 0, str(row, "no"), s->f->no);
	ctip_xlsx_put(&s->x, s->row, 1, text_in(row, "label", lang),
		      s->f->label);
	ctip_xlsx_put(&s->x, s->row, 2, unit, s->f->unit);
	if (strcmp(str(row, "kind"), "rate") == 0) {
		shown = rate_shown(&pct, row, sp, i);
		if (shown) {
			ctip_xlsx_num(&s->x, s->row, 3, pct, s->f->pct);
		} else {
			ctip_xlsx_put(&s->x, s->row, 3, "—", s->f->text_num);
			u->rate = true;
		}
		rate_target(text, sizeof(text), row, shown, s->w);
		ctip_xlsx_put(&s->x, s->row++, 4, text, s->f->target);
		return;
	}
	put_value(s, s->row, count_of(row, "total"), sp->total[i], u);
	ctip_xlsx_put(&s->x, s->row++, 4, "", s->f->target);
	json_array_foreach(cells, k, cell)
	{
		const char *cat = text_in(cell, "label", lang);
		char *sub = ctip_xmalloc(strlen(cat) +
					 strlen(str(cell, "category")) + 3);

		snprintf(sub, strlen(cat) + strlen(str(cell, "category")) + 3,
			 "- %s", *cat != '\0' ? cat : str(cell, "category"));
		ctip_xlsx_put(&s->x, s->row, 0, "", s->f->no);
		ctip_xlsx_put(&s->x, s->row, 1, sub, s->f->sub);
		ctip_xlsx_put(&s->x, s->row, 2, unit, s->f->unit);
		put_value(s, s->row, count_of(cell, "value"),
			  cell_hidden(sp, i, k), u);
		ctip_xlsx_put(&s->x, s->row++, 4, "", s->f->target);
		free(sub);
	}
}

/* The table: headings, then sections and rows. */
static void
form_table(struct sheet *s, const json_t *report, const struct supp *sp,
	   const char *lang, struct used *u)
{
	static const char *const letters[5] = { "A", "B", "C", "1", "2" };
	const char *section = NULL;
	const json_t *row;
	size_t i;
	int c;

	ctip_xlsx_note(&s->x, worksheet_repeat_rows(s->x.ws, (lxw_row_t)s->row,
						    (lxw_row_t)s->row + 1));
	for (c = 0; c < 5; c++)
		ctip_xlsx_put(&s->x, s->row, c, s->w->cols[c], s->f->head);
	s->row++;
	for (c = 0; c < 5; c++)
		ctip_xlsx_put(&s->x, s->row, c, letters[c], s->f->letter);
	s->row++;
	json_array_foreach(json_object_get(report, "rows"), i, row)
	{
		const char *sec = str(row, "section_vi");

		if (*sec != '\0' &&
		    (section == NULL || strcmp(sec, section) != 0))
			ctip_xlsx_merge(&s->x, s->row++, 0, 4,
					text_in(row, "section", lang),
					s->f->section);
		section = sec;
		form_row(s, row, sp, i, lang, u);
	}
}

/* The note on suppressed values, the date and the signatures. */
static void
form_bottom(struct sheet *s, const json_t *report, int threshold,
	    const struct used *u)
{
	const struct words *w = s->w;
	const char *when = str(report, "submitted_at");
	char note[1024], date[64];
	size_t n;
	time_t t;
	struct tm tm;

	s->row++;
	n = (size_t)snprintf(note, sizeof(note), "%s: ", w->note);
	if (u->hidden)
		n += (size_t)snprintf(note + n, sizeof(note) - n,
				      "%sx%s: %s %d%s; ", w->quote_open,
				      w->quote_close, w->hidden_below,
				      threshold, w->hidden_also);
	if (u->rate && n < sizeof(note))
		n += (size_t)snprintf(note + n, sizeof(note) - n, "%s; ",
				      w->note_rate);
	if ((u->hidden || u->rate) && n < sizeof(note)) {
		note[n - 2] = '.';
		note[n - 1] = '\0';
		ctip_xlsx_note(&s->x,
			       worksheet_set_row(s->x.ws, (lxw_row_t)s->row, 32,
						 NULL));
		ctip_xlsx_merge(&s->x, s->row++, 0, 4, note, s->f->note);
		s->row++;
	}
	if (*when == '\0')
		when = str(report, "computed_at");
	t = ctip_xlsx_time(when);
	if (t != (time_t)-1) {
		/* The day in Vietnam (UTC+7, no daylight saving). */
		t += 7 * 3600;
		gmtime_r(&t, &tm);
		snprintf(date, sizeof(date), "%s: %02d/%02d/%04d",
			 w->prepared_on, tm.tm_mday, tm.tm_mon + 1,
			 tm.tm_year + 1900);
	} else {
		snprintf(date, sizeof(date), "%s: ......", w->prepared_on);
	}
	ctip_xlsx_merge(&s->x, s->row++, 2, 4, date, s->f->date);
	ctip_xlsx_put(&s->x, s->row, 1, w->preparer, s->f->sign);
	ctip_xlsx_merge(&s->x, s->row++, 2, 4, w->head, s->f->sign);
	ctip_xlsx_put(&s->x, s->row, 1, w->sign_preparer, s->f->sign_note);
	ctip_xlsx_merge(&s->x, s->row++, 2, 4, w->sign_head, s->f->sign_note);
}

/* The second sheet: the report's findings. */
static void
checks_sheet(struct sheet *s, const json_t *findings, const char *lang)
{
	const json_t *f;
	size_t i;
	int c;

	ctip_xlsx_note(&s->x, worksheet_set_column(s->x.ws, 0, 0, 28, NULL));
	ctip_xlsx_note(&s->x, worksheet_set_column(s->x.ws, 1, 1, 12, NULL));
	ctip_xlsx_note(&s->x, worksheet_set_column(s->x.ws, 2, 2, 8, NULL));
	ctip_xlsx_note(&s->x, worksheet_set_column(s->x.ws, 3, 3, 80, NULL));
	for (c = 0; c < 4; c++)
		ctip_xlsx_put(&s->x, 0, c, s->w->check_cols[c],
			      s->f->check_head);
	s->row = 1;
	json_array_foreach(findings, i, f)
	{
		ctip_xlsx_put(&s->x, s->row, 0, str(f, "code"), s->f->check);
		ctip_xlsx_put(&s->x, s->row, 1,
			      strcmp(str(f, "severity"), "error") == 0
				      ? s->w->error
				      : s->w->warning,
			      s->f->check);
		ctip_xlsx_put(&s->x, s->row, 2, str(f, "row"), s->f->check);
		ctip_xlsx_put(&s->x, s->row++, 3, text_in(f, "message", lang),
			      s->f->check);
	}
}

/* Lay report out in wb; the first failed write, or LXW_NO_ERROR. */
static lxw_error
fill_workbook(lxw_workbook *wb, const json_t *report, int threshold,
	      const char *lang)
{
	const json_t *findings = json_object_get(report, "findings");
	struct formats f;
	struct used u = { false, false };
	struct supp sp;
	struct sheet s = { .f = &f, .w = english(lang) ? &en : &vi };

	make_formats(&f, wb);
	s.x.ws = workbook_add_worksheet(wb, s.w->sheet);
	if (s.x.ws == NULL)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	ctip_xlsx_note(&s.x, worksheet_set_column(s.x.ws, 0, 0, 7, NULL));
	ctip_xlsx_note(&s.x, worksheet_set_column(s.x.ws, 1, 1, 58, NULL));
	ctip_xlsx_note(&s.x, worksheet_set_column(s.x.ws, 2, 2, 12, NULL));
	ctip_xlsx_note(&s.x, worksheet_set_column(s.x.ws, 3, 3, 12, NULL));
	ctip_xlsx_note(&s.x, worksheet_set_column(s.x.ws, 4, 4, 24, NULL));
	worksheet_set_paper(s.x.ws, 9); /* A4 */
	worksheet_set_portrait(s.x.ws);
	worksheet_fit_to_pages(s.x.ws, 1, 0);
	worksheet_center_horizontally(s.x.ws);
	ctip_xlsx_note(&s.x, worksheet_set_footer(s.x.ws, "&C&P/&N"));
	form_top(&s, report, lang);
	supp_make(&sp, report, threshold);
	form_table(&s, report, &sp, lang, &u);
	supp_free(&sp);
	form_bottom(&s, report, threshold, &u);
	/* A published copy has no findings: they quote the figures. */
	if (threshold < 2 && json_array_size(findings) > 0) {
		struct sheet c = { .f = &f, .w = s.w };

		c.x.ws = workbook_add_worksheet(wb, s.w->checks);
		if (c.x.ws == NULL)
			return LXW_ERROR_MEMORY_MALLOC_FAILED;
		checks_sheet(&c, findings, lang);
		ctip_xlsx_note(&s.x, c.x.first);
	}
	return s.x.first;
}

/* fill_workbook's arguments, for ctip_xlsx_build. */
struct fill_args {
	const json_t *report;
	int threshold;
	const char *lang;
};

static lxw_error
fill(lxw_workbook *wb, void *arg)
{
	const struct fill_args *fa = arg;

	return fill_workbook(wb, fa->report, fa->threshold, fa->lang);
}

enum ctip_status
ctip_report_xlsx(struct ctip_buf *out, const json_t *report, int threshold,
		 const char *lang, struct ctip_err *err)
{
	const json_t *form, *period, *place;
	char title[512], subject[512], keywords[128];
	lxw_doc_properties props = { 0 };
	struct fill_args fa = { report, threshold, lang };
	time_t created;
	enum ctip_status rc;

	assert(out != NULL);
	if ((rc = check(report, threshold, lang, err)) != CTIP_OK)
		return rc;
	form = json_object_get(report, "form");
	period = json_object_get(report, "period");
	place = json_object_get(report, "place");
	snprintf(title, sizeof(title), "%s", text_in(form, "name", lang));
	snprintf(subject, sizeof(subject), "%s, %s", str(place, "name"),
		 str(period, "key"));
	snprintf(keywords, sizeof(keywords), "%s, ctip-report/1",
		 str(form, "code"));
	ctip_xlsx_clean(title);
	ctip_xlsx_clean(subject);
	ctip_xlsx_clean(keywords);
	props.title = title;
	props.subject = subject;
	props.keywords = keywords;
	created = ctip_xlsx_time(str(report, "computed_at"));
	props.created = created != (time_t)-1 ? created : 0;
	return ctip_xlsx_build(out, &props, fill, &fa, "report", err);
}

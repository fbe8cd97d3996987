/* plan_export.c: a plan and its implementation report as XLSX
 * (plan_export.h). */
#include "core/plan_export.h"
#include "core/xlsx.h"

struct words {
	const char *plan_sheet, *progress_sheet;
	const char *nation, *motto, *kind, *number, *issued, *issued_alone;
	const char *basis, *period;
	const char *plan_cols[6], *progress_cols[7];
	const char *once, *continuous, *yearly, *yearly_to, *half_year, *year;
	const char *statuses[4][2]; /* code, text */
	const char *all_units, *none, *overdue;
	/* "1 activity (1 participant)", "2 activities (35 participants)" */
	const char *activity, *activities, *person, *people;
};

static const struct words vi = {
	"Kế hoạch",
	"Tình hình thực hiện",
	"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"Độc lập - Tự do - Hạnh phúc",
	"KẾ HOẠCH",
	"Số",
	"ngày",
	"Ngày",
	"Căn cứ",
	"Thời gian thực hiện",
	{ "STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
	  "Thời gian", "Sản phẩm" },
	{ "STT", "Nhiệm vụ", "Đơn vị", "Kỳ", "Tình trạng",
	  "Kết quả, minh chứng", "Hoạt động (lượt người)" },
	"Trước ngày",
	"Thường xuyên",
	"Hằng năm, từ",
	"đến",
	"Định kỳ 6 tháng",
	"Hằng năm",
	{ { "not_started", "Chưa triển khai" },
	  { "in_progress", "Đang thực hiện" },
	  { "done", "Hoàn thành" },
	  { "cannot_do", "Không thực hiện được" } },
	"Các sở, ban, ngành, địa phương",
	"Chưa báo cáo",
	"Quá hạn",
	"hoạt động",
	"hoạt động",
	"lượt người",
	"lượt người",
};

static const struct words en = {
	"Plan",
	"Implementation",
	"SOCIALIST REPUBLIC OF VIET NAM",
	"Independence - Freedom - Happiness",
	"PLAN",
	"No.",
	"dated",
	"Dated",
	"Legal basis",
	"Period",
	{ "No.", "Task", "Lead", "Coordinating", "Timing", "Output" },
	{ "No.", "Task", "Unit", "Period", "Status", "Results, evidence",
	  "Activities (participants)" },
	"By",
	"Continuous",
	"Every year,",
	"to",
	"Every half-year",
	"Every year",
	{ { "not_started", "Not started" },
	  { "in_progress", "In progress" },
	  { "done", "Done" },
	  { "cannot_do", "Cannot be done" } },
	"All agencies and localities",
	"Not reported",
	"Overdue",
	"activity",
	"activities",
	"participant",
	"participants",
};

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

struct formats {
	lxw_format *top, *motto, *title, *line, *head, *section, *cell, *no;
};

struct args {
	const json_t *plan;
	const struct words *w;
	struct formats f;
};

/* The units of a task's role ("lead" or "coordinate"), one per line. */
static void
units_text(char *out, size_t cap, const json_t *task, const char *role,
	   const struct words *w)
{
	const json_t *u;
	size_t i, len = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(task, role), i, u)
	{
		const char *name = json_is_true(json_object_get(u, "all_units"))
					   ? w->all_units
					   : str(u, "unit_name");

		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0,
					"%s%s", len > 0 ? "\n" : "", name);
		if (len >= cap)
			return;
	}
}

/* The task's timing in words. */
static void
timing_text(char *out, size_t cap, const json_t *task, const struct words *w)
{
	const json_t *t = json_object_get(task, "timing");
	const char *kind = str(t, "kind");
	char a[32], b[32];

	if (strcmp(kind, "once") == 0) {
		ctip_xlsx_dmy(a, sizeof(a), str(t, "due_on"));
		snprintf(out, cap, "%s %s", w->once, a);
	} else if (strcmp(kind, "yearly") == 0) {
		snprintf(a, sizeof(a), "%.2s/%.2s", str(t, "from") + 3,
			 str(t, "from"));
		snprintf(b, sizeof(b), "%.2s/%.2s", str(t, "to") + 3,
			 str(t, "to"));
		if (strlen(str(t, "from")) != 5 || strlen(str(t, "to")) != 5)
			snprintf(out, cap, "%s", w->year);
		else
			snprintf(out, cap, "%s %s %s %s", w->yearly, a,
				 w->yearly_to, b);
	} else if (strcmp(kind, "half_year") == 0) {
		snprintf(out, cap, "%s", w->half_year);
	} else if (strcmp(kind, "year") == 0) {
		snprintf(out, cap, "%s", w->year);
	} else {
		snprintf(out, cap, "%s", w->continuous);
	}
}

static const char *
status_text(const char *code, const struct words *w)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (strcmp(w->statuses[i][0], code) == 0)
			return w->statuses[i][1];
	return w->none;
}

/* The section title of section id (0: none), or NULL. */
static const json_t *
section_of(const json_t *plan, json_int_t id)
{
	const json_t *s;
	size_t i;

	json_array_foreach(
		json_object_get(plan, "sections"), i,
		s) if (json_integer_value(json_object_get(s, "id")) ==
		       id) return s;
	return NULL;
}

/* The top of both sheets: the issuing unit and the nation, the title. */
static int
top(struct ctip_xlsx_sheet *s, const struct args *g, int last_col)
{
	const json_t *p = g->plan;
	char text[1024], date[32];

	ctip_xlsx_upper(text, sizeof(text), str(p, "unit_name"));
	ctip_xlsx_merge(s, 0, 0, 1, text, g->f.top);
	ctip_xlsx_merge(s, 0, 2, last_col, g->w->nation, g->f.top);
	ctip_xlsx_dmy(date, sizeof(date), str(p, "issued_on"));
	/* "Số: 25/KH-UBND, ngày 10/02/2026"; what the plan lacks is left
	 * out ("Ngày 10/02/2026" for a plan without a number). */
	if (*str(p, "number") != '\0' && date[0] != '\0')
		snprintf(text, sizeof(text), "%s: %s, %s %s", g->w->number,
			 str(p, "number"), g->w->issued, date);
	else if (*str(p, "number") != '\0')
		snprintf(text, sizeof(text), "%s: %s", g->w->number,
			 str(p, "number"));
	else if (date[0] != '\0')
		snprintf(text, sizeof(text), "%s %s", g->w->issued_alone, date);
	else
		text[0] = '\0';
	if (text[0] != '\0')
		ctip_xlsx_merge(s, 1, 0, 1, text, g->f.line);
	ctip_xlsx_merge(s, 1, 2, last_col, g->w->motto, g->f.motto);
	ctip_xlsx_merge(s, 3, 0, last_col, g->w->kind, g->f.title);
	ctip_xlsx_note(s, worksheet_set_row(s->ws, 4, 36, NULL));
	ctip_xlsx_merge(s, 4, 0, last_col, str(p, "title"), g->f.title);
	if (*str(p, "legal_basis") != '\0') {
		snprintf(text, sizeof(text), "%s: %s", g->w->basis,
			 str(p, "legal_basis"));
		ctip_xlsx_merge(s, 5, 0, last_col, text, g->f.line);
	}
	return 7;
}

static void
plan_sheet(struct ctip_xlsx_sheet *s, const struct args *g)
{
	const json_t *t;
	json_int_t section = -1;
	char lead[2048], coord[2048], timing[128];
	size_t i;
	int row, c;
	static const double widths[] = { 7, 60, 24, 28, 18, 24 };

	for (c = 0; c < 6; c++)
		ctip_xlsx_note(s, worksheet_set_column(s->ws, (lxw_col_t)c,
						       (lxw_col_t)c, widths[c],
						       NULL));
	worksheet_set_paper(s->ws, 9);
	worksheet_set_landscape(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0);
	row = top(s, g, 5);
	for (c = 0; c < 6; c++)
		ctip_xlsx_put(s, row, c, g->w->plan_cols[c], g->f.head);
	ctip_xlsx_note(s, worksheet_repeat_rows(s->ws, (lxw_row_t)row,
						(lxw_row_t)row));
	row++;
	json_array_foreach(json_object_get(g->plan, "tasks"), i, t)
	{
		json_int_t sid =
			json_integer_value(json_object_get(t, "section_id"));

		if (sid != section) {
			const json_t *sec = section_of(g->plan, sid);
			char text[1024];

			section = sid;
			if (sec != NULL) {
				snprintf(text, sizeof(text), "%s. %s",
					 str(sec, "number"), str(sec, "title"));
				ctip_xlsx_merge(s, row++, 0, 5, text,
						g->f.section);
			}
		}
		units_text(lead, sizeof(lead), t, "lead", g->w);
		units_text(coord, sizeof(coord), t, "coordinate", g->w);
		timing_text(timing, sizeof(timing), t, g->w);
		ctip_xlsx_put(s, row, 0, str(t, "number"), g->f.no);
		ctip_xlsx_put(s, row, 1, str(t, "text"), g->f.cell);
		ctip_xlsx_put(s, row, 2, lead, g->f.cell);
		ctip_xlsx_put(s, row, 3, coord, g->f.cell);
		ctip_xlsx_put(s, row, 4, timing, g->f.cell);
		ctip_xlsx_put(s, row++, 5, str(t, "expected_output"),
			      g->f.cell);
	}
}

static void
progress_sheet(struct ctip_xlsx_sheet *s, const struct args *g)
{
	const json_t *t, *pr, *act;
	char text[256];
	size_t i, k, m;
	int row, c, n_act;
	long people;
	static const double widths[] = { 7, 50, 24, 10, 18, 50, 22 };

	for (c = 0; c < 7; c++)
		ctip_xlsx_note(s, worksheet_set_column(s->ws, (lxw_col_t)c,
						       (lxw_col_t)c, widths[c],
						       NULL));
	worksheet_set_paper(s->ws, 9);
	worksheet_set_landscape(s->ws);
	worksheet_fit_to_pages(s->ws, 1, 0);
	row = top(s, g, 6);
	for (c = 0; c < 7; c++)
		ctip_xlsx_put(s, row, c, g->w->progress_cols[c], g->f.head);
	row++;
	json_array_foreach(json_object_get(g->plan, "tasks"), i, t)
	{
		const json_t *list = json_object_get(t, "progress");
		const char *overdue =
			json_is_true(json_object_get(t, "overdue"))
				? g->w->overdue
				: NULL;

		if (json_array_size(list) == 0) {
			ctip_xlsx_put(s, row, 0, str(t, "number"), g->f.no);
			ctip_xlsx_put(s, row, 1, str(t, "text"), g->f.cell);
			for (c = 2; c < 7; c++)
				ctip_xlsx_put(s, row, c,
					      c == 4 ? (overdue ? overdue
								: g->w->none)
						     : "",
					      g->f.cell);
			row++;
			continue;
		}
		json_array_foreach(list, k, pr)
		{
			n_act = 0;
			people = 0;
			json_array_foreach(json_object_get(pr, "activities"), m,
					   act)
			{
				n_act++;
				people += (long)json_integer_value(
					json_object_get(act, "participants"));
			}
			ctip_xlsx_put(s, row, 0, k == 0 ? str(t, "number") : "",
				      g->f.no);
			ctip_xlsx_put(s, row, 1, k == 0 ? str(t, "text") : "",
				      g->f.cell);
			ctip_xlsx_put(s, row, 2, str(pr, "unit_name"),
				      g->f.cell);
			ctip_xlsx_put(s, row, 3, str(pr, "period"), g->f.no);
			ctip_xlsx_put(s, row, 4,
				      status_text(str(pr, "status"), g->w),
				      g->f.cell);
			ctip_xlsx_put(s, row, 5,
				      *str(pr, "reason") != '\0'
					      ? str(pr, "reason")
					      : str(pr, "evidence"),
				      g->f.cell);
			snprintf(text, sizeof(text), "%d %s (%ld %s)", n_act,
				 n_act == 1 ? g->w->activity : g->w->activities,
				 people,
				 people == 1 ? g->w->person : g->w->people);
			ctip_xlsx_put(s, row++, 6, n_act > 0 ? text : "",
				      g->f.cell);
		}
	}
}

static lxw_error
fill(lxw_workbook *wb, void *arg)
{
	struct args *g = arg;
	struct ctip_xlsx_sheet p = { 0 }, q = { 0 };

	g->f.top = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	g->f.motto = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	format_set_underline(g->f.motto, LXW_UNDERLINE_SINGLE);
	g->f.title = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, false);
	format_set_text_wrap(g->f.title);
	g->f.line = ctip_xlsx_format(wb, false, true, LXW_ALIGN_CENTER, false);
	format_set_text_wrap(g->f.line);
	g->f.head = ctip_xlsx_format(wb, true, false, LXW_ALIGN_CENTER, true);
	format_set_text_wrap(g->f.head);
	format_set_bg_color(g->f.head, 0xF2F2F2);
	g->f.section = ctip_xlsx_format(wb, true, false, LXW_ALIGN_LEFT, true);
	g->f.cell = ctip_xlsx_format(wb, false, false, LXW_ALIGN_LEFT, true);
	format_set_text_wrap(g->f.cell);
	g->f.no = ctip_xlsx_format(wb, false, false, LXW_ALIGN_CENTER, true);
	p.ws = workbook_add_worksheet(wb, g->w->plan_sheet);
	q.ws = workbook_add_worksheet(wb, g->w->progress_sheet);
	if (p.ws == NULL || q.ws == NULL)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	plan_sheet(&p, g);
	progress_sheet(&q, g);
	return p.first != LXW_NO_ERROR ? p.first : q.first;
}

enum ctip_status
ctip_plan_xlsx(struct ctip_buf *out, const json_t *plan, const char *lang,
	       struct ctip_err *err)
{
	struct args g = { .plan = plan };
	lxw_doc_properties props = { 0 };
	char title[512];

	if (lang == NULL ||
	    (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "lang",
				      "lang: vi or en");
	if (!json_is_object(plan) || *str(plan, "title") == '\0' ||
	    !json_is_array(json_object_get(plan, "tasks")))
		return ctip_err_field(err, CTIP_EINVAL, "plan",
				      "plan: expected a plan with a title and "
				      "tasks");
	g.w = strcmp(lang, "en") == 0 ? &en : &vi;
	snprintf(title, sizeof(title), "%s", str(plan, "title"));
	ctip_xlsx_clean(title);
	props.title = title;
	return ctip_xlsx_build(out, &props, fill, &g, "plan", err);
}

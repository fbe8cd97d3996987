/* test_report_export.c: a periodic report as CSV, as XLSX and as its
 * published JSON (issue 6, point 6): suppression of small counts across
 * the whole table, checked by hand and, on many random small tables, by
 * a brute-force reader who solves the row sums; quoting, headings, bad
 * input; the workbook is unzipped here (zlib) and its cells read back.
 *
 * With CTIP_XLSX_FIXTURE=path set, the sample workbook is also written to
 * path: that is how tests/e2e/fixtures/report-sample.xlsx was made. */
#include "core/plan_export.h"
#include "core/report_export.h"
#include "util/buf.h"
#include "util/text.h"

#include "helpers.h"

#include <zlib.h>

#define LIMIT (8u << 20)

/* A commune's half-year report, by hand. With threshold 5: row 2 (3) is
 * small; in 5.1 "Không rõ" (1) is small and, the split partitioning
 * the total, "Nam" (5, the smallest other) is hidden too, then "Nữ" (6)
 * as 1 + 5 < 2 x 5 - 1; in 5.2 two cells are small, 1 + 2 too little,
 * so 9 goes as well; 5.4 does not partition, so its one small cell
 * hides nothing more; rate 21 has a small numerator. Every hidden count
 * is "x". */
static const char sample[] =
	"{\"format\":\"ctip-report/1\","
	"\"form\":{\"code\":\"BC_XA_6T\","
	"\"name_vi\":\"Báo cáo 6 tháng kết quả phòng, chống mua bán người "
	"của xã\","
	"\"name_en\":\"Commune half-year report on the prevention of human "
	"trafficking\","
	"\"level\":\"commune\",\"period_type\":\"half_year\","
	"\"legal_basis\":\"Kế hoạch của Ban Chỉ đạo xã\"},"
	"\"period\":{\"key\":\"2026-H1\",\"from\":\"2025-12-15\","
	"\"to\":\"2026-06-14\"},"
	"\"place\":{\"code\":\"00004\",\"name\":\"Phường Ba Đình\","
	"\"level\":\"commune\"},"
	"\"due_on\":\"2026-06-15\",\"computed_at\":\"2026-06-14T20:00:00Z\","
	"\"rows\":["
	"{\"seq\":1,\"no\":\"1\","
	"\"section_vi\":\"I. Tiếp nhận, giải quyết tố giác, tin báo\","
	"\"section_en\":\"I. Tips and reports received and resolved\","
	"\"label_vi\":\"Số tố giác, tin báo được tiếp nhận\","
	"\"label_en\":\"Tips and reports received\",\"item\":\"INT_RECEIVED\","
	"\"by\":null,\"kind\":\"count\",\"counts\":\"intakes\",\"total\":6},"
	"{\"seq\":2,\"no\":\"2\","
	"\"section_vi\":\"I. Tiếp nhận, giải quyết tố giác, tin báo\","
	"\"section_en\":\"I. Tips and reports received and resolved\","
	"\"label_vi\":\"Số đã phân loại\",\"label_en\":\"Classified\","
	"\"item\":\"INT_CLASSIFIED\",\"by\":null,\"kind\":\"count\","
	"\"counts\":\"intakes\",\"total\":3},"
	"{\"seq\":3,\"no\":\"5\",\"section_vi\":\"II. Nạn nhân\","
	"\"section_en\":\"II. Victims\","
	"\"label_vi\":\"Số người được tiếp nhận\","
	"\"label_en\":\"Persons received\",\"item\":\"V_RECEIVED\","
	"\"by\":null,\"kind\":\"count\",\"counts\":\"persons\",\"total\":12},"
	"{\"seq\":4,\"no\":\"5.1\",\"section_vi\":\"II. Nạn nhân\","
	"\"section_en\":\"II. Victims\",\"label_vi\":\"Chia theo giới tính\","
	"\"label_en\":\"By sex\",\"item\":\"V_RECEIVED\",\"by\":\"sex\","
	"\"kind\":\"count\",\"counts\":\"persons\",\"total\":12,\"cells\":["
	"{\"category\":\"M\",\"label_vi\":\"Nam\",\"label_en\":\"Male\","
	"\"value\":5},"
	"{\"category\":\"F\",\"label_vi\":\"Nữ\",\"label_en\":\"Female\","
	"\"value\":6},"
	"{\"category\":\"U\",\"label_vi\":\"Không rõ\","
	"\"label_en\":\"Unknown\",\"value\":1}],\"partitions\":true},"
	"{\"seq\":5,\"no\":\"5.2\",\"section_vi\":\"II. Nạn nhân\","
	"\"section_en\":\"II. Victims\",\"label_vi\":\"Chia theo độ tuổi\","
	"\"label_en\":\"By age band\",\"item\":\"V_RECEIVED\","
	"\"by\":\"age_band\",\"kind\":\"count\",\"counts\":\"persons\","
	"\"total\":12,\"cells\":["
	"{\"category\":\"under_16\",\"label_vi\":\"Dưới 16 tuổi\","
	"\"label_en\":\"Under 16\",\"value\":2},"
	"{\"category\":\"16_17\",\"label_vi\":\"Từ 16 đến dưới 18 tuổi\","
	"\"label_en\":\"16 to 17\",\"value\":1},"
	"{\"category\":\"18_30\",\"label_vi\":\"Từ 18 đến 30 tuổi\","
	"\"label_en\":\"18 to 30\",\"value\":9},"
	"{\"category\":\"over_30\",\"label_vi\":\"Trên 30 tuổi\","
	"\"label_en\":\"Over 30\",\"value\":0}],\"partitions\":true},"
	"{\"seq\":6,\"no\":\"5.4\",\"section_vi\":\"II. Nạn nhân\","
	"\"section_en\":\"II. Victims\","
	"\"label_vi\":\"Chia theo mục đích \\\"bị\\\" mua bán\","
	"\"label_en\":\"By purpose\",\"item\":\"V_RECEIVED\","
	"\"by\":\"purpose\",\"kind\":\"count\",\"counts\":\"persons\","
	"\"total\":12,\"cells\":["
	"{\"category\":\"sexual\",\"label_vi\":\"Bóc lột tình dục\","
	"\"label_en\":\"Sexual exploitation\",\"value\":8},"
	"{\"category\":\"labour\","
	"\"label_vi\":\"Lao động cưỡng bức, khổ sai\","
	"\"label_en\":\"Forced labour\",\"value\":2},"
	"{\"category\":\"odd\",\"label_vi\":\"=1+1\",\"label_en\":\"\","
	"\"value\":0}],\"partitions\":false},"
	"{\"seq\":7,\"no\":\"20\","
	"\"section_vi\":\"V. Các chỉ tiêu của Chương trình\","
	"\"section_en\":\"V. The programme's targets\","
	"\"label_vi\":\"Tỷ lệ tin báo được phân loại\","
	"\"label_en\":\"Share classified\",\"item\":\"KPI_CLASSIFIED\","
	"\"by\":null,\"kind\":\"rate\",\"numerator\":5,\"denominator\":6,"
	"\"rate\":0.8333333,\"target_percent\":100,"
	"\"comparison\":\"at_least\",\"light\":\"red\"},"
	"{\"seq\":8,\"no\":\"21\","
	"\"section_vi\":\"V. Các chỉ tiêu của Chương trình\","
	"\"section_en\":\"V. The programme's targets\","
	"\"label_vi\":\"Tỷ lệ tin báo được giải quyết\","
	"\"label_en\":\"Share resolved\",\"item\":\"KPI_RESOLVED\","
	"\"by\":null,\"kind\":\"rate\",\"numerator\":3,\"denominator\":6,"
	"\"rate\":0.5,\"target_percent\":90,\"comparison\":\"above\","
	"\"light\":\"red\"}],"
	"\"findings\":[{\"code\":\"IDENTIFIED_LE_RECEIVED\","
	"\"severity\":\"warning\","
	"\"message_vi\":\"Số người được xác định là nạn nhân lớn hơn số "
	"người được tiếp nhận\","
	"\"message_en\":\"More persons identified than received\"}]}";

static json_t *
report(void)
{
	json_error_t jerr;
	json_t *j = json_loads(sample, 0, &jerr);

	if (j == NULL)
		fail_msg("sample: %s at %d", jerr.text, jerr.position);
	return j;
}

#define BOM  "\xEF\xBB\xBF"
#define SEC1 "\"I. Tiếp nhận, giải quyết tố giác, tin báo\""
#define SEC2 "II. Nạn nhân"
#define SEC5 "V. Các chỉ tiêu của Chương trình"

static const char csv_vi_5[] =
	BOM "STT,Mục,Chỉ tiêu,Phân tổ,Số liệu\r\n"
	    "1," SEC1 ",\"Số tố giác, tin báo được tiếp nhận\",,6\r\n"
	    "2," SEC1 ",Số đã phân loại,,x\r\n"
	    "5," SEC2 ",Số người được tiếp nhận,,12\r\n"
	    "5.1," SEC2 ",Chia theo giới tính,,12\r\n"
	    "5.1," SEC2 ",Chia theo giới tính,Nam,x\r\n"
	    "5.1," SEC2 ",Chia theo giới tính,Nữ,x\r\n"
	    "5.1," SEC2 ",Chia theo giới tính,Không rõ,x\r\n"
	    "5.2," SEC2 ",Chia theo độ tuổi,,12\r\n"
	    "5.2," SEC2 ",Chia theo độ tuổi,Dưới 16 tuổi,x\r\n"
	    "5.2," SEC2 ",Chia theo độ tuổi,Từ 16 đến dưới 18 tuổi,x\r\n"
	    "5.2," SEC2 ",Chia theo độ tuổi,Từ 18 đến 30 tuổi,x\r\n"
	    "5.2," SEC2 ",Chia theo độ tuổi,Trên 30 tuổi,0\r\n"
	    "5.4," SEC2 ",\"Chia theo mục đích \"\"bị\"\" mua bán\",,12\r\n"
	    "5.4," SEC2 ",\"Chia theo mục đích \"\"bị\"\" mua bán\","
	    "Bóc lột tình dục,x\r\n"
	    "5.4," SEC2 ",\"Chia theo mục đích \"\"bị\"\" mua bán\","
	    "\"Lao động cưỡng bức, khổ sai\",x\r\n"
	    "5.4," SEC2 ",\"Chia theo mục đích \"\"bị\"\" mua bán\",'=1+1,0\r\n"
	    "20," SEC5 ",Tỷ lệ tin báo được phân loại,,83.3\r\n"
	    "21," SEC5 ",Tỷ lệ tin báo được giải quyết,,—\r\n";

static const char csv_en_0[] =
	BOM "no,section,indicator,category,value\r\n"
	    "1,I. Tips and reports received and resolved,"
	    "Tips and reports received,,6\r\n"
	    "2,I. Tips and reports received and resolved,Classified,,3\r\n"
	    "5,II. Victims,Persons received,,12\r\n"
	    "5.1,II. Victims,By sex,,12\r\n"
	    "5.1,II. Victims,By sex,Male,5\r\n"
	    "5.1,II. Victims,By sex,Female,6\r\n"
	    "5.1,II. Victims,By sex,Unknown,1\r\n"
	    "5.2,II. Victims,By age band,,12\r\n"
	    "5.2,II. Victims,By age band,Under 16,2\r\n"
	    "5.2,II. Victims,By age band,16 to 17,1\r\n"
	    "5.2,II. Victims,By age band,18 to 30,9\r\n"
	    "5.2,II. Victims,By age band,Over 30,0\r\n"
	    "5.4,II. Victims,By purpose,,12\r\n"
	    "5.4,II. Victims,By purpose,Sexual exploitation,8\r\n"
	    "5.4,II. Victims,By purpose,Forced labour,2\r\n"
	    "5.4,II. Victims,By purpose,'=1+1,0\r\n"
	    "20,V. The programme's targets,Share classified,,83.3\r\n"
	    "21,V. The programme's targets,Share resolved,,50.0\r\n";

/* ---- CSV ---------------------------------------------------------------- */

static void
csv_suppresses_small_counts_and_the_cell_that_would_give_one_away(void **state)
{
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = report();

	(void)state;
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_report_csv(&b, r, 5, "vi", &err), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), csv_vi_5);
	ctip_buf_free(&b);
	json_decref(r);
}

static void
csv_with_threshold_zero_suppresses_nothing_and_speaks_english(void **state)
{
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = report();

	(void)state;
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_report_csv(&b, r, 0, "en", &err), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), csv_en_0);
	ctip_buf_reset(&b);
	/* Threshold 1 leaves no count between 1 and 0. */
	assert_int_equal(ctip_report_csv(&b, r, 1, "en", &err), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), csv_en_0);
	ctip_buf_free(&b);
	json_decref(r);
}

/* A small total hides its whole breakdown, zeros included: "Nam 0"
 * next to a hidden total of women would say that all of them are women
 * (the old export showed it). */
static void
csv_hides_the_whole_breakdown_of_a_small_total_zeros_too(void **state)
{
	static const char doc[] =
		"{\"format\":\"ctip-report/1\",\"form\":{},\"period\":{},"
		"\"place\":{},\"rows\":[{\"no\":\"8.1\",\"label_vi\":\"Giới "
		"tính\",\"kind\":\"count\",\"by\":\"sex\",\"total\":4,"
		"\"partitions\":true,\"cells\":["
		"{\"label_vi\":\"Nam\",\"value\":0},"
		"{\"label_vi\":\"Nữ\",\"value\":4}]},"
		"{\"no\":\"9\",\"label_vi\":\"Tỷ lệ\",\"kind\":\"rate\","
		"\"numerator\":0,\"denominator\":7,\"rate\":0},"
		"{\"no\":\"10\",\"label_vi\":\"Tỷ lệ\",\"kind\":\"rate\","
		"\"numerator\":0,\"denominator\":0,\"rate\":null}]}";
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = json_loads(doc, 0, NULL);

	(void)state;
	assert_non_null(r);
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_report_csv(&b, r, 5, "vi", &err), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b),
			    BOM "STT,Mục,Chỉ tiêu,Phân tổ,Số liệu\r\n"
				"8.1,,Giới tính,,x\r\n"
				"8.1,,Giới tính,Nam,x\r\n"
				"8.1,,Giới tính,Nữ,x\r\n"
				"9,,Tỷ lệ,,0.0\r\n"
				"10,,Tỷ lệ,,—\r\n");
	ctip_buf_free(&b);
	json_decref(r);
}

static void
export_refuses_what_is_not_a_report(void **state)
{
	static const char *const bad[] = {
		"[1, 2]",
		"\"ctip-report/1\"",
		"{\"format\":\"ctip-report/2\",\"form\":{},\"period\":{},"
		"\"place\":{},\"rows\":[]}",
		"{\"form\":{},\"period\":{},\"place\":{},\"rows\":[]}",
		"{\"format\":\"ctip-report/1\",\"period\":{},\"place\":{},"
		"\"rows\":[]}",
	};
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r;
	size_t i;

	(void)state;
	ctip_buf_init(&b, LIMIT);
	for (i = 0; i < CTIP_NELEM(bad); i++) {
		r = json_loads(bad[i], JSON_DECODE_ANY, NULL);
		assert_non_null(r);
		assert_int_equal(ctip_report_csv(&b, r, 5, "vi", &err),
				 CTIP_EINVAL);
		assert_string_equal(err.field, "report");
		assert_string_equal(err.msg, "report: expected a "
					     "ctip-report/1 document");
		assert_int_equal(ctip_report_xlsx(&b, r, 5, "vi", &err),
				 CTIP_EINVAL);
		assert_string_equal(err.field, "report");
		json_decref(r);
	}
	assert_int_equal(ctip_report_csv(&b, NULL, 5, "vi", &err), CTIP_EINVAL);
	assert_string_equal(err.field, "report");
	assert_int_equal(b.len, 0);
	ctip_buf_free(&b);
}

static void
export_refuses_rows_without_counts(void **state)
{
	static const struct {
		const char *rows, *msg;
	} bad[] = {
		{ "{}", "report: rows is not an array" },
		{ "{\"rows\":[1]}", "report: row 1 is not an object" },
		{ "{\"rows\":[{\"kind\":\"sum\"}]}",
		  "report: row 1: kind is neither count nor rate" },
		{ "{\"rows\":[{\"kind\":\"count\",\"total\":-1}]}",
		  "report: row 1: total is not a count" },
		{ "{\"rows\":[{\"kind\":\"count\",\"total\":\"7\"}]}",
		  "report: row 1: total is not a count" },
		{ "{\"rows\":[{\"kind\":\"count\",\"total\":7,\"by\":"
		  "\"sex\"}]}",
		  "report: row 1: split by sex without cells" },
		{ "{\"rows\":[{\"kind\":\"count\",\"total\":7,\"by\":\"sex\","
		  "\"cells\":[{\"value\":7},{\"value\":1.5}]}]}",
		  "report: row 1: cell 2 has no count" },
		{ "{\"rows\":[{\"kind\":\"rate\",\"numerator\":1}]}",
		  "report: row 1: a rate needs a numerator, a denominator "
		  "and a rate" },
	};
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r, *base;
	size_t i;

	(void)state;
	ctip_buf_init(&b, LIMIT);
	for (i = 0; i < CTIP_NELEM(bad); i++) {
		base = json_pack("{s:s, s:{}, s:{}, s:{}}", "format",
				 "ctip-report/1", "form", "period", "place");
		r = json_loads(bad[i].rows, 0, NULL);
		assert_non_null(r);
		assert_int_equal(json_object_update(base, r), 0);
		assert_int_equal(ctip_report_csv(&b, base, 5, "vi", &err),
				 CTIP_EINVAL);
		assert_string_equal(err.field, "report");
		assert_string_equal(err.msg, bad[i].msg);
		json_decref(r);
		json_decref(base);
	}
	ctip_buf_free(&b);
}

static void
export_refuses_a_bad_threshold_or_language(void **state)
{
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = report();

	(void)state;
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_report_csv(&b, r, -1, "vi", &err), CTIP_EINVAL);
	assert_string_equal(err.field, "threshold");
	assert_int_equal(ctip_report_xlsx(&b, r, 101, "vi", &err), CTIP_EINVAL);
	assert_string_equal(err.field, "threshold");
	assert_int_equal(ctip_report_csv(&b, r, 5, "fr", &err), CTIP_EINVAL);
	assert_string_equal(err.field, "lang");
	assert_int_equal(ctip_report_xlsx(&b, r, 5, NULL, &err), CTIP_EINVAL);
	assert_string_equal(err.msg, "lang: expected vi or en");
	ctip_buf_free(&b);
	json_decref(r);
}

static void
export_past_the_buffer_limit_leaves_the_buffer_as_it_was(void **state)
{
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = report();

	(void)state;
	ctip_buf_init(&b, 300);
	assert_int_equal(ctip_buf_puts(&b, "kept"), CTIP_OK);
	assert_int_equal(ctip_report_csv(&b, r, 5, "vi", &err), CTIP_ETOOBIG);
	assert_string_equal(ctip_buf_str(&b), "kept");
	assert_int_equal(ctip_report_xlsx(&b, r, 5, "vi", &err), CTIP_ETOOBIG);
	assert_string_equal(ctip_buf_str(&b), "kept");
	ctip_buf_free(&b);
	json_decref(r);
}

/* ---- the published copy, across the table ------------------------------ */

static json_t *
doc(const char *rows)
{
	char *text = ctip_xmalloc(strlen(rows) + 128);
	json_error_t jerr;
	json_t *j;

	snprintf(text, strlen(rows) + 128,
		 "{\"format\":\"ctip-report/1\",\"form\":{},\"period\":{},"
		 "\"place\":{},\"rows\":%s}",
		 rows);
	j = json_loads(text, 0, &jerr);
	if (j == NULL)
		fail_msg("doc: %s at %d", jerr.text, jerr.position);
	free(text);
	return j;
}

/* The CSV of r under threshold, in Vietnamese, without its header. */
static char *
csv_of(const json_t *r, int threshold)
{
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	const char *head = BOM "STT,Mục,Chỉ tiêu,Phân tổ,Số liệu\r\n";
	char *out;

	ctip_buf_init(&b, LIMIT);
	if (ctip_report_csv(&b, r, threshold, "vi", &err) != CTIP_OK)
		fail_msg("ctip_report_csv: %s", err.msg);
	assert_memory_equal(ctip_buf_str(&b), head, strlen(head));
	out = ctip_xstrdup(ctip_buf_str(&b) + strlen(head));
	ctip_buf_free(&b);
	return out;
}

/* The case: 6 persons received, 1 man and 5 women. The old
 * export showed 6 in row 5 and hid it in row 5.1, next to "Nam <5" and
 * "Nữ x": 6 - 5 gave the man away, and "x", only ever 5 or more, the
 * women. The item's total is hidden everywhere, with every breakdown
 * of it; so is the rate whose numerator it is. */
static void
a_total_hidden_in_one_row_is_hidden_in_every_row_of_its_item(void **state)
{
	json_t *r = doc(
		"[{\"no\":\"5\",\"label_vi\":\"Tiếp nhận\",\"kind\":\"count\","
		"\"item\":\"V_RECEIVED\",\"total\":6},"
		"{\"no\":\"5.1\",\"label_vi\":\"Giới tính\",\"kind\":\"count\","
		"\"item\":\"V_RECEIVED\",\"by\":\"sex\",\"total\":6,"
		"\"partitions\":true,\"cells\":[{\"label_vi\":\"Nam\","
		"\"value\":1},{\"label_vi\":\"Nữ\",\"value\":5},"
		"{\"label_vi\":\"Không rõ\",\"value\":0}]},"
		"{\"no\":\"5.2\",\"label_vi\":\"Tuổi\",\"kind\":\"count\","
		"\"item\":\"V_RECEIVED\",\"by\":\"age_band\",\"total\":6,"
		"\"partitions\":true,\"cells\":[{\"label_vi\":\"Dưới 16\","
		"\"value\":0},{\"label_vi\":\"Trên 16\",\"value\":6}]},"
		"{\"no\":\"5.4\",\"label_vi\":\"Mục đích\",\"kind\":\"count\","
		"\"item\":\"V_RECEIVED\",\"by\":\"purpose\",\"total\":6,"
		"\"partitions\":false,\"cells\":[{\"label_vi\":\"Lao động\","
		"\"value\":6}]},"
		"{\"no\":\"7\",\"label_vi\":\"Xác minh\",\"kind\":\"count\","
		"\"item\":\"V_VERIFIED\",\"total\":6},"
		"{\"no\":\"20\",\"label_vi\":\"Tỷ lệ\",\"kind\":\"rate\","
		"\"numerator\":6,\"denominator\":7,\"rate\":0.857}]");
	char *got;

	(void)state;
	got = csv_of(r, 5);
	assert_string_equal(got, "5,,Tiếp nhận,,x\r\n"
				 "5.1,,Giới tính,,x\r\n"
				 "5.1,,Giới tính,Nam,x\r\n"
				 "5.1,,Giới tính,Nữ,x\r\n"
				 "5.1,,Giới tính,Không rõ,x\r\n"
				 "5.2,,Tuổi,,x\r\n"
				 "5.2,,Tuổi,Dưới 16,x\r\n"
				 "5.2,,Tuổi,Trên 16,x\r\n"
				 "5.4,,Mục đích,,x\r\n"
				 "5.4,,Mục đích,Lao động,x\r\n"
				 "7,,Xác minh,,6\r\n"
				 "20,,Tỷ lệ,,—\r\n");
	free(got);
	json_decref(r);
}

/* Hidden cells that add up to their number are all ones: so are 1, 1
 * and 1 at threshold 2 (the old export showed 17 and three "<2"); and
 * two hidden cells that hold less than 2t-1 leave too little doubt:
 * 2 + 3 at threshold 5 takes 10 along, not 15. */
static void
hidden_cells_never_add_up_to_an_answer(void **state)
{
	json_t *r = doc("[{\"no\":\"1\",\"label_vi\":\"A\",\"kind\":\"count\","
			"\"item\":\"A\",\"by\":\"sex\",\"total\":20,"
			"\"partitions\":true,\"cells\":[{\"label_vi\":\"a\","
			"\"value\":1},{\"label_vi\":\"b\",\"value\":1},"
			"{\"label_vi\":\"c\",\"value\":1},{\"label_vi\":\"d\","
			"\"value\":17}]},"
			"{\"no\":\"2\",\"label_vi\":\"B\",\"kind\":\"count\","
			"\"item\":\"B\",\"by\":\"sex\",\"total\":30,"
			"\"partitions\":true,\"cells\":[{\"label_vi\":\"a\","
			"\"value\":15},{\"label_vi\":\"b\",\"value\":2},"
			"{\"label_vi\":\"c\",\"value\":10},{\"label_vi\":\"d\","
			"\"value\":3},{\"label_vi\":\"e\",\"value\":0}]}]");
	char *got;

	(void)state;
	got = csv_of(r, 2);
	assert_string_equal(got, "1,,A,,20\r\n"
				 "1,,A,a,x\r\n"
				 "1,,A,b,x\r\n"
				 "1,,A,c,x\r\n"
				 "1,,A,d,x\r\n"
				 "2,,B,,30\r\n"
				 "2,,B,a,15\r\n"
				 "2,,B,b,2\r\n"
				 "2,,B,c,10\r\n"
				 "2,,B,d,3\r\n"
				 "2,,B,e,0\r\n");
	free(got);
	got = csv_of(r, 5);
	assert_string_equal(got, "1,,A,,20\r\n"
				 "1,,A,a,x\r\n"
				 "1,,A,b,x\r\n"
				 "1,,A,c,x\r\n"
				 "1,,A,d,x\r\n"
				 "2,,B,,30\r\n"
				 "2,,B,a,15\r\n"
				 "2,,B,b,x\r\n"
				 "2,,B,c,x\r\n"
				 "2,,B,d,x\r\n"
				 "2,,B,e,0\r\n");
	free(got);
	json_decref(r);
}

/* The JSON export with suppress: what the CSV hides is null and flagged,
 * the rest as it was; no findings. Without suppress: the report. */
static void
json_published_copy_hides_what_csv_hides(void **state)
{
	struct ctip_err err = { 0 };
	json_t *r = report(), *pub, *row, *cell, *prow, *pcell;
	size_t i, k;
	char *csv = csv_of(r, 5), *line, *save = NULL, *v;

	(void)state;
	assert_int_equal(ctip_report_suppressed(&pub, r, 0, &err), CTIP_OK);
	assert_true(json_equal(pub, r));
	json_decref(pub);
	assert_int_equal(ctip_report_suppressed(&pub, r, 1, &err), CTIP_OK);
	assert_true(json_equal(pub, r));
	json_decref(pub);
	assert_int_equal(ctip_report_suppressed(&pub, r, 101, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "threshold");
	assert_int_equal(ctip_report_suppressed(
				 &pub, json_object_get(r, "rows"), 5, &err),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "report");
	assert_null(pub);

	assert_int_equal(ctip_report_suppressed(&pub, r, 5, &err), CTIP_OK);
	assert_int_equal(json_integer_value(json_object_get(pub, "suppress")),
			 5);
	assert_null(json_object_get(pub, "findings"));
	line = strtok_r(csv, "\r\n", &save);
	json_array_foreach(json_object_get(r, "rows"), i, row)
	{
		prow = json_array_get(json_object_get(pub, "rows"), i);
		assert_non_null(line);
		v = strrchr(line, ',') + 1;
		if (strcmp(v, "x") == 0) {
			assert_true(
				json_is_null(json_object_get(prow, "total")));
			assert_true(json_is_true(
				json_object_get(prow, "suppressed")));
		} else if (strcmp(v, "—") == 0) {
			assert_true(
				json_is_null(json_object_get(prow, "rate")));
			assert_true(json_is_null(
				json_object_get(prow, "numerator")));
			assert_true(json_is_null(
				json_object_get(prow, "denominator")));
			assert_string_equal(json_string_value(json_object_get(
						    prow, "light")),
					    "none");
			assert_true(json_is_true(
				json_object_get(prow, "suppressed")));
		} else {
			/* Shown: as it was, cells apart. */
			assert_null(json_object_get(prow, "suppressed"));
			if (json_object_get(row, "cells") == NULL)
				assert_true(json_equal(prow, row));
			else
				assert_true(json_equal(
					json_object_get(prow, "total"),
					json_object_get(row, "total")));
		}
		json_array_foreach(json_object_get(row, "cells"), k, cell)
		{
			pcell = json_array_get(json_object_get(prow, "cells"),
					       k);
			line = strtok_r(NULL, "\r\n", &save);
			assert_non_null(line);
			v = strrchr(line, ',') + 1;
			if (strcmp(v, "x") == 0) {
				assert_true(json_is_null(
					json_object_get(pcell, "value")));
				assert_true(json_is_true(
					json_object_get(pcell, "suppressed")));
				assert_int_equal(json_object_size(pcell),
						 json_object_size(cell) + 1);
			} else {
				assert_true(json_equal(pcell, cell));
			}
		}
		line = strtok_r(NULL, "\r\n", &save);
	}
	assert_null(line);
	/* The cells the CSV test expects hidden, and the rate of a small
	 * numerator. */
	prow = json_array_get(json_object_get(pub, "rows"), 3);
	assert_true(json_is_null(json_object_get(
		json_array_get(json_object_get(prow, "cells"), 2), "value")));
	prow = json_array_get(json_object_get(pub, "rows"), 7);
	assert_true(json_is_null(json_object_get(prow, "numerator")));
	assert_int_equal(
		json_integer_value(json_object_get(prow, "target_percent")),
		90);
	json_decref(pub);
	free(csv);
	json_decref(r);
}

/* ---- a brute-force reader on random tables ------------------------------ */

#define N_ITEMS 3
#define MAX_T   16
#define SLACK   3 /* how far past the true total a reader tries */

static unsigned
rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

static void
add_row(json_t *rows, json_t *row)
{
	char no[16];

	snprintf(no, sizeof(no), "%zu", json_array_size(rows) + 1);
	json_object_set_new(row, "no", json_string(no));
	json_object_set_new(row, "label_vi", json_string("r"));
	json_array_append_new(rows, row);
}

/* A random report: one to three items, each with its total (0 to 16),
 * a row of its own and up to three split rows (mostly partitions into 2
 * to 4 cells, one of which takes about half; else splits that need not
 * partition it, and do a third of the time); sometimes a row of no item, and a
 * rate of two items' totals ("of_num", "of_den": the items, for the check). */
static json_t *
random_report(unsigned *seed)
{
	json_t *rows = json_array(), *cells, *row, *r;
	long long total[N_ITEMS], v[4];
	int n_items = 1 + (int)rnd(seed, N_ITEMS), g, a, b;
	unsigned n_rows, n_cells, k, u;
	char item[16];
	bool part;

	for (g = 0; g < n_items; g++) {
		total[g] = rnd(seed, MAX_T + 1);
		snprintf(item, sizeof(item), "I%d", g);
		add_row(rows,
			json_pack("{s:s, s:s, s:I}", "kind", "count", "item",
				  item, "total", (json_int_t)total[g]));
		n_rows = rnd(seed, 4);
		while (n_rows-- > 0) {
			part = rnd(seed, 4) != 0;
			n_cells = part ? 2 + rnd(seed, 3) : 1 + rnd(seed, 3);
			memset(v, 0, sizeof(v));
			for (u = 0; u < total[g]; u++)
				v[rnd(seed, 2) ? 0 : rnd(seed, n_cells)]++;
			/* A split that need not partition: most often it
			 * does all the same (one event a person), else a
			 * few persons are in two categories. */
			for (u = part ? 0 : rnd(seed, 3); u > 0; u--) {
				k = rnd(seed, n_cells);
				if (v[k] < total[g])
					v[k]++;
			}
			cells = json_array();
			for (k = 0; k < n_cells; k++)
				json_array_append_new(
					cells,
					json_pack("{s:s, s:I}", "label_vi", "c",
						  "value", (json_int_t)v[k]));
			add_row(rows,
				json_pack("{s:s, s:s, s:s, s:I, s:b, s:o}",
					  "kind", "count", "item", item, "by",
					  "d", "total", (json_int_t)total[g],
					  "partitions", part, "cells", cells));
		}
	}
	if (rnd(seed, 3) == 0)
		add_row(rows, json_pack("{s:s, s:I}", "kind", "count", "total",
					(json_int_t)rnd(seed, 9)));
	if (rnd(seed, 2) == 0) {
		a = (int)rnd(seed, (unsigned)n_items);
		b = (int)rnd(seed, (unsigned)n_items);
		row = json_pack("{s:s, s:s, s:I, s:I, s:i, s:i}", "kind",
				"rate", "item", "KPI", "numerator",
				(json_int_t)total[a], "denominator",
				(json_int_t)total[b], "of_num", a, "of_den", b);
		json_object_set_new(row, "rate",
				    total[b] > 0 ? json_real((double)total[a] /
							     (double)total[b])
						 : json_null());
		add_row(rows, row);
	}
	r = json_pack("{s:s, s:{}, s:{}, s:{}, s:o, s:[]}", "format",
		      "ctip-report/1", "form", "period", "place", "rows", rows,
		      "findings");
	assert_non_null(r);
	return r;
}

/* Into masks[0..n), as bits, the values that n hidden cells, each from
 * lo to hi, can take when they add up to sum (vals: scratch); false when
 * they cannot. */
static bool
spread(uint64_t *masks, long long *vals, int k, int n, long long sum,
       long long lo, long long hi)
{
	bool any = false;
	long long v;
	int i;

	if (n == 0)
		return sum == 0;
	if (k == n - 1) {
		if (sum < lo || sum > hi)
			return false;
		vals[k] = sum;
		for (i = 0; i < n; i++)
			masks[i] |= 1ull << vals[i];
		return true;
	}
	for (v = lo; v <= hi && v <= sum; v++) {
		vals[k] = v;
		any |= spread(masks, vals, k + 1, n, sum - v, lo, hi);
	}
	return any;
}

static long long
count(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static bool
hidden_count(const json_t *o, const char *key)
{
	return json_is_null(json_object_get(o, key));
}

/* The row of item g that comes first in rows, or NULL. */
static const json_t *
item_row(const json_t *rows, int g, size_t *at)
{
	const json_t *row;
	char item[16];
	size_t i;

	snprintf(item, sizeof(item), "I%d", g);
	json_array_foreach(rows, i, row)
	{
		const char *s = json_string_value(json_object_get(row, "item"));

		if (s != NULL && strcmp(s, item) == 0) {
			*at = i;
			return row;
		}
	}
	return NULL;
}

#define MAX_TROWS 16

static char why[128];

/* What a reader who knows the rules works out of pub, the published copy
 * of orig under threshold t, through the row sums: for each item, every
 * total from 1 (a hidden total is never 0) to the true one + SLACK, and
 * for each, every value of the hidden cells of its split rows (1 or more
 * where the total is shown, as 0 is then shown; 0 or more where it is
 * hidden) that adds up to it in a split that adds up (adds_up), or
 * stays within it in another. NULL when every hidden count can still take two
 * values or more; else the first that could not. */
/* Whether split row (of the original) adds up to its total: so any
 * that says it partitions, and most that need not. A reader may guess
 * as much, and is taken to guess right. */
static bool
adds_up(const json_t *row)
{
	const json_t *cells = json_object_get(row, "cells"), *cell;
	long long sum = 0;
	size_t k;

	json_array_foreach(cells, k, cell) sum += count(cell, "value");
	return json_is_true(json_object_get(row, "partitions")) ||
	       sum == count(row, "total");
}

static const char *
given_away(const json_t *orig, const json_t *pub)
{
	const json_t *rows = json_object_get(orig, "rows");
	const json_t *prows = json_object_get(pub, "rows");
	const json_t *first, *row, *prow, *cells, *pcells;
	uint64_t masks[MAX_TROWS][4], tmp[MAX_TROWS][4], tmask;
	long long vals[4], lo, T, T_true, T_max, rest, v;
	int g, hid[4], n_hid, j;
	size_t at, i, k;
	bool t_hidden, ok;
	char item[16];

	assert_true(json_array_size(rows) <= MAX_TROWS);
	for (g = 0; g < N_ITEMS; g++) {
		if ((first = item_row(rows, g, &at)) == NULL)
			continue;
		snprintf(item, sizeof(item), "I%d", g);
		T_true = count(first, "total");
		t_hidden = hidden_count(json_array_get(prows, at), "total");
		T_max = t_hidden ? T_true + SLACK : T_true;
		lo = t_hidden ? 0 : 1;
		memset(masks, 0, sizeof(masks));
		tmask = 0;
		for (T = t_hidden ? 1 : T_true; T <= T_max; T++) {
			ok = true;
			memset(tmp, 0, sizeof(tmp));
			json_array_foreach(rows, i, row)
			{
				const char *it = json_string_value(
					json_object_get(row, "item"));

				cells = json_object_get(row, "cells");
				if (it == NULL || strcmp(it, item) != 0 ||
				    cells == NULL)
					continue;
				prow = json_array_get(prows, i);
				pcells = json_object_get(prow, "cells");
				n_hid = 0;
				rest = T;
				for (k = 0; k < json_array_size(cells); k++) {
					v = count(json_array_get(cells, k),
						  "value");
					if (hidden_count(
						    json_array_get(pcells, k),
						    "value"))
						hid[n_hid++] = (int)k;
					else if (adds_up(row))
						rest -= v;
					else
						ok &= v <= T;
				}
				if (adds_up(row)) {
					uint64_t m[4] = { 0 };

					ok &= spread(m, vals, 0, n_hid, rest,
						     lo, T);
					for (j = 0; j < n_hid; j++)
						tmp[i][hid[j]] = m[j];
				} else {
					for (j = 0; j < n_hid; j++)
						for (v = lo; v <= T; v++)
							tmp[i][hid[j]] |= 1ull
									  << v;
				}
			}
			if (!ok)
				continue;
			tmask |= 1ull << T;
			for (i = 0; i < MAX_TROWS; i++)
				for (k = 0; k < 4; k++)
					masks[i][k] |= tmp[i][k];
		}
		if (!(tmask & 1ull << T_true)) {
			snprintf(why, sizeof(why),
				 "%s: the truth is not "
				 "feasible",
				 item);
			return why;
		}
		if (t_hidden && __builtin_popcountll(tmask) < 2) {
			snprintf(why, sizeof(why), "%s: its total", item);
			return why;
		}
		json_array_foreach(prows, i, prow)
		{
			const char *it = json_string_value(
				json_object_get(prow, "item"));

			if (it == NULL || strcmp(it, item) != 0)
				continue;
			pcells = json_object_get(prow, "cells");
			for (k = 0; k < json_array_size(pcells); k++)
				if (hidden_count(json_array_get(pcells, k),
						 "value") &&
				    __builtin_popcountll(masks[i][k]) < 2) {
					snprintf(why, sizeof(why),
						 "%s: row %zu, cell %zu", item,
						 i + 1, k + 1);
					return why;
				}
		}
	}
	return NULL;
}

/* What is wrong with pub, the published copy of orig under threshold t,
 * and csv, its CSV, other than row sums: a shown count that is not
 * true, a small one shown, an item's total shown in one row and hidden
 * in another, a hidden total with a cell of its breakdown shown, the
 * CSV telling another story, a rate of a hidden total. NULL if
 * nothing. */
static const char *
published_wrong(const json_t *orig, const json_t *pub, const char *csv, int t)
{
	const json_t *row, *prow, *cell, *pcell, *first;
	const char *p = csv, *it;
	char value[32];
	size_t i, k, at, n;
	long long v;
	bool hid;

	json_array_foreach(json_object_get(orig, "rows"), i, row)
	{
		prow = json_array_get(json_object_get(pub, "rows"), i);
		it = json_string_value(json_object_get(row, "item"));
		if (strcmp(json_string_value(json_object_get(row, "kind")),
			   "rate") == 0) {
			const json_t *a =
				item_row(json_object_get(pub, "rows"),
					 (int)count(row, "of_num"), &at);
			const json_t *b =
				item_row(json_object_get(pub, "rows"),
					 (int)count(row, "of_den"), &at);

			if (!json_is_true(
				    json_object_get(prow, "suppressed")) &&
			    (hidden_count(a, "total") ||
			     hidden_count(b, "total")))
				return "a rate of a hidden total is shown";
			p = strchr(p, '\n') + 1;
			continue;
		}
		first = item_row(json_object_get(pub, "rows"),
				 it != NULL ? it[1] - '0' : -1, &at);
		hid = hidden_count(prow, "total");
		v = count(row, "total");
		if (!hid && (v >= 1 && v < t))
			return "a small total is shown";
		if (!hid && !json_equal(prow, row) &&
		    json_object_get(row, "cells") == NULL)
			return "a shown row is not as it was";
		if (it != NULL && hid != hidden_count(first, "total"))
			return "an item's total is shown and hidden";
		n = (size_t)(strchr(p, '\r') - p);
		snprintf(value, sizeof(value), "%.*s", (int)n, p);
		if (strcmp(strrchr(value, ',') + 1, hid ? "x" : "") != 0 &&
		    (hid || atoll(strrchr(value, ',') + 1) != v))
			return "the CSV shows another total";
		p = strchr(p, '\n') + 1;
		json_array_foreach(json_object_get(row, "cells"), k, cell)
		{
			pcell = json_array_get(json_object_get(prow, "cells"),
					       k);
			v = count(cell, "value");
			if (hidden_count(pcell, "value")) {
				if (!json_is_true(json_object_get(
					    pcell, "suppressed")))
					return "a hidden cell is not flagged";
			} else {
				if (hid)
					return "a cell of a hidden total is "
					       "shown";
				if (v >= 1 && v < t)
					return "a small cell is shown";
				if (!json_equal(pcell, cell))
					return "a shown cell is not as it was";
			}
			n = (size_t)(strchr(p, '\r') - p);
			snprintf(value, sizeof(value), "%.*s", (int)n, p);
			if (hidden_count(pcell, "value")
				    ? strcmp(strrchr(value, ',') + 1, "x") != 0
				    : atoll(strrchr(value, ',') + 1) != v)
				return "the CSV shows another cell";
			p = strchr(p, '\n') + 1;
		}
	}
	return *p == '\0' ? NULL : "the CSV has more lines";
}

/* The brute-force reader is not blind: it solves a total shown in one
 * row and hidden in another (the old export's 6), hidden ones that add
 * up to their number, a hidden total of shown cells; and finds nothing
 * where two hidden cells can be split two ways. */
static void
the_brute_force_reader_finds_what_a_leak_gives_away(void **state)
{
	json_t *orig = doc(
		"[{\"kind\":\"count\",\"item\":\"I0\",\"total\":6},"
		"{\"kind\":\"count\",\"item\":\"I0\",\"total\":6,"
		"\"partitions\":true,\"cells\":[{\"value\":1},{\"value\":5},"
		"{\"value\":0}]},"
		"{\"kind\":\"count\",\"item\":\"I1\",\"total\":9,"
		"\"partitions\":true,\"cells\":[{\"value\":1},{\"value\":1},"
		"{\"value\":7}]},"
		"{\"kind\":\"count\",\"item\":\"I2\",\"total\":3,"
		"\"partitions\":true,\"cells\":[{\"value\":0},"
		"{\"value\":3}]}]");
	static const struct {
		const char *pub, *found;
	} cases[] = {
		{ "[{\"total\":6},{\"total\":null,\"cells\":[{\"value\":null},"
		  "{\"value\":5},{\"value\":0}]},"
		  "{\"total\":null,\"cells\":[{\"value\":null},{\"value\":null}"
		  ","
		  "{\"value\":null}]},"
		  "{\"total\":null,\"cells\":[{\"value\":null},"
		  "{\"value\":null}]}]",
		  "I0: row 2, cell 1" },
		{ "[{\"total\":6},{\"total\":6,\"cells\":[{\"value\":null},"
		  "{\"value\":null},{\"value\":0}]},"
		  "{\"total\":9,\"cells\":[{\"value\":null},{\"value\":null},"
		  "{\"value\":7}]},"
		  "{\"total\":null,\"cells\":[{\"value\":null},"
		  "{\"value\":null}]}]",
		  "I1: row 3, cell 1" },
		{ "[{\"total\":6},{\"total\":6,\"cells\":[{\"value\":null},"
		  "{\"value\":null},{\"value\":0}]},"
		  "{\"total\":9,\"cells\":[{\"value\":null},{\"value\":null},"
		  "{\"value\":null}]},"
		  "{\"total\":null,\"cells\":[{\"value\":0},"
		  "{\"value\":3}]}]",
		  "I2: its total" },
		{ "[{\"total\":6},{\"total\":6,\"cells\":[{\"value\":null},"
		  "{\"value\":null},{\"value\":0}]},"
		  "{\"total\":9,\"cells\":[{\"value\":null},{\"value\":null},"
		  "{\"value\":null}]},"
		  "{\"total\":null,\"cells\":[{\"value\":null},"
		  "{\"value\":null}]}]",
		  NULL },
	};
	const json_t *row;
	json_t *pub;
	size_t i, k;

	(void)state;
	for (k = 0; k < CTIP_NELEM(cases); k++) {
		pub = doc(cases[k].pub);
		/* The items and splits of orig, the counts of the case. */
		json_array_foreach(json_object_get(orig, "rows"), i, row)
		{
			json_t *prow =
				json_array_get(json_object_get(pub, "rows"), i);

			json_object_set(prow, "item",
					json_object_get(row, "item"));
			if (json_object_get(row, "partitions") != NULL)
				json_object_set(
					prow, "partitions",
					json_object_get(row, "partitions"));
		}
		if (cases[k].found == NULL)
			assert_null(given_away(orig, pub));
		else
			assert_string_equal(given_away(orig, pub),
					    cases[k].found);
		json_decref(pub);
	}
	json_decref(orig);
}

/* Add to *cells and *totals the counts of t or more that pub hides:
 * cells of shown totals, and totals. */
static void
secondary(int *cells, int *totals, const json_t *orig, const json_t *pub, int t)
{
	const json_t *row, *prow, *cell, *pcells;
	size_t i, k;

	json_array_foreach(json_object_get(orig, "rows"), i, row)
	{
		prow = json_array_get(json_object_get(pub, "rows"), i);
		pcells = json_object_get(prow, "cells");
		if (hidden_count(prow, "total")) {
			*totals += count(row, "total") >= t;
			continue;
		}
		json_array_foreach(json_object_get(row, "cells"), k, cell)
		{
			*cells += count(cell, "value") >= t &&
				  hidden_count(json_array_get(pcells, k),
					       "value");
		}
	}
}

/* Thousands of random small tables (a fixed seed), thresholds 2 to 6:
 * the published copy shows only true counts, no small one, an item's
 * total everywhere or nowhere, the same in CSV and JSON, and gives no
 * hidden count away through the row sums. Some tables must have needed
 * each kind of secondary suppression, or the test proves little. */
static void
random_tables_give_no_hidden_count_away(void **state)
{
	struct ctip_err err = { 0 };
	unsigned seed = 20260614, n;
	int t, n_cells = 0, n_totals = 0;
	json_t *r, *pub;
	const char *bad;
	char *csv;

	(void)state;
	for (n = 0; n < 10000; n++) {
		r = random_report(&seed);
		t = 2 + (int)rnd(&seed, 5);
		assert_int_equal(ctip_report_suppressed(&pub, r, t, &err),
				 CTIP_OK);
		csv = csv_of(r, t);
		bad = published_wrong(r, pub, csv, t);
		if (bad == NULL)
			bad = given_away(r, pub);
		if (bad != NULL) {
			char *text = json_dumps(r, JSON_COMPACT);

			fail_msg("threshold %d, %s: %s\n%s", t, bad, text, csv);
		}
		secondary(&n_cells, &n_totals, r, pub, t);
		free(csv);
		json_decref(pub);
		json_decref(r);
	}
	assert_true(n_cells > 100);
	assert_true(n_totals > 100);
}

/* ---- reading an XLSX back ---------------------------------------------- */

static unsigned
le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return (unsigned long)le16(p) | (unsigned long)le16(p + 2) << 16;
}

/*
 * Member name of zip z (n bytes), inflated, NUL-terminated, malloc'd;
 * NULL when there is no such member. Fails the test on a broken zip.
 */
static char *
zip_get(const unsigned char *z, size_t n, const char *name)
{
	size_t eocd, p, i, entries, data, csize, usize, nl;
	unsigned method;
	char *out;
	z_stream zs;

	assert_true(n >= 22);
	for (eocd = n - 22; le32(z + eocd) != 0x06054b50UL; eocd--)
		assert_true(eocd > 0);
	entries = le16(z + eocd + 10);
	p = le32(z + eocd + 16);
	for (i = 0; i < entries;
	     i++, p += 46 + nl + le16(z + p + 30) + le16(z + p + 32)) {
		assert_true(p + 46 <= n && le32(z + p) == 0x02014b50UL);
		nl = le16(z + p + 28);
		if (nl != strlen(name) || memcmp(z + p + 46, name, nl) != 0)
			continue;
		method = le16(z + p + 10);
		csize = le32(z + p + 20);
		usize = le32(z + p + 24);
		data = le32(z + p + 42);
		assert_true(data + 30 <= n && le32(z + data) == 0x04034b50UL);
		data += 30 + le16(z + data + 26) + le16(z + data + 28);
		assert_true(data + csize <= n);
		out = ctip_xmalloc(usize + 1);
		if (method == 0) {
			assert_int_equal(csize, usize);
			memcpy(out, z + data, usize);
		} else {
			assert_int_equal(method, 8);
			memset(&zs, 0, sizeof(zs));
			assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
			zs.next_in = (Bytef *)(uintptr_t)(z + data);
			zs.avail_in = (uInt)csize;
			zs.next_out = (Bytef *)out;
			zs.avail_out = (uInt)usize;
			assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
			assert_int_equal(zs.total_out, usize);
			inflateEnd(&zs);
		}
		out[usize] = '\0';
		return out;
	}
	return NULL;
}

/* XML text s[0..n) with its five entities replaced, malloc'd. */
static char *
unxml(const char *s, size_t n)
{
	static const char *const ent[][2] = {
		{ "&amp;", "&" },   { "&lt;", "<" },   { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&apos;", "'" },
	};
	char *out = ctip_xmalloc(n + 1), *o = out;
	size_t i, k;

	for (i = 0; i < n;) {
		for (k = 0; k < CTIP_NELEM(ent); k++)
			if (strncmp(s + i, ent[k][0], strlen(ent[k][0])) == 0)
				break;
		if (k < CTIP_NELEM(ent)) {
			*o++ = ent[k][1][0];
			i += strlen(ent[k][0]);
		} else {
			*o++ = s[i++];
		}
	}
	*o = '\0';
	return out;
}

struct cell {
	char ref[16];
	char *text; /* NULL for a number */
	double num;
};

struct sheet {
	struct cell cells[512];
	int n;
	char *strings[512]; /* the shared strings */
	int n_strings;
};

static void
sheet_free(struct sheet *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		free(s->cells[i].text);
	for (i = 0; i < s->n_strings; i++)
		free(s->strings[i]);
	memset(s, 0, sizeof(*s));
}

/* The text of every <t> in si[0..n). */
static char *
si_text(const char *si, size_t n)
{
	char *out = ctip_xstrdup(""), *part, *grown;
	const char *p = si, *end = si + n, *open, *close;

	while ((open = strstr(p, "<t")) != NULL && open < end) {
		if (open[2] != '>' && open[2] != ' ') {
			p = open + 2;
			continue;
		}
		open = strchr(open, '>') + 1;
		close = strstr(open, "</t>");
		assert_non_null(close);
		part = unxml(open, (size_t)(close - open));
		grown = ctip_xmalloc(strlen(out) + strlen(part) + 1);
		memcpy(grown, out, strlen(out));
		memcpy(grown + strlen(out), part, strlen(part) + 1);
		free(out);
		free(part);
		out = grown;
		p = close + 4;
	}
	return out;
}

/* Sheet no of workbook z (n bytes): its cells with values, strings
 * resolved. */
static void
sheet_read(struct sheet *s, const unsigned char *z, size_t n, int no)
{
	char name[64], *xml, *sst, *p, *end, *tag, *v, *ve;
	char type[16];
	long idx;

	memset(s, 0, sizeof(*s));
	sst = zip_get(z, n, "xl/sharedStrings.xml");
	for (p = sst; p != NULL && (p = strstr(p, "<si>")) != NULL;) {
		end = strstr(p, "</si>");
		assert_non_null(end);
		assert_true(s->n_strings < (int)CTIP_NELEM(s->strings));
		s->strings[s->n_strings++] = si_text(p, (size_t)(end - p));
		p = end + 5;
	}
	free(sst);
	snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", no);
	xml = zip_get(z, n, name);
	assert_non_null(xml);
	for (p = xml; (p = strstr(p, "<c r=\"")) != NULL; p = tag) {
		struct cell *c;

		tag = strchr(p, '>');
		assert_non_null(tag);
		if (tag[-1] == '/') /* a formatted blank */
			continue;
		end = strstr(tag, "</c>");
		v = strstr(tag, "<v>");
		if (v == NULL || v > end)
			continue;
		v += 3;
		ve = strstr(v, "</v>");
		assert_true(s->n < (int)CTIP_NELEM(s->cells));
		c = &s->cells[s->n++];
		assert_int_equal(sscanf(p, "<c r=\"%15[A-Z0-9]\"", c->ref), 1);
		type[0] = '\0';
		if (strstr(p, " t=\"") != NULL && strstr(p, " t=\"") < tag)
			sscanf(strstr(p, " t=\""), " t=\"%15[a-zA-Z]\"", type);
		if (strcmp(type, "s") == 0) {
			idx = strtol(v, NULL, 10);
			assert_true(idx >= 0 && idx < s->n_strings);
			c->text = ctip_xstrdup(s->strings[idx]);
		} else {
			assert_string_equal(type, "");
			c->num = strtod(v, NULL);
		}
		(void)ve;
	}
	free(xml);
}

static const struct cell *
cell_at(const struct sheet *s, const char *ref)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->cells[i].ref, ref) == 0)
			return &s->cells[i];
	return NULL;
}

/* The text of cell col+row; fails when it is a number or missing. */
static const char *
text_at(const struct sheet *s, char col, int row)
{
	char ref[16];
	const struct cell *c;

	snprintf(ref, sizeof(ref), "%c%d", col, row);
	c = cell_at(s, ref);
	if (c == NULL || c->text == NULL)
		fail_msg("%s is not a text cell", ref);
	return c->text;
}

/* The number of cell col+row; fails when it is a text or missing. */
static double
num_at(const struct sheet *s, char col, int row)
{
	char ref[16];
	const struct cell *c;

	snprintf(ref, sizeof(ref), "%c%d", col, row);
	c = cell_at(s, ref);
	if (c == NULL || c->text != NULL)
		fail_msg("%s is not a number cell", ref);
	return c->num;
}

/* The first row whose column col holds text t, 0 if none. */
static int
row_with(const struct sheet *s, char col, const char *t)
{
	int i, row;

	for (i = 0; i < s->n; i++)
		if (s->cells[i].ref[0] == col && s->cells[i].text != NULL &&
		    strcmp(s->cells[i].text, t) == 0 &&
		    sscanf(s->cells[i].ref + 1, "%d", &row) == 1)
			return row;
	return 0;
}

/* out = report r as a workbook under threshold in lang, in a private
 * TMPDIR that must be empty again afterwards. */
static void
xlsx_of(struct ctip_buf *out, const json_t *r, int threshold, const char *lang)
{
	char dir[64], *old = getenv("TMPDIR");
	struct ctip_err err = { 0 };
	DIR *d;
	struct dirent *e;
	int left = 0;

	old = old != NULL ? ctip_xstrdup(old) : NULL;
	assert_true(tmpdir_make(dir, sizeof(dir)));
	assert_int_equal(setenv("TMPDIR", dir, 1), 0);
	ctip_buf_init(out, LIMIT);
	if (ctip_report_xlsx(out, r, threshold, lang, &err) != CTIP_OK)
		fail_msg("ctip_report_xlsx: %s", err.msg);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		left += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(left, 0);
	tmpdir_remove(dir);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

/* ---- XLSX --------------------------------------------------------------- */

static void
xlsx_holds_the_totals_as_numbers_and_hidden_ones_as_x(void **state)
{
	const char *fixture = getenv("CTIP_XLSX_FIXTURE");
	const json_t *row, *cell;
	char sub[256];
	struct ctip_buf b;
	struct sheet s;
	json_t *r = report();
	size_t i, k;
	int at;

	(void)state;
	xlsx_of(&b, r, 5, "vi");
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "PK\x03\x04", 4);
	if (fixture != NULL)
		assert_true(file_put(fixture, b.data, b.len, 0644));
	sheet_read(&s, (const unsigned char *)b.data, b.len, 1);

	/* The top of the paper form. */
	assert_string_equal(text_at(&s, 'A', 1), "PHƯỜNG BA ĐÌNH");
	assert_string_equal(text_at(&s, 'C', 1),
			    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	assert_string_equal(text_at(&s, 'C', 2), "Độc lập - Tự do - Hạnh phúc");
	assert_string_equal(text_at(&s, 'A', 4),
			    "Báo cáo 6 tháng kết quả phòng, chống mua bán "
			    "người của xã");
	assert_string_equal(text_at(&s, 'A', 5),
			    "Kỳ báo cáo: 2026-H1 (từ 15/12/2025 đến "
			    "14/06/2026)");
	assert_string_equal(text_at(&s, 'A', 6),
			    "Căn cứ: Kế hoạch của Ban Chỉ đạo xã");
	assert_string_equal(text_at(&s, 'A', 7), "Hạn gửi báo cáo: 15/06/2026");
	assert_string_equal(text_at(&s, 'A', 9), "STT");
	assert_string_equal(text_at(&s, 'B', 9), "Chỉ tiêu");
	assert_string_equal(text_at(&s, 'C', 9), "Đơn vị tính");
	assert_string_equal(text_at(&s, 'D', 9), "Số liệu");
	assert_string_equal(text_at(&s, 'E', 9), "Chỉ tiêu KH / Đánh giá");
	assert_string_equal(text_at(&s, 'A', 11),
			    "I. Tiếp nhận, giải quyết tố giác, tin báo");

	/* Every count of the report, where its label is: a number when
	 * shown, else "x", whether small or hidden to protect a small one. */
	json_array_foreach(json_object_get(r, "rows"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "kind")),
			   "count") != 0)
			continue;
		at = row_with(
			&s, 'B',
			json_string_value(json_object_get(row, "label_vi")));
		assert_true(at > 0);
		assert_string_equal(
			text_at(&s, 'A', at),
			json_string_value(json_object_get(row, "no")));
		if (at == row_with(&s, 'B', "Số đã phân loại"))
			assert_string_equal(text_at(&s, 'D', at), "x");
		else
			assert_true(num_at(&s, 'D', at) ==
				    (double)json_integer_value(
					    json_object_get(row, "total")));
		json_array_foreach(json_object_get(row, "cells"), k, cell)
		{
			long long v = json_integer_value(
				json_object_get(cell, "value"));

			snprintf(sub, sizeof(sub), "- %s",
				 json_string_value(
					 json_object_get(cell, "label_vi")));
			assert_string_equal(text_at(&s, 'B', at + 1 + (int)k),
					    sub);
			if ((v >= 1 && v < 5) || strcmp(sub, "- Nam") == 0 ||
			    strcmp(sub, "- Nữ") == 0 ||
			    strcmp(sub, "- Từ 18 đến 30 tuổi") == 0 ||
			    strcmp(sub, "- Bóc lột tình dục") == 0)
				assert_string_equal(
					text_at(&s, 'D', at + 1 + (int)k), "x");
			else
				assert_true(num_at(&s, 'D', at + 1 + (int)k) ==
					    (double)v);
		}
	}
	at = row_with(&s, 'B', "Số người được tiếp nhận");
	assert_string_equal(text_at(&s, 'C', at), "người");
	at = row_with(&s, 'B', "Số tố giác, tin báo được tiếp nhận");
	assert_string_equal(text_at(&s, 'C', at), "tin");
	assert_int_equal(num_at(&s, 'D', at), 6);

	/* Rates: percent with one decimal, target and evaluation; a rate
	 * of a small count is not shown, nor is its evaluation. */
	at = row_with(&s, 'B', "Tỷ lệ tin báo được phân loại");
	assert_string_equal(text_at(&s, 'C', at), "%");
	assert_true(num_at(&s, 'D', at) == 83.3);
	assert_string_equal(text_at(&s, 'E', at), "≥ 100%: Chưa đạt");
	at = row_with(&s, 'B', "Tỷ lệ tin báo được giải quyết");
	assert_string_equal(text_at(&s, 'D', at), "—");
	assert_string_equal(text_at(&s, 'E', at), "> 90%");
	assert_true(row_with(&s, 'A', "V. Các chỉ tiêu của Chương trình") ==
		    at - 2);

	/* The bottom: the note, the date in Vietnam (20:00Z is the next
	 * morning there) and the signatures. */
	assert_true(row_with(&s, 'A',
			     "Ghi chú: “x”: không công bố để bảo vệ người có "
			     "liên quan (số nhỏ hơn 5, hoặc số ẩn thêm để "
			     "không suy ra được số nhỏ từ các số khác); “—”: "
			     "không có tỷ lệ hoặc tỷ lệ không công bố.") > at);
	assert_true(row_with(&s, 'C', "Ngày lập: 15/06/2026") > at);
	assert_true(row_with(&s, 'B', "NGƯỜI LẬP BIỂU") > at);
	assert_true(row_with(&s, 'C', "THỦ TRƯỞNG ĐƠN VỊ") > at);
	assert_true(row_with(&s, 'B', "(Ký, ghi rõ họ tên)") > at);
	/* One marker: no "<5" that would tell small counts from the
	 * others hidden. */
	assert_true(s.n_strings > 0);
	for (k = 0, i = 0; i < (size_t)s.n_strings; i++) {
		k += strcmp(s.strings[i], "x") == 0;
		assert_null(strstr(s.strings[i], "<5"));
	}
	assert_int_equal(k, 1);
	sheet_free(&s);

	/* No findings in a published copy: a sum check quotes the row's
	 * figures. */
	assert_null(zip_get((const unsigned char *)b.data, b.len,
			    "xl/worksheets/sheet2.xml"));
	ctip_buf_free(&b);

	/* The findings, on their own sheet, when nothing is suppressed. */
	xlsx_of(&b, r, 0, "vi");
	sheet_read(&s, (const unsigned char *)b.data, b.len, 2);
	assert_string_equal(text_at(&s, 'A', 1), "Mã");
	assert_string_equal(text_at(&s, 'A', 2), "IDENTIFIED_LE_RECEIVED");
	assert_string_equal(text_at(&s, 'B', 2), "Cảnh báo");
	assert_string_equal(text_at(&s, 'D', 2),
			    "Số người được xác định là nạn nhân lớn hơn số "
			    "người được tiếp nhận");
	sheet_free(&s);
	ctip_buf_free(&b);
	json_decref(r);
}

static void
xlsx_names_its_sheets_and_sets_a_title_but_no_author(void **state)
{
	struct ctip_buf b;
	json_t *r = report();
	char *wb, *core;

	(void)state;
	xlsx_of(&b, r, 0, "vi");
	wb = zip_get((const unsigned char *)b.data, b.len, "xl/workbook.xml");
	core = zip_get((const unsigned char *)b.data, b.len,
		       "docProps/core.xml");
	assert_non_null(wb);
	assert_non_null(core);
	assert_non_null(strstr(wb, "<sheet name=\"Báo cáo\""));
	assert_non_null(strstr(wb, "<sheet name=\"Kiểm tra\""));
	assert_non_null(strstr(core, "<dc:title>Báo cáo 6 tháng kết quả "
				     "phòng, chống mua bán người của xã"
				     "</dc:title>"));
	assert_non_null(strstr(core, "<dcterms:created xsi:type=\"dcterms:"
				     "W3CDTF\">2026-06-14T20:00:00Z"));
	assert_non_null(strstr(core, "<dc:creator></dc:creator>"));
	assert_non_null(
		strstr(core, "<cp:lastModifiedBy></cp:lastModifiedBy>"));
	free(wb);
	free(core);
	ctip_buf_free(&b);
	json_decref(r);
}

static void
xlsx_in_english_and_without_findings_has_one_sheet(void **state)
{
	struct ctip_buf b;
	struct sheet s;
	json_t *r = report();
	char *sheet2;
	int at;

	(void)state;
	json_object_set_new(r, "findings", json_array());
	xlsx_of(&b, r, 0, "en");
	sheet_read(&s, (const unsigned char *)b.data, b.len, 1);
	assert_string_equal(text_at(&s, 'A', 1), "PHƯỜNG BA ĐÌNH");
	assert_string_equal(text_at(&s, 'C', 1),
			    "SOCIALIST REPUBLIC OF VIET NAM");
	assert_string_equal(text_at(&s, 'A', 4),
			    "Commune half-year report on the prevention of "
			    "human trafficking");
	assert_string_equal(text_at(&s, 'A', 5),
			    "Reporting period: 2026-H1 (from 15/12/2025 to "
			    "14/06/2026)");
	assert_string_equal(text_at(&s, 'B', 9), "Indicator");
	at = row_with(&s, 'B', "- Unknown");
	assert_int_equal(num_at(&s, 'D', at), 1);
	assert_string_equal(text_at(&s, 'C', at), "persons");
	at = row_with(&s, 'B', "Share resolved");
	assert_true(num_at(&s, 'D', at) == 50.0);
	assert_string_equal(text_at(&s, 'E', at), "> 90%: Not met");
	assert_int_equal(row_with(&s, 'A', "Note: "), 0);
	assert_true(row_with(&s, 'B', "PREPARED BY") > at);
	sheet2 = zip_get((const unsigned char *)b.data, b.len,
			 "xl/worksheets/sheet2.xml");
	assert_null(sheet2);
	sheet_free(&s);
	ctip_buf_free(&b);
	json_decref(r);
}

static void
xlsx_without_a_temporary_directory_is_an_io_error(void **state)
{
	char *old = getenv("TMPDIR");
	struct ctip_buf b;
	struct ctip_err err = { 0 };
	json_t *r = report();

	(void)state;
	old = old != NULL ? ctip_xstrdup(old) : NULL;
	assert_int_equal(setenv("TMPDIR", "/nonexistent-ctip-tmp", 1), 0);
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_report_xlsx(&b, r, 5, "vi", &err), CTIP_EIO);
	assert_string_equal(err.msg, "could not create a temporary file in "
				     "\"/nonexistent-ctip-tmp\": No such "
				     "file or directory");
	assert_int_equal(b.len, 0);
	if (old != NULL)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	ctip_buf_free(&b);
	json_decref(r);
}

/* ---- the plan workbook (issue 7) --------------------------------------- */

static const char plan_json[] =
	"{\"id\":3,\"number\":\"12/KH-UBND\",\"title\":\"Kế hoạch phòng, chống "
	"mua bán người năm 2026\",\"issued_on\":\"2026-02-10\","
	"\"legal_basis\":\"Quyết định 33/QĐ-TTg\",\"unit_name\":\"Ủy ban nhân "
	"dân thành phố Hà Nội\",\"sections\":[{\"id\":7,\"number\":\"III\","
	"\"title\":\"NHIỆM VỤ\"}],\"tasks\":[{\"id\":1,\"section_id\":7,"
	"\"number\":\"1.1\",\"text\":\"Tuyên truyền trên báo, đài\","
	"\"expected_output\":\"Chuyên mục hằng tháng\",\"timing\":{\"kind\":"
	"\"yearly\",\"from\":\"07-01\",\"to\":\"09-30\"},\"lead\":[{"
	"\"unit_name\":\"Công an thành phố Hà Nội\",\"all_units\":false}],"
	"\"coordinate\":[{\"all_units\":true}],\"overdue\":false,"
	"\"progress\":[{\"unit_name\":\"Công an thành phố Hà Nội\","
	"\"period\":\"2026-H1\",\"status\":\"done\",\"evidence\":\"12 "
	"chuyên mục\",\"activities\":[{\"participants\":40},{"
	"\"participants\":60}]}]},{\"id\":2,\"section_id\":7,\"number\":"
	"\"1.2\",\"text\":\"Rà soát\",\"timing\":{\"kind\":\"once\","
	"\"due_on\":\"2026-03-31\"},\"lead\":[],\"coordinate\":[],"
	"\"overdue\":true,\"progress\":[]}]}";

static void
plan_xlsx_lists_tasks_and_their_progress(void **state)
{
	struct ctip_err err = { 0 };
	struct ctip_buf b;
	struct sheet s;
	json_error_t je;
	json_t *plan = json_loads(plan_json, 0, &je);
	int at;

	(void)state;
	assert_non_null(plan);
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_plan_xlsx(&b, plan, "vi", &err), CTIP_OK);
	sheet_read(&s, (const unsigned char *)b.data, b.len, 1);
	assert_non_null(text_at(&s, 'A', 1));
	assert_string_equal(text_at(&s, 'A', 1),
			    "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI");
	at = row_with(&s, 'A', "1.1");
	assert_true(at > 0);
	assert_string_equal(text_at(&s, 'B', at), "Tuyên truyền trên báo, đài");
	assert_string_equal(text_at(&s, 'C', at), "Công an thành phố Hà Nội");
	assert_string_equal(text_at(&s, 'D', at),
			    "Các sở, ban, ngành, địa phương");
	assert_string_equal(text_at(&s, 'E', at),
			    "Hằng năm, từ 01/07 đến 30/09");
	at = row_with(&s, 'A', "1.2");
	assert_string_equal(text_at(&s, 'E', at), "Trước ngày 31/03/2026");
	assert_true(row_with(&s, 'A', "III. NHIỆM VỤ") > 0);
	sheet_free(&s);
	sheet_read(&s, (const unsigned char *)b.data, b.len, 2);
	at = row_with(&s, 'A', "1.1");
	assert_string_equal(text_at(&s, 'E', at), "Hoàn thành");
	assert_string_equal(text_at(&s, 'F', at), "12 chuyên mục");
	assert_string_equal(text_at(&s, 'G', at),
			    "2 hoạt động (100 lượt người)");
	at = row_with(&s, 'A', "1.2");
	assert_string_equal(text_at(&s, 'E', at), "Quá hạn");
	sheet_free(&s);
	ctip_buf_free(&b);
	/* Not a plan; a bad language. */
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(
		ctip_plan_xlsx(&b, json_object_get(plan, "tasks"), "vi", &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "plan");
	assert_int_equal(ctip_plan_xlsx(&b, plan, "fr", &err), CTIP_EINVAL);
	assert_string_equal(err.field, "lang");
	assert_int_equal(b.len, 0);
	ctip_buf_free(&b);
	json_decref(plan);
}

/* Whether xml holds only characters XML 1.0 allows: valid UTF-8, no C0
 * control but tab, newline and carriage return, no U+FFFE or U+FFFF. */
static bool
xml_chars_legal(const char *xml)
{
	const char *p;

	if (!ctip_text_valid(xml, strlen(xml)))
		return false;
	for (p = xml; *p != '\0'; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' &&
		     *p != '\r') ||
		    strncmp(p, "\xEF\xBF\xBE", 3) == 0 ||
		    strncmp(p, "\xEF\xBF\xBF", 3) == 0)
			return false;
	return true;
}

static void
xlsx_text_and_properties_are_legal_xml(void **state)
{
	struct ctip_err err = { 0 };
	struct ctip_buf b;
	json_error_t je;
	json_t *plan = json_loads(plan_json, 0, &je), *r = report();
	char title[700], *core, *strings;
	int i;

	(void)state;
	assert_non_null(plan);
	/* A title with a control and a noncharacter, long enough for the
	 * property's fixed-size copy to cut a character in two. */
	memcpy(title, "T \x03\xEF\xBF\xBF", 6);
	for (i = 0; i < 200; i++)
		memcpy(title + 6 + 3 * i, "ệ", 3);
	title[6 + 3 * 200] = '\0';
	json_object_set_new(plan, "title", json_string(title));
	json_object_set_new(json_array_get(json_object_get(plan, "tasks"), 0),
			    "text",
			    json_string("a\xEF\xBF\xBF\xEF\xBF\xBE\x01z"));
	ctip_buf_init(&b, LIMIT);
	assert_int_equal(ctip_plan_xlsx(&b, plan, "vi", &err), CTIP_OK);
	core = zip_get((const unsigned char *)b.data, b.len,
		       "docProps/core.xml");
	strings = zip_get((const unsigned char *)b.data, b.len,
			  "xl/sharedStrings.xml");
	assert_non_null(core);
	assert_non_null(strings);
	assert_true(xml_chars_legal(core));
	assert_non_null(strstr(core, "<dc:title>T  \xEF\xBF\xBDệệ"));
	assert_true(xml_chars_legal(strings));
	assert_non_null(strstr(strings, "a\xEF\xBF\xBD\xEF\xBF\xBD z"));
	free(core);
	free(strings);
	ctip_buf_free(&b);

	/* The report's title from its form's name. */
	json_object_set_new(json_object_get(r, "form"), "name_vi",
			    json_string("B\x1F\xEF\xBF\xBE"));
	xlsx_of(&b, r, 0, "vi");
	core = zip_get((const unsigned char *)b.data, b.len,
		       "docProps/core.xml");
	assert_non_null(core);
	assert_true(xml_chars_legal(core));
	assert_non_null(strstr(core, "<dc:title>B \xEF\xBF\xBD</dc:title>"));
	free(core);
	ctip_buf_free(&b);
	json_decref(plan);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			csv_suppresses_small_counts_and_the_cell_that_would_give_one_away),
		cmocka_unit_test(
			csv_with_threshold_zero_suppresses_nothing_and_speaks_english),
		cmocka_unit_test(
			csv_hides_the_whole_breakdown_of_a_small_total_zeros_too),
		cmocka_unit_test(
			a_total_hidden_in_one_row_is_hidden_in_every_row_of_its_item),
		cmocka_unit_test(hidden_cells_never_add_up_to_an_answer),
		cmocka_unit_test(json_published_copy_hides_what_csv_hides),
		cmocka_unit_test(
			the_brute_force_reader_finds_what_a_leak_gives_away),
		cmocka_unit_test(random_tables_give_no_hidden_count_away),
		cmocka_unit_test(export_refuses_what_is_not_a_report),
		cmocka_unit_test(export_refuses_rows_without_counts),
		cmocka_unit_test(export_refuses_a_bad_threshold_or_language),
		cmocka_unit_test(
			export_past_the_buffer_limit_leaves_the_buffer_as_it_was),
		cmocka_unit_test(
			xlsx_holds_the_totals_as_numbers_and_hidden_ones_as_x),
		cmocka_unit_test(
			xlsx_names_its_sheets_and_sets_a_title_but_no_author),
		cmocka_unit_test(
			xlsx_in_english_and_without_findings_has_one_sheet),
		cmocka_unit_test(
			xlsx_without_a_temporary_directory_is_an_io_error),
		cmocka_unit_test(plan_xlsx_lists_tasks_and_their_progress),
		cmocka_unit_test(xlsx_text_and_properties_are_legal_xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_util.c: errors, arenas, buffers, the CSV reader and file helpers. */
#include "util/arena.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/text.h"

#include "helpers.h"

/* --- errors --- */

static void
err_set_returns_its_code_and_formats_the_message(void **state)
{
	struct ctip_err err = { 0 };

	(void)state;
	assert_int_equal(ctip_err_set(&err, CTIP_ENOTFOUND,
				      "record %d does not exist", 99),
			 CTIP_ENOTFOUND);
	assert_int_equal(err.code, CTIP_ENOTFOUND);
	assert_string_equal(err.msg, "record 99 does not exist");
	assert_string_equal(err.field, "");
}

static void
err_field_names_the_field_and_err_set_clears_it(void **state)
{
	struct ctip_err err = { 0 };

	(void)state;
	assert_int_equal(ctip_err_field(&err, CTIP_EINVAL, "sex",
					"sex: must be F, M or U"),
			 CTIP_EINVAL);
	assert_string_equal(err.field, "sex");
	assert_string_equal(err.msg, "sex: must be F, M or U");
	assert_int_equal(ctip_err_set(&err, CTIP_ESTORE, "disk full"),
			 CTIP_ESTORE);
	assert_string_equal(err.field, "");
	assert_int_equal(err.code, CTIP_ESTORE);
}

static void
err_set_takes_a_null_record_and_truncates(void **state)
{
	struct ctip_err err = { 0 };
	char big[600];

	(void)state;
	assert_int_equal(ctip_err_set(NULL, CTIP_EIO, "ignored"), CTIP_EIO);
	assert_int_equal(ctip_err_field(NULL, CTIP_EINVAL, "x", "ignored"),
			 CTIP_EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ctip_err_set(&err, CTIP_EINVAL, "%s", big);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
}

static void
err_truncates_on_a_whole_character(void **state)
{
	struct ctip_err err = { 0 };
	char big[600], field[100];
	size_t i;

	(void)state;
	/* "x: a" then 3-byte characters: 255 bytes end inside the 84th. */
	big[0] = 'a';
	for (i = 0; i < 190; i++)
		memcpy(big + 1 + 3 * i, "ữ", 3);
	big[1 + 3 * 190] = '\0';
	ctip_err_field(&err, CTIP_EINVAL, "x", "x: %s", big);
	assert_int_equal(strlen(err.msg), 4 + 3 * 83);
	assert_true(ctip_text_valid(err.msg, strlen(err.msg)));
	/* A field of 2-byte characters: 63 bytes end inside the 32nd. */
	for (i = 0; i < 40; i++)
		memcpy(field + 2 * i, "đ", 2);
	field[2 * 40] = '\0';
	ctip_err_field(&err, CTIP_EINVAL, field, "bad");
	assert_int_equal(strlen(err.field), 2 * 31);
	assert_true(ctip_text_valid(err.field, strlen(err.field)));
	/* A message that fits is left as it is. */
	ctip_err_set(&err, CTIP_EINVAL, "%s", "ữ\xe1");
	assert_string_equal(err.msg, "ữ\xe1");
}

static void
status_names_are_stable_and_distinct(void **state)
{
	static const enum ctip_status codes[] = {
		CTIP_OK,        CTIP_ENOTFOUND,  CTIP_EINVAL,    CTIP_EEXIST,
		CTIP_ECONFLICT, CTIP_ESTORE,     CTIP_ETOOBIG,   CTIP_EIO,
		CTIP_EAUTH,     CTIP_EFORBIDDEN, CTIP_EINTERNAL, CTIP_EMETHOD,
	};
	size_t i, j;

	(void)state;
	assert_string_equal(ctip_status_name(CTIP_OK), "ok");
	assert_string_equal(ctip_status_name(CTIP_ENOTFOUND), "not_found");
	assert_string_equal(ctip_status_name(CTIP_EINVAL), "invalid");
	assert_string_equal(ctip_status_name(CTIP_EEXIST), "exists");
	assert_string_equal(ctip_status_name(CTIP_ETOOBIG), "too_big");
	assert_string_equal(ctip_status_name((enum ctip_status) - 99),
			    "internal");
	for (i = 0; i < CTIP_NELEM(codes); i++)
		for (j = i + 1; j < CTIP_NELEM(codes); j++)
			assert_string_not_equal(ctip_status_name(codes[i]),
						ctip_status_name(codes[j]));
}

/* --- arena --- */

static void
arena_returns_null_past_its_limit_instead_of_crashing(void **state)
{
	struct ctip_arena a;

	(void)state;
	ctip_arena_init(&a, 100);
	assert_non_null(ctip_arena_alloc(&a, 64));
	assert_null(ctip_arena_alloc(&a, 64));
	assert_non_null(ctip_arena_alloc(&a, 16));
	assert_null(ctip_arena_alloc(&a, 32));
	assert_null(ctip_arena_alloc(&a, SIZE_MAX));
	assert_null(ctip_arena_alloc(&a, SIZE_MAX - 8));
	assert_null(ctip_arena_strdup(&a, "longer than what is left here"));
	assert_null(ctip_arena_printf(&a, "%0*d", 50, 7));
	assert_true(a.used <= a.limit);
	ctip_arena_free(&a);
}

static void
arena_memory_is_zeroed_aligned_and_distinct(void **state)
{
	struct ctip_arena a;
	unsigned char *p, *q;
	size_t i;

	(void)state;
	ctip_arena_init(&a, 1 << 20);
	p = ctip_arena_alloc(&a, 13);
	q = ctip_arena_alloc(&a, 40);
	assert_non_null(p);
	assert_non_null(q);
	assert_int_equal((uintptr_t)p % 16, 0);
	assert_int_equal((uintptr_t)q % 16, 0);
	assert_true(q >= p + 13 || p >= q + 40);
	for (i = 0; i < 40; i++)
		assert_int_equal(q[i], 0);
	memset(p, 0xff, 13);
	for (i = 0; i < 40; i++)
		assert_int_equal(q[i], 0);
	ctip_arena_free(&a);
}

static void
arena_serves_blocks_larger_than_a_chunk(void **state)
{
	struct ctip_arena a;
	unsigned char *big, *small;

	(void)state;
	ctip_arena_init(&a, 1 << 20);
	small = ctip_arena_alloc(&a, 8);
	big = ctip_arena_alloc(&a, 100000);
	assert_non_null(small);
	assert_non_null(big);
	memset(big, 0xab, 100000);
	assert_int_equal(big[99999], 0xab);
	assert_non_null(ctip_arena_alloc(&a, 8));
	assert_true(a.used >= 100016);
	ctip_arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
}

static void
arena_reset_reuses_memory_and_restores_the_budget(void **state)
{
	struct ctip_arena a;
	void *first, *again;
	int i;

	(void)state;
	ctip_arena_init(&a, 64 * 1024);
	first = ctip_arena_alloc(&a, 100);
	for (i = 0; i < 5; i++)
		assert_non_null(ctip_arena_alloc(&a, 10000));
	assert_null(ctip_arena_alloc(&a, 20000));
	ctip_arena_reset(&a);
	assert_int_equal(a.used, 0);
	/* The oldest chunk is kept and handed out again from the start. */
	again = ctip_arena_alloc(&a, 100);
	assert_ptr_equal(again, first);
	assert_non_null(ctip_arena_alloc(&a, 20000));
	ctip_arena_free(&a);
}

static void
arena_copies_and_formats_strings(void **state)
{
	struct ctip_arena a;
	const char *src = "Nguyễn Thị Đào";
	char *s;

	(void)state;
	ctip_arena_init(&a, 4096);
	s = ctip_arena_strdup(&a, src);
	assert_string_equal(s, src);
	assert_ptr_not_equal(s, src);
	s = ctip_arena_strndup(&a, "abcdef", 3);
	assert_string_equal(s, "abc");
	s = ctip_arena_printf(&a, "%s-%03d-%c", "P", 7, 'x');
	assert_string_equal(s, "P-007-x");
	s = ctip_arena_printf(&a, "%s", "");
	assert_string_equal(s, "");
	ctip_arena_free(&a);
}

/* --- buf --- */

static void
buf_grows_and_stays_nul_terminated(void **state)
{
	struct ctip_buf b;
	int i;

	(void)state;
	ctip_buf_init(&b, 1 << 20);
	assert_string_equal(ctip_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		assert_int_equal(ctip_buf_puts(&b, "0123456789"), CTIP_OK);
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(ctip_buf_str(&b)), 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(ctip_buf_printf(&b, "|%d|%s", 42, "x"), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b) + 10000, "|42|x");
	ctip_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(ctip_buf_str(&b), "");
	ctip_buf_free(&b);
	assert_null(b.data);
	assert_string_equal(ctip_buf_str(&b), "");
}

static void
buf_past_its_limit_is_too_big_and_unchanged(void **state)
{
	struct ctip_buf b;

	(void)state;
	ctip_buf_init(&b, 10);
	assert_int_equal(ctip_buf_puts(&b, "hello"), CTIP_OK);
	assert_int_equal(ctip_buf_puts(&b, "world!"), CTIP_ETOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(ctip_buf_str(&b), "hello");
	assert_int_equal(ctip_buf_printf(&b, "%d", 123456), CTIP_ETOOBIG);
	assert_string_equal(ctip_buf_str(&b), "hello");
	assert_int_equal(ctip_buf_add(&b, "x", SIZE_MAX), CTIP_ETOOBIG);
	assert_int_equal(b.len, 5);
	/* The limit itself may be reached, not passed. */
	assert_int_equal(ctip_buf_printf(&b, "%05d", 42), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), "hello00042");
	assert_int_equal(ctip_buf_add(&b, "!", 1), CTIP_ETOOBIG);
	assert_int_equal(b.len, 10);
	ctip_buf_free(&b);
}

static void
buf_holds_binary_bytes(void **state)
{
	struct ctip_buf b;

	(void)state;
	ctip_buf_init(&b, 64);
	assert_int_equal(ctip_buf_add(&b, "a\0b", 3), CTIP_OK);
	assert_int_equal(ctip_buf_add(&b, NULL, 0), CTIP_OK);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	ctip_buf_free(&b);
}

/* --- csv --- */

/* Read the next record and expect it to hold the n strings in want. */
static void
expect_record(struct ctip_csv *c, long line, int n, const char *const *want)
{
	struct ctip_err err = { 0 };
	int i;

	assert_int_equal(ctip_csv_next(c, &err), 1);
	assert_int_equal(c->line, line);
	assert_int_equal(c->n_fields, n);
	for (i = 0; i < n; i++)
		assert_string_equal(c->fields[i], want[i]);
}

static void
expect_end(struct ctip_csv *c)
{
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_csv_next(c, &err), 0);
	assert_int_equal(ctip_csv_next(c, &err), 0);
}

/* Expect text to fail on its first bad record with msg. */
static void
expect_csv_error(const char *text, size_t len, const char *msg)
{
	struct ctip_csv c;
	struct ctip_err err = { 0 };
	int r;

	ctip_csv_open(&c, text, len);
	while ((r = ctip_csv_next(&c, &err)) == 1)
		;
	assert_int_equal(r, CTIP_EINVAL);
	assert_int_equal(err.code, CTIP_EINVAL);
	assert_string_equal(err.msg, msg);
	ctip_csv_close(&c);
}

static void
csv_reads_quoted_fields_with_commas_and_doubled_quotes(void **state)
{
	static const char text[] =
		"code,name,note\n"
		"MONEY,\"Nhận tiền, tài sản\",\"say \"\"hi\"\"\"\n"
		"\"\",,\"\"\"\"\n";
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, text, strlen(text));
	expect_record(&c, 1, 3,
		      (const char *const[]){ "code", "name", "note" });
	expect_record(&c, 2, 3,
		      (const char *const[]){ "MONEY", "Nhận tiền, tài sản",
					     "say \"hi\"" });
	expect_record(&c, 3, 3, (const char *const[]){ "", "", "\"" });
	expect_end(&c);
	ctip_csv_close(&c);
}

static void
csv_keeps_line_breaks_inside_quotes_and_counts_lines(void **state)
{
	static const char text[] = "a,\"line one\nline two\",b\n"
				   "c,d,e\n";
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, text, strlen(text));
	/* A record is numbered by its first line, the next one counts
	 * the line break inside the quotes. */
	expect_record(&c, 1, 3,
		      (const char *const[]){ "a", "line one\nline two", "b" });
	expect_record(&c, 3, 3, (const char *const[]){ "c", "d", "e" });
	expect_end(&c);
	ctip_csv_close(&c);
}

static void
csv_accepts_crlf_and_skips_the_bom_and_blank_lines(void **state)
{
	static const char text[] = "\xEF\xBB\xBF"
				   "code,name\r\n"
				   "\r\n"
				   "\n"
				   "01,Kinh\r\n"
				   "02,\"Tày\r\nx\"\r\n"
				   "\r\n";
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, text, strlen(text));
	expect_record(&c, 1, 2, (const char *const[]){ "code", "name" });
	assert_int_equal(ctip_csv_find(&c, "code"), 0);
	expect_record(&c, 4, 2, (const char *const[]){ "01", "Kinh" });
	expect_record(&c, 5, 2, (const char *const[]){ "02", "Tày\r\nx" });
	expect_end(&c);
	ctip_csv_close(&c);
}

static void
csv_keeps_empty_fields_and_an_unended_last_line(void **state)
{
	static const char text[] = "a,,b,\n,\nlast,one";
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, text, strlen(text));
	expect_record(&c, 1, 4, (const char *const[]){ "a", "", "b", "" });
	expect_record(&c, 2, 2, (const char *const[]){ "", "" });
	expect_record(&c, 3, 2, (const char *const[]){ "last", "one" });
	expect_end(&c);
	ctip_csv_close(&c);
}

static void
csv_of_empty_or_blank_input_has_no_records(void **state)
{
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, "", 0);
	expect_end(&c);
	ctip_csv_close(&c);
	ctip_csv_open(&c, "\xEF\xBB\xBF\r\n\n\n", 6);
	expect_end(&c);
	ctip_csv_close(&c);
}

static void
csv_finds_header_fields_by_name(void **state)
{
	static const char text[] = "level,code,name\n";
	struct ctip_csv c;

	(void)state;
	ctip_csv_open(&c, text, strlen(text));
	assert_int_equal(ctip_csv_next(&c, NULL), 1);
	assert_int_equal(ctip_csv_find(&c, "level"), 0);
	assert_int_equal(ctip_csv_find(&c, "name"), 2);
	assert_int_equal(ctip_csv_find(&c, "Name"), -1);
	assert_int_equal(ctip_csv_find(&c, "nam"), -1);
	ctip_csv_close(&c);
}

static void
csv_refuses_an_unterminated_quote_naming_its_line(void **state)
{
	static const char text[] = "a,b\nc,d\ne,\"open\nstill open\n";

	(void)state;
	expect_csv_error(text, strlen(text),
			 "line 3: unterminated quoted field");
}

static void
csv_refuses_a_stray_quote_naming_its_line(void **state)
{
	static const char text[] = "a,b\n\nc,d\"e\n";

	(void)state;
	expect_csv_error(text, strlen(text),
			 "line 3: quote inside an unquoted field");
}

static void
csv_refuses_text_after_a_closing_quote(void **state)
{
	static const char text[] = "a,b\n\"c\"d,e\n";

	(void)state;
	expect_csv_error(text, strlen(text),
			 "line 2: text after a closing quote");
}

static void
csv_accepts_32_fields_and_refuses_33(void **state)
{
	char text[256];
	struct ctip_csv c;
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < CTIP_CSV_MAX_FIELDS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%d",
				      i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
	ctip_csv_open(&c, text, n);
	assert_int_equal(ctip_csv_next(&c, NULL), 1);
	assert_int_equal(c.n_fields, CTIP_CSV_MAX_FIELDS);
	assert_string_equal(c.fields[31], "31");
	ctip_csv_close(&c);

	n--; /* drop the newline and add a 33rd field */
	n += (size_t)snprintf(text + n, sizeof(text) - n, ",32\n");
	expect_csv_error(text, n, "line 1: more than 32 fields");
}

static void
csv_refuses_invalid_utf8_naming_line_and_field(void **state)
{
	static const char text[] = "code,name\n01,Kinh\n02,T\xe0y\n";
	static const char overlong[] = "a\n\"b\",\"\xc0\x80\"\n";

	(void)state;
	expect_csv_error(text, strlen(text),
			 "line 3: field 2 is not valid UTF-8");
	expect_csv_error(overlong, strlen(overlong),
			 "line 2: field 2 is not valid UTF-8");
}

static void
csv_refuses_a_nul_byte_instead_of_truncating_the_field(void **state)
{
	/* "ab\0cd" must not be read as "ab". */
	static const char text[] = "code,name\n01,ab\0cd\n";

	(void)state;
	expect_csv_error(text, sizeof(text) - 1,
			 "line 2: field 2 is not valid UTF-8");
}

/* --- json --- */

/* ctip_json_write(j) must be exactly jansson's compact text of j. */
static void
assert_json_like_jansson(const json_t *j)
{
	char *want = json_dumps(j, CTIP_JSON_FLAGS | JSON_ENCODE_ANY);
	struct ctip_buf b;

	assert_non_null(want);
	ctip_buf_init(&b, 1 << 20);
	assert_int_equal(ctip_json_write(&b, j), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), want);
	assert_int_equal(b.len, strlen(want));
	ctip_buf_free(&b);
	free(want);
}

static void
json_write_matches_jansson_on_every_kind_of_value(void **state)
{
	struct ctip_buf b;
	char all_controls[64];
	json_t *j;
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		all_controls[i] = (char)(i + 1 == 32 ? 0x7f : i + 1);
	all_controls[32] = '\0';
	j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:f, s:f, s:f, "
		      "s:f, s:b, s:b, s:n, s:[], s:{}, s:[i, [], {}, [s]], "
		      "s:{s:{s:[n]}}}",
		      "vi", "Nguyễn Thị Đào, Phường Ba Đình", "escapes",
		      "quote \" backslash \\ slash / tab \t cr \r lf \n",
		      "controls", all_controls, "astral", "🧾 U+1F9FE",
		      "zero", (json_int_t)0, "min", (json_int_t)INT64_MIN,
		      "max", (json_int_t)INT64_MAX, "tenth", 0.1, "big", 1e300,
		      "whole", 3.0, "negative", -2.5, "yes", 1, "no", 0,
		      "nothing", "empty_array", "empty_object", "nested", 7,
		      "x", "deep", "a", "b");
	assert_non_null(j);
	/* A NUL inside a string and inside a key (json_stringn,
	 * json_object_setn). */
	json_object_set_new(j, "nul", json_stringn("a\0b", 3));
	json_object_setn_new(j, "k\0ey", 4, json_true());
	assert_json_like_jansson(j);
	assert_json_like_jansson(json_object_get(j, "escapes"));
	assert_json_like_jansson(json_object_get(j, "tenth"));
	json_decref(j);
	/* Reals read as written, not as their nearest binary expansion. */
	j = json_pack("[f, f, f, f]", 0.9, 0.8462, 0.6667, 2.5);
	ctip_buf_init(&b, 1 << 10);
	assert_int_equal(ctip_json_write(&b, j), CTIP_OK);
	assert_string_equal(ctip_buf_str(&b), "[0.9,0.8462,0.6667,2.5]");
	ctip_buf_free(&b);
	json_decref(j);
}

static void
json_write_matches_jansson_on_random_documents(void **state)
{
	static const char *const words[] = {
		"", "a", "Đ", "\"", "\\", "\n", "\x1f", "/", "ễ", "mười",
	};
	uint64_t seed = 20261124;
	json_t *stack[8], *v;
	int i, depth = 0;

	(void)state;
	stack[0] = json_object();
	for (i = 0; i < 5000; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		switch ((seed >> 33) % 7) {
		case 0:
			v = json_string(words[(seed >> 40) % 10]);
			break;
		case 1:
			v = json_integer((json_int_t)(seed >> 20) - 1000);
			break;
		case 2:
			v = json_real((double)(seed >> 40) / 7.0);
			break;
		case 3:
			v = json_boolean((seed >> 40) & 1);
			break;
		case 4:
			v = json_null();
			break;
		case 5:
			v = json_array();
			break;
		default:
			v = json_object();
			break;
		}
		if (json_is_array(stack[depth]))
			json_array_append(stack[depth], v);
		else
			json_object_set(stack[depth], words[(seed >> 44) % 10],
					v);
		if ((json_is_array(v) || json_is_object(v)) && depth < 7)
			stack[++depth] = v;
		else if (depth > 0 && (seed >> 50) % 3 == 0)
			depth--;
		json_decref(v);
	}
	assert_json_like_jansson(stack[0]);
	json_decref(stack[0]);
}

static void
json_write_past_the_limit_is_too_big(void **state)
{
	json_t *j = json_pack("{s:s}", "k", "a value longer than the limit");
	struct ctip_buf b;

	(void)state;
	ctip_buf_init(&b, 16);
	assert_int_equal(ctip_json_write(&b, j), CTIP_ETOOBIG);
	ctip_buf_free(&b);
	json_decref(j);
}

/* --- fs --- */

struct fs_fixture {
	char dir[64];
	char path[128];
};

static int
fs_setup(void **state)
{
	struct fs_fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || !tmpdir_make(f->dir, sizeof(f->dir)))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/file", f->dir);
	*state = f;
	return 0;
}

static int
fs_teardown(void **state)
{
	struct fs_fixture *f = *state;

	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

static void
fs_read_of_a_missing_file_is_notfound(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char *data = NULL;
	size_t len = 0;

	assert_int_equal(ctip_fs_read(&data, &len, f->path, 100, &err),
			 CTIP_ENOTFOUND);
	assert_null(data);
	assert_non_null(strstr(err.msg, f->path));
}

static void
fs_read_returns_the_whole_file_nul_terminated(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char *data = NULL;
	size_t len = 0;

	assert_true(file_put(f->path, "ab\0cd", 5, 0600));
	assert_int_equal(ctip_fs_read(&data, &len, f->path, 5, &err), CTIP_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "ab\0cd", 6);
	free(data);

	assert_true(file_put(f->path, "", 0, 0600));
	assert_int_equal(ctip_fs_read(&data, &len, f->path, 0, &err), CTIP_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
}

static void
fs_read_past_the_limit_is_too_big(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char *data = NULL;
	size_t len = 0;

	assert_true(file_puts(f->path, "0123456789"));
	assert_int_equal(ctip_fs_read(&data, &len, f->path, 9, &err),
			 CTIP_ETOOBIG);
	assert_null(data);
	assert_non_null(strstr(err.msg, "larger than 9 bytes"));
}

static void
fs_read_of_a_directory_is_an_io_error(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char *data = NULL;
	size_t len = 0;

	assert_int_equal(ctip_fs_read(&data, &len, f->dir, 100, &err),
			 CTIP_EIO);
	assert_null(data);
}

static void
fs_write_new_is_private_and_never_overwrites(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	size_t len = 0;
	char *got;

	assert_int_equal(ctip_fs_write_new(f->path, "secret", 6, &err),
			 CTIP_OK);
	assert_int_equal(file_mode(f->path), 0600);
	assert_int_equal(ctip_fs_write_new(f->path, "other", 5, &err),
			 CTIP_EEXIST);
	got = file_get(f->path, &len);
	assert_non_null(got);
	assert_string_equal(got, "secret");
	free(got);
}

static void
fs_write_new_in_a_missing_directory_is_an_io_error(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/file", f->dir);
	assert_int_equal(ctip_fs_write_new(path, "x", 1, &err), CTIP_EIO);
	assert_false(file_exists(path));
}

static void
fs_replace_swaps_contents_and_stays_private(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char side[160];
	size_t len = 0;
	char *got;

	assert_true(file_put(f->path, "old", 3, 0644));
	assert_int_equal(ctip_fs_replace(f->path, "new text", 8, &err),
			 CTIP_OK);
	got = file_get(f->path, &len);
	assert_non_null(got);
	assert_string_equal(got, "new text");
	free(got);
	assert_int_equal(file_mode(f->path), 0600);
	snprintf(side, sizeof(side), "%s.new", f->path);
	assert_false(file_exists(side));
	/* A stale temp file from a crash does not block the next one. */
	assert_true(file_puts(side, "stale"));
	assert_int_equal(ctip_fs_replace(f->path, "newer", 5, &err), CTIP_OK);
	got = file_get(f->path, &len);
	assert_string_equal(got, "newer");
	free(got);
}

static void
fs_mkparent_creates_private_directories_and_may_repeat(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char path[192], dir[192];

	snprintf(path, sizeof(path), "%s/a/b/c/file.db", f->dir);
	assert_int_equal(ctip_fs_mkparent(path, &err), CTIP_OK);
	snprintf(dir, sizeof(dir), "%s/a/b/c", f->dir);
	assert_int_equal(file_mode(dir), 0700);
	snprintf(dir, sizeof(dir), "%s/a", f->dir);
	assert_int_equal(file_mode(dir), 0700);
	assert_false(file_exists(path));
	assert_int_equal(ctip_fs_mkparent(path, &err), CTIP_OK);
	assert_int_equal(ctip_fs_mkparent("file-in-cwd", &err), CTIP_OK);
	assert_int_equal(ctip_fs_mkparent("/top-level", &err), CTIP_OK);
}

static void
fs_mkparent_through_a_file_is_an_io_error(void **state)
{
	struct fs_fixture *f = *state;
	struct ctip_err err = { 0 };
	char path[192];

	assert_true(file_puts(f->path, "x"));
	snprintf(path, sizeof(path), "%s/sub/db", f->path);
	assert_int_equal(ctip_fs_mkparent(path, &err), CTIP_EIO);
	assert_non_null(strstr(err.msg, "could not create directory"));
}

#define FS_TEST(t) cmocka_unit_test_setup_teardown(t, fs_setup, fs_teardown)

/* The map keeps every key through its growth, updates in place, and says
 * when its keys' room is used up, changing nothing. */
static void
strmap_keeps_keys_through_growth_and_refuses_past_its_room(void **state)
{
	struct ctip_strmap m;
	char key[32];
	int i;

	(void)state;
	ctip_strmap_init(&m, 64 * 1024);
	assert_int_equal(ctip_strmap_get(&m, "A1"), 0);
	for (i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "ref-%d", i);
		assert_true(ctip_strmap_put(&m, key, i + 1));
	}
	for (i = 0; i < 3000; i++) {
		snprintf(key, sizeof(key), "ref-%d", i);
		assert_int_equal(ctip_strmap_get(&m, key), i + 1);
	}
	assert_int_equal(ctip_strmap_get(&m, "ref-3000"), 0);
	assert_true(ctip_strmap_put(&m, "ref-7", 99));
	assert_int_equal(ctip_strmap_get(&m, "ref-7"), 99);
	assert_int_equal(m.n, 3000);
	ctip_strmap_free(&m);

	ctip_strmap_init(&m, 16);
	assert_true(ctip_strmap_put(&m, "short", 1));
	assert_false(ctip_strmap_put(&m, "a key longer than the room", 2));
	assert_int_equal(ctip_strmap_get(&m, "a key longer than the room"), 0);
	assert_int_equal(m.n, 1);
	ctip_strmap_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			err_set_returns_its_code_and_formats_the_message),
		cmocka_unit_test(
			err_field_names_the_field_and_err_set_clears_it),
		cmocka_unit_test(err_set_takes_a_null_record_and_truncates),
		cmocka_unit_test(err_truncates_on_a_whole_character),
		cmocka_unit_test(status_names_are_stable_and_distinct),
		cmocka_unit_test(
			arena_returns_null_past_its_limit_instead_of_crashing),
		cmocka_unit_test(arena_memory_is_zeroed_aligned_and_distinct),
		cmocka_unit_test(arena_serves_blocks_larger_than_a_chunk),
		cmocka_unit_test(
			arena_reset_reuses_memory_and_restores_the_budget),
		cmocka_unit_test(arena_copies_and_formats_strings),
		cmocka_unit_test(buf_grows_and_stays_nul_terminated),
		cmocka_unit_test(buf_past_its_limit_is_too_big_and_unchanged),
		cmocka_unit_test(buf_holds_binary_bytes),
		cmocka_unit_test(
			csv_reads_quoted_fields_with_commas_and_doubled_quotes),
		cmocka_unit_test(
			csv_keeps_line_breaks_inside_quotes_and_counts_lines),
		cmocka_unit_test(
			csv_accepts_crlf_and_skips_the_bom_and_blank_lines),
		cmocka_unit_test(
			csv_keeps_empty_fields_and_an_unended_last_line),
		cmocka_unit_test(csv_of_empty_or_blank_input_has_no_records),
		cmocka_unit_test(csv_finds_header_fields_by_name),
		cmocka_unit_test(
			csv_refuses_an_unterminated_quote_naming_its_line),
		cmocka_unit_test(csv_refuses_a_stray_quote_naming_its_line),
		cmocka_unit_test(csv_refuses_text_after_a_closing_quote),
		cmocka_unit_test(csv_accepts_32_fields_and_refuses_33),
		cmocka_unit_test(
			csv_refuses_invalid_utf8_naming_line_and_field),
		cmocka_unit_test(
			csv_refuses_a_nul_byte_instead_of_truncating_the_field),
		cmocka_unit_test(
			strmap_keeps_keys_through_growth_and_refuses_past_its_room),
		cmocka_unit_test(
			json_write_matches_jansson_on_every_kind_of_value),
		cmocka_unit_test(
			json_write_matches_jansson_on_random_documents),
		cmocka_unit_test(json_write_past_the_limit_is_too_big),
		FS_TEST(fs_read_of_a_missing_file_is_notfound),
		FS_TEST(fs_read_returns_the_whole_file_nul_terminated),
		FS_TEST(fs_read_past_the_limit_is_too_big),
		FS_TEST(fs_read_of_a_directory_is_an_io_error),
		FS_TEST(fs_write_new_is_private_and_never_overwrites),
		FS_TEST(fs_write_new_in_a_missing_directory_is_an_io_error),
		FS_TEST(fs_replace_swaps_contents_and_stays_private),
		FS_TEST(fs_mkparent_creates_private_directories_and_may_repeat),
		FS_TEST(fs_mkparent_through_a_file_is_an_io_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

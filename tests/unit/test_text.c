/* test_text.c: the Vietnamese text core on real names. */
#include "util/text.h"

#include <setjmp.h>
#include <cmocka.h>

static void
key_of(const char *in, const char *want)
{
	char out[256];

	assert_true(ctip_text_key(out, sizeof(out), in) >= 0);
	assert_string_equal(out, want);
}

static void
search_key_drops_marks_and_folds_d(void **state)
{
	(void)state;
	key_of("Nguyễn Thị Đào", "nguyen thi dao");
	/* Đ's look-alikes: Ð (U+00D0, eth) from legacy encodings, ð, Ɖ, ɖ. */
	key_of("Ðặng Văn ðức", "dang van duc");
	key_of("Ɖoàn ɖông", "doan dong");
	key_of("ĐẶNG Văn Ưng", "dang van ung");
	key_of("Phạm Thị Ỷ", "pham thi y");
	key_of("Lê Quý Đôn", "le quy don");
	key_of("Giàng A Páo", "giang a pao");
	key_of("Hoàng Thị Thuỳ Dương", "hoang thi thuy duong");
	/* Compatibility forms: fullwidth letters (East Asian keyboards and
	 * documents), a ligature, a circled digit. */
	key_of("\xef\xbc\xae\xef\xbd\x87\xef\xbd\x95\xef\xbd\x99\xe1\xbb\x85"
	       "\xef\xbd\x8e Thị Đào",
	       "nguyen thi dao");
	key_of("\xef\xac\x81lm \xe2\x91\xa0", "film 1");
}

static void
search_key_is_the_same_for_nfc_and_nfd_input(void **state)
{
	/* "Nguyễn" composed and as n-g-u-y-e + circumflex + tilde */
	char a[64], b[64];

	(void)state;
	assert_true(ctip_text_key(a, sizeof(a), "Nguy\xe1\xbb\x85n") > 0);
	assert_true(ctip_text_key(b, sizeof(b), "Nguye\xcc\x82\xcc\x83n") > 0);
	assert_string_equal(a, b);
	assert_string_equal(a, "nguyen");
}

static void
search_key_collapses_spaces_and_punctuation(void **state)
{
	(void)state;
	key_of("  Trần   Văn\tAn  ", "tran van an");
	key_of("Bùi-Thị, Xuân.", "bui thi xuan");
	key_of("", "");
}

static void
search_key_keeps_digits(void **state)
{
	(void)state;
	key_of("Tổ dân phố 5", "to dan pho 5");
}

static void
search_key_refuses_invalid_utf8_and_short_buffers(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(ctip_text_key(out, sizeof(out), "abc\xff"), -1);
	assert_int_equal(ctip_text_key(out, sizeof(out), "Nguyễn Thị Đào"), -1);
	assert_int_equal(ctip_text_key(out, sizeof(out), "Đào"), 3);
	assert_string_equal(out, "dao");
}

static void
nfc_composes_and_trims(void **state)
{
	struct ctip_arena a;
	struct ctip_err err = { 0 };
	char *out;

	(void)state;
	ctip_arena_init(&a, 4096);
	assert_int_equal(
		ctip_text_nfc(&out, &a, "  Nguye\xcc\x82\xcc\x83n ", &err),
		CTIP_OK);
	assert_string_equal(out, "Nguy\xe1\xbb\x85n");
	ctip_arena_free(&a);
}

static void
fold_lowers_vietnamese_capitals(void **state)
{
	struct ctip_arena a;
	struct ctip_err err = { 0 };
	char *out;

	(void)state;
	ctip_arena_init(&a, 4096);
	assert_int_equal(ctip_text_fold(&out, &a, "ĐÀO THỊ ỶN", &err), CTIP_OK);
	assert_string_equal(out, "đào thị ỷn");
	assert_int_equal(ctip_text_fold(&out, &a, "bad\xc3", &err),
			 CTIP_EINVAL);
	ctip_arena_free(&a);
}

static void
text_check_refuses_controls_and_bidi_overrides(void **state)
{
	struct ctip_err err = { 0 };

	(void)state;
	/* Free text keeps its tabs and line breaks. */
	assert_int_equal(ctip_text_check("Dòng một\r\n\tdòng hai", 100, true,
					 "summary", &err),
			 CTIP_OK);
	/* An escape sequence, and a name that displays reversed. */
	assert_int_equal(
		ctip_text_check("Lan\x1b[2J", 100, true, "full_name", &err),
		CTIP_EINVAL);
	assert_string_equal(err.field, "full_name");
	assert_string_equal(err.msg,
			    "full_name: holds a control character (U+001B)");
	assert_int_equal(ctip_text_check("Nguy\xe2\x80\xaen Lan", 100, true,
					 "full_name", &err),
			 CTIP_EINVAL);
	assert_string_equal(err.msg,
			    "full_name: holds a control character (U+202E)");
	assert_int_equal(ctip_text_check("\xe2\x81\xa6"
					 "ab\xe2\x81\xa9",
					 100, false, "number", &err),
			 CTIP_EINVAL);
	assert_int_equal(ctip_text_check("\xc2\x85", 100, false, "note", &err),
			 CTIP_EINVAL);
}

static void
validity_and_length_count_code_points(void **state)
{
	(void)state;
	assert_true(ctip_text_valid("Đào", strlen("Đào")));
	assert_false(ctip_text_valid("\xc0\x80", 2)); /* overlong NUL */
	assert_false(ctip_text_valid("a\0b", 3));
	assert_false(ctip_text_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_int_equal(ctip_text_length("Nguyễn"), 6);
}

static void
cut_never_ends_inside_a_character(void **state)
{
	const char *s = "aữ😀"; /* 1, 3 and 4 bytes */

	(void)state;
	assert_int_equal(ctip_text_cut(s, 8), 8);
	assert_int_equal(ctip_text_cut(s, 7), 4);
	assert_int_equal(ctip_text_cut(s, 5), 4);
	assert_int_equal(ctip_text_cut(s, 4), 4);
	assert_int_equal(ctip_text_cut(s, 3), 1);
	assert_int_equal(ctip_text_cut(s, 2), 1);
	assert_int_equal(ctip_text_cut(s, 1), 1);
	assert_int_equal(ctip_text_cut(s, 0), 0);
	assert_int_equal(ctip_text_cut("Đ", 1), 0);
	/* Bytes that were never UTF-8 are left for ctip_text_scrub. */
	assert_int_equal(ctip_text_cut("a\xff", 2), 2);
	assert_int_equal(ctip_text_cut("\x80\x80\x80\x80", 4), 4);
}

static void
scrub_replaces_bad_bytes_and_keeps_the_rest(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ctip_text_scrub(out, sizeof(out), "Đào"),
			 strlen("Đào"));
	assert_string_equal(out, "Đào");
	ctip_text_scrub(out, sizeof(out),
			"a\xff\xfe"
			"b");
	assert_string_equal(out, "a\uFFFD\uFFFD"
				 "b");
	/* Overlong, surrogate, and a character cut short. */
	ctip_text_scrub(out, sizeof(out), "\xc0\x80|\xed\xa0\x80|\xe1\xbb");
	assert_string_equal(out, "\uFFFD\uFFFD|\uFFFD\uFFFD\uFFFD|"
				 "\uFFFD\uFFFD");
	assert_true(ctip_text_valid(out, strlen(out)));
	ctip_text_scrub(out, sizeof(out), "");
	assert_string_equal(out, "");
}

static void
scrub_stops_before_a_character_that_does_not_fit(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(ctip_text_scrub(out, sizeof(out), "ab\xff"), 2 + 3);
	assert_string_equal(out, "ab\uFFFD");
	assert_int_equal(ctip_text_scrub(out, sizeof(out), "abc\xff"), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(ctip_text_scrub(out, sizeof(out), "aaữữ"), 5);
	assert_string_equal(out, "aaữ");
	assert_int_equal(ctip_text_scrub(out, 1, "ữ"), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(search_key_drops_marks_and_folds_d),
		cmocka_unit_test(search_key_is_the_same_for_nfc_and_nfd_input),
		cmocka_unit_test(search_key_collapses_spaces_and_punctuation),
		cmocka_unit_test(search_key_keeps_digits),
		cmocka_unit_test(
			search_key_refuses_invalid_utf8_and_short_buffers),
		cmocka_unit_test(nfc_composes_and_trims),
		cmocka_unit_test(fold_lowers_vietnamese_capitals),
		cmocka_unit_test(validity_and_length_count_code_points),
		cmocka_unit_test(
			text_check_refuses_controls_and_bidi_overrides),
		cmocka_unit_test(cut_never_ends_inside_a_character),
		cmocka_unit_test(scrub_replaces_bad_bytes_and_keeps_the_rest),
		cmocka_unit_test(
			scrub_stops_before_a_character_that_does_not_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

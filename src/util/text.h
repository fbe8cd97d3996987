/* text.h: Vietnamese text core: validation, NFC, case folding and the
 * diacritic-free search key. */
#ifndef CTIP_TEXT_H
#define CTIP_TEXT_H

#include "util/arena.h"
#include "util/err.h"

/* True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool ctip_text_valid(const char *s, size_t n);

/*
 * The length of s[0..n) without an incomplete UTF-8 character at its end:
 * n, or less when the last bytes begin a character whose other bytes lie
 * past n (text cut on a byte to fit a buffer). Only the end is looked at.
 */
size_t ctip_text_cut(const char *s, size_t n);

/*
 * Copy s into out (cap > 0 bytes, NUL-terminated) as valid UTF-8: each
 * byte that does not begin a well-formed character becomes U+FFFD, and
 * the copy stops before a character that does not fit. Returns the
 * number of bytes written, not counting the NUL.
 */
size_t ctip_text_scrub(char *out, size_t cap, const char *s);

/* Whether s (which may be NULL) is one of the NULL-terminated set. */
bool ctip_one_of(const char *s, const char *const *set);

/* Number of code points in valid UTF-8 s. */
size_t ctip_text_length(const char *s);

/* Whether s is NULL, empty or only white space (spaces, tabs, line
 * breaks): a value that says nothing. */
bool ctip_text_blank(const char *s);

/*
 * Check the text input field: s (which may be NULL) must be valid UTF-8
 * of at most max code points. When required, NULL, "" and white space
 * alone are missing; when not, NULL and "" pass. On failure err names
 * field and says "FIELD: required", "FIELD: not valid UTF-8", "FIELD:
 * longer than N characters" or "FIELD: holds a control character
 * (U+XXXX)" (control characters but tab and line breaks, and the
 * bidirectional overrides, embeddings and isolates, which make a text
 * display as another). CTIP_OK or CTIP_EINVAL.
 */
CTIP_MUST_CHECK enum ctip_status ctip_text_check(const char *s, size_t max,
						 bool required,
						 const char *field,
						 struct ctip_err *err);

/*
 * *out = s in Unicode NFC with surrounding white space trimmed, allocated
 * in a. CTIP_EINVAL if s is not valid UTF-8, CTIP_ETOOBIG if the arena is
 * full.
 */
CTIP_MUST_CHECK enum ctip_status ctip_text_nfc(char **out, struct ctip_arena *a,
					       const char *s,
					       struct ctip_err *err);

/* As ctip_text_nfc, and case folded ("ĐÀO" -> "đào"). */
CTIP_MUST_CHECK enum ctip_status ctip_text_fold(char **out,
						struct ctip_arena *a,
						const char *s,
						struct ctip_err *err);

/*
 * The search key of s into out (cap bytes, NUL-terminated): case folded,
 * combining marks removed, đ/Đ (and their look-alikes) as d,
 * compatibility forms as the letters they stand for (fullwidth Ｎ as n),
 * every run of characters that are not
 * letters or digits turned into one space, trimmed. "Nguyễn Thị Đào" ->
 * "nguyen thi dao". Returns the key's length, or -1 if s is not valid
 * UTF-8 or the key does not fit in cap bytes.
 */
long ctip_text_key(char *out, size_t cap, const char *s);

#endif

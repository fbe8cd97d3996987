/* text.c: Vietnamese text core on utf8proc. */
#include "util/text.h"

#include <utf8proc.h>

bool
ctip_text_valid(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	while (n > 0) {
		k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
		if (k < 0 || cp == 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

size_t
ctip_text_cut(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = n, need;

	/* Back over the continuation bytes (at most three) to the lead. */
	while (i > 0 && n - i < 3 && (p[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || p[i - 1] < 0xC2 || p[i - 1] > 0xF4)
		return n; /* ASCII, or never a lead byte: nothing was cut */
	need = p[i - 1] >= 0xF0 ? 4 : p[i - 1] >= 0xE0 ? 3 : 2;
	return n - (i - 1) < need ? i - 1 : n;
}

size_t
ctip_text_scrub(char *out, size_t cap, const char *s)
{
	static const char bad[] = "\xEF\xBF\xBD"; /* U+FFFD */
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t left = strlen(s), n = 0, k;
	utf8proc_int32_t cp;
	utf8proc_ssize_t r;
	const char *from;

	while (left > 0) {
		r = utf8proc_iterate(p, (utf8proc_ssize_t)left, &cp);
		if (r > 0) {
			from = (const char *)p;
			k = (size_t)r;
		} else {
			from = bad;
			k = sizeof(bad) - 1;
			r = 1;
		}
		if (n + k >= cap)
			break;
		memcpy(out + n, from, k);
		n += k;
		p += r;
		left -= (size_t)r;
	}
	out[n] = '\0';
	return n;
}

size_t
ctip_text_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool
ctip_text_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* The first code point of valid UTF-8 s that no input text may hold, 0
 * if none: control characters but tab and line breaks (an escape
 * sequence would act on a terminal reading a log or a CSV), and the
 * bidirectional embeddings, overrides and isolates, which make a name or
 * number display as another ("Trojan Source"). */
static utf8proc_int32_t
forbidden_char(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	for (; *p != '\0'; p += k) {
		k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0)
			return 0;
		if ((utf8proc_category(cp) == UTF8PROC_CATEGORY_CC &&
		     cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return cp;
	}
	return 0;
}

enum ctip_status
ctip_text_check(const char *s, size_t max, bool required, const char *field,
		struct ctip_err *err)
{
	utf8proc_int32_t bad;

	/* White space alone says nothing: a required field is missing. */
	if (s == NULL || s[0] == '\0' || (required && ctip_text_blank(s)))
		return required ? ctip_err_field(err, CTIP_EINVAL, field,
						 "%s: required", field)
				: CTIP_OK;
	if (!ctip_text_valid(s, strlen(s)))
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: not valid UTF-8", field);
	if (ctip_text_length(s) > max)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: longer than %zu characters", field,
				      max);
	if ((bad = forbidden_char(s)) != 0)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: holds a control character "
				      "(U+%04X)",
				      field, (unsigned)bad);
	return CTIP_OK;
}

static bool
is_space(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);

	return cp == '\t' || cp == '\n' || cp == '\r' ||
	       c == UTF8PROC_CATEGORY_ZS;
}

static enum ctip_status
mapped(char **out, struct ctip_arena *a, const char *s, int options,
       struct ctip_err *err)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n;
	const char *b, *e;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m,
			 (utf8proc_option_t)(options | UTF8PROC_NULLTERM |
					     UTF8PROC_STABLE));
	if (n < 0)
		return ctip_err_set(err, CTIP_EINVAL,
				    "text is not valid UTF-8: %s",
				    utf8proc_errmsg(n));
	b = (const char *)m;
	e = b + n;
	while (b < e) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)b, e - b, &cp);
		if (k < 0 || !is_space(cp))
			break;
		b += k;
	}
	while (e > b) {
		const char *p = e - 1;

		while (p > b && ((unsigned char)*p & 0xC0) == 0x80)
			p--;
		utf8proc_iterate((const utf8proc_uint8_t *)p, e - p, &cp);
		if (!is_space(cp))
			break;
		e = p;
	}
	*out = ctip_arena_strndup(a, b, (size_t)(e - b));
	free(m);
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "text too long");
	return CTIP_OK;
}

enum ctip_status
ctip_text_nfc(char **out, struct ctip_arena *a, const char *s,
	      struct ctip_err *err)
{
	return mapped(out, a, s, UTF8PROC_COMPOSE, err);
}

enum ctip_status
ctip_text_fold(char **out, struct ctip_arena *a, const char *s,
	       struct ctip_err *err)
{
	return mapped(out, a, s, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, err);
}

/* Đ and đ have no decomposition, so STRIPMARK keeps them: map by hand.
 * So are their look-alikes that text converted from legacy Vietnamese
 * encodings, or typed on other keyboards, puts in their place: Ð and ð
 * (eth), Ɖ and ɖ (African D). */
static utf8proc_int32_t
fold_d(utf8proc_int32_t cp, void *data)
{
	(void)data;
	if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0 ||
	    cp == 0x0189 || cp == 0x0256)
		return 'd';
	return cp;
}

long
ctip_text_key(char *out, size_t cap, const char *s)
{
	utf8proc_uint8_t *m = NULL;
	utf8proc_ssize_t n, i, k;
	utf8proc_int32_t cp;
	utf8proc_category_t c;
	size_t len = 0;
	bool gap = false;

	assert(cap > 0);
	/* COMPAT: the compatibility forms are the letters they look like
	 * (fullwidth Ｎ is N), as a reader would take them. */
	n = utf8proc_map_custom((const utf8proc_uint8_t *)s, 0, &m,
				UTF8PROC_NULLTERM | UTF8PROC_STABLE |
					UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
					UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
				fold_d, NULL);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i += k) {
		k = utf8proc_iterate(m + i, n - i, &cp);
		c = utf8proc_category(cp);
		if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_NO ||
		    (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME)) {
			gap = len > 0;
			continue;
		}
		if (len + (gap ? 1 : 0) + (size_t)k + 1 > cap) {
			free(m);
			return -1;
		}
		if (gap)
			out[len++] = ' ';
		gap = false;
		memcpy(out + len, m + i, (size_t)k);
		len += (size_t)k;
	}
	free(m);
	out[len] = '\0';
	return (long)len;
}

bool
ctip_one_of(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

/* plan_parse.c: reading a plan document (issue 7): lines, then blocks
 * (numbered, lettered, bulleted items with their paragraphs), then
 * sections and tasks, then the units of each task. */
#include "core/plan_parse.h"

#include "util/csv.h"
#include "util/text.h"

#include <ctype.h>
#include <utf8proc.h>

/* Bounds on what one task or heading can make us tokenise. */
#define PAREN_MAX      2000 /* bytes of a parenthesis read as assignment */
#define INLINE_MAX     600  /* bytes at the start of a task read inline */
#define PAREN_TRIES    12   /* parentheses tried from the end of a task */
#define JOIN_LONG      200  /* a longer unfinished line continues */
#define ALIAS_MAX      10000
#define ALIAS_MAX_WORD 24

struct palias {
	const char *alias, *agency;
	char **words; /* search keys of the alias's words */
	int n_words;
	size_t key_len;
};

struct tok {
	const char *s; /* raw word */
	size_t n;
	char *key; /* search key of the word */
	bool sep;  /* a , ; : . ( or ) comes before it */
};

/* A line after Markdown is removed and broken lines are joined. */
struct lline {
	char *text;
	size_t len, cap; /* of text, while lines are being joined */
	int depth;       /* parentheses left open in text */
	bool dirty;      /* joined since it was classified */
	int line;
	bool heading; /* was a Markdown heading */
	int level; /* -1 plain, 0 part, 1..4 numbers, 5 letter, 6..7 bullets */
	const char *label; /* number as written */
	const char *rest;  /* text after the number */
	bool paren;        /* a parenthesis standing alone */
};

struct block {
	int level, parent, line;
	int bullets[2]; /* bullets ("-", "+") among its children so far */
	int ordinal;    /* of a bullet among its siblings, from 1 */
	const char *label, *seg, *head, *ref;
	int body_first, body_last; /* llines of its paragraphs, or -1 */
	bool has_children;
	int part;    /* block index of its part, or -1 */
	int section; /* section index if it is a section, else -1 */
};

struct group {
	int n_blocks; /* applies to tasks of blocks before this index */
	int lline;
};

struct unitlist {
	struct ctip_plan_unit *v;
	int n, cap;
};

struct parser {
	struct ctip_arena *a;
	struct palias *al;
	int n_al;
	bool full; /* the arena ran out */
};

static void *
palloc(struct parser *p, size_t n)
{
	void *r = ctip_arena_alloc(p->a, n == 0 ? 1 : n);

	if (r == NULL)
		p->full = true;
	return r;
}

static char *
pstrndup(struct parser *p, const char *s, size_t n)
{
	char *r = ctip_arena_strndup(p->a, s, n);

	if (r == NULL)
		p->full = true;
	return r;
}

/* Search key of s[0..n) in the arena, or NULL (invalid or arena full). */
static char *
key_of(struct parser *p, const char *s, size_t n)
{
	char *tmp, *out, small[128], key[4 * 128 + 16];
	size_t cap = 4 * n + 16;

	/* Words are short: keep the scratch off the arena. */
	if (n < sizeof(small)) {
		memcpy(small, s, n);
		small[n] = '\0';
		if (ctip_text_key(key, sizeof(key), small) < 0)
			return NULL;
		return pstrndup(p, key, strlen(key));
	}
	tmp = pstrndup(p, s, n);
	out = palloc(p, cap);
	if (tmp == NULL || out == NULL)
		return NULL;
	if (ctip_text_key(out, cap, tmp) < 0)
		return NULL;
	return out;
}

/* Byte offset of the first invalid UTF-8 sequence in s[0..n), or n. */
static size_t
invalid_at(const char *s, size_t n)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	size_t i = 0;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k < 0)
			return i;
		i += (size_t)k;
	}
	return n;
}

/* n, or less than max at a character boundary of s. */
static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* ---- words ---- */

static bool
sep_char(unsigned char c)
{
	return c == ',' || c == ';' || c == ':' || c == '.' || c == '(' ||
	       c == ')';
}

static bool
space_char(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Length of punctuation at s (not part of a word), 0 if s starts a word. */
static size_t
punct_len(const unsigned char *s, const unsigned char *end)
{
	if (s[0] < 0x80)
		return (isalnum(s[0]) || s[0] == '_') ? 0 : 1;
	/* General punctuation block: dashes, quotes, bullet, ellipsis. */
	if (s[0] == 0xE2 && end - s >= 3 && s[1] == 0x80)
		return 3;
	if (s[0] == 0xC2 && end - s >= 2 &&
	    (s[1] == 0xA0 || s[1] == 0xAB || s[1] == 0xBB))
		return 2;
	return 0;
}

/* The words of s[0..n) with their keys; *nt of them. NULL if full. */
static struct tok *
tokenize(struct parser *p, const char *s, size_t n, int *nt)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + n, *w;
	struct tok *t;
	size_t cap = 2, k;
	bool sep = false;
	int m = 0;

	/* At most one word per run of spaces or punctuation, plus one. */
	for (w = u; w < end; w++)
		cap += space_char(*w) || (*w < 0x80 && !isalnum(*w)) ||
		       *w == 0xE2 || *w == 0xC2;
	t = palloc(p, cap * sizeof(*t));
	if (t == NULL)
		return NULL;
	while (u < end) {
		if (space_char(*u)) {
			u++;
			continue;
		}
		k = punct_len(u, end);
		if (k > 0) {
			if (sep_char(*u))
				sep = true;
			u += k;
			continue;
		}
		w = u;
		while (u < end && !space_char(*u) && punct_len(u, end) == 0)
			u += *u < 0x80    ? 1
			     : *u >= 0xF0 ? 4
			     : *u >= 0xE0 ? 3
					  : 2;
		if (u > end)
			u = end;
		if ((size_t)m == cap)
			break;
		t[m].s = (const char *)w;
		t[m].n = (size_t)(u - w);
		t[m].key = key_of(p, t[m].s, t[m].n);
		if (p->full)
			return NULL;
		if (t[m].key == NULL)
			continue;
		t[m].sep = sep;
		sep = false;
		if (t[m].key[0] != '\0')
			m++;
	}
	*nt = m;
	return t;
}

/* Number of tokens from i that spell phrase (keys separated by spaces), or
 * 0. */
static int
words_at(const struct tok *t, int nt, int i, const char *phrase)
{
	const char *q = phrase, *sp;
	size_t len;
	int k = 0;

	while (*q != '\0') {
		sp = strchr(q, ' ');
		len = sp == NULL ? strlen(q) : (size_t)(sp - q);
		if (i + k >= nt || strlen(t[i + k].key) != len ||
		    memcmp(t[i + k].key, q, len) != 0)
			return 0;
		k++;
		q += len;
		if (*q == ' ')
			q++;
	}
	return k;
}

/* Index of the longest alias spelled from token i, or -1. */
static int
alias_at(const struct parser *p, const struct tok *t, int nt, int i)
{
	int j, k;

	for (j = 0; j < p->n_al; j++) {
		const struct palias *al = &p->al[j];

		if (i + al->n_words > nt)
			continue;
		for (k = 0; k < al->n_words; k++)
			if (strcmp(t[i + k].key, al->words[k]) != 0)
				break;
		if (k == al->n_words)
			return j;
	}
	return -1;
}

static int
alias_cmp(const void *x, const void *y)
{
	const struct palias *a = x, *b = y;

	if (a->n_words != b->n_words)
		return b->n_words - a->n_words;
	if (a->key_len != b->key_len)
		return a->key_len < b->key_len ? 1 : -1;
	return 0;
}

/* Keys of every alias, longest first. */
static bool
prepare_aliases(struct parser *p, const struct ctip_plan_alias *aliases, int n)
{
	int i, k;

	p->al = palloc(p, (size_t)(n > 0 ? n : 1) * sizeof(*p->al));
	if (p->al == NULL)
		return false;
	p->n_al = 0;
	for (i = 0; i < n; i++) {
		struct palias *al = &p->al[p->n_al];
		char *key, *q;

		key = key_of(p, aliases[i].alias, strlen(aliases[i].alias));
		if (p->full)
			return false;
		if (key == NULL || key[0] == '\0')
			continue;
		al->alias = aliases[i].alias;
		al->agency = aliases[i].agency;
		al->key_len = strlen(key);
		al->words = palloc(p, ALIAS_MAX_WORD * sizeof(char *));
		if (al->words == NULL)
			return false;
		k = 0;
		for (q = key; q != NULL && k < ALIAS_MAX_WORD;) {
			al->words[k++] = q;
			q = strchr(q, ' ');
			if (q != NULL)
				*q++ = '\0';
		}
		al->n_words = k;
		p->n_al++;
	}
	qsort(p->al, (size_t)p->n_al, sizeof(*p->al), alias_cmp);
	return true;
}

/* ---- units ---- */

/* Whether l holds the unit of agency, or for none the phrase s[0..n). */
static bool
unit_in(const struct unitlist *l, const char *s, size_t n, const char *agency)
{
	int i;

	for (i = 0; i < l->n; i++) {
		if (agency != NULL && l->v[i].agency != NULL &&
		    strcmp(l->v[i].agency, agency) == 0)
			return true;
		if (agency == NULL && l->v[i].agency == NULL &&
		    strlen(l->v[i].phrase) == n &&
		    memcmp(l->v[i].phrase, s, n) == 0)
			return true;
	}
	return false;
}

static void
unit_add(struct parser *p, struct unitlist *l, const char *s, size_t n,
	 const char *agency)
{
	char *phrase;

	if (unit_in(l, s, n, agency))
		return;
	if (l->n == l->cap) {
		struct ctip_plan_unit *v;
		int cap = l->cap == 0 ? 4 : 2 * l->cap;

		v = palloc(p, (size_t)cap * sizeof(*v));
		if (v == NULL)
			return;
		if (l->n > 0)
			memcpy(v, l->v, (size_t)l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	phrase = pstrndup(p, s, n);
	if (phrase == NULL)
		return;
	l->v[l->n].phrase = phrase;
	l->v[l->n].agency = agency;
	l->n++;
}

static const char *const fillers[] = {
	"va",           "voi",       "cung",         "chat che",
	"co lien quan", "lien quan", "tren dia ban", "de nghi",
	"giao",         "cua",       NULL,
};

/* Tokens of a filler at i, or 0. */
static int
filler_at(const struct tok *t, int nt, int i)
{
	int j, k;

	for (j = 0; fillers[j] != NULL; j++)
		if ((k = words_at(t, nt, i, fillers[j])) > 0)
			return k;
	return 0;
}

/* An unmatched run of words t[u0..u1] becomes a unit without agency. */
static void
flush(struct parser *p, struct unitlist *cur, const struct tok *t, int *u0,
      int u1, int *found)
{
	if (*u0 < 0)
		return;
	unit_add(p, cur, t[*u0].s, (size_t)(t[u1].s + t[u1].n - t[*u0].s),
		 NULL);
	(*found)++;
	*u0 = -1;
}

/*
 * Read units from t[0..nt) into lead and coord: units before "chủ trì" or
 * "phối hợp" lead, after them coordinate; "thực hiện" or "theo" ends the
 * list. In a parenthesis unknown words make unmatched units; inline the
 * first unknown word ends the list. Returns how many units were found;
 * *end is where the last one ends.
 */
static int
read_units(struct parser *p, struct unitlist *lead, struct unitlist *coord,
	   const struct tok *t, int nt, bool inline_mode, const char **end)
{
	struct unitlist *cur = lead;
	int i = 0, k, m, u0 = -1, u1 = -1, found = 0;

	while (i < nt) {
		if (t[i].sep)
			flush(p, cur, t, &u0, u1, &found);
		if ((k = words_at(t, nt, i, "chu tri")) > 0 ||
		    (k = words_at(t, nt, i, "phoi hop")) > 0) {
			flush(p, cur, t, &u0, u1, &found);
			cur = coord;
			i += k;
			continue;
		}
		if (words_at(t, nt, i, "thuc hien") > 0 ||
		    words_at(t, nt, i, "theo") > 0)
			break;
		if ((m = alias_at(p, t, nt, i)) >= 0) {
			const struct tok *last = &t[i + p->al[m].n_words - 1];

			flush(p, cur, t, &u0, u1, &found);
			unit_add(p, cur, t[i].s,
				 (size_t)(last->s + last->n - t[i].s),
				 p->al[m].agency);
			found++;
			*end = last->s + last->n;
			i += p->al[m].n_words;
			continue;
		}
		if ((k = filler_at(t, nt, i)) > 0) {
			flush(p, cur, t, &u0, u1, &found);
			i += k;
			continue;
		}
		if (inline_mode)
			break;
		if (u0 < 0)
			u0 = i;
		u1 = i;
		*end = t[i].s + t[i].n;
		i++;
	}
	flush(p, cur, t, &u0, u1, &found);
	return found;
}

/* Whether the tokens read as an assignment: "chủ trì" or "phối hợp", or a
 * unit first (after "Đề nghị"/"Giao") and "thực hiện". */
static bool
assignment_like(const struct parser *p, const struct tok *t, int nt)
{
	int i = 0, k, j;
	bool unit;

	while ((k = words_at(t, nt, i, "de nghi")) > 0 ||
	       (k = words_at(t, nt, i, "giao")) > 0)
		i += k;
	unit = alias_at(p, t, nt, i) >= 0;
	for (j = i; j < nt; j++) {
		if (words_at(t, nt, j, "chu tri") > 0 ||
		    words_at(t, nt, j, "phoi hop") > 0)
			return true;
		if (unit && words_at(t, nt, j, "thuc hien") > 0)
			return true;
	}
	return false;
}

/* The content of the last parenthesis of s that reads as an assignment,
 * into *out and *out_len; false if none. */
static bool
last_assignment(struct parser *p, const char *s, const char **out,
		size_t *out_len)
{
	size_t n = strlen(s), close = n, open;
	int tries = 0, depth, nt;
	struct tok *t;

	while (tries < PAREN_TRIES && close > 0) {
		while (close > 0 && s[close - 1] != ')')
			close--;
		if (close == 0)
			return false;
		close--; /* s[close] == ')' */
		tries++;
		depth = 0;
		for (open = close; open > 0; open--) {
			if (s[open - 1] == ')')
				depth++;
			else if (s[open - 1] == '(' && depth-- == 0)
				break;
		}
		if (open == 0 || close - open > PAREN_MAX)
			continue;
		t = tokenize(p, s + open, close - open, &nt);
		if (t == NULL)
			return false;
		if (assignment_like(p, t, nt)) {
			*out = s + open;
			*out_len = close - open;
			return true;
		}
	}
	return false;
}

/* ---- timing ---- */

/* First occurrence of either spelling, or NULL. */
static const char *
find2(const char *s, const char *lower)
{
	char upper[64];
	const char *x, *y;

	snprintf(upper, sizeof(upper), "%s", lower);
	upper[0] = (char)toupper((unsigned char)upper[0]);
	x = strstr(s, lower);
	y = strstr(s, upper);
	if (x == NULL || (y != NULL && y < x))
		return y;
	return x;
}

/* End of the phrase starting at s: before . ; ) or a line break. */
static size_t
phrase_len(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < max; i++)
		if (s[i] == ';' || s[i] == ')' || s[i] == '\n' ||
		    (s[i] == '.' && !isdigit((unsigned char)s[i + 1])))
			break;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	return i;
}

/* A timing phrase of the task text, or NULL. */
static const char *
find_timing(struct parser *p, const char *s)
{
	static const char *const words[] = {
		"hằng năm", "hàng năm",     "hằng quý",
		"hàng quý", "hằng tháng",   "hàng tháng",
		"định kỳ",  "thường xuyên", NULL,
	};
	const char *x;
	size_t n;
	int i;

	if ((x = find2(s, "thời gian thực hiện")) != NULL) {
		x += strlen("thời gian thực hiện");
		while (*x == ':' || *x == ' ')
			x++;
		n = phrase_len(x, 200);
		if (n > 0)
			return pstrndup(p, x, n);
	}
	if ((x = find2(s, "thời gian từ")) != NULL ||
	    (x = find2(s, "từ ngày")) != NULL)
		return pstrndup(p, x, phrase_len(x, 200));
	if ((x = find2(s, "trước ngày")) != NULL ||
	    (x = find2(s, "chậm nhất ngày")) != NULL) {
		/* The phrase to the end of its date: d/m[/yyyy] or
		 * d tháng m[ năm yyyy]. */
		const char *d = strstr(x, "ngày") + strlen("ngày");
		int k = 0, more = 0;

		while (*d == ' ')
			d++;
		if (sscanf(d, "%*d/%*d%n", &k) >= 0 && k > 0) {
			if (sscanf(d + k, "/%*d%n", &more) >= 0 && more > 0)
				k += more;
		} else if (sscanf(d, "%*d tháng %*d%n", &k) >= 0 && k > 0) {
			if (sscanf(d + k, " năm %*d%n", &more) >= 0 && more > 0)
				k += more;
		}
		if (k > 0)
			return pstrndup(p, x, (size_t)(d + k - x));
	}
	if ((x = find2(s, "trước ngày")) != NULL ||
	    (x = find2(s, "chậm nhất ngày")) != NULL ||
	    (x = find2(s, "trong tháng")) != NULL ||
	    (x = find2(s, "quý ")) != NULL) {
		const char *e = strchr(x, ' ');

		/* Past "quý", or past the two words of "trước ngày". */
		if (e != NULL && (*x != 'q' && *x != 'Q'))
			e = strchr(e + 1, ' ');
		if (e == NULL)
			return NULL;
		e++;
		while (*e != '\0' && !space_char((unsigned char)*e) &&
		       *e != ',' && *e != ';' && *e != ')')
			e++;
		while (e > x && e[-1] == '.')
			e--;
		if (e > x && (isdigit((unsigned char)e[-1]) || e[-1] == 'I' ||
			      e[-1] == 'V'))
			return pstrndup(p, x, (size_t)(e - x));
	}
	for (i = 0; words[i] != NULL; i++)
		if ((x = find2(s, words[i])) != NULL)
			return pstrndup(p, x, strlen(words[i]));
	return NULL;
}

/* ---- lines ---- */

/* Remove Markdown from one raw line into the arena: heading marks, '*'
 * emphasis (a leading "* " is a bullet), <sup> and similar tags. */
static char *
clean_line(struct parser *p, const char *s, size_t n, bool *heading)
{
	static const char *const tags[] = {
		"<sup>", "</sup>", "<sub>", "</sub>", "<br>", "<br/>", "<u>",
		"</u>",  "<b>",    "</b>",  "<i>",    "</i>", NULL,
	};
	char *out;
	size_t i = 0, o = 0;
	int j;

	*heading = false;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '#') {
		size_t h = i;

		while (h < n && s[h] == '#')
			h++;
		if (h == n || s[h] == ' ' || s[h] == '\t') {
			*heading = true;
			i = h;
		}
	}
	if ((out = palloc(p, n - i + 3)) == NULL)
		return NULL;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < n && s[i] == '*' && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
		out[o++] = '-';
		i++;
	}
	while (i < n) {
		if (s[i] == '*' || s[i] == '\r' || s[i] == '\0') {
			i++;
			continue;
		}
		if (s[i] == '<') {
			for (j = 0; tags[j] != NULL; j++)
				if (n - i >= strlen(tags[j]) &&
				    memcmp(s + i, tags[j], strlen(tags[j])) ==
					    0)
					break;
			if (tags[j] != NULL) {
				i += strlen(tags[j]);
				continue;
			}
		}
		out[o++] = (s[i] == '\t') ? ' ' : s[i];
		i++;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\\'))
		o--;
	/* Leading spaces left by a removed "**". */
	i = 0;
	while (i < o && out[i] == ' ')
		i++;
	memmove(out, out + i, o - i);
	out[o - i] = '\0';
	return out;
}

static bool
roman_char(char c)
{
	return c == 'I' || c == 'V' || c == 'X';
}

/* Classify a cleaned line: its level, number and the text after it. */
static void
classify(struct parser *p, struct lline *l)
{
	const char *s = l->text, *q;
	size_t i = 0, last;
	int parts = 0, depth = 0;

	l->level = -1;
	l->label = NULL;
	l->rest = s;
	l->paren = false;
	if (s[0] == '\0')
		return;
	/* Roman part: "II. " */
	while (roman_char(s[i]) && i < 6)
		i++;
	if (i > 0 && s[i] == '.' && (s[i + 1] == ' ' || s[i + 1] == '\0')) {
		l->level = 0;
		l->label = pstrndup(p, s, i);
		l->rest = s + i + 1;
		goto out;
	}
	/* Numbers: "1. ", "1.1. ", "1.1 ", "2.3.4. " */
	i = 0;
	while (isdigit((unsigned char)s[i])) {
		size_t d = i;

		while (isdigit((unsigned char)s[i]) && i - d < 3)
			i++;
		if (i - d > 2 || isdigit((unsigned char)s[i]))
			break;
		parts++;
		if (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		if (s[i] == '.' && (s[i + 1] == ' ' || s[i + 1] == '\0')) {
			last = i;
			l->level = parts > 4 ? 4 : parts;
			l->label = pstrndup(p, s, last);
			l->rest = s + i + 1;
			goto out;
		}
		if (s[i] == ' ' && parts >= 2) {
			l->level = parts > 4 ? 4 : parts;
			l->label = pstrndup(p, s, i);
			l->rest = s + i;
			goto out;
		}
		break;
	}
	/* Letters: "a) ", "đ) " */
	if (s[0] >= 'a' && s[0] <= 'z' && s[1] == ')' &&
	    (s[2] == ' ' || s[2] == '\0')) {
		l->level = 5;
		l->label = pstrndup(p, s, 1);
		l->rest = s + 2;
		goto out;
	}
	if (strncmp(s, "đ) ", 4) == 0 || strcmp(s, "đ)") == 0) {
		l->level = 5;
		l->label = pstrndup(p, s, 2);
		l->rest = s + 3;
		goto out;
	}
	/* Bullets */
	if ((s[0] == '-' || s[0] == '+') && s[1] == ' ') {
		l->level = s[0] == '-' ? 6 : 7;
		l->label = s[0] == '-' ? "-" : "+";
		l->rest = s + 2;
		goto out;
	}
	if ((strncmp(s, "\xE2\x80\x93 ", 4) == 0 ||
	     strncmp(s, "\xE2\x80\xA2 ", 4) == 0)) {
		l->level = 6;
		l->label = "-";
		l->rest = s + 4;
		goto out;
	}
	/* A parenthesis standing alone: "(X chủ trì ... thực hiện)." */
	if (s[0] == '(') {
		last = strlen(s);
		while (last > 0 && (s[last - 1] == '.' || s[last - 1] == ';' ||
				    s[last - 1] == ' '))
			last--;
		if (last > 1 && s[last - 1] == ')') {
			for (q = s; q < s + last; q++) {
				if (*q == '(')
					depth++;
				else if (*q == ')' && --depth == 0)
					break;
			}
			l->paren = (q == s + last - 1);
		}
	}
	return;
out:
	while (*l->rest == ' ')
		l->rest++;
}

/* Whether the first character of s is a lower-case letter. */
static bool
starts_lower(const char *s)
{
	utf8proc_int32_t cp;

	if (utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp) <= 0)
		return false;
	return utf8proc_tolower(cp) == cp && utf8proc_toupper(cp) != cp;
}

static int
paren_depth(const char *s)
{
	int d = 0;

	for (; *s != '\0'; s++)
		d += (*s == '(') - (*s == ')');
	return d;
}

/* Whether the next line continues prev: a line broken by a page. */
static bool
continues(const struct lline *prev, const struct lline *next)
{
	const char *s = prev->text;
	size_t n = prev->len;
	char c;

	if (n == 0 || next->heading || next->text[0] == '\0')
		return false;
	if (prev->depth > 0 && next->level < 0)
		return true;
	if (prev->heading || next->level >= 0 || next->paren ||
	    next->text[0] == '(')
		return false;
	c = s[n - 1];
	if (c == '.' || c == ';' || c == ':' || c == '!' || c == '?' ||
	    c == ')')
		return false;
	return starts_lower(next->text) || c == ',' || n >= JOIN_LONG;
}

/* ---- the document ---- */

static const char *
block_text(struct parser *p, const struct block *b, const struct lline *ll,
	   bool with_head)
{
	size_t n = with_head ? strlen(b->head) : 0;
	char *out, *o;
	int i;

	if (b->body_first >= 0)
		for (i = b->body_first; i <= b->body_last; i++)
			if (ll[i].level < 0 && !ll[i].paren)
				n += strlen(ll[i].text) + 1;
	if ((out = palloc(p, n + 1)) == NULL)
		return "";
	o = out;
	if (with_head) {
		memcpy(o, b->head, strlen(b->head));
		o += strlen(b->head);
	}
	if (b->body_first >= 0)
		for (i = b->body_first; i <= b->body_last; i++) {
			if (ll[i].level >= 0 || ll[i].paren)
				continue;
			if (o > out)
				*o++ = '\n';
			memcpy(o, ll[i].text, strlen(ll[i].text));
			o += strlen(ll[i].text);
		}
	*o = '\0';
	return out;
}

/* The unit a heading names when it is nothing but one agency. */
static const struct ctip_plan_unit *
heading_unit(struct parser *p, const char *title)
{
	struct ctip_plan_unit *u;
	struct tok *t;
	int nt, i = 0, k, m;

	if (strlen(title) > INLINE_MAX)
		return NULL;
	if ((t = tokenize(p, title, strlen(title), &nt)) == NULL)
		return NULL;
	while ((k = words_at(t, nt, i, "de nghi")) > 0)
		i += k;
	if ((m = alias_at(p, t, nt, i)) < 0 || i + p->al[m].n_words != nt)
		return NULL;
	if ((u = palloc(p, sizeof(*u))) == NULL)
		return NULL;
	u->phrase = pstrndup(p, t[i].s,
			     (size_t)(t[nt - 1].s + t[nt - 1].n - t[i].s));
	u->agency = p->al[m].agency;
	return u;
}

/* Units of a task: from the assignment phrase paren[0..paren_len), or
 * inline from the start of its text, then the heading's unit. */
/* Drop from coord the units lead has: "A chủ trì, phối hợp với A và B"
 * makes A lead, and a plan lists a unit once for a task. */
static void
drop_leads(struct unitlist *coord, const struct unitlist *lead)
{
	int i, n = 0;

	for (i = 0; i < coord->n; i++)
		if (!unit_in(lead, coord->v[i].phrase,
			     strlen(coord->v[i].phrase), coord->v[i].agency))
			coord->v[n++] = coord->v[i];
	coord->n = n;
}

static void
assign(struct parser *p, struct ctip_plan_task *task, const char *paren,
       size_t paren_len, const char *start,
       const struct ctip_plan_unit *heading)
{
	struct unitlist lead = { 0 }, coord = { 0 };
	const char *end = NULL;
	struct tok *t;
	int nt, found = 0;

	if (paren != NULL) {
		if ((t = tokenize(p, paren, paren_len, &nt)) != NULL)
			found = read_units(p, &lead, &coord, t, nt, false,
					   &end);
		task->assignment = pstrndup(p, paren, paren_len);
	} else {
		size_t n = utf8_cut(start, strlen(start), INLINE_MAX);

		if ((t = tokenize(p, start, n, &nt)) != NULL)
			found = read_units(p, &lead, &coord, t, nt, true, &end);
		if (found > 0 && end != NULL)
			task->assignment =
				pstrndup(p, start, (size_t)(end - start));
		if (lead.n == 0 && heading != NULL)
			unit_add(p, &lead, heading->phrase,
				 strlen(heading->phrase), heading->agency);
	}
	drop_leads(&coord, &lead);
	task->lead = lead.v;
	task->n_lead = lead.n;
	task->coord = coord.v;
	task->n_coord = coord.n;
}

static bool
title_is_tasks(struct parser *p, const char *title)
{
	char *key = key_of(p, title, utf8_cut(title, strlen(title), 400));

	return key != NULL && (strstr(key, "nhiem vu") != NULL ||
			       strstr(key, "phan cong") != NULL);
}

static bool
is_kind(struct parser *p, const char *s)
{
	static const char *const kinds[] = {
		"ke hoach",  "quyet dinh", "chuong trinh", "bao cao",
		"huong dan", "chi thi",    "de an",        NULL,
	};
	char *key;
	int i;

	if (strlen(s) > 60 || (key = key_of(p, s, strlen(s))) == NULL)
		return false;
	for (i = 0; kinds[i] != NULL; i++)
		if (strcmp(key, kinds[i]) == 0)
			return true;
	return false;
}

/* Title, kind, number and date from the lines before the first part. */
static void
read_header(struct parser *p, struct ctip_plan_doc *out, const struct lline *ll,
	    int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *s = ll[i].text, *x;

		if (s[0] == '\0')
			continue;
		if (out->number == NULL &&
		    strncmp(s, "Số", strlen("Số")) == 0 &&
		    (s[strlen("Số")] == ':' || s[strlen("Số")] == ' ')) {
			x = s + strlen("Số") + 1;
			while (*x == ' ')
				x++;
			out->number = pstrndup(p, x, strcspn(x, " \t"));
			continue;
		}
		if (out->date == NULL && strlen(s) < 120 &&
		    (x = strstr(s, "ngày")) != NULL &&
		    strstr(x, "năm") != NULL && (x == s || x[-1] == ' ') &&
		    strncmp(s, "Thực", 4) != 0) {
			out->date = pstrndup(p, x, strlen(x));
			continue;
		}
		if (out->kind == NULL && is_kind(p, s)) {
			out->kind = pstrndup(p, s, strlen(s));
			if (i + 1 < n)
				out->title = pstrndup(p, ll[i + 1].text,
						      strlen(ll[i + 1].text));
			i++;
			continue;
		}
	}
	if (out->title == NULL && n > 0)
		out->title = ll[0].text;
}

/* Append next to prev with a space; the buffer grows by doubling so that
 * joining many lines stays linear. */
static bool
join(struct parser *p, struct lline *prev, const struct lline *next)
{
	size_t need = prev->len + 1 + next->len + 1;

	if (need > prev->cap) {
		size_t cap = 2 * prev->cap > need ? 2 * prev->cap : need;
		char *t = palloc(p, cap);

		if (t == NULL)
			return false;
		memcpy(t, prev->text, prev->len);
		prev->text = t;
		prev->cap = cap;
	}
	prev->text[prev->len++] = ' ';
	memcpy(prev->text + prev->len, next->text, next->len + 1);
	prev->len += next->len;
	prev->depth += next->depth;
	prev->dirty = true;
	return true;
}

/* Lines of text: cleaned, classified, broken lines joined. */
static struct lline *
read_lines(struct parser *p, const char *text, size_t len, int *n_out,
	   int *first_part)
{
	struct lline *ll, cur;
	const char *s = text, *end = text + len, *nl;
	size_t cap = 1;
	int n = 0, line = 0;
	bool body = false, stop = false;

	for (nl = text; nl < end; nl++)
		cap += (*nl == '\n');
	if ((ll = palloc(p, cap * sizeof(*ll))) == NULL)
		return NULL;
	*first_part = -1;
	while (s < end && !stop) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		line++;
		cur.text = clean_line(p, s, (size_t)(nl - s), &cur.heading);
		s = nl + 1;
		if (cur.text == NULL)
			return NULL;
		if (cur.text[0] == '\0')
			continue;
		cur.line = line;
		cur.len = strlen(cur.text);
		cur.cap = cur.len + 1;
		cur.depth = paren_depth(cur.text);
		cur.dirty = false;
		classify(p, &cur);
		if (p->full)
			return NULL;
		if (strncmp(cur.text, "Nơi nhận", strlen("Nơi nhận")) == 0) {
			stop = true;
			break;
		}
		if (cur.level == 0 && !body) {
			body = true;
			*first_part = n;
		}
		if (body && n > 0 && continues(&ll[n - 1], &cur)) {
			if (!join(p, &ll[n - 1], &cur))
				return NULL;
			continue;
		}
		if (n > 0 && ll[n - 1].dirty)
			classify(p, &ll[n - 1]);
		ll[n++] = cur;
	}
	if (n > 0 && ll[n - 1].dirty)
		classify(p, &ll[n - 1]);
	*n_out = n;
	return p->full ? NULL : ll;
}

enum ctip_status
ctip_plan_parse(struct ctip_plan_doc *out, const char *text, size_t len,
		const struct ctip_plan_alias *aliases, int n_aliases,
		struct ctip_arena *a, struct ctip_err *err)
{
	struct parser p = { .a = a };
	struct lline *ll;
	struct block *blocks;
	struct group *groups;
	int *stack, *task_block;
	int n_ll, first_part, n_blocks = 0, n_groups = 0, depth = 0, i, j;
	int n_sec = 0, n_task = 0, no_parts, top_bullets[2] = { 0, 0 };
	size_t bad;
	const char *nul;

	memset(out, 0, sizeof(*out));
	if (len > CTIP_PLAN_MAX_BYTES)
		return ctip_err_field(err, CTIP_ETOOBIG, "file",
				      "file too large: %zu bytes, at most %u",
				      len, CTIP_PLAN_MAX_BYTES);
	for (bad = 0; bad < len && space_char((unsigned char)text[bad]);)
		bad++;
	if (bad == len)
		return ctip_err_field(err, CTIP_EINVAL, "file",
				      "file is empty: no text to read");
	if ((nul = memchr(text, '\0', len)) != NULL)
		return ctip_err_field(err, CTIP_EINVAL, "file",
				      "file is binary: NUL byte at byte %zu",
				      (size_t)(nul - text));
	if ((bad = invalid_at(text, len)) < len)
		return ctip_err_field(err, CTIP_EINVAL, "file",
				      "file is not UTF-8 text: invalid byte "
				      "at byte %zu",
				      bad);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (!prepare_aliases(&p, aliases, n_aliases))
		goto full;
	if ((ll = read_lines(&p, text, len, &n_ll, &first_part)) == NULL)
		goto full;
	no_parts = first_part < 0;
	if (no_parts)
		for (first_part = 0; first_part < n_ll; first_part++)
			if (ll[first_part].level >= 0)
				break;
	read_header(&p, out, ll, first_part);

	blocks = palloc(&p, (size_t)(n_ll + 1) * sizeof(*blocks));
	groups = palloc(&p, (size_t)(n_ll + 1) * sizeof(*groups));
	stack = palloc(&p, (size_t)(n_ll + 1) * sizeof(*stack));
	task_block = palloc(&p, (size_t)(2 * n_ll + 1) * sizeof(*task_block));
	if (p.full)
		goto full;
	/* Blocks: each numbered line with its paragraphs. */
	for (i = first_part; i < n_ll; i++) {
		struct block *b;

		if (ll[i].level < 0) {
			if (n_blocks == 0)
				continue;
			if (ll[i].paren) {
				groups[n_groups].n_blocks = n_blocks;
				groups[n_groups++].lline = i;
				continue;
			}
			b = &blocks[n_blocks - 1];
			if (b->body_first < 0)
				b->body_first = i;
			b->body_last = i;
			continue;
		}
		b = &blocks[n_blocks];
		memset(b, 0, sizeof(*b));
		b->level = ll[i].level;
		b->label = ll[i].label;
		b->head = ll[i].rest;
		b->line = ll[i].line;
		b->body_first = b->body_last = -1;
		b->section = -1;
		while (depth > 0 && blocks[stack[depth - 1]].level >= b->level)
			depth--;
		b->parent = depth > 0 ? stack[depth - 1] : -1;
		if (b->parent >= 0)
			blocks[b->parent].has_children = true;
		if (b->level >= 6)
			b->ordinal = b->parent >= 0
					     ? ++blocks[b->parent]
							 .bullets[b->level - 6]
					     : ++top_bullets[b->level - 6];
		b->part = b->level == 0    ? n_blocks
			  : b->parent >= 0 ? blocks[b->parent].part
					   : -1;
		stack[depth++] = n_blocks++;
	}
	/* Sections and references. */
	out->sections =
		palloc(&p, (size_t)(n_blocks + 1) * sizeof(*out->sections));
	out->tasks =
		palloc(&p, (size_t)(2 * n_blocks + 1) * sizeof(*out->tasks));
	if (p.full)
		goto full;
	for (i = 0; i < n_blocks; i++) {
		struct block *b = &blocks[i];
		bool tasks;

		b->seg = b->level < 6 ? b->label
				      : ctip_arena_printf(a, "%s%d", b->label,
							  b->ordinal);
		if (b->seg == NULL)
			goto full;
		b->ref = b->parent >= 0
				 ? ctip_arena_printf(a, "%s/%s",
						     blocks[b->parent].ref,
						     b->seg)
				 : b->seg;
		if (b->ref == NULL)
			goto full;
		tasks = no_parts || (b->part >= 0 &&
				     title_is_tasks(&p, blocks[b->part].head));
		if (b->level == 0 || b->has_children) {
			struct ctip_plan_section *sec = &out->sections[n_sec];

			sec->number = b->label;
			sec->title = b->head;
			sec->parent =
				b->parent >= 0 ? blocks[b->parent].section : -1;
			sec->line = b->line;
			sec->tasks = tasks;
			if (tasks && b->level > 0)
				sec->unit = heading_unit(&p, b->head);
			b->section = n_sec++;
			if (!tasks || b->level == 0 || b->body_first < 0)
				continue;
		} else if (!tasks || b->level == 0) {
			continue;
		}
		/* A task: a leaf item, or the text under a heading. */
		{
			struct ctip_plan_task *t = &out->tasks[n_task];
			bool body = b->has_children;

			t->number = body ? "" : b->label;
			t->ref = body ? ctip_arena_printf(a, "%s/*", b->ref)
				      : b->ref;
			t->section = body ? b->section
				     : b->parent >= 0
					     ? blocks[b->parent].section
					     : -1;
			t->text = block_text(&p, b, ll, !body);
			t->line = body ? ll[b->body_first].line : b->line;
			task_block[n_task++] = i;
		}
	}
	if (p.full)
		goto full;
	if (n_task == 0)
		return ctip_err_field(err, CTIP_EINVAL, "file",
				      "no tasks found: expected numbered items "
				      "such as \"1.1.\" or \"a)\" under a "
				      "section");
	/* Units: own parenthesis, then the group's, inline, heading. */
	{
		const char **gp = palloc(&p, (size_t)n_task * sizeof(*gp));
		size_t *gl = palloc(&p, (size_t)n_task * sizeof(*gl));
		bool *own = palloc(&p, (size_t)n_task * sizeof(*own));

		if (p.full)
			goto full;
		for (i = 0; i < n_task; i++) {
			own[i] = last_assignment(&p, out->tasks[i].text, &gp[i],
						 &gl[i]);
			if (p.full)
				goto full;
		}
		int last = -1;

		for (j = 0; j < n_groups; j++) {
			const char *s = ll[groups[j].lline].text, *c;
			struct tok *t;
			int nt;

			/* The last task before the group's parenthesis. */
			while (last + 1 < n_task &&
			       task_block[last + 1] < groups[j].n_blocks)
				last++;
			if (last < 0)
				continue;

			c = strchr(s, '(') + 1;
			if (strlen(c) > PAREN_MAX)
				continue;
			t = tokenize(&p, c, strlen(c), &nt);
			if (t == NULL)
				goto full;
			if (strlen(c) > PAREN_MAX ||
			    !assignment_like(&p, t, nt))
				continue;
			for (i = last; i >= 0; i--) {
				if (gp[i] != NULL ||
				    out->tasks[i].section !=
					    out->tasks[last].section)
					break;
				gp[i] = c;
				gl[i] = strrchr(c, ')') - c;
			}
		}
		for (i = 0; i < n_task; i++) {
			struct ctip_plan_task *t = &out->tasks[i];
			const struct ctip_plan_unit *hu = NULL;
			int s;

			for (s = t->section; s >= 0 && hu == NULL;
			     s = out->sections[s].parent)
				hu = out->sections[s].unit;
			assign(&p, t, gp[i], gp[i] != NULL ? gl[i] : 0, t->text,
			       hu);
			t->timing = find_timing(&p, t->text);
			if (p.full)
				goto full;
		}
	}
	out->n_sections = n_sec;
	out->n_tasks = n_task;
	return CTIP_OK;
full:
	memset(out, 0, sizeof(*out));
	return ctip_err_field(err, CTIP_ETOOBIG, "file",
			      "plan too large: the memory limit was reached");
}

/* ---- aliases ---- */

static bool
code_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

enum ctip_status
ctip_plan_aliases_parse(struct ctip_plan_alias **out, int *n, const char *csv,
			size_t len, struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_plan_alias *v = NULL;
	struct ctip_csv c;
	struct ctip_err e = { 0 };
	enum ctip_status rc = CTIP_OK;
	int r, ia, ig, cap = 0, m = 0;

	*out = NULL;
	*n = 0;
	ctip_csv_open(&c, csv, len);
	r = ctip_csv_next(&c, &e);
	if (r <= 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "file", "aliases: %s",
				    r == 0 ? "empty file" : e.msg);
		goto out;
	}
	ia = ctip_csv_find(&c, "alias");
	ig = ctip_csv_find(&c, "agency");
	if (ia < 0 || ig < 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "file",
				    "aliases: the header must name the "
				    "columns \"alias\" and \"agency\"");
		goto out;
	}
	while ((r = ctip_csv_next(&c, &e)) == 1) {
		const char *al = ia < c.n_fields ? c.fields[ia] : "";
		const char *ag = ig < c.n_fields ? c.fields[ig] : "";

		if (ctip_text_blank(al) || !code_ok(ag)) {
			rc = ctip_err_field(err, CTIP_EINVAL, "file",
					    "aliases: line %ld: %s", c.line,
					    ctip_text_blank(al)
						    ? "the alias is empty"
						    : "the agency is not a "
						      "code such as POLICE");
			goto out;
		}
		if (m == ALIAS_MAX) {
			rc = ctip_err_field(err, CTIP_ETOOBIG, "file",
					    "aliases: more than %d", ALIAS_MAX);
			goto out;
		}
		if (m == cap) {
			struct ctip_plan_alias *w;

			cap = cap == 0 ? 64 : 2 * cap;
			w = ctip_arena_alloc(a, (size_t)cap * sizeof(*w));
			if (w == NULL)
				goto full;
			if (m > 0)
				memcpy(w, v, (size_t)m * sizeof(*w));
			v = w;
		}
		v[m].alias = ctip_arena_strdup(a, al);
		v[m].agency = ctip_arena_strdup(a, ag);
		if (v[m].alias == NULL || v[m].agency == NULL)
			goto full;
		m++;
	}
	if (r < 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "file", "aliases: %s",
				    e.msg);
		goto out;
	}
	*out = v;
	*n = m;
	goto out;
full:
	rc = ctip_err_field(err, CTIP_ETOOBIG, "file",
			    "aliases: the memory limit was reached");
out:
	ctip_csv_close(&c);
	return rc;
}

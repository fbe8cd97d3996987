/* csv.c: RFC 4180 CSV reader. */
#include "util/csv.h"
#include "util/arena.h"
#include "util/text.h"

void
ctip_csv_open(struct ctip_csv *c, const char *text, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->bad_field = -1;
	c->p = text;
	c->end = text + len;
	/* Skip a UTF-8 byte order mark, as spreadsheet exports add one. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

void
ctip_csv_close(struct ctip_csv *c)
{
	free(c->scratch);
	c->scratch = NULL;
}

int
ctip_csv_next(struct ctip_csv *c, struct ctip_err *err)
{
	const char *p = c->p;
	size_t need, out = 0;
	long start;
	bool quoted;
	int i;

	/* Skip blank lines. */
	while (p < c->end && (*p == '\n' || *p == '\r')) {
		if (*p == '\n')
			c->lines_read++;
		p++;
	}
	if (p >= c->end) {
		c->p = p;
		return 0;
	}
	/* A quoted field may span lines: the record is numbered by its
	 * first line, as the error messages below are. */
	start = c->line = ++c->lines_read;
	/* A record never needs more bytes than remain, plus NULs. */
	need = (size_t)(c->end - p) + CTIP_CSV_MAX_FIELDS + 1;
	if (need > c->scratch_cap) {
		c->scratch = ctip_xrealloc(c->scratch, need);
		c->scratch_cap = need;
	}
	c->n_fields = 0;
	c->bad_field = -1;
	for (;;) {
		if (c->n_fields == CTIP_CSV_MAX_FIELDS)
			return ctip_err_set(err, CTIP_EINVAL,
					    "line %ld: more than %d fields",
					    start, CTIP_CSV_MAX_FIELDS);
		c->fields[c->n_fields++] = c->scratch + out;
		quoted = p < c->end && *p == '"';
		if (quoted) {
			p++;
			for (;;) {
				if (p >= c->end)
					return ctip_err_set(
						err, CTIP_EINVAL,
						"line %ld: unterminated quoted "
						"field",
						start);
				if (*p == '"') {
					if (p + 1 < c->end && p[1] == '"') {
						c->scratch[out++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					c->lines_read++;
				c->scratch[out++] = *p++;
			}
		} else {
			while (p < c->end && *p != ',' && *p != '\n' &&
			       *p != '\r') {
				if (*p == '"')
					return ctip_err_set(
						err, CTIP_EINVAL,
						"line %ld: quote inside an "
						"unquoted field",
						start);
				c->scratch[out++] = *p++;
			}
		}
		c->scratch[out++] = '\0';
		if (p < c->end && *p == ',') {
			p++;
			continue;
		}
		if (p < c->end && *p == '\r')
			p++;
		if (p < c->end && *p == '\n')
			p++;
		else if (p < c->end)
			return ctip_err_set(err, CTIP_EINVAL,
					    "line %ld: text after a closing "
					    "quote",
					    start);
		break;
	}
	c->p = p;
	/* Check each field's full length, not its strlen: a NUL byte inside
	 * a field would otherwise cut it short without a word. */
	for (i = 0; i < c->n_fields; i++) {
		const char *f = c->fields[i];
		const char *f_end = i + 1 < c->n_fields ? c->fields[i + 1] - 1
							: c->scratch + out - 1;

		if (!ctip_text_valid(f, (size_t)(f_end - f))) {
			c->bad_field = i;
			return ctip_err_set(err, CTIP_EINVAL,
					    "line %ld: field %d is not valid "
					    "UTF-8",
					    start, i + 1);
		}
	}
	return 1;
}

int
ctip_csv_find(const struct ctip_csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->n_fields; i++)
		if (strcmp(c->fields[i], name) == 0)
			return i;
	return -1;
}

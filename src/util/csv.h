/* csv.h: RFC 4180 CSV reader over an in-memory text. */
#ifndef CTIP_CSV_H
#define CTIP_CSV_H

#include "util/err.h"

#define CTIP_CSV_MAX_FIELDS 32

struct ctip_csv {
	const char *p, *end; /* unread input */
	long line;           /* line the record last read starts on */
	long lines_read;     /* physical lines consumed so far */
	char *scratch;       /* field storage of the record last read */
	size_t scratch_cap;
	const char *fields[CTIP_CSV_MAX_FIELDS]; /* into scratch */
	int n_fields;
	int bad_field; /* index of the field an error is about, or -1 */
};

/* Read from text[0..len); text must outlive the reader. */
void ctip_csv_open(struct ctip_csv *c, const char *text, size_t len);

/*
 * Read the next record into c->fields/c->n_fields. Returns 1 for a record,
 * 0 at the end of input, or CTIP_EINVAL (with the line number in err) for
 * an unterminated quote, a stray quote, more than CTIP_CSV_MAX_FIELDS
 * fields or invalid UTF-8. Blank lines are skipped; CRLF is accepted.
 */
CTIP_MUST_CHECK int ctip_csv_next(struct ctip_csv *c, struct ctip_err *err);

/* Index of the header field named name in the record last read, or -1. */
int ctip_csv_find(const struct ctip_csv *c, const char *name);

void ctip_csv_close(struct ctip_csv *c);

#endif

/* xlsx.c: what the workbook exports share (xlsx.h). */
#include "core/xlsx.h"
#include "util/arena.h"

#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

void
ctip_xlsx_dmy(char *out, size_t cap, const char *ymd)
{
	int y, m, d;
	char end;

	if (sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
		snprintf(out, cap, "%02d/%02d/%04d", d, m, y);
	else
		snprintf(out, cap, "%s", ymd);
}

/* A UTC time "2026-06-14T20:00:00Z" (fractions allowed) as seconds since
 * the epoch, -1 when it is not one. */
time_t
ctip_xlsx_time(const char *s)
{
	struct tm tm = { 0 };

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6 ||
	    s[strlen(s) - 1] != 'Z')
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Upper-case UTF-8 s into out (cap bytes); stops at a bad byte or when
 * out is full. */
void
ctip_xlsx_upper(char *out, size_t cap, const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t cp;
	utf8proc_ssize_t k, n;
	size_t len = 0;

	while (*p != '\0' && (k = utf8proc_iterate(p, -1, &cp)) > 0) {
		n = utf8proc_encode_char(utf8proc_toupper(cp), enc);
		if (n <= 0 || len + (size_t)n >= cap)
			break;
		memcpy(out + len, enc, (size_t)n);
		len += (size_t)n;
		p += k;
	}
	out[len] = '\0';
}

void
ctip_xlsx_note(struct ctip_xlsx_sheet *s, lxw_error e)
{
	if (s->first == LXW_NO_ERROR)
		s->first = e;
}

/*
 * XML 1.0 allows tab, newline, carriage return, U+0020..U+D7FF,
 * U+E000..U+FFFD and U+10000.. only: any other character makes the part
 * not well-formed and Excel refuses the whole file. Text reaches here
 * valid UTF-8 (the API checks it), so what is left to clean is C0
 * controls and the noncharacters U+FFFE/U+FFFF; lone surrogates are not
 * valid UTF-8 and are dropped with any other bad byte, which also takes
 * off a character cut short by a caller's fixed-size copy.
 */
void
ctip_xlsx_clean(char *s)
{
	const utf8proc_uint8_t *r = (const utf8proc_uint8_t *)s;
	char *w = s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;

	while (*r != '\0') {
		if ((k = utf8proc_iterate(r, -1, &cp)) <= 0) {
			r++;
			continue;
		}
		if (cp < 0x20 && cp != '\t' && cp != '\n') {
			*w++ = ' ';
		} else if (cp == 0xFFFE || cp == 0xFFFF) {
			/* U+FFFD, the replacement character: as long. */
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
		} else {
			memmove(w, r, (size_t)k);
			w += k;
		}
		r += k;
	}
	*w = '\0';
}

void
ctip_xlsx_put(struct ctip_xlsx_sheet *s, int row, int col, const char *t,
	      lxw_format *f)
{
	char *copy = ctip_xstrdup(t);

	ctip_xlsx_clean(copy);
	ctip_xlsx_note(s, worksheet_write_string(s->ws, (lxw_row_t)row,
						 (lxw_col_t)col, copy, f));
	free(copy);
}

void
ctip_xlsx_num(struct ctip_xlsx_sheet *s, int row, int col, double v,
	      lxw_format *f)
{
	ctip_xlsx_note(s, worksheet_write_number(s->ws, (lxw_row_t)row,
						 (lxw_col_t)col, v, f));
}

/* Text t across columns c1..c2 of row. */
void
ctip_xlsx_merge(struct ctip_xlsx_sheet *s, int row, int c1, int c2,
		const char *t, lxw_format *f)
{
	ctip_xlsx_note(s, worksheet_merge_range(s->ws, (lxw_row_t)row,
						(lxw_col_t)c1, (lxw_row_t)row,
						(lxw_col_t)c2, "", f));
	ctip_xlsx_put(s, row, c1, t, f);
}

lxw_format *
ctip_xlsx_format(lxw_workbook *wb, bool bold, bool italic, uint8_t align,
		 bool border)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_font_name(f, "Times New Roman");
	format_set_font_size(f, 12);
	if (bold)
		format_set_bold(f);
	if (italic)
		format_set_italic(f);
	if (align != LXW_ALIGN_NONE)
		format_set_align(f, align);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

/* Append the file open as fd to out. */
static enum ctip_status
read_back(struct ctip_buf *out, int fd, const char *path, const char *what,
	  struct ctip_err *err)
{
	char chunk[16384];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return ctip_err_set(err, CTIP_EIO, "could not read \"%s\": %s",
				    path, strerror(errno));
	if ((uintmax_t)st.st_size > out->limit - out->len)
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "%s workbook larger than %zu bytes", what,
				    out->limit);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			return CTIP_OK;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ctip_err_set(err, CTIP_EIO,
					    "could not read \"%s\": %s", path,
					    strerror(errno));
		if (ctip_buf_add(out, chunk, (size_t)n) != CTIP_OK)
			return ctip_err_set(err, CTIP_ETOOBIG,
					    "%s workbook larger than %zu bytes",
					    what, out->limit);
	}
}

enum ctip_status
ctip_xlsx_build(struct ctip_buf *out, const lxw_doc_properties *props,
		ctip_xlsx_fill_fn fill, void *arg, const char *what,
		struct ctip_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], tmpdir[4096];
	lxw_workbook_options opt = { 0 };
	lxw_doc_properties copy = *props;
	lxw_workbook *wb;
	lxw_error wrote, closed;
	size_t start = out->len;
	enum ctip_status rc;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/ctip-xlsx-XXXXXX", dir) >=
	    sizeof(path))
		return ctip_err_set(err, CTIP_EIO,
				    "could not create a temporary file: "
				    "directory name too long");
	fd = mkstemp(path);
	if (fd < 0)
		return ctip_err_set(err, CTIP_EIO,
				    "could not create a temporary file in "
				    "\"%s\": %s",
				    dir, strerror(errno));
	/* libxlsxwriter opens the file by name and truncates it; reading it
	 * back through fd reads this very file even if the name moved. Its
	 * own scratch files go to the same directory. */
	snprintf(tmpdir, sizeof(tmpdir), "%s", dir);
	opt.tmpdir = tmpdir;
	wb = workbook_new_opt(path, &opt);
	if (wb == NULL) {
		rc = ctip_err_set(err, CTIP_EIO, "could not start the %s",
				  what);
		goto out;
	}
	wrote = workbook_set_properties(wb, &copy);
	if (wrote == LXW_NO_ERROR)
		wrote = fill(wb, arg);
	closed = workbook_close(wb); /* frees wb, even after an error */
	if (wrote != LXW_NO_ERROR) {
		rc = ctip_err_field(err, CTIP_EINVAL, what,
				    "%s: could not lay it out: %s", what,
				    lxw_strerror(wrote));
		goto out;
	}
	if (closed != LXW_NO_ERROR) {
		rc = ctip_err_set(
			err, CTIP_EIO,
			"could not write the %s workbook to \"%s\": %s", what,
			path, lxw_strerror(closed));
		goto out;
	}
	rc = read_back(out, fd, path, what, err);
out:
	if (rc != CTIP_OK) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	close(fd);
	unlink(path);
	return rc;
}

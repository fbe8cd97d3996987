/* xlsx.h: what the workbook exports share (reports, plans): a sheet that
 * keeps its first write error, cell helpers, the house cell format, and
 * building a workbook in a private temporary file read back into a
 * buffer. libxlsxwriter writes only to files. */
#ifndef CTIP_XLSX_H
#define CTIP_XLSX_H

#include "util/buf.h"
#include "util/err.h"

#include <time.h>

#include <xlsxwriter.h>

/* A worksheet being written; first is the first failed write. */
struct ctip_xlsx_sheet {
	lxw_worksheet *ws;
	lxw_error first;
};

/* Keep e when it is s's first error. */
void ctip_xlsx_note(struct ctip_xlsx_sheet *s, lxw_error e);

/* Make NUL-terminated s, in place, text XML 1.0 allows (Excel refuses a
 * file that is not): C0 controls other than tab and newline become
 * spaces, U+FFFE and U+FFFF become U+FFFD, bytes that are not UTF-8 are
 * dropped. For cells and the workbook's properties alike. */
void ctip_xlsx_clean(char *s);

/* Text t at (row, col), cleaned by ctip_xlsx_clean. */
void ctip_xlsx_put(struct ctip_xlsx_sheet *s, int row, int col, const char *t,
		   lxw_format *f);

/* Number v at (row, col). */
void ctip_xlsx_num(struct ctip_xlsx_sheet *s, int row, int col, double v,
		   lxw_format *f);

/* Text t across columns c1..c2 of row. */
void ctip_xlsx_merge(struct ctip_xlsx_sheet *s, int row, int c1, int c2,
		     const char *t, lxw_format *f);

/* A Times New Roman 12 format of wb, vertically centred. */
lxw_format *ctip_xlsx_format(lxw_workbook *wb, bool bold, bool italic,
			     uint8_t align, bool border);

/* Upper-case UTF-8 s into out (cap bytes); stops at a bad byte or when
 * out is full. */
void ctip_xlsx_upper(char *out, size_t cap, const char *s);

/* yyyy-mm-dd as dd/mm/yyyy (anything else as it is). */
void ctip_xlsx_dmy(char *out, size_t cap, const char *ymd);

/* A UTC time "2026-06-14T20:00:00Z" as seconds since the epoch, -1 when
 * it is not one. */
time_t ctip_xlsx_time(const char *s);

/* Lays a workbook out; returns its first failed write or LXW_NO_ERROR. */
typedef lxw_error (*ctip_xlsx_fill_fn)(lxw_workbook *wb, void *arg);

/*
 * Build a workbook with props by fill(wb, arg) in a private temporary
 * file of $TMPDIR (else /tmp), and append its bytes to out (unchanged on
 * failure). what names it ("report", "plan"): CTIP_EINVAL naming the
 * field what when fill fails, CTIP_EIO for the file, CTIP_ETOOBIG past
 * out's limit.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_xlsx_build(struct ctip_buf *out, const lxw_doc_properties *props,
		ctip_xlsx_fill_fn fill, void *arg, const char *what,
		struct ctip_err *err);

#endif

/* report_export.h: a periodic report (the ctip-report/1 JSON of report.c)
 * as CSV or as an XLSX workbook laid out like the paper form, and the
 * published copy of the JSON, with small counts suppressed. */
#ifndef CTIP_REPORT_EXPORT_H
#define CTIP_REPORT_EXPORT_H

#include "util/buf.h"

#include <jansson.h>

/*
 * Suppression, the same in every format (threshold t from 0 to 100; 0
 * and 1 suppress nothing). It works on the whole table, not row by row.
 * Rows with the same "item" show one figure, the item's total; a split
 * row's cells are the parts of that total, and they add up to it when
 * the row "partitions" it.
 *  1. primary: an item whose total is from 1 to t-1 is hidden;
 *  2. a split row of a shown total, with a cell from 1 to t-1, hides
 *     that cell and then its other non-zero cells, smallest
 *     first (the first of equals), until at least two are hidden, they
 *     hold at least 2t-1 together and more than one each on average
 *     (not all ones), so that neither "total minus the shown cells" nor
 *     splitting the hidden sum gives any of them; when no cell is left
 *     to hide, the item's total is hidden instead. A split that does
 *     not partition its total (purposes, destinations: a person in
 *     several) nearly always does in fact, most persons having one
 *     event, so it is protected alike;
 *  3. a hidden total is hidden in every row of its item, and so is the
 *     whole breakdown of each of those rows, zeros included (a shown
 *     cell would bound the total, a cell equal to it would be it, and a
 *     shown 0 next to a hidden total tells in which categories the few
 *     persons are); in a row whose total is shown every 0 is shown;
 *  4. a rate is shown only when its denominator is not 0, neither count
 *     is from 1 to t-1 and neither equals a hidden total (a rate of a
 *     shown denominator would give its numerator back); otherwise it is
 *     "—", and in the XLSX its evaluation (Đạt / Gần đạt / Chưa đạt) is
 *     left out as well (the target stays).
 * Groups never share a cell, so one pass of 1-2 then 3-4 is stable. Every
 * hidden count is shown as the same "x": a reader cannot tell a small
 * count from one hidden to protect it. A suppressed export (t >= 2)
 * leaves out the findings: the sum checks quote the row's figures.
 *
 * A rate is 100 * numerator / denominator with one decimal ("83.3"),
 * computed from the two counts, with a point in both languages.
 *
 * Limits: at most 5000 rows and 1000 cells a row; longer reports are
 * refused with CTIP_EINVAL naming "report".
 */

/*
 * *out = a copy of report as published under threshold (caller
 * json_decrefs it): for t of 0 or 1 the report as it is; else with
 * "suppress": t added at the top, no "findings", and every hidden count
 * null and flagged: a count row's "total": null with "suppressed": true,
 * a cell's "value": null with "suppressed": true, a suppressed rate's
 * "numerator", "denominator" and "rate" null, "light" "none" and
 * "suppressed": true. What is shown is as in the report.
 *
 * CTIP_EINVAL naming "report" or "threshold" as ctip_report_csv.
 */
CTIP_MUST_CHECK enum ctip_status ctip_report_suppressed(json_t **out,
							const json_t *report,
							int threshold,
							struct ctip_err *err);

/*
 * Append report as CSV to out: UTF-8 with a byte order mark (so that
 * Excel reads Vietnamese), RFC 4180 (CRLF line ends; a field holding a
 * comma, a quote, CR or LF is quoted, its quotes doubled). Header
 * `no,section,indicator,category,value`, in Vietnamese (lang "vi")
 * `STT,Mục,Chỉ tiêu,Phân tổ,Số liệu`. Then one line per row total (its
 * category empty) and, for a split row, one line per cell (the
 * category's label), in the report's order; a rate is one line with the
 * rate in percent. Texts are the report's labels in lang; one starting
 * with =, +, - or @ gets a leading apostrophe, so that a spreadsheet
 * does not take it for a formula.
 *
 * On failure out is as it was. CTIP_EINVAL naming "report" when report
 * is not a ctip-report/1 document (or is beyond the limits), naming
 * "threshold" or "lang" (neither "vi" nor "en"); CTIP_ETOOBIG when out's
 * limit is reached.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_csv(struct ctip_buf *out, const json_t *report, int threshold,
		const char *lang, struct ctip_err *err);

/*
 * Append report to out as an XLSX workbook shaped like the Vietnamese
 * paper form (English headings for lang "en"). Sheet 1 ("Báo cáo" /
 * "Report"), columns A-E:
 *   row 1  place name in capitals (A:B) | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
 *          NAM (C:E)
 *   row 2  place code (A:B) | Độc lập - Tự do - Hạnh phúc (C:E)
 *   row 4  the form's name, bold, centred (A:E)
 *   row 5  Kỳ báo cáo: 2026-H1 (từ 15/12/2025 đến 14/06/2026)
 *   row 6  Căn cứ: the legal basis
 *   row 7  Hạn gửi báo cáo: 15/06/2026 (when the report has a due date)
 *   then the table, bordered: STT | Chỉ tiêu | Đơn vị tính | Số liệu |
 *   Chỉ tiêu KH / Đánh giá, a row of column letters (A B C 1 2), and
 *   for each row of the report: a bold section row across the table
 *   when the section changes; the row (no, label, unit from "counts" —
 *   người, tin, vụ, đối tượng, lượt, cuộc, lượt người — or "%", the
 *   total as a number, for a rate the target and its evaluation "≥ 90%:
 *   Đạt"); a split row's cells below it as indented "- Nam" rows.
 *   Suppressed values are texts ("x", "—"), the others numbers.
 *   Below: a note explaining "x" and "—" when any was used, "Ngày lập:
 *   dd/mm/yyyy" (the date, in Vietnam, of submitted_at, else of
 *   computed_at), and the signature blocks NGƯỜI LẬP BIỂU and THỦ
 *   TRƯỞNG ĐƠN VỊ. Sheet 2 ("Kiểm tra" / "Checks"), only when the report
 *   has findings and nothing is suppressed (threshold 0 or 1): code,
 *   severity, row and message of each.
 * The document's title is the form's name, its subject the place and
 * period; no author or company. Its creation time is computed_at, so
 * that the same report gives the same file.
 *
 * The workbook is written to a temporary file in $TMPDIR (else /tmp),
 * read back into out and removed. On failure out is as it was. Codes as
 * ctip_report_csv, and CTIP_EIO when the temporary file cannot be
 * created, written or read ("could not ...").
 */
CTIP_MUST_CHECK enum ctip_status
ctip_report_xlsx(struct ctip_buf *out, const json_t *report, int threshold,
		 const char *lang, struct ctip_err *err);

#endif

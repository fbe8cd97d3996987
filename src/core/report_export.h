/* report_export.h: a periodic report (the ctip-report/1 JSON of report.c)
 * as CSV or as an XLSX workbook laid out like the paper form, with small
 * counts suppressed. */
#ifndef CTIP_REPORT_EXPORT_H
#define CTIP_REPORT_EXPORT_H

#include "util/buf.h"

#include <jansson.h>

/*
 * Suppression, the same in both formats. threshold t (0 to 100; 0 and 1
 * suppress nothing):
 *  - primary: a count from 1 to t-1 (a row's total or a cell) is shown
 *    as the text "<t" ("<5"); 0 and counts of t or more are shown;
 *  - secondary: in a row split by a dimension that partitions its total
 *    ("partitions": true), when the total is shown and exactly one cell
 *    is primary-suppressed, the smallest other non-zero cell (the first
 *    of equals) is hidden too, so the small one cannot be recovered by
 *    subtracting the others from the total. It is shown as "x", not as
 *    "<t": its value is t or more, and "<t" would be false. Known
 *    limit: a reader who knows this rule knows "x" >= t, so when the
 *    two hidden cells add up to less than 2t-1 the small one is
 *    narrowed down (total 12, Nữ 6: Nam "x" + Không rõ "<5" = 6, hence
 *    Nam = 5 and Không rõ = 1);
 *  - a rate is shown only when neither its numerator nor its denominator
 *    is a suppressed count (1 to t-1) and the denominator is not 0;
 *    otherwise it is shown as "—", and in the XLSX its evaluation
 *    (Đạt / Gần đạt / Chưa đạt), which would hint at the counts, is
 *    left out as well (the target stays).
 *
 * A rate is 100 * numerator / denominator with one decimal ("83.3"),
 * computed from the two counts, with a point in both languages.
 *
 * Limits: at most 5000 rows and 1000 cells a row; longer reports are
 * refused with CTIP_EINVAL naming "report".
 */

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
 *   Suppressed values are texts ("<5", "x", "—"), the others numbers.
 *   Below: a note explaining "<5" and "x" when any was used, "Ngày lập:
 *   dd/mm/yyyy" (the date, in Vietnam, of submitted_at, else of
 *   computed_at), and the signature blocks NGƯỜI LẬP BIỂU and THỦ
 *   TRƯỞNG ĐƠN VỊ. Sheet 2 ("Kiểm tra" / "Checks"), only when the report
 *   has findings: code, severity, row and message of each.
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

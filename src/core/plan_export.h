/* plan_export.h: a plan and its implementation report as an XLSX
 * workbook in the usual layout (issue 7): the plan's tasks by section
 * with their lead and coordinating units, timing and expected output;
 * then, on a second sheet, each task's progress by unit and period with
 * its evidence and linked activities. */
#ifndef CTIP_PLAN_EXPORT_H
#define CTIP_PLAN_EXPORT_H

#include "util/buf.h"
#include "util/err.h"

#include <jansson.h>

/*
 * Append the workbook of plan (the PLAN JSON of docs/api-plans.md) to
 * out, with Vietnamese ("vi") or English ("en") headings. CTIP_EINVAL
 * naming "plan" when it is not a plan (no title or tasks), "lang";
 * CTIP_EIO, CTIP_ETOOBIG as ctip_xlsx_build.
 */
CTIP_MUST_CHECK enum ctip_status ctip_plan_xlsx(struct ctip_buf *out,
						const json_t *plan,
						const char *lang,
						struct ctip_err *err);

#endif

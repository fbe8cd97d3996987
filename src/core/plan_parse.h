/* plan_parse.h: reading a plan document written as plain text or Markdown
 * and proposing its structure (sections, tasks, lead and coordinating
 * units, timing) for a person to review (issue 7). See docs/plan-import.md.
 */
#ifndef CTIP_PLAN_PARSE_H
#define CTIP_PLAN_PARSE_H

#include "util/arena.h"
#include "util/err.h"

/* Largest plan text accepted; a larger one is refused before any work. */
#define CTIP_PLAN_MAX_BYTES (4u * 1024u * 1024u)

/* One line of data/plan-agency-aliases.csv. */
struct ctip_plan_alias {
	const char *alias;  /* as found in plans: "Công an tỉnh" */
	const char *agency; /* agencies.csv code, or "ALL" for collective
			       phrases such as "các sở, ban, ngành" */
};

/*
 * Read the alias table from CSV text csv[0..len) with a header naming the
 * columns "alias" and "agency" (other columns are ignored). *out is an
 * array of *n entries in a, in file order. Every alias and agency must be
 * non-empty, and an agency an upper-case code ([A-Z0-9_]). CTIP_OK;
 * CTIP_EINVAL (err names field "file" and says which line is wrong and
 * why); CTIP_ETOOBIG if a is full.
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_aliases_parse(struct ctip_plan_alias **out, int *n, const char *csv,
			size_t len, struct ctip_arena *a, struct ctip_err *err);

/* A unit named in an assignment. */
struct ctip_plan_unit {
	const char *phrase; /* the words found in the plan, in a */
	const char *agency; /* agency code, "ALL", or NULL if unmatched */
};

/* A heading: a Roman-numbered part ("II") or a numbered heading with items
 * under it ("2", "2.1"). */
struct ctip_plan_section {
	const char *number; /* "II", "2.1", "a", "-" as written; in a */
	const char *title;  /* text after the number, Markdown removed */
	int parent;         /* index into sections, -1 for a part */
	int line;           /* 1-based line in the text */
	bool tasks; /* inside a part of tasks ("NHIỆM VỤ", "PHÂN CÔNG") */
	const struct ctip_plan_unit *unit; /* the agency the heading names
					      ("1. Công an tỉnh"), or NULL */
};

/* An item of work proposed from the plan. */
struct ctip_plan_task {
	const char *number; /* as written: "1.1", "a", "-" for a bullet, ""
			       for the unnumbered text under a heading */
	const char *ref;    /* a path that locates it: "II/2/2.1/a",
			       "II/1/-3" (third bullet); the text under
			       heading 4 is "II/4/" followed by a star */
	int section;        /* index into sections, -1 if none */
	const char *text;   /* paragraphs joined with '\n', Markdown removed */
	const char *assignment;      /* the phrase the units were read from, or
					NULL when none (or only the heading) */
	struct ctip_plan_unit *lead; /* chủ trì, or who carries it out */
	int n_lead;
	struct ctip_plan_unit *coord; /* phối hợp */
	int n_coord;
	const char *timing; /* "hằng năm", "trước ngày 15/6", ... or NULL */
	int line;           /* 1-based line where the task starts */
};

/* What ctip_plan_parse proposes; all of it lives in the caller's arena. */
struct ctip_plan_doc {
	const char *kind;   /* "KẾ HOẠCH" or NULL */
	const char *title;  /* subject line under the kind, or NULL */
	const char *number; /* after "Số:" ("123/KH-UBND"), or NULL */
	const char *date;   /* "ngày 05 tháng 02 năm 2026" as written, or
			       NULL */
	struct ctip_plan_section *sections;
	int n_sections;
	struct ctip_plan_task *tasks;
	int n_tasks;
};

/*
 * Read the plan text[0..len) (UTF-8, plain text or Markdown) into *out,
 * matching unit names against aliases[0..n_aliases) without regard to
 * case or diacritics, longest alias first. Nothing is stored: the result
 * is a proposal in a for a person to review.
 *
 * Tasks are the leaf items (numbered "1.1.", lettered "a)", bulleted "-")
 * and the unnumbered text under a heading, inside the parts whose title
 * speaks of tasks or assignments ("NHIỆM VỤ", "PHÂN CÔNG"); a document
 * without Roman-numbered parts is read as one part of tasks. A task's units
 * come from, in order: its own parenthesis "(X chủ trì, phối hợp Y thực
 * hiện)"; a parenthesis standing alone after a group of items, which
 * applies to the items before it in the same section that have none; the
 * start of its text ("X chủ trì, phối hợp với Y", "Giao X", "Đề nghị X");
 * the heading above it when the heading is an agency ("1. Công an tỉnh").
 *
 * CTIP_OK; CTIP_ETOOBIG for a text over CTIP_PLAN_MAX_BYTES (checked
 * first) or a full arena; CTIP_EINVAL for an empty text, a binary one
 * (NUL byte or invalid UTF-8: err says at which byte) or one without
 * tasks. Errors name field "file".
 */
CTIP_MUST_CHECK enum ctip_status
ctip_plan_parse(struct ctip_plan_doc *out, const char *text, size_t len,
		const struct ctip_plan_alias *aliases, int n_aliases,
		struct ctip_arena *a, struct ctip_err *err);

#endif

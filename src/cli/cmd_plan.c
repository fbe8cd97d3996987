/* cmd_plan.c: `ctip plan import FILE`: read a plan document and print the
 * structure ctip proposes for it (sections, tasks, lead and coordinating
 * units matched to agencies and org units), for a person to review before
 * it is saved through the web UI or POST /api/plans. Stores nothing. */
#include "cli/cli.h"
#include "core/plan.h"
#include "core/plan_parse.h"
#include "util/fs.h"
#include "util/text.h"

/* String member key of o, or "(none)". */
static const char *
or_none(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "(none)";
}

/* "Công an tỉnh → POLICE (unit 12)" for each unit of a task's role. */
static void
print_units(const char *role, const json_t *units)
{
	const json_t *u;
	size_t i;

	if (json_array_size(units) == 0)
		return;
	printf("        %s:", role);
	json_array_foreach(units, i, u)
	{
		const char *agency =
			json_string_value(json_object_get(u, "agency"));
		json_int_t unit =
			json_integer_value(json_object_get(u, "unit_id"));

		printf("%s %s", i > 0 ? ";" : "", or_none(u, "phrase"));
		if (json_is_true(json_object_get(u, "all_units")))
			printf(" -> all units");
		else if (agency == NULL)
			printf(" -> NOT MATCHED");
		else if (unit > 0)
			printf(" -> %s (org unit %lld)", agency,
			       (long long)unit);
		else
			printf(" -> %s (no org unit yet)", agency);
	}
	printf("\n");
}

/* s padded with spaces to width columns: one per code point, as every
 * letter of Vietnamese (đ, ơ, ư...) is; printf's %-6s counts bytes. */
static void
print_padded(const char *s, size_t width)
{
	size_t n = ctip_text_length(s);

	printf("%s%*s", s, n < width ? (int)(width - n) : 0, "");
}

/* The proposal as an indented outline. */
static void
print_outline(const json_t *out)
{
	const json_t *p = json_object_get(out, "proposal");
	const json_t *stats = json_object_get(out, "stats");
	const json_t *s, *t;
	const char *section = NULL, *text;
	size_t i, k, cut;

	printf("plan: %s\nnumber: %s\ndate: %s\n", or_none(p, "title"),
	       or_none(p, "number"), or_none(p, "date"));
	printf("%lld tasks, %lld with a lead unit, %lld phrases not matched\n",
	       (long long)json_integer_value(json_object_get(stats, "tasks")),
	       (long long)json_integer_value(
		       json_object_get(stats, "with_lead")),
	       (long long)json_integer_value(
		       json_object_get(stats, "unmatched_units")));
	json_array_foreach(json_object_get(p, "tasks"), i, t)
	{
		const char *sec =
			json_string_value(json_object_get(t, "section"));

		if (sec != NULL && (section == NULL || strcmp(sec, section)))
			json_array_foreach(
				json_object_get(p, "sections"), k,
				s) if (strcmp(or_none(s, "key"), sec) == 0)
				printf("\n%s. %s\n", or_none(s, "number"),
				       or_none(s, "title"));
		section = sec;
		text = or_none(t, "text");
		/* At most 100 bytes, cut at a character's start. */
		cut = strlen(text) > 100 ? 100 : strlen(text);
		while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;
		printf("  ");
		print_padded(or_none(t, "number"), 6);
		printf(" %.*s%s\n", (int)cut, text,
		       cut < strlen(text) ? "..." : "");
		print_units("lead", json_object_get(t, "lead"));
		print_units("coordinate", json_object_get(t, "coordinate"));
		if (json_string_value(json_object_get(t, "timing_text")))
			printf("        timing: %s\n",
			       json_string_value(
				       json_object_get(t, "timing_text")));
	}
}

int
ctip_cmd_plan_import(const struct ctip_cmd *cmd, int argc, char **argv)
{
	const char *db = ctip_default_db(), *place = "VN";
	bool as_json = false;
	const struct ctip_opt opts[] = {
		{ "db", "FILE", "database (reference data and org units)", &db,
		  NULL },
		{ "place", "CODE",
		  "admin unit issuing the plan (VN, a province or commune "
		  "code): units are matched at that place",
		  &place, NULL },
		{ "json", NULL, "print the proposal as JSON (the API's)", NULL,
		  &as_json },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	struct ctip_err err = { 0 };
	struct ctip_store *st;
	struct ctip_arena a;
	json_t *out = NULL;
	char *pos[1], *text, *dump;
	size_t len;
	int n, rc;

	n = ctip_cli_parse(cmd, opts, argc, argv, pos, 1);
	if ((n = ctip_cli_one_arg(
		     cmd, n, "the plan FILE (plain text or Markdown)")) != 0)
		return n < 0 ? CTIP_EXIT_OK : n;
	if (ctip_fs_read(&text, &len, pos[0], CTIP_PLAN_MAX_BYTES, &err) !=
	    CTIP_OK)
		return ctip_cli_fail(&err);
	if (ctip_store_open(&st, db, CTIP_OPEN_EXISTING, &err) != CTIP_OK) {
		free(text);
		return ctip_cli_fail(&err);
	}
	/* The reader's structures take up to 64 times the text. */
	ctip_arena_init(&a, 64 * len + (1u << 20));
	rc = ctip_plan_import(&out, st, NULL, place, text, len, &a, &err);
	st->ops->close(st);
	free(text);
	if (rc != CTIP_OK) {
		struct ctip_err named = { 0 };

		ctip_arena_free(&a);
		/* The reader's messages say "file": name it. */
		ctip_err_set(&named, err.code, "%s: %s", pos[0], err.msg);
		return ctip_cli_fail(&named);
	}
	if (as_json) {
		dump = json_dumps(out, JSON_INDENT(2));
		if (dump != NULL)
			printf("%s\n", dump);
		free(dump);
	} else {
		print_outline(out);
	}
	json_decref(out);
	ctip_arena_free(&a);
	return CTIP_EXIT_OK;
}

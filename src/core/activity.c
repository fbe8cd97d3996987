/* activity.c: activities units record (issue 6, counted again by plan
 * progress in issue 7). */
#include "core/activity.h"
#include "core/audit.h"
#include "core/person.h"
#include "util/text.h"

const char *const ctip_activity_kinds[] = { "communication", "training",
					    "inspection", "operation", NULL };

#define MAX_PARTICIPANTS 10000000L

/* Who records and reads activities. */
static bool
may_record(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_CASE_WORKER | CTIP_ROLE_INVESTIGATOR |
			    CTIP_ROLE_STATISTICIAN | CTIP_ROLE_SUPERVISOR));
}

static enum ctip_status
check_input(const struct ctip_activity_input *in, struct ctip_err *err)
{
	char today[11];
	enum ctip_status rc;

	if (in->kind == NULL || !ctip_one_of(in->kind, ctip_activity_kinds))
		return ctip_err_field(err, CTIP_EINVAL, "kind",
				      "kind: one of communication, training, "
				      "inspection, operation");
	if ((rc = ctip_text_check(in->title, 300, true, "title", err)) !=
	    CTIP_OK)
		return rc;
	if ((rc = ctip_text_check(in->note, 2000, false, "note", err)) !=
	    CTIP_OK)
		return rc;
	ctip_today(today);
	if (in->started_on == NULL || !ctip_date_valid(in->started_on))
		return ctip_err_field(err, CTIP_EINVAL, "started_on",
				      "started_on: a date yyyy-mm-dd is "
				      "required");
	if (strcmp(in->started_on, today) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "started_on",
				      "started_on: after today (%s)", today);
	if (in->ended_on == NULL || !ctip_date_valid(in->ended_on))
		return ctip_err_field(err, CTIP_EINVAL, "ended_on",
				      "ended_on: a date yyyy-mm-dd is "
				      "required");
	if (strcmp(in->ended_on, in->started_on) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "ended_on",
				      "ended_on: before started_on");
	/* Recorded once held: the ACT_* indicators count what was done. */
	if (strcmp(in->ended_on, today) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "ended_on",
				      "ended_on: after today (%s)", today);
	if (in->participants < 0 || in->participants > MAX_PARTICIPANTS)
		return ctip_err_field(err, CTIP_EINVAL, "participants",
				      "participants: a whole number from 0 "
				      "to %ld",
				      MAX_PARTICIPANTS);
	return CTIP_OK;
}

/* Run fn's write, its audit entry and the commit as one transaction. */
static enum ctip_status
commit_with_audit(const struct ctip_access *ax, const struct ctip_principal *p,
		  const char *action, int64_t *id,
		  const struct ctip_activity *r, struct ctip_err *err)
{
	struct ctip_store *st = ax->st;
	enum ctip_status rc;

	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	rc = r->id == 0 ? st->ops->reports->activity_insert(id, st, r, err)
			: st->ops->reports->activity_update(st, r, err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, action, "activity",
				       r->id != 0 ? r->id : *id, NULL, err);
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_activity_create(int64_t *id_out, const struct ctip_access *ax,
		     const struct ctip_principal *p,
		     const struct ctip_activity_input *in, struct ctip_err *err)
{
	struct ctip_activity r = { 0 };
	char now[24];
	enum ctip_status rc;

	*id_out = 0;
	if (!may_record(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not record activities");
	if ((rc = check_input(in, err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	r.org_unit_id = p->unit_id;
	r.province_code = p->province_code[0] != '\0' ? p->province_code : NULL;
	r.commune_code =
		strcmp(p->level, "commune") == 0 ? p->admin_code : NULL;
	r.kind = in->kind;
	r.title = in->title;
	r.started_on = in->started_on;
	r.ended_on = in->ended_on;
	r.participants = in->participants;
	r.note = ctip_text_blank(in->note) ? NULL : in->note;
	r.created_by = p->user_id;
	r.created_at = now;
	r.updated_at = now;
	return commit_with_audit(ax, p, "activity.create", id_out, &r, err);
}

/* Whether p's scope holds activity r. */
static bool
in_scope(const struct ctip_principal *p, const struct ctip_activity *r)
{
	if (strcmp(p->level, "nation") == 0)
		return true;
	if (strcmp(p->level, "province") == 0)
		return r->province_code != NULL &&
		       strcmp(r->province_code, p->province_code) == 0;
	return r->org_unit_id == p->unit_id;
}

enum ctip_status
ctip_activity_get(struct ctip_activity *out, const struct ctip_access *ax,
		  const struct ctip_principal *p, int64_t id,
		  struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;

	if (!may_record(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see activities");
	rc = ax->st->ops->reports->activity_get(out, ax->st, id, a, err);
	if (rc == CTIP_OK && !in_scope(p, out))
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_ENOTFOUND, "no activity %lld",
				    (long long)id);
	return rc;
}

enum ctip_status
ctip_activity_update(const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id,
		     const struct ctip_activity_input *in, struct ctip_arena *a,
		     struct ctip_err *err)
{
	struct ctip_activity r;
	char now[24];
	int64_t unused;
	enum ctip_status rc;

	if ((rc = ctip_activity_get(&r, ax, p, id, a, err)) != CTIP_OK)
		return rc;
	if (r.org_unit_id != p->unit_id)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only the unit that recorded activity "
				    "%lld may change it",
				    (long long)id);
	if ((rc = check_input(in, err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	r.kind = in->kind;
	r.title = in->title;
	r.started_on = in->started_on;
	r.ended_on = in->ended_on;
	r.participants = in->participants;
	r.note = ctip_text_blank(in->note) ? NULL : in->note;
	r.updated_at = now;
	r.version = in->version;
	return commit_with_audit(ax, p, "activity.update", &unused, &r, err);
}

enum ctip_status
ctip_activity_list(struct ctip_activity **out, int *n_out,
		   const struct ctip_access *ax, const struct ctip_principal *p,
		   struct ctip_activity_filter *f, struct ctip_arena *a,
		   struct ctip_err *err)
{
	*out = NULL;
	*n_out = 0;
	if (!may_record(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see activities");
	if (f->kind != NULL && !ctip_one_of(f->kind, ctip_activity_kinds))
		return ctip_err_field(err, CTIP_EINVAL, "kind",
				      "kind: one of communication, training, "
				      "inspection, operation");
	if (f->from != NULL && !ctip_date_valid(f->from))
		return ctip_err_field(err, CTIP_EINVAL, "from",
				      "from: a date yyyy-mm-dd");
	if (f->to != NULL && !ctip_date_valid(f->to))
		return ctip_err_field(err, CTIP_EINVAL, "to",
				      "to: a date yyyy-mm-dd");
	if (f->limit < 1 || f->limit > 200)
		return ctip_err_field(err, CTIP_EINVAL, "limit",
				      "limit: from 1 to 200");
	if (strcmp(p->level, "commune") == 0) {
		/* Its own unit's: a filter naming its own place changes
		 * nothing, another place is refused by name. */
		if (f->province_code != NULL &&
		    strcmp(f->province_code, p->province_code) != 0)
			return ctip_err_field(err, CTIP_EFORBIDDEN, "province",
					      "province: a commune unit sees "
					      "its own activities only");
		if (f->commune_code != NULL &&
		    strcmp(f->commune_code, p->admin_code) != 0)
			return ctip_err_field(err, CTIP_EFORBIDDEN, "commune",
					      "commune: a commune unit sees "
					      "its own activities only");
		if (f->unit_id != 0 && f->unit_id != p->unit_id)
			return ctip_err_set(err, CTIP_EFORBIDDEN,
					    "a commune unit sees its own "
					    "activities only");
		f->unit_id = p->unit_id;
	} else if (strcmp(p->level, "province") == 0) {
		if (f->province_code != NULL &&
		    strcmp(f->province_code, p->province_code) != 0)
			return ctip_err_field(err, CTIP_EFORBIDDEN, "province",
					      "province: outside your "
					      "province");
		f->province_code = p->province_code;
	}
	if (f->commune_code != NULL) {
		struct ctip_admin_unit au;
		enum ctip_status rc;

		rc = ax->st->ops->admin_unit_get(&au, ax->st, f->commune_code,
						 a, err);
		if (rc == CTIP_ENOTFOUND ||
		    (rc == CTIP_OK && strcmp(au.level, "commune") != 0))
			return ctip_err_field(err, CTIP_EINVAL, "commune",
					      "commune: not a commune code");
		if (rc != CTIP_OK)
			return rc;
		/* Beyond a province unit's province: refused; not in the
		 * province a national user named with it: nothing to find. */
		if (f->province_code != NULL &&
		    strcmp(au.province_code, f->province_code) != 0)
			return strcmp(p->level, "province") == 0
				       ? ctip_err_field(err, CTIP_EFORBIDDEN,
							"commune",
							"commune: outside your "
							"province")
				       : ctip_err_field(err, CTIP_EINVAL,
							"commune",
							"commune: not in "
							"province %s",
							f->province_code);
	}
	return ax->st->ops->reports->activity_list(out, n_out, ax->st, f, a,
						   err);
}

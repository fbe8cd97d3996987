/* case.c: criminal cases: the stage machine, offenders, victims, the
 * Art. 150/151 check and the case KPIs. */
#include "core/case.h"
#include "core/auth.h"
#include "core/intake.h"
#include "core/kpi.h"
#include "util/text.h"

#include <time.h>

/* The chain of stages, in order; suspended and closed stand apart. */
static const char *const chain[] = { "lead",    "initiated", "investigated",
				     "solved",  "indicted",  "tried",
				     "verdict", NULL };
static const char *const articles[] = { "150", "151", "other", NULL };
static const char *const offender_roles[] = { "organiser", "recruiter",
					      "broker",    "transporter",
					      "buyer",     "other",
					      NULL };

static int
index_of(const char *s, const char *const *set)
{
	int i;

	for (i = 0; s != NULL && set[i] != NULL; i++)
		if (strcmp(s, set[i]) == 0)
			return i;
	return -1;
}

/* Which flags of a case scope may act on a case at stage s (suspend,
 * close or resume it): the agency holding it then. */
static bool
holds(const struct ctip_case_scope *sc, const char *s)
{
	int i = index_of(s, chain);

	if (i < 0)
		return false;
	if (i <= 3) /* lead .. solved: the police; solved: the procuracy
		       too, which may decline to indict */
		return sc->investigate || (i == 3 && sc->prosecute);
	if (i == 4)
		return sc->prosecute;
	return sc->adjudicate;
}

/* Whether sc may move a case to stage to of the chain. */
static bool
may_reach(const struct ctip_case_scope *sc, const char *to)
{
	int i = index_of(to, chain);

	return i <= 3   ? sc->investigate
	       : i == 4 ? sc->prosecute
			: sc->adjudicate;
}

static bool
is_open(const char *stage)
{
	int i = index_of(stage, chain);

	return i >= 0 && i < 6;
}

/* A case number: 1..40 characters, no control characters. */
static enum ctip_status
check_number(const char *s, struct ctip_err *err)
{
	const unsigned char *c;
	enum ctip_status rc;

	rc = ctip_text_check(s, CTIP_CASE_NUMBER_MAX, true, "case_number", err);
	for (c = (const unsigned char *)s; rc == CTIP_OK && *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			rc = ctip_err_field(err, CTIP_EINVAL, "case_number",
					    "case_number: no control "
					    "characters");
	return rc;
}

/*
 * Case id for action (a write) by p at version: *sc its scope.
 * CTIP_ENOTFOUND outside the scope (audited as denied, like a missing
 * id), CTIP_ECONFLICT naming "version" when stale;
 * CTIP_EFORBIDDEN when deed is set (what only investigators do: "link
 * victims") and p may not investigate the case.
 */
static enum ctip_status
load(struct ctip_case_rec *c, struct ctip_case_scope *sc,
     const struct ctip_access *ax, const struct ctip_principal *p, int64_t id,
     int version, const char *action, const char *deed, struct ctip_arena *a,
     struct ctip_err *err)
{
	enum ctip_status rc;

	if (!ctip_authz_can(p, CTIP_PERM_CASE_WRITE))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not change criminal cases");
	rc = ax->st->ops->cases->get(c, ax->st, id, a, err);
	if (rc == CTIP_OK) {
		ctip_authz_case(sc, p, c->owner_unit_id, c->province_code);
		if (sc->view != CTIP_VIEW_IDENTITY)
			rc = CTIP_ENOTFOUND;
	}
	if (rc == CTIP_ENOTFOUND) {
		ctip_err_set(err, CTIP_ENOTFOUND, "case %lld does not exist",
			     (long long)id);
		return ctip_audit_denied(ax->q, ax->st, ax->kr, p, action,
					 "case", id, CTIP_ENOTFOUND, err);
	}
	if (rc == CTIP_OK && c->version != version)
		return ctip_err_field(err, CTIP_ECONFLICT, "version",
				      "case %lld was changed by someone else: "
				      "reload it",
				      (long long)id);
	if (rc == CTIP_OK && deed != NULL && !sc->investigate)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only investigators %s", deed);
	return rc;
}

/* Write c (bumping its version), run more (if any), audit, commit. */
static enum ctip_status
save(const struct ctip_access *ax, const struct ctip_principal *p,
     struct ctip_case_rec *c, const char *action, const char *reason,
     enum ctip_status (*more)(const struct ctip_access *ax,
			      const struct ctip_case_rec *c, void *arg,
			      struct ctip_err *err),
     void *arg, struct ctip_err *err)
{
	char now[24];
	enum ctip_status rc;

	ctip_now(now);
	c->updated_at = now;
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	rc = ax->st->ops->cases->update(ax->st, c, err);
	if (rc == CTIP_OK && more != NULL)
		rc = more(ax, c, arg, err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, action, "case", c->id,
				       reason, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	return rc;
}

enum ctip_status
ctip_case_create(int64_t *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, const char *article,
		 const char *title, struct ctip_err *err)
{
	struct ctip_case_row c;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;

	if (!ctip_authz_can(p, CTIP_PERM_CASE_WRITE) ||
	    !(p->roles & CTIP_ROLE_INVESTIGATOR) ||
	    strcmp(p->level, "nation") == 0)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only investigators of a commune or "
				    "province unit open criminal cases");
	if (article != NULL && index_of(article, articles) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "article",
				      "article: 150, 151 or other");
	if ((rc = ctip_text_check(title, CTIP_CASE_TITLE_MAX, true, "title",
				  err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 16);
	ctip_now(now);
	memset(&c, 0, sizeof(c));
	c.owner_unit_id = p->unit_id;
	c.province_code = p->province_code;
	c.stage = "lead";
	c.article = article;
	c.title_enc = ctip_seal_text(&c.title_enc_len, ax->kr, "case.title",
				     title, &a);
	c.created_at = now;
	c.created_by = p->user_id;
	if (c.title_enc == NULL) {
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
		goto out;
	}
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		goto out;
	rc = ax->st->ops->case_insert(out, ax->st, &c, err);
	if (rc == CTIP_OK)
		rc = ctip_audit_change(ax->st, ax->kr, p, "case.create", "case",
				       *out, NULL, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
out:
	ctip_arena_free(&a);
	return rc;
}

void
ctip_case_age_on(int *min, int *max, const char *birth_date, int birth_year,
		 const char *date)
{
	int y;

	*min = *max = -1;
	if (date == NULL || !ctip_date_valid(date))
		return;
	y = (int)strtol(date, NULL, 10);
	if (birth_date != NULL && ctip_date_valid(birth_date)) {
		*min = y - (int)strtol(birth_date, NULL, 10);
		/* Not yet had the birthday that year. */
		if (strcmp(birth_date + 5, date + 5) > 0)
			(*min)--;
		*max = *min;
	} else if (birth_year > 0) {
		*max = y - birth_year;
		*min = *max - 1;
	}
	if (*max < 0)
		*min = *max = -1;
	else if (*min < 0)
		*min = 0;
}

/* The victims' ages and the warnings of c. */
static enum ctip_status
check_ages(struct ctip_case_detail *d, const struct ctip_access *ax,
	   struct ctip_arena *a, struct ctip_err *err)
{
	const struct ctip_case_rec *c = &d->rec;
	const char *fallback = c->initiated_on;
	char *created;
	int i, adults = 0;

	created = ctip_arena_strndup(a, c->created_at, 10);
	if (created == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if (fallback == NULL)
		fallback = created;
	d->warnings = ctip_arena_alloc(a, (size_t)(d->n_victims + 1) *
						  sizeof(*d->warnings));
	if (d->warnings == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; i < d->n_victims; i++) {
		struct ctip_case_victim *v = &d->victims[i];

		ctip_person_pseudonym(v->pseudonym, ax->kr, v->row.person_id);
		v->age_on = v->row.event_on != NULL &&
					    ctip_date_valid(v->row.event_on)
				    ? v->row.event_on
				    : fallback;
		ctip_case_age_on(&v->age_min, &v->age_max, v->row.birth_date,
				 v->row.birth_year, v->age_on);
		if (v->age_max >= 0 && v->age_max < 16 && c->article != NULL &&
		    strcmp(c->article, "150") == 0)
			d->warnings[d->n_warnings++] =
				(struct ctip_case_warning){
					.code = "art151_expected",
					.person_id = v->row.person_id,
					.age = v->age_max
				};
		adults += v->age_min >= 16;
	}
	/* Art. 151 needs a victim under 16: say so only when every victim's
	 * age is known to be 16 or more. */
	if (c->article != NULL && strcmp(c->article, "151") == 0 &&
	    d->n_victims > 0 && adults == d->n_victims)
		d->warnings[d->n_warnings++] = (struct ctip_case_warning){
			.code = "art150_expected", .person_id = 0, .age = -1
		};
	return CTIP_OK;
}

/* The steps sc may take on c now. */
static void
next_steps(struct ctip_case_detail *d)
{
	const struct ctip_case_rec *c = &d->rec;
	const struct ctip_case_scope *sc = &d->scope;
	int i = index_of(c->stage, chain);

	d->n_next = 0;
	if (i >= 0 && i < 6 && may_reach(sc, chain[i + 1]))
		d->next[d->n_next++] = chain[i + 1];
	if (is_open(c->stage) && holds(sc, c->stage)) {
		d->next[d->n_next++] = "suspended";
		d->next[d->n_next++] = "closed";
	}
	if (strcmp(c->stage, "suspended") == 0 && c->suspended_from != NULL &&
	    holds(sc, c->suspended_from)) {
		d->next[d->n_next++] = "resumed";
		d->next[d->n_next++] = "closed";
	}
}

enum ctip_status
ctip_case_detail(struct ctip_case_detail *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err)
{
	const struct ctip_case_ops *ops = ax->st->ops->cases;
	struct ctip_store *st = ax->st;
	char object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = "case.read",
				       .object_type = "case",
				       .object_id = object_id };
	struct ctip_user_row u;
	struct ctip_case_stage_row *stages;
	struct ctip_case_offender_row *offenders;
	struct ctip_case_victim_row *victims;
	bool identity;
	enum ctip_status rc;
	int i;

	memset(out, 0, sizeof(*out));
	rc = ops->get(&out->rec, st, id, a, err);
	if (rc == CTIP_OK) {
		ctip_authz_case(&out->scope, p, out->rec.owner_unit_id,
				out->rec.province_code);
		if (out->scope.view == CTIP_VIEW_NONE)
			rc = CTIP_ENOTFOUND;
	}
	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	if (rc == CTIP_ENOTFOUND) {
		ctip_err_set(err, CTIP_ENOTFOUND, "case %lld does not exist",
			     (long long)id);
		/* A refused read is audited, a missing id as a hidden one:
		 * a trace of probing, and the same answer and time (not for a
		 * role that reads no case at all: nothing to probe). */
		return ctip_authz_can(p, CTIP_PERM_CASE_READ)
			       ? ctip_audit_refusal(ax->q, st, ax->kr, &ev, rc,
						    err)
			       : rc;
	}
	if (rc != CTIP_OK)
		return rc;
	identity = out->scope.view == CTIP_VIEW_IDENTITY;
	if ((rc = st->ops->org_unit_get(&out->owner, st, out->rec.owner_unit_id,
					a, err)) != CTIP_OK ||
	    (rc = ops->stages(&stages, &out->n_stages, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = ops->offenders(&offenders, &out->n_offenders, st, id, a,
				 err)) != CTIP_OK ||
	    (rc = ops->victims(&victims, &out->n_victims, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = st->ops->case_intakes(&out->intake_ids, &out->n_intakes, st,
					id, a, err)) != CTIP_OK)
		return rc;
	out->stages = ctip_arena_alloc(a, (size_t)(out->n_stages + 1) *
						  sizeof(*out->stages));
	out->offenders = ctip_arena_alloc(a, (size_t)(out->n_offenders + 1) *
						     sizeof(*out->offenders));
	out->victims = ctip_arena_alloc(a, (size_t)(out->n_victims + 1) *
						   sizeof(*out->victims));
	if (out->stages == NULL || out->offenders == NULL ||
	    out->victims == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	memset(out->victims, 0,
	       (size_t)(out->n_victims + 1) * sizeof(*out->victims));
	for (i = 0; i < out->n_victims; i++)
		out->victims[i].row = victims[i];
	if ((rc = check_ages(out, ax, a, err)) != CTIP_OK)
		return rc;
	next_steps(out);
	/* The entry is durable before any sealed field is opened. */
	if (identity) {
		rc = ctip_audit_log(ax->q, st, ax->kr, &ev, 1, err);
		if (rc != CTIP_OK)
			return rc;
		rc = ctip_open_text(&out->title, ax->kr, "case.title",
				    out->rec.title_enc, out->rec.title_enc_len,
				    a, err);
	}
	out->rec.title_enc = NULL;
	for (i = 0; rc == CTIP_OK && i < out->n_stages; i++) {
		struct ctip_case_stage *s = &out->stages[i];

		memset(s, 0, sizeof(*s));
		s->row = stages[i];
		if (identity)
			rc = ctip_open_text(&s->note, ax->kr, "case.note",
					    s->row.note_enc,
					    s->row.note_enc_len, a, err);
		s->row.note_enc = NULL;
		if (rc == CTIP_OK && st->ops->user_get(&u, st, s->row.user_id,
						       a, err) == CTIP_OK)
			s->by = u.display_name;
	}
	for (i = 0; rc == CTIP_OK && i < out->n_offenders; i++) {
		struct ctip_case_offender *o = &out->offenders[i];

		memset(o, 0, sizeof(*o));
		o->row = offenders[i];
		if (identity)
			rc = ctip_open_text(
				&o->name, ax->kr, "case_offender.name",
				o->row.name_enc, o->row.name_enc_len, a, err);
		if (rc == CTIP_OK && identity)
			rc = ctip_open_text(&o->citizen_id, ax->kr,
					    "case_offender.citizen_id",
					    o->row.citizen_id_enc,
					    o->row.citizen_id_enc_len, a, err);
		o->row.name_enc = o->row.citizen_id_enc = NULL;
	}
	return rc;
}

/* What ctip_case_move writes after the case row: the step. */
struct move_ctx {
	struct ctip_case_stage_row row;
};

static enum ctip_status
insert_stage(const struct ctip_access *ax, const struct ctip_case_rec *c,
	     void *arg, struct ctip_err *err)
{
	struct move_ctx *m = arg;
	int64_t sid;

	(void)c;
	return ax->st->ops->cases->stage_insert(&sid, ax->st, &m->row, err);
}

/*
 * A lead has no stage_on, so its first step (initiated, or suspended or
 * closed) is bounded here: not before the receipt (Viet Nam's day) of the
 * earliest intake it is linked to, as the decision answers that tip; a
 * lead without intakes, not before 2000-01-01, the floor of an intake's
 * receipt (a tip and a case the police found themselves start alike).
 * Not the day the lead was opened: a case already initiated before the
 * system was in use is entered after the fact, with its true day.
 */
static enum ctip_status
lead_not_before(struct ctip_store *st, int64_t id, const char *on,
		struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_intake_row intake;
	char day[11], first[11] = "";
	int64_t *ids, first_id = 0;
	enum ctip_status rc;
	int i, n;

	if ((rc = st->ops->case_intakes(&ids, &n, st, id, a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = st->ops->intake_get(&intake, st, ids[i], a, err)) !=
		    CTIP_OK)
			return rc;
		ctip_day_of(day, intake.received_at);
		if (first_id == 0 || strcmp(day, first) < 0) {
			memcpy(first, day, sizeof(first));
			first_id = ids[i];
		}
	}
	if (first_id != 0 && strcmp(on, first) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "on",
				      "on: %s is before intake %lld the case "
				      "came from was received on %s",
				      on, (long long)first_id, first);
	if (first_id == 0 && strcmp(on, "2000-01-01") < 0)
		return ctip_err_field(err, CTIP_EINVAL, "on",
				      "on: %s is before 2000-01-01", on);
	return CTIP_OK;
}

enum ctip_status
ctip_case_move(const struct ctip_access *ax, const struct ctip_principal *p,
	       int64_t id, int version, const struct ctip_case_step *in,
	       struct ctip_err *err)
{
	static const char *const targets[] = {
		"initiated", "investigated", "solved", "indicted", "tried",
		"verdict",   "suspended",    "closed", "resumed",  NULL
	};
	struct ctip_case_rec c;
	struct ctip_case_scope sc;
	struct move_ctx m;
	struct ctip_arena a;
	const char *from, *to = in->to, *article;
	char day[11], now[24], reason[96];
	bool allowed = false, permitted = false, stop;
	enum ctip_status rc;
	int i;

	if (to == NULL || index_of(to, targets) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "to",
				      "to: initiated, investigated, solved, "
				      "indicted, tried, verdict, suspended, "
				      "closed or resumed");
	if (in->on == NULL || !ctip_date_valid(in->on))
		return ctip_err_field(err, CTIP_EINVAL, "on",
				      "on: a date yyyy-mm-dd is required");
	stop = strcmp(to, "suspended") == 0 || strcmp(to, "closed") == 0;
	if ((rc = ctip_text_check(in->note, CTIP_CASE_NOTE_MAX, stop, "note",
				  err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	if ((rc = load(&c, &sc, ax, p, id, version, "case.stage", NULL, &a,
		       err)) != CTIP_OK)
		goto out;
	from = c.stage;
	i = index_of(from, chain);
	if (stop) {
		allowed = is_open(from) || (strcmp(to, "closed") == 0 &&
					    strcmp(from, "suspended") == 0);
		permitted = holds(&sc, strcmp(from, "suspended") == 0
					       ? c.suspended_from
					       : from);
	} else if (strcmp(to, "resumed") == 0) {
		allowed = strcmp(from, "suspended") == 0 &&
			  c.suspended_from != NULL;
		permitted = allowed && holds(&sc, c.suspended_from);
	} else {
		allowed = i >= 0 && chain[i + 1] != NULL &&
			  strcmp(chain[i + 1], to) == 0;
		permitted = may_reach(&sc, to);
	}
	if (!allowed) {
		rc = ctip_err_field(err, CTIP_ETRANSITION, "to",
				    "case %lld is %s: it cannot be %s now",
				    (long long)id, from, to);
		goto out;
	}
	if (!permitted) {
		rc = ctip_err_field(err, CTIP_EFORBIDDEN, "to",
				    "another agency moves a case that is %s "
				    "to %s",
				    from, to);
		goto out;
	}
	ctip_today(day);
	if (strcmp(in->on, day) > 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "on",
				    "on: %s is in the future", in->on);
		goto out;
	}
	if (c.stage_on != NULL && strcmp(in->on, c.stage_on) < 0) {
		rc = ctip_err_field(err, CTIP_EINVAL, "on",
				    "on: %s is before the case became %s on "
				    "%s",
				    in->on, from, c.stage_on);
		goto out;
	}
	if (c.stage_on == NULL &&
	    (rc = lead_not_before(ax->st, id, in->on, &a, err)) != CTIP_OK)
		goto out;
	if (strcmp(to, "initiated") == 0) {
		article = in->article != NULL ? in->article : c.article;
		if ((rc = check_number(in->case_number, err)) != CTIP_OK)
			goto out;
		if (article == NULL || index_of(article, articles) < 0) {
			rc = ctip_err_field(err, CTIP_EINVAL, "article",
					    "article: 150, 151 or other is "
					    "required to initiate");
			goto out;
		}
		c.article = article;
		c.case_number = in->case_number;
		c.initiated_on = in->on;
	} else if (in->case_number != NULL || in->article != NULL) {
		rc = ctip_err_field(
			err, CTIP_EINVAL,
			in->case_number != NULL ? "case_number" : "article",
			"%s: only given to initiate; edit the "
			"case to change it",
			in->case_number != NULL ? "case_number" : "article");
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.row.case_id = id;
	m.row.from_stage = from;
	m.row.on_date = in->on;
	m.row.unit_id = p->unit_id;
	m.row.user_id = p->user_id;
	m.row.note_enc = ctip_seal_text(&m.row.note_enc_len, ax->kr,
					"case.note", in->note, &a);
	ctip_now(now);
	m.row.created_at = now;
	if (strcmp(to, "suspended") == 0) {
		c.suspended_from = from;
		c.stage = "suspended";
	} else if (strcmp(to, "closed") == 0) {
		c.stage = "closed";
	} else if (strcmp(to, "resumed") == 0) {
		c.stage = c.suspended_from;
		c.suspended_from = NULL;
	} else {
		c.stage = to;
		if (strcmp(to, "investigated") == 0 && !c.investigated_on)
			c.investigated_on = in->on;
		if (strcmp(to, "solved") == 0 && !c.solved_on)
			c.solved_on = in->on;
		if (strcmp(to, "indicted") == 0 && !c.indicted_on)
			c.indicted_on = in->on;
		if (strcmp(to, "tried") == 0 && !c.tried_on)
			c.tried_on = in->on;
		if (strcmp(to, "verdict") == 0 && !c.verdict_on)
			c.verdict_on = in->on;
	}
	c.stage_on = in->on;
	m.row.to_stage = c.stage;
	snprintf(reason, sizeof(reason), "stage %s -> %s on %s", from, c.stage,
		 in->on);
	rc = save(ax, p, &c, "case.stage", reason, insert_stage, &m, err);
out:
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_case_edit(const struct ctip_access *ax, const struct ctip_principal *p,
	       int64_t id, int version, const char *title, const char *article,
	       const char *case_number, struct ctip_err *err)
{
	struct ctip_case_rec c;
	struct ctip_case_scope sc;
	struct ctip_arena a;
	enum ctip_status rc;

	if (title != NULL &&
	    (rc = ctip_text_check(title, CTIP_CASE_TITLE_MAX, true, "title",
				  err)) != CTIP_OK)
		return rc;
	if (article != NULL && index_of(article, articles) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "article",
				      "article: 150, 151 or other");
	if (case_number != NULL &&
	    (rc = check_number(case_number, err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	if ((rc = load(&c, &sc, ax, p, id, version, "case.update",
		       "edit a case", &a, err)) != CTIP_OK)
		goto out;
	if (case_number != NULL && c.initiated_on == NULL) {
		rc = ctip_err_field(err, CTIP_EINVAL, "case_number",
				    "case_number: given when the case is "
				    "initiated");
		goto out;
	}
	if (title != NULL) {
		c.title_enc = ctip_seal_text(&c.title_enc_len, ax->kr,
					     "case.title", title, &a);
		if (c.title_enc == NULL) {
			rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
			goto out;
		}
	}
	if (article != NULL)
		c.article = article;
	if (case_number != NULL)
		c.case_number = case_number;
	rc = save(ax, p, &c, "case.update", NULL, NULL, NULL, err);
out:
	ctip_arena_free(&a);
	return rc;
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return i == n;
}

static enum ctip_status
insert_offender(const struct ctip_access *ax, const struct ctip_case_rec *c,
		void *arg, struct ctip_err *err)
{
	struct ctip_case_offender_row *o = arg;
	int64_t *out = (int64_t *)&o->id;

	(void)c;
	return ax->st->ops->cases->offender_insert(out, ax->st, o, err);
}

enum ctip_status
ctip_case_add_offender(int64_t *out, const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       const struct ctip_offender_input *in,
		       struct ctip_err *err)
{
	struct ctip_case_offender_row o, *existing;
	struct ctip_case_rec c;
	struct ctip_case_scope sc;
	struct ctip_arena a;
	unsigned char bidx[CTIP_BLIND_BYTES];
	char now[24], reason[64];
	int n, year;
	enum ctip_status rc;
	bool known;

	ctip_now(now);
	year = (int)strtol(now, NULL, 10);
	if (in->role == NULL || index_of(in->role, offender_roles) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "role",
				      "role: organiser, recruiter, broker, "
				      "transporter, buyer or other");
	if (in->sex != NULL && strcmp(in->sex, "F") != 0 &&
	    strcmp(in->sex, "M") != 0 && strcmp(in->sex, "U") != 0)
		return ctip_err_field(err, CTIP_EINVAL, "sex",
				      "sex: F, M or U");
	if (in->birth_year != 0 &&
	    (in->birth_year < 1900 || in->birth_year > year))
		return ctip_err_field(err, CTIP_EINVAL, "birth_year",
				      "birth_year: 1900 to %d", year);
	if ((rc = ctip_text_check(in->name, 200, false, "name", err)) !=
	    CTIP_OK)
		return rc;
	if (in->citizen_id != NULL && !all_digits(in->citizen_id, 12))
		return ctip_err_field(err, CTIP_EINVAL, "citizen_id",
				      "citizen_id: must be 12 digits");
	if (in->nationality != NULL) {
		if (strlen(in->nationality) != 2)
			known = false;
		else if ((rc = ax->st->ops->ref_exists(
				  &known, ax->st, CTIP_REF_COUNTRY,
				  in->nationality, err)) != CTIP_OK)
			return rc;
		if (!known)
			return ctip_err_field(err, CTIP_EINVAL, "nationality",
					      "nationality: unknown country "
					      "code");
	}
	ctip_arena_init(&a, 1 << 20);
	if ((rc = load(&c, &sc, ax, p, id, version, "case.offender_add",
		       "record offenders", &a, err)) != CTIP_OK)
		goto out;
	if ((rc = ax->st->ops->cases->offenders(&existing, &n, ax->st, id, &a,
						err)) != CTIP_OK)
		goto out;
	if (n >= CTIP_CASE_OFFENDERS_MAX) {
		rc = ctip_err_set(err, CTIP_ETOOBIG,
				  "case %lld has %d offenders already",
				  (long long)id, n);
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.case_id = id;
	o.role = in->role;
	o.sex = in->sex != NULL ? in->sex : "U";
	o.birth_year = in->birth_year;
	o.nationality = in->nationality;
	/* White space alone names nobody: not identified yet. */
	if (!ctip_text_blank(in->name))
		o.name_enc = ctip_seal_text(&o.name_enc_len, ax->kr,
					    "case_offender.name", in->name, &a);
	if (in->citizen_id != NULL) {
		o.citizen_id_enc = ctip_seal_text(&o.citizen_id_enc_len, ax->kr,
						  "case_offender.citizen_id",
						  in->citizen_id, &a);
		ctip_blind(bidx, ax->kr, "citizen_id", in->citizen_id);
		o.citizen_id_bidx = bidx;
	}
	o.created_at = now;
	o.created_by = p->user_id;
	snprintf(reason, sizeof(reason), "offender (%s)", in->role);
	rc = save(ax, p, &c, "case.offender_add", reason, insert_offender, &o,
		  err);
	if (rc == CTIP_OK)
		*out = o.id;
out:
	ctip_arena_free(&a);
	return rc;
}

struct link_ctx {
	int64_t other_id;
	const struct ctip_principal *p;
	bool intake;
};

static enum ctip_status
insert_link(const struct ctip_access *ax, const struct ctip_case_rec *c,
	    void *arg, struct ctip_err *err)
{
	struct link_ctx *l = arg;
	char now[24];

	if (l->intake)
		return ax->st->ops->intake_case_link(ax->st, l->other_id, c->id,
						     err);
	ctip_now(now);
	return ax->st->ops->cases->victim_link(ax->st, c->id, l->other_id, now,
					       l->p->user_id, err);
}

enum ctip_status
ctip_case_link_victim(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      int64_t person_id, const char *reason,
		      struct ctip_err *err)
{
	struct ctip_person_pending pp;
	struct ctip_case_victim_row *v;
	struct ctip_case_rec c;
	struct ctip_case_scope sc;
	struct link_ctx l = { .other_id = person_id, .p = p, .intake = false };
	struct ctip_arena a;
	char why[48];
	enum ctip_status rc;
	int n, i;

	ctip_arena_init(&a, 1 << 20);
	if ((rc = load(&c, &sc, ax, p, id, version, "case.victim_link",
		       "link victims", &a, err)) != CTIP_OK)
		goto out;
	/* The same answer for a person that does not exist and one p may
	 * not see with identity, and the same trace for the auditor. */
	rc = person_id > 0 ? ctip_person_authorize(&pp, ax, p, person_id,
						   reason, &a, err)
			   : CTIP_ENOTFOUND;
	if (rc == CTIP_OK && pp.view != CTIP_VIEW_IDENTITY)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND || rc == CTIP_EFORBIDDEN) {
		ctip_err_field(err, CTIP_ENOTFOUND, "person_id",
			       "person %lld does not exist",
			       (long long)person_id);
		rc = ctip_audit_denied(ax->q, ax->st, ax->kr, p,
				       "case.victim_link", "person", person_id,
				       CTIP_ENOTFOUND, err);
		goto out;
	}
	if (rc != CTIP_OK)
		goto out;
	if ((rc = ax->st->ops->cases->victims(&v, &n, ax->st, id, &a, err)) !=
	    CTIP_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (v[i].person_id == person_id) {
			rc = ctip_err_field(err, CTIP_EEXIST, "person_id",
					    "person %lld is a victim of case "
					    "%lld already",
					    (long long)person_id,
					    (long long)id);
			goto out;
		}
	if (n >= CTIP_CASE_VICTIMS_MAX) {
		rc = ctip_err_set(err, CTIP_ETOOBIG,
				  "case %lld has %d victims already",
				  (long long)id, n);
		goto out;
	}
	snprintf(why, sizeof(why), "victim person %lld", (long long)person_id);
	rc = save(ax, p, &c, "case.victim_link", why, insert_link, &l, err);
out:
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_case_link_intake(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      int64_t intake_id, struct ctip_err *err)
{
	struct ctip_case_rec c;
	struct ctip_case_scope sc;
	struct link_ctx l = { .other_id = intake_id, .p = p, .intake = true };
	struct ctip_arena a;
	int64_t *ids;
	char why[48];
	enum ctip_status rc;
	int n, i;

	ctip_arena_init(&a, 1 << 20);
	if ((rc = load(&c, &sc, ax, p, id, version, "case.intake_link",
		       "link intakes", &a, err)) != CTIP_OK)
		goto out;
	rc = ctip_intake_visible(ax, p, intake_id, "case.intake_link", err);
	if (rc == CTIP_ENOTFOUND) {
		rc = ctip_err_field(err, CTIP_ENOTFOUND, "intake_id",
				    "intake %lld does not exist",
				    (long long)intake_id);
		goto out;
	}
	if (rc != CTIP_OK ||
	    (rc = ax->st->ops->case_intakes(&ids, &n, ax->st, id, &a, err)) !=
		    CTIP_OK)
		goto out;
	for (i = 0; i < n; i++)
		if (ids[i] == intake_id) {
			rc = ctip_err_field(err, CTIP_EEXIST, "intake_id",
					    "intake %lld is linked to case "
					    "%lld already",
					    (long long)intake_id,
					    (long long)id);
			goto out;
		}
	if (n >= CTIP_CASE_INTAKES_MAX) {
		rc = ctip_err_set(err, CTIP_ETOOBIG,
				  "case %lld has %d intakes already",
				  (long long)id, n);
		goto out;
	}
	snprintf(why, sizeof(why), "intake %lld", (long long)intake_id);
	rc = save(ax, p, &c, "case.intake_link", why, insert_link, &l, err);
out:
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_case_list(struct ctip_case_rec **out, int *n_out,
	       const struct ctip_access *ax, const struct ctip_principal *p,
	       const char *stage, int64_t before_id, int limit,
	       struct ctip_arena *a, struct ctip_err *err)
{
	static const char *const stages[] = {
		"lead",  "initiated", "investigated", "solved", "indicted",
		"tried", "verdict",   "suspended",    "closed", NULL
	};
	const char *province = ctip_authz_case_province(p);
	struct ctip_case_filter f = { 0 };
	struct ctip_case_scope sc;
	int64_t *ids;
	int n, i;
	enum ctip_status rc;

	*out = NULL;
	*n_out = 0;
	if (province == NULL)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role or unit may not list criminal "
				    "cases");
	if (stage != NULL && index_of(stage, stages) < 0)
		return ctip_err_field(err, CTIP_EINVAL, "stage",
				      "stage: unknown stage");
	if (limit < 1 || limit > CTIP_CASE_LIST_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "limit",
				      "limit: 1 to %d", CTIP_CASE_LIST_MAX);
	if (province[0] != '\0')
		f.province_code = province;
	else
		f.unit_id = p->unit_id;
	f.stage = stage;
	f.before_id = before_id > 0 ? before_id : 0;
	f.limit = limit;
	if ((rc = ax->st->ops->cases->list(&ids, &n, ax->st, &f, a, err)) !=
	    CTIP_OK)
		return rc;
	*out = ctip_arena_alloc(a, (size_t)(n + 1) * sizeof(**out));
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; i < n; i++) {
		struct ctip_case_rec *c = &(*out)[*n_out];

		if ((rc = ax->st->ops->cases->get(c, ax->st, ids[i], a, err)) !=
		    CTIP_OK)
			return rc;
		ctip_authz_case(&sc, p, c->owner_unit_id, c->province_code);
		c->title_enc = NULL;
		c->title_enc_len = 0;
		if (sc.view != CTIP_VIEW_NONE)
			(*n_out)++;
	}
	return CTIP_OK;
}

enum ctip_status
ctip_case_kpi(struct ctip_case_kpi *out, struct ctip_store *st,
	      const struct ctip_principal *p, const char *from, const char *to,
	      int64_t unit_id, const char *province, struct ctip_arena *a,
	      struct ctip_err *err)
{
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ctip_kpi_scope(&out->filter, st, p, from, to, unit_id,
				 province, a, err)) != CTIP_OK)
		return rc;
	if ((rc = st->ops->cases->kpi_counts(&out->counts, st, &out->filter,
					     err)) != CTIP_OK)
		return rc;
	{
		const struct ctip_kpi_ask asks[] = {
			{ &out->solved, "KPI_SOLVED", out->counts.solved,
			  out->counts.initiated },
			{ &out->indicted, "KPI_INDICTED", out->counts.indicted,
			  out->counts.solved },
			{ &out->tried, "KPI_TRIED", out->counts.tried,
			  out->counts.indicted },
		};

		return ctip_kpi_rates_fill(st, asks, CTIP_NELEM(asks), a, err);
	}
}

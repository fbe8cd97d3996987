/* casework.c: the process of a person, and the records around it. */
#include "core/casework.h"
#include "util/text.h"

/* The date the 2024 law's support regime starts (Law 53/2024 Art. 63). */
#define REGIME_2024 "2025-07-01"

/* Follow-up visits after a reintegration, in months (a house default:
 * the law sets no schedule). */
static const int visit_months[] = { 1, 3, 6, 12 };

static const char *const evidence_codes[] = { "a", "b", "c", "d", "dd",
					      "e", "g", "h", "i", NULL };
static const char *const doc_types[] = { "procedural_conclusion",
					 "rescue_confirmation",
					 "mission_confirmation",
					 "return_certificate",
					 "foreign_confirmation",
					 "police_confirmation",
					 "other",
					 NULL };
static const char *const locations[] = { "in_vn", "abroad", NULL };
static const char *const units[] = { "day",     "kit",         "trip",   "once",
				     "year",    "school_year", "course", "loan",
				     "session", "item",        NULL };
static const char *const consent_scopes[] = { "data_processing", "data_sharing",
					      "contact_family",  "media",
					      "research",        NULL };
static const char *const protection_kinds[] = {
	"identity_secrecy", "residence_guard", "escort", "relocation",
	"no_contact_order", "closed_trial",    "other",  NULL
};
static const char *const outcomes[] = { "stable", "needs_support", "at_risk",
					"moved",  "unreachable",   NULL };

/*
 * The state machine. A step is allowed from the listed statuses; an
 * accompanying minor is not verified or identified (they accompany the
 * adult who is), and goes from reception straight to protection, support
 * or reintegration.
 */
static const struct rule {
	const char *step;
	const char *from[6];
	const char *to; /* NULL: computed (reopen) */
	bool for_minor, needs_reason;
} rules[] = {
	{ "verify", { "received" }, "verifying", false, false },
	{ "identify", { "received", "verifying" }, "identified", false, false },
	{ "reject", { "received", "verifying" }, "not_victim", false, true },
	{ "protect", { "identified", "support" }, "protection", true, false },
	{ "support", { "identified", "protection" }, "support", true, false },
	{ "reintegrate",
	  { "identified", "protection", "support" },
	  "reintegration",
	  true,
	  false },
	{ "close",
	  { "received", "verifying", "identified", "protection", "support",
	    "reintegration" },
	  "closed",
	  true,
	  true },
	{ "reopen", { "closed", "not_victim" }, NULL, true, true },
};

static bool
is_minor(const struct ctip_person_rec *rec)
{
	return strcmp(rec->role, "accompanying_minor") == 0;
}

/* Whether rule r allows a person of role in status to take it. */
static bool
allowed(const struct rule *r, const char *role, const char *status)
{
	bool minor = strcmp(role, "accompanying_minor") == 0;
	int i;

	if (minor && !r->for_minor)
		return false;
	for (i = 0; i < 6 && r->from[i] != NULL; i++)
		if (strcmp(r->from[i], status) == 0)
			return true;
	/* A minor's "received" stands where an adult's "identified" does. */
	return minor && strcmp(status, "received") == 0 && r->to != NULL &&
	       strcmp(r->to, "closed") != 0 && r->for_minor;
}

static const struct rule *
find_rule(const char *step)
{
	size_t i;

	for (i = 0; step != NULL && i < CTIP_NELEM(rules); i++)
		if (strcmp(rules[i].step, step) == 0)
			return &rules[i];
	return NULL;
}

void
ctip_casework_next_steps(const char *out[9], const char *role,
			 const char *status)
{
	size_t i, n = 0;

	for (i = 0; i < CTIP_NELEM(rules) && n < 8; i++)
		if (allowed(&rules[i], role, status))
			out[n++] = rules[i].step;
	out[n] = NULL;
}

/* *out = the date in s (NULL or "": today), which must be a date no
 * later than today and no earlier than not_before (if set). */
static enum ctip_status
date_arg(const char **out, const char *s, const char *field,
	 const char *not_before, char buf[11], struct ctip_err *err)
{
	ctip_today(buf);
	if (ctip_text_blank(s)) {
		*out = buf;
		return CTIP_OK;
	}
	if (!ctip_date_valid(s) || strcmp(s, buf) > 0)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: must be a date yyyy-mm-dd no later "
				      "than today",
				      field);
	if (not_before != NULL && strncmp(s, not_before, 10) < 0)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: must not be before %.10s", field,
				      not_before);
	*out = s;
	return CTIP_OK;
}

/* *out = the date in s as date_arg, on the person's own timeline: not
 * before it was received, nor before its birth (its year when only that
 * is known). Reception is not before birth (ctip_person_prepare), but a
 * record stored before that check may be. */
static enum ctip_status
person_date(const char **out, const struct ctip_person_rec *rec, const char *s,
	    const char *field, char buf[11], struct ctip_err *err)
{
	enum ctip_status rc;

	if ((rc = date_arg(out, s, field, rec->received_on, buf, err)) !=
	    CTIP_OK)
		return rc;
	return ctip_birth_check(*out, field, rec->birth_date, rec->birth_year,
				err);
}

/* s sealed as field into a (NULL for blank); false when a is full. */
static bool
seal(const unsigned char **out, size_t *n, const struct ctip_keyring *kr,
     const char *field, const char *s, struct ctip_arena *a)
{
	*out = NULL;
	*n = 0;
	if (ctip_text_blank(s))
		return true;
	*out = ctip_seal_text(n, kr, field, s, a);
	return *out != NULL;
}

/*
 * Person id into rec if p may change its record: the casework permission
 * and identity through p's own unit or a grant. A person outside p's
 * scope reads as missing.
 */
static enum ctip_status
load_writable(struct ctip_person_rec *rec, const struct ctip_access *ax,
	      const struct ctip_principal *p, int64_t id, struct ctip_arena *a,
	      struct ctip_err *err)
{
	if (!ctip_authz_can(p, CTIP_PERM_CASEWORK))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not record casework");
	return ctip_person_writable(rec, ax, p, id, a, err);
}

/* Commit rc's transaction if it is CTIP_OK, else roll it back. */
static enum ctip_status
finish(struct ctip_store *st, enum ctip_status rc, struct ctip_err *err)
{
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

/* A change to one person's record, made in one transaction with its
 * audit entry once p's right to make it is checked. */
struct change {
	const struct ctip_access *ax;
	const struct ctip_principal *p;
	struct ctip_person_rec rec; /* the person, as loaded */
	struct ctip_arena a;
	char now[24], today[11];
	const char *action; /* audited when the change is made */
};

typedef enum ctip_status (*change_fn)(struct change *c, const void *in,
				      int64_t *out, struct ctip_err *err);

/* Load person id for a change by p, run fn(c, in, out), audit action. */
static enum ctip_status
change_person(int64_t *out, const struct ctip_access *ax,
	      const struct ctip_principal *p, int64_t id, const char *action,
	      change_fn fn, const void *in, struct ctip_err *err)
{
	struct change c = { .ax = ax, .p = p, .action = action };
	bool refused = false;
	int64_t unused;
	enum ctip_status rc;

	ctip_arena_init(&c.a, 1u << 20);
	ctip_now(c.now);
	if ((rc = ax->st->ops->begin(ax->st, err)) == CTIP_OK) {
		rc = load_writable(&c.rec, ax, p, id, &c.a, err);
		refused = rc == CTIP_ENOTFOUND;
		if (rc == CTIP_OK)
			rc = fn(&c, in, out ? out : &unused, err);
		if (rc == CTIP_OK)
			rc = ctip_audit_change(ax->st, ax->kr, p, c.action,
					       "person", id, NULL, err);
		rc = finish(ax->st, rc, err);
	}
	ctip_arena_free(&c.a);
	/* Refused as missing (or outside p's scope, in the same words): a
	 * trace for the auditor, as for a refused read, once the write's
	 * transaction is over. */
	if (refused)
		rc = ctip_audit_denied(ax->q, ax->st, ax->kr, p, action,
				       "person", id, rc, err);
	return rc;
}

/* s sealed as field into c's arena; CTIP_ETOOBIG when it is full. */
static enum ctip_status
seal_in(const unsigned char **out, size_t *n, struct change *c,
	const char *field, const char *s, struct ctip_err *err)
{
	if (!seal(out, n, c->ax->kr, field, s, &c->a))
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return CTIP_OK;
}

/* The status a reopened person returns to: the one they were closed
 * from (the last "close" of steps[0..n)), or verification for a person
 * found not to be a victim. */
static const char *
reopen_status(const struct ctip_person_rec *rec,
	      const struct ctip_step_row *steps, int n)
{
	int i;

	if (strcmp(rec->status, "closed") == 0)
		for (i = n - 1; i >= 0; i--)
			if (strcmp(steps[i].step, "close") == 0)
				return steps[i].from_status;
	return is_minor(rec) ? "received" : "verifying";
}

/* The date of the latest of steps[0..n) (the reception when none). */
static const char *
last_step_date(const struct ctip_person_rec *rec,
	       const struct ctip_step_row *steps, int n)
{
	const char *last = rec->received_on;
	int i;

	for (i = 0; i < n; i++)
		if (last == NULL || strcmp(steps[i].on_date, last) > 0)
			last = steps[i].on_date;
	return last;
}

static enum ctip_status
check_identification(const struct ctip_step_input *in, const char *on,
		     char *evidence, size_t cap, struct ctip_err *err)
{
	size_t n = 0, len;
	int i, j;

	if (in->n_evidence < 1)
		return ctip_err_field(err, CTIP_EINVAL, "evidence",
				      "evidence: name at least one source of "
				      "Law Art. 32.1 (a to i)");
	evidence[0] = '\0';
	for (i = 0; i < in->n_evidence; i++) {
		if (!ctip_one_of(in->evidence[i], evidence_codes))
			return ctip_err_field(err, CTIP_EINVAL, "evidence",
					      "evidence: \"%s\" is not a "
					      "source of Art. 32.1 (a, b, c, "
					      "d, dd, e, g, h, i)",
					      in->evidence[i] ? in->evidence[i]
							      : "");
		for (j = 0; j < i; j++)
			if (strcmp(in->evidence[j], in->evidence[i]) == 0)
				return ctip_err_field(err, CTIP_EINVAL,
						      "evidence",
						      "evidence: \"%s\" given "
						      "twice",
						      in->evidence[i]);
		len = strlen(in->evidence[i]);
		if (n + len + 2 > cap)
			break;
		if (n > 0)
			evidence[n++] = ',';
		memcpy(evidence + n, in->evidence[i], len + 1);
		n += len;
	}
	if (!ctip_one_of(in->doc_type, doc_types))
		return ctip_err_field(err, CTIP_EINVAL, "document.type",
				      "document.type: the confirming document "
				      "is required (procedural_conclusion, "
				      "rescue_confirmation, "
				      "mission_confirmation, "
				      "return_certificate, "
				      "foreign_confirmation, "
				      "police_confirmation or other)");
	if (ctip_text_check(in->doc_issuer, 200, true, "document.issuer",
			    err) != CTIP_OK ||
	    ctip_text_check(in->doc_number, 100, true, "document.number",
			    err) != CTIP_OK)
		return err->code;
	if (ctip_text_blank(in->doc_date) || !ctip_date_valid(in->doc_date) ||
	    strcmp(in->doc_date, on) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "document.date",
				      "document.date: a date yyyy-mm-dd no "
				      "later than the identification");
	return CTIP_OK;
}

/* Schedule the follow-up visits after a reintegration on date on. */
static enum ctip_status
schedule_visits(const struct ctip_access *ax, const struct ctip_principal *p,
		int64_t id, const char *on, const char *now,
		struct ctip_err *err)
{
	struct ctip_follow_up_row row = { .person_id = id,
					  .unit_id = p->unit_id,
					  .created_by = p->user_id,
					  .created_at = now };
	char due[11];
	int64_t fid;
	enum ctip_status rc = CTIP_OK;
	size_t i;

	for (i = 0; rc == CTIP_OK && i < CTIP_NELEM(visit_months); i++) {
		ctip_date_add(due, on, 0, visit_months[i]);
		row.due_on = due;
		rc = ax->st->ops->casework->follow_up_insert(&fid, ax->st, &row,
							     err);
	}
	return rc;
}

static enum ctip_status
do_step(struct change *c, const void *arg, int64_t *out, struct ctip_err *err)
{
	const struct ctip_step_input *in = arg;
	const struct rule *r = find_rule(in->step);
	const struct ctip_casework_ops *ops = c->ax->st->ops->casework;
	struct ctip_person_rec *rec = &c->rec;
	struct ctip_step_row row = { .person_id = rec->id,
				     .from_status = rec->status,
				     .unit_id = c->p->unit_id,
				     .user_id = c->p->user_id,
				     .created_at = c->now };
	struct ctip_status_change sc = { .person_id = rec->id,
					 .version = rec->version,
					 .role = rec->role,
					 .now = c->now,
					 .user_id = c->p->user_id };
	bool identify = r != NULL && strcmp(r->step, "identify") == 0;
	struct ctip_step_row *steps;
	int n_steps;
	char evidence[32];
	enum ctip_status rc;

	if (r == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "step",
				      "step: must be verify, identify, reject, "
				      "protect, support, reintegrate, close or "
				      "reopen");
	if (is_minor(rec) && !r->for_minor)
		return ctip_err_rule(err, CTIP_ETRANSITION, "step",
				     "minor_step",
				     "step: an accompanying minor is not "
				     "verified, identified or rejected; "
				     "register a child who was trafficked as "
				     "a person under identification");
	/* A stale view first: what the user saw is no longer so. */
	if (in->version != rec->version)
		return ctip_err_field(err, CTIP_ECONFLICT, "version",
				      "the person was changed by someone else "
				      "(version %d, not %d); reload and try "
				      "again",
				      rec->version, in->version);
	if (!allowed(r, rec->role, rec->status))
		return ctip_err_rule(err, CTIP_ETRANSITION, "step",
				     "person_step",
				     "step: \"%s\" is not allowed while the "
				     "person is %s",
				     r->step, rec->status);
	row.step = r->step;
	if ((rc = c->ax->st->ops->casework->steps(&steps, &n_steps, c->ax->st,
						  rec->id, &c->a, err)) !=
	    CTIP_OK)
		return rc;
	row.to_status = r->to ? r->to : reopen_status(rec, steps, n_steps);
	if ((rc = date_arg(&row.on_date, in->on, "on",
			   last_step_date(rec, steps, n_steps), c->today,
			   err)) != CTIP_OK ||
	    (rc = ctip_text_check(in->reason, CTIP_NOTE_MAX, r->needs_reason,
				  "reason", err)) != CTIP_OK ||
	    (identify &&
	     (rc = check_identification(in, row.on_date, evidence,
					sizeof(evidence), err)) != CTIP_OK) ||
	    (rc = seal_in(&row.reason_enc, &row.reason_enc_len, c,
			  "step.reason", in->reason, err)) != CTIP_OK)
		return rc;
	if (identify) {
		row.evidence = evidence;
		row.doc_type = in->doc_type;
		row.doc_issuer = in->doc_issuer;
		row.doc_date = in->doc_date;
		sc.role = "victim";
		sc.identified_on = row.on_date;
		if ((rc = seal_in(&row.doc_number_enc, &row.doc_number_enc_len,
				  c, "step.doc_number", in->doc_number, err)) !=
		    CTIP_OK)
			return rc;
	}
	sc.status = row.to_status;
	if ((rc = ops->step_insert(out, c->ax->st, &row, err)) != CTIP_OK ||
	    (rc = ops->set_status(c->ax->st, &sc, err)) != CTIP_OK)
		return rc;
	if (strcmp(r->step, "reintegrate") == 0)
		rc = schedule_visits(c->ax, c->p, rec->id, row.on_date, c->now,
				     err);
	return rc;
}

enum ctip_status
ctip_casework_step(int64_t *step_id, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id,
		   const struct ctip_step_input *in, struct ctip_err *err)
{
	return change_person(step_id, ax, p, id, "person.step", do_step, in,
			     err);
}

enum ctip_status
ctip_casework_registering(const char **role, const struct ctip_person_input *in,
			  struct ctip_err *err)
{
	bool victim = in->role != NULL && strcmp(in->role, "victim") == 0;

	*role = victim ? "under_identification" : in->role;

	if (victim && in->identification == NULL)
		return ctip_err_field(
			err, CTIP_EINVAL, "identification",
			"identification: a person registered as a victim "
			"comes with how they were identified (Law Art. "
			"32-33: the date, the evidence and the confirming "
			"document); register a person not yet identified as "
			"under identification");
	/* (A role that is none of the three is the role's error.) */
	if (!victim && in->identification != NULL && in->role != NULL &&
	    (strcmp(in->role, "under_identification") == 0 ||
	     strcmp(in->role, "accompanying_minor") == 0))
		return ctip_err_field(err, CTIP_EINVAL, "identification",
				      "identification: only for a person "
				      "registered as a victim");
	return CTIP_OK;
}

enum ctip_status
ctip_casework_identify_registered(const struct ctip_access *ax,
				  const struct ctip_principal *p, int64_t id,
				  const struct ctip_step_input *in,
				  const char *now, struct ctip_err *err)
{
	struct change c = { .ax = ax, .p = p };
	struct ctip_step_input step = *in;
	int64_t unused;
	enum ctip_status rc;

	ctip_arena_init(&c.a, 1u << 16);
	snprintf(c.now, sizeof(c.now), "%s", now);
	rc = ax->st->ops->person_get(&c.rec, ax->st, id, &c.a, err);
	if (rc == CTIP_OK) {
		step.step = "identify";
		step.version = c.rec.version;
		if (ctip_text_blank(step.on))
			step.on = c.rec.received_on;
		rc = do_step(&c, &step, &unused, err);
		if (rc != CTIP_OK && err->field[0] != '\0')
			ctip_err_prefix(err, "identification.");
		/* Found by an auditor with every other identification. */
		if (rc == CTIP_OK)
			rc = ctip_audit_change(ax->st, ax->kr, p, "person.step",
					       "person", id, NULL, err);
	}
	ctip_arena_free(&c.a);
	return rc;
}

/* The person a minor accompanies, or NULL for anyone else. */
static enum ctip_status
load_adult(struct ctip_person_rec **out, struct ctip_store *st,
	   const struct ctip_person_rec *rec, struct ctip_arena *a,
	   struct ctip_err *err)
{
	*out = NULL;
	if (!is_minor(rec))
		return CTIP_OK;
	*out = ctip_arena_alloc(a, sizeof(**out));
	if (*out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return st->ops->person_get(*out, st, rec->accompanies_id, a, err);
}

/* The date that picks the support regime of rec (and its adult). */
static const char *
regime_date(const struct ctip_person_rec *rec,
	    const struct ctip_person_rec *adult, const char *fallback)
{
	if (rec->identified_on != NULL)
		return rec->identified_on;
	if (adult != NULL && adult->identified_on != NULL)
		return adult->identified_on;
	return rec->received_on != NULL ? rec->received_on : fallback;
}

static const char *
role_phrase(const char *role)
{
	return strcmp(role, "victim") == 0 ? "a victim"
	       : strcmp(role, "under_identification") == 0
		       ? "a person under identification"
		       : "an accompanying minor";
}

/* The entitlement of rec (with adult, for a minor) to code at location;
 * services: the ledger, to count what was used. */
static enum ctip_status
entitle_one(struct ctip_entitlement *e, struct ctip_store *st,
	    const struct ctip_person_rec *rec,
	    const struct ctip_person_rec *adult, const char *code,
	    const char *location, const struct ctip_service_row *services,
	    int n_services, struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_entitlement_row cell, adult_cell;
	const char *citizenship = adult ? adult->citizenship : rec->citizenship;
	const char *date;
	char buf[11], *msg;
	enum ctip_status rc;
	int i, j;

	memset(e, 0, sizeof(*e));
	e->support_code = code;
	ctip_today(buf);
	date = regime_date(rec, adult, buf);
	e->regime = strcmp(date, REGIME_2024) < 0 ? "2011" : "2024";
	rc = st->ops->casework->entitlement(&cell, st, code, rec->role,
					    citizenship, location, a, err);
	if (rc == CTIP_OK && adult != NULL)
		rc = st->ops->casework->entitlement(&adult_cell, st, code,
						    adult->role, citizenship,
						    location, a, err);
	if (rc == CTIP_ENOTFOUND)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "the entitlement matrix has no row for "
				    "%s; run \"ctip ref load\"",
				    code);
	if (rc == CTIP_OK)
		rc = st->ops->casework->support_limits(&e->limits, &e->n_limits,
						       st, code, date, a, err);
	if (rc != CTIP_OK)
		return rc;
	e->legal_basis = cell.legal_basis;
	e->entitled = cell.entitled && (adult == NULL || adult_cell.entitled);
	msg = ctip_arena_alloc(a, 512);
	if (msg == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if (strcmp(rec->status, "closed") == 0 ||
	    strcmp(rec->status, "not_victim") == 0) {
		e->entitled = false;
		snprintf(msg, 512,
			 "the person's record is %s: reopen it to give "
			 "support",
			 strcmp(rec->status, "closed") == 0
				 ? "closed"
				 : "closed as not a victim");
		e->refusal = msg;
		e->refusal_code = rec->status;
	} else if (!cell.entitled) {
		snprintf(msg, 512,
			 "%s is not among the supports of %s (%s, %s): %s",
			 code, role_phrase(rec->role), citizenship,
			 strcmp(location, "abroad") == 0 ? "abroad"
							 : "in Viet Nam",
			 cell.legal_basis);
		e->refusal = msg;
		e->refusal_code = "not_in_matrix";
	} else if (!e->entitled) {
		snprintf(msg, 512,
			 "%s: the %s the minor accompanies is not entitled "
			 "to it (%s)",
			 code,
			 strcmp(adult->role, "victim") == 0
				 ? "victim"
				 : "person under identification",
			 adult_cell.legal_basis);
		e->refusal = msg;
		e->refusal_code = "adult_not_entitled";
	}
	e->used = ctip_arena_alloc(a, (size_t)(e->n_limits + 1) * sizeof(long));
	if (e->used == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; i < e->n_limits; i++) {
		e->used[i] = 0;
		for (j = 0; j < n_services; j++)
			if (strcmp(services[j].support_code, code) == 0 &&
			    strcmp(services[j].unit, e->limits[i].unit) == 0 &&
			    strcmp(services[j].regime, e->regime) == 0)
				e->used[i] += services[j].quantity;
	}
	return CTIP_OK;
}

static enum ctip_status
check_location(const char **out, const char *location, struct ctip_err *err)
{
	*out = ctip_text_blank(location) ? "in_vn" : location;
	if (!ctip_one_of(*out, locations))
		return ctip_err_field(err, CTIP_EINVAL, "location",
				      "location: must be in_vn or abroad");
	return CTIP_OK;
}

/* Whether p may read person id at all (for the entitlement view). */
static enum ctip_status
load_readable(struct ctip_person_rec *rec, const struct ctip_access *ax,
	      const struct ctip_principal *p, int64_t id, struct ctip_arena *a,
	      struct ctip_err *err)
{
	enum ctip_view view;
	bool needs_reason;
	enum ctip_status rc;

	if (!ctip_authz_can(p, CTIP_PERM_PERSON_READ))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not read persons");
	rc = ax->st->ops->person_get(rec, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = ctip_authz_person(&view, &needs_reason, ax->st, p, rec,
				       err);
	/* Missing and out of scope read alike (see load_writable). */
	if (rc == CTIP_ENOTFOUND || (rc == CTIP_OK && view == CTIP_VIEW_NONE))
		rc = ctip_err_set(err, CTIP_ENOTFOUND,
				  "person %lld does not exist", (long long)id);
	return rc;
}

enum ctip_status
ctip_casework_entitlements(struct ctip_entitlement out[10],
			   const struct ctip_access *ax,
			   const struct ctip_principal *p, int64_t id,
			   const char *location, struct ctip_arena *a,
			   struct ctip_err *err)
{
	struct ctip_person_rec rec, *adult;
	struct ctip_service_row *services;
	const char **codes;
	int n_codes, n_services, i;
	enum ctip_status rc;

	if ((rc = check_location(&location, location, err)) != CTIP_OK ||
	    (rc = load_readable(&rec, ax, p, id, a, err)) != CTIP_OK ||
	    (rc = load_adult(&adult, ax->st, &rec, a, err)) != CTIP_OK ||
	    (rc = ax->st->ops->ref_codes(&codes, &n_codes, ax->st,
					 CTIP_REF_SUPPORT_TYPE, a, err)) !=
		    CTIP_OK ||
	    (rc = ax->st->ops->casework->services(
		     &services, &n_services, ax->st, id, a, err)) != CTIP_OK)
		return rc;
	if (n_codes != 10)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "expected the 10 support types of Art. "
				    "37, found %d",
				    n_codes);
	for (i = 0; i < 10 && rc == CTIP_OK; i++)
		rc = entitle_one(&out[i], ax->st, &rec, adult, codes[i],
				 location, services, n_services, a, err);
	return rc;
}

/* Why in may not be given under e (NULL if it may), into a. */
static const char *
service_refusal(const struct ctip_entitlement *e,
		const struct ctip_service_input *in, struct ctip_arena *a)
{
	char *msg;
	int i;

	if (!e->entitled)
		return e->refusal;
	for (i = 0; i < e->n_limits; i++) {
		const struct ctip_support_limit *l = &e->limits[i];

		if (strcmp(l->unit, in->unit) != 0)
			continue;
		msg = ctip_arena_alloc(a, 512);
		if (msg == NULL)
			return "out of memory";
		if (l->max_units > 0 &&
		    e->used[i] + in->quantity > l->max_units) {
			snprintf(msg, 512,
				 "%s: %ld of %ld %s already given; %ld more "
				 "would pass the limit of %s",
				 e->support_code, e->used[i], l->max_units,
				 l->unit, in->quantity, l->legal_basis);
			return msg;
		}
		if (l->amount_vnd >= 0 &&
		    in->amount_vnd > l->amount_vnd * in->quantity) {
			snprintf(msg, 512,
				 "%s: %lld VND is more than %lld VND per %s "
				 "(%s)",
				 e->support_code, in->amount_vnd, l->amount_vnd,
				 l->unit, l->legal_basis);
			return msg;
		}
	}
	return NULL;
}

static enum ctip_status
check_unit(const struct ctip_entitlement *e, const char *unit,
	   struct ctip_err *err)
{
	int i;

	if (e->n_limits == 0) {
		if (ctip_one_of(unit, units))
			return CTIP_OK;
		return ctip_err_field(err, CTIP_EINVAL, "unit",
				      "unit: must be day, kit, trip, once, "
				      "year, school_year, course, loan, "
				      "session or item");
	}
	for (i = 0; i < e->n_limits; i++)
		if (unit != NULL && strcmp(unit, e->limits[i].unit) == 0)
			return CTIP_OK;
	return ctip_err_field(err, CTIP_EINVAL, "unit",
			      "unit: %s under the %s regime is counted in %s%s",
			      e->support_code, e->regime, e->limits[0].unit,
			      e->n_limits > 1 ? " (or another of its units)"
					      : "");
}

static enum ctip_status
do_service(struct change *c, const void *arg, int64_t *out,
	   struct ctip_err *err)
{
	const struct ctip_service_input *in = arg;
	struct ctip_store *st = c->ax->st;
	struct ctip_service_row row = { .person_id = c->rec.id,
					.support_code = in->support_code,
					.provider_unit_id = c->p->unit_id,
					.unit = in->unit,
					.quantity = in->quantity,
					.amount_vnd = in->amount_vnd,
					.created_by = c->p->user_id,
					.created_at = c->now },
				*services;
	struct ctip_person_rec *adult;
	struct ctip_entitlement e;
	const char *refusal;
	bool found = false;
	int n_services;
	enum ctip_status rc = CTIP_OK;

	if (!ctip_text_blank(in->support_code))
		rc = st->ops->ref_exists(&found, st, CTIP_REF_SUPPORT_TYPE,
					 in->support_code, err);
	if (rc == CTIP_OK && !found)
		rc = ctip_err_field(err, CTIP_EINVAL, "support",
				    "support: one of the ten support types of "
				    "Law Art. 37 is required");
	if (rc == CTIP_OK)
		rc = check_location(&row.location, in->location, err);
	if (rc == CTIP_OK)
		rc = person_date(&row.provided_on, &c->rec, in->provided_on,
				 "provided_on", c->today, err);
	if (rc == CTIP_OK && (in->quantity < 1 || in->quantity > 100000))
		rc = ctip_err_field(err, CTIP_EINVAL, "quantity",
				    "quantity: a whole number from 1 to "
				    "100000");
	if (rc == CTIP_OK &&
	    (in->amount_vnd < 0 || in->amount_vnd > 1000000000000LL))
		rc = ctip_err_field(err, CTIP_EINVAL, "amount_vnd",
				    "amount_vnd: from 0 to 1,000,000,000,000");
	if (rc == CTIP_OK)
		rc = ctip_text_check(in->provider, 200, false, "provider", err);
	if (rc == CTIP_OK)
		rc = ctip_text_check(in->note, CTIP_NOTE_MAX, false, "note",
				     err);
	if (rc == CTIP_OK)
		rc = ctip_text_check(in->override_reason, CTIP_NOTE_MAX, false,
				     "override_reason", err);
	if (rc == CTIP_OK)
		rc = load_adult(&adult, st, &c->rec, &c->a, err);
	if (rc == CTIP_OK)
		rc = st->ops->casework->services(&services, &n_services, st,
						 c->rec.id, &c->a, err);
	if (rc == CTIP_OK)
		rc = entitle_one(&e, st, &c->rec, adult, in->support_code,
				 row.location, services, n_services, &c->a,
				 err);
	if (rc == CTIP_OK)
		rc = check_unit(&e, in->unit, err);
	if (rc != CTIP_OK)
		return rc;
	refusal = service_refusal(&e, in, &c->a);
	if (refusal != NULL && ctip_text_blank(in->override_reason))
		return ctip_err_field(err, CTIP_ENOTENTITLED, "support",
				      "%s; give override_reason to record it "
				      "anyway",
				      refusal);
	if (refusal != NULL) {
		c->action = "person.support.override";
		if ((rc = seal_in(&row.override_enc, &row.override_enc_len, c,
				  "service.override", in->override_reason,
				  err)) != CTIP_OK)
			return rc;
	}
	row.provider = ctip_text_blank(in->provider) ? NULL : in->provider;
	row.regime = e.regime;
	if ((rc = seal_in(&row.note_enc, &row.note_enc_len, c, "service.note",
			  in->note, err)) != CTIP_OK)
		return rc;
	return st->ops->casework->service_insert(out, st, &row, err);
}

enum ctip_status
ctip_casework_service(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_service_input *in, struct ctip_err *err)
{
	return change_person(out, ax, p, id, "person.support", do_service, in,
			     err);
}

static enum ctip_status
do_consent(struct change *c, const void *arg, int64_t *out,
	   struct ctip_err *err)
{
	const struct ctip_consent_input *in = arg;
	struct ctip_consent_row row = { .person_id = c->rec.id,
					.scope = in->scope,
					.given_by = in->given_by,
					.unit_id = c->p->unit_id,
					.created_by = c->p->user_id,
					.created_at = c->now };
	bool rep = in->given_by != NULL &&
		   strcmp(in->given_by, "representative") == 0;
	enum ctip_status rc;
	int age;

	if (!ctip_one_of(in->scope, consent_scopes))
		return ctip_err_field(err, CTIP_EINVAL, "scope",
				      "scope: must be data_processing, "
				      "data_sharing, contact_family, media or "
				      "research");
	if (!rep && (in->given_by == NULL || strcmp(in->given_by, "self") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "given_by",
				      "given_by: must be self or "
				      "representative");
	if ((rc = person_date(&row.given_on, &c->rec, in->given_on, "given_on",
			      c->today, err)) != CTIP_OK ||
	    (rc = ctip_text_check(in->representative, 300, rep,
				  "representative", err)) != CTIP_OK)
		return rc;
	/* Under 18 whenever the birth is known: a negative age (a date
	 * before the birth) is a child's too, not an unknown age. */
	age = ctip_age_on(c->rec.birth_date, c->rec.birth_year, row.given_on);
	if (!rep && (c->rec.birth_date != NULL || c->rec.birth_year > 0) &&
	    age < 18)
		return ctip_err_field(err, CTIP_EINVAL, "given_by",
				      "given_by: the person is under 18 (%d): "
				      "a legal representative consents",
				      age);
	if (rep &&
	    (rc = seal_in(&row.representative_enc, &row.representative_enc_len,
			  c, "consent.representative", in->representative,
			  err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->consent_insert(out, c->ax->st, &row,
							err);
}

enum ctip_status
ctip_casework_consent(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_consent_input *in, struct ctip_err *err)
{
	return change_person(out, ax, p, id, "person.consent", do_consent, in,
			     err);
}

/* What closes an open record of a person (a consent withdrawn, a
 * protection measure ended, a visit made): its id, the version the user
 * saw, the date and what else it says. */
struct closing {
	int64_t id;
	int version;
	const char *on, *reason, *outcome;
};

static enum ctip_status
do_withdraw(struct change *c, const void *arg, int64_t *out,
	    struct ctip_err *err)
{
	const struct closing *in = arg;
	struct ctip_consent_row row = { .id = in->id,
					.person_id = c->rec.id,
					.version = in->version },
				*all;
	enum ctip_status rc;
	int n, i;

	(void)out;
	if ((rc = c->ax->st->ops->casework->consents(
		     &all, &n, c->ax->st, c->rec.id, &c->a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n && all[i].id != in->id; i++)
		;
	if (i == n)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "consent %lld does not exist",
				    (long long)in->id);
	if (all[i].withdrawn_on != NULL)
		return ctip_err_rule(err, CTIP_ETRANSITION, NULL,
				     "consent_withdrawn",
				     "the consent was withdrawn on %s already",
				     all[i].withdrawn_on);
	if ((rc = date_arg(&row.withdrawn_on, in->on, "on", all[i].given_on,
			   c->today, err)) != CTIP_OK ||
	    (rc = ctip_text_check(in->reason, CTIP_NOTE_MAX, false, "reason",
				  err)) != CTIP_OK ||
	    (rc = seal_in(&row.withdrawal_enc, &row.withdrawal_enc_len, c,
			  "consent.withdrawal", in->reason, err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->consent_withdraw(c->ax->st, &row, err);
}

enum ctip_status
ctip_casework_withdraw(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id,
		       int64_t consent_id, int version, const char *on,
		       const char *reason, struct ctip_err *err)
{
	struct closing in = { consent_id, version, on, reason, NULL };

	return change_person(NULL, ax, p, id, "person.consent.withdraw",
			     do_withdraw, &in, err);
}

static enum ctip_status
do_protect(struct change *c, const void *arg, int64_t *out,
	   struct ctip_err *err)
{
	const struct ctip_protection_input *in = arg;
	struct ctip_protection_row row = {
		.person_id = c->rec.id,
		.kind = in->kind,
		.beneficiary = ctip_text_blank(in->beneficiary)
				       ? "person"
				       : in->beneficiary,
		.end_on = ctip_text_blank(in->end_on) ? NULL : in->end_on,
		.unit_id = c->p->unit_id,
		.created_by = c->p->user_id,
		.created_at = c->now,
	};
	enum ctip_status rc;

	if (!ctip_one_of(in->kind, protection_kinds))
		return ctip_err_field(err, CTIP_EINVAL, "kind",
				      "kind: must be identity_secrecy, "
				      "residence_guard, escort, relocation, "
				      "no_contact_order, closed_trial or "
				      "other");
	if (strcmp(row.beneficiary, "person") != 0 &&
	    strcmp(row.beneficiary, "relative") != 0)
		return ctip_err_field(err, CTIP_EINVAL, "beneficiary",
				      "beneficiary: must be person or "
				      "relative");
	if ((rc = person_date(&row.start_on, &c->rec, in->start_on, "start_on",
			      c->today, err)) != CTIP_OK)
		return rc;
	if (row.end_on != NULL && (!ctip_date_valid(row.end_on) ||
				   strcmp(row.end_on, row.start_on) < 0))
		return ctip_err_field(err, CTIP_EINVAL, "end_on",
				      "end_on: a date yyyy-mm-dd no earlier "
				      "than start_on");
	if ((rc = ctip_text_check(in->note, CTIP_NOTE_MAX, false, "note",
				  err)) != CTIP_OK ||
	    (rc = seal_in(&row.note_enc, &row.note_enc_len, c,
			  "protection.note", in->note, err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->protection_insert(out, c->ax->st, &row,
							   err);
}

enum ctip_status
ctip_casework_protect(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const struct ctip_protection_input *in,
		      struct ctip_err *err)
{
	return change_person(out, ax, p, id, "person.protection", do_protect,
			     in, err);
}

static enum ctip_status
do_protect_end(struct change *c, const void *arg, int64_t *out,
	       struct ctip_err *err)
{
	const struct closing *in = arg;
	struct ctip_protection_row row = { .id = in->id,
					   .person_id = c->rec.id,
					   .version = in->version },
				   *all;
	enum ctip_status rc;
	int n, i;

	(void)out;
	if ((rc = c->ax->st->ops->casework->protections(
		     &all, &n, c->ax->st, c->rec.id, &c->a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n && all[i].id != in->id; i++)
		;
	if (i == n)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "protection measure %lld does not exist",
				    (long long)in->id);
	if (all[i].end_on != NULL)
		return ctip_err_rule(
			err, CTIP_ETRANSITION, NULL, "measure_ended",
			"the measure ended on %s already", all[i].end_on);
	if ((rc = date_arg(&row.end_on, in->on, "on", all[i].start_on, c->today,
			   err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->protection_end(c->ax->st, &row, err);
}

enum ctip_status
ctip_casework_protect_end(const struct ctip_access *ax,
			  const struct ctip_principal *p, int64_t id,
			  int64_t measure_id, int version, const char *on,
			  struct ctip_err *err)
{
	struct closing in = { measure_id, version, on, NULL, NULL };

	return change_person(NULL, ax, p, id, "person.protection.end",
			     do_protect_end, &in, err);
}

static enum ctip_status
do_follow_up(struct change *c, const void *arg, int64_t *out,
	     struct ctip_err *err)
{
	const struct closing *in = arg;
	struct ctip_follow_up_row row = { .person_id = c->rec.id,
					  .unit_id = c->p->unit_id,
					  .due_on = in->on,
					  .created_by = c->p->user_id,
					  .created_at = c->now };
	enum ctip_status rc;

	if (ctip_text_blank(in->on) || !ctip_date_valid(in->on))
		return ctip_err_field(err, CTIP_EINVAL, "due_on",
				      "due_on: a date yyyy-mm-dd is required");
	if ((rc = ctip_text_check(in->reason, CTIP_NOTE_MAX, false, "note",
				  err)) != CTIP_OK ||
	    (rc = seal_in(&row.note_enc, &row.note_enc_len, c, "follow_up.note",
			  in->reason, err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->follow_up_insert(out, c->ax->st, &row,
							  err);
}

enum ctip_status
ctip_casework_follow_up(int64_t *out, const struct ctip_access *ax,
			const struct ctip_principal *p, int64_t id,
			const char *due_on, const char *note,
			struct ctip_err *err)
{
	struct closing in = { 0, 0, due_on, note, NULL };

	return change_person(out, ax, p, id, "person.follow_up", do_follow_up,
			     &in, err);
}

static enum ctip_status
do_visit(struct change *c, const void *arg, int64_t *out, struct ctip_err *err)
{
	const struct closing *in = arg;
	struct ctip_follow_up_row row = { .id = in->id,
					  .person_id = c->rec.id,
					  .version = in->version,
					  .outcome = in->outcome },
				  *all;
	enum ctip_status rc;
	int n, i;

	(void)out;
	if ((rc = c->ax->st->ops->casework->follow_ups(
		     &all, &n, c->ax->st, c->rec.id, &c->a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n && all[i].id != in->id; i++)
		;
	if (i == n)
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "follow-up visit %lld does not exist",
				    (long long)in->id);
	if (all[i].done_on != NULL)
		return ctip_err_rule(err, CTIP_ETRANSITION, NULL, "visit_done",
				     "the visit was recorded on %s already",
				     all[i].done_on);
	if ((rc = person_date(&row.done_on, &c->rec, in->on, "done_on",
			      c->today, err)) != CTIP_OK)
		return rc;
	if (!ctip_one_of(in->outcome, outcomes))
		return ctip_err_field(err, CTIP_EINVAL, "outcome",
				      "outcome: must be stable, needs_support, "
				      "at_risk, moved or unreachable");
	if ((rc = ctip_text_check(in->reason, CTIP_NOTE_MAX, false, "note",
				  err)) != CTIP_OK ||
	    (rc = seal_in(&row.note_enc, &row.note_enc_len, c, "follow_up.note",
			  in->reason, err)) != CTIP_OK)
		return rc;
	return c->ax->st->ops->casework->follow_up_done(c->ax->st, &row, err);
}

enum ctip_status
ctip_casework_visit(const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id,
		    int64_t visit_id, int version, const char *done_on,
		    const char *outcome, const char *note, struct ctip_err *err)
{
	struct closing in = { visit_id, version, done_on, note, outcome };

	return change_person(NULL, ax, p, id, "person.visit", do_visit, &in,
			     err);
}

static enum ctip_status
do_event(struct change *c, const void *in, int64_t *out, struct ctip_err *err)
{
	enum ctip_status rc;

	if ((rc = ctip_event_birth_check(in, c->rec.birth_date,
					 c->rec.birth_year, err)) != CTIP_OK)
		return rc;
	return ctip_event_create(out, c->ax->st, c->rec.id,
				 c->rec.province_code, in, c->now,
				 c->p->user_id, err);
}

enum ctip_status
ctip_casework_event(int64_t *out, const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id,
		    const struct ctip_event_input *in, struct ctip_err *err)
{
	return change_person(out, ax, p, id, "person.event", do_event, in, err);
}

/* blob opened as field when view shows identity, else NULL. */
static enum ctip_status
open_note(const char **out, const struct ctip_keyring *kr, enum ctip_view view,
	  const char *field, const unsigned char *blob, size_t n,
	  struct ctip_arena *a, struct ctip_err *err)
{
	*out = NULL;
	if (view != CTIP_VIEW_IDENTITY)
		return CTIP_OK;
	return ctip_open_text(out, kr, field, blob, n, a, err);
}

/* An array of n string pointers in a (at least one). */
static const char **
strings(int n, struct ctip_arena *a)
{
	return ctip_arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof(char *));
}

/* The rows of a person's casework (ctip_casework_load). */
static enum ctip_status
load_rows(struct ctip_casework *cw, struct ctip_store *st, int64_t id,
	  struct ctip_arena *a, struct ctip_err *err)
{
	const struct ctip_casework_ops *ops = st->ops->casework;
	enum ctip_status rc;

	if ((rc = ops->steps(&cw->steps, &cw->n_steps, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = ops->events(&cw->events, &cw->n_events, st, id, a, err)) !=
		    CTIP_OK ||
	    (rc = ops->consents(&cw->consents, &cw->n_consents, st, id, a,
				err)) != CTIP_OK ||
	    (rc = ops->services(&cw->services, &cw->n_services, st, id, a,
				err)) != CTIP_OK ||
	    (rc = ops->protections(&cw->protections, &cw->n_protections, st, id,
				   a, err)) != CTIP_OK ||
	    (rc = ops->follow_ups(&cw->follow_ups, &cw->n_follow_ups, st, id, a,
				  err)) != CTIP_OK ||
	    (rc = ops->minors(&cw->minors, &cw->n_minors, st, id, a, err)) !=
		    CTIP_OK)
		return rc;
	return st->ops->person_intakes(&cw->intakes, &cw->n_intakes, st, id, a,
				       err);
}

/* Each reads in one read transaction: one state of the database, and one
 * snapshot instead of one per statement. */
enum ctip_status
ctip_casework_authorize(struct ctip_person_pending *pp,
			struct ctip_casework *cw, const struct ctip_access *ax,
			const struct ctip_principal *p, int64_t id,
			const char *reason, struct ctip_arena *a,
			struct ctip_err *err)
{
	enum ctip_status rc;

	memset(pp, 0, sizeof(*pp));
	memset(cw, 0, sizeof(*cw));
	if ((rc = ax->st->ops->read_snapshot(ax->st, true, err)) != CTIP_OK)
		return rc;
	rc = ctip_person_authorize(pp, ax, p, id, reason, a, err);
	if (rc == CTIP_OK)
		rc = load_rows(cw, ax->st, id, a, err);
	return ctip_store_read_end(ax->st, rc, err);
}

enum ctip_status
ctip_casework_load(struct ctip_casework *cw, struct ctip_store *st,
		   const struct ctip_keyring *kr,
		   const struct ctip_person_rec *rec, enum ctip_view view,
		   struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;

	memset(cw, 0, sizeof(*cw));
	if ((rc = st->ops->read_snapshot(st, true, err)) != CTIP_OK)
		return rc;
	rc = ctip_store_read_end(st, load_rows(cw, st, rec->id, a, err), err);
	return rc == CTIP_OK ? ctip_casework_open(cw, kr, rec, view, a, err)
			     : rc;
}

enum ctip_status
ctip_casework_open(struct ctip_casework *cw, const struct ctip_keyring *kr,
		   const struct ctip_person_rec *rec, enum ctip_view view,
		   struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;
	int i;

	cw->step_reasons = strings(cw->n_steps, a);
	cw->step_doc_numbers = strings(cw->n_steps, a);
	cw->consent_representatives = strings(cw->n_consents, a);
	cw->consent_withdrawals = strings(cw->n_consents, a);
	cw->service_notes = strings(cw->n_services, a);
	cw->service_overrides = strings(cw->n_services, a);
	cw->protection_notes = strings(cw->n_protections, a);
	cw->follow_up_notes = strings(cw->n_follow_ups, a);
	if (cw->step_reasons == NULL || cw->step_doc_numbers == NULL ||
	    cw->consent_representatives == NULL ||
	    cw->consent_withdrawals == NULL || cw->service_notes == NULL ||
	    cw->service_overrides == NULL || cw->protection_notes == NULL ||
	    cw->follow_up_notes == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	for (i = 0; rc == CTIP_OK && i < cw->n_steps; i++) {
		rc = open_note(&cw->step_reasons[i], kr, view, "step.reason",
			       cw->steps[i].reason_enc,
			       cw->steps[i].reason_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = open_note(&cw->step_doc_numbers[i], kr, view,
				       "step.doc_number",
				       cw->steps[i].doc_number_enc,
				       cw->steps[i].doc_number_enc_len, a, err);
	}
	for (i = 0; rc == CTIP_OK && i < cw->n_consents; i++) {
		rc = open_note(&cw->consent_representatives[i], kr, view,
			       "consent.representative",
			       cw->consents[i].representative_enc,
			       cw->consents[i].representative_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = open_note(&cw->consent_withdrawals[i], kr, view,
				       "consent.withdrawal",
				       cw->consents[i].withdrawal_enc,
				       cw->consents[i].withdrawal_enc_len, a,
				       err);
	}
	for (i = 0; rc == CTIP_OK && i < cw->n_services; i++) {
		cw->total_vnd += cw->services[i].amount_vnd;
		rc = open_note(&cw->service_notes[i], kr, view, "service.note",
			       cw->services[i].note_enc,
			       cw->services[i].note_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = open_note(&cw->service_overrides[i], kr, view,
				       "service.override",
				       cw->services[i].override_enc,
				       cw->services[i].override_enc_len, a,
				       err);
	}
	for (i = 0; rc == CTIP_OK && i < cw->n_protections; i++)
		rc = open_note(&cw->protection_notes[i], kr, view,
			       "protection.note", cw->protections[i].note_enc,
			       cw->protections[i].note_enc_len, a, err);
	for (i = 0; rc == CTIP_OK && i < cw->n_follow_ups; i++)
		rc = open_note(&cw->follow_up_notes[i], kr, view,
			       "follow_up.note", cw->follow_ups[i].note_enc,
			       cw->follow_ups[i].note_enc_len, a, err);
	ctip_casework_next_steps(cw->next_steps, rec->role, rec->status);
	return rc;
}

/* A growing timeline. */
struct timeline {
	struct ctip_timeline_entry *e;
	int n, cap;
	struct ctip_arena *a;
};

static bool
add(struct timeline *t, const char *on, const char *at, const char *kind,
    int64_t id, const char *what, const char *detail)
{
	struct ctip_timeline_entry *grown;

	if (on == NULL)
		return true;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		grown = ctip_arena_alloc(t->a, (size_t)t->cap * sizeof(*grown));
		if (grown == NULL)
			return false;
		if (t->n > 0)
			memcpy(grown, t->e, (size_t)t->n * sizeof(*grown));
		t->e = grown;
	}
	t->e[t->n] = (struct ctip_timeline_entry){ .on = on,
						   .at = at ? at : on,
						   .kind = kind,
						   .id = id,
						   .what = what,
						   .detail = detail,
						   .seq = t->n };
	/* A timestamp (UTC) happened on its day in Viet Nam: an intake
	 * received at 20:00Z came in the next morning. */
	if (strlen(on) > 10)
		ctip_day_of(t->e[t->n].day, on);
	else
		snprintf(t->e[t->n].day, sizeof(t->e[t->n].day), "%s", on);
	t->n++;
	return true;
}

/* By day, then by when it was recorded, then (records of the same
 * second) in the order gathered: intakes, steps, events, services... */
static int
by_date(const void *x, const void *y)
{
	const struct ctip_timeline_entry *a = x, *b = y;
	int c = strcmp(a->day, b->day);

	if (c == 0)
		c = strcmp(a->at, b->at);
	return c != 0 ? c : a->seq - b->seq;
}

/* The entries of the intakes the person came from (cw): first, so that
 * in a tie (recorded the same second) the intake precedes the reception. */
static enum ctip_status
add_intakes(struct timeline *t, struct ctip_store *st,
	    const struct ctip_casework *cw, struct ctip_arena *a,
	    struct ctip_err *err)
{
	struct ctip_intake_row in;
	enum ctip_status rc = CTIP_OK;
	int i;

	for (i = 0; rc == CTIP_OK && i < cw->n_intakes; i++)
		if ((rc = st->ops->intake_get(&in, st, cw->intakes[i], a,
					      err)) == CTIP_OK &&
		    !add(t, in.received_at, in.created_at, "intake", in.id,
			 in.channel, NULL))
			rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

/* The entries of the records linked to person id since: referrals and
 * criminal cases. */
static enum ctip_status
add_links(struct timeline *t, struct ctip_store *st, int64_t id,
	  struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_referral_row ref;
	struct ctip_case_rec cs;
	int64_t *ids;
	int n, i;
	enum ctip_status rc;
	bool ok = true;

	rc = st->ops->casework->referrals(&ids, &n, st, id, a, err);
	for (i = 0; rc == CTIP_OK && i < n; i++)
		if ((rc = st->ops->referral_get(&ref, st, ids[i], a, err)) ==
		    CTIP_OK)
			ok &= add(t, ref.sent_at, ref.sent_at, "referral",
				  ref.id, ref.status, NULL);
	if (rc == CTIP_OK)
		rc = st->ops->cases->person_cases(&ids, &n, st, id, a, err);
	for (i = 0; rc == CTIP_OK && i < n; i++)
		if ((rc = st->ops->cases->get(&cs, st, ids[i], a, err)) ==
		    CTIP_OK)
			ok &= add(t, cs.created_at, cs.created_at, "case",
				  cs.id, cs.stage, NULL);
	if (rc == CTIP_OK && !ok)
		rc = ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	return rc;
}

enum ctip_status
ctip_casework_timeline(struct ctip_timeline_entry **out, int *n_out,
		       const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id,
		       const char *reason, struct ctip_arena *a,
		       struct ctip_err *err)
{
	struct ctip_person_view v;
	struct ctip_casework cw;
	struct timeline t = { .a = a };
	bool ok = true;
	enum ctip_status rc;
	int i;

	if ((rc = ctip_person_read(&v, ax, p, id, reason, a, err)) != CTIP_OK ||
	    (rc = ctip_casework_load(&cw, ax->st, ax->kr, &v.rec, v.view, a,
				     err)) != CTIP_OK ||
	    (rc = add_intakes(&t, ax->st, &cw, a, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < cw.n_steps; i++)
		ok &= add(&t, cw.steps[i].on_date, cw.steps[i].created_at,
			  "step", cw.steps[i].id, cw.steps[i].step,
			  cw.step_reasons[i]);
	for (i = 0; i < cw.n_events; i++)
		ok &= add(&t, cw.events[i].discovered_on,
			  cw.events[i].created_at, "event", cw.events[i].id,
			  cw.events[i].purposes, NULL);
	for (i = 0; i < cw.n_services; i++)
		ok &= add(&t, cw.services[i].provided_on,
			  cw.services[i].created_at, "service",
			  cw.services[i].id, cw.services[i].support_code,
			  cw.service_notes[i]);
	for (i = 0; i < cw.n_consents; i++) {
		ok &= add(&t, cw.consents[i].given_on,
			  cw.consents[i].created_at, "consent",
			  cw.consents[i].id, cw.consents[i].scope, NULL);
		ok &= add(&t, cw.consents[i].withdrawn_on, NULL,
			  "consent_withdrawn", cw.consents[i].id,
			  cw.consents[i].scope, NULL);
	}
	for (i = 0; i < cw.n_protections; i++) {
		ok &= add(&t, cw.protections[i].start_on,
			  cw.protections[i].created_at, "protection",
			  cw.protections[i].id, cw.protections[i].kind,
			  cw.protection_notes[i]);
		ok &= add(&t, cw.protections[i].end_on, NULL,
			  "protection_ended", cw.protections[i].id,
			  cw.protections[i].kind, NULL);
	}
	for (i = 0; i < cw.n_follow_ups; i++)
		ok &= add(&t,
			  cw.follow_ups[i].done_on ? cw.follow_ups[i].done_on
						   : cw.follow_ups[i].due_on,
			  NULL,
			  cw.follow_ups[i].done_on ? "visit" : "visit_due",
			  cw.follow_ups[i].id,
			  cw.follow_ups[i].outcome ? cw.follow_ups[i].outcome
						   : "",
			  cw.follow_up_notes[i]);
	if (!ok)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	if ((rc = add_links(&t, ax->st, id, a, err)) != CTIP_OK)
		return rc;
	if (t.n > 1)
		qsort(t.e, (size_t)t.n, sizeof(*t.e), by_date);
	*out = t.e;
	*n_out = t.n;
	return CTIP_OK;
}

enum ctip_status
ctip_casework_visits_due(struct ctip_follow_up_row **out, int *n_out,
			 const struct ctip_access *ax,
			 const struct ctip_principal *p, int days,
			 struct ctip_arena *a, struct ctip_err *err)
{
	char buf[11], before[11];

	if (!ctip_authz_can(p, CTIP_PERM_CASEWORK))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not record casework");
	if (days < 0 || days > 366)
		return ctip_err_field(err, CTIP_EINVAL, "days",
				      "days: from 0 to 366");
	/* Due within days: on today + days at the latest (days = 0: the
	 * overdue ones and today's). */
	ctip_today(buf);
	ctip_date_add(before, buf, days + 1, 0);
	return ax->st->ops->casework->follow_ups_due(
		out, n_out, ax->st, p->unit_id, before, 200, a, err);
}

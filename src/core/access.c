/* access.c: reading and registering persons on behalf of a user. */
#include "core/access.h"
#include "core/casework.h"
#include "util/text.h"

#include <sodium.h>

static void
pseudonym(char out[16], const struct ctip_keyring *kr, int64_t id)
{
	unsigned char h[CTIP_BLIND_BYTES];
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)id);
	ctip_blind(h, kr, "pseudonym", num);
	/* 48 bits: collisions are unlikely below some 16 million persons. */
	snprintf(out, 16, "P-%02X%02X%02X%02X%02X%02X", h[0], h[1], h[2], h[3],
		 h[4], h[5]);
}

void
ctip_person_pseudonym(char out[16], const struct ctip_keyring *kr, int64_t id)
{
	pseudonym(out, kr, id);
}

/* Fill v from rec for view, decrypting identity when allowed. */
static enum ctip_status
build_view(struct ctip_person_view *v, const struct ctip_keyring *kr,
	   const struct ctip_person_rec *rec, enum ctip_view view,
	   struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc = CTIP_OK;

	memset(v, 0, sizeof(*v));
	v->rec = *rec;
	v->view = view;
	pseudonym(v->pseudonym, kr, rec->id);
	if (view == CTIP_VIEW_IDENTITY) {
		rc = ctip_open_text(&v->full_name, kr, "person.name",
				    rec->name_enc, rec->name_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&v->citizen_id, kr,
					    "person.citizen_id",
					    rec->citizen_id_enc,
					    rec->citizen_id_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&v->phone, kr, "person.phone",
					    rec->phone_enc, rec->phone_enc_len,
					    a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&v->address, kr, "person.address",
					    rec->address_enc,
					    rec->address_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&v->contacts, kr, "person.contacts",
					    rec->contacts_enc,
					    rec->contacts_enc_len, a, err);
	}
	v->rec.name_enc = v->rec.citizen_id_enc = NULL;
	v->rec.phone_enc = v->rec.address_enc = v->rec.contacts_enc = NULL;
	if (view != CTIP_VIEW_IDENTITY) {
		/* A pseudonymised view must not narrow down to a person:
		 * the birth date becomes its year. */
		v->rec.birth_date = NULL;
		if (rec->birth_date != NULL)
			v->rec.birth_year =
				(int)strtol(rec->birth_date, NULL, 10);
	}
	return rc;
}

/* The longest reason: the audit queue's entries hold 255 bytes, and one
 * cut there could end inside a character. */
#define REASON_MAX 255

/* CTIP_EINVAL unless reason (if given) is text the log can hold whole. */
static enum ctip_status
check_reason(const char *reason, struct ctip_err *err)
{
	size_t n = reason ? strlen(reason) : 0;

	if (n > REASON_MAX || !ctip_text_valid(reason ? reason : "", n))
		return ctip_err_field(err, CTIP_EINVAL, "reason",
				      "reason: text of at most %d bytes",
				      REASON_MAX);
	return CTIP_OK;
}

enum ctip_status
ctip_person_authorize(struct ctip_person_pending *pp,
		      const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id,
		      const char *reason, struct ctip_arena *a,
		      struct ctip_err *err)
{
	bool needs_reason;
	enum ctip_status rc;

	memset(pp, 0, sizeof(*pp));
	if ((rc = check_reason(reason, err)) != CTIP_OK)
		return rc;
	/* A role without access to persons is refused whatever the id:
	 * 403 for the action, and no hint of which ids exist. */
	if (!ctip_authz_can(p, CTIP_PERM_PERSON_READ))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not read persons");
	snprintf(pp->object_id, sizeof(pp->object_id), "%lld", (long long)id);
	rc = ax->st->ops->person_get(&pp->rec, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = ctip_authz_person(&pp->view, &needs_reason, ax->st, p,
				       &pp->rec, err);
	if (rc == CTIP_OK && pp->view == CTIP_VIEW_NONE)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND) {
		/* Refused, and audited so that probing leaves a trace: a
		 * missing id like a hidden one, so that neither the answer
		 * nor its time tells them apart. */
		pp->audit = pp->denied = true;
		pp->reason = ctip_text_blank(reason) ? NULL : reason;
		/* The same words whether it does not exist or is not
		 * yours to see. */
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "person %lld does not exist",
				    (long long)id);
	}
	if (rc != CTIP_OK)
		return rc;
	/* Not a probe: the page asks for the reason after this answer. */
	if (pp->view == CTIP_VIEW_IDENTITY && needs_reason &&
	    ctip_text_blank(reason))
		return ctip_err_field(err, CTIP_EREASON, "reason",
				      "reason: required to see a person "
				      "outside your own unit");
	pp->audit = pp->view == CTIP_VIEW_IDENTITY;
	pp->reason = needs_reason ? reason : NULL;
	return CTIP_OK;
}

bool
ctip_person_may_change(const struct ctip_principal *p,
		       const struct ctip_person_pending *pp)
{
	return ctip_authz_can(p, CTIP_PERM_CASEWORK) &&
	       pp->view == CTIP_VIEW_IDENTITY && pp->reason == NULL;
}

void
ctip_person_audit_event(struct ctip_audit_event *ev,
			const struct ctip_person_pending *pp,
			const struct ctip_principal *p)
{
	memset(ev, 0, sizeof(*ev));
	ev->who = p;
	ev->action = "person.read";
	ev->object_type = "person";
	ev->object_id = pp->object_id;
	ev->reason = pp->reason;
	ev->outcome = pp->denied ? "denied" : NULL;
}

enum ctip_status
ctip_person_release(struct ctip_person_view *out, const struct ctip_keyring *kr,
		    const struct ctip_person_pending *pp, struct ctip_arena *a,
		    struct ctip_err *err)
{
	return build_view(out, kr, &pp->rec, pp->view, a, err);
}

enum ctip_status
ctip_person_read(struct ctip_person_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id, const char *reason,
		 struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_person_pending pp;
	struct ctip_audit_event ev;
	enum ctip_status rc;

	rc = ctip_person_authorize(&pp, ax, p, id, reason, a, err);
	if (pp.audit)
		ctip_person_audit_event(&ev, &pp, p);
	if (rc != CTIP_OK)
		return pp.audit ? ctip_audit_refusal(ax->q, ax->st, ax->kr, &ev,
						     rc, err)
				: rc;
	if (pp.audit && (rc = ctip_audit_log(ax->q, ax->st, ax->kr, &ev, 1,
					     err)) != CTIP_OK)
		return rc;
	return ctip_person_release(out, ax->kr, &pp, a, err);
}

static const char *const statuses[] = {
	"received", "verifying",     "identified", "not_victim", "protection",
	"support",  "reintegration", "closed",     NULL
};
static const char *const roles[] = { "victim", "under_identification",
				     "accompanying_minor", NULL };

/* The criteria of s beyond identity into q, checked; today is a buffer
 * for the date of an overdue search. */
static enum ctip_status
search_filters(struct ctip_person_query *q, struct ctip_store *st,
	       const struct ctip_person_search *s, char today[24],
	       struct ctip_err *err)
{
	bool found = true;
	enum ctip_status rc = CTIP_OK;

	if (!ctip_text_blank(s->commune)) {
		rc = st->ops->ref_exists(&found, st, CTIP_REF_ADMIN_UNIT,
					 s->commune, err);
		if (rc == CTIP_OK && (!found || strlen(s->commune) != 5))
			return ctip_err_field(err, CTIP_EINVAL, "commune",
					      "commune: no commune has code "
					      "\"%s\"",
					      s->commune);
		q->commune_code = s->commune;
	}
	if (rc == CTIP_OK && !ctip_text_blank(s->status)) {
		if (!ctip_one_of(s->status, statuses))
			return ctip_err_field(err, CTIP_EINVAL, "status",
					      "status: not a status of the "
					      "process");
		q->status = s->status;
	}
	if (rc == CTIP_OK && !ctip_text_blank(s->role)) {
		if (!ctip_one_of(s->role, roles))
			return ctip_err_field(err, CTIP_EINVAL, "role",
					      "role: must be victim, "
					      "under_identification or "
					      "accompanying_minor");
		q->role = s->role;
	}
	if (rc == CTIP_OK && !ctip_text_blank(s->purpose)) {
		rc = st->ops->ref_exists(&found, st, CTIP_REF_PURPOSE,
					 s->purpose, err);
		if (rc == CTIP_OK && !found)
			return ctip_err_field(err, CTIP_EINVAL, "purpose",
					      "purpose: unknown code \"%s\"",
					      s->purpose);
		q->purpose = s->purpose;
	}
	if (rc == CTIP_OK && !ctip_text_blank(s->destination)) {
		rc = st->ops->ref_exists(&found, st, CTIP_REF_COUNTRY,
					 s->destination, err);
		if (rc == CTIP_OK && !found)
			return ctip_err_field(err, CTIP_EINVAL, "destination",
					      "destination: unknown country "
					      "code \"%s\"",
					      s->destination);
		q->destination = s->destination;
	}
	if (s->verify_overdue) {
		ctip_today(today);
		q->verify_overdue_on = today;
	}
	return rc;
}

enum ctip_status
ctip_person_find(struct ctip_person_view **out, int *n_out,
		 const struct ctip_access *ax, const struct ctip_principal *p,
		 const struct ctip_person_search *s, struct ctip_arena *a,
		 struct ctip_err *err)
{
	unsigned char tokens[CTIP_NAME_TOKENS_MAX][CTIP_BLIND_BYTES];
	unsigned char cid[CTIP_BLIND_BYTES], phone[CTIP_BLIND_BYTES];
	char key[4 * CTIP_NAME_MAX + 1], norm[24], today[24];
	struct ctip_person_scope scope;
	struct ctip_person_query q;
	struct ctip_person_view *views;
	struct ctip_person_rec *recs;
	struct ctip_audit_event *evs;
	enum ctip_view view, *views_of;
	bool needs_reason, by_identity;
	char *oids;
	int64_t *ids;
	int n_ids, n = 0, n_evs = 0, i, k;
	enum ctip_status rc;

	*n_out = 0;
	by_identity = !ctip_text_blank(s->name) ||
		      !ctip_text_blank(s->citizen_id) ||
		      !ctip_text_blank(s->phone);
	if (!ctip_authz_person_scope(&scope, p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not search persons");
	if ((rc = check_reason(s->reason, err)) != CTIP_OK)
		return rc;
	memset(&q, 0, sizeof(q));
	q.limit = s->limit > 0 && s->limit <= 200 ? s->limit : 50;
	if (!ctip_text_blank(s->name)) {
		if (ctip_text_key(key, sizeof(key), s->name) < 0)
			return ctip_err_field(err, CTIP_EINVAL, "q",
					      "q: not valid UTF-8 or too long");
		k = ctip_name_tokens(tokens, ax->kr, key);
		/* The given name (last word) is the most selective: the
		 * store drives the search from the first token. */
		for (i = 0; i < k && i < 4; i++)
			q.tokens[i] = tokens[k - 1 - i];
		q.n_tokens = k < 4 ? k : 4;
		if (k == 0)
			return ctip_err_field(err, CTIP_EINVAL, "q",
					      "q: has no letters or digits");
	}
	if (!ctip_text_blank(s->citizen_id)) {
		if (strlen(s->citizen_id) != 12 ||
		    strspn(s->citizen_id, "0123456789") != 12)
			return ctip_err_field(err, CTIP_EINVAL, "citizen_id",
					      "citizen_id: must be 12 digits");
		ctip_blind(cid, ax->kr, "citizen_id", s->citizen_id);
		q.citizen_id_bidx = cid;
	}
	if (!ctip_text_blank(s->phone)) {
		if (!ctip_phone_normalize(norm, s->phone))
			return ctip_err_field(err, CTIP_EINVAL, "phone",
					      "phone: not a phone number");
		ctip_blind(phone, ax->kr, "phone", norm);
		q.phone_bidx = phone;
	}
	if ((rc = search_filters(&q, ax->st, s, today, err)) != CTIP_OK)
		return rc;
	rc = ax->st->ops->person_search(&ids, &n_ids, ax->st, &scope, &q, a,
					err);
	if (rc != CTIP_OK)
		return rc;
	recs = ctip_arena_alloc(a, (size_t)(n_ids ? n_ids : 1) * sizeof(*recs));
	views_of = ctip_arena_alloc(a, (size_t)(n_ids ? n_ids : 1) *
					       sizeof(*views_of));
	evs = ctip_arena_alloc(a, (size_t)(n_ids ? n_ids : 1) * sizeof(*evs));
	oids = ctip_arena_alloc(a, (size_t)(n_ids ? n_ids : 1) * 24);
	views = ctip_arena_alloc(a,
				 (size_t)(n_ids ? n_ids : 1) * sizeof(*views));
	if (recs == NULL || views_of == NULL || evs == NULL || oids == NULL ||
	    views == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many results");
	/* Authorize every match, then log the identities to show (one wait
	 * for all), and only then decrypt them. */
	for (i = 0; i < n_ids; i++) {
		rc = ax->st->ops->person_get(&recs[n], ax->st, ids[i], a, err);
		if (rc == CTIP_OK)
			rc = ctip_authz_person(&view, &needs_reason, ax->st, p,
					       &recs[n], err);
		if (rc != CTIP_OK)
			return rc;
		if (view == CTIP_VIEW_NONE)
			continue;
		if (view == CTIP_VIEW_IDENTITY && needs_reason &&
		    ctip_text_blank(s->reason))
			view = CTIP_VIEW_PSEUDONYM;
		/* A match on a name, citizen ID or phone ties them to the
		 * record: only for those who may see (and are audited seeing)
		 * its identity, else the pseudonym is undone, unaudited. */
		if (by_identity && view != CTIP_VIEW_IDENTITY)
			continue;
		if (view == CTIP_VIEW_IDENTITY) {
			char *oid = oids + 24 * n_evs;

			snprintf(oid, 24, "%lld", (long long)recs[n].id);
			evs[n_evs++] = (struct ctip_audit_event){
				.who = p,
				.action = "person.search",
				.object_type = "person",
				.object_id = oid,
				.reason = needs_reason ? s->reason : NULL,
			};
		}
		views_of[n++] = view;
	}
	if (n_evs > 0 && (rc = ctip_audit_log(ax->q, ax->st, ax->kr, evs, n_evs,
					      err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = build_view(&views[i], ax->kr, &recs[i], views_of[i],
				     a, err)) != CTIP_OK)
			return rc;
	*out = views;
	*n_out = n;
	return CTIP_OK;
}

enum ctip_status
ctip_person_writable(struct ctip_person_rec *rec, const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id,
		     struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_view view;
	bool needs_reason;
	enum ctip_status rc;

	rc = ax->st->ops->person_get(rec, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = ctip_authz_person(&view, &needs_reason, ax->st, p, rec,
				       err);
	/* The same words whether it does not exist or is not p's to
	 * see: the answer must not tell which ids exist. */
	if (rc == CTIP_ENOTFOUND || (rc == CTIP_OK && view == CTIP_VIEW_NONE))
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "person %lld does not exist",
				    (long long)id);
	if (rc != CTIP_OK)
		return rc;
	if (view != CTIP_VIEW_IDENTITY || needs_reason)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only the unit that owns the person or one "
				    "it was referred to may change the record");
	return CTIP_OK;
}

enum ctip_status
ctip_person_duplicates(struct ctip_person_view **out, int *n_out,
		       const struct ctip_access *ax,
		       const struct ctip_principal *p,
		       const struct ctip_person_input *in, struct ctip_arena *a,
		       struct ctip_err *err)
{
	unsigned char name[CTIP_BLIND_BYTES], cid[CTIP_BLIND_BYTES];
	char key[4 * CTIP_NAME_MAX + 1];
	struct ctip_duplicate_query q = { .name_bidx = name };
	struct ctip_person_scope scope;
	struct ctip_person_view *views;
	struct ctip_person_rec *recs;
	struct ctip_audit_event *evs;
	enum ctip_view view;
	bool needs_reason;
	char *oids;
	int64_t *ids;
	int n, i, k = 0;
	enum ctip_status rc;

	*n_out = 0;
	if (!ctip_authz_person_scope(&scope, p) ||
	    ctip_text_blank(in->full_name) ||
	    ctip_text_key(key, sizeof(key), in->full_name) <= 0)
		return CTIP_OK;
	scope.province_code = NULL; /* its unit's and referred only */
	ctip_blind(name, ax->kr, "name", key);
	if (!ctip_text_blank(in->citizen_id)) {
		ctip_blind(cid, ax->kr, "citizen_id", in->citizen_id);
		q.citizen_id_bidx = cid;
	}
	q.birth_year = in->birth_date != NULL
			       ? (int)strtol(in->birth_date, NULL, 10)
			       : in->birth_year;
	if (in->has_estimated_age) {
		char day[11];

		ctip_today(day);
		q.birth_year =
			(int)strtol(in->received_on ? in->received_on : day,
				    NULL, 10) -
			in->estimated_age;
	}
	q.commune_code = in->commune_code;
	rc = ax->st->ops->casework->duplicates(&ids, &n, ax->st, &scope, &q, a,
					       err);
	if (rc != CTIP_OK)
		return rc;
	recs = ctip_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*recs));
	evs = ctip_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*evs));
	oids = ctip_arena_alloc(a, (size_t)(n ? n : 1) * 24);
	views = ctip_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*views));
	if (recs == NULL || evs == NULL || oids == NULL || views == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	/* A candidate ties the name or citizen ID typed to a record, as a
	 * search does: only one p sees with identity without a reason, and
	 * audited as that search. Elsewhere in a province scope it would
	 * tell, unasked and unlogged, that this person is a victim. */
	for (i = 0; i < n; i++) {
		rc = ax->st->ops->person_get(&recs[k], ax->st, ids[i], a, err);
		if (rc == CTIP_OK)
			rc = ctip_authz_person(&view, &needs_reason, ax->st, p,
					       &recs[k], err);
		if (rc != CTIP_OK)
			return rc;
		if (view != CTIP_VIEW_IDENTITY || needs_reason)
			continue;
		snprintf(oids + 24 * k, 24, "%lld", (long long)recs[k].id);
		evs[k] =
			(struct ctip_audit_event){ .who = p,
						   .action = "person.search",
						   .object_type = "person",
						   .object_id = oids + 24 * k };
		k++;
	}
	if (k > 0 && (rc = ctip_audit_log(ax->q, ax->st, ax->kr, evs, k,
					  err)) != CTIP_OK)
		return rc;
	for (i = 0; i < k; i++)
		if ((rc = build_view(&views[i], ax->kr, &recs[i],
				     CTIP_VIEW_PSEUDONYM, a, err)) != CTIP_OK)
			return rc;
	*out = views;
	*n_out = k;
	return CTIP_OK;
}

enum ctip_status
ctip_person_record_reception(struct ctip_store *st,
			     const struct ctip_principal *p, int64_t id,
			     const char *now, struct ctip_err *err)
{
	struct ctip_person_rec rec;
	struct ctip_step_row step = { .person_id = id,
				      .step = "receive",
				      .unit_id = p->unit_id,
				      .user_id = p->user_id,
				      .created_at = now };
	struct ctip_arena a;
	int64_t step_id;
	enum ctip_status rc;

	ctip_arena_init(&a, 1u << 16);
	rc = st->ops->person_get(&rec, st, id, &a, err);
	if (rc == CTIP_OK) {
		step.to_status = rec.status;
		step.on_date = rec.received_on;
		rc = st->ops->casework->step_insert(&step_id, st, &step, err);
	}
	ctip_arena_free(&a);
	return rc;
}

/* The adult of a minor must be one p may work on: else the id reads as
 * unknown, exactly like a missing one, and is audited as denied. */
static enum ctip_status
check_adult(const struct ctip_access *ax, const struct ctip_principal *p,
	    int64_t id, struct ctip_err *err)
{
	struct ctip_person_rec adult;
	struct ctip_arena a;
	enum ctip_status rc;

	ctip_arena_init(&a, 1u << 16);
	rc = ctip_person_writable(&adult, ax, p, id, &a, err);
	ctip_arena_free(&a);
	if (rc != CTIP_ENOTFOUND && rc != CTIP_EFORBIDDEN)
		return rc;
	ctip_err_field(err, CTIP_EINVAL, "accompanies_id",
		       "accompanies_id: no such person");
	return ctip_audit_denied(ax->q, ax->st, ax->kr, p, "person.create",
				 "person", id, CTIP_EINVAL, err);
}

/* A minor came with the adult: the intakes the adult was registered from
 * are the minor's too (as when both are registered from the intake at
 * once), so that an intake lists everyone it brought in. */
static enum ctip_status
link_adults_intakes(struct ctip_store *st, int64_t adult_id, int64_t minor_id,
		    struct ctip_err *err)
{
	struct ctip_arena a;
	enum ctip_status rc;
	int64_t *intakes;
	int n, i;

	ctip_arena_init(&a, 1 << 16);
	rc = st->ops->person_intakes(&intakes, &n, st, adult_id, &a, err);
	for (i = 0; rc == CTIP_OK && i < n; i++)
		rc = st->ops->intake_person_link(st, intakes[i], minor_id, err);
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_person_register(int64_t *out, const struct ctip_access *ax,
		     const struct ctip_principal *p,
		     struct ctip_person_input *in, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = "person.create",
				       .object_type = "person" };
	struct ctip_person_input stored;
	char now[24], id[24];
	enum ctip_status rc;

	if (!ctip_authz_can(p, CTIP_PERM_PERSON_CREATE))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not register persons");
	in->owner_unit_id = p->unit_id;
	in->created_by = p->user_id;
	in->is_demo = false;
	if (in->accompanies_id > 0 &&
	    (rc = check_adult(ax, p, in->accompanies_id, err)) != CTIP_OK)
		return rc;
	stored = *in;
	if ((rc = ctip_casework_registering(&stored.role, in, err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	rc = ctip_person_create(out, ax->st, ax->kr, &stored, now, err);
	if (rc == CTIP_OK)
		rc = ctip_person_record_reception(ax->st, p, *out, now, err);
	if (rc == CTIP_OK && in->accompanies_id > 0)
		rc = link_adults_intakes(ax->st, in->accompanies_id, *out, err);
	if (rc == CTIP_OK) {
		snprintf(id, sizeof(id), "%lld", (long long)*out);
		ev.object_id = id;
		rc = ctip_audit_append(ax->st, ax->kr, &ev, err);
	}
	/* Identified after its creation, in the log too. */
	if (rc == CTIP_OK && in->identification != NULL)
		rc = ctip_casework_identify_registered(
			ax, p, *out, in->identification, now, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	return rc;
}

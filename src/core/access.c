/* access.c: reading and registering persons on behalf of a user. */
#include "core/access.h"
#include "util/text.h"

#include <sodium.h>

static enum ctip_status
audit_read(const struct ctip_access *ax, const struct ctip_principal *p,
	   const char *action, int64_t id, const char *reason,
	   struct ctip_err *err)
{
	char object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = action,
				       .object_type = "person",
				       .object_id = object_id,
				       .reason = reason };

	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	if (ax->q != NULL)
		return ctip_auditq_log(ax->q, &ev, err);
	return ctip_audit_write(ax->st, ax->kr, &ev, err);
}
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
	}
	v->rec.name_enc = v->rec.citizen_id_enc = NULL;
	v->rec.phone_enc = v->rec.address_enc = NULL;
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

static bool
blank(const char *s)
{
	return s == NULL || strspn(s, " \t") == strlen(s);
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
	rc = ax->st->ops->person_get(&pp->rec, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = ctip_authz_person(&pp->view, &needs_reason, ax->st, p,
				       &pp->rec, err);
	if (rc == CTIP_OK && pp->view == CTIP_VIEW_NONE)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		/* The same words whether it does not exist or is not
		 * yours to see. */
		return ctip_err_set(err, CTIP_ENOTFOUND,
				    "person %lld does not exist",
				    (long long)id);
	if (rc != CTIP_OK)
		return rc;
	if (pp->view == CTIP_VIEW_IDENTITY && needs_reason && blank(reason))
		return ctip_err_field(err, CTIP_EREASON, "reason",
				      "reason: required to see a person "
				      "outside your own unit");
	pp->audit = pp->view == CTIP_VIEW_IDENTITY;
	pp->reason = needs_reason ? reason : NULL;
	snprintf(pp->object_id, sizeof(pp->object_id), "%lld", (long long)id);
	return CTIP_OK;
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
	if (rc != CTIP_OK)
		return rc;
	if (pp.audit) {
		ctip_person_audit_event(&ev, &pp, p);
		rc = ax->q != NULL ? ctip_auditq_log(ax->q, &ev, err)
				   : ctip_audit_write(ax->st, ax->kr, &ev, err);
		if (rc != CTIP_OK)
			return rc;
	}
	return ctip_person_release(out, ax->kr, &pp, a, err);
}

enum ctip_status
ctip_person_find(struct ctip_person_view **out, int *n_out,
		 const struct ctip_access *ax, const struct ctip_principal *p,
		 const struct ctip_person_search *s, struct ctip_arena *a,
		 struct ctip_err *err)
{
	unsigned char tokens[CTIP_NAME_TOKENS_MAX][CTIP_BLIND_BYTES];
	unsigned char cid[CTIP_BLIND_BYTES], phone[CTIP_BLIND_BYTES];
	char key[4 * CTIP_NAME_MAX + 1], norm[24];
	struct ctip_person_scope scope;
	struct ctip_person_query q;
	struct ctip_person_view *views;
	struct ctip_person_rec rec;
	enum ctip_view view;
	bool needs_reason, by_identity;
	int64_t *ids;
	int n_ids, n = 0, i, k;
	enum ctip_status rc;

	*n_out = 0;
	by_identity =
		!blank(s->name) || !blank(s->citizen_id) || !blank(s->phone);
	if (!ctip_authz_person_scope(&scope, p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not search persons");
	if ((rc = check_reason(s->reason, err)) != CTIP_OK)
		return rc;
	memset(&q, 0, sizeof(q));
	q.limit = s->limit > 0 && s->limit <= 200 ? s->limit : 50;
	if (!blank(s->name)) {
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
	if (!blank(s->citizen_id)) {
		if (strlen(s->citizen_id) != 12 ||
		    strspn(s->citizen_id, "0123456789") != 12)
			return ctip_err_field(err, CTIP_EINVAL, "citizen_id",
					      "citizen_id: must be 12 digits");
		ctip_blind(cid, ax->kr, "citizen_id", s->citizen_id);
		q.citizen_id_bidx = cid;
	}
	if (!blank(s->phone)) {
		if (!ctip_phone_normalize(norm, s->phone))
			return ctip_err_field(err, CTIP_EINVAL, "phone",
					      "phone: not a phone number");
		ctip_blind(phone, ax->kr, "phone", norm);
		q.phone_bidx = phone;
	}
	rc = ax->st->ops->person_search(&ids, &n_ids, ax->st, &scope, &q, a,
					err);
	if (rc != CTIP_OK)
		return rc;
	views = ctip_arena_alloc(a,
				 (size_t)(n_ids ? n_ids : 1) * sizeof(*views));
	if (views == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many results");
	for (i = 0; i < n_ids; i++) {
		rc = ax->st->ops->person_get(&rec, ax->st, ids[i], a, err);
		if (rc == CTIP_OK)
			rc = ctip_authz_person(&view, &needs_reason, ax->st, p,
					       &rec, err);
		if (rc != CTIP_OK)
			return rc;
		if (view == CTIP_VIEW_NONE)
			continue;
		if (view == CTIP_VIEW_IDENTITY && needs_reason &&
		    blank(s->reason))
			view = CTIP_VIEW_PSEUDONYM;
		/* A match on a name, citizen ID or phone ties them to the
		 * record: only for those who may see (and are audited seeing)
		 * its identity, else the pseudonym is undone, unaudited. */
		if (by_identity && view != CTIP_VIEW_IDENTITY)
			continue;
		if (view == CTIP_VIEW_IDENTITY &&
		    (rc = audit_read(ax, p, "person.search", rec.id,
				     needs_reason ? s->reason : NULL, err)) !=
			    CTIP_OK)
			return rc;
		if ((rc = build_view(&views[n], ax->kr, &rec, view, a, err)) !=
		    CTIP_OK)
			return rc;
		n++;
	}
	*out = views;
	*n_out = n;
	return CTIP_OK;
}

enum ctip_status
ctip_person_register(int64_t *out, const struct ctip_access *ax,
		     const struct ctip_principal *p,
		     struct ctip_person_input *in, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = "person.create",
				       .object_type = "person" };
	char now[24], id[24];
	enum ctip_status rc;

	if (!ctip_authz_can(p, CTIP_PERM_PERSON_CREATE))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not register persons");
	in->owner_unit_id = p->unit_id;
	in->created_by = p->user_id;
	in->is_demo = false;
	ctip_now(now);
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	rc = ctip_person_create(out, ax->st, ax->kr, in, now, err);
	if (rc == CTIP_OK) {
		snprintf(id, sizeof(id), "%lld", (long long)*out);
		ev.object_id = id;
		rc = ctip_audit_append(ax->st, ax->kr, &ev, err);
	}
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	return rc;
}

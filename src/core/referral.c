/* referral.c: referrals between units. */
#include "core/referral.h"
#include "core/auth.h"
#include "core/intake.h"
#include "util/text.h"

#include <limits.h>

static const char *const statuses[] = { "sent",      "accepted",  "refused",
					"completed", "withdrawn", NULL };

/* Who refers records: the identity roles, at any level (a national unit
 * refers the intakes it received; it holds no person, authz.c). */
static bool
may_refer(const struct ctip_principal *p)
{
	return !p->must_change_password &&
	       (p->roles & (CTIP_ROLE_HOTLINE_OPERATOR | CTIP_ROLE_CASE_WORKER |
			    CTIP_ROLE_INVESTIGATOR));
}

/* Audit action on referral r inside the open transaction. */
static enum ctip_status
audit(const struct ctip_access *ax, const struct ctip_principal *p,
      const char *action, const struct ctip_referral_row *r,
      struct ctip_err *err)
{
	char object_id[24], reason[96];
	struct ctip_audit_event ev = { .who = p,
				       .action = action,
				       .object_type = r->object_type,
				       .object_id = object_id,
				       .reason = reason };

	snprintf(object_id, sizeof(object_id), "%lld", (long long)r->object_id);
	snprintf(reason, sizeof(reason), "referral %lld from unit %lld to %lld",
		 (long long)r->id, (long long)r->from_unit_id,
		 (long long)r->to_unit_id);
	return ctip_audit_append(ax->st, ax->kr, &ev, err);
}

/*
 * Id of a referral of r's record to r's unit other than r itself (0: none)
 * that is open (sent or accepted), or, unless open_only, that still gives
 * the unit access (completed too). Every such referral is looked at, not
 * only the newest ones of a busy unit.
 */
static enum ctip_status
other_referral(int64_t *other, const struct ctip_access *ax,
	       const struct ctip_referral_row *r, bool open_only,
	       struct ctip_err *err)
{
	static const char *const standing[] = { "sent", "accepted",
						"completed" };
	struct ctip_referral_row o;
	struct ctip_arena a, one;
	enum ctip_status rc = CTIP_OK;
	int64_t *ids;
	int n, i, k;

	*other = 0;
	for (k = 0; rc == CTIP_OK && *other == 0 && k < (open_only ? 2 : 3);
	     k++) {
		ctip_arena_init(&a, 1 << 26);
		rc = ax->st->ops->referral_list(&ids, &n, ax->st, r->to_unit_id,
						true, standing[k], INT_MAX, &a,
						err);
		for (i = 0; rc == CTIP_OK && *other == 0 && i < n; i++) {
			if (ids[i] == r->id)
				continue;
			ctip_arena_init(&one, 1 << 16);
			rc = ax->st->ops->referral_get(&o, ax->st, ids[i], &one,
						       err);
			if (rc == CTIP_OK && o.object_id == r->object_id &&
			    strcmp(o.object_type, r->object_type) == 0)
				*other = o.id;
			ctip_arena_free(&one);
		}
		ctip_arena_free(&a);
	}
	return rc;
}

enum ctip_status
ctip_referral_send(int64_t *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *object_type,
		   int64_t object_id, int64_t to_unit_id, const char *note,
		   struct ctip_err *err)
{
	struct ctip_referral_row r;
	struct ctip_org_unit_row unit;
	struct ctip_person_pending pp;
	struct ctip_audit_event ev;
	struct ctip_arena a;
	int64_t open;
	char now[24], due[24];
	enum ctip_status rc;

	if (!may_refer(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not refer records");
	if (object_type == NULL || (strcmp(object_type, "intake") != 0 &&
				    strcmp(object_type, "person") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "object_type",
				      "object_type: intake or person");
	if ((rc = ctip_text_check(note, CTIP_NOTE_MAX, false, "note", err)) !=
	    CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	/* The record first, without reading it (an unknown unit tells
	 * nothing about it either), then the receiving unit. National units
	 * see aggregates only, and could never answer. */
	if (strcmp(object_type, "intake") == 0) {
		rc = ctip_intake_visible(ax, p, object_id, "referral.send",
					 err);
	} else {
		rc = ctip_person_authorize(&pp, ax, p, object_id, NULL, &a,
					   err);
		if (rc == CTIP_OK && pp.view != CTIP_VIEW_IDENTITY)
			rc = ctip_err_set(err, CTIP_ENOTFOUND,
					  "person %lld does not exist",
					  (long long)object_id);
		if (rc == CTIP_ENOTFOUND)
			rc = ctip_audit_denied(ax->q, ax->st, ax->kr, p,
					       "referral.send", "person",
					       object_id, rc, err);
	}
	if (rc == CTIP_OK &&
	    ax->st->ops->org_unit_get(&unit, ax->st, to_unit_id, &a, err) !=
		    CTIP_OK)
		rc = ctip_err_field(err, CTIP_EINVAL, "to_unit_id",
				    "to_unit_id: no such unit");
	if (rc == CTIP_OK && to_unit_id == p->unit_id)
		rc = ctip_err_field(err, CTIP_EINVAL, "to_unit_id",
				    "to_unit_id: the record is already yours");
	if (rc == CTIP_OK && strcmp(unit.level, "nation") == 0)
		rc = ctip_err_field(err, CTIP_EINVAL, "to_unit_id",
				    "to_unit_id: a national unit takes no "
				    "referrals");
	if (rc != CTIP_OK)
		goto out;
	ctip_now(now);
	ctip_time_after(due, CTIP_REFERRAL_ACK_HOURS * 3600L);
	memset(&r, 0, sizeof(r));
	r.object_type = object_type;
	r.object_id = object_id;
	r.from_unit_id = p->unit_id;
	r.to_unit_id = to_unit_id;
	r.note_enc = ctip_seal_text(&r.note_enc_len, ax->kr, "referral.note",
				    note, &a);
	r.sent_at = now;
	r.sent_by = p->user_id;
	r.ack_due_at = due;
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		goto out;
	/* One open referral of a record to a unit at a time. */
	rc = other_referral(&open, ax, &r, true, err);
	if (rc == CTIP_OK && open != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "referral_open",
				   "this record is already referred to that "
				   "unit (referral %lld)",
				   (long long)open);
	if (rc == CTIP_OK)
		rc = ax->st->ops->referral_insert(out, ax->st, &r, err);
	if (rc == CTIP_OK) {
		r.id = *out;
		rc = ax->st->ops->access_grant(ax->st, object_type, object_id,
					       to_unit_id, p->user_id, now,
					       err);
	}
	/* The person's identity is read, audited with the referral: a
	 * referral refused after its record was found audits nothing. */
	if (rc == CTIP_OK && strcmp(object_type, "person") == 0 && pp.audit) {
		ctip_person_audit_event(&ev, &pp, p);
		rc = ctip_audit_append(ax->st, ax->kr, &ev, err);
	}
	if (rc == CTIP_OK)
		rc = audit(ax, p, "referral.send", &r, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
out:
	ctip_arena_free(&a);
	return rc;
}

/* Load referral id for action (a step) by p; *to: p is of the receiving
 * unit. One of neither unit is missing, and audited as denied. */
static enum ctip_status
load(struct ctip_referral_row *r, bool *to, const struct ctip_access *ax,
     const struct ctip_principal *p, int64_t id, int version,
     const char *action, struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;

	if (!may_refer(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not handle referrals");
	rc = ax->st->ops->referral_get(r, ax->st, id, a, err);
	if (rc == CTIP_OK && r->to_unit_id != p->unit_id &&
	    r->from_unit_id != p->unit_id)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND) {
		ctip_err_set(err, CTIP_ENOTFOUND,
			     "referral %lld does not exist", (long long)id);
		return ctip_audit_denied(ax->q, ax->st, ax->kr, p, action,
					 "referral", id, CTIP_ENOTFOUND, err);
	}
	if (rc == CTIP_OK && r->version != version)
		return ctip_err_field(err, CTIP_ECONFLICT, "version",
				      "referral %lld was changed by someone "
				      "else: reload it",
				      (long long)id);
	*to = rc == CTIP_OK && r->to_unit_id == p->unit_id;
	return rc;
}

/* Write r's new state, revoke the receiving unit's access if asked, and
 * audit action, in one transaction. */
/* An intake the national hotline 111 referred becomes the accepting
 * unit's: the hotline decides no tip (intake.c), the competent local unit
 * handles it from now on, its legal clock running from the call. */
static enum ctip_status
hand_over(const struct ctip_access *ax, const struct ctip_referral_row *r,
	  struct ctip_err *err)
{
	struct ctip_org_unit_row from;
	struct ctip_arena a;
	enum ctip_status rc;

	if (strcmp(r->object_type, "intake") != 0)
		return CTIP_OK;
	ctip_arena_init(&a, 1 << 12);
	rc = ax->st->ops->org_unit_get(&from, ax->st, r->from_unit_id, &a, err);
	if (rc == CTIP_OK && strcmp(from.level, "nation") == 0)
		rc = ax->st->ops->intake_hand_over(
			ax->st, r->object_id, r->from_unit_id, r->to_unit_id,
			r->responded_at, err);
	ctip_arena_free(&a);
	return rc;
}

static enum ctip_status
save(const struct ctip_access *ax, const struct ctip_principal *p,
     struct ctip_referral_row *r, bool revoke, const char *action,
     struct ctip_err *err)
{
	enum ctip_status rc;
	int64_t other = 0;

	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	rc = ax->st->ops->referral_update(ax->st, r, err);
	if (rc == CTIP_OK && strcmp(action, "referral.accept") == 0)
		rc = hand_over(ax, r, err);
	/* Another referral of the record to the unit (a completed one, say)
	 * still stands: the unit keeps its access. */
	if (rc == CTIP_OK && revoke)
		rc = other_referral(&other, ax, r, false, err);
	if (rc == CTIP_OK && revoke && other == 0)
		rc = ax->st->ops->access_revoke(ax->st, r->object_type,
						r->object_id, r->to_unit_id,
						err);
	if (rc == CTIP_OK)
		rc = audit(ax, p, action, r, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	return rc;
}

enum ctip_status
ctip_referral_respond(const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t id, int version,
		      bool accept, const char *reason, struct ctip_err *err)
{
	struct ctip_referral_row r;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;
	bool to = false;

	if (!accept && (rc = ctip_text_check(reason, CTIP_NOTE_MAX, true,
					     "reason", err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 16);
	rc = load(&r, &to, ax, p, id, version,
		  accept ? "referral.accept" : "referral.refuse", &a, err);
	if (rc == CTIP_OK && !to)
		rc = ctip_err_set(err, CTIP_EFORBIDDEN,
				  "only the receiving unit answers a "
				  "referral");
	if (rc == CTIP_OK && strcmp(r.status, "sent") != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL,
				   "referral_answered",
				   "referral %lld is %s, not waiting for an "
				   "answer",
				   (long long)id, r.status);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.status = accept ? "accepted" : "refused";
		r.responded_at = now;
		r.responded_by = p->user_id;
		if (!accept) {
			r.refusal_reason_enc = ctip_seal_text(
				&r.refusal_reason_enc_len, ax->kr,
				"referral.refusal_reason", reason, &a);
			r.closed_at = now;
			r.closed_by = p->user_id;
		}
		rc = save(ax, p, &r, !accept,
			  accept ? "referral.accept" : "referral.refuse", err);
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_referral_complete(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       struct ctip_err *err)
{
	struct ctip_referral_row r;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;
	bool to = false;

	ctip_arena_init(&a, 1 << 16);
	rc = load(&r, &to, ax, p, id, version, "referral.complete", &a, err);
	if (rc == CTIP_OK && !to)
		rc = ctip_err_set(err, CTIP_EFORBIDDEN,
				  "only the receiving unit completes a "
				  "referral");
	if (rc == CTIP_OK && strcmp(r.status, "accepted") != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL,
				   "referral_not_accepted",
				   "referral %lld is %s: only an accepted "
				   "referral can be completed",
				   (long long)id, r.status);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.status = "completed";
		r.closed_at = now;
		r.closed_by = p->user_id;
		rc = save(ax, p, &r, false, "referral.complete", err);
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_referral_withdraw(const struct ctip_access *ax,
		       const struct ctip_principal *p, int64_t id, int version,
		       struct ctip_err *err)
{
	struct ctip_referral_row r;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;
	bool to = false;

	ctip_arena_init(&a, 1 << 16);
	rc = load(&r, &to, ax, p, id, version, "referral.withdraw", &a, err);
	if (rc == CTIP_OK && r.from_unit_id != p->unit_id)
		rc = ctip_err_set(err, CTIP_EFORBIDDEN,
				  "only the sending unit withdraws a "
				  "referral");
	if (rc == CTIP_OK && strcmp(r.status, "sent") != 0 &&
	    strcmp(r.status, "accepted") != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "referral_closed",
				   "referral %lld is already %s", (long long)id,
				   r.status);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.status = "withdrawn";
		r.closed_at = now;
		r.closed_by = p->user_id;
		rc = save(ax, p, &r, true, "referral.withdraw", err);
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_referral_read(struct ctip_referral_view *out, const struct ctip_access *ax,
		   const struct ctip_principal *p, int64_t id, bool open,
		   struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_referral_row *r = &out->row;
	char now[24], object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = "referral.read",
				       .object_type = "referral",
				       .object_id = object_id };
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if (!may_refer(p) && !(p->roles & CTIP_ROLE_SUPERVISOR))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see referrals");
	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	rc = ax->st->ops->referral_get(r, ax->st, id, a, err);
	if (rc == CTIP_OK && r->to_unit_id != p->unit_id &&
	    r->from_unit_id != p->unit_id)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND) {
		/* Refused, a missing id as a hidden one: a trace of probing,
		 * as for persons, intakes and cases. */
		ctip_err_set(err, CTIP_ENOTFOUND,
			     "referral %lld does not exist", (long long)id);
		return ctip_audit_refusal(ax->q, ax->st, ax->kr, &ev, rc, err);
	}
	if (rc != CTIP_OK)
		return rc;
	ctip_now(now);
	out->late = strcmp(r->status, "sent") == 0 &&
		    strcmp(r->ack_due_at, now) < 0;
	/* Notes are working text between the two units' handlers, free text
	 * that may name the person: released, when asked, once the read is
	 * logged. */
	open = open && may_refer(p);
	if (open)
		rc = ctip_audit_log(ax->q, ax->st, ax->kr, &ev, 1, err);
	if (rc == CTIP_OK && open)
		rc = ctip_open_text(&out->note, ax->kr, "referral.note",
				    r->note_enc, r->note_enc_len, a, err);
	if (rc == CTIP_OK && open)
		rc = ctip_open_text(&out->refusal_reason, ax->kr,
				    "referral.refusal_reason",
				    r->refusal_reason_enc,
				    r->refusal_reason_enc_len, a, err);
	r->note_enc = r->refusal_reason_enc = NULL;
	return rc;
}

enum ctip_status
ctip_referral_list(int64_t **out, int *n_out, const struct ctip_access *ax,
		   const struct ctip_principal *p, bool inbox,
		   const char *status, int limit, struct ctip_arena *a,
		   struct ctip_err *err)
{
	const char *const *s;

	if (!may_refer(p) && !(p->roles & CTIP_ROLE_SUPERVISOR))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see referrals");
	if (status != NULL) {
		for (s = statuses; *s != NULL && strcmp(*s, status) != 0; s++)
			;
		if (*s == NULL)
			return ctip_err_field(
				err, CTIP_EINVAL, "status",
				"status: sent, accepted, "
				"refused, completed or withdrawn");
	}
	return ax->st->ops->referral_list(out, n_out, ax->st, p->unit_id, inbox,
					  status, limit, a, err);
}

enum ctip_status
ctip_referral_counts(long counts[5], long *late, const struct ctip_access *ax,
		     const struct ctip_principal *p, struct ctip_err *err)
{
	char now[24];

	if (!may_refer(p) && !(p->roles & CTIP_ROLE_SUPERVISOR))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not see referrals");
	ctip_now(now);
	return ax->st->ops->referral_counts(counts, late, ax->st, p->unit_id,
					    now, err);
}

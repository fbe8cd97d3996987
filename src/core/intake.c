/* intake.c: receiving, classifying and deciding tips and reports. */
#include "core/intake.h"
#include "core/access.h"
#include "core/auth.h"
#include "core/casework.h"
#include "util/text.h"

#include <time.h>

static const char *const classifications[] = { "trafficking_tip", "victim_help",
					       "information", "other", NULL };
static const char *const urgencies[] = { "low", "normal", "high", "critical",
					 NULL };
static const char *const decisions[] = { "initiate", "not_initiate", "suspend",
					 NULL };
/* Channels that are tips in the sense of Criminal Procedure Code Art. 144. */
static const char *const tip_channels[] = { "DENUNCIATION", "CRIME_REPORT",
					    "PROSECUTION_RECOMMENDATION",
					    NULL };

#define INTAKE_ROLES                                                           \
	(CTIP_ROLE_HOTLINE_OPERATOR | CTIP_ROLE_CASE_WORKER |                  \
	 CTIP_ROLE_INVESTIGATOR)

/* Parse yyyy-mm-ddThh:mm:ssZ. */
static bool
parse_ts(struct tm *tm, const char *s)
{
	char date[11];
	int y, mo, d, h, mi, se;

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z' || strspn(s + 11, "0123456789:") != 8)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!ctip_date_valid(date) ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) !=
		    6 ||
	    h > 23 || mi > 59 || se > 59)
		return false;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = se;
	return true;
}

/* tm + months. A time limit in months ends on the same day of the last
 * month, or on that month's last day if it has no such day (Criminal
 * Procedure Code Art. 134): 31 December + 2 months is 28 February, not
 * 3 March as timegm() would normalise it. */
static void
add_months(struct tm *tm, int months)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	int m = tm->tm_mon + months, y, last;

	tm->tm_year += m / 12;
	tm->tm_mon = m % 12;
	y = tm->tm_year + 1900;
	last = mdays[tm->tm_mon] +
	       (tm->tm_mon == 1 &&
		((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (tm->tm_mday > last)
		tm->tm_mday = last;
}

bool
ctip_intake_deadline(char out[24], const char *received_at,
		     const char *extension)
{
	struct tm tm;
	time_t t;

	if (!parse_ts(&tm, received_at))
		return false;
	if (extension == NULL || strcmp(extension, "none") == 0) {
		tm.tm_mday += 20;
	} else {
		add_months(&tm, 2);
		/* The procuracy's 2 months run on from the end of the
		 * complex-case limit. */
		if (strcmp(extension, "procuracy") == 0)
			add_months(&tm, 2);
	}
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return true;
}

static bool
legal_clock(const char *channel, const char *classification)
{
	return ctip_one_of(channel, tip_channels) ||
	       (classification != NULL &&
		strcmp(classification, "trafficking_tip") == 0);
}

/* Whether p's unit receives intakes: a local unit, or of national units
 * the national hotline 111 only. */
static bool
receives_intakes(const struct ctip_principal *p)
{
	return strcmp(p->level, "nation") != 0 ||
	       strcmp(p->agency, "HOTLINE_111") == 0;
}

/* Who receives and handles intakes: the identity roles of a unit that
 * receives them; the national hotline handles only the intakes it
 * received itself (intake_view) and refers them (refers_only). */
static bool
may_handle(const struct ctip_principal *p)
{
	return !p->must_change_password && (p->roles & INTAKE_ROLES) &&
	       receives_intakes(p);
}

/* Procedural steps on a tip (decide, extend its deadline, open a case)
 * are an investigation body's of a province (CPC Art. 145-147): the
 * national hotline refers the tip instead. */
static enum ctip_status
refers_only(const struct ctip_principal *p, struct ctip_err *err)
{
	if (strcmp(p->level, "nation") != 0)
		return CTIP_OK;
	return ctip_err_set(err, CTIP_EFORBIDDEN,
			    "a national unit decides no tip, extends no "
			    "deadline and opens no case: refer the tip to the "
			    "province's investigation body");
}

static enum ctip_status
check_code(struct ctip_store *st, enum ctip_ref_kind kind, const char *code,
	   const char *field, struct ctip_err *err)
{
	enum ctip_status rc;
	bool ok;

	if ((rc = st->ops->ref_exists(&ok, st, kind, code, err)) != CTIP_OK)
		return rc;
	if (!ok)
		return ctip_err_field(err, CTIP_EINVAL, field,
				      "%s: unknown code \"%s\"", field, code);
	return CTIP_OK;
}
static enum ctip_status
validate(const struct ctip_access *ax, const struct ctip_intake_input *in,
	 const char *now, struct ctip_err *err)
{
	struct ctip_admin_unit au;
	struct ctip_arena a;
	struct tm tm;
	enum ctip_status rc;
	int i;

	if (in->received_at == NULL || !parse_ts(&tm, in->received_at))
		return ctip_err_field(err, CTIP_EINVAL, "received_at",
				      "received_at: a UTC time "
				      "yyyy-mm-ddThh:mm:ssZ is required");
	if (strcmp(in->received_at, now) > 0)
		return ctip_err_field(err, CTIP_EINVAL, "received_at",
				      "received_at: in the future");
	if (strcmp(in->received_at, "2000-01-01T00:00:00Z") < 0)
		return ctip_err_field(err, CTIP_EINVAL, "received_at",
				      "received_at: before the year 2000");
	if (in->channel == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "channel",
				      "channel: required");
	if ((rc = check_code(ax->st, CTIP_REF_INTAKE_CHANNEL, in->channel,
			     "channel", err)) != CTIP_OK)
		return rc;
	if (in->language != NULL &&
	    (strlen(in->language) < 2 || strlen(in->language) > 3 ||
	     strspn(in->language, "abcdefghijklmnopqrstuvwxyz") !=
		     strlen(in->language)))
		return ctip_err_field(err, CTIP_EINVAL, "language",
				      "language: an ISO 639 code such as vi");
	if (in->province_code == NULL)
		return ctip_err_field(err, CTIP_EINVAL, "province",
				      "province: required");
	ctip_arena_init(&a, 1 << 14);
	rc = ax->st->ops->admin_unit_get(&au, ax->st, in->province_code, &a,
					 err);
	if (rc == CTIP_OK && strcmp(au.level, "province") != 0)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		rc = ctip_err_field(err, CTIP_EINVAL, "province",
				    "province: unknown province \"%s\"",
				    in->province_code);
	if (rc == CTIP_OK && in->commune_code != NULL) {
		rc = ax->st->ops->admin_unit_get(&au, ax->st, in->commune_code,
						 &a, err);
		if (rc == CTIP_OK &&
		    (strcmp(au.level, "commune") != 0 ||
		     strcmp(au.province_code, in->province_code) != 0))
			rc = CTIP_ENOTFOUND;
		if (rc == CTIP_ENOTFOUND)
			rc = ctip_err_field(err, CTIP_EINVAL, "commune",
					    "commune: \"%s\" is not a commune "
					    "of province %s",
					    in->commune_code,
					    in->province_code);
	}
	ctip_arena_free(&a);
	if (rc != CTIP_OK)
		return rc;
	if ((rc = ctip_text_check(in->summary, CTIP_INTAKE_SUMMARY_MAX, true,
				  "summary", err)) != CTIP_OK)
		return rc;
	if (in->reporter_anonymous &&
	    (in->reporter_name != NULL || in->reporter_phone != NULL))
		return ctip_err_field(err, CTIP_EINVAL, "reporter",
				      "reporter: an anonymous reporter has no "
				      "name or phone");
	if ((rc = ctip_text_check(in->reporter_name, CTIP_NAME_MAX, false,
				  "reporter.name", err)) != CTIP_OK)
		return rc;
	if (in->classification != NULL &&
	    !ctip_one_of(in->classification, classifications))
		return ctip_err_field(err, CTIP_EINVAL, "classification",
				      "classification: trafficking_tip, "
				      "victim_help, information or other");
	if (in->purpose != NULL &&
	    (rc = check_code(ax->st, CTIP_REF_PURPOSE, in->purpose, "purpose",
			     err)) != CTIP_OK)
		return rc;
	if (in->urgency != NULL && !ctip_one_of(in->urgency, urgencies))
		return ctip_err_field(err, CTIP_EINVAL, "urgency",
				      "urgency: low, normal, high or critical");
	for (i = 0; i < in->n_names; i++)
		if ((rc = ctip_text_check(in->names[i], CTIP_NAME_MAX, true,
					  "mentioned_names", err)) != CTIP_OK)
			return rc;
	if (in->idempotency_key != NULL &&
	    (strlen(in->idempotency_key) < 8 ||
	     strlen(in->idempotency_key) > 64 ||
	     strspn(in->idempotency_key,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_-") != strlen(in->idempotency_key)))
		return ctip_err_field(err, CTIP_EINVAL, "Idempotency-Key",
				      "Idempotency-Key: 8 to 64 of A-Z a-z "
				      "0-9 _ -");
	return CTIP_OK;
}

static enum ctip_status
audit_in_tx(const struct ctip_access *ax, const struct ctip_principal *p,
	    const char *action, int64_t id, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = action,
				       .object_type = "intake" };
	char object_id[24];

	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	ev.object_id = object_id;
	return ctip_audit_append(ax->st, ax->kr, &ev, err);
}

enum ctip_status
ctip_intake_create(int64_t *out, bool *existed, const struct ctip_access *ax,
		   const struct ctip_principal *p,
		   const struct ctip_intake_input *in, struct ctip_err *err)
{
	struct ctip_sealed mentions[2 * CTIP_INTAKE_MENTIONS_MAX];
	unsigned char bidx[2 * CTIP_INTAKE_MENTIONS_MAX + 1][CTIP_BLIND_BYTES];
	char key[4 * CTIP_NAME_MAX + 1], phone[24], now[24], deadline[24];
	struct ctip_intake_row r;
	struct ctip_arena a;
	enum ctip_status rc;
	int i, n = 0;

	*existed = false;
	if (!may_handle(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not receive intakes");
	if (in->idempotency_key != NULL) {
		rc = ax->st->ops->intake_find_key(out, ax->st, p->user_id,
						  in->idempotency_key, err);
		if (rc == CTIP_OK) {
			*existed = true;
			return CTIP_OK;
		}
		if (rc != CTIP_ENOTFOUND)
			return rc;
	}
	ctip_now(now);
	if ((rc = validate(ax, in, now, err)) != CTIP_OK)
		return rc;
	if (in->n_phones > CTIP_INTAKE_MENTIONS_MAX ||
	    in->n_names > CTIP_INTAKE_MENTIONS_MAX)
		return ctip_err_field(err, CTIP_EINVAL,
				      in->n_phones > CTIP_INTAKE_MENTIONS_MAX
					      ? "mentioned_phones"
					      : "mentioned_names",
				      "at most %d phones and %d names",
				      CTIP_INTAKE_MENTIONS_MAX,
				      CTIP_INTAKE_MENTIONS_MAX);
	memset(&r, 0, sizeof(r));
	ctip_arena_init(&a, 1 << 20);
	r.owner_unit_id = p->unit_id;
	r.province_code = in->province_code;
	r.commune_code = in->commune_code;
	r.received_at = in->received_at;
	r.channel = in->channel;
	r.language = in->language ? in->language : "vi";
	r.reporter_anonymous = in->reporter_anonymous;
	r.reporter_name_enc =
		ctip_seal_text(&r.reporter_name_enc_len, ax->kr,
			       "intake.reporter_name", in->reporter_name, &a);
	if (in->reporter_phone != NULL) {
		if (!ctip_phone_normalize(phone, in->reporter_phone)) {
			rc = ctip_err_field(err, CTIP_EINVAL, "reporter.phone",
					    "reporter.phone: not a phone "
					    "number");
			goto out;
		}
		r.reporter_phone_enc =
			ctip_seal_text(&r.reporter_phone_enc_len, ax->kr,
				       "intake.reporter_phone", phone, &a);
		ctip_blind(bidx[2 * CTIP_INTAKE_MENTIONS_MAX], ax->kr, "phone",
			   phone);
		r.reporter_phone_bidx = bidx[2 * CTIP_INTAKE_MENTIONS_MAX];
	}
	r.summary_enc = ctip_seal_text(&r.summary_enc_len, ax->kr,
				       "intake.summary", in->summary, &a);
	for (i = 0; i < in->n_phones; i++, n++) {
		if (!ctip_phone_normalize(phone, in->phones[i])) {
			/* Quote at most 20 bytes, on a whole character. */
			rc = ctip_err_field(
				err, CTIP_EINVAL, "mentioned_phones",
				"mentioned_phones: \"%.*s\" is not a phone "
				"number",
				(int)ctip_text_cut(in->phones[i],
						   strnlen(in->phones[i], 20)),
				in->phones[i]);
			goto out;
		}
		mentions[n].kind = "phone";
		mentions[n].enc = ctip_seal_text(&mentions[n].enc_len, ax->kr,
						 "intake.mention", phone, &a);
		ctip_blind(bidx[n], ax->kr, "phone", phone);
		mentions[n].bidx = bidx[n];
	}
	for (i = 0; i < in->n_names; i++, n++) {
		if (ctip_text_key(key, sizeof(key), in->names[i]) <= 0) {
			rc = ctip_err_field(err, CTIP_EINVAL, "mentioned_names",
					    "mentioned_names: a name has no "
					    "letters");
			goto out;
		}
		mentions[n].kind = "name";
		mentions[n].enc =
			ctip_seal_text(&mentions[n].enc_len, ax->kr,
				       "intake.mention", in->names[i], &a);
		ctip_blind(bidx[n], ax->kr, "name", key);
		mentions[n].bidx = bidx[n];
	}
	r.mentions = mentions;
	r.n_mentions = n;
	r.classification = in->classification;
	r.purpose_code = in->purpose;
	r.urgency = in->urgency ? in->urgency : "normal";
	r.status = in->classification ? "classified" : "received";
	if (in->classification) {
		r.classified_at = now;
		r.classified_by = p->user_id;
	}
	if (legal_clock(in->channel, in->classification) &&
	    ctip_intake_deadline(deadline, in->received_at, "none"))
		r.deadline = deadline;
	r.idempotency_key = in->idempotency_key;
	r.created_at = now;
	r.created_by = p->user_id;
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		goto out;
	rc = ax->st->ops->intake_insert(out, ax->st, &r, err);
	if (rc == CTIP_OK)
		rc = audit_in_tx(ax, p, "intake.create", *out, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	/* Two submissions with the same key at the same moment: the
	 * second loses the insert and answers with the first. */
	if (rc == CTIP_EEXIST && in->idempotency_key != NULL &&
	    ax->st->ops->intake_find_key(out, ax->st, p->user_id,
					 in->idempotency_key, err) == CTIP_OK) {
		*existed = true;
		rc = CTIP_OK;
	}
out:
	ctip_arena_free(&a);
	return rc;
}

/* How p may see intake r: the handlers of the owning unit, or of a unit
 * it was referred to (granted), see everything; the supervisors of those
 * units and of the province a pseudonymised view; nobody else anything.
 * A national unit sees only the intakes it received itself (the national
 * hotline 111), never one referred: of others, aggregates only. */
static enum ctip_view
intake_view(const struct ctip_principal *p, const struct ctip_intake_row *r,
	    bool granted)
{
	bool nation = strcmp(p->level, "nation") == 0;
	bool mine = r->owner_unit_id == p->unit_id || (granted && !nation);
	bool province = strcmp(p->level, "province") == 0 &&
			strcmp(p->province_code, r->province_code) == 0;

	/* A unit that receives no intake does not read one, even one it made
	 * before it stopped receiving them. */
	if (p->must_change_password || !receives_intakes(p))
		return CTIP_VIEW_NONE;
	if (mine && (p->roles & INTAKE_ROLES))
		return CTIP_VIEW_IDENTITY;
	if ((mine || province) && (p->roles & CTIP_ROLE_SUPERVISOR))
		return CTIP_VIEW_PSEUDONYM;
	return CTIP_VIEW_NONE;
}

/* Whether intake r was referred to p's unit. */
static enum ctip_status
granted(bool *out, const struct ctip_access *ax, const struct ctip_principal *p,
	const struct ctip_intake_row *r, struct ctip_err *err)
{
	*out = false;
	if (r->owner_unit_id == p->unit_id)
		return CTIP_OK;
	return ax->st->ops->access_granted(out, ax->st, "intake", r->id,
					   p->unit_id, err);
}

/* Intake id into r and what p may see of it (*view); CTIP_ENOTFOUND for
 * a missing id and for one p may not see at all alike. */
static enum ctip_status
fetch(struct ctip_intake_row *r, enum ctip_view *view,
      const struct ctip_access *ax, const struct ctip_principal *p, int64_t id,
      struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;
	bool ok = false;

	*view = CTIP_VIEW_NONE;
	rc = ax->st->ops->intake_get(r, ax->st, id, a, err);
	if (rc == CTIP_OK)
		rc = granted(&ok, ax, p, r, err);
	if (rc == CTIP_OK && (*view = intake_view(p, r, ok)) == CTIP_VIEW_NONE)
		rc = CTIP_ENOTFOUND;
	return rc;
}

/* Intake id, named by p's action, is missing or outside p's scope: the
 * same answer for both, and a trace for the auditor. */
static enum ctip_status
refused(const struct ctip_access *ax, const struct ctip_principal *p,
	int64_t id, const char *action, struct ctip_err *err)
{
	ctip_err_set(err, CTIP_ENOTFOUND, "intake %lld does not exist",
		     (long long)id);
	return ctip_audit_denied(ax->q, ax->st, ax->kr, p, action, "intake", id,
				 CTIP_ENOTFOUND, err);
}

enum ctip_status
ctip_intake_visible(const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id,
		    const char *action, struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	enum ctip_status rc;
	enum ctip_view view;

	ctip_arena_init(&a, 1 << 16);
	rc = fetch(&r, &view, ax, p, id, &a, err);
	if (rc == CTIP_OK && (!may_handle(p) || view != CTIP_VIEW_IDENTITY))
		rc = CTIP_ENOTFOUND;
	ctip_arena_free(&a);
	return rc == CTIP_ENOTFOUND ? refused(ax, p, id, action, err) : rc;
}

static enum ctip_status
read_view(struct ctip_intake_view *out, const struct ctip_access *ax,
	  const struct ctip_principal *p, int64_t id, bool audit,
	  struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_audit_event ev = { .who = p,
				       .action = "intake.read",
				       .object_type = "intake" };
	struct ctip_intake_row *r = &out->row;
	char object_id[24], now[24], soon[24];
	const char *v;
	enum ctip_status rc;
	int i;

	memset(out, 0, sizeof(*out));
	rc = fetch(r, &out->view, ax, p, id, a, err);
	snprintf(object_id, sizeof(object_id), "%lld", (long long)id);
	ev.object_id = object_id;
	if (rc == CTIP_ENOTFOUND) {
		ctip_err_set(err, CTIP_ENOTFOUND, "intake %lld does not exist",
			     (long long)id);
		/* A refused read is audited, a missing id as a hidden one:
		 * a trace of probing, and the same answer and time (not for a
		 * role that reads no intake at all: nothing to probe). */
		return audit && (may_handle(p) ||
				 (p->roles & CTIP_ROLE_SUPERVISOR))
			       ? ctip_audit_refusal(ax->q, ax->st, ax->kr, &ev,
						    rc, err)
			       : rc;
	}
	if (rc != CTIP_OK)
		return rc;
	ctip_now(now);
	ctip_time_after(soon, CTIP_INTAKE_DUE_SOON * 86400L);
	out->links = out->view == CTIP_VIEW_IDENTITY &&
		     strcmp(p->level, "nation") != 0;
	out->legal = r->deadline != NULL;
	out->overdue = out->legal && strcmp(r->status, "resolved") != 0 &&
		       strcmp(r->deadline, now) < 0;
	out->due_soon = out->legal && !out->overdue &&
			strcmp(r->status, "resolved") != 0 &&
			strcmp(r->deadline, soon) < 0;
	if (out->view == CTIP_VIEW_IDENTITY) {
		if (audit)
			rc = ctip_audit_log(ax->q, ax->st, ax->kr, &ev, 1, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&out->summary, ax->kr,
					    "intake.summary", r->summary_enc,
					    r->summary_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&out->reporter_name, ax->kr,
					    "intake.reporter_name",
					    r->reporter_name_enc,
					    r->reporter_name_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&out->reporter_phone, ax->kr,
					    "intake.reporter_phone",
					    r->reporter_phone_enc,
					    r->reporter_phone_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&out->decision_note, ax->kr,
					    "intake.decision_note",
					    r->decision_note_enc,
					    r->decision_note_enc_len, a, err);
		if (rc == CTIP_OK)
			rc = ctip_open_text(&out->resolution, ax->kr,
					    "intake.resolution",
					    r->resolution_enc,
					    r->resolution_enc_len, a, err);
		for (i = 0; rc == CTIP_OK && i < r->n_mentions; i++) {
			rc = ctip_open_text(&v, ax->kr, "intake.mention",
					    r->mentions[i].enc,
					    r->mentions[i].enc_len, a, err);
			if (rc != CTIP_OK)
				break;
			if (strcmp(r->mentions[i].kind, "phone") == 0 &&
			    out->n_phones < CTIP_INTAKE_MENTIONS_MAX)
				out->phones[out->n_phones++] = v;
			else if (out->n_names < CTIP_INTAKE_MENTIONS_MAX)
				out->names[out->n_names++] = v;
		}
	}
	r->reporter_name_enc = r->reporter_phone_enc = NULL;
	r->reporter_phone_bidx = r->summary_enc = NULL;
	r->decision_note_enc = r->resolution_enc = NULL;
	r->mentions = NULL;
	r->n_mentions = 0;
	return rc;
}

enum ctip_status
ctip_intake_read(struct ctip_intake_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err)
{
	return read_view(out, ax, p, id, true, a, err);
}

enum ctip_status
ctip_intake_echo(struct ctip_intake_view *out, const struct ctip_access *ax,
		 const struct ctip_principal *p, int64_t id,
		 struct ctip_arena *a, struct ctip_err *err)
{
	return read_view(out, ax, p, id, false, a, err);
}

/*
 * Load intake id for action (a change) by p: the owning unit's handlers
 * only, on the version the user saw; one p may not see is missing, and
 * audited as denied. The caller changes *r and calls save().
 */
static enum ctip_status
load(struct ctip_intake_row *r, const struct ctip_access *ax,
     const struct ctip_principal *p, int64_t id, int version, unsigned roles,
     const char *action, struct ctip_arena *a, struct ctip_err *err)
{
	enum ctip_status rc;
	enum ctip_view view;

	if (!may_handle(p) || !(p->roles & roles))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not do this");

	rc = fetch(r, &view, ax, p, id, a, err);
	if (rc == CTIP_OK && view != CTIP_VIEW_IDENTITY)
		rc = CTIP_ENOTFOUND;
	if (rc == CTIP_ENOTFOUND)
		return refused(ax, p, id, action, err);
	/* A referral lets the receiving unit see the intake, not handle it. */
	if (rc == CTIP_OK && r->owner_unit_id != p->unit_id)
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "intake %lld is another unit's: it was "
				    "referred to yours to see, not to change",
				    (long long)id);
	if (rc == CTIP_OK && r->version != version)
		return ctip_err_field(err, CTIP_ECONFLICT, "version",
				      "intake %lld was changed by someone "
				      "else: reload it",
				      (long long)id);
	return rc;
}

static enum ctip_status
save(const struct ctip_access *ax, const struct ctip_principal *p,
     struct ctip_intake_row *r, const char *action, struct ctip_err *err)
{
	char now[24];
	enum ctip_status rc;

	ctip_now(now);
	r->updated_at = now;
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	rc = ax->st->ops->intake_update(ax->st, r, err);
	if (rc == CTIP_OK)
		rc = audit_in_tx(ax, p, action, r->id, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
	return rc;
}

enum ctip_status
ctip_intake_classify(const struct ctip_access *ax,
		     const struct ctip_principal *p, int64_t id, int version,
		     const char *classification, const char *purpose,
		     const char *urgency, struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	char now[24], deadline[24];
	enum ctip_status rc;
	bool resolved;

	if (!ctip_one_of(classification, classifications))
		return ctip_err_field(err, CTIP_EINVAL, "classification",
				      "classification: trafficking_tip, "
				      "victim_help, information or other");
	if (urgency != NULL && !ctip_one_of(urgency, urgencies))
		return ctip_err_field(err, CTIP_EINVAL, "urgency",
				      "urgency: low, normal, high or critical");
	if (purpose != NULL &&
	    (rc = check_code(ax->st, CTIP_REF_PURPOSE, purpose, "purpose",
			     err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	rc = load(&r, ax, p, id, version, INTAKE_ROLES, "intake.classify", &a,
		  err);
	/* A resolved intake keeps its classification. One resolved
	 * unclassified (before classifying came first) may still be
	 * classified, for the record and the programme's count; it stays
	 * resolved, and no clock starts after the fact. */
	resolved = rc == CTIP_OK && strcmp(r.status, "resolved") == 0;
	if (resolved && r.classification != NULL)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_resolved",
				   "intake %lld is already resolved",
				   (long long)id);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.classification = classification;
		r.purpose_code = purpose;
		if (urgency != NULL)
			r.urgency = urgency;
		if (!resolved)
			r.status = "classified";
		r.classified_at = now;
		r.classified_by = p->user_id;
		/* Classified as a tip: the clock runs from receipt. */
		if (!resolved && r.deadline == NULL &&
		    legal_clock(r.channel, classification) &&
		    ctip_intake_deadline(deadline, r.received_at, "none"))
			r.deadline = deadline;
		rc = save(ax, p, &r, "intake.classify", err);
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_intake_extend(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *kind,
		   struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	char deadline[24], now[24];
	enum ctip_status rc;

	if ((rc = refers_only(p, err)) != CTIP_OK)
		return rc;
	if (kind == NULL ||
	    (strcmp(kind, "complex") != 0 && strcmp(kind, "procuracy") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "kind",
				      "kind: complex or procuracy");
	ctip_arena_init(&a, 1 << 20);
	rc = load(&r, ax, p, id, version, CTIP_ROLE_INVESTIGATOR,
		  "intake.extend", &a, err);
	if (rc == CTIP_OK && r.deadline == NULL)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL,
				   "intake_no_deadline",
				   "intake %lld is not a tip: no legal "
				   "deadline to extend",
				   (long long)id);
	if (rc == CTIP_OK && strcmp(r.status, "resolved") == 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_decided",
				   "intake %lld is already decided",
				   (long long)id);
	/* Art. 147: complex first (2 months), then once by the procuracy. */
	if (rc == CTIP_OK && strcmp(kind, "complex") == 0 &&
	    strcmp(r.extension, "none") != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, "kind",
				   "extend_complex",
				   "kind: already extended as complex");
	if (rc == CTIP_OK && strcmp(kind, "procuracy") == 0 &&
	    strcmp(r.extension, "complex") != 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, "kind",
				   "extend_procuracy",
				   "kind: the procuracy extends once, after "
				   "the complex-case extension");
	/* A time limit is extended while it runs: once it has ended, the
	 * decision is late, and an extension would count it in time. */
	ctip_now(now);
	if (rc == CTIP_OK && strcmp(now, r.deadline) > 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, "kind", "extend_ended",
				   "kind: the deadline ended at %s; a "
				   "deadline is extended before it ends",
				   r.deadline);
	if (rc == CTIP_OK) {
		if (!ctip_intake_deadline(deadline, r.received_at, kind))
			rc = ctip_err_set(err, CTIP_EINTERNAL,
					  "bad receipt time");
		r.extension = kind;
		r.deadline = deadline;
	}
	if (rc == CTIP_OK)
		rc = save(ax, p, &r, "intake.extend", err);
	ctip_arena_free(&a);
	return rc;
}

/* An intake is classified before it is decided or resolved: the
 * programme's first target is every tip received and classified, and an
 * intake handled unclassified would count as resolved, not classified. */
static enum ctip_status
classified(const struct ctip_intake_row *r, struct ctip_err *err)
{
	if (r->classification != NULL)
		return CTIP_OK;
	return ctip_err_rule(err, CTIP_ECONFLICT, "classification",
			     "intake_unclassified",
			     "intake %lld is not classified: classify it "
			     "first",
			     (long long)r->id);
}

enum ctip_status
ctip_intake_decide(const struct ctip_access *ax, const struct ctip_principal *p,
		   int64_t id, int version, const char *decision,
		   const char *note, struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;

	if ((rc = refers_only(p, err)) != CTIP_OK)
		return rc;
	if (!ctip_one_of(decision, decisions))
		return ctip_err_field(err, CTIP_EINVAL, "decision",
				      "decision: initiate, not_initiate or "
				      "suspend");
	/* A decision not to initiate states its ground (CPC Art. 157), a
	 * suspension its own (Art. 148: an expert examination, a valuation,
	 * mutual legal assistance or documents awaited). */
	if ((rc = ctip_text_check(note, 2000, strcmp(decision, "initiate") != 0,
				  "note", err)) != CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	rc = load(&r, ax, p, id, version, CTIP_ROLE_INVESTIGATOR,
		  "intake.decide", &a, err);
	if (rc == CTIP_OK && r.deadline == NULL)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_not_tip",
				   "intake %lld is not a tip: resolve it "
				   "instead",
				   (long long)id);
	if (rc == CTIP_OK && strcmp(r.status, "resolved") == 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_decided",
				   "intake %lld is already decided",
				   (long long)id);
	if (rc == CTIP_OK)
		rc = classified(&r, err);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.decision = decision;
		r.decision_note_enc =
			ctip_seal_text(&r.decision_note_enc_len, ax->kr,
				       "intake.decision_note", note, &a);
		r.decided_at = now;
		r.decided_by = p->user_id;
		r.status = "resolved";
		r.resolved_at = now;
		r.resolved_by = p->user_id;
		rc = save(ax, p, &r, "intake.decide", err);
	}
	ctip_arena_free(&a);
	return rc;
}

enum ctip_status
ctip_intake_resolve(const struct ctip_access *ax,
		    const struct ctip_principal *p, int64_t id, int version,
		    const char *resolution, struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	char now[24];
	enum ctip_status rc;

	if ((rc = ctip_text_check(resolution, 2000, true, "resolution", err)) !=
	    CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 20);
	rc = load(&r, ax, p, id, version, INTAKE_ROLES, "intake.resolve", &a,
		  err);
	if (rc == CTIP_OK && r.deadline != NULL)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_tip",
				   "intake %lld is a tip: it ends with a "
				   "decision",
				   (long long)id);
	if (rc == CTIP_OK && strcmp(r.status, "resolved") == 0)
		rc = ctip_err_rule(err, CTIP_ECONFLICT, NULL, "intake_resolved",
				   "intake %lld is already resolved",
				   (long long)id);
	if (rc == CTIP_OK)
		rc = classified(&r, err);
	if (rc == CTIP_OK) {
		ctip_now(now);
		r.resolution_enc =
			ctip_seal_text(&r.resolution_enc_len, ax->kr,
				       "intake.resolution", resolution, &a);
		r.status = "resolved";
		r.resolved_at = now;
		r.resolved_by = p->user_id;
		rc = save(ax, p, &r, "intake.resolve", err);
	}
	ctip_arena_free(&a);
	return rc;
}

/* A national unit sees only the intakes it received, never one referred
 * (intake_view): of ids[0..*n) the store found for its unit, keep those. */
static enum ctip_status
received_only(int64_t *ids, int *n, const struct ctip_access *ax,
	      const struct ctip_principal *p, struct ctip_err *err)
{
	struct ctip_intake_row r;
	struct ctip_arena a;
	enum ctip_status rc = CTIP_OK;
	int i, k = 0;

	if (strcmp(p->level, "nation") != 0)
		return CTIP_OK;
	ctip_arena_init(&a, 1 << 16);
	for (i = 0; rc == CTIP_OK && i < *n; i++) {
		ctip_arena_reset(&a);
		rc = ax->st->ops->intake_get(&r, ax->st, ids[i], &a, err);
		if (rc == CTIP_OK && r.owner_unit_id == p->unit_id)
			ids[k++] = ids[i];
	}
	ctip_arena_free(&a);
	*n = k;
	return rc;
}

enum ctip_status
ctip_intake_list(int64_t **out, int *n_out, const struct ctip_access *ax,
		 const struct ctip_principal *p, enum ctip_due due,
		 const char *status, int limit, struct ctip_arena *a,
		 struct ctip_err *err)
{
	static const char *const statuses[] = { "received", "classified",
						"resolved", NULL };
	char now[24], soon[24];
	enum ctip_status rc;

	if (!may_handle(p) && !(p->roles & CTIP_ROLE_SUPERVISOR))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not list intakes");
	if (status != NULL && !ctip_one_of(status, statuses))
		return ctip_err_field(err, CTIP_EINVAL, "status",
				      "status: received, classified or "
				      "resolved");
	ctip_now(now);
	ctip_time_after(soon, CTIP_INTAKE_DUE_SOON * 86400L);
	rc = ax->st->ops->intake_list(out, n_out, ax->st, p->unit_id, due, now,
				      soon, status, limit, a, err);
	return rc == CTIP_OK ? received_only(*out, n_out, ax, p, err) : rc;
}

enum ctip_status
ctip_intake_repeat(int64_t **intakes, int *n_intakes, int64_t **persons,
		   int *n_persons, const struct ctip_access *ax,
		   const struct ctip_principal *p, const char *phone,
		   struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_person_search s = { .limit = 20 };
	struct ctip_person_scope scope;
	struct ctip_person_view *views;
	unsigned char bidx[CTIP_BLIND_BYTES];
	char norm[24];
	enum ctip_status rc;
	int i;

	*n_intakes = *n_persons = 0;
	if (!may_handle(p))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not receive intakes");
	if (phone == NULL || !ctip_phone_normalize(norm, phone))
		return ctip_err_field(err, CTIP_EINVAL, "phone",
				      "phone: not a phone number");
	/* The intakes p's unit may open (its own and those referred to it,
	 * a national unit's own only: the rule of intake_view for a role that
	 * handles intakes). */
	ctip_blind(bidx, ax->kr, "phone", norm);
	rc = ax->st->ops->intake_repeat(intakes, n_intakes, ax->st, p->unit_id,
					bidx, 20, a, err);
	if (rc == CTIP_OK)
		rc = received_only(*intakes, n_intakes, ax, p, err);
	if (rc != CTIP_OK || !ctip_authz_person_scope(&scope, p))
		return rc;
	/* Persons as a search by phone finds them: only those whose identity
	 * p may see without giving a reason, each audited. */
	s.phone = norm;
	rc = ctip_person_find(&views, n_persons, ax, p, &s, a, err);
	if (rc != CTIP_OK)
		return rc;
	*persons = ctip_arena_alloc(a, (size_t)(*n_persons + 1) *
					       sizeof(**persons));
	if (*persons == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "too many results");
	for (i = 0; i < *n_persons; i++)
		(*persons)[i] = views[i].rec.id;
	return CTIP_OK;
}

enum ctip_status
ctip_intake_register_persons(int64_t *ids, int *n_ids,
			     const struct ctip_access *ax,
			     const struct ctip_principal *p, int64_t intake_id,
			     struct ctip_person_input *adult,
			     struct ctip_person_input *minors, int n_minors,
			     struct ctip_err *err)
{
	char now[24], where[24], object_id[24];
	const char *adult_role;
	struct ctip_audit_event ev = { .who = p,
				       .action = "intake.person",
				       .object_type = "person",
				       .object_id = object_id };
	enum ctip_status rc;
	int i;

	*n_ids = 0;
	if (!ctip_authz_can(p, CTIP_PERM_PERSON_CREATE))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "your role may not register persons");
	if (n_minors < 0 || n_minors > CTIP_MINORS_MAX)
		return ctip_err_field(err, CTIP_EINVAL, "minors",
				      "minors: at most %d", CTIP_MINORS_MAX);
	if (adult->role == NULL ||
	    (strcmp(adult->role, "victim") != 0 &&
	     strcmp(adult->role, "under_identification") != 0))
		return ctip_err_field(err, CTIP_EINVAL, "person.role",
				      "person.role: victim or "
				      "under_identification");
	if (ctip_casework_registering(&adult_role, adult, err) != CTIP_OK)
		return ctip_err_prefix(err, "person.");
	if ((rc = ctip_intake_visible(ax, p, intake_id, "intake.person",
				      err)) != CTIP_OK)
		return rc;
	ctip_now(now);
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		return rc;
	for (i = -1; i < n_minors && rc == CTIP_OK; i++) {
		struct ctip_person_input in = i < 0 ? *adult : minors[i];

		in.owner_unit_id = p->unit_id;
		in.created_by = p->user_id;
		/* Synthetic only when the caller says so (the demo casework;
		 * the HTTP layer never does), minors as their adult. */
		in.is_demo = adult->is_demo;
		in.role = i < 0 ? adult_role : "accompanying_minor";
		in.accompanies_id = i < 0 ? 0 : ids[0];
		rc = ctip_person_create(&ids[i + 1], ax->st, ax->kr, &in, now,
					err);
		if (rc != CTIP_OK) {
			if (i < 0)
				snprintf(where, sizeof(where), "person.");
			else
				snprintf(where, sizeof(where), "minors[%d].",
					 i);
			ctip_err_prefix(err, where);
			break;
		}
		rc = ctip_person_record_reception(ax->st, p, ids[i + 1], now,
						  err);
		if (rc == CTIP_OK)
			rc = ax->st->ops->intake_person_link(ax->st, intake_id,
							     ids[i + 1], err);
		snprintf(object_id, sizeof(object_id), "%lld",
			 (long long)ids[i + 1]);
		if (rc == CTIP_OK)
			rc = ctip_audit_append(ax->st, ax->kr, &ev, err);
		/* Identified after its creation, in the log too. */
		if (rc == CTIP_OK && in.identification != NULL &&
		    (rc = ctip_casework_identify_registered(
			     ax, p, ids[i + 1], in.identification, now, err)) !=
			    CTIP_OK &&
		    err->field[0] != '\0')
			ctip_err_prefix(err, "person.");
	}
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK) {
		ax->st->ops->rollback(ax->st);
		return rc;
	}
	*n_ids = n_minors + 1;
	return CTIP_OK;
}

enum ctip_status
ctip_intake_open_case(int64_t *out, const struct ctip_access *ax,
		      const struct ctip_principal *p, int64_t intake_id,
		      const char *article, const char *title,
		      struct ctip_err *err)
{
	static const char *const articles[] = { "150", "151", "other", NULL };
	char now[24], object_id[24];
	struct ctip_audit_event ev = { .who = p,
				       .action = "case.create",
				       .object_type = "case",
				       .object_id = object_id };
	struct ctip_intake_row in;
	struct ctip_case_row c;
	struct ctip_arena a;
	enum ctip_status rc;

	if (!may_handle(p) || !(p->roles & CTIP_ROLE_INVESTIGATOR))
		return ctip_err_set(err, CTIP_EFORBIDDEN,
				    "only investigators open criminal cases");
	/* A case belongs to the justice chain of a province (authz.h). */
	if ((rc = refers_only(p, err)) != CTIP_OK)
		return rc;
	if (article != NULL && !ctip_one_of(article, articles))
		return ctip_err_field(err, CTIP_EINVAL, "article",
				      "article: 150, 151 or other");
	if ((rc = ctip_text_check(title, 500, true, "title", err)) != CTIP_OK)
		return rc;
	if ((rc = ctip_intake_visible(ax, p, intake_id, "case.create", err)) !=
	    CTIP_OK)
		return rc;
	ctip_arena_init(&a, 1 << 16);
	rc = ax->st->ops->intake_get(&in, ax->st, intake_id, &a, err);
	if (rc != CTIP_OK)
		goto out;
	ctip_now(now);
	memset(&c, 0, sizeof(c));
	c.owner_unit_id = p->unit_id;
	c.province_code = in.province_code;
	c.stage = "lead";
	c.article = article;
	c.title_enc = ctip_seal_text(&c.title_enc_len, ax->kr, "case.title",
				     title, &a);
	c.created_at = now;
	c.created_by = p->user_id;
	if ((rc = ax->st->ops->begin(ax->st, err)) != CTIP_OK)
		goto out;
	rc = ax->st->ops->case_insert(out, ax->st, &c, err);
	if (rc == CTIP_OK)
		rc = ax->st->ops->intake_case_link(ax->st, intake_id, *out,
						   err);
	if (rc == CTIP_OK) {
		snprintf(object_id, sizeof(object_id), "%lld", (long long)*out);
		rc = ctip_audit_append(ax->st, ax->kr, &ev, err);
	}
	if (rc == CTIP_OK)
		rc = ax->st->ops->commit(ax->st, err);
	if (rc != CTIP_OK)
		ax->st->ops->rollback(ax->st);
out:
	ctip_arena_free(&a);
	return rc;
}

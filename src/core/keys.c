/* keys.c: key rotation. Every sealed column is listed in enum
 * ctip_sealed_column (store.h), with its table in each backend and its
 * field below: a column that is sealed must be added to all three. */
#include "core/keys.h"
#include "core/audit.h"
#include "core/setup.h"

#include <sodium.h>

#include <time.h>

#define BATCH 500

/* The field each sealed column is sealed as (its associated data). */
static const char *const fields[CTIP_SEALED_N_COLUMNS] = {
	[CTIP_SEALED_PERSON_NAME] = "person.name",
	[CTIP_SEALED_PERSON_CITIZEN_ID] = "person.citizen_id",
	[CTIP_SEALED_PERSON_PHONE] = "person.phone",
	[CTIP_SEALED_PERSON_ADDRESS] = "person.address",
	[CTIP_SEALED_PERSON_CONTACTS] = "person.contacts",
	[CTIP_SEALED_INTAKE_REPORTER_NAME] = "intake.reporter_name",
	[CTIP_SEALED_INTAKE_REPORTER_PHONE] = "intake.reporter_phone",
	[CTIP_SEALED_INTAKE_SUMMARY] = "intake.summary",
	[CTIP_SEALED_INTAKE_DECISION_NOTE] = "intake.decision_note",
	[CTIP_SEALED_INTAKE_RESOLUTION] = "intake.resolution",
	[CTIP_SEALED_INTAKE_MENTION] = "intake.mention",
	[CTIP_SEALED_REFERRAL_NOTE] = "referral.note",
	[CTIP_SEALED_REFERRAL_REFUSAL] = "referral.refusal_reason",
	[CTIP_SEALED_CASE_TITLE] = "case.title",
	[CTIP_SEALED_CASE_NOTE] = "case.note",
	[CTIP_SEALED_OFFENDER_NAME] = "case_offender.name",
	[CTIP_SEALED_OFFENDER_CITIZEN_ID] = "case_offender.citizen_id",
	[CTIP_SEALED_STEP_REASON] = "step.reason",
	[CTIP_SEALED_STEP_DOC_NUMBER] = "step.doc_number",
	[CTIP_SEALED_CONSENT_REPRESENTATIVE] = "consent.representative",
	[CTIP_SEALED_CONSENT_WITHDRAWAL] = "consent.withdrawal",
	[CTIP_SEALED_SERVICE_NOTE] = "service.note",
	[CTIP_SEALED_SERVICE_OVERRIDE] = "service.override",
	[CTIP_SEALED_PROTECTION_NOTE] = "protection.note",
	[CTIP_SEALED_FOLLOW_UP_NOTE] = "follow_up.note",
};

struct reseal_arg {
	const struct ctip_keyring *kr;
	const char *field;
	unsigned char *pt, *out; /* buffers of cap bytes */
	size_t cap;
};

/* A value under an older key, opened and sealed under the newest. */
static int
reseal_value(const unsigned char **out, size_t *out_n,
	     const unsigned char *blob, size_t n, void *arg,
	     struct ctip_err *err)
{
	struct reseal_arg *r = arg;
	long len;

	*out = NULL;
	if (ctip_sealed_key_id(blob, n) == r->kr->ids[r->kr->n_keys - 1])
		return CTIP_OK;
	if (n > r->cap) {
		r->cap = 2 * n;
		r->pt = ctip_xrealloc(r->pt, r->cap);
		r->out = ctip_xrealloc(r->out, r->cap);
	}
	len = ctip_open((char *)r->pt, r->kr, r->field, blob, n);
	if (len < 0)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "could not decrypt %s: damaged, or its key "
				    "is missing from the key file",
				    r->field);
	ctip_seal(r->out, r->kr, r->field, (const char *)r->pt, (size_t)len);
	sodium_memzero(r->pt, (size_t)len);
	*out = r->out;
	*out_n = (size_t)len + CTIP_SEAL_OVERHEAD;
	return CTIP_OK;
}

enum ctip_status
ctip_key_reseal_all(struct ctip_rotate_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, struct ctip_err *err)
{
	struct reseal_arg r = { .kr = kr };
	enum ctip_status rc = CTIP_OK;
	int col;

	for (col = 0; rc == CTIP_OK && col < CTIP_SEALED_N_COLUMNS; col++) {
		r.field = fields[col];
		rc = st->ops->reseal(&out->values_seen, &out->values_resealed,
				     st, (enum ctip_sealed_column)col,
				     reseal_value, &r, err);
	}
	if (r.pt != NULL)
		sodium_memzero(r.pt, r.cap);
	free(r.pt);
	free(r.out);
	return rc;
}

enum ctip_status
ctip_key_rotate(struct ctip_rotate_stats *out, struct ctip_store *st,
		struct ctip_keyring *kr, const char *path, struct ctip_err *err)
{
	const struct timespec wait = { 2, 0 };
	struct ctip_audit_event ev = { .username = "system",
				       .action = "key.rotate",
				       .object_type = "key_file",
				       .ip = "cli" };
	char id[16];
	enum ctip_status rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ctip_keyring_add(kr, path, err)) != CTIP_OK)
		return rc;
	/* The database knows the new key before anything is sealed with
	 * it: a key file without it is refused from now on. */
	if ((rc = ctip_key_check(st, kr, err)) != CTIP_OK)
		return rc;
	out->new_key_id = kr->ids[kr->n_keys - 1];
	snprintf(id, sizeof(id), "%u", (unsigned)out->new_key_id);
	ev.object_id = id;
	if ((rc = ctip_audit_write(st, kr, &ev, err)) != CTIP_OK)
		return rc;
	/* Servers check the key file once a second. */
	nanosleep(&wait, NULL);
	rc = ctip_key_reseal_all(out, st, kr, err);
	if (rc == CTIP_OK) {
		out->values_seen = 0;
		rc = ctip_key_reseal_all(out, st, kr, err);
	}
	return rc;
}

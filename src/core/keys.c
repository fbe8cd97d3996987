/* keys.c: key rotation. The sealed fields are the identity fields of
 * person (name, citizen ID, phone, address); a table that gains sealed
 * fields must be added to reseal_batch. */
#include "core/keys.h"
#include "core/audit.h"

#include <time.h>

#define BATCH 500

/* Re-seal one field under the newest key if it is under an older one.
 * *blob and *n are replaced by a copy in a; *changed set when it was. */
static enum ctip_status
reseal_field(const unsigned char **blob, size_t *n, bool *changed,
	     const struct ctip_keyring *kr, const char *field,
	     struct ctip_arena *a, struct ctip_err *err)
{
	uint32_t newest = kr->ids[kr->n_keys - 1];
	unsigned char *out;
	char *pt;
	long len;

	if (*blob == NULL || ctip_sealed_key_id(*blob, *n) == newest)
		return CTIP_OK;
	pt = ctip_arena_alloc(a, *n);
	out = ctip_arena_alloc(a, *n);
	if (pt == NULL || out == NULL)
		return ctip_err_set(err, CTIP_ETOOBIG, "out of memory");
	len = ctip_open(pt, kr, field, *blob, *n);
	if (len < 0)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "could not decrypt %s: damaged, or its key "
				    "is missing from the key file",
				    field);
	ctip_seal(out, kr, field, pt, (size_t)len);
	memset(pt, 0, (size_t)len);
	*blob = out;
	*n = (size_t)len + CTIP_SEAL_OVERHEAD;
	*changed = true;
	return CTIP_OK;
}

/* Re-seal the persons of ids[0..n) in one transaction. */
static enum ctip_status
reseal_batch(struct ctip_rotate_stats *out, struct ctip_store *st,
	     const struct ctip_keyring *kr, const int64_t *ids, int n,
	     struct ctip_arena *a, struct ctip_err *err)
{
	struct ctip_person_rec r;
	enum ctip_status rc;
	bool changed;
	int i;

	if ((rc = st->ops->begin(st, err)) != CTIP_OK)
		return rc;
	for (i = 0; i < n && rc == CTIP_OK; i++) {
		rc = st->ops->person_get(&r, st, ids[i], a, err);
		if (rc == CTIP_ENOTFOUND) {
			rc = CTIP_OK;
			continue;
		}
		changed = false;
		if (rc == CTIP_OK)
			rc = reseal_field(&r.name_enc, &r.name_enc_len,
					  &changed, kr, "person.name", a, err);
		if (rc == CTIP_OK)
			rc = reseal_field(&r.citizen_id_enc,
					  &r.citizen_id_enc_len, &changed, kr,
					  "person.citizen_id", a, err);
		if (rc == CTIP_OK)
			rc = reseal_field(&r.phone_enc, &r.phone_enc_len,
					  &changed, kr, "person.phone", a, err);
		if (rc == CTIP_OK)
			rc = reseal_field(&r.address_enc, &r.address_enc_len,
					  &changed, kr, "person.address", a,
					  err);
		if (rc == CTIP_OK && changed) {
			rc = st->ops->person_reseal(st, &r, err);
			out->rows_resealed += rc == CTIP_OK;
		}
		out->rows_seen++;
	}
	if (rc == CTIP_OK)
		rc = st->ops->commit(st, err);
	if (rc != CTIP_OK)
		st->ops->rollback(st);
	return rc;
}

enum ctip_status
ctip_key_reseal_all(struct ctip_rotate_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, struct ctip_err *err)
{
	struct ctip_arena a;
	enum ctip_status rc;
	int64_t *ids, after = 0;
	int n;

	ctip_arena_init(&a, 64u << 20);
	do {
		rc = st->ops->person_ids(&ids, &n, st, after, BATCH, &a, err);
		if (rc == CTIP_OK && n > 0) {
			rc = reseal_batch(out, st, kr, ids, n, &a, err);
			/* A row changed meanwhile by a user: its new
			 * version is sealed by the server; the next pass
			 * checks it again. */
			if (rc == CTIP_ECONFLICT)
				rc = CTIP_OK;
			after = ids[n - 1];
		}
		ctip_arena_reset(&a);
	} while (rc == CTIP_OK && n == BATCH);
	ctip_arena_free(&a);
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
	out->new_key_id = kr->ids[kr->n_keys - 1];
	snprintf(id, sizeof(id), "%u", (unsigned)out->new_key_id);
	ev.object_id = id;
	if ((rc = ctip_audit_write(st, kr, &ev, err)) != CTIP_OK)
		return rc;
	/* Servers check the key file once a second. */
	nanosleep(&wait, NULL);
	rc = ctip_key_reseal_all(out, st, kr, err);
	if (rc == CTIP_OK) {
		out->rows_seen = 0;
		rc = ctip_key_reseal_all(out, st, kr, err);
	}
	return rc;
}

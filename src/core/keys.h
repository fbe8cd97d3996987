/* keys.h: key rotation: a new data key, and every sealed field
 * re-encrypted under it while the system keeps running. */
#ifndef CTIP_KEYS_H
#define CTIP_KEYS_H

#include "store/store.h"
#include "util/crypto.h"

struct ctip_rotate_stats {
	uint32_t new_key_id;
	long values_seen;     /* sealed values read */
	long values_resealed; /* values re-encrypted under the new key */
};

/*
 * Add a data key to the key file at path (kr must be its contents and is
 * updated), then re-encrypt every sealed field not yet under it, in short
 * transactions of a few hundred rows so that users are never held up. A
 * running server picks up the new key file within a second; a second pass
 * catches rows it sealed with the old key meanwhile. Old keys stay in the
 * file: backups made before the rotation still open. Audited as
 * "key.rotate".
 */
CTIP_MUST_CHECK enum ctip_status ctip_key_rotate(struct ctip_rotate_stats *out,
						 struct ctip_store *st,
						 struct ctip_keyring *kr,
						 const char *path,
						 struct ctip_err *err);

/* Re-encrypt what is not under kr's newest key (the passes of
 * ctip_key_rotate, also usable to finish an interrupted rotation). */
CTIP_MUST_CHECK enum ctip_status
ctip_key_reseal_all(struct ctip_rotate_stats *out, struct ctip_store *st,
		    const struct ctip_keyring *kr, struct ctip_err *err);

#endif

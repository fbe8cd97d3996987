/* crypto.h: field encryption at rest (XChaCha20-Poly1305) and keyed blind
 * indexes (BLAKE2b), keyed from the key file `ctip init` creates. */
#ifndef CTIP_CRYPTO_H
#define CTIP_CRYPTO_H

#include "util/arena.h"
#include "util/buf.h"

#define CTIP_KEY_BYTES     32
#define CTIP_KEYRING_MAX   16
#define CTIP_BLIND_BYTES   16
/* version byte, key id, nonce and tag around the plaintext */
#define CTIP_SEAL_OVERHEAD (1 + 4 + 24 + 16)

struct ctip_keyring {
	int n_keys; /* data keys; the last one seals */
	uint32_t ids[CTIP_KEYRING_MAX];
	unsigned char keys[CTIP_KEYRING_MAX][CTIP_KEY_BYTES];
	unsigned char index_key[CTIP_KEY_BYTES]; /* for blind indexes */
};

/* Create a key file at path (mode 0600, must not exist) holding one data
 * key and the index key. CTIP_EEXIST if it exists, CTIP_EIO otherwise. */
CTIP_MUST_CHECK enum ctip_status ctip_keyring_create(const char *path,
						     struct ctip_err *err);

/* Load the key file at path. Refuses a file readable by group or others
 * (CTIP_EINVAL) or that is malformed. */
CTIP_MUST_CHECK enum ctip_status ctip_keyring_load(struct ctip_keyring *out,
						   const char *path,
						   struct ctip_err *err);

/* Append a fresh data key to kr and rewrite path atomically; the new key
 * seals from then on, older keys still open. */
CTIP_MUST_CHECK enum ctip_status ctip_keyring_add(struct ctip_keyring *kr,
						  const char *path,
						  struct ctip_err *err);

/* Wipe the keys. */
void ctip_keyring_wipe(struct ctip_keyring *kr);

/* Encrypt pt[0..n) bound to ad (the field's name, e.g. "person.name")
 * into out[0..n + CTIP_SEAL_OVERHEAD). */
void ctip_seal(unsigned char *out, const struct ctip_keyring *kr,
	       const char *ad, const void *pt, size_t n);

/*
 * Decrypt blob[0..n) sealed with ad into out (n - CTIP_SEAL_OVERHEAD
 * bytes, plus a NUL written after them; out must hold n bytes). Returns
 * the plaintext length, or -1 if the blob is damaged, was sealed for
 * another field, or its key is not in kr.
 */
long ctip_open(char *out, const struct ctip_keyring *kr, const char *ad,
	       const unsigned char *blob, size_t n);

/* The string s sealed as field, in a, with its length in *n; NULL (and
 * *n = 0) for NULL or "", and NULL when a is full. */
const unsigned char *ctip_seal_text(size_t *n, const struct ctip_keyring *kr,
				    const char *field, const char *s,
				    struct ctip_arena *a);

/* *out = blob (n bytes, sealed as field) opened into a NUL-terminated
 * string in a; NULL when blob is NULL. CTIP_EINTERNAL naming the field if
 * the blob is damaged, its key is not in kr, or a is full. */
CTIP_MUST_CHECK enum ctip_status
ctip_open_text(const char **out, const struct ctip_keyring *kr,
	       const char *field, const unsigned char *blob, size_t n,
	       struct ctip_arena *a, struct ctip_err *err);

/* Key id that sealed blob, 0 if the blob is malformed. */
uint32_t ctip_sealed_key_id(const unsigned char *blob, size_t n);

/* A fingerprint of data key kr->keys[i]: a hash keyed by the key itself,
 * which tells whether a key file holds the same key without telling
 * anything of it. */
void ctip_key_fingerprint(unsigned char out[CTIP_BLIND_BYTES],
			  const struct ctip_keyring *kr, int i);

/* Keyed hash of value for exact lookup; domain separates kinds of value
 * ("citizen_id", "phone") so equal strings of two kinds do not match. */
void ctip_blind(unsigned char out[CTIP_BLIND_BYTES],
		const struct ctip_keyring *kr, const char *domain,
		const char *value);

#endif

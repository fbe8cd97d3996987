/* crypto.c: field encryption and blind indexes on libsodium. */
#include "util/crypto.h"
#include "util/fs.h"

#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>

static enum ctip_status
save(const struct ctip_keyring *kr, const char *path, bool replace,
     struct ctip_err *err)
{
	char hex[2 * CTIP_KEY_BYTES + 1];
	struct ctip_buf b;
	enum ctip_status rc;
	int i;

	ctip_buf_init(&b, 1 << 16);
	rc = ctip_buf_puts(&b, "# ctip key file: keep it secret, keep an "
			       "offline copy; without it the\n# identity "
			       "fields in the database cannot be read.\n");
	sodium_bin2hex(hex, sizeof(hex), kr->index_key, CTIP_KEY_BYTES);
	if (rc == CTIP_OK)
		rc = ctip_buf_printf(&b, "index %s\n", hex);
	for (i = 0; i < kr->n_keys && rc == CTIP_OK; i++) {
		sodium_bin2hex(hex, sizeof(hex), kr->keys[i], CTIP_KEY_BYTES);
		rc = ctip_buf_printf(&b, "key %" PRIu32 " %s\n", kr->ids[i],
				     hex);
	}
	sodium_memzero(hex, sizeof(hex));
	if (rc == CTIP_OK)
		rc = replace ? ctip_fs_replace(path, b.data, b.len, err)
			     : ctip_fs_write_new(path, b.data, b.len, err);
	else
		rc = ctip_err_set(err, CTIP_EINTERNAL, "key file too large");
	sodium_memzero(b.data, b.len);
	ctip_buf_free(&b);
	return rc;
}

enum ctip_status
ctip_keyring_create(const char *path, struct ctip_err *err)
{
	struct ctip_keyring kr;
	enum ctip_status rc;

	memset(&kr, 0, sizeof(kr));
	kr.n_keys = 1;
	kr.ids[0] = 1;
	randombytes_buf(kr.keys[0], CTIP_KEY_BYTES);
	randombytes_buf(kr.index_key, CTIP_KEY_BYTES);
	rc = ctip_fs_mkparent(path, err);
	if (rc == CTIP_OK)
		rc = save(&kr, path, false, err);
	ctip_keyring_wipe(&kr);
	return rc;
}

static bool
parse_hex(unsigned char out[CTIP_KEY_BYTES], const char *hex)
{
	size_t n = 0;

	if (strlen(hex) != 2 * CTIP_KEY_BYTES)
		return false;
	return sodium_hex2bin(out, CTIP_KEY_BYTES, hex, 2 * CTIP_KEY_BYTES,
			      NULL, &n, NULL) == 0 &&
	       n == CTIP_KEY_BYTES;
}

enum ctip_status
ctip_keyring_load(struct ctip_keyring *out, const char *path,
		  struct ctip_err *err)
{
	struct stat st;
	char *text, *line, *next;
	char word[8], hex[80];
	unsigned long id;
	size_t len;
	enum ctip_status rc;
	bool have_index = false;
	long lineno = 0;
	int k;

	memset(out, 0, sizeof(*out));
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return ctip_err_set(err, CTIP_EINVAL,
				    "key file \"%s\" is a directory: name the "
				    "key file itself (--key FILE)",
				    path);
	if (stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		return ctip_err_set(err, CTIP_EINVAL,
				    "key file \"%s\" is readable by others: "
				    "chmod 600 it",
				    path);
	rc = ctip_fs_read(&text, &len, path, 1 << 16, err);
	if (rc != CTIP_OK)
		return rc;
	for (line = text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "%7s", word) != 1)
			goto bad;
		if (strcmp(word, "index") == 0) {
			if (sscanf(line, "index %79s", hex) != 1 ||
			    !parse_hex(out->index_key, hex))
				goto bad;
			have_index = true;
		} else if (strcmp(word, "key") == 0) {
			if (out->n_keys == CTIP_KEYRING_MAX ||
			    sscanf(line, "key %lu %79s", &id, hex) != 2 ||
			    id == 0 || id > UINT32_MAX ||
			    !parse_hex(out->keys[out->n_keys], hex))
				goto bad;
			/* ctip_open tries the first key of an id only. */
			for (k = 0; k < out->n_keys; k++)
				if (out->ids[k] == id)
					goto bad;
			out->ids[out->n_keys++] = (uint32_t)id;
		} else {
			goto bad;
		}
	}
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(text, len);
	free(text);
	if (!have_index || out->n_keys == 0) {
		ctip_keyring_wipe(out);
		return ctip_err_set(err, CTIP_EINVAL,
				    "key file \"%s\" has no index key or no "
				    "data key",
				    path);
	}
	return CTIP_OK;
bad:
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(text, len);
	free(text);
	ctip_keyring_wipe(out);
	return ctip_err_set(err, CTIP_EINVAL,
			    "key file \"%s\" line %ld is "
			    "malformed",
			    path, lineno);
}

enum ctip_status
ctip_keyring_add(struct ctip_keyring *kr, const char *path,
		 struct ctip_err *err)
{
	int n = kr->n_keys, i;
	uint32_t top = 0;
	enum ctip_status rc;

	if (n == CTIP_KEYRING_MAX)
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "key file already holds %d keys",
				    CTIP_KEYRING_MAX);
	/* The new id is above every id in use (a key file may list them in
	 * any order) and never wraps to 0, which marks a malformed blob. */
	for (i = 0; i < n; i++)
		if (kr->ids[i] > top)
			top = kr->ids[i];
	if (top == UINT32_MAX)
		return ctip_err_set(err, CTIP_ETOOBIG,
				    "key file has used up its key ids");
	kr->ids[n] = top + 1;
	randombytes_buf(kr->keys[n], CTIP_KEY_BYTES);
	kr->n_keys++;
	if ((rc = save(kr, path, true, err)) != CTIP_OK) {
		kr->n_keys--;
		kr->ids[n] = 0;
		sodium_memzero(kr->keys[n], CTIP_KEY_BYTES);
		return rc;
	}
	return CTIP_OK;
}

void
ctip_keyring_wipe(struct ctip_keyring *kr)
{
	sodium_memzero(kr, sizeof(*kr));
}

/*
 * Nonces come from a per-thread pool refilled 4 KiB at a time: one
 * getrandom(2) per ~170 seals instead of one each (bulk imports seal
 * millions of fields). The pool is wiped as it is used.
 */
static _Thread_local unsigned char pool[4096];
static _Thread_local size_t left;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* A child of fork() must not reuse the parent's unused nonces. */
static void
drop_pool_in_child(void)
{
	left = 0;
}

static void
register_atfork(void)
{
	pthread_atfork(NULL, NULL, drop_pool_in_child);
}

static void
random_nonce(unsigned char nonce[24])
{
	pthread_once(&atfork_once, register_atfork);
	if (left < 24) {
		randombytes_buf(pool, sizeof(pool));
		left = sizeof(pool);
	}
	left -= 24;
	memcpy(nonce, pool + left, 24);
	sodium_memzero(pool + left, 24);
}

void
ctip_seal(unsigned char *out, const struct ctip_keyring *kr, const char *ad,
	  const void *pt, size_t n)
{
	int k = kr->n_keys - 1;
	uint32_t id;
	unsigned char *nonce = out + 5;

	assert(k >= 0); /* before kr->ids[k] is read */
	id = kr->ids[k];
	out[0] = 1;
	out[1] = (unsigned char)(id >> 24);
	out[2] = (unsigned char)(id >> 16);
	out[3] = (unsigned char)(id >> 8);
	out[4] = (unsigned char)id;
	random_nonce(nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		out + 29, NULL, pt, n, (const unsigned char *)ad, strlen(ad),
		NULL, nonce, kr->keys[k]);
}

const unsigned char *
ctip_seal_text(size_t *n, const struct ctip_keyring *kr, const char *field,
	       const char *s, struct ctip_arena *a)
{
	unsigned char *out;

	*n = 0;
	if (s == NULL || s[0] == '\0')
		return NULL;
	*n = strlen(s) + CTIP_SEAL_OVERHEAD;
	if ((out = ctip_arena_alloc(a, *n)) != NULL)
		ctip_seal(out, kr, field, s, strlen(s));
	return out;
}

enum ctip_status
ctip_open_text(const char **out, const struct ctip_keyring *kr,
	       const char *field, const unsigned char *blob, size_t n,
	       struct ctip_arena *a, struct ctip_err *err)
{
	char *pt;

	*out = NULL;
	if (blob == NULL)
		return CTIP_OK;
	if (n < CTIP_SEAL_OVERHEAD || (pt = ctip_arena_alloc(a, n)) == NULL)
		return ctip_err_set(err, CTIP_EINTERNAL, "could not decrypt %s",
				    field);
	if (ctip_open(pt, kr, field, blob, n) < 0)
		return ctip_err_set(err, CTIP_EINTERNAL,
				    "could not decrypt %s: damaged, or its "
				    "key is not in the key file",
				    field);
	*out = pt;
	return CTIP_OK;
}

uint32_t
ctip_sealed_key_id(const unsigned char *blob, size_t n)
{
	if (n < CTIP_SEAL_OVERHEAD || blob[0] != 1)
		return 0;
	return (uint32_t)blob[1] << 24 | (uint32_t)blob[2] << 16 |
	       (uint32_t)blob[3] << 8 | blob[4];
}

long
ctip_open(char *out, const struct ctip_keyring *kr, const char *ad,
	  const unsigned char *blob, size_t n)
{
	uint32_t id = ctip_sealed_key_id(blob, n);
	unsigned long long got;
	int i;

	if (id == 0)
		return -1;
	for (i = 0; i < kr->n_keys; i++)
		if (kr->ids[i] == id)
			break;
	if (i == kr->n_keys)
		return -1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    (unsigned char *)out, &got, NULL, blob + 29, n - 29,
		    (const unsigned char *)ad, strlen(ad), blob + 5,
		    kr->keys[i]) != 0)
		return -1;
	out[got] = '\0';
	return (long)got;
}

void
ctip_key_fingerprint(unsigned char out[CTIP_BLIND_BYTES],
		     const struct ctip_keyring *kr, int i)
{
	static const char label[] = "ctip data key fingerprint v1";

	crypto_generichash(out, CTIP_BLIND_BYTES, (const unsigned char *)label,
			   sizeof(label) - 1, kr->keys[i], CTIP_KEY_BYTES);
}

void
ctip_blind(unsigned char out[CTIP_BLIND_BYTES], const struct ctip_keyring *kr,
	   const char *domain, const char *value)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, kr->index_key, CTIP_KEY_BYTES,
				CTIP_BLIND_BYTES);
	/* The NUL after domain keeps ("ab","c") and ("a","bc") apart. */
	crypto_generichash_update(&st, (const unsigned char *)domain,
				  strlen(domain) + 1);
	crypto_generichash_update(&st, (const unsigned char *)value,
				  strlen(value));
	crypto_generichash_final(&st, out, CTIP_BLIND_BYTES);
}

/* test_crypto.c: key files, sealed fields and blind indexes. */
#include "util/crypto.h"

#include "helpers.h"

#include <sodium.h>

#define HEX_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define HEX_B "f0e0d0c0b0a090807060504030201000f0e0d0c0b0a090807060504030201000"

struct fixture {
	char dir[64];
	char key[128];  /* created by setup */
	char key2[128]; /* not created */
	struct ctip_keyring kr;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ctip_err err = { 0 };

	if (f == NULL || !tmpdir_make(f->dir, sizeof(f->dir)))
		return -1;
	snprintf(f->key, sizeof(f->key), "%s/ctip.key", f->dir);
	snprintf(f->key2, sizeof(f->key2), "%s/other.key", f->dir);
	if (ctip_keyring_create(f->key, &err) != CTIP_OK ||
	    ctip_keyring_load(&f->kr, f->key, &err) != CTIP_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	ctip_keyring_wipe(&f->kr);
	tmpdir_remove(f->dir);
	free(f);
	return 0;
}

/* Expect loading a key file holding text to fail with msg_part. */
static void
expect_load_fails(struct fixture *f, const char *text, const char *msg_part)
{
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };

	assert_true(file_puts(f->key2, text));
	assert_int_equal(ctip_keyring_load(&kr, f->key2, &err), CTIP_EINVAL);
	if (strstr(err.msg, msg_part) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err.msg, msg_part);
	/* Nothing half-loaded is left in the ring. */
	assert_int_equal(kr.n_keys, 0);
}

static void
keyring_create_writes_a_private_file_that_loads(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring zero;

	assert_int_equal(file_mode(f->key), 0600);
	assert_int_equal(f->kr.n_keys, 1);
	assert_int_equal(f->kr.ids[0], 1);
	memset(&zero, 0, sizeof(zero));
	assert_memory_not_equal(f->kr.keys[0], zero.keys[0], CTIP_KEY_BYTES);
	assert_memory_not_equal(f->kr.index_key, zero.index_key,
				CTIP_KEY_BYTES);
	assert_memory_not_equal(f->kr.keys[0], f->kr.index_key, CTIP_KEY_BYTES);
}

static void
keyring_create_refuses_an_existing_file(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring again;
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_keyring_create(f->key, &err), CTIP_EEXIST);
	/* The key file was not touched. */
	assert_int_equal(ctip_keyring_load(&again, f->key, &err), CTIP_OK);
	assert_memory_equal(again.keys[0], f->kr.keys[0], CTIP_KEY_BYTES);
	ctip_keyring_wipe(&again);
}

static void
keyring_create_makes_missing_directories(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };
	char path[160];

	snprintf(path, sizeof(path), "%s/var/keys/ctip.key", f->dir);
	assert_int_equal(ctip_keyring_create(path, &err), CTIP_OK);
	assert_int_equal(file_mode(path), 0600);
	assert_int_equal(ctip_keyring_load(&kr, path, &err), CTIP_OK);
	/* Every key file gets fresh keys. */
	assert_memory_not_equal(kr.keys[0], f->kr.keys[0], CTIP_KEY_BYTES);
	ctip_keyring_wipe(&kr);
}

static void
keyring_load_of_a_missing_file_is_notfound(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };

	assert_int_equal(ctip_keyring_load(&kr, f->key2, &err), CTIP_ENOTFOUND);
}

static void
keyring_load_refuses_a_file_readable_by_others(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };

	assert_int_equal(chmod(f->key, 0644), 0);
	assert_int_equal(ctip_keyring_load(&kr, f->key, &err), CTIP_EINVAL);
	assert_non_null(strstr(err.msg, "chmod 600"));
	assert_int_equal(kr.n_keys, 0);
	assert_int_equal(chmod(f->key, 0640), 0);
	assert_int_equal(ctip_keyring_load(&kr, f->key, &err), CTIP_EINVAL);
	assert_int_equal(chmod(f->key, 0400), 0);
	assert_int_equal(ctip_keyring_load(&kr, f->key, &err), CTIP_OK);
	ctip_keyring_wipe(&kr);
}

static void
keyring_load_accepts_comments_and_several_keys(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };

	assert_true(file_puts(f->key2, "# comment\n\nindex " HEX_A "\n"
				       "key 1 " HEX_A "\nkey 7 " HEX_B "\n"));
	assert_int_equal(ctip_keyring_load(&kr, f->key2, &err), CTIP_OK);
	assert_int_equal(kr.n_keys, 2);
	assert_int_equal(kr.ids[0], 1);
	assert_int_equal(kr.ids[1], 7);
	assert_int_equal(kr.index_key[0], 0x00);
	assert_int_equal(kr.index_key[31], 0x1f);
	assert_int_equal(kr.keys[1][0], 0xf0);
	ctip_keyring_wipe(&kr);
	assert_int_equal(kr.n_keys, 0);
	assert_int_equal(kr.keys[1][0], 0);
}

static void
keyring_load_refuses_malformed_lines(void **state)
{
	struct fixture *f = *state;

	expect_load_fails(f, "index " HEX_A "\nkey 1 " HEX_A "\nbogus\n",
			  "line 3 is malformed");
	expect_load_fails(f, "index " HEX_A "\nkey 1 abcd\n",
			  "line 2 is malformed");
	expect_load_fails(f, "index " HEX_A "\nkey 1 " HEX_A "ff\n",
			  "line 2 is malformed");
	expect_load_fails(f, "index zz" HEX_A "\nkey 1 " HEX_A "\n",
			  "line 1 is malformed");
	expect_load_fails(f, "index " HEX_A "\nkey 0 " HEX_A "\n",
			  "line 2 is malformed");
	expect_load_fails(f, "index " HEX_A "\nkey 4294967296 " HEX_A "\n",
			  "line 2 is malformed");
	expect_load_fails(f, "index " HEX_A "\nkey\n", "line 2 is malformed");
	expect_load_fails(f, "index\nkey 1 " HEX_A "\n", "line 1 is malformed");
	expect_load_fails(f, "key 1 " HEX_A "\n", "no index key");
	expect_load_fails(f, "index " HEX_A "\n", "no data key");
	expect_load_fails(f, "", "no index key");
}

static void
keyring_load_refuses_a_key_id_used_twice(void **state)
{
	struct fixture *f = *state;

	/* Which of two keys with one id would open a blob? */
	expect_load_fails(f,
			  "index " HEX_A "\nkey 1 " HEX_A "\nkey 1 " HEX_B "\n",
			  "line 3 is malformed");
}

static void
seal_and_open_round_trip(void **state)
{
	struct fixture *f = *state;
	const char *name = "Nguyễn Thị Đào";
	size_t n = strlen(name);
	unsigned char blob[64 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(blob)];

	ctip_seal(blob, &f->kr, "person.name", name, n);
	assert_false(bytes_contain((const char *)blob, n + CTIP_SEAL_OVERHEAD,
				   "Nguy"));
	assert_int_equal(ctip_sealed_key_id(blob, n + CTIP_SEAL_OVERHEAD), 1);
	assert_int_equal(ctip_open(out, &f->kr, "person.name", blob,
				   n + CTIP_SEAL_OVERHEAD),
			 (long)n);
	assert_string_equal(out, name);

	/* The empty string seals to a blob of the bare overhead. */
	ctip_seal(blob, &f->kr, "person.address", "", 0);
	assert_int_equal(ctip_open(out, &f->kr, "person.address", blob,
				   CTIP_SEAL_OVERHEAD),
			 0);
	assert_string_equal(out, "");
}

static void
sealing_twice_gives_different_blobs(void **state)
{
	struct fixture *f = *state;
	unsigned char a[12 + CTIP_SEAL_OVERHEAD], b[12 + CTIP_SEAL_OVERHEAD];

	ctip_seal(a, &f->kr, "person.citizen_id", "001199012345", 12);
	ctip_seal(b, &f->kr, "person.citizen_id", "001199012345", 12);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
open_fails_for_a_blob_sealed_for_another_field(void **state)
{
	struct fixture *f = *state;
	unsigned char blob[10 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(blob)];

	ctip_seal(blob, &f->kr, "person.phone", "0912345678", 10);
	assert_int_equal(
		ctip_open(out, &f->kr, "person.name", blob, sizeof(blob)), -1);
	assert_int_equal(
		ctip_open(out, &f->kr, "person.phone", blob, sizeof(blob)), 10);
}

static void
open_fails_for_any_flipped_byte_or_a_short_blob(void **state)
{
	struct fixture *f = *state;
	unsigned char blob[10 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(blob)];
	size_t i;

	ctip_seal(blob, &f->kr, "person.phone", "0912345678", 10);
	/* Version, key id, nonce, ciphertext and tag all count. */
	for (i = 0; i < sizeof(blob); i++) {
		blob[i] ^= 0x01;
		assert_int_equal(ctip_open(out, &f->kr, "person.phone", blob,
					   sizeof(blob)),
				 -1);
		blob[i] ^= 0x01;
	}
	assert_int_equal(
		ctip_open(out, &f->kr, "person.phone", blob, sizeof(blob) - 1),
		-1);
	assert_int_equal(ctip_open(out, &f->kr, "person.phone", blob,
				   CTIP_SEAL_OVERHEAD - 1),
			 -1);
	assert_int_equal(ctip_sealed_key_id(blob, CTIP_SEAL_OVERHEAD - 1), 0);
	assert_int_equal(
		ctip_open(out, &f->kr, "person.phone", blob, sizeof(blob)), 10);
}

static void
open_fails_with_a_key_not_in_the_ring(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring other;
	struct ctip_err err = { 0 };
	unsigned char blob[5 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(blob)];

	assert_int_equal(ctip_keyring_create(f->key2, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_load(&other, f->key2, &err), CTIP_OK);
	/* Same key id 1, different key. */
	ctip_seal(blob, &other, "person.name", "Huong", 5);
	assert_int_equal(
		ctip_open(out, &f->kr, "person.name", blob, sizeof(blob)), -1);
	/* A key id the ring does not hold at all. */
	other.ids[0] = 9;
	ctip_seal(blob, &other, "person.name", "Huong", 5);
	assert_int_equal(ctip_sealed_key_id(blob, sizeof(blob)), 9);
	assert_int_equal(
		ctip_open(out, &f->kr, "person.name", blob, sizeof(blob)), -1);
	assert_int_equal(
		ctip_open(out, &other, "person.name", blob, sizeof(blob)), 5);
	ctip_keyring_wipe(&other);
}

static void
keyring_add_keeps_old_blobs_open_and_seals_with_the_new_key(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring before = f->kr, reloaded;
	struct ctip_err err = { 0 };
	unsigned char old_blob[4 + CTIP_SEAL_OVERHEAD];
	unsigned char new_blob[4 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(old_blob)];

	ctip_seal(old_blob, &f->kr, "person.name", "Mai1", 4);
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_OK);
	assert_int_equal(f->kr.n_keys, 2);
	assert_int_equal(f->kr.ids[1], 2);
	assert_int_equal(file_mode(f->key), 0600);

	ctip_seal(new_blob, &f->kr, "person.name", "Mai2", 4);
	assert_int_equal(ctip_sealed_key_id(new_blob, sizeof(new_blob)), 2);
	assert_int_equal(ctip_sealed_key_id(old_blob, sizeof(old_blob)), 1);

	/* The file on disk holds both keys and the same index key. */
	assert_int_equal(ctip_keyring_load(&reloaded, f->key, &err), CTIP_OK);
	assert_int_equal(reloaded.n_keys, 2);
	assert_memory_equal(reloaded.index_key, before.index_key,
			    CTIP_KEY_BYTES);
	assert_int_equal(ctip_open(out, &reloaded, "person.name", old_blob,
				   sizeof(old_blob)),
			 4);
	assert_string_equal(out, "Mai1");
	assert_int_equal(ctip_open(out, &reloaded, "person.name", new_blob,
				   sizeof(new_blob)),
			 4);
	assert_string_equal(out, "Mai2");
	/* The ring from before the rotation cannot read the new blob. */
	assert_int_equal(ctip_open(out, &before, "person.name", new_blob,
				   sizeof(new_blob)),
			 -1);
	ctip_keyring_wipe(&reloaded);
	ctip_keyring_wipe(&before);
}

static void
keyring_add_never_reuses_a_key_id(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr, reloaded;
	struct ctip_err err = { 0 };
	unsigned char blob[4 + CTIP_SEAL_OVERHEAD];
	char out[sizeof(blob)];

	/* Keys listed out of order: the newest id is not the last one. */
	assert_true(file_puts(f->key2, "index " HEX_A "\nkey 3 " HEX_A
				       "\nkey 2 " HEX_B "\n"));
	assert_int_equal(ctip_keyring_load(&kr, f->key2, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_add(&kr, f->key2, &err), CTIP_OK);
	assert_int_equal(kr.ids[2], 4);
	ctip_seal(blob, &kr, "person.name", "Lan!", 4);
	assert_int_equal(ctip_keyring_load(&reloaded, f->key2, &err), CTIP_OK);
	assert_int_equal(
		ctip_open(out, &reloaded, "person.name", blob, sizeof(blob)),
		4);
	ctip_keyring_wipe(&kr);
	ctip_keyring_wipe(&reloaded);
}

static void
keyring_add_refuses_to_pass_the_last_key_id(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring kr;
	struct ctip_err err = { 0 };

	/* Id 0 marks a malformed blob, so the ids must not wrap to it. */
	assert_true(file_puts(f->key2,
			      "index " HEX_A "\nkey 4294967295 " HEX_A "\n"));
	assert_int_equal(ctip_keyring_load(&kr, f->key2, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_add(&kr, f->key2, &err), CTIP_ETOOBIG);
	assert_int_equal(kr.n_keys, 1);
	ctip_keyring_wipe(&kr);
}

static void
keyring_add_stops_at_the_ring_limit(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring reloaded;
	struct ctip_err err = { 0 };
	int i;

	for (i = 1; i < CTIP_KEYRING_MAX; i++)
		assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err),
				 CTIP_OK);
	assert_int_equal(f->kr.n_keys, CTIP_KEYRING_MAX);
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_ETOOBIG);
	assert_int_equal(f->kr.n_keys, CTIP_KEYRING_MAX);
	assert_int_equal(ctip_keyring_load(&reloaded, f->key, &err), CTIP_OK);
	assert_int_equal(reloaded.n_keys, CTIP_KEYRING_MAX);
	assert_int_equal(reloaded.ids[CTIP_KEYRING_MAX - 1], CTIP_KEYRING_MAX);
	ctip_keyring_wipe(&reloaded);
}

static void
keyring_add_that_cannot_write_leaves_the_ring_as_it_was(void **state)
{
	struct fixture *f = *state;
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/dir/ctip.key", f->dir);
	/* No error record: the failure must not need one. */
	assert_int_equal(ctip_keyring_add(&f->kr, path, NULL), CTIP_EIO);
	assert_int_equal(f->kr.n_keys, 1);
}

static void
blind_index_is_deterministic_and_separates_domains_and_keys(void **state)
{
	struct fixture *f = *state;
	struct ctip_keyring other;
	struct ctip_err err = { 0 };
	unsigned char a[CTIP_BLIND_BYTES], b[CTIP_BLIND_BYTES];

	ctip_blind(a, &f->kr, "citizen_id", "001199012345");
	ctip_blind(b, &f->kr, "citizen_id", "001199012345");
	assert_memory_equal(a, b, CTIP_BLIND_BYTES);

	ctip_blind(b, &f->kr, "phone", "001199012345");
	assert_memory_not_equal(a, b, CTIP_BLIND_BYTES);
	ctip_blind(b, &f->kr, "citizen_id", "001199012346");
	assert_memory_not_equal(a, b, CTIP_BLIND_BYTES);

	/* The domain boundary is part of the input. */
	ctip_blind(a, &f->kr, "ab", "c");
	ctip_blind(b, &f->kr, "a", "bc");
	assert_memory_not_equal(a, b, CTIP_BLIND_BYTES);

	/* Another installation's index key gives other values. */
	assert_int_equal(ctip_keyring_create(f->key2, &err), CTIP_OK);
	assert_int_equal(ctip_keyring_load(&other, f->key2, &err), CTIP_OK);
	ctip_blind(a, &f->kr, "phone", "0912345678");
	ctip_blind(b, &other, "phone", "0912345678");
	assert_memory_not_equal(a, b, CTIP_BLIND_BYTES);
	ctip_keyring_wipe(&other);
}

static void
blind_index_survives_key_rotation(void **state)
{
	struct fixture *f = *state;
	struct ctip_err err = { 0 };
	unsigned char a[CTIP_BLIND_BYTES], b[CTIP_BLIND_BYTES];

	ctip_blind(a, &f->kr, "phone", "0912345678");
	assert_int_equal(ctip_keyring_add(&f->kr, f->key, &err), CTIP_OK);
	ctip_blind(b, &f->kr, "phone", "0912345678");
	assert_memory_equal(a, b, CTIP_BLIND_BYTES);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(keyring_create_writes_a_private_file_that_loads),
		T(keyring_create_refuses_an_existing_file),
		T(keyring_create_makes_missing_directories),
		T(keyring_load_of_a_missing_file_is_notfound),
		T(keyring_load_refuses_a_file_readable_by_others),
		T(keyring_load_accepts_comments_and_several_keys),
		T(keyring_load_refuses_malformed_lines),
		T(keyring_load_refuses_a_key_id_used_twice),
		T(seal_and_open_round_trip),
		T(sealing_twice_gives_different_blobs),
		T(open_fails_for_a_blob_sealed_for_another_field),
		T(open_fails_for_any_flipped_byte_or_a_short_blob),
		T(open_fails_with_a_key_not_in_the_ring),
		T(keyring_add_keeps_old_blobs_open_and_seals_with_the_new_key),
		T(keyring_add_never_reuses_a_key_id),
		T(keyring_add_refuses_to_pass_the_last_key_id),
		T(keyring_add_stops_at_the_ring_limit),
		T(keyring_add_that_cannot_write_leaves_the_ring_as_it_was),
		T(blind_index_is_deterministic_and_separates_domains_and_keys),
		T(blind_index_survives_key_rotation),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

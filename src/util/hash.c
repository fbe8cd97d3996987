/* hash.c: FNV-1a over strings. */
#include "util/hash.h"

uint64_t
ctip_fnv_add(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	h ^= 0x1f; /* field separator */
	return h * 0x100000001b3ull;
}

void
ctip_strmap_init(struct ctip_strmap *m, size_t key_bytes)
{
	memset(m, 0, sizeof(*m));
	ctip_arena_init(&m->arena, key_bytes);
}

/* The slot of key in keys: where it is, or the empty one it would go. */
static size_t
slot_of(const char *const *keys, size_t cap, const char *key)
{
	size_t j;

	for (j = ctip_fnv_add(CTIP_FNV_INIT, key) & (cap - 1);
	     keys[j] != NULL && strcmp(keys[j], key) != 0;
	     j = (j + 1) & (cap - 1))
		;
	return j;
}

static void
grow(struct ctip_strmap *m)
{
	const char **keys = m->keys;
	int64_t *vals = m->vals;
	size_t old = m->cap, i, j;

	m->cap = old ? 2 * old : 1024;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->vals = ctip_xmalloc(m->cap * sizeof(*m->vals));
	if (m->keys == NULL)
		abort();
	for (i = 0; i < old; i++) {
		if (keys[i] == NULL)
			continue;
		j = slot_of(m->keys, m->cap, keys[i]);
		m->keys[j] = keys[i];
		m->vals[j] = vals[i];
	}
	free(keys);
	free(vals);
}

int64_t
ctip_strmap_get(const struct ctip_strmap *m, const char *key)
{
	size_t j;

	if (m->cap == 0)
		return 0;
	j = slot_of(m->keys, m->cap, key);
	return m->keys[j] != NULL ? m->vals[j] : 0;
}

bool
ctip_strmap_put(struct ctip_strmap *m, const char *key, int64_t val)
{
	size_t j;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	j = slot_of(m->keys, m->cap, key);
	if (m->keys[j] == NULL) {
		if ((m->keys[j] = ctip_arena_strdup(&m->arena, key)) == NULL)
			return false;
		m->n++;
	}
	m->vals[j] = val;
	return true;
}

void
ctip_strmap_free(struct ctip_strmap *m)
{
	ctip_arena_free(&m->arena);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

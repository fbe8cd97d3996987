/* hash.h: FNV-1a over strings, for checksums of imported fields, and a
 * map from strings to integers built on it. Not for anything an attacker
 * chooses to collide with at a cost to others. */
#ifndef CTIP_HASH_H
#define CTIP_HASH_H

#include "util/arena.h"
#include "util/common.h"

/* Start an FNV-1a checksum / add a field (and a field separator) to it. */
#define CTIP_FNV_INIT 0xcbf29ce484222325ull
uint64_t ctip_fnv_add(uint64_t h, const char *s);

/* Strings (copied into the map's arena) to non-zero integers; open
 * addressing, doubled at half full. */
struct ctip_strmap {
	struct ctip_arena arena;
	const char **keys;
	int64_t *vals;
	size_t cap, n;
};

/* An empty map whose keys take at most key_bytes in all. */
void ctip_strmap_init(struct ctip_strmap *m, size_t key_bytes);

/* The value of key, or 0 when it is not in m. */
int64_t ctip_strmap_get(const struct ctip_strmap *m, const char *key);

/* Set key to val (not 0); false when the keys' room is used up. */
bool ctip_strmap_put(struct ctip_strmap *m, const char *key, int64_t val);

void ctip_strmap_free(struct ctip_strmap *m);

#endif

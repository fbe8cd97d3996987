/* hash.h: FNV-1a over strings, for checksums of imported fields and for
 * in-memory hash tables. Not for anything an attacker chooses to collide
 * with at a cost to others. */
#ifndef CTIP_HASH_H
#define CTIP_HASH_H

#include "util/common.h"

/* Start an FNV-1a checksum / add a field (and a field separator) to it. */
#define CTIP_FNV_INIT 0xcbf29ce484222325ull
uint64_t ctip_fnv_add(uint64_t h, const char *s);

#endif

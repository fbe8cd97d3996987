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

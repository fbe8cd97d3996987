/* arena.h: bump allocator with a byte limit; one per request or command. */
#ifndef CTIP_ARENA_H
#define CTIP_ARENA_H

#include "util/common.h"

struct ctip_arena_chunk;

struct ctip_arena {
	struct ctip_arena_chunk *head; /* newest chunk first */
	size_t used;                   /* bytes handed out since reset */
	size_t limit;                  /* most bytes handed out before NULL */
};

/* Set up an empty arena that hands out at most limit bytes. */
void ctip_arena_init(struct ctip_arena *a, size_t limit);

/*
 * n bytes aligned for any type, zeroed, valid until reset or free.
 * NULL when the arena's limit would be passed (the caller reports
 * CTIP_ETOOBIG); aborts if malloc fails.
 */
void *ctip_arena_alloc(struct ctip_arena *a, size_t n);

/* Copies of s (NUL-terminated) and of n bytes of s, NULL past the limit. */
char *ctip_arena_strdup(struct ctip_arena *a, const char *s);
char *ctip_arena_strndup(struct ctip_arena *a, const char *s, size_t n);

/* A formatted string in the arena, NULL past the limit. */
char *ctip_arena_printf(struct ctip_arena *a, const char *fmt, ...)
	CTIP_PRINTF(2, 3);

/* Forget everything handed out; keeps the first chunk for reuse. */
void ctip_arena_reset(struct ctip_arena *a);

/* Release all memory; the arena may be initialised again. */
void ctip_arena_free(struct ctip_arena *a);

/* malloc/realloc/strdup that abort on failure (the one OOM policy). */
void *ctip_xmalloc(size_t n);
void *ctip_xrealloc(void *p, size_t n);
char *ctip_xstrdup(const char *s);

#endif

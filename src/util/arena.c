/* arena.c: bump allocator with a byte limit. */
#include "util/arena.h"

#define CHUNK_MIN 8192
#define ALIGN     16

struct ctip_arena_chunk {
	struct ctip_arena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t off;  /* bytes used in data */
	_Alignas(16) unsigned char data[];
};

void *
ctip_xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fputs("ctip: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *
ctip_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL) {
		fputs("ctip: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *
ctip_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(ctip_xmalloc(n), s, n);
}

void
ctip_arena_init(struct ctip_arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit;
}

void *
ctip_arena_alloc(struct ctip_arena *a, size_t n)
{
	struct ctip_arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	size_t size;
	void *p;

	if (n > a->limit || need > a->limit - a->used)
		return NULL;
	if (c == NULL || c->size - c->off < need) {
		size = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = ctip_xmalloc(sizeof(*c) + size);
		c->size = size;
		c->off = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->off;
	c->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *
ctip_arena_strndup(struct ctip_arena *a, const char *s, size_t n)
{
	char *p = ctip_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
ctip_arena_strdup(struct ctip_arena *a, const char *s)
{
	return ctip_arena_strndup(a, s, strlen(s));
}

char *
ctip_arena_printf(struct ctip_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = ctip_arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
ctip_arena_reset(struct ctip_arena *a)
{
	struct ctip_arena_chunk *c, *next;

	if (a->head == NULL)
		return;
	/* Keep the oldest chunk: requests mostly fit in one. */
	for (c = a->head; c->next != NULL; c = next) {
		next = c->next;
		free(c);
	}
	c->off = 0;
	a->head = c;
	a->used = 0;
}

void
ctip_arena_free(struct ctip_arena *a)
{
	struct ctip_arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
}

/* buf.c: growable byte buffer with a size limit. */
#include "util/buf.h"
#include "util/arena.h"

void
ctip_buf_init(struct ctip_buf *b, size_t limit)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->limit = limit;
}

static enum ctip_status
reserve(struct ctip_buf *b, size_t extra)
{
	size_t want;

	if (extra > b->limit || b->len > b->limit - extra)
		return CTIP_ETOOBIG;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return CTIP_OK;
	if (want < 2 * b->cap)
		want = 2 * b->cap;
	if (want < 256)
		want = 256;
	b->data = ctip_xrealloc(b->data, want);
	b->cap = want;
	return CTIP_OK;
}

enum ctip_status
ctip_buf_add(struct ctip_buf *b, const void *p, size_t n)
{
	if (reserve(b, n) != CTIP_OK)
		return CTIP_ETOOBIG;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return CTIP_OK;
}

enum ctip_status
ctip_buf_puts(struct ctip_buf *b, const char *s)
{
	return ctip_buf_add(b, s, strlen(s));
}

enum ctip_status
ctip_buf_printf(struct ctip_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CTIP_EINVAL;
	if (reserve(b, (size_t)n) != CTIP_OK)
		return CTIP_ETOOBIG;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return CTIP_OK;
}

const char *
ctip_buf_str(const struct ctip_buf *b)
{
	return b->data != NULL ? b->data : "";
}

void
ctip_buf_reset(struct ctip_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
ctip_buf_free(struct ctip_buf *b)
{
	free(b->data);
	ctip_buf_init(b, b->limit);
}

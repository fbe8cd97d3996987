/* buf.h: growable byte buffer with a size limit. */
#ifndef CTIP_BUF_H
#define CTIP_BUF_H

#include "util/err.h"

struct ctip_buf {
	char *data;   /* NUL-terminated when len > 0 or after any append */
	size_t len;   /* bytes used, not counting the NUL */
	size_t cap;   /* bytes allocated */
	size_t limit; /* most bytes len may reach */
};

/* An empty buffer that may grow to limit bytes. */
void ctip_buf_init(struct ctip_buf *b, size_t limit);

/* Append n bytes / a string / formatted text. CTIP_ETOOBIG past the limit
 * (the buffer is then unchanged). */
CTIP_MUST_CHECK enum ctip_status ctip_buf_add(struct ctip_buf *b, const void *p,
					      size_t n);
CTIP_MUST_CHECK enum ctip_status ctip_buf_puts(struct ctip_buf *b,
					       const char *s);
CTIP_MUST_CHECK enum ctip_status ctip_buf_printf(struct ctip_buf *b,
						 const char *fmt, ...)
	CTIP_PRINTF(2, 3);

/* The contents as a C string ("" when empty); owned by the buffer. */
const char *ctip_buf_str(const struct ctip_buf *b);

void ctip_buf_reset(struct ctip_buf *b);
void ctip_buf_free(struct ctip_buf *b);

#endif

/* json.h: compact JSON text of a jansson value. */
#ifndef CTIP_JSON_H
#define CTIP_JSON_H

#include "util/buf.h"

#include <jansson.h>

/* How ctip writes JSON: compact, reals with 15 significant digits. */
#define CTIP_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/*
 * Append j to b as json_dumps(j, CTIP_JSON_FLAGS | JSON_ENCODE_ANY) writes it,
 * byte for byte, in a fraction of its time: jansson checks every object
 * and array for loops through a hash table and passes each piece of text
 * through a callback, which cost a tenth of the CPU of an audited person
 * read (docs/benchmarks.md, issue 3). CTIP_ETOOBIG past b's limit (b then
 * holds part of the text).
 */
CTIP_MUST_CHECK enum ctip_status ctip_json_write(struct ctip_buf *b,
						 const json_t *j);

#endif

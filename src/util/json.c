/* json.c: compact JSON text of a jansson value (json.h). */
#include "util/json.h"

#include <stdlib.h>

/* A string as jansson quotes it: the two mandatory escapes, the short
 * forms of five control characters and \u00XX (upper case) for the
 * others; everything else, UTF-8 included, as it is. */
static enum ctip_status
put_string(struct ctip_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, from = 0;
	char esc[7] = "\\u00";
	const char *e;
	size_t len;

	if (ctip_buf_add(b, "\"", 1) != CTIP_OK)
		return CTIP_ETOOBIG;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		len = 2;
		switch (c) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			e = esc;
			len = 6;
		}
		if (ctip_buf_add(b, s + from, i - from) != CTIP_OK ||
		    ctip_buf_add(b, e, len) != CTIP_OK)
			return CTIP_ETOOBIG;
		from = i + 1;
	}
	if (ctip_buf_add(b, s + from, n - from) != CTIP_OK ||
	    ctip_buf_add(b, "\"", 1) != CTIP_OK)
		return CTIP_ETOOBIG;
	return CTIP_OK;
}

/* A real through jansson itself, with 15 significant digits: every real
 * ctip answers (rates, targets, hours) reads as written, 0.9 and not
 * jansson's default 0.90000000000000002. */
static enum ctip_status
put_real(struct ctip_buf *b, const json_t *j)
{
	char *text = json_dumps(j, CTIP_JSON_FLAGS | JSON_ENCODE_ANY);
	enum ctip_status rc;

	if (text == NULL)
		return CTIP_ETOOBIG;
	rc = ctip_buf_puts(b, text);
	free(text);
	return rc;
}

enum ctip_status
ctip_json_write(struct ctip_buf *b, const json_t *j)
{
	json_t *o = (json_t *)j; /* the iterator API takes no const */
	void *it;
	size_t i;
	bool first = true;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if (ctip_buf_add(b, "{", 1) != CTIP_OK)
			return CTIP_ETOOBIG;
		for (it = json_object_iter(o); it != NULL;
		     it = json_object_iter_next(o, it)) {
			if ((!first && ctip_buf_add(b, ",", 1) != CTIP_OK) ||
			    put_string(b, json_object_iter_key(it),
				       json_object_iter_key_len(it)) !=
				    CTIP_OK ||
			    ctip_buf_add(b, ":", 1) != CTIP_OK ||
			    ctip_json_write(b, json_object_iter_value(it)) !=
				    CTIP_OK)
				return CTIP_ETOOBIG;
			first = false;
		}
		return ctip_buf_add(b, "}", 1);
	case JSON_ARRAY:
		if (ctip_buf_add(b, "[", 1) != CTIP_OK)
			return CTIP_ETOOBIG;
		for (i = 0; i < json_array_size(j); i++)
			if ((i > 0 && ctip_buf_add(b, ",", 1) != CTIP_OK) ||
			    ctip_json_write(b, json_array_get(j, i)) != CTIP_OK)
				return CTIP_ETOOBIG;
		return ctip_buf_add(b, "]", 1);
	case JSON_STRING:
		return put_string(b, json_string_value(j),
				  json_string_length(j));
	case JSON_INTEGER:
		return ctip_buf_printf(b, "%" JSON_INTEGER_FORMAT,
				       json_integer_value(j));
	case JSON_REAL:
		return put_real(b, j);
	case JSON_TRUE:
		return ctip_buf_add(b, "true", 4);
	case JSON_FALSE:
		return ctip_buf_add(b, "false", 5);
	case JSON_NULL:
		return ctip_buf_add(b, "null", 4);
	}
	return CTIP_ETOOBIG;
}

/* err.c: filling in struct ctip_err. */
#include "util/err.h"
#include "util/text.h"

/* After a cut to cap bytes (n the length the text wanted), end buf on a
 * whole UTF-8 character: a message quoting Vietnamese input stays UTF-8. */
static void
whole(char *buf, size_t cap, int n)
{
	if (n >= (int)cap)
		buf[ctip_text_cut(buf, cap - 1)] = '\0';
}

static void
vset(struct ctip_err *err, enum ctip_status code, const char *field,
     const char *rule, const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	err->code = code;
	whole(err->field, sizeof(err->field),
	      snprintf(err->field, sizeof(err->field), "%s", field));
	snprintf(err->rule, sizeof(err->rule), "%s", rule);
	whole(err->msg, sizeof(err->msg),
	      vsnprintf(err->msg, sizeof(err->msg), fmt, ap));
}

enum ctip_status
ctip_err_set(struct ctip_err *err, enum ctip_status code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, "", "", fmt, ap);
	va_end(ap);
	return code;
}

enum ctip_status
ctip_err_field(struct ctip_err *err, enum ctip_status code, const char *field,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, field, "", fmt, ap);
	va_end(ap);
	return code;
}

enum ctip_status
ctip_err_rule(struct ctip_err *err, enum ctip_status code, const char *field,
	      const char *rule, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, field != NULL ? field : "", rule, fmt, ap);
	va_end(ap);
	return code;
}

const char *
ctip_status_name(enum ctip_status code)
{
	switch (code) {
	case CTIP_OK:
		return "ok";
	case CTIP_ENOTFOUND:
		return "not_found";
	case CTIP_EINVAL:
		return "invalid";
	case CTIP_EEXIST:
		return "exists";
	case CTIP_ECONFLICT:
		return "conflict";
	case CTIP_ESTORE:
		return "store_failed";
	case CTIP_ETOOBIG:
		return "too_big";
	case CTIP_EIO:
		return "io_failed";
	case CTIP_EAUTH:
		return "unauthenticated";
	case CTIP_EFORBIDDEN:
		return "forbidden";
	case CTIP_EINTERNAL:
		return "internal";
	case CTIP_EMETHOD:
		return "method_not_allowed";
	case CTIP_ECSRF:
		return "csrf";
	case CTIP_EREASON:
		return "reason_required";
	case CTIP_EPWCHANGE:
		return "password_change_required";
	case CTIP_ELOCKED:
		return "locked";
	case CTIP_ETRANSITION:
		return "transition_refused";
	case CTIP_ENOTENTITLED:
		return "not_entitled";
	case CTIP_EDUPLICATE:
		return "duplicate_suspected";
	case CTIP_ETHROTTLED:
		return "too_many_attempts";
	case CTIP_EMEDIA:
		return "unsupported_media_type";
	}
	return "internal";
}

enum ctip_status
ctip_err_prefix(struct ctip_err *err, const char *where)
{
	char field[sizeof(err->field)];
	size_t n = strlen(where);

	memcpy(field, err->field, sizeof(field));
	if (n >= sizeof(err->field))
		n = sizeof(err->field) - 1;
	memcpy(err->field, where, n);
	memcpy(err->field + n, field, sizeof(err->field) - n - 1);
	err->field[sizeof(err->field) - 1] = '\0';
	return err->code;
}

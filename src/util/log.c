/* log.c: one-line log records on stderr. */
#include "util/log.h"

#include <time.h>
#include <unistd.h>

static enum ctip_log_level min_level = CTIP_LOG_INFO;

void
ctip_log_set_level(enum ctip_log_level level)
{
	min_level = level;
}

void
ctip_log(enum ctip_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "debug", "info", "warn", "error" };
	char line[1024];
	struct tm tm;
	time_t now;
	va_list ap;
	size_t n;
	int k;

	if (level < min_level)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "%s ", names[level]);
	n += (size_t)k;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k
					      : sizeof(line) - n - 2;
	line[n++] = '\n';
	/* One write(2) so concurrent threads never interleave a line. */
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

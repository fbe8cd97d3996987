/* log.h: one-line log records on stderr. Never pass identity data here. */
#ifndef CTIP_LOG_H
#define CTIP_LOG_H

#include "util/common.h"

enum ctip_log_level {
	CTIP_LOG_DEBUG,
	CTIP_LOG_INFO,
	CTIP_LOG_WARN,
	CTIP_LOG_ERROR
};

/* Records below level are dropped (default CTIP_LOG_INFO). */
void ctip_log_set_level(enum ctip_log_level level);

/* Write "2026-11-24T06:37:42Z level message\n" to stderr atomically. */
void ctip_log(enum ctip_log_level level, const char *fmt, ...)
	CTIP_PRINTF(2, 3);

#endif

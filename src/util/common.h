/* common.h: included first by every ctip source file; system headers and
 * the banned-function list. */
#ifndef CTIP_COMMON_H
#define CTIP_COMMON_H

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTIP_MUST_CHECK   __attribute__((warn_unused_result))
#define CTIP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define CTIP_NELEM(x)     (sizeof(x) / sizeof((x)[0]))

/* curl's banned list: use snprintf, strtol and friends instead. */
#pragma GCC poison strcpy strcat sprintf gets atoi strtok

#endif

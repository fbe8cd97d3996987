/* plan.h: plans and their tasks (issue 7). Placeholder. */
#ifndef CTIP_PLAN_H
#define CTIP_PLAN_H

#include "core/access.h"

#endif

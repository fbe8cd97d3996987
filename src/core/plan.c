/* plan.c: plans and their tasks (issue 7). Placeholder. */
#include "core/plan.h"

typedef int ctip_plan_placeholder;

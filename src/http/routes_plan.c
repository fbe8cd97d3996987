/* routes_plan.c: plans (issue 7). Placeholder. */
#include "http/routes.h"

typedef int ctip_routes_plan_placeholder;

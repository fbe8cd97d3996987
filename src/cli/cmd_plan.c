/* cmd_plan.c: `ctip plan import`. Placeholder. */
#include "cli/cli.h"

typedef int ctip_cmd_plan_placeholder;

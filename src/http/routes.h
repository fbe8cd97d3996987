/* routes.h: the API's route table. */
#ifndef CTIP_ROUTES_H
#define CTIP_ROUTES_H

#include "http/server.h"

extern const struct ctip_route ctip_routes[];

#endif

/* Validation and start order (validate.c), once the whole file is read. Inside config/ only. */
#ifndef DIND_CONFIG_VALIDATE_H
#define DIND_CONFIG_VALIDATE_H

#include "config/loader.h"

/* Check the rules across keys and services (records errors), resolve the names of depends_on,
 * main_after and args_to into indices, find dependency cycles, and fill cfg->order: the start
 * order, Kahn's algorithm taking the ready service that comes first in the file. */
void ld_validate(struct loader *ld);

#endif

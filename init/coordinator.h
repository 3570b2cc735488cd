/* The coordinator: what follows from what the supervisor reports (supervisor/report.h). After
 * any change it starts what is eligible and the main command, or moves the shutdown on; a
 * critical service that failed, or the main command's end, may begin the shutdown. */
#ifndef DIND_COORDINATOR_H
#define DIND_COORDINATOR_H

#include "config/config.h"

/* Register as the supervisor's hook. Call before anything starts. */
void coord_init(const struct config *cfg);

/* Something changed: during the shutdown, move it on; else start every service whose
 * dependencies are ready, then the main command once what it waits for (main_after) is ready,
 * or begin the shutdown (exit 4) when that can never be. */
void coord_step(void);

#endif

/* Orderly shutdown: the main command first, then services in reverse dependency order, then
 * every remaining process (SIGTERM, a short grace, SIGKILL), all within shutdown_timeout. */
#ifndef DIND_SHUTDOWN_H
#define DIND_SHUTDOWN_H

#include <stdbool.h>

#include "config/config.h"

#define SHUTDOWN_GRACE_MS      2000 /* between SIGTERM and SIGKILL for leftover processes */
#define SHUTDOWN_FORCE_WAIT_MS 5000 /* after SIGKILL to all, wait this long for them to go */

void shutdown_init(const struct config *cfg);
/* Start the shutdown (no-op if one runs). sig: the signal that asked for it, or 0.
 * exit_code >= 0 forces dind-init's exit status (the first one given wins). */
void shutdown_begin(int sig, int exit_code);
/* A second TERM/INT/QUIT, or the budget is spent: SIGKILL everything now. */
void shutdown_force(const char *why);
/* Re-evaluate after a child exited. */
void shutdown_progress(void);
bool shutdown_active(void);
bool shutdown_done(void);
int shutdown_exit_code(void);

/* Send sig to every other process of the container (PID 1) or to every child (subreaper). */
void kill_remaining(int sig);

#endif

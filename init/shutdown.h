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
/* A stop signal (TERM, INT, QUIT) arrived: it starts the shutdown; the second one received
 * (a shutdown that began otherwise, say when the main command exited, does not count as one)
 * forces it. */
void shutdown_stop_signal(int sig);
/* A second stop signal, or the budget is spent: SIGKILL everything now. The exit status is then
 * EXIT_FORCED, unless it was decided before (see shutdown_exit_code). */
void shutdown_force(const char *why);
/* Re-evaluate after a child exited. */
void shutdown_progress(void);
bool shutdown_active(void);
bool shutdown_done(void);
/* The status to exit with: the one given to shutdown_begin; else the main command's own, when
 * it ended before the shutdown began (its exit began it, say) or the shutdown was not forced;
 * else EXIT_FORCED after a forced shutdown; else 128+N when signal N came before the main
 * command could start; else 0. */
int shutdown_exit_code(void);

/* Send sig to every other process of the container (PID 1) or to every child (subreaper). */
void kill_remaining(int sig);

#endif

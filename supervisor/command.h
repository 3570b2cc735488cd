/* The main COMMAND: started once the services it waits for are ready; its exit status
 * becomes dind-init's. */
#ifndef DIND_COMMAND_H
#define DIND_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/config.h"

enum cmd_state { CMD_NONE, CMD_WAITING, CMD_RUNNING, CMD_EXITED };

/* argv is not copied and must outlive the command; NULL or empty: no main command. Prepares
 * the [main] privileges: 0, or -errno with a reason in err. */
int cmd_init(char **argv, const struct config *cfg, char *err, size_t len);
void cmd_release(void);
/* Start it if it waits (whether main_after is ready is the caller's to know). When it cannot
 * be forked, it counts as exited with 126: SUP_MAIN_START_FAILED. */
void cmd_start(void);
/* Called for every reaped pid; true if it was the main command (then SUP_MAIN_EXITED). */
bool cmd_child_exited(pid_t pid, int code);
/* Deliver sig to the main command; false if none is running. */
bool cmd_signal(int sig);
/* Shutdown: ask it to stop (the configured stop signal, else `sig`, else SIGTERM; then
 * SIGCONT), SIGKILL after [main] stop_timeout. Returns false if it is not running. */
bool cmd_stop(int sig);
/* SIGKILL its process group. */
void cmd_kill(void);

enum cmd_state cmd_state(void);
pid_t cmd_pid(void);
/* Exit code (128+N for signal N). Meaningful in CMD_EXITED. */
int cmd_exit_code(void);

#endif

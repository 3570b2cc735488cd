/* Preparing the process and the container before any child starts. */
#ifndef DIND_SETUP_H
#define DIND_SETUP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "config/config.h"

/* Block every signal (real faults still kill us: see setup.c), then set every disposition to
 * SIG_DFL (children start from those defaults and an empty mask, see spawn_process). */
void setup_block_signals(void);
/* signalfd over the blocked signals (non-blocking, CLOEXEC). Returns the fd or -errno. */
int setup_signalfd(void);
/* When not PID 1, become a child subreaper so orphans are re-parented to us. 0 or -errno. */
int setup_subreaper(void);

/* Prepare the container for Docker (mounts, cgroups, stale files, iptables, limits), as
 * cfg->setup says; by default only with services configured, as PID 1 or as the child of a
 * container's minimal init (docker run --init; see cfg_setup_decide), and with a warning when
 * services are configured but it is skipped. Runs before the event loop: fails fast. Returns 0,
 * or EXIT_SETUP after logging what failed and what to do.
 * May prepend a folder to PATH (the iptables choice), so call it before services get their
 * environment. */
int setup_container(const struct config *cfg);

/* setup_container decided to prepare the container (and ran its steps). */
bool setup_ran(void);

/* iptables = auto leaves its check (iptables-nft -nL) running in the background while the first
 * services start. What the coordinator holds back until the choice is made: the services that
 * depend on another and the main command (any iptables an independent service runs meanwhile
 * waits for the choice: init/iptables_shim.h), or every service when that shim could not be
 * set up. */
enum setup_hold {
	SETUP_HOLD_NONE,       /* no check running: the choice is made (or none is needed) */
	SETUP_HOLD_DEPENDENTS, /* services that depend on another, and the main command */
	SETUP_HOLD_ALL,	       /* every service and the main command */
};
enum setup_hold setup_pending(void);
/* For every reaped pid: true if it was that check (then the choice is made, or the next check
 * started). */
bool setup_child_exited(pid_t pid, int code);
/* Called once the choice is made, from the loop (the check's exit or its time limit): the
 * coordinator registers it to start what was held back. NULL: nobody is told. */
typedef void (*setup_hook)(void);
void setup_set_hook(setup_hook hook);

#endif

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
 * environment; with iptables = auto, the choice may still be pending (init/setup_net.h). */
int setup_container(const struct config *cfg);

/* setup_container decided to prepare the container (and ran its steps). */
bool setup_ran(void);

#endif

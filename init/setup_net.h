/* What the container setup leaves running once setup_container has returned: iptables = auto's
 * check (setup_net.c). */
#ifndef DIND_SETUP_NET_H
#define DIND_SETUP_NET_H

#include <stdbool.h>
#include <sys/types.h>

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

/* Preparing the process and the container before any child starts. */
#ifndef DIND_SETUP_H
#define DIND_SETUP_H

#include <signal.h>

/* Block every signal except the synchronous ones; *old gets the mask to restore in children. */
void setup_block_signals(sigset_t *old);
/* signalfd over the blocked signals (non-blocking, CLOEXEC). Returns the fd or -errno. */
int setup_signalfd(void);
/* When not PID 1, become a child subreaper so orphans are re-parented to us. 0 or -errno. */
int setup_subreaper(void);

#endif

/* dind-init's own exit codes, as README "Exit codes" documents them. Otherwise it exits with the
 * main command's status (128+N when a signal N killed it; 127 not found, 126 not executable).
 *
 * The rule: before the event loop starts, an error fails fast with a message saying what
 * failed, on what, and what to do, and one of the codes below (usage, setup). Once the loop
 * runs, PID 1 never dies of an error: it logs and carries on, and what ends it is a shutdown
 * (its code is decided by shutdown_exit_code). The one exception is the panic path: the event
 * loop itself fails, nothing can be watched any more, everything is killed, exit EXIT_INTERNAL. */
#ifndef DIND_EXIT_CODES_H
#define DIND_EXIT_CODES_H

/* Bad command line or config: nothing was started. */
#define EXIT_USAGE 2
/* The container or the process cannot be prepared (preflight, a mount, require_socket, the
 * event loop, the control socket, the services' sockets). */
#define EXIT_SETUP 3
/* A critical service FAILED, or a service the main command waits for can never be ready. */
#define EXIT_CRITICAL_FAILED 4
/* The panic path: the event loop failed; everything was killed. */
#define EXIT_INTERNAL 5
/* 128+SIGKILL: a forced shutdown (a second stop signal, or shutdown_timeout reached). */
#define EXIT_FORCED 137

#endif

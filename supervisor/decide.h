/* The supervisor's decisions, as pure functions of plain values: what becomes of a service whose
 * run ended, and of the container when the main command ended. Unit-tested with tables of cases
 * (tests/unit/test_decide.c), like backoff.c. The states and events they belong to are in
 * service.c (svc_event) and ARCHITECTURE.md. */
#ifndef DIND_DECIDE_H
#define DIND_DECIDE_H

#include <stdbool.h>

#include "config/config.h"

/* A service's state, as dind-ctl status shows it. */
enum svc_state {
	SVC_WAITING,  /* not started yet: dependencies not ready */
	SVC_STARTING, /* running, not ready yet */
	SVC_READY,
	SVC_UNHEALTHY, /* failed its health checks or watchdog: being stopped to restart */
	SVC_BACKOFF,   /* exited, restart scheduled */
	SVC_STOPPING,  /* stop signal sent */
	SVC_STOPPED,   /* exited and will not be restarted (clean exit, or stopped on purpose) */
	SVC_FAILED,    /* gave up: start limit hit, or failed with restart=no */
	SVC_DONE,      /* oneshot that exited 0 */
	SVC_SKIPPED,   /* never started: its `when` conditions do not hold; counts as ready */
};

/* Why dind-init is ending a service's run; STOP_NONE while it is not. Part of the service's
 * state (the state says a stop signal was sent, this what the exit will mean): set only by the
 * transitions that end a run, read by svc_decide_exit and by the start report (a run that is
 * being ended has not "started"). */
enum stop_reason {
	STOP_NONE,
	STOP_SHUTDOWN,	    /* the container stops */
	STOP_USER,	    /* dind-ctl stop: stays stopped */
	STOP_USER_RESTART,  /* dind-ctl restart: starts again at once */
	STOP_UNHEALTHY,	    /* health probe failed health_retries times: restart path */
	STOP_WATCHDOG,	    /* no WATCHDOG=1 in time: restart path */
	STOP_READY_TIMEOUT, /* not ready within ready_timeout: restart path */
};

/* A service's run ended: the facts. */
struct svc_exit {
	enum svc_type type;
	enum restart_policy restart;
	int code;		 /* exit status; 128+N when killed by signal N */
	enum stop_reason reason; /* why dind-init was ending the run, or STOP_NONE */
	bool shutting_down;	 /* the container is stopping */
	bool long_run;		 /* it ran start_limit_interval or longer: a healthy run */
};

enum svc_verdict {
	VERDICT_STOPPED,     /* asked to stop, or the container is stopping: STOPPED */
	VERDICT_START_AGAIN, /* dind-ctl restart: WAITING at once */
	VERDICT_DONE,	     /* a oneshot that exited 0: DONE */
	VERDICT_RESTART,     /* restart after the backoff delay: BACKOFF */
	VERDICT_NO_RESTART,  /* exited 0 on its own and restart = no or on-failure: STOPPED */
	VERDICT_GIVE_UP,     /* failed and restart = no: FAILED */
};

/* What follows. */
struct svc_next {
	enum svc_verdict verdict;
	enum svc_state state; /* the state it goes to */
	bool forget_failures; /* the backoff starts over (a restart as asked, a oneshot done, or
			       * a run that lasted a whole start-limit window) */
};

/* What happens after this exit. Unhealthy, watchdog and ready timeout are failures whatever the
 * exit status says; during the shutdown, every exit is final. */
struct svc_next svc_decide_exit(const struct svc_exit *e);

/* What the main command's end means for the container. */
enum main_next {
	MAIN_NEXT_NOTHING,	    /* on_main_exit = ignore: the services keep running */
	MAIN_NEXT_SHUTDOWN,	    /* begin the shutdown */
	MAIN_NEXT_SHUTDOWN_GOES_ON, /* the shutdown is under way: it can move on to the services */
};

/* could_not_start: it was never forked (it counts as exited with 126, and the shutdown begins
 * whatever on_main_exit says: nothing would ever end the container otherwise). */
enum main_next main_decide_exit(bool could_not_start, bool shutting_down,
				enum on_main_exit on_exit);

#endif

/* The service state machine: start in dependency order, readiness and health probes,
 * restarts with backoff and start limits, stop in reverse dependency order. Every transition is
 * in service.c's svc_event(); the states are in decide.h. */
#ifndef DIND_SERVICE_H
#define DIND_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"
#include "core/loop.h"
#include "supervisor/decide.h"
#include "supervisor/notify.h"
#include "supervisor/output.h"
#include "supervisor/privs.h"
#include "supervisor/probe.h"
#include "supervisor/svc_proc.h"

struct service {
	const struct cfg_service *cfg;
	int idx;
	enum svc_state state;
	/* Why dind-init is ending the current run (STOP_NONE: it is not): with state, the whole
	 * state of the machine (see decide.h). */
	enum stop_reason stop_reason;
	pid_t pid;
	/* The start report of the running child while it has not exec'd yet (-1: none pending):
	 * watched by the loop, never waited for (see spawn_process). */
	int report_fd;
	struct loop_fd report_lfd;
	int64_t state_since;
	int64_t started_at;
	int restarts;	   /* starts after the first */
	unsigned failures; /* consecutive unexpected exits, for the backoff */
	int last_status;   /* exit code, 128+N when killed by signal N; -1 before the first exit */
	int health_failures;  /* consecutive failed health probes */
	bool health_probed;   /* a health probe has run in this run: there is a result */
	int64_t *start_times; /* start-limit ring, cfg->start_limit_burst entries */
	int start_cursor;
	struct svc_env env; /* for it and its probes */
	struct privs privs; /* user, capabilities, seccomp... prepared for the child */
	char privs_err[128];
	/* One timer per meaning. */
	struct loop_timer backoff_timer; /* BACKOFF: the restart delay is over */
	struct loop_timer stop_timer;	 /* STOPPING, UNHEALTHY: stop_timeout is over, SIGKILL */
	struct loop_timer ready_timer;	 /* STARTING: ready_timeout */
	struct loop_timer probe_timer;	 /* next readiness attempt or health check */
	struct loop_timer watchdog_timer;
	struct probe ready_probe;
	struct probe health_probe;
	struct notify_sock notify;
	bool has_notify;
	struct output out; /* for LOGMODE_PREFIX */
	bool has_output;
	bool has_status;
	char status[NOTIFY_STATUS_MAX + 1]; /* last STATUS= */
};

/* Allocate the runtime state for every configured service (not started yet): environments,
 * output pipes, notify sockets under cfg->runtime_dir. 0 or -errno; *what names the step. */
int svc_init_all(const struct config *cfg, const char **what);
void svc_release_all(void);

/* What can happen to a service: the events of the state machine (the table in service.c). */
enum svc_event {
	EV_START,	  /* its dependencies are ready (svc_start_eligible) */
	EV_EXECED,	  /* its start report: the child exec'd the program */
	EV_READY,	  /* the readiness probe succeeded, or READY=1 */
	EV_READY_TIMEOUT, /* not ready within ready_timeout */
	EV_HEALTH_FAILED, /* health_retries failed health checks in a row */
	EV_WATCHDOG,	  /* no WATCHDOG=1 within watchdog_sec */
	EV_STOP_TIMEOUT,  /* stop_timeout since the stop signal */
	EV_EXITED,	  /* its main process was reaped (code: its exit code) */
	EV_BACKOFF_OVER,  /* the restart delay is over */
	EV_START_REQ,	  /* dind-ctl start */
	EV_STOP_REQ,	  /* dind-ctl stop */
	EV_RESTART_REQ,	  /* dind-ctl restart */
	EV_SHUTDOWN,	  /* the shutdown reached it: nothing running depends on it any more */
};

/* Every transition of a service. code: the exit code, for EV_EXITED. Returns false when the
 * event means nothing in the state the service is in (it is ignored then). From outside
 * service.c: dind-ctl's requests (EV_START_REQ, EV_STOP_REQ, EV_RESTART_REQ); the rest comes
 * through the entry points below and the loop's callbacks. */
bool svc_event(struct service *s, enum svc_event ev, int code);

/* What init holds back from starting for now, and why (svc_held_for). */
enum svc_hold {
	SVC_HOLD_NONE,
	SVC_HOLD_DEPENDENTS, /* the services that depend on another */
	SVC_HOLD_ALL,
};
/* Start every WAITING service whose dependencies are ready (no-op during shutdown), but none that
 * hold holds back: for those, why (a static string, e.g. "the iptables check") is kept until the
 * next call, for svc_held_for. */
void svc_start_eligible(enum svc_hold hold, const char *why);
/* What a WAITING service whose dependencies are ready waits for (the last svc_start_eligible's
 * why), or NULL. */
const char *svc_held_for(const struct service *s);

/* Called for every reaped pid. Returns true if it was a service's main process. */
bool svc_child_exited(pid_t pid, int code);

/* The container is shutting down (init's shutdown_begin says so first): from now on no service
 * starts or restarts, and every exit is final. */
void svc_begin_shutdown(void);
bool svc_shutting_down(void);
/* Shutdown support: send the stop signal to every running service none of whose dependents
 * still runs; return the number of services with a live process. */
int svc_stop_step(void);
/* SIGKILL every service's process group. */
void svc_kill_all(void);
/* Flush buffered output of every service. */
void svc_flush_output(void);

/* True when every service named by [init] main_after is READY (or DONE). When one of them can
 * never become ready, sets *blocked to it and *cause to the FAILED or STOPPED service (itself
 * or a dependency) that prevents it; else both NULL. */
bool svc_main_after_ready(const struct service **blocked, const struct service **cause);

/* Send sig to its main process (dind-ctl kill, signals passed on to the args_to service).
 * Returns 0, or -errno with a reason in buf. */
int svc_request_kill(struct service *s, int sig, char *buf, size_t len);

/* It has a process: starting, ready, unhealthy or stopping. */
bool svc_is_running(const struct service *s);
/* Ready (or done for a oneshot) as dependents and `dind-ctl wait` see it. */
bool svc_is_ready(const struct service *s);
/* Can it still become ready without outside help? */
bool svc_is_hopeless(const struct service *s);

int svc_count(void);
struct service *svc_get(int idx);
struct service *svc_find(const char *name);
const char *svc_state_name(enum svc_state state);

#endif

/* The service state machine: start in dependency order, readiness and health probes,
 * restarts with backoff and start limits, stop in reverse dependency order. */
#ifndef DIND_SERVICE_H
#define DIND_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"
#include "core/loop.h"
#include "supervisor/notify.h"
#include "supervisor/output.h"
#include "supervisor/privs.h"
#include "supervisor/probe.h"

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

/* Why dind-init itself is ending a run, which decides what happens at the exit. */
enum stop_reason {
	STOP_NONE,
	STOP_SHUTDOWN,	    /* the container stops */
	STOP_USER,	    /* dind-ctl stop: stays stopped */
	STOP_USER_RESTART,  /* dind-ctl restart: starts again at once */
	STOP_UNHEALTHY,	    /* health probe failed health_retries times: restart path */
	STOP_WATCHDOG,	    /* no WATCHDOG=1 in time: restart path */
	STOP_READY_TIMEOUT, /* not ready within ready_timeout: restart path */
};

#define SVC_OWN_ENV_MAX (2 + PRIVS_USER_ENV) /* NOTIFY_SOCKET, WATCHDOG_USEC, USER... */

struct service {
	const struct cfg_service *cfg;
	int idx;
	enum svc_state state;
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
	char **envp;			/* inherited environment plus cfg->env, NULL-terminated */
	char *own_env[SVC_OWN_ENV_MAX]; /* entries of envp made by dind-init (owned) */
	int nown_env;
	struct privs privs; /* user, capabilities, seccomp... prepared for the child */
	char privs_err[128];
	struct loop_timer timer;       /* backoff or stop timeout */
	struct loop_timer ready_timer; /* ready_timeout */
	struct loop_timer probe_timer; /* next readiness attempt or health check */
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

/* Start every WAITING service whose dependencies are ready (no-op during shutdown). */
void svc_start_eligible(void);

/* Called for every reaped pid. Returns true if it was a service's main process. */
bool svc_child_exited(pid_t pid, int code);

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

/* Requests from dind-ctl. Each returns 0, or -errno with a reason in buf. */
int svc_request_start(struct service *s, char *buf, size_t len);
int svc_request_stop(struct service *s, char *buf, size_t len);
int svc_request_restart(struct service *s, char *buf, size_t len);
int svc_request_kill(struct service *s, int sig, char *buf, size_t len);

/* Ready (or done for a oneshot) as dependents and `dind-ctl wait` see it. */
bool svc_is_ready(const struct service *s);
/* Can it still become ready without outside help? */
bool svc_is_hopeless(const struct service *s);

int svc_count(void);
struct service *svc_get(int idx);
struct service *svc_find(const char *name);
const char *svc_state_name(enum svc_state state);

#endif

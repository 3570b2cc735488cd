/* The service state machine. Every transition of a service is in svc_event(), one case per event,
 * each switching on the state it finds; below it, the transitions' actions, then the callbacks
 * that turn timers, probes, notify messages, start reports and exits into events. What follows
 * an exit is decided by svc_decide_exit (decide.c); what follows a change (start what is
 * eligible, the main command, the shutdown) by init's coordinator, told through sup_report.
 *
 * States x events: the state a service goes to ("." the event is ignored in that state).
 * A service is running (has a process) in starting, ready, unhealthy and stopping only.
 *
 *               waiting    starting   ready      unhealthy  backoff    stopping   stopped
 *                                                                                 failed, done
 * START         starting1  .          .          .          .          .          .
 * EXECED        .          starting2  .          .          .          .          .
 * READY         .          ready      .          .          .          .          .
 * READY_TIMEOUT .          starting3  .          .          .          .          .
 * HEALTH_FAILED .          .          unhealthy4 .          .          .          .
 * WATCHDOG      .          .          unhealthy4 .          .          .          .
 * STOP_TIMEOUT  .          .          .          unhealthy5 .          stopping5  .
 * EXITED        .          decide6    decide6    decide6    .          decide6    .
 * BACKOFF_OVER  .          .          .          .          waiting    .          .
 * START_REQ     .          .          .          .          waiting7   .          waiting7
 * STOP_REQ      stopped    stopping4  stopping4  unhealthy8 stopped    stopping8  .
 * RESTART_REQ   .          stopping4  stopping4  unhealthy8 .          stopping8  .
 * SHUTDOWN      stopped    stopping4  stopping4  unhealthy8 stopped    stopping8  .
 *
 * skipped takes no event (its `when` did not hold at start-up).
 * 1 forked; or backoff (it cannot be: no fork, no log pipe), or failed (start limit hit)
 * 2 only while no stop is asked for: logs "started"; without a readiness probe ready at once
 *   (READY), else the first attempt is due
 * 3 SIGKILL to its process group; stop_reason = ready timeout: the exit counts as a failure
 * 4 the stop signal, stop_timer armed; stop_reason = unhealthy, watchdog, user, user restart or
 *   shutdown
 * 5 SIGKILL to its process group: it did not stop within stop_timeout
 * 6 svc_decide_exit: stopped, waiting (dind-ctl restart), done, backoff (restart), or failed
 * 7 its start history and backoff are forgotten
 * 8 the stop signal was sent already: only stop_reason changes (user, user restart, shutdown)
 * RESTART_REQ to a service that does not run is a START_REQ (request_restart, control.c).
 *
 * Within a state, no transition: readiness attempts (starting) and health checks (ready) on
 * probe_timer, the count of failed health checks, WATCHDOG=1 re-arming watchdog_timer, STATUS=. */
#include "supervisor/service.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/fs.h"
#include "core/log.h"
#include "supervisor/backoff.h"
#include "supervisor/report.h"
#include "supervisor/spawn.h"
#include "supervisor/svc_proc.h"

static struct service *services;
static int nservices;
static const struct config *config;
static bool shutting_down;

static const char *const state_names[] = {
	[SVC_WAITING] = "waiting",     [SVC_STARTING] = "starting", [SVC_READY] = "ready",
	[SVC_UNHEALTHY] = "unhealthy", [SVC_BACKOFF] = "backoff",   [SVC_STOPPING] = "stopping",
	[SVC_STOPPED] = "stopped",     [SVC_FAILED] = "failed",	    [SVC_DONE] = "done",
	[SVC_SKIPPED] = "skipped",
};

const char *svc_state_name(enum svc_state state)
{
	return state_names[state];
}

int svc_count(void)
{
	return nservices;
}

struct service *svc_get(int idx)
{
	return idx >= 0 && idx < nservices ? &services[idx] : NULL;
}

struct service *svc_find(const char *name)
{
	for (int i = 0; i < nservices; i++)
		if (strcmp(services[i].cfg->name, name) == 0)
			return &services[i];
	return NULL;
}

static void on_backoff_timer(void *data);
static void on_stop_timer(void *data);
static void on_ready_timeout(void *data);
static void on_probe_timer(void *data);
static void on_watchdog(void *data);
static void on_ready_probe(void *data, bool ok);
static void on_health_probe(void *data, bool ok);
static void on_notify(void *data, pid_t sender, const struct notify_msg *msg);

static int init_all(const struct config *cfg, const char **what);

int svc_init_all(const struct config *cfg, const char **what)
{
	int r = init_all(cfg, what);

	/* A start that fails (dind-init exits): no socket file of ours left behind, nothing
	 * allocated left. Only what init_all makes before a failure is released: services it
	 * did not reach are all zeroes (their probes and fds untouched). */
	for (int i = 0; r < 0 && services && i < nservices && services[i].cfg; i++) {
		struct service *s = &services[i];

		if (s->has_output)
			output_close(&s->out);
		if (s->has_notify)
			notify_close(&s->notify);
		free(s->start_times);
		svc_env_release(&s->env);
		privs_release(&s->privs);
	}
	if (r < 0) {
		free(services);
		services = NULL;
		nservices = 0;
	}
	return r;
}

/* Why runtime_dir is refused, for *what (svc_init_all's caller logs it). */
static char rundir_msg[PATH_MAX + 320];

static int init_all(const struct config *cfg, const char **what)
{
	bool need_runtime_dir = false;
	int r;

	config = cfg;
	nservices = cfg->nservices;
	*what = "allocating the services";
	if (nservices == 0)
		return 0;
	services = calloc((size_t)nservices, sizeof(*services));
	if (!services)
		return -ENOMEM;
	for (int i = 0; i < nservices; i++)
		need_runtime_dir |= cfg->services[i].notify_socket;
	if (need_runtime_dir) {
		bool again;

		*what = cfg->runtime_dir;
		r = fs_make_runtime_dir(cfg->runtime_dir, rundir_msg, sizeof(rundir_msg), &again);
		if (r < 0 && rundir_msg[0])
			*what = rundir_msg;
		if (r < 0)
			return r;
		if (rundir_msg[0] && !again)
			log_warn("%s", rundir_msg);
	}
	for (int i = 0; i < nservices; i++) {
		struct service *s = &services[i];

		s->cfg = &cfg->services[i];
		s->idx = i;
		s->state = s->cfg->skip ? SVC_SKIPPED : SVC_WAITING;
		s->state_since = now_ms();
		s->last_status = -1;
		s->report_fd = s->report_lfd.fd = -1;
		s->out.read_fd = s->out.write_fd = -1;
		s->out.lfd.fd = -1;
		s->notify.fd = -1;
		loop_timer_init(&s->backoff_timer, on_backoff_timer, s);
		loop_timer_init(&s->stop_timer, on_stop_timer, s);
		loop_timer_init(&s->ready_timer, on_ready_timeout, s);
		loop_timer_init(&s->probe_timer, on_probe_timer, s);
		loop_timer_init(&s->watchdog_timer, on_watchdog, s);
		if (s->cfg->notify_socket) {
			char path[sizeof(s->notify.path)];

			snprintf(path, sizeof(path), "%s/%s.notify", cfg->runtime_dir,
				 s->cfg->name);
			*what = s->cfg->name;
			r = notify_open(&s->notify, path, s->cfg->name, on_notify, s);
			if (r < 0)
				return r;
			s->has_notify = true;
			/* A service that runs as another user must be able to send to it (sending
			 * needs write permission on the socket file); only its main PID counts. */
			if (s->cfg->privs.set_user &&
			    lchown(path, s->cfg->privs.uid, (gid_t)-1) < 0)
				return -errno;
		}
		s->start_times = calloc((size_t)s->cfg->start_limit_burst, sizeof(int64_t));
		s->env.envp = svc_env_build(&s->env, s->cfg, s->has_notify ? s->notify.path : NULL);
		r = privs_prepare(&s->cfg->privs, &s->privs, s->privs_err, sizeof(s->privs_err));
		if (r < 0) {
			*what = s->privs_err;
			return r;
		}
		*what = "allocating the services";
		if (!s->start_times || !s->env.envp)
			return -ENOMEM;
		probe_init(&s->ready_probe, &s->cfg->ready, s->env.envp, s->cfg->workdir, &s->privs,
			   on_ready_probe, s);
		probe_init(&s->health_probe, &s->cfg->health, s->env.envp, s->cfg->workdir,
			   &s->privs, on_health_probe, s);
		if (s->cfg->log == LOGMODE_PREFIX) {
			*what = "creating an output pipe";
			r = output_open(&s->out, s->cfg->name);
			if (r < 0)
				return r;
			s->has_output = true;
		}
	}
	return 0;
}

void svc_release_all(void)
{
	for (int i = 0; i < nservices; i++) {
		struct service *s = &services[i];

		if (s->has_output)
			output_close(&s->out);
		if (s->has_notify)
			notify_close(&s->notify);
		if (s->report_fd >= 0) {
			loop_del_fd(&s->report_lfd);
			(void)close(s->report_fd);
			s->report_fd = -1;
		}
		probe_cancel(&s->ready_probe);
		probe_cancel(&s->health_probe);
		free(s->start_times);
		svc_env_release(&s->env);
		privs_release(&s->privs);
	}
	free(services);
	services = NULL;
	nservices = 0;
}

/* ---- what a service's state says -------------------------------------------------------- */

bool svc_is_running(const struct service *s)
{
	return s->pid > 0;
}

bool svc_is_ready(const struct service *s)
{
	return s->state == SVC_READY || s->state == SVC_DONE || s->state == SVC_SKIPPED;
}

/* The service (s itself or a dependency, transitively) that keeps s from ever becoming ready
 * without outside help, or NULL. Dependencies form a DAG (validated), so this terminates. */
static const struct service *doomed_by(const struct service *s)
{
	if (s->state == SVC_FAILED || s->state == SVC_STOPPED)
		return s;
	if (s->state != SVC_WAITING)
		return NULL;
	for (int d = 0; d < s->cfg->ndeps; d++) {
		const struct service *r = doomed_by(&services[s->cfg->dep_idx[d]]);

		if (r)
			return r;
	}
	return NULL;
}

bool svc_is_hopeless(const struct service *s)
{
	return doomed_by(s) != NULL;
}

bool svc_main_after_ready(const struct service **blocked, const struct service **cause)
{
	bool all = true;

	*blocked = *cause = NULL;
	for (int k = 0; k < config->nmain_after; k++) {
		const struct service *s = &services[config->main_after[k]];
		const struct service *root;

		if (svc_is_ready(s))
			continue;
		all = false;
		if (!*cause && (root = doomed_by(s))) {
			*blocked = s;
			*cause = root;
		}
	}
	return all;
}

static bool has_running_dependent(const struct service *s)
{
	for (int i = 0; i < nservices; i++) {
		const struct service *o = &services[i];

		if (!svc_is_running(o))
			continue;
		for (int d = 0; d < o->cfg->ndeps; d++)
			if (o->cfg->dep_idx[d] == s->idx)
				return true;
	}
	return false;
}

/* ---- the state machine ------------------------------------------------------------------ */

static void start(struct service *s);
static void started(struct service *s);
static void mark_ready(struct service *s);
static void kill_not_ready(struct service *s);
static void begin_stop(struct service *s, enum stop_reason reason, enum svc_state state);
static void kill_stubborn(struct service *s);
static void exited(struct service *s, int code);
static void set_state(struct service *s, enum svc_state state);
static void reset_history(struct service *s);

/* Every transition of a service (the table at the top of this file). code: the exit code, for
 * EV_EXITED. Returns false when the event means nothing in the state the service is in. */
bool svc_event(struct service *s, enum svc_event ev, int code)
{
	char dbuf[32];

	switch (ev) {
	case EV_START:
		if (s->state != SVC_WAITING)
			return false;
		start(s);
		return true;
	case EV_EXECED:
		if (s->state != SVC_STARTING || s->stop_reason != STOP_NONE)
			return false;
		started(s);
		return true;
	case EV_READY:
		if (s->state != SVC_STARTING)
			return false;
		mark_ready(s);
		return true;
	case EV_READY_TIMEOUT:
		if (s->state != SVC_STARTING)
			return false;
		kill_not_ready(s);
		return true;
	case EV_HEALTH_FAILED:
		if (s->state != SVC_READY)
			return false;
		begin_stop(s, STOP_UNHEALTHY, SVC_UNHEALTHY);
		return true;
	case EV_WATCHDOG:
		if (s->state != SVC_READY)
			return false;
		log_error("service %s is unhealthy: no WATCHDOG=1 within %s; restarting it",
			  s->cfg->name, format_duration(s->cfg->watchdog_ms, dbuf, sizeof(dbuf)));
		begin_stop(s, STOP_WATCHDOG, SVC_UNHEALTHY);
		return true;
	case EV_STOP_TIMEOUT:
		if (s->state != SVC_STOPPING && s->state != SVC_UNHEALTHY)
			return false;
		kill_stubborn(s);
		return true;
	case EV_EXITED:
		if (!svc_is_running(s))
			return false;
		exited(s, code);
		return true;
	case EV_BACKOFF_OVER:
		if (s->state != SVC_BACKOFF)
			return false;
		/* Back to waiting: it restarts as soon as its dependencies are ready. */
		set_state(s, SVC_WAITING);
		sup_report(SUP_CHANGED, NULL, NULL);
		return true;
	case EV_START_REQ:
		switch (s->state) {
		case SVC_STOPPED:
		case SVC_FAILED:
		case SVC_DONE:
		case SVC_BACKOFF:
			loop_timer_disarm(&s->backoff_timer);
			reset_history(s);
			set_state(s, SVC_WAITING);
			log_info("service %s: start requested", s->cfg->name);
			sup_report(SUP_CHANGED, NULL, NULL);
			return true;
		default:
			return false;
		}
	case EV_STOP_REQ:
		switch (s->state) {
		case SVC_STARTING:
		case SVC_READY:
			log_info("service %s: stop requested (SIG%s, pid %d)", s->cfg->name,
				 signal_name(s->cfg->stop_signal), (int)s->pid);
			begin_stop(s, STOP_USER, SVC_STOPPING);
			return true;
		case SVC_STOPPING:
		case SVC_UNHEALTHY:
			/* Its stop signal was sent and its stop timer runs: only what its exit
			 * will mean changes. */
			s->stop_reason = shutting_down ? STOP_SHUTDOWN : STOP_USER;
			return true;
		case SVC_WAITING:
		case SVC_BACKOFF:
			loop_timer_disarm(&s->backoff_timer);
			set_state(s, SVC_STOPPED);
			sup_report(SUP_CHANGED, NULL, NULL);
			return true;
		default:
			return false;
		}
	case EV_RESTART_REQ:
		switch (s->state) {
		case SVC_STARTING:
		case SVC_READY:
			log_info("service %s: restart requested", s->cfg->name);
			reset_history(s);
			begin_stop(s, STOP_USER_RESTART, SVC_STOPPING);
			return true;
		case SVC_STOPPING:
		case SVC_UNHEALTHY:
			s->stop_reason = STOP_USER_RESTART;
			return true;
		default:
			return false;
		}
	case EV_SHUTDOWN:
		switch (s->state) {
		case SVC_STARTING:
		case SVC_READY:
			log_info("stopping service %s (SIG%s, pid %d)", s->cfg->name,
				 signal_name(s->cfg->stop_signal), (int)s->pid);
			begin_stop(s, STOP_SHUTDOWN, SVC_STOPPING);
			return true;
		case SVC_STOPPING:
		case SVC_UNHEALTHY:
			s->stop_reason = STOP_SHUTDOWN;
			return true;
		case SVC_WAITING:
		case SVC_BACKOFF:
			loop_timer_disarm(&s->backoff_timer);
			set_state(s, SVC_STOPPED);
			return true;
		default:
			return false;
		}
	}
	return false;
}

/* ---- the transitions' actions ----------------------------------------------------------- */

static void set_state(struct service *s, enum svc_state state)
{
	if (s->state == state)
		return;
	log_debug("service %s: %s -> %s", s->cfg->name, state_names[s->state], state_names[state]);
	s->state = state;
	s->state_since = now_ms();
	sup_report(SUP_SHOWN, s, NULL);
}

/* A fresh chance: forget earlier failures, as after a fix by hand. */
static void reset_history(struct service *s)
{
	s->failures = 0;
	memset(s->start_times, 0, sizeof(int64_t) * (size_t)s->cfg->start_limit_burst);
	s->start_cursor = 0;
}

/* FAILED: it is not restarted again. */
static void give_up(struct service *s, const char *why)
{
	set_state(s, SVC_FAILED);
	for (int i = 0; i < nservices; i++)
		if (&services[i] != s && doomed_by(&services[i]) == s)
			log_warn("service %s will not start: it depends on %s",
				 services[i].cfg->name, s->cfg->name);
	if (s->cfg->critical)
		sup_report(SUP_CRITICAL_FAILED, s, why);
	else
		log_error(
			"service %s FAILED: %s; it will not be restarted (dind-ctl start %s to try "
			"again)",
			s->cfg->name, why, s->cfg->name);
}

/* BACKOFF until the restart delay is over. */
static void schedule_restart(struct service *s)
{
	const struct cfg_service *c = s->cfg;
	int64_t delay = backoff_delay(c->restart_delay_ms, c->restart_delay_max_ms, s->failures);
	char dbuf[32];

	s->failures++;
	set_state(s, SVC_BACKOFF);
	log_warn("service %s: restarting in %s", c->name,
		 format_duration(delay, dbuf, sizeof(dbuf)));
	loop_timer_arm_in(&s->backoff_timer, delay);
}

/* Every timer and probe that belongs to one run of the service. */
static void stop_watching(struct service *s)
{
	loop_timer_disarm(&s->ready_timer);
	loop_timer_disarm(&s->probe_timer);
	loop_timer_disarm(&s->watchdog_timer);
	probe_cancel(&s->ready_probe);
	probe_cancel(&s->health_probe);
}

static void mark_ready(struct service *s)
{
	const struct cfg_service *c = s->cfg;

	stop_watching(s);
	s->health_failures = 0;
	set_state(s, SVC_READY);
	log_info("service %s is ready", c->name);
	if (c->health.kind != PROBE_NONE)
		loop_timer_arm_in(&s->probe_timer, c->health_interval_ms);
	if (c->watchdog_ms > 0)
		loop_timer_arm_in(&s->watchdog_timer, c->watchdog_ms);
	sup_report(SUP_CHANGED, NULL, NULL);
}

/* Ask a running service to stop (stop_signal and SIGCONT, then SIGKILL after stop_timeout). */
static void begin_stop(struct service *s, enum stop_reason reason, enum svc_state state)
{
	int r;

	stop_watching(s);
	s->stop_reason = reason;
	set_state(s, state);
	r = spawn_send_stop(s->pid, s->cfg->stop_signal);
	if (r < 0 && r != -ESRCH)
		log_warn_errno(-r, "sending the stop signal to service %s", s->cfg->name);
	loop_timer_arm_in(&s->stop_timer, s->cfg->stop_timeout_ms);
}

static void kill_stubborn(struct service *s)
{
	char dbuf[32];

	log_warn("service %s did not stop within %s; sending SIGKILL to its process group",
		 s->cfg->name, format_duration(s->cfg->stop_timeout_ms, dbuf, sizeof(dbuf)));
	spawn_kill_group(s->pid);
}

static void kill_not_ready(struct service *s)
{
	char dbuf[32], pbuf[128];

	if (s->report_fd >= 0)
		log_error("service %s was not ready within %s: it has not even executed %s yet "
			  "(stopped before its exec?); killing it",
			  s->cfg->name,
			  format_duration(s->cfg->ready_timeout_ms, dbuf, sizeof(dbuf)),
			  s->cfg->argv[0]);
	else
		log_error("service %s was not ready within %s (ready = %s%s%s); killing it",
			  s->cfg->name,
			  format_duration(s->cfg->ready_timeout_ms, dbuf, sizeof(dbuf)),
			  probe_spec_format(&s->cfg->ready, pbuf, sizeof(pbuf)),
			  s->ready_probe.why[0] ? ", last attempt: " : "", s->ready_probe.why);
	stop_watching(s);
	s->stop_reason = STOP_READY_TIMEOUT;
	spawn_kill_group(s->pid);
}

/* The child has exec'd, and nobody asked it to stop meanwhile. */
static void started(struct service *s)
{
	const struct cfg_service *c = s->cfg;

	log_info("service %s started (pid %d)", c->name, (int)s->pid);
	if (shutting_down || c->type == SVC_ONESHOT)
		return;
	if (c->ready.kind == PROBE_NONE) {
		/* Without a readiness probe a long-running service is ready once it runs. */
		svc_event(s, EV_READY, 0);
		return;
	}
	/* First check right away, from the loop (never from inside this call chain). */
	if (c->ready.kind != PROBE_NOTIFY)
		loop_timer_arm_in(&s->probe_timer, 0);
}

/* The child's start report is in: what start() did right after the spawn when spawning
 * waited for the exec. */
static void start_reported(struct service *s, const struct spawn_result *res)
{
	loop_del_fd(&s->report_lfd);
	(void)close(s->report_fd);
	s->report_fd = -1;
	if (res->stage != SPAWN_STAGE_NONE) {
		/* The child exits 127/126; its exit is handled like any other failed run. */
		svc_log_start_failure(s->cfg, &s->privs, res);
		return;
	}
	/* Asked to stop before the loop saw it exec (dind-ctl stop or restart, ready_timeout,
	 * the shutdown): the end of the report may as well be its death on our signal as its
	 * exec, and all that is left is to see it exit (svc_event ignores EXECED then). */
	svc_event(s, EV_EXECED, 0);
}

/* Look at a pending start report. final: the child can no longer write one (it was reaped,
 * or its program sent a notify message); what start_reported does then comes first, as it
 * did when spawning waited for the exec. */
static void collect_report(struct service *s, bool final)
{
	struct spawn_result res = { .pid = s->pid, .report_fd = s->report_fd };

	if (s->report_fd < 0 || spawn_report(&res, final) == 0)
		return;
	start_reported(s, &res);
}

static void on_report(void *data, uint32_t events)
{
	(void)events;
	collect_report(data, false);
}

static void start(struct service *s)
{
	const struct cfg_service *c = s->cfg;
	int64_t now = now_ms();
	struct spawn_opts opts = {
		.argv = c->argv,
		.envp = s->env.envp,
		.workdir = c->workdir,
		.null_stdin = true,
		.privs = &s->privs,
	};
	struct spawn_result res;
	char dbuf[32];
	int fd, r;

	if (start_limit_hit(s->start_times, c->start_limit_burst, c->start_limit_interval_ms,
			    now)) {
		char why[160];

		snprintf(why, sizeof(why),
			 "started %d times within %s (start_limit_burst, start_limit_interval)",
			 c->start_limit_burst,
			 format_duration(c->start_limit_interval_ms, dbuf, sizeof(dbuf)));
		give_up(s, why);
		return;
	}
	start_limit_record(s->start_times, c->start_limit_burst, &s->start_cursor, now);
	s->stop_reason = STOP_NONE;
	s->has_status = false;
	s->health_probed = false;

	fd = svc_output_fd(c, s->out.write_fd);
	if (fd < 0 && (c->log == LOGMODE_PREFIX || c->log == LOGMODE_NULL)) {
		log_error_errno(errno, "service %s: cannot open its log %s", c->name,
				c->log == LOGMODE_NULL ? "/dev/null" : "pipe");
		s->last_status = 1;
		schedule_restart(s);
		return;
	}
	opts.stdout_fd = opts.stderr_fd = fd;
	if (c->log == LOGMODE_FILE)
		opts.output_path = c->log_path;
	log_debug("service %s: spawning %s", c->name, c->argv[0]);
	r = spawn_process(&opts, &res);
	if (fd >= 0 && fd != s->out.write_fd)
		(void)close(fd);
	if (r < 0) {
		log_error_errno(-r, "service %s: cannot start it: %s failed", c->name,
				spawn_failure_name(&res));
		s->last_status = 1;
		schedule_restart(s);
		return;
	}
	if (s->started_at)
		s->restarts++;
	s->pid = res.pid;
	s->started_at = now;
	s->report_fd = res.report_fd;
	set_state(s, SVC_STARTING);
	/* From the fork on: a child that something stops before its exec is not ready either. */
	if (c->type != SVC_ONESHOT && c->ready_timeout_ms > 0)
		loop_timer_arm_in(&s->ready_timer, c->ready_timeout_ms);
	/* The rest happens once the child has exec'd or said why it could not (start_reported),
	 * from the loop: PID 1 never waits for a child to get there. */
	r = loop_add_fd(&s->report_lfd, s->report_fd, EPOLLIN, on_report, s);
	if (r < 0) {
		log_warn_errno(-r, "service %s: cannot watch its start; taking it as started",
			       c->name);
		collect_report(s, true);
	}
}

/* Its run ended: svc_decide_exit says what follows. */
static void exited(struct service *s, int code)
{
	const struct cfg_service *c = s->cfg;
	struct svc_exit e = {
		.type = c->type,
		.restart = c->restart,
		.code = code,
		.reason = s->stop_reason,
		.shutting_down = shutting_down,
		.long_run = now_ms() - s->started_at >= c->start_limit_interval_ms,
	};
	struct svc_next next = svc_decide_exit(&e);
	char how[64];

	s->pid = 0;
	s->stop_reason = STOP_NONE;
	s->last_status = code;
	svc_describe_exit(code, how, sizeof(how));
	loop_timer_disarm(&s->stop_timer);
	stop_watching(s);
	if (s->has_output)
		output_end_of_run(&s->out);
	if (next.forget_failures)
		s->failures = 0;
	switch (next.verdict) {
	case VERDICT_STOPPED:
		log_info("service %s stopped (%s)", c->name, how);
		set_state(s, next.state);
		break;
	case VERDICT_START_AGAIN:
		log_info("service %s stopped (%s); starting it again as asked", c->name, how);
		set_state(s, next.state);
		break;
	case VERDICT_DONE:
		log_info("service %s finished", c->name);
		set_state(s, next.state);
		break;
	case VERDICT_RESTART:
		log_warn("service %s %s", c->name, how);
		schedule_restart(s);
		break;
	case VERDICT_NO_RESTART:
		log_info("service %s %s; not restarting it (restart=%s)", c->name, how,
			 c->restart == RESTART_NO ? "no" : "on-failure");
		set_state(s, next.state);
		break;
	case VERDICT_GIVE_UP:
		give_up(s, how);
		break;
	}
	sup_report(SUP_CHANGED, NULL, NULL);
}

/* ---- events from the loop: timers, probes, notify messages ------------------------------ */

static void on_backoff_timer(void *data)
{
	svc_event(data, EV_BACKOFF_OVER, 0);
}

static void on_stop_timer(void *data)
{
	svc_event(data, EV_STOP_TIMEOUT, 0);
}

static void on_ready_timeout(void *data)
{
	struct service *s = data;

	/* An exec the loop has not seen yet counts. */
	collect_report(s, false);
	svc_event(s, EV_READY_TIMEOUT, 0);
}

static void on_watchdog(void *data)
{
	svc_event(data, EV_WATCHDOG, 0);
}

/* The next readiness attempt (starting) or health check (ready) is due. */
static void on_probe_timer(void *data)
{
	struct service *s = data;
	int r;

	switch (s->state) {
	case SVC_STARTING:
		/* One attempt may take as long as a health check may (health_timeout). */
		r = probe_start(&s->ready_probe, s->cfg->health_timeout_ms);
		if (r != 0)
			on_ready_probe(s, r > 0);
		break;
	case SVC_READY:
		r = probe_start(&s->health_probe, s->cfg->health_timeout_ms);
		if (r != 0)
			on_health_probe(s, r > 0);
		break;
	default:
		break;
	}
}

static void on_ready_probe(void *data, bool ok)
{
	struct service *s = data;

	if (s->state != SVC_STARTING)
		return;
	if (ok) {
		svc_event(s, EV_READY, 0);
		return;
	}
	log_debug("service %s not ready yet: %s", s->cfg->name, s->ready_probe.why);
	loop_timer_arm_in(&s->probe_timer, s->cfg->ready_interval_ms);
}

static void on_health_probe(void *data, bool ok)
{
	struct service *s = data;
	const struct cfg_service *c = s->cfg;
	char pbuf[128];

	if (s->state != SVC_READY)
		return;
	s->health_probed = true;
	if (ok) {
		if (s->health_failures > 0) {
			log_info("service %s is healthy again", c->name);
			s->health_failures = 0;
			sup_report(SUP_SHOWN, s, NULL);
		}
		loop_timer_arm_in(&s->probe_timer, c->health_interval_ms);
		return;
	}
	s->health_failures++;
	sup_report(SUP_SHOWN, s, NULL);
	probe_spec_format(&c->health, pbuf, sizeof(pbuf));
	if (s->health_failures < c->health_retries) {
		log_warn("service %s: health probe failed (%d of %d): %s: %s", c->name,
			 s->health_failures, c->health_retries, pbuf, s->health_probe.why);
		loop_timer_arm_in(&s->probe_timer, c->health_interval_ms);
		return;
	}
	log_error("service %s is unhealthy: health probe failed %d times in a row (%s: %s); "
		  "restarting it",
		  c->name, s->health_failures, pbuf, s->health_probe.why);
	svc_event(s, EV_HEALTH_FAILED, 0);
}

static void on_notify(void *data, pid_t sender, const struct notify_msg *msg)
{
	struct service *s = data;

	if (!svc_is_running(s) || sender != s->pid) {
		log_debug("notify socket of %s: ignored a message from pid %d (main pid is %d)",
			  s->cfg->name, (int)sender, (int)s->pid);
		return;
	}
	/* Only its program sends these: it has exec'd, whatever the loop has not seen yet. */
	collect_report(s, true);
	if (msg->has_status) {
		memcpy(s->status, msg->status, sizeof(s->status));
		s->has_status = true;
		log_debug("service %s: STATUS=%s", s->cfg->name, s->status);
		sup_report(SUP_SHOWN, s, NULL);
	}
	if (msg->watchdog && s->cfg->watchdog_ms > 0 && s->state == SVC_READY)
		loop_timer_arm_in(&s->watchdog_timer, s->cfg->watchdog_ms);
	if (msg->stopping)
		log_info("service %s says it is stopping (STOPPING=1)", s->cfg->name);
	if (msg->ready && s->state == SVC_STARTING && s->cfg->ready.kind == PROBE_NOTIFY) {
		log_debug("service %s: READY=1 from pid %d", s->cfg->name, (int)sender);
		svc_event(s, EV_READY, 0);
	}
}

/* ---- entry points: the coordinator, the reaper, the shutdown, dind-ctl ------------------ */

static enum svc_hold held;
static const char *held_why;

static bool deps_ready(const struct service *s)
{
	for (int d = 0; d < s->cfg->ndeps; d++)
		if (!svc_is_ready(&services[s->cfg->dep_idx[d]]))
			return false;
	return true;
}

static bool is_held(const struct service *s)
{
	return held == SVC_HOLD_ALL || (held == SVC_HOLD_DEPENDENTS && s->cfg->ndeps > 0);
}

void svc_start_eligible(enum svc_hold hold, const char *why)
{
	held = hold;
	held_why = why;
	if (shutting_down)
		return;
	for (int k = 0; k < nservices; k++) {
		struct service *s = &services[config->order[k]];

		if (s->state == SVC_WAITING && !is_held(s) && deps_ready(s))
			svc_event(s, EV_START, 0);
		if (shutting_down)
			return;
	}
}

const char *svc_held_for(const struct service *s)
{
	if (s->state != SVC_WAITING || !is_held(s) || !held_why || !deps_ready(s))
		return NULL;
	return held_why;
}

bool svc_child_exited(pid_t pid, int code)
{
	struct service *s = NULL;

	for (int i = 0; i < nservices && !s; i++)
		if (services[i].pid == pid)
			s = &services[i];
	if (!s)
		return false;
	/* The exit may come before the loop saw the exec: the start's outcome first. */
	collect_report(s, true);
	svc_event(s, EV_EXITED, code);
	return true;
}

void svc_begin_shutdown(void)
{
	shutting_down = true;
}

bool svc_shutting_down(void)
{
	return shutting_down;
}

int svc_stop_step(void)
{
	int running = 0;

	for (int i = 0; i < nservices; i++) {
		struct service *s = &services[i];

		if (!svc_is_running(s)) {
			svc_event(s, EV_SHUTDOWN, 0);
			continue;
		}
		running++;
		if (s->stop_reason != STOP_SHUTDOWN && !has_running_dependent(s))
			svc_event(s, EV_SHUTDOWN, 0);
	}
	return running;
}

void svc_kill_all(void)
{
	for (int i = 0; i < nservices; i++) {
		if (svc_is_running(&services[i])) {
			spawn_kill_group(services[i].pid);
		}
	}
}

void svc_flush_output(void)
{
	output_flush_all();
}

int svc_request_kill(struct service *s, int sig, char *buf, size_t len)
{
	if (!svc_is_running(s)) {
		snprintf(buf, len, "%s is not running (%s)", s->cfg->name, state_names[s->state]);
		return -ESRCH;
	}
	if (kill(s->pid, sig) < 0) {
		int err = errno;

		snprintf(buf, len, "sending SIG%s to %s (pid %d): %s", signal_name(sig),
			 s->cfg->name, (int)s->pid, strerror(err));
		return -err;
	}
	snprintf(buf, len, "sent SIG%s to %s (pid %d)", signal_name(sig), s->cfg->name,
		 (int)s->pid);
	return 0;
}

#include "supervisor/service.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/exit_codes.h"
#include "core/fs.h"
#include "core/log.h"
#include "init/shutdown.h"
#include "supervisor/backoff.h"
#include "supervisor/command.h"
#include "supervisor/control.h"
#include "supervisor/spawn.h"

extern char **environ;

static struct service *services;
static int nservices;
static const struct config *config;

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

static void on_timer(void *data);
static void on_ready_timeout(void *data);
static void on_probe_timer(void *data);
static void on_watchdog(void *data);
static void on_ready_probe(void *data, bool ok);
static void on_health_probe(void *data, bool ok);
static void on_notify(void *data, pid_t sender, const struct notify_msg *msg);

/* Entries dind-init makes for one service: NOTIFY_SOCKET, WATCHDOG_USEC, and for another user
 * its USER, LOGNAME and HOME. Owned by the service (own_env), freed with it. */
static int add_own(struct service *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_own(struct service *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (s->nown_env >= SVC_OWN_ENV_MAX)
		return -ENOSPC;
	va_start(ap, fmt);
	r = vasprintf(&s->own_env[s->nown_env], fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	s->nown_env++;
	return 0;
}

static char **build_env(struct service *s)
{
	const struct cfg_service *c = s->cfg;
	char *extra[SVC_OWN_ENV_MAX + MAX_ENV];
	int n = 0, r;

	if (s->has_notify) {
		if (add_own(s, "NOTIFY_SOCKET=%s", s->notify.path) < 0)
			return NULL;
		if (c->watchdog_ms > 0 &&
		    add_own(s, "WATCHDOG_USEC=%" PRId64, c->watchdog_ms * 1000) < 0)
			return NULL;
	}
	r = privs_user_env(&c->privs, s->own_env + s->nown_env);
	if (r < 0)
		return NULL;
	s->nown_env += r;
	/* The service's own environment = entries come last: they win over ours. */
	for (int i = 0; i < s->nown_env; i++)
		extra[n++] = s->own_env[i];
	for (int i = 0; i < c->nenv; i++)
		extra[n++] = c->env[i];
	return spawn_env(environ, extra, n);
}

static void free_env(struct service *s)
{
	for (int i = 0; i < s->nown_env; i++)
		free(s->own_env[i]);
	s->nown_env = 0;
	free(s->envp);
	s->envp = NULL;
}

int svc_init_all(const struct config *cfg, const char **what)
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
		*what = cfg->runtime_dir;
		r = fs_mkdirs(cfg->runtime_dir);
		if (r < 0)
			return r;
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
		loop_timer_init(&s->timer, on_timer, s);
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
			if (s->cfg->privs.set_user && chown(path, s->cfg->privs.uid, (gid_t)-1) < 0)
				return -errno;
		}
		s->start_times = calloc((size_t)s->cfg->start_limit_burst, sizeof(int64_t));
		s->envp = build_env(s);
		r = privs_prepare(&s->cfg->privs, &s->privs, s->privs_err, sizeof(s->privs_err));
		if (r < 0) {
			*what = s->privs_err;
			return r;
		}
		*what = "allocating the services";
		if (!s->start_times || !s->envp)
			return -ENOMEM;
		probe_init(&s->ready_probe, &s->cfg->ready, s->envp, s->cfg->workdir, &s->privs,
			   on_ready_probe, s);
		probe_init(&s->health_probe, &s->cfg->health, s->envp, s->cfg->workdir, &s->privs,
			   on_health_probe, s);
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
		free_env(s);
		privs_release(&s->privs);
	}
	free(services);
	services = NULL;
	nservices = 0;
}

static bool is_running(const struct service *s)
{
	return s->pid > 0;
}

bool svc_is_ready(const struct service *s)
{
	return s->state == SVC_READY || s->state == SVC_DONE || s->state == SVC_SKIPPED;
}

static void set_state(struct service *s, enum svc_state state)
{
	if (s->state == state)
		return;
	log_debug("service %s: %s -> %s", s->cfg->name, state_names[s->state], state_names[state]);
	s->state = state;
	s->state_since = now_ms();
	control_services_changed();
}

/* Something changed that may let other things progress. */
static void changed(void)
{
	if (shutdown_active()) {
		shutdown_progress();
		return;
	}
	svc_start_eligible();
	cmd_maybe_start();
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

static void give_up(struct service *s, const char *why)
{
	set_state(s, SVC_FAILED);
	for (int i = 0; i < nservices; i++)
		if (&services[i] != s && doomed_by(&services[i]) == s)
			log_warn("service %s will not start: it depends on %s",
				 services[i].cfg->name, s->cfg->name);
	if (s->cfg->critical) {
		log_error(
			"service %s FAILED: %s; it is critical, shutting the container down (exit %d)",
			s->cfg->name, why, EXIT_CRITICAL_FAILED);
		shutdown_begin(0, EXIT_CRITICAL_FAILED);
	} else {
		log_error(
			"service %s FAILED: %s; it will not be restarted (dind-ctl start %s to try "
			"again)",
			s->cfg->name, why, s->cfg->name);
	}
}

/* The fd for the service's stdout and stderr, -1 to inherit dind-init's. A log = file: is not
 * opened here but by the child, with the service's own rights (spawn_opts.output_path). */
static int open_log_fd(const struct service *s)
{
	switch (s->cfg->log) {
	case LOGMODE_PREFIX:
		return s->out.write_fd;
	case LOGMODE_NULL:
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	case LOGMODE_FILE:
	case LOGMODE_INHERIT:
	default:
		return -1;
	}
}

/* The child could not, or would not, open the service's log = file:. */
static void log_output_refused(const struct service *s, const struct spawn_result *res)
{
	const struct cfg_service *c = s->cfg;
	bool other = privs_other_user(&s->privs);
	char user[48];

	if (c->privs.user_name)
		snprintf(user, sizeof(user), "%s", c->privs.user_name);
	else
		snprintf(user, sizeof(user), "uid %u", (unsigned)c->privs.uid);
	switch (res->detail) {
	case SPAWN_OUTPUT_NOT_REGULAR:
		log_error(
			"service %s: its log %s is %s, not a regular file; refusing it: make it a "
			"regular file or point log = file: elsewhere (log = null discards the "
			"output)",
			c->name, c->log_path, spawn_file_type_name(res->file_mode));
		return;
	case SPAWN_OUTPUT_NOT_OWNER:
		log_error("service %s: its log %s belongs to uid %u, not to %s who runs the "
			  "service; refusing it (it may be a link to another user's file): remove "
			  "it, and it is made afresh for %s",
			  c->name, c->log_path, res->file_uid, user, user);
		return;
	default:
		break;
	}
	if (other && res->err == ELOOP)
		log_error("service %s: its log %s is a symbolic link; a service that runs as %s "
			  "must name the file itself, dind-init does not follow a link there",
			  c->name, c->log_path, user);
	else if (other)
		log_error("service %s: cannot open its log %s as %s: %s; that user must be able to "
			  "write it, or to create it in its folder: chown one of them to %s, or "
			  "point log = file: elsewhere",
			  c->name, c->log_path, user, strerror(res->err), user);
	else
		log_error("service %s: cannot open its log %s: %s; check the path and its folder, "
			  "or point log = file: elsewhere",
			  c->name, c->log_path, strerror(res->err));
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
	changed();
}

static void schedule_restart(struct service *s);

/* Ask a running service to stop (stop_signal, then SIGKILL after stop_timeout). */
static void begin_stop(struct service *s, enum stop_reason reason, enum svc_state state)
{
	stop_watching(s);
	s->stop_reason = reason;
	set_state(s, state);
	if (kill(s->pid, s->cfg->stop_signal) < 0 && errno != ESRCH)
		log_warn_errno(errno, "sending the stop signal to service %s", s->cfg->name);
	loop_timer_arm_in(&s->timer, s->cfg->stop_timeout_ms);
}

/* The child's start report is in: what start() did right after the spawn when spawning
 * waited for the exec. */
static void start_reported(struct service *s, const struct spawn_result *res)
{
	const struct cfg_service *c = s->cfg;

	loop_del_fd(&s->report_lfd);
	(void)close(s->report_fd);
	s->report_fd = -1;
	if (res->stage != SPAWN_STAGE_NONE) {
		/* The child exits 127/126; its exit is handled like any other failed run. */
		if (res->stage == SPAWN_STAGE_OUTPUT)
			log_output_refused(s, res);
		else if (res->stage == SPAWN_STAGE_PRIVS)
			log_error_errno(res->err,
					"service %s: %s failed; it is not run with other "
					"privileges than configured",
					c->name, spawn_failure_name(res));
		else
			log_error_errno(res->err, "service %s: %s %s failed", c->name,
					spawn_failure_name(res),
					res->stage == SPAWN_STAGE_CHDIR ? c->workdir : c->argv[0]);
		return;
	}
	/* Asked to stop before the loop saw it exec (dind-ctl stop or restart, ready_timeout,
	 * the shutdown): the end of the report may as well be its death on our signal as its
	 * exec, and all that is left is to see it exit. */
	if (s->stop_reason != STOP_NONE)
		return;
	log_info("service %s started (pid %d)", c->name, (int)s->pid);
	if (s->state != SVC_STARTING || shutdown_active() || c->type == SVC_ONESHOT)
		return;
	if (c->ready.kind == PROBE_NONE) {
		/* Without a readiness probe a long-running service is ready once it runs. */
		mark_ready(s);
		return;
	}
	/* First check right away, from the loop (never from inside this call chain). */
	if (c->ready.kind != PROBE_NOTIFY)
		loop_timer_arm_in(&s->probe_timer, 0);
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
		.envp = s->envp,
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

	fd = open_log_fd(s);
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

void svc_start_eligible(void)
{
	if (shutdown_active())
		return;
	for (int k = 0; k < nservices; k++) {
		struct service *s = &services[config->order[k]];
		bool ok = s->state == SVC_WAITING;

		for (int d = 0; ok && d < s->cfg->ndeps; d++)
			ok = svc_is_ready(&services[s->cfg->dep_idx[d]]);
		if (ok)
			start(s);
		if (shutdown_active())
			return;
	}
}

static void schedule_restart(struct service *s)
{
	const struct cfg_service *c = s->cfg;
	int64_t delay = backoff_delay(c->restart_delay_ms, c->restart_delay_max_ms, s->failures);
	char dbuf[32];

	s->failures++;
	set_state(s, SVC_BACKOFF);
	log_warn("service %s: restarting in %s", c->name,
		 format_duration(delay, dbuf, sizeof(dbuf)));
	loop_timer_arm_in(&s->timer, delay);
}

static void on_timer(void *data)
{
	struct service *s = data;

	if (s->state == SVC_BACKOFF) {
		/* Back to waiting: it restarts as soon as its dependencies are ready. */
		set_state(s, SVC_WAITING);
		changed();
	} else if (is_running(s) && (s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY)) {
		char dbuf[32];

		log_warn("service %s did not stop within %s; sending SIGKILL to its process group",
			 s->cfg->name,
			 format_duration(s->cfg->stop_timeout_ms, dbuf, sizeof(dbuf)));
		spawn_kill_group(s->pid);
	}
}

static void on_ready_timeout(void *data)
{
	struct service *s = data;
	char dbuf[32], pbuf[128];

	/* An exec the loop has not seen yet counts. */
	collect_report(s, false);
	if (s->state != SVC_STARTING || !is_running(s))
		return;
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

static void on_probe_timer(void *data)
{
	struct service *s = data;
	int r;

	if (!is_running(s))
		return;
	if (s->state == SVC_STARTING) {
		/* One attempt may take as long as a health check may (health_timeout). */
		r = probe_start(&s->ready_probe, s->cfg->health_timeout_ms);
		if (r != 0)
			on_ready_probe(s, r > 0);
	} else if (s->state == SVC_READY) {
		r = probe_start(&s->health_probe, s->cfg->health_timeout_ms);
		if (r != 0)
			on_health_probe(s, r > 0);
	}
}

static void on_ready_probe(void *data, bool ok)
{
	struct service *s = data;

	if (s->state != SVC_STARTING)
		return;
	if (ok) {
		mark_ready(s);
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
			control_services_changed();
		}
		loop_timer_arm_in(&s->probe_timer, c->health_interval_ms);
		return;
	}
	s->health_failures++;
	control_services_changed();
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
	begin_stop(s, STOP_UNHEALTHY, SVC_UNHEALTHY);
}

static void on_watchdog(void *data)
{
	struct service *s = data;
	char dbuf[32];

	if (s->state != SVC_READY || !is_running(s))
		return;
	log_error("service %s is unhealthy: no WATCHDOG=1 within %s; restarting it", s->cfg->name,
		  format_duration(s->cfg->watchdog_ms, dbuf, sizeof(dbuf)));
	begin_stop(s, STOP_WATCHDOG, SVC_UNHEALTHY);
}

static void on_notify(void *data, pid_t sender, const struct notify_msg *msg)
{
	struct service *s = data;

	if (!is_running(s) || sender != s->pid) {
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
		control_services_changed();
	}
	if (msg->watchdog && s->cfg->watchdog_ms > 0 && s->state == SVC_READY)
		loop_timer_arm_in(&s->watchdog_timer, s->cfg->watchdog_ms);
	if (msg->stopping)
		log_info("service %s says it is stopping (STOPPING=1)", s->cfg->name);
	if (msg->ready && s->state == SVC_STARTING && s->cfg->ready.kind == PROBE_NOTIFY) {
		log_debug("service %s: READY=1 from pid %d", s->cfg->name, (int)sender);
		mark_ready(s);
	}
}

static void describe_status(int code, char *buf, size_t len)
{
	if (code > 128 && code <= 128 + 64 && signal_name(code - 128))
		snprintf(buf, len, "was killed by SIG%s", signal_name(code - 128));
	else
		snprintf(buf, len, "exited with status %d", code);
}

bool svc_child_exited(pid_t pid, int code)
{
	struct service *s = NULL;
	const struct cfg_service *c;
	enum stop_reason reason;
	char how[64];
	bool want_restart;

	for (int i = 0; i < nservices && !s; i++)
		if (services[i].pid == pid)
			s = &services[i];
	if (!s)
		return false;
	/* The exit may come before the loop saw the exec: the start's outcome first. */
	collect_report(s, true);
	c = s->cfg;
	reason = s->stop_reason;
	s->pid = 0;
	s->stop_reason = STOP_NONE;
	s->last_status = code;
	describe_status(code, how, sizeof(how));
	loop_timer_disarm(&s->timer);
	stop_watching(s);
	if (s->has_output)
		output_end_of_run(&s->out);

	if (shutdown_active() || reason == STOP_SHUTDOWN || reason == STOP_USER) {
		log_info("service %s stopped (%s)", c->name, how);
		set_state(s, SVC_STOPPED);
		changed();
		return true;
	}
	if (reason == STOP_USER_RESTART) {
		log_info("service %s stopped (%s); starting it again as asked", c->name, how);
		s->failures = 0;
		set_state(s, SVC_WAITING);
		changed();
		return true;
	}
	if (c->type == SVC_ONESHOT && code == 0) {
		log_info("service %s finished", c->name);
		s->failures = 0;
		set_state(s, SVC_DONE);
		changed();
		return true;
	}
	/* A run that lasted a whole start-limit window was a healthy one: restart the backoff. */
	if (now_ms() - s->started_at >= c->start_limit_interval_ms)
		s->failures = 0;
	/* Unhealthy, watchdog and ready timeout are failures whatever the exit status says. */
	want_restart = c->restart == RESTART_ALWAYS ||
		       (c->restart == RESTART_ON_FAILURE && (code != 0 || reason != STOP_NONE));
	if (want_restart) {
		log_warn("service %s %s", c->name, how);
		schedule_restart(s);
	} else if (code == 0 && reason == STOP_NONE) {
		log_info("service %s %s; not restarting it (restart=%s)", c->name, how,
			 c->restart == RESTART_NO ? "no" : "on-failure");
		set_state(s, SVC_STOPPED);
	} else {
		give_up(s, how);
	}
	changed();
	return true;
}

static bool has_running_dependent(const struct service *s)
{
	for (int i = 0; i < nservices; i++) {
		const struct service *o = &services[i];

		if (!is_running(o))
			continue;
		for (int d = 0; d < o->cfg->ndeps; d++)
			if (o->cfg->dep_idx[d] == s->idx)
				return true;
	}
	return false;
}

int svc_stop_step(void)
{
	int running = 0;

	for (int i = 0; i < nservices; i++) {
		struct service *s = &services[i];

		if (!is_running(s)) {
			if (s->state == SVC_BACKOFF || s->state == SVC_WAITING) {
				loop_timer_disarm(&s->timer);
				set_state(s, SVC_STOPPED);
			}
			continue;
		}
		running++;
		if (s->stop_reason == STOP_SHUTDOWN || has_running_dependent(s))
			continue;
		if (s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY) {
			/* Already asked to stop for another reason: its stop timer runs. */
			s->stop_reason = STOP_SHUTDOWN;
			continue;
		}
		log_info("stopping service %s (SIG%s, pid %d)", s->cfg->name,
			 signal_name(s->cfg->stop_signal), (int)s->pid);
		begin_stop(s, STOP_SHUTDOWN, SVC_STOPPING);
	}
	return running;
}

void svc_kill_all(void)
{
	for (int i = 0; i < nservices; i++) {
		if (is_running(&services[i])) {
			spawn_kill_group(services[i].pid);
		}
	}
}

void svc_flush_output(void)
{
	output_flush_all();
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

/* A fresh chance: forget earlier failures, as after a fix by hand. */
static void reset_history(struct service *s)
{
	s->failures = 0;
	memset(s->start_times, 0, sizeof(int64_t) * (size_t)s->cfg->start_limit_burst);
	s->start_cursor = 0;
}

int svc_request_start(struct service *s, char *buf, size_t len)
{
	if (shutdown_active()) {
		snprintf(buf, len, "the container is shutting down");
		return -ECANCELED;
	}
	if (s->state == SVC_SKIPPED) {
		char conds[256];

		snprintf(buf, len, "%s is skipped: when %s did not hold at start-up", s->cfg->name,
			 cond_format(&s->cfg->when, conds, sizeof(conds)));
		return -EPERM;
	}
	switch (s->state) {
	case SVC_STOPPED:
	case SVC_FAILED:
	case SVC_DONE:
	case SVC_BACKOFF:
		loop_timer_disarm(&s->timer);
		reset_history(s);
		set_state(s, SVC_WAITING);
		log_info("service %s: start requested", s->cfg->name);
		changed();
		if (s->state == SVC_WAITING)
			snprintf(buf, len, "%s waits for its dependencies", s->cfg->name);
		else
			snprintf(buf, len, "started %s", s->cfg->name);
		return 0;
	case SVC_WAITING:
		snprintf(buf, len, "%s waits for its dependencies", s->cfg->name);
		return 0;
	default:
		snprintf(buf, len, "%s is already running (%s)", s->cfg->name,
			 state_names[s->state]);
		return -EALREADY;
	}
}

int svc_request_stop(struct service *s, char *buf, size_t len)
{
	if (is_running(s)) {
		if (s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY) {
			s->stop_reason = shutdown_active() ? STOP_SHUTDOWN : STOP_USER;
			snprintf(buf, len, "%s is already stopping", s->cfg->name);
			return 0;
		}
		log_info("service %s: stop requested (SIG%s, pid %d)", s->cfg->name,
			 signal_name(s->cfg->stop_signal), (int)s->pid);
		begin_stop(s, STOP_USER, SVC_STOPPING);
		snprintf(buf, len, "stopping %s", s->cfg->name);
		return 0;
	}
	if (s->state == SVC_BACKOFF || s->state == SVC_WAITING) {
		loop_timer_disarm(&s->timer);
		set_state(s, SVC_STOPPED);
		changed();
	}
	snprintf(buf, len, "%s is %s", s->cfg->name, state_names[s->state]);
	return 0;
}

int svc_request_restart(struct service *s, char *buf, size_t len)
{
	if (shutdown_active()) {
		snprintf(buf, len, "the container is shutting down");
		return -ECANCELED;
	}
	if (!is_running(s))
		return svc_request_start(s, buf, len);
	if (s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY) {
		s->stop_reason = STOP_USER_RESTART;
		snprintf(buf, len, "%s is stopping; it will start again", s->cfg->name);
		return 0;
	}
	log_info("service %s: restart requested", s->cfg->name);
	reset_history(s);
	begin_stop(s, STOP_USER_RESTART, SVC_STOPPING);
	snprintf(buf, len, "restarting %s", s->cfg->name);
	return 0;
}

int svc_request_kill(struct service *s, int sig, char *buf, size_t len)
{
	if (!is_running(s)) {
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

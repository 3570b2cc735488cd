#include "supervisor/service.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/parse.h"
#include "init/log.h"
#include "init/shutdown.h"
#include "supervisor/backoff.h"
#include "supervisor/command.h"
#include "supervisor/spawn.h"

extern char **environ;

static struct service *services;
static int nservices;
static const struct config *config;

static const char *const state_names[] = {
	[SVC_WAITING] = "waiting", [SVC_STARTING] = "starting", [SVC_READY] = "ready",
	[SVC_BACKOFF] = "backoff", [SVC_STOPPING] = "stopping", [SVC_STOPPED] = "stopped",
	[SVC_FAILED] = "failed",   [SVC_DONE] = "done",
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

static void on_timer(void *data);

/* environ plus the service's own entries; an entry of the service replaces an inherited one
 * with the same key. Allocated once at load time. */
static char **build_env(const struct cfg_service *c)
{
	size_t n = 0, k = 0;
	char **envp;

	while (environ && environ[n])
		n++;
	envp = calloc(n + (size_t)c->nenv + 1, sizeof(*envp));
	if (!envp)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool overridden = false;

		for (int j = 0; j < c->nenv && !overridden; j++)
			overridden =
				strncmp(c->env[j], environ[i], klen) == 0 && c->env[j][klen] == '=';
		if (!overridden)
			envp[k++] = environ[i];
	}
	for (int j = 0; j < c->nenv; j++)
		envp[k++] = c->env[j];
	envp[k] = NULL;
	return envp;
}

int svc_init_all(const struct config *cfg)
{
	config = cfg;
	nservices = cfg->nservices;
	if (nservices == 0)
		return 0;
	services = calloc((size_t)nservices, sizeof(*services));
	if (!services)
		return -ENOMEM;
	for (int i = 0; i < nservices; i++) {
		struct service *s = &services[i];

		s->cfg = &cfg->services[i];
		s->idx = i;
		s->state = SVC_WAITING;
		s->state_since = now_ms();
		s->last_status = -1;
		s->out.read_fd = s->out.write_fd = -1;
		s->out.lfd.fd = -1;
		s->start_times = calloc((size_t)s->cfg->start_limit_burst, sizeof(int64_t));
		s->envp = build_env(s->cfg);
		if (!s->start_times || !s->envp)
			return -ENOMEM;
		loop_timer_init(&s->timer, on_timer, s);
		if (s->cfg->log == LOGMODE_PREFIX) {
			int r = output_open(&s->out, s->cfg->name);

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
		if (services[i].has_output)
			output_close(&services[i].out);
		free(services[i].start_times);
		free(services[i].envp);
	}
	free(services);
	services = NULL;
	nservices = 0;
}

static bool is_running(const struct service *s)
{
	return s->pid > 0;
}

static bool dep_satisfied(const struct service *d)
{
	return d->state == SVC_READY || d->state == SVC_DONE;
}

static void set_state(struct service *s, enum svc_state state)
{
	if (s->state == state)
		return;
	log_debug("service %s: %s -> %s", s->cfg->name, state_names[s->state], state_names[state]);
	s->state = state;
	s->state_since = now_ms();
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

static const struct service *doomed_by(const struct service *s);

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

static int open_log_fd(const struct service *s)
{
	switch (s->cfg->log) {
	case LOGMODE_PREFIX:
		return s->out.write_fd;
	case LOGMODE_NULL:
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	case LOGMODE_FILE:
		return open(s->cfg->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
			    0640);
	case LOGMODE_INHERIT:
	default:
		return -1;
	}
}

static void schedule_restart(struct service *s);

static void start(struct service *s)
{
	const struct cfg_service *c = s->cfg;
	int64_t now = now_ms();
	struct spawn_opts opts = {
		.argv = c->argv,
		.envp = s->envp,
		.workdir = c->workdir,
		.null_stdin = true,
	};
	struct spawn_result res;
	char dbuf[32];
	int fd, r;

	if (start_limit_hit(s->start_times, c->start_limit_burst, c->start_limit_interval_ms,
			    now)) {
		char why[160];

		snprintf(why, sizeof(why),
			 "started %d times within %s (start_limit_burst, "
			 "start_limit_interval)",
			 c->start_limit_burst,
			 format_duration(c->start_limit_interval_ms, dbuf, sizeof(dbuf)));
		give_up(s, why);
		return;
	}
	start_limit_record(s->start_times, c->start_limit_burst, &s->start_cursor, now);

	fd = open_log_fd(s);
	if (fd < 0 && c->log != LOGMODE_INHERIT) {
		log_error_errno(errno, "service %s: cannot open its log %s", c->name,
				c->log == LOGMODE_FILE ? c->log_path : "/dev/null");
		s->last_status = 1;
		schedule_restart(s);
		return;
	}
	opts.stdout_fd = opts.stderr_fd = fd;
	r = spawn_process(&opts, &res);
	if (fd >= 0 && fd != s->out.write_fd)
		(void)close(fd);
	if (r < 0) {
		log_error_errno(-r, "service %s: fork failed", c->name);
		s->last_status = 1;
		schedule_restart(s);
		return;
	}
	if (s->started_at)
		s->restarts++;
	s->pid = res.pid;
	s->started_at = now;
	if (res.stage != SPAWN_STAGE_NONE) {
		/* The child exits 127/126; its exit is handled like any other failed run. */
		log_error_errno(res.err, "service %s: %s %s failed", c->name,
				spawn_stage_name(res.stage),
				res.stage == SPAWN_STAGE_CHDIR ? c->workdir : c->argv[0]);
		set_state(s, SVC_STARTING);
		return;
	}
	log_info("service %s started (pid %d)", c->name, (int)s->pid);
	if (c->type == SVC_ONESHOT) {
		set_state(s, SVC_STARTING);
		return;
	}
	/* Without a readiness probe a long-running service is ready once it runs. */
	set_state(s, SVC_READY);
	log_info("service %s is ready", c->name);
	changed();
}

void svc_start_eligible(void)
{
	if (shutdown_active())
		return;
	for (int k = 0; k < nservices; k++) {
		struct service *s = &services[config->order[k]];
		bool ok = s->state == SVC_WAITING;

		for (int d = 0; ok && d < s->cfg->ndeps; d++)
			ok = dep_satisfied(&services[s->cfg->dep_idx[d]]);
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
	} else if (s->state == SVC_STOPPING && is_running(s)) {
		char dbuf[32];

		log_warn("service %s did not stop within %s; sending SIGKILL to its process group",
			 s->cfg->name,
			 format_duration(s->cfg->stop_timeout_ms, dbuf, sizeof(dbuf)));
		(void)kill(-s->pid, SIGKILL);
		(void)kill(s->pid, SIGKILL);
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
	char how[64];
	bool want_restart;

	for (int i = 0; i < nservices && !s; i++)
		if (services[i].pid == pid)
			s = &services[i];
	if (!s)
		return false;
	c = s->cfg;
	s->pid = 0;
	s->last_status = code;
	describe_status(code, how, sizeof(how));
	loop_timer_disarm(&s->timer);

	if (s->state == SVC_STOPPING || shutdown_active()) {
		log_info("service %s stopped (%s)", c->name, how);
		set_state(s, SVC_STOPPED);
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
	want_restart =
		c->restart == RESTART_ALWAYS || (c->restart == RESTART_ON_FAILURE && code != 0);
	if (want_restart) {
		log_warn("service %s %s", c->name, how);
		schedule_restart(s);
	} else if (code == 0) {
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
		if (s->state == SVC_STOPPING || has_running_dependent(s))
			continue;
		log_info("stopping service %s (SIG%s, pid %d)", s->cfg->name,
			 signal_name(s->cfg->stop_signal) ? signal_name(s->cfg->stop_signal) : "?",
			 (int)s->pid);
		set_state(s, SVC_STOPPING);
		if (kill(s->pid, s->cfg->stop_signal) < 0 && errno != ESRCH)
			log_warn_errno(errno, "sending the stop signal to service %s",
				       s->cfg->name);
		loop_timer_arm_in(&s->timer, s->cfg->stop_timeout_ms);
	}
	return running;
}

void svc_kill_all(void)
{
	for (int i = 0; i < nservices; i++) {
		if (is_running(&services[i])) {
			(void)kill(-services[i].pid, SIGKILL);
			(void)kill(services[i].pid, SIGKILL);
		}
	}
}

void svc_flush_output(void)
{
	for (int i = 0; i < nservices; i++)
		if (services[i].has_output)
			output_flush(&services[i].out);
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

bool svc_main_after_ready(const struct service **blocked, const struct service **cause)
{
	bool all = true;

	*blocked = *cause = NULL;
	for (int k = 0; k < config->nmain_after; k++) {
		const struct service *s = &services[config->main_after[k]];
		const struct service *root;

		if (dep_satisfied(s))
			continue;
		all = false;
		if (!*cause && (root = doomed_by(s))) {
			*blocked = s;
			*cause = root;
		}
	}
	return all;
}

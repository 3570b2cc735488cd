#include "supervisor/svc_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "core/log.h"

extern char **environ;

/* Entries dind-init makes for one service: NOTIFY_SOCKET, WATCHDOG_USEC, its own PATH with the
 * iptables links first, and for another user its USER, LOGNAME and HOME. Owned by e (own), freed with it. */
static int add_own(struct svc_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_own(struct svc_env *e, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (e->nown >= SVC_OWN_ENV_MAX)
		return -ENOSPC;
	va_start(ap, fmt);
	r = vasprintf(&e->own[e->nown], fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	e->nown++;
	return 0;
}

char **svc_env_build(struct svc_env *e, const struct cfg_service *c, const char *notify_path)
{
	char *extra[SVC_OWN_ENV_MAX + MAX_ENV];
	const char *own_path = NULL, *links;
	int n = 0, r;

	if (notify_path) {
		if (add_own(e, "NOTIFY_SOCKET=%s", notify_path) < 0)
			return NULL;
		if (c->watchdog_ms > 0 &&
		    add_own(e, "WATCHDOG_USEC=%" PRId64, c->watchdog_ms * 1000) < 0)
			return NULL;
	}
	r = privs_user_env(&c->privs, e->own + e->nown);
	if (r < 0)
		return NULL;
	e->nown += r;
	/* The service's own environment = entries come last: they win over ours. */
	for (int i = 0; i < e->nown; i++)
		extra[n++] = e->own[i];
	for (int i = 0; i < c->nenv; i++) {
		extra[n++] = c->env[i];
		if (strncmp(c->env[i], "PATH=", 5) == 0)
			own_path = c->env[i] + 5;
	}
	/* The setup's iptables links come first in the service's own PATH too, or its iptables
	 * would be the system's default (init/iptables_shim.h's IPT_SHIM_ENV names the folder). */
	links = getenv("DIND_INIT_IPTABLES_DIR");
	if (own_path && links && *links) {
		if (add_own(e, "PATH=%s%s%s", links, *own_path ? ":" : "", own_path) < 0)
			return NULL;
		extra[n++] = e->own[e->nown - 1];
	}
	e->envp = spawn_env(environ, extra, n);
	return e->envp;
}

void svc_env_release(struct svc_env *e)
{
	for (int i = 0; i < e->nown; i++)
		free(e->own[i]);
	e->nown = 0;
	free(e->envp);
	e->envp = NULL;
}

/* The fd for the service's stdout and stderr, -1 to inherit dind-init's. A log = file: is not
 * opened here but by the child, with the service's own rights (spawn_opts.output_path). */
int svc_output_fd(const struct cfg_service *c, int pipe_fd)
{
	switch (c->log) {
	case LOGMODE_PREFIX:
		return pipe_fd;
	case LOGMODE_NULL:
		return open("/dev/null", O_WRONLY | O_CLOEXEC);
	case LOGMODE_FILE:
	case LOGMODE_INHERIT:
	default:
		return -1;
	}
}

/* The child could not, or would not, open the service's log = file:. */
static void log_output_refused(const struct cfg_service *c, const struct privs *p,
			       const struct spawn_result *res)
{
	bool other = privs_other_user(p);
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

void svc_log_start_failure(const struct cfg_service *c, const struct privs *p,
			   const struct spawn_result *res)
{
	if (res->stage == SPAWN_STAGE_OUTPUT)
		log_output_refused(c, p, res);
	else if (res->stage == SPAWN_STAGE_PRIVS)
		log_error_errno(res->err,
				"service %s: %s failed; it is not run with other "
				"privileges than configured",
				c->name, spawn_failure_name(res));
	else
		log_error_errno(res->err, "service %s: %s %s failed", c->name,
				spawn_failure_name(res),
				res->stage == SPAWN_STAGE_CHDIR ? c->workdir : c->argv[0]);
}

void svc_describe_exit(int code, char *buf, size_t len)
{
	if (code > 128 && code <= 128 + 64 && signal_name(code - 128))
		snprintf(buf, len, "was killed by SIG%s", signal_name(code - 128));
	else
		snprintf(buf, len, "exited with status %d", code);
}

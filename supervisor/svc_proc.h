/* A service's process, apart from its state: the environment it gets, where its output goes,
 * what is said when its start fails, and how its exit reads. No state of its own: service.c
 * calls these. */
#ifndef DIND_SVC_PROC_H
#define DIND_SVC_PROC_H

#include <stddef.h>

#include "config/config.h"
#include "supervisor/privs.h"
#include "supervisor/spawn.h"

#define SVC_OWN_ENV_MAX (3 + PRIVS_USER_ENV) /* NOTIFY_SOCKET, WATCHDOG_USEC, PATH, USER... */

struct svc_env {
	char **envp;		    /* inherited environment plus cfg->env, NULL-terminated */
	char *own[SVC_OWN_ENV_MAX]; /* entries of envp made by dind-init (owned) */
	int nown;
};

/* The environment of a service's processes (its probes' too): dind-init's own, then
 * NOTIFY_SOCKET and WATCHDOG_USEC when notify_path is not NULL, USER, LOGNAME and HOME for
 * another user, then cfg->env (which wins). Returns e->envp, NULL when out of memory. */
char **svc_env_build(struct svc_env *e, const struct cfg_service *c, const char *notify_path);
void svc_env_release(struct svc_env *e);

/* The fd for the service's stdout and stderr (pipe_fd for log = prefix), -1 to inherit
 * dind-init's, or -1 with errno when /dev/null cannot be opened (log = null). A log = file: is
 * not opened here but by the child, with the service's own rights (spawn_opts.output_path). */
int svc_output_fd(const struct cfg_service *c, int pipe_fd);

/* The child said why it could not exec (its start report): say it, once. p: its privileges. */
void svc_log_start_failure(const struct cfg_service *c, const struct privs *p,
			   const struct spawn_result *res);

/* "exited with status N" or "was killed by SIGX", for code (128+N for signal N). */
void svc_describe_exit(int code, char *buf, size_t len);

#endif

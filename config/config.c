/* The configuration model: its lifecycle (cfg_init, cfg_release), lookups, and the pure decision
 * whether the container setup runs. */
#include "config/config.h"

#include <stdlib.h>
#include <string.h>

#include "config/keys.h"
#include "config/loader.h"
#include "config/parse.h"

/* Inits that only reap and forward signals, and run one child: with one of them as PID 1 of a
 * container, that child is the container's real init. Podman's --init mounts catatonit as
 * /run/podman-init. */
static const char *const minimal_inits[] = { "docker-init", "tini",	   "tini-static",
					     "catatonit",   "podman-init", "dumb-init" };

static const char *known_init(const char *name)
{
	const char *base;

	if (!name)
		return NULL;
	base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	for (size_t i = 0; i < sizeof(minimal_inits) / sizeof(minimal_inits[0]); i++)
		if (strcmp(base, minimal_inits[i]) == 0)
			return minimal_inits[i];
	return NULL;
}

const char *cfg_minimal_init(const struct setup_facts *f)
{
	const char *name = known_init(f->pid1_exe);

	return name ? name : known_init(f->pid1_comm);
}

enum setup_decision cfg_setup_decide(enum tristate setup, int nservices,
				     const struct setup_facts *f)
{
	if (setup == TRI_NO)
		return SETUP_SKIP_OFF;
	if (setup == TRI_YES)
		return SETUP_RUN_FORCED;
	if (nservices == 0)
		return SETUP_SKIP_NO_SERVICES;
	if (f->pid1)
		return SETUP_RUN_PID1;
	if (f->parent_is_pid1 && f->in_container && cfg_minimal_init(f))
		return SETUP_RUN_UNDER_INIT;
	return SETUP_SKIP_NOT_PID1;
}

static void privs_release(struct cfg_privs *p)
{
	free(p->user_name);
	free(p->home);
	free(p->seccomp_file);
	free(p->seccomp_syscalls);
	keys_privs_defaults(p);
}

void cfg_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	keys_defaults(B_CONFIG, cfg); /* the defaults of [init]'s and [main]'s keys */
	keys_privs_defaults(&cfg->main.privs);
	cfg->strict_config = true;
	cfg->args_to_idx = -1;
}

void cfg_release(struct config *cfg)
{
	int i, j;

	free(cfg->path);
	keys_release(B_CONFIG, cfg);
	for (i = 0; i < MAX_SERVICES; i++)
		free(cfg->main_after_names[i]);
	for (i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];

		keys_release(B_SERVICE, svc);
		argv_free(svc->argv);
		free(svc->command_text);
		for (j = 0; j < svc->nargs_if; j++) {
			cond_release(&svc->args_if[j].cond);
			free(svc->args_if[j].words);
			free(svc->args_if[j].expanded);
		}
		cond_release(&svc->when);
		for (j = 0; j < svc->ndeps; j++)
			free(svc->deps[j]);
		for (j = 0; j < svc->nenv; j++)
			free(svc->env[j]);
		free(svc->env);
		free(svc->log_path);
		probe_spec_release(&svc->ready);
		probe_spec_release(&svc->health);
		privs_release(&svc->privs);
	}
	privs_release(&cfg->main.privs);
	free(cfg->insecure_reason);
	ld_free_errors(cfg);
	memset(cfg, 0, sizeof(*cfg));
}

int cfg_find_service(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].name, name) == 0)
			return i;
	return -1;
}

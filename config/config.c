/* The configuration model's lookups, and the pure decision whether the container setup runs. Its
 * lifecycle (cfg_init, cfg_release) is table-driven: it is in keys.c, next to the key table. */
#include "config/config.h"

#include <string.h>

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

int cfg_find_service(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].name, name) == 0)
			return i;
	return -1;
}

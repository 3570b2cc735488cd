/* Validation once the whole file is read: the rules across keys and services, dependency cycles
 * and the start order. */
#include "config/validate.h"

#include <string.h>

#include "config/keys.h"
#include "config/parse.h"

/* A notify socket is RUNTIME_DIR/NAME.notify. */
#define NOTIFY_SUFFIX ".notify"

enum { WHITE, GRAY, BLACK };

/* cyc[0..m-1]: each depends on the next, the last on the first. Named from its service that
 * comes first in the file, and reported at that service's header. */
static void report_cycle(struct loader *ld, const int *cyc, int m)
{
	struct config *cfg = ld->cfg;
	char msg[MAX_SERVICES * (SVC_NAME_MAX + 4) + 8];
	size_t pos = 0;
	int k, start = 0;

	for (k = 1; k < m; k++)
		if (cyc[k] < cyc[start])
			start = k;
	msg[0] = '\0';
	for (k = 0; k <= m && pos < sizeof(msg); k++)
		pos += (size_t)snprintf(msg + pos, sizeof(msg) - pos, "%s%s", k ? " -> " : "",
					cfg->services[cyc[(start + k) % m]].name);
	ld_error(ld, cfg->services[cyc[start]].line,
		 "dependency cycle: %s: remove one of these depends_on", msg);
}

/* Depth-first search; a dependency on a service still on the path closes a cycle. Each back
 * edge is met once, so each reported cycle is distinct. */
static void find_cycles(struct loader *ld, int v, int *color, int *path, int depth)
{
	struct cfg_service *svc = &ld->cfg->services[v];
	int i, k;

	color[v] = GRAY;
	path[depth] = v;
	for (i = 0; i < svc->ndeps; i++) {
		int d = svc->dep_idx[i];

		if (d < 0)
			continue;
		if (color[d] == WHITE) {
			find_cycles(ld, d, color, path, depth + 1);
		} else if (color[d] == GRAY) {
			for (k = 0; path[k] != d; k++)
				;
			report_cycle(ld, path + k, depth - k + 1);
		}
	}
	color[v] = BLACK;
}

/* Readiness, health and sd_notify rules of one service. */
static void validate_notify(struct loader *ld, int i)
{
	struct cfg_service *svc = &ld->cfg->services[i];
	const char *dir = ld->cfg->runtime_dir ? ld->cfg->runtime_dir : "";
	int ready = key_first_line(ld, i, S_SVC, "ready"),
	    health = key_first_line(ld, i, S_SVC, "health");
	int access = key_first_line(ld, i, S_SVC, "notify_access");
	size_t n;

	if (svc->type == SVC_NOTIFY && !ready)
		svc->ready.kind = PROBE_NOTIFY;
	if (svc->type == SVC_ONESHOT) {
		if (ready)
			ld_error(ld, ready,
				 "ready does not apply to a oneshot: it is ready once it exits 0; "
				 "remove ready from [service:%s]",
				 svc->name);
		if (health)
			ld_error(ld, health,
				 "health does not apply to a oneshot: it is ready once it exits 0; "
				 "remove health from [service:%s]",
				 svc->name);
	}
	if (!access) {
		svc->notify_access = svc->ready.kind == PROBE_NOTIFY || svc->watchdog_ms > 0
					     ? NOTIFY_ACCESS_MAIN
					     : NOTIFY_ACCESS_NONE;
	} else if (svc->notify_access == NOTIFY_ACCESS_NONE) {
		if (svc->ready.kind == PROBE_NOTIFY)
			ld_error(ld, access,
				 "notify_access = none leaves no way to send READY=1 for ready = "
				 "notify%s in [service:%s]: use notify_access = main",
				 ready ? "" : " (implied by type = notify)", svc->name);
		if (svc->watchdog_ms > 0)
			ld_error(
				ld, access,
				"notify_access = none leaves no way to send WATCHDOG=1 for watchdog "
				"in [service:%s]: use notify_access = main or remove watchdog",
				svc->name);
	}
	svc->notify_socket = svc->notify_access == NOTIFY_ACCESS_MAIN;
	n = strlen(dir) + 1 + strlen(svc->name) + strlen(NOTIFY_SUFFIX);
	if (svc->notify_socket && n > SUN_PATH_MAX)
		ld_error(ld, svc->line,
			 "notify socket path %s/%s" NOTIFY_SUFFIX " is too long (%zu bytes, limit "
			 "%zu): set a shorter runtime_dir in [init] or a shorter service name",
			 dir, svc->name, n, SUN_PATH_MAX);
}

/* group = may come without user = (the process keeps its uid), and so may supplementary_groups.
 * With user = and no group =, the user's primary group from passwd applies: gid holds it too,
 * while set_group stays false (the runtime uses user_gid then, the same value). */
static void validate_privs(struct loader *ld, struct cfg_privs *p, int idx, int seccomp_line,
			   const char *label)
{
	if (p->set_user && !p->set_group)
		p->gid = p->user_gid;
	if (p->seccomp != SECCOMP_DENY || p->nseccomp > 0 || ld->deny_unknown[idx] > 0)
		return;
	if (ld->deny_names[idx] == 0)
		ld_error(ld, seccomp_line,
			 "seccomp = deny: in %s names no syscall: list some, as in "
			 "deny:mount,umount2, or use seccomp = none",
			 label);
	else /* every name was of a syscall this architecture lacks */
		ld_error(ld, seccomp_line,
			 "seccomp = deny: in %s denies no syscall of this architecture: list "
			 "some it has, or use seccomp = none",
			 label);
}

/* replaced:NAME must name a service; arg:OPTION means nothing in `when` (the arguments are
 * another service's business there). */
static void check_conds(struct loader *ld, const struct cfg_service *svc, const struct cond_list *l,
			int line, const char *key)
{
	for (int i = 0; i < l->n; i++) {
		const struct cond *c = &l->v[i];

		if (c->kind == COND_REPLACED && cfg_find_service(ld->cfg, c->name) < 0)
			ld_error(ld, line,
				 "%s of [service:%s] names unknown service '%s' in "
				 "replaced:%s",
				 key, svc->name, c->name, c->name);
		if (c->kind == COND_ARG && strcmp(key, "when") == 0)
			ld_error(ld, line,
				 "arg:%s in when of [service:%s]: arg: conditions are "
				 "for args_if only",
				 c->name, svc->name);
	}
}

static void validate_conditions(struct loader *ld, const struct cfg_service *svc)
{
	check_conds(ld, svc, &svc->when, svc->when_line, "when");
	for (int i = 0; i < svc->nargs_if; i++)
		check_conds(ld, svc, &svc->args_if[i].cond, svc->args_if[i].line, "args_if");
}

/* rootless = yes: dockerd runs as an unprivileged user inside RootlessKit, whose newuidmap and
 * newgidmap gain what they need from their file capabilities (or setuid bit) at exec. */
static void validate_rootless(struct loader *ld, int i)
{
	const struct cfg_service *svc = &ld->cfg->services[i];
	const struct cfg_privs *p = &svc->privs;
	int line = key_first_line(ld, i, S_SVC, "rootless");

	if (!svc->rootless)
		return;
	/* (a user that is not in passwd has its own error already) */
	if (!key_first_line(ld, i, S_SVC, "user") || (p->set_user && p->uid == 0))
		ld_error(
			ld, line,
			"[service:%s] rootless = yes needs user = (the unprivileged user that runs "
			"rootless dockerd), not root",
			svc->name);
	if (p->no_new_privileges)
		ld_error(ld, key_first_line(ld, i, S_SVC, "no_new_privileges"),
			 "[service:%s] rootless = yes refuses no_new_privileges = yes: newuidmap "
			 "and newgidmap need their file capabilities (or setuid bit) when "
			 "RootlessKit runs them; remove it",
			 svc->name);
	if (p->seccomp != SECCOMP_NONE)
		ld_error(ld, key_first_line(ld, i, S_SVC, "seccomp"),
			 "[service:%s] rootless = yes refuses seccomp: RootlessKit makes user, "
			 "mount and network namespaces, and its user namespace is what confines "
			 "dockerd; remove seccomp",
			 svc->name);
	if (p->set_caps)
		ld_error(
			ld, key_first_line(ld, i, S_SVC, "capabilities"),
			"[service:%s] rootless = yes refuses capabilities: they would be ambient "
			"capabilities of rootless dockerd, and dropping CAP_SETUID or CAP_SETGID "
			"from the bounding set breaks newuidmap and newgidmap; remove capabilities",
			svc->name);
}

void ld_validate(struct loader *ld)
{
	struct config *cfg = ld->cfg;
	int color[MAX_SERVICES] = { 0 }, path[MAX_SERVICES];
	bool placed[MAX_SERVICES] = { false };
	char a[32], b[32], label[LABEL_MAX];
	int i, j, k, n;

	for (i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];
		int restart = key_first_line(ld, i, S_SVC, "restart");

		if (svc->argc == 0 && !ld->command_bad[i])
			ld_error(
				ld, svc->line,
				"service '%s' has no command: add command = /path/to/program [args]",
				svc->name);
		if (svc->type == SVC_ONESHOT) {
			if (!restart)
				svc->restart = RESTART_NO;
			else if (svc->restart == RESTART_ALWAYS)
				ld_error(ld, restart,
					 "restart = always does not fit oneshot service '%s': use "
					 "on-failure or no",
					 svc->name);
		}
		validate_notify(ld, i);
		snprintf(label, sizeof(label), "[service:%s]", svc->name);
		validate_privs(ld, &svc->privs, i, key_first_line(ld, i, S_SVC, "seccomp"), label);
		if (svc->restart_delay_max_ms < svc->restart_delay_ms)
			ld_error(ld, svc->line,
				 "restart_delay_max (%s) is shorter than restart_delay (%s) in "
				 "[service:%s]: raise restart_delay_max or lower restart_delay",
				 format_duration(svc->restart_delay_max_ms, a, sizeof(a)),
				 format_duration(svc->restart_delay_ms, b, sizeof(b)), svc->name);
		validate_conditions(ld, svc);
		validate_rootless(ld, i);
		for (j = 0; j < svc->ndeps; j++) {
			svc->dep_idx[j] = cfg_find_service(cfg, svc->deps[j]);
			if (svc->dep_idx[j] < 0)
				ld_error(ld, svc->dep_line[j],
					 "service '%s' depends on unknown service '%s': define "
					 "[service:%s] or remove it from depends_on",
					 svc->name, svc->deps[j], svc->deps[j]);
		}
	}

	for (i = 0; i < cfg->nservices; i++)
		if (color[i] == WHITE)
			find_cycles(ld, i, color, path, 0);

	/* Kahn's algorithm, taking the ready service that comes first in the file each time, so
	 * the order is stable and matches the file where dependencies allow. */
	for (n = 0; n < cfg->nservices; n++) {
		for (i = 0; i < cfg->nservices; i++) {
			if (placed[i])
				continue;
			for (k = 0; k < cfg->services[i].ndeps; k++) {
				int d = cfg->services[i].dep_idx[k];

				if (d >= 0 && !placed[d])
					break;
			}
			if (k == cfg->services[i].ndeps)
				break;
		}
		if (i == cfg->nservices)
			break; /* the rest sits on a cycle, already reported */
		placed[i] = true;
		cfg->order[n] = i;
	}
	for (i = 0; i < cfg->nservices && n < cfg->nservices; i++)
		if (!placed[i])
			cfg->order[n++] = i;

	if (cfg->main_after_set) {
		k = 0;
		for (j = 0; j < cfg->nmain_after; j++) {
			i = cfg_find_service(cfg, cfg->main_after_names[j]);
			if (i < 0)
				ld_error(
					ld, ld->main_after_lines[j],
					"main_after names unknown service '%s': define [service:%s] "
					"or remove it from main_after",
					cfg->main_after_names[j], cfg->main_after_names[j]);
			else
				cfg->main_after[k++] = i;
		}
		cfg->nmain_after = k; /* the resolved ones; every name stays owned for release */
	} else {
		cfg->nmain_after = 0;
		for (n = 0; n < cfg->nservices; n++)
			if (cfg->services[cfg->order[n]].type != SVC_ONESHOT)
				cfg->main_after[cfg->nmain_after++] = cfg->order[n];
	}

	validate_privs(ld, &cfg->main.privs, MAX_SERVICES,
		       key_first_line(ld, SLOT_MAIN, S_MAIN, "seccomp"), "[main]");
	cfg->args_to_idx = cfg->args_to ? cfg_find_service(cfg, cfg->args_to) : -1;
	if (cfg->args_to && cfg->args_to_idx < 0)
		ld_error(
			ld, key_first_line(ld, SLOT_INIT, S_INIT, "args_to"),
			"args_to names unknown service '%s': define [service:%s] or remove args_to",
			cfg->args_to, cfg->args_to);
}

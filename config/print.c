/* The --check-config summary (cfg_print). */
#include "config/config.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "config/keys.h"
#include "config/parse.h"

/* Separator before the next setup item: opens the line on the first one. */
static const char *setup_sep(FILE *out, bool *any)
{
	if (*any)
		return ", ";
	*any = true;
	fprintf(out, "container setup:");
	return " ";
}

/* "KEY=NAME" when a choice is not its first value (auto). */
static void print_choice(FILE *out, bool *any, const char *key, const char *const *names, int v)
{
	if (v != 0)
		fprintf(out, "%s%s=%s", setup_sep(out, any), key, names[v]);
}

/* "KEY=PATH,PATH" when paths[0..n) are not the default list dflt (NULL-terminated). */
static void print_paths(FILE *out, bool *any, const char *key, char *const *paths, int n,
			const char *const *dflt)
{
	int i;

	for (i = 0; i < n && dflt[i] && strcmp(paths[i], dflt[i]) == 0; i++)
		;
	if (i == n && !dflt[n])
		return;
	fprintf(out, "%s%s=", setup_sep(out, any), key);
	if (n == 0)
		fprintf(out, "(none)");
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", paths[i]);
}

/* One line with the setup keys that differ from their defaults; nothing when none do. */
static void print_setup(const struct config *cfg, FILE *out)
{
	const struct cfg_setup *s = &cfg->setup;
	bool any = false;

	print_choice(out, &any, "setup", key_names_tristate, s->setup);
	print_paths(out, &any, "mount_tmpfs", s->mount_tmpfs, s->nmount_tmpfs,
		    key_default_mount_tmpfs);
	print_choice(out, &any, "securityfs", key_names_tristate, s->securityfs);
	print_choice(out, &any, "sys_rw", key_names_tristate, s->sys_rw);
	print_choice(out, &any, "cgroups", key_names_cgroups, s->cgroups);
	print_choice(out, &any, "iptables", key_names_iptables, s->iptables);
	if (!s->make_rshared)
		fprintf(out, "%smake_rshared=no", setup_sep(out, &any));
	print_paths(out, &any, "stale_files", s->stale_files, s->nstale_files,
		    key_default_stale_files);
	if (s->rlimit_nofile == RLIMIT_NOFILE_KEEP)
		fprintf(out, "%srlimit_nofile=keep", setup_sep(out, &any));
	else if (s->rlimit_nofile != RLIMIT_NOFILE_HARD)
		fprintf(out, "%srlimit_nofile=%ld", setup_sep(out, &any), s->rlimit_nofile);
	if (!s->data_root || strcmp(s->data_root, DEFAULT_DATA_ROOT) != 0)
		fprintf(out, "%sdata_root=%s", setup_sep(out, &any),
			s->data_root ? s->data_root : "none");
	print_choice(out, &any, "preflight", key_names_tristate, s->preflight);
	if (!s->mtu_auto)
		fprintf(out, "%smtu=no", setup_sep(out, &any));
	print_paths(out, &any, "writable_paths", s->writable_paths, s->nwritable_paths,
		    key_default_writable_paths);
	if (any)
		fprintf(out, "\n");
}

/* "user=NAME  seccomp=MODE" for what is set, each item after sep (then two blanks); nothing
 * when neither is. */
static void print_privs(const struct cfg_privs *p, const char *sep, FILE *out)
{
	int i;

	if (p->set_user && p->user_name)
		fprintf(out, "%suser=%s", sep, p->user_name);
	else if (p->set_user)
		fprintf(out, "%suser=%u", sep, (unsigned)p->uid);
	if (p->set_user)
		sep = "  ";
	switch (p->seccomp) {
	case SECCOMP_NONE:
		break;
	case SECCOMP_DEFAULT:
		fprintf(out, "%sseccomp=default", sep);
		break;
	case SECCOMP_DENY:
		fprintf(out, "%sseccomp=deny:", sep);
		for (i = 0; i < p->nseccomp; i++) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
								      p->seccomp_syscalls[i]);

			if (name)
				fprintf(out, "%s%s", i ? "," : "", name);
			else
				fprintf(out, "%s%d", i ? "," : "", p->seccomp_syscalls[i]);
			free(name);
		}
		break;
	case SECCOMP_ALLOW:
		fprintf(out, "%sseccomp=%s", sep,
			p->seccomp_file ? p->seccomp_file : "(allow-list)");
		break;
	}
}

/* when and args_if lines, and whether they held when the command line was made. */
static void print_conditions(const struct config *cfg, const struct cfg_service *svc, FILE *out)
{
	char conds[512];

	if (svc->when.n > 0)
		fprintf(out, "       when %s%s\n", cond_format(&svc->when, conds, sizeof(conds)),
			!cfg->resolved ? ""
			: svc->skip    ? "  -> no: skipped"
				       : "  -> yes");
	for (int k = 0; k < svc->nargs_if; k++) {
		const struct cfg_args_if *a = &svc->args_if[k];

		fprintf(out, "       args_if %s : %s%s\n",
			cond_format(&a->cond, conds, sizeof(conds)), a->words ? a->words : "",
			!cfg->resolved ? ""
			: a->held      ? "  -> yes"
				       : "  -> no");
	}
}

void cfg_print(const struct config *cfg, FILE *out)
{
	char cmd[1024], probe[256];
	int i, j, width = 0;

	for (i = 0; i < cfg->nservices; i++) {
		int w = (int)strlen(cfg->services[i].name);

		if (w > width)
			width = w;
	}
	if (cfg->nservices == 0)
		fprintf(out, "%s: no services\n", cfg->path ? cfg->path : "<config>");
	else
		fprintf(out, "%s: %d service%s, in start order:\n",
			cfg->path ? cfg->path : "<config>", cfg->nservices,
			cfg->nservices == 1 ? "" : "s");
	for (i = 0; i < cfg->nservices; i++) {
		const struct cfg_service *svc = &cfg->services[cfg->order[i]];

		fprintf(out, "  %d. %-*s  %-7s  restart=%-10s", i + 1, width, svc->name,
			key_names_svc_type[svc->type], key_names_restart[svc->restart]);
		if (svc->critical)
			fprintf(out, "  critical");
		for (j = 0; j < svc->ndeps; j++)
			fprintf(out, "%s%s", j ? "," : "  after ", svc->deps[j]);
		if (svc->ready.kind != PROBE_NONE)
			fprintf(out, "  ready=%s",
				probe_spec_format(&svc->ready, probe, sizeof(probe)));
		if (svc->health.kind != PROBE_NONE)
			fprintf(out, "  health=%s",
				probe_spec_format(&svc->health, probe, sizeof(probe)));
		print_privs(&svc->privs, "  ", out);
		if (cfg->resolved && svc->skip)
			fprintf(out, "  SKIPPED");
		fprintf(out, "  %s\n",
			svc->argc ? argv_format(svc->argv, cmd, sizeof(cmd)) : "(no command)");
		print_conditions(cfg, svc, out);
	}
	fprintf(out, "main command starts after:");
	if (cfg->nmain_after == 0)
		fprintf(out, " (none)");
	for (i = 0; i < cfg->nmain_after; i++)
		fprintf(out, "%s%s", i ? ", " : " ", cfg->services[cfg->main_after[i]].name);
	fprintf(out, "\n");
	if (cfg->main.privs.set_user || cfg->main.privs.seccomp != SECCOMP_NONE) {
		fprintf(out, "main command runs with:");
		print_privs(&cfg->main.privs, " ", out);
		fprintf(out, "\n");
	}
	if (cfg->args_to)
		fprintf(out, "COMMAND arguments starting with '-' go to: %s\n", cfg->args_to);
	if (cfg->control_group && cfg->resolved && cfg->has_control_gid)
		fprintf(out, "dind-ctl status, health and wait: also for group %u (%s)\n",
			(unsigned)cfg->control_gid, cfg->control_group);
	else if (cfg->control_group)
		fprintf(out, "dind-ctl status, health and wait: also for group %s\n",
			cfg->control_group);
	if (cfg->service_output != OUTPUT_STDOUT)
		fprintf(out, "service output goes to: stderr\n");
	print_setup(cfg, out);
}

/* The keys of [init], [main] and [service:NAME] and the functions that apply them (the
 * privileges keys are in privileges.c). Each records its own error and leaves the value as it was
 * on a bad value. */
#include "config/setters.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/keys.h"
#include "config/parse.h"
#include "config/privileges.h"

/* Timer code adds durations to a monotonic clock in nanoseconds: a cap far below INT64_MAX
 * keeps that arithmetic from overflowing, and no timeout here needs more than a year. */
#define DURATION_MAX_MS ((int64_t)8760 * 60 * 60 * 1000)

/* Value helpers: each records its own error and returns false on a bad value. */

static bool get_duration(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	int64_t ms;
	int r = parse_duration(value, &ms);

	if (r == -ERANGE || (r == 0 && ms > DURATION_MAX_MS)) {
		ld_error(ld, ld->lineno, "duration '%s' for %s is too long: use at most 8760h",
			 value, key);
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno,
			 "bad duration '%s' for %s: use a number with ms, s, m or h", value, key);
		return false;
	}
	*out = ms;
	return true;
}

/* names[i] maps to value i; expected is the human list for the message. */
static bool get_choice(struct loader *ld, const char *key, const char *value,
		       const char *const *names, int n, const char *expected, int *out)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	ld_error(ld, ld->lineno, "bad value '%s' for %s: expected %s", value, key, expected);
	return false;
}

/* A duration that must be longer than 0. */
static bool get_positive_duration(struct loader *ld, const char *key, const char *value,
				  int64_t *out)
{
	int64_t ms;

	if (!get_duration(ld, key, value, &ms))
		return false;
	if (ms <= 0) {
		ld_error(ld, ld->lineno, "bad duration '%s' for %s: it must be longer than 0",
			 value, key);
		return false;
	}
	*out = ms;
	return true;
}

static bool get_signal(struct loader *ld, const char *key, const char *value, int *out)
{
	int sig = parse_signal(value);

	if (sig < 0) {
		ld_error(ld, ld->lineno,
			 "bad signal '%s' for %s: use a name like TERM or a number from 1 to 64",
			 value, key);
		return false;
	}
	*out = sig;
	return true;
}

/* [init] */

void set_log_level(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	int v;

	if (get_choice(ld, key, value, names, 4, "error, warn, info or debug", &v))
		ld->cfg->log_level = (enum cfg_log_level)v;
}

void set_shutdown_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld->cfg->shutdown_timeout_ms);
}

static bool add_main_after(struct loader *ld, const char *name, size_t len)
{
	struct config *cfg = ld->cfg;
	int i;

	for (i = 0; i < cfg->nmain_after; i++)
		if (strlen(cfg->main_after_names[i]) == len &&
		    strncmp(cfg->main_after_names[i], name, len) == 0)
			return true; /* listed twice: harmless */
	if (cfg->nmain_after >= MAX_SERVICES) {
		ld_error(ld, ld->lineno, "too many names in main_after (limit %d)", MAX_SERVICES);
		return false;
	}
	cfg->main_after_names[cfg->nmain_after] = ld_dup(ld, name, len);
	if (!cfg->main_after_names[cfg->nmain_after])
		return false;
	ld->main_after_lines[cfg->nmain_after++] = ld->lineno;
	return true;
}

void set_main_after(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (!ld->cfg->main_after_set) {
		ld->cfg->main_after_set = true;
		ld->cfg->main_after_line = ld->lineno;
	}
	ld_for_each_name(ld, value, add_main_after);
}

void set_on_main_exit(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "shutdown", "ignore" };
	int v;

	if (get_choice(ld, key, value, names, 2, "shutdown or ignore", &v))
		ld->cfg->on_main_exit = (enum on_main_exit)v;
}

void set_control_socket(struct loader *ld, const char *key, const char *value)
{
	size_t n = strlen(value);

	if (strcmp(value, "none") == 0) {
		key_set_owned(&ld->cfg->control_socket, key_default_control_socket, NULL);
		return;
	}
	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path or none",
			 value, key);
		return;
	}
	if (n > SUN_PATH_MAX) {
		ld_error(ld, ld->lineno,
			 "bad value for %s: unix socket path too long (%zu bytes, limit %zu): use "
			 "a shorter path",
			 key, n, SUN_PATH_MAX);
		return;
	}
	key_set_owned(&ld->cfg->control_socket, key_default_control_socket, ld_dup(ld, value, n));
}

/* `control_group = NAME|GID`, maybe from ${...}: checked now when it holds no variable, else by
 * cfg_resolve. */
void set_control_group(struct loader *ld, const char *key, const char *value)
{
	struct config *cfg = ld->cfg;
	const char *err;
	char **w;
	int n, r;

	free(cfg->control_group);
	cfg->control_group = NULL;
	r = argv_split_env(value, ld_no_env, NULL, &w, &n, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r == 0)
		argv_free(w);
	if (r < 0 || strchr(value, ' ') || strchr(value, '\t')) {
		ld_error(ld, ld->lineno, "bad control_group '%s': %s", value,
			 r < 0 ? err : "expected one group name or number");
		return;
	}
	if (!*value || strcmp(value, "none") == 0)
		return;
	if (!strstr(value, "${")) {
		gid_t gid;

		if (!priv_get_gid(ld, key, value, strlen(value), &gid))
			return;
	}
	cfg->control_group = ld_dup(ld, value, strlen(value));
}

void set_require_socket(struct loader *ld, const char *key, const char *value)
{
	if (!*value || strcmp(value, "none") == 0) {
		free(ld->cfg->require_socket);
		ld->cfg->require_socket = NULL;
		return;
	}
	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path or none",
			 value, key);
		return;
	}
	free(ld->cfg->require_socket);
	ld->cfg->require_socket = ld_dup(ld, value, strlen(value));
}

void set_runtime_dir(struct loader *ld, const char *key, const char *value)
{
	size_t n = strlen(value);

	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path", value, key);
		return;
	}
	/* "/run/x/" and "/run/x" are the same directory; keep "/" itself. */
	while (n > 1 && value[n - 1] == '/')
		n--;
	key_set_owned(&ld->cfg->runtime_dir, key_default_runtime_dir, ld_dup(ld, value, n));
}

static bool get_tristate(struct loader *ld, const char *key, const char *value, enum tristate *out)
{
	bool b;

	if (strcmp(value, "auto") == 0) {
		*out = TRI_AUTO;
		return true;
	}
	if (parse_bool(value, &b) < 0) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: expected auto, yes or no", value,
			 key);
		return false;
	}
	*out = b ? TRI_YES : TRI_NO;
	return true;
}

void set_setup(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.setup);
}

void set_securityfs(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.securityfs);
}

void set_sys_rw(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.sys_rw);
}

void set_preflight(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.preflight);
}

void set_mtu(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "no" };
	int v;

	if (get_choice(ld, key, value, names, 2, "auto or no", &v))
		ld->cfg->setup.mtu_auto = v == 0;
}

/* One path for a setup list; false stops the line (the list is full). */
static bool add_setup_path(struct loader *ld, const char *key, char **paths, int *n, const char *p,
			   size_t len)
{
	int i;

	if (p[0] != '/') {
		ld_error(ld, ld->lineno, "bad path '%.*s' in %s: use absolute paths", (int)len, p,
			 key);
		return true; /* go on: report every bad path of the line */
	}
	len = key_path_len(p, len);
	for (i = 0; i < *n; i++)
		if (strlen(paths[i]) == len && strncmp(paths[i], p, len) == 0)
			return true; /* listed twice: harmless */
	if (*n >= MAX_SETUP_PATHS) {
		ld_error(ld, ld->lineno, "too many paths in %s (limit %d): remove some", key,
			 MAX_SETUP_PATHS);
		return false;
	}
	paths[*n] = ld_dup(ld, p, len);
	if (!paths[*n])
		return false;
	(*n)++;
	return true;
}

static bool add_mount_tmpfs(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	if (p[0] == '/' && key_path_len(p, len) == 1) {
		ld_error(ld, ld->lineno,
			 "bad path '/' in mount_tmpfs: a tmpfs there would hide the whole image; "
			 "remove it");
		return true;
	}
	return add_setup_path(ld, "mount_tmpfs", s->mount_tmpfs, &s->nmount_tmpfs, p, len);
}

static bool add_stale_file(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	return add_setup_path(ld, "stale_files", s->stale_files, &s->nstale_files, p, len);
}

/* The key line replaces the default list (an empty value leaves none); its indented lines add. */
void set_mount_tmpfs(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		key_clear_paths(ld->cfg->setup.mount_tmpfs, &ld->cfg->setup.nmount_tmpfs);
	ld_for_each_name(ld, value, add_mount_tmpfs);
}

void set_stale_files(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		key_clear_paths(ld->cfg->setup.stale_files, &ld->cfg->setup.nstale_files);
	ld_for_each_name(ld, value, add_stale_file);
}

static bool add_writable_path(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	return add_setup_path(ld, "writable_paths", s->writable_paths, &s->nwritable_paths, p, len);
}

void set_writable_paths(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		key_clear_paths(ld->cfg->setup.writable_paths, &ld->cfg->setup.nwritable_paths);
	ld_for_each_name(ld, value, add_writable_path);
}

void set_cgroups(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "v1", "v2", "no" };
	int v;

	if (get_choice(ld, key, value, names, 4, "auto, v1, v2 or no", &v))
		ld->cfg->setup.cgroups = (enum cgroup_mode)v;
}

void set_iptables(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "legacy", "nft", "no" };
	int v;

	if (get_choice(ld, key, value, names, 4, "auto, legacy, nft or no", &v))
		ld->cfg->setup.iptables = (enum iptables_mode)v;
}

void set_make_rshared(struct loader *ld, const char *key, const char *value)
{
	if (parse_bool(value, &ld->cfg->setup.make_rshared) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
}

void set_rlimit_nofile(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (strcmp(value, "hard") == 0) {
		ld->cfg->setup.rlimit_nofile = RLIMIT_NOFILE_HARD;
		return;
	}
	if (strcmp(value, "keep") == 0) {
		ld->cfg->setup.rlimit_nofile = RLIMIT_NOFILE_KEEP;
		return;
	}
	if (parse_uint(value, &v) < 0 || v < 1) {
		ld_error(
			ld, ld->lineno,
			"bad value '%s' for %s: expected hard, keep or a whole number of 1 or more",
			value, key);
		return;
	}
	ld->cfg->setup.rlimit_nofile = v;
}

void set_data_root(struct loader *ld, const char *key, const char *value)
{
	struct cfg_setup *s = &ld->cfg->setup;
	char *copy = NULL;

	if (strcmp(value, "none") != 0) {
		if (value[0] != '/') {
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: use an absolute path or none", value, key);
			return;
		}
		copy = ld_dup(ld, value, key_path_len(value, strlen(value)));
		if (!copy)
			return;
	}
	key_free_str(s->data_root);
	s->data_root = copy;
}

/* Kept for the files that have it: yes is the only setting, and no is an error that says what
 * to use instead. The file must not relax the check of itself: whoever can write it is exactly
 * whom the check stops (see check_file_safety); that decision comes from outside the file. */
void set_strict_config(struct loader *ld, const char *key, const char *value)
{
	bool strict;

	if (parse_bool(value, &strict) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
	else if (!strict)
		ld_error(ld, ld->lineno,
			 "%s = no is no longer read from the config file, since whoever can write "
			 "the file could turn its own check off: remove this line; to use a file "
			 "that is not root's or is writable by group or others, fix it (chown root "
			 "or chmod go-w it, on the host if it is bind-mounted from there, or mount "
			 "it :ro), or start dind-init with %s=no in its environment (docker run -e "
			 "%s=no)",
			 key, CFG_STRICT_ENV, CFG_STRICT_ENV);
}

void set_service_output(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "stdout", "stderr" };
	int v;

	if (get_choice(ld, key, value, names, 2, "stdout or stderr", &v))
		ld->cfg->service_output = (enum output_sink)v;
}

/* Resolved by validation, once every service is known. */
void set_args_to(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	free(ld->cfg->args_to);
	ld->cfg->args_to = NULL;
	if (*value && strcmp(value, "none") != 0)
		ld->cfg->args_to = ld_dup(ld, value, strlen(value));
}

/* [main] and [service:NAME] */

void set_stop_signal(struct loader *ld, const char *key, const char *value)
{
	int *target = ld->sec == SEC_MAIN ? &ld->cfg->main.stop_signal : &ld_svc(ld)->stop_signal;

	(void)get_signal(ld, key, value, target);
}

void set_stop_timeout(struct loader *ld, const char *key, const char *value)
{
	int64_t *target =
		ld->sec == SEC_MAIN ? &ld->cfg->main.stop_timeout_ms : &ld_svc(ld)->stop_timeout_ms;

	(void)get_duration(ld, key, value, target);
}

/* [service:NAME] */

void set_command(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);
	char label[LABEL_MAX];
	const char *err = NULL;
	char **words, **argv;
	size_t bytes;
	int n, r, i;

	(void)key;
	/* ${...} is checked now and expanded by cfg_resolve: one split with every variable unset
	 * finds the syntax errors; argv keeps the words unexpanded until then. */
	r = argv_split_env(value, ld_no_env, NULL, &words, &n, &err);
	if (r == 0) {
		argv_free(words);
		r = argv_split(value, &words, &n, &err);
	}
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r == 0 && svc->argc + n > ARGV_MAX_WORDS) {
		argv_free(words);
		r = -E2BIG;
		err = "too many words (limit 256)";
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad command in %s: %s",
			 ld_label(ld, label, sizeof(label)), err);
		ld->command_bad[ld->svc] = true;
		return;
	}
	if (n == 0) {
		argv_free(words);
		return;
	}
	/* With CFG_LINE_MAX and ARGV_MAX_WORDS as they are, the word limit comes first; this
	 * holds the byte limit should either grow. */
	bytes = ld_strings_bytes(svc->argv, svc->argc) + ld_strings_bytes(words, n);
	if (bytes > ARGV_BYTES_MAX) {
		argv_free(words);
		ld_error(ld, ld->lineno,
			 "command of %s is too long (%zu bytes, limit %d): shorten it, or move "
			 "arguments into a file the program reads",
			 ld_label(ld, label, sizeof(label)), bytes, ARGV_BYTES_MAX);
		ld->command_bad[ld->svc] = true;
		return;
	}
	argv = realloc(svc->argv, (size_t)(svc->argc + n + 1) * sizeof(*argv));
	if (!argv) {
		argv_free(words);
		ld->oom = true;
		return;
	}
	for (i = 0; i < n; i++)
		argv[svc->argc + i] = words[i];
	svc->argc += n;
	argv[svc->argc] = NULL;
	svc->argv = argv;
	free(words); /* the strings moved into argv */
	if (!ld_append_text(&svc->command_text, value))
		ld->oom = true;
}

/* `when = CONDITIONS`: the service runs only when they all hold (see config/cond.h). */
void set_when(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);
	char label[LABEL_MAX];
	const char *err;
	int r;

	(void)key;
	cond_release(&svc->when);
	r = cond_parse(value, false, &svc->when, NULL, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad when in %s: %s", ld_label(ld, label, sizeof(label)),
			 err);
		return;
	}
	svc->when_line = ld->lineno;
}

/* `args_if = CONDITIONS : WORDS`, repeatable; an indented line adds words to the last one. */
void set_args_if(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);
	struct cfg_args_if *a;
	char label[LABEL_MAX];
	const char *err = NULL, *rest = value;
	char **words;
	int n, r;

	(void)key;
	if (ld->kind == LINE_CONT) {
		if (svc->nargs_if == 0)
			return; /* continues a line that was refused, already reported */
		a = &svc->args_if[svc->nargs_if - 1];
	} else {
		if (svc->nargs_if == MAX_ARGS_IF) {
			ld_error(ld, ld->lineno, "too many args_if lines in %s (limit %d)",
				 ld_label(ld, label, sizeof(label)), MAX_ARGS_IF);
			return;
		}
		a = &svc->args_if[svc->nargs_if];
		memset(a, 0, sizeof(*a));
		r = cond_parse(value, true, &a->cond, &rest, &err);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r < 0) {
			ld_error(ld, ld->lineno,
				 "bad args_if in %s: %s (expected: args_if = "
				 "CONDITION... : WORD...)",
				 ld_label(ld, label, sizeof(label)), err);
			return;
		}
		a->line = ld->lineno;
		svc->nargs_if++;
	}
	while (*rest == ' ' || *rest == '\t')
		rest++;
	r = argv_split_env(rest, ld_no_env, NULL, &words, &n, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad args_if words in %s: %s",
			 ld_label(ld, label, sizeof(label)), err);
		return;
	}
	argv_free(words);
	if (!ld_append_text(&a->words, rest))
		ld->oom = true;
}

void set_type(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "simple", "notify", "oneshot" };
	int v;

	if (get_choice(ld, key, value, names, 3, "simple, notify or oneshot", &v))
		ld_svc(ld)->type = (enum svc_type)v;
}

static bool add_dep(struct loader *ld, const char *name, size_t len)
{
	struct cfg_service *svc = ld_svc(ld);
	char label[LABEL_MAX];
	int i;

	for (i = 0; i < svc->ndeps; i++)
		if (strlen(svc->deps[i]) == len && strncmp(svc->deps[i], name, len) == 0)
			return true; /* listed twice: harmless */
	if (svc->ndeps >= MAX_DEPS) {
		ld_error(ld, ld->lineno, "too many names in depends_on of %s (limit %d)",
			 ld_label(ld, label, sizeof(label)), MAX_DEPS);
		return false;
	}
	svc->deps[svc->ndeps] = ld_dup(ld, name, len);
	if (!svc->deps[svc->ndeps])
		return false;
	svc->dep_line[svc->ndeps] = ld->lineno;
	svc->dep_idx[svc->ndeps++] = -1;
	return true;
}

void set_depends_on(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	ld_for_each_name(ld, value, add_dep);
}

void set_restart(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "always", "on-failure", "no" };
	int v;

	if (get_choice(ld, key, value, names, 3, "always, on-failure or no", &v))
		ld_svc(ld)->restart = (enum restart_policy)v;
}

void set_restart_delay(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld_svc(ld)->restart_delay_ms);
}

void set_restart_delay_max(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld_svc(ld)->restart_delay_max_ms);
}

void set_start_limit_burst(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (parse_uint(value, &v) < 0 || v < 1 || v > START_LIMIT_BURST_MAX) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use a whole number from 1 to %d",
			 value, key, START_LIMIT_BURST_MAX);
		return;
	}
	ld_svc(ld)->start_limit_burst = v;
}

void set_start_limit_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &ld_svc(ld)->start_limit_interval_ms);
}

void set_critical(struct loader *ld, const char *key, const char *value)
{
	if (parse_bool(value, &ld_svc(ld)->critical) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
}

static bool env_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

void set_environment(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);
	const char *eq = strchr(value, '=');
	char label[LABEL_MAX];
	size_t n = eq ? (size_t)(eq - value) : 0, bytes;
	char **env;
	int i;

	(void)key;
	(void)ld_label(ld, label, sizeof(label));
	if (!eq || !env_name_ok(value, n)) {
		ld_error(
			ld, ld->lineno,
			"bad environment entry '%s' in %s: use KEY=value, KEY made of letters, digits "
			"and _, not starting with a digit",
			value, label);
		return;
	}
	for (i = 0; i < svc->nenv; i++) {
		if (strncmp(svc->env[i], value, n + 1) == 0) {
			ld_error(ld, ld->lineno,
				 "environment variable '%.*s' is set twice in %s: keep one", (int)n,
				 value, label);
			return;
		}
	}
	if (svc->nenv >= MAX_ENV) {
		ld_error(ld, ld->lineno, "too many environment entries in %s (limit %d)", label,
			 MAX_ENV);
		return;
	}
	/* Like the command's byte limit: MAX_ENV lines of CFG_LINE_MAX come first today. */
	bytes = ld_strings_bytes(svc->env, svc->nenv) + strlen(value) + 1;
	if (bytes > ENV_BYTES_MAX) {
		ld_error(ld, ld->lineno,
			 "environment of %s is too long (%zu bytes, limit %d): shorten it, or move "
			 "the data into a file the program reads",
			 label, bytes, ENV_BYTES_MAX);
		return;
	}
	/* Grow by doubling; MAX_ENV bounds it. */
	if ((svc->nenv & (svc->nenv - 1)) == 0) {
		env = realloc(svc->env, (size_t)(svc->nenv ? svc->nenv * 2 : 1) * sizeof(*env));
		if (!env) {
			ld->oom = true;
			return;
		}
		svc->env = env;
	}
	svc->env[svc->nenv] = ld_dup(ld, value, strlen(value));
	if (svc->env[svc->nenv])
		svc->nenv++;
}

void set_args_env(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);

	if (*value && !env_name_ok(value, strlen(value))) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use an environment variable name made of letters, "
			 "digits and _, not starting with a digit",
			 value, key);
		return;
	}
	free(svc->args_env);
	svc->args_env = *value ? ld_dup(ld, value, strlen(value)) : NULL;
}

void set_workdir(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = ld_svc(ld);

	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path", value, key);
		return;
	}
	free(svc->workdir);
	svc->workdir = ld_dup(ld, value, strlen(value));
}

void set_log(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "prefix", "inherit", "null" };
	struct cfg_service *svc = ld_svc(ld);
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(value, names[i]) == 0) {
			svc->log = (enum log_mode)i;
			return;
		}
	}
	if (strncmp(value, "file:", 5) == 0) {
		if (value[5] != '/') {
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: the file path must be absolute, e.g. "
				 "file:/var/log/%s.log",
				 value, key, svc->name);
			return;
		}
		free(svc->log_path);
		svc->log_path = ld_dup(ld, value + 5, strlen(value + 5));
		svc->log = LOGMODE_FILE;
		return;
	}
	ld_error(ld, ld->lineno,
		 "bad value '%s' for %s: expected prefix, inherit, null or file:/absolute/path",
		 value, key);
}

static bool get_probe(struct loader *ld, const char *key, const char *value, struct probe_spec *out)
{
	const char *err = NULL;
	int r = probe_spec_parse(value, out, &err);

	if (r == -ENOMEM) {
		ld->oom = true;
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: %s", value, key, err);
		return false;
	}
	return true;
}

void set_ready(struct loader *ld, const char *key, const char *value)
{
	(void)get_probe(ld, key, value, &ld_svc(ld)->ready);
}

void set_ready_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld_svc(ld)->ready_timeout_ms);
}

void set_ready_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &ld_svc(ld)->ready_interval_ms);
}

void set_health(struct loader *ld, const char *key, const char *value)
{
	struct probe_spec p;

	if (!get_probe(ld, key, value, &p))
		return;
	if (p.kind == PROBE_NOTIFY) {
		probe_spec_release(&p);
		ld_error(ld, ld->lineno,
			 "health cannot be notify: use watchdog = DURATION for sd_notify "
			 "keep-alives");
		return;
	}
	ld_svc(ld)->health = p;
}

void set_health_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &ld_svc(ld)->health_interval_ms);
}

void set_health_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &ld_svc(ld)->health_timeout_ms);
}

void set_health_retries(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (parse_uint(value, &v) < 0 || v < 1) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use a whole number of 1 or more",
			 value, key);
		return;
	}
	ld_svc(ld)->health_retries = v;
}

void set_watchdog(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld_svc(ld)->watchdog_ms);
}

void set_notify_access(struct loader *ld, const char *key, const char *value)
{
	/* In the enum's order: none, main. */
	static const char *const names[] = { "none", "main" };
	int v;

	if (get_choice(ld, key, value, names, 2, "main or none", &v))
		ld_svc(ld)->notify_access = (enum notify_access)v;
}

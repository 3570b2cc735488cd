/* The keys of [init] and [service:NAME] that need code of their own: what the key table's value
 * types cannot say (lists of names, command lines, conditions, probes, the environment). The
 * privileges keys are in privileges.c. Each setter records its own error and leaves the value
 * as it was on a bad value. */
#include "config/setters.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "config/privileges.h"
#include "config/values.h"

/* [init] */

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

/* An absolute path that fits a unix socket address, or none. */
void set_control_socket(struct loader *ld, const char *key, const char *value)
{
	size_t n = strlen(value);

	if (value[0] == '/' && n > SUN_PATH_MAX)
		ld_error(ld, ld->lineno,
			 "bad value for %s: unix socket path too long (%zu bytes, limit %zu): use "
			 "a shorter path",
			 key, n, SUN_PATH_MAX);
	else
		key_set_path(ld, ld->key, value);
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

/* [init]'s: dind-init's own limit, which its services inherit. */
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

/* Kept for the files that have it: yes is the only setting, and no is an error that says what
 * to use instead. The file must not relax the check of itself: whoever can write it is exactly
 * whom the check stops (see safety_check_config, file_safety.c); that decision comes from outside
 * the file. */
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

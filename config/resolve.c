/* The final command lines, after the load: the arguments from outside (cfg_append_args,
 * cfg_replace_command), then cfg_resolve (when, args_if, ${...}, control_group). */
#include "config/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/accounts.h"
#include "config/loader.h"
#include "config/parse.h"

int cfg_append_args(struct config *cfg, int idx, char *const *words, int nwords)
{
	struct cfg_service *svc;
	char **copies, **argv;
	int i;

	if (idx < 0 || idx >= cfg->nservices || nwords < 0)
		return -EINVAL;
	svc = &cfg->services[idx];
	if (nwords == 0)
		return 0;
	if (svc->user_start < 0)
		svc->user_start = svc->argc;
	if (nwords > ARGV_MAX_WORDS - svc->argc ||
	    ld_strings_bytes(svc->argv, svc->argc) + ld_strings_bytes(words, nwords) >
		    ARGV_BYTES_MAX)
		return -E2BIG;
	/* Copy first, so a failure leaves argv as it was. */
	copies = calloc((size_t)nwords, sizeof(*copies));
	if (!copies)
		return -ENOMEM;
	for (i = 0; i < nwords; i++) {
		copies[i] = strdup(words[i]);
		if (!copies[i])
			goto oom;
	}
	argv = realloc(svc->argv, (size_t)(svc->argc + nwords + 1) * sizeof(*argv));
	if (!argv)
		goto oom;
	memcpy(argv + svc->argc, copies, (size_t)nwords * sizeof(*argv));
	svc->argc += nwords;
	argv[svc->argc] = NULL;
	svc->argv = argv;
	free(copies);
	return 0;
oom:
	for (i = 0; i < nwords; i++)
		free(copies[i]);
	free(copies);
	return -ENOMEM;
}

int cfg_replace_command(struct config *cfg, int idx, char *const *words, int nwords)
{
	struct cfg_service *svc;
	char **old;
	int old_argc, r;

	if (idx < 0 || idx >= cfg->nservices || nwords < 1)
		return -EINVAL;
	svc = &cfg->services[idx];
	old = svc->argv;
	old_argc = svc->argc;
	svc->argv = NULL;
	svc->argc = 0;
	svc->user_start = -1;
	r = cfg_append_args(cfg, idx, words, nwords);
	if (r < 0) {
		argv_free(svc->argv);
		svc->argv = old;
		svc->argc = old_argc;
		return r;
	}
	argv_free(old);
	svc->replaced = true;
	svc->user_start = 0;
	return 0;
}

struct resolve_ctx {
	const struct config *cfg;
	const struct cfg_service *svc;
	cfg_getenv_fn *getenv_fn;
	void *ctx;
};

static const char *resolve_getenv(const char *name, void *data)
{
	const struct resolve_ctx *rc = data;

	return rc->getenv_fn(name, rc->ctx);
}

static bool resolve_has_arg(const char *option, void *data)
{
	const struct resolve_ctx *rc = data;
	const struct cfg_service *svc = rc->svc;

	if (svc->user_start < 0)
		return false;
	return args_have_option(svc->argv + svc->user_start, svc->argc - svc->user_start, option);
}

static bool resolve_replaced(const char *name, void *data)
{
	const struct resolve_ctx *rc = data;
	int i = cfg_find_service(rc->cfg, name);

	return i >= 0 && rc->cfg->services[i].replaced;
}

/* Append the words of src (split and expanded) to the growing array v of n words. */
static int resolve_append(struct resolve_ctx *rc, const char *src, char ***v, int *n)
{
	char **words, **grown;
	const char *err;
	int k, r;

	r = argv_split_env(src, resolve_getenv, rc, &words, &k, &err);
	if (r < 0)
		return r == -EINVAL ? -E2BIG : r; /* the syntax was checked when loading */
	if (*n + k > ARGV_MAX_WORDS) {
		argv_free(words);
		return -E2BIG;
	}
	grown = realloc(*v, (size_t)(*n + k + 1) * sizeof(**v));
	if (!grown) {
		argv_free(words);
		return -ENOMEM;
	}
	memcpy(grown + *n, words, (size_t)k * sizeof(*words));
	*n += k;
	grown[*n] = NULL;
	*v = grown;
	free(words);
	return 0;
}

/* control_group, expanded: a number, or a name from the group file. */
static int resolve_control_group(struct config *cfg, struct resolve_ctx *rc, char *err, size_t len)
{
	struct account a = { 0 };
	const char *e;
	uint32_t id;
	char **w;
	int n, r;

	cfg->has_control_gid = false;
	if (!cfg->control_group)
		return 0;
	r = argv_split_env(cfg->control_group, resolve_getenv, rc, &w, &n, &e);
	if (r < 0) {
		snprintf(err, len, "control_group %s: %s", cfg->control_group, e);
		return r;
	}
	if (n == 0 || strcmp(w[0], "none") == 0) {
		argv_free(w);
		return 0; /* expanded to nothing: root only */
	}
	if (account_all_digits(w[0], strlen(w[0]))) {
		r = account_parse_id(w[0], strlen(w[0]), &id) ? 1 : -ERANGE;
	} else {
		r = account_find(account_group_file(), false, w[0], strlen(w[0]), 0, &a);
		id = a.id;
		free(a.name);
	}
	if (r <= 0) {
		snprintf(err, len,
			 r == -ERANGE ? "control_group '%s' (%s): a gid is at most 4294967294"
			 : r == 0     ? "control_group '%s' (%s): no such group in the group file; "
					"use a number, or make the group (groupadd --system NAME; "
					"DOCKER_GROUP_GID=GID gives the default config's a number)"
				  : "control_group '%s' (%s): cannot read the group file; use a "
				    "number",
			 w[0], cfg->control_group);
		argv_free(w);
		return r < 0 ? r : -ENOENT;
	}
	argv_free(w);
	cfg->control_gid = id;
	cfg->has_control_gid = true;
	return 0;
}

int cfg_resolve(struct config *cfg, cfg_getenv_fn *getenv_fn, void *ctx, char *err, size_t len)
{
	struct resolve_ctx grc = { cfg, NULL, getenv_fn, ctx };
	int gr = resolve_control_group(cfg, &grc, err, len);

	if (gr < 0)
		return gr;
	for (int i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];
		struct resolve_ctx rc = { cfg, svc, getenv_fn, ctx };
		struct cond_env env = { resolve_getenv, resolve_has_arg, resolve_replaced, &rc };
		int start = svc->user_start < 0 ? svc->argc : svc->user_start;
		char **v = NULL;
		int n = 0, r = 0;

		svc->skip = svc->when.n > 0 && !cond_eval(&svc->when, &env);
		/* The configured command, expanded now; or the one COMMAND gave, as it is. */
		if (!svc->replaced)
			r = resolve_append(&rc, svc->command_text ? svc->command_text : "", &v, &n);
		int base = n;

		if (r == 0 && svc->argc - start > ARGV_MAX_WORDS - n)
			r = -E2BIG;
		if (r == 0) {
			char **grown = realloc(v, (size_t)(n + svc->argc - start + 1) * sizeof(*v));

			if (!grown)
				r = -ENOMEM;
			else
				v = grown;
		}
		for (int k = start; r == 0 && k < svc->argc; k++) {
			v[n] = strdup(svc->argv[k]);
			if (!v[n])
				r = -ENOMEM;
			else
				v[++n] = NULL;
		}
		/* Conditions look at the arguments from outside as they came, before any args_if.
		 */
		for (int k = 0; r == 0 && k < svc->nargs_if; k++) {
			struct cfg_args_if *a = &svc->args_if[k];

			int n0 = n;

			a->held = cond_eval(&a->cond, &env);
			if (a->held)
				r = resolve_append(&rc, a->words ? a->words : "", &v, &n);
			if (r == 0 && a->held) {
				char *shown = malloc(1024);

				if (shown)
					(void)argv_format(v + n0, shown, 1024);
				free(a->expanded);
				a->expanded = shown;
			}
		}
		if (r == 0 && ld_strings_bytes(v, n) > ARGV_BYTES_MAX)
			r = -E2BIG;
		if (r == 0 && n == 0)
			r = -EINVAL;
		if (r < 0) {
			if (v) {
				v[n] = NULL;
				argv_free(v);
			}
			snprintf(err, len,
				 r == -E2BIG ? "the command line of service %s is too long after "
					       "${...} and args_if (limits: %d words, %d bytes)"
				 : r == -EINVAL
					 ? "the command line of service %s is empty after "
					   "${...} expansion (limits: %d words, %d bytes)"
					 : "out of memory making the command line of service "
					   "%s (limits: %d words, %d bytes)",
				 svc->name, ARGV_MAX_WORDS, ARGV_BYTES_MAX);
			return r;
		}
		if (svc->user_start >= 0)
			svc->user_start = base; /* the arguments from outside follow the command */
		argv_free(svc->argv);
		svc->argv = v;
		svc->argc = n;
	}
	cfg->resolved = true;
	return 0;
}

/* Conditions on the environment and on COMMAND's arguments, for `when` and `args_if`:
 *
 *   NAME             the variable NAME is set and not empty
 *   NAME=PATTERN     it is set and its value matches PATTERN (shell glob: * ? [...])
 *   arg:OPTION       the service's arguments from outside (COMMAND's via args_to, $args_env, or a
 *                    whole command line that replaced `command`) hold OPTION: --opt, --opt=VALUE,
 *                    --opt VALUE, -o, -oVALUE or -o VALUE (args_if only)
 *   arg:OPTION=VALUE the same with that value (--host=unix:///x matches --host=unix:///x,
 *                    --host unix:///x; -H=unix:///x matches -Hunix:///x and -H unix:///x)
 *   replaced:NAME    service NAME's command line was replaced by COMMAND's (`dockerd ...`)
 *   !CONDITION       the opposite
 *
 * A list holds when every condition holds. Pure: parsing, formatting and evaluation take their
 * inputs from the caller. */
#ifndef DIND_COND_H
#define DIND_COND_H

#include <stdbool.h>
#include <stddef.h>

#define COND_MAX 8 /* conditions in one list */

enum cond_kind { COND_ENV_SET, COND_ENV_MATCH, COND_ARG, COND_REPLACED };

struct cond {
	enum cond_kind kind;
	bool negate;
	char *name;    /* variable, option or service name; owned */
	char *pattern; /* COND_ENV_MATCH; owned */
};

struct cond_list {
	struct cond v[COND_MAX];
	int n;
};

/* What conditions are evaluated against. */
struct cond_env {
	const char *(*getenv)(const char *name, void *ctx); /* NULL when unset */
	bool (*has_arg)(const char *option, void *ctx);	    /* arg:OPTION */
	bool (*replaced)(const char *service, void *ctx);   /* replaced:NAME */
	void *ctx;
};

/* Parse blank-separated conditions from text, up to its end, or (when stop_at_colon) up to a word
 * ":" alone; *rest then points after that ':' (or at the end). Returns 0, or -EINVAL with *err a
 * static message, or -ENOMEM. On error the list is released. */
int cond_parse(const char *text, bool stop_at_colon, struct cond_list *out, const char **rest,
	       const char **err);
void cond_release(struct cond_list *l);

bool cond_eval(const struct cond_list *l, const struct cond_env *env);

/* "DOCKER_TLS_CERTDIR !arg:--host" back as text (always NUL-terminated). */
const char *cond_format(const struct cond_list *l, char *buf, size_t len);

/* Does argv[0..argc) hold OPTION ("--host" matches "--host", "--host=X" and "--host X"; "-H"
 * matches "-H", "-HX" and "-H X")? With "OPTION=VALUE", only with that value. Stops at a "--"
 * word. */
bool args_have_option(char *const *argv, int argc, const char *option);

#endif

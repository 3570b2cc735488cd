/* Conditions for `when` and `args_if`: see cond.h. */
#include "config/cond.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > ENV_NAME_MAX || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

static int parse_one(const char *w, size_t n, struct cond *c, const char **err)
{
	const char *eq;

	memset(c, 0, sizeof(*c));
	if (n > 0 && w[0] == '!') {
		c->negate = true;
		w++, n--;
	}
	if (n > 4 && strncmp(w, "arg:", 4) == 0) {
		c->kind = COND_ARG;
		w += 4, n -= 4;
		if (w[0] != '-' || n < 2 || (n == 2 && w[1] == '-')) {
			*err = "arg: needs an option, such as arg:--host or arg:-H";
			return -EINVAL;
		}
	} else if (n > 9 && strncmp(w, "replaced:", 9) == 0) {
		c->kind = COND_REPLACED;
		w += 9, n -= 9;
	} else if ((eq = memchr(w, '=', n))) {
		c->kind = COND_ENV_MATCH;
		if (!name_ok(w, (size_t)(eq - w))) {
			*err = "bad variable name before '=' (letters, digits and '_')";
			return -EINVAL;
		}
		c->pattern = strndup(eq + 1, n - (size_t)(eq + 1 - w));
		n = (size_t)(eq - w);
		if (!c->pattern)
			return -ENOMEM;
	} else {
		c->kind = COND_ENV_SET;
		if (!name_ok(w, n)) {
			*err = "expected NAME, NAME=PATTERN, arg:OPTION or replaced:SERVICE, each "
			       "with an optional '!' before it";
			return -EINVAL;
		}
	}
	c->name = strndup(w, n);
	if (!c->name)
		return -ENOMEM;
	return 0;
}

void cond_release(struct cond_list *l)
{
	for (int i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].pattern);
	}
	l->n = 0;
}

int cond_parse(const char *text, bool stop_at_colon, struct cond_list *out, const char **rest,
	       const char **err)
{
	const char *p = text;
	int r = 0;

	out->n = 0;
	*err = NULL;
	for (;;) {
		const char *w;
		size_t n;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && !is_blank(*p))
			p++;
		n = (size_t)(p - w);
		if (stop_at_colon && n == 1 && *w == ':') {
			if (rest)
				*rest = p;
			if (out->n == 0) {
				*err = "no condition before ':'";
				r = -EINVAL;
			}
			goto done;
		}
		if (stop_at_colon && *w == '-') {
			/* An option before any ':': the separator was forgotten. */
			*err = "expected CONDITIONS : WORDS (a ':' alone between them)";
			r = -EINVAL;
			goto done;
		}
		if (out->n == COND_MAX) {
			*err = "too many conditions (limit 8)";
			r = -EINVAL;
			goto done;
		}
		r = parse_one(w, n, &out->v[out->n], err);
		if (r < 0) {
			free(out->v[out->n].pattern);
			goto done;
		}
		out->n++;
	}
	if (stop_at_colon) {
		*err = "expected CONDITIONS : WORDS (a ':' alone between them)";
		r = -EINVAL;
	} else if (out->n == 0) {
		*err = "expected at least one condition";
		r = -EINVAL;
	}
	if (rest)
		*rest = p;
done:
	if (r < 0) {
		if (r == -ENOMEM)
			*err = "out of memory";
		cond_release(out);
	}
	return r;
}

bool args_have_option(char *const *argv, int argc, const char *option)
{
	const char *eq = strchr(option, '=');
	size_t n = eq ? (size_t)(eq - option) : strlen(option);
	const char *value = eq ? eq + 1 : NULL;
	bool is_long = n > 2 && option[1] == '-';

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *given;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, option, n) != 0)
			continue;
		if (a[n] == '\0')
			given = i + 1 < argc ? argv[i + 1] : NULL; /* --opt VALUE, -o VALUE */
		else if (a[n] == '=' || !is_long)
			given = a + n + (a[n] == '='); /* --opt=VALUE, -oVALUE, -o=VALUE */
		else
			continue; /* --hostname is not --host */
		if (!value || (given && strcmp(given, value) == 0))
			return true;
	}
	return false;
}

static bool eval_one(const struct cond *c, const struct cond_env *env)
{
	const char *v;

	switch (c->kind) {
	case COND_ENV_SET:
		v = env->getenv ? env->getenv(c->name, env->ctx) : NULL;
		return v && *v;
	case COND_ENV_MATCH:
		v = env->getenv ? env->getenv(c->name, env->ctx) : NULL;
		return v && fnmatch(c->pattern, v, 0) == 0;
	case COND_ARG:
		return env->has_arg && env->has_arg(c->name, env->ctx);
	case COND_REPLACED:
		return env->replaced && env->replaced(c->name, env->ctx);
	}
	return false;
}

bool cond_eval(const struct cond_list *l, const struct cond_env *env)
{
	for (int i = 0; i < l->n; i++)
		if (eval_one(&l->v[i], env) == l->v[i].negate)
			return false;
	return true;
}

const char *cond_format(const struct cond_list *l, char *buf, size_t len)
{
	size_t pos = 0;

	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < l->n && pos < len; i++) {
		const struct cond *c = &l->v[i];
		const char *prefix = c->kind == COND_ARG	? "arg:"
				     : c->kind == COND_REPLACED ? "replaced:"
								: "";
		int k = snprintf(buf + pos, len - pos, "%s%s%s%s%s%s", i ? " " : "",
				 c->negate ? "!" : "", prefix, c->name,
				 c->kind == COND_ENV_MATCH ? "=" : "",
				 c->kind == COND_ENV_MATCH ? c->pattern : "");

		if (k < 0)
			break;
		pos += (size_t)k;
	}
	return buf;
}

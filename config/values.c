/* The readers of the key table's value types (see values.h): for one row, a value read into its
 * field (durations, booleans, choices, numbers, signals, limits, paths, strings), the field's
 * default, and what it owns freed. The table that holds the rows is keys.c. */
#include "config/values.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/parse.h"

/* Timer code adds durations to a monotonic clock in nanoseconds: a cap far below INT64_MAX
 * keeps that arithmetic from overflowing, and no timeout here needs more than a year. */
#define DURATION_MAX_MS ((int64_t)8760 * 60 * 60 * 1000)

/* The field of k in the current section. */
static void *field(struct loader *ld, const struct key_def *k)
{
	void *base = k->base == B_SERVICE ? (void *)ld_svc(ld)
		     : k->base == B_PRIVS ? (void *)ld_privs(ld)
					  : (void *)ld->cfg;

	return (char *)base + k->off;
}

/* Through memcpy: the field is an int, an enum, a bool, a long or an int64_t. */
static void store(void *p, unsigned size, int64_t v)
{
	if (size == sizeof(bool)) {
		bool b = v != 0;

		memcpy(p, &b, sizeof(b));
	} else if (size == sizeof(int)) {
		int i = (int)v;

		memcpy(p, &i, sizeof(i));
	} else {
		memcpy(p, &v, sizeof(v));
	}
}

static const char *get_str(const void *p)
{
	const char *s;

	memcpy(&s, p, sizeof(s));
	return s;
}

static void put_str(void *p, const char *s)
{
	memcpy(p, &s, sizeof(s));
}

/* p is one of k's defaults (static storage, never freed): a path or string field only ever holds
 * its own row's default or a copy the loader made. */
static bool is_default(const struct key_def *k, const char *p)
{
	if (k->type == KT_PATHS) {
		for (const char *const *d = k->d.list; *d; d++)
			if (p == *d)
				return true;
		return false;
	}
	return p == k->d.str;
}

static void free_str(const struct key_def *k, const char *p)
{
	if (p && !is_default(k, p))
		free((char *)p);
}

/* The readers of the value types. Each records its own error; false on a bad value. */

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
	if (ms <= 0 && ld->key->type == KT_DURATION_POS) {
		ld_error(ld, ld->lineno, "bad duration '%s' for %s: it must be longer than 0",
			 value, key);
		return false;
	}
	*out = ms;
	return true;
}

/* "a, b or c" */
static void join_names(const struct key_choice *c, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->n && pos < len; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s",
					!i		? ""
					: i == c->n - 1 ? " or "
							: ", ",
					c->names[i]);
}

static bool get_choice(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	const struct key_choice *c = ld->key->d.choice;
	char expected[128];

	for (int i = 0; i < c->n; i++) {
		if (strcmp(value, c->names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	if (!c->expected)
		join_names(c, expected, sizeof(expected));
	ld_error(ld, ld->lineno, "bad value '%s' for %s: expected %s", value, key,
		 c->expected ? c->expected : expected);
	return false;
}

static bool get_uint(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	const struct key_def *k = ld->key;
	int v;

	if (parse_uint(value, &v) < 0 || v < k->min || (k->max && v > k->max)) {
		if (k->max)
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: use a whole number from %d to %d", value,
				 key, k->min, k->max);
		else
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: use a whole number of %d or more", value,
				 key, k->min);
		return false;
	}
	*out = v;
	return true;
}

static bool get_bool(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	bool b;

	if (parse_bool(value, &b) < 0) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
		return false;
	}
	*out = b;
	return true;
}

static bool get_signal(struct loader *ld, const char *key, const char *value, int64_t *out)
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

static bool get_tristate(struct loader *ld, const char *key, const char *value, int64_t *out)
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

/* A per-process limit: a whole number or "unlimited". */
static bool get_rlimit(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	size_t i, n = strlen(value);
	long v = 0;

	if (strcmp(value, "unlimited") == 0 || strcmp(value, "infinity") == 0) {
		*out = (long)RLIM_INFINITY;
		return true;
	}
	for (i = 0; i < n && value[i] >= '0' && value[i] <= '9'; i++) {
		if (v > (LONG_MAX - (value[i] - '0')) / 10)
			break;
		v = v * 10 + (value[i] - '0');
	}
	if (n == 0 || i < n) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use a whole number from 0 to %ld, or unlimited",
			 value, key, LONG_MAX);
		return false;
	}
	*out = v;
	return true;
}

static bool get_umask(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	size_t i, n = strlen(value);
	int v = 0;

	for (i = 0; i < n && value[i] >= '0' && value[i] <= '7' && v <= 0777; i++)
		v = v * 8 + (value[i] - '0');
	if (n == 0 || i < n || v > 0777) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use an octal number from 0 to 0777, e.g. 022",
			 value, key);
		return false;
	}
	*out = v;
	return true;
}

/* The length of p (n bytes) without trailing '/': "/run/" and "/run" are the same path. */
static size_t path_len(const char *p, size_t n)
{
	while (n > 1 && p[n - 1] == '/')
		n--;
	return n;
}

void key_set_path(struct loader *ld, const struct key_def *k, const char *value)
{
	void *p = field(ld, k);
	char *copy = NULL;

	if (((k->flags & K_NONE) && strcmp(value, "none") == 0) ||
	    ((k->flags & K_EMPTY) && !*value)) {
		/* no path */
	} else if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path%s", value,
			 k->name, k->flags & K_NONE ? " or none" : "");
		return;
	} else {
		copy = ld_dup(ld, value,
			      k->flags & K_TRIM ? path_len(value, strlen(value)) : strlen(value));
		if (!copy)
			return;
	}
	free_str(k, get_str(p));
	put_str(p, copy);
}

static void set_string(struct loader *ld, const struct key_def *k, const char *value)
{
	void *p = field(ld, k);
	char *copy = NULL;

	if (*value && strcmp(value, "none") != 0) {
		copy = ld_dup(ld, value, strlen(value));
		if (!copy)
			return;
	}
	free_str(k, get_str(p));
	put_str(p, copy);
}

/* One path of a KT_PATHS list (ld->key); false stops the line (the list is full). */
static bool add_path(struct loader *ld, const char *p, size_t len)
{
	const struct key_def *k = ld->key;
	char **paths = field(ld, k);
	int *n = (int *)(void *)((char *)ld->cfg + k->off_n);
	int i;

	if (p[0] != '/') {
		ld_error(ld, ld->lineno, "bad path '%.*s' in %s: use absolute paths", (int)len, p,
			 k->name);
		return true; /* go on: report every bad path of the line */
	}
	len = path_len(p, len);
	if ((k->flags & K_NOT_ROOT) && len == 1) {
		ld_error(ld, ld->lineno,
			 "bad path '/' in %s: a tmpfs there would hide the whole image; remove it",
			 k->name);
		return true;
	}
	for (i = 0; i < *n; i++)
		if (strlen(paths[i]) == len && strncmp(paths[i], p, len) == 0)
			return true; /* listed twice: harmless */
	if (*n >= MAX_SETUP_PATHS) {
		ld_error(ld, ld->lineno, "too many paths in %s (limit %d): remove some", k->name,
			 MAX_SETUP_PATHS);
		return false;
	}
	paths[*n] = ld_dup(ld, p, len);
	if (!paths[*n])
		return false;
	(*n)++;
	return true;
}

static void clear_paths(const struct key_def *k, char **paths, int *n)
{
	for (int i = 0; i < *n; i++) {
		free_str(k, paths[i]);
		paths[i] = NULL;
	}
	*n = 0;
}

static bool (*const readers[KT_STRING + 1])(struct loader *, const char *, const char *,
					    int64_t *) = {
	[KT_DURATION] = get_duration, [KT_DURATION_POS] = get_duration, [KT_BOOL] = get_bool,
	[KT_UINT] = get_uint,	      [KT_SIGNAL] = get_signal,		[KT_CHOICE] = get_choice,
	[KT_TRISTATE] = get_tristate, [KT_RLIMIT] = get_rlimit,		[KT_UMASK] = get_umask,
};

void key_apply(struct loader *ld, const struct key_def *k, const char *value)
{
	int64_t v;

	ld->key = k;
	if (k->set) {
		k->set(ld, k->name, value);
		return;
	}
	switch (k->type) {
	case KT_PATH:
		key_set_path(ld, k, value);
		break;
	case KT_STRING:
		set_string(ld, k, value);
		break;
	case KT_PATHS:
		/* The key line replaces the default list (an empty value leaves none); its
		 * indented lines add. */
		if (ld->kind == LINE_KEY)
			clear_paths(k, field(ld, k), (int *)(void *)((char *)ld->cfg + k->off_n));
		ld_for_each_name(ld, value, add_path);
		break;
	default:
		if (readers[k->type] && readers[k->type](ld, k->name, value, &v))
			store(field(ld, k), k->size, v);
		break;
	}
}

void key_reset(const struct key_def *k, void *obj, bool release)
{
	char *p = (char *)obj + k->off;

	if (k->type == KT_PATHS) {
		int *n = (int *)(void *)((char *)obj + k->off_n);

		if (release)
			clear_paths(k, (char **)(void *)p, n);
		/* Nothing writes through these: the cast only fits the owned-path field. */
		for (*n = 0; k->d.list[*n]; (*n)++)
			put_str(p + (size_t)*n * sizeof(char *), k->d.list[*n]);
	} else if (k->type == KT_PATH || k->type == KT_STRING) {
		if (release)
			free_str(k, get_str(p));
		put_str(p, k->d.str);
	} else {
		store(p, k->size, k->dflt);
	}
}

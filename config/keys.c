/* The key table: one row per key (see keys.h), the readers of its value types, the defaults and
 * what cfg_release frees, and the "unknown key" suggestions. Like OpenBSD ntpd's keywords[]:
 * adding a plain key is its field, one row here and its documentation. */
#include "config/keys.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/parse.h"
#include "config/privileges.h"
#include "config/setters.h"

/* Timer code adds durations to a monotonic clock in nanoseconds: a cap far below INT64_MAX
 * keeps that arithmetic from overflowing, and no timeout here needs more than a year. */
#define DURATION_MAX_MS ((int64_t)8760 * 60 * 60 * 1000)

/* offsetof(st, f), and a compile error ("size of unnamed array is negative") unless field f has
 * type T: a row cannot point a reader at a field of another type. */
#define OFF(st, f, T)                                                                              \
	(offsetof(st, f) + 0 * sizeof(char[_Generic(((st *)0)->f, T : 1, default : -1)]))
#define FIELD(st, f, T) .off = OFF(st, f, T), .size = sizeof(((st *)0)->f)

/* Where the value of a key goes: [init] and [main]'s own keys into struct config, the others
 * into the service or into the privileges of the section. */
#define INIT(f, T) .sections = S_INIT, .base = B_CONFIG, FIELD(struct config, f, T)
#define MAIN(f, T) .sections = S_MAIN, .base = B_CONFIG, FIELD(struct config, main.f, T)
#define SVC(f, T)  .sections = S_SVC, .base = B_SERVICE, FIELD(struct cfg_service, f, T)
#define PRIV(f, T) .sections = S_MAIN | S_SVC, .base = B_PRIVS, FIELD(struct cfg_privs, f, T)

/* One macro per value type: where (INIT, MAIN, SVC or PRIV), the field, then the default. */
#define DURATION(where, f, dfl)	    where(f, int64_t), .type = KT_DURATION, .dflt = (dfl)
#define DURATION_POS(where, f, dfl) where(f, int64_t), .type = KT_DURATION_POS, .dflt = (dfl)
#define BOOL(where, f, dfl)	    where(f, bool), .type = KT_BOOL, .dflt = (dfl)
#define UINT(where, f, lo, hi, dfl)                                                                \
	where(f, int), .type = KT_UINT, .min = (lo), .max = (hi), .dflt = (dfl)
#define SIGNAL(where, f, dfl)	    where(f, int), .type = KT_SIGNAL, .dflt = (dfl)
#define CHOICE(where, f, T, c, dfl) where(f, T), .type = KT_CHOICE, .d.choice = &(c), .dflt = (dfl)
#define TRISTATE(where, f)	    where(f, enum tristate), .type = KT_TRISTATE, .dflt = TRI_AUTO
#define RLIMIT(where, f)	    where(f, long), .type = KT_RLIMIT, .dflt = RLIMIT_UNSET
#define UMASK(where, f)		    where(f, int), .type = KT_UMASK, .dflt = -1
#define PATH(where, f, T, fl, dfl)  where(f, T), .type = KT_PATH, .flags = (fl), .d.str = (dfl)
#define STRING(where, f)	    where(f, char *), .type = KT_STRING
#define PATHS(f, fl, dfl)                                                                          \
	INIT(setup.f, char **), .off_n = OFF(struct config, setup.n##f, int), .type = KT_PATHS,    \
				.flags = (fl), .d.list = (dfl)
/* A key whose setter does everything, in sections. */
#define CUSTOM(sec, fn) .sections = (sec), .set = (fn)

const char *const key_names_tristate[] = { "auto", "yes", "no" };
const char *const key_names_cgroups[] = { "auto", "v1", "v2", "no" };
const char *const key_names_iptables[] = { "auto", "legacy", "nft", "no" };
const char *const key_names_svc_type[] = { "simple", "notify", "oneshot" };
const char *const key_names_restart[] = { "always", "on-failure", "no" };
static const char *const names_log_level[] = { "error", "warn", "info", "debug" };
static const char *const names_on_main_exit[] = { "shutdown", "ignore" };
static const char *const names_output[] = { "stdout", "stderr" };
static const char *const names_notify_access[] = { "none", "main" };
static const char *const names_mtu[] = { "no", "auto" }; /* mtu_auto: false, true */

#define NAMES(v) v, sizeof(v) / sizeof(v[0])
static const struct key_choice choice_log_level = { NAMES(names_log_level), NULL };
static const struct key_choice choice_on_main_exit = { NAMES(names_on_main_exit), NULL };
static const struct key_choice choice_cgroups = { NAMES(key_names_cgroups), NULL };
static const struct key_choice choice_iptables = { NAMES(key_names_iptables), NULL };
static const struct key_choice choice_output = { NAMES(names_output), NULL };
static const struct key_choice choice_mtu = { NAMES(names_mtu), "auto or no" };
static const struct key_choice choice_svc_type = { NAMES(key_names_svc_type), NULL };
static const struct key_choice choice_restart = { NAMES(key_names_restart), NULL };
static const struct key_choice choice_notify_access = { NAMES(names_notify_access),
							"main or none" };

const char *const key_default_mount_tmpfs[] = { "/run", "/tmp", NULL };
/* containerd's and dockerd's state, pid files and sockets (mount_tmpfs makes it a tmpfs) */
const char *const key_default_writable_paths[] = { "/run", NULL };
const char *const key_default_stale_files[] = {
	"/var/run/docker.pid",
	"/run/docker.pid",
	"/run/containerd/containerd.pid",
	"/var/run/docker.sock",
	"/run/docker.sock",
	"/run/containerd/containerd.sock",
	NULL,
};

_Static_assert(sizeof(key_default_mount_tmpfs) / sizeof(char *) <= MAX_SETUP_PATHS + 1 &&
		       sizeof(key_default_stale_files) / sizeof(char *) <= MAX_SETUP_PATHS + 1 &&
		       sizeof(key_default_writable_paths) / sizeof(char *) <= MAX_SETUP_PATHS + 1,
	       "raise MAX_SETUP_PATHS");

/* In each section's order, which "valid keys are ..." lists: [init], then [service:NAME] with
 * [main]'s own two next to the service's, then the privileges of both. */
static const struct key_def keys[] = {
	/* [init] */
	{ "log_level",
	  CHOICE(INIT, log_level, enum cfg_log_level, choice_log_level, CFG_LOG_INFO) },
	{ "shutdown_timeout", DURATION(INIT, shutdown_timeout_ms, 30 * 1000) },
	{ "main_after", CUSTOM(S_INIT, set_main_after), .flags = K_LIST | K_REPEAT },
	{ "on_main_exit", CHOICE(INIT, on_main_exit, enum on_main_exit, choice_on_main_exit,
				 ON_MAIN_EXIT_SHUTDOWN) },
	{ "control_socket",
	  PATH(INIT, control_socket, const char *, K_NONE, DEFAULT_CONTROL_SOCKET),
	  .set = set_control_socket },
	{ "runtime_dir", PATH(INIT, runtime_dir, const char *, K_TRIM, DEFAULT_RUNTIME_DIR) },
	{ "setup", TRISTATE(INIT, setup.setup) },
	/* Path lists continue on indented lines but are not repeated: the key line replaces the
	 * default list. */
	{ "mount_tmpfs", PATHS(mount_tmpfs, K_LIST | K_NOT_ROOT, key_default_mount_tmpfs) },
	{ "securityfs", TRISTATE(INIT, setup.securityfs) },
	{ "sys_rw", TRISTATE(INIT, setup.sys_rw) },
	{ "cgroups", CHOICE(INIT, setup.cgroups, enum cgroup_mode, choice_cgroups, CGROUPS_AUTO) },
	{ "iptables",
	  CHOICE(INIT, setup.iptables, enum iptables_mode, choice_iptables, IPTABLES_AUTO) },
	{ "make_rshared", BOOL(INIT, setup.make_rshared, true) },
	{ "stale_files", PATHS(stale_files, K_LIST, key_default_stale_files) },
	/* dind-init's own limit, not a started process's (rlimit_nofile of the privileges) */
	{ "rlimit_nofile", INIT(setup.rlimit_nofile, long), .dflt = RLIMIT_NOFILE_HARD,
	  .set = set_rlimit_nofile },
	{ "data_root", PATH(INIT, setup.data_root, char *, K_NONE | K_TRIM, DEFAULT_DATA_ROOT) },
	{ "preflight", TRISTATE(INIT, setup.preflight) },
	{ "writable_paths", PATHS(writable_paths, K_LIST, key_default_writable_paths) },
	{ "service_output",
	  CHOICE(INIT, service_output, enum output_sink, choice_output, OUTPUT_STDOUT) },
	/* resolved by validation, once every service is known */
	{ "args_to", STRING(INIT, args_to) },
	{ "require_socket", PATH(INIT, require_socket, char *, K_NONE | K_EMPTY, NULL) },
	{ "strict_config", CUSTOM(S_INIT, set_strict_config) },
	{ "control_group", STRING(INIT, control_group), .set = set_control_group },
	{ "mtu", CHOICE(INIT, setup.mtu_auto, bool, choice_mtu, true) },

	/* [service:NAME], and [main]'s stop_signal and stop_timeout */
	/* command continues on indented lines but is not repeated: a second "command =" is
	 * more likely a copy-paste slip than a wish to append. */
	{ "command", CUSTOM(S_SVC, set_command), .flags = K_LIST },
	{ "type", CHOICE(SVC, type, enum svc_type, choice_svc_type, SVC_SIMPLE) },
	{ "depends_on", CUSTOM(S_SVC, set_depends_on), .flags = K_LIST | K_REPEAT },
	{ "restart", CHOICE(SVC, restart, enum restart_policy, choice_restart, RESTART_ALWAYS) },
	{ "restart_delay", DURATION(SVC, restart_delay_ms, 100) },
	{ "restart_delay_max", DURATION(SVC, restart_delay_max_ms, 30 * 1000) },
	{ "start_limit_burst", UINT(SVC, start_limit_burst, 1, START_LIMIT_BURST_MAX, 5) },
	{ "start_limit_interval", DURATION_POS(SVC, start_limit_interval_ms, 60 * 1000) },
	{ "critical", BOOL(SVC, critical, false) },
	/* [main]: 0 is the signal that started the shutdown, else SIGTERM */
	{ "stop_signal", SIGNAL(MAIN, stop_signal, 0) },
	{ "stop_signal", SIGNAL(SVC, stop_signal, SIGTERM) },
	{ "stop_timeout", DURATION(MAIN, stop_timeout_ms, 10 * 1000) },
	{ "stop_timeout", DURATION(SVC, stop_timeout_ms, 15 * 1000) },
	{ "environment", CUSTOM(S_SVC, set_environment), .flags = K_LIST | K_REPEAT },
	{ "workdir", PATH(SVC, workdir, char *, 0, NULL) },
	{ "log", CUSTOM(S_SVC, set_log) },
	{ "ready", CUSTOM(S_SVC, set_ready) },
	{ "ready_timeout", DURATION(SVC, ready_timeout_ms, 60 * 1000) },
	{ "ready_interval", DURATION_POS(SVC, ready_interval_ms, 50) },
	{ "health", CUSTOM(S_SVC, set_health) },
	{ "health_interval", DURATION_POS(SVC, health_interval_ms, 10 * 1000) },
	{ "health_timeout", DURATION_POS(SVC, health_timeout_ms, 5 * 1000) },
	{ "health_retries", UINT(SVC, health_retries, 1, 0, 3) },
	{ "watchdog", DURATION(SVC, watchdog_ms, 0) },
	/* validation picks main where notify is used */
	{ "notify_access", CHOICE(SVC, notify_access, enum notify_access, choice_notify_access,
				  NOTIFY_ACCESS_NONE) },
	{ "args_env", STRING(SVC, args_env), .set = set_args_env },
	{ "when", CUSTOM(S_SVC, set_when) },
	{ "args_if", CUSTOM(S_SVC, set_args_if), .flags = K_LIST | K_REPEAT },

	/* The privileges of [main] and [service:NAME]. Lists continue on indented lines but are
	 * not repeated (like mount_tmpfs); seccomp continues only as a deny: list (set_seccomp
	 * says so otherwise). */
	{ "user", CUSTOM(S_MAIN | S_SVC, set_user) },
	{ "group", CUSTOM(S_MAIN | S_SVC, set_group) },
	{ "supplementary_groups", CUSTOM(S_MAIN | S_SVC, set_supplementary_groups),
	  .flags = K_LIST },
	{ "capabilities", CUSTOM(S_MAIN | S_SVC, set_capabilities), .flags = K_LIST },
	{ "no_new_privileges", BOOL(PRIV, no_new_privileges, false) },
	{ "seccomp", CUSTOM(S_MAIN | S_SVC, set_seccomp), .flags = K_LIST },
	/* the limits of the started process */
	{ "rlimit_nofile", RLIMIT(PRIV, rlimit_nofile) },
	{ "rlimit_nproc", RLIMIT(PRIV, rlimit_nproc) },
	{ "rlimit_core", RLIMIT(PRIV, rlimit_core) },
	{ "rlimit_memlock", RLIMIT(PRIV, rlimit_memlock) },
	{ "umask", UMASK(PRIV, umask) },
};

#define NKEYS ((int)(sizeof(keys) / sizeof(keys[0])))
_Static_assert(sizeof(keys) / sizeof(keys[0]) <= KEYS_MAX, "raise KEYS_MAX");
_Static_assert(RLIMIT_UNSET != (long)RLIM_INFINITY, "RLIMIT_UNSET must differ from unlimited");

const struct key_def *key_find(unsigned sections, const char *name, size_t len)
{
	for (int i = 0; i < NKEYS; i++)
		if ((keys[i].sections & sections) && strlen(keys[i].name) == len &&
		    strncmp(keys[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
}

int key_index(const struct key_def *k)
{
	return (int)(k - keys);
}

int key_first_line(const struct loader *ld, int slot, unsigned section, const char *name)
{
	const struct key_def *k = key_find(section, name, strlen(name));

	return k ? ld->key_lines[slot][key_index(k)] : 0;
}

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

size_t key_path_len(const char *p, size_t n)
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
			      k->flags & K_TRIM ? key_path_len(value, strlen(value))
						: strlen(value));
		if (!copy)
			return;
	}
	key_free_str(get_str(p));
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
	key_free_str(get_str(p));
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
	len = key_path_len(p, len);
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

static void clear_paths(char **paths, int *n)
{
	for (int i = 0; i < *n; i++) {
		key_free_str(paths[i]);
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
			clear_paths(field(ld, k), (int *)(void *)((char *)ld->cfg + k->off_n));
		ld_for_each_name(ld, value, add_path);
		break;
	default:
		if (readers[k->type] && readers[k->type](ld, k->name, value, &v))
			store(field(ld, k), k->size, v);
		break;
	}
}

static bool is_static_default(const char *p)
{
	for (int i = 0; i < NKEYS; i++) {
		if ((keys[i].type == KT_PATH || keys[i].type == KT_STRING) && p == keys[i].d.str)
			return true;
		if (keys[i].type == KT_PATHS)
			for (const char *const *d = keys[i].d.list; *d; d++)
				if (p == *d)
					return true;
	}
	return false;
}

void key_free_str(const char *p)
{
	if (p && !is_static_default(p))
		free((char *)p);
}

/* Each field of base in obj gets its row's default; release: after freeing what it owns. */
static void reset_fields(enum key_base base, void *obj, bool release)
{
	for (int i = 0; i < NKEYS; i++) {
		const struct key_def *k = &keys[i];
		char *p = (char *)obj + k->off;

		if (k->base != base || !k->size)
			continue;
		if (k->type == KT_PATHS) {
			int *n = (int *)(void *)((char *)obj + k->off_n);

			if (release)
				clear_paths((char **)(void *)p, n);
			/* Nothing writes through these: the cast only fits the owned-path field. */
			for (*n = 0; k->d.list[*n]; (*n)++)
				put_str(p + (size_t)*n * sizeof(char *), k->d.list[*n]);
		} else if (k->type == KT_PATH || k->type == KT_STRING) {
			if (release)
				key_free_str(get_str(p));
			put_str(p, k->d.str);
		} else {
			store(p, k->size, k->dflt);
		}
	}
}

void keys_defaults(enum key_base base, void *obj)
{
	reset_fields(base, obj, false);
}

void keys_release(enum key_base base, void *obj)
{
	reset_fields(base, obj, true);
}

void keys_privs_defaults(struct cfg_privs *p)
{
	memset(p, 0, sizeof(*p));
	keys_defaults(B_PRIVS, p);
}

void keys_service_defaults(struct cfg_service *svc)
{
	memset(svc, 0, sizeof(*svc));
	keys_defaults(B_SERVICE, svc);
	keys_privs_defaults(&svc->privs);
	svc->user_start = -1;
}

/* Levenshtein distance, for "did you mean"; keys are short so the quadratic cost is nothing. */
static int edit_distance(const char *a, const char *b)
{
	int row[64], i, j, la = (int)strlen(a), lb = (int)strlen(b);

	if (la >= 64 || lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		int diag = row[0], tmp;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
		}
	}
	return row[lb];
}

void key_unknown(struct loader *ld, unsigned sections, const char *name)
{
	char label[LABEL_MAX], list[1024];
	size_t pos = 0;
	int i;

	/* Suggest only a close key: one edit for short names (else "foo" would suggest "log"),
	 * two for longer ones. */
	int best = -1, best_dist = strlen(name) <= 4 ? 2 : 3;

	(void)ld_label(ld, label, sizeof(label));
	for (i = 0; i < NKEYS && strlen(name) >= 3; i++) {
		int d = (keys[i].sections & sections) ? edit_distance(name, keys[i].name) : 64;

		if (d < best_dist) {
			best = i;
			best_dist = d;
		}
	}
	if (best >= 0) {
		ld_error(ld, ld->lineno, "unknown key '%s' in %s: did you mean '%s'?", name, label,
			 keys[best].name);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < NKEYS && pos < sizeof(list); i++)
		if (keys[i].sections & sections)
			pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s",
						pos ? ", " : "", keys[i].name);
	ld_error(ld, ld->lineno, "unknown key '%s' in %s: valid keys are %s", name, label, list);
}

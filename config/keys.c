/* The key table: one row per key (see keys.h), its lookups and the "unknown key" suggestions,
 * and the model's lifecycle it drives: the defaults of cfg_init and what cfg_release frees. The
 * readers of the rows' value types are values.c. Like OpenBSD ntpd's keywords[]: adding a plain
 * key is its field, one row here and its documentation. */
#include "config/keys.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/loader.h"
#include "config/parse.h"
#include "config/privileges.h"
#include "config/setters.h"
#include "config/values.h"

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
	/* rootless dockerd: the setup prepares and checks what it needs (validate.c: its rules) */
	{ "rootless", BOOL(SVC, rootless, false) },

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

/* Each field of base in obj gets its row's default; release: after freeing what it owns. */
static void reset_fields(enum key_base base, void *obj, bool release)
{
	for (int i = 0; i < NKEYS; i++)
		if (keys[i].base == base && keys[i].size)
			key_reset(&keys[i], obj, release);
}

static void keys_defaults(enum key_base base, void *obj)
{
	reset_fields(base, obj, false);
}

static void keys_release(enum key_base base, void *obj)
{
	reset_fields(base, obj, true);
}

/* The privileges of [main] or of a service before any key: the defaults of their keys. */
static void keys_privs_defaults(struct cfg_privs *p)
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

/* The model's lifecycle: the fields of the rows through the table, the rest by hand. */

static void privs_release(struct cfg_privs *p)
{
	free(p->user_name);
	free(p->home);
	free(p->seccomp_file);
	free(p->seccomp_syscalls);
	keys_privs_defaults(p);
}

void cfg_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	keys_defaults(B_CONFIG, cfg); /* the defaults of [init]'s and [main]'s keys */
	keys_privs_defaults(&cfg->main.privs);
	cfg->strict_config = true;
	cfg->args_to_idx = -1;
}

void cfg_release(struct config *cfg)
{
	int i, j;

	free(cfg->path);
	keys_release(B_CONFIG, cfg);
	for (i = 0; i < MAX_SERVICES; i++)
		free(cfg->main_after_names[i]);
	for (i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];

		keys_release(B_SERVICE, svc);
		argv_free(svc->argv);
		free(svc->command_text);
		for (j = 0; j < svc->nargs_if; j++) {
			cond_release(&svc->args_if[j].cond);
			free(svc->args_if[j].words);
			free(svc->args_if[j].expanded);
		}
		cond_release(&svc->when);
		for (j = 0; j < svc->ndeps; j++)
			free(svc->deps[j]);
		for (j = 0; j < svc->nenv; j++)
			free(svc->env[j]);
		free(svc->env);
		free(svc->log_path);
		probe_spec_release(&svc->ready);
		probe_spec_release(&svc->health);
		privs_release(&svc->privs);
	}
	privs_release(&cfg->main.privs);
	free(cfg->insecure_reason);
	ld_free_errors(cfg);
	memset(cfg, 0, sizeof(*cfg));
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

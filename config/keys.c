/* The key tables: which keys each section has, whether a key continues on indented lines or
 * repeats, and the function that applies it; the defaults; "unknown key" suggestions. */
#include "config/keys.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "config/loader.h"
#include "config/privileges.h"
#include "config/setters.h"

/* Defaults live in static storage; a value from the file is an owned copy. */
const char key_default_control_socket[] = DEFAULT_CONTROL_SOCKET;
const char key_default_runtime_dir[] = DEFAULT_RUNTIME_DIR;

void key_set_owned(const char **field, const char *dflt, char *copy)
{
	if (*field != dflt)
		free((char *)*field);
	*field = copy;
}

/* Container setup. The list and data_root defaults live in static storage, like the socket
 * defaults above; a value from the file is an owned copy. */
const char key_default_data_root[] = "/var/lib/docker";
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

static bool in_list(const char *p, const char *const *list)
{
	for (; *list; list++)
		if (p == *list)
			return true;
	return false;
}

static bool is_static_default(const char *p)
{
	return p == key_default_data_root || in_list(p, key_default_mount_tmpfs) ||
	       in_list(p, key_default_stale_files) || in_list(p, key_default_writable_paths);
}

void key_free_str(char *p)
{
	if (!is_static_default(p))
		free(p);
}

void key_clear_paths(char **paths, int *n)
{
	int i;

	for (i = 0; i < *n; i++) {
		key_free_str(paths[i]);
		paths[i] = NULL;
	}
	*n = 0;
}

/* Nothing writes through these: the cast only fits the owned-path field type. */
void key_default_paths(char **paths, int *n, const char *const *dflt)
{
	for (*n = 0; dflt[*n]; (*n)++)
		paths[*n] = (char *)dflt[*n];
}

/* "/run/" and "/run" are the same path; keep "/" itself. */
size_t key_path_len(const char *p, size_t n)
{
	while (n > 1 && p[n - 1] == '/')
		n--;
	return n;
}

void keys_privs_defaults(struct cfg_privs *p)
{
	memset(p, 0, sizeof(*p));
	p->seccomp = SECCOMP_NONE;
	p->rlimit_nofile = p->rlimit_nproc = p->rlimit_core = p->rlimit_memlock = RLIMIT_UNSET;
	p->umask = -1;
}

static const struct key_def init_keys[IK_COUNT] = {
	[IK_LOG_LEVEL] = { "log_level", false, false, set_log_level },
	[IK_SHUTDOWN_TIMEOUT] = { "shutdown_timeout", false, false, set_shutdown_timeout },
	[IK_MAIN_AFTER] = { "main_after", true, true, set_main_after },
	[IK_ON_MAIN_EXIT] = { "on_main_exit", false, false, set_on_main_exit },
	[IK_CONTROL_SOCKET] = { "control_socket", false, false, set_control_socket },
	[IK_RUNTIME_DIR] = { "runtime_dir", false, false, set_runtime_dir },
	[IK_SETUP] = { "setup", false, false, set_setup },
	/* Path lists continue on indented lines but are not repeated: the key line replaces the
	 * default list. */
	[IK_MOUNT_TMPFS] = { "mount_tmpfs", true, false, set_mount_tmpfs },
	[IK_SECURITYFS] = { "securityfs", false, false, set_securityfs },
	[IK_SYS_RW] = { "sys_rw", false, false, set_sys_rw },
	[IK_CGROUPS] = { "cgroups", false, false, set_cgroups },
	[IK_IPTABLES] = { "iptables", false, false, set_iptables },
	[IK_MAKE_RSHARED] = { "make_rshared", false, false, set_make_rshared },
	[IK_STALE_FILES] = { "stale_files", true, false, set_stale_files },
	[IK_RLIMIT_NOFILE] = { "rlimit_nofile", false, false, set_rlimit_nofile },
	[IK_DATA_ROOT] = { "data_root", false, false, set_data_root },
	[IK_PREFLIGHT] = { "preflight", false, false, set_preflight },
	[IK_WRITABLE_PATHS] = { "writable_paths", true, false, set_writable_paths },
	[IK_MTU] = { "mtu", false, false, set_mtu },
	[IK_SERVICE_OUTPUT] = { "service_output", false, false, set_service_output },
	[IK_ARGS_TO] = { "args_to", false, false, set_args_to },
	[IK_REQUIRE_SOCKET] = { "require_socket", false, false, set_require_socket },
	[IK_STRICT_CONFIG] = { "strict_config", false, false, set_strict_config },
	[IK_CONTROL_GROUP] = { "control_group", false, false, set_control_group },
};

/* Lists continue on indented lines but are not repeated (like mount_tmpfs); seccomp continues
 * only as a deny: list (set_seccomp says so otherwise). rlimit_nofile here is the limit of the
 * started process, not [init]'s limit of dind-init itself. */
#define PRIV_KEY_DEFS(base)                                                                        \
	[(base) + PK_USER] = { "user", false, false, set_user },                                   \
		  [(base) + PK_GROUP] = { "group", false, false, set_group },                      \
		  [(base) + PK_SUPPLEMENTARY_GROUPS] = { "supplementary_groups", true, false,      \
							 set_supplementary_groups },               \
		  [(base) + PK_CAPABILITIES] = { "capabilities", true, false, set_capabilities },  \
		  [(base) + PK_NO_NEW_PRIVILEGES] = { "no_new_privileges", false, false,           \
						      set_no_new_privileges },                     \
		  [(base) + PK_SECCOMP] = { "seccomp", true, false, set_seccomp },                 \
		  [(base) + PK_RLIMIT_NOFILE] = { "rlimit_nofile", false, false,                   \
						  set_svc_rlimit_nofile },                         \
		  [(base) + PK_RLIMIT_NPROC] = { "rlimit_nproc", false, false, set_rlimit_nproc }, \
		  [(base) + PK_RLIMIT_CORE] = { "rlimit_core", false, false, set_rlimit_core },    \
		  [(base) + PK_RLIMIT_MEMLOCK] = { "rlimit_memlock", false, false,                 \
						   set_rlimit_memlock },                           \
		  [(base) + PK_UMASK] = { "umask", false, false, set_umask }

static const struct key_def main_keys[MK_COUNT] = {
	[MK_STOP_SIGNAL] = { "stop_signal", false, false, set_stop_signal },
	[MK_STOP_TIMEOUT] = { "stop_timeout", false, false, set_stop_timeout },
	PRIV_KEY_DEFS(MK_PRIVS),
};

static const struct key_def svc_keys[SK_COUNT] = {
	/* command continues on indented lines but is not repeated: a second "command =" is
	 * more likely a copy-paste slip than a wish to append. */
	[SK_COMMAND] = { "command", true, false, set_command },
	[SK_TYPE] = { "type", false, false, set_type },
	[SK_DEPENDS_ON] = { "depends_on", true, true, set_depends_on },
	[SK_RESTART] = { "restart", false, false, set_restart },
	[SK_RESTART_DELAY] = { "restart_delay", false, false, set_restart_delay },
	[SK_RESTART_DELAY_MAX] = { "restart_delay_max", false, false, set_restart_delay_max },
	[SK_START_LIMIT_BURST] = { "start_limit_burst", false, false, set_start_limit_burst },
	[SK_START_LIMIT_INTERVAL] = { "start_limit_interval", false, false,
				      set_start_limit_interval },
	[SK_CRITICAL] = { "critical", false, false, set_critical },
	[SK_STOP_SIGNAL] = { "stop_signal", false, false, set_stop_signal },
	[SK_STOP_TIMEOUT] = { "stop_timeout", false, false, set_stop_timeout },
	[SK_ENVIRONMENT] = { "environment", true, true, set_environment },
	[SK_WORKDIR] = { "workdir", false, false, set_workdir },
	[SK_LOG] = { "log", false, false, set_log },
	[SK_READY] = { "ready", false, false, set_ready },
	[SK_READY_TIMEOUT] = { "ready_timeout", false, false, set_ready_timeout },
	[SK_READY_INTERVAL] = { "ready_interval", false, false, set_ready_interval },
	[SK_HEALTH] = { "health", false, false, set_health },
	[SK_HEALTH_INTERVAL] = { "health_interval", false, false, set_health_interval },
	[SK_HEALTH_TIMEOUT] = { "health_timeout", false, false, set_health_timeout },
	[SK_HEALTH_RETRIES] = { "health_retries", false, false, set_health_retries },
	[SK_WATCHDOG] = { "watchdog", false, false, set_watchdog },
	[SK_NOTIFY_ACCESS] = { "notify_access", false, false, set_notify_access },
	[SK_ARGS_ENV] = { "args_env", false, false, set_args_env },
	[SK_WHEN] = { "when", false, false, set_when },
	[SK_ARGS_IF] = { "args_if", true, true, set_args_if },
	PRIV_KEY_DEFS(SK_PRIVS),
};

_Static_assert(SK_COUNT <= KEYS_MAX && IK_COUNT <= KEYS_MAX && MK_COUNT <= KEYS_MAX,
	       "raise KEYS_MAX");

/* Keys of the current section and where each was first set; NULL outside a usable section. */
const struct key_def *key_section(struct loader *ld, int *n, int **lines)
{
	switch (ld->sec) {
	case SEC_INIT:
		*n = IK_COUNT;
		*lines = ld->init_lines;
		return init_keys;
	case SEC_MAIN:
		*n = MK_COUNT;
		*lines = ld->main_lines;
		return main_keys;
	case SEC_SERVICE:
		*n = SK_COUNT;
		*lines = ld->svc_lines[ld->svc];
		return svc_keys;
	default:
		*n = 0;
		*lines = NULL;
		return NULL;
	}
}

const struct key_def *key_find(const struct key_def *keys, int n, const char *name, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(keys[i].name) == len && strncmp(keys[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
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

void key_unknown(struct loader *ld, const struct key_def *keys, int n, const char *name)
{
	char label[LABEL_MAX], list[1024];
	size_t pos = 0;
	int i;

	/* Suggest only a close key: one edit for short names (else "foo" would suggest "log"),
	 * two for longer ones. */
	int best = -1, best_dist = strlen(name) <= 4 ? 2 : 3;

	(void)ld_label(ld, label, sizeof(label));
	for (i = 0; i < n && strlen(name) >= 3; i++) {
		int d = edit_distance(name, keys[i].name);

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
	for (i = 0; i < n && pos < sizeof(list); i++)
		pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s", i ? ", " : "",
					keys[i].name);
	ld_error(ld, ld->lineno, "unknown key '%s' in %s: valid keys are %s", name, label, list);
}

void keys_service_defaults(struct cfg_service *svc)
{
	memset(svc, 0, sizeof(*svc));
	svc->type = SVC_SIMPLE;
	svc->restart = RESTART_ALWAYS;
	svc->restart_delay_ms = 100;
	svc->restart_delay_max_ms = 30 * 1000;
	svc->start_limit_burst = 5;
	svc->start_limit_interval_ms = 60 * 1000;
	svc->critical = false;
	svc->stop_signal = SIGTERM;
	svc->stop_timeout_ms = 15 * 1000;
	svc->log = LOGMODE_PREFIX;
	svc->ready.kind = PROBE_NONE;
	svc->ready_timeout_ms = 60 * 1000;
	svc->ready_interval_ms = 50;
	svc->health.kind = PROBE_NONE;
	svc->health_interval_ms = 10 * 1000;
	svc->health_timeout_ms = 5 * 1000;
	svc->health_retries = 3;
	svc->watchdog_ms = 0;
	svc->notify_access = NOTIFY_ACCESS_NONE; /* validation picks main where notify is used */
	svc->user_start = -1;
	svc->notify_socket = false;
	keys_privs_defaults(&svc->privs);
}

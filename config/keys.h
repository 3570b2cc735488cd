/* The key tables of the config file (keys.c): the keys of each section, their defaults, and the
 * lookups the line reader and validation make. Inside config/ only. */
#ifndef DIND_CONFIG_KEYS_H
#define DIND_CONFIG_KEYS_H

#include <stddef.h>

#include "config/loader.h"

enum init_key {
	IK_LOG_LEVEL,
	IK_SHUTDOWN_TIMEOUT,
	IK_MAIN_AFTER,
	IK_ON_MAIN_EXIT,
	IK_CONTROL_SOCKET,
	IK_RUNTIME_DIR,
	IK_SETUP,
	IK_MOUNT_TMPFS,
	IK_SECURITYFS,
	IK_SYS_RW,
	IK_CGROUPS,
	IK_IPTABLES,
	IK_MAKE_RSHARED,
	IK_STALE_FILES,
	IK_RLIMIT_NOFILE,
	IK_DATA_ROOT,
	IK_PREFLIGHT,
	IK_WRITABLE_PATHS,
	IK_SERVICE_OUTPUT,
	IK_ARGS_TO,
	IK_REQUIRE_SOCKET,
	IK_STRICT_CONFIG,
	IK_CONTROL_GROUP,
	IK_MTU,
	IK_COUNT
};
/* Privilege keys, the same in [main] and [service:NAME]: each section's enum has them at the
 * end, from its own *_PRIVS on. */
enum priv_key {
	PK_USER,
	PK_GROUP,
	PK_SUPPLEMENTARY_GROUPS,
	PK_CAPABILITIES,
	PK_NO_NEW_PRIVILEGES,
	PK_SECCOMP,
	PK_RLIMIT_NOFILE,
	PK_RLIMIT_NPROC,
	PK_RLIMIT_CORE,
	PK_RLIMIT_MEMLOCK,
	PK_UMASK,
	PK_COUNT
};
enum main_key { MK_STOP_SIGNAL, MK_STOP_TIMEOUT, MK_PRIVS, MK_COUNT = MK_PRIVS + PK_COUNT };
enum svc_key {
	SK_COMMAND,
	SK_TYPE,
	SK_DEPENDS_ON,
	SK_RESTART,
	SK_RESTART_DELAY,
	SK_RESTART_DELAY_MAX,
	SK_START_LIMIT_BURST,
	SK_START_LIMIT_INTERVAL,
	SK_CRITICAL,
	SK_STOP_SIGNAL,
	SK_STOP_TIMEOUT,
	SK_ENVIRONMENT,
	SK_WORKDIR,
	SK_LOG,
	SK_READY,
	SK_READY_TIMEOUT,
	SK_READY_INTERVAL,
	SK_HEALTH,
	SK_HEALTH_INTERVAL,
	SK_HEALTH_TIMEOUT,
	SK_HEALTH_RETRIES,
	SK_WATCHDOG,
	SK_NOTIFY_ACCESS,
	SK_ARGS_ENV,
	SK_WHEN,
	SK_ARGS_IF,
	SK_PRIVS,
	SK_COUNT = SK_PRIVS + PK_COUNT
};

/* Keys of the current section and where each was first set; NULL outside a usable section. */
const struct key_def *key_section(struct loader *ld, int *n, int **lines);
const struct key_def *key_find(const struct key_def *keys, int n, const char *name, size_t len);
/* Record the error for an unknown key: the closest key as a suggestion, else the valid ones. */
void key_unknown(struct loader *ld, const struct key_def *keys, int n, const char *name);

/* Defaults: a new service's, and the privileges' of [main] and of each service. */
void keys_service_defaults(struct cfg_service *svc);
void keys_privs_defaults(struct cfg_privs *p);

/* Defaults in static storage, never freed; a value from the file is an owned copy. The lists
 * end with NULL. */
extern const char key_default_control_socket[];
extern const char key_default_runtime_dir[];
extern const char key_default_data_root[];
extern const char *const key_default_mount_tmpfs[];
extern const char *const key_default_stale_files[];
extern const char *const key_default_writable_paths[];
/* *field = copy, freeing the old value unless it is dflt. */
void key_set_owned(const char **field, const char *dflt, char *copy);
/* Free p unless it is one of the static defaults of data_root and the path lists. */
void key_free_str(char *p);
/* Free the paths (see key_free_str) and count none. */
void key_clear_paths(char **paths, int *n);
/* Point paths at the default list dflt. */
void key_default_paths(char **paths, int *n, const char *const *dflt);
/* The length of p (n bytes) without trailing '/': "/run/" and "/run" are the same path. */
size_t key_path_len(const char *p, size_t n);

#endif

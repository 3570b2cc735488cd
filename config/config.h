/* The configuration model and its loader: the file is read (inih, behind our own line reader) and
 * validated into plain structs. Loading reads the config file and what it names: /etc/passwd and
 * /etc/group for user and group names (directly, no NSS; cfg_set_account_files points them
 * elsewhere), and seccomp allow-list files; it checks the owner and mode of the config file and
 * of those lists (fstat, fstatvfs, geteuid) and reads DIND_INIT_STRICT_CONFIG (getenv). Nothing
 * else: no process, socket or mount, so every rule is unit-testable. config/ includes nothing
 * of init/ or supervisor/. */
#ifndef DIND_CONFIG_H
#define DIND_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The model's parts that have parsers of their own: conditions (struct cond_list, for `when` and
 * `args_if`) in cond.h; probe specs (struct probe_spec, for `ready` and `health`) and the
 * command-line limits (ARGV_MAX_WORDS, ARGV_BYTES_MAX) in parse.h. Both are leaves: they include
 * nothing of ours, so config.h sits above them without a circle. */
#include "config/cond.h"
#include "config/parse.h"

#define MAX_SERVICES	      64   /* [service:NAME] sections in one file */
#define SVC_NAME_MAX	      32   /* characters in a service name: [A-Za-z0-9_.@-] */
#define MAX_DEPS	      16   /* names in one service's depends_on */
#define MAX_ENV		      128  /* environment entries of one service */
#define START_LIMIT_BURST_MAX 1000 /* start_limit_burst: the window keeps one time per start */
#define MAX_GROUPS	      32   /* supplementary_groups of one service */
#define MAX_SECCOMP_SYSCALLS  512  /* names in seccomp = deny:... or an allow-list */
#define ENV_BYTES_MAX	      (64 * 1024) /* the environment entries of one service, together */
#define CFG_ERRORS_MAX	      100	  /* errors kept; more are counted as "N more errors" */
#define CFG_LINE_MAX	      199  /* inih's line limit (Debian builds it with INI_MAX_LINE 200) */
#define CFG_KEYS_MAX	      4096 /* key, continuation and section lines read from one file */
#define MAX_ARGS_IF	      16   /* args_if lines of one service */

enum svc_type { SVC_SIMPLE, SVC_NOTIFY, SVC_ONESHOT };
enum restart_policy { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NO };
enum log_mode { LOGMODE_PREFIX, LOGMODE_INHERIT, LOGMODE_NULL, LOGMODE_FILE };
enum on_main_exit { ON_MAIN_EXIT_SHUTDOWN, ON_MAIN_EXIT_IGNORE };
enum notify_access { NOTIFY_ACCESS_NONE, NOTIFY_ACCESS_MAIN };
enum tristate { TRI_AUTO, TRI_YES, TRI_NO };
enum cgroup_mode { CGROUPS_AUTO, CGROUPS_V1, CGROUPS_V2, CGROUPS_NO };
enum iptables_mode { IPTABLES_AUTO, IPTABLES_LEGACY, IPTABLES_NFT, IPTABLES_NO };
enum output_sink { OUTPUT_STDOUT, OUTPUT_STDERR };
/* log_level = error | warn | info | debug: config/ depends on nothing else of ours, so the level
 * is its own enum; the same values, in the same order, as the logger's. */
enum cfg_log_level { CFG_LOG_ERROR, CFG_LOG_WARN, CFG_LOG_INFO, CFG_LOG_DEBUG };

#define MAX_SETUP_PATHS	   16	/* paths in mount_tmpfs, stale_files and writable_paths */
#define RLIMIT_NOFILE_HARD (-1) /* rlimit_nofile = hard: raise the soft limit to the hard one */
#define RLIMIT_NOFILE_KEEP (-2) /* rlimit_nofile = keep */

/* Container setup before any service starts ([init] keys; see init/setup.c). */
struct cfg_setup {
	enum tristate setup;		    /* setup = auto: only as PID 1 with services; yes; no */
	char *mount_tmpfs[MAX_SETUP_PATHS]; /* owned absolute paths; default "/run", "/tmp" */
	int nmount_tmpfs;
	enum tristate securityfs;	    /* default auto */
	enum tristate sys_rw;		    /* default auto */
	enum cgroup_mode cgroups;	    /* default auto */
	enum iptables_mode iptables;	    /* default auto */
	bool make_rshared;		    /* default yes */
	char *stale_files[MAX_SETUP_PATHS]; /* owned absolute paths; default: docker.pid,
					     * containerd.pid and their sockets (see cfg_init) */
	int nstale_files;
	long rlimit_nofile;	 /* RLIMIT_NOFILE_HARD (default), _KEEP, or a number >= 1 */
	char *data_root;	 /* owned; default /var/lib/docker; NULL: no overlay check */
	enum tristate preflight; /* default auto: required caps checked when setup runs */
	bool mtu_auto;		 /* default yes: DOCKER_MTU from the default route's MTU when below
				  * 1500 (mtu = auto | no) */
	char *writable_paths[MAX_SETUP_PATHS]; /* owned absolute paths the services write to,
						* besides data_root; default "/run" */
	int nwritable_paths;
};

/* What `setup = auto` decides on: plain facts that init/setup.c gathers, so that the rule
 * (cfg_setup_decide) is unit-tested. */
struct setup_facts {
	bool pid1;	       /* dind-init is PID 1 */
	bool parent_is_pid1;   /* its parent is PID 1 (getppid() == 1) */
	const char *pid1_comm; /* /proc/1/comm without the newline, or NULL when unreadable */
	const char *pid1_exe;  /* where /proc/1/exe points, or NULL when unreadable */
	bool in_container;     /* /.dockerenv or /run/.containerenv exists, or $container is set */
};

enum setup_decision {
	SETUP_RUN_FORCED,	/* setup = yes */
	SETUP_RUN_PID1,		/* auto: PID 1 with services */
	SETUP_RUN_UNDER_INIT,	/* auto: with services, the child of a minimal init that is PID 1
				 * of a container (docker run --init, Compose init: true) */
	SETUP_SKIP_OFF,		/* setup = no, or --no-setup */
	SETUP_SKIP_NO_SERVICES, /* auto: a plain init around COMMAND */
	SETUP_SKIP_NOT_PID1,	/* auto: services, but neither PID 1 nor under a container's init */
};

/* Whether the container setup runs. Under another init it runs only when that init is a known
 * minimal one (cfg_minimal_init) AND there is evidence of a container: a host's PID 1 (systemd,
 * init, ...) never matches. */
enum setup_decision cfg_setup_decide(enum tristate setup, int nservices,
				     const struct setup_facts *f);
/* The known minimal init (docker-init, tini, ...) that PID 1 is, by its comm or the base name of
 * its executable; NULL when it is none of them. Returns a static string. */
const char *cfg_minimal_init(const struct setup_facts *f);

#define DEFAULT_CONTROL_SOCKET "/run/dind-init.sock"
#define DEFAULT_RUNTIME_DIR    "/run/dind-init"
#define DEFAULT_DATA_ROOT      "/var/lib/docker"

enum seccomp_mode {
	SECCOMP_NONE,	 /* no filter (default) */
	SECCOMP_DEFAULT, /* the documented deny list (supervisor/privs.c), EPERM */
	SECCOMP_DENY,	 /* deny:SYSCALL,SYSCALL...: those, EPERM */
	SECCOMP_ALLOW,	 /* allow-list file: only the syscalls it names, EPERM for the rest */
};

/* Keep the inherited limit. Not -1: that is (long)RLIM_INFINITY, the value of "unlimited". */
#define RLIMIT_UNSET (-2L)

/* Privileges of a service or of the main command (keys valid in [service:NAME] and [main]).
 * Names are resolved while loading: from /etc/passwd and /etc/group read directly (no NSS),
 * capability names with libcap, syscall names with libseccomp; unknown ones are config errors. */
struct cfg_privs {
	bool set_user; /* user = given */
	uid_t uid;
	gid_t user_gid;	 /* primary group of that user (from passwd), used when no group = */
	char *user_name; /* owned, for messages and HOME/USER; NULL for a bare number */
	char *home;	 /* owned: that user's home from passwd, or NULL */
	bool set_group;	 /* group = given */
	gid_t gid;
	bool set_groups; /* supplementary_groups = given (empty value: none) */
	gid_t groups[MAX_GROUPS];
	int ngroups;
	bool set_caps;		/* capabilities = given (empty value or "none": drop all) */
	uint64_t caps;		/* bit N = capability N to keep */
	bool no_new_privileges; /* default no */
	enum seccomp_mode seccomp;
	int *seccomp_syscalls; /* DENY or ALLOW: native syscall numbers; owned, grown as read */
	int seccomp_cap;
	int nseccomp;
	char *seccomp_file; /* owned, ALLOW: the file it was read from (for messages) */
	long rlimit_nofile, rlimit_nproc, rlimit_core,
		rlimit_memlock; /* RLIMIT_UNSET or value;
				 * "unlimited" = RLIM_INFINITY */
	int umask;		/* -1: inherit; else 0..0777 */
};

/* One `args_if = CONDITIONS : WORDS` line. */
struct cfg_args_if {
	struct cond_list cond;
	char *words; /* owned text after the ':', split (and ${...}-expanded) by cfg_resolve */
	int line;
	bool held;	/* cfg_resolve: the conditions held and the words were appended */
	char *expanded; /* cfg_resolve, owned: those words as appended (for the log), or NULL */
};

struct cfg_service {
	char name[SVC_NAME_MAX + 1];
	int line;    /* line of the [service:NAME] header */
	char **argv; /* NULL-terminated, owned; argc >= 1 after a successful load. Until
		      * cfg_resolve: `command` split without ${...} expansion, plus arguments from
		      * outside; after it: the command line the service is started with */
	int argc;
	char *command_text; /* owned: the `command` lines joined by blanks, split again with
			     * ${...} expansion by cfg_resolve */
	int user_start;	    /* argv index where arguments from outside begin (COMMAND's, $args_env);
			     * -1: none yet */
	bool replaced;	    /* COMMAND replaced the whole command line (`dockerd ...`) */
	struct cfg_args_if args_if[MAX_ARGS_IF];
	int nargs_if;
	struct cond_list when; /* the service runs only if these hold; n == 0: always */
	int when_line;
	bool skip; /* cfg_resolve: `when` does not hold, the service is skipped */
	enum svc_type type;
	char *deps[MAX_DEPS]; /* owned names, as written */
	int dep_line[MAX_DEPS];
	int dep_idx[MAX_DEPS]; /* indices into config.services, filled by validation */
	int ndeps;
	enum restart_policy restart;
	int64_t restart_delay_ms;	 /* default 100ms */
	int64_t restart_delay_max_ms;	 /* default 30s */
	int start_limit_burst;		 /* default 5 */
	int64_t start_limit_interval_ms; /* default 60s */
	bool critical;			 /* default no */
	int stop_signal;		 /* default SIGTERM */
	int64_t stop_timeout_ms;	 /* default 15s */
	char **env; /* "KEY=value", owned, nenv entries (not NULL-terminated) */
	int nenv;
	char *workdir;		    /* owned or NULL (inherit) */
	enum log_mode log;	    /* default prefix */
	char *log_path;		    /* owned, for LOGMODE_FILE */
	struct probe_spec ready;    /* PROBE_NONE: ready once started; type = notify: NOTIFY */
	int64_t ready_timeout_ms;   /* default 60s; 0 = wait forever */
	int64_t ready_interval_ms;  /* default 50ms */
	struct probe_spec health;   /* PROBE_NONE: no health checks; never PROBE_NOTIFY */
	int64_t health_interval_ms; /* default 10s */
	int64_t health_timeout_ms;  /* default 5s */
	int health_retries;	    /* default 3 */
	int64_t watchdog_ms;	    /* default 0 = off */
	enum notify_access notify_access; /* default main with ready = notify or a watchdog */
	bool notify_socket; /* bind RUNTIME_DIR/NAME.notify for it (notify_access = main) */
	struct cfg_privs privs;
	bool rootless;	/* default no: rootless dockerd as privs' user; the setup prepares and
			 * checks what it needs (init/setup_rootless.c) */
	char *args_env; /* owned or NULL: name of an environment variable whose value is
			 * split like `command` and appended to argv (e.g. DOCKERD_ARGS) */
};

struct cfg_main {
	struct cfg_privs privs;
	int stop_signal; /* default: the signal that started the shutdown, else SIGTERM; 0 = that
			    default */
	int64_t stop_timeout_ms; /* default 10s */
};

struct config {
	char *path;		    /* owned copy of the file name used in messages */
	const char *control_socket; /* NULL: none; default DEFAULT_CONTROL_SOCKET; owned by cfg */
	const char *runtime_dir;    /* no trailing '/'; default DEFAULT_RUNTIME_DIR; owned by cfg */
	enum cfg_log_level log_level;	/* default info */
	int64_t shutdown_timeout_ms;	/* default 30s */
	enum on_main_exit on_main_exit; /* default shutdown */
	bool main_after_set;		/* false: every service that is not a oneshot */
	int main_after[MAX_SERVICES];	/* indices, filled by validation (also for the default) */
	int nmain_after;
	char *main_after_names[MAX_SERVICES]; /* owned, as written */
	int main_after_line;
	struct cfg_main main;
	struct cfg_setup setup;
	enum output_sink service_output; /* default stdout: where log = prefix lines go */
	char *args_to;			 /* owned or NULL: service that takes COMMAND's arguments
					  * when the first one starts with '-' (docker:dind style) */
	int args_to_idx;		 /* index of args_to, filled by validation; -1 if none */
	bool strict_config;		 /* default yes: the file and its seccomp allow-lists must
					  * be on a read-only mount, or root's and not writable by
					  * group or others; no only from CFG_STRICT_ENV=no in the
					  * environment (cfg_load_file), never from the file */
	char *insecure_reason;		 /* owned or NULL: why the file or an allow-list is
					  * unsafe, when CFG_STRICT_ENV=no let it pass */
	char *control_group;  /* owned or NULL: `control_group` as written (may hold ${...}) */
	bool has_control_gid; /* cfg_resolve: members of control_gid may use the read-only
			       * requests (status, health, wait) */
	gid_t control_gid;
	char *require_socket; /* owned or NULL: COMMAND needs this unix socket (the
			       * host's Docker, for docker-outside-of-docker) */
	struct cfg_service services[MAX_SERVICES];
	int nservices;
	bool resolved; /* cfg_resolve ran: argv are final, skip and args_if[].held are set */
	int order[MAX_SERVICES]; /* start order (indices), filled by validation */
	char **errors;		 /* owned "file:line: message" strings */
	int nerrors;		 /* may exceed CFG_ERRORS_MAX; only that many are stored */
};

/* Fill defaults; no services. */
void cfg_init(struct config *cfg);
/* Free everything cfg owns; cfg can be cfg_init'ed again. */
void cfg_release(struct config *cfg);

/* The environment variable that relaxes the owner and mode check of the config file and of its
 * seccomp allow-lists (yes|no, default yes). It comes from whoever starts the container: a file
 * cannot relax the check of itself ([init] strict_config = no is a load error). */
#define CFG_STRICT_ENV "DIND_INIT_STRICT_CONFIG"

/* Parse and validate. Return 0 when the config is usable, -EINVAL when errors were recorded in
 * cfg->errors (all of them, not just the first), or -errno when the file cannot be opened/read
 * (then no error is recorded: the caller reports the open failure), -EMEDIUMTYPE when it is a
 * folder, socket or device other than /dev/null, -ETIMEDOUT when it is a FIFO with nothing to
 * read within CFG_FIFO_WAIT_MS (a pipe from -c <(...) is read). Reads CFG_STRICT_ENV. */
#define CFG_FIFO_WAIT_MS 5000
int cfg_load_file(struct config *cfg, const char *path);
/* Same over an in-memory text; name is used in messages in place of a path. The text itself is
 * not checked and CFG_STRICT_ENV is not read: seccomp allow-lists it names are checked strictly. */
int cfg_load_string(struct config *cfg, const char *name, const char *text);

/* Append words to a service's argv (COMMAND arguments for args_to, or the value of its
 * args_env variable split with argv_split). 0, -E2BIG past ARGV_MAX_WORDS words or
 * ARGV_BYTES_MAX bytes, or -ENOMEM. */
int cfg_append_args(struct config *cfg, int idx, char *const *words, int nwords);

/* Where user and group names are looked up (default /etc/passwd and /etc/group); for tests.
 * The strings must outlive every later load; NULL restores the default. */
void cfg_set_account_files(const char *passwd, const char *group);

/* docker:dind's `dockerd ...` form: COMMAND is the service's whole command line, in place of
 * `command` (args_if lines conditioned on replaced:NAME still apply). 0, -E2BIG or -ENOMEM. */
int cfg_replace_command(struct config *cfg, int idx, char *const *words, int nwords);

/* The environment cfg_resolve reads: NULL when NAME is unset. */
typedef const char *cfg_getenv_fn(const char *name, void *ctx);

/* Make the final command lines, after the arguments from outside were added and the container
 * setup (which may set variables, such as DOCKER_MTU) ran: evaluate `when` (sets skip) and each
 * `args_if`, expand ${...} in `command` and in the args_if words, append the words of the lines
 * that hold. Returns 0, or -E2BIG/-ENOMEM with a message naming the service in err. Call once. */
int cfg_resolve(struct config *cfg, cfg_getenv_fn *getenv_fn, void *ctx, char *err, size_t len);

/* Index of a service by name, or -1. */
int cfg_find_service(const struct config *cfg, const char *name);

/* Human-readable summary for --check-config: services in start order, and what the main command
 * waits for. */
void cfg_print(const struct config *cfg, FILE *out);

#endif

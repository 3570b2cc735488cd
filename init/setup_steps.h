/* The steps of the container setup, by file, and what they share; setup_container (setup.c)
 * runs them in order. Internal to the setup: only init/setup*.c include it. Each step returns 0,
 * or STEP_FATAL after logging what failed and what to do: the setup then ends with EXIT_SETUP.
 * Before the event loop: a step may wait (for a command, for a cgroup to settle). */
#ifndef DIND_SETUP_STEPS_H
#define DIND_SETUP_STEPS_H

#include <stdbool.h>

#include "config/config.h"

#define STEP_FATAL (-1)

#define SETUP_PRIV_HINT                                                                            \
	"run the container with --privileged (Kubernetes: securityContext.privileged: true)"

/* setup.c: privileges, stale files, limits, the data root */
int step_preflight(const struct config *cfg);
int step_stale(const struct config *cfg);
int step_rlimit(const struct config *cfg);
int step_data_root(const struct config *cfg);

/* setup_mounts.c: the mount table, file system checks, and the mounts */
struct mount_entry {
	char point[256];
	char fstype[32];
	bool readonly;
};
/* One line of /proc/self/mountinfo at a time to fn; stops early when fn returns non-zero
 * (and returns that), -errno when the table cannot be read. */
int setup_each_mount(int (*fn)(const struct mount_entry *m, void *data), void *data);
bool setup_is_fs(const char *path, long magic);
bool setup_is_readonly(const char *path);
bool setup_is_dir(const char *path);
/* Log a mount that failed although we hold CAP_SYS_ADMIN (seccomp or AppArmor said no). */
void setup_mount_failed(const char *what, int err);
int step_rshared(const struct config *cfg);
int step_sys_rw(const struct config *cfg);
int step_securityfs(const struct config *cfg);
/* mount_tmpfs would mount a tmpfs on path: it is none yet, and nothing is mounted at or below it.
 */
bool setup_tmpfs_wanted(const char *path);
int step_tmpfs(const struct config *cfg);
int step_writable(const struct config *cfg);

/* setup_cgroups.c: writable cgroups, v1 or v2 */
#define CGROUP_V1_HIERARCHIES_MAX 32 /* distinct hierarchy ids in /proc/cgroups */
#define CGROUP_RETRIES		  10 /* moving processes / enabling controllers on EBUSY */
int step_cgroups(const struct config *cfg);

/* setup_net.c: the iptables backend, the MTU */
#define PROBE_CMD_TIMEOUT_MS 5000 /* iptables-nft -nL and friends during setup */
int step_iptables(const struct config *cfg);
int step_mtu(const struct config *cfg);

#endif

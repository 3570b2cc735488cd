/* Per-service and main-command privileges: prepared in the parent (libcap, libseccomp), applied
 * in the child between fork and exec with async-signal-safe system calls only. */
#ifndef DIND_PRIVS_H
#define DIND_PRIVS_H

#include <linux/capability.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "config/config.h"

#define PRIVS_RLIMITS 4 /* nofile, nproc, core, memlock */

/* Where applying failed, for the parent's log line. */
enum privs_stage {
	PRIVS_STAGE_NONE,
	PRIVS_STAGE_UMASK_RLIMIT,
	PRIVS_STAGE_BOUNDING,
	PRIVS_STAGE_GROUPS,
	PRIVS_STAGE_UID,
	PRIVS_STAGE_CAPS,
	PRIVS_STAGE_NO_NEW_PRIVS,
	PRIVS_STAGE_SECCOMP,
};

struct privs {
	bool active; /* anything to do at all */
	bool set_groups;
	gid_t groups[MAX_GROUPS];
	int ngroups;
	bool set_gid;
	gid_t gid;
	bool set_uid;
	uid_t uid;
	bool set_caps;
	uint64_t keep; /* capabilities kept (bit N = capability N) */
	int last_cap;  /* highest capability the kernel knows */
	struct __user_cap_header_struct cap_hdr;
	struct __user_cap_data_struct cap_data[2];
	bool no_new_privs;
	struct sock_fprog seccomp; /* .filter owned; .len 0: no filter */
	int nrlimits;
	int rlimit_res[PRIVS_RLIMITS];
	struct rlimit rlimit_val[PRIVS_RLIMITS];
	int umask; /* -1: inherit */
};

/* The syscalls `seccomp = default` denies (EPERM), NULL-terminated; see README "Privileges".
 * It also refuses clone's CLONE_NEW* flags (EPERM) and makes clone3 fail with ENOSYS. */
extern const char *const privs_default_deny[];

#define PRIVS_USER_ENV 3 /* USER, LOGNAME, HOME */

/* For a switch to a user whose name is known: "USER=", "LOGNAME=" and "HOME=" entries, each
 * malloc'd into out. Returns how many (0: nothing to set), or -ENOMEM with none left. */
int privs_user_env(const struct cfg_privs *c, char *out[PRIVS_USER_ENV]);

/* Build p from c. 0, or -errno with a reason in err. */
int privs_prepare(const struct cfg_privs *c, struct privs *p, char *err, size_t len);
void privs_release(struct privs *p);

/* In the forked child: apply p, in order umask/rlimits, bounding set, groups, gid, uid,
 * capabilities (ambient too, so they survive exec for a non-root user), no_new_privs; then,
 * once the child has done what it does with the service's own rights (opening its log), the
 * seccomp filter with privs_apply_seccomp, last before exec. Both async-signal-safe; each
 * returns 0, or -errno and *stage. */
int privs_apply(const struct privs *p, enum privs_stage *stage);
int privs_apply_seccomp(const struct privs *p, enum privs_stage *stage);

/* The service runs as a user other than root: files it is given must be its own. */
static inline bool privs_other_user(const struct privs *p)
{
	return p && p->set_uid && p->uid != 0;
}

const char *privs_stage_name(enum privs_stage stage);

#endif

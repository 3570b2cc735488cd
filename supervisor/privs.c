#include "supervisor/privs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What `seccomp = default` denies: nothing a build job needs, much that helps escape from or
 * damage a privileged container. Mounting covers the new mount API too (fsopen & co), or it
 * would be a way around; unshare and setns, with clone's namespace flags and clone3 (see
 * deny_namespaces), keep a job from making or entering namespaces (user namespaces are a large
 * kernel attack surface). ptrace stays allowed (gdb, strace in CI jobs); limiting it to the
 * job's own tree is Yama's work (kernel.yama.ptrace_scope = 1), which seccomp cannot tell. */
const char *const privs_default_deny[] = {
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"reboot",
	"swapon",
	"swapoff",
	"mount",
	"umount2",
	"pivot_root",
	"move_mount",
	"open_tree",
	"fsopen",
	"fsconfig",
	"fsmount",
	"fspick",
	"mount_setattr",
	"open_by_handle_at",
	"bpf",
	"perf_event_open",
	"keyctl",
	"add_key",
	"request_key",
	"unshare",
	"setns",
	NULL,
};

const char *privs_stage_name(enum privs_stage stage)
{
	switch (stage) {
	case PRIVS_STAGE_UMASK_RLIMIT:
		return "setting resource limits";
	case PRIVS_STAGE_BOUNDING:
		return "dropping capabilities from the bounding set";
	case PRIVS_STAGE_GROUPS:
		return "setting supplementary groups";
	case PRIVS_STAGE_UID:
		return "switching user or group";
	case PRIVS_STAGE_CAPS:
		return "setting capabilities";
	case PRIVS_STAGE_NO_NEW_PRIVS:
		return "setting no_new_privileges";
	case PRIVS_STAGE_SECCOMP:
		return "installing the seccomp filter";
	default:
		return "applying privileges";
	}
}

static int last_cap(void)
{
	char buf[16] = "";
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	int v = CAP_LAST_CAP;

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			v = atoi(buf);
		(void)close(fd);
	}
	return v > 0 && v < 64 ? v : CAP_LAST_CAP;
}

/* clone's flags are its first argument, except on s390 where they are its second. */
#if defined(__s390__) || defined(__s390x__)
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif

/* Namespace flags `seccomp = default` refuses in clone's flags (EPERM). CLONE_NEWTIME is not
 * among them: clone() cannot ask for it (0x80 lies in its exit-signal byte), only unshare and
 * clone3 can, and both are closed. */
static const unsigned long clone_ns_flags[] = {
	CLONE_NEWCGROUP, CLONE_NEWIPC,	CLONE_NEWNET, CLONE_NEWNS,
	CLONE_NEWPID,	 CLONE_NEWUSER, CLONE_NEWUTS, 0,
};

/* unshare and setns alone would leave clone(CLONE_NEWUSER | ...) open. clone3 passes its flags
 * in memory, where seccomp cannot look: it fails with ENOSYS, on which glibc (its threads
 * try clone3 first) falls back to clone, whose flags the filter can check. Docker's default
 * profile does the same. */
static int deny_namespaces(scmp_filter_ctx ctx, char *err, size_t len)
{
	int nr = seccomp_syscall_resolve_name("clone3"), r;

#ifdef __NR_clone3
	if (nr == __NR_SCMP_ERROR)
		nr = __NR_clone3; /* a libseccomp older than the syscall */
#endif
	for (int i = 0; clone_ns_flags[i]; i++) {
		scmp_datum_t f = clone_ns_flags[i];

		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_CMP(CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, f, f));
		if (r < 0) {
			snprintf(err, len, "seccomp rule for clone flag %#lx: %s",
				 clone_ns_flags[i], strerror(-r));
			return r;
		}
	}
	if (nr != __NR_SCMP_ERROR &&
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0)) < 0) {
		snprintf(err, len, "seccomp rule for clone3: %s", strerror(-r));
		return r;
	}
	return 0;
}

/* libseccomp builds the filter here, in the parent; the child only loads the BPF program. */
static int build_seccomp(const struct cfg_privs *c, struct privs *p, char *err, size_t len)
{
	bool allow = c->seccomp == SECCOMP_ALLOW;
	scmp_filter_ctx ctx = seccomp_init(allow ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW);
	uint32_t action = allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM);
	int fd = -1, r = 0;
	struct stat st;

	if (!ctx) {
		snprintf(err, len, "seccomp_init failed");
		return -ENOMEM;
	}
	if (c->seccomp == SECCOMP_DEFAULT) {
		for (int i = 0; privs_default_deny[i]; i++) {
			int nr = seccomp_syscall_resolve_name(privs_default_deny[i]);

			/* Not on this architecture: nothing to deny. */
			if (nr != __NR_SCMP_ERROR &&
			    (r = seccomp_rule_add(ctx, action, nr, 0)) < 0) {
				snprintf(err, len, "seccomp rule for %s: %s", privs_default_deny[i],
					 strerror(-r));
				goto out;
			}
		}
		if ((r = deny_namespaces(ctx, err, len)) < 0)
			goto out;
	} else {
		for (int i = 0; i < c->nseccomp; i++) {
			r = seccomp_rule_add(ctx, action, c->seccomp_syscalls[i], 0);
			if (r < 0) {
				snprintf(err, len, "seccomp rule for syscall %d: %s",
					 c->seccomp_syscalls[i], strerror(-r));
				goto out;
			}
		}
	}
	fd = memfd_create("dind-init-seccomp", MFD_CLOEXEC);
	if (fd < 0 || (r = seccomp_export_bpf(ctx, fd)) < 0 || fstat(fd, &st) < 0) {
		r = r < 0 ? r : -errno;
		snprintf(err, len, "exporting the seccomp filter: %s", strerror(-r));
		goto out;
	}
	p->seccomp.len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
	p->seccomp.filter = malloc((size_t)st.st_size);
	if (!p->seccomp.filter ||
	    pread(fd, p->seccomp.filter, (size_t)st.st_size, 0) != (ssize_t)st.st_size) {
		r = -ENOMEM;
		snprintf(err, len, "reading the seccomp filter back");
		free(p->seccomp.filter);
		p->seccomp.filter = NULL;
		p->seccomp.len = 0;
	}
out:
	if (fd >= 0)
		(void)close(fd);
	seccomp_release(ctx);
	return r < 0 ? r : 0;
}

int privs_prepare(const struct cfg_privs *c, struct privs *p, char *err, size_t len)
{
	static const int res[PRIVS_RLIMITS] = { RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE,
						RLIMIT_MEMLOCK };
	const long vals[PRIVS_RLIMITS] = { c->rlimit_nofile, c->rlimit_nproc, c->rlimit_core,
					   c->rlimit_memlock };

	memset(p, 0, sizeof(*p));
	p->umask = c->umask;
	for (int i = 0; i < PRIVS_RLIMITS; i++) {
		if (vals[i] == RLIMIT_UNSET)
			continue;
		p->rlimit_res[p->nrlimits] = res[i];
		p->rlimit_val[p->nrlimits].rlim_cur = (rlim_t)vals[i];
		p->rlimit_val[p->nrlimits].rlim_max = (rlim_t)vals[i];
		p->nrlimits++;
	}
	if (c->set_user) {
		p->set_uid = true;
		p->uid = c->uid;
		p->set_gid = true;
		p->gid = c->set_group ? c->gid : c->user_gid;
		/* A new user does not keep root's supplementary groups. */
		p->set_groups = true;
	} else if (c->set_group) {
		p->set_gid = true;
		p->gid = c->gid;
	}
	if (c->set_groups) {
		p->set_groups = true;
		p->ngroups = c->ngroups;
		memcpy(p->groups, c->groups, sizeof(gid_t) * (size_t)c->ngroups);
	}
	if (c->set_caps) {
		p->set_caps = true;
		p->keep = c->caps;
		p->last_cap = last_cap();
		p->cap_hdr.version = _LINUX_CAPABILITY_VERSION_3;
		p->cap_hdr.pid = 0;
		for (int i = 0; i < 2; i++) {
			uint32_t bits = (uint32_t)(c->caps >> (32 * i));

			p->cap_data[i].effective = bits;
			p->cap_data[i].permitted = bits;
			p->cap_data[i].inheritable = bits;
		}
	}
	/* The kernel only lets a process without CAP_SYS_ADMIN install a filter under
	 * no_new_privs; seccomp therefore implies it (documented). */
	p->no_new_privs = c->no_new_privileges || c->seccomp != SECCOMP_NONE;
	if (c->seccomp != SECCOMP_NONE) {
		int r = build_seccomp(c, p, err, len);

		if (r < 0)
			return r;
	}
	p->active = p->umask >= 0 || p->nrlimits || p->set_uid || p->set_gid || p->set_groups ||
		    p->set_caps || p->no_new_privs || p->seccomp.len;
	return 0;
}

int privs_user_env(const struct cfg_privs *c, char *out[PRIVS_USER_ENV])
{
	if (!c->set_user || !c->user_name)
		return 0;
	out[0] = out[1] = out[2] = NULL;
	if (asprintf(&out[0], "USER=%s", c->user_name) < 0 ||
	    asprintf(&out[1], "LOGNAME=%s", c->user_name) < 0 ||
	    asprintf(&out[2], "HOME=%s", c->home ? c->home : "/") < 0) {
		for (int i = 0; i < PRIVS_USER_ENV; i++) {
			free(out[i]);
			out[i] = NULL;
		}
		return -ENOMEM;
	}
	return PRIVS_USER_ENV;
}

void privs_release(struct privs *p)
{
	free(p->seccomp.filter);
	p->seccomp.filter = NULL;
	p->seccomp.len = 0;
}

int privs_apply(const struct privs *p, enum privs_stage *stage)
{
	if (!p || !p->active)
		return 0;
	*stage = PRIVS_STAGE_UMASK_RLIMIT;
	if (p->umask >= 0)
		(void)umask((mode_t)p->umask);
	for (int i = 0; i < p->nrlimits; i++)
		if (setrlimit(p->rlimit_res[i], &p->rlimit_val[i]) < 0)
			return -errno;
	/* While still root with every capability: CAP_SETPCAP is needed to shrink the set. */
	*stage = PRIVS_STAGE_BOUNDING;
	if (p->set_caps)
		for (int cap = 0; cap <= p->last_cap; cap++)
			if (!(p->keep & (1ULL << cap)) &&
			    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
				return -errno;
	*stage = PRIVS_STAGE_GROUPS;
	if (p->set_groups && setgroups((size_t)p->ngroups, p->groups) < 0)
		return -errno;
	*stage = PRIVS_STAGE_UID;
	if (p->set_gid && setresgid(p->gid, p->gid, p->gid) < 0)
		return -errno;
	if (p->set_uid) {
		/* Keep the permitted set across setuid so the kept capabilities survive it. */
		if (p->set_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return -errno;
		if (setresuid(p->uid, p->uid, p->uid) < 0)
			return -errno;
	}
	*stage = PRIVS_STAGE_CAPS;
	if (p->set_caps) {
		struct __user_cap_header_struct hdr = p->cap_hdr;
		struct __user_cap_data_struct data[2] = { p->cap_data[0], p->cap_data[1] };

		if (syscall(SYS_capset, &hdr, data) < 0)
			return -errno;
		/* Ambient: without it a non-root user loses every capability at exec. */
		if (p->set_uid && p->uid != 0)
			for (int cap = 0; cap <= p->last_cap; cap++)
				if ((p->keep & (1ULL << cap)) &&
				    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
					return -errno;
	}
	*stage = PRIVS_STAGE_NO_NEW_PRIVS;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	*stage = PRIVS_STAGE_NONE;
	return 0;
}

int privs_apply_seccomp(const struct privs *p, enum privs_stage *stage)
{
	if (!p || !p->seccomp.len)
		return 0;
	*stage = PRIVS_STAGE_SECCOMP;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p->seccomp, 0, 0) < 0)
		return -errno;
	*stage = PRIVS_STAGE_NONE;
	return 0;
}

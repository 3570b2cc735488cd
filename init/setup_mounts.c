/* The container setup's mounts: rshared, /sys read-write, securityfs, fresh tmpfs, and the
 * check that what the services write to is writable; with the mount table they read. */
#include "init/setup_steps.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/log.h"

bool setup_is_fs(const char *path, long magic)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

bool setup_is_readonly(const char *path)
{
	struct statvfs st;

	return statvfs(path, &st) == 0 && (st.f_flag & ST_RDONLY);
}

bool setup_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The optional fields of a mountinfo line vary in number, so the filesystem type is the field
 * after " - ", never a fixed column. */
int setup_each_mount(int (*fn)(const struct mount_entry *m, void *data), void *data)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	int r = 0;

	if (!f)
		return -errno;
	while (!r && fgets(line, sizeof(line), f)) {
		struct mount_entry m = { 0 };
		char opts[256];
		const char *sep = strstr(line, " - ");

		const char *p = line, *q = sep ? sep + 3 : NULL;
		char skip[256];
		bool ok = sep != NULL;

		/* mount id, parent id, major:minor, root, then the mount point and options */
		for (int k = 0; k < 4 && ok; k++)
			ok = next_field(&p, skip, sizeof(skip));
		if (!ok || !next_field(&p, m.point, sizeof(m.point)) ||
		    !next_field(&p, opts, sizeof(opts)) ||
		    !next_field(&q, m.fstype, sizeof(m.fstype)))
			continue;
		m.readonly = strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
		r = fn(&m, data);
	}
	fclose(f);
	return r;
}

void setup_mount_failed(const char *what, int err)
{
	log_error_errno(err, "setup: %s failed", what);
	if (err == EPERM || err == EACCES)
		log_error("the container's seccomp or AppArmor profile forbids it: %s",
			  SETUP_PRIV_HINT);
}

struct below {
	const char *path;
	char found[256];
};

static int find_below(const struct mount_entry *m, void *data)
{
	struct below *b = data;
	size_t n = strlen(b->path);

	/* A mount below the path, or at it (a volume on /tmp): a tmpfs would hide it. */
	if (strncmp(m->point, b->path, n) == 0 && (m->point[n] == '/' || m->point[n] == '\0')) {
		snprintf(b->found, sizeof(b->found), "%s", m->point);
		return 1;
	}
	return 0;
}

int step_rshared(const struct config *cfg)
{
	if (!cfg->setup.make_rshared)
		return 0;
	/* Nested containers with shared/slave volume propagation need it; nothing else does,
	 * so a failure is worth a warning only. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0) {
		log_warn_errno(errno, "setup: making / rshared failed; nested volumes with "
				      "propagation options will not work");
		return 0;
	}
	log_info("setup: / is rshared");
	return 0;
}

int step_sys_rw(const struct config *cfg)
{
	if (cfg->setup.sys_rw == TRI_NO || !setup_is_readonly("/sys"))
		return 0;
	/* Without --privileged, Docker mounts /sys read-only. It is the sysfs of the container's
	 * own network namespace, so making it writable exposes nothing of the host's. */
	if (mount(NULL, "/sys", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		if (cfg->setup.sys_rw == TRI_YES) {
			setup_mount_failed("remounting /sys read-write", errno);
			return STEP_FATAL;
		}
		log_warn_errno(errno, "setup: /sys is read-only and could not be remounted "
				      "read-write");
		return 0;
	}
	log_info("setup: remounted /sys read-write");
	return 0;
}

int step_securityfs(const struct config *cfg)
{
	static const char dir[] = "/sys/kernel/security";

	if (cfg->setup.securityfs == TRI_NO || !setup_is_dir(dir) ||
	    setup_is_fs(dir, SECURITYFS_MAGIC))
		return 0;
	/* AppArmor-aware runc and dockerd look here; without it they assume no LSM. */
	if (mount("securityfs", dir, "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		if (cfg->setup.securityfs == TRI_YES) {
			setup_mount_failed("mounting securityfs on /sys/kernel/security", errno);
			return STEP_FATAL;
		}
		log_warn_errno(errno, "setup: mounting securityfs on %s failed", dir);
		return 0;
	}
	log_info("setup: mounted securityfs on %s", dir);
	return 0;
}

static bool has_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	return syscall(SYS_capget, &h, d) == 0 && (d[0].effective & (1u << CAP_SYS_ADMIN));
}

bool setup_tmpfs_wanted(const char *path)
{
	struct below b = { .path = path };

	return !setup_is_fs(path, TMPFS_MAGIC) && setup_each_mount(find_below, &b) <= 0;
}

int step_tmpfs(const struct config *cfg)
{
	for (int i = 0; i < cfg->setup.nmount_tmpfs; i++) {
		const char *path = cfg->setup.mount_tmpfs[i];
		bool sticky = strcmp(path, "/tmp") == 0 || strcmp(path, "/var/tmp") == 0;
		struct below b = { .path = path };

		if (setup_is_fs(path, TMPFS_MAGIC)) {
			log_info("setup: %s is a tmpfs already", path);
			continue;
		}
		/* Never hide what the user mounted (a volume under /tmp, say). */
		if (setup_each_mount(find_below, &b) > 0) {
			log_warn("setup: not mounting a tmpfs on %s: %s is mounted %s", path,
				 b.found,
				 strcmp(b.found, path) == 0 ? "there already" : "below it");
			continue;
		}
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			log_error_errno(errno, "setup: cannot create %s (mount_tmpfs)", path);
			return STEP_FATAL;
		}
		/* A fresh tmpfs drops what a previous run of the container left there: pid files,
		 * sockets, locks. Exec and devices allowed, as on a normal /run. */
		if (mount("tmpfs", path, "tmpfs", MS_NOSUID, sticky ? "mode=1777" : "mode=755") <
		    0) {
			int err = errno;

			/* preflight = no, or a path that became one to mount after it looked */
			if (err == EPERM && !has_sys_admin()) {
				log_error_errno(
					err,
					"setup: mounting a tmpfs on %s (mount_tmpfs) failed: "
					"this container lacks CAP_SYS_ADMIN: run it with "
					"--tmpfs /run --tmpfs /tmp (or --privileged)",
					path);
				return STEP_FATAL;
			}
			setup_mount_failed("mounting a tmpfs (mount_tmpfs)", err);
			return STEP_FATAL;
		}
		if (strcmp(path, "/run") == 0 && mkdir("/run/lock", 01777) == 0)
			(void)chmod("/run/lock", 01777); /* mkdir applies the umask */
		log_info("setup: mounted a fresh tmpfs on %s", path);
	}
	return 0;
}

/* The mount point a path is on: the longest mount point that is a prefix of it. */
struct mount_of {
	const char *path;
	char point[256];
	size_t len;
};

static int find_mount_of(const struct mount_entry *m, void *data)
{
	struct mount_of *o = data;
	size_t n = strlen(m->point);

	if (n == 1 && m->point[0] == '/')
		n = 0; /* "/" is a prefix of everything */
	if (strncmp(o->path, m->point, n) == 0 && (o->path[n] == '/' || o->path[n] == '\0') &&
	    (n >= o->len || !o->point[0])) {
		snprintf(o->point, sizeof(o->point), "%s", m->point);
		o->len = n;
	}
	return 0;
}

/* 1 when path, or the closest folder above it that exists (where it would be created), is on
 * a read-only filesystem; that folder goes to at. 0 when writable, -errno when it cannot tell. */
static int path_readonly(const char *path, char *at, size_t len)
{
	struct statvfs st;

	snprintf(at, len, "%s", path);
	for (;;) {
		char *slash;

		if (statvfs(at, &st) == 0)
			return (st.f_flag & ST_RDONLY) ? 1 : 0;
		if (errno != ENOENT && errno != ENOTDIR)
			return -errno;
		slash = strrchr(at, '/');
		if (!slash)
			return -ENOENT;
		if (slash == at)
			slash[1] = '\0'; /* up to "/" */
		else
			*slash = '\0';
	}
}

/* Every path the services write to (data_root and writable_paths) must be on a writable
 * filesystem: with `docker run --read-only` containerd and dockerd would otherwise fail one after
 * the other, each after five restarts. Name them all at once, with what to do for each. After
 * step_tmpfs, so the fresh tmpfs on /run and /tmp count. */
int step_writable(const struct config *cfg)
{
	const struct cfg_setup *s = &cfg->setup;
	int bad = 0;

	if (s->preflight == TRI_NO)
		return 0;
	for (int i = -1; i < s->nwritable_paths; i++) {
		const char *path = i < 0 ? s->data_root : s->writable_paths[i];
		struct mount_of o = { .path = path };
		char at[256];
		int r;

		if (!path || (i >= 0 && s->data_root && strcmp(path, s->data_root) == 0))
			continue;
		r = path_readonly(path, at, sizeof(at));
		if (r < 0)
			log_warn_errno(-r, "setup: cannot tell whether %s is writable", path);
		if (r <= 0)
			continue;
		bad++;
		o.path = at;
		(void)setup_each_mount(find_mount_of, &o);
		if (strcmp(o.point, "/") != 0 && o.point[0])
			log_error("setup: %s is on %s, which is mounted read-only, but %s writes "
				  "there: mount it read-write (no :ro, no readOnly: true)",
				  path, o.point, i < 0 ? "dockerd" : "a service");
		else if (i < 0)
			log_error(
				"setup: %s is on the container's read-only root filesystem "
				"(docker run --read-only), but dockerd writes there: mount a volume "
				"on it (docker run -v dind-data:%s)",
				path, path);
		else
			log_error(
				"setup: %s is on the container's read-only root filesystem "
				"(docker run --read-only), but a service writes there: mount a "
				"tmpfs (docker run --tmpfs %s, or [init] mount_tmpfs) or a volume "
				"on it",
				path, path);
	}
	if (bad) {
		log_error("setup: %d path%s the services write to %s read-only ([init] data_root "
			  "and writable_paths); nothing was started",
			  bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are");
		return STEP_FATAL;
	}
	return 0;
}

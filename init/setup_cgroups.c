/* The container setup's cgroups: writable v1 hierarchies, or a v2 tree with the processes in a
 * leaf and the controllers enabled for nested containers. */
#include "init/setup_steps.h"

#include <errno.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/fs.h"
#include "core/log.h"

/* cgroup v1 ---------------------------------------------------------------------------- */

struct v1_scan {
	int found;
	int readonly;
	int remounted;
	int failed;
	int err;
	bool remount;
};

static int scan_v1(const struct mount_entry *m, void *data)
{
	struct v1_scan *v = data;

	if (strncmp(m->point, "/sys/fs/cgroup/", 15) != 0)
		return 0;
	if (strcmp(m->fstype, "cgroup") != 0 && strcmp(m->fstype, "cgroup2") != 0)
		return 0;
	v->found++;
	if (!m->readonly)
		return 0;
	v->readonly++;
	if (!v->remount)
		return 0;
	/* Keep the container's own view (its cgroup namespace or bind-mounted subtree): make the
	 * same mounts writable rather than mounting fresh hierarchies, which with the host's
	 * cgroup namespace would show the whole host and put nested containers outside the
	 * outer container's limits. */
	if (mount(NULL, m->point, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0) {
		v->failed++;
		v->err = errno;
	} else {
		v->remounted++;
	}
	return 0;
}

/* No cgroup mounts at all: a tmpfs on /sys/fs/cgroup and one mount per hierarchy of
 * /proc/cgroups (controllers sharing a hierarchy id are mounted together), plus name=systemd. */
static int mount_v1_hierarchies(void)
{
	char opts[CGROUP_V1_HIERARCHIES_MAX + 1][64];
	int ids[CGROUP_V1_HIERARCHIES_MAX];
	int n = 0, mounted = 0;
	char line[256];
	FILE *f;

	if (!setup_is_fs("/sys/fs/cgroup", TMPFS_MAGIC) &&
	    mount("tmpfs", "/sys/fs/cgroup", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=755") < 0) {
		setup_mount_failed("mounting a tmpfs on /sys/fs/cgroup", errno);
		return STEP_FATAL;
	}
	f = fopen("/proc/cgroups", "re");
	if (!f) {
		log_error_errno(errno, "setup: cannot read /proc/cgroups");
		return STEP_FATAL;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[32], num[3][16];
		const char *p = line;
		int id, enabled, k;

		/* subsys_name hierarchy num_cgroups enabled */
		if (line[0] == '#' || !next_field(&p, name, sizeof(name)) ||
		    !next_field(&p, num[0], sizeof(num[0])) ||
		    !next_field(&p, num[1], sizeof(num[1])) ||
		    !next_field(&p, num[2], sizeof(num[2])))
			continue;
		id = atoi(num[0]);
		enabled = atoi(num[2]);
		/* Hierarchy 0: the controller lives on cgroup v2; mounting it here would take it
		 * away from v2 for the whole machine. */
		if (id == 0 || !enabled)
			continue;
		for (k = 0; k < n && ids[k] != id; k++)
			;
		if (k == n) {
			if (n == (int)(sizeof(ids) / sizeof(ids[0])))
				continue;
			ids[n] = id;
			opts[n][0] = '\0';
			n++;
		}
		snprintf(opts[k] + strlen(opts[k]), sizeof(opts[k]) - strlen(opts[k]), "%s%s",
			 opts[k][0] ? "," : "", name);
	}
	fclose(f);
	snprintf(opts[n], sizeof(opts[n]), "none,name=systemd");
	for (int k = 0; k <= n; k++) {
		char dir[128];

		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%.63s", k == n ? "systemd" : opts[k]);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			log_error_errno(errno, "setup: cannot create %s", dir);
			return STEP_FATAL;
		}
		if (mount("cgroup", dir, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts[k]) < 0) {
			log_warn_errno(errno, "setup: mounting cgroup hierarchy %s failed",
				       opts[k]);
			continue;
		}
		mounted++;
		/* cpu,cpuacct is also reachable as cpu and cpuacct, as on a normal system. */
		if (k < n && strchr(opts[k], ',')) {
			char copy[64], *save = NULL;

			snprintf(copy, sizeof(copy), "%.63s", opts[k]);
			for (char *c = strtok_r(copy, ",", &save); c;
			     c = strtok_r(NULL, ",", &save)) {
				char link[128];

				snprintf(link, sizeof(link), "/sys/fs/cgroup/%.63s", c);
				(void)!symlink(opts[k], link);
			}
		}
	}
	log_info("setup: cgroup v1: mounted %d hierarchies read-write on /sys/fs/cgroup", mounted);
	return 0;
}

static int setup_v1(void)
{
	struct v1_scan v = { .remount = false };

	(void)setup_each_mount(scan_v1, &v);
	if (v.found == 0)
		return mount_v1_hierarchies();
	if (v.readonly == 0) {
		log_info("setup: cgroup v1: %d hierarchies, writable already", v.found);
		return 0;
	}
	if (setup_is_readonly("/sys/fs/cgroup"))
		(void)mount(NULL, "/sys/fs/cgroup", NULL,
			    MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	v = (struct v1_scan){ .remount = true };
	(void)setup_each_mount(scan_v1, &v);
	if (v.failed) {
		setup_mount_failed("remounting the cgroup hierarchies read-write", v.err);
		return STEP_FATAL;
	}
	log_info("setup: cgroup v1: remounted %d read-only hierarchies read-write", v.remounted);
	return 0;
}

/* cgroup v2 ---------------------------------------------------------------------------- */

/* "0::/" in /proc/self/cgroup: we are at the root of our cgroup namespace. */
static bool at_cgroup_root(void)
{
	char buf[4096];
	const char *line;

	if (fs_read_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return true;
	for (line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, "0::", 3) == 0)
			return strncmp(line, "0::/\n", 5) == 0 || strcmp(line, "0::/") == 0;
	return true;
}

static int mount_cgroup2(void)
{
	/* MNT_DETACH takes the whole tree (the v1 hierarchies of a hybrid host) with it. */
	if (umount2("/sys/fs/cgroup", MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
		setup_mount_failed("unmounting /sys/fs/cgroup", errno);
		return STEP_FATAL;
	}
	if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) <
	    0) {
		setup_mount_failed("mounting cgroup2 on /sys/fs/cgroup", errno);
		return STEP_FATAL;
	}
	return 0;
}

/* Move every process of the root cgroup into /sys/fs/cgroup/init. */
static int move_to_leaf(void)
{
	char buf[8192];
	char *save = NULL;

	if (fs_read_file("/sys/fs/cgroup/cgroup.procs", buf, sizeof(buf)) < 0)
		return -errno;
	for (char *pid = strtok_r(buf, "\n", &save); pid; pid = strtok_r(NULL, "\n", &save)) {
		int r = fs_write_file("/sys/fs/cgroup/init/cgroup.procs", pid);

		if (r < 0 && r != -ESRCH)
			return r;
	}
	return 0;
}

static int enable_controllers(int *enabled)
{
	char buf[512];
	char *save = NULL;

	*enabled = 0;
	if (fs_read_file("/sys/fs/cgroup/cgroup.controllers", buf, sizeof(buf)) < 0)
		return -errno;
	for (char *c = strtok_r(buf, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
		char plus[40];
		int r;

		snprintf(plus, sizeof(plus), "+%s", c);
		r = fs_write_file("/sys/fs/cgroup/cgroup.subtree_control", plus);
		if (r < 0)
			return r;
		(*enabled)++;
	}
	return 0;
}

static int setup_v2(bool forced)
{
	bool mounted = false, unshared = false;
	int enabled = 0, r = 0;

	if (!at_cgroup_root()) {
		/* With the host's cgroup namespace our cgroup is not the root; a namespace of our
		 * own makes it so, and the fresh mount below shows just our subtree. */
		if (unshare(CLONE_NEWCGROUP) < 0) {
			setup_mount_failed("creating a cgroup namespace", errno);
			return STEP_FATAL;
		}
		unshared = true;
	}
	if (unshared || setup_is_readonly("/sys/fs/cgroup") ||
	    !setup_is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC)) {
		if (mount_cgroup2() < 0)
			return STEP_FATAL;
		mounted = true;
	}
	if (mkdir("/sys/fs/cgroup/init", 0755) < 0 && errno != EEXIST) {
		log_error_errno(errno, "setup: cannot create /sys/fs/cgroup/init");
		return STEP_FATAL;
	}
	/* Controllers can only be enabled for children once the root holds no process (the "no
	 * internal processes" rule); a `docker exec` may add one meanwhile: EBUSY, try again. */
	for (int attempt = 0; attempt < CGROUP_RETRIES; attempt++) {
		struct timespec ts = { 0, (10L << attempt) * 1000000L };

		r = move_to_leaf();
		if (r == 0)
			r = enable_controllers(&enabled);
		if (r != -EBUSY)
			break;
		if (ts.tv_nsec >= 1000000000L)
			ts = (struct timespec){ 1, 0 };
		nanosleep(&ts, NULL);
	}
	if (r < 0) {
		log_error_errno(-r, "setup: cgroup v2: moving processes to /sys/fs/cgroup/init and "
				    "enabling controllers failed");
		return STEP_FATAL;
	}
	log_info("setup: cgroup v2%s%s%s: processes moved to /init, %d controller%s enabled",
		 forced ? " (forced)" : "", unshared ? ", own cgroup namespace" : "",
		 mounted ? ", fresh mount" : "", enabled, enabled == 1 ? "" : "s");
	if (enabled == 0)
		log_warn(
			"setup: cgroup v2 has no controllers here (on a hybrid or cgroup v1 host they "
			"belong to the v1 hierarchies): nested containers get no memory, CPU or pids "
			"limits; use cgroup v1 (cgroups = auto) or a cgroup v2 host");
	return 0;
}

int step_cgroups(const struct config *cfg)
{
	switch (cfg->setup.cgroups) {
	case CGROUPS_NO:
		return 0;
	case CGROUPS_V1:
		return setup_v1();
	case CGROUPS_V2:
		return setup_v2(true);
	case CGROUPS_AUTO:
	default:
		if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
			return setup_v2(false);
		return setup_v1();
	}
}

#include "init/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/exit_codes.h"
#include "core/fs.h"
#include "core/log.h"
#include "supervisor/spawn.h"

extern char **environ;

/* Every signal, the synchronous ones (SEGV, BUS, ILL, FPE, ABRT, TRAP, SYS) too: a real fault
 * is forced on us even while blocked (the kernel unblocks it and, at SIG_DFL, kills us even as
 * PID 1), and abort() unblocks SIGABRT itself, so a crash stays a crash. What blocking holds
 * back is what another process sends (kill -ABRT), which the loop reads and forwards like any
 * other signal; unblocked at SIG_DFL, the kernel dropped it for PID 1, and it killed us
 * outright when we are not PID 1 (under an init that forwards every signal).
 * SIGKILL and SIGSTOP cannot be blocked; glibc keeps its two internal real-time signals
 * (SIGCANCEL, SIGSETXID: 32 and 33) out of any mask set through it, by design. */
static void blocked_set(sigset_t *set)
{
	sigfillset(set);
}

void setup_block_signals(void)
{
	sigset_t set;

	blocked_set(&set);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);
	/* Whatever the parent left us (a shell's background job ignores SIGINT and SIGQUIT; a
	 * SIGCHLD set to SIG_IGN makes the kernel reap our children before we see them), we rely
	 * on the defaults, and children inherit them. After blocking, not before: a stop signal
	 * that comes in between then waits for the loop instead of killing us by its default
	 * action (a blocked signal is queued even while its disposition is still SIG_IGN). */
	spawn_default_signals();
}

int setup_signalfd(void)
{
	sigset_t set;
	int fd;

	blocked_set(&set);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int setup_subreaper(void)
{
	if (getpid() == 1)
		return 0;
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 ? -errno : 0;
}

/* ---- container setup ----------------------------------------------------------------- */

/* How a step went: fatal errors end the setup with EXIT_SETUP. */
#define STEP_FATAL (-1)

static const char priv_hint[] = "run the container with --privileged (Kubernetes: "
				"securityContext.privileged: true)";

static bool is_fs(const char *path, long magic)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (long)st.f_type == magic;
}

static bool is_readonly(const char *path)
{
	struct statvfs st;

	return statvfs(path, &st) == 0 && (st.f_flag & ST_RDONLY);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* One line of /proc/self/mountinfo, split. The optional fields vary in number, so the
 * filesystem type is the field after " - ", never a fixed column. */
struct mount_entry {
	char point[256];
	char fstype[32];
	bool readonly;
};

/* Calls fn for every mount; stops early when fn returns non-zero (and returns that). */
static int each_mount(int (*fn)(const struct mount_entry *m, void *data), void *data)
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

static int step_preflight(const struct config *cfg)
{
	static const struct {
		cap_value_t cap;
		const char *name;
	} needed[] = { { CAP_SYS_ADMIN, "CAP_SYS_ADMIN" }, { CAP_NET_ADMIN, "CAP_NET_ADMIN" } };
	char missing[64] = "";
	cap_t caps;

	if (cfg->setup.preflight == TRI_NO)
		return 0;
	/* First: as another user the capabilities are missing too, but --privileged would not
	 * help (docker run --user 1000, Kubernetes runAsUser). */
	if (geteuid() != 0) {
		log_error("dind-init runs as uid %u, but must run as root (uid 0) to prepare the "
			  "container and start containerd and dockerd: drop docker run --user "
			  "(Kubernetes: runAsUser); run the main command as another user with "
			  "[main] user",
			  (unsigned)geteuid());
		return STEP_FATAL;
	}
	caps = cap_get_proc();
	if (!caps) {
		log_warn_errno(errno, "preflight: cannot read this process's capabilities");
		return 0;
	}
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(caps, needed[i].cap, CAP_EFFECTIVE, &v) < 0 || v != CAP_SET)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s%s", missing[0] ? " and " : "", needed[i].name);
	}
	cap_free(caps);
	if (missing[0]) {
		log_error(
			"this container lacks %s, which Docker-in-Docker needs to mount filesystems "
			"and set up networks: %s (or at least --cap-add SYS_ADMIN --cap-add NET_ADMIN "
			"with seccomp and AppArmor unconfined); [init] preflight = no skips this check",
			missing, priv_hint);
		return STEP_FATAL;
	}
	log_info("setup: preflight ok (CAP_SYS_ADMIN, CAP_NET_ADMIN)");
	return 0;
}

/* A mount that failed although we hold CAP_SYS_ADMIN: seccomp or AppArmor said no. */
static void mount_failed(const char *what, int err)
{
	log_error_errno(err, "setup: %s failed", what);
	if (err == EPERM || err == EACCES)
		log_error("the container's seccomp or AppArmor profile forbids it: %s", priv_hint);
}

static int step_rshared(const struct config *cfg)
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

static int step_sys_rw(const struct config *cfg)
{
	if (cfg->setup.sys_rw == TRI_NO || !is_readonly("/sys"))
		return 0;
	/* Without --privileged, Docker mounts /sys read-only. It is the sysfs of the container's
	 * own network namespace, so making it writable exposes nothing of the host's. */
	if (mount(NULL, "/sys", NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		if (cfg->setup.sys_rw == TRI_YES) {
			mount_failed("remounting /sys read-write", errno);
			return STEP_FATAL;
		}
		log_warn_errno(errno, "setup: /sys is read-only and could not be remounted "
				      "read-write");
		return 0;
	}
	log_info("setup: remounted /sys read-write");
	return 0;
}

static int step_securityfs(const struct config *cfg)
{
	static const char dir[] = "/sys/kernel/security";

	if (cfg->setup.securityfs == TRI_NO || !is_dir(dir) || is_fs(dir, SECURITYFS_MAGIC))
		return 0;
	/* AppArmor-aware runc and dockerd look here; without it they assume no LSM. */
	if (mount("securityfs", dir, "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		if (cfg->setup.securityfs == TRI_YES) {
			mount_failed("mounting securityfs on /sys/kernel/security", errno);
			return STEP_FATAL;
		}
		log_warn_errno(errno, "setup: mounting securityfs on %s failed", dir);
		return 0;
	}
	log_info("setup: mounted securityfs on %s", dir);
	return 0;
}

static int step_tmpfs(const struct config *cfg)
{
	for (int i = 0; i < cfg->setup.nmount_tmpfs; i++) {
		const char *path = cfg->setup.mount_tmpfs[i];
		bool sticky = strcmp(path, "/tmp") == 0 || strcmp(path, "/var/tmp") == 0;
		struct below b = { .path = path };

		if (is_fs(path, TMPFS_MAGIC)) {
			log_info("setup: %s is a tmpfs already", path);
			continue;
		}
		/* Never hide what the user mounted (a volume under /tmp, say). */
		if (each_mount(find_below, &b) > 0) {
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
			mount_failed("mounting a tmpfs (mount_tmpfs)", errno);
			return STEP_FATAL;
		}
		if (strcmp(path, "/run") == 0 && mkdir("/run/lock", 01777) == 0)
			(void)chmod("/run/lock", 01777); /* mkdir applies the umask */
		log_info("setup: mounted a fresh tmpfs on %s", path);
	}
	return 0;
}

/* A pid file is stale when no other live process has that pid; a socket when nobody accepts
 * on it. Anything else is left alone. */
static bool file_is_stale(const char *path, const struct stat *st, char *why, size_t len)
{
	if (S_ISREG(st->st_mode)) {
		char buf[32];
		long pid;
		char *end;

		if (fs_read_file(path, buf, sizeof(buf)) < 0)
			return false;
		pid = strtol(buf, &end, 10);
		if (end == buf || pid <= 0 || pid > INT32_MAX) {
			snprintf(why, len, "it holds no pid");
			return true;
		}
		if ((pid_t)pid != getpid() && kill((pid_t)pid, 0) == 0) {
			snprintf(why, len, "process %ld is alive", pid);
			return false;
		}
		snprintf(why, len, "process %ld is gone", pid);
		return true;
	}
	if (S_ISSOCK(st->st_mode)) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int r;

		if (fd < 0)
			return false;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
		r = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
		(void)close(fd);
		if (r == 0) {
			snprintf(why, len, "something listens on it");
			return false;
		}
		snprintf(why, len, "nothing listens on it");
		return true;
	}
	snprintf(why, len, "it is neither a pid file nor a socket");
	return false;
}

static int step_stale(const struct config *cfg)
{
	int removed = 0;

	for (int i = 0; i < cfg->setup.nstale_files; i++) {
		const char *path = cfg->setup.stale_files[i];
		char why[64];
		struct stat st;

		if (lstat(path, &st) < 0)
			continue;
		if (!file_is_stale(path, &st, why, sizeof(why))) {
			log_warn("setup: kept %s: %s", path, why);
			continue;
		}
		if (unlink(path) < 0 && errno != ENOENT) {
			log_warn_errno(errno, "setup: cannot remove the stale %s", path);
			continue;
		}
		log_info("setup: removed the stale %s (%s)", path, why);
		removed++;
	}
	if (!removed)
		log_debug("setup: no stale pid files or sockets");
	return 0;
}

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

	if (!is_fs("/sys/fs/cgroup", TMPFS_MAGIC) &&
	    mount("tmpfs", "/sys/fs/cgroup", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=755") < 0) {
		mount_failed("mounting a tmpfs on /sys/fs/cgroup", errno);
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

	(void)each_mount(scan_v1, &v);
	if (v.found == 0)
		return mount_v1_hierarchies();
	if (v.readonly == 0) {
		log_info("setup: cgroup v1: %d hierarchies, writable already", v.found);
		return 0;
	}
	if (is_readonly("/sys/fs/cgroup"))
		(void)mount(NULL, "/sys/fs/cgroup", NULL,
			    MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	v = (struct v1_scan){ .remount = true };
	(void)each_mount(scan_v1, &v);
	if (v.failed) {
		mount_failed("remounting the cgroup hierarchies read-write", v.err);
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
		mount_failed("unmounting /sys/fs/cgroup", errno);
		return STEP_FATAL;
	}
	if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) <
	    0) {
		mount_failed("mounting cgroup2 on /sys/fs/cgroup", errno);
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
			mount_failed("creating a cgroup namespace", errno);
			return STEP_FATAL;
		}
		unshared = true;
	}
	if (unshared || is_readonly("/sys/fs/cgroup") ||
	    !is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC)) {
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

static int step_cgroups(const struct config *cfg)
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

/* iptables ----------------------------------------------------------------------------- */

static bool legacy_tables_in_use(void)
{
	static const char *const files[] = { "/proc/net/ip_tables_names",
					     "/proc/net/ip6_tables_names" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char buf[64];

		if (fs_read_file(files[i], buf, sizeof(buf)) > 0)
			return true;
	}
	return false;
}

/* Run argv quietly, bounded in time. Returns its exit code, or -errno. Before the event loop,
 * so waiting here is fine. */
static int run_quiet(char *const *argv)
{
	struct spawn_opts o = { .argv = argv, .null_stdin = true };
	struct spawn_result res;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int r, st;

	o.stdout_fd = o.stderr_fd = devnull;
	r = spawn_process(&o, &res);
	if (devnull >= 0)
		(void)close(devnull);
	if (r < 0)
		return r;
	(void)close(res.report_fd); /* its exit status is all we need */
	for (int waited = 0;; waited += 10) {
		pid_t p = waitpid(res.pid, &st, WNOHANG);

		if (p == res.pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (p < 0 && errno != EINTR)
			return -errno;
		if (waited >= PROBE_CMD_TIMEOUT_MS) {
			spawn_kill_group(res.pid);
			(void)waitpid(res.pid, &st, 0);
			return -ETIMEDOUT;
		}
		nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
	}
}

static bool iptables_works(const char *mode)
{
	char name[32], buf[256];
	char *argv[] = { name, (char *)"-nL", NULL };
	int err;

	snprintf(name, sizeof(name), "iptables-%s", mode);
	if (!spawn_find_in_path(name, environ, buf, sizeof(buf), &err))
		return false;
	argv[0] = buf;
	return run_quiet(argv) == 0;
}

/* Make `iptables` & co. mean the chosen backend for dockerd: a folder of links first in PATH
 * (the Debian alternatives may point elsewhere, and are not ours to change in an image). */
static int apply_iptables(const struct config *cfg, const char *mode)
{
	static const char *const tools[] = { "iptables",  "iptables-save",  "iptables-restore",
					     "ip6tables", "ip6tables-save", "ip6tables-restore" };
	char dir[256], path[4096];
	const char *old = getenv("PATH");
	int linked = 0;

	snprintf(dir, sizeof(dir), "%s/iptables-%s", cfg->runtime_dir, mode);
	int r = fs_mkdirs(dir);

	if (r < 0) {
		log_warn_errno(-r, "setup: cannot create %s for the iptables choice", dir);
		return 0;
	}
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		char name[64], target[256], link[320];
		const char *dash = strchr(tools[i], '-');
		int err;

		/* iptables-save -> iptables-nft-save, iptables -> iptables-nft */
		if (dash)
			snprintf(name, sizeof(name), "%.*s-%s%s", (int)(dash - tools[i]), tools[i],
				 mode, dash);
		else
			snprintf(name, sizeof(name), "%s-%s", tools[i], mode);
		if (!spawn_find_in_path(name, environ, target, sizeof(target), &err))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, tools[i]);
		(void)unlink(link);
		if (symlink(target, link) == 0)
			linked++;
	}
	if (!linked) {
		log_warn("setup: iptables: no iptables-%s binaries found to point iptables at",
			 mode);
		return 0;
	}
	snprintf(path, sizeof(path), "%s:%s", dir,
		 old && *old ? old : "/usr/sbin:/usr/bin:/sbin:/bin");
	setenv("PATH", path, 1);
	return 1;
}

static int step_iptables(const struct config *cfg)
{
	const char *mode = NULL, *why = NULL;

	switch (cfg->setup.iptables) {
	case IPTABLES_NO:
		return 0;
	case IPTABLES_LEGACY:
		mode = "legacy", why = "configured";
		break;
	case IPTABLES_NFT:
		mode = "nft", why = "configured";
		break;
	case IPTABLES_AUTO:
	default:
		/* docker:dind's switch: set and not empty means legacy, set and empty nft. */
		if (getenv("DOCKER_IPTABLES_LEGACY")) {
			bool legacy = *getenv("DOCKER_IPTABLES_LEGACY") != '\0';

			mode = legacy ? "legacy" : "nft";
			why = legacy ? "DOCKER_IPTABLES_LEGACY is set"
				     : "DOCKER_IPTABLES_LEGACY is empty";
			break;
		}
		/* Look at the tables before running anything: `iptables-legacy -nL` itself loads
		 * the legacy filter table. */
		if (legacy_tables_in_use())
			mode = "legacy", why = "legacy tables already hold rules";
		else if (iptables_works("nft"))
			mode = "nft", why = "iptables-nft works";
		else if (iptables_works("legacy"))
			mode = "legacy", why = "iptables-nft does not work, iptables-legacy does";
		break;
	}
	if (!mode) {
		log_warn("setup: iptables: neither iptables-nft nor iptables-legacy works here; "
			 "dockerd will fail to set up networks (install iptables, or run dockerd "
			 "with --iptables=false)");
		return 0;
	}
	if (apply_iptables(cfg, mode) > 0)
		log_info("setup: iptables: using %s (%s)", mode, why);
	return 0;
}

/* MTU ------------------------------------------------------------------------------------- */

/* The interface of the default route: IPv4 first (/proc/net/route), else IPv6
 * (/proc/net/ipv6_route). This process's network namespace: the container's. */
static bool default_route_iface(char *iface, size_t len)
{
	char buf[16384];
	const char *line;

	if (fs_read_file("/proc/net/route", buf, sizeof(buf)) > 0) {
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ...: destination and
		 * mask 0 */
		for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
			const char *p = line + 1;
			char name[IFNAMSIZ], dest[16], skip[16], mask[16];
			bool ok = next_field(&p, name, sizeof(name)) &&
				  next_field(&p, dest, sizeof(dest));

			for (int k = 0; ok && k < 5; k++)
				ok = next_field(&p, skip, sizeof(skip));
			if (ok && next_field(&p, mask, sizeof(mask)) &&
			    strcmp(dest, "00000000") == 0 && strcmp(mask, "00000000") == 0) {
				snprintf(iface, len, "%s", name);
				return true;
			}
		}
	}
	if (fs_read_file("/proc/net/ipv6_route", buf, sizeof(buf)) > 0) {
		/* dest dest_len src src_len next_hop metric refcnt use flags iface: ::/0, not lo */
		for (line = buf; line && *line;
		     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			const char *p = line;
			char f[10][40];
			int k;

			for (k = 0; k < 10 && next_field(&p, f[k], sizeof(f[k])); k++)
				;
			if (k == 10 && strspn(f[0], "0") == 32 && strcmp(f[1], "00") == 0 &&
			    strcmp(f[9], "lo") != 0) {
				snprintf(iface, len, "%.*s", IFNAMSIZ - 1, f[9]);
				return true;
			}
		}
	}
	return false;
}

static int iface_mtu(const char *iface)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	r = ioctl(fd, SIOCGIFMTU, &ifr) < 0 ? -errno : ifr.ifr_mtu;
	(void)close(fd);
	return r;
}

/* Nested containers must not get a larger MTU than the network the outer container is on (CI
 * overlays, VPNs: 1450, 1400...), or large packets are lost and TLS handshakes hang. dockerd
 * defaults to 1500; the default config gives it --mtu=$DOCKER_MTU (args_if). */
static int step_mtu(const struct config *cfg)
{
	const char *given = getenv("DOCKER_MTU");
	char iface[IFNAMSIZ], num[16];
	int mtu;

	/* Set but empty counts as unset, as for the args_if condition DOCKER_MTU. */
	if (given && *given) {
		char *end;
		long v = strtol(given, &end, 10);

		/* strtol would take " 1400" and "+1400"; dockerd would not. */
		if (given[0] < '0' || given[0] > '9' || *end || v < 68 || v > 65535) {
			log_error(
				"setup: DOCKER_MTU='%s' is not an MTU: give a number from 68 to 65535, "
				"or unset it to use the default route's MTU",
				given);
			return STEP_FATAL;
		}
		log_info("setup: MTU %ld (DOCKER_MTU) for dockerd and its networks", v);
		return 0;
	}
	if (!cfg->setup.mtu_auto)
		return 0;
	if (!default_route_iface(iface, sizeof(iface))) {
		log_debug("setup: no default route: MTU left to dockerd");
		return 0;
	}
	mtu = iface_mtu(iface);
	if (mtu < 0) {
		log_warn_errno(-mtu,
			       "setup: cannot read the MTU of %s (the default route's); set "
			       "DOCKER_MTU if it is below 1500",
			       iface);
		return 0;
	}
	if (mtu >= 1500) {
		log_debug("setup: MTU %d on %s: dockerd's default (1500) fits", mtu, iface);
		return 0;
	}
	snprintf(num, sizeof(num), "%d", mtu);
	setenv("DOCKER_MTU", num, 1);
	log_info("setup: MTU %d on %s (the default route's), below 1500: DOCKER_MTU=%d for dockerd "
		 "and its networks",
		 mtu, iface, mtu);
	return 0;
}

static int step_rlimit(const struct config *cfg)
{
	struct rlimit rl;
	rlim_t want, was;

	if (cfg->setup.rlimit_nofile == RLIMIT_NOFILE_KEEP || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	was = rl.rlim_cur;
	want = cfg->setup.rlimit_nofile == RLIMIT_NOFILE_HARD ? rl.rlim_max
							      : (rlim_t)cfg->setup.rlimit_nofile;
	if (want > rl.rlim_max) {
		log_warn(
			"setup: rlimit_nofile %lu is above the hard limit %lu; using the hard limit",
			(unsigned long)want, (unsigned long)rl.rlim_max);
		want = rl.rlim_max;
	}
	if (want == was)
		return 0;
	rl.rlim_cur = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		log_warn_errno(errno, "setup: raising RLIMIT_NOFILE to %lu", (unsigned long)want);
		return 0;
	}
	log_info("setup: RLIMIT_NOFILE soft limit %lu -> %lu", (unsigned long)was,
		 (unsigned long)want);
	return 0;
}

static int step_data_root(const struct config *cfg)
{
	const char *dir = cfg->setup.data_root;

	if (dir && is_dir(dir) && is_fs(dir, OVERLAYFS_SUPER_MAGIC))
		log_warn(
			"setup: the Docker data root %s is on the container's overlay filesystem: "
			"dockerd's overlay2 driver cannot work on it and everything there is lost "
			"with the container; mount a volume there (docker run -v dind-data:%s ...)",
			dir, dir);
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
static int step_writable(const struct config *cfg)
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
		(void)each_mount(find_mount_of, &o);
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

int setup_container(const struct config *cfg)
{
	static int (*const steps[])(const struct config *) = {
		step_preflight, step_rshared,  step_sys_rw, step_securityfs,
		step_tmpfs,	step_writable, step_stale,  step_cgroups,
		step_iptables,	step_mtu,      step_rlimit, step_data_root,
	};
	char comm[32] = "", exe[256] = "", who[64];
	struct setup_facts f = {
		.pid1 = getpid() == 1,
		.parent_is_pid1 = getppid() == 1,
	};
	const char *container = getenv("container");
	ssize_t n;

	/* Who PID 1 is matters only when we are not it (docker run --init). */
	if (!f.pid1 && f.parent_is_pid1) {
		if (fs_read_file("/proc/1/comm", comm, sizeof(comm)) > 0) {
			comm[strcspn(comm, "\n")] = '\0';
			f.pid1_comm = comm;
		}
		n = readlink("/proc/1/exe", exe, sizeof(exe) - 1);
		if (n > 0) {
			exe[n] = '\0';
			f.pid1_exe = exe;
		}
		f.in_container = access("/.dockerenv", F_OK) == 0 ||
				 access("/run/.containerenv", F_OK) == 0 ||
				 (container && *container);
	}
	switch (cfg_setup_decide(cfg->setup.setup, cfg->nservices, &f)) {
	case SETUP_SKIP_OFF:
		log_debug("setup: off (setup = no or --no-setup)");
		return 0;
	case SETUP_SKIP_NO_SERVICES:
		log_debug("setup: skipped (no services configured)");
		return 0;
	case SETUP_SKIP_NOT_PID1:
		if (f.parent_is_pid1)
			snprintf(who, sizeof(who), "PID 1 is '%s'", comm[0] ? comm : "?");
		else
			snprintf(who, sizeof(who), "pid %d, parent %d", (int)getpid(),
				 (int)getppid());
		log_warn("setup: skipped: dind-init is not PID 1 (%s), so the container is not "
			 "prepared for Docker (cgroups, mounts, iptables) and nested containers "
			 "will likely fail; make dind-init the container's PID 1 (its ENTRYPOINT), "
			 "or set [init] setup = yes",
			 who);
		return 0;
	case SETUP_RUN_UNDER_INIT:
		log_info("setup: dind-init is pid %d under %s, the container's init (docker run "
			 "--init): preparing the container all the same",
			 (int)getpid(), cfg_minimal_init(&f));
		break;
	case SETUP_RUN_FORCED:
	case SETUP_RUN_PID1:
		break;
	}
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i](cfg) == STEP_FATAL)
			return EXIT_SETUP;
	return 0;
}

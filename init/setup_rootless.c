/* rootless = yes: what rootless dockerd (RootlessKit around dockerd, as an unprivileged user)
 * needs from the container, prepared where dind-init can do it as root, and checked. Every check
 * runs and each failure is one line with what to do; then nothing starts (exit 3). The parsing
 * is config/rootless.c's; here are the syscalls. */
#include "init/setup_rootless.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "config/rootless.h"
#include "core/exit_codes.h"
#include "core/fs.h"
#include "core/log.h"
#include "init/setup.h"
#include "init/setup_steps.h"
#include "supervisor/spawn.h"

#define TUN_PATH	   "/dev/net/tun"
#define SUBIDS_FILE_MAX	   (4 * 1024 * 1024) /* bytes of /etc/subuid read; more is said */
#define AS_USER_TIMEOUT_MS 5000 /* the checks made as the user (a fork, a few syscalls) */
#define AS_USER_REAP_MS	   1000 /* then waiting for it to die */
#define DEFAULT_PATH	   "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* One rootless service, as the checks see it. */
struct rl {
	const struct cfg_service *svc;
	const char *user; /* name, or the uid as text */
	char uid_text[16];
	uid_t uid;
	gid_t gid;
	const char *net;       /* DOCKERD_ROOTLESS_ROOTLESSKIT_NET, or NULL */
	const char *path;      /* the service's PATH */
	char run[256];	       /* its XDG_RUNTIME_DIR */
	const char *data;      /* [init] data_root, or NULL */
	const char *run_call;  /* the call that failed making run, or NULL */
	int run_err, data_err; /* errno of making run, of the chown of data (0: none) */
	uint64_t cap_eff;      /* dind-init's effective capabilities (all: unknown) */
	int failed;	       /* failures so far */
};

/* What the child that drops to the user finds: 0 or an errno each (-1: not checked). */
struct as_user_result {
	int tun, run, data, userns, ns;
};

/* The value of NAME in the service's own environment = entries, or NULL. */
static const char *svc_own_env(const struct cfg_service *svc, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < svc->nenv; i++)
		if (strncmp(svc->env[i], name, n) == 0 && svc->env[i][n] == '=')
			return svc->env[i] + n + 1;
	return NULL;
}

/* The same, else dind-init's (which the service inherits), else NULL. */
static const char *svc_getenv(const struct cfg_service *svc, const char *name)
{
	const char *v = svc_own_env(svc, name);

	return v ? v : getenv(name);
}

/* Appends KEY=value to the service's environment. 0 or -errno. */
static int svc_add_env(struct cfg_service *svc, const char *entry)
{
	char **env, *dup;

	if (svc->nenv >= MAX_ENV)
		return -E2BIG;
	dup = strdup(entry);
	env = dup ? realloc(svc->env, (size_t)(svc->nenv + 1) * sizeof(*env)) : NULL;
	if (!env) {
		free(dup);
		return -ENOMEM;
	}
	svc->env = env;
	svc->env[svc->nenv++] = dup;
	return 0;
}

/* NAME in PATH (a name with a '/' as it is) into out, found as the service's exec will find
 * it (spawn_find_in_path). 0 or -ENOENT. */
static int find_program(const char *path, const char *name, char *out, size_t len)
{
	char *env[2] = { NULL, NULL };
	const char *found;
	int err;

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, X_OK) == 0 ? 0 : -ENOENT;
	}
	if (asprintf(&env[0], "PATH=%s", path) < 0)
		return -ENOENT;
	found = spawn_find_in_path(name, env, out, len, &err);
	free(env[0]);
	return found ? 0 : -ENOENT;
}

static bool in_bounding_set(int cap)
{
	return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

static bool has_cap(const struct rl *rl, int cap)
{
	return rl->cap_eff & ((uint64_t)1 << cap);
}

static long read_number(const char *path)
{
	char buf[32];

	return fs_read_file(path, buf, sizeof(buf)) > 0 ? strtol(buf, NULL, 10) : -1;
}

#define FAIL(rl, ...)                                                                              \
	do {                                                                                       \
		log_error("preflight: rootless: " __VA_ARGS__);                                    \
		(rl)->failed++;                                                                    \
	} while (0)

/* ---- preparation --------------------------------------------------------------------------- */

/* XDG_RUNTIME_DIR, made when missing: created and opened through its parent's fd, never
 * following a symbolic link at its own name (root would chown and chmod what it points at: a
 * shared, writable /run lets anyone plant one), nor one on the way in a folder others can write
 * to without the sticky bit (fs_open_dirs). Mode first, then owner: a chmod after the chown
 * would need CAP_FOWNER. */
static void prepare_runtime_dir(struct rl *rl)
{
	char parent[256];
	const char *name = rl->run;
	char *slash;
	int pfd = AT_FDCWD, fd = -1;
	struct stat st;

	if (lstat(rl->run, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			log_warn(
				"setup: rootless: %s (%s's XDG_RUNTIME_DIR) is a symbolic link: not "
				"followed as root",
				rl->run, rl->user);
		return;
	}
	snprintf(parent, sizeof(parent), "%s", rl->run);
	slash = strrchr(parent, '/');
	if (slash) {
		name = rl->run + (slash - parent) + 1;
		*slash = '\0';
		pfd = fs_open_dirs(slash == parent ? "/" : parent, true);
		if (pfd == -ELOOP) {
			log_warn(
				"setup: rootless: %s, %s's XDG_RUNTIME_DIR, not made: a folder on "
				"the way is a symbolic link in a folder others can write to without "
				"the sticky bit, not followed as root (make it yourself, or use a "
				"path of root's own)",
				rl->run, rl->user);
			return;
		}
		if (pfd < 0) {
			log_warn_errno(-pfd,
				       "setup: rootless: cannot make %s, %s's XDG_RUNTIME_DIR",
				       rl->run, rl->user);
			return;
		}
	}
	rl->run_call = "mkdir";
	if (mkdirat(pfd, name, 0700) == 0) {
		rl->run_call = "open";
		fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0) {
		rl->run_call = "chmod";
		if (fchmod(fd, 0700) == 0) {
			rl->run_call = "chown";
			if (fchown(fd, rl->uid, rl->gid) == 0)
				rl->run_call = NULL;
		}
	}
	if (rl->run_call) {
		rl->run_err = errno;
		log_warn_errno(rl->run_err,
			       "setup: rootless: %s of %s, %s's XDG_RUNTIME_DIR, failed",
			       rl->run_call, rl->run, rl->user);
	} else {
		log_info("setup: rootless: made %s for %s (XDG_RUNTIME_DIR, mode 0700)", rl->run,
			 rl->user);
	}
	if (fd >= 0)
		(void)close(fd);
	if (pfd >= 0)
		(void)close(pfd);
}

/* /dev/net/tun: made when missing; given mode 0666 only when it is the real device (a char
 * device 10:200 at that name, not a symbolic link: the chmod would go to what it points at, and
 * under -v /dev:/dev to the host's own node). */
static void prepare_tun(const struct rl *rl)
{
	const char *net = rootless_net_program(rl->net);
	struct stat st;
	bool is_tun;
	int fd;

	if (!rootless_net_needs_tun(rl->net))
		return;
	if (lstat(TUN_PATH, &st) < 0) {
		(void)mkdir("/dev/net", 0755);
		if (mknod(TUN_PATH, S_IFCHR | 0666, makedev(10, 200)) < 0 ||
		    chmod(TUN_PATH, 0666) < 0) {
			log_warn_errno(errno, "setup: rootless: cannot make %s for %s", TUN_PATH,
				       net);
			return;
		}
		log_info("setup: rootless: made %s (c 10:200) for %s", TUN_PATH, net);
		return;
	}
	if (!rootless_is_tun(st.st_mode, major(st.st_rdev), minor(st.st_rdev)) ||
	    (st.st_mode & 07777) == 0666)
		return;
	/* Opening the device makes no interface (that is TUNSETIFF); the fd is what is checked
	 * again and changed, so a swap after the lstat changes nothing else. */
	fd = open(TUN_PATH, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		log_warn_errno(errno, "setup: rootless: cannot give %s mode 0666", TUN_PATH);
		return;
	}
	is_tun = fstat(fd, &st) == 0 &&
		 rootless_is_tun(st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	if (is_tun && fchmod(fd, 0666) < 0)
		log_warn_errno(errno, "setup: rootless: cannot give %s mode 0666", TUN_PATH);
	else if (is_tun)
		log_info("setup: rootless: %s: mode 0666 (was %04o), for %s as %s", TUN_PATH,
			 (unsigned)(st.st_mode & 07777), net, rl->user);
	(void)close(fd);
}

/* Whether path, as written or resolved, is one of the system's folders (see
 * rootless_system_folder): never given to the user, nor a chown of it advised. */
static bool system_folder(const char *path)
{
	char real[PATH_MAX];

	return rootless_system_folder(path) ||
	       (realpath(path, real) && rootless_system_folder(real));
}

/* Whether the folder open at fd is empty but for lost+found (a fresh ext4 volume has one); the
 * first other entry into first. The fd is left open. */
static bool dir_is_empty(int fd, char *first, size_t len)
{
	int dfd = dup(fd);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;

	first[0] = '\0';
	if (!d) {
		if (dfd >= 0)
			(void)close(dfd);
		snprintf(first, len, "?");
		return false;
	}
	while (!first[0] && (e = readdir(d)))
		if (!rootless_empty_dir_entry(e->d_name))
			snprintf(first, len, "%s", e->d_name);
	(void)closedir(d);
	return !first[0];
}

/* dockerd, as the user, must own its data folder: a missing one is made, and an empty one of
 * someone else's (a fresh bind mount, a Kubernetes emptyDir) given to the user. A folder with
 * something in it is left as it is: the check names it. Never through a symbolic link at
 * data_root itself. */
static void prepare_data(struct rl *rl)
{
	struct stat st;
	char first[256];
	int fd;

	if (!rl->data)
		return;
	if (lstat(rl->data, &st) < 0) {
		/* Every folder on the way opened through its parent's (fs_open_dirs). */
		fd = fs_open_dirs(rl->data, true);
		if (fd == -ELOOP) {
			log_warn(
				"setup: rootless: %s (data_root) not made: a folder on the way is "
				"a symbolic link in a folder others can write to without the sticky "
				"bit, not followed as root (make it yourself, or use a path of "
				"root's own)",
				rl->data);
			return;
		}
		if (fd < 0) {
			log_warn_errno(-fd, "setup: rootless: cannot make %s", rl->data);
			return;
		}
		log_info("setup: rootless: made %s", rl->data);
	} else {
		fd = open(rl->data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (lstat(rl->data, &st) == 0 && S_ISLNK(st.st_mode))
			log_warn(
				"setup: rootless: %s (data_root) is a symbolic link: not followed as "
				"root",
				rl->data);
		return;
	}
	if (fstat(fd, &st) == 0 && st.st_uid != rl->uid && !system_folder(rl->data) &&
	    dir_is_empty(fd, first, sizeof(first))) {
		if (fchown(fd, rl->uid, rl->gid) < 0) {
			rl->data_err = errno;
			log_warn_errno(errno, "setup: rootless: chown of %s (empty) to %s failed",
				       rl->data, rl->user);
		} else {
			log_info("setup: rootless: %s (empty) now belongs to %s", rl->data,
				 rl->user);
		}
	}
	(void)close(fd);
}

/* ---- checks -------------------------------------------------------------------------------- */

static void check_subids(struct rl *rl, const char *file, const char *tool)
{
	char *text = malloc(SUBIDS_FILE_MAX);
	ssize_t n = text ? fs_read_file(file, text, SUBIDS_FILE_MAX) : -ENOMEM;
	int impossible = 0;
	unsigned long count = n >= 0 ? rootless_subids(text, rl->svc->privs.user_name,
						       (unsigned long)rl->uid, &impossible)
				     : 0;
	/* fs_read_file stops one byte short of the buffer: a file that filled it was cut */
	bool cut = n == SUBIDS_FILE_MAX - 1;
	char kind[64];
	struct stat st;

	free(text);
	if (impossible)
		log_warn("preflight: rootless: %d of %s's ranges in %s go past the last id "
			 "(4294967294) and are ignored: fix START:COUNT there",
			 impossible, rl->user, file);
	if (n == -EINVAL && stat(file, &st) == 0)
		FAIL(rl,
		     "%s is %s, not a regular file: %s reads %s's subordinate ids there; put the "
		     "file there (a line '%s:100000:65536')",
		     file,
		     rootless_file_kind(st.st_mode, major(st.st_rdev), minor(st.st_rdev), kind,
					sizeof(kind)),
		     tool, rl->user, rl->user);
	else if (count == 0 && cut)
		FAIL(rl,
		     "%s has no subordinate ids in the first %d MiB of %s, all that dind-init "
		     "reads: put %s's line near the top of it",
		     rl->user, SUBIDS_FILE_MAX / (1024 * 1024), file, rl->user);
	else if (count == 0)
		FAIL(rl,
		     "%s has no subordinate ids in %s%s%s, which %s maps into its user namespace: "
		     "add a range (echo '%s:100000:65536' >>%s)",
		     rl->user, file, n < 0 ? ": " : "", n < 0 ? strerror((int)-n) : "", tool,
		     rl->user, file);
	else if (count < ROOTLESS_SUBIDS_USUAL)
		log_warn("preflight: rootless: %s has only %lu subordinate ids in %s: images with "
			 "ids above %lu cannot be pulled (%d is usual)",
			 rl->user, count, file, count - 1, ROOTLESS_SUBIDS_USUAL);
}

/* newuidmap (cap_setuid) or newgidmap (cap_setgid): there, and able to write the id maps. */
static void check_idmap(struct rl *rl, const char *tool, int cap, const char *cap_name)
{
	char path[512];
	unsigned char xattr[64];
	uint64_t permitted = 0;
	bool effective = false;
	struct statvfs sv;
	struct stat st;
	ssize_t n;

	if (find_program(rl->path, tool, path, sizeof(path)) < 0) {
		FAIL(rl,
		     "%s is missing (RootlessKit runs it to map %s's subordinate ids): install "
		     "it (apt-get install uidmap)",
		     tool, rl->user);
		return;
	}
	if (statvfs(path, &sv) == 0 && (sv.f_flag & ST_NOSUID)) {
		FAIL(rl,
		     "%s is on a nosuid mount, where its file capability and setuid bit do "
		     "not count: install it on a mount without nosuid",
		     path);
		return;
	}
	/* Setuid root first: newuidmap then opens /proc/PID/uid_map as root, and the kernel
	 * wants CAP_SYS_ADMIN for the write, whatever file capability it has besides. */
	if (stat(path, &st) == 0 && st.st_uid == 0 && (st.st_mode & S_ISUID)) {
		if (!in_bounding_set(CAP_SYS_ADMIN))
			FAIL(rl,
			     "%s is setuid root, which needs CAP_SYS_ADMIN to write a user "
			     "namespace's id map, and this container lacks it: give it the file "
			     "capability instead (chmod u-s %s && setcap %s=ep %s), or run with "
			     "--privileged",
			     path, path, cap_name, path);
		return;
	}
	n = getxattr(path, "security.capability", xattr, sizeof(xattr));
	if (n > 0 && rootless_file_caps(xattr, (size_t)n, &permitted, &effective) == 0 &&
	    (permitted & ((uint64_t)1 << cap))) {
		/* newuidmap does not raise it itself: only the effective flag makes it count */
		if (!effective)
			FAIL(rl,
			     "%s has the file capability %s permitted but not effective (=p "
			     "instead of =ep), so %s runs without it: setcap %s=ep %s",
			     path, cap_name, tool, cap_name, path);
		return;
	}
	FAIL(rl, "%s has neither the file capability %s nor the setuid bit: setcap %s=ep %s", path,
	     cap_name, cap_name, path);
}

static int find_proc_mask(const struct mount_entry *m, void *data)
{
	if (!rootless_proc_mask(m->point))
		return 0;
	snprintf(data, sizeof(m->point), "%s", m->point);
	return 1;
}

/* The network driver's program: the path given in DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS, else
 * PATH, else (lxc-user-nic) lxc's own folders, where Debian puts it. 0, -ENOENT, or -EINVAL
 * when the path given in the flags is not an executable (it is in path). */
static int find_net_program(const struct rl *rl, const char *net, char *path, size_t len)
{
	static const char *const lxc_dirs[] = { "/usr/libexec/lxc/lxc-user-nic",
						"/usr/lib/lxc/lxc-user-nic",
						"/usr/lib/*/lxc/lxc-user-nic" };

	if (rootless_net_binary(svc_getenv(rl->svc, "DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS"), net,
				path, len) == 0)
		return access(path, X_OK) == 0 ? 0 : -EINVAL;
	if (find_program(rl->path, net, path, len) == 0)
		return 0;
	if (strcmp(net, "lxc-user-nic") != 0)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(lxc_dirs) / sizeof(lxc_dirs[0]); i++) {
		glob_t g;
		int found = glob(lxc_dirs[i], GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0 &&
			    access(g.gl_pathv[0], X_OK) == 0;

		if (found)
			snprintf(path, len, "%s", g.gl_pathv[0]);
		globfree(&g);
		if (found)
			return 0;
	}
	return -ENOENT;
}

static void check_programs(struct rl *rl)
{
	static const struct {
		const char *name, *package;
	} progs[] = { { "rootlesskit", "rootlesskit" }, { "ip", "iproute2" } };
	const char *net = rootless_net_program(rl->net);
	const char *package = net ? rootless_net_package(net) : NULL;
	char path[512], install[128];
	int r;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		if (find_program(rl->path, progs[i].name, path, sizeof(path)) < 0)
			FAIL(rl, "%s is missing from PATH (%s): install it (apt-get install %s)",
			     progs[i].name, rl->path, progs[i].package);
	if (!net || (r = find_net_program(rl, net, path, sizeof(path))) == 0)
		return;
	if (r == -EINVAL) {
		FAIL(rl,
		     "%s, RootlessKit's network driver given with --%s-binary in "
		     "DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS, is missing or not executable: fix "
		     "that path",
		     path, net);
		return;
	}
	if (package)
		snprintf(install, sizeof(install), "install it (apt-get install %s)", package);
	else if (strcmp(net, "vpnkit") == 0)
		snprintf(install, sizeof(install),
			 "vpnkit is not packaged in Debian: put its binary in PATH "
			 "(github.com/moby/vpnkit)");
	else
		snprintf(install, sizeof(install), "install it");
	FAIL(rl,
	     "%s, RootlessKit's network driver, is missing from PATH (%s)%s: %s, or choose "
	     "another with DOCKERD_ROOTLESS_ROOTLESSKIT_NET",
	     net, rl->path,
	     strcmp(net, "lxc-user-nic") == 0 ? " and from lxc's folders (/usr/lib/*/lxc)" : "",
	     install);
}

/* In the child: the user's rights only, then what the user can open and make. Only
 * async-signal-safe calls; the result goes to fd. */
static void as_user_child(const struct rl *rl, bool tun, int fd)
{
	struct as_user_result res = { -1, -1, -1, -1, -1 };

	if (setgroups(0, NULL) < 0 || setresgid(rl->gid, rl->gid, rl->gid) < 0 ||
	    setresuid(rl->uid, rl->uid, rl->uid) < 0)
		_exit(126);
	if (tun) {
		int t = open(TUN_PATH, O_RDWR | O_CLOEXEC);

		res.tun = t < 0 ? errno : 0;
		if (t >= 0)
			(void)close(t);
	}
	res.run = access(rl->run, W_OK | X_OK) < 0 ? errno : 0;
	if (rl->data)
		res.data = access(rl->data, W_OK | X_OK) < 0 ? errno : 0;
	/* What RootlessKit does first: a user namespace, then a mount and a network namespace
	 * in it. Last: in the new namespace the files above are no longer the user's. */
	res.userns = unshare(CLONE_NEWUSER) < 0 ? errno : 0;
	if (res.userns == 0)
		res.ns = unshare(CLONE_NEWNS | CLONE_NEWNET) < 0 ? errno : 0;
	(void)!write(fd, &res, sizeof(res));
	_exit(0);
}

/* Runs as_user_child, waiting at most AS_USER_TIMEOUT_MS. 0 or -errno (-ETIMEDOUT). A child
 * that does not die of SIGKILL at once (stuck in the kernel on a hung FUSE or NFS mount) is
 * not waited for longer than AS_USER_REAP_MS: the main loop's reaper collects it later. */
static int as_user(const struct rl *rl, bool tun, struct as_user_result *res)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int p[2], r = 0, status;
	struct pollfd pfd;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		(void)close(p[0]);
		(void)close(p[1]);
		return r;
	}
	if (pid == 0) {
		(void)close(p[0]);
		as_user_child(rl, tun, p[1]);
	}
	(void)close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	do
		r = poll(&pfd, 1, AS_USER_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		r = -ETIMEDOUT;
	else if (r > 0)
		r = read(p[0], res, sizeof(*res)) == (ssize_t)sizeof(*res) ? 0 : -ECHILD;
	else
		r = -errno;
	if (r < 0)
		(void)kill(pid, SIGKILL);
	(void)close(p[0]);
	for (int waited = 0; waited < AS_USER_REAP_MS; waited += 10) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid || (w < 0 && errno != EINTR))
			break;
		(void)nanosleep(&tick, NULL);
	}
	return r;
}

static void check_userns_probe(struct rl *rl, const struct as_user_result *res)
{
	int err = res->userns ? res->userns : res->ns;
	const char *what = res->userns ? "a user namespace"
				       : "a mount and a network namespace in its user namespace";

	if (!err)
		return;
	if (err == ENOSPC)
		FAIL(rl,
		     "%s cannot make %s (%s): the limit of user namespaces is reached; on the "
		     "host: sysctl -w user.max_user_namespaces=28633",
		     rl->user, what, strerror(err));
	else if (read_number("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		FAIL(rl,
		     "%s cannot make %s (%s): the host's AppArmor restricts them "
		     "(kernel.apparmor_restrict_unprivileged_userns = 1): on the host, sysctl -w "
		     "kernel.apparmor_restrict_unprivileged_userns=0, or run the container with "
		     "--security-opt apparmor=unconfined",
		     rl->user, what, strerror(err));
	else
		FAIL(rl,
		     "%s cannot make %s (%s): the container's seccomp or AppArmor profile forbids "
		     "it: run with --security-opt seccomp=unconfined --security-opt "
		     "apparmor=unconfined",
		     rl->user, what, strerror(err));
}

/* " (to TARGET)" of a symbolic link into buf, or "". */
static const char *link_target(const char *path, char *buf, size_t len)
{
	char target[256];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	buf[0] = '\0';
	if (n > 0) {
		target[n] = '\0';
		snprintf(buf, len, " (to %s)", target);
	}
	return buf;
}

/* Whether data_root is empty (see dir_is_empty), not through a symbolic link; the first
 * entry found into first (or what stopped the look). */
static bool data_is_empty(const char *path, char *first, size_t len)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	bool empty;

	if (fd < 0) {
		snprintf(first, len, "what root cannot list: %s", strerror(errno));
		return false;
	}
	empty = dir_is_empty(fd, first, len);
	(void)close(fd);
	return empty;
}

static void check_folders(struct rl *rl, const struct as_user_result *res)
{
	char to[300], first[300];
	struct stat st;
	bool empty;

	if (lstat(rl->run, &st) < 0)
		FAIL(rl,
		     "%s's runtime folder %s (XDG_RUNTIME_DIR) is missing (%s): make it, "
		     "owned by %s, mode 0700",
		     rl->user, rl->run, strerror(errno), rl->user);
	else if (S_ISLNK(st.st_mode))
		FAIL(rl,
		     "%s's runtime folder %s (XDG_RUNTIME_DIR) is a symbolic link%s, which "
		     "dind-init does not follow as root: set XDG_RUNTIME_DIR to the folder itself",
		     rl->user, rl->run, link_target(rl->run, to, sizeof(to)));
	else if (st.st_uid != rl->uid && system_folder(rl->run))
		FAIL(rl,
		     "%s's runtime folder %s (XDG_RUNTIME_DIR) is a system folder, of uid %u: "
		     "point XDG_RUNTIME_DIR at a folder of %s's own (unset, it is /run/user/%u, "
		     "which dind-init makes)",
		     rl->user, rl->run, (unsigned)st.st_uid, rl->user, (unsigned)rl->uid);
	else if (st.st_uid != rl->uid && rl->run_call && strcmp(rl->run_call, "chown") == 0)
		FAIL(rl,
		     "%s's runtime folder %s (XDG_RUNTIME_DIR) was made, but its chown to %s "
		     "failed (%s): %s",
		     rl->user, rl->run, rl->user, strerror(rl->run_err),
		     has_cap(rl, CAP_CHOWN) ? "make it in the image, owned by the user"
					    : "the container lacks CAP_CHOWN: do not --cap-drop "
					      "CHOWN (or make it in the image, owned by the user)");
	else if (st.st_uid != rl->uid)
		FAIL(rl,
		     "%s's runtime folder %s (XDG_RUNTIME_DIR) belongs to uid %u: make it %s's "
		     "(chown %u %s)",
		     rl->user, rl->run, (unsigned)st.st_uid, rl->user, (unsigned)rl->uid, rl->run);
	else if (res->run > 0)
		FAIL(rl,
		     "%s cannot write its runtime folder %s (XDG_RUNTIME_DIR: %s): make it "
		     "writable (chmod 0700 %s)",
		     rl->user, rl->run, strerror(res->run), rl->run);
	if (!rl->data)
		return;
	if (lstat(rl->data, &st) < 0)
		FAIL(rl,
		     "dockerd's data folder %s cannot be made (%s): mount a volume there (docker "
		     "run -v NAME:%s)",
		     rl->data, strerror(errno), rl->data);
	else if (S_ISLNK(st.st_mode))
		FAIL(rl,
		     "dockerd's data folder %s is a symbolic link%s, which dind-init does not "
		     "follow as root: set [init] data_root to the folder itself, or mount the "
		     "volume there",
		     rl->data, link_target(rl->data, to, sizeof(to)));
	else if (st.st_uid != rl->uid && system_folder(rl->data))
		FAIL(rl,
		     "dockerd's data folder %s is a system folder, of uid %u, which dind-init does "
		     "not give to %s: point [init] data_root at a folder of %s's own (a volume "
		     "mounted there)",
		     rl->data, (unsigned)st.st_uid, rl->user, rl->user);
	else if (st.st_uid != rl->uid && (empty = data_is_empty(rl->data, first, sizeof(first))))
		FAIL(rl,
		     "dockerd's data folder %s is empty but belongs to uid %u, not to %s (uid %u), "
		     "and its chown to %s failed (%s): %s",
		     rl->data, (unsigned)st.st_uid, rl->user, (unsigned)rl->uid, rl->user,
		     strerror(rl->data_err ? rl->data_err : EPERM),
		     has_cap(rl, CAP_CHOWN) ? "chown it on the host (a bind mount), or use a volume"
					    : "the container lacks CAP_CHOWN: do not --cap-drop "
					      "CHOWN");
	else if (st.st_uid != rl->uid)
		FAIL(rl,
		     "dockerd's data folder %s belongs to uid %u, not to %s (uid %u), and is not "
		     "empty (it holds %s): use a fresh volume, or chown -R %u:%u it (on the host, "
		     "for a bind mount)",
		     rl->data, (unsigned)st.st_uid, rl->user, (unsigned)rl->uid, first,
		     (unsigned)rl->uid, (unsigned)rl->gid);
	else if (res->data > 0)
		FAIL(rl,
		     "%s cannot write dockerd's data folder %s (%s): make it writable (chmod u+w, "
		     "or a read-write mount instead of :ro)",
		     rl->user, rl->data, strerror(res->data));
}

static void check_all(struct rl *rl, const char *status)
{
	const char *net = rootless_net_program(rl->net);
	bool tun = rootless_net_needs_tun(rl->net), tun_there = false;
	struct as_user_result res = { -1, -1, -1, -1, -1 };
	long max = read_number("/proc/sys/user/max_user_namespaces"),
	     clone = read_number("/proc/sys/kernel/unprivileged_userns_clone");
	unsigned long long nnp = 0;
	char mask[256] = "", kind[64];
	struct utsname un;
	struct stat st;
	int r;

	(void)rootless_status_value(status, "NoNewPrivs", 10, &nnp);
	if (nnp == 1)
		FAIL(rl,
		     "the container runs with no-new-privileges (docker run --security-opt "
		     "no-new-privileges, Kubernetes allowPrivilegeEscalation: false): newuidmap "
		     "and newgidmap cannot use their file capabilities; run without it");
	check_subids(rl, "/etc/subuid", "newuidmap");
	check_subids(rl, "/etc/subgid", "newgidmap");
	check_idmap(rl, "newuidmap", CAP_SETUID, "cap_setuid");
	check_idmap(rl, "newgidmap", CAP_SETGID, "cap_setgid");
	if (!in_bounding_set(CAP_SETUID))
		FAIL(rl, "the container lacks CAP_SETUID, which newuidmap needs: do not --cap-drop "
			 "SETUID");
	if (!in_bounding_set(CAP_SETGID))
		FAIL(rl, "the container lacks CAP_SETGID, which newgidmap needs: do not --cap-drop "
			 "SETGID");
	if (!has_cap(rl, CAP_KILL))
		FAIL(rl,
		     "the container lacks CAP_KILL, which dind-init needs to signal %s's services "
		     "(they run as %s: every stop would time out, and end in exit 137): do not "
		     "--cap-drop KILL",
		     rl->user, rl->user);
	if (max == 0)
		FAIL(rl, "user namespaces are off: /proc/sys/user/max_user_namespaces is 0; on the "
			 "host: sysctl -w user.max_user_namespaces=28633");
	if (clone >= 0 && clone != 1)
		FAIL(rl,
		     "unprivileged user namespaces are off: kernel.unprivileged_userns_clone is "
		     "%ld; on the host: sysctl -w kernel.unprivileged_userns_clone=1",
		     clone);
	if (setup_each_mount(find_proc_mask, mask) > 0)
		FAIL(rl,
		     "parts of /proc are masked (%s is mounted over), so nested containers cannot "
		     "mount their /proc: run with --security-opt systempaths=unconfined",
		     mask);
	if (tun) {
		if (lstat(TUN_PATH, &st) < 0)
			FAIL(rl,
			     "%s is missing, which %s needs, and could not be made here: run "
			     "with --device %s",
			     TUN_PATH, net, TUN_PATH);
		else if (!(tun_there = rootless_is_tun(st.st_mode, major(st.st_rdev),
						       minor(st.st_rdev))))
			FAIL(rl,
			     "%s is not the tun device (a character device 10:200) but %s, which "
			     "%s cannot use: run with --device %s",
			     TUN_PATH,
			     rootless_file_kind(st.st_mode, major(st.st_rdev), minor(st.st_rdev),
						kind, sizeof(kind)),
			     net, TUN_PATH);
	}
	check_programs(rl);
	/* Without them (already named) dind-init cannot become the user. */
	if (!in_bounding_set(CAP_SETUID) || !in_bounding_set(CAP_SETGID)) {
		log_warn("preflight: rootless: the checks as %s (%s, %s, %s, a user namespace) are "
			 "skipped: without CAP_SETUID and CAP_SETGID dind-init cannot become %s",
			 rl->user, TUN_PATH, rl->run, rl->data ? rl->data : "no data_root",
			 rl->user);
	} else if ((r = as_user(rl, tun_there, &res)) == -ETIMEDOUT) {
		FAIL(rl,
		     "the checks made as %s (%s, %s, %s, a user namespace) did not answer within "
		     "%d s: one of them hangs (a FUSE or network mount that does not answer?); "
		     "look at the mounts below %s and %s",
		     rl->user, TUN_PATH, rl->run, rl->data ? rl->data : "no data_root",
		     AS_USER_TIMEOUT_MS / 1000, rl->run, rl->data ? rl->data : rl->run);
	} else if (r < 0) {
		FAIL(rl,
		     "the checks made as %s (%s, %s, a user namespace) could not run: %s; look "
		     "for what stops a process as %s from starting",
		     rl->user, TUN_PATH, rl->run, strerror(-r), rl->user);
	} else {
		if (tun_there && res.tun > 0)
			FAIL(rl, "%s cannot open %s (%s), which %s needs: run with --device %s",
			     rl->user, TUN_PATH, strerror(res.tun), net, TUN_PATH);
		if (max != 0 && (clone < 0 || clone == 1))
			check_userns_probe(rl, &res);
	}
	check_folders(rl, &res);
	if (uname(&un) == 0 && !rootless_kernel_at_least(un.release, 5, 11) &&
	    access("/dev/fuse", F_OK) < 0)
		log_warn("preflight: rootless: kernel %s is older than 5.11, which mounts overlay "
			 "in a user namespace, and there is no /dev/fuse for fuse-overlayfs: "
			 "dockerd falls back to vfs (slow, a full copy per layer); run with "
			 "--device /dev/fuse",
			 un.release);
}

int setup_rootless(struct config *cfg)
{
	char status[8192] = "";
	unsigned long long cap_eff;
	int failed = 0;

	if (!setup_ran()) {
		/* setup = no is a choice; skipped because dind-init is not PID 1 (Kubernetes
		 * shareProcessNamespace) is not, and rootless dockerd would fail later, unnamed */
		for (int i = 0; i < cfg->nservices && cfg->setup.setup != TRI_NO; i++)
			if (cfg->services[i].rootless && !cfg->services[i].skip)
				log_warn(
					"setup: rootless: not prepared nor checked for "
					"[service:%s], as the setup was skipped: no XDG_RUNTIME_DIR "
					"(/run/user/UID) made, no /dev/net/tun, the data folder not "
					"given to its user, no preflight; make dind-init PID 1, or set "
					"[init] setup = yes",
					cfg->services[i].name);
		return 0;
	}
	/* NoNewPrivs and CapEff; unreadable, they are not checked */
	(void)fs_read_file("/proc/self/status", status, sizeof(status));
	if (rootless_status_value(status, "CapEff", 16, &cap_eff) < 0)
		cap_eff = ~0ULL;
	for (int i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];
		struct rl rl = { .svc = svc,
				 .uid = svc->privs.uid,
				 .data = cfg->setup.data_root,
				 .cap_eff = cap_eff };
		const char *run = svc_own_env(svc, "XDG_RUNTIME_DIR");
		char entry[300];
		int r;

		if (!svc->rootless || svc->skip)
			continue;
		rl.gid = svc->privs.set_group ? svc->privs.gid : svc->privs.user_gid;
		snprintf(rl.uid_text, sizeof(rl.uid_text), "%u", (unsigned)rl.uid);
		rl.user = svc->privs.user_name ? svc->privs.user_name : rl.uid_text;
		rl.net = svc_getenv(svc, "DOCKERD_ROOTLESS_ROOTLESSKIT_NET");
		rl.path = svc_getenv(svc, "PATH") ? svc_getenv(svc, "PATH") : DEFAULT_PATH;
		if (run && *run) {
			snprintf(rl.run, sizeof(rl.run), "%s", run);
		} else {
			snprintf(rl.run, sizeof(rl.run), "/run/user/%u", (unsigned)rl.uid);
			snprintf(entry, sizeof(entry), "XDG_RUNTIME_DIR=%s", rl.run);
			r = svc_add_env(svc, entry);
			if (r < 0) {
				log_error_errno(-r,
						"setup: rootless: cannot add %s to the environment "
						"of [service:%s]: set it with environment =",
						entry, svc->name);
				return EXIT_SETUP;
			}
		}
		prepare_runtime_dir(&rl);
		prepare_tun(&rl);
		prepare_data(&rl);
		if (cfg->setup.preflight == TRI_NO)
			continue;
		check_all(&rl, status);
		if (rl.failed == 0)
			log_info("preflight: rootless: ready for [service:%s] as %s (uid %u): "
				 "runtime folder %s, data %s, network %s",
				 svc->name, rl.user, (unsigned)rl.uid, rl.run,
				 rl.data ? rl.data : "(data_root = none)",
				 rl.net && *rl.net ? rl.net : ROOTLESS_DEFAULT_NET);
		failed += rl.failed;
	}
	if (failed) {
		log_error("preflight: rootless: %d of the things rootless dockerd needs %s missing "
			  "(see above); nothing was started",
			  failed, failed == 1 ? "is" : "are");
		return EXIT_SETUP;
	}
	return 0;
}

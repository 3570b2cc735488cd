#include "init/setup.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/exit_codes.h"
#include "core/fs.h"
#include "core/log.h"
#include "init/setup_net.h"
#include "init/setup_steps.h"
#include "supervisor/spawn.h"

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

static bool ran; /* setup_container ran its steps */

bool setup_ran(void)
{
	return ran;
}

/* preflight = auto asks only for what the steps will use: CAP_NET_ADMIN when iptables is not
 * no; CAP_SYS_ADMIN when a step that fails without it will mount: a mount_tmpfs path that is not
 * a tmpfs yet, sys_rw or securityfs = yes, cgroups. (make_rshared and sys_rw, securityfs = auto
 * only warn.) So the rootless image runs with Docker's default capabilities, given --tmpfs /run
 * --tmpfs /tmp. What needs cap goes into why (empty: nothing); the docker run --tmpfs flags that
 * would spare the mounts into tmpfs. True when those mounts are all it is needed for. */
static bool cap_needed(const struct config *cfg, cap_value_t cap, char *why, size_t len,
		       char *tmpfs, size_t tlen)
{
	const struct cfg_setup *s = &cfg->setup;

	why[0] = '\0';
	if (cap == CAP_NET_ADMIN) {
		if (s->iptables != IPTABLES_NO)
			snprintf(why, len, "set up iptables");
		return false;
	}
	for (int i = 0; i < s->nmount_tmpfs; i++)
		if (setup_tmpfs_wanted(s->mount_tmpfs[i])) {
			snprintf(why + strlen(why), len - strlen(why), "%s%s", why[0] ? " " : "",
				 s->mount_tmpfs[i]);
			snprintf(tmpfs + strlen(tmpfs), tlen - strlen(tmpfs), "%s--tmpfs %s",
				 tmpfs[0] ? " " : "", s->mount_tmpfs[i]);
		}
	if (why[0]) {
		char paths[192];

		snprintf(paths, sizeof(paths), "%s", why);
		snprintf(why, len, "mount a tmpfs on %s (mount_tmpfs: not a tmpfs yet)", paths);
	}
	if (s->cgroups != CGROUPS_NO)
		snprintf(why + strlen(why), len - strlen(why), "%smount cgroups",
			 why[0] ? ", " : "");
	if (s->sys_rw == TRI_YES)
		snprintf(why + strlen(why), len - strlen(why), "%sremount /sys read-write",
			 why[0] ? ", " : "");
	if (s->securityfs == TRI_YES)
		snprintf(why + strlen(why), len - strlen(why), "%smount securityfs",
			 why[0] ? ", " : "");
	return tmpfs[0] && s->cgroups == CGROUPS_NO && s->sys_rw != TRI_YES &&
	       s->securityfs != TRI_YES;
}

static bool cfg_any_rootless(const struct config *cfg)
{
	for (int i = 0; i < cfg->nservices; i++)
		if (cfg->services[i].rootless)
			return true;
	return false;
}

int step_preflight(const struct config *cfg)
{
	static const struct {
		cap_value_t cap;
		const char *name, *flag;
	} needed[] = { { CAP_SYS_ADMIN, "CAP_SYS_ADMIN", "--cap-add SYS_ADMIN" },
		       { CAP_NET_ADMIN, "CAP_NET_ADMIN", "--cap-add NET_ADMIN" } };
	char missing[64] = "", checked[64] = "", why[512] = "", add[64] = "", tmpfs[192] = "";
	bool only_tmpfs = true;
	cap_t caps;

	if (cfg->setup.preflight == TRI_NO)
		return 0;
	/* First: as another user the capabilities are missing too, but --privileged would not
	 * help (docker run --user 1000, Kubernetes runAsUser). */
	if (geteuid() != 0 && cfg_any_rootless(cfg)) {
		log_error("dind-init runs as uid %u, but must run as root (uid 0) to prepare the "
			  "container and start rootless dockerd as its user: unlike "
			  "docker:dind-rootless, this image must not run with docker run --user "
			  "(Kubernetes: runAsUser, runAsNonRoot); dockerd and the main command run "
			  "as their own users already",
			  (unsigned)geteuid());
		return STEP_FATAL;
	}
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
		char what[256], spare[192] = "";
		bool tmpfs_only =
			cap_needed(cfg, needed[i].cap, what, sizeof(what), spare, sizeof(spare));
		if (!what[0])
			continue;
		snprintf(checked + strlen(checked), sizeof(checked) - strlen(checked), "%s%s",
			 checked[0] ? ", " : "", needed[i].name);
		if (cap_get_flag(caps, needed[i].cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET)
			continue;
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), "%s%s",
			 missing[0] ? " and " : "", needed[i].name);
		snprintf(add + strlen(add), sizeof(add) - strlen(add), "%s%s", add[0] ? " " : "",
			 needed[i].flag);
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s", why[0] ? ", " : "",
			 what);
		snprintf(tmpfs, sizeof(tmpfs), "%s", spare);
		/* a tmpfs mount is all it is needed for: docker run --tmpfs spares it */
		only_tmpfs = only_tmpfs && tmpfs_only;
	}
	cap_free(caps);
	if (missing[0]) {
		log_error("this container lacks %s, which Docker-in-Docker needs here to %s: "
			  "%s%s%s%s (or at least %s with seccomp and AppArmor unconfined); [init] "
			  "preflight = no skips this check",
			  missing, why, only_tmpfs ? "run with " : "", only_tmpfs ? tmpfs : "",
			  only_tmpfs ? ", or " : "", SETUP_PRIV_HINT, add);
		return STEP_FATAL;
	}
	if (checked[0])
		log_info("setup: preflight ok (%s)", checked);
	else
		log_debug("setup: preflight: no step that mounts or sets up iptables is on, so no "
			  "capability is required");
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

int step_stale(const struct config *cfg)
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

int step_rlimit(const struct config *cfg)
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

int step_data_root(const struct config *cfg)
{
	const char *dir = cfg->setup.data_root;

	if (dir && setup_is_dir(dir) && setup_is_fs(dir, OVERLAYFS_SUPER_MAGIC))
		log_warn(
			"setup: the Docker data root %s is on the container's overlay filesystem: "
			"dockerd's overlay2 driver cannot work on it and everything there is lost "
			"with the container; mount a volume there (docker run -v dind-data:%s ...)",
			dir, dir);
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
	ran = true;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i](cfg) == STEP_FATAL)
			return EXIT_SETUP;
	/* A boundary for bench/supervisors.sh's breakdown of the time to ready (-v timestamps). */
	log_debug("setup: done%s", setup_pending() ? " (iptables check still running)" : "");
	return 0;
}

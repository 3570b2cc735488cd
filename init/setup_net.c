/* The container setup's network: the iptables backend dockerd gets, and the MTU for nested
 * containers. */
#include "init/setup_net.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/fs.h"
#include "core/log.h"
#include "core/loop.h"
#include "init/iptables_shim.h"
#include "init/setup_steps.h"
#include "supervisor/service.h"
#include "supervisor/spawn.h"

extern char **environ;

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

/* The folder of links that makes `iptables` & co. mean the chosen backend: first in PATH (the
 * Debian alternatives may point elsewhere, and are not ours to change in an image). */
static void links_dir(const struct config *cfg, char *dir, size_t len)
{
	snprintf(dir, len, "%s/iptables", cfg->runtime_dir);
}

/* Make dir/name a link to target without a moment when dir/name is missing: a service that
 * runs the tool meanwhile finds the old link or the new one. 0 or -errno. */
static int link_atomic(const char *target, const char *dir, const char *name)
{
	char tmp[320], link[320];

	snprintf(tmp, sizeof(tmp), "%s/.%s.new", dir, name);
	snprintf(link, sizeof(link), "%s/%s", dir, name);
	(void)unlink(tmp);
	if (symlink(target, tmp) < 0)
		return -errno;
	if (rename(tmp, link) < 0) {
		int err = errno;

		(void)unlink(tmp);
		return -err;
	}
	return 0;
}

/* Remove what a previous run left in the folder (runtime_dir may survive a restart): no stale
 * link may stay first in PATH. Through dirfd only, so nothing outside it is touched; an empty
 * subfolder goes too. 0 or -errno; -ENOTEMPTY with the name of a subfolder that is not empty in
 * bad. */
static int empty_dir(int dirfd, char *bad, size_t badlen)
{
	int fd = dup(dirfd), r = 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		r = -errno;
		if (fd >= 0)
			(void)close(fd);
		return r;
	}
	while (r == 0 && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, e->d_name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR && errno != EPERM) {
			r = -errno;
			break;
		}
		if (unlinkat(dirfd, e->d_name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			continue;
		r = -errno;
		if (r == -ENOTEMPTY || r == -EEXIST) {
			r = -ENOTEMPTY;
			snprintf(bad, badlen, "%s", e->d_name);
		}
	}
	(void)closedir(d);
	return r;
}

/* Make DIR a fresh folder of root's own, never following a symlink there (whatever a symlink
 * there points at is not ours to empty), then empty it. 0 or -errno; -ENOTEMPTY names the
 * subfolder in bad. */
static int fresh_links_dir(const char *dir, char *bad, size_t badlen)
{
	struct stat st;
	int fd, r;

	if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(dir) < 0)
		return -errno;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A folder another user made (or may still write to): ours from now on. */
	r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && st.st_uid != geteuid() && fchown(fd, geteuid(), getegid()) < 0)
		r = -errno;
	if (r == 0 && (st.st_mode & 07777) != 0755 && fchmod(fd, 0755) < 0)
		r = -errno;
	if (r == 0)
		r = empty_dir(fd, bad, badlen);
	(void)close(fd);
	return r;
}

/* Create the folder, empty, and put it first in PATH, so that every service's environment (made
 * after the setup) has it, whether the links are made now or once the check running in the
 * background is done. Logs; 0, 1 when the links are not used (warned), STEP_FATAL when
 * runtime_dir is not dind-init's own. */
static int prepare_links_dir(const struct config *cfg)
{
	char dir[256], bad[256] = "", msg[PATH_MAX + 320] = "", *path;
	const char *old = getenv("PATH");
	bool again;
	int r;

	links_dir(cfg, dir, sizeof(dir));
	r = fs_make_runtime_dir(cfg->runtime_dir, msg, sizeof(msg), &again);
	if (r < 0 && msg[0]) {
		log_error("setup: %s (the iptables links there come first in the PATH of root's "
			  "services)",
			  msg);
		return STEP_FATAL;
	}
	if (r == 0 && msg[0] && !again)
		log_warn("setup: %s", msg);
	if (r == 0)
		r = fresh_links_dir(dir, bad, sizeof(bad));
	if (r == -ENOTEMPTY) {
		log_warn("setup: cannot prepare %s, the folder of links for the iptables choice: "
			 "it holds a folder %s/%s that is not empty (not dind-init's: remove it): "
			 "the iptables backend is left to the system's default",
			 dir, dir, bad);
		return 1;
	}
	if (r < 0) {
		log_warn_errno(-r,
			       "setup: cannot prepare %s, the folder of links for the iptables "
			       "choice: the iptables backend is left to the system's default (make "
			       "[init] runtime_dir writable)",
			       dir);
		return 1;
	}
	if (asprintf(&path, "%s:%s", dir, old && *old ? old : "/usr/sbin:/usr/bin:/sbin:/bin") <
	    0) {
		log_warn("setup: no memory for a PATH with %s first: the iptables backend is left "
			 "to the system's default",
			 dir);
		return 1;
	}
	r = setenv("PATH", path, 1);
	free(path);
	if (r < 0) {
		log_warn_errno(
			errno,
			"setup: cannot put %s first in PATH: the iptables backend is left to "
			"the system's default",
			dir);
		return 1;
	}
	setenv(IPT_SHIM_ENV, dir, 1);
	return 0;
}

/* While the check runs, every tool's link points at dind-init itself (iptables_shim.c), which
 * waits for the choice: a service started meanwhile never runs the system's default backend.
 * 0 or -errno. */
static int link_shims(const struct config *cfg)
{
	char dir[256], self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int r;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	if (access(self, X_OK) < 0) /* " (deleted)": replaced since we started */
		return -errno;
	links_dir(cfg, dir, sizeof(dir));
	r = link_atomic(self, dir, IPT_SHIM_SELF);
	for (size_t i = 0; i < ipt_ntools && r == 0; i++)
		r = link_atomic(IPT_SHIM_SELF, dir, ipt_tools[i]);
	return r;
}

/* Each tool's link to MODE's program, or, for a tool MODE lacks (or with no MODE: neither
 * backend works), no link: that name is then the system's, further on in PATH. The links to
 * dind-init itself are replaced in place, so a waiting shim sees one or the other. Returns the
 * number of links made. */
static int apply_iptables(const struct config *cfg, const char *mode)
{
	char dir[256];
	int linked = 0;

	links_dir(cfg, dir, sizeof(dir));
	for (size_t i = 0; i < ipt_ntools; i++) {
		char name[64], target[256], link[320];
		int err;

		snprintf(link, sizeof(link), "%s/%s", dir, ipt_tools[i]);
		if (mode) {
			ipt_backend_name(ipt_tools[i], mode, name, sizeof(name));
			/* Not in the links folder itself: it is first in PATH by now. */
			if (spawn_find_in_path(name, environ, target, sizeof(target), &err) &&
			    strncmp(target, dir, strlen(dir)) != 0) {
				int r = link_atomic(target, dir, ipt_tools[i]);

				if (r == 0) {
					linked++;
					continue;
				}
				log_warn_errno(-r,
					       "setup: iptables: cannot link %s to %s: %s is the "
					       "system's (check that %s is writable)",
					       link, target, ipt_tools[i], dir);
			}
		}
		(void)unlink(link);
	}
	if (mode && !linked)
		log_warn("setup: iptables: no iptables-%s binaries found to point iptables at",
			 mode);
	return linked;
}

/* The check `iptables = auto` leaves running while the first services start. Running
 * `iptables-nft -nL` costs about 10 ms here, most of dind-init's own share of the time to a
 * ready Docker, and only what uses iptables needs the answer. So the check runs in the
 * background: the services that depend on no other (containerd, the certificates) start, and
 * any iptables they run is the shim, which waits for the choice; the coordinator holds back the
 * services that depend on another (dockerd) and the main command until it is made
 * (setup_pending). Without the shim links, every service waits. */
static struct {
	const struct config *cfg;
	pid_t pid;	  /* the check running, or 0 */
	const char *mode; /* what it checks: "nft", then "legacy" */
	enum setup_hold hold;
	struct loop_timer timeout;
} bg;

static setup_hook on_chosen;

void setup_set_hook(setup_hook hook)
{
	on_chosen = hook;
}

static void bg_done(const char *mode, const char *why)
{
	bg.hold = SETUP_HOLD_NONE;
	bg.pid = 0;
	loop_timer_disarm(&bg.timeout);
	if (apply_iptables(bg.cfg, mode) > 0)
		log_info("setup: iptables: using %s (%s)", mode, why);
	else if (!mode)
		log_warn("setup: iptables: neither iptables-nft nor iptables-legacy works here; "
			 "dockerd will fail to set up networks (install iptables, or run dockerd "
			 "with --iptables=false)");
	if (on_chosen)
		on_chosen();
}

/* Start `iptables-MODE -nL` without waiting for it. 1 when started, 0 when there is no such
 * program, -errno when it cannot be started. */
static int bg_start(const char *mode)
{
	char name[32], buf[256];
	char *argv[] = { buf, (char *)"-nL", NULL };
	struct spawn_opts o = { .argv = argv, .null_stdin = true };
	struct spawn_result res;
	int devnull, err, r;

	snprintf(name, sizeof(name), "iptables-%s", mode);
	if (!spawn_find_in_path(name, environ, buf, sizeof(buf), &err))
		return 0;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	o.stdout_fd = o.stderr_fd = devnull;
	r = spawn_process(&o, &res);
	if (devnull >= 0)
		(void)close(devnull);
	if (r < 0)
		return r;
	(void)close(res.report_fd); /* its exit status is all we need */
	bg.pid = res.pid;
	bg.mode = mode;
	/* Timers are a plain list: arming one before the loop runs is fine. */
	loop_timer_arm_in(&bg.timeout, PROBE_CMD_TIMEOUT_MS);
	log_debug("setup: iptables: checking %s in the background (pid %d)", name, (int)res.pid);
	return 1;
}

/* The nft check failed (or could not run): legacy's turn, or no choice at all. */
static void bg_next(void)
{
	if (strcmp(bg.mode, "nft") == 0 && bg_start("legacy") > 0)
		return;
	bg_done(NULL, NULL);
}

static void on_bg_timeout(void *data)
{
	(void)data;
	if (bg.pid <= 0)
		return;
	log_warn("setup: iptables: iptables-%s -nL did not answer within %d ms; killing it",
		 bg.mode, PROBE_CMD_TIMEOUT_MS);
	spawn_kill_group(bg.pid); /* its exit, reaped, moves on (setup_child_exited) */
}

enum setup_hold setup_pending(void)
{
	return bg.hold;
}

bool setup_child_exited(pid_t pid, int code)
{
	if (bg.pid <= 0 || pid != bg.pid)
		return false;
	bg.pid = 0;
	if (svc_shutting_down()) {
		/* Killed with everything else: no choice is needed any more. */
		bg.hold = SETUP_HOLD_NONE;
		loop_timer_disarm(&bg.timeout);
		return true;
	}
	if (code == 0)
		bg_done(bg.mode, strcmp(bg.mode, "nft") == 0
					 ? "iptables-nft works"
					 : "iptables-nft does not work, iptables-legacy does");
	else
		bg_next();
	return true;
}

int step_iptables(const struct config *cfg)
{
	const char *mode = NULL, *why = NULL;
	int r;

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
		if (legacy_tables_in_use()) {
			mode = "legacy", why = "legacy tables already hold rules";
			break;
		}
		/* The rest is decided in the background (see bg above). */
		r = prepare_links_dir(cfg);
		if (r != 0)
			return r == STEP_FATAL ? STEP_FATAL : 0;
		bg.cfg = cfg;
		loop_timer_init(&bg.timeout, on_bg_timeout, NULL);
		bg.mode = "nft";
		if (bg_start("nft") > 0 || bg_start("legacy") > 0) {
			/* Before setup_container returns: no service has started yet. */
			r = link_shims(cfg);

			bg.hold = r == 0 ? SETUP_HOLD_DEPENDENTS : SETUP_HOLD_ALL;
			if (r < 0)
				log_warn_errno(
					-r,
					"setup: iptables: cannot link dind-init's own program "
					"(/proc/self/exe) into the iptables folder, so every "
					"service waits for the iptables check, not only dockerd");
			return 0;
		}
		mode = NULL; /* neither can even be started */
		break;
	}
	if (!mode) {
		log_warn("setup: iptables: neither iptables-nft nor iptables-legacy works here; "
			 "dockerd will fail to set up networks (install iptables, or run dockerd "
			 "with --iptables=false)");
		return 0;
	}
	r = prepare_links_dir(cfg);
	if (r == STEP_FATAL)
		return STEP_FATAL;
	if (r == 0 && apply_iptables(cfg, mode) > 0)
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
int step_mtu(const struct config *cfg)
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

/* The safety check of the files whose text decides what PID 1 runs and with which privileges: the
 * config file (the line reader checks it after the parse) and the seccomp allow-lists it names
 * (the seccomp key checks each before reading it). */
#include "config/file_safety.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* What makes a file unsafe (see safety_check_config for why). */
struct file_risk {
	bool owner; /* owned by someone else */
	bool mode;  /* a regular file writable by group or others */
};

static bool file_at_risk(const struct stat *st, bool readonly, struct file_risk *risk)
{
	uid_t euid = geteuid();

	risk->owner = st->st_uid != 0 && st->st_uid != euid;
	risk->mode = S_ISREG(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH));
	return !readonly && (risk->owner || risk->mode);
}

/* Whom the owner should have been, for messages. */
static const char *trusted_owners(char *buf, size_t len)
{
	uid_t euid = geteuid();

	if (euid == 0)
		(void)snprintf(buf, len, "not root");
	else
		(void)snprintf(buf, len, "not root or uid %u (running dind-init)", (unsigned)euid);
	return buf;
}

/* CFG_STRICT_ENV=no let an unsafe file pass: say why in cfg->insecure_reason, for the warning.
 * what names the kind of file ("" for the config file); first puts it before what is there. */
static void note_insecure(struct loader *ld, const char *what, const char *path,
			  const struct stat *st, const struct file_risk *risk, bool first)
{
	struct config *cfg = ld->cfg;
	unsigned mode = (unsigned)st->st_mode & 07777;
	char who[48], *reason = NULL, *joined = NULL;
	int r;

	(void)trusted_owners(who, sizeof(who));
	if (risk->owner && risk->mode)
		r = asprintf(&reason,
			     "%s%s is owned by uid %u, %s, and writable by group or others (mode "
			     "%04o)",
			     what, path, (unsigned)st->st_uid, who, mode);
	else if (risk->owner)
		r = asprintf(&reason, "%s%s is owned by uid %u, %s", what, path,
			     (unsigned)st->st_uid, who);
	else
		r = asprintf(&reason, "%s%s is writable by group or others (mode %04o)", what, path,
			     mode);
	if (r < 0) {
		ld->oom = true;
		return;
	}
	if (!cfg->insecure_reason) {
		cfg->insecure_reason = reason;
		return;
	}
	if (strstr(cfg->insecure_reason, reason)) { /* one allow-list for several services */
		free(reason);
		return;
	}
	r = first ? asprintf(&joined, "%s; %s", reason, cfg->insecure_reason)
		  : asprintf(&joined, "%s; %s", cfg->insecure_reason, reason);
	free(reason);
	if (r < 0) {
		ld->oom = true;
		return;
	}
	free(cfg->insecure_reason);
	cfg->insecure_reason = joined;
}

/* Like sshd's StrictModes: whoever can write the file decides what PID 1 runs, and as whom. The
 * owner may be root or the user running dind-init (root in a container; a user running
 * --check-config on their own file gains nothing over themselves). /dev/null is empty and
 * anything else that is not a regular file (a pipe from -c <(...), created by whoever runs the
 * shell) is checked for its owner only: its mode bits say nothing about who writes into it.
 *
 * A file on a read-only mount is safe whatever its owner and mode: nobody in the container can
 * change it (only root, by remounting, and root is whom we would trust anyway). Nor can it be
 * replaced through a writable parent folder: a read-only file there is a mount point of its own
 * (-v FILE:PATH:ro), and a mount point cannot be unlinked or renamed over (EBUSY). The common case
 * is a file bind-mounted read-only from the host, owned by the host user with the host's umask;
 * who may change it on the host is the host's business.
 *
 * Recorded as errors unless CFG_STRICT_ENV=no came from the environment (cfg->strict_config),
 * then kept in cfg->insecure_reason. Never relaxed by the file: [init] strict_config = no would
 * let whoever may write the file switch the check off (set_strict_config refuses it). */
void safety_check_config(struct loader *ld, const struct stat *st, bool readonly)
{
	struct config *cfg = ld->cfg;
	const char *path = cfg->path;
	unsigned mode = (unsigned)st->st_mode & 07777;
	struct file_risk risk;
	char who[48];

	if (S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3)
		return;
	if (!file_at_risk(st, readonly, &risk))
		return;
	if (!cfg->strict_config) {
		note_insecure(ld, "", path, st, &risk, true);
		return;
	}
	/* The fix usually belongs on the host: the file is bind-mounted from there. */
	if (risk.owner)
		ld_error(ld, 0,
			 "refusing a config file owned by uid %u, %s: mount it read-only (docker "
			 "run -v HOST-FILE:%s:ro), or chown root the file (on the host, if it is "
			 "bind-mounted from there), or start dind-init with %s=no (docker run -e "
			 "%s=no)",
			 (unsigned)st->st_uid, trusted_owners(who, sizeof(who)), path,
			 CFG_STRICT_ENV, CFG_STRICT_ENV);
	if (risk.mode)
		ld_error(ld, 0,
			 "refusing a config file that is writable by group or others (mode %04o): "
			 "mount it read-only (docker run -v HOST-FILE:%s:ro), or chmod go-w the "
			 "file (on the host, if it is bind-mounted from there; in a Dockerfile, "
			 "COPY --chmod=644), or start dind-init with %s=no (docker run -e %s=no)",
			 mode, path, CFG_STRICT_ENV, CFG_STRICT_ENV);
}

/* A seccomp allow-list is as sensitive as the config file: whoever can write it chooses which
 * syscalls the service may make (unshare and mount, say). Refused at the config's line. */
bool safety_check_allow_list(struct loader *ld, const char *key, const char *path, int fd,
			     const struct stat *st)
{
	struct statvfs vfs;
	struct file_risk risk;
	char who[48];
	/* Of the opened file, not of the path: what is read is what was checked. */
	bool readonly = fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);

	if (!file_at_risk(st, readonly, &risk))
		return true;
	if (!ld->cfg->strict_config) {
		note_insecure(ld, "seccomp allow-list ", path, st, &risk, false);
		return true;
	}
	if (risk.owner)
		ld_error(ld, ld->lineno,
			 "refusing seccomp allow-list %s for %s: it is owned by uid %u, %s, who "
			 "could allow the service any syscall: mount it read-only (docker run -v "
			 "HOST-FILE:%s:ro), or chown root the file (on the host, if it is "
			 "bind-mounted from there), or start dind-init with %s=no",
			 path, key, (unsigned)st->st_uid, trusted_owners(who, sizeof(who)), path,
			 CFG_STRICT_ENV);
	if (risk.mode)
		ld_error(ld, ld->lineno,
			 "refusing seccomp allow-list %s for %s: it is writable by group or others "
			 "(mode %04o), who could allow the service any syscall: mount it read-only "
			 "(docker run -v HOST-FILE:%s:ro), or chmod go-w the file (on the host, if "
			 "it is bind-mounted from there), or start dind-init with %s=no",
			 path, key, (unsigned)st->st_mode & 07777, path, CFG_STRICT_ENV);
	return false;
}

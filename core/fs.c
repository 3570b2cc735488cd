#include "core/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_mkdirs(const char *path)
{
	char buf[256];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int fs_check_private_dir(const char *path, const char **why)
{
	struct stat st;

	*why = NULL;
	if (lstat(path, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode)) {
		*why = "is a symlink";
		return -ELOOP;
	}
	if (!S_ISDIR(st.st_mode)) {
		*why = "is not a folder";
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		*why = "is owned by another user";
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		*why = "is writable by its group or by others";
		return -EACCES;
	}
	return 0;
}

int fs_find_open_parent(const char *path, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s", path) >= (int)len)
		return -ENAMETOOLONG;
	for (;;) {
		char *slash = strrchr(buf, '/');
		struct stat st;

		if (!slash)
			return 0; /* a relative path: its parents are the working folder's */
		if (slash == buf) {
			if (!buf[1])
				return 0; /* "/" itself was checked */
			buf[1] = '\0';
		} else {
			*slash = '\0';
		}
		/* stat, not lstat: what counts is the folder a symlink such as /var/run leads to */
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & S_IWOTH) &&
		    !(st.st_mode & S_ISVTX))
			return 1;
	}
}

int fs_check_runtime_dir(const char *dir, char *msg, size_t len)
{
	char parent[PATH_MAX];
	const char *why;
	int r = fs_check_private_dir(dir, &why);

	msg[0] = '\0';
	if (r < 0 && why)
		snprintf(msg, len,
			 "[init] runtime_dir %s %s: put [init] runtime_dir on a folder of root's "
			 "own, e.g. /run/dind-init on the /run tmpfs",
			 dir, why);
	else if (r == 0 && fs_find_open_parent(dir, parent, sizeof(parent)) > 0)
		snprintf(msg, len,
			 "runtime_dir's parent %s is writable by others without the sticky bit (a "
			 "shared volume?): whoever can write there can replace dind-init's sockets "
			 "and links in %s",
			 parent, dir);
	return r;
}

int fs_make_runtime_dir(const char *dir, char *msg, size_t len, bool *again)
{
	static char done_msg[PATH_MAX + 320];
	static bool done;
	static int done_r;

	*again = done;
	if (!done) {
		done_r = fs_mkdirs(dir);
		done_msg[0] = '\0';
		if (done_r == 0)
			done_r = fs_check_runtime_dir(dir, done_msg, sizeof(done_msg));
		done = true;
	}
	snprintf(msg, len, "%s", done_msg);
	return done_r;
}

int fs_open_dirs(const char *path, bool make)
{
	char buf[PATH_MAX];
	char *name, *save = NULL;
	int fd;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	fd = open(path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (name = strtok_r(buf, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		struct stat st;
		bool open_dir;
		int next;

		if (fstat(fd, &st) < 0) {
			int err = -errno;

			(void)close(fd);
			return err;
		}
		open_dir = (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX);
		if (make && mkdirat(fd, name, 0755) < 0 && errno != EEXIST) {
			int err = -errno;

			(void)close(fd);
			return err;
		}
		next = openat(fd, name,
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC | (open_dir ? O_NOFOLLOW : 0));
		if (next < 0) {
			int err = -errno;

			/* O_NOFOLLOW | O_DIRECTORY on a symlink: ENOTDIR (ELOOP without
			 * O_DIRECTORY) */
			if (open_dir && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISLNK(st.st_mode))
				err = -ELOOP;

			(void)close(fd);
			return err;
		}
		(void)close(fd);
		fd = next;
	}
	return fd;
}

ssize_t fs_read_file(const char *path, char *buf, size_t len)
{
	/* O_NONBLOCK: a FIFO planted at the path would block the open (and PID 1) forever */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	size_t n = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int err = fstat(fd, &st) < 0 ? -errno : -EINVAL;

		(void)close(fd);
		return err;
	}
	while (n < len - 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	(void)close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

int fs_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? -errno : 0;
	(void)close(fd);
	return err;
}

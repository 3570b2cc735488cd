#include "tls/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int files_mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0)
		return -EINVAL;
	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) == 0) {
			/* exactly mode, whatever the umask; through an fd, never through a link
			 * put there meanwhile */
			int fd = open(buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int r = fd < 0 || fchmod(fd, mode) < 0 ? -errno : 0;

			if (fd >= 0)
				close(fd);
			if (r < 0)
				return r;
		} else if (errno != EEXIST) {
			return -errno;
		}
		buf[i] = i < len ? '/' : '\0';
	}
	return 0;
}

int files_open_dir(int dirfd, const char *name, bool create, bool nofollow)
{
	int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
	int fd = openat(dirfd, name, flags);
	struct stat st;

	/* O_NOFOLLOW|O_DIRECTORY on a link says ENOTDIR: tell a link apart */
	if (fd < 0 && errno == ENOTDIR && nofollow &&
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return -ELOOP;
	if (fd >= 0 || errno != ENOENT || !create)
		return fd >= 0 ? fd : -errno;
	if (mkdirat(dirfd, name, FILES_DIR_MODE) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name, flags);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, FILES_DIR_MODE) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* Open a regular file for reading without ever opening anything else: a FIFO would block, a
 * device could do something on open. */
static int open_regular(int dirfd, const char *name, bool nofollow, struct stat *st)
{
	int at = nofollow ? AT_SYMLINK_NOFOLLOW : 0;
	struct stat st2;
	int fd;

	if (fstatat(dirfd, name, st, at) < 0)
		return -errno;
	if (nofollow && S_ISLNK(st->st_mode))
		return -ELOOP;
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	fd = openat(dirfd, name,
		    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -errno;
	/* replaced between the two looks */
	if (fstat(fd, &st2) < 0 || !S_ISREG(st2.st_mode) || st2.st_ino != st->st_ino ||
	    st2.st_dev != st->st_dev) {
		close(fd);
		return -EINVAL;
	}
	*st = st2;
	return fd;
}

/* Grow buf to cap bytes; the old copy is wiped (it may hold a key). */
static char *grow(char *buf, size_t used, size_t cap)
{
	char *bigger = malloc(cap);

	if (bigger && used)
		memcpy(bigger, buf, used);
	memset(buf, 0, used);
	free(buf);
	return bigger;
}

int files_read(int dirfd, const char *name, bool nofollow, char **data, size_t *len, mode_t *mode)
{
	struct stat st;
	char *buf;
	size_t n = 0, cap;
	int fd, r = 0;

	*data = NULL;
	*len = 0;
	if (dirfd < 0)
		return -ENOENT;
	fd = open_regular(dirfd, name, nofollow, &st);
	if (fd < 0)
		return fd;
	if (st.st_size > FILES_MAX) {
		close(fd);
		return -EFBIG;
	}
	/* room for the NUL, and to see it grow meanwhile */
	cap = (size_t)st.st_size + 2;
	buf = malloc(cap);
	for (;;) {
		ssize_t got;

		if (!buf) {
			r = -ENOMEM;
			break;
		}
		if (n + 1 == cap) {
			if (cap > FILES_MAX) {
				r = -EFBIG;
				break;
			}
			cap = cap * 2 > FILES_MAX + 2 ? FILES_MAX + 2 : cap * 2;
			buf = grow(buf, n, cap);
			continue;
		}
		got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (r < 0) {
		if (buf)
			memset(buf, 0, n);
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	if (mode)
		*mode = st.st_mode & 07777;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* ".NAME.dind-certs-tmp-<16 hex digits>" */
static void temp_name(char *buf, size_t size, const char *name)
{
	static unsigned counter;
	uint64_t rnd = 0;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = ((uint64_t)getpid() << 32) ^ (uint64_t)time(NULL) ^
		      (uint64_t)counter * 2654435761u;
	counter++;
	snprintf(buf, size, ".%s%s%016llx", name, FILES_TMP_MARK, (unsigned long long)rnd);
}

/* Make tmp with data and mode; on failure, nothing of it is left. */
static int write_temp(int dirfd, const char *tmp, const void *data, size_t len, mode_t mode)
{
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r;

	if (fd < 0)
		return -errno;
	/* the mode first: the data never sits in a file with other permissions */
	r = fchmod(fd, mode) < 0 ? -errno : 0;
	if (r == 0)
		r = write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	if (r < 0)
		(void)unlinkat(dirfd, tmp, 0);
	return r;
}

int files_write_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode)
{
	static const int hold[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGXFSZ, SIGALRM };
	char tmp[NAME_MAX + 1];
	sigset_t set, old;
	int r = -EEXIST;

	if (strlen(name) + sizeof(FILES_TMP_MARK) + 18 > sizeof(tmp))
		return -ENAMETOOLONG;
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(hold) / sizeof(hold[0]); i++)
		sigaddset(&set, hold[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* O_EXCL on a random name: a file planted under that name (or a symbolic link) is never
	 * opened, another name is tried */
	for (int tries = 0; tries < 16 && r == -EEXIST; tries++) {
		temp_name(tmp, sizeof(tmp), name);
		r = write_temp(dirfd, tmp, data, len, mode);
	}
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		(void)unlinkat(dirfd, tmp, 0);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

int files_set_mode(int dirfd, const char *name, bool nofollow, mode_t mode, bool *changed)
{
	struct stat st;
	int fd = open_regular(dirfd, name, nofollow, &st);
	int r = 0;

	*changed = false;
	if (fd < 0)
		return fd;
	if ((st.st_mode & 07777) != mode) {
		/* through the fd: a path could be swapped for a link to another file meanwhile */
		if (fchmod(fd, mode) < 0)
			r = -errno;
		else
			*changed = true;
	}
	close(fd);
	return r;
}

int files_remove(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int files_remove_empty_dir(int dirfd, const char *name)
{
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
		return 0;
	/* gone, or no folder any more: a rename replaces what is there now */
	if (errno == ENOENT || errno == ENOTDIR)
		return 0;
	return errno == EEXIST ? -ENOTEMPTY : -errno;
}

int files_sweep_temps(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d;
	struct dirent *e;
	int r = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	rewinddir(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] != '.' || !strstr(e->d_name, FILES_TMP_MARK))
			continue;
		if (unlinkat(dirfd, e->d_name, 0) < 0 && errno != ENOENT && r == 0)
			r = -errno;
	}
	closedir(d);
	return r;
}

int files_sync_dir(int dirfd)
{
	return fsync(dirfd) < 0 ? -errno : 0;
}

int files_lock(int dirfd)
{
	const struct timespec step = { 0, 50 * 1000 * 1000 };

	for (int i = 0; i < FILES_LOCK_SECS * 20; i++) {
		if (flock(dirfd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == ENOLCK || errno == EOPNOTSUPP || errno == EINVAL)
			return 0;
		if (errno != EWOULDBLOCK)
			return -errno;
		(void)nanosleep(&step, NULL);
	}
	return -EWOULDBLOCK;
}

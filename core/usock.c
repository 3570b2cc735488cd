#include "core/usock.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static bool take_over;

void usock_take_over_live(bool on)
{
	take_over = on;
}

int usock_in_use(const char *path, int type, uid_t *uid)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct stat st;
	bool connected;
	int fd, r;

	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode) || strlen(path) >= sizeof(sun.sun_path))
		return 0;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	connected = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	/* A full listen backlog (EAGAIN) is a busy listener, not a stale file. */
	r = connected || errno == EAGAIN || errno == EINPROGRESS;
	/* The listener's uid once connected; else (a full backlog, a datagram socket) the owner
	 * of the file, whoever bound it. */
	*uid = st.st_uid;
	if (connected && type == SOCK_STREAM &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.uid != (uid_t)-1)
		*uid = cred.uid;
	(void)close(fd);
	return r;
}

int usock_open(struct loop_fd *lfd, const char *path, const struct usock_opts *o, loop_fd_cb cb,
	       void *data, struct usock_bound *bound)
{
	struct stat st;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int one = 1;
	mode_t old = 0;
	int fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, o->type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (o->passcred && setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
		goto fail;
	/* Another dind-init (one typed by hand in a running container, say) must not take over
	 * the sockets of the one that serves them. A datagram socket's file owner says nothing
	 * of who reads it (a user= service's notify socket is that user's): only the container's
	 * init takes one over. */
	bound->replaced = false;
	if (usock_in_use(path, o->type, &bound->replaced_uid)) {
		if (!take_over && (o->type != SOCK_STREAM || bound->replaced_uid == geteuid())) {
			errno = EADDRINUSE;
			goto fail;
		}
		bound->replaced = true;
	}
	(void)unlink(path);
	/* The mode comes from the umask at bind, not from a chmod by path after it (which would
	 * follow a symbolic link put there in the meantime): no moment where others could
	 * connect, nothing else changed. */
	if (o->owner_only)
		old = umask(o->set_group ? 0117 : 0177);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	if (o->owner_only)
		umask(old);
	/* Something we could not remove is at path (a folder, say): not a live socket. */
	if (r < 0 && errno == EADDRINUSE)
		errno = EEXIST;
	if (r < 0 || (o->type == SOCK_STREAM && listen(fd, 16) < 0))
		goto fail;
	/* lchown: a link swapped in at path gets the group, not what it points to. */
	if (o->set_group && lchown(path, (uid_t)-1, o->gid) < 0)
		goto fail;
	if (lstat(path, &st) < 0)
		goto fail;
	bound->dev = st.st_dev;
	bound->ino = st.st_ino;
	r = loop_add_fd(lfd, fd, EPOLLIN, cb, data);
	if (r < 0) {
		errno = -r;
		goto fail;
	}
	return fd;
fail:
	r = -errno;
	(void)close(fd);
	return r;
}

void usock_unlink(const char *path, const struct usock_bound *bound)
{
	struct stat st;

	if (lstat(path, &st) == 0 && st.st_dev == bound->dev && st.st_ino == bound->ino)
		(void)unlink(path);
}

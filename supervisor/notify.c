#include "supervisor/notify.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/usock.h"

static void on_readable(void *data, uint32_t events)
{
	struct notify_sock *n = data;

	(void)events;
	/* Bounded: a flood cannot keep PID 1 here forever; the rest waits for the next turn. */
	for (int round = 0; round < 64; round++) {
		char buf[NOTIFY_MSG_MAX + 1];
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 8)];
		} ctrl;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = &ctrl,
			.msg_controllen = sizeof(ctrl),
		};
		const struct ucred *cred = NULL;
		struct notify_msg msg;
		ssize_t len = recvmsg(n->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				log_debug_errno(errno, "notify socket of %s: recvmsg", n->name);
			return;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level != SOL_SOCKET)
				continue;
			if (c->cmsg_type == SCM_CREDENTIALS &&
			    c->cmsg_len == CMSG_LEN(sizeof(struct ucred)))
				cred = (const struct ucred *)CMSG_DATA(c);
			if (c->cmsg_type == SCM_RIGHTS) {
				/* Nobody should pass fds here; close them so they do not pile up.
				 */
				int *fds = (int *)CMSG_DATA(c);
				size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

				for (size_t i = 0; i < nfds; i++)
					(void)close(fds[i]);
			}
		}
		if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC) || (size_t)len > NOTIFY_MSG_MAX) {
			log_debug(
				"notify socket of %s: dropped an oversize datagram (%zd bytes, limit "
				"%d)",
				n->name, len, NOTIFY_MSG_MAX);
			continue;
		}
		if (!cred) {
			log_debug("notify socket of %s: dropped a datagram without credentials",
				  n->name);
			continue;
		}
		if (notify_parse(buf, (size_t)len, &msg) < 0) {
			log_debug("notify socket of %s: dropped a malformed datagram from pid %d",
				  n->name, (int)cred->pid);
			continue;
		}
		n->cb(n->data, cred->pid, &msg);
	}
}

int notify_open(struct notify_sock *n, const char *path, const char *name, notify_cb cb, void *data)
{
	int r;

	n->cb = cb;
	n->data = data;
	n->name = name;
	n->lfd.fd = -1;
	n->fd = -1;
	if (strlen(path) >= sizeof(n->path))
		return -ENAMETOOLONG;
	snprintf(n->path, sizeof(n->path), "%s", path);
	r = usock_open(&n->lfd, path, &(struct usock_opts){ .type = SOCK_DGRAM, .passcred = true },
		       on_readable, n, &n->bound);
	if (r < 0)
		return r;
	n->fd = r;
	if (n->bound.replaced)
		log_warn("service %s's notify socket %s was served by another process (uid %u): "
			 "replaced",
			 name, path, (unsigned)n->bound.replaced_uid);
	return 0;
}

void notify_close(struct notify_sock *n)
{
	if (n->fd < 0)
		return;
	loop_del_fd(&n->lfd);
	(void)close(n->fd);
	usock_unlink(n->path, &n->bound);
	n->fd = -1;
}

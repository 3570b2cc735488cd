/* sd_notify receiver: one SOCK_DGRAM unix socket per service that asks for it, with
 * SO_PASSCRED so that each datagram carries its sender's PID, checked by the kernel. */
#ifndef DIND_NOTIFY_H
#define DIND_NOTIFY_H

#include <sys/types.h>
#include <sys/un.h>

#include "core/loop.h"
#include "core/usock.h"
#include "supervisor/notify_msg.h"

/* Called for every well-formed datagram with the sender's PID; the receiver decides. */
typedef void (*notify_cb)(void *data, pid_t sender, const struct notify_msg *msg);

struct notify_sock {
	int fd;
	struct loop_fd lfd;
	notify_cb cb;
	void *data;
	const char *name; /* for debug messages; not owned */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct usock_bound bound; /* removed at close only while still ours */
};

/* Bind path (a stale socket file there is replaced; one another process serves is not:
 * -EADDRINUSE) and watch it. 0 or -errno. */
int notify_open(struct notify_sock *n, const char *path, const char *name, notify_cb cb,
		void *data);
void notify_close(struct notify_sock *n);

#endif

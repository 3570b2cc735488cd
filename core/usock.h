/* A unix socket bound to a path and watched by the event loop: the control socket (stream) and
 * the services' notify sockets (datagram) are made the same way. */
#ifndef DIND_USOCK_H
#define DIND_USOCK_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/loop.h"

struct usock_opts {
	int type;      /* SOCK_STREAM (then listening) or SOCK_DGRAM */
	bool passcred; /* SO_PASSCRED: each datagram carries its sender's pid, checked by the kernel
			*/
	bool owner_only; /* bound with umask 0177: mode 0600 from the start, no moment where others
			  * could connect (else the process's umask applies) */
	bool set_group;	 /* then group gid and mode 0660 (connecting needs write permission) */
	gid_t gid;
};

/* Create the socket (non-blocking, CLOEXEC), replace a stale socket file at path (one from a
 * previous run of the container: nobody listens there any more), bind, listen, set its group,
 * and watch it for EPOLLIN with cb(data). lfd is caller-owned, as for loop_add_fd. Returns the
 * fd, or -errno with nothing left open (-ENAMETOOLONG when path does not fit a sockaddr_un). */
int usock_open(struct loop_fd *lfd, const char *path, const struct usock_opts *o, loop_fd_cb cb,
	       void *data);

#endif

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
	bool set_group;	 /* with owner_only: group gid and mode 0660 (connecting needs write
			  * permission) */
	gid_t gid;
};

/* Which file usock_open bound: usock_unlink removes the path only while it is still that file.
 * replaced: usock_open took the path over from a live socket of replaced_uid's (see there). */
struct usock_bound {
	dev_t dev;
	ino_t ino;
	bool replaced;
	uid_t replaced_uid;
};

/* Whether a process serves the unix socket at path (a connect of that type succeeds, or would
 * wait): 1 yes, with *uid its server's (the listener's, from SO_PEERCRED, for a stream socket;
 * the file's owner for a datagram one), 0 no (nothing there, not a socket, or a stale socket
 * file nobody listens on). */
int usock_in_use(const char *path, int type, uid_t *uid);

/* From now on usock_open takes over a live socket whoever serves it (the container's init:
 * whatever serves its paths is an intruder). Otherwise it takes over only a socket served by
 * another user (a process of someone else's in a shared folder) and refuses one of its own
 * user's: another dind-init. */
void usock_take_over_live(bool on);

/* Create the socket (non-blocking, CLOEXEC), replace a stale socket file at path (one from a
 * previous run of the container: nobody listens there any more), bind, listen, set its group,
 * and watch it for EPOLLIN with cb(data). lfd is caller-owned, as for loop_add_fd. *bound gets
 * the file bound, for usock_unlink. Returns the fd, or -errno with nothing left open
 * (-EADDRINUSE when a process of our own user serves path and usock_take_over_live is off: it
 * is left alone; -ENAMETOOLONG when path does not fit a sockaddr_un). */
int usock_open(struct loop_fd *lfd, const char *path, const struct usock_opts *o, loop_fd_cb cb,
	       void *data, struct usock_bound *bound);

/* Remove path if it is still the file usock_open bound (another process may have replaced it
 * since: its socket is left alone). */
void usock_unlink(const char *path, const struct usock_bound *bound);

#endif

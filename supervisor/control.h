/* The control socket that dind-ctl talks to (protocol: supervisor/control_proto.h). */
#ifndef DIND_CONTROL_H
#define DIND_CONTROL_H

#include "config/config.h"
#include "supervisor/control_proto.h"

#define CONTROL_CLIENTS_MAX	32    /* connections at once; more are refused */
#define CONTROL_ACCEPT_PAUSE_MS 100   /* after accept fails for lack of fds or memory */
#define CONTROL_IDLE_MS		10000 /* a client that sends no full line by then is dropped */
#define CONTROL_REFUSED_LOG_MS	10000 /* refused connections: one warning per this, with a count */
/* Of CONTROL_CLIENTS_MAX, kept for root: clients that are not root (control_group members)
 * hold at most CONTROL_CLIENTS_MAX - CONTROL_CLIENTS_ROOT together, so that they cannot lock
 * root's HEALTHCHECK or liveness probe out by keeping connections open. */
#define CONTROL_CLIENTS_ROOT 8

/* Bind the socket (mode 0600, or 0660 and group gid with_group; a stale socket file is
 * replaced) and watch it. Root may send every request, members of group gid (primary or
 * supplementary) the read-only ones: status, health, wait. path NULL: no control socket.
 * 0 or -errno. */
int control_init(const char *path, bool with_group, gid_t gid);
void control_release(void);

/* A service changed state or health: answer the `wait` clients that can be answered now. */
void control_services_changed(void);

#endif

/* sd_notify datagram parsing: pure, unit-tested. */
#ifndef DIND_NOTIFY_MSG_H
#define DIND_NOTIFY_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define NOTIFY_MSG_MAX	  4096 /* larger datagrams are dropped */
#define NOTIFY_STATUS_MAX 256  /* STATUS= text is cut to this many bytes */

struct notify_msg {
	bool ready;	/* READY=1 */
	bool stopping;	/* STOPPING=1 */
	bool reloading; /* RELOADING=1 */
	bool watchdog;	/* WATCHDOG=1 */
	bool has_status;
	/* STATUS=..., NUL-terminated; control characters (C0, DEL, C1) and bytes that are not
	 * UTF-8 replaced with '?' */
	char status[NOTIFY_STATUS_MAX + 1];
};

/* Parse newline-separated KEY=VALUE assignments. Unknown keys and lines without '=' are
 * ignored; the last STATUS= wins. Returns 0, -EMSGSIZE when len > NOTIFY_MSG_MAX, or -EINVAL
 * when the message is empty or holds a NUL byte. */
int notify_parse(const char *buf, size_t len, struct notify_msg *out);

#endif

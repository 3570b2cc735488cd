/* Readiness and health probes: one non-blocking attempt at a time, driven by the event loop.
 * Connects and HTTP exchanges are non-blocking fds in the epoll; exec probes are children
 * reaped like any other. */
#ifndef DIND_PROBE_H
#define DIND_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/config.h"
#include "core/loop.h"
#include "supervisor/privs.h"

#define PROBE_WHY_MAX  160
#define PROBE_HTTP_MAX 512 /* bytes of the answer kept: the status line is all we need */

/* Called once per attempt that did not finish inside probe_start. */
typedef void (*probe_done_cb)(void *data, bool ok);

enum probe_phase { PROBE_IDLE, PROBE_CONNECTING, PROBE_SENDING, PROBE_READING, PROBE_RUNNING };

struct probe {
	const struct probe_spec *spec;
	char *const *envp; /* for exec probes */
	const char *workdir;
	const struct privs *privs;
	probe_done_cb done;
	void *data;
	enum probe_phase phase;
	int fd;
	struct loop_fd lfd;
	pid_t pid;
	int report_fd; /* exec: the child's start report, read once it exited (-1: none) */
	struct loop_timer timeout;
	size_t sent;
	size_t len;
	char buf[PROBE_HTTP_MAX];
	char why[PROBE_WHY_MAX]; /* why the last attempt failed */
};

/* envp, workdir and privs are the service's (exec probes run as the service would); not
 * copied, they must outlive the probe. */
void probe_init(struct probe *p, const struct probe_spec *spec, char *const *envp,
		const char *workdir, const struct privs *privs, probe_done_cb done, void *data);
/* Start one attempt bounded by timeout_ms. Returns 1 if it already succeeded, 0 if it is
 * pending (done is called later), or -1 if it already failed (p->why says why). */
int probe_start(struct probe *p, int64_t timeout_ms);
/* Abandon a pending attempt (no callback). */
void probe_cancel(struct probe *p);
bool probe_pending(const struct probe *p);

/* For the reaper: true if pid was an exec probe (its result is delivered). */
bool probe_child_exited(pid_t pid, int code);

#endif

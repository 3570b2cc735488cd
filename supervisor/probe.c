#include "supervisor/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/parse.h"
#include "supervisor/spawn.h"

/* Exec probes in flight, for the reaper; each service has at most two probes. */
static struct probe *running_exec[2 * MAX_SERVICES];

static void on_timeout(void *data);

void probe_init(struct probe *p, const struct probe_spec *spec, char *const *envp,
		const char *workdir, const struct privs *privs, probe_done_cb done, void *data)
{
	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->envp = envp;
	p->workdir = workdir;
	p->privs = privs;
	p->done = done;
	p->data = data;
	p->fd = -1;
	p->lfd.fd = -1;
	p->report_fd = -1;
	loop_timer_init(&p->timeout, on_timeout, p);
}

bool probe_pending(const struct probe *p)
{
	return p->phase != PROBE_IDLE;
}

static void forget_exec(struct probe *p)
{
	for (size_t i = 0; i < sizeof(running_exec) / sizeof(running_exec[0]); i++)
		if (running_exec[i] == p)
			running_exec[i] = NULL;
}

static void cleanup(struct probe *p)
{
	if (p->fd >= 0) {
		loop_del_fd(&p->lfd);
		(void)close(p->fd);
		p->fd = -1;
	}
	if (p->pid > 0) {
		/* A probe that outlived its timeout: kill it; the reaper collects it later. */
		spawn_kill_group(p->pid);
		forget_exec(p);
		p->pid = 0;
	}
	if (p->report_fd >= 0) {
		(void)close(p->report_fd);
		p->report_fd = -1;
	}
	loop_timer_disarm(&p->timeout);
	p->phase = PROBE_IDLE;
}

void probe_cancel(struct probe *p)
{
	cleanup(p);
}

static void finish(struct probe *p, bool ok)
{
	cleanup(p);
	p->done(p->data, ok);
}

static void fail(struct probe *p, int err, const char *what)
{
	if (err)
		snprintf(p->why, sizeof(p->why), "%s: %s", what, strerror(err));
	else
		snprintf(p->why, sizeof(p->why), "%s", what);
}

static void on_timeout(void *data)
{
	struct probe *p = data;
	struct spawn_result res = { .pid = p->pid, .report_fd = p->report_fd };

	/* A check stuck before its exec (stopped by a process of its user, or a workdir on a
	 * hung mount) is not a slow check: say so. */
	if (p->report_fd >= 0 && spawn_report(&res, false) == 0)
		snprintf(p->why, sizeof(p->why), "timed out before %s was executed",
			 p->spec->argv[0]);
	else
		fail(p, 0, "timed out");
	finish(p, false);
}

/* The HTTP answer so far: 1 = a 2xx status line, -1 = another status or garbage, 0 = need
 * more bytes. */
static int http_verdict(const struct probe *p)
{
	const char *nl = memchr(p->buf, '\n', p->len);
	int code;

	if (!nl) {
		if (p->len == sizeof(p->buf))
			return -1;
		return 0;
	}
	/* "HTTP/1.1 204 No Content" */
	if (p->len < 12 || memcmp(p->buf, "HTTP/", 5) != 0)
		return -1;
	{
		const char *sp = memchr(p->buf, ' ', (size_t)(nl - p->buf));

		if (!sp || sp + 4 > nl || sp[1] < '1' || sp[1] > '5' || sp[2] < '0' ||
		    sp[2] > '9' || sp[3] < '0' || sp[3] > '9')
			return -1;
		code = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
	}
	return code >= 200 && code <= 299 ? 1 : -1;
}

static void http_send(struct probe *p)
{
	while (p->sent < p->len) {
		ssize_t n = send(p->fd, p->buf + p->sent, p->len - p->sent, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			fail(p, errno, "sending the request");
			finish(p, false);
			return;
		}
		p->sent += (size_t)n;
	}
	p->phase = PROBE_READING;
	p->len = 0;
}

static void on_io(void *data, uint32_t events);

static int watch(struct probe *p, uint32_t events)
{
	if (p->lfd.fd == p->fd)
		return loop_mod_fd(&p->lfd, events);
	return loop_add_fd(&p->lfd, p->fd, events, on_io, p);
}

/* On to phase, watching the socket for EPOLLOUT. Returns 0, or -1 after cleanup (why set). */
static int await_writable(struct probe *p, enum probe_phase phase)
{
	int r;

	p->phase = phase;
	r = watch(p, EPOLLOUT);
	if (r < 0) {
		fail(p, -r, "epoll");
		cleanup(p);
		return -1;
	}
	return 0;
}

/* HTTP only: queue the request once connected. Returns 0, or -1 after cleanup (why set). */
static int connected(struct probe *p)
{
	int r = snprintf(p->buf, sizeof(p->buf),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: dind-init\r\n"
			 "Connection: close\r\n\r\n",
			 p->spec->http_path, p->spec->addrlen ? "127.0.0.1" : "localhost");

	if (r < 0 || (size_t)r >= sizeof(p->buf)) {
		fail(p, 0, "request too long");
		cleanup(p);
		return -1;
	}
	p->len = (size_t)r;
	p->sent = 0;
	return await_writable(p, PROBE_SENDING);
}

static void on_io(void *data, uint32_t events)
{
	struct probe *p = data;

	(void)events;
	switch (p->phase) {
	case PROBE_CONNECTING: {
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			fail(p, err, "connect");
			finish(p, false);
		} else if (p->spec->kind != PROBE_HTTP) {
			finish(p, true);
		} else if (connected(p) < 0) {
			p->done(p->data, false);
		}
		return;
	}
	case PROBE_SENDING:
		http_send(p);
		if (p->phase == PROBE_READING && watch(p, EPOLLIN | EPOLLRDHUP) < 0) {
			fail(p, errno, "epoll");
			finish(p, false);
		}
		return;
	case PROBE_READING:
		for (;;) {
			ssize_t n = read(p->fd, p->buf + p->len, sizeof(p->buf) - p->len);
			int v;

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return;
			if (n <= 0) {
				fail(p, n < 0 ? errno : 0,
				     n < 0 ? "reading the answer"
					   : "connection closed before an answer");
				finish(p, false);
				return;
			}
			p->len += (size_t)n;
			v = http_verdict(p);
			if (v == 0)
				continue;
			if (v < 0) {
				const char *nl = memchr(p->buf, '\r', p->len);
				int l = nl ? (int)(nl - p->buf) : (int)(p->len < 40 ? p->len : 40);

				snprintf(p->why, sizeof(p->why), "answer '%.*s'", l, p->buf);
			}
			finish(p, v > 0);
			return;
		}
	default:
		return;
	}
}

static int start_connect(struct probe *p)
{
	const struct probe_spec *s = p->spec;
	int fd, r;

	if (s->addrlen) {
		fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return fail(p, errno, "socket"), -1;
		r = connect(fd, (const struct sockaddr *)&s->addr, s->addrlen);
	} else {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return fail(p, errno, "socket"), -1;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", s->path);
		r = connect(fd, (const struct sockaddr *)&sun, sizeof(sun));
	}
	p->fd = fd;
	if (r == 0 && s->kind != PROBE_HTTP) {
		cleanup(p);
		return 1;
	}
	if (r == 0) {
		p->phase = PROBE_CONNECTING;
		return connected(p);
	}
	/* EAGAIN from a unix socket means its backlog is full: not "in progress", a failed try. */
	if (errno != EINPROGRESS) {
		fail(p, errno, s->addrlen ? "connect" : s->path);
		(void)close(fd);
		p->fd = -1;
		return -1;
	}
	return await_writable(p, PROBE_CONNECTING);
}

static int start_exec(struct probe *p)
{
	struct spawn_opts opts = {
		.argv = p->spec->argv,
		.envp = p->envp,
		.workdir = p->workdir,
		/* A check runs with the service's user, capabilities and seccomp, never more. */
		.privs = p->privs,
		.stdout_fd = -1,
		.stderr_fd = -1,
		.null_stdin = true,
	};
	struct spawn_result res;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int r;

	/* The check's own output is not the service's: keep it out of the logs. */
	if (devnull < 0) {
		fail(p, errno, "opening /dev/null for the check's output");
		return -1;
	}
	opts.stdout_fd = opts.stderr_fd = devnull;
	r = spawn_process(&opts, &res);
	(void)close(devnull);
	if (r < 0) {
		fail(p, -r, spawn_failure_name(&res));
		return -1;
	}
	/* Not waited for: its report only matters for the failure text, read at its exit (the
	 * probe's timeout bounds a check that never gets to exec). */
	p->pid = res.pid;
	p->report_fd = res.report_fd;
	p->phase = PROBE_RUNNING;
	for (size_t i = 0; i < sizeof(running_exec) / sizeof(running_exec[0]); i++) {
		if (!running_exec[i]) {
			running_exec[i] = p;
			break;
		}
	}
	return 0;
}

int probe_start(struct probe *p, int64_t timeout_ms)
{
	int r;

	cleanup(p);
	p->why[0] = '\0';
	switch (p->spec->kind) {
	case PROBE_FILE: {
		struct stat st;

		if (stat(p->spec->path, &st) == 0)
			return 1;
		fail(p, errno, p->spec->path);
		return -1;
	}
	case PROBE_SOCKET:
	case PROBE_TCP:
	case PROBE_HTTP:
		r = start_connect(p);
		break;
	case PROBE_EXEC:
		r = start_exec(p);
		break;
	default:
		fail(p, 0, "no probe");
		return -1;
	}
	if (r != 0)
		return r;
	if (timeout_ms > 0)
		loop_timer_arm_in(&p->timeout, timeout_ms);
	return 0;
}

bool probe_child_exited(pid_t pid, int code)
{
	for (size_t i = 0; i < sizeof(running_exec) / sizeof(running_exec[0]); i++) {
		struct probe *p = running_exec[i];

		if (!p || p->pid != pid)
			continue;
		running_exec[i] = NULL;
		/* The check is over, and so is whatever it started (`sh -c 'x & exit 0'`): its
		 * process group goes with it. The leader was reaped just now and the kernel hands
		 * out pids cyclically, so the group id is not a newcomer's. */
		(void)kill(-pid, SIGKILL);
		p->pid = 0;
		if (p->report_fd >= 0) {
			struct spawn_result res = { .pid = pid, .report_fd = p->report_fd };

			if (spawn_report(&res, true) > 0 && res.stage != SPAWN_STAGE_NONE)
				snprintf(p->why, sizeof(p->why), "%s %s: %s",
					 spawn_failure_name(&res), p->spec->argv[0],
					 strerror(res.err));
		}
		if (code != 0 && !p->why[0])
			snprintf(p->why, sizeof(p->why), "%s exited with status %d",
				 p->spec->argv[0], code);
		finish(p, code == 0);
		return true;
	}
	return false;
}

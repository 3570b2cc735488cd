#include "supervisor/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

#include "config/config.h"

static void write_line(const char *name, const char *line, size_t len)
{
	char head[SVC_NAME_MAX + 4];
	int hlen = snprintf(head, sizeof(head), "[%s] ", name);
	struct iovec iov[3] = {
		{ .iov_base = head, .iov_len = (size_t)hlen },
		{ .iov_base = (void *)line, .iov_len = len },
		{ .iov_base = (void *)"\n", .iov_len = 1 },
	};
	size_t total = (size_t)hlen + len + 1;

	/* One writev per line: lines of different services never interleave. A short write
	 * (only on a full non-blocking stdout) is completed piecewise. */
	while (total > 0) {
		ssize_t w = writev(STDOUT_FILENO, iov, 3);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return; /* stdout gone: drop the line, the service keeps running */
		}
		total -= (size_t)w;
		for (int i = 0; i < 3 && w > 0; i++) {
			size_t take = (size_t)w < iov[i].iov_len ? (size_t)w : iov[i].iov_len;

			iov[i].iov_base = (char *)iov[i].iov_base + take;
			iov[i].iov_len -= take;
			w -= (ssize_t)take;
		}
	}
}

static void emit_lines(struct output *o)
{
	size_t start = 0;

	for (size_t i = 0; i < o->len; i++) {
		if (o->buf[i] == '\n') {
			write_line(o->name, o->buf + start, i - start);
			start = i + 1;
		}
	}
	if (start == 0 && o->len == sizeof(o->buf)) {
		/* A line longer than the buffer: emit it in pieces rather than stall the pipe. */
		write_line(o->name, o->buf, o->len);
		start = o->len;
	}
	memmove(o->buf, o->buf + start, o->len - start);
	o->len -= start;
}

static int drain(struct output *o)
{
	for (;;) {
		ssize_t n = read(o->read_fd, o->buf + o->len, sizeof(o->buf) - o->len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		if (n == 0)
			return -EPIPE;
		o->len += (size_t)n;
		emit_lines(o);
	}
}

static void on_readable(void *data, uint32_t events)
{
	struct output *o = data;

	(void)events;
	if (drain(o) < 0) {
		/* Cannot happen while we hold write_fd; still, never spin on a dead fd. */
		output_flush(o);
		loop_del_fd(&o->lfd);
	}
}

int output_open(struct output *o, const char *name)
{
	int fds[2];
	int r;

	o->name = name;
	o->len = 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* Only the read end is non-blocking: the services' end behaves like a normal pipe. */
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	o->read_fd = fds[0];
	o->write_fd = fds[1];
	r = loop_add_fd(&o->lfd, o->read_fd, EPOLLIN, on_readable, o);
	if (r < 0) {
		output_close(o);
		return r;
	}
	return 0;
}

void output_flush(struct output *o)
{
	if (o->read_fd >= 0)
		(void)drain(o);
	if (o->len > 0) {
		write_line(o->name, o->buf, o->len);
		o->len = 0;
	}
}

void output_close(struct output *o)
{
	loop_del_fd(&o->lfd);
	if (o->read_fd >= 0)
		(void)close(o->read_fd);
	if (o->write_fd >= 0)
		(void)close(o->write_fd);
	o->read_fd = o->write_fd = -1;
}

#include "supervisor/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int sink = STDOUT_FILENO;
static bool sink_sock; /* a socket: send() with MSG_DONTWAIT */
static struct loop_fd sink_lfd = { .fd = -1 };
static char queue[OUTPUT_QUEUE_MAX];
static size_t qlen;
static struct output *outputs[MAX_SERVICES];
static int noutputs;

static void pause_all(bool pause);
static bool queue_full(void);

void output_setup(int fd)
{
	char path[32];
	struct stat st;
	int own;

	sink = fd;
	if (fstat(fd, &st) < 0)
		return;
	/* A socket (a journald stream, a log collector) cannot be reopened through /proc, and
	 * O_NONBLOCK on fd N would reach the main command too; MSG_DONTWAIT works per call. */
	sink_sock = S_ISSOCK(st.st_mode);
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return; /* a file (writes do not block for long) or a socket */
	/* Opening /proc/self/fd/N gives a new open file description of the same pipe or tty:
	 * O_NONBLOCK on it does not leak into the main command, which shares fd N's. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	own = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (own >= 0)
		sink = own;
}

static void on_sink_writable(void *data, uint32_t events);

/* One write to the sink that never blocks (but on a file). */
static ssize_t sink_write(const void *buf, size_t n)
{
	if (sink_sock)
		return send(sink, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	return write(sink, buf, n);
}

static void queue_flush(void)
{
	while (qlen > 0) {
		ssize_t n = sink_write(queue, qlen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			qlen = 0; /* stdout is gone: nothing more can be written */
			break;
		}
		memmove(queue, queue + n, qlen - (size_t)n);
		qlen -= (size_t)n;
	}
	if (qlen > 0 && sink_lfd.fd < 0)
		(void)loop_add_fd(&sink_lfd, sink, EPOLLOUT, on_sink_writable, NULL);
	if (qlen == 0 && sink_lfd.fd >= 0)
		loop_del_fd(&sink_lfd);
	pause_all(queue_full());
}

static void on_sink_writable(void *data, uint32_t events)
{
	(void)data;
	(void)events;
	queue_flush();
}

/* Returns false when the queue has no room for one more line. */
static bool write_line(const char *name, const char *line, size_t len)
{
	char out[PIPE_BUF];
	int hlen;
	size_t total;

	if (qlen > OUTPUT_QUEUE_MAX - PIPE_BUF)
		return false;
	hlen = snprintf(out, sizeof(out), "[%s] ", name);
	memcpy(out + hlen, line, len);
	out[hlen + len] = '\n';
	total = (size_t)hlen + len + 1;
	if (qlen == 0) {
		/* The usual case: straight out in one write, atomic up to PIPE_BUF. */
		ssize_t n;

		do
			n = sink_write(out, total);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)total)
			return true;
		if (n < 0 && errno != EAGAIN)
			return true; /* stdout gone: drop the line, the service keeps running */
		if (n > 0) {
			memmove(out, out + n, total - (size_t)n);
			total -= (size_t)n;
		}
	}
	memcpy(queue + qlen, out, total);
	qlen += total;
	queue_flush();
	return true;
}

/* Write the complete lines in the buffer; false if the queue filled up first. */
static bool emit_lines(struct output *o)
{
	size_t start = 0;
	bool room = true;

	for (size_t i = 0; i < o->len; i++) {
		if (o->buf[i] != '\n')
			continue;
		if (i == 0 && o->split) {
			/* The newline that ended a line we already wrote out in pieces. */
			start = 1;
			o->split = false;
			continue;
		}
		if (!(room = write_line(o->name, o->buf + start, i - start)))
			break;
		o->split = false;
		start = i + 1;
	}
	if (room && start == 0 && o->len == sizeof(o->buf)) {
		/* A line longer than a piece: emit it in pieces rather than stall the pipe. */
		if ((room = write_line(o->name, o->buf, o->len))) {
			start = o->len;
			o->split = true;
		}
	}
	memmove(o->buf, o->buf + start, o->len - start);
	o->len -= start;
	return room;
}

/* Up to max reads, fewer when the pipe is empty (then *dry is set, if given) or the queue is
 * full. Returns the bytes read, or -EPIPE at end of file. */
static long drain(struct output *o, int max, bool *dry)
{
	long total = 0;

	for (int i = 0; i < max && o->len < sizeof(o->buf); i++) {
		ssize_t n = read(o->read_fd, o->buf + o->len, sizeof(o->buf) - o->len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			if (dry)
				*dry = true;
			return total;
		}
		if (n == 0)
			return -EPIPE;
		o->len += (size_t)n;
		total += n;
		if (!emit_lines(o))
			break; /* paused: the rest waits in the pipe */
	}
	return total;
}

static void on_readable(void *data, uint32_t events)
{
	struct output *o = data;

	(void)events;
	if (drain(o, OUTPUT_READS_PER_WAKEUP, NULL) < 0) {
		/* Cannot happen while we hold write_fd; still, never spin on a dead fd. */
		loop_del_fd(&o->lfd);
		return;
	}
	/* Lines held back for a full queue: stop watching this pipe until the queue drains. */
	if (!o->paused && queue_full()) {
		o->paused = true;
		(void)loop_mod_fd(&o->lfd, 0);
	}
}

static bool queue_full(void)
{
	return qlen > OUTPUT_QUEUE_MAX - PIPE_BUF;
}

static void pause_all(bool pause)
{
	for (int i = 0; i < noutputs; i++) {
		struct output *o = outputs[i];

		/* Emitting held-back lines can fill the queue again (and pause everything from
		 * inside): then the rest stays paused, or their pipes would wake us in a loop. */
		if (!pause && queue_full())
			return;
		if (o->paused == pause || o->lfd.fd < 0)
			continue;
		o->paused = pause;
		(void)loop_mod_fd(&o->lfd, pause ? 0 : EPOLLIN);
		if (!pause)
			(void)emit_lines(o); /* lines held back while the queue was full */
	}
}

int output_open(struct output *o, const char *name)
{
	int fds[2];
	int r;

	o->name = name;
	o->len = 0;
	o->paused = o->split = false;
	if (noutputs >= MAX_SERVICES)
		return -ENOSPC;
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
	outputs[noutputs++] = o;
	return 0;
}

void output_end_of_run(struct output *o)
{
	int size = fcntl(o->read_fd, F_GETPIPE_SZ);
	/* Everything the run wrote is in the pipe now: all of it must be read before a partial
	 * line can be taken for its last. Bounded by what the pipe holds (plus one read to see it
	 * empty): other processes of the service may go on writing, and the loop must go on. */
	long budget = (size > 0 ? size : 65536) + (long)sizeof(o->buf);
	bool dry = false;

	while (!dry && !o->paused && budget > 0) {
		long n = drain(o, 1, &dry);

		if (n <= 0 && !dry)
			break; /* end of file, or the queue is full */
		budget -= n;
	}
	/* Not dry: the queue filled up, or someone is still writing; the partial line then goes
	 * out with the data that follows it. */
	if (dry && o->len > 0 && !o->paused && write_line(o->name, o->buf, o->len)) {
		o->len = 0;
		o->split = false;
	}
}

/* Exiting: let a slow stdout take what is queued, until deadline at most (then just what it
 * takes without waiting). */
static void queue_flush_wait(int64_t deadline)
{
	queue_flush();
	while (qlen > 0 && now_ms() < deadline) {
		struct pollfd pfd = { .fd = sink, .events = POLLOUT };

		if (poll(&pfd, 1, (int)(deadline - now_ms())) <= 0)
			break;
		queue_flush();
	}
}

void output_flush_all(void)
{
	/* One deadline for everything: a stdout nobody reads must not cost a wait per service
	 * (or per pipeful), or several chatty services push the exit past `docker stop`'s
	 * grace period and the job's status is lost to a SIGKILL. */
	int64_t deadline = now_ms() + OUTPUT_EXIT_FLUSH_MS;

	for (int i = 0; i < noutputs; i++) {
		struct output *o = outputs[i];

		if (o->read_fd < 0)
			continue;
		for (int round = 0; round < 64; round++) {
			queue_flush_wait(deadline);
			if (drain(o, 1, NULL) <= 0)
				break;
		}
		queue_flush_wait(deadline);
		(void)emit_lines(o);
		if (o->len > 0 && write_line(o->name, o->buf, o->len))
			o->len = 0;
	}
	queue_flush_wait(deadline);
}

void output_close(struct output *o)
{
	loop_del_fd(&o->lfd);
	if (o->read_fd >= 0)
		(void)close(o->read_fd);
	if (o->write_fd >= 0)
		(void)close(o->write_fd);
	o->read_fd = o->write_fd = -1;
	for (int i = 0; i < noutputs; i++) {
		if (outputs[i] == o) {
			outputs[i] = outputs[--noutputs];
			break;
		}
	}
}

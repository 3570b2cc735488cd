#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

static enum log_level current_level = LOG_LEVEL_INFO;
static int log_fd = STDERR_FILENO;
static bool log_sock; /* stderr is a socket: send() with MSG_DONTWAIT */
static unsigned long dropped;
/* The end of a line a socket took only part of: written before anything else, so that no
 * line of ours is ever cut by another. */
static char tail[LOG_LINE_MAX];
static size_t tail_len;

void log_setup(void)
{
	struct stat st;
	int fd;

	/* PID 1 must not hang on a stalled stderr reader (a journald stream, a log collector that
	 * stops reading): write without blocking and drop lines that do not fit, saying so once
	 * it drains. A pipe or terminal gets a non-blocking open file description of our own (the
	 * main command keeps its blocking one); a socket cannot be reopened that way, but send()
	 * takes MSG_DONTWAIT per call. Files stay as they are. */
	if (fstat(STDERR_FILENO, &st) < 0)
		return;
	if (S_ISSOCK(st.st_mode)) {
		log_sock = true;
		return;
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
		return;
	fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0)
		log_fd = fd;
}

/* As much of buf as fits now, without blocking: the bytes written, or -1 with errno. */
static ssize_t put(const char *buf, size_t n)
{
	ssize_t w;

	do
		w = log_sock ? send(log_fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL)
			     : write(log_fd, buf, n);
	while (w < 0 && errno == EINTR);
	return w;
}

static bool flush_tail(void)
{
	while (tail_len > 0) {
		ssize_t w = put(tail, tail_len);

		if (w <= 0) {
			if (w < 0 && errno != EAGAIN)
				tail_len = 0; /* stderr is gone */
			break;
		}
		memmove(tail, tail + w, tail_len - (size_t)w);
		tail_len -= (size_t)w;
	}
	return tail_len == 0;
}

/* One write per line, so that lines from dind-init and its services never interleave: false
 * when the line could not be written. A pipe takes a line of up to PIPE_BUF bytes whole or not
 * at all; a stream socket may take part of it, then the rest waits in tail. */
static bool write_line(const char *buf, size_t n)
{
	ssize_t w;

	if (!flush_tail())
		return false;
	w = put(buf, n);
	if (w <= 0)
		return false;
	if ((size_t)w < n) {
		memcpy(tail, buf + w, n - (size_t)w);
		tail_len = n - (size_t)w;
	}
	return true;
}

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

static const char *const level_prefix[] = {
	[LOG_LEVEL_ERROR] = "error: ",
	[LOG_LEVEL_WARN] = "warning: ",
	[LOG_LEVEL_INFO] = "",
	[LOG_LEVEL_DEBUG] = "debug: ",
};

void log_msg(enum log_level level, int err, const char *fmt, ...)
{
	int saved_errno = errno;
	char line[LOG_LINE_MAX];
	size_t n = 0;
	va_list ap;
	int r;

	if (level > current_level)
		goto out;

	/* Timestamps only in debug mode: they make the debug log usable for measuring
	 * (READY=1 to "ready"), while normal logs are read through `docker logs -t` anyway. */
	if (current_level >= LOG_LEVEL_DEBUG) {
		struct timespec ts;
		long day_sec;

		clock_gettime(CLOCK_REALTIME, &ts);
		/* UTC time of day by hand: gmtime_r would drag the time zone code (and sscanf)
		 * into the static binary. Microseconds, to measure READY=1 -> ready. */
		day_sec = (long)(ts.tv_sec % 86400);
		r = snprintf(line, sizeof(line), "[dind-init %02ld:%02ld:%02ld.%06ld] %s",
			     day_sec / 3600, day_sec / 60 % 60, day_sec % 60, ts.tv_nsec / 1000,
			     level_prefix[level]);
	} else {
		r = snprintf(line, sizeof(line), "[dind-init] %s", level_prefix[level]);
	}
	n = r > 0 ? (size_t)r : 0;

	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (r > 0)
		n += (size_t)r;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;

	if (err != 0) {
		char ebuf[128];
		const char *es = strerror_r(err < 0 ? -err : err, ebuf, sizeof(ebuf));

		r = snprintf(line + n, sizeof(line) - n, ": %s", es);
		if (r > 0)
			n += (size_t)r;
		if (n > sizeof(line) - 2)
			n = sizeof(line) - 2;
	}
	line[n++] = '\n';

	if (dropped) {
		char note[80];
		int k = snprintf(note, sizeof(note),
				 "[dind-init] warning: %lu log lines dropped: stderr "
				 "was not read fast enough\n",
				 dropped);

		if (k > 0 && write_line(note, (size_t)k))
			dropped = 0;
	}
	if (!write_line(line, n))
		dropped++;
out:
	errno = saved_errno;
}

#include "init/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static enum log_level current_level = LOG_LEVEL_INFO;
static int log_fd = STDERR_FILENO;
static unsigned long dropped;

void log_setup(void)
{
	struct stat st;
	int fd;

	/* PID 1 must not hang on a stalled stderr reader: write through a non-blocking open file
	 * description of our own (the main command keeps its blocking one) and drop lines that do
	 * not fit, saying so once it drains. Files and sockets stay as they are. */
	if (fstat(STDERR_FILENO, &st) < 0 || (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode)))
		return;
	fd = open("/proc/self/fd/2", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0)
		log_fd = fd;
}

static bool write_all(const char *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = write(log_fd, buf + off, n - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		off += (size_t)w;
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
	char line[2048];
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

		if (k > 0 && write_all(note, (size_t)k))
			dropped = 0;
	}
	/* One write per line so that lines from dind-init and its services never interleave. */
	if (!write_all(line, n))
		dropped++;
out:
	errno = saved_errno;
}

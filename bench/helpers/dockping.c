/* dockping: probes for the time-to-ready benchmark (bench/ready.sh). Static, no libraries.
 *
 *   dockping ping SOCK             one GET /_ping over the unix socket: exit 0 on a 200
 *   dockping connect SOCK          one connect(): exit 0 if something accepts
 *   dockping stamp FILE SOCK [hold]
 *                                  GET /_ping until it answers 200 (every 1 ms, at most 120 s),
 *                                  then write CLOCK_REALTIME in ns to FILE: "the job saw Docker";
 *                                  with hold, then wait for a signal instead of exiting (a job
 *                                  that keeps the container up: bench/supervisors.sh)
 *   dockping launch DIR SOCK -- CMD [ARG...]
 *                                  write the start time to DIR/start, fork a poller that writes
 *                                  DIR/serving at the first 200 from SOCK (every 2 ms), then exec
 *                                  CMD in this process (so CMD keeps PID 1)
 *
 * Times are CLOCK_REALTIME, which containers share with the host (no time namespace), so they
 * compare with the host's $EPOCHREALTIME. Files are written to a temporary name and renamed, so
 * a reader never sees half a number. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* 1 if GET /_ping answered 200 within timeout_ms, else 0. A daemon may accept before it
 * serves (the listener exists early): the answer is then awaited, which is when it serves. */
static int ping(const char *path, int timeout_ms)
{
	static const char req[] = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
	char buf[64];
	size_t got = 0;
	int fd = connect_unix(path), ok = 0;

	if (fd < 0)
		return 0;
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		goto out;
	while (got < 12) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			goto out;
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			goto out;
		got += (size_t)n;
	}
	buf[got] = '\0';
	/* "HTTP/1.1 200 OK" */
	ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
out:
	close(fd);
	return ok;
}

static int write_stamp(const char *file, long long t)
{
	char tmp[4096], line[32];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%lld\n", t);
	if (write(fd, line, (size_t)n) != n || close(fd) < 0 || rename(tmp, file) < 0)
		return -1;
	return 0;
}

/* Poll until the first 200, every interval_ms, for at most 120 s; write its time to file. */
static int stamp(const char *file, const char *sock, int interval_ms)
{
	long long give_up = now_ns() + 120LL * 1000000000LL;

	while (now_ns() < give_up) {
		if (ping(sock, 5000))
			return write_stamp(file, now_ns()) < 0 ? 2 : 0;
		sleep_ms(interval_ms);
	}
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: dockping ping SOCK | connect SOCK | stamp FILE SOCK [hold] |"
			" launch DIR SOCK -- CMD [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "ping") == 0)
		return ping(argv[2], 2000) ? 0 : 1;
	if (argc == 3 && strcmp(argv[1], "connect") == 0) {
		int fd = connect_unix(argv[2]);

		if (fd < 0)
			return 1;
		close(fd);
		return 0;
	}
	if ((argc == 4 || (argc == 5 && strcmp(argv[4], "hold") == 0)) &&
	    strcmp(argv[1], "stamp") == 0) {
		int r = stamp(argv[2], argv[3], 1);

		if (r != 0 || argc == 4)
			return r;
		for (;;)
			pause(); /* until a signal ends it (SIGTERM's default action) */
	}
	if (argc >= 6 && strcmp(argv[1], "launch") == 0 && strcmp(argv[4], "--") == 0) {
		char start[4096], serving[4096];
		pid_t pid;

		snprintf(start, sizeof(start), "%s/start", argv[2]);
		snprintf(serving, sizeof(serving), "%s/serving", argv[2]);
		if (write_stamp(start, now_ns()) < 0) {
			perror("dockping: writing the start time");
			return 2;
		}
		pid = fork();
		if (pid < 0) {
			perror("dockping: fork");
			return 2;
		}
		if (pid == 0) {
			/* Out of the way of the init's logs: nothing of ours on its pipes. */
			int null = open("/dev/null", O_RDWR);

			if (null >= 0) {
				dup2(null, 0);
				dup2(null, 1);
				dup2(null, 2);
				if (null > 2)
					close(null);
			}
			_exit(stamp(serving, argv[3], 2));
		}
		execvp(argv[5], argv + 5);
		perror("dockping: exec");
		return 127;
	}
	return usage();
}

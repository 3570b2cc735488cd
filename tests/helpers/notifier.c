/* notifier: a fake sd_notify service for the readiness tests.
 *   notifier [--delay MS] [--grandchild] [--bad-first] [--status TEXT] [--watchdog MS]
 *            [--watchdog-stop-after N] [--events FILE]
 * After MS milliseconds (default 0) it sends "READY=1" (with "STATUS=TEXT" in the same datagram
 * when --status is given) to $NOTIFY_SOCKET (a path, or "@name" for an abstract socket), then
 * runs until SIGTERM or SIGINT and exits 0.
 *   --grandchild   READY=1 comes from a double-forked grandchild, which the receiver must ignore.
 *   --bad-first    first sends datagrams that must be dropped even though they come from the
 *                  main PID and start with READY=1: 8 KiB long, with an embedded NUL, empty.
 *   --watchdog MS  sends WATCHDOG=1 every MS ms after READY=1; --watchdog-stop-after N stops
 *                  after N of them.
 *   --events FILE  appends "start", "bad-sent", "ready-sent", "watchdog-stopped", "hup" and
 *                  "term" lines. "bad-sent" and "ready-sent" are written before the datagrams
 *                  are sent, so anything they cause comes after them in the file.
 * A missing NOTIFY_SOCKET or a failed send of READY=1 is an error: exit 1. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *events_path;
static sigset_t handled;

static void event(const char *what)
{
	int fd;

	if (!events_path)
		return;
	fd = open(events_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	(void)!write(fd, what, strlen(what));
	(void)!write(fd, "\n", 1);
	(void)close(fd);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send one datagram to $NOTIFY_SOCKET; 0 or -errno. */
static int notify_send(const void *msg, size_t len)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t salen;
	size_t plen;
	int fd, r = 0;

	if (!path || !*path)
		return -ENOENT;
	plen = strlen(path);
	if (plen >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, plen);
	if (path[0] == '@') {
		/* abstract namespace: a leading NUL and no terminating one */
		sa.sun_path[0] = '\0';
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
	} else {
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + 1);
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen) < 0)
		r = -errno;
	(void)close(fd);
	return r;
}

/* Wait until the deadline (-1: forever), handling signals: TERM or INT end the program. */
static void wait_until(int64_t deadline)
{
	for (;;) {
		struct timespec ts, *tsp = NULL;
		int sig;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return;
			ts.tv_sec = left / 1000;
			ts.tv_nsec = (left % 1000) * 1000000;
			tsp = &ts;
		}
		sig = sigtimedwait(&handled, NULL, tsp);
		if (sig == SIGTERM || sig == SIGINT) {
			event("term");
			exit(0);
		}
		if (sig == SIGHUP)
			event("hup");
	}
}

static void send_bad(void)
{
	static char big[8192];
	static const char nul[] = "READY=1\n\0STATUS=after-nul";

	memset(big, 'x', sizeof(big));
	memcpy(big, "READY=1\nSTATUS=", 15);
	event("bad-sent");
	(void)notify_send(big, sizeof(big));
	(void)notify_send(nul, sizeof(nul) - 1);
	(void)notify_send("", 0);
}

static int send_ready(const char *status)
{
	char msg[1024];
	int r;

	if (status)
		snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	else
		snprintf(msg, sizeof(msg), "READY=1");
	event("ready-sent");
	r = notify_send(msg, strlen(msg));
	if (r < 0)
		fprintf(stderr, "notifier: sending READY=1 to %s: %s\n",
			getenv("NOTIFY_SOCKET") ? getenv("NOTIFY_SOCKET") : "(NOTIFY_SOCKET unset)",
			strerror(-r));
	return r;
}

/* The READY=1 of a grandchild: the main process forks a child that forks the sender and exits,
 * so the sender is neither the main PID nor its direct child. */
static void grandchild_ready(int delay_ms, const char *status)
{
	pid_t child = fork();

	if (child < 0) {
		perror("notifier: fork");
		exit(1);
	}
	if (child == 0) {
		pid_t gc = fork();

		if (gc == 0) {
			struct timespec ts = { delay_ms / 1000, (long)(delay_ms % 1000) * 1000000 };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
			_exit(send_ready(status) < 0 ? 1 : 0);
		}
		_exit(gc < 0 ? 1 : 0);
	}
	(void)waitpid(child, NULL, 0);
}

static int parse_num(const char *s, const char *opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 86400000) {
		fprintf(stderr, "notifier: bad number '%s' for %s\n", s, opt);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "grandchild", no_argument, NULL, 'g' },
		{ "bad-first", no_argument, NULL, 'b' },
		{ "status", required_argument, NULL, 's' },
		{ "watchdog", required_argument, NULL, 'w' },
		{ "watchdog-stop-after", required_argument, NULL, 'n' },
		{ "events", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int delay_ms = 0, watchdog_ms = 0, stop_after = -1, c;
	int grandchild = 0, bad_first = 0;
	const char *status = NULL;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			delay_ms = parse_num(optarg, "--delay");
			break;
		case 'g':
			grandchild = 1;
			break;
		case 'b':
			bad_first = 1;
			break;
		case 's':
			status = optarg;
			break;
		case 'w':
			watchdog_ms = parse_num(optarg, "--watchdog");
			break;
		case 'n':
			stop_after = parse_num(optarg, "--watchdog-stop-after");
			break;
		case 'e':
			events_path = optarg;
			break;
		default:
			fprintf(stderr, "usage: notifier [--delay MS] [--grandchild] [--bad-first] "
					"[--status TEXT] [--watchdog MS] [--watchdog-stop-after N] "
					"[--events FILE]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "notifier: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!getenv("NOTIFY_SOCKET")) {
		fprintf(stderr, "notifier: NOTIFY_SOCKET is not set\n");
		return 1;
	}

	sigemptyset(&handled);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGHUP);
	sigprocmask(SIG_BLOCK, &handled, NULL);
	event("start");

	if (bad_first)
		send_bad();
	if (grandchild) {
		grandchild_ready(delay_ms, status);
		wait_until(-1);
	}
	wait_until(now_ms() + delay_ms);
	if (send_ready(status) < 0)
		return 1;

	if (watchdog_ms > 0) {
		for (int n = 0; stop_after < 0 || n < stop_after; n++) {
			wait_until(now_ms() + watchdog_ms);
			(void)notify_send("WATCHDOG=1", 10);
		}
		event("watchdog-stopped");
	}
	wait_until(-1);
	return 0;
}

/* http_server: a minimal HTTP server for the readiness and health probe tests.
 *   http_server (--unix PATH | --tcp PORT) [--delay MS] [--fail-file FILE] [--events FILE]
 * Waits MS milliseconds (default 0), then listens on the unix socket PATH (a stale socket file
 * there is removed first) or on 127.0.0.1:PORT and answers every request, one connection at a
 * time, with "HTTP/1.1 200 OK" and the body "OK"; while FILE exists, with a 500 instead.
 * SIGTERM or SIGINT: removes the unix socket file and exits 0.
 *   --events FILE  appends "start", "listening" and "term" lines. "listening" is written after
 *                  bind and before listen, so a client that connected comes after it in the file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define REQUEST_MAX	  8192
#define CLIENT_TIMEOUT_MS 2000

static const char *events_path;
static const char *unix_path;

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

static void die(const char *what)
{
	fprintf(stderr, "http_server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void terminate(void)
{
	event("term");
	if (unix_path)
		(void)unlink(unix_path);
	exit(0);
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "http_server: socket path too long: %s\n", path);
		exit(2);
	}
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die(path);
	unix_path = path;
	return fd;
}

static int listen_tcp(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd, one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind 127.0.0.1");
	return fd;
}

/* Read the request head (up to the blank line, bounded in size and time), then answer. */
static void serve(int fd, const char *fail_file)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				 "Content-Length: 2\r\nConnection: close\r\n\r\nOK";
	static const char bad[] =
		"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
		"Content-Length: 4\r\nConnection: close\r\n\r\nFAIL";
	char buf[REQUEST_MAX + 1];
	size_t len = 0;
	const char *resp;

	while (len < REQUEST_MAX) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, CLIENT_TIMEOUT_MS) <= 0)
			return;
		n = read(fd, buf + len, REQUEST_MAX - len);
		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
	}
	resp = fail_file && access(fail_file, F_OK) == 0 ? bad : ok;
	(void)!send(fd, resp, strlen(resp), MSG_NOSIGNAL);
}

static int parse_num(const char *s, const char *opt, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max) {
		fprintf(stderr, "http_server: bad number '%s' for %s\n", s, opt);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unix", required_argument, NULL, 'u' },
		{ "tcp", required_argument, NULL, 't' },
		{ "delay", required_argument, NULL, 'd' },
		{ "fail-file", required_argument, NULL, 'f' },
		{ "events", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL, *fail_file = NULL;
	int port = -1, delay_ms = 0, sfd, lfd, c;
	sigset_t mask;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			path = optarg;
			break;
		case 't':
			port = parse_num(optarg, "--tcp", 65535);
			break;
		case 'd':
			delay_ms = parse_num(optarg, "--delay", 86400000);
			break;
		case 'f':
			fail_file = optarg;
			break;
		case 'e':
			events_path = optarg;
			break;
		default:
			port = -2;
			break;
		}
	}
	if (port == -2 || optind != argc || (path != NULL) == (port >= 0)) {
		fprintf(stderr, "usage: http_server (--unix PATH | --tcp PORT) [--delay MS] "
				"[--fail-file FILE] [--events FILE]\n");
		return 2;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0)
		die("signalfd");
	event("start");

	if (delay_ms > 0) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };

		if (poll(&p, 1, delay_ms) > 0)
			terminate();
	}
	lfd = path ? listen_unix(path) : listen_tcp(port);
	event("listening");
	if (listen(lfd, 16) < 0)
		die("listen");

	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
				       { .fd = lfd, .events = POLLIN } };
		int cfd;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (p[0].revents)
			terminate();
		if (!p[1].revents)
			continue;
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0)
			continue;
		serve(cfd, fail_file);
		(void)close(cfd);
	}
}

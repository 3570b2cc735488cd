#include "init/ctl.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/config.h"
#include "config/parse.h"
#include "init/loop.h"
#include "supervisor/control_proto.h"

/* Exit codes: 0 success; 1 the request failed, the answer is "no" (unhealthy, timed out,
 * failed), or dind-init cannot be reached; 2 usage error. `health` only ever exits 0 or 1,
 * as Docker's HEALTHCHECK expects. */
#define CTL_EXIT_FAIL  1
#define CTL_EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dind-ctl [-s SOCKET] COMMAND [ARGS]\n"
		"\n"
		"  status [--json]                  state of every service and of the main command\n"
		"  health                           exit 0 if every service is ready and healthy\n"
		"  wait [--timeout DUR] [SERVICE...] wait until they (default: all) are ready\n"
		"                                   (default timeout 60s; 0 waits forever)\n"
		"  start|stop|restart SERVICE\n"
		"  kill SERVICE SIGNAL\n"
		"\n"
		"The socket is -s SOCKET, else $DIND_INIT_SOCKET, else %s.\n"
		"Exit status: 0 success, 1 failure (or dind-init unreachable), 2 usage error.\n",
		DEFAULT_CONTROL_SOCKET);
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Send the request, print the data lines, and turn the last line into an exit code.
 * timeout_ms < 0: no limit. */
static int exchange(const char *path, const char *request, int64_t timeout_ms, bool quiet_ok,
		    const char *what)
{
	char buf[8192];
	size_t len = 0;
	int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;
	char *line, *last = NULL;
	int fd = connect_to(path);
	size_t rlen = strlen(request);

	if (fd < 0) {
		int err = errno;

		fprintf(stderr, "dind-ctl: cannot connect to dind-init at %s: %s%s\n", path,
			strerror(err),
			err == ENOENT || err == ECONNREFUSED
				? " (is dind-init running? the socket is -s PATH or $DIND_INIT_SOCKET)"
				: "");
		return CTL_EXIT_FAIL;
	}
	if (send(fd, request, rlen, MSG_NOSIGNAL) != (ssize_t)rlen) {
		fprintf(stderr, "dind-ctl: sending to %s: %s\n", path, strerror(errno));
		close(fd);
		return CTL_EXIT_FAIL;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				fprintf(stderr,
					"dind-ctl: timed out after %lld ms waiting for %s\n",
					(long long)timeout_ms, what);
				close(fd);
				return CTL_EXIT_FAIL;
			}
			wait_ms = left > 1000000 ? 1000000 : (int)left;
		}
		n = poll(&pfd, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			continue; /* the deadline check above ends it */
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		/* Print complete data lines as they come; keep the last (maybe partial) one. */
		char *start = buf, *nl;

		while ((nl = strchr(start, '\n'))) {
			*nl = '\0';
			if (strncmp(start, "ok", 2) != 0 && strncmp(start, "error", 5) != 0)
				printf("%s\n", start);
			else {
				last = start;
				break;
			}
			start = nl + 1;
		}
		if (last)
			break;
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
		if (len == sizeof(buf) - 1) {
			printf("%.*s\n", (int)len,
			       buf); /* an absurdly long data line: pass it on */
			len = 0;
		}
	}
	close(fd);
	fflush(stdout);
	line = last;
	if (!line) {
		fprintf(stderr, "dind-ctl: dind-init closed the connection without an answer\n");
		return CTL_EXIT_FAIL;
	}
	if (strncmp(line, "ok", 2) == 0) {
		if (line[2] == ' ' && !quiet_ok)
			printf("%s\n", line + 3);
		return 0;
	}
	fprintf(stderr, "%s\n", line[5] == ' ' ? line + 6 : line);
	return CTL_EXIT_FAIL;
}

int ctl_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	bool json = false;
	int64_t timeout_ms = CTL_DEFAULT_WAIT_MS;
	char request[CONTROL_LINE_MAX];
	char what[256] = "the services";
	size_t pos;
	const char *verb;
	int opt;

	/* Options may come before or after the command word (dind-ctl status --json). */
	while ((opt = getopt_long(argc, argv, "s:ht:", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 't':
			if (parse_duration(optarg, &timeout_ms) < 0) {
				fprintf(stderr,
					"dind-ctl: bad --timeout '%s': use a number with ms, s or m\n",
					optarg);
				return CTL_EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "dind-ctl: see 'dind-ctl --help'\n");
			return CTL_EXIT_USAGE;
		}
	}
	if (!path)
		path = getenv("DIND_INIT_SOCKET");
	if (!path || !*path)
		path = DEFAULT_CONTROL_SOCKET;
	if (optind >= argc) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	verb = argv[optind];
	pos = (size_t)snprintf(request, sizeof(request), "%s%s", verb,
			       json && strcmp(verb, "status") == 0 ? " json" : "");
	for (int i = optind + 1; i < argc; i++) {
		int n = snprintf(request + pos, sizeof(request) - pos, " %s", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(request) - pos - 1) {
			fprintf(stderr, "dind-ctl: request too long (limit %d bytes)\n",
				CONTROL_LINE_MAX);
			return CTL_EXIT_USAGE;
		}
		pos += (size_t)n;
	}
	/* Check the request here too: a usage error should say so without needing dind-init. */
	{
		char copy[CONTROL_LINE_MAX];
		struct ctl_request req;
		const char *err;

		snprintf(copy, sizeof(copy), "%s", request);
		if (ctl_parse_request(copy, &req, &err) < 0 ||
		    (json && req.verb != CTL_STATUS_JSON)) {
			fprintf(stderr, "dind-ctl: %s\n", err ? err : "--json goes with status");
			return CTL_EXIT_USAGE;
		}
		if (req.verb == CTL_WAIT && req.nnames > 0) {
			size_t w = 0;

			for (int i = 0; i < req.nnames && w < sizeof(what); i++)
				w += (size_t)snprintf(what + w, sizeof(what) - w, "%s%s",
						      i ? ", " : "", req.names[i]);
		}
		if (req.verb != CTL_WAIT)
			timeout_ms = 30000; /* every other answer is immediate */
		else if (timeout_ms == 0)
			timeout_ms = -1;
	}
	request[pos++] = '\n';
	request[pos] = '\0';
	return exchange(path, request, timeout_ms, false, what);
}

#include "init/ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "config/parse.h"
#include "core/loop.h"
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
		"  status [--json] [SERVICE...]     state of the services (default: all) and of the\n"
		"                                   main command\n"
		"  health                           exit 0 if every service is ready and healthy\n"
		"  wait [--timeout DUR] [SERVICE...] wait until they (default: all) are ready\n"
		"                                   (default timeout 60s; 0 waits forever)\n"
		"  start|stop|restart SERVICE\n"
		"  kill SERVICE SIGNAL\n"
		"\n"
		"Options go before or after COMMAND; -- ends them (for a service named -x).\n"
		"The socket is -s SOCKET, else $DIND_INIT_SOCKET, else %s.\n"
		"Exit status: 0 success, 1 failure (or dind-init unreachable), 2 usage error.\n",
		DEFAULT_CONTROL_SOCKET);
}

#define CTL_CONNECT_RETRY_MS 50 /* `wait` before dind-init's socket exists; a full queue */

/* A connected socket, or -1 with errno. The connect does not block: on a unix socket whose
 * queue of clients not yet accepted is full (dind-init stopped, or flooded), a blocking
 * connect() waits for room with no limit; EAGAIN lets the caller keep its deadline. The socket
 * blocks again once connected. */
static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, flags;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    (flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* Worth another connect before the deadline: a full queue (EAGAIN) for any request; for
 * `wait`, also a socket that does not exist yet or nobody listens on. */
static bool connect_again(int err, const struct ctl_args *a)
{
	return err == EAGAIN || (a->verb == CTL_WAIT && (err == ENOENT || err == ECONNREFUSED));
}

/* now + timeout_ms, saturating: --timeout takes anything an int64 holds. -1: no limit. */
static int64_t deadline_after(int64_t timeout_ms)
{
	int64_t now = now_ms();

	if (timeout_ms < 0)
		return -1;
	return timeout_ms > INT64_MAX - now ? INT64_MAX : now + timeout_ms;
}

static void timed_out(const struct ctl_args *a)
{
	char dbuf[32];
	/* The request without its verb and '\n': the names waited for. */
	const char *names = a->request + strlen("wait");
	int nlen = (int)(a->len - strlen("wait") - 1);

	format_duration(a->timeout_ms, dbuf, sizeof(dbuf));
	if (a->verb != CTL_WAIT)
		fprintf(stderr, "dind-ctl: no answer from dind-init within %s\n", dbuf);
	else if (nlen > 0)
		fprintf(stderr,
			"dind-ctl: timed out after %s waiting for%.*s to be ready (a longer "
			"--timeout, or 0 for none?)\n",
			dbuf, nlen, names);
	else
		fprintf(stderr,
			"dind-ctl: timed out after %s waiting for every service to be ready "
			"(dind-ctl status shows which is not)\n",
			dbuf);
}

/* The whole answer (len bytes, the server closed after it) to output and an exit code. Only
 * the last line is the verdict, "ok", "ok MESSAGE" or "error MESSAGE": every line before it
 * is data, even one that starts with "ok" (a service named okapi in a status table). */
static int finish(char *buf, size_t len, const char *path)
{
	char *verdict, *nl;
	int rc;

	if (len == 0) {
		fprintf(stderr,
			"dind-ctl: dind-init at %s closed the connection without an answer\n",
			path);
		return CTL_EXIT_FAIL;
	}
	if (buf[len - 1] != '\n') {
		fprintf(stderr, "dind-ctl: the answer from %s was cut short (no final line)\n",
			path);
		return CTL_EXIT_FAIL;
	}
	buf[--len] = '\0';
	nl = memrchr(buf, '\n', len);
	verdict = nl ? nl + 1 : buf;
	(void)fwrite(buf, 1, (size_t)(verdict - buf), stdout);
	if (strcmp(verdict, "ok") == 0) {
		rc = 0;
	} else if (strncmp(verdict, "ok ", 3) == 0) {
		printf("%s\n", verdict + 3);
		rc = 0;
	} else if (strncmp(verdict, "error ", 6) == 0) {
		(void)fflush(stdout); /* the data first, then why it failed */
		fprintf(stderr, "%s\n", verdict + 6);
		rc = CTL_EXIT_FAIL;
	} else {
		(void)fflush(stdout);
		fprintf(stderr,
			"dind-ctl: the answer from %s does not end with an ok or error line; is "
			"that dind-init's control socket?\n",
			path);
		rc = CTL_EXIT_FAIL;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "dind-ctl: writing the answer to stdout: %s\n", strerror(errno));
		rc = CTL_EXIT_FAIL;
	}
	return rc;
}

/* Send the request, read the answer to EOF within the timeout, print it. */
static int exchange(const char *path, const struct ctl_args *a)
{
	int64_t deadline = deadline_after(a->timeout_ms);
	size_t off = 0, len = 0;
	int send_err = 0;
	char *buf;
	int fd, rc;

	fd = connect_to(path);
	/* `wait` waits for dind-init too: a probe that runs before the socket exists (a container
	 * that just started) or while it is being replaced keeps trying until the deadline. Any
	 * request waits for room in a full queue, until its deadline too. */
	while (fd < 0 && connect_again(errno, a)) {
		int64_t left = deadline < 0 ? CTL_CONNECT_RETRY_MS : deadline - now_ms();
		struct timespec ts = { 0, 0 };

		if (left <= 0)
			break;
		ts.tv_nsec = (left < CTL_CONNECT_RETRY_MS ? left : CTL_CONNECT_RETRY_MS) * 1000000L;
		(void)nanosleep(&ts, NULL);
		fd = connect_to(path);
	}
	if (fd < 0 && errno == EAGAIN) {
		char dbuf[32];

		fprintf(stderr,
			"dind-ctl: dind-init at %s did not take the connection within %s: its queue "
			"of clients waiting to be accepted is full (is dind-init stopped, or flooded "
			"with connections?)\n",
			path, format_duration(a->timeout_ms, dbuf, sizeof(dbuf)));
		return CTL_EXIT_FAIL;
	}
	if (fd < 0) {
		int err = errno;

		fprintf(stderr, "dind-ctl: cannot connect to dind-init at %s: %s%s\n", path,
			strerror(err),
			err == ENOENT || err == ECONNREFUSED
				? " (is dind-init running? the socket is -s PATH or $DIND_INIT_SOCKET)"
				: "");
		return CTL_EXIT_FAIL;
	}
	/* Only dind-init answers: root's, or our own user's (a plain init run by that user). A
	 * process of someone else's that took the path in a shared folder gets no request. */
	{
		struct ucred cred;
		socklen_t clen = sizeof(cred);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0 && cred.uid != 0 &&
		    cred.uid != getuid()) {
			fprintf(stderr,
				"dind-ctl: %s is served by a process of uid %u, not by dind-init "
				"(root): not asking it\n",
				path, (unsigned)cred.uid);
			close(fd);
			return CTL_EXIT_FAIL;
		}
	}
	while (off < a->len) {
		ssize_t n = send(fd, a->request + off, a->len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			/* dind-init refused us before reading (permission denied, too many
			 * clients): its reason is waiting to be read. */
			send_err = errno;
			break;
		}
		if (n < 0) {
			fprintf(stderr, "dind-ctl: sending the request to %s: %s\n", path,
				strerror(errno));
			close(fd);
			return CTL_EXIT_FAIL;
		}
		off += (size_t)n;
	}
	buf = malloc(CONTROL_REPLY_MAX + 1);
	if (!buf) {
		fprintf(stderr, "dind-ctl: out of memory for the answer\n");
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
				timed_out(a);
				rc = CTL_EXIT_FAIL;
				goto out;
			}
			wait_ms = left > 1000000 ? 1000000 : (int)left;
		}
		n = poll(&pfd, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			continue; /* the deadline check above ends it */
		n = read(fd, buf + len, CONTROL_REPLY_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "dind-ctl: reading the answer from %s: %s\n", path,
				strerror(errno));
			rc = CTL_EXIT_FAIL;
			goto out;
		}
		if (n == 0)
			break; /* the server closes after the verdict */
		len += (size_t)n;
		if (len > CONTROL_REPLY_MAX) {
			fprintf(stderr, "dind-ctl: the answer from %s is longer than %d bytes\n",
				path, CONTROL_REPLY_MAX);
			rc = CTL_EXIT_FAIL;
			goto out;
		}
	}
	if (len == 0 && send_err) {
		fprintf(stderr, "dind-ctl: sending the request to %s: %s\n", path,
			strerror(send_err));
		rc = CTL_EXIT_FAIL;
		goto out;
	}
	rc = finish(buf, len, path);
out:
	close(fd);
	free(buf);
	return rc;
}

int ctl_main(int argc, char **argv)
{
	struct ctl_args a;
	const char *err, *path;
	sigset_t none;
	int r;

	/* Whatever mask it inherited (a caller's, or dind-init's own had it blocked everything
	 * first): Ctrl-C and timeout(1) must end a `wait`. Dispositions stay as inherited, as for
	 * any program: a shell's background job keeps the SIGINT it was told to ignore. */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	r = ctl_args_parse(argc, argv, &a, &err);
	if (r == -ENODATA) {
		usage(stderr);
		return CTL_EXIT_USAGE;
	}
	if (r < 0) {
		fprintf(stderr, "dind-ctl: %s (see dind-ctl --help)\n", err);
		return CTL_EXIT_USAGE;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	path = a.socket ? a.socket : getenv("DIND_INIT_SOCKET");
	if (!path || !*path)
		path = DEFAULT_CONTROL_SOCKET;
	return exchange(path, &a);
}

/* The control protocol between dind-ctl and dind-init (pure parsing and formatting helpers).
 *
 * One request per connection, on a unix stream socket: a single line of at most
 * CONTROL_LINE_MAX bytes ending in '\n', words separated by blanks:
 *   status [json|table] [NAME...] | health | wait [NAME...] |
 *   start NAME | stop NAME | restart NAME | kill NAME SIGNAL
 * (`status` alone is the table of every service; `json` or `table` right after `status` picks
 * the format, and NAMEs keep only those services. dind-ctl always sends the format word
 * before names, so a service called json or table is never mistaken for it.)
 *
 * The answer is zero or more data lines, then the verdict: "ok", "ok MESSAGE" or
 * "error MESSAGE", always the last line; then the server closes the connection. A client
 * reads to EOF and takes only the last line as the verdict: a data line may look like one
 * (a service named okapi or error-tracker in a status table). At most CONTROL_REPLY_MAX
 * bytes in all. `wait` answers only once the services are ready (or one of them FAILED):
 * the client sets its own timeout. */
#ifndef DIND_CONTROL_PROTO_H
#define DIND_CONTROL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTROL_LINE_MAX  1024	      /* request line, '\n' included */
#define CONTROL_NAMES_MAX 64	      /* service names in one request */
#define CONTROL_ERR_MAX	  160	      /* an error message that quotes part of the request */
#define CONTROL_REPLY_MAX (64 * 1024) /* one whole answer; status of 64 services fits easily */

#define CTL_DEFAULT_WAIT_MS  60000 /* dind-ctl wait without --timeout */
#define CTL_REPLY_TIMEOUT_MS 30000 /* every other answer is immediate */

enum ctl_verb {
	CTL_STATUS,
	CTL_STATUS_JSON,
	CTL_HEALTH,
	CTL_WAIT,
	CTL_START,
	CTL_STOP,
	CTL_RESTART,
	CTL_KILL,
};

struct ctl_request {
	enum ctl_verb verb;
	char *names[CONTROL_NAMES_MAX]; /* point into the parsed line */
	int nnames;
	int signal;		      /* CTL_KILL */
	char errbuf[CONTROL_ERR_MAX]; /* where *err points when it quotes the request */
};

/* Parse one request line (without its '\n'); line is modified in place and names point into
 * it. Returns 0 or -EINVAL with *err set to a message (unknown verb, missing or extra
 * argument, bad signal, too many names, control characters): static, or in req->errbuf when
 * it quotes the request, so valid as long as req. */
int ctl_parse_request(char *line, struct ctl_request *req, const char **err);

/* dind-ctl's command line, as ctl_args_parse leaves it. */
struct ctl_args {
	bool help;	    /* -h/--help: print the usage, nothing else is set */
	const char *socket; /* -s PATH; NULL when not given (points into argv) */
	enum ctl_verb verb;
	int64_t timeout_ms;		    /* for the answer: --timeout for wait; -1: no limit */
	char request[CONTROL_LINE_MAX + 1]; /* the request line, '\n' included */
	size_t len;			    /* of request: at most CONTROL_LINE_MAX */
	char errbuf[CONTROL_ERR_MAX];	    /* where *err points when it quotes the command line */
};

/* Turn dind-ctl's argv (argv[0] is the program) into the request line:
 *   [-s PATH] [--json] [--timeout DUR] [-h] COMMAND [ARG...]
 * Options may come before or after COMMAND; "--" ends them (for a service named -x).
 * `status [--json] [NAME...]` is sent as "status", "status json" or "status table|json
 * NAME...". The request is checked with ctl_parse_request, so a usage error never needs
 * dind-init. Returns 0; -ENODATA when there is no COMMAND (show the usage); or -EINVAL, with
 * *err set to a message in both cases (static, or in a->errbuf). */
int ctl_args_parse(int argc, char *const argv[], struct ctl_args *a, const char **err);

/* JSON string body escaping (no surrounding quotes). Writes at most outlen bytes including
 * the NUL; returns the length written, truncating on a character boundary. */
size_t json_escape(const char *in, char *out, size_t outlen);

#endif

/* The control protocol between dind-ctl and dind-init (pure parsing and formatting helpers).
 *
 * One request per connection, on a unix stream socket: a single line of at most
 * CONTROL_LINE_MAX bytes ending in '\n', words separated by blanks:
 *   status | status json | health | wait [NAME...] |
 *   start NAME | stop NAME | restart NAME | kill NAME SIGNAL
 * The answer is zero or more data lines, then one last line: "ok" or "ok MESSAGE" on success,
 * "error MESSAGE" on failure; then the server closes the connection. `wait` answers only
 * once the services are ready (or one of them FAILED): the client sets its own timeout. */
#ifndef DIND_CONTROL_PROTO_H
#define DIND_CONTROL_PROTO_H

#include <stddef.h>

#define CONTROL_LINE_MAX  1024 /* request line, '\n' included */
#define CONTROL_NAMES_MAX 64   /* service names in one request */
#define CONTROL_ERR_MAX	  160  /* an error message that quotes part of the request */

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

/* JSON string body escaping (no surrounding quotes). Writes at most outlen bytes including
 * the NUL; returns the length written, truncating on a character boundary. */
size_t json_escape(const char *in, char *out, size_t outlen);

#endif

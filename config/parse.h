/* Pure value parsers: durations, signals, booleans, command lines, probe specs. Used by the config
 * loader, the control protocol (supervisor/control_proto.c), dind-ctl and the supervisor.
 * No syscalls, no logging: each returns 0 or a negative errno-style code. */
#ifndef DIND_PARSE_H
#define DIND_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#define ARGV_MAX_WORDS 256	   /* words in one command line */
#define ARGV_BYTES_MAX (64 * 1024) /* a command line, all words together */
/* The kernel's limit for a unix socket path, without the terminating NUL: 107 on Linux. */
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* "100ms", "30s", "5m", "2h", bare "10" = seconds; whitespace around is allowed.
 * -EINVAL on bad syntax or negative numbers, -ERANGE on overflow. */
int parse_duration(const char *s, int64_t *ms);

/* Format ms back for messages: "100ms", "30s", "5m"... into buf (always NUL-terminated). */
const char *format_duration(int64_t ms, char *buf, unsigned len);

/* An age for `dind-ctl status`, short enough for its column: the two largest units, cut down
 * (not rounded): "850ms", "42s", "3m39s", "1h02m", "2d03h"; a negative age is "0ms". Into buf
 * (always NUL-terminated). */
const char *format_age(int64_t ms, char *buf, unsigned len);

/* Split like shell words: blanks separate words, '...' is literal, "..." honours \" \\ \$ \`
 * escapes, a backslash outside quotes escapes the next character; no expansion of any kind.
 * On success *argv_out is a malloc'd NULL-terminated array of malloc'd strings (free with
 * argv_free) and *argc_out its length (0 for an empty/blank string).
 * On error returns -EINVAL (syntax) or -E2BIG (more than ARGV_MAX_WORDS) and sets *err to a
 * static message such as "unterminated double quote". */
int argv_split(const char *s, char ***argv_out, int *argc_out, const char **err);
void argv_free(char **argv);

#define ENV_NAME_MAX 128 /* characters of a variable name in ${NAME} */

/* Looks a variable up for ${NAME}: its value, or NULL when it is not set. */
typedef const char *argv_lookup_fn(const char *name, void *ctx);

/* argv_split, plus ${NAME} and ${NAME:-DEFAULT} (DEFAULT when NAME is unset or empty; DEFAULT
 * is literal text up to the first '}', and holds no '$' or '\') outside single quotes, when
 * lookup is not NULL. A value is never split into words nor unquoted: it becomes part of the
 * word it stands in, as "${NAME}" would in sh; an unquoted word that expands to nothing is
 * dropped, as in sh. With lookup NULL, '$' is an ordinary character (argv_split). Errors as
 * argv_split's, plus "unterminated ${", "bad ${...}" and "nested ${...} and escapes are not
 * supported in a default" (-EINVAL), and -E2BIG when an expanded word passes ARGV_BYTES_MAX. */
int argv_split_env(const char *s, argv_lookup_fn *lookup, void *ctx, char ***argv_out,
		   int *argc_out, const char **err);
/* Join argv for display, quoting words that need it; writes at most len bytes (NUL-terminated). */
const char *argv_format(char *const *argv, char *buf, unsigned len);

/* "TERM", "SIGTERM", "term", "15" -> 15. -EINVAL if unknown, 0, or not in 1..64. */
int parse_signal(const char *s);
/* 15 -> "TERM", 40 -> "RTMIN+6"; never NULL for 1..64, NULL outside. */
const char *signal_name(int sig);

/* yes/no, true/false, on/off, 1/0 (case-insensitive). */
int parse_bool(const char *s, bool *out);

/* Non-negative decimal integer that fits in int; -EINVAL / -ERANGE. */
int parse_uint(const char *s, int *out);

/* Copy the next blank-separated field of *s into out (at most len-1 bytes, always
 * NUL-terminated) and advance *s past it. Returns false when there is no field. A small
 * stand-in for sscanf, which would pull tens of KiB of libc into the static binary. */
bool next_field(const char **s, char *out, size_t len);

/* How readiness or health is checked (`ready =` / `health =`). */
enum probe_kind {
	PROBE_NONE,   /* no probe: ready once started (a oneshot: once exited 0) */
	PROBE_NOTIFY, /* sd_notify READY=1 from the main PID (ready only) */
	PROBE_SOCKET, /* connect() to a unix stream socket succeeds */
	PROBE_HTTP,   /* GET over a unix socket or TCP answers 2xx */
	PROBE_TCP,    /* TCP connect succeeds */
	PROBE_EXEC,   /* command exits 0 */
	PROBE_FILE,   /* path exists */
};

struct probe_spec {
	enum probe_kind kind;
	char *path;		      /* SOCKET, FILE, HTTP over unix: owned */
	struct sockaddr_storage addr; /* TCP, HTTP over TCP: numeric address (no DNS in PID 1) */
	socklen_t addrlen;	      /* 0 unless addr is used */
	char *http_path;	      /* HTTP: request path, starts with '/'; owned */
	char **argv;		      /* EXEC: NULL-terminated, owned */
	int argc;
};

/* Probe specs, as in `ready =` and `health =`:
 *   notify | socket PATH | http UNIX-PATH URL-PATH | http HOST:PORT URL-PATH | tcp HOST:PORT |
 *   exec COMMAND [ARG...] | file PATH
 * PATH and UNIX-PATH are absolute (a unix socket path at most 107 bytes); HOST is a numeric
 * IPv4 address, a bracketed IPv6 address ([::1]) or "localhost" (127.0.0.1); URL-PATH starts
 * with '/'; COMMAND is split like `command`. On success fills *out (owned: release with
 * probe_spec_release) and returns 0; else returns -EINVAL and sets *err to a static message
 * naming the expected form. */
int probe_spec_parse(const char *s, struct probe_spec *out, const char **err);
void probe_spec_release(struct probe_spec *p);
/* Back to text, for messages and status: "http /var/run/docker.sock /_ping". */
const char *probe_spec_format(const struct probe_spec *p, char *buf, unsigned len);

#endif

/* Pure value parsers: durations, shell-like words, signals, booleans, integers, probe specs. */
#include "config/parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

/* Only the C-locale blanks: isspace() would depend on the locale. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

int parse_duration(const char *s, int64_t *ms)
{
	static const struct {
		const char *suffix;
		int64_t factor;
	} units[] = {
		{ "ms", 1 },  { "s", 1000 }, { "m", 60 * 1000 }, { "h", 60 * 60 * 1000 },
		{ "", 1000 },
	};
	int64_t value = 0;
	bool overflow = false;
	const char *p;
	size_t i, n;

	if (!s)
		return -EINVAL;
	p = skip_blanks(s);
	if (!is_digit(*p))
		return -EINVAL; /* empty, a sign, or garbage */
	for (; is_digit(*p); p++) {
		int d = *p - '0';

		if (value > (INT64_MAX - d) / 10)
			overflow = true;
		else
			value = value * 10 + d;
	}
	p = skip_blanks(p);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		n = strlen(units[i].suffix);
		if (strncmp(p, units[i].suffix, n) == 0 && *skip_blanks(p + n) == '\0')
			break;
	}
	/* The syntax is checked first so "99999999999999999999x" says "bad syntax", not "too big".
	 */
	if (i == sizeof(units) / sizeof(units[0]))
		return -EINVAL;
	if (overflow || value > INT64_MAX / units[i].factor)
		return -ERANGE;
	*ms = value * units[i].factor;
	return 0;
}

const char *format_duration(int64_t ms, char *buf, unsigned len)
{
	static const struct {
		const char *suffix;
		uint64_t factor;
	} units[] = {
		{ "h", 60 * 60 * 1000 },
		{ "m", 60 * 1000 },
		{ "s", 1000 },
	};
	/* Magnitude as unsigned so INT64_MIN does not overflow. */
	uint64_t mag = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	const char *suffix = "ms";
	size_t i;

	if (!buf || len == 0)
		return buf;
	if (mag == 0) {
		suffix = "s";
	} else {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (mag % units[i].factor == 0) {
				mag /= units[i].factor;
				suffix = units[i].suffix;
				break;
			}
		}
	}
	(void)snprintf(buf, len, "%s%llu%s", ms < 0 ? "-" : "", (unsigned long long)mag, suffix);
	return buf;
}

const char *format_age(int64_t ms, char *buf, unsigned len)
{
	static const struct {
		int64_t big_ms, small_ms;
		const char *big, *small;
	} units[] = {
		{ 24 * 60 * 60 * 1000LL, 60 * 60 * 1000, "d", "h" },
		{ 60 * 60 * 1000, 60 * 1000, "h", "m" },
		{ 60 * 1000, 1000, "m", "s" },
	};
	size_t i;

	if (!buf || len == 0)
		return buf;
	if (ms < 0)
		ms = 0; /* a clock that went back: not worth a minus sign in a table */
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ms >= units[i].big_ms) {
			(void)snprintf(buf, len, "%lld%s%02lld%s",
				       (long long)(ms / units[i].big_ms), units[i].big,
				       (long long)(ms % units[i].big_ms / units[i].small_ms),
				       units[i].small);
			return buf;
		}
	}
	if (ms >= 1000)
		(void)snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else
		(void)snprintf(buf, len, "%lldms", (long long)ms);
	return buf;
}

/* Words under construction: the array grows by doubling, bounded by ARGV_MAX_WORDS. */
struct words {
	char **v;
	int n;
	int cap;
};

static int words_add(struct words *w, const char *word, size_t len)
{
	char *copy;

	if (w->n >= ARGV_MAX_WORDS)
		return -E2BIG;
	if (w->n + 1 >= w->cap) {
		int cap = w->cap ? w->cap * 2 : 8;
		char **v;

		if (cap > ARGV_MAX_WORDS + 1)
			cap = ARGV_MAX_WORDS + 1;
		v = realloc(w->v, (size_t)cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		w->v = v;
		w->cap = cap;
	}
	copy = strndup(word, len);
	if (!copy)
		return -ENOMEM;
	w->v[w->n++] = copy;
	w->v[w->n] = NULL;
	return 0;
}

/* A word being built: grows as needed (an expanded variable can make it longer than the input). */
struct word {
	char *buf;
	size_t len, cap;
	bool quoted;   /* it held quotes: an empty result is still a word ("") */
	bool expanded; /* it held a ${...}: an empty unquoted result is no word, as in sh */
};

static int word_put(struct word *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 64;
		char *b;

		while (w->len + n + 1 > cap)
			cap *= 2;
		if (cap > ARGV_BYTES_MAX + 1)
			return -E2BIG;
		b = realloc(w->buf, cap);
		if (!b)
			return -ENOMEM;
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	return 0;
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

/* At "${": parse "${NAME}" or "${NAME:-DEFAULT}" (DEFAULT is literal text up to the first '}',
 * without '$' or '\'), put the value into w and return the length consumed, or -EINVAL with *msg
 * set. */
static long expand_var(const char *s, struct word *w, argv_lookup_fn *lookup, void *ctx,
		       const char **msg)
{
	const char *p = s + 2, *name = p, *dflt = NULL, *end;
	char nbuf[ENV_NAME_MAX + 1];
	const char *value;
	size_t nlen;
	int r;

	if (!is_name_start(*p)) {
		*msg = "bad ${...}: expected ${NAME} or ${NAME:-DEFAULT}, NAME made of letters, "
		       "digits and '_'";
		return -EINVAL;
	}
	while (is_name_char(*p))
		p++;
	nlen = (size_t)(p - name);
	if (p[0] == ':' && p[1] == '-') {
		dflt = p + 2;
		p = dflt;
	}
	end = strchr(p, '}');
	if (!end) {
		*msg = "unterminated ${";
		return -EINVAL;
	}
	if (!dflt && p != end) {
		*msg = "bad ${...}: expected ${NAME} or ${NAME:-DEFAULT}, NAME made of letters, "
		       "digits and '_'";
		return -EINVAL;
	}
	/* The default ends at the first '}': "${A:-${B}}" would give the literal "${B}" and
	 * "${A:-\}}" a "\}", never what was meant. Refused rather than half-supported. */
	if (dflt &&
	    (memchr(dflt, '$', (size_t)(end - dflt)) || memchr(dflt, '\\', (size_t)(end - dflt)))) {
		*msg = "nested ${...} and escapes are not supported in a default: ${NAME:-DEFAULT} "
		       "takes DEFAULT as plain text up to the first '}', without '$' or '\\'";
		return -EINVAL;
	}
	if (nlen > ENV_NAME_MAX) {
		*msg = "variable name too long in ${...}";
		return -EINVAL;
	}
	memcpy(nbuf, name, nlen);
	nbuf[nlen] = '\0';
	value = lookup(nbuf, ctx);
	if ((!value || !*value) && dflt)
		r = word_put(w, dflt, (size_t)(end - dflt));
	else
		r = value ? word_put(w, value, strlen(value)) : 0;
	if (r < 0) {
		*msg = r == -E2BIG ? "command too long after ${...} expansion" : "out of memory";
		return r;
	}
	w->expanded = true;
	return end + 1 - s;
}

int argv_split_env(const char *s, argv_lookup_fn *lookup, void *ctx, char ***argv_out,
		   int *argc_out, const char **err)
{
	struct words w = { NULL, 0, 0 };
	struct word word = { NULL, 0, 0, false, false };
	const char *msg = NULL;
	bool in_word = false;
	int r = 0;

	*argv_out = NULL;
	*argc_out = 0;
	if (!s)
		s = "";
	for (;;) {
		char c = *s;

		if (c == '\0' || is_blank(c)) {
			if (in_word && (word.len > 0 || word.quoted || !word.expanded)) {
				r = words_add(&w, word.buf ? word.buf : "", word.len);
				if (r < 0) {
					msg = r == -E2BIG ? "too many words (limit 256)"
							  : "out of memory";
					goto out;
				}
			}
			in_word = false;
			word.len = 0;
			word.quoted = word.expanded = false;
			if (c == '\0')
				break;
			s++;
			continue;
		}
		in_word = true;
		if (c == '\'') {
			const char *q = strchr(s + 1, '\'');

			if (!q) {
				msg = "unterminated single quote";
				r = -EINVAL;
				goto out;
			}
			r = word_put(&word, s + 1, (size_t)(q - s - 1));
			word.quoted = true;
			s = q + 1;
		} else if (c == '"') {
			word.quoted = true;
			for (s++; *s && *s != '"' && r == 0;) {
				if (lookup && s[0] == '$' && s[1] == '{') {
					long n = expand_var(s, &word, lookup, ctx, &msg);

					if (n < 0) {
						r = (int)n;
						goto out;
					}
					s += n;
					continue;
				}
				if (*s == '\\' && s[1] && strchr("\"\\$`", s[1]))
					s++;
				r = word_put(&word, s, 1);
				s++;
			}
			if (r == 0 && !*s) {
				msg = "unterminated double quote";
				r = -EINVAL;
				goto out;
			}
			s++;
		} else if (c == '\\') {
			if (!s[1]) {
				msg = "trailing backslash";
				r = -EINVAL;
				goto out;
			}
			r = word_put(&word, s + 1, 1);
			s += 2;
		} else if (lookup && c == '$' && s[1] == '{') {
			long n = expand_var(s, &word, lookup, ctx, &msg);

			if (n < 0) {
				r = (int)n;
				goto out;
			}
			s += n;
		} else {
			r = word_put(&word, s, 1);
			s++;
		}
		if (r < 0) {
			msg = r == -E2BIG ? "command too long" : "out of memory";
			goto out;
		}
	}
	if (!w.v) {
		w.v = calloc(1, sizeof(*w.v));
		if (!w.v) {
			msg = "out of memory";
			r = -ENOMEM;
			goto out;
		}
	}
	*argv_out = w.v;
	*argc_out = w.n;
	w.v = NULL;
out:
	free(word.buf);
	if (w.v) {
		w.v[w.n] = NULL;
		argv_free(w.v);
	}
	if (err)
		*err = msg;
	return r;
}

int argv_split(const char *s, char ***argv_out, int *argc_out, const char **err)
{
	return argv_split_env(s, NULL, NULL, argv_out, argc_out, err);
}

void argv_free(char **argv)
{
	char **p;

	if (!argv)
		return;
	for (p = argv; *p; p++)
		free(*p);
	free(argv);
}

/* Characters that never need quoting when shown to a user. */
static bool word_is_plain(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++) {
		char c = *w;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
		      strchr("_-./:=@%+,", c)))
			return false;
	}
	return true;
}

/* Append n bytes at *pos, keeping buf NUL-terminated; false when they do not fit. */
static bool put_bytes(char *buf, unsigned len, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= len)
		return false;
	memcpy(buf + *pos, s, n);
	*pos += n;
	buf[*pos] = '\0';
	return true;
}

const char *argv_format(char *const *argv, char *buf, unsigned len)
{
	size_t pos = 0;
	bool ok = true;
	int i;

	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; ok && argv && argv[i]; i++) {
		const char *p, *w = argv[i];
		bool plain = word_is_plain(w);

		if (i > 0)
			ok = put_bytes(buf, len, &pos, " ", 1);
		if (ok && !plain)
			ok = put_bytes(buf, len, &pos, "'", 1);
		for (p = w; ok && *p; p++) {
			/* Inside single quotes a quote is written as '\'' (close, escaped, reopen).
			 */
			if (!plain && *p == '\'')
				ok = put_bytes(buf, len, &pos, "'\\''", 4);
			else
				ok = put_bytes(buf, len, &pos, p, 1);
		}
		if (ok && !plain)
			ok = put_bytes(buf, len, &pos, "'", 1);
	}
	/* Say that the text was cut rather than show a command that looks complete. */
	if (!ok && len >= 4)
		memcpy(buf + (pos + 3 < len ? pos : len - 4), "...", 4);
	return buf;
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
	/* Canonical names first: signal_name() returns the first match. */
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "QUIT", SIGQUIT },
	{ "ILL", SIGILL },
	{ "TRAP", SIGTRAP },
	{ "ABRT", SIGABRT },
	{ "BUS", SIGBUS },
	{ "FPE", SIGFPE },
	{ "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },
	{ "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },
	{ "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
#ifdef SIGSTKFLT
	{ "STKFLT", SIGSTKFLT },
#endif
	{ "CHLD", SIGCHLD },
	{ "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP },
	{ "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },
	{ "URG", SIGURG },
	{ "XCPU", SIGXCPU },
	{ "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF },
	{ "WINCH", SIGWINCH },
	{ "IO", SIGIO },
#ifdef SIGPWR
	{ "PWR", SIGPWR },
#endif
	{ "SYS", SIGSYS },
	/* Aliases. */
	{ "IOT", SIGABRT },
	{ "CLD", SIGCHLD },
	{ "POLL", SIGIO },
};

int parse_signal(const char *s)
{
	size_t i;
	int sig;

	if (!s || !*s)
		return -EINVAL;
	if (is_digit(*s)) {
		if (parse_uint(s, &sig) < 0 || sig < 1 || sig > 64)
			return -EINVAL;
		return sig;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].sig;
	return -EINVAL;
}

const char *signal_name(int sig)
{
	size_t i;

	/* Real-time signals as glibc numbers them (32 and 33 are reserved for its threads). */
	static const char *const rt_names[] = {
		"32",	    "33",	"RTMIN",    "RTMIN+1",	"RTMIN+2",  "RTMIN+3",	"RTMIN+4",
		"RTMIN+5",  "RTMIN+6",	"RTMIN+7",  "RTMIN+8",	"RTMIN+9",  "RTMIN+10", "RTMIN+11",
		"RTMIN+12", "RTMIN+13", "RTMIN+14", "RTMAX-15", "RTMAX-14", "RTMAX-13", "RTMAX-12",
		"RTMAX-11", "RTMAX-10", "RTMAX-9",  "RTMAX-8",	"RTMAX-7",  "RTMAX-6",	"RTMAX-5",
		"RTMAX-4",  "RTMAX-3",	"RTMAX-2",  "RTMAX-1",	"RTMAX"
	};

	for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].sig == sig)
			return signals[i].name;
	if (sig >= 32 && sig <= 64)
		return rt_names[sig - 32];
	return NULL;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_uint(const char *s, int *out)
{
	long long v = 0;

	if (!s || !is_digit(*s))
		return -EINVAL;
	for (; is_digit(*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX) {
			/* Keep scanning: garbage after a huge number is a syntax error, not a range
			 * one. */
			while (is_digit(*s))
				s++;
			return *s ? -EINVAL : -ERANGE;
		}
	}
	if (*s)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

#define PROBE_FORMS                                                                                \
	"expected: notify, socket PATH, http SOCKET-PATH|HOST:PORT URL-PATH, tcp HOST:PORT, exec " \
	"COMMAND [ARGS], file PATH"

/* "[::1]:2375", "127.0.0.1:80", "localhost:8080" into a numeric address; no DNS in PID 1. */
static int parse_host_port(const char *s, struct probe_spec *out, const char **err)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h = s;
	size_t hlen;
	bool bracketed = false;
	int port;

	if (*s == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':') {
			*err = "expected HOST:PORT, an IPv6 address in brackets: [::1]:2375";
			return -EINVAL;
		}
		h = s + 1;
		hlen = (size_t)(end - h);
		colon = end + 1;
		bracketed = true;
	} else {
		colon = strrchr(s, ':');
		if (!colon) {
			*err = "expected HOST:PORT, e.g. 127.0.0.1:2375";
			return -EINVAL;
		}
		hlen = (size_t)(colon - s);
		if (memchr(s, ':', hlen)) {
			*err = "put an IPv6 HOST in brackets: [::1]:2375";
			return -EINVAL;
		}
	}
	if (parse_uint(colon + 1, &port) < 0 || port < 1 || port > 65535) {
		*err = "bad port: use 1 to 65535";
		return -EINVAL;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad_host;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	memset(&out->addr, 0, sizeof(out->addr));
	if (bracketed) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&out->addr;

		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			goto bad_host;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		out->addrlen = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&out->addr;

		if (strcmp(host, "localhost") == 0)
			a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			goto bad_host;
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		out->addrlen = sizeof(*a4);
	}
	return 0;
bad_host:
	*err = "HOST must be an IP address or localhost (no DNS lookups)";
	return -EINVAL;
}

static int probe_path(const char *s, bool unix_socket, char **out, const char **err)
{
	if (s[0] != '/') {
		*err = unix_socket ? "the socket path must be absolute: start it with '/'"
				   : "the file path must be absolute: start it with '/'";
		return -EINVAL;
	}
	if (unix_socket && strlen(s) > SUN_PATH_MAX) {
		*err = "unix socket path too long (limit 107 bytes)";
		return -EINVAL;
	}
	*out = strdup(s);
	if (!*out) {
		*err = "out of memory";
		return -ENOMEM;
	}
	return 0;
}

/* An HTTP request-target: written into the request line as is, so no blanks or controls. */
static bool url_path_ok(const char *s)
{
	if (s[0] != '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

int probe_spec_parse(const char *s, struct probe_spec *out, const char **err)
{
	const char *msg = NULL;
	char **w = NULL;
	int n = 0, r;

	memset(out, 0, sizeof(*out));
	r = argv_split(s, &w, &n, &msg);
	if (r < 0) {
		if (r == -E2BIG)
			r = -EINVAL; /* too many words is a syntax error here too */
		goto out;
	}
	r = -EINVAL;
	if (n == 0) {
		msg = PROBE_FORMS;
	} else if (strcmp(w[0], "notify") == 0) {
		out->kind = PROBE_NOTIFY;
		if (n == 1)
			r = 0;
		else
			msg = "expected: notify, with nothing after it";
	} else if (strcmp(w[0], "socket") == 0) {
		out->kind = PROBE_SOCKET;
		if (n != 2)
			msg = "expected: socket PATH";
		else
			r = probe_path(w[1], true, &out->path, &msg);
	} else if (strcmp(w[0], "file") == 0) {
		out->kind = PROBE_FILE;
		if (n != 2)
			msg = "expected: file PATH";
		else
			r = probe_path(w[1], false, &out->path, &msg);
	} else if (strcmp(w[0], "tcp") == 0) {
		out->kind = PROBE_TCP;
		if (n != 2)
			msg = "expected: tcp HOST:PORT";
		else
			r = parse_host_port(w[1], out, &msg);
	} else if (strcmp(w[0], "http") == 0) {
		out->kind = PROBE_HTTP;
		if (n != 3)
			msg = "expected: http SOCKET-PATH|HOST:PORT URL-PATH";
		else if (w[1][0] == '/')
			r = probe_path(w[1], true, &out->path, &msg);
		else
			r = parse_host_port(w[1], out, &msg);
		if (r == 0 && !url_path_ok(w[2])) {
			msg = "URL-PATH must start with '/' and hold no blanks or control characters";
			r = -EINVAL;
		}
		if (r == 0) {
			out->http_path = strdup(w[2]);
			if (!out->http_path) {
				msg = "out of memory";
				r = -ENOMEM;
			}
		}
	} else if (strcmp(w[0], "exec") == 0) {
		out->kind = PROBE_EXEC;
		if (n < 2) {
			msg = "expected: exec COMMAND [ARGS]";
		} else {
			/* The command takes the split words over: drop the kind word in place. */
			free(w[0]);
			memmove(w, w + 1, (size_t)n * sizeof(*w));
			out->argv = w;
			out->argc = n - 1;
			w = NULL;
			r = 0;
		}
	} else {
		msg = PROBE_FORMS;
	}
out:
	argv_free(w);
	if (r < 0)
		probe_spec_release(out);
	if (err)
		*err = r < 0 ? msg : NULL;
	return r;
}

void probe_spec_release(struct probe_spec *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->http_path);
	argv_free(p->argv);
	memset(p, 0, sizeof(*p));
}

/* Append a blank (unless at the start) and one word, quoted as argv_format does when asked. */
static void format_word(char *buf, unsigned len, size_t *pos, const char *word, bool quote)
{
	char *words[2] = { (char *)word, NULL };

	if (*pos > 0 && !put_bytes(buf, len, pos, " ", 1))
		return;
	if (*pos + 1 >= len)
		return;
	if (quote)
		(void)argv_format(words, buf + *pos, len - (unsigned)*pos);
	else
		(void)snprintf(buf + *pos, len - *pos, "%s", word);
	*pos += strlen(buf + *pos);
}

/* A numeric address as written in a probe: "127.0.0.1:2375", "[::1]:2375". */
static void format_addr(const struct probe_spec *p, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (p->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&p->addr;

		(void)inet_ntop(AF_INET6, &a6->sin6_addr, host, sizeof(host));
		(void)snprintf(buf, len, "[%s]:%u", host, ntohs(a6->sin6_port));
	} else if (p->addr.ss_family == AF_INET) {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)&p->addr;

		(void)inet_ntop(AF_INET, &a4->sin_addr, host, sizeof(host));
		(void)snprintf(buf, len, "%s:%u", host, ntohs(a4->sin_port));
	} else {
		(void)snprintf(buf, len, "?");
	}
}

const char *probe_spec_format(const struct probe_spec *p, char *buf, unsigned len)
{
	static const char *const kinds[] = {
		[PROBE_NONE] = "none", [PROBE_NOTIFY] = "notify", [PROBE_SOCKET] = "socket",
		[PROBE_HTTP] = "http", [PROBE_TCP] = "tcp",	  [PROBE_EXEC] = "exec",
		[PROBE_FILE] = "file",
	};
	char addr[INET6_ADDRSTRLEN + 16];
	size_t pos = 0;

	if (!buf || len == 0)
		return buf;
	buf[0] = '\0';
	if (!p || (unsigned)p->kind >= sizeof(kinds) / sizeof(kinds[0])) {
		format_word(buf, len, &pos, "?", false);
		return buf;
	}
	format_word(buf, len, &pos, kinds[p->kind], false);
	switch (p->kind) {
	case PROBE_SOCKET:
	case PROBE_FILE:
		format_word(buf, len, &pos, p->path ? p->path : "", true);
		break;
	case PROBE_TCP:
		format_addr(p, addr, sizeof(addr));
		format_word(buf, len, &pos, addr, false);
		break;
	case PROBE_HTTP:
		if (p->path) {
			format_word(buf, len, &pos, p->path, true);
		} else {
			format_addr(p, addr, sizeof(addr));
			format_word(buf, len, &pos, addr, false);
		}
		format_word(buf, len, &pos, p->http_path ? p->http_path : "/", true);
		break;
	case PROBE_EXEC:
		if (p->argv && put_bytes(buf, len, &pos, " ", 1))
			(void)argv_format(p->argv, buf + pos, len - (unsigned)pos);
		break;
	default:
		break;
	}
	return buf;
}

bool next_field(const char **s, char *out, size_t len)
{
	const char *p = *s;
	size_t n = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return false;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
		if (n + 1 < len)
			out[n++] = *p;
		p++;
	}
	if (len)
		out[n] = '\0';
	*s = p;
	return true;
}

/* The control protocol's pure half: request parsing, dind-ctl's command line, and JSON string
 * escaping. */
#include "supervisor/control_proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"
#include "core/utf8.h"

_Static_assert(CONTROL_NAMES_MAX == 64, "update the 'too many names' message");
_Static_assert(CONTROL_LINE_MAX == 1024, "update the 'request too long' message");

/* Longest piece of a request quoted back in an error: the line may be up to 1 KB. */
#define QUOTE_MAX 40

#define UNKNOWN_COMMAND                                                                            \
	"unknown command '%.*s': expected status, health, wait, start, stop, restart or kill"

static const struct {
	const char *name;
	enum ctl_verb verb;
	int min, max;	     /* arguments after the verb */
	const char *missing; /* fewer than min */
	const char *extra;   /* more than max */
} verbs[] = {
	{ "status", CTL_STATUS, 0, 1 + CONTROL_NAMES_MAX, NULL, "too many names (limit 64)" },
	{ "health", CTL_HEALTH, 0, 0, NULL, "'health' takes no arguments" },
	{ "wait", CTL_WAIT, 0, CONTROL_NAMES_MAX, NULL, "too many names (limit 64)" },
	{ "start", CTL_START, 1, 1, "'start' needs a service name",
	  "'start' takes one service name" },
	{ "stop", CTL_STOP, 1, 1, "'stop' needs a service name", "'stop' takes one service name" },
	{ "restart", CTL_RESTART, 1, 1, "'restart' needs a service name",
	  "'restart' takes one service name" },
	{ "kill", CTL_KILL, 2, 2, "'kill' needs a service name and a signal",
	  "'kill' needs a service name and a signal" },
};

static bool is_sep(char c)
{
	return c == ' ' || c == '\t';
}

/* How much of s to quote: at most QUOTE_MAX bytes, not splitting a UTF-8 sequence. */
static int quote_len(const char *s)
{
	size_t n = strlen(s), k;

	if (n <= QUOTE_MAX)
		return (int)n;
	n = QUOTE_MAX;
	for (k = 0; k < 3 && ((unsigned char)s[n] & 0xc0) == 0x80; k++)
		n--;
	return (int)n;
}

int ctl_parse_request(char *line, struct ctl_request *req, const char **err)
{
	/* The verb, CONTROL_NAMES_MAX names and one more to tell "too many". */
	char *words[CONTROL_NAMES_MAX + 2];
	const char *msg = NULL;
	char *p;
	size_t len;
	int n = 0, nargs, i, v;

	memset(req, 0, sizeof(*req));
	len = strlen(line);
	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	for (p = line; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && !is_sep(*p)) || c == 0x7f) {
			msg = "request holds control characters";
			goto fail;
		}
	}
	for (p = line; *p;) {
		while (is_sep(*p))
			*p++ = '\0';
		if (!*p)
			break;
		if (n < (int)(sizeof(words) / sizeof(words[0])))
			words[n] = p;
		n++;
		while (*p && !is_sep(*p))
			p++;
	}
	if (n == 0) {
		msg = "empty request";
		goto fail;
	}
	for (v = 0; v < (int)(sizeof(verbs) / sizeof(verbs[0])); v++)
		if (strcmp(words[0], verbs[v].name) == 0)
			break;
	if (v == (int)(sizeof(verbs) / sizeof(verbs[0]))) {
		(void)snprintf(req->errbuf, sizeof(req->errbuf), UNKNOWN_COMMAND,
			       quote_len(words[0]), words[0]);
		msg = req->errbuf;
		goto fail;
	}
	nargs = n - 1;
	if (nargs < verbs[v].min) {
		msg = verbs[v].missing;
		goto fail;
	}
	if (nargs > verbs[v].max) {
		msg = verbs[v].extra;
		goto fail;
	}
	req->verb = verbs[v].verb;
	switch (req->verb) {
	case CTL_STATUS:
		/* An optional format word, then the names to show (none: all of them). */
		i = 1;
		if (nargs >= 1 && strcmp(words[1], "json") == 0) {
			req->verb = CTL_STATUS_JSON;
			i = 2;
		} else if (nargs >= 1 && strcmp(words[1], "table") == 0) {
			i = 2;
		}
		if (n - i > CONTROL_NAMES_MAX) {
			msg = verbs[v].extra;
			goto fail;
		}
		for (; i < n; i++)
			req->names[req->nnames++] = words[i];
		break;
	case CTL_KILL:
		req->signal = parse_signal(words[2]);
		if (req->signal < 0) {
			(void)snprintf(req->errbuf, sizeof(req->errbuf),
				       "bad signal '%.*s': use a name like TERM or a number from 1 "
				       "to 64",
				       quote_len(words[2]), words[2]);
			msg = req->errbuf;
			goto fail;
		}
		req->names[req->nnames++] = words[1];
		break;
	default:
		for (i = 1; i < n; i++)
			req->names[req->nnames++] = words[i];
		break;
	}
	if (err)
		*err = NULL;
	return 0;
fail:
	/* Keep the message: it may live in errbuf, which the reset below must not clear. */
	req->nnames = 0;
	req->signal = 0;
	req->verb = CTL_STATUS;
	if (err)
		*err = msg;
	return -EINVAL;
}

/* --- dind-ctl's command line --- */

enum arg_kind {
	ARG_WORD,    /* COMMAND or one of its arguments */
	ARG_END,     /* "--": only words from here on */
	OPT_HELP,    /* -h, --help */
	OPT_JSON,    /* --json */
	OPT_SOCKET,  /* -s PATH, -sPATH, --socket PATH, --socket=PATH */
	OPT_TIMEOUT, /* -t DUR, -tDUR, --timeout DUR, --timeout=DUR */
	OPT_UNKNOWN,
};

/* What argv[i] is (before any "--"); *val gets an option's value (NULL when argv ends
 * before it), *used the words it takes. */
static enum arg_kind classify(int argc, char *const argv[], int i, const char **val, int *used)
{
	static const struct {
		char letter;
		const char *name;
		enum arg_kind kind;
	} with_value[] = { { 's', "--socket", OPT_SOCKET }, { 't', "--timeout", OPT_TIMEOUT } };
	const char *w = argv[i];
	size_t k, n;

	*val = NULL;
	*used = 1;
	if (w[0] != '-' || w[1] == '\0')
		return ARG_WORD; /* "-" alone is a word, as for most tools */
	if (strcmp(w, "--") == 0)
		return ARG_END;
	if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0)
		return OPT_HELP;
	if (strcmp(w, "--json") == 0)
		return OPT_JSON;
	for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++) {
		n = strlen(with_value[k].name);
		if ((w[1] == with_value[k].letter && w[2] == '\0') ||
		    strcmp(w, with_value[k].name) == 0) {
			if (i + 1 < argc) {
				*val = argv[i + 1];
				*used = 2;
			}
			return with_value[k].kind;
		}
		if (w[1] == with_value[k].letter) {
			*val = w + 2;
			return with_value[k].kind;
		}
		if (strncmp(w, with_value[k].name, n) == 0 && w[n] == '=') {
			*val = w + n + 1;
			return with_value[k].kind;
		}
	}
	return OPT_UNKNOWN;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A word the request line can carry as one word: not empty, no blank, no control character. */
static const char *word_problem(const char *w)
{
	if (!*w)
		return "an argument is empty: a service name or a signal was expected";
	if (!printable(w) || strchr(w, ' '))
		return "an argument holds a blank or a control character: service names and "
		       "signals never do";
	return NULL;
}

/* Append " word" (or the first word) to the request, keeping room for the '\n'. */
static int append_word(struct ctl_args *a, const char *w)
{
	size_t wl = strlen(w), sep = a->len > 0;

	if (wl > CONTROL_LINE_MAX || a->len + sep + wl + 1 > CONTROL_LINE_MAX)
		return -E2BIG;
	if (sep)
		a->request[a->len++] = ' ';
	memcpy(a->request + a->len, w, wl);
	a->len += wl;
	a->request[a->len] = '\0';
	return 0;
}

int ctl_args_parse(int argc, char *const argv[], struct ctl_args *a, const char **err)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *msg = NULL, *timeout = NULL, *val;
	enum arg_kind kind;
	bool ended = false, cmd_after_end = false, json = false;
	int i, used, cmd = -1, nwords = 0;
	int64_t ms;
	size_t v;

	memset(a, 0, sizeof(*a));
	a->timeout_ms = CTL_REPLY_TIMEOUT_MS;
	/* Options anywhere, as getopt would take them; the first error is kept, but --help
	 * anywhere wins over it. */
	for (i = 1; i < argc; i += used) {
		kind = ended ? ARG_WORD : classify(argc, argv, i, &val, &used);
		if (ended)
			used = 1;
		switch (kind) {
		case ARG_WORD:
			if (cmd < 0) {
				cmd = i;
				cmd_after_end = ended;
			}
			nwords++;
			if (!msg)
				msg = word_problem(argv[i]);
			break;
		case ARG_END:
			ended = true;
			break;
		case OPT_HELP:
			a->help = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_SOCKET:
			a->socket = val;
			if ((!val || !*val) && !msg)
				msg = "-s needs a socket path";
			break;
		case OPT_TIMEOUT:
			timeout = val;
			if (!val && !msg)
				msg = "--timeout needs a duration such as 30s";
			break;
		case OPT_UNKNOWN:
			/* Quoted back only when it is printable: the message is one line. */
			if (!msg)
				msg = word_problem(argv[i]);
			if (!msg) {
				(void)snprintf(a->errbuf, sizeof(a->errbuf),
					       "unknown option '%.*s'", quote_len(argv[i]),
					       argv[i]);
				msg = a->errbuf;
			}
			break;
		}
	}
	if (a->help) {
		a->socket = NULL;
		a->timeout_ms = 0;
		a->errbuf[0] = '\0';
		if (err)
			*err = NULL;
		return 0;
	}
	if (msg)
		goto fail;
	if (cmd < 0) {
		if (err)
			*err = "no command: give status, health, wait, start, stop, restart or kill";
		memset(a, 0, sizeof(*a));
		return -ENODATA;
	}
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(argv[cmd], verbs[v].name) == 0)
			break;
	if (v == sizeof(verbs) / sizeof(verbs[0])) {
		(void)snprintf(a->errbuf, sizeof(a->errbuf), UNKNOWN_COMMAND, quote_len(argv[cmd]),
			       argv[cmd]);
		msg = a->errbuf;
		goto fail;
	}
	if (json && verbs[v].verb != CTL_STATUS) {
		msg = "--json goes with status";
		goto fail;
	}
	if (timeout && verbs[v].verb != CTL_WAIT) {
		msg = "--timeout goes with wait";
		goto fail;
	}
	if (verbs[v].verb == CTL_WAIT) {
		a->timeout_ms = CTL_DEFAULT_WAIT_MS;
		if (timeout) {
			int r = parse_duration(timeout, &ms);

			if (r < 0 && !printable(timeout)) {
				msg = "bad --timeout: use a number with ms, s, m or h (0: no limit)";
				goto fail;
			}
			if (r < 0) {
				(void)snprintf(a->errbuf, sizeof(a->errbuf),
					       r == -ERANGE ? "--timeout '%.*s' is too long"
							    : "bad --timeout '%.*s': use a number "
							      "with ms, s, m or h (0: no limit)",
					       quote_len(timeout), timeout);
				msg = a->errbuf;
				goto fail;
			}
			a->timeout_ms = ms;
		}
		if (a->timeout_ms == 0)
			a->timeout_ms = -1;
	}

	/* The line: the verb, status's format word, then the words in their order. */
	(void)append_word(a, verbs[v].name);
	if (verbs[v].verb == CTL_STATUS && (json || nwords > 1))
		(void)append_word(a, json ? "json" : "table");
	ended = cmd_after_end;
	for (i = cmd + 1; i < argc; i += used) {
		kind = ended ? ARG_WORD : classify(argc, argv, i, &val, &used);
		if (ended)
			used = 1;
		if (kind == ARG_END)
			ended = true;
		if (kind != ARG_WORD)
			continue;
		if (append_word(a, argv[i]) < 0) {
			msg = "request too long (limit 1024 bytes): fewer or shorter names";
			goto fail;
		}
	}

	/* The server's own check, so that a usage error never needs dind-init. */
	memcpy(line, a->request, a->len + 1);
	if (ctl_parse_request(line, &req, &msg) < 0) {
		if (msg == req.errbuf) {
			(void)snprintf(a->errbuf, sizeof(a->errbuf), "%s", req.errbuf);
			msg = a->errbuf;
		}
		goto fail;
	}
	a->verb = req.verb;
	a->request[a->len++] = '\n';
	a->request[a->len] = '\0';
	if (err)
		*err = NULL;
	return 0;
fail:
	a->request[0] = '\0';
	a->len = 0;
	a->socket = NULL;
	a->verb = CTL_STATUS;
	if (err)
		*err = msg;
	return -EINVAL;
}

size_t json_escape(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t pos = 0, left = strlen((const char *)s);

	if (!out || outlen == 0)
		return 0;
	while (left > 0) {
		char esc[8];
		const char *piece = esc;
		size_t n, ulen;
		unsigned char c = *s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
		} else if (c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') {
			esc[0] = '\\';
			esc[1] = c == '\n'   ? 'n'
				 : c == '\t' ? 't'
				 : c == '\r' ? 'r'
				 : c == '\b' ? 'b'
					     : 'f';
			n = 2;
		} else if (c < 0x20 || c == 0x7f) {
			(void)snprintf(esc, sizeof(esc), "\\u%04x", c);
			n = 6;
		} else if (c < 0x80) {
			piece = (const char *)s;
			n = 1;
		} else if ((ulen = utf8_seq_len(s, left, true)) > 0) {
			piece = (const char *)s;
			n = ulen;
		} else {
			/* Not UTF-8: JSON text must be, so show U+FFFD for that byte. */
			piece = "\\ufffd";
			n = 6;
		}
		if (pos + n >= outlen)
			break;
		memcpy(out + pos, piece, n);
		pos += n;
		/* The input advances by a whole sequence when it was copied, else by one byte. */
		ulen = (piece == (const char *)s) ? n : 1;
		s += ulen;
		left -= ulen;
	}
	out[pos] = '\0';
	return pos;
}

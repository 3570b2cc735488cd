/* The control protocol's pure half: request parsing and JSON string escaping. */
#include "supervisor/control_proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"

_Static_assert(CONTROL_NAMES_MAX == 64, "update the 'too many names' message");

/* Longest piece of a request quoted back in an error: the line may be up to 1 KB. */
#define QUOTE_MAX 40

static const struct {
	const char *name;
	enum ctl_verb verb;
	int min, max;	     /* arguments after the verb */
	const char *missing; /* fewer than min */
	const char *extra;   /* more than max */
} verbs[] = {
	{ "status", CTL_STATUS, 0, 1, NULL, "'status' takes nothing or 'json'" },
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
		(void)snprintf(
			req->errbuf, sizeof(req->errbuf),
			"unknown command '%.*s': expected status, health, wait, start, stop, "
			"restart or kill",
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
		if (nargs == 1) {
			if (strcmp(words[1], "json") != 0) {
				msg = verbs[v].extra;
				goto fail;
			}
			req->verb = CTL_STATUS_JSON;
		}
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

/* Length of the valid UTF-8 sequence at s (at most n bytes available), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629). */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
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
		} else if ((ulen = utf8_len(s, left)) > 0) {
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

/* libFuzzer target: the control protocol's request parser (a root-only socket, but PID 1 must
 * survive anything on it) and json_escape, used for every string in `status json`. */
#include <errno.h>
#include <stdbool.h>

#include "supervisor/control_proto.h"
#include "tests/fuzz/fuzz.h"

/* RFC 3629 UTF-8, as json_escape promises to produce. */
static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		size_t len, i;
		unsigned char lo = 0x80, hi = 0xbf;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf)
			len = 2;
		else if (*s >= 0xe0 && *s <= 0xef)
			len = 3;
		else if (*s >= 0xf0 && *s <= 0xf4)
			len = 4;
		else
			return false;
		if (*s == 0xe0)
			lo = 0xa0;
		else if (*s == 0xed)
			hi = 0x9f;
		else if (*s == 0xf0)
			lo = 0x90;
		else if (*s == 0xf4)
			hi = 0x8f;
		if (s[1] < lo || s[1] > hi)
			return false;
		for (i = 2; i < len; i++)
			if (s[i] < 0x80 || s[i] > 0xbf)
				return false;
		s += len;
	}
	return true;
}

/* A JSON string body: no raw '"' or control characters, only the escapes JSON knows. */
static bool json_body_valid(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || (unsigned char)*s < 0x20)
			return false;
		if (*s != '\\')
			continue;
		s++;
		if (*s == 'u') {
			int i;

			for (i = 1; i <= 4; i++)
				if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
					return false;
			s += 4;
		} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
			return false;
		}
	}
	return true;
}

static void check_request(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	struct ctl_request req;
	const char *err = "unset";
	int r, i;

	r = ctl_parse_request(line, &req, &err);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL && err && *err);
		FUZZ_CHECK(req.nnames == 0);
		if (err >= req.errbuf && err < req.errbuf + sizeof(req.errbuf))
			FUZZ_CHECK(strnlen(err, sizeof(req.errbuf)) < sizeof(req.errbuf));
		free(line);
		return;
	}
	FUZZ_CHECK(r == 0 && err == NULL);
	FUZZ_CHECK(req.verb >= CTL_STATUS && req.verb <= CTL_KILL);
	FUZZ_CHECK(req.nnames >= 0 && req.nnames <= CONTROL_NAMES_MAX);
	for (i = 0; i < req.nnames; i++) {
		/* Names point into the line and are whole words. */
		FUZZ_CHECK(req.names[i] >= line && req.names[i] < line + size);
		FUZZ_CHECK(*req.names[i] && !strpbrk(req.names[i], " \t"));
	}
	if (req.verb == CTL_KILL)
		FUZZ_CHECK(req.nnames == 1 && req.signal >= 1 && req.signal <= 64);
	if (req.verb == CTL_START || req.verb == CTL_STOP || req.verb == CTL_RESTART)
		FUZZ_CHECK(req.nnames == 1);
	free(line);
}

static void check_json(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size), *full, *cut;
	size_t fulllen = 6 * size + 1, n, m, cutlen;

	full = malloc(fulllen);
	FUZZ_CHECK(full);
	n = json_escape(in, full, fulllen);
	FUZZ_CHECK(n < fulllen && full[n] == '\0' && strlen(full) == n);
	FUZZ_CHECK(utf8_valid((const unsigned char *)full));
	FUZZ_CHECK(json_body_valid(full));
	for (m = 0; m < n; m++)
		FUZZ_CHECK(full[m] != 0x7f);
	/* Not cut: the whole input is there, so no lone backslash at the end. */
	FUZZ_CHECK(strlen(in) == 0 || n > 0);

	/* Cut output: an exact-size block, a prefix of the full text, still valid UTF-8. */
	cutlen = size % 32 + 1;
	cut = malloc(cutlen);
	FUZZ_CHECK(cut);
	m = json_escape(in, cut, cutlen);
	FUZZ_CHECK(m < cutlen && cut[m] == '\0' && m <= n);
	FUZZ_CHECK(memcmp(cut, full, m) == 0);
	FUZZ_CHECK(utf8_valid((const unsigned char *)cut) && json_body_valid(cut));

	free(cut);
	free(full);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_request(data, size);
	check_json(data, size);
	return 0;
}

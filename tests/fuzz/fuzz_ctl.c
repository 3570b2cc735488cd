/* libFuzzer target: dind-ctl's command line (ctl_args_parse), the words of argv turned into a
 * request line. The input is the argument words separated by NUL bytes, as in
 * /proc/PID/cmdline; a long word once overflowed the request buffer (issue 9 item 3). */
#include <errno.h>
#include <stdbool.h>

#include "supervisor/control_proto.h"
#include "tests/fuzz/fuzz.h"

#define MAX_WORDS 300 /* more than fit in a request line (each takes 2 bytes or more) */

/* True when p points into one of the words (an option's value, as in -sPATH). */
static bool in_words(const char *p, char *const *argv, int argc)
{
	for (int i = 1; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static bool is_word(const char *w, char *const *argv, int argc)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(w, argv[i]) == 0)
			return true;
	return false;
}

static void check(char *const *argv, int argc)
{
	char line[CONTROL_LINE_MAX + 1];
	struct ctl_args a;
	struct ctl_request req;
	const char *err = "unset", *perr;
	int r;

	r = ctl_args_parse(argc, argv, &a, &err);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ENODATA);
		FUZZ_CHECK(err && *err);
		/* One printable line: what the user typed is quoted back only when printable. */
		for (const char *p = err; *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
		if (err >= a.errbuf && err < a.errbuf + sizeof(a.errbuf))
			FUZZ_CHECK(strnlen(err, sizeof(a.errbuf)) < sizeof(a.errbuf));
		FUZZ_CHECK(a.len == 0 && a.request[0] == '\0');
		return;
	}
	FUZZ_CHECK(r == 0 && err == NULL);
	if (a.help)
		return;
	if (a.socket)
		FUZZ_CHECK(*a.socket && in_words(a.socket, argv, argc));
	/* One line within the limit, ending in its only '\n', no other control character. */
	FUZZ_CHECK(a.len >= 2 && a.len <= CONTROL_LINE_MAX && strlen(a.request) == a.len);
	FUZZ_CHECK(a.request[a.len - 1] == '\n');
	for (size_t i = 0; i + 1 < a.len; i++)
		FUZZ_CHECK((unsigned char)a.request[i] >= 0x20 && a.request[i] != 0x7f);
	/* The server reads it as the same request, naming only words of the command line. */
	memcpy(line, a.request, a.len - 1);
	line[a.len - 1] = '\0';
	FUZZ_CHECK(ctl_parse_request(line, &req, &perr) == 0);
	FUZZ_CHECK(req.verb == a.verb);
	for (int i = 0; i < req.nnames; i++)
		FUZZ_CHECK(is_word(req.names[i], argv, argc));
	if (a.verb == CTL_WAIT)
		FUZZ_CHECK(a.timeout_ms == -1 || a.timeout_ms > 0);
	else
		FUZZ_CHECK(a.timeout_ms == CTL_REPLY_TIMEOUT_MS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 2];
	int argc = 1;
	size_t start = 0;

	argv[0] = fuzz_cstr((const uint8_t *)"dind-ctl", 8);
	/* Each word in a block of its own size, so that ASan sees any read past it. */
	for (size_t i = 0; i <= size && argc <= MAX_WORDS; i++) {
		if (i < size && data[i] != '\0')
			continue;
		if (i < size || i > start)
			argv[argc++] = fuzz_cstr(data + start, i - start);
		start = i + 1;
	}
	argv[argc] = NULL;
	check(argv, argc);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}

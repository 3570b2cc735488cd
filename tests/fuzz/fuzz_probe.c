/* libFuzzer target: probe_spec_parse (`ready =`, `health =`) and probe_spec_format, whose text
 * must parse back to the same probe. */
#include <errno.h>
#include <sys/socket.h>

#include "config/config.h"
#include "config/parse.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *big, *again_text, *small;
	struct probe_spec p, again;
	const char *err = "unset";
	size_t biglen, smalllen;
	int r;

	r = probe_spec_parse(s, &p, &err);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL);
		FUZZ_CHECK(err && *err);
		/* Released on failure: nothing left to free. */
		FUZZ_CHECK(p.path == NULL && p.http_path == NULL && p.argv == NULL);
		free(s);
		return 0;
	}
	FUZZ_CHECK(err == NULL);
	FUZZ_CHECK(p.kind > PROBE_NONE && p.kind <= PROBE_FILE);
	switch (p.kind) {
	case PROBE_SOCKET:
	case PROBE_FILE:
		FUZZ_CHECK(p.path && p.path[0] == '/');
		break;
	case PROBE_TCP:
		FUZZ_CHECK(p.addrlen > 0 &&
			   (p.addr.ss_family == AF_INET || p.addr.ss_family == AF_INET6));
		break;
	case PROBE_HTTP:
		FUZZ_CHECK(p.http_path && p.http_path[0] == '/');
		FUZZ_CHECK(p.path ? p.path[0] == '/' : p.addrlen > 0);
		break;
	case PROBE_EXEC:
		FUZZ_CHECK(p.argc >= 1 && p.argv && p.argv[p.argc] == NULL);
		break;
	default:
		break;
	}

	/* Round trip through the text shown in messages and `dind-ctl status`. */
	biglen = 4 * size + 1024;
	big = malloc(biglen);
	again_text = malloc(biglen);
	FUZZ_CHECK(big && again_text);
	(void)probe_spec_format(&p, big, (unsigned)biglen);
	FUZZ_CHECK(strlen(big) < biglen - 1);
	r = probe_spec_parse(big, &again, &err);
	if (r != 0)
		fprintf(stderr, "formatted as [%s], which does not parse: %s\n", big, err);
	FUZZ_CHECK(r == 0);
	(void)probe_spec_format(&again, again_text, (unsigned)biglen);
	if (strcmp(big, again_text) != 0)
		fprintf(stderr, "[%s] parses back as [%s]\n", big, again_text);
	FUZZ_CHECK(strcmp(big, again_text) == 0);
	probe_spec_release(&again);

	/* Cut display in an exact-size block. */
	smalllen = size % 64 + 1;
	small = malloc(smalllen);
	FUZZ_CHECK(small);
	(void)probe_spec_format(&p, small, (unsigned)smalllen);
	FUZZ_CHECK(strlen(small) < smalllen);

	free(small);
	free(again_text);
	free(big);
	probe_spec_release(&p);
	FUZZ_CHECK(p.path == NULL && p.argv == NULL);
	free(s);
	return 0;
}

/* libFuzzer target: argv_split (`command`, `args_env`, exec probes) and argv_format, which must
 * quote so that splitting its output gives the same words back. */
#include <errno.h>

#include "config/parse.h"
#include "tests/fuzz/fuzz.h"

static void check_same(char **a, int na, char **b, int nb)
{
	int i;

	FUZZ_CHECK(na == nb);
	for (i = 0; i < na; i++)
		FUZZ_CHECK(strcmp(a[i], b[i]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *big, *small, **argv, **again;
	const char *err = "unset";
	size_t biglen, smalllen;
	int argc, nagain, r, i;

	r = argv_split(s, &argv, &argc, &err);
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -E2BIG);
		FUZZ_CHECK(argv == NULL && argc == 0 && err && *err);
		free(s);
		return 0;
	}
	FUZZ_CHECK(r == 0 && err == NULL && argv);
	FUZZ_CHECK(argc >= 0 && argc <= ARGV_MAX_WORDS && argv[argc] == NULL);
	for (i = 0; i < argc; i++)
		FUZZ_CHECK(strlen(argv[i]) <= size);

	/* Room for the worst case ('\'' for every byte, quotes and blanks): never cut. */
	biglen = 4 * size + 3 * (size_t)argc + 16;
	big = malloc(biglen);
	FUZZ_CHECK(big);
	FUZZ_CHECK(argv_format(argv, big, (unsigned)biglen) == big);
	FUZZ_CHECK(strlen(big) < biglen - 1);
	r = argv_split(big, &again, &nagain, &err);
	FUZZ_CHECK(r == 0);
	check_same(argv, argc, again, nagain);
	argv_free(again);

	/* A cut display: stays inside an exact-size block and NUL-terminated. */
	smalllen = size % 48 + 1;
	small = malloc(smalllen);
	FUZZ_CHECK(small);
	(void)argv_format(argv, small, (unsigned)smalllen);
	FUZZ_CHECK(strlen(small) < smalllen);
	if (strlen(big) < smalllen)
		FUZZ_CHECK(strcmp(small, big) == 0);

	free(small);
	free(big);
	argv_free(argv);
	free(s);
	return 0;
}

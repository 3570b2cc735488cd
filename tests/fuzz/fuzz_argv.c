/* libFuzzer target: argv_split (`command`, `args_env`, exec probes) and argv_format, which must
 * quote so that splitting its output gives the same words back; and argv_split_env (${...} in
 * `command` and `args_if`), which must never fail on input that argv_split takes unless the input
 * holds a "${", and must give the same words when no variable is set and none is used. */
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

/* Every variable has a value of 0 to 300 bytes, derived from its name. */
static const char *fuzz_env(const char *name, void *ctx)
{
	static char value[301];
	size_t n = strlen(name) * 37 % sizeof(value);

	(void)ctx;
	memset(value, name[0], n);
	value[n] = '\0';
	return value;
}

static void check_env(const char *s, char **argv, int argc)
{
	char **ex;
	const char *err = NULL;
	int n, r = argv_split_env(s, fuzz_env, NULL, &ex, &n, &err);

	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -E2BIG);
		FUZZ_CHECK(strstr(s, "${") != NULL); /* only ${...} can fail where argv_split did not */
		FUZZ_CHECK(ex == NULL && n == 0 && err && *err);
		return;
	}
	FUZZ_CHECK(n >= 0 && n <= ARGV_MAX_WORDS && ex[n] == NULL);
	if (!strstr(s, "${"))
		check_same(argv, argc, ex, n);
	argv_free(ex);
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
	check_env(s, argv, argc);

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

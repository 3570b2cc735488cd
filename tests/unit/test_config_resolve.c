/* Unit tests of config/resolve.c: the arguments from outside (cfg_append_args) and their limits.
 * cfg_resolve and cfg_replace_command: tests/unit/test_cond.c. */
#include "tests/unit/config_test.h"

static void test_append_args(void **state)
{
	struct config *cfg = *state;
	char *words[ARGV_MAX_WORDS + 1];
	char buf[16];
	const struct cfg_service *a;
	int i;

	load_ok(cfg, "[service:a]\ncommand = dockerd --host=x\n[service:b]\ncommand = b\n");
	a = svc(cfg, "a");
	words[0] = buf;
	strcpy(buf, "--debug");
	words[1] = (char *)"--mtu=1400";
	assert_int_equal(cfg_append_args(cfg, 0, words, 2), 0);
	strcpy(buf, "changed"); /* the words were copied */
	assert_int_equal(a->argc, 4);
	assert_string_equal(a->argv[0], "dockerd");
	assert_string_equal(a->argv[1], "--host=x");
	assert_string_equal(a->argv[2], "--debug");
	assert_string_equal(a->argv[3], "--mtu=1400");
	assert_null(a->argv[4]);
	assert_int_equal(svc(cfg, "b")->argc, 1);

	/* Nothing to add; a bad index. */
	assert_int_equal(cfg_append_args(cfg, 0, words, 0), 0);
	assert_int_equal(cfg_append_args(cfg, 0, NULL, 0), 0);
	assert_int_equal(a->argc, 4);
	assert_int_equal(cfg_append_args(cfg, 2, words, 1), -EINVAL);
	assert_int_equal(cfg_append_args(cfg, -1, words, 1), -EINVAL);

	/* Up to exactly ARGV_MAX_WORDS; past it -E2BIG and argv unchanged. */
	for (i = 0; i < ARGV_MAX_WORDS + 1; i++)
		words[i] = (char *)"w";
	assert_int_equal(cfg_append_args(cfg, 0, words, ARGV_MAX_WORDS - 3), -E2BIG);
	assert_int_equal(a->argc, 4);
	assert_null(a->argv[4]);
	assert_int_equal(cfg_append_args(cfg, 0, words, ARGV_MAX_WORDS - 4), 0);
	assert_int_equal(a->argc, ARGV_MAX_WORDS);
	assert_string_equal(a->argv[ARGV_MAX_WORDS - 1], "w");
	assert_null(a->argv[ARGV_MAX_WORDS]);
	assert_int_equal(cfg_append_args(cfg, 0, words, 1), -E2BIG);
	assert_int_equal(cfg_append_args(cfg, 1, words, ARGV_MAX_WORDS), -E2BIG);
	assert_int_equal(cfg_append_args(cfg, 1, words, ARGV_MAX_WORDS - 1), 0);
	assert_int_equal(svc(cfg, "b")->argc, ARGV_MAX_WORDS);
}

static void test_append_args_bytes(void **state)
{
	struct config *cfg = *state;
	static char word[1000];
	char *words[ARGV_MAX_WORDS];
	int n = ARGV_BYTES_MAX / (int)sizeof(word); /* 65 words of 1000 bytes with their NUL */

	memset(word, 'w', sizeof(word) - 1);
	for (int i = 0; i < ARGV_MAX_WORDS; i++)
		words[i] = word;
	load_ok(cfg, "[service:a]\ncommand = /bin/a\n"); /* 7 bytes */
	assert_int_equal(cfg_append_args(cfg, 0, words, n + 1), -E2BIG);
	assert_int_equal(svc(cfg, "a")->argc, 1);
	assert_int_equal(cfg_append_args(cfg, 0, words, n), 0);
	assert_int_equal(svc(cfg, "a")->argc, 1 + n);
	/* 65007 bytes now: a word of up to 529 bytes with its NUL still fits. */
	word[529] = '\0';
	assert_int_equal(cfg_append_args(cfg, 0, words, 1), -E2BIG);
	word[528] = '\0';
	assert_int_equal(cfg_append_args(cfg, 0, words, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_append_args),
		T(test_append_args_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

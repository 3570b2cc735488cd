/* Unit tests for config/parse.c: durations, shell-like words, signals, booleans, integers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"

static int64_t dur(const char *s)
{
	int64_t ms = -12345;

	assert_int_equal(parse_duration(s, &ms), 0);
	return ms;
}

static void test_duration_suffixes(void **state)
{
	(void)state;
	assert_int_equal(dur("100ms"), 100);
	assert_int_equal(dur("30s"), 30000);
	assert_int_equal(dur("5m"), 300000);
	assert_int_equal(dur("2h"), 7200000);
	assert_int_equal(dur("0ms"), 0);
	assert_int_equal(dur("0"), 0);
}

static void test_duration_bare_is_seconds(void **state)
{
	(void)state;
	assert_int_equal(dur("10"), 10000);
	assert_int_equal(dur("007"), 7000);
}

static void test_duration_whitespace(void **state)
{
	(void)state;
	assert_int_equal(dur("  15s"), 15000);
	assert_int_equal(dur("15s \t"), 15000);
	assert_int_equal(dur(" 15 s "), 15000);
	assert_int_equal(dur("\t250ms\n"), 250);
	assert_int_equal(dur(" 3 "), 3000);
}

static void test_duration_invalid(void **state)
{
	static const char *const bad[] = {
		"",	"   ",	"-5s", "+5s",	 "s",	 "ms",	"10x",	"10 sec",
		"1.5s", "10ss", "10S", "10 s x", "5m3s", "abc", "0x10", "10msx",
	};
	int64_t ms = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_duration(bad[i], &ms) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(ms, 42); /* untouched on error */
	}
}

static void test_duration_overflow(void **state)
{
	int64_t ms = 42;

	(void)state;
	/* INT64_MAX is 9223372036854775807. */
	assert_int_equal(parse_duration("9223372036854775807ms", &ms), 0);
	assert_true(ms == INT64_MAX);
	assert_int_equal(parse_duration("9223372036854775808ms", &ms), -ERANGE);
	assert_int_equal(parse_duration("99999999999999999999999", &ms), -ERANGE);
	assert_int_equal(parse_duration("9223372036854775807s", &ms), -ERANGE);
	assert_int_equal(parse_duration("3000000000000000h", &ms), -ERANGE);
	/* Syntax is judged before range. */
	assert_int_equal(parse_duration("99999999999999999999999x", &ms), -EINVAL);
}

static void test_format_duration(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(format_duration(100, buf, sizeof(buf)), "100ms");
	assert_string_equal(format_duration(1500, buf, sizeof(buf)), "1500ms");
	assert_string_equal(format_duration(30000, buf, sizeof(buf)), "30s");
	assert_string_equal(format_duration(90000, buf, sizeof(buf)), "90s");
	assert_string_equal(format_duration(300000, buf, sizeof(buf)), "5m");
	assert_string_equal(format_duration(5400000, buf, sizeof(buf)), "90m");
	assert_string_equal(format_duration(7200000, buf, sizeof(buf)), "2h");
	assert_string_equal(format_duration(0, buf, sizeof(buf)), "0s");
	assert_string_equal(format_duration(-2000, buf, sizeof(buf)), "-2s");
	assert_string_equal(format_duration(INT64_MAX, buf, sizeof(buf)), "9223372036854775807ms");
	assert_string_equal(format_duration(INT64_MIN, buf, sizeof(buf)), "-9223372036854775808ms");
	/* Truncated but terminated. */
	assert_string_equal(format_duration(30000, buf, 3), "30");
	assert_string_equal(format_duration(30000, buf, 1), "");
}

static void test_format_duration_round_trip(void **state)
{
	static const int64_t values[] = { 1, 999, 1000, 61000, 60000, 3600000, 86400000 };
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_true(dur(format_duration(values[i], buf, sizeof(buf))) == values[i]);
}

/* Splits s and compares with the expected words (NULL-terminated). */
static void check_split(const char *s, const char *const *expect)
{
	const char *err = "untouched";
	char **argv = NULL;
	int argc = -1, n = 0;

	while (expect[n])
		n++;
	assert_int_equal(argv_split(s, &argv, &argc, &err), 0);
	assert_non_null(argv);
	assert_int_equal(argc, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(argv[i], expect[i]);
	assert_null(argv[n]);
	argv_free(argv);
}

static void check_split_error(const char *s, int code, const char *msg)
{
	const char *err = NULL;
	char **argv = (char **)&err;
	int argc = -1;

	assert_int_equal(argv_split(s, &argv, &argc, &err), code);
	assert_null(argv);
	assert_int_equal(argc, 0);
	assert_non_null(err);
	assert_string_equal(err, msg);
}

static void test_split_plain(void **state)
{
	(void)state;
	check_split("/usr/bin/containerd --log-level warn",
		    (const char *const[]){ "/usr/bin/containerd", "--log-level", "warn", NULL });
	check_split("one", (const char *const[]){ "one", NULL });
}

static void test_split_blanks(void **state)
{
	(void)state;
	check_split("  a \t  b\t\tc   ", (const char *const[]){ "a", "b", "c", NULL });
	check_split("", (const char *const[]){ NULL });
	check_split("  \t ", (const char *const[]){ NULL });
}

static void test_split_single_quotes(void **state)
{
	(void)state;
	check_split("sh -c 'echo $HOME \"x\" \\n'",
		    (const char *const[]){ "sh", "-c", "echo $HOME \"x\" \\n", NULL });
	check_split("a'b c'd", (const char *const[]){ "ab cd", NULL });
}

static void test_split_double_quotes(void **state)
{
	(void)state;
	check_split("\"a b\" \"q\\\"q\" \"b\\\\s\" \"d\\$x\" \"t\\`x\"",
		    (const char *const[]){ "a b", "q\"q", "b\\s", "d$x", "t`x", NULL });
	/* Other backslashes stay literal inside double quotes. */
	check_split("\"\\n\\a\"", (const char *const[]){ "\\n\\a", NULL });
	check_split("\"it's\"", (const char *const[]){ "it's", NULL });
}

static void test_split_backslash(void **state)
{
	(void)state;
	check_split("a\\ b c\\'d \\\"e\\\\", (const char *const[]){ "a b", "c'd", "\"e\\", NULL });
	check_split("\\$HOME", (const char *const[]){ "$HOME", NULL });
}

static void test_split_empty_quotes(void **state)
{
	(void)state;
	check_split("a \"\" b", (const char *const[]){ "a", "", "b", NULL });
	check_split("''", (const char *const[]){ "", NULL });
	check_split("x=''", (const char *const[]){ "x=", NULL });
}

static void test_split_errors(void **state)
{
	(void)state;
	check_split_error("echo 'abc", -EINVAL, "unterminated single quote");
	check_split_error("echo \"abc", -EINVAL, "unterminated double quote");
	check_split_error("echo \"abc\\\"", -EINVAL, "unterminated double quote");
	check_split_error("echo abc\\", -EINVAL, "trailing backslash");
}

static void test_split_word_limit(void **state)
{
	char s[ARGV_MAX_WORDS * 2 + 8], **argv = NULL;
	const char *err = NULL;
	int argc = 0, i;

	(void)state;
	for (i = 0; i < ARGV_MAX_WORDS; i++) {
		s[2 * i] = 'w';
		s[2 * i + 1] = ' ';
	}
	s[2 * ARGV_MAX_WORDS] = '\0';
	assert_int_equal(argv_split(s, &argv, &argc, &err), 0);
	assert_int_equal(argc, ARGV_MAX_WORDS);
	assert_null(argv[ARGV_MAX_WORDS]);
	argv_free(argv);

	strcat(s, "x");
	check_split_error(s, -E2BIG, "too many words (limit 256)");
}

static void test_argv_free_null(void **state)
{
	(void)state;
	argv_free(NULL);
}

static void test_argv_format(void **state)
{
	/* argv_format() takes argv as exec does (char *const *); the words are never written. */
	char *const argv[] = { (char *)"/bin/sh", (char *)"-c",	 (char *)"echo it's",
			       (char *)"",	  (char *)"a=b", NULL };
	char *const none[] = { NULL };
	char buf[128], small[12];

	(void)state;
	assert_string_equal(argv_format(argv, buf, sizeof(buf)),
			    "/bin/sh -c 'echo it'\\''s' '' a=b");
	assert_string_equal(argv_format(none, buf, sizeof(buf)), "");
	/* Cut output ends in "..." and stays within the buffer. */
	assert_string_equal(argv_format(argv, small, sizeof(small)), "/bin/sh ...");
	assert_true(strlen(small) < sizeof(small));
}

static void test_argv_format_round_trip(void **state)
{
	char *const argv[] = { (char *)"a b", (char *)"it's",	     (char *)"\"q\"",
			       (char *)"$x",  (char *)"back\\slash", (char *)"",
			       NULL };
	char buf[256], **back = NULL;
	const char *err = NULL;
	int argc = 0, i;

	(void)state;
	assert_int_equal(argv_split(argv_format(argv, buf, sizeof(buf)), &back, &argc, &err), 0);
	assert_int_equal(argc, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(back[i], argv[i]);
	argv_free(back);
}

static void test_signal_names(void **state)
{
	(void)state;
	assert_int_equal(parse_signal("TERM"), SIGTERM);
	assert_int_equal(parse_signal("SIGTERM"), SIGTERM);
	assert_int_equal(parse_signal("term"), SIGTERM);
	assert_int_equal(parse_signal("sigTerm"), SIGTERM);
	assert_int_equal(parse_signal("HUP"), SIGHUP);
	assert_int_equal(parse_signal("INT"), SIGINT);
	assert_int_equal(parse_signal("QUIT"), SIGQUIT);
	assert_int_equal(parse_signal("KILL"), SIGKILL);
	assert_int_equal(parse_signal("USR1"), SIGUSR1);
	assert_int_equal(parse_signal("SIGUSR2"), SIGUSR2);
	assert_int_equal(parse_signal("WINCH"), SIGWINCH);
	assert_int_equal(parse_signal("STOP"), SIGSTOP);
	assert_int_equal(parse_signal("PWR"), SIGPWR);
	assert_int_equal(parse_signal("IOT"), SIGABRT);
	assert_int_equal(parse_signal("CLD"), SIGCHLD);
}

static void test_signal_numbers(void **state)
{
	(void)state;
	assert_int_equal(parse_signal("15"), 15);
	assert_int_equal(parse_signal("1"), 1);
	assert_int_equal(parse_signal("64"), 64);
	assert_int_equal(parse_signal("34"), 34);
}

static void test_signal_invalid(void **state)
{
	static const char *const bad[] = {
		"",    "0",	 "65",	  "-1",	 "999999999999", "FOO",
		"SIG", "SIGFOO", "TERM ", "15x", "sig15",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_signal(bad[i]) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	assert_int_equal(parse_signal(NULL), -EINVAL);
}

static void test_signal_name(void **state)
{
	int sig;

	(void)state;
	assert_string_equal(signal_name(SIGTERM), "TERM");
	assert_string_equal(signal_name(SIGKILL), "KILL");
	assert_string_equal(signal_name(SIGABRT), "ABRT");
	assert_string_equal(signal_name(SIGCHLD), "CHLD");
	assert_string_equal(signal_name(SIGSYS), "SYS");
	assert_null(signal_name(0));
	assert_string_equal(signal_name(32), "32");
	assert_string_equal(signal_name(34), "RTMIN");
	assert_string_equal(signal_name(40), "RTMIN+6");
	assert_string_equal(signal_name(60), "RTMAX-4");
	assert_string_equal(signal_name(64), "RTMAX");
	assert_null(signal_name(65));
	assert_null(signal_name(-1));
	/* Every standard signal has a name that parses back to it. */
	for (sig = 1; sig <= 31; sig++) {
		const char *name = signal_name(sig);

		if (!name)
			fail_msg("signal %d has no name", sig);
		assert_int_equal(parse_signal(name), sig);
	}
}

static void test_bool(void **state)
{
	static const char *const yes[] = { "yes", "YES", "true", "True", "on", "ON", "1" };
	static const char *const no[] = { "no", "No", "false", "FALSE", "off", "Off", "0" };
	static const char *const bad[] = { "", "y", "n", "2", "yess", "enable", " yes" };
	bool b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = false;
		assert_int_equal(parse_bool(yes[i], &b), 0);
		assert_true(b);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = true;
		assert_int_equal(parse_bool(no[i], &b), 0);
		assert_false(b);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse_bool(bad[i], &b) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
}

static void test_uint(void **state)
{
	int v = -1;

	(void)state;
	assert_int_equal(parse_uint("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_uint("2147483647", &v), 0);
	assert_int_equal(v, 2147483647);
	assert_int_equal(parse_uint("2147483648", &v), -ERANGE);
	assert_int_equal(parse_uint("99999999999999999999", &v), -ERANGE);
	assert_int_equal(parse_uint("", &v), -EINVAL);
	assert_int_equal(parse_uint("-1", &v), -EINVAL);
	assert_int_equal(parse_uint("+1", &v), -EINVAL);
	assert_int_equal(parse_uint("1x", &v), -EINVAL);
	assert_int_equal(parse_uint(" 1", &v), -EINVAL);
	assert_int_equal(parse_uint("99999999999999999999x", &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_suffixes),
		cmocka_unit_test(test_duration_bare_is_seconds),
		cmocka_unit_test(test_duration_whitespace),
		cmocka_unit_test(test_duration_invalid),
		cmocka_unit_test(test_duration_overflow),
		cmocka_unit_test(test_format_duration),
		cmocka_unit_test(test_format_duration_round_trip),
		cmocka_unit_test(test_split_plain),
		cmocka_unit_test(test_split_blanks),
		cmocka_unit_test(test_split_single_quotes),
		cmocka_unit_test(test_split_double_quotes),
		cmocka_unit_test(test_split_backslash),
		cmocka_unit_test(test_split_empty_quotes),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_split_word_limit),
		cmocka_unit_test(test_argv_free_null),
		cmocka_unit_test(test_argv_format),
		cmocka_unit_test(test_argv_format_round_trip),
		cmocka_unit_test(test_signal_names),
		cmocka_unit_test(test_signal_numbers),
		cmocka_unit_test(test_signal_invalid),
		cmocka_unit_test(test_signal_name),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_uint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

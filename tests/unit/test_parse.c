/* Unit tests for config/parse.c: durations, shell-like words, signals, booleans, integers, probe
 * specs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "config/config.h"
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

/* The AGE column of dind-ctl status (issue 9 item 17: "219110ms" overflowed it). */
static void test_format_age(void **state)
{
	static const struct {
		int64_t ms;
		const char *want;
	} cases[] = {
		{ 0, "0ms" },
		{ 1, "1ms" },
		{ 850, "850ms" },
		{ 999, "999ms" },
		{ 1000, "1s" },
		{ 1999, "1s" }, /* cut down, not rounded */
		{ 42000, "42s" },
		{ 59999, "59s" },
		{ 60000, "1m00s" },
		{ 219110, "3m39s" },
		{ 3599999, "59m59s" },
		{ 3600000, "1h00m" },
		{ 3720000, "1h02m" },
		{ 86399999, "23h59m" },
		{ 86400000, "1d00h" },
		{ 2 * 86400000LL + 3 * 3600000 + 59 * 60000, "2d03h" },
		{ 400 * 86400000LL, "400d00h" },
		{ INT64_MAX, "106751991167d07h" },
		{ -5, "0ms" },
		{ INT64_MIN, "0ms" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = format_age(cases[i].ms, buf, sizeof(buf));

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("format_age(%lld) = '%s', expected '%s'", (long long)cases[i].ms,
				 got, cases[i].want);
	}
	/* Everything a service can reach in a year fits the 8-wide column. */
	assert_true(strlen(format_age(365 * 86400000LL, buf, sizeof(buf))) <= 8);
	/* Truncated but terminated. */
	assert_string_equal(format_age(219110, buf, 3), "3m");
	assert_string_equal(format_age(219110, buf, 1), "");
	assert_null(format_age(1, NULL, 8));
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

/* Probe specs. */

#define FORMS                                                                                      \
	"expected: notify, socket PATH, http SOCKET-PATH|HOST:PORT URL-PATH, tcp HOST:PORT, exec " \
	"COMMAND [ARGS], file PATH"

static void probe_ok(const char *s, struct probe_spec *p)
{
	const char *err = "untouched";
	int r = probe_spec_parse(s, p, &err);

	if (r != 0)
		fail_msg("'%s' was refused: %d %s", s, r, err);
	assert_null(err);
}

/* Refused with exactly msg, and *p left empty. */
static void probe_bad(const char *s, const char *msg)
{
	struct probe_spec p;
	const char *err = NULL;
	int r;

	memset(&p, 0x5a, sizeof(p));
	r = probe_spec_parse(s, &p, &err);
	if (r != -EINVAL)
		fail_msg("'%s' gave %d, expected -EINVAL", s, r);
	if (!err || strcmp(err, msg) != 0)
		fail_msg("'%s': error '%s', expected '%s'", s, err ? err : "(null)", msg);
	assert_int_equal(p.kind, PROBE_NONE);
	assert_null(p.path);
	assert_null(p.http_path);
	assert_null(p.argv);
	assert_int_equal(p.addrlen, 0);
}

static void assert_ipv4(const struct probe_spec *p, const char *ip, int port)
{
	const struct sockaddr_in *a = (const struct sockaddr_in *)&p->addr;
	char buf[INET_ADDRSTRLEN];

	assert_int_equal(p->addrlen, sizeof(struct sockaddr_in));
	assert_int_equal(a->sin_family, AF_INET);
	assert_int_equal(ntohs(a->sin_port), port);
	assert_non_null(inet_ntop(AF_INET, &a->sin_addr, buf, sizeof(buf)));
	assert_string_equal(buf, ip);
}

static void assert_ipv6(const struct probe_spec *p, const char *ip, int port)
{
	const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&p->addr;
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(p->addrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(a->sin6_family, AF_INET6);
	assert_int_equal(ntohs(a->sin6_port), port);
	assert_non_null(inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof(buf)));
	assert_string_equal(buf, ip);
}

static void test_probe_notify(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("notify", &p);
	assert_int_equal(p.kind, PROBE_NOTIFY);
	assert_null(p.path);
	assert_null(p.argv);
	assert_int_equal(p.addrlen, 0);
	probe_spec_release(&p);
	probe_ok("  notify  ", &p);
	assert_int_equal(p.kind, PROBE_NOTIFY);
	probe_spec_release(&p);
	probe_bad("notify now", "expected: notify, with nothing after it");
}

static void test_probe_socket(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("socket /run/containerd/containerd.sock", &p);
	assert_int_equal(p.kind, PROBE_SOCKET);
	assert_string_equal(p.path, "/run/containerd/containerd.sock");
	assert_null(p.http_path);
	assert_int_equal(p.addrlen, 0);
	probe_spec_release(&p);
	/* Quoting as in command. */
	probe_ok("socket '/run/my dir/s.sock'", &p);
	assert_string_equal(p.path, "/run/my dir/s.sock");
	probe_spec_release(&p);
	probe_bad("socket", "expected: socket PATH");
	probe_bad("socket /a /b", "expected: socket PATH");
	probe_bad("socket run/x.sock", "the socket path must be absolute: start it with '/'");
}

static void test_probe_socket_path_limit(void **state)
{
	char path[200], spec[220];
	struct probe_spec p;

	(void)state;
	/* 107 bytes is the most sun_path holds with its NUL. */
	memset(path, 'x', sizeof(path));
	path[0] = '/';
	path[107] = '\0';
	snprintf(spec, sizeof(spec), "socket %s", path);
	probe_ok(spec, &p);
	assert_int_equal(strlen(p.path), 107);
	probe_spec_release(&p);
	snprintf(spec, sizeof(spec), "http %s /_ping", path);
	probe_ok(spec, &p);
	assert_int_equal(strlen(p.path), 107);
	probe_spec_release(&p);

	path[107] = 'x';
	path[108] = '\0';
	snprintf(spec, sizeof(spec), "socket %s", path);
	probe_bad(spec, "unix socket path too long (limit 107 bytes)");
	snprintf(spec, sizeof(spec), "http %s /_ping", path);
	probe_bad(spec, "unix socket path too long (limit 107 bytes)");
	/* A file path has no such limit. */
	snprintf(spec, sizeof(spec), "file %s", path);
	probe_ok(spec, &p);
	probe_spec_release(&p);
}

static void test_probe_http_unix(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("http /var/run/docker.sock /_ping", &p);
	assert_int_equal(p.kind, PROBE_HTTP);
	assert_string_equal(p.path, "/var/run/docker.sock");
	assert_string_equal(p.http_path, "/_ping");
	assert_int_equal(p.addrlen, 0);
	probe_spec_release(&p);
	probe_ok("http\t/run/a.sock\t/v1/health?full=1", &p);
	assert_string_equal(p.http_path, "/v1/health?full=1");
	probe_spec_release(&p);
}

static void test_probe_http_tcp(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("http 127.0.0.1:2375 /_ping", &p);
	assert_int_equal(p.kind, PROBE_HTTP);
	assert_null(p.path);
	assert_string_equal(p.http_path, "/_ping");
	assert_ipv4(&p, "127.0.0.1", 2375);
	probe_spec_release(&p);
	probe_ok("http [::1]:8080 /", &p);
	assert_ipv6(&p, "::1", 8080);
	assert_string_equal(p.http_path, "/");
	probe_spec_release(&p);
	probe_ok("http localhost:80 /healthz", &p);
	assert_ipv4(&p, "127.0.0.1", 80);
	probe_spec_release(&p);
}

static void test_probe_http_bad(void **state)
{
	static const char usage[] = "expected: http SOCKET-PATH|HOST:PORT URL-PATH";
	static const char url[] =
		"URL-PATH must start with '/' and hold no blanks or control characters";

	(void)state;
	probe_bad("http", usage);
	probe_bad("http /var/run/docker.sock", usage);
	probe_bad("http 127.0.0.1:2375", usage);
	probe_bad("http /var/run/docker.sock /_ping extra", usage);
	probe_bad("http /var/run/docker.sock _ping", url);
	probe_bad("http /var/run/docker.sock 'http://x/_ping'", url);
	probe_bad("http 127.0.0.1:2375 '/a b'", url);
	probe_bad("http 127.0.0.1:2375 \"/a\tb\"", url);
	probe_bad("http 127.0.0.1:2375 '/a\x01'", url);
	probe_bad("http 127.0.0.1:2375 '/a\x7f'", url);
	probe_bad("http 127.0.0.1:0 /_ping", "bad port: use 1 to 65535");
	probe_bad("http docker:2375 /_ping",
		  "HOST must be an IP address or localhost (no DNS lookups)");
	probe_bad("http run/docker.sock /_ping", "expected HOST:PORT, e.g. 127.0.0.1:2375");
}

static void test_probe_tcp(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("tcp 127.0.0.1:2375", &p);
	assert_int_equal(p.kind, PROBE_TCP);
	assert_null(p.path);
	assert_null(p.http_path);
	assert_ipv4(&p, "127.0.0.1", 2375);
	probe_spec_release(&p);
	probe_ok("tcp 10.1.2.3:1", &p);
	assert_ipv4(&p, "10.1.2.3", 1);
	probe_spec_release(&p);
	probe_ok("tcp 0.0.0.0:65535", &p);
	assert_ipv4(&p, "0.0.0.0", 65535);
	probe_spec_release(&p);
	probe_ok("tcp localhost:2375", &p);
	assert_ipv4(&p, "127.0.0.1", 2375);
	probe_spec_release(&p);
	probe_ok("tcp [::1]:2375", &p);
	assert_ipv6(&p, "::1", 2375);
	probe_spec_release(&p);
	probe_ok("tcp [fd00::1:2]:443", &p);
	assert_ipv6(&p, "fd00::1:2", 443);
	probe_spec_release(&p);
	probe_ok("tcp [::ffff:127.0.0.1]:80", &p);
	assert_ipv6(&p, "::ffff:127.0.0.1", 80);
	probe_spec_release(&p);
}

static void test_probe_tcp_bad(void **state)
{
	static const char host[] = "HOST must be an IP address or localhost (no DNS lookups)";
	static const char port[] = "bad port: use 1 to 65535";

	(void)state;
	probe_bad("tcp", "expected: tcp HOST:PORT");
	probe_bad("tcp 127.0.0.1:1 127.0.0.1:2", "expected: tcp HOST:PORT");
	probe_bad("tcp 127.0.0.1", "expected HOST:PORT, e.g. 127.0.0.1:2375");
	probe_bad("tcp 2375", "expected HOST:PORT, e.g. 127.0.0.1:2375");
	probe_bad("tcp 127.0.0.1:", port);
	probe_bad("tcp 127.0.0.1:0", port);
	probe_bad("tcp 127.0.0.1:65536", port);
	probe_bad("tcp 127.0.0.1:99999999999", port);
	probe_bad("tcp 127.0.0.1:-1", port);
	probe_bad("tcp 127.0.0.1:+80", port);
	probe_bad("tcp 127.0.0.1:80x", port);
	probe_bad("tcp 127.0.0.1: 80", "expected: tcp HOST:PORT");
	probe_bad("tcp :2375", host);
	probe_bad("tcp example.com:80", host);
	probe_bad("tcp docker:2375", host);
	probe_bad("tcp LOCALHOST:80", host);
	probe_bad("tcp 127.1:80", host);
	probe_bad("tcp 256.0.0.1:80", host);
	probe_bad("tcp 1.2.3.4.5:80", host);
	/* IPv6 needs brackets, and brackets hold only IPv6. */
	probe_bad("tcp ::1:2375", "put an IPv6 HOST in brackets: [::1]:2375");
	probe_bad("tcp [::1]", "expected HOST:PORT, an IPv6 address in brackets: [::1]:2375");
	probe_bad("tcp [::1:2375", "expected HOST:PORT, an IPv6 address in brackets: [::1]:2375");
	probe_bad("tcp [::1]2375", "expected HOST:PORT, an IPv6 address in brackets: [::1]:2375");
	probe_bad("tcp [::1]:0", port);
	probe_bad("tcp []:80", host);
	probe_bad("tcp [127.0.0.1]:80", host);
	probe_bad("tcp [localhost]:80", host);
	probe_bad("tcp [fe80::1%eth0]:80", host);
	probe_bad("tcp [:::]:80", host);
}

static void test_probe_exec(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("exec /usr/local/bin/check --fast", &p);
	assert_int_equal(p.kind, PROBE_EXEC);
	assert_int_equal(p.argc, 2);
	assert_string_equal(p.argv[0], "/usr/local/bin/check");
	assert_string_equal(p.argv[1], "--fast");
	assert_null(p.argv[2]);
	assert_null(p.path);
	probe_spec_release(&p);
	/* Split like command: quotes, escapes, and a command found in PATH. */
	probe_ok("exec sh -c 'test -S /run/x.sock' \"a \\\"b\\\"\" c\\ d", &p);
	assert_int_equal(p.argc, 5);
	assert_string_equal(p.argv[0], "sh");
	assert_string_equal(p.argv[2], "test -S /run/x.sock");
	assert_string_equal(p.argv[3], "a \"b\"");
	assert_string_equal(p.argv[4], "c d");
	assert_null(p.argv[5]);
	probe_spec_release(&p);
	probe_ok("exec true", &p);
	assert_int_equal(p.argc, 1);
	assert_null(p.argv[1]);
	probe_spec_release(&p);
	probe_bad("exec", "expected: exec COMMAND [ARGS]");
	probe_bad("exec   ", "expected: exec COMMAND [ARGS]");
	probe_bad("exec sh -c 'oops", "unterminated single quote");
	probe_bad("exec \"oops", "unterminated double quote");
}

static void test_probe_file(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("file /run/foo.ready", &p);
	assert_int_equal(p.kind, PROBE_FILE);
	assert_string_equal(p.path, "/run/foo.ready");
	probe_spec_release(&p);
	probe_bad("file", "expected: file PATH");
	probe_bad("file /a /b", "expected: file PATH");
	probe_bad("file foo.ready", "the file path must be absolute: start it with '/'");
	probe_bad("file ''", "the file path must be absolute: start it with '/'");
}

static void test_probe_bad_kind(void **state)
{
	(void)state;
	probe_bad("", FORMS);
	probe_bad("   ", FORMS);
	probe_bad("ping 127.0.0.1", FORMS);
	probe_bad("NOTIFY", FORMS);
	probe_bad("/run/x.sock", FORMS);
	probe_bad("'socket /run/x.sock'", FORMS);
	probe_bad("'oops", "unterminated single quote");
}

static void test_probe_release_twice(void **state)
{
	struct probe_spec p;

	(void)state;
	probe_ok("http /run/a.sock /x", &p);
	probe_spec_release(&p);
	assert_int_equal(p.kind, PROBE_NONE);
	assert_null(p.path);
	assert_null(p.http_path);
	probe_spec_release(&p); /* released twice: nothing left to free */
	probe_spec_release(NULL);
}

static void test_probe_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "notify", "notify" },
		{ " socket   /run/c.sock ", "socket /run/c.sock" },
		{ "http /var/run/docker.sock /_ping", "http /var/run/docker.sock /_ping" },
		{ "http 127.0.0.1:2375 /_ping", "http 127.0.0.1:2375 /_ping" },
		{ "http [::1]:2375 /_ping", "http [::1]:2375 /_ping" },
		{ "http localhost:2375 /_ping", "http 127.0.0.1:2375 /_ping" },
		{ "tcp [0:0::1]:80", "tcp [::1]:80" },
		{ "tcp 10.0.0.1:443", "tcp 10.0.0.1:443" },
		{ "exec /bin/check --fast", "exec /bin/check --fast" },
		{ "exec sh -c 'exit 0'", "exec sh -c 'exit 0'" },
		{ "file /run/foo.ready", "file /run/foo.ready" },
		{ "file '/run/a b'", "file '/run/a b'" },
		{ "http /run/a.sock '/x?y=1&z'", "http /run/a.sock '/x?y=1&z'" },
	};
	struct probe_spec p = { 0 };
	char buf[256], small[10];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		probe_ok(cases[i].in, &p);
		assert_string_equal(probe_spec_format(&p, buf, sizeof(buf)), cases[i].out);
		probe_spec_release(&p);
	}
	assert_string_equal(probe_spec_format(&p, buf, sizeof(buf)), "none");
	/* Cut output stays within the buffer. */
	probe_ok("exec /usr/local/bin/check --fast", &p);
	assert_true(strlen(probe_spec_format(&p, small, sizeof(small))) < sizeof(small));
	assert_int_equal(strncmp(small, "exec ", 5), 0);
	probe_spec_release(&p);
	probe_ok("socket /run/containerd/containerd.sock", &p);
	assert_true(strlen(probe_spec_format(&p, small, sizeof(small))) < sizeof(small));
	probe_spec_release(&p);
	assert_null(probe_spec_format(&p, NULL, 0));
}

/* What format writes parses back to the same probe. */
static void test_probe_format_round_trip(void **state)
{
	static const char *const specs[] = {
		"notify",
		"socket '/run/with space/x.sock'",
		"http /var/run/docker.sock /_ping",
		"http [fd00::5]:2375 '/v1.41/info?x=\"1\"'",
		"tcp 192.168.1.1:8080",
		"exec sh -c 'echo \"it'\\''s\"' ''",
		"file \"/run/it's ready\"",
	};
	struct probe_spec a, b;
	char buf[256];
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		probe_ok(specs[i], &a);
		probe_ok(probe_spec_format(&a, buf, sizeof(buf)), &b);
		assert_int_equal(a.kind, b.kind);
		if (a.path)
			assert_string_equal(a.path, b.path);
		if (a.http_path)
			assert_string_equal(a.http_path, b.http_path);
		assert_int_equal(a.addrlen, b.addrlen);
		assert_memory_equal(&a.addr, &b.addr, a.addrlen);
		assert_int_equal(a.argc, b.argc);
		for (k = 0; k < a.argc; k++)
			assert_string_equal(a.argv[k], b.argv[k]);
		probe_spec_release(&a);
		probe_spec_release(&b);
	}
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
		cmocka_unit_test(test_format_age),
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
		cmocka_unit_test(test_probe_notify),
		cmocka_unit_test(test_probe_socket),
		cmocka_unit_test(test_probe_socket_path_limit),
		cmocka_unit_test(test_probe_http_unix),
		cmocka_unit_test(test_probe_http_tcp),
		cmocka_unit_test(test_probe_http_bad),
		cmocka_unit_test(test_probe_tcp),
		cmocka_unit_test(test_probe_tcp_bad),
		cmocka_unit_test(test_probe_exec),
		cmocka_unit_test(test_probe_file),
		cmocka_unit_test(test_probe_bad_kind),
		cmocka_unit_test(test_probe_release_twice),
		cmocka_unit_test(test_probe_format),
		cmocka_unit_test(test_probe_format_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

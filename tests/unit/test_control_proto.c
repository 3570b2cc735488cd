/* Unit tests for supervisor/control_proto.c: request parsing and JSON string escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/control_proto.h"

#define UNKNOWN "': expected status, health, wait, start, stop, restart or kill"

/* Parse a copy of text (the parser writes into its line). */
static int parse(const char *text, char *line, size_t len, struct ctl_request *req,
		 const char **err)
{
	assert_true(strlen(text) < len);
	strcpy(line, text);
	*err = "untouched";
	return ctl_parse_request(line, req, err);
}

static void req_ok(const char *text, enum ctl_verb verb, int nnames)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;
	int r = parse(text, line, sizeof(line), &req, &err);

	if (r != 0)
		fail_msg("'%s' was refused: %s", text, err);
	assert_null(err);
	assert_int_equal(req.verb, verb);
	assert_int_equal(req.nnames, nnames);
}

static void req_bad(const char *text, const char *msg)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;
	int r = parse(text, line, sizeof(line), &req, &err);

	if (r != -EINVAL)
		fail_msg("'%s' gave %d, expected -EINVAL", text, r);
	if (!err || strcmp(err, msg) != 0)
		fail_msg("'%s': error '%s', expected '%s'", text, err ? err : "(null)", msg);
	assert_int_equal(req.nnames, 0);
}

static void test_status(void **state)
{
	(void)state;
	req_ok("status", CTL_STATUS, 0);
	req_ok("status json", CTL_STATUS_JSON, 0);
	req_ok("  status \t json\t", CTL_STATUS_JSON, 0);
	req_ok("status\r", CTL_STATUS, 0);
	req_ok("status json\r", CTL_STATUS_JSON, 0);
	req_ok("status table", CTL_STATUS, 0);
	req_bad("STATUS", "unknown command 'STATUS" UNKNOWN);
}

/* status NAME...: names keep only those services; the format word comes first, so a service
 * called json or table can still be named after it. */
static void test_status_names(void **state)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;

	(void)state;
	req_ok("status dockerd", CTL_STATUS, 1);
	req_ok("status xml", CTL_STATUS, 1); /* a name: the server knows the services */
	req_ok("status --json", CTL_STATUS, 1);
	req_ok("status table a b", CTL_STATUS, 2);
	req_ok("status json a b c", CTL_STATUS_JSON, 3);
	assert_int_equal(parse("status table json", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.verb, CTL_STATUS);
	assert_int_equal(req.nnames, 1);
	assert_string_equal(req.names[0], "json");
	assert_int_equal(parse("status json table json", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.verb, CTL_STATUS_JSON);
	assert_int_equal(req.nnames, 2);
	assert_string_equal(req.names[0], "table");
	assert_string_equal(req.names[1], "json");
	assert_int_equal(parse("status okapi error-tracker", line, sizeof(line), &req, &err), 0);
	assert_string_equal(req.names[0], "okapi");
	assert_string_equal(req.names[1], "error-tracker");
}

static void test_status_name_limit(void **state)
{
	static const char *const heads[] = { "status", "status table", "status json" };
	char text[CONTROL_LINE_MAX], line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;
	size_t pos, h;
	int i;

	(void)state;
	for (h = 0; h < sizeof(heads) / sizeof(heads[0]); h++) {
		pos = (size_t)snprintf(text, sizeof(text), "%s", heads[h]);
		for (i = 0; i < CONTROL_NAMES_MAX; i++)
			pos += (size_t)snprintf(text + pos, sizeof(text) - pos, " s%d", i);
		assert_int_equal(parse(text, line, sizeof(line), &req, &err), 0);
		assert_int_equal(req.nnames, CONTROL_NAMES_MAX);
		assert_string_equal(req.names[CONTROL_NAMES_MAX - 1], "s63");
		(void)snprintf(text + pos, sizeof(text) - pos, " s64");
		req_bad(text, "too many names (limit 64)");
	}
}

static void test_health(void **state)
{
	(void)state;
	req_ok("health", CTL_HEALTH, 0);
	req_ok("health\r", CTL_HEALTH, 0);
	req_bad("health dockerd", "'health' takes no arguments");
}

static void test_wait(void **state)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;

	(void)state;
	req_ok("wait", CTL_WAIT, 0);
	assert_int_equal(parse("wait  containerd\tdockerd \r", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.verb, CTL_WAIT);
	assert_int_equal(req.nnames, 2);
	assert_string_equal(req.names[0], "containerd");
	assert_string_equal(req.names[1], "dockerd");
	/* Names point into the line. */
	assert_true(req.names[0] > line && req.names[0] < line + sizeof(line));
	/* Names are not checked here: the server knows the services. */
	req_ok("wait no-such-service 'odd", CTL_WAIT, 2);
}

static void test_wait_name_limit(void **state)
{
	char text[CONTROL_LINE_MAX], line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;
	size_t pos;
	int i;

	(void)state;
	pos = (size_t)snprintf(text, sizeof(text), "wait");
	for (i = 0; i < CONTROL_NAMES_MAX; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, " s%d", i);
	assert_int_equal(parse(text, line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.nnames, CONTROL_NAMES_MAX);
	assert_string_equal(req.names[0], "s0");
	assert_string_equal(req.names[CONTROL_NAMES_MAX - 1], "s63");

	(void)snprintf(text + pos, sizeof(text) - pos, " s64");
	req_bad(text, "too many names (limit 64)");
	/* Far more words than names: still one clear error. */
	pos = (size_t)snprintf(text, sizeof(text), "wait");
	for (i = 0; i < 300; i++)
		pos += (size_t)snprintf(text + pos, sizeof(text) - pos, " x");
	req_bad(text, "too many names (limit 64)");
}

static void test_one_name_verbs(void **state)
{
	static const struct {
		const char *verb;
		enum ctl_verb v;
	} verbs[] = { { "start", CTL_START }, { "stop", CTL_STOP }, { "restart", CTL_RESTART } };
	char text[128], msg[128], line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		snprintf(text, sizeof(text), "%s dockerd", verbs[i].verb);
		assert_int_equal(parse(text, line, sizeof(line), &req, &err), 0);
		assert_int_equal(req.verb, verbs[i].v);
		assert_int_equal(req.nnames, 1);
		assert_string_equal(req.names[0], "dockerd");

		snprintf(text, sizeof(text), "\t%s   web@1\r", verbs[i].verb);
		assert_int_equal(parse(text, line, sizeof(line), &req, &err), 0);
		assert_string_equal(req.names[0], "web@1");

		snprintf(msg, sizeof(msg), "'%s' needs a service name", verbs[i].verb);
		req_bad(verbs[i].verb, msg);
		snprintf(text, sizeof(text), "%s  ", verbs[i].verb);
		req_bad(text, msg);

		snprintf(msg, sizeof(msg), "'%s' takes one service name", verbs[i].verb);
		snprintf(text, sizeof(text), "%s a b", verbs[i].verb);
		req_bad(text, msg);
	}
}

static void test_kill(void **state)
{
	static const char usage[] = "'kill' needs a service name and a signal";
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;

	(void)state;
	assert_int_equal(parse("kill dockerd HUP", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.verb, CTL_KILL);
	assert_int_equal(req.nnames, 1);
	assert_string_equal(req.names[0], "dockerd");
	assert_int_equal(req.signal, SIGHUP);
	assert_int_equal(parse("kill web SIGUSR1\r", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.signal, SIGUSR1);
	assert_int_equal(parse("kill web 9", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.signal, SIGKILL);
	assert_int_equal(parse("kill web rtmin", line, sizeof(line), &req, &err), -EINVAL);
	assert_int_equal(parse("kill web term", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.signal, SIGTERM);

	req_bad("kill", usage);
	req_bad("kill web", usage);
	req_bad("kill web TERM now", usage);
	req_bad("kill web FOO", "bad signal 'FOO': use a name like TERM or a number from 1 to 64");
	req_bad("kill web 0", "bad signal '0': use a name like TERM or a number from 1 to 64");
	req_bad("kill web 65", "bad signal '65': use a name like TERM or a number from 1 to 64");
	req_bad("kill web -9", "bad signal '-9': use a name like TERM or a number from 1 to 64");
}

static void test_empty(void **state)
{
	(void)state;
	req_bad("", "empty request");
	req_bad("   \t ", "empty request");
	req_bad("\r", "empty request");
}

static void test_unknown_command(void **state)
{
	char text[200], msg[300];

	(void)state;
	req_bad("reboot", "unknown command 'reboot" UNKNOWN);
	req_bad("status-json", "unknown command 'status-json" UNKNOWN);
	req_bad("--json status", "unknown command '--json" UNKNOWN);
	req_bad("GET / HTTP/1.1", "unknown command 'GET" UNKNOWN);
	/* A long word is quoted only in part: the answer stays one short line. */
	memset(text, 'a', 150);
	text[150] = '\0';
	snprintf(msg, sizeof(msg), "unknown command '%.40s" UNKNOWN, text);
	req_bad(text, msg);
	/* ...and never ends inside a UTF-8 character (2-byte e-acute at bytes 39-40). */
	memset(text, 'a', 150);
	memcpy(text + 39, "\xc3\xa9", 2);
	text[150] = '\0';
	snprintf(msg, sizeof(msg), "unknown command '%.39s" UNKNOWN, text);
	req_bad(text, msg);
}

static void test_control_characters(void **state)
{
	static const char msg[] = "request holds control characters";

	(void)state;
	req_bad("status\n", msg);
	req_bad("sta\x1btus", msg);
	req_bad("wait a\x7f", msg);
	req_bad("start \x01", msg);
	req_bad("status\r\r", msg);
	req_bad("status\rjson", msg);
	req_bad("\x04", msg);
}

static void test_reused_request(void **state)
{
	char line[CONTROL_LINE_MAX];
	struct ctl_request req;
	const char *err;

	(void)state;
	/* A struct used before holds nothing from that use. */
	assert_int_equal(parse("wait a b c", line, sizeof(line), &req, &err), 0);
	assert_int_equal(parse("kill x 15", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.nnames, 1);
	assert_int_equal(req.signal, 15);
	assert_int_equal(parse("status", line, sizeof(line), &req, &err), 0);
	assert_int_equal(req.nnames, 0);
	assert_int_equal(req.signal, 0);
	/* err may be NULL. */
	strcpy(line, "bogus");
	assert_int_equal(ctl_parse_request(line, &req, NULL), -EINVAL);
}

/* --- dind-ctl's command line (ctl_args_parse) --- */

/* argv for ctl_args_parse: the program name, the words, NULL. */
#define ARGS(...) ((const char *const[]){ "dind-ctl", __VA_ARGS__, NULL })

static int run_args(const char *const *words, struct ctl_args *a, const char **err)
{
	int argc = 0;

	while (words[argc])
		argc++;
	*err = "untouched";
	memset(a, 0x5a, sizeof(*a)); /* nothing left over from before counts */
	return ctl_args_parse(argc, (char *const *)words, a, err);
}

static void args_ok(const char *const *words, const char *request, int64_t timeout_ms)
{
	struct ctl_args a;
	const char *err;
	int r = run_args(words, &a, &err);

	if (r != 0)
		fail_msg("dind-ctl %s ...: refused (%d): %s", words[1], r, err);
	assert_null(err);
	assert_false(a.help);
	assert_string_equal(a.request, request);
	assert_int_equal(a.len, strlen(request));
	if (a.timeout_ms != timeout_ms)
		fail_msg("dind-ctl %s ...: timeout %lld, expected %lld", words[1],
			 (long long)a.timeout_ms, (long long)timeout_ms);
}

static void args_bad(const char *const *words, const char *msg)
{
	struct ctl_args a;
	const char *err;
	int r = run_args(words, &a, &err);

	if (r != -EINVAL)
		fail_msg("dind-ctl %s ...: gave %d (request '%s'), expected -EINVAL", words[1], r,
			 r == 0 ? a.request : "");
	if (!err || strcmp(err, msg) != 0)
		fail_msg("dind-ctl %s ...: error '%s', expected '%s'", words[1],
			 err ? err : "(null)", msg);
	assert_int_equal(a.len, 0);
	assert_string_equal(a.request, "");
}

static void test_args_requests(void **state)
{
	(void)state;
	args_ok(ARGS("status"), "status\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("health"), "health\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("start", "web"), "start web\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("stop", "web"), "stop web\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("restart", "web@1"), "restart web@1\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("kill", "dockerd", "HUP"), "kill dockerd HUP\n", CTL_REPLY_TIMEOUT_MS);
	/* "-" alone is a word; "--" makes the rest words, even ones that look like options. */
	args_ok(ARGS("stop", "-"), "stop -\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("stop", "--", "-x"), "stop -x\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("--", "stop", "--json"), "stop --json\n", CTL_REPLY_TIMEOUT_MS);
}

/* status [--json] [SERVICE...]: the format word always comes before names. */
static void test_args_status(void **state)
{
	(void)state;
	args_ok(ARGS("status", "--json"), "status json\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("--json", "status"), "status json\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("status", "dockerd"), "status table dockerd\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("status", "dockerd", "--json", "containerd"),
		"status json dockerd containerd\n", CTL_REPLY_TIMEOUT_MS);
	/* Services called json and table are names here, never the format. */
	args_ok(ARGS("status", "json"), "status table json\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("status", "table"), "status table table\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("status", "--json", "json"), "status json json\n", CTL_REPLY_TIMEOUT_MS);
	args_ok(ARGS("status", "--", "-x", "--json"), "status table -x --json\n",
		CTL_REPLY_TIMEOUT_MS);
}

static void test_args_socket(void **state)
{
	const char *const *const forms[] = {
		ARGS("-s", "/x.sock", "health"),       ARGS("-s/x.sock", "health"),
		ARGS("--socket", "/x.sock", "health"), ARGS("--socket=/x.sock", "health"),
		ARGS("health", "-s", "/x.sock"),
	};
	struct ctl_args a;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(run_args(forms[i], &a, &err), 0);
		assert_non_null(a.socket);
		assert_string_equal(a.socket, "/x.sock");
		assert_string_equal(a.request, "health\n");
	}
	assert_int_equal(run_args(ARGS("health"), &a, &err), 0);
	assert_null(a.socket);
	/* the last one wins, as with getopt */
	assert_int_equal(run_args(ARGS("-s", "/a", "-s", "/b", "status"), &a, &err), 0);
	assert_string_equal(a.socket, "/b");
	args_bad(ARGS("status", "-s"), "-s needs a socket path");
	args_bad(ARGS("status", "--socket"), "-s needs a socket path");
	args_bad(ARGS("-s", "", "status"), "-s needs a socket path");
	args_bad(ARGS("--socket=", "status"), "-s needs a socket path");
}

static void test_args_timeout(void **state)
{
	(void)state;
	args_ok(ARGS("wait"), "wait\n", CTL_DEFAULT_WAIT_MS);
	args_ok(ARGS("wait", "a", "b"), "wait a b\n", CTL_DEFAULT_WAIT_MS);
	args_ok(ARGS("wait", "--timeout", "300ms", "a"), "wait a\n", 300);
	args_ok(ARGS("wait", "-t", "2m"), "wait\n", 120000);
	args_ok(ARGS("wait", "-t5s"), "wait\n", 5000);
	args_ok(ARGS("--timeout=1h", "wait"), "wait\n", 3600000);
	args_ok(ARGS("wait", "--timeout", "0"), "wait\n", -1); /* no limit */
	/* As long as an int64 holds: the client must not overflow adding it to the clock. */
	args_ok(ARGS("wait", "--timeout", "9223372036854775807ms", "a"), "wait a\n", INT64_MAX);
	args_bad(ARGS("wait", "--timeout", "9223372036854775808ms"),
		 "--timeout '9223372036854775808ms' is too long");
	args_bad(ARGS("wait", "--timeout", "9223372036854775807"),
		 "--timeout '9223372036854775807' is too long");
	args_bad(ARGS("wait", "--timeout", "5 minutes"),
		 "bad --timeout '5 minutes': use a number with ms, s, m or h (0: no limit)");
	/* Not quoted back with its control characters: the message stays one line. */
	args_bad(ARGS("wait", "--timeout", "5\x1bm"),
		 "bad --timeout: use a number with ms, s, m or h (0: no limit)");
	args_bad(ARGS("wait", "--timeout", "-1s"),
		 "bad --timeout '-1s': use a number with ms, s, m or h (0: no limit)");
	args_bad(ARGS("wait", "--timeout"), "--timeout needs a duration such as 30s");
	args_bad(ARGS("wait", "-t"), "--timeout needs a duration such as 30s");
}

static void test_args_usage_errors(void **state)
{
	(void)state;
	args_bad(ARGS("frobnicate"), "unknown command 'frobnicate" UNKNOWN);
	args_bad(ARGS("--bogus", "status"), "unknown option '--bogus'");
	args_bad(ARGS("kill", "web", "-9"), "unknown option '-9'");
	args_bad(ARGS("--\x1b[2J", "status"), "an argument holds a blank or a control character: "
					      "service names and signals never do");
	args_bad(ARGS("health", "--json"), "--json goes with status");
	args_bad(ARGS("status", "--timeout", "1s"), "--timeout goes with wait");
	args_bad(ARGS("restart"), "'restart' needs a service name");
	args_bad(ARGS("restart", "a", "b"), "'restart' takes one service name");
	args_bad(ARGS("kill", "web"), "'kill' needs a service name and a signal");
	args_bad(ARGS("kill", "web", "FOO"),
		 "bad signal 'FOO': use a name like TERM or a number from 1 to 64");
	args_bad(ARGS("health", "dockerd"), "'health' takes no arguments");
	/* Words the request line cannot carry as one word: never split or smuggled. */
	args_bad(ARGS("wait", "a b"), "an argument holds a blank or a control character: "
				      "service names and signals never do");
	args_bad(ARGS("wait", "a\nstatus"), "an argument holds a blank or a control character: "
					    "service names and signals never do");
	args_bad(ARGS("wait", "a\tb"), "an argument holds a blank or a control character: "
				       "service names and signals never do");
	args_bad(ARGS("wait", ""), "an argument is empty: a service name or a signal was expected");
}

/* Issue 9 item 3: a long word overflowed the request buffer; now a usage error. */
static void test_args_long_words(void **state)
{
	char word[1101], msg[300], many[65][8], want[CONTROL_LINE_MAX];
	const char *argv[70];
	size_t pos;
	int i;

	(void)state;
	memset(word, 'x', 1100);
	word[1100] = '\0';
	snprintf(msg, sizeof(msg), "unknown command '%.40s" UNKNOWN, word);
	args_bad(ARGS(word, "y"), msg);
	args_bad(ARGS("wait", word), "request too long (limit 1024 bytes): fewer or shorter names");
	args_bad(ARGS("status", word, "--json"),
		 "request too long (limit 1024 bytes): fewer or shorter names");
	/* The longest request that fits: "wait " + 1018 + '\n' = 1024 bytes. */
	word[1018] = '\0';
	{
		struct ctl_args a;
		const char *err;

		assert_int_equal(run_args(ARGS("wait", word), &a, &err), 0);
		assert_int_equal(a.len, CONTROL_LINE_MAX);
		word[1018] = 'x';
		word[1019] = '\0';
		args_bad(ARGS("wait", word),
			 "request too long (limit 1024 bytes): fewer or shorter names");
	}
	/* 65 short names fit in the line, but not in the limit on names. */
	argv[0] = "dind-ctl";
	argv[1] = "wait";
	for (i = 0; i < 65; i++) {
		snprintf(many[i], sizeof(many[i]), "s%d", i);
		argv[2 + i] = many[i];
	}
	argv[67] = NULL;
	args_bad(argv, "too many names (limit 64)");
	argv[66] = NULL;
	pos = (size_t)snprintf(want, sizeof(want), "wait");
	for (i = 0; i < 64; i++)
		pos += (size_t)snprintf(want + pos, sizeof(want) - pos, " s%d", i);
	(void)snprintf(want + pos, sizeof(want) - pos, "\n");
	args_ok(argv, want, CTL_DEFAULT_WAIT_MS);
}

static void test_args_help_and_nothing(void **state)
{
	static const char *const none[] = { "dind-ctl", NULL };
	struct ctl_args a;
	const char *err;

	(void)state;
	assert_int_equal(run_args(ARGS("-h"), &a, &err), 0);
	assert_true(a.help);
	assert_null(err);
	/* --help wins anywhere, even over a usage error */
	assert_int_equal(run_args(ARGS("frobnicate", "--bogus", "--help"), &a, &err), 0);
	assert_true(a.help);
	assert_int_equal(run_args(none, &a, &err), -ENODATA);
	assert_non_null(err);
	assert_int_equal(run_args(ARGS("-s", "/x.sock"), &a, &err), -ENODATA);
	assert_int_equal(run_args(ARGS("--"), &a, &err), -ENODATA);
}

static void escape_is(const char *in, const char *want)
{
	char out[256];
	size_t n = json_escape(in, out, sizeof(out));

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void test_json_escape(void **state)
{
	(void)state;
	escape_is("", "");
	escape_is("plain text 123", "plain text 123");
	escape_is("say \"hi\"", "say \\\"hi\\\"");
	escape_is("C:\\path", "C:\\\\path");
	escape_is("a\nb\tc\rd\be\ff", "a\\nb\\tc\\rd\\be\\ff");
	escape_is("\x01\x1f\x7f", "\\u0001\\u001f\\u007f");
	escape_is("\x1b[31m", "\\u001b[31m");
	escape_is("/slash/", "/slash/");
	escape_is(NULL, "");
}

static void test_json_escape_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 passes through: 2, 3 and 4 bytes. */
	escape_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
	/* Invalid bytes become U+FFFD, one each: JSON text must be UTF-8. */
	escape_is("a\xff"
		  "b",
		  "a\\ufffdb");
	escape_is("\x80", "\\ufffd");
	escape_is("\xc3", "\\ufffd");				       /* cut sequence at the end */
	escape_is("\xc3(", "\\ufffd(");				       /* bad continuation */
	escape_is("\xc0\xaf", "\\ufffd\\ufffd");		       /* overlong '/' */
	escape_is("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");	       /* overlong */
	escape_is("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");	       /* UTF-16 surrogate */
	escape_is("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* past U+10FFFF */
	escape_is("\xf5\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd");
}

static void test_json_escape_truncation(void **state)
{
	char out[64];

	(void)state;
	/* outlen counts the NUL. */
	assert_int_equal(json_escape("abcdef", out, 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(json_escape("abc", out, 4), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(json_escape("abc", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(json_escape("abc", NULL, 0), 0);
	memset(out, 'x', sizeof(out));
	assert_int_equal(json_escape("abc", out, 0), 0);
	assert_int_equal(out[0], 'x'); /* nothing written */

	/* An escape is never split: "a\"" needs 4 bytes and the NUL. */
	assert_int_equal(json_escape("a\"b", out, 3), 1);
	assert_string_equal(out, "a");
	assert_int_equal(json_escape("a\"b", out, 4), 3);
	assert_string_equal(out, "a\\\"");
	assert_int_equal(json_escape("a\x01", out, 7), 1);
	assert_string_equal(out, "a");
	assert_int_equal(json_escape("a\x01", out, 8), 7);
	assert_string_equal(out, "a\\u0001");
	assert_int_equal(json_escape("a\xff", out, 7), 1);
	assert_string_equal(out, "a");

	/* Nor is a UTF-8 sequence. */
	assert_int_equal(json_escape("a\xe2\x82\xac", out, 4), 1);
	assert_string_equal(out, "a");
	assert_int_equal(json_escape("a\xe2\x82\xac", out, 5), 4);
	assert_string_equal(out, "a\xe2\x82\xac");
	assert_int_equal(json_escape("\xf0\x9f\x90\xb3z", out, 4), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_status_name_limit),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_wait_name_limit),
		cmocka_unit_test(test_one_name_verbs),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_reused_request),
		cmocka_unit_test(test_args_requests),
		cmocka_unit_test(test_args_status),
		cmocka_unit_test(test_args_socket),
		cmocka_unit_test(test_args_timeout),
		cmocka_unit_test(test_args_usage_errors),
		cmocka_unit_test(test_args_long_words),
		cmocka_unit_test(test_args_help_and_nothing),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_escape_utf8),
		cmocka_unit_test(test_json_escape_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

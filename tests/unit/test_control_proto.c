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
	req_bad("status xml", "'status' takes nothing or 'json'");
	req_bad("status --json", "'status' takes nothing or 'json'");
	req_bad("status json json", "'status' takes nothing or 'json'");
	req_bad("STATUS", "unknown command 'STATUS" UNKNOWN);
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
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_wait_name_limit),
		cmocka_unit_test(test_one_name_verbs),
		cmocka_unit_test(test_kill),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_reused_request),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_escape_utf8),
		cmocka_unit_test(test_json_escape_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

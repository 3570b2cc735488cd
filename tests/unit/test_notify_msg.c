/* Unit tests for supervisor/notify_msg.c: sd_notify datagrams as services send them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/notify_msg.h"

/* A string literal without its terminating NUL, as sd_notify sends it. */
#define MSG(s) s, sizeof(s) - 1

static void test_ready(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("READY=1"), &m), 0);
	assert_true(m.ready);
	assert_false(m.stopping);
	assert_false(m.reloading);
	assert_false(m.watchdog);
	assert_false(m.has_status);
	assert_string_equal(m.status, "");
	/* A trailing newline is fine. */
	assert_int_equal(notify_parse(MSG("READY=1\n"), &m), 0);
	assert_true(m.ready);
}

static void test_each_flag(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("STOPPING=1"), &m), 0);
	assert_true(m.stopping);
	assert_false(m.ready);
	assert_int_equal(notify_parse(MSG("RELOADING=1"), &m), 0);
	assert_true(m.reloading);
	assert_false(m.stopping);
	assert_int_equal(notify_parse(MSG("WATCHDOG=1"), &m), 0);
	assert_true(m.watchdog);
	assert_false(m.reloading);
}

static void test_multi_line(void **state)
{
	struct notify_msg m;

	(void)state;
	/* What dockerd sends, and what systemd-notify --ready --status=... sends. */
	assert_int_equal(notify_parse(MSG("READY=1\nSTATUS=Processing requests\nMAINPID=42\n"), &m),
			 0);
	assert_true(m.ready);
	assert_true(m.has_status);
	assert_string_equal(m.status, "Processing requests");
	assert_int_equal(notify_parse(MSG("WATCHDOG=1\nSTOPPING=1\nRELOADING=1\nREADY=1"), &m), 0);
	assert_true(m.ready);
	assert_true(m.stopping);
	assert_true(m.reloading);
	assert_true(m.watchdog);
	/* Blank lines in between are harmless. */
	assert_int_equal(notify_parse(MSG("\n\nREADY=1\n\n"), &m), 0);
	assert_true(m.ready);
}

static void test_unknown_and_malformed_lines(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("MAINPID=42\nERRNO=2\nX_CUSTOM=hello\nFDSTORE=1\n"
					  "EXTEND_TIMEOUT_USEC=5000000"),
				      &m),
			 0);
	assert_false(m.ready || m.stopping || m.reloading || m.watchdog || m.has_status);
	/* Lines without '=' are ignored, the rest still counts. */
	assert_int_equal(notify_parse(MSG("garbage\nREADY\nREADY=1"), &m), 0);
	assert_true(m.ready);
	/* Keys are case-sensitive and must match whole. */
	assert_int_equal(notify_parse(MSG("ready=1\nXREADY=1\nREADY_X=1\n READY=1"), &m), 0);
	assert_false(m.ready);
	assert_int_equal(notify_parse(MSG("\n"), &m), 0);
	assert_false(m.ready);
}

static void test_flag_values_other_than_1(void **state)
{
	static const char *const msgs[] = {
		"READY=0",  "READY=",	 "READY=2",   "READY=11",   "READY=1 ",
		"READY= 1", "READY=1\r", "READY=yes", "READY=true",
	};
	struct notify_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		assert_int_equal(notify_parse(msgs[i], strlen(msgs[i]), &m), 0);
		if (m.ready)
			fail_msg("'%s' set ready", msgs[i]);
	}
	assert_int_equal(notify_parse(MSG("WATCHDOG=trigger\nSTOPPING=0"), &m), 0);
	assert_false(m.watchdog);
	assert_false(m.stopping);
	/* READY=0 after READY=1 does not take it back: the service said it once. */
	assert_int_equal(notify_parse(MSG("READY=1\nREADY=0"), &m), 0);
	assert_true(m.ready);
}

static void test_status(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("STATUS=first\nSTATUS=second"), &m), 0);
	assert_true(m.has_status);
	assert_string_equal(m.status, "second");
	/* An empty STATUS= clears the text: it is still a STATUS. */
	assert_int_equal(notify_parse(MSG("STATUS="), &m), 0);
	assert_true(m.has_status);
	assert_string_equal(m.status, "");
	/* '=' in the value is kept; UTF-8 passes through. */
	assert_int_equal(notify_parse(MSG("STATUS=a=b \xc3\xa9t\xc3\xa9"), &m), 0);
	assert_string_equal(m.status, "a=b \xc3\xa9t\xc3\xa9");
}

static void test_status_control_chars(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("STATUS=a\tb\rc\x1b[31md\x7f"
					  "e\x01"),
				      &m),
			 0);
	assert_string_equal(m.status, "a?b?c?[31md?e?");
}

static void test_status_c1_and_not_utf8(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		/* C1 controls as UTF-8 (U+009B CSI, U+0085 NEL, the first and last): one '?' each
		 */
		{ "a\xc2\x9b"
		  "31mb",
		  "a?31mb" },
		{ "\xc2\x85|\xc2\x80|\xc2\x9f", "?|?|?" },
		/* printable neighbours pass: U+00A0, U+00E9, U+20AC, U+1F600 */
		{ "\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		  "\xc2\xa0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" },
		/* raw C1 bytes (CSI on an 8-bit terminal) and other bytes that are not UTF-8 */
		{ "x\x9b"
		  "2Jy",
		  "x?2Jy" },
		{ "\xff\xfe\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82", "????|???|????|??" },
		/* a C2 lead byte before something that is not a continuation */
		{ "\xc2"
		  "A\xc2",
		  "?A?" },
	};
	char buf[64];
	struct notify_msg m;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = snprintf(buf, sizeof(buf), "STATUS=%s", cases[i].in);

		assert_int_equal(notify_parse(buf, (size_t)n, &m), 0);
		assert_true(m.has_status);
		assert_string_equal(m.status, cases[i].want);
	}
}

static void test_status_truncated(void **state)
{
	char buf[NOTIFY_STATUS_MAX + 64];
	struct notify_msg m;
	size_t n;

	(void)state;
	/* Exactly the limit is kept whole. */
	memcpy(buf, "STATUS=", 7);
	memset(buf + 7, 'x', NOTIFY_STATUS_MAX);
	assert_int_equal(notify_parse(buf, 7 + NOTIFY_STATUS_MAX, &m), 0);
	assert_int_equal(strlen(m.status), NOTIFY_STATUS_MAX);

	/* Longer text is cut to the limit, and the next line still counts. */
	memset(buf + 7, 'y', NOTIFY_STATUS_MAX + 20);
	n = 7 + NOTIFY_STATUS_MAX + 20;
	memcpy(buf + n, "\nREADY=1", 8);
	assert_int_equal(notify_parse(buf, n + 8, &m), 0);
	assert_int_equal(strlen(m.status), NOTIFY_STATUS_MAX);
	assert_true(m.status[0] == 'y' && m.status[NOTIFY_STATUS_MAX - 1] == 'y');
	assert_true(m.ready);

	/* A 3-byte character across the limit is dropped whole, not split. */
	memset(buf + 7, 'z', NOTIFY_STATUS_MAX + 20);
	memcpy(buf + 7 + NOTIFY_STATUS_MAX - 1, "\xe2\x82\xac", 3); /* the euro sign */
	assert_int_equal(notify_parse(buf, 7 + NOTIFY_STATUS_MAX + 20, &m), 0);
	assert_int_equal(strlen(m.status), NOTIFY_STATUS_MAX - 1);
	assert_int_equal(m.status[NOTIFY_STATUS_MAX - 2], 'z');
	/* Ending exactly at the limit, it is kept. */
	memset(buf + 7, 'z', NOTIFY_STATUS_MAX + 20);
	memcpy(buf + 7 + NOTIFY_STATUS_MAX - 3, "\xe2\x82\xac", 3);
	assert_int_equal(notify_parse(buf, 7 + NOTIFY_STATUS_MAX + 20, &m), 0);
	assert_int_equal(strlen(m.status), NOTIFY_STATUS_MAX);
	assert_memory_equal(m.status + NOTIFY_STATUS_MAX - 3, "\xe2\x82\xac", 3);
}

static void test_empty(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse("", 0, &m), -EINVAL);
	assert_int_equal(notify_parse(NULL, 0, &m), -EINVAL);
	assert_false(m.ready);
}

static void test_embedded_nul(void **state)
{
	struct notify_msg m;

	(void)state;
	assert_int_equal(notify_parse(MSG("READY=1\0"), &m), -EINVAL);
	assert_int_equal(notify_parse(MSG("READY=1\n\0STATUS=x"), &m), -EINVAL);
	assert_int_equal(notify_parse(MSG("STATUS=a\0b\nREADY=1"), &m), -EINVAL);
	assert_int_equal(notify_parse(MSG("\0"), &m), -EINVAL);
	/* Nothing is taken from a rejected message. */
	assert_false(m.ready);
	assert_false(m.has_status);
}

static void test_oversize(void **state)
{
	static char buf[NOTIFY_MSG_MAX + 2];
	struct notify_msg m;

	(void)state;
	memset(buf, '\n', sizeof(buf));
	memcpy(buf, "READY=1", 7);
	assert_int_equal(notify_parse(buf, NOTIFY_MSG_MAX, &m), 0);
	assert_true(m.ready);
	assert_int_equal(notify_parse(buf, NOTIFY_MSG_MAX + 1, &m), -EMSGSIZE);
	assert_false(m.ready);
	/* Size is judged first: an oversize datagram with a NUL is still "too big". */
	buf[10] = '\0';
	assert_int_equal(notify_parse(buf, NOTIFY_MSG_MAX + 2, &m), -EMSGSIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_each_flag),
		cmocka_unit_test(test_multi_line),
		cmocka_unit_test(test_unknown_and_malformed_lines),
		cmocka_unit_test(test_flag_values_other_than_1),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_control_chars),
		cmocka_unit_test(test_status_c1_and_not_utf8),
		cmocka_unit_test(test_status_truncated),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_oversize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for core/utf8.c: which byte sequences count as one UTF-8 character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

static void test_sequences(void **state)
{
	static const struct {
		const char *bytes;
		bool allow_c1;
		size_t want;
	} cases[] = {
		{ "\xc3\xa9", false, 2 },	  /* é */
		{ "\xe2\x82\xac", false, 3 },	  /* € */
		{ "\xf0\x9f\x90\xb3", false, 4 }, /* U+1F433 */
		{ "\xf4\x8f\xbf\xbf", false, 4 }, /* U+10FFFF, the last one */
		{ "\xc2\xa0", false, 2 },	  /* U+00A0, just past C1 */
		/* C1 controls: refused unless allowed */
		{ "\xc2\x80", false, 0 },
		{ "\xc2\x9b", false, 0 },
		{ "\xc2\x9f", false, 0 },
		{ "\xc2\x80", true, 2 },
		{ "\xc2\x9b", true, 2 },
		/* not UTF-8 either way */
		{ "a", true, 0 },		 /* ASCII is not a multi-byte sequence */
		{ "\x80", true, 0 },		 /* a continuation byte first */
		{ "\xc0\xaf", true, 0 },	 /* overlong '/' */
		{ "\xc1\xbf", true, 0 },	 /* overlong */
		{ "\xe0\x80\xaf", true, 0 },	 /* overlong */
		{ "\xed\xa0\x80", true, 0 },	 /* UTF-16 surrogate */
		{ "\xf0\x80\x80\xaf", true, 0 }, /* overlong */
		{ "\xf4\x90\x80\x80", true, 0 }, /* past U+10FFFF */
		{ "\xf5\x80\x80\x80", true, 0 },
		{ "\xc3(", true, 0 }, /* bad continuation */
		{ "\xe2\x82(", true, 0 },
		{ "\xff", true, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const unsigned char *s = (const unsigned char *)cases[i].bytes;
		size_t got = utf8_seq_len(s, strlen(cases[i].bytes), cases[i].allow_c1);

		if (got != cases[i].want)
			fail_msg("case %zu: %zu, want %zu", i, got, cases[i].want);
	}
}

/* A sequence cut short by the end of the input is not one. */
static void test_cut_short(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xe2\x82\xac", 2, true), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf0\x9f\x90\xb3", 3, true), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 1, true), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3\xa9", 2, true), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_cut_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "supervisor/backoff.h"

static void test_doubling_sequence(void **state)
{
	(void)state;
	const int64_t want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000 };

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(backoff_delay(100, 30000, i), want[i]);
}

static void test_cap_and_no_overflow(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay(100, 30000, 1000000), 30000);
	assert_int_equal(backoff_delay(INT64_MAX / 2 + 1, INT64_MAX, 5), INT64_MAX);
	assert_int_equal(backoff_delay(5000, 1000, 0), 1000);
	assert_int_equal(backoff_delay(0, 1000, 3), 0);
}

static void test_start_limit_window(void **state)
{
	(void)state;
	int64_t ring[3] = { 0 };
	int next = 0;

	/* burst 3 in 60s: three starts are allowed, the fourth inside the window is not. */
	assert_false(start_limit_hit(ring, 3, 60000, 1000));
	start_limit_record(ring, 3, &next, 1000);
	assert_false(start_limit_hit(ring, 3, 60000, 2000));
	start_limit_record(ring, 3, &next, 2000);
	assert_false(start_limit_hit(ring, 3, 60000, 3000));
	start_limit_record(ring, 3, &next, 3000);
	assert_true(start_limit_hit(ring, 3, 60000, 4000));
	/* Once the oldest start leaves the window, one more start is allowed. */
	assert_false(start_limit_hit(ring, 3, 60000, 61000));
	start_limit_record(ring, 3, &next, 61000);
	assert_true(start_limit_hit(ring, 3, 60000, 61500));
	assert_int_equal(ring[0], 61000);
}

static void test_burst_one(void **state)
{
	(void)state;
	int64_t ring[1] = { 0 };
	int next = 0;

	assert_false(start_limit_hit(ring, 1, 1000, 5));
	start_limit_record(ring, 1, &next, 5);
	assert_true(start_limit_hit(ring, 1, 1000, 500));
	assert_false(start_limit_hit(ring, 1, 1000, 1005));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubling_sequence),
		cmocka_unit_test(test_cap_and_no_overflow),
		cmocka_unit_test(test_start_limit_window),
		cmocka_unit_test(test_burst_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

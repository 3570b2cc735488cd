/* Unit tests for supervisor/decide.c: what follows a service's exit, and the main command's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "supervisor/decide.h"

/* Shorthands for the table. */
#define SIMPLE	SVC_SIMPLE
#define NOTIFY	SVC_NOTIFY
#define ONESHOT SVC_ONESHOT
#define ALWAYS	RESTART_ALWAYS
#define ON_FAIL RESTART_ON_FAILURE
#define NO	RESTART_NO

static const char *const verdict_names[] = {
	[VERDICT_STOPPED] = "stopped",
	[VERDICT_START_AGAIN] = "start-again",
	[VERDICT_DONE] = "done",
	[VERDICT_RESTART] = "restart",
	[VERDICT_NO_RESTART] = "no-restart",
	[VERDICT_GIVE_UP] = "give-up",
};

/* Each verdict has its one next state. */
static const enum svc_state verdict_state[] = {
	[VERDICT_STOPPED] = SVC_STOPPED,    [VERDICT_START_AGAIN] = SVC_WAITING,
	[VERDICT_DONE] = SVC_DONE,	    [VERDICT_RESTART] = SVC_BACKOFF,
	[VERDICT_NO_RESTART] = SVC_STOPPED, [VERDICT_GIVE_UP] = SVC_FAILED,
};

static void test_exit_table(void **state)
{
	/* shutting: the container is shutting down; long: the run lasted start_limit_interval;
	 * forget: the backoff starts over. */
	static const struct {
		enum svc_type type;
		enum restart_policy restart;
		int code;
		enum stop_reason reason;
		bool shutting, long_run;
		enum svc_verdict verdict;
		bool forget;
	} cases[] = {
		/* clang-format off */
		/* type   restart  code reason              shut  long  verdict              forget */
		/* the shutdown, dind-ctl stop: final, whatever the policy and the status */
		{ SIMPLE,  ALWAYS,  0,   STOP_SHUTDOWN,      true,  false, VERDICT_STOPPED,     false },
		{ SIMPLE,  ALWAYS,  137, STOP_SHUTDOWN,      true,  true,  VERDICT_STOPPED,     false },
		{ SIMPLE,  ALWAYS,  1,   STOP_NONE,          true,  false, VERDICT_STOPPED,     false },
		{ ONESHOT, NO,      0,   STOP_NONE,          true,  false, VERDICT_STOPPED,     false },
		{ SIMPLE,  ALWAYS,  143, STOP_UNHEALTHY,     true,  false, VERDICT_STOPPED,     false },
		{ SIMPLE,  ALWAYS,  143, STOP_USER_RESTART,  true,  false, VERDICT_STOPPED,     false },
		{ SIMPLE,  ALWAYS,  143, STOP_SHUTDOWN,      false, false, VERDICT_STOPPED,     false },
		{ NOTIFY,  ALWAYS,  0,   STOP_USER,          false, false, VERDICT_STOPPED,     false },
		{ SIMPLE,  ON_FAIL, 137, STOP_USER,          false, true,  VERDICT_STOPPED,     false },
		/* dind-ctl restart: again at once, the backoff forgotten */
		{ SIMPLE,  NO,      143, STOP_USER_RESTART,  false, false, VERDICT_START_AGAIN, true },
		{ ONESHOT, NO,      0,   STOP_USER_RESTART,  false, false, VERDICT_START_AGAIN, true },
		/* a oneshot that exited 0 is done; one that failed follows its policy */
		{ ONESHOT, ON_FAIL, 0,   STOP_NONE,          false, false, VERDICT_DONE,        true },
		{ ONESHOT, ALWAYS,  0,   STOP_NONE,          false, false, VERDICT_DONE,        true },
		{ ONESHOT, ON_FAIL, 3,   STOP_NONE,          false, false, VERDICT_RESTART,     false },
		{ ONESHOT, NO,      3,   STOP_NONE,          false, false, VERDICT_GIVE_UP,     false },
		/* restart = always: whatever the status */
		{ SIMPLE,  ALWAYS,  0,   STOP_NONE,          false, false, VERDICT_RESTART,     false },
		{ SIMPLE,  ALWAYS,  1,   STOP_NONE,          false, false, VERDICT_RESTART,     false },
		{ NOTIFY,  ALWAYS,  139, STOP_NONE,          false, true,  VERDICT_RESTART,     true },
		/* restart = on-failure: a failure restarts, a clean exit stays stopped */
		{ SIMPLE,  ON_FAIL, 1,   STOP_NONE,          false, false, VERDICT_RESTART,     false },
		{ SIMPLE,  ON_FAIL, 0,   STOP_NONE,          false, false, VERDICT_NO_RESTART,  false },
		{ SIMPLE,  ON_FAIL, 0,   STOP_NONE,          false, true,  VERDICT_NO_RESTART,  true },
		/* unhealthy, watchdog, ready timeout: failures even with status 0 */
		{ SIMPLE,  ON_FAIL, 0,   STOP_UNHEALTHY,     false, false, VERDICT_RESTART,     false },
		{ NOTIFY,  ON_FAIL, 0,   STOP_WATCHDOG,      false, false, VERDICT_RESTART,     false },
		{ SIMPLE,  ON_FAIL, 137, STOP_READY_TIMEOUT, false, true,  VERDICT_RESTART,     true },
		{ SIMPLE,  NO,      0,   STOP_UNHEALTHY,     false, false, VERDICT_GIVE_UP,     false },
		{ SIMPLE,  NO,      137, STOP_READY_TIMEOUT, false, false, VERDICT_GIVE_UP,     false },
		/* restart = no */
		{ SIMPLE,  NO,      0,   STOP_NONE,          false, false, VERDICT_NO_RESTART,  false },
		{ SIMPLE,  NO,      2,   STOP_NONE,          false, false, VERDICT_GIVE_UP,     false },
		{ SIMPLE,  NO,      2,   STOP_NONE,          false, true,  VERDICT_GIVE_UP,     true },
		/* clang-format on */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct svc_exit e = {
			.type = cases[i].type,
			.restart = cases[i].restart,
			.code = cases[i].code,
			.reason = cases[i].reason,
			.shutting_down = cases[i].shutting,
			.long_run = cases[i].long_run,
		};
		struct svc_next got = svc_decide_exit(&e);

		if (got.verdict != cases[i].verdict || got.forget_failures != cases[i].forget ||
		    got.state != verdict_state[got.verdict])
			fail_msg("case %zu (code %d): %s, state %d, forget %d; want %s, state %d, "
				 "forget %d",
				 i, cases[i].code, verdict_names[got.verdict], (int)got.state,
				 got.forget_failures, verdict_names[cases[i].verdict],
				 (int)verdict_state[cases[i].verdict], cases[i].forget);
	}
}

static void test_main_exit_table(void **state)
{
	static const struct {
		bool could_not_start, shutting_down;
		enum on_main_exit on_exit;
		enum main_next want;
	} cases[] = {
		{ false, false, ON_MAIN_EXIT_SHUTDOWN, MAIN_NEXT_SHUTDOWN },
		{ false, false, ON_MAIN_EXIT_IGNORE, MAIN_NEXT_NOTHING },
		{ false, true, ON_MAIN_EXIT_SHUTDOWN, MAIN_NEXT_SHUTDOWN_GOES_ON },
		{ false, true, ON_MAIN_EXIT_IGNORE, MAIN_NEXT_SHUTDOWN_GOES_ON },
		/* never forked: the container ends even with on_main_exit = ignore */
		{ true, false, ON_MAIN_EXIT_SHUTDOWN, MAIN_NEXT_SHUTDOWN },
		{ true, false, ON_MAIN_EXIT_IGNORE, MAIN_NEXT_SHUTDOWN },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum main_next got = main_decide_exit(cases[i].could_not_start,
						      cases[i].shutting_down, cases[i].on_exit);

		if (got != cases[i].want)
			fail_msg("case %zu: %d, want %d", i, (int)got, (int)cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_table),
		cmocka_unit_test(test_main_exit_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

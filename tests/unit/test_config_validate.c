/* Unit tests of config/validate.c: the rules across keys and services, dependency cycles, the
 * start order and main_after. */
#include "tests/unit/config_test.h"

/* A rule across keys or services: one error, at the line that breaks it. */
static void test_bad_rules(void **state)
{
	static const struct bad_case cases[] = {
		{ "[service:s]\ncommand = x\nrestart = always\ntype = oneshot\n", 3,
		  "restart = always does not fit oneshot service 's': use on-failure or no" },
		{ "\n[service:a]\ncommand = x\nrestart_delay_max = 1s\n"
		  "restart_delay = 5s\n",
		  2,
		  "restart_delay_max (1s) is shorter than restart_delay (5s) in "
		  "[service:a]: raise restart_delay_max or lower restart_delay" },
		{ "[service:a]\ncommand = x\ndepends_on = b\n"
		  "[service:b]\ncommand = x\ndepends_on = c\n"
		  "[service:c]\ncommand = x\ndepends_on = a\n",
		  1, "dependency cycle: a -> b -> c -> a" },
		{ "[service:a]\ncommand = x\ndepends_on = a\n", 1, "dependency cycle: a -> a" },
		{ "[init]\nmain_after = a\n  zz\n[service:a]\ncommand = x\n", 3,
		  "main_after names unknown service 'zz': define [service:zz] or remove it "
		  "from main_after" },
		{ "[service:a]\ncommand = x\nnotify_access = none\nready = notify\n", 3,
		  "notify_access = none leaves no way to send READY=1 for ready = notify in "
		  "[service:a]: use notify_access = main" },
		{ "[service:a]\ncommand = x\ntype = notify\nnotify_access = none\n", 4,
		  "notify_access = none leaves no way to send READY=1 for ready = notify "
		  "(implied by type = notify) in [service:a]: use notify_access = main" },
		{ "[service:a]\ncommand = x\nwatchdog = 5s\nnotify_access = none\n", 4,
		  "notify_access = none leaves no way to send WATCHDOG=1 for watchdog in "
		  "[service:a]: use notify_access = main or remove watchdog" },
		/* The key is reported where it is, even above the type line. */
		{ "[service:s]\ncommand = x\nready = notify\ntype = oneshot\n", 3,
		  "ready does not apply to a oneshot" },
	};

	EXPECT_CASES(*state, cases);
}

static void test_oneshot_defaults_to_no_restart(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:s]\ncommand = true\ntype = oneshot\n");
	assert_int_equal(svc(cfg, "s")->restart, RESTART_NO);
	cfg_release(cfg);
	load_ok(cfg, "[service:s]\nrestart = on-failure\ncommand = true\ntype = oneshot\n");
	assert_int_equal(svc(cfg, "s")->restart, RESTART_ON_FAILURE);
}

static void test_type_notify_implies_ready_notify(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *a;

	load_ok(cfg, "[service:a]\ncommand = x\ntype = notify\n");
	a = svc(cfg, "a");
	assert_int_equal(a->ready.kind, PROBE_NOTIFY);
	assert_int_equal(a->notify_access, NOTIFY_ACCESS_MAIN);
	assert_true(a->notify_socket);
	cfg_release(cfg);

	/* An explicit ready wins; no sd_notify socket is then needed. */
	load_ok(cfg, "[service:a]\ncommand = x\ntype = notify\nready = tcp 127.0.0.1:80\n");
	a = svc(cfg, "a");
	assert_int_equal(a->ready.kind, PROBE_TCP);
	assert_int_equal(a->notify_access, NOTIFY_ACCESS_NONE);
	assert_false(a->notify_socket);
	cfg_release(cfg);

	/* ...unless asked for. */
	load_ok(cfg, "[service:a]\ncommand = x\nready = file /run/a\nnotify_access = main\n");
	a = svc(cfg, "a");
	assert_int_equal(a->ready.kind, PROBE_FILE);
	assert_true(a->notify_socket);
	cfg_release(cfg);

	/* A watchdog needs the socket too. */
	load_ok(cfg, "[service:a]\ncommand = x\nwatchdog = 30s\n");
	a = svc(cfg, "a");
	assert_int_equal(a->ready.kind, PROBE_NONE);
	assert_int_equal(a->watchdog_ms, 30000);
	assert_int_equal(a->notify_access, NOTIFY_ACCESS_MAIN);
	assert_true(a->notify_socket);
	cfg_release(cfg);

	/* A simple service can opt out explicitly. */
	load_ok(cfg, "[service:a]\ncommand = x\nnotify_access = none\n");
	assert_false(svc(cfg, "a")->notify_socket);
}

static void test_probe_on_oneshot(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:s]\n"		 /* 1 */
		      "command = x\n"		 /* 2 */
		      "type = oneshot\n"	 /* 3 */
		      "ready = file /run/s\n"	 /* 4 */
		      "ready_timeout = 10s\n"	 /* 5 */
		      "health = file /run/s\n"); /* 6 */
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 4,
		     "ready does not apply to a oneshot: it is ready once it exits 0; remove ready "
		     "from [service:s]");
	expect_error(cfg, 6,
		     "health does not apply to a oneshot: it is ready once it exits 0; remove "
		     "health from [service:s]");
}

static void test_notify_access_none_conflicts(void **state)
{
	struct config *cfg = *state;
	load_bad(cfg, "[service:a]\ncommand = x\nready = notify\nwatchdog = 5s\n"
		      "notify_access = none\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 5, "READY=1");
	expect_error(cfg, 5, "WATCHDOG=1");
}

static void test_unknown_dependency(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg,
			  "[service:a]\ncommand = x\ndepends_on = b\n  zz\n[service:b]\n"
			  "command = y\n",
			  4,
			  "service 'a' depends on unknown service 'zz': define [service:zz] or "
			  "remove it from depends_on");
	assert_int_equal(svc(cfg, "a")->dep_idx[0], 1);
	assert_int_equal(svc(cfg, "a")->dep_idx[1], -1);
}

static void test_missing_command(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\ntype = simple\n\n[service:b]\ncommand =\n[service:c]\n"
		      "command = ''\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 1, "service 'a' has no command: add command = /path/to/program [args]");
	expect_error(cfg, 4, "service 'b' has no command");
	/* An empty quoted word is a command: exec will report it. */
	assert_int_equal(svc(cfg, "c")->argc, 1);
}

/* A command line with an error of its own is reported once: not also as "has no command" at the
 * section line. Other errors in the section do not hide a missing command. */
static void test_bad_command_is_not_also_missing(void **state)
{
	struct config *cfg = *state;
	static char long_line[CFG_LINE_MAX + 64], long_cont[CFG_LINE_MAX + 64];
	static const char nul_line[] = "[service:a]\ncommand = /bin/x\0y\n";
	char path[] = "/tmp/test_config_XXXXXX";
	int fd;
	const struct {
		const char *text;
		int line;
		const char *error;
	} cases[] = {
		{ "[service:a]\ncommand = \"/bin/true\n", 2,
		  "bad command in [service:a]: unterminated double quote" },
		{ "[service:a]\ncommand = '/bin/true\n", 2, "unterminated single quote" },
		{ "[service:a]\ncommand = /bin/true \\\n", 2, "trailing backslash" },
		{ "[service:a]\ncommand = /bin/${-}\n", 2, "bad ${...}" },
		{ "[service:a]\ncommand = ${A:-${B}}\n", 2, "nested ${...} and escapes" },
		{ "[service:a]\ncommand =\n  'x\n", 3, "unterminated single quote" },
		{ long_line, 2, "line too long" },
		{ long_cont, 3, "line too long" },
	};

	/* Blanks before the '=', as inih allows. */
	snprintf(long_line, sizeof(long_line), "[service:a]\ncommand   = /bin/%0*d\n", CFG_LINE_MAX,
		 0);
	snprintf(long_cont, sizeof(long_cont), "[service:a]\ncommand =\n  %0*d\n", CFG_LINE_MAX, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_bad(cfg, cases[i].text);
		expect_error(cfg, cases[i].line, cases[i].error);
		if (cfg->nerrors != 1) {
			dump_errors(cfg);
			fail_msg("case %zu: expected only the command's error, got %d errors", i,
				 cfg->nerrors);
		}
		cfg_release(cfg);
	}

	/* A NUL byte in the command line: the reader refuses the line, once. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, nul_line, sizeof(nul_line) - 1), (ssize_t)sizeof(nul_line) - 1);
	close(fd);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	unlink(path);
	if (cfg->nerrors != 1)
		dump_errors(cfg);
	assert_int_equal(cfg->nerrors, 1);
	assert_non_null(strstr(cfg->errors[0], ":2: line holds a NUL byte"));
	cfg_release(cfg);

	/* Each service on its own: b's bad command does not hide a's missing one, and a long
	 * line of another key is no command line. */
	snprintf(long_line, sizeof(long_line), "[service:a]\nrestart = %0*d\n", CFG_LINE_MAX, 0);
	load_bad(cfg, long_line);
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 1, "service 'a' has no command");
	expect_error(cfg, 2, "line too long");
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\ntype = simple\n[service:b]\ncommand = \"x\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 1, "service 'a' has no command");
	expect_error(cfg, 4, "bad command in [service:b]");
}

static void test_cycle(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg,
			  "[service:x]\ncommand = x\n"
			  "[service:b]\ncommand = x\ndepends_on = c\n"
			  "[service:a]\ncommand = x\ndepends_on = b\n"
			  "[service:c]\ncommand = x\ndepends_on = a, x\n",
			  3, "dependency cycle: b -> c -> a -> b: remove one of these depends_on");
	/* The order stays a permutation even when invalid. */
	assert_int_equal(cfg->order[0], 0);
}

static void test_two_cycles_each_once(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\ncommand = x\ndepends_on = b\n"
		      "[service:b]\ncommand = x\ndepends_on = a\n"
		      "[service:c]\ncommand = x\ndepends_on = d, a\n"
		      "[service:d]\ncommand = x\ndepends_on = c\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 1, "dependency cycle: a -> b -> a");
	expect_error(cfg, 7, "dependency cycle: c -> d -> c");
}

static void expect_order(const struct config *cfg, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		assert_string_equal(cfg->services[cfg->order[i]].name, names[i]);
	assert_int_equal(i, cfg->nservices);
}

static void test_order_chain(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:c]\ncommand=x\ndepends_on=b\n"
		     "[service:b]\ncommand=x\ndepends_on=a\n"
		     "[service:a]\ncommand=x\n");
	expect_order(cfg, (const char *const[]){ "a", "b", "c", NULL });
}

static void test_order_diamond(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:top]\ncommand=x\ndepends_on=right left\n"
		     "[service:right]\ncommand=x\ndepends_on=base\n"
		     "[service:left]\ncommand=x\ndepends_on=base\n"
		     "[service:base]\ncommand=x\n");
	expect_order(cfg, (const char *const[]){ "base", "right", "left", "top", NULL });
}

static void test_order_independent_is_file_order(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:z]\ncommand=x\n[service:m]\ncommand=x\n[service:a]\ncommand=x\n");
	expect_order(cfg, (const char *const[]){ "z", "m", "a", NULL });
}

static void test_order_stable_mixed(void **state)
{
	struct config *cfg = *state;

	/* d becomes ready only after a; b and c are ready at once but come later in the file. */
	load_ok(cfg, "[service:d]\ncommand=x\ndepends_on=a\n"
		     "[service:b]\ncommand=x\n"
		     "[service:a]\ncommand=x\n"
		     "[service:c]\ncommand=x\ndepends_on=d\n");
	expect_order(cfg, (const char *const[]){ "b", "a", "d", "c", NULL });
}

static void test_main_after_default(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:dockerd]\ncommand=x\ndepends_on=containerd,setup\n"
		     "[service:setup]\ncommand=x\ntype=oneshot\n"
		     "[service:containerd]\ncommand=x\n");
	assert_false(cfg->main_after_set);
	assert_int_equal(cfg->nmain_after, 2);
	assert_string_equal(cfg->services[cfg->main_after[0]].name, "containerd");
	assert_string_equal(cfg->services[cfg->main_after[1]].name, "dockerd");
}

static void test_main_after_explicit(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[init]\nmain_after = setup,,containerd\n"
		     "main_after = setup\n"
		     "[service:containerd]\ncommand=x\n"
		     "[service:setup]\ncommand=x\ntype=oneshot\n");
	assert_true(cfg->main_after_set);
	assert_int_equal(cfg->main_after_line, 2);
	assert_int_equal(cfg->nmain_after, 2);
	assert_string_equal(cfg->main_after_names[0], "setup");
	assert_string_equal(cfg->main_after_names[1], "containerd");
	assert_int_equal(cfg->main_after[0], 1);
	assert_int_equal(cfg->main_after[1], 0);
}

static void test_main_after_empty(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[init]\nmain_after =\n[service:a]\ncommand=x\n");
	assert_true(cfg->main_after_set);
	assert_int_equal(cfg->nmain_after, 0);
}

static void test_find_service(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, FULL_CONFIG);
	assert_int_equal(cfg_find_service(cfg, "containerd"), 0);
	assert_int_equal(cfg_find_service(cfg, "setup"), 2);
	assert_int_equal(cfg_find_service(cfg, "nope"), -1);
	assert_int_equal(cfg_find_service(cfg, ""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bad_rules),
		T(test_oneshot_defaults_to_no_restart),
		T(test_type_notify_implies_ready_notify),
		T(test_probe_on_oneshot),
		T(test_notify_access_none_conflicts),
		T(test_unknown_dependency),
		T(test_missing_command),
		T(test_bad_command_is_not_also_missing),
		T(test_cycle),
		T(test_two_cycles_each_once),
		T(test_order_chain),
		T(test_order_diamond),
		T(test_order_independent_is_file_order),
		T(test_order_stable_mixed),
		T(test_main_after_default),
		T(test_main_after_explicit),
		T(test_main_after_empty),
		T(test_find_service),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

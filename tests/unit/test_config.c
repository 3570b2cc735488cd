/* Unit tests for config/config.c: every key, every default, every validation error, start order,
 * main_after, readiness/health/sd_notify keys and the line reader (continuations, long lines,
 * CRLF, BOM). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/parse.h"

#define NAME "t.ini"

/* Fixtures: a passwd and a group file, seccomp allow-lists. */
#ifdef SOURCE_DIR
#define DATA_DIR SOURCE_DIR "/tests/unit/data"
#else
#define DATA_DIR "tests/unit/data" /* run from the source tree */
#endif
#define PASSWD DATA_DIR "/passwd"
#define GROUP  DATA_DIR "/group"

/* The seccomp allow-list fixtures, copied by main() into a folder of the test user's, mode 0644:
 * the checkout's owner and mode (a umask of 002, a checkout of another user's) are not what the
 * owner and mode check of allow-lists is about. */
static char allow_dir[] = "/tmp/test_config_data_XXXXXX";
static const char *const allow_fixtures[] = { "seccomp-good.allow", "seccomp-bad.allow",
					      "seccomp-empty.allow", "seccomp-noexec.allow" };

/* allow_dir/name into buf. */
static const char *allow_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", allow_dir, name);
	return buf;
}

static int copy_allow_fixtures(void)
{
	char src[512], dst[512], data[4096];

	if (!mkdtemp(allow_dir))
		return -1;
	for (size_t i = 0; i < sizeof(allow_fixtures) / sizeof(allow_fixtures[0]); i++) {
		FILE *in, *out;
		size_t n;

		snprintf(src, sizeof(src), "%s/%s", DATA_DIR, allow_fixtures[i]);
		in = fopen(src, "re");
		out = fopen(allow_path(dst, sizeof(dst), allow_fixtures[i]), "we");
		if (!in || !out || fchmod(fileno(out), 0644) < 0)
			return -1;
		while ((n = fread(data, 1, sizeof(data), in)) > 0)
			if (fwrite(data, 1, n, out) != n)
				return -1;
		fclose(in);
		if (fclose(out) != 0)
			return -1;
	}
	return 0;
}

static void remove_allow_fixtures(void)
{
	char path[512];

	for (size_t i = 0; i < sizeof(allow_fixtures) / sizeof(allow_fixtures[0]); i++)
		unlink(allow_path(path, sizeof(path), allow_fixtures[i]));
	rmdir(allow_dir);
}

/* struct config is large: one per test on the heap. */
static int setup(void **state)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return -1;
	cfg_init(cfg);
	*state = cfg;
	/* Every test starts from the fixtures, also after one that failed while pointing
	 * elsewhere. */
	cfg_set_account_files(PASSWD, GROUP);
	/* The check of the config file is on unless a test turns it off; not left off by a test
	 * that failed, nor by the environment the tests run in. */
	unsetenv(CFG_STRICT_ENV);
	return 0;
}

static int teardown(void **state)
{
	struct config *cfg = *state;

	unsetenv(CFG_STRICT_ENV);

	cfg_release(cfg);
	free(cfg);
	return 0;
}

static void dump_errors(const struct config *cfg)
{
	for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
		print_message("  error: %s\n", cfg->errors[i]);
}

static void load_ok(struct config *cfg, const char *text)
{
	int r = cfg_load_string(cfg, NAME, text);

	if (r != 0) {
		dump_errors(cfg);
		fail_msg("load failed: %d", r);
	}
	assert_int_equal(cfg->nerrors, 0);
}

static void load_bad(struct config *cfg, const char *text)
{
	assert_int_equal(cfg_load_string(cfg, NAME, text), -EINVAL);
	assert_true(cfg->nerrors > 0);
}

/* Asserts an error that starts with "t.ini:LINE: " and contains part. */
static void expect_error(const struct config *cfg, int line, const char *part)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s:%d: ", NAME, line);
	for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
		if (strncmp(cfg->errors[i], prefix, strlen(prefix)) == 0 &&
		    strstr(cfg->errors[i], part))
			return;
	dump_errors(cfg);
	fail_msg("no error '%s...%s'", prefix, part);
}

/* The config has exactly one error, at line, containing part. */
static void expect_only_error(struct config *cfg, const char *text, int line, const char *part)
{
	load_bad(cfg, text);
	expect_error(cfg, line, part);
	if (cfg->nerrors != 1) {
		dump_errors(cfg);
		fail_msg("expected 1 error, got %d", cfg->nerrors);
	}
}

static const struct cfg_service *svc(const struct config *cfg, const char *name)
{
	int i = cfg_find_service(cfg, name);

	if (i < 0)
		fail_msg("no service %s", name);
	return &cfg->services[i];
}

static const char full_config[] = "; dind-init configuration\n"				    /* 1 */
				  "[init]\n"						    /* 2 */
				  "log_level = debug\n"					    /* 3 */
				  "shutdown_timeout = 2m\n"				    /* 4 */
				  "main_after = dockerd, containerd\n"			    /* 5 */
				  "on_main_exit = ignore\n"				    /* 6 */
				  "\n"							    /* 7 */
				  "[main]\n"						    /* 8 */
				  "stop_signal = INT\n"					    /* 9 */
				  "stop_timeout = 20s\n"				    /* 10 */
				  "\n"							    /* 11 */
				  "[service:containerd]\n"				    /* 12 */
				  "command = /usr/bin/containerd --log-level warn\n"	    /* 13 */
				  "type = simple\n"					    /* 14 */
				  "restart = on-failure\n"				    /* 15 */
				  "restart_delay = 250ms\n"				    /* 16 */
				  "restart_delay_max = 1m\n"				    /* 17 */
				  "start_limit_burst = 3\n"				    /* 18 */
				  "start_limit_interval = 2m\n"				    /* 19 */
				  "critical = yes\n"					    /* 20 */
				  "stop_signal = SIGQUIT\n"				    /* 21 */
				  "stop_timeout = 5s\n"					    /* 22 */
				  "environment = GOMAXPROCS=2\n"			    /* 23 */
				  "environment = EMPTY=\n"				    /* 24 */
				  "workdir = /var/lib/containerd\n"			    /* 25 */
				  "log = file:/var/log/containerd.log   ; inline comment\n" /* 26 */
				  "\n"							    /* 27 */
				  "[service:dockerd]\n"					    /* 28 */
				  "command = /usr/bin/dockerd --host=unix:///run/d.sock\n"  /* 29 */
				  "type = notify\n"					    /* 30 */
				  "depends_on = containerd setup\n"			    /* 31 */
				  "log = inherit\n"					    /* 32 */
				  "\n"							    /* 33 */
				  "[service:setup]\n"					    /* 34 */
				  "command = sh -c 'mkdir -p /run/x && echo \"ok\"'\n"	    /* 35 */
				  "type = oneshot\n"					    /* 36 */
				  "log = null\n";					    /* 37 */

static void test_full_config(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *c, *d, *s;

	load_ok(cfg, full_config);
	assert_string_equal(cfg->path, NAME);
	assert_int_equal(cfg->log_level, CFG_LOG_DEBUG);
	assert_int_equal(cfg->shutdown_timeout_ms, 120000);
	assert_int_equal(cfg->on_main_exit, ON_MAIN_EXIT_IGNORE);
	assert_true(cfg->main_after_set);
	assert_int_equal(cfg->main_after_line, 5);
	assert_int_equal(cfg->nmain_after, 2);
	assert_string_equal(cfg->main_after_names[0], "dockerd");
	assert_string_equal(cfg->main_after_names[1], "containerd");
	assert_int_equal(cfg->main_after[0], 1);
	assert_int_equal(cfg->main_after[1], 0);
	assert_int_equal(cfg->main.stop_signal, SIGINT);
	assert_int_equal(cfg->main.stop_timeout_ms, 20000);
	assert_int_equal(cfg->nservices, 3);

	c = svc(cfg, "containerd");
	assert_int_equal(c - cfg->services, 0);
	assert_int_equal(c->line, 12);
	assert_int_equal(c->argc, 3);
	assert_string_equal(c->argv[0], "/usr/bin/containerd");
	assert_string_equal(c->argv[1], "--log-level");
	assert_string_equal(c->argv[2], "warn");
	assert_null(c->argv[3]);
	assert_int_equal(c->type, SVC_SIMPLE);
	assert_int_equal(c->ndeps, 0);
	assert_int_equal(c->restart, RESTART_ON_FAILURE);
	assert_int_equal(c->restart_delay_ms, 250);
	assert_int_equal(c->restart_delay_max_ms, 60000);
	assert_int_equal(c->start_limit_burst, 3);
	assert_int_equal(c->start_limit_interval_ms, 120000);
	assert_true(c->critical);
	assert_int_equal(c->stop_signal, SIGQUIT);
	assert_int_equal(c->stop_timeout_ms, 5000);
	assert_int_equal(c->nenv, 2);
	assert_string_equal(c->env[0], "GOMAXPROCS=2");
	assert_string_equal(c->env[1], "EMPTY=");
	assert_string_equal(c->workdir, "/var/lib/containerd");
	assert_int_equal(c->log, LOGMODE_FILE);
	assert_string_equal(c->log_path, "/var/log/containerd.log");

	d = svc(cfg, "dockerd");
	assert_int_equal(d->line, 28);
	assert_int_equal(d->argc, 2);
	assert_string_equal(d->argv[1], "--host=unix:///run/d.sock");
	assert_int_equal(d->type, SVC_NOTIFY);
	assert_int_equal(d->ndeps, 2);
	assert_string_equal(d->deps[0], "containerd");
	assert_string_equal(d->deps[1], "setup");
	assert_int_equal(d->dep_idx[0], 0);
	assert_int_equal(d->dep_idx[1], 2);
	assert_int_equal(d->dep_line[0], 31);
	assert_int_equal(d->dep_line[1], 31);
	assert_int_equal(d->log, LOGMODE_INHERIT);
	assert_null(d->log_path);
	assert_int_equal(d->ready.kind, PROBE_NOTIFY);
	assert_int_equal(d->notify_access, NOTIFY_ACCESS_MAIN);
	assert_true(d->notify_socket);
	assert_int_equal(c->ready.kind, PROBE_NONE);
	assert_false(c->notify_socket);

	s = svc(cfg, "setup");
	assert_int_equal(s->argc, 3);
	assert_string_equal(s->argv[2], "mkdir -p /run/x && echo \"ok\"");
	assert_int_equal(s->type, SVC_ONESHOT);
	assert_int_equal(s->restart, RESTART_NO);
	assert_int_equal(s->log, LOGMODE_NULL);

	assert_int_equal(cfg->order[0], 0);
	assert_int_equal(cfg->order[1], 2);
	assert_int_equal(cfg->order[2], 1);
}

static void test_defaults(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *a;

	load_ok(cfg, "[service:a]\ncommand = /bin/a\n");
	assert_int_equal(cfg->log_level, CFG_LOG_INFO);
	assert_int_equal(cfg->shutdown_timeout_ms, 30000);
	assert_int_equal(cfg->on_main_exit, ON_MAIN_EXIT_SHUTDOWN);
	assert_false(cfg->main_after_set);
	assert_int_equal(cfg->main.stop_signal, 0);
	assert_int_equal(cfg->main.stop_timeout_ms, 10000);
	a = svc(cfg, "a");
	assert_int_equal(a->line, 1);
	assert_int_equal(a->type, SVC_SIMPLE);
	assert_int_equal(a->restart, RESTART_ALWAYS);
	assert_int_equal(a->restart_delay_ms, 100);
	assert_int_equal(a->restart_delay_max_ms, 30000);
	assert_int_equal(a->start_limit_burst, 5);
	assert_int_equal(a->start_limit_interval_ms, 60000);
	assert_false(a->critical);
	assert_int_equal(a->stop_signal, SIGTERM);
	assert_int_equal(a->stop_timeout_ms, 15000);
	assert_int_equal(a->nenv, 0);
	assert_null(a->workdir);
	assert_int_equal(a->log, LOGMODE_PREFIX);
	assert_null(a->log_path);
	assert_int_equal(a->ndeps, 0);
	assert_int_equal(cfg->nmain_after, 1);
	assert_int_equal(cfg->main_after[0], 0);
	assert_string_equal(cfg->control_socket, DEFAULT_CONTROL_SOCKET);
	assert_string_equal(cfg->control_socket, "/run/dind-init.sock");
	assert_string_equal(cfg->runtime_dir, DEFAULT_RUNTIME_DIR);
	assert_string_equal(cfg->runtime_dir, "/run/dind-init");
	assert_int_equal(a->ready.kind, PROBE_NONE);
	assert_int_equal(a->ready_timeout_ms, 60000);
	assert_int_equal(a->ready_interval_ms, 50);
	assert_int_equal(a->health.kind, PROBE_NONE);
	assert_int_equal(a->health_interval_ms, 10000);
	assert_int_equal(a->health_timeout_ms, 5000);
	assert_int_equal(a->health_retries, 3);
	assert_int_equal(a->watchdog_ms, 0);
	assert_int_equal(a->notify_access, NOTIFY_ACCESS_NONE);
	assert_false(a->notify_socket);
}

static void test_init_defaults_before_load(void **state)
{
	struct config *cfg = *state;

	/* setup() ran cfg_init only: nothing allocated, the defaults are already there. */
	assert_string_equal(cfg->control_socket, DEFAULT_CONTROL_SOCKET);
	assert_string_equal(cfg->runtime_dir, DEFAULT_RUNTIME_DIR);
	cfg_release(cfg);
	assert_null(cfg->control_socket);
	cfg_init(cfg);
	assert_string_equal(cfg->control_socket, DEFAULT_CONTROL_SOCKET);
}

static void test_empty_config(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "");
	assert_int_equal(cfg->nservices, 0);
	assert_int_equal(cfg->nmain_after, 0);
	cfg_release(cfg);
	load_ok(cfg, "; only a comment\n\n[init]\n");
	assert_int_equal(cfg->nservices, 0);
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

static void test_value_spellings(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:a]\ncommand=x\ncritical = off\nstop_signal = 9\nstop_timeout = 3\n"
		     "restart_delay_max = 100ms\n[init]\nlog_level=warn\nshutdown_timeout: 45s\n");
	assert_false(svc(cfg, "a")->critical);
	assert_int_equal(svc(cfg, "a")->stop_signal, SIGKILL);
	assert_int_equal(svc(cfg, "a")->stop_timeout_ms, 3000);
	assert_int_equal(cfg->log_level, CFG_LOG_WARN);
	assert_int_equal(cfg->shutdown_timeout_ms, 45000);
}

/* Section headers. */

static void test_unknown_section(void **state)
{
	expect_only_error(
		*state, "[service:a]\ncommand=x\n[services:b]\ncommand=y\n", 3,
		"unknown section [services:b]: expected [init], [main] or [service:NAME]");
}

static void test_bad_service_name(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:a b]\ncommand=x\n", 1,
			  "bad service name 'a b' in [service:a b]: use 1 to 32 characters");
	cfg_release(cfg);
	expect_only_error(cfg, "\n[service:]\n", 2, "bad service name ''");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a/b]\n", 1, "bad service name 'a/b'");
	cfg_release(cfg);
	/* 33 characters: one over SVC_NAME_MAX. */
	expect_only_error(cfg, "[service:abcdefghijklmnopqrstuvwxyz0123456]\ncommand=x\n", 1,
			  "bad service name 'abcdefghijklmnopqrstuvwxyz0123456'");
	cfg_release(cfg);
	/* 32 characters and every allowed character class. */
	load_ok(cfg, "[service:Ab_c.d@e-f0123456789012345678]\ncommand=x\n");
}

static void test_duplicate_service(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:a]\ncommand=x\n\n[service:a]\ncommand=y\n", 4,
			  "duplicate section [service:a]: first defined at line 1");
	assert_int_equal(cfg->nservices, 1);
	assert_string_equal(svc(cfg, "a")->argv[0], "x");
}

static void test_too_many_services(void **state)
{
	struct config *cfg = *state;
	char *text = malloc(MAX_SERVICES * 64 + 64);
	size_t pos = 0;
	int i;

	assert_non_null(text);
	for (i = 0; i <= MAX_SERVICES; i++)
		pos += (size_t)sprintf(text + pos, "[service:s%d]\ncommand = x\n", i);
	expect_only_error(cfg, text, 2 * MAX_SERVICES + 1,
			  "too many services: [service:s64] is over the limit of 64");
	assert_int_equal(cfg->nservices, MAX_SERVICES);
	free(text);
}

static void test_unterminated_header(void **state)
{
	expect_only_error(*state, "[service:a]\ncommand=x\n[init\nlog_level=debug\n", 3,
			  "unterminated section header '[init': add the closing ']'");
}

static void test_text_after_header(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[init] oops\n", 1,
			  "unexpected text 'oops' after the section header");
	cfg_release(cfg);
	load_ok(cfg, "[init]   ; a comment\n[ service:a ]\ncommand=x\n");
	assert_int_equal(cfg_find_service(cfg, "a"), 0);
}

/* Lines. */

static void test_line_without_equals(void **state)
{
	expect_only_error(*state, "[service:a]\ncommand=x\ncritical\n", 3,
			  "cannot parse 'critical': expected KEY = VALUE");
}

static void test_key_outside_section(void **state)
{
	expect_only_error(*state, "log_level = info\n[init]\n", 1,
			  "key 'log_level' is outside any section: put it under [init], [main] or "
			  "[service:NAME]");
}

static void test_missing_key_name(void **state)
{
	expect_only_error(*state, "[init]\n= info\n", 2, "no key name before '=' in [init]");
}

static void test_line_too_long(void **state)
{
	struct config *cfg = *state;
	char text[800], value[300];

	/* "command = " is 10 characters: 189 more make a 199-character line, the limit. */
	memset(value, 'x', 189);
	value[189] = '\0';
	snprintf(text, sizeof(text), "[service:a]\ncommand = %s\n", value);
	load_ok(cfg, text);
	assert_int_equal(strlen(svc(cfg, "a")->argv[0]), 189);
	cfg_release(cfg);

	memset(value, 'x', 190);
	value[190] = '\0';
	snprintf(text, sizeof(text),
		 "[service:a]\ncommand = %s\n  --continued-line-is-dropped\ncommand = y\n", value);
	expect_only_error(cfg, text, 2,
			  "line too long (200 characters, limit 199): continue the value on an "
			  "indented next line");
	cfg_release(cfg);

	/* Long comment lines are fine: inih never sees them. */
	memset(value, '-', 290);
	value[290] = '\0';
	snprintf(text, sizeof(text), "; %s\n[service:a]\n   # %s\ncommand = y\n", value, value);
	load_ok(cfg, text);
}

static void test_nul_byte(void **state)
{
	static const char text[] = "[service:a]\ncommand = x\nty\0pe = simple\n";
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	unlink(path);
	assert_int_equal(cfg->nerrors, 1);
	assert_non_null(strstr(cfg->errors[0], ":3: line holds a NUL byte"));
}

/* Keys and values. */

static void test_unknown_key(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:web]\ncommand = x\ncomand = x\n", 3,
			  "unknown key 'comand' in [service:web]: did you mean 'command'?");
	cfg_release(cfg);
	expect_only_error(
		cfg, "[init]\nfoo = 1\n", 2,
		"unknown key 'foo' in [init]: valid keys are log_level, shutdown_timeout, "
		"main_after, on_main_exit, control_socket, runtime_dir, setup, mount_tmpfs, "
		"securityfs, sys_rw, cgroups, iptables, make_rshared, stale_files, "
		"rlimit_nofile, data_root, preflight, writable_paths, service_output, args_to");
	cfg_release(cfg);
	expect_only_error(
		cfg, "[main]\ncommand = x\n", 2,
		"unknown key 'command' in [main]: valid keys are stop_signal, stop_timeout");
	cfg_release(cfg);
	/* Continuation lines of an unknown key add no second error. */
	expect_only_error(cfg, "[init]\nfoo = 1\n  2\n  3\n", 2, "unknown key 'foo'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:web]\ncommand = x\nhelth_retries = 2\n", 3,
			  "unknown key 'helth_retries' in [service:web]: did you mean "
			  "'health_retries'?");
	cfg_release(cfg);
	expect_only_error(
		cfg, "[service:web]\ncommand = x\nreadiness = notify\n", 3,
		"unknown key 'readiness' in [service:web]: valid keys are command, type, "
		"depends_on, restart, restart_delay, restart_delay_max, start_limit_burst, "
		"start_limit_interval, critical, stop_signal, stop_timeout, environment, "
		"workdir, log, ready, ready_timeout, ready_interval, health, "
		"health_interval, health_timeout, health_retries, watchdog, notify_access, "
		"args_env");
}

static void test_bad_enums(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\n"
		      "log_level = verbose\n"
		      "on_main_exit = restart\n"
		      "[service:a]\n"
		      "command = x\n"
		      "restart = sometimes\n"
		      "type = forking\n"
		      "log = syslog\n"
		      "critical = maybe\n");
	assert_int_equal(cfg->nerrors, 6);
	expect_error(cfg, 2,
		     "bad value 'verbose' for log_level: expected error, warn, info or debug");
	expect_error(cfg, 3, "bad value 'restart' for on_main_exit: expected shutdown or ignore");
	expect_error(cfg, 6,
		     "bad value 'sometimes' for restart: expected always, on-failure or no");
	expect_error(cfg, 7, "bad value 'forking' for type: expected simple, notify or oneshot");
	expect_error(cfg, 8,
		     "bad value 'syslog' for log: expected prefix, inherit, null or "
		     "file:/absolute/path");
	expect_error(cfg, 9, "bad value 'maybe' for critical: use yes or no");
}

static void test_bad_durations(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\n"
		      "shutdown_timeout = \n"
		      "[main]\n"
		      "stop_timeout = -1s\n"
		      "[service:a]\n"
		      "command = x\n"
		      "stop_timeout = 10x\n"
		      "restart_delay = 1.5s\n"
		      "restart_delay_max = 99999999999999999999s\n"
		      "start_limit_interval = 0\n"
		      "stop_timeout = 1s\n");
	assert_int_equal(cfg->nerrors, 7);
	expect_error(cfg, 2,
		     "bad duration '' for shutdown_timeout: use a number with ms, s, m or h");
	expect_error(cfg, 4, "bad duration '-1s' for stop_timeout");
	expect_error(cfg, 7,
		     "bad duration '10x' for stop_timeout: use a number with ms, s, m or h");
	expect_error(cfg, 8, "bad duration '1.5s' for restart_delay");
	expect_error(cfg, 9,
		     "duration '99999999999999999999s' for restart_delay_max is too long: "
		     "use at most 8760h");
	expect_error(cfg, 10,
		     "bad duration '0' for start_limit_interval: it must be longer than 0");
	expect_error(cfg, 11, "stop_timeout already set at line 7: remove one of the two lines");
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\nshutdown_timeout = 8761h\n", 2, "is too long");
	cfg_release(cfg);
	load_ok(cfg, "[init]\nshutdown_timeout = 8760h\n");
}

static void test_bad_numbers_and_signals(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[main]\n"
		      "stop_signal = 0\n"
		      "[service:a]\n"
		      "command = x\n"
		      "start_limit_burst = 0\n"
		      "stop_signal = SIGFOO\n"
		      "[service:b]\n"
		      "command = x\n"
		      "start_limit_burst = many\n"
		      "stop_signal = 65\n"
		      "[service:c]\n"
		      "command = x\n"
		      "start_limit_burst = 1001\n");
	assert_int_equal(cfg->nerrors, 6);
	expect_error(
		cfg, 2,
		"bad signal '0' for stop_signal: use a name like TERM or a number from 1 to 64");
	expect_error(cfg, 5,
		     "bad value '0' for start_limit_burst: use a whole number from 1 to 1000");
	expect_error(cfg, 13,
		     "bad value '1001' for start_limit_burst: use a whole number from 1 to 1000");
	expect_error(cfg, 6, "bad signal 'SIGFOO' for stop_signal");
	expect_error(cfg, 9, "bad value 'many' for start_limit_burst");
	expect_error(cfg, 10, "bad signal '65' for stop_signal");
}

static void test_bad_paths(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:web]\ncommand = x\nworkdir = srv\nlog = file:web.log\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 3, "bad value 'srv' for workdir: use an absolute path");
	expect_error(cfg, 4,
		     "bad value 'file:web.log' for log: the file path must be absolute, e.g. "
		     "file:/var/log/web.log");
}

static void test_bad_environment(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:web]\n"
		      "command = x\n"
		      "environment = NOEQUALS\n"
		      "environment = 1X=a\n"
		      "environment = A-B=c\n"
		      "environment = =v\n"
		      "environment = OK=1\n"
		      "environment = OK=2\n"
		      "environment = _under_9=fine\n");
	assert_int_equal(cfg->nerrors, 5);
	expect_error(cfg, 3, "bad environment entry 'NOEQUALS' in [service:web]: use KEY=value");
	expect_error(cfg, 4, "bad environment entry '1X=a'");
	expect_error(cfg, 5, "bad environment entry 'A-B=c'");
	expect_error(cfg, 6, "bad environment entry '=v'");
	expect_error(cfg, 8, "environment variable 'OK' is set twice in [service:web]: keep one");
	assert_int_equal(svc(cfg, "web")->nenv, 2);
}

static void test_too_many_environment_entries(void **state)
{
	struct config *cfg = *state;
	char *text = malloc((MAX_ENV + 1) * 32 + 64);
	size_t pos;
	int i;

	assert_non_null(text);
	pos = (size_t)sprintf(text, "[service:a]\ncommand = x\n");
	for (i = 0; i <= MAX_ENV; i++)
		pos += (size_t)sprintf(text + pos, "environment = V%d=%d\n", i, i);
	expect_only_error(cfg, text, 3 + MAX_ENV,
			  "too many environment entries in [service:a] (limit 128)");
	assert_int_equal(svc(cfg, "a")->nenv, MAX_ENV);
	assert_string_equal(svc(cfg, "a")->env[MAX_ENV - 1], "V127=127");
	free(text);
}

static void test_too_many_deps(void **state)
{
	struct config *cfg = *state;
	char text[2048];
	size_t pos = 0;
	int i;

	for (i = 0; i <= MAX_DEPS; i++)
		pos += (size_t)sprintf(text + pos, "[service:d%d]\ncommand = x\n", i);
	pos += (size_t)sprintf(text + pos, "[service:top]\ncommand = x\ndepends_on =");
	for (i = 0; i <= MAX_DEPS; i++)
		pos += (size_t)sprintf(text + pos, " d%d", i);
	strcat(text, "\n");
	expect_only_error(cfg, text, 2 * (MAX_DEPS + 1) + 3,
			  "too many names in depends_on of [service:top] (limit 16)");
}

static void test_bad_command(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\ncommand = sh -c 'echo\n[service:b]\ncommand = x\\\n");
	expect_error(cfg, 2, "bad command in [service:a]: unterminated single quote");
	expect_error(cfg, 4, "bad command in [service:b]: trailing backslash");
}

static void test_repeated_scalar(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\n"
		      "log_level = info\n"
		      "[service:a]\n"
		      "command = x\n"
		      "type = simple\n"
		      "type = notify\n"
		      "[init]\n"
		      "log_level = debug\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 6, "type already set at line 5: remove one of the two lines");
	expect_error(cfg, 8, "log_level already set at line 2");
	assert_int_equal(svc(cfg, "a")->type, SVC_SIMPLE);
}

static void test_scalar_continuation(void **state)
{
	expect_only_error(*state, "[service:a]\ncommand = x\nstop_timeout = 5s\n    10s\n    20s\n",
			  4,
			  "stop_timeout already set at line 3: only command, depends_on, "
			  "environment, main_after, mount_tmpfs, stale_files, writable_paths, "
			  "supplementary_groups, capabilities and seccomp = deny: continue on "
			  "indented lines");
}

static void test_repeated_command(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:a]\ncommand = x\ncommand = y\n", 3,
			  "command already set at line 2: continue it on indented lines");
	assert_int_equal(svc(cfg, "a")->argc, 1);
}

static void test_indented_key_or_header(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\n"
		      "command = x\n"
		      "  type = notify\n"
		      "  [service:b]\n"
		      "command = y\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 3,
		     "indented line 'type = notify' looks like a key: remove the indentation");
	expect_error(cfg, 4, "indented section header '[service:b]': remove the indentation");
	/* Both are read as what they look like, so nothing cascades. */
	assert_int_equal(svc(cfg, "a")->argc, 1);
	assert_int_equal(svc(cfg, "a")->type, SVC_NOTIFY);
	assert_string_equal(svc(cfg, "b")->argv[0], "y");
}

/* Validation. */

static void test_oneshot_restart_always(void **state)
{
	expect_only_error(
		*state, "[service:s]\ncommand = x\nrestart = always\ntype = oneshot\n", 3,
		"restart = always does not fit oneshot service 's': use on-failure or no");
}

static void test_restart_delay_max_too_small(void **state)
{
	expect_only_error(*state,
			  "\n[service:a]\ncommand = x\nrestart_delay_max = 1s\n"
			  "restart_delay = 5s\n",
			  2,
			  "restart_delay_max (1s) is shorter than restart_delay (5s) in "
			  "[service:a]: raise restart_delay_max or lower restart_delay");
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

static void test_cycle_named_from_first_service(void **state)
{
	expect_only_error(*state,
			  "[service:a]\ncommand = x\ndepends_on = b\n"
			  "[service:b]\ncommand = x\ndepends_on = c\n"
			  "[service:c]\ncommand = x\ndepends_on = a\n",
			  1, "dependency cycle: a -> b -> c -> a");
}

static void test_self_dependency(void **state)
{
	expect_only_error(*state, "[service:a]\ncommand = x\ndepends_on = a\n", 1,
			  "dependency cycle: a -> a");
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

static void test_main_after_unknown(void **state)
{
	expect_only_error(*state, "[init]\nmain_after = a\n  zz\n[service:a]\ncommand = x\n", 3,
			  "main_after names unknown service 'zz': define [service:zz] or remove it "
			  "from main_after");
}

static void test_many_errors_in_one_run(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\n"		 /* 1 */
		      "log_level = loud\n"	 /* 2 */
		      "[main]\n"		 /* 3 */
		      "stop_signal = NOPE\n"	 /* 4 */
		      "[service:a]\n"		 /* 5 */
		      "comand = x\n"		 /* 6 */
		      "depends_on = ghost\n"	 /* 7 */
		      "garbage\n"		 /* 8 */
		      "[service:a]\n"		 /* 9 */
		      "[nope]\n"		 /* 10 */
		      "[init]\n"		 /* 11 */
		      "main_after = phantom\n"); /* 12 */
	assert_int_equal(cfg->nerrors, 9);
	expect_error(cfg, 2, "bad value 'loud' for log_level");
	expect_error(cfg, 4, "bad signal 'NOPE'");
	expect_error(cfg, 5, "service 'a' has no command");
	expect_error(cfg, 6, "unknown key 'comand'");
	expect_error(cfg, 7, "unknown service 'ghost'");
	expect_error(cfg, 8, "cannot parse 'garbage'");
	expect_error(cfg, 9, "duplicate section [service:a]: first defined at line 5");
	expect_error(cfg, 10, "unknown section [nope]");
	expect_error(cfg, 12, "unknown service 'phantom'");
	/* Sorted by line. */
	assert_non_null(strstr(cfg->errors[0], ":2: "));
	assert_non_null(strstr(cfg->errors[8], ":12: "));
}

static void test_error_cap(void **state)
{
	struct config *cfg = *state;
	char *text = malloc(150 * 16 + 16);
	size_t pos;
	int i;

	assert_non_null(text);
	pos = (size_t)sprintf(text, "[init]\n");
	for (i = 0; i < 150; i++)
		pos += (size_t)sprintf(text + pos, "bad%d\n", i);
	load_bad(cfg, text);
	assert_int_equal(cfg->nerrors, 150);
	for (i = 0; i < CFG_ERRORS_MAX; i++)
		assert_non_null(cfg->errors[i]);
	assert_non_null(strstr(cfg->errors[CFG_ERRORS_MAX - 1], ":101: cannot parse 'bad99'"));
	free(text);
}

/* Start order. */

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

/* main_after. */

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

/* The line reader. */

static void test_continuation_lines(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *a;

	load_ok(cfg, "[init]\n"
		     "main_after =\n"
		     "    a\n"
		     "[service:a]\n"
		     "command =\n"
		     "    /usr/bin/dockerd\n"
		     "\t--host 'unix:///run/docker.sock'   ; why: the default\n"
		     "\n"
		     "    ; an indented comment is a comment\n"
		     "    --debug\n"
		     "environment = A=1\n"
		     "   B=two words\n"
		     "   C=x;y\n"
		     "depends_on = b,\n"
		     "   c\n"
		     "[service:b]\ncommand=x\n[service:c]\ncommand=x\n");
	a = svc(cfg, "a");
	assert_int_equal(a->argc, 4);
	assert_string_equal(a->argv[0], "/usr/bin/dockerd");
	assert_string_equal(a->argv[1], "--host");
	assert_string_equal(a->argv[2], "unix:///run/docker.sock");
	assert_string_equal(a->argv[3], "--debug");
	assert_null(a->argv[4]);
	assert_int_equal(a->nenv, 3);
	assert_string_equal(a->env[0], "A=1");
	assert_string_equal(a->env[1], "B=two words");
	assert_string_equal(a->env[2], "C=x;y");
	assert_int_equal(a->ndeps, 2);
	assert_int_equal(a->dep_line[1], 15);
	assert_int_equal(cfg->nmain_after, 1);
	assert_string_equal(cfg->main_after_names[0], "a");
}

static void test_command_word_limit_across_lines(void **state)
{
	struct config *cfg = *state;
	char text[2048];
	size_t pos;
	int i;

	/* 6 words on the key line, then 5 continuation lines of 50: exactly the limit. */
	pos = (size_t)sprintf(text, "[service:a]\ncommand = w w w w w w\n");
	for (i = 0; i < 5 * 50; i++)
		pos += (size_t)sprintf(text + pos, "%s", i % 50 == 49 ? " w\n" : " w");
	load_ok(cfg, text);
	assert_int_equal(svc(cfg, "a")->argc, ARGV_MAX_WORDS);
	cfg_release(cfg);
	sprintf(text + pos, "  one-more\n");
	expect_only_error(cfg, text, 8, "bad command in [service:a]: too many words (limit 256)");
}

static void test_crlf_and_bom_file(void **state)
{
	static const char text[] = "\xef\xbb\xbf[service:a]\r\ncommand = /bin/a -x\r\n"
				   "environment = K=v\r\n";
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(cfg_load_file(cfg, path), 0);
	assert_string_equal(cfg->path, path);
	unlink(path);
	assert_string_equal(svc(cfg, "a")->argv[1], "-x");
	assert_string_equal(svc(cfg, "a")->env[0], "K=v");
	cfg_release(cfg);
	/* Same text from memory, and with the last line not terminated. */
	load_ok(cfg, "\xef\xbb\xbf[service:a]\ncommand = /bin/a");
	assert_string_equal(svc(cfg, "a")->argv[0], "/bin/a");
}

static void test_load_file_missing(void **state)
{
	struct config *cfg = *state;

	assert_int_equal(cfg_load_file(cfg, "/nonexistent/dind-init.ini"), -ENOENT);
	assert_int_equal(cfg->nerrors, 0);
	assert_null(cfg->errors);
}

static void test_load_file_is_directory(void **state)
{
	struct config *cfg = *state;

	assert_int_equal(cfg_load_file(cfg, "/"), -EISDIR);
	assert_int_equal(cfg->nerrors, 0);
}

static void test_reload_and_release(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, full_config);
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\n");
	cfg_release(cfg);
	cfg_release(cfg); /* a released config can be released again */
	cfg_init(cfg);
	load_ok(cfg, full_config);
}

static void test_find_service(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, full_config);
	assert_int_equal(cfg_find_service(cfg, "containerd"), 0);
	assert_int_equal(cfg_find_service(cfg, "setup"), 2);
	assert_int_equal(cfg_find_service(cfg, "nope"), -1);
	assert_int_equal(cfg_find_service(cfg, ""), -1);
}

static char *print_to_string(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cfg_print(cfg, f);
	fclose(f);
	return buf;
}

static void test_print(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, full_config);
	out = print_to_string(cfg);
	assert_string_equal(out,
			    "t.ini: 3 services, in start order:\n"
			    "  1. containerd  simple   restart=on-failure  critical  "
			    "/usr/bin/containerd --log-level warn\n"
			    "  2. setup       oneshot  restart=no          "
			    "sh -c 'mkdir -p /run/x && echo \"ok\"'\n"
			    "  3. dockerd     notify   restart=always      after containerd,setup  "
			    "ready=notify  /usr/bin/dockerd --host=unix:///run/d.sock\n"
			    "main command starts after: dockerd, containerd\n");
	free(out);
	cfg_release(cfg);

	load_ok(cfg, "[init]\nmain_after=\n");
	out = print_to_string(cfg);
	assert_string_equal(out, "t.ini: no services\nmain command starts after: (none)\n");
	free(out);
}

/* Readiness, health and sd_notify. */

static const char probe_config[] = "[init]\n"					      /* 1 */
				   "control_socket = /run/ctl.sock\n"		      /* 2 */
				   "runtime_dir = /run/di/\n"			      /* 3 */
				   "[service:containerd]\n"			      /* 4 */
				   "command = containerd\n"			      /* 5 */
				   "ready = socket /run/containerd/containerd.sock\n" /* 6 */
				   "ready_timeout = 0\n"			      /* 7 */
				   "ready_interval = 20ms\n"			      /* 8 */
				   "[service:dockerd]\n"			      /* 9 */
				   "command = dockerd\n"			      /* 10 */
				   "depends_on = containerd\n"			      /* 11 */
				   "ready = http /var/run/docker.sock /_ping\n"	      /* 12 */
				   "health = http 127.0.0.1:2375 /_ping\n"	      /* 13 */
				   "health_interval = 30s\n"			      /* 14 */
				   "health_timeout = 2s\n"			      /* 15 */
				   "health_retries = 5\n"			      /* 16 */
				   "watchdog = 1m\n"				      /* 17 */
				   "notify_access = main\n"			      /* 18 */
				   "[service:worker]\n"				      /* 19 */
				   "command = worker\n"				      /* 20 */
				   "ready = notify\n"				      /* 21 */
				   "health = exec /bin/check --fast\n"		      /* 22 */
				   "[service:filer]\n"				      /* 23 */
				   "command = filer\n"				      /* 24 */
				   "ready = file /run/filer.ready\n"		      /* 25 */
				   "health = tcp [::1]:80\n"			      /* 26 */
				   "watchdog = 0\n";				      /* 27 */

static void test_probe_keys(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *c, *d, *w, *f;

	load_ok(cfg, probe_config);
	assert_string_equal(cfg->control_socket, "/run/ctl.sock");
	assert_string_equal(cfg->runtime_dir, "/run/di");

	c = svc(cfg, "containerd");
	assert_int_equal(c->ready.kind, PROBE_SOCKET);
	assert_string_equal(c->ready.path, "/run/containerd/containerd.sock");
	assert_int_equal(c->ready_timeout_ms, 0);
	assert_int_equal(c->ready_interval_ms, 20);
	assert_int_equal(c->health.kind, PROBE_NONE);
	assert_int_equal(c->notify_access, NOTIFY_ACCESS_NONE);
	assert_false(c->notify_socket);

	d = svc(cfg, "dockerd");
	assert_int_equal(d->ready.kind, PROBE_HTTP);
	assert_string_equal(d->ready.path, "/var/run/docker.sock");
	assert_string_equal(d->ready.http_path, "/_ping");
	assert_int_equal(d->health.kind, PROBE_HTTP);
	assert_null(d->health.path);
	assert_int_equal(d->health.addrlen, sizeof(struct sockaddr_in));
	assert_string_equal(d->health.http_path, "/_ping");
	assert_int_equal(d->health_interval_ms, 30000);
	assert_int_equal(d->health_timeout_ms, 2000);
	assert_int_equal(d->health_retries, 5);
	assert_int_equal(d->watchdog_ms, 60000);
	assert_int_equal(d->notify_access, NOTIFY_ACCESS_MAIN);
	assert_true(d->notify_socket);
	assert_int_equal(d->ready_timeout_ms, 60000);
	assert_int_equal(d->ready_interval_ms, 50);

	w = svc(cfg, "worker");
	assert_int_equal(w->type, SVC_SIMPLE);
	assert_int_equal(w->ready.kind, PROBE_NOTIFY);
	assert_int_equal(w->health.kind, PROBE_EXEC);
	assert_int_equal(w->health.argc, 2);
	assert_string_equal(w->health.argv[0], "/bin/check");
	assert_string_equal(w->health.argv[1], "--fast");
	assert_int_equal(w->notify_access, NOTIFY_ACCESS_MAIN);
	assert_true(w->notify_socket);

	f = svc(cfg, "filer");
	assert_int_equal(f->ready.kind, PROBE_FILE);
	assert_string_equal(f->ready.path, "/run/filer.ready");
	assert_int_equal(f->health.kind, PROBE_TCP);
	assert_int_equal(f->health.addrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(f->watchdog_ms, 0);
	assert_false(f->notify_socket);
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

static void test_bad_probe_values(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\n"				/* 1 */
		      "command = x\n"				/* 2 */
		      "ready = socket run/a.sock\n"		/* 3 */
		      "health = ping 127.0.0.1\n"		/* 4 */
		      "[service:b]\n"				/* 5 */
		      "command = x\n"				/* 6 */
		      "ready = tcp 127.0.0.1:70000\n"		/* 7 */
		      "health = notify\n"			/* 8 */
		      "[service:c]\n"				/* 9 */
		      "command = x\n"				/* 10 */
		      "ready = http docker.local:2375 /_ping\n" /* 11 */
		      "health = exec 'oops\n");			/* 12 */
	assert_int_equal(cfg->nerrors, 6);
	expect_error(cfg, 3,
		     "bad value 'socket run/a.sock' for ready: the socket path must be absolute: "
		     "start it with '/'");
	expect_error(cfg, 4,
		     "bad value 'ping 127.0.0.1' for health: expected: notify, socket PATH, http "
		     "SOCKET-PATH|HOST:PORT URL-PATH, tcp HOST:PORT, exec COMMAND [ARGS], file "
		     "PATH");
	expect_error(cfg, 7, "bad value 'tcp 127.0.0.1:70000' for ready: bad port: use 1 to 65535");
	expect_error(cfg, 8,
		     "health cannot be notify: use watchdog = DURATION for sd_notify keep-alives");
	expect_error(cfg, 11,
		     "bad value 'http docker.local:2375 /_ping' for ready: HOST must be an IP "
		     "address or localhost (no DNS lookups)");
	expect_error(cfg, 12, "bad value 'exec 'oops' for health: unterminated single quote");
	assert_int_equal(svc(cfg, "b")->health.kind, PROBE_NONE);
}

static void test_bad_probe_socket_too_long(void **state)
{
	struct config *cfg = *state;
	char text[400], path[200];

	memset(path, 'x', sizeof(path));
	path[0] = '/';
	path[108] = '\0';
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nready = socket %s\n", path);
	expect_only_error(cfg, text, 3, "for ready: unix socket path too long (limit 107 bytes)");
}

static void test_bad_probe_timings(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\n"		   /* 1 */
		      "command = x\n"		   /* 2 */
		      "ready_timeout = soon\n"	   /* 3 */
		      "ready_interval = 0\n"	   /* 4 */
		      "health_interval = 0ms\n"	   /* 5 */
		      "health_timeout = 0\n"	   /* 6 */
		      "health_retries = 0\n"	   /* 7 */
		      "watchdog = -1s\n"	   /* 8 */
		      "notify_access = all\n"	   /* 9 */
		      "[service:b]\n"		   /* 10 */
		      "command = x\n"		   /* 11 */
		      "health_retries = three\n"   /* 12 */
		      "ready_timeout = 8761h\n"	   /* 13 */
		      "health_interval = 1.5s\n"); /* 14 */
	assert_int_equal(cfg->nerrors, 10);
	expect_error(cfg, 3,
		     "bad duration 'soon' for ready_timeout: use a number with ms, s, m or h");
	expect_error(cfg, 4, "bad duration '0' for ready_interval: it must be longer than 0");
	expect_error(cfg, 5, "bad duration '0ms' for health_interval: it must be longer than 0");
	expect_error(cfg, 6, "bad duration '0' for health_timeout: it must be longer than 0");
	expect_error(cfg, 7, "bad value '0' for health_retries: use a whole number of 1 or more");
	expect_error(cfg, 8, "bad duration '-1s' for watchdog");
	expect_error(cfg, 9, "bad value 'all' for notify_access: expected main or none");
	expect_error(cfg, 12, "bad value 'three' for health_retries");
	expect_error(cfg, 13, "duration '8761h' for ready_timeout is too long: use at most 8760h");
	expect_error(cfg, 14, "bad duration '1.5s' for health_interval");
	/* Bad values leave the defaults. */
	assert_int_equal(svc(cfg, "a")->ready_interval_ms, 50);
	assert_int_equal(svc(cfg, "a")->health_retries, 3);
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
	cfg_release(cfg);
	/* The key is reported where it is, even above the type line. */
	expect_only_error(cfg, "[service:s]\ncommand = x\nready = notify\ntype = oneshot\n", 3,
			  "ready does not apply to a oneshot");
}

static void test_notify_access_none_conflicts(void **state)
{
	struct config *cfg = *state;

	expect_only_error(
		cfg, "[service:a]\ncommand = x\nnotify_access = none\nready = notify\n", 3,
		"notify_access = none leaves no way to send READY=1 for ready = notify in "
		"[service:a]: use notify_access = main");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ntype = notify\nnotify_access = none\n", 4,
			  "notify_access = none leaves no way to send READY=1 for ready = notify "
			  "(implied by type = notify) in [service:a]: use notify_access = main");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nwatchdog = 5s\nnotify_access = none\n", 4,
			  "notify_access = none leaves no way to send WATCHDOG=1 for watchdog in "
			  "[service:a]: use notify_access = main or remove watchdog");
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\ncommand = x\nready = notify\nwatchdog = 5s\n"
		      "notify_access = none\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 5, "READY=1");
	expect_error(cfg, 5, "WATCHDOG=1");
}

static void test_control_socket(void **state)
{
	struct config *cfg = *state;
	char text[400], path[200];

	load_ok(cfg, "[init]\ncontrol_socket = none\n");
	assert_null(cfg->control_socket);
	cfg_release(cfg);

	expect_only_error(cfg, "[init]\ncontrol_socket = run/ctl.sock\n", 2,
			  "bad value 'run/ctl.sock' for control_socket: use an absolute path or "
			  "none");
	assert_string_equal(cfg->control_socket, DEFAULT_CONTROL_SOCKET);
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\ncontrol_socket = NONE\n", 2,
			  "bad value 'NONE' for control_socket");
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\ncontrol_socket = /a\ncontrol_socket = /b\n", 3,
			  "control_socket already set at line 2: remove one of the two lines");
	cfg_release(cfg);

	/* 107 bytes fit in sun_path, 108 do not. */
	memset(path, 'c', sizeof(path));
	path[0] = '/';
	path[107] = '\0';
	snprintf(text, sizeof(text), "[init]\ncontrol_socket = %s\n", path);
	load_ok(cfg, text);
	assert_string_equal(cfg->control_socket, path);
	cfg_release(cfg);
	path[107] = 'c';
	path[108] = '\0';
	snprintf(text, sizeof(text), "[init]\ncontrol_socket = %s\n", path);
	expect_only_error(cfg, text, 2,
			  "bad value for control_socket: unix socket path too long (108 bytes, "
			  "limit 107): use a shorter path");
}

static void test_runtime_dir(void **state)
{
	struct config *cfg = *state;
	char text[600], dir[200];

	load_ok(cfg, "[init]\nruntime_dir = /\n");
	assert_string_equal(cfg->runtime_dir, "/");
	cfg_release(cfg);
	load_ok(cfg, "[init]\nruntime_dir = /run/x///\n");
	assert_string_equal(cfg->runtime_dir, "/run/x");
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\nruntime_dir = run\n", 2,
			  "bad value 'run' for runtime_dir: use an absolute path");
	assert_string_equal(cfg->runtime_dir, DEFAULT_RUNTIME_DIR);
	cfg_release(cfg);

	/* DIR/NAME.notify: 67 + 1 + 32 + 7 = 107 bytes fit. */
	memset(dir, 'd', sizeof(dir));
	dir[0] = '/';
	dir[67] = '\0';
	snprintf(text, sizeof(text),
		 "[init]\nruntime_dir = %s\n[service:abcdefghijklmnopqrstuvwxyz012345]\n"
		 "command = x\ntype = notify\n",
		 dir);
	load_ok(cfg, text);
	cfg_release(cfg);

	/* One more byte is over, reported at the service header; services without a notify
	 * socket are not affected. */
	dir[67] = 'd';
	dir[68] = '\0';
	snprintf(text, sizeof(text),
		 "[init]\nruntime_dir = %s\n[service:plain]\ncommand = x\n"
		 "[service:abcdefghijklmnopqrstuvwxyz012345]\ncommand = x\ntype = notify\n",
		 dir);
	expect_only_error(cfg, text, 5, "notify socket path ");
	expect_error(cfg, 5,
		     "/abcdefghijklmnopqrstuvwxyz012345.notify is too long (108 bytes, limit 107): "
		     "set a shorter runtime_dir in [init] or a shorter service name");
}

static void test_print_probes(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, "[service:db]\ncommand = /usr/bin/db\nready = socket /run/db.sock\n"
		     "[service:web]\ncommand = /usr/bin/web --port '80 80'\ndepends_on = db\n"
		     "ready = http 127.0.0.1:80 /health\nhealth = exec /bin/check 'a b'\n");
	out = print_to_string(cfg);
	assert_string_equal(out,
			    "t.ini: 2 services, in start order:\n"
			    "  1. db   simple   restart=always      ready=socket /run/db.sock  "
			    "/usr/bin/db\n"
			    "  2. web  simple   restart=always      after db  ready=http "
			    "127.0.0.1:80 /health  health=exec /bin/check 'a b'  /usr/bin/web "
			    "--port '80 80'\n"
			    "main command starts after: db, web\n");
	free(out);
}

/* Container setup ([init]), args_to, args_env, cfg_append_args and the shipped default file. */

static const char *const default_stale[] = {
	"/var/run/docker.pid",	"/run/docker.pid",  "/run/containerd/containerd.pid",
	"/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
};

static void assert_setup_defaults(const struct cfg_setup *s)
{
	int i;

	assert_int_equal(s->setup, TRI_AUTO);
	assert_int_equal(s->nmount_tmpfs, 2);
	assert_string_equal(s->mount_tmpfs[0], "/run");
	assert_string_equal(s->mount_tmpfs[1], "/tmp");
	assert_int_equal(s->securityfs, TRI_AUTO);
	assert_int_equal(s->sys_rw, TRI_AUTO);
	assert_int_equal(s->cgroups, CGROUPS_AUTO);
	assert_int_equal(s->iptables, IPTABLES_AUTO);
	assert_true(s->make_rshared);
	assert_int_equal(s->nstale_files, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(s->stale_files[i], default_stale[i]);
	assert_int_equal(s->rlimit_nofile, RLIMIT_NOFILE_HARD);
	assert_string_equal(s->data_root, "/var/lib/docker");
	assert_int_equal(s->preflight, TRI_AUTO);
	assert_int_equal(s->nwritable_paths, 1);
	assert_string_equal(s->writable_paths[0], "/run");
}

static void assert_init_defaults(const struct config *cfg)
{
	assert_setup_defaults(&cfg->setup);
	assert_int_equal(cfg->service_output, OUTPUT_STDOUT);
	assert_null(cfg->args_to);
	assert_int_equal(cfg->args_to_idx, -1);
}

static void test_setup_defaults(void **state)
{
	struct config *cfg = *state;

	/* Right after cfg_init, and after a load that does not mention them. */
	assert_init_defaults(cfg);
	load_ok(cfg, "[service:a]\ncommand = /bin/a\n");
	assert_init_defaults(cfg);
	assert_null(svc(cfg, "a")->args_env);
	cfg_release(cfg);
	load_ok(cfg, "");
	assert_init_defaults(cfg);
}

static const char setup_config[] = "[init]\n"			      /* 1 */
				   "setup = yes\n"		      /* 2 */
				   "mount_tmpfs = /run, /tmp/ /run\n" /* 3 */
				   "    /var/tmp,/dev/shm\n"	      /* 4 */
				   "securityfs = no\n"		      /* 5 */
				   "sys_rw = yes\n"		      /* 6 */
				   "cgroups = v2\n"		      /* 7 */
				   "iptables = nft\n"		      /* 8 */
				   "make_rshared = no\n"	      /* 9 */
				   "stale_files = /run/a.pid\n"	      /* 10 */
				   "\t/run/b.sock ; a comment\n"      /* 11 */
				   "    /run/a.pid\n"		      /* 12 */
				   "rlimit_nofile = 1048576\n"	      /* 13 */
				   "data_root = /srv/docker/\n"	      /* 14 */
				   "preflight = off\n"		      /* 15 */
				   "service_output = stderr\n"	      /* 16 */
				   "args_to = dockerd\n"	      /* 17 */
				   "writable_paths = /srv/a /run/\n"  /* 18 */
				   "  /srv/b\n"			      /* 19 */
				   "[service:containerd]\n"	      /* 20 */
				   "command = containerd\n"	      /* 21 */
				   "args_env = CONTAINERD_ARGS\n"     /* 22 */
				   "[service:dockerd]\n"	      /* 23 */
				   "command = dockerd\n"	      /* 24 */
				   "args_env = _dockerd_args2\n";     /* 25 */

static void test_setup_keys(void **state)
{
	struct config *cfg = *state;
	const struct cfg_setup *s = &cfg->setup;

	load_ok(cfg, setup_config);
	assert_int_equal(s->setup, TRI_YES);
	/* Commas and/or blanks, continuation lines, a trailing '/' dropped, duplicates dropped. */
	assert_int_equal(s->nmount_tmpfs, 4);
	assert_string_equal(s->mount_tmpfs[0], "/run");
	assert_string_equal(s->mount_tmpfs[1], "/tmp");
	assert_string_equal(s->mount_tmpfs[2], "/var/tmp");
	assert_string_equal(s->mount_tmpfs[3], "/dev/shm");
	assert_int_equal(s->securityfs, TRI_NO);
	assert_int_equal(s->sys_rw, TRI_YES);
	assert_int_equal(s->cgroups, CGROUPS_V2);
	assert_int_equal(s->iptables, IPTABLES_NFT);
	assert_false(s->make_rshared);
	assert_int_equal(s->nstale_files, 2);
	assert_string_equal(s->stale_files[0], "/run/a.pid");
	assert_string_equal(s->stale_files[1], "/run/b.sock");
	assert_int_equal(s->rlimit_nofile, 1048576);
	assert_string_equal(s->data_root, "/srv/docker");
	assert_int_equal(s->preflight, TRI_NO);
	/* The key line replaces the default "/run"; it may list it again. */
	assert_int_equal(s->nwritable_paths, 3);
	assert_string_equal(s->writable_paths[0], "/srv/a");
	assert_string_equal(s->writable_paths[1], "/run");
	assert_string_equal(s->writable_paths[2], "/srv/b");
	assert_int_equal(cfg->service_output, OUTPUT_STDERR);
	assert_string_equal(cfg->args_to, "dockerd");
	assert_int_equal(cfg->args_to_idx, 1);
	assert_string_equal(svc(cfg, "containerd")->args_env, "CONTAINERD_ARGS");
	assert_string_equal(svc(cfg, "dockerd")->args_env, "_dockerd_args2");
}

static void test_setup_other_values(void **state)
{
	struct config *cfg = *state;
	const struct cfg_setup *s = &cfg->setup;

	load_ok(cfg, "[init]\nsetup = no\nsecurityfs = yes\nsys_rw = no\ncgroups = v1\n"
		     "iptables = legacy\nmake_rshared = yes\nrlimit_nofile = keep\n"
		     "data_root = none\npreflight = yes\nservice_output = stdout\n");
	assert_int_equal(s->setup, TRI_NO);
	assert_int_equal(s->securityfs, TRI_YES);
	assert_int_equal(s->sys_rw, TRI_NO);
	assert_int_equal(s->cgroups, CGROUPS_V1);
	assert_int_equal(s->iptables, IPTABLES_LEGACY);
	assert_true(s->make_rshared);
	assert_int_equal(s->rlimit_nofile, RLIMIT_NOFILE_KEEP);
	assert_null(s->data_root);
	assert_int_equal(s->preflight, TRI_YES);
	assert_int_equal(cfg->service_output, OUTPUT_STDOUT);
	cfg_release(cfg);

	load_ok(cfg, "[init]\nsetup = auto\ncgroups = no\niptables = no\nrlimit_nofile = 1\n"
		     "securityfs = auto\nsys_rw = true\ndata_root = /\n");
	assert_int_equal(s->setup, TRI_AUTO);
	assert_int_equal(s->cgroups, CGROUPS_NO);
	assert_int_equal(s->iptables, IPTABLES_NO);
	assert_int_equal(s->rlimit_nofile, 1);
	assert_int_equal(s->securityfs, TRI_AUTO);
	assert_int_equal(s->sys_rw, TRI_YES);
	assert_string_equal(s->data_root, "/");
}

static void test_setup_lists_empty(void **state)
{
	struct config *cfg = *state;
	const struct cfg_setup *s = &cfg->setup;

	load_ok(cfg, "[init]\nmount_tmpfs =\nstale_files =   ; none\nwritable_paths =\n");
	assert_int_equal(s->nmount_tmpfs, 0);
	assert_null(s->mount_tmpfs[0]);
	assert_int_equal(s->nstale_files, 0);
	assert_null(s->stale_files[0]);
	assert_int_equal(s->nwritable_paths, 0);
	assert_null(s->writable_paths[0]);
	cfg_release(cfg);

	/* An empty key line then the list on indented lines, as for depends_on. */
	load_ok(cfg, "[init]\nmount_tmpfs =\n    /run\n    /tmp\nstale_files =\n  /x.pid\n");
	assert_int_equal(s->nmount_tmpfs, 2);
	assert_string_equal(s->mount_tmpfs[1], "/tmp");
	assert_int_equal(s->nstale_files, 1);
	assert_string_equal(s->stale_files[0], "/x.pid");
	cfg_release(cfg);

	/* Exactly MAX_SETUP_PATHS fit. */
	load_ok(cfg, "[init]\nmount_tmpfs = /1 /2 /3 /4 /5 /6 /7 /8\n  /9 /10 /11 /12 /13 /14 /15 "
		     "/16\n  /1\n");
	assert_int_equal(s->nmount_tmpfs, MAX_SETUP_PATHS);
	assert_string_equal(s->mount_tmpfs[15], "/16");
}

static void test_setup_bad_values(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\n"		     /* 1 */
		      "setup = maybe\n"		     /* 2 */
		      "securityfs = 2\n"	     /* 3 */
		      "sys_rw = rw\n"		     /* 4 */
		      "cgroups = v3\n"		     /* 5 */
		      "iptables = iptables-nft\n"    /* 6 */
		      "make_rshared = auto\n"	     /* 7 */
		      "rlimit_nofile = 0\n"	     /* 8 */
		      "data_root = var/lib/docker\n" /* 9 */
		      "preflight = never\n"	     /* 10 */
		      "service_output = syslog\n");  /* 11 */
	assert_int_equal(cfg->nerrors, 10);
	expect_error(cfg, 2, "bad value 'maybe' for setup: expected auto, yes or no");
	expect_error(cfg, 3, "bad value '2' for securityfs: expected auto, yes or no");
	expect_error(cfg, 4, "bad value 'rw' for sys_rw: expected auto, yes or no");
	expect_error(cfg, 5, "bad value 'v3' for cgroups: expected auto, v1, v2 or no");
	expect_error(cfg, 6,
		     "bad value 'iptables-nft' for iptables: expected auto, legacy, nft or no");
	expect_error(cfg, 7, "bad value 'auto' for make_rshared: use yes or no");
	expect_error(cfg, 8,
		     "bad value '0' for rlimit_nofile: expected hard, keep or a whole number of 1 "
		     "or more");
	expect_error(cfg, 9,
		     "bad value 'var/lib/docker' for data_root: use an absolute path or none");
	expect_error(cfg, 10, "bad value 'never' for preflight: expected auto, yes or no");
	expect_error(cfg, 11, "bad value 'syslog' for service_output: expected stdout or stderr");
	/* Bad values leave the defaults. */
	assert_int_equal(cfg->setup.setup, TRI_AUTO);
	assert_int_equal(cfg->setup.cgroups, CGROUPS_AUTO);
	assert_true(cfg->setup.make_rshared);
	assert_int_equal(cfg->setup.rlimit_nofile, RLIMIT_NOFILE_HARD);
	assert_string_equal(cfg->setup.data_root, "/var/lib/docker");
	assert_int_equal(cfg->service_output, OUTPUT_STDOUT);
	cfg_release(cfg);

	expect_only_error(
		cfg, "[init]\nrlimit_nofile = -5\n", 2,
		"bad value '-5' for rlimit_nofile: expected hard, keep or a whole number");
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\nrlimit_nofile = 99999999999\n", 2,
			  "bad value '99999999999' for rlimit_nofile");
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\nrlimit_nofile = soft\n", 2,
			  "bad value 'soft' for rlimit_nofile");
}

static void test_setup_bad_paths(void **state)
{
	struct config *cfg = *state;
	const struct cfg_setup *s = &cfg->setup;

	/* Each relative path is reported; the good ones of the line are kept. */
	load_bad(cfg, "[init]\n"
		      "mount_tmpfs = run /tmp ./x\n"
		      "stale_files = /run/a.pid\n"
		      "   docker.pid\n"
		      "writable_paths = var/lib/docker /run\n");
	assert_int_equal(cfg->nerrors, 4);
	expect_error(cfg, 2, "bad path 'run' in mount_tmpfs: use absolute paths");
	expect_error(cfg, 2, "bad path './x' in mount_tmpfs: use absolute paths");
	expect_error(cfg, 4, "bad path 'docker.pid' in stale_files: use absolute paths");
	expect_error(cfg, 5, "bad path 'var/lib/docker' in writable_paths: use absolute paths");
	assert_int_equal(s->nwritable_paths, 1);
	assert_int_equal(s->nmount_tmpfs, 1);
	assert_string_equal(s->mount_tmpfs[0], "/tmp");
	assert_int_equal(s->nstale_files, 1);
	cfg_release(cfg);

	expect_only_error(cfg, "[init]\nmount_tmpfs = /run //\n", 2,
			  "bad path '/' in mount_tmpfs: a tmpfs there would hide the whole "
			  "image; remove it");
	cfg_release(cfg);

	/* One over the limit: one error, the first MAX_SETUP_PATHS kept. */
	expect_only_error(cfg,
			  "[init]\nstale_files = /1 /2 /3 /4 /5 /6 /7 /8 /9\n"
			  "  /10 /11 /12 /13 /14 /15 /16 /17 /18\n",
			  3, "too many paths in stale_files (limit 16): remove some");
	assert_int_equal(s->nstale_files, MAX_SETUP_PATHS);
	cfg_release(cfg);

	/* A list key is continued, not repeated. */
	expect_only_error(cfg, "[init]\nmount_tmpfs = /run\nmount_tmpfs = /tmp\n", 3,
			  "mount_tmpfs already set at line 2: continue it on indented lines "
			  "instead of repeating the key");
	assert_int_equal(s->nmount_tmpfs, 1);
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\ncgroups = v2\n  v1\n", 3,
			  "cgroups already set at line 2: only command, depends_on");
}

/* setup = auto under another init: only a known minimal init that is PID 1 of a container. */
static void test_setup_decide(void **state)
{
	static const struct {
		enum tristate setup;
		int nservices;
		struct setup_facts f;
		enum setup_decision want;
	} rows[] = {
		/* PID 1 (docker run without --init) */
		{ TRI_AUTO, 2, { .pid1 = true }, SETUP_RUN_PID1 },
		{ TRI_AUTO, 0, { .pid1 = true }, SETUP_SKIP_NO_SERVICES },
		{ TRI_NO, 2, { .pid1 = true }, SETUP_SKIP_OFF },
		{ TRI_YES, 0, { .pid1 = false }, SETUP_RUN_FORCED },
		/* docker run --init: Docker's tini as /sbin/docker-init, /.dockerenv */
		{ TRI_AUTO,
		  2,
		  { false, true, "docker-init", "/usr/sbin/docker-init", true },
		  SETUP_RUN_UNDER_INIT },
		/* the exe alone, or the comm alone (exe unreadable), is enough */
		{ TRI_AUTO,
		  2,
		  { false, true, "init", "/usr/bin/tini-static", true },
		  SETUP_RUN_UNDER_INIT },
		{ TRI_AUTO, 2, { false, true, "catatonit", NULL, true }, SETUP_RUN_UNDER_INIT },
		{ TRI_AUTO,
		  2,
		  { false, true, "podman-init", "/run/podman-init", true },
		  SETUP_RUN_UNDER_INIT },
		{ TRI_AUTO,
		  2,
		  { false, true, "dumb-init", "/usr/bin/dumb-init", true },
		  SETUP_RUN_UNDER_INIT },
		{ TRI_AUTO, 2, { false, true, "tini", "/tini", true }, SETUP_RUN_UNDER_INIT },
		/* ...but never without services, and never when turned off */
		{ TRI_AUTO, 0, { false, true, "tini", "/tini", true }, SETUP_SKIP_NO_SERVICES },
		{ TRI_NO, 2, { false, true, "tini", "/tini", true }, SETUP_SKIP_OFF },
		/* a host: systemd or another full init is PID 1; never matched */
		{ TRI_AUTO,
		  2,
		  { false, true, "systemd", "/usr/lib/systemd/systemd", true },
		  SETUP_SKIP_NOT_PID1 },
		{ TRI_AUTO, 2, { false, true, "init", "/sbin/init", true }, SETUP_SKIP_NOT_PID1 },
		{ TRI_AUTO,
		  2,
		  { false, true, "bash", "/usr/bin/bash", true },
		  SETUP_SKIP_NOT_PID1 },
		/* a known init but no sign of a container: a host (or a VM) booted with tini */
		{ TRI_AUTO,
		  2,
		  { false, true, "tini", "/usr/bin/tini", false },
		  SETUP_SKIP_NOT_PID1 },
		/* a grandchild of tini (tini -> sh -> dind-init), or docker exec (parent outside)
		 */
		{ TRI_AUTO,
		  2,
		  { false, false, "tini", "/usr/bin/tini", true },
		  SETUP_SKIP_NOT_PID1 },
		/* names are whole base names: no prefixes, no suffixes */
		{ TRI_AUTO,
		  2,
		  { false, true, "tini2", "/usr/bin/tinix", true },
		  SETUP_SKIP_NOT_PID1 },
		{ TRI_AUTO, 2, { false, true, NULL, NULL, true }, SETUP_SKIP_NOT_PID1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum setup_decision got =
			cfg_setup_decide(rows[i].setup, rows[i].nservices, &rows[i].f);

		if (got != rows[i].want)
			fail_msg("row %zu: got %d, want %d", i, (int)got, (int)rows[i].want);
	}
	assert_string_equal(cfg_minimal_init(&rows[4].f), "docker-init");
	assert_string_equal(cfg_minimal_init(&rows[5].f), "tini-static");
	assert_null(cfg_minimal_init(&rows[12].f));
}

static void test_args_to(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[init]\nargs_to = b\n[service:a]\ncommand = a\n[service:b]\ncommand = b\n");
	assert_string_equal(cfg->args_to, "b");
	assert_int_equal(cfg->args_to_idx, 1);
	cfg_release(cfg);

	/* Empty or none: no service takes the arguments. */
	load_ok(cfg, "[init]\nargs_to =\n[service:a]\ncommand = a\n");
	assert_null(cfg->args_to);
	assert_int_equal(cfg->args_to_idx, -1);
	cfg_release(cfg);
	load_ok(cfg, "[init]\nargs_to = none\n[service:a]\ncommand = a\n");
	assert_null(cfg->args_to);
	assert_int_equal(cfg->args_to_idx, -1);
	cfg_release(cfg);

	/* Reported at the args_to line, in file order among the other errors. */
	load_bad(cfg, "[service:a]\ncommand = a\n[init]\nargs_to = dockerd\nlog_level = x\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 4,
		     "args_to names unknown service 'dockerd': define [service:dockerd] or remove "
		     "args_to");
	assert_non_null(strstr(cfg->errors[0], "t.ini:4: "));
	assert_int_equal(cfg->args_to_idx, -1);
	cfg_release(cfg);

	expect_only_error(cfg, "[init]\nargs_to = a\nargs_to = a\n[service:a]\ncommand = a\n", 3,
			  "args_to already set at line 2");
}

static void test_args_env(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\ncommand = a\nargs_env = 1ARGS\n"
		      "[service:b]\ncommand = b\nargs_env = A-B\n"
		      "[service:c]\ncommand = c\nargs_env = A B\n"
		      "[service:d]\ncommand = d\nargs_env = A=1\n");
	assert_int_equal(cfg->nerrors, 4);
	expect_error(cfg, 3,
		     "bad value '1ARGS' for args_env: use an environment variable name made of "
		     "letters, digits and _, not starting with a digit");
	expect_error(cfg, 6, "bad value 'A-B' for args_env");
	expect_error(cfg, 9, "bad value 'A B' for args_env");
	expect_error(cfg, 12, "bad value 'A=1' for args_env");
	assert_null(svc(cfg, "a")->args_env);
	cfg_release(cfg);

	load_ok(cfg, "[service:a]\ncommand = a\nargs_env =\n[service:b]\ncommand = b\n"
		     "args_env = X\n");
	assert_null(svc(cfg, "a")->args_env);
	assert_string_equal(svc(cfg, "b")->args_env, "X");
	cfg_release(cfg);

	expect_only_error(cfg, "[service:a]\ncommand = a\nargs_env = X\nargs_env = Y\n", 4,
			  "args_env already set at line 3: remove one of the two lines");
	assert_string_equal(svc(cfg, "a")->args_env, "X");
}

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

static void test_print_setup(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, setup_config);
	out = print_to_string(cfg);
	assert_string_equal(
		out, "t.ini: 2 services, in start order:\n"
		     "  1. containerd  simple   restart=always      containerd\n"
		     "  2. dockerd     simple   restart=always      dockerd\n"
		     "main command starts after: containerd, dockerd\n"
		     "COMMAND arguments starting with '-' go to: dockerd\n"
		     "service output goes to: stderr\n"
		     "container setup: setup=yes, mount_tmpfs=/run,/tmp,/var/tmp,/dev/shm, "
		     "securityfs=no, sys_rw=yes, cgroups=v2, iptables=nft, make_rshared=no, "
		     "stale_files=/run/a.pid,/run/b.sock, rlimit_nofile=1048576, "
		     "data_root=/srv/docker, preflight=no, writable_paths=/srv/a,/run,/srv/b\n");
	free(out);
	cfg_release(cfg);

	load_ok(cfg, "[init]\nmount_tmpfs =\nstale_files = /run /tmp\nrlimit_nofile = keep\n"
		     "data_root = none\nwritable_paths =\n");
	out = print_to_string(cfg);
	assert_string_equal(out, "t.ini: no services\n"
				 "main command starts after: (none)\n"
				 "container setup: mount_tmpfs=(none), stale_files=/run,/tmp, "
				 "rlimit_nofile=keep, data_root=none, writable_paths=(none)\n");
	free(out);
	cfg_release(cfg);

	/* Defaults written out explicitly print nothing extra. */
	load_ok(cfg, "[init]\nmount_tmpfs = /run /tmp\ndata_root = /var/lib/docker/\n"
		     "stale_files = /var/run/docker.pid /run/docker.pid "
		     "/run/containerd/containerd.pid\n"
		     "  /var/run/docker.sock /run/docker.sock /run/containerd/containerd.sock\n");
	out = print_to_string(cfg);
	assert_string_equal(out, "t.ini: no services\nmain command starts after: (none)\n");
	free(out);
}

/* Load a copy of src made by the test user with mode 0600, as an image's root-owned file. */
static int load_file_copy(struct config *cfg, const char *src)
{
	char path[] = "/tmp/test_config_XXXXXX", buf[4096];
	FILE *in = fopen(src, "re");
	int fd = mkstemp(path), r;
	size_t n;

	assert_non_null(in);
	assert_true(fd >= 0);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(write(fd, buf, n), (ssize_t)n);
	fclose(in);
	close(fd);
	r = cfg_load_file(cfg, path);
	unlink(path);
	return r;
}

/* The default configuration shipped in the images (config/dind-init.ini). */
static void test_default_ini(void **state)
{
#ifdef SOURCE_DIR
	struct config *cfg = *state;
	const struct cfg_service *c, *d, *n, *t;
	int64_t grace_ms;
	int r;

	/* From a copy: the checkout's owner and mode are not what strict_config is about. */
	r = load_file_copy(cfg, SOURCE_DIR "/config/dind-init.ini");
	if (r != 0) {
		dump_errors(cfg);
		fail_msg("loading " SOURCE_DIR "/config/dind-init.ini failed: %d", r);
	}
	assert_int_equal(cfg->nservices, 4);
	t = svc(cfg, "certs");
	c = svc(cfg, "containerd");
	d = svc(cfg, "dockerd");
	n = svc(cfg, "stop-nested");
	assert_int_equal(cfg->order[0], t - cfg->services);
	assert_int_equal(cfg->order[1], c - cfg->services);
	assert_int_equal(cfg->order[2], d - cfg->services);
	assert_non_null(cfg->control_group);
	assert_string_equal(cfg->control_group, "${DOCKER_GROUP_GID:-docker}");

	/* The certificates, before dockerd, only with TLS on and not in the dockerd ... form. */
	assert_int_equal(t->type, SVC_ONESHOT);
	assert_true(t->critical);
	assert_string_equal(t->argv[0], "dind-certs");
	assert_int_equal(t->when.n, 2);
	assert_string_equal(t->when.v[0].name, "DOCKER_TLS_CERTDIR");
	assert_int_equal(t->when.v[1].kind, COND_REPLACED);
	assert_true(t->when.v[1].negate);
	assert_int_equal(cfg->nmain_after, 1);
	assert_int_equal(cfg->main_after[0], d - cfg->services);
	assert_int_equal(cfg->args_to_idx, d - cfg->services);
	assert_int_equal(cfg->service_output, OUTPUT_STDERR);
	assert_setup_defaults(&cfg->setup);

	/* containerd's data on the /var/lib/docker volume, as dockerd's managed containerd's. */
	assert_int_equal(c->argc, 7);
	assert_string_equal(c->argv[0], "containerd");
	assert_string_equal(c->argv[1], "--log-level");
	assert_string_equal(c->argv[2], "warn");
	assert_string_equal(c->argv[3], "--root");
	assert_string_equal(c->argv[4], "/var/lib/docker/containerd/daemon");
	assert_string_equal(c->argv[5], "--state");
	assert_string_equal(c->argv[6], "/var/run/docker/containerd/daemon");
	assert_string_equal(c->args_env, "CONTAINERD_ARGS");
	assert_int_equal(c->ready.kind, PROBE_NOTIFY);
	assert_true(c->notify_socket);
	assert_int_equal(c->restart, RESTART_ALWAYS);
	assert_true(c->critical);

	assert_int_equal(d->argc, 3);
	assert_string_equal(d->argv[0], "dockerd");
	assert_string_equal(d->argv[1], "--containerd=/run/containerd/containerd.sock");
	assert_string_equal(d->argv[2], "--host=unix:///var/run/docker.sock");
	assert_string_equal(d->args_env, "DOCKERD_ARGS");
	assert_int_equal(d->ndeps, 2);
	assert_int_equal(d->dep_idx[0], c - cfg->services);
	assert_int_equal(d->dep_idx[1], t - cfg->services);
	/* The listeners, the extra socket, --containerd in the dockerd ... form, the MTU (the
	 * command lines they make: tests/unit/test_cond.c and tests/integration/forms.bats). */
	assert_int_equal(d->nargs_if, 7);
	assert_int_equal(d->ready.kind, PROBE_NOTIFY);
	assert_int_equal(d->ready_timeout_ms, 120000);
	assert_int_equal(d->health.kind, PROBE_HTTP);
	assert_string_equal(d->health.path, "/var/run/docker.sock");
	assert_string_equal(d->health.http_path, "/_ping");
	assert_int_equal(d->health_interval_ms, 10000);
	assert_int_equal(d->restart, RESTART_ALWAYS);
	assert_true(d->critical);
	assert_int_equal(d->nenv, 3);
	assert_string_equal(d->env[0], "container=docker");
	/* GitLab's job variables, passed to services, must not reach dockerd. */
	assert_string_equal(d->env[1], "DOCKER_TLS_VERIFY=");
	assert_string_equal(d->env[2], "DOCKER_CERT_PATH=");

	/* Stopped with dockerd, before containerd. */
	assert_int_equal(n->argc, 2);
	assert_string_equal(n->argv[0], "/usr/local/libexec/dind-init/stop-nested");
	assert_int_equal(n->ndeps, 1);
	assert_int_equal(n->dep_idx[0], c - cfg->services);
	assert_false(n->critical);
	grace_ms = atoi(n->argv[1]) * 1000;

	/* The whole ordered stop fits docker stop's 10 s: grace period > shutdown_timeout >= the
	 * main command's + dockerd's + containerd's stop_timeout; dockerd's > the nested grace. */
	assert_true(cfg->shutdown_timeout_ms < 10000);
	assert_true(cfg->shutdown_timeout_ms >=
		    cfg->main.stop_timeout_ms + d->stop_timeout_ms + c->stop_timeout_ms);
	assert_true(grace_ms > 0 && d->stop_timeout_ms > grace_ms);
	assert_true(n->stop_timeout_ms > grace_ms);
	assert_true(n->stop_timeout_ms <= cfg->shutdown_timeout_ms - cfg->main.stop_timeout_ms);
#else
	(void)state;
	fail_msg("built without SOURCE_DIR: cannot find config/dind-init.ini");
#endif
}

static void test_require_socket(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[init]\n");
	assert_null(cfg->require_socket);
	cfg_release(cfg);
	load_ok(cfg, "[init]\nrequire_socket = /var/run/docker.sock\n");
	assert_string_equal(cfg->require_socket, "/var/run/docker.sock");
	cfg_release(cfg);
	load_ok(cfg, "[init]\nrequire_socket = none\n");
	assert_null(cfg->require_socket);
	cfg_release(cfg);
	load_bad(cfg, "[init]\nrequire_socket = docker.sock\n");
	expect_error(cfg, 2,
		     "bad value 'docker.sock' for require_socket: use an absolute path or none");
}

/* Privileges ([service:NAME] and [main]), strict_config and the byte and line limits. */

/* Asserts an error that starts with prefix (a file and line of another file, or none) and
 * contains part. */
static void expect_error_prefix(const struct config *cfg, const char *prefix, const char *part)
{
	for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
		if (strncmp(cfg->errors[i], prefix, strlen(prefix)) == 0 &&
		    strstr(cfg->errors[i], part))
			return;
	dump_errors(cfg);
	fail_msg("no error '%s...%s'", prefix, part);
}

static void assert_privs_defaults(const struct cfg_privs *p)
{
	assert_false(p->set_user);
	assert_false(p->set_group);
	assert_false(p->set_groups);
	assert_int_equal(p->ngroups, 0);
	assert_false(p->set_caps);
	assert_int_equal(p->caps, 0);
	assert_false(p->no_new_privileges);
	assert_int_equal(p->seccomp, SECCOMP_NONE);
	assert_int_equal(p->nseccomp, 0);
	assert_null(p->seccomp_file);
	assert_null(p->user_name);
	assert_null(p->home);
	assert_int_equal(p->rlimit_nofile, RLIMIT_UNSET);
	assert_int_equal(p->rlimit_nproc, RLIMIT_UNSET);
	assert_int_equal(p->rlimit_core, RLIMIT_UNSET);
	assert_int_equal(p->rlimit_memlock, RLIMIT_UNSET);
	assert_int_equal(p->umask, -1);
}

static void test_privs_defaults(void **state)
{
	struct config *cfg = *state;

	assert_privs_defaults(&cfg->main.privs);
	assert_true(cfg->strict_config);
	assert_null(cfg->insecure_reason);
	load_ok(cfg, "[service:a]\ncommand = x\n");
	assert_privs_defaults(&svc(cfg, "a")->privs);
	assert_privs_defaults(&cfg->main.privs);
	/* "unlimited" must not read as "keep the inherited limit". */
	assert_true(RLIMIT_UNSET != (long)RLIM_INFINITY);
}

static void test_user_by_name(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	load_ok(cfg, "[service:a]\ncommand = x\nuser = builder\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_user);
	assert_int_equal(p->uid, 1000); /* the first entry wins over the second builder */
	assert_int_equal(p->user_gid, 1000);
	assert_string_equal(p->user_name, "builder");
	assert_string_equal(p->home, "/home/builder");
	/* No group =: the primary group applies; set_group says it was not written. */
	assert_false(p->set_group);
	assert_int_equal(p->gid, 1000);
	cfg_release(cfg);

	load_ok(cfg, "[service:a]\ncommand = x\nuser = builder\ngroup = docker\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_group);
	assert_int_equal(p->gid, 999);
	assert_int_equal(p->user_gid, 1000);
	cfg_release(cfg);

	/* An empty home field: no home. */
	load_ok(cfg, "[service:a]\ncommand = x\nuser = nohome\n");
	p = &svc(cfg, "a")->privs;
	assert_int_equal(p->uid, 1003);
	assert_int_equal(p->gid, 100);
	assert_null(p->home);
}

static void test_user_by_number(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	/* A uid in passwd gets its name, home and primary group. */
	load_ok(cfg, "[service:a]\ncommand = x\nuser = 1000\n");
	p = &svc(cfg, "a")->privs;
	assert_int_equal(p->uid, 1000);
	assert_string_equal(p->user_name, "builder");
	assert_string_equal(p->home, "/home/builder");
	assert_int_equal(p->gid, 1000);
	cfg_release(cfg);

	/* One that is not: gid = uid, no name, no home. */
	load_ok(cfg, "[service:a]\ncommand = x\nuser = 4242\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_user);
	assert_int_equal(p->uid, 4242);
	assert_int_equal(p->user_gid, 4242);
	assert_int_equal(p->gid, 4242);
	assert_null(p->user_name);
	assert_null(p->home);
	cfg_release(cfg);

	load_ok(cfg, "[service:a]\ncommand = x\nuser = 0\ngroup = 5\n");
	p = &svc(cfg, "a")->privs;
	assert_int_equal(p->uid, 0);
	assert_string_equal(p->user_name, "root");
	assert_int_equal(p->gid, 5);
	cfg_release(cfg);

	load_ok(cfg, "[service:a]\ncommand = x\nuser = 4294967294\n");
	assert_int_equal(svc(cfg, "a")->privs.uid, 4294967294u);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = 4294967295\n", 3,
			  "bad user '4294967295' for user: a uid is at most 4294967294");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = 99999999999999999999\n", 3,
			  "a uid is at most 4294967294");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser =\n", 3,
			  "empty value for user: use a user name or a uid");
}

static void test_unknown_user(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = nobody2\n", 3,
			  "unknown user 'nobody2' for user: not in " PASSWD
			  " (dind-init reads it directly, without NSS)");
	assert_false(svc(cfg, "a")->privs.set_user);
	cfg_release(cfg);
	/* Malformed, NIS and comment lines are no accounts. */
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = broken\n", 3,
			  "unknown user 'broken'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = short\n", 3,
			  "unknown user 'short'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = +nisuser\n", 3,
			  "unknown user '+nisuser'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = 1000x\n", 3,
			  "unknown user '1000x'");
	cfg_release(cfg);

	/* Without a passwd file a name cannot be resolved; a number still works. */
	cfg_set_account_files("/nonexistent/passwd", "/nonexistent/group");
	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = builder\n", 3,
			  "cannot read /nonexistent/passwd to look up user 'builder' for user: "
			  "No such file or directory: use a uid instead");
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\ncommand = x\ngroup = docker\n");
	expect_error(cfg, 3,
		     "cannot read /nonexistent/group to look up group 'docker' for group: No such "
		     "file or directory: use a number instead");
	cfg_release(cfg);
	load_ok(cfg, "[service:a]\ncommand = x\nuser = 1000\ngroup = 999\n");
	assert_int_equal(svc(cfg, "a")->privs.uid, 1000);
	assert_int_equal(svc(cfg, "a")->privs.user_gid, 1000);
	assert_null(svc(cfg, "a")->privs.user_name);
	cfg_set_account_files(PASSWD, GROUP);
}

static void test_group(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	/* group = without user = is allowed: the uid stays. */
	load_ok(cfg, "[service:a]\ncommand = x\ngroup = docker\n");
	p = &svc(cfg, "a")->privs;
	assert_false(p->set_user);
	assert_true(p->set_group);
	assert_int_equal(p->gid, 999);
	cfg_release(cfg);
	load_ok(cfg, "[service:a]\ncommand = x\ngroup = 1234\n");
	assert_int_equal(svc(cfg, "a")->privs.gid, 1234);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ngroup = nogroup\n", 3,
			  "unknown group 'nogroup' for group: not in " GROUP
			  " (dind-init reads it directly, without NSS)");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ngroup = broken\n", 3,
			  "unknown group 'broken'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ngroup = 4294967295\n", 3,
			  "bad group '4294967295' for group: a gid is at most 4294967294");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ngroup =\n", 3,
			  "empty value for group: use a group name or a gid");
}

static void test_supplementary_groups(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;
	char text[1024];
	size_t pos;
	int i;

	load_ok(cfg, "[service:a]\ncommand = x\nuser = builder\n"
		     "supplementary_groups = docker, video 5000\n"
		     "    users,docker\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_groups);
	assert_int_equal(p->ngroups, 4);
	assert_int_equal(p->groups[0], 999);
	assert_int_equal(p->groups[1], 44);
	assert_int_equal(p->groups[2], 5000);
	assert_int_equal(p->groups[3], 100);
	cfg_release(cfg);

	/* Empty: none at all (set_groups says to clear them); without user = too. */
	load_ok(cfg, "[service:a]\ncommand = x\nsupplementary_groups =\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_groups);
	assert_int_equal(p->ngroups, 0);
	assert_false(p->set_user);
	cfg_release(cfg);

	/* Every unknown name is reported. */
	load_bad(cfg, "[service:a]\ncommand = x\nsupplementary_groups = docker nope1\n  nope2\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 3,
		     "unknown group 'nope1' for supplementary_groups: not in " GROUP
		     " (dind-init reads it directly, without NSS)");
	expect_error(cfg, 4, "unknown group 'nope2' for supplementary_groups");
	cfg_release(cfg);

	pos = (size_t)sprintf(text, "[service:a]\ncommand = x\nsupplementary_groups =");
	for (i = 0; i < MAX_GROUPS; i++)
		pos += (size_t)sprintf(text + pos, " %d", 2000 + i);
	sprintf(text + pos, "\n  1\n");
	expect_only_error(cfg, text, 4, "too many supplementary_groups in [service:a] (limit 32)");
	assert_int_equal(svc(cfg, "a")->privs.ngroups, MAX_GROUPS);
	cfg_release(cfg);
	expect_only_error(cfg,
			  "[service:a]\ncommand = x\nsupplementary_groups = 1\n"
			  "supplementary_groups = 2\n",
			  4, "supplementary_groups already set at line 3: continue it");
}

static void test_capabilities(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	load_ok(cfg, "[service:a]\ncommand = x\n"
		     "capabilities = CAP_CHOWN net_bind_service, Cap_Sys_Admin\n"
		     "    12 cap_kill\n");
	p = &svc(cfg, "a")->privs;
	assert_true(p->set_caps);
	assert_int_equal(p->caps,
			 (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_NET_BIND_SERVICE) |
				 (UINT64_C(1) << CAP_SYS_ADMIN) | (UINT64_C(1) << CAP_NET_ADMIN) |
				 (UINT64_C(1) << CAP_KILL));
	cfg_release(cfg);

	load_ok(cfg, "[service:a]\ncommand = x\ncapabilities = none\n");
	assert_true(svc(cfg, "a")->privs.set_caps);
	assert_int_equal(svc(cfg, "a")->privs.caps, 0);
	cfg_release(cfg);
	load_ok(cfg, "[service:a]\ncommand = x\ncapabilities =\n");
	assert_true(svc(cfg, "a")->privs.set_caps);
	assert_int_equal(svc(cfg, "a")->privs.caps, 0);
	cfg_release(cfg);
	load_ok(cfg, "[service:a]\ncommand = x\ncapabilities = 63\n");
	assert_int_equal(svc(cfg, "a")->privs.caps, UINT64_C(1) << 63);
	cfg_release(cfg);

	expect_only_error(cfg, "[service:a]\ncommand = x\ncapabilities = CAP_CHOWN CAP_FOO\n", 3,
			  "unknown capability 'CAP_FOO' for capabilities: see capabilities(7)");
	cfg_release(cfg);
	/* libcap would take the letters before the digit: the whole word must be a name. */
	expect_only_error(cfg, "[service:a]\ncommand = x\ncapabilities = cap_chown2\n", 3,
			  "unknown capability 'cap_chown2'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ncapabilities = 64\n", 3,
			  "bad capability number '64' for capabilities: use 0 to 63 or a name");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ncapabilities = none CAP_KILL\n", 3,
			  "capabilities = none cannot be mixed with capability names");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\ncapabilities = CAP_KILL\n  none\n", 4,
			  "capabilities = none cannot be mixed with capability names");
}

static void test_no_new_privileges(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:a]\ncommand = x\nno_new_privileges = yes\n"
		     "[service:b]\ncommand = x\nno_new_privileges = no\n");
	assert_true(svc(cfg, "a")->privs.no_new_privileges);
	assert_false(svc(cfg, "b")->privs.no_new_privileges);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nno_new_privileges = maybe\n", 3,
			  "bad value 'maybe' for no_new_privileges: use yes or no");
}

static bool has_syscall(const struct cfg_privs *p, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	for (int i = 0; i < p->nseccomp; i++)
		if (p->seccomp_syscalls[i] == nr)
			return true;
	return false;
}

/* n distinct syscall names of this architecture, blank-separated, into buf. */
/* n names of this architecture's syscalls (n < 0: all of them); returns how many. */
static int syscall_names(char *buf, size_t len, int n, const char *sep_every_8)
{
	size_t pos = 0;
	int nr, k = 0;

	buf[0] = '\0';
	for (nr = 0; (n < 0 || k < n) && nr < 1000; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		if (!name)
			continue;
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", name,
					++k % 8 == 0 ? sep_every_8 : " ");
		free(name);
		assert_true(pos < len);
	}
	if (n >= 0)
		assert_int_equal(k, n);
	return k;
}

static void test_seccomp_forms(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	load_ok(cfg, "[service:a]\ncommand = x\nseccomp = none\n"
		     "[service:b]\ncommand = x\nseccomp = default\n"
		     "[service:c]\ncommand = x\nseccomp = deny:mount,umount2\n"
		     "    reboot, kexec_load mount\n");
	assert_int_equal(svc(cfg, "a")->privs.seccomp, SECCOMP_NONE);
	assert_int_equal(svc(cfg, "b")->privs.seccomp, SECCOMP_DEFAULT);
	assert_int_equal(svc(cfg, "b")->privs.nseccomp, 0);
	p = &svc(cfg, "c")->privs;
	assert_int_equal(p->seccomp, SECCOMP_DENY);
	assert_int_equal(p->nseccomp, 4); /* mount twice counts once */
	assert_int_equal(p->seccomp_syscalls[0], seccomp_syscall_resolve_name("mount"));
	assert_true(has_syscall(p, "umount2"));
	assert_true(has_syscall(p, "reboot"));
	assert_true(has_syscall(p, "kexec_load"));
	assert_null(p->seccomp_file);
	cfg_release(cfg);

	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = deny:mount,mountt\n", 3,
			  "unknown syscall 'mountt' in seccomp = deny: of [service:a]: see "
			  "syscalls(2) for the names");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = deny:mount\n  MOUNT\n", 4,
			  "unknown syscall 'MOUNT'");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = deny:\n", 3,
			  "seccomp = deny: in [service:a] names no syscall: list some, as in "
			  "deny:mount,umount2, or use seccomp = none");
	cfg_release(cfg);
	/* The names may all be on the indented lines. */
	load_ok(cfg, "[service:a]\ncommand = x\nseccomp = deny:\n    mount\n");
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 1);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = strict\n  mount\n", 3,
			  "bad value 'strict' for seccomp: expected none, default, "
			  "deny:SYSCALL,... or the absolute path of an allow-list file");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = etc/allow\n", 3,
			  "bad value 'etc/allow' for seccomp");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = default\n  mount\n", 4,
			  "seccomp already set at line 3: only seccomp = deny:... continues on "
			  "indented lines");
	cfg_release(cfg);
#ifdef __x86_64__
	/* A syscall other architectures have (socketcall) denies nothing here and is no
	 * error, so one list serves every architecture; but a list of only those is. */
	load_ok(cfg, "[service:a]\ncommand = x\nseccomp = deny:socketcall mount\n");
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 1);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = deny:socketcall\n", 3,
			  "seccomp = deny: in [service:a] denies no syscall of this "
			  "architecture");
	cfg_release(cfg);
#endif
}

static void test_seccomp_deny_limit(void **state)
{
	struct config *cfg = *state;
	static char names[16384], text[17000];
	int all;

	/* The limit sits above every architecture's syscall count (duplicates are dropped), so
	 * a deny list of every syscall of this one fits. */
	all = syscall_names(names, sizeof(names), -1, "\n    ");
	assert_true(all <= MAX_SECCOMP_SYSCALLS);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = deny:\n    %s\n", names);
	load_ok(cfg, text);
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, all);
}

static void test_seccomp_allow_list(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;
	char path[512], text[1024], msg[1024];

	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n",
		 allow_path(path, sizeof(path), "seccomp-good.allow"));
	load_ok(cfg, text);
	p = &svc(cfg, "a")->privs;
	assert_int_equal(p->seccomp, SECCOMP_ALLOW);
	assert_string_equal(p->seccomp_file, path);
	assert_int_equal(p->nseccomp, 4);
	assert_true(has_syscall(p, "execve"));
	assert_true(has_syscall(p, "read"));
	assert_true(has_syscall(p, "write"));
	assert_true(has_syscall(p, "exit_group"));
	cfg_release(cfg);

	/* Errors in the list are at its own lines, sorted where the seccomp key is. */
	snprintf(text, sizeof(text),
		 "[service:a]\ncommand = x\nseccomp = %s\nrestart = sometimes\n",
		 allow_path(path, sizeof(path), "seccomp-bad.allow"));
	load_bad(cfg, text);
	assert_int_equal(cfg->nerrors, 4);
	snprintf(msg, sizeof(msg),
		 "%s:3: unknown syscall 'not_a_syscall' in the seccomp allow-list of [service:a]: "
		 "see syscalls(2) for the names",
		 path);
	assert_string_equal(cfg->errors[0], msg);
	snprintf(msg, sizeof(msg),
		 "%s:4: 'write read' in the seccomp allow-list: write one syscall name per line",
		 path);
	assert_string_equal(cfg->errors[1], msg);
	snprintf(msg, sizeof(msg), "%s:5: ", path);
	expect_error_prefix(cfg, msg, "unknown syscall 'Write'");
	expect_error(cfg, 4, "bad value 'sometimes' for restart");
	cfg_release(cfg);

	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = /nonexistent/allow\n", 3,
			  "cannot read seccomp allow-list /nonexistent/allow for seccomp: No such "
			  "file or directory: check the path");
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\nseccomp = /\n", 3,
			  "cannot read seccomp allow-list / for seccomp: not a regular file: "
			  "name a file with one syscall name per line");
	cfg_release(cfg);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n",
		 allow_path(path, sizeof(path), "seccomp-empty.allow"));
	expect_only_error(cfg, text, 3, "names no syscalls: every syscall would fail");
	cfg_release(cfg);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n",
		 allow_path(path, sizeof(path), "seccomp-noexec.allow"));
	expect_only_error(cfg, text, 3,
			  "does not allow execve: the filter applies before the program is "
			  "executed; add execve");
}

/* A FIFO would block the read: it is refused without blocking. */
static void test_seccomp_allow_list_fifo(void **state)
{
	struct config *cfg = *state;
	char fifo[] = "/tmp/test_config_fifo_XXXXXX", text[128];
	int fd = mkstemp(fifo);

	assert_true(fd >= 0);
	close(fd);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n", fifo);
	expect_only_error(cfg, text, 3, "not a regular file");
	unlink(fifo);
}

/* Found by fuzzing: reading /dev/zero as an allow-list never ended. */
static void test_seccomp_allow_list_not_a_file(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[service:a]\ncommand = x\nseccomp = /dev/zero\n");
	expect_error(cfg, 3,
		     "cannot read seccomp allow-list /dev/zero for seccomp: not a regular file");
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\ncommand = x\nseccomp = /tmp\n");
	expect_error(cfg, 3, "not a regular file");
}

static void test_seccomp_allow_list_limits(void **state)
{
	struct config *cfg = *state;
	static char names[16384], text[512], prefix[64];
	char path[] = "/tmp/test_config_allow_XXXXXX";
	int fd;
	FILE *f;

	/* An allow-list naming every syscall of this architecture fits under the limit. */
	int all = syscall_names(names, sizeof(names), -1, " ");

	assert_true(all <= MAX_SECCOMP_SYSCALLS);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (char *w = strtok(names, " "); w; w = strtok(NULL, " "))
		fprintf(f, "%s\n", w);
	fclose(f);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n", path);
	load_ok(cfg, text);
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, all);
	cfg_release(cfg);

	/* A line too long to be a name. */
	f = fopen(path, "we");
	assert_non_null(f);
	fprintf(f, "execve\n%0300d\n", 0);
	fclose(f);
	load_bad(cfg, text);
	snprintf(prefix, sizeof(prefix), "%s:2: ", path);
	expect_error_prefix(cfg, prefix,
			    "line too long in the seccomp allow-list (limit 256 characters)");
	assert_int_equal(cfg->nerrors, 1);
	unlink(path);
}

static void test_rlimits(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p;

	load_ok(cfg, "[init]\nrlimit_nofile = keep\n"
		     "[service:a]\ncommand = x\nrlimit_nofile = 1048576\nrlimit_nproc = unlimited\n"
		     "rlimit_core = 0\nrlimit_memlock = 9223372036854775807\n");
	assert_int_equal(cfg->setup.rlimit_nofile, RLIMIT_NOFILE_KEEP);
	p = &svc(cfg, "a")->privs;
	assert_int_equal(p->rlimit_nofile, 1048576);
	assert_int_equal(p->rlimit_nproc, (long)RLIM_INFINITY);
	assert_int_equal((rlim_t)p->rlimit_nproc, RLIM_INFINITY);
	assert_int_equal(p->rlimit_core, 0);
	assert_int_equal(p->rlimit_memlock, 9223372036854775807L);
	cfg_release(cfg);

	/* [init] rlimit_nofile keeps its own meaning and values. */
	expect_only_error(cfg, "[service:a]\ncommand = x\nrlimit_nofile = hard\n", 3,
			  "bad value 'hard' for rlimit_nofile: use a whole number from 0 to "
			  "9223372036854775807, or unlimited");
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\ncommand = x\nrlimit_nproc = -1\nrlimit_core = 1.5\n"
		      "rlimit_memlock = 9223372036854775808\nrlimit_nofile =\n");
	assert_int_equal(cfg->nerrors, 4);
	expect_error(cfg, 3, "bad value '-1' for rlimit_nproc");
	expect_error(cfg, 4, "bad value '1.5' for rlimit_core");
	expect_error(cfg, 5, "bad value '9223372036854775808' for rlimit_memlock");
	expect_error(cfg, 6, "bad value '' for rlimit_nofile");
	assert_int_equal(svc(cfg, "a")->privs.rlimit_nproc, RLIMIT_UNSET);
}

static void test_umask(void **state)
{
	struct config *cfg = *state;
	static const char *const bad[] = { "0778", "1000", "", "u=rwx", "-1", "0x1f", "9" };
	char text[128];

	load_ok(cfg, "[service:a]\ncommand = x\numask = 022\n"
		     "[service:b]\ncommand = x\numask = 0\n"
		     "[service:c]\ncommand = x\numask = 777\n"
		     "[service:d]\ncommand = x\numask = 00027\n");
	assert_int_equal(svc(cfg, "a")->privs.umask, 022);
	assert_int_equal(svc(cfg, "b")->privs.umask, 0);
	assert_int_equal(svc(cfg, "c")->privs.umask, 0777);
	assert_int_equal(svc(cfg, "d")->privs.umask, 027);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cfg_release(cfg);
		snprintf(text, sizeof(text), "[service:a]\ncommand = x\numask = %s\n", bad[i]);
		load_bad(cfg, text);
		snprintf(text, sizeof(text),
			 "bad value '%s' for umask: use an octal number from 0 to 0777, e.g. 022",
			 bad[i]);
		expect_error(cfg, 3, text);
		assert_int_equal(svc(cfg, "a")->privs.umask, -1);
	}
}

static void test_main_privs(void **state)
{
	struct config *cfg = *state;
	const struct cfg_privs *p = &cfg->main.privs;

	load_ok(cfg, "[main]\n"
		     "stop_signal = INT\n"
		     "user = builder\n"
		     "supplementary_groups = docker\n"
		     "capabilities = CAP_KILL\n"
		     "no_new_privileges = yes\n"
		     "seccomp = default\n"
		     "rlimit_nofile = 4096\n"
		     "rlimit_nproc = 100\n"
		     "rlimit_core = unlimited\n"
		     "rlimit_memlock = 65536\n"
		     "umask = 027\n"
		     "[service:a]\ncommand = x\n");
	assert_int_equal(cfg->main.stop_signal, SIGINT);
	assert_int_equal(p->uid, 1000);
	assert_int_equal(p->gid, 1000);
	assert_false(p->set_group);
	assert_string_equal(p->user_name, "builder");
	assert_int_equal(p->ngroups, 1);
	assert_int_equal(p->groups[0], 999);
	assert_int_equal(p->caps, UINT64_C(1) << CAP_KILL);
	assert_true(p->no_new_privileges);
	assert_int_equal(p->seccomp, SECCOMP_DEFAULT);
	assert_int_equal(p->rlimit_nofile, 4096);
	assert_int_equal(p->rlimit_nproc, 100);
	assert_int_equal(p->rlimit_core, (long)RLIM_INFINITY);
	assert_int_equal(p->rlimit_memlock, 65536);
	assert_int_equal(p->umask, 027);
	assert_int_equal(cfg->setup.rlimit_nofile, RLIMIT_NOFILE_HARD); /* [init]'s is apart */
	assert_privs_defaults(&svc(cfg, "a")->privs);
	cfg_release(cfg);

	load_bad(cfg, "[main]\nuser = ghost\ngroup = 77\nseccomp = deny:nope\ncapabilities = x\n");
	assert_int_equal(cfg->nerrors, 3);
	expect_error(cfg, 2, "unknown user 'ghost' for user");
	expect_error(cfg, 4, "unknown syscall 'nope' in seccomp = deny: of [main]");
	expect_error(cfg, 5, "unknown capability 'x' for capabilities");
	assert_int_equal(cfg->main.privs.gid, 77);
	cfg_release(cfg);
	expect_only_error(cfg, "[main]\nseccomp = deny:\n", 2,
			  "seccomp = deny: in [main] names no syscall");
	cfg_release(cfg);
	expect_only_error(cfg, "[main]\nuser = 1\nuser = 2\n", 3,
			  "user already set at line 2: remove one of the two lines");
	cfg_release(cfg);
	expect_only_error(cfg, "[main]\nusr = 1\n", 2,
			  "unknown key 'usr' in [main]: did you mean 'user'?");
}

static void test_print_privs(void **state)
{
	struct config *cfg = *state;
	char *out;

	char path[512], text[1024], want[1024];

	snprintf(text, sizeof(text),
		 "[main]\nuser = 4242\nseccomp = default\n"
		 "[service:db]\ncommand = /usr/bin/db\nuser = builder\n"
		 "seccomp = deny:mount,umount2\n"
		 "[service:web]\ncommand = /usr/bin/web --port '80 80'\ndepends_on = db\n"
		 "seccomp = %s\n",
		 allow_path(path, sizeof(path), "seccomp-good.allow"));
	load_ok(cfg, text);
	out = print_to_string(cfg);
	snprintf(want, sizeof(want),
		 "t.ini: 2 services, in start order:\n"
		 "  1. db   simple   restart=always      user=builder  "
		 "seccomp=deny:mount,umount2  /usr/bin/db\n"
		 "  2. web  simple   restart=always      after db  seccomp=%s  /usr/bin/web "
		 "--port '80 80'\n"
		 "main command starts after: db, web\n"
		 "main command runs with: user=4242  seccomp=default\n",
		 path);
	assert_string_equal(out, want);
	free(out);
}

/* A temporary config file with this text, mode and owner (-1: keep). */
static void write_config(char *path, const char *text, mode_t mode, uid_t owner)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	if (owner != (uid_t)-1)
		assert_int_equal(fchown(fd, owner, (gid_t)-1), 0);
	close(fd);
}

/* The message for a group- or world-writable config file, into msg. */
static const char *mode_refusal(char *msg, size_t len, const char *path, unsigned mode)
{
	snprintf(msg, len,
		 "%s: refusing a config file that is writable by group or others (mode %04o): "
		 "mount it read-only (docker run -v HOST-FILE:%s:ro), or chmod go-w the file (on "
		 "the host, if it is bind-mounted from there), or start dind-init with "
		 "DIND_INIT_STRICT_CONFIG=no (docker run -e DIND_INIT_STRICT_CONFIG=no)",
		 path, mode, path);
	return msg;
}

#define STRICT_NO_IN_FILE                                                                           \
	"strict_config = no is no longer read from the config file, since whoever can write the "   \
	"file could turn its own check off: remove this line; to use a file that is not root's or " \
	"is writable by group or others, fix it (chown root or chmod go-w it, on the host if it "   \
	"is bind-mounted from there, or mount it :ro), or start dind-init with "                    \
	"DIND_INIT_STRICT_CONFIG=no in its environment (docker run -e DIND_INIT_STRICT_CONFIG=no)"

static void test_strict_config(void **state)
{
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX", msg[512];

	write_config(path, "[service:a]\ncommand = x\n", 0644, (uid_t)-1);
	assert_int_equal(cfg_load_file(cfg, path), 0);
	assert_true(cfg->strict_config);
	assert_null(cfg->insecure_reason);
	unlink(path);
	cfg_release(cfg);

	/* Group-writable: refused, before any error of the file's own lines. */
	strcpy(path, "/tmp/test_config_XXXXXX");
	write_config(path, "[service:a]\ncommand = x\nrestart = sometimes\n", 0664, (uid_t)-1);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_int_equal(cfg->nerrors, 2);
	assert_string_equal(cfg->errors[0], mode_refusal(msg, sizeof(msg), path, 0664));
	assert_non_null(strstr(cfg->errors[1], ":3: bad value 'sometimes'"));
	assert_null(cfg->insecure_reason);
	unlink(path);
	cfg_release(cfg);

	/* strict_config = yes is the default and still accepted; from a string nothing is
	 * checked. */
	load_ok(cfg, "[init]\nstrict_config = yes\n");
	assert_true(cfg->strict_config);
	assert_null(cfg->insecure_reason);
	cfg_release(cfg);
	expect_only_error(cfg, "[init]\nstrict_config = sometimes\n", 2,
			  "bad value 'sometimes' for strict_config: use yes or no");
	cfg_release(cfg);
	/* no is an error wherever it is written, saying what to use instead. */
	expect_only_error(cfg, "[init]\nstrict_config = no\n", 2, STRICT_NO_IN_FILE);
	cfg_release(cfg);
	expect_only_error(cfg, "[service:a]\ncommand = x\n[init]\nstrict_config = off\n", 4,
			  "strict_config = no is no longer read from the config file");
}

/* The audit's attack: whoever can write the file adds strict_config = no to the file itself and
 * gets root services at the next start. The file stays refused, for its mode and for the line. */
static void test_strict_config_no_in_unsafe_file(void **state)
{
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX", msg[512];

	write_config(path,
		     "[service:a]\ncommand = /bin/sh -c 'echo pwned'\n[init]\nstrict_config = no\n",
		     0666, (uid_t)-1);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_int_equal(cfg->nerrors, 2);
	assert_string_equal(cfg->errors[0], mode_refusal(msg, sizeof(msg), path, 0666));
	snprintf(msg, sizeof(msg), "%s:4: %s", path, STRICT_NO_IN_FILE);
	assert_string_equal(cfg->errors[1], msg);
	assert_true(cfg->strict_config);
	assert_null(cfg->insecure_reason);
	unlink(path);
	cfg_release(cfg);

	/* With the relaxation from the environment, the line is still refused: the file has to
	 * drop it, so that it never comes to rely on it. */
	strcpy(path, "/tmp/test_config_XXXXXX");
	write_config(path, "[init]\nstrict_config = no\n", 0666, (uid_t)-1);
	setenv(CFG_STRICT_ENV, "no", 1);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	unsetenv(CFG_STRICT_ENV);
	assert_int_equal(cfg->nerrors, 1);
	expect_error_prefix(cfg, path, "strict_config = no is no longer read");
	unlink(path);
}

/* DIND_INIT_STRICT_CONFIG, from whoever starts the container, is the only relaxation. */
static void test_strict_config_env(void **state)
{
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX", msg[512];
	static const char *const relax[] = { "no", "NO", "false", "off", "0" };
	static const char *const keep[] = { "", "yes", "1", "on" };

	write_config(path, "[service:a]\ncommand = x\n", 0602, (uid_t)-1);
	for (size_t i = 0; i < sizeof(relax) / sizeof(relax[0]); i++) {
		setenv(CFG_STRICT_ENV, relax[i], 1);
		if (cfg_load_file(cfg, path) != 0) {
			dump_errors(cfg);
			fail_msg("%s=%s: the file was refused", CFG_STRICT_ENV, relax[i]);
		}
		assert_false(cfg->strict_config);
		snprintf(msg, sizeof(msg), "%s is writable by group or others (mode 0602)", path);
		assert_string_equal(cfg->insecure_reason, msg);
		assert_int_equal(cfg->nservices, 1);
		cfg_release(cfg);
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		setenv(CFG_STRICT_ENV, keep[i], 1);
		assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
		assert_true(cfg->strict_config);
		assert_int_equal(cfg->nerrors, 1);
		assert_string_equal(cfg->errors[0], mode_refusal(msg, sizeof(msg), path, 0602));
		assert_null(cfg->insecure_reason);
		cfg_release(cfg);
	}
	/* A value that is neither: an error, and the check stays on. */
	setenv(CFG_STRICT_ENV, "maybe", 1);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_true(cfg->strict_config);
	assert_int_equal(cfg->nerrors, 2);
	snprintf(msg, sizeof(msg),
		 "%s: bad value 'maybe' in the environment variable DIND_INIT_STRICT_CONFIG: use "
		 "yes or no (or leave it unset: yes)",
		 path);
	assert_string_equal(cfg->errors[0], msg);
	assert_string_equal(cfg->errors[1], mode_refusal(msg, sizeof(msg), path, 0602));
	cfg_release(cfg);
	unlink(path);

	/* A safe file: nothing to relax, nothing to report. */
	strcpy(path, "/tmp/test_config_XXXXXX");
	write_config(path, "[service:a]\ncommand = x\n", 0600, (uid_t)-1);
	setenv(CFG_STRICT_ENV, "no", 1);
	assert_int_equal(cfg_load_file(cfg, path), 0);
	assert_null(cfg->insecure_reason);
	unsetenv(CFG_STRICT_ENV);
	unlink(path);
}

static void test_strict_config_owner(void **state)
{
	struct config *cfg = *state;
	char path[] = "/tmp/test_config_XXXXXX", msg[512];

	if (geteuid() != 0)
		skip(); /* chown needs root; CI runs the unit tests as root */
	write_config(path, "[service:a]\ncommand = x\n", 0644, 65534);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_int_equal(cfg->nerrors, 1);
	snprintf(msg, sizeof(msg),
		 "%s: refusing a config file owned by uid 65534, not root: mount it read-only "
		 "(docker run -v HOST-FILE:%s:ro), or chown root the file (on the host, if it is "
		 "bind-mounted from there), or start dind-init with DIND_INIT_STRICT_CONFIG=no "
		 "(docker run -e DIND_INIT_STRICT_CONFIG=no)",
		 path, path);
	assert_string_equal(cfg->errors[0], msg);
	unlink(path);
	cfg_release(cfg);

	/* The owner's strict_config = no is no way around it. */
	strcpy(path, "/tmp/test_config_XXXXXX");
	write_config(path, "[init]\nstrict_config = no\n", 0644, 65534);
	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_int_equal(cfg->nerrors, 2);
	expect_error_prefix(cfg, path, "owned by uid 65534");
	expect_error_prefix(cfg, path, "strict_config = no is no longer read");
	unlink(path);
	cfg_release(cfg);

	strcpy(path, "/tmp/test_config_XXXXXX");
	write_config(path, "[init]\n", 0666, 65534);
	setenv(CFG_STRICT_ENV, "no", 1);
	assert_int_equal(cfg_load_file(cfg, path), 0);
	unsetenv(CFG_STRICT_ENV);
	snprintf(msg, sizeof(msg),
		 "%s is owned by uid 65534, not root, and writable by group or others (mode 0666)",
		 path);
	assert_string_equal(cfg->insecure_reason, msg);
	cfg_release(cfg);

	assert_int_equal(cfg_load_file(cfg, path), -EINVAL);
	assert_int_equal(cfg->nerrors, 2);
	expect_error_prefix(cfg, path, "owned by uid 65534");
	expect_error_prefix(cfg, path, "(mode 0666)");
	unlink(path);
}

/* A seccomp allow-list decides which syscalls a service may make: whoever can write it adds
 * unshare and mount for the next start. The config file's rule applies, at the config's line. */
static void test_seccomp_allow_list_owner_mode(void **state)
{
	struct config *cfg = *state;
	char allow[] = "/tmp/test_config_allow_XXXXXX", conf[] = "/tmp/test_config_XXXXXX";
	char conf2[] = "/tmp/test_config_XXXXXX", text[256], text2[512], msg[1024];

	write_config(allow, "execve\nexit_group\n", 0664, (uid_t)-1);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n", allow);
	load_bad(cfg, text);
	assert_int_equal(cfg->nerrors, 1);
	snprintf(msg, sizeof(msg),
		 "t.ini:3: refusing seccomp allow-list %s for seccomp: it is writable by group or "
		 "others (mode 0664), who could allow the service any syscall: mount it read-only "
		 "(docker run -v HOST-FILE:%s:ro), or chmod go-w the file (on the host, if it is "
		 "bind-mounted from there), or start dind-init with DIND_INIT_STRICT_CONFIG=no",
		 allow, allow);
	assert_string_equal(cfg->errors[0], msg);
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 0); /* not read */
	cfg_release(cfg);

	/* World-writable too, and in [main]. */
	assert_int_equal(chmod(allow, 0646), 0);
	snprintf(text, sizeof(text), "[main]\nseccomp = %s\n", allow);
	expect_only_error(cfg, text, 2, "writable by group or others (mode 0646)");
	cfg_release(cfg);

	/* Once fixed, it is read. */
	assert_int_equal(chmod(allow, 0644), 0);
	snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n", allow);
	load_ok(cfg, text);
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 2);
	cfg_release(cfg);

	/* Relaxed only by the environment, for the file and its allow-lists alike, each named in
	 * the warning. A string is no file from outside: it never reads the environment. */
	assert_int_equal(chmod(allow, 0666), 0);
	write_config(conf, text, 0620, (uid_t)-1);
	setenv(CFG_STRICT_ENV, "no", 1);
	assert_int_equal(cfg_load_file(cfg, conf), 0);
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 2);
	snprintf(msg, sizeof(msg),
		 "%s is writable by group or others (mode 0620); seccomp allow-list %s is "
		 "writable by group or others (mode 0666)",
		 conf, allow);
	assert_string_equal(cfg->insecure_reason, msg);
	cfg_release(cfg);
	/* Named once, however many services use it. */
	snprintf(text2, sizeof(text2), "%s[main]\nseccomp = %s\n", text, allow);
	write_config(conf2, text2, 0600, (uid_t)-1);
	assert_int_equal(cfg_load_file(cfg, conf2), 0);
	unlink(conf2);
	snprintf(msg, sizeof(msg),
		 "seccomp allow-list %s is writable by group or others (mode 0666)", allow);
	assert_string_equal(cfg->insecure_reason, msg);
	cfg_release(cfg);
	expect_only_error(cfg, text, 3, "refusing seccomp allow-list");
	cfg_release(cfg);
	unsetenv(CFG_STRICT_ENV);
	assert_int_equal(cfg_load_file(cfg, conf), -EINVAL);
	assert_int_equal(cfg->nerrors, 2);
	expect_error_prefix(cfg, conf, "refusing a config file that is writable");
	snprintf(msg, sizeof(msg), "%s:3: refusing seccomp allow-list %s", conf, allow);
	expect_error_prefix(cfg, msg, "(mode 0666)");
	cfg_release(cfg);
	unlink(conf);

	/* Owned by someone else. */
	if (geteuid() == 0) {
		assert_int_equal(chmod(allow, 0644), 0);
		assert_int_equal(chown(allow, 65534, (gid_t)-1), 0);
		snprintf(text, sizeof(text), "[service:a]\ncommand = x\nseccomp = %s\n", allow);
		expect_only_error(
			cfg, text, 3,
			"for seccomp: it is owned by uid 65534, not root, who could allow "
			"the service any syscall: mount it read-only");
		expect_error(cfg, 3, "or chown root the file");
	}
	unlink(allow);
}

static void test_strict_config_special_files(void **state)
{
	struct config *cfg = *state;
	static const char text[] = "[service:a]\ncommand = x\n";
	char path[64];
	int fds[2];

	/* /dev/null (mode 0666) is an empty config. */
	assert_int_equal(cfg_load_file(cfg, "/dev/null"), 0);
	assert_int_equal(cfg->nservices, 0);
	assert_null(cfg->insecure_reason);
	cfg_release(cfg);

	/* A pipe, as from -c <(...): made by whoever runs the shell, mode bits not checked. */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	assert_int_equal(cfg_load_file(cfg, path), 0);
	close(fds[0]);
	assert_int_equal(cfg->nservices, 1);
	assert_null(cfg->insecure_reason);
}

static void test_key_line_limit(void **state)
{
	struct config *cfg = *state;
	size_t len = (CFG_KEYS_MAX + 2) * 8 + 64;
	char *text = malloc(len), *p;
	int i;

	assert_non_null(text);
	/* Comments and blank lines do not count; headers and keys do. */
	p = text + sprintf(text, "; comment\n\n");
	for (i = 0; i < CFG_KEYS_MAX; i++)
		p += sprintf(p, "[init]\n");
	load_ok(cfg, text);
	cfg_release(cfg);
	/* One more: an error there, and nothing after it is read. */
	p += sprintf(p, "[init]\nbad line\n");
	expect_only_error(cfg, text, 2 + CFG_KEYS_MAX + 1,
			  "too many lines of keys and sections (limit 4096): the rest of the "
			  "file is not read");
	free(text);
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

/* ARGV_BYTES_MAX and ENV_BYTES_MAX cannot be reached from a file today (ARGV_MAX_WORDS words or
 * MAX_ENV entries of at most one line each come first); the limits that do apply are clear. */
static void test_command_and_environment_at_their_limits(void **state)
{
	struct config *cfg = *state;
	static char text[80000];
	size_t pos;
	int i;

	assert_true(ARGV_MAX_WORDS * (CFG_LINE_MAX + 1) < ARGV_BYTES_MAX);
	assert_true(MAX_ENV * (CFG_LINE_MAX + 1) < ENV_BYTES_MAX);
	/* The longest command: 256 words, one per indented line of CFG_LINE_MAX characters. */
	pos = (size_t)sprintf(text, "[service:a]\ncommand =\n");
	for (i = 0; i < ARGV_MAX_WORDS; i++)
		pos += (size_t)sprintf(text + pos, " %0*d\n", CFG_LINE_MAX - 1, i);
	for (i = 0; i < MAX_ENV; i++)
		pos += (size_t)sprintf(text + pos, "environment = K%03d=%0*d\n", i,
				       CFG_LINE_MAX - 19, i);
	load_ok(cfg, text);
	assert_int_equal(svc(cfg, "a")->argc, ARGV_MAX_WORDS);
	assert_int_equal(strlen(svc(cfg, "a")->argv[0]), CFG_LINE_MAX - 1);
	assert_int_equal(svc(cfg, "a")->nenv, MAX_ENV);
	assert_int_equal(strlen(svc(cfg, "a")->env[0]), CFG_LINE_MAX - 14);
	cfg_release(cfg);
	sprintf(text + pos, "environment = MORE=1\n");
	expect_only_error(cfg, text, 3 + ARGV_MAX_WORDS + MAX_ENV,
			  "too many environment entries in [service:a] (limit 128)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_full_config),
		T(test_defaults),
		T(test_empty_config),
		T(test_oneshot_defaults_to_no_restart),
		T(test_value_spellings),
		T(test_unknown_section),
		T(test_bad_service_name),
		T(test_duplicate_service),
		T(test_too_many_services),
		T(test_unterminated_header),
		T(test_text_after_header),
		T(test_line_without_equals),
		T(test_key_outside_section),
		T(test_missing_key_name),
		T(test_line_too_long),
		T(test_nul_byte),
		T(test_unknown_key),
		T(test_bad_enums),
		T(test_bad_durations),
		T(test_bad_numbers_and_signals),
		T(test_bad_paths),
		T(test_bad_environment),
		T(test_too_many_environment_entries),
		T(test_too_many_deps),
		T(test_bad_command),
		T(test_repeated_scalar),
		T(test_scalar_continuation),
		T(test_repeated_command),
		T(test_indented_key_or_header),
		T(test_oneshot_restart_always),
		T(test_restart_delay_max_too_small),
		T(test_unknown_dependency),
		T(test_missing_command),
		T(test_bad_command_is_not_also_missing),
		T(test_cycle),
		T(test_cycle_named_from_first_service),
		T(test_self_dependency),
		T(test_two_cycles_each_once),
		T(test_main_after_unknown),
		T(test_many_errors_in_one_run),
		T(test_error_cap),
		T(test_order_chain),
		T(test_order_diamond),
		T(test_order_independent_is_file_order),
		T(test_order_stable_mixed),
		T(test_main_after_default),
		T(test_main_after_explicit),
		T(test_main_after_empty),
		T(test_continuation_lines),
		T(test_command_word_limit_across_lines),
		T(test_crlf_and_bom_file),
		T(test_load_file_missing),
		T(test_load_file_is_directory),
		T(test_reload_and_release),
		T(test_find_service),
		T(test_print),
		T(test_init_defaults_before_load),
		T(test_probe_keys),
		T(test_type_notify_implies_ready_notify),
		T(test_bad_probe_values),
		T(test_bad_probe_socket_too_long),
		T(test_bad_probe_timings),
		T(test_probe_on_oneshot),
		T(test_notify_access_none_conflicts),
		T(test_control_socket),
		T(test_runtime_dir),
		T(test_print_probes),
		T(test_setup_defaults),
		T(test_setup_keys),
		T(test_setup_other_values),
		T(test_setup_lists_empty),
		T(test_setup_bad_values),
		T(test_setup_bad_paths),
		T(test_setup_decide),
		T(test_args_to),
		T(test_args_env),
		T(test_append_args),
		T(test_print_setup),
		T(test_default_ini),
		T(test_require_socket),
		T(test_seccomp_allow_list_not_a_file),
		T(test_privs_defaults),
		T(test_user_by_name),
		T(test_user_by_number),
		T(test_unknown_user),
		T(test_group),
		T(test_supplementary_groups),
		T(test_capabilities),
		T(test_no_new_privileges),
		T(test_seccomp_forms),
		T(test_seccomp_deny_limit),
		T(test_seccomp_allow_list),
		T(test_seccomp_allow_list_fifo),
		T(test_seccomp_allow_list_limits),
		T(test_rlimits),
		T(test_umask),
		T(test_main_privs),
		T(test_print_privs),
		T(test_strict_config),
		T(test_strict_config_no_in_unsafe_file),
		T(test_strict_config_env),
		T(test_strict_config_owner),
		T(test_seccomp_allow_list_owner_mode),
		T(test_strict_config_special_files),
		T(test_key_line_limit),
		T(test_append_args_bytes),
		T(test_command_and_environment_at_their_limits),
	};

	int failed;

	if (copy_allow_fixtures() < 0) {
		fprintf(stderr, "cannot copy the allow-list fixtures from %s to %s: %s\n", DATA_DIR,
			allow_dir, strerror(errno));
		remove_allow_fixtures();
		return 1;
	}
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	remove_allow_fixtures();
	return failed;
}

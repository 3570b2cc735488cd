/* Unit tests of config/keys.c and config/setters.c: every key of [init], [main] and
 * [service:NAME] but the container setup and the privileges (test_config_setup.c,
 * test_config_privs.c), their defaults, the spellings of their values, and every bad value: one
 * table, one error a row. */
#include "tests/unit/config_test.h"

#include <netinet/in.h>
#include <signal.h>

#define SVC_A "[service:a]\ncommand = x\n"

static void test_full_config(void **state)
{
	struct config *cfg = *state;
	const struct cfg_service *c, *d, *s;

	load_ok(cfg, FULL_CONFIG);
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

/* A bad value: one error at its line, saying what is expected. Each case alone; the same values
 * all in one file are in test_bad_values_together. */
static void test_bad_values(void **state)
{
	static const struct bad_case cases[] = {
		/* choices and booleans */
		{ "[init]\nlog_level = verbose\n", 2,
		  "bad value 'verbose' for log_level: expected error, warn, info or debug" },
		{ "[init]\non_main_exit = restart\n", 2,
		  "bad value 'restart' for on_main_exit: expected shutdown or ignore" },
		{ SVC_A "restart = sometimes\n", 3,
		  "bad value 'sometimes' for restart: expected always, on-failure or no" },
		{ SVC_A "type = forking\n", 3,
		  "bad value 'forking' for type: expected simple, notify or oneshot" },
		{ SVC_A "log = syslog\n", 3,
		  "bad value 'syslog' for log: expected prefix, inherit, null or file:/absolute/path" },
		{ SVC_A "critical = maybe\n", 3, "bad value 'maybe' for critical: use yes or no" },
		{ SVC_A "notify_access = all\n", 3,
		  "bad value 'all' for notify_access: expected main or none" },
		/* durations */
		{ "[init]\nshutdown_timeout = \n", 2,
		  "bad duration '' for shutdown_timeout: use a number with ms, s, m or h" },
		{ "[main]\nstop_timeout = -1s\n", 2, "bad duration '-1s' for stop_timeout" },
		{ SVC_A "stop_timeout = 10x\n", 3,
		  "bad duration '10x' for stop_timeout: use a number with ms, s, m or h" },
		{ SVC_A "restart_delay = 1.5s\n", 3, "bad duration '1.5s' for restart_delay" },
		{ SVC_A "restart_delay_max = 99999999999999999999s\n", 3,
		  "duration '99999999999999999999s' for restart_delay_max is too long: use at most "
		  "8760h" },
		{ SVC_A "start_limit_interval = 0\n", 3,
		  "bad duration '0' for start_limit_interval: it must be longer than 0" },
		{ "[init]\nshutdown_timeout = 8761h\n", 2, "is too long" },
		{ SVC_A "ready_timeout = soon\n", 3,
		  "bad duration 'soon' for ready_timeout: use a number with ms, s, m or h" },
		{ SVC_A "ready_interval = 0\n", 3,
		  "bad duration '0' for ready_interval: it must be longer than 0" },
		{ SVC_A "health_interval = 0ms\n", 3,
		  "bad duration '0ms' for health_interval: it must be longer than 0" },
		{ SVC_A "health_timeout = 0\n", 3,
		  "bad duration '0' for health_timeout: it must be longer than 0" },
		{ SVC_A "watchdog = -1s\n", 3, "bad duration '-1s' for watchdog" },
		{ SVC_A "ready_timeout = 8761h\n", 3,
		  "duration '8761h' for ready_timeout is too long: use at most 8760h" },
		{ SVC_A "health_interval = 1.5s\n", 3, "bad duration '1.5s' for health_interval" },
		/* numbers and signals */
		{ "[main]\nstop_signal = 0\n", 2,
		  "bad signal '0' for stop_signal: use a name like TERM or a number from 1 to 64" },
		{ SVC_A "start_limit_burst = 0\n", 3,
		  "bad value '0' for start_limit_burst: use a whole number from 1 to 1000" },
		{ SVC_A "start_limit_burst = 1001\n", 3,
		  "bad value '1001' for start_limit_burst: use a whole number from 1 to 1000" },
		{ SVC_A "stop_signal = SIGFOO\n", 3, "bad signal 'SIGFOO' for stop_signal" },
		{ SVC_A "start_limit_burst = many\n", 3, "bad value 'many' for start_limit_burst" },
		{ SVC_A "stop_signal = 65\n", 3, "bad signal '65' for stop_signal" },
		{ SVC_A "health_retries = 0\n", 3,
		  "bad value '0' for health_retries: use a whole number of 1 or more" },
		{ SVC_A "health_retries = three\n", 3, "bad value 'three' for health_retries" },
		/* paths */
		{ SVC_A "workdir = srv\n", 3, "bad value 'srv' for workdir: use an absolute path" },
		{ SVC_A "workdir = none\n", 3,
		  "bad value 'none' for workdir: use an absolute path" },
		{ "[init]\nruntime_dir = none\n", 2,
		  "bad value 'none' for runtime_dir: use an absolute path" },
		{ "[service:web]\ncommand = x\nlog = file:web.log\n", 3,
		  "bad value 'file:web.log' for log: the file path must be absolute, e.g. "
		  "file:/var/log/web.log" },
		{ "[init]\ncontrol_socket = NONE\n", 2, "bad value 'NONE' for control_socket" },
		{ "[init]\nrequire_socket = docker.sock\n", 2,
		  "bad value 'docker.sock' for require_socket: use an absolute path or none" },
		/* probes */
		{ SVC_A "ready = socket run/a.sock\n", 3,
		  "bad value 'socket run/a.sock' for ready: the socket path must be absolute: "
		  "start it with '/'" },
		{ SVC_A "health = ping 127.0.0.1\n", 3,
		  "bad value 'ping 127.0.0.1' for health: expected: notify, socket PATH, http "
		  "SOCKET-PATH|HOST:PORT URL-PATH, tcp HOST:PORT, exec COMMAND [ARGS], file PATH" },
		{ SVC_A "ready = tcp 127.0.0.1:70000\n", 3,
		  "bad value 'tcp 127.0.0.1:70000' for ready: bad port: use 1 to 65535" },
		{ SVC_A "health = notify\n", 3,
		  "health cannot be notify: use watchdog = DURATION for sd_notify keep-alives" },
		{ SVC_A "ready = http docker.local:2375 /_ping\n", 3,
		  "bad value 'http docker.local:2375 /_ping' for ready: HOST must be an IP address "
		  "or localhost (no DNS lookups)" },
		{ SVC_A "health = exec 'oops\n", 3,
		  "bad value 'exec 'oops' for health: unterminated single quote" },
		/* names, the environment and the command */
		{ SVC_A "args_env = 1ARGS\n", 3,
		  "bad value '1ARGS' for args_env: use an environment variable name made of "
		  "letters, digits and _, not starting with a digit" },
		{ SVC_A "args_env = A-B\n", 3, "bad value 'A-B' for args_env" },
		{ SVC_A "args_env = A B\n", 3, "bad value 'A B' for args_env" },
		{ SVC_A "args_env = A=1\n", 3, "bad value 'A=1' for args_env" },
		{ "[service:web]\ncommand = x\nenvironment = NOEQUALS\n", 3,
		  "bad environment entry 'NOEQUALS' in [service:web]: use KEY=value" },
		{ SVC_A "environment = 1X=a\n", 3, "bad environment entry '1X=a'" },
		{ SVC_A "environment = A-B=c\n", 3, "bad environment entry 'A-B=c'" },
		{ SVC_A "environment = =v\n", 3, "bad environment entry '=v'" },
		{ "[service:web]\ncommand = x\nenvironment = OK=1\nenvironment = OK=2\n", 4,
		  "environment variable 'OK' is set twice in [service:web]: keep one" },
		{ "[service:a]\ncommand = sh -c 'echo\n", 2,
		  "bad command in [service:a]: unterminated single quote" },
		{ "[service:b]\ncommand = x\\\n", 2,
		  "bad command in [service:b]: trailing backslash" },
	};

	EXPECT_CASES(*state, cases);
}

/* The same bad values, several to a file: each is reported, and a bad value leaves the default
 * (or what an earlier line set). */
static void test_bad_values_together(void **state)
{
	struct config *cfg = *state;

	load_bad(cfg, "[init]\nlog_level = verbose\non_main_exit = restart\n[service:a]\n"
		      "command = x\nrestart = sometimes\ntype = forking\nlog = syslog\n"
		      "critical = maybe\n");
	assert_int_equal(cfg->nerrors, 6);
	cfg_release(cfg);
	load_bad(cfg, "[init]\nshutdown_timeout = \n[main]\nstop_timeout = -1s\n[service:a]\n"
		      "command = x\nstop_timeout = 10x\nrestart_delay = 1.5s\n"
		      "restart_delay_max = 99999999999999999999s\nstart_limit_interval = 0\n"
		      "stop_timeout = 1s\n");
	assert_int_equal(cfg->nerrors, 7);
	cfg_release(cfg);
	load_bad(cfg, "[main]\nstop_signal = 0\n[service:a]\ncommand = x\nstart_limit_burst = 0\n"
		      "stop_signal = SIGFOO\n[service:b]\ncommand = x\nstart_limit_burst = many\n"
		      "stop_signal = 65\n[service:c]\ncommand = x\nstart_limit_burst = 1001\n");
	assert_int_equal(cfg->nerrors, 6);
	cfg_release(cfg);
	load_bad(cfg, "[service:web]\ncommand = x\nworkdir = srv\nlog = file:web.log\n");
	assert_int_equal(cfg->nerrors, 2);
	cfg_release(cfg);

	load_bad(cfg, "[service:web]\ncommand = x\nenvironment = NOEQUALS\nenvironment = 1X=a\n"
		      "environment = A-B=c\nenvironment = =v\nenvironment = OK=1\n"
		      "environment = OK=2\nenvironment = _under_9=fine\n");
	assert_int_equal(cfg->nerrors, 5);
	assert_int_equal(svc(cfg, "web")->nenv, 2);
	cfg_release(cfg);

	load_bad(cfg, "[service:a]\ncommand = x\nready = socket run/a.sock\n"
		      "health = ping 127.0.0.1\n[service:b]\ncommand = x\n"
		      "ready = tcp 127.0.0.1:70000\nhealth = notify\n[service:c]\ncommand = x\n"
		      "ready = http docker.local:2375 /_ping\nhealth = exec 'oops\n");
	assert_int_equal(cfg->nerrors, 6);
	assert_int_equal(svc(cfg, "b")->health.kind, PROBE_NONE);
	cfg_release(cfg);

	load_bad(cfg, "[service:a]\ncommand = x\nready_timeout = soon\nready_interval = 0\n"
		      "health_interval = 0ms\nhealth_timeout = 0\nhealth_retries = 0\n"
		      "watchdog = -1s\nnotify_access = all\n[service:b]\ncommand = x\n"
		      "health_retries = three\nready_timeout = 8761h\nhealth_interval = 1.5s\n");
	assert_int_equal(cfg->nerrors, 10);
	assert_int_equal(svc(cfg, "a")->ready_interval_ms, 50);
	assert_int_equal(svc(cfg, "a")->health_retries, 3);
	cfg_release(cfg);

	load_bad(cfg, "[service:a]\ncommand = sh -c 'echo\n[service:b]\ncommand = x\\\n");
	expect_error(cfg, 2, "bad command in [service:a]: unterminated single quote");
	expect_error(cfg, 4, "bad command in [service:b]: trailing backslash");
	cfg_release(cfg);

	load_bad(cfg, "[service:a]\ncommand = a\nargs_env = 1ARGS\n[service:b]\ncommand = b\n"
		      "args_env = A-B\n[service:c]\ncommand = c\nargs_env = A B\n[service:d]\n"
		      "command = d\nargs_env = A=1\n");
	assert_int_equal(cfg->nerrors, 4);
	assert_null(svc(cfg, "a")->args_env);
}

static void test_values_at_their_limits(void **state)
{
	load_ok(*state, "[init]\nshutdown_timeout = 8760h\n");
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

static void test_args_env(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:a]\ncommand = a\nargs_env =\n[service:b]\ncommand = b\n"
		     "args_env = X\n");
	assert_null(svc(cfg, "a")->args_env);
	assert_string_equal(svc(cfg, "b")->args_env, "X");
	cfg_release(cfg);

	expect_only_error(cfg, "[service:a]\ncommand = a\nargs_env = X\nargs_env = Y\n", 4,
			  "args_env already set at line 3: remove one of the two lines");
	assert_string_equal(svc(cfg, "a")->args_env, "X");
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
	load_ok(cfg, "[init]\nrequire_socket =\n");
	assert_null(cfg->require_socket);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_full_config),
		T(test_defaults),
		T(test_init_defaults_before_load),
		T(test_value_spellings),
		T(test_bad_values),
		T(test_bad_values_together),
		T(test_values_at_their_limits),
		T(test_too_many_environment_entries),
		T(test_too_many_deps),
		T(test_command_word_limit_across_lines),
		T(test_command_and_environment_at_their_limits),
		T(test_probe_keys),
		T(test_bad_probe_socket_too_long),
		T(test_control_socket),
		T(test_runtime_dir),
		T(test_args_env),
		T(test_require_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

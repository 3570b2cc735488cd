/* Unit tests of config/reader.c: section headers, the line reader (continuations, long lines, NUL
 * bytes, CRLF, BOM, the line and error limits), keys it cannot place, and the safety check of
 * the file (owner, mode, DIND_INIT_STRICT_CONFIG). */
#include "tests/unit/config_test.h"

/* Lines inih would reject or that name no key of their section: one error each, at its line. */
static void test_bad_lines(void **state)
{
	static const struct bad_case cases[] = {
		{ "[service:a]\ncommand=x\n[services:b]\ncommand=y\n", 3,
		  "unknown section [services:b]: expected [init], [main] or [service:NAME]" },
		{ "[service:a b]\ncommand=x\n", 1,
		  "bad service name 'a b' in [service:a b]: use 1 to 32 characters" },
		{ "\n[service:]\n", 2, "bad service name ''" },
		{ "[service:a/b]\n", 1, "bad service name 'a/b'" },
		/* 33 characters: one over SVC_NAME_MAX. */
		{ "[service:abcdefghijklmnopqrstuvwxyz0123456]\ncommand=x\n", 1,
		  "bad service name 'abcdefghijklmnopqrstuvwxyz0123456'" },
		{ "[service:a]\ncommand=x\n[init\nlog_level=debug\n", 3,
		  "unterminated section header '[init': add the closing ']'" },
		{ "[init] oops\n", 1, "unexpected text 'oops' after the section header" },
		{ "[service:a]\ncommand=x\ncritical\n", 3,
		  "cannot parse 'critical': expected KEY = VALUE" },
		{ "log_level = info\n[init]\n", 1,
		  "key 'log_level' is outside any section: put it under [init], [main] or "
		  "[service:NAME]" },
		{ "[init]\n= info\n", 2, "no key name before '=' in [init]" },
		{ "[service:web]\ncommand = x\ncomand = x\n", 3,
		  "unknown key 'comand' in [service:web]: did you mean 'command'?" },
		{ "[init]\nfoo = 1\n", 2,
		  "unknown key 'foo' in [init]: valid keys are log_level, shutdown_timeout, "
		  "main_after, on_main_exit, control_socket, runtime_dir, setup, mount_tmpfs, "
		  "securityfs, sys_rw, cgroups, iptables, make_rshared, stale_files, rlimit_nofile, "
		  "data_root, preflight, writable_paths, service_output, args_to, require_socket, "
		  "strict_config, control_group, mtu" },
		{ "[main]\ncommand = x\n", 2,
		  "unknown key 'command' in [main]: valid keys are stop_signal, stop_timeout, user, "
		  "group, supplementary_groups, capabilities, no_new_privileges, seccomp, "
		  "rlimit_nofile, rlimit_nproc, rlimit_core, rlimit_memlock, umask" },
		/* Continuation lines of an unknown key add no second error. */
		{ "[init]\nfoo = 1\n  2\n  3\n", 2, "unknown key 'foo'" },
		{ "[service:web]\ncommand = x\nhelth_retries = 2\n", 3,
		  "unknown key 'helth_retries' in [service:web]: did you mean 'health_retries'?" },
		{ "[service:web]\ncommand = x\nreadiness = notify\n", 3,
		  "unknown key 'readiness' in [service:web]: valid keys are command, type, "
		  "depends_on, restart, restart_delay, restart_delay_max, start_limit_burst, "
		  "start_limit_interval, critical, stop_signal, stop_timeout, environment, "
		  "workdir, log, ready, ready_timeout, ready_interval, health, health_interval, "
		  "health_timeout, health_retries, watchdog, notify_access, args_env, when, "
		  "args_if, rootless, user, group, supplementary_groups, capabilities, no_new_privileges, "
		  "seccomp, rlimit_nofile, rlimit_nproc, rlimit_core, rlimit_memlock, umask" },
		{ "[main]\nusr = 1\n", 2, "unknown key 'usr' in [main]: did you mean 'user'?" },
		{ "[service:a]\ncommand = x\nstop_timeout = 5s\n    10s\n    20s\n", 4,
		  "stop_timeout already set at line 3: only command, depends_on, environment, "
		  "main_after, mount_tmpfs, stale_files, writable_paths, supplementary_groups, "
		  "capabilities and seccomp = deny: continue on indented lines" },
		{ "[init]\ncgroups = v2\n  v1\n", 3,
		  "cgroups already set at line 2: only command, depends_on" },
		{ "[service:a]\ncommand = x\nsupplementary_groups = 1\nsupplementary_groups = 2\n",
		  4, "supplementary_groups already set at line 3: continue it" },
		{ "[init]\ncontrol_socket = /a\ncontrol_socket = /b\n", 3,
		  "control_socket already set at line 2: remove one of the two lines" },
		{ "[init]\nargs_to = a\nargs_to = a\n[service:a]\ncommand = a\n", 3,
		  "args_to already set at line 2" },
		{ "[main]\nuser = 1\nuser = 2\n", 3,
		  "user already set at line 2: remove one of the two lines" },
	};

	EXPECT_CASES(*state, cases);
}

static void test_service_name_longest(void **state)
{
	/* 32 characters and every allowed character class. */
	load_ok(*state, "[service:Ab_c.d@e-f0123456789012345678]\ncommand=x\n");
}

static void test_header_comment_and_blanks(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[init]   ; a comment\n[ service:a ]\ncommand=x\n");
	assert_int_equal(cfg_find_service(cfg, "a"), 0);
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
	cfg_release(cfg);
	/* A bad value still sets the key: the second line is the one too many. */
	load_bad(cfg, "[service:a]\ncommand = x\nstop_timeout = 10x\nstop_timeout = 1s\n");
	assert_int_equal(cfg->nerrors, 2);
	expect_error(cfg, 3, "bad duration '10x' for stop_timeout");
	expect_error(cfg, 4, "stop_timeout already set at line 3: remove one of the two lines");
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

	/* Refused before a read (EISDIR before), as a FIFO is before its open could wait. */
	assert_int_equal(cfg_load_file(cfg, "/"), -EMEDIUMTYPE);
	assert_int_equal(cfg->nerrors, 0);
}

static void test_reload_and_release(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, FULL_CONFIG);
	cfg_release(cfg);
	load_bad(cfg, "[service:a]\n");
	cfg_release(cfg);
	cfg_release(cfg); /* a released config can be released again */
	cfg_init(cfg);
	load_ok(cfg, FULL_CONFIG);
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

/* The message for a group- or world-writable config file, into msg. */
static const char *mode_refusal(char *msg, size_t len, const char *path, unsigned mode)
{
	snprintf(msg, len,
		 "%s: refusing a config file that is writable by group or others (mode %04o): "
		 "mount it read-only (docker run -v HOST-FILE:%s:ro), or chmod go-w the file (on "
		 "the host, if it is bind-mounted from there; in a Dockerfile, COPY --chmod=644), or "
		 "start dind-init with DIND_INIT_STRICT_CONFIG=no (docker run -e "
		 "DIND_INIT_STRICT_CONFIG=no)",
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_bad_lines),
		T(test_service_name_longest),
		T(test_header_comment_and_blanks),
		T(test_empty_config),
		T(test_duplicate_service),
		T(test_too_many_services),
		T(test_line_too_long),
		T(test_nul_byte),
		T(test_repeated_scalar),
		T(test_repeated_command),
		T(test_indented_key_or_header),
		T(test_many_errors_in_one_run),
		T(test_error_cap),
		T(test_continuation_lines),
		T(test_crlf_and_bom_file),
		T(test_load_file_missing),
		T(test_load_file_is_directory),
		T(test_reload_and_release),
		T(test_key_line_limit),
		T(test_strict_config),
		T(test_strict_config_no_in_unsafe_file),
		T(test_strict_config_env),
		T(test_strict_config_owner),
		T(test_strict_config_special_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

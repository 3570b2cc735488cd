/* What the unit tests of the config loader share (tests/unit/test_config_*.c): a struct config
 * per test, loading from a string, and the checks of errors, one by one or a table of cases. */
#ifndef DIND_TEST_CONFIG_H
#define DIND_TEST_CONFIG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* struct config is large: one per test on the heap. */
static inline int setup(void **state)
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

static inline int teardown(void **state)
{
	struct config *cfg = *state;

	unsetenv(CFG_STRICT_ENV);

	cfg_release(cfg);
	free(cfg);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static inline void dump_errors(const struct config *cfg)
{
	for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
		print_message("  error: %s\n", cfg->errors[i]);
}

static inline void load_ok(struct config *cfg, const char *text)
{
	int r = cfg_load_string(cfg, NAME, text);

	if (r != 0) {
		dump_errors(cfg);
		fail_msg("load failed: %d", r);
	}
	assert_int_equal(cfg->nerrors, 0);
}

static inline void load_bad(struct config *cfg, const char *text)
{
	assert_int_equal(cfg_load_string(cfg, NAME, text), -EINVAL);
	assert_true(cfg->nerrors > 0);
}

/* An error that starts with prefix and contains part. */
static inline bool has_error(const struct config *cfg, const char *prefix, const char *part)
{
	for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
		if (strncmp(cfg->errors[i], prefix, strlen(prefix)) == 0 &&
		    strstr(cfg->errors[i], part))
			return true;
	return false;
}

/* Asserts an error that starts with prefix (a file and line of another file, or none) and
 * contains part. */
static inline void expect_error_prefix(const struct config *cfg, const char *prefix,
				       const char *part)
{
	if (has_error(cfg, prefix, part))
		return;
	dump_errors(cfg);
	fail_msg("no error '%s...%s'", prefix, part);
}

/* Asserts an error that starts with "t.ini:LINE: " and contains part. */
static inline void expect_error(const struct config *cfg, int line, const char *part)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s:%d: ", NAME, line);
	expect_error_prefix(cfg, prefix, part);
}

/* The config has exactly one error, at line, containing part. */
static inline void expect_only_error(struct config *cfg, const char *text, int line,
				     const char *part)
{
	load_bad(cfg, text);
	expect_error(cfg, line, part);
	if (cfg->nerrors != 1) {
		dump_errors(cfg);
		fail_msg("expected 1 error, got %d", cfg->nerrors);
	}
}

/* A config that loads with exactly one error: at line, containing error (the message as users
 * see it: these texts stay as they are, users and scripts grep them). */
struct bad_case {
	const char *text;
	int line;
	const char *error;
};

/* Each case on its own: the load fails with that one error. Names the case that does not. */
static inline void expect_cases(struct config *cfg, const struct bad_case *cases, size_t n)
{
	char prefix[64];

	for (size_t i = 0; i < n; i++) {
		int r = cfg_load_string(cfg, NAME, cases[i].text);

		snprintf(prefix, sizeof(prefix), "%s:%d: ", NAME, cases[i].line);
		if (r != -EINVAL || cfg->nerrors != 1 || !has_error(cfg, prefix, cases[i].error)) {
			dump_errors(cfg);
			fail_msg("case %zu (%d, %d errors): %s\nwant: %s%s", i, r, cfg->nerrors,
				 cases[i].text, prefix, cases[i].error);
		}
		cfg_release(cfg);
	}
}

#define EXPECT_CASES(cfg, cases) expect_cases(cfg, cases, sizeof(cases) / sizeof(cases[0]))

static inline const struct cfg_service *svc(const struct config *cfg, const char *name)
{
	int i = cfg_find_service(cfg, name);

	if (i < 0)
		fail_msg("no service %s", name);
	return &cfg->services[i];
}

/* A temporary config file with this text, mode and owner (-1: keep). */
static inline void write_config(char *path, const char *text, mode_t mode, uid_t owner)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	if (owner != (uid_t)-1)
		assert_int_equal(fchown(fd, owner, (gid_t)-1), 0);
	close(fd);
}

/* cfg_print's output; the caller frees it. */
static inline char *print_to_string(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cfg_print(cfg, f);
	fclose(f);
	return buf;
}

/* Every key of [init], [main] and three services, and what test_full_config reads back. */
#define FULL_CONFIG                                                                                \
	"; dind-init configuration\n"				  /* 1 */                          \
	"[init]\n"						  /* 2 */                          \
	"log_level = debug\n"					  /* 3 */                          \
	"shutdown_timeout = 2m\n"				  /* 4 */                          \
	"main_after = dockerd, containerd\n"			  /* 5 */                          \
	"on_main_exit = ignore\n"				  /* 6 */                          \
	"\n"							  /* 7 */                          \
	"[main]\n"						  /* 8 */                          \
	"stop_signal = INT\n"					  /* 9 */                          \
	"stop_timeout = 20s\n"					  /* 10 */                         \
	"\n"							  /* 11 */                         \
	"[service:containerd]\n"				  /* 12 */                         \
	"command = /usr/bin/containerd --log-level warn\n"	  /* 13 */                         \
	"type = simple\n"					  /* 14 */                         \
	"restart = on-failure\n"				  /* 15 */                         \
	"restart_delay = 250ms\n"				  /* 16 */                         \
	"restart_delay_max = 1m\n"				  /* 17 */                         \
	"start_limit_burst = 3\n"				  /* 18 */                         \
	"start_limit_interval = 2m\n"				  /* 19 */                         \
	"critical = yes\n"					  /* 20 */                         \
	"stop_signal = SIGQUIT\n"				  /* 21 */                         \
	"stop_timeout = 5s\n"					  /* 22 */                         \
	"environment = GOMAXPROCS=2\n"				  /* 23 */                         \
	"environment = EMPTY=\n"				  /* 24 */                         \
	"workdir = /var/lib/containerd\n"			  /* 25 */                         \
	"log = file:/var/log/containerd.log   ; inline comment\n" /* 26 */                         \
	"\n"							  /* 27 */                         \
	"[service:dockerd]\n"					  /* 28 */                         \
	"command = /usr/bin/dockerd --host=unix:///run/d.sock\n"  /* 29 */                         \
	"type = notify\n"					  /* 30 */                         \
	"depends_on = containerd setup\n"			  /* 31 */                         \
	"log = inherit\n"					  /* 32 */                         \
	"\n"							  /* 33 */                         \
	"[service:setup]\n"					  /* 34 */                         \
	"command = sh -c 'mkdir -p /run/x && echo \"ok\"'\n"	  /* 35 */                         \
	"type = oneshot\n"					  /* 36 */                         \
	"log = null\n"						  /* 37 */

/* The container setup keys of [init], args_to and args_env (test_setup_keys, test_print_setup). */
#define SETUP_CONFIG                                                                               \
	"[init]\n"			   /* 1 */                                                 \
	"setup = yes\n"			   /* 2 */                                                 \
	"mount_tmpfs = /run, /tmp/ /run\n" /* 3 */                                                 \
	"    /var/tmp,/dev/shm\n"	   /* 4 */                                                 \
	"securityfs = no\n"		   /* 5 */                                                 \
	"sys_rw = yes\n"		   /* 6 */                                                 \
	"cgroups = v2\n"		   /* 7 */                                                 \
	"iptables = nft\n"		   /* 8 */                                                 \
	"make_rshared = no\n"		   /* 9 */                                                 \
	"stale_files = /run/a.pid\n"	   /* 10 */                                                \
	"\t/run/b.sock ; a comment\n"	   /* 11 */                                                \
	"    /run/a.pid\n"		   /* 12 */                                                \
	"rlimit_nofile = 1048576\n"	   /* 13 */                                                \
	"data_root = /srv/docker/\n"	   /* 14 */                                                \
	"preflight = off\n"		   /* 15 */                                                \
	"service_output = stderr\n"	   /* 16 */                                                \
	"args_to = dockerd\n"		   /* 17 */                                                \
	"writable_paths = /srv/a /run/\n"  /* 18 */                                                \
	"  /srv/b\n"			   /* 19 */                                                \
	"[service:containerd]\n"	   /* 20 */                                                \
	"command = containerd\n"	   /* 21 */                                                \
	"args_env = CONTAINERD_ARGS\n"	   /* 22 */                                                \
	"[service:dockerd]\n"		   /* 23 */                                                \
	"command = dockerd\n"		   /* 24 */                                                \
	"args_env = _dockerd_args2\n"	   /* 25 */

#endif

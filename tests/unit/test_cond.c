/* Unit tests for ${...} expansion (argv_split_env), conditions (config/cond.c) and the
 * `when` / `args_if` keys with cfg_resolve: docker:dind's argument forms as data. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/cond.h"
#include "config/config.h"
#include "config/parse.h"

/* A fake environment: "NAME=value" strings, NULL-terminated. */
static const char *fake_getenv(const char *name, void *ctx)
{
	const char *const *env = ctx;
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

static const char *const test_env[] = {
	"HOME=/root", "EMPTY=", "SPACED=a b", "CERTS=/certs", "HOST=unix:///run/d.sock", NULL,
};

/* The words of s split with test_env, joined with '|' ("" for none); or "E:message". */
static const char *split_env(const char *s, char *buf, size_t len)
{
	char **argv;
	const char *err = NULL;
	int argc, r = argv_split_env(s, fake_getenv, (void *)test_env, &argv, &argc, &err);
	size_t pos = 0;

	if (r < 0) {
		snprintf(buf, len, "E:%s", err ? err : "?");
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < argc; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? "|" : "", argv[i]);
	argv_free(argv);
	return buf;
}

#define DEFAULT_REFUSED                                                                            \
	"E:nested ${...} and escapes are not supported in a default: ${NAME:-DEFAULT} takes "      \
	"DEFAULT as plain text up to the first '}', without '$' or '\\'"

static void test_expand_table(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a ${HOME} b", "a|/root|b" },
		{ "--dir=${CERTS}/server", "--dir=/certs/server" },
		{ "${SPACED}", "a b" },		/* a value is never split */
		{ "x${UNSET}y", "xy" },		/* unset: nothing */
		{ "a ${UNSET} b", "a|b" },	/* an unquoted word of nothing is no word */
		{ "a \"${UNSET}\" b", "a||b" }, /* a quoted one is an empty word */
		{ "a ${EMPTY} b", "a|b" },
		{ "${UNSET:-/var/run/docker.sock}", "/var/run/docker.sock" },
		{ "${EMPTY:-dflt}", "dflt" }, /* empty counts as unset for :- */
		{ "${HOME:-dflt}", "/root" },
		{ "${UNSET:-a b}", "a b" },	/* a default is literal, not split */
		{ "'${HOME}'", "${HOME}" },	/* no expansion in single quotes */
		{ "\"${HOME}/x\"", "/root/x" }, /* expansion in double quotes */
		{ "\\${HOME}", "${HOME}" },	/* an escaped $ */
		{ "\"\\${HOME}\"", "${HOME}" },
		{ "$HOME", "$HOME" }, /* only ${...} is expanded */
		{ "a$", "a$" },
		{ "${HOST}", "unix:///run/d.sock" },
		{ "${HOME", "E:unterminated ${" },
		{ "${}",
		  "E:bad ${...}: expected ${NAME} or ${NAME:-DEFAULT}, NAME made of letters, "
		  "digits and '_'" },
		{ "${1X}",
		  "E:bad ${...}: expected ${NAME} or ${NAME:-DEFAULT}, NAME made of letters, "
		  "digits and '_'" },
		{ "${A-b}",
		  "E:bad ${...}: expected ${NAME} or ${NAME:-DEFAULT}, NAME made of letters, "
		  "digits and '_'" },
		/* A default is plain text up to the first '}': no nesting, no escapes (once
		 * "${V}" and "\\}" as they are), whether or not the variable is set. */
		{ "${UNSET:-${HOME}}", DEFAULT_REFUSED },
		{ "${HOME:-${HOME}}", DEFAULT_REFUSED },
		{ "${UNSET:-\\}}", DEFAULT_REFUSED },
		{ "${UNSET:-a\\b}", DEFAULT_REFUSED },
		{ "\"${UNSET:-${HOME}}\"", DEFAULT_REFUSED },
		{ "${UNSET:-$}", DEFAULT_REFUSED },
		{ "${UNSET:-a$b}", DEFAULT_REFUSED },
		{ "${UNSET:-{x}", "{x" },   /* '{' alone is plain text */
		{ "${UNSET:-}", "" },	    /* an empty default: nothing */
		{ "${UNSET:-x}\\$", "x$" }, /* an escape after the '}' is fine */
		{ "\"${UNSET:-a'b}\"", "a'b" },
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = split_env(cases[i].in, buf, sizeof(buf));

		if (strcmp(got, cases[i].out) != 0)
			fail_msg("argv_split_env(%s): got '%s', want '%s'", cases[i].in, got,
				 cases[i].out);
	}
}

static void test_expand_off_without_lookup(void **state)
{
	char **argv;
	const char *err;
	int argc;

	(void)state;
	assert_int_equal(argv_split("a ${HOME} ${", &argv, &argc, &err), 0);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[1], "${HOME}");
	assert_string_equal(argv[2], "${");
	argv_free(argv);
}

static void test_expand_long_value(void **state)
{
	/* A value far longer than the input: the word grows. */
	static char big[8192];
	const char *env[] = { big, NULL };
	char **argv;
	const char *err;
	int argc;

	(void)state;
	memcpy(big, "BIG=", 4);
	memset(big + 4, 'x', sizeof(big) - 5);
	assert_int_equal(argv_split_env("-${BIG}-", fake_getenv, env, &argv, &argc, &err), 0);
	assert_int_equal(argc, 1);
	assert_int_equal(strlen(argv[0]), sizeof(big) - 5 + 2);
	argv_free(argv);
}

/* --- conditions ------------------------------------------------------------------------- */

struct eval_ctx {
	const char *const *env;
	const char *const *args; /* NULL-terminated */
	const char *replaced;	 /* a service name, or NULL */
};

static const char *ev_getenv(const char *name, void *ctx)
{
	return fake_getenv(name, (void *)((struct eval_ctx *)ctx)->env);
}

static bool ev_has_arg(const char *opt, void *ctx)
{
	const struct eval_ctx *e = ctx;
	int n = 0;

	while (e->args && e->args[n])
		n++;
	return args_have_option((char *const *)e->args, n, opt);
}

static bool ev_replaced(const char *svc, void *ctx)
{
	const struct eval_ctx *e = ctx;

	return e->replaced && strcmp(e->replaced, svc) == 0;
}

static bool eval(const char *text, const struct eval_ctx *e)
{
	struct cond_list l;
	const char *err;
	struct cond_env env = { ev_getenv, ev_has_arg, ev_replaced, (void *)e };
	bool v;

	if (cond_parse(text, false, &l, NULL, &err) < 0)
		fail_msg("cond_parse(%s): %s", text, err);
	v = cond_eval(&l, &env);
	cond_release(&l);
	return v;
}

static void test_cond_eval_table(void **state)
{
	static const char *const args[] = { "--debug", "--host=tcp://x", "-G", "123", NULL };
	static const char *const args2[] = { "-Hunix:///x", "--mtu", "1400", "--", "--tls", NULL };
	const struct eval_ctx e1 = { test_env, args, "dockerd" }, e2 = { test_env, args2, NULL };
	static const struct {
		const char *cond;
		int ctx;
		bool want;
	} cases[] = {
		{ "CERTS", 1, true },
		{ "!CERTS", 1, false },
		{ "EMPTY", 1, false }, /* set but empty: not "set" */
		{ "!EMPTY", 1, true },
		{ "UNSET", 1, false },
		{ "!UNSET", 1, true },
		{ "HOST=unix://*", 1, true },
		{ "HOST=tcp://*", 1, false },
		{ "UNSET=*", 1, false }, /* a pattern needs the variable set */
		{ "EMPTY=", 1, true },
		{ "CERTS=/certs", 1, true },
		{ "CERTS=/cert", 1, false },
		{ "arg:--host", 1, true }, /* --host=VALUE */
		{ "arg:--hos", 1, false }, /* no prefix matching of long options */
		{ "arg:-G", 1, true },
		{ "arg:-H", 1, false },
		{ "arg:-H", 2, true },	   /* -HVALUE */
		{ "arg:--mtu", 2, true },  /* --mtu VALUE */
		{ "arg:--tls", 2, false }, /* after "--": not an option */
		{ "arg:--host=tcp://x", 1, true },
		{ "arg:--host=tcp://y", 1, false },
		{ "arg:-G=123", 1, true },	  /* -G 123 */
		{ "arg:-G=12", 1, false },
		{ "arg:-H=unix:///x", 2, true },  /* -Hunix:///x */
		{ "arg:--mtu=1400", 2, true },	  /* --mtu 1400 */
		{ "arg:--mtu=1500", 2, false },
		{ "arg:--debug=x", 1, false },
		{ "arg:--debug", 2, false },
		{ "replaced:dockerd", 1, true },
		{ "replaced:dockerd", 2, false },
		{ "!replaced:dockerd", 2, true },
		{ "CERTS !replaced:dockerd !arg:--host !arg:-H", 1, false },
		{ "CERTS !replaced:dockerd !arg:--host !arg:-H", 2, false },
		{ "CERTS !arg:--host !arg:-H", 1, false },
		{ "CERTS !arg:--debug", 2, true },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = eval(cases[i].cond, cases[i].ctx == 1 ? &e1 : &e2);

		if (got != cases[i].want)
			fail_msg("'%s' (context %d): got %d, want %d", cases[i].cond, cases[i].ctx,
				 got, cases[i].want);
	}
}

static void test_cond_parse_errors(void **state)
{
	static const struct {
		const char *text;
		bool colon;
		const char *err;
	} cases[] = {
		{ "", false, "expected at least one condition" },
		{ "1ABC", false, "expected NAME, NAME=PATTERN, arg:OPTION or replaced:SERVICE" },
		{ "A-B", false, "expected NAME, NAME=PATTERN, arg:OPTION or replaced:SERVICE" },
		{ "!", false, "expected NAME, NAME=PATTERN, arg:OPTION or replaced:SERVICE" },
		{ "=x", false, "bad variable name before '='" },
		{ "arg:host", false, "arg: needs an option" },
		{ "arg:--", false, "arg: needs an option" },
		{ "A B C D E F G H I", false, "too many conditions (limit 8)" },
		{ "A --host=x", true, "expected CONDITIONS : WORDS" },
		{ ": --host=x", true, "no condition before ':'" },
		{ "A:--host", true, "expected NAME, NAME=PATTERN" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cond_list l;
		const char *err = NULL, *rest;

		if (cond_parse(cases[i].text, cases[i].colon, &l, &rest, &err) != -EINVAL)
			fail_msg("'%s' was accepted", cases[i].text);
		if (!err || strncmp(err, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("'%s': got '%s', want '%s...'", cases[i].text,
				 err ? err : "(null)", cases[i].err);
		assert_int_equal(l.n, 0);
	}
}

static void test_cond_rest_and_format(void **state)
{
	struct cond_list l;
	const char *err, *rest;
	char buf[256];

	(void)state;
	assert_int_equal(cond_parse("  A !B=x* arg:--host   !replaced:d : --a=b 'c d'", true, &l,
				    &rest, &err),
			 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(rest, " --a=b 'c d'");
	assert_string_equal(cond_format(&l, buf, sizeof(buf)), "A !B=x* arg:--host !replaced:d");
	cond_release(&l);
}

/* --- when, args_if and cfg_resolve ------------------------------------------------------ */

static struct config cfg;

static int load(const char *text)
{
	cfg_release(&cfg);
	cfg_init(&cfg);
	return cfg_load_string(&cfg, "t.ini", text);
}

static const char *cmdline(int idx, char *buf, size_t len)
{
	return argv_format(cfg.services[idx].argv, buf, (unsigned)len);
}

static void teardown_cfg(void)
{
	cfg_release(&cfg);
}

static const char dind_ini[] =
	"[init]\n"
	"args_to = dockerd\n"
	"[service:certs]\n"
	"type = oneshot\n"
	"command = dind-certs --dir ${DOCKER_TLS_CERTDIR}\n"
	"when = DOCKER_TLS_CERTDIR !replaced:dockerd\n"
	"[service:dockerd]\n"
	"command = dockerd --containerd=/run/c.sock --host=unix:///var/run/docker.sock\n"
	"depends_on = certs\n"
	"args_if = DOCKER_TLS_CERTDIR !replaced:dockerd !arg:--host !arg:-H :\n"
	"    --host=tcp://0.0.0.0:2376 --tlsverify\n"
	"    --tlscacert=${DOCKER_TLS_CERTDIR}/server/ca.pem\n"
	"args_if = !DOCKER_TLS_CERTDIR !replaced:dockerd !arg:--host !arg:-H : "
	"--host=tcp://0.0.0.0:2375 --tls=false\n"
	"args_if = replaced:dockerd !arg:--containerd : --containerd=/run/c.sock\n"
	"args_if = DOCKER_MTU !arg:--mtu : --mtu=${DOCKER_MTU}\n";

static void resolve_with(const char *const *env)
{
	char err[256];

	if (cfg_resolve(&cfg, fake_getenv, (void *)env, err, sizeof(err)) < 0)
		fail_msg("cfg_resolve: %s", err);
}

static void test_resolve_tls_on(void **state)
{
	static const char *const env[] = { "DOCKER_TLS_CERTDIR=/certs", NULL };
	char buf[1024];

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	resolve_with(env);
	assert_false(cfg.services[0].skip);
	assert_string_equal(cmdline(0, buf, sizeof(buf)), "dind-certs --dir /certs");
	assert_string_equal(cmdline(1, buf, sizeof(buf)),
			    "dockerd --containerd=/run/c.sock --host=unix:///var/run/docker.sock "
			    "--host=tcp://0.0.0.0:2376 --tlsverify "
			    "--tlscacert=/certs/server/ca.pem");
	assert_true(cfg.services[1].args_if[0].held);
	assert_false(cfg.services[1].args_if[1].held);
	teardown_cfg();
}

static void test_resolve_tls_off_and_user_args(void **state)
{
	static const char *const env[] = { "DOCKER_TLS_CERTDIR=", "DOCKER_MTU=1400", NULL };
	char *args[] = { (char *)"--debug", NULL };
	char buf[1024];

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	assert_int_equal(cfg_append_args(&cfg, 1, args, 1), 0);
	resolve_with(env);
	assert_true(cfg.services[0].skip); /* TLS off: no certificates */
	/* The user's arguments come right after the command, then the args_if words. */
	assert_string_equal(cmdline(1, buf, sizeof(buf)),
			    "dockerd --containerd=/run/c.sock --host=unix:///var/run/docker.sock "
			    "--debug --host=tcp://0.0.0.0:2375 --tls=false --mtu=1400");
	teardown_cfg();
}

static void test_resolve_user_host_and_mtu_keep_control(void **state)
{
	static const char *const env[] = { "DOCKER_TLS_CERTDIR=/certs", "DOCKER_MTU=1400", NULL };
	char *args[] = { (char *)"-H", (char *)"tcp://0.0.0.0:9999", (char *)"--mtu=1300", NULL };
	char buf[1024];

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	assert_int_equal(cfg_append_args(&cfg, 1, args, 3), 0);
	resolve_with(env);
	assert_false(cfg.services[0].skip);
	assert_string_equal(
		cmdline(1, buf, sizeof(buf)),
		"dockerd --containerd=/run/c.sock --host=unix:///var/run/docker.sock -H "
		"tcp://0.0.0.0:9999 --mtu=1300");
	teardown_cfg();
}

static void test_resolve_replaced_command(void **state)
{
	static const char *const env[] = { "DOCKER_TLS_CERTDIR=/certs", "DOCKER_MTU=1450", NULL };
	char *args[] = { (char *)"dockerd", (char *)"--host=unix:///var/run/docker.sock",
			 (char *)"--group=123", NULL };
	char buf[1024];

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	assert_int_equal(cfg_replace_command(&cfg, 1, args, 3), 0);
	resolve_with(env);
	/* As docker:dind: no certificates, no TLS flags; ours: containerd and MTU still. */
	assert_true(cfg.services[0].skip);
	assert_string_equal(cmdline(1, buf, sizeof(buf)),
			    "dockerd --host=unix:///var/run/docker.sock --group=123 "
			    "--containerd=/run/c.sock --mtu=1450");
	teardown_cfg();
}

static void test_resolve_replaced_keeps_user_containerd(void **state)
{
	char *args[] = { (char *)"/usr/bin/dockerd", (char *)"--containerd=/x.sock", NULL };
	char buf[1024];

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	assert_int_equal(cfg_replace_command(&cfg, 1, args, 2), 0);
	resolve_with(test_env);
	assert_string_equal(cmdline(1, buf, sizeof(buf)), "/usr/bin/dockerd --containerd=/x.sock");
	teardown_cfg();
}

static void test_resolve_too_long(void **state)
{
	static char big[40000];
	const char *env[] = { big, NULL };
	char err[256];

	(void)state;
	memcpy(big, "BIG=", 4);
	memset(big + 4, 'x', sizeof(big) - 5);
	assert_int_equal(load("[service:a]\ncommand = a ${BIG} ${BIG}\n"), 0);
	assert_int_equal(cfg_resolve(&cfg, fake_getenv, env, err, sizeof(err)), -E2BIG);
	assert_non_null(strstr(err, "service a"));
	teardown_cfg();
}

static void test_when_args_if_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "[service:a]\ncommand = a\nwhen = 1X\n", "t.ini:3: bad when in [service:a]" },
		{ "[service:a]\ncommand = a\nwhen = arg:--host\n",
		  "t.ini:3: arg:--host in when of [service:a]: arg: conditions are for args_if" },
		{ "[service:a]\ncommand = a\nwhen = replaced:b\n",
		  "t.ini:3: when of [service:a] names unknown service 'b'" },
		{ "[service:a]\ncommand = a\nargs_if = X --y\n",
		  "t.ini:3: bad args_if in [service:a]: expected CONDITIONS : WORDS" },
		{ "[service:a]\ncommand = a\nargs_if = X : 'y\n",
		  "t.ini:3: bad args_if words in [service:a]: unterminated single quote" },
		{ "[service:a]\ncommand = a\nargs_if = X : ${y\n",
		  "t.ini:3: bad args_if words in [service:a]: unterminated ${" },
		{ "[service:a]\ncommand = a ${-}\n",
		  "t.ini:2: bad command in [service:a]: bad ${...}" },
		{ "[service:a]\ncommand = a\nargs_if = replaced:zz : x\n",
		  "t.ini:3: args_if of [service:a] names unknown service 'zz'" },
		/* Found by an audit: these gave the literal "${V}" and "\\}". */
		{ "[service:a]\ncommand = a ${W:-${V}}\n",
		  "t.ini:2: bad command in [service:a]: nested ${...} and escapes are not "
		  "supported in a default" },
		{ "[service:a]\ncommand = a\nargs_if = X : --x=${A:-\\}}\n",
		  "t.ini:3: bad args_if words in [service:a]: nested ${...} and escapes are not "
		  "supported in a default" },
		{ "[init]\ncontrol_group = ${G:-${H}}\n",
		  "t.ini:2: bad control_group '${G:-${H}}': nested ${...} and escapes are not "
		  "supported in a default" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (load(cases[i].text) != -EINVAL)
			fail_msg("accepted: %s", cases[i].text);
		bool found = false;

		for (int e = 0; e < cfg.nerrors && !found; e++)
			found = strncmp(cfg.errors[e], cases[i].err, strlen(cases[i].err)) == 0;
		if (!found)
			fail_msg("%s: got '%s', want '%s...'", cases[i].text,
				 cfg.nerrors ? cfg.errors[0] : "(none)", cases[i].err);
	}
	teardown_cfg();
}

static void test_args_if_limit(void **state)
{
	char text[4096] = "[service:a]\ncommand = a\n";

	(void)state;
	for (int i = 0; i <= MAX_ARGS_IF; i++)
		strcat(text, "args_if = X : y\n");
	assert_int_equal(load(text), -EINVAL);
	assert_non_null(strstr(cfg.errors[0], "too many args_if lines in [service:a] (limit 16)"));
	teardown_cfg();
}

static void test_print_shows_conditions(void **state)
{
	static const char *const env[] = { "DOCKER_TLS_CERTDIR=", NULL };
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(load(dind_ini), 0);
	resolve_with(env);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	cfg_print(&cfg, f);
	fclose(f);
	assert_non_null(strstr(out, "SKIPPED  dind-certs --dir\n"));
	assert_non_null(strstr(out, "when DOCKER_TLS_CERTDIR !replaced:dockerd  -> no: skipped"));
	assert_non_null(strstr(out, "args_if !DOCKER_TLS_CERTDIR !replaced:dockerd !arg:--host "
				    "!arg:-H : --host=tcp://0.0.0.0:2375 --tls=false  -> yes"));
	free(out);
	teardown_cfg();
}

/* The shipped config/dind-init.ini, resolved in docker:dind's situations. */
static void load_shipped(void)
{
#ifdef SOURCE_DIR
	FILE *f = fopen(SOURCE_DIR "/config/dind-init.ini", "re");
	static char text[64 * 1024];
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (load(text) != 0)
		fail_msg("config/dind-init.ini: %s", cfg.nerrors ? cfg.errors[0] : "?");
#else
	fail_msg("built without SOURCE_DIR: cannot find config/dind-init.ini");
#endif
}

static void test_shipped_config_forms(void **state)
{
	static const char *const tls_on[] = { "DOCKER_TLS_CERTDIR=/certs", "DOCKER_GROUP_GID=",
					      NULL };
	static const char *const gitlab_off[] = { "DOCKER_TLS_CERTDIR=", "DOCKER_MTU=1400",
						  "DOCKER_HOST=tcp://docker:2375", NULL };
	static const char *const other_sock[] = { "DOCKER_TLS_CERTDIR=",
						  "DOCKER_HOST=unix:///run/user/1/docker.sock", NULL };
	static const char *const unset[] = { "DOCKER_HOST=tcp://docker:2375", NULL };
	char *arc[] = { (char *)"dockerd", (char *)"--host=unix:///var/run/docker.sock",
			(char *)"--group=123", NULL };
	char *own_host[] = { (char *)"-H", (char *)"tcp://0.0.0.0:2376", NULL };
	char *tcp_only[] = { (char *)"dockerd", (char *)"-H", (char *)"tcp://0.0.0.0:2375", NULL };
	char buf[2048];
	int d;

	char group_file[] = "/tmp/test_cond_group.XXXXXX";
	int fd = mkstemp(group_file);

	(void)state;
	/* The image's group file, not this machine's (which may have no group docker). */
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "docker:x:2375:\n", 15), 15);
	close(fd);
	cfg_set_account_files(NULL, group_file);
	load_shipped();
	d = cfg_find_service(&cfg, "dockerd");
	resolve_with(tls_on);
	assert_false(cfg.services[cfg_find_service(&cfg, "certs")].skip);
	assert_string_equal(cmdline(cfg_find_service(&cfg, "certs"), buf, sizeof(buf)),
			    "dind-certs --dir /certs");
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd --containerd=/run/containerd/containerd.sock "
			    "--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify "
			    "--tlscacert=/certs/server/ca.pem --tlscert=/certs/server/cert.pem "
			    "--tlskey=/certs/server/key.pem");

	load_shipped();
	resolve_with(gitlab_off);
	assert_true(cfg.services[cfg_find_service(&cfg, "certs")].skip);
	/* GitLab's tcp:// DOCKER_HOST is ignored; the MTU goes to dockerd and its networks. */
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd --containerd=/run/containerd/containerd.sock "
			    "--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false "
			    "--mtu=1400 "
			    "--default-network-opt=bridge=com.docker.network.driver.mtu=1400");

	/* DOCKER_TLS_CERTDIR unset (an image without docker:dind's ENV, a host): no TCP listener,
	 * never a plain one on every interface. */
	load_shipped();
	resolve_with(unset);
	assert_true(cfg.services[cfg_find_service(&cfg, "certs")].skip);
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd --containerd=/run/containerd/containerd.sock "
			    "--host=unix:///var/run/docker.sock");

	load_shipped();
	resolve_with(other_sock);
	assert_non_null(strstr(cmdline(d, buf, sizeof(buf)),
			       "--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 "
			       "--tls=false --host=unix:///run/user/1/docker.sock"));

	/* Your own --host with TLS on: your listener, TLS-verified with the certificates all the
	 * same (never an unauthenticated TCP port while TLS is on). */
	load_shipped();
	assert_int_equal(cfg_append_args(&cfg, d, own_host, 2), 0);
	resolve_with(tls_on);
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd --containerd=/run/containerd/containerd.sock "
			    "--host=unix:///var/run/docker.sock -H tcp://0.0.0.0:2376 --tlsverify "
			    "--tlscacert=/certs/server/ca.pem --tlscert=/certs/server/cert.pem "
			    "--tlskey=/certs/server/key.pem");

	/* The dockerd ... form without the standard socket: it is added (health, dind-ctl). */
	load_shipped();
	assert_int_equal(cfg_replace_command(&cfg, d, tcp_only, 3), 0);
	resolve_with(tls_on);
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd -H tcp://0.0.0.0:2375 --containerd=/run/containerd/containerd.sock "
			    "--host=unix:///var/run/docker.sock");

	load_shipped();
	assert_int_equal(cfg_replace_command(&cfg, d, arc, 3), 0);
	resolve_with(tls_on);
	assert_true(cfg.services[cfg_find_service(&cfg, "certs")].skip);
	assert_string_equal(cmdline(d, buf, sizeof(buf)),
			    "dockerd --host=unix:///var/run/docker.sock --group=123 "
			    "--containerd=/run/containerd/containerd.sock");
	assert_true(cfg.has_control_gid);
	assert_int_equal(cfg.control_gid, 2375);
	teardown_cfg();
	cfg_set_account_files(NULL, NULL);
	unlink(group_file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_table),
		cmocka_unit_test(test_expand_off_without_lookup),
		cmocka_unit_test(test_expand_long_value),
		cmocka_unit_test(test_cond_eval_table),
		cmocka_unit_test(test_cond_parse_errors),
		cmocka_unit_test(test_cond_rest_and_format),
		cmocka_unit_test(test_resolve_tls_on),
		cmocka_unit_test(test_resolve_tls_off_and_user_args),
		cmocka_unit_test(test_resolve_user_host_and_mtu_keep_control),
		cmocka_unit_test(test_resolve_replaced_command),
		cmocka_unit_test(test_resolve_replaced_keeps_user_containerd),
		cmocka_unit_test(test_resolve_too_long),
		cmocka_unit_test(test_when_args_if_errors),
		cmocka_unit_test(test_args_if_limit),
		cmocka_unit_test(test_print_shows_conditions),
		cmocka_unit_test(test_shipped_config_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

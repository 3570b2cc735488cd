/* Unit tests of the container setup keys of [init] (mount_tmpfs ... mtu), args_to, cfg_setup_decide
 * and the default config file the images ship (config/dind-init.ini). */
#include "tests/unit/config_test.h"

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
	assert_true(s->mtu_auto);
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

static void test_setup_keys(void **state)
{
	struct config *cfg = *state;
	const struct cfg_setup *s = &cfg->setup;

	load_ok(cfg, SETUP_CONFIG);
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

/* mtu = auto | no: a bool whose choice names are not yes and no. */
static void test_setup_mtu(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, "[init]\nmtu = no\n");
	assert_false(cfg->setup.mtu_auto);
	out = print_to_string(cfg);
	assert_string_equal(out, "t.ini: no services\n"
				 "main command starts after: (none)\n"
				 "container setup: mtu=no\n");
	free(out);
	cfg_release(cfg);
	load_ok(cfg, "[init]\nmtu = auto\n");
	assert_true(cfg->setup.mtu_auto);
}

static void test_setup_bad_values(void **state)
{
	static const struct bad_case cases[] = {
		{ "[init]\nsetup = maybe\n", 2,
		  "bad value 'maybe' for setup: expected auto, yes or no" },
		{ "[init]\nsecurityfs = 2\n", 2,
		  "bad value '2' for securityfs: expected auto, yes or no" },
		{ "[init]\nsys_rw = rw\n", 2,
		  "bad value 'rw' for sys_rw: expected auto, yes or no" },
		{ "[init]\ncgroups = v3\n", 2,
		  "bad value 'v3' for cgroups: expected auto, v1, v2 or no" },
		{ "[init]\niptables = iptables-nft\n", 2,
		  "bad value 'iptables-nft' for iptables: expected auto, legacy, nft or no" },
		{ "[init]\nmake_rshared = auto\n", 2,
		  "bad value 'auto' for make_rshared: use yes or no" },
		{ "[init]\nrlimit_nofile = 0\n", 2,
		  "bad value '0' for rlimit_nofile: expected hard, keep or a whole number of 1 or "
		  "more" },
		{ "[init]\ndata_root = var/lib/docker\n", 2,
		  "bad value 'var/lib/docker' for data_root: use an absolute path or none" },
		{ "[init]\npreflight = never\n", 2,
		  "bad value 'never' for preflight: expected auto, yes or no" },
		{ "[init]\nservice_output = syslog\n", 2,
		  "bad value 'syslog' for service_output: expected stdout or stderr" },
		{ "[init]\nrlimit_nofile = -5\n", 2,
		  "bad value '-5' for rlimit_nofile: expected hard, keep or a whole number" },
		{ "[init]\nrlimit_nofile = 99999999999\n", 2,
		  "bad value '99999999999' for rlimit_nofile" },
		{ "[init]\nrlimit_nofile = soft\n", 2, "bad value 'soft' for rlimit_nofile" },
		{ "[init]\nmtu = yes\n", 2, "bad value 'yes' for mtu: expected auto or no" },
		{ "[init]\ndata_root =\n", 2,
		  "bad value '' for data_root: use an absolute path or none" },
		{ "[init]\nmount_tmpfs = /run //\n", 2,
		  "bad path '/' in mount_tmpfs: a tmpfs there would hide the whole image; remove "
		  "it" },
	};
	struct config *cfg = *state;

	EXPECT_CASES(cfg, cases);
	/* All in one file: each reported, and the defaults stay. */
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
	assert_int_equal(cfg->setup.setup, TRI_AUTO);
	assert_int_equal(cfg->setup.cgroups, CGROUPS_AUTO);
	assert_true(cfg->setup.make_rshared);
	assert_int_equal(cfg->setup.rlimit_nofile, RLIMIT_NOFILE_HARD);
	assert_string_equal(cfg->setup.data_root, "/var/lib/docker");
	assert_int_equal(cfg->service_output, OUTPUT_STDOUT);
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
	/* containerd first: dockerd waits for it, and the certs fork is not on its path */
	assert_int_equal(cfg->order[0], c - cfg->services);
	assert_int_equal(cfg->order[1], t - cfg->services);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_setup_defaults),	   T(test_setup_keys),	 T(test_setup_other_values),
		T(test_setup_lists_empty), T(test_setup_mtu),	 T(test_setup_bad_values),
		T(test_setup_bad_paths),   T(test_setup_decide), T(test_args_to),
		T(test_default_ini),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

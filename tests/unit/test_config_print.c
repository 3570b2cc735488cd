/* Unit tests of config/print.c: the --check-config summary (cfg_print). The privileges in it:
 * test_config_privs.c (test_print_privs, with the allow-list fixture). */
#include "tests/unit/config_test.h"

static void test_print(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, FULL_CONFIG);
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

static void test_print_setup(void **state)
{
	struct config *cfg = *state;
	char *out;

	load_ok(cfg, SETUP_CONFIG);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_print),
		T(test_print_probes),
		T(test_print_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

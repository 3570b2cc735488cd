/* Unit tests of the rootless key (config/validate.c: its rules) and of config/rootless.c: the
 * parsers of the rootless preflight. */
#include "tests/unit/config_test.h"

#include "config/rootless.h"

#include <sys/stat.h>

#define SVC_HEAD "[service:dockerd]\ncommand = dockerd-rootless\n"

/* rootless = yes with what it cannot work with: one error each, at the line of the key that
 * breaks it. */
static void test_rootless_rules(void **state)
{
	static const struct bad_case cases[] = {
		{ SVC_HEAD "rootless = yes\n", 3,
		  "[service:dockerd] rootless = yes needs user = (the unprivileged user that runs "
		  "rootless dockerd), not root" },
		{ SVC_HEAD "user = root\nrootless = yes\n", 4,
		  "[service:dockerd] rootless = yes needs user = (the unprivileged user that runs "
		  "rootless dockerd), not root" },
		{ SVC_HEAD "rootless = yes\nuser = builder\nno_new_privileges = yes\n", 5,
		  "[service:dockerd] rootless = yes refuses no_new_privileges = yes: newuidmap and "
		  "newgidmap need their file capabilities" },
		{ SVC_HEAD "rootless = yes\nuser = builder\nseccomp = default\n", 5,
		  "[service:dockerd] rootless = yes refuses seccomp: RootlessKit makes user, mount "
		  "and network namespaces" },
		{ SVC_HEAD "rootless = yes\nuser = builder\ncapabilities = none\n", 5,
		  "[service:dockerd] rootless = yes refuses capabilities: they would be ambient "
		  "capabilities of rootless dockerd" },
		{ SVC_HEAD "rootless = maybe\nuser = builder\n", 3, "rootless" },
		/* an unknown user: its own error only */
		{ SVC_HEAD "rootless = yes\nuser = nosuchuser\n", 4, "unknown user 'nosuchuser'" },
	};

	EXPECT_CASES(*state, cases);
}

static void test_rootless_ok(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, SVC_HEAD "user = builder\nrootless = yes\nno_new_privileges = no\n"
			      "seccomp = none\n");
	assert_true(svc(cfg, "dockerd")->rootless);
	assert_int_equal(svc(cfg, "dockerd")->privs.uid, 1000);
	cfg_release(cfg);
	/* default no: root and every privilege key are fine */
	load_ok(cfg, SVC_HEAD "seccomp = default\ncapabilities = none\n");
	assert_false(svc(cfg, "dockerd")->rootless);
}

static void test_subids(void **state)
{
	static const char text[] = "# comment\n"
				   "builder:100000:65536\n"
				   "other:200000:65536\n"
				   "1000:300000:1000\n"
				   "builder:bad:10\n"
				   "builder:1:x\n"
				   "builder\n"
				   "builder:400000:0\n"
				   "builderx:500000:7\n"
				   "builder:600000:10";

	(void)state;
	assert_int_equal(rootless_subids(text, "builder", 1000, NULL), 65536 + 1000 + 10);
	assert_int_equal(rootless_subids(text, NULL, 1000, NULL), 1000);
	assert_int_equal(rootless_subids(text, "other", 1001, NULL), 65536);
	assert_int_equal(rootless_subids(text, "nobody", 65534, NULL), 0);
	assert_int_equal(rootless_subids("", "builder", 1000, NULL), 0);
	assert_int_equal(rootless_subids(NULL, "builder", 1000, NULL), 0);
}

/* CRLF lines; ranges past the last id are ignored and counted; the sum cannot wrap */
static void test_subids_limits(void **state)
{
	int impossible = -1;

	(void)state;
	assert_int_equal(rootless_subids("builder:100000:65536\r\n", "builder", 1000, &impossible),
			 65536);
	assert_int_equal(impossible, 0);
	assert_int_equal(rootless_subids("builder:100000:65536\r", "builder", 1000, NULL), 65536);
	assert_int_equal(rootless_subids("builder:4294967295:65536\n"
					 "builder:100000:999999999999999999\n"
					 "builder:4294901759:65536\n"
					 "builder:100000:65536\n"
					 "other:4294967295:65536\n",
					 "builder", 1000, &impossible),
			 65536 + 65536);
	assert_int_equal(impossible, 2);
	/* the last possible range: ids 4294901759 .. 4294967294 */
	assert_int_equal(rootless_subids("builder:4294901759:65536", "builder", 1000, &impossible),
			 65536);
	assert_int_equal(impossible, 0);
	/* many large ranges: capped, not wrapped */
	assert_true(rootless_subids("builder:0:4294967295\nbuilder:0:4294967295\n"
				    "builder:0:4294967295\n",
				    "builder", 1000, NULL) == ROOTLESS_ID_LIMIT);
}

static void test_proc_mask(void **state)
{
	(void)state;
	assert_true(rootless_proc_mask("/proc/kcore"));
	assert_true(rootless_proc_mask("/proc/sys"));
	assert_true(rootless_proc_mask("/proc/acpi"));
	assert_false(rootless_proc_mask("/proc"));
	assert_false(rootless_proc_mask("/proc/"));
	assert_false(rootless_proc_mask("/proc/sys/fs/binfmt_misc"));
	assert_false(rootless_proc_mask("/processes"));
	assert_false(rootless_proc_mask("/sys/fs/cgroup"));
}

static void test_file_caps(void **state)
{
	/* setcap cap_setuid=ep: revision 2, effective, permitted bit 7 */
	static const unsigned char v2[20] = { 0x01, 0, 0, 0x02, 0x80, 0, 0, 0, 0, 0,
					      0,    0, 0, 0,	0,    0, 0, 0, 0, 0 };
	/* revision 3 for root 0, cap_setgid (6) and cap_sys_admin (21) */
	static const unsigned char v3[24] = { 0x01, 0, 0, 0x03, 0x40, 0, 0x20, 0, 0, 0, 0, 0,
					      0,    0, 0, 0,	0,    0, 0,    0, 0, 0, 0, 0 };
	/* revision 3 for another namespace's root (uid 100000): none here */
	static const unsigned char v3ns[24] = { 0x01, 0, 0, 0x03, 0x80, 0,    0,    0,
						0,    0, 0, 0,	  0,	0,    0,    0,
						0,    0, 0, 0,	  0xa0, 0x86, 0x01, 0 };
	/* revision 1, bit 7; and a capability above 31 (cap_bpf, 39) in revision 2 */
	static const unsigned char v1[12] = { 0, 0, 0, 0x01, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char hi[20] = { 0, 0, 0,	  0x02, 0, 0, 0, 0, 0, 0,
					      0, 0, 0x80, 0,	0, 0, 0, 0, 0, 0 };
	/* setcap cap_setuid=p: permitted, not effective */
	static const unsigned char p2[20] = { 0, 0, 0, 0x02, 0x80, 0, 0, 0, 0, 0,
					      0, 0, 0, 0,    0,	   0, 0, 0, 0, 0 };
	uint64_t p = 0;
	bool e = false;

	(void)state;
	assert_int_equal(rootless_file_caps(v2, sizeof(v2), &p, &e), 0);
	assert_true(p == 1u << 7);
	assert_true(e);
	assert_int_equal(rootless_file_caps(p2, sizeof(p2), &p, &e), 0);
	assert_true(p == 1u << 7);
	assert_false(e);
	assert_int_equal(rootless_file_caps(v3, sizeof(v3), &p, &e), 0);
	assert_true(p == (1u << 6 | 1u << 21));
	assert_int_equal(rootless_file_caps(v3ns, sizeof(v3ns), &p, &e), 0);
	assert_true(p == 0);
	assert_int_equal(rootless_file_caps(v1, sizeof(v1), &p, &e), 0);
	assert_true(p == 1u << 7);
	assert_int_equal(rootless_file_caps(hi, sizeof(hi), &p, &e), 0);
	assert_true(p == (uint64_t)1 << 39);
	/* wrong length for the revision, unknown revision, too short */
	assert_int_equal(rootless_file_caps(v2, 12, &p, &e), -EINVAL);
	assert_int_equal(rootless_file_caps(v1, sizeof(v1) - 1, &p, &e), -EINVAL);
	assert_int_equal(
		rootless_file_caps((const unsigned char *)"\0\0\0\x07xxxxxxxxxxxxxxxx", 20, &p, &e),
		-EINVAL);
	assert_int_equal(rootless_file_caps(v2, 3, &p, &e), -EINVAL);
}

static void test_kernel_version(void **state)
{
	(void)state;
	assert_true(rootless_kernel_at_least("5.11.0", 5, 11));
	assert_true(rootless_kernel_at_least("6.1.0-28-amd64", 5, 11));
	assert_true(rootless_kernel_at_least("5.15", 5, 11));
	assert_false(rootless_kernel_at_least("5.10.0-28-amd64", 5, 11));
	assert_false(rootless_kernel_at_least("4.19.0", 5, 11));
	assert_true(rootless_kernel_at_least("", 5, 11));
	assert_true(rootless_kernel_at_least("weird", 5, 11));
}

static void test_net(void **state)
{
	(void)state;
	assert_string_equal(rootless_net_program(NULL), "slirp4netns");
	assert_string_equal(rootless_net_program(""), "slirp4netns");
	assert_string_equal(rootless_net_program("pasta"), "pasta");
	assert_null(rootless_net_program("host"));
	assert_true(rootless_net_needs_tun(NULL));
	assert_true(rootless_net_needs_tun("vpnkit"));
	assert_false(rootless_net_needs_tun("host"));
	assert_false(rootless_net_needs_tun("lxc-user-nic"));
}

static void test_net_package_and_binary(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(rootless_net_package("slirp4netns"), "slirp4netns");
	assert_string_equal(rootless_net_package("pasta"), "passt");
	assert_string_equal(rootless_net_package("lxc-user-nic"), "lxc");
	assert_null(rootless_net_package("vpnkit"));
	assert_null(rootless_net_package("other"));
	assert_int_equal(rootless_net_binary("--slirp4netns-binary=/opt/s4n", "slirp4netns", out,
					     sizeof(out)),
			 0);
	assert_string_equal(out, "/opt/s4n");
	assert_int_equal(
		rootless_net_binary("--mtu=1400  --slirp4netns-binary  /x/y --copy-up=/etc",
				    "slirp4netns", out, sizeof(out)),
		0);
	assert_string_equal(out, "/x/y");
	assert_int_equal(
		rootless_net_binary("--slirp4netns-binaryx=/a", "slirp4netns", out, sizeof(out)),
		-ENOENT);
	assert_int_equal(
		rootless_net_binary("x--slirp4netns-binary=/a", "slirp4netns", out, sizeof(out)),
		-ENOENT);
	assert_int_equal(rootless_net_binary("--pasta-binary=/a", "slirp4netns", out, sizeof(out)),
			 -ENOENT);
	assert_int_equal(
		rootless_net_binary("--slirp4netns-binary=", "slirp4netns", out, sizeof(out)),
		-EINVAL);
	assert_int_equal(rootless_net_binary(NULL, "slirp4netns", out, sizeof(out)), -ENOENT);
}

static void test_tun_and_kinds(void **state)
{
	char buf[64];

	(void)state;
	assert_true(rootless_is_tun(S_IFCHR | 0666, 10, 200));
	assert_false(rootless_is_tun(S_IFCHR | 0666, 1, 3));
	assert_false(rootless_is_tun(S_IFBLK | 0666, 10, 200));
	assert_false(rootless_is_tun(S_IFLNK | 0777, 10, 200));
	assert_string_equal(rootless_file_kind(S_IFLNK | 0777, 0, 0, buf, sizeof(buf)),
			    "a symbolic link");
	assert_string_equal(rootless_file_kind(S_IFCHR | 0600, 1, 3, buf, sizeof(buf)),
			    "the character device 1:3");
	assert_string_equal(rootless_file_kind(S_IFIFO | 0600, 0, 0, buf, sizeof(buf)), "a FIFO");
	assert_string_equal(rootless_file_kind(S_IFDIR | 0755, 0, 0, buf, sizeof(buf)), "a folder");
	assert_true(rootless_empty_dir_entry("."));
	assert_true(rootless_empty_dir_entry(".."));
	assert_true(rootless_empty_dir_entry("lost+found"));
	assert_false(rootless_empty_dir_entry("..."));
	assert_false(rootless_empty_dir_entry("lost+found2"));
	assert_false(rootless_empty_dir_entry("image"));
}

static void test_status_value(void **state)
{
	static const char text[] = "Name:\tdind-init\n"
				   "CapEff:\t000001ffffffffff\n"
				   "NoNewPrivs:\t1\n"
				   "Seccomp:\tx2\n"
				   "NoNewPrivsX:\t0\n";
	unsigned long long v = 0;

	(void)state;
	assert_int_equal(rootless_status_value(text, "NoNewPrivs", 10, &v), 0);
	assert_true(v == 1);
	assert_int_equal(rootless_status_value(text, "CapEff", 16, &v), 0);
	assert_true(v == 0x1ffffffffffULL);
	assert_int_equal(rootless_status_value(text, "Seccomp", 10, &v), -EINVAL);
	assert_int_equal(rootless_status_value(text, "CapBnd", 16, &v), -ENOENT);
	assert_int_equal(rootless_status_value("NoNewPrivs:\t0", "NoNewPrivs", 10, &v), 0);
	assert_true(v == 0);
	assert_int_equal(rootless_status_value("", "NoNewPrivs", 10, &v), -ENOENT);
}

static void test_system_folder(void **state)
{
	static const char *const yes[] = { "/",		 "/etc",	"/etc/",     "//tmp",
					   "/tmp/",	 "/run",	"/run/user", "/usr",
					   "/usr/local", "/usr/lib/x",	"/var",	     "/var/lib",
					   "/dev",	 "/dev/shm",	"/proc/1",   "/sys/fs",
					   "/home",	 "/etc/docker", "/srv" };
	static const char *const no[] = { "/run/user/1000",  "/home/rootless/.local/share/docker",
					  "/var/lib/docker", "/tmp/x",
					  "/usrx",	     "/etcetera",
					  "relative",	     "" };

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!rootless_system_folder(yes[i]))
			fail_msg("%s should be a system folder", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (rootless_system_folder(no[i]))
			fail_msg("%s should not be a system folder", no[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rootless_rules), T(test_rootless_ok),  T(test_subids),
		T(test_subids_limits),	T(test_proc_mask),    T(test_file_caps),
		T(test_kernel_version), T(test_net),	      T(test_net_package_and_binary),
		T(test_tun_and_kinds),	T(test_status_value), T(test_system_folder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

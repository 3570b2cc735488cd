/* Unit tests of config/privileges.c and config/accounts.c: user, group, supplementary_groups,
 * capabilities, no_new_privileges, seccomp (deny lists and allow-list files, their owner and mode),
 * the rlimits and umask, in [main] and [service:NAME]. */
#include "tests/unit/config_test.h"

#include <seccomp.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/resource.h>

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
}

static void test_unknown_user(void **state)
{
	struct config *cfg = *state;

	expect_only_error(cfg, "[service:a]\ncommand = x\nuser = nobody2\n", 3,
			  "unknown user 'nobody2' for user: not in " PASSWD
			  " (dind-init reads it directly, without NSS)");
	assert_false(svc(cfg, "a")->privs.set_user);
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
}

static void test_no_new_privileges(void **state)
{
	struct config *cfg = *state;

	load_ok(cfg, "[service:a]\ncommand = x\nno_new_privileges = yes\n"
		     "[service:b]\ncommand = x\nno_new_privileges = no\n");
	assert_true(svc(cfg, "a")->privs.no_new_privileges);
	assert_false(svc(cfg, "b")->privs.no_new_privileges);
}

/* A bad privilege: one error at its line. */
static void test_bad_privs(void **state)
{
	static const struct bad_case cases[] = {
		{ "[service:a]\ncommand = x\nuser = 4294967295\n", 3,
		  "bad user '4294967295' for user: a uid is at most 4294967294" },
		{ "[service:a]\ncommand = x\nuser = 99999999999999999999\n", 3,
		  "a uid is at most 4294967294" },
		{ "[service:a]\ncommand = x\nuser =\n", 3,
		  "empty value for user: use a user name or a uid" },
		/* Malformed, NIS and comment lines are no accounts. */
		{ "[service:a]\ncommand = x\nuser = broken\n", 3, "unknown user 'broken'" },
		{ "[service:a]\ncommand = x\nuser = short\n", 3, "unknown user 'short'" },
		{ "[service:a]\ncommand = x\nuser = +nisuser\n", 3, "unknown user '+nisuser'" },
		{ "[service:a]\ncommand = x\nuser = 1000x\n", 3, "unknown user '1000x'" },
		{ "[service:a]\ncommand = x\ngroup = nogroup\n", 3,
		  "unknown group 'nogroup' for group: not in " GROUP
		  " (dind-init reads it directly, without NSS)" },
		{ "[service:a]\ncommand = x\ngroup = broken\n", 3, "unknown group 'broken'" },
		{ "[service:a]\ncommand = x\ngroup = 4294967295\n", 3,
		  "bad group '4294967295' for group: a gid is at most 4294967294" },
		{ "[service:a]\ncommand = x\ngroup =\n", 3,
		  "empty value for group: use a group name or a gid" },
		{ "[service:a]\ncommand = x\ncapabilities = CAP_CHOWN CAP_FOO\n", 3,
		  "unknown capability 'CAP_FOO' for capabilities: see capabilities(7)" },
		/* libcap would take the letters before the digit: the whole word must be a name. */
		{ "[service:a]\ncommand = x\ncapabilities = cap_chown2\n", 3,
		  "unknown capability 'cap_chown2'" },
		{ "[service:a]\ncommand = x\ncapabilities = 64\n", 3,
		  "bad capability number '64' for capabilities: use 0 to 63 or a name" },
		{ "[service:a]\ncommand = x\ncapabilities = none CAP_KILL\n", 3,
		  "capabilities = none cannot be mixed with capability names" },
		{ "[service:a]\ncommand = x\ncapabilities = CAP_KILL\n  none\n", 4,
		  "capabilities = none cannot be mixed with capability names" },
		{ "[service:a]\ncommand = x\nno_new_privileges = maybe\n", 3,
		  "bad value 'maybe' for no_new_privileges: use yes or no" },
		{ "[service:a]\ncommand = x\nseccomp = deny:mount,mountt\n", 3,
		  "unknown syscall 'mountt' in seccomp = deny: of [service:a]: see "
		  "syscalls(2) for the names" },
		{ "[service:a]\ncommand = x\nseccomp = deny:mount\n  MOUNT\n", 4,
		  "unknown syscall 'MOUNT'" },
		{ "[service:a]\ncommand = x\nseccomp = deny:\n", 3,
		  "seccomp = deny: in [service:a] names no syscall: list some, as in "
		  "deny:mount,umount2, or use seccomp = none" },
		{ "[service:a]\ncommand = x\nseccomp = strict\n  mount\n", 3,
		  "bad value 'strict' for seccomp: expected none, default, "
		  "deny:SYSCALL,... or the absolute path of an allow-list file" },
		{ "[service:a]\ncommand = x\nseccomp = etc/allow\n", 3,
		  "bad value 'etc/allow' for seccomp" },
		{ "[service:a]\ncommand = x\nseccomp = default\n  mount\n", 4,
		  "seccomp already set at line 3: only seccomp = deny:... continues on "
		  "indented lines" },
		/* [init] rlimit_nofile keeps its own meaning and values. */
		{ "[service:a]\ncommand = x\nrlimit_nofile = hard\n", 3,
		  "bad value 'hard' for rlimit_nofile: use a whole number from 0 to "
		  "9223372036854775807, or unlimited" },
		{ "[main]\nseccomp = deny:\n", 2, "seccomp = deny: in [main] names no syscall" },
	};

	EXPECT_CASES(*state, cases);
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
	/* The names may all be on the indented lines. */
	load_ok(cfg, "[service:a]\ncommand = x\nseccomp = deny:\n    mount\n");
	assert_int_equal(svc(cfg, "a")->privs.nseccomp, 1);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_privs_defaults),
		T(test_user_by_name),
		T(test_user_by_number),
		T(test_unknown_user),
		T(test_group),
		T(test_supplementary_groups),
		T(test_capabilities),
		T(test_no_new_privileges),
		T(test_bad_privs),
		T(test_seccomp_forms),
		T(test_seccomp_deny_limit),
		T(test_seccomp_allow_list),
		T(test_seccomp_allow_list_fifo),
		T(test_seccomp_allow_list_not_a_file),
		T(test_seccomp_allow_list_limits),
		T(test_seccomp_allow_list_owner_mode),
		T(test_rlimits),
		T(test_umask),
		T(test_main_privs),
		T(test_print_privs),
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

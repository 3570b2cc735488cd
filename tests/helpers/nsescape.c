/* nsescape: try every way of making or entering a namespace, then the ordinary ways of making
 * processes and threads, and print one line per attempt: "NAME=ok" or "NAME=ERRNO-NAME".
 *
 *   unshare      unshare(CLONE_NEWUSER)
 *   clone        raw clone(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD)
 *   clone3       raw clone3 with .flags = CLONE_NEWUSER
 *   setns        setns() into our own network namespace
 *   clone-NEWX   (with --each) raw clone(CLONE_NEWX | SIGCHLD), one per namespace flag: as root
 *                each succeeds unless something filters that very flag
 *   fork, vfork, posix_spawn, thread, clone-plain (raw clone(SIGCHLD)): must keep working
 *
 * A child made by a successful clone exits 0 at once. Exit status: 0, or 2 on a usage error. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435 /* the same number on every architecture */
#endif

extern char **environ;

static const char *errno_name(int err)
{
	switch (err) {
	case EPERM:
		return "EPERM";
	case ENOSYS:
		return "ENOSYS";
	case EINVAL:
		return "EINVAL";
	case EACCES:
		return "EACCES";
	case ENOSPC:
		return "ENOSPC";
	case EUSERS:
		return "EUSERS";
	case ENOMEM:
		return "ENOMEM";
	case EAGAIN:
		return "EAGAIN";
	default:
		return "other";
	}
}

static void report(const char *what, int r)
{
	if (r == 0)
		printf("%s=ok\n", what);
	else
		printf("%s=%s\n", what, errno_name(r));
	fflush(stdout);
}

/* The parent's side of a fork-like call: 0 when a child was made and exited 0, else an errno. */
static int reaped(long pid, int err)
{
	int st;

	if (pid < 0)
		return err;
	if (pid == 0)
		_exit(0);
	if (waitpid((pid_t)pid, &st, 0) < 0)
		return errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : ECHILD;
}

/* clone's flags are its first argument on x86_64, arm64 and most others; second on s390. */
static long raw_clone(unsigned long flags)
{
#if defined(__s390__) || defined(__s390x__)
	return syscall(SYS_clone, 0, flags, NULL, NULL, 0);
#else
	return syscall(SYS_clone, flags, 0, NULL, NULL, 0);
#endif
}

static int try_clone(unsigned long flags)
{
	long pid = raw_clone(flags);

	return reaped(pid, errno);
}

static int try_clone3(uint64_t flags)
{
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	return reaped(pid, errno);
}

/* In a child, so that a successful unshare does not change the ground the other tries stand on. */
static int try_unshare(int flags)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(unshare(flags) < 0 ? errno : 0);
	if (waitpid(pid, &st, 0) < 0)
		return errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : ECHILD;
}

static int try_vfork(void)
{
	pid_t pid = vfork();

	/* Only _exit in a vfork child: it runs on the parent's stack. */
	if (pid == 0)
		_exit(0);
	return reaped(pid, errno);
}

static int try_setns(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return errno;
	r = setns(fd, CLONE_NEWNET) < 0 ? errno : 0;
	(void)close(fd);
	return r;
}

static void *thread_main(void *arg)
{
	return arg;
}

static int try_thread(void)
{
	static int token;
	pthread_t t;
	void *ret = NULL;
	int r = pthread_create(&t, NULL, thread_main, &token);

	if (r != 0)
		return r;
	r = pthread_join(t, &ret);
	return r != 0 ? r : ret == &token ? 0 : ECHILD;
}

static int try_posix_spawn(void)
{
	char *argv[] = { (char *)"true", NULL };
	pid_t pid;
	int r = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);

	return r != 0 ? r : reaped(pid, 0);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} each[] = {
		{ "clone-NEWCGROUP", CLONE_NEWCGROUP }, { "clone-NEWIPC", CLONE_NEWIPC },
		{ "clone-NEWNET", CLONE_NEWNET },	{ "clone-NEWNS", CLONE_NEWNS },
		{ "clone-NEWPID", CLONE_NEWPID },	{ "clone-NEWUSER", CLONE_NEWUSER },
		{ "clone-NEWUTS", CLONE_NEWUTS },
	};
	int each_flag = argc == 2 && strcmp(argv[1], "--each") == 0;

	if (argc > 1 && !each_flag) {
		fprintf(stderr, "usage: nsescape [--each]\n");
		return 2;
	}
	report("unshare", try_unshare(CLONE_NEWUSER));
	report("clone", try_clone(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | SIGCHLD));
	report("clone3", try_clone3(CLONE_NEWUSER));
	report("setns", try_setns());
	for (size_t i = 0; each_flag && i < sizeof(each) / sizeof(each[0]); i++)
		report(each[i].name, try_clone(each[i].flag | SIGCHLD));
	report("clone-plain", try_clone(SIGCHLD));
	report("fork", reaped(fork(), errno));
	report("vfork", try_vfork());
	report("posix_spawn", try_posix_spawn());
	report("thread", try_thread());
	return 0;
}

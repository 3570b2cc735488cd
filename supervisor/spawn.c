#include "supervisor/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

void spawn_default_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	sigemptyset(&sa.sa_mask);
	/* sa_flags 0 also clears SA_NOCLDWAIT. glibc refuses its own two real-time signals
	 * (EINVAL), and SIGKILL and SIGSTOP cannot be changed: nothing to do for those. */
	for (int sig = 1; sig < _NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &sa, NULL);
}

int spawn_send_stop(pid_t pid, int sig)
{
	if (kill(pid, sig) < 0)
		return -errno;
	/* As systemd does: a stopped process (SIGSTOP, a debugger, a frozen job) acts on its stop
	 * signal only once it runs again; without this it would wait out its stop timeout for
	 * SIGKILL. */
	if (sig != SIGKILL && sig != SIGCONT)
		(void)kill(pid, SIGCONT);
	return 0;
}

void spawn_kill_group(pid_t pid)
{
	/* The group first: the leader may already be gone while the rest of its group lives. */
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
}

int spawn_exec_exit_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

const char *spawn_failure_name(const struct spawn_result *res)
{
	switch (res->stage) {
	case SPAWN_STAGE_PIPE:
		return "creating a pipe";
	case SPAWN_STAGE_FORK:
		return "fork";
	case SPAWN_STAGE_PRIVS:
		return privs_stage_name((enum privs_stage)res->detail);
	case SPAWN_STAGE_STDIO:
		return "setting up stdin/stdout/stderr";
	case SPAWN_STAGE_CHDIR:
		return "changing to the working directory";
	case SPAWN_STAGE_OUTPUT:
		return "opening the log file";
	case SPAWN_STAGE_EXEC:
		return "executing";
	default:
		return "starting";
	}
}

const char *spawn_file_type_name(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFLNK:
		return "a symbolic link";
	default:
		return "not a regular file";
	}
}

static bool same_key(const char *a, const char *b)
{
	const char *ea = strchrnul(a, '='), *eb = strchrnul(b, '=');

	return ea - a == eb - b && strncmp(a, b, (size_t)(ea - a)) == 0;
}

char **spawn_env(char *const *base, char *const *extra, int nextra)
{
	size_t n = 0, k = 0;
	char **envp;

	while (base && base[n])
		n++;
	envp = calloc(n + (size_t)nextra + 1, sizeof(*envp));
	if (!envp)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool overridden = false;

		for (int j = 0; j < nextra && !overridden; j++)
			overridden = same_key(base[i], extra[j]);
		if (!overridden)
			envp[k++] = base[i];
	}
	for (int j = 0; j < nextra; j++) {
		bool later = false;

		for (int l = j + 1; l < nextra && !later; l++)
			later = same_key(extra[j], extra[l]);
		if (!later)
			envp[k++] = extra[j];
	}
	envp[k] = NULL;
	return envp;
}

static const char *env_get(char *const *envp, const char *key)
{
	size_t klen = strlen(key);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, key, klen) == 0 && (*envp)[klen] == '=')
			return *envp + klen + 1;
	return NULL;
}

/* PATH lookup happens in the parent so that the child only calls async-signal-safe functions
 * (execvpe may allocate). Like execvp: the first executable match wins; a match that is not
 * executable makes the result EACCES unless a later one is; nothing found is ENOENT, and the
 * current directory is never tried implicitly. Returns the path, or NULL with *err set. */
const char *spawn_find_in_path(const char *name, char *const *envp, char *buf, size_t len, int *err)
{
	const char *path;

	*err = ENOENT;
	if (strchr(name, '/'))
		return name;
	if (!*name)
		return NULL;
	path = env_get(envp, "PATH");
	if (!path)
		path = DEFAULT_PATH;
	for (const char *p = path;;) {
		const char *end = strchrnul(p, ':');
		const char *dir = p;
		size_t dlen = (size_t)(end - p);
		struct stat st;

		if (dlen == 0) /* an empty PATH element means the current directory, as in execvp */
			dir = ".", dlen = 1;
		if (dlen + 1 + strlen(name) + 1 <= len) {
			memcpy(buf, dir, dlen);
			buf[dlen] = '/';
			strcpy(buf + dlen + 1, name);
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(buf, X_OK) == 0)
					return buf;
				*err = EACCES;
			}
		}
		if (!*end)
			break;
		p = end + 1;
	}
	return NULL;
}

static void close_fds_from(int first, int keep)
{
	/* close_range(2) needs Linux 5.9; fall back to a bounded loop on older kernels. */
	if (keep < first) {
		if (syscall(SYS_close_range, first, ~0U, 0) == 0)
			return;
	} else if ((keep == first || syscall(SYS_close_range, first, keep - 1, 0) == 0) &&
		   syscall(SYS_close_range, keep + 1, ~0U, 0) == 0) {
		return;
	}
	for (int fd = first; fd < 65536; fd++)
		if (fd != keep)
			(void)close(fd);
}

struct child_report {
	int stage;
	int err;
	int detail;
	unsigned int file_mode;
	unsigned int file_uid;
};

static void child_send_report(int report_fd, const struct child_report *rep)
{
	(void)!write(report_fd, rep, sizeof(*rep));
	_exit(spawn_exec_exit_code(rep->err));
}

static void child_fail_detail(int report_fd, enum spawn_stage stage, int err, int detail)
{
	struct child_report rep = { stage, err, detail, 0, 0 };

	child_send_report(report_fd, &rep);
}

static void child_fail(int report_fd, enum spawn_stage stage, int err)
{
	child_fail_detail(report_fd, stage, err, 0);
}

static int move_fd(int from, int to)
{
	if (from == to)
		return fcntl(from, F_SETFD, 0); /* clear CLOEXEC so it survives exec */
	return dup2(from, to) < 0 ? -1 : 0;
}

/* In the child, with the service's user, groups and capabilities already in place: open the
 * log file as the service itself would, so that it can only reach what it could write anyway
 * (a link the service planted to a root file leads nowhere). O_NONBLOCK: a FIFO at the path
 * must not hang the child, which would stay "starting" for good. Only a regular
 * file is taken; for another user than root, not through a symlink in the last component
 * (another user may have planted it in a shared folder) and only a file that user owns (not a
 * hard link to someone else's). Returns the fd, or reports the refusal and exits. */
static int child_open_output(const struct spawn_opts *o, int report_fd)
{
	bool other = privs_other_user(o->privs);
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct child_report rep = { SPAWN_STAGE_OUTPUT, 0, SPAWN_OUTPUT_OPEN, 0, 0 };
	struct stat st;
	int fd = open(o->output_path, flags | (other ? O_NOFOLLOW : 0), 0640);

	if (fd < 0) {
		rep.err = errno;
		/* ENXIO: a FIFO nobody reads, or a socket; say which. */
		if (rep.err == ENXIO &&
		    (other ? lstat(o->output_path, &st) : stat(o->output_path, &st)) == 0 &&
		    !S_ISREG(st.st_mode)) {
			rep.detail = SPAWN_OUTPUT_NOT_REGULAR;
			rep.file_mode = st.st_mode;
		}
		child_send_report(report_fd, &rep);
	}
	if (fstat(fd, &st) < 0) {
		rep.err = errno;
		child_send_report(report_fd, &rep);
	}
	rep.file_mode = st.st_mode;
	rep.file_uid = st.st_uid;
	if (!S_ISREG(st.st_mode)) {
		rep.err = EINVAL;
		rep.detail = SPAWN_OUTPUT_NOT_REGULAR;
		child_send_report(report_fd, &rep);
	}
	if (other && st.st_uid != o->privs->uid) {
		rep.err = EPERM;
		rep.detail = SPAWN_OUTPUT_NOT_OWNER;
		child_send_report(report_fd, &rep);
	}
	/* The service gets an ordinary blocking stdout. */
	if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		rep.err = errno;
		child_send_report(report_fd, &rep);
	}
	return fd;
}

static void child_run(const struct spawn_opts *o, const char *file, int file_err, char *const *envp,
		      int report_fd)
{
	(void)setpgid(0, 0);
	if (o->foreground_tty) {
		/* SIGTTOU is still blocked here (inherited mask), so this cannot stop us. */
		(void)tcsetpgrp(STDIN_FILENO, getpid());
	}
	if (o->null_stdin) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || move_fd(fd, STDIN_FILENO) < 0)
			child_fail(report_fd, SPAWN_STAGE_STDIO, errno);
	}
	if (o->stdout_fd >= 0 && move_fd(o->stdout_fd, STDOUT_FILENO) < 0)
		child_fail(report_fd, SPAWN_STAGE_STDIO, errno);
	if (o->stderr_fd >= 0 && move_fd(o->stderr_fd, STDERR_FILENO) < 0)
		child_fail(report_fd, SPAWN_STAGE_STDIO, errno);
	close_fds_from(3, report_fd);
	if (o->workdir && chdir(o->workdir) < 0)
		child_fail(report_fd, SPAWN_STAGE_CHDIR, errno);
	/* A clean slate whatever dind-init was started with, as systemd gives its services: every
	 * disposition SIG_DFL (dind-init's are already, but no child should depend on that; an
	 * ignored signal would stay ignored across exec) and an empty mask, in that order, while
	 * everything is still blocked. Before the seccomp filter, which might not allow
	 * rt_sigaction or rt_sigprocmask. */
	{
		sigset_t none;

		spawn_default_signals();
		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (o->privs) {
		enum privs_stage ps = PRIVS_STAGE_NONE;
		int r = privs_apply(o->privs, &ps);

		/* A start that cannot get the privileges it was given fails: never run it with
		 * more than asked for. */
		if (r < 0)
			child_fail_detail(report_fd, SPAWN_STAGE_PRIVS, -r == ENOENT ? EPERM : -r,
					  (int)ps);
	}
	if (o->output_path) {
		int fd = child_open_output(o, report_fd);

		if (move_fd(fd, STDOUT_FILENO) < 0 || move_fd(fd, STDERR_FILENO) < 0)
			child_fail(report_fd, SPAWN_STAGE_STDIO, errno);
		if (fd > STDERR_FILENO)
			(void)close(fd);
	}
	/* Last: the filter may deny what the steps before need (open, fcntl, dup2). */
	if (o->privs) {
		enum privs_stage ps = PRIVS_STAGE_NONE;
		int r = privs_apply_seccomp(o->privs, &ps);

		if (r < 0)
			child_fail_detail(report_fd, SPAWN_STAGE_PRIVS, -r == ENOENT ? EPERM : -r,
					  (int)ps);
	}
	if (!file)
		child_fail(report_fd, SPAWN_STAGE_EXEC, file_err);
	execve(file, o->argv, envp);
	child_fail(report_fd, SPAWN_STAGE_EXEC, errno);
}

int spawn_process(const struct spawn_opts *o, struct spawn_result *res)
{
	char *const *envp = o->envp ? o->envp : environ;
	char pathbuf[PATH_MAX];
	int file_err;
	const char *file =
		spawn_find_in_path(o->argv[0], envp, pathbuf, sizeof(pathbuf), &file_err);
	int pipefd[2];
	pid_t pid;

	res->pid = 0;
	res->report_fd = -1;
	res->stage = SPAWN_STAGE_NONE;
	res->err = 0;
	res->detail = 0;
	res->file_mode = res->file_uid = 0;

	/* The report pipe is CLOEXEC: a successful exec closes it and the parent reads EOF.
	 * Non-blocking: the parent only ever looks. The child's one report is far below
	 * PIPE_BUF, so its write neither blocks nor arrives in pieces. */
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0) {
		res->stage = SPAWN_STAGE_PIPE;
		return -errno;
	}
	pid = fork();
	if (pid < 0) {
		int err = errno;

		(void)close(pipefd[0]);
		(void)close(pipefd[1]);
		res->stage = SPAWN_STAGE_FORK;
		return -err;
	}
	if (pid == 0) {
		(void)close(pipefd[0]);
		child_run(o, file, file_err, envp, pipefd[1]);
	}
	/* Also in the parent, so that a signal sent to the group right after fork reaches it. */
	(void)setpgid(pid, pid);
	(void)close(pipefd[1]);
	res->pid = pid;
	res->report_fd = pipefd[0];
	return 0;
}

int spawn_report(struct spawn_result *res, bool final)
{
	struct child_report rep;
	ssize_t n;

	do
		n = read(res->report_fd, &rep, sizeof(rep));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN && !final)
		return 0;
	if (n == (ssize_t)sizeof(rep)) {
		res->stage = (enum spawn_stage)rep.stage;
		res->err = rep.err;
		res->detail = rep.detail;
		res->file_mode = rep.file_mode;
		res->file_uid = rep.file_uid;
	} else {
		res->stage = SPAWN_STAGE_NONE;
	}
	return 1;
}

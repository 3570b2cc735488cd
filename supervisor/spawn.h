/* fork/exec of services and of the main command. */
#ifndef DIND_SPAWN_H
#define DIND_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "supervisor/privs.h"

struct spawn_opts {
	char *const *argv;   /* argv[0] without '/' is looked up in PATH by the parent */
	char *const *envp;   /* NULL: the init's own environment */
	const char *workdir; /* NULL: inherit */
	int stdout_fd;	     /* -1: inherit */
	int stderr_fd;	     /* -1: inherit */
	bool null_stdin;     /* stdin from /dev/null instead of inherited */
	bool foreground_tty; /* make the child the foreground process group of the tty on fd 0 */
	const struct privs *privs; /* NULL: keep dind-init\'s own */
	/* Non-NULL: stdout and stderr go to this file instead of stdout_fd/stderr_fd. The child
	 * opens it (append, created 0640) once it has the service's user, groups and
	 * capabilities, before seccomp: the service's own rights decide what it may write to.
	 * Never blocks (O_NONBLOCK), and only a regular file is taken; for another user than
	 * root the path must not be a symlink and the file must be that user's. */
	const char *output_path;
};

/* Where a failed start failed, for the caller's log line. */
enum spawn_stage {
	SPAWN_STAGE_NONE,
	SPAWN_STAGE_PIPE, /* in dind-init: creating the report pipe (EMFILE...) */
	SPAWN_STAGE_FORK, /* in dind-init: fork */
	SPAWN_STAGE_STDIO,
	SPAWN_STAGE_CHDIR,
	SPAWN_STAGE_PRIVS,  /* detail: the enum privs_stage */
	SPAWN_STAGE_OUTPUT, /* opening output_path; detail: the enum spawn_output_problem */
	SPAWN_STAGE_EXEC,
};

/* Why output_path was not taken. */
enum spawn_output_problem {
	SPAWN_OUTPUT_OPEN,	  /* open() failed with err (ELOOP: a symlink, for another user) */
	SPAWN_OUTPUT_NOT_REGULAR, /* file_mode says what it is */
	SPAWN_OUTPUT_NOT_OWNER,	  /* file_uid owns it, not the service's user */
};

struct spawn_result {
	pid_t pid; /* > 0 when fork succeeded: the child must be reaped either way */
	/* >= 0 when fork succeeded: the read end of the child's report pipe, non-blocking and
	 * CLOEXEC, owned by the caller (close it). spawn_report reads it. */
	int report_fd;
	enum spawn_stage stage; /* stage that failed (in the child, or PIPE/FORK here), or NONE */
	int err;		/* errno of that failure */
	int detail; /* SPAWN_STAGE_PRIVS: which step (enum privs_stage); SPAWN_STAGE_OUTPUT:
		     * why (enum spawn_output_problem) */
	unsigned int file_mode; /* SPAWN_STAGE_OUTPUT: st_mode of what is at output_path */
	unsigned int file_uid;	/* ... and its owner */
};

/* Set every signal's disposition to SIG_DFL (flags cleared, so no SA_NOCLDWAIT either);
 * SIGKILL and SIGSTOP excepted. Async-signal-safe. */
void spawn_default_signals(void);

/* Fork and exec in a new process group, with every signal at its default disposition, an
 * empty signal mask, and fds above 2 closed.
 * Never waits for the child: between its user switch and its exec, any process of that user
 * may stop it (SIGSTOP), and a path it opens may hang (FUSE), so PID 1 must not wait for it.
 * Returns 0 right after fork with res->pid and res->report_fd: the child writes what failed
 * there, or exec closes it (see spawn_report); a child that fails exits 127/126. Or returns
 * -errno with res->stage SPAWN_STAGE_PIPE or SPAWN_STAGE_FORK: nothing to clean up. */
int spawn_process(const struct spawn_opts *opts, struct spawn_result *res);

/* Read the child's report from res->report_fd without blocking, into res (stage, err,
 * detail...). Returns 1 when the outcome is known: res->stage is SPAWN_STAGE_NONE when the
 * child exec'd (end of file), else the step that failed; 0 while the child has not got that
 * far. final: the child can no longer write a report (it has exited, or its program spoke to
 * us): nothing to read then means it exec'd (or died before it could tell), and 1 is returned.
 * A read error (not expected of a pipe) counts as end of file. The fd stays open either way. */
int spawn_report(struct spawn_result *res, bool final);

/* An environment for a child: base minus the keys that extra sets, then extra (in order; of
 * two entries of extra with one key, the later wins). Entries are not copied; the array is
 * malloc'd (free it). NULL when out of memory. */
char **spawn_env(char *const *base, char *const *extra, int nextra);

/* Look name up in envp's PATH (a default PATH without one) the way execvp does: the first
 * executable regular file wins; never the current directory unless PATH says so. Returns the
 * path (name itself when it holds a '/'), or NULL with *err ENOENT or EACCES. */
const char *spawn_find_in_path(const char *name, char *const *envp, char *buf, size_t len,
			       int *err);

/* A child's stop signal, then SIGCONT to it (none after SIGKILL or SIGCONT itself), so that a
 * stopped child can act on it at once. 0, or -errno of the stop signal. */
int spawn_send_stop(pid_t pid, int sig);

/* SIGKILL to the process group of a child started by spawn_process, and to the child. */
void spawn_kill_group(pid_t pid);

/* Exit code for a child that could not exec: 127 for "not found", 126 otherwise. */
int spawn_exec_exit_code(int err);

/* "executing", "setting capabilities"...: what failed, for a log line. */
const char *spawn_failure_name(const struct spawn_result *res);

/* "a FIFO", "a directory"...: what a file of this st_mode is, for a log line. */
const char *spawn_file_type_name(unsigned int mode);

#endif

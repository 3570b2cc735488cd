#include "supervisor/command.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/log.h"
#include "core/loop.h"
#include "supervisor/report.h"
#include "supervisor/spawn.h"

static char **argv;
static const struct config *config;
static enum cmd_state state = CMD_NONE;
static pid_t pid;
static int exit_code;
static int report_fd = -1; /* its start report, until it has exec'd (see spawn_process) */
static struct loop_fd report_lfd = { .fd = -1 };
static bool gave_tty;  /* it was made the terminal's foreground process group */
static bool stop_sent; /* cmd_stop was called: its exit is the end of a stop */
static struct loop_timer stop_timer;
static struct privs privs;
static char **envp;		      /* NULL: dind-init's own environment */
static char *own_env[PRIVS_USER_ENV]; /* USER, LOGNAME, HOME for another user */

extern char **environ;

static void on_stop_timeout(void *data)
{
	char dbuf[32];

	(void)data;
	if (state != CMD_RUNNING)
		return;
	log_warn("main command did not exit within %s; sending SIGKILL to its process group",
		 format_duration(config->main.stop_timeout_ms, dbuf, sizeof(dbuf)));
	cmd_kill();
}

int cmd_init(char **args, const struct config *cfg, char *err, size_t len)
{
	const struct cfg_privs *c = &cfg->main.privs;
	int r;

	argv = args;
	config = cfg;
	state = args && args[0] ? CMD_WAITING : CMD_NONE;
	loop_timer_init(&stop_timer, on_stop_timeout, NULL);
	r = privs_prepare(c, &privs, err, len);
	if (r < 0)
		return r;
	r = privs_user_env(c, own_env);
	if (r < 0)
		return r;
	if (r > 0) {
		envp = spawn_env(environ, own_env, r);
		if (!envp)
			return -ENOMEM;
	}
	return 0;
}

void cmd_release(void)
{
	if (report_fd >= 0) {
		loop_del_fd(&report_lfd);
		(void)close(report_fd);
		report_fd = -1;
	}
	privs_release(&privs);
	free(envp);
	envp = NULL;
	for (int i = 0; i < PRIVS_USER_ENV; i++) {
		free(own_env[i]);
		own_env[i] = NULL;
	}
}

enum cmd_state cmd_state(void)
{
	return state;
}

pid_t cmd_pid(void)
{
	return state == CMD_RUNNING ? pid : 0;
}

int cmd_exit_code(void)
{
	return exit_code;
}

/* The start report is in: what start() logged right after the spawn when spawning waited
 * for the exec. */
static void start_reported(struct spawn_result *res, bool final)
{
	if (report_fd < 0 || spawn_report(res, final) == 0)
		return;
	loop_del_fd(&report_lfd);
	(void)close(report_fd);
	report_fd = -1;
	if (res->stage != SPAWN_STAGE_NONE) {
		/* It exits 127 or 126 by itself; say why once, here. */
		log_error_errno(res->err, "cannot run the main command %s (%s)", argv[0],
				spawn_failure_name(res));
		return;
	}
	/* Stopped before the loop saw it exec: the end of the report may as well be its death
	 * on our stop signal as its exec. */
	if (stop_sent)
		return;
	log_info("main command started (pid %d): %s", (int)pid, argv[0]);
}

/* final: it can no longer write a report (it was reaped). */
static void collect_report(bool final)
{
	struct spawn_result res = { .pid = pid, .report_fd = report_fd };

	start_reported(&res, final);
}

static void on_report(void *data, uint32_t events)
{
	(void)data;
	(void)events;
	collect_report(false);
}

static void start(void)
{
	struct spawn_opts opts = {
		.argv = argv,
		.envp = envp,
		.privs = &privs,
		.stdout_fd = -1,
		.stderr_fd = -1,
		/* With a terminal (docker run -it) the command gets job control: Ctrl-C reaches
		 * it directly, as it would in a plain shell. */
		.foreground_tty = isatty(STDIN_FILENO) == 1,
	};
	struct spawn_result res;
	int r;

	log_debug("main command: spawning %s", argv[0]);
	r = spawn_process(&opts, &res);

	if (r < 0) {
		log_error_errno(-r, "cannot start the main command %s: %s failed", argv[0],
				spawn_failure_name(&res));
		state = CMD_EXITED;
		exit_code = 126;
		sup_report(SUP_MAIN_START_FAILED, NULL, NULL);
		return;
	}
	pid = res.pid;
	state = CMD_RUNNING;
	gave_tty = opts.foreground_tty;
	report_fd = res.report_fd;
	/* Its "started" line, or why it could not run, once the child has got that far: PID 1
	 * never waits for it (start_reported). */
	r = loop_add_fd(&report_lfd, report_fd, EPOLLIN, on_report, NULL);
	if (r < 0) {
		log_warn_errno(-r,
			       "cannot watch the start of the main command; taking it as started");
		collect_report(true);
	}
}

void cmd_start(void)
{
	if (state == CMD_WAITING)
		start();
}

/* The terminal was the main command's; with it gone, Ctrl-C must reach dind-init again (a
 * second one forces the shutdown; with on_main_exit = ignore, the first one starts it). */
static void take_back_tty(void)
{
	pid_t own = getpgrp();

	gave_tty = false;
	/* The leader of our process group may be outside our PID namespace (dind-init under
	 * unshare, or under an init that did not give it a group of its own): the group has no
	 * number here then, and one of our own is the only one we can name. In a container PID 1
	 * leads its session, and so its group. */
	if (own == 0) {
		if (setpgid(0, 0) < 0) {
			log_warn_errno(
				errno,
				"taking back the terminal: cannot make a process group "
				"of our own; Ctrl-C will not reach dind-init (docker stop still "
				"does)");
			return;
		}
		own = getpid();
	}
	/* SIGTTOU is blocked, as every signal is in dind-init: a background group may do this. */
	if (tcsetpgrp(STDIN_FILENO, own) < 0 && errno != ENOTTY && errno != EBADF)
		log_warn_errno(errno, "taking back the terminal from the main command; Ctrl-C "
				      "will not reach dind-init (docker stop still does)");
}

bool cmd_child_exited(pid_t p, int code)
{
	if (state != CMD_RUNNING || p != pid)
		return false;
	collect_report(true);
	if (gave_tty)
		take_back_tty();
	state = CMD_EXITED;
	exit_code = code;
	loop_timer_disarm(&stop_timer);
	if (code > 128 && signal_name(code - 128))
		log_info("main command was killed by SIG%s (exit status %d)",
			 signal_name(code - 128), code);
	else
		log_info("main command exited with status %d", code);
	sup_report(SUP_MAIN_EXITED, NULL, NULL);
	return true;
}

bool cmd_signal(int sig)
{
	if (state != CMD_RUNNING)
		return false;
	if (kill(pid, sig) < 0 && errno != ESRCH)
		log_warn_errno(errno, "forwarding SIG%s to the main command", signal_name(sig));
	return true;
}

bool cmd_stop(int sig)
{
	int s = config->main.stop_signal ? config->main.stop_signal : sig ? sig : SIGTERM;
	int r;

	if (state != CMD_RUNNING)
		return false;
	log_info("stopping the main command (SIG%s, pid %d)", signal_name(s), (int)pid);
	stop_sent = true;
	r = spawn_send_stop(pid, s);
	if (r < 0 && r != -ESRCH)
		log_warn_errno(-r, "forwarding SIG%s to the main command", signal_name(s));
	loop_timer_arm_in(&stop_timer, config->main.stop_timeout_ms);
	return true;
}

void cmd_kill(void)
{
	if (state != CMD_RUNNING)
		return;
	spawn_kill_group(pid);
}

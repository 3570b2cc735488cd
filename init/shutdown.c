#include "init/shutdown.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "core/loop.h"
#include "init/reap.h"
#include "supervisor/command.h"
#include "supervisor/service.h"

enum phase { PHASE_NONE, PHASE_MAIN, PHASE_SERVICES, PHASE_REST, PHASE_DONE };

static const struct config *config;
static enum phase phase = PHASE_NONE;
static int forced_exit = -1;
static int trigger_sig;
static int rest_sig;
static int stop_signals; /* received since the shutdown began, the one that began it included */
static bool main_ended_first; /* the main command had exited when the shutdown began */
static bool forced;
static struct loop_timer deadline_timer;
static struct loop_timer grace_timer;

static void finish(void);

static void on_deadline(void *data)
{
	char dbuf[32];
	char why[96];

	(void)data;
	if (forced) {
		/* Only unkillable processes (uninterruptible sleep) can get here; exiting as PID 1
		 * lets the kernel finish them off with the namespace. */
		log_error("processes still present %d ms after SIGKILL; exiting anyway",
			  SHUTDOWN_FORCE_WAIT_MS);
		finish();
		return;
	}
	snprintf(why, sizeof(why), "shutdown_timeout (%s) reached",
		 format_duration(config->shutdown_timeout_ms, dbuf, sizeof(dbuf)));
	shutdown_force(why);
}

static void on_grace(void *data)
{
	(void)data;
	if (phase != PHASE_REST)
		return;
	log_warn("processes still running %d ms after SIGTERM; sending SIGKILL", SHUTDOWN_GRACE_MS);
	rest_sig = SIGKILL;
	kill_remaining(SIGKILL);
}

void shutdown_init(const struct config *cfg)
{
	config = cfg;
	loop_timer_init(&deadline_timer, on_deadline, NULL);
	loop_timer_init(&grace_timer, on_grace, NULL);
}

bool shutdown_active(void)
{
	return phase != PHASE_NONE;
}

bool shutdown_done(void)
{
	return phase == PHASE_DONE;
}

int shutdown_exit_code(void)
{
	if (forced_exit >= 0)
		return forced_exit;
	/* A job that ended on its own has its result, whatever it took to stop the rest: that is
	 * what CI wants to see. */
	if (cmd_state() == CMD_EXITED && (main_ended_first || !forced))
		return cmd_exit_code();
	/* Everything was SIGKILLed (or a main command would not die even to that). */
	if (forced || cmd_state() == CMD_RUNNING)
		return EXIT_FORCED;
	/* A main command that never got to run was, in effect, ended by that signal. */
	if (cmd_state() == CMD_WAITING && trigger_sig)
		return 128 + trigger_sig;
	return 0;
}

/* In subreaper mode kill(-1) would reach the whole host: signal our children only. Their own
 * children are re-parented to us when they die, and get the signal on the next pass. */
static void kill_children(int sig)
{
	char buf[4096];
	pid_t self = getpid();
	int dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return;
	for (;;) {
		long n = syscall(SYS_getdents64, dfd, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			char path[300], stat[512];
			int fd;
			ssize_t len;

			off += d->d_reclen;
			if (d->d_name[0] < '1' || d->d_name[0] > '9')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			len = read(fd, stat, sizeof(stat) - 1);
			(void)close(fd);
			if (len <= 0)
				continue;
			stat[len] = '\0';
			/* "pid (comm) S ppid ...": comm may hold spaces or ')', so look for the
			 * last ')'. */
			const char *p = strrchr(stat, ')');
			char state[8], ppid[16];

			if (p && (p++, next_field(&p, state, sizeof(state))) &&
			    next_field(&p, ppid, sizeof(ppid)) && atoi(ppid) == self)
				(void)kill((pid_t)atoi(d->d_name), sig);
		}
	}
	(void)close(dfd);
}

void kill_remaining(int sig)
{
	if (getpid() == 1)
		(void)kill(-1, sig);
	else
		kill_children(sig);
}

static void finish(void)
{
	loop_timer_disarm(&deadline_timer);
	loop_timer_disarm(&grace_timer);
	phase = PHASE_DONE;
	log_info("shutdown complete, exiting with status %d", shutdown_exit_code());
}

void shutdown_progress(void)
{
	if (phase == PHASE_MAIN) {
		if (cmd_state() == CMD_RUNNING)
			return;
		phase = PHASE_SERVICES;
	}
	if (phase == PHASE_SERVICES) {
		if (svc_stop_step() > 0)
			return;
		phase = PHASE_REST;
		(void)reap_all();
		if (reap_children_left()) {
			log_info("sending SIGTERM to the remaining processes");
			rest_sig = SIGTERM;
			kill_remaining(SIGTERM);
			loop_timer_arm_in(&grace_timer, SHUTDOWN_GRACE_MS);
		}
	}
	if (phase == PHASE_REST) {
		if (!reap_children_left()) {
			finish();
			return;
		}
		if (getpid() != 1)
			kill_children(rest_sig);
	}
}

void shutdown_begin(int sig, int exit_code)
{
	char dbuf[32];

	if (exit_code >= 0 && forced_exit < 0)
		forced_exit = exit_code;
	if (phase != PHASE_NONE)
		return;
	trigger_sig = sig;
	stop_signals = sig ? 1 : 0;
	main_ended_first = cmd_state() == CMD_EXITED;
	if (sig)
		log_info("received SIG%s, shutting down (budget %s)", signal_name(sig),
			 format_duration(config->shutdown_timeout_ms, dbuf, sizeof(dbuf)));
	else
		log_info("shutting down (budget %s)",
			 format_duration(config->shutdown_timeout_ms, dbuf, sizeof(dbuf)));
	loop_timer_arm_in(&deadline_timer, config->shutdown_timeout_ms);
	phase = PHASE_MAIN;
	svc_begin_shutdown();
	(void)cmd_stop(sig);
	shutdown_progress();
}

void shutdown_stop_signal(int sig)
{
	char why[64];

	if (phase == PHASE_NONE) {
		shutdown_begin(sig, -1);
		return;
	}
	if (phase == PHASE_DONE)
		return;
	if (stop_signals++ == 0) {
		/* docker stop after the main command ended: the shutdown it began goes on. */
		log_info("received SIG%s while already shutting down; a second stop signal sends "
			 "SIGKILL to every process",
			 signal_name(sig));
		return;
	}
	snprintf(why, sizeof(why), "SIG%s received again during shutdown", signal_name(sig));
	shutdown_force(why);
}

void shutdown_force(const char *why)
{
	if (phase == PHASE_DONE)
		return;
	log_warn("%s: sending SIGKILL to every process", why);
	forced = true;
	loop_timer_arm_in(&deadline_timer, SHUTDOWN_FORCE_WAIT_MS);
	cmd_kill();
	svc_kill_all();
	phase = PHASE_REST;
	rest_sig = SIGKILL;
	loop_timer_disarm(&grace_timer);
	kill_remaining(SIGKILL);
	shutdown_progress();
}

#include "init/reap.h"

#include <errno.h>
#include <sys/wait.h>

#include "core/log.h"
#include "init/setup_net.h"
#include "supervisor/command.h"
#include "supervisor/probe.h"
#include "supervisor/service.h"

int status_to_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

int reap_all(void)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG);

		if (pid > 0) {
			int code = status_to_code(st);

			if (!cmd_child_exited(pid, code) && !svc_child_exited(pid, code) &&
			    !probe_child_exited(pid, code) && !setup_child_exited(pid, code))
				log_debug("reaped process %d (status %d)", (int)pid, code);
			continue;
		}
		if (pid == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == ECHILD ? 0 : -errno;
	}
}

bool reap_children_left(void)
{
	siginfo_t info = { 0 };

	/* WNOWAIT: only look. Returns -1/ECHILD when we have no child at all. */
	return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

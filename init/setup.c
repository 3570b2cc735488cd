#include "init/setup.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

static const int sync_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };

static void blocked_set(sigset_t *set)
{
	sigfillset(set);
	/* Synchronous signals stay deliverable: blocking them turns a crash into a hang. */
	for (unsigned i = 0; i < sizeof(sync_signals) / sizeof(sync_signals[0]); i++)
		sigdelset(set, sync_signals[i]);
}

void setup_block_signals(sigset_t *old)
{
	sigset_t set;

	blocked_set(&set);
	(void)sigprocmask(SIG_SETMASK, &set, old);
}

int setup_signalfd(void)
{
	sigset_t set;
	int fd;

	blocked_set(&set);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int setup_subreaper(void)
{
	if (getpid() == 1)
		return 0;
	return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 ? -errno : 0;
}

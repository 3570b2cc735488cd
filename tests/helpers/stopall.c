/* stopall: stop every process this user may signal, over and over (kill(-1, SIGSTOP)), as a
 * hostile service running as an unprivileged user could. Whatever dind-init spawns as that
 * user is caught between its user switch and its exec now and then. */
#include <signal.h>

int main(void)
{
	for (;;)
		(void)kill(-1, SIGSTOP);
}

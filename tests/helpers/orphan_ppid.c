/* orphan_ppid: print "init=<our parent> orphan_parent=<pid that adopted an orphan>".
 * A child forks a grandchild and exits; the grandchild waits until it has been re-parented
 * and reports its new parent through a pipe. Under a subreaper both numbers are the same. */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	pid_t child, adopted = -1;
	struct timespec delay = { 0, 10 * 1000 * 1000 };

	if (pipe(fds) < 0)
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		pid_t me = getpid();

		if (fork() == 0) {
			for (int i = 0; i < 500 && getppid() == me; i++)
				nanosleep(&delay, NULL);
			pid_t p = getppid();

			(void)!write(fds[1], &p, sizeof(p));
			_exit(0);
		}
		_exit(0);
	}
	close(fds[1]);
	waitpid(child, NULL, 0);
	if (read(fds[0], &adopted, sizeof(adopted)) != sizeof(adopted))
		return 2;
	printf("init=%d orphan_parent=%d\n", (int)getppid(), (int)adopted);
	return 0;
}

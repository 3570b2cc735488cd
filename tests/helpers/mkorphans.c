/* mkorphans N: make N orphaned zombies for the init to reap, then wait (bounded) until no
 * child of the init (our parent: PID 1, or the subreaper) is a zombie. Prints "zombies left: K" and
 * exits 0 only when K is 0. Each orphan is made by a child that forks a grandchild and exits at
 * once; the grandchild exits too, so it ends up a zombie whose parent is the init. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int count_zombies(int print)
{
	int init = (int)getppid();
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		int ppid = 0;

		if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
		    sscanf(p + 1, " %*c %d", &ppid) == 1 && p[2] == 'Z' && ppid == init) {
			n++;
			if (print)
				fprintf(stderr, "zombie: %s", buf);
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	struct timespec delay = { 0, 20 * 1000 * 1000 };
	int left = -1;

	for (int i = 0; i < n; i++) {
		pid_t c = fork();

		if (c < 0) {
			perror("fork");
			return 2;
		}
		if (c == 0) {
			if (fork() == 0)
				_exit(0);
			_exit(0);
		}
		if (waitpid(c, NULL, 0) < 0) {
			perror("waitpid");
			return 2;
		}
	}
	/* Up to 10 s for the init to catch up: an init that never reaps fails, a slow one passes.
	 */
	for (int tries = 0; tries < 500; tries++) {
		left = count_zombies(0);
		if (left == 0)
			break;
		nanosleep(&delay, NULL);
	}
	if (left != 0)
		(void)count_zombies(1);
	printf("orphans made: %d\nzombies left: %d\n", n, left);
	return left == 0 ? 0 : 1;
}

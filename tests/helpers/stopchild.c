/* stopchild PID PROGRAM: stop (SIGSTOP) a child of PID caught before its exec, that is while
 * it still runs PROGRAM, PID's own program (dind-init forks and the child execs the service).
 * Prints the child's pid and exits 0 once one is held so; exits 1 if none was caught within
 * 30 s. A child found to have exec'd by the time it stopped is let go (SIGCONT). */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool runs(pid_t pid, const struct stat *prog)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	return stat(path, &st) == 0 && st.st_dev == prog->st_dev && st.st_ino == prog->st_ino;
}

/* The state letter of pid, or 0 when it is gone. */
static char state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

int main(int argc, char **argv)
{
	char path[64], buf[4096];
	struct stat prog;
	time_t end = time(NULL) + 30;

	if (argc != 3 || stat(argv[2], &prog) < 0) {
		fprintf(stderr, "usage: stopchild PID PROGRAM\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%s/task/%s/children", argv[1], argv[1]);
	while (time(NULL) < end) {
		FILE *f = fopen(path, "r");
		size_t n;

		if (!f)
			return 1;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		for (char *p = buf, *e; *p; p = e) {
			pid_t pid = (pid_t)strtol(p, &e, 10);

			if (e == p)
				break;
			if (pid <= 0 || !runs(pid, &prog) || kill(pid, SIGSTOP) < 0)
				continue;
			/* Only once it has stopped does "not exec'd yet" hold for good. */
			for (int i = 0; i < 1000 && state(pid) != 'T' && state(pid) != 0; i++)
				usleep(1000);
			if (state(pid) == 'T' && runs(pid, &prog)) {
				printf("%d\n", (int)pid);
				return 0;
			}
			(void)kill(pid, SIGCONT);
		}
	}
	return 1;
}

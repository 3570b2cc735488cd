/* spawnbench N CMD [ARG...] [:: CMD [ARG...]]...: wall time of N runs of each command, run
 * interleaved (A B C A B C ...), each one posix_spawn()ed and waited for, with stdin, stdout and
 * stderr on /dev/null (what an init prints then costs what writing to a pipe-less sink costs).
 * Prints "INDEX NS" per run, INDEX counting the commands from 0. Exit 1 if a run fails. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8

extern char **environ;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char **cmds[MAX_CMDS];
	int ncmds = 0, n = argc > 2 ? atoi(argv[1]) : 0;
	posix_spawn_file_actions_t fa;

	if (n <= 0) {
		fprintf(stderr, "usage: spawnbench N CMD [ARG...] [:: CMD [ARG...]]...\n");
		return 2;
	}
	cmds[ncmds++] = argv + 2;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL;
		if (ncmds == MAX_CMDS || i + 1 >= argc) {
			fprintf(stderr, "spawnbench: at most %d commands, none empty\n", MAX_CMDS);
			return 2;
		}
		cmds[ncmds++] = argv + i + 1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (int r = 0; r < n; r++) {
		for (int c = 0; c < ncmds; c++) {
			long long t0 = now_ns();
			pid_t pid;
			int status, e = posix_spawn(&pid, cmds[c][0], &fa, NULL, cmds[c], environ);

			if (e != 0) {
				fprintf(stderr, "spawnbench: %s: %s\n", cmds[c][0], strerror(e));
				return 1;
			}
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			long long t1 = now_ns();

			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "spawnbench: %s failed (status 0x%x)\n", cmds[c][0],
					status);
				return 1;
			}
			printf("%d %lld\n", c, t1 - t0);
		}
	}
	return 0;
}

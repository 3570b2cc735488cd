/* reapbench N BATCH COUNTFILE: reaping throughput of the init this runs under (bench/reap.sh).
 *
 * In batches of BATCH: a middle process makes BATCH children that exit at once (vfork + _exit,
 * so they are zombies of the middle process, not yet anybody's orphans), then exits itself: the
 * kernel hands all of them to the init in one go, as orphaned zombies. Timed from the middle
 * process reaped by us (its children are the init's by then) until the number of tasks is back to
 * what it was before the batch, i.e. until the init has reaped them all. Untimed: making them.
 *
 * The number of tasks comes from COUNTFILE, a pids cgroup's pids.current (zombies count until
 * they are reaped; reading it is O(1)); with "-", from the entries in /proc (our PID namespace).
 * Prints one line per batch: "reap_ns BATCH init_cpu_ns", the last being the CPU time the init
 * (PID 1 of our PID namespace: /proc/1/schedstat) used meanwhile, a figure that the other load on
 * a shared machine blurs less than the wall time. Exit 1 if a batch is not reaped within 60 s. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int count_fd = -1;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* CPU time of PID 1 in ns (the first field of /proc/1/schedstat), or -1 */
static long long init_cpu_ns(void)
{
	char buf[128];
	long long v = -1;
	int fd = open("/proc/1/schedstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	if (n > 0) {
		buf[n] = '\0';
		v = strtoll(buf, NULL, 10);
	}
	close(fd);
	return v;
}

static long count_tasks(void)
{
	if (count_fd >= 0) {
		char buf[32];
		ssize_t n = pread(count_fd, buf, sizeof(buf) - 1, 0);

		if (n <= 0)
			return -1;
		buf[n] = '\0';
		return strtol(buf, NULL, 10);
	}
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

static int batch(int size)
{
	int ready[2], go[2];
	char c = 0;
	long base = count_tasks();
	struct timespec tick = { 0, 100 * 1000 };

	if (base < 0 || pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return -1;
	pid_t mid = fork();

	if (mid < 0)
		return -1;
	if (mid == 0) {
		for (int i = 0; i < size; i++) {
			pid_t p = vfork();

			if (p == 0)
				_exit(0);
			if (p < 0) {
				perror("reapbench: vfork");
				_exit(1);
			}
		}
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "reapbench: making %d zombies failed\n", size);
		return -1;
	}
	if (write(go[1], &c, 1) != 1)
		return -1;
	int status;

	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	long long t1 = now_ns(), deadline = t1 + 60LL * 1000000000LL, cpu1 = init_cpu_ns();
	long left;

	while ((left = count_tasks()) > base) {
		if (now_ns() > deadline) {
			fprintf(stderr, "reapbench: %ld tasks above the base after 60 s\n",
				left - base);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	long long t2 = now_ns(), cpu2 = init_cpu_ns();

	printf("%lld %d %lld\n", t2 - t1, size, cpu1 < 0 || cpu2 < 0 ? -1 : cpu2 - cpu1);
	fflush(stdout);
	close(ready[0]);
	close(go[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: reapbench N BATCH COUNTFILE|-\n");
		return 2;
	}
	int n = atoi(argv[1]), size = atoi(argv[2]);

	if (strcmp(argv[3], "-") != 0) {
		count_fd = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (count_fd < 0) {
			perror(argv[3]);
			return 2;
		}
	}
	for (int done = 0; done < n; done += size)
		if (batch(n - done < size ? n - done : size) < 0)
			return 1;
	return 0;
}

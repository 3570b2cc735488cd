#include "init/iptables_shim.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/exit_codes.h"

const char *const ipt_tools[] = { "iptables",  "iptables-save",	 "iptables-restore",
				  "ip6tables", "ip6tables-save", "ip6tables-restore" };
const size_t ipt_ntools = sizeof(ipt_tools) / sizeof(ipt_tools[0]);

bool ipt_is_tool(const char *name)
{
	for (size_t i = 0; i < ipt_ntools; i++)
		if (strcmp(name, ipt_tools[i]) == 0)
			return true;
	return false;
}

void ipt_backend_name(const char *tool, const char *mode, char *buf, size_t len)
{
	const char *dash = strchr(tool, '-');

	if (dash)
		snprintf(buf, len, "%.*s-%s%s", (int)(dash - tool), tool, mode, dash);
	else
		snprintf(buf, len, "%s-%s", tool, mode);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* No backend works (the setup removed our link): the program of that name further on in PATH,
 * as execvp would have found it without the links folder. Returns an errno, only on failure. */
static int exec_next_in_path(const char *name, const char *dir, char **argv)
{
	const char *path = getenv("PATH");
	struct stat ours, st;
	bool have_ours = stat(dir, &ours) == 0, denied = false;

	if (!path || !*path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		char cand[PATH_MAX];

		/* An empty entry is the current folder, as for execvp. */
		snprintf(cand, sizeof(cand), "%.*s", (int)len, len ? path : ".");
		path += len + (path[len] == ':');
		if (strcmp(cand, dir) == 0 ||
		    (have_ours && stat(cand, &st) == 0 && st.st_dev == ours.st_dev &&
		     st.st_ino == ours.st_ino))
			continue;
		if (strlen(cand) + 1 + strlen(name) + 1 > sizeof(cand))
			continue;
		strcat(strcat(cand, "/"), name);
		(void)execv(cand, argv);
		if (errno == EACCES)
			denied = true;
		else if (errno != ENOENT && errno != ENOTDIR)
			return errno;
	}
	return denied ? EACCES : ENOENT;
}

int ipt_shim_main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const char *dir = getenv(IPT_SHIM_ENV);
	char link[PATH_MAX], target[PATH_MAX], nft[64], legacy[64];
	int64_t deadline = mono_ms() + IPT_SHIM_WAIT_MS;
	int err;

	(void)argc;
	ipt_backend_name(name, "nft", nft, sizeof(nft));
	ipt_backend_name(name, "legacy", legacy, sizeof(legacy));
	if (!dir || dir[0] != '/') {
		fprintf(stderr,
			"dind-init: started as %s without $%s: dind-init acts as %s only in the "
			"folder of links it makes for [init] iptables = auto; run %s or %s, or "
			"dind-init under its own name\n",
			name, IPT_SHIM_ENV, name, nft, legacy);
		return EXIT_USAGE;
	}
	snprintf(link, sizeof(link), "%s/%s", dir, name);
	for (;;) {
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		struct timespec step = { 0, IPT_SHIM_POLL_MS * 1000000L };

		if (n < 0 && errno == ENOENT) {
			err = exec_next_in_path(name, dir, argv);
			fprintf(stderr,
				"dind-init: %s: dind-init's iptables check found no working backend "
				"(see its log), and no other %s in PATH can run: %s\n",
				name, name, strerror(err));
			return err == ENOENT ? 127 : 126;
		}
		if (n < 0 && errno != EINVAL) {
			fprintf(stderr, "dind-init: %s: cannot read the link %s: %s\n", name, link,
				strerror(errno));
			return 1;
		}
		if (n >= 0)
			target[n] = '\0';
		/* No longer our link (a plain file, EINVAL, counts too): the chosen program. */
		if (n < 0 || strcmp(target, IPT_SHIM_SELF) != 0) {
			(void)execv(link, argv);
			err = errno;
			fprintf(stderr, "dind-init: %s: cannot run %s: %s\n", name, link,
				strerror(err));
			return err == ENOENT ? 127 : 126;
		}
		if (mono_ms() >= deadline) {
			fprintf(stderr,
				"dind-init: %s: dind-init's iptables check chose no backend within "
				"%d s (is dind-init stuck?); run %s or %s directly\n",
				name, IPT_SHIM_WAIT_MS / 1000, nft, legacy);
			return 1;
		}
		(void)nanosleep(&step, NULL);
	}
}

/* The parsers of the rootless preflight (see rootless.h). */
#include "config/rootless.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One field of a colon-separated line: a number, or -1. */
static long long field_number(const char *s, size_t n)
{
	long long v = 0;

	if (n == 0 || n > 18)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

unsigned long rootless_subids(const char *text, const char *name, unsigned long uid,
			      int *impossible)
{
	unsigned long sum = 0;

	if (impossible)
		*impossible = 0;
	while (text && *text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		const char *c1, *c2;

		/* a file written on Windows: CRLF */
		if (len > 0 && text[len - 1] == '\r')
			len--;
		c1 = memchr(text, ':', len);
		c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - text)) : NULL;
		if (c1 && c2 && text[0] != '#') {
			size_t who = (size_t)(c1 - text);
			long long start = field_number(c1 + 1, (size_t)(c2 - c1 - 1));
			long long count = field_number(c2 + 1, len - (size_t)(c2 + 1 - text));
			bool mine =
				(name && strlen(name) == who && strncmp(text, name, who) == 0) ||
				field_number(text, who) == (long long)uid;

			/* ids are 32 bits, and (uid_t)-1 is none: the range's last id must
			 * be below 4294967295 */
			if (mine && start >= 0 && count > 0 &&
			    start + count > (long long)ROOTLESS_ID_LIMIT) {
				if (impossible)
					(*impossible)++;
			} else if (mine && start >= 0 && count > 0) {
				sum += (unsigned long)count;
			}
		}
		text = end ? end + 1 : text + strlen(text);
	}
	return sum > ROOTLESS_ID_LIMIT ? ROOTLESS_ID_LIMIT : sum;
}

bool rootless_proc_mask(const char *point)
{
	if (strncmp(point, "/proc/", 6) != 0 || point[6] == '\0')
		return false;
	return strcmp(point, "/proc/sys/fs/binfmt_misc") != 0;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int rootless_file_caps(const unsigned char *buf, size_t len, uint64_t *permitted, bool *effective)
{
	/* include/uapi/linux/capability.h: magic_etc, then {permitted, inheritable} per 32 bits,
	 * then (revision 3) the rootid */
	uint32_t rev;

	if (len < 4)
		return -EINVAL;
	rev = le32(buf) & 0xFF000000u;
	if (rev == 0x01000000u && len == 12)
		*permitted = le32(buf + 4);
	else if ((rev == 0x02000000u && len == 20) || (rev == 0x03000000u && len == 24))
		*permitted = le32(buf + 4) | (uint64_t)le32(buf + 12) << 32;
	else
		return -EINVAL;
	if (rev == 0x03000000u && le32(buf + 20) != 0)
		*permitted = 0;
	*effective = (le32(buf) & 0x000001u) != 0; /* VFS_CAP_FLAGS_EFFECTIVE */
	return 0;
}

bool rootless_kernel_at_least(const char *release, int major, int minor)
{
	char *end;
	long maj = strtol(release, &end, 10), min;

	if (end == release || *end != '.')
		return true;
	min = strtol(end + 1, &end, 10);
	return maj > major || (maj == major && min >= minor);
}

const char *rootless_net_program(const char *net)
{
	if (!net || !*net)
		return ROOTLESS_DEFAULT_NET;
	return strcmp(net, "host") == 0 ? NULL : net;
}

bool rootless_net_needs_tun(const char *net)
{
	return !net || !*net || (strcmp(net, "host") != 0 && strcmp(net, "lxc-user-nic") != 0);
}

bool rootless_is_tun(unsigned mode, unsigned major, unsigned minor)
{
	return (mode & 0170000) == 0020000 && major == 10 && minor == 200;
}

const char *rootless_file_kind(unsigned mode, unsigned major, unsigned minor, char *buf, size_t len)
{
	switch (mode & 0170000) {
	case 0120000:
		return "a symbolic link";
	case 0040000:
		return "a folder";
	case 0100000:
		return "a regular file";
	case 0010000:
		return "a FIFO";
	case 0140000:
		return "a socket";
	case 0060000:
		snprintf(buf, len, "the block device %u:%u", major, minor);
		return buf;
	case 0020000:
		snprintf(buf, len, "the character device %u:%u", major, minor);
		return buf;
	default:
		return "an unknown kind of file";
	}
}

bool rootless_empty_dir_entry(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, "lost+found") == 0;
}

int rootless_status_value(const char *text, const char *key, int base, unsigned long long *out)
{
	size_t n = strlen(key);

	while (text && *text) {
		if (strncmp(text, key, n) == 0 && text[n] == ':') {
			const char *v = text + n + 1;
			char *end;

			while (*v == ' ' || *v == '\t')
				v++;
			if (*v < '0' || *v > 'f')
				return -EINVAL;
			errno = 0;
			*out = strtoull(v, &end, base);
			if (end == v || errno || (*end && *end != '\n'))
				return -EINVAL;
			return 0;
		}
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	return -ENOENT;
}

bool rootless_system_folder(const char *path)
{
	static const char *const exact[] = {
		"/",	    "/tmp",	"/run",	      "/var",	  "/home",     "/root",
		"/opt",	    "/srv",	"/mnt",	      "/media",	  "/run/user", "/var/lib",
		"/var/run", "/var/tmp", "/var/cache", "/var/log", "/dev/shm",
	};
	/* whole trees of the system's own */
	static const char *const trees[] = { "/usr", "/proc",  "/sys",	 "/dev",  "/bin", "/sbin",
					     "/lib", "/lib32", "/lib64", "/boot", "/etc" };
	char norm[256];
	size_t n = 0;

	/* "//run/" is "/run": collapse repeated slashes, drop a trailing one */
	for (const char *p = path; *p && n < sizeof(norm) - 1; p++)
		if (*p != '/' || n == 0 || norm[n - 1] != '/')
			norm[n++] = *p;
	while (n > 1 && norm[n - 1] == '/')
		n--;
	norm[n] = '\0';
	if (norm[0] != '/')
		return false;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(norm, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		size_t len = strlen(trees[i]);

		if (strncmp(norm, trees[i], len) == 0 && (norm[len] == '\0' || norm[len] == '/'))
			return true;
	}
	return false;
}

const char *rootless_net_package(const char *program)
{
	static const struct {
		const char *program, *package;
	} known[] = { { "slirp4netns", "slirp4netns" },
		      { "pasta", "passt" },
		      { "lxc-user-nic", "lxc" } };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(program, known[i].program) == 0)
			return known[i].package;
	return NULL;
}

int rootless_net_binary(const char *flags, const char *program, char *out, size_t len)
{
	char opt[64];
	int n = snprintf(opt, sizeof(opt), "--%s-binary", program);

	if (!flags || n < 0 || (size_t)n >= sizeof(opt))
		return -ENOENT;
	for (const char *p = flags; (p = strstr(p, opt)); p += n) {
		const char *v = p + n;
		size_t vlen;

		/* a whole word: at the start or after a blank, "=VALUE" or " VALUE" after */
		if (p != flags && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if (*v != '=' && *v != ' ' && *v != '\t')
			continue;
		v += strspn(v + 1, " \t") + 1;
		vlen = strcspn(v, " \t");
		if (vlen == 0 || vlen >= len)
			return -EINVAL;
		memcpy(out, v, vlen);
		out[vlen] = '\0';
		return 0;
	}
	return -ENOENT;
}

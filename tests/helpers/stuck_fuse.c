/* stuck_fuse MOUNTPOINT UID: mounts a FUSE filesystem at MOUNTPOINT (allow_other) holding one
 * folder, "data", owned by UID, and serves it in the background: every request is answered but
 * FUSE_ACCESS from a uid other than 0, which is read and never answered. A process that calls
 * access(2) there as another user then sleeps in the kernel, uninterruptibly once its request
 * was read: SIGKILL stays pending until the server dies (the hung mount of audit E #3a, for
 * the rootless preflight's probe child, tests/integration/rootless.bats). Returns once mounted;
 * the server lives until killed (with its PID namespace). Needs root and /dev/fuse. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define ROOT_ID 1
#define DATA_ID 2

static uid_t data_uid;

static void reply(int fd, uint64_t unique, int error, const void *data, size_t len)
{
	struct fuse_out_header h = { .len = (uint32_t)(sizeof(h) + len),
				     .error = error,
				     .unique = unique };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)data, len } };

	(void)!writev(fd, iov, len ? 2 : 1);
}

static void fill_attr(struct fuse_attr *a, uint64_t id)
{
	memset(a, 0, sizeof(*a));
	a->ino = id;
	a->mode = S_IFDIR | 0755;
	a->nlink = 2;
	a->uid = id == DATA_ID ? data_uid : 0;
	a->gid = id == DATA_ID ? data_uid : 0;
	a->blksize = 4096;
}

static void serve(int fd)
{
	static char buf[256 * 1024];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		struct fuse_in_header *in = (struct fuse_in_header *)buf;
		const char *arg = buf + sizeof(*in);

		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			_exit(0); /* unmounted, or the connection aborted */
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_out out = { .major = FUSE_KERNEL_VERSION,
						     .minor = FUSE_KERNEL_MINOR_VERSION,
						     .max_write = 4096 };

			reply(fd, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out out = { .nodeid = DATA_ID };

			if (in->nodeid != ROOT_ID || strcmp(arg, "data") != 0) {
				reply(fd, in->unique, -ENOENT, NULL, 0);
				break;
			}
			fill_attr(&out.attr, DATA_ID);
			reply(fd, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out out = { 0 };

			fill_attr(&out.attr, in->nodeid);
			reply(fd, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_ACCESS:
			if (in->uid == 0)
				reply(fd, in->unique, 0, NULL, 0);
			break; /* another user's: never answered */
		case FUSE_OPENDIR: {
			struct fuse_open_out out = { 0 };

			reply(fd, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_READDIR: /* empty: no entries at all */
		case FUSE_RELEASEDIR:
			reply(fd, in->unique, 0, NULL, 0);
			break;
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
		case FUSE_INTERRUPT:
			break;
		default:
			reply(fd, in->unique, -ENOSYS, NULL, 0);
		}
	}
}

int main(int argc, char **argv)
{
	char opts[128];
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: stuck_fuse MOUNTPOINT UID\n");
		return 2;
	}
	data_uid = (uid_t)strtoul(argv[2], NULL, 10);
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("stuck_fuse: /dev/fuse");
		return 1;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("stuck_fuse", argv[1], "fuse.stuck_fuse", MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("stuck_fuse: mount");
		return 1;
	}
	switch (fork()) {
	case -1:
		perror("stuck_fuse: fork");
		return 1;
	case 0:
		(void)setsid();
		serve(fd);
	}
	return 0;
}

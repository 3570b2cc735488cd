/* dgram_flood PATH N: send N datagrams that must all be dropped to the unix datagram socket
 * PATH (an sd_notify socket), cycling through: 8 KiB starting with READY=1, READY=1 with an
 * embedded NUL, an empty one, random bytes, a plain READY=1 (from this process, which is not the
 * service's main PID), and READY=1 carrying an open fd (SCM_RIGHTS) that the receiver must close.
 * Sends block while the receiver's queue is full; a receiver that does not read for 5 s is an
 * error. Prints "sent K of N" and exits 0 when all were sent, 1 if not. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define KINDS	   6
#define BIG_SIZE   8192
#define RANDOM_MAX 200

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	/* xorshift32: no libc state, different per run */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Send msg, with fd 0 attached when pass_fd; retries EINTR. */
static ssize_t send_one(int fd, const void *msg, size_t len, int pass_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctrl;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	if (pass_fd) {
		struct cmsghdr *c;
		int passed = 0;

		memset(&ctrl, 0, sizeof(ctrl));
		mh.msg_control = ctrl.buf;
		mh.msg_controllen = sizeof(ctrl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &passed, sizeof(int));
	}
	do
		r = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r;
}

int main(int argc, char **argv)
{
	static char big[BIG_SIZE];
	static const char nul[] = "READY=1\n\0STATUS=after-nul";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 5, 0 };
	char random_buf[RANDOM_MAX];
	long n, sent = 0;
	char *end;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: dgram_flood PATH N\n");
		return 2;
	}
	n = strtol(argv[2], &end, 10);
	if (*end || n < 0 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "dgram_flood: bad arguments\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	memset(big, 'x', sizeof(big));
	memcpy(big, "READY=1\nSTATUS=", 15);
	rnd_state = (uint32_t)getpid() * 2654435761u | 1;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		perror("dgram_flood: socket");
		return 1;
	}
	/* Connected, so a full receive queue blocks the sender (bounded by SO_SNDTIMEO) instead
	 * of failing at once. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "dgram_flood: connect %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (long i = 0; i < n; i++) {
		const void *msg = "READY=1";
		size_t len = 7;

		switch (i % KINDS) {
		case 0:
			msg = big;
			len = sizeof(big);
			break;
		case 1:
			msg = nul;
			len = sizeof(nul) - 1;
			break;
		case 2:
			msg = "";
			len = 0;
			break;
		case 3:
			len = 1 + rnd() % RANDOM_MAX;
			for (size_t k = 0; k < len; k++)
				random_buf[k] = (char)rnd();
			msg = random_buf;
			break;
		default: /* 4: plain READY=1, 5: with an fd */
			break;
		}
		if (send_one(fd, msg, len, i % KINDS == 5) < 0) {
			fprintf(stderr, "dgram_flood: datagram %ld to %s: %s\n", i, argv[1],
				errno == EAGAIN ? "the receiver stopped reading" : strerror(errno));
			break;
		}
		sent++;
	}
	printf("sent %ld of %ld\n", sent, n);
	return sent == n ? 0 : 1;
}

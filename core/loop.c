#include "core/loop.h"

#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define LOOP_EVENTS_MAX 32

static int epfd = -1;
static struct loop_timer *timers;

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -errno : 0;
}

void loop_release(void)
{
	if (epfd >= 0)
		(void)close(epfd);
	epfd = -1;
	timers = NULL;
}

int loop_add_fd(struct loop_fd *h, int fd, uint32_t events, loop_fd_cb cb, void *data)
{
	struct epoll_event ev = { .events = events, .data.ptr = h };

	h->fd = fd;
	h->cb = cb;
	h->data = data;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int loop_mod_fd(struct loop_fd *h, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = h };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, h->fd, &ev) < 0 ? -errno : 0;
}

void loop_del_fd(struct loop_fd *h)
{
	if (h->fd >= 0)
		(void)epoll_ctl(epfd, EPOLL_CTL_DEL, h->fd, NULL);
	h->fd = -1;
}

void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *data)
{
	t->deadline = 0;
	t->cb = cb;
	t->data = data;
	t->next = timers;
	timers = t;
}

void loop_timer_arm(struct loop_timer *t, int64_t deadline_ms)
{
	/* 0 means disarmed, so a deadline at the clock's origin is moved by 1 ms. */
	t->deadline = deadline_ms > 0 ? deadline_ms : 1;
}

void loop_timer_arm_in(struct loop_timer *t, int64_t delay_ms)
{
	loop_timer_arm(t, now_ms() + (delay_ms > 0 ? delay_ms : 0));
}

void loop_timer_disarm(struct loop_timer *t)
{
	t->deadline = 0;
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t->deadline != 0;
}

static int next_timeout(void)
{
	int64_t earliest = 0;

	for (struct loop_timer *t = timers; t; t = t->next)
		if (t->deadline && (!earliest || t->deadline < earliest))
			earliest = t->deadline;
	if (!earliest)
		return -1;
	earliest -= now_ms();
	if (earliest <= 0)
		return 0;
	return earliest > 24 * 3600 * 1000 ? 24 * 3600 * 1000 : (int)earliest;
}

static void run_timers(void)
{
	int64_t now = now_ms();
	int budget = 256;
	bool fired;

	/* A callback may arm or disarm any timer, so rescan from the head after each one. The
	 * budget keeps a timer that re-arms itself for "now" from starving the fds: what is left
	 * runs on the next turn, with a zero epoll timeout. */
	do {
		fired = false;
		for (struct loop_timer *t = timers; t; t = t->next) {
			if (t->deadline && t->deadline <= now) {
				t->deadline = 0;
				t->cb(t->data);
				fired = true;
				break;
			}
		}
	} while (fired && --budget > 0);
}

int loop_run_once(void)
{
	struct epoll_event events[LOOP_EVENTS_MAX];
	int n = epoll_wait(epfd, events, LOOP_EVENTS_MAX, next_timeout());

	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		struct loop_fd *h = events[i].data.ptr;

		/* A callback earlier in this batch may have removed this fd. */
		if (h->fd >= 0)
			h->cb(h->data, events[i].events);
	}
	run_timers();
	return 0;
}

/* The one event loop: epoll over fds plus a list of timers whose earliest deadline is the
 * epoll timeout. With no timer armed, the process sleeps until an fd event. */
#ifndef DIND_LOOP_H
#define DIND_LOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*loop_fd_cb)(void *data, uint32_t events);
typedef void (*loop_timer_cb)(void *data);

struct loop_fd {
	int fd;
	loop_fd_cb cb;
	void *data;
};

struct loop_timer {
	int64_t deadline; /* CLOCK_MONOTONIC ms; 0 = disarmed */
	loop_timer_cb cb;
	void *data;
	struct loop_timer *next;
};

/* Monotonic milliseconds. */
int64_t now_ms(void);

int loop_init(void);
void loop_release(void);

/* h is caller-owned and must stay valid until loop_del_fd. Returns 0 or -errno. */
int loop_add_fd(struct loop_fd *h, int fd, uint32_t events, loop_fd_cb cb, void *data);
int loop_mod_fd(struct loop_fd *h, uint32_t events);
void loop_del_fd(struct loop_fd *h);

/* Timers are caller-owned and registered once; arm/disarm any number of times. */
void loop_timer_init(struct loop_timer *t, loop_timer_cb cb, void *data);
void loop_timer_arm(struct loop_timer *t, int64_t deadline_ms);
void loop_timer_arm_in(struct loop_timer *t, int64_t delay_ms);
void loop_timer_disarm(struct loop_timer *t);
bool loop_timer_armed(const struct loop_timer *t);

/* Wait for and dispatch one batch of events and then every expired timer.
 * Returns 0, or -errno if epoll itself failed. */
int loop_run_once(void);

#endif

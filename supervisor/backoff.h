/* Restart backoff and start-limit arithmetic: pure functions, unit-tested. */
#ifndef DIND_BACKOFF_H
#define DIND_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

/* Delay before the restart that follows `failures` consecutive failures (0 for the first
 * restart): first * 2^failures, capped at max, never overflowing. */
int64_t backoff_delay(int64_t first_ms, int64_t max_ms, unsigned failures);

/* Start-limit window: `starts` holds the times of the most recent starts (ring of `burst`
 * entries, 0 = unused). True when a new start at `now` would be more than `burst` starts
 * within `interval_ms`. */
bool start_limit_hit(const int64_t *starts, int burst, int64_t interval_ms, int64_t now);
/* Record a start at `now` in the ring; *next is the ring cursor. */
void start_limit_record(int64_t *starts, int burst, int *next, int64_t now);

#endif

#include "supervisor/backoff.h"

int64_t backoff_delay(int64_t first_ms, int64_t max_ms, unsigned failures)
{
	int64_t d = first_ms;

	if (d <= 0)
		return 0;
	for (unsigned i = 0; i < failures && d < max_ms; i++)
		d = d > INT64_MAX / 2 ? INT64_MAX : d * 2;
	return d > max_ms ? max_ms : d;
}

bool start_limit_hit(const int64_t *starts, int burst, int64_t interval_ms, int64_t now)
{
	int within = 0;

	for (int i = 0; i < burst; i++)
		if (starts[i] && now - starts[i] < interval_ms)
			within++;
	return within >= burst;
}

void start_limit_record(int64_t *starts, int burst, int *next, int64_t now)
{
	starts[*next] = now;
	*next = (*next + 1) % burst;
}

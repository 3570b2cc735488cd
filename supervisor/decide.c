#include "supervisor/decide.h"

struct svc_next svc_decide_exit(const struct svc_exit *e)
{
	bool failed;

	if (e->shutting_down || e->reason == STOP_SHUTDOWN || e->reason == STOP_USER)
		return (struct svc_next){ VERDICT_STOPPED, SVC_STOPPED, false };
	if (e->reason == STOP_USER_RESTART)
		return (struct svc_next){ VERDICT_START_AGAIN, SVC_WAITING, true };
	if (e->type == SVC_ONESHOT && e->code == 0)
		return (struct svc_next){ VERDICT_DONE, SVC_DONE, true };
	failed = e->code != 0 || e->reason != STOP_NONE;
	if (e->restart == RESTART_ALWAYS || (e->restart == RESTART_ON_FAILURE && failed))
		return (struct svc_next){ VERDICT_RESTART, SVC_BACKOFF, e->long_run };
	if (!failed)
		return (struct svc_next){ VERDICT_NO_RESTART, SVC_STOPPED, e->long_run };
	return (struct svc_next){ VERDICT_GIVE_UP, SVC_FAILED, e->long_run };
}

enum main_next main_decide_exit(bool could_not_start, bool shutting_down, enum on_main_exit on_exit)
{
	if (shutting_down)
		return MAIN_NEXT_SHUTDOWN_GOES_ON;
	if (could_not_start || on_exit == ON_MAIN_EXIT_SHUTDOWN)
		return MAIN_NEXT_SHUTDOWN;
	return MAIN_NEXT_NOTHING;
}

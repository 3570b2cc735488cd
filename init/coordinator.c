#include "init/coordinator.h"

#include <stddef.h>

#include "core/exit_codes.h"
#include "core/log.h"
#include "init/setup_net.h"
#include "init/shutdown.h"
#include "supervisor/command.h"
#include "supervisor/control.h"
#include "supervisor/decide.h"
#include "supervisor/report.h"
#include "supervisor/service.h"

static const struct config *config;

static void main_maybe_start(void)
{
	const struct service *blocked, *cause;

	/* The main command may use iptables: it waits for the setup's choice too. */
	if (cmd_state() != CMD_WAITING || shutdown_active() || setup_pending() != SETUP_HOLD_NONE)
		return;
	if (svc_main_after_ready(&blocked, &cause)) {
		cmd_start();
		return;
	}
	if (!cause)
		return;
	if (cause == blocked)
		log_error("the main command cannot start: it waits for service %s (main_after), "
			  "which is %s",
			  blocked->cfg->name, svc_state_name(cause->state));
	else
		log_error("the main command cannot start: it waits for service %s (main_after), "
			  "which depends on %s, which is %s",
			  blocked->cfg->name, cause->cfg->name, svc_state_name(cause->state));
	shutdown_begin(0, EXIT_CRITICAL_FAILED);
}

void coord_step(void)
{
	if (shutdown_active()) {
		shutdown_progress();
		return;
	}
	/* While the setup's iptables check still runs, only the services that depend on no other
	 * start (containerd, the certificates): dockerd, which uses iptables, waits for it. */
	switch (setup_pending()) {
	case SETUP_HOLD_NONE:
		svc_start_eligible(SVC_HOLD_NONE, NULL);
		break;
	case SETUP_HOLD_DEPENDENTS:
		svc_start_eligible(SVC_HOLD_DEPENDENTS, "the iptables check");
		break;
	case SETUP_HOLD_ALL:
		svc_start_eligible(SVC_HOLD_ALL, "the iptables check");
		break;
	}
	main_maybe_start();
}

static void on_report(enum sup_report what, const struct service *s, const char *why)
{
	switch (what) {
	case SUP_SHOWN:
		control_services_changed();
		return;
	case SUP_CHANGED:
		coord_step();
		return;
	case SUP_CRITICAL_FAILED:
		log_error(
			"service %s FAILED: %s; it is critical, shutting the container down (exit %d)",
			s->cfg->name, why, EXIT_CRITICAL_FAILED);
		shutdown_begin(0, EXIT_CRITICAL_FAILED);
		return;
	case SUP_MAIN_EXITED:
	case SUP_MAIN_START_FAILED:
		switch (main_decide_exit(what == SUP_MAIN_START_FAILED, shutdown_active(),
					 config->on_main_exit)) {
		case MAIN_NEXT_SHUTDOWN_GOES_ON:
			shutdown_progress();
			break;
		case MAIN_NEXT_SHUTDOWN:
			shutdown_begin(0, -1);
			break;
		case MAIN_NEXT_NOTHING:
			break;
		}
		return;
	}
}

void coord_init(const struct config *cfg)
{
	config = cfg;
	sup_set_hook(on_report);
	/* The iptables choice, made in the background, may let dockerd and the main command go. */
	setup_set_hook(coord_step);
}

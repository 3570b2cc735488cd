/* How the supervisor tells the layer above it what happened: one hook, which init's coordinator
 * registers (init/coordinator.c). The supervisor reports and never calls up: what to do about it
 * (start what is eligible, start the main command, begin or move on the shutdown, answer
 * `dind-ctl wait`) is decided there. */
#ifndef DIND_REPORT_H
#define DIND_REPORT_H

enum sup_report {
	SUP_SHOWN,	     /* a service's state, health or STATUS changed: what dind-ctl shows */
	SUP_CHANGED,	     /* a service moved on: another may be eligible, the shutdown go on */
	SUP_CRITICAL_FAILED, /* a critical service FAILED: svc is it, why says why */
	SUP_MAIN_EXITED,     /* the main command exited */
	SUP_MAIN_START_FAILED, /* the main command could not be started (no fork): exit 126 */
};

struct service;

typedef void (*sup_hook)(enum sup_report what, const struct service *svc, const char *why);

/* NULL: reports go nowhere (the default). */
void sup_set_hook(sup_hook hook);
/* Called synchronously, from inside the supervisor's own call chain: the hook may start and
 * stop services and the main command. svc and why are NULL unless said otherwise above. */
void sup_report(enum sup_report what, const struct service *svc, const char *why);

#endif

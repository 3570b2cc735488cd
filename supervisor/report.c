#include "supervisor/report.h"

#include <stddef.h>

static sup_hook hook;

void sup_set_hook(sup_hook h)
{
	hook = h;
}

void sup_report(enum sup_report what, const struct service *svc, const char *why)
{
	if (hook)
		hook(what, svc, why);
}

/* Service output with `log = prefix`: read through a pipe and written to dind-init's stdout
 * one whole line at a time as "[name] line". */
#ifndef DIND_OUTPUT_H
#define DIND_OUTPUT_H

#include <stddef.h>

#include "init/loop.h"

#define OUTPUT_LINE_MAX 4096 /* longer lines are split into pieces of this size */

struct output {
	const char *name; /* not owned */
	int read_fd;	  /* in the loop */
	int write_fd;	  /* handed to every start of the service as stdout and stderr */
	struct loop_fd lfd;
	size_t len;
	char buf[OUTPUT_LINE_MAX];
};

/* Create the pipe (kept for the service's whole life, across restarts, so nothing is lost
 * between two runs) and register its read end. Returns 0 or -errno. */
int output_open(struct output *o, const char *name);
/* Read what is pending, then write out any partial line. */
void output_flush(struct output *o);
void output_close(struct output *o);

#endif

/* Service output with `log = prefix`: read through a pipe and written to dind-init's stdout
 * one whole line at a time as "[name] line". */
#ifndef DIND_OUTPUT_H
#define DIND_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "core/loop.h"

/* "[name] " + piece + "\n" fits in PIPE_BUF, so each line is one atomic write even on a pipe
 * shared with the main command; longer lines are split into pieces of this size. */
#define OUTPUT_PIECE_MAX (PIPE_BUF - SVC_NAME_MAX - 4)
/* Lines waiting for a slow stdout. When it is full, the services' pipes are not read until it
 * drains, so a slow reader slows the services down instead of blocking PID 1. */
#define OUTPUT_QUEUE_MAX (64 * 1024)
/* At exit, how long a slow stdout may hold dind-init up, in all (not per service). */
#define OUTPUT_EXIT_FLUSH_MS 1000
/* Reads from one pipe per wakeup, so that a chatty service cannot starve the loop. */
#define OUTPUT_READS_PER_WAKEUP 4

struct output {
	const char *name; /* not owned */
	int read_fd;	  /* in the loop */
	int write_fd;	  /* handed to every start of the service as stdout and stderr */
	struct loop_fd lfd;
	bool paused; /* not watched while the queue is full */
	bool split;  /* the last piece written was cut from a longer line */
	size_t len;
	char buf[OUTPUT_PIECE_MAX];
};

/* Prepare the sink, fd 1 or 2 (a non-blocking description of our own when it is a pipe, FIFO
 * or terminal; the main command's stays as it is). Call once before output_open. */
void output_setup(int fd);
/* Create the pipe (kept for the service's whole life, across restarts, so nothing is lost
 * between two runs) and register its read end. Returns 0 or -errno. */
int output_open(struct output *o, const char *name);
/* A run ended: write out a partial last line now rather than glue it to the next run's. */
void output_end_of_run(struct output *o);
/* At exit: read what is pending in every pipe and write everything out, blocking for at most
 * OUTPUT_EXIT_FLUSH_MS in all; what a slow stdout has not taken by then is dropped. */
void output_flush_all(void);
void output_close(struct output *o);

#endif

/* Reaping: every child, including orphans re-parented to us. */
#ifndef DIND_REAP_H
#define DIND_REAP_H

#include <stdbool.h>

/* Exit code convention: the exit status, or 128+N when killed by signal N. */
int status_to_code(int wstatus);

/* Reap every exited child and hand each to the main command or its service.
 * Returns 0, or -errno if waitpid failed for another reason than "no children". */
int reap_all(void);

/* True while any child (running or zombie) remains; does not reap. */
bool reap_children_left(void);

#endif

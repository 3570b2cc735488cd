/* rootless = yes services: what rootless dockerd needs, prepared and checked before the loop. */
#ifndef DIND_SETUP_ROOTLESS_H
#define DIND_SETUP_ROOTLESS_H

#include "config/config.h"

/* For each service with rootless = yes that `when` did not skip, once the container setup ran
 * (setup_ran): its XDG_RUNTIME_DIR (added to its environment when missing, default
 * /run/user/UID) made the user's, /dev/net/tun made and opened to all, an empty data_root given
 * to the user, each said on one line; then (unless preflight = no) every check, each failure one
 * line "preflight: rootless: ..." with what to do. Call after cfg_resolve, before the loop.
 * Returns 0, or EXIT_SETUP after logging how many things are missing. */
int setup_rootless(struct config *cfg);

#endif

/* The privileges keys of [main] and [service:NAME] (privileges.c). Inside config/ only. */
#ifndef DIND_CONFIG_PRIVILEGES_H
#define DIND_CONFIG_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config/loader.h"

key_setter set_user, set_group, set_supplementary_groups, set_capabilities, set_seccomp;

/* A group name (len bytes) or number for key, looked up in the group file; false (error
 * recorded) when unknown. */
bool priv_get_gid(struct loader *ld, const char *key, const char *name, size_t len, gid_t *out);

#endif

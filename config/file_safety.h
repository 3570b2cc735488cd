/* The safety check of files whose text decides what PID 1 runs and with which privileges: the
 * config file and the seccomp allow-lists it names (file_safety.c). Like sshd's StrictModes, such
 * a file is safe on a read-only mount, or when owned by root or by the user running dind-init
 * and, for a regular file, not writable by group or others (see safety_check_config for why).
 * Only the environment can relax the rule (CFG_STRICT_ENV=no, cfg->strict_config): never a file
 * it checks. Then an unsafe file passes and cfg->insecure_reason says why, for the warning.
 * Inside config/ only. */
#ifndef DIND_CONFIG_FILE_SAFETY_H
#define DIND_CONFIG_FILE_SAFETY_H

#include <stdbool.h>
#include <sys/stat.h>

#include "config/loader.h"

/* The config file (st: of the opened file; readonly: it is on a read-only mount): errors "FILE:
 * refusing a config file ..." when unsafe. */
void safety_check_config(struct loader *ld, const struct stat *st, bool readonly);
/* A seccomp allow-list for key, opened as fd (its mount is read from fd) with st its fstat. True
 * when it may be read; false, with the error at the config's line, when it is refused. */
bool safety_check_allow_list(struct loader *ld, const char *key, const char *path, int fd,
			     const struct stat *st);

#endif

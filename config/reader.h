/* The line reader and the safety check of files whose text decides what PID 1 runs (reader.c).
 * The loading API itself is cfg_load_file and cfg_load_string (config.h). Inside config/ only. */
#ifndef DIND_CONFIG_READER_H
#define DIND_CONFIG_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "config/loader.h"

/* Files whose text decides what PID 1 runs and with which privileges: the config file and the
 * seccomp allow-lists it names. Like sshd's StrictModes, such a file is safe on a read-only mount,
 * or when owned by root or by the user running dind-init and, for a regular file, not writable by
 * group or others (see check_file_safety for why). Only the environment can relax the rule
 * (CFG_STRICT_ENV=no): never a file it checks. */
struct file_risk {
	bool owner; /* owned by someone else */
	bool mode;  /* a regular file writable by group or others */
};

bool file_at_risk(const struct stat *st, bool readonly, struct file_risk *risk);
/* Whom the owner should have been, for messages. */
const char *trusted_owners(char *buf, size_t len);
/* CFG_STRICT_ENV=no let an unsafe file pass: say why in cfg->insecure_reason, for the warning.
 * what names the kind of file ("" for the config file); first puts it before what is there. */
void note_insecure(struct loader *ld, const char *what, const char *path, const struct stat *st,
		   const struct file_risk *risk, bool first);

#endif

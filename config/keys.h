/* The key table of the config file (keys.c): one row per key, with its section(s), the type of
 * its value, where the value goes, its limits, choice names and default (a row: struct key_def,
 * values.h). The line reader looks keys up here and applies them (key_apply, values.h);
 * validation uses the rows too, and cfg_init and cfg_release (keys.c) are driven by them. A key
 * that needs code of its own names its setter (setters.c, privileges.c). Inside config/ only.
 *
 * Adding a plain key: its field in config.h, one row in keys.c, its documentation (README.md,
 * man/dind-init.ini.5). */
#ifndef DIND_CONFIG_KEYS_H
#define DIND_CONFIG_KEYS_H

#include <stddef.h>

#include "config/loader.h"
#include "config/values.h"

/* The key name (len bytes) of one of sections, or NULL. */
const struct key_def *key_find(unsigned sections, const char *name, size_t len);
/* The row's index in the table, for ld->key_lines. */
int key_index(const struct key_def *k);
/* The line key name of section was first set at in slot (ld->key_lines), or 0 when it was not. */
int key_first_line(const struct loader *ld, int slot, unsigned section, const char *name);
/* Record the error for an unknown key name of sections: the closest key as a suggestion, else
 * the valid ones. */
void key_unknown(struct loader *ld, unsigned sections, const char *name);
/* A new service: every field zero but the defaults of its keys and of its privileges. */
void keys_service_defaults(struct cfg_service *svc);

/* Choice names, for messages and cfg_print: index = enum value. */
extern const char *const key_names_tristate[]; /* auto, yes, no */
extern const char *const key_names_cgroups[];  /* auto, v1, v2, no */
extern const char *const key_names_iptables[]; /* auto, legacy, nft, no */
extern const char *const key_names_svc_type[]; /* simple, notify, oneshot */
extern const char *const key_names_restart[];  /* always, on-failure, no */
/* The default path lists, NULL-terminated (the rows of mount_tmpfs, stale_files and
 * writable_paths). */
extern const char *const key_default_mount_tmpfs[];
extern const char *const key_default_stale_files[];
extern const char *const key_default_writable_paths[];

#endif

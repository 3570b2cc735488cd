/* The key table of the config file (keys.c): one row per key, with its section(s), the type of
 * its value, where the value goes, its limits, choice names and default. The line reader looks
 * keys up here and applies them; cfg_init, cfg_release and validation use the rows too. A key
 * that needs code of its own names its setter (setters.c, privileges.c). Inside config/ only.
 *
 * Adding a plain key: its field in config.h, one row in keys.c, its documentation (README.md,
 * man/dind-init.ini.5). */
#ifndef DIND_CONFIG_KEYS_H
#define DIND_CONFIG_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "config/loader.h"

/* The sections a key belongs to (key_def.sections). */
#define S_INIT 0x1
#define S_MAIN 0x2
#define S_SVC  0x4

/* What a key's offset is into (key_def.base). */
enum key_base {
	B_NONE,	   /* no field: its setter knows where the value goes */
	B_CONFIG,  /* struct config ([init], and [main]'s own keys) */
	B_SERVICE, /* struct cfg_service */
	B_PRIVS,   /* struct cfg_privs: [main]'s or the service's */
};

/* What the value is (key_def.type), and so how it is read, defaulted and released. */
enum key_type {
	KT_CUSTOM,	 /* only its setter reads it; a field, if any, holds a number */
	KT_DURATION,	 /* int64_t ms: 100ms, 30s, 5m, 2h, a bare number of seconds; <= 8760h */
	KT_DURATION_POS, /* the same, longer than 0 */
	KT_BOOL,	 /* bool: yes/no, true/false, on/off, 1/0 */
	KT_UINT,	 /* int: a whole number from min, up to max unless max is 0 */
	KT_SIGNAL,	 /* int: TERM, SIGTERM or 15 */
	KT_CHOICE,	 /* an enum or a bool: the index of the value in choice->names */
	KT_TRISTATE,	 /* enum tristate: auto, or a bool spelling for yes and no */
	KT_RLIMIT,	 /* long: a whole number, or unlimited (infinity): RLIM_INFINITY */
	KT_UMASK,	 /* int: octal, 0 to 0777 */
	KT_PATH,	 /* char *, owned: an absolute path (see K_NONE, K_EMPTY, K_TRIM) */
	KT_PATHS,	 /* char *[MAX_SETUP_PATHS] and an int count at off_n: absolute paths,
			  * trailing '/' dropped, duplicates dropped; the key line replaces the
			  * list, its indented lines add to it */
	KT_STRING,	 /* char *, owned: any text; empty or none: NULL */
};

/* key_def.flags */
#define K_LIST	   0x01 /* indented continuation lines add to it */
#define K_REPEAT   0x02 /* a second "key = ..." line adds to it too */
#define K_NONE	   0x04 /* KT_PATH: none is no path (NULL) */
#define K_EMPTY	   0x08 /* KT_PATH: so is an empty value */
#define K_TRIM	   0x10 /* KT_PATH: trailing '/' dropped ("/run/x/" is "/run/x"; "/" stays) */
#define K_NOT_ROOT 0x20 /* KT_PATHS: '/' itself is refused (a tmpfs there hides the image) */

/* The values of a KT_CHOICE key, in the order of its enum: the same arrays cfg_print uses. */
struct key_choice {
	const char *const *names;
	unsigned char n;
	const char *expected; /* for messages; NULL: the names as "a, b or c" */
};

struct key_def {
	const char *name;
	key_setter *set; /* code of its own, in place of the type's reader (the type still
			  * gives the default and what cfg_release frees) */
	union {
		const char *str;		 /* KT_PATH, KT_STRING: default, static, or NULL */
		const char *const *list;	 /* KT_PATHS: default, NULL-terminated, static */
		const struct key_choice *choice; /* KT_CHOICE */
	} d;
	int dflt;		 /* the default of a number, an enum or a bool */
	unsigned short off;	 /* offset of the field in its base */
	unsigned short off_n;	 /* KT_PATHS: offset of the count */
	unsigned short min, max; /* KT_UINT */
	unsigned char sections;	 /* S_INIT, S_MAIN, S_SVC */
	unsigned char base;	 /* enum key_base */
	unsigned char type;	 /* enum key_type */
	unsigned char flags;	 /* K_LIST, K_REPEAT, ... */
	unsigned char size;	 /* of the field; 0: none */
};

/* The key name (len bytes) of one of sections, or NULL. */
const struct key_def *key_find(unsigned sections, const char *name, size_t len);
/* The row's index in the table, for ld->key_lines. */
int key_index(const struct key_def *k);
/* The line key name of section was first set at in slot (ld->key_lines), or 0 when it was not. */
int key_first_line(const struct loader *ld, int slot, unsigned section, const char *name);
/* Apply value to key k in the current section (ld->sec, ld->svc): its setter, or its type's
 * reader. Records an error and leaves the field as it was on a bad value. */
void key_apply(struct loader *ld, const struct key_def *k, const char *value);
/* A KT_PATH value for k (its flags say what else it takes), as the type's reader applies it:
 * for a setter that checks more first. */
void key_set_path(struct loader *ld, const struct key_def *k, const char *value);
/* Record the error for an unknown key name of sections: the closest key as a suggestion, else
 * the valid ones. */
void key_unknown(struct loader *ld, unsigned sections, const char *name);

/* Fill the fields of base (B_CONFIG, B_SERVICE or B_PRIVS) in obj with the rows' defaults. */
void keys_defaults(enum key_base base, void *obj);
/* A new service: every field zero but the defaults of its keys and of its privileges. */
void keys_service_defaults(struct cfg_service *svc);
/* The privileges of [main] or of a service before any key: the defaults of their keys. */
void keys_privs_defaults(struct cfg_privs *p);
/* Free what the rows' fields of base own in obj (see key_free_str), then the same as
 * keys_defaults. */
void keys_release(enum key_base base, void *obj);
/* Free p unless it is a default of the table (static storage). */
void key_free_str(const char *p);
/* The length of p (n bytes) without trailing '/': "/run/" and "/run" are the same path. */
size_t key_path_len(const char *p, size_t n);

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

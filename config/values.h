/* A row of the key table and the readers of its value types (values.c): what a row is (struct
 * key_def: its name, sections, type, field, limits, choice names, default), and for one row how a
 * value is read into its field, how the field gets its default and what it owns is freed. The
 * table itself, its rows and lookups, is keys.c; the setters of keys that need code (setters.c,
 * privileges.c) use these readers too. Nothing here knows the table: the layers are readers <-
 * setters <- table. Inside config/ only. */
#ifndef DIND_CONFIG_VALUES_H
#define DIND_CONFIG_VALUES_H

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

/* Apply value to key k in the current section (ld->sec, ld->svc): its setter, or its type's
 * reader. Records an error and leaves the field as it was on a bad value. */
void key_apply(struct loader *ld, const struct key_def *k, const char *value);
/* A KT_PATH value for k (its flags say what else it takes), as the type's reader applies it:
 * for a setter that checks more first. */
void key_set_path(struct loader *ld, const struct key_def *k, const char *value);
/* Give k's field in obj (of k->base: struct config, cfg_service or cfg_privs) its default;
 * release: free what it owns first (a string or path that is not the row's static default). */
void key_reset(const struct key_def *k, void *obj, bool release);

#endif

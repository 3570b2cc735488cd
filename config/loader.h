/* What the files of the configuration loader share, inside config/ only (the API is config.h):
 * the loader's state while one file is read, the error list, and small helpers. */
#ifndef DIND_CONFIG_LOADER_H
#define DIND_CONFIG_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"

enum sec_kind { SEC_NONE, SEC_INIT, SEC_MAIN, SEC_SERVICE, SEC_IGNORED };
enum line_kind { LINE_OTHER, LINE_KEY, LINE_CONT, LINE_BAD };

struct loader;
struct key_def; /* a row of the key table: config/values.h */
/* Applies value to key (its name, for messages) in the loader's current section. */
typedef void key_setter(struct loader *ld, const char *key, const char *value);

#define KEYS_MAX 72 /* rows of the key table (keys.c) */
/* Where key_lines keeps [init]'s and [main]'s keys; a service's are at its index. */
#define SLOT_INIT MAX_SERVICES
#define SLOT_MAIN (MAX_SERVICES + 1)

struct loader {
	struct config *cfg;
	FILE *file;
	const char *text;
	unsigned char pending[3]; /* bytes read while looking for a UTF-8 BOM */
	int npending, pending_pos;
	int read_err;
	int lineno;
	enum line_kind kind;
	bool has_key; /* mirrors inih's prev_name: a key line was seen since the last header */
	enum sec_kind sec;
	int svc;
	const struct key_def *key;	/* the key being applied */
	const struct key_def *prev_key; /* what an indented line continues; NULL: drop it */
	int prev_key_line;
	/* The line each key was first set at (0: not set), by slot (SLOT_INIT, SLOT_MAIN or the
	 * service's index), then by row of the key table. */
	int key_lines[MAX_SERVICES + 2][KEYS_MAX];
	int main_after_lines[MAX_SERVICES];
	/* A command line of the service was refused: "has no command" would only repeat it. */
	bool command_bad[MAX_SERVICES];
	int error_lines[CFG_ERRORS_MAX]; /* to sort the stored errors by line */
	int nkey_lines;			 /* towards CFG_KEYS_MAX */
	bool read_stop;			 /* CFG_KEYS_MAX reached: read no more */
	bool caps_none, caps_named;	 /* what the current capabilities key holds */
	/* Names in each seccomp = deny: ([main] at MAX_SERVICES), and how many were unknown. */
	int deny_names[MAX_SERVICES + 1], deny_unknown[MAX_SERVICES + 1];
	bool oom;
};

/* loader.c */

/* Record "FILE:LINE: message" at line of the config file (line 0: "FILE: message"). */
void ld_error(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error in another file the config names (a seccomp allow-list), at that file's own line;
 * sorted with the config line being read. file NULL: the config file itself. */
void ld_error_at(struct loader *ld, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Put the stored errors in file order (validation finds its own after the parse). */
void ld_sort_errors(struct loader *ld);
/* Free cfg->errors and count none. */
void ld_free_errors(struct config *cfg);

bool ld_is_blank(char c);
char *ld_lskip(char *s);
char *ld_rstrip(char *s);
/* A copy of n bytes of s; NULL (and ld->oom) when out of memory. */
char *ld_dup(struct loader *ld, const char *s, size_t n);
struct cfg_service *ld_svc(struct loader *ld);
/* The privileges the current section sets: [main]'s or the service's. */
struct cfg_privs *ld_privs(struct loader *ld);
#define LABEL_MAX (SVC_NAME_MAX + 16)
/* "[init]", "[main]" or "[service:NAME]" for messages, written into buf. */
const char *ld_label(struct loader *ld, char *buf, size_t len);
/* Comma and/or blank separated names: calls add() for each; stops when add() returns false. */
void ld_for_each_name(struct loader *ld, const char *value,
		      bool (*add)(struct loader *ld, const char *name, size_t len));
/* For checking ${...} syntax at load time: every variable unset. */
const char *ld_no_env(const char *name, void *ctx);
/* *text = *text + " " + more (or a copy of more). False when out of memory. */
bool ld_append_text(char **text, const char *more);
/* What n strings take in execve()'s copy: each one and its NUL. */
size_t ld_strings_bytes(char *const *v, int n);

#endif

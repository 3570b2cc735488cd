/* The account-file reader: users and groups from /etc/passwd and /etc/group, read directly (no
 * NSS in PID 1). The files are set by cfg_set_account_files (config.h). Inside config/ only. */
#ifndef DIND_CONFIG_ACCOUNTS_H
#define DIND_CONFIG_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One entry of an /etc/passwd- or /etc/group-style file. */
struct account {
	uint32_t id;  /* uid or gid */
	uint32_t gid; /* passwd: the primary group */
	char *name;   /* owned */
	char *home;   /* owned; passwd only */
};

/* The files names are looked up in (default /etc/passwd and /etc/group). */
const char *account_passwd_file(void);
const char *account_group_file(void);

/* s (n bytes) is one or more decimal digits. */
bool account_all_digits(const char *s, size_t n);
/* A uid or gid in decimal. (uid_t)-1 is excluded: setresuid() reads it as "leave unchanged". */
bool account_parse_id(const char *s, size_t n, uint32_t *out);
/* Find the entry named name (len bytes), or with id when name is NULL, the first one wins as in
 * glibc's files module. Returns 1 (found, *out filled, its strings owned by the caller), 0 (not
 * found) or -errno (cannot read). */
int account_find(const char *file, bool passwd, const char *name, size_t len, uint32_t id,
		 struct account *out);

#endif

/* The account-file reader: users and groups from /etc/passwd and /etc/group read directly, as
 * glibc's files module reads them (no NSS in PID 1). */
#include "config/accounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#define DEFAULT_PASSWD_FILE "/etc/passwd"
#define DEFAULT_GROUP_FILE  "/etc/group"

static const char *passwd_file = DEFAULT_PASSWD_FILE;
static const char *group_file = DEFAULT_GROUP_FILE;

void cfg_set_account_files(const char *passwd, const char *group)
{
	passwd_file = passwd ? passwd : DEFAULT_PASSWD_FILE;
	group_file = group ? group : DEFAULT_GROUP_FILE;
}

const char *account_passwd_file(void)
{
	return passwd_file;
}

const char *account_group_file(void)
{
	return group_file;
}

bool account_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* A uid or gid in decimal. (uid_t)-1 is excluded: setresuid() reads it as "leave unchanged". */
bool account_parse_id(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!account_all_digits(s, n))
		return false;
	for (i = 0; i < n; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v >= UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* Find the entry named name (len bytes), or with id when name is NULL, the first one wins as in
 * glibc's files module. Returns 1 (found, *out filled), 0 (not found) or -errno (cannot read). */
int account_find(const char *file, bool passwd, const char *name, size_t len, uint32_t id,
		 struct account *out)
{
	const int nfields = passwd ? 7 : 4;
	char *line = NULL, *f[7];
	size_t cap = 0;
	ssize_t n;
	int r = 0, i;
	FILE *in;

	in = fopen(file, "re");
	if (!in)
		return -errno;
	while ((n = getline(&line, &cap, in)) >= 0) {
		char *p = line;
		uint32_t eid, gid = 0;

		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		/* Comments, blank lines and NIS "+"/"-" entries are no accounts. */
		if (!*p || *p == '#' || *p == '+' || *p == '-')
			continue;
		for (i = 0; i < nfields; i++) {
			f[i] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (i != nfields - 1 || !account_parse_id(f[2], strlen(f[2]), &eid) ||
		    (passwd && !account_parse_id(f[3], strlen(f[3]), &gid)))
			continue; /* a malformed line: skip it, as glibc does */
		if (name ? strlen(f[0]) != len || strncmp(f[0], name, len) != 0 : eid != id)
			continue;
		out->id = eid;
		out->gid = gid;
		out->name = strdup(f[0]);
		out->home = passwd && *f[5] ? strdup(f[5]) : NULL;
		r = 1;
		if (!out->name || (passwd && *f[5] && !out->home)) {
			free(out->name);
			free(out->home);
			r = -ENOMEM;
		}
		break;
	}
	if (r == 0 && ferror(in))
		r = errno ? -errno : -EIO;
	free(line);
	(void)fclose(in); /* read-only */
	return r;
}

/* The privileges keys of [main] and [service:NAME] that need code of their own: user, group,
 * supplementary_groups, capabilities and seccomp (with its allow-list files); the rest
 * (no_new_privileges, the rlimits, umask) are plain rows of the key table. Names are resolved
 * while loading: users and groups from the account files (accounts.c), capabilities with
 * libcap, syscalls with libseccomp. */
#include "config/privileges.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/accounts.h"
#include "config/file_safety.h"
#include "config/parse.h"

/* A group name or number for key; false (error recorded) when unknown. */
bool priv_get_gid(struct loader *ld, const char *key, const char *name, size_t len, gid_t *out)
{
	struct account a = { 0 };
	uint32_t id;
	int r;

	if (account_all_digits(name, len)) {
		/* Like a uid, a gid needs no entry in the group file. */
		if (!account_parse_id(name, len, &id)) {
			ld_error(ld, ld->lineno,
				 "bad group '%.*s' for %s: a gid is at most 4294967294", (int)len,
				 name, key);
			return false;
		}
		*out = id;
		return true;
	}
	r = account_find(account_group_file(), false, name, len, 0, &a);
	if (r == -ENOMEM) {
		ld->oom = true;
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno,
			 "cannot read %s to look up group '%.*s' for %s: %s: use a number instead",
			 account_group_file(), (int)len, name, key, strerror(-r));
		return false;
	}
	if (r == 0) {
		ld_error(ld, ld->lineno,
			 "unknown group '%.*s' for %s: not in %s (dind-init reads it directly, "
			 "without NSS)",
			 (int)len, name, key, account_group_file());
		return false;
	}
	free(a.name);
	*out = a.id;
	return true;
}

void set_user(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = ld_privs(ld);
	struct account a = { 0 };
	size_t len = strlen(value);
	uint32_t id;
	int r;

	if (!len) {
		ld_error(ld, ld->lineno, "empty value for %s: use a user name or a uid", key);
		return;
	}
	if (account_all_digits(value, len)) {
		if (!account_parse_id(value, len, &id)) {
			ld_error(ld, ld->lineno,
				 "bad user '%s' for %s: a uid is at most 4294967294", value, key);
			return;
		}
		/* A bare uid needs no passwd entry: images run as arbitrary uids (docker run -u
		 * 12345, OpenShift). Without an entry, its primary group is the same number and
		 * there is no name or home; with one, both come from it. An unreadable passwd
		 * file counts as no entry. */
		r = account_find(account_passwd_file(), true, NULL, 0, id, &a);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r <= 0) {
			a.id = id;
			a.gid = id;
		}
	} else {
		r = account_find(account_passwd_file(), true, value, len, 0, &a);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r < 0) {
			ld_error(
				ld, ld->lineno,
				"cannot read %s to look up user '%s' for %s: %s: use a uid instead",
				account_passwd_file(), value, key, strerror(-r));
			return;
		}
		if (r == 0) {
			ld_error(
				ld, ld->lineno,
				"unknown user '%s' for %s: not in %s (dind-init reads it directly, "
				"without NSS)",
				value, key, account_passwd_file());
			return;
		}
	}
	free(p->user_name);
	free(p->home);
	p->set_user = true;
	p->uid = a.id;
	p->user_gid = a.gid;
	p->user_name = a.name;
	p->home = a.home;
}

void set_group(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = ld_privs(ld);

	if (!*value) {
		ld_error(ld, ld->lineno, "empty value for %s: use a group name or a gid", key);
		return;
	}
	if (priv_get_gid(ld, key, value, strlen(value), &p->gid))
		p->set_group = true;
}

static bool add_group(struct loader *ld, const char *name, size_t len)
{
	struct cfg_privs *p = ld_privs(ld);
	char label[LABEL_MAX];
	gid_t gid;
	int i;

	if (!priv_get_gid(ld, "supplementary_groups", name, len, &gid))
		return true; /* go on: report every unknown group of the line */
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i] == gid)
			return true; /* listed twice: harmless */
	if (p->ngroups >= MAX_GROUPS) {
		ld_error(ld, ld->lineno, "too many supplementary_groups in %s (limit %d)",
			 ld_label(ld, label, sizeof(label)), MAX_GROUPS);
		return false;
	}
	p->groups[p->ngroups++] = gid;
	return true;
}

/* The key line replaces nothing (it is not repeatable); an empty value means no groups. */
void set_supplementary_groups(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	ld_privs(ld)->set_groups = true;
	ld_for_each_name(ld, value, add_group);
}

/* Capability numbers fit the 64-bit mask; whether this kernel knows one is for the runtime. */
#define CAP_NUMBER_MAX 63

static bool add_cap(struct loader *ld, const char *name, size_t len)
{
	struct cfg_privs *p = ld_privs(ld);
	char buf[64];
	cap_value_t cap;
	uint32_t n;
	size_t i;

	if (len == 4 && strncasecmp(name, "none", 4) == 0) {
		if (p->caps || ld->caps_named) {
			ld_error(ld, ld->lineno,
				 "capabilities = none cannot be mixed with capability names: "
				 "remove none or the names");
			return false;
		}
		ld->caps_none = true;
		return true;
	}
	ld->caps_named = true;
	if (ld->caps_none) {
		ld_error(ld, ld->lineno,
			 "capabilities = none cannot be mixed with capability names: remove none "
			 "or the names");
		return false;
	}
	if (account_all_digits(name, len)) {
		if (!account_parse_id(name, len, &n) || n > CAP_NUMBER_MAX) {
			ld_error(ld, ld->lineno,
				 "bad capability number '%.*s' for capabilities: use 0 to %d or a "
				 "name, see capabilities(7)",
				 (int)len, name, CAP_NUMBER_MAX);
			return true;
		}
		p->caps |= UINT64_C(1) << n;
		return true;
	}
	/* cap_from_name() matches a prefix of letters and '_' and ignores the rest: reject
	 * anything else here, so "cap_chown2" is not taken for CAP_CHOWN. */
	for (i = 0; i < len; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      name[i] == '_'))
			break;
	if (i < len || len + 5 > sizeof(buf) ||
	    snprintf(buf, sizeof(buf), "%s%.*s", strncasecmp(name, "cap_", 4) == 0 ? "" : "cap_",
		     (int)len, name) < 0 ||
	    cap_from_name(buf, &cap) < 0 || cap < 0 || cap > CAP_NUMBER_MAX) {
		ld_error(ld, ld->lineno,
			 "unknown capability '%.*s' for capabilities: see capabilities(7)",
			 (int)len, name);
		return true;
	}
	p->caps |= UINT64_C(1) << cap;
	return true;
}

void set_capabilities(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		ld->caps_none = ld->caps_named = false;
	ld_privs(ld)->set_caps = true;
	ld_for_each_name(ld, value, add_cap);
}

/* Where a syscall name came from, for messages: the config line, or an allow-list file line. */
struct syscall_src {
	const char *file; /* NULL: the config file, at ld->lineno */
	int line;
};

/* Resolve one syscall name for the native architecture and add it. False: stop (list full). */
static bool add_syscall(struct loader *ld, const struct syscall_src *src, const char *name,
			size_t len)
{
	struct cfg_privs *p = ld_privs(ld);
	const char *what = src->file ? "the seccomp allow-list" : "seccomp = deny:";
	char buf[64], label[LABEL_MAX];
	int nr = __NR_SCMP_ERROR, i;

	(void)ld_label(ld, label, sizeof(label));
	if (len < sizeof(buf)) {
		memcpy(buf, name, len);
		buf[len] = '\0';
		nr = seccomp_syscall_resolve_name(buf);
	}
	if (nr == __NR_SCMP_ERROR) {
		ld_error_at(ld, src->file, src->line,
			    "unknown syscall '%.*s' in %s of %s: see syscalls(2) for the names",
			    (int)len, name, what, label);
		return true; /* go on: report every unknown name */
	}
	/* libseccomp knows the name but this architecture has no such syscall (socketcall on
	 * x86_64, open on arm64): nothing to deny and nothing to allow here, so one list serves
	 * every architecture. */
	if (nr < 0)
		return true;
	for (i = 0; i < p->nseccomp; i++)
		if (p->seccomp_syscalls[i] == nr)
			return true; /* listed twice: harmless */
	if (p->nseccomp >= MAX_SECCOMP_SYSCALLS) {
		ld_error_at(ld, src->file, src->line, "too many syscalls in %s of %s (limit %d)",
			    what, label, MAX_SECCOMP_SYSCALLS);
		return false;
	}
	/* Grown as read: most services have no list, and a fixed array in each of the 64 slots
	 * made every config (and so PID 1's memory) several times larger. */
	if (p->nseccomp == p->seccomp_cap) {
		int cap = p->seccomp_cap ? 2 * p->seccomp_cap : 16;
		int *grown = realloc(p->seccomp_syscalls, sizeof(int) * (size_t)cap);

		if (!grown) {
			ld_error_at(ld, src->file, src->line, "out of memory reading %s of %s",
				    what, label);
			return false;
		}
		p->seccomp_syscalls = grown;
		p->seccomp_cap = cap;
	}
	p->seccomp_syscalls[p->nseccomp++] = nr;
	return true;
}

static int privs_index(struct loader *ld)
{
	return ld->sec == SEC_MAIN ? MAX_SERVICES : ld->svc;
}

static bool add_denied_syscall(struct loader *ld, const char *name, size_t len)
{
	const struct syscall_src src = { NULL, ld->lineno };
	int errors = ld->cfg->nerrors;
	bool more = add_syscall(ld, &src, name, len);

	ld->deny_names[privs_index(ld)]++;
	if (ld->cfg->nerrors != errors)
		ld->deny_unknown[privs_index(ld)]++;
	return more;
}

#define ALLOW_LINE_MAX 256 /* a line of a seccomp allow-list: a name and maybe a comment */

/* One syscall name per line; '#' starts a comment; blank lines are ignored. Errors in the file
 * are reported at its own FILE:LINE. */
static void read_allow_list(struct loader *ld, const char *key, const char *path)
{
	struct cfg_privs *p = ld_privs(ld);
	char line[ALLOW_LINE_MAX + 2];
	struct syscall_src src = { path, 0 };
	int errors = ld->cfg->nerrors, execve_nr, i, fd;
	struct stat st;
	FILE *in;

	/* O_NONBLOCK: a FIFO named here must not hang PID 1; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ld_error(ld, ld->lineno,
			 "cannot read seccomp allow-list %s for %s: %s: check the path", path, key,
			 strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		ld_error(
			ld, ld->lineno,
			"cannot read seccomp allow-list %s for %s: not a regular file: name a file "
			"with one syscall name per line",
			path, key);
		(void)close(fd);
		return;
	}
	if (!safety_check_allow_list(ld, key, path, fd, &st)) {
		(void)close(fd);
		return;
	}
	in = fdopen(fd, "r");
	if (!in) {
		(void)close(fd);
		ld->oom = true;
		return;
	}
	while (fgets(line, sizeof(line), in)) {
		char *s = line, *end;
		size_t n = strlen(line);

		src.line++;
		if (n > ALLOW_LINE_MAX && line[n - 1] != '\n') {
			ld_error_at(ld, path, src.line,
				    "line too long in the seccomp allow-list (limit %d characters)",
				    ALLOW_LINE_MAX);
			break;
		}
		line[strcspn(line, "#")] = '\0';
		s = ld_lskip(ld_rstrip(s));
		if (!*s)
			continue;
		end = s + strcspn(s, " \t\v\f\r");
		if (*ld_lskip(end)) {
			ld_error_at(
				ld, path, src.line,
				"'%s' in the seccomp allow-list: write one syscall name per line",
				s);
			continue;
		}
		if (!add_syscall(ld, &src, s, (size_t)(end - s)))
			break;
	}
	if (ferror(in))
		ld_error(ld, ld->lineno,
			 "cannot read seccomp allow-list %s for %s: %s: check the path", path, key,
			 strerror(errno ? errno : EIO));
	(void)fclose(in); /* read-only */
	if (ld->cfg->nerrors != errors)
		return;
	if (p->nseccomp == 0) {
		ld_error(ld, ld->lineno,
			 "seccomp allow-list %s names no syscalls: every syscall would fail; list "
			 "the ones the program needs",
			 path);
		return;
	}
	/* The filter is loaded last, just before exec: without execve the start always fails. */
	execve_nr = seccomp_syscall_resolve_name("execve");
	for (i = 0; i < p->nseccomp && p->seccomp_syscalls[i] != execve_nr; i++)
		;
	if (i == p->nseccomp)
		ld_error(ld, ld->lineno,
			 "seccomp allow-list %s does not allow execve: the filter applies before "
			 "the program is executed; add execve",
			 path);
}

void set_seccomp(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = ld_privs(ld);

	if (ld->kind == LINE_CONT) {
		/* Only a deny list is long enough to need more lines. */
		if (p->seccomp == SECCOMP_DENY)
			ld_for_each_name(ld, value, add_denied_syscall);
		else
			ld_error(
				ld, ld->lineno,
				"seccomp already set at line %d: only seccomp = deny:... continues "
				"on indented lines",
				ld->prev_key_line);
		return;
	}
	p->nseccomp = 0;
	if (strcmp(value, "none") == 0) {
		p->seccomp = SECCOMP_NONE;
	} else if (strcmp(value, "default") == 0) {
		p->seccomp = SECCOMP_DEFAULT;
	} else if (strncmp(value, "deny:", 5) == 0) {
		p->seccomp = SECCOMP_DENY;
		ld_for_each_name(ld, value + 5, add_denied_syscall);
	} else if (value[0] == '/') {
		p->seccomp = SECCOMP_ALLOW;
		free(p->seccomp_file);
		p->seccomp_file = ld_dup(ld, value, strlen(value));
		if (p->seccomp_file)
			read_allow_list(ld, key, value);
	} else {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: expected none, default, deny:SYSCALL,... or the "
			 "absolute path of an allow-list file",
			 value, key);
		ld->prev_key = NULL; /* one error is enough: drop its indented lines */
	}
}

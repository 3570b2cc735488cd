/* The configuration loader: inih drives the parse, our own line reader sees every raw line first.
 *
 * inih reports only the first bad line and gives the handler no line number (Debian builds it
 * with INI_HANDLER_LINENO 0), so the reader below counts lines, classifies each one exactly as
 * inih will, records a clear error for every line inih would reject, and hands inih a harmless
 * replacement for those. The handler then applies keys knowing the line and the section. */
#include "config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/parse.h"

/* The kernel's limit for a unix socket path, without the terminating NUL: 107 on Linux. */
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* A notify socket is RUNTIME_DIR/NAME.notify. */
#define NOTIFY_SUFFIX ".notify"

/* Timer code adds durations to a monotonic clock in nanoseconds: a cap far below INT64_MAX
 * keeps that arithmetic from overflowing, and no timeout here needs more than a year. */
#define DURATION_MAX_MS ((int64_t)8760 * 60 * 60 * 1000)

/* inih's line replacement for a rejected line: a valid key line the handler knows to ignore, so
 * indented lines after it are dropped instead of continuing an earlier key. */
#define BAD_LINE_STANDIN "-="

enum sec_kind { SEC_NONE, SEC_INIT, SEC_MAIN, SEC_SERVICE, SEC_IGNORED };
enum line_kind { LINE_OTHER, LINE_KEY, LINE_CONT, LINE_BAD };

struct loader;
typedef void key_setter(struct loader *ld, const char *key, const char *value);

struct key_def {
	const char *name;
	bool list;	 /* indented continuation lines add to it */
	bool repeatable; /* a second "key = ..." line adds to it too */
	key_setter *set;
};

#define KEYS_MAX 48

#define DEFAULT_PASSWD_FILE "/etc/passwd"
#define DEFAULT_GROUP_FILE  "/etc/group"

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
	const struct key_def *prev_key; /* what an indented line continues; NULL: drop it */
	int prev_key_line;
	int init_lines[KEYS_MAX];
	int main_lines[KEYS_MAX];
	int svc_lines[MAX_SERVICES][KEYS_MAX];
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

static void ld_error(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void ld_error_at(struct loader *ld, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Record "FILE:LINE: message" ("FILE: message" for line 0), sorted with the config's lines as if
 * it were at sort_line. */
static void ld_verror(struct loader *ld, int sort_line, const char *file, int line, const char *fmt,
		      va_list ap) __attribute__((format(printf, 5, 0)));

static void ld_verror(struct loader *ld, int sort_line, const char *file, int line, const char *fmt,
		      va_list ap)
{
	struct config *cfg = ld->cfg;
	char *msg = NULL, *full = NULL;
	int r;

	cfg->nerrors++;
	if (cfg->nerrors > CFG_ERRORS_MAX)
		return;
	if (!cfg->errors) {
		cfg->errors = calloc(CFG_ERRORS_MAX, sizeof(*cfg->errors));
		if (!cfg->errors) {
			ld->oom = true;
			return;
		}
	}
	if (vasprintf(&msg, fmt, ap) < 0) {
		ld->oom = true;
		return;
	}
	r = line > 0 ? asprintf(&full, "%s:%d: %s", file, line, msg)
		     : asprintf(&full, "%s: %s", file, msg);
	if (r < 0) {
		ld->oom = true;
		full = NULL;
	}
	free(msg);
	cfg->errors[cfg->nerrors - 1] = full;
	ld->error_lines[cfg->nerrors - 1] = sort_line;
}

static void ld_error(struct loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_verror(ld, line, ld->cfg->path, line, fmt, ap);
	va_end(ap);
}

/* An error in another file the config names (a seccomp allow-list), at that file's own line;
 * sorted with the config line being read. file NULL: the config file itself. */
static void ld_error_at(struct loader *ld, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (file)
		ld_verror(ld, ld->lineno, file, line, fmt, ap);
	else
		ld_verror(ld, line, ld->cfg->path, line, fmt, ap);
	va_end(ap);
}

/* Validation finds its errors after the parse: show them all in file order. Insertion sort is
 * stable and CFG_ERRORS_MAX is small. */
static void sort_errors(struct loader *ld)
{
	struct config *cfg = ld->cfg;
	int n = cfg->nerrors < CFG_ERRORS_MAX ? cfg->nerrors : CFG_ERRORS_MAX;
	int i, j;

	if (!cfg->errors)
		return;
	for (i = 1; i < n; i++) {
		char *e = cfg->errors[i];
		int line = ld->error_lines[i];

		for (j = i; j > 0 && ld->error_lines[j - 1] > line; j--) {
			cfg->errors[j] = cfg->errors[j - 1];
			ld->error_lines[j] = ld->error_lines[j - 1];
		}
		cfg->errors[j] = e;
		ld->error_lines[j] = line;
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char *lskip(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

static char *rstrip(char *s)
{
	char *p = s + strlen(s);

	while (p > s && is_blank(p[-1]))
		*--p = '\0';
	return s;
}

/* inih's find_chars_or_comment: the first of chars, or a ';' that follows a blank. */
static char *find_chars_or_comment(char *s, const char *chars)
{
	bool was_blank = false;

	while (*s && (!chars || !strchr(chars, *s)) && !(was_blank && *s == ';')) {
		was_blank = is_blank(*s);
		s++;
	}
	return s;
}

static bool service_name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 1 || n > SVC_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '@' || c == '-'))
			return false;
	}
	return true;
}

static struct cfg_service *cur_svc(struct loader *ld)
{
	return &ld->cfg->services[ld->svc];
}

/* "[init]", "[main]" or "[service:NAME]" for messages, written into buf. */
static const char *sec_label(struct loader *ld, char *buf, size_t len)
{
	if (ld->sec == SEC_SERVICE)
		(void)snprintf(buf, len, "[service:%s]", cur_svc(ld)->name);
	else
		(void)snprintf(buf, len, "%s", ld->sec == SEC_INIT ? "[init]" : "[main]");
	return buf;
}

#define LABEL_MAX (SVC_NAME_MAX + 16)

/* For checking ${...} syntax at load time: every variable unset. */
static const char *no_env(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return NULL;
}

/* *text = *text + " " + more (or a copy of more). False when out of memory. */
static bool append_text(char **text, const char *more)
{
	size_t old = *text ? strlen(*text) : 0, n = strlen(more);
	char *t = realloc(*text, old + n + 2);

	if (!t)
		return false;
	if (old)
		t[old++] = ' ';
	memcpy(t + old, more, n + 1);
	*text = t;
	return true;
}

static char *dup_or_oom(struct loader *ld, const char *s, size_t n)
{
	char *copy = strndup(s, n);

	if (!copy)
		ld->oom = true;
	return copy;
}

/* Value helpers: each records its own error and returns false on a bad value. */

static bool get_duration(struct loader *ld, const char *key, const char *value, int64_t *out)
{
	int64_t ms;
	int r = parse_duration(value, &ms);

	if (r == -ERANGE || (r == 0 && ms > DURATION_MAX_MS)) {
		ld_error(ld, ld->lineno, "duration '%s' for %s is too long: use at most 8760h",
			 value, key);
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno,
			 "bad duration '%s' for %s: use a number with ms, s, m or h", value, key);
		return false;
	}
	*out = ms;
	return true;
}

/* names[i] maps to value i; expected is the human list for the message. */
static bool get_choice(struct loader *ld, const char *key, const char *value,
		       const char *const *names, int n, const char *expected, int *out)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(value, names[i]) == 0) {
			*out = i;
			return true;
		}
	}
	ld_error(ld, ld->lineno, "bad value '%s' for %s: expected %s", value, key, expected);
	return false;
}

/* A duration that must be longer than 0. */
static bool get_positive_duration(struct loader *ld, const char *key, const char *value,
				  int64_t *out)
{
	int64_t ms;

	if (!get_duration(ld, key, value, &ms))
		return false;
	if (ms <= 0) {
		ld_error(ld, ld->lineno, "bad duration '%s' for %s: it must be longer than 0",
			 value, key);
		return false;
	}
	*out = ms;
	return true;
}

static bool get_signal(struct loader *ld, const char *key, const char *value, int *out)
{
	int sig = parse_signal(value);

	if (sig < 0) {
		ld_error(ld, ld->lineno,
			 "bad signal '%s' for %s: use a name like TERM or a number from 1 to 64",
			 value, key);
		return false;
	}
	*out = sig;
	return true;
}

/* Comma and/or blank separated names: calls add() for each; stops when add() returns false. */
static void for_each_name(struct loader *ld, const char *value,
			  bool (*add)(struct loader *ld, const char *name, size_t len))
{
	const char *p = value;

	for (;;) {
		size_t n;

		while (*p == ',' || is_blank(*p))
			p++;
		if (!*p)
			return;
		n = strcspn(p, ", \t\n\r\v\f");
		if (!add(ld, p, n))
			return;
		p += n;
	}
}

/* [init] */

static void set_log_level(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	int v;

	if (get_choice(ld, key, value, names, 4, "error, warn, info or debug", &v))
		ld->cfg->log_level = (enum log_level)v;
}

static void set_shutdown_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &ld->cfg->shutdown_timeout_ms);
}

static bool add_main_after(struct loader *ld, const char *name, size_t len)
{
	struct config *cfg = ld->cfg;
	int i;

	for (i = 0; i < cfg->nmain_after; i++)
		if (strlen(cfg->main_after_names[i]) == len &&
		    strncmp(cfg->main_after_names[i], name, len) == 0)
			return true; /* listed twice: harmless */
	if (cfg->nmain_after >= MAX_SERVICES) {
		ld_error(ld, ld->lineno, "too many names in main_after (limit %d)", MAX_SERVICES);
		return false;
	}
	cfg->main_after_names[cfg->nmain_after] = dup_or_oom(ld, name, len);
	if (!cfg->main_after_names[cfg->nmain_after])
		return false;
	ld->main_after_lines[cfg->nmain_after++] = ld->lineno;
	return true;
}

static void set_main_after(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (!ld->cfg->main_after_set) {
		ld->cfg->main_after_set = true;
		ld->cfg->main_after_line = ld->lineno;
	}
	for_each_name(ld, value, add_main_after);
}

static void set_on_main_exit(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "shutdown", "ignore" };
	int v;

	if (get_choice(ld, key, value, names, 2, "shutdown or ignore", &v))
		ld->cfg->on_main_exit = (enum on_main_exit)v;
}

/* Defaults live in static storage; a value from the file is an owned copy. */
static const char default_control_socket[] = DEFAULT_CONTROL_SOCKET;
static const char default_runtime_dir[] = DEFAULT_RUNTIME_DIR;

static void set_owned(const char **field, const char *dflt, char *copy)
{
	if (*field != dflt)
		free((char *)*field);
	*field = copy;
}

static void set_control_socket(struct loader *ld, const char *key, const char *value)
{
	size_t n = strlen(value);

	if (strcmp(value, "none") == 0) {
		set_owned(&ld->cfg->control_socket, default_control_socket, NULL);
		return;
	}
	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path or none",
			 value, key);
		return;
	}
	if (n > SUN_PATH_MAX) {
		ld_error(ld, ld->lineno,
			 "bad value for %s: unix socket path too long (%zu bytes, limit %zu): use "
			 "a shorter path",
			 key, n, SUN_PATH_MAX);
		return;
	}
	set_owned(&ld->cfg->control_socket, default_control_socket, dup_or_oom(ld, value, n));
}

static bool get_gid(struct loader *ld, const char *key, const char *name, size_t len, gid_t *out);

/* `control_group = NAME|GID`, maybe from ${...}: checked now when it holds no variable, else by
 * cfg_resolve. */
static void set_control_group(struct loader *ld, const char *key, const char *value)
{
	struct config *cfg = ld->cfg;
	const char *err;
	char **w;
	int n, r;

	free(cfg->control_group);
	cfg->control_group = NULL;
	r = argv_split_env(value, no_env, NULL, &w, &n, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r == 0)
		argv_free(w);
	if (r < 0 || strchr(value, ' ') || strchr(value, '\t')) {
		ld_error(ld, ld->lineno, "bad control_group '%s': %s", value,
			 r < 0 ? err : "expected one group name or number");
		return;
	}
	if (!*value || strcmp(value, "none") == 0)
		return;
	if (!strstr(value, "${")) {
		gid_t gid;

		if (!get_gid(ld, key, value, strlen(value), &gid))
			return;
	}
	cfg->control_group = dup_or_oom(ld, value, strlen(value));
}

static void set_require_socket(struct loader *ld, const char *key, const char *value)
{
	if (!*value || strcmp(value, "none") == 0) {
		free(ld->cfg->require_socket);
		ld->cfg->require_socket = NULL;
		return;
	}
	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path or none",
			 value, key);
		return;
	}
	free(ld->cfg->require_socket);
	ld->cfg->require_socket = dup_or_oom(ld, value, strlen(value));
}

static void set_runtime_dir(struct loader *ld, const char *key, const char *value)
{
	size_t n = strlen(value);

	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path", value, key);
		return;
	}
	/* "/run/x/" and "/run/x" are the same directory; keep "/" itself. */
	while (n > 1 && value[n - 1] == '/')
		n--;
	set_owned(&ld->cfg->runtime_dir, default_runtime_dir, dup_or_oom(ld, value, n));
}

/* Container setup. The list and data_root defaults live in static storage, like the socket
 * defaults above; a value from the file is an owned copy. */
static const char default_data_root[] = "/var/lib/docker";
static const char *const default_mount_tmpfs[] = { "/run", "/tmp" };
/* containerd's and dockerd's state, pid files and sockets (mount_tmpfs makes it a tmpfs) */
static const char *const default_writable_paths[] = { "/run" };
static const char *const default_stale_files[] = {
	"/var/run/docker.pid",	"/run/docker.pid",  "/run/containerd/containerd.pid",
	"/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
};

#define NDEFAULT_MOUNT_TMPFS ((int)(sizeof(default_mount_tmpfs) / sizeof(*default_mount_tmpfs)))
#define NDEFAULT_STALE_FILES ((int)(sizeof(default_stale_files) / sizeof(*default_stale_files)))
#define NDEFAULT_WRITABLE_PATHS                                                                    \
	((int)(sizeof(default_writable_paths) / sizeof(*default_writable_paths)))

_Static_assert(NDEFAULT_MOUNT_TMPFS <= MAX_SETUP_PATHS && NDEFAULT_STALE_FILES <= MAX_SETUP_PATHS &&
		       NDEFAULT_WRITABLE_PATHS <= MAX_SETUP_PATHS,
	       "raise MAX_SETUP_PATHS");

static bool is_static_default(const char *p)
{
	int i;

	if (p == default_data_root)
		return true;
	for (i = 0; i < NDEFAULT_MOUNT_TMPFS; i++)
		if (p == default_mount_tmpfs[i])
			return true;
	for (i = 0; i < NDEFAULT_STALE_FILES; i++)
		if (p == default_stale_files[i])
			return true;
	for (i = 0; i < NDEFAULT_WRITABLE_PATHS; i++)
		if (p == default_writable_paths[i])
			return true;
	return false;
}

static void free_setup_str(char *p)
{
	if (!is_static_default(p))
		free(p);
}

static void clear_paths(char **paths, int *n)
{
	int i;

	for (i = 0; i < *n; i++) {
		free_setup_str(paths[i]);
		paths[i] = NULL;
	}
	*n = 0;
}

/* Nothing writes through these: the cast only fits the owned-path field type. */
static void default_paths(char **paths, int *n, const char *const *dflt, int ndflt)
{
	for (*n = 0; *n < ndflt; (*n)++)
		paths[*n] = (char *)dflt[*n];
}

/* "/run/" and "/run" are the same path; keep "/" itself. */
static size_t path_len(const char *p, size_t n)
{
	while (n > 1 && p[n - 1] == '/')
		n--;
	return n;
}

static bool get_tristate(struct loader *ld, const char *key, const char *value, enum tristate *out)
{
	bool b;

	if (strcmp(value, "auto") == 0) {
		*out = TRI_AUTO;
		return true;
	}
	if (parse_bool(value, &b) < 0) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: expected auto, yes or no", value,
			 key);
		return false;
	}
	*out = b ? TRI_YES : TRI_NO;
	return true;
}

static void set_setup(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.setup);
}

static void set_securityfs(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.securityfs);
}

static void set_sys_rw(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.sys_rw);
}

static void set_preflight(struct loader *ld, const char *key, const char *value)
{
	(void)get_tristate(ld, key, value, &ld->cfg->setup.preflight);
}

static void set_mtu(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "no" };
	int v;

	if (get_choice(ld, key, value, names, 2, "auto or no", &v))
		ld->cfg->setup.mtu_auto = v == 0;
}

/* One path for a setup list; false stops the line (the list is full). */
static bool add_setup_path(struct loader *ld, const char *key, char **paths, int *n, const char *p,
			   size_t len)
{
	int i;

	if (p[0] != '/') {
		ld_error(ld, ld->lineno, "bad path '%.*s' in %s: use absolute paths", (int)len, p,
			 key);
		return true; /* go on: report every bad path of the line */
	}
	len = path_len(p, len);
	for (i = 0; i < *n; i++)
		if (strlen(paths[i]) == len && strncmp(paths[i], p, len) == 0)
			return true; /* listed twice: harmless */
	if (*n >= MAX_SETUP_PATHS) {
		ld_error(ld, ld->lineno, "too many paths in %s (limit %d): remove some", key,
			 MAX_SETUP_PATHS);
		return false;
	}
	paths[*n] = dup_or_oom(ld, p, len);
	if (!paths[*n])
		return false;
	(*n)++;
	return true;
}

static bool add_mount_tmpfs(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	if (p[0] == '/' && path_len(p, len) == 1) {
		ld_error(ld, ld->lineno,
			 "bad path '/' in mount_tmpfs: a tmpfs there would hide the whole image; "
			 "remove it");
		return true;
	}
	return add_setup_path(ld, "mount_tmpfs", s->mount_tmpfs, &s->nmount_tmpfs, p, len);
}

static bool add_stale_file(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	return add_setup_path(ld, "stale_files", s->stale_files, &s->nstale_files, p, len);
}

/* The key line replaces the default list (an empty value leaves none); its indented lines add. */
static void set_mount_tmpfs(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		clear_paths(ld->cfg->setup.mount_tmpfs, &ld->cfg->setup.nmount_tmpfs);
	for_each_name(ld, value, add_mount_tmpfs);
}

static void set_stale_files(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		clear_paths(ld->cfg->setup.stale_files, &ld->cfg->setup.nstale_files);
	for_each_name(ld, value, add_stale_file);
}

static bool add_writable_path(struct loader *ld, const char *p, size_t len)
{
	struct cfg_setup *s = &ld->cfg->setup;

	return add_setup_path(ld, "writable_paths", s->writable_paths, &s->nwritable_paths, p, len);
}

static void set_writable_paths(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		clear_paths(ld->cfg->setup.writable_paths, &ld->cfg->setup.nwritable_paths);
	for_each_name(ld, value, add_writable_path);
}

static void set_cgroups(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "v1", "v2", "no" };
	int v;

	if (get_choice(ld, key, value, names, 4, "auto, v1, v2 or no", &v))
		ld->cfg->setup.cgroups = (enum cgroup_mode)v;
}

static void set_iptables(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "auto", "legacy", "nft", "no" };
	int v;

	if (get_choice(ld, key, value, names, 4, "auto, legacy, nft or no", &v))
		ld->cfg->setup.iptables = (enum iptables_mode)v;
}

static void set_make_rshared(struct loader *ld, const char *key, const char *value)
{
	if (parse_bool(value, &ld->cfg->setup.make_rshared) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
}

static void set_rlimit_nofile(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (strcmp(value, "hard") == 0) {
		ld->cfg->setup.rlimit_nofile = RLIMIT_NOFILE_HARD;
		return;
	}
	if (strcmp(value, "keep") == 0) {
		ld->cfg->setup.rlimit_nofile = RLIMIT_NOFILE_KEEP;
		return;
	}
	if (parse_uint(value, &v) < 0 || v < 1) {
		ld_error(
			ld, ld->lineno,
			"bad value '%s' for %s: expected hard, keep or a whole number of 1 or more",
			value, key);
		return;
	}
	ld->cfg->setup.rlimit_nofile = v;
}

static void set_data_root(struct loader *ld, const char *key, const char *value)
{
	struct cfg_setup *s = &ld->cfg->setup;
	char *copy = NULL;

	if (strcmp(value, "none") != 0) {
		if (value[0] != '/') {
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: use an absolute path or none", value, key);
			return;
		}
		copy = dup_or_oom(ld, value, path_len(value, strlen(value)));
		if (!copy)
			return;
	}
	free_setup_str(s->data_root);
	s->data_root = copy;
}

/* Kept for the files that have it: yes is the only setting, and no is an error that says what
 * to use instead. The file must not relax the check of itself: whoever can write it is exactly
 * whom the check stops (see check_file_safety); that decision comes from outside the file. */
static void set_strict_config(struct loader *ld, const char *key, const char *value)
{
	bool strict;

	if (parse_bool(value, &strict) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
	else if (!strict)
		ld_error(ld, ld->lineno,
			 "%s = no is no longer read from the config file, since whoever can write "
			 "the file could turn its own check off: remove this line; to use a file "
			 "that is not root's or is writable by group or others, fix it (chown root "
			 "or chmod go-w it, on the host if it is bind-mounted from there, or mount "
			 "it :ro), or start dind-init with %s=no in its environment (docker run -e "
			 "%s=no)",
			 key, CFG_STRICT_ENV, CFG_STRICT_ENV);
}

static void set_service_output(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "stdout", "stderr" };
	int v;

	if (get_choice(ld, key, value, names, 2, "stdout or stderr", &v))
		ld->cfg->service_output = (enum output_sink)v;
}

/* Resolved by validation, once every service is known. */

/* Inits that only reap and forward signals, and run one child: with one of them as PID 1 of a
 * container, that child is the container's real init. Podman's --init mounts catatonit as
 * /run/podman-init. */
static const char *const minimal_inits[] = { "docker-init", "tini",	   "tini-static",
					     "catatonit",   "podman-init", "dumb-init" };

static const char *known_init(const char *name)
{
	const char *base;

	if (!name)
		return NULL;
	base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	for (size_t i = 0; i < sizeof(minimal_inits) / sizeof(minimal_inits[0]); i++)
		if (strcmp(base, minimal_inits[i]) == 0)
			return minimal_inits[i];
	return NULL;
}

const char *cfg_minimal_init(const struct setup_facts *f)
{
	const char *name = known_init(f->pid1_exe);

	return name ? name : known_init(f->pid1_comm);
}

enum setup_decision cfg_setup_decide(enum tristate setup, int nservices,
				     const struct setup_facts *f)
{
	if (setup == TRI_NO)
		return SETUP_SKIP_OFF;
	if (setup == TRI_YES)
		return SETUP_RUN_FORCED;
	if (nservices == 0)
		return SETUP_SKIP_NO_SERVICES;
	if (f->pid1)
		return SETUP_RUN_PID1;
	if (f->parent_is_pid1 && f->in_container && cfg_minimal_init(f))
		return SETUP_RUN_UNDER_INIT;
	return SETUP_SKIP_NOT_PID1;
}
static void set_args_to(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	free(ld->cfg->args_to);
	ld->cfg->args_to = NULL;
	if (*value && strcmp(value, "none") != 0)
		ld->cfg->args_to = dup_or_oom(ld, value, strlen(value));
}

/* [main] and [service:NAME] */

static void set_stop_signal(struct loader *ld, const char *key, const char *value)
{
	int *target = ld->sec == SEC_MAIN ? &ld->cfg->main.stop_signal : &cur_svc(ld)->stop_signal;

	(void)get_signal(ld, key, value, target);
}

static void set_stop_timeout(struct loader *ld, const char *key, const char *value)
{
	int64_t *target = ld->sec == SEC_MAIN ? &ld->cfg->main.stop_timeout_ms
					      : &cur_svc(ld)->stop_timeout_ms;

	(void)get_duration(ld, key, value, target);
}

/* [service:NAME] */

/* What n strings take in execve()'s copy: each one and its NUL. */
static size_t strings_bytes(char *const *v, int n)
{
	size_t bytes = 0;
	int i;

	for (i = 0; i < n; i++)
		bytes += strlen(v[i]) + 1;
	return bytes;
}

static void set_command(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);
	char label[LABEL_MAX];
	const char *err = NULL;
	char **words, **argv;
	size_t bytes;
	int n, r, i;

	(void)key;
	/* ${...} is checked now and expanded by cfg_resolve: one split with every variable unset
	 * finds the syntax errors; argv keeps the words unexpanded until then. */
	r = argv_split_env(value, no_env, NULL, &words, &n, &err);
	if (r == 0) {
		argv_free(words);
		r = argv_split(value, &words, &n, &err);
	}
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r == 0 && svc->argc + n > ARGV_MAX_WORDS) {
		argv_free(words);
		r = -E2BIG;
		err = "too many words (limit 256)";
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad command in %s: %s",
			 sec_label(ld, label, sizeof(label)), err);
		ld->command_bad[ld->svc] = true;
		return;
	}
	if (n == 0) {
		argv_free(words);
		return;
	}
	/* With CFG_LINE_MAX and ARGV_MAX_WORDS as they are, the word limit comes first; this
	 * holds the byte limit should either grow. */
	bytes = strings_bytes(svc->argv, svc->argc) + strings_bytes(words, n);
	if (bytes > ARGV_BYTES_MAX) {
		argv_free(words);
		ld_error(ld, ld->lineno,
			 "command of %s is too long (%zu bytes, limit %d): shorten it, or move "
			 "arguments into a file the program reads",
			 sec_label(ld, label, sizeof(label)), bytes, ARGV_BYTES_MAX);
		ld->command_bad[ld->svc] = true;
		return;
	}
	argv = realloc(svc->argv, (size_t)(svc->argc + n + 1) * sizeof(*argv));
	if (!argv) {
		argv_free(words);
		ld->oom = true;
		return;
	}
	for (i = 0; i < n; i++)
		argv[svc->argc + i] = words[i];
	svc->argc += n;
	argv[svc->argc] = NULL;
	svc->argv = argv;
	free(words); /* the strings moved into argv */
	if (!append_text(&svc->command_text, value))
		ld->oom = true;
}

/* `when = CONDITIONS`: the service runs only when they all hold (see config/cond.h). */
static void set_when(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);
	char label[LABEL_MAX];
	const char *err;
	int r;

	(void)key;
	cond_release(&svc->when);
	r = cond_parse(value, false, &svc->when, NULL, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad when in %s: %s", sec_label(ld, label, sizeof(label)),
			 err);
		return;
	}
	svc->when_line = ld->lineno;
}

/* `args_if = CONDITIONS : WORDS`, repeatable; an indented line adds words to the last one. */
static void set_args_if(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);
	struct cfg_args_if *a;
	char label[LABEL_MAX];
	const char *err = NULL, *rest = value;
	char **words;
	int n, r;

	(void)key;
	if (ld->kind == LINE_CONT) {
		if (svc->nargs_if == 0)
			return; /* continues a line that was refused, already reported */
		a = &svc->args_if[svc->nargs_if - 1];
	} else {
		if (svc->nargs_if == MAX_ARGS_IF) {
			ld_error(ld, ld->lineno, "too many args_if lines in %s (limit %d)",
				 sec_label(ld, label, sizeof(label)), MAX_ARGS_IF);
			return;
		}
		a = &svc->args_if[svc->nargs_if];
		memset(a, 0, sizeof(*a));
		r = cond_parse(value, true, &a->cond, &rest, &err);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r < 0) {
			ld_error(ld, ld->lineno,
				 "bad args_if in %s: %s (expected: args_if = "
				 "CONDITION... : WORD...)",
				 sec_label(ld, label, sizeof(label)), err);
			return;
		}
		a->line = ld->lineno;
		svc->nargs_if++;
	}
	while (*rest == ' ' || *rest == '\t')
		rest++;
	r = argv_split_env(rest, no_env, NULL, &words, &n, &err);
	if (r == -ENOMEM) {
		ld->oom = true;
		return;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad args_if words in %s: %s",
			 sec_label(ld, label, sizeof(label)), err);
		return;
	}
	argv_free(words);
	if (!append_text(&a->words, rest))
		ld->oom = true;
}

static void set_type(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "simple", "notify", "oneshot" };
	int v;

	if (get_choice(ld, key, value, names, 3, "simple, notify or oneshot", &v))
		cur_svc(ld)->type = (enum svc_type)v;
}

static bool add_dep(struct loader *ld, const char *name, size_t len)
{
	struct cfg_service *svc = cur_svc(ld);
	char label[LABEL_MAX];
	int i;

	for (i = 0; i < svc->ndeps; i++)
		if (strlen(svc->deps[i]) == len && strncmp(svc->deps[i], name, len) == 0)
			return true; /* listed twice: harmless */
	if (svc->ndeps >= MAX_DEPS) {
		ld_error(ld, ld->lineno, "too many names in depends_on of %s (limit %d)",
			 sec_label(ld, label, sizeof(label)), MAX_DEPS);
		return false;
	}
	svc->deps[svc->ndeps] = dup_or_oom(ld, name, len);
	if (!svc->deps[svc->ndeps])
		return false;
	svc->dep_line[svc->ndeps] = ld->lineno;
	svc->dep_idx[svc->ndeps++] = -1;
	return true;
}

static void set_depends_on(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	for_each_name(ld, value, add_dep);
}

static void set_restart(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "always", "on-failure", "no" };
	int v;

	if (get_choice(ld, key, value, names, 3, "always, on-failure or no", &v))
		cur_svc(ld)->restart = (enum restart_policy)v;
}

static void set_restart_delay(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &cur_svc(ld)->restart_delay_ms);
}

static void set_restart_delay_max(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &cur_svc(ld)->restart_delay_max_ms);
}

static void set_start_limit_burst(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (parse_uint(value, &v) < 0 || v < 1 || v > START_LIMIT_BURST_MAX) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use a whole number from 1 to %d",
			 value, key, START_LIMIT_BURST_MAX);
		return;
	}
	cur_svc(ld)->start_limit_burst = v;
}

static void set_start_limit_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &cur_svc(ld)->start_limit_interval_ms);
}

static void set_critical(struct loader *ld, const char *key, const char *value)
{
	if (parse_bool(value, &cur_svc(ld)->critical) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
}

static bool env_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

static void set_environment(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);
	const char *eq = strchr(value, '=');
	char label[LABEL_MAX];
	size_t n = eq ? (size_t)(eq - value) : 0, bytes;
	char **env;
	int i;

	(void)key;
	(void)sec_label(ld, label, sizeof(label));
	if (!eq || !env_name_ok(value, n)) {
		ld_error(
			ld, ld->lineno,
			"bad environment entry '%s' in %s: use KEY=value, KEY made of letters, digits "
			"and _, not starting with a digit",
			value, label);
		return;
	}
	for (i = 0; i < svc->nenv; i++) {
		if (strncmp(svc->env[i], value, n + 1) == 0) {
			ld_error(ld, ld->lineno,
				 "environment variable '%.*s' is set twice in %s: keep one", (int)n,
				 value, label);
			return;
		}
	}
	if (svc->nenv >= MAX_ENV) {
		ld_error(ld, ld->lineno, "too many environment entries in %s (limit %d)", label,
			 MAX_ENV);
		return;
	}
	/* Like the command's byte limit: MAX_ENV lines of CFG_LINE_MAX come first today. */
	bytes = strings_bytes(svc->env, svc->nenv) + strlen(value) + 1;
	if (bytes > ENV_BYTES_MAX) {
		ld_error(ld, ld->lineno,
			 "environment of %s is too long (%zu bytes, limit %d): shorten it, or move "
			 "the data into a file the program reads",
			 label, bytes, ENV_BYTES_MAX);
		return;
	}
	/* Grow by doubling; MAX_ENV bounds it. */
	if ((svc->nenv & (svc->nenv - 1)) == 0) {
		env = realloc(svc->env, (size_t)(svc->nenv ? svc->nenv * 2 : 1) * sizeof(*env));
		if (!env) {
			ld->oom = true;
			return;
		}
		svc->env = env;
	}
	svc->env[svc->nenv] = dup_or_oom(ld, value, strlen(value));
	if (svc->env[svc->nenv])
		svc->nenv++;
}

static void set_args_env(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);

	if (*value && !env_name_ok(value, strlen(value))) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use an environment variable name made of letters, "
			 "digits and _, not starting with a digit",
			 value, key);
		return;
	}
	free(svc->args_env);
	svc->args_env = *value ? dup_or_oom(ld, value, strlen(value)) : NULL;
}

static void set_workdir(struct loader *ld, const char *key, const char *value)
{
	struct cfg_service *svc = cur_svc(ld);

	if (value[0] != '/') {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use an absolute path", value, key);
		return;
	}
	free(svc->workdir);
	svc->workdir = dup_or_oom(ld, value, strlen(value));
}

static void set_log(struct loader *ld, const char *key, const char *value)
{
	static const char *const names[] = { "prefix", "inherit", "null" };
	struct cfg_service *svc = cur_svc(ld);
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(value, names[i]) == 0) {
			svc->log = (enum log_mode)i;
			return;
		}
	}
	if (strncmp(value, "file:", 5) == 0) {
		if (value[5] != '/') {
			ld_error(ld, ld->lineno,
				 "bad value '%s' for %s: the file path must be absolute, e.g. "
				 "file:/var/log/%s.log",
				 value, key, svc->name);
			return;
		}
		free(svc->log_path);
		svc->log_path = dup_or_oom(ld, value + 5, strlen(value + 5));
		svc->log = LOGMODE_FILE;
		return;
	}
	ld_error(ld, ld->lineno,
		 "bad value '%s' for %s: expected prefix, inherit, null or file:/absolute/path",
		 value, key);
}

static bool get_probe(struct loader *ld, const char *key, const char *value, struct probe_spec *out)
{
	const char *err = NULL;
	int r = probe_spec_parse(value, out, &err);

	if (r == -ENOMEM) {
		ld->oom = true;
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: %s", value, key, err);
		return false;
	}
	return true;
}

static void set_ready(struct loader *ld, const char *key, const char *value)
{
	(void)get_probe(ld, key, value, &cur_svc(ld)->ready);
}

static void set_ready_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &cur_svc(ld)->ready_timeout_ms);
}

static void set_ready_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &cur_svc(ld)->ready_interval_ms);
}

static void set_health(struct loader *ld, const char *key, const char *value)
{
	struct probe_spec p;

	if (!get_probe(ld, key, value, &p))
		return;
	if (p.kind == PROBE_NOTIFY) {
		probe_spec_release(&p);
		ld_error(ld, ld->lineno,
			 "health cannot be notify: use watchdog = DURATION for sd_notify "
			 "keep-alives");
		return;
	}
	cur_svc(ld)->health = p;
}

static void set_health_interval(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &cur_svc(ld)->health_interval_ms);
}

static void set_health_timeout(struct loader *ld, const char *key, const char *value)
{
	(void)get_positive_duration(ld, key, value, &cur_svc(ld)->health_timeout_ms);
}

static void set_health_retries(struct loader *ld, const char *key, const char *value)
{
	int v;

	if (parse_uint(value, &v) < 0 || v < 1) {
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use a whole number of 1 or more",
			 value, key);
		return;
	}
	cur_svc(ld)->health_retries = v;
}

static void set_watchdog(struct loader *ld, const char *key, const char *value)
{
	(void)get_duration(ld, key, value, &cur_svc(ld)->watchdog_ms);
}

static void set_notify_access(struct loader *ld, const char *key, const char *value)
{
	/* In the enum's order: none, main. */
	static const char *const names[] = { "none", "main" };
	int v;

	if (get_choice(ld, key, value, names, 2, "main or none", &v))
		cur_svc(ld)->notify_access = (enum notify_access)v;
}

/* [main] and [service:NAME] privileges */

static struct cfg_privs *cur_privs(struct loader *ld)
{
	return ld->sec == SEC_MAIN ? &ld->cfg->main.privs : &cur_svc(ld)->privs;
}

static const char *passwd_file = DEFAULT_PASSWD_FILE;
static const char *group_file = DEFAULT_GROUP_FILE;

void cfg_set_account_files(const char *passwd, const char *group)
{
	passwd_file = passwd ? passwd : DEFAULT_PASSWD_FILE;
	group_file = group ? group : DEFAULT_GROUP_FILE;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* A uid or gid in decimal. (uid_t)-1 is excluded: setresuid() reads it as "leave unchanged". */
static bool parse_id(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!all_digits(s, n))
		return false;
	for (i = 0; i < n; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v >= UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* One entry of an /etc/passwd- or /etc/group-style file. */
struct account {
	uint32_t id;  /* uid or gid */
	uint32_t gid; /* passwd: the primary group */
	char *name;   /* owned */
	char *home;   /* owned; passwd only */
};

/* Find the entry named name (len bytes), or with id when name is NULL, the first one wins as in
 * glibc's files module. Returns 1 (found, *out filled), 0 (not found) or -errno (cannot read). */
static int account_find(const char *file, bool passwd, const char *name, size_t len, uint32_t id,
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
		if (i != nfields - 1 || !parse_id(f[2], strlen(f[2]), &eid) ||
		    (passwd && !parse_id(f[3], strlen(f[3]), &gid)))
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

/* A group name or number for key; false (error recorded) when unknown. */
static bool get_gid(struct loader *ld, const char *key, const char *name, size_t len, gid_t *out)
{
	struct account a = { 0 };
	uint32_t id;
	int r;

	if (all_digits(name, len)) {
		/* Like a uid, a gid needs no entry in the group file. */
		if (!parse_id(name, len, &id)) {
			ld_error(ld, ld->lineno,
				 "bad group '%.*s' for %s: a gid is at most 4294967294", (int)len,
				 name, key);
			return false;
		}
		*out = id;
		return true;
	}
	r = account_find(group_file, false, name, len, 0, &a);
	if (r == -ENOMEM) {
		ld->oom = true;
		return false;
	}
	if (r < 0) {
		ld_error(ld, ld->lineno,
			 "cannot read %s to look up group '%.*s' for %s: %s: use a number instead",
			 group_file, (int)len, name, key, strerror(-r));
		return false;
	}
	if (r == 0) {
		ld_error(ld, ld->lineno,
			 "unknown group '%.*s' for %s: not in %s (dind-init reads it directly, "
			 "without NSS)",
			 (int)len, name, key, group_file);
		return false;
	}
	free(a.name);
	*out = a.id;
	return true;
}

static void set_user(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = cur_privs(ld);
	struct account a = { 0 };
	size_t len = strlen(value);
	uint32_t id;
	int r;

	if (!len) {
		ld_error(ld, ld->lineno, "empty value for %s: use a user name or a uid", key);
		return;
	}
	if (all_digits(value, len)) {
		if (!parse_id(value, len, &id)) {
			ld_error(ld, ld->lineno,
				 "bad user '%s' for %s: a uid is at most 4294967294", value, key);
			return;
		}
		/* A bare uid needs no passwd entry: images run as arbitrary uids (docker run -u
		 * 12345, OpenShift). Without an entry, its primary group is the same number and
		 * there is no name or home; with one, both come from it. An unreadable passwd
		 * file counts as no entry. */
		r = account_find(passwd_file, true, NULL, 0, id, &a);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r <= 0) {
			a.id = id;
			a.gid = id;
		}
	} else {
		r = account_find(passwd_file, true, value, len, 0, &a);
		if (r == -ENOMEM) {
			ld->oom = true;
			return;
		}
		if (r < 0) {
			ld_error(
				ld, ld->lineno,
				"cannot read %s to look up user '%s' for %s: %s: use a uid instead",
				passwd_file, value, key, strerror(-r));
			return;
		}
		if (r == 0) {
			ld_error(
				ld, ld->lineno,
				"unknown user '%s' for %s: not in %s (dind-init reads it directly, "
				"without NSS)",
				value, key, passwd_file);
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

static void set_group(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = cur_privs(ld);

	if (!*value) {
		ld_error(ld, ld->lineno, "empty value for %s: use a group name or a gid", key);
		return;
	}
	if (get_gid(ld, key, value, strlen(value), &p->gid))
		p->set_group = true;
}

static bool add_group(struct loader *ld, const char *name, size_t len)
{
	struct cfg_privs *p = cur_privs(ld);
	char label[LABEL_MAX];
	gid_t gid;
	int i;

	if (!get_gid(ld, "supplementary_groups", name, len, &gid))
		return true; /* go on: report every unknown group of the line */
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i] == gid)
			return true; /* listed twice: harmless */
	if (p->ngroups >= MAX_GROUPS) {
		ld_error(ld, ld->lineno, "too many supplementary_groups in %s (limit %d)",
			 sec_label(ld, label, sizeof(label)), MAX_GROUPS);
		return false;
	}
	p->groups[p->ngroups++] = gid;
	return true;
}

/* The key line replaces nothing (it is not repeatable); an empty value means no groups. */
static void set_supplementary_groups(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	cur_privs(ld)->set_groups = true;
	for_each_name(ld, value, add_group);
}

/* Capability numbers fit the 64-bit mask; whether this kernel knows one is for the runtime. */
#define CAP_NUMBER_MAX 63

static bool add_cap(struct loader *ld, const char *name, size_t len)
{
	struct cfg_privs *p = cur_privs(ld);
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
	if (all_digits(name, len)) {
		if (!parse_id(name, len, &n) || n > CAP_NUMBER_MAX) {
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

static void set_capabilities(struct loader *ld, const char *key, const char *value)
{
	(void)key;
	if (ld->kind == LINE_KEY)
		ld->caps_none = ld->caps_named = false;
	cur_privs(ld)->set_caps = true;
	for_each_name(ld, value, add_cap);
}

static void set_no_new_privileges(struct loader *ld, const char *key, const char *value)
{
	if (parse_bool(value, &cur_privs(ld)->no_new_privileges) < 0)
		ld_error(ld, ld->lineno, "bad value '%s' for %s: use yes or no", value, key);
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
	struct cfg_privs *p = cur_privs(ld);
	const char *what = src->file ? "the seccomp allow-list" : "seccomp = deny:";
	char buf[64], label[LABEL_MAX];
	int nr = __NR_SCMP_ERROR, i;

	(void)sec_label(ld, label, sizeof(label));
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

/* Files whose text decides what PID 1 runs and with which privileges: the config file and the
 * seccomp allow-lists it names. Like sshd's StrictModes, such a file is safe on a read-only mount,
 * or when owned by root or by the user running dind-init and, for a regular file, not writable by
 * group or others (see check_file_safety for why). Only the environment can relax the rule
 * (CFG_STRICT_ENV=no): never a file it checks. */
struct file_risk {
	bool owner; /* owned by someone else */
	bool mode;  /* a regular file writable by group or others */
};

static bool file_at_risk(const struct stat *st, bool readonly, struct file_risk *risk)
{
	uid_t euid = geteuid();

	risk->owner = st->st_uid != 0 && st->st_uid != euid;
	risk->mode = S_ISREG(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH));
	return !readonly && (risk->owner || risk->mode);
}

/* Whom the owner should have been, for messages. */
static const char *trusted_owners(char *buf, size_t len)
{
	uid_t euid = geteuid();

	if (euid == 0)
		(void)snprintf(buf, len, "not root");
	else
		(void)snprintf(buf, len, "not root or uid %u (running dind-init)", (unsigned)euid);
	return buf;
}

/* CFG_STRICT_ENV=no let an unsafe file pass: say why in cfg->insecure_reason, for the warning.
 * what names the kind of file ("" for the config file); first puts it before what is there. */
static void note_insecure(struct loader *ld, const char *what, const char *path,
			  const struct stat *st, const struct file_risk *risk, bool first)
{
	struct config *cfg = ld->cfg;
	unsigned mode = (unsigned)st->st_mode & 07777;
	char who[48], *reason = NULL, *joined = NULL;
	int r;

	(void)trusted_owners(who, sizeof(who));
	if (risk->owner && risk->mode)
		r = asprintf(&reason,
			     "%s%s is owned by uid %u, %s, and writable by group or others (mode "
			     "%04o)",
			     what, path, (unsigned)st->st_uid, who, mode);
	else if (risk->owner)
		r = asprintf(&reason, "%s%s is owned by uid %u, %s", what, path,
			     (unsigned)st->st_uid, who);
	else
		r = asprintf(&reason, "%s%s is writable by group or others (mode %04o)", what, path,
			     mode);
	if (r < 0) {
		ld->oom = true;
		return;
	}
	if (!cfg->insecure_reason) {
		cfg->insecure_reason = reason;
		return;
	}
	if (strstr(cfg->insecure_reason, reason)) { /* one allow-list for several services */
		free(reason);
		return;
	}
	r = first ? asprintf(&joined, "%s; %s", reason, cfg->insecure_reason)
		  : asprintf(&joined, "%s; %s", cfg->insecure_reason, reason);
	free(reason);
	if (r < 0) {
		ld->oom = true;
		return;
	}
	free(cfg->insecure_reason);
	cfg->insecure_reason = joined;
}

/* A seccomp allow-list is as sensitive as the config file: whoever can write it chooses which
 * syscalls the service may make (unshare and mount, say). Refused at the config's line. */
static bool allow_list_safe(struct loader *ld, const char *key, const char *path, int fd,
			    const struct stat *st)
{
	struct statvfs vfs;
	struct file_risk risk;
	char who[48];
	/* Of the opened file, not of the path: what is read is what was checked. */
	bool readonly = fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);

	if (!file_at_risk(st, readonly, &risk))
		return true;
	if (!ld->cfg->strict_config) {
		note_insecure(ld, "seccomp allow-list ", path, st, &risk, false);
		return true;
	}
	if (risk.owner)
		ld_error(ld, ld->lineno,
			 "refusing seccomp allow-list %s for %s: it is owned by uid %u, %s, who "
			 "could allow the service any syscall: mount it read-only (docker run -v "
			 "HOST-FILE:%s:ro), or chown root the file (on the host, if it is "
			 "bind-mounted from there), or start dind-init with %s=no",
			 path, key, (unsigned)st->st_uid, trusted_owners(who, sizeof(who)), path,
			 CFG_STRICT_ENV);
	if (risk.mode)
		ld_error(ld, ld->lineno,
			 "refusing seccomp allow-list %s for %s: it is writable by group or others "
			 "(mode %04o), who could allow the service any syscall: mount it read-only "
			 "(docker run -v HOST-FILE:%s:ro), or chmod go-w the file (on the host, if "
			 "it is bind-mounted from there), or start dind-init with %s=no",
			 path, key, (unsigned)st->st_mode & 07777, path, CFG_STRICT_ENV);
	return false;
}

#define ALLOW_LINE_MAX 256 /* a line of a seccomp allow-list: a name and maybe a comment */

/* One syscall name per line; '#' starts a comment; blank lines are ignored. Errors in the file
 * are reported at its own FILE:LINE. */
static void read_allow_list(struct loader *ld, const char *key, const char *path)
{
	struct cfg_privs *p = cur_privs(ld);
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
	if (!allow_list_safe(ld, key, path, fd, &st)) {
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
		s = lskip(rstrip(s));
		if (!*s)
			continue;
		end = s + strcspn(s, " \t\v\f\r");
		if (*lskip(end)) {
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

static void set_seccomp(struct loader *ld, const char *key, const char *value)
{
	struct cfg_privs *p = cur_privs(ld);

	if (ld->kind == LINE_CONT) {
		/* Only a deny list is long enough to need more lines. */
		if (p->seccomp == SECCOMP_DENY)
			for_each_name(ld, value, add_denied_syscall);
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
		for_each_name(ld, value + 5, add_denied_syscall);
	} else if (value[0] == '/') {
		p->seccomp = SECCOMP_ALLOW;
		free(p->seccomp_file);
		p->seccomp_file = dup_or_oom(ld, value, strlen(value));
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

/* A per-process limit: a whole number or "unlimited". */
static void get_rlimit(struct loader *ld, const char *key, const char *value, long *out)
{
	size_t i, n = strlen(value);
	long v = 0;

	if (strcmp(value, "unlimited") == 0 || strcmp(value, "infinity") == 0) {
		*out = (long)RLIM_INFINITY;
		return;
	}
	for (i = 0; i < n && all_digits(value + i, 1); i++) {
		if (v > (LONG_MAX - (value[i] - '0')) / 10)
			break;
		v = v * 10 + (value[i] - '0');
	}
	if (n == 0 || i < n) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use a whole number from 0 to %ld, or unlimited",
			 value, key, LONG_MAX);
		return;
	}
	*out = v;
}

_Static_assert(RLIMIT_UNSET != (long)RLIM_INFINITY, "RLIMIT_UNSET must differ from unlimited");

static void set_svc_rlimit_nofile(struct loader *ld, const char *key, const char *value)
{
	get_rlimit(ld, key, value, &cur_privs(ld)->rlimit_nofile);
}

static void set_rlimit_nproc(struct loader *ld, const char *key, const char *value)
{
	get_rlimit(ld, key, value, &cur_privs(ld)->rlimit_nproc);
}

static void set_rlimit_core(struct loader *ld, const char *key, const char *value)
{
	get_rlimit(ld, key, value, &cur_privs(ld)->rlimit_core);
}

static void set_rlimit_memlock(struct loader *ld, const char *key, const char *value)
{
	get_rlimit(ld, key, value, &cur_privs(ld)->rlimit_memlock);
}

static void set_umask(struct loader *ld, const char *key, const char *value)
{
	size_t i, n = strlen(value);
	int v = 0;

	for (i = 0; i < n && value[i] >= '0' && value[i] <= '7' && v <= 0777; i++)
		v = v * 8 + (value[i] - '0');
	if (n == 0 || i < n || v > 0777) {
		ld_error(ld, ld->lineno,
			 "bad value '%s' for %s: use an octal number from 0 to 0777, "
			 "e.g. 022",
			 value, key);
		return;
	}
	cur_privs(ld)->umask = v;
}

static void privs_defaults(struct cfg_privs *p)
{
	memset(p, 0, sizeof(*p));
	p->seccomp = SECCOMP_NONE;
	p->rlimit_nofile = p->rlimit_nproc = p->rlimit_core = p->rlimit_memlock = RLIMIT_UNSET;
	p->umask = -1;
}

static void privs_release(struct cfg_privs *p)
{
	free(p->user_name);
	free(p->home);
	free(p->seccomp_file);
	free(p->seccomp_syscalls);
	privs_defaults(p);
}

enum init_key {
	IK_LOG_LEVEL,
	IK_SHUTDOWN_TIMEOUT,
	IK_MAIN_AFTER,
	IK_ON_MAIN_EXIT,
	IK_CONTROL_SOCKET,
	IK_RUNTIME_DIR,
	IK_SETUP,
	IK_MOUNT_TMPFS,
	IK_SECURITYFS,
	IK_SYS_RW,
	IK_CGROUPS,
	IK_IPTABLES,
	IK_MAKE_RSHARED,
	IK_STALE_FILES,
	IK_RLIMIT_NOFILE,
	IK_DATA_ROOT,
	IK_PREFLIGHT,
	IK_WRITABLE_PATHS,
	IK_SERVICE_OUTPUT,
	IK_ARGS_TO,
	IK_REQUIRE_SOCKET,
	IK_STRICT_CONFIG,
	IK_CONTROL_GROUP,
	IK_MTU,
	IK_COUNT
};
/* Privilege keys, the same in [main] and [service:NAME]: each section's enum has them at the
 * end, from its own *_PRIVS on. */
enum priv_key {
	PK_USER,
	PK_GROUP,
	PK_SUPPLEMENTARY_GROUPS,
	PK_CAPABILITIES,
	PK_NO_NEW_PRIVILEGES,
	PK_SECCOMP,
	PK_RLIMIT_NOFILE,
	PK_RLIMIT_NPROC,
	PK_RLIMIT_CORE,
	PK_RLIMIT_MEMLOCK,
	PK_UMASK,
	PK_COUNT
};
enum main_key { MK_STOP_SIGNAL, MK_STOP_TIMEOUT, MK_PRIVS, MK_COUNT = MK_PRIVS + PK_COUNT };
enum svc_key {
	SK_COMMAND,
	SK_TYPE,
	SK_DEPENDS_ON,
	SK_RESTART,
	SK_RESTART_DELAY,
	SK_RESTART_DELAY_MAX,
	SK_START_LIMIT_BURST,
	SK_START_LIMIT_INTERVAL,
	SK_CRITICAL,
	SK_STOP_SIGNAL,
	SK_STOP_TIMEOUT,
	SK_ENVIRONMENT,
	SK_WORKDIR,
	SK_LOG,
	SK_READY,
	SK_READY_TIMEOUT,
	SK_READY_INTERVAL,
	SK_HEALTH,
	SK_HEALTH_INTERVAL,
	SK_HEALTH_TIMEOUT,
	SK_HEALTH_RETRIES,
	SK_WATCHDOG,
	SK_NOTIFY_ACCESS,
	SK_ARGS_ENV,
	SK_WHEN,
	SK_ARGS_IF,
	SK_PRIVS,
	SK_COUNT = SK_PRIVS + PK_COUNT
};

static const struct key_def init_keys[IK_COUNT] = {
	[IK_LOG_LEVEL] = { "log_level", false, false, set_log_level },
	[IK_SHUTDOWN_TIMEOUT] = { "shutdown_timeout", false, false, set_shutdown_timeout },
	[IK_MAIN_AFTER] = { "main_after", true, true, set_main_after },
	[IK_ON_MAIN_EXIT] = { "on_main_exit", false, false, set_on_main_exit },
	[IK_CONTROL_SOCKET] = { "control_socket", false, false, set_control_socket },
	[IK_RUNTIME_DIR] = { "runtime_dir", false, false, set_runtime_dir },
	[IK_SETUP] = { "setup", false, false, set_setup },
	/* Path lists continue on indented lines but are not repeated: the key line replaces the
	 * default list. */
	[IK_MOUNT_TMPFS] = { "mount_tmpfs", true, false, set_mount_tmpfs },
	[IK_SECURITYFS] = { "securityfs", false, false, set_securityfs },
	[IK_SYS_RW] = { "sys_rw", false, false, set_sys_rw },
	[IK_CGROUPS] = { "cgroups", false, false, set_cgroups },
	[IK_IPTABLES] = { "iptables", false, false, set_iptables },
	[IK_MAKE_RSHARED] = { "make_rshared", false, false, set_make_rshared },
	[IK_STALE_FILES] = { "stale_files", true, false, set_stale_files },
	[IK_RLIMIT_NOFILE] = { "rlimit_nofile", false, false, set_rlimit_nofile },
	[IK_DATA_ROOT] = { "data_root", false, false, set_data_root },
	[IK_PREFLIGHT] = { "preflight", false, false, set_preflight },
	[IK_WRITABLE_PATHS] = { "writable_paths", true, false, set_writable_paths },
	[IK_MTU] = { "mtu", false, false, set_mtu },
	[IK_SERVICE_OUTPUT] = { "service_output", false, false, set_service_output },
	[IK_ARGS_TO] = { "args_to", false, false, set_args_to },
	[IK_REQUIRE_SOCKET] = { "require_socket", false, false, set_require_socket },
	[IK_STRICT_CONFIG] = { "strict_config", false, false, set_strict_config },
	[IK_CONTROL_GROUP] = { "control_group", false, false, set_control_group },
};

/* Lists continue on indented lines but are not repeated (like mount_tmpfs); seccomp continues
 * only as a deny: list (set_seccomp says so otherwise). rlimit_nofile here is the limit of the
 * started process, not [init]'s limit of dind-init itself. */
#define PRIV_KEY_DEFS(base)                                                                        \
	[(base) + PK_USER] = { "user", false, false, set_user },                                   \
		  [(base) + PK_GROUP] = { "group", false, false, set_group },                      \
		  [(base) + PK_SUPPLEMENTARY_GROUPS] = { "supplementary_groups", true, false,      \
							 set_supplementary_groups },               \
		  [(base) + PK_CAPABILITIES] = { "capabilities", true, false, set_capabilities },  \
		  [(base) + PK_NO_NEW_PRIVILEGES] = { "no_new_privileges", false, false,           \
						      set_no_new_privileges },                     \
		  [(base) + PK_SECCOMP] = { "seccomp", true, false, set_seccomp },                 \
		  [(base) + PK_RLIMIT_NOFILE] = { "rlimit_nofile", false, false,                   \
						  set_svc_rlimit_nofile },                         \
		  [(base) + PK_RLIMIT_NPROC] = { "rlimit_nproc", false, false, set_rlimit_nproc }, \
		  [(base) + PK_RLIMIT_CORE] = { "rlimit_core", false, false, set_rlimit_core },    \
		  [(base) + PK_RLIMIT_MEMLOCK] = { "rlimit_memlock", false, false,                 \
						   set_rlimit_memlock },                           \
		  [(base) + PK_UMASK] = { "umask", false, false, set_umask }

static const struct key_def main_keys[MK_COUNT] = {
	[MK_STOP_SIGNAL] = { "stop_signal", false, false, set_stop_signal },
	[MK_STOP_TIMEOUT] = { "stop_timeout", false, false, set_stop_timeout },
	PRIV_KEY_DEFS(MK_PRIVS),
};

static const struct key_def svc_keys[SK_COUNT] = {
	/* command continues on indented lines but is not repeated: a second "command =" is
	 * more likely a copy-paste slip than a wish to append. */
	[SK_COMMAND] = { "command", true, false, set_command },
	[SK_TYPE] = { "type", false, false, set_type },
	[SK_DEPENDS_ON] = { "depends_on", true, true, set_depends_on },
	[SK_RESTART] = { "restart", false, false, set_restart },
	[SK_RESTART_DELAY] = { "restart_delay", false, false, set_restart_delay },
	[SK_RESTART_DELAY_MAX] = { "restart_delay_max", false, false, set_restart_delay_max },
	[SK_START_LIMIT_BURST] = { "start_limit_burst", false, false, set_start_limit_burst },
	[SK_START_LIMIT_INTERVAL] = { "start_limit_interval", false, false,
				      set_start_limit_interval },
	[SK_CRITICAL] = { "critical", false, false, set_critical },
	[SK_STOP_SIGNAL] = { "stop_signal", false, false, set_stop_signal },
	[SK_STOP_TIMEOUT] = { "stop_timeout", false, false, set_stop_timeout },
	[SK_ENVIRONMENT] = { "environment", true, true, set_environment },
	[SK_WORKDIR] = { "workdir", false, false, set_workdir },
	[SK_LOG] = { "log", false, false, set_log },
	[SK_READY] = { "ready", false, false, set_ready },
	[SK_READY_TIMEOUT] = { "ready_timeout", false, false, set_ready_timeout },
	[SK_READY_INTERVAL] = { "ready_interval", false, false, set_ready_interval },
	[SK_HEALTH] = { "health", false, false, set_health },
	[SK_HEALTH_INTERVAL] = { "health_interval", false, false, set_health_interval },
	[SK_HEALTH_TIMEOUT] = { "health_timeout", false, false, set_health_timeout },
	[SK_HEALTH_RETRIES] = { "health_retries", false, false, set_health_retries },
	[SK_WATCHDOG] = { "watchdog", false, false, set_watchdog },
	[SK_NOTIFY_ACCESS] = { "notify_access", false, false, set_notify_access },
	[SK_ARGS_ENV] = { "args_env", false, false, set_args_env },
	[SK_WHEN] = { "when", false, false, set_when },
	[SK_ARGS_IF] = { "args_if", true, true, set_args_if },
	PRIV_KEY_DEFS(SK_PRIVS),
};

_Static_assert(SK_COUNT <= KEYS_MAX && IK_COUNT <= KEYS_MAX && MK_COUNT <= KEYS_MAX,
	       "raise KEYS_MAX");

/* Keys of the current section and where each was first set; NULL outside a usable section. */
static const struct key_def *section_keys(struct loader *ld, int *n, int **lines)
{
	switch (ld->sec) {
	case SEC_INIT:
		*n = IK_COUNT;
		*lines = ld->init_lines;
		return init_keys;
	case SEC_MAIN:
		*n = MK_COUNT;
		*lines = ld->main_lines;
		return main_keys;
	case SEC_SERVICE:
		*n = SK_COUNT;
		*lines = ld->svc_lines[ld->svc];
		return svc_keys;
	default:
		*n = 0;
		*lines = NULL;
		return NULL;
	}
}

static const struct key_def *find_key(const struct key_def *keys, int n, const char *name,
				      size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(keys[i].name) == len && strncmp(keys[i].name, name, len) == 0)
			return &keys[i];
	return NULL;
}

/* Levenshtein distance, for "did you mean"; keys are short so the quadratic cost is nothing. */
static int edit_distance(const char *a, const char *b)
{
	int row[64], i, j, la = (int)strlen(a), lb = (int)strlen(b);

	if (la >= 64 || lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		int diag = row[0], tmp;

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			diag = tmp;
		}
	}
	return row[lb];
}

static void unknown_key(struct loader *ld, const struct key_def *keys, int n, const char *name)
{
	char label[LABEL_MAX], list[1024];
	size_t pos = 0;
	int i;

	/* Suggest only a close key: one edit for short names (else "foo" would suggest "log"),
	 * two for longer ones. */
	int best = -1, best_dist = strlen(name) <= 4 ? 2 : 3;

	(void)sec_label(ld, label, sizeof(label));
	for (i = 0; i < n && strlen(name) >= 3; i++) {
		int d = edit_distance(name, keys[i].name);

		if (d < best_dist) {
			best = i;
			best_dist = d;
		}
	}
	if (best >= 0) {
		ld_error(ld, ld->lineno, "unknown key '%s' in %s: did you mean '%s'?", name, label,
			 keys[best].name);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < n && pos < sizeof(list); i++)
		pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s", i ? ", " : "",
					keys[i].name);
	ld_error(ld, ld->lineno, "unknown key '%s' in %s: valid keys are %s", name, label, list);
}

/* True when an indented line reads like "key = ..." for a key of the current section. */
static bool looks_like_key(struct loader *ld, const char *p)
{
	const struct key_def *keys;
	int n, *lines;
	size_t len = 0;

	keys = section_keys(ld, &n, &lines);
	while ((p[len] >= 'a' && p[len] <= 'z') || p[len] == '_')
		len++;
	if (!keys || !find_key(keys, n, p, len))
		return false;
	while (p[len] == ' ' || p[len] == '\t')
		len++;
	return p[len] == '=' || p[len] == ':';
}

static void service_defaults(struct cfg_service *svc)
{
	memset(svc, 0, sizeof(*svc));
	svc->type = SVC_SIMPLE;
	svc->restart = RESTART_ALWAYS;
	svc->restart_delay_ms = 100;
	svc->restart_delay_max_ms = 30 * 1000;
	svc->start_limit_burst = 5;
	svc->start_limit_interval_ms = 60 * 1000;
	svc->critical = false;
	svc->stop_signal = SIGTERM;
	svc->stop_timeout_ms = 15 * 1000;
	svc->log = LOGMODE_PREFIX;
	svc->ready.kind = PROBE_NONE;
	svc->ready_timeout_ms = 60 * 1000;
	svc->ready_interval_ms = 50;
	svc->health.kind = PROBE_NONE;
	svc->health_interval_ms = 10 * 1000;
	svc->health_timeout_ms = 5 * 1000;
	svc->health_retries = 3;
	svc->watchdog_ms = 0;
	svc->notify_access = NOTIFY_ACCESS_NONE; /* validation picks main where notify is used */
	svc->user_start = -1;
	svc->notify_socket = false;
	privs_defaults(&svc->privs);
}

/* A "[...]" header whose name (between the brackets, trimmed) is name. */
static void section_header(struct loader *ld, char *name)
{
	struct config *cfg = ld->cfg;
	char *svc_name;
	int i;

	name = rstrip(lskip(name));
	if (strcmp(name, "init") == 0) {
		ld->sec = SEC_INIT;
		return;
	}
	if (strcmp(name, "main") == 0) {
		ld->sec = SEC_MAIN;
		return;
	}
	ld->sec = SEC_IGNORED; /* keys under a rejected header are dropped: one error is enough */
	if (strncmp(name, "service:", 8) != 0) {
		ld_error(ld, ld->lineno,
			 "unknown section [%s]: expected [init], [main] or [service:NAME]", name);
		return;
	}
	svc_name = lskip(name + 8);
	if (!service_name_ok(svc_name)) {
		ld_error(
			ld, ld->lineno,
			"bad service name '%s' in [%s]: use 1 to %d characters from A-Z a-z 0-9 _ . "
			"@ -",
			svc_name, name, SVC_NAME_MAX);
		return;
	}
	i = cfg_find_service(cfg, svc_name);
	if (i >= 0) {
		ld_error(ld, ld->lineno,
			 "duplicate section [service:%s]: first defined at line %d; merge the two",
			 svc_name, cfg->services[i].line);
		return;
	}
	if (cfg->nservices >= MAX_SERVICES) {
		ld_error(ld, ld->lineno, "too many services: [service:%s] is over the limit of %d",
			 svc_name, MAX_SERVICES);
		return;
	}
	ld->svc = cfg->nservices++;
	service_defaults(&cfg->services[ld->svc]);
	strcpy(cfg->services[ld->svc].name, svc_name); /* length checked by service_name_ok */
	cfg->services[ld->svc].line = ld->lineno;
	ld->sec = SEC_SERVICE;
}

static const char *bad_line(struct loader *ld)
{
	ld->kind = LINE_BAD;
	ld->has_key = true;
	return BAD_LINE_STANDIN;
}

/* p starts with '['. Returns what inih gets. */
static const char *section_line(struct loader *ld, char *p)
{
	char *end = find_chars_or_comment(p + 1, "]"), *rest;
	char name[CFG_LINE_MAX + 1];

	if (*end != ']') {
		ld_error(ld, ld->lineno, "unterminated section header '%s': add the closing ']'",
			 p);
		/* Its keys belong to no section we know: drop them rather than pile errors on the
		 * section before. */
		ld->sec = SEC_IGNORED;
		return bad_line(ld);
	}
	rest = lskip(end + 1);
	if (*rest && *rest != ';' && *rest != '#')
		ld_error(ld, ld->lineno,
			 "unexpected text '%s' after the section header: put "
			 "comments after ';'",
			 rest);
	/* A copy: section_header() trims in place and inih still has to read the line. */
	snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
	section_header(ld, name);
	ld->kind = LINE_OTHER;
	ld->has_key = false;
	ld->prev_key = NULL;
	return p;
}

/* p starts a line that is neither blank, a comment, a header nor a continuation. */
static const char *key_line(struct loader *ld, char *p)
{
	char *end = find_chars_or_comment(p, "=:");

	if (*end != '=' && *end != ':') {
		ld_error(
			ld, ld->lineno,
			"cannot parse '%s': expected KEY = VALUE, a [section] header or a ; comment",
			p);
		return bad_line(ld);
	}
	ld->kind = LINE_KEY;
	ld->has_key = true;
	return p;
}

/* Decide what inih will make of a line that fits and holds no NUL byte. */
static const char *classify(struct loader *ld, char *line)
{
	char *p, *end;

	rstrip(line);
	p = lskip(line);
	if (p > line && ld->has_key) {
		/* inih r55 keeps inline comments on continuation lines, later versions strip
		 * them: strip them here so the result does not depend on the version. */
		end = find_chars_or_comment(p, NULL);
		*end = '\0';
		rstrip(p);
		if (*p == '[') {
			ld_error(
				ld, ld->lineno,
				"indented section header '%s': remove the indentation (an indented "
				"line continues the previous key)",
				p);
			return section_line(ld, p);
		}
		if (looks_like_key(ld, p)) {
			ld_error(ld, ld->lineno,
				 "indented line '%s' looks like a key: remove the indentation (an "
				 "indented line continues the previous key)",
				 p);
			return key_line(ld, p);
		}
		ld->kind = LINE_CONT;
		return line;
	}
	if (*p == '[')
		return section_line(ld, p);
	return key_line(ld, p);
}

static int src_getc_raw(struct loader *ld)
{
	int c;

	if (ld->text)
		return *ld->text ? (unsigned char)*ld->text++ : EOF;
	c = getc(ld->file);
	if (c == EOF && ferror(ld->file) && !ld->read_err)
		ld->read_err = errno ? -errno : -EIO;
	return c;
}

static int src_getc(struct loader *ld)
{
	if (ld->pending_pos < ld->npending)
		return ld->pending[ld->pending_pos++];
	return src_getc_raw(ld);
}

/* inih skips a UTF-8 byte order mark on line 1; drop it before the reader counts anything.
 * The bytes read while looking are replayed when they are not a BOM. */
static void skip_bom(struct loader *ld)
{
	static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };
	int c;

	while (ld->npending < 3) {
		c = src_getc_raw(ld);
		if (c == EOF)
			break;
		ld->pending[ld->npending++] = (unsigned char)c;
		if (c != bom[ld->npending - 1])
			break;
	}
	if (ld->npending == 3 && memcmp(ld->pending, bom, 3) == 0)
		ld->npending = 0;
}

/* One line of any length: keeps the first cap - 1 bytes, counts them all, notes the first
 * non-blank byte (-1 if none) and NUL bytes. False at the end of the input. */
static bool read_line(struct loader *ld, char *buf, size_t cap, size_t *total, int *first,
		      bool *nul)
{
	size_t n = 0;
	int c, last = EOF;

	*total = 0;
	*first = -1;
	*nul = false;
	for (;;) {
		c = src_getc(ld);
		if (c == EOF) {
			if (n == 0 && *total == 0)
				return false;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\0')
			*nul = true;
		if (*first < 0 && !is_blank((char)c))
			*first = c;
		if (n + 1 < cap)
			buf[n++] = (char)c;
		(*total)++;
		last = c;
	}
	/* A CRLF file: the '\r' is not part of the line's length. */
	if (last == '\r') {
		(*total)--;
		if (n > *total)
			n = *total;
	}
	buf[n] = '\0';
	return true;
}

/* A line the reader refuses (too long, a NUL byte) may be a service's command or continue one:
 * then validation does not add "has no command" to the error already given for it. */
static void note_bad_command_line(struct loader *ld, const char *raw)
{
	const char *p = raw, *end;

	if (ld->sec != SEC_SERVICE)
		return;
	while (is_blank(*p))
		p++;
	if (p > raw && ld->has_key) {
		if (ld->prev_key && strcmp(ld->prev_key->name, "command") == 0)
			ld->command_bad[ld->svc] = true;
		return;
	}
	end = p + strcspn(p, "=:");
	while (end > p && is_blank(end[-1]))
		end--;
	if ((size_t)(end - p) == strlen("command") && strncmp(p, "command", 7) == 0)
		ld->command_bad[ld->svc] = true;
}

static char *ld_read(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	char raw[CFG_LINE_MAX + 2];
	size_t total, limit = CFG_LINE_MAX;
	const char *out;
	int first;
	bool nul;

	if (num < 2 || ld->read_err || ld->read_stop ||
	    !read_line(ld, raw, sizeof(raw), &total, &first, &nul))
		return NULL;
	if (ld->read_err)
		return NULL;
	if ((size_t)num - 1 < limit)
		limit = (size_t)num - 1;
	ld->lineno++;
	ld->kind = LINE_OTHER;
	if (first < 0 || first == ';' || first == '#') {
		/* Blank or comment: any length is fine since inih never sees it. */
		out = "";
	} else if (++ld->nkey_lines > CFG_KEYS_MAX) {
		/* Stop here: whatever follows is not a config anyone wrote by hand. */
		ld_error(ld, ld->lineno,
			 "too many lines of keys and sections (limit %d): the rest of the file is "
			 "not read; check that this is the right file",
			 CFG_KEYS_MAX);
		ld->read_stop = true;
		return NULL;
	} else if (total > limit) {
		ld_error(ld, ld->lineno,
			 "line too long (%zu characters, limit %zu): continue the value on an "
			 "indented next line",
			 total, limit);
		note_bad_command_line(ld, raw);
		out = bad_line(ld);
	} else if (nul) {
		ld_error(ld, ld->lineno, "line holds a NUL byte: the file must be plain text");
		note_bad_command_line(ld, raw);
		out = bad_line(ld);
	} else {
		out = classify(ld, raw);
	}
	memmove(str, out, strlen(out) + 1); /* out may point into raw; it fits: <= limit */
	return str;
}

static int ld_handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	const struct key_def *keys, *key;
	char label[LABEL_MAX];
	int n, *lines, idx;

	(void)section; /* ours is tracked by the reader, with the service index */
	if (ld->kind == LINE_BAD) {
		ld->prev_key = NULL;
		return 1;
	}
	if (ld->kind == LINE_CONT) {
		key = ld->prev_key;
		if (!key)
			return 1;
		if (!key->list) {
			ld_error(
				ld, ld->lineno,
				"%s already set at line %d: only command, depends_on, "
				"environment, main_after, mount_tmpfs, stale_files, writable_paths, "
				"supplementary_groups, capabilities and seccomp = deny: continue on "
				"indented lines",
				key->name, ld->prev_key_line);
			ld->prev_key = NULL;
			return 1;
		}
		key->set(ld, key->name, value);
		return 1;
	}
	ld->prev_key = NULL;
	if (ld->kind != LINE_KEY)
		return 1; /* not expected: the reader classifies every line inih passes on */
	if (ld->sec == SEC_NONE) {
		ld_error(ld, ld->lineno,
			 "key '%s' is outside any section: put it under [init], [main] or "
			 "[service:NAME]",
			 name);
		return 1;
	}
	keys = section_keys(ld, &n, &lines);
	if (!keys)
		return 1;
	if (!*name) {
		ld_error(ld, ld->lineno, "no key name before '=' in %s: write KEY = VALUE",
			 sec_label(ld, label, sizeof(label)));
		return 1;
	}
	key = find_key(keys, n, name, strlen(name));
	if (!key) {
		unknown_key(ld, keys, n, name);
		return 1;
	}
	idx = (int)(key - keys);
	if (lines[idx] && !key->repeatable) {
		ld_error(ld, ld->lineno, "%s already set at line %d: %s", name, lines[idx],
			 key->list ? "continue it on indented lines instead of repeating the key"
				   : "remove one of the two lines");
		return 1;
	}
	if (!lines[idx])
		lines[idx] = ld->lineno;
	ld->prev_key = key;
	ld->prev_key_line = ld->lineno;
	key->set(ld, name, value);
	return 1;
}

enum { WHITE, GRAY, BLACK };

/* cyc[0..m-1]: each depends on the next, the last on the first. Named from its service that
 * comes first in the file, and reported at that service's header. */
static void report_cycle(struct loader *ld, const int *cyc, int m)
{
	struct config *cfg = ld->cfg;
	char msg[MAX_SERVICES * (SVC_NAME_MAX + 4) + 8];
	size_t pos = 0;
	int k, start = 0;

	for (k = 1; k < m; k++)
		if (cyc[k] < cyc[start])
			start = k;
	msg[0] = '\0';
	for (k = 0; k <= m && pos < sizeof(msg); k++)
		pos += (size_t)snprintf(msg + pos, sizeof(msg) - pos, "%s%s", k ? " -> " : "",
					cfg->services[cyc[(start + k) % m]].name);
	ld_error(ld, cfg->services[cyc[start]].line,
		 "dependency cycle: %s: remove one of these depends_on", msg);
}

/* Depth-first search; a dependency on a service still on the path closes a cycle. Each back
 * edge is met once, so each reported cycle is distinct. */
static void find_cycles(struct loader *ld, int v, int *color, int *path, int depth)
{
	struct cfg_service *svc = &ld->cfg->services[v];
	int i, k;

	color[v] = GRAY;
	path[depth] = v;
	for (i = 0; i < svc->ndeps; i++) {
		int d = svc->dep_idx[i];

		if (d < 0)
			continue;
		if (color[d] == WHITE) {
			find_cycles(ld, d, color, path, depth + 1);
		} else if (color[d] == GRAY) {
			for (k = 0; path[k] != d; k++)
				;
			report_cycle(ld, path + k, depth - k + 1);
		}
	}
	color[v] = BLACK;
}

/* Readiness, health and sd_notify rules of one service. */
static void validate_notify(struct loader *ld, struct cfg_service *svc, const int *lines)
{
	const char *dir = ld->cfg->runtime_dir ? ld->cfg->runtime_dir : "";
	size_t n;

	if (svc->type == SVC_NOTIFY && !lines[SK_READY])
		svc->ready.kind = PROBE_NOTIFY;
	if (svc->type == SVC_ONESHOT) {
		if (lines[SK_READY])
			ld_error(ld, lines[SK_READY],
				 "ready does not apply to a oneshot: it is ready once it exits 0; "
				 "remove ready from [service:%s]",
				 svc->name);
		if (lines[SK_HEALTH])
			ld_error(ld, lines[SK_HEALTH],
				 "health does not apply to a oneshot: it is ready once it exits 0; "
				 "remove health from [service:%s]",
				 svc->name);
	}
	if (!lines[SK_NOTIFY_ACCESS]) {
		svc->notify_access = svc->ready.kind == PROBE_NOTIFY || svc->watchdog_ms > 0
					     ? NOTIFY_ACCESS_MAIN
					     : NOTIFY_ACCESS_NONE;
	} else if (svc->notify_access == NOTIFY_ACCESS_NONE) {
		if (svc->ready.kind == PROBE_NOTIFY)
			ld_error(ld, lines[SK_NOTIFY_ACCESS],
				 "notify_access = none leaves no way to send READY=1 for ready = "
				 "notify%s in [service:%s]: use notify_access = main",
				 lines[SK_READY] ? "" : " (implied by type = notify)", svc->name);
		if (svc->watchdog_ms > 0)
			ld_error(
				ld, lines[SK_NOTIFY_ACCESS],
				"notify_access = none leaves no way to send WATCHDOG=1 for watchdog "
				"in [service:%s]: use notify_access = main or remove watchdog",
				svc->name);
	}
	svc->notify_socket = svc->notify_access == NOTIFY_ACCESS_MAIN;
	n = strlen(dir) + 1 + strlen(svc->name) + strlen(NOTIFY_SUFFIX);
	if (svc->notify_socket && n > SUN_PATH_MAX)
		ld_error(ld, svc->line,
			 "notify socket path %s/%s" NOTIFY_SUFFIX " is too long (%zu bytes, limit "
			 "%zu): set a shorter runtime_dir in [init] or a shorter service name",
			 dir, svc->name, n, SUN_PATH_MAX);
}

/* group = may come without user = (the process keeps its uid), and so may supplementary_groups.
 * With user = and no group =, the user's primary group from passwd applies: gid holds it too,
 * while set_group stays false (the runtime uses user_gid then, the same value). */
static void validate_privs(struct loader *ld, struct cfg_privs *p, int idx, int seccomp_line,
			   const char *label)
{
	if (p->set_user && !p->set_group)
		p->gid = p->user_gid;
	if (p->seccomp != SECCOMP_DENY || p->nseccomp > 0 || ld->deny_unknown[idx] > 0)
		return;
	if (ld->deny_names[idx] == 0)
		ld_error(ld, seccomp_line,
			 "seccomp = deny: in %s names no syscall: list some, as in "
			 "deny:mount,umount2, or use seccomp = none",
			 label);
	else /* every name was of a syscall this architecture lacks */
		ld_error(ld, seccomp_line,
			 "seccomp = deny: in %s denies no syscall of this architecture: list "
			 "some it has, or use seccomp = none",
			 label);
}

/* replaced:NAME must name a service; arg:OPTION means nothing in `when` (the arguments are
 * another service's business there). */
static void check_conds(struct loader *ld, const struct cfg_service *svc, const struct cond_list *l,
			int line, const char *key)
{
	for (int i = 0; i < l->n; i++) {
		const struct cond *c = &l->v[i];

		if (c->kind == COND_REPLACED && cfg_find_service(ld->cfg, c->name) < 0)
			ld_error(ld, line,
				 "%s of [service:%s] names unknown service '%s' in "
				 "replaced:%s",
				 key, svc->name, c->name, c->name);
		if (c->kind == COND_ARG && strcmp(key, "when") == 0)
			ld_error(ld, line,
				 "arg:%s in when of [service:%s]: arg: conditions are "
				 "for args_if only",
				 c->name, svc->name);
	}
}

static void validate_conditions(struct loader *ld, const struct cfg_service *svc)
{
	check_conds(ld, svc, &svc->when, svc->when_line, "when");
	for (int i = 0; i < svc->nargs_if; i++)
		check_conds(ld, svc, &svc->args_if[i].cond, svc->args_if[i].line, "args_if");
}

static void validate(struct loader *ld)
{
	struct config *cfg = ld->cfg;
	int color[MAX_SERVICES] = { 0 }, path[MAX_SERVICES];
	bool placed[MAX_SERVICES] = { false };
	char a[32], b[32], label[LABEL_MAX];
	int i, j, k, n;

	for (i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];
		int *lines = ld->svc_lines[i];

		if (svc->argc == 0 && !ld->command_bad[i])
			ld_error(
				ld, svc->line,
				"service '%s' has no command: add command = /path/to/program [args]",
				svc->name);
		if (svc->type == SVC_ONESHOT) {
			if (!lines[SK_RESTART])
				svc->restart = RESTART_NO;
			else if (svc->restart == RESTART_ALWAYS)
				ld_error(ld, lines[SK_RESTART],
					 "restart = always does not fit oneshot service '%s': use "
					 "on-failure or no",
					 svc->name);
		}
		validate_notify(ld, svc, lines);
		snprintf(label, sizeof(label), "[service:%s]", svc->name);
		validate_privs(ld, &svc->privs, i, lines[SK_PRIVS + PK_SECCOMP], label);
		if (svc->restart_delay_max_ms < svc->restart_delay_ms)
			ld_error(ld, svc->line,
				 "restart_delay_max (%s) is shorter than restart_delay (%s) in "
				 "[service:%s]: raise restart_delay_max or lower restart_delay",
				 format_duration(svc->restart_delay_max_ms, a, sizeof(a)),
				 format_duration(svc->restart_delay_ms, b, sizeof(b)), svc->name);
		validate_conditions(ld, svc);
		for (j = 0; j < svc->ndeps; j++) {
			svc->dep_idx[j] = cfg_find_service(cfg, svc->deps[j]);
			if (svc->dep_idx[j] < 0)
				ld_error(ld, svc->dep_line[j],
					 "service '%s' depends on unknown service '%s': define "
					 "[service:%s] or remove it from depends_on",
					 svc->name, svc->deps[j], svc->deps[j]);
		}
	}

	for (i = 0; i < cfg->nservices; i++)
		if (color[i] == WHITE)
			find_cycles(ld, i, color, path, 0);

	/* Kahn's algorithm, taking the ready service that comes first in the file each time, so
	 * the order is stable and matches the file where dependencies allow. */
	for (n = 0; n < cfg->nservices; n++) {
		for (i = 0; i < cfg->nservices; i++) {
			if (placed[i])
				continue;
			for (k = 0; k < cfg->services[i].ndeps; k++) {
				int d = cfg->services[i].dep_idx[k];

				if (d >= 0 && !placed[d])
					break;
			}
			if (k == cfg->services[i].ndeps)
				break;
		}
		if (i == cfg->nservices)
			break; /* the rest sits on a cycle, already reported */
		placed[i] = true;
		cfg->order[n] = i;
	}
	for (i = 0; i < cfg->nservices && n < cfg->nservices; i++)
		if (!placed[i])
			cfg->order[n++] = i;

	if (cfg->main_after_set) {
		k = 0;
		for (j = 0; j < cfg->nmain_after; j++) {
			i = cfg_find_service(cfg, cfg->main_after_names[j]);
			if (i < 0)
				ld_error(
					ld, ld->main_after_lines[j],
					"main_after names unknown service '%s': define [service:%s] "
					"or remove it from main_after",
					cfg->main_after_names[j], cfg->main_after_names[j]);
			else
				cfg->main_after[k++] = i;
		}
		cfg->nmain_after = k; /* the resolved ones; every name stays owned for release */
	} else {
		cfg->nmain_after = 0;
		for (n = 0; n < cfg->nservices; n++)
			if (cfg->services[cfg->order[n]].type != SVC_ONESHOT)
				cfg->main_after[cfg->nmain_after++] = cfg->order[n];
	}

	validate_privs(ld, &cfg->main.privs, MAX_SERVICES, ld->main_lines[MK_PRIVS + PK_SECCOMP],
		       "[main]");
	cfg->args_to_idx = cfg->args_to ? cfg_find_service(cfg, cfg->args_to) : -1;
	if (cfg->args_to && cfg->args_to_idx < 0)
		ld_error(
			ld, ld->init_lines[IK_ARGS_TO],
			"args_to names unknown service '%s': define [service:%s] or remove args_to",
			cfg->args_to, cfg->args_to);
}

void cfg_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->shutdown_timeout_ms = 30 * 1000;
	cfg->on_main_exit = ON_MAIN_EXIT_SHUTDOWN;
	cfg->main_after_set = false;
	cfg->main.stop_signal = 0;
	cfg->main.stop_timeout_ms = 10 * 1000;
	privs_defaults(&cfg->main.privs);
	cfg->strict_config = true;
	cfg->control_socket = default_control_socket;
	cfg->runtime_dir = default_runtime_dir;
	cfg->setup.setup = TRI_AUTO;
	default_paths(cfg->setup.mount_tmpfs, &cfg->setup.nmount_tmpfs, default_mount_tmpfs,
		      NDEFAULT_MOUNT_TMPFS);
	cfg->setup.securityfs = TRI_AUTO;
	cfg->setup.sys_rw = TRI_AUTO;
	cfg->setup.cgroups = CGROUPS_AUTO;
	cfg->setup.iptables = IPTABLES_AUTO;
	cfg->setup.mtu_auto = true;
	cfg->setup.make_rshared = true;
	default_paths(cfg->setup.stale_files, &cfg->setup.nstale_files, default_stale_files,
		      NDEFAULT_STALE_FILES);
	cfg->setup.rlimit_nofile = RLIMIT_NOFILE_HARD;
	cfg->setup.data_root = (char *)default_data_root; /* see default_paths */
	cfg->setup.preflight = TRI_AUTO;
	default_paths(cfg->setup.writable_paths, &cfg->setup.nwritable_paths,
		      default_writable_paths, NDEFAULT_WRITABLE_PATHS);
	cfg->service_output = OUTPUT_STDOUT;
	cfg->args_to = NULL;
	cfg->args_to_idx = -1;
	cfg->require_socket = NULL;
}

static void free_errors(struct config *cfg)
{
	int i;

	if (cfg->errors)
		for (i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
			free(cfg->errors[i]);
	free(cfg->errors);
	cfg->errors = NULL;
	cfg->nerrors = 0;
}

void cfg_release(struct config *cfg)
{
	int i, j;

	free(cfg->path);
	set_owned(&cfg->control_socket, default_control_socket, NULL);
	set_owned(&cfg->runtime_dir, default_runtime_dir, NULL);
	for (i = 0; i < MAX_SERVICES; i++)
		free(cfg->main_after_names[i]);
	clear_paths(cfg->setup.mount_tmpfs, &cfg->setup.nmount_tmpfs);
	clear_paths(cfg->setup.stale_files, &cfg->setup.nstale_files);
	clear_paths(cfg->setup.writable_paths, &cfg->setup.nwritable_paths);
	free_setup_str(cfg->setup.data_root);
	free(cfg->args_to);
	free(cfg->control_group);
	free(cfg->require_socket);
	cfg->require_socket = NULL;
	for (i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];

		argv_free(svc->argv);
		free(svc->command_text);
		for (j = 0; j < svc->nargs_if; j++) {
			cond_release(&svc->args_if[j].cond);
			free(svc->args_if[j].words);
			free(svc->args_if[j].expanded);
		}
		cond_release(&svc->when);
		for (j = 0; j < svc->ndeps; j++)
			free(svc->deps[j]);
		for (j = 0; j < svc->nenv; j++)
			free(svc->env[j]);
		free(svc->env);
		free(svc->workdir);
		free(svc->log_path);
		probe_spec_release(&svc->ready);
		probe_spec_release(&svc->health);
		free(svc->args_env);
		privs_release(&svc->privs);
	}
	privs_release(&cfg->main.privs);
	free(cfg->insecure_reason);
	free_errors(cfg);
	memset(cfg, 0, sizeof(*cfg));
}

/* Like sshd's StrictModes: whoever can write the file decides what PID 1 runs, and as whom. The
 * owner may be root or the user running dind-init (root in a container; a user running
 * --check-config on their own file gains nothing over themselves). /dev/null is empty and
 * anything else that is not a regular file (a pipe from -c <(...), created by whoever runs the
 * shell) is checked for its owner only: its mode bits say nothing about who writes into it.
 *
 * A file on a read-only mount is safe whatever its owner and mode: nobody in the container can
 * change it (only root, by remounting, and root is whom we would trust anyway). Nor can it be
 * replaced through a writable parent folder: a read-only file there is a mount point of its own
 * (-v FILE:PATH:ro), and a mount point cannot be unlinked or renamed over (EBUSY). The common case
 * is a file bind-mounted read-only from the host, owned by the host user with the host's umask;
 * who may change it on the host is the host's business.
 *
 * Recorded as errors unless CFG_STRICT_ENV=no came from the environment (cfg->strict_config),
 * then kept in cfg->insecure_reason. Never relaxed by the file: [init] strict_config = no would
 * let whoever may write the file switch the check off (set_strict_config refuses it). */
static void check_file_safety(struct loader *ld, const struct stat *st, bool readonly)
{
	struct config *cfg = ld->cfg;
	const char *path = cfg->path;
	unsigned mode = (unsigned)st->st_mode & 07777;
	struct file_risk risk;
	char who[48];

	if (S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 && minor(st->st_rdev) == 3)
		return;
	if (!file_at_risk(st, readonly, &risk))
		return;
	if (!cfg->strict_config) {
		note_insecure(ld, "", path, st, &risk, true);
		return;
	}
	/* The fix usually belongs on the host: the file is bind-mounted from there. */
	if (risk.owner)
		ld_error(ld, 0,
			 "refusing a config file owned by uid %u, %s: mount it read-only (docker "
			 "run -v HOST-FILE:%s:ro), or chown root the file (on the host, if it is "
			 "bind-mounted from there), or start dind-init with %s=no (docker run -e "
			 "%s=no)",
			 (unsigned)st->st_uid, trusted_owners(who, sizeof(who)), path,
			 CFG_STRICT_ENV, CFG_STRICT_ENV);
	if (risk.mode)
		ld_error(ld, 0,
			 "refusing a config file that is writable by group or others (mode %04o): "
			 "mount it read-only (docker run -v HOST-FILE:%s:ro), or chmod go-w the "
			 "file (on the host, if it is bind-mounted from there), or start dind-init "
			 "with %s=no (docker run -e %s=no)",
			 mode, path, CFG_STRICT_ENV, CFG_STRICT_ENV);
}

/* strict: CFG_STRICT_ENV's value, or NULL. */
static int load(struct config *cfg, const char *name, FILE *file, const char *text,
		const struct stat *st, bool readonly, const char *strict)
{
	struct loader *ld;
	int r;

	/* The loader's bookkeeping is a few KB: keep it off PID 1's small stack budget. */
	ld = calloc(1, sizeof(*ld));
	if (!ld)
		return -ENOMEM;
	ld->cfg = cfg;
	ld->file = file;
	ld->text = text;
	cfg->path = strdup(name ? name : "<string>");
	if (!cfg->path) {
		free(ld);
		return -ENOMEM;
	}
	/* Before the parse: the seccomp allow-lists it reads are checked by the same rule. An
	 * empty value counts as unset; a value that is neither yes nor no keeps the check. */
	if (strict && *strict && parse_bool(strict, &cfg->strict_config) < 0)
		ld_error(ld, 0,
			 "bad value '%s' in the environment variable %s: use yes or no (or leave "
			 "it unset: yes)",
			 strict, CFG_STRICT_ENV);
	skip_bom(ld);
	r = ini_parse_stream(ld_read, ld, ld_handler, ld);
	if (ld->read_err) {
		r = ld->read_err;
		free_errors(cfg);
		free(ld);
		return r;
	}
	if (r == -2)
		ld->oom = true;
	else if (r > 0 && cfg->nerrors == 0)
		/* Safety net: inih rejected a line the reader let through. */
		ld_error(ld, r, "cannot parse this line");
	validate(ld);
	if (st)
		check_file_safety(ld, st, readonly);
	sort_errors(ld);
	r = ld->oom ? -ENOMEM : cfg->nerrors ? -EINVAL : 0;
	free(ld);
	return r;
}

int cfg_load_file(struct config *cfg, const char *path)
{
	struct statvfs vfs;
	struct stat st;
	FILE *f;
	int r;

	cfg_init(cfg);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) < 0) {
		r = -errno;
		(void)fclose(f);
		return r;
	}
	/* Of the opened file, not of the path: what we read is what was checked. */
	bool readonly = fstatvfs(fileno(f), &vfs) == 0 && (vfs.f_flag & ST_RDONLY);

	r = load(cfg, path, f, NULL, &st, readonly, getenv(CFG_STRICT_ENV));
	(void)fclose(f); /* read-only: nothing to lose on close */
	return r;
}

int cfg_load_string(struct config *cfg, const char *name, const char *text)
{
	cfg_init(cfg);
	return load(cfg, name, NULL, text ? text : "", NULL, false, NULL);
}

int cfg_find_service(const struct config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nservices; i++)
		if (strcmp(cfg->services[i].name, name) == 0)
			return i;
	return -1;
}

int cfg_append_args(struct config *cfg, int idx, char *const *words, int nwords)
{
	struct cfg_service *svc;
	char **copies, **argv;
	int i;

	if (idx < 0 || idx >= cfg->nservices || nwords < 0)
		return -EINVAL;
	svc = &cfg->services[idx];
	if (nwords == 0)
		return 0;
	if (svc->user_start < 0)
		svc->user_start = svc->argc;
	if (nwords > ARGV_MAX_WORDS - svc->argc ||
	    strings_bytes(svc->argv, svc->argc) + strings_bytes(words, nwords) > ARGV_BYTES_MAX)
		return -E2BIG;
	/* Copy first, so a failure leaves argv as it was. */
	copies = calloc((size_t)nwords, sizeof(*copies));
	if (!copies)
		return -ENOMEM;
	for (i = 0; i < nwords; i++) {
		copies[i] = strdup(words[i]);
		if (!copies[i])
			goto oom;
	}
	argv = realloc(svc->argv, (size_t)(svc->argc + nwords + 1) * sizeof(*argv));
	if (!argv)
		goto oom;
	memcpy(argv + svc->argc, copies, (size_t)nwords * sizeof(*argv));
	svc->argc += nwords;
	argv[svc->argc] = NULL;
	svc->argv = argv;
	free(copies);
	return 0;
oom:
	for (i = 0; i < nwords; i++)
		free(copies[i]);
	free(copies);
	return -ENOMEM;
}

int cfg_replace_command(struct config *cfg, int idx, char *const *words, int nwords)
{
	struct cfg_service *svc;
	char **old;
	int old_argc, r;

	if (idx < 0 || idx >= cfg->nservices || nwords < 1)
		return -EINVAL;
	svc = &cfg->services[idx];
	old = svc->argv;
	old_argc = svc->argc;
	svc->argv = NULL;
	svc->argc = 0;
	svc->user_start = -1;
	r = cfg_append_args(cfg, idx, words, nwords);
	if (r < 0) {
		argv_free(svc->argv);
		svc->argv = old;
		svc->argc = old_argc;
		return r;
	}
	argv_free(old);
	svc->replaced = true;
	svc->user_start = 0;
	return 0;
}

struct resolve_ctx {
	const struct config *cfg;
	const struct cfg_service *svc;
	cfg_getenv_fn *getenv_fn;
	void *ctx;
};

static const char *resolve_getenv(const char *name, void *data)
{
	const struct resolve_ctx *rc = data;

	return rc->getenv_fn(name, rc->ctx);
}

static bool resolve_has_arg(const char *option, void *data)
{
	const struct resolve_ctx *rc = data;
	const struct cfg_service *svc = rc->svc;

	if (svc->user_start < 0)
		return false;
	return args_have_option(svc->argv + svc->user_start, svc->argc - svc->user_start, option);
}

static bool resolve_replaced(const char *name, void *data)
{
	const struct resolve_ctx *rc = data;
	int i = cfg_find_service(rc->cfg, name);

	return i >= 0 && rc->cfg->services[i].replaced;
}

/* Append the words of src (split and expanded) to the growing array v of n words. */
static int resolve_append(struct resolve_ctx *rc, const char *src, char ***v, int *n)
{
	char **words, **grown;
	const char *err;
	int k, r;

	r = argv_split_env(src, resolve_getenv, rc, &words, &k, &err);
	if (r < 0)
		return r == -EINVAL ? -E2BIG : r; /* the syntax was checked when loading */
	if (*n + k > ARGV_MAX_WORDS) {
		argv_free(words);
		return -E2BIG;
	}
	grown = realloc(*v, (size_t)(*n + k + 1) * sizeof(**v));
	if (!grown) {
		argv_free(words);
		return -ENOMEM;
	}
	memcpy(grown + *n, words, (size_t)k * sizeof(*words));
	*n += k;
	grown[*n] = NULL;
	*v = grown;
	free(words);
	return 0;
}

/* control_group, expanded: a number, or a name from the group file. */
static int resolve_control_group(struct config *cfg, struct resolve_ctx *rc, char *err, size_t len)
{
	struct account a = { 0 };
	const char *e;
	uint32_t id;
	char **w;
	int n, r;

	cfg->has_control_gid = false;
	if (!cfg->control_group)
		return 0;
	r = argv_split_env(cfg->control_group, resolve_getenv, rc, &w, &n, &e);
	if (r < 0) {
		snprintf(err, len, "control_group %s: %s", cfg->control_group, e);
		return r;
	}
	if (n == 0 || strcmp(w[0], "none") == 0) {
		argv_free(w);
		return 0; /* expanded to nothing: root only */
	}
	if (all_digits(w[0], strlen(w[0]))) {
		r = parse_id(w[0], strlen(w[0]), &id) ? 1 : -ERANGE;
	} else {
		r = account_find(group_file, false, w[0], strlen(w[0]), 0, &a);
		id = a.id;
		free(a.name);
	}
	if (r <= 0) {
		snprintf(err, len,
			 r == -ERANGE ? "control_group '%s' (%s): a gid is at most 4294967294"
			 : r == 0     ? "control_group '%s' (%s): no such group in the group file; "
					"use a number"
				  : "control_group '%s' (%s): cannot read the group file; use a "
				    "number",
			 w[0], cfg->control_group);
		argv_free(w);
		return r < 0 ? r : -ENOENT;
	}
	argv_free(w);
	cfg->control_gid = id;
	cfg->has_control_gid = true;
	return 0;
}

int cfg_resolve(struct config *cfg, cfg_getenv_fn *getenv_fn, void *ctx, char *err, size_t len)
{
	struct resolve_ctx grc = { cfg, NULL, getenv_fn, ctx };
	int gr = resolve_control_group(cfg, &grc, err, len);

	if (gr < 0)
		return gr;
	for (int i = 0; i < cfg->nservices; i++) {
		struct cfg_service *svc = &cfg->services[i];
		struct resolve_ctx rc = { cfg, svc, getenv_fn, ctx };
		struct cond_env env = { resolve_getenv, resolve_has_arg, resolve_replaced, &rc };
		int start = svc->user_start < 0 ? svc->argc : svc->user_start;
		char **v = NULL;
		int n = 0, r = 0;

		svc->skip = svc->when.n > 0 && !cond_eval(&svc->when, &env);
		/* The configured command, expanded now; or the one COMMAND gave, as it is. */
		if (!svc->replaced)
			r = resolve_append(&rc, svc->command_text ? svc->command_text : "", &v, &n);
		int base = n;

		if (r == 0 && svc->argc - start > ARGV_MAX_WORDS - n)
			r = -E2BIG;
		if (r == 0) {
			char **grown = realloc(v, (size_t)(n + svc->argc - start + 1) * sizeof(*v));

			if (!grown)
				r = -ENOMEM;
			else
				v = grown;
		}
		for (int k = start; r == 0 && k < svc->argc; k++) {
			v[n] = strdup(svc->argv[k]);
			if (!v[n])
				r = -ENOMEM;
			else
				v[++n] = NULL;
		}
		/* Conditions look at the arguments from outside as they came, before any args_if.
		 */
		for (int k = 0; r == 0 && k < svc->nargs_if; k++) {
			struct cfg_args_if *a = &svc->args_if[k];

			int n0 = n;

			a->held = cond_eval(&a->cond, &env);
			if (a->held)
				r = resolve_append(&rc, a->words ? a->words : "", &v, &n);
			if (r == 0 && a->held) {
				char *shown = malloc(1024);

				if (shown)
					(void)argv_format(v + n0, shown, 1024);
				free(a->expanded);
				a->expanded = shown;
			}
		}
		if (r == 0 && strings_bytes(v, n) > ARGV_BYTES_MAX)
			r = -E2BIG;
		if (r == 0 && n == 0)
			r = -EINVAL;
		if (r < 0) {
			if (v) {
				v[n] = NULL;
				argv_free(v);
			}
			snprintf(err, len,
				 r == -E2BIG ? "the command line of service %s is too long after "
					       "${...} and args_if (limits: %d words, %d bytes)"
				 : r == -EINVAL
					 ? "the command line of service %s is empty after "
					   "${...} expansion (limits: %d words, %d bytes)"
					 : "out of memory making the command line of service "
					   "%s (limits: %d words, %d bytes)",
				 svc->name, ARGV_MAX_WORDS, ARGV_BYTES_MAX);
			return r;
		}
		if (svc->user_start >= 0)
			svc->user_start = base; /* the arguments from outside follow the command */
		argv_free(svc->argv);
		svc->argv = v;
		svc->argc = n;
	}
	cfg->resolved = true;
	return 0;
}

static bool paths_are(char *const *paths, int n, const char *const *dflt, int ndflt)
{
	int i;

	if (n != ndflt)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(paths[i], dflt[i]) != 0)
			return false;
	return true;
}

static void print_paths(FILE *out, const char *sep, const char *key, char *const *paths, int n)
{
	int i;

	fprintf(out, "%s%s=", sep, key);
	if (n == 0)
		fprintf(out, "(none)");
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? "," : "", paths[i]);
}

/* Separator before the next setup item: opens the line on the first one. */
static const char *setup_sep(FILE *out, bool *any)
{
	if (*any)
		return ", ";
	*any = true;
	fprintf(out, "container setup:");
	return " ";
}

/* One line with the setup keys that differ from their defaults; nothing when none do. */
static void print_setup(const struct config *cfg, FILE *out)
{
	static const char *const tri[] = { "auto", "yes", "no" };
	static const char *const cgroups[] = { "auto", "v1", "v2", "no" };
	static const char *const iptables[] = { "auto", "legacy", "nft", "no" };
	const struct cfg_setup *s = &cfg->setup;
	bool any = false;

	if (s->setup != TRI_AUTO)
		fprintf(out, "%ssetup=%s", setup_sep(out, &any), tri[s->setup]);
	if (!paths_are(s->mount_tmpfs, s->nmount_tmpfs, default_mount_tmpfs, NDEFAULT_MOUNT_TMPFS))
		print_paths(out, setup_sep(out, &any), "mount_tmpfs", s->mount_tmpfs,
			    s->nmount_tmpfs);
	if (s->securityfs != TRI_AUTO)
		fprintf(out, "%ssecurityfs=%s", setup_sep(out, &any), tri[s->securityfs]);
	if (s->sys_rw != TRI_AUTO)
		fprintf(out, "%ssys_rw=%s", setup_sep(out, &any), tri[s->sys_rw]);
	if (s->cgroups != CGROUPS_AUTO)
		fprintf(out, "%scgroups=%s", setup_sep(out, &any), cgroups[s->cgroups]);
	if (s->iptables != IPTABLES_AUTO)
		fprintf(out, "%siptables=%s", setup_sep(out, &any), iptables[s->iptables]);
	if (!s->make_rshared)
		fprintf(out, "%smake_rshared=no", setup_sep(out, &any));
	if (!paths_are(s->stale_files, s->nstale_files, default_stale_files, NDEFAULT_STALE_FILES))
		print_paths(out, setup_sep(out, &any), "stale_files", s->stale_files,
			    s->nstale_files);
	if (s->rlimit_nofile == RLIMIT_NOFILE_KEEP)
		fprintf(out, "%srlimit_nofile=keep", setup_sep(out, &any));
	else if (s->rlimit_nofile != RLIMIT_NOFILE_HARD)
		fprintf(out, "%srlimit_nofile=%ld", setup_sep(out, &any), s->rlimit_nofile);
	if (!s->data_root || strcmp(s->data_root, default_data_root) != 0)
		fprintf(out, "%sdata_root=%s", setup_sep(out, &any),
			s->data_root ? s->data_root : "none");
	if (s->preflight != TRI_AUTO)
		fprintf(out, "%spreflight=%s", setup_sep(out, &any), tri[s->preflight]);
	if (!s->mtu_auto)
		fprintf(out, "%smtu=no", setup_sep(out, &any));
	if (!paths_are(s->writable_paths, s->nwritable_paths, default_writable_paths,
		       NDEFAULT_WRITABLE_PATHS))
		print_paths(out, setup_sep(out, &any), "writable_paths", s->writable_paths,
			    s->nwritable_paths);
	if (any)
		fprintf(out, "\n");
}

/* "user=NAME  seccomp=MODE" for what is set, each item after sep (then two blanks); nothing
 * when neither is. */
static void print_privs(const struct cfg_privs *p, const char *sep, FILE *out)
{
	int i;

	if (p->set_user && p->user_name)
		fprintf(out, "%suser=%s", sep, p->user_name);
	else if (p->set_user)
		fprintf(out, "%suser=%u", sep, (unsigned)p->uid);
	if (p->set_user)
		sep = "  ";
	switch (p->seccomp) {
	case SECCOMP_NONE:
		break;
	case SECCOMP_DEFAULT:
		fprintf(out, "%sseccomp=default", sep);
		break;
	case SECCOMP_DENY:
		fprintf(out, "%sseccomp=deny:", sep);
		for (i = 0; i < p->nseccomp; i++) {
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
								      p->seccomp_syscalls[i]);

			if (name)
				fprintf(out, "%s%s", i ? "," : "", name);
			else
				fprintf(out, "%s%d", i ? "," : "", p->seccomp_syscalls[i]);
			free(name);
		}
		break;
	case SECCOMP_ALLOW:
		fprintf(out, "%sseccomp=%s", sep,
			p->seccomp_file ? p->seccomp_file : "(allow-list)");
		break;
	}
}

/* when and args_if lines, and whether they held when the command line was made. */
static void print_conditions(const struct config *cfg, const struct cfg_service *svc, FILE *out)
{
	char conds[512];

	if (svc->when.n > 0)
		fprintf(out, "       when %s%s\n", cond_format(&svc->when, conds, sizeof(conds)),
			!cfg->resolved ? ""
			: svc->skip    ? "  -> no: skipped"
				       : "  -> yes");
	for (int k = 0; k < svc->nargs_if; k++) {
		const struct cfg_args_if *a = &svc->args_if[k];

		fprintf(out, "       args_if %s : %s%s\n",
			cond_format(&a->cond, conds, sizeof(conds)), a->words ? a->words : "",
			!cfg->resolved ? ""
			: a->held      ? "  -> yes"
				       : "  -> no");
	}
}

void cfg_print(const struct config *cfg, FILE *out)
{
	static const char *const types[] = { "simple", "notify", "oneshot" };
	static const char *const restarts[] = { "always", "on-failure", "no" };
	char cmd[1024], probe[256];
	int i, j, width = 0;

	for (i = 0; i < cfg->nservices; i++) {
		int w = (int)strlen(cfg->services[i].name);

		if (w > width)
			width = w;
	}
	if (cfg->nservices == 0)
		fprintf(out, "%s: no services\n", cfg->path ? cfg->path : "<config>");
	else
		fprintf(out, "%s: %d service%s, in start order:\n",
			cfg->path ? cfg->path : "<config>", cfg->nservices,
			cfg->nservices == 1 ? "" : "s");
	for (i = 0; i < cfg->nservices; i++) {
		const struct cfg_service *svc = &cfg->services[cfg->order[i]];

		fprintf(out, "  %d. %-*s  %-7s  restart=%-10s", i + 1, width, svc->name,
			types[svc->type], restarts[svc->restart]);
		if (svc->critical)
			fprintf(out, "  critical");
		for (j = 0; j < svc->ndeps; j++)
			fprintf(out, "%s%s", j ? "," : "  after ", svc->deps[j]);
		if (svc->ready.kind != PROBE_NONE)
			fprintf(out, "  ready=%s",
				probe_spec_format(&svc->ready, probe, sizeof(probe)));
		if (svc->health.kind != PROBE_NONE)
			fprintf(out, "  health=%s",
				probe_spec_format(&svc->health, probe, sizeof(probe)));
		print_privs(&svc->privs, "  ", out);
		if (cfg->resolved && svc->skip)
			fprintf(out, "  SKIPPED");
		fprintf(out, "  %s\n",
			svc->argc ? argv_format(svc->argv, cmd, sizeof(cmd)) : "(no command)");
		print_conditions(cfg, svc, out);
	}
	fprintf(out, "main command starts after:");
	if (cfg->nmain_after == 0)
		fprintf(out, " (none)");
	for (i = 0; i < cfg->nmain_after; i++)
		fprintf(out, "%s%s", i ? ", " : " ", cfg->services[cfg->main_after[i]].name);
	fprintf(out, "\n");
	if (cfg->main.privs.set_user || cfg->main.privs.seccomp != SECCOMP_NONE) {
		fprintf(out, "main command runs with:");
		print_privs(&cfg->main.privs, " ", out);
		fprintf(out, "\n");
	}
	if (cfg->args_to)
		fprintf(out, "COMMAND arguments starting with '-' go to: %s\n", cfg->args_to);
	if (cfg->control_group && cfg->resolved && cfg->has_control_gid)
		fprintf(out, "dind-ctl status, health and wait: also for group %u (%s)\n",
			(unsigned)cfg->control_gid, cfg->control_group);
	else if (cfg->control_group)
		fprintf(out, "dind-ctl status, health and wait: also for group %s\n",
			cfg->control_group);
	if (cfg->service_output != OUTPUT_STDOUT)
		fprintf(out, "service output goes to: stderr\n");
	print_setup(cfg, out);
}

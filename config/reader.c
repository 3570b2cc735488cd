/* The line reader: inih drives the parse, our own reader sees every raw line first.
 *
 * inih reports only the first bad line and gives the handler no line number (Debian builds it
 * with INI_HANDLER_LINENO 0), so the reader below counts lines, classifies each one exactly as
 * inih will, records a clear error for every line inih would reject, and hands inih a harmless
 * replacement for those. The handler then applies keys knowing the line and the section. Also
 * here: cfg_load_file and cfg_load_string, which run the reader, validation (validate.c) and the
 * safety check of the file (file_safety.c). */
#include "config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <sys/statvfs.h>

#include "config/file_safety.h"
#include "config/keys.h"
#include "config/loader.h"
#include "config/parse.h"
#include "config/validate.h"
#include "config/values.h"

/* inih's line replacement for a rejected line: a valid key line the handler knows to ignore, so
 * indented lines after it are dropped instead of continuing an earlier key. */
#define BAD_LINE_STANDIN "-="

/* inih's find_chars_or_comment: the first of chars, or a ';' that follows a blank. */
static char *find_chars_or_comment(char *s, const char *chars)
{
	bool was_blank = false;

	while (*s && (!chars || !strchr(chars, *s)) && !(was_blank && *s == ';')) {
		was_blank = ld_is_blank(*s);
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

/* The current section as the key table names it (S_INIT, S_MAIN, S_SVC); 0 outside a usable
 * section. */
static unsigned section_bit(const struct loader *ld)
{
	return ld->sec == SEC_INIT	? S_INIT
	       : ld->sec == SEC_MAIN	? S_MAIN
	       : ld->sec == SEC_SERVICE ? S_SVC
					: 0;
}

/* Where ld->key_lines keeps the current section's keys. */
static int slot(const struct loader *ld)
{
	return ld->sec == SEC_INIT ? SLOT_INIT : ld->sec == SEC_MAIN ? SLOT_MAIN : ld->svc;
}

/* True when an indented line reads like "key = ..." for a key of the current section. */
static bool looks_like_key(struct loader *ld, const char *p)
{
	size_t len = 0;

	while ((p[len] >= 'a' && p[len] <= 'z') || p[len] == '_')
		len++;
	if (!key_find(section_bit(ld), p, len))
		return false;
	while (p[len] == ' ' || p[len] == '\t')
		len++;
	return p[len] == '=' || p[len] == ':';
}

/* A "[...]" header whose name (between the brackets, trimmed) is name. */
static void section_header(struct loader *ld, char *name)
{
	struct config *cfg = ld->cfg;
	char *svc_name;
	int i;

	name = ld_rstrip(ld_lskip(name));
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
	svc_name = ld_lskip(name + 8);
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
	keys_service_defaults(&cfg->services[ld->svc]);
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
	rest = ld_lskip(end + 1);
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

	ld_rstrip(line);
	p = ld_lskip(line);
	if (p > line && ld->has_key) {
		/* inih r55 keeps inline comments on continuation lines, later versions strip
		 * them: strip them here so the result does not depend on the version. */
		end = find_chars_or_comment(p, NULL);
		*end = '\0';
		ld_rstrip(p);
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
		if (*first < 0 && !ld_is_blank((char)c))
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
	while (ld_is_blank(*p))
		p++;
	if (p > raw && ld->has_key) {
		if (ld->prev_key && strcmp(ld->prev_key->name, "command") == 0)
			ld->command_bad[ld->svc] = true;
		return;
	}
	end = p + strcspn(p, "=:");
	while (end > p && ld_is_blank(end[-1]))
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
	const struct key_def *key;
	char label[LABEL_MAX];
	int *set_at;

	(void)section; /* ours is tracked by the reader, with the service index */
	if (ld->kind == LINE_BAD) {
		ld->prev_key = NULL;
		return 1;
	}
	if (ld->kind == LINE_CONT) {
		key = ld->prev_key;
		if (!key)
			return 1;
		if (!(key->flags & K_LIST)) {
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
		key_apply(ld, key, value);
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
	if (!section_bit(ld))
		return 1;
	if (!*name) {
		ld_error(ld, ld->lineno, "no key name before '=' in %s: write KEY = VALUE",
			 ld_label(ld, label, sizeof(label)));
		return 1;
	}
	key = key_find(section_bit(ld), name, strlen(name));
	if (!key) {
		key_unknown(ld, section_bit(ld), name);
		return 1;
	}
	set_at = &ld->key_lines[slot(ld)][key_index(key)];
	if (*set_at && !(key->flags & K_REPEAT)) {
		ld_error(ld, ld->lineno, "%s already set at line %d: %s", name, *set_at,
			 key->flags & K_LIST
				 ? "continue it on indented lines instead of repeating the key"
				 : "remove one of the two lines");
		return 1;
	}
	if (!*set_at)
		*set_at = ld->lineno;
	ld->prev_key = key;
	ld->prev_key_line = ld->lineno;
	key_apply(ld, key, value);
	return 1;
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
		ld_free_errors(cfg);
		free(ld);
		return r;
	}
	if (r == -2)
		ld->oom = true;
	else if (r > 0 && cfg->nerrors == 0)
		/* Safety net: inih rejected a line the reader let through. */
		ld_error(ld, r, "cannot parse this line");
	ld_validate(ld);
	if (st)
		safety_check_config(ld, st, readonly);
	ld_sort_errors(ld);
	r = ld->oom ? -ENOMEM : cfg->nerrors ? -EINVAL : 0;
	free(ld);
	return r;
}

int cfg_load_file(struct config *cfg, const char *path)
{
	struct statvfs vfs;
	struct stat st;
	FILE *f;
	int fd, r;

	cfg_init(cfg);
	/* Non-blocking: a FIFO at the path must not hold PID 1 in open() (every signal is blocked
	 * by then). A regular file, /dev/null, or a pipe (-c <(...)) that has something to read
	 * within CFG_FIFO_WAIT_MS is read; nothing else. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r == 0 && S_ISFIFO(st.st_mode)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		r = poll(&p, 1, CFG_FIFO_WAIT_MS) > 0 ? 0 : -ETIMEDOUT;
		if (r == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
			r = -errno;
	} else if (r == 0 && !S_ISREG(st.st_mode) &&
		   !(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3)) {
		r = -EMEDIUMTYPE;
	}
	if (r < 0) {
		(void)close(fd);
		return r;
	}
	f = fdopen(fd, "r");
	if (!f) {
		r = -errno;
		(void)close(fd);
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

/* The loader's shared helpers: the error list (every error of a file, sorted by line) and small
 * string and section helpers the key setters use. */
#include "config/loader.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

void ld_error(struct loader *ld, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ld_verror(ld, line, ld->cfg->path, line, fmt, ap);
	va_end(ap);
}

/* An error in another file the config names (a seccomp allow-list), at that file's own line;
 * sorted with the config line being read. file NULL: the config file itself. */
void ld_error_at(struct loader *ld, const char *file, int line, const char *fmt, ...)
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
void ld_sort_errors(struct loader *ld)
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

bool ld_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

char *ld_lskip(char *s)
{
	while (ld_is_blank(*s))
		s++;
	return s;
}

char *ld_rstrip(char *s)
{
	char *p = s + strlen(s);

	while (p > s && ld_is_blank(p[-1]))
		*--p = '\0';
	return s;
}

struct cfg_service *ld_svc(struct loader *ld)
{
	return &ld->cfg->services[ld->svc];
}

/* "[init]", "[main]" or "[service:NAME]" for messages, written into buf. */
const char *ld_label(struct loader *ld, char *buf, size_t len)
{
	if (ld->sec == SEC_SERVICE)
		(void)snprintf(buf, len, "[service:%s]", ld_svc(ld)->name);
	else
		(void)snprintf(buf, len, "%s", ld->sec == SEC_INIT ? "[init]" : "[main]");
	return buf;
}

/* For checking ${...} syntax at load time: every variable unset. */
const char *ld_no_env(const char *name, void *ctx)
{
	(void)name;
	(void)ctx;
	return NULL;
}

/* *text = *text + " " + more (or a copy of more). False when out of memory. */
bool ld_append_text(char **text, const char *more)
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

char *ld_dup(struct loader *ld, const char *s, size_t n)
{
	char *copy = strndup(s, n);

	if (!copy)
		ld->oom = true;
	return copy;
}

/* Comma and/or blank separated names: calls add() for each; stops when add() returns false. */
void ld_for_each_name(struct loader *ld, const char *value,
		      bool (*add)(struct loader *ld, const char *name, size_t len))
{
	const char *p = value;

	for (;;) {
		size_t n;

		while (*p == ',' || ld_is_blank(*p))
			p++;
		if (!*p)
			return;
		n = strcspn(p, ", \t\n\r\v\f");
		if (!add(ld, p, n))
			return;
		p += n;
	}
}

/* What n strings take in execve()'s copy: each one and its NUL. */
size_t ld_strings_bytes(char *const *v, int n)
{
	size_t bytes = 0;
	int i;

	for (i = 0; i < n; i++)
		bytes += strlen(v[i]) + 1;
	return bytes;
}

struct cfg_privs *ld_privs(struct loader *ld)
{
	return ld->sec == SEC_MAIN ? &ld->cfg->main.privs : &ld_svc(ld)->privs;
}

void ld_free_errors(struct config *cfg)
{
	int i;

	if (cfg->errors)
		for (i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
			free(cfg->errors[i]);
	free(cfg->errors);
	cfg->errors = NULL;
	cfg->nerrors = 0;
}

#include "tls/san.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

void san_list_init(struct san_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->alloc = 0;
}

void san_list_release(struct san_list *l)
{
	free(l->v);
	san_list_init(l);
}

static struct san_entry *san_push(struct san_list *l)
{
	if (l->n >= SAN_MAX)
		return NULL;
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? l->alloc * 2 : 16;
		struct san_entry *v;

		if (alloc > SAN_MAX)
			alloc = SAN_MAX;
		v = realloc(l->v, alloc * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->alloc = alloc;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[l->n]));
	return &l->v[l->n++];
}

/* -E2BIG or -ENOMEM for a failed san_push() */
static int san_push_error(const struct san_list *l)
{
	return l->n >= SAN_MAX ? -E2BIG : -ENOMEM;
}

static bool dns_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int san_normalize_dns(const char *name, size_t len, char *out)
{
	size_t label = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > SAN_DNS_MAX)
		return -EINVAL;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? name[i] : '.';

		if (c == '.') {
			if (label == 0 || label > SAN_LABEL_MAX)
				return -EINVAL;
			label = 0;
			continue;
		}
		if (c == '*') {
			/* a wildcard is a whole first label, and not the whole name */
			if (i != 0 || len < 3 || name[1] != '.')
				return -EINVAL;
		} else if (!dns_char(c) || (c == '-' && label == 0)) {
			return -EINVAL;
		}
		label++;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] - 'A' + 'a') : name[i];
	out[len] = '\0';
	return 0;
}

static int san_add_dns_len(struct san_list *l, const char *name, size_t len)
{
	char norm[SAN_DNS_MAX + 1];
	struct san_entry *e;
	int r = san_normalize_dns(name, len, norm);

	if (r < 0)
		return r;
	e = san_push(l);
	if (!e)
		return san_push_error(l);
	e->type = SAN_DNS;
	memcpy(e->text, norm, strlen(norm) + 1);
	return 0;
}

int san_add_dns(struct san_list *l, const char *name)
{
	return san_add_dns_len(l, name, strlen(name));
}

int san_add_ip(struct san_list *l, int family, const void *addr)
{
	struct san_entry *e;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	e = san_push(l);
	if (!e)
		return san_push_error(l);
	e->type = family == AF_INET ? SAN_IPV4 : SAN_IPV6;
	memcpy(e->ip, addr, family == AF_INET ? 4 : 16);
	/* cannot fail: the family is valid and text holds INET6_ADDRSTRLEN bytes */
	(void)inet_ntop(family, addr, e->text, sizeof(e->text));
	return 0;
}

int san_add_ip_text(struct san_list *l, const char *addr)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, addr, buf) == 1)
		return san_add_ip(l, AF_INET, buf);
	if (inet_pton(AF_INET6, addr, buf) == 1)
		return san_add_ip(l, AF_INET6, buf);
	return -EINVAL;
}

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool hex(char c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 5322's atext: what a dot-atom local part is made of besides the dots */
static bool atext(char c)
{
	return alpha(c) || digit(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int san_add_email_len(struct san_list *l, const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	char domain[SAN_DNS_MAX + 1];
	struct san_entry *e;
	size_t local;

	if (!at || len > SAN_EMAIL_MAX)
		return -EINVAL;
	local = (size_t)(at - s);
	if (local == 0 || local > SAN_LOCAL_MAX || s[0] == '.' || s[local - 1] == '.')
		return -EINVAL;
	for (size_t i = 0; i < local; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !atext(s[i]))
			return -EINVAL;
	}
	/* a second '@' is no DNS character; a wildcard is no mail domain */
	if (memchr(at + 1, '*', len - local - 1) ||
	    san_normalize_dns(at + 1, len - local - 1, domain) < 0)
		return -EINVAL;
	e = san_push(l);
	if (!e)
		return san_push_error(l);
	e->type = SAN_EMAIL;
	snprintf(e->text, sizeof(e->text), "%.*s@%s", (int)local, s, domain);
	return 0;
}

int san_add_email(struct san_list *l, const char *addr)
{
	return san_add_email_len(l, addr, strlen(addr));
}

/* RFC 3986's unreserved, gen-delims and sub-delims ('%' is checked apart) */
static bool uri_char(char c)
{
	return alpha(c) || digit(c) || (c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=", c));
}

/* The host of a URI's authority: empty, an IPv6 address in brackets, or dot-separated labels.
 * Go's crypto/x509 refuses an empty label (a trailing dot too), and url.Parse a '%' escape of
 * an ASCII character there: no '%' at all. */
static bool uri_host(const char *h, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned char buf[16];
	size_t label = 0;

	if (len > 0 && h[0] == '[') {
		if (len < 3 || h[len - 1] != ']' || len - 2 >= sizeof(addr))
			return false;
		memcpy(addr, h + 1, len - 2);
		addr[len - 2] = '\0';
		return inet_pton(AF_INET6, addr, buf) == 1;
	}
	for (size_t i = 0; len > 0 && i <= len; i++) {
		char c = i < len ? h[i] : '.';

		if (c == '.' && label == 0)
			return false;
		if (c == '%' || c == '[' || c == ']' || c == '@' || c == ':')
			return false;
		label = c == '.' ? 0 : label + 1;
	}
	return true;
}

/* "//" authority: [userinfo "@"] host [":" port], s[0..len) */
static bool uri_authority(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len), *h = s, *end = s + len, *port;

	if (at) {
		/* userinfo: no '@' (then the host would be ambiguous), no brackets */
		if (memchr(at + 1, '@', (size_t)(end - at - 1)) ||
		    memchr(s, '[', (size_t)(at - s)) || memchr(s, ']', (size_t)(at - s)))
			return false;
		h = at + 1;
	}
	if (h < end && *h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		port = rb ? rb + 1 : end;
		if (!rb || (port < end && *port != ':'))
			return false;
	} else {
		port = memchr(h, ':', (size_t)(end - h));
		port = port ? port : end;
	}
	if (!uri_host(h, (size_t)(port - h)))
		return false;
	for (const char *p = port; p < end; p++) {
		if (p > port && !digit(*p))
			return false;
	}
	return true;
}

static bool uri_valid(const char *s, size_t len)
{
	const char *hash;
	size_t i, rest;

	if (len == 0 || len > SAN_URI_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] == '%' ? i + 2 >= len || !hex(s[i + 1]) || !hex(s[i + 2])
				: !uri_char(s[i]))
			return false;
	}
	/* scheme ":" */
	if (!alpha(s[0]))
		return false;
	for (i = 1; i < len && s[i] != ':'; i++) {
		if (!alpha(s[i]) && !digit(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.')
			return false;
	}
	if (i == len)
		return false;
	i++;
	/* the fragment holds no '#' */
	hash = memchr(s + i, '#', len - i);
	if (hash && memchr(hash + 1, '#', (size_t)(s + len - hash - 1)))
		return false;
	rest = i;
	if (len - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		size_t end = i + 2;

		while (end < len && s[end] != '/' && s[end] != '?' && s[end] != '#')
			end++;
		if (!uri_authority(s + i + 2, end - i - 2))
			return false;
		rest = end;
	}
	/* brackets only around an IPv6 host */
	return !memchr(s + rest, '[', len - rest) && !memchr(s + rest, ']', len - rest);
}

static int san_add_uri_len(struct san_list *l, const char *s, size_t len)
{
	struct san_entry *e;

	if (!uri_valid(s, len))
		return -EINVAL;
	e = san_push(l);
	if (!e)
		return san_push_error(l);
	e->type = SAN_URI;
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	return 0;
}

int san_add_uri(struct san_list *l, const char *uri)
{
	return san_add_uri_len(l, uri, strlen(uri));
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* copy s[0..len) to bad for an error message: printable, cut with "..." when too long */
static void quote_bad(const char *s, size_t len, char *bad, size_t badlen)
{
	size_t n = len;
	bool cut = false;

	if (badlen == 0)
		return;
	if (n >= badlen) {
		n = badlen > 4 ? badlen - 4 : badlen - 1;
		cut = badlen > 4;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		bad[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (cut) {
		memcpy(bad + n, "...", 3);
		n += 3;
	}
	bad[n] = '\0';
}

/* One trimmed entry of DOCKER_TLS_SAN: "DNS:name", "IP:address", "email:address" or "URI:uri". */
static int san_parse_entry(struct san_list *l, const char *s, size_t len)
{
	static const struct {
		const char *prefix;
		enum san_type type;
	} types[] = {
		{ "DNS:", SAN_DNS },
		{ "IP:", SAN_IPV4 },
		{ "email:", SAN_EMAIL },
		{ "URI:", SAN_URI },
	};
	char addr[64];
	size_t t, plen = 0;

	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		plen = strlen(types[t].prefix);
		if (len > plen && strncasecmp(s, types[t].prefix, plen) == 0)
			break;
	}
	if (t == sizeof(types) / sizeof(types[0]))
		return -EINVAL;
	s += plen;
	len -= plen;
	while (len > 0 && blank(*s)) {
		s++;
		len--;
	}
	switch (types[t].type) {
	case SAN_DNS:
		return san_add_dns_len(l, s, len);
	case SAN_EMAIL:
		return san_add_email_len(l, s, len);
	case SAN_URI:
		return san_add_uri_len(l, s, len);
	case SAN_IPV4:
	case SAN_IPV6:
		break;
	}
	if (len == 0 || len >= sizeof(addr))
		return -EINVAL;
	memcpy(addr, s, len);
	addr[len] = '\0';
	return san_add_ip_text(l, addr);
}

int san_parse_spec(struct san_list *l, const char *spec, char *bad, size_t badlen)
{
	const char *p = spec;

	if (badlen > 0)
		bad[0] = '\0';
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		int r;

		p += len + (end ? 1 : 0);
		while (len > 0 && blank(*s)) {
			s++;
			len--;
		}
		while (len > 0 && blank(s[len - 1]))
			len--;
		if (len == 0)
			continue;
		r = san_parse_entry(l, s, len);
		if (r == -EINVAL)
			quote_bad(s, len, bad, badlen);
		if (r < 0)
			return r;
	}
	return 0;
}

/* name (len bytes) and host are the same DNS name: case and one trailing dot aside */
static bool same_name(const char *name, size_t len, const char *host)
{
	size_t hlen = strlen(host);

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (hlen > 0 && host[hlen - 1] == '.')
		hlen--;
	return len == hlen && strncasecmp(name, host, len) == 0;
}

/* Split one /etc/hosts line (without its comment) into fields; returns how many, at most max. */
static size_t hosts_fields(const char *line, size_t len, const char **f, size_t *flen, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == len)
			break;
		f[n] = line + i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
			i++;
		flen[n] = (size_t)(line + i - f[n]);
		n++;
	}
	return n;
}

/* Add the names of the first line of hosts that names host. */
static int san_add_hosts_line(struct san_list *l, const char *host, const char *hosts)
{
	/* glibc reads at most 35 aliases a line (MAXALIASES); more fields are ignored here */
	enum { FIELDS_MAX = 64 };
	const char *f[FIELDS_MAX];
	size_t flen[FIELDS_MAX];

	for (const char *p = hosts; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *hash = memchr(p, '#', len);
		const char *line = p;
		size_t n;
		bool named = false;

		p += len + (nl ? 1 : 0);
		if (hash)
			len = (size_t)(hash - line);
		n = hosts_fields(line, len, f, flen, FIELDS_MAX);
		/* field 0 is the address */
		for (size_t i = 1; i < n && !named; i++)
			named = same_name(f[i], flen[i], host);
		if (!named)
			continue;
		for (size_t i = 1; i < n; i++) {
			int r = san_add_dns_len(l, f[i], flen[i]);

			if (r < 0 && r != -EINVAL)
				return r;
		}
		return 0;
	}
	return 0;
}

int san_add_host_names(struct san_list *l, const char *hostname, const char *hosts)
{
	size_t len = strlen(hostname);
	const char *dot = strchr(hostname, '.');
	int r;

	r = san_add_dns_len(l, hostname, len);
	if (r < 0)
		return r;
	if (dot && dot != hostname) {
		r = san_add_dns_len(l, hostname, (size_t)(dot - hostname));
		if (r < 0 && r != -EINVAL)
			return r;
	}
	return hosts ? san_add_hosts_line(l, hostname, hosts) : 0;
}

static int san_cmp(const void *pa, const void *pb)
{
	const struct san_entry *a = pa, *b = pb;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	switch (a->type) {
	case SAN_DNS:
	case SAN_EMAIL:
	case SAN_URI:
		return strcmp(a->text, b->text);
	case SAN_IPV4:
		return memcmp(a->ip, b->ip, 4);
	case SAN_IPV6:
		break;
	}
	return memcmp(a->ip, b->ip, 16);
}

void san_sort_unique(struct san_list *l)
{
	size_t o = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(l->v[0]), san_cmp);
	for (size_t i = 1; i < l->n; i++) {
		if (san_cmp(&l->v[o], &l->v[i]) != 0)
			l->v[++o] = l->v[i];
	}
	l->n = o + 1;
}

bool san_list_equal(const struct san_list *a, const struct san_list *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		if (san_cmp(&a->v[i], &b->v[i]) != 0)
			return false;
	}
	return true;
}

size_t san_format(const struct san_list *l, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		const char *sep = i ? ", " : "";
		size_t need = strlen(sep) + strlen(l->v[i].text);

		/* keep room for "..." and the NUL */
		if (o + need + 4 > len) {
			if (o + 4 <= len) {
				memcpy(buf + o, "...", 4);
				o += 3;
			}
			return o;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s", sep, l->v[i].text);
	}
	return o;
}

/* The names of the server certificate (subjectAltName): building, validating, normalising,
 * sorting and comparing sets of DNS names, IP addresses, email addresses and URIs. Pure: no I/O, no
 * system calls; the callers read /etc/hosts and the interfaces and hand the text and bytes in. */
#ifndef DIND_TLS_SAN_H
#define DIND_TLS_SAN_H

#include <stdbool.h>
#include <stddef.h>

#define SAN_MAX	      1024 /* names in one certificate (host networking can bring hundreds) */
#define SAN_DNS_MAX   253  /* bytes of a DNS name, without the trailing dot (RFC 1035) */
#define SAN_LABEL_MAX 63   /* bytes of one label */
#define SAN_BAD_MAX   80   /* bytes of a bad DOCKER_TLS_SAN entry quoted back in an error */
#define SAN_LOCAL_MAX 64   /* bytes of an email address's local part (RFC 5321) */
#define SAN_EMAIL_MAX 254  /* bytes of an email address (RFC 5321's path limit, less <>) */
#define SAN_URI_MAX   1024 /* bytes of a URI */
#define SAN_TEXT_MAX  SAN_URI_MAX

/* Sort order of a set: DNS names, then IPv4, then IPv6 addresses, email addresses, URIs. */
enum san_type {
	SAN_DNS = 0,
	SAN_IPV4 = 1,
	SAN_IPV6 = 2,
	SAN_EMAIL = 3, /* rfc822Name */
	SAN_URI = 4,   /* uniformResourceIdentifier */
};

struct san_entry {
	enum san_type type;
	unsigned char ip[16]; /* SAN_IPV4: the first 4 bytes */
	/* lower-case DNS name, the address as inet_ntop writes it, the email address with its
	 * domain lower-cased, or the URI as given */
	char text[SAN_TEXT_MAX + 1];
};

/* A growable array, at most SAN_MAX entries. */
struct san_list {
	struct san_entry *v;
	size_t n;
	size_t alloc;
};

void san_list_init(struct san_list *l);
void san_list_release(struct san_list *l);

/* Validate and normalise a DNS name the way Go's crypto/x509 matches them (the docker CLI and
 * dockerd are Go): labels of [A-Za-z0-9_-], no label starting with '-', at most 63 bytes each
 * and 253 in all, one trailing dot dropped, lower-cased; "*" is allowed as a whole first label
 * (a wildcard) when more labels follow. Writes the result to out (SAN_DNS_MAX + 1 bytes).
 * Returns 0 or -EINVAL. */
int san_normalize_dns(const char *name, size_t len, char *out);

/* Add one entry. -EINVAL: not a valid name or address; -E2BIG: already SAN_MAX entries;
 * -ENOMEM. Duplicates are kept until san_sort_unique(). */
int san_add_dns(struct san_list *l, const char *name);
int san_add_ip_text(struct san_list *l, const char *addr);
/* family AF_INET (4 bytes at addr) or AF_INET6 (16 bytes); -EAFNOSUPPORT for any other. */
int san_add_ip(struct san_list *l, int family, const void *addr);
/* An email address local@domain: a dot-atom local part of at most SAN_LOCAL_MAX bytes (letters,
 * digits, !#$%&'*+-/=?^_`{|}~ and single dots inside), a DNS name as san_normalize_dns() takes
 * it (no wildcard; lower-cased), at most SAN_EMAIL_MAX bytes in all. */
int san_add_email(struct san_list *l, const char *addr);
/* An absolute URI (RFC 3986), at most SAN_URI_MAX bytes, that Go's crypto/x509 also takes
 * (it refuses a whole certificate over one URI it cannot parse): a scheme; only the characters
 * RFC 3986 allows, '%' only before two hex digits; after "//", a host that is empty, an IPv6
 * address in brackets, or dot-separated labels (none empty, no trailing dot, no '%'), then an
 * optional port of digits; '[' and ']' nowhere else. Kept as given. */
int san_add_uri(struct san_list *l, const char *uri);

/* DOCKER_TLS_SAN, OpenSSL's syntax: comma-separated "DNS:name", "IP:address" (IPv4 or IPv6),
 * "email:address" and "URI:uri" (the prefixes in any case), blanks around entries and after
 * the prefix ignored, empty entries skipped. -EINVAL on the first entry that is none of these
 * (another type, such as RID: or dirName:, or a value the rules above refuse): it is copied to
 * bad (badlen bytes, control characters shown as '?', cut with "..."), for the caller's
 * message. -E2BIG, -ENOMEM. */
int san_parse_spec(struct san_list *l, const char *spec, char *bad, size_t badlen);

/* The names `hostname -f` and `hostname -s` would print, without asking DNS or NSS: the
 * hostname itself, its short name (up to the first dot), and every name of the first line of
 * hosts (the text of /etc/hosts) that names it, case-insensitively. Names of that line that are
 * not valid DNS names are skipped. -EINVAL when hostname itself is not a valid DNS name (then
 * nothing is added); -E2BIG, -ENOMEM. */
int san_add_host_names(struct san_list *l, const char *hostname, const char *hosts);

/* Sort in the order of enum san_type, then by name or address bytes, and drop duplicates. */
void san_sort_unique(struct san_list *l);

/* Two sorted, de-duplicated lists hold the same entries. */
bool san_list_equal(const struct san_list *a, const struct san_list *b);

/* "docker, localhost, 127.0.0.1, ::1" into buf (always NUL-terminated when len > 0; cut with
 * "..." when it does not fit). Returns the length written. */
size_t san_format(const struct san_list *l, char *buf, size_t len);

#endif

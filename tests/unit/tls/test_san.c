/* tls/san.c: the server certificate's names, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "tls/san.h"

/* the list as san_format() writes it */
static const char *formatted(const struct san_list *l)
{
	static char buf[4096];

	san_format(l, buf, sizeof(buf));
	return buf;
}

static void test_normalize_dns(void **state)
{
	static const struct {
		const char *in;
		const char *out; /* NULL: -EINVAL */
	} cases[] = {
		{ "docker", "docker" },
		{ "Docker.Example.COM", "docker.example.com" },
		{ "trailing.dot.", "trailing.dot" },
		{ "under_score.example", "under_score.example" },
		{ "a-b.c-d", "a-b.c-d" },
		{ "x1", "x1" },
		{ "1.2.3.4",
		  "1.2.3.4" }, /* a DNS name that looks like an address: OpenSSL takes it */
		{ "*.example.com", "*.example.com" },
		{ "*.x", "*.x" },
		{ "", NULL },
		{ ".", NULL },
		{ "..", NULL },
		{ "a..b", NULL },
		{ ".a", NULL },
		{ "-lead.example", NULL },
		{ "a.-lead", NULL },
		{ "space name", NULL },
		{ "tab\tname", NULL },
		{ "semi;colon", NULL },
		{ "comma,name", NULL },
		{ "colon:name", NULL },
		{ "slash/name", NULL },
		{ "uni\xc3\xa9", NULL },
		{ "*", NULL },
		{ "*.", NULL },
		{ "a.*.b", NULL },
		{ "*a.b", NULL },
		{ "a*.b", NULL },
		{ "**.b", NULL },
	};
	char out[SAN_DNS_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = san_normalize_dns(cases[i].in, strlen(cases[i].in), out);

		if (cases[i].out) {
			if (r != 0)
				fail_msg("'%s': want '%s', got %d", cases[i].in, cases[i].out, r);
			assert_string_equal(out, cases[i].out);
		} else if (r != -EINVAL) {
			fail_msg("'%s': want -EINVAL, got %d ('%s')", cases[i].in, r, out);
		}
	}
}

static void test_dns_lengths(void **state)
{
	char name[400], out[SAN_DNS_MAX + 1];

	(void)state;
	/* a 63-byte label is fine, 64 is not */
	memset(name, 'a', 63);
	name[63] = '\0';
	assert_int_equal(san_normalize_dns(name, 63, out), 0);
	memset(name, 'a', 64);
	assert_int_equal(san_normalize_dns(name, 64, out), -EINVAL);
	/* 253 bytes in all (labels of 9 and dots), plus a trailing dot, is fine; 254 is not */
	for (size_t i = 0; i < sizeof(name); i++)
		name[i] = (i % 10 == 9) ? '.' : 'b';
	name[252] = 'c';
	assert_int_equal(san_normalize_dns(name, 253, out), 0);
	assert_int_equal(strlen(out), 253);
	name[253] = '.';
	assert_int_equal(san_normalize_dns(name, 254, out), 0);
	name[253] = 'c';
	assert_int_equal(san_normalize_dns(name, 254, out), -EINVAL);
}

static void test_parse_spec(void **state)
{
	static const struct {
		const char *spec;
		int ret;
		const char *list; /* sorted, de-duplicated; or the bad entry quoted back */
	} cases[] = {
		{ "", 0, "" },
		{ "DNS:dind.example,IP:10.0.0.5", 0, "dind.example, 10.0.0.5" },
		{ " dns:A.example , ip:2001:DB8::1 ,IP:10.0.0.5,", 0,
		  "a.example, 10.0.0.5, 2001:db8::1" },
		{ "DNS: spaced.example", 0, "spaced.example" },
		{ "IP:::1,IP:0:0:0:0:0:0:0:1,DNS:x,DNS:X", 0, "x, ::1" },
		{ "IP:::ffff:10.0.0.5,IP:10.0.0.5", 0, "10.0.0.5, ::ffff:10.0.0.5" },
		{ ",,DNS:a,,", 0, "a" },
		{ "DNS:*.wild.example", 0, "*.wild.example" },
		/* OpenSSL's email: and URI: too (docker:dind passes DOCKER_TLS_SAN to it) */
		{ "email:me@example.com", 0, "me@example.com" },
		{ " EMAIL: Me.Too@Example.COM. ", 0, "Me.Too@example.com" },
		{ "URI:https://x", 0, "https://x" },
		{ "uri:spiffe://trust.example/ns/ci/sa/dind", 0,
		  "spiffe://trust.example/ns/ci/sa/dind" },
		{ "URI:https://dind.example:2376/a?b=c#d", 0, "https://dind.example:2376/a?b=c#d" },
		{ "URI:urn:x,email:a@b,IP:10.0.0.1,DNS:d,IP:::1,URI:urn:x,email:a@B", 0,
		  "d, 10.0.0.1, ::1, a@b, urn:x" },
		{ "URI:urn:A,URI:urn:a", 0, "urn:A, urn:a" },
		{ "RID:1.2.3", -EINVAL, "RID:1.2.3" },
		{ "dirName:dir_sect", -EINVAL, "dirName:dir_sect" },
		{ "otherName:1.2.3.4;UTF8:x", -EINVAL, "otherName:1.2.3.4;UTF8:x" },
		{ "email:", -EINVAL, "email:" },
		{ "email:copy", -EINVAL, "email:copy" },
		{ "email:a@@b", -EINVAL, "email:a@@b" },
		{ "URI:", -EINVAL, "URI:" },
		{ "URI:dind.example", -EINVAL, "URI:dind.example" },
		{ "URI:https://a b", -EINVAL, "URI:https://a b" },
		{ "URI:https://x/\x01", -EINVAL, "URI:https://x/?" },
		{ "URIx:https://x", -EINVAL, "URIx:https://x" },
		{ "dind.example", -EINVAL, "dind.example" },
		{ "DNS:", -EINVAL, "DNS:" },
		{ "DNS:ok, IP:", -EINVAL, "IP:" },
		{ "IP:10.0.0.256", -EINVAL, "IP:10.0.0.256" },
		{ "IP:10.1", -EINVAL, "IP:10.1" },
		{ "IP:host.example", -EINVAL, "IP:host.example" },
		{ "IP:[::1]", -EINVAL, "IP:[::1]" },
		{ "IP:fe80::1%eth0", -EINVAL, "IP:fe80::1%eth0" },
		{ "IP:10.0.0.0/8", -EINVAL, "IP:10.0.0.0/8" },
		{ "DNS:bad name", -EINVAL, "DNS:bad name" },
		{ "DNS:a\x01"
		  "b",
		  -EINVAL, "DNS:a?b" },
		{ "DNS:good,DNS:-bad,DNS:never", -EINVAL, "DNS:-bad" },
		{ "DNS:a\nDNS:b", -EINVAL, "DNS:a?DNS:b" },
		{ "DNS:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  -EINVAL,
		  "DNS:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct san_list l;
		char bad[SAN_BAD_MAX];
		int r;

		san_list_init(&l);
		r = san_parse_spec(&l, cases[i].spec, bad, sizeof(bad));
		if (r != cases[i].ret)
			fail_msg("'%s': want %d, got %d", cases[i].spec, cases[i].ret, r);
		if (r == 0) {
			san_sort_unique(&l);
			if (strcmp(formatted(&l), cases[i].list) != 0)
				fail_msg("'%s': want '%s', got '%s'", cases[i].spec, cases[i].list,
					 formatted(&l));
		} else if (strcmp(bad, cases[i].list) != 0) {
			fail_msg("'%s': want bad entry '%s', got '%s'", cases[i].spec,
				 cases[i].list, bad);
		}
		assert_true(strlen(bad) < SAN_BAD_MAX);
		san_list_release(&l);
	}
}

static void test_email(void **state)
{
	static const struct {
		const char *in;
		const char *out; /* NULL: -EINVAL */
	} cases[] = {
		{ "a@b", "a@b" },
		{ "first.last@Example.ORG", "first.last@example.org" },
		{ "CI+dind@example.com.", "CI+dind@example.com" },
		{ "o'neil_{x}|~!#$%&*/=?^`@d.example", "o'neil_{x}|~!#$%&*/=?^`@d.example" },
		{ "a-b@xn--bcher-kva.example", "a-b@xn--bcher-kva.example" },
		{ "", NULL },
		{ "@d.example", NULL },
		{ "a@", NULL },
		{ "a", NULL },
		{ "a@b@c", NULL },
		{ ".a@b", NULL },
		{ "a.@b", NULL },
		{ "a..b@c", NULL },
		{ "a b@c", NULL },
		{ "\"a\"@c", NULL },
		{ "a(b)@c", NULL },
		{ "a,b@c", NULL },
		{ "a\\b@c", NULL },
		{ "a\tb@c", NULL },
		{ "a\x7f@c", NULL },
		{ "\xc3\xa9@d.example", NULL },
		{ "a@-d.example", NULL },
		{ "a@*.d.example", NULL },
		{ "a@d..example", NULL },
		{ "a@[10.0.0.1]", NULL },
		{ "a@d example", NULL },
	};
	char local[SAN_LOCAL_MAX + 2], addr[SAN_EMAIL_MAX + 2];
	struct san_list l;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		san_list_init(&l);
		r = san_add_email(&l, cases[i].in);
		if (cases[i].out) {
			if (r != 0)
				fail_msg("'%s': want '%s', got %d", cases[i].in, cases[i].out, r);
			assert_int_equal(l.v[0].type, SAN_EMAIL);
			assert_string_equal(l.v[0].text, cases[i].out);
		} else if (r != -EINVAL || l.n != 0) {
			fail_msg("'%s': want -EINVAL, got %d", cases[i].in, r);
		}
		san_list_release(&l);
	}
	/* a local part of 64 bytes, not 65; 254 bytes in all, not 255 */
	san_list_init(&l);
	memset(local, 'l', sizeof(local));
	local[SAN_LOCAL_MAX] = '\0';
	snprintf(addr, sizeof(addr), "%s@d", local);
	assert_int_equal(san_add_email(&l, addr), 0);
	local[SAN_LOCAL_MAX] = 'l';
	local[SAN_LOCAL_MAX + 1] = '\0';
	snprintf(addr, sizeof(addr), "%s@d", local);
	assert_int_equal(san_add_email(&l, addr), -EINVAL);
	/* "l@" and labels of 9 and dots up to 254 bytes */
	memset(addr, 0, sizeof(addr));
	memcpy(addr, "l@", 2);
	for (size_t i = 2; i < SAN_EMAIL_MAX; i++)
		addr[i] = ((i - 1) % 10 == 0) ? '.' : 'b';
	addr[SAN_EMAIL_MAX - 1] = 'c';
	assert_int_equal(strlen(addr), SAN_EMAIL_MAX);
	assert_int_equal(san_add_email(&l, addr), 0);
	addr[SAN_EMAIL_MAX] = 'c';
	assert_int_equal(san_add_email(&l, addr), -EINVAL);
	assert_int_equal(l.n, 2);
	san_list_release(&l);
}

/* URIs that Go's crypto/x509 parses (url.Parse, and a host of non-empty labels): a URI it
 * cannot parse makes it refuse the whole certificate */
static void test_uri(void **state)
{
	static const struct {
		const char *in;
		bool ok;
	} cases[] = {
		{ "https://x.example", true },
		{ "https://x.example:8443/p/a/t/h?q=a&b=c;d#frag", true },
		{ "spiffe://trust.example/ns/ci/sa/dind", true },
		{ "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", true },
		{ "mailto:a@b.example", true },
		{ "file:///etc/x", true },
		{ "tcp://docker:2376", true },
		{ "http://[::1]:2376/", true },
		{ "http://[2001:db8::1]", true },
		{ "http://user:pw@h.example/", true },
		{ "http://:80/", true },
		{ "http://h_1.Example/%41%2f%c3%a9", true },
		{ "a+b-c.d:x", true },
		{ "https://x.example/a@b:c/!$&'()*+;=~", true },
		{ "", false },
		{ "no-scheme", false },
		{ "/path", false },
		{ ":x", false },
		{ "1http://x", false },
		{ "ht_tp://x", false },
		{ "http://x .example", false },
		{ "http://a..b/", false },
		{ "http://a.example./", false },
		{ "http://.a/", false },
		{ "http://a%41b/", false },
		{ "http://[::1/", false },
		{ "http://[::1]x/", false },
		{ "http://[zz::1]/", false },
		{ "http://[v1.x]/", false },
		{ "http://[10.0.0.1]/", false },
		{ "http://h:80a/", false },
		{ "http://h:80:81/", false },
		{ "http://a@b@c/", false },
		{ "http://u[1]@h/", false },
		{ "http://h/[x]", false },
		{ "urn:[x]", false },
		{ "http://h/#a#b", false },
		{ "http://h/%4", false },
		{ "http://h/%zz", false },
		{ "http://h/\x7f", false },
		{ "http://h/\x1b[0m", false },
		{ "http://h/\xc3\xa9", false },
		{ "http://h/<x>", false },
		{ "http://h/\"", false },
		{ "http://h/{x}", false },
		{ "http://h/a\\b", false },
		{ "http://h/a|b", false },
		{ "http://h/^", false },
		{ "http://h/`", false },
		{ "http://h/a b", false },
	};
	char uri[SAN_URI_MAX + 2];
	struct san_list l;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		san_list_init(&l);
		r = san_add_uri(&l, cases[i].in);
		if (cases[i].ok) {
			if (r != 0)
				fail_msg("'%s': want it kept, got %d", cases[i].in, r);
			assert_int_equal(l.v[0].type, SAN_URI);
			assert_string_equal(l.v[0].text, cases[i].in);
		} else if (r != -EINVAL || l.n != 0) {
			fail_msg("'%s': want -EINVAL, got %d", cases[i].in, r);
		}
		san_list_release(&l);
	}
	/* SAN_URI_MAX bytes, not one more */
	san_list_init(&l);
	memset(uri, 'a', sizeof(uri));
	memcpy(uri, "urn:", 4);
	uri[SAN_URI_MAX] = '\0';
	assert_int_equal(san_add_uri(&l, uri), 0);
	assert_int_equal(strlen(l.v[0].text), SAN_URI_MAX);
	uri[SAN_URI_MAX] = 'a';
	uri[SAN_URI_MAX + 1] = '\0';
	assert_int_equal(san_add_uri(&l, uri), -EINVAL);
	san_list_release(&l);
}

static void test_host_names(void **state)
{
	static const char hosts[] =
		"# comment naming myhost\n"
		"127.0.0.1\tlocalhost\n"
		"::1 localhost ip6-localhost # myhost in a comment\n"
		"10.0.0.9 other.example other\n"
		"172.17.0.2   MyHost.corp.example  myhost   alias_1 bad!name  # c\n"
		"172.17.0.3 myhost second-line.example\n";
	static const struct {
		const char *hostname;
		const char *hosts;
		int ret;
		const char *list;
	} cases[] = {
		/* hostname -f: the first name of the first line naming it; -s: up to the dot */
		{ "myhost", hosts, 0, "alias_1, myhost, myhost.corp.example" },
		{ "MYHOST", hosts, 0, "alias_1, myhost, myhost.corp.example" },
		{ "myhost.corp.example", hosts, 0, "alias_1, myhost, myhost.corp.example" },
		{ "myhost.corp.example.", hosts, 0, "alias_1, myhost, myhost.corp.example" },
		{ "other", hosts, 0, "other, other.example" },
		{ "lonely.example", hosts, 0, "lonely, lonely.example" },
		{ "lonely", NULL, 0, "lonely" },
		{ "lonely", "", 0, "lonely" },
		{ "nonl", "10.0.0.1 nonl.example nonl", 0, "nonl, nonl.example" },
		{ "crlf", "10.0.0.1 crlf\r\n", 0, "crlf" },
		{ "bad host", hosts, -EINVAL, "" },
		{ "", hosts, -EINVAL, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct san_list l;
		int r;

		san_list_init(&l);
		r = san_add_host_names(&l, cases[i].hostname, cases[i].hosts);
		san_sort_unique(&l);
		if (r != cases[i].ret || strcmp(formatted(&l), cases[i].list) != 0)
			fail_msg("hostname '%s': want %d '%s', got %d '%s'", cases[i].hostname,
				 cases[i].ret, cases[i].list, r, formatted(&l));
		san_list_release(&l);
	}
}

static void test_sort_unique_order(void **state)
{
	static const unsigned char v4a[4] = { 10, 0, 0, 2 }, v4b[4] = { 9, 255, 255, 255 };
	static const unsigned char v6[16] = { 0xfe, 0x80, [15] = 1 };
	struct san_list l;

	(void)state;
	san_list_init(&l);
	assert_int_equal(san_add_ip(&l, AF_INET6, v6), 0);
	assert_int_equal(san_add_ip(&l, AF_INET, v4a), 0);
	assert_int_equal(san_add_dns(&l, "zeta"), 0);
	assert_int_equal(san_add_ip_text(&l, "::1"), 0);
	assert_int_equal(san_add_ip(&l, AF_INET, v4b), 0);
	assert_int_equal(san_add_dns(&l, "Alpha"), 0);
	assert_int_equal(san_add_ip_text(&l, "10.0.0.2"), 0);
	assert_int_equal(san_add_dns(&l, "alpha."), 0);
	assert_int_equal(san_add_ip(&l, AF_UNIX, v4a), -EAFNOSUPPORT);
	san_sort_unique(&l);
	/* DNS names, then IPv4 by value (not as text), then IPv6 by value */
	assert_string_equal(formatted(&l), "alpha, zeta, 9.255.255.255, 10.0.0.2, ::1, fe80::1");
	assert_int_equal(l.n, 6);
	san_list_release(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	san_sort_unique(&l);
}

static void test_equal(void **state)
{
	static const struct {
		const char *a, *b;
		bool equal;
	} cases[] = {
		{ "", "", true },
		{ "DNS:a,IP:1.2.3.4", "IP:1.2.3.4,DNS:A.", true },
		{ "DNS:a,DNS:a,IP:::1", "IP:0::1,DNS:a", true },
		{ "DNS:a", "DNS:b", false },
		{ "DNS:a", "DNS:a,DNS:b", false },
		{ "IP:1.2.3.4", "IP:::ffff:1.2.3.4", false },
		{ "DNS:1.2.3.4", "IP:1.2.3.4", false },
		{ "IP:fe80::1", "IP:fe80::2", false },
		{ "email:a@b,URI:urn:x", "URI:urn:x,email:a@B.", true },
		{ "email:a@b", "email:A@b", false },
		{ "URI:urn:x", "email:x@y", false },
		{ "URI:urn:x", "DNS:x", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct san_list a, b;
		char bad[SAN_BAD_MAX];

		san_list_init(&a);
		san_list_init(&b);
		assert_int_equal(san_parse_spec(&a, cases[i].a, bad, sizeof(bad)), 0);
		assert_int_equal(san_parse_spec(&b, cases[i].b, bad, sizeof(bad)), 0);
		san_sort_unique(&a);
		san_sort_unique(&b);
		if (san_list_equal(&a, &b) != cases[i].equal ||
		    san_list_equal(&b, &a) != cases[i].equal)
			fail_msg("'%s' vs '%s': want %s", cases[i].a, cases[i].b,
				 cases[i].equal ? "equal" : "different");
		san_list_release(&a);
		san_list_release(&b);
	}
}

static void test_limit(void **state)
{
	struct san_list l;
	unsigned char ip[4] = { 10, 0, 0, 0 };
	char bad[SAN_BAD_MAX];

	(void)state;
	san_list_init(&l);
	for (int i = 0; i < SAN_MAX; i++) {
		ip[2] = (unsigned char)(i >> 8);
		ip[3] = (unsigned char)i;
		assert_int_equal(san_add_ip(&l, AF_INET, ip), 0);
	}
	assert_int_equal(san_add_dns(&l, "one-more"), -E2BIG);
	assert_int_equal(san_add_ip_text(&l, "::1"), -E2BIG);
	assert_int_equal(san_add_email(&l, "a@b"), -E2BIG);
	assert_int_equal(san_add_uri(&l, "urn:x"), -E2BIG);
	assert_int_equal(san_parse_spec(&l, "DNS:x", bad, sizeof(bad)), -E2BIG);
	assert_int_equal(san_add_host_names(&l, "h", NULL), -E2BIG);
	assert_int_equal(l.n, SAN_MAX);
	san_list_release(&l);
}

static void test_format_cut(void **state)
{
	struct san_list l;
	char buf[16];
	char bad[SAN_BAD_MAX];

	(void)state;
	san_list_init(&l);
	assert_int_equal(san_parse_spec(&l, "DNS:aaaa,DNS:bbbb,DNS:cccc", bad, sizeof(bad)), 0);
	assert_int_equal(san_format(&l, buf, sizeof(buf)), strlen("aaaa, bbbb..."));
	assert_string_equal(buf, "aaaa, bbbb...");
	assert_int_equal(san_format(&l, buf, 4), 3);
	assert_string_equal(buf, "...");
	assert_int_equal(san_format(&l, buf, 2), 0);
	assert_string_equal(buf, "");
	assert_int_equal(san_format(&l, buf, 0), 0);
	san_list_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_dns),
		cmocka_unit_test(test_dns_lengths),
		cmocka_unit_test(test_parse_spec),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_sort_unique_order),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_format_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

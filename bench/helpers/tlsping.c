/* tlsping: the client of the TLS benchmark (bench/tls.sh), run on the host. Links OpenSSL.
 *
 *   tlsping stamp FILE IP PORT CERTDIR|- [TIMEOUT_S]
 *
 * GET /_ping on IP:PORT, a new connection per try, until it answers 200; then writes to FILE
 * "READY CONNECTED TRIES": CLOCK_REALTIME in ns of the 200 and of the first TCP connection
 * that was accepted (dockerd opens its listeners before it serves), and the number of tries.
 * With CERTDIR it speaks TLS as `docker --tlsverify` does: client certificate CERTDIR/cert.pem
 * and CERTDIR/key.pem, the server's certificate verified against CERTDIR/ca.pem and for IP (a
 * name in its subjectAltName). The files are read again on every try that got a connection, as
 * a CI job started after the daemon would: they may be written, or re-written, meanwhile.
 * With "-": plain HTTP. Exit 0 on a 200, 1 when TIMEOUT_S (default 180) ran out (with the last
 * error on stderr), 2 on a usage or output error.
 *
 * A try: a non-blocking connect() given 20 ms (a SYN to a container not yet attached is lost:
 * it is sent again on the next try rather than after the kernel's 1 s), then, once connected,
 * blocking I/O until the answer: a daemon that accepted but does not serve yet holds the
 * connection in its backlog, and the answer comes the moment it serves. 5 ms between tries. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TRY_INTERVAL_MS 5
#define CONNECT_WAIT_MS 20

static char last_error[4096 + 512] = "no try made";

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void set_error(const char *what, const char *detail)
{
	snprintf(last_error, sizeof(last_error), "%s: %s", what, detail);
}

static void set_ssl_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	set_error(what, e ? buf : "(no OpenSSL error)");
	ERR_clear_error();
}

/* A connected socket (blocking, with timeouts of wait_s), or -1. */
static int connect_tcp(const struct sockaddr_in *sin, int wait_s)
{
	struct timeval tv = { wait_s, 0 };
	struct pollfd p;
	socklen_t len = sizeof(int);
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		set_error("socket", strerror(errno));
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) < 0) {
		if (errno != EINPROGRESS) {
			set_error("connect", strerror(errno));
			goto fail;
		}
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (poll(&p, 1, CONNECT_WAIT_MS) <= 0) {
			set_error("connect", "no answer within 20 ms");
			goto fail;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
			set_error("connect", strerror(err ? err : errno));
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, 0) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		set_error("socket options", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* 1 if the first bytes of buf are a status line with 200. */
static int is_200(const char *buf, size_t len)
{
	/* "HTTP/1.1 200 OK" */
	return len >= 12 && strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
}

static const char request[] = "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n";

static int ping_plain(int fd)
{
	char buf[64];
	size_t got = 0;

	if (write(fd, request, sizeof(request) - 1) != (ssize_t)(sizeof(request) - 1)) {
		set_error("write", strerror(errno));
		return 0;
	}
	while (got < 12) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);

		if (n <= 0) {
			set_error("read",
				  n < 0 ? strerror(errno) : "connection closed before an answer");
			return 0;
		}
		got += (size_t)n;
	}
	if (!is_200(buf, got))
		set_error("answer", "not a 200");
	return is_200(buf, got);
}

static int ping_tls(int fd, const char *dir, const char *ip)
{
	char ca[4096], cert[4096], key[4096], buf[64];
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	size_t got = 0;
	int ok = 0;

	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		set_ssl_error("SSL_CTX_new");
		return 0;
	}
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		set_ssl_error(ca);
		goto out;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		set_ssl_error(cert);
		goto out;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		set_ssl_error(key);
		goto out;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1 ||
	    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip) != 1) {
		set_ssl_error("SSL setup");
		goto out;
	}
	if (SSL_connect(ssl) != 1) {
		long v = SSL_get_verify_result(ssl);

		if (v != X509_V_OK)
			set_error("server certificate", X509_verify_cert_error_string(v));
		else
			set_ssl_error("TLS handshake");
		goto out;
	}
	if (SSL_write(ssl, request, (int)sizeof(request) - 1) != (int)sizeof(request) - 1) {
		set_ssl_error("TLS write");
		goto out;
	}
	while (got < 12) {
		int n = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got));

		if (n <= 0) {
			set_ssl_error("TLS read");
			goto out;
		}
		got += (size_t)n;
	}
	ok = is_200(buf, got);
	if (!ok)
		set_error("answer", "not a 200");
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

static int write_result(const char *file, long long ready, long long connected, long tries)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "%lld %lld %ld\n", ready, connected, tries);
	if (fclose(f) != 0 || rename(tmp, file) < 0)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const char *file, *ip, *dir;
	long long give_up, connected = 0;
	long tries = 0;
	int timeout_s = 180;

	if (argc < 6 || argc > 7 || strcmp(argv[1], "stamp") != 0) {
		fprintf(stderr, "usage: tlsping stamp FILE IP PORT CERTDIR|- [TIMEOUT_S]\n");
		return 2;
	}
	file = argv[2];
	ip = argv[3];
	dir = strcmp(argv[5], "-") == 0 ? NULL : argv[5];
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1 || atoi(argv[4]) <= 0 ||
	    atoi(argv[4]) > 65535) {
		fprintf(stderr, "tlsping: '%s' is not an IPv4 address or '%s' not a port\n", ip,
			argv[4]);
		return 2;
	}
	sin.sin_port = htons((unsigned short)atoi(argv[4]));
	if (argc == 7)
		timeout_s = atoi(argv[6]);
	give_up = now_ns() + (long long)timeout_s * 1000000000LL;

	while (now_ns() < give_up) {
		int fd = connect_tcp(&sin, timeout_s), ok;

		tries++;
		if (fd >= 0) {
			if (!connected)
				connected = now_ns();
			ok = dir ? ping_tls(fd, dir, ip) : ping_plain(fd);
			close(fd);
			if (ok) {
				if (write_result(file, now_ns(), connected, tries) < 0) {
					fprintf(stderr, "tlsping: writing %s failed: %s\n", file,
						strerror(errno));
					return 2;
				}
				return 0;
			}
		}
		sleep_ms(TRY_INTERVAL_MS);
	}
	fprintf(stderr, "tlsping: no 200 from %s:%s within %d s (%ld tries); last error: %s\n", ip,
		argv[4], timeout_s, tries, last_error);
	return 1;
}

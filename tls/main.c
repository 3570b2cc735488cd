/* dind-certs: the TLS certificates of docker:dind (CA, server, client) in $DOCKER_TLS_CERTDIR,
 * made once and reused while valid. A program of its own, run as a oneshot service before
 * dockerd, so that dind-init (PID 1) stays free of crypto. See README "TLS certificates". */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tls/certs.h"
#include "tls/files.h"
#include "tls/san.h"

#define PROG	    "dind-certs"
#define EXIT_USAGE  2
#define HOSTS_MAX   (256 * 1024) /* bytes of /etc/hosts read */
#define SUMMARY_MAX 4096
/* the keys certs_key_unusable() keeps, for messages */
#define KEYS_CLIENT "ecdsa (P-256, P-384 or P-521) or rsa (2048 to 8192 bits)"
#define KEYS_OTHER  "ecdsa (P-256, P-384 or P-521), rsa (2048 to 8192 bits) or ed25519"

static bool quiet;

static void msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void msg(const char *level, const char *fmt, ...)
{
	char line[SUMMARY_MAX + 256];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%s: %s", PROG, level);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}

#define error(...) msg("error: ", __VA_ARGS__)
#define warn(...)  msg("warning: ", __VA_ARGS__)

/* ---- the layout, as docker:dind has it ---- */

enum { D_CA, D_SERVER, D_CLIENT, D_N };

/* In the order of writing: client/ca.pem last, it tells that the rest is there (Tekton's
 * readiness probe is `ls /certs/client/ca.pem`). */
enum {
	F_CA_KEY,
	F_CA_CERT,
	F_SERVER_KEY,
	F_SERVER_CERT,
	F_SERVER_CA,
	F_CLIENT_KEY,
	F_CLIENT_CERT,
	F_CLIENT_CA,
	F_N
};

static const char *const dir_names[D_N] = { "ca", "server", "client" };

static const struct {
	int dir;
	const char *name;
	mode_t mode;
	bool secret;
} layout[F_N] = {
	[F_CA_KEY] = { D_CA, "key.pem", 0600, true },
	[F_CA_CERT] = { D_CA, "cert.pem", 0644, false },
	[F_SERVER_KEY] = { D_SERVER, "key.pem", 0600, true },
	[F_SERVER_CERT] = { D_SERVER, "cert.pem", 0644, false },
	[F_SERVER_CA] = { D_SERVER, "ca.pem", 0644, false },
	/* CI jobs run as any user and must read it */
	[F_CLIENT_KEY] = { D_CLIENT, "key.pem", 0644, true },
	[F_CLIENT_CERT] = { D_CLIENT, "cert.pem", 0644, false },
	[F_CLIENT_CA] = { D_CLIENT, "ca.pem", 0644, false },
};

struct file {
	int err; /* files_read(): 0, or -errno; -ENOENT for an empty file too, as docker:dind */
	char *data;
	size_t len;
	mode_t mode;
	char *out; /* what to write; NULL: keep the file as it is */
	size_t out_len;
};

struct run {
	const char *base;
	int base_fd;
	int dir_fd[D_N]; /* -1: the folder is missing */
	struct file f[F_N];
	struct san_list want; /* the server's names */
	time_t now;
	enum key_type key_type;
	bool key_type_set; /* asked for with --key-type or DIND_TLS_KEY_TYPE */
	EVP_PKEY *ca_key, *server_key, *client_key;
	X509 *ca, *server, *client;
	char summary[SUMMARY_MAX];
};

static char *path_of(const struct run *r, int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/%s", r->base, dir_names[layout[f].dir], layout[f].name);
	return buf;
}

static void summary_add(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void summary_add(struct run *r, const char *fmt, ...)
{
	size_t n = strlen(r->summary);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(r->summary)) {
		memcpy(r->summary + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->summary + n, sizeof(r->summary) - n, fmt, ap);
	va_end(ap);
}

static void date_of(X509 *cert, char *buf, size_t len)
{
	time_t t;
	struct tm tm;

	if (certs_not_after(cert, &t) < 0 || !gmtime_r(&t, &tm) ||
	    strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

/* An unwritable path: the usual causes (read-only image, another owner, full disk) have one
 * fix. */
static void error_write(const struct run *r, const char *what, int err)
{
	switch (err) {
	case -EROFS:
	case -EACCES:
	case -EPERM:
	case -ENOSPC:
	case -EDQUOT:
		error("cannot write %s (%s): mount a writable volume on %s, or set DOCKER_TLS_CERTDIR= to turn TLS off",
		      what, strerror(-err), r->base);
		break;
	case -EISDIR:
	case -ENOTEMPTY:
		error("cannot write %s (%s): remove it", what, strerror(-err));
		break;
	default:
		error("cannot write %s (%s): check %s and what is in it", what, strerror(-err),
		      r->base);
		break;
	}
}

/* ---- the server's names ---- */

/* Read a small text file into buf (NUL-terminated); -errno. */
static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	size_t n = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	while (n + 1 < size) {
		ssize_t got = read(fd, buf + n, size - 1 - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	close(fd);
	return 0;
}

static int add_interfaces(struct san_list *l)
{
	struct ifaddrs *ifs, *i;
	int r = 0;

	/* netlink, like `ip address`: no DNS */
	if (getifaddrs(&ifs) < 0)
		return -errno;
	for (i = ifs; i && r == 0; i = i->ifa_next) {
		const struct sockaddr *a = i->ifa_addr;

		if (!a)
			continue;
		if (a->sa_family == AF_INET)
			r = san_add_ip(l, AF_INET,
				       &((const struct sockaddr_in *)(const void *)a)->sin_addr);
		else if (a->sa_family == AF_INET6)
			r = san_add_ip(l, AF_INET6,
				       &((const struct sockaddr_in6 *)(const void *)a)->sin6_addr);
	}
	freeifaddrs(ifs);
	return r;
}

static int add_hostname(struct san_list *l, const char *name, const char *hosts, const char *from)
{
	int r;

	if (!name[0])
		return 0;
	r = san_add_host_names(l, name, hosts);
	if (r == -EINVAL) {
		warn("the hostname '%.64s' (%s) is not a valid DNS name: it is left out of the server certificate",
		     name, from);
		return 0;
	}
	return r;
}

/* Every name and address the server answers to; exit status 1 when they cannot be had. */
static int collect_names(struct run *r)
{
	char host[HOST_NAME_MAX + 1] = "", file[HOST_NAME_MAX + 2] = "";
	const char *spec = getenv("DOCKER_TLS_SAN");
	char bad[SAN_BAD_MAX];
	char *hosts = malloc(HOSTS_MAX);
	int e;

	if (!hosts) {
		error("out of memory");
		return 1;
	}
	/* `hostname -f` and `-s` without their DNS lookup: /etc/hosts read directly */
	(void)read_text("/etc/hosts", hosts, HOSTS_MAX);
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	(void)read_text("/etc/hostname", file, sizeof(file));
	file[strcspn(file, " \t\r\n")] = '\0';
	e = add_hostname(&r->want, host, hosts, "gethostname");
	e = e ?: add_hostname(&r->want, file, hosts, "/etc/hostname");
	free(hosts);
	e = e ?: san_add_dns(&r->want, "docker");
	e = e ?: san_add_dns(&r->want, "localhost");
	if (e == 0) {
		e = add_interfaces(&r->want);
		if (e < 0 && e != -E2BIG && e != -ENOMEM) {
			error("cannot list the network interfaces' addresses (%s): the server certificate needs them",
			      strerror(-e));
			return 1;
		}
	}
	if (e == 0 && spec)
		e = san_parse_spec(&r->want, spec, bad, sizeof(bad));
	if (e == -EINVAL) {
		error("DOCKER_TLS_SAN: bad entry '%s': use DNS:name, IP:address (IPv4 or IPv6), email:user@domain or URI:scheme:... (an absolute URI of at most %d bytes), comma-separated, e.g. DOCKER_TLS_SAN=DNS:dind.example,IP:10.0.0.5",
		      bad, SAN_URI_MAX);
		return 1;
	}
	if (e == -E2BIG) {
		error("more than %d names and addresses for the server certificate: too many interface addresses or DOCKER_TLS_SAN entries",
		      SAN_MAX);
		return 1;
	}
	if (e < 0) {
		error("collecting the server's names failed: %s", strerror(-e));
		return 1;
	}
	san_sort_unique(&r->want);
	return 0;
}

/* ---- reading what is there ---- */

static int open_dirs(struct run *r)
{
	char path[PATH_MAX];

	for (int d = 0; d < D_N; d++) {
		/* ca/ and server/ may be links (a Kubernetes secret volume is one); client/ can be
		 * a volume shared with untrusted jobs: no links there */
		int fd = files_open_dir(r->base_fd, dir_names[d], false, d == D_CLIENT);

		snprintf(path, sizeof(path), "%s/%s", r->base, dir_names[d]);
		if (fd == -ENOENT) {
			r->dir_fd[d] = -1;
			continue;
		}
		if (fd == -ELOOP || fd == -ENOTDIR) {
			error("%s is %s: remove it (dind-certs makes the folder)", path,
			      fd == -ELOOP ? "a symbolic link" : "not a folder");
			return 1;
		}
		if (fd < 0) {
			error("cannot open %s (%s): check %s", path, strerror(-fd), r->base);
			return 1;
		}
		r->dir_fd[d] = fd;
	}
	return 0;
}

/* The client files (open_client() reads them under the lock of client/), or all the others. */
static void read_files(struct run *r, bool client)
{
	for (int i = 0; i < F_N; i++) {
		struct file *f = &r->f[i];

		if ((layout[i].dir == D_CLIENT) != client)
			continue;
		f->err = files_read(r->dir_fd[layout[i].dir], layout[i].name,
				    layout[i].dir == D_CLIENT, &f->data, &f->len, &f->mode);
		if (f->err == 0 && f->len == 0)
			f->err = -ENOENT;
	}
}

static bool present(const struct run *r, int f)
{
	return r->f[f].err != -ENOENT;
}

/* why files_read() or a parse failed, for a message */
static const char *read_error(int err)
{
	switch (err) {
	case -ELOOP:
		return "a symbolic link";
	case -EISDIR:
		return "a folder";
	case -EINVAL:
		return "not a regular file";
	case -EFBIG:
		return "larger than 1 MiB";
	case -EBADMSG:
		return "not a PEM private key";
	case -EKEYREJECTED:
		return "encrypted with a passphrase";
	default:
		return strerror(-err);
	}
}

/* ---- bring your own: only checked ---- */

static int check_own(struct run *r)
{
	char cert_path[PATH_MAX], key_path[PATH_MAX], ca_path[PATH_MAX], until[32];
	STACK_OF(X509) *certs = NULL, *cas = NULL;
	EVP_PKEY *key = NULL;
	X509 *leaf;
	const char *why;
	time_t end;
	int e, rc = 1;

	path_of(r, F_SERVER_CERT, cert_path, sizeof(cert_path));
	path_of(r, F_SERVER_KEY, key_path, sizeof(key_path));
	path_of(r, F_SERVER_CA, ca_path, sizeof(ca_path));
	for (int i = F_SERVER_KEY; i <= F_SERVER_CA; i++) {
		char path[PATH_MAX];

		if (r->f[i].err < 0) {
			error("cannot read %s (%s): fix it, or add ca/key.pem to let dind-certs make the server certificate",
			      path_of(r, i, path, sizeof(path)), read_error(r->f[i].err));
			return 1;
		}
	}
	e = certs_key_parse(r->f[F_SERVER_KEY].data, r->f[F_SERVER_KEY].len, &key);
	if (e < 0) {
		error("%s is %s: dockerd needs the unencrypted PEM private key of %s", key_path,
		      read_error(e), cert_path);
		goto out;
	}
	why = certs_key_unusable(key, CERT_SERVER);
	if (why) {
		char desc[64];

		certs_key_describe(key, desc, sizeof(desc));
		error("%s is not a usable server key (%s, %s): dockerd and the docker CLI need an " KEYS_OTHER
		      " key; bring a certificate for one",
		      key_path, desc, why);
		goto out;
	}
	if (certs_cert_parse_all(r->f[F_SERVER_CERT].data, r->f[F_SERVER_CERT].len, &certs) < 0) {
		error("%s holds no PEM certificate: put the server certificate there", cert_path);
		goto out;
	}
	if (certs_cert_parse_all(r->f[F_SERVER_CA].data, r->f[F_SERVER_CA].len, &cas) < 0) {
		error("%s holds no PEM certificate: put the CA certificate there", ca_path);
		goto out;
	}
	leaf = sk_X509_value(certs, 0);
	if (!certs_key_matches(leaf, key)) {
		error("%s is not the certificate of %s: put the matching certificate and key there",
		      cert_path, key_path);
		goto out;
	}
	/* the certificates after the first one in cert.pem are its chain */
	if (certs_verify_chain(leaf, certs, cas, r->now, &why) < 0) {
		error("%s does not verify against %s (%s): bring a valid certificate, or remove the server folder to let dind-certs make its own",
		      cert_path, ca_path, why ? why : "out of memory");
		goto out;
	}
	date_of(leaf, until, sizeof(until));
	if (certs_not_after(leaf, &end) == 0 && end - r->now < CERT_RENEW_DAYS * 86400L)
		warn("%s expires on %s: replace it soon (dind-certs does not sign without ca/key.pem)",
		     cert_path, until);
	if (!quiet)
		msg("",
		    "%s: your own server certificate, valid until %s, checked and left as it is (no ca/key.pem: nothing signed)",
		    r->base, until);
	rc = 0;
out:
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(cas, X509_free);
	return rc;
}

/* ---- managed: keys reused, certificates re-made when needed ---- */

static int set_out_pem(struct file *f, char *pem, size_t len)
{
	f->out = pem;
	f->out_len = len;
	return 0;
}

/* The key of slot f: parsed, or made when missing. A bad or unusable CA or server key is an
 * error (never thrown away); a bad or unusable client key, in a folder jobs may write, is
 * replaced. */
static int load_key(struct run *r, int f, EVP_PKEY **key, const char *role, bool *made)
{
	enum cert_kind kind = f == F_CA_KEY	  ? CERT_CA
			      : f == F_SERVER_KEY ? CERT_SERVER
						  : CERT_CLIENT;
	struct file *file = &r->f[f];
	char path[PATH_MAX], desc[64];
	const char *why = NULL;
	int e = file->err;

	*made = false;
	path_of(r, f, path, sizeof(path));
	if (e == 0)
		e = certs_key_parse(file->data, file->len, key);
	if (e == 0) {
		why = certs_key_unusable(*key, kind);
		if (!why) {
			if (r->key_type_set && !certs_key_is(*key, r->key_type)) {
				certs_key_describe(*key, desc, sizeof(desc));
				warn("%s is an %s key: kept (the key type applies to new keys; remove the key files to get %s ones)",
				     path, desc, r->key_type == KEY_RSA ? "rsa" : "ecdsa");
			}
			return 0;
		}
		certs_key_describe(*key, desc, sizeof(desc));
		EVP_PKEY_free(*key);
		*key = NULL;
	}
	if (why && f != F_CLIENT_KEY) {
		error("%s is not a usable %s key (%s, %s): replace it with an " KEYS_OTHER
		      " key, or remove it to get a new %s key (the certificates it signs are then re-made too)",
		      path, role, desc, why, role);
		return -1;
	}
	if (why) {
		/* planted in the shared folder, or left by an old tool: the docker CLI would fail
		 * with "tls: failed to parse private key" */
		warn("%s is not a usable client key (%s, %s): replaced with a new key (client keys kept: " KEYS_CLIENT
		     ")",
		     path, desc, why);
	} else if (e != -ENOENT) {
		if (f == F_CLIENT_KEY) {
			warn("%s is %s: replaced with a new key", path, read_error(e));
		} else {
			error("%s is %s: fix it, or remove it to get a new %s key (the certificates it signs are then re-made too)",
			      path, read_error(e), role);
			return -1;
		}
	}
	*key = certs_key_new(r->key_type);
	if (!*key) {
		error("making the %s key failed (OpenSSL: %s)", role, certs_ssl_reason());
		return -1;
	}
	*made = true;
	e = certs_key_pem(*key, &file->out, &file->out_len);
	if (e < 0) {
		error("writing the %s key as PEM failed (OpenSSL: %s)", role, certs_ssl_reason());
		return -1;
	}
	return 0;
}

/* The certificate in slot f, when it parses. */
static X509 *parse_cert(const struct run *r, int f)
{
	X509 *x = NULL;

	if (r->f[f].err == 0)
		(void)certs_cert_parse(r->f[f].data, r->f[f].len, &x);
	return x;
}

static int make_cert(struct run *r, int f, enum cert_kind kind, EVP_PKEY *key, X509 **cert,
		     const char *role)
{
	int e;

	X509_free(*cert);
	*cert = NULL;
	e = certs_make(kind, key, kind == CERT_CA ? NULL : r->ca,
		       kind == CERT_CA ? NULL : r->ca_key, kind == CERT_SERVER ? &r->want : NULL,
		       r->now, CERT_DAYS, cert);
	if (e == 0)
		e = certs_cert_pem(*cert, &r->f[f].out, &r->f[f].out_len);
	if (e < 0) {
		error("signing the %s certificate failed (OpenSSL: %s)", role, certs_ssl_reason());
		return -1;
	}
	return 0;
}

/* The copy of the CA certificate in server/ or client/: written when it differs. */
static int plan_ca_copy(struct run *r, int f)
{
	const struct file *src = &r->f[F_CA_CERT];
	const char *ca = src->out ? src->out : src->data;
	size_t len = src->out ? src->out_len : src->len;
	struct file *dst = &r->f[f];
	char *copy;

	if (dst->err == 0 && dst->len == len && memcmp(dst->data, ca, len) == 0)
		return 0;
	copy = malloc(len + 1);
	if (!copy) {
		error("out of memory");
		return -1;
	}
	memcpy(copy, ca, len);
	copy[len] = '\0';
	return set_out_pem(dst, copy, len);
}

/* Keep the CA certificate, or make a new one; *new_ca says which. */
static int plan_ca(struct run *r, bool *new_ca)
{
	enum cert_state s;

	r->ca = parse_cert(r, F_CA_CERT);
	if (!present(r, F_CA_CERT))
		s = CERT_MISSING;
	else if (!r->ca)
		s = CERT_UNREADABLE;
	else
		s = certs_check_ca(r->ca, r->ca_key, r->now);
	*new_ca = s != CERT_OK;
	if (s == CERT_OK)
		return 0;
	if (make_cert(r, F_CA_CERT, CERT_CA, r->ca_key, &r->ca, "CA") < 0)
		return -1;
	if (s == CERT_MISSING)
		summary_add(r, "new CA");
	else
		summary_add(r, "new CA (the old one: %s)", certs_state_text(s));
	return 0;
}

/* Keep the server or client certificate, or sign a new one. */
static int plan_leaf(struct run *r, enum cert_kind kind, bool new_ca)
{
	bool server = kind == CERT_SERVER;
	int f = server ? F_SERVER_CERT : F_CLIENT_CERT;
	EVP_PKEY *key = server ? r->server_key : r->client_key;
	X509 **cert = server ? &r->server : &r->client;
	char names[SUMMARY_MAX / 2], because[64];
	enum cert_state s;

	*cert = parse_cert(r, f);
	if (!present(r, f))
		s = CERT_MISSING;
	else if (!*cert)
		s = CERT_UNREADABLE;
	else if (new_ca)
		s = CERT_WRONG_CA;
	else
		s = certs_check_leaf(*cert, key, r->ca, kind, server ? &r->want : NULL, r->now);
	if (s == CERT_OK)
		return 0;
	if (make_cert(r, f, kind, key, cert, server ? "server" : "client") < 0)
		return -1;
	if (s == CERT_MISSING)
		because[0] = '\0';
	else
		snprintf(because, sizeof(because), " (%s)",
			 new_ca ? "new CA" : certs_state_text(s));
	if (!server) {
		summary_add(r, "client certificate%s", because);
		return 0;
	}
	san_format(&r->want, names, sizeof(names));
	summary_add(r, "server certificate%s for %zu names (%s)", because, r->want.n, names);
	return 0;
}

/* The CA and the server: their files are read already, under the lock of the base folder. */
static int plan_ca_server(struct run *r, bool *made, bool *new_ca)
{
	if (load_key(r, F_CA_KEY, &r->ca_key, "CA", &made[0]) < 0 || plan_ca(r, new_ca) < 0)
		return -1;
	if (load_key(r, F_SERVER_KEY, &r->server_key, "server", &made[1]) < 0 ||
	    plan_leaf(r, CERT_SERVER, *new_ca) < 0 || plan_ca_copy(r, F_SERVER_CA) < 0)
		return -1;
	return 0;
}

/* The client: its files are read under the lock of client/ (open_client()). */
static int plan_client(struct run *r, bool *made, bool new_ca)
{
	char keys[64] = "";

	if (load_key(r, F_CLIENT_KEY, &r->client_key, "client", &made[2]) < 0 ||
	    plan_leaf(r, CERT_CLIENT, new_ca) < 0 || plan_ca_copy(r, F_CLIENT_CA) < 0)
		return -1;
	snprintf(keys, sizeof(keys), "%s%s%s", made[0] ? ", ca" : "", made[1] ? ", server" : "",
		 made[2] ? ", client" : "");
	if (keys[0])
		summary_add(r, "new %s keys: %s",
			    r->key_type == KEY_RSA ? "rsa 4096" : "ecdsa P-256", keys + 2);
	return 0;
}

/* ---- writing ---- */

static int ensure_dir(struct run *r, int d)
{
	char path[PATH_MAX];
	int fd;

	if (r->dir_fd[d] >= 0)
		return 0;
	fd = files_open_dir(r->base_fd, dir_names[d], true, d == D_CLIENT);
	if (fd < 0) {
		snprintf(path, sizeof(path), "%s/%s", r->base, dir_names[d]);
		error_write(r, path, fd);
		return -1;
	}
	r->dir_fd[d] = fd;
	return 0;
}

/* A folder where a client file goes (a job's mkdir, a volume mounted on a file path): an empty
 * one is removed, a file takes its place; one with something in it is an error, nothing is
 * written (never a tree deleted: it may hold someone's data). */
static int clear_client_folders(struct run *r)
{
	char path[PATH_MAX];

	for (int i = 0; i < F_N; i++) {
		int e;

		if (layout[i].dir != D_CLIENT || r->f[i].err != -EISDIR)
			continue;
		path_of(r, i, path, sizeof(path));
		e = files_remove_empty_dir(r->dir_fd[D_CLIENT], layout[i].name);
		if (e == -ENOTEMPTY) {
			error("%s is a folder with something in it, where the file goes: dind-certs removes only an empty folder there; remove it yourself (rm -r %s, after saving what you need from it), then start again",
			      path, path);
			return -1;
		}
		if (e < 0) {
			error_write(r, path, e);
			return -1;
		}
		warn("%s was an empty folder: removed, the file goes there", path);
		r->f[i].err = -ENOENT;
	}
	return 0;
}

/* client/ may be one volume shared by the dind-certs of several containers, each with its own
 * CA: each reads, plans and writes the client files holding a lock on the folder itself, so
 * that the last one leaves its whole set, never a mix of two. Taken after the lock on the base
 * folder (always in that order: no deadlock), and held until exit. A missing client/ is made
 * first, after the folders the CA and server files go to (their errors come first). */
static int open_client(struct run *r)
{
	int e;

	if (r->dir_fd[D_CLIENT] < 0) {
		for (int i = 0; i < F_N; i++) {
			if (r->f[i].out && ensure_dir(r, layout[i].dir) < 0)
				return -1;
		}
		if (ensure_dir(r, D_CLIENT) < 0)
			return -1;
	}
	e = files_lock(r->dir_fd[D_CLIENT]);
	if (e < 0) {
		error("cannot lock %s/%s (%s): another dind-certs (of another container sharing this client folder?) is still working on it",
		      r->base, dir_names[D_CLIENT], strerror(-e));
		return -1;
	}
	read_files(r, true);
	return clear_client_folders(r);
}

static int write_file(struct run *r, int f)
{
	char path[PATH_MAX];
	int e;

	if (!r->f[f].out)
		return 0;
	e = files_write_atomic(r->dir_fd[layout[f].dir], layout[f].name, r->f[f].out,
			       r->f[f].out_len, layout[f].mode);
	if (e < 0) {
		error_write(r, path_of(r, f, path, sizeof(path)), e);
		return -1;
	}
	return 0;
}

static int sync_dirs(struct run *r, const bool *dirty)
{
	char path[PATH_MAX];

	for (int d = 0; d < D_N; d++) {
		int e = dirty[d] ? files_sync_dir(r->dir_fd[d]) : 0;

		if (e < 0) {
			snprintf(path, sizeof(path), "%s/%s", r->base, dir_names[d]);
			error_write(r, path, e);
			return -1;
		}
	}
	return 0;
}

/* Kept files get their modes back (a restored backup, a umask): CI jobs must read the client
 * files, nobody else the CA and server keys. Only a warning when that fails: a read-only
 * volume (a Kubernetes secret) can still hold a valid set. */
static void fix_modes(struct run *r)
{
	char path[PATH_MAX], fixed[256] = "";

	for (int i = 0; i < F_N; i++) {
		const struct file *f = &r->f[i];
		bool changed;
		int e;

		if (f->err != 0 || f->out || f->mode == layout[i].mode)
			continue;
		e = files_set_mode(r->dir_fd[layout[i].dir], layout[i].name,
				   layout[i].dir == D_CLIENT, layout[i].mode, &changed);
		if (e < 0) {
			warn("cannot give %s mode %04o (%s): it stays %04o",
			     path_of(r, i, path, sizeof(path)), (unsigned)layout[i].mode,
			     strerror(-e), (unsigned)f->mode);
			continue;
		}
		if (changed) {
			size_t n = strlen(fixed);

			snprintf(fixed + n, sizeof(fixed) - n, "%s%s/%s %04o", n ? ", " : "",
				 dir_names[layout[i].dir], layout[i].name,
				 (unsigned)layout[i].mode);
		}
	}
	if (fixed[0])
		summary_add(r, "modes set: %s", fixed);
}

static int write_all_files(struct run *r)
{
	bool dirty[D_N] = { false };
	char path[PATH_MAX];
	int e;

	for (int i = 0; i < F_N; i++) {
		if (r->f[i].out && ensure_dir(r, layout[i].dir) < 0)
			return -1;
		if (r->f[i].out)
			dirty[layout[i].dir] = true;
	}
	/* temporary files of a dind-certs killed mid-write (a read-only folder has none) */
	for (int d = 0; d < D_N; d++) {
		if (r->dir_fd[d] >= 0)
			(void)files_sweep_temps(r->dir_fd[d]);
	}
	/* With a new CA, the old client/ca.pem is wrong: it goes first, so that a job waiting for
	 * it only finds it again once the new set is complete. */
	if (r->f[F_CA_CERT].out && present(r, F_CLIENT_CA) && r->dir_fd[D_CLIENT] >= 0) {
		e = files_remove(r->dir_fd[D_CLIENT], layout[F_CLIENT_CA].name);
		if (e < 0) {
			error_write(r, path_of(r, F_CLIENT_CA, path, sizeof(path)), e);
			return -1;
		}
	}
	for (int i = 0; i < F_CLIENT_CA; i++) {
		if (write_file(r, i) < 0)
			return -1;
	}
	fix_modes(r);
	/* everything else on disk before the file that says it is there */
	if (sync_dirs(r, dirty) < 0)
		return -1;
	if (write_file(r, F_CLIENT_CA) < 0)
		return -1;
	e = r->f[F_CLIENT_CA].out ? files_sync_dir(r->dir_fd[D_CLIENT]) : 0;
	if (e < 0) {
		error_write(r, path_of(r, F_CLIENT_CA, path, sizeof(path)), e);
		return -1;
	}
	return 0;
}

static bool any_output(const struct run *r)
{
	for (int i = 0; i < F_N; i++) {
		if (r->f[i].out)
			return true;
	}
	return false;
}

static int manage(struct run *r)
{
	char until[32], names[SUMMARY_MAX / 2];
	bool changed, made[3] = { false }, new_ca;

	if (plan_ca_server(r, made, &new_ca) < 0 || open_client(r) < 0 ||
	    plan_client(r, made, new_ca) < 0)
		return 1;
	changed = any_output(r);
	if (changed && !r->summary[0])
		summary_add(r, "CA copies updated");
	if (write_all_files(r) < 0)
		return 1;
	if (quiet)
		return 0;
	date_of(r->server, until, sizeof(until));
	if (!changed && !r->summary[0]) {
		san_format(&r->want, names, sizeof(names));
		msg("", "%s: reused: all certificates valid (server until %s, %zu names: %s)",
		    r->base, until, r->want.n, names);
	} else {
		msg("", "%s: %s", r->base, r->summary);
	}
	return 0;
}

/* ---- the whole run ---- */

static int open_base(struct run *r)
{
	int e = files_mkdirs(r->base, FILES_DIR_MODE);

	if (e == -EEXIST || e == 0)
		e = files_open_dir(AT_FDCWD, r->base, false, false);
	if (e < 0) {
		if (e == -ENOTDIR)
			error("%s is not a folder: set DOCKER_TLS_CERTDIR (or --dir) to a folder",
			      r->base);
		else
			error_write(r, r->base, e);
		return -1;
	}
	r->base_fd = e;
	e = files_lock(r->base_fd);
	if (e < 0) {
		error("cannot lock %s (%s): another dind-certs is still working on it", r->base,
		      strerror(-e));
		return -1;
	}
	return 0;
}

static int run(struct run *r)
{
	int rc;

	if (collect_names(r) != 0)
		return 1;
	if (open_base(r) < 0 || open_dirs(r) != 0)
		return 1;
	read_files(r, false);
	/* docker:dind's rule: server files without the CA key are the user's own */
	if (!present(r, F_CA_KEY) && present(r, F_SERVER_CA) && present(r, F_SERVER_CERT) &&
	    present(r, F_SERVER_KEY))
		return check_own(r);
	if (!present(r, F_CA_KEY) && present(r, F_CA_CERT)) {
		char path[PATH_MAX];

		error("%s is there but not ca/key.pem: add ca/key.pem (the CA's key) to let dind-certs sign, or bring server/ca.pem, server/cert.pem and server/key.pem, or remove %s to get a new CA",
		      path_of(r, F_CA_CERT, path, sizeof(path)), path);
		return 1;
	}
	rc = manage(r);
	return rc;
}

static void run_release(struct run *r)
{
	for (int i = 0; i < F_N; i++) {
		struct file *f = &r->f[i];

		if (layout[i].secret) {
			certs_free_secret(f->data, f->len);
			certs_free_secret(f->out, f->out_len);
		} else {
			free(f->data);
			free(f->out);
		}
	}
	for (int d = 0; d < D_N; d++) {
		if (r->dir_fd[d] >= 0)
			close(r->dir_fd[d]);
	}
	if (r->base_fd >= 0)
		close(r->base_fd);
	EVP_PKEY_free(r->ca_key);
	EVP_PKEY_free(r->server_key);
	EVP_PKEY_free(r->client_key);
	X509_free(r->ca);
	X509_free(r->server);
	X509_free(r->client);
	san_list_release(&r->want);
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: %s [--dir DIR] [--key-type ecdsa|rsa] [-q]\n"
		"Makes the TLS certificates of docker:dind in DIR, or checks and reuses them:\n"
		"  DIR/ca/{cert,key}.pem  DIR/server/{ca,cert,key}.pem  DIR/client/{ca,cert,key}.pem\n"
		"  --dir DIR          default: $DOCKER_TLS_CERTDIR\n"
		"  --key-type TYPE    of new keys: ecdsa (P-256, the default) or rsa (4096 bits, for\n"
		"                     old clients); default: $DIND_TLS_KEY_TYPE, else ecdsa\n"
		"  -q, --quiet        nothing on stderr on success, only warnings and errors\n"
		"More server names: DOCKER_TLS_SAN=DNS:name,IP:address,email:address,URI:uri,...\n"
		"Exit status: 0 done, 1 failed, 2 usage error.\n",
		PROG);
}

static int parse_key_type(const char *s, enum key_type *t)
{
	if (strcmp(s, "ecdsa") == 0)
		*t = KEY_ECDSA;
	else if (strcmp(s, "rsa") == 0)
		*t = KEY_RSA;
	else
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "key-type", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r;
	const char *type = getenv("DIND_TLS_KEY_TYPE");
	const char *type_from = "DIND_TLS_KEY_TYPE";
	int c, rc;

	memset(&r, 0, sizeof(r));
	r.base = getenv("DOCKER_TLS_CERTDIR");
	r.base_fd = -1;
	for (int d = 0; d < D_N; d++)
		r.dir_fd[d] = -1;
	san_list_init(&r.want);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			r.base = optarg;
			break;
		case 'k':
			type = optarg;
			type_from = "--key-type";
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", PROG, DIND_INIT_VERSION);
			return 0;
		default:
			error("unknown option or missing value: '%s' (try --help)",
			      argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		error("unexpected argument '%s' (try --help)", argv[optind]);
		return EXIT_USAGE;
	}
	if (!r.base || !r.base[0]) {
		error("no folder for the certificates: set DOCKER_TLS_CERTDIR or pass --dir DIR (an empty DOCKER_TLS_CERTDIR means TLS off: then do not run %s)",
		      PROG);
		return EXIT_USAGE;
	}
	r.key_type = KEY_ECDSA;
	if (type && type[0]) {
		if (parse_key_type(type, &r.key_type) < 0) {
			error("bad %s '%s': use ecdsa or rsa", type_from, type);
			return EXIT_USAGE;
		}
		r.key_type_set = true;
	}
	r.now = time(NULL);
	rc = run(&r);
	run_release(&r);
	return rc;
}

#include "tls/certs.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#define DAY_SECS 86400L

static const char *const state_text[] = {
	[CERT_OK] = "valid",
	[CERT_MISSING] = "missing",
	[CERT_UNREADABLE] = "not a PEM certificate",
	[CERT_KEY_MISMATCH] = "not the certificate of its key",
	[CERT_NOT_CA] = "not a CA certificate",
	[CERT_WRONG_CA] = "not signed by the current CA",
	[CERT_NOT_YET_VALID] = "not valid yet",
	[CERT_EXPIRED] = "expired",
	[CERT_EXPIRING] = "expires within 30 days",
	[CERT_NAMES_CHANGED] = "names changed",
	[CERT_WRONG_USAGE] = "not valid for its use",
};

const char *certs_state_text(enum cert_state state)
{
	if ((size_t)state >= sizeof(state_text) / sizeof(state_text[0]))
		return "invalid";
	return state_text[state];
}

const char *certs_ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *why = e ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return why ? why : "unknown";
}

EVP_PKEY *certs_key_new(enum key_type type)
{
	if (type == KEY_RSA)
		return EVP_RSA_gen(CERT_RSA_BITS);
	return EVP_EC_gen(CERT_CURVE);
}

/* PEM_read_bio_PrivateKey would prompt on the terminal for the passphrase of an encrypted key:
 * refuse instead. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

int certs_key_parse(const void *pem, size_t len, EVP_PKEY **out)
{
	BIO *b;
	EVP_PKEY *k;

	*out = NULL;
	if (len > INT32_MAX)
		return -EBADMSG;
	/* PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY", or a traditional key's "Proc-Type: 4,ENCRYPTED" */
	if (memmem(pem, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) ||
	    memmem(pem, len, "Proc-Type: 4,ENCRYPTED", 22))
		return -EKEYREJECTED;
	b = BIO_new_mem_buf(pem, (int)len);
	if (!b)
		return -ENOMEM;
	k = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (!k)
		return -EBADMSG;
	*out = k;
	return 0;
}

void certs_key_describe(EVP_PKEY *key, char *buf, size_t len)
{
	char group[64];
	size_t glen = 0;

	if (EVP_PKEY_is_a(key, "RSA")) {
		snprintf(buf, len, "rsa %d", EVP_PKEY_get_bits(key));
	} else if (EVP_PKEY_is_a(key, "EC")) {
		if (EVP_PKEY_get_group_name(key, group, sizeof(group), &glen) != 1)
			snprintf(group, sizeof(group), "%d bits", EVP_PKEY_get_bits(key));
		/* OpenSSL says prime256v1 for the curve everyone else calls P-256 */
		snprintf(buf, len, "ecdsa %s", strcmp(group, "prime256v1") == 0 ? "P-256" : group);
	} else {
		const char *name = EVP_PKEY_get0_type_name(key);

		snprintf(buf, len, "%s", name ? name : "unknown");
	}
	ERR_clear_error();
}

/* RSA: Go's crypto/rsa refuses an even exponent, or one below 3 or above 2^31-1 */
static const char *rsa_unusable(EVP_PKEY *key)
{
	int bits = EVP_PKEY_get_bits(key);
	BIGNUM *e = NULL;
	const char *why = NULL;

	if (bits < KEY_RSA_MIN_BITS)
		why = "too weak: rsa keys need at least 2048 bits";
	else if (bits > KEY_RSA_MAX_BITS)
		why = "too large: Go's TLS takes rsa keys of at most 8192 bits";
	else if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1 || !BN_is_odd(e) ||
		 BN_is_one(e) || BN_num_bits(e) > 31)
		why = "a public exponent Go's TLS refuses";
	BN_free(e);
	return why;
}

static const char *ec_unusable(EVP_PKEY *key)
{
	/* OpenSSL's names of P-256, P-384 and P-521 */
	static const char *const curves[] = { "prime256v1", "secp384r1", "secp521r1" };
	char group[64];
	size_t len = 0;
	int explicit_params = 0;

	/* the group of a key with explicit parameters may be named when they match a named
	 * curve; Go reads only the name's OID */
	if (EVP_PKEY_get_int_param(key, OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS,
				   &explicit_params) == 1 &&
	    explicit_params)
		return "explicit curve parameters, which Go's TLS cannot read";
	if (EVP_PKEY_get_group_name(key, group, sizeof(group), &len) == 1) {
		for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
			if (strcmp(group, curves[i]) == 0)
				return NULL;
		}
	}
	return "a curve Go's TLS does not take";
}

const char *certs_key_unusable(EVP_PKEY *key, enum cert_kind kind)
{
	const char *why;

	/* "RSA" is not RSA-PSS, which Go cannot read */
	if (EVP_PKEY_is_a(key, "RSA"))
		why = rsa_unusable(key);
	else if (EVP_PKEY_is_a(key, "EC"))
		why = ec_unusable(key);
	else if (EVP_PKEY_is_a(key, "ED25519"))
		why = kind == CERT_CLIENT ? "not a type dind-certs keeps for a client" : NULL;
	else
		why = "a type Go's TLS cannot use";
	ERR_clear_error();
	return why;
}

bool certs_key_is(EVP_PKEY *key, enum key_type type)
{
	return EVP_PKEY_is_a(key, type == KEY_RSA ? "RSA" : "EC") == 1;
}

/* the contents of a memory BIO as a malloc'ed, NUL-terminated copy */
static int bio_copy(BIO *b, char **pem, size_t *len)
{
	char *data;
	long n = BIO_get_mem_data(b, &data);
	char *copy;

	if (n <= 0)
		return -EPROTO;
	copy = malloc((size_t)n + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, (size_t)n);
	copy[n] = '\0';
	*pem = copy;
	*len = (size_t)n;
	return 0;
}

int certs_key_pem(EVP_PKEY *key, char **pem, size_t *len)
{
	/* secure memory: the buffer is wiped when freed */
	BIO *b = BIO_new(BIO_s_secmem());
	int r = -EPROTO;

	if (!b)
		return -ENOMEM;
	if (PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) == 1)
		r = bio_copy(b, pem, len);
	BIO_free(b);
	return r;
}

int certs_cert_pem(X509 *cert, char **pem, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int r = -EPROTO;

	if (!b)
		return -ENOMEM;
	if (PEM_write_bio_X509(b, cert) == 1)
		r = bio_copy(b, pem, len);
	BIO_free(b);
	return r;
}

void certs_free_secret(char *pem, size_t len)
{
	if (!pem)
		return;
	OPENSSL_cleanse(pem, len);
	free(pem);
}

int certs_cert_parse_all(const void *pem, size_t len, STACK_OF(X509) * *out)
{
	STACK_OF(X509) * sk;
	BIO *b;
	X509 *x;
	int r = 0;

	*out = NULL;
	if (len > INT32_MAX)
		return -EBADMSG;
	b = BIO_new_mem_buf(pem, (int)len);
	sk = sk_X509_new_null();
	if (!b || !sk) {
		BIO_free(b);
		sk_X509_free(sk);
		return -ENOMEM;
	}
	while ((x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL))) {
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			r = -ENOMEM;
			break;
		}
	}
	/* the loop ends on "no start line": not an error once there was a certificate */
	ERR_clear_error();
	BIO_free(b);
	if (r == 0 && sk_X509_num(sk) == 0)
		r = -EBADMSG;
	if (r < 0) {
		sk_X509_pop_free(sk, X509_free);
		return r;
	}
	*out = sk;
	return 0;
}

int certs_cert_parse(const void *pem, size_t len, X509 **out)
{
	STACK_OF(X509) * sk;
	int r = certs_cert_parse_all(pem, len, &sk);

	*out = NULL;
	if (r < 0)
		return r;
	*out = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	return 0;
}

static int set_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	int ok = bn && BN_rand(bn, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);

	/* zero is not a valid serial (RFC 5280 4.1.2.2); one in 2^128 */
	while (ok && BN_is_zero(bn))
		ok = BN_rand(bn, 128, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
	ok = ok && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
	BN_free(bn);
	return ok ? 0 : -EPROTO;
}

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = e && X509_add_ext(x, e, -1);

	X509_EXTENSION_free(e);
	return ok ? 0 : -EPROTO;
}

/* authorityKeyIdentifier from the CA's subjectKeyIdentifier, when it has one (a CA brought by
 * the user may not: then there is none, as Go and OpenSSL both accept) */
static int add_akid(X509 *x, X509 *ca)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(ca);
	AUTHORITY_KEYID *akid;
	int ok;

	if (!skid)
		return 0;
	akid = AUTHORITY_KEYID_new();
	if (!akid)
		return -ENOMEM;
	akid->keyid = ASN1_OCTET_STRING_dup(skid);
	ok = akid->keyid &&
	     X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT) == 1;
	AUTHORITY_KEYID_free(akid);
	return ok ? 0 : -EPROTO;
}

static GENERAL_NAME *general_name(const struct san_entry *e)
{
	static const int gen_type[] = {
		[SAN_DNS] = GEN_DNS,	 [SAN_IPV4] = GEN_IPADD, [SAN_IPV6] = GEN_IPADD,
		[SAN_EMAIL] = GEN_EMAIL, [SAN_URI] = GEN_URI,
	};
	bool ip = e->type == SAN_IPV4 || e->type == SAN_IPV6;
	GENERAL_NAME *g = GENERAL_NAME_new();
	/* dNSName, rfc822Name and uniformResourceIdentifier are IA5Strings */
	ASN1_STRING *s = ip ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
	int ok;

	if (!g || !s)
		goto fail;
	if (!ip)
		ok = ASN1_STRING_set(s, e->text, (int)strlen(e->text));
	else
		ok = ASN1_OCTET_STRING_set(s, e->ip, e->type == SAN_IPV4 ? 4 : 16);
	if (!ok)
		goto fail;
	GENERAL_NAME_set0_value(g, gen_type[e->type], s);
	return g;
fail:
	ASN1_STRING_free(s);
	GENERAL_NAME_free(g);
	return NULL;
}

static int add_san(X509 *x, const struct san_list *san)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	int ok = gens != NULL;

	for (size_t i = 0; ok && i < san->n; i++) {
		GENERAL_NAME *g = general_name(&san->v[i]);

		ok = g && sk_GENERAL_NAME_push(gens, g);
		if (!ok)
			GENERAL_NAME_free(g);
	}
	ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT) == 1;
	GENERAL_NAMES_free(gens);
	return ok ? 0 : -EPROTO;
}

static int add_extensions(X509 *x, enum cert_kind kind, EVP_PKEY *key, X509 *ca,
			  const struct san_list *san)
{
	X509V3_CTX ctx;
	int r;

	X509V3_set_ctx(&ctx, kind == CERT_CA ? x : ca, x, NULL, NULL, 0);
	if (kind == CERT_CA) {
		r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
		r = r ?: add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature,keyCertSign");
		return r ?: add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	}
	r = add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE");
	if (kind == CERT_SERVER) {
		/* TLS 1.2 RSA key exchange encrypts to the server's key */
		r = r
			    ?: add_ext(x, &ctx, NID_key_usage,
				       EVP_PKEY_is_a(key, "RSA")
					       ? "critical,digitalSignature,keyEncipherment"
					       : "critical,digitalSignature");
		r = r ?: add_ext(x, &ctx, NID_ext_key_usage, "serverAuth");
	} else {
		r = r ?: add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature");
		r = r ?: add_ext(x, &ctx, NID_ext_key_usage, "clientAuth");
	}
	r = r ?: add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	r = r ?: add_akid(x, ca);
	if (kind == CERT_SERVER && san && san->n > 0)
		r = r ?: add_san(x, san);
	return r;
}

static const char *const common_names[] = {
	[CERT_CA] = "docker:dind CA",
	[CERT_SERVER] = "docker:dind server",
	[CERT_CLIENT] = "docker:dind client",
};

int certs_make(enum cert_kind kind, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
	       const struct san_list *san, time_t now, long days, X509 **out)
{
	EVP_PKEY *signer = kind == CERT_CA ? key : ca_key;
	/* Ed25519 and Ed448 sign the message itself: no digest */
	const EVP_MD *md = (EVP_PKEY_is_a(signer, "ED25519") || EVP_PKEY_is_a(signer, "ED448"))
				   ? NULL
				   : EVP_sha256();
	X509 *x = X509_new();
	X509_NAME *name;
	int r = -EPROTO;

	*out = NULL;
	if (!x)
		return -ENOMEM;
	if (!X509_set_version(x, X509_VERSION_3) || (r = set_serial(x)) < 0)
		goto fail;
	r = -EPROTO;
	/* notAfter - notBefore is exactly days: Apple counts the 825 days from notBefore */
	if (!X509_time_adj_ex(X509_getm_notBefore(x), 0, -CERT_BACKDATE_SECS, &now) ||
	    !X509_time_adj_ex(X509_getm_notAfter(x), (int)days, -CERT_BACKDATE_SECS, &now))
		goto fail;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)common_names[kind], -1, -1, 0))
		goto fail;
	if (!X509_set_issuer_name(x, kind == CERT_CA ? name : X509_get_subject_name(ca)) ||
	    !X509_set_pubkey(x, key))
		goto fail;
	r = add_extensions(x, kind, key, ca, san);
	if (r < 0)
		goto fail;
	r = -EPROTO;
	if (X509_sign(x, signer, md) <= 0)
		goto fail;
	*out = x;
	return 0;
fail:
	X509_free(x);
	return r;
}

bool certs_key_matches(X509 *cert, EVP_PKEY *key)
{
	bool ok = X509_check_private_key(cert, key) == 1;

	ERR_clear_error();
	return ok;
}

static enum cert_state validity(X509 *x, time_t now)
{
	time_t renew = now + CERT_RENEW_DAYS * DAY_SECS;

	/* X509_cmp_time: -1 when the certificate's time is at or before the given one, 1 when
	 * after, 0 when it cannot be read */
	if (X509_cmp_time(X509_get0_notBefore(x), &now) != -1)
		return CERT_NOT_YET_VALID;
	if (X509_cmp_time(X509_get0_notAfter(x), &now) != 1)
		return CERT_EXPIRED;
	if (X509_cmp_time(X509_get0_notAfter(x), &renew) != 1)
		return CERT_EXPIRING;
	return CERT_OK;
}

enum cert_state certs_check_ca(X509 *ca, EVP_PKEY *ca_key, time_t now)
{
	enum cert_state s = CERT_OK;

	if (!certs_key_matches(ca, ca_key))
		s = CERT_KEY_MISMATCH;
	/* 1: CA:TRUE, and keyCertSign if keyUsage is there at all */
	else if (X509_check_ca(ca) != 1)
		s = CERT_NOT_CA;
	else
		s = validity(ca, now);
	ERR_clear_error();
	return s;
}

static int verify(X509 *cert, STACK_OF(X509) * chain, STACK_OF(X509) * trusted, int purpose,
		  time_t now, const char **why)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int r = -ENOMEM;

	*why = NULL;
	if (!store || !ctx)
		goto out;
	for (int i = 0; i < sk_X509_num(trusted); i++) {
		if (!X509_STORE_add_cert(store, sk_X509_value(trusted, i)))
			goto out;
	}
	if (!X509_STORE_CTX_init(ctx, store, cert, chain))
		goto out;
	/* Go takes any certificate of its roots as an anchor, self-signed or not */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_CTX_set_time(ctx, 0, now);
	if (!X509_STORE_CTX_set_purpose(ctx, purpose))
		goto out;
	if (X509_verify_cert(ctx) == 1) {
		r = 0;
	} else {
		*why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
		r = -EKEYREJECTED;
	}
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return r;
}

int certs_verify_chain(X509 *cert, STACK_OF(X509) * chain, STACK_OF(X509) * trusted, time_t now,
		       const char **why)
{
	return verify(cert, chain, trusted, X509_PURPOSE_SSL_SERVER, now, why);
}

static bool same_names(X509 *cert, const struct san_list *want)
{
	struct san_list got;
	bool same;

	san_list_init(&got);
	same = certs_san_of(cert, &got) == 0 && san_list_equal(&got, want);
	san_list_release(&got);
	return same;
}

enum cert_state certs_check_leaf(X509 *cert, EVP_PKEY *key, X509 *ca, enum cert_kind kind,
				 const struct san_list *want, time_t now)
{
	EVP_PKEY *ca_pub = X509_get0_pubkey(ca);
	STACK_OF(X509) * trusted;
	enum cert_state s = CERT_OK;
	const char *why;

	if (!certs_key_matches(cert, key))
		return CERT_KEY_MISMATCH;
	if (!ca_pub || X509_check_issued(ca, cert) != X509_V_OK || X509_verify(cert, ca_pub) != 1) {
		ERR_clear_error();
		return CERT_WRONG_CA;
	}
	s = validity(cert, now);
	if (s != CERT_OK)
		return s;
	if (kind == CERT_SERVER && want && !same_names(cert, want))
		return CERT_NAMES_CHANGED;
	/* the rest, as a TLS peer checks it: extendedKeyUsage, keyUsage, the CA's constraints */
	trusted = sk_X509_new_null();
	if (!trusted || !sk_X509_push(trusted, ca) ||
	    verify(cert, NULL, trusted,
		   kind == CERT_SERVER ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT, now,
		   &why) < 0)
		s = CERT_WRONG_USAGE;
	sk_X509_free(trusted);
	ERR_clear_error();
	return s;
}

int certs_san_of(X509 *cert, struct san_list *out)
{
	int crit = 0;
	GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, NULL);
	int r = 0;

	if (!gens) {
		ERR_clear_error();
		/* -1: no such extension; anything else: there and broken, or there twice */
		return crit == -1 ? 0 : -EINVAL;
	}
	for (int i = 0; r == 0 && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char name[SAN_TEXT_MAX + 2];
		const unsigned char *d;
		int len;

		switch (g->type) {
		case GEN_DNS:
		case GEN_EMAIL:
		case GEN_URI:
			/* the three are IA5Strings: d.ia5 */
			d = ASN1_STRING_get0_data(g->d.ia5);
			len = ASN1_STRING_length(g->d.ia5);
			if (len <= 0 || (size_t)len >= sizeof(name) ||
			    memchr(d, '\0', (size_t)len)) {
				r = -EINVAL;
				break;
			}
			memcpy(name, d, (size_t)len);
			name[len] = '\0';
			r = g->type == GEN_DNS	   ? san_add_dns(out, name)
			    : g->type == GEN_EMAIL ? san_add_email(out, name)
						   : san_add_uri(out, name);
			break;
		case GEN_IPADD:
			d = ASN1_STRING_get0_data(g->d.iPAddress);
			len = ASN1_STRING_length(g->d.iPAddress);
			if (len == 4)
				r = san_add_ip(out, AF_INET, d);
			else if (len == 16)
				r = san_add_ip(out, AF_INET6, d);
			else
				r = -EINVAL;
			break;
		default:
			r = -EINVAL;
			break;
		}
	}
	GENERAL_NAMES_free(gens);
	san_sort_unique(out);
	return r;
}

int certs_not_after(X509 *cert, time_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) {
		ERR_clear_error();
		return -EINVAL;
	}
	*out = timegm(&tm);
	return 0;
}

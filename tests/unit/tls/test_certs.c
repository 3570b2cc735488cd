/* tls/certs.c: keys, certificates and their checks, in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls/certs.h"

#define DAY 86400L

/* a fixed "now": 2030-01-01 */
static const time_t now = 1893456000;

struct fixture {
	EVP_PKEY *ca_key, *server_key, *client_key, *other_key;
	X509 *ca, *server, *client, *other_ca;
	struct san_list names;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char bad[SAN_BAD_MAX];

	assert_non_null(f);
	san_list_init(&f->names);
	assert_int_equal(san_parse_spec(&f->names, "DNS:docker,DNS:localhost,IP:127.0.0.1,IP:::1",
					bad, sizeof(bad)),
			 0);
	san_sort_unique(&f->names);
	f->ca_key = certs_key_new(KEY_ECDSA);
	f->server_key = certs_key_new(KEY_ECDSA);
	f->client_key = certs_key_new(KEY_ECDSA);
	f->other_key = certs_key_new(KEY_ECDSA);
	assert_non_null(f->ca_key);
	assert_non_null(f->other_key);
	assert_int_equal(certs_make(CERT_CA, f->ca_key, NULL, NULL, NULL, now, CERT_DAYS, &f->ca),
			 0);
	assert_int_equal(
		certs_make(CERT_CA, f->other_key, NULL, NULL, NULL, now, CERT_DAYS, &f->other_ca),
		0);
	assert_int_equal(certs_make(CERT_SERVER, f->server_key, f->ca, f->ca_key, &f->names, now,
				    CERT_DAYS, &f->server),
			 0);
	assert_int_equal(certs_make(CERT_CLIENT, f->client_key, f->ca, f->ca_key, NULL, now,
				    CERT_DAYS, &f->client),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	EVP_PKEY_free(f->ca_key);
	EVP_PKEY_free(f->server_key);
	EVP_PKEY_free(f->client_key);
	EVP_PKEY_free(f->other_key);
	X509_free(f->ca);
	X509_free(f->server);
	X509_free(f->client);
	X509_free(f->other_ca);
	san_list_release(&f->names);
	free(f);
	return 0;
}

static void test_key_pem_round_trip(void **state)
{
	struct fixture *f = *state;
	EVP_PKEY *back = NULL;
	char desc[64], *pem = NULL;
	size_t len = 0;

	assert_int_equal(certs_key_pem(f->server_key, &pem, &len), 0);
	assert_int_equal(len, strlen(pem));
	/* PKCS#8, which Go's tls.X509KeyPair reads for every key type */
	assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----\n"));
	assert_int_equal(certs_key_parse(pem, len, &back), 0);
	assert_int_equal(EVP_PKEY_eq(back, f->server_key), 1);
	certs_key_describe(back, desc, sizeof(desc));
	assert_string_equal(desc, "ecdsa P-256");
	assert_true(certs_key_is(back, KEY_ECDSA));
	assert_false(certs_key_is(back, KEY_RSA));
	EVP_PKEY_free(back);
	certs_free_secret(pem, len);
	certs_free_secret(NULL, 0);
}

static void test_key_parse_errors(void **state)
{
	struct fixture *f = *state;
	static const char garbage[] = "hello\n";
	static const char half[] =
		"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\n";
	char *cert = NULL, *enc;
	size_t cert_len;
	EVP_PKEY *k = (EVP_PKEY *)1;
	BIO *b = BIO_new(BIO_s_mem());
	long enc_len;

	(void)state;
	assert_int_equal(certs_key_parse(garbage, strlen(garbage), &k), -EBADMSG);
	assert_null(k);
	assert_int_equal(certs_key_parse("", 0, &k), -EBADMSG);
	assert_int_equal(certs_key_parse(half, strlen(half), &k), -EBADMSG);
	/* a certificate is no key */
	assert_int_equal(certs_cert_pem(f->ca, &cert, &cert_len), 0);
	assert_int_equal(certs_key_parse(cert, cert_len, &k), -EBADMSG);
	free(cert);
	/* an encrypted key: refused, never a passphrase prompt */
	assert_non_null(b);
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(b, f->server_key, EVP_aes_128_cbc(), NULL, 0,
						       NULL, (void *)"secret"),
			 1);
	enc_len = BIO_get_mem_data(b, &enc);
	assert_int_equal(certs_key_parse(enc, (size_t)enc_len, &k), -EKEYREJECTED);
	assert_null(k);
	BIO_free(b);
}

static void test_rsa_key(void **state)
{
	EVP_PKEY *k = certs_key_new(KEY_RSA);
	char desc[64];

	(void)state;
	assert_non_null(k);
	certs_key_describe(k, desc, sizeof(desc));
	assert_string_equal(desc, "rsa 4096");
	assert_true(certs_key_is(k, KEY_RSA));
	EVP_PKEY_free(k);
}

/* a key of algorithm alg: a named curve for "EC", bits for "RSA", "RSA-PSS" and "DSA" */
static EVP_PKEY *gen_key(const char *alg, const char *curve, unsigned bits)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *params = NULL, *key = NULL;

	if (strcmp(alg, "EC") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	if (strcmp(alg, "RSA") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, alg, (size_t)bits);
	if (strcmp(alg, "RSA-PSS") == 0) {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA-PSS", NULL);
		assert_non_null(ctx);
		assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits), 1);
		assert_int_equal(EVP_PKEY_keygen(ctx, &key), 1);
		EVP_PKEY_CTX_free(ctx);
		return key;
	}
	if (strcmp(alg, "DSA") != 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, alg);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_paramgen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_dsa_paramgen_bits(ctx, (int)bits), 1);
	assert_int_equal(EVP_PKEY_paramgen(ctx, &params), 1);
	EVP_PKEY_CTX_free(ctx);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_keygen(ctx, &key), 1);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return key;
}

/* P-256 written with explicit curve parameters, as `openssl genpkey -pkeyopt
 * ec_param_enc:explicit` makes it */
static EVP_PKEY *gen_explicit_p256(void)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0),
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING,
						 (char *)OSSL_PKEY_EC_ENCODING_EXPLICIT, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_PKEY *key = NULL;

	assert_non_null(ctx);
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_params(ctx, params), 1);
	assert_int_equal(EVP_PKEY_keygen(ctx, &key), 1);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* An RSA key of bits bits and exponent e that is only numbers (no primes, not a working key):
 * enough for the checks, and an RSA 9216 key without generating one. */
static EVP_PKEY *fake_rsa(int bits, unsigned long e)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *n = BN_new(), *d = BN_new(), *be = BN_new();
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params;
	EVP_PKEY *key = NULL;

	assert_true(ctx && n && d && be && bld);
	assert_int_equal(BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(BN_rand(d, bits - 8, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD), 1);
	assert_int_equal(BN_set_word(be, e), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be), 1);
	assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d), 1);
	params = OSSL_PARAM_BLD_to_param(bld);
	assert_non_null(params);
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	assert_int_equal(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params), 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(d);
	BN_free(be);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* Which keys are kept for the CA, the server and the client: what Go's TLS (the docker CLI,
 * dockerd) takes and is not weak; for the client, only what dind-certs would make. Each key
 * as read back from its PEM file. */
static void test_key_unusable(void **state)
{
	enum { RSA_E3 = 1, FAKE_9216, FAKE_EVEN_E, EXPLICIT };
	static const struct {
		const char *alg, *curve;
		unsigned bits;
		int special;
		const char *desc;
		const char *why_ca_server, *why_client; /* NULL: kept */
	} cases[] = {
		{ "EC", "P-256", 0, 0, "ecdsa P-256", NULL, NULL },
		{ "EC", "P-384", 0, 0, "ecdsa secp384r1", NULL, NULL },
		{ "EC", "P-521", 0, 0, "ecdsa secp521r1", NULL, NULL },
		{ "RSA", NULL, 2048, 0, "rsa 2048", NULL, NULL },
		{ "RSA", NULL, 2048, RSA_E3, "rsa 2048", NULL, NULL },
		{ "ED25519", NULL, 0, 0, "ED25519", NULL,
		  "not a type dind-certs keeps for a client" },
		{ "EC", NULL, 0, EXPLICIT, "ecdsa P-256",
		  "explicit curve parameters, which Go's TLS cannot read",
		  "explicit curve parameters, which Go's TLS cannot read" },
		{ "EC", "P-224", 0, 0, "ecdsa secp224r1", "a curve Go's TLS does not take",
		  "a curve Go's TLS does not take" },
		{ "EC", "secp256k1", 0, 0, "ecdsa secp256k1", "a curve Go's TLS does not take",
		  "a curve Go's TLS does not take" },
		{ "EC", "secp112r1", 0, 0, "ecdsa secp112r1", "a curve Go's TLS does not take",
		  "a curve Go's TLS does not take" },
		{ "RSA", NULL, 1024, 0, "rsa 1024", "too weak: rsa keys need at least 2048 bits",
		  "too weak: rsa keys need at least 2048 bits" },
		{ "RSA", NULL, 9216, FAKE_9216, "rsa 9216",
		  "too large: Go's TLS takes rsa keys of at most 8192 bits",
		  "too large: Go's TLS takes rsa keys of at most 8192 bits" },
		{ "RSA", NULL, 2048, FAKE_EVEN_E, "rsa 2048", "a public exponent Go's TLS refuses",
		  "a public exponent Go's TLS refuses" },
		{ "RSA-PSS", NULL, 2048, 0, "RSA-PSS", "a type Go's TLS cannot use",
		  "a type Go's TLS cannot use" },
		{ "X25519", NULL, 0, 0, "X25519", "a type Go's TLS cannot use",
		  "a type Go's TLS cannot use" },
		{ "X448", NULL, 0, 0, "X448", "a type Go's TLS cannot use",
		  "a type Go's TLS cannot use" },
		{ "ED448", NULL, 0, 0, "ED448", "a type Go's TLS cannot use",
		  "a type Go's TLS cannot use" },
		{ "DSA", NULL, 1024, 0, "DSA", "a type Go's TLS cannot use",
		  "a type Go's TLS cannot use" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EVP_PKEY *made, *key = NULL;
		const char *want[3] = { cases[i].why_ca_server, cases[i].why_ca_server,
					cases[i].why_client };
		char desc[64], *pem = NULL;
		size_t len = 0;

		if (cases[i].special == FAKE_9216 || cases[i].special == FAKE_EVEN_E) {
			made = fake_rsa((int)cases[i].bits,
					cases[i].special == FAKE_EVEN_E ? 65538 : 65537);
		} else if (cases[i].special == EXPLICIT) {
			made = gen_explicit_p256();
		} else if (cases[i].special == RSA_E3) {
			EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
			BIGNUM *e3 = BN_new();

			made = NULL;
			assert_true(ctx && e3 && BN_set_word(e3, 3));
			assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
			assert_int_equal(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048), 1);
			assert_int_equal(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e3), 1);
			assert_int_equal(EVP_PKEY_keygen(ctx, &made), 1);
			BN_free(e3);
			EVP_PKEY_CTX_free(ctx);
		} else {
			made = gen_key(cases[i].alg, cases[i].curve, cases[i].bits);
		}
		if (!made)
			fail_msg("case %zu (%s %s): cannot make the key", i, cases[i].alg,
				 cases[i].curve ? cases[i].curve : "");
		/* as dind-certs reads it from a file; a fake RSA key has no PKCS#8 form (no
		 * primes) */
		if (cases[i].special == FAKE_9216 || cases[i].special == FAKE_EVEN_E) {
			key = made;
			assert_int_equal(EVP_PKEY_up_ref(key), 1);
		} else {
			if (certs_key_pem(made, &pem, &len) != 0)
				fail_msg("case %zu (%s): no PEM", i, cases[i].desc);
			assert_int_equal(certs_key_parse(pem, len, &key), 0);
		}
		certs_key_describe(key, desc, sizeof(desc));
		assert_string_equal(desc, cases[i].desc);
		for (int kind = CERT_CA; kind <= CERT_CLIENT; kind++) {
			const char *got = certs_key_unusable(key, (enum cert_kind)kind);

			if ((got == NULL) != (want[kind] == NULL) ||
			    (got && strcmp(got, want[kind]) != 0))
				fail_msg("%s (kind %d): want %s, got %s", desc, kind,
					 want[kind] ? want[kind] : "kept", got ? got : "kept");
		}
		certs_free_secret(pem, len);
		EVP_PKEY_free(made);
		EVP_PKEY_free(key);
	}
}

/* the text of extension nid, as `openssl x509 -text` shows it */
static const char *ext_text(X509 *x, int nid, bool *critical)
{
	static char buf[1024];
	int i = X509_get_ext_by_NID(x, nid, -1);
	X509_EXTENSION *e;
	BIO *b;
	int n;

	if (i < 0)
		return NULL;
	e = X509_get_ext(x, i);
	*critical = X509_EXTENSION_get_critical(e);
	b = BIO_new(BIO_s_mem());
	assert_int_equal(X509V3_EXT_print(b, e, 0, 0), 1);
	n = BIO_read(b, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(b);
	return buf;
}

static const char *cn_of(X509 *x)
{
	static char buf[256];

	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf));
	return buf;
}

static void assert_ext(X509 *x, int nid, const char *want, bool want_critical)
{
	bool critical = false;
	const char *got = ext_text(x, nid, &critical);

	if (!got || strcmp(got, want) != 0 || critical != want_critical)
		fail_msg("%s of %s: want '%s'%s, got '%s'%s", OBJ_nid2sn(nid), cn_of(x), want,
			 want_critical ? " critical" : "", got ? got : "(none)",
			 critical ? " critical" : "");
}

static void test_certificate_contents(void **state)
{
	struct fixture *f = *state;
	const ASN1_INTEGER *serial[3] = { X509_get0_serialNumber(f->ca),
					  X509_get0_serialNumber(f->server),
					  X509_get0_serialNumber(f->client) };
	X509 *all[3] = { f->ca, f->server, f->client };
	bool critical;
	int days, secs;

	assert_string_equal(cn_of(f->ca), "docker:dind CA");
	assert_string_equal(cn_of(f->server), "docker:dind server");
	assert_string_equal(cn_of(f->client), "docker:dind client");
	assert_ext(f->ca, NID_basic_constraints, "CA:TRUE", true);
	assert_ext(f->ca, NID_key_usage, "Digital Signature, Certificate Sign", true);
	assert_non_null(ext_text(f->ca, NID_subject_key_identifier, &critical));
	assert_ext(f->server, NID_basic_constraints, "CA:FALSE", true);
	assert_ext(f->server, NID_key_usage, "Digital Signature", true);
	assert_ext(f->server, NID_ext_key_usage, "TLS Web Server Authentication", false);
	assert_ext(f->server, NID_subject_alt_name,
		   "DNS:docker, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
		   false);
	assert_ext(f->client, NID_ext_key_usage, "TLS Web Client Authentication", false);
	assert_ext(f->client, NID_key_usage, "Digital Signature", true);
	assert_null(ext_text(f->client, NID_subject_alt_name, &critical));
	for (int i = 0; i < 3; i++) {
		ASN1_TIME *before = X509_getm_notBefore(all[i]);
		BIGNUM *bn = ASN1_INTEGER_to_BN(serial[i], NULL);

		assert_int_equal(X509_get_version(all[i]), X509_VERSION_3);
		assert_int_equal(X509_get_signature_nid(all[i]), NID_ecdsa_with_SHA256);
		/* exactly 825 days, from an hour before now */
		assert_int_equal(ASN1_TIME_diff(&days, &secs, before, X509_get0_notAfter(all[i])),
				 1);
		assert_int_equal(days, CERT_DAYS);
		assert_int_equal(secs, 0);
		assert_int_equal(X509_cmp_time(before, &(time_t){ now - CERT_BACKDATE_SECS }), -1);
		assert_int_equal(X509_cmp_time(before, &(time_t){ now - CERT_BACKDATE_SECS - 1 }),
				 1);
		/* random, positive, at most 128 bits, and different each time */
		assert_false(BN_is_negative(bn));
		assert_true(BN_num_bits(bn) <= 128 && BN_num_bits(bn) > 64);
		BN_free(bn);
		assert_int_not_equal(ASN1_INTEGER_cmp(serial[i], serial[(i + 1) % 3]), 0);
	}
	/* the leaves name the CA as their authority */
	assert_int_equal(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(f->server),
					       X509_get0_subject_key_id(f->ca)),
			 0);
}

static void test_rsa_certificate(void **state)
{
	struct fixture *f = *state;
	/* 2048 bits: the size makes no difference here, and saves a second */
	EVP_PKEY *ca_key = EVP_RSA_gen(2048), *key = EVP_RSA_gen(2048);
	X509 *ca = NULL, *server = NULL;

	assert_non_null(ca_key);
	assert_int_equal(certs_make(CERT_CA, ca_key, NULL, NULL, NULL, now, CERT_DAYS, &ca), 0);
	assert_int_equal(
		certs_make(CERT_SERVER, key, ca, ca_key, &f->names, now, CERT_DAYS, &server), 0);
	assert_int_equal(X509_get_signature_nid(server), NID_sha256WithRSAEncryption);
	assert_ext(server, NID_key_usage, "Digital Signature, Key Encipherment", true);
	assert_int_equal(certs_check_leaf(server, key, ca, CERT_SERVER, &f->names, now), CERT_OK);
	X509_free(ca);
	X509_free(server);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
}

static void test_ed25519_ca(void **state)
{
	struct fixture *f = *state;
	EVP_PKEY *ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	X509 *ca = NULL, *client = NULL;

	assert_non_null(ca_key);
	assert_int_equal(certs_make(CERT_CA, ca_key, NULL, NULL, NULL, now, CERT_DAYS, &ca), 0);
	assert_int_equal(certs_check_ca(ca, ca_key, now), CERT_OK);
	assert_int_equal(
		certs_make(CERT_CLIENT, f->client_key, ca, ca_key, NULL, now, CERT_DAYS, &client),
		0);
	assert_int_equal(certs_check_leaf(client, f->client_key, ca, CERT_CLIENT, NULL, now),
			 CERT_OK);
	X509_free(ca);
	X509_free(client);
	EVP_PKEY_free(ca_key);
}

static void test_check_ca(void **state)
{
	struct fixture *f = *state;
	X509 *short_ca = NULL;

	assert_int_equal(certs_check_ca(f->ca, f->ca_key, now), CERT_OK);
	assert_int_equal(certs_check_ca(f->ca, f->other_key, now), CERT_KEY_MISMATCH);
	/* a leaf cannot be the CA, even with its key */
	assert_int_equal(certs_check_ca(f->server, f->server_key, now), CERT_NOT_CA);
	assert_int_equal(certs_check_ca(f->ca, f->ca_key, now - 2 * CERT_BACKDATE_SECS),
			 CERT_NOT_YET_VALID);
	assert_int_equal(certs_check_ca(f->ca, f->ca_key, now + CERT_DAYS * DAY), CERT_EXPIRED);
	assert_int_equal(certs_check_ca(f->ca, f->ca_key, now + (CERT_DAYS - 29) * DAY),
			 CERT_EXPIRING);
	assert_int_equal(certs_check_ca(f->ca, f->ca_key, now + (CERT_DAYS - 31) * DAY), CERT_OK);
	assert_int_equal(certs_make(CERT_CA, f->ca_key, NULL, NULL, NULL, now, 10, &short_ca), 0);
	assert_int_equal(certs_check_ca(short_ca, f->ca_key, now), CERT_EXPIRING);
	X509_free(short_ca);
}

static void test_check_leaf(void **state)
{
	struct fixture *f = *state;
	struct san_list more;
	X509 *foreign = NULL, *soon = NULL, *later = NULL;
	char bad[SAN_BAD_MAX];

	assert_int_equal(
		certs_check_leaf(f->server, f->server_key, f->ca, CERT_SERVER, &f->names, now),
		CERT_OK);
	assert_int_equal(certs_check_leaf(f->client, f->client_key, f->ca, CERT_CLIENT, NULL, now),
			 CERT_OK);
	assert_int_equal(
		certs_check_leaf(f->server, f->client_key, f->ca, CERT_SERVER, &f->names, now),
		CERT_KEY_MISMATCH);
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->other_ca, CERT_SERVER,
					  &f->names, now),
			 CERT_WRONG_CA);
	/* the same subject name as the CA, but another key signed it */
	assert_int_equal(certs_make(CERT_SERVER, f->server_key, f->ca, f->other_key, &f->names, now,
				    CERT_DAYS, &foreign),
			 0);
	assert_int_equal(
		certs_check_leaf(foreign, f->server_key, f->ca, CERT_SERVER, &f->names, now),
		CERT_WRONG_CA);
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->ca, CERT_SERVER, &f->names,
					  now + (CERT_DAYS - 20) * DAY),
			 CERT_EXPIRING);
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->ca, CERT_SERVER, &f->names,
					  now + CERT_DAYS * DAY),
			 CERT_EXPIRED);
	assert_int_equal(
		certs_make(CERT_SERVER, f->server_key, f->ca, f->ca_key, &f->names, now, 10, &soon),
		0);
	assert_int_equal(certs_check_leaf(soon, f->server_key, f->ca, CERT_SERVER, &f->names, now),
			 CERT_EXPIRING);
	assert_int_equal(certs_make(CERT_SERVER, f->server_key, f->ca, f->ca_key, &f->names,
				    now + DAY, CERT_DAYS, &later),
			 0);
	assert_int_equal(certs_check_leaf(later, f->server_key, f->ca, CERT_SERVER, &f->names, now),
			 CERT_NOT_YET_VALID);
	/* one name more, or one less */
	san_list_init(&more);
	assert_int_equal(san_parse_spec(&more, "DNS:docker,DNS:localhost,IP:127.0.0.1,IP:::1,DNS:x",
					bad, sizeof(bad)),
			 0);
	san_sort_unique(&more);
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->ca, CERT_SERVER, &more, now),
			 CERT_NAMES_CHANGED);
	more.n = 2;
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->ca, CERT_SERVER, &more, now),
			 CERT_NAMES_CHANGED);
	/* a client certificate is no server certificate (extendedKeyUsage), and back */
	assert_int_equal(certs_check_leaf(f->client, f->client_key, f->ca, CERT_SERVER, NULL, now),
			 CERT_WRONG_USAGE);
	assert_int_equal(certs_check_leaf(f->server, f->server_key, f->ca, CERT_CLIENT, NULL, now),
			 CERT_WRONG_USAGE);
	san_list_release(&more);
	X509_free(foreign);
	X509_free(soon);
	X509_free(later);
}

static void test_san_of(void **state)
{
	struct fixture *f = *state;
	struct san_list got, names;
	char bad[SAN_BAD_MAX];
	X509 *server = NULL;

	san_list_init(&got);
	assert_int_equal(certs_san_of(f->server, &got), 0);
	assert_true(san_list_equal(&got, &f->names));
	san_list_release(&got);
	/* email addresses and URIs: in the certificate as rfc822Name and URI, read back the same
	 * (else the certificate would be re-signed on every start) */
	san_list_init(&names);
	assert_int_equal(
		san_parse_spec(
			&names,
			"DNS:docker,URI:spiffe://ci.example/dind,IP:127.0.0.1,email:CI@Example.COM,URI:urn:x",
			bad, sizeof(bad)),
		0);
	san_sort_unique(&names);
	assert_int_equal(certs_make(CERT_SERVER, f->server_key, f->ca, f->ca_key, &names, now,
				    CERT_DAYS, &server),
			 0);
	assert_ext(
		server, NID_subject_alt_name,
		"DNS:docker, IP Address:127.0.0.1, email:CI@example.com, URI:spiffe://ci.example/dind, URI:urn:x",
		false);
	assert_int_equal(certs_san_of(server, &got), 0);
	assert_true(san_list_equal(&got, &names));
	assert_int_equal(certs_check_leaf(server, f->server_key, f->ca, CERT_SERVER, &names, now),
			 CERT_OK);
	assert_int_equal(
		certs_check_leaf(server, f->server_key, f->ca, CERT_SERVER, &f->names, now),
		CERT_NAMES_CHANGED);
	san_list_release(&got);
	san_list_release(&names);
	X509_free(server);
	assert_int_equal(certs_san_of(f->client, &got), 0);
	assert_int_equal(got.n, 0);
	san_list_release(&got);
}

static void test_parse_and_verify_chain(void **state)
{
	struct fixture *f = *state;
	char *a = NULL, *b = NULL, *both;
	size_t alen, blen;
	STACK_OF(X509) *sk = NULL, *trusted = sk_X509_new_null(), *other = sk_X509_new_null();
	X509 *first = NULL;
	const char *why = "";

	assert_int_equal(certs_cert_pem(f->server, &a, &alen), 0);
	assert_int_equal(certs_cert_pem(f->ca, &b, &blen), 0);
	both = malloc(alen + blen + 16);
	assert_non_null(both);
	sprintf(both, "junk before\n%s%s", a, b);
	assert_int_equal(certs_cert_parse_all(both, strlen(both), &sk), 0);
	assert_int_equal(sk_X509_num(sk), 2);
	assert_int_equal(X509_cmp(sk_X509_value(sk, 1), f->ca), 0);
	sk_X509_pop_free(sk, X509_free);
	assert_int_equal(certs_cert_parse(both, strlen(both), &first), 0);
	assert_int_equal(X509_cmp(first, f->server), 0);
	X509_free(first);
	assert_int_equal(certs_cert_parse("nothing", 7, &first), -EBADMSG);
	assert_null(first);
	assert_int_equal(certs_cert_parse_all("", 0, &sk), -EBADMSG);
	assert_null(sk);

	sk_X509_push(trusted, f->ca);
	sk_X509_push(other, f->other_ca);
	assert_int_equal(certs_verify_chain(f->server, NULL, trusted, now, &why), 0);
	assert_null(why);
	assert_int_equal(certs_verify_chain(f->server, NULL, other, now, &why), -EKEYREJECTED);
	assert_non_null(why);
	assert_int_equal(certs_verify_chain(f->server, NULL, trusted, now + CERT_DAYS * DAY, &why),
			 -EKEYREJECTED);
	assert_string_equal(why, "certificate has expired");
	/* a client certificate is no server certificate */
	assert_int_equal(certs_verify_chain(f->client, NULL, trusted, now, &why), -EKEYREJECTED);
	sk_X509_free(trusted);
	sk_X509_free(other);
	free(a);
	free(b);
	free(both);
}

static void test_not_after_and_texts(void **state)
{
	struct fixture *f = *state;
	time_t t = 0;

	assert_int_equal(certs_not_after(f->server, &t), 0);
	assert_int_equal(t, now - CERT_BACKDATE_SECS + CERT_DAYS * DAY);
	assert_string_equal(certs_state_text(CERT_EXPIRING), "expires within 30 days");
	assert_string_equal(certs_state_text(CERT_NAMES_CHANGED), "names changed");
	assert_string_equal(certs_state_text((enum cert_state)99), "invalid");
	assert_string_equal(certs_ssl_reason(), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_pem_round_trip),
		cmocka_unit_test(test_key_parse_errors),
		cmocka_unit_test(test_rsa_key),
		cmocka_unit_test(test_key_unusable),
		cmocka_unit_test(test_certificate_contents),
		cmocka_unit_test(test_rsa_certificate),
		cmocka_unit_test(test_ed25519_ca),
		cmocka_unit_test(test_check_ca),
		cmocka_unit_test(test_check_leaf),
		cmocka_unit_test(test_san_of),
		cmocka_unit_test(test_parse_and_verify_chain),
		cmocka_unit_test(test_not_after_and_texts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

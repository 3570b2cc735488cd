/* The OpenSSL side of dind-certs: keys and certificates made, read, turned into PEM and
 * checked, all in memory (files.c reads and writes the files). Nothing here prints: functions
 * return 0 or a negative errno code (or NULL), and certs_ssl_reason() tells what OpenSSL
 * reported about the last failure. */
#ifndef DIND_TLS_CERTS_H
#define DIND_TLS_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tls/san.h"

#define CERT_DAYS	   825	/* Apple's limit for TLS server certificates (mkcert issue 174) */
#define CERT_RENEW_DAYS	   30	/* a certificate that expires sooner than this is re-made */
#define CERT_BACKDATE_SECS 3600 /* notBefore this far in the past: some clients' clocks lag */
#define CERT_RSA_BITS	   4096
#define CERT_CURVE	   "P-256"
#define KEY_RSA_MIN_BITS   2048
#define KEY_RSA_MAX_BITS   8192 /* Go's TLS refuses larger RSA keys (CVE-2023-29409) */

enum key_type {
	KEY_ECDSA,
	KEY_RSA,
};

enum cert_kind {
	CERT_CA,
	CERT_SERVER,
	CERT_CLIENT,
};

/* Why a certificate cannot be kept, CERT_OK when it can, in the order the checks run. */
enum cert_state {
	CERT_OK,
	CERT_MISSING,
	CERT_UNREADABLE,    /* no PEM certificate in the file */
	CERT_KEY_MISMATCH,  /* not the certificate of the key beside it */
	CERT_NOT_CA,	    /* the CA certificate cannot sign certificates */
	CERT_WRONG_CA,	    /* not issued and signed by the current CA */
	CERT_NOT_YET_VALID, /* notBefore is in the future */
	CERT_EXPIRED,
	CERT_EXPIRING,	    /* within CERT_RENEW_DAYS */
	CERT_NAMES_CHANGED, /* the server names differ from the wanted ones */
	CERT_WRONG_USAGE,   /* does not verify for its use (serverAuth, clientAuth) */
};

/* A short phrase for messages: "expires within 30 days". */
const char *certs_state_text(enum cert_state state);

/* What OpenSSL said about the last failure ("unknown" when nothing); clears its error queue.
 * The text is OpenSSL's static string. */
const char *certs_ssl_reason(void);

/* A new key: ECDSA on CERT_CURVE, or RSA of CERT_RSA_BITS. NULL on failure. */
EVP_PKEY *certs_key_new(enum key_type type);

/* The private key of pem (len bytes). -EBADMSG: no PEM private key in it; -EKEYREJECTED: it
 * is encrypted (there is no passphrase to give); -ENOMEM. Never prompts. */
int certs_key_parse(const void *pem, size_t len, EVP_PKEY **out);

/* "ecdsa P-256", "rsa 4096", "ed25519"... into buf. */
void certs_key_describe(EVP_PKEY *key, char *buf, size_t len);
bool certs_key_is(EVP_PKEY *key, enum key_type type);

/* Why key cannot be kept as the key of a certificate of kind, or NULL when it can: what the
 * docker CLI and dockerd (Go's crypto/tls) take and are not weak. Every kind: ECDSA on P-256,
 * P-384 or P-521 (a named curve: Go cannot read explicit parameters), or RSA of
 * KEY_RSA_MIN_BITS to KEY_RSA_MAX_BITS with an odd public exponent of 3 to 2^31-1. CERT_CA and
 * CERT_SERVER also Ed25519; the client key, in a folder untrusted jobs may write, nothing we
 * would not make. The text is a static phrase, after a comma: "too weak: ...". */
const char *certs_key_unusable(EVP_PKEY *key, enum cert_kind kind);

/* PEM text (PKCS#8 for keys) in *pem, malloc'ed, *len bytes plus a NUL. A key's PEM is freed
 * with certs_free_secret(), which wipes it first. -ENOMEM or -EPROTO (OpenSSL failed). */
int certs_key_pem(EVP_PKEY *key, char **pem, size_t *len);
int certs_cert_pem(X509 *cert, char **pem, size_t *len);
void certs_free_secret(char *pem, size_t len);

/* The first certificate of pem (len bytes); -EBADMSG when there is none, -ENOMEM. */
int certs_cert_parse(const void *pem, size_t len, X509 **out);
/* Every certificate of pem, in order; -EBADMSG when there is none, -ENOMEM. */
int certs_cert_parse_all(const void *pem, size_t len, STACK_OF(X509) * *out);

/* Make and sign a certificate for key, valid from now - CERT_BACKDATE_SECS for days days, with
 * a random 128-bit serial and a SHA-256 signature (none for Ed25519/Ed448 keys, which sign
 * without a digest). CERT_CA: self-signed (ca and ca_key NULL). CERT_SERVER and CERT_CLIENT:
 * signed by ca_key, issued by ca; san is the server's names (NULL for a client).
 * -EPROTO (OpenSSL failed), -ENOMEM. */
int certs_make(enum cert_kind kind, EVP_PKEY *key, X509 *ca, EVP_PKEY *ca_key,
	       const struct san_list *san, time_t now, long days, X509 **out);

/* Can ca (with ca_key) go on signing at now? */
enum cert_state certs_check_ca(X509 *ca, EVP_PKEY *ca_key, time_t now);

/* Can cert (of key, issued by ca) be kept at now? want: the server names it must carry
 * (CERT_SERVER), NULL to skip that check. */
enum cert_state certs_check_leaf(X509 *cert, EVP_PKEY *key, X509 *ca, enum cert_kind kind,
				 const struct san_list *want, time_t now);

/* The DNS names, IP addresses, email addresses and URIs of cert, sorted and de-duplicated,
 * added to out (empty and initialised by the caller). -EINVAL when it holds a name of another
 * kind or one san.c does not take; -E2BIG, -ENOMEM. */
int certs_san_of(X509 *cert, struct san_list *out);

/* Bring-your-own check: cert, with the intermediates of chain (may be NULL), verifies up to a
 * certificate of trusted for a TLS server at now. Every certificate of trusted is an anchor,
 * as Go's roots are. 0, or -EKEYREJECTED with *why set to OpenSSL's reason (a static string);
 * -ENOMEM. */
int certs_verify_chain(X509 *cert, STACK_OF(X509) * chain, STACK_OF(X509) * trusted, time_t now,
		       const char **why);

bool certs_key_matches(X509 *cert, EVP_PKEY *key);

/* notAfter of cert; -EINVAL when it cannot be read. */
int certs_not_after(X509 *cert, time_t *out);

#endif

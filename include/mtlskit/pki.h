/* mtlskit/pki.h: a development PKI for mutual TLS (what mkcert and
 * `step ca` give people): keys, a root CA (optionally with an issuing
 * intermediate), server and client certificates, CSR signing with policy
 * checks, and PKCS#10 requests.
 *
 * Everything here returns DER (or PEM) in caller-owned mtk_buf buffers; the
 * fronts (cli/) write the files. Like the rest of the library this module
 * never prints, exits or reads the clock: every function that dates
 * something takes "now". It does read the operating system's CSPRNG (key
 * generation, serial numbers) through OpenSSL.
 *
 * What is issued (docs/pki.md has the reasons):
 *  - serial numbers: 16 octets from the CSPRNG, positive (the top bit is
 *    cleared, a zero first octet redrawn), so the DER INTEGER is exactly 16
 *    octets: 127 random bits, above the 64 of CABF BR 7.1;
 *  - validity: notBefore = now - MTK_PKI_BACKDATE (clock skew between
 *    machines), notAfter = notBefore + days * 86400 - 1, so the period,
 *    counted inclusively as RFC 5280 4.1.2.5 and BR 1.6.1 count it, is
 *    exactly |days| days; UTCTime through 2049, GeneralizedTime from 2050
 *    (RFC 5280 4.1.2.5);
 *  - CA certificates: basicConstraints cA TRUE (critical, with
 *    pathLenConstraint when asked), keyUsage keyCertSign + cRLSign
 *    (critical), subjectKeyIdentifier, and authorityKeyIdentifier
 *    (keyIdentifier only) when not self-signed;
 *  - leaf certificates: basicConstraints cA FALSE (critical), keyUsage
 *    digitalSignature (critical; plus keyEncipherment for RSA keys of
 *    servers, for TLS 1.2 RSA key transport; never for EC or Ed25519, RFC
 *    8813), extendedKeyUsage serverAuth and/or clientAuth, subjectKeyIdentifier,
 *    authorityKeyIdentifier (the issuer's subjectKeyIdentifier), and
 *    subjectAltName; cRLDistributionPoints and authorityInfoAccess (OCSP)
 *    only when a URL is given;
 *  - subjectKeyIdentifier: RFC 7093 section 2 method 1, the leftmost 160
 *    bits of the SHA-256 of the subjectPublicKey BIT STRING value;
 *  - signatures: ECDSA with SHA-256 (P-256), SHA-384 (P-384), SHA-512
 *    (P-521), RSA PKCS#1 v1.5 with SHA-256, pure Ed25519.
 *
 * Every certificate and CSR made here is parsed again and linted (lint.h,
 * private_pki, profile from the object) before it is returned: any
 * error- or warning-level finding fails the call with
 * MTK_ERR_PKI_SELF_CHECK, so what this module issues passes
 * `mtlskit check --private-pki` with no error and no warning by
 * construction. The notices that remain are listed in docs/pki.md.
 *
 * OpenSSL is used only through its non-deprecated 3.0 APIs. Private keys
 * live inside OpenSSL objects (cleared when freed); the only copy outside
 * them is the PEM that mtk_pki_key_pem writes, which the caller wipes with
 * mtk_pki_buf_wipe. Functions leave the thread's OpenSSL error queue as
 * they found it. */
#ifndef MTLSKIT_PKI_H
#define MTLSKIT_PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/buf.h"
#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/lint.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits and defaults --------------------------------------------------- */

#define MTK_PKI_CA_DAYS_DEFAULT 3650u   /* root and intermediate: 10 years */
#define MTK_PKI_LEAF_DAYS_DEFAULT 90u   /* leaf certificates */
/* The longest server certificate: CABF BR 6.3.2's limit before 2026-03-15.
 * (It is a public-CA rule; a private PKI keeps it so that a certificate
 * that leaks into a browser's view is not rejected for its length alone.) */
#define MTK_PKI_SERVER_DAYS_MAX 398u
#define MTK_PKI_CLIENT_DAYS_MAX 3650u   /* client-only certificates */
#define MTK_PKI_CA_DAYS_MAX 36500u
#define MTK_PKI_BACKDATE 300            /* seconds notBefore lies before "now" */
#define MTK_PKI_SERIAL_LEN 16           /* serial number octets */
#define MTK_PKI_MAX_NAMES 256           /* subjectAltName entries */
#define MTK_PKI_URI_MAX 2048            /* octets of a URI (SPIFFE-ID 2.3) */

/* ---- errors ---------------------------------------------------------------- */

/* mtk_pki_err says why a call failed, in a sentence a user can act on
 * ("--dns: "a_b.example": '_' is not allowed in a host name"). |code|
 * repeats the returned status. Zero it (or not: every failing call sets
 * both fields; a successful one leaves them alone). May be NULL wherever
 * it is taken. */
#define MTK_PKI_MSG_MAX 320
typedef struct mtk_pki_err {
  mtk_status code;
  char msg[MTK_PKI_MSG_MAX];
} mtk_pki_err;

/* ---- keys ------------------------------------------------------------------ */

/* The key types this module generates. The values are stable. */
typedef enum mtk_pki_key_type {
  MTK_PKI_KEY_EC_P256 = 1, /* the default: small, fast, everywhere */
  MTK_PKI_KEY_EC_P384 = 2,
  MTK_PKI_KEY_RSA_2048 = 3,
  MTK_PKI_KEY_RSA_3072 = 4,
  MTK_PKI_KEY_RSA_4096 = 5,
  MTK_PKI_KEY_ED25519 = 6  /* private PKIs only: browsers and the BRs refuse it */
} mtk_pki_key_type;

/* mtk_pki_key_type_parse maps "ec-p256", "ec-p384", "rsa-2048", "rsa-3072",
 * "rsa-4096", "ed25519" to a type; false for anything else. */
MTK_EXPORT bool mtk_pki_key_type_parse(const char *s, mtk_pki_key_type *out);
/* mtk_pki_key_type_name is the inverse ("ec-p256" ...); "unknown" else. */
MTK_EXPORT const char *mtk_pki_key_type_name(mtk_pki_key_type t);

/* mtk_pki_key is a private key (an opaque wrapper of an OpenSSL EVP_PKEY). */
typedef struct mtk_pki_key mtk_pki_key;

/* mtk_pki_key_generate makes a new key of type |t| (EVP_PKEY_Q_keygen: RSA
 * with e = 65537, EC on a named curve). MTK_ERR_ARG for an unknown type,
 * MTK_ERR_CRYPTO if OpenSSL fails. Free with mtk_pki_key_free. */
MTK_EXPORT mtk_status mtk_pki_key_generate(mtk_pki_key_type t, mtk_pki_key **out) MTK_MUST_CHECK;

/* mtk_pki_key_load reads a private key file (PEM or DER; PKCS#8, PKCS#1 or
 * SEC1). Encrypted keys are refused (no passphrase is ever asked for):
 * MTK_ERR_KEY_PARSE, as for anything unreadable (mtk_private_key_is_encrypted
 * in keys.h tells the two apart). MTK_ERR_INPUT_TOO_LARGE beyond
 * MTK_KEY_FILE_MAX. The key's type is not checked here: the functions
 * that use it refuse unsupported types with MTK_ERR_PKI_WEAK_KEY. */
MTK_EXPORT mtk_status mtk_pki_key_load(const uint8_t *data, size_t len,
                                       mtk_pki_key **out) MTK_MUST_CHECK;

/* mtk_pki_key_check says whether |k| may be used here: RSA of 2048 to 16384
 * bits (a multiple of 8) with a public exponent of at least 65537, EC on
 * P-256, P-384 or P-521, or Ed25519. MTK_ERR_PKI_WEAK_KEY otherwise, with
 * the reason in |err|. */
MTK_EXPORT mtk_status mtk_pki_key_check(const mtk_pki_key *k, mtk_pki_err *err) MTK_MUST_CHECK;

/* mtk_pki_key_pem appends the key to |out| as an unencrypted PKCS#8
 * "PRIVATE KEY" PEM block (RFC 7468 section 10). The bytes are SECRET:
 * write them to a 0600 file and wipe |out| with mtk_pki_buf_wipe. */
MTK_EXPORT mtk_status mtk_pki_key_pem(const mtk_pki_key *k, mtk_buf *out) MTK_MUST_CHECK;

/* mtk_pki_key_spki appends the DER SubjectPublicKeyInfo of |k| to |out|. */
MTK_EXPORT mtk_status mtk_pki_key_spki(const mtk_pki_key *k, mtk_buf *out) MTK_MUST_CHECK;

/* mtk_pki_key_free frees |k| (NULL is fine); OpenSSL clears the key. */
MTK_EXPORT void mtk_pki_key_free(mtk_pki_key *k);

/* mtk_pki_buf_wipe overwrites the allocated bytes of |b| with zeros
 * (OPENSSL_cleanse) and frees them. */
MTK_EXPORT void mtk_pki_buf_wipe(mtk_buf *b);

/* ---- names ------------------------------------------------------------------ */

/* The subjectAltName entries asked for, as text (C strings):
 *  - dns: host names, LDH labels (RFC 1034 3.5, RFC 5280 4.2.1.6), at most
 *    253 characters, labels of at most 63, no trailing dot, a top-level
 *    label that is not all digits (RFC 3696 2), an optional wildcard that is
 *    the whole left-most label of a name with at least three labels (RFC
 *    9525 6.3). Upper case is folded to lower case (RFC 4343). Non-ASCII
 *    names must be given as A-labels (xn--...); underscores are refused.
 *  - ip: IPv4 dotted quad or IPv6 text (inet_pton), no zone.
 *  - uri: an absolute URI (scheme ':' ...) of printable ASCII, at most
 *    MTK_PKI_URI_MAX octets. A spiffe:// URI must be a SPIFFE ID with a
 *    path (SPIFFE-ID 2, X.509-SVID 2: a leaf's ID is not a trust domain
 *    alone), and then it must be the only URI (X.509-SVID 2).
 *  - email: local@domain, an RFC 5322 dot-atom local part of at most 64
 *    characters and a host name as above (lower-cased).
 * Exact duplicates (after folding) are dropped. */
typedef struct mtk_pki_names {
  const char *const *dns;
  size_t n_dns;
  const char *const *ip;
  size_t n_ip;
  const char *const *uri;
  size_t n_uri;
  const char *const *email;
  size_t n_email;
} mtk_pki_names;

/* What a leaf certificate is for (combinable). */
#define MTK_PKI_SERVER 0x1u /* extendedKeyUsage serverAuth */
#define MTK_PKI_CLIENT 0x2u /* extendedKeyUsage clientAuth */

/* ---- the CA ----------------------------------------------------------------- */

/* mtk_pki_ca is an issuing CA: its certificate and private key. */
typedef struct mtk_pki_ca mtk_pki_ca;

/* mtk_pki_ca_new checks that |cert_der| (one DER certificate) is a CA
 * certificate that may issue certificates (basicConstraints cA TRUE;
 * keyUsage, if present, with keyCertSign) and that |key| is its private key,
 * and returns the pair. The CA keeps its own reference to |key| (free yours
 * when you like) and a copy of the certificate. MTK_ERR_PKI_NOT_CA with the
 * reason; MTK_ERR_X509_* if the certificate does not parse. */
MTK_EXPORT mtk_status mtk_pki_ca_new(const uint8_t *cert_der, size_t len, const mtk_pki_key *key,
                                     mtk_pki_ca **out, mtk_pki_err *err) MTK_MUST_CHECK;

/* mtk_pki_ca_free frees |ca| (NULL is fine). */
MTK_EXPORT void mtk_pki_ca_free(mtk_pki_ca *ca);

/* Options of a CA certificate. Zero-initialise, then set |now|. */
typedef struct mtk_pki_ca_opts {
  mtk_time now;
  /* commonName, UTF-8, 1 to 64 characters; NULL: "mtlskit development CA
   * XXXXXXXX" (root) or "mtlskit development intermediate CA XXXXXXXX",
   * XXXXXXXX the first 4 octets of the key identifier in hex, so that two
   * developers' CAs never share a name. */
  const char *common_name;
  const char *organization;   /* organizationName, optional, 1 to 64 characters */
  uint32_t days;              /* 0: MTK_PKI_CA_DAYS_DEFAULT; at most MTK_PKI_CA_DAYS_MAX */
  int path_len;               /* pathLenConstraint (0 after zeroing: the CA issues
                                 only leaves); < 0 leaves it out */
  mtk_findings *findings;     /* optional: the self-check's findings */
} mtk_pki_ca_opts;

/* mtk_pki_make_root writes a self-signed root CA certificate for |key| (DER,
 * appended to |out|). MTK_ERR_PKI_WEAK_KEY, MTK_ERR_PKI_NAME (a bad name),
 * MTK_ERR_PKI_POLICY (bad days or time), MTK_ERR_PKI_SELF_CHECK,
 * MTK_ERR_CRYPTO, MTK_ERR_NOMEM. */
MTK_EXPORT mtk_status mtk_pki_make_root(const mtk_pki_key *key, const mtk_pki_ca_opts *o,
                                        mtk_buf *out, mtk_pki_err *err) MTK_MUST_CHECK;

/* mtk_pki_make_intermediate writes a CA certificate for |key| issued by
 * |issuer|. Its notAfter is capped at the issuer's (a subordinate never
 * outlives its issuer), and the issuer's pathLenConstraint must allow it
 * (MTK_ERR_PKI_NOT_CA otherwise). Errors as mtk_pki_make_root. */
MTK_EXPORT mtk_status mtk_pki_make_intermediate(const mtk_pki_ca *issuer, const mtk_pki_key *key,
                                                const mtk_pki_ca_opts *o, mtk_buf *out,
                                                mtk_pki_err *err) MTK_MUST_CHECK;

/* ---- leaf certificates -------------------------------------------------------- */

/* Options of a leaf certificate. Zero-initialise, then set |now|, |usage|
 * and the names. */
typedef struct mtk_pki_leaf_opts {
  mtk_time now;
  unsigned usage;             /* MTK_PKI_SERVER and/or MTK_PKI_CLIENT (at least one) */
  mtk_pki_names names;
  /* 0: MTK_PKI_LEAF_DAYS_DEFAULT. At most MTK_PKI_SERVER_DAYS_MAX with
   * MTK_PKI_SERVER, MTK_PKI_CLIENT_DAYS_MAX otherwise; never past the
   * issuer's notAfter (MTK_ERR_PKI_POLICY says when the CA expires). */
  uint32_t days;
  const char *crl_url;        /* optional: cRLDistributionPoints (http:// URL) */
  const char *ocsp_url;       /* optional: authorityInfoAccess OCSP (http:// URL) */
  mtk_findings *findings;     /* optional: the self-check's findings */
} mtk_pki_leaf_opts;

/* mtk_pki_issue writes a leaf certificate for the public half of |key|,
 * issued by |ca| (DER, appended to |out|).
 *
 * Names: a server needs at least one dns or ip entry; a client at least one
 * entry of any kind. The subject is only a commonName, which repeats a
 * subjectAltName entry: the first dns name, else (servers) the first ip
 * address, else (clients) the first uri, the first email, the first ip.
 * When that value is longer than 64 characters (ub-common-name) the
 * subject is empty and subjectAltName is critical (RFC 5280 4.2.1.6).
 *
 * Errors: MTK_ERR_ARG (no usage, NULL pointers), MTK_ERR_PKI_NAME (a bad
 * or missing name), MTK_ERR_PKI_WEAK_KEY, MTK_ERR_PKI_POLICY (days, the
 * CA's validity), MTK_ERR_PKI_SELF_CHECK, MTK_ERR_CRYPTO, MTK_ERR_NOMEM. */
MTK_EXPORT mtk_status mtk_pki_issue(const mtk_pki_ca *ca, const mtk_pki_key *key,
                                    const mtk_pki_leaf_opts *o, mtk_buf *out,
                                    mtk_pki_err *err) MTK_MUST_CHECK;

/* Options of CSR signing. Zero-initialise, then set |now|. */
typedef struct mtk_pki_sign_opts {
  mtk_time now;
  /* MTK_PKI_SERVER and/or MTK_PKI_CLIENT; 0 takes them from the serverAuth
   * and clientAuth of the CSR's requested extendedKeyUsage (and refuses a
   * CSR that requests neither: MTK_ERR_PKI_POLICY). */
  unsigned usage;
  uint32_t days;              /* as mtk_pki_leaf_opts */
  const char *crl_url, *ocsp_url;
  mtk_findings *findings;     /* optional: the issued certificate's self-check */
  mtk_findings *csr_findings; /* optional: the CSR's lint findings */
} mtk_pki_sign_opts;

/* mtk_pki_sign_csr checks the DER PKCS#10 request |csr_der| against the
 * policy below and issues a leaf certificate for its key (DER, appended
 * to |out|). The policy, in order:
 *  1. the CSR parses strictly (mtk_csr_parse; MTK_ERR_X509_* / DER_*);
 *  2. its signature verifies with its own key: it proves possession
 *     (RFC 2986 3; MTK_ERR_SIG_INVALID, or MTK_ERR_SIG_UNSUPPORTED);
 *  3. the key passes mtk_pki_key_check (MTK_ERR_PKI_WEAK_KEY: RSA under
 *     2048 bits, DSA, curves other than P-256/384/521 ...);
 *  4. it does not request basicConstraints cA TRUE (MTK_ERR_PKI_POLICY);
 *  5. mtk_lint_csr (private_pki) reports no error-level finding
 *     (MTK_ERR_PKI_POLICY naming the first);
 *  6. the requested subjectAltName holds only dNSName, iPAddress (4 or 16
 *     octets), uniformResourceIdentifier and rfc822Name entries, each
 *     valid as for mtk_pki_issue (MTK_ERR_PKI_POLICY), and enough of them
 *     for the usage (MTK_ERR_PKI_NAME);
 *  7. every commonName of the subject repeats one of those entries (a
 *     dns or ip entry for a server), as mtk_pki_issue's do
 *     (MTK_ERR_PKI_POLICY).
 * What is copied from the CSR: the public key, the subject (as encoded)
 * and the subjectAltName entries (re-encoded after the checks; dNSNames
 * lower-cased). Every other requested extension (keyUsage,
 * extendedKeyUsage, ...) and attribute is ignored: the certificate's
 * extensions are those of mtk_pki_issue for the usage. Then the
 * certificate's own self-check runs as for mtk_pki_issue. */
MTK_EXPORT mtk_status mtk_pki_sign_csr(const mtk_pki_ca *ca, const uint8_t *csr_der, size_t len,
                                       const mtk_pki_sign_opts *o, mtk_buf *out,
                                       mtk_pki_err *err) MTK_MUST_CHECK;

/* ---- certification requests ----------------------------------------------------- */

/* Options of a CSR. Zero-initialise, then set |now| and the names. */
typedef struct mtk_pki_csr_opts {
  mtk_time now;               /* for the self-check's dated rules only */
  /* The subject: RFC 4514 ("CN=api.example,O=Example": the last RDN is the
   * first in the encoding) or OpenSSL's "/O=Example/CN=api.example" (in
   * encoding order). Attributes CN, O, OU, L, ST, C, DC; no multi-valued
   * RDNs ('+'); no repeated CN, O, L, ST or C; values as RFC 5280
   * Appendix A bounds them. NULL or "": CN = the first dns name, else the
   * first ip address, else an empty subject. A given CN must be one of the
   * dns or ip names (CABF BR 7.1.2.7.2: clients ignore a CN anyway). */
  const char *subject;
  mtk_pki_names names;        /* at least one entry */
  /* MTK_PKI_SERVER / MTK_PKI_CLIENT: also request the keyUsage and
   * extendedKeyUsage mtk_pki_issue would give; 0: request only the SAN. */
  unsigned usage;
  mtk_findings *findings;     /* optional: the self-check's findings */
} mtk_pki_csr_opts;

/* mtk_pki_make_csr writes a PKCS#10 request (RFC 2986) signed by |key|,
 * with an extensionRequest attribute (PKCS#9, RFC 2985 5.4.2) holding the
 * subjectAltName (critical when the subject is empty) and, with a usage,
 * keyUsage and extendedKeyUsage. DER, appended to |out|. The request is
 * self-checked with mtk_lint_csr (private_pki). Errors as mtk_pki_issue. */
MTK_EXPORT mtk_status mtk_pki_make_csr(const mtk_pki_key *key, const mtk_pki_csr_opts *o,
                                       mtk_buf *out, mtk_pki_err *err) MTK_MUST_CHECK;

/* ---- output helpers --------------------------------------------------------------- */

/* mtk_pki_pem appends |der| as a PEM block with |label| ("CERTIFICATE",
 * "CERTIFICATE REQUEST"): RFC 7468 strict form, 64-column base64, LF. */
MTK_EXPORT mtk_status mtk_pki_pem(const char *label, const uint8_t *der, size_t len,
                                  mtk_buf *out) MTK_MUST_CHECK;

/* mtk_pki_index_line appends the line of OpenSSL's CA database (index.txt,
 * as `openssl ca` and `openssl ocsp -index` read it) for the certificate
 * |der|: "V", its notAfter (UTCTime form, or GeneralizedTime from 2050),
 * an empty revocation date, the serial in upper-case hex, "unknown", and
 * the subject in OpenSSL's one-line form, separated by tabs, ending in LF.
 * MTK_ERR_X509_NOT_CERT if |der| does not parse. */
MTK_EXPORT mtk_status mtk_pki_index_line(const uint8_t *der, size_t len,
                                         mtk_buf *out) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_PKI_H */

/* mtlskit/verify.h: certification path building and validation (RFC 5280
 * section 6), with mtlskit's strict profile on top of OpenSSL 3.
 *
 * mtk_verify takes a trust store (mtk_trust: trust anchors and known
 * intermediates), the peer's certificate, the intermediates the peer sent,
 * and the options (the time, the purpose, the profile, the names expected,
 * the CRLs), and answers valid or invalid. It never reads the clock: "now"
 * is opts->at.
 *
 * How. Every certificate is parsed twice, by mtk_cert_parse (x509.h, which
 * refuses what is not strict DER X.509) and by OpenSSL's d2i_X509. mtlskit
 * builds the candidate paths itself (RFC 4158 style, depth first): from the
 * leaf, every certificate whose subject is the current issuer name is a
 * candidate issuer (trust anchors first, then those whose subjectKeyIdentifier
 * matches the authorityKeyIdentifier), a path never holds the same subject
 * and key twice, and an edge whose signature does not verify is cut at once.
 * Each complete candidate path is then validated by OpenSSL's
 * X509_verify_cert on exactly that path (X509_V_FLAG_X509_STRICT, CRL checks
 * when CRLs are given, the time set to opts->at; a verify callback records
 * every error with its depth), and by mtlskit's own profile checks
 * (docs/verify.md lists them). The first path with no reason is the chain;
 * otherwise every candidate path tried comes back with its reasons in plain
 * words, so a user sees why each way up failed.
 *
 * Where mtlskit decides instead of OpenSSL (documented in docs/verify.md):
 * validity periods (notAfter is inclusive, RFC 5280 4.1.2.5), name
 * constraints (subject CN is never treated as a DNS name; a wildcard SAN
 * that reaches into an excluded subtree is refused), the maximum depth
 * (self-issued intermediates do not count, as for pathLenConstraint), and a
 * CA without keyUsage (accepted, as RFC 5280 6.3.3 (f) reads for CRL
 * issuers). */
#ifndef MTLSKIT_VERIFY_H
#define MTLSKIT_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- trust store ----------------------------------------------------------- */

/* mtk_trust is a set of trust anchors ("roots") and of known untrusted
 * intermediates, parsed once and shared read-only by any number of
 * mtk_verify calls (also from several threads). Opaque. */
typedef struct mtk_trust mtk_trust;

/* The role of certificates added to a store. */
typedef enum mtk_trust_role {
  MTK_TRUST_ANCHOR = 1,       /* trusted: a path may end here */
  MTK_TRUST_INTERMEDIATE = 2  /* untrusted: may be used to build a path */
} mtk_trust_role;

/* mtk_trust_new makes a store from the bytes of a roots file and of an
 * intermediates file (either may be NULL with length 0). Each input is what
 * pem.h reads: PEM bundles (any number of CERTIFICATE blocks, text around
 * them), one DER certificate, or a PKCS#7 bundle; objects that are not
 * certificates are skipped. Every certificate must parse with mtk_cert_parse
 * and d2i_X509: the first one that does not fails the call with its error in
 * |d| (path and offset within that object) and MTK_ERR_CHAIN_MALFORMED or the
 * parser's code. A roots input that holds no certificate is
 * MTK_ERR_PEM_NOTHING. Free with mtk_trust_free. */
MTK_EXPORT mtk_status mtk_trust_new(const uint8_t *roots, size_t roots_len,
                                    const uint8_t *intermediates, size_t intermediates_len,
                                    mtk_trust **out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_trust_add adds the certificates in |in| (as for mtk_trust_new) with
 * role |role|. On error nothing of |in| is added. Not thread-safe against
 * concurrent mtk_verify on the same store. */
MTK_EXPORT mtk_status mtk_trust_add(mtk_trust *t, const uint8_t *in, size_t len,
                                    mtk_trust_role role, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_trust_count returns the number of certificates held with |role|. */
MTK_EXPORT size_t mtk_trust_count(const mtk_trust *t, mtk_trust_role role);

/* mtk_trust_free frees |t| (NULL is fine). */
MTK_EXPORT void mtk_trust_free(mtk_trust *t);

/* ---- options ------------------------------------------------------------------ */

/* What the leaf is for (RFC 5280 4.2.1.12). SERVER and CLIENT require the
 * serverAuth / clientAuth extendedKeyUsage in the leaf (anyExtendedKeyUsage
 * does not count), and in every CA that has the extension. ANY checks no EKU. */
typedef enum mtk_purpose {
  MTK_PURPOSE_ANY = 0,
  MTK_PURPOSE_SERVER = 1,
  MTK_PURPOSE_CLIENT = 2
} mtk_purpose;

/* The rule set on top of RFC 5280 path validation (docs/verify.md):
 * RFC5280 enforces every MUST of RFC 5280 that a verifier can see (AKI/SKI
 * presence, criticality, serial numbers, names, name constraints critical);
 * WEBPKI adds the CA/Browser Forum Baseline Requirements' certificate
 * profile (SAN required, CN among the SANs, EKU rules, no CA as a leaf, RSA
 * >= 2048 with a modulus a multiple of 8, ECDSA P-256/384/521 only, root
 * AKI form), and does not require nameConstraints to be critical (BR
 * 7.1.2.5.2 allows it not to be). */
typedef enum mtk_verify_profile {
  MTK_VERIFY_RFC5280 = 0,
  MTK_VERIFY_WEBPKI = 1
} mtk_verify_profile;

/* "rfc5280", "webpki" (static); mtk_verify_profile_parse the reverse. */
MTK_EXPORT const char *mtk_verify_profile_name(mtk_verify_profile p);
MTK_EXPORT bool mtk_verify_profile_parse(const char *s, mtk_verify_profile *out);

/* The kinds of expected peer name (reference identifiers, RFC 9525). */
typedef enum mtk_name_kind {
  MTK_NAME_DNS = 1,    /* "www.example.com" against SAN dNSName */
  MTK_NAME_IP = 2,     /* "192.0.2.1", "2001:db8::1" against SAN iPAddress */
  MTK_NAME_EMAIL = 3,  /* "user@example.com" against SAN rfc822Name */
  MTK_NAME_URI = 4,    /* "spiffe://example.org/x" against SAN URI (exact) */
  MTK_NAME_SRV = 5     /* "_imaps.example.com" against SAN SRVName */
} mtk_name_kind;

/* One expected name; |value| is |len| bytes (not necessarily NUL-ended). */
typedef struct mtk_verify_name {
  mtk_name_kind kind;
  const char *value;
  size_t len;
} mtk_verify_name;

/* Flags of mtk_verify_opts. Each one relaxes or changes a default. */
enum {
  /* A trusted certificate that is not self-signed may end a path (OpenSSL's
   * X509_V_FLAG_PARTIAL_CHAIN). Off: a path ends at a self-signed anchor. */
  MTK_VERIFY_PARTIAL_CHAIN = 1u << 0,
  /* A leaf without the extendedKeyUsage extension is accepted for any
   * purpose (RFC 5280 4.2.1.12 reading). Off: the leaf must list the EKU of
   * the purpose. Has no effect under MTK_VERIFY_WEBPKI (BR 7.1.2.7.10). */
  MTK_VERIFY_ALLOW_NO_EKU = 1u << 1,
  /* With CRLs: check only the leaf's revocation (X509_V_FLAG_CRL_CHECK).
   * Off: every certificate below the anchor needs a valid CRL
   * (X509_V_FLAG_CRL_CHECK_ALL). */
  MTK_VERIFY_CRL_LEAF_ONLY = 1u << 2,
  /* Every expected name must match (for client certificates that must carry
   * several identities). Off: any one is enough (RFC 9525 6.2). */
  MTK_VERIFY_ALL_NAMES = 1u << 3
};

#define MTK_VERIFY_DEFAULT_DEPTH 8   /* intermediates, self-issued ones not counted */
#define MTK_VERIFY_MAX_PATH 32       /* certificates in one path, hard limit */

typedef struct mtk_verify_opts {
  mtk_time at;                  /* required: the time of validation */
  mtk_purpose purpose;          /* MTK_PURPOSE_ANY after init */
  mtk_verify_profile profile;   /* MTK_VERIFY_RFC5280 after init */
  int max_depth;                /* intermediates allowed; < 0 = default */
  const mtk_verify_name *names; /* expected peer names, NULL if none */
  size_t n_names;
  const mtk_cbs *crls;          /* DER CRLs; any given turns CRL checking on */
  size_t n_crls;
  unsigned flags;               /* MTK_VERIFY_* */
} mtk_verify_opts;

/* mtk_verify_opts_init sets the defaults: purpose ANY, RFC5280, depth
 * MTK_VERIFY_DEFAULT_DEPTH, no names, no CRLs, no flags, at = |at|. */
MTK_EXPORT void mtk_verify_opts_init(mtk_verify_opts *o, mtk_time at);

/* ---- result -------------------------------------------------------------------- */

#define MTK_VERIFY_SUBJECT_MAX 160
#define MTK_VERIFY_MSG_MAX 384
#define MTK_VERIFY_MAX_PATHS 16      /* candidate paths kept in a result */
#define MTK_VERIFY_MAX_REASONS 16    /* reasons kept per path */

/* Where a certificate of a path came from. */
typedef enum mtk_cert_origin {
  MTK_ORIGIN_LEAF = 0,          /* the certificate verified */
  MTK_ORIGIN_UNTRUSTED = 1,     /* the untrusted list of the call (index) */
  MTK_ORIGIN_INTERMEDIATE = 2,  /* the store's intermediates (index) */
  MTK_ORIGIN_ANCHOR = 3         /* the store's trust anchors (index) */
} mtk_cert_origin;

/* "leaf", "untrusted", "intermediate", "anchor" (static). */
MTK_EXPORT const char *mtk_cert_origin_name(mtk_cert_origin o);

/* One certificate of a path: where it is from, its subject (RFC 4514, made
 * safe to print, truncated with "..." if long) and its DER (a view into the
 * caller's input or the store, valid while they live). */
typedef struct mtk_verify_elem {
  mtk_cert_origin origin;
  size_t index;
  char subject[MTK_VERIFY_SUBJECT_MAX];
  const uint8_t *der;
  size_t der_len;
} mtk_verify_elem;

/* One reason a path is invalid: a status code (MTK_ERR_CHAIN_*), the depth
 * of the certificate it concerns (0 = leaf; -1 = the path as a whole), and
 * a sentence in plain words ("certificate 1 (CN=Example CA) is not a CA:
 * basicConstraints missing"). */
typedef struct mtk_verify_reason {
  mtk_status code;
  int depth;
  char msg[MTK_VERIFY_MSG_MAX];
} mtk_verify_reason;

/* A candidate path, leaf first. |complete|: it ends at a trust anchor (else
 * it stopped where no usable issuer was found). */
typedef struct mtk_verify_path {
  mtk_verify_elem elems[MTK_VERIFY_MAX_PATH];
  size_t n_elems;
  bool complete;
  bool valid;
  mtk_verify_reason reasons[MTK_VERIFY_MAX_REASONS];
  size_t n_reasons;
  size_t reasons_dropped;
} mtk_verify_path;

/* mtk_verify_result is caller storage (large: allocate it). Zero it or call
 * mtk_verify_result_init; it holds no heap memory. */
typedef struct mtk_verify_result {
  bool valid;
  mtk_status code;          /* MTK_OK if valid, else the first reason's code
                               of the first path tried */
  size_t chain;             /* index in |paths| of the valid path */
  mtk_verify_path paths[MTK_VERIFY_MAX_PATHS];
  size_t n_paths;
  size_t paths_dropped;     /* candidate paths tried beyond the capacity */
  int matched_name;         /* index in opts->names of the name matched, -1 */
} mtk_verify_result;

MTK_EXPORT void mtk_verify_result_init(mtk_verify_result *r);

/* ---- verification --------------------------------------------------------- */

/* mtk_verify validates the DER certificate |leaf| (|leaf_len| bytes) against
 * |trust|, with the DER certificates |untrusted| (n_untrusted views, may be
 * NULL) as extra intermediates, under |opts|, and fills |*res|.
 *
 * Returns MTK_OK when the verification ran: |res->valid| is the verdict.
 * A leaf that mtlskit's parser refuses is an invalid result (reason
 * MTK_ERR_CHAIN_MALFORMED), not an error; an untrusted certificate that does
 * not parse is not used (and named in the reasons if no path is found).
 * Errors: MTK_ERR_ARG (NULL pointers, a malformed expected name, a CRL that
 * is not DER), MTK_ERR_NOMEM, MTK_ERR_CRYPTO (OpenSSL failed internally).
 * Work is bounded: paths of at most MTK_VERIFY_MAX_PATH certificates, at
 * most 64 complete candidate paths validated and 2,048 candidate issuers
 * considered per call (beyond: MTK_ERR_CHAIN_LIMIT), name-constraint checks
 * at most 2^20 comparisons per path.
 *
 * Not checked: OCSP, CT, certificate policies (OpenSSL's policy tree is
 * not run: no mTLS decision here rests on policies, and
 * X509_V_FLAG_POLICY_CHECK leaks memory in OpenSSL 3.0.19 on some inputs),
 * delta CRLs beyond what OpenSSL does, key usage against the TLS key
 * exchange actually negotiated. */
MTK_EXPORT mtk_status mtk_verify(const mtk_trust *trust, const uint8_t *leaf, size_t leaf_len,
                                 const mtk_cbs *untrusted, size_t n_untrusted,
                                 const mtk_verify_opts *opts,
                                 mtk_verify_result *res) MTK_MUST_CHECK;

/* mtk_verify_chain_profile applies mtlskit's profile checks (all that
 * mtk_verify runs on a candidate path besides OpenSSL's X509_verify_cert:
 * strict parse, validity at opts->at, EKU and keyUsage for opts->purpose,
 * basicConstraints, pathLenConstraint, the maximum depth, name
 * constraints, AKI/SKI, keys, signature algorithms, SAN rules, the
 * expected names; docs/verify.md) to ONE path that the caller has already
 * built and validated with OpenSSL, typically the chain of a TLS handshake
 * (X509_STORE_CTX_get0_chain in the verify callback). |chain| holds |n| DER
 * certificates, the leaf first and the trust anchor last (a path of one is
 * a pinned leaf). It fills |*res| as mtk_verify would for that path: a
 * failure has the same code, depth and message as mtk_verify's reason for
 * the same path; the path is res->paths[0] (res->n_paths 1, res->chain 0),
 * the leaf has origin MTK_ORIGIN_LEAF, the last certificate
 * MTK_ORIGIN_ANCHOR, those between MTK_ORIGIN_UNTRUSTED with their index
 * in |chain|.
 *
 * NOT done here, because OpenSSL did it when it built the chain: signatures,
 * issuer/subject chaining, trust of the anchor, revocation, and OpenSSL's
 * own decoding (d2i_X509 and its extension cache: a certificate OpenSSL
 * refuses never reaches this call). Calling it on a chain that OpenSSL has
 * not validated proves nothing about the chain. opts->crls must be empty,
 * and MTK_VERIFY_PARTIAL_CHAIN / MTK_VERIFY_CRL_LEAF_ONLY have no effect.
 *
 * Returns MTK_OK when the checks ran: |res->valid| is the verdict. A
 * certificate that mtlskit's parser refuses makes the result invalid with
 * MTK_ERR_CHAIN_MALFORMED at its depth; a chain longer than
 * MTK_VERIFY_MAX_PATH certificates is invalid with MTK_ERR_CHAIN_DEPTH
 * (depth -1) and nothing parsed. Errors: MTK_ERR_ARG (NULL pointers, n == 0,
 * a NULL certificate, CRLs given, a malformed expected name).
 *
 * Cost: no allocation on the usual path (the certificates are parsed into
 * about 4 KB of stack each, MTK_VERIFY_MAX_PATH at most); the rare cases
 * that need OpenSSL (a self-issued certificate whose self-signature decides
 * a rule; names OpenSSL compares in canonical form that mtlskit cannot
 * decide alone, e.g. BMPString or multi-valued RDNs) decode with OpenSSL
 * and allocate. Only res->paths[0] and the scalar fields of |*res| are
 * written, so |res| need not be initialised. Thread-safe: it touches no
 * shared state; concurrent calls need their own |res|. */
MTK_EXPORT mtk_status mtk_verify_chain_profile(const mtk_cbs *chain, size_t n,
                                               const mtk_verify_opts *opts,
                                               mtk_verify_result *res) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_VERIFY_H */

/* mtlskit/lint.h: checks over a parsed certificate or CSR.
 *
 * Every check has a stable id (the prefix gives its default severity: e_
 * error, w_ warning, n_ notice, as zlint does), the date it took effect, its
 * source (RFC section, CA/Browser Forum Baseline Requirements section, or
 * named common practice), the kinds of object it applies to, and a one-line
 * explanation a non-expert understands. A finding names the element it
 * concerns by path and byte offset (as pkilint does).
 *
 * Severity: error for whatever makes the certificate fail in a handshake
 * today and for every MUST of RFC 5280 (and, for server certificates, of the
 * Baseline Requirements); warning for SHOULDs; notice for the rest.
 * With private_pki, checks that bind only publicly-trusted CAs are reported
 * as notices. The linter never prints; "now" is an argument. */
#ifndef MTLSKIT_LINT_H
#define MTLSKIT_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mtk_severity {
  MTK_SEV_NOTICE = 1,
  MTK_SEV_WARNING = 2,
  MTK_SEV_ERROR = 3
} mtk_severity;

/* "error", "warning", "notice" */
MTK_EXPORT const char *mtk_severity_name(mtk_severity s);

/* What a check applies to. */
enum {
  MTK_APPLIES_SERVER = 1u << 0, /* TLS server (leaf) certificates */
  MTK_APPLIES_CLIENT = 1u << 1, /* TLS client (leaf) certificates, as in mTLS */
  MTK_APPLIES_CA = 1u << 2,     /* CA certificates */
  MTK_APPLIES_CSR = 1u << 3,    /* certification requests */
  MTK_APPLIES_CERT = MTK_APPLIES_SERVER | MTK_APPLIES_CLIENT | MTK_APPLIES_CA,
  MTK_APPLIES_ALL = MTK_APPLIES_CERT | MTK_APPLIES_CSR
};

typedef enum mtk_profile {
  MTK_PROFILE_AUTO = 0, /* from the certificate: CA, else server/client by EKU */
  MTK_PROFILE_SERVER,
  MTK_PROFILE_CLIENT,
  MTK_PROFILE_CA,
  MTK_PROFILE_CSR
} mtk_profile;

/* "auto", "server", "client", "ca", "csr" */
MTK_EXPORT const char *mtk_profile_name(mtk_profile p);
MTK_EXPORT bool mtk_profile_parse(const char *s, mtk_profile *out);

typedef struct mtk_check {
  const char *id;         /* stable, e.g. "e_rsa_modulus_too_small" */
  mtk_severity severity;  /* default severity */
  const char *effective;  /* "YYYY-MM-DD" the rule took effect, "" = always */
  mtk_time effective_time;/* the same as a time (0 when always) */
  const char *source;     /* "RFC 5280 4.1.2.2", "CABF BR 6.1.5", ... */
  unsigned applies;       /* MTK_APPLIES_* */
  bool public_only;       /* binds only publicly-trusted CAs */
  const char *summary;    /* one line for a non-expert */
} mtk_check;

/* mtk_checks returns the registry (static) and its size in |*n|. */
MTK_EXPORT const mtk_check *mtk_checks(size_t *n);
/* mtk_check_find returns the check with |id| or NULL. */
MTK_EXPORT const mtk_check *mtk_check_find(const char *id);

#define MTK_MAX_FINDINGS 128
#define MTK_FINDING_DETAIL_MAX 192

typedef struct mtk_finding {
  const mtk_check *check;
  mtk_severity severity;      /* after --private-pki adjustment */
  size_t offset;              /* absolute offset in the object's DER */
  char path[MTK_PATH_MAX];    /* "tbsCertificate.validity.notAfter" */
  char detail[MTK_FINDING_DETAIL_MAX]; /* the specifics: "1024 bits" */
} mtk_finding;

/* A caller-owned, fixed-capacity list of findings (no allocation). */
typedef struct mtk_findings {
  mtk_finding items[MTK_MAX_FINDINGS];
  size_t n;
  size_t dropped;             /* findings beyond the capacity, counted only */
  size_t n_error, n_warning, n_notice; /* by adjusted severity, dropped ones included */
} mtk_findings;

typedef struct mtk_lint_opts {
  mtk_time now;               /* required: "expired" is judged against it */
  mtk_profile profile;        /* MTK_PROFILE_AUTO by default */
  bool private_pki;           /* public-only rules become notices */
  const mtk_diag *parse_diag; /* the diag of the parse: its quirks become findings */
} mtk_lint_opts;

/* mtk_lint_auto_profile: CA if basicConstraints cA (or a v1 self-issued
 * certificate, an old root, as OpenSSL treats it), else server if the EKU
 * has serverAuth or anyExtendedKeyUsage (or there is no EKU), else client
 * (clientAuth, or neither: a leaf that cannot serve TLS is linted as a
 * client, where the missing clientAuth is reported). */
MTK_EXPORT mtk_profile mtk_lint_auto_profile(const mtk_cert *c);

/* mtk_lint_cert runs every check that applies to |c| under |opts| and
 * appends findings to |out| (which the caller zeroes first).
 *
 * A check applies when its |applies| has the profile's bit and, if it has
 * an effective date, the certificate's notBefore is on or after that date
 * (for a CSR: opts->now). |c| must come from a successful mtk_cert_parse;
 * pass that parse's diag as opts->parse_diag to get the quirk findings.
 * MTK_ERR_ARG for NULL arguments or the CSR profile; MTK_ERR_NOMEM if a
 * weak-key test ran out of memory (the findings so far stay in |out|).
 * Not checked: anything that needs the issuer (signature, AKI against the
 * issuer's SKI, name chaining) or the network (CT logs, CRL, OCSP). */
MTK_EXPORT mtk_status mtk_lint_cert(const mtk_cert *c, const mtk_lint_opts *opts,
                                    mtk_findings *out) MTK_MUST_CHECK;

/* mtk_lint_csr runs every CSR check (the CSR's own signature included,
 * verified with keys.h). opts->profile must be AUTO or CSR (MTK_ERR_ARG
 * otherwise); dated checks compare their date with opts->now. Errors as
 * mtk_lint_cert. */
MTK_EXPORT mtk_status mtk_lint_csr(const mtk_csr *r, const mtk_lint_opts *opts,
                                   mtk_findings *out) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_LINT_H */

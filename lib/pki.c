/* pki.c: the development PKI's certificates and requests: CA certificates,
 * leaves, CSR signing with its policy, PKCS#10 requests, and the
 * self-check every output passes before it is returned (pki.h).
 *
 * Certificates are assembled with OpenSSL's X509 objects and signed with
 * EVP_DigestSign (X509_sign_ctx); the result is then parsed by mtlskit's
 * own strict parser and linted, so a defect in either the assembly or
 * OpenSSL's encoding is caught here, not by a user. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rand.h>

#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "pki_internal.h"

/* The last second an X.509 time can express: 9999-12-31T23:59:59Z. */
#define PKI_TIME_MAX ((mtk_time)253402300799LL)

struct mtk_pki_ca {
  X509 *cert;
  EVP_PKEY *key;
  uint8_t keyid[64];       /* its subjectKeyIdentifier, for the AKI of what it issues */
  size_t keyid_len;
  mtk_time not_before, not_after;
  bool has_pathlen;
  uint64_t pathlen;
};

/* ---- small helpers ----------------------------------------------------------------- */

static mtk_status nomem(mtk_pki_err *err) { return pki_fail(err, MTK_ERR_NOMEM, "out of memory"); }

static mtk_status crypto_fail(mtk_pki_err *err, const char *what) {
  return pki_fail(err, MTK_ERR_CRYPTO, "OpenSSL failed to %s", what);
}

/* RFC 7093 section 2 method 1: the leftmost 160 bits of the SHA-256 of the
 * subjectPublicKey BIT STRING value. */
static mtk_status key_id(const X509 *x, uint8_t out[20], mtk_pki_err *err) {
  const ASN1_BIT_STRING *bits = X509_get0_pubkey_bitstr(x);
  if (bits == NULL) return crypto_fail(err, "read the public key");
  uint8_t md[MTK_DIGEST_MAX];
  size_t md_len = sizeof(md);
  const unsigned char *p = ASN1_STRING_get0_data(bits);
  int n = ASN1_STRING_length(bits);
  if (n <= 0 || mtk_digest(MTK_DIGEST_SHA256, p, (size_t)n, md, &md_len) != MTK_OK)
    return crypto_fail(err, "hash the public key");
  memcpy(out, md, 20);
  return MTK_OK;
}

/* CSPRNG serial: 16 octets, positive, first octet non-zero, so that the DER
 * INTEGER is exactly MTK_PKI_SERIAL_LEN octets (RFC 5280 4.1.2.2). */
static mtk_status set_serial(X509 *x, mtk_pki_err *err) {
  uint8_t b[MTK_PKI_SERIAL_LEN];
  int tries = 0;
  do {
    if (RAND_bytes(b, (int)sizeof(b)) != 1) return crypto_fail(err, "draw a random serial");
    b[0] &= 0x7f;
  } while (b[0] == 0 && ++tries < 64);
  if (b[0] == 0) return crypto_fail(err, "draw a random serial");
  BIGNUM *bn = BN_bin2bn(b, (int)sizeof(b), NULL);
  ASN1_INTEGER *ai = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
  bool ok = ai != NULL && X509_set_serialNumber(x, ai) == 1;
  ASN1_INTEGER_free(ai);
  BN_free(bn);
  return ok ? MTK_OK : crypto_fail(err, "set the serial number");
}

/* ASN1_TIME_set picks UTCTime for 1950..2049 and GeneralizedTime
 * otherwise, as RFC 5280 4.1.2.5 requires. */
static mtk_status set_validity(X509 *x, mtk_time nb, mtk_time na, mtk_pki_err *err) {
  ASN1_TIME *a = ASN1_TIME_set(NULL, (time_t)nb);
  ASN1_TIME *b = ASN1_TIME_set(NULL, (time_t)na);
  bool ok = a != NULL && b != NULL && X509_set1_notBefore(x, a) == 1 &&
            X509_set1_notAfter(x, b) == 1;
  ASN1_TIME_free(a);
  ASN1_TIME_free(b);
  return ok ? MTK_OK : crypto_fail(err, "set the validity");
}

static void fmt_time(mtk_time t, char *buf, size_t cap) { mtk_time_format(t, buf, cap); }

/* Adds extension |nid| with |value| to the certificate |x| or, when |x| is
 * NULL, to the request's list |*sk|. */
static bool add_ext(X509 *x, STACK_OF(X509_EXTENSION) **sk, int nid, void *value, bool crit) {
  if (x != NULL) return X509_add1_ext_i2d(x, nid, value, crit ? 1 : 0, X509V3_ADD_DEFAULT) == 1;
  return X509V3_add1_i2d(sk, nid, value, crit ? 1 : 0, X509V3_ADD_DEFAULT) == 1;
}

static bool add_bc(X509 *x, bool ca, int pathlen) {
  BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
  bool ok = bc != NULL;
  if (ok && ca) {
    bc->ca = 0xFF;
    if (pathlen >= 0) {
      bc->pathlen = ASN1_INTEGER_new();
      ok = bc->pathlen != NULL && ASN1_INTEGER_set(bc->pathlen, pathlen) == 1;
    }
  }
  /* RFC 5280 4.2.1.9: critical in CA certificates; CABF BR 7.1.2.7.8
   * allows it critical in leaves too, which is what verifiers that do not
   * know the extension should see. cA FALSE is the DEFAULT: the SEQUENCE
   * is empty. */
  ok = ok && add_ext(x, NULL, NID_basic_constraints, bc, true);
  BASIC_CONSTRAINTS_free(bc);
  return ok;
}

static bool add_ku(X509 *x, STACK_OF(X509_EXTENSION) **sk, uint32_t bits) {
  ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
  bool ok = ku != NULL;
  for (int i = 0; ok && i < 9; i++)
    if ((bits & (1u << i)) != 0) ok = ASN1_BIT_STRING_set_bit(ku, i, 1) == 1;
  /* RFC 5280 4.2.1.3: "conforming CAs SHOULD mark this extension as
   * critical". OpenSSL drops trailing zero bits (X.690 11.2.2). */
  ok = ok && add_ext(x, sk, NID_key_usage, ku, true);
  ASN1_BIT_STRING_free(ku);
  return ok;
}

static bool add_eku(X509 *x, STACK_OF(X509_EXTENSION) **sk, unsigned usage) {
  EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
  bool ok = eku != NULL;
  if (ok && (usage & MTK_PKI_SERVER) != 0)
    ok = sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth)) > 0;
  if (ok && (usage & MTK_PKI_CLIENT) != 0)
    ok = sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth)) > 0;
  ok = ok && add_ext(x, sk, NID_ext_key_usage, eku, false);
  sk_ASN1_OBJECT_free(eku); /* the objects are OpenSSL's static ones */
  return ok;
}

static bool add_ski(X509 *x, const uint8_t *id, size_t len) {
  ASN1_OCTET_STRING *o = ASN1_OCTET_STRING_new();
  bool ok = o != NULL && ASN1_OCTET_STRING_set(o, id, (int)len) == 1 &&
            add_ext(x, NULL, NID_subject_key_identifier, o, false);
  ASN1_OCTET_STRING_free(o);
  return ok;
}

/* keyIdentifier only: CABF BR 7.1.2.11.1 forbids the issuer and serial
 * fields, which tie a certificate to one copy of its issuer. */
static bool add_aki(X509 *x, const uint8_t *id, size_t len) {
  AUTHORITY_KEYID *a = AUTHORITY_KEYID_new();
  bool ok = a != NULL && (a->keyid = ASN1_OCTET_STRING_new()) != NULL &&
            ASN1_OCTET_STRING_set(a->keyid, id, (int)len) == 1 &&
            add_ext(x, NULL, NID_authority_key_identifier, a, false);
  AUTHORITY_KEYID_free(a);
  return ok;
}

static bool add_san(X509 *x, STACK_OF(X509_EXTENSION) **sk, const pki_sans *s, bool critical) {
  GENERAL_NAMES *gens = pki_sans_general_names(s);
  bool ok = gens != NULL && add_ext(x, sk, NID_subject_alt_name, gens, critical);
  GENERAL_NAMES_free(gens);
  return ok;
}

static GENERAL_NAME *uri_name(const char *url) {
  GENERAL_NAME *gn = GENERAL_NAME_new();
  ASN1_IA5STRING *s = ASN1_IA5STRING_new();
  if (gn == NULL || s == NULL || ASN1_STRING_set(s, url, (int)strlen(url)) != 1) {
    ASN1_IA5STRING_free(s);
    GENERAL_NAME_free(gn);
    return NULL;
  }
  GENERAL_NAME_set0_value(gn, GEN_URI, s);
  return gn;
}

static bool add_crldp(X509 *x, const char *url) {
  CRL_DIST_POINTS *dps = sk_DIST_POINT_new_null();
  DIST_POINT *dp = DIST_POINT_new();
  GENERAL_NAME *gn = uri_name(url);
  bool ok = dps != NULL && dp != NULL && gn != NULL && (dp->distpoint = DIST_POINT_NAME_new()) != NULL &&
            (dp->distpoint->name.fullname = sk_GENERAL_NAME_new_null()) != NULL;
  if (ok) {
    dp->distpoint->type = 0; /* fullName */
    ok = sk_GENERAL_NAME_push(dp->distpoint->name.fullname, gn) > 0;
    if (ok) gn = NULL;
  }
  if (ok) {
    ok = sk_DIST_POINT_push(dps, dp) > 0;
    if (ok) dp = NULL;
  }
  ok = ok && add_ext(x, NULL, NID_crl_distribution_points, dps, false);
  GENERAL_NAME_free(gn);
  DIST_POINT_free(dp);
  CRL_DIST_POINTS_free(dps);
  return ok;
}

static bool add_aia(X509 *x, const char *url) {
  AUTHORITY_INFO_ACCESS *aia = sk_ACCESS_DESCRIPTION_new_null();
  ACCESS_DESCRIPTION *ad = ACCESS_DESCRIPTION_new();
  GENERAL_NAME *gn = uri_name(url);
  bool ok = aia != NULL && ad != NULL && gn != NULL;
  if (ok) {
    ASN1_OBJECT_free(ad->method);
    ad->method = OBJ_nid2obj(NID_ad_OCSP);
    GENERAL_NAME_free(ad->location);
    ad->location = gn;
    gn = NULL;
    ok = sk_ACCESS_DESCRIPTION_push(aia, ad) > 0;
    if (ok) ad = NULL;
  }
  ok = ok && add_ext(x, NULL, NID_info_access, aia, false);
  GENERAL_NAME_free(gn);
  ACCESS_DESCRIPTION_free(ad);
  AUTHORITY_INFO_ACCESS_free(aia);
  return ok;
}

/* An EVP_MD_CTX set up to sign with |key| (see pki_sign_md). */
static EVP_MD_CTX *sign_ctx(EVP_PKEY *key) {
  EVP_MD_CTX *m = EVP_MD_CTX_new();
  if (m == NULL) return NULL;
  if (EVP_DigestSignInit_ex(m, NULL, pki_sign_md(key), NULL, NULL, key, NULL) != 1) {
    EVP_MD_CTX_free(m);
    return NULL;
  }
  return m;
}

static mtk_status sign_cert(X509 *x, EVP_PKEY *key, mtk_buf *der, mtk_pki_err *err) {
  EVP_MD_CTX *m = sign_ctx(key);
  bool ok = m != NULL && X509_sign_ctx(x, m) > 0;
  EVP_MD_CTX_free(m);
  if (!ok) return crypto_fail(err, "sign the certificate");
  unsigned char *p = NULL;
  int n = i2d_X509(x, &p);
  if (n <= 0) return crypto_fail(err, "encode the certificate");
  mtk_status st = mtk_buf_append(der, p, (size_t)n);
  OPENSSL_free(p);
  return st == MTK_OK ? MTK_OK : nomem(err);
}

/* ---- the self-check ------------------------------------------------------------------ */

/* Reports the first error (else warning) of |f| as a failure. */
static mtk_status findings_fail(const mtk_findings *f, mtk_status code, const char *what,
                                mtk_pki_err *err) {
  mtk_severity want = f->n_error > 0 ? MTK_SEV_ERROR : MTK_SEV_WARNING;
  size_t n = f->n < MTK_MAX_FINDINGS ? f->n : MTK_MAX_FINDINGS;
  for (size_t i = 0; i < n; i++) {
    const mtk_finding *x = &f->items[i];
    if (x->severity != want) continue;
    return pki_fail(err, code, "%s: %s %s at %s%s%s", what, mtk_severity_name(x->severity),
                    x->check->id, x->path[0] ? x->path : "(object)", x->detail[0] ? ": " : "",
                    x->detail);
  }
  return pki_fail(err, code, "%s: %zu error(s), %zu warning(s)", what, f->n_error, f->n_warning);
}

/* Parses and lints what was just made. Any error or warning fails: what
 * this module issues passes `mtlskit check --private-pki` cleanly. */
static mtk_status self_check(const mtk_buf *der, bool is_csr, mtk_time now, mtk_findings *keep,
                             mtk_pki_err *err) {
  mtk_diag *d = malloc(sizeof(*d));
  mtk_findings *f = calloc(1, sizeof(*f));
  void *obj = malloc(is_csr ? sizeof(mtk_csr) : sizeof(mtk_cert));
  mtk_status st = MTK_OK;
  if (d == NULL || f == NULL || obj == NULL) {
    st = nomem(err);
    goto out;
  }
  mtk_diag_init(d);
  st = is_csr ? mtk_csr_parse(obj, der->p, der->len, d) : mtk_cert_parse(obj, der->p, der->len, d);
  if (st != MTK_OK) {
    char msg[256];
    mtk_error_format(&d->err, msg, sizeof(msg));
    st = pki_fail(err, MTK_ERR_PKI_SELF_CHECK, "the %s made does not parse: %s",
                  is_csr ? "request" : "certificate", msg);
    goto out;
  }
  mtk_lint_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = now;
  lo.private_pki = true;
  lo.parse_diag = d;
  lo.profile = is_csr ? MTK_PROFILE_CSR : MTK_PROFILE_AUTO;
  st = is_csr ? mtk_lint_csr(obj, &lo, f) : mtk_lint_cert(obj, &lo, f);
  if (st != MTK_OK) {
    st = pki_fail(err, st, "the self-check failed to run");
    goto out;
  }
  if (keep != NULL) *keep = *f;
  if (f->n_error + f->n_warning > 0)
    st = findings_fail(f, MTK_ERR_PKI_SELF_CHECK,
                       is_csr ? "the request fails its self-check" : "the certificate fails its self-check",
                       err);
out:
  free(obj);
  free(f);
  free(d);
  return st;
}

/* ---- validity ------------------------------------------------------------------------ */

typedef struct validity {
  mtk_time nb, na;
} validity;

/* The period: notBefore = now - MTK_PKI_BACKDATE (never before the
 * issuer's notBefore), notAfter = notBefore + days - 1 second; the issuer
 * must be valid now and outlive the certificate. |issuer| NULL for a root. */
static mtk_status plan_validity(const mtk_pki_ca *issuer, mtk_time now, uint32_t days,
                                uint32_t max_days, const char *kind, validity *v,
                                mtk_pki_err *err) {
  char a[40], b[40];
  if (days == 0 || days > max_days)
    return pki_fail(err, MTK_ERR_PKI_POLICY, "--days %u: a %s certificate is valid 1 to %u days",
                    (unsigned)days, kind, (unsigned)max_days);
  if (now < MTK_PKI_BACKDATE || now > PKI_TIME_MAX)
    return pki_fail(err, MTK_ERR_PKI_POLICY, "\"now\" is out of range");
  v->nb = now - MTK_PKI_BACKDATE;
  if (issuer != NULL) {
    if (now < issuer->not_before) {
      fmt_time(issuer->not_before, a, sizeof(a));
      return pki_fail(err, MTK_ERR_PKI_POLICY,
                      "the CA is not valid before %s (check this machine's clock)", a);
    }
    if (now > issuer->not_after) {
      fmt_time(issuer->not_after, a, sizeof(a));
      return pki_fail(err, MTK_ERR_PKI_POLICY, "the CA expired on %s; make a new one", a);
    }
    if (v->nb < issuer->not_before) v->nb = issuer->not_before;
  }
  v->na = v->nb + (mtk_time)days * 86400 - 1;
  if (v->na > PKI_TIME_MAX)
    return pki_fail(err, MTK_ERR_PKI_POLICY, "--days %u reaches past the year 9999",
                    (unsigned)days);
  if (issuer != NULL && v->na > issuer->not_after) {
    fmt_time(issuer->not_after, a, sizeof(a));
    fmt_time(v->na, b, sizeof(b));
    long long left = (long long)((issuer->not_after - v->nb + 1) / 86400);
    return pki_fail(err, MTK_ERR_PKI_POLICY,
                    "the %s certificate would be valid until %s, after its CA expires (%s); "
                    "use --days %lld or less, or renew the CA",
                    kind, b, a, left);
  }
  return MTK_OK;
}

/* ---- the CA ---------------------------------------------------------------------------- */

static mtk_status ca_facts_body(mtk_pki_ca *ca, mtk_cert *c, mtk_diag *d, const uint8_t *der,
                                size_t len, mtk_pki_err *err) {
  mtk_diag_init(d);
  mtk_status st = mtk_cert_parse(c, der, len, d);
  if (st != MTK_OK) {
    char msg[256];
    mtk_error_format(&d->err, msg, sizeof(msg));
    return pki_fail(err, st, "the CA certificate does not parse: %s", msg);
  }
  const mtk_ext *e = mtk_ext_get(&c->exts, MTK_XK_BC);
  mtk_basic_constraints bc;
  if (e == NULL || mtk_ext_basic_constraints(&e->value, &bc, NULL) != MTK_OK || !bc.ca)
    return pki_fail(err, MTK_ERR_PKI_NOT_CA,
                    "the CA certificate is not a CA certificate (basicConstraints cA is not TRUE)");
  ca->has_pathlen = bc.has_pathlen;
  ca->pathlen = bc.pathlen;
  e = mtk_ext_get(&c->exts, MTK_XK_KU);
  uint32_t ku = 0;
  if (e != NULL && (mtk_ext_key_usage(&e->value, &ku, NULL) != MTK_OK ||
                    (ku & MTK_KU_KEY_CERT_SIGN) == 0))
    return pki_fail(err, MTK_ERR_PKI_NOT_CA,
                    "the CA certificate's keyUsage lacks keyCertSign: it may not sign "
                    "certificates");
  e = mtk_ext_get(&c->exts, MTK_XK_SKI);
  mtk_cbs id;
  if (e != NULL && mtk_ext_ski(&e->value, &id, NULL) == MTK_OK && id.len > 0 &&
      id.len <= sizeof(ca->keyid)) {
    memcpy(ca->keyid, id.p, id.len);
    ca->keyid_len = id.len;
  } else {
    /* No subjectKeyIdentifier to repeat: RFC 5280 4.2.1.2 method (1), the
     * SHA-1 of the key bits, which is what other tools compute too. */
    uint8_t md[MTK_DIGEST_MAX];
    size_t md_len = sizeof(md);
    if (mtk_digest(MTK_DIGEST_SHA1, c->spki.key.p, c->spki.key.len, md, &md_len) != MTK_OK)
      return crypto_fail(err, "hash the CA key");
    memcpy(ca->keyid, md, md_len);
    ca->keyid_len = md_len;
  }
  ca->not_before = c->not_before;
  ca->not_after = c->not_after;
  return MTK_OK;
}

static mtk_status ca_facts(mtk_pki_ca *ca, const uint8_t *der, size_t len, mtk_pki_err *err) {
  mtk_cert *c = malloc(sizeof(*c));
  mtk_diag *d = malloc(sizeof(*d));
  mtk_status st = c != NULL && d != NULL ? ca_facts_body(ca, c, d, der, len, err) : nomem(err);
  free(d);
  free(c);
  return st;
}

static mtk_status ca_new_body(mtk_pki_ca *ca, const uint8_t *cert_der, size_t len,
                              const mtk_pki_key *key, mtk_pki_err *err) {
  mtk_status st = ca_facts(ca, cert_der, len, err);
  if (st != MTK_OK) return st;
  const unsigned char *p = cert_der;
  ca->cert = d2i_X509(NULL, &p, (long)len);
  if (ca->cert == NULL || p != cert_der + len)
    return pki_fail(err, MTK_ERR_X509_NOT_CERT, "OpenSSL cannot read the CA certificate");
  if (EVP_PKEY_eq(X509_get0_pubkey(ca->cert), key->pkey) != 1)
    return pki_fail(err, MTK_ERR_PKI_NOT_CA, "the CA key does not belong to the CA certificate");
  st = pki_pkey_check(key->pkey, "the CA key", err);
  if (st != MTK_OK) return st;
  if (EVP_PKEY_up_ref(key->pkey) != 1) return crypto_fail(err, "reference the CA key");
  ca->key = key->pkey;
  return MTK_OK;
}

mtk_status mtk_pki_ca_new(const uint8_t *cert_der, size_t len, const mtk_pki_key *key,
                          mtk_pki_ca **out, mtk_pki_err *err) {
  if (out == NULL) return pki_fail(err, MTK_ERR_ARG, "no output");
  *out = NULL;
  if (cert_der == NULL || len == 0 || len > (size_t)LONG_MAX || key == NULL)
    return pki_fail(err, MTK_ERR_ARG, "no CA certificate or key");
  mtk_pki_ca *ca = calloc(1, sizeof(*ca));
  if (ca == NULL) return nomem(err);
  ERR_set_mark();
  mtk_status st = ca_new_body(ca, cert_der, len, key, err);
  ERR_pop_to_mark();
  if (st != MTK_OK) {
    mtk_pki_ca_free(ca);
    return st;
  }
  *out = ca;
  return MTK_OK;
}

void mtk_pki_ca_free(mtk_pki_ca *ca) {
  if (ca == NULL) return;
  X509_free(ca->cert);
  EVP_PKEY_free(ca->key);
  free(ca);
}

/* ---- CA certificates ---------------------------------------------------------------------- */

static mtk_status ca_name(const mtk_pki_ca_opts *o, bool root, const uint8_t keyid[20],
                          X509_NAME **out, mtk_pki_err *err) {
  char def[80];
  const char *cn = o->common_name;
  if (cn == NULL || cn[0] == '\0') {
    snprintf(def, sizeof(def), "mtlskit development %sCA %02x%02x%02x%02x",
             root ? "" : "intermediate ", keyid[0], keyid[1], keyid[2], keyid[3]);
    cn = def;
  }
  mtk_status st = pki_check_text(cn, strlen(cn), 64, "--name", err);
  if (st == MTK_OK && o->organization != NULL && o->organization[0] != '\0')
    st = pki_check_text(o->organization, strlen(o->organization), 64, "--org", err);
  if (st != MTK_OK) return st;
  X509_NAME *n = X509_NAME_new();
  bool ok = n != NULL;
  if (ok && o->organization != NULL && o->organization[0] != '\0')
    ok = X509_NAME_add_entry_by_NID(n, NID_organizationName, MBSTRING_UTF8,
                                    (const unsigned char *)o->organization, -1, -1, 0) == 1;
  ok = ok && X509_NAME_add_entry_by_NID(n, NID_commonName, MBSTRING_UTF8,
                                        (const unsigned char *)cn, -1, -1, 0) == 1;
  if (!ok) {
    X509_NAME_free(n);
    return crypto_fail(err, "build the CA name");
  }
  *out = n;
  return MTK_OK;
}

/* Signs |x| with |key|, appends the DER to |out| and self-checks it
 * (removing it again on failure). */
static mtk_status finish_cert(X509 *x, EVP_PKEY *key, mtk_time now, mtk_findings *keep,
                              mtk_buf *out, mtk_pki_err *err) {
  size_t mark = out->len;
  mtk_status st = sign_cert(x, key, out, err);
  if (st != MTK_OK) return st;
  mtk_buf made = {out->p + mark, out->len - mark, 0, 0, false};
  st = self_check(&made, false, now, keep, err);
  if (st != MTK_OK) out->len = mark;
  return st;
}

static mtk_status make_ca_body(X509 *x, X509_NAME **name, const mtk_pki_ca *issuer,
                               const mtk_pki_key *key, const mtk_pki_ca_opts *o,
                               const validity *v, mtk_buf *out, mtk_pki_err *err) {
  uint8_t id[20];
  mtk_status st;
  if (X509_set_version(x, X509_VERSION_3) != 1 || X509_set_pubkey(x, key->pkey) != 1)
    return crypto_fail(err, "start the certificate");
  if ((st = key_id(x, id, err)) != MTK_OK) return st;
  if ((st = ca_name(o, issuer == NULL, id, name, err)) != MTK_OK) return st;
  if (X509_set_subject_name(x, *name) != 1 ||
      X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert) : *name) != 1)
    return crypto_fail(err, "set the names");
  if ((st = set_serial(x, err)) != MTK_OK || (st = set_validity(x, v->nb, v->na, err)) != MTK_OK)
    return st;
  if (!add_bc(x, true, o->path_len) ||
      !add_ku(x, NULL, MTK_KU_KEY_CERT_SIGN | MTK_KU_CRL_SIGN) || !add_ski(x, id, sizeof(id)) ||
      (issuer != NULL && !add_aki(x, issuer->keyid, issuer->keyid_len)))
    return crypto_fail(err, "add the extensions");
  return finish_cert(x, issuer ? issuer->key : key->pkey, o->now, o->findings, out, err);
}

static mtk_status make_ca(const mtk_pki_ca *issuer, const mtk_pki_key *key,
                          const mtk_pki_ca_opts *o, mtk_buf *out, mtk_pki_err *err) {
  if (key == NULL || o == NULL || out == NULL) return pki_fail(err, MTK_ERR_ARG, "NULL argument");
  mtk_status st = pki_pkey_check(key->pkey, issuer ? "the intermediate CA key" : "the CA key", err);
  if (st != MTK_OK) return st;
  if (issuer != NULL && issuer->has_pathlen && issuer->pathlen == 0)
    return pki_fail(err, MTK_ERR_PKI_NOT_CA,
                    "the issuing CA has pathLenConstraint 0: it may not certify another CA");
  if (issuer != NULL && o->path_len >= 0 && issuer->has_pathlen &&
      (uint64_t)o->path_len >= issuer->pathlen)
    return pki_fail(err, MTK_ERR_PKI_NOT_CA, "pathLenConstraint %d is not below the issuer's %llu",
                    o->path_len, (unsigned long long)issuer->pathlen);
  uint32_t days = o->days ? o->days : MTK_PKI_CA_DAYS_DEFAULT;
  if (issuer != NULL && o->days == 0) {
    /* By default a subordinate ends with its issuer. */
    mtk_time nb = o->now - MTK_PKI_BACKDATE;
    if (nb < issuer->not_before) nb = issuer->not_before;
    mtk_time span = issuer->not_after - nb + 1;
    if (span > 0 && span / 86400 < (mtk_time)days) days = (uint32_t)(span / 86400);
    if (days == 0) days = 1;
  }
  validity v;
  st = plan_validity(issuer, o->now, days, MTK_PKI_CA_DAYS_MAX, "CA", &v, err);
  if (st != MTK_OK) return st;
  ERR_set_mark();
  X509 *x = X509_new();
  X509_NAME *name = NULL;
  st = x != NULL ? make_ca_body(x, &name, issuer, key, o, &v, out, err) : nomem(err);
  X509_NAME_free(name);
  X509_free(x);
  ERR_pop_to_mark();
  return st;
}

mtk_status mtk_pki_make_root(const mtk_pki_key *key, const mtk_pki_ca_opts *o, mtk_buf *out,
                             mtk_pki_err *err) {
  return make_ca(NULL, key, o, out, err);
}

mtk_status mtk_pki_make_intermediate(const mtk_pki_ca *issuer, const mtk_pki_key *key,
                                     const mtk_pki_ca_opts *o, mtk_buf *out, mtk_pki_err *err) {
  if (issuer == NULL) return pki_fail(err, MTK_ERR_ARG, "no issuing CA");
  return make_ca(issuer, key, o, out, err);
}

/* ---- leaf certificates -------------------------------------------------------------------- */

typedef struct leaf_req {
  mtk_time now;
  EVP_PKEY *pub;               /* the subject's public key */
  const X509_NAME *subject;    /* NULL: a CN from the names */
  const pki_sans *sans;
  unsigned usage;
  uint32_t days;
  const char *crl_url, *ocsp_url;
  mtk_findings *findings;
} leaf_req;

/* The commonName of a certificate issued with mtk_pki_issue (see pki.h);
 * NULL when none fits in 64 characters. */
static const char *leaf_cn(const pki_sans *s, unsigned usage) {
  static const mtk_gn_type server_order[] = {MTK_GN_DNS, MTK_GN_IP};
  static const mtk_gn_type client_order[] = {MTK_GN_DNS, MTK_GN_URI, MTK_GN_EMAIL, MTK_GN_IP};
  const mtk_gn_type *order = (usage & MTK_PKI_SERVER) ? server_order : client_order;
  size_t n = (usage & MTK_PKI_SERVER) ? 2 : 4;
  for (size_t i = 0; i < n; i++) {
    const pki_gn *g = pki_sans_first(s, order[i]);
    if (g != NULL) return strlen(g->text) <= 64 ? g->text : NULL;
  }
  return NULL;
}

static mtk_status issue_leaf_body(X509 *x, X509_NAME **name, const mtk_pki_ca *ca,
                                  const leaf_req *r, const validity *v, mtk_buf *out,
                                  mtk_pki_err *err) {
  uint8_t id[20];
  mtk_status st;
  if (r->subject != NULL) {
    *name = X509_NAME_dup(r->subject);
  } else {
    *name = X509_NAME_new();
    const char *cn = leaf_cn(r->sans, r->usage);
    if (*name != NULL && cn != NULL &&
        X509_NAME_add_entry_by_NID(*name, NID_commonName, MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1, 0) != 1)
      return crypto_fail(err, "build the subject");
  }
  if (*name == NULL) return nomem(err);
  if (X509_set_version(x, X509_VERSION_3) != 1 || X509_set_pubkey(x, r->pub) != 1 ||
      X509_set_subject_name(x, *name) != 1 ||
      X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) != 1)
    return crypto_fail(err, "start the certificate");
  if ((st = key_id(x, id, err)) != MTK_OK || (st = set_serial(x, err)) != MTK_OK ||
      (st = set_validity(x, v->nb, v->na, err)) != MTK_OK)
    return st;
  /* RFC 8813 3 / RFC 8410 5: EC and EdDSA keys cannot encipher; an RSA
   * server key keeps keyEncipherment for TLS 1.2 RSA key transport. */
  uint32_t ku = MTK_KU_DIGITAL_SIGNATURE;
  if ((r->usage & MTK_PKI_SERVER) != 0 && EVP_PKEY_is_a(r->pub, "RSA"))
    ku |= MTK_KU_KEY_ENCIPHERMENT;
  /* RFC 5280 4.2.1.6: with an empty subject, subjectAltName is critical. */
  bool san_critical = X509_NAME_entry_count(*name) == 0;
  if (!add_bc(x, false, -1) || !add_ku(x, NULL, ku) || !add_eku(x, NULL, r->usage) ||
      !add_ski(x, id, sizeof(id)) || !add_aki(x, ca->keyid, ca->keyid_len) ||
      !add_san(x, NULL, r->sans, san_critical) ||
      (r->crl_url != NULL && !add_crldp(x, r->crl_url)) ||
      (r->ocsp_url != NULL && !add_aia(x, r->ocsp_url)))
    return crypto_fail(err, "add the extensions");
  return finish_cert(x, ca->key, r->now, r->findings, out, err);
}

static mtk_status issue_leaf(const mtk_pki_ca *ca, const leaf_req *r, mtk_buf *out,
                             mtk_pki_err *err) {
  if ((r->usage & (MTK_PKI_SERVER | MTK_PKI_CLIENT)) == 0 ||
      (r->usage & ~(MTK_PKI_SERVER | MTK_PKI_CLIENT)) != 0)
    return pki_fail(err, MTK_ERR_ARG, "say what the certificate is for: server, client or both");
  mtk_status st = MTK_OK;
  if (r->crl_url != NULL) st = pki_check_url(r->crl_url, "--crl-url", err);
  if (st == MTK_OK && r->ocsp_url != NULL) st = pki_check_url(r->ocsp_url, "--ocsp-url", err);
  if (st != MTK_OK) return st;
  bool server = (r->usage & MTK_PKI_SERVER) != 0;
  uint32_t days = r->days ? r->days : MTK_PKI_LEAF_DAYS_DEFAULT;
  validity v;
  st = plan_validity(ca, r->now, days, server ? MTK_PKI_SERVER_DAYS_MAX : MTK_PKI_CLIENT_DAYS_MAX,
                     server ? "server" : "client", &v, err);
  if (st != MTK_OK) return st;
  ERR_set_mark();
  X509 *x = X509_new();
  X509_NAME *name = NULL;
  st = x != NULL ? issue_leaf_body(x, &name, ca, r, &v, out, err) : nomem(err);
  X509_NAME_free(name);
  X509_free(x);
  ERR_pop_to_mark();
  return st;
}

mtk_status mtk_pki_issue(const mtk_pki_ca *ca, const mtk_pki_key *key, const mtk_pki_leaf_opts *o,
                         mtk_buf *out, mtk_pki_err *err) {
  if (ca == NULL || key == NULL || o == NULL || out == NULL)
    return pki_fail(err, MTK_ERR_ARG, "NULL argument");
  if ((o->usage & (MTK_PKI_SERVER | MTK_PKI_CLIENT)) == 0)
    return pki_fail(err, MTK_ERR_ARG, "say what the certificate is for: --server, --client or both");
  mtk_status st = pki_pkey_check(key->pkey, "the key", err);
  if (st != MTK_OK) return st;
  pki_sans sans;
  memset(&sans, 0, sizeof(sans));
  st = pki_sans_add_names(&sans, &o->names, err);
  if (st == MTK_OK) st = pki_sans_finish(&sans, o->usage, err);
  if (st == MTK_OK) {
    leaf_req r = {o->now, key->pkey, NULL, &sans, o->usage, o->days,
                  o->crl_url, o->ocsp_url, o->findings};
    st = issue_leaf(ca, &r, out, err);
  }
  pki_sans_free(&sans);
  return st;
}

/* ---- signing a CSR ------------------------------------------------------------------------- */

/* Step 6 of the policy: the requested subjectAltName entries. */
static mtk_status csr_sans(const mtk_csr *r, pki_sans *s, mtk_pki_err *err) {
  const mtk_ext *e = mtk_ext_get(&r->exts, MTK_XK_SAN);
  if (e == NULL)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "the CSR requests no subjectAltName; mtlskit issues only certificates whose "
                    "identity is in subjectAltName (RFC 9525)");
  mtk_gn_iter it;
  mtk_gn g;
  if (!mtk_gn_iter_init_ext(&it, &e->value))
    return pki_fail(err, MTK_ERR_PKI_POLICY, "the CSR's subjectAltName is malformed");
  while (mtk_gn_next(&it, &g)) {
    mtk_status st;
    char what[48];
    switch (g.type) {
      case MTK_GN_DNS:
      case MTK_GN_URI:
      case MTK_GN_EMAIL:
        snprintf(what, sizeof(what), "the CSR's %s name", mtk_gn_type_name(g.type));
        st = pki_sans_add(s, g.type, g.value.p, g.value.len, what, err);
        break;
      case MTK_GN_IP: {
        char text[PKI_IP_TEXT_MAX];
        if (g.value.len != 4 && g.value.len != 16)
          return pki_fail(err, MTK_ERR_PKI_POLICY,
                          "the CSR requests an iPAddress of %zu octets (4 or 16, RFC 5280 4.2.1.6)",
                          g.value.len);
        pki_ip_text(g.value.p, g.value.len, text, sizeof(text));
        st = pki_sans_add(s, MTK_GN_IP, (const uint8_t *)text, strlen(text),
                          "the CSR's IP address", err);
        break;
      }
      default:
        return pki_fail(err, MTK_ERR_PKI_POLICY,
                        "the CSR requests a %s subjectAltName entry; only DNS names, IP "
                        "addresses, URIs and e-mail addresses are issued",
                        mtk_gn_type_name(g.type));
    }
    if (st == MTK_ERR_PKI_NAME) {
      if (err != NULL) err->code = MTK_ERR_PKI_POLICY;
      return MTK_ERR_PKI_POLICY;
    }
    if (st != MTK_OK) return st;
  }
  return MTK_OK;
}

/* Step 7: every commonName repeats a subjectAltName entry. */
static mtk_status csr_cn_check(const mtk_csr *r, const pki_sans *s, unsigned usage,
                               mtk_pki_err *err) {
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &r->subject);
  while (mtk_name_next(&it, &a)) {
    if (a.id != MTK_OID_AT_CN) continue;
    bool server = (usage & MTK_PKI_SERVER) != 0;
    if (a.tag == MTK_ASN1_UTF8STRING || a.tag == MTK_ASN1_PRINTABLESTRING ||
        a.tag == MTK_ASN1_IA5STRING) {
      if (pki_sans_matches_cn(s, a.value.p, a.value.len, server)) continue;
    }
    return pki_fail(err, MTK_ERR_PKI_POLICY,
                    "the CSR's commonName is not one of its %ssubjectAltName entries; a CN "
                    "that differs shows an identity nobody checks (CABF BR 7.1.2.7.2)",
                    server ? "DNS or IP " : "");
  }
  return MTK_OK;
}

static mtk_status csr_usage(const mtk_csr *r, unsigned *usage, mtk_pki_err *err) {
  const mtk_ext *e = mtk_ext_get(&r->exts, MTK_XK_EKU);
  if (e != NULL) {
    if (mtk_ext_has_eku(&e->value, MTK_OID_EKU_SERVER_AUTH)) *usage |= MTK_PKI_SERVER;
    if (mtk_ext_has_eku(&e->value, MTK_OID_EKU_CLIENT_AUTH)) *usage |= MTK_PKI_CLIENT;
  }
  if (*usage == 0)
    return pki_fail(err, MTK_ERR_PKI_POLICY,
                    "the CSR requests neither serverAuth nor clientAuth; say --server or --client");
  return MTK_OK;
}

static mtk_status sign_parsed(const mtk_pki_ca *ca, const mtk_csr *r, const mtk_diag *d,
                              const mtk_pki_sign_opts *o, mtk_findings *f, mtk_buf *out,
                              mtk_pki_err *err) {
  /* 2. Proof of possession. */
  mtk_status st = r->signature_unused_bits != 0
                      ? MTK_ERR_SIG_INVALID
                      : mtk_verify_signature(r->tbs.p, r->tbs.len, r->sig_alg.elem.p,
                                             r->sig_alg.elem.len, r->signature.p, r->signature.len,
                                             r->spki.elem.p, r->spki.elem.len);
  if (st == MTK_ERR_SIG_UNSUPPORTED)
    return pki_fail(err, st, "the CSR is signed with an algorithm mtlskit cannot verify");
  if (st != MTK_OK)
    return pki_fail(err, MTK_ERR_SIG_INVALID,
                    "the CSR's signature does not verify with its own key, so it does not prove "
                    "possession of the private key (RFC 2986 3)");
  /* 3. The key. */
  st = pki_spki_check(&r->spki, "the CSR's key", err);
  if (st != MTK_OK) return st;
  /* 4. No CA. */
  const mtk_ext *bce = mtk_ext_get(&r->exts, MTK_XK_BC);
  mtk_basic_constraints bc;
  if (bce != NULL && mtk_ext_basic_constraints(&bce->value, &bc, NULL) == MTK_OK && bc.ca)
    return pki_fail(err, MTK_ERR_PKI_POLICY,
                    "the CSR requests basicConstraints cA TRUE (a CA certificate); pki sign "
                    "issues leaf certificates only");
  /* 5. The linter. */
  mtk_lint_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = o->now;
  lo.profile = MTK_PROFILE_CSR;
  lo.private_pki = true;
  lo.parse_diag = d;
  st = mtk_lint_csr(r, &lo, f);
  if (st != MTK_OK) return pki_fail(err, st, "the CSR's checks failed to run");
  if (o->csr_findings != NULL) *o->csr_findings = *f;
  if (f->n_error > 0) return findings_fail(f, MTK_ERR_PKI_POLICY, "the CSR fails its checks", err);
  /* 6 and 7. Names. */
  unsigned usage = o->usage;
  pki_sans sans;
  memset(&sans, 0, sizeof(sans));
  X509_NAME *subject = NULL;
  EVP_PKEY *pub = NULL;
  if (usage == 0) st = csr_usage(r, &usage, err);
  if (st == MTK_OK) st = csr_sans(r, &sans, err);
  if (st == MTK_OK) st = pki_sans_finish(&sans, usage, err);
  if (st == MTK_OK) st = csr_cn_check(r, &sans, usage, err);
  if (st == MTK_OK) {
    ERR_set_mark();
    const unsigned char *p = r->subject.elem.p;
    subject = d2i_X509_NAME(NULL, &p, (long)r->subject.elem.len);
    p = r->spki.elem.p;
    pub = d2i_PUBKEY(NULL, &p, (long)r->spki.elem.len);
    ERR_pop_to_mark();
    if (subject == NULL || pub == NULL) st = crypto_fail(err, "read the CSR's subject and key");
  }
  if (st == MTK_OK) {
    leaf_req lr = {o->now, pub, subject, &sans, usage, o->days, o->crl_url, o->ocsp_url,
                   o->findings};
    st = issue_leaf(ca, &lr, out, err);
  }
  EVP_PKEY_free(pub);
  X509_NAME_free(subject);
  pki_sans_free(&sans);
  return st;
}

mtk_status mtk_pki_sign_csr(const mtk_pki_ca *ca, const uint8_t *csr_der, size_t len,
                            const mtk_pki_sign_opts *o, mtk_buf *out, mtk_pki_err *err) {
  if (ca == NULL || csr_der == NULL || o == NULL || out == NULL || len > (size_t)LONG_MAX)
    return pki_fail(err, MTK_ERR_ARG, "NULL argument");
  mtk_csr *r = malloc(sizeof(*r));
  mtk_diag *d = malloc(sizeof(*d));
  mtk_findings *f = calloc(1, sizeof(*f));
  mtk_status st;
  if (r == NULL || d == NULL || f == NULL) {
    st = nomem(err);
  } else {
    mtk_diag_init(d);
    st = mtk_csr_parse(r, csr_der, len, d);
    if (st != MTK_OK) {
      char msg[256];
      mtk_error_format(&d->err, msg, sizeof(msg));
      st = pki_fail(err, st, "the CSR does not parse: %s", msg);
    } else {
      st = sign_parsed(ca, r, d, o, f, out, err);
    }
  }
  free(f);
  free(d);
  free(r);
  return st;
}

/* ---- requests -------------------------------------------------------------------------------- */

/* Every CN of a requested subject must be one of the DNS or IP names. */
static mtk_status subject_cn_check(const X509_NAME *n, const pki_sans *s, mtk_pki_err *err) {
  int count = X509_NAME_entry_count(n);
  for (int i = 0; i < count; i++) {
    const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
    if (OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) != NID_commonName) continue;
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
    const uint8_t *p = ASN1_STRING_get0_data(v);
    int len = ASN1_STRING_length(v);
    if (len > 0 && pki_sans_matches_cn(s, p, (size_t)len, true)) continue;
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "--subject: the CN \"%.*s\" is not one of the --dns or --ip names; add it "
                    "with --dns or leave the CN out (clients never read it, RFC 9525; CABF BR "
                    "7.1.2.7.2)",
                    len > 64 ? 64 : len, (const char *)p);
  }
  return MTK_OK;
}

static mtk_status build_csr_body(X509_REQ *req, STACK_OF(X509_EXTENSION) **exts,
                                 const mtk_pki_key *key, const mtk_pki_csr_opts *o,
                                 const pki_sans *s, X509_NAME *name, mtk_buf *out,
                                 mtk_pki_err *err) {
  if (X509_REQ_set_version(req, X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_subject_name(req, name) != 1 || X509_REQ_set_pubkey(req, key->pkey) != 1)
    return crypto_fail(err, "start the request");
  bool ok = add_san(NULL, exts, s, X509_NAME_entry_count(name) == 0);
  if (ok && o->usage != 0) {
    uint32_t ku = MTK_KU_DIGITAL_SIGNATURE;
    if ((o->usage & MTK_PKI_SERVER) != 0 && EVP_PKEY_is_a(key->pkey, "RSA"))
      ku |= MTK_KU_KEY_ENCIPHERMENT;
    ok = add_ku(NULL, exts, ku) && add_eku(NULL, exts, o->usage);
  }
  if (!ok || X509_REQ_add_extensions(req, *exts) != 1)
    return crypto_fail(err, "add the requested extensions");
  EVP_MD_CTX *m = sign_ctx(key->pkey);
  ok = m != NULL && X509_REQ_sign_ctx(req, m) > 0;
  EVP_MD_CTX_free(m);
  if (!ok) return crypto_fail(err, "sign the request");
  unsigned char *der = NULL;
  int n = i2d_X509_REQ(req, &der);
  if (n <= 0) return crypto_fail(err, "encode the request");
  size_t mark = out->len;
  mtk_status st = mtk_buf_append(out, der, (size_t)n);
  OPENSSL_free(der);
  if (st != MTK_OK) return nomem(err);
  mtk_buf made = {out->p + mark, out->len - mark, 0, 0, false};
  st = self_check(&made, true, o->now, o->findings, err);
  if (st != MTK_OK) out->len = mark;
  return st;
}

static mtk_status build_csr(const mtk_pki_key *key, const mtk_pki_csr_opts *o, const pki_sans *s,
                            X509_NAME *name, mtk_buf *out, mtk_pki_err *err) {
  X509_REQ *req = X509_REQ_new();
  STACK_OF(X509_EXTENSION) *exts = NULL;
  mtk_status st = req != NULL ? build_csr_body(req, &exts, key, o, s, name, out, err) : nomem(err);
  sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
  X509_REQ_free(req);
  return st;
}

mtk_status mtk_pki_make_csr(const mtk_pki_key *key, const mtk_pki_csr_opts *o, mtk_buf *out,
                            mtk_pki_err *err) {
  if (key == NULL || o == NULL || out == NULL) return pki_fail(err, MTK_ERR_ARG, "NULL argument");
  if ((o->usage & ~(MTK_PKI_SERVER | MTK_PKI_CLIENT)) != 0)
    return pki_fail(err, MTK_ERR_ARG, "unknown usage bits");
  mtk_status st = pki_pkey_check(key->pkey, "the key", err);
  if (st != MTK_OK) return st;
  ERR_set_mark();
  pki_sans sans;
  memset(&sans, 0, sizeof(sans));
  X509_NAME *name = NULL;
  st = pki_sans_add_names(&sans, &o->names, err);
  if (st == MTK_OK) st = pki_sans_finish(&sans, o->usage, err);
  if (st == MTK_OK && o->subject != NULL && o->subject[0] != '\0') {
    st = pki_subject_parse(o->subject, &name, err);
    if (st == MTK_OK) st = subject_cn_check(name, &sans, err);
  } else if (st == MTK_OK) {
    name = X509_NAME_new();
    const pki_gn *g = pki_sans_first(&sans, MTK_GN_DNS);
    if (g == NULL) g = pki_sans_first(&sans, MTK_GN_IP);
    if (name == NULL) {
      st = nomem(err);
    } else if (g != NULL && strlen(g->text) <= 64 &&
               X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                          (const unsigned char *)g->text, -1, -1, 0) != 1) {
      st = crypto_fail(err, "build the subject");
    }
  }
  if (st == MTK_OK) st = build_csr(key, o, &sans, name, out, err);
  X509_NAME_free(name);
  pki_sans_free(&sans);
  ERR_pop_to_mark();
  return st;
}

/* ---- output helpers ------------------------------------------------------------------------- */

mtk_status mtk_pki_pem(const char *label, const uint8_t *der, size_t len, mtk_buf *out) {
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (label == NULL || out == NULL || (der == NULL && len != 0)) return MTK_ERR_ARG;
  (void)mtk_buf_printf(out, "-----BEGIN %s-----\n", label);
  char line[65];
  size_t col = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)der[i] << 16;
    size_t n = len - i < 3 ? len - i : 3;
    if (n > 1) v |= (uint32_t)der[i + 1] << 8;
    if (n > 2) v |= der[i + 2];
    char quad[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], n > 1 ? b64[(v >> 6) & 63] : '=',
                    n > 2 ? b64[v & 63] : '='};
    for (size_t k = 0; k < 4; k++) {
      line[col++] = quad[k];
      if (col == 64) {
        (void)mtk_buf_append(out, line, col);
        (void)mtk_buf_putc(out, '\n');
        col = 0;
      }
    }
  }
  if (col > 0) {
    (void)mtk_buf_append(out, line, col);
    (void)mtk_buf_putc(out, '\n');
  }
  (void)mtk_buf_printf(out, "-----END %s-----\n", label);
  return mtk_buf_status(out);
}

static mtk_status index_line_body(X509 *x, mtk_buf *out) {
  const ASN1_TIME *na = X509_get0_notAfter(x);
  BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
  char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
  char *subject = X509_NAME_oneline(X509_get_subject_name(x), NULL, 0);
  mtk_status st = MTK_ERR_CRYPTO;
  if (na != NULL && hex != NULL && subject != NULL) {
    (void)mtk_buf_printf(out, "V\t%.*s\t\t%s\tunknown\t%s\n", ASN1_STRING_length(na),
                         (const char *)ASN1_STRING_get0_data(na), hex, subject);
    st = mtk_buf_status(out);
  }
  OPENSSL_free(subject);
  OPENSSL_free(hex);
  BN_free(bn);
  return st;
}

mtk_status mtk_pki_index_line(const uint8_t *der, size_t len, mtk_buf *out) {
  if (der == NULL || out == NULL || len == 0 || len > (size_t)LONG_MAX) return MTK_ERR_ARG;
  ERR_set_mark();
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)len);
  mtk_status st = x != NULL && p == der + len ? index_line_body(x, out) : MTK_ERR_X509_NOT_CERT;
  X509_free(x);
  ERR_pop_to_mark();
  return st;
}

/* verify.c: the trust store, candidate path building, and validation of
 * each candidate path by OpenSSL's X509_verify_cert plus mtlskit's profile
 * (verify_check.c) and name constraints (verify_nc.c). See
 * include/mtlskit/verify.h and docs/verify.md. */
#include "mtlskit/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "mtlskit/buf.h"
#include "mtlskit/pem.h"
#include "mtlskit/str.h"
#include "verify_int.h"

/* Work limits of one mtk_verify call (verify.h). */
#define MAX_COMPLETE_PATHS 64
#define MAX_CANDIDATES 2048

/* ---- names and small helpers ------------------------------------------------ */

const char *mtk_verify_profile_name(mtk_verify_profile p) {
  return p == MTK_VERIFY_WEBPKI ? "webpki" : "rfc5280";
}

bool mtk_verify_profile_parse(const char *s, mtk_verify_profile *out) {
  if (s == NULL || out == NULL) return false;
  if (strcmp(s, "rfc5280") == 0) {
    *out = MTK_VERIFY_RFC5280;
    return true;
  }
  if (strcmp(s, "webpki") == 0) {
    *out = MTK_VERIFY_WEBPKI;
    return true;
  }
  return false;
}

const char *mtk_cert_origin_name(mtk_cert_origin o) {
  switch (o) {
    case MTK_ORIGIN_LEAF: return "leaf";
    case MTK_ORIGIN_UNTRUSTED: return "untrusted";
    case MTK_ORIGIN_INTERMEDIATE: return "intermediate";
    case MTK_ORIGIN_ANCHOR: return "anchor";
  }
  return "unknown";
}

void mtk_verify_opts_init(mtk_verify_opts *o, mtk_time at) {
  if (o == NULL) return;
  memset(o, 0, sizeof *o);
  o->at = at;
  o->purpose = MTK_PURPOSE_ANY;
  o->profile = MTK_VERIFY_RFC5280;
  o->max_depth = -1;
}

void mtk_verify_result_init(mtk_verify_result *r) {
  if (r == NULL) return;
  memset(r, 0, sizeof *r);
  r->matched_name = -1;
}

bool vreason_has(const vpath *p, mtk_status code, int depth) {
  const mtk_verify_path *o = p->out;
  for (size_t i = 0; i < o->n_reasons; i++)
    if (o->reasons[i].code == code && o->reasons[i].depth == depth) return true;
  return false;
}

void vreason(vpath *p, mtk_status code, int depth, const char *fmt, ...) {
  mtk_verify_path *o = p->out;
  if (vreason_has(p, code, depth)) return;
  if (o->n_reasons >= MTK_VERIFY_MAX_REASONS) {
    o->reasons_dropped++;
    return;
  }
  mtk_verify_reason *r = &o->reasons[o->n_reasons++];
  r->code = code;
  r->depth = depth;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->msg, sizeof r->msg, fmt, ap);
  va_end(ap);
}

void vlabel(char *buf, size_t cap, const vpath *p, size_t i) {
  const vcert *c = p->c[i];
  if (i == 0)
    snprintf(buf, cap, "leaf (%s)", c->subject);
  else if (c->origin == MTK_ORIGIN_ANCHOR && i + 1 == p->n)
    snprintf(buf, cap, "trust anchor, certificate %zu (%s)", i, c->subject);
  else
    snprintf(buf, cap, "certificate %zu (%s)", i, c->subject);
}

bool vcert_has_quirk(const vcert *vc, mtk_quirk_kind k) {
  return k > 0 && k < 32 && (vc->quirks & (1u << k)) != 0;
}

bool vcert_self_signed(vcert *vc) {
  if (vc->self_signed < 0) {
    vc->self_signed = 0;
    if (vc->ok && vc->self_issued) {
      /* Self-issued and verified by its own key (AKI not consulted). A
       * certificate of mtk_verify_chain_profile has no X509: decoded here,
       * on this rare path only. */
      ERR_set_mark();
      X509 *x = vc->x;
      if (x == NULL) {
        const unsigned char *q = vc->der;
        x = d2i_X509(NULL, &q, (long)vc->len);
      }
      EVP_PKEY *pk = x != NULL ? X509_get0_pubkey(x) : NULL;
      vc->self_signed = pk != NULL && X509_verify(x, pk) == 1 ? 1 : 0;
      if (x != vc->x) X509_free(x);
      ERR_pop_to_mark();
    }
  }
  return vc->self_signed == 1;
}

/* ---- certificates ----------------------------------------------------------- */

static void vcert_free(vcert *vc) {
  if (vc == NULL) return;
  X509_free(vc->x);
  free(vc->own);
  free(vc);
}

/* Subject for messages: the last CN, else the whole name, else "no subject". */
static void set_subject(vcert *vc) {
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  bool have = mtk_str_name_cn(&b, &vc->c.subject, MTK_ESC_TEXT);
  if (!have || b.len == 0) {
    mtk_buf_reset(&b);
    if (mtk_str_name(&b, &vc->c.subject, MTK_DN_RFC4514, MTK_ESC_TEXT) != MTK_OK) mtk_buf_reset(&b);
  }
  if (b.len == 0) {
    snprintf(vc->subject, sizeof vc->subject, "empty subject");
  } else {
    size_t n = b.len < sizeof vc->subject - 1 ? b.len : sizeof vc->subject - 1;
    memcpy(vc->subject, b.p, n);
    vc->subject[n] = '\0';
    if (b.len >= sizeof vc->subject) memcpy(vc->subject + sizeof vc->subject - 4, "...", 4);
  }
  mtk_buf_free(&b);
}

/* vname_canon_eq tells whether |a| and |b| are equal as OpenSSL's
 * X509_NAME_cmp sees them (its canonical form: values of the string types
 * as UTF-8 with ASCII lower-cased, leading and trailing white space removed
 * and inner runs of it collapsed to one space; other values as they are),
 * without decoding them with OpenSSL: 1 equal, 0 different, -1 not decided
 * here (multi-valued RDNs, BMPString, UniversalString, non-ASCII octets in
 * a one-octet string type), for the caller to ask OpenSSL. */
static bool canon_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int canon_value_eq(const mtk_attr *x, const mtk_attr *y) {
  static const mtk_tag canon[] = {MTK_ASN1_UTF8STRING, MTK_ASN1_PRINTABLESTRING,
                                  MTK_ASN1_T61STRING,  MTK_ASN1_IA5STRING,
                                  MTK_ASN1_VISIBLESTRING};
  bool cx = false, cy = false;
  for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
    cx = cx || x->tag == canon[i];
    cy = cy || y->tag == canon[i];
  }
  if (x->tag == MTK_ASN1_BMPSTRING || x->tag == MTK_ASN1_UNIVERSALSTRING ||
      y->tag == MTK_ASN1_BMPSTRING || y->tag == MTK_ASN1_UNIVERSALSTRING)
    return -1;
  if (!cx || !cy) {
    if (cx != cy || x->tag != y->tag) return 0;
    return x->value.len == y->value.len && memcmp(x->value.p, y->value.p, x->value.len) == 0;
  }
  const mtk_attr *v[2] = {x, y};
  size_t pos[2], end[2];
  for (int k = 0; k < 2; k++) {
    const uint8_t *p = v[k]->value.p;
    size_t b = 0, e = v[k]->value.len;
    for (size_t i = 0; i < e; i++)
      if (p[i] >= 0x80 && v[k]->tag != MTK_ASN1_UTF8STRING) return -1;
    while (b < e && canon_space(p[b])) b++;
    while (e > b && canon_space(p[e - 1])) e--;
    pos[k] = b;
    end[k] = e;
  }
  for (;;) {
    int c[2];
    for (int k = 0; k < 2; k++) {
      const uint8_t *p = v[k]->value.p;
      if (pos[k] == end[k]) {
        c[k] = -1;
      } else if (canon_space(p[pos[k]])) {
        c[k] = ' ';
        while (pos[k] < end[k] && canon_space(p[pos[k]])) pos[k]++;
      } else {
        uint8_t ch = p[pos[k]++];
        c[k] = ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
      }
    }
    if (c[0] != c[1]) return 0;
    if (c[0] < 0) return 1;
  }
}

static int vname_canon_eq(const mtk_name *a, const mtk_name *b) {
  if (a->elem.len == b->elem.len && memcmp(a->elem.p, b->elem.p, a->elem.len) == 0) return 1;
  if (a->n_rdns != b->n_rdns || a->n_attrs != b->n_attrs) return 0;
  mtk_name_iter ia, ib;
  mtk_attr x, y;
  mtk_name_iter_init(&ia, a);
  mtk_name_iter_init(&ib, b);
  int r = 1;
  for (;;) {
    bool hx = mtk_name_next(&ia, &x), hy = mtk_name_next(&ib, &y);
    if (hx != hy) return 0;
    if (!hx) return r;
    if (x.rdn_size > 1 || y.rdn_size > 1) return -1; /* DER sorts the SET: ask OpenSSL */
    if (x.rdn != y.rdn || x.oid.len != y.oid.len || memcmp(x.oid.p, y.oid.p, x.oid.len) != 0)
      return 0;
    int e = canon_value_eq(&x, &y);
    if (e == 0) return 0;
    if (e < 0) r = -1; /* keep looking for a decisive difference */
  }
}

/* Issuer name equals subject name, as X509_NAME_cmp decides. */
static bool names_self_issued(const mtk_cert *c) {
  int e = vname_canon_eq(&c->issuer, &c->subject);
  if (e >= 0) return e == 1;
  ERR_set_mark();
  const unsigned char *p = c->issuer.elem.p, *q = c->subject.elem.p;
  X509_NAME *ni = d2i_X509_NAME(NULL, &p, (long)c->issuer.elem.len);
  X509_NAME *ns = d2i_X509_NAME(NULL, &q, (long)c->subject.elem.len);
  bool eq = ni != NULL && ns != NULL && X509_NAME_cmp(ni, ns) == 0;
  X509_NAME_free(ni);
  X509_NAME_free(ns);
  ERR_pop_to_mark();
  return eq;
}

/* vcert_parse fills |vc| (zeroed by the caller) from |der| (borrowed: it
 * must outlive the vcert), with |d| as scratch. A parse failure leaves ok
 * false with the error. With |openssl| (mtk_verify), OpenSSL's d2i_X509 must
 * accept it too and self_signed is decided now; without (mtk_verify_chain_
 * profile: OpenSSL decoded and validated the chain in the handshake),
 * OpenSSL is not run, and self_signed is left to compute if ever needed. */
static void vcert_parse(vcert *vc, const uint8_t *der, size_t len, mtk_cert_origin origin,
                        size_t index, mtk_diag *d, bool openssl) {
  vc->der = der;
  vc->len = len;
  vc->origin = origin;
  vc->index = index;
  vc->self_signed = -1;
  mtk_diag_init(d);
  mtk_status s = mtk_cert_parse(&vc->c, der, len, d);
  if (s != MTK_OK) {
    vc->err = d->err;
    snprintf(vc->subject, sizeof vc->subject, "unparseable certificate");
    return;
  }
  for (size_t i = 0; i < d->n_quirks; i++)
    if (d->quirks[i].kind > 0 && d->quirks[i].kind < 32) vc->quirks |= 1u << d->quirks[i].kind;
  set_subject(vc);
  if (!openssl) {
    /* What mtk_verify learns from OpenSSL's extension cache for duplicates,
     * decided from mtlskit's parse (the same words). */
    if (vc->c.exts.has_duplicates) {
      vc->err.code = MTK_ERR_CHAIN_MALFORMED;
      snprintf(vc->err.detail, sizeof vc->err.detail, "%s",
               "it has the same extension twice (RFC 5280 4.2)");
      return;
    }
    vc->ok = true;
    vc->self_issued = names_self_issued(&vc->c);
    return;
  }
  const unsigned char *p = der;
  const char *why = NULL;
  ERR_set_mark();
  vc->x = d2i_X509(NULL, &p, (long)len);
  if (vc->x == NULL || p != der + len) why = "OpenSSL cannot decode it (d2i_X509)";
  /* OpenSSL computes the extension cache lazily; do it now, so that a
   * store shared by threads is only read later. */
  if (why == NULL && X509_check_purpose(vc->x, -1, 0) != 1)
    why = vc->c.exts.has_duplicates ? "it has the same extension twice (RFC 5280 4.2)"
                                    : "OpenSSL finds an extension invalid";
  ERR_pop_to_mark();
  if (why != NULL) {
    X509_free(vc->x);
    vc->x = NULL;
    memset(&vc->err, 0, sizeof vc->err);
    vc->err.code = MTK_ERR_CHAIN_MALFORMED;
    snprintf(vc->err.detail, sizeof vc->err.detail, "%s", why);
  } else {
    vc->ok = true;
    vc->self_issued = X509_NAME_cmp(X509_get_issuer_name(vc->x), X509_get_subject_name(vc->x)) == 0;
    /* Decided now: a store shared by threads is never written later. */
    (void)vcert_self_signed(vc);
  }
}

/* vcert_load allocates a vcert and parses |der| into it (vcert_parse with
 * OpenSSL). Only allocation fails the call. */
static mtk_status vcert_load(const uint8_t *der, size_t len, mtk_cert_origin origin, size_t index,
                             vcert **out) {
  vcert *vc = calloc(1, sizeof *vc);
  if (vc == NULL) return MTK_ERR_NOMEM;
  mtk_diag *d = malloc(sizeof *d);
  if (d == NULL) {
    free(vc);
    return MTK_ERR_NOMEM;
  }
  vcert_parse(vc, der, len, origin, index, d, true);
  free(d);
  *out = vc;
  return MTK_OK;
}

/* ---- trust store ---------------------------------------------------------------- */

static int check_issued_cb(X509_STORE_CTX *ctx, X509 *x, X509 *issuer);
static int verify_cb(int ok, X509_STORE_CTX *ctx);

static mtk_status trust_push(mtk_trust *t, mtk_trust_role role, vcert *vc) {
  vcert ***arr = role == MTK_TRUST_ANCHOR ? &t->anchors : &t->inters;
  size_t *n = role == MTK_TRUST_ANCHOR ? &t->n_anchors : &t->n_inters;
  size_t *cap = role == MTK_TRUST_ANCHOR ? &t->cap_anchors : &t->cap_inters;
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    vcert **p = realloc(*arr, nc * sizeof *p);
    if (p == NULL) return MTK_ERR_NOMEM;
    *arr = p;
    *cap = nc;
  }
  (*arr)[(*n)++] = vc;
  return MTK_OK;
}

mtk_status mtk_trust_add(mtk_trust *t, const uint8_t *in, size_t len, mtk_trust_role role,
                         mtk_diag *d) {
  if (t == NULL || (in == NULL && len > 0) ||
      (role != MTK_TRUST_ANCHOR && role != MTK_TRUST_INTERMEDIATE))
    return mtk_diag_fail(d, MTK_ERR_ARG, 0, "invalid argument");
  if (len > MTK_MAX_INPUT) return mtk_diag_fail(d, MTK_ERR_INPUT_TOO_LARGE, 0, "input too large");
  size_t n_before = role == MTK_TRUST_ANCHOR ? t->n_anchors : t->n_inters;
  uint8_t *scratch = malloc(len + 1);
  if (scratch == NULL) return MTK_ERR_NOMEM;
  mtk_pem_reader r;
  mtk_pem_obj obj;
  mtk_status s = MTK_OK;
  size_t used = 0;
  mtk_pem_reader_init(&r, in, len);
  for (;;) {
    s = mtk_pem_next(&r, scratch + used, len + 1 - used, &obj, d);
    if (s != MTK_OK || obj.kind == MTK_OBJ_NONE) break;
    if (obj.format != MTK_FMT_DER) used += obj.der.len;
    mtk_cbs certs[1];
    mtk_pkcs7_iter it;
    bool p7 = obj.kind == MTK_OBJ_PKCS7;
    if (p7) {
      s = mtk_pkcs7_init(&it, &obj.der, d);
      if (s != MTK_OK) break;
    } else if (obj.kind != MTK_OBJ_CERT && obj.kind != MTK_OBJ_TRUSTED_CERT) {
      continue;
    }
    for (;;) {
      if (p7) {
        s = mtk_pkcs7_next_cert(&it, &certs[0], d);
        if (s != MTK_OK || certs[0].len == 0) break;
      } else {
        certs[0] = obj.der;
        if (obj.kind == MTK_OBJ_TRUSTED_CERT) {
          mtk_cbs copy = obj.der;
          s = mtk_der_get_any(&copy, NULL, NULL, &certs[0], d);
          if (s != MTK_OK) break;
        }
      }
      /* The store keeps its own copy of every certificate. */
      uint8_t *own = malloc(certs[0].len ? certs[0].len : 1);
      if (own == NULL) {
        s = MTK_ERR_NOMEM;
        break;
      }
      memcpy(own, certs[0].p, certs[0].len);
      size_t index = role == MTK_TRUST_ANCHOR ? t->n_anchors : t->n_inters;
      vcert *vc = NULL;
      s = vcert_load(own, certs[0].len,
                     role == MTK_TRUST_ANCHOR ? MTK_ORIGIN_ANCHOR : MTK_ORIGIN_INTERMEDIATE, index,
                     &vc);
      if (s != MTK_OK) {
        free(own);
        break;
      }
      vc->own = own;
      if (!vc->ok) {
        if (d != NULL && d->err.code == MTK_OK) d->err = vc->err;
        s = vc->err.code != MTK_OK ? vc->err.code : MTK_ERR_CHAIN_MALFORMED;
        vcert_free(vc);
        break;
      }
      s = trust_push(t, role, vc);
      if (s != MTK_OK) {
        vcert_free(vc);
        break;
      }
      if (!p7) break;
    }
    if (s != MTK_OK) break;
  }
  free(scratch);
  if (s != MTK_OK) {
    /* Roll back what this input added. */
    vcert **arr = role == MTK_TRUST_ANCHOR ? t->anchors : t->inters;
    size_t *n = role == MTK_TRUST_ANCHOR ? &t->n_anchors : &t->n_inters;
    while (*n > n_before) {
      vcert_free(arr[--(*n)]);
    }
  }
  return s;
}

size_t mtk_trust_count(const mtk_trust *t, mtk_trust_role role) {
  if (t == NULL) return 0;
  return role == MTK_TRUST_ANCHOR ? t->n_anchors : role == MTK_TRUST_INTERMEDIATE ? t->n_inters : 0;
}

void mtk_trust_free(mtk_trust *t) {
  if (t == NULL) return;
  for (size_t i = 0; i < t->n_anchors; i++) vcert_free(t->anchors[i]);
  for (size_t i = 0; i < t->n_inters; i++) vcert_free(t->inters[i]);
  free(t->anchors);
  free(t->inters);
  X509_STORE_free(t->store);
  free(t);
}

mtk_status mtk_trust_new(const uint8_t *roots, size_t roots_len, const uint8_t *intermediates,
                         size_t intermediates_len, mtk_trust **out, mtk_diag *d) {
  if (out == NULL) return mtk_diag_fail(d, MTK_ERR_ARG, 0, "invalid argument");
  *out = NULL;
  mtk_trust *t = calloc(1, sizeof *t);
  if (t == NULL) return MTK_ERR_NOMEM;
  t->store = X509_STORE_new();
  if (t->store == NULL) {
    free(t);
    return MTK_ERR_NOMEM;
  }
  X509_STORE_set_check_issued(t->store, check_issued_cb);
  X509_STORE_set_verify_cb(t->store, verify_cb);
  mtk_status s = MTK_OK;
  if (roots != NULL && roots_len > 0) s = mtk_trust_add(t, roots, roots_len, MTK_TRUST_ANCHOR, d);
  if (s == MTK_OK && intermediates != NULL && intermediates_len > 0)
    s = mtk_trust_add(t, intermediates, intermediates_len, MTK_TRUST_INTERMEDIATE, d);
  if (s != MTK_OK) {
    mtk_trust_free(t);
    return s;
  }
  *out = t;
  return MTK_OK;
}

/* ---- OpenSSL on one path ---------------------------------------------------------- */

#define MAX_OSSL_ERRORS 64

typedef struct ossl_run {
  const vpath *p;
  int err[MAX_OSSL_ERRORS];
  int depth[MAX_OSSL_ERRORS];
  size_t n;
} ossl_run;

/* The issuer of |x| is whatever follows it in our path: OpenSSL validates
 * exactly the path built here. A certificate asked about itself gets
 * OpenSSL's own answer (is it self-signed, for the trust anchor). */
static int check_issued_cb(X509_STORE_CTX *ctx, X509 *x, X509 *issuer) {
  ossl_run *run = X509_STORE_CTX_get_app_data(ctx);
  if (x == issuer) {
    ERR_set_mark();
    int r = X509_check_issued(issuer, x) == X509_V_OK;
    ERR_pop_to_mark();
    return r;
  }
  if (run == NULL) return 0;
  for (size_t i = 0; i + 1 < run->p->n; i++)
    if (run->p->c[i]->x == x) return run->p->c[i + 1]->x == issuer;
  return 0;
}

static int verify_cb(int ok, X509_STORE_CTX *ctx) {
  if (ok) return 1;
  ossl_run *run = X509_STORE_CTX_get_app_data(ctx);
  if (run != NULL && run->n < MAX_OSSL_ERRORS) {
    run->err[run->n] = X509_STORE_CTX_get_error(ctx);
    run->depth[run->n] = X509_STORE_CTX_get_error_depth(ctx);
    run->n++;
  }
  return 1; /* go on: collect every error */
}

/* OpenSSL errors that mtlskit decides itself (docs/verify.md): ignored. */
static bool ossl_err_replaced(int e) {
  switch (e) {
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
    case X509_V_ERR_SUBTREE_MINMAX:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE:
    case X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX:
    case X509_V_ERR_UNSUPPORTED_NAME_SYNTAX:
    case X509_V_ERR_CERT_CHAIN_TOO_LONG:
    case X509_V_ERR_CA_CERT_MISSING_KEY_USAGE:
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
      return true;
    default:
      return false;
  }
}

static mtk_status ossl_err_code(int e) {
  switch (e) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return MTK_ERR_CHAIN_NO_ISSUER;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
      return MTK_ERR_CHAIN_UNTRUSTED;
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_NO_ISSUER_PUBLIC_KEY:
      return MTK_ERR_CHAIN_SIGNATURE;
    case X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM:
    case X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH:
    case X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY:
    case X509_V_ERR_CA_MD_TOO_WEAK:
      return MTK_ERR_CHAIN_SIG_ALG;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_INVALID_NON_CA:
      return MTK_ERR_CHAIN_NOT_CA;
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE:
    case X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA:
      return MTK_ERR_CHAIN_KEY_USAGE;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA:
    case X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN:
      return MTK_ERR_CHAIN_PATHLEN;
    case X509_V_ERR_INVALID_PURPOSE:
      return MTK_ERR_CHAIN_EKU;
    case X509_V_ERR_CERT_REVOKED:
      return MTK_ERR_CHAIN_REVOKED;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
      return MTK_ERR_CHAIN_CRL;
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
      return MTK_ERR_CHAIN_CRITICAL_EXT;
    case X509_V_ERR_INVALID_POLICY_EXTENSION:
    case X509_V_ERR_NO_EXPLICIT_POLICY:
      return MTK_ERR_CHAIN_POLICY;
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_EC_KEY_EXPLICIT_PARAMS:
      return MTK_ERR_CHAIN_KEY;
    case X509_V_ERR_INVALID_EXTENSION:
    case X509_V_ERR_ISSUER_NAME_EMPTY:
    case X509_V_ERR_SUBJECT_NAME_EMPTY:
    case X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER:
    case X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER:
    case X509_V_ERR_EMPTY_SUBJECT_ALT_NAME:
    case X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL:
    case X509_V_ERR_CA_BCONS_NOT_CRITICAL:
    case X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL:
    case X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL:
    case X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3:
    case X509_V_ERR_AKID_SKID_MISMATCH:
    case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
      return MTK_ERR_CHAIN_PROFILE;
    default:
      return MTK_ERR_CHAIN_OTHER;
  }
}

/* Runs X509_verify_cert on path |p| (set up in |ctx|) and adds OpenSSL's
 * errors as reasons. */
static mtk_status ossl_run_path(vctx *v, vpath *p, X509_STORE_CTX *ctx, STACK_OF(X509) *untrusted,
                                STACK_OF(X509) *anchor, ossl_run *run) {
  run->p = p;
  for (size_t i = 1; i + 1 < p->n; i++)
    if (!sk_X509_push(untrusted, p->c[i]->x)) return MTK_ERR_NOMEM;
  if (!sk_X509_push(anchor, p->c[p->n - 1]->x)) return MTK_ERR_NOMEM;
  if (!X509_STORE_CTX_init(ctx, v->t->store, p->c[0]->x, untrusted)) return MTK_ERR_CRYPTO;
  X509_STORE_CTX_set0_trusted_stack(ctx, anchor);
  if (v->crls != NULL) X509_STORE_CTX_set0_crls(ctx, v->crls);
  X509_STORE_CTX_set_app_data(ctx, run);
  X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (v->crls != NULL)
    flags |= X509_V_FLAG_CRL_CHECK |
             ((v->o->flags & MTK_VERIFY_CRL_LEAF_ONLY) ? 0 : X509_V_FLAG_CRL_CHECK_ALL);
  if (v->o->flags & MTK_VERIFY_PARTIAL_CHAIN) flags |= X509_V_FLAG_PARTIAL_CHAIN;
  X509_VERIFY_PARAM_set_flags(param, flags);
  X509_VERIFY_PARAM_set_time(param, (time_t)v->o->at);
  X509_VERIFY_PARAM_set_depth(param, MTK_VERIFY_MAX_PATH + 1);
  int r = X509_verify_cert(ctx);
  if (r < 0 && run->n == 0)
    vreason(p, MTK_ERR_CHAIN_OTHER, -1, "OpenSSL could not run the verification (%s)",
            X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
  /* The chain OpenSSL validated must be ours. */
  STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
  bool same = chain != NULL && (size_t)sk_X509_num(chain) == p->n;
  for (size_t i = 0; same && i < p->n; i++) same = sk_X509_value(chain, (int)i) == p->c[i]->x;
  for (size_t i = 0; i < run->n; i++) {
    int e = run->err[i];
    if (ossl_err_replaced(e)) continue;
    int depth = run->depth[i];
    mtk_status code = ossl_err_code(e);
    if (vreason_has(p, code, depth)) continue;
    char lab[256];
    if (depth >= 0 && (size_t)depth < p->n)
      vlabel(lab, sizeof lab, p, (size_t)depth);
    else
      snprintf(lab, sizeof lab, "the path");
    vreason(p, code, depth, "%s: %s (OpenSSL)", lab, X509_verify_cert_error_string(e));
  }
  if (!same && run->n == 0)
    vreason(p, MTK_ERR_CHAIN_OTHER, -1, "OpenSSL validated another path than the one built");
  return MTK_OK;
}

static mtk_status ossl_validate(vctx *v, vpath *p) {
  mtk_status s = MTK_ERR_NOMEM;
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  STACK_OF(X509) *anchor = sk_X509_new_null();
  ossl_run *run = calloc(1, sizeof *run);
  ERR_set_mark();
  if (ctx != NULL && untrusted != NULL && anchor != NULL && run != NULL)
    s = ossl_run_path(v, p, ctx, untrusted, anchor, run);
  ERR_pop_to_mark();
  X509_STORE_CTX_free(ctx);
  sk_X509_free(untrusted);
  sk_X509_free(anchor);
  free(run);
  return s;
}

/* ---- path building ------------------------------------------------------------------ */

typedef struct sigcache {
  const vcert *child, *parent;
  bool ok;
} sigcache;

typedef struct builder {
  vctx *v;
  vpath path;
  vcert **pool;        /* candidate issuers: anchors, store intermediates, untrusted */
  size_t n_pool;
  sigcache *sigs;
  size_t n_sigs, cap_sigs;
  size_t n_complete, n_considered;
  bool done, limit;
  mtk_status err;      /* an allocation or OpenSSL failure */
} builder;

static bool is_anchor(const builder *b, vcert *c) {
  if (c->origin != MTK_ORIGIN_ANCHOR) return false;
  if (b->v->o->flags & MTK_VERIFY_PARTIAL_CHAIN) return true;
  return vcert_self_signed(c);
}

/* Does |parent|'s key verify |child|'s signature? Cached per pair. */
static bool edge_sig_ok(builder *b, const vcert *child, const vcert *parent) {
  for (size_t i = 0; i < b->n_sigs; i++)
    if (b->sigs[i].child == child && b->sigs[i].parent == parent) return b->sigs[i].ok;
  ERR_set_mark();
  EVP_PKEY *pk = X509_get0_pubkey(parent->x);
  bool ok = pk != NULL && X509_verify(child->x, pk) == 1;
  ERR_pop_to_mark();
  if (b->n_sigs == b->cap_sigs) {
    size_t nc = b->cap_sigs ? b->cap_sigs * 2 : 32;
    sigcache *p = realloc(b->sigs, nc * sizeof *p);
    if (p == NULL) return ok;
    b->sigs = p;
    b->cap_sigs = nc;
  }
  b->sigs[b->n_sigs++] = (sigcache){child, parent, ok};
  return ok;
}

/* A slot for a new candidate path in the result (NULL when full). */
static mtk_verify_path *new_out_path(builder *b) {
  mtk_verify_result *res = b->v->res;
  if (res->n_paths >= MTK_VERIFY_MAX_PATHS) {
    res->paths_dropped++;
    return NULL;
  }
  mtk_verify_path *o = &res->paths[res->n_paths++];
  memset(o, 0, sizeof *o);
  return o;
}

static void fill_elems(mtk_verify_path *o, const vpath *p) {
  o->n_elems = p->n;
  for (size_t i = 0; i < p->n; i++) {
    mtk_verify_elem *e = &o->elems[i];
    e->origin = p->c[i]->origin;
    e->index = p->c[i]->index;
    memcpy(e->subject, p->c[i]->subject, sizeof e->subject);
    e->der = p->c[i]->der;
    e->der_len = p->c[i]->len;
  }
}

/* Records a dead end: the path as it stands, and why it cannot go on. */
static void record_partial(builder *b, vpath *cur, mtk_status code, const char *fmt, ...)
    MTK_PRINTF(4, 5);
static void record_partial(builder *b, vpath *cur, mtk_status code, const char *fmt, ...) {
  mtk_verify_path scratch;
  mtk_verify_path *o = new_out_path(b);
  if (o == NULL) o = &scratch;
  memset(o, 0, sizeof *o);
  fill_elems(o, cur);
  o->complete = false;
  char msg[MTK_VERIFY_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  vpath tmp = *cur;
  tmp.out = o;
  vreason(&tmp, code, (int)cur->n - 1, "%s", msg);
}

/* The profile of one complete path: the expected names (decided once per
 * call by vnames_check), the certificate profile, the name constraints.
 * Shared by mtk_verify and mtk_verify_chain_profile. */
static void vprofile_path(vctx *v, vpath *p) {
  if (v->name_bad) vreason(p, v->name_code, 0, "%s", v->name_msg);
  vcheck_path(v, p);
  vnc_path(v, p);
}

static void evaluate(builder *b) {
  vctx *v = b->v;
  mtk_verify_path scratch;
  mtk_verify_path *o = new_out_path(b);
  bool kept = o != NULL;
  if (o == NULL) o = &scratch;
  memset(o, 0, sizeof *o);
  fill_elems(o, &b->path);
  o->complete = true;
  b->path.out = o;
  /* mtlskit's checks first, so that its wording wins over OpenSSL's. */
  vprofile_path(v, &b->path);
  mtk_status s = ossl_validate(v, &b->path);
  if (s != MTK_OK) b->err = s;
  o->valid = o->n_reasons == 0 && o->reasons_dropped == 0 && s == MTK_OK;
  b->n_complete++;
  if (o->valid) {
    b->done = true;
    if (!kept) {
      /* Keep the valid path even past the capacity: replace the last slot. */
      mtk_verify_result *res = v->res;
      res->paths[MTK_VERIFY_MAX_PATHS - 1] = scratch;
      res->paths_dropped++;
      res->chain = MTK_VERIFY_MAX_PATHS - 1;
    } else {
      v->res->chain = v->res->n_paths - 1;
    }
  }
}

/* Same subject and same key: a path never holds such a pair twice (RFC 4158
 * 5.2, loops). */
static bool same_entity(const vcert *a, const vcert *b) {
  if (a == b) return true;
  if (a->len == b->len && memcmp(a->der, b->der, a->len) == 0) return true;
  return X509_NAME_cmp(X509_get_subject_name(a->x), X509_get_subject_name(b->x)) == 0 &&
         a->c.spki.elem.len == b->c.spki.elem.len &&
         memcmp(a->c.spki.elem.p, b->c.spki.elem.p, a->c.spki.elem.len) == 0;
}

/* Is |cand|'s subjectKeyIdentifier the authorityKeyIdentifier of |child|?
 * 1 yes, 0 no information, -1 they differ. */
static int aki_match(const vcert *child, const vcert *cand) {
  const mtk_ext *ea = mtk_ext_get(&child->c.exts, MTK_XK_AKI);
  const mtk_ext *es = mtk_ext_get(&cand->c.exts, MTK_XK_SKI);
  if (ea == NULL || es == NULL) return 0;
  mtk_aki aki;
  mtk_cbs ski;
  if (mtk_ext_aki(&ea->value, &aki, NULL) != MTK_OK || !aki.has_keyid) return 0;
  if (mtk_ext_ski(&es->value, &ski, NULL) != MTK_OK) return 0;
  return aki.keyid.len == ski.len && memcmp(aki.keyid.p, ski.p, ski.len) == 0 ? 1 : -1;
}

static void dfs(builder *b) {
  if (b->done || b->limit || b->err != MTK_OK) return;
  vpath *p = &b->path;
  vcert *cur = p->c[p->n - 1];
  if (p->n >= MTK_VERIFY_MAX_PATH) {
    record_partial(b, p, MTK_ERR_CHAIN_DEPTH, "the path reached %d certificates without a trust anchor",
                   MTK_VERIFY_MAX_PATH);
    return;
  }
  /* Candidates by rank: 0 anchors with a matching or absent AKI, 1 other
   * anchors, 2 intermediates with a matching AKI, 3 no AKI information,
   * 4 AKI mismatch. */
  size_t found = 0;
  for (int rank = 0; rank <= 4 && !b->done && !b->limit && b->err == MTK_OK; rank++) {
    for (size_t i = 0; i < b->n_pool && !b->done && !b->limit && b->err == MTK_OK; i++) {
      vcert *cand = b->pool[i];
      if (!cand->ok) continue;
      if (X509_NAME_cmp(X509_get_issuer_name(cur->x), X509_get_subject_name(cand->x)) != 0) continue;
      int am = aki_match(cur, cand);
      bool anchor = cand->origin == MTK_ORIGIN_ANCHOR;
      int r = anchor ? (am >= 0 ? 0 : 1) : (am > 0 ? 2 : am == 0 ? 3 : 4);
      if (r != rank) continue;
      bool loop = false;
      for (size_t k = 0; k < p->n && !loop; k++) loop = same_entity(p->c[k], cand);
      if (loop) continue;
      found++;
      if (++b->n_considered > MAX_CANDIDATES) {
        b->limit = true;
        break;
      }
      p->c[p->n++] = cand;
      if (!edge_sig_ok(b, cur, cand)) {
        char lab[256];
        vlabel(lab, sizeof lab, p, p->n - 2);
        record_partial(b, p, MTK_ERR_CHAIN_SIGNATURE, "signature of %s by '%s' does not verify", lab,
                       cand->subject);
      } else if (is_anchor(b, cand)) {
        evaluate(b);
        if (b->n_complete >= MAX_COMPLETE_PATHS && !b->done) b->limit = true;
      } else {
        dfs(b);
      }
      p->n--;
    }
  }
  if (found == 0 && !b->done && !b->limit) {
    char lab[256];
    vlabel(lab, sizeof lab, p, p->n - 1);
    if (cur->origin == MTK_ORIGIN_ANCHOR)
      record_partial(b, p, MTK_ERR_CHAIN_UNTRUSTED,
                     "%s is trusted but not self-signed, and no issuer of it was found (partial "
                     "chains are off)",
                     lab);
    else if (cur->self_issued && vcert_self_signed(cur))
      record_partial(b, p, MTK_ERR_CHAIN_UNTRUSTED,
                     "%s is self-signed but not a trusted certificate", lab);
    else
      record_partial(b, p, MTK_ERR_CHAIN_NO_ISSUER,
                     "no issuer certificate found for %s among the trusted and untrusted "
                     "certificates",
                     lab);
  }
}

/* ---- mtk_verify -------------------------------------------------------------------------- */

static mtk_status load_crls(vctx *v) {
  if (v->o->n_crls == 0) return MTK_OK;
  v->crls = sk_X509_CRL_new_null();
  if (v->crls == NULL) return MTK_ERR_NOMEM;
  for (size_t i = 0; i < v->o->n_crls; i++) {
    const mtk_cbs *c = &v->o->crls[i];
    const unsigned char *p = c->p;
    ERR_set_mark();
    X509_CRL *crl = c->p != NULL ? d2i_X509_CRL(NULL, &p, (long)c->len) : NULL;
    ERR_pop_to_mark();
    if (crl == NULL || p != c->p + c->len) {
      X509_CRL_free(crl);
      return MTK_ERR_ARG;
    }
    if (!sk_X509_CRL_push(v->crls, crl)) {
      X509_CRL_free(crl);
      return MTK_ERR_NOMEM;
    }
  }
  return MTK_OK;
}

static mtk_status verify_body(vctx *v, builder *b) {
  mtk_verify_result *res = v->res;
  mtk_status s = load_crls(v);
  if (s != MTK_OK) return s;
  vcheck_crls(v);
  if (!v->leaf->ok) {
    mtk_verify_path *o = &res->paths[res->n_paths++];
    memset(o, 0, sizeof *o);
    vpath p = {.n = 1, .out = o};
    p.c[0] = v->leaf;
    fill_elems(o, &p);
    char msg[MTK_VERIFY_MSG_MAX];
    mtk_error_format(&v->leaf->err, msg, sizeof msg);
    vreason(&p, MTK_ERR_CHAIN_MALFORMED, 0, "the leaf certificate is malformed: %s", msg);
    return MTK_OK;
  }
  s = vnames_check(v);
  if (s != MTK_OK) return s;

  const mtk_trust *t = v->t;
  b->n_pool = t->n_anchors + t->n_inters + v->n_untrusted;
  b->pool = calloc(b->n_pool ? b->n_pool : 1, sizeof *b->pool);
  if (b->pool == NULL) return MTK_ERR_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < t->n_anchors; i++) b->pool[k++] = t->anchors[i];
  for (size_t i = 0; i < t->n_inters; i++) b->pool[k++] = t->inters[i];
  for (size_t i = 0; i < v->n_untrusted; i++) b->pool[k++] = v->untrusted[i];

  b->path.n = 1;
  b->path.c[0] = v->leaf;
  /* The leaf itself may be a trust anchor (pinned). */
  for (size_t i = 0; i < t->n_anchors && !b->done; i++) {
    vcert *a = t->anchors[i];
    if (a->len == v->leaf->len && memcmp(a->der, v->leaf->der, a->len) == 0 &&
        ((v->o->flags & MTK_VERIFY_PARTIAL_CHAIN) || vcert_self_signed(a))) {
      b->path.c[0] = a;
      evaluate(b);
      b->path.c[0] = v->leaf;
    }
  }
  if (!b->done) dfs(b);
  if (b->err != MTK_OK) return b->err;
  if (b->limit && !b->done) {
    mtk_verify_path *o = new_out_path(b);
    if (o == NULL) o = &res->paths[MTK_VERIFY_MAX_PATHS - 1];
    memset(o, 0, sizeof *o);
    vpath p = {.n = 1, .out = o};
    p.c[0] = v->leaf;
    fill_elems(o, &p);
    vreason(&p, MTK_ERR_CHAIN_LIMIT, -1,
            "path building stopped after %zu candidate paths and %zu candidate issuers",
            b->n_complete, b->n_considered);
  }
  for (size_t i = 0; i < v->n_untrusted && !b->done; i++) {
    vcert *u = v->untrusted[i];
    if (u->ok || res->n_paths == 0) continue;
    vpath p = {.n = 0, .out = &res->paths[0]};
    char msg[MTK_VERIFY_MSG_MAX];
    mtk_error_format(&u->err, msg, sizeof msg);
    vreason(&p, MTK_ERR_CHAIN_MALFORMED, -1, "untrusted certificate %zu was not used: it is malformed: %s",
            i, msg);
  }
  return MTK_OK;
}

mtk_status mtk_verify(const mtk_trust *trust, const uint8_t *leaf, size_t leaf_len,
                      const mtk_cbs *untrusted, size_t n_untrusted, const mtk_verify_opts *opts,
                      mtk_verify_result *res) {
  if (trust == NULL || leaf == NULL || opts == NULL || res == NULL ||
      (untrusted == NULL && n_untrusted > 0) || (opts->names == NULL && opts->n_names > 0) ||
      (opts->crls == NULL && opts->n_crls > 0))
    return MTK_ERR_ARG;
  mtk_verify_result_init(res);
  vctx v;
  memset(&v, 0, sizeof v);
  v.t = trust;
  v.o = opts;
  v.res = res;
  builder b;
  memset(&b, 0, sizeof b);
  b.v = &v;
  mtk_status s = vcert_load(leaf, leaf_len, MTK_ORIGIN_LEAF, 0, &v.leaf);
  if (s == MTK_OK && n_untrusted > 0) {
    v.untrusted = calloc(n_untrusted, sizeof *v.untrusted);
    if (v.untrusted == NULL) s = MTK_ERR_NOMEM;
    for (size_t i = 0; s == MTK_OK && i < n_untrusted; i++) {
      s = vcert_load(untrusted[i].p, untrusted[i].len, MTK_ORIGIN_UNTRUSTED, i, &v.untrusted[i]);
      if (s == MTK_OK) v.n_untrusted++;
    }
  }
  if (s == MTK_OK) s = verify_body(&v, &b);
  if (s == MTK_OK) {
    res->valid = b.done;
    if (!res->valid) {
      res->code = MTK_ERR_CHAIN_NO_ISSUER;
      for (size_t i = 0; i < res->n_paths; i++)
        if (res->paths[i].n_reasons > 0) {
          res->code = res->paths[i].reasons[0].code;
          break;
        }
    } else {
      res->code = MTK_OK;
    }
  } else {
    mtk_verify_result_init(res);
  }
  vcert_free(v.leaf);
  for (size_t i = 0; i < v.n_untrusted; i++) vcert_free(v.untrusted[i]);
  free(v.untrusted);
  sk_X509_CRL_pop_free(v.crls, X509_CRL_free);
  for (size_t i = 0; i < v.n_bad_crls; i++) X509_NAME_free(v.bad_crl_issuer[i]);
  free(b.pool);
  free(b.sigs);
  return s;
}

/* ---- mtk_verify_chain_profile ------------------------------------------------------------- */

mtk_status mtk_verify_chain_profile(const mtk_cbs *chain, size_t n, const mtk_verify_opts *opts,
                                    mtk_verify_result *res) {
  if (chain == NULL || n == 0 || opts == NULL || res == NULL ||
      (opts->names == NULL && opts->n_names > 0) || opts->n_crls > 0)
    return MTK_ERR_ARG;
  for (size_t i = 0; i < n; i++)
    if (chain[i].p == NULL) return MTK_ERR_ARG;
  /* Only the scalars and paths[0] are written: clearing the whole result
   * (about 200 KB) would cost more than the checks. */
  res->valid = false;
  res->code = MTK_OK;
  res->chain = 0;
  res->n_paths = 1;
  res->paths_dropped = 0;
  res->matched_name = -1;
  mtk_verify_path *o = &res->paths[0];
  o->n_elems = 0;
  o->complete = true;
  o->valid = false;
  o->n_reasons = 0;
  o->reasons_dropped = 0;
  vpath p = {.n = 0, .out = o};
  if (n > MTK_VERIFY_MAX_PATH) {
    vreason(&p, MTK_ERR_CHAIN_DEPTH, -1,
            "the chain has %zu certificates; at most %d are accepted", n, MTK_VERIFY_MAX_PATH);
    res->code = MTK_ERR_CHAIN_DEPTH;
    return MTK_OK;
  }
  /* Per call, on the stack: nothing is shared between threads. */
  vcert certs[MTK_VERIFY_MAX_PATH];
  mtk_diag d;
  p.n = n;
  size_t bad = n;
  for (size_t i = 0; i < n; i++) {
    vcert *vc = &certs[i];
    memset(vc, 0, sizeof *vc);
    mtk_cert_origin origin = i == 0       ? MTK_ORIGIN_LEAF
                             : i + 1 == n ? MTK_ORIGIN_ANCHOR
                                          : MTK_ORIGIN_UNTRUSTED;
    vcert_parse(vc, chain[i].p, chain[i].len, origin, i == 0 || i + 1 == n ? 0 : i, &d, false);
    if (!vc->ok && bad == n) bad = i;
    p.c[i] = vc;
  }
  fill_elems(o, &p);
  vctx v;
  memset(&v, 0, sizeof v);
  v.o = opts;
  v.res = res;
  v.leaf = &certs[0];
  mtk_status s = MTK_OK;
  if (bad < n) {
    /* The same words as mtk_verify for the leaf. */
    char msg[MTK_VERIFY_MSG_MAX], lab[256];
    mtk_error_format(&certs[bad].err, msg, sizeof msg);
    if (bad == 0) {
      vreason(&p, MTK_ERR_CHAIN_MALFORMED, 0, "the leaf certificate is malformed: %s", msg);
    } else {
      vlabel(lab, sizeof lab, &p, bad);
      vreason(&p, MTK_ERR_CHAIN_MALFORMED, (int)bad, "%s is malformed: %s", lab, msg);
    }
  } else {
    s = vnames_check(&v);
    if (s == MTK_OK) vprofile_path(&v, &p);
  }
  if (s != MTK_OK) {
    res->n_paths = 0;
    return s;
  }
  o->valid = o->n_reasons == 0 && o->reasons_dropped == 0;
  res->valid = o->valid;
  res->code = o->valid ? MTK_OK : o->n_reasons > 0 ? o->reasons[0].code : MTK_ERR_CHAIN_OTHER;
  return MTK_OK;
}

/* x509_test.c: the certificate and CSR parser core (lib/x509.c):
 * AlgorithmIdentifier, RSASSA-PSS-params, SubjectPublicKeyInfo, Name and
 * string checks, the Extensions list, Certificate and CertificationRequest.
 *
 * Inputs come from certgen (fixed dates, STYLE.md 16) or its DER writer.
 * Negative cases assert the exact status and, for many, the error path and
 * offset; tolerated encodings assert the quirk kind, path and offset. The
 * typed extension decoders have their own test (x509_ext_test.c). */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "certgen.h"
#include "mtlskit/x509.h"
#include "test.h"

/* ==== helpers ============================================================= */

#define NO_OFFSET SIZE_MAX

static tb_key *ec256(void) { return tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1); }
static tb_key *rsa2048(void) { return tb_key_new(TB_KEY_RSA, 2048); }

/* fx: a certificate's bytes and its parse (the views point into |der|). */
typedef struct fx {
  uint8_t *der;
  size_t len;
  mtk_cert c;
  mtk_diag d;
  mtk_status st;
} fx;

static void fx_free(fx *f) {
  free(f->der);
  f->der = NULL;
  f->len = 0;
}

static mtk_status fx_parse(fx *f) {
  mtk_diag_init(&f->d);
  f->st = mtk_cert_parse(&f->c, f->der, f->len, &f->d);
  return f->st;
}

/* fx_build builds the signed certificate of |s| and parses it. */
static mtk_status fx_build(fx *f, const tb_cert_spec *s) {
  memset(f, 0, sizeof(*f));
  if (tb_cert_build(s, &f->der, &f->len) != 0) return f->st = MTK_ERR_INTERNAL;
  return fx_parse(f);
}

/* fx_patch builds the TBSCertificate of |s|, replaces the bytes |find| by
 * |repl| (both hex), signs it again and parses the result. */
static mtk_status fx_patch(fx *f, const tb_cert_spec *s, const char *find, const char *repl) {
  uint8_t *tbs = NULL;
  size_t n = 0;
  tb_buf a = {0}, b = {0};
  memset(f, 0, sizeof(*f));
  tb_buf_hex(&a, find);
  tb_buf_hex(&b, repl);
  int rv = tb_cert_build_tbs(s, &tbs, &n);
  if (rv == 0) rv = tb_replace_bytes(&tbs, &n, a.p, a.len, b.p, b.len);
  if (rv == 0) rv = tb_resign(tbs, n, ec256(), TB_MD_DEFAULT, &f->der, &f->len);
  free(tbs);
  tb_buf_free(&a);
  tb_buf_free(&b);
  if (rv != 0) return f->st = MTK_ERR_INTERNAL;
  return fx_parse(f);
}

/* fx_tbs signs the hand-written TBSCertificate |tbs| (freed) and parses it. */
static mtk_status fx_tbs(fx *f, tb_buf *tbs) {
  memset(f, 0, sizeof(*f));
  int rv = tb_resign(tbs->p, tbs->len, ec256(), TB_MD_DEFAULT, &f->der, &f->len);
  tb_buf_free(tbs);
  if (rv != 0) return f->st = MTK_ERR_INTERNAL;
  return fx_parse(f);
}

/* fx_spki builds a default certificate whose SubjectPublicKeyInfo is |spki|. */
static mtk_status fx_spki(fx *f, const tb_buf *spki) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.spki_der = spki->p;
  s.spki_len = spki->len;
  mtk_status st = fx_build(f, &s);
  tb_cert_spec_cleanup(&s);
  return st;
}

/* fx_key builds a default certificate for the key |k| (signed with P-256). */
static mtk_status fx_key(fx *f, tb_key *k) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.subject_key = k;
  s.issuer_key = ec256();
  mtk_status st = fx_build(f, &s);
  tb_cert_spec_cleanup(&s);
  return st;
}

/* spec_default_issuer is tb_cert_spec_default with an issuer distinct from
 * the subject, so that a quirk planted in the subject is met once. */
static void spec_default_issuer(tb_cert_spec *s) {
  tb_cert_spec_default(s);
  tb_name_add(&s->issuer, "CN", "Test Issuer");
}

/* in_der: |c| is a view of f->der at its own absolute offset. */
static bool in_der(const fx *f, const mtk_cbs *c) {
  return c->p == f->der + c->off && c->off + c->len <= f->len;
}

static size_t find_bytes(const uint8_t *p, size_t n, const void *needle, size_t m) {
  for (size_t i = 0; m > 0 && i + m <= n; i++)
    if (memcmp(p + i, needle, m) == 0) return i;
  return SIZE_MAX;
}

/* find_hex returns the offset of the first occurrence of |hex| in |p|. */
static size_t find_hex(const uint8_t *p, size_t n, const char *hex) {
  tb_buf b = {0};
  tb_buf_hex(&b, hex);
  size_t at = find_bytes(p, n, b.p, b.len);
  tb_buf_free(&b);
  return at;
}

static bool cbs_hex(const mtk_cbs *c, const char *hex) {
  tb_buf b = {0};
  tb_buf_hex(&b, hex);
  bool ok = mtk_cbs_eq_bytes(c, b.p, b.len);
  tb_buf_free(&b);
  return ok;
}

static bool cbs_str(const mtk_cbs *c, const char *s) {
  return mtk_cbs_eq_bytes(c, (const uint8_t *)s, strlen(s));
}

/* err_is: the recorded error is |code| at |path| and |off| (NO_OFFSET: any). */
static bool err_is(const mtk_diag *d, mtk_status code, const char *path, size_t off) {
  bool ok = d->err.code == code && strcmp(d->err.path, path) == 0 &&
            (off == NO_OFFSET || d->err.offset == off);
  if (!ok)
    fprintf(stderr, "  error: %s \"%s\" at %zu (%s); want %s \"%s\" at %zu\n",
            mtk_status_name(d->err.code), d->err.path, d->err.offset, d->err.detail,
            mtk_status_name(code), path, off);
  return ok;
}

static const mtk_quirk *quirk_of(const mtk_diag *d, mtk_quirk_kind k) {
  for (size_t i = 0; i < d->n_quirks; i++)
    if (d->quirks[i].kind == k) return &d->quirks[i];
  return NULL;
}

static size_t quirk_count(const mtk_diag *d, mtk_quirk_kind k) {
  size_t n = 0;
  for (size_t i = 0; i < d->n_quirks; i++)
    if (d->quirks[i].kind == k) n++;
  return n;
}

static void dump_quirks(const mtk_diag *d) {
  for (size_t i = 0; i < d->n_quirks; i++)
    fprintf(stderr, "  quirk %s \"%s\" at %zu\n", mtk_quirk_id(d->quirks[i].kind),
            d->quirks[i].path, d->quirks[i].offset);
}

/* only_quirk: |d| holds exactly one quirk, |k| at |path| and |off|. */
static bool only_quirk(const mtk_diag *d, mtk_quirk_kind k, const char *path, size_t off) {
  const mtk_quirk *q = quirk_of(d, k);
  bool ok = d->n_quirks == 1 && q != NULL && strcmp(q->path, path) == 0 &&
            (off == NO_OFFSET || q->offset == off);
  if (!ok) {
    fprintf(stderr, "  want only %s \"%s\" at %zu, have:\n", mtk_quirk_id(k), path, off);
    dump_quirks(d);
  }
  return ok;
}

/* spki_build writes SubjectPublicKeyInfo { { OID |alg|, |params| }, BIT
 * STRING |key| }; |params| is a complete element, or NULL for none. */
static void spki_build(tb_buf *b, const char *alg, const tb_buf *params, const void *key,
                       size_t klen) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  size_t a = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, alg);
  if (params != NULL) tb_buf_add(b, params->p, params->len);
  tb_der_end(b, a);
  tb_der_bitstring(b, 0, key, klen);
  tb_der_end(b, m);
}

static void spki_build_hex(tb_buf *b, const char *alg, const char *params_hex, const char *key_hex) {
  tb_buf p = {0}, k = {0};
  if (params_hex != NULL) tb_buf_hex(&p, params_hex);
  tb_buf_hex(&k, key_hex);
  spki_build(b, alg, params_hex != NULL ? &p : NULL, k.p, k.len);
  tb_buf_free(&p);
  tb_buf_free(&k);
}

/* key_bits copies the subjectPublicKey octets of |k|'s SPKI into |out|. */
static bool key_bits(const tb_key *k, tb_buf *out) {
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_spki_der(k, &der, &len) != 0) return false;
  mtk_cbs c;
  mtk_spki spki;
  mtk_cbs_init(&c, der, len);
  bool ok = mtk_spki_parse(&c, &spki, NULL) == MTK_OK;
  if (ok) tb_buf_add(out, spki.key.p, spki.key.len);
  free(der);
  return ok;
}

/* ==== certificate: a rich v3 certificate ================================== */

static const uint8_t RICH_SERIAL[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32};

static void rich_spec(tb_cert_spec *s) {
  static const char *const eku[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH};
  static const char *const pol[] = {TB_POLICY_DV};
  tb_cert_spec_default(s);
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "C", "US");
  tb_name_add(&s->subject, "O", "Example Org");
  tb_name_add(&s->subject, "CN", "rich.example.com");
  tb_name_add_ex(&s->subject, "OU", 0, "Eng", 3, true); /* sorts before the CN */
  tb_name_add(&s->subject, "emailAddress", "admin@example.com");
  tb_name_add(&s->issuer, "C", "US");
  tb_name_add(&s->issuer, "CN", "Example Issuing CA");
  tb_cert_spec_set_serial(s, RICH_SERIAL, sizeof(RICH_SERIAL));
  s->not_before = tb_time(2025, 1, 1, 0, 0, 0);    /* UTCTime */
  s->not_after = tb_time(2051, 6, 15, 12, 34, 56); /* GeneralizedTime */
  s->subject_key = rsa2048();
  s->issuer_key = ec256();
  tb_gn san[2] = {tb_gn_dns("rich.example.com"), tb_gn_ip_text("192.0.2.1")};
  tb_ext_san(&s->exts, false, san, 2);
  tb_ext_key_usage(&s->exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_ENCIPHERMENT);
  tb_ext_eku(&s->exts, false, eku, 2);
  tb_ext_basic_constraints(&s->exts, true, false, -1);
  tb_ext_ski_auto(&s->exts, false);
  tb_ext_aki_auto(&s->exts, false);
  tb_ext_crl_dp(&s->exts, false, "http://crl.example.com/ca.crl");
  tb_ext_aia(&s->exts, false, "http://ocsp.example.com", "http://ca.example.com/ca.crt");
  tb_ext_policies(&s->exts, false, pol, 1);
  tb_ext_add(&s->exts, "1.3.6.1.4.1.55555.1", false, "\x05\x00", 2);
  tb_ext_add(&s->exts, "1.3.6.1.4.1.55555.2", true, "\x04\x01\xab", 3);
  tb_ext_must_staple(&s->exts, false);
}

static mtk_status fx_rich(fx *f) {
  tb_cert_spec s;
  rich_spec(&s);
  mtk_status st = fx_build(f, &s);
  tb_cert_spec_cleanup(&s);
  return st;
}

typedef struct exp_attr {
  mtk_oid_id id;
  mtk_tag tag;
  const char *value;
  unsigned rdn, pos, size;
} exp_attr;

/* check_name walks |n| with the iterator and compares every attribute. */
static void check_name(const fx *f, const mtk_name *n, const exp_attr *e, size_t ne,
                       unsigned n_rdns) {
  CHECK_EQ_INT(n->n_rdns, n_rdns);
  CHECK_EQ_INT(n->n_attrs, ne);
  CHECK(in_der(f, &n->elem));
  CHECK(in_der(f, &n->body));
  CHECK_EQ_INT(n->body.off + n->body.len, n->elem.off + n->elem.len);
  mtk_name_iter it;
  mtk_attr a;
  size_t i = 0;
  mtk_name_iter_init(&it, n);
  while (mtk_name_next(&it, &a)) {
    if (i < ne) {
      CHECK_EQ_INT(a.id, e[i].id);
      CHECK(mtk_oid_is(&a.oid, e[i].id));
      CHECK_EQ_INT(a.tag, e[i].tag);
      CHECK(cbs_str(&a.value, e[i].value));
      CHECK_EQ_INT(a.rdn, e[i].rdn);
      CHECK_EQ_INT(a.pos, e[i].pos);
      CHECK_EQ_INT(a.rdn_size, e[i].size);
      CHECK(in_der(f, &a.value));
      CHECK(in_der(f, &a.value_elem));
      CHECK_EQ_INT(a.value_elem.off + 2, a.value.off);
      CHECK_EQ_INT(f->der[a.offset], 0x30);
      CHECK_EQ_INT(f->der[a.value_elem.off], e[i].tag);
    }
    i++;
  }
  CHECK_EQ_INT(i, ne);
  CHECK(!mtk_name_next(&it, &a)); /* stays at the end */
}

TEST(cert_rich_header) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  CHECK_EQ_INT(f.d.n_quirks, 0);
  CHECK_STR(f.d.path, "");
  CHECK_EQ_INT(f.c.version, 3);
  CHECK(f.c.version_explicit);
  CHECK(mtk_cbs_eq_bytes(&f.c.serial, RICH_SERIAL, sizeof(RICH_SERIAL)));
  CHECK(!f.c.serial_negative);
  CHECK(in_der(&f, &f.c.serial));
  /* der is the whole input; tbs is the signed element tb_signed_tbs finds. */
  CHECK_EQ_INT(f.c.der.off, 0);
  CHECK_EQ_INT(f.c.der.len, f.len);
  const uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  CHECK(tb_signed_tbs(f.der, f.len, &tbs, &tbs_len) == 0);
  CHECK(f.c.tbs.p == tbs);
  CHECK_EQ_INT(f.c.tbs.len, tbs_len);
  CHECK(in_der(&f, &f.c.tbs));
  CHECK(!f.c.has_issuer_uid);
  CHECK(!f.c.has_subject_uid);
  CHECK(!mtk_cert_is_self_issued(&f.c));
  CHECK(!mtk_name_eq(&f.c.issuer, &f.c.subject));
  fx_free(&f);
}

TEST(cert_rich_algids_and_signature) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  CHECK_EQ_INT(f.c.tbs_sig_alg.id, MTK_OID_ECDSA_SHA256);
  CHECK(!f.c.tbs_sig_alg.has_params);
  CHECK(cbs_hex(&f.c.tbs_sig_alg.oid, "2a 86 48 ce 3d 04 03 02"));
  CHECK(cbs_hex(&f.c.tbs_sig_alg.elem, "30 0a 06 08 2a 86 48 ce 3d 04 03 02"));
  CHECK_EQ_INT(f.c.sig_alg.id, MTK_OID_ECDSA_SHA256);
  CHECK(!f.c.sig_alg.has_params);
  CHECK(mtk_cbs_eq_bytes(&f.c.sig_alg.elem, f.c.tbs_sig_alg.elem.p, f.c.tbs_sig_alg.elem.len));
  CHECK(f.c.sig_alg.elem.off > f.c.tbs.off + f.c.tbs.len - 1);
  /* The signature is the last element: an ECDSA-Sig-Value SEQUENCE. */
  CHECK_EQ_INT(f.c.signature_unused_bits, 0);
  CHECK(f.c.signature.len > 8);
  CHECK_EQ_INT(f.c.signature.p[0], 0x30);
  CHECK_EQ_INT(f.c.signature.off + f.c.signature.len, f.len);
  CHECK(in_der(&f, &f.c.signature));
  fx_free(&f);
}

TEST(cert_rich_names) {
  static const exp_attr subject[] = {
      {MTK_OID_AT_C, MTK_ASN1_PRINTABLESTRING, "US", 0, 0, 1},
      {MTK_OID_AT_O, MTK_ASN1_UTF8STRING, "Example Org", 1, 0, 1},
      {MTK_OID_AT_OU, MTK_ASN1_UTF8STRING, "Eng", 2, 0, 2},
      {MTK_OID_AT_CN, MTK_ASN1_UTF8STRING, "rich.example.com", 2, 1, 2},
      {MTK_OID_EMAIL_ADDRESS, MTK_ASN1_IA5STRING, "admin@example.com", 3, 0, 1},
  };
  static const exp_attr issuer[] = {
      {MTK_OID_AT_C, MTK_ASN1_PRINTABLESTRING, "US", 0, 0, 1},
      {MTK_OID_AT_CN, MTK_ASN1_UTF8STRING, "Example Issuing CA", 1, 0, 1},
  };
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  check_name(&f, &f.c.subject, subject, sizeof(subject) / sizeof(subject[0]), 4);
  check_name(&f, &f.c.issuer, issuer, sizeof(issuer) / sizeof(issuer[0]), 2);
  CHECK(f.c.issuer.elem.off < f.c.subject.elem.off);
  fx_free(&f);
}

TEST(cert_rich_validity) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  CHECK_EQ_INT(f.c.not_before, INT64_C(1735689600)); /* 2025-01-01T00:00:00Z */
  CHECK_EQ_INT(f.c.not_after, INT64_C(2570445296));  /* 2051-06-15T12:34:56Z */
  CHECK_EQ_INT(f.c.not_before_tag, MTK_ASN1_UTCTIME);
  CHECK_EQ_INT(f.c.not_after_tag, MTK_ASN1_GENERALIZEDTIME);
  CHECK_EQ_INT(f.c.not_before_off, find_hex(f.der, f.len, "17 0d 32 35 30 31 30 31"));
  CHECK_EQ_INT(f.c.not_after_off, find_hex(f.der, f.len, "18 0f 32 30 35 31 30 36 31 35"));
  CHECK_EQ_INT(f.c.not_after_off, f.c.not_before_off + 15);
  fx_free(&f);
}

TEST(cert_rich_spki_rsa2048) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  const mtk_spki *k = &f.c.spki;
  CHECK_EQ_INT(k->type, MTK_KEY_RSA);
  CHECK_STR(mtk_key_type_name(k->type), "RSA");
  CHECK_EQ_INT(k->bits, 2048);
  CHECK_EQ_INT(k->alg.id, MTK_OID_RSA_ENCRYPTION);
  CHECK(k->alg.has_params);
  CHECK(cbs_hex(&k->alg.params, "05 00"));
  CHECK(!k->key_malformed);
  CHECK(cbs_hex(&k->rsa_e, "01 00 01"));
  CHECK(in_der(&f, &k->elem));
  CHECK(in_der(&f, &k->key));
  CHECK(in_der(&f, &k->rsa_n));
  /* n matches OpenSSL's, with the sign octet in front. */
  BIGNUM *n = NULL;
  uint8_t buf[512];
  CHECK(EVP_PKEY_get_bn_param(tb_key_pkey(rsa2048()), OSSL_PKEY_PARAM_RSA_N, &n) == 1);
  if (n != NULL) {
    int nb = BN_bn2bin(n, buf);
    CHECK_EQ_INT(nb, 256);
    CHECK_EQ_INT(k->rsa_n.len, 257);
    if (k->rsa_n.len == 257 && nb == 256) {
      CHECK_EQ_INT(k->rsa_n.p[0], 0);
      CHECK(memcmp(k->rsa_n.p + 1, buf, 256) == 0);
    }
    BN_free(n);
  }
  fx_free(&f);
}

typedef struct exp_ext {
  mtk_oid_id id;
  int xk;
  bool critical;
} exp_ext;

static const exp_ext RICH_EXTS[] = {
    {MTK_OID_EXT_SAN, MTK_XK_SAN, false},   {MTK_OID_EXT_KU, MTK_XK_KU, true},
    {MTK_OID_EXT_EKU, MTK_XK_EKU, false},   {MTK_OID_EXT_BC, MTK_XK_BC, true},
    {MTK_OID_EXT_SKI, MTK_XK_SKI, false},   {MTK_OID_EXT_AKI, MTK_XK_AKI, false},
    {MTK_OID_EXT_CRLDP, MTK_XK_CRLDP, false}, {MTK_OID_EXT_AIA, MTK_XK_AIA, false},
    {MTK_OID_EXT_CP, MTK_XK_CP, false},     {MTK_OID_UNKNOWN, -1, false},
    {MTK_OID_UNKNOWN, -1, true},            {MTK_OID_EXT_TLS_FEATURE, MTK_XK_TLS_FEATURE, false},
};
#define N_RICH_EXTS (sizeof(RICH_EXTS) / sizeof(RICH_EXTS[0]))

TEST(cert_rich_extension_index) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  const mtk_extensions *e = &f.c.exts;
  CHECK(e->present);
  CHECK_EQ_INT(e->count, N_RICH_EXTS);
  CHECK(!e->has_duplicates);
  CHECK_EQ_INT(e->n_unknown_critical, 1);
  CHECK(in_der(&f, &e->elem));
  CHECK(in_der(&f, &e->body));
  CHECK_EQ_INT(e->elem.off + e->elem.len, f.c.tbs.off + f.c.tbs.len); /* the last field */
  unsigned indexed = 0;
  for (int k = 0; k < MTK_XK__COUNT; k++) {
    int want = -1;
    for (size_t i = 0; i < N_RICH_EXTS; i++)
      if (RICH_EXTS[i].xk == k) want = (int)i;
    const mtk_ext *x = mtk_ext_get(e, (mtk_xk)k);
    if (want < 0) {
      CHECK(x == NULL);
      CHECK_EQ_INT(e->known_count[k], 0);
      continue;
    }
    indexed++;
    CHECK_EQ_INT(e->known_count[k], 1);
    CHECK(x == &e->known[k]);
    if (x == NULL) continue;
    CHECK_EQ_INT(x->index, want);
    CHECK_EQ_INT(x->id, RICH_EXTS[want].id);
    CHECK(mtk_oid_is(&x->oid, x->id));
    CHECK_EQ_INT(x->critical, RICH_EXTS[want].critical);
    CHECK(in_der(&f, &x->elem));
    CHECK(in_der(&f, &x->value));
  }
  CHECK_EQ_INT(indexed, 10);
  CHECK(mtk_ext_get(e, MTK_XK__COUNT) == NULL);
  /* Values: SKI is the subject key id; AKI holds the issuer's. */
  uint8_t ski[20], aki[20];
  CHECK(tb_key_id(rsa2048(), ski) == 0);
  CHECK(tb_key_id(ec256(), aki) == 0);
  const mtk_ext *x = mtk_ext_get(e, MTK_XK_SKI);
  CHECK(x != NULL && x->value.len == 22 && memcmp(x->value.p + 2, ski, 20) == 0);
  x = mtk_ext_get(e, MTK_XK_AKI);
  CHECK(x != NULL && find_bytes(x->value.p, x->value.len, aki, 20) != SIZE_MAX);
  x = mtk_ext_get(e, MTK_XK_BC);
  CHECK(x != NULL && cbs_hex(&x->value, "30 00"));
  fx_free(&f);
}

TEST(cert_rich_extension_iterator) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  mtk_ext_iter it;
  mtk_ext x;
  unsigned i = 0;
  mtk_ext_iter_init(&it, &f.c.exts);
  while (mtk_ext_next(&it, &x)) {
    if (i < N_RICH_EXTS) {
      CHECK_EQ_INT(x.index, i);
      CHECK_EQ_INT(x.id, RICH_EXTS[i].id);
      CHECK_EQ_INT(x.critical, RICH_EXTS[i].critical);
      CHECK(in_der(&f, &x.elem));
      if (RICH_EXTS[i].xk >= 0) {
        const mtk_ext *k = mtk_ext_get(&f.c.exts, (mtk_xk)RICH_EXTS[i].xk);
        CHECK(k != NULL && k->elem.off == x.elem.off && k->value.len == x.value.len);
      }
    }
    if (i == 9) {
      CHECK(cbs_hex(&x.oid, "2b 06 01 04 01 83 b2 03 01"));
      CHECK(cbs_hex(&x.value, "05 00"));
    }
    if (i == 10) CHECK(cbs_hex(&x.value, "04 01 ab"));
    i++;
  }
  CHECK_EQ_INT(i, N_RICH_EXTS);
  CHECK(!mtk_ext_next(&it, &x));
  fx_free(&f);
}

TEST(cert_parse_without_diag) {
  fx f;
  mtk_cert c;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  CHECK_STATUS(mtk_cert_parse(&c, f.der, f.len, NULL), MTK_OK);
  CHECK_EQ_INT(c.exts.count, N_RICH_EXTS);
  CHECK_STATUS(mtk_cert_parse(&c, f.der, f.len - 1, NULL), MTK_ERR_DER_TRUNCATED);
  fx_free(&f);
}

/* ==== certificate: versions, serials, unique IDs ========================= */

TEST(cert_v1_without_extensions) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.version, 1);
  CHECK(!f.c.version_explicit);
  CHECK(!f.c.exts.present);
  CHECK_EQ_INT(f.c.exts.count, 0);
  CHECK(mtk_ext_get(&f.c.exts, MTK_XK_SAN) == NULL);
  mtk_ext_iter it;
  mtk_ext x;
  mtk_ext_iter_init(&it, &f.c.exts);
  CHECK(!mtk_ext_next(&it, &x));
  CHECK_EQ_INT(f.d.n_quirks, 0);
  CHECK(mtk_cert_is_self_issued(&f.c));
  CHECK(mtk_name_eq(&f.c.issuer, &f.c.subject));
  /* Without [0] the serial is the first TBS element. */
  CHECK_EQ_INT(f.der[f.c.serial.off - 2], MTK_ASN1_INTEGER);
  CHECK(f.c.serial.off - 2 <= f.c.tbs.off + 4);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_v3_without_extensions) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.version, 3);
  CHECK(!f.c.exts.present);
  CHECK_EQ_INT(f.d.n_quirks, 0);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_unique_ids_v2_v3) {
  static const uint8_t iuid[] = {0xaa, 0xbb};
  static const uint8_t suid[] = {0xcc};
  static const long versions[] = {TB_V2, TB_V3};
  for (size_t i = 0; i < 2; i++) {
    tb_cert_spec s;
    fx f;
    tb_cert_spec_default(&s);
    s.version = versions[i];
    s.issuer_uid = iuid;
    s.issuer_uid_len = sizeof(iuid);
    s.subject_uid = suid;
    s.subject_uid_len = sizeof(suid);
    if (versions[i] == TB_V3) tb_ext_basic_constraints(&s.exts, true, false, -1);
    CHECK_STATUS(fx_build(&f, &s), MTK_OK);
    CHECK_EQ_INT(f.c.version, versions[i] + 1);
    CHECK(f.c.has_issuer_uid);
    CHECK(f.c.has_subject_uid);
    CHECK(mtk_cbs_eq_bytes(&f.c.issuer_uid, iuid, sizeof(iuid)));
    CHECK(mtk_cbs_eq_bytes(&f.c.subject_uid, suid, sizeof(suid)));
    CHECK(in_der(&f, &f.c.issuer_uid));
    CHECK_EQ_INT(f.c.exts.present, versions[i] == TB_V3);
    fx_free(&f);
    tb_cert_spec_cleanup(&s);
  }
  /* Only one of them. */
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = TB_V2;
  s.subject_uid = suid;
  s.subject_uid_len = sizeof(suid);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(!f.c.has_issuer_uid);
  CHECK(f.c.has_subject_uid);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_serial_forms) {
  static const uint8_t needs_pad[] = {0x00, 0x80};
  static const uint8_t one[] = {0x01};
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  tb_cert_spec_set_serial(&s, needs_pad, sizeof(needs_pad));
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(mtk_cbs_eq_bytes(&f.c.serial, needs_pad, 2));
  CHECK(!f.c.serial_negative);
  CHECK_EQ_INT(f.d.n_quirks, 0);
  fx_free(&f);
  tb_cert_spec_set_serial(&s, one, 1);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(mtk_cbs_eq_bytes(&f.c.serial, one, 1));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_version_4_rejected) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = 3; /* v4 */
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_X509_VERSION);
  CHECK(err_is(&f.d, MTK_ERR_X509_VERSION, "tbsCertificate.version",
               find_hex(f.der, f.len, "a0 03 02 01 03") + 2));
  fx_free(&f);
  s.version = -1;
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_RANGE);
  CHECK(err_is(&f.d, MTK_ERR_DER_RANGE, "tbsCertificate.version", NO_OFFSET));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_extensions_need_v3) {
  static const long versions[] = {TB_V1, TB_V2};
  for (size_t i = 0; i < 2; i++) {
    tb_cert_spec s;
    fx f;
    tb_cert_spec_default(&s);
    s.version = versions[i];
    tb_ext_basic_constraints(&s.exts, true, false, -1);
    CHECK_STATUS(fx_build(&f, &s), MTK_ERR_X509_VERSION);
    /* At the contents of [3]: the Extensions SEQUENCE. */
    CHECK(err_is(&f.d, MTK_ERR_X509_VERSION, "tbsCertificate.extensions",
                 find_hex(f.der, f.len, "a3 10 30 0e") + 2));
    fx_free(&f);
    tb_cert_spec_cleanup(&s);
  }
}

TEST(cert_unique_id_in_v1_rejected) {
  static const uint8_t uid[] = {0x01, 0x02};
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  s.issuer_uid = uid;
  s.issuer_uid_len = sizeof(uid);
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_X509_UNIQUEID);
  const uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  CHECK(tb_signed_tbs(f.der, f.len, &tbs, &tbs_len) == 0);
  CHECK(err_is(&f.d, MTK_ERR_X509_UNIQUEID, "tbsCertificate", (size_t)(tbs - f.der)));
  fx_free(&f);
  s.issuer_uid = NULL;
  s.issuer_uid_len = 0;
  s.subject_uid = uid;
  s.subject_uid_len = sizeof(uid);
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_X509_UNIQUEID);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_unique_id_malformed) {
  static const uint8_t uid[] = {0xaa, 0x07};
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = TB_V2;
  s.issuer_uid = uid;
  s.issuer_uid_len = sizeof(uid);
  /* unused bits 8 */
  CHECK_STATUS(fx_patch(&f, &s, "81 03 00 aa 07", "81 03 08 aa 07"), MTK_ERR_DER_BITSTRING);
  CHECK(err_is(&f.d, MTK_ERR_DER_BITSTRING, "tbsCertificate.issuerUniqueID", NO_OFFSET));
  fx_free(&f);
  /* unused bits 3 whose padding is not zero (X.690 11.2.1) */
  CHECK_STATUS(fx_patch(&f, &s, "81 03 00 aa 07", "81 03 03 aa 07"), MTK_ERR_DER_BITSTRING);
  CHECK(err_is(&f.d, MTK_ERR_DER_BITSTRING, "tbsCertificate.issuerUniqueID", NO_OFFSET));
  fx_free(&f);
  /* unused bits 3 with zero padding is fine */
  CHECK_STATUS(fx_patch(&f, &s, "81 03 00 aa 07", "81 03 03 aa 08"), MTK_OK);
  CHECK(f.c.has_issuer_uid);
  fx_free(&f);
  /* no unused-bits octet at all: 81 00 (lengths fixed by hand) */
  tb_cert_spec_cleanup(&s);
  tb_cert_spec_default(&s);
  s.version = TB_V2;
  s.subject_uid = uid;
  s.subject_uid_len = 1; /* 82 02 00 aa */
  CHECK_STATUS(fx_patch(&f, &s, "82 02 00 aa", "82 00 05 00"), MTK_ERR_DER_BITSTRING);
  CHECK(err_is(&f.d, MTK_ERR_DER_BITSTRING, "tbsCertificate.subjectUniqueID", NO_OFFSET));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_serial_rejected) {
  static const uint8_t padded[] = {0x00, 0x01};
  static const uint8_t padded_neg[] = {0xff, 0x80};
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  tb_cert_spec_set_serial(&s, padded, sizeof(padded));
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_INTEGER);
  CHECK(err_is(&f.d, MTK_ERR_DER_INTEGER, "tbsCertificate.serialNumber",
               find_hex(f.der, f.len, "02 02 00 01") + 2));
  fx_free(&f);
  tb_cert_spec_set_serial(&s, padded_neg, sizeof(padded_neg));
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_INTEGER);
  fx_free(&f);
  tb_cert_spec_set_serial(&s, padded, 0); /* empty INTEGER */
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_INTEGER);
  CHECK(err_is(&f.d, MTK_ERR_DER_INTEGER, "tbsCertificate.serialNumber", NO_OFFSET));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

/* ==== certificate: framing, trailing data, truncation ===================== */

TEST(cert_trailing_bytes) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  size_t len = f.len;
  f.der = realloc(f.der, len + 2);
  CHECK(f.der != NULL);
  if (f.der == NULL) return;
  f.der[len] = 0x00;
  f.der[len + 1] = 0x00;
  f.len = len + 1;
  CHECK_STATUS(fx_parse(&f), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "", len));
  f.len = len + 2;
  CHECK_STATUS(fx_parse(&f), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "", len));
  fx_free(&f);
}

TEST(cert_truncated_every_length) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  unsigned bad = 0;
  for (size_t k = 0; k < f.len; k++) {
    /* An exact-size heap copy, so that a sanitizer sees any over-read. */
    uint8_t *p = malloc(k > 0 ? k : 1);
    if (p == NULL) break;
    if (k > 0) memcpy(p, f.der, k);
    mtk_cert c;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status st = mtk_cert_parse(&c, p, k, &d);
    if (st == MTK_OK || d.err.code != st || d.err.offset > k) bad++;
    if (st != MTK_ERR_DER_TRUNCATED) bad++;
    free(p);
  }
  CHECK_EQ_INT(bad, 0);
  fx_free(&f);
}

/* A certificate whose TBSCertificate is cut after |k| content octets and
 * re-wrapped with consistent lengths, so the cut reaches every inner field. */
static mtk_status parse_cut_tbs(const fx *f, size_t k, size_t *err_off, size_t *total) {
  mtk_cbs in, body, tbs_body, rest;
  mtk_cbs_init(&in, f->der, f->len);
  if (mtk_der_get(&in, MTK_ASN1_SEQUENCE, &body, NULL) != MTK_OK) return MTK_ERR_INTERNAL;
  if (mtk_der_get(&body, MTK_ASN1_SEQUENCE, &tbs_body, NULL) != MTK_OK) return MTK_ERR_INTERNAL;
  rest = body; /* signatureAlgorithm, signatureValue */
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_tlv(&b, MTK_ASN1_SEQUENCE, tbs_body.p, k);
  tb_buf_add(&b, rest.p, rest.len);
  tb_der_end(&b, m);
  size_t n = 0;
  uint8_t *p = tb_buf_take(&b, &n);
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status st = mtk_cert_parse(&c, p, n, &d);
  *err_off = d.err.offset;
  *total = n;
  if (st != MTK_OK && d.err.code != st) st = MTK_ERR_INTERNAL;
  free(p);
  return st;
}

TEST(cert_truncated_tbs_every_length) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  /* The only cut that leaves a valid TBS is just before [3] extensions
   * (a3 82 xx xx, like the TBS header 30 82 xx xx). */
  size_t ext_field = f.c.exts.elem.off - 4;
  CHECK_EQ_INT(f.der[ext_field], 0xa3);
  CHECK_EQ_INT(f.der[f.c.tbs.off + 1], 0x82);
  size_t body_off = f.c.tbs.off + 4;
  size_t body_len = f.c.tbs.len - 4;
  size_t ok_at = ext_field - body_off;
  unsigned bad = 0, ok = 0;
  for (size_t k = 0; k < body_len; k++) {
    size_t off = 0, total = 0;
    mtk_status st = parse_cut_tbs(&f, k, &off, &total);
    if (st == MTK_OK) {
      ok++;
      if (k != ok_at) bad++;
    } else if (st == MTK_ERR_INTERNAL || off > total) {
      bad++;
    }
  }
  CHECK_EQ_INT(ok, 1);
  CHECK_EQ_INT(bad, 0);
  fx_free(&f);
}

TEST(cert_framing_errors) {
  static const uint8_t empty[1] = {0};
  static const uint8_t indefinite[] = {0x30, 0x80, 0x00, 0x00};
  static const uint8_t not_seq[] = {0x04, 0x00};
  static const uint8_t empty_seq[] = {0x30, 0x00};
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, empty, 0, &d), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&d, MTK_ERR_DER_TRUNCATED, "", 0));
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, indefinite, sizeof(indefinite), &d), MTK_ERR_DER_INDEFINITE);
  CHECK(err_is(&d, MTK_ERR_DER_INDEFINITE, "", 1));
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, not_seq, sizeof(not_seq), &d), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "", 0));
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, empty_seq, sizeof(empty_seq), &d), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&d, MTK_ERR_DER_TRUNCATED, "tbsCertificate", 2));
}

TEST(cert_signature_fields) {
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  /* Drop signatureValue: re-wrap TBS + algid only. */
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_buf_add(&b, f.c.tbs.p, f.c.tbs.len);
  tb_buf_add(&b, f.c.sig_alg.elem.p, f.c.sig_alg.elem.len);
  tb_der_end(&b, m);
  size_t n = 0;
  uint8_t *p = tb_buf_take(&b, &n);
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, p, n, &d), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&d, MTK_ERR_DER_TRUNCATED, "signatureValue", n));
  free(p);
  /* An extra element after signatureValue. */
  m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_buf_add(&b, f.c.tbs.p, f.c.tbs.len);
  tb_buf_add(&b, f.c.sig_alg.elem.p, f.c.sig_alg.elem.len);
  tb_der_bitstring(&b, 0, f.c.signature.p, f.c.signature.len);
  tb_der_null(&b);
  tb_der_end(&b, m);
  p = tb_buf_take(&b, &n);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, p, n, &d), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "", n - 2));
  free(p);
  /* signatureValue as an OCTET STRING. */
  m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_buf_add(&b, f.c.tbs.p, f.c.tbs.len);
  tb_buf_add(&b, f.c.sig_alg.elem.p, f.c.sig_alg.elem.len);
  tb_der_octets(&b, f.c.signature.p, f.c.signature.len);
  tb_der_end(&b, m);
  p = tb_buf_take(&b, &n);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_cert_parse(&c, p, n, &d), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "signatureValue", NO_OFFSET));
  free(p);
  fx_free(&f);
}

TEST(cert_validity_errors) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.not_after_text = "251301000000Z"; /* month 13 */
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TIME);
  CHECK(err_is(&f.d, MTK_ERR_DER_TIME, "tbsCertificate.validity.notAfter",
               find_hex(f.der, f.len, "17 0d 32 35 31 33") + 2));
  fx_free(&f);
  s.not_after_text = NULL;
  s.not_before_text = "2501010000005"; /* no Z */
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TIME);
  CHECK(err_is(&f.d, MTK_ERR_DER_TIME, "tbsCertificate.validity.notBefore", NO_OFFSET));
  fx_free(&f);
  s.not_before_text = "250230000000Z"; /* February 30 */
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TIME);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
  /* A Validity that is not two times: notAfter as an INTEGER. */
  tb_cert_spec_default(&s);
  CHECK_STATUS(fx_patch(&f, &s, "17 0d 32 35 30 34 30 31", "02 0d 32 35 30 34 30 31"),
               MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.validity.notAfter", NO_OFFSET));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(cert_times_exact) {
  static const struct {
    const char *text;
    tb_timefmt fmt;
    int64_t want;
  } cases[] = {
      {"491231235959Z", TB_TIME_UTC, INT64_C(2524607999)},   /* 2049 */
      {"500101000000Z", TB_TIME_UTC, INT64_C(-631152000)},   /* 1950 */
      {"991231235959Z", TB_TIME_UTC, INT64_C(946684799)},    /* 1999 */
      {"20500101000000Z", TB_TIME_GEN, INT64_C(2524608000)}, /* first year for GeneralizedTime */
      {"300228081500Z", TB_TIME_UTC, INT64_C(1898496900)},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_cert_spec s;
    fx f;
    tb_cert_spec_default(&s);
    s.not_after_text = cases[i].text;
    s.not_after_fmt = cases[i].fmt;
    CHECK_STATUS(fx_build(&f, &s), MTK_OK);
    CHECK_EQ_INT(f.c.not_after, cases[i].want);
    CHECK_EQ_INT(f.c.not_after_tag,
                 cases[i].fmt == TB_TIME_GEN ? MTK_ASN1_GENERALIZEDTIME : MTK_ASN1_UTCTIME);
    CHECK_EQ_INT(f.d.n_quirks, 0);
    fx_free(&f);
    tb_cert_spec_cleanup(&s);
  }
}

/* ==== SubjectPublicKeyInfo ============================================== */

TEST(spki_rsa1024) {
  fx f;
  CHECK_STATUS(fx_key(&f, tb_key_new(TB_KEY_RSA, 1024)), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_RSA);
  CHECK_EQ_INT(f.c.spki.bits, 1024);
  CHECK_EQ_INT(f.c.spki.rsa_n.len, 129);
  CHECK(cbs_hex(&f.c.spki.rsa_e, "01 00 01"));
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  /* Exponent 3 */
  CHECK_STATUS(fx_key(&f, tb_key_new(TB_KEY_RSA_E3, 1024)), MTK_OK);
  CHECK(cbs_hex(&f.c.spki.rsa_e, "03"));
  CHECK_EQ_INT(f.c.spki.bits, 1024);
  fx_free(&f);
}

TEST(spki_ec_named_curves) {
  static const struct {
    int nid;
    mtk_oid_id curve;
    unsigned bits;
    size_t point;
  } cases[] = {
      {NID_X9_62_prime256v1, MTK_OID_PRIME256V1, 256, 65},
      {NID_secp384r1, MTK_OID_SECP384R1, 384, 97},
      {NID_secp521r1, MTK_OID_SECP521R1, 521, 133},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fx f;
    tb_key *k = tb_key_new(TB_KEY_EC, cases[i].nid);
    CHECK(k != NULL);
    if (k == NULL) continue;
    CHECK_STATUS(fx_key(&f, k), MTK_OK);
    const mtk_spki *s = &f.c.spki;
    CHECK_EQ_INT(s->type, MTK_KEY_EC);
    CHECK_STR(mtk_key_type_name(s->type), "EC");
    CHECK_EQ_INT(s->alg.id, MTK_OID_EC_PUBLIC_KEY);
    CHECK_EQ_INT(s->curve, cases[i].curve);
    size_t olen = 0;
    const uint8_t *oid = mtk_oid_der(cases[i].curve, &olen);
    CHECK(oid != NULL && mtk_cbs_eq_bytes(&s->curve_oid, oid, olen));
    CHECK_EQ_INT(s->bits, cases[i].bits);
    CHECK_EQ_INT(s->ec_point_form, 4);
    CHECK_EQ_INT(s->key.len, cases[i].point);
    CHECK(!s->ec_explicit);
    CHECK(!s->ec_implicit);
    CHECK(!s->key_malformed);
    uint8_t pt[160];
    size_t n = 0;
    CHECK(EVP_PKEY_get_octet_string_param(tb_key_pkey(k), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt,
                                          sizeof(pt), &n) == 1);
    CHECK(mtk_cbs_eq_bytes(&s->key, pt, n));
    fx_free(&f);
  }
}

TEST(spki_ec_compressed_point) {
  uint8_t pt[65], comp[33];
  size_t n = 0;
  CHECK(EVP_PKEY_get_octet_string_param(tb_key_pkey(ec256()), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                        pt, sizeof(pt), &n) == 1);
  CHECK_EQ_INT(n, 65);
  comp[0] = (uint8_t)(0x02 | (pt[64] & 1));
  memcpy(comp + 1, pt + 1, 32);
  tb_buf spki = {0}, params = {0};
  tb_der_oid(&params, "1.2.840.10045.3.1.7");
  spki_build(&spki, "1.2.840.10045.2.1", &params, comp, sizeof(comp));
  fx f;
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_EC);
  CHECK_EQ_INT(f.c.spki.ec_point_form, comp[0]);
  CHECK_EQ_INT(f.c.spki.key.len, 33);
  CHECK_EQ_INT(f.c.spki.bits, 256);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
}

TEST(spki_ec_explicit_curve) {
  fx f;
  tb_key *k = tb_key_new(TB_KEY_EC_EXPLICIT, NID_X9_62_prime256v1);
  CHECK(k != NULL);
  if (k == NULL) return;
  CHECK_STATUS(fx_key(&f, k), MTK_OK);
  const mtk_spki *s = &f.c.spki;
  CHECK_EQ_INT(s->type, MTK_KEY_EC);
  CHECK(s->ec_explicit);
  CHECK(!s->ec_implicit);
  CHECK_EQ_INT(s->curve, MTK_OID_UNKNOWN);
  CHECK_EQ_INT(s->curve_oid.len, 0);
  CHECK_EQ_INT(s->bits, 256); /* from the prime */
  CHECK(s->alg.has_params);
  CHECK_EQ_INT(s->alg.params.p[0], 0x30);
  CHECK_EQ_INT(s->ec_point_form, 4);
  CHECK(!s->key_malformed);
  fx_free(&f);
}

TEST(spki_ec_implicit_and_unknown_curve) {
  tb_buf spki = {0};
  fx f;
  spki_build_hex(&spki, "1.2.840.10045.2.1", "05 00", "04 01 02");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK(f.c.spki.ec_implicit);
  CHECK_EQ_INT(f.c.spki.bits, 0);
  CHECK(!f.c.spki.key_malformed); /* no field size to check against */
  fx_free(&f);
  tb_buf_free(&spki);
  spki_build_hex(&spki, "1.2.840.10045.2.1", "06 04 2a 03 04 05", "04 01 02");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.curve, MTK_OID_UNKNOWN);
  CHECK(cbs_hex(&f.c.spki.curve_oid, "2a 03 04 05"));
  CHECK_EQ_INT(f.c.spki.bits, 0);
  CHECK(!f.c.spki.ec_explicit);
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_eddsa) {
  fx f;
  CHECK_STATUS(fx_key(&f, tb_key_new(TB_KEY_ED25519, 0)), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_ED25519);
  CHECK_STR(mtk_key_type_name(f.c.spki.type), "Ed25519");
  CHECK_EQ_INT(f.c.spki.alg.id, MTK_OID_ED25519);
  CHECK(!f.c.spki.alg.has_params);
  CHECK_EQ_INT(f.c.spki.bits, 256);
  CHECK_EQ_INT(f.c.spki.key.len, 32);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  CHECK_STATUS(fx_key(&f, tb_key_new(TB_KEY_ED448, 0)), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_ED448);
  CHECK_EQ_INT(f.c.spki.alg.id, MTK_OID_ED448);
  CHECK_EQ_INT(f.c.spki.bits, 456);
  CHECK_EQ_INT(f.c.spki.key.len, 57);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  /* An Ed25519-signed certificate: the algids have no parameters. */
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.subject_key = tb_key_new(TB_KEY_ED25519, 0);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.sig_alg.id, MTK_OID_ED25519);
  CHECK(!f.c.sig_alg.has_params);
  CHECK_EQ_INT(f.c.signature.len, 64);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(spki_x25519_x448) {
  uint8_t key[56];
  memset(key, 0x42, sizeof(key));
  tb_buf spki = {0};
  fx f;
  spki_build(&spki, "1.3.101.110", NULL, key, 32);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_X25519);
  CHECK_EQ_INT(f.c.spki.bits, 256);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  tb_buf_free(&spki);
  spki_build(&spki, "1.3.101.111", NULL, key, 56);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_X448);
  CHECK_EQ_INT(f.c.spki.bits, 448);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_rsa_pss_key_and_signature) {
  tb_key *k = tb_key_new(TB_KEY_RSA_PSS, 2048);
  CHECK(k != NULL);
  if (k == NULL) return;
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.subject_key = k; /* self-signed with PSS */
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_RSA_PSS);
  CHECK_STR(mtk_key_type_name(f.c.spki.type), "RSA-PSS");
  CHECK_EQ_INT(f.c.spki.alg.id, MTK_OID_RSASSA_PSS);
  CHECK(!f.c.spki.alg.has_params);
  CHECK_EQ_INT(f.c.spki.bits, 2048);
  CHECK(!f.c.spki.key_malformed);
  CHECK_EQ_INT(f.d.n_quirks, 0); /* no NULL-params quirk for PSS */
  /* The signature algorithm carries RSASSA-PSS-params (SHA-256, salt 32). */
  CHECK_EQ_INT(f.c.tbs_sig_alg.id, MTK_OID_RSASSA_PSS);
  CHECK(f.c.tbs_sig_alg.has_params);
  mtk_pss_params pp;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pss_params_parse(&f.c.tbs_sig_alg.params, &pp, &d), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA256);
  CHECK_EQ_INT(pp.mgf, MTK_OID_MGF1);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA256);
  CHECK_EQ_INT(pp.salt_len, 32);
  CHECK_EQ_INT(pp.trailer, 1);
  CHECK_EQ_INT(pp.explicit_defaults, 0);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

/* pss_params writes RSASSA-PSS-params; NULL / negative values are omitted. */
static void pss_params(tb_buf *b, const char *hash, const char *mgf_hash, long salt, long trailer) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  if (hash != NULL) {
    size_t e = tb_der_begin(b, MTK_CTX_C(0));
    size_t a = tb_der_begin(b, MTK_ASN1_SEQUENCE);
    tb_der_oid(b, hash);
    tb_der_null(b);
    tb_der_end(b, a);
    tb_der_end(b, e);
  }
  if (mgf_hash != NULL) {
    size_t e = tb_der_begin(b, MTK_CTX_C(1));
    size_t a = tb_der_begin(b, MTK_ASN1_SEQUENCE);
    tb_der_oid(b, "1.2.840.113549.1.1.8");
    size_t h = tb_der_begin(b, MTK_ASN1_SEQUENCE);
    tb_der_oid(b, mgf_hash);
    tb_der_null(b);
    tb_der_end(b, h);
    tb_der_end(b, a);
    tb_der_end(b, e);
  }
  if (salt != LONG_MIN) {
    size_t e = tb_der_begin(b, MTK_CTX_C(2));
    tb_der_int(b, salt);
    tb_der_end(b, e);
  }
  if (trailer >= 0) {
    size_t e = tb_der_begin(b, MTK_CTX_C(3));
    tb_der_int(b, trailer);
    tb_der_end(b, e);
  }
  tb_der_end(b, m);
}

#define SHA1_OID "1.3.14.3.2.26"
#define SHA256_OID "2.16.840.1.101.3.4.2.1"
#define SHA384_OID "2.16.840.1.101.3.4.2.2"

TEST(spki_rsa_pss_with_params) {
  tb_buf key = {0}, params = {0}, spki = {0};
  CHECK(key_bits(rsa2048(), &key));
  pss_params(&params, SHA256_OID, SHA256_OID, 32, -1);
  spki_build(&spki, "1.2.840.113549.1.1.10", &params, key.p, key.len);
  fx f;
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_RSA_PSS);
  CHECK(f.c.spki.alg.has_params);
  CHECK(mtk_cbs_eq_bytes(&f.c.spki.alg.params, params.p, params.len));
  CHECK_EQ_INT(f.c.spki.bits, 2048);
  CHECK(cbs_hex(&f.c.spki.rsa_e, "01 00 01"));
  CHECK(!f.c.spki.key_malformed);
  mtk_pss_params pp;
  CHECK_STATUS(mtk_pss_params_parse(&f.c.spki.alg.params, &pp, NULL), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA256);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA256);
  CHECK_EQ_INT(pp.salt_len, 32);
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
  /* Malformed params fail the certificate, with the field's path. */
  pss_params(&params, SHA256_OID, SHA256_OID, -1, -1);
  spki_build(&spki, "1.2.840.113549.1.1.10", &params, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_RANGE);
  CHECK(err_is(&f.d, MTK_ERR_DER_RANGE,
               "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters.saltLength", NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
  tb_buf_free(&key);
}

/* dsa_params writes Dss-Parms with a 1024-bit p and a 160-bit q. */
static void dsa_params(tb_buf *b, uint8_t p[129], uint8_t q[21]) {
  p[0] = 0x00;
  p[1] = 0xc5;
  memset(p + 2, 0x11, 127);
  q[0] = 0x00;
  q[1] = 0x9a;
  memset(q + 2, 0x22, 19);
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_int_raw(b, p, 129);
  tb_der_int_raw(b, q, 21);
  tb_der_int(b, 2);
  tb_der_end(b, m);
}

TEST(spki_dsa) {
  uint8_t p[129], q[21];
  tb_buf params = {0}, key = {0}, spki = {0};
  fx f;
  dsa_params(&params, p, q);
  tb_der_int(&key, 0x123456);
  spki_build(&spki, "1.2.840.10040.4.1", &params, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  const mtk_spki *s = &f.c.spki;
  CHECK_EQ_INT(s->type, MTK_KEY_DSA);
  CHECK_STR(mtk_key_type_name(s->type), "DSA");
  CHECK_EQ_INT(s->bits, 1024);
  CHECK(mtk_cbs_eq_bytes(&s->dsa_p, p, sizeof(p)));
  CHECK(mtk_cbs_eq_bytes(&s->dsa_q, q, sizeof(q)));
  CHECK(cbs_hex(&s->dsa_g, "02"));
  CHECK(!s->key_malformed);
  fx_free(&f);
  tb_buf_free(&spki);
  /* Parameters inherited (absent): no size known. */
  spki_build(&spki, "1.2.840.10040.4.1", NULL, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_DSA);
  CHECK_EQ_INT(f.c.spki.bits, 0);
  CHECK_EQ_INT(f.c.spki.dsa_p.len, 0);
  fx_free(&f);
  tb_buf_free(&spki);
  /* Dss-Parms with a fourth INTEGER */
  tb_buf_free(&params);
  tb_buf_hex(&params, "30 0c 02 01 05 02 01 03 02 01 02 02 01 07");
  spki_build(&spki, "1.2.840.10040.4.1", &params, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
  tb_buf_free(&key);
}

TEST(spki_unknown_algorithm) {
  tb_buf spki = {0};
  fx f;
  spki_build_hex(&spki, "1.2.3.4.5", "02 01 07", "de ad be ef");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_UNKNOWN);
  CHECK_STR(mtk_key_type_name(f.c.spki.type), "unknown");
  CHECK_EQ_INT(f.c.spki.alg.id, MTK_OID_UNKNOWN);
  CHECK(cbs_hex(&f.c.spki.alg.oid, "2a 03 04 05"));
  CHECK(f.c.spki.alg.has_params);
  CHECK(cbs_hex(&f.c.spki.alg.params, "02 01 07"));
  CHECK(cbs_hex(&f.c.spki.key, "de ad be ef"));
  CHECK_EQ_INT(f.c.spki.bits, 0);
  CHECK(!f.c.spki.key_malformed);
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_post_quantum_types) {
  static const struct {
    const char *oid;
    mtk_key_type type;
  } cases[] = {
      {"2.16.840.1.101.3.4.3.17", MTK_KEY_ML_DSA},  {"2.16.840.1.101.3.4.3.19", MTK_KEY_ML_DSA},
      {"2.16.840.1.101.3.4.4.2", MTK_KEY_ML_KEM},   {"2.16.840.1.101.3.4.3.20", MTK_KEY_SLH_DSA},
      {"2.16.840.1.101.3.4.3.31", MTK_KEY_SLH_DSA}, /* id-slh-dsa-shake-256f */
      /* HashML-DSA (.32 .. .34) keys are ML-DSA keys, not SLH-DSA. */
      {"2.16.840.1.101.3.4.3.32", MTK_KEY_ML_DSA},  {"2.16.840.1.101.3.4.3.34", MTK_KEY_ML_DSA},
      /* HashSLH-DSA (.35 .. .46) keys are SLH-DSA keys. */
      {"2.16.840.1.101.3.4.3.35", MTK_KEY_SLH_DSA}, {"2.16.840.1.101.3.4.3.46", MTK_KEY_SLH_DSA},
      {"2.16.840.1.101.3.4.3.47", MTK_KEY_UNKNOWN}, {"2.16.840.1.101.3.4.3.2", MTK_KEY_UNKNOWN},
  };
  uint8_t key[64];
  memset(key, 0x5a, sizeof(key));
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_buf spki = {0};
    fx f;
    spki_build(&spki, cases[i].oid, NULL, key, sizeof(key));
    CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
    if (f.c.spki.type != cases[i].type) fprintf(stderr, "  %s\n", cases[i].oid);
    CHECK_EQ_INT(f.c.spki.type, cases[i].type);
    CHECK(!f.c.spki.key_malformed);
    fx_free(&f);
    tb_buf_free(&spki);
  }
}

TEST(key_type_names) {
  static const struct {
    mtk_key_type t;
    const char *name;
  } cases[] = {
      {MTK_KEY_UNKNOWN, "unknown"}, {MTK_KEY_RSA, "RSA"},         {MTK_KEY_RSA_PSS, "RSA-PSS"},
      {MTK_KEY_EC, "EC"},           {MTK_KEY_DSA, "DSA"},         {MTK_KEY_ED25519, "Ed25519"},
      {MTK_KEY_ED448, "Ed448"},     {MTK_KEY_X25519, "X25519"},   {MTK_KEY_X448, "X448"},
      {MTK_KEY_ML_DSA, "ML-DSA"},   {MTK_KEY_ML_KEM, "ML-KEM"},   {MTK_KEY_SLH_DSA, "SLH-DSA"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    CHECK_STR(mtk_key_type_name(cases[i].t), cases[i].name);
  CHECK_STR(mtk_key_type_name((mtk_key_type)99), "unknown");
}

TEST(spki_ec_without_params_rejected) {
  tb_buf spki = {0};
  fx f;
  spki_build_hex(&spki, "1.2.840.10045.2.1", NULL, "04 01 02");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_X509_SPKI);
  /* At the AlgorithmIdentifier. */
  CHECK(err_is(&f.d, MTK_ERR_X509_SPKI, "tbsCertificate.subjectPublicKeyInfo",
               find_hex(f.der, f.len, "30 09 06 07 2a 86 48 ce 3d 02 01")));
  fx_free(&f);
  tb_buf_free(&spki);
  /* Parameters that are no ECParameters choice. */
  spki_build_hex(&spki, "1.2.840.10045.2.1", "02 01 01", "04 01 02");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_X509_SPKI);
  CHECK(err_is(&f.d, MTK_ERR_X509_SPKI, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters",
               find_hex(f.der, f.len, "2a 86 48 ce 3d 02 01 02 01 01") + 7));
  fx_free(&f);
  tb_buf_free(&spki);
  /* A named curve whose OID is malformed. */
  spki_build_hex(&spki, "1.2.840.10045.2.1", "06 02 2a 80", "04 01 02");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_OID);
  CHECK(err_is(&f.d, MTK_ERR_DER_OID, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_eddsa_with_params_rejected) {
  static const char *const algs[] = {"1.3.101.112", "1.3.101.113", "1.3.101.110", "1.3.101.111"};
  for (size_t i = 0; i < 4; i++) {
    tb_buf spki = {0};
    fx f;
    spki_build_hex(&spki, algs[i], "05 00",
                   "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
                   "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");
    CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_X509_ALGID);
    CHECK(err_is(&f.d, MTK_ERR_X509_ALGID, "tbsCertificate.subjectPublicKeyInfo",
                 find_hex(f.der, f.len, "2b 65") + 3));
    fx_free(&f);
    tb_buf_free(&spki);
  }
}

TEST(spki_rsa_params_not_null_rejected) {
  tb_buf key = {0}, spki = {0}, params = {0};
  fx f;
  CHECK(key_bits(tb_key_new(TB_KEY_RSA, 1024), &key));
  tb_buf_hex(&params, "02 01 00");
  spki_build(&spki, "1.2.840.113549.1.1.1", &params, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters",
               find_hex(f.der, f.len, "2a 86 48 86 f7 0d 01 01 01 02 01 00") + 9));
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
  tb_buf_hex(&params, "05 01 00"); /* NULL with contents */
  spki_build(&spki, "1.2.840.113549.1.1.1", &params, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_NULL);
  CHECK(err_is(&f.d, MTK_ERR_DER_NULL, "tbsCertificate.subjectPublicKeyInfo.algorithm.parameters",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
  tb_buf_free(&key);
}

TEST(spki_structure_errors) {
  tb_buf spki = {0};
  fx f;
  /* subjectPublicKey with unused bits */
  tb_buf_hex(&spki, "30 0d 30 06 06 04 2a 03 04 05 03 03 01 aa 00");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_BITSTRING);
  CHECK(err_is(&f.d, MTK_ERR_DER_BITSTRING, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  /* subjectPublicKey as an OCTET STRING */
  tb_buf_hex(&spki, "30 0c 30 06 06 04 2a 03 04 05 04 02 aa 00");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  /* a third element */
  tb_buf_hex(&spki, "30 0e 30 06 06 04 2a 03 04 05 03 02 00 aa 05 00");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "tbsCertificate.subjectPublicKeyInfo", NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
  /* no algorithm OID */
  tb_buf_hex(&spki, "30 08 30 02 05 00 03 02 00 aa");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subjectPublicKeyInfo.algorithm.algorithm",
               NO_OFFSET));
  fx_free(&f);
  tb_buf_free(&spki);
}

/* A malformed key body leaves the certificate parseable. */
static void check_malformed_key(const char *alg, const char *params_hex, const char *key_hex,
                                mtk_key_type type, mtk_status code) {
  tb_buf spki = {0};
  fx f;
  spki_build_hex(&spki, alg, params_hex, key_hex);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, type);
  CHECK(f.c.spki.key_malformed);
  CHECK_STATUS(f.c.spki.key_err.code, code);
  CHECK_STR(f.c.spki.key_err.path, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey");
  CHECK(f.c.spki.key_err.offset >= f.c.spki.key.off);
  CHECK(f.c.spki.key_err.offset <= f.c.spki.key.off + f.c.spki.key.len);
  CHECK(f.c.spki.key_err.detail[0] != '\0');
  CHECK_EQ_INT(f.d.err.code, MTK_OK); /* nothing leaks into the parse's diag */
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_malformed_key_bodies) {
  /* RSA key bits not a SEQUENCE */
  check_malformed_key("1.2.840.113549.1.1.1", "05 00", "04 02 00 00", MTK_KEY_RSA, MTK_ERR_DER_TAG);
  /* RSAPublicKey with a negative modulus, a padded exponent, a third field,
   * trailing bytes after it */
  check_malformed_key("1.2.840.113549.1.1.1", "05 00", "30 07 02 02 80 01 02 01 03", MTK_KEY_RSA,
                      MTK_ERR_DER_RANGE);
  check_malformed_key("1.2.840.113549.1.1.1", "05 00", "30 08 02 02 00 c1 02 02 00 03", MTK_KEY_RSA,
                      MTK_ERR_DER_INTEGER);
  check_malformed_key("1.2.840.113549.1.1.1", "05 00", "30 09 02 02 00 c1 02 01 03 05 00",
                      MTK_KEY_RSA, MTK_ERR_DER_TRAILING);
  check_malformed_key("1.2.840.113549.1.1.1", "05 00", "30 07 02 02 00 c1 02 01 03 00",
                      MTK_KEY_RSA, MTK_ERR_DER_TRAILING);
  check_malformed_key("1.2.840.113549.1.1.10", NULL, "30 03 02 01 03", MTK_KEY_RSA_PSS,
                      MTK_ERR_DER_TRUNCATED);
  /* EC point of the wrong length, of an unknown form, empty */
  check_malformed_key("1.2.840.10045.2.1", "06 08 2a 86 48 ce 3d 03 01 07", "04 01 02 03",
                      MTK_KEY_EC, MTK_ERR_X509_SPKI);
  check_malformed_key("1.2.840.10045.2.1", "06 08 2a 86 48 ce 3d 03 01 07",
                      "05 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10"
                      "11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f 20",
                      MTK_KEY_EC, MTK_ERR_X509_SPKI);
  check_malformed_key("1.2.840.10045.2.1", "06 05 2b 81 04 00 22", "", MTK_KEY_EC,
                      MTK_ERR_X509_SPKI);
  /* EdDSA / X25519 keys of the wrong size */
  check_malformed_key("1.3.101.112", NULL, "01 02 03", MTK_KEY_ED25519, MTK_ERR_X509_SPKI);
  check_malformed_key("1.3.101.113", NULL, "01 02 03", MTK_KEY_ED448, MTK_ERR_X509_SPKI);
  check_malformed_key("1.3.101.110", NULL, "01", MTK_KEY_X25519, MTK_ERR_X509_SPKI);
  check_malformed_key("1.3.101.111", NULL, "01", MTK_KEY_X448, MTK_ERR_X509_SPKI);
  /* DSAPublicKey not an INTEGER */
  check_malformed_key("1.2.840.10040.4.1", NULL, "04 01 05", MTK_KEY_DSA, MTK_ERR_DER_TAG);
}

TEST(spki_malformed_key_wrong_ec_length_exact) {
  /* A 64-octet 0x04 point on P-256 (one short): error at the key octets. */
  uint8_t pt[64];
  memset(pt, 0x33, sizeof(pt));
  pt[0] = 0x04;
  tb_buf spki = {0}, params = {0};
  fx f;
  tb_der_oid(&params, "1.2.840.10045.3.1.7");
  spki_build(&spki, "1.2.840.10045.2.1", &params, pt, sizeof(pt));
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK(f.c.spki.key_malformed);
  CHECK_EQ_INT(f.c.spki.ec_point_form, 4);
  CHECK_EQ_INT(f.c.spki.key_err.offset, f.c.spki.key.off);
  CHECK_EQ_INT(f.c.spki.key_err.code, MTK_ERR_X509_SPKI);
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&params);
}

TEST(spki_malformed_key_without_diag) {
  /* mtk_cert_parse with a NULL mtk_diag (as the bench and renderers use it)
   * on a certificate whose key body is malformed. */
  tb_buf spki = {0};
  fx f;
  spki_build_hex(&spki, "1.2.840.113549.1.1.1", "05 00", "04 02 00 00");
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  mtk_cert c;
  CHECK_STATUS(mtk_cert_parse(&c, f.der, f.len, NULL), MTK_OK);
  CHECK(c.spki.key_malformed);
  CHECK_EQ_INT(c.spki.key_err.code, MTK_ERR_DER_TAG);
  fx_free(&f);
  tb_buf_free(&spki);
}

TEST(spki_parse_direct) {
  tb_buf b = {0};
  /* Two SPKIs back to back: the cursor moves by one element each time. */
  spki_build_hex(&b, "1.3.101.110", NULL,
                 "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
                 "10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");
  size_t one = b.len;
  spki_build_hex(&b, "1.2.3.4", NULL, "00");
  mtk_cbs c;
  mtk_spki s;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_spki_parse(&c, &s, &d), MTK_OK);
  CHECK_EQ_INT(s.type, MTK_KEY_X25519);
  CHECK_EQ_INT(s.elem.len, one);
  CHECK_EQ_INT(c.off, one);
  CHECK_STATUS(mtk_spki_parse(&c, &s, &d), MTK_OK);
  CHECK_EQ_INT(s.type, MTK_KEY_UNKNOWN);
  CHECK_EQ_INT(c.len, 0);
  CHECK_EQ_INT(s.key.off, b.len - 1);
  /* On failure the cursor does not move. */
  mtk_cbs_init(&c, b.p, one - 1);
  CHECK_STATUS(mtk_spki_parse(&c, &s, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_EQ_INT(c.off, 0);
  CHECK_EQ_INT(c.len, one - 1);
  tb_buf_free(&b);
}

/* ==== Names and strings ================================================= */

/* name_quirk builds a certificate whose subject is CN=ok, |type|=|val| (with
 * string tag |tag|), and checks that the only quirk is |k|, at
 * tbsCertificate.subject[1][0], |at| octets into the value. */
static void name_quirk(const char *type, mtk_tag tag, const char *val, size_t n, mtk_quirk_kind k,
                       size_t at) {
  tb_cert_spec s;
  fx f;
  spec_default_issuer(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "ok");
  tb_name_add_ex(&s.subject, type, tag, val, n, false);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &f.c.subject);
  CHECK(mtk_name_next(&it, &a));
  CHECK(mtk_name_next(&it, &a));
  CHECK_EQ_INT(a.tag, tag);
  CHECK_EQ_INT(a.rdn, 1);
  CHECK(mtk_cbs_eq_bytes(&a.value, (const uint8_t *)val, n));
  CHECK(only_quirk(&f.d, k, "tbsCertificate.subject[1][0]", a.value.off + at));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(name_string_quirks) {
  name_quirk("CN", MTK_ASN1_PRINTABLESTRING, "*.example.com", 13, MTK_QUIRK_PRINTABLE_CHARSET, 0);
  name_quirk("CN", MTK_ASN1_PRINTABLESTRING, "user@example", 12, MTK_QUIRK_PRINTABLE_CHARSET, 4);
  name_quirk("C", MTK_ASN1_PRINTABLESTRING, "U_", 2, MTK_QUIRK_PRINTABLE_CHARSET, 1);
  name_quirk("emailAddress", MTK_ASN1_IA5STRING, "a\xe9@example.com", 14, MTK_QUIRK_IA5_CHARSET,
             1);
  name_quirk("CN", MTK_ASN1_UTF8STRING, "bad \xc3\x28 utf8", 11, MTK_QUIRK_UTF8_INVALID, 0);
  name_quirk("CN", MTK_ASN1_BMPSTRING, "\x00t\x00", 3, MTK_QUIRK_BMP_ODD, 0);
  name_quirk("CN", MTK_ASN1_T61STRING, "caf\xe9", 4, MTK_QUIRK_TELETEX_STRING, 0);
  name_quirk("CN", MTK_ASN1_UNIVERSALSTRING, "\x00\x00\x00t", 4, MTK_QUIRK_UNIVERSAL_STRING, 0);
}

TEST(name_clean_strings) {
  /* Every PrintableString character, UTF-8 of 2, 3 and 4 octets, a BMP
   * string: no quirk. */
  static const char printable[] = "AZaz09 '()+,-./:=?";
  static const char utf8[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  tb_cert_spec s;
  fx f;
  spec_default_issuer(&s);
  tb_name_add_ex(&s.subject, "O", MTK_ASN1_PRINTABLESTRING, printable, sizeof(printable) - 1, false);
  tb_name_add_ex(&s.subject, "OU", MTK_ASN1_UTF8STRING, utf8, sizeof(utf8) - 1, false);
  tb_name_add_ex(&s.subject, "L", MTK_ASN1_BMPSTRING, "\x00L\x00x", 4, false);
  tb_name_add_ex(&s.subject, "ST", MTK_ASN1_VISIBLESTRING, "visible", 7, false);
  tb_name_add_ex(&s.subject, "serialNumber", MTK_ASN1_NUMERICSTRING, "0123 45", 7, false);
  tb_name_add_ex(&s.subject, "street", MTK_ASN1_INTEGER, "\x05", 1, false); /* not a string */
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.d.n_quirks, 0);
  dump_quirks(&f.d);
  CHECK_EQ_INT(f.c.subject.n_attrs, 7);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(name_unsorted_multi_valued_rdn) {
  tb_cert_spec s;
  fx f;
  spec_default_issuer(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "C", "US");
  tb_name_add(&s.subject, "CN", "rich.example.com");
  tb_name_add_ex(&s.subject, "OU", 0, "Eng", 3, true); /* after the CN: not DER order */
  s.subject.unsorted = true;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  /* At the SET, with the path of the value out of order. */
  size_t set_off = find_hex(f.der, f.len, "31 25 30 17 06 03 55 04 03");
  CHECK(set_off != SIZE_MAX);
  CHECK(only_quirk(&f.d, MTK_QUIRK_SET_NOT_SORTED, "tbsCertificate.subject[1][1]", set_off));
  /* The iterator gives encoding order. */
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &f.c.subject);
  CHECK(mtk_name_next(&it, &a) && a.id == MTK_OID_AT_C && a.rdn == 0 && a.rdn_size == 1);
  CHECK(mtk_name_next(&it, &a) && a.id == MTK_OID_AT_CN && a.rdn == 1 && a.pos == 0 &&
        a.rdn_size == 2);
  CHECK(mtk_name_next(&it, &a) && a.id == MTK_OID_AT_OU && a.rdn == 1 && a.pos == 1 &&
        a.rdn_size == 2);
  CHECK(!mtk_name_next(&it, &a));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

/* raw_name_cert builds a certificate whose subject is the DER |hex|. */
static mtk_status raw_name_cert(fx *f, const char *hex) {
  tb_cert_spec s;
  tb_buf b = {0};
  spec_default_issuer(&s);
  tb_buf_hex(&b, hex);
  tb_name_set_raw(&s.subject, b.p, b.len);
  mtk_status st = fx_build(f, &s);
  tb_buf_free(&b);
  tb_cert_spec_cleanup(&s);
  return st;
}

TEST(name_empty_rdn_rejected) {
  fx f;
  CHECK_STATUS(raw_name_cert(&f, "30 0f 31 0b 30 09 06 03 55 04 03 0c 02 6f 6b 31 00"),
               MTK_ERR_X509_NAME);
  CHECK(err_is(&f.d, MTK_ERR_X509_NAME, "tbsCertificate.subject[1]",
               find_hex(f.der, f.len, "6f 6b 31 00") + 2));
  fx_free(&f);
  CHECK_STATUS(raw_name_cert(&f, "30 02 31 00"), MTK_ERR_X509_NAME);
  CHECK(err_is(&f.d, MTK_ERR_X509_NAME, "tbsCertificate.subject[0]", NO_OFFSET));
  fx_free(&f);
}

TEST(name_structure_errors) {
  fx f;
  /* An RDN that is a SEQUENCE */
  CHECK_STATUS(raw_name_cert(&f, "30 0d 30 0b 30 09 06 03 55 04 03 0c 02 6f 6b"), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subject[0]", NO_OFFSET));
  fx_free(&f);
  /* AttributeTypeAndValue without a value */
  CHECK_STATUS(raw_name_cert(&f, "30 09 31 07 30 05 06 03 55 04 03"), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRUNCATED, "tbsCertificate.subject[0][0]", NO_OFFSET));
  fx_free(&f);
  /* ... with a third element */
  CHECK_STATUS(raw_name_cert(&f, "30 0f 31 0d 30 0b 06 03 55 04 03 0c 02 6f 6b 05 00"),
               MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "tbsCertificate.subject[0][0]",
               find_hex(f.der, f.len, "6f 6b 05 00") + 2));
  fx_free(&f);
  /* ... whose type is a malformed OID */
  CHECK_STATUS(raw_name_cert(&f, "30 0d 31 0b 30 09 06 03 55 84 80 0c 02 6f 6b"), MTK_ERR_DER_OID);
  CHECK(err_is(&f.d, MTK_ERR_DER_OID, "tbsCertificate.subject[0][0]", NO_OFFSET));
  fx_free(&f);
  /* ... an AttributeTypeAndValue that is a SET */
  CHECK_STATUS(raw_name_cert(&f, "30 0d 31 0b 31 09 06 03 55 04 03 0c 02 6f 6b"), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subject[0][0]", NO_OFFSET));
  fx_free(&f);
  /* The Name is a SET */
  CHECK_STATUS(raw_name_cert(&f, "31 00"), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.subject", NO_OFFSET));
  fx_free(&f);
}

TEST(name_empty_is_valid_der) {
  fx f;
  CHECK_STATUS(raw_name_cert(&f, "30 00"), MTK_OK);
  CHECK_EQ_INT(f.c.subject.n_rdns, 0);
  CHECK_EQ_INT(f.c.subject.n_attrs, 0);
  CHECK_EQ_INT(f.c.subject.body.len, 0);
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &f.c.subject);
  CHECK(!mtk_name_next(&it, &a));
  fx_free(&f);
}

TEST(name_parse_direct) {
  tb_buf b = {0};
  tb_buf_hex(&b, "30 0d 31 0b 30 09 06 03 55 04 03 0c 02 6f 6b ff");
  mtk_cbs c;
  mtk_name n;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_name_parse(&c, &n, &d), MTK_OK);
  CHECK_EQ_INT(n.elem.len, 15);
  CHECK_EQ_INT(n.n_rdns, 1);
  CHECK_EQ_INT(c.len, 1); /* only the name was consumed */
  tb_buf_free(&b);
  /* A printable quirk outside a certificate has the bare RDN path. */
  tb_buf_hex(&b, "30 0d 31 0b 30 09 06 03 55 04 03 13 02 6f 2a");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_name_parse(&c, &n, &d), MTK_OK);
  CHECK(only_quirk(&d, MTK_QUIRK_PRINTABLE_CHARSET, "[0][0]", 14));
  tb_buf_free(&b);
  /* Failure leaves the cursor. */
  tb_buf_hex(&b, "30 04 31 02 30 00");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_name_parse(&c, &n, &d), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&d, MTK_ERR_DER_TRUNCATED, "[0][0]", 6));
  CHECK_EQ_INT(c.len, 6);
  tb_buf_free(&b);
}

TEST(name_eq_cases) {
  static const char *const names[] = {
      "30 0d 31 0b 30 09 06 03 55 04 03 0c 02 6f 6b", /* CN=ok UTF8String */
      "30 0d 31 0b 30 09 06 03 55 04 03 13 02 6f 6b", /* CN=ok PrintableString */
      "30 0d 31 0b 30 09 06 03 55 04 03 0c 02 4f 4b", /* CN=OK */
      "30 00",
  };
  mtk_name n[4], again;
  tb_buf b[4] = {{0}, {0}, {0}, {0}}, copy = {0};
  for (size_t i = 0; i < 4; i++) {
    mtk_cbs c;
    tb_buf_hex(&b[i], names[i]);
    mtk_cbs_init(&c, b[i].p, b[i].len);
    CHECK_STATUS(mtk_name_parse(&c, &n[i], NULL), MTK_OK);
  }
  /* Same DER in another buffer. */
  tb_buf_hex(&copy, names[0]);
  mtk_cbs c;
  mtk_cbs_init(&c, copy.p, copy.len);
  CHECK_STATUS(mtk_name_parse(&c, &again, NULL), MTK_OK);
  CHECK(mtk_name_eq(&n[0], &again));
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 4; j++) CHECK_EQ_INT(mtk_name_eq(&n[i], &n[j]), i == j);
  for (size_t i = 0; i < 4; i++) tb_buf_free(&b[i]);
  tb_buf_free(&copy);
}

TEST(string_check_direct) {
  static const struct {
    mtk_tag tag;
    const char *hex;
    mtk_quirk_kind quirk; /* MTK_QUIRK_NONE: clean */
    size_t at;
  } cases[] = {
      {MTK_ASN1_PRINTABLESTRING, "41 42 43", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_PRINTABLESTRING, "41 26 43", MTK_QUIRK_PRINTABLE_CHARSET, 1},
      {MTK_ASN1_PRINTABLESTRING, "41 00", MTK_QUIRK_PRINTABLE_CHARSET, 1},
      {MTK_ASN1_IA5STRING, "00 7f", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_IA5STRING, "41 80", MTK_QUIRK_IA5_CHARSET, 1},
      {MTK_ASN1_VISIBLESTRING, "ff", MTK_QUIRK_IA5_CHARSET, 0},
      {MTK_ASN1_NUMERICSTRING, "31 c0", MTK_QUIRK_IA5_CHARSET, 1},
      {MTK_ASN1_UTF8STRING, "", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_UTF8STRING, "c3 a9 e2 82 ac f0 9f 98 80 f4 8f bf bf", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_UTF8STRING, "c0 80", MTK_QUIRK_UTF8_INVALID, 0},       /* overlong NUL */
      {MTK_ASN1_UTF8STRING, "e0 80 af", MTK_QUIRK_UTF8_INVALID, 0},    /* overlong '/' */
      {MTK_ASN1_UTF8STRING, "f0 80 80 af", MTK_QUIRK_UTF8_INVALID, 0}, /* overlong */
      {MTK_ASN1_UTF8STRING, "ed a0 80", MTK_QUIRK_UTF8_INVALID, 0},    /* surrogate */
      {MTK_ASN1_UTF8STRING, "f4 90 80 80", MTK_QUIRK_UTF8_INVALID, 0}, /* > U+10FFFF */
      {MTK_ASN1_UTF8STRING, "41 e2 82", MTK_QUIRK_UTF8_INVALID, 0},    /* truncated */
      {MTK_ASN1_UTF8STRING, "80", MTK_QUIRK_UTF8_INVALID, 0},          /* continuation */
      {MTK_ASN1_UTF8STRING, "f8 88 80 80 80", MTK_QUIRK_UTF8_INVALID, 0},
      {MTK_ASN1_BMPSTRING, "00 41 00 42", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_BMPSTRING, "00 41 00", MTK_QUIRK_BMP_ODD, 0},
      {MTK_ASN1_BMPSTRING, "d8 3d de 00", MTK_QUIRK_BMP_ODD, 0},
      {MTK_ASN1_T61STRING, "41", MTK_QUIRK_TELETEX_STRING, 0},
      {MTK_ASN1_UNIVERSALSTRING, "00 00 00 41", MTK_QUIRK_UNIVERSAL_STRING, 0},
      {MTK_ASN1_VIDEOTEXSTRING, "ff", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_GRAPHICSTRING, "ff", MTK_QUIRK_NONE, 0},
      {MTK_ASN1_GENERALSTRING, "ff", MTK_QUIRK_NONE, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_buf b = {0};
    tb_buf_hex(&b, cases[i].hex);
    static const uint8_t none[1] = {0};
    mtk_cbs v = {b.len > 0 ? b.p : none, b.len, 100};
    mtk_diag d;
    mtk_diag_init(&d);
    CHECK_STATUS(mtk_string_check(cases[i].tag, &v, &d), MTK_OK);
    if (cases[i].quirk == MTK_QUIRK_NONE) {
      if (d.n_quirks != 0) fprintf(stderr, "  case %zu\n", i);
      CHECK_EQ_INT(d.n_quirks, 0);
    } else {
      if (!only_quirk(&d, cases[i].quirk, "", 100 + cases[i].at)) {
        fprintf(stderr, "  case %zu\n", i);
        CHECK(false);
      }
    }
    tb_buf_free(&b);
  }
  /* Not a string type at all. */
  static const uint8_t five[1] = {5};
  mtk_cbs v = {five, 1, 7};
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_string_check(MTK_ASN1_INTEGER, &v, &d), MTK_ERR_DER_STRING);
  CHECK(err_is(&d, MTK_ERR_DER_STRING, "", 7));
  CHECK_STATUS(mtk_string_check(MTK_ASN1_OCTETSTRING, &v, NULL), MTK_ERR_DER_STRING);
}

/* ==== Extensions ======================================================== */

/* fx_ext_element builds a default v3 certificate whose only extension is
 * the complete Extension element |hex|. */
static mtk_status fx_ext_element(fx *f, const char *hex) {
  tb_cert_spec s;
  tb_buf b = {0};
  spec_default_issuer(&s);
  tb_buf_hex(&b, hex);
  tb_ext_add_element(&s.exts, b.p, b.len);
  mtk_status st = fx_build(f, &s);
  tb_buf_free(&b);
  tb_cert_spec_cleanup(&s);
  return st;
}

TEST(ext_critical_false_encoded) {
  fx f;
  /* basicConstraints, critical FALSE written out */
  CHECK_STATUS(fx_ext_element(&f, "30 0c 06 03 55 1d 13 01 01 00 04 02 30 00"), MTK_OK);
  const mtk_ext *x = mtk_ext_get(&f.c.exts, MTK_XK_BC);
  CHECK(x != NULL && !x->critical);
  CHECK(only_quirk(&f.d, MTK_QUIRK_DEFAULT_ENCODED, "tbsCertificate.extensions[0].critical",
                   find_hex(f.der, f.len, "55 1d 13 01 01 00") + 3));
  fx_free(&f);
}

TEST(ext_boolean_not_ff) {
  fx f;
  CHECK_STATUS(fx_ext_element(&f, "30 0c 06 03 55 1d 13 01 01 01 04 02 30 00"), MTK_OK);
  const mtk_ext *x = mtk_ext_get(&f.c.exts, MTK_XK_BC);
  CHECK(x != NULL && x->critical);
  CHECK(only_quirk(&f.d, MTK_QUIRK_BOOL_NOT_FF, "tbsCertificate.extensions[0].critical",
                   find_hex(f.der, f.len, "55 1d 13 01 01 01") + 5));
  fx_free(&f);
}

TEST(ext_empty_sequence) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.ext_mode = TB_EXTS_EMPTY;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(f.c.exts.present);
  CHECK_EQ_INT(f.c.exts.count, 0);
  CHECK_EQ_INT(f.c.exts.body.len, 0);
  CHECK(only_quirk(&f.d, MTK_QUIRK_EMPTY_EXTENSIONS, "tbsCertificate.extensions",
                   find_hex(f.der, f.len, "a3 02 30 00") + 2));
  mtk_ext_iter it;
  mtk_ext x;
  mtk_ext_iter_init(&it, &f.c.exts);
  CHECK(!mtk_ext_next(&it, &x));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_value_errors) {
  fx f;
  tb_cert_spec s;
  /* extnValue that is a BIT STRING, in the second extension */
  spec_default_issuer(&s);
  tb_ext_basic_constraints(&s.exts, true, false, -1);
  tb_buf b = {0};
  tb_buf_hex(&b, "30 09 06 03 2a 03 04 03 02 00 aa");
  tb_ext_add_element(&s.exts, b.p, b.len);
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.extensions[1].extnValue",
               find_hex(f.der, f.len, "2a 03 04 03 02 00 aa") + 3));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
  tb_buf_free(&b);
  /* extnValue missing */
  CHECK_STATUS(fx_ext_element(&f, "30 05 06 03 2a 03 04"), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRUNCATED, "tbsCertificate.extensions[0].extnValue", NO_OFFSET));
  fx_free(&f);
  /* an element after extnValue */
  CHECK_STATUS(fx_ext_element(&f, "30 09 06 03 2a 03 04 04 00 05 00"), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "tbsCertificate.extensions[0]",
               find_hex(f.der, f.len, "2a 03 04 04 00 05 00") + 5));
  fx_free(&f);
  /* critical of two octets */
  CHECK_STATUS(fx_ext_element(&f, "30 0b 06 03 2a 03 04 01 02 ff ff 04 00"), MTK_ERR_DER_BOOLEAN);
  CHECK(err_is(&f.d, MTK_ERR_DER_BOOLEAN, "tbsCertificate.extensions[0].critical", NO_OFFSET));
  fx_free(&f);
  /* extnID malformed */
  CHECK_STATUS(fx_ext_element(&f, "30 07 06 03 2a 03 84 04 00"), MTK_ERR_DER_OID);
  CHECK(err_is(&f.d, MTK_ERR_DER_OID, "tbsCertificate.extensions[0].extnID", NO_OFFSET));
  fx_free(&f);
  /* an Extension that is an OCTET STRING */
  CHECK_STATUS(fx_ext_element(&f, "04 00"), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "tbsCertificate.extensions[0]", NO_OFFSET));
  fx_free(&f);
}

TEST(ext_known_with_empty_value) {
  /* A known extension whose extnValue is an empty OCTET STRING fails in
   * its decoder, whose name ends the path. */
  static const struct {
    const char *oid;
    const char *path;
  } cases[] = {
      {"2.5.29.17", "tbsCertificate.extensions[1].subjectAltName"},
      {"2.5.29.15", "tbsCertificate.extensions[1].keyUsage"},
      {"2.5.29.19", "tbsCertificate.extensions[1].basicConstraints"},
      {"2.5.29.14", "tbsCertificate.extensions[1].subjectKeyIdentifier"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_cert_spec s;
    fx f;
    spec_default_issuer(&s);
    tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.1", false, "\x05\x00", 2);
    tb_ext_add(&s.exts, cases[i].oid, false, "", 0);
    CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TRUNCATED);
    CHECK(err_is(&f.d, MTK_ERR_DER_TRUNCATED, cases[i].path, NO_OFFSET));
    /* At the (empty) value: just past the OCTET STRING header 04 00. */
    size_t oid_at = find_hex(f.der, f.len, "06 03 55 1d");
    CHECK(oid_at != SIZE_MAX && f.d.err.offset == oid_at + 5 + 2);
    fx_free(&f);
    tb_cert_spec_cleanup(&s);
  }
  /* An unknown extension may be empty. */
  tb_cert_spec s;
  fx f;
  spec_default_issuer(&s);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.1", true, "", 0);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.exts.n_unknown_critical, 1);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_extensions_field_trailing) {
  /* [3] holding the Extensions SEQUENCE and then a NULL. */
  tb_cert_spec s;
  fx f;
  uint8_t *tbs = NULL;
  size_t n = 0;
  tb_cert_spec_default(&s);
  tb_ext_basic_constraints(&s.exts, true, false, -1);
  CHECK(tb_cert_build_tbs(&s, &tbs, &n) == 0);
  size_t at = find_hex(tbs, n, "a3 10 30 0e");
  CHECK(at == n - 18 && tbs[1] == 0x81 && tbs[2] < 0xfe);
  if (at == n - 18 && tbs[1] == 0x81 && tbs[2] < 0xfe) {
    tb_buf b = {0};
    tb_buf_add(&b, tbs, n);
    tb_buf_hex(&b, "05 00");
    b.p[2] = (uint8_t)(b.p[2] + 2);
    b.p[at + 1] = (uint8_t)(b.p[at + 1] + 2);
    CHECK_STATUS(fx_tbs(&f, &b), MTK_ERR_DER_TRAILING);
    const uint8_t *t = NULL;
    size_t tlen = 0;
    CHECK(tb_signed_tbs(f.der, f.len, &t, &tlen) == 0);
    CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "tbsCertificate.extensions",
                 (size_t)(t - f.der) + at + 18));
    fx_free(&f);
  }
  free(tbs);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_duplicates) {
  tb_cert_spec s;
  fx f;
  /* A known kind twice: counted, the first indexed. */
  spec_default_issuer(&s);
  tb_gn a = tb_gn_dns("a.example.com"), b = tb_gn_dns("b.example.com");
  tb_ext_san(&s.exts, false, &a, 1);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_san(&s.exts, true, &b, 1);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(f.c.exts.has_duplicates);
  CHECK_EQ_INT(f.c.exts.count, 3);
  CHECK_EQ_INT(f.c.exts.known_count[MTK_XK_SAN], 2);
  const mtk_ext *x = mtk_ext_get(&f.c.exts, MTK_XK_SAN);
  CHECK(x != NULL && x->index == 0 && !x->critical);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
  /* An unknown OID twice. */
  spec_default_issuer(&s);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.7", false, "\x05\x00", 2);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.7", true, "\x05\x00", 2);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(f.c.exts.has_duplicates);
  CHECK_EQ_INT(f.c.exts.n_unknown_critical, 1);
  CHECK_EQ_INT(f.c.exts.known_count[MTK_XK_KU], 1);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
  /* Two different unknown OIDs sharing a prefix are not duplicates. */
  spec_default_issuer(&s);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.7", false, "\x05\x00", 2);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.7.1", false, "\x05\x00", 2);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(!f.c.exts.has_duplicates);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

/* many_exts builds a certificate with |n| distinct unknown extensions, the
 * |dup_of|-th repeated at position |dup_at| (no repeat if dup_at >= n). */
static mtk_status fx_many_exts(fx *f, unsigned n, unsigned dup_at, unsigned dup_of) {
  tb_cert_spec s;
  spec_default_issuer(&s);
  for (unsigned i = 0; i < n; i++) {
    char oid[64];
    (void)snprintf(oid, sizeof(oid), "1.3.6.1.4.1.55555.100.%u", i == dup_at ? dup_of : i);
    tb_ext_add(&s.exts, oid, false, "\x05\x00", 2);
  }
  mtk_status st = fx_build(f, &s);
  tb_cert_spec_cleanup(&s);
  return st;
}

TEST(ext_more_than_window) {
  fx f;
  CHECK_STATUS(fx_many_exts(&f, 300, 300, 0), MTK_OK);
  CHECK_EQ_INT(f.c.exts.count, 300);
  CHECK(!f.c.exts.has_duplicates);
  CHECK_EQ_INT(f.d.n_quirks, 0);
  mtk_ext_iter it;
  mtk_ext x;
  unsigned i = 0;
  mtk_ext_iter_init(&it, &f.c.exts);
  while (mtk_ext_next(&it, &x)) {
    if (x.index != i) break;
    i++;
  }
  CHECK_EQ_INT(i, 300);
  fx_free(&f);
  /* A repeat of one of the first 128, met late, is found. */
  CHECK_STATUS(fx_many_exts(&f, 300, 250, 5), MTK_OK);
  CHECK(f.c.exts.has_duplicates);
  fx_free(&f);
  CHECK_STATUS(fx_many_exts(&f, 300, 128, 127), MTK_OK);
  CHECK(f.c.exts.has_duplicates);
  fx_free(&f);
  /* Beyond the window (documented bound): a repeat of the 200th is not. */
  CHECK_STATUS(fx_many_exts(&f, 300, 250, 200), MTK_OK);
  CHECK(!f.c.exts.has_duplicates);
  CHECK_EQ_INT(f.c.exts.count, 300);
  fx_free(&f);
}

TEST(ext_known_count_saturates) {
  tb_cert_spec s;
  fx f;
  spec_default_issuer(&s);
  for (unsigned i = 0; i < 300; i++) tb_ext_key_usage(&s.exts, false, TB_KU_DIGITAL_SIGNATURE);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.exts.count, 300);
  CHECK_EQ_INT(f.c.exts.known_count[MTK_XK_KU], 255);
  CHECK(f.c.exts.has_duplicates);
  const mtk_ext *x = mtk_ext_get(&f.c.exts, MTK_XK_KU);
  CHECK(x != NULL && x->index == 0);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_quirk_overflow_counted) {
  /* 40 explicit critical FALSE: 32 quirks kept, the rest counted. */
  tb_cert_spec s;
  tb_buf b = {0};
  fx f;
  spec_default_issuer(&s);
  tb_buf_hex(&b, "30 0c 06 04 2a 03 04 05 01 01 00 04 01 00");
  for (unsigned i = 0; i < 40; i++) {
    b.p[7] = (uint8_t)i; /* distinct OIDs 1.2.3.4.5.i */
    tb_ext_add_element(&s.exts, b.p, b.len);
  }
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.d.n_quirks, MTK_MAX_QUIRKS);
  CHECK_EQ_INT(f.d.quirks_dropped, 40 - MTK_MAX_QUIRKS);
  CHECK_EQ_INT(quirk_count(&f.d, MTK_QUIRK_DEFAULT_ENCODED), MTK_MAX_QUIRKS);
  CHECK_STR(f.d.quirks[31].path, "tbsCertificate.extensions[31].critical");
  CHECK(!f.c.exts.has_duplicates);
  fx_free(&f);
  tb_buf_free(&b);
  tb_cert_spec_cleanup(&s);
}

TEST(extensions_parse_direct) {
  tb_buf b = {0};
  mtk_cbs c;
  mtk_extensions e;
  mtk_diag d;
  /* Empty SEQUENCE, then something else. */
  tb_buf_hex(&b, "30 00 05 00");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_extensions_parse(&c, &e, &d), MTK_OK);
  CHECK(e.present);
  CHECK_EQ_INT(e.count, 0);
  CHECK_EQ_INT(c.off, 2);
  CHECK(only_quirk(&d, MTK_QUIRK_EMPTY_EXTENSIONS, "", 0));
  tb_buf_free(&b);
  /* One unknown critical extension. */
  tb_buf_hex(&b, "30 0c 30 0a 06 03 2a 03 04 01 01 ff 04 00");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_extensions_parse(&c, &e, &d), MTK_OK);
  CHECK_EQ_INT(e.count, 1);
  CHECK_EQ_INT(e.n_unknown_critical, 1);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_EQ_INT(c.len, 0);
  tb_buf_free(&b);
  /* Not a SEQUENCE: error, cursor unchanged. */
  tb_buf_hex(&b, "31 00");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_extensions_parse(&c, &e, &d), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "", 0));
  CHECK_EQ_INT(c.len, 2);
  tb_buf_free(&b);
  /* A known extension failing its decoder: basicConstraints with an INTEGER. */
  tb_buf_hex(&b, "30 0c 30 0a 06 03 55 1d 13 04 03 02 01 05");
  mtk_diag_init(&d);
  mtk_cbs_init(&c, b.p, b.len);
  CHECK_STATUS(mtk_extensions_parse(&c, &e, &d), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "[0].basicConstraints", 11));
  tb_buf_free(&b);
}

TEST(xk_round_trip) {
  static const mtk_oid_id ids[MTK_XK__COUNT] = {
      [MTK_XK_SAN] = MTK_OID_EXT_SAN,
      [MTK_XK_IAN] = MTK_OID_EXT_IAN,
      [MTK_XK_KU] = MTK_OID_EXT_KU,
      [MTK_XK_EKU] = MTK_OID_EXT_EKU,
      [MTK_XK_BC] = MTK_OID_EXT_BC,
      [MTK_XK_SKI] = MTK_OID_EXT_SKI,
      [MTK_XK_AKI] = MTK_OID_EXT_AKI,
      [MTK_XK_CRLDP] = MTK_OID_EXT_CRLDP,
      [MTK_XK_FRESHEST_CRL] = MTK_OID_EXT_FRESHEST_CRL,
      [MTK_XK_AIA] = MTK_OID_EXT_AIA,
      [MTK_XK_SIA] = MTK_OID_EXT_SIA,
      [MTK_XK_CP] = MTK_OID_EXT_CP,
      [MTK_XK_PM] = MTK_OID_EXT_PM,
      [MTK_XK_PC] = MTK_OID_EXT_PC,
      [MTK_XK_NC] = MTK_OID_EXT_NC,
      [MTK_XK_INHIBIT_ANY] = MTK_OID_EXT_INHIBIT_ANY,
      [MTK_XK_SCT] = MTK_OID_EXT_SCT_LIST,
      [MTK_XK_TLS_FEATURE] = MTK_OID_EXT_TLS_FEATURE,
      [MTK_XK_OCSP_NOCHECK] = MTK_OID_EXT_OCSP_NOCHECK,
      [MTK_XK_CT_POISON] = MTK_OID_EXT_CT_POISON,
      [MTK_XK_PKUP] = MTK_OID_EXT_PKUP,
      [MTK_XK_NS_CERT_TYPE] = MTK_OID_EXT_NS_CERT_TYPE,
  };
  for (int k = 0; k < MTK_XK__COUNT; k++) {
    CHECK(ids[k] != MTK_OID_UNKNOWN);
    CHECK_EQ_INT(mtk_xk_of(ids[k]), k);
  }
  /* Every other id maps to -1: exactly MTK_XK__COUNT ids are indexed. */
  int mapped = 0;
  for (int id = 0; id < MTK_OID__COUNT; id++) {
    int k = mtk_xk_of((mtk_oid_id)id);
    if (k < 0) continue;
    mapped++;
    CHECK(k < MTK_XK__COUNT);
    if (k < MTK_XK__COUNT) CHECK_EQ_INT(ids[k], id);
  }
  CHECK_EQ_INT(mapped, MTK_XK__COUNT);
  CHECK_EQ_INT(mtk_xk_of(MTK_OID_UNKNOWN), -1);
  CHECK_EQ_INT(mtk_xk_of(MTK_OID_EXT_SDA), -1);
  CHECK_EQ_INT(mtk_xk_of(MTK_OID_AT_CN), -1);
  CHECK_EQ_INT(mtk_xk_of(MTK_OID__COUNT), -1);
  /* mtk_ext_get refuses kinds out of range. */
  mtk_extensions e;
  memset(&e, 0, sizeof(e));
  e.known_count[0] = 1;
  CHECK(mtk_ext_get(&e, MTK_XK_SAN) == &e.known[0]);
  CHECK(mtk_ext_get(&e, MTK_XK__COUNT) == NULL);
  CHECK(mtk_ext_get(&e, (mtk_xk)-1) == NULL);
}

/* ==== certificate quirks ================================================= */

TEST(quirk_explicit_v1) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  s.version_explicit = true;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.version, 1);
  CHECK(f.c.version_explicit);
  CHECK(only_quirk(&f.d, MTK_QUIRK_EXPLICIT_V1, "tbsCertificate.version",
                   find_hex(f.der, f.len, "a0 03 02 01 00") + 2));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirk_negative_serial) {
  static const uint8_t neg[] = {0x80, 0x01};
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  tb_cert_spec_set_serial(&s, neg, sizeof(neg));
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK(f.c.serial_negative);
  CHECK(mtk_cbs_eq_bytes(&f.c.serial, neg, sizeof(neg)));
  CHECK(only_quirk(&f.d, MTK_QUIRK_INTEGER_NEGATIVE, "tbsCertificate.serialNumber",
                   f.c.serial.off));
  CHECK_EQ_INT(f.c.serial.off, find_hex(f.der, f.len, "02 02 80 01") + 2);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirk_rsa_without_null_params) {
  tb_buf key = {0}, spki = {0};
  fx f;
  CHECK(key_bits(rsa2048(), &key));
  spki_build(&spki, "1.2.840.113549.1.1.1", NULL, key.p, key.len);
  CHECK_STATUS(fx_spki(&f, &spki), MTK_OK);
  CHECK_EQ_INT(f.c.spki.type, MTK_KEY_RSA);
  CHECK(!f.c.spki.alg.has_params);
  CHECK_EQ_INT(f.c.spki.bits, 2048);
  CHECK(!f.c.spki.key_malformed);
  CHECK(only_quirk(&f.d, MTK_QUIRK_NULL_PARAMS_MISSING, "tbsCertificate.subjectPublicKeyInfo",
                   f.c.spki.alg.elem.off));
  CHECK_EQ_INT(f.c.spki.alg.elem.off, f.c.spki.elem.off + 4);
  fx_free(&f);
  tb_buf_free(&spki);
  tb_buf_free(&key);
}

TEST(quirk_gentime_before_2050) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.not_before_fmt = TB_TIME_GEN;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.not_before, TB_DEFAULT_NOT_BEFORE);
  CHECK_EQ_INT(f.c.not_before_tag, MTK_ASN1_GENERALIZEDTIME);
  CHECK(only_quirk(&f.d, MTK_QUIRK_GENTIME_BEFORE_2050, "tbsCertificate.validity.notBefore",
                   f.c.not_before_off));
  CHECK_EQ_INT(f.der[f.c.not_before_off], MTK_ASN1_GENERALIZEDTIME);
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirk_utctime_without_seconds) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.not_before_text = "2501010000Z";
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.not_before, INT64_C(1735689600));
  CHECK(only_quirk(&f.d, MTK_QUIRK_TIME_NO_SECONDS, "tbsCertificate.validity.notBefore",
                   f.c.not_before_off + 2));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirk_time_zone_offset) {
  static const struct {
    const char *text;
    tb_timefmt fmt;
    int64_t want;
    size_t zone_at; /* offset of the sign in the contents */
  } cases[] = {
      {"250101120000+0130", TB_TIME_UTC, INT64_C(1735727400), 12}, /* 10:30Z */
      {"250101120000-0200", TB_TIME_UTC, INT64_C(1735740000), 12}, /* 14:00Z */
      {"2501011200-0200", TB_TIME_UTC, INT64_C(1735740000), 10},   /* and no seconds */
      {"20510615123456+0000", TB_TIME_GEN, INT64_C(2570445296), 14},
      {"20510615143456+0200", TB_TIME_GEN, INT64_C(2570445296), 14},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_cert_spec s;
    fx f;
    tb_cert_spec_default(&s);
    s.not_after_text = cases[i].text;
    s.not_after_fmt = cases[i].fmt;
    CHECK_STATUS(fx_build(&f, &s), MTK_OK);
    CHECK_EQ_INT(f.c.not_after, cases[i].want);
    const mtk_quirk *q = quirk_of(&f.d, MTK_QUIRK_TIME_NOT_Z);
    CHECK(q != NULL);
    if (q != NULL) {
      CHECK_STR(q->path, "tbsCertificate.validity.notAfter");
      CHECK_EQ_INT(q->offset, f.c.not_after_off + 2 + cases[i].zone_at);
    }
    CHECK_EQ_INT(f.d.n_quirks, i == 2 ? 2 : 1);
    fx_free(&f);
    tb_cert_spec_cleanup(&s);
  }
  /* A malformed offset is an error. */
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.not_after_text = "250101120000+2400";
  CHECK_STATUS(fx_build(&f, &s), MTK_ERR_DER_TIME);
  CHECK(err_is(&f.d, MTK_ERR_DER_TIME, "tbsCertificate.validity.notAfter", NO_OFFSET));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirk_fractional_seconds) {
  tb_cert_spec s;
  fx f;
  tb_cert_spec_default(&s);
  s.not_after_text = "20510615123456.75Z";
  s.not_after_fmt = TB_TIME_GEN;
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.c.not_after, INT64_C(2570445296));
  CHECK(only_quirk(&f.d, MTK_QUIRK_FRACTIONAL_TIME, "tbsCertificate.validity.notAfter",
                   f.c.not_after_off + 2 + 14));
  fx_free(&f);
  tb_cert_spec_cleanup(&s);
}

TEST(quirks_accumulate_in_order) {
  /* Several quirks in one certificate, each with its own path. */
  static const uint8_t neg[] = {0xff, 0x01};
  tb_cert_spec s;
  tb_buf b = {0};
  fx f;
  spec_default_issuer(&s);
  s.version = TB_V3;
  tb_cert_spec_set_serial(&s, neg, sizeof(neg));
  tb_name_add_ex(&s.subject, "O", MTK_ASN1_T61STRING, "x", 1, false);
  s.not_before_fmt = TB_TIME_GEN;
  tb_buf_hex(&b, "30 0c 06 03 55 1d 13 01 01 00 04 02 30 00");
  tb_ext_add_element(&s.exts, b.p, b.len);
  CHECK_STATUS(fx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.d.n_quirks, 4);
  if (f.d.n_quirks == 4) {
    CHECK_EQ_INT(f.d.quirks[0].kind, MTK_QUIRK_INTEGER_NEGATIVE);
    CHECK_STR(f.d.quirks[0].path, "tbsCertificate.serialNumber");
    CHECK_EQ_INT(f.d.quirks[1].kind, MTK_QUIRK_GENTIME_BEFORE_2050);
    CHECK_STR(f.d.quirks[1].path, "tbsCertificate.validity.notBefore");
    CHECK_EQ_INT(f.d.quirks[2].kind, MTK_QUIRK_TELETEX_STRING);
    CHECK_STR(f.d.quirks[2].path, "tbsCertificate.subject[1][0]");
    CHECK_EQ_INT(f.d.quirks[3].kind, MTK_QUIRK_DEFAULT_ENCODED);
    CHECK_STR(f.d.quirks[3].path, "tbsCertificate.extensions[0].critical");
    for (size_t i = 1; i < 4; i++) CHECK(f.d.quirks[i].offset > f.d.quirks[i - 1].offset);
  }
  fx_free(&f);
  tb_buf_free(&b);
  tb_cert_spec_cleanup(&s);
}

/* ==== AlgorithmIdentifier and RSASSA-PSS-params ========================= */

/* algid_hex parses the AlgorithmIdentifier |hex| (status, and the cursor's
 * remaining length in |*left|). */
static mtk_status algid_hex(const char *hex, mtk_algid *a, mtk_diag *d, size_t *left, tb_buf *keep) {
  tb_buf_hex(keep, hex);
  mtk_cbs c;
  mtk_cbs_init(&c, keep->p, keep->len);
  mtk_diag_init(d);
  mtk_status st = mtk_algid_parse(&c, a, d);
  *left = c.len;
  return st;
}

TEST(algid_parse_cases) {
  mtk_algid a;
  mtk_diag d;
  size_t left = 0;
  tb_buf b = {0};
  /* sha256WithRSAEncryption, NULL, then another element */
  CHECK_STATUS(algid_hex("30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00 ff", &a, &d, &left, &b),
               MTK_OK);
  CHECK_EQ_INT(a.id, MTK_OID_SHA256_RSA);
  CHECK(a.has_params);
  CHECK(cbs_hex(&a.params, "05 00"));
  CHECK_EQ_INT(a.params.off, 13);
  CHECK_EQ_INT(a.elem.len, 15);
  CHECK_EQ_INT(left, 1);
  tb_buf_free(&b);
  /* unknown OID, no parameters */
  CHECK_STATUS(algid_hex("30 05 06 03 2a 03 04", &a, &d, &left, &b), MTK_OK);
  CHECK_EQ_INT(a.id, MTK_OID_UNKNOWN);
  CHECK(!a.has_params);
  CHECK(cbs_hex(&a.oid, "2a 03 04"));
  CHECK_EQ_INT(left, 0);
  tb_buf_free(&b);
  /* parameters of any type, constructed included */
  CHECK_STATUS(algid_hex("30 09 06 03 2a 03 04 30 02 05 00", &a, &d, &left, &b), MTK_OK);
  CHECK(cbs_hex(&a.params, "30 02 05 00"));
  tb_buf_free(&b);
  /* empty */
  CHECK_STATUS(algid_hex("30 00", &a, &d, &left, &b), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&d, MTK_ERR_DER_TRUNCATED, "algorithm", 2));
  CHECK_EQ_INT(left, 2);
  tb_buf_free(&b);
  /* no OID first */
  CHECK_STATUS(algid_hex("30 02 05 00", &a, &d, &left, &b), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "algorithm", 2));
  tb_buf_free(&b);
  /* two parameters */
  CHECK_STATUS(algid_hex("30 09 06 03 2a 03 04 05 00 05 00", &a, &d, &left, &b),
               MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "", 9));
  CHECK_EQ_INT(left, 11);
  tb_buf_free(&b);
  /* malformed parameters framing */
  CHECK_STATUS(algid_hex("30 07 06 03 2a 03 04 05 80", &a, &d, &left, &b), MTK_ERR_DER_INDEFINITE);
  CHECK(err_is(&d, MTK_ERR_DER_INDEFINITE, "parameters", 8));
  tb_buf_free(&b);
  /* not a SEQUENCE */
  CHECK_STATUS(algid_hex("31 05 06 03 2a 03 04", &a, &d, &left, &b), MTK_ERR_DER_TAG);
  CHECK(err_is(&d, MTK_ERR_DER_TAG, "", 0));
  tb_buf_free(&b);
  /* malformed OID */
  CHECK_STATUS(algid_hex("30 04 06 02 2a 83", &a, &d, &left, &b), MTK_ERR_DER_OID);
  CHECK(err_is(&d, MTK_ERR_DER_OID, "algorithm", NO_OFFSET));
  tb_buf_free(&b);
}

static mtk_status pss_parse_buf(const tb_buf *b, mtk_pss_params *pp, mtk_diag *d) {
  mtk_cbs c;
  mtk_cbs_init(&c, b->p, b->len);
  mtk_diag_init(d);
  return mtk_pss_params_parse(&c, pp, d);
}

TEST(pss_params_cases) {
  tb_buf b = {0};
  mtk_pss_params pp;
  mtk_diag d;
  /* empty: every default */
  tb_buf_hex(&b, "30 00");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA1);
  CHECK_EQ_INT(pp.mgf, MTK_OID_MGF1);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA1);
  CHECK_EQ_INT(pp.salt_len, 20);
  CHECK_EQ_INT(pp.trailer, 1);
  CHECK_EQ_INT(pp.explicit_defaults, 0);
  tb_buf_free(&b);
  /* every default written out */
  pss_params(&b, SHA1_OID, SHA1_OID, 20, 1);
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA1);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA1);
  CHECK_EQ_INT(pp.explicit_defaults, 4);
  tb_buf_free(&b);
  /* SHA-384, salt 48, trailer 2 (decoded; judged by the linter) */
  pss_params(&b, SHA384_OID, SHA384_OID, 48, 2);
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA384);
  CHECK_EQ_INT(pp.mgf, MTK_OID_MGF1);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA384);
  CHECK_EQ_INT(pp.salt_len, 48);
  CHECK_EQ_INT(pp.trailer, 2);
  CHECK_EQ_INT(pp.explicit_defaults, 0);
  tb_buf_free(&b);
  /* hash only */
  pss_params(&b, SHA256_OID, NULL, LONG_MIN, -1);
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_OK);
  CHECK_EQ_INT(pp.hash, MTK_OID_SHA256);
  CHECK_EQ_INT(pp.mgf_hash, MTK_OID_SHA1);
  tb_buf_free(&b);
  /* negative salt */
  pss_params(&b, NULL, NULL, -5, -1);
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_RANGE);
  CHECK(err_is(&d, MTK_ERR_DER_RANGE, "saltLength", 6));
  tb_buf_free(&b);
  /* fields out of order: [2] then [0] */
  tb_buf_hex(&b, "30 0f a2 03 02 01 20 a0 08 30 06 06 04 2a 03 04 05");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "", 7));
  tb_buf_free(&b);
  /* [0] holding an AlgorithmIdentifier and more */
  tb_buf_hex(&b, "30 0b a0 09 30 05 06 03 2a 03 04 05 00");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "hashAlgorithm", 11));
  tb_buf_free(&b);
  /* [2] holding an INTEGER and more */
  tb_buf_hex(&b, "30 07 a2 05 02 01 20 05 00");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "saltLength", 7));
  tb_buf_free(&b);
  /* not a SEQUENCE; a SEQUENCE followed by more */
  tb_buf_hex(&b, "05 00");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_TAG);
  tb_buf_free(&b);
  tb_buf_hex(&b, "30 00 05 00");
  CHECK_STATUS(pss_parse_buf(&b, &pp, &d), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&d, MTK_ERR_DER_TRAILING, "", 2));
  tb_buf_free(&b);
}

/* ==== certification requests ============================================== */

typedef struct cfx {
  uint8_t *der;
  size_t len;
  mtk_csr r;
  mtk_diag d;
  mtk_status st;
} cfx;

static void cfx_free(cfx *f) {
  free(f->der);
  f->der = NULL;
}

static mtk_status cfx_parse(cfx *f) {
  mtk_diag_init(&f->d);
  f->st = mtk_csr_parse(&f->r, f->der, f->len, &f->d);
  return f->st;
}

static mtk_status cfx_build(cfx *f, const tb_csr_spec *s) {
  memset(f, 0, sizeof(*f));
  if (tb_csr_build(s, &f->der, &f->len) != 0) return f->st = MTK_ERR_INTERNAL;
  return cfx_parse(f);
}

/* cfx_info signs the hand-written CertificationRequestInfo |info| (freed). */
static mtk_status cfx_info(cfx *f, tb_buf *info) {
  memset(f, 0, sizeof(*f));
  int rv = tb_resign(info->p, info->len, ec256(), TB_MD_DEFAULT, &f->der, &f->len);
  tb_buf_free(info);
  if (rv != 0) return f->st = MTK_ERR_INTERNAL;
  return cfx_parse(f);
}

/* cfx_raw_attrs builds a default CSR with the raw attributes |hex| (one
 * complete Attribute each, NULL-terminated) and |ext_request| extensions. */
static mtk_status cfx_raw_attrs(cfx *f, const char *const *hex, bool ext_request, bool unsorted) {
  tb_csr_spec s;
  tb_buf bufs[4] = {{0}, {0}, {0}, {0}};
  tb_bytes attrs[4];
  size_t n = 0;
  tb_csr_spec_default(&s);
  for (; hex[n] != NULL && n < 4; n++) {
    tb_buf_hex(&bufs[n], hex[n]);
    attrs[n].p = bufs[n].p;
    attrs[n].len = bufs[n].len;
  }
  s.raw_attrs = attrs;
  s.n_raw_attrs = n;
  s.attrs_unsorted = unsorted;
  if (ext_request) tb_ext_basic_constraints(&s.exts, true, false, -1);
  mtk_status st = cfx_build(f, &s);
  for (size_t i = 0; i < n; i++) tb_buf_free(&bufs[i]);
  tb_csr_spec_cleanup(&s);
  return st;
}

/* An unknown attribute 1.3.6.1.4.1.55555.9 = { UTF8String "x", INTEGER 5 }. */
#define UNKNOWN_ATTR "30 13 06 09 2b 06 01 04 01 83 b2 03 09 31 06 0c 01 78 02 01 05"

TEST(csr_rich) {
  tb_csr_spec s;
  cfx f;
  tb_buf raw = {0};
  tb_csr_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "csr.example.com");
  tb_name_add(&s.subject, "O", "Example");
  s.key = tb_key_new(TB_KEY_EC, NID_secp384r1);
  s.challenge_password = "s3cret pass";
  s.unstructured_name = "na\xc3\xafve";
  tb_gn g = tb_gn_dns("csr.example.com");
  tb_ext_san(&s.exts, false, &g, 1);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_buf_hex(&raw, UNKNOWN_ATTR);
  tb_bytes attr = {raw.p, raw.len};
  s.raw_attrs = &attr;
  s.n_raw_attrs = 1;
  CHECK_STATUS(cfx_build(&f, &s), MTK_OK);
  const mtk_csr *r = &f.r;
  CHECK_EQ_INT(f.d.n_quirks, 0);
  CHECK_EQ_INT(r->version, 0);
  CHECK_EQ_INT(r->der.len, f.len);
  CHECK(r->tbs.p == f.der + r->tbs.off);
  CHECK_EQ_INT(r->subject.n_rdns, 2);
  CHECK_EQ_INT(r->spki.type, MTK_KEY_EC);
  CHECK_EQ_INT(r->spki.curve, MTK_OID_SECP384R1);
  CHECK_EQ_INT(r->spki.bits, 384);
  CHECK_EQ_INT(r->n_attributes, 4);
  CHECK(r->has_ext_request);
  CHECK(r->exts.present);
  CHECK_EQ_INT(r->exts.count, 2);
  CHECK(mtk_ext_get(&r->exts, MTK_XK_SAN) != NULL);
  const mtk_ext *ku = mtk_ext_get(&r->exts, MTK_XK_KU);
  CHECK(ku != NULL && ku->critical && ku->index == 1);
  CHECK(r->has_challenge_password);
  CHECK_EQ_INT(r->challenge_password_tag, MTK_ASN1_PRINTABLESTRING);
  CHECK(cbs_str(&r->challenge_password, "s3cret pass"));
  CHECK(r->has_unstructured_name);
  CHECK_EQ_INT(r->unstructured_name_tag, MTK_ASN1_UTF8STRING);
  CHECK(cbs_str(&r->unstructured_name, "na\xc3\xafve"));
  CHECK_EQ_INT(r->sig_alg.id, MTK_OID_ECDSA_SHA256);
  CHECK_EQ_INT(r->signature_unused_bits, 0);
  CHECK_EQ_INT(r->signature.off + r->signature.len, f.len);
  /* The attribute iterator: each attribute once, in encoding order. */
  mtk_cbs rest = r->attributes;
  mtk_csr_attr a;
  unsigned seen_cp = 0, seen_un = 0, seen_er = 0, seen_unknown = 0, n = 0;
  size_t last = 0;
  while (mtk_csr_attr_next(&rest, &a)) {
    n++;
    CHECK(a.offset >= last);
    last = a.offset;
    CHECK_EQ_INT(f.der[a.offset], 0x30);
    CHECK(a.values.len > 0);
    switch (a.id) {
      case MTK_OID_CHALLENGE_PASSWORD: seen_cp++; break;
      case MTK_OID_UNSTRUCTURED_NAME: seen_un++; break;
      case MTK_OID_EXTENSION_REQUEST: seen_er++; break;
      case MTK_OID_UNKNOWN:
        seen_unknown++;
        CHECK(cbs_hex(&a.oid, "2b 06 01 04 01 83 b2 03 09"));
        CHECK(cbs_hex(&a.values, "0c 01 78 02 01 05"));
        break;
      default: CHECK(false); break;
    }
  }
  CHECK_EQ_INT(n, 4);
  CHECK_EQ_INT(seen_cp + seen_un + seen_er + seen_unknown, 4);
  CHECK(seen_cp == 1 && seen_un == 1 && seen_er == 1 && seen_unknown == 1);
  CHECK_EQ_INT(rest.len, 0);
  cfx_free(&f);
  tb_buf_free(&raw);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_minimal) {
  tb_csr_spec s;
  cfx f;
  tb_csr_spec_default(&s);
  CHECK_STATUS(cfx_build(&f, &s), MTK_OK);
  CHECK_EQ_INT(f.r.n_attributes, 0);
  CHECK_EQ_INT(f.r.attributes.len, 0);
  CHECK(!f.r.has_ext_request);
  CHECK(!f.r.exts.present);
  CHECK(!f.r.has_challenge_password);
  CHECK(!f.r.has_unstructured_name);
  mtk_cbs rest = f.r.attributes;
  mtk_csr_attr a;
  CHECK(!mtk_csr_attr_next(&rest, &a));
  CHECK_EQ_INT(f.d.n_quirks, 0);
  mtk_csr r;
  CHECK_STATUS(mtk_csr_parse(&r, f.der, f.len, NULL), MTK_OK);
  cfx_free(&f);
  /* An empty extensionRequest is parsed, with its quirk. */
  s.ext_mode = TB_EXTS_EMPTY;
  CHECK_STATUS(cfx_build(&f, &s), MTK_OK);
  CHECK(f.r.has_ext_request);
  CHECK_EQ_INT(f.r.exts.count, 0);
  CHECK(only_quirk(&f.d, MTK_QUIRK_EMPTY_EXTENSIONS,
                   "certificationRequestInfo.attributes[0].extensionRequest", NO_OFFSET));
  cfx_free(&f);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_version_rejected) {
  tb_csr_spec s;
  cfx f;
  tb_csr_spec_default(&s);
  s.version = 1;
  CHECK_STATUS(cfx_build(&f, &s), MTK_ERR_X509_VERSION);
  const uint8_t *info = NULL;
  size_t info_len = 0;
  CHECK(tb_signed_tbs(f.der, f.len, &info, &info_len) == 0);
  size_t ver = (size_t)(info - f.der) + (info[1] < 0x80 ? 2u : 2u + (info[1] & 0x7fu));
  CHECK_EQ_INT(f.der[ver], MTK_ASN1_INTEGER);
  CHECK(err_is(&f.d, MTK_ERR_X509_VERSION, "certificationRequestInfo.version", ver));
  cfx_free(&f);
  s.version = -1;
  CHECK_STATUS(cfx_build(&f, &s), MTK_ERR_DER_RANGE);
  CHECK(err_is(&f.d, MTK_ERR_DER_RANGE, "certificationRequestInfo.version", NO_OFFSET));
  cfx_free(&f);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_without_attributes_field) {
  tb_buf info = {0};
  uint8_t *spki = NULL;
  size_t spki_len = 0;
  tb_name name = {0};
  cfx f;
  tb_name_add(&name, "CN", "test.example.com");
  CHECK(tb_spki_der(ec256(), &spki, &spki_len) == 0);
  size_t m = tb_der_begin(&info, MTK_ASN1_SEQUENCE);
  tb_der_int(&info, 0);
  tb_der_name(&info, &name);
  tb_buf_add(&info, spki, spki_len);
  tb_der_end(&info, m);
  size_t end = info.len;
  CHECK_STATUS(cfx_info(&f, &info), MTK_ERR_DER_TRUNCATED);
  const uint8_t *t = NULL;
  size_t tlen = 0;
  CHECK(tb_signed_tbs(f.der, f.len, &t, &tlen) == 0);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRUNCATED, "certificationRequestInfo.attributes",
               (size_t)(t - f.der) + end));
  cfx_free(&f);
  /* [0] primitive instead of constructed */
  m = tb_der_begin(&info, MTK_ASN1_SEQUENCE);
  tb_der_int(&info, 0);
  tb_der_name(&info, &name);
  tb_buf_add(&info, spki, spki_len);
  tb_buf_hex(&info, "80 00");
  tb_der_end(&info, m);
  CHECK_STATUS(cfx_info(&f, &info), MTK_ERR_DER_TAG);
  CHECK(err_is(&f.d, MTK_ERR_DER_TAG, "certificationRequestInfo.attributes", NO_OFFSET));
  cfx_free(&f);
  /* an element after [0] */
  m = tb_der_begin(&info, MTK_ASN1_SEQUENCE);
  tb_der_int(&info, 0);
  tb_der_name(&info, &name);
  tb_buf_add(&info, spki, spki_len);
  tb_buf_hex(&info, "a0 00 05 00");
  tb_der_end(&info, m);
  CHECK_STATUS(cfx_info(&f, &info), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "certificationRequestInfo", NO_OFFSET));
  cfx_free(&f);
  free(spki);
  tb_name_clear(&name);
}

TEST(csr_attribute_empty_set) {
  static const char *const attrs[] = {"30 0d 06 09 2b 06 01 04 01 83 b2 03 09 31 00", NULL};
  cfx f;
  CHECK_STATUS(cfx_raw_attrs(&f, attrs, false, false), MTK_ERR_X509_ATTRIBUTE);
  CHECK(err_is(&f.d, MTK_ERR_X509_ATTRIBUTE, "certificationRequestInfo.attributes[0]",
               find_hex(f.der, f.len, "30 0d 06 09 2b 06 01 04 01 83 b2")));
  cfx_free(&f);
}

TEST(csr_two_extension_requests) {
  static const char *const attrs[] = {
      "30 1d 06 09 2a 86 48 86 f7 0d 01 09 0e 31 10 30 0e 30 0c 06 03 55 1d 0f 01 01 ff 04 02 03 00",
      NULL};
  cfx f;
  CHECK_STATUS(cfx_raw_attrs(&f, attrs, true, true), MTK_ERR_X509_ATTRIBUTE);
  CHECK(err_is(&f.d, MTK_ERR_X509_ATTRIBUTE, "certificationRequestInfo.attributes[1]",
               find_hex(f.der, f.len, "30 0c 06 03 55 1d 0f") - 17));
  cfx_free(&f);
}

TEST(csr_attribute_value_errors) {
  cfx f;
  /* extensionRequest with two Extensions values */
  static const char *const er_two[] = {"30 11 06 09 2a 86 48 86 f7 0d 01 09 0e 31 04 30 00 30 00",
                                       NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, er_two, false, false), MTK_ERR_X509_ATTRIBUTE);
  CHECK(err_is(&f.d, MTK_ERR_X509_ATTRIBUTE,
               "certificationRequestInfo.attributes[0].extensionRequest",
               find_hex(f.der, f.len, "31 04 30 00 30 00") + 4));
  cfx_free(&f);
  /* extensionRequest with a bad known extension inside */
  static const char *const er_bad[] = {
      "30 1a 06 09 2a 86 48 86 f7 0d 01 09 0e 31 0d 30 0b 30 09 06 03 55 1d 11 04 02 30 00", NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, er_bad, false, false), MTK_ERR_X509_EXTENSION);
  CHECK(err_is(&f.d, MTK_ERR_X509_EXTENSION,
               "certificationRequestInfo.attributes[0].extensionRequest[0].subjectAltName",
               NO_OFFSET));
  cfx_free(&f);
  /* challengePassword that is an INTEGER */
  static const char *const cp_int[] = {"30 10 06 09 2a 86 48 86 f7 0d 01 09 07 31 03 02 01 05",
                                       NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, cp_int, false, false), MTK_ERR_DER_STRING);
  CHECK(err_is(&f.d, MTK_ERR_DER_STRING, "certificationRequestInfo.attributes[0].challengePassword",
               find_hex(f.der, f.len, "31 03 02 01 05") + 4));
  cfx_free(&f);
  /* challengePassword with two values */
  static const char *const cp_two[] = {
      "30 13 06 09 2a 86 48 86 f7 0d 01 09 07 31 06 13 01 61 13 01 62", NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, cp_two, false, false), MTK_ERR_X509_ATTRIBUTE);
  CHECK(err_is(&f.d, MTK_ERR_X509_ATTRIBUTE,
               "certificationRequestInfo.attributes[0].challengePassword", NO_OFFSET));
  cfx_free(&f);
  /* unstructuredName with invalid UTF-8: a quirk, not an error */
  static const char *const un_bad[] = {"30 11 06 09 2a 86 48 86 f7 0d 01 09 02 31 04 0c 02 c3 28",
                                       NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, un_bad, false, false), MTK_OK);
  CHECK(f.r.has_unstructured_name);
  CHECK(only_quirk(&f.d, MTK_QUIRK_UTF8_INVALID,
                   "certificationRequestInfo.attributes[0].unstructuredName",
                   find_hex(f.der, f.len, "0c 02 c3 28") + 2));
  cfx_free(&f);
  /* an unknown attribute whose values are not DER */
  static const char *const unk_bad[] = {
      "30 10 06 09 2b 06 01 04 01 83 b2 03 09 31 03 04 05 00", NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, unk_bad, false, false), MTK_ERR_DER_TRUNCATED);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRUNCATED, "certificationRequestInfo.attributes[0]", NO_OFFSET));
  cfx_free(&f);
  /* an Attribute with a third element */
  static const char *const third[] = {
      "30 11 06 09 2b 06 01 04 01 83 b2 03 09 31 02 05 00 05 00", NULL};
  CHECK_STATUS(cfx_raw_attrs(&f, third, false, false), MTK_ERR_DER_TRAILING);
  CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "certificationRequestInfo.attributes[0]", NO_OFFSET));
  cfx_free(&f);
}

TEST(csr_malformed_key_still_parses) {
  tb_csr_spec s;
  tb_buf spki = {0};
  cfx f;
  tb_csr_spec_default(&s);
  spki_build_hex(&spki, "1.2.840.113549.1.1.1", "05 00", "04 02 00 00");
  s.spki_der = spki.p;
  s.spki_len = spki.len;
  CHECK_STATUS(cfx_build(&f, &s), MTK_OK);
  CHECK(f.r.spki.key_malformed);
  CHECK_EQ_INT(f.r.spki.key_err.code, MTK_ERR_DER_TAG);
  mtk_csr r;
  CHECK_STATUS(mtk_csr_parse(&r, f.der, f.len, NULL), MTK_OK);
  CHECK(r.spki.key_malformed);
  cfx_free(&f);
  tb_buf_free(&spki);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_trailing_and_truncated) {
  tb_csr_spec s;
  cfx f;
  tb_csr_spec_default(&s);
  s.challenge_password = "pw";
  tb_ext_basic_constraints(&s.exts, true, false, -1);
  CHECK_STATUS(cfx_build(&f, &s), MTK_OK);
  size_t len = f.len;
  unsigned bad = 0;
  for (size_t k = 0; k < len; k++) {
    uint8_t *p = malloc(k > 0 ? k : 1);
    if (p == NULL) break;
    if (k > 0) memcpy(p, f.der, k);
    mtk_csr r;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status st = mtk_csr_parse(&r, p, k, &d);
    if (st != MTK_ERR_DER_TRUNCATED || d.err.code != st || d.err.offset > k) bad++;
    free(p);
  }
  CHECK_EQ_INT(bad, 0);
  f.der = realloc(f.der, len + 1);
  CHECK(f.der != NULL);
  if (f.der != NULL) {
    f.der[len] = 0;
    f.len = len + 1;
    CHECK_STATUS(cfx_parse(&f), MTK_ERR_DER_TRAILING);
    CHECK(err_is(&f.d, MTK_ERR_DER_TRAILING, "", len));
  }
  cfx_free(&f);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_attr_iterator_malformed) {
  static const char *const cases[] = {
      "05 00",                         /* not a SEQUENCE */
      "30 02 05 00",                   /* no OID */
      "30 05 06 03 2a 03 04",          /* no SET */
      "30 07 06 03 2a 03 04 30 00",    /* values not a SET */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_buf b = {0};
    tb_buf_hex(&b, cases[i]);
    mtk_cbs rest;
    mtk_csr_attr a;
    mtk_cbs_init(&rest, b.p, b.len);
    CHECK(!mtk_csr_attr_next(&rest, &a));
    CHECK_EQ_INT(rest.len, 0);
    tb_buf_free(&b);
  }
  /* A good one then a bad one. */
  tb_buf b = {0};
  tb_buf_hex(&b, "30 07 06 03 2a 03 04 31 00 05 00");
  mtk_cbs rest;
  mtk_csr_attr a;
  mtk_cbs_init(&rest, b.p, b.len);
  CHECK(mtk_csr_attr_next(&rest, &a));
  CHECK_EQ_INT(a.offset, 0);
  CHECK_EQ_INT(a.values.len, 0);
  CHECK(!mtk_csr_attr_next(&rest, &a));
  tb_buf_free(&b);
}

/* ==== robustness ========================================================== */

TEST(cert_every_byte_mutated) {
  /* Flip each octet of a real certificate: never a crash; a failure names
   * an offset inside the input. With and without a diag. */
  fx f;
  CHECK_STATUS(fx_rich(&f), MTK_OK);
  unsigned bad = 0, failed = 0;
  uint8_t *p = malloc(f.len);
  CHECK(p != NULL);
  if (p == NULL) return;
  static const uint8_t flips[] = {0xff, 0x80, 0x01};
  for (size_t fl = 0; fl < sizeof(flips); fl++) {
    for (size_t i = 0; i < f.len; i++) {
      memcpy(p, f.der, f.len);
      p[i] ^= flips[fl];
      mtk_cert c;
      mtk_diag d;
      mtk_diag_init(&d);
      mtk_status st = mtk_cert_parse(&c, p, f.len, &d);
      mtk_status st2 = mtk_cert_parse(&c, p, f.len, NULL);
      if (st != st2) bad++;
      if (st != MTK_OK) {
        failed++;
        if (d.err.code != st || d.err.offset > f.len) bad++;
      } else {
        if (d.path[0] != '\0') bad++;
      }
    }
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(failed > 0);
  free(p);
  fx_free(&f);
}

int main(void) {
  RUN(cert_rich_header);
  RUN(cert_rich_algids_and_signature);
  RUN(cert_rich_names);
  RUN(cert_rich_validity);
  RUN(cert_rich_spki_rsa2048);
  RUN(cert_rich_extension_index);
  RUN(cert_rich_extension_iterator);
  RUN(cert_parse_without_diag);
  RUN(cert_v1_without_extensions);
  RUN(cert_v3_without_extensions);
  RUN(cert_unique_ids_v2_v3);
  RUN(cert_serial_forms);
  RUN(cert_version_4_rejected);
  RUN(cert_extensions_need_v3);
  RUN(cert_unique_id_in_v1_rejected);
  RUN(cert_unique_id_malformed);
  RUN(cert_serial_rejected);
  RUN(cert_trailing_bytes);
  RUN(cert_truncated_every_length);
  RUN(cert_truncated_tbs_every_length);
  RUN(cert_framing_errors);
  RUN(cert_signature_fields);
  RUN(cert_validity_errors);
  RUN(cert_times_exact);
  RUN(spki_rsa1024);
  RUN(spki_ec_named_curves);
  RUN(spki_ec_compressed_point);
  RUN(spki_ec_explicit_curve);
  RUN(spki_ec_implicit_and_unknown_curve);
  RUN(spki_eddsa);
  RUN(spki_x25519_x448);
  RUN(spki_rsa_pss_key_and_signature);
  RUN(spki_rsa_pss_with_params);
  RUN(spki_dsa);
  RUN(spki_unknown_algorithm);
  RUN(spki_post_quantum_types);
  RUN(key_type_names);
  RUN(spki_ec_without_params_rejected);
  RUN(spki_eddsa_with_params_rejected);
  RUN(spki_rsa_params_not_null_rejected);
  RUN(spki_structure_errors);
  RUN(spki_malformed_key_bodies);
  RUN(spki_malformed_key_wrong_ec_length_exact);
  RUN(spki_malformed_key_without_diag);
  RUN(spki_parse_direct);
  RUN(name_string_quirks);
  RUN(name_clean_strings);
  RUN(name_unsorted_multi_valued_rdn);
  RUN(name_empty_rdn_rejected);
  RUN(name_structure_errors);
  RUN(name_empty_is_valid_der);
  RUN(name_parse_direct);
  RUN(name_eq_cases);
  RUN(string_check_direct);
  RUN(ext_critical_false_encoded);
  RUN(ext_boolean_not_ff);
  RUN(ext_empty_sequence);
  RUN(ext_value_errors);
  RUN(ext_known_with_empty_value);
  RUN(ext_extensions_field_trailing);
  RUN(ext_duplicates);
  RUN(ext_more_than_window);
  RUN(ext_known_count_saturates);
  RUN(ext_quirk_overflow_counted);
  RUN(extensions_parse_direct);
  RUN(xk_round_trip);
  RUN(quirk_explicit_v1);
  RUN(quirk_negative_serial);
  RUN(quirk_rsa_without_null_params);
  RUN(quirk_gentime_before_2050);
  RUN(quirk_utctime_without_seconds);
  RUN(quirk_time_zone_offset);
  RUN(quirk_fractional_seconds);
  RUN(quirks_accumulate_in_order);
  RUN(algid_parse_cases);
  RUN(pss_params_cases);
  RUN(csr_rich);
  RUN(csr_minimal);
  RUN(csr_version_rejected);
  RUN(csr_without_attributes_field);
  RUN(csr_attribute_empty_set);
  RUN(csr_two_extension_requests);
  RUN(csr_attribute_value_errors);
  RUN(csr_malformed_key_still_parses);
  RUN(csr_trailing_and_truncated);
  RUN(csr_attr_iterator_malformed);
  RUN(cert_every_byte_mutated);
  return test_summary();
}

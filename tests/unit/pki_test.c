/* pki_test.c: the development PKI (lib/pki*.c) at a fixed "now".
 *
 * Each kind of certificate is issued, parsed back with mtk_cert_parse and
 * checked field by field (key usage bits, EKU OIDs, SAN entries, AKI against
 * the issuer's SKI, a 16-octet positive serial, the validity period, the CN
 * among the SANs), linted with private_pki (the exact set of finding ids,
 * notices only), and verified against its CA with OpenSSL's
 * X509_verify_cert (X509_V_FLAG_X509_STRICT) and with mtk_verify at that
 * time. Then the refusals: names, periods, CAs, and the CSR policy (bad
 * signature, RSA-1024, cA TRUE, disallowed names). */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "mtlskit/pki.h"
#include "mtlskit/verify.h"
#include "mtlskit/x509.h"
#include "test.h"

#define DAY INT64_C(86400)

static mtk_time g_now; /* 2026-06-01T12:00:00Z */

/* ==== harness ============================================================ */

/* One issued object: its DER, its parse, the self-check's findings. */
typedef struct obj {
  mtk_buf der;
  mtk_cert cert;
  mtk_csr csr;
  mtk_diag diag;
  mtk_findings f;
  mtk_pki_err err;
} obj;

static obj *obj_new(void) {
  obj *o = calloc(1, sizeof(*o));
  if (o == NULL) abort();
  mtk_buf_init(&o->der, 1 << 20);
  return o;
}

static void obj_free(obj *o) {
  if (o == NULL) return;
  mtk_buf_free(&o->der);
  free(o);
}

static bool parse_cert(obj *o) {
  mtk_diag_init(&o->diag);
  mtk_status s = mtk_cert_parse(&o->cert, o->der.p, o->der.len, &o->diag);
  CHECK_STATUS(s, MTK_OK);
  CHECK_EQ_INT(o->diag.n_quirks, 0);
  return s == MTK_OK;
}

static mtk_pki_key *gen(mtk_pki_key_type t) {
  mtk_pki_key *k = NULL;
  if (mtk_pki_key_generate(t, &k) != MTK_OK) abort();
  return k;
}

/* A root CA of key type |t|; |pathlen| as mtk_pki_ca_opts. */
static obj *make_root(mtk_pki_key *key, int pathlen, uint32_t days, mtk_time now) {
  obj *o = obj_new();
  mtk_pki_ca_opts co;
  memset(&co, 0, sizeof(co));
  co.now = now;
  co.path_len = pathlen;
  co.days = days;
  co.findings = &o->f;
  mtk_status s = mtk_pki_make_root(key, &co, &o->der, &o->err);
  CHECK_STATUS(s, MTK_OK);
  if (s != MTK_OK) fprintf(stderr, "  %s\n", o->err.msg);
  if (s == MTK_OK) parse_cert(o);
  return o;
}

static mtk_pki_ca *ca_of(const obj *cert, const mtk_pki_key *key) {
  mtk_pki_ca *ca = NULL;
  mtk_pki_err err;
  mtk_status s = mtk_pki_ca_new(cert->der.p, cert->der.len, key, &ca, &err);
  CHECK_STATUS(s, MTK_OK);
  if (s != MTK_OK) abort();
  return ca;
}

static mtk_pki_names names_of(const char *const *dns, size_t nd, const char *const *ip, size_t ni,
                              const char *const *uri, size_t nu, const char *const *email,
                              size_t ne) {
  mtk_pki_names n = {dns, nd, ip, ni, uri, nu, email, ne};
  return n;
}

static obj *issue(const mtk_pki_ca *ca, const mtk_pki_key *key, unsigned usage, mtk_pki_names n,
                  uint32_t days, mtk_status want) {
  obj *o = obj_new();
  mtk_pki_leaf_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = g_now;
  lo.usage = usage;
  lo.names = n;
  lo.days = days;
  lo.findings = &o->f;
  mtk_status s = mtk_pki_issue(ca, key, &lo, &o->der, &o->err);
  CHECK_STATUS(s, want);
  if (s != want) fprintf(stderr, "  %s\n", o->err.msg);
  if (s == MTK_OK) parse_cert(o);
  else CHECK_EQ_INT(o->der.len, 0);
  return o;
}

/* ---- field checks ---------------------------------------------------------- */

static const mtk_ext *ext(const obj *o, mtk_xk k) { return mtk_ext_get(&o->cert.exts, k); }

static uint32_t ku_bits(const obj *o) {
  const mtk_ext *e = ext(o, MTK_XK_KU);
  uint32_t bits = 0;
  CHECK(e != NULL);
  if (e == NULL) return 0;
  CHECK(e->critical);
  CHECK_STATUS(mtk_ext_key_usage(&e->value, &bits, NULL), MTK_OK);
  return bits;
}

/* The EKU OIDs, in order, as ids; returns the count. */
static size_t eku_ids(const obj *o, mtk_oid_id *ids, size_t cap) {
  const mtk_ext *e = ext(o, MTK_XK_EKU);
  if (e == NULL) return 0;
  CHECK(!e->critical);
  mtk_oid_iter it;
  mtk_cbs oid;
  mtk_oid_id id;
  size_t n = 0;
  CHECK(mtk_oid_iter_init_ext(&it, &e->value));
  while (mtk_oid_next(&it, &oid, &id) && n < cap) ids[n++] = id;
  return n;
}

static void check_eku(const obj *o, unsigned usage) {
  mtk_oid_id ids[8];
  size_t n = eku_ids(o, ids, 8);
  size_t want = ((usage & MTK_PKI_SERVER) ? 1u : 0u) + ((usage & MTK_PKI_CLIENT) ? 1u : 0u);
  CHECK_EQ_INT(n, want);
  size_t i = 0;
  if (usage & MTK_PKI_SERVER) CHECK(i < n && ids[i++] == MTK_OID_EKU_SERVER_AUTH);
  if (usage & MTK_PKI_CLIENT) CHECK(i < n && ids[i++] == MTK_OID_EKU_CLIENT_AUTH);
}

static mtk_cbs ski(const obj *o) {
  mtk_cbs id = {NULL, 0, 0};
  const mtk_ext *e = ext(o, MTK_XK_SKI);
  CHECK(e != NULL);
  if (e == NULL) return id;
  CHECK(!e->critical);
  CHECK_STATUS(mtk_ext_ski(&e->value, &id, NULL), MTK_OK);
  /* RFC 7093 2 method 1: leftmost 160 bits of SHA-256(subjectPublicKey). */
  uint8_t md[64];
  size_t md_len = sizeof(md);
  CHECK_STATUS(mtk_digest(MTK_DIGEST_SHA256, o->cert.spki.key.p, o->cert.spki.key.len, md, &md_len),
               MTK_OK);
  CHECK_EQ_INT(id.len, 20);
  CHECK(id.len == 20 && memcmp(id.p, md, 20) == 0);
  return id;
}

static void check_aki(const obj *o, const obj *issuer) {
  const mtk_ext *e = ext(o, MTK_XK_AKI);
  CHECK(e != NULL);
  if (e == NULL) return;
  CHECK(!e->critical);
  mtk_aki aki;
  CHECK_STATUS(mtk_ext_aki(&e->value, &aki, NULL), MTK_OK);
  CHECK(aki.has_keyid && !aki.has_issuer && !aki.has_serial);
  mtk_cbs id = ski(issuer);
  CHECK(aki.keyid.len == id.len && memcmp(aki.keyid.p, id.p, id.len) == 0);
  CHECK(mtk_name_eq(&o->cert.issuer, &issuer->cert.subject));
}

static void check_bc(const obj *o, bool ca, int pathlen) {
  const mtk_ext *e = ext(o, MTK_XK_BC);
  CHECK(e != NULL);
  if (e == NULL) return;
  CHECK(e->critical);
  mtk_basic_constraints bc;
  CHECK_STATUS(mtk_ext_basic_constraints(&e->value, &bc, NULL), MTK_OK);
  CHECK(bc.ca == ca);
  CHECK(bc.has_pathlen == (pathlen >= 0));
  if (pathlen >= 0) CHECK_EQ_INT(bc.pathlen, pathlen);
}

/* Serial: 16 octets, positive, no padding (RFC 5280 4.1.2.2). */
static void check_serial(const obj *o) {
  CHECK_EQ_INT(o->cert.serial.len, MTK_PKI_SERIAL_LEN);
  CHECK(!o->cert.serial_negative);
  CHECK(o->cert.serial.p[0] >= 0x01 && o->cert.serial.p[0] <= 0x7f);
}

/* notBefore = now - 5 min; the period, inclusive, is exactly |days|. */
static void check_validity(const obj *o, mtk_time now, int64_t days) {
  CHECK_EQ_INT(o->cert.not_before, now - MTK_PKI_BACKDATE);
  CHECK_EQ_INT(o->cert.not_after - o->cert.not_before + 1, days * DAY);
  CHECK_EQ_INT(o->cert.not_before_tag,
               o->cert.not_before < INT64_C(2524608000) ? MTK_ASN1_UTCTIME : MTK_ASN1_GENERALIZEDTIME);
  CHECK_EQ_INT(o->cert.not_after_tag,
               o->cert.not_after < INT64_C(2524608000) ? MTK_ASN1_UTCTIME : MTK_ASN1_GENERALIZEDTIME);
}

/* The subject's CN (at most one), or an empty view. */
static mtk_cbs subject_cn(const obj *o) {
  mtk_name_iter it;
  mtk_attr a;
  mtk_cbs cn = {NULL, 0, 0};
  int n = 0;
  mtk_name_iter_init(&it, &o->cert.subject);
  while (mtk_name_next(&it, &a)) {
    if (a.id != MTK_OID_AT_CN) continue;
    CHECK_EQ_INT(a.tag, MTK_ASN1_UTF8STRING);
    cn = a.value;
    n++;
  }
  CHECK(n <= 1);
  return cn;
}

static bool cbs_is(const mtk_cbs *c, const char *s) {
  return c->len == strlen(s) && memcmp(c->p, s, c->len) == 0;
}

/* The SAN entries, in order, must be exactly |want| ("DNS:x", "IP:4:..."). */
typedef struct want_gn {
  mtk_gn_type type;
  const char *text;          /* DNS, URI, email */
  const uint8_t *ip;         /* IP octets */
  size_t ip_len;
} want_gn;

static void check_san(const obj *o, const want_gn *w, size_t n, bool critical) {
  const mtk_ext *e = ext(o, MTK_XK_SAN);
  CHECK(e != NULL);
  if (e == NULL) return;
  CHECK(e->critical == critical);
  mtk_gn_iter it;
  mtk_gn g;
  size_t i = 0;
  CHECK(mtk_gn_iter_init_ext(&it, &e->value));
  while (mtk_gn_next(&it, &g)) {
    CHECK(i < n);
    if (i >= n) break;
    CHECK_EQ_INT(g.type, w[i].type);
    if (w[i].type == MTK_GN_IP)
      CHECK(g.value.len == w[i].ip_len && memcmp(g.value.p, w[i].ip, w[i].ip_len) == 0);
    else
      CHECK(cbs_is(&g.value, w[i].text));
    i++;
  }
  CHECK_EQ_INT(i, n);
}

/* The findings are exactly |ids|, all notices (no error, no warning). */
static void check_findings(const mtk_findings *f, const char *const *ids, size_t n) {
  CHECK_EQ_INT(f->n_error, 0);
  CHECK_EQ_INT(f->n_warning, 0);
  CHECK_EQ_INT(f->n, n);
  for (size_t i = 0; i < f->n; i++) {
    bool listed = false;
    for (size_t k = 0; k < n; k++) listed = listed || strcmp(f->items[i].check->id, ids[k]) == 0;
    if (!listed) fprintf(stderr, "  unexpected finding %s\n", f->items[i].check->id);
    CHECK(listed);
    CHECK_EQ_INT(f->items[i].severity, MTK_SEV_NOTICE);
  }
}

/* Lints |o| again, independently of the self-check, at |now|. */
static void relint(const obj *o, mtk_time now, bool private_pki, mtk_findings *f) {
  mtk_lint_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = now;
  lo.private_pki = private_pki;
  lo.parse_diag = &o->diag;
  memset(f, 0, sizeof(*f));
  CHECK_STATUS(mtk_lint_cert(&o->cert, &lo, f), MTK_OK);
}

/* The server-certificate notices that remain under private_pki (docs/pki.md). */
static const char *const k_server_notices[] = {"e_server_no_revocation_info",
                                               "e_cert_policies_missing", "n_server_no_sct"};

/* ---- chain verification ------------------------------------------------------ */

/* Why the last verification failed, printed by CHECK_VALID when one that
 * should pass does not. */
static char g_why[512];

#define CHECK_VALID(expr)                                                  \
  do {                                                                     \
    g_why[0] = '\0';                                                       \
    bool ok_ = (expr);                                                     \
    if (!ok_) fprintf(stderr, "  verification failed: %s\n", g_why);       \
    CHECK(ok_);                                                            \
  } while (0)

static X509 *x509_of(const obj *o) {
  const unsigned char *p = o->der.p;
  X509 *x = d2i_X509(NULL, &p, (long)o->der.len);
  CHECK(x != NULL);
  return x;
}

/* OpenSSL: X509_verify_cert at |at|, strict, for |purpose|. */
static bool ossl_verify(const obj *leaf, const obj *root, const obj *inter, int purpose,
                        mtk_time at) {
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  X509 *l = x509_of(leaf), *r = x509_of(root), *i = inter ? x509_of(inter) : NULL;
  STACK_OF(X509) *chain = sk_X509_new_null();
  bool ok = false;
  if (store && ctx && l && r && chain && X509_STORE_add_cert(store, r) == 1 &&
      (i == NULL || sk_X509_push(chain, i) > 0) && X509_STORE_CTX_init(ctx, store, l, chain) == 1) {
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(vp, (time_t)at);
    X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_X509_STRICT);
    CHECK(X509_STORE_CTX_set_purpose(ctx, purpose) == 1);
    ok = X509_verify_cert(ctx) == 1;
    if (!ok)
      snprintf(g_why, sizeof(g_why), "X509_verify_cert: %s",
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
  }
  sk_X509_free(chain);
  X509_free(i);
  X509_free(r);
  X509_free(l);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return ok;
}

/* mtlskit's own verifier (verify.h), RFC 5280 profile. */
static bool mtk_verify_ok(const obj *leaf, const obj *root, const obj *inter, mtk_purpose purpose,
                          mtk_time at) {
  mtk_trust *t = NULL;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = mtk_trust_new(root->der.p, root->der.len, NULL, 0, &t, &d);
  CHECK_STATUS(s, MTK_OK);
  if (s != MTK_OK) return false;
  mtk_verify_opts vo;
  mtk_verify_opts_init(&vo, at);
  vo.purpose = purpose;
  mtk_cbs untrusted = {inter ? inter->der.p : NULL, inter ? inter->der.len : 0, 0};
  mtk_verify_result *res = calloc(1, sizeof(*res));
  if (res == NULL) abort();
  mtk_verify_result_init(res);
  s = mtk_verify(t, leaf->der.p, leaf->der.len, inter ? &untrusted : NULL, inter ? 1 : 0, &vo, res);
  CHECK_STATUS(s, MTK_OK);
  bool ok = s == MTK_OK && res->valid;
  if (!ok && res->n_paths > 0 && res->paths[0].n_reasons > 0)
    snprintf(g_why, sizeof(g_why), "mtk_verify: %s", res->paths[0].reasons[0].msg);
  free(res);
  mtk_trust_free(t);
  return ok;
}

static void check_chain(const obj *leaf, const obj *root, const obj *inter, unsigned usage) {
  if (usage & MTK_PKI_SERVER) {
    CHECK_VALID(ossl_verify(leaf, root, inter, X509_PURPOSE_SSL_SERVER, g_now));
    CHECK_VALID(mtk_verify_ok(leaf, root, inter, MTK_PURPOSE_SERVER, g_now));
  }
  if (usage & MTK_PKI_CLIENT) {
    CHECK_VALID(ossl_verify(leaf, root, inter, X509_PURPOSE_SSL_CLIENT, g_now));
    CHECK_VALID(mtk_verify_ok(leaf, root, inter, MTK_PURPOSE_CLIENT, g_now));
  }
  /* Not before notBefore, not after notAfter. */
  CHECK(!ossl_verify(leaf, root, inter, X509_PURPOSE_ANY, leaf->cert.not_before - 1));
  CHECK(!ossl_verify(leaf, root, inter, X509_PURPOSE_ANY, leaf->cert.not_after + 1));
}

/* ==== keys ================================================================ */

TEST(key_types) {
  static const char *const names[] = {"ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096",
                                      "ed25519"};
  for (size_t i = 0; i < 6; i++) {
    mtk_pki_key_type t;
    CHECK(mtk_pki_key_type_parse(names[i], &t));
    CHECK_EQ_INT(t, (int)i + 1);
    CHECK_STR(mtk_pki_key_type_name(t), names[i]);
  }
  mtk_pki_key_type t;
  CHECK(!mtk_pki_key_type_parse("rsa-1024", &t));
  CHECK(!mtk_pki_key_type_parse("EC-P256", &t));
  CHECK(!mtk_pki_key_type_parse(NULL, &t));
  CHECK_STR(mtk_pki_key_type_name((mtk_pki_key_type)99), "unknown");
  mtk_pki_key *k = NULL;
  CHECK_STATUS(mtk_pki_key_generate((mtk_pki_key_type)0, &k), MTK_ERR_ARG);
  CHECK(k == NULL);
}

/* The PEM a key is written as reads back as the same key; encrypted keys
 * and keys of other types are refused. */
TEST(key_pem_round_trip) {
  mtk_pki_key_type types[] = {MTK_PKI_KEY_EC_P256, MTK_PKI_KEY_EC_P384, MTK_PKI_KEY_ED25519};
  for (size_t i = 0; i < 3; i++) {
    mtk_pki_key *k = gen(types[i]), *k2 = NULL;
    mtk_buf pem, a, b;
    mtk_buf_init(&pem, 1 << 16);
    mtk_buf_init(&a, 1 << 16);
    mtk_buf_init(&b, 1 << 16);
    CHECK_STATUS(mtk_pki_key_pem(k, &pem), MTK_OK);
    CHECK(pem.len > 27 && memcmp(pem.p, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
    CHECK_STATUS(mtk_pki_key_load(pem.p, pem.len, &k2), MTK_OK);
    CHECK_STATUS(mtk_pki_key_spki(k, &a), MTK_OK);
    if (k2 != NULL) CHECK_STATUS(mtk_pki_key_spki(k2, &b), MTK_OK);
    CHECK(a.len > 0 && a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
    mtk_pki_err err;
    CHECK_STATUS(mtk_pki_key_check(k, &err), MTK_OK);
    mtk_pki_buf_wipe(&pem);
    CHECK(pem.p == NULL && pem.len == 0);
    mtk_buf_free(&a);
    mtk_buf_free(&b);
    mtk_pki_key_free(k);
    mtk_pki_key_free(k2);
  }
  /* An encrypted PKCS#8 key: refused without a prompt. */
  EVP_PKEY *pk = tb_key_pkey(tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1));
  BIO *bio = BIO_new(BIO_s_mem());
  CHECK(PEM_write_bio_PKCS8PrivateKey(bio, pk, EVP_aes_256_cbc(), "secret", 6, NULL, NULL) == 1);
  char *data = NULL;
  long n = BIO_get_mem_data(bio, &data);
  mtk_pki_key *k = NULL;
  CHECK_STATUS(mtk_pki_key_load((const uint8_t *)data, (size_t)n, &k), MTK_ERR_KEY_PARSE);
  CHECK(k == NULL);
  BIO_free(bio);
  CHECK_STATUS(mtk_pki_key_load((const uint8_t *)"junk", 4, &k), MTK_ERR_KEY_PARSE);
  /* RSA-1024, DSA-less but P-192 and Ed448: loaded, then refused by the policy. */
  char *pem = NULL;
  size_t pem_len = 0;
  const tb_key *weak[] = {tb_key_new(TB_KEY_RSA, 1024), tb_key_new(TB_KEY_EC, NID_X9_62_prime192v1),
                          tb_key_new(TB_KEY_ED448, 0), tb_key_new(TB_KEY_RSA_E3, 2048)};
  for (size_t i = 0; i < 4; i++) {
    CHECK(weak[i] != NULL);
    if (weak[i] == NULL || tb_private_key_pem(weak[i], &pem, &pem_len) != 0) continue;
    CHECK_STATUS(mtk_pki_key_load((const uint8_t *)pem, pem_len, &k), MTK_OK);
    mtk_pki_err err;
    memset(&err, 0, sizeof(err));
    CHECK_STATUS(mtk_pki_key_check(k, &err), MTK_ERR_PKI_WEAK_KEY);
    CHECK_EQ_INT(err.code, MTK_ERR_PKI_WEAK_KEY);
    CHECK(err.msg[0] != '\0');
    mtk_pki_key_free(k);
    k = NULL;
    free(pem);
  }
}

/* ==== CA certificates ======================================================= */

TEST(root_ec_p256) {
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(key, 0, 0, g_now);
  CHECK_EQ_INT(r->cert.version, 3);
  check_serial(r);
  check_validity(r, g_now, MTK_PKI_CA_DAYS_DEFAULT);
  check_bc(r, true, 0);
  CHECK_EQ_INT(ku_bits(r), MTK_KU_KEY_CERT_SIGN | MTK_KU_CRL_SIGN);
  mtk_cbs id = ski(r);
  CHECK(ext(r, MTK_XK_AKI) == NULL); /* self-signed: RFC 5280 4.2.1.1 allows none */
  CHECK(ext(r, MTK_XK_EKU) == NULL && ext(r, MTK_XK_SAN) == NULL);
  CHECK_EQ_INT(r->cert.exts.count, 3);
  CHECK(mtk_cert_is_self_issued(&r->cert));
  CHECK_EQ_INT(r->cert.sig_alg.id, MTK_OID_ECDSA_SHA256);
  /* The default name ends with the key id, so two developers' CAs differ. */
  char want[64];
  snprintf(want, sizeof(want), "mtlskit development CA %02x%02x%02x%02x", id.p[0], id.p[1],
           id.p[2], id.p[3]);
  mtk_cbs cn = subject_cn(r);
  CHECK(cbs_is(&cn, want));
  check_findings(&r->f, NULL, 0);
  mtk_findings f;
  relint(r, g_now, false, &f); /* a CA has no public-only finding at all */
  check_findings(&f, NULL, 0);
  CHECK_STATUS(mtk_verify_signature(r->cert.tbs.p, r->cert.tbs.len, r->cert.sig_alg.elem.p,
                                    r->cert.sig_alg.elem.len, r->cert.signature.p,
                                    r->cert.signature.len, r->cert.spki.elem.p,
                                    r->cert.spki.elem.len),
               MTK_OK);
  obj_free(r);
  mtk_pki_key_free(key);
}

TEST(root_names_and_days) {
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P384);
  obj *r = obj_new();
  mtk_pki_ca_opts co;
  memset(&co, 0, sizeof(co));
  co.now = g_now;
  co.common_name = "Example Dev Root \xc3\xa9";
  co.organization = "Example Org";
  co.days = 365;
  co.path_len = -1;
  CHECK_STATUS(mtk_pki_make_root(key, &co, &r->der, &r->err), MTK_OK);
  parse_cert(r);
  check_validity(r, g_now, 365);
  check_bc(r, true, -1);
  CHECK_EQ_INT(r->cert.sig_alg.id, MTK_OID_ECDSA_SHA384); /* P-384 signs with SHA-384 */
  CHECK_EQ_INT(r->cert.subject.n_rdns, 2);
  mtk_cbs cn = subject_cn(r);
  CHECK(cbs_is(&cn, "Example Dev Root \xc3\xa9"));
  /* Bad names and periods. */
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  mtk_pki_err err;
  co.common_name = "bad\x01name";
  CHECK_STATUS(mtk_pki_make_root(key, &co, &b, &err), MTK_ERR_PKI_NAME);
  co.common_name = "\xe2\x80\xae" "evil"; /* U+202E right-to-left override */
  CHECK_STATUS(mtk_pki_make_root(key, &co, &b, &err), MTK_ERR_PKI_NAME);
  co.common_name = "this common name is far too long for ub-common-name, which is sixty-four";
  CHECK_STATUS(mtk_pki_make_root(key, &co, &b, &err), MTK_ERR_PKI_NAME);
  co.common_name = NULL;
  co.days = MTK_PKI_CA_DAYS_MAX + 1;
  CHECK_STATUS(mtk_pki_make_root(key, &co, &b, &err), MTK_ERR_PKI_POLICY);
  co.days = 9000;
  co.now = INT64_C(253402300799) - 100 * DAY; /* would pass 9999-12-31 */
  CHECK_STATUS(mtk_pki_make_root(key, &co, &b, &err), MTK_ERR_PKI_POLICY);
  CHECK_EQ_INT(b.len, 0);
  mtk_buf_free(&b);
  obj_free(r);
  mtk_pki_key_free(key);
}

/* RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
TEST(root_after_2050) {
  mtk_time now;
  CHECK(mtk_time_from_civil(2045, 1, 1, 0, 0, 0, &now));
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(key, 0, 3650, now);
  check_validity(r, now, 3650);
  CHECK_EQ_INT(r->cert.not_before_tag, MTK_ASN1_UTCTIME);
  CHECK_EQ_INT(r->cert.not_after_tag, MTK_ASN1_GENERALIZEDTIME);
  check_findings(&r->f, NULL, 0);
  obj_free(r);
  mtk_pki_key_free(key);
}

TEST(ca_new_refusals) {
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P256), *other = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(key, 0, 0, g_now);
  mtk_pki_ca *ca = NULL;
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  CHECK_STATUS(mtk_pki_ca_new(r->der.p, r->der.len, other, &ca, &err), MTK_ERR_PKI_NOT_CA);
  CHECK(strstr(err.msg, "does not belong") != NULL);
  CHECK(ca == NULL);
  /* A leaf certificate is not a CA. */
  ca = ca_of(r, key);
  const char *dns[] = {"leaf.example"};
  obj *l = issue(ca, other, MTK_PKI_SERVER, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 0, MTK_OK);
  mtk_pki_ca *bad = NULL;
  CHECK_STATUS(mtk_pki_ca_new(l->der.p, l->der.len, other, &bad, &err), MTK_ERR_PKI_NOT_CA);
  CHECK(strstr(err.msg, "basicConstraints") != NULL);
  /* pathLenConstraint 0: no intermediate under it. */
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  mtk_pki_ca_opts co;
  memset(&co, 0, sizeof(co));
  co.now = g_now;
  co.path_len = -1;
  CHECK_STATUS(mtk_pki_make_intermediate(ca, other, &co, &b, &err), MTK_ERR_PKI_NOT_CA);
  /* Garbage is not a certificate. */
  CHECK(mtk_pki_ca_new((const uint8_t *)"\x30\x03\x02\x01\x01", 5, key, &bad, &err) != MTK_OK);
  CHECK(bad == NULL);
  mtk_buf_free(&b);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(key);
  mtk_pki_key_free(other);
}

/* ==== leaves =============================================================== */

TEST(server_ec) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *dns[] = {"API.Example.com", "localhost", "api.example.com", "*.svc.example.com"};
  const char *ip[] = {"127.0.0.1", "::1", "2001:DB8:0:0::7"};
  obj *l = issue(ca, lk, MTK_PKI_SERVER, names_of(dns, 4, ip, 3, NULL, 0, NULL, 0), 0, MTK_OK);
  CHECK_EQ_INT(l->cert.version, 3);
  check_serial(l);
  check_validity(l, g_now, 90);
  check_bc(l, false, -1);
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE); /* no keyEncipherment for EC (RFC 8813) */
  check_eku(l, MTK_PKI_SERVER);
  ski(l);
  check_aki(l, r);
  static const uint8_t lo4[] = {127, 0, 0, 1};
  static const uint8_t lo6[16] = {[15] = 1};
  static const uint8_t doc6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 7};
  /* Upper case folded, the duplicate dropped, order kept. */
  want_gn w[] = {{MTK_GN_DNS, "api.example.com", NULL, 0}, {MTK_GN_DNS, "localhost", NULL, 0},
                 {MTK_GN_DNS, "*.svc.example.com", NULL, 0}, {MTK_GN_IP, NULL, lo4, 4},
                 {MTK_GN_IP, NULL, lo6, 16}, {MTK_GN_IP, NULL, doc6, 16}};
  check_san(l, w, 6, false);
  mtk_cbs cn = subject_cn(l);
  CHECK(cbs_is(&cn, "api.example.com")); /* the first DNS name, among the SANs */
  CHECK_EQ_INT(l->cert.subject.n_rdns, 1);
  CHECK(ext(l, MTK_XK_CRLDP) == NULL && ext(l, MTK_XK_AIA) == NULL && ext(l, MTK_XK_CP) == NULL);
  CHECK_EQ_INT(l->cert.exts.count, 6);
  CHECK_EQ_INT(l->cert.sig_alg.id, MTK_OID_ECDSA_SHA256);
  check_findings(&l->f, k_server_notices, 3);
  mtk_findings f;
  relint(l, g_now, true, &f);
  check_findings(&f, k_server_notices, 3);
  /* Without --private-pki those public-CA rules are errors (docs/pki.md). */
  relint(l, g_now, false, &f);
  CHECK_EQ_INT(f.n_error, 2);
  CHECK_EQ_INT(f.n_warning, 0);
  check_chain(l, r, NULL, MTK_PKI_SERVER);
  /* A server certificate is not a client certificate. */
  CHECK(!ossl_verify(l, r, NULL, X509_PURPOSE_SSL_CLIENT, g_now));
  obj_free(l);
  /* One IP address only: the CN is the address. */
  l = issue(ca, lk, MTK_PKI_SERVER, names_of(NULL, 0, ip, 1, NULL, 0, NULL, 0), 0, MTK_OK);
  cn = subject_cn(l);
  CHECK(cbs_is(&cn, "127.0.0.1"));
  check_findings(&l->f, k_server_notices, 3);
  check_chain(l, r, NULL, MTK_PKI_SERVER);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

TEST(server_rsa) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_RSA_2048), *lk = gen(MTK_PKI_KEY_RSA_2048);
  obj *r = make_root(ck, 0, 0, g_now);
  check_findings(&r->f, NULL, 0);
  CHECK_EQ_INT(r->cert.sig_alg.id, MTK_OID_SHA256_RSA);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *dns[] = {"rsa.example.com"};
  obj *l = issue(ca, lk, MTK_PKI_SERVER, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 30, MTK_OK);
  check_validity(l, g_now, 30);
  /* keyEncipherment for TLS 1.2 RSA key transport, with digitalSignature. */
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE | MTK_KU_KEY_ENCIPHERMENT);
  check_eku(l, MTK_PKI_SERVER);
  check_serial(l);
  check_aki(l, r);
  CHECK_EQ_INT(l->cert.spki.type, MTK_KEY_RSA);
  CHECK_EQ_INT(l->cert.spki.bits, 2048);
  CHECK_EQ_INT(l->cert.sig_alg.id, MTK_OID_SHA256_RSA);
  check_findings(&l->f, k_server_notices, 3);
  check_chain(l, r, NULL, MTK_PKI_SERVER);
  obj_free(l);
  /* An RSA client key gets digitalSignature only. */
  l = issue(ca, lk, MTK_PKI_CLIENT, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 0, MTK_OK);
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE);
  check_findings(&l->f, NULL, 0);
  check_chain(l, r, NULL, MTK_PKI_CLIENT);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

TEST(client_spiffe) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *uri[] = {"spiffe://example.org/ns/prod/sa/web"};
  const char *email[] = {"Web@Example.ORG"};
  obj *l = issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, uri, 1, email, 1), 0, MTK_OK);
  check_serial(l);
  check_validity(l, g_now, 90);
  check_bc(l, false, -1);
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE); /* X.509-SVID 4.3 */
  check_eku(l, MTK_PKI_CLIENT);
  ski(l);
  check_aki(l, r);
  want_gn w[] = {{MTK_GN_URI, "spiffe://example.org/ns/prod/sa/web", NULL, 0},
                 {MTK_GN_EMAIL, "Web@example.org", NULL, 0}}; /* domain folded, local part kept */
  check_san(l, w, 2, false);
  mtk_cbs cn = subject_cn(l);
  CHECK(cbs_is(&cn, "spiffe://example.org/ns/prod/sa/web"));
  check_findings(&l->f, NULL, 0); /* a client certificate: nothing at all */
  mtk_findings f;
  relint(l, g_now, false, &f);
  check_findings(&f, NULL, 0);
  check_chain(l, r, NULL, MTK_PKI_CLIENT);
  CHECK(!ossl_verify(l, r, NULL, X509_PURPOSE_SSL_SERVER, g_now));
  obj_free(l);
  /* A SPIFFE ID longer than 64 characters: empty subject, critical SAN. */
  const char *longid[] = {"spiffe://example.org/ns/production/serviceaccount/a-very-long-workload-name"};
  l = issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, longid, 1, NULL, 0), 0, MTK_OK);
  CHECK_EQ_INT(l->cert.subject.n_rdns, 0);
  want_gn w2[] = {{MTK_GN_URI, longid[0], NULL, 0}};
  check_san(l, w2, 1, true);
  check_findings(&l->f, NULL, 0);
  check_chain(l, r, NULL, MTK_PKI_CLIENT);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

/* Both usages: the one notice public CAs care about (Chrome's 2027 rule). */
TEST(server_and_client) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *dns[] = {"peer.example.com"};
  obj *l = issue(ca, lk, MTK_PKI_SERVER | MTK_PKI_CLIENT,
                 names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 0, MTK_OK);
  check_eku(l, MTK_PKI_SERVER | MTK_PKI_CLIENT);
  const char *const want[] = {"e_server_no_revocation_info", "e_cert_policies_missing",
                              "n_server_no_sct", "n_client_auth_in_public_server_cert"};
  check_findings(&l->f, want, 4);
  check_chain(l, r, NULL, MTK_PKI_SERVER | MTK_PKI_CLIENT);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

/* Dated public-CA rules (docs/pki.md): from 2027-03-15 clientAuth in a
 * server certificate, from 2029-03-15 a server period over 47 days; both
 * stay notices under private_pki. */
TEST(dated_public_rules) {
  mtk_time saved = g_now;
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  const char *dns[] = {"peer.example.com"};
  mtk_pki_names n = names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0);
  CHECK(mtk_time_from_civil(2027, 4, 1, 0, 0, 0, &g_now));
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  obj *l = issue(ca, lk, MTK_PKI_SERVER | MTK_PKI_CLIENT, n, 0, MTK_OK);
  const char *const both[] = {"e_server_no_revocation_info", "e_cert_policies_missing",
                              "n_server_no_sct", "e_server_cert_has_client_auth_eku"};
  check_findings(&l->f, both, 4);
  obj_free(l);
  CHECK(mtk_time_from_civil(2029, 4, 1, 0, 0, 0, &g_now));
  l = issue(ca, lk, MTK_PKI_SERVER, n, 0, MTK_OK);
  const char *const longer[] = {"e_server_no_revocation_info", "e_cert_policies_missing",
                                "n_server_no_sct", "e_server_validity_too_long"};
  check_findings(&l->f, longer, 4);
  obj_free(l);
  l = issue(ca, lk, MTK_PKI_SERVER, n, 47, MTK_OK);
  check_findings(&l->f, k_server_notices, 3);
  obj_free(l);
  g_now = saved;
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

TEST(ed25519) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_ED25519), *lk = gen(MTK_PKI_KEY_ED25519);
  obj *r = make_root(ck, 0, 0, g_now);
  CHECK_EQ_INT(r->cert.sig_alg.id, MTK_OID_ED25519);
  CHECK(!r->cert.sig_alg.has_params);
  const char *const ed[] = {"e_key_algorithm_not_allowed_public",
                            "e_signature_algorithm_not_allowed_public"};
  check_findings(&r->f, ed, 2);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *uri[] = {"spiffe://example.org/ed"};
  obj *l = issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, uri, 1, NULL, 0), 0, MTK_OK);
  CHECK_EQ_INT(l->cert.spki.type, MTK_KEY_ED25519);
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE);
  check_aki(l, r);
  check_serial(l);
  check_validity(l, g_now, 90);
  check_findings(&l->f, ed, 2);
  check_chain(l, r, NULL, MTK_PKI_CLIENT);
  obj_free(l);
  /* An Ed25519 server key: no keyEncipherment (RFC 8410 5). */
  const char *dns[] = {"ed.example.com"};
  l = issue(ca, lk, MTK_PKI_SERVER, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 0, MTK_OK);
  CHECK_EQ_INT(ku_bits(l), MTK_KU_DIGITAL_SIGNATURE);
  const char *const eds[] = {"e_key_algorithm_not_allowed_public",
                             "e_signature_algorithm_not_allowed_public",
                             "e_server_no_revocation_info", "e_cert_policies_missing",
                             "n_server_no_sct"};
  check_findings(&l->f, eds, 5);
  check_chain(l, r, NULL, MTK_PKI_SERVER);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

TEST(via_intermediate) {
  mtk_pki_key *rk = gen(MTK_PKI_KEY_EC_P384), *ik = gen(MTK_PKI_KEY_EC_P256),
              *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(rk, 1, 0, g_now - 2 * DAY);
  mtk_pki_ca *root = ca_of(r, rk);
  obj *i = obj_new();
  mtk_pki_ca_opts co;
  memset(&co, 0, sizeof(co));
  co.now = g_now - DAY;
  co.path_len = 0;
  co.common_name = "Example Issuing CA";
  co.findings = &i->f;
  CHECK_STATUS(mtk_pki_make_intermediate(root, ik, &co, &i->der, &i->err), MTK_OK);
  parse_cert(i);
  check_bc(i, true, 0);
  CHECK_EQ_INT(ku_bits(i), MTK_KU_KEY_CERT_SIGN | MTK_KU_CRL_SIGN);
  check_aki(i, r);
  check_serial(i);
  CHECK_EQ_INT(i->cert.sig_alg.id, MTK_OID_ECDSA_SHA384); /* signed by the P-384 root */
  CHECK(!mtk_cert_is_self_issued(&i->cert));
  /* By default it ends with the root. */
  CHECK_EQ_INT(i->cert.not_before, g_now - DAY - MTK_PKI_BACKDATE);
  CHECK(i->cert.not_after <= r->cert.not_after);
  CHECK(r->cert.not_after - i->cert.not_after < DAY);
  check_findings(&i->f, NULL, 0);
  /* pathLenConstraint must shrink down the path. */
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  mtk_pki_err err;
  co.path_len = 1;
  CHECK_STATUS(mtk_pki_make_intermediate(root, ik, &co, &b, &err), MTK_ERR_PKI_NOT_CA);
  /* An explicit period past the root's end is refused. */
  co.path_len = 0;
  co.days = MTK_PKI_CA_DAYS_DEFAULT + 10;
  CHECK_STATUS(mtk_pki_make_intermediate(root, ik, &co, &b, &err), MTK_ERR_PKI_POLICY);
  CHECK(strstr(err.msg, "after its CA expires") != NULL);
  mtk_buf_free(&b);

  mtk_pki_ca *inter = ca_of(i, ik);
  const char *dns[] = {"svc.example.com"};
  const char *uri[] = {"spiffe://example.com/svc"};
  obj *l = issue(inter, lk, MTK_PKI_SERVER | MTK_PKI_CLIENT,
                 names_of(dns, 1, NULL, 0, uri, 1, NULL, 0), 0, MTK_OK);
  check_aki(l, i);
  check_serial(l);
  check_validity(l, g_now, 90);
  CHECK_EQ_INT(l->cert.sig_alg.id, MTK_OID_ECDSA_SHA256);
  check_chain(l, r, i, MTK_PKI_SERVER | MTK_PKI_CLIENT);
  /* Without the intermediate there is no path. */
  CHECK(!ossl_verify(l, r, NULL, X509_PURPOSE_SSL_SERVER, g_now));
  CHECK(!mtk_verify_ok(l, r, NULL, MTK_PURPOSE_SERVER, g_now));
  obj_free(l);
  obj_free(i);
  obj_free(r);
  mtk_pki_ca_free(inter);
  mtk_pki_ca_free(root);
  mtk_pki_key_free(rk);
  mtk_pki_key_free(ik);
  mtk_pki_key_free(lk);
}

TEST(revocation_urls) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *dns[] = {"crl.example.com"};
  obj *l = obj_new();
  mtk_pki_leaf_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = g_now;
  lo.usage = MTK_PKI_SERVER;
  lo.names = names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0);
  lo.crl_url = "http://pki.example.com/ca.crl";
  lo.ocsp_url = "http://ocsp.example.com";
  lo.findings = &l->f;
  CHECK_STATUS(mtk_pki_issue(ca, lk, &lo, &l->der, &l->err), MTK_OK);
  parse_cert(l);
  CHECK(ext(l, MTK_XK_CRLDP) != NULL && ext(l, MTK_XK_AIA) != NULL);
  const char *const want[] = {"e_cert_policies_missing", "n_server_no_sct"};
  check_findings(&l->f, want, 2);
  /* A CRL alone: OCSP's absence is a notice of its own. */
  mtk_buf_free(&l->der);
  lo.ocsp_url = NULL;
  CHECK_STATUS(mtk_pki_issue(ca, lk, &lo, &l->der, &l->err), MTK_OK);
  const char *const want2[] = {"e_cert_policies_missing", "n_server_no_sct", "n_aia_ocsp_missing"};
  check_findings(&l->f, want2, 3);
  /* Only http:// URLs. */
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  mtk_pki_err err;
  lo.crl_url = "https://pki.example.com/ca.crl";
  CHECK_STATUS(mtk_pki_issue(ca, lk, &lo, &b, &err), MTK_ERR_PKI_NAME);
  lo.crl_url = "http://pki.example.com/a b";
  CHECK_STATUS(mtk_pki_issue(ca, lk, &lo, &b, &err), MTK_ERR_PKI_NAME);
  mtk_buf_free(&b);
  obj_free(l);
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

/* Names and periods that are refused, each with a message. */
TEST(issue_refusals) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256), *lk = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 1000, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  static const char *const bad_dns[] = {
      "a_b.example.com", "*.com", "f*.example.com", "www.*.example.com", "example.com.",
      "-a.example.com", "a-.example.com", "a..example.com", ".example.com", "",
      "192.0.2.1", "host.123", "caf\xc3\xa9.example", "sp ace.example",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example"};
  for (size_t i = 0; i < sizeof(bad_dns) / sizeof(bad_dns[0]); i++) {
    obj *l = issue(ca, lk, MTK_PKI_SERVER, names_of(&bad_dns[i], 1, NULL, 0, NULL, 0, NULL, 0), 0,
                   MTK_ERR_PKI_NAME);
    CHECK(l->err.msg[0] != '\0');
    obj_free(l);
  }
  static const char *const bad_ip[] = {"256.0.0.1", "fe80::1%eth0", "10.0.0.0/8", "localhost", ""};
  for (size_t i = 0; i < sizeof(bad_ip) / sizeof(bad_ip[0]); i++)
    obj_free(issue(ca, lk, MTK_PKI_SERVER, names_of(NULL, 0, &bad_ip[i], 1, NULL, 0, NULL, 0), 0,
                   MTK_ERR_PKI_NAME));
  static const char *const bad_uri[] = {
      "spiffe://example.org",          "spiffe://example.org/",        "spiffe://Example.org/a",
      "SPIFFE://example.org/a",        "spiffe://example.org/a/../b",  "spiffe://example.org/a//b",
      "spiffe://example.org:8443/a",   "spiffe://u@example.org/a",     "spiffe://example.org/a?x=1",
      "spiffe:///a",                   "no-scheme",                    "http://a b",
      ":x"};
  for (size_t i = 0; i < sizeof(bad_uri) / sizeof(bad_uri[0]); i++)
    obj_free(issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, &bad_uri[i], 1, NULL, 0), 0,
                   MTK_ERR_PKI_NAME));
  static const char *const bad_email[] = {"no-at.example.com", "@example.com", "a@", "a..b@example.com",
                                          "a@b@example.com", "a b@example.com", "a@_x.example"};
  for (size_t i = 0; i < sizeof(bad_email) / sizeof(bad_email[0]); i++)
    obj_free(issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, NULL, 0, &bad_email[i], 1),
                   0, MTK_ERR_PKI_NAME));
  /* A SPIFFE ID must be the only URI (X.509-SVID 2). */
  const char *two[] = {"spiffe://example.org/a", "https://example.org/b"};
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, two, 2, NULL, 0), 0,
                 MTK_ERR_PKI_NAME));
  /* A server needs a DNS name or an IP address; nobody goes without names. */
  const char *uri[] = {"spiffe://example.org/a"};
  obj *l = issue(ca, lk, MTK_PKI_SERVER, names_of(NULL, 0, NULL, 0, uri, 1, NULL, 0), 0,
                 MTK_ERR_PKI_NAME);
  CHECK(strstr(l->err.msg, "--dns or --ip") != NULL);
  obj_free(l);
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, NULL, 0, NULL, 0), 0,
                 MTK_ERR_PKI_NAME));
  /* Periods: servers at most 398 days, nothing past the CA. */
  const char *dns[] = {"ok.example.com"};
  mtk_pki_names n = names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0);
  obj_free(issue(ca, lk, MTK_PKI_SERVER, n, 398, MTK_OK));
  obj_free(issue(ca, lk, MTK_PKI_SERVER, n, 399, MTK_ERR_PKI_POLICY));
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, n, 1000, MTK_OK)); /* ends with the CA */
  obj *late = issue(ca, lk, MTK_PKI_CLIENT, n, 1001, MTK_ERR_PKI_POLICY);
  CHECK(strstr(late->err.msg, "use --days 1000 or less") != NULL);
  obj_free(late);
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, n, 3651, MTK_ERR_PKI_POLICY));
  obj_free(issue(ca, lk, 0, n, 0, MTK_ERR_ARG));
  /* An expired CA, a CA not yet valid. */
  mtk_time saved = g_now;
  g_now = r->cert.not_after + 1;
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, n, 1, MTK_ERR_PKI_POLICY));
  g_now = r->cert.not_before - 1;
  obj_free(issue(ca, lk, MTK_PKI_CLIENT, n, 1, MTK_ERR_PKI_POLICY));
  g_now = saved;
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
  mtk_pki_key_free(lk);
}

/* Serials differ and are all 16 positive octets. */
TEST(serials_random) {
  mtk_pki_key *ck = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(ck, 0, 0, g_now);
  mtk_pki_ca *ca = ca_of(r, ck);
  const char *dns[] = {"s.example.com"};
  uint8_t seen[32][16];
  for (size_t i = 0; i < 32; i++) {
    obj *l = issue(ca, ck, MTK_PKI_CLIENT, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), 0, MTK_OK);
    check_serial(l);
    memcpy(seen[i], l->cert.serial.p, 16);
    for (size_t k = 0; k < i; k++) CHECK(memcmp(seen[k], seen[i], 16) != 0);
    obj_free(l);
  }
  obj_free(r);
  mtk_pki_ca_free(ca);
  mtk_pki_key_free(ck);
}

/* ==== requests ============================================================== */

static obj *make_csr(const mtk_pki_key *key, const char *subject, unsigned usage, mtk_pki_names n,
                     mtk_status want) {
  obj *o = obj_new();
  mtk_pki_csr_opts co;
  memset(&co, 0, sizeof(co));
  co.now = g_now;
  co.subject = subject;
  co.usage = usage;
  co.names = n;
  co.findings = &o->f;
  mtk_status s = mtk_pki_make_csr(key, &co, &o->der, &o->err);
  CHECK_STATUS(s, want);
  if (s != want) fprintf(stderr, "  %s\n", o->err.msg);
  if (s == MTK_OK) {
    mtk_diag_init(&o->diag);
    CHECK_STATUS(mtk_csr_parse(&o->csr, o->der.p, o->der.len, &o->diag), MTK_OK);
  }
  return o;
}

static void csr_lint(const obj *o, bool private_pki, mtk_findings *f) {
  mtk_lint_opts lo;
  memset(&lo, 0, sizeof(lo));
  lo.now = g_now;
  lo.private_pki = private_pki;
  lo.parse_diag = &o->diag;
  memset(f, 0, sizeof(*f));
  CHECK_STATUS(mtk_lint_csr(&o->csr, &lo, f), MTK_OK);
}

TEST(csr_make) {
  mtk_pki_key *k = gen(MTK_PKI_KEY_EC_P256);
  const char *dns[] = {"api.example.com", "api2.example.com"};
  const char *ip[] = {"10.0.0.1"};
  obj *o = make_csr(k, NULL, MTK_PKI_SERVER, names_of(dns, 2, ip, 1, NULL, 0, NULL, 0), MTK_OK);
  CHECK(o->csr.has_ext_request);
  CHECK_EQ_INT(o->csr.exts.count, 3);
  const mtk_ext *san = mtk_ext_get(&o->csr.exts, MTK_XK_SAN);
  CHECK(san != NULL && !san->critical);
  const mtk_ext *eku = mtk_ext_get(&o->csr.exts, MTK_XK_EKU);
  CHECK(eku != NULL && mtk_ext_has_eku(&eku->value, MTK_OID_EKU_SERVER_AUTH) &&
        !mtk_ext_has_eku(&eku->value, MTK_OID_EKU_CLIENT_AUTH));
  CHECK(mtk_ext_get(&o->csr.exts, MTK_XK_KU) != NULL);
  CHECK_EQ_INT(o->csr.subject.n_rdns, 1);
  CHECK_EQ_INT(o->csr.sig_alg.id, MTK_OID_ECDSA_SHA256);
  check_findings(&o->f, NULL, 0);
  mtk_findings f;
  csr_lint(o, false, &f); /* the CSR profile, public rules included */
  check_findings(&f, NULL, 0);
  CHECK_STATUS(mtk_verify_signature(o->csr.tbs.p, o->csr.tbs.len, o->csr.sig_alg.elem.p,
                                    o->csr.sig_alg.elem.len, o->csr.signature.p,
                                    o->csr.signature.len, o->csr.spki.elem.p, o->csr.spki.elem.len),
               MTK_OK);
  obj_free(o);

  /* RFC 4514 order: "CN=...,O=...,C=DE" is C, O, CN in the encoding. */
  o = make_csr(k, "CN=api.example.com, O=Example\\, Inc., C=DE", 0,
               names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), MTK_OK);
  CHECK_EQ_INT(o->csr.subject.n_rdns, 3);
  mtk_name_iter it;
  mtk_attr a;
  mtk_oid_id order[3] = {MTK_OID_AT_C, MTK_OID_AT_O, MTK_OID_AT_CN};
  size_t i = 0;
  mtk_name_iter_init(&it, &o->csr.subject);
  while (mtk_name_next(&it, &a) && i < 3) {
    CHECK_EQ_INT(a.id, order[i]);
    if (a.id == MTK_OID_AT_O) CHECK(cbs_is(&a.value, "Example, Inc."));
    if (a.id == MTK_OID_AT_C) CHECK_EQ_INT(a.tag, MTK_ASN1_PRINTABLESTRING);
    i++;
  }
  CHECK_EQ_INT(i, 3);
  CHECK(mtk_ext_get(&o->csr.exts, MTK_XK_EKU) == NULL); /* no usage: SAN only */
  check_findings(&o->f, NULL, 0);
  obj_free(o);
  /* OpenSSL's slash form is in encoding order. */
  o = make_csr(k, "/O=Example/OU=Dev/OU=Ops/CN=api.example.com", 0,
               names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), MTK_OK);
  CHECK_EQ_INT(o->csr.subject.n_rdns, 4);
  check_findings(&o->f, NULL, 0);
  obj_free(o);

  /* A SPIFFE-only client request: empty subject, critical SAN. */
  const char *uri[] = {"spiffe://example.org/ns/a"};
  mtk_pki_key *ek = gen(MTK_PKI_KEY_ED25519);
  o = make_csr(ek, NULL, MTK_PKI_CLIENT, names_of(NULL, 0, NULL, 0, uri, 1, NULL, 0), MTK_OK);
  CHECK_EQ_INT(o->csr.subject.n_rdns, 0);
  san = mtk_ext_get(&o->csr.exts, MTK_XK_SAN);
  CHECK(san != NULL && san->critical);
  CHECK_EQ_INT(o->csr.sig_alg.id, MTK_OID_ED25519);
  const char *const ed[] = {"e_key_algorithm_not_allowed_public"};
  check_findings(&o->f, ed, 1);
  obj_free(o);
  mtk_pki_key_free(ek);

  /* Refusals. */
  mtk_pki_names n = names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0);
  static const char *const bad_subjects[] = {
      "CN=other.example.com",             /* CN not among the names */
      "CN=api.example.com+O=Example",     /* multi-valued RDN */
      "CN=api.example.com,CN=api.example.com", /* twice */
      "emailAddress=a@example.com",       /* use --email */
      "C=Germany",                        /* not ISO 3166 */
      "C=de",
      "O=",                               /* empty */
      "CN=api.example.com,",              /* trailing separator */
      "CN=\"api.example.com\"",           /* quotes */
      "O=bad\\zz",                        /* bad escape */
      "X=1",                              /* unknown attribute */
      "noequals",
  };
  for (size_t k2 = 0; k2 < sizeof(bad_subjects) / sizeof(bad_subjects[0]); k2++) {
    obj *b = make_csr(k, bad_subjects[k2], 0, n, MTK_ERR_PKI_NAME);
    CHECK(b->err.msg[0] != '\0');
    obj_free(b);
  }
  obj_free(make_csr(k, NULL, 0, names_of(NULL, 0, NULL, 0, NULL, 0, NULL, 0), MTK_ERR_PKI_NAME));
  obj_free(make_csr(k, NULL, MTK_PKI_SERVER, names_of(NULL, 0, NULL, 0, uri, 1, NULL, 0),
                    MTK_ERR_PKI_NAME));
  mtk_pki_key_free(k);
}

/* ==== signing CSRs ========================================================== */

typedef struct signer {
  mtk_pki_key *key;
  obj *root;
  mtk_pki_ca *ca;
} signer;

static void signer_init(signer *s) {
  s->key = gen(MTK_PKI_KEY_EC_P256);
  s->root = make_root(s->key, 0, 0, g_now);
  s->ca = ca_of(s->root, s->key);
}

static void signer_free(signer *s) {
  mtk_pki_ca_free(s->ca);
  obj_free(s->root);
  mtk_pki_key_free(s->key);
}

static obj *sign(const signer *s, const uint8_t *der, size_t len, unsigned usage,
                 mtk_status want) {
  obj *o = obj_new();
  mtk_findings *cf = calloc(1, sizeof(*cf));
  if (cf == NULL) abort();
  mtk_pki_sign_opts so;
  memset(&so, 0, sizeof(so));
  so.now = g_now;
  so.usage = usage;
  so.findings = &o->f;
  so.csr_findings = cf;
  mtk_status st = mtk_pki_sign_csr(s->ca, der, len, &so, &o->der, &o->err);
  CHECK_STATUS(st, want);
  if (st != want) fprintf(stderr, "  %s\n", o->err.msg);
  if (st != MTK_OK) CHECK(o->err.code == st && o->err.msg[0] != '\0');
  if (st == MTK_OK) parse_cert(o);
  free(cf);
  return o;
}

/* A CSR made here, signed: the names come across, the usage from the CSR. */
TEST(sign_good_csr) {
  signer s;
  signer_init(&s);
  mtk_pki_key *k = gen(MTK_PKI_KEY_EC_P256);
  const char *dns[] = {"api.example.com"};
  const char *ip[] = {"192.0.2.7"};
  obj *c = make_csr(k, "CN=api.example.com,O=Example", MTK_PKI_SERVER,
                    names_of(dns, 1, ip, 1, NULL, 0, NULL, 0), MTK_OK);
  obj *o = sign(&s, c->der.p, c->der.len, 0, MTK_OK);
  check_eku(o, MTK_PKI_SERVER);
  CHECK_EQ_INT(ku_bits(o), MTK_KU_DIGITAL_SIGNATURE);
  check_bc(o, false, -1);
  check_serial(o);
  check_validity(o, g_now, 90);
  check_aki(o, s.root);
  ski(o);
  static const uint8_t a4[] = {192, 0, 2, 7};
  want_gn w[] = {{MTK_GN_DNS, "api.example.com", NULL, 0}, {MTK_GN_IP, NULL, a4, 4}};
  check_san(o, w, 2, false);
  /* The subject is the CSR's, as encoded; the key is the CSR's. */
  CHECK(o->cert.subject.elem.len == c->csr.subject.elem.len &&
        memcmp(o->cert.subject.elem.p, c->csr.subject.elem.p, c->csr.subject.elem.len) == 0);
  CHECK(o->cert.spki.elem.len == c->csr.spki.elem.len &&
        memcmp(o->cert.spki.elem.p, c->csr.spki.elem.p, c->csr.spki.elem.len) == 0);
  check_findings(&o->f, k_server_notices, 3);
  check_chain(o, s.root, NULL, MTK_PKI_SERVER);
  obj_free(o);
  /* --client overrides what the CSR asks. */
  o = sign(&s, c->der.p, c->der.len, MTK_PKI_CLIENT, MTK_OK);
  check_eku(o, MTK_PKI_CLIENT);
  check_findings(&o->f, NULL, 0);
  check_chain(o, s.root, NULL, MTK_PKI_CLIENT);
  obj_free(o);
  obj_free(c);
  /* No usage asked and none given: refused. */
  c = make_csr(k, NULL, 0, names_of(dns, 1, NULL, 0, NULL, 0, NULL, 0), MTK_OK);
  o = sign(&s, c->der.p, c->der.len, 0, MTK_ERR_PKI_POLICY);
  CHECK(strstr(o->err.msg, "--server or --client") != NULL);
  obj_free(o);
  obj_free(c);
  mtk_pki_key_free(k);
  signer_free(&s);
}

/* A CSR from certgen asking for much more than SANs: only the SANs are
 * taken (requested EKU, CRL pointer and must-staple are not). */
TEST(sign_copies_only_sans) {
  signer s;
  signer_init(&s);
  tb_csr_spec cs;
  tb_csr_spec_default(&cs);
  tb_name_clear(&cs.subject);
  tb_name_add(&cs.subject, "CN", "app.example.com");
  tb_gn g[] = {tb_gn_dns("app.example.com"), tb_gn_uri("spiffe://example.com/app")};
  tb_ext_san(&cs.exts, false, g, 2);
  const char *eku[] = {TB_EKU_CLIENT_AUTH, TB_EKU_EMAIL_PROTECTION};
  tb_ext_eku(&cs.exts, false, eku, 2);
  tb_ext_crl_dp(&cs.exts, false, "http://evil.example/crl");
  tb_ext_must_staple(&cs.exts, false);
  uint8_t *der = NULL;
  size_t len = 0;
  CHECK(tb_csr_build(&cs, &der, &len) == 0);
  obj *o = sign(&s, der, len, 0, MTK_OK);
  check_eku(o, MTK_PKI_CLIENT); /* clientAuth only: emailProtection dropped */
  CHECK(ext(o, MTK_XK_CRLDP) == NULL);
  CHECK(ext(o, MTK_XK_TLS_FEATURE) == NULL);
  CHECK_EQ_INT(o->cert.exts.count, 6);
  want_gn w[] = {{MTK_GN_DNS, "app.example.com", NULL, 0},
                 {MTK_GN_URI, "spiffe://example.com/app", NULL, 0}};
  check_san(o, w, 2, false);
  check_findings(&o->f, NULL, 0);
  check_chain(o, s.root, NULL, MTK_PKI_CLIENT);
  obj_free(o);
  free(der);
  tb_csr_spec_cleanup(&cs);
  signer_free(&s);
}

/* Builds a certgen CSR with SAN dNSName |dns| and the changes |tweak| makes. */
typedef void (*csr_tweak)(tb_csr_spec *);

static obj *sign_tweaked(const signer *s, csr_tweak tweak, mtk_status want) {
  tb_csr_spec cs;
  tb_csr_spec_default(&cs);
  tb_name_clear(&cs.subject);
  tb_name_add(&cs.subject, "CN", "x.example.com");
  tb_gn g = tb_gn_dns("x.example.com");
  tb_ext_san(&cs.exts, false, &g, 1);
  const char *eku[] = {TB_EKU_SERVER_AUTH};
  tb_ext_eku(&cs.exts, false, eku, 1);
  tweak(&cs);
  uint8_t *der = NULL;
  size_t len = 0;
  obj *o = NULL;
  CHECK(tb_csr_build(&cs, &der, &len) == 0);
  if (der != NULL) o = sign(s, der, len, 0, want);
  free(der);
  tb_csr_spec_cleanup(&cs);
  return o;
}

static void tw_none(tb_csr_spec *cs) { (void)cs; }
static void tw_bad_signature(tb_csr_spec *cs) { cs->corrupt_signature = true; }
static void tw_rsa1024(tb_csr_spec *cs) { cs->key = tb_key_new(TB_KEY_RSA, 1024); }
static void tw_rsa_e3(tb_csr_spec *cs) { cs->key = tb_key_new(TB_KEY_RSA_E3, 2048); }
static void tw_p192(tb_csr_spec *cs) { cs->key = tb_key_new(TB_KEY_EC, NID_X9_62_prime192v1); }
static void tw_ca(tb_csr_spec *cs) { tb_ext_basic_constraints(&cs->exts, true, true, -1); }
static void tw_sha1(tb_csr_spec *cs) { cs->digest = TB_MD_SHA1; }
static void tw_rsa2048(tb_csr_spec *cs) { cs->key = tb_key_new(TB_KEY_RSA, 2048); }
static void tw_cn_other(tb_csr_spec *cs) {
  tb_name_clear(&cs->subject);
  tb_name_add(&cs->subject, "CN", "evil.example.com");
}
static void tw_dirname_san(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  tb_name n;
  memset(&n, 0, sizeof(n));
  tb_name_add(&n, "CN", "x.example.com");
  tb_gn g[] = {tb_gn_dns("x.example.com"), tb_gn_dirname(&n)};
  tb_ext_san(&cs->exts, false, g, 2);
  tb_name_clear(&n);
}
static void tw_othername_san(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  static const uint8_t utf8[] = {0x0c, 0x01, 'x'};
  tb_gn g[] = {tb_gn_dns("x.example.com"), tb_gn_othername("1.3.6.1.4.1.311.20.2.3", utf8, 3)};
  tb_ext_san(&cs->exts, false, g, 2);
}
static void tw_bad_dns_san(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  tb_gn g[] = {tb_gn_dns("x.example.com"), tb_gn_dns("under_score.example.com")};
  tb_ext_san(&cs->exts, false, g, 2);
}
static void tw_two_spiffe(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  tb_gn g[] = {tb_gn_dns("x.example.com"), tb_gn_uri("spiffe://a.example/x"),
               tb_gn_uri("spiffe://b.example/y")};
  tb_ext_san(&cs->exts, false, g, 3);
}
static void tw_no_san(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  const char *eku[] = {TB_EKU_SERVER_AUTH};
  tb_ext_eku(&cs->exts, false, eku, 1);
}
static void tw_ip_bad_len(tb_csr_spec *cs) {
  tb_exts_clear(&cs->exts);
  static const uint8_t ip5[] = {10, 0, 0, 1, 9};
  tb_gn g[] = {tb_gn_dns("x.example.com"), tb_gn_ip(ip5, 5)};
  tb_ext_san(&cs->exts, false, g, 2);
}
static void tw_ku_cert_sign(tb_csr_spec *cs) {
  tb_ext_key_usage(&cs->exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_CERT_SIGN);
}

TEST(sign_policy) {
  signer s;
  signer_init(&s);
  obj *o = sign_tweaked(&s, tw_none, MTK_OK);
  check_findings(&o->f, k_server_notices, 3);
  obj_free(o);
  /* RFC 2986 3: a CSR whose signature fails proves nothing. */
  o = sign_tweaked(&s, tw_bad_signature, MTK_ERR_SIG_INVALID);
  CHECK(strstr(o->err.msg, "possession") != NULL);
  obj_free(o);
  o = sign_tweaked(&s, tw_rsa1024, MTK_ERR_PKI_WEAK_KEY);
  CHECK(strstr(o->err.msg, "RSA-1024") != NULL);
  obj_free(o);
  obj_free(sign_tweaked(&s, tw_rsa_e3, MTK_ERR_PKI_WEAK_KEY));
  obj_free(sign_tweaked(&s, tw_p192, MTK_ERR_PKI_WEAK_KEY));
  o = sign_tweaked(&s, tw_ca, MTK_ERR_PKI_POLICY);
  CHECK(strstr(o->err.msg, "cA TRUE") != NULL);
  obj_free(o);
  /* keyCertSign without cA is an error-level lint finding: refused. */
  o = sign_tweaked(&s, tw_ku_cert_sign, MTK_ERR_PKI_POLICY);
  CHECK(strstr(o->err.msg, "e_ku_cert_sign_without_ca") != NULL);
  obj_free(o);
  o = sign_tweaked(&s, tw_cn_other, MTK_ERR_PKI_POLICY);
  CHECK(strstr(o->err.msg, "commonName") != NULL);
  obj_free(o);
  obj_free(sign_tweaked(&s, tw_dirname_san, MTK_ERR_PKI_POLICY));
  obj_free(sign_tweaked(&s, tw_othername_san, MTK_ERR_PKI_POLICY));
  obj_free(sign_tweaked(&s, tw_bad_dns_san, MTK_ERR_PKI_POLICY));
  obj_free(sign_tweaked(&s, tw_two_spiffe, MTK_ERR_PKI_POLICY));
  obj_free(sign_tweaked(&s, tw_ip_bad_len, MTK_ERR_PKI_POLICY));
  obj_free(sign_tweaked(&s, tw_no_san, MTK_ERR_PKI_NAME));
  /* A SHA-1-signed request is a CSR warning, not an error: it only proves
   * possession, and the certificate is signed by the CA with SHA-256. */
  o = sign_tweaked(&s, tw_sha1, MTK_OK);
  CHECK_EQ_INT(o->cert.sig_alg.id, MTK_OID_ECDSA_SHA256);
  obj_free(o);
  o = sign_tweaked(&s, tw_rsa2048, MTK_OK);
  CHECK_EQ_INT(ku_bits(o), MTK_KU_DIGITAL_SIGNATURE | MTK_KU_KEY_ENCIPHERMENT);
  check_chain(o, s.root, NULL, MTK_PKI_SERVER);
  obj_free(o);
  /* Not a CSR at all. */
  obj_free(sign(&s, s.root->der.p, s.root->der.len, MTK_PKI_SERVER, MTK_ERR_DER_TAG));
  signer_free(&s);
}

/* ==== output helpers ========================================================= */

TEST(pem_and_index) {
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  static const uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x05};
  CHECK_STATUS(mtk_pki_pem("CERTIFICATE", der, sizeof(der), &b), MTK_OK);
  CHECK_STR((const char *)b.p, "-----BEGIN CERTIFICATE-----\nMAMCAQU=\n-----END CERTIFICATE-----\n");
  mtk_buf_reset(&b);
  uint8_t big[100];
  for (size_t i = 0; i < sizeof(big); i++) big[i] = (uint8_t)i;
  CHECK_STATUS(mtk_pki_pem("X", big, sizeof(big), &b), MTK_OK);
  /* 100 octets: 136 base64 characters, lines of 64, 64 and 8. */
  const char *p = (const char *)b.p + strlen("-----BEGIN X-----\n");
  CHECK(strchr(p, '\n') - p == 64);
  CHECK_STATUS(mtk_pki_pem(NULL, der, 1, &b), MTK_ERR_ARG);

  mtk_buf_reset(&b);
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P256);
  obj *r = make_root(key, 0, 0, g_now);
  CHECK_STATUS(mtk_pki_index_line(r->der.p, r->der.len, &b), MTK_OK);
  /* "V\t<notAfter>\t\t<SERIAL>\tunknown\t/CN=...\n" */
  char want[160], serial[40];
  for (size_t i = 0; i < r->cert.serial.len; i++) snprintf(serial + 2 * i, 3, "%02X", r->cert.serial.p[i]);
  int64_t y;
  int mo, d, h, mi, sec;
  mtk_time_to_civil(r->cert.not_after, &y, &mo, &d, &h, &mi, &sec);
  mtk_cbs cn = subject_cn(r);
  snprintf(want, sizeof(want), "V\t%02d%02d%02d%02d%02d%02dZ\t\t%s\tunknown\t/CN=%.*s\n",
           (int)(y % 100), mo, d, h, mi, sec, serial, (int)cn.len, (const char *)cn.p);
  CHECK_STR((const char *)b.p, want);
  CHECK_STATUS(mtk_pki_index_line(der, sizeof(der), &b), MTK_ERR_X509_NOT_CERT);
  obj_free(r);
  mtk_pki_key_free(key);
  mtk_buf_free(&b);
}

/* The OpenSSL error queue is left as found. */
TEST(error_queue_clean) {
  ERR_clear_error();
  mtk_pki_key *k = NULL;
  CHECK_STATUS(mtk_pki_key_load((const uint8_t *)"junk", 4, &k), MTK_ERR_KEY_PARSE);
  mtk_pki_ca *ca = NULL;
  mtk_pki_err err;
  mtk_pki_key *key = gen(MTK_PKI_KEY_EC_P256);
  CHECK(mtk_pki_ca_new((const uint8_t *)"\x30\x00", 2, key, &ca, &err) != MTK_OK);
  CHECK_EQ_INT(ERR_peek_error(), 0);
  mtk_pki_key_free(key);
}

int main(void) {
  if (!mtk_time_from_civil(2026, 6, 1, 12, 0, 0, &g_now)) return 1;
  RUN(key_types);
  RUN(key_pem_round_trip);
  RUN(root_ec_p256);
  RUN(root_names_and_days);
  RUN(root_after_2050);
  RUN(ca_new_refusals);
  RUN(server_ec);
  RUN(server_rsa);
  RUN(client_spiffe);
  RUN(server_and_client);
  RUN(dated_public_rules);
  RUN(ed25519);
  RUN(via_intermediate);
  RUN(revocation_urls);
  RUN(issue_refusals);
  RUN(serials_random);
  RUN(csr_make);
  RUN(sign_good_csr);
  RUN(sign_copies_only_sans);
  RUN(sign_policy);
  RUN(pem_and_index);
  RUN(error_queue_clean);
  return test_summary();
}

/* lint_test.c: the linter (lib/lint*.c) over certificates and CSRs made by
 * certgen with fixed dates and a fixed "now".
 *
 * Every check has a test that triggers it and asserts the exact set of check
 * ids found; the clean server, client, CA and CSR fixtures are the objects
 * that trigger nothing. The last test verifies that every check in the
 * registry was asserted somewhere, and docs_checks_table keeps
 * docs/checks.md equal to the registry (MTK_UPDATE_DOCS=1 rewrites it). */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "certgen.h"
#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "mtlskit/x509.h"
#include "test.h"

/* ==== harness ============================================================ */

#define DAY INT64_C(86400)

static mtk_time g_now; /* 2025-02-01, inside the default validity */

typedef struct result {
  bool ok;
  mtk_status st;
  uint8_t *der;
  size_t len;
  mtk_diag diag;
  mtk_cert cert;
  mtk_csr csr;
  mtk_findings f;
} result;

/* The checks some EXPECT has asserted as found, by registry index. */
static bool g_asserted[1024];

static size_t check_index(const mtk_check *c) {
  size_t n;
  const mtk_check *all = mtk_checks(&n);
  return (size_t)(c - all);
}

static void result_free(result *r) {
  if (r == NULL) return;
  free(r->der);
  free(r);
}

static result *run_cert_der(uint8_t *der, size_t len, mtk_profile p, bool priv, mtk_time now) {
  result *r = calloc(1, sizeof(*r));
  if (r == NULL) abort();
  r->der = der;
  r->len = len;
  mtk_diag_init(&r->diag);
  mtk_status s = mtk_cert_parse(&r->cert, der, len, &r->diag);
  if (s != MTK_OK) {
    char buf[512];
    mtk_error_format(&r->diag.err, buf, sizeof(buf));
    fprintf(stderr, "lint_test: certificate does not parse: %s\n", buf);
    return r;
  }
  mtk_lint_opts o = {now, p, priv, &r->diag};
  r->st = mtk_lint_cert(&r->cert, &o, &r->f);
  r->ok = true;
  return r;
}

static result *run_cert(const tb_cert_spec *s, mtk_profile p, bool priv, mtk_time now) {
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_cert_build(s, &der, &len) != 0) abort();
  return run_cert_der(der, len, p, priv, now);
}

static result *cert(const tb_cert_spec *s) { return run_cert(s, MTK_PROFILE_AUTO, false, g_now); }

static result *run_csr_der(uint8_t *der, size_t len, bool priv, mtk_time now) {
  result *r = calloc(1, sizeof(*r));
  if (r == NULL) abort();
  r->der = der;
  r->len = len;
  mtk_diag_init(&r->diag);
  mtk_status s = mtk_csr_parse(&r->csr, der, len, &r->diag);
  if (s != MTK_OK) {
    char buf[512];
    mtk_error_format(&r->diag.err, buf, sizeof(buf));
    fprintf(stderr, "lint_test: CSR does not parse: %s\n", buf);
    return r;
  }
  mtk_lint_opts o = {now, MTK_PROFILE_CSR, priv, &r->diag};
  r->st = mtk_lint_csr(&r->csr, &o, &r->f);
  r->ok = true;
  return r;
}

static result *csr(const tb_csr_spec *s) {
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_csr_build(s, &der, &len) != 0) abort();
  return run_csr_der(der, len, false, g_now);
}

static const mtk_finding *find(const result *r, const char *id) {
  for (size_t i = 0; i < r->f.n; i++)
    if (strcmp(r->f.items[i].check->id, id) == 0) return &r->f.items[i];
  return NULL;
}

static void dump(const result *r) {
  for (size_t i = 0; i < r->f.n; i++) {
    const mtk_finding *f = &r->f.items[i];
    fprintf(stderr, "    %-8s %s at %s (0x%zx): %s\n", mtk_severity_name(f->severity),
            f->check->id, f->path, f->offset, f->detail);
  }
}

/* The set of distinct ids found is exactly |want|. */
static bool expect_ids(const result *r, const char *const *want, size_t n, const char *file,
                       int line) {
  bool ok = r->ok && r->st == MTK_OK;
  for (size_t i = 0; i < n; i++) {
    if (want[i] == NULL) continue;
    const mtk_finding *f = find(r, want[i]);
    if (f == NULL) {
      fprintf(stderr, "%s:%d: missing %s\n", file, line, want[i]);
      ok = false;
    } else {
      g_asserted[check_index(f->check)] = true;
    }
    if (mtk_check_find(want[i]) == NULL) {
      fprintf(stderr, "%s:%d: %s is not a check\n", file, line, want[i]);
      ok = false;
    }
  }
  for (size_t i = 0; i < r->f.n; i++) {
    bool wanted = false;
    for (size_t k = 0; k < n; k++) wanted = wanted || (want[k] && !strcmp(want[k], r->f.items[i].check->id));
    if (!wanted) {
      fprintf(stderr, "%s:%d: unexpected %s\n", file, line, r->f.items[i].check->id);
      ok = false;
    }
  }
  if (!ok) dump(r);
  return ok;
}

#define EXPECT(r, ...)                                                                 \
  do {                                                                                 \
    static const char *const ids_[] = {NULL, __VA_ARGS__};                             \
    CHECK(expect_ids((r), ids_, sizeof(ids_) / sizeof(ids_[0]), __FILE__, __LINE__)); \
  } while (0)

#define EXPECT_NONE(r)                                                     \
  do {                                                                     \
    static const char *const ids_[] = {NULL};                              \
    CHECK(expect_ids((r), ids_, 1, __FILE__, __LINE__));                   \
  } while (0)

static mtk_severity sev(const result *r, const char *id) {
  const mtk_finding *f = find(r, id);
  return f != NULL ? f->severity : (mtk_severity)0;
}

static bool detail_has(const result *r, const char *id, const char *text) {
  const mtk_finding *f = find(r, id);
  return f != NULL && strstr(f->detail, text) != NULL;
}

/* ==== fixtures ============================================================ */

static tb_key *ca_key(void) { return tb_key_new(TB_KEY_EC, NID_secp384r1); }
static tb_key *root_key(void) { return tb_key_new_slot(TB_KEY_EC, NID_secp384r1, 1); }

/* One SCT (RFC 6962 3.2) in a list, with dummy log id and signature. */
static const uint8_t k_sct_list[] = {
    0x00, 0x39, 0x00, 0x37, 0x00,                                     /* lens, v1 */
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,            /* log id */
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x01, 0x94, 0x00, 0x00, 0x00, 0x00,                   /* timestamp */
    0x00, 0x00, 0x04, 0x03, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8};     /* ext, sig */

enum {
  O_SAN = 1u << 0,
  O_KU = 1u << 1,
  O_EKU = 1u << 2,
  O_BC = 1u << 3,
  O_AKI = 1u << 4,
  O_CRL = 1u << 5,
  O_AIA = 1u << 6,
  O_CP = 1u << 7,
  O_SCT = 1u << 8,
  O_SKI = 1u << 9
};

static void issued_by_ca(tb_cert_spec *s) {
  tb_name_add(&s->issuer, "CN", "Test Issuing CA");
  s->issuer_key = ca_key();
}

/* A modern publicly-trusted-style server certificate (BR 7.1.2.7): SAN,
 * critical KU digitalSignature, EKU serverAuth, critical empty BC, AKI,
 * CRL DP, AIA (OCSP + caIssuers), DV policy, SCTs; ECDSA P-256 issued by a
 * P-384 CA; 90 days from 2025-01-01. |omit| drops extensions. */
static void server_spec(tb_cert_spec *s, const char *dns, unsigned omit) {
  static const char *const eku[] = {TB_EKU_SERVER_AUTH};
  static const char *const pol[] = {TB_POLICY_DV};
  tb_cert_spec_default(s);
  issued_by_ca(s);
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "CN", dns);
  tb_gn g = tb_gn_dns(dns);
  if (!(omit & O_SAN)) tb_ext_san(&s->exts, false, &g, 1);
  if (!(omit & O_KU)) tb_ext_key_usage(&s->exts, true, TB_KU_DIGITAL_SIGNATURE);
  if (!(omit & O_EKU)) tb_ext_eku(&s->exts, false, eku, 1);
  if (!(omit & O_BC)) tb_ext_basic_constraints(&s->exts, true, false, -1);
  if (!(omit & O_AKI)) tb_ext_aki_auto(&s->exts, false);
  if (!(omit & O_CRL)) tb_ext_crl_dp(&s->exts, false, "http://crl.example.net/ca.crl");
  if (!(omit & O_AIA))
    tb_ext_aia(&s->exts, false, "http://ocsp.example.net", "http://ca.example.net/ca.cer");
  if (!(omit & O_CP)) tb_ext_policies(&s->exts, false, pol, 1);
  if (!(omit & O_SCT)) tb_ext_sct_list(&s->exts, false, k_sct_list, sizeof(k_sct_list));
}

/* A server certificate with subject O=Example (no CN) and the given SAN. */
static void server_spec_san(tb_cert_spec *s, const tb_gn *names, size_t n) {
  server_spec(s, "unused.example.com", O_SAN);
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "O", "Example");
  tb_ext_san(&s->exts, false, names, n);
}

/* An mTLS client certificate: CN=alice, SAN URI (a SPIFFE ID by default),
 * critical KU digitalSignature, EKU clientAuth, BC, SKI, AKI. */
static void client_spec(tb_cert_spec *s, const char *uri, unsigned omit) {
  static const char *const eku[] = {TB_EKU_CLIENT_AUTH};
  tb_cert_spec_default(s);
  issued_by_ca(s);
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "CN", "alice");
  tb_gn g = tb_gn_uri(uri != NULL ? uri : "spiffe://example.org/ns/prod/sa/alice");
  if (!(omit & O_SAN)) tb_ext_san(&s->exts, false, &g, 1);
  if (!(omit & O_KU)) tb_ext_key_usage(&s->exts, true, TB_KU_DIGITAL_SIGNATURE);
  if (!(omit & O_EKU)) tb_ext_eku(&s->exts, false, eku, 1);
  if (!(omit & O_BC)) tb_ext_basic_constraints(&s->exts, true, false, -1);
  if (!(omit & O_SKI)) tb_ext_ski_auto(&s->exts, false);
  if (!(omit & O_AKI)) tb_ext_aki_auto(&s->exts, false);
}

/* A self-signed root: critical BC cA, critical KU keyCertSign|cRLSign, SKI,
 * AKI. */
static void root_spec(tb_cert_spec *s) {
  tb_cert_spec_default(s);
  tb_cert_spec_ca(s, "Test Root CA", -1);
  s->subject_key = root_key();
}

/* An intermediate CA signed by the root, with pathLen 0. */
static void intermediate_spec(tb_cert_spec *s) {
  tb_cert_spec_default(s);
  tb_cert_spec_ca(s, "Test Issuing CA", 0);
  tb_name_add(&s->issuer, "CN", "Test Root CA");
  s->issuer_key = root_key();
  s->subject_key = ca_key();
}

static void csr_spec(tb_csr_spec *s, const char *dns) {
  tb_csr_spec_default(s);
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "CN", dns);
  tb_gn g = tb_gn_dns(dns);
  tb_ext_san(&s->exts, false, &g, 1);
}

/* ---- DER pieces ---- */

static void algid(tb_buf *b, const char *oid, bool null_params) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, oid);
  if (null_params) tb_der_null(b);
  tb_der_end(b, m);
}

/* RSASSA-PSS AlgorithmIdentifier; NULL / negative values omit a field. */
static void pss_algid(tb_buf *b, const char *hash, const char *mgf, const char *mgf_hash,
                      long salt, long trailer) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, "1.2.840.113549.1.1.10");
  size_t p = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  if (hash != NULL) {
    size_t t = tb_der_begin(b, MTK_CTX_C(0));
    algid(b, hash, true);
    tb_der_end(b, t);
  }
  if (mgf != NULL) {
    size_t t = tb_der_begin(b, MTK_CTX_C(1));
    size_t a = tb_der_begin(b, MTK_ASN1_SEQUENCE);
    tb_der_oid(b, mgf);
    algid(b, mgf_hash, true);
    tb_der_end(b, a);
    tb_der_end(b, t);
  }
  if (salt >= 0) {
    size_t t = tb_der_begin(b, MTK_CTX_C(2));
    tb_der_int(b, salt);
    tb_der_end(b, t);
  }
  if (trailer >= 0) {
    size_t t = tb_der_begin(b, MTK_CTX_C(3));
    tb_der_int(b, trailer);
    tb_der_end(b, t);
  }
  tb_der_end(b, p);
  tb_der_end(b, m);
}

#define SHA256 "2.16.840.1.101.3.4.2.1"
#define SHA1 "1.3.14.3.2.26"
#define SHA384 "2.16.840.1.101.3.4.2.2"
#define MGF1 "1.2.840.113549.1.1.8"

/* INTEGER contents of a non-negative BIGNUM. */
static void bn_int(tb_buf *b, const BIGNUM *n) {
  int len = BN_num_bytes(n);
  uint8_t tmp[1100];
  tmp[0] = 0;
  if (len <= 0 || len > 1024 || BN_bn2bin(n, tmp + 1) != len) abort();
  bool pad = (tmp[1] & 0x80) != 0;
  tb_der_int_raw(b, pad ? tmp : tmp + 1, (size_t)len + (pad ? 1 : 0));
}

/* An RSA SubjectPublicKeyInfo with modulus |n| and exponent |e|; without
 * |null_params| the parameters are left out. */
static void rsa_spki(tb_buf *b, const BIGNUM *n, const BIGNUM *e, bool null_params) {
  tb_buf key = {0};
  size_t k = tb_der_begin(&key, MTK_ASN1_SEQUENCE);
  bn_int(&key, n);
  bn_int(&key, e);
  tb_der_end(&key, k);
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  algid(b, "1.2.840.113549.1.1.1", null_params);
  tb_der_bitstring(b, 0, key.p, key.len);
  tb_der_end(b, m);
  tb_buf_free(&key);
}

static BIGNUM *bn_word(unsigned long w) {
  BIGNUM *b = BN_new();
  if (b == NULL || !BN_set_word(b, w)) abort();
  return b;
}

static mtk_rsa_weak_result weakness(const BIGNUM *n) {
  uint8_t buf[1024];
  int len = BN_bn2bin(n, buf);
  mtk_rsa_weak_result r;
  if (len <= 0 || mtk_rsa_weakness(buf, (size_t)len, &r) != MTK_OK) abort();
  return r;
}

/* A random odd modulus of |bits| bits with none of the weaknesses. */
static BIGNUM *clean_modulus(int bits) {
  BIGNUM *n = BN_new();
  for (;;) {
    if (n == NULL || !BN_rand(n, bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD)) abort();
    mtk_rsa_weak_result r = weakness(n);
    if (!r.roca && !r.small_factor && !r.fermat) return n;
  }
}

/* A server certificate (clean otherwise) whose key is the SPKI |spki|. */
static result *cert_with_spki(const tb_buf *spki, mtk_profile p, mtk_time not_before) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.spki_der = spki->p;
  s.spki_len = spki->len;
  if (not_before != 0) {
    s.not_before = not_before;
    s.not_after = not_before + 90 * DAY;
  }
  result *r = run_cert(&s, p, false, not_before != 0 ? not_before + DAY : g_now);
  tb_cert_spec_cleanup(&s);
  return r;
}

/* The uncompressed P-256 point (65 octets) of the default key. */
static void p256_point(uint8_t out[65]) {
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_spki_der(tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1), &der, &len) != 0 || len < 65)
    abort();
  memcpy(out, der + len - 65, 65);
  free(der);
}

static void ec_spki(tb_buf *b, const char *curve_oid, bool null_params, const uint8_t *point,
                    size_t plen) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  size_t a = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, "1.2.840.10045.2.1");
  if (null_params) tb_der_null(b);
  else tb_der_oid(b, curve_oid);
  tb_der_end(b, a);
  tb_der_bitstring(b, 0, point, plen);
  tb_der_end(b, m);
}

/* ==== registry ============================================================ */

TEST(registry_shape) {
  size_t n = 0;
  const mtk_check *all = mtk_checks(&n);
  CHECK(n >= 60);
  size_t per[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    const mtk_check *c = &all[i];
    char want = c->severity == MTK_SEV_ERROR ? 'e' : c->severity == MTK_SEV_WARNING ? 'w' : 'n';
    CHECK(c->id[0] == want && c->id[1] == '_');
    CHECK(c->source != NULL && c->source[0] != '\0');
    CHECK(c->summary != NULL && strlen(c->summary) > 20 && strchr(c->summary, '|') == NULL);
    CHECK(strchr(c->source, '|') == NULL);
    CHECK(c->applies != 0 && (c->applies & ~(unsigned)MTK_APPLIES_ALL) == 0);
    CHECK(mtk_check_find(c->id) == c);
    if (c->effective[0] != '\0') {
      mtk_time t = 0;
      CHECK(mtk_time_parse(c->effective, strlen(c->effective), &t));
      CHECK_EQ_INT(t, c->effective_time);
    } else {
      CHECK_EQ_INT(c->effective_time, 0);
    }
    for (size_t k = 0; k < i; k++) CHECK(strcmp(all[k].id, c->id) != 0);
    if ((unsigned)c->severity <= 3) per[c->severity]++;
  }
  CHECK(per[1] + per[2] + per[3] == n);
  printf("lint: %zu checks (%zu error, %zu warning, %zu notice)\n", n, per[3], per[2], per[1]);
  CHECK(mtk_check_find("e_no_such_check") == NULL);
  CHECK(mtk_check_find(NULL) == NULL);
}

TEST(registry_has_every_quirk) {
  for (int k = 1; k < 64; k++) {
    const char *id = mtk_quirk_id((mtk_quirk_kind)k);
    if (id == NULL || strcmp(id, "") == 0 || strstr(id, "unknown") != NULL) continue;
    const mtk_check *c = mtk_check_find(id);
    CHECK(c != NULL);
    if (c == NULL) fprintf(stderr, "quirk %d (%s) has no check\n", k, id);
  }
}

TEST(names_and_profiles) {
  CHECK_STR(mtk_severity_name(MTK_SEV_ERROR), "error");
  CHECK_STR(mtk_severity_name(MTK_SEV_WARNING), "warning");
  CHECK_STR(mtk_severity_name(MTK_SEV_NOTICE), "notice");
  static const char *const names[] = {"auto", "server", "client", "ca", "csr"};
  for (int i = 0; i < 5; i++) {
    mtk_profile p = MTK_PROFILE_AUTO;
    CHECK_STR(mtk_profile_name((mtk_profile)i), names[i]);
    CHECK(mtk_profile_parse(names[i], &p));
    CHECK_EQ_INT(p, i);
  }
  mtk_profile p = MTK_PROFILE_CA;
  CHECK(!mtk_profile_parse("Server", &p));
  CHECK(!mtk_profile_parse("", &p));
  CHECK_EQ_INT(p, MTK_PROFILE_CA);
}

/* Every quirk kind reaches the findings with the parser's path and offset. */
TEST(quirks_become_findings) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_cert_build(&s, &der, &len) != 0) abort();
  tb_cert_spec_cleanup(&s);
  for (int k = 1; k < 64; k++) {
    const char *id = mtk_quirk_id((mtk_quirk_kind)k);
    const mtk_check *c = mtk_check_find(id);
    if (c == NULL) continue;
    mtk_cert parsed;
    mtk_diag d;
    mtk_diag_init(&d);
    CHECK_STATUS(mtk_cert_parse(&parsed, der, len, &d), MTK_OK);
    size_t mark = mtk_diag_push(&d, "tbsCertificate");
    mtk_diag_push(&d, "somewhere[%d]", k);
    mtk_diag_quirk(&d, (mtk_quirk_kind)k, (size_t)k * 3);
    mtk_diag_pop(&d, mark);
    result *r = calloc(1, sizeof(*r));
    if (r == NULL) abort();
    mtk_lint_opts o = {g_now, MTK_PROFILE_AUTO, false, &d};
    r->st = mtk_lint_cert(&parsed, &o, &r->f);
    r->ok = true;
    const char *want[] = {NULL, id};
    CHECK(expect_ids(r, want, 2, __FILE__, __LINE__));
    const mtk_finding *f = find(r, id);
    char path[64];
    snprintf(path, sizeof(path), "tbsCertificate.somewhere[%d]", k);
    CHECK(f != NULL && f->offset == (size_t)k * 3 && strcmp(f->path, path) == 0);
    CHECK(f != NULL && f->severity == c->severity);
    free(r);
  }
  free(der);
}

/* ==== clean objects ======================================================== */

TEST(clean_server) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  result *r = cert(&s);
  EXPECT_NONE(r);
  CHECK_EQ_INT(r->f.n_error + r->f.n_warning + r->f.n_notice, 0);
  result_free(r);
  /* The same under every explicit profile that fits, and private. */
  r = run_cert(&s, MTK_PROFILE_SERVER, true, g_now);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(clean_client) {
  tb_cert_spec s;
  client_spec(&s, NULL, 0);
  result *r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* RSA 2048 client key, an https URI identity. */
  client_spec(&s, "https://alice.example.com/id", 0);
  s.subject_key = tb_key_new(TB_KEY_RSA, 2048);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(clean_ca) {
  tb_cert_spec s;
  root_spec(&s);
  result *r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  intermediate_spec(&s);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(clean_csr) {
  tb_csr_spec s;
  csr_spec(&s, "www.example.com");
  result *r = csr(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_csr_spec_cleanup(&s);
  /* RSA with requested KU and EKU. */
  static const char *const eku[] = {TB_EKU_SERVER_AUTH};
  csr_spec(&s, "api.example.com");
  s.key = tb_key_new(TB_KEY_RSA, 2048);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_ENCIPHERMENT);
  tb_ext_eku(&s.exts, false, eku, 1);
  r = csr(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_csr_spec_cleanup(&s);
}

/* ==== profiles ============================================================== */

TEST(auto_profile) {
  tb_cert_spec s;
  uint8_t *der = NULL;
  size_t len = 0;
  mtk_cert c;
  mtk_diag d;
#define PROFILE_OF(spec, want)                                        \
  do {                                                                \
    if (tb_cert_build(spec, &der, &len) != 0) abort();                \
    mtk_diag_init(&d);                                                \
    CHECK_STATUS(mtk_cert_parse(&c, der, len, &d), MTK_OK);           \
    CHECK_EQ_INT(mtk_lint_auto_profile(&c), want);                    \
    free(der);                                                        \
  } while (0)
  root_spec(&s);
  PROFILE_OF(&s, MTK_PROFILE_CA);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  PROFILE_OF(&s, MTK_PROFILE_SERVER);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_EKU);
  PROFILE_OF(&s, MTK_PROFILE_SERVER);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, 0);
  PROFILE_OF(&s, MTK_PROFILE_CLIENT);
  tb_cert_spec_cleanup(&s);
  static const char *const code[] = {TB_EKU_CODE_SIGNING};
  static const char *const any[] = {TB_EKU_ANY};
  client_spec(&s, NULL, O_EKU);
  tb_ext_eku(&s.exts, false, code, 1);
  PROFILE_OF(&s, MTK_PROFILE_CLIENT);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_EKU);
  tb_ext_eku(&s.exts, false, any, 1);
  PROFILE_OF(&s, MTK_PROFILE_SERVER);
  tb_cert_spec_cleanup(&s);
  /* v1 self-issued: an old root. v1 issued by another name: a leaf. */
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  PROFILE_OF(&s, MTK_PROFILE_CA);
  issued_by_ca(&s);
  PROFILE_OF(&s, MTK_PROFILE_SERVER);
  tb_cert_spec_cleanup(&s);
#undef PROFILE_OF
  CHECK_EQ_INT(mtk_lint_auto_profile(NULL), MTK_PROFILE_SERVER);
}

TEST(bad_arguments) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  result *r = run_cert(&s, MTK_PROFILE_SERVER, false, g_now);
  mtk_lint_opts o = {g_now, MTK_PROFILE_CSR, false, NULL};
  mtk_findings *f = calloc(1, sizeof(*f));
  if (f == NULL) abort();
  CHECK_STATUS(mtk_lint_cert(&r->cert, &o, f), MTK_ERR_ARG);
  o.profile = MTK_PROFILE_AUTO;
  CHECK_STATUS(mtk_lint_cert(NULL, &o, f), MTK_ERR_ARG);
  CHECK_STATUS(mtk_lint_cert(&r->cert, NULL, f), MTK_ERR_ARG);
  CHECK_STATUS(mtk_lint_cert(&r->cert, &o, NULL), MTK_ERR_ARG);
  /* No parse diag: fine, just no quirk findings. */
  CHECK_STATUS(mtk_lint_cert(&r->cert, &o, f), MTK_OK);
  CHECK_EQ_INT(f->n, 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  tb_csr_spec cs;
  csr_spec(&cs, "www.example.com");
  r = csr(&cs);
  o.profile = MTK_PROFILE_SERVER;
  CHECK_STATUS(mtk_lint_csr(&r->csr, &o, f), MTK_ERR_ARG);
  CHECK_STATUS(mtk_lint_csr(NULL, &o, f), MTK_ERR_ARG);
  result_free(r);
  tb_csr_spec_cleanup(&cs);
  free(f);
}

/* A leaf linted as a CA and a CA linted as a server: the role decides. */
TEST(explicit_profiles) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  result *r = run_cert(&s, MTK_PROFILE_CA, false, g_now);
  EXPECT(r, "e_ca_ku_no_cert_sign", "e_ca_bc_missing", "e_ca_ski_missing");
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_CLIENT, false, g_now);
  EXPECT(r, "e_client_eku_no_client_auth", "w_client_ski_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  root_spec(&s);
  r = run_cert(&s, MTK_PROFILE_SERVER, false, g_now);
  EXPECT(r, "e_leaf_bc_ca_true", "e_leaf_ku_no_digital_signature",
         "e_server_cert_no_san", "e_server_eku_missing", "e_server_no_revocation_info",
         "e_cert_policies_missing", "n_server_no_sct");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== keys ================================================================== */

TEST(key_rsa_small) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_RSA, 1024);
  result *r = cert(&s);
  EXPECT(r, "e_rsa_modulus_too_small");
  const mtk_finding *f = find(r, "e_rsa_modulus_too_small");
  CHECK(f != NULL && f->offset == r->cert.spki.rsa_n.off);
  CHECK(f != NULL && strcmp(f->path, "tbsCertificate.subjectPublicKeyInfo.subjectPublicKey") == 0);
  CHECK(detail_has(r, "e_rsa_modulus_too_small", "1024-bit"));
  CHECK_EQ_INT(sev(r, "e_rsa_modulus_too_small"), MTK_SEV_ERROR);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* 2048 passes. */
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_RSA, 2048);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(key_rsa_modulus_and_exponent) {
  BIGNUM *n = clean_modulus(2044);
  BIGNUM *e = bn_word(65537);
  tb_buf spki = {0};
  rsa_spki(&spki, n, e, true);
  result *r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_rsa_modulus_not_multiple_of_8", "e_rsa_modulus_too_small");
  result_free(r);
  tb_buf_free(&spki);
  BN_free(n);

  n = clean_modulus(2048);
  static const struct {
    unsigned long e;
    const char *id;
  } cases[] = {{65537, NULL},
               {65536, "e_rsa_exponent_even"},
               {1, "e_rsa_exponent_too_small"},
               {3, "w_rsa_exponent_not_recommended"},
               {17, "w_rsa_exponent_not_recommended"}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    BN_set_word(e, cases[i].e);
    rsa_spki(&spki, n, e, true);
    r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
    if (cases[i].id == NULL) EXPECT_NONE(r);
    else {
      const char *want[] = {cases[i].id};
      CHECK(expect_ids(r, want, 1, __FILE__, __LINE__));
    }
    result_free(r);
    tb_buf_free(&spki);
  }
  /* An exponent above 2^256-1 (odd). */
  if (!BN_set_bit(e, 300)) abort();
  rsa_spki(&spki, n, e, true);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "w_rsa_exponent_not_recommended");
  CHECK(detail_has(r, "w_rsa_exponent_not_recommended", "exceeds 2^256-1"));
  result_free(r);
  tb_buf_free(&spki);
  /* A real key generated with e = 3, and private PKI: notice. */
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_RSA_E3, 2048);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  EXPECT(r, "w_rsa_exponent_not_recommended");
  CHECK_EQ_INT(sev(r, "w_rsa_exponent_not_recommended"), MTK_SEV_NOTICE);
  CHECK_EQ_INT(r->f.n_notice, 1);
  CHECK_EQ_INT(r->f.n_warning, 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* NULL parameters missing: the parser's quirk. */
  BN_set_word(e, 65537);
  rsa_spki(&spki, n, e, false);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "w_algid_rsa_params_absent");
  result_free(r);
  tb_buf_free(&spki);
  BN_free(n);
  BN_free(e);
}

/* N = (65537^k mod M) + t*M: the ROCA fingerprint by construction. */
static BIGNUM *roca_modulus(void) {
  BN_CTX *ctx = BN_CTX_new();
  BIGNUM *m = bn_word(1), *g = bn_word(65537), *k = bn_word(12345), *base = BN_new();
  BIGNUM *t = BN_new(), *n = BN_new();
  if (ctx == NULL || base == NULL || t == NULL || n == NULL) abort();
  for (unsigned p = 3; p <= 167; p += 2) {
    bool prime = true;
    for (unsigned d = 3; d * d <= p; d += 2) prime = prime && p % d != 0;
    if (prime && !BN_mul_word(m, p)) abort();
  }
  if (!BN_mod_exp(base, g, k, m, ctx)) abort();
  for (;;) {
    if (!BN_rand(t, 2048 - BN_num_bits(m), BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) ||
        !BN_mul(n, t, m, ctx) || !BN_add(n, n, base))
      abort();
    if (!BN_is_odd(n) || BN_num_bits(n) != 2048) continue;
    mtk_rsa_weak_result r = weakness(n);
    if (r.roca && !r.small_factor && !r.fermat) break;
  }
  BN_free(m);
  BN_free(g);
  BN_free(k);
  BN_free(base);
  BN_free(t);
  BN_CTX_free(ctx);
  return n;
}

TEST(key_rsa_weak_moduli) {
  BIGNUM *e = bn_word(65537);
  tb_buf spki = {0};
  /* ROCA. */
  BIGNUM *n = roca_modulus();
  rsa_spki(&spki, n, e, true);
  result *r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_rsa_roca_vulnerable");
  result_free(r);
  tb_buf_free(&spki);
  BN_free(n);
  /* Divisible by 3. */
  n = BN_new();
  for (;;) {
    if (n == NULL || !BN_rand(n, 2048, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD)) abort();
    BN_ULONG rem = BN_mod_word(n, 3);
    if (!BN_sub_word(n, rem)) abort();
    if (!BN_is_odd(n) && !BN_add_word(n, 3)) abort();
    if (BN_num_bits(n) == 2048 && !weakness(n).roca) break;
  }
  rsa_spki(&spki, n, e, true);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_rsa_small_prime_factor");
  CHECK(detail_has(r, "e_rsa_small_prime_factor", "divisible by 3"));
  result_free(r);
  tb_buf_free(&spki);
  BN_free(n);
  /* Close primes: Fermat, a rule for keys from 2024-11-15 on. */
  BN_CTX *ctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *q = BN_new();
  n = BN_new();
  if (ctx == NULL || p == NULL || q == NULL || n == NULL) abort();
  do {
    if (!BN_generate_prime_ex2(p, 1024, 0, NULL, NULL, NULL, ctx) || BN_copy(q, p) == NULL)
      abort();
    do {
      if (!BN_add_word(q, 2)) abort();
    } while (BN_check_prime(q, ctx, NULL) != 1);
    if (!BN_mul(n, p, q, ctx)) abort();
  } while (BN_num_bits(n) != 2048);
  rsa_spki(&spki, n, e, true);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, tb_time(2024, 11, 15, 0, 0, 0));
  EXPECT(r, "e_rsa_fermat_factorable");
  result_free(r);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, tb_time(2024, 11, 14, 0, 0, 0));
  EXPECT_NONE(r);
  result_free(r);
  tb_buf_free(&spki);
  BN_free(p);
  BN_free(q);
  BN_free(n);
  BN_free(e);
  BN_CTX_free(ctx);
}

TEST(key_malformed_and_algorithms) {
  /* rsaEncryption whose key is not an RSAPublicKey. */
  tb_buf spki = {0};
  size_t m = tb_der_begin(&spki, MTK_ASN1_SEQUENCE);
  algid(&spki, "1.2.840.113549.1.1.1", true);
  tb_der_bitstring(&spki, 0, "\x04\x02\x00\x00", 4);
  tb_der_end(&spki, m);
  result *r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_spki_key_malformed");
  result_free(r);
  tb_buf_free(&spki);
  /* Ed25519: fine in private PKI, not for public certificates. */
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_ED25519, 0);
  r = cert(&s);
  EXPECT(r, "e_key_algorithm_not_allowed_public");
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  EXPECT(r, "e_key_algorithm_not_allowed_public");
  CHECK_EQ_INT(sev(r, "e_key_algorithm_not_allowed_public"), MTK_SEV_NOTICE);
  CHECK_EQ_INT(r->f.n_error, 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* DSA (p 2048 bits, q 256, g and y arbitrary). */
  BIGNUM *p = clean_modulus(2048), *q = clean_modulus(256), *g = bn_word(2);
  tb_buf key = {0};
  bn_int(&key, p);
  m = tb_der_begin(&spki, MTK_ASN1_SEQUENCE);
  size_t a = tb_der_begin(&spki, MTK_ASN1_SEQUENCE);
  tb_der_oid(&spki, "1.2.840.10040.4.1");
  size_t pm = tb_der_begin(&spki, MTK_ASN1_SEQUENCE);
  bn_int(&spki, p);
  bn_int(&spki, q);
  bn_int(&spki, g);
  tb_der_end(&spki, pm);
  tb_der_end(&spki, a);
  tb_der_bitstring(&spki, 0, key.p, key.len);
  tb_der_end(&spki, m);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "w_dsa_key_deprecated", "e_key_algorithm_not_allowed_public");
  result_free(r);
  tb_buf_free(&spki);
  tb_buf_free(&key);
  BN_free(p);
  BN_free(q);
  BN_free(g);
}

TEST(key_ec_curves) {
  tb_cert_spec s;
  /* P-384 and P-521: fine. */
  static const int fine[] = {NID_secp384r1, NID_secp521r1};
  for (size_t i = 0; i < 2; i++) {
    server_spec(&s, "www.example.com", 0);
    s.subject_key = tb_key_new(TB_KEY_EC, fine[i]);
    result *r = cert(&s);
    EXPECT_NONE(r);
    result_free(r);
    tb_cert_spec_cleanup(&s);
  }
  /* secp256k1 and brainpool: public error, private notice. */
  static const int other[] = {NID_secp256k1, NID_brainpoolP256r1};
  for (size_t i = 0; i < 2; i++) {
    server_spec(&s, "www.example.com", 0);
    s.subject_key = tb_key_new(TB_KEY_EC, other[i]);
    result *r = cert(&s);
    EXPECT(r, "e_ec_curve_not_allowed_public");
    CHECK_EQ_INT(sev(r, "e_ec_curve_not_allowed_public"), MTK_SEV_ERROR);
    result_free(r);
    r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
    EXPECT(r, "e_ec_curve_not_allowed_public");
    CHECK_EQ_INT(sev(r, "e_ec_curve_not_allowed_public"), MTK_SEV_NOTICE);
    result_free(r);
    tb_cert_spec_cleanup(&s);
  }
  /* P-192: weak everywhere. */
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_EC, NID_X9_62_prime192v1);
  result *r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  EXPECT(r, "e_ec_curve_weak", "e_ec_curve_not_allowed_public");
  CHECK_EQ_INT(sev(r, "e_ec_curve_weak"), MTK_SEV_ERROR);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Explicit parameters. */
  server_spec(&s, "www.example.com", 0);
  s.subject_key = tb_key_new(TB_KEY_EC_EXPLICIT, NID_X9_62_prime256v1);
  r = cert(&s);
  EXPECT(r, "e_ec_explicit_curve_params");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* implicitCurve, an unknown curve, a compressed point. */
  uint8_t pt[65];
  p256_point(pt);
  tb_buf spki = {0};
  ec_spki(&spki, NULL, true, pt, 65);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_ec_implicit_curve");
  result_free(r);
  tb_buf_free(&spki);
  ec_spki(&spki, "1.3.6.1.4.1.55555.9", false, pt, 65);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "e_ec_curve_unknown");
  CHECK(detail_has(r, "e_ec_curve_unknown", "1.3.6.1.4.1.55555.9"));
  result_free(r);
  tb_buf_free(&spki);
  uint8_t comp[33];
  comp[0] = (uint8_t)(0x02 | (pt[64] & 1));
  memcpy(comp + 1, pt + 1, 32);
  ec_spki(&spki, "1.2.840.10045.3.1.7", false, comp, 33);
  r = cert_with_spki(&spki, MTK_PROFILE_AUTO, 0);
  EXPECT(r, "n_ec_point_compressed");
  result_free(r);
  tb_buf_free(&spki);
}

/* ==== signatures ============================================================ */

/* A clean server certificate whose two signature AlgorithmIdentifiers are
 * replaced (|inner| may differ); the signature itself stays ECDSA. */
static result *cert_with_sigalg(const tb_buf *outer, const tb_buf *inner, mtk_profile p) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.outer_sig_alg_der = outer->p;
  s.outer_sig_alg_len = outer->len;
  s.tbs_sig_alg_der = inner->p;
  s.tbs_sig_alg_len = inner->len;
  result *r = run_cert(&s, p, false, g_now);
  tb_cert_spec_cleanup(&s);
  return r;
}

static result *cert_sigalg_oid(const char *oid, bool null_params) {
  tb_buf b = {0};
  algid(&b, oid, null_params);
  result *r = cert_with_sigalg(&b, &b, MTK_PROFILE_AUTO);
  tb_buf_free(&b);
  return r;
}

TEST(sig_hashes) {
  result *r = cert_sigalg_oid("1.2.840.113549.1.1.2", true); /* md2WithRSA */
  EXPECT(r, "e_signature_md2_md4");
  result_free(r);
  r = cert_sigalg_oid("1.2.840.113549.1.1.4", true); /* md5WithRSA */
  EXPECT(r, "e_signature_md5");
  result_free(r);
  r = cert_sigalg_oid("1.2.840.113549.1.1.11", true); /* sha256WithRSA */
  EXPECT_NONE(r);
  result_free(r);
  r = cert_sigalg_oid("1.2.840.113549.1.1.14", true); /* sha224WithRSA */
  EXPECT(r, "e_signature_algorithm_not_allowed_public");
  result_free(r);
  /* Really signed with ECDSA SHA-1. */
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.digest = TB_MD_SHA1;
  r = cert(&s);
  EXPECT(r, "e_signature_sha1");
  CHECK(find(r, "e_signature_sha1") != NULL &&
        strcmp(find(r, "e_signature_sha1")->path, "signatureAlgorithm") == 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Ed25519-signed: allowed in private PKI only. */
  server_spec(&s, "www.example.com", 0);
  s.issuer_key = tb_key_new(TB_KEY_ED25519, 0);
  r = cert(&s);
  EXPECT(r, "e_signature_algorithm_not_allowed_public");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(sig_params) {
  result *r = cert_sigalg_oid("1.2.840.113549.1.1.11", false);
  EXPECT(r, "e_signature_rsa_params_not_null");
  CHECK(detail_has(r, "e_signature_rsa_params_not_null", "absent"));
  result_free(r);
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "1.2.840.113549.1.1.11");
  tb_der_int(&b, 0);
  tb_der_end(&b, m);
  r = cert_with_sigalg(&b, &b, MTK_PROFILE_AUTO);
  EXPECT(r, "e_signature_rsa_params_not_null");
  result_free(r);
  tb_buf_free(&b);
  r = cert_sigalg_oid("1.2.840.10045.4.3.2", true); /* ecdsa-with-SHA256 + NULL */
  EXPECT(r, "e_signature_params_not_absent");
  CHECK_STR(find(r, "e_signature_params_not_absent")->path, "signatureAlgorithm.parameters");
  result_free(r);
}

TEST(sig_mismatch) {
  tb_buf outer = {0}, inner = {0};
  algid(&outer, "1.2.840.10045.4.3.2", false);
  algid(&inner, "1.2.840.10045.4.3.3", false);
  result *r = cert_with_sigalg(&outer, &inner, MTK_PROFILE_AUTO);
  EXPECT(r, "e_signature_algorithm_mismatch");
  result_free(r);
  tb_buf_free(&inner);
  /* Same OID, but one with NULL parameters: the whole element counts. */
  algid(&inner, "1.2.840.10045.4.3.2", true);
  r = cert_with_sigalg(&outer, &inner, MTK_PROFILE_AUTO);
  EXPECT(r, "e_signature_algorithm_mismatch", "e_signature_params_not_absent");
  CHECK_STR(find(r, "e_signature_params_not_absent")->path,
            "tbsCertificate.signature.parameters");
  result_free(r);
  tb_buf_free(&inner);
  tb_buf_free(&outer);
}

TEST(sig_pss) {
  static const struct {
    const char *hash, *mgf, *mgf_hash;
    long salt, trailer;
    const char *id1, *id2;
  } cases[] = {
      {SHA256, MGF1, SHA256, 32, -1, NULL, NULL},
      {SHA256, MGF1, SHA256, 32, 2, "e_pss_trailer_field_invalid", NULL},
      {SHA256, "1.2.3.4", SHA256, 32, -1, "e_pss_mgf_not_mgf1", NULL},
      /* MGF1 with SHA-1 and a salt of 20 are DEFAULT values written out. */
      {SHA256, MGF1, SHA1, 32, -1, "w_pss_mgf_hash_mismatch", "e_pss_default_params_encoded"},
      {SHA256, MGF1, SHA256, 20, -1, "e_pss_salt_length_not_hash_length",
       "e_pss_default_params_encoded"},
      {SHA384, MGF1, SHA384, 48, -1, NULL, NULL},
      {SHA256, MGF1, SHA256, 32, 1, "e_pss_default_params_encoded", NULL},
      {NULL, NULL, NULL, -1, -1, "e_signature_sha1", NULL}, /* all defaults: SHA-1 */
      {SHA1, MGF1, SHA1, 20, -1, "e_signature_sha1", "e_pss_default_params_encoded"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_buf b = {0};
    pss_algid(&b, cases[i].hash, cases[i].mgf, cases[i].mgf_hash, cases[i].salt,
              cases[i].trailer);
    result *r = cert_with_sigalg(&b, &b, MTK_PROFILE_AUTO);
    const char *want[] = {NULL, cases[i].id1, cases[i].id2};
    CHECK(expect_ids(r, want, 3, __FILE__, __LINE__));
    if (!r->ok || r->st != MTK_OK) fprintf(stderr, "  (PSS case %zu)\n", i);
    result_free(r);
    tb_buf_free(&b);
  }
  /* Parameters missing, and not a SEQUENCE. */
  result *r = cert_sigalg_oid("1.2.840.113549.1.1.10", false);
  EXPECT(r, "e_pss_params_missing");
  result_free(r);
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "1.2.840.113549.1.1.10");
  tb_der_int(&b, 5);
  tb_der_end(&b, m);
  r = cert_with_sigalg(&b, &b, MTK_PROFILE_AUTO);
  EXPECT(r, "e_pss_params_malformed");
  result_free(r);
  tb_buf_free(&b);
}

TEST(csr_signatures) {
  tb_csr_spec s;
  csr_spec(&s, "www.example.com");
  s.corrupt_signature = true;
  result *r = csr(&s);
  EXPECT(r, "e_csr_signature_invalid");
  CHECK_STR(find(r, "e_csr_signature_invalid")->path, "signature");
  result_free(r);
  s.corrupt_signature = false;
  s.digest = TB_MD_SHA1;
  r = csr(&s);
  EXPECT(r, "w_csr_signature_sha1");
  result_free(r);
  s.digest = TB_MD_DEFAULT;
  /* An algorithm nobody knows: cannot be verified. */
  uint8_t *info = NULL, *sig = NULL, *der = NULL;
  size_t info_len = 0, sig_len = 0, len = 0;
  tb_buf a = {0};
  algid(&a, "1.3.6.1.4.1.55555.77", false);
  tb_key *k = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  if (tb_csr_build_info(&s, &info, &info_len) != 0 ||
      tb_sign(k, TB_MD_SHA256, info, info_len, &sig, &sig_len) != 0 ||
      tb_wrap_signed(info, info_len, a.p, a.len, sig, sig_len, &der, &len) != 0)
    abort();
  r = run_csr_der(der, len, false, g_now);
  EXPECT(r, "n_csr_signature_unsupported");
  result_free(r);
  free(info);
  free(sig);
  tb_buf_free(&a);
  /* MD5 on a CSR is an error as on a certificate. */
  tb_buf_init(&a);
  algid(&a, "1.2.840.113549.1.1.4", true);
  if (tb_csr_build_info(&s, &info, &info_len) != 0 ||
      tb_sign(k, TB_MD_SHA256, info, info_len, &sig, &sig_len) != 0 ||
      tb_wrap_signed(info, info_len, a.p, a.len, sig, sig_len, &der, &len) != 0)
    abort();
  r = run_csr_der(der, len, false, g_now);
  CHECK(find(r, "e_signature_md5") != NULL);
  CHECK(find(r, "e_signature_sha1") == NULL);
  result_free(r);
  free(info);
  free(sig);
  tb_buf_free(&a);
  tb_csr_spec_cleanup(&s);
}

/* ==== validity, serial, version ================================================ */

static result *server_valid(mtk_time nb, mtk_time na, mtk_time now, bool priv) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.not_before = nb;
  s.not_after = na;
  result *r = run_cert(&s, MTK_PROFILE_AUTO, priv, now);
  tb_cert_spec_cleanup(&s);
  return r;
}

TEST(validity_now) {
  mtk_time nb = tb_time(2025, 1, 1, 0, 0, 0), na = tb_time(2025, 4, 1, 0, 0, 0);
  result *r = server_valid(nb, na, na + 1, false);
  EXPECT(r, "e_cert_expired");
  CHECK_STR(find(r, "e_cert_expired")->path, "tbsCertificate.validity.notAfter");
  CHECK_EQ_INT(find(r, "e_cert_expired")->offset, r->cert.not_after_off);
  result_free(r);
  r = server_valid(nb, na, na, false); /* notAfter itself is still valid */
  EXPECT_NONE(r);
  result_free(r);
  r = server_valid(nb, na, nb - 1, false);
  EXPECT(r, "e_cert_not_yet_valid");
  result_free(r);
  r = server_valid(na, nb, nb, false);
  EXPECT(r, "e_validity_negative", "e_cert_not_yet_valid");
  result_free(r);
}

TEST(validity_br_maximum) {
  /* 300 days issued 2026-03-01 (398-day rule) passes; 2026-04-01 (200). */
  mtk_time nb = tb_time(2026, 3, 1, 0, 0, 0);
  result *r = server_valid(nb, nb + 300 * DAY, nb + DAY, false);
  EXPECT_NONE(r);
  result_free(r);
  nb = tb_time(2026, 4, 1, 0, 0, 0);
  r = server_valid(nb, nb + 300 * DAY, nb + DAY, false);
  EXPECT(r, "e_server_validity_too_long");
  CHECK(detail_has(r, "e_server_validity_too_long", "limit is 200 days"));
  CHECK(detail_has(r, "e_server_validity_too_long", "300 days + 1 s"));
  result_free(r);
  r = server_valid(nb, nb + 300 * DAY, nb + DAY, true);
  CHECK_EQ_INT(sev(r, "e_server_validity_too_long"), MTK_SEV_NOTICE);
  result_free(r);
  /* Inclusive count: 398 days - 1 s passes, exactly 398 days does not. */
  nb = tb_time(2025, 1, 1, 0, 0, 0);
  r = server_valid(nb, nb + 398 * DAY - 1, g_now, false);
  EXPECT_NONE(r);
  result_free(r);
  r = server_valid(nb, nb + 398 * DAY, g_now, false);
  EXPECT(r, "e_server_validity_too_long");
  CHECK(detail_has(r, "e_server_validity_too_long", "398 days + 1 s"));
  result_free(r);
  /* 100 days from 2027-03-15, 47 from 2029-03-15. */
  nb = tb_time(2027, 3, 15, 0, 0, 0);
  r = server_valid(nb, nb + 100 * DAY - 1, nb + DAY, false);
  EXPECT_NONE(r);
  result_free(r);
  r = server_valid(nb, nb + 150 * DAY, nb + DAY, false);
  EXPECT(r, "e_server_validity_too_long");
  CHECK(detail_has(r, "e_server_validity_too_long", "limit is 100 days"));
  result_free(r);
  nb = tb_time(2029, 3, 15, 0, 0, 0);
  r = server_valid(nb, nb + 60 * DAY, nb + DAY, false);
  EXPECT(r, "e_server_validity_too_long");
  CHECK(detail_has(r, "e_server_validity_too_long", "limit is 47 days"));
  result_free(r);
  /* Before 2020-09-01 the rule does not apply. */
  nb = tb_time(2020, 1, 1, 0, 0, 0);
  r = server_valid(nb, nb + 800 * DAY, nb + DAY, false);
  EXPECT_NONE(r);
  result_free(r);
  /* Client certificates have no BR maximum. */
  tb_cert_spec s;
  client_spec(&s, NULL, 0);
  s.not_after = s.not_before + 1000 * DAY;
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(validity_time_quirks) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  s.not_before_fmt = TB_TIME_GEN;
  result *r = cert(&s);
  EXPECT(r, "e_gentime_before_2050");
  const mtk_finding *f = find(r, "e_gentime_before_2050");
  CHECK(r->diag.n_quirks == 1 && f != NULL && f->offset == r->diag.quirks[0].offset &&
        strcmp(f->path, r->diag.quirks[0].path) == 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  s.not_before_text = "2501010000Z";
  r = cert(&s);
  EXPECT(r, "e_der_time_without_seconds");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  s.not_after_fmt = TB_TIME_GEN;
  s.not_after_text = "20250401000000.5Z";
  r = cert(&s);
  EXPECT(r, "e_der_time_fractional_seconds", "e_gentime_before_2050");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  s.not_before_text = "250101000000+0100";
  r = cert(&s);
  EXPECT(r, "e_der_time_not_utc");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(serial_numbers) {
  static const struct {
    const char *bytes;
    size_t len;
    const char *id;
  } cases[] = {
      {"\x00", 1, "e_serial_zero"},
      {"\x01\x02\x03", 3, "w_serial_low_entropy"},
      {"\x01\x02\x03\x04\x05\x06\x07\x08", 8, NULL},
      {"\x00\x81\x02\x03\x04\x05\x06\x07\x08", 9, NULL},
      {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15", 21,
       "e_serial_too_long"},
      {"\x81\x02\x03\x04\x05\x06\x07\x08\x09", 9, "e_serial_negative"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_cert_spec s;
    server_spec(&s, "www.example.com", 0);
    tb_cert_spec_set_serial(&s, cases[i].bytes, cases[i].len);
    result *r = cert(&s);
    const char *want[] = {NULL, cases[i].id};
    CHECK(expect_ids(r, want, 2, __FILE__, __LINE__));
    result_free(r);
    /* Serial entropy binds public CAs only. */
    if (cases[i].id != NULL && strcmp(cases[i].id, "w_serial_low_entropy") == 0) {
      r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
      CHECK_EQ_INT(sev(r, "w_serial_low_entropy"), MTK_SEV_NOTICE);
      result_free(r);
    }
    tb_cert_spec_cleanup(&s);
  }
}

TEST(versions_issuer_uids) {
  tb_cert_spec s;
  /* v1 leaf from a CA: no extensions at all. */
  tb_cert_spec_default(&s);
  issued_by_ca(&s);
  s.version = TB_V1;
  result *r = cert(&s);
  EXPECT(r, "e_cert_not_v3", "e_server_cert_no_san");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* v1 self-issued root; and v1 written out (DEFAULT). */
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  r = cert(&s);
  EXPECT(r, "n_ca_cert_v1");
  result_free(r);
  s.version_explicit = true;
  r = cert(&s);
  EXPECT(r, "n_ca_cert_v1", "e_der_default_version_encoded");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Empty issuer. */
  server_spec(&s, "www.example.com", 0);
  tb_name_clear(&s.issuer);
  tb_name_set_raw(&s.issuer, "\x30\x00", 2);
  r = cert(&s);
  EXPECT(r, "e_issuer_empty");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Unique identifiers. */
  server_spec(&s, "www.example.com", 0);
  s.subject_uid = (const uint8_t *)"\x01\x02";
  s.subject_uid_len = 2;
  r = cert(&s);
  EXPECT(r, "e_unique_id_present");
  CHECK_STR(find(r, "e_unique_id_present")->path, "tbsCertificate.subjectUniqueID");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* An empty extensions field. */
  tb_cert_spec_default(&s);
  issued_by_ca(&s);
  s.ext_mode = TB_EXTS_EMPTY;
  r = run_cert(&s, MTK_PROFILE_CLIENT, false, g_now);
  EXPECT(r, "e_empty_extensions_sequence", "w_client_cert_no_san", "n_client_eku_missing",
         "w_client_ski_missing", "e_aki_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== names =============================================================== */

static result *server_subject(const tb_name *subject, bool priv, mtk_time nb) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  tb_name_clear(&s.subject);
  tb_name_copy(&s.subject, subject);
  if (nb != 0) {
    s.not_before = nb;
    s.not_after = nb + 90 * DAY;
  }
  result *r = run_cert(&s, MTK_PROFILE_AUTO, priv, nb != 0 ? nb + DAY : g_now);
  tb_cert_spec_cleanup(&s);
  return r;
}

TEST(subject_attributes) {
  tb_name n = {0};
  tb_name_add(&n, "C", "us");
  tb_name_add(&n, "CN", "www.example.com");
  result *r = server_subject(&n, false, 0);
  EXPECT(r, "e_subject_country_invalid");
  const mtk_finding *f = find(r, "e_subject_country_invalid");
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &r->cert.subject);
  CHECK(mtk_name_next(&it, &a));
  CHECK(f != NULL && f->offset == a.offset && strcmp(f->path, "tbsCertificate.subject[0][0]") == 0);
  result_free(r);
  tb_name_clear(&n);
  /* A UTF8String country, three letters, and a good one. */
  tb_name_add_ex(&n, "C", MTK_ASN1_UTF8STRING, "US", 2, false);
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT(r, "e_subject_country_invalid");
  result_free(r);
  tb_name_clear(&n);
  tb_name_add(&n, "C", "USA");
  r = server_subject(&n, false, 0);
  EXPECT(r, "e_subject_country_invalid");
  result_free(r);
  tb_name_clear(&n);
  tb_name_add(&n, "C", "US");
  tb_name_add(&n, "ST", "California");
  tb_name_add(&n, "L", "San Francisco");
  tb_name_add(&n, "O", "Example Inc");
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT_NONE(r);
  result_free(r);
  tb_name_clear(&n);
  /* Empty and over-long values. */
  tb_name_add_ex(&n, "O", 0, "", 0, false);
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT(r, "e_subject_attr_empty");
  result_free(r);
  tb_name_clear(&n);
  char longv[70];
  memset(longv, 'a', sizeof(longv));
  tb_name_add_ex(&n, "O", 0, longv, 65, false);
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT(r, "e_subject_attr_too_long");
  CHECK(detail_has(r, "e_subject_attr_too_long", "65 characters (at most 64)"));
  result_free(r);
  tb_name_clear(&n);
  /* 64 characters of UTF-8 in more octets: fine. */
  char utf[128];
  for (int i = 0; i < 64; i++) memcpy(utf + 2 * i, "\xc3\xa9", 2);
  tb_name_add_ex(&n, "O", MTK_ASN1_UTF8STRING, utf, 128, false);
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT_NONE(r);
  result_free(r);
  tb_name_clear(&n);
  /* Duplicates, multi-valued RDN, emailAddress. */
  tb_name_add(&n, "O", "Example");
  tb_name_add(&n, "O", "Example again");
  tb_name_add(&n, "OU", "a");
  tb_name_add(&n, "OU", "b");
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, true, 0);
  EXPECT(r, "n_subject_duplicate_attr", "e_server_subject_ou");
  CHECK_EQ_INT(sev(r, "e_server_subject_ou"), MTK_SEV_NOTICE);
  result_free(r);
  tb_name_clear(&n);
  tb_name_add(&n, "O", "Example");
  tb_name_add_ex(&n, "L", 0, "Paris", 5, true);
  tb_name_add(&n, "emailAddress", "admin@example.com");
  tb_name_add(&n, "CN", "www.example.com");
  r = server_subject(&n, false, 0);
  EXPECT(r, "w_multi_valued_rdn", "n_subject_email_address");
  CHECK_STR(find(r, "w_multi_valued_rdn")->path, "tbsCertificate.subject[0]");
  result_free(r);
  tb_name_clear(&n);
}

TEST(subject_ou_effective_date) {
  tb_name n = {0};
  tb_name_add(&n, "OU", "IT");
  tb_name_add(&n, "CN", "www.example.com");
  result *r = server_subject(&n, false, tb_time(2022, 8, 31, 0, 0, 0));
  EXPECT_NONE(r);
  result_free(r);
  r = server_subject(&n, false, tb_time(2022, 9, 1, 0, 0, 0));
  EXPECT(r, "e_server_subject_ou");
  result_free(r);
  tb_name_clear(&n);
}

TEST(subject_string_types) {
  tb_name n = {0};
  static const uint8_t bmp_cn[] = {0, 'w', 0, 'w', 0, 'w', 0, '.', 0, 'e', 0, 'x', 0, 'a',
                                   0, 'm', 0, 'p', 0, 'l', 0, 'e', 0, '.', 0, 'c', 0, 'o', 0, 'm'};
  tb_name_add_ex(&n, "CN", MTK_ASN1_BMPSTRING, bmp_cn, sizeof(bmp_cn), false);
  result *r = server_subject(&n, false, 0);
  EXPECT(r, "w_directory_string_type"); /* and the BMP CN still matches the SAN */
  result_free(r);
  tb_name_clear(&n);
  static const struct {
    mtk_tag tag;
    const char *v;
    size_t len;
    const char *id;
  } cases[] = {
      {MTK_ASN1_T61STRING, "Caf\xe9", 4, "w_teletexstring_used"},
      {MTK_ASN1_UNIVERSALSTRING, "\0\0\0A", 4, "w_universalstring_used"},
      {MTK_ASN1_PRINTABLESTRING, "a*b", 3, "e_der_printablestring_charset"},
      {MTK_ASN1_UTF8STRING, "a\xff", 2, "e_der_utf8string_invalid"},
      {MTK_ASN1_BMPSTRING, "\0a\0", 3, "e_der_bmpstring_invalid"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    tb_name_add_ex(&n, "O", cases[i].tag, cases[i].v, cases[i].len, false);
    tb_name_add(&n, "CN", "www.example.com");
    r = server_subject(&n, false, 0);
    const char *want[] = {NULL, cases[i].id,
                          cases[i].tag == MTK_ASN1_BMPSTRING ? "w_directory_string_type" : NULL};
    CHECK(expect_ids(r, want, 3, __FILE__, __LINE__));
    result_free(r);
    tb_name_clear(&n);
  }
  /* The issuer's string types too. */
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  tb_name_clear(&s.issuer);
  tb_name_add_ex(&s.issuer, "O", MTK_ASN1_BMPSTRING, "\0C\0A", 4, false);
  r = cert(&s);
  EXPECT(r, "w_directory_string_type");
  CHECK_STR(find(r, "w_directory_string_type")->path, "tbsCertificate.issuer[0][0]");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* An unsorted multi-valued RDN. */
  tb_name_add(&n, "CN", "www.example.com");
  tb_name_add_ex(&n, "O", 0, "Example", 7, true);
  n.unsorted = true;
  r = server_subject(&n, true, 0);
  EXPECT(r, "w_multi_valued_rdn", "e_der_set_of_not_sorted");
  result_free(r);
  tb_name_clear(&n);
}

TEST(empty_subject) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_SAN);
  tb_name_clear(&s.subject);
  tb_name_set_raw(&s.subject, "\x30\x00", 2);
  tb_gn g = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &g, 1);
  result *r = cert(&s);
  EXPECT(r, "e_subject_empty_without_critical_san");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_SAN);
  tb_name_clear(&s.subject);
  tb_name_set_raw(&s.subject, "\x30\x00", 2);
  tb_ext_san(&s.exts, true, &g, 1);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== subjectAltName ========================================================= */

TEST(san_presence) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_SAN);
  result *r = cert(&s);
  EXPECT(r, "e_server_cert_no_san");
  CHECK_STR(find(r, "e_server_cert_no_san")->path, "tbsCertificate.extensions");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_SAN);
  r = cert(&s);
  EXPECT(r, "w_client_cert_no_san");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  tb_csr_spec cs;
  tb_csr_spec_default(&cs);
  r = csr(&cs);
  EXPECT(r, "w_csr_no_san");
  result_free(r);
  tb_csr_spec_cleanup(&cs);
  /* Critical SAN with a subject. */
  server_spec(&s, "www.example.com", O_SAN);
  tb_gn g = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, true, &g, 1);
  r = cert(&s);
  EXPECT(r, "w_san_critical_with_subject");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(cn_in_san) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "other.example.com");
  result *r = cert(&s);
  EXPECT(r, "e_cn_not_in_san");
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  EXPECT(r, "e_cn_not_in_san");
  CHECK_EQ_INT(sev(r, "e_cn_not_in_san"), MTK_SEV_NOTICE);
  CHECK_EQ_INT(r->f.n_error, 0);
  CHECK_EQ_INT(r->f.n_notice, 1);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Case-insensitive match; an IP CN against an iPAddress. */
  server_spec(&s, "www.example.com", 0);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "WWW.example.COM");
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  tb_gn ips[] = {tb_gn_ip_text("192.0.2.1"), tb_gn_ip_text("2001:db8::1")};
  server_spec_san(&s, ips, 2);
  tb_name_add(&s.subject, "CN", "2001:DB8:0:0::1");
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* CSR: a warning. */
  tb_csr_spec cs;
  csr_spec(&cs, "www.example.com");
  tb_name_clear(&cs.subject);
  tb_name_add(&cs.subject, "CN", "Alice");
  r = csr(&cs);
  EXPECT(r, "w_csr_cn_not_in_san");
  result_free(r);
  tb_csr_spec_cleanup(&cs);
}

static result *dns_case(const void *name, size_t len, bool priv, mtk_time nb) {
  tb_cert_spec s;
  tb_gn g = tb_gn_dns_n(name, len);
  server_spec_san(&s, &g, 1);
  if (nb != 0) {
    s.not_before = nb;
    s.not_after = nb + 90 * DAY;
  }
  result *r = run_cert(&s, MTK_PROFILE_AUTO, priv, nb != 0 ? nb + DAY : g_now);
  tb_cert_spec_cleanup(&s);
  return r;
}

TEST(dns_names) {
  char label64[80], long_name[300];
  memset(label64, 'a', 64);
  memcpy(label64 + 64, ".example.com", 13);
  size_t o = 0;
  while (o < 260) {
    memcpy(long_name + o, "abcdefghi.", 10);
    o += 10;
  }
  memcpy(long_name + o, "com", 4);
  static const struct {
    const char *name;
    const char *id1, *id2;
  } cases[] = {
      {"www.example.com", NULL, NULL},
      {"*.example.com", NULL, NULL},
      {"xn--bcher-kva.example", NULL, NULL},
      {"", "e_dns_name_empty", NULL},
      {"b\xc3\xbc" "cher.example", "e_dns_name_not_ascii", "e_der_ia5string_charset"},
      {"ex ample.com", "e_dns_name_bad_char", NULL},
      {"a\x00" "b.example.com", "e_dns_name_bad_char", NULL},
      {".example.com", "e_dns_name_empty_label", NULL},
      {"example.com.", "e_dns_name_empty_label", NULL},
      {"a..example.com", "e_dns_name_empty_label", NULL},
      {"-a.example.com", "e_dns_label_bad_hyphen", NULL},
      {"a-.example.com", "e_dns_label_bad_hyphen", NULL},
      {"a_b.example.com", "e_dns_underscore", NULL},
      {"192.0.2.1", "e_dns_name_is_ip", NULL},
      {"2001:db8::1", "e_dns_name_is_ip", NULL},
      {"www.*.example.com", "e_dns_wildcard_not_leftmost", NULL},
      {"f*.example.com", "e_dns_wildcard_partial_label", NULL},
      {"*.com", "e_dns_wildcard_too_broad", NULL},
      {"WWW.Example.com", "n_dns_name_uppercase", NULL},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t len = strlen(cases[i].name);
    if (i == 6) len = 15; /* embedded NUL */
    result *r = dns_case(cases[i].name, len, false, 0);
    const char *want[] = {NULL, cases[i].id1, cases[i].id2};
    CHECK(expect_ids(r, want, 3, __FILE__, __LINE__));
    if (!r->ok) fprintf(stderr, "  (dns case %zu)\n", i);
    result_free(r);
  }
  result *r = dns_case(label64, strlen(label64), false, 0);
  EXPECT(r, "e_dns_label_too_long");
  result_free(r);
  r = dns_case(long_name, strlen(long_name), false, 0);
  EXPECT(r, "e_dns_name_too_long");
  result_free(r);
  /* Underscores: public only, and only from 2019-04-01. */
  r = dns_case("a_b.example.com", 15, true, 0);
  CHECK_EQ_INT(sev(r, "e_dns_underscore"), MTK_SEV_NOTICE);
  result_free(r);
  r = dns_case("a_b.example.com", 15, false, tb_time(2019, 3, 1, 0, 0, 0));
  EXPECT_NONE(r);
  result_free(r);
}

TEST(dns_paths) {
  tb_cert_spec s;
  tb_gn names[] = {tb_gn_dns("www.example.com"), tb_gn_dns("a_b.example.com")};
  server_spec_san(&s, names, 2);
  result *r = cert(&s);
  EXPECT(r, "e_dns_underscore");
  const mtk_finding *f = find(r, "e_dns_underscore");
  const mtk_ext *san = mtk_ext_get(&r->cert.exts, MTK_XK_SAN);
  mtk_gn_iter it;
  mtk_gn g;
  CHECK(san != NULL && mtk_gn_iter_init_ext(&it, &san->value));
  CHECK(mtk_gn_next(&it, &g) && mtk_gn_next(&it, &g));
  char want[96];
  snprintf(want, sizeof(want), "tbsCertificate.extensions[%u].subjectAltName[1].dNSName",
           san != NULL ? san->index : 99);
  CHECK(f != NULL && f->offset == g.offset);
  CHECK(f != NULL && strcmp(f->path, want) == 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(san_ip_lengths) {
  tb_cert_spec s;
  tb_gn g = tb_gn_ip("\x01\x02\x03\x04\x05", 5);
  server_spec_san(&s, &g, 1);
  result *r = cert(&s);
  EXPECT(r, "e_san_ip_bad_length");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* Capacity: more findings than MTK_MAX_FINDINGS are counted, not kept. */
TEST(findings_capacity) {
  tb_gn names[140];
  for (size_t i = 0; i < 140; i++) names[i] = tb_gn_dns("a_b.example.com");
  tb_cert_spec s;
  server_spec_san(&s, names, 140);
  result *r = cert(&s);
  CHECK_EQ_INT(r->f.n, MTK_MAX_FINDINGS);
  CHECK_EQ_INT(r->f.dropped, 140 - MTK_MAX_FINDINGS);
  CHECK_EQ_INT(r->f.n_error, 140);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== SPIFFE ================================================================ */

static result *svid(const char *const *uris, size_t n) {
  tb_cert_spec s;
  client_spec(&s, NULL, O_SAN);
  tb_gn g[4];
  for (size_t i = 0; i < n; i++) g[i] = tb_gn_uri(uris[i]);
  tb_ext_san(&s.exts, false, g, n);
  result *r = cert(&s);
  tb_cert_spec_cleanup(&s);
  return r;
}

TEST(spiffe_ids) {
  static const struct {
    const char *uri;
    const char *id;
  } cases[] = {
      {"spiffe://example.org", NULL},
      {"spiffe://prod.example-1.org/ns/default/sa/web_1", NULL},
      {"https://example.org/ns/x", NULL},
      {"SPIFFE://example.org/x", "e_spiffe_id_malformed"},
      {"spiffe://user@example.org/x", "e_spiffe_id_malformed"},
      {"spiffe://example.org:8443/x", "e_spiffe_id_malformed"},
      {"spiffe://example.org/x?y=1", "e_spiffe_id_malformed"},
      {"spiffe://example.org/x#frag", "e_spiffe_id_malformed"},
      {"spiffe://Example.org/x", "e_spiffe_trust_domain_invalid"},
      {"spiffe:///x", "e_spiffe_trust_domain_invalid"},
      {"spiffe://exa mple.org/x", "e_spiffe_trust_domain_invalid"},
      {"spiffe://example.org/a//b", "e_spiffe_path_invalid"},
      {"spiffe://example.org/a/", "e_spiffe_path_invalid"},
      {"spiffe://example.org/a/../b", "e_spiffe_path_invalid"},
      {"spiffe://example.org/./b", "e_spiffe_path_invalid"},
      {"spiffe://example.org/a%20b", "e_spiffe_path_invalid"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    result *r = svid(&cases[i].uri, 1);
    const char *want[] = {NULL, cases[i].id};
    CHECK(expect_ids(r, want, 2, __FILE__, __LINE__));
    if (!r->ok) fprintf(stderr, "  (spiffe case %zu)\n", i);
    result_free(r);
  }
  /* Longer than 2048 bytes. */
  char *big = malloc(2100);
  if (big == NULL) abort();
  memcpy(big, "spiffe://example.org", 20);
  for (size_t i = 20; i + 2 < 2100; i += 2) memcpy(big + i, "/a", 2);
  big[2099] = '\0';
  big[2098] = 'b';
  const char *one[] = {big};
  result *r = svid(one, 1);
  EXPECT(r, "w_spiffe_id_too_long");
  result_free(r);
  free(big);
  /* More than one URI SAN next to a SPIFFE ID. */
  static const char *const two[] = {"spiffe://example.org/a", "https://example.org/b"};
  r = svid(two, 2);
  EXPECT(r, "e_spiffe_multiple_uri_sans");
  result_free(r);
  static const char *const two_plain[] = {"https://example.org/a", "https://example.org/b"};
  r = svid(two_plain, 2);
  EXPECT_NONE(r);
  result_free(r);
}

TEST(spiffe_key_usage) {
  tb_cert_spec s;
  client_spec(&s, NULL, O_KU);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_AGREEMENT);
  result *r = cert(&s);
  EXPECT(r, "e_spiffe_leaf_key_usage", "e_leaf_ku_no_digital_signature");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_KU);
  r = cert(&s);
  EXPECT(r, "e_spiffe_leaf_key_usage");
  CHECK(detail_has(r, "e_spiffe_leaf_key_usage", "no keyUsage"));
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* Not a SPIFFE ID: no keyUsage is fine for a client. */
  client_spec(&s, "https://example.org/alice", O_KU);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== extensions ============================================================= */

TEST(ext_duplicates_and_unknown) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", 0);
  tb_gn g = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &g, 1);
  result *r = cert(&s);
  EXPECT(r, "e_ext_duplicate");
  CHECK(detail_has(r, "e_ext_duplicate", "subjectAltName repeats extension [0]"));
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.1", true, "\x05\x00", 2);
  r = cert(&s);
  EXPECT(r, "e_ext_unknown_critical");
  CHECK(detail_has(r, "e_ext_unknown_critical", "1.3.6.1.4.1.55555.1"));
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55555.1", false, "\x05\x00", 2);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_der_quirks) {
  tb_cert_spec s;
  /* basicConstraints with critical BOOLEAN 0x01. */
  static const uint8_t bc_01[] = {0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01,
                                  0x01, 0x01, 0x04, 0x02, 0x30, 0x00};
  server_spec(&s, "www.example.com", O_BC);
  tb_ext_add_element(&s.exts, bc_01, sizeof(bc_01));
  result *r = cert(&s);
  EXPECT(r, "e_der_boolean_true_not_ff");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* critical FALSE written out. */
  static const uint8_t bc_false[] = {0x30, 0x0c, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01,
                                     0x01, 0x00, 0x04, 0x02, 0x30, 0x00};
  server_spec(&s, "www.example.com", O_BC);
  tb_ext_add_element(&s.exts, bc_false, sizeof(bc_false));
  r = cert(&s);
  EXPECT(r, "e_der_default_value_encoded");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* keyUsage digitalSignature with trailing zero bits. */
  server_spec(&s, "www.example.com", O_KU);
  tb_ext_add(&s.exts, "2.5.29.15", true, "\x03\x02\x00\x80", 4);
  r = cert(&s);
  EXPECT(r, "e_der_named_bits_trailing_zero");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_key_usage) {
  tb_cert_spec s;
  /* keyCertSign in a leaf. */
  server_spec(&s, "www.example.com", O_KU);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_CERT_SIGN);
  result *r = cert(&s);
  EXPECT(r, "e_ku_cert_sign_without_ca");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* EC key: keyEncipherment forbidden; keyAgreement alone cannot sign. */
  server_spec(&s, "www.example.com", O_KU);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_ENCIPHERMENT);
  r = cert(&s);
  EXPECT(r, "e_ku_encipherment_with_signature_key");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_KU);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_AGREEMENT);
  r = cert(&s);
  EXPECT(r, "e_leaf_ku_no_digital_signature");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* RSA server with keyEncipherment only: a warning; for a client, an error. */
  server_spec(&s, "www.example.com", O_KU);
  s.subject_key = tb_key_new(TB_KEY_RSA, 2048);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_ENCIPHERMENT);
  r = cert(&s);
  EXPECT(r, "w_server_rsa_ku_key_encipherment_only");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, "https://example.org/alice", O_KU);
  s.subject_key = tb_key_new(TB_KEY_RSA, 2048);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_ENCIPHERMENT);
  r = cert(&s);
  EXPECT(r, "e_leaf_ku_no_digital_signature");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* No keyUsage in a server certificate. */
  server_spec(&s, "www.example.com", O_KU);
  r = cert(&s);
  EXPECT(r, "w_server_ku_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_ca_key_usage) {
  tb_cert_spec s;
  intermediate_spec(&s);
  tb_exts_clear(&s.exts);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  result *r = cert(&s);
  EXPECT(r, "e_ca_ku_missing");
  result_free(r);
  tb_ext_key_usage(&s.exts, false, TB_KU_CRL_SIGN);
  r = cert(&s);
  EXPECT(r, "e_ca_ku_no_cert_sign", "w_ca_ku_not_critical");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_eku) {
  tb_cert_spec s;
  static const char *const client_only[] = {TB_EKU_CLIENT_AUTH};
  static const char *const server_only[] = {TB_EKU_SERVER_AUTH};
  static const char *const both[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH};
  static const char *const any[] = {TB_EKU_ANY};
  server_spec(&s, "www.example.com", O_EKU);
  result *r = cert(&s);
  EXPECT(r, "e_server_eku_missing");
  result_free(r);
  tb_ext_eku(&s.exts, false, client_only, 1);
  r = run_cert(&s, MTK_PROFILE_SERVER, false, g_now);
  EXPECT(r, "e_server_eku_no_server_auth", "n_client_auth_in_public_server_cert");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_EKU);
  tb_ext_eku(&s.exts, false, server_only, 1);
  r = run_cert(&s, MTK_PROFILE_CLIENT, false, g_now);
  EXPECT(r, "e_client_eku_no_client_auth");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_EKU);
  r = run_cert(&s, MTK_PROFILE_CLIENT, false, g_now);
  EXPECT(r, "n_client_eku_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* anyExtendedKeyUsage. */
  server_spec(&s, "www.example.com", O_EKU);
  tb_ext_eku(&s.exts, false, any, 1);
  r = cert(&s);
  EXPECT(r, "w_leaf_eku_any");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* serverAuth + clientAuth: a notice now, an error from 2027-03-15. */
  server_spec(&s, "www.example.com", O_EKU);
  tb_ext_eku(&s.exts, false, both, 2);
  r = cert(&s);
  EXPECT(r, "n_client_auth_in_public_server_cert");
  result_free(r);
  s.not_before = tb_time(2027, 3, 15, 0, 0, 0);
  s.not_after = s.not_before + 90 * DAY;
  r = run_cert(&s, MTK_PROFILE_AUTO, false, s.not_before + DAY);
  EXPECT(r, "e_server_cert_has_client_auth_eku");
  CHECK_EQ_INT(sev(r, "e_server_cert_has_client_auth_eku"), MTK_SEV_ERROR);
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, s.not_before + DAY);
  EXPECT(r, "e_server_cert_has_client_auth_eku");
  CHECK_EQ_INT(sev(r, "e_server_cert_has_client_auth_eku"), MTK_SEV_NOTICE);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_basic_constraints) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_BC);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  result *r = run_cert(&s, MTK_PROFILE_SERVER, false, g_now);
  EXPECT(r, "e_leaf_bc_ca_true");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* pathLenConstraint with cA FALSE. */
  server_spec(&s, "www.example.com", O_BC);
  tb_ext_add(&s.exts, "2.5.29.19", true, "\x30\x03\x02\x01\x00", 5);
  r = cert(&s);
  EXPECT(r, "e_bc_pathlen_invalid");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* CA: basicConstraints missing, not critical; pathLen without keyCertSign. */
  intermediate_spec(&s);
  tb_exts_clear(&s.exts);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_CERT_SIGN | TB_KU_CRL_SIGN);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  r = run_cert(&s, MTK_PROFILE_CA, false, g_now);
  EXPECT(r, "e_ca_bc_missing", "e_ku_cert_sign_without_ca");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  intermediate_spec(&s);
  tb_exts_clear(&s.exts);
  tb_ext_basic_constraints(&s.exts, false, true, 0);
  tb_ext_key_usage(&s.exts, true, TB_KU_CRL_SIGN);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  r = cert(&s);
  EXPECT(r, "e_ca_bc_not_critical", "e_bc_pathlen_invalid", "e_ca_ku_no_cert_sign");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_key_identifiers) {
  tb_cert_spec s;
  intermediate_spec(&s);
  tb_exts_clear(&s.exts);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_CERT_SIGN);
  tb_ext_aki_auto(&s.exts, true);
  result *r = cert(&s);
  EXPECT(r, "e_ca_ski_missing", "e_aki_critical");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_SKI | O_AKI);
  tb_ext_ski_auto(&s.exts, true);
  r = cert(&s);
  EXPECT(r, "e_ski_critical", "e_aki_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  client_spec(&s, NULL, O_SKI);
  r = cert(&s);
  EXPECT(r, "w_client_ski_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* AKI by issuer and serial only. */
  tb_name issuer = {0};
  tb_name_add(&issuer, "CN", "Test Root CA");
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t m1 = tb_der_begin(&b, MTK_CTX_C(1));
  size_t m2 = tb_der_begin(&b, MTK_CTX_C(4));
  tb_der_name(&b, &issuer);
  tb_der_end(&b, m2);
  tb_der_end(&b, m1);
  tb_der_tlv(&b, MTK_CTX(2), "\x01", 1);
  tb_der_end(&b, m);
  server_spec(&s, "www.example.com", O_AKI);
  tb_ext_add(&s.exts, "2.5.29.35", false, b.p, b.len);
  r = cert(&s);
  EXPECT(r, "e_aki_no_key_id", "e_aki_issuer_serial_public");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  tb_buf_free(&b);
  tb_name_clear(&issuer);
  /* A self-signed root needs no AKI. */
  root_spec(&s);
  tb_exts_clear(&s.exts);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_CERT_SIGN);
  tb_ext_ski_auto(&s.exts, false);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_revocation_pointers) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_CRL | O_AIA);
  result *r = cert(&s);
  EXPECT(r, "e_server_no_revocation_info");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_AIA);
  r = cert(&s);
  EXPECT(r, "n_aia_ocsp_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_CRL);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_CRL | O_AIA);
  tb_ext_crl_dp(&s.exts, false, "ldap://ldap.example.net/cn=crl");
  tb_ext_aia(&s.exts, false, "https://ocsp.example.net", NULL);
  r = cert(&s);
  EXPECT(r, "e_crldp_no_http_uri", "e_aia_not_http_uri");
  CHECK(strstr(find(r, "e_aia_not_http_uri")->path, ".authorityInfoAccess[0].accessLocation") !=
        NULL);
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  CHECK_EQ_INT(r->f.n_error, 0);
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_policies) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_CP);
  result *r = cert(&s);
  EXPECT(r, "e_cert_policies_missing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* DV policy with a userNotice qualifier, then with a CPS URI. */
  for (int cps = 0; cps < 2; cps++) {
    tb_buf b = {0};
    size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t p = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    tb_der_oid(&b, TB_POLICY_DV);
    size_t qs = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t q = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    if (cps) {
      tb_der_oid(&b, "1.3.6.1.5.5.7.2.1");
      tb_der_string(&b, MTK_ASN1_IA5STRING, "http://cps.example.net", 22);
    } else {
      tb_der_oid(&b, "1.3.6.1.5.5.7.2.2");
      size_t un = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
      tb_der_string(&b, MTK_ASN1_UTF8STRING, "hello", 5);
      tb_der_end(&b, un);
    }
    tb_der_end(&b, q);
    tb_der_end(&b, qs);
    tb_der_end(&b, p);
    tb_der_end(&b, m);
    server_spec(&s, "www.example.com", O_CP);
    tb_ext_add(&s.exts, "2.5.29.32", false, b.p, b.len);
    r = cert(&s);
    if (cps) EXPECT_NONE(r);
    else EXPECT(r, "w_policy_qualifier_not_cps");
    result_free(r);
    tb_cert_spec_cleanup(&s);
    tb_buf_free(&b);
  }
}

TEST(ext_name_constraints) {
  tb_gn permitted = tb_gn_dns("example.com");
  tb_cert_spec s;
  intermediate_spec(&s);
  tb_ext_name_constraints(&s.exts, false, &permitted, 1, NULL, 0);
  result *r = cert(&s);
  EXPECT(r, "w_nc_not_critical");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  intermediate_spec(&s);
  tb_ext_name_constraints(&s.exts, true, &permitted, 1, NULL, 0);
  r = cert(&s);
  EXPECT_NONE(r);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_name_constraints(&s.exts, true, &permitted, 1, NULL, 0);
  r = cert(&s);
  EXPECT(r, "e_nc_in_leaf");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

TEST(ext_misc) {
  tb_cert_spec s;
  server_spec(&s, "www.example.com", O_SCT);
  tb_ext_ct_poison(&s.exts);
  result *r = cert(&s);
  EXPECT(r, "e_precert_poison");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", O_SCT);
  r = cert(&s);
  EXPECT(r, "n_server_no_sct");
  result_free(r);
  r = run_cert(&s, MTK_PROFILE_AUTO, true, g_now);
  EXPECT(r, "n_server_no_sct");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_must_staple(&s.exts, false);
  r = cert(&s);
  EXPECT(r, "n_must_staple");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_add(&s.exts, "1.3.6.1.5.5.7.48.1.5", false, "\x05\x00", 2);
  r = cert(&s);
  EXPECT(r, "w_ocsp_nocheck_not_ocsp_signing");
  result_free(r);
  tb_cert_spec_cleanup(&s);
  /* An OCSP responder certificate may carry it. */
  static const char *const ocsp[] = {TB_EKU_OCSP_SIGNING};
  client_spec(&s, NULL, O_EKU);
  tb_ext_eku(&s.exts, false, ocsp, 1);
  tb_ext_add(&s.exts, "1.3.6.1.5.5.7.48.1.5", false, "\x05\x00", 2);
  r = cert(&s);
  CHECK(r->ok && find(r, "w_ocsp_nocheck_not_ocsp_signing") == NULL);
  result_free(r);
  tb_cert_spec_cleanup(&s);
  server_spec(&s, "www.example.com", 0);
  tb_ext_add(&s.exts, "2.16.840.1.113730.1.1", false, "\x03\x02\x06\x40", 4);
  r = cert(&s);
  EXPECT(r, "n_netscape_cert_type");
  result_free(r);
  tb_cert_spec_cleanup(&s);
}

/* ==== certification requests =================================================== */

TEST(csr_attributes_and_extensions) {
  tb_csr_spec s;
  csr_spec(&s, "www.example.com");
  s.challenge_password = "s3cret";
  result *r = csr(&s);
  EXPECT(r, "n_csr_challenge_password");
  CHECK_STR(find(r, "n_csr_challenge_password")->path, "certificationRequestInfo.attributes[0]");
  result_free(r);
  tb_csr_spec_cleanup(&s);
  /* Extensions a CA sets itself; a requested CA; keyCertSign without CA. */
  csr_spec(&s, "www.example.com");
  tb_ext_crl_dp(&s.exts, false, "http://crl.example.net/x.crl");
  tb_ext_aki(&s.exts, false, tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1));
  r = csr(&s);
  EXPECT(r, "n_csr_ext_ignored");
  CHECK_EQ_INT(r->f.n_notice, 2);
  result_free(r);
  tb_csr_spec_cleanup(&s);
  csr_spec(&s, "www.example.com");
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_CERT_SIGN);
  r = csr(&s);
  EXPECT(r, "w_csr_requests_ca");
  result_free(r);
  tb_csr_spec_cleanup(&s);
  csr_spec(&s, "www.example.com");
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_CERT_SIGN);
  r = csr(&s);
  EXPECT(r, "e_ku_cert_sign_without_ca");
  result_free(r);
  tb_csr_spec_cleanup(&s);
}

TEST(csr_keys_and_names) {
  tb_csr_spec s;
  csr_spec(&s, "www.example.com");
  s.key = tb_key_new(TB_KEY_RSA, 1024);
  tb_name_add(&s.subject, "C", "usa");
  result *r = csr(&s);
  EXPECT(r, "e_rsa_modulus_too_small", "e_subject_country_invalid");
  CHECK_STR(find(r, "e_rsa_modulus_too_small")->path,
            "certificationRequestInfo.subjectPKInfo.subjectPublicKey");
  CHECK_STR(find(r, "e_subject_country_invalid")->path, "certificationRequestInfo.subject[1][0]");
  result_free(r);
  tb_csr_spec_cleanup(&s);
  /* A bad requested DNS name, with its path through extensionRequest. */
  csr_spec(&s, "www.example.com");
  tb_exts_clear(&s.exts);
  tb_gn g[] = {tb_gn_dns("www.example.com"), tb_gn_dns("*.com")};
  tb_ext_san(&s.exts, false, g, 2);
  r = csr(&s);
  EXPECT(r, "e_dns_wildcard_too_broad");
  CHECK_STR(find(r, "e_dns_wildcard_too_broad")->path,
            "certificationRequestInfo.attributes[0].extensionRequest[0].subjectAltName[1].dNSName");
  result_free(r);
  tb_csr_spec_cleanup(&s);
  /* Effective dates on CSRs follow "now": underscores before 2019-04-01. */
  csr_spec(&s, "a_b.example.com");
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_csr_build(&s, &der, &len) != 0) abort();
  r = run_csr_der(der, len, false, tb_time(2019, 1, 1, 0, 0, 0));
  EXPECT_NONE(r);
  result_free(r);
  if (tb_csr_build(&s, &der, &len) != 0) abort();
  r = run_csr_der(der, len, false, g_now);
  EXPECT(r, "e_dns_underscore");
  result_free(r);
  tb_csr_spec_cleanup(&s);
}

/* ==== docs/checks.md ============================================================= */

static const char *applies_text(unsigned a, char *buf, size_t cap) {
  buf[0] = '\0';
  if (a == MTK_APPLIES_ALL) {
    snprintf(buf, cap, "all");
    return buf;
  }
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {{MTK_APPLIES_SERVER, "server"},
               {MTK_APPLIES_CLIENT, "client"},
               {MTK_APPLIES_CA, "ca"},
               {MTK_APPLIES_CSR, "csr"}};
  for (size_t i = 0; i < 4; i++) {
    if (!(a & names[i].bit)) continue;
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s%s", n > 0 ? ", " : "", names[i].name);
  }
  return buf;
}

static char *render_checks_md(size_t *len) {
  size_t n = 0;
  const mtk_check *all = mtk_checks(&n);
  size_t cap = 64 * 1024, o = 0;
  char *s = malloc(cap);
  if (s == NULL) abort();
#define PUT(...)                                                    \
  do {                                                              \
    int w_ = snprintf(s + o, cap - o, __VA_ARGS__);                 \
    if (w_ < 0 || (size_t)w_ >= cap - o) abort();                   \
    o += (size_t)w_;                                                \
  } while (0)
  size_t per[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < n; i++) per[all[i].severity]++;
  PUT("# Lint checks\n\n");
  PUT("Generated from the registry in `lib/lint_internal.h` by `tests/unit/lint_test.c`:\n"
      "`MTK_UPDATE_DOCS=1 ctest --test-dir build -R lint_test` rewrites this file, and the\n"
      "test fails when it is stale.\n\n");
  PUT("%zu checks: %zu errors, %zu warnings, %zu notices.\n\n", n, per[3], per[2], per[1]);
  PUT("- **Severity**: the prefix of the id (e_ error, w_ warning, n_ notice). Errors are what\n"
      "  fails a handshake today and every MUST of RFC 5280 (and, for server certificates, of the\n"
      "  CA/Browser Forum Baseline Requirements); warnings are SHOULDs; notices the rest.\n");
  PUT("- **Effective**: the rule binds certificates whose notBefore is on or after this date\n"
      "  (certification requests: the current time).\n");
  PUT("- **Applies to**: server and client (leaf) certificates, CA certificates, CSRs.\n");
  PUT("- **Public only**: with `--private-pki` the finding is reported as a notice.\n");
  PUT("- Every finding names the element by path (as pkilint does) and byte offset.\n\n");
  PUT("| Id | Severity | Effective | Source | Applies to | Public only | Explanation |\n");
  PUT("|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    char ap[64];
    PUT("| `%s` | %s | %s | %s | %s | %s | %s |\n", all[i].id, mtk_severity_name(all[i].severity),
        all[i].effective[0] ? all[i].effective : "-", all[i].source,
        applies_text(all[i].applies, ap, sizeof(ap)), all[i].public_only ? "yes" : "no",
        all[i].summary);
  }
#undef PUT
  *len = o;
  return s;
}

TEST(docs_checks_table) {
  const char *src = getenv("MTK_SOURCE_DIR");
  if (src == NULL) src = ".";
  char path[1024];
  snprintf(path, sizeof(path), "%s/docs/checks.md", src);
  size_t len = 0;
  char *want = render_checks_md(&len);
  if (getenv("MTK_UPDATE_DOCS") != NULL) {
    CHECK(tb_write_file(path, want, len) == 0);
  }
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  if (f != NULL) {
    char *have = malloc(len + 2);
    if (have == NULL) abort();
    size_t got = fread(have, 1, len + 1, f);
    fclose(f);
    bool same = got == len && memcmp(have, want, len) == 0;
    if (!same) fprintf(stderr, "docs/checks.md is stale: run MTK_UPDATE_DOCS=1 ctest -R lint_test\n");
    CHECK(same);
    free(have);
  }
  free(want);
}

/* Runs last: every check in the registry was asserted by some test. */
TEST(every_check_tested) {
  size_t n = 0;
  const mtk_check *all = mtk_checks(&n);
  size_t missing = 0;
  for (size_t i = 0; i < n; i++) {
    if (g_asserted[i]) continue;
    fprintf(stderr, "check %s is never triggered by a test\n", all[i].id);
    missing++;
  }
  CHECK_EQ_INT(missing, 0);
}

int main(void) {
  g_now = tb_time(2025, 2, 1, 0, 0, 0);
  RUN(registry_shape);
  RUN(registry_has_every_quirk);
  RUN(names_and_profiles);
  RUN(quirks_become_findings);
  RUN(clean_server);
  RUN(clean_client);
  RUN(clean_ca);
  RUN(clean_csr);
  RUN(auto_profile);
  RUN(bad_arguments);
  RUN(explicit_profiles);
  RUN(key_rsa_small);
  RUN(key_rsa_modulus_and_exponent);
  RUN(key_rsa_weak_moduli);
  RUN(key_malformed_and_algorithms);
  RUN(key_ec_curves);
  RUN(sig_hashes);
  RUN(sig_params);
  RUN(sig_mismatch);
  RUN(sig_pss);
  RUN(csr_signatures);
  RUN(validity_now);
  RUN(validity_br_maximum);
  RUN(validity_time_quirks);
  RUN(serial_numbers);
  RUN(versions_issuer_uids);
  RUN(subject_attributes);
  RUN(subject_ou_effective_date);
  RUN(subject_string_types);
  RUN(empty_subject);
  RUN(san_presence);
  RUN(cn_in_san);
  RUN(dns_names);
  RUN(dns_paths);
  RUN(san_ip_lengths);
  RUN(findings_capacity);
  RUN(spiffe_ids);
  RUN(spiffe_key_usage);
  RUN(ext_duplicates_and_unknown);
  RUN(ext_der_quirks);
  RUN(ext_key_usage);
  RUN(ext_ca_key_usage);
  RUN(ext_eku);
  RUN(ext_basic_constraints);
  RUN(ext_key_identifiers);
  RUN(ext_revocation_pointers);
  RUN(ext_policies);
  RUN(ext_name_constraints);
  RUN(ext_misc);
  RUN(csr_attributes_and_extensions);
  RUN(csr_keys_and_names);
  RUN(docs_checks_table);
  RUN(every_check_tested);
  return test_summary();
}

/* render_test.c: the text and JSON renderers (lib/render*.c) over
 * certificates and CSRs made by certgen: a rich server certificate with
 * every extension mtlskit decodes, an RSA-PSS one, a CSR, and a weird one
 * with BMPString, TeletexString, escape sequences and NUL in its names.
 * Text is checked for key substrings and for the absence of raw control
 * bytes; JSON is parsed with jansson and its fields asserted, and a whole
 * document is validated against docs/schema/decode-v1.schema.json with
 * python3-jsonschema (Draft 7).
 *
 * MTK_RENDER_DUMP=1 in the environment prints the renderings. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "certgen.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "mtlskit/x509.h"
#include "test.h"

/* 2025-12-23T00:00:00Z: the rich certificate (2025-01-01 .. 2026-02-02
 * 23:59:59, 398 days) then expires in 41 days. */
#define NOW INT64_C(1766448000)

static bool dump;

/* ---- fixtures ------------------------------------------------------------------------- */

typedef struct fixture {
  uint8_t *der;
  size_t len;
} fixture;

static fixture rich, pss, weird, csr, ca;

static void add_raw_hex(tb_exts *e, const char *oid, bool critical, const char *hex) {
  tb_buf b = {0};
  tb_buf_hex(&b, hex);
  tb_ext_add(e, oid, critical, b.p, b.len);
  tb_buf_free(&b);
}

/* A CertificatePolicies value: DV, and a private policy with a CPS and a
 * user notice (noticeRef and explicitText). */
static void add_policies(tb_exts *e) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t p1 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "2.23.140.1.2.1");
  tb_der_end(&b, p1);
  size_t p2 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "1.3.6.1.4.1.55555.1");
  size_t qs = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t q1 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "1.3.6.1.5.5.7.2.1");
  tb_der_string(&b, MTK_ASN1_IA5STRING, "https://example.com/cps", 23);
  tb_der_end(&b, q1);
  size_t q2 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, "1.3.6.1.5.5.7.2.2");
  size_t un = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t nr = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_string(&b, MTK_ASN1_UTF8STRING, "Example Org", 11);
  size_t nums = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int(&b, 1);
  tb_der_int(&b, 2);
  tb_der_end(&b, nums);
  tb_der_end(&b, nr);
  tb_der_string(&b, MTK_ASN1_UTF8STRING, "Explicit text", 13);
  tb_der_end(&b, un);
  tb_der_end(&b, q2);
  tb_der_end(&b, qs);
  tb_der_end(&b, p2);
  tb_der_end(&b, m);
  tb_ext_add(e, "2.5.29.32", false, b.p, b.len);
  tb_buf_free(&b);
}

/* A SignedCertificateTimestampList with one SCT (RFC 6962 3.2). */
static void add_scts(tb_exts *e) {
  tb_buf b = {0};
  static const uint8_t sig[8] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
  size_t sct_len = 1 + 32 + 8 + 2 + 1 + 1 + 2 + sizeof sig;
  tb_buf_byte(&b, (uint8_t)((sct_len + 2) >> 8));
  tb_buf_byte(&b, (uint8_t)(sct_len + 2));
  tb_buf_byte(&b, (uint8_t)(sct_len >> 8));
  tb_buf_byte(&b, (uint8_t)sct_len);
  tb_buf_byte(&b, 0); /* v1 */
  for (uint8_t i = 0; i < 32; i++) tb_buf_byte(&b, i);
  uint64_t ts = UINT64_C(1735689600123); /* 2025-01-01T00:00:00.123Z */
  for (int i = 7; i >= 0; i--) tb_buf_byte(&b, (uint8_t)(ts >> (8 * i)));
  tb_buf_byte(&b, 0);
  tb_buf_byte(&b, 0); /* no extensions */
  tb_buf_byte(&b, 4); /* sha256 */
  tb_buf_byte(&b, 3); /* ecdsa */
  tb_buf_byte(&b, 0);
  tb_buf_byte(&b, sizeof sig);
  tb_buf_add(&b, sig, sizeof sig);
  tb_ext_sct_list(e, false, b.p, b.len);
  tb_buf_free(&b);
}

static int build_rich(void) {
  tb_cert_spec s;
  tb_name issuer = {0};
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "C", "FR");
  tb_name_add(&s.subject, "O", "Example, Inc.");
  tb_name_add(&s.subject, "CN", "www.example.com");
  tb_name_add(&s.issuer, "C", "FR");
  tb_name_add(&s.issuer, "O", "Example");
  tb_name_add(&s.issuer, "CN", "Example Issuing CA 1");
  static const uint8_t serial[] = {0x04, 0x8f, 0x2a, 0x11, 0x00, 0x7e};
  tb_cert_spec_set_serial(&s, serial, sizeof serial);
  s.not_before = tb_time(2025, 1, 1, 0, 0, 0);
  s.not_after = tb_time(2026, 2, 2, 23, 59, 59);
  s.subject_key = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  s.issuer_key = tb_key_new(TB_KEY_EC, NID_secp384r1);
  s.digest = TB_MD_SHA384;

  tb_name_add(&issuer, "CN", "Dir Name");
  static const uint8_t upn[] = {0x0c, 0x0d, 'u', 's', 'e', 'r', '@', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 's'};
  tb_gn san[9];
  san[0] = tb_gn_dns("www.example.com");
  san[1] = tb_gn_dns("example.com");
  san[2] = tb_gn_ip_text("192.0.2.10");
  san[3] = tb_gn_ip_text("2001:db8::10");
  san[4] = tb_gn_uri("https://www.example.com/");
  san[5] = tb_gn_email("admin@example.com");
  san[6] = tb_gn_dirname(&issuer);
  san[7] = tb_gn_othername("1.3.6.1.4.1.311.20.2.3", upn, sizeof upn);
  san[8] = tb_gn_rid("1.3.6.1.4.1.55555.9");
  tb_ext_san(&s.exts, false, san, 9);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_AGREEMENT);
  const char *ekus[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH, "1.3.6.1.4.1.55555.7"};
  tb_ext_eku(&s.exts, false, ekus, 3);
  tb_ext_basic_constraints(&s.exts, true, false, -1);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  tb_ext_crl_dp(&s.exts, false, "http://crl.example.com/ca1.crl");
  /* freshestCRL: a point with reasons and a CRL issuer */
  {
    tb_buf b = {0};
    size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t dp = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t dpn = tb_der_begin(&b, MTK_CTX_C(0));
    size_t fn = tb_der_begin(&b, MTK_CTX_C(0));
    tb_der_tlv(&b, MTK_CTX(6), "http://delta.example.com/", 25);
    tb_der_end(&b, fn);
    tb_der_end(&b, dpn);
    tb_der_tlv(&b, MTK_CTX(1), "\x05\x60", 2); /* keyCompromise, cACompromise */
    size_t ci = tb_der_begin(&b, MTK_CTX_C(2));
    tb_der_tlv(&b, MTK_CTX(2), "ca", 2);
    tb_der_end(&b, ci);
    tb_der_end(&b, dp);
    tb_der_end(&b, m);
    tb_ext_add(&s.exts, "2.5.29.46", false, b.p, b.len);
    tb_buf_free(&b);
  }
  tb_ext_aia(&s.exts, false, "http://ocsp.example.com", "http://ca.example.com/ca1.der");
  /* subjectInfoAccess: caRepository */
  add_raw_hex(&s.exts, "1.3.6.1.5.5.7.1.11", false,
              "30 1a 30 18 06 08 2b06010505073005 86 0c 72 73 79 6e 63 3a 2f 2f 72 65 70 6f");
  add_policies(&s.exts);
  /* policyMappings: 1.3.6.1.4.1.55555.1 -> DV */
  {
    tb_buf b = {0};
    size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t pm = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    tb_der_oid(&b, "1.3.6.1.4.1.55555.1");
    tb_der_oid(&b, "2.23.140.1.2.1");
    tb_der_end(&b, pm);
    tb_der_end(&b, m);
    tb_ext_add(&s.exts, "2.5.29.33", false, b.p, b.len);
    tb_buf_free(&b);
  }
  /* policyConstraints: requireExplicitPolicy 0, inhibitPolicyMapping 1 */
  add_raw_hex(&s.exts, "2.5.29.36", true, "30 06 80 01 00 81 01 01");
  tb_gn permitted[2], excluded[1];
  permitted[0] = tb_gn_dns("example.com");
  permitted[1] = tb_gn_ip("\x0a\x00\x00\x00\xff\x00\x00\x00", 8);
  excluded[0] = tb_gn_dns("bad.example.com");
  tb_ext_name_constraints(&s.exts, true, permitted, 2, excluded, 1);
  add_raw_hex(&s.exts, "2.5.29.54", true, "02 01 00"); /* inhibitAnyPolicy 0 */
  add_scts(&s.exts);
  tb_ext_must_staple(&s.exts, false);
  add_raw_hex(&s.exts, "1.3.6.1.5.5.7.48.1.5", false, "05 00"); /* OCSP no check */
  add_raw_hex(&s.exts, "2.16.840.1.113730.1.1", false, "03 02 06 40"); /* nsCertType sslServer */
  add_raw_hex(&s.exts, "2.16.840.1.113730.1.13", false, "16 04 74 65 73 74"); /* nsComment */
  add_raw_hex(&s.exts, "2.5.29.16", false,
              "30 11 80 0f 3230323530313031303030303030 5a"); /* PKUP notBefore */
  add_raw_hex(&s.exts, "1.2.3.4.5", false, "04 02 68 69"); /* unknown */
  tb_ext_ct_poison(&s.exts);
  int rc = tb_cert_build(&s, &rich.der, &rich.len);
  tb_name_clear(&issuer);
  tb_cert_spec_cleanup(&s);
  return rc;
}

static int build_pss(void) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_key *k = tb_key_new(TB_KEY_RSA_PSS, 2048);
  if (k == NULL) return -1;
  s.subject_key = k;
  tb_cert_spec_ca(&s, "PSS Root", 0);
  int rc = tb_cert_build(&s, &pss.der, &pss.len);
  tb_cert_spec_cleanup(&s);
  return rc;
}

static int build_ca(void) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.subject_key = tb_key_new(TB_KEY_RSA, 2048);
  if (s.subject_key == NULL) return -1;
  tb_cert_spec_ca(&s, "Test Root CA", 1);
  int rc = tb_cert_build(&s, &ca.der, &ca.len);
  tb_cert_spec_cleanup(&s);
  return rc;
}

static int build_weird(void) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  /* BMPString "Aé" NUL "B" */
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_BMPSTRING, "\x00\x41\x00\xE9\x00\x00\x00\x42", 8, false);
  /* TeletexString as Latin-1, with the C1 control CSI */
  tb_name_add_ex(&s.subject, "O", MTK_ASN1_T61STRING, "Caf\xE9 \x9B" "31m", 9, false);
  /* ANSI escape and bidi override in UTF-8 */
  tb_name_add_ex(&s.subject, "OU", MTK_ASN1_UTF8STRING, "\x1b[31mred\xE2\x80\xAE", 11, false);
  /* an embedded NUL */
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_UTF8STRING, "evil.com\0.example.org", 21, false);
  /* invalid UTF-8 */
  tb_name_add_ex(&s.subject, "L", MTK_ASN1_UTF8STRING, "x\xC3", 2, false);
  tb_gn san[2];
  san[0] = tb_gn_dns_n("a\0b.example.com", 15);
  san[1] = tb_gn_dns_n("\xFFz.example.com", 14);
  tb_ext_san(&s.exts, true, san, 2);
  int rc = tb_cert_build(&s, &weird.der, &weird.len);
  tb_cert_spec_cleanup(&s);
  return rc;
}

static int build_csr(void) {
  tb_csr_spec s;
  tb_csr_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "O", "Example");
  tb_name_add(&s.subject, "CN", "client-7");
  s.challenge_password = "s3cret-pass";
  s.unstructured_name = "unit 7";
  tb_gn san[1];
  san[0] = tb_gn_dns("client-7.example.com");
  tb_ext_san(&s.exts, false, san, 1);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  const char *ekus[] = {TB_EKU_CLIENT_AUTH};
  tb_ext_eku(&s.exts, false, ekus, 1);
  int rc = tb_csr_build(&s, &csr.der, &csr.len);
  tb_csr_spec_cleanup(&s);
  return rc;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static mtk_buf OUT;

static const char *S(void) { return OUT.p != NULL ? (const char *)OUT.p : ""; }

static bool has(const char *needle) {
  if (strstr(S(), needle) != NULL) return true;
  fprintf(stderr, "  missing in output: \"%s\"\n", needle);
  return false;
}

/* No raw control octet except '\n' (and no NUL) in the text output. */
static bool text_is_clean(const mtk_buf *b) {
  for (size_t i = 0; i < b->len; i++) {
    uint8_t c = b->p[i];
    if ((c < 0x20 && c != '\n') || c == 0x7F) {
      fprintf(stderr, "  raw control 0x%02x at %zu\n", c, i);
      return false;
    }
    /* C1 controls as UTF-8: C2 80..C2 9F */
    if (c == 0xC2 && i + 1 < b->len && b->p[i + 1] >= 0x80 && b->p[i + 1] <= 0x9F) {
      fprintf(stderr, "  raw C1 control at %zu\n", i);
      return false;
    }
    /* bidi overrides E2 80 AA..AE, E2 81 A6..A9 */
    if (c == 0xE2 && i + 2 < b->len &&
        ((b->p[i + 1] == 0x80 && b->p[i + 2] >= 0xAA && b->p[i + 2] <= 0xAE) ||
         (b->p[i + 1] == 0x81 && b->p[i + 2] >= 0xA6 && b->p[i + 2] <= 0xA9))) {
      fprintf(stderr, "  raw bidi control at %zu\n", i);
      return false;
    }
  }
  return true;
}

static mtk_cert parse_cert(const fixture *f) {
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  memset(&c, 0, sizeof c);
  mtk_status s = mtk_cert_parse(&c, f->der, f->len, &d);
  if (s != MTK_OK) {
    char msg[512];
    mtk_error_format(&d.err, msg, sizeof msg);
    fprintf(stderr, "parse failed: %s\n", msg);
  }
  CHECK_STATUS(s, MTK_OK);
  return c;
}

static mtk_csr parse_csr(const fixture *f) {
  mtk_csr r;
  mtk_diag d;
  mtk_diag_init(&d);
  memset(&r, 0, sizeof r);
  CHECK_STATUS(mtk_csr_parse(&r, f->der, f->len, &d), MTK_OK);
  return r;
}

static json_t *load(const mtk_buf *b) {
  json_error_t err;
  json_t *j = json_loadb((const char *)b->p, b->len, JSON_ALLOW_NUL, &err);
  if (j == NULL) fprintf(stderr, "  JSON error line %d col %d: %s\n", err.line, err.column, err.text);
  return j;
}

/* jat walks "a.b.3.c" (numbers index arrays). */
static json_t *jat(json_t *j, const char *path) {
  char tmp[256];
  (void)snprintf(tmp, sizeof tmp, "%s", path);
  char *save = NULL;
  for (char *t = strtok_r(tmp, ".", &save); t != NULL && j != NULL; t = strtok_r(NULL, ".", &save)) {
    if (json_is_array(j)) j = json_array_get(j, strtoul(t, NULL, 10));
    else j = json_object_get(j, t);
  }
  return j;
}

static const char *jstr(json_t *j, const char *path) {
  json_t *v = jat(j, path);
  if (!json_is_string(v)) {
    fprintf(stderr, "  %s: not a string\n", path);
    return "(not a string)";
  }
  return json_string_value(v);
}

static long long jint(json_t *j, const char *path) {
  json_t *v = jat(j, path);
  if (!json_is_integer(v)) {
    fprintf(stderr, "  %s: not an integer\n", path);
    return -999999;
  }
  return json_integer_value(v);
}

static int jbool(json_t *j, const char *path) {
  json_t *v = jat(j, path);
  if (!json_is_boolean(v)) {
    fprintf(stderr, "  %s: not a boolean\n", path);
    return -1;
  }
  return json_is_true(v);
}

/* The extension object with |oid| in |obj|.extensions. */
static json_t *jext(json_t *obj, const char *oid) {
  json_t *a = json_object_get(obj, "extensions");
  size_t i;
  json_t *e;
  json_array_foreach(a, i, e) {
    json_t *o = json_object_get(e, "oid");
    if (json_is_string(o) && strcmp(json_string_value(o), oid) == 0) return e;
  }
  fprintf(stderr, "  extension %s not found\n", oid);
  return NULL;
}

static void show(const char *what) {
  if (dump) printf("----- %s -----\n%s\n", what, S());
}

/* ---- text ----------------------------------------------------------------------------------------- */

TEST(text_rich_certificate) {
  mtk_cert c = parse_cert(&rich);
  mtk_render_extras x;
  mtk_render_ctx ctx;
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  x.n_key_matches = 1;
  x.key_matches[0].file = "server.key";
  x.key_matches[0].status = MTK_OK;
  x.key_matches[0].match = true;
  mtk_render_ctx_init(&ctx, NOW);
  ctx.file = "server.pem";
  ctx.encoding = "PEM";
  ctx.line = 1;
  ctx.extras = &x;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  show("rich certificate, text");
  CHECK(text_is_clean(&OUT));
  static const char head[] = "Certificate: www.example.com (issued by Example Issuing CA 1)\n";
  CHECK(strncmp(S(), head, sizeof head - 1) == 0);
  CHECK(has("  from server.pem, object 1 at offset 0 (PEM, line 1)\n"));
  CHECK(has("Identity\n  Subject       CN=www.example.com,O=Example\\, Inc.,C=FR\n"));
  CHECK(has("                  C     FR\n"));
  CHECK(has("  Issuer        CN=Example Issuing CA 1,O=Example,C=FR\n"));
  CHECK(has("  Serial        04:8F:2A:11:00:7E\n"));
  CHECK(has("  Alt names     DNS       www.example.com\n                          example.com\n"));
  CHECK(has("                IP        192.0.2.10\n                          2001:db8::10\n"));
  CHECK(has("                URI       https://www.example.com/\n"));
  CHECK(has("                email     admin@example.com\n"));
  CHECK(has("                dirName   CN=Dir Name\n"));
  CHECK(has("                otherName msUPN (1.3.6.1.4.1.311.20.2.3): user@examples\n"));
  CHECK(has("  Not before    2025-01-01T00:00:00Z\n  Not after     2026-02-02T23:59:59Z\n"));
  CHECK(has("  Status        valid, expires in 41 days  [at 2025-12-23T00:00:00Z]\n"));
  CHECK(has("  Lifetime      398 days\n"));
  CHECK(has("Key\n  Type          EC, 256 bits, curve prime256v1 (P-256)\n  Point         uncompressed (0x04)\n"));
  CHECK(has("  Algorithm     ecdsa-with-SHA384 (1.2.840.10045.4.3.3)\n"));
  CHECK(has("  Key usage     digitalSignature, keyAgreement  (critical)\n"));
  CHECK(has("  Ext. usage    serverAuth, clientAuth, 1.3.6.1.4.1.55555.7\n"));
  CHECK(has("  CA            no  (critical)\n"));
  CHECK(has("  Subject Key Identifier\n      "));
  CHECK(has("  Authority Key Identifier\n      keyid   "));
  CHECK(has("  CRL Distribution Points\n      URI http://crl.example.com/ca1.crl\n"));
  CHECK(has("  Freshest CRL\n      URI http://delta.example.com/\n        reasons: keyCompromise, cACompromise\n"
            "        CRL issuer: DNS ca\n"));
  CHECK(has("  Authority Information Access\n      OCSP         URI http://ocsp.example.com\n"
            "      caIssuers    URI http://ca.example.com/ca1.der\n"));
  CHECK(has("  Subject Information Access\n      caRepository URI rsync://repo\n"));
  CHECK(has("      domain-validated (2.23.140.1.2.1)\n      1.3.6.1.4.1.55555.1\n"
            "        CPS: https://example.com/cps\n"
            "        User notice: \"Explicit text\" (ref: Example Org #1 #2)\n"));
  CHECK(has("  Policy Mappings\n      1.3.6.1.4.1.55555.1 -> domain-validated (2.23.140.1.2.1)\n"));
  CHECK(has("  Policy Constraints  (critical)\n      requireExplicitPolicy 0, inhibitPolicyMapping 1\n"));
  CHECK(has("  Name Constraints  (critical)\n      permitted  DNS example.com\n"
            "                 IP 10.0.0.0/8\n      excluded   DNS bad.example.com\n"));
  CHECK(has("  Inhibit anyPolicy  (critical)\n      skipCerts 0\n"));
  CHECK(has("      SCT v1  log AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
            "              2025-01-01T00:00:00.123Z, sha256/ecdsa\n"));
  CHECK(has("  TLS Feature\n      status_request (OCSP must-staple)\n"));
  CHECK(has("  OCSP No Check\n"));
  CHECK(has("  Netscape Cert Type\n      sslServer\n"));
  CHECK(has("  Netscape Comment\n      test\n"));
  CHECK(has("  Private Key Usage Period\n      not before 2025-01-01T00:00:00Z\n"));
  CHECK(has("  1.2.3.4.5 (unknown)\n      04:02:68:69\n"));
  CHECK(has("  CT Precertificate Poison  (critical)\n      precertificate"));
  CHECK(has("Fingerprints\n  SHA-256       "));
  CHECK(has("  Pin (curl)    sha256//"));
  CHECK(has("  Private key   server.key: matches this public key\n"));
  /* keyUsage, EKU, basicConstraints and SAN are not repeated below */
  CHECK(strstr(S(), "  Key Usage") == NULL);
  CHECK(strstr(S(), "  Subject Alternative Name") == NULL);
  /* deterministic */
  mtk_buf again;
  mtk_buf_init(&again, MTK_MAX_RENDER);
  CHECK_STATUS(mtk_render_cert(&again, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK(again.len == OUT.len && memcmp(again.p, OUT.p, OUT.len) == 0);
  mtk_buf_free(&again);
}

TEST(text_validity_phrases) {
  mtk_cert c = parse_cert(&rich);
  mtk_render_ctx ctx;
  mtk_render_ctx_init(&ctx, tb_time(2026, 2, 6, 0, 0, 0));
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK(has("  Status        expired 3 days ago (!)"));
  mtk_render_ctx_init(&ctx, tb_time(2024, 12, 30, 0, 0, 0));
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK(has("  Status        not yet valid, starts in 2 days (!)"));
  CHECK(strstr(S(), "Fingerprints") == NULL); /* no extras given */
}

TEST(text_weird_names_are_escaped) {
  mtk_cert c = parse_cert(&weird);
  mtk_render_ctx ctx;
  mtk_render_ctx_init(&ctx, NOW);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  show("weird certificate, text");
  CHECK(text_is_clean(&OUT));
  CHECK(memchr(OUT.p, 0, OUT.len) == NULL);
  /* the header shows the last CN, NUL escaped */
  CHECK(has("Certificate: evil.com\\x00.example.org (self-issued)\n"));
  /* RFC 4514 form: NUL as \00, ESC as \1B, the bidi override as hex pairs */
  CHECK(has("L=x\xEF\xBF\xBD,CN=evil.com\\00.example.org,OU=\\1B[31mred\\E2\\80\\AE,"
            "O=Caf\xC3\xA9 \\C2\\9B31m,CN=A\xC3\xA9\\00" "B\n"));
  CHECK(has("CN    A\xC3\xA9\\x00" "B  (BMPString)\n"));
  CHECK(has("O     Caf\xC3\xA9 \\u{009b}31m  (TeletexString)\n"));
  CHECK(has("OU    \\x1b[31mred\\u{202e}\n"));
  CHECK(has("L     x\xEF\xBF\xBD  [invalid UTF8String: octets replaced by U+FFFD]\n"));
  CHECK(has("  Alt names     DNS       a\\x00b.example.com  (critical)\n"));
  CHECK(has("\xEF\xBF\xBDz.example.com  [invalid IA5String"));
}

TEST(text_pss_and_rsa) {
  mtk_cert c = parse_cert(&pss);
  mtk_render_extras x;
  mtk_render_ctx ctx;
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  CHECK(x.has_signature_check);
  CHECK_STATUS(x.signature_status, MTK_OK);
  mtk_render_ctx_init(&ctx, NOW);
  ctx.extras = &x;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  show("RSA-PSS certificate, text");
  CHECK(has("Certificate: PSS Root (self-issued)\n"));
  CHECK(has("  Type          RSA-PSS, 2048 bits\n  Exponent      65537\n"));
  CHECK(has("  Algorithm     RSASSA-PSS (1.2.840.113549.1.1.10)\n  PSS params    hash sha256, mask mgf1 with sha256, salt 32 bytes, trailer 1\n"));
  CHECK(has("  Verified      yes, under its own key\n"));
  CHECK(has("  CA            yes, path length 0  (critical)\n"));

  c = parse_cert(&ca);
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK(has("  Type          RSA, 2048 bits\n  Exponent      65537\n"));
  CHECK(has("  Algorithm     sha256WithRSAEncryption (1.2.840.113549.1.1.11)\n"));
  CHECK(has("  Key usage     keyCertSign, cRLSign  (critical)\n"));
  CHECK(has("  Ext. usage    (no extendedKeyUsage extension: any)\n"));
}

TEST(text_csr) {
  mtk_csr r = parse_csr(&csr);
  mtk_render_extras x;
  mtk_render_ctx ctx;
  CHECK_STATUS(mtk_render_extras_csr(&x, &r), MTK_OK);
  CHECK_STATUS(x.signature_status, MTK_OK);
  mtk_render_ctx_init(&ctx, NOW);
  ctx.extras = &x;
  ctx.file = "client.csr";
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_csr(&OUT, &r, &ctx, MTK_RENDER_TEXT), MTK_OK);
  show("CSR, text");
  CHECK(text_is_clean(&OUT));
  CHECK(has("Certificate request: client-7\n  from client.csr, object 1 at offset 0\n"));
  CHECK(has("  Subject       CN=client-7,O=Example\n"));
  CHECK(has("  Alt names     DNS       client-7.example.com\n"));
  CHECK(has("  Verified      yes, under its own key\n"));
  CHECK(has("  Challenge pw  (present, 11 octets, not shown)\n"));
  CHECK(strstr(S(), "s3cret") == NULL);
  CHECK(has("  Unstr. name   unit 7\n"));
  CHECK(has("  Ext. request  3 extensions (below)\n"));
  CHECK(has("  Key usage     digitalSignature  (critical)\n  Ext. usage    clientAuth\n"));
  /* a corrupted self-signature */
  tb_csr_spec s;
  uint8_t *der = NULL;
  size_t len = 0;
  tb_csr_spec_default(&s);
  s.corrupt_signature = true;
  CHECK(tb_csr_build(&s, &der, &len) == 0);
  tb_csr_spec_cleanup(&s);
  fixture bad = {der, len};
  r = parse_csr(&bad);
  CHECK_STATUS(mtk_render_extras_csr(&x, &r), MTK_OK);
  CHECK_STATUS(x.signature_status, MTK_ERR_SIG_INVALID);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_csr(&OUT, &r, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK(has("  Verified      NO, the signature does not verify under its own key\n"));
  free(der);
}

static const mtk_check check_a = {"e_fake_error", MTK_SEV_ERROR, "", 0, "RFC 5280 4.1.2.5",
                                  MTK_APPLIES_ALL, false, "a fake error for the test"};
static const mtk_check check_b = {"w_fake_warning", MTK_SEV_WARNING, "2020-09-01", 0, "CABF BR 6.3.2",
                                  MTK_APPLIES_ALL, true, "a fake warning"};

static void fake_findings(mtk_findings *f) {
  memset(f, 0, sizeof *f);
  f->items[0].check = &check_b;
  f->items[0].severity = MTK_SEV_WARNING;
  f->items[0].offset = 0x1a3;
  (void)snprintf(f->items[0].path, sizeof f->items[0].path, "tbsCertificate.validity.notAfter");
  (void)snprintf(f->items[0].detail, sizeof f->items[0].detail, "398 days");
  f->items[1].check = &check_a;
  f->items[1].severity = MTK_SEV_ERROR;
  f->items[1].offset = 4;
  (void)snprintf(f->items[1].path, sizeof f->items[1].path, "tbsCertificate.subject");
  /* cert data in a detail must be escaped too */
  memcpy(f->items[1].detail, "CN \x1b[2J", 8);
  f->n = 2;
  f->n_error = 1;
  f->n_warning = 1;
  f->dropped = 3;
}

TEST(text_findings) {
  mtk_findings f;
  fake_findings(&f);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_findings(&OUT, &f, NULL, MTK_RENDER_TEXT), MTK_OK);
  show("findings, text");
  CHECK(text_is_clean(&OUT));
  CHECK_STR(S(),
            "Findings: 1 error, 1 warning, 0 notices\n"
            "  error    e_fake_error\n"
            "           tbsCertificate.subject @ 0x4: CN \\x1b[2J\n"
            "           a fake error for the test [RFC 5280 4.1.2.5]\n"
            "  warning  w_fake_warning\n"
            "           tbsCertificate.validity.notAfter @ 0x1a3: 398 days\n"
            "           a fake warning [CABF BR 6.3.2]\n"
            "  ... and 3 more (not kept)\n");
}

TEST(text_error) {
  mtk_error e;
  mtk_render_ctx ctx;
  memset(&e, 0, sizeof e);
  e.code = MTK_ERR_DER_TRUNCATED;
  e.offset = 0x40;
  (void)snprintf(e.path, sizeof e.path, "tbsCertificate.extensions[3]");
  (void)snprintf(e.detail, sizeof e.detail, "length 0x1f3 exceeds parent");
  mtk_render_ctx_init(&ctx, NOW);
  ctx.file = "bad.der";
  ctx.index = 2;
  ctx.offset = 100;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_error(&OUT, &e, &ctx, MTK_RENDER_TEXT), MTK_OK);
  CHECK_STR(S(), "error: bad.der: object 3 at offset 100: tbsCertificate.extensions[3]: length 0x1f3 "
                 "exceeds parent (truncated: element extends past its parent) at 0x40 "
                 "[MTK_ERR_DER_TRUNCATED]\n");
}

/* ---- JSON ------------------------------------------------------------------------------------------ */

TEST(json_rich_certificate) {
  mtk_cert c = parse_cert(&rich);
  mtk_render_extras x;
  mtk_render_ctx ctx;
  mtk_findings f;
  fake_findings(&f);
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  mtk_render_ctx_init(&ctx, NOW);
  ctx.extras = &x;
  ctx.findings = &f;
  ctx.index = 1;
  ctx.offset = 1234;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_JSON), MTK_OK);
  show("rich certificate, JSON");
  json_t *j = load(&OUT);
  CHECK(j != NULL);
  if (j == NULL) return;
  CHECK_STR(jstr(j, "kind"), "certificate");
  CHECK_EQ_INT(jint(j, "index"), 1);
  CHECK_EQ_INT(jint(j, "offset"), 1234);
  CHECK_EQ_INT(jint(j, "der_length"), (long long)rich.len);
  CHECK_EQ_INT(jint(j, "version"), 3);
  CHECK_STR(jstr(j, "serial"), "048f2a11007e");
  CHECK_EQ_INT(jbool(j, "serial_negative"), 0);
  CHECK_STR(jstr(j, "signature_algorithm.oid"), "1.2.840.10045.4.3.3");
  CHECK_STR(jstr(j, "signature_algorithm.name"), "ecdsa-with-SHA384");
  CHECK_STR(jstr(j, "signature_algorithm.parameters"), "absent");
  CHECK_EQ_INT(jbool(j, "signature_algorithms_match"), 1);
  CHECK_STR(jstr(j, "subject.rfc4514"), "CN=www.example.com,O=Example\\, Inc.,C=FR");
  CHECK_STR(jstr(j, "subject.oneline"), "C=FR, O=Example\\, Inc., CN=www.example.com");
  CHECK_STR(jstr(j, "subject.attributes.0.name"), "C");
  CHECK_STR(jstr(j, "subject.attributes.0.asn1_type"), "PrintableString");
  CHECK_STR(jstr(j, "subject.attributes.1.value"), "Example, Inc.");
  CHECK_STR(jstr(j, "subject.attributes.2.oid"), "2.5.4.3");
  CHECK_EQ_INT(jint(j, "subject.attributes.2.rdn"), 2);
  CHECK_STR(jstr(j, "issuer.attributes.2.value"), "Example Issuing CA 1");
  CHECK_EQ_INT(jbool(j, "self_issued"), 0);
  CHECK_STR(jstr(j, "validity.not_before.time"), "2025-01-01T00:00:00Z");
  CHECK_EQ_INT(jint(j, "validity.not_before.unix"), 1735689600);
  CHECK_STR(jstr(j, "validity.not_after.asn1_type"), "UTCTime");
  CHECK_EQ_INT(jint(j, "validity.length_seconds"), 398 * 86400);
  CHECK_EQ_INT(jint(j, "validity.length_days"), 398);
  CHECK_STR(jstr(j, "validity.status"), "valid");
  CHECK_EQ_INT(jint(j, "validity.seconds_to_expiry"), 41 * 86400 + 86399);
  CHECK_STR(jstr(j, "public_key.type"), "EC");
  CHECK_EQ_INT(jint(j, "public_key.bits"), 256);
  CHECK_STR(jstr(j, "public_key.ec.curve"), "prime256v1");
  CHECK_STR(jstr(j, "public_key.ec.nist_name"), "P-256");
  CHECK_STR(jstr(j, "public_key.ec.point_form"), "uncompressed");
  CHECK_EQ_INT(strlen(jstr(j, "public_key.public_key_hex")), 130);

  json_t *e = jext(j, "2.5.29.17");
  CHECK_EQ_INT(jbool(e, "raw"), 0);
  CHECK_STR(jstr(e, "name"), "subjectAltName");
  CHECK_STR(jstr(e, "value.names.0.type"), "DNS");
  CHECK_STR(jstr(e, "value.names.0.value"), "www.example.com");
  CHECK_STR(jstr(e, "value.names.3.type"), "IP");
  CHECK_STR(jstr(e, "value.names.3.value"), "2001:db8::10");
  CHECK_STR(jstr(e, "value.names.3.value_hex"), "20010db8000000000000000000000010");
  CHECK_STR(jstr(e, "value.names.6.value"), "CN=Dir Name");
  CHECK_STR(jstr(e, "value.names.6.name.attributes.0.value"), "Dir Name");
  CHECK_STR(jstr(e, "value.names.7.type_id_name"), "msUPN");
  CHECK_STR(jstr(e, "value.names.7.value"), "user@examples");
  CHECK_STR(jstr(e, "value.names.8.value"), "1.3.6.1.4.1.55555.9");
  CHECK(json_is_null(jat(e, "value.names.8.value_name")));
  e = jext(j, "2.5.29.15");
  CHECK_EQ_INT(jbool(e, "critical"), 1);
  CHECK_EQ_INT(jint(e, "value.bits"), 0x11);
  CHECK_STR(jstr(e, "value.names.1"), "keyAgreement");
  e = jext(j, "2.5.29.37");
  CHECK_STR(jstr(e, "value.purposes.0.name"), "serverAuth");
  CHECK(json_is_null(jat(e, "value.purposes.2.name")));
  e = jext(j, "2.5.29.19");
  CHECK_EQ_INT(jbool(e, "value.ca"), 0);
  CHECK(json_is_null(jat(e, "value.path_len")));
  e = jext(j, "2.5.29.14");
  CHECK_EQ_INT(strlen(jstr(e, "value.key_id")), 40);
  e = jext(j, "2.5.29.35");
  CHECK_EQ_INT(strlen(jstr(e, "value.key_id")), 40);
  e = jext(j, "2.5.29.31");
  CHECK_STR(jstr(e, "value.points.0.full_name.0.value"), "http://crl.example.com/ca1.crl");
  e = jext(j, "2.5.29.46");
  CHECK_STR(jstr(e, "value.points.0.reasons.names.0"), "keyCompromise");
  CHECK_STR(jstr(e, "value.points.0.crl_issuer.0.value"), "ca");
  e = jext(j, "1.3.6.1.5.5.7.1.1");
  CHECK_STR(jstr(e, "value.descriptions.0.method_name"), "OCSP");
  CHECK_STR(jstr(e, "value.descriptions.1.location.value"), "http://ca.example.com/ca1.der");
  e = jext(j, "2.5.29.32");
  CHECK_STR(jstr(e, "value.policies.0.name"), "domain-validated");
  CHECK_STR(jstr(e, "value.policies.1.qualifiers.0.type"), "cps");
  CHECK_STR(jstr(e, "value.policies.1.qualifiers.0.cps_uri"), "https://example.com/cps");
  CHECK_STR(jstr(e, "value.policies.1.qualifiers.1.type"), "user_notice");
  CHECK_STR(jstr(e, "value.policies.1.qualifiers.1.organization"), "Example Org");
  CHECK_EQ_INT(jint(e, "value.policies.1.qualifiers.1.notice_numbers.1"), 2);
  CHECK_STR(jstr(e, "value.policies.1.qualifiers.1.explicit_text"), "Explicit text");
  e = jext(j, "2.5.29.33");
  CHECK_STR(jstr(e, "value.mappings.0.subject_domain_policy"), "2.23.140.1.2.1");
  e = jext(j, "2.5.29.36");
  CHECK_EQ_INT(jint(e, "value.require_explicit_policy"), 0);
  CHECK_EQ_INT(jint(e, "value.inhibit_policy_mapping"), 1);
  e = jext(j, "2.5.29.30");
  CHECK_STR(jstr(e, "value.permitted.1.base.value"), "10.0.0.0/8");
  CHECK_STR(jstr(e, "value.excluded.0.base.value"), "bad.example.com");
  e = jext(j, "2.5.29.54");
  CHECK_EQ_INT(jint(e, "value.skip_certs"), 0);
  e = jext(j, "1.3.6.1.4.1.11129.2.4.2");
  CHECK_STR(jstr(e, "value.scts.0.log_id_base64"), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  CHECK_EQ_INT(jint(e, "value.scts.0.timestamp_ms"), 1735689600123LL);
  CHECK_STR(jstr(e, "value.scts.0.time"), "2025-01-01T00:00:00.123Z");
  CHECK_STR(jstr(e, "value.scts.0.hash"), "sha256");
  CHECK_STR(jstr(e, "value.scts.0.signature_algorithm"), "ecdsa");
  e = jext(j, "1.3.6.1.5.5.7.1.24");
  CHECK_EQ_INT(jbool(e, "value.must_staple"), 1);
  CHECK_STR(jstr(e, "value.features.0.name"), "status_request");
  e = jext(j, "1.3.6.1.5.5.7.48.1.5");
  CHECK(json_object_size(jat(e, "value")) == 0);
  e = jext(j, "2.16.840.1.113730.1.13");
  CHECK_STR(jstr(e, "value.comment"), "test");
  e = jext(j, "2.5.29.16");
  CHECK_STR(jstr(e, "value.not_before"), "2025-01-01T00:00:00Z");
  e = jext(j, "1.2.3.4.5");
  CHECK_EQ_INT(jbool(e, "raw"), 1);
  CHECK(json_is_null(jat(e, "name")));
  CHECK_STR(jstr(e, "value_hex"), "04026869");
  CHECK(jat(e, "value") == NULL);
  e = jext(j, "1.3.6.1.4.1.11129.2.4.3");
  CHECK_EQ_INT(jbool(e, "critical"), 1);

  /* fingerprints agree with OpenSSL */
  uint8_t md[32];
  unsigned mdlen = 0;
  char hex[65];
  CHECK(EVP_Digest(rich.der, rich.len, md, &mdlen, EVP_sha256(), NULL) == 1);
  for (unsigned i = 0; i < 32; i++) (void)snprintf(hex + 2 * i, 3, "%02x", md[i]);
  CHECK_STR(jstr(j, "fingerprints.sha256"), hex);
  CHECK(strncmp(jstr(j, "fingerprints.spki_pin"), "sha256//", 8) == 0);
  CHECK(jat(j, "signature_check") == NULL); /* not self-issued */
  CHECK_EQ_INT(jint(j, "findings.counts.error"), 1);
  CHECK_EQ_INT(jint(j, "findings.dropped"), 3);
  CHECK_STR(jstr(j, "findings.items.1.id"), "e_fake_error");
  CHECK_STR(jstr(j, "findings.items.1.detail"), "CN \x1b[2J");
  CHECK_STR(jstr(j, "findings.items.0.effective"), "2020-09-01");
  json_decref(j);
}

TEST(json_weird_strings_round_trip) {
  mtk_cert c = parse_cert(&weird);
  mtk_render_ctx ctx;
  mtk_render_ctx_init(&ctx, NOW);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_JSON), MTK_OK);
  show("weird certificate, JSON");
  /* the JSON text itself holds no raw control octet */
  CHECK(text_is_clean(&OUT));
  json_t *j = load(&OUT);
  CHECK(j != NULL);
  if (j == NULL) return;
  json_t *v = jat(j, "subject.attributes.0.value");
  CHECK(json_is_string(v));
  CHECK_EQ_INT(json_string_length(v), 5);
  CHECK(memcmp(json_string_value(v), "A\xC3\xA9\0B", 5) == 0);
  CHECK_STR(jstr(j, "subject.attributes.0.asn1_type"), "BMPString");
  CHECK_STR(jstr(j, "subject.attributes.1.value"), "Caf\xC3\xA9 \xC2\x9B" "31m");
  CHECK_STR(jstr(j, "subject.attributes.1.asn1_type"), "TeletexString");
  CHECK_STR(jstr(j, "subject.attributes.2.value"), "\x1b[31mred\xE2\x80\xAE");
  v = jat(j, "subject.attributes.3.value");
  CHECK_EQ_INT(json_string_length(v), 21);
  CHECK(memcmp(json_string_value(v), "evil.com\0.example.org", 21) == 0);
  CHECK_STR(jstr(j, "subject.attributes.4.value"), "x\xEF\xBF\xBD");
  CHECK_EQ_INT(jbool(j, "subject.attributes.4.lossy"), 1);
  CHECK_STR(jstr(j, "subject.attributes.4.der_hex"), "0c0278c3");
  CHECK(jat(j, "subject.attributes.0.lossy") == NULL);
  CHECK_STR(jstr(j, "subject.rfc4514"),
            "L=x\xEF\xBF\xBD,CN=evil.com\\00.example.org,OU=\\1B[31mred\\E2\\80\\AE,"
            "O=Caf\xC3\xA9 \\C2\\9B31m,CN=A\xC3\xA9\\00" "B");
  json_t *e = jext(j, "2.5.29.17");
  v = jat(e, "value.names.0.value");
  CHECK_EQ_INT(json_string_length(v), 15);
  CHECK_STR(jstr(e, "value.names.1.value"), "\xEF\xBF\xBDz.example.com");
  CHECK_EQ_INT(jbool(e, "value.names.1.lossy"), 1);
  CHECK_STR(jstr(e, "value.names.1.value_hex"), "ff7a2e6578616d706c652e636f6d");
  json_decref(j);
}

TEST(json_csr_and_pss) {
  mtk_csr r = parse_csr(&csr);
  mtk_render_extras x;
  mtk_render_ctx ctx;
  CHECK_STATUS(mtk_render_extras_csr(&x, &r), MTK_OK);
  mtk_render_ctx_init(&ctx, NOW);
  ctx.extras = &x;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_csr(&OUT, &r, &ctx, MTK_RENDER_JSON), MTK_OK);
  show("CSR, JSON");
  json_t *j = load(&OUT);
  CHECK(j != NULL);
  if (j == NULL) return;
  CHECK_STR(jstr(j, "kind"), "csr");
  CHECK_EQ_INT(jint(j, "version"), 1);
  CHECK_STR(jstr(j, "subject.rfc4514"), "CN=client-7,O=Example");
  CHECK_EQ_INT(jbool(j, "signature_check.verified"), 1);
  CHECK_STR(jstr(j, "signature_check.signer"), "self");
  CHECK_STR(jstr(j, "signature_check.result"), "valid");
  CHECK(strstr(S(), "s3cret") == NULL);
  size_t i;
  json_t *a;
  bool saw_pw = false, saw_un = false;
  json_array_foreach(json_object_get(j, "attributes"), i, a) {
    const char *n = json_string_value(json_object_get(a, "name"));
    if (n != NULL && strcmp(n, "challengePassword") == 0) {
      saw_pw = true;
      CHECK(json_is_true(json_object_get(a, "redacted")));
      CHECK_EQ_INT(json_integer_value(json_object_get(a, "length")), 11);
    }
    if (n != NULL && strcmp(n, "unstructuredName") == 0) {
      saw_un = true;
      CHECK_STR(json_string_value(json_object_get(a, "value")), "unit 7");
    }
  }
  CHECK(saw_pw && saw_un);
  CHECK_EQ_INT(jbool(j, "extensions_present"), 1);
  CHECK_STR(jstr(jext(j, "2.5.29.17"), "value.names.0.value"), "client-7.example.com");
  json_decref(j);

  mtk_cert c = parse_cert(&pss);
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_JSON), MTK_OK);
  j = load(&OUT);
  CHECK(j != NULL);
  if (j == NULL) return;
  CHECK_STR(jstr(j, "signature_algorithm.name"), "RSASSA-PSS");
  CHECK_STR(jstr(j, "signature_algorithm.parameters"), "present");
  CHECK_STR(jstr(j, "signature_algorithm.pss.hash"), "sha256");
  CHECK_EQ_INT(jint(j, "signature_algorithm.pss.salt_length"), 32);
  CHECK_STR(jstr(j, "public_key.type"), "RSA-PSS");
  CHECK_EQ_INT(jint(j, "public_key.rsa.exponent"), 65537);
  CHECK_EQ_INT(strlen(jstr(j, "public_key.rsa.modulus_hex")), 2 * 257);
  CHECK_EQ_INT(jbool(j, "signature_check.verified"), 1);
  CHECK_EQ_INT(jbool(j, "self_issued"), 1);
  json_decref(j);
}

TEST(json_flags) {
  mtk_cert c = parse_cert(&ca);
  mtk_render_ctx ctx;
  mtk_render_ctx_init(&ctx, NOW);
  ctx.flags = MTK_RENDER_COMPACT | MTK_RENDER_NO_HEX;
  mtk_buf_reset(&OUT);
  CHECK_STATUS(mtk_render_cert(&OUT, &c, &ctx, MTK_RENDER_JSON), MTK_OK);
  CHECK(memchr(OUT.p, '\n', OUT.len) == NULL);
  CHECK(strstr(S(), "modulus_hex") == NULL);
  CHECK(strstr(S(), "signature_hex") == NULL);
  json_t *j = load(&OUT);
  CHECK(j != NULL);
  CHECK_STR(jstr(j, "public_key.type"), "RSA");
  CHECK_EQ_INT(jint(j, "public_key.bits"), 2048);
  CHECK_EQ_INT(jint(jext(j, "2.5.29.19"), "value.path_len"), 1);
  json_decref(j);
}

TEST(buffer_cap_is_reported) {
  mtk_cert c = parse_cert(&rich);
  mtk_render_ctx ctx;
  mtk_buf small;
  mtk_render_ctx_init(&ctx, NOW);
  mtk_buf_init(&small, 512);
  CHECK_STATUS(mtk_render_cert(&small, &c, &ctx, MTK_RENDER_TEXT), MTK_ERR_LIMIT);
  mtk_buf_reset(&small);
  CHECK_STATUS(mtk_render_cert(&small, &c, &ctx, MTK_RENDER_JSON), MTK_ERR_LIMIT);
  mtk_buf_free(&small);
  CHECK_STATUS(mtk_render_cert(NULL, &c, &ctx, MTK_RENDER_TEXT), MTK_ERR_ARG);
}

/* ---- the document and its schema --------------------------------------------------------------------- */

static void build_doc(mtk_buf *out, mtk_render_format fmt, unsigned flags) {
  mtk_render_doc doc;
  mtk_render_ctx ctx;
  mtk_render_extras x;
  mtk_findings f;
  mtk_error e;
  fake_findings(&f);
  memset(&e, 0, sizeof e);
  e.code = MTK_ERR_DER_TAG;
  e.offset = 17;
  (void)snprintf(e.path, sizeof e.path, "tbsCertificate.serialNumber");
  (void)snprintf(e.detail, sizeof e.detail, "expected INTEGER");

  CHECK_STATUS(mtk_render_doc_begin(&doc, out, fmt, "decode", "0.1.0", NOW, flags), MTK_OK);
  CHECK_STATUS(mtk_render_doc_input_begin(&doc, "server.pem"), MTK_OK);
  mtk_cert c = parse_cert(&rich);
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  x.n_key_matches = 2;
  x.key_matches[0] = (mtk_render_key_match){"server.key", MTK_OK, true};
  x.key_matches[1] = (mtk_render_key_match){"enc.key", MTK_ERR_KEY_PARSE, false};
  mtk_render_ctx_init(&ctx, NOW);
  ctx.encoding = "PEM";
  ctx.line = 1;
  ctx.extras = &x;
  ctx.findings = &f;
  CHECK_STATUS(mtk_render_doc_add_cert(&doc, &c, &ctx), MTK_OK);
  ctx.findings = NULL;
  ctx.index = 1;
  ctx.offset = 2000;
  ctx.line = 40;
  ctx.extras = NULL;
  CHECK_STATUS(mtk_render_doc_add_other(&doc, "private_key", "not shown", &ctx), MTK_OK);
  ctx.index = 2;
  ctx.offset = 2300;
  CHECK_STATUS(mtk_render_doc_add_error(&doc, &e, &ctx), MTK_OK);
  ctx.index = 3;
  c = parse_cert(&weird);
  CHECK_STATUS(mtk_render_doc_add_cert(&doc, &c, &ctx), MTK_OK);
  CHECK_STATUS(mtk_render_doc_add_error(&doc, &e, &ctx), MTK_OK);
  CHECK_STATUS(mtk_render_doc_input_end(&doc), MTK_OK);

  CHECK_STATUS(mtk_render_doc_input_begin(&doc, "empty.pem"), MTK_OK);
  CHECK_STATUS(mtk_render_doc_input_end(&doc), MTK_OK);

  CHECK_STATUS(mtk_render_doc_input_begin(&doc, "misc"), MTK_OK);
  mtk_render_ctx_init(&ctx, NOW);
  mtk_csr r = parse_csr(&csr);
  CHECK_STATUS(mtk_render_extras_csr(&x, &r), MTK_OK);
  ctx.extras = &x;
  CHECK_STATUS(mtk_render_doc_add_csr(&doc, &r, &ctx), MTK_OK);
  ctx.index = 1;
  c = parse_cert(&pss);
  CHECK_STATUS(mtk_render_extras_cert(&x, &c), MTK_OK);
  CHECK_STATUS(mtk_render_doc_add_cert(&doc, &c, &ctx), MTK_OK);
  ctx.index = 2;
  c = parse_cert(&ca);
  CHECK_STATUS(mtk_render_doc_add_cert(&doc, &c, &ctx), MTK_OK);
  CHECK_STATUS(mtk_render_doc_input_end(&doc), MTK_OK);
  /* out of order */
  CHECK_STATUS(mtk_render_doc_add_cert(&doc, &c, &ctx), MTK_ERR_ARG);
  CHECK_STATUS(mtk_render_doc_end(&doc), MTK_OK);
  mtk_render_doc_cleanup(&doc); /* safe after end */
}

/* Validates |json| against the schema with python3-jsonschema. Returns the
 * validator's exit status (0 valid, 1 invalid, other: could not run). */
static int validate_q(const mtk_buf *json, bool quiet) {
  const char *src = getenv("MTK_SOURCE_DIR");
  char path[] = "/tmp/mtk_render_test_XXXXXX";
  char cmd[4096];
  if (src == NULL) {
    fprintf(stderr, "  MTK_SOURCE_DIR is not set (run through ctest)\n");
    return 2;
  }
  int fd = mkstemp(path);
  if (fd < 0) return 2;
  FILE *fp = fdopen(fd, "wb");
  if (fp == NULL) {
    close(fd);
    unlink(path);
    return 2;
  }
  size_t wr = fwrite(json->p, 1, json->len, fp);
  fclose(fp);
  if (wr != json->len) {
    unlink(path);
    return 2;
  }
  static const char script[] =
      "import json, sys\n"
      "try:\n"
      "    import jsonschema\n"
      "except ImportError:\n"
      "    print('python3-jsonschema is missing', file=sys.stderr); sys.exit(3)\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "doc = json.load(open(sys.argv[2]))\n"
      "jsonschema.Draft7Validator.check_schema(schema)\n"
      "v = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())\n"
      "errs = sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))\n"
      "if len(sys.argv) < 4:\n"
      "    for e in errs[:10]:\n"
      "        print('  schema: /' + '/'.join(map(str, e.absolute_path)) + ': ' + e.message[:300], file=sys.stderr)\n"
      "sys.exit(1 if errs else 0)\n";
  char script_path[] = "/tmp/mtk_render_validate_XXXXXX";
  int sfd = mkstemp(script_path);
  if (sfd < 0) {
    unlink(path);
    return 2;
  }
  FILE *sp = fdopen(sfd, "w");
  if (sp == NULL) {
    close(sfd);
    unlink(path);
    unlink(script_path);
    return 2;
  }
  fputs(script, sp);
  fclose(sp);
  (void)snprintf(cmd, sizeof cmd, "python3 %s '%s/docs/schema/decode-v1.schema.json' %s%s", script_path,
                 src, path, quiet ? " -q" : "");
  int rc = system(cmd);
  unlink(path);
  unlink(script_path);
  if (rc == -1 || !WIFEXITED(rc)) return 2;
  return WEXITSTATUS(rc);
}

static int validate(const mtk_buf *json) { return validate_q(json, false); }

TEST(json_document_validates_against_schema) {
  mtk_buf doc;
  mtk_buf_init(&doc, MTK_MAX_RENDER);
  build_doc(&doc, MTK_RENDER_JSON, 0);
  mtk_buf_reset(&OUT);
  (void)mtk_buf_append(&OUT, doc.p, doc.len);
  show("document, JSON");
  json_t *j = load(&doc);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "schema"), "mtlskit.decode/1");
    CHECK_STR(jstr(j, "tool.name"), "mtlskit");
    CHECK_STR(jstr(j, "tool.version"), "0.1.0");
    CHECK_STR(jstr(j, "now"), "2025-12-23T00:00:00Z");
    CHECK_EQ_INT(json_array_size(jat(j, "inputs")), 3);
    CHECK_STR(jstr(j, "inputs.0.file"), "server.pem");
    CHECK_EQ_INT(json_array_size(jat(j, "inputs.0.objects")), 3);
    CHECK_STR(jstr(j, "inputs.0.objects.1.kind"), "private_key");
    CHECK_EQ_INT(json_array_size(jat(j, "inputs.0.errors")), 2);
    CHECK_STR(jstr(j, "inputs.0.errors.0.code"), "MTK_ERR_DER_TAG");
    CHECK_EQ_INT(jint(j, "inputs.0.errors.0.code_num"), 101);
    CHECK_EQ_INT(jint(j, "inputs.0.errors.0.object_index"), 2);
    CHECK_EQ_INT(json_array_size(jat(j, "inputs.1.objects")), 0);
    CHECK_STR(jstr(j, "inputs.2.objects.0.kind"), "csr");
    CHECK_EQ_INT(jint(j, "summary.objects"), 6);
    CHECK_EQ_INT(jint(j, "summary.errors"), 2);
    CHECK_EQ_INT(jint(j, "summary.findings.warning"), 1);
    CHECK(json_is_null(jat(j, "inputs.0.objects.0.key_matches.1.match")));
    json_decref(j);
  }
  CHECK_EQ_INT(validate(&doc), 0);

  /* compact output is the same document */
  mtk_buf compact;
  mtk_buf_init(&compact, MTK_MAX_RENDER);
  build_doc(&compact, MTK_RENDER_JSON, MTK_RENDER_COMPACT);
  CHECK_EQ_INT(validate(&compact), 0);
  json_t *a = load(&doc), *b = load(&compact);
  CHECK(a != NULL && b != NULL && json_equal(a, b));
  json_decref(a);
  json_decref(b);
  mtk_buf_free(&compact);

  /* the validator is real: a wrong value or type is caught */
  static const char *const bad_paths[] = {"version", "validity.status", "serial"};
  for (size_t k = 0; k < 3; k++) {
    json_t *d = load(&doc);
    json_t *o = jat(d, "inputs.0.objects.0");
    CHECK(o != NULL);
    if (o == NULL) {
      json_decref(d);
      continue;
    }
    if (k == 0) json_object_set_new(o, "version", json_integer(7));
    if (k == 1) json_object_set_new(json_object_get(o, "validity"), "status", json_string("fine"));
    if (k == 2) json_object_set_new(o, "serial", json_integer(5));
    char *txt = json_dumps(d, JSON_COMPACT);
    mtk_buf m;
    mtk_buf_init(&m, MTK_MAX_RENDER);
    if (txt != NULL) (void)mtk_buf_puts(&m, txt);
    int rc = validate_q(&m, true);
    if (rc != 1) fprintf(stderr, "  mutation of %s was not caught\n", bad_paths[k]);
    CHECK_EQ_INT(rc, 1);
    mtk_buf_free(&m);
    free(txt);
    json_decref(d);
  }
  mtk_buf_free(&doc);
}

TEST(text_document) {
  mtk_buf doc;
  mtk_buf_init(&doc, MTK_MAX_RENDER);
  build_doc(&doc, MTK_RENDER_TEXT, 0);
  CHECK(text_is_clean(&doc));
  mtk_buf_reset(&OUT);
  (void)mtk_buf_append(&OUT, doc.p, doc.len);
  CHECK(has("\nPrivate key, object 2 at offset 2000: not shown\n"));
  CHECK(has("error: object 3 at offset 2300: tbsCertificate.serialNumber: expected INTEGER"));
  CHECK(has("\nCertificate request: client-7\n"));
  CHECK(has("  Private key   enc.key: not compared (the key could not be parsed)\n"));
  mtk_buf_free(&doc);
}

int main(void) {
  dump = getenv("MTK_RENDER_DUMP") != NULL;
  mtk_buf_init(&OUT, MTK_MAX_RENDER);
  if (build_rich() != 0 || build_pss() != 0 || build_weird() != 0 || build_csr() != 0 ||
      build_ca() != 0) {
    fprintf(stderr, "render_test: could not build the fixtures\n");
    return 1;
  }
  RUN(text_rich_certificate);
  RUN(text_validity_phrases);
  RUN(text_weird_names_are_escaped);
  RUN(text_pss_and_rsa);
  RUN(text_csr);
  RUN(text_findings);
  RUN(text_error);
  RUN(json_rich_certificate);
  RUN(json_weird_strings_round_trip);
  RUN(json_csr_and_pss);
  RUN(json_flags);
  RUN(buffer_cap_is_reported);
  RUN(json_document_validates_against_schema);
  RUN(text_document);
  mtk_buf_free(&OUT);
  free(rich.der);
  free(pss.der);
  free(weird.der);
  free(csr.der);
  free(ca.der);
  return test_summary();
}

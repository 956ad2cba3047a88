/* client_gen.c: writes tests/limbo/client/mtls-client.json, mtlskit's own
 * x509-limbo cases for mTLS client-certificate validation (the suite has
 * only 10 CLIENT cases). Certificates come from certgen with fixed dates
 * (validation at 2025-06-01T00:00:00Z), so nothing expires with the wall
 * clock; ECDSA signatures differ on each run, the verdicts do not.
 *
 *   build/tests/limbo_client_gen > tests/limbo/client/mtls-client.json
 *
 * Every case is CLIENT with extended_key_usage [clientAuth], in the mtls::
 * namespace, which the harness validates with the RFC 5280 profile and
 * without MTK_VERIFY_ALLOW_NO_EKU: a client certificate must carry
 * clientAuth. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/obj_mac.h>

#include "certgen.h"

#define NB2025 INT64_C(1735689600) /* 2025-01-01 */
#define NA2026 INT64_C(1767225600) /* 2026-01-01 */
#define NA2035 INT64_C(2051222400) /* 2035-01-01 */
#define T_VALID "2025-06-01T00:00:00Z"

static json_t *cases;

static char *pem_of(const uint8_t *der, size_t len, const char *label) {
  char *pem;
  tb_pem(label, der, len, &pem, NULL);
  return pem;
}

typedef struct cert {
  uint8_t *der;
  size_t len;
  tb_name subject;
  tb_key *key;
} cert;

static void cert_free(cert *c) {
  free(c->der);
  tb_name_clear(&c->subject);
}

static void build(tb_cert_spec *s, cert *out) {
  memset(out, 0, sizeof *out);
  if (tb_cert_build(s, &out->der, &out->len) != 0) abort();
  tb_name_copy(&out->subject, &s->subject);
  out->key = s->subject_key;
  tb_cert_spec_cleanup(s);
}

static tb_key *key(int slot) { return tb_key_new_slot(TB_KEY_EC, NID_X9_62_prime256v1, slot); }

static void make_root(cert *out, const char *cn, int slot) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_cert_spec_ca(&s, cn, -1);
  s.subject_key = key(slot);
  s.not_before = NB2025;
  s.not_after = NA2035;
  build(&s, out);
}

/* A CA under |issuer|; |pathlen| < 0 for none; |nc| adds name constraints;
 * |eku| (may be NULL) an EKU with that one OID. */
static void make_ica(cert *out, const cert *issuer, const char *cn, int slot, int pathlen,
                     const tb_gn *permitted, size_t np, const tb_gn *excluded, size_t nx,
                     const char *eku, int64_t not_after) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_cert_spec_ca(&s, cn, pathlen);
  tb_name_copy(&s.issuer, &issuer->subject);
  s.subject_key = key(slot);
  s.issuer_key = issuer->key;
  s.not_before = NB2025;
  s.not_after = not_after;
  if (np + nx > 0) tb_ext_name_constraints(&s.exts, true, permitted, np, excluded, nx);
  if (eku != NULL) tb_ext_eku(&s.exts, false, &eku, 1);
  build(&s, out);
}

typedef struct leafopt {
  const char *cn;
  const char *const *ekus;  /* NULL: serverAuth-less clientAuth */
  size_t n_ekus;
  bool no_eku;
  uint32_t ku;              /* 0: digitalSignature */
  const tb_gn *san;
  size_t n_san;
  int64_t not_before, not_after;
  const uint8_t *serial;
  size_t serial_len;
  tb_key *key;              /* NULL: slot 50 */
} leafopt;

static void make_leaf(cert *out, const cert *issuer, const leafopt *o) {
  static const char *const client[] = {TB_EKU_CLIENT_AUTH};
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", o->cn);
  tb_name_copy(&s.issuer, &issuer->subject);
  s.subject_key = o->key ? o->key : key(50);
  s.issuer_key = issuer->key;
  s.not_before = o->not_before ? o->not_before : NB2025;
  s.not_after = o->not_after ? o->not_after : NA2026;
  if (o->serial != NULL) tb_cert_spec_set_serial(&s, o->serial, o->serial_len);
  tb_ext_key_usage(&s.exts, true, o->ku ? o->ku : TB_KU_DIGITAL_SIGNATURE);
  if (!o->no_eku)
    tb_ext_eku(&s.exts, false, o->ekus ? o->ekus : client, o->ekus ? o->n_ekus : 1);
  tb_ext_basic_constraints(&s.exts, true, false, -1);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  if (o->n_san > 0) tb_ext_san(&s.exts, false, o->san, o->n_san);
  build(&s, out);
}

/* A v2 CRL by |issuer| revoking |serial| (may be NULL), with cRLNumber and
 * AKI, valid 2025-05-01 .. 2025-07-01. */
static char *make_crl(const cert *issuer, const uint8_t *serial, size_t serial_len) {
  tb_buf b = {0};
  size_t seq = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int(&b, 1);
  uint8_t *alg;
  size_t alg_len;
  if (tb_sig_algid(issuer->key, TB_MD_DEFAULT, &alg, &alg_len) != 0) abort();
  tb_buf_add(&b, alg, alg_len);
  free(alg);
  tb_der_name(&b, &issuer->subject);
  tb_der_time(&b, INT64_C(1746057600), TB_TIME_AUTO); /* 2025-05-01 */
  tb_der_time(&b, INT64_C(1751328000), TB_TIME_AUTO); /* 2025-07-01 */
  if (serial != NULL) {
    size_t list = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    size_t entry = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    tb_der_int_raw(&b, serial, serial_len);
    tb_der_time(&b, INT64_C(1748736000), TB_TIME_AUTO); /* 2025-06-01 */
    tb_der_end(&b, entry);
    tb_der_end(&b, list);
  }
  tb_exts e = {0};
  static const uint8_t crl_number[] = {0x02, 0x01, 0x01};
  tb_ext_add(&e, "2.5.29.20", false, crl_number, sizeof crl_number);
  tb_ext_aki(&e, false, issuer->key);
  size_t ex = tb_der_begin(&b, MTK_CTX_C(0));
  tb_der_extensions(&b, &e, NULL, NULL);
  tb_der_end(&b, ex);
  tb_exts_clear(&e);
  tb_der_end(&b, seq);
  uint8_t *der;
  size_t len;
  if (tb_resign(b.p, b.len, issuer->key, TB_MD_DEFAULT, &der, &len) != 0) abort();
  tb_buf_free(&b);
  char *pem = pem_of(der, len, "X509 CRL");
  free(der);
  return pem;
}

static json_t *pem_array(const cert *const *certs, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    char *pem = pem_of(certs[i]->der, certs[i]->len, "CERTIFICATE");
    json_array_append_new(a, json_string(pem));
    free(pem);
  }
  return a;
}

static void add_case(const char *id, const char *desc, const char *expected, const cert *const *roots,
                     size_t nr, const cert *const *inters, size_t ni, const cert *leaf,
                     const char *const *emails, size_t ne, char *crl) {
  json_t *names = json_array();
  for (size_t i = 0; i < ne; i++)
    json_array_append_new(names, json_pack("{s:s, s:s}", "kind", "RFC822", "value", emails[i]));
  json_t *crls = json_array();
  if (crl != NULL) {
    json_array_append_new(crls, json_string(crl));
    free(crl);
  }
  char *leaf_pem = pem_of(leaf->der, leaf->len, "CERTIFICATE");
  json_t *tc = json_pack(
      "{s:s, s:[], s:[], s:s, s:s, s:s, s:o, s:o, s:s, s:n, s:s, s:[], s:[], s:[s], s:s, s:n, "
      "s:o, s:n, s:o}",
      "id", id, "conflicts_with", "features", "importance", "high", "description", desc,
      "validation_kind", "CLIENT", "trusted_certs", pem_array(roots, nr),
      "untrusted_intermediates", pem_array(inters, ni), "peer_certificate", leaf_pem,
      "peer_certificate_key", "validation_time", T_VALID, "signature_algorithms", "key_usage",
      "extended_key_usage", "clientAuth", "expected_result", expected, "expected_peer_name",
      "expected_peer_names", names, "max_chain_depth", "crls", crls);
  free(leaf_pem);
  if (tc == NULL) abort();
  json_array_append_new(cases, tc);
}

int main(void) {
  cases = json_array();
  cert root, other_root, ica, ica_nc, ica_srv, ica_p0, ica2, ica_exp;
  make_root(&root, "mTLS Test Root", 1);
  make_root(&other_root, "Another Root", 2);
  make_ica(&ica, &root, "mTLS Issuing CA", 3, 0, NULL, 0, NULL, 0, NULL, NA2035);
  tb_gn perm[] = {tb_gn_email("example.com"), tb_gn_dns("clients.example.com")};
  make_ica(&ica_nc, &root, "Constrained CA", 4, 0, perm, 2, NULL, 0, NULL, NA2035);
  make_ica(&ica_srv, &root, "Server-only CA", 5, 0, NULL, 0, NULL, 0, TB_EKU_SERVER_AUTH, NA2035);
  make_ica(&ica_p0, &root, "PathLen0 CA", 6, 0, NULL, 0, NULL, 0, NULL, NA2035);
  make_ica(&ica2, &ica_p0, "Sub CA", 7, -1, NULL, 0, NULL, 0, NULL, NA2035);
  make_ica(&ica_exp, &root, "Expired CA", 8, 0, NULL, 0, NULL, 0, NULL, INT64_C(1746057600));

  const cert *roots[] = {&root};
  const char *alice[] = {"alice@example.com"};
  tb_gn alice_san[] = {tb_gn_email("alice@example.com")};
  leafopt lo;
  cert leaf;

  memset(&lo, 0, sizeof lo);
  lo.cn = "alice";
  lo.san = alice_san;
  lo.n_san = 1;
  make_leaf(&leaf, &ica, &lo);
  const cert *i1[] = {&ica};
  add_case("mtls::valid-client-chain", "root -> ICA -> client (clientAuth, SAN alice@example.com)",
           "SUCCESS", roots, 1, i1, 1, &leaf, alice, 1, NULL);
  add_case("mtls::expected-email-absent", "the expected client identity is not in the SAN",
           "FAILURE", roots, 1, i1, 1, &leaf, (const char *[]){"carol@example.com"}, 1, NULL);
  const cert *others[] = {&other_root};
  add_case("mtls::wrong-ca", "the client chains to a root that is not trusted", "FAILURE", others,
           1, i1, 1, &leaf, NULL, 0, NULL);
  add_case("mtls::missing-intermediate", "the client sends no intermediate", "FAILURE", roots, 1,
           NULL, 0, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  static const char *const server_only[] = {TB_EKU_SERVER_AUTH};
  lo.ekus = server_only;
  lo.n_ekus = 1;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::serverauth-only", "the client certificate has only serverAuth", "FAILURE", roots,
           1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  static const char *const both[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH};
  lo.ekus = both;
  lo.n_ekus = 2;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::server-and-client-eku", "serverAuth and clientAuth: fine for a client",
           "SUCCESS", roots, 1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  static const char *const any[] = {TB_EKU_ANY};
  lo.ekus = any;
  lo.n_ekus = 1;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::anyeku-only", "anyExtendedKeyUsage does not stand for clientAuth", "FAILURE",
           roots, 1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  lo.ekus = NULL;
  lo.no_eku = true;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::no-eku", "no extendedKeyUsage: mtlskit requires clientAuth", "FAILURE", roots, 1,
           i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  lo.no_eku = false;

  lo.ku = TB_KU_KEY_ENCIPHERMENT;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::ku-without-digitalsignature",
           "keyUsage lacks digitalSignature, which a client needs to sign CertificateVerify",
           "FAILURE", roots, 1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  lo.ku = 0;

  lo.not_after = INT64_C(1746057600); /* 2025-05-01 */
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::expired-client", "the client certificate expired a month ago", "FAILURE", roots,
           1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  lo.not_after = 0;

  lo.not_before = INT64_C(1751328000); /* 2025-07-01 */
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::not-yet-valid-client", "the client certificate is valid from next month",
           "FAILURE", roots, 1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  lo.not_before = 0;

  make_leaf(&leaf, &ica_exp, &lo);
  const cert *iexp[] = {&ica_exp};
  add_case("mtls::expired-intermediate", "the issuing CA expired", "FAILURE", roots, 1, iexp, 1,
           &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  make_leaf(&leaf, &ica_srv, &lo);
  const cert *isrv[] = {&ica_srv};
  add_case("mtls::ca-eku-serverauth-only", "the issuing CA is limited to serverAuth by its EKU",
           "FAILURE", roots, 1, isrv, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  /* Revocation: root -> client directly, the root's CRL. */
  static const uint8_t serial_a[] = {0x01, 0x23, 0x45, 0x67, 0x89};
  static const uint8_t serial_b[] = {0x01, 0x23, 0x45, 0x67, 0x8a};
  lo.serial = serial_a;
  lo.serial_len = sizeof serial_a;
  make_leaf(&leaf, &root, &lo);
  add_case("mtls::revoked-by-crl", "the root's CRL lists the client's serial number", "FAILURE",
           roots, 1, NULL, 0, &leaf, NULL, 0, make_crl(&root, serial_a, sizeof serial_a));
  add_case("mtls::not-on-crl", "the root's CRL lists another serial number", "SUCCESS", roots, 1,
           NULL, 0, &leaf, NULL, 0, make_crl(&root, serial_b, sizeof serial_b));
  add_case("mtls::crl-of-another-ca", "the only CRL comes from another CA: no valid CRL",
           "FAILURE", roots, 1, NULL, 0, &leaf, NULL, 0, make_crl(&other_root, NULL, 0));
  cert_free(&leaf);
  lo.serial = NULL;

  /* Name constraints on the client SAN. */
  const cert *inc[] = {&ica_nc};
  tb_gn bob_san[] = {tb_gn_email("bob@evil.example")};
  lo.san = alice_san;
  make_leaf(&leaf, &ica_nc, &lo);
  add_case("mtls::nc-permitted-email", "the CA permits example.com mailboxes; alice@example.com",
           "SUCCESS", roots, 1, inc, 1, &leaf, alice, 1, NULL);
  cert_free(&leaf);
  lo.san = bob_san;
  make_leaf(&leaf, &ica_nc, &lo);
  add_case("mtls::nc-email-outside", "the CA permits example.com mailboxes; bob@evil.example",
           "FAILURE", roots, 1, inc, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  tb_gn dns_san[] = {tb_gn_email("alice@example.com"), tb_gn_dns("laptop.corp.example.net")};
  lo.san = dns_san;
  lo.n_san = 2;
  make_leaf(&leaf, &ica_nc, &lo);
  add_case("mtls::nc-dns-outside", "the CA permits DNS clients.example.com; the client has another",
           "FAILURE", roots, 1, inc, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  tb_gn spiffe_san[] = {tb_gn_uri("spiffe://example.org/ns/prod/sa/api")};
  lo.san = spiffe_san;
  lo.n_san = 1;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::spiffe-uri-client", "a workload certificate with a SPIFFE URI SAN", "SUCCESS",
           roots, 1, i1, 1, &leaf, NULL, 0, NULL);
  cert_free(&leaf);
  lo.san = alice_san;

  /* pathLenConstraint 0 with a sub-CA below. */
  make_leaf(&leaf, &ica2, &lo);
  const cert *ip0[] = {&ica2, &ica_p0};
  add_case("mtls::pathlen-0-exceeded", "root -> CA (pathLen 0) -> sub-CA -> client", "FAILURE",
           roots, 1, ip0, 2, &leaf, NULL, 0, NULL);
  cert_free(&leaf);

  /* A weak client key. */
  lo.key = tb_key_new(TB_KEY_RSA, 1024);
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::rsa-1024-client", "the client key is RSA-1024", "FAILURE", roots, 1, i1, 1, &leaf,
           NULL, 0, NULL);
  cert_free(&leaf);
  lo.key = NULL;

  /* Two identities required, both present. */
  tb_gn two[] = {tb_gn_email("alice@example.com"), tb_gn_email("ops@example.com")};
  lo.san = two;
  lo.n_san = 2;
  make_leaf(&leaf, &ica, &lo);
  add_case("mtls::two-identities", "both expected mailboxes are in the SAN", "SUCCESS", roots, 1, i1,
           1, &leaf, (const char *[]){"alice@example.com", "ops@example.com"}, 2, NULL);
  cert_free(&leaf);

  json_t *doc = json_pack("{s:i, s:o}", "version", 1, "testcases", cases);
  if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) return 1;
  putchar('\n');
  json_decref(doc);
  cert *all[] = {&root, &other_root, &ica, &ica_nc, &ica_srv, &ica_p0, &ica2, &ica_exp};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) cert_free(all[i]);
  return 0;
}

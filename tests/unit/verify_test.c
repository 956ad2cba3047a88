/* verify_test.c: chain verification (lib/verify*.c). Every chain is made
 * here with certgen at fixed dates (validation at 2025-02-01); each failure
 * is asserted by its exact reason code. */
#include <stdlib.h>
#include <string.h>

#include <openssl/obj_mac.h>

#include "certgen.h"
#include "mtlskit/verify.h"
#include "test.h"

#define AT INT64_C(1738368000) /* 2025-02-01T00:00:00Z */

static mtk_verify_result *R;

typedef struct der {
  uint8_t *p;
  size_t len;
} der;

static tb_key *key(int slot) { return tb_key_new_slot(TB_KEY_EC, NID_X9_62_prime256v1, slot); }

static der build(tb_cert_spec *s) {
  der d = {0};
  if (tb_cert_build(s, &d.p, &d.len) != 0) abort();
  tb_cert_spec_cleanup(s);
  return d;
}

/* Specs: a root (slot 1), an intermediate (slot 2) under it, a leaf (slot
 * 3) under the intermediate, each ready for the test to modify. */
static void root_spec(tb_cert_spec *s) {
  tb_cert_spec_default(s);
  tb_cert_spec_ca(s, "Test Root", -1);
  s->subject_key = key(1);
  s->not_after = TB_DEFAULT_NOT_AFTER + 86400 * 365;
}

static void ica_spec(tb_cert_spec *s, int pathlen) {
  tb_cert_spec_default(s);
  tb_cert_spec_ca(s, "Test Issuing CA", pathlen);
  tb_name_add(&s->issuer, "CN", "Test Root");
  s->subject_key = key(2);
  s->issuer_key = key(1);
}

static void leaf_spec(tb_cert_spec *s, const char *dns) {
  tb_cert_spec_default(s);
  tb_cert_spec_leaf(s, dns);
  tb_name_add(&s->issuer, "CN", "Test Issuing CA");
  s->subject_key = key(3);
  s->issuer_key = key(2);
}

static der std_root(void) {
  tb_cert_spec s;
  root_spec(&s);
  return build(&s);
}

static der std_ica(void) {
  tb_cert_spec s;
  ica_spec(&s, 0);
  return build(&s);
}

static der std_leaf(void) {
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  return build(&s);
}

/* Verifies |leaf| against |root| with |inter| (may be NULL) as untrusted. */
static mtk_status verify3(der root, der inter, der leaf, const mtk_verify_opts *o) {
  mtk_trust *t = NULL;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = mtk_trust_new(root.p, root.len, NULL, 0, &t, &d);
  if (s != MTK_OK) return s;
  mtk_cbs u;
  mtk_cbs_init(&u, inter.p, inter.len);
  s = mtk_verify(t, leaf.p, leaf.len, inter.p ? &u : NULL, inter.p ? 1 : 0, o, R);
  mtk_trust_free(t);
  return s;
}

static bool has_code(mtk_status code) {
  for (size_t i = 0; i < R->n_paths; i++)
    for (size_t k = 0; k < R->paths[i].n_reasons; k++)
      if (R->paths[i].reasons[k].code == code) return true;
  return false;
}

static void dump(void) {
  for (size_t i = 0; i < R->n_paths; i++)
    for (size_t k = 0; k < R->paths[i].n_reasons; k++)
      fprintf(stderr, "    path %zu: [%s] %s\n", i, mtk_status_name(R->paths[i].reasons[k].code),
              R->paths[i].reasons[k].msg);
}

static void opts(mtk_verify_opts *o) {
  mtk_verify_opts_init(o, AT);
  o->purpose = MTK_PURPOSE_SERVER;
}

static void free3(der a, der b, der c) {
  free(a.p);
  free(b.p);
  free(c.p);
}

/* Expects an invalid result whose first reason (of the first path) is
 * |code|. */
#define EXPECT_INVALID(want)                              \
  do {                                                    \
    CHECK(!R->valid);                                     \
    CHECK_STATUS(R->code, want);                          \
    if (R->valid || R->code != (want)) dump();            \
  } while (0)

#define EXPECT_VALID()         \
  do {                         \
    CHECK(R->valid);           \
    if (!R->valid) dump();     \
  } while (0)

/* ---- valid chains ---------------------------------------------------------------- */

TEST(valid_server_chain) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  mtk_verify_name n = {MTK_NAME_DNS, "www.example.com", 15};
  o.names = &n;
  o.n_names = 1;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID();
  CHECK_EQ_INT(R->paths[R->chain].n_elems, 3);
  CHECK_EQ_INT(R->paths[R->chain].elems[0].origin, MTK_ORIGIN_LEAF);
  CHECK_EQ_INT(R->paths[R->chain].elems[1].origin, MTK_ORIGIN_UNTRUSTED);
  CHECK_EQ_INT(R->paths[R->chain].elems[2].origin, MTK_ORIGIN_ANCHOR);
  CHECK_STR(R->paths[R->chain].elems[1].subject, "Test Issuing CA");
  CHECK_EQ_INT(R->matched_name, 0);
  free3(r, i, l);
}

TEST(valid_client_chain) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  o.purpose = MTK_PURPOSE_CLIENT; /* tb_cert_spec_leaf has clientAuth too */
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID();
  free3(r, i, l);
}

TEST(not_after_is_inclusive) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  o.at = TB_DEFAULT_NOT_AFTER; /* RFC 5280 4.1.2.5: through notAfter */
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID();
  o.at = TB_DEFAULT_NOT_AFTER + 1;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_EXPIRED);
  CHECK(strstr(R->paths[0].reasons[0].msg, "expired on 2025-04-01T00:00:00Z") != NULL);
  free3(r, i, l);
}

TEST(not_yet_valid) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  o.at = TB_DEFAULT_NOT_BEFORE - 1;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NOT_YET_VALID);
  free3(r, i, l);
}

/* ---- names and purposes ---------------------------------------------------------------- */

TEST(name_mismatch_no_cn_fallback) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  mtk_verify_name n = {MTK_NAME_DNS, "other.example.com", 17};
  o.names = &n;
  o.n_names = 1;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NAME_MISMATCH);
  CHECK(strstr(R->paths[0].reasons[0].msg, "DNS:www.example.com") != NULL);
  free3(r, i, l);
}

TEST(malformed_expected_name_is_arg_error) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_verify_opts o;
  opts(&o);
  mtk_verify_name n = {MTK_NAME_IP, "010.0.0.1", 9};
  o.names = &n;
  o.n_names = 1;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_ERR_ARG);
  free3(r, i, l);
}

TEST(client_purpose_needs_clientauth) {
  static const char *const server[] = {TB_EKU_SERVER_AUTH};
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_exts_clear(&s.exts);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_eku(&s.exts, false, server, 1);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  tb_gn san = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &san, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  o.purpose = MTK_PURPOSE_CLIENT;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_EKU);
  CHECK(strstr(R->paths[0].reasons[0].msg, "lacks clientAuth") != NULL);
  free3(r, i, l);
}

TEST(missing_eku_needs_flag) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_exts_clear(&s.exts);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  tb_gn san = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &san, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_EKU);
  o.flags |= MTK_VERIFY_ALLOW_NO_EKU;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID();
  o.profile = MTK_VERIFY_WEBPKI; /* the BRs require the EKU whatever the flag */
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_EKU);
  free3(r, i, l);
}

TEST(ca_eku_restricts) {
  static const char *const code[] = {TB_EKU_CODE_SIGNING};
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  ica_spec(&s, 0);
  tb_ext_eku(&s.exts, false, code, 1);
  der i = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_EKU);
  free3(r, i, l);
}

/* ---- CA rules --------------------------------------------------------------------------- */

TEST(intermediate_without_basic_constraints) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "Test Issuing CA");
  tb_name_add(&s.issuer, "CN", "Test Root");
  s.subject_key = key(2);
  s.issuer_key = key(1);
  tb_ext_key_usage(&s.exts, true, TB_KU_KEY_CERT_SIGN);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  der i = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NOT_CA);
  CHECK(strstr(R->paths[0].reasons[0].msg,
               "certificate 1 (Test Issuing CA) is not a CA: basicConstraints missing") != NULL);
  free3(r, i, l);
}

TEST(intermediate_without_keycertsign) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "Test Issuing CA");
  tb_name_add(&s.issuer, "CN", "Test Root");
  s.subject_key = key(2);
  s.issuer_key = key(1);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_key_usage(&s.exts, true, TB_KU_CRL_SIGN);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  der i = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_KEY_USAGE);
  free3(r, i, l);
}

TEST(pathlen_exceeded) {
  der r = std_root();
  tb_cert_spec s;
  ica_spec(&s, 0);
  der i1 = build(&s);
  tb_cert_spec_default(&s);
  tb_cert_spec_ca(&s, "Sub CA", -1);
  tb_name_add(&s.issuer, "CN", "Test Issuing CA");
  s.subject_key = key(4);
  s.issuer_key = key(2);
  der i2 = build(&s);
  leaf_spec(&s, "www.example.com");
  tb_name_clear(&s.issuer);
  tb_name_add(&s.issuer, "CN", "Sub CA");
  s.issuer_key = key(4);
  der l = build(&s);
  mtk_trust *t = NULL;
  CHECK_STATUS(mtk_trust_new(r.p, r.len, NULL, 0, &t, NULL), MTK_OK);
  mtk_cbs u[2];
  mtk_cbs_init(&u[0], i2.p, i2.len);
  mtk_cbs_init(&u[1], i1.p, i1.len);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_PATHLEN);
  /* and the depth limit: 2 intermediates, 1 allowed */
  o.max_depth = 1;
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  CHECK(!R->valid);
  CHECK(has_code(MTK_ERR_CHAIN_DEPTH));
  mtk_trust_free(t);
  free3(r, i1, i2);
  free(l.p);
}

/* ---- signatures and path building -------------------------------------------------------- */

TEST(bad_signature) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  s.corrupt_signature = true;
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_SIGNATURE);
  CHECK(strstr(R->paths[0].reasons[0].msg, "by 'Test Issuing CA' does not verify") != NULL);
  free3(r, i, l);
}

TEST(missing_intermediate) {
  der r = std_root(), l = std_leaf();
  der none = {0};
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, none, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NO_ISSUER);
  CHECK(!R->paths[0].complete);
  free(r.p);
  free(l.p);
}

TEST(untrusted_root) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_cert_spec_ca(&s, "Other Root", -1);
  s.subject_key = key(9);
  der other = build(&s);
  mtk_trust *t = NULL;
  CHECK_STATUS(mtk_trust_new(other.p, other.len, NULL, 0, &t, NULL), MTK_OK);
  mtk_cbs u[2];
  mtk_cbs_init(&u[0], i.p, i.len);
  mtk_cbs_init(&u[1], r.p, r.len); /* the real root, sent untrusted */
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_UNTRUSTED);
  mtk_trust_free(t);
  free3(r, i, l);
  free(other.p);
}

/* Two intermediates with the same name: the first candidate has the wrong
 * key; the builder backtracks and finds the second. */
TEST(backtracks_over_wrong_key) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  ica_spec(&s, 0);
  s.subject_key = key(7); /* not the key that signed the leaf */
  der wrong = build(&s);
  der right = std_ica();
  mtk_trust *t = NULL;
  CHECK_STATUS(mtk_trust_new(r.p, r.len, NULL, 0, &t, NULL), MTK_OK);
  mtk_cbs u[2];
  mtk_cbs_init(&u[0], wrong.p, wrong.len);
  mtk_cbs_init(&u[1], right.p, right.len);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  EXPECT_VALID();
  CHECK_EQ_INT(R->paths[R->chain].elems[1].index, 1);
  mtk_trust_free(t);
  free3(r, l, wrong);
  free(right.p);
}

/* An expired intermediate and a good one of the same CA: the good wins. */
TEST(backtracks_over_expired_intermediate) {
  der r = std_root(), l = std_leaf(), good = std_ica();
  tb_cert_spec s;
  ica_spec(&s, 0);
  s.not_after = TB_DEFAULT_NOT_BEFORE + 86400;
  der old = build(&s);
  mtk_trust *t = NULL;
  CHECK_STATUS(mtk_trust_new(r.p, r.len, NULL, 0, &t, NULL), MTK_OK);
  mtk_cbs u[2];
  mtk_cbs_init(&u[0], old.p, old.len);
  mtk_cbs_init(&u[1], good.p, good.len);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  EXPECT_VALID();
  CHECK_EQ_INT(R->n_paths, 2);
  CHECK(!R->paths[0].valid);
  CHECK_STATUS(R->paths[0].reasons[0].code, MTK_ERR_CHAIN_EXPIRED);
  mtk_trust_free(t);
  free3(r, l, good);
  free(old.p);
}

/* ---- profile ------------------------------------------------------------------------------ */

TEST(unknown_critical_extension) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  static const uint8_t null_der[] = {0x05, 0x00};
  tb_ext_add(&s.exts, "1.3.6.1.4.1.55738.666.1", true, null_der, sizeof null_der);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_CRITICAL_EXT);
  free3(r, i, l);
}

TEST(duplicate_extension) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_gn san = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &san, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_MALFORMED);
  CHECK(strstr(R->paths[0].reasons[0].msg, "the same extension twice") != NULL);
  free3(r, i, l);
}

TEST(serial_zero) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  static const uint8_t zero[] = {0};
  tb_cert_spec_set_serial(&s, zero, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_PROFILE);
  CHECK(strstr(R->paths[0].reasons[0].msg, "serial number zero") != NULL);
  free3(r, i, l);
}

TEST(leaf_without_aki) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_exts_clear(&s.exts);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  static const char *const server[] = {TB_EKU_SERVER_AUTH};
  tb_ext_eku(&s.exts, false, server, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_PROFILE);
  CHECK(strstr(R->paths[0].reasons[0].msg, "authorityKeyIdentifier") != NULL);
  free3(r, i, l);
}

TEST(weak_rsa_leaf) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  s.subject_key = tb_key_new(TB_KEY_RSA, 1024);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_KEY);
  free3(r, i, l);
}

TEST(webpki_leaf_is_ca) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_exts_clear(&s.exts);
  tb_ext_basic_constraints(&s.exts, true, true, -1);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  static const char *const server[] = {TB_EKU_SERVER_AUTH};
  tb_ext_eku(&s.exts, false, server, 1);
  tb_ext_ski_auto(&s.exts, false);
  tb_ext_aki_auto(&s.exts, false);
  tb_gn san = tb_gn_dns("www.example.com");
  tb_ext_san(&s.exts, false, &san, 1);
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID(); /* RFC 5280 says nothing against it */
  o.profile = MTK_VERIFY_WEBPKI;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_PROFILE);
  free3(r, i, l);
}

TEST(webpki_cn_not_in_san) {
  der r = std_root(), i = std_ica();
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "elsewhere.example.com");
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  o.profile = MTK_VERIFY_WEBPKI;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_PROFILE);
  CHECK(strstr(R->paths[0].reasons[0].msg, "BR 7.1.4.3") != NULL);
  free3(r, i, l);
}

TEST(malformed_leaf) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  l.p[l.len - 1] ^= 0; /* keep */
  l.len -= 1;          /* truncated: not one DER element */
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_MALFORMED);
  free3(r, i, l);
}

/* ---- name constraints ----------------------------------------------------------------------- */

TEST(name_constraints_excluded_dns) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  ica_spec(&s, 0);
  tb_gn ex = tb_gn_dns("example.com");
  tb_ext_name_constraints(&s.exts, true, NULL, 0, &ex, 1);
  der i = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NAME_CONSTRAINTS);
  CHECK(strstr(R->paths[0].reasons[0].msg, "excludes DNS:www.example.com") != NULL);
  free3(r, i, l);
}

TEST(name_constraints_wildcard_reaches_excluded) {
  der r = std_root();
  tb_cert_spec s;
  ica_spec(&s, 0);
  tb_gn ex = tb_gn_dns("bar.example.com");
  tb_ext_name_constraints(&s.exts, true, NULL, 0, &ex, 1);
  der i = build(&s);
  leaf_spec(&s, "*.example.com");
  der l = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NAME_CONSTRAINTS);
  free3(r, i, l);
}

TEST(name_constraints_directory_name) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  ica_spec(&s, 0);
  tb_name permitted = {0};
  tb_name_add(&permitted, "O", "Example Corp");
  tb_gn p = tb_gn_dirname(&permitted);
  tb_ext_name_constraints(&s.exts, true, &p, 1, NULL, 0);
  der i = build(&s);
  tb_name_clear(&permitted);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_NAME_CONSTRAINTS);
  CHECK(strstr(R->paths[0].reasons[0].msg, "does not permit dirName:") != NULL);
  free3(r, i, l);
}

TEST(name_constraints_permitted_ok) {
  der r = std_root(), l = std_leaf();
  tb_cert_spec s;
  ica_spec(&s, 0);
  tb_gn p[] = {tb_gn_dns("example.com")};
  tb_ext_name_constraints(&s.exts, true, p, 1, NULL, 0);
  der i = build(&s);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  EXPECT_VALID();
  free3(r, i, l);
}

/* ---- CRLs ----------------------------------------------------------------------------------- */

/* A v2 CRL by the root (slot 1) revoking |serial|. */
static der make_crl(const uint8_t *serial, size_t n) {
  tb_buf b = {0};
  size_t seq = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int(&b, 1);
  uint8_t *alg;
  size_t alg_len;
  if (tb_sig_algid(key(1), TB_MD_DEFAULT, &alg, &alg_len) != 0) abort();
  tb_buf_add(&b, alg, alg_len);
  free(alg);
  tb_name root = {0};
  tb_name_add(&root, "CN", "Test Root");
  tb_der_name(&b, &root);
  tb_name_clear(&root);
  tb_der_time(&b, AT - 86400, TB_TIME_AUTO);
  tb_der_time(&b, AT + 86400, TB_TIME_AUTO);
  size_t list = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t entry = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int_raw(&b, serial, n);
  tb_der_time(&b, AT - 3600, TB_TIME_AUTO);
  tb_der_end(&b, entry);
  tb_der_end(&b, list);
  tb_exts e = {0};
  static const uint8_t one[] = {0x02, 0x01, 0x01};
  tb_ext_add(&e, "2.5.29.20", false, one, sizeof one);
  tb_ext_aki(&e, false, key(1));
  size_t ex = tb_der_begin(&b, MTK_CTX_C(0));
  tb_der_extensions(&b, &e, NULL, NULL);
  tb_der_end(&b, ex);
  tb_exts_clear(&e);
  tb_der_end(&b, seq);
  der d = {0};
  if (tb_resign(b.p, b.len, key(1), TB_MD_DEFAULT, &d.p, &d.len) != 0) abort();
  tb_buf_free(&b);
  return d;
}

TEST(revoked_by_crl) {
  static const uint8_t serial[] = {0x42, 0x42};
  der r = std_root(), none = {0};
  tb_cert_spec s;
  leaf_spec(&s, "www.example.com");
  tb_name_clear(&s.issuer);
  tb_name_add(&s.issuer, "CN", "Test Root");
  s.issuer_key = key(1);
  tb_cert_spec_set_serial(&s, serial, sizeof serial);
  der l = build(&s);
  der crl = make_crl(serial, sizeof serial);
  mtk_cbs c;
  mtk_cbs_init(&c, crl.p, crl.len);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(verify3(r, none, l, &o), MTK_OK);
  EXPECT_VALID();
  o.crls = &c;
  o.n_crls = 1;
  CHECK_STATUS(verify3(r, none, l, &o), MTK_OK);
  EXPECT_INVALID(MTK_ERR_CHAIN_REVOKED);
  free3(r, l, crl);
}

/* ---- store and options ----------------------------------------------------------------------- */

TEST(trust_store_inputs) {
  mtk_trust *t = NULL;
  mtk_diag d;
  mtk_diag_init(&d);
  static const uint8_t text[] = "no certificate here\n";
  CHECK_STATUS(mtk_trust_new(text, sizeof text - 1, NULL, 0, &t, &d), MTK_ERR_PEM_NOTHING);
  CHECK(t == NULL);
  der r = std_root(), i = std_ica();
  char *pem1, *pem2;
  tb_pem("CERTIFICATE", r.p, r.len, &pem1, NULL);
  tb_pem("CERTIFICATE", i.p, i.len, &pem2, NULL);
  size_t n1 = strlen(pem1), n2 = strlen(pem2);
  char *bundle = malloc(n1 + n2 + 1);
  memcpy(bundle, pem1, n1);
  memcpy(bundle + n1, pem2, n2 + 1);
  CHECK_STATUS(mtk_trust_new((const uint8_t *)bundle, n1 + n2, (const uint8_t *)pem2, n2, &t, &d),
               MTK_OK);
  CHECK_EQ_INT(mtk_trust_count(t, MTK_TRUST_ANCHOR), 2);
  CHECK_EQ_INT(mtk_trust_count(t, MTK_TRUST_INTERMEDIATE), 1);
  /* A truncated certificate is refused and nothing of that input is added. */
  mtk_diag_init(&d);
  CHECK(mtk_trust_add(t, r.p, r.len - 1, MTK_TRUST_ANCHOR, &d) != MTK_OK);
  CHECK_EQ_INT(mtk_trust_count(t, MTK_TRUST_ANCHOR), 2);
  mtk_trust_free(t);
  mtk_trust_free(NULL);
  free(pem1);
  free(pem2);
  free(bundle);
  free(r.p);
  free(i.p);
}

TEST(options_and_names) {
  mtk_verify_opts o;
  mtk_verify_opts_init(&o, 5);
  CHECK_EQ_INT(o.at, 5);
  CHECK_EQ_INT(o.purpose, MTK_PURPOSE_ANY);
  CHECK_EQ_INT(o.profile, MTK_VERIFY_RFC5280);
  CHECK_EQ_INT(o.max_depth, -1);
  mtk_verify_profile p;
  CHECK(mtk_verify_profile_parse("webpki", &p) && p == MTK_VERIFY_WEBPKI);
  CHECK(!mtk_verify_profile_parse("x", &p));
  CHECK_STR(mtk_verify_profile_name(MTK_VERIFY_RFC5280), "rfc5280");
  CHECK_STR(mtk_cert_origin_name(MTK_ORIGIN_ANCHOR), "anchor");
  CHECK_STR(mtk_status_name(MTK_ERR_CHAIN_NO_ISSUER), "MTK_ERR_CHAIN_NO_ISSUER");
  CHECK_EQ_INT(MTK_ERR_CHAIN_NO_ISSUER, 700);
  CHECK_STATUS(mtk_verify(NULL, NULL, 0, NULL, 0, &o, R), MTK_ERR_ARG);
}

int main(void) {
  R = malloc(sizeof *R);
  if (R == NULL) return 1;
  RUN(valid_server_chain);
  RUN(valid_client_chain);
  RUN(not_after_is_inclusive);
  RUN(not_yet_valid);
  RUN(name_mismatch_no_cn_fallback);
  RUN(malformed_expected_name_is_arg_error);
  RUN(client_purpose_needs_clientauth);
  RUN(missing_eku_needs_flag);
  RUN(ca_eku_restricts);
  RUN(intermediate_without_basic_constraints);
  RUN(intermediate_without_keycertsign);
  RUN(pathlen_exceeded);
  RUN(bad_signature);
  RUN(missing_intermediate);
  RUN(untrusted_root);
  RUN(backtracks_over_wrong_key);
  RUN(backtracks_over_expired_intermediate);
  RUN(unknown_critical_extension);
  RUN(duplicate_extension);
  RUN(serial_zero);
  RUN(leaf_without_aki);
  RUN(weak_rsa_leaf);
  RUN(webpki_leaf_is_ca);
  RUN(webpki_cn_not_in_san);
  RUN(malformed_leaf);
  RUN(name_constraints_excluded_dns);
  RUN(name_constraints_wildcard_reaches_excluded);
  RUN(name_constraints_directory_name);
  RUN(name_constraints_permitted_ok);
  RUN(revoked_by_crl);
  RUN(trust_store_inputs);
  RUN(options_and_names);
  free(R);
  return test_summary();
}

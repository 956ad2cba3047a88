/* verify_test.c: chain verification (lib/verify*.c). Every chain is made
 * here with certgen at fixed dates (validation at 2025-02-01); each failure
 * is asserted by its exact reason code. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* mtk_verify_chain_profile's result, and what the differential below saw. */
static mtk_verify_result *R2;
static size_t n_diff_valid, n_diff_invalid;
static bool diff_ran;
static mtk_status diff_first_code;

/* A reason of mtlskit's profile (not OpenSSL's, not path building's). */
static bool profile_reason(const mtk_verify_reason *r) {
  return strstr(r->msg, "(OpenSSL)") == NULL && strncmp(r->msg, "OpenSSL ", 8) != 0 &&
         strncmp(r->msg, "untrusted certificate ", 22) != 0;
}

/* The differential: every complete path mtk_verify put in R, given to
 * mtk_verify_chain_profile, gets exactly the profile reasons mtk_verify gave
 * it (code, depth, words, order), and a valid path stays valid. Runs after
 * every mtk_verify of this file (while the certificates live). CRL reasons
 * come from CRLs, which the new call does not take: skipped then. */
static void differential(const mtk_verify_opts *o) {
  diff_ran = false;
  if (o->n_crls > 0) return;
  for (size_t i = 0; i < R->n_paths; i++) {
    const mtk_verify_path *pa = &R->paths[i];
    if (!pa->complete || pa->reasons_dropped > 0) continue;
    mtk_cbs chain[MTK_VERIFY_MAX_PATH];
    for (size_t k = 0; k < pa->n_elems; k++)
      mtk_cbs_init(&chain[k], pa->elems[k].der, pa->elems[k].der_len);
    CHECK_STATUS(mtk_verify_chain_profile(chain, pa->n_elems, o, R2), MTK_OK);
    const mtk_verify_path *pb = &R2->paths[0];
    CHECK_EQ_INT(R2->n_paths, 1);
    CHECK_EQ_INT(pb->n_elems, pa->n_elems);
    size_t m = 0;
    for (size_t k = 0; k < pa->n_reasons; k++) {
      const mtk_verify_reason *ra = &pa->reasons[k];
      if (!profile_reason(ra)) continue;
      CHECK(m < pb->n_reasons);
      if (m >= pb->n_reasons) break;
      CHECK_STATUS(pb->reasons[m].code, ra->code);
      CHECK_EQ_INT(pb->reasons[m].depth, ra->depth);
      CHECK_STR(pb->reasons[m].msg, ra->msg);
      m++;
    }
    CHECK_EQ_INT(pb->n_reasons, m);
    CHECK(R2->valid == (m == 0));
    if (pa->valid) {
      CHECK(R2->valid);
      CHECK_EQ_INT(R2->matched_name, R->matched_name);
      n_diff_valid++;
    } else if (m > 0) {
      n_diff_invalid++;
    }
    if (!diff_ran) {
      diff_ran = true;
      diff_first_code = R2->code;
    }
  }
}

/* After mtk_verify: the first complete path, given alone to
 * mtk_verify_chain_profile, fails with |want| too. */
#define EXPECT_PROFILE(want)                  \
  do {                                        \
    CHECK(diff_ran);                          \
    CHECK_STATUS(diff_first_code, want);      \
  } while (0)

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
  if (s == MTK_OK) differential(o);
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
  EXPECT_PROFILE(MTK_ERR_CHAIN_EXPIRED);
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
  EXPECT_PROFILE(MTK_ERR_CHAIN_EKU);
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
  differential(&o);
  EXPECT_INVALID(MTK_ERR_CHAIN_PATHLEN);
  EXPECT_PROFILE(MTK_ERR_CHAIN_PATHLEN);
  /* and the depth limit: 2 intermediates, 1 allowed */
  o.max_depth = 1;
  CHECK_STATUS(mtk_verify(t, l.p, l.len, u, 2, &o, R), MTK_OK);
  differential(&o);
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
  differential(&o);
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
  differential(&o);
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
  differential(&o);
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
  EXPECT_PROFILE(MTK_ERR_CHAIN_KEY);
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
  EXPECT_PROFILE(MTK_ERR_CHAIN_PROFILE);
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
  EXPECT_PROFILE(MTK_ERR_CHAIN_NAME_CONSTRAINTS);
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

/* ---- mtk_verify_chain_profile (a chain OpenSSL already built) ------------------------------- */

static void chain3(mtk_cbs *c, der l, der i, der r) {
  mtk_cbs_init(&c[0], l.p, l.len);
  mtk_cbs_init(&c[1], i.p, i.len);
  mtk_cbs_init(&c[2], r.p, r.len);
}

TEST(chain_profile_valid) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_cbs c[3];
  chain3(c, l, i, r);
  mtk_verify_opts o;
  opts(&o);
  o.purpose = MTK_PURPOSE_CLIENT; /* the proxy's server side: no names */
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(R2->valid);
  CHECK_STATUS(R2->code, MTK_OK);
  CHECK_EQ_INT(R2->n_paths, 1);
  CHECK_EQ_INT(R2->chain, 0);
  CHECK_EQ_INT(R2->matched_name, -1);
  const mtk_verify_path *p = &R2->paths[0];
  CHECK(p->valid && p->complete);
  CHECK_EQ_INT(p->n_elems, 3);
  CHECK_EQ_INT(p->elems[0].origin, MTK_ORIGIN_LEAF);
  CHECK_EQ_INT(p->elems[1].origin, MTK_ORIGIN_UNTRUSTED);
  CHECK_EQ_INT(p->elems[1].index, 1);
  CHECK_EQ_INT(p->elems[2].origin, MTK_ORIGIN_ANCHOR);
  CHECK_STR(p->elems[1].subject, "Test Issuing CA");
  CHECK(p->elems[0].der == l.p && p->elems[0].der_len == l.len);
  /* The client side: serverAuth and the expected name. */
  o.purpose = MTK_PURPOSE_SERVER;
  mtk_verify_name n[2] = {{MTK_NAME_DNS, "other.example.com", 17},
                          {MTK_NAME_DNS, "www.example.com", 15}};
  o.names = n;
  o.n_names = 2;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(R2->valid);
  CHECK_EQ_INT(R2->matched_name, 1);
  o.n_names = 1;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  CHECK_STATUS(R2->code, MTK_ERR_CHAIN_NAME_MISMATCH);
  /* The same result object again, now valid: no stale reasons. */
  o.n_names = 0;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(R2->valid);
  CHECK_EQ_INT(R2->paths[0].n_reasons, 0);
  free3(r, i, l);
}

/* A chain in the wrong order is not a path: the profile sees a CA as the
 * leaf and a leaf as a CA. */
TEST(chain_profile_wrong_order) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_cbs c[3];
  chain3(c, i, l, r);
  mtk_verify_opts o;
  opts(&o);
  o.profile = MTK_VERIFY_WEBPKI;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  bool not_ca = false;
  for (size_t k = 0; k < R2->paths[0].n_reasons; k++)
    not_ca = not_ca || (R2->paths[0].reasons[k].code == MTK_ERR_CHAIN_NOT_CA &&
                        R2->paths[0].reasons[k].depth == 1);
  CHECK(not_ca);
  free3(r, i, l);
}

TEST(chain_profile_malformed) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_cbs c[3];
  mtk_verify_opts o;
  opts(&o);
  /* A truncated leaf: the words of mtk_verify. */
  chain3(c, l, i, r);
  c[0].len--;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  CHECK_STATUS(R2->code, MTK_ERR_CHAIN_MALFORMED);
  CHECK_EQ_INT(R2->paths[0].reasons[0].depth, 0);
  char want[MTK_VERIFY_MSG_MAX];
  snprintf(want, sizeof want, "%s", R2->paths[0].reasons[0].msg);
  l.len--;
  CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
  l.len++;
  EXPECT_INVALID(MTK_ERR_CHAIN_MALFORMED);
  CHECK_STR(R->paths[0].reasons[0].msg, want);
  /* A truncated intermediate: malformed at depth 1. */
  chain3(c, l, i, r);
  c[1].len--;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  CHECK_STATUS(R2->code, MTK_ERR_CHAIN_MALFORMED);
  CHECK_EQ_INT(R2->paths[0].reasons[0].depth, 1);
  CHECK(strncmp(R2->paths[0].reasons[0].msg, "certificate 1 (unparseable certificate) is malformed:",
                53) == 0);
  free3(r, i, l);
}

/* An extension twice, and an extension whose value is not what its type
 * says: the same code and words as mtk_verify. */
TEST(chain_profile_malformed_extension) {
  der r = std_root(), i = std_ica();
  for (int variant = 0; variant < 2; variant++) {
    tb_cert_spec s;
    leaf_spec(&s, "www.example.com");
    if (variant == 0) {
      tb_gn san = tb_gn_dns("www.example.com");
      tb_ext_san(&s.exts, false, &san, 1);
    } else {
      static const uint8_t junk[] = {0x04, 0x01, 0xff}; /* OCTET STRING, not keyUsage's BIT STRING */
      tb_ext_add(&s.exts, "2.5.29.15", true, junk, sizeof junk);
    }
    der l = build(&s);
    mtk_verify_opts o;
    opts(&o);
    CHECK_STATUS(verify3(r, i, l, &o), MTK_OK);
    CHECK(!R->valid);
    mtk_cbs c[3];
    chain3(c, l, i, r);
    CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_OK);
    CHECK(!R2->valid);
    CHECK_STATUS(R2->code, R->code);
    CHECK_EQ_INT(R2->paths[0].reasons[0].depth, R->paths[0].reasons[0].depth);
    CHECK_STR(R2->paths[0].reasons[0].msg, R->paths[0].reasons[0].msg);
    if (variant == 0) CHECK_STATUS(R2->code, MTK_ERR_CHAIN_MALFORMED);
    free(l.p);
  }
  free(r.p);
  free(i.p);
}

TEST(chain_profile_args_and_limits) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_cbs c[MTK_VERIFY_MAX_PATH + 1];
  chain3(c, l, i, r);
  mtk_verify_opts o;
  opts(&o);
  CHECK_STATUS(mtk_verify_chain_profile(c, 0, &o, R2), MTK_ERR_ARG);
  CHECK_STATUS(mtk_verify_chain_profile(NULL, 3, &o, R2), MTK_ERR_ARG);
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, NULL, R2), MTK_ERR_ARG);
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, NULL), MTK_ERR_ARG);
  mtk_cbs crl;
  mtk_cbs_init(&crl, r.p, r.len);
  o.crls = &crl;
  o.n_crls = 1;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_ERR_ARG);
  opts(&o);
  o.n_names = 1; /* names NULL */
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_ERR_ARG);
  opts(&o);
  mtk_verify_name bad = {MTK_NAME_DNS, "bad..name", 9};
  o.names = &bad;
  o.n_names = 1;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_ERR_ARG);
  opts(&o);
  mtk_cbs nullc = c[1];
  c[1].p = NULL;
  CHECK_STATUS(mtk_verify_chain_profile(c, 3, &o, R2), MTK_ERR_ARG);
  c[1] = nullc;
  /* Longer than MTK_VERIFY_MAX_PATH: refused before any parse. */
  for (size_t k = 1; k < MTK_VERIFY_MAX_PATH + 1; k++) c[k] = c[1];
  CHECK_STATUS(mtk_verify_chain_profile(c, MTK_VERIFY_MAX_PATH + 1, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  CHECK_STATUS(R2->code, MTK_ERR_CHAIN_DEPTH);
  CHECK_EQ_INT(R2->paths[0].reasons[0].depth, -1);
  /* At the limit it runs, and the depth rule says why it fails. */
  c[MTK_VERIFY_MAX_PATH - 1] = c[2];
  mtk_cbs_init(&c[MTK_VERIFY_MAX_PATH - 1], r.p, r.len);
  CHECK_STATUS(mtk_verify_chain_profile(c, MTK_VERIFY_MAX_PATH, &o, R2), MTK_OK);
  CHECK(!R2->valid);
  bool depth = false;
  for (size_t k = 0; k < R2->paths[0].n_reasons; k++)
    depth = depth || R2->paths[0].reasons[k].code == MTK_ERR_CHAIN_DEPTH;
  CHECK(depth || R2->paths[0].reasons_dropped > 0);
  free3(r, i, l);
}

/* The cost per call on a 3-certificate chain, printed (not asserted), with
 * mtk_verify's for scale. */
TEST(chain_profile_cost) {
  der r = std_root(), i = std_ica(), l = std_leaf();
  mtk_cbs c[3];
  chain3(c, l, i, r);
  mtk_verify_opts o;
  opts(&o);
  o.purpose = MTK_PURPOSE_CLIENT;
  enum { N = 20000 };
  struct timespec t0, t1;
  bool ok = true;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int k = 0; k < N; k++)
    ok = ok && mtk_verify_chain_profile(c, 3, &o, R2) == MTK_OK && R2->valid;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK(ok);
  double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / N;
  mtk_trust *t = NULL;
  CHECK_STATUS(mtk_trust_new(r.p, r.len, NULL, 0, &t, NULL), MTK_OK);
  enum { M = 200 };
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int k = 0; k < M && t != NULL; k++)
    ok = ok && mtk_verify(t, l.p, l.len, &c[1], 1, &o, R) == MTK_OK && R->valid;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK(ok);
  double ns_full = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / M;
  fprintf(stderr,
          "  mtk_verify_chain_profile, 3 certificates: %.0f ns per call (%.0f per certificate); "
          "mtk_verify: %.0f ns\n",
          ns, ns / 3, ns_full);
  mtk_trust_free(t);
  free3(r, i, l);
}

/* The differential ran on the chains of this file: valid paths and
 * paths with profile reasons. */
TEST(chain_profile_differential_covered) {
  fprintf(stderr, "  differential: %zu valid paths, %zu invalid paths compared\n", n_diff_valid,
          n_diff_invalid);
  CHECK(n_diff_valid >= 8);
  CHECK(n_diff_invalid >= 8);
}

int main(void) {
  R = malloc(sizeof *R);
  R2 = malloc(sizeof *R2);
  if (R == NULL || R2 == NULL) return 1;
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
  RUN(chain_profile_valid);
  RUN(chain_profile_wrong_order);
  RUN(chain_profile_malformed);
  RUN(chain_profile_malformed_extension);
  RUN(chain_profile_args_and_limits);
  RUN(chain_profile_cost);
  RUN(chain_profile_differential_covered);
  free(R);
  free(R2);
  return test_summary();
}

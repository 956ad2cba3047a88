/* fuzz_ext.c: libFuzzer target for the typed extension decoders
 * (lib/x509_ext.c).
 *
 * Input: one selector octet (which known extension, modulo the table size),
 * then the extnValue contents. The target runs mtk_ext_check; when it
 * accepts, every matching decoder and iterator must succeed and walk the
 * value to its end (x509.h: "the iterators and extension decoders cannot
 * fail on that input"): anything else is a bug and aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mtk_oid_id kinds[] = {
    MTK_OID_EXT_SAN,         MTK_OID_EXT_IAN,     MTK_OID_EXT_KU,           MTK_OID_EXT_EKU,
    MTK_OID_EXT_BC,          MTK_OID_EXT_SKI,     MTK_OID_EXT_AKI,          MTK_OID_EXT_CRLDP,
    MTK_OID_EXT_AIA,         MTK_OID_EXT_SIA,     MTK_OID_EXT_CP,           MTK_OID_EXT_PM,
    MTK_OID_EXT_PC,          MTK_OID_EXT_NC,      MTK_OID_EXT_INHIBIT_ANY,  MTK_OID_EXT_SCT_LIST,
    MTK_OID_EXT_TLS_FEATURE, MTK_OID_EXT_FRESHEST_CRL, MTK_OID_EXT_OCSP_NOCHECK,
    MTK_OID_EXT_CT_POISON,   MTK_OID_EXT_PKUP,    MTK_OID_EXT_NS_CERT_TYPE};

#define NKINDS (sizeof kinds / sizeof kinds[0])

static void must(bool ok) {
  if (!ok) abort();
}

/* walk_gns iterates GeneralNames contents to the end. */
static void walk_gns(const mtk_cbs *body) {
  mtk_gn_iter it;
  mtk_gn gn;
  mtk_gn_iter_init(&it, body);
  while (mtk_gn_next(&it, &gn)) {
    must(gn.type <= MTK_GN_RID);
    must(mtk_gn_type_name(gn.type) != NULL);
  }
  must(it.rest.len == 0);
}

static void walk_accepted(mtk_oid_id id, const mtk_cbs *v) {
  switch (id) {
    case MTK_OID_EXT_SAN:
    case MTK_OID_EXT_IAN: {
      mtk_gn_iter it;
      mtk_gn gn;
      size_t n = 0;
      must(mtk_gn_iter_init_ext(&it, v));
      while (mtk_gn_next(&it, &gn)) n++;
      must(it.rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_KU: {
      uint32_t bits;
      must(mtk_ext_key_usage(v, &bits, NULL) == MTK_OK);
      break;
    }
    case MTK_OID_EXT_EKU: {
      mtk_oid_iter it;
      mtk_cbs oid;
      mtk_oid_id oid_id = MTK_OID_UNKNOWN;
      size_t n = 0;
      must(mtk_oid_iter_init_ext(&it, v));
      while (mtk_oid_next(&it, &oid, &oid_id)) n++;
      must(it.rest.len == 0 && n > 0);
      if (oid_id != MTK_OID_UNKNOWN) must(mtk_ext_has_eku(v, oid_id));
      break;
    }
    case MTK_OID_EXT_BC: {
      mtk_basic_constraints bc;
      must(mtk_ext_basic_constraints(v, &bc, NULL) == MTK_OK);
      break;
    }
    case MTK_OID_EXT_SKI: {
      mtk_cbs keyid;
      must(mtk_ext_ski(v, &keyid, NULL) == MTK_OK);
      break;
    }
    case MTK_OID_EXT_AKI: {
      mtk_aki a;
      must(mtk_ext_aki(v, &a, NULL) == MTK_OK);
      if (a.has_issuer) walk_gns(&a.issuer);
      break;
    }
    case MTK_OID_EXT_CRLDP:
    case MTK_OID_EXT_FRESHEST_CRL: {
      mtk_dp_iter it;
      mtk_dp dp;
      size_t n = 0;
      must(mtk_dp_iter_init_ext(&it, v));
      while (mtk_dp_next(&it, &dp)) {
        if (dp.has_full_name) walk_gns(&dp.full_name);
        if (dp.has_crl_issuer) walk_gns(&dp.crl_issuer);
        n++;
      }
      must(it.rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_AIA:
    case MTK_OID_EXT_SIA: {
      mtk_ad_iter it;
      mtk_access_desc ad;
      size_t n = 0;
      must(mtk_ad_iter_init_ext(&it, v));
      while (mtk_ad_next(&it, &ad)) n++;
      must(it.rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_CP: {
      mtk_policy_iter it;
      mtk_policy p;
      size_t n = 0;
      must(mtk_policy_iter_init_ext(&it, v));
      while (mtk_policy_next(&it, &p)) {
        if (p.has_qualifiers) {
          mtk_cbs rest = p.qualifiers;
          mtk_policy_qualifier q;
          size_t nq = 0;
          while (mtk_policy_qualifier_next(&rest, &q)) nq++;
          must(rest.len == 0 && nq > 0);
        }
        n++;
      }
      must(it.rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_PM: {
      mtk_cbs rest, a, b;
      size_t n = 0;
      must(mtk_pm_iter_init_ext(&rest, v));
      while (mtk_pm_next(&rest, &a, &b)) n++;
      must(rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_PC: {
      mtk_policy_constraints pc;
      must(mtk_ext_policy_constraints(v, &pc, NULL) == MTK_OK);
      break;
    }
    case MTK_OID_EXT_NC: {
      mtk_name_constraints nc;
      mtk_subtree st;
      must(mtk_ext_name_constraints(v, &nc, NULL) == MTK_OK);
      if (nc.has_permitted) {
        mtk_cbs rest = nc.permitted;
        while (mtk_subtree_next(&rest, &st)) {
        }
        must(rest.len == 0);
      }
      if (nc.has_excluded) {
        mtk_cbs rest = nc.excluded;
        while (mtk_subtree_next(&rest, &st)) {
        }
        must(rest.len == 0);
      }
      break;
    }
    case MTK_OID_EXT_INHIBIT_ANY: {
      uint64_t skip;
      must(mtk_ext_inhibit_any(v, &skip, NULL) == MTK_OK);
      break;
    }
    case MTK_OID_EXT_SCT_LIST: {
      mtk_sct_iter it;
      mtk_sct s;
      size_t n = 0;
      must(mtk_sct_iter_init_ext(&it, v));
      while (mtk_sct_next(&it, &s)) {
        must(s.log_id.len == 32);
        n++;
      }
      must(it.rest.len == 0 && n > 0);
      break;
    }
    case MTK_OID_EXT_TLS_FEATURE: {
      mtk_cbs rest;
      uint64_t f;
      must(mtk_tls_feature_iter_init_ext(&rest, v));
      while (mtk_tls_feature_next(&rest, &f)) {
      }
      must(rest.len == 0);
      break;
    }
    default:
      break;
  }
}

/* Every iterator on any input: must stay in bounds (the sanitizers judge). */
static void walk_any(const mtk_cbs *v) {
  mtk_gn_iter gi;
  mtk_gn gn;
  if (mtk_gn_iter_init_ext(&gi, v))
    while (mtk_gn_next(&gi, &gn)) {
    }
  mtk_dp_iter di;
  mtk_dp dp;
  if (mtk_dp_iter_init_ext(&di, v))
    while (mtk_dp_next(&di, &dp)) {
    }
  mtk_policy_iter pi;
  mtk_policy p;
  if (mtk_policy_iter_init_ext(&pi, v))
    while (mtk_policy_next(&pi, &p)) {
    }
  mtk_sct_iter si;
  mtk_sct s;
  if (mtk_sct_iter_init_ext(&si, v))
    while (mtk_sct_next(&si, &s)) {
    }
  mtk_cbs rest = *v;
  mtk_subtree st;
  while (mtk_subtree_next(&rest, &st)) {
  }
  rest = *v;
  mtk_policy_qualifier q;
  while (mtk_policy_qualifier_next(&rest, &q)) {
  }
  (void)mtk_ext_has_eku(v, MTK_OID_EKU_SERVER_AUTH);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  mtk_ext ext;
  memset(&ext, 0, sizeof(ext));
  ext.id = kinds[data[0] % NKINDS];
  mtk_cbs_init(&ext.value, data + 1, size - 1);

  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = mtk_ext_check(&ext, &d);
  /* The result does not depend on whether diagnostics are collected, the
   * path is restored, and an error is recorded exactly when one is returned. */
  must(mtk_ext_check(&ext, NULL) == s);
  must(d.path_len == 0);
  must(d.err.code == s);
  if (s != MTK_OK) must(d.err.offset <= ext.value.off + ext.value.len);
  if (s == MTK_OK) walk_accepted(ext.id, &ext.value);
  walk_any(&ext.value);
  return 0;
}

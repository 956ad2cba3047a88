/* lint_ext.c: checks of extensions: duplicates and unknown critical ones,
 * keyUsage, extendedKeyUsage, basicConstraints and key identifiers for the
 * role, revocation pointers, policies, name constraints, CT, TLS features,
 * and what a CSR asks for. */
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"

/* ---- helpers -------------------------------------------------------------------------- */

static void value_path(const lint_ctx *x, const mtk_ext *e, char *buf, size_t cap) {
  lint_ext_path(x, e, ".extnValue", buf, cap);
}

/* Where to point a "missing extension" finding. */
static void missing_at(const lint_ctx *x, size_t *off, const char **path) {
  *path = x->ext_path[0] != '\0' ? x->ext_path : x->root;
  if (x->exts->present) *off = x->exts->elem.off;
  else *off = x->cert != NULL ? x->cert->tbs.off : x->csr->tbs.off;
}

/* Certificates before v3 cannot have extensions: "missing" checks say
 * nothing new there (e_cert_not_v3 and n_ca_cert_v1 do). */
static bool can_have_exts(const lint_ctx *x) { return x->cert == NULL || x->cert->version == 3; }

static void ext_name(const mtk_ext *e, char *buf, size_t cap) {
  if (e->id != MTK_OID_UNKNOWN) snprintf(buf, cap, "%s", mtk_oid_short_name(e->id));
  else if (mtk_oid_format(&e->oid, buf, cap) != MTK_OK) snprintf(buf, cap, "?");
}

static bool is_signature_only_key(const mtk_spki *k) {
  return k->type == MTK_KEY_EC || k->type == MTK_KEY_ED25519 || k->type == MTK_KEY_ED448;
}

/* ---- the extensions list ------------------------------------------------------------------ */

#define DUP_WINDOW 128

/* RFC 5280 4.2: "A certificate MUST NOT include more than one instance of a
 * particular extension." Reported at each second occurrence. */
static void check_duplicates(lint_ctx *x) {
  if (!x->exts->has_duplicates) return;
  mtk_cbs seen[DUP_WINDOW];
  mtk_ext_iter it;
  mtk_ext e;
  mtk_ext_iter_init(&it, x->exts);
  for (unsigned i = 0; i < DUP_WINDOW && mtk_ext_next(&it, &e); i++) {
    unsigned first = 0, matches = 0;
    for (unsigned j = 0; j < i; j++) {
      if (seen[j].len == e.oid.len && memcmp(seen[j].p, e.oid.p, e.oid.len) == 0) {
        if (matches++ == 0) first = j;
      }
    }
    seen[i] = e.oid;
    if (matches != 1) continue;
    char path[MTK_PATH_MAX], name[128];
    lint_ext_path(x, &e, "", path, sizeof(path));
    ext_name(&e, name, sizeof(name));
    lint_emit(x, LC_e_ext_duplicate, e.elem.off, path, "%s repeats extension [%u]", name, first);
  }
}

/* RFC 5280 4.2: "A certificate-using system MUST reject the certificate if
 * it encounters a critical extension it does not recognize". Recognised
 * here means decoded by mtlskit (mtk_xk_of). */
static void check_unknown_critical(lint_ctx *x) {
  mtk_ext_iter it;
  mtk_ext e;
  mtk_ext_iter_init(&it, x->exts);
  while (mtk_ext_next(&it, &e)) {
    if (!e.critical || mtk_xk_of(e.id) >= 0) continue;
    char path[MTK_PATH_MAX], name[128];
    lint_ext_path(x, &e, ".critical", path, sizeof(path));
    ext_name(&e, name, sizeof(name));
    lint_emit(x, LC_e_ext_unknown_critical, e.elem.off, path, "critical %s", name);
  }
}

/* ---- keyUsage ------------------------------------------------------------------------------ */

/* A leaf signs the TLS handshake. A CSR that asks for cA TRUE is judged as
 * a CA request (w_csr_requests_ca), not as a leaf. */
static void check_ku_leaf(lint_ctx *x, uint32_t ku, bool is_ca, const char *path, size_t off) {
  if (x->role == MTK_APPLIES_CA || (ku & MTK_KU_DIGITAL_SIGNATURE) != 0) return;
  if (x->role == MTK_APPLIES_CSR && is_ca) return;
  bool rsa = x->spki->type == MTK_KEY_RSA || x->spki->type == MTK_KEY_RSA_PSS;
  bool may_be_server = x->role == MTK_APPLIES_SERVER || x->role == MTK_APPLIES_CSR;
  if (rsa && may_be_server && (ku & MTK_KU_KEY_ENCIPHERMENT) != 0)
    lint_emit(x, LC_w_server_rsa_ku_key_encipherment_only, off, path,
              "keyEncipherment without digitalSignature");
  else
    lint_emit(x, LC_e_leaf_ku_no_digital_signature, off, path, "keyUsage 0x%03x",
              (unsigned)ku);
}

static void check_ku_ca(lint_ctx *x, const mtk_ext *e, uint32_t ku) {
  char path[MTK_PATH_MAX];
  if ((ku & MTK_KU_KEY_CERT_SIGN) == 0) {
    value_path(x, e, path, sizeof(path));
    lint_emit(x, LC_e_ca_ku_no_cert_sign, e->value.off, path, "keyUsage lacks keyCertSign");
  }
  if (!e->critical) {
    lint_ext_path(x, e, ".critical", path, sizeof(path));
    lint_emit(x, LC_w_ca_ku_not_critical, e->elem.off, path, "keyUsage is not critical");
  }
}

static void check_key_usage(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_KU);
  uint32_t ku = 0;
  if (e == NULL || mtk_ext_key_usage(&e->value, &ku, NULL) != MTK_OK) {
    if (e != NULL || !can_have_exts(x)) return;
    size_t off;
    const char *path;
    missing_at(x, &off, &path);
    lint_emit(x, LC_e_ca_ku_missing, off, path, "no keyUsage extension");
    lint_emit(x, LC_w_server_ku_missing, off, path, "no keyUsage extension");
    return;
  }
  char path[MTK_PATH_MAX];
  value_path(x, e, path, sizeof(path));
  mtk_basic_constraints bc;
  bool is_ca = lint_bc(x->exts, &bc) && bc.ca;
  /* 4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit in the
   * basic constraints extension (Section 4.2.1.9) MUST also be asserted." */
  if ((ku & MTK_KU_KEY_CERT_SIGN) != 0 && !is_ca)
    lint_emit(x, LC_e_ku_cert_sign_without_ca, e->value.off, path,
              "keyCertSign without basicConstraints cA");
  /* RFC 8813 3 (EC), RFC 8410 5 (EdDSA): no key or data encipherment. */
  if (is_signature_only_key(x->spki) &&
      (ku & (MTK_KU_KEY_ENCIPHERMENT | MTK_KU_DATA_ENCIPHERMENT)) != 0)
    lint_emit(x, LC_e_ku_encipherment_with_signature_key, e->value.off, path,
              "%s key with %s", mtk_key_type_name(x->spki->type),
              (ku & MTK_KU_KEY_ENCIPHERMENT) != 0 ? "keyEncipherment" : "dataEncipherment");
  check_ku_leaf(x, ku, is_ca, path, e->value.off);
  if (x->role == MTK_APPLIES_CA) check_ku_ca(x, e, ku);
}

/* ---- extendedKeyUsage ----------------------------------------------------------------------- */

static void check_eku_server(lint_ctx *x, const mtk_ext *e, const char *path) {
  if (!lint_eku_has(x->exts, MTK_OID_EKU_SERVER_AUTH) && !lint_eku_has(x->exts, MTK_OID_EKU_ANY))
    lint_emit(x, LC_e_server_eku_no_server_auth, e->value.off, path, "no serverAuth");
  if (!lint_eku_has(x->exts, MTK_OID_EKU_CLIENT_AUTH)) return;
  /* From 2027-03-15 an error for new certificates, a notice before. */
  if (lint_wants(x, LC_e_server_cert_has_client_auth_eku))
    lint_emit(x, LC_e_server_cert_has_client_auth_eku, e->value.off, path,
              "serverAuth certificate also has clientAuth");
  else
    lint_emit(x, LC_n_client_auth_in_public_server_cert, e->value.off, path,
              "serverAuth certificate also has clientAuth");
}

static void check_eku(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_EKU);
  if (e == NULL) {
    if (!can_have_exts(x)) return;
    size_t off;
    const char *path;
    missing_at(x, &off, &path);
    lint_emit(x, LC_e_server_eku_missing, off, path, "no extendedKeyUsage extension");
    lint_emit(x, LC_n_client_eku_missing, off, path, "no extendedKeyUsage extension");
    return;
  }
  char path[MTK_PATH_MAX];
  value_path(x, e, path, sizeof(path));
  if (x->role == MTK_APPLIES_SERVER) check_eku_server(x, e, path);
  if (!lint_eku_has(x->exts, MTK_OID_EKU_CLIENT_AUTH) && !lint_eku_has(x->exts, MTK_OID_EKU_ANY))
    lint_emit(x, LC_e_client_eku_no_client_auth, e->value.off, path, "no clientAuth");
  if (lint_eku_has(x->exts, MTK_OID_EKU_ANY))
    lint_emit(x, LC_w_leaf_eku_any, e->value.off, path, "anyExtendedKeyUsage");
}

/* ---- basicConstraints ------------------------------------------------------------------------ */

static void check_basic_constraints(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_BC);
  mtk_basic_constraints bc;
  char path[MTK_PATH_MAX];
  if (e == NULL || !lint_bc(x->exts, &bc)) {
    if (e != NULL || !can_have_exts(x)) return;
    size_t off;
    const char *mpath;
    missing_at(x, &off, &mpath);
    lint_emit(x, LC_e_ca_bc_missing, off, mpath, "no basicConstraints extension");
    return;
  }
  value_path(x, e, path, sizeof(path));
  if (bc.ca) {
    lint_emit(x, LC_e_leaf_bc_ca_true, e->value.off, path, "cA TRUE");
    lint_emit(x, LC_w_csr_requests_ca, e->value.off, path, "cA TRUE requested");
  } else {
    lint_emit(x, LC_e_ca_bc_missing, e->value.off, path, "cA is FALSE");
  }
  /* 4.2.1.9: "CAs MUST NOT include the pathLenConstraint field unless the
   * cA boolean is asserted and the key usage extension asserts the
   * keyCertSign bit." */
  uint32_t ku;
  bool has_ku = lint_ku(x->exts, &ku);
  if (bc.has_pathlen && (!bc.ca || (has_ku && (ku & MTK_KU_KEY_CERT_SIGN) == 0)))
    lint_emit(x, LC_e_bc_pathlen_invalid, e->value.off, path, "pathLenConstraint %llu with %s",
              (unsigned long long)bc.pathlen, bc.ca ? "no keyCertSign" : "cA FALSE");
  if (!e->critical) {
    lint_ext_path(x, e, ".critical", path, sizeof(path));
    lint_emit(x, LC_e_ca_bc_not_critical, e->elem.off, path, "basicConstraints is not critical");
  }
}

/* ---- key identifiers ------------------------------------------------------------------------- */

static void check_ski(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_SKI);
  char path[MTK_PATH_MAX];
  if (e == NULL) {
    if (!can_have_exts(x)) return;
    size_t off;
    const char *mpath;
    missing_at(x, &off, &mpath);
    lint_emit(x, LC_e_ca_ski_missing, off, mpath, "no subjectKeyIdentifier");
    lint_emit(x, LC_w_client_ski_missing, off, mpath, "no subjectKeyIdentifier");
    return;
  }
  if (e->critical) {
    lint_ext_path(x, e, ".critical", path, sizeof(path));
    lint_emit(x, LC_e_ski_critical, e->elem.off, path, "critical subjectKeyIdentifier");
  }
}

static void check_aki(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_AKI);
  bool self = mtk_cert_is_self_issued(x->cert);
  char path[MTK_PATH_MAX];
  if (e == NULL) {
    if (self || !can_have_exts(x)) return;
    size_t off;
    const char *mpath;
    missing_at(x, &off, &mpath);
    lint_emit(x, LC_e_aki_missing, off, mpath, "no authorityKeyIdentifier");
    return;
  }
  if (e->critical) {
    lint_ext_path(x, e, ".critical", path, sizeof(path));
    lint_emit(x, LC_e_aki_critical, e->elem.off, path, "critical authorityKeyIdentifier");
  }
  mtk_aki aki;
  if (mtk_ext_aki(&e->value, &aki, NULL) != MTK_OK) return;
  value_path(x, e, path, sizeof(path));
  if (!aki.has_keyid && !self)
    lint_emit(x, LC_e_aki_no_key_id, e->value.off, path, "no keyIdentifier");
  if (aki.has_issuer || aki.has_serial)
    lint_emit(x, LC_e_aki_issuer_serial_public, e->value.off, path, "%s%s%s",
              aki.has_issuer ? "authorityCertIssuer" : "",
              aki.has_issuer && aki.has_serial ? " and " : "",
              aki.has_serial ? "authorityCertSerialNumber" : "");
}

/* ---- revocation and issuer pointers ------------------------------------------------------------ */

static bool is_http_uri(const mtk_gn *g) {
  return g->type == MTK_GN_URI && lint_has_prefix_ci(g->value.p, g->value.len, "http://");
}

/* BR 7.1.2.11.2: each distribution point's fullName holds an HTTP URI. */
static bool check_crldp(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_CRLDP);
  if (e == NULL) return false;
  bool http = false;
  mtk_dp_iter it;
  mtk_dp dp;
  if (mtk_dp_iter_init_ext(&it, &e->value)) {
    while (mtk_dp_next(&it, &dp)) {
      if (!dp.has_full_name) continue;
      mtk_gn_iter gi;
      mtk_gn g;
      mtk_gn_iter_init(&gi, &dp.full_name);
      while (mtk_gn_next(&gi, &g)) http = http || is_http_uri(&g);
    }
  }
  if (!http) {
    char path[MTK_PATH_MAX];
    value_path(x, e, path, sizeof(path));
    lint_emit(x, LC_e_crldp_no_http_uri, e->value.off, path, "no http:// distribution point");
  }
  return true;
}

/* BR 7.1.2.7.7: every accessLocation an http:// URI. Returns whether an
 * OCSP responder is named. */
static bool check_aia(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_AIA);
  if (e == NULL) return false;
  bool ocsp = false;
  mtk_ad_iter it;
  mtk_access_desc ad;
  if (!mtk_ad_iter_init_ext(&it, &e->value)) return false;
  for (unsigned i = 0; mtk_ad_next(&it, &ad); i++) {
    if (ad.method_id == MTK_OID_AD_OCSP) ocsp = true;
    if (is_http_uri(&ad.location)) continue;
    char path[MTK_PATH_MAX], q[80];
    lint_pathf(path, sizeof(path), "%s[%u].authorityInfoAccess[%u].accessLocation", x->ext_path,
               e->index, i);
    lint_quote(ad.location.value.p, ad.location.value.len, q, sizeof(q));
    lint_emit(x, LC_e_aia_not_http_uri, ad.location.offset, path, "%s \"%s\"",
              mtk_gn_type_name(ad.location.type), q);
  }
  return ocsp;
}

static void check_revocation_pointers(lint_ctx *x) {
  bool crl = check_crldp(x);
  bool ocsp = check_aia(x);
  if (!can_have_exts(x) || mtk_ext_get(x->exts, MTK_XK_CT_POISON) != NULL) return;
  size_t off;
  const char *path;
  missing_at(x, &off, &path);
  if (!crl && !ocsp)
    lint_emit(x, LC_e_server_no_revocation_info, off, path, "no cRLDistributionPoints and no OCSP");
  else if (!ocsp)
    lint_emit(x, LC_n_aia_ocsp_missing, off, path, "no OCSP responder in authorityInfoAccess");
}

/* ---- policies ----------------------------------------------------------------------------------- */

static void check_policies(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_CP);
  if (e == NULL) {
    if (!can_have_exts(x)) return;
    size_t off;
    const char *path;
    missing_at(x, &off, &path);
    lint_emit(x, LC_e_cert_policies_missing, off, path, "no certificatePolicies");
    return;
  }
  mtk_policy_iter it;
  mtk_policy pol;
  if (!mtk_policy_iter_init_ext(&it, &e->value)) return;
  for (unsigned i = 0; mtk_policy_next(&it, &pol); i++) {
    if (!pol.has_qualifiers) continue;
    mtk_cbs rest = pol.qualifiers;
    mtk_policy_qualifier q;
    for (unsigned j = 0; mtk_policy_qualifier_next(&rest, &q); j++) {
      if (q.id == MTK_OID_QT_CPS) continue;
      char path[MTK_PATH_MAX], oid[128];
      lint_pathf(path, sizeof(path), "%s[%u].certificatePolicies[%u].policyQualifiers[%u]",
                 x->ext_path, e->index, i, j);
      if (mtk_oid_format(&q.oid, oid, sizeof(oid)) != MTK_OK) snprintf(oid, sizeof(oid), "?");
      lint_emit(x, LC_w_policy_qualifier_not_cps, e->value.off, path, "qualifier %s (%s)",
                q.id == MTK_OID_QT_UNOTICE ? "userNotice" : "unknown", oid);
    }
  }
}

/* ---- the rest ------------------------------------------------------------------------------------ */

static void check_name_constraints(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_NC);
  if (e == NULL) return;
  char path[MTK_PATH_MAX];
  value_path(x, e, path, sizeof(path));
  lint_emit(x, LC_e_nc_in_leaf, e->value.off, path, "nameConstraints in an end-entity object");
  if (!e->critical) {
    lint_ext_path(x, e, ".critical", path, sizeof(path));
    lint_emit(x, LC_w_nc_not_critical, e->elem.off, path, "nameConstraints is not critical");
  }
}

static void check_tls_feature(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_TLS_FEATURE);
  mtk_cbs rest;
  uint64_t f;
  if (e == NULL || !mtk_tls_feature_iter_init_ext(&rest, &e->value)) return;
  while (mtk_tls_feature_next(&rest, &f)) {
    if (f != 5) continue; /* status_request */
    char path[MTK_PATH_MAX];
    value_path(x, e, path, sizeof(path));
    lint_emit(x, LC_n_must_staple, e->value.off, path, "TLS feature status_request");
    return;
  }
}

static void check_netscape(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_NS_CERT_TYPE);
  if (e == NULL) return;
  char path[MTK_PATH_MAX];
  lint_ext_path(x, e, "", path, sizeof(path));
  lint_emit(x, LC_n_netscape_cert_type, e->elem.off, path, "nsCertType present");
}

void lint_ext_common(lint_ctx *x) {
  check_duplicates(x);
  check_unknown_critical(x);
  check_key_usage(x);
  check_eku(x);
  check_basic_constraints(x);
  check_ski(x);
  check_name_constraints(x);
  check_tls_feature(x);
  check_netscape(x);
}

/* ---- certificates only -------------------------------------------------------------------------- */

static void check_ct(lint_ctx *x) {
  const mtk_ext *poison = mtk_ext_get(x->exts, MTK_XK_CT_POISON);
  char path[MTK_PATH_MAX];
  if (poison != NULL) {
    lint_ext_path(x, poison, "", path, sizeof(path));
    lint_emit(x, LC_e_precert_poison, poison->elem.off, path, "CT poison extension present");
    return;
  }
  if (mtk_ext_get(x->exts, MTK_XK_SCT) != NULL || !can_have_exts(x)) return;
  size_t off;
  const char *mpath;
  missing_at(x, &off, &mpath);
  lint_emit(x, LC_n_server_no_sct, off, mpath, "no SignedCertificateTimestampList");
}

/* RFC 6960 4.2.2.2.1: id-pkix-ocsp-nocheck is for OCSP responder
 * certificates, which carry id-kp-OCSPSigning. */
static void check_ocsp_nocheck(lint_ctx *x) {
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_OCSP_NOCHECK);
  if (e == NULL || lint_eku_has(x->exts, MTK_OID_EKU_OCSP_SIGNING)) return;
  char path[MTK_PATH_MAX];
  lint_ext_path(x, e, "", path, sizeof(path));
  lint_emit(x, LC_w_ocsp_nocheck_not_ocsp_signing, e->elem.off, path,
            "ocsp-nocheck without OCSPSigning");
}

void lint_ext_cert(lint_ctx *x) {
  check_aki(x);
  check_revocation_pointers(x);
  check_policies(x);
  check_ct(x);
  check_ocsp_nocheck(x);
}

/* ---- requests only ---------------------------------------------------------------------------------- */

/* Extensions CAs fill in themselves. */
static bool ca_sets(int xk) {
  switch (xk) {
    case MTK_XK_AKI: case MTK_XK_CRLDP: case MTK_XK_FRESHEST_CRL: case MTK_XK_AIA:
    case MTK_XK_CP: case MTK_XK_PM: case MTK_XK_PC: case MTK_XK_NC: case MTK_XK_INHIBIT_ANY:
    case MTK_XK_SCT: case MTK_XK_CT_POISON: case MTK_XK_OCSP_NOCHECK: case MTK_XK_PKUP:
      return true;
    default:
      return false;
  }
}

static void check_csr_ignored(lint_ctx *x) {
  mtk_ext_iter it;
  mtk_ext e;
  mtk_ext_iter_init(&it, x->exts);
  while (mtk_ext_next(&it, &e)) {
    if (!ca_sets(mtk_xk_of(e.id))) continue;
    char path[MTK_PATH_MAX];
    lint_ext_path(x, &e, "", path, sizeof(path));
    lint_emit(x, LC_n_csr_ext_ignored, e.elem.off, path, "%s requested",
              mtk_oid_short_name(e.id));
  }
}

static void check_challenge_password(lint_ctx *x) {
  const mtk_csr *r = x->csr;
  if (!r->has_challenge_password) return;
  mtk_cbs rest = r->attributes;
  mtk_csr_attr a;
  for (unsigned i = 0; mtk_csr_attr_next(&rest, &a); i++) {
    if (a.id != MTK_OID_CHALLENGE_PASSWORD) continue;
    char path[MTK_PATH_MAX];
    lint_pathf(path, sizeof(path), "certificationRequestInfo.attributes[%u]", i);
    lint_emit(x, LC_n_csr_challenge_password, a.offset, path, "challengePassword of %zu octets",
              r->challenge_password.len);
    return;
  }
}

void lint_ext_csr(lint_ctx *x) {
  check_csr_ignored(x);
  check_challenge_password(x);
}

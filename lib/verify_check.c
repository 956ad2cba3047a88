/* verify_check.c: mtlskit's certificate profile over a candidate path:
 * the RFC 5280 MUSTs a verifier can see, and under MTK_VERIFY_WEBPKI the
 * CA/Browser Forum Baseline Requirements' profile. Each rule quotes its
 * source; docs/verify.md lists them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mtlskit/buf.h"
#include "mtlskit/oid.h"
#include "mtlskit/str.h"
#include "verify_int.h"

static void fmt_time(char *buf, size_t cap, mtk_time t) { mtk_time_format(t, buf, cap); }

static bool is_webpki(const vctx *v) { return v->o->profile == MTK_VERIFY_WEBPKI; }

static const char *purpose_eku_name(mtk_purpose p) {
  return p == MTK_PURPOSE_CLIENT ? "clientAuth" : "serverAuth";
}

static mtk_oid_id purpose_eku(mtk_purpose p) {
  return p == MTK_PURPOSE_CLIENT ? MTK_OID_EKU_CLIENT_AUTH : MTK_OID_EKU_SERVER_AUTH;
}

/* ---- encodings: serial number, times, DER -------------------------------- */

static void check_encoding(vctx *v, vpath *p, size_t i, const char *lab) {
  (void)v;
  const vcert *vc = p->c[i];
  const mtk_cert *c = &vc->c;
  int d = (int)i;
  /* RFC 5280 4.1.2.2: "The serial number MUST be a positive integer ...
   * Conforming CAs MUST NOT use serialNumber values longer than 20 octets." */
  /* A self-signed trust anchor is configuration, not checked here (old
   * roots have serial 0). Whether it is self-signed is asked only when a
   * rule fails (a signature check, for mtk_verify_chain_profile). */
  bool negative = c->serial_negative || vcert_has_quirk(vc, MTK_QUIRK_INTEGER_NEGATIVE);
  bool zero = true;
  for (size_t k = 0; k < c->serial.len; k++) zero = zero && c->serial.p[k] == 0;
  bool too_long = c->serial.len > 20;
  bool anchor_root =
      (negative || zero || too_long) && i > 0 && i + 1 == p->n && vcert_self_signed(p->c[i]);
  if (anchor_root)
    ;
  else if (negative)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has a negative serial number (RFC 5280 4.1.2.2)", lab);
  else if (zero)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has serial number zero (RFC 5280 4.1.2.2)", lab);
  if (!anchor_root && too_long)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has a serial number of %zu octets; at most 20 are allowed (RFC 5280 4.1.2.2)", lab,
            c->serial.len);
  static const mtk_quirk_kind time_quirks[] = {MTK_QUIRK_TIME_NO_SECONDS, MTK_QUIRK_TIME_NOT_Z,
                                               MTK_QUIRK_GENTIME_BEFORE_2050,
                                               MTK_QUIRK_FRACTIONAL_TIME};
  for (size_t k = 0; k < sizeof time_quirks / sizeof time_quirks[0]; k++)
    if (vcert_has_quirk(vc, time_quirks[k]))
      vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s: %s", lab, mtk_quirk_message(time_quirks[k]));
  static const mtk_quirk_kind der_quirks[] = {MTK_QUIRK_BOOL_NOT_FF, MTK_QUIRK_DEFAULT_ENCODED,
                                              MTK_QUIRK_INTEGER_PADDED, MTK_QUIRK_EMPTY_EXTENSIONS,
                                              MTK_QUIRK_EXPLICIT_V1};
  for (size_t k = 0; k < sizeof der_quirks / sizeof der_quirks[0]; k++)
    if (vcert_has_quirk(vc, der_quirks[k]))
      vreason(p, MTK_ERR_CHAIN_MALFORMED, d, "%s is not DER: %s", lab,
              mtk_quirk_message(der_quirks[k]));
}

/* ---- validity ------------------------------------------------------------------ */

/* RFC 5280 4.1.2.5: "The validity period for a certificate is the period of
 * time from notBefore through notAfter, inclusive." */
static void check_validity(vctx *v, vpath *p, size_t i, const char *lab) {
  const mtk_cert *c = &p->c[i]->c;
  char t1[40], t2[40];
  if (c->not_before <= c->not_after && v->o->at >= c->not_before && v->o->at <= c->not_after)
    return; /* the usual case: nothing to format */
  fmt_time(t2, sizeof t2, v->o->at);
  if (c->not_before > c->not_after) {
    fmt_time(t1, sizeof t1, c->not_before);
    vreason(p, MTK_ERR_CHAIN_PROFILE, (int)i, "%s has notBefore (%s) after notAfter", lab, t1);
  }
  if (v->o->at < c->not_before) {
    fmt_time(t1, sizeof t1, c->not_before);
    vreason(p, MTK_ERR_CHAIN_NOT_YET_VALID, (int)i, "%s is not valid before %s (now %s)", lab, t1,
            t2);
  } else if (v->o->at > c->not_after) {
    fmt_time(t1, sizeof t1, c->not_after);
    vreason(p, MTK_ERR_CHAIN_EXPIRED, (int)i, "%s expired on %s (now %s)", lab, t1, t2);
  }
}

/* ---- keys and signature algorithms ------------------------------------------------ */

static void check_key(vctx *v, vpath *p, size_t i, const char *lab) {
  const mtk_spki *k = &p->c[i]->c.spki;
  int d = (int)i;
  bool web = is_webpki(v);
  if (k->key_malformed) {
    vreason(p, MTK_ERR_CHAIN_KEY, d, "%s has a malformed public key", lab);
    return;
  }
  switch (k->type) {
    case MTK_KEY_RSA:
    case MTK_KEY_RSA_PSS:
      /* BR 6.1.5: "the modulus size, when encoded, is at least 2048 bits,
       * and the modulus size, in bits, is evenly divisible by 8". */
      if (k->bits < 2048)
        vreason(p, MTK_ERR_CHAIN_KEY, d, "%s has a %u-bit RSA key; at least 2048 bits are required",
                lab, k->bits);
      else if (web && k->bits % 8 != 0)
        vreason(p, MTK_ERR_CHAIN_KEY, d,
                "%s has a %u-bit RSA key; the size must be a multiple of 8 (BR 6.1.5)", lab, k->bits);
      if (web && k->type == MTK_KEY_RSA_PSS)
        vreason(p, MTK_ERR_CHAIN_KEY, d,
                "%s has an id-RSASSA-PSS key; the BRs allow rsaEncryption keys only (BR 7.1.3.1.1)",
                lab);
      break;
    case MTK_KEY_EC:
      if (k->ec_explicit || k->ec_implicit)
        vreason(p, MTK_ERR_CHAIN_KEY, d,
                "%s has an EC key with explicit curve parameters; a named curve is required "
                "(RFC 5480 2.1.1)",
                lab);
      else if (k->curve != MTK_OID_PRIME256V1 && k->curve != MTK_OID_SECP384R1 &&
               k->curve != MTK_OID_SECP521R1)
        vreason(p, MTK_ERR_CHAIN_KEY, d,
                "%s has an EC key on a curve other than P-256, P-384 or P-521", lab);
      break;
    case MTK_KEY_ED25519:
    case MTK_KEY_ED448:
      if (web)
        vreason(p, MTK_ERR_CHAIN_KEY, d, "%s has an %s key, which the BRs do not allow (BR 6.1.5)",
                lab, mtk_key_type_name(k->type));
      break;
    case MTK_KEY_DSA:
      vreason(p, MTK_ERR_CHAIN_KEY, d, "%s has a DSA key, which is not allowed", lab);
      break;
    default:
      vreason(p, MTK_ERR_CHAIN_KEY, d, "%s has a %s key, which cannot sign for TLS", lab,
              mtk_key_type_name(k->type));
      break;
  }
}

static bool weak_sig_alg(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_MD2_RSA:
    case MTK_OID_MD4_RSA:
    case MTK_OID_MD5_RSA:
    case MTK_OID_MD5_RSA_OIW:
    case MTK_OID_SHA1_RSA:
    case MTK_OID_SHA1_RSA_OIW:
    case MTK_OID_ECDSA_SHA1:
    case MTK_OID_DSA_SHA1:
    case MTK_OID_DSA_SHA1_OIW:
      return true;
    default:
      return false;
  }
}

static void check_sig_alg(vctx *v, vpath *p, size_t i, const char *lab) {
  (void)v;
  const mtk_cert *c = &p->c[i]->c;
  /* RFC 5280 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm
   * identifier as the signature field in the sequence tbsCertificate". */
  if (c->sig_alg.elem.len != c->tbs_sig_alg.elem.len ||
      memcmp(c->sig_alg.elem.p, c->tbs_sig_alg.elem.p, c->sig_alg.elem.len) != 0)
    vreason(p, MTK_ERR_CHAIN_SIG_ALG, (int)i,
            "%s has different algorithms in signatureAlgorithm and tbsCertificate.signature "
            "(RFC 5280 4.1.1.2)",
            lab);
  /* A trust anchor's own signature is not relied on. */
  if (i + 1 < p->n && weak_sig_alg(c->sig_alg.id))
    vreason(p, MTK_ERR_CHAIN_SIG_ALG, (int)i, "%s is signed with %s, which is not accepted", lab,
            mtk_oid_short_name(c->sig_alg.id));
}

/* ---- extensions ------------------------------------------------------------------- */

static const mtk_ext *ext(const vcert *vc, mtk_xk k) { return mtk_ext_get(&vc->c.exts, k); }

static void check_ext_general(vctx *v, vpath *p, size_t i, const char *lab) {
  (void)v;
  const vcert *vc = p->c[i];
  const mtk_extensions *e = &vc->c.exts;
  int d = (int)i;
  if (vc->c.version != 3)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s is an X.509 v%u certificate; v3 is required", lab,
            vc->c.version);
  /* RFC 5280 4.2: "A certificate MUST NOT include more than one instance of
   * a particular extension." */
  if (e->has_duplicates)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has the same extension twice (RFC 5280 4.2)", lab);
  /* RFC 5280 4.2: "A certificate-using system MUST reject the certificate if
   * it encounters a critical extension it does not recognize". */
  if (e->n_unknown_critical > 0) {
    mtk_ext_iter it;
    mtk_ext x;
    char oid[96] = "?";
    mtk_ext_iter_init(&it, e);
    while (mtk_ext_next(&it, &x))
      if (x.critical && mtk_xk_of(x.id) < 0) {
        if (mtk_oid_format(&x.oid, oid, sizeof oid) != MTK_OK) snprintf(oid, sizeof oid, "?");
        break;
      }
    vreason(p, MTK_ERR_CHAIN_CRITICAL_EXT, d, "%s has an unknown critical extension %s", lab, oid);
  }
  if (ext(vc, MTK_XK_CT_POISON) != NULL)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s is a CT precertificate (poison extension), not a certificate (RFC 6962 3.1)", lab);
  const mtk_ext *x;
  /* RFC 5280 4.2.2.1 / 4.2.2.2: "Conforming CAs MUST mark this extension as
   * non-critical." */
  if ((x = ext(vc, MTK_XK_AIA)) != NULL) {
    mtk_ad_iter it;
    mtk_access_desc ad;
    size_t n = 0;
    if (mtk_ad_iter_init_ext(&it, &x->value))
      while (mtk_ad_next(&it, &ad)) n++;
    if (x->critical)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s marks authorityInfoAccess critical (RFC 5280 4.2.2.1)", lab);
    if (n == 0)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has an empty authorityInfoAccess (RFC 5280 4.2.2.1)",
              lab);
  }
  if ((x = ext(vc, MTK_XK_SIA)) != NULL && x->critical)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s marks subjectInfoAccess critical (RFC 5280 4.2.2.2)", lab);
  /* RFC 5280 4.2.1.11: "Conforming CAs MUST mark this extension as
   * critical." 4.2.1.14 (inhibitAnyPolicy): the same. */
  if ((x = ext(vc, MTK_XK_PC)) != NULL && !x->critical)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has a non-critical policyConstraints (RFC 5280 4.2.1.11)", lab);
  if ((x = ext(vc, MTK_XK_INHIBIT_ANY)) != NULL && !x->critical)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has a non-critical inhibitAnyPolicy (RFC 5280 4.2.1.14)", lab);
}

/* AKI and SKI (RFC 5280 4.2.1.1, 4.2.1.2; BR 7.1.2.1.3). */
static void check_key_ids(vctx *v, vpath *p, size_t i, const char *lab) {
  vcert *vc = p->c[i];
  int d = (int)i;
  bool ca_pos = i > 0;
  const mtk_ext *xa = ext(vc, MTK_XK_AKI), *xs = ext(vc, MTK_XK_SKI);
  mtk_aki aki;
  memset(&aki, 0, sizeof aki);
  if (xa != NULL && mtk_ext_aki(&xa->value, &aki, NULL) != MTK_OK) memset(&aki, 0, sizeof aki);
  if (xa != NULL && xa->critical)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s marks authorityKeyIdentifier critical (RFC 5280 4.2.1.1: MUST be non-critical)",
            lab);
  /* "The keyIdentifier field of the authorityKeyIdentifier extension MUST
   * be included in all certificates generated by conforming CAs to
   * facilitate certification path construction. There is one exception;
   * where a CA distributes its public key in the form of a "self-signed"
   * certificate, the authority key identifier MAY be omitted." */
  bool anchor = i > 0 && i + 1 == p->n;
  if (!aki.has_keyid && !anchor && !vcert_self_signed(vc))
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has no authorityKeyIdentifier keyIdentifier and is not self-signed (RFC 5280 "
            "4.2.1.1)",
            lab);
  if (xs != NULL && xs->critical)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s marks subjectKeyIdentifier critical (RFC 5280 4.2.1.2: MUST be non-critical)", lab);
  /* "this extension MUST appear in all conforming CA certificates" */
  if (ca_pos && xs == NULL)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s is a CA without subjectKeyIdentifier (RFC 5280 4.2.1.2)", lab);
  /* BR 7.1.2.1.3, root CA AKI: keyIdentifier MUST be present, "identical
   * to the subjectKeyIdentifier field"; authorityCertIssuer and
   * authorityCertSerialNumber MUST NOT be present. */
  if (is_webpki(v) && xa != NULL && anchor && vc->self_issued) {
    mtk_cbs ski;
    if (!aki.has_keyid)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s is a root whose authorityKeyIdentifier lacks keyIdentifier (BR 7.1.2.1.3)", lab);
    if (aki.has_issuer || aki.has_serial)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s is a root whose authorityKeyIdentifier has authorityCertIssuer or "
              "authorityCertSerialNumber (BR 7.1.2.1.3)",
              lab);
    if (aki.has_keyid && xs != NULL && mtk_ext_ski(&xs->value, &ski, NULL) == MTK_OK &&
        (ski.len != aki.keyid.len || memcmp(ski.p, aki.keyid.p, ski.len) != 0))
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s is a root whose authorityKeyIdentifier differs from its subjectKeyIdentifier "
              "(BR 7.1.2.1.3)",
              lab);
  }
}

static void check_ca_bits(vctx *v, vpath *p, size_t i, const char *lab) {
  vcert *vc = p->c[i];
  int d = (int)i;
  bool ca_pos = i > 0;
  const mtk_ext *xb = ext(vc, MTK_XK_BC), *xk = ext(vc, MTK_XK_KU);
  mtk_basic_constraints bc;
  memset(&bc, 0, sizeof bc);
  if (xb != NULL && mtk_ext_basic_constraints(&xb->value, &bc, NULL) != MTK_OK)
    memset(&bc, 0, sizeof bc);
  uint32_t ku = 0;
  if (xk != NULL && mtk_ext_key_usage(&xk->value, &ku, NULL) != MTK_OK) ku = 0;
  if (ca_pos) {
    /* RFC 5280 6.1.4 (k), 4.2.1.9: "Conforming CAs MUST include this
     * extension in all CA certificates ... and MUST mark it critical". */
    if (xb == NULL)
      vreason(p, MTK_ERR_CHAIN_NOT_CA, d, "%s is not a CA: basicConstraints missing", lab);
    else if (!bc.ca)
      vreason(p, MTK_ERR_CHAIN_NOT_CA, d, "%s is not a CA: basicConstraints cA is FALSE", lab);
    else if (!xb->critical)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s has a non-critical basicConstraints (RFC 5280 4.2.1.9)", lab);
    /* RFC 5280 6.1.4 (n): "If a key usage extension is present, verify that
     * the keyCertSign bit is set." */
    if (xk != NULL && !(ku & MTK_KU_KEY_CERT_SIGN))
      vreason(p, MTK_ERR_CHAIN_KEY_USAGE, d, "%s is a CA whose keyUsage lacks keyCertSign", lab);
    /* RFC 5280 4.2.1.4 / 4.1.2.6: "If the subject is a CA ... the subject
     * field MUST be populated with a non-empty distinguished name". */
    if (vc->c.subject.n_rdns == 0)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s is a CA with an empty subject (RFC 5280 4.1.2.6)",
              lab);
  } else {
    /* RFC 5280 4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit
     * in the basic constraints extension MUST also be asserted." */
    if ((ku & MTK_KU_KEY_CERT_SIGN) && !bc.ca)
      vreason(p, MTK_ERR_CHAIN_KEY_USAGE, d,
              "%s asserts keyCertSign in keyUsage but is not a CA (RFC 5280 4.2.1.3)", lab);
    /* BR 7.1.2.7.8 (subscriber basicConstraints): "cA MUST be FALSE";
     * 7.1.2.7.11: keyCertSign MUST NOT be set. */
    if (is_webpki(v) && bc.ca)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s is a CA certificate (basicConstraints cA TRUE) in the leaf position (BR "
              "7.1.2.7.8)",
              lab);
    if (is_webpki(v) && (ku & MTK_KU_KEY_CERT_SIGN))
      vreason(p, MTK_ERR_CHAIN_KEY_USAGE, d, "%s is a leaf that asserts keyCertSign (BR 7.1.2.7.11)",
              lab);
    if (xk != NULL && v->o->purpose == MTK_PURPOSE_CLIENT && !(ku & MTK_KU_DIGITAL_SIGNATURE))
      vreason(p, MTK_ERR_CHAIN_KEY_USAGE, d,
              "%s lacks digitalSignature in keyUsage, which a TLS client key needs", lab);
    if (xk != NULL && is_webpki(v) && v->o->purpose == MTK_PURPOSE_SERVER &&
        !(ku & (MTK_KU_DIGITAL_SIGNATURE | MTK_KU_KEY_ENCIPHERMENT | MTK_KU_KEY_AGREEMENT)))
      vreason(p, MTK_ERR_CHAIN_KEY_USAGE, d,
              "%s has none of digitalSignature, keyEncipherment, keyAgreement in keyUsage", lab);
  }
  /* RFC 5280 4.2.1.9: "CAs MUST NOT include the pathLenConstraint field
   * unless the cA boolean is asserted and the key usage extension asserts
   * the keyCertSign bit." */
  if (bc.has_pathlen && !bc.ca)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has pathLenConstraint without cA TRUE (RFC 5280 4.2.1.9)", lab);
  else if (bc.has_pathlen && xk != NULL && !(ku & MTK_KU_KEY_CERT_SIGN))
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has pathLenConstraint but keyUsage lacks keyCertSign (RFC 5280 4.2.1.9)", lab);
}

static void check_eku(vctx *v, vpath *p, size_t i, const char *lab) {
  vcert *vc = p->c[i];
  int d = (int)i;
  const mtk_ext *x = ext(vc, MTK_XK_EKU);
  mtk_purpose pur = v->o->purpose;
  bool web = is_webpki(v);
  size_t n = 0;
  bool any = false, want = false;
  if (x != NULL) {
    mtk_oid_iter it;
    mtk_cbs oid;
    mtk_oid_id id;
    if (mtk_oid_iter_init_ext(&it, &x->value))
      while (mtk_oid_next(&it, &oid, &id)) {
        n++;
        any = any || id == MTK_OID_EKU_ANY;
        want = want || (pur != MTK_PURPOSE_ANY && id == purpose_eku(pur));
      }
    /* RFC 5280 4.2.1.12: KeyPurposeId SIZE (1..MAX). */
    if (n == 0)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has an empty extendedKeyUsage (RFC 5280 4.2.1.12)",
              lab);
  }
  if (i == 0) {
    if (pur != MTK_PURPOSE_ANY) {
      if (x == NULL) {
        if (web || !(v->o->flags & MTK_VERIFY_ALLOW_NO_EKU))
          vreason(p, MTK_ERR_CHAIN_EKU, d, "%s has no extendedKeyUsage; %s is required", lab,
                  purpose_eku_name(pur));
      } else if (!want) {
        vreason(p, MTK_ERR_CHAIN_EKU, d, "%s lacks %s in extendedKeyUsage", lab,
                purpose_eku_name(pur));
      }
    }
    if (web && x != NULL && any)
      vreason(p, MTK_ERR_CHAIN_EKU, d,
              "%s lists anyExtendedKeyUsage, which the BRs forbid in a leaf (BR 7.1.2.7.10)", lab);
    if (web && x != NULL && x->critical)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s marks extendedKeyUsage critical (BR 7.1.2.7.6: MUST NOT)", lab);
  } else {
    /* An EKU in a CA limits what it may issue for (common practice of
     * browsers and OpenSSL's purpose check). */
    if (x != NULL && pur != MTK_PURPOSE_ANY && !want && !any)
      vreason(p, MTK_ERR_CHAIN_EKU, d, "%s is a CA whose extendedKeyUsage excludes %s", lab,
              purpose_eku_name(pur));
    /* BR 7.1.2.1.2 root CA extensions: extKeyUsage MUST NOT be present. */
    if (web && x != NULL && i + 1 == p->n && vc->self_issued)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s is a root with an extendedKeyUsage (BR 7.1.2.1.2: MUST NOT)", lab);
  }
}

/* A lenient IPv4 reading (inet_aton: 1 to 4 parts, decimal, octal or hex):
 * what a CN that "is an IP address" may look like. */
static bool looks_ipv4(const uint8_t *p, size_t len) {
  size_t parts = 0, i = 0;
  while (i < len) {
    size_t start = i;
    bool hex = len - i > 2 && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X');
    if (hex) i += 2;
    while (i < len && p[i] != '.' && (hex ? isxdigit(p[i]) : isdigit(p[i]))) i++;
    if (i == start || (hex && i == start + 2)) return false;
    parts++;
    if (i < len) {
      if (p[i] != '.') return false;
      i++;
      if (i == len) return false;
    }
  }
  return parts >= 1 && parts <= 4;
}

static bool looks_ipv6(const uint8_t *p, size_t len) {
  bool colon = false;
  for (size_t i = 0; i < len; i++) {
    if (p[i] == ':') colon = true;
    else if (!isxdigit(p[i]) && p[i] != '.') return false;
  }
  return colon;
}

/* BR 7.1.4.3 for one CN value: 1 fine, 0 not among the SAN entries. An
 * IP-looking CN must be the RFC 3986 / RFC 5952 text of an iPAddress entry.
 * Any other CN must be byte for byte a dNSName entry, or the domain X of a
 * wildcard entry "*.X" (a common form); a CN is not checked when the SAN has
 * no dNSName at all (an IP-only certificate keeping a descriptive CN). */
static bool cn_in_san(const mtk_cbs *san_value, const mtk_cbs *cn) {
  mtk_gn_iter it;
  mtk_gn g;
  bool ip = looks_ipv4(cn->p, cn->len) || looks_ipv6(cn->p, cn->len);
  bool any_dns = false;
  if (!mtk_gn_iter_init_ext(&it, san_value)) return false;
  while (mtk_gn_next(&it, &g)) {
    if (g.type == MTK_GN_DNS) {
      any_dns = true;
      if (ip) continue;
      if (g.value.len == cn->len && memcmp(g.value.p, cn->p, cn->len) == 0) return true;
      if (g.value.len == cn->len + 2 && g.value.p[0] == '*' && g.value.p[1] == '.' &&
          memcmp(g.value.p + 2, cn->p, cn->len) == 0)
        return true;
    }
    if (ip && g.type == MTK_GN_IP && (g.value.len == 4 || g.value.len == 16)) {
      mtk_buf b;
      mtk_buf_init(&b, 128);
      bool eq = mtk_str_ip(&b, g.value.p, g.value.len) == MTK_OK && b.len == cn->len &&
                memcmp(b.p, cn->p, cn->len) == 0;
      mtk_buf_free(&b);
      if (eq) return true;
    }
  }
  return !ip && !any_dns;
}

static void check_san(vctx *v, vpath *p, size_t i, const char *lab) {
  vcert *vc = p->c[i];
  int d = (int)i;
  const mtk_ext *x = ext(vc, MTK_XK_SAN);
  bool empty_subject = vc->c.subject.n_rdns == 0;
  /* RFC 5280 4.1.2.6 / 4.2.1.6: with an empty subject, the SAN extension
   * MUST be present and critical. */
  if (empty_subject && (x == NULL || !x->critical))
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s has an empty subject and %s (RFC 5280 4.2.1.6)", lab,
            x == NULL ? "no subjectAltName" : "a non-critical subjectAltName");
  /* RFC 5280 4.1.2.4: "The issuer field MUST contain a non-empty
   * distinguished name (DN)." */
  if (vc->c.issuer.n_rdns == 0)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has an empty issuer name (RFC 5280 4.1.2.4)", lab);
  if (x != NULL) {
    mtk_gn_iter it;
    mtk_gn g;
    size_t n = 0;
    if (mtk_gn_iter_init_ext(&it, &x->value))
      while (mtk_gn_next(&it, &g)) {
        n++;
        mtk_buf b;
        mtk_buf_init(&b, 512);
        switch (g.type) {
          case MTK_GN_DNS:
            /* RFC 5280 4.2.1.6: dNSName "MUST be in the "preferred name
             * syntax", as specified by Section 3.5 of [RFC1034]". */
            if (!vdns_syntax_ok(g.value.p, g.value.len, true)) {
              if (mtk_str_escape_utf8(&b, g.value.p, g.value.len, MTK_ESC_TEXT) != MTK_OK)
                mtk_buf_reset(&b);
              vreason(p, MTK_ERR_CHAIN_PROFILE, d,
                      "%s has a subjectAltName dNSName '%.*s' that is not a valid host name "
                      "(RFC 5280 4.2.1.6)",
                      lab, (int)(b.len > 200 ? 200 : b.len), b.p ? (const char *)b.p : "");
            }
            break;
          case MTK_GN_IP:
            if (g.value.len != 4 && g.value.len != 16)
              vreason(p, MTK_ERR_CHAIN_PROFILE, d,
                      "%s has a subjectAltName iPAddress of %zu octets (4 or 16 required, RFC 5280 "
                      "4.2.1.6)",
                      lab, g.value.len);
            break;
          case MTK_GN_EMAIL:
            if (!vemail_syntax_ok(g.value.p, g.value.len)) {
              if (mtk_str_escape_utf8(&b, g.value.p, g.value.len, MTK_ESC_TEXT) != MTK_OK)
                mtk_buf_reset(&b);
              vreason(p, MTK_ERR_CHAIN_PROFILE, d,
                      "%s has a subjectAltName rfc822Name '%.*s' that is not a mailbox (RFC 5280 "
                      "4.2.1.6)",
                      lab, (int)(b.len > 200 ? 200 : b.len), b.p ? (const char *)b.p : "");
            }
            break;
          default:
            break;
        }
        mtk_buf_free(&b);
      }
    if (n == 0)
      vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has an empty subjectAltName (RFC 5280 4.2.1.6)",
              lab);
  }
  if (!is_webpki(v) || i != 0) return;
  /* BR 7.1.2.7.12: subscriber certificates MUST have subjectAltName, and it
   * is critical only if the subject is empty. */
  if (x == NULL)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d, "%s has no subjectAltName (BR 7.1.2.7.12)", lab);
  else if (x->critical && !empty_subject)
    vreason(p, MTK_ERR_CHAIN_PROFILE, d,
            "%s marks subjectAltName critical with a non-empty subject (BR 7.1.2.7.12)", lab);
  /* BR 7.1.4.3: a commonName "MUST contain exactly one entry that is one of
   * the values contained in the Certificate's subjectAltName extension",
   * encoded character for character (IP addresses in RFC 3986 / RFC 5952
   * text). */
  mtk_name_iter nit;
  mtk_attr a;
  mtk_name_iter_init(&nit, &vc->c.subject);
  while (mtk_name_next(&nit, &a)) {
    if (a.id != MTK_OID_AT_CN) continue;
    if (x == NULL || !cn_in_san(&x->value, &a.value)) {
      mtk_buf b;
      mtk_buf_init(&b, 512);
      if (mtk_str_append(&b, a.tag, a.value.p, a.value.len, MTK_ESC_TEXT, NULL) != MTK_OK)
        mtk_buf_reset(&b);
      vreason(p, MTK_ERR_CHAIN_PROFILE, d,
              "%s has the commonName '%.*s', which is not one of its subjectAltName entries "
              "(BR 7.1.4.3)",
              lab, (int)(b.len > 200 ? 200 : b.len), b.p ? (const char *)b.p : "");
      mtk_buf_free(&b);
      break;
    }
  }
}

static void check_nc_presence(vctx *v, vpath *p, size_t i, const char *lab) {
  vcert *vc = p->c[i];
  const mtk_ext *x = ext(vc, MTK_XK_NC);
  if (x == NULL) return;
  const mtk_ext *xb = ext(vc, MTK_XK_BC);
  mtk_basic_constraints bc;
  memset(&bc, 0, sizeof bc);
  if (xb != NULL && mtk_ext_basic_constraints(&xb->value, &bc, NULL) != MTK_OK)
    memset(&bc, 0, sizeof bc);
  /* RFC 5280 4.2.1.10: "The name constraints extension, which MUST be used
   * only in a CA certificate". */
  if (!bc.ca)
    vreason(p, MTK_ERR_CHAIN_PROFILE, (int)i,
            "%s has nameConstraints but is not a CA (RFC 5280 4.2.1.10)", lab);
  /* "Conforming CAs MUST mark this extension as critical"; the BRs
   * (7.1.2.5.2) let it be non-critical, as browsers accept it. */
  if (!x->critical && !is_webpki(v))
    vreason(p, MTK_ERR_CHAIN_PROFILE, (int)i,
            "%s has a non-critical nameConstraints (RFC 5280 4.2.1.10)", lab);
}

/* ---- the path ---------------------------------------------------------------------- */

static int max_depth(const vctx *v) {
  return v->o->max_depth < 0 ? MTK_VERIFY_DEFAULT_DEPTH : v->o->max_depth;
}

void vcheck_path(vctx *v, vpath *p) {
  char lab[256];
  for (size_t i = 0; i < p->n; i++) {
    vlabel(lab, sizeof lab, p, i);
    check_encoding(v, p, i, lab);
    check_validity(v, p, i, lab);
    check_ext_general(v, p, i, lab);
    check_key_ids(v, p, i, lab);
    check_ca_bits(v, p, i, lab);
    check_eku(v, p, i, lab);
    check_san(v, p, i, lab);
    check_nc_presence(v, p, i, lab);
    check_key(v, p, i, lab);
    check_sig_alg(v, p, i, lab);
  }
  /* Depth: intermediates between the leaf and the anchor, self-issued ones
   * not counted (as for pathLenConstraint, RFC 5280 6.1.4 (l)). */
  size_t inter = 0;
  for (size_t i = 1; i + 1 < p->n; i++)
    if (!p->c[i]->self_issued) inter++;
  if (p->n > 1 && inter > (size_t)max_depth(v))
    vreason(p, MTK_ERR_CHAIN_DEPTH, -1,
            "the path has %zu intermediate CAs; at most %d are allowed", inter, max_depth(v));
  /* RFC 5280 6.1.4 (l), (m): pathLenConstraint counts the non-self-issued
   * intermediates below a CA (the leaf not included). */
  for (size_t i = 1; i < p->n; i++) {
    const mtk_ext *xb = ext(p->c[i], MTK_XK_BC);
    mtk_basic_constraints bc;
    if (xb == NULL || mtk_ext_basic_constraints(&xb->value, &bc, NULL) != MTK_OK || !bc.ca ||
        !bc.has_pathlen)
      continue;
    size_t below = 0;
    for (size_t k = 1; k < i; k++)
      if (!p->c[k]->self_issued) below++;
    if (below > bc.pathlen) {
      vlabel(lab, sizeof lab, p, i);
      vreason(p, MTK_ERR_CHAIN_PATHLEN, (int)i,
              "%s allows %llu intermediate CA%s below it (pathLenConstraint); the path has %zu",
              lab, (unsigned long long)bc.pathlen, bc.pathlen == 1 ? "" : "s", below);
    }
  }
  /* CRLs that break the profile cannot vouch for the certificates their
   * issuer signed. */
  for (size_t i = 1; i < p->n; i++)
    for (size_t k = 0; k < v->n_bad_crls; k++)
      if (p->c[i]->x != NULL &&
          X509_NAME_cmp(v->bad_crl_issuer[k], X509_get_subject_name(p->c[i]->x)) == 0) {
        vlabel(lab, sizeof lab, p, i - 1);
        vreason(p, MTK_ERR_CHAIN_CRL, (int)i - 1, "no valid CRL for %s: %s", lab,
                v->bad_crl_msg[k]);
      }
}

/* RFC 5280 5.2.3: the CRL number "is a non-critical CRL extension ...
 * conforming CRL issuers MUST include this extension in all CRLs". 5.1.2.1:
 * version MUST be v2 when extensions are used. */
void vcheck_crls(vctx *v) {
  if (v->crls == NULL) return;
  for (int i = 0; i < sk_X509_CRL_num(v->crls) && v->n_bad_crls < 8; i++) {
    X509_CRL *crl = sk_X509_CRL_value(v->crls, i);
    const char *why = NULL;
    int idx = X509_CRL_get_ext_by_NID(crl, NID_crl_number, -1);
    if (idx < 0)
      why = "the CRL has no cRLNumber extension (RFC 5280 5.2.3)";
    else if (X509_EXTENSION_get_critical(X509_CRL_get_ext(crl, idx)))
      why = "the CRL marks cRLNumber critical (RFC 5280 5.2.3)";
    else if (X509_CRL_get_version(crl) != 1)
      why = "the CRL is not version 2 (RFC 5280 5.1.2.1)";
    if (why == NULL) continue;
    X509_NAME *nm = X509_NAME_dup(X509_CRL_get_issuer(crl));
    if (nm == NULL) continue;
    v->bad_crl_issuer[v->n_bad_crls] = nm;
    snprintf(v->bad_crl_msg[v->n_bad_crls], sizeof v->bad_crl_msg[0], "%s", why);
    v->n_bad_crls++;
  }
}

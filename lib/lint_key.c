/* lint_key.c: checks of the subject public key (certificate or CSR):
 * algorithm, RSA modulus and exponent, the weak-modulus tests of keys.h
 * (ROCA, small factors, Fermat), EC curves and point forms, DSA. */
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"
#include "mtlskit/keys.h"

/* ---- helpers ------------------------------------------------------------------ */

static void key_path(const lint_ctx *x, const char *suffix, char *buf, size_t cap) {
  lint_pathf(buf, cap, "%s.%s", x->spki_path, suffix);
}

/* INTEGER contents without leading zero octets. */
static mtk_cbs strip_zeros(mtk_cbs v) {
  while (v.len > 0 && v.p[0] == 0) {
    v.p++;
    v.len--;
    v.off++;
  }
  return v;
}

/* The value of at most 8 octets; UINT64_MAX if wider. */
static uint64_t small_value(const mtk_cbs *v) {
  if (v->len > 8) return UINT64_MAX;
  uint64_t r = 0;
  for (size_t i = 0; i < v->len; i++) r = (r << 8) | v->p[i];
  return r;
}

/* Field size in bits of the named curves in the OID table (0 if unknown). */
static unsigned curve_field_bits(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_SECP112R1: case MTK_OID_SECP112R2: case MTK_OID_SECT113R1:
    case MTK_OID_SECT113R2: return 112;
    case MTK_OID_SECP128R1: case MTK_OID_SECP128R2: case MTK_OID_SECT131R1:
    case MTK_OID_SECT131R2: return 128;
    case MTK_OID_SECP160K1: case MTK_OID_SECP160R1: case MTK_OID_SECP160R2:
    case MTK_OID_BRAINPOOLP160R1: case MTK_OID_BRAINPOOLP160T1: return 160;
    case MTK_OID_SECT163K1: case MTK_OID_SECT163R1: case MTK_OID_SECT163R2:
    case MTK_OID_C2PNB163V1: case MTK_OID_C2PNB163V2: case MTK_OID_C2PNB163V3: return 163;
    case MTK_OID_C2PNB176V1: return 176;
    case MTK_OID_PRIME192V1: case MTK_OID_PRIME192V2: case MTK_OID_PRIME192V3:
    case MTK_OID_SECP192K1: case MTK_OID_BRAINPOOLP192R1: case MTK_OID_BRAINPOOLP192T1:
    case MTK_OID_C2TNB191V1: case MTK_OID_C2TNB191V2: case MTK_OID_C2TNB191V3:
    case MTK_OID_C2ONB191V4: case MTK_OID_C2ONB191V5: return 192;
    case MTK_OID_SECT193R1: case MTK_OID_SECT193R2: return 193;
    case MTK_OID_C2PNB208W1: return 208;
    case MTK_OID_SECP224R1: case MTK_OID_SECP224K1: case MTK_OID_BRAINPOOLP224R1:
    case MTK_OID_BRAINPOOLP224T1: return 224;
    case MTK_OID_SECT233K1: case MTK_OID_SECT233R1: return 233;
    case MTK_OID_PRIME239V1: case MTK_OID_PRIME239V2: case MTK_OID_PRIME239V3:
    case MTK_OID_SECT239K1: case MTK_OID_C2TNB239V1: case MTK_OID_C2TNB239V2:
    case MTK_OID_C2TNB239V3: case MTK_OID_C2ONB239V4: case MTK_OID_C2ONB239V5: return 239;
    case MTK_OID_PRIME256V1: case MTK_OID_SECP256K1: case MTK_OID_BRAINPOOLP256R1:
    case MTK_OID_BRAINPOOLP256T1: case MTK_OID_SM2: return 256;
    case MTK_OID_C2PNB272W1: return 272;
    case MTK_OID_SECT283K1: case MTK_OID_SECT283R1: return 283;
    case MTK_OID_C2PNB304W1: return 304;
    case MTK_OID_BRAINPOOLP320R1: case MTK_OID_BRAINPOOLP320T1: return 320;
    case MTK_OID_C2TNB359V1: return 359;
    case MTK_OID_C2PNB368W1: return 368;
    case MTK_OID_SECP384R1: case MTK_OID_BRAINPOOLP384R1: case MTK_OID_BRAINPOOLP384T1: return 384;
    case MTK_OID_SECT409K1: case MTK_OID_SECT409R1: return 409;
    case MTK_OID_C2TNB431R1: return 431;
    case MTK_OID_BRAINPOOLP512R1: case MTK_OID_BRAINPOOLP512T1: return 512;
    case MTK_OID_SECP521R1: return 521;
    case MTK_OID_SECT571K1: case MTK_OID_SECT571R1: return 571;
    default: return 0;
  }
}

/* ---- algorithm ------------------------------------------------------------------- */

/* BR 7.1.3.1.1: rsaEncryption or id-ecPublicKey only. */
static void check_key_algorithm(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  if (k->type == MTK_KEY_RSA || k->type == MTK_KEY_EC) return;
  char path[MTK_PATH_MAX], oid[128];
  key_path(x, "algorithm", path, sizeof(path));
  if (mtk_oid_format(&k->alg.oid, oid, sizeof(oid)) != MTK_OK) snprintf(oid, sizeof(oid), "?");
  lint_emit(x, LC_e_key_algorithm_not_allowed_public, k->alg.elem.off, path, "%s key (%s)",
            mtk_key_type_name(k->type), oid);
}

/* ---- RSA ------------------------------------------------------------------------- */

static void check_rsa_modulus_size(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  char path[MTK_PATH_MAX];
  key_path(x, "subjectPublicKey", path, sizeof(path));
  if (k->bits < 2048)
    lint_emit(x, LC_e_rsa_modulus_too_small, k->rsa_n.off, path, "%u-bit modulus (minimum 2048)",
              k->bits);
  if (k->bits % 8 != 0)
    lint_emit(x, LC_e_rsa_modulus_not_multiple_of_8, k->rsa_n.off, path,
              "%u-bit modulus is not a multiple of 8", k->bits);
}

/* BR 6.1.6: "The value of the public exponent MUST be an odd number equal
 * to 3 or more. Additionally, the public exponent SHOULD be in the range
 * between 2^16 + 1 and 2^256 - 1." */
static void check_rsa_exponent(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  mtk_cbs e = strip_zeros(k->rsa_e);
  uint64_t v = small_value(&e);
  char path[MTK_PATH_MAX];
  key_path(x, "subjectPublicKey", path, sizeof(path));
  if (v < 3) {
    lint_emit(x, LC_e_rsa_exponent_too_small, k->rsa_e.off, path, "e = %llu",
              (unsigned long long)v);
    return;
  }
  if ((e.p[e.len - 1] & 1) == 0) {
    if (v != UINT64_MAX)
      lint_emit(x, LC_e_rsa_exponent_even, k->rsa_e.off, path, "e = %llu", (unsigned long long)v);
    else
      lint_emit(x, LC_e_rsa_exponent_even, k->rsa_e.off, path, "even %zu-octet exponent", e.len);
    return;
  }
  if (v < 65537)
    lint_emit(x, LC_w_rsa_exponent_not_recommended, k->rsa_e.off, path,
              "e = %llu (recommended 65537 to 2^256-1)", (unsigned long long)v);
  else if (e.len > 32)
    lint_emit(x, LC_w_rsa_exponent_not_recommended, k->rsa_e.off, path,
              "%zu-octet exponent exceeds 2^256-1", e.len);
}

/* ROCA, small prime factors and Fermat (BR 6.1.1.3, 6.1.6), via keys.h. Only
 * the tests that apply are run: Fermat binds keys issued from 2024-11-15. */
static void check_rsa_weakness(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  unsigned checks = 0;
  if (lint_wants(x, LC_e_rsa_roca_vulnerable)) checks |= MTK_RSA_CHECK_ROCA;
  if (lint_wants(x, LC_e_rsa_small_prime_factor)) checks |= MTK_RSA_CHECK_SMALL_FACTOR;
  if (lint_wants(x, LC_e_rsa_fermat_factorable)) checks |= MTK_RSA_CHECK_FERMAT;
  if (checks == 0 || k->rsa_n.len == 0) return;
  mtk_rsa_weak_result r;
  mtk_status s = mtk_rsa_weakness_checks(k->rsa_n.p, k->rsa_n.len, checks, &r);
  if (s == MTK_ERR_NOMEM && x->fatal == MTK_OK) x->fatal = s;
  if (s != MTK_OK) return; /* 0, 1 or an over-long modulus: nothing to say */
  char path[MTK_PATH_MAX];
  key_path(x, "subjectPublicKey", path, sizeof(path));
  if (r.roca)
    lint_emit(x, LC_e_rsa_roca_vulnerable, k->rsa_n.off, path,
              "%zu-bit modulus matches the ROCA fingerprint", r.modulus_bits);
  if (r.small_factor)
    lint_emit(x, LC_e_rsa_small_prime_factor, k->rsa_n.off, path, "modulus divisible by %u",
              (unsigned)r.factor);
  if (r.fermat)
    lint_emit(x, LC_e_rsa_fermat_factorable, k->rsa_n.off, path,
              "factored by Fermat's method in round %u", r.fermat_round);
}

static void check_rsa(lint_ctx *x) {
  check_rsa_modulus_size(x);
  check_rsa_exponent(x);
  check_rsa_weakness(x);
}

/* ---- EC -------------------------------------------------------------------------- */

/* RFC 5480 2.1.1: "specifiedCurve ... MUST NOT be used", "implicitCurve ...
 * MUST NOT be used"; BR 6.1.5: P-256, P-384, P-521. */
static void check_ec_curve(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  char path[MTK_PATH_MAX];
  key_path(x, "algorithm.parameters", path, sizeof(path));
  size_t off = k->alg.has_params ? k->alg.params.off : k->alg.elem.off;
  if (k->ec_explicit) {
    lint_emit(x, LC_e_ec_explicit_curve_params, off, path, "specifiedCurve with a %u-bit field",
              k->bits);
    if (k->bits != 0 && k->bits < 224)
      lint_emit(x, LC_e_ec_curve_weak, off, path, "%u-bit field", k->bits);
    return;
  }
  if (k->ec_implicit) {
    lint_emit(x, LC_e_ec_implicit_curve, off, path, "implicitCurve (NULL parameters)");
    return;
  }
  if (k->curve == MTK_OID_UNKNOWN) {
    char oid[128];
    if (mtk_oid_format(&k->curve_oid, oid, sizeof(oid)) != MTK_OK) snprintf(oid, sizeof(oid), "?");
    lint_emit(x, LC_e_ec_curve_unknown, off, path, "curve %s", oid);
    return;
  }
  unsigned bits = curve_field_bits(k->curve);
  if (bits != 0 && bits < 224)
    lint_emit(x, LC_e_ec_curve_weak, off, path, "%s, a %u-bit curve",
              mtk_oid_short_name(k->curve), bits);
  if (k->curve != MTK_OID_PRIME256V1 && k->curve != MTK_OID_SECP384R1 &&
      k->curve != MTK_OID_SECP521R1)
    lint_emit(x, LC_e_ec_curve_not_allowed_public, off, path, "curve %s",
              mtk_oid_short_name(k->curve));
}

static void check_ec_point(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  if (k->ec_point_form != 0x02 && k->ec_point_form != 0x03) return;
  char path[MTK_PATH_MAX];
  key_path(x, "subjectPublicKey", path, sizeof(path));
  lint_emit(x, LC_n_ec_point_compressed, k->key.off, path, "point form 0x%02x",
            k->ec_point_form);
}

/* ---- the area ---------------------------------------------------------------------- */

void lint_key(lint_ctx *x) {
  const mtk_spki *k = x->spki;
  if (k->key_malformed) {
    char path[MTK_PATH_MAX];
    key_path(x, "subjectPublicKey", path, sizeof(path));
    lint_emit(x, LC_e_spki_key_malformed, k->key_err.offset, path, "%s",
              k->key_err.detail[0] != '\0' ? k->key_err.detail
                                           : mtk_status_message(k->key_err.code));
  }
  check_key_algorithm(x);
  switch (k->type) {
    case MTK_KEY_RSA:
    case MTK_KEY_RSA_PSS:
      if (!k->key_malformed) check_rsa(x);
      break;
    case MTK_KEY_EC:
      check_ec_curve(x);
      if (!k->key_malformed) check_ec_point(x);
      break;
    case MTK_KEY_DSA: {
      char path[MTK_PATH_MAX];
      key_path(x, "algorithm", path, sizeof(path));
      lint_emit(x, LC_w_dsa_key_deprecated, k->alg.elem.off, path, "%u-bit DSA key", k->bits);
      break;
    }
    default:
      break;
  }
}

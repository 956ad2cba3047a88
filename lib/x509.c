/* x509.c: Certificate (RFC 5280 4.1) and CertificationRequest (RFC 2986 4)
 * parsing into zero-copy views; AlgorithmIdentifier, SubjectPublicKeyInfo,
 * Name and the Extensions list. The typed extension decoders live in
 * x509_ext.c. Every read goes through the mtk_cbs cursor (der.h). */
#include "mtlskit/x509.h"

#include <string.h>

/* ---- small helpers ---------------------------------------------------------- */

#define TRY(expr)                      \
  do {                                 \
    mtk_status s_ = (expr);            \
    if (s_ != MTK_OK) return s_;       \
  } while (0)

static bool cbs_eq(const mtk_cbs *a, const mtk_cbs *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* ---- AlgorithmIdentifier ---------------------------------------------------- */

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER,
 *                                    parameters ANY DEFINED BY algorithm OPTIONAL } */
mtk_status mtk_algid_parse(mtk_cbs *c, mtk_algid *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get_element(&copy, MTK_ASN1_SEQUENCE, &out->elem, &body, d));
  size_t m = mtk_diag_push(d, "algorithm");
  TRY(mtk_der_get_oid(&body, &out->oid, d));
  mtk_diag_pop(d, m);
  out->id = mtk_oid_lookup(&out->oid);
  if (body.len > 0) {
    m = mtk_diag_push(d, "parameters");
    TRY(mtk_der_get_any(&body, NULL, NULL, &out->params, d));
    TRY(mtk_der_walk(&out->params, MTK_DER_MAX_DEPTH, d));
    mtk_diag_pop(d, m);
    out->has_params = true;
  }
  TRY(mtk_der_expect_end(&body, "AlgorithmIdentifier", d));
  *c = copy;
  return MTK_OK;
}

/* RSASSA-PSS-params ::= SEQUENCE {
 *   hashAlgorithm    [0] HashAlgorithm    DEFAULT sha1,
 *   maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *   saltLength       [2] INTEGER          DEFAULT 20,
 *   trailerField     [3] TrailerField     DEFAULT trailerFieldBC }  (RFC 4055 3.1) */
mtk_status mtk_pss_params_parse(const mtk_cbs *params, mtk_pss_params *out, mtk_diag *d) {
  mtk_cbs c = *params, body, f;
  bool present;
  memset(out, 0, sizeof(*out));
  out->hash = MTK_OID_SHA1;
  out->mgf = MTK_OID_MGF1;
  out->mgf_hash = MTK_OID_SHA1;
  out->salt_len = 20;
  out->trailer = 1;
  TRY(mtk_der_get(&c, MTK_ASN1_SEQUENCE, &body, d));
  TRY(mtk_der_expect_end(&c, "RSASSA-PSS-params", d));
  size_t m = mtk_diag_push(d, "hashAlgorithm");
  TRY(mtk_der_get_optional(&body, MTK_CTX_C(0), &f, &present, d));
  if (present) {
    mtk_algid h;
    TRY(mtk_algid_parse(&f, &h, d));
    TRY(mtk_der_expect_end(&f, "hashAlgorithm", d));
    out->hash = h.id;
    if (h.id == MTK_OID_SHA1) out->explicit_defaults++;
  }
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "maskGenAlgorithm");
  TRY(mtk_der_get_optional(&body, MTK_CTX_C(1), &f, &present, d));
  if (present) {
    mtk_algid mg;
    TRY(mtk_algid_parse(&f, &mg, d));
    TRY(mtk_der_expect_end(&f, "maskGenAlgorithm", d));
    out->mgf = mg.id;
    out->mgf_hash = MTK_OID_UNKNOWN;
    if (mg.has_params) {
      mtk_cbs pc = mg.params;
      mtk_algid mh;
      TRY(mtk_algid_parse(&pc, &mh, d));
      out->mgf_hash = mh.id;
    }
    if (out->mgf == MTK_OID_MGF1 && out->mgf_hash == MTK_OID_SHA1) out->explicit_defaults++;
  }
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "saltLength");
  TRY(mtk_der_get_optional(&body, MTK_CTX_C(2), &f, &present, d));
  if (present) {
    TRY(mtk_der_get_uint64(&f, &out->salt_len, d));
    TRY(mtk_der_expect_end(&f, "saltLength", d));
    if (out->salt_len == 20) out->explicit_defaults++;
  }
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "trailerField");
  TRY(mtk_der_get_optional(&body, MTK_CTX_C(3), &f, &present, d));
  if (present) {
    TRY(mtk_der_get_uint64(&f, &out->trailer, d));
    TRY(mtk_der_expect_end(&f, "trailerField", d));
    if (out->trailer == 1) out->explicit_defaults++;
  }
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&body, "RSASSA-PSS-params", d));
  return MTK_OK;
}

/* ---- SubjectPublicKeyInfo --------------------------------------------------- */

const char *mtk_key_type_name(mtk_key_type t) {
  switch (t) {
    case MTK_KEY_RSA: return "RSA";
    case MTK_KEY_RSA_PSS: return "RSA-PSS";
    case MTK_KEY_EC: return "EC";
    case MTK_KEY_DSA: return "DSA";
    case MTK_KEY_ED25519: return "Ed25519";
    case MTK_KEY_ED448: return "Ed448";
    case MTK_KEY_X25519: return "X25519";
    case MTK_KEY_X448: return "X448";
    case MTK_KEY_ML_DSA: return "ML-DSA";
    case MTK_KEY_ML_KEM: return "ML-KEM";
    case MTK_KEY_SLH_DSA: return "SLH-DSA";
    case MTK_KEY_UNKNOWN: break;
  }
  return "unknown";
}

/* Bits of a non-negative INTEGER's contents. */
static unsigned int_bits(const mtk_cbs *v) {
  size_t i = 0;
  while (i < v->len && v->p[i] == 0) i++;
  if (i == v->len) return 0;
  unsigned bits = (unsigned)((v->len - i - 1) * 8);
  for (uint8_t b = v->p[i]; b != 0; b >>= 1) bits++;
  return bits;
}

static unsigned curve_bits(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_PRIME256V1: case MTK_OID_SECP256K1: case MTK_OID_BRAINPOOLP256R1: return 256;
    case MTK_OID_SECP384R1: case MTK_OID_BRAINPOOLP384R1: return 384;
    case MTK_OID_SECP521R1: return 521;
    case MTK_OID_BRAINPOOLP512R1: return 512;
    case MTK_OID_SECP224R1: return 224;
    case MTK_OID_PRIME192V1: return 192;
    default: return 0;
  }
}

/* Decodes the key octets by algorithm; a failure marks the key malformed but
 * does not fail the certificate (the linter reports it). */
static void spki_decode_key(mtk_spki *k) {
  mtk_diag kd;
  mtk_diag_init(&kd);
  mtk_cbs key = k->key;
  /* Offsets of key errors are absolute like every other. */
  mtk_status s = MTK_OK;
  switch (k->type) {
    case MTK_KEY_RSA:
    case MTK_KEY_RSA_PSS: {
      /* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
      mtk_cbs seq;
      bool neg = false;
      s = mtk_der_get(&key, MTK_ASN1_SEQUENCE, &seq, &kd);
      if (s == MTK_OK) s = mtk_der_expect_end(&key, "RSAPublicKey", &kd);
      if (s == MTK_OK) s = mtk_der_get(&seq, MTK_ASN1_INTEGER, &k->rsa_n, &kd);
      if (s == MTK_OK) s = mtk_der_check_integer(&k->rsa_n, false, &neg, &kd);
      if (s == MTK_OK && neg) s = mtk_diag_fail(&kd, MTK_ERR_DER_RANGE, k->rsa_n.off, "RSA modulus is negative");
      if (s == MTK_OK) s = mtk_der_get(&seq, MTK_ASN1_INTEGER, &k->rsa_e, &kd);
      if (s == MTK_OK) s = mtk_der_check_integer(&k->rsa_e, false, &neg, &kd);
      if (s == MTK_OK && neg) s = mtk_diag_fail(&kd, MTK_ERR_DER_RANGE, k->rsa_e.off, "RSA exponent is negative");
      if (s == MTK_OK) s = mtk_der_expect_end(&seq, "RSAPublicKey", &kd);
      if (s == MTK_OK) k->bits = int_bits(&k->rsa_n);
      break;
    }
    case MTK_KEY_EC:
      if (key.len == 0) {
        s = mtk_diag_fail(&kd, MTK_ERR_X509_SPKI, key.off, "empty EC point");
      } else {
        k->ec_point_form = key.p[0];
        size_t field = (k->bits + 7) / 8;
        if (field > 0) {
          size_t want = (key.p[0] == 0x04 || key.p[0] == 0x06 || key.p[0] == 0x07) ? 1 + 2 * field
                        : (key.p[0] == 0x02 || key.p[0] == 0x03)                    ? 1 + field
                                                                                    : 0;
          if (want == 0 || key.len != want)
            s = mtk_diag_fail(&kd, MTK_ERR_X509_SPKI, key.off,
                              "EC point of %zu octets with form 0x%02x does not fit a %u-bit curve",
                              key.len, key.p[0], k->bits);
        }
      }
      break;
    case MTK_KEY_ED25519:
    case MTK_KEY_X25519:
      if (key.len != 32)
        s = mtk_diag_fail(&kd, MTK_ERR_X509_SPKI, key.off, "%s key of %zu octets (must be 32)",
                          mtk_key_type_name(k->type), key.len);
      break;
    case MTK_KEY_ED448:
      if (key.len != 57)
        s = mtk_diag_fail(&kd, MTK_ERR_X509_SPKI, key.off, "Ed448 key of %zu octets (must be 57)", key.len);
      break;
    case MTK_KEY_X448:
      if (key.len != 56)
        s = mtk_diag_fail(&kd, MTK_ERR_X509_SPKI, key.off, "X448 key of %zu octets (must be 56)", key.len);
      break;
    case MTK_KEY_DSA: {
      /* DSAPublicKey ::= INTEGER */
      mtk_cbs y;
      s = mtk_der_get(&key, MTK_ASN1_INTEGER, &y, &kd);
      if (s == MTK_OK) s = mtk_der_check_integer(&y, false, NULL, &kd);
      if (s == MTK_OK) s = mtk_der_expect_end(&key, "DSAPublicKey", &kd);
      break;
    }
    case MTK_KEY_ML_DSA:
    case MTK_KEY_ML_KEM:
    case MTK_KEY_SLH_DSA:
    case MTK_KEY_UNKNOWN:
      break;
  }
  if (s != MTK_OK) {
    k->key_malformed = true;
    k->key_err = kd.err;
  }
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 *                                     subjectPublicKey BIT STRING } */
mtk_status mtk_spki_parse(mtk_cbs *c, mtk_spki *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get_element(&copy, MTK_ASN1_SEQUENCE, &out->elem, &body, d));
  size_t m = mtk_diag_push(d, "algorithm");
  TRY(mtk_algid_parse(&body, &out->alg, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "subjectPublicKey");
  TRY(mtk_der_get_octets_bitstring(&body, &out->key, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&body, "SubjectPublicKeyInfo", d));

  const mtk_algid *a = &out->alg;
  switch (a->id) {
    case MTK_OID_RSA_ENCRYPTION:
      out->type = MTK_KEY_RSA;
      /* RFC 3279 2.3.1: the parameters field MUST be NULL. */
      if (!a->has_params) {
        mtk_diag_quirk(d, MTK_QUIRK_NULL_PARAMS_MISSING, a->elem.off);
      } else {
        mtk_cbs p = a->params;
        m = mtk_diag_push(d, "algorithm.parameters");
        TRY(mtk_der_get_null(&p, d));
        mtk_diag_pop(d, m);
      }
      break;
    case MTK_OID_RSASSA_PSS:
      out->type = MTK_KEY_RSA_PSS;
      if (a->has_params) {
        mtk_pss_params pp;
        m = mtk_diag_push(d, "algorithm.parameters");
        TRY(mtk_pss_params_parse(&a->params, &pp, d));
        mtk_diag_pop(d, m);
      }
      break;
    case MTK_OID_EC_PUBLIC_KEY: {
      out->type = MTK_KEY_EC;
      /* ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL,
       *                           specifiedCurve SpecifiedECDomain } (RFC 5480 2.1.1) */
      if (!a->has_params)
        return mtk_diag_fail(d, MTK_ERR_X509_SPKI, a->elem.off, "EC key without curve parameters");
      mtk_cbs p = a->params;
      mtk_tag t = 0;
      (void)mtk_der_peek_tag(&p, &t);
      m = mtk_diag_push(d, "algorithm.parameters");
      if (t == MTK_ASN1_OID) {
        TRY(mtk_der_get_oid(&p, &out->curve_oid, d));
        out->curve = mtk_oid_lookup(&out->curve_oid);
        out->bits = curve_bits(out->curve);
      } else if (t == MTK_ASN1_NULL) {
        TRY(mtk_der_get_null(&p, d));
        out->ec_implicit = true;
      } else if (t == MTK_ASN1_SEQUENCE) {
        out->ec_explicit = true;
        /* SpecifiedECDomain: version, fieldID {fieldType, prime}, ... The
         * field size comes from the prime; the rest is left to the linter,
         * which rejects explicit curves anyway (RFC 5480 2.1.1). */
        mtk_cbs seq, field, fieldp, prime;
        mtk_cbs ftype;
        uint64_t ver;
        TRY(mtk_der_get(&p, MTK_ASN1_SEQUENCE, &seq, d));
        TRY(mtk_der_get_uint64(&seq, &ver, d));
        TRY(mtk_der_get(&seq, MTK_ASN1_SEQUENCE, &field, d));
        TRY(mtk_der_get_oid(&field, &ftype, d));
        fieldp = field;
        if (mtk_der_get(&fieldp, MTK_ASN1_INTEGER, &prime, NULL) == MTK_OK) out->bits = int_bits(&prime);
      } else {
        return mtk_diag_fail(d, MTK_ERR_X509_SPKI, p.off, "EC parameters are not a curve");
      }
      mtk_diag_pop(d, m);
      break;
    }
    case MTK_OID_DSA: {
      out->type = MTK_KEY_DSA;
      if (a->has_params) {
        /* Dss-Parms ::= SEQUENCE { p INTEGER, q INTEGER, g INTEGER } */
        mtk_cbs p = a->params, seq;
        m = mtk_diag_push(d, "algorithm.parameters");
        TRY(mtk_der_get(&p, MTK_ASN1_SEQUENCE, &seq, d));
        TRY(mtk_der_get_integer(&seq, &out->dsa_p, d));
        TRY(mtk_der_get_integer(&seq, &out->dsa_q, d));
        TRY(mtk_der_get_integer(&seq, &out->dsa_g, d));
        TRY(mtk_der_expect_end(&seq, "Dss-Parms", d));
        mtk_diag_pop(d, m);
        out->bits = int_bits(&out->dsa_p);
      }
      break;
    }
    case MTK_OID_ED25519: out->type = MTK_KEY_ED25519; out->bits = 256; break;
    case MTK_OID_ED448: out->type = MTK_KEY_ED448; out->bits = 456; break;
    case MTK_OID_X25519: out->type = MTK_KEY_X25519; out->bits = 256; break;
    case MTK_OID_X448: out->type = MTK_KEY_X448; out->bits = 448; break;
    case MTK_OID_ML_DSA_44: case MTK_OID_ML_DSA_65: case MTK_OID_ML_DSA_87:
    case MTK_OID_HASH_ML_DSA_44_SHA512: case MTK_OID_HASH_ML_DSA_65_SHA512:
    case MTK_OID_HASH_ML_DSA_87_SHA512:
      out->type = MTK_KEY_ML_DSA; break;
    case MTK_OID_ML_KEM_512: case MTK_OID_ML_KEM_768: case MTK_OID_ML_KEM_1024:
      out->type = MTK_KEY_ML_KEM; break;
    default: {
      /* SLH-DSA (FIPS 205): 2.16.840.1.101.3.4.3.20 .. .31, and HashSLH-DSA
       * .35 .. .46 (.32 .. .34 are HashML-DSA, above). */
      static const uint8_t slh_prefix[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03};
      uint8_t arc = a->oid.len == sizeof(slh_prefix) + 1 ? a->oid.p[sizeof(slh_prefix)] : 0;
      if (a->oid.len == sizeof(slh_prefix) + 1 && memcmp(a->oid.p, slh_prefix, sizeof(slh_prefix)) == 0 &&
          ((arc >= 20 && arc <= 31) || (arc >= 35 && arc <= 46)))
        out->type = MTK_KEY_SLH_DSA;
      break;
    }
  }
  /* RFC 8410 3: Ed25519/Ed448/X25519/X448 parameters MUST be absent. */
  if ((out->type == MTK_KEY_ED25519 || out->type == MTK_KEY_ED448 || out->type == MTK_KEY_X25519 ||
       out->type == MTK_KEY_X448) && a->has_params)
    return mtk_diag_fail(d, MTK_ERR_X509_ALGID, a->params.off,
                         "%s parameters must be absent (RFC 8410 3)", mtk_key_type_name(out->type));
  spki_decode_key(out);
  *c = copy;
  return MTK_OK;
}

/* ---- strings ------------------------------------------------------------------ */

static bool printable_char(uint8_t ch) {
  /* X.680 41.4 Table 10: A-Z a-z 0-9 space ' ( ) + , - . / : = ? */
  if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) return true;
  switch (ch) {
    case ' ': case '\'': case '(': case ')': case '+': case ',': case '-': case '.': case '/':
    case ':': case '=': case '?':
      return true;
    default:
      return false;
  }
}

static bool utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) { i++; continue; }
    size_t need;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1Fu; }
    else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0Fu; }
    else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07u; }
    else return false;
    if (n - i <= need) return false;
    for (size_t k = 1; k <= need; k++) {
      if ((p[i + k] & 0xC0u) != 0x80u) return false;
      cp = cp << 6 | (p[i + k] & 0x3Fu);
    }
    /* overlong, surrogates, beyond U+10FFFF */
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += need + 1;
  }
  return true;
}

mtk_status mtk_string_check(mtk_tag tag, const mtk_cbs *v, mtk_diag *d) {
  switch (tag) {
    case MTK_ASN1_PRINTABLESTRING:
      for (size_t i = 0; i < v->len; i++)
        if (!printable_char(v->p[i])) {
          mtk_diag_quirk(d, MTK_QUIRK_PRINTABLE_CHARSET, v->off + i);
          break;
        }
      return MTK_OK;
    case MTK_ASN1_IA5STRING:
    case MTK_ASN1_VISIBLESTRING:
    case MTK_ASN1_NUMERICSTRING:
      for (size_t i = 0; i < v->len; i++)
        if (v->p[i] > 0x7F) {
          mtk_diag_quirk(d, MTK_QUIRK_IA5_CHARSET, v->off + i);
          break;
        }
      return MTK_OK;
    case MTK_ASN1_UTF8STRING:
      if (!utf8_valid(v->p, v->len)) mtk_diag_quirk(d, MTK_QUIRK_UTF8_INVALID, v->off);
      return MTK_OK;
    case MTK_ASN1_BMPSTRING: {
      bool bad = v->len % 2 != 0;
      for (size_t i = 0; !bad && i + 1 < v->len; i += 2)
        if (v->p[i] >= 0xD8 && v->p[i] <= 0xDF) bad = true;
      if (bad) mtk_diag_quirk(d, MTK_QUIRK_BMP_ODD, v->off);
      return MTK_OK;
    }
    case MTK_ASN1_UNIVERSALSTRING:
      mtk_diag_quirk(d, MTK_QUIRK_UNIVERSAL_STRING, v->off);
      return MTK_OK;
    case MTK_ASN1_T61STRING:
      mtk_diag_quirk(d, MTK_QUIRK_TELETEX_STRING, v->off);
      return MTK_OK;
    case MTK_ASN1_VIDEOTEXSTRING:
    case MTK_ASN1_GRAPHICSTRING:
    case MTK_ASN1_GENERALSTRING:
      return MTK_OK;
    default:
      return mtk_diag_fail(d, MTK_ERR_DER_STRING, v->off, "not a string type");
  }
}

static bool is_string_tag(mtk_tag t) {
  switch (t) {
    case MTK_ASN1_PRINTABLESTRING: case MTK_ASN1_IA5STRING: case MTK_ASN1_VISIBLESTRING:
    case MTK_ASN1_NUMERICSTRING: case MTK_ASN1_UTF8STRING: case MTK_ASN1_BMPSTRING:
    case MTK_ASN1_UNIVERSALSTRING: case MTK_ASN1_T61STRING: case MTK_ASN1_VIDEOTEXSTRING:
    case MTK_ASN1_GRAPHICSTRING: case MTK_ASN1_GENERALSTRING:
      return true;
    default:
      return false;
  }
}

/* ---- Name ------------------------------------------------------------------ */

/* DER order of SET OF elements (X.690 11.6): compare encodings as octet
 * strings, the shorter padded with zeros. */
static int der_set_cmp(const mtk_cbs *a, const mtk_cbs *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int r = n ? memcmp(a->p, b->p, n) : 0;
  if (r != 0) return r;
  return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* Name ::= CHOICE { rdnSequence RDNSequence }
 * RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 * RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY } */
mtk_status mtk_name_parse(mtk_cbs *c, mtk_name *out, mtk_diag *d) {
  mtk_cbs copy = *c;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get_element(&copy, MTK_ASN1_SEQUENCE, &out->elem, &out->body, d));
  mtk_cbs rdns = out->body;
  unsigned i = 0;
  while (rdns.len > 0) {
    size_t m = mtk_diag_push(d, "[%u]", i);
    mtk_cbs set, set_elem;
    TRY(mtk_der_get_element(&rdns, MTK_ASN1_SET, &set_elem, &set, d));
    if (set.len == 0)
      return mtk_diag_fail(d, MTK_ERR_X509_NAME, set_elem.off,
                           "empty RelativeDistinguishedName (SIZE (1..MAX))");
    mtk_cbs prev = {0};
    unsigned j = 0;
    while (set.len > 0) {
      mtk_cbs atv_elem, atv, oid, val;
      mtk_tag vt;
      size_t m2 = mtk_diag_push(d, "[%u]", j);
      TRY(mtk_der_get_element(&set, MTK_ASN1_SEQUENCE, &atv_elem, &atv, d));
      TRY(mtk_der_get_oid(&atv, &oid, d));
      TRY(mtk_der_get_any(&atv, &vt, &val, NULL, d));
      TRY(mtk_der_expect_end(&atv, "AttributeTypeAndValue", d));
      if (is_string_tag(vt)) {
        TRY(mtk_der_check_value(vt, &val, d));
        TRY(mtk_string_check(vt, &val, d));
      } else {
        mtk_cbs v = val;
        if (vt & MTK_TAG_CONSTRUCTED)
          TRY(mtk_der_walk(&v, MTK_DER_MAX_DEPTH, d));
        else
          TRY(mtk_der_check_value(vt, &v, d));
      }
      if (j > 0 && der_set_cmp(&prev, &atv_elem) > 0)
        mtk_diag_quirk(d, MTK_QUIRK_SET_NOT_SORTED, set_elem.off);
      prev = atv_elem;
      mtk_diag_pop(d, m2);
      j++;
      out->n_attrs++;
    }
    mtk_diag_pop(d, m);
    i++;
  }
  out->n_rdns = i;
  *c = copy;
  return MTK_OK;
}

bool mtk_name_eq(const mtk_name *a, const mtk_name *b) { return cbs_eq(&a->elem, &b->elem); }

void mtk_name_iter_init(mtk_name_iter *it, const mtk_name *name) {
  memset(it, 0, sizeof(*it));
  it->rdns = name->body;
  it->rdn = 0;
}

static unsigned count_elems(mtk_cbs c) {
  unsigned n = 0;
  while (c.len > 0 && mtk_der_get_any(&c, NULL, NULL, NULL, NULL) == MTK_OK) n++;
  return n;
}

bool mtk_name_next(mtk_name_iter *it, mtk_attr *out) {
  while (it->set.len == 0) {
    if (it->rdns.len == 0) return false;
    if (it->rdn_size > 0) it->rdn++;
    if (mtk_der_get(&it->rdns, MTK_ASN1_SET, &it->set, NULL) != MTK_OK) {
      it->rdns.len = 0;
      return false;
    }
    it->pos = 0;
    it->rdn_size = count_elems(it->set);
    if (it->rdn_size == 0) it->rdn_size = 1; /* never in a parsed name */
  }
  mtk_cbs atv_elem, atv;
  memset(out, 0, sizeof(*out));
  if (mtk_der_get_element(&it->set, MTK_ASN1_SEQUENCE, &atv_elem, &atv, NULL) != MTK_OK ||
      mtk_der_get_oid(&atv, &out->oid, NULL) != MTK_OK ||
      mtk_der_get_any(&atv, &out->tag, &out->value, &out->value_elem, NULL) != MTK_OK) {
    it->set.len = 0;
    it->rdns.len = 0;
    return false;
  }
  out->id = mtk_oid_lookup(&out->oid);
  out->rdn = it->rdn;
  out->pos = it->pos++;
  out->rdn_size = it->rdn_size;
  out->offset = atv_elem.off;
  return true;
}

/* ---- Extensions ------------------------------------------------------------- */

int mtk_xk_of(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_EXT_SAN: return MTK_XK_SAN;
    case MTK_OID_EXT_IAN: return MTK_XK_IAN;
    case MTK_OID_EXT_KU: return MTK_XK_KU;
    case MTK_OID_EXT_EKU: return MTK_XK_EKU;
    case MTK_OID_EXT_BC: return MTK_XK_BC;
    case MTK_OID_EXT_SKI: return MTK_XK_SKI;
    case MTK_OID_EXT_AKI: return MTK_XK_AKI;
    case MTK_OID_EXT_CRLDP: return MTK_XK_CRLDP;
    case MTK_OID_EXT_FRESHEST_CRL: return MTK_XK_FRESHEST_CRL;
    case MTK_OID_EXT_AIA: return MTK_XK_AIA;
    case MTK_OID_EXT_SIA: return MTK_XK_SIA;
    case MTK_OID_EXT_CP: return MTK_XK_CP;
    case MTK_OID_EXT_PM: return MTK_XK_PM;
    case MTK_OID_EXT_PC: return MTK_XK_PC;
    case MTK_OID_EXT_NC: return MTK_XK_NC;
    case MTK_OID_EXT_INHIBIT_ANY: return MTK_XK_INHIBIT_ANY;
    case MTK_OID_EXT_SCT_LIST: return MTK_XK_SCT;
    case MTK_OID_EXT_TLS_FEATURE: return MTK_XK_TLS_FEATURE;
    case MTK_OID_EXT_OCSP_NOCHECK: return MTK_XK_OCSP_NOCHECK;
    case MTK_OID_EXT_CT_POISON: return MTK_XK_CT_POISON;
    case MTK_OID_EXT_PKUP: return MTK_XK_PKUP;
    case MTK_OID_EXT_NS_CERT_TYPE: return MTK_XK_NS_CERT_TYPE;
    default: return -1;
  }
}

const mtk_ext *mtk_ext_get(const mtk_extensions *e, mtk_xk k) {
  if ((unsigned)k >= MTK_XK__COUNT || e->known_count[k] == 0) return NULL;
  return &e->known[k];
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } (RFC 5280 4.1) */
static mtk_status ext_parse_one(mtk_cbs *c, unsigned index, mtk_ext *out, mtk_diag *d) {
  mtk_cbs body;
  memset(out, 0, sizeof(*out));
  out->index = index;
  TRY(mtk_der_get_element(c, MTK_ASN1_SEQUENCE, &out->elem, &body, d));
  size_t m = mtk_diag_push(d, "extnID");
  TRY(mtk_der_get_oid(&body, &out->oid, d));
  mtk_diag_pop(d, m);
  out->id = mtk_oid_lookup(&out->oid);
  mtk_tag t;
  if (body.len > 0 && mtk_der_peek_tag(&body, &t) && t == MTK_ASN1_BOOLEAN) {
    size_t at = body.off;
    m = mtk_diag_push(d, "critical");
    TRY(mtk_der_get_bool(&body, &out->critical, d));
    /* X.690 11.5: a value equal to the DEFAULT is not encoded. */
    if (!out->critical) mtk_diag_quirk(d, MTK_QUIRK_DEFAULT_ENCODED, at);
    mtk_diag_pop(d, m);
  }
  m = mtk_diag_push(d, "extnValue");
  TRY(mtk_der_get(&body, MTK_ASN1_OCTETSTRING, &out->value, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&body, "Extension", d));
  return MTK_OK;
}

#define MTK_DUP_WINDOW 128

mtk_status mtk_extensions_parse(mtk_cbs *c, mtk_extensions *out, mtk_diag *d) {
  mtk_cbs copy = *c;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get_element(&copy, MTK_ASN1_SEQUENCE, &out->elem, &out->body, d));
  out->present = true;
  /* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
  if (out->body.len == 0) mtk_diag_quirk(d, MTK_QUIRK_EMPTY_EXTENSIONS, out->elem.off);
  mtk_cbs rest = out->body;
  mtk_cbs seen[MTK_DUP_WINDOW];
  unsigned i = 0;
  while (rest.len > 0) {
    mtk_ext e;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(ext_parse_one(&rest, i, &e, d));
    if (e.id != MTK_OID_UNKNOWN) {
      TRY(mtk_ext_check(&e, d)); /* pushes the extension's own name */
    } else if (e.critical) {
      out->n_unknown_critical++;
    }
    /* Duplicates: RFC 5280 4.2 "MUST NOT include more than one instance of
     * a particular extension". Compared by OID, known or not, against the
     * first MTK_DUP_WINDOW extensions (bounded work on hostile input). */
    for (unsigned k = 0; k < i && k < MTK_DUP_WINDOW; k++)
      if (cbs_eq(&seen[k], &e.oid)) out->has_duplicates = true;
    if (i < MTK_DUP_WINDOW) seen[i] = e.oid;
    int xk = mtk_xk_of(e.id);
    if (xk >= 0) {
      if (out->known_count[xk] == 0) out->known[xk] = e;
      if (out->known_count[xk] < 255) out->known_count[xk]++;
    }
    mtk_diag_pop(d, m);
    i++;
  }
  out->count = i;
  *c = copy;
  return MTK_OK;
}

void mtk_ext_iter_init(mtk_ext_iter *it, const mtk_extensions *e) {
  it->rest = e->present ? e->body : (mtk_cbs){0};
  it->index = 0;
}

bool mtk_ext_next(mtk_ext_iter *it, mtk_ext *out) {
  if (it->rest.len == 0) return false;
  if (ext_parse_one(&it->rest, it->index, out, NULL) != MTK_OK) {
    it->rest.len = 0;
    return false;
  }
  out->id = mtk_oid_lookup(&out->oid);
  it->index++;
  return true;
}

/* ---- Certificate -------------------------------------------------------------- */

/* Certificate ::= SEQUENCE { tbsCertificate TBSCertificate,
 *   signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE {
 *   version [0] EXPLICIT Version DEFAULT v1, serialNumber CertificateSerialNumber,
 *   signature AlgorithmIdentifier, issuer Name, validity Validity, subject Name,
 *   subjectPublicKeyInfo SubjectPublicKeyInfo,
 *   issuerUniqueID [1] IMPLICIT UniqueIdentifier OPTIONAL,
 *   subjectUniqueID [2] IMPLICIT UniqueIdentifier OPTIONAL,
 *   extensions [3] EXPLICIT Extensions OPTIONAL } */
static mtk_status parse_tbs(mtk_cbs *c, mtk_cert *out, mtk_diag *d) {
  mtk_cbs tbs, f;
  bool present;
  TRY(mtk_der_get_element(c, MTK_ASN1_SEQUENCE, &out->tbs, &tbs, d));

  size_t m = mtk_diag_push(d, "version");
  out->version = 1;
  TRY(mtk_der_get_optional(&tbs, MTK_CTX_C(0), &f, &present, d));
  if (present) {
    uint64_t v;
    size_t at = f.off;
    TRY(mtk_der_get_uint64(&f, &v, d));
    TRY(mtk_der_expect_end(&f, "version", d));
    if (v > 2) return mtk_diag_fail(d, MTK_ERR_X509_VERSION, at, "version %llu is not v1, v2 or v3", (unsigned long long)v);
    out->version = (unsigned)v + 1;
    out->version_explicit = true;
    if (v == 0) mtk_diag_quirk(d, MTK_QUIRK_EXPLICIT_V1, at);
  }
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "serialNumber");
  TRY(mtk_der_get(&tbs, MTK_ASN1_INTEGER, &out->serial, d));
  TRY(mtk_der_check_integer(&out->serial, false, &out->serial_negative, d));
  if (out->serial_negative) mtk_diag_quirk(d, MTK_QUIRK_INTEGER_NEGATIVE, out->serial.off);
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "signature");
  TRY(mtk_algid_parse(&tbs, &out->tbs_sig_alg, d));
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "issuer");
  TRY(mtk_name_parse(&tbs, &out->issuer, d));
  mtk_diag_pop(d, m);

  /* Validity ::= SEQUENCE { notBefore Time, notAfter Time } */
  m = mtk_diag_push(d, "validity");
  mtk_cbs val;
  TRY(mtk_der_get(&tbs, MTK_ASN1_SEQUENCE, &val, d));
  size_t m2 = mtk_diag_push(d, "notBefore");
  out->not_before_off = val.off;
  TRY(mtk_der_get_time(&val, &out->not_before, &out->not_before_tag, d));
  mtk_diag_pop(d, m2);
  m2 = mtk_diag_push(d, "notAfter");
  out->not_after_off = val.off;
  TRY(mtk_der_get_time(&val, &out->not_after, &out->not_after_tag, d));
  mtk_diag_pop(d, m2);
  TRY(mtk_der_expect_end(&val, "Validity", d));
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "subject");
  TRY(mtk_name_parse(&tbs, &out->subject, d));
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "subjectPublicKeyInfo");
  TRY(mtk_spki_parse(&tbs, &out->spki, d));
  if (out->spki.key_malformed) {
    /* Give the key error the path of the key. */
    size_t m3 = mtk_diag_push(d, "subjectPublicKey");
    if (d != NULL && out->spki.key_err.path[0] == '\0')
      memcpy(out->spki.key_err.path, d->path, d->path_len + 1);
    mtk_diag_pop(d, m3);
  }
  mtk_diag_pop(d, m);

  /* UniqueIdentifier ::= BIT STRING (4.1.2.8: v2 or v3 only) */
  mtk_tag t;
  if (tbs.len > 0 && mtk_der_peek_tag(&tbs, &t) && t == MTK_CTX(1)) {
    m = mtk_diag_push(d, "issuerUniqueID");
    mtk_cbs uid;
    TRY(mtk_der_get(&tbs, MTK_CTX(1), &uid, d));
    uint8_t u;
    /* X.690 8.6.2.2-3 and 11.2.1: unused bits 0..7, none if empty, and zero. */
    if (!mtk_cbs_get_u8(&uid, &u) || u > 7 || (uid.len == 0 && u != 0) ||
        (u != 0 && (uid.p[uid.len - 1] & ((1u << u) - 1u)) != 0))
      return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, uid.off, "malformed issuerUniqueID");
    out->has_issuer_uid = true;
    out->issuer_uid = uid;
    mtk_diag_pop(d, m);
  }
  if (tbs.len > 0 && mtk_der_peek_tag(&tbs, &t) && t == MTK_CTX(2)) {
    m = mtk_diag_push(d, "subjectUniqueID");
    mtk_cbs uid;
    TRY(mtk_der_get(&tbs, MTK_CTX(2), &uid, d));
    uint8_t u;
    if (!mtk_cbs_get_u8(&uid, &u) || u > 7 || (uid.len == 0 && u != 0) ||
        (u != 0 && (uid.p[uid.len - 1] & ((1u << u) - 1u)) != 0))
      return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, uid.off, "malformed subjectUniqueID");
    out->has_subject_uid = true;
    out->subject_uid = uid;
    mtk_diag_pop(d, m);
  }
  if ((out->has_issuer_uid || out->has_subject_uid) && out->version < 2)
    return mtk_diag_fail(d, MTK_ERR_X509_UNIQUEID, out->tbs.off,
                         "unique identifiers in a v1 certificate (RFC 5280 4.1.2.8)");

  m = mtk_diag_push(d, "extensions");
  TRY(mtk_der_get_optional(&tbs, MTK_CTX_C(3), &f, &present, d));
  if (present) {
    if (out->version != 3)
      return mtk_diag_fail(d, MTK_ERR_X509_VERSION, f.off,
                           "extensions in a v%u certificate (RFC 5280 4.1.2.9: v3 only)", out->version);
    TRY(mtk_extensions_parse(&f, &out->exts, d));
    TRY(mtk_der_expect_end(&f, "extensions", d));
  }
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&tbs, "TBSCertificate", d));
  return MTK_OK;
}

mtk_status mtk_cert_parse(mtk_cert *out, const uint8_t *der, size_t len, mtk_diag *d) {
  mtk_cbs in, body;
  memset(out, 0, sizeof(*out));
  mtk_cbs_init(&in, der, len);
  TRY(mtk_der_get_element(&in, MTK_ASN1_SEQUENCE, &out->der, &body, d));
  TRY(mtk_der_expect_end(&in, "Certificate", d));
  size_t m = mtk_diag_push(d, "tbsCertificate");
  TRY(parse_tbs(&body, out, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "signatureAlgorithm");
  TRY(mtk_algid_parse(&body, &out->sig_alg, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "signatureValue");
  TRY(mtk_der_get_bitstring(&body, &out->signature, &out->signature_unused_bits, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&body, "Certificate", d));
  return MTK_OK;
}

bool mtk_cert_is_self_issued(const mtk_cert *c) { return mtk_name_eq(&c->issuer, &c->subject); }

/* ---- CertificationRequest ------------------------------------------------------- */

bool mtk_csr_attr_next(mtk_cbs *rest, mtk_csr_attr *out) {
  if (rest->len == 0) return false;
  mtk_cbs elem, body;
  memset(out, 0, sizeof(*out));
  if (mtk_der_get_element(rest, MTK_ASN1_SEQUENCE, &elem, &body, NULL) != MTK_OK ||
      mtk_der_get_oid(&body, &out->oid, NULL) != MTK_OK ||
      mtk_der_get(&body, MTK_ASN1_SET, &out->values, NULL) != MTK_OK) {
    rest->len = 0;
    return false;
  }
  out->id = mtk_oid_lookup(&out->oid);
  out->offset = elem.off;
  return true;
}

/* Attribute ::= SEQUENCE { type OID, values SET SIZE(1..MAX) OF ANY }
 * extensionRequest (PKCS#9, RFC 2985 5.4.2) holds one Extensions value;
 * challengePassword and unstructuredName hold one DirectoryString /
 * PKCS9String value. */
static mtk_status parse_csr_attrs(mtk_cbs attrs, mtk_csr *out, mtk_diag *d) {
  unsigned i = 0;
  while (attrs.len > 0) {
    size_t m = mtk_diag_push(d, "[%u]", i);
    mtk_cbs elem, body, oid, values;
    TRY(mtk_der_get_element(&attrs, MTK_ASN1_SEQUENCE, &elem, &body, d));
    TRY(mtk_der_get_oid(&body, &oid, d));
    TRY(mtk_der_get(&body, MTK_ASN1_SET, &values, d));
    TRY(mtk_der_expect_end(&body, "Attribute", d));
    if (values.len == 0)
      return mtk_diag_fail(d, MTK_ERR_X509_ATTRIBUTE, elem.off, "attribute with no values (SIZE (1..MAX))");
    mtk_oid_id id = mtk_oid_lookup(&oid);
    if (id == MTK_OID_EXTENSION_REQUEST) {
      if (out->has_ext_request)
        return mtk_diag_fail(d, MTK_ERR_X509_ATTRIBUTE, elem.off, "more than one extensionRequest attribute");
      size_t m2 = mtk_diag_push(d, "extensionRequest");
      TRY(mtk_extensions_parse(&values, &out->exts, d));
      if (values.len != 0)
        return mtk_diag_fail(d, MTK_ERR_X509_ATTRIBUTE, values.off, "extensionRequest with more than one value");
      mtk_diag_pop(d, m2);
      out->has_ext_request = true;
    } else if (id == MTK_OID_CHALLENGE_PASSWORD || id == MTK_OID_UNSTRUCTURED_NAME) {
      mtk_tag t;
      mtk_cbs v;
      size_t m2 = mtk_diag_push(d, "%s", mtk_oid_short_name(id));
      TRY(mtk_der_get_any(&values, &t, &v, NULL, d));
      if (values.len != 0)
        return mtk_diag_fail(d, MTK_ERR_X509_ATTRIBUTE, values.off, "single-valued attribute with several values");
      if (!is_string_tag(t)) return mtk_diag_fail(d, MTK_ERR_DER_STRING, v.off, "attribute value is not a string");
      TRY(mtk_string_check(t, &v, d));
      mtk_diag_pop(d, m2);
      if (id == MTK_OID_CHALLENGE_PASSWORD) {
        out->has_challenge_password = true;
        out->challenge_password = v;
        out->challenge_password_tag = t;
      } else {
        out->has_unstructured_name = true;
        out->unstructured_name = v;
        out->unstructured_name_tag = t;
      }
    } else {
      /* Unknown attribute: values must still be well-formed DER. */
      TRY(mtk_der_walk(&values, MTK_DER_MAX_DEPTH, d));
    }
    mtk_diag_pop(d, m);
    i++;
  }
  out->n_attributes = i;
  return MTK_OK;
}

/* CertificationRequest ::= SEQUENCE { certificationRequestInfo CertificationRequestInfo,
 *   signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
 * CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *   subjectPKInfo SubjectPublicKeyInfo, attributes [0] Attributes } */
mtk_status mtk_csr_parse(mtk_csr *out, const uint8_t *der, size_t len, mtk_diag *d) {
  mtk_cbs in, body, info;
  memset(out, 0, sizeof(*out));
  mtk_cbs_init(&in, der, len);
  TRY(mtk_der_get_element(&in, MTK_ASN1_SEQUENCE, &out->der, &body, d));
  TRY(mtk_der_expect_end(&in, "CertificationRequest", d));
  size_t m = mtk_diag_push(d, "certificationRequestInfo");
  TRY(mtk_der_get_element(&body, MTK_ASN1_SEQUENCE, &out->tbs, &info, d));
  size_t m2 = mtk_diag_push(d, "version");
  size_t at = info.off;
  TRY(mtk_der_get_uint64(&info, &out->version, d));
  if (out->version != 0)
    return mtk_diag_fail(d, MTK_ERR_X509_VERSION, at, "CSR version %llu (must be 0, v1)",
                         (unsigned long long)out->version);
  mtk_diag_pop(d, m2);
  m2 = mtk_diag_push(d, "subject");
  TRY(mtk_name_parse(&info, &out->subject, d));
  mtk_diag_pop(d, m2);
  m2 = mtk_diag_push(d, "subjectPKInfo");
  TRY(mtk_spki_parse(&info, &out->spki, d));
  if (out->spki.key_malformed && d != NULL && out->spki.key_err.path[0] == '\0') {
    size_t m3 = mtk_diag_push(d, "subjectPublicKey");
    memcpy(out->spki.key_err.path, d->path, d->path_len + 1);
    mtk_diag_pop(d, m3);
  }
  mtk_diag_pop(d, m2);
  m2 = mtk_diag_push(d, "attributes");
  /* [0] IMPLICIT SET OF Attribute; required by RFC 2986, though some old
   * software omits it when empty: that is an error here as in OpenSSL. */
  TRY(mtk_der_get(&info, MTK_CTX_C(0), &out->attributes, d));
  TRY(parse_csr_attrs(out->attributes, out, d));
  mtk_diag_pop(d, m2);
  TRY(mtk_der_expect_end(&info, "CertificationRequestInfo", d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "signatureAlgorithm");
  TRY(mtk_algid_parse(&body, &out->sig_alg, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "signature");
  TRY(mtk_der_get_bitstring(&body, &out->signature, &out->signature_unused_bits, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&body, "CertificationRequest", d));
  return MTK_OK;
}

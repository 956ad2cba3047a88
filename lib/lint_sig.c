/* lint_sig.c: checks of signature algorithms (the certificate's two copies,
 * the CSR's one) and the verification of a CSR's own signature. */
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"
#include "mtlskit/keys.h"

typedef enum sig_family {
  SF_OTHER = 0,
  SF_RSA,        /* PKCS#1 v1.5 under 1.2.840.113549.1.1: NULL parameters */
  SF_RSA_OTHER,  /* PKCS#1 v1.5 under other arcs (OIW, SHA-3, RIPEMD) */
  SF_PSS,
  SF_ECDSA,
  SF_DSA,
  SF_EDDSA
} sig_family;

typedef struct sig_info {
  sig_family fam;
  mtk_oid_id hash;  /* MTK_OID_UNKNOWN when the OID does not name one */
} sig_info;

static sig_info classify(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_MD2_RSA: return (sig_info){SF_RSA, MTK_OID_MD2};
    case MTK_OID_MD4_RSA: return (sig_info){SF_RSA, MTK_OID_MD4};
    case MTK_OID_MD5_RSA: return (sig_info){SF_RSA, MTK_OID_MD5};
    case MTK_OID_SHA1_RSA: return (sig_info){SF_RSA, MTK_OID_SHA1};
    case MTK_OID_SHA224_RSA: return (sig_info){SF_RSA, MTK_OID_SHA224};
    case MTK_OID_SHA256_RSA: return (sig_info){SF_RSA, MTK_OID_SHA256};
    case MTK_OID_SHA384_RSA: return (sig_info){SF_RSA, MTK_OID_SHA384};
    case MTK_OID_SHA512_RSA: return (sig_info){SF_RSA, MTK_OID_SHA512};
    case MTK_OID_SHA512_224_RSA: return (sig_info){SF_RSA, MTK_OID_SHA512_224};
    case MTK_OID_SHA512_256_RSA: return (sig_info){SF_RSA, MTK_OID_SHA512_256};
    case MTK_OID_SHA1_RSA_OIW: return (sig_info){SF_RSA_OTHER, MTK_OID_SHA1};
    case MTK_OID_MD5_RSA_OIW: return (sig_info){SF_RSA_OTHER, MTK_OID_MD5};
    case MTK_OID_RIPEMD160_RSA: return (sig_info){SF_RSA_OTHER, MTK_OID_RIPEMD160};
    case MTK_OID_SHA3_224_RSA: return (sig_info){SF_RSA_OTHER, MTK_OID_SHA3_224};
    case MTK_OID_SHA3_256_RSA: return (sig_info){SF_RSA_OTHER, MTK_OID_SHA3_256};
    case MTK_OID_SHA3_384_RSA: return (sig_info){SF_RSA_OTHER, MTK_OID_SHA3_384};
    case MTK_OID_SHA3_512_RSA: return (sig_info){SF_RSA_OTHER, MTK_OID_SHA3_512};
    case MTK_OID_RSASSA_PSS: return (sig_info){SF_PSS, MTK_OID_UNKNOWN};
    case MTK_OID_ECDSA_SHA1: return (sig_info){SF_ECDSA, MTK_OID_SHA1};
    case MTK_OID_ECDSA_SHA224: return (sig_info){SF_ECDSA, MTK_OID_SHA224};
    case MTK_OID_ECDSA_SHA256: return (sig_info){SF_ECDSA, MTK_OID_SHA256};
    case MTK_OID_ECDSA_SHA384: return (sig_info){SF_ECDSA, MTK_OID_SHA384};
    case MTK_OID_ECDSA_SHA512: return (sig_info){SF_ECDSA, MTK_OID_SHA512};
    case MTK_OID_ECDSA_SHA3_224: return (sig_info){SF_ECDSA, MTK_OID_SHA3_224};
    case MTK_OID_ECDSA_SHA3_256: return (sig_info){SF_ECDSA, MTK_OID_SHA3_256};
    case MTK_OID_ECDSA_SHA3_384: return (sig_info){SF_ECDSA, MTK_OID_SHA3_384};
    case MTK_OID_ECDSA_SHA3_512: return (sig_info){SF_ECDSA, MTK_OID_SHA3_512};
    case MTK_OID_ECDSA_SHAKE128: return (sig_info){SF_ECDSA, MTK_OID_SHAKE128};
    case MTK_OID_ECDSA_SHAKE256: return (sig_info){SF_ECDSA, MTK_OID_SHAKE256};
    case MTK_OID_DSA_SHA1: return (sig_info){SF_DSA, MTK_OID_SHA1};
    case MTK_OID_DSA_SHA1_OIW: return (sig_info){SF_DSA, MTK_OID_SHA1};
    case MTK_OID_DSA_SHA224: return (sig_info){SF_DSA, MTK_OID_SHA224};
    case MTK_OID_DSA_SHA256: return (sig_info){SF_DSA, MTK_OID_SHA256};
    case MTK_OID_DSA_SHA384: return (sig_info){SF_DSA, MTK_OID_SHA384};
    case MTK_OID_DSA_SHA512: return (sig_info){SF_DSA, MTK_OID_SHA512};
    case MTK_OID_ED25519: return (sig_info){SF_EDDSA, MTK_OID_UNKNOWN};
    case MTK_OID_ED448: return (sig_info){SF_EDDSA, MTK_OID_UNKNOWN};
    default: return (sig_info){SF_OTHER, MTK_OID_UNKNOWN};
  }
}

static size_t hash_len(mtk_oid_id h) {
  switch (h) {
    case MTK_OID_SHA1: return 20;
    case MTK_OID_SHA224: return 28;
    case MTK_OID_SHA256: return 32;
    case MTK_OID_SHA384: return 48;
    case MTK_OID_SHA512: return 64;
    default: return 0;
  }
}

static bool is_br_hash(mtk_oid_id h) {
  return h == MTK_OID_SHA256 || h == MTK_OID_SHA384 || h == MTK_OID_SHA512;
}

/* A name for details: the OID's short name, or its dotted form. */
static void alg_name(const mtk_algid *a, char *buf, size_t cap) {
  if (a->id != MTK_OID_UNKNOWN) {
    snprintf(buf, cap, "%s", mtk_oid_short_name(a->id));
  } else if (mtk_oid_format(&a->oid, buf, cap) != MTK_OK) {
    snprintf(buf, cap, "?");
  }
}

/* ---- hashes -------------------------------------------------------------------------- */

/* Reports a broken hash; true if it did (so "not allowed" is not repeated). */
static bool check_hash(lint_ctx *x, mtk_oid_id h, size_t off, const char *path) {
  switch (h) {
    case MTK_OID_MD2:
    case MTK_OID_MD4:
      lint_emit(x, LC_e_signature_md2_md4, off, path, "%s", mtk_oid_long_name(h));
      return true;
    case MTK_OID_MD5:
      lint_emit(x, LC_e_signature_md5, off, path, "MD5");
      return true;
    case MTK_OID_SHA1:
      if (x->csr != NULL)
        lint_emit(x, LC_w_csr_signature_sha1, off, path, "SHA-1");
      else
        lint_emit(x, LC_e_signature_sha1, off, path, "SHA-1");
      return true;
    default:
      return false;
  }
}

/* ---- parameters ------------------------------------------------------------------------ */

static bool params_is_null(const mtk_algid *a) {
  static const uint8_t null_der[] = {0x05, 0x00};
  return a->has_params && mtk_cbs_eq_bytes(&a->params, null_der, sizeof(null_der));
}

/* RFC 4055 5 / RFC 3279 2.2.1: NULL for PKCS#1 v1.5; RFC 5758 3.1, 3.2,
 * RFC 3279 2.2.2, 2.2.3, RFC 8410 6: absent for DSA, ECDSA and EdDSA. */
static void check_params(lint_ctx *x, const mtk_algid *a, sig_info si, const char *base) {
  char path[MTK_PATH_MAX];
  lint_pathf(path, sizeof(path), "%s.parameters", base);
  if (si.fam == SF_RSA) {
    if (!a->has_params)
      lint_emit(x, LC_e_signature_rsa_params_not_null, a->elem.off, path, "parameters absent");
    else if (!params_is_null(a))
      lint_emit(x, LC_e_signature_rsa_params_not_null, a->params.off, path,
                "parameters are not NULL");
  } else if (si.fam == SF_ECDSA || si.fam == SF_DSA || si.fam == SF_EDDSA) {
    if (a->has_params)
      lint_emit(x, LC_e_signature_params_not_absent, a->params.off, path, "%s parameters present",
                params_is_null(a) ? "NULL" : "non-empty");
  }
}

/* RSASSA-PSS (RFC 4055 3.1; BR 7.1.3.2 encodings). Returns the hash, or
 * MTK_OID_UNKNOWN when the parameters are missing or malformed. */
static mtk_oid_id check_pss(lint_ctx *x, const mtk_algid *a, const char *base) {
  char path[MTK_PATH_MAX];
  lint_pathf(path, sizeof(path), "%s.parameters", base);
  if (!a->has_params) {
    lint_emit(x, LC_e_pss_params_missing, a->elem.off, path, "no RSASSA-PSS-params");
    return MTK_OID_UNKNOWN;
  }
  mtk_pss_params pp;
  if (mtk_pss_params_parse(&a->params, &pp, NULL) != MTK_OK) {
    lint_emit(x, LC_e_pss_params_malformed, a->params.off, path, "not RSASSA-PSS-params");
    return MTK_OID_UNKNOWN;
  }
  size_t off = a->params.off;
  if (pp.trailer != 1)
    lint_emit(x, LC_e_pss_trailer_field_invalid, off, path, "trailerField %llu",
              (unsigned long long)pp.trailer);
  if (pp.mgf != MTK_OID_MGF1)
    lint_emit(x, LC_e_pss_mgf_not_mgf1, off, path, "maskGenAlgorithm is not MGF1");
  else if (pp.mgf_hash != pp.hash)
    lint_emit(x, LC_w_pss_mgf_hash_mismatch, off, path, "hash %s, MGF1 hash %s",
              mtk_oid_long_name(pp.hash),
              pp.mgf_hash != MTK_OID_UNKNOWN ? mtk_oid_long_name(pp.mgf_hash) : "unknown");
  size_t hl = hash_len(pp.hash);
  if (hl != 0 && pp.salt_len != hl)
    lint_emit(x, LC_e_pss_salt_length_not_hash_length, off, path,
              "saltLength %llu with %s (want %zu)", (unsigned long long)pp.salt_len,
              mtk_oid_long_name(pp.hash), hl);
  if (pp.explicit_defaults > 0)
    lint_emit(x, LC_e_pss_default_params_encoded, off, path, "%u DEFAULT field(s) encoded",
              pp.explicit_defaults);
  return pp.hash;
}

/* BR 7.1.3.2: RSA PKCS#1 v1.5 or PSS, ECDSA; SHA-256/384/512. */
static void check_public_allowed(lint_ctx *x, const mtk_algid *a, sig_info si, mtk_oid_id hash,
                                 const char *base) {
  bool ok = (si.fam == SF_RSA || si.fam == SF_PSS || si.fam == SF_ECDSA) && is_br_hash(hash);
  if (ok) return;
  char name[128];
  alg_name(a, name, sizeof(name));
  lint_emit(x, LC_e_signature_algorithm_not_allowed_public, a->elem.off, base, "%s", name);
}

/* All checks of one signature AlgorithmIdentifier at |base|. */
static void check_sig_alg(lint_ctx *x, const mtk_algid *a, const char *base) {
  sig_info si = classify(a->id);
  check_params(x, a, si, base);
  mtk_oid_id hash = si.hash;
  if (si.fam == SF_PSS) hash = check_pss(x, a, base);
  bool flagged = check_hash(x, hash, a->elem.off, base);
  if (!flagged && !(si.fam == SF_PSS && hash == MTK_OID_UNKNOWN))
    check_public_allowed(x, a, si, hash, base);
}

/* ---- certificates ---------------------------------------------------------------------- */

void lint_sig_cert(lint_ctx *x) {
  const mtk_cert *c = x->cert;
  /* RFC 5280 4.1.1.2: "This field MUST contain the same algorithm
   * identifier as the signature field in the sequence tbsCertificate";
   * compared as whole DER elements, parameters included. */
  if (c->sig_alg.elem.len != c->tbs_sig_alg.elem.len ||
      memcmp(c->sig_alg.elem.p, c->tbs_sig_alg.elem.p, c->sig_alg.elem.len) != 0) {
    char outer[128], inner[128];
    alg_name(&c->sig_alg, outer, sizeof(outer));
    alg_name(&c->tbs_sig_alg, inner, sizeof(inner));
    lint_emit(x, LC_e_signature_algorithm_mismatch, c->sig_alg.elem.off, "signatureAlgorithm",
              "signatureAlgorithm %s%s, tbsCertificate.signature %s%s", outer,
              c->sig_alg.has_params ? " (with parameters)" : "", inner,
              c->tbs_sig_alg.has_params ? " (with parameters)" : "");
    check_params(x, &c->tbs_sig_alg, classify(c->tbs_sig_alg.id), "tbsCertificate.signature");
  }
  check_sig_alg(x, &c->sig_alg, "signatureAlgorithm");
}

/* ---- certification requests ------------------------------------------------------------ */

/* RFC 2986 3: the request is signed with the subject's own key, proving
 * possession. */
static void verify_csr_signature(lint_ctx *x) {
  const mtk_csr *r = x->csr;
  mtk_status s = mtk_verify_signature(r->tbs.p, r->tbs.len, r->sig_alg.elem.p, r->sig_alg.elem.len,
                                      r->signature.p, r->signature.len, r->spki.elem.p,
                                      r->spki.elem.len);
  size_t off = r->signature.off;
  switch (s) {
    case MTK_OK: return;
    case MTK_ERR_SIG_INVALID:
      lint_emit(x, LC_e_csr_signature_invalid, off, "signature", "signature does not verify");
      return;
    case MTK_ERR_X509_ALGID:
      lint_emit(x, LC_e_csr_signature_invalid, r->sig_alg.elem.off, "signatureAlgorithm",
                "algorithm parameters malformed or not allowed");
      return;
    case MTK_ERR_NOMEM:
      if (x->fatal == MTK_OK) x->fatal = s;
      return;
    default: {
      char name[128];
      alg_name(&r->sig_alg, name, sizeof(name));
      lint_emit(x, LC_n_csr_signature_unsupported, r->sig_alg.elem.off, "signatureAlgorithm",
                "%s: %s", name, mtk_status_message(s));
      return;
    }
  }
}

void lint_sig_csr(lint_ctx *x) {
  check_sig_alg(x, &x->csr->sig_alg, "signatureAlgorithm");
  verify_csr_signature(x);
}

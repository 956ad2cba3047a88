/* pki_key.c: the keys of the development PKI: generation, loading, the key
 * policy (which keys may be certified), the signing digest, PEM output. */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>

#include "mtlskit/keys.h"
#include "pki_internal.h"

/* ---- key types ------------------------------------------------------------------- */

static const struct {
  mtk_pki_key_type type;
  const char *name;
} k_key_types[] = {
    {MTK_PKI_KEY_EC_P256, "ec-p256"},   {MTK_PKI_KEY_EC_P384, "ec-p384"},
    {MTK_PKI_KEY_RSA_2048, "rsa-2048"}, {MTK_PKI_KEY_RSA_3072, "rsa-3072"},
    {MTK_PKI_KEY_RSA_4096, "rsa-4096"}, {MTK_PKI_KEY_ED25519, "ed25519"},
};

bool mtk_pki_key_type_parse(const char *s, mtk_pki_key_type *out) {
  if (s == NULL || out == NULL) return false;
  for (size_t i = 0; i < sizeof(k_key_types) / sizeof(k_key_types[0]); i++) {
    if (strcmp(s, k_key_types[i].name) == 0) {
      *out = k_key_types[i].type;
      return true;
    }
  }
  return false;
}

const char *mtk_pki_key_type_name(mtk_pki_key_type t) {
  for (size_t i = 0; i < sizeof(k_key_types) / sizeof(k_key_types[0]); i++)
    if (k_key_types[i].type == t) return k_key_types[i].name;
  return "unknown";
}

/* ---- generation and loading --------------------------------------------------------- */

mtk_status mtk_pki_key_generate(mtk_pki_key_type t, mtk_pki_key **out) {
  if (out == NULL) return MTK_ERR_ARG;
  *out = NULL;
  EVP_PKEY *pkey = NULL;
  ERR_set_mark();
  switch (t) {
    case MTK_PKI_KEY_EC_P256: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
    case MTK_PKI_KEY_EC_P384: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"); break;
    case MTK_PKI_KEY_RSA_2048: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048); break;
    case MTK_PKI_KEY_RSA_3072: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072); break;
    case MTK_PKI_KEY_RSA_4096: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096); break;
    case MTK_PKI_KEY_ED25519: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
    default:
      ERR_pop_to_mark();
      return MTK_ERR_ARG;
  }
  ERR_pop_to_mark();
  if (pkey == NULL) return MTK_ERR_CRYPTO;
  mtk_pki_key *k = malloc(sizeof(*k));
  if (k == NULL) {
    EVP_PKEY_free(pkey);
    return MTK_ERR_NOMEM;
  }
  k->pkey = pkey;
  *out = k;
  return MTK_OK;
}

/* Refuses every passphrase request, so that loading never prompts. */
static int refuse_passphrase(char *pass, size_t pass_size, size_t *pass_len,
                             const OSSL_PARAM params[], void *arg) {
  (void)pass;
  (void)pass_size;
  (void)params;
  (void)arg;
  *pass_len = 0;
  return 0;
}

mtk_status mtk_pki_key_load(const uint8_t *data, size_t len, mtk_pki_key **out) {
  if (out == NULL || (data == NULL && len != 0)) return MTK_ERR_ARG;
  *out = NULL;
  if (len == 0) return MTK_ERR_KEY_PARSE;
  if (len > MTK_KEY_FILE_MAX) return MTK_ERR_INPUT_TOO_LARGE;
  ERR_set_mark();
  EVP_PKEY *pkey = NULL;
  mtk_pki_key *k = NULL;
  mtk_status rv = MTK_ERR_KEY_PARSE;
  const unsigned char *p = data;
  size_t left = len;
  OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(
      &pkey, NULL, NULL, NULL, OSSL_KEYMGMT_SELECT_PRIVATE_KEY, NULL, NULL);
  if (dctx == NULL) {
    rv = MTK_ERR_NOMEM;
    goto out;
  }
  if (OSSL_DECODER_CTX_set_passphrase_cb(dctx, refuse_passphrase, NULL) != 1) {
    rv = MTK_ERR_INTERNAL;
    goto out;
  }
  if (OSSL_DECODER_from_data(dctx, &p, &left) != 1 || pkey == NULL) goto out;
  k = malloc(sizeof(*k));
  if (k == NULL) {
    rv = MTK_ERR_NOMEM;
    goto out;
  }
  k->pkey = pkey;
  pkey = NULL;
  *out = k;
  rv = MTK_OK;
out:
  EVP_PKEY_free(pkey);
  OSSL_DECODER_CTX_free(dctx);
  ERR_pop_to_mark();
  return rv;
}

void mtk_pki_key_free(mtk_pki_key *k) {
  if (k == NULL) return;
  EVP_PKEY_free(k->pkey);
  free(k);
}

void mtk_pki_buf_wipe(mtk_buf *b) {
  if (b == NULL) return;
  if (b->p != NULL) OPENSSL_cleanse(b->p, b->alloc);
  mtk_buf_free(b);
}

/* ---- the key policy ----------------------------------------------------------------- */

/* The value of INTEGER contents of at most 8 octets; UINT64_MAX if wider. */
static uint64_t small_uint(mtk_cbs v) {
  while (v.len > 0 && v.p[0] == 0) {
    v.p++;
    v.len--;
  }
  if (v.len > 8) return UINT64_MAX;
  uint64_t r = 0;
  for (size_t i = 0; i < v.len; i++) r = (r << 8) | v.p[i];
  return r;
}

mtk_status pki_spki_check(const mtk_spki *k, const char *what, mtk_pki_err *err) {
  if (k->key_malformed)
    return pki_fail(err, MTK_ERR_PKI_WEAK_KEY, "%s does not decode as its algorithm requires",
                    what);
  switch (k->type) {
    case MTK_KEY_RSA: {
      if (k->bits < 2048)
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s is RSA-%u; at least 2048 bits are required (NIST SP 800-131A, CABF "
                        "BR 6.1.5)",
                        what, k->bits);
      if (k->bits > 16384 || k->bits % 8 != 0)
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s is RSA-%u; use 2048, 3072 or 4096 bits (a multiple of 8, CABF BR "
                        "6.1.5)",
                        what, k->bits);
      uint64_t e = small_uint(k->rsa_e);
      if (e < 65537 || (k->rsa_e.len > 0 && (k->rsa_e.p[k->rsa_e.len - 1] & 1) == 0))
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s has an RSA public exponent that is even or below 65537 (CABF BR "
                        "6.1.6)",
                        what);
      return MTK_OK;
    }
    case MTK_KEY_EC:
      if (k->ec_explicit || k->ec_implicit)
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s does not name its curve (explicit or implicit parameters, RFC 5480 "
                        "2.1.1)",
                        what);
      if (k->curve != MTK_OID_PRIME256V1 && k->curve != MTK_OID_SECP384R1 &&
          k->curve != MTK_OID_SECP521R1)
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s is on a curve other than P-256, P-384 or P-521, which TLS peers "
                        "may not support",
                        what);
      if (k->ec_point_form != 4)
        return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                        "%s has a compressed EC point; only the uncompressed form is "
                        "universally supported (RFC 5480 2.2)",
                        what);
      return MTK_OK;
    case MTK_KEY_ED25519:
      return MTK_OK;
    default:
      return pki_fail(err, MTK_ERR_PKI_WEAK_KEY,
                      "%s is a %s key; only RSA (2048+), EC P-256/P-384/P-521 and Ed25519 keys "
                      "are certified",
                      what, mtk_key_type_name(k->type));
  }
}

mtk_status pki_pkey_check(const EVP_PKEY *pkey, const char *what, mtk_pki_err *err) {
  ERR_set_mark();
  unsigned char *der = NULL;
  int n = i2d_PUBKEY(pkey, &der);
  ERR_pop_to_mark();
  if (n <= 0) return pki_fail(err, MTK_ERR_CRYPTO, "%s: OpenSSL cannot encode the public key", what);
  mtk_cbs c;
  mtk_cbs_init(&c, der, (size_t)n);
  mtk_spki spki;
  mtk_status st = mtk_spki_parse(&c, &spki, NULL);
  if (st != MTK_OK || c.len != 0)
    st = pki_fail(err, MTK_ERR_PKI_WEAK_KEY, "%s: the public key does not parse", what);
  else
    st = pki_spki_check(&spki, what, err);
  OPENSSL_free(der);
  return st;
}

mtk_status mtk_pki_key_check(const mtk_pki_key *k, mtk_pki_err *err) {
  if (k == NULL) return pki_fail(err, MTK_ERR_ARG, "no key");
  return pki_pkey_check(k->pkey, "the key", err);
}

const char *pki_sign_md(const EVP_PKEY *pkey) {
  if (EVP_PKEY_is_a(pkey, "ED25519")) return NULL;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    int bits = EVP_PKEY_get_bits(pkey);
    if (bits > 384) return "SHA512";
    if (bits > 256) return "SHA384";
  }
  return "SHA256";
}

/* ---- output --------------------------------------------------------------------- */

mtk_status mtk_pki_key_pem(const mtk_pki_key *k, mtk_buf *out) {
  if (k == NULL || out == NULL) return MTK_ERR_ARG;
  ERR_set_mark();
  unsigned char *data = NULL;
  size_t len = 0;
  mtk_status rv = MTK_ERR_CRYPTO;
  OSSL_ENCODER_CTX *ectx = OSSL_ENCODER_CTX_new_for_pkey(k->pkey, OSSL_KEYMGMT_SELECT_KEYPAIR,
                                                         "PEM", "PrivateKeyInfo", NULL);
  if (ectx != NULL && OSSL_ENCODER_CTX_get_num_encoders(ectx) > 0 &&
      OSSL_ENCODER_to_data(ectx, &data, &len) == 1 && data != NULL)
    rv = mtk_buf_append(out, data, len);
  if (data != NULL) OPENSSL_clear_free(data, len);
  OSSL_ENCODER_CTX_free(ectx);
  ERR_pop_to_mark();
  return rv;
}

mtk_status mtk_pki_key_spki(const mtk_pki_key *k, mtk_buf *out) {
  if (k == NULL || out == NULL) return MTK_ERR_ARG;
  ERR_set_mark();
  unsigned char *der = NULL;
  int n = i2d_PUBKEY(k->pkey, &der);
  ERR_pop_to_mark();
  if (n <= 0) return MTK_ERR_CRYPTO;
  mtk_status rv = mtk_buf_append(out, der, (size_t)n);
  OPENSSL_free(der);
  return rv;
}

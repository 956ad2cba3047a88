/* tlsconf.c: SSL_CTX setup shared by server and client mode (tlsconf.h). */
#include "tlsconf.h"

#include <stdio.h>

#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

bool pxy_ssl_store_strict(X509_STORE *st, const char *const *crls, size_t n_crls, char *err,
                          size_t errlen) {
  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (n_crls > 0) {
    X509_LOOKUP *lu = X509_STORE_add_lookup(st, X509_LOOKUP_file());
    for (size_t i = 0; i < n_crls; i++) {
      int n = lu != NULL ? X509_load_crl_file(lu, crls[i], X509_FILETYPE_PEM) : 0;
      if (n <= 0 && lu != NULL) {
        ERR_clear_error();
        n = X509_load_crl_file(lu, crls[i], X509_FILETYPE_ASN1);
      }
      if (n <= 0) {
        unsigned long e = ERR_peek_last_error();
        char buf[256] = "";
        if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
        const char *why = lu == NULL ? "no CRL lookup" : buf;
        (void)snprintf(err, errlen, "--crl %s%s%s", crls[i], why[0] ? ": " : "", why);
        ERR_clear_error();
        return false;
      }
    }
    flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
  }
  X509_STORE_set_flags(st, flags);
  /* Fill OpenSSL's per-certificate cache (extensions, SKID/AKID) of every
   * trust anchor now, on the building thread, before the SSL_CTX reaches the
   * workers: lazily filled by the first handshake, it is published by
   * libcrypto's own lock-free flag, which ThreadSanitizer cannot see. */
  STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(st);
  for (int i = 0; i < sk_X509_OBJECT_num(objs); i++) {
    X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
    if (x != NULL) (void)X509_check_purpose(x, -1, 0);
  }
  return true;
}

bool pxy_chain_profile(X509_STORE_CTX *sctx, mtk_purpose purpose, uint8_t *scratch,
                       mtk_verify_result *res, mtk_status *code, const char **why) {
  STACK_OF(X509) *sk = X509_STORE_CTX_get0_chain(sctx);
  int n = sk != NULL ? sk_X509_num(sk) : 0;
  *code = MTK_ERR_CHAIN_MALFORMED;
  if (n <= 0 || n > MTK_VERIFY_MAX_PATH) {
    *why = "no chain, or a chain too long";
    return false;
  }
  /* The DER of each certificate, one after the other in |scratch|
   * (i2d_X509 gives back the encoding OpenSSL parsed). */
  mtk_cbs chain[MTK_VERIFY_MAX_PATH];
  size_t used = 0;
  for (int i = 0; i < n; i++) {
    X509 *x = sk_X509_value(sk, i);
    int len = i2d_X509(x, NULL);
    unsigned char *p = scratch + used;
    if (len <= 0 || (size_t)len > PXY_CHAIN_DER_MAX - used || i2d_X509(x, &p) != len) {
      *why = "the chain is too large or cannot be encoded";
      return false;
    }
    mtk_cbs_init(&chain[i], scratch + used, (size_t)len);
    used += (size_t)len;
  }
  mtk_verify_opts vo;
  mtk_verify_opts_init(&vo, (mtk_time)time(NULL));
  vo.purpose = purpose;
  mtk_status st = mtk_verify_chain_profile(chain, (size_t)n, &vo, res);
  if (st == MTK_OK && res->valid) return true;
  const mtk_verify_path *vp = &res->paths[0];
  *code = st != MTK_OK ? st : res->code;
  *why = st != MTK_OK ? mtk_status_message(st)
         : vp->n_reasons > 0 ? vp->reasons[0].msg
                             : mtk_status_message(res->code);
  return false;
}

int pxy_profile_verr(mtk_status code, const char **reason) {
  switch (code) {
  case MTK_ERR_CHAIN_EKU:
    *reason = "eku";
    return X509_V_ERR_INVALID_PURPOSE; /* unsupported_certificate */
  case MTK_ERR_CHAIN_EXPIRED:
    *reason = "cert_expired";
    return X509_V_ERR_CERT_HAS_EXPIRED;
  case MTK_ERR_CHAIN_NOT_YET_VALID:
    *reason = "cert_not_yet_valid";
    return X509_V_ERR_CERT_NOT_YET_VALID;
  default:
    *reason = "cert_profile";
    return X509_V_ERR_CERT_REJECTED; /* bad_certificate */
  }
}

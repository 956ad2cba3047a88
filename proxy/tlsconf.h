/* tlsconf.h: SSL_CTX setup shared by the proxy's server mode (ctx.c) and
 * client mode (client.c). */
#ifndef MTK_PROXY_TLSCONF_H
#define MTK_PROXY_TLSCONF_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>
#include <openssl/x509_vfy.h>

#include "mtlskit/verify.h"

/* pxy_ssl_store_strict sets the verification flags of |st|: X509_STRICT, and
 * with |n_crls| > 0 loads each CRL file (PEM, else DER) into |st| and turns
 * on CRL_CHECK | CRL_CHECK_ALL (every certificate of the chain needs a
 * current CRL from its issuer: fail closed). false and "--crl FILE: why" in
 * |err| when a file does not load. Call it after the trust anchors are in
 * |st|: it also fills OpenSSL's extension cache of each of them on this
 * thread, before any worker reads them. */
bool pxy_ssl_store_strict(X509_STORE *st, const char *const *crls, size_t n_crls, char *err,
                          size_t errlen);


/* pxy_chain_profile runs mtlskit's strict verification profile
 * (mtk_verify_chain_profile, lib/verify) for |purpose| on the chain OpenSSL
 * has just built and verified in |sctx| (from a verify callback), without
 * building or verifying the path again. |scratch| (PXY_CHAIN_DER_MAX bytes)
 * takes the DER of the chain and |res| the result: both per worker. On
 * refusal: false, *code the first reason's status and *why its words (in
 * |res|, or static). */
#define PXY_CHAIN_DER_MAX ((size_t)64 << 10)
bool pxy_chain_profile(X509_STORE_CTX *sctx, mtk_purpose purpose, uint8_t *scratch,
                       mtk_verify_result *res, mtk_status *code, const char **why);

/* pxy_profile_verr: the X509_V_ERR_* (so the TLS alert) and the log reason
 * for a profile refusal with status |code|. */
int pxy_profile_verr(mtk_status code, const char **reason);

#endif

/* tlsconf.h: SSL_CTX setup shared by the proxy's server mode (ctx.c) and
 * client mode (client.c). */
#ifndef MTK_PROXY_TLSCONF_H
#define MTK_PROXY_TLSCONF_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509_vfy.h>

/* pxy_ssl_store_strict sets the verification flags of |st|: X509_STRICT, and
 * with |n_crls| > 0 loads each CRL file (PEM, else DER) into |st| and turns
 * on CRL_CHECK | CRL_CHECK_ALL (every certificate of the chain needs a
 * current CRL from its issuer: fail closed). false and "--crl FILE: why" in
 * |err| when a file does not load. */
bool pxy_ssl_store_strict(X509_STORE *st, const char *const *crls, size_t n_crls, char *err,
                          size_t errlen);

#endif

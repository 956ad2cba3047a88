/* tlsconf.c: SSL_CTX setup shared by server and client mode (tlsconf.h). */
#include "tlsconf.h"

#include <stdio.h>

#include <openssl/err.h>
#include <openssl/x509.h>

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
  return true;
}

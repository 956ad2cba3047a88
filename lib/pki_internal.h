/* pki_internal.h: what the files of the pki module share (pki.c: CAs,
 * leaves, CSRs; pki_key.c: keys; pki_names.c: name validation and the
 * subject parser). Not installed. */
#ifndef MTLSKIT_PKI_INTERNAL_H
#define MTLSKIT_PKI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mtlskit/pki.h"
#include "mtlskit/x509.h"

struct mtk_pki_key {
  EVP_PKEY *pkey;
};

/* pki_fail records |code| and a printf-style message in |err| (may be
 * NULL) and returns |code|. */
mtk_status pki_fail(mtk_pki_err *err, mtk_status code, const char *fmt, ...) MTK_PRINTF(3, 4);

/* ---- keys (pki_key.c) ------------------------------------------------------- */

/* pki_pkey_check applies mtk_pki_key_check's rules to any public key;
 * |what| names it in messages ("the CSR's key"). */
mtk_status pki_pkey_check(const EVP_PKEY *pkey, const char *what, mtk_pki_err *err);

/* pki_spki_check is the same over a parsed SubjectPublicKeyInfo. */
mtk_status pki_spki_check(const mtk_spki *k, const char *what, mtk_pki_err *err);

/* pki_sign_md is the digest name a key signs with ("SHA256" ...; NULL for
 * Ed25519). */
const char *pki_sign_md(const EVP_PKEY *pkey);

/* ---- names (pki_names.c) ----------------------------------------------------- */

/* One validated subjectAltName entry: |text| is the normalised text (host
 * names lower case, IP addresses in inet_ntop form), NUL-terminated and
 * free of NULs; |ip| the address octets for MTK_GN_IP. */
typedef struct pki_gn {
  mtk_gn_type type;   /* MTK_GN_DNS, MTK_GN_IP, MTK_GN_URI or MTK_GN_EMAIL */
  char *text;
  uint8_t ip[16];
  size_t ip_len;
  bool spiffe;
} pki_gn;

typedef struct pki_sans {
  pki_gn *v;
  size_t n, cap;
  size_t n_dns, n_ip, n_uri, n_email, n_spiffe;
} pki_sans;

/* pki_sans_add validates one entry of |type| given as |len| bytes of text
 * (IP addresses as text) and appends it, dropping an exact duplicate.
 * |what| names the source in messages ("--dns", "the CSR's dNSName").
 * MTK_ERR_PKI_NAME with the reason. */
mtk_status pki_sans_add(pki_sans *s, mtk_gn_type type, const uint8_t *p, size_t len,
                        const char *what, mtk_pki_err *err);
/* pki_sans_add_names adds every entry of |names|. */
mtk_status pki_sans_add_names(pki_sans *s, const mtk_pki_names *names, mtk_pki_err *err);
/* pki_sans_finish checks the whole list for |usage| (0: a CSR without a
 * usage): not empty, at most MTK_PKI_MAX_NAMES, a server has a dns or ip
 * entry, a SPIFFE ID is the only URI. MTK_ERR_PKI_NAME. */
mtk_status pki_sans_finish(const pki_sans *s, unsigned usage, mtk_pki_err *err);
void pki_sans_free(pki_sans *s);

/* pki_sans_first returns the first entry of |type|, or NULL. */
const pki_gn *pki_sans_first(const pki_sans *s, mtk_gn_type type);

/* pki_sans_matches_cn: the commonName value |cn| (|len| octets) repeats an
 * entry: a dNSName (ASCII case-insensitively) or an iPAddress (as parsed
 * text), or, unless |dns_ip_only|, a URI or e-mail address exactly. */
bool pki_sans_matches_cn(const pki_sans *s, const uint8_t *cn, size_t len, bool dns_ip_only);

/* pki_sans_general_names returns the entries as OpenSSL GENERAL_NAMES
 * (NULL on allocation failure). */
GENERAL_NAMES *pki_sans_general_names(const pki_sans *s);

/* pki_ip_text writes the 4 or 16 octets at |ip| as inet_ntop text. */
#define PKI_IP_TEXT_MAX 64
void pki_ip_text(const uint8_t *ip, size_t len, char *buf, size_t cap);

/* pki_check_url validates a --crl-url / --ocsp-url: an http:// URL of
 * printable ASCII (CABF BR 7.1.2.11.2, 7.1.2.7.7; clients fetch only
 * HTTP, since HTTPS would need the very chain being checked). */
mtk_status pki_check_url(const char *url, const char *what, mtk_pki_err *err);

/* pki_check_text validates a UTF-8 attribute value (no control
 * characters, 1..|max_chars| characters). */
mtk_status pki_check_text(const char *s, size_t len, size_t max_chars, const char *what,
                          mtk_pki_err *err);

/* pki_subject_parse parses mtk_pki_csr_opts.subject into a new X509_NAME
 * (see pki.h for the syntax). MTK_ERR_PKI_NAME with the reason. */
mtk_status pki_subject_parse(const char *s, X509_NAME **out, mtk_pki_err *err);

#endif

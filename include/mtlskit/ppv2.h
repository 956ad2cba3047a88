/* mtlskit/ppv2.h: PROXY protocol version 2 headers (HAProxy's
 * proxy-protocol.txt, section 2.2), encoder and strict decoder.
 *
 * The server-mode proxy sends one header to the backend before any data, so
 * the backend learns the client's address and its TLS identity:
 *
 *   12 octets  signature  \r\n\r\n\0\r\nQUIT\n
 *    1 octet   ver_cmd    0x21 PROXY (0x20 LOCAL: health check, no client)
 *    1 octet   family     0x11 TCP/IPv4, 0x21 TCP/IPv6, 0x31 UNIX stream,
 *                         0x00 UNSPEC (no addresses)
 *    2 octets  len        big-endian length of everything that follows
 *    addresses            IPv4: src, dst (4 each), src port, dst port (2 each)
 *                         IPv6: 16 + 16 + 2 + 2; UNIX: 108 + 108 (sun_path)
 *    TLVs                 type (1), length (2, big-endian), value
 *
 * TLVs mtlskit writes (2.2.1 - 2.2.7 of the spec):
 *   PP2_TYPE_ALPN (0x01)        the negotiated ALPN protocol, when given.
 *   PP2_TYPE_UNIQUE_ID (0x05)   a connection id, at most 128 octets.
 *   PP2_TYPE_SSL (0x20)         client flags (u8), verify (u32, 0 = the
 *                               client certificate was verified), then the
 *                               sub-TLVs VERSION (0x21, "TLSv1.3"), CN (0x22),
 *                               CIPHER (0x23), SIG_ALG (0x24), KEY_ALG (0x25)
 *                               and CLIENT_CERT (0x28: the client's
 *                               certificate, DER). 0x28 is the subtype the
 *                               current spec text defines (HAProxy 3.x;
 *                               ghostunnel sends it too), so a backend that
 *                               reads it needs nothing mtlskit-specific.
 *   MTK_PP2_TYPE_IDENTITY (0xE1) application range (0xE0-0xEF, 2.2.8): the
 *                               identity the access rule matched (a SPIFFE ID
 *                               or other URI SAN), UTF-8 as in the
 *                               certificate. 0xE0 is reserved by mtlskit and
 *                               not sent.
 *   PP2_TYPE_CRC32C (0x03)      optional, over the whole header (2.2.4).
 *
 * The total header is at most 16 + 65535 octets: the encoder refuses
 * (MTK_ERR_PPV2_TOO_LONG) rather than truncate a certificate. A client
 * certificate chain is not sent, only the leaf. */
#ifndef MTLSKIT_PPV2_H
#define MTLSKIT_PPV2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mtlskit/buf.h"
#include "mtlskit/der.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MTK_PP2_SIGNATURE "\r\n\r\n\0\r\nQUIT\n" /* 12 octets (sizeof - 1) */
#define MTK_PP2_HEADER_MIN 16                    /* signature + 4 */
#define MTK_PP2_HEADER_MAX (16 + 65535)

#define MTK_PP2_CMD_LOCAL 0x20
#define MTK_PP2_CMD_PROXY 0x21

#define MTK_PP2_FAM_UNSPEC 0x00
#define MTK_PP2_FAM_TCP4 0x11
#define MTK_PP2_FAM_UDP4 0x12
#define MTK_PP2_FAM_TCP6 0x21
#define MTK_PP2_FAM_UDP6 0x22
#define MTK_PP2_FAM_UNIX_STREAM 0x31
#define MTK_PP2_FAM_UNIX_DGRAM 0x32

#define MTK_PP2_TYPE_ALPN 0x01
#define MTK_PP2_TYPE_AUTHORITY 0x02
#define MTK_PP2_TYPE_CRC32C 0x03
#define MTK_PP2_TYPE_NOOP 0x04
#define MTK_PP2_TYPE_UNIQUE_ID 0x05
#define MTK_PP2_TYPE_SSL 0x20
#define MTK_PP2_SUBTYPE_SSL_VERSION 0x21
#define MTK_PP2_SUBTYPE_SSL_CN 0x22
#define MTK_PP2_SUBTYPE_SSL_CIPHER 0x23
#define MTK_PP2_SUBTYPE_SSL_SIG_ALG 0x24
#define MTK_PP2_SUBTYPE_SSL_KEY_ALG 0x25
#define MTK_PP2_SUBTYPE_SSL_GROUP 0x26
#define MTK_PP2_SUBTYPE_SSL_SIG_SCHEME 0x27
#define MTK_PP2_SUBTYPE_SSL_CLIENT_CERT 0x28
#define MTK_PP2_TYPE_NETNS 0x30
#define MTK_PP2_TYPE_IDENTITY 0xE1 /* mtlskit: the authorized identity (URI SAN) */

#define MTK_PP2_CLIENT_SSL 0x01
#define MTK_PP2_CLIENT_CERT_CONN 0x02
#define MTK_PP2_CLIENT_CERT_SESS 0x04

#define MTK_PP2_UNIQUE_ID_MAX 128 /* 2.2.5 */

/* mtk_ppv2_fields is what the encoder writes. Pointers are borrowed for the
 * call only; every (pointer, length) pair with length 0 (or a NULL string)
 * means "absent" and its TLV is not written. */
typedef struct mtk_ppv2_fields {
  bool local;  /* LOCAL command (health check): family UNSPEC, no addresses,
                  no TLVs; every other field is ignored */
  /* Addresses: both AF_INET, both AF_INET6 (an IPv4 one beside an IPv6 one
   * is written as IPv4-mapped IPv6), or both AF_UNIX. NULL or another mix:
   * family UNSPEC with no address block (2.2: the backend then uses the
   * real connection endpoints). src is the client, dst the address the
   * proxy accepted it on. */
  const struct sockaddr_storage *src;
  const struct sockaddr_storage *dst;
  /* TLS: when |tls| is false no PP2_TYPE_SSL is written. */
  bool tls;
  bool cert_conn;       /* PP2_CLIENT_CERT_CONN: a certificate on this connection */
  bool cert_sess;       /* PP2_CLIENT_CERT_SESS: a certificate in its session */
  bool verified;        /* verify field 0 when true, 1 otherwise */
  const char *version;  /* "TLSv1.3" (SSL_get_version), NUL-terminated */
  const char *cipher;   /* "TLS_AES_128_GCM_SHA256" (SSL_CIPHER_get_name) */
  const char *sig_alg;  /* client certificate signature algorithm, e.g. "ecdsa-with-SHA256" */
  const char *key_alg;  /* client certificate key algorithm, e.g. "EC256" */
  const uint8_t *cn;    /* subject commonName, UTF-8, any bytes */
  size_t cn_len;
  const uint8_t *cert_der; /* the client's leaf certificate, DER */
  size_t cert_der_len;
  const uint8_t *identity; /* MTK_PP2_TYPE_IDENTITY: the matched URI/SPIFFE ID */
  size_t identity_len;
  const uint8_t *unique_id; /* PP2_TYPE_UNIQUE_ID, at most 128 octets */
  size_t unique_id_len;
  const uint8_t *alpn;  /* PP2_TYPE_ALPN */
  size_t alpn_len;
  bool crc32c;          /* append a PP2_TYPE_CRC32C over the header */
} mtk_ppv2_fields;

/* mtk_ppv2_encoded_len computes the size of the header |f| encodes to into
 * |*out_len|. MTK_ERR_PPV2_TOO_LONG if it would pass 16 + 65535 octets (or a
 * TLV its 65535-octet value limit), MTK_ERR_ARG for a unique id over 128
 * octets. A UNIX path is copied up to its NUL and zero-padded to 108 octets
 * (an abstract name, first octet NUL, as all 108). No allocation. */
MTK_EXPORT mtk_status mtk_ppv2_encoded_len(const mtk_ppv2_fields *f,
                                           size_t *out_len) MTK_MUST_CHECK;

/* mtk_ppv2_encode writes the header for |f| into |out| (|cap| octets) and
 * its length into |*out_len|. MTK_ERR_BUFFER (nothing usable written) if
 * |cap| is too small; other errors as mtk_ppv2_encoded_len. No allocation:
 * a proxy can write straight into its backend-bound buffer. */
MTK_EXPORT mtk_status mtk_ppv2_encode(const mtk_ppv2_fields *f, uint8_t *out, size_t cap,
                                      size_t *out_len) MTK_MUST_CHECK;

/* mtk_ppv2_append is mtk_ppv2_encode appending to |b|. On failure |b| is as
 * before (its length unchanged); MTK_ERR_LIMIT/NOMEM when |b| cannot grow. */
MTK_EXPORT mtk_status mtk_ppv2_append(mtk_buf *b, const mtk_ppv2_fields *f) MTK_MUST_CHECK;

/* mtk_ppv2_crc32c returns the CRC32C (Castagnoli, RFC 3720 B.4) of |p|/|n|,
 * as PP2_TYPE_CRC32C uses it. */
MTK_EXPORT uint32_t mtk_ppv2_crc32c(const uint8_t *p, size_t n);

/* mtk_ppv2_header is a decoded header. The mtk_cbs members are views into
 * the input (valid while it lives); an absent TLV has p == NULL, len 0. */
typedef struct mtk_ppv2_header {
  size_t header_len;   /* octets the header takes (16 + len) */
  uint8_t command;     /* MTK_PP2_CMD_LOCAL or MTK_PP2_CMD_PROXY */
  uint8_t family;      /* MTK_PP2_FAM_* */
  /* Addresses, AF_UNSPEC for family UNSPEC. Also filled for LOCAL, whose
   * addresses a receiver must ignore (2.2). */
  struct sockaddr_storage src;
  struct sockaddr_storage dst;
  bool has_ssl;
  uint8_t ssl_client;  /* MTK_PP2_CLIENT_* */
  uint32_t ssl_verify; /* 0: the client certificate was verified */
  mtk_cbs ssl_version, ssl_cn, ssl_cipher, ssl_sig_alg, ssl_key_alg, ssl_group,
      ssl_sig_scheme, client_cert;
  mtk_cbs alpn, authority, unique_id, netns, identity;
  bool has_crc32c;     /* present and matched */
  size_t unknown_tlvs; /* TLVs of other types, skipped (2.2: receivers
                          ignore unknown types) */
} mtk_ppv2_header;

/* mtk_ppv2_decode reads one header from the front of |in| and advances |in|
 * past it (only on success). It checks, in order, with the error codes:
 *   MTK_ERR_PPV2_SIGNATURE  the first octets are not the signature (reported
 *                           as soon as any available octet differs)
 *   MTK_ERR_PPV2_TRUNCATED  fewer octets than the header needs: a stream
 *                           reader waits for more and calls again
 *   MTK_ERR_PPV2_VERSION    version not 2, command not LOCAL/PROXY
 *   MTK_ERR_PPV2_FAMILY     a family byte not listed in 2.2
 *   MTK_ERR_PPV2_LENGTH     len shorter than the family's address block
 *   MTK_ERR_PPV2_TLV        a TLV overruns the header; ALPN, AUTHORITY,
 *                           IDENTITY empty; UNIQUE_ID over 128 octets;
 *                           CRC32C not 4 octets
 *   MTK_ERR_PPV2_SSL_TLV    SSL value under 5 octets, client flags outside
 *                           0x07 (or CERT flags without PP2_CLIENT_SSL), a
 *                           sub-TLV overrun, a sub-TLV type outside
 *                           0x21-0x2F, or an empty sub-TLV value
 *   MTK_ERR_PPV2_DUPLICATE  a known TLV or SSL sub-TLV twice
 *   MTK_ERR_PPV2_CRC        CRC32C present and wrong
 * Offsets in |d| (may be NULL) are relative to the start of |in|. */
MTK_EXPORT mtk_status mtk_ppv2_decode(mtk_cbs *in, mtk_ppv2_header *out,
                                      mtk_diag *d) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_PPV2_H */

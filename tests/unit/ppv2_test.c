/* ppv2_test.c: tests for lib/ppv2.c (PROXY protocol v2). The byte vectors
 * are written by hand from HAProxy's proxy-protocol.txt 2.2. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "mtlskit/ppv2.h"
#include "test.h"

static struct sockaddr_storage v4(const char *ip, uint16_t port) {
  struct sockaddr_storage ss;
  struct sockaddr_in a;
  memset(&ss, 0, sizeof ss);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) abort();
  memcpy(&ss, &a, sizeof a);
  return ss;
}

static struct sockaddr_storage v6(const char *ip, uint16_t port) {
  struct sockaddr_storage ss;
  struct sockaddr_in6 a;
  memset(&ss, 0, sizeof ss);
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(port);
  if (inet_pton(AF_INET6, ip, &a.sin6_addr) != 1) abort();
  memcpy(&ss, &a, sizeof a);
  return ss;
}

static struct sockaddr_storage unixaddr(const char *path) {
  struct sockaddr_storage ss;
  struct sockaddr_un a;
  memset(&ss, 0, sizeof ss);
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  memcpy(a.sun_path, path, strlen(path));
  memcpy(&ss, &a, sizeof a);
  return ss;
}

static bool cbs_is(const mtk_cbs *c, const char *s) {
  return c->p != NULL && mtk_cbs_eq_bytes(c, (const uint8_t *)s, strlen(s));
}

/* IPv4, TLS 1.3, CN "alice", verified, certificate on this connection. */
static const char k_v4[] =
    "\r\n\r\n\0\r\nQUIT\n"  /* signature */
    "\x21\x11\x00\x3F"      /* PROXY, TCP/IPv4, len 63 */
    "\xC0\x00\x02\x01"      /* 192.0.2.1 */
    "\xC6\x33\x64\x07"      /* 198.51.100.7 */
    "\xDC\x04\x01\xBB"      /* 56324, 443 */
    "\x20\x00\x30"          /* PP2_TYPE_SSL, 48 */
    "\x03\x00\x00\x00\x00"  /* CLIENT_SSL|CERT_CONN, verify 0 */
    "\x21\x00\x07" "TLSv1.3"
    "\x22\x00\x05" "alice"
    "\x23\x00\x16" "TLS_AES_128_GCM_SHA256";

/* IPv6, no TLS, UNIQUE_ID "abc", mtlskit identity TLV. */
static const char k_v6[] =
    "\r\n\r\n\0\r\nQUIT\n"
    "\x21\x21\x00\x43"  /* PROXY, TCP/IPv6, len 67 */
    "\x20\x01\x0D\xB8\0\0\0\0\0\0\0\0\0\0\0\x01"  /* 2001:db8::1 */
    "\x20\x01\x0D\xB8\0\0\0\0\0\0\0\0\0\0\0\x02"  /* 2001:db8::2 */
    "\x9C\x40\x20\xFB"  /* 40000, 8443 */
    "\x05\x00\x03" "abc"
    "\xE1\x00\x16" "spiffe://example.org/w";

static mtk_ppv2_fields v4_fields(struct sockaddr_storage *s, struct sockaddr_storage *d) {
  *s = v4("192.0.2.1", 56324);
  *d = v4("198.51.100.7", 443);
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = s;
  f.dst = d;
  f.tls = true;
  f.cert_conn = true;
  f.verified = true;
  f.version = "TLSv1.3";
  f.cipher = "TLS_AES_128_GCM_SHA256";
  f.cn = (const uint8_t *)"alice";
  f.cn_len = 5;
  return f;
}

TEST(crc32c_check_value) {
  /* RFC 3720 B.4 / the common check value of CRC-32C. */
  CHECK_EQ_INT(mtk_ppv2_crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
  CHECK_EQ_INT(mtk_ppv2_crc32c(NULL, 0), 0);
}

TEST(encode_ipv4_exact) {
  struct sockaddr_storage s, d;
  mtk_ppv2_fields f = v4_fields(&s, &d);
  uint8_t out[256];
  size_t n = 0, want = 0;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &want), MTK_OK);
  CHECK_EQ_INT(want, sizeof k_v4 - 1);
  CHECK_STATUS(mtk_ppv2_encode(&f, out, sizeof out, &n), MTK_OK);
  CHECK_EQ_INT(n, sizeof k_v4 - 1);
  CHECK(memcmp(out, k_v4, sizeof k_v4 - 1) == 0);
  /* One octet short of room. */
  CHECK_STATUS(mtk_ppv2_encode(&f, out, want - 1, &n), MTK_ERR_BUFFER);
  CHECK_EQ_INT(n, 0);
}

TEST(decode_ipv4_exact) {
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&in, (const uint8_t *)k_v4, sizeof k_v4 - 1);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, &d), MTK_OK);
  CHECK_EQ_INT(in.len, 0);
  CHECK_EQ_INT(h.header_len, 79);
  CHECK_EQ_INT(h.command, MTK_PP2_CMD_PROXY);
  CHECK_EQ_INT(h.family, MTK_PP2_FAM_TCP4);
  struct sockaddr_in a;
  memcpy(&a, &h.src, sizeof a);
  CHECK_EQ_INT(a.sin_family, AF_INET);
  CHECK_EQ_INT(ntohs(a.sin_port), 56324);
  CHECK_EQ_INT(ntohl(a.sin_addr.s_addr), 0xC0000201u);
  memcpy(&a, &h.dst, sizeof a);
  CHECK_EQ_INT(ntohs(a.sin_port), 443);
  CHECK_EQ_INT(ntohl(a.sin_addr.s_addr), 0xC6336407u);
  CHECK(h.has_ssl);
  CHECK_EQ_INT(h.ssl_client, MTK_PP2_CLIENT_SSL | MTK_PP2_CLIENT_CERT_CONN);
  CHECK_EQ_INT(h.ssl_verify, 0);
  CHECK(cbs_is(&h.ssl_version, "TLSv1.3"));
  CHECK(cbs_is(&h.ssl_cn, "alice"));
  CHECK(cbs_is(&h.ssl_cipher, "TLS_AES_128_GCM_SHA256"));
  CHECK(h.client_cert.p == NULL && h.identity.p == NULL && h.unique_id.p == NULL);
  CHECK(!h.has_crc32c);
  CHECK_EQ_INT(h.unknown_tlvs, 0);
}

TEST(ipv6_exact_both_ways) {
  struct sockaddr_storage s = v6("2001:db8::1", 40000), d = v6("2001:db8::2", 8443);
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &s;
  f.dst = &d;
  f.unique_id = (const uint8_t *)"abc";
  f.unique_id_len = 3;
  f.identity = (const uint8_t *)"spiffe://example.org/w";
  f.identity_len = 22;
  mtk_buf b;
  mtk_buf_init(&b, 1024);
  CHECK_STATUS(mtk_ppv2_append(&b, &f), MTK_OK);
  CHECK_EQ_INT(b.len, sizeof k_v6 - 1);
  CHECK(b.len == sizeof k_v6 - 1 && memcmp(b.p, k_v6, b.len) == 0);
  mtk_buf_free(&b);

  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_cbs_init(&in, (const uint8_t *)k_v6, sizeof k_v6 - 1);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
  CHECK_EQ_INT(h.family, MTK_PP2_FAM_TCP6);
  struct sockaddr_in6 a;
  memcpy(&a, &h.src, sizeof a);
  CHECK_EQ_INT(a.sin6_family, AF_INET6);
  CHECK_EQ_INT(ntohs(a.sin6_port), 40000);
  CHECK(memcmp(&a.sin6_addr, k_v6 + 16, 16) == 0);
  memcpy(&a, &h.dst, sizeof a);
  CHECK_EQ_INT(ntohs(a.sin6_port), 8443);
  CHECK(!h.has_ssl);
  CHECK(cbs_is(&h.unique_id, "abc"));
  CHECK(cbs_is(&h.identity, "spiffe://example.org/w"));
}

TEST(local_command) {
  static const uint8_t want[] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51,
                                 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00};
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.local = true;
  f.tls = true; /* ignored for LOCAL */
  uint8_t out[32];
  size_t n = 0;
  CHECK_STATUS(mtk_ppv2_encode(&f, out, sizeof out, &n), MTK_OK);
  CHECK(n == sizeof want && memcmp(out, want, n) == 0);
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_cbs_init(&in, want, sizeof want);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
  CHECK_EQ_INT(h.command, MTK_PP2_CMD_LOCAL);
  CHECK_EQ_INT(h.family, MTK_PP2_FAM_UNSPEC);
  CHECK_EQ_INT(h.src.ss_family, AF_UNSPEC);
  CHECK_EQ_INT(h.header_len, 16);
}

TEST(round_trip_everything) {
  uint8_t cert[3000];
  for (size_t i = 0; i < sizeof cert; i++) cert[i] = (uint8_t)(i * 7);
  struct sockaddr_storage s = v4("203.0.113.9", 1), d = v6("2001:db8::9", 2);
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &s;
  f.dst = &d; /* mixed: IPv4-mapped IPv6 */
  f.tls = true;
  f.cert_conn = f.cert_sess = true;
  f.verified = false;
  f.version = "TLSv1.2";
  f.cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
  f.sig_alg = "ecdsa-with-SHA256";
  f.key_alg = "EC256";
  f.cn = (const uint8_t *)"a\0b";
  f.cn_len = 3;
  f.cert_der = cert;
  f.cert_der_len = sizeof cert;
  f.identity = (const uint8_t *)"spiffe://x/y";
  f.identity_len = 12;
  f.alpn = (const uint8_t *)"h2";
  f.alpn_len = 2;
  f.unique_id = (const uint8_t *)"id";
  f.unique_id_len = 2;
  f.crc32c = true;
  mtk_buf b;
  mtk_buf_init(&b, 1 << 20);
  CHECK_STATUS(mtk_buf_append(&b, "x", 1), MTK_OK);
  CHECK_STATUS(mtk_ppv2_append(&b, &f), MTK_OK);
  CHECK_STATUS(mtk_buf_append(&b, "payload", 7), MTK_OK);
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_cbs_init(&in, b.p + 1, b.len - 1);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
  CHECK(in.len == 7 && memcmp(in.p, "payload", 7) == 0);
  CHECK_EQ_INT(h.family, MTK_PP2_FAM_TCP6);
  struct sockaddr_in6 a;
  memcpy(&a, &h.src, sizeof a);
  static const uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 203, 0, 113, 9};
  CHECK(memcmp(&a.sin6_addr, mapped, 16) == 0);
  CHECK_EQ_INT(ntohs(a.sin6_port), 1);
  CHECK(h.has_ssl && h.has_crc32c);
  CHECK_EQ_INT(h.ssl_client, 7);
  CHECK_EQ_INT(h.ssl_verify, 1);
  CHECK(cbs_is(&h.ssl_version, "TLSv1.2"));
  CHECK(cbs_is(&h.ssl_sig_alg, "ecdsa-with-SHA256"));
  CHECK(cbs_is(&h.ssl_key_alg, "EC256"));
  CHECK(mtk_cbs_eq_bytes(&h.ssl_cn, (const uint8_t *)"a\0b", 3));
  CHECK(mtk_cbs_eq_bytes(&h.client_cert, cert, sizeof cert));
  CHECK(cbs_is(&h.identity, "spiffe://x/y"));
  CHECK(cbs_is(&h.alpn, "h2"));
  CHECK(cbs_is(&h.unique_id, "id"));

  /* Any flipped octet after the fixed part is caught (CRC or structure). */
  size_t hl = h.header_len;
  for (size_t i = 16; i < hl; i += 97) {
    b.p[1 + i] ^= 0x01;
    mtk_cbs_init(&in, b.p + 1, b.len - 1);
    CHECK(mtk_ppv2_decode(&in, &h, NULL) != MTK_OK);
    b.p[1 + i] ^= 0x01;
  }
  /* The CRC value itself tampered: exactly MTK_ERR_PPV2_CRC. */
  b.p[1 + hl - 1] ^= 0x80;
  mtk_cbs_init(&in, b.p + 1, b.len - 1);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_ERR_PPV2_CRC);
  mtk_buf_free(&b);
}

TEST(unix_addresses) {
  struct sockaddr_storage s = unixaddr("/run/client.sock"), d = unixaddr("/run/mtlskit.sock");
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &s;
  f.dst = &d;
  uint8_t out[512];
  size_t n = 0;
  CHECK_STATUS(mtk_ppv2_encode(&f, out, sizeof out, &n), MTK_OK);
  CHECK_EQ_INT(n, 16 + 216);
  CHECK_EQ_INT(out[13], MTK_PP2_FAM_UNIX_STREAM);
  CHECK_EQ_INT(out[14], 0);
  CHECK_EQ_INT(out[15], 216);
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_cbs_init(&in, out, n);
  CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
  struct sockaddr_un a;
  memcpy(&a, &h.dst, sizeof a);
  CHECK_EQ_INT(a.sun_family, AF_UNIX);
  CHECK_STR(a.sun_path, "/run/mtlskit.sock");
  /* Unknown or mismatched families: UNSPEC, no addresses. */
  struct sockaddr_storage v = v4("192.0.2.1", 1);
  f.dst = &v;
  CHECK_STATUS(mtk_ppv2_encode(&f, out, sizeof out, &n), MTK_OK);
  CHECK_EQ_INT(n, 16);
  CHECK_EQ_INT(out[13], MTK_PP2_FAM_UNSPEC);
}

static mtk_status dec(const uint8_t *p, size_t n, size_t *off) {
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&in, p, n);
  mtk_status s = mtk_ppv2_decode(&in, &h, &d);
  if (off != NULL) *off = d.err.offset;
  if (s != MTK_OK && (in.p != p || in.len != n)) return MTK_ERR_INTERNAL; /* moved */
  return s;
}

TEST(decode_truncated_every_prefix) {
  for (size_t n = 0; n < sizeof k_v4 - 1; n++)
    CHECK_STATUS(dec((const uint8_t *)k_v4, n, NULL), MTK_ERR_PPV2_TRUNCATED);
  for (size_t n = 0; n < sizeof k_v6 - 1; n++)
    CHECK_STATUS(dec((const uint8_t *)k_v6, n, NULL), MTK_ERR_PPV2_TRUNCATED);
}

TEST(decode_negatives) {
  uint8_t x[sizeof k_v4];
  size_t n = sizeof k_v4 - 1, off = 0;
#define RESET() memcpy(x, k_v4, n)
  RESET();
  x[0] = 'G'; /* "GET / HTTP/1.1" */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_SIGNATURE);
  CHECK_EQ_INT(off, 0);
  CHECK_STATUS(dec(x, 1, NULL), MTK_ERR_PPV2_SIGNATURE); /* early, on one octet */
  RESET();
  x[11] = 0x0B;
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_SIGNATURE);
  CHECK_EQ_INT(off, 11);
  RESET();
  x[12] = 0x11; /* version 1 */
  CHECK_STATUS(dec(x, 13, NULL), MTK_ERR_PPV2_VERSION);
  RESET();
  x[12] = 0x22; /* command 2 */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_VERSION);
  RESET();
  x[13] = 0x41;
  CHECK_STATUS(dec(x, 14, &off), MTK_ERR_PPV2_FAMILY);
  CHECK_EQ_INT(off, 13);
  RESET();
  x[13] = 0x13; /* AF_INET, protocol 3 */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_FAMILY);
  RESET();
  x[13] = MTK_PP2_FAM_TCP6; /* len 63 < 36 + ... fine; but TLVs then misparse */
  CHECK(dec(x, n, NULL) != MTK_OK);
  RESET();
  x[13] = MTK_PP2_FAM_UNIX_STREAM; /* needs 216, len is 63 */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_LENGTH);
  RESET();
  x[15] = 4; /* len 4 < 12 address octets */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_LENGTH);
  CHECK_EQ_INT(off, 14);
  RESET();
  x[15] = 0x3E; /* len one short: the SSL TLV overruns */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_TLV);
  CHECK_EQ_INT(off, 28);
  RESET();
  x[30] = 0x31; /* SSL TLV length 49 > what is left */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_TLV);
  RESET();
  x[31] = 0x09; /* unknown client flag 0x08 */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_SSL_TLV);
  CHECK_EQ_INT(off, 31);
  RESET();
  x[31] = 0x02; /* CERT_CONN without CLIENT_SSL */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_SSL_TLV);
  RESET();
  x[36] = 0x05; /* a top-level type as SSL sub-TLV */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_SSL_TLV);
  CHECK_EQ_INT(off, 36);
  RESET();
  x[39 + 7] = 0x21; /* CN sub-TLV retyped as VERSION: duplicate */
  CHECK_STATUS(dec(x, n, &off), MTK_ERR_PPV2_DUPLICATE);
  CHECK_EQ_INT(off, 46);
  RESET();
  x[38] = 0x08; /* VERSION sub-TLV length 8: the CN sub-TLV then misparses */
  CHECK(dec(x, n, NULL) != MTK_OK);
  RESET();
  x[37] = 0xFF; /* sub-TLV overruns the SSL value */
  CHECK_STATUS(dec(x, n, NULL), MTK_ERR_PPV2_SSL_TLV);
#undef RESET
}

TEST(decode_tlv_rules) {
  /* Header with the v4 addresses of k_v4, then |tlvs|. */
  uint8_t x[600];
  size_t off = 0;
#define BUILD(tlvs, tlen)                                        \
  do {                                                           \
    memcpy(x, k_v4, 28);                                         \
    x[14] = (uint8_t)((12 + (tlen)) >> 8);                        \
    x[15] = (uint8_t)(12 + (tlen));                               \
    memcpy(x + 28, (tlvs), (tlen));                               \
  } while (0)
  static const uint8_t dup_ssl[] = {0x20, 0, 5, 1, 0, 0, 0, 0, 0x20, 0, 5, 1, 0, 0, 0, 0};
  BUILD(dup_ssl, sizeof dup_ssl);
  CHECK_STATUS(dec(x, 28 + sizeof dup_ssl, &off), MTK_ERR_PPV2_DUPLICATE);
  CHECK_EQ_INT(off, 36);
  static const uint8_t short_ssl[] = {0x20, 0, 4, 1, 0, 0, 0};
  BUILD(short_ssl, sizeof short_ssl);
  CHECK_STATUS(dec(x, 28 + sizeof short_ssl, NULL), MTK_ERR_PPV2_SSL_TLV);
  static const uint8_t noop_unknown[] = {0x04, 0, 2, 0, 0, 0x04, 0, 0, 0xEE, 0, 1, 9, 0xE5, 0, 0};
  BUILD(noop_unknown, sizeof noop_unknown);
  {
    mtk_cbs in;
    mtk_ppv2_header h;
    mtk_cbs_init(&in, x, 28 + sizeof noop_unknown);
    CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
    CHECK_EQ_INT(h.unknown_tlvs, 2);
  }
  static const uint8_t empty_alpn[] = {0x01, 0, 0};
  BUILD(empty_alpn, sizeof empty_alpn);
  CHECK_STATUS(dec(x, 28 + sizeof empty_alpn, NULL), MTK_ERR_PPV2_TLV);
  static const uint8_t crc3[] = {0x03, 0, 3, 1, 2, 3};
  BUILD(crc3, sizeof crc3);
  CHECK_STATUS(dec(x, 28 + sizeof crc3, NULL), MTK_ERR_PPV2_TLV);
  uint8_t uid[3 + 129];
  uid[0] = 0x05;
  uid[1] = 0;
  uid[2] = 129;
  memset(uid + 3, 'u', 129);
  BUILD(uid, sizeof uid);
  CHECK_STATUS(dec(x, 28 + sizeof uid, NULL), MTK_ERR_PPV2_TLV);
  uid[2] = 128;
  BUILD(uid, sizeof uid - 1);
  CHECK_STATUS(dec(x, 28 + sizeof uid - 1, NULL), MTK_OK);
  static const uint8_t half_tlv[] = {0x20, 0};
  BUILD(half_tlv, sizeof half_tlv);
  CHECK_STATUS(dec(x, 28 + sizeof half_tlv, NULL), MTK_ERR_PPV2_TLV);
  static const uint8_t empty_sub[] = {0x20, 0, 8, 1, 0, 0, 0, 0, 0x22, 0, 0};
  BUILD(empty_sub, sizeof empty_sub);
  CHECK_STATUS(dec(x, 28 + sizeof empty_sub, NULL), MTK_ERR_PPV2_SSL_TLV);
#undef BUILD
}

TEST(encode_limits) {
  struct sockaddr_storage s = v4("192.0.2.1", 1), d = v4("192.0.2.2", 2);
  size_t big = 70000;
  uint8_t *cert = calloc(1, big);
  CHECK(cert != NULL);
  if (cert == NULL) return;
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &s;
  f.dst = &d;
  f.tls = true;
  f.cert_der = cert;
  /* len = 12 addresses + 3 + (5 + 3 + cert): at most 65535. */
  size_t n = 0;
  f.cert_der_len = 65512;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &n), MTK_OK);
  CHECK_EQ_INT(n, MTK_PP2_HEADER_MAX);
  uint8_t *out = malloc(MTK_PP2_HEADER_MAX);
  CHECK(out != NULL);
  if (out != NULL) {
    CHECK_STATUS(mtk_ppv2_encode(&f, out, MTK_PP2_HEADER_MAX, &n), MTK_OK);
    mtk_cbs in;
    mtk_ppv2_header h;
    mtk_cbs_init(&in, out, n);
    CHECK_STATUS(mtk_ppv2_decode(&in, &h, NULL), MTK_OK);
    CHECK_EQ_INT(h.client_cert.len, 65512);
    free(out);
  }
  f.cert_der_len = 65513;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &n), MTK_ERR_PPV2_TOO_LONG);
  CHECK_EQ_INT(n, 0);
  f.cert_der_len = big;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &n), MTK_ERR_PPV2_TOO_LONG);
  f.cert_der_len = 40000; /* each fits; together they do not */
  f.identity = cert;
  f.identity_len = 30000;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &n), MTK_ERR_PPV2_TOO_LONG);
  f.identity_len = 0;
  f.unique_id = cert;
  f.unique_id_len = 129;
  CHECK_STATUS(mtk_ppv2_encoded_len(&f, &n), MTK_ERR_ARG);
  f.unique_id_len = 0;
  /* A buffer whose cap is too small is left as it was. */
  mtk_buf b;
  mtk_buf_init(&b, 100);
  CHECK_STATUS(mtk_buf_append(&b, "abc", 3), MTK_OK);
  CHECK_STATUS(mtk_ppv2_append(&b, &f), MTK_ERR_LIMIT);
  CHECK_EQ_INT(b.len, 3);
  f.cert_der_len = 70000;
  CHECK_STATUS(mtk_ppv2_append(&b, &f), MTK_ERR_PPV2_TOO_LONG);
  mtk_buf_free(&b);
  free(cert);
}

int main(void) {
  RUN(crc32c_check_value);
  RUN(encode_ipv4_exact);
  RUN(decode_ipv4_exact);
  RUN(ipv6_exact_both_ways);
  RUN(local_command);
  RUN(round_trip_everything);
  RUN(unix_addresses);
  RUN(decode_truncated_every_prefix);
  RUN(decode_negatives);
  RUN(decode_tlv_rules);
  RUN(encode_limits);
  return test_summary();
}

/* ppv2.c: PROXY protocol v2 header encoder and strict decoder (ppv2.h).
 * Section numbers are those of HAProxy's doc/proxy-protocol.txt. */
#include "mtlskit/ppv2.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#define SIG_LEN 12
#define UNIX_PATH 108 /* 2.2: "char src_addr[108]" */

_Static_assert(sizeof(((struct sockaddr_un *)0)->sun_path) == UNIX_PATH,
               "sun_path is 108 octets on this platform");
_Static_assert(sizeof(MTK_PP2_SIGNATURE) - 1 == SIG_LEN, "signature is 12 octets");

static const uint8_t k_sig[SIG_LEN] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                       0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

/* ---- CRC32C ------------------------------------------------------------ */

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return crc;
}

uint32_t mtk_ppv2_crc32c(const uint8_t *p, size_t n) {
  return ~crc_update(0xFFFFFFFFu, p, n);
}

/* ---- encoder ------------------------------------------------------------- */

/* family_of picks the address family for |f| and the address block size. */
static uint8_t family_of(const mtk_ppv2_fields *f, size_t *alen) {
  *alen = 0;
  if (f->local || f->src == NULL || f->dst == NULL) return MTK_PP2_FAM_UNSPEC;
  int a = f->src->ss_family, b = f->dst->ss_family;
  if (a == AF_INET && b == AF_INET) {
    *alen = 12;
    return MTK_PP2_FAM_TCP4;
  }
  if ((a == AF_INET6 || a == AF_INET) && (b == AF_INET6 || b == AF_INET)) {
    *alen = 36;
    return MTK_PP2_FAM_TCP6;
  }
  if (a == AF_UNIX && b == AF_UNIX) {
    *alen = 2 * UNIX_PATH;
    return MTK_PP2_FAM_UNIX_STREAM;
  }
  return MTK_PP2_FAM_UNSPEC;
}

static size_t cstr_len(const char *s) { return s == NULL ? 0 : strlen(s); }

/* ssl_value_len: the PP2_TYPE_SSL value size (may exceed 65535). */
static size_t ssl_value_len(const mtk_ppv2_fields *f) {
  size_t n = 5;
  size_t parts[6] = {cstr_len(f->version), f->cn_len,   cstr_len(f->cipher),
                     cstr_len(f->sig_alg), cstr_len(f->key_alg), f->cert_der_len};
  for (size_t i = 0; i < 6; i++) {
    if (parts[i] > 0) n += 3 + parts[i];
  }
  return n;
}

mtk_status mtk_ppv2_encoded_len(const mtk_ppv2_fields *f, size_t *out_len) {
  *out_len = 0;
  if (f == NULL) return MTK_ERR_ARG;
  size_t alen = 0;
  (void)family_of(f, &alen);
  if (f->local) {
    *out_len = MTK_PP2_HEADER_MIN;
    return MTK_OK;
  }
  if (f->unique_id_len > MTK_PP2_UNIQUE_ID_MAX) return MTK_ERR_ARG;
  if (f->alpn_len > 65535 || f->identity_len > 65535) return MTK_ERR_PPV2_TOO_LONG;
  size_t n = alen;
  if (f->alpn_len > 0) n += 3 + f->alpn_len;
  if (f->unique_id_len > 0) n += 3 + f->unique_id_len;
  if (f->tls) {
    if (f->cn_len > 65535 || f->cert_der_len > 65535) return MTK_ERR_PPV2_TOO_LONG;
    size_t s = ssl_value_len(f);
    if (s > 65535) return MTK_ERR_PPV2_TOO_LONG;
    n += 3 + s;
  }
  if (f->identity_len > 0) n += 3 + f->identity_len;
  if (f->crc32c) n += 3 + 4;
  if (n > 65535) return MTK_ERR_PPV2_TOO_LONG;
  *out_len = MTK_PP2_HEADER_MIN + n;
  return MTK_OK;
}

static uint8_t *put16(uint8_t *w, size_t v) {
  w[0] = (uint8_t)(v >> 8);
  w[1] = (uint8_t)v;
  return w + 2;
}

static uint8_t *put_tlv(uint8_t *w, uint8_t type, const void *p, size_t n) {
  if (n == 0) return w;
  *w++ = type;
  w = put16(w, n);
  memcpy(w, p, n);
  return w + n;
}

/* put_addr writes the address of |ss| in the |fam| block layout. */
static uint8_t *put_ip(uint8_t *w, const struct sockaddr_storage *ss, uint8_t fam,
                       uint16_t *port_be) {
  if (ss->ss_family == AF_INET) {
    struct sockaddr_in sin;
    memcpy(&sin, ss, sizeof sin);
    memcpy(port_be, &sin.sin_port, 2);
    if (fam == MTK_PP2_FAM_TCP6) { /* IPv4-mapped, RFC 4291 2.5.5.2 */
      memset(w, 0, 10);
      w[10] = 0xFF;
      w[11] = 0xFF;
      memcpy(w + 12, &sin.sin_addr, 4);
      return w + 16;
    }
    memcpy(w, &sin.sin_addr, 4);
    return w + 4;
  }
  struct sockaddr_in6 sin6;
  memcpy(&sin6, ss, sizeof sin6);
  memcpy(port_be, &sin6.sin6_port, 2);
  memcpy(w, &sin6.sin6_addr, 16);
  return w + 16;
}

static uint8_t *put_unix(uint8_t *w, const struct sockaddr_storage *ss) {
  struct sockaddr_un sun;
  memcpy(&sun, ss, sizeof sun);
  if (sun.sun_path[0] != '\0') { /* a path: copy up to its NUL, zero the rest */
    size_t n = strnlen(sun.sun_path, UNIX_PATH);
    memcpy(w, sun.sun_path, n);
    memset(w + n, 0, UNIX_PATH - n);
  } else { /* abstract: the name is all 108 octets */
    memcpy(w, sun.sun_path, UNIX_PATH);
  }
  return w + UNIX_PATH;
}

mtk_status mtk_ppv2_encode(const mtk_ppv2_fields *f, uint8_t *out, size_t cap,
                           size_t *out_len) {
  size_t total = 0;
  *out_len = 0;
  mtk_status s = mtk_ppv2_encoded_len(f, &total);
  if (s != MTK_OK) return s;
  if (total > cap) return MTK_ERR_BUFFER;
  size_t alen = 0;
  uint8_t fam = family_of(f, &alen);
  uint8_t *w = out;
  memcpy(w, k_sig, SIG_LEN);
  w += SIG_LEN;
  *w++ = f->local ? MTK_PP2_CMD_LOCAL : MTK_PP2_CMD_PROXY;
  *w++ = fam;
  w = put16(w, total - MTK_PP2_HEADER_MIN);
  if (fam == MTK_PP2_FAM_TCP4 || fam == MTK_PP2_FAM_TCP6) {
    uint16_t sp = 0, dp = 0;
    w = put_ip(w, f->src, fam, &sp);
    w = put_ip(w, f->dst, fam, &dp);
    memcpy(w, &sp, 2);
    memcpy(w + 2, &dp, 2);
    w += 4;
  } else if (fam == MTK_PP2_FAM_UNIX_STREAM) {
    w = put_unix(w, f->src);
    w = put_unix(w, f->dst);
  }
  if (!f->local) {
    w = put_tlv(w, MTK_PP2_TYPE_ALPN, f->alpn, f->alpn_len);
    w = put_tlv(w, MTK_PP2_TYPE_UNIQUE_ID, f->unique_id, f->unique_id_len);
    if (f->tls) {
      *w++ = MTK_PP2_TYPE_SSL;
      w = put16(w, ssl_value_len(f));
      *w++ = (uint8_t)(MTK_PP2_CLIENT_SSL | (f->cert_conn ? MTK_PP2_CLIENT_CERT_CONN : 0) |
                       (f->cert_sess ? MTK_PP2_CLIENT_CERT_SESS : 0));
      uint32_t verify = f->verified ? 0u : 1u;
      w[0] = (uint8_t)(verify >> 24);
      w[1] = (uint8_t)(verify >> 16);
      w[2] = (uint8_t)(verify >> 8);
      w[3] = (uint8_t)verify;
      w += 4;
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_VERSION, f->version, cstr_len(f->version));
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_CN, f->cn, f->cn_len);
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_CIPHER, f->cipher, cstr_len(f->cipher));
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_SIG_ALG, f->sig_alg, cstr_len(f->sig_alg));
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_KEY_ALG, f->key_alg, cstr_len(f->key_alg));
      w = put_tlv(w, MTK_PP2_SUBTYPE_SSL_CLIENT_CERT, f->cert_der, f->cert_der_len);
    }
    w = put_tlv(w, MTK_PP2_TYPE_IDENTITY, f->identity, f->identity_len);
    if (f->crc32c) { /* 2.2.4: computed with the field zeroed, then stored */
      static const uint8_t zero[4] = {0, 0, 0, 0};
      w = put_tlv(w, MTK_PP2_TYPE_CRC32C, zero, 4);
      uint32_t crc = mtk_ppv2_crc32c(out, total);
      w[-4] = (uint8_t)(crc >> 24);
      w[-3] = (uint8_t)(crc >> 16);
      w[-2] = (uint8_t)(crc >> 8);
      w[-1] = (uint8_t)crc;
    }
  }
  if ((size_t)(w - out) != total) return MTK_ERR_INTERNAL;
  *out_len = total;
  return MTK_OK;
}

mtk_status mtk_ppv2_append(mtk_buf *b, const mtk_ppv2_fields *f) {
  size_t total = 0, n = 0;
  mtk_status s = mtk_ppv2_encoded_len(f, &total);
  if (s != MTK_OK) return s;
  size_t old = b->len;
  /* Reserve by appending, then overwrite in place. */
  static const uint8_t pad[256];
  for (size_t left = total; left > 0;) {
    size_t k = left < sizeof pad ? left : sizeof pad;
    s = mtk_buf_append(b, pad, k);
    if (s != MTK_OK) {
      if (b->len >= old) b->len = old;
      if (b->p != NULL) b->p[b->len] = 0;
      return s;
    }
    left -= k;
  }
  s = mtk_ppv2_encode(f, b->p + old, total, &n);
  if (s != MTK_OK) {
    b->len = old;
    b->p[old] = 0;
  }
  return s;
}

/* ---- decoder ------------------------------------------------------------- */

static bool get_u32(mtk_cbs *c, uint32_t *out) {
  mtk_cbs v;
  if (!mtk_cbs_get_bytes(c, &v, 4)) return false;
  *out = (uint32_t)v.p[0] << 24 | (uint32_t)v.p[1] << 16 | (uint32_t)v.p[2] << 8 | v.p[3];
  return true;
}

static bool family_ok(uint8_t fam, size_t *alen) {
  switch (fam) {
    case MTK_PP2_FAM_UNSPEC: *alen = 0; return true;
    case MTK_PP2_FAM_TCP4:
    case MTK_PP2_FAM_UDP4: *alen = 12; return true;
    case MTK_PP2_FAM_TCP6:
    case MTK_PP2_FAM_UDP6: *alen = 36; return true;
    case MTK_PP2_FAM_UNIX_STREAM:
    case MTK_PP2_FAM_UNIX_DGRAM: *alen = 2 * UNIX_PATH; return true;
    default: *alen = 0; return false;
  }
}

static void read_addrs(const uint8_t *a, uint8_t fam, mtk_ppv2_header *h) {
  uint8_t hi = (uint8_t)(fam >> 4);
  if (hi == 1) {
    struct sockaddr_in s4, d4;
    memset(&s4, 0, sizeof s4);
    memset(&d4, 0, sizeof d4);
    s4.sin_family = d4.sin_family = AF_INET;
    memcpy(&s4.sin_addr, a, 4);
    memcpy(&d4.sin_addr, a + 4, 4);
    memcpy(&s4.sin_port, a + 8, 2);
    memcpy(&d4.sin_port, a + 10, 2);
    memcpy(&h->src, &s4, sizeof s4);
    memcpy(&h->dst, &d4, sizeof d4);
  } else if (hi == 2) {
    struct sockaddr_in6 s6, d6;
    memset(&s6, 0, sizeof s6);
    memset(&d6, 0, sizeof d6);
    s6.sin6_family = d6.sin6_family = AF_INET6;
    memcpy(&s6.sin6_addr, a, 16);
    memcpy(&d6.sin6_addr, a + 16, 16);
    memcpy(&s6.sin6_port, a + 32, 2);
    memcpy(&d6.sin6_port, a + 34, 2);
    memcpy(&h->src, &s6, sizeof s6);
    memcpy(&h->dst, &d6, sizeof d6);
  } else if (hi == 3) {
    struct sockaddr_un su, du;
    memset(&su, 0, sizeof su);
    memset(&du, 0, sizeof du);
    su.sun_family = du.sun_family = AF_UNIX;
    memcpy(su.sun_path, a, UNIX_PATH);
    memcpy(du.sun_path, a + UNIX_PATH, UNIX_PATH);
    memcpy(&h->src, &su, sizeof su);
    memcpy(&h->dst, &du, sizeof du);
  } else {
    h->src.ss_family = h->dst.ss_family = AF_UNSPEC;
  }
}

/* decode_ssl parses the value of a PP2_TYPE_SSL TLV (2.2.5). */
static mtk_status decode_ssl(mtk_cbs v, mtk_ppv2_header *h, size_t base, mtk_diag *d) {
  size_t at = v.off - base;
  if (!mtk_cbs_get_u8(&v, &h->ssl_client) || !get_u32(&v, &h->ssl_verify))
    return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, at, "SSL value shorter than 5 octets");
  if ((h->ssl_client & ~0x07u) != 0)
    return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, at, "unknown client flags 0x%02x",
                         h->ssl_client);
  if (h->ssl_client != 0 && (h->ssl_client & MTK_PP2_CLIENT_SSL) == 0)
    return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, at,
                         "certificate flags without PP2_CLIENT_SSL");
  unsigned seen = 0;
  while (v.len > 0) {
    size_t sat = v.off - base;
    uint8_t t = 0;
    mtk_cbs sv;
    if (!mtk_cbs_get_u8(&v, &t) || !mtk_cbs_get_u16_prefixed(&v, &sv))
      return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, sat, "sub-TLV overruns the SSL TLV");
    if (t < 0x21 || t > 0x2F)
      return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, sat, "sub-TLV type 0x%02x not an SSL subtype",
                           t);
    if (sv.len == 0)
      return mtk_diag_fail(d, MTK_ERR_PPV2_SSL_TLV, sat, "empty sub-TLV 0x%02x", t);
    unsigned bit = 1u << (t - 0x21);
    if (seen & bit)
      return mtk_diag_fail(d, MTK_ERR_PPV2_DUPLICATE, sat, "SSL sub-TLV 0x%02x twice", t);
    seen |= bit;
    switch (t) {
      case MTK_PP2_SUBTYPE_SSL_VERSION: h->ssl_version = sv; break;
      case MTK_PP2_SUBTYPE_SSL_CN: h->ssl_cn = sv; break;
      case MTK_PP2_SUBTYPE_SSL_CIPHER: h->ssl_cipher = sv; break;
      case MTK_PP2_SUBTYPE_SSL_SIG_ALG: h->ssl_sig_alg = sv; break;
      case MTK_PP2_SUBTYPE_SSL_KEY_ALG: h->ssl_key_alg = sv; break;
      case MTK_PP2_SUBTYPE_SSL_GROUP: h->ssl_group = sv; break;
      case MTK_PP2_SUBTYPE_SSL_SIG_SCHEME: h->ssl_sig_scheme = sv; break;
      case MTK_PP2_SUBTYPE_SSL_CLIENT_CERT: h->client_cert = sv; break;
      default: h->unknown_tlvs++; break;
    }
  }
  h->has_ssl = true;
  return MTK_OK;
}

/* tlv_bit: a bit per known TLV type for duplicate detection (0: repeatable
 * or unknown). */
static unsigned tlv_bit(uint8_t t) {
  switch (t) {
    case MTK_PP2_TYPE_ALPN: return 1u << 0;
    case MTK_PP2_TYPE_AUTHORITY: return 1u << 1;
    case MTK_PP2_TYPE_CRC32C: return 1u << 2;
    case MTK_PP2_TYPE_UNIQUE_ID: return 1u << 3;
    case MTK_PP2_TYPE_SSL: return 1u << 4;
    case MTK_PP2_TYPE_NETNS: return 1u << 5;
    case MTK_PP2_TYPE_IDENTITY: return 1u << 6;
    default: return 0;
  }
}

static mtk_status decode_tlvs(mtk_cbs body, mtk_ppv2_header *h, size_t base,
                              size_t *crc_at, mtk_diag *d) {
  unsigned seen = 0;
  while (body.len > 0) {
    size_t at = body.off - base;
    uint8_t t = 0;
    mtk_cbs v;
    if (!mtk_cbs_get_u8(&body, &t) || !mtk_cbs_get_u16_prefixed(&body, &v))
      return mtk_diag_fail(d, MTK_ERR_PPV2_TLV, at, "TLV overruns the header");
    unsigned bit = tlv_bit(t);
    if (seen & bit) return mtk_diag_fail(d, MTK_ERR_PPV2_DUPLICATE, at, "TLV 0x%02x twice", t);
    seen |= bit;
    mtk_cbs *dst = NULL;
    switch (t) {
      case MTK_PP2_TYPE_ALPN: dst = &h->alpn; break;
      case MTK_PP2_TYPE_AUTHORITY: dst = &h->authority; break;
      case MTK_PP2_TYPE_NETNS: dst = &h->netns; break;
      case MTK_PP2_TYPE_IDENTITY: dst = &h->identity; break;
      case MTK_PP2_TYPE_UNIQUE_ID:
        if (v.len > MTK_PP2_UNIQUE_ID_MAX)
          return mtk_diag_fail(d, MTK_ERR_PPV2_TLV, at, "UNIQUE_ID of %zu octets (max 128)",
                               v.len);
        dst = &h->unique_id;
        break;
      case MTK_PP2_TYPE_CRC32C:
        if (v.len != 4) return mtk_diag_fail(d, MTK_ERR_PPV2_TLV, at, "CRC32C not 4 octets");
        *crc_at = v.off - base;
        break;
      case MTK_PP2_TYPE_SSL: {
        size_t mark = mtk_diag_push(d, "ssl");
        mtk_status s = decode_ssl(v, h, base, d);
        mtk_diag_pop(d, mark);
        if (s != MTK_OK) return s;
        break;
      }
      case MTK_PP2_TYPE_NOOP: break;
      default: h->unknown_tlvs++; break;
    }
    if (dst != NULL) {
      if (v.len == 0) return mtk_diag_fail(d, MTK_ERR_PPV2_TLV, at, "empty TLV 0x%02x", t);
      *dst = v;
    }
  }
  return MTK_OK;
}

mtk_status mtk_ppv2_decode(mtk_cbs *in, mtk_ppv2_header *out, mtk_diag *d) {
  memset(out, 0, sizeof *out);
  size_t base = in->off;
  size_t n = in->len < SIG_LEN ? in->len : SIG_LEN;
  for (size_t i = 0; i < n; i++) {
    if (in->p[i] != k_sig[i])
      return mtk_diag_fail(d, MTK_ERR_PPV2_SIGNATURE, i, "signature octet %zu differs", i);
  }
  if (in->len > SIG_LEN && (in->p[SIG_LEN] >> 4) != 2)
    return mtk_diag_fail(d, MTK_ERR_PPV2_VERSION, SIG_LEN, "version %u, not 2",
                         (unsigned)(in->p[SIG_LEN] >> 4));
  if (in->len > SIG_LEN && (in->p[SIG_LEN] & 0x0F) > 1)
    return mtk_diag_fail(d, MTK_ERR_PPV2_VERSION, SIG_LEN, "command %u, not LOCAL or PROXY",
                         (unsigned)(in->p[SIG_LEN] & 0x0F));
  size_t alen = 0;
  if (in->len > SIG_LEN + 1 && !family_ok(in->p[SIG_LEN + 1], &alen))
    return mtk_diag_fail(d, MTK_ERR_PPV2_FAMILY, SIG_LEN + 1, "family 0x%02x",
                         in->p[SIG_LEN + 1]);
  mtk_cbs c = *in, body;
  uint8_t vc = 0, fam = 0;
  uint16_t len = 0;
  if (!mtk_cbs_skip(&c, SIG_LEN) || !mtk_cbs_get_u8(&c, &vc) || !mtk_cbs_get_u8(&c, &fam) ||
      !mtk_cbs_get_u16(&c, &len))
    return mtk_diag_fail(d, MTK_ERR_PPV2_TRUNCATED, in->len, "%zu of 16 octets", in->len);
  if (!mtk_cbs_get_bytes(&c, &body, len))
    return mtk_diag_fail(d, MTK_ERR_PPV2_TRUNCATED, in->len, "%zu of %u octets", in->len,
                         16u + len);
  if (len < alen)
    return mtk_diag_fail(d, MTK_ERR_PPV2_LENGTH, 14, "len %u, addresses need %zu", len, alen);
  out->command = vc == MTK_PP2_CMD_LOCAL ? MTK_PP2_CMD_LOCAL : MTK_PP2_CMD_PROXY;
  out->family = fam;
  read_addrs(body.p, fam, out);
  if (!mtk_cbs_skip(&body, alen)) return MTK_ERR_INTERNAL;
  size_t crc_at = 0;
  mtk_status s = decode_tlvs(body, out, base, &crc_at, d);
  if (s != MTK_OK) {
    memset(out, 0, sizeof *out);
    return s;
  }
  size_t total = MTK_PP2_HEADER_MIN + (size_t)len;
  if (crc_at != 0) {
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = crc_update(0xFFFFFFFFu, in->p, crc_at);
    crc = crc_update(crc, zero, 4);
    crc = ~crc_update(crc, in->p + crc_at + 4, total - crc_at - 4);
    const uint8_t *v = in->p + crc_at;
    uint32_t got = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
    if (got != crc) {
      memset(out, 0, sizeof *out);
      return mtk_diag_fail(d, MTK_ERR_PPV2_CRC, crc_at, "CRC32C 0x%08x, computed 0x%08x",
                           got, crc);
    }
    out->has_crc32c = true;
  }
  out->header_len = total;
  *in = c;
  return MTK_OK;
}

/* fuzz_ppv2.c: libFuzzer target for the PROXY protocol v2 decoder
 * (lib/ppv2.c). The input is the bytes a backend would read.
 *
 * Oracles:
 *  - failure leaves the cursor as it was, with a PPV2 status (900..909);
 *  - success: header_len is 16 + the len field, the cursor moved by exactly
 *    header_len, and every view lies inside the header;
 *  - streaming: the header less its last octet is MTK_ERR_PPV2_TRUNCATED;
 *  - semantic round trip: for a PROXY header over TCP whose SSL strings hold
 *    no NUL, mtk_ppv2_encode of the decoded fields decodes to the same
 *    addresses and the same TLV values.
 * Any disagreement aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/ppv2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const mtk_cbs *v, const uint8_t *start, size_t len) {
  if (v->p == NULL) {
    if (v->len != 0) abort();
    return;
  }
  if (v->p < start || v->len > len || (size_t)(v->p - start) > len - v->len) abort();
}

/* cstr: a NUL-terminated copy of |v| in |buf| (cap 65536), or NULL when
 * absent; |*ok| false when |v| holds a NUL. */
static const char *cstr(const mtk_cbs *v, char *buf, bool *ok) {
  if (v->p == NULL) return NULL;
  if (memchr(v->p, 0, v->len) != NULL) *ok = false;
  memcpy(buf, v->p, v->len);
  buf[v->len] = '\0';
  return buf;
}

static bool same(const mtk_cbs *a, const mtk_cbs *b) {
  if ((a->p == NULL) != (b->p == NULL)) return false;
  return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static void round_trip(const mtk_ppv2_header *h) {
  if (h->command != MTK_PP2_CMD_PROXY) return;
  if (h->family != MTK_PP2_FAM_TCP4 && h->family != MTK_PP2_FAM_TCP6) return;
  static char sv[65536], sc[65536], ss[65536], sk[65536];
  bool ok = true;
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &h->src;
  f.dst = &h->dst;
  f.tls = h->has_ssl;
  f.cert_conn = (h->ssl_client & MTK_PP2_CLIENT_CERT_CONN) != 0;
  f.cert_sess = (h->ssl_client & MTK_PP2_CLIENT_CERT_SESS) != 0;
  f.verified = h->ssl_verify == 0;
  f.version = cstr(&h->ssl_version, sv, &ok);
  f.cipher = cstr(&h->ssl_cipher, sc, &ok);
  f.sig_alg = cstr(&h->ssl_sig_alg, ss, &ok);
  f.key_alg = cstr(&h->ssl_key_alg, sk, &ok);
  if (!ok) return;
  f.cn = h->ssl_cn.p;
  f.cn_len = h->ssl_cn.len;
  f.cert_der = h->client_cert.p;
  f.cert_der_len = h->client_cert.len;
  f.identity = h->identity.p;
  f.identity_len = h->identity.len;
  f.unique_id = h->unique_id.p;
  f.unique_id_len = h->unique_id.len;
  f.alpn = h->alpn.p;
  f.alpn_len = h->alpn.len;
  f.crc32c = h->has_crc32c;
  size_t n = 0;
  if (mtk_ppv2_encoded_len(&f, &n) != MTK_OK) return; /* the input's extras may not fit */
  uint8_t *out = malloc(n);
  if (out == NULL) return;
  size_t m = 0;
  if (mtk_ppv2_encode(&f, out, n, &m) != MTK_OK || m != n) abort();
  mtk_cbs in;
  mtk_ppv2_header g;
  mtk_cbs_init(&in, out, m);
  if (mtk_ppv2_decode(&in, &g, NULL) != MTK_OK || in.len != 0) abort();
  if (g.family != h->family || memcmp(&g.src, &h->src, sizeof g.src) != 0 ||
      memcmp(&g.dst, &h->dst, sizeof g.dst) != 0)
    abort();
  if (g.has_ssl != h->has_ssl || g.has_crc32c != h->has_crc32c) abort();
  if (h->has_ssl && ((g.ssl_client & 6) != (h->ssl_client & 6) ||
                     (g.ssl_verify == 0) != (h->ssl_verify == 0)))
    abort();
  if (!same(&g.ssl_version, &h->ssl_version) || !same(&g.ssl_cn, &h->ssl_cn) ||
      !same(&g.ssl_cipher, &h->ssl_cipher) || !same(&g.ssl_sig_alg, &h->ssl_sig_alg) ||
      !same(&g.ssl_key_alg, &h->ssl_key_alg) || !same(&g.client_cert, &h->client_cert) ||
      !same(&g.identity, &h->identity) || !same(&g.unique_id, &h->unique_id) ||
      !same(&g.alpn, &h->alpn))
    abort();
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_cbs in;
  mtk_ppv2_header h;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&in, data, size);
  mtk_status s = mtk_ppv2_decode(&in, &h, &d);
  if (s != MTK_OK) {
    if (in.p != data || in.len != size || s < MTK_ERR_PPV2_SIGNATURE || s > MTK_ERR_PPV2_TOO_LONG ||
        d.err.code != s)
      abort();
    return 0;
  }
  if (h.header_len < 16 || h.header_len > size ||
      h.header_len != 16 + ((size_t)data[14] << 8 | data[15]) || in.len != size - h.header_len ||
      in.p != data + h.header_len)
    abort();
  const mtk_cbs *views[] = {&h.ssl_version, &h.ssl_cn,    &h.ssl_cipher, &h.ssl_sig_alg,
                            &h.ssl_key_alg, &h.ssl_group, &h.ssl_sig_scheme, &h.client_cert,
                            &h.alpn,        &h.authority, &h.unique_id, &h.netns, &h.identity};
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) inside(views[i], data, h.header_len);
  mtk_cbs shorter;
  mtk_ppv2_header t;
  mtk_cbs_init(&shorter, data, h.header_len - 1);
  if (mtk_ppv2_decode(&shorter, &t, NULL) != MTK_ERR_PPV2_TRUNCATED) abort();
  round_trip(&h);
  return 0;
}

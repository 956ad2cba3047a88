/* fuzz_der.c: the DER cursor and readers on arbitrary bytes: mtk_der_walk
 * with MTK_DER_MAX_DEPTH, every primitive reader on the front of the input,
 * the top-level elements one by one, and the TLS-style length-prefixed
 * readers.
 *
 * Oracles (abort on violation):
 *   - round trip: DER is unique, so an accepted element's header re-encodes
 *     from (tag, length) to exactly the bytes read;
 *   - a failed read leaves the cursor where it was and records an error; a
 *     successful one advances by exactly the element;
 *   - an accepted time formats and converts back to the same instant. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* encode_header writes the DER identifier and length octets of |tag| and
 * |len| into |out| (at least 12 bytes) and returns their count. */
static size_t encode_header(mtk_tag tag, size_t len, uint8_t *out) {
  size_t k = 0;
  uint8_t first = (uint8_t)((tag & MTK_TAG_CLASS_MASK) >> 24);
  if (tag & MTK_TAG_CONSTRUCTED) first |= 0x20;
  uint32_t num = tag & MTK_TAG_NUMBER_MASK;
  if (num < 31) {
    out[k++] = (uint8_t)(first | num);
  } else {
    out[k++] = (uint8_t)(first | 0x1f);
    uint8_t tmp[5];
    size_t n = 0;
    do {
      tmp[n++] = (uint8_t)(num & 0x7f);
      num >>= 7;
    } while (num > 0);
    while (n > 0) {
      n--;
      out[k++] = (uint8_t)(tmp[n] | (n > 0 ? 0x80 : 0));
    }
  }
  if (len < 0x80) {
    out[k++] = (uint8_t)len;
  } else {
    size_t n = 0;
    for (size_t v = len; v > 0; v >>= 8) n++;
    out[k++] = (uint8_t)(0x80 | n);
    while (n > 0) {
      n--;
      out[k++] = (uint8_t)(len >> (n * 8));
    }
  }
  return k;
}

static void same_or_moved(const mtk_cbs *before, const mtk_cbs *after, mtk_status s,
                          const mtk_diag *d) {
  if (s == MTK_OK) {
    if (after->len >= before->len && before->len > 0) abort();
    if (after->off != before->off + (before->len - after->len)) abort();
  } else {
    if (after->p != before->p || after->len != before->len || after->off != before->off)
      abort();
    if (d->err.code == MTK_OK) abort();
  }
}

/* One primitive reader on the front of |in|: |call| uses the cursor rc and
 * the diag rd. */
#define TRY(call)                       \
  do {                                  \
    mtk_cbs c_ = in;                    \
    mtk_diag d_;                        \
    mtk_diag_init(&d_);                 \
    mtk_cbs *rc = &c_;                  \
    mtk_diag *rd = &d_;                 \
    mtk_status s_ = (call);             \
    same_or_moved(&in, rc, s_, rd);     \
    char msg_[256];                     \
    mtk_error_format(&rd->err, msg_, sizeof msg_); \
  } while (0)

static void time_round_trip(mtk_time t) {
  char buf[48];
  mtk_time_format(t, buf, sizeof buf);
  int64_t y;
  int mo, dd, h, mi, s;
  mtk_time_to_civil(t, &y, &mo, &dd, &h, &mi, &s);
  mtk_time back;
  if (y >= 0 && y <= 9999) {
    if (!mtk_time_from_civil(y, mo, dd, h, mi, s, &back) || back != t) abort();
    mtk_time parsed;
    if (!mtk_time_parse(buf, strlen(buf), &parsed) || parsed != t) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_cbs in;
  mtk_cbs_init(&in, data, size);
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_der_walk(&in, MTK_DER_MAX_DEPTH, &d) != MTK_OK && d.err.code == MTK_OK) abort();

  /* Top-level elements, with the round-trip oracle. */
  mtk_cbs c = in;
  while (c.len > 0) {
    mtk_cbs before = c, body, elem;
    mtk_tag tag, peek;
    mtk_diag_init(&d);
    mtk_status s = mtk_der_get_any(&c, &tag, &body, &elem, &d);
    same_or_moved(&before, &c, s, &d);
    if (s != MTK_OK) break;
    if (!mtk_der_peek_tag(&before, &peek) || peek != tag) abort();
    uint8_t hdr[16];
    size_t k = encode_header(tag, body.len, hdr);
    if (k + body.len != elem.len || memcmp(hdr, elem.p, k) != 0) abort();
    if (body.p != elem.p + k || body.off != elem.off + k || elem.off != before.off) abort();
  }

  /* Every primitive reader on the front of the input. */
  mtk_cbs out;
  uint64_t u64;
  bool b;
  uint8_t unused;
  uint32_t bits;
  mtk_time t;
  mtk_tag tag;
  bool present;
  TRY(mtk_der_get_integer(rc, &out, rd));
  TRY(mtk_der_get_uint64(rc, &u64, rd));
  TRY(mtk_der_get_bool(rc, &b, rd));
  TRY(mtk_der_get_oid(rc, &out, rd));
  TRY(mtk_der_get_null(rc, rd));
  TRY(mtk_der_get_bitstring(rc, &out, &unused, rd));
  TRY(mtk_der_get_octets_bitstring(rc, &out, rd));
  TRY(mtk_der_get_named_bits(rc, &bits, rd));
  TRY(mtk_der_get(rc, MTK_ASN1_SEQUENCE, &out, rd));
  TRY(mtk_der_get_element(rc, MTK_ASN1_SET, &out, NULL, rd));
  {
    mtk_cbs c2 = in;
    mtk_diag d2;
    mtk_diag_init(&d2);
    mtk_status s = mtk_der_get_optional(&c2, MTK_CTX_C(0), &out, &present, &d2);
    if (s == MTK_OK && present == (c2.len == in.len) && in.len > 0) abort();
  }
  {
    mtk_cbs c2 = in;
    mtk_diag d2;
    mtk_diag_init(&d2);
    if (mtk_der_get_time(&c2, &t, &tag, &d2) == MTK_OK) {
      if (tag != MTK_ASN1_UTCTIME && tag != MTK_ASN1_GENERALIZEDTIME) abort();
      time_round_trip(t);
    }
  }
  /* The whole input as contents. */
  if (mtk_der_check_integer(&in, false, &b, NULL) == MTK_OK) {
    /* A valid INTEGER fits in 64 bits iff it is non-negative and has at
     * most 8 octets after a leading zero. */
    bool fits = mtk_der_int_to_u64(&in, &u64, NULL) == MTK_OK;
    size_t vlen = size - (data[0] == 0 && size > 1 ? 1 : 0);
    if (fits != (!b && vlen <= 8)) abort();
  }
  if (mtk_der_check_oid(&in, NULL) == MTK_OK && (size == 0 || (data[size - 1] & 0x80))) abort();
  /* As text for the --at parser. */
  if (mtk_time_parse((const char *)data, size, &t)) time_round_trip(t);

  /* TLS-style length-prefixed lists. */
  c = in;
  while (c.len > 0) {
    mtk_cbs before = c;
    if (!mtk_cbs_get_u16_prefixed(&c, &out)) {
      if (c.p != before.p || c.len != before.len) abort();
      break;
    }
    if (out.len + 2 != before.len - c.len) abort();
    mtk_cbs inner = out;
    while (inner.len > 0 && mtk_cbs_get_u8_prefixed(&inner, &out)) {
    }
  }
  return 0;
}

/* oid.c: the OID table (MTK_OID_LIST), lookups by DER contents, and the
 * dotted form of any OBJECT IDENTIFIER.
 *
 * The DER contents of every table entry are static bytes that
 * scripts/gen-oid-table.py generates from MTK_OID_LIST into lib/oid_table.inc,
 * with an index of the ids sorted by those bytes. mtk_oid_lookup is a binary
 * search over that index: O(log n), no allocation, no mutable state, so it is
 * thread-safe. Nothing here allocates. */
#include "mtlskit/oid.h"

#include <stdint.h>
#include <string.h>

/* Where the DER contents of one id sit in mtk_oid_der_pool. */
typedef struct mtk_oid_der_ref {
  uint16_t off;
  uint8_t len; /* 0 only for MTK_OID_UNKNOWN */
} mtk_oid_der_ref;

#include "oid_table.inc"

_Static_assert(MTK_OID_TABLE_ENTRIES + 1 == MTK_OID__COUNT,
               "lib/oid_table.inc is stale: run python3 scripts/gen-oid-table.py");

typedef struct mtk_oid_names {
  const char *dotted;
  const char *sn;
  const char *ln;
} mtk_oid_names;

static const mtk_oid_names oid_names[MTK_OID__COUNT] = {
    [MTK_OID_UNKNOWN] = {"", "", ""},
#define MTK_X_NAMES(id, dotted, sn, ln) [id] = {dotted, sn, ln},
    MTK_OID_LIST(MTK_X_NAMES)
#undef MTK_X_NAMES
};

static bool oid_id_valid(mtk_oid_id id) {
  unsigned u = (unsigned)id;
  return u != (unsigned)MTK_OID_UNKNOWN && u < (unsigned)MTK_OID__COUNT;
}

/* ---- lookups -------------------------------------------------------------- */

/* oid_der_cmp orders DER contents as the generator sorted them: octet by
 * octet over the common length, then the shorter (a proper prefix) first. */
static int oid_der_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  size_t n = alen < blen ? alen : blen;
  int c = n > 0 ? memcmp(a, b, n) : 0;
  if (c != 0) return c;
  return (alen > blen) - (alen < blen);
}

mtk_oid_id mtk_oid_lookup(const mtk_cbs *oid) {
  if (oid == NULL || oid->p == NULL || oid->len == 0 || oid->len > MTK_OID_TABLE_MAX_DER)
    return MTK_OID_UNKNOWN;
  size_t lo = 0, hi = MTK_OID_TABLE_ENTRIES;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    mtk_oid_id id = (mtk_oid_id)mtk_oid_by_der[mid];
    const mtk_oid_der_ref *r = &mtk_oid_der_refs[id];
    int c = oid_der_cmp(oid->p, oid->len, mtk_oid_der_pool + r->off, r->len);
    if (c == 0) return id;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return MTK_OID_UNKNOWN;
}

bool mtk_oid_is(const mtk_cbs *oid, mtk_oid_id id) {
  if (oid == NULL || !oid_id_valid(id)) return false;
  const mtk_oid_der_ref *r = &mtk_oid_der_refs[id];
  return oid->len == r->len && oid->p != NULL &&
         memcmp(oid->p, mtk_oid_der_pool + r->off, r->len) == 0;
}

const char *mtk_oid_dotted(mtk_oid_id id) {
  return oid_id_valid(id) ? oid_names[id].dotted : "";
}

const char *mtk_oid_short_name(mtk_oid_id id) {
  return oid_id_valid(id) ? oid_names[id].sn : "";
}

const char *mtk_oid_long_name(mtk_oid_id id) {
  return oid_id_valid(id) ? oid_names[id].ln : "";
}

const uint8_t *mtk_oid_der(mtk_oid_id id, size_t *len) {
  if (!oid_id_valid(id)) {
    if (len != NULL) *len = 0;
    return NULL;
  }
  const mtk_oid_der_ref *r = &mtk_oid_der_refs[id];
  if (len != NULL) *len = r->len;
  return mtk_oid_der_pool + r->off;
}

/* ---- dotted form ---------------------------------------------------------- */

/* Arcs are converted from base 128 to decimal in a fixed array of base-10^9
 * limbs, least significant first. OID_ARC_MAX_OCTETS bounds the work and the
 * stack: an arc of that many octets is < 2^(7 * 1024), which has at most 2158
 * decimal digits, 240 limbs. Longer arcs (which no registry assigns) are
 * MTK_ERR_LIMIT. */
#define OID_ARC_MAX_OCTETS 1024u
#define OID_LIMB_BASE 1000000000u
#define OID_LIMB_DIGITS 9u
#define OID_ARC_LIMBS 240u

typedef struct oid_bignum {
  uint32_t limb[OID_ARC_LIMBS];
  size_t n; /* limbs in use; 0 is the value 0; limb[n - 1] != 0 */
} oid_bignum;

/* oid_get_arc reads one subidentifier (X.690 8.19.2) from |c| into |v|.
 * |c| has passed mtk_der_check_oid. */
static mtk_status oid_get_arc(mtk_cbs *c, oid_bignum *v) {
  v->n = 0;
  size_t octets = 0;
  uint8_t b;
  do {
    if (!mtk_cbs_get_u8(c, &b)) return MTK_ERR_DER_OID; /* not reached after the check */
    if (++octets > OID_ARC_MAX_OCTETS) return MTK_ERR_LIMIT;
    /* v = v * 128 + (b & 0x7f) */
    uint64_t carry = b & 0x7fu;
    for (size_t i = 0; i < v->n; i++) {
      uint64_t t = (uint64_t)v->limb[i] * 128u + carry;
      v->limb[i] = (uint32_t)(t % OID_LIMB_BASE);
      carry = t / OID_LIMB_BASE;
    }
    if (carry != 0) {
      if (v->n == OID_ARC_LIMBS) return MTK_ERR_LIMIT; /* not reached: see above */
      v->limb[v->n++] = (uint32_t)carry;               /* carry < 129 */
    }
  } while ((b & 0x80u) != 0);
  return MTK_OK;
}

/* oid_sub_small subtracts |s| (< 10^9) from |v|, which is at least |s|. */
static void oid_sub_small(oid_bignum *v, uint32_t s) {
  uint32_t borrow = s;
  for (size_t i = 0; i < v->n && borrow != 0; i++) {
    if (v->limb[i] >= borrow) {
      v->limb[i] -= borrow;
      borrow = 0;
    } else {
      v->limb[i] = (uint32_t)(v->limb[i] + OID_LIMB_BASE - borrow);
      borrow = 1;
    }
  }
  while (v->n > 0 && v->limb[v->n - 1] == 0) v->n--;
}

/* oid_out is the output buffer; |pos| is the length written so far. Every
 * write keeps one octet free for the NUL. */
typedef struct oid_out {
  char *buf;
  size_t cap;
  size_t pos;
} oid_out;

static bool oid_put(oid_out *o, char ch) {
  if (o->pos + 1 >= o->cap) return false;
  o->buf[o->pos++] = ch;
  return true;
}

/* oid_put_limb writes |x| in decimal, zero-padded to |width| digits. */
static bool oid_put_limb(oid_out *o, uint32_t x, unsigned width) {
  char tmp[OID_LIMB_DIGITS];
  unsigned n = 0;
  do {
    tmp[n++] = (char)('0' + x % 10u);
    x /= 10u;
  } while (x != 0);
  while (n < width) tmp[n++] = '0';
  while (n > 0)
    if (!oid_put(o, tmp[--n])) return false;
  return true;
}

static bool oid_put_bignum(oid_out *o, const oid_bignum *v) {
  if (v->n == 0) return oid_put(o, '0');
  if (!oid_put_limb(o, v->limb[v->n - 1], 0)) return false;
  for (size_t i = v->n - 1; i > 0; i--)
    if (!oid_put_limb(o, v->limb[i - 1], OID_LIMB_DIGITS)) return false;
  return true;
}

mtk_status mtk_oid_format(const mtk_cbs *oid, char *buf, size_t cap) {
  if (buf != NULL && cap > 0) buf[0] = '\0';
  if (oid == NULL || (buf == NULL && cap > 0)) return MTK_ERR_ARG;
  mtk_status s = mtk_der_check_oid(oid, NULL);
  if (s != MTK_OK) return s;

  oid_out o = {buf, cap, 0};
  mtk_cbs c = *oid;
  oid_bignum v;
  bool first = true;
  while (c.len > 0) {
    s = oid_get_arc(&c, &v);
    if (s != MTK_OK) goto fail;
    bool ok;
    if (first) {
      /* X.690 8.19.4: the first subidentifier is (X * 40) + Y, where X is 0
       * or 1 with Y < 40, or X is 2 with any Y (so Y = value - 80, and may
       * itself be large). */
      uint32_t x = 2;
      if (v.n <= 1 && (v.n == 0 || v.limb[0] < 80)) x = v.n == 0 ? 0 : v.limb[0] / 40u;
      oid_sub_small(&v, x * 40u);
      ok = oid_put(&o, (char)('0' + x)) && oid_put(&o, '.') && oid_put_bignum(&o, &v);
      first = false;
    } else {
      ok = oid_put(&o, '.') && oid_put_bignum(&o, &v);
    }
    if (!ok) {
      s = MTK_ERR_BUFFER;
      goto fail;
    }
  }
  buf[o.pos] = '\0';
  return MTK_OK;

fail:
  if (cap > 0) buf[0] = '\0';
  return s;
}

/* ---- from dotted ---------------------------------------------------------- */

/* oid_encode_arc writes the base-128 subidentifier of the 65-bit value
 * (hi * 2^64 + lo), hi 0 or 1, into |out| (10 octets), returning its length. */
static size_t oid_encode_arc(uint64_t hi, uint64_t lo, uint8_t out[10]) {
  uint8_t rev[10];
  size_t n = 0;
  do {
    rev[n++] = (uint8_t)(lo & 0x7fu);
    lo = (lo >> 7) | (hi << 57);
    hi = 0;
  } while (lo != 0);
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)(rev[n - 1 - i] | (i + 1 < n ? 0x80u : 0u));
  return n;
}

static bool oid_is_digit(char ch) {
  return ch >= '0' && ch <= '9';
}

mtk_status mtk_oid_from_dotted(const char *dotted, size_t len, uint8_t *out, size_t cap,
                               size_t *out_len) {
  if (dotted == NULL || out_len == NULL || (out == NULL && cap > 0)) return MTK_ERR_ARG;
  size_t i = 0, narcs = 0, w = 0;
  bool overflow = false;
  uint64_t x = 0;
  for (;;) {
    /* One arc: a non-empty run of digits without a leading zero. */
    if (i >= len || !oid_is_digit(dotted[i])) return MTK_ERR_ARG;
    if (dotted[i] == '0' && i + 1 < len && oid_is_digit(dotted[i + 1])) return MTK_ERR_ARG;
    uint64_t v = 0;
    for (; i < len && oid_is_digit(dotted[i]); i++) {
      unsigned d = (unsigned)(dotted[i] - '0');
      if (v > (UINT64_MAX - d) / 10u) return MTK_ERR_ARG;
      v = v * 10u + d;
    }
    narcs++;
    uint8_t enc[10];
    size_t n = 0;
    if (narcs == 1) {
      if (v > 2) return MTK_ERR_ARG;
      x = v;
    } else if (narcs == 2) {
      /* X.690 8.19.4: Y < 40 unless X is 2; X * 40 + Y may exceed 64 bits. */
      if (x < 2 && v >= 40) return MTK_ERR_ARG;
      uint64_t lo = x * 40u + v;
      n = oid_encode_arc(lo < v ? 1u : 0u, lo, enc);
    } else {
      n = oid_encode_arc(0, v, enc);
    }
    if (n > 0) {
      if (overflow || n > cap - w) {
        overflow = true;
      } else {
        memcpy(out + w, enc, n);
        w += n;
      }
    }
    if (i == len) break;
    if (dotted[i] != '.') return MTK_ERR_ARG;
    i++;
  }
  if (narcs < 2) return MTK_ERR_ARG;
  if (overflow) return MTK_ERR_BUFFER;
  *out_len = w;
  return MTK_OK;
}

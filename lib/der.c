/* der.c: the bounded cursor and the strict DER readers (X.690 sections 8,
 * 10 and 11). See include/mtlskit/der.h for the contract. */
#include "mtlskit/der.h"

#include <stdio.h>
#include <string.h>

void mtk_cbs_init(mtk_cbs *c, const uint8_t *p, size_t len) {
  c->p = p;
  c->len = len;
  c->off = 0;
}

bool mtk_cbs_skip(mtk_cbs *c, size_t n) {
  if (c->len < n) return false;
  c->p += n;
  c->len -= n;
  c->off += n;
  return true;
}

bool mtk_cbs_get_u8(mtk_cbs *c, uint8_t *out) {
  if (c->len < 1) return false;
  *out = c->p[0];
  return mtk_cbs_skip(c, 1);
}

bool mtk_cbs_get_u16(mtk_cbs *c, uint16_t *out) {
  if (c->len < 2) return false;
  *out = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
  return mtk_cbs_skip(c, 2);
}

bool mtk_cbs_get_u24(mtk_cbs *c, uint32_t *out) {
  if (c->len < 3) return false;
  *out = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
  return mtk_cbs_skip(c, 3);
}

bool mtk_cbs_get_u64(mtk_cbs *c, uint64_t *out) {
  if (c->len < 8) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < 8; i++) v = v << 8 | c->p[i];
  *out = v;
  return mtk_cbs_skip(c, 8);
}

bool mtk_cbs_get_bytes(mtk_cbs *c, mtk_cbs *out, size_t n) {
  if (c->len < n) return false;
  out->p = c->p;
  out->len = n;
  out->off = c->off;
  return mtk_cbs_skip(c, n);
}

bool mtk_cbs_get_u8_prefixed(mtk_cbs *c, mtk_cbs *out) {
  mtk_cbs copy = *c;
  uint8_t n;
  if (!mtk_cbs_get_u8(&copy, &n) || !mtk_cbs_get_bytes(&copy, out, n)) return false;
  *c = copy;
  return true;
}

bool mtk_cbs_get_u16_prefixed(mtk_cbs *c, mtk_cbs *out) {
  mtk_cbs copy = *c;
  uint16_t n;
  if (!mtk_cbs_get_u16(&copy, &n) || !mtk_cbs_get_bytes(&copy, out, n)) return false;
  *c = copy;
  return true;
}

bool mtk_cbs_eq_bytes(const mtk_cbs *c, const uint8_t *p, size_t n) {
  return c->len == n && (n == 0 || memcmp(c->p, p, n) == 0);
}

/* ---- framing --------------------------------------------------------------- */

/* parse_header reads the identifier and length octets from |c| (a copy).
 * X.690 8.1.2 (identifier), 8.1.3 (length), 10.1 (DER: definite form, fewest
 * octets). */
static mtk_status parse_header(mtk_cbs *c, mtk_tag *out_tag, size_t *out_len, mtk_diag *d) {
  size_t start = c->off;
  *out_tag = 0;
  *out_len = 0;
  uint8_t b;
  if (!mtk_cbs_get_u8(c, &b))
    return mtk_diag_fail(d, MTK_ERR_DER_TRUNCATED, start, "missing tag octet");
  mtk_tag tag = (mtk_tag)(b & 0xC0u) << 24;
  if (b & 0x20u) tag |= MTK_TAG_CONSTRUCTED;
  uint32_t number = b & 0x1Fu;
  if (number == 0x1F) {
    /* High tag number form (8.1.2.4): base-128, first octet not 0x80, and
     * only used for numbers >= 31. */
    number = 0;
    for (int i = 0;; i++) {
      uint8_t t;
      if (!mtk_cbs_get_u8(c, &t))
        return mtk_diag_fail(d, MTK_ERR_DER_TRUNCATED, start, "truncated high tag number");
      if (i == 0 && t == 0x80)
        return mtk_diag_fail(d, MTK_ERR_DER_HIGH_TAG, start, "high tag number has a leading 0x80");
      if (number > (MTK_TAG_NUMBER_MASK >> 7))
        return mtk_diag_fail(d, MTK_ERR_DER_HIGH_TAG, start, "tag number too large");
      number = number << 7 | (t & 0x7Fu);
      if (!(t & 0x80u)) break;
    }
    if (number < 0x1F)
      return mtk_diag_fail(d, MTK_ERR_DER_HIGH_TAG, start,
                           "tag number %u uses the high form; DER requires the short form",
                           number);
  }
  tag |= number;

  size_t len_off = c->off;
  uint8_t l;
  if (!mtk_cbs_get_u8(c, &l))
    return mtk_diag_fail(d, MTK_ERR_DER_TRUNCATED, len_off, "missing length octet");
  size_t len;
  if (l < 0x80) {
    len = l;
  } else if (l == 0x80) {
    return mtk_diag_fail(d, MTK_ERR_DER_INDEFINITE, len_off,
                         "indefinite length (0x80) is BER, not DER");
  } else {
    size_t n = l & 0x7Fu;
    if (n > 4)
      return mtk_diag_fail(d, MTK_ERR_DER_LENGTH_TOO_LONG, len_off,
                           "length uses %zu octets (limit 4)", n);
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
      uint8_t t;
      if (!mtk_cbs_get_u8(c, &t))
        return mtk_diag_fail(d, MTK_ERR_DER_TRUNCATED, len_off, "truncated length octets");
      v = v << 8 | t;
    }
    /* 10.1: the fewest octets; long form only for lengths >= 128. */
    if (v < 0x80 || (n > 1 && (v >> ((n - 1) * 8)) == 0))
      return mtk_diag_fail(d, MTK_ERR_DER_LENGTH_NONMINIMAL, len_off,
                           "length 0x%x not in its shortest form", v);
    len = v;
  }
  *out_tag = tag;
  *out_len = len;
  return MTK_OK;
}

mtk_status mtk_der_get_any(mtk_cbs *c, mtk_tag *out_tag, mtk_cbs *out_body, mtk_cbs *out_elem,
                           mtk_diag *d) {
  mtk_cbs copy = *c;
  mtk_tag tag = 0;
  size_t len = 0;
  /* Outputs are zeroed first so that no caller ever sees garbage. */
  if (out_body != NULL) *out_body = (mtk_cbs){NULL, 0, c->off};
  if (out_elem != NULL) *out_elem = (mtk_cbs){NULL, 0, c->off};
  if (out_tag != NULL) *out_tag = 0;
  mtk_status s = parse_header(&copy, &tag, &len, d);
  if (s != MTK_OK) return s;
  /* X.690 8.x / 10.2: in DER the universal types other than SEQUENCE, SET
   * (and the unused EXTERNAL, EMBEDDED PDV, CHARACTER STRING) are always
   * primitive, and SEQUENCE and SET always constructed. */
  if ((tag & MTK_TAG_CLASS_MASK) == MTK_TAG_UNIVERSAL) {
    uint32_t num = tag & MTK_TAG_NUMBER_MASK;
    bool constructed = (tag & MTK_TAG_CONSTRUCTED) != 0;
    bool must_construct = num == 16 || num == 17 || num == 8 || num == 11 || num == 29;
    if (num == 0)
      return mtk_diag_fail(d, MTK_ERR_DER_TAG, c->off, "universal tag 0 is reserved");
    if (constructed && !must_construct)
      return mtk_diag_fail(d, MTK_ERR_DER_CONSTRUCTED, c->off,
                           "universal type %u in constructed form (DER requires primitive)", num);
    if (!constructed && must_construct)
      return mtk_diag_fail(d, MTK_ERR_DER_TAG, c->off,
                           "universal type %u in primitive form (must be constructed)", num);
  }
  size_t hdr = copy.off - c->off;
  if (len > copy.len)
    return mtk_diag_fail(d, MTK_ERR_DER_TRUNCATED, c->off,
                         "length 0x%zx exceeds parent (0x%zx bytes left)", len, copy.len);
  mtk_cbs body;
  if (!mtk_cbs_get_bytes(&copy, &body, len))
    return mtk_diag_fail(d, MTK_ERR_INTERNAL, c->off, "cursor");
  if (out_elem != NULL) {
    out_elem->p = c->p;
    out_elem->len = hdr + len;
    out_elem->off = c->off;
  }
  if (out_body != NULL) *out_body = body;
  if (out_tag != NULL) *out_tag = tag;
  *c = copy;
  return MTK_OK;
}

bool mtk_der_peek_tag(const mtk_cbs *c, mtk_tag *out_tag) {
  mtk_cbs copy = *c;
  size_t len;
  return parse_header(&copy, out_tag, &len, NULL) == MTK_OK;
}

static const char *tag_name(mtk_tag t, char *buf, size_t cap) {
  const char *n = NULL;
  switch (t) {
    case MTK_ASN1_BOOLEAN: n = "BOOLEAN"; break;
    case MTK_ASN1_INTEGER: n = "INTEGER"; break;
    case MTK_ASN1_BITSTRING: n = "BIT STRING"; break;
    case MTK_ASN1_OCTETSTRING: n = "OCTET STRING"; break;
    case MTK_ASN1_NULL: n = "NULL"; break;
    case MTK_ASN1_OID: n = "OBJECT IDENTIFIER"; break;
    case MTK_ASN1_SEQUENCE: n = "SEQUENCE"; break;
    case MTK_ASN1_SET: n = "SET"; break;
    case MTK_ASN1_UTCTIME: n = "UTCTime"; break;
    case MTK_ASN1_GENERALIZEDTIME: n = "GeneralizedTime"; break;
    default: break;
  }
  if (n != NULL) return n;
  const char *cls = "UNIVERSAL ";
  switch (t & MTK_TAG_CLASS_MASK) {
    case MTK_TAG_CONTEXT: cls = ""; break;
    case MTK_TAG_APPLICATION: cls = "APPLICATION "; break;
    case MTK_TAG_PRIVATE: cls = "PRIVATE "; break;
    default: break;
  }
  (void)snprintf(buf, cap, "[%s%u]%s", cls, (unsigned)(t & MTK_TAG_NUMBER_MASK),
                 (t & MTK_TAG_CONSTRUCTED) ? " constructed" : "");
  return buf;
}

mtk_status mtk_der_get_element(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_elem, mtk_cbs *out_body,
                               mtk_diag *d) {
  mtk_cbs copy = *c;
  mtk_tag got = 0;
  mtk_status s = mtk_der_get_any(&copy, &got, out_body, out_elem, d);
  if (s != MTK_OK) return s;
  if (got != tag) {
    char b1[48], b2[48];
    return mtk_diag_fail(d, MTK_ERR_DER_TAG, c->off, "expected %s, found %s",
                         tag_name(tag, b1, sizeof b1), tag_name(got, b2, sizeof b2));
  }
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_der_get(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_body, mtk_diag *d) {
  return mtk_der_get_element(c, tag, NULL, out_body, d);
}

mtk_status mtk_der_get_optional(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_body, bool *present,
                                mtk_diag *d) {
  mtk_tag t;
  *present = false;
  if (c->len == 0 || !mtk_der_peek_tag(c, &t) || t != tag) {
    /* A malformed header is reported by whoever reads the next element. */
    return MTK_OK;
  }
  mtk_status s = mtk_der_get(c, tag, out_body, d);
  if (s == MTK_OK) *present = true;
  return s;
}

mtk_status mtk_der_expect_end(const mtk_cbs *c, const char *what, mtk_diag *d) {
  if (c->len == 0) return MTK_OK;
  return mtk_diag_fail(d, MTK_ERR_DER_TRAILING, c->off, "%zu unexpected bytes after %s", c->len,
                       what);
}

/* ---- INTEGER (X.690 8.3) ----------------------------------------------------- */

mtk_status mtk_der_check_integer(const mtk_cbs *body, bool allow_padding, bool *negative,
                                 mtk_diag *d) {
  if (body->len == 0)
    return mtk_diag_fail(d, MTK_ERR_DER_INTEGER, body->off, "INTEGER has no content octets");
  if (body->len > 1) {
    /* 8.3.2: the first nine bits must not be all ones or all zeros. */
    bool pad0 = body->p[0] == 0x00 && !(body->p[1] & 0x80u);
    bool pad1 = body->p[0] == 0xFF && (body->p[1] & 0x80u);
    if (pad0 || pad1) {
      if (!allow_padding)
        return mtk_diag_fail(d, MTK_ERR_DER_INTEGER, body->off,
                             "INTEGER has a redundant leading 0x%02x octet", body->p[0]);
      mtk_diag_quirk(d, MTK_QUIRK_INTEGER_PADDED, body->off);
    }
  }
  if (negative != NULL) *negative = (body->p[0] & 0x80u) != 0;
  return MTK_OK;
}

mtk_status mtk_der_get_integer(mtk_cbs *c, mtk_cbs *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get(&copy, MTK_ASN1_INTEGER, &body, d);
  if (s != MTK_OK) return s;
  s = mtk_der_check_integer(&body, false, NULL, d);
  if (s != MTK_OK) return s;
  *out = body;
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_der_int_to_u64(const mtk_cbs *body, uint64_t *out, mtk_diag *d) {
  if (body->len == 0 || (body->p[0] & 0x80u))
    return mtk_diag_fail(d, MTK_ERR_DER_RANGE, body->off, "INTEGER is negative");
  size_t i = 0;
  if (body->p[0] == 0) i = 1;
  if (body->len - i > 8)
    return mtk_diag_fail(d, MTK_ERR_DER_RANGE, body->off, "INTEGER wider than 64 bits");
  uint64_t v = 0;
  for (; i < body->len; i++) v = v << 8 | body->p[i];
  *out = v;
  return MTK_OK;
}

mtk_status mtk_der_get_uint64(mtk_cbs *c, uint64_t *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get_integer(&copy, &body, d);
  if (s != MTK_OK) return s;
  s = mtk_der_int_to_u64(&body, out, d);
  if (s != MTK_OK) return s;
  *c = copy;
  return MTK_OK;
}

/* ---- BOOLEAN (8.2, 11.1) --------------------------------------------------- */

mtk_status mtk_der_get_bool(mtk_cbs *c, bool *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get(&copy, MTK_ASN1_BOOLEAN, &body, d);
  if (s != MTK_OK) return s;
  if (body.len != 1)
    return mtk_diag_fail(d, MTK_ERR_DER_BOOLEAN, body.off, "BOOLEAN of %zu octets (must be 1)",
                         body.len);
  if (body.p[0] != 0x00 && body.p[0] != 0xFF) mtk_diag_quirk(d, MTK_QUIRK_BOOL_NOT_FF, body.off);
  *out = body.p[0] != 0;
  *c = copy;
  return MTK_OK;
}

/* ---- OBJECT IDENTIFIER (8.19) ----------------------------------------------- */

mtk_status mtk_der_check_oid(const mtk_cbs *body, mtk_diag *d) {
  if (body->len == 0)
    return mtk_diag_fail(d, MTK_ERR_DER_OID, body->off, "OBJECT IDENTIFIER is empty");
  bool start = true;
  for (size_t i = 0; i < body->len; i++) {
    /* 8.19.2: each subidentifier in the fewest octets: no leading 0x80. */
    if (start && body->p[i] == 0x80)
      return mtk_diag_fail(d, MTK_ERR_DER_OID, body->off + i,
                           "OID arc has a leading 0x80 octet (not minimal)");
    start = !(body->p[i] & 0x80u);
  }
  if (!start)
    return mtk_diag_fail(d, MTK_ERR_DER_OID, body->off + body->len - 1,
                         "OID ends in the middle of an arc");
  return MTK_OK;
}

mtk_status mtk_der_get_oid(mtk_cbs *c, mtk_cbs *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get(&copy, MTK_ASN1_OID, &body, d);
  if (s != MTK_OK) return s;
  s = mtk_der_check_oid(&body, d);
  if (s != MTK_OK) return s;
  *out = body;
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_der_get_null(mtk_cbs *c, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get(&copy, MTK_ASN1_NULL, &body, d);
  if (s != MTK_OK) return s;
  if (body.len != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_NULL, body.off, "NULL has %zu content octets", body.len);
  *c = copy;
  return MTK_OK;
}

/* ---- BIT STRING (8.6, 11.2) -------------------------------------------------- */

mtk_status mtk_der_get_bitstring(mtk_cbs *c, mtk_cbs *out, uint8_t *unused, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_status s = mtk_der_get(&copy, MTK_ASN1_BITSTRING, &body, d);
  if (s != MTK_OK) return s;
  uint8_t u = 0;
  if (!mtk_cbs_get_u8(&body, &u))
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off, "BIT STRING has no content octets");
  if (u > 7)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off - 1, "BIT STRING unused bits %u > 7",
                         u);
  if (body.len == 0 && u != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off - 1,
                         "empty BIT STRING with %u unused bits", u);
  if (u != 0 && (body.p[body.len - 1] & ((1u << u) - 1u)) != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off + body.len - 1,
                         "BIT STRING unused bits are not zero (X.690 11.2.1)");
  *out = body;
  if (unused != NULL) *unused = u;
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_der_get_octets_bitstring(mtk_cbs *c, mtk_cbs *out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  uint8_t u = 0;
  mtk_status s = mtk_der_get_bitstring(&copy, &body, &u, d);
  if (s != MTK_OK) return s;
  if (u != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, c->off,
                         "BIT STRING holding octets has %u unused bits", u);
  *out = body;
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_der_get_named_bits(mtk_cbs *c, uint32_t *bits, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  uint8_t u = 0;
  size_t start = c->off;
  mtk_status s = mtk_der_get_bitstring(&copy, &body, &u, d);
  if (s != MTK_OK) return s;
  uint32_t v = 0;
  for (size_t i = 0; i < body.len; i++) {
    if (i >= 4) {
      if (body.p[i] != 0)
        return mtk_diag_fail(d, MTK_ERR_DER_RANGE, body.off + i,
                             "named bit beyond bit 31 is set");
      continue;
    }
    /* Bit 0 is the most significant bit of the first octet. */
    for (unsigned b = 0; b < 8; b++)
      if (body.p[i] & (0x80u >> b)) v |= 1u << (i * 8 + b);
  }
  /* 11.2.2: trailing zero bits of a named bit list are removed. */
  if (body.len > 0 && (body.p[body.len - 1] & (1u << u)) == 0)
    mtk_diag_quirk(d, MTK_QUIRK_BITSTRING_TRAILING_ZERO, start);
  *bits = v;
  *c = copy;
  return MTK_OK;
}

/* ---- time (RFC 5280 4.1.2.5) ----------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int dd) {
  /* Howard Hinnant's algorithm, proleptic Gregorian. */
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

bool mtk_time_from_civil(int64_t year, int month, int day, int hour, int min, int sec,
                         mtk_time *out) {
  if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, month) || hour < 0 || hour > 23 || min < 0 || min > 59 ||
      sec < 0 || sec > 59)
    return false;
  *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  return true;
}

void mtk_time_to_civil(mtk_time t, int64_t *year, int *month, int *day, int *hour, int *min,
                       int *sec) {
  /* Floor division without negating |t| (-INT64_MIN overflows). */
  int64_t days = t / 86400;
  int64_t rem = t % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  *hour = (int)(rem / 3600);
  *min = (int)(rem % 3600 / 60);
  *sec = (int)(rem % 60);
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = y + (*month <= 2);
}

void mtk_time_format(mtk_time t, char *buf, size_t cap) {
  int64_t y;
  int mo, dd, h, mi, s;
  mtk_time_to_civil(t, &y, &mo, &dd, &h, &mi, &s);
  (void)snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, mo, dd, h, mi, s);
}

static bool digits(const uint8_t *p, size_t n, int *out) {
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return true;
}

mtk_status mtk_der_get_time(mtk_cbs *c, mtk_time *out, mtk_tag *tag_out, mtk_diag *d) {
  mtk_cbs copy = *c, body;
  mtk_tag tag;
  mtk_status s = mtk_der_get_any(&copy, &tag, &body, NULL, d);
  if (s != MTK_OK) return s;
  if (tag != MTK_ASN1_UTCTIME && tag != MTK_ASN1_GENERALIZEDTIME)
    return mtk_diag_fail(d, MTK_ERR_DER_TAG, c->off, "expected UTCTime or GeneralizedTime");
  const uint8_t *p = body.p;
  size_t n = body.len;
  int year, mo, dd, h, mi, sec = 0;
  size_t i = 0;
  if (tag == MTK_ASN1_UTCTIME) {
    if (n < 11 || !digits(p, 2, &year))
      return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off, "malformed UTCTime");
    year += year >= 50 ? 1900 : 2000; /* RFC 5280 4.1.2.5.1 */
    i = 2;
  } else {
    if (n < 13 || !digits(p, 4, &year))
      return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off, "malformed GeneralizedTime");
    i = 4;
  }
  if (!digits(p + i, 2, &mo) || !digits(p + i + 2, 2, &dd) || !digits(p + i + 4, 2, &h) ||
      !digits(p + i + 6, 2, &mi))
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off, "time has non-digit characters");
  i += 8;
  bool have_sec = false;
  if (i + 2 <= n && p[i] >= '0' && p[i] <= '9') {
    if (!digits(p + i, 2, &sec))
      return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off + i, "malformed seconds");
    i += 2;
    have_sec = true;
  }
  if (!have_sec) mtk_diag_quirk(d, MTK_QUIRK_TIME_NO_SECONDS, body.off);
  if (tag == MTK_ASN1_GENERALIZEDTIME && i < n && (p[i] == '.' || p[i] == ',')) {
    size_t j = i + 1;
    while (j < n && p[j] >= '0' && p[j] <= '9') j++;
    if (j == i + 1)
      return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off + i, "empty fractional seconds");
    mtk_diag_quirk(d, MTK_QUIRK_FRACTIONAL_TIME, body.off + i);
    i = j;
  }
  int64_t offset_sec = 0;
  if (i < n && p[i] == 'Z') {
    i++;
  } else if (i < n && (p[i] == '+' || p[i] == '-')) {
    int oh, om;
    if (i + 5 != n || !digits(p + i + 1, 2, &oh) || !digits(p + i + 3, 2, &om) || oh > 23 ||
        om > 59)
      return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off + i, "malformed zone offset");
    offset_sec = (int64_t)(oh * 3600 + om * 60) * (p[i] == '+' ? 1 : -1);
    mtk_diag_quirk(d, MTK_QUIRK_TIME_NOT_Z, body.off + i);
    i += 5;
  } else {
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off + (i < n ? i : n),
                         "time does not end in Z");
  }
  if (i != n)
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off + i, "trailing characters after time");
  mtk_time t;
  if (!mtk_time_from_civil(year, mo, dd, h, mi, sec, &t))
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body.off, "date or time field out of range");
  if (tag == MTK_ASN1_GENERALIZEDTIME && year < 2050)
    mtk_diag_quirk(d, MTK_QUIRK_GENTIME_BEFORE_2050, c->off);
  *out = t - offset_sec;
  if (tag_out != NULL) *tag_out = tag;
  *c = copy;
  return MTK_OK;
}

bool mtk_time_parse(const char *s, size_t len, mtk_time *out) {
  const uint8_t *p = (const uint8_t *)s;
  int y, mo, dd, h = 0, mi = 0, sec = 0;
  if (len < 10 || !digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
      !digits(p + 8, 2, &dd))
    return false;
  size_t i = 10;
  int64_t off = 0;
  if (i < len) {
    if ((p[i] != 'T' && p[i] != 't' && p[i] != ' ') || len < i + 9 ||
        !digits(p + i + 1, 2, &h) || p[i + 3] != ':' || !digits(p + i + 4, 2, &mi) ||
        p[i + 6] != ':' || !digits(p + i + 7, 2, &sec))
      return false;
    i += 9;
    if (i < len && p[i] == '.') {
      i++;
      size_t st = i;
      while (i < len && p[i] >= '0' && p[i] <= '9') i++;
      if (i == st) return false;
    }
    if (i < len && (p[i] == 'Z' || p[i] == 'z')) {
      i++;
    } else if (i < len && (p[i] == '+' || p[i] == '-')) {
      int oh, om;
      if (len != i + 6 || !digits(p + i + 1, 2, &oh) || p[i + 3] != ':' ||
          !digits(p + i + 4, 2, &om) || oh > 23 || om > 59)
        return false;
      off = (int64_t)(oh * 3600 + om * 60) * (p[i] == '+' ? 1 : -1);
      i += 6;
    } else {
      return false;
    }
  }
  if (i != len) return false;
  mtk_time t;
  if (!mtk_time_from_civil(y, mo, dd, h, mi, sec, &t)) return false;
  *out = t - off;
  return true;
}

/* ---- generic walk ------------------------------------------------------------ */

mtk_status mtk_der_check_value(mtk_tag tag, const mtk_cbs *body, mtk_diag *d) {
  if ((tag & MTK_TAG_CLASS_MASK) != MTK_TAG_UNIVERSAL || (tag & MTK_TAG_CONSTRUCTED)) return MTK_OK;
  switch (tag) {
    case MTK_ASN1_BOOLEAN:
      if (body->len != 1)
        return mtk_diag_fail(d, MTK_ERR_DER_BOOLEAN, body->off, "BOOLEAN of %zu octets (must be 1)",
                             body->len);
      if (body->p[0] != 0x00 && body->p[0] != 0xFF) mtk_diag_quirk(d, MTK_QUIRK_BOOL_NOT_FF, body->off);
      return MTK_OK;
    case MTK_ASN1_INTEGER:
    case MTK_ASN1_ENUMERATED:
      return mtk_der_check_integer(body, false, NULL, d);
    case MTK_ASN1_NULL:
      if (body->len != 0)
        return mtk_diag_fail(d, MTK_ERR_DER_NULL, body->off, "NULL has %zu content octets", body->len);
      return MTK_OK;
    case MTK_ASN1_OID:
      return mtk_der_check_oid(body, d);
    case MTK_ASN1_BITSTRING: {
      if (body->len == 0)
        return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body->off, "BIT STRING has no content octets");
      uint8_t u = body->p[0];
      if (u > 7 || (body->len == 1 && u != 0) ||
          (u != 0 && (body->p[body->len - 1] & ((1u << u) - 1u)) != 0))
        return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body->off, "malformed BIT STRING (unused bits)");
      return MTK_OK;
    }
    case MTK_ASN1_UNIVERSALSTRING:
      if (body->len % 4 != 0)
        return mtk_diag_fail(d, MTK_ERR_DER_STRING, body->off,
                             "UniversalString of %zu octets (a multiple of 4 is required)", body->len);
      return MTK_OK;
    default:
      return MTK_OK;
  }
}

static mtk_status walk(mtk_cbs c, unsigned depth, unsigned max_depth, mtk_diag *d) {
  while (c.len > 0) {
    mtk_tag tag;
    mtk_cbs body;
    mtk_status s = mtk_der_get_any(&c, &tag, &body, NULL, d);
    if (s != MTK_OK) return s;
    if (tag & MTK_TAG_CONSTRUCTED) {
      if (depth + 1 > max_depth)
        return mtk_diag_fail(d, MTK_ERR_DER_DEPTH, body.off, "nesting deeper than %u levels",
                             max_depth);
      s = walk(body, depth + 1, max_depth, d);
    } else {
      s = mtk_der_check_value(tag, &body, d);
    }
    if (s != MTK_OK) return s;
  }
  return MTK_OK;
}

mtk_status mtk_der_walk(const mtk_cbs *c, unsigned max_depth, mtk_diag *d) {
  return walk(*c, 0, max_depth, d);
}

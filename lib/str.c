/* str.c: certificate strings and values as display text. See
 * include/mtlskit/str.h for the contract and the choices. */
#include "mtlskit/str.h"

#include <stdlib.h>
#include <string.h>

#include "mtlskit/oid.h"

#define REPLACEMENT 0xFFFDu

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* ---- tags ------------------------------------------------------------------ */

bool mtk_str_is_string_tag(mtk_tag tag) {
  switch (tag) {
    case MTK_ASN1_UTF8STRING: case MTK_ASN1_PRINTABLESTRING: case MTK_ASN1_IA5STRING:
    case MTK_ASN1_VISIBLESTRING: case MTK_ASN1_NUMERICSTRING: case MTK_ASN1_BMPSTRING:
    case MTK_ASN1_UNIVERSALSTRING: case MTK_ASN1_T61STRING:
      return true;
    default:
      return false;
  }
}

const char *mtk_str_tag_name(mtk_tag tag) {
  switch (tag) {
    case MTK_ASN1_BOOLEAN: return "BOOLEAN";
    case MTK_ASN1_INTEGER: return "INTEGER";
    case MTK_ASN1_BITSTRING: return "BIT STRING";
    case MTK_ASN1_OCTETSTRING: return "OCTET STRING";
    case MTK_ASN1_NULL: return "NULL";
    case MTK_ASN1_OID: return "OBJECT IDENTIFIER";
    case MTK_ASN1_ENUMERATED: return "ENUMERATED";
    case MTK_ASN1_UTF8STRING: return "UTF8String";
    case MTK_ASN1_SEQUENCE: return "SEQUENCE";
    case MTK_ASN1_SET: return "SET";
    case MTK_ASN1_NUMERICSTRING: return "NumericString";
    case MTK_ASN1_PRINTABLESTRING: return "PrintableString";
    case MTK_ASN1_T61STRING: return "TeletexString";
    case MTK_ASN1_VIDEOTEXSTRING: return "VideotexString";
    case MTK_ASN1_IA5STRING: return "IA5String";
    case MTK_ASN1_UTCTIME: return "UTCTime";
    case MTK_ASN1_GENERALIZEDTIME: return "GeneralizedTime";
    case MTK_ASN1_GRAPHICSTRING: return "GraphicString";
    case MTK_ASN1_VISIBLESTRING: return "VisibleString";
    case MTK_ASN1_GENERALSTRING: return "GeneralString";
    case MTK_ASN1_UNIVERSALSTRING: return "UniversalString";
    case MTK_ASN1_BMPSTRING: return "BMPString";
    default: return NULL;
  }
}

mtk_status mtk_str_tag(mtk_buf *out, mtk_tag tag) {
  const char *n = mtk_str_tag_name(tag);
  if (n != NULL) return mtk_buf_puts(out, n);
  unsigned num = (unsigned)(tag & MTK_TAG_NUMBER_MASK);
  const char *cons = (tag & MTK_TAG_CONSTRUCTED) ? " constructed" : "";
  switch (tag & MTK_TAG_CLASS_MASK) {
    case MTK_TAG_CONTEXT: return mtk_buf_printf(out, "[%u]%s", num, cons);
    case MTK_TAG_APPLICATION: return mtk_buf_printf(out, "[APPLICATION %u]%s", num, cons);
    case MTK_TAG_PRIVATE: return mtk_buf_printf(out, "[PRIVATE %u]%s", num, cons);
    default: return mtk_buf_printf(out, "[UNIVERSAL %u]%s", num, cons);
  }
}

/* Re-encodes the DER header of an element with |tag| and |len| content
 * octets into |hdr| (at most 5 tag + 9 length octets); returns its size.
 * The parser accepted only minimal encodings, so this is the original. */
static size_t der_header(mtk_tag tag, size_t len, uint8_t hdr[16]) {
  size_t n = 0;
  uint8_t first = (uint8_t)((tag >> 24) & 0xE0u);
  uint32_t num = tag & MTK_TAG_NUMBER_MASK;
  if (num < 31) {
    hdr[n++] = (uint8_t)(first | num);
  } else {
    hdr[n++] = (uint8_t)(first | 0x1Fu);
    int shift = 28;
    while (shift > 0 && ((num >> shift) & 0x7Fu) == 0) shift -= 7;
    for (; shift > 0; shift -= 7) hdr[n++] = (uint8_t)(0x80u | ((num >> shift) & 0x7Fu));
    hdr[n++] = (uint8_t)(num & 0x7Fu);
  }
  if (len < 0x80) {
    hdr[n++] = (uint8_t)len;
  } else {
    uint8_t tmp[sizeof(size_t)];
    size_t k = 0;
    for (size_t v = len; v != 0; v >>= 8) tmp[k++] = (uint8_t)(v & 0xFFu);
    hdr[n++] = (uint8_t)(0x80u | k);
    while (k > 0) hdr[n++] = tmp[--k];
  }
  return n;
}

/* ---- code point output ------------------------------------------------------ */

/* Code points that change what a reader sees without being seen: C1
 * controls, soft hyphen, zero-width and bidi formatting characters, line and
 * paragraph separators, BOM. */
static bool hidden_cp(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

static size_t utf8_encode(uint32_t cp, uint8_t o[4]) {
  if (cp < 0x80) {
    o[0] = (uint8_t)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (uint8_t)(0xC0u | (cp >> 6));
    o[1] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (uint8_t)(0xE0u | (cp >> 12));
    o[1] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
    o[2] = (uint8_t)(0x80u | (cp & 0x3Fu));
    return 3;
  }
  o[0] = (uint8_t)(0xF0u | (cp >> 18));
  o[1] = (uint8_t)(0x80u | ((cp >> 12) & 0x3Fu));
  o[2] = (uint8_t)(0x80u | ((cp >> 6) & 0x3Fu));
  o[3] = (uint8_t)(0x80u | (cp & 0x3Fu));
  return 4;
}

static void put_cp(mtk_buf *out, uint32_t cp, mtk_esc esc) {
  char e[16];
  switch (esc) {
    case MTK_ESC_TEXT:
      if (cp < 0x20 || cp == 0x7F) {
        e[0] = '\\';
        e[1] = 'x';
        e[2] = hex_lower[cp >> 4];
        e[3] = hex_lower[cp & 0xF];
        (void)mtk_buf_append(out, e, 4);
        return;
      }
      if (cp == '\\') {
        (void)mtk_buf_append(out, "\\\\", 2);
        return;
      }
      if (hidden_cp(cp)) {
        (void)mtk_buf_printf(out, "\\u{%04x}", (unsigned)cp);
        return;
      }
      break;
    case MTK_ESC_JSON:
      switch (cp) {
        case '"': (void)mtk_buf_append(out, "\\\"", 2); return;
        case '\\': (void)mtk_buf_append(out, "\\\\", 2); return;
        case '\b': (void)mtk_buf_append(out, "\\b", 2); return;
        case '\f': (void)mtk_buf_append(out, "\\f", 2); return;
        case '\n': (void)mtk_buf_append(out, "\\n", 2); return;
        case '\r': (void)mtk_buf_append(out, "\\r", 2); return;
        case '\t': (void)mtk_buf_append(out, "\\t", 2); return;
        default: break;
      }
      if (cp < 0x20 || cp == 0x7F || hidden_cp(cp)) {
        e[0] = '\\';
        e[1] = 'u';
        e[2] = hex_lower[(cp >> 12) & 0xF];
        e[3] = hex_lower[(cp >> 8) & 0xF];
        e[4] = hex_lower[(cp >> 4) & 0xF];
        e[5] = hex_lower[cp & 0xF];
        (void)mtk_buf_append(out, e, 6);
        return;
      }
      break;
    case MTK_ESC_RAW:
      break;
  }
  uint8_t u[4];
  size_t n = utf8_encode(cp, u);
  (void)mtk_buf_append(out, u, n);
}

/* ---- decoders: source encoding -> code points ------------------------------- */

/* A sink receives each decoded code point. */
typedef void (*cp_sink)(void *arg, uint32_t cp);

/* UTF-8 with U+FFFD for each maximal subpart of an ill-formed sequence
 * (Unicode 15.0, section 3.9, Table 3-7 gives the well-formed ranges). */
static void decode_utf8(const uint8_t *p, size_t n, cp_sink sink, void *arg, unsigned *flags) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    if (b < 0x80) {
      sink(arg, b);
      i++;
      continue;
    }
    size_t need;
    uint32_t cp;
    uint8_t lo = 0x80, hi = 0xBF; /* range of the second octet */
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
      cp = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      cp = b & 0x0Fu;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F; /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      cp = b & 0x07u;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F; /* not above U+10FFFF */
    } else {
      sink(arg, REPLACEMENT);
      *flags |= MTK_STR_LOSSY;
      i++;
      continue;
    }
    size_t k = 1;
    bool ok = true;
    for (; k <= need; k++) {
      if (i + k >= n) {
        ok = false;
        break;
      }
      uint8_t c = p[i + k];
      uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (c < l || c > h) {
        ok = false;
        break;
      }
      cp = cp << 6 | (c & 0x3Fu);
    }
    if (!ok) {
      /* The lead and the valid continuations so far are one maximal subpart. */
      sink(arg, REPLACEMENT);
      *flags |= MTK_STR_LOSSY;
      i += k;
      continue;
    }
    sink(arg, cp);
    i += need + 1;
  }
}

static void decode_ascii(const uint8_t *p, size_t n, cp_sink sink, void *arg, unsigned *flags) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] > 0x7F) {
      sink(arg, REPLACEMENT);
      *flags |= MTK_STR_LOSSY;
    } else {
      sink(arg, p[i]);
    }
  }
}

static void decode_latin1(const uint8_t *p, size_t n, cp_sink sink, void *arg) {
  for (size_t i = 0; i < n; i++) sink(arg, p[i]);
}

static void decode_bmp(const uint8_t *p, size_t n, cp_sink sink, void *arg, unsigned *flags) {
  size_t i = 0;
  for (; i + 1 < n; i += 2) {
    uint32_t u = (uint32_t)p[i] << 8 | p[i + 1];
    if (u >= 0xD800 && u <= 0xDFFF) {
      sink(arg, REPLACEMENT);
      *flags |= MTK_STR_LOSSY;
    } else {
      sink(arg, u);
    }
  }
  if (i < n) {
    sink(arg, REPLACEMENT);
    *flags |= MTK_STR_LOSSY;
  }
}

static void decode_ucs4(const uint8_t *p, size_t n, cp_sink sink, void *arg, unsigned *flags) {
  size_t i = 0;
  for (; i + 3 < n; i += 4) {
    uint32_t u = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 | p[i + 3];
    if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
      sink(arg, REPLACEMENT);
      *flags |= MTK_STR_LOSSY;
    } else {
      sink(arg, u);
    }
  }
  if (i < n) {
    sink(arg, REPLACEMENT);
    *flags |= MTK_STR_LOSSY;
  }
}

/* Decodes a string value of a string type; false if |tag| is not one. */
static bool decode_string(mtk_tag tag, const uint8_t *p, size_t n, cp_sink sink, void *arg,
                          unsigned *flags) {
  switch (tag) {
    case MTK_ASN1_UTF8STRING: decode_utf8(p, n, sink, arg, flags); return true;
    case MTK_ASN1_PRINTABLESTRING:
    case MTK_ASN1_IA5STRING:
    case MTK_ASN1_VISIBLESTRING:
    case MTK_ASN1_NUMERICSTRING: decode_ascii(p, n, sink, arg, flags); return true;
    case MTK_ASN1_BMPSTRING: decode_bmp(p, n, sink, arg, flags); return true;
    case MTK_ASN1_UNIVERSALSTRING: decode_ucs4(p, n, sink, arg, flags); return true;
    case MTK_ASN1_T61STRING: decode_latin1(p, n, sink, arg); return true;
    default: return false;
  }
}

typedef struct esc_sink {
  mtk_buf *out;
  mtk_esc esc;
} esc_sink;

static void esc_sink_fn(void *arg, uint32_t cp) {
  esc_sink *s = arg;
  put_cp(s->out, cp, s->esc);
}

static void put_der_hex(mtk_buf *out, mtk_tag tag, const uint8_t *p, size_t len) {
  uint8_t hdr[16];
  size_t h = der_header(tag, len, hdr);
  (void)mtk_buf_putc(out, '#');
  (void)mtk_str_hex(out, hdr, h, 0, false);
  (void)mtk_str_hex(out, p, len, 0, false);
}

mtk_status mtk_str_append(mtk_buf *out, mtk_tag tag, const uint8_t *p, size_t len, mtk_esc esc,
                          unsigned *flags) {
  unsigned f = 0;
  esc_sink s = {out, esc};
  if (!decode_string(tag, p, len, esc_sink_fn, &s, &f)) {
    put_der_hex(out, tag, p, len);
    f |= MTK_STR_HEX;
  }
  if (flags != NULL) *flags |= f;
  return mtk_buf_status(out);
}

mtk_status mtk_str_escape_utf8(mtk_buf *out, const uint8_t *p, size_t len, mtk_esc esc) {
  return mtk_str_append(out, MTK_ASN1_UTF8STRING, p, len, esc, NULL);
}

mtk_status mtk_str_json_quote(mtk_buf *out, const uint8_t *p, size_t len) {
  (void)mtk_buf_putc(out, '"');
  (void)mtk_str_escape_utf8(out, p, len, MTK_ESC_JSON);
  return mtk_buf_putc(out, '"');
}

/* ---- hex, base64 ----------------------------------------------------------------- */

mtk_status mtk_str_hex(mtk_buf *out, const uint8_t *p, size_t len, char sep, bool upper) {
  const char *digits = upper ? hex_upper : hex_lower;
  char chunk[96];
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (n + 3 > sizeof chunk) {
      (void)mtk_buf_append(out, chunk, n);
      n = 0;
    }
    if (sep != 0 && i > 0) chunk[n++] = sep;
    chunk[n++] = digits[p[i] >> 4];
    chunk[n++] = digits[p[i] & 0xF];
  }
  if (n > 0) (void)mtk_buf_append(out, chunk, n);
  return mtk_buf_status(out);
}

mtk_status mtk_str_base64(mtk_buf *out, const uint8_t *p, size_t len) {
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  char q[4];
  for (; i + 2 < len; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
    q[0] = al[(v >> 18) & 63];
    q[1] = al[(v >> 12) & 63];
    q[2] = al[(v >> 6) & 63];
    q[3] = al[v & 63];
    (void)mtk_buf_append(out, q, 4);
  }
  if (len - i == 1) {
    uint32_t v = (uint32_t)p[i] << 16;
    q[0] = al[(v >> 18) & 63];
    q[1] = al[(v >> 12) & 63];
    q[2] = '=';
    q[3] = '=';
    (void)mtk_buf_append(out, q, 4);
  } else if (len - i == 2) {
    uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
    q[0] = al[(v >> 18) & 63];
    q[1] = al[(v >> 12) & 63];
    q[2] = al[(v >> 6) & 63];
    q[3] = '=';
    (void)mtk_buf_append(out, q, 4);
  }
  return mtk_buf_status(out);
}

/* ---- IP addresses ------------------------------------------------------------------ */

static void put_ipv4(mtk_buf *out, const uint8_t *p) {
  (void)mtk_buf_printf(out, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

/* RFC 5952 4: the canonical text form of a 16-octet IPv6 address. */
static void put_ipv6(mtk_buf *out, const uint8_t *p) {
  unsigned g[8];
  for (int i = 0; i < 8; i++) g[i] = (unsigned)p[2 * i] << 8 | p[2 * i + 1];
  /* RFC 5952 5: IPv4-mapped addresses in mixed notation. */
  if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
    (void)mtk_buf_puts(out, "::ffff:");
    put_ipv4(out, p + 12);
    return;
  }
  /* 4.2.1-4.2.3: the longest run of zero groups, two at least, the first
   * of equal runs. */
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) j++;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  if (best_len < 2) best = -1;
  for (int i = 0; i < 8; i++) {
    if (i == best) {
      (void)mtk_buf_puts(out, "::");
      i += best_len - 1;
      continue;
    }
    if (i > 0 && i != best + best_len) (void)mtk_buf_putc(out, ':');
    (void)mtk_buf_printf(out, "%x", g[i]); /* 4.2.1 no leading zeros, 4.3 lowercase */
  }
}

/* Prefix length of a contiguous mask, or -1. */
static int mask_prefix(const uint8_t *m, size_t n) {
  int bits = 0;
  size_t i = 0;
  while (i < n && m[i] == 0xFF) {
    bits += 8;
    i++;
  }
  if (i < n) {
    uint8_t b = m[i];
    while (b & 0x80u) {
      bits++;
      b = (uint8_t)(b << 1);
    }
    if (b != 0) return -1;
    for (i++; i < n; i++)
      if (m[i] != 0) return -1;
  }
  return bits;
}

mtk_status mtk_str_ip(mtk_buf *out, const uint8_t *p, size_t len) {
  switch (len) {
    case 4: put_ipv4(out, p); break;
    case 16: put_ipv6(out, p); break;
    case 8:
    case 32: {
      size_t half = len / 2;
      if (half == 4) put_ipv4(out, p); else put_ipv6(out, p);
      int prefix = mask_prefix(p + half, half);
      if (prefix >= 0) {
        (void)mtk_buf_printf(out, "/%d", prefix);
      } else {
        (void)mtk_buf_putc(out, '/');
        if (half == 4) put_ipv4(out, p + half); else put_ipv6(out, p + half);
      }
      break;
    }
    default:
      (void)mtk_buf_putc(out, '#');
      (void)mtk_str_hex(out, p, len, 0, false);
      break;
  }
  return mtk_buf_status(out);
}

/* ---- OIDs ------------------------------------------------------------------------------ */

mtk_status mtk_str_oid(mtk_buf *out, const mtk_cbs *oid) {
  char tmp[1024];
  if (mtk_oid_format(oid, tmp, sizeof tmp) == MTK_OK) return mtk_buf_puts(out, tmp);
  (void)mtk_buf_putc(out, '#');
  return mtk_str_hex(out, oid->p, oid->len, 0, false);
}

mtk_status mtk_str_oid_name(mtk_buf *out, const mtk_cbs *oid) {
  mtk_oid_id id = mtk_oid_lookup(oid);
  const char *sn = mtk_oid_short_name(id);
  if (id != MTK_OID_UNKNOWN && sn[0] != '\0') return mtk_buf_puts(out, sn);
  return mtk_str_oid(out, oid);
}

/* ---- distinguished names ------------------------------------------------------------------ */

/* RFC 4512 1.4: descr = keystring = leadkeychar *keychar. */
static bool is_descr(const char *s) {
  if (s == NULL || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z'))) return false;
  for (const char *q = s + 1; *q; q++)
    if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
          *q == '-'))
      return false;
  return true;
}

const char *mtk_str_attr_type_name(mtk_oid_id id, bool strict) {
  /* RFC 4514 3: the names every implementation recognises. */
  switch (id) {
    case MTK_OID_AT_CN: return "CN";
    case MTK_OID_AT_L: return "L";
    case MTK_OID_AT_ST: return "ST";
    case MTK_OID_AT_O: return "O";
    case MTK_OID_AT_OU: return "OU";
    case MTK_OID_AT_C: return "C";
    case MTK_OID_AT_STREET: return "STREET";
    case MTK_OID_DC: return "DC";
    case MTK_OID_UID: return "UID";
    default: break;
  }
  if (strict || id == MTK_OID_UNKNOWN) return NULL;
  const char *sn = mtk_oid_short_name(id);
  return is_descr(sn) ? sn : NULL;
}

typedef struct dn_sink {
  mtk_buf *out;
  size_t start;      /* out->len where this value began */
  size_t last_space; /* out->len just before a trailing unescaped ' ', or SIZE_MAX */
} dn_sink;

/* RFC 4514 2.4 escaping of one code point of a value. */
static void dn_sink_fn(void *arg, uint32_t cp) {
  dn_sink *s = arg;
  mtk_buf *out = s->out;
  bool first = out->len == s->start;
  s->last_space = SIZE_MAX;
  switch (cp) {
    case '"': case '+': case ',': case ';': case '<': case '>': case '\\':
      (void)mtk_buf_putc(out, '\\');
      (void)mtk_buf_putc(out, (char)cp);
      return;
    case '#':
      if (first) (void)mtk_buf_putc(out, '\\');
      (void)mtk_buf_putc(out, '#');
      return;
    case ' ':
      if (first) {
        (void)mtk_buf_append(out, "\\ ", 2);
      } else {
        s->last_space = out->len;
        (void)mtk_buf_putc(out, ' ');
      }
      return;
    default:
      break;
  }
  if (cp < 0x20 || cp == 0x7F || hidden_cp(cp)) {
    uint8_t u[4];
    size_t n = utf8_encode(cp, u);
    for (size_t i = 0; i < n; i++) {
      char e[3] = {'\\', hex_upper[u[i] >> 4], hex_upper[u[i] & 0xF]};
      (void)mtk_buf_append(out, e, 3);
    }
    return;
  }
  put_cp(out, cp, MTK_ESC_RAW);
}

mtk_status mtk_str_attr_value(mtk_buf *out, const mtk_attr *a, bool hex) {
  unsigned f = 0;
  if (hex || !mtk_str_is_string_tag(a->tag)) {
    put_der_hex(out, a->tag, a->value.p, a->value.len);
    return mtk_buf_status(out);
  }
  dn_sink s = {out, out->len, SIZE_MAX};
  (void)decode_string(a->tag, a->value.p, a->value.len, dn_sink_fn, &s, &f);
  /* A trailing space is escaped (RFC 4514 2.4). The buffer may have
   * overflowed since, in which case nothing more is written anyway. */
  if (s.last_space != SIZE_MAX && !out->overflow && s.last_space + 1 == out->len) {
    out->len = s.last_space;
    (void)mtk_buf_append(out, "\\ ", 2);
  }
  return mtk_buf_status(out);
}

static void put_attr(mtk_buf *out, const mtk_attr *a, bool strict) {
  const char *tn = mtk_str_attr_type_name(a->id, strict);
  if (tn != NULL) {
    (void)mtk_buf_puts(out, tn);
  } else {
    (void)mtk_str_oid(out, &a->oid);
  }
  (void)mtk_buf_putc(out, '=');
  (void)mtk_str_attr_value(out, a, strict && tn == NULL);
}

/* Reads the next AttributeTypeAndValue of a RelativeDistinguishedName's
 * SET contents |set|. */
static bool next_ava(mtk_cbs *set, mtk_attr *a) {
  mtk_cbs atv_elem, atv;
  memset(a, 0, sizeof(*a));
  if (set->len == 0 ||
      mtk_der_get_element(set, MTK_ASN1_SEQUENCE, &atv_elem, &atv, NULL) != MTK_OK ||
      mtk_der_get_oid(&atv, &a->oid, NULL) != MTK_OK ||
      mtk_der_get_any(&atv, &a->tag, &a->value, &a->value_elem, NULL) != MTK_OK) {
    set->len = 0;
    return false;
  }
  a->id = mtk_oid_lookup(&a->oid);
  a->offset = atv_elem.off;
  return true;
}

static void put_name(mtk_buf *out, const mtk_name *name, unsigned flags) {
  bool strict = (flags & MTK_DN_STRICT) != 0;
  if (flags & MTK_DN_ONELINE) {
    mtk_name_iter it;
    mtk_attr a;
    mtk_name_iter_init(&it, name);
    bool first = true;
    while (mtk_name_next(&it, &a)) {
      if (!first) (void)mtk_buf_puts(out, a.pos > 0 ? " + " : ", ");
      first = false;
      put_attr(out, &a, strict);
    }
    return;
  }
  /* RFC 4514 2.1: "starting with the last element of the sequence and
   * moving backwards toward the first", separated by commas; 2.2: the
   * values of a multi-valued RDN joined by plus signs (in encoding order).
   * The RDNs are indexed first so that the walk stays linear in the size of
   * the name, however many RDNs it has. */
  size_t n = name->n_rdns;
  if (n == 0) return;
  mtk_cbs *rdns = malloc(n * sizeof(*rdns));
  if (rdns == NULL) {
    out->overflow = true;
    return;
  }
  mtk_cbs rest = name->body;
  size_t k = 0;
  while (k < n && rest.len > 0 && mtk_der_get(&rest, MTK_ASN1_SET, &rdns[k], NULL) == MTK_OK) k++;
  for (size_t r = k; r > 0 && !out->overflow; r--) {
    mtk_cbs set = rdns[r - 1];
    mtk_attr a;
    bool first = true;
    while (next_ava(&set, &a)) {
      if (!first) (void)mtk_buf_putc(out, '+');
      first = false;
      put_attr(out, &a, strict);
    }
    if (r > 1) (void)mtk_buf_putc(out, ',');
  }
  free(rdns);
}

mtk_status mtk_str_name(mtk_buf *out, const mtk_name *name, unsigned flags, mtk_esc esc) {
  if (esc != MTK_ESC_JSON) {
    put_name(out, name, flags);
    return mtk_buf_status(out);
  }
  mtk_buf tmp;
  mtk_buf_init(&tmp, out->cap);
  put_name(&tmp, name, flags);
  if (tmp.overflow) {
    out->overflow = true;
  } else if (tmp.len > 0) {
    (void)mtk_str_escape_utf8(out, tmp.p, tmp.len, MTK_ESC_JSON);
  }
  mtk_buf_free(&tmp);
  return mtk_buf_status(out);
}

bool mtk_str_name_cn(mtk_buf *out, const mtk_name *name, mtk_esc esc) {
  mtk_name_iter it;
  mtk_attr a, cn;
  bool found = false;
  mtk_name_iter_init(&it, name);
  while (mtk_name_next(&it, &a)) {
    if (a.id == MTK_OID_AT_CN) {
      cn = a;
      found = true;
    }
  }
  if (found) (void)mtk_str_append(out, cn.tag, cn.value.p, cn.value.len, esc, NULL);
  return found;
}

/* ---- times ------------------------------------------------------------------------------- */

mtk_status mtk_str_time(mtk_buf *out, mtk_time t) {
  char tmp[64];
  mtk_time_format(t, tmp, sizeof tmp);
  return mtk_buf_puts(out, tmp);
}

static void plural(mtk_buf *out, uint64_t n, const char *unit) {
  (void)mtk_buf_printf(out, "%llu %s%s", (unsigned long long)n, unit, n == 1 ? "" : "s");
}

mtk_status mtk_str_span(mtk_buf *out, int64_t seconds) {
  uint64_t s = seconds < 0 ? (uint64_t)0 - (uint64_t)seconds : (uint64_t)seconds;
  if (s >= 86400) plural(out, s / 86400, "day");
  else if (s >= 3600) plural(out, s / 3600, "hour");
  else if (s >= 60) plural(out, s / 60, "minute");
  else plural(out, s, "second");
  return mtk_buf_status(out);
}

int mtk_str_validity_status(mtk_buf *out, mtk_time not_before, mtk_time not_after,
                            mtk_time now) {
  if (now < not_before) {
    (void)mtk_buf_puts(out, "not yet valid, starts in ");
    (void)mtk_str_span(out, not_before - now);
    return -1;
  }
  if (now > not_after) {
    (void)mtk_buf_puts(out, "expired ");
    (void)mtk_str_span(out, now - not_after);
    (void)mtk_buf_puts(out, " ago");
    return 1;
  }
  (void)mtk_buf_puts(out, "valid, expires in ");
  (void)mtk_str_span(out, not_after - now);
  return 0;
}

mtk_status mtk_str_lifetime(mtk_buf *out, mtk_time not_before, mtk_time not_after) {
  if (not_after < not_before) return mtk_buf_puts(out, "none (notAfter is before notBefore)");
  uint64_t s = (uint64_t)(not_after - not_before) + 1;
  uint64_t days = s / 86400, rem = s % 86400;
  if (days > 0) plural(out, days, "day");
  if (rem >= 3600 || days == 0) {
    if (days > 0) (void)mtk_buf_putc(out, ' ');
    if (rem >= 3600) plural(out, rem / 3600, "hour");
    else (void)mtk_str_span(out, (int64_t)rem);
  }
  return mtk_buf_status(out);
}

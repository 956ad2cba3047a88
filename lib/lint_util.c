/* lint_util.c: small helpers the lint areas share: paths, quoting of
 * certificate bytes for details, ASCII comparisons over (pointer, length)
 * data, IP address text, and the extension decoders with "absent" folded in. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"

void lint_pathf(char *buf, size_t cap, const char *fmt, ...) {
  if (cap == 0) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
  if (n < 0) buf[0] = '\0';
}

void lint_ext_path(const lint_ctx *x, const mtk_ext *e, const char *suffix, char *buf,
                   size_t cap) {
  lint_pathf(buf, cap, "%s[%u]%s", x->ext_path, e->index, suffix != NULL ? suffix : "");
}

void lint_quote(const uint8_t *p, size_t n, char *buf, size_t cap) {
  static const char hex[] = "0123456789abcdef";
  size_t o = 0;
  if (cap == 0) return;
  for (size_t i = 0; i < n; i++) {
    uint8_t ch = p[i];
    bool plain = ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"';
    size_t need = plain ? 1 : 4;
    if (o + need + 4 > cap) { /* room for "..." and the NUL */
      if (o + 4 <= cap) {
        memcpy(buf + o, "...", 3);
        o += 3;
      }
      break;
    }
    if (plain) {
      buf[o++] = (char)ch;
    } else {
      buf[o++] = '\\';
      buf[o++] = 'x';
      buf[o++] = hex[ch >> 4];
      buf[o++] = hex[ch & 0xf];
    }
  }
  buf[o] = '\0';
}

static uint8_t lower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c; }

bool lint_ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  if (an != bn) return false;
  for (size_t i = 0; i < an; i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool lint_has_prefix_ci(const uint8_t *p, size_t n, const char *prefix) {
  size_t pn = strlen(prefix);
  return n >= pn && lint_ieq(p, pn, (const uint8_t *)prefix, pn);
}

/* Dotted quad, four decimal numbers 0..255 without leading zeros. */
bool lint_parse_ipv4(const uint8_t *p, size_t n, uint8_t out[4]) {
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || p[i] != '.') return false;
      i++;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && i - start < 3) v = v * 10 + (unsigned)(p[i++] - '0');
    if (i == start || v > 255 || (i - start > 1 && p[start] == '0')) return false;
    out[part] = (uint8_t)v;
  }
  return i == n;
}

static int hexval(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* RFC 4291 2.2 text: eight groups of 1-4 hex digits, one "::" for a run of
 * zero groups, optionally a dotted quad in the last 32 bits. */
bool lint_parse_ipv6(const uint8_t *p, size_t n, uint8_t out[16]) {
  uint8_t words[16];
  size_t nw = 0;   /* octets written */
  long gap = -1;   /* octet index of "::" */
  size_t i = 0;
  if (n >= 2 && p[0] == ':' && p[1] == ':') {
    gap = 0;
    i = 2;
  } else if (n > 0 && p[0] == ':') {
    return false;
  }
  while (i < n) {
    if (nw >= 16) return false;
    /* An embedded IPv4 tail. */
    size_t j = i;
    while (j < n && p[j] != ':' && p[j] != '.') j++;
    if (j < n && p[j] == '.') {
      if (nw > 12) return false;
      if (!lint_parse_ipv4(p + i, n - i, words + nw)) return false;
      nw += 4;
      i = n;
      break;
    }
    unsigned v = 0;
    size_t start = i;
    while (i < n && i - start < 4 && hexval(p[i]) >= 0) v = (v << 4) | (unsigned)hexval(p[i++]);
    if (i == start) return false;
    words[nw++] = (uint8_t)(v >> 8);
    words[nw++] = (uint8_t)v;
    if (i == n) break;
    if (p[i] != ':') return false;
    i++;
    if (i < n && p[i] == ':') {
      if (gap >= 0) return false;
      gap = (long)nw;
      i++;
    } else if (i == n) {
      return false; /* trailing single ':' */
    }
  }
  if (gap < 0) {
    if (nw != 16) return false;
    memcpy(out, words, 16);
    return true;
  }
  if (nw > 14) return false;
  size_t g = (size_t)gap, tail = nw - g;
  memset(out, 0, 16);
  memcpy(out, words, g);
  memcpy(out + 16 - tail, words + g, tail);
  return true;
}

bool lint_ku(const mtk_extensions *e, uint32_t *bits) {
  const mtk_ext *ku = mtk_ext_get(e, MTK_XK_KU);
  *bits = 0;
  return ku != NULL && mtk_ext_key_usage(&ku->value, bits, NULL) == MTK_OK;
}

bool lint_bc(const mtk_extensions *e, mtk_basic_constraints *bc) {
  const mtk_ext *ext = mtk_ext_get(e, MTK_XK_BC);
  memset(bc, 0, sizeof(*bc));
  return ext != NULL && mtk_ext_basic_constraints(&ext->value, bc, NULL) == MTK_OK;
}

bool lint_eku_has(const mtk_extensions *e, mtk_oid_id id) {
  const mtk_ext *eku = mtk_ext_get(e, MTK_XK_EKU);
  return eku != NULL && mtk_ext_has_eku(&eku->value, id);
}

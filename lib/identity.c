/* identity.c: service identity, RFC 9525 by default, RFC 6125 as a legacy
 * mode (identity.h).
 *
 * THE RULES. Ids follow ../shared/IDENTITY-RULES.md; tests/unit/identity_test.c
 * has one test per id. "9525" and "6125" are the RFCs, with their sections.
 *
 * Building references (mtk_ref_parse_*; the certificate is never consulted)
 *   R1  References come from the caller only, never from the certificate
 *       (9525 6.1.1, 6125 6.2.1). The parsers take text, not a certificate.
 *   R3  Four kinds: DNS-ID, SRV-ID, URI-ID, IP-ID; the caller lists them in
 *       priority order (9525 6.1.1 is local policy).
 *   R4  IPv4 text is an IP reference, never a DNS one (9525 3, 7.4; RFC 3986
 *       3.2.2 "first-match-wins"): a DNS reference that parses as IPv4, or
 *       whose last label is all digits (RFC 3696 2), is refused. IP text is
 *       strict (RFC 3986 3.2.2, RFC 4291 2.2): no leading zeros, no short
 *       forms, no zone id, no brackets.
 *   R5  A DNS reference is LDH labels (letters, digits, hyphen; no hyphen at
 *       either end; 1..63 octets; 253 in all); one trailing dot is dropped;
 *       '*', '_', NUL, whitespace and ':' are refused.
 *   R6  SRV-ID "_service.domain": the service and the domain (RFC 4985 2; no
 *       "_proto" label). URI-ID: the scheme and the reg-name host (9525 6.2);
 *       userinfo, port, path, query and fragment dropped; an IP host is no
 *       URI-ID reference (9525 6.1.2); sip/sips hosts per RFC 3261 19.1.
 *   R15 U-labels are converted to A-labels, IDNA2008 with libidn2
 *       (9525 6.3 citing RFC 5891; 6125 6.4.2); an "xn--" label must be a
 *       valid A-label.
 *
 * Choosing presented identifiers
 *   R7  A reference is compared only with presented identifiers of its own
 *       type: DNS-ID with dNSName, IP-ID with iPAddress, SRV-ID with the
 *       SRVName otherName, URI-ID with uniformResourceIdentifier (9525 2,
 *       6.2, 6.5). rfc822Name, directoryName and other otherNames are not
 *       service identities (9525 1.4.2, 2).
 *   R8  An SRV-ID or URI-ID service type is combined only with the domain of
 *       the same reference (9525 6.5): one mtk_ref holds both.
 *   R9  References are tried in the caller's order, and for each the
 *       presented identifiers in certificate order; the first reference
 *       satisfied is the validated identity (9525 6.2, 6.6).
 *   R10 Several presented identifiers and references: any one match is a
 *       match (9525 4.1, 7.5).
 *   R11 A malformed presented identifier is skipped, never fatal, never
 *       matched; the others are still tried (9525 6.3, 7.2). A SAN extension
 *       that cannot be decoded, or that appears twice, fails closed.
 *   R12 Strict mode never uses the subject CN (9525 2, 1.3, Appendix A).
 *   R13 Legacy mode (MTK_ID_RFC6125): a subject CN is a DNS-ID of last
 *       resort, only when the certificate has no dNSName, SRVName, URI or
 *       iPAddress SAN entry at all, malformed ones included (6125 6.4.4,
 *       6.3); only against DNS references; every CN whose value is a DNS name
 *       or pattern is a candidate (6125 2.3.1); free-text CNs are skipped.
 *
 * DNS names (DNS-ID, the domain of SRV-ID and URI-ID, CN-ID)
 *   R14 Label by label, equal label counts, ASCII case-insensitive (RFC 4343);
 *       no suffix, prefix or substring matching (9525 6.3, 6125 6.4.1).
 *   R15 Presented names must be ASCII; non-ASCII octets are malformed
 *       (9525 2; RFC 5280 7.2). Unicode forms are never compared (9525 7.3).
 *   R16 A presented name with a trailing dot is malformed (RFC 5280 4.2.1.6,
 *       RFC 1034 3.5 preferred syntax), even if the reference had one.
 *   R17 Presented syntax: ASCII LDH labels joined by single dots; no NUL,
 *       whitespace, empty label, leading or trailing dot; '*' only as W2
 *       (and L1) allow; empty or " " is malformed.
 *
 * Wildcards (9525 6.3, 7.1)
 *   W1  On by default; MTK_ID_NO_WILDCARDS turns them off (9525 3).
 *   W2  One '*', the whole leftmost label ("*.rest"); anything else is
 *       invalid and ignored: "f*.x.y", "*f.x.y", "f*o.x.y" (strict), "x.*.y",
 *       "*.*.y", "**.x.y", "xn--*.x.y".
 *   W3  The '*' label matches exactly one non-empty label: never zero, never
 *       several.
 *   W4  The '*' label may match an A-label; the rest may hold A-labels.
 *   W5  References never hold '*' (9525 6.3): refused by R5.
 *   W6  At least two labels after the '*' label ("*.com", "*.example", "*"
 *       never match); no public-suffix list, so "*.co.uk" does (9525 7.1).
 *   W7  No wildcards in the domain of an SRV-ID or URI-ID, and none in IPs.
 *
 * Legacy wildcards (MTK_ID_RFC6125; 6125 6.4.3, 7.2)
 *   L1  A partial leftmost label with exactly one '*': "baz*", "*baz", "b*z";
 *       the fixed parts compare case-insensitively.
 *   L2  The '*' of a partial label stands for at least one character, never a
 *       dot ("baz*" does not match "baz").
 *   L3  Never in an A-label: a pattern label starting "xn--" may not hold '*',
 *       and a partial wildcard never matches a reference label starting
 *       "xn--" (so "c*" never matches the A-label of "café").
 *   L4  Still refused: '*' outside the leftmost label, several '*',
 *       multi-label matches, fewer than two labels after it (W6).
 *
 * IP addresses (9525 6.2, 6.4; RFC 2818 3.1 for legacy mode)
 *   I1  Exact octet comparison, lengths included; no prefix matching.
 *   I2  An IP reference is never compared with a dNSName, URI or CN.
 *   I3  No family conversion: "::ffff:192.0.2.1" (16 octets) is not
 *       "192.0.2.1" (4 octets); it is "::ffff:c000:201".
 *   I4  An iPAddress of a length other than 4 or 16 is malformed.
 *   I5  Reference text is strict, as R4.
 *
 * SRV-ID (RFC 4985; 9525 6.5)
 *   S1  The SRVName is an IA5String "_service.name" with no "_proto";
 *       anything else is malformed.
 *   S2  Service names compare case-insensitively; both carry the '_'.
 *   S3  The name compares as a DNS name (R14-R17) without wildcards (W7).
 *   S4  An SRVName whose name is an IP address is invalid (9525 6.4).
 *
 * URI-ID (9525 6.5, 7.2; RFC 3986)
 *   U1  A presented URI needs a scheme and a reg-name host; otherwise it is
 *       not a URI-ID and is ignored. No WHATWG repair ("https:///h" has no
 *       host).
 *   U2  Schemes compare case-insensitively: "http" is not "https".
 *   U3  The host compares as a DNS name (no wildcard, W7); userinfo, port,
 *       path, query and fragment are ignored ("https://a@b/" has host "b").
 *   U4  The acceptable scheme is the reference's. */
#include "mtlskit/identity.h"

#include <idn2.h>
#include <stdio.h>
#include <string.h>

#include "mtlskit/oid.h"

/* ---- names of things -------------------------------------------------------- */

static const char *const reason_text[] = {
#define MTK_X_TEXT(name, id, text) text,
    MTK_ID_REASON_LIST(MTK_X_TEXT)
#undef MTK_X_TEXT
};

static const char *const reason_id[] = {
#define MTK_X_ID(name, id, text) id,
    MTK_ID_REASON_LIST(MTK_X_ID)
#undef MTK_X_ID
};

const char *mtk_id_reason_text(mtk_id_reason r) {
  return (unsigned)r < (unsigned)MTK_IDR__COUNT ? reason_text[r] : "unknown reason";
}

const char *mtk_id_reason_id(mtk_id_reason r) {
  return (unsigned)r < (unsigned)MTK_IDR__COUNT ? reason_id[r] : "unknown";
}

bool mtk_id_reason_is_match(mtk_id_reason r) {
  return r == MTK_IDR_MATCH || r == MTK_IDR_MATCH_WILDCARD || r == MTK_IDR_MATCH_PARTIAL ||
         r == MTK_IDR_MATCH_CN;
}

const char *mtk_ref_kind_name(mtk_ref_kind k) {
  switch (k) {
    case MTK_REF_DNS: return "dns";
    case MTK_REF_IP: return "ip";
    case MTK_REF_SRV: return "srv";
    case MTK_REF_URI: return "uri";
    case MTK_REF_NONE: break;
  }
  return "none";
}

const char *mtk_pid_type_name(mtk_pid_type t) {
  switch (t) {
    case MTK_PID_DNS: return "DNS";
    case MTK_PID_IP: return "IP";
    case MTK_PID_SRV: return "SRV";
    case MTK_PID_URI: return "URI";
    case MTK_PID_CN: return "CN";
    case MTK_PID_OTHER: break;
  }
  return "other";
}

const char *mtk_id_verdict_name(mtk_id_verdict v) {
  switch (v) {
    case MTK_IDV_MATCH: return "match";
    case MTK_IDV_NO_MATCH: return "no match";
    case MTK_IDV_SKIPPED: return "skipped";
  }
  return "?";
}

/* ---- ASCII helpers (never locale-dependent) -------------------------------- */

static uint8_t lower(uint8_t c) { return (uint8_t)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_ldh(uint8_t c) { return is_alpha(c) || is_digit(c) || c == '-'; }

static int hex_value(uint8_t c) {
  if (is_digit(c)) return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* ieq: |n| octets equal, ignoring ASCII case only (RFC 4343). */
static bool ieq(const uint8_t *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

static bool starts_xn(const uint8_t *p, size_t n) {
  return n >= 4 && ieq(p, (const uint8_t *)"xn--", 4);
}

/* ---- IP text (R4, I5) --------------------------------------------------------- */

/* parse_v4: exactly four decimal octets, 0-255, no leading zeros. */
static bool parse_v4(const uint8_t *s, size_t n, uint8_t out[4]) {
  size_t i = 0;
  for (unsigned part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || s[i] != '.') return false;
      i++;
    }
    size_t start = i;
    unsigned v = 0;
    while (i < n && is_digit(s[i]) && i - start < 3) v = v * 10u + (unsigned)(s[i++] - '0');
    size_t digits = i - start;
    if (digits == 0 || (i < n && is_digit(s[i]))) return false;
    if (digits > 1 && s[start] == '0') return false;
    if (v > 255) return false;
    out[part] = (uint8_t)v;
  }
  return i == n;
}

/* parse_v6: RFC 4291 2.2 text forms, strictly. */
static bool parse_v6(const uint8_t *s, size_t n, uint8_t out[16]) {
  uint16_t g[8];
  size_t ng = 0, i = 0;
  size_t gap = SIZE_MAX;  /* group index where "::" stands */
  if (n < 2) return false;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    gap = 0;
    i = 2;
  }
  while (i < n) {
    if (ng >= 8) return false;
    size_t j = i;
    while (j < n && s[j] != ':') j++;
    if (memchr(s + i, '.', j - i) != NULL) {
      /* an IPv4 tail: last, and worth two groups */
      uint8_t v4[4];
      if (j != n || ng > 6 || !parse_v4(s + i, n - i, v4)) return false;
      g[ng++] = (uint16_t)(v4[0] << 8 | v4[1]);
      g[ng++] = (uint16_t)(v4[2] << 8 | v4[3]);
      i = n;
      break;
    }
    if (j == i || j - i > 4) return false;
    unsigned v = 0;
    for (size_t k = i; k < j; k++) {
      int h = hex_value(s[k]);
      if (h < 0) return false;
      v = v * 16u + (unsigned)h;
    }
    g[ng++] = (uint16_t)v;
    i = j;
    if (i == n) break;
    i++; /* the ':' */
    if (i == n) return false; /* a single trailing ':' */
    if (s[i] == ':') {
      if (gap != SIZE_MAX) return false; /* a second "::" */
      gap = ng;
      i++;
    }
  }
  if (gap == SIZE_MAX ? ng != 8 : ng > 7) return false;
  memset(out, 0, 16);
  size_t tail = gap == SIZE_MAX ? 0 : ng - gap;
  size_t head = ng - tail;
  for (size_t k = 0; k < head; k++) {
    out[2 * k] = (uint8_t)(g[k] >> 8);
    out[2 * k + 1] = (uint8_t)g[k];
  }
  for (size_t k = 0; k < tail; k++) {
    size_t pos = 8 - tail + k;
    out[2 * pos] = (uint8_t)(g[head + k] >> 8);
    out[2 * pos + 1] = (uint8_t)g[head + k];
  }
  return true;
}

bool mtk_ip_parse(const uint8_t *text, size_t len, uint8_t out[16], size_t *out_len) {
  if (text == NULL || out == NULL || out_len == NULL || len == 0 || len > 45) return false;
  if (memchr(text, ':', len) != NULL) {
    if (!parse_v6(text, len, out)) return false;
    *out_len = 16;
    return true;
  }
  if (!parse_v4(text, len, out)) return false;
  *out_len = 4;
  return true;
}

static bool is_ipv4_text(const uint8_t *p, size_t n) {
  uint8_t tmp[4];
  return parse_v4(p, n, tmp);
}

/* ---- presented DNS names (R14-R17, W1-W7, L1-L4) ------------------------------ */

typedef struct dns_shape {
  bool wildcard;     /* a valid pattern: the leftmost label holds the '*' */
  size_t first_len;  /* octets of the leftmost label */
  size_t star;       /* offset of the '*' in it */
  size_t labels;
} dns_shape;

/* Octet classes of DNS names, for one table lookup per octet. */
enum { DC_BAD = 0, DC_LD = 1, DC_HYPHEN = 2, DC_DOT = 3, DC_STAR = 4, DC_NUL = 5, DC_HIGH = 6 };
static const uint8_t dns_class[256] = {
    5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 2, 3, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
};

/* dns_shape_of judges a presented name |p|: MTK_IDR_NONE when well formed
 * (|*s| then describes it), else why it is malformed. */
static mtk_id_reason dns_shape_of(const uint8_t *p, size_t n, unsigned flags, bool allow_wild,
                                  dns_shape *s) {
  memset(s, 0, sizeof *s);
  if (n == 0) return MTK_IDR_EMPTY;
  unsigned seen = 0;
  for (size_t i = 0; i < n; i++) seen |= 1u << dns_class[p[i]];
  if (seen & (1u << DC_NUL)) return MTK_IDR_NUL;
  if (seen & (1u << DC_HIGH)) return MTK_IDR_NON_ASCII;
  if (p[n - 1] == '.') return MTK_IDR_TRAILING_DOT;
  if (n > MTK_DNS_NAME_MAX) return MTK_IDR_TOO_LONG;
  size_t stars = 0, start = 0, label = 0;
  bool plain = (seen & ~((1u << DC_LD) | (1u << DC_HYPHEN) | (1u << DC_DOT))) == 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && p[i] != '.') continue;
    const uint8_t *l = p + start;
    size_t len = i - start;
    if (len == 0) return MTK_IDR_EMPTY_LABEL;
    if (len > 63) return MTK_IDR_TOO_LONG;
    if (!plain) {
      for (size_t k = 0; k < len; k++) {
        unsigned c = dns_class[l[k]];
        if (c == DC_STAR) {
          if (label > 0) return MTK_IDR_WILDCARD_NOT_LEFTMOST;
          if (stars++ == 0) s->star = k;
        } else if (c != DC_LD && c != DC_HYPHEN) {
          return MTK_IDR_BAD_CHAR;
        }
      }
    }
    if (l[0] == '-' || l[len - 1] == '-') return MTK_IDR_HYPHEN;
    if (label == 0) s->first_len = len;
    label++;
    start = i + 1;
  }
  s->labels = label;
  if (stars == 0) return MTK_IDR_NONE;
  if (stars > 1) return MTK_IDR_WILDCARD_MULTIPLE;
  if (!allow_wild) return MTK_IDR_WILDCARD_RESTRICTED;
  if (flags & MTK_ID_NO_WILDCARDS) return MTK_IDR_WILDCARD_DISABLED;
  bool full = s->first_len == 1;
  if (!full && starts_xn(p, s->first_len)) return MTK_IDR_WILDCARD_A_LABEL;
  if (!full && !(flags & MTK_ID_RFC6125)) return MTK_IDR_WILDCARD_PARTIAL;
  if (label < 3) return MTK_IDR_WILDCARD_TOO_FEW_LABELS;
  s->wildcard = true;
  return MTK_IDR_NONE;
}

/* dns_compare: the well-formed presented name |p| (shape |s|) against the
 * reference |ref| (a valid name without '*'). */
static mtk_id_reason dns_compare(const uint8_t *ref, size_t rn, const uint8_t *p, size_t pn,
                                 const dns_shape *s) {
  if (!s->wildcard) return rn == pn && ieq(ref, p, pn) ? MTK_IDR_MATCH : MTK_IDR_DIFFERENT;
  const uint8_t *rest = p + s->first_len; /* ".example.com" */
  size_t rest_len = pn - s->first_len;
  const uint8_t *dot = memchr(ref, '.', rn);
  size_t rl = dot != NULL ? (size_t)(dot - ref) : rn; /* the reference's first label */
  if (rn - rl == rest_len && ieq(ref + rl, rest, rest_len)) {
    if (s->first_len == 1) return MTK_IDR_MATCH_WILDCARD; /* W3, W4 */
    size_t pre = s->star, suf = s->first_len - s->star - 1;
    if (starts_xn(ref, rl)) return MTK_IDR_PARTIAL_VS_A_LABEL; /* L3 */
    if (rl < pre + suf || !ieq(ref, p, pre) || !ieq(ref + rl - suf, p + s->star + 1, suf))
      return MTK_IDR_DIFFERENT;
    if (rl == pre + suf) return MTK_IDR_PARTIAL_EMPTY; /* L2 */
    return MTK_IDR_MATCH_PARTIAL;                      /* L1 */
  }
  /* W3: the same domain with no label, or several, in place of the '*'. */
  if (rn + 1 == rest_len && ieq(ref, rest + 1, rn)) return MTK_IDR_WILDCARD_ONE_LABEL;
  if (rn > rest_len && ieq(ref + rn - rest_len, rest, rest_len)) return MTK_IDR_WILDCARD_ONE_LABEL;
  return MTK_IDR_DIFFERENT;
}

mtk_id_reason mtk_dns_presented_check(const uint8_t *p, size_t len, unsigned flags,
                                      bool allow_wildcard) {
  dns_shape s;
  if (p == NULL && len > 0) return MTK_IDR_EMPTY;
  return dns_shape_of(p, len, flags, allow_wildcard, &s);
}

/* ref_name_ok: |ref| is a valid reference name (R5 shape, no '*'). */
static bool ref_name_ok(const uint8_t *ref, size_t rn) {
  dns_shape s;
  return ref != NULL && dns_shape_of(ref, rn, 0, false, &s) == MTK_IDR_NONE;
}

static bool set_reason(mtk_id_reason *out, mtk_id_reason r) {
  if (out != NULL) *out = r;
  return mtk_id_reason_is_match(r);
}

bool mtk_dns_match(const uint8_t *ref, size_t reflen, const uint8_t *presented, size_t plen,
                   unsigned flags, mtk_id_reason *reason) {
  if (!ref_name_ok(ref, reflen)) return set_reason(reason, MTK_IDR_BAD_REFERENCE);
  dns_shape s;
  if (presented == NULL) return set_reason(reason, MTK_IDR_EMPTY);
  mtk_id_reason r = dns_shape_of(presented, plen, flags, true, &s);
  if (r != MTK_IDR_NONE) return set_reason(reason, r);
  return set_reason(reason, dns_compare(ref, reflen, presented, plen, &s));
}

/* ---- IP (I1-I4) ------------------------------------------------------------------ */

static mtk_id_reason ip_compare(const uint8_t *ref, size_t rn, const uint8_t *p, size_t pn) {
  static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (pn != 4 && pn != 16) return MTK_IDR_IP_LENGTH;
  if (rn == pn) return memcmp(ref, p, pn) == 0 ? MTK_IDR_MATCH : MTK_IDR_IP_DIFFERENT;
  const uint8_t *v4 = rn == 4 ? ref : p;
  const uint8_t *v6 = rn == 4 ? p : ref;
  if (memcmp(v6, mapped, 12) == 0 && memcmp(v6 + 12, v4, 4) == 0) return MTK_IDR_IP_MAPPED;
  return MTK_IDR_IP_FAMILY;
}

bool mtk_ip_match(const uint8_t *ref, size_t reflen, const uint8_t *presented, size_t plen,
                  mtk_id_reason *reason) {
  if (ref == NULL || (reflen != 4 && reflen != 16)) return set_reason(reason, MTK_IDR_BAD_REFERENCE);
  if (presented == NULL) return set_reason(reason, MTK_IDR_IP_LENGTH);
  return set_reason(reason, ip_compare(ref, reflen, presented, plen));
}

/* ---- SRV-ID (S1-S4) ---------------------------------------------------------------- */

/* service_name_ok: RFC 6335 5.1: 1-15 of [A-Za-z0-9-], at least one letter,
 * no hyphen at either end, no two hyphens in a row. */
static bool service_name_ok(const uint8_t *s, size_t n) {
  if (n == 0 || n > 15 || s[0] == '-' || s[n - 1] == '-') return false;
  bool letter = false;
  for (size_t i = 0; i < n; i++) {
    if (!is_ldh(s[i])) return false;
    if (s[i] == '-' && s[i + 1] == '-') return false; /* s[n-1] is not '-' */
    if (is_alpha(s[i])) letter = true;
  }
  return letter;
}

typedef struct srv_parts {
  const uint8_t *service; /* without the '_' */
  size_t service_len;
  const uint8_t *name;
  size_t name_len;
} srv_parts;

static mtk_id_reason srv_split(const uint8_t *p, size_t n, srv_parts *o) {
  memset(o, 0, sizeof *o);
  if (n == 0) return MTK_IDR_EMPTY;
  bool non_ascii = false;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == 0) return MTK_IDR_NUL;
    if (p[i] >= 0x80) non_ascii = true;
  }
  if (non_ascii) return MTK_IDR_NON_ASCII;
  const uint8_t *dot = memchr(p, '.', n);
  if (p[0] != '_' || dot == NULL) return MTK_IDR_SRV_MALFORMED;
  o->service = p + 1;
  o->service_len = (size_t)(dot - p) - 1;
  o->name = dot + 1;
  o->name_len = n - o->service_len - 2;
  if (!service_name_ok(o->service, o->service_len)) return MTK_IDR_SRV_MALFORMED;
  if (o->name_len > 0 && o->name[0] == '_') return MTK_IDR_SRV_MALFORMED; /* "_proto" */
  if (is_ipv4_text(o->name, o->name_len)) return MTK_IDR_SRV_IP;          /* S4 */
  dns_shape s;
  return dns_shape_of(o->name, o->name_len, 0, false, &s);                 /* S3, W7 */
}

static mtk_id_reason srv_compare(const mtk_ref *ref, const srv_parts *sp) {
  if (sp->name_len != ref->name_len || !ieq(sp->name, ref->name, ref->name_len))
    return MTK_IDR_DIFFERENT;
  if (sp->service_len != ref->service_len || !ieq(sp->service, ref->service, ref->service_len))
    return MTK_IDR_SERVICE_DIFFERS;
  return MTK_IDR_MATCH;
}

static bool ref_ok(const mtk_ref *r) {
  if (r == NULL) return false;
  switch (r->kind) {
    case MTK_REF_DNS: return ref_name_ok(r->name, r->name_len);
    case MTK_REF_IP: return r->ip_len == 4 || r->ip_len == 16;
    case MTK_REF_SRV:
    case MTK_REF_URI:
      return r->service_len > 0 && r->service_len <= MTK_REF_SERVICE_MAX &&
             ref_name_ok(r->name, r->name_len);
    case MTK_REF_NONE: break;
  }
  return false;
}

bool mtk_srv_match(const mtk_ref *ref, const uint8_t *presented, size_t plen, unsigned flags,
                   mtk_id_reason *reason) {
  (void)flags; /* no wildcard applies to an SRV-ID (W7) */
  if (!ref_ok(ref) || ref->kind != MTK_REF_SRV) return set_reason(reason, MTK_IDR_BAD_REFERENCE);
  if (presented == NULL) return set_reason(reason, MTK_IDR_EMPTY);
  srv_parts sp;
  mtk_id_reason r = srv_split(presented, plen, &sp);
  if (r != MTK_IDR_NONE) return set_reason(reason, r);
  return set_reason(reason, srv_compare(ref, &sp));
}

/* ---- URI-ID (U1-U4) ------------------------------------------------------------------ */

/* uri_char_ok: the characters RFC 3986 2 allows in a URI: unreserved,
 * gen-delims, sub-delims and '%'. */
static bool uri_char_ok(uint8_t c) {
  if (is_alpha(c) || is_digit(c)) return true;
  return c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

static bool all_digits(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_digit(p[i])) return false;
  return true;
}

/* host_port splits [userinfo "@"] host [":" port] in |a|. */
static mtk_id_reason host_port(const uint8_t *a, size_t n, mtk_uri_parts *o) {
  const uint8_t *at = memchr(a, '@', n);
  if (at != NULL) {
    size_t skip = (size_t)(at - a) + 1;
    if (memchr(at + 1, '@', n - skip) != NULL) return MTK_IDR_URI_MALFORMED;
    a += skip;
    n -= skip;
  }
  if (n == 0) return MTK_IDR_URI_NO_HOST;
  if (a[0] == '[') {
    const uint8_t *close = memchr(a, ']', n);
    if (close == NULL) return MTK_IDR_URI_MALFORMED;
    size_t hl = (size_t)(close - a) - 1;
    size_t after = n - hl - 2;
    if (after > 0 && (close[1] != ':' || !all_digits(close + 2, after - 1)))
      return MTK_IDR_URI_MALFORMED;
    uint8_t ip[16];
    size_t il;
    if (!mtk_ip_parse(a + 1, hl, ip, &il) || il != 16) return MTK_IDR_URI_MALFORMED;
    o->host = a + 1;
    o->host_len = hl;
    o->host_is_ip = true;
    return MTK_IDR_URI_IP_HOST;
  }
  const uint8_t *colon = memchr(a, ':', n);
  size_t hl = colon != NULL ? (size_t)(colon - a) : n;
  if (colon != NULL && !all_digits(colon + 1, n - hl - 1)) return MTK_IDR_URI_MALFORMED;
  if (hl == 0) return MTK_IDR_URI_NO_HOST;
  if (memchr(a, '%', hl) != NULL || memchr(a, '[', hl) != NULL || memchr(a, ']', hl) != NULL)
    return MTK_IDR_URI_MALFORMED;
  o->host = a;
  o->host_len = hl;
  if (is_ipv4_text(a, hl)) {
    o->host_is_ip = true;
    return MTK_IDR_URI_IP_HOST;
  }
  return MTK_IDR_NONE;
}

static mtk_id_reason uri_split(const uint8_t *p, size_t n, bool allow_utf8, mtk_uri_parts *o) {
  memset(o, 0, sizeof *o);
  if (p == NULL || n == 0) return MTK_IDR_EMPTY;
  bool non_ascii = false, bad = false;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == 0) return MTK_IDR_NUL;
    if (c >= 0x80) {
      non_ascii = true;
    } else if (!uri_char_ok(c)) {
      bad = true;
    } else if (c == '%' && (i + 2 >= n || hex_value(p[i + 1]) < 0 || hex_value(p[i + 2]) < 0)) {
      bad = true;
    }
  }
  if (non_ascii && !allow_utf8) return MTK_IDR_NON_ASCII;
  if (bad) return MTK_IDR_URI_MALFORMED;
  size_t i = 0;
  if (!is_alpha(p[0])) return MTK_IDR_URI_NO_SCHEME;
  while (i < n && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.'))
    i++;
  if (i == n || p[i] != ':') return MTK_IDR_URI_NO_SCHEME;
  o->scheme = p;
  o->scheme_len = i;
  i++;
  size_t j;
  if (n - i >= 2 && p[i] == '/' && p[i + 1] == '/') {
    i += 2;
    for (j = i; j < n && p[j] != '/' && p[j] != '?' && p[j] != '#'; j++) {
    }
    o->has_authority = true;
  } else if ((o->scheme_len == 3 && ieq(p, (const uint8_t *)"sip", 3)) ||
             (o->scheme_len == 4 && ieq(p, (const uint8_t *)"sips", 4))) {
    for (j = i; j < n && p[j] != ';' && p[j] != '?' && p[j] != '#'; j++) {
    }
  } else {
    return MTK_IDR_URI_NO_HOST; /* "urn:...", "mailto:..." */
  }
  return host_port(p + i, j - i, o);
}

mtk_id_reason mtk_uri_split(const uint8_t *p, size_t len, mtk_uri_parts *out) {
  mtk_uri_parts tmp;
  return uri_split(p, len, false, out != NULL ? out : &tmp);
}

/* uri_check: a presented URI-ID, well formed (U1, U3, W7). */
static mtk_id_reason uri_check(const uint8_t *p, size_t n, mtk_uri_parts *u) {
  mtk_id_reason r = uri_split(p, n, false, u);
  if (r != MTK_IDR_NONE) return r;
  dns_shape s;
  return dns_shape_of(u->host, u->host_len, 0, false, &s);
}

static mtk_id_reason uri_compare(const mtk_ref *ref, const mtk_uri_parts *u) {
  if (u->host_len != ref->name_len || !ieq(u->host, ref->name, ref->name_len))
    return MTK_IDR_DIFFERENT;
  if (u->scheme_len != ref->service_len || !ieq(u->scheme, ref->service, ref->service_len))
    return MTK_IDR_SCHEME_DIFFERS;
  return MTK_IDR_MATCH;
}

bool mtk_uri_match(const mtk_ref *ref, const uint8_t *presented, size_t plen, unsigned flags,
                   mtk_id_reason *reason) {
  (void)flags; /* no wildcard applies to a URI-ID (W7) */
  if (!ref_ok(ref) || ref->kind != MTK_REF_URI) return set_reason(reason, MTK_IDR_BAD_REFERENCE);
  mtk_uri_parts u;
  mtk_id_reason r = uri_check(presented, plen, &u);
  if (r != MTK_IDR_NONE) return set_reason(reason, r);
  return set_reason(reason, uri_compare(ref, &u));
}

/* ---- parsing references ----------------------------------------------------------- */

#define REF_TEXT_MAX 1024

static mtk_status ref_fail(mtk_ref *out, mtk_diag *d, mtk_status code, size_t off, const char *what,
                           const char *detail) {
  memset(out, 0, sizeof *out);
  return mtk_diag_fail(d, code, off, "%s: %s", what, detail);
}

/* idna_lookup converts the NUL-free |n| octets at |t| with libidn2
 * (IDNA2008, UTS #46 nontransitional mapping, NFC input) into |dst|
 * (capacity |cap|); returns the libidn2 code, or IDN2_TOO_BIG_DOMAIN. */
static int idna_lookup(const uint8_t *t, size_t n, uint8_t *dst, size_t cap, size_t *dst_len) {
  char in[REF_TEXT_MAX + 1];
  if (n > REF_TEXT_MAX) return IDN2_TOO_BIG_DOMAIN;
  memcpy(in, t, n);
  in[n] = '\0';
  uint8_t *res = NULL;
  int rc = idn2_lookup_u8((const uint8_t *)in, &res, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  if (rc != IDN2_OK) return rc;
  size_t len = strlen((const char *)res);
  if (len >= cap) {
    idn2_free(res);
    return IDN2_TOO_BIG_DOMAIN;
  }
  memcpy(dst, res, len + 1);
  *dst_len = len;
  idn2_free(res);
  return IDN2_OK;
}

/* parse_domain: the DNS name rules R4, R5, R15 over |n| octets at |t|, into
 * out->name. |base| is the offset of |t| in the caller's text, |what| names
 * the reference in messages. */
static mtk_status parse_domain(const uint8_t *t, size_t n, size_t base, const char *what,
                               mtk_ref *out, mtk_diag *d) {
  char msg[MTK_DETAIL_MAX];
  if (n == 0) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what, "empty name");
  if (n > REF_TEXT_MAX)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what, "longer than 1024 octets");
  bool non_ascii = false;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = t[i];
    const char *why = NULL;
    if (c >= 0x80) {
      non_ascii = true;
    } else if (c == 0) {
      why = "embedded NUL";
    } else if (c < 0x20 || c == 0x7f) {
      why = "control character";
    } else if (c == ' ') {
      why = "whitespace";
    } else if (c == '*') {
      why = "'*': a reference never holds a wildcard (RFC 9525 6.3)";
    } else if (c == '_') {
      why = "'_' is not allowed in a host name (letters, digits, hyphen)";
    } else if (c == ':') {
      why = "':' (an IPv6 address? use an IP reference)";
    } else if (!is_ldh(c) && c != '.') {
      snprintf(msg, sizeof msg, "character '%c' is not allowed (letters, digits, hyphen, dot)", c);
      why = msg;
    }
    if (why != NULL) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base + i, what, why);
  }
  if (t[n - 1] == '.') n--; /* R5: one trailing dot marks an absolute name */
  if (n == 0) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what, "empty name");
  if (is_ipv4_text(t, n))
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what,
                    "an IPv4 address: use an IP reference (RFC 9525 3, 7.4)");
  memset(out->name, 0, sizeof out->name);
  out->converted = false;
  if (non_ascii) {
    size_t len = 0;
    int rc = idna_lookup(t, n, out->name, sizeof out->name, &len);
    if (rc != IDN2_OK) {
      snprintf(msg, sizeof msg, "IDNA2008 conversion failed: %s (%s)", idn2_strerror(rc),
               idn2_strerror_name(rc));
      return ref_fail(out, d, MTK_ERR_IDENTITY_IDNA, base, what, msg);
    }
    out->name_len = len;
    out->converted = true;
  } else {
    if (n > MTK_DNS_NAME_MAX)
      return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what, "name longer than 253 octets");
    for (size_t i = 0; i < n; i++) out->name[i] = lower(t[i]);
    out->name_len = n;
  }
  /* Labels, on the ASCII form (after conversion, so its result is judged
   * too). */
  const uint8_t *nm = out->name;
  size_t nl = out->name_len, start = 0;
  if (nl > MTK_DNS_NAME_MAX)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what, "name longer than 253 octets");
  for (size_t i = 0; i <= nl; i++) {
    if (i < nl && nm[i] != '.') continue;
    const uint8_t *l = nm + start;
    size_t len = i - start;
    const char *why = NULL;
    if (len == 0) {
      why = "empty label";
    } else if (len > 63) {
      why = "label longer than 63 octets";
    } else if (l[0] == '-' || l[len - 1] == '-') {
      why = "label starts or ends with '-'";
    } else {
      for (size_t k = 0; k < len; k++)
        if (!is_ldh(l[k])) why = "not letters, digits and hyphens after IDNA conversion";
    }
    if (why == NULL && !out->converted && starts_xn(l, len)) {
      uint8_t tmp[MTK_DNS_NAME_MAX + 3];
      size_t tl;
      int rc = idna_lookup(l, len, tmp, sizeof tmp, &tl);
      if (rc != IDN2_OK) {
        snprintf(msg, sizeof msg, "'%.*s' is not a valid A-label: %s", (int)len, (const char *)l,
                 idn2_strerror_name(rc));
        return ref_fail(out, d, MTK_ERR_IDENTITY_IDNA, base + start, what, msg);
      }
    }
    if (why != NULL) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base + start, what, why);
    start = i + 1;
  }
  /* R4: a last label of digits only is an IP address in some other form
   * ("10.1", "010.0.0.1") or not a host name (RFC 3696 2). */
  const uint8_t *last = nm + nl;
  while (last > nm && last[-1] != '.') last--;
  if (all_digits(last, (size_t)(nm + nl - last)))
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, base, what,
                    "the last label is all digits (an IP address? use an IP reference)");
  return MTK_OK;
}

mtk_status mtk_ref_parse_dns(const char *text, size_t len, mtk_ref *out, mtk_diag *d) {
  if (out == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof *out);
  if (text == NULL) return ref_fail(out, d, MTK_ERR_ARG, 0, "DNS reference", "no text");
  mtk_status s = parse_domain((const uint8_t *)text, len, 0, "DNS reference", out, d);
  if (s != MTK_OK) return s;
  out->kind = MTK_REF_DNS;
  return MTK_OK;
}

mtk_status mtk_ref_parse_ip(const char *text, size_t len, mtk_ref *out, mtk_diag *d) {
  static const char what[] = "IP reference";
  if (out == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof *out);
  if (text == NULL) return ref_fail(out, d, MTK_ERR_ARG, 0, what, "no text");
  const uint8_t *t = (const uint8_t *)text;
  const uint8_t *pct = memchr(t, '%', len);
  if (len == 0) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, "empty");
  if (pct != NULL)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, (size_t)(pct - t), what,
                    "a zone identifier is not part of an address in a certificate");
  if (t[0] == '[')
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, "write the address without brackets");
  if (!mtk_ip_parse(t, len, out->ip, &out->ip_len))
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what,
                    "not an IPv4 or IPv6 address in strict form (no leading zeros, "
                    "no short forms)");
  out->kind = MTK_REF_IP;
  return MTK_OK;
}

mtk_status mtk_ref_parse_srv(const char *text, size_t len, mtk_ref *out, mtk_diag *d) {
  static const char what[] = "SRV reference";
  if (out == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof *out);
  if (text == NULL) return ref_fail(out, d, MTK_ERR_ARG, 0, what, "no text");
  const uint8_t *t = (const uint8_t *)text;
  if (len == 0 || t[0] != '_')
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what,
                    "an SRV-ID is \"_service.domain\" (RFC 4985 2)");
  const uint8_t *dot = memchr(t, '.', len);
  if (dot == NULL)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, "no domain after the service name");
  size_t sl = (size_t)(dot - t) - 1;
  if (!service_name_ok(t + 1, sl))
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 1, what,
                    "not a service name (RFC 6335 5.1: 1-15 letters, digits, hyphens)");
  size_t dl = len - sl - 2;
  if (dl > 0 && dot[1] == '_')
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, sl + 2, what,
                    "an SRV-ID has no \"_proto\" label (RFC 4985 2)");
  mtk_status s = parse_domain(dot + 1, dl, sl + 2, what, out, d);
  if (s != MTK_OK) return s;
  for (size_t i = 0; i < sl; i++) out->service[i] = lower(t[1 + i]);
  out->service_len = sl;
  out->kind = MTK_REF_SRV;
  return MTK_OK;
}

mtk_status mtk_ref_parse_uri(const char *text, size_t len, mtk_ref *out, mtk_diag *d) {
  static const char what[] = "URI reference";
  if (out == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof *out);
  if (text == NULL) return ref_fail(out, d, MTK_ERR_ARG, 0, what, "no text");
  const uint8_t *t = (const uint8_t *)text;
  if (len > REF_TEXT_MAX)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, "longer than 1024 octets");
  mtk_uri_parts u;
  mtk_id_reason r = uri_split(t, len, true, &u);
  const char *why = NULL;
  switch (r) {
    case MTK_IDR_NONE: break;
    case MTK_IDR_URI_IP_HOST:
      why = "the host is an IP address: use an IP reference (RFC 9525 6.1.2)";
      break;
    case MTK_IDR_URI_NO_HOST:
      why = "no host (a URI-ID needs \"scheme://host\", or \"sip:user@host\")";
      break;
    case MTK_IDR_URI_NO_SCHEME: why = "no scheme (RFC 3986 3.1)"; break;
    default: why = mtk_id_reason_text(r); break;
  }
  if (why != NULL) return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, why);
  if (u.scheme_len > MTK_REF_SERVICE_MAX)
    return ref_fail(out, d, MTK_ERR_IDENTITY_REF, 0, what, "scheme longer than 63 octets");
  mtk_status s = parse_domain(u.host, u.host_len, (size_t)(u.host - t), what, out, d);
  if (s != MTK_OK) return s;
  for (size_t i = 0; i < u.scheme_len; i++) out->service[i] = lower(u.scheme[i]);
  out->service_len = u.scheme_len;
  out->kind = MTK_REF_URI;
  return MTK_OK;
}

/* ---- a light SAN walk ------------------------------------------------------------- */

mtk_status mtk_san_iter_init(mtk_san_iter *it, const mtk_cert *cert, bool *present) {
  if (it == NULL || cert == NULL) return MTK_ERR_ARG;
  memset(it, 0, sizeof *it);
  if (present != NULL) *present = false;
  const mtk_ext *san = mtk_ext_get(&cert->exts, MTK_XK_SAN);
  if (san == NULL) return MTK_OK;
  if (present != NULL) *present = true;
  if (cert->exts.known_count[MTK_XK_SAN] > 1) return MTK_ERR_X509_EXTENSION;
  mtk_cbs v = san->value;
  if (mtk_der_get(&v, MTK_ASN1_SEQUENCE, &it->rest, NULL) != MTK_OK || v.len != 0) {
    memset(it, 0, sizeof *it);
    return MTK_ERR_X509_EXTENSION;
  }
  return MTK_OK;
}

/* san_frame: one GeneralName from |c| into |out| (framing and choice only). */
static bool san_frame(mtk_cbs *c, mtk_san_entry *out) {
  mtk_cbs body;
  mtk_tag tag;
  if (mtk_der_get_any(c, &tag, &body, NULL, NULL) != MTK_OK) return false;
  unsigned n = tag & MTK_TAG_NUMBER_MASK;
  if ((tag & MTK_TAG_CLASS_MASK) != MTK_TAG_CONTEXT || n > 8) return false;
  bool cons = (tag & MTK_TAG_CONSTRUCTED) != 0;
  if (cons != (n == 0 || n == 3 || n == 4 || n == 5)) return false;
  out->type = (mtk_gn_type)n;
  out->value = body;
  out->other_oid = (mtk_cbs){NULL, 0, 0};
  out->srv = false;
  if (n == 0) { /* otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY } */
    mtk_cbs oid, inner;
    if (mtk_der_get(&body, MTK_ASN1_OID, &oid, NULL) != MTK_OK ||
        mtk_der_get(&body, MTK_CTX_C(0), &inner, NULL) != MTK_OK || body.len != 0)
      return false;
    out->other_oid = oid;
    out->value = inner;
    out->srv = mtk_oid_is(&oid, MTK_OID_ON_SRVNAME);
  }
  return true;
}

bool mtk_san_next(mtk_san_iter *it, mtk_san_entry *out) {
  if (it->rest.len == 0) return false;
  mtk_cbs copy = it->rest;
  if (!san_frame(&copy, out)) {
    it->bad = true;
    return false;
  }
  out->index = it->index++;
  it->rest = copy;
  return true;
}

/* ---- the certificate matcher ------------------------------------------------------ */

static mtk_pid_type pid_of(const mtk_san_entry *e) {
  switch (e->type) {
    case MTK_GN_DNS: return MTK_PID_DNS;
    case MTK_GN_IP: return MTK_PID_IP;
    case MTK_GN_URI: return MTK_PID_URI;
    case MTK_GN_OTHER: return e->srv ? MTK_PID_SRV : MTK_PID_OTHER;
    case MTK_GN_EMAIL:
    case MTK_GN_X400:
    case MTK_GN_DIRNAME:
    case MTK_GN_EDIPARTY:
    case MTK_GN_RID: break;
  }
  return MTK_PID_OTHER;
}

/* One presented identifier, judged on its own (before any reference). */
typedef struct presented {
  mtk_id_item item;
  bool judged;
  mtk_id_reason malformed; /* MTK_IDR_NONE if well formed */
  dns_shape shape;         /* DNS, CN */
  srv_parts srv;           /* SRV */
  mtk_uri_parts uri;       /* URI */
} presented;

static void pres_init(presented *p, const mtk_san_entry *e) {
  p->judged = false;
  p->malformed = MTK_IDR_NONE;
  memset(&p->item, 0, sizeof p->item);
  p->item.type = pid_of(e);
  p->item.gn_type = e->type;
  p->item.value = e->value;
  p->item.index = e->index;
  p->item.ref = MTK_ID_NO_REF;
}

static void pres_init_cn(presented *p, const mtk_attr *a, size_t index) {
  p->judged = false;
  p->malformed = MTK_IDR_NONE;
  memset(&p->item, 0, sizeof p->item);
  p->item.type = MTK_PID_CN;
  p->item.gn_type = MTK_GN_OTHER;
  p->item.value = a->value;
  p->item.tag = a->tag;
  p->item.index = index;
  p->item.ref = MTK_ID_NO_REF;
}

static bool cn_string_tag(mtk_tag t) {
  return t == MTK_ASN1_UTF8STRING || t == MTK_ASN1_PRINTABLESTRING || t == MTK_ASN1_IA5STRING ||
         t == MTK_ASN1_VISIBLESTRING || t == MTK_ASN1_T61STRING;
}

/* judge: validates |p| once (R11, R17, I4, S1, U1, R13 for a CN). |cn_state|
 * is for CNs: 0 strict (ignored), 1 legacy but a service SAN is present, 2
 * legacy and a candidate. */
static void judge(presented *p, unsigned flags, int cn_state) {
  if (p->judged) return;
  p->judged = true;
  const mtk_cbs *v = &p->item.value;
  switch (p->item.type) {
    case MTK_PID_DNS:
      p->malformed = dns_shape_of(v->p, v->len, flags, true, &p->shape);
      return;
    case MTK_PID_IP:
      if (v->len != 4 && v->len != 16) p->malformed = MTK_IDR_IP_LENGTH;
      return;
    case MTK_PID_URI: p->malformed = uri_check(v->p, v->len, &p->uri); return;
    case MTK_PID_SRV: {
      mtk_cbs c = *v, body;
      if (mtk_der_get(&c, MTK_ASN1_IA5STRING, &body, NULL) != MTK_OK || c.len != 0) {
        p->malformed = MTK_IDR_SRV_MALFORMED;
        return;
      }
      p->item.value = body;
      p->malformed = srv_split(body.p, body.len, &p->srv);
      return;
    }
    case MTK_PID_CN:
      if (cn_state == 0)
        p->malformed = MTK_IDR_CN_IGNORED;
      else if (cn_state == 1)
        p->malformed = MTK_IDR_CN_SAN_PRESENT;
      else if (!cn_string_tag(p->item.tag) ||
               dns_shape_of(v->p, v->len, flags, true, &p->shape) != MTK_IDR_NONE)
        p->malformed = MTK_IDR_CN_NOT_DNS;
      return;
    case MTK_PID_OTHER: p->malformed = MTK_IDR_NOT_SERVICE_ID; return;
  }
}

/* compare: a judged, well-formed presented identifier against one
 * reference (R7). */
static mtk_id_reason compare(const presented *p, const mtk_ref *r) {
  const mtk_cbs *v = &p->item.value;
  switch (p->item.type) {
    case MTK_PID_DNS:
      if (r->kind != MTK_REF_DNS)
        return r->kind == MTK_REF_IP && is_ipv4_text(v->p, v->len) ? MTK_IDR_IP_IN_DNS
                                                                   : MTK_IDR_DIFFERENT_TYPE;
      return dns_compare(r->name, r->name_len, v->p, v->len, &p->shape);
    case MTK_PID_CN: {
      if (r->kind != MTK_REF_DNS) return MTK_IDR_DIFFERENT_TYPE;
      mtk_id_reason x = dns_compare(r->name, r->name_len, v->p, v->len, &p->shape);
      return mtk_id_reason_is_match(x) ? MTK_IDR_MATCH_CN : x;
    }
    case MTK_PID_IP:
      if (r->kind != MTK_REF_IP) return MTK_IDR_DIFFERENT_TYPE;
      return ip_compare(r->ip, r->ip_len, v->p, v->len);
    case MTK_PID_SRV:
      if (r->kind != MTK_REF_SRV) return MTK_IDR_DIFFERENT_TYPE;
      return srv_compare(r, &p->srv);
    case MTK_PID_URI:
      if (r->kind != MTK_REF_URI) return MTK_IDR_DIFFERENT_TYPE;
      return uri_compare(r, &p->uri);
    case MTK_PID_OTHER: break;
  }
  return MTK_IDR_NOT_SERVICE_ID;
}

static mtk_ref_kind kind_for(mtk_pid_type t) {
  switch (t) {
    case MTK_PID_DNS:
    case MTK_PID_CN: return MTK_REF_DNS;
    case MTK_PID_IP: return MTK_REF_IP;
    case MTK_PID_SRV: return MTK_REF_SRV;
    case MTK_PID_URI: return MTK_REF_URI;
    case MTK_PID_OTHER: break;
  }
  return MTK_REF_NONE;
}

/* could_match: a cheap necessary condition for a DNS-form presented name
 * (dNSName, CN) to match |r|, before any validation: the same length and
 * octets up to case, or a '*' in the first label (only a leading "*." in
 * strict mode). Anything else can never match (R14, W2, L1). */
static bool dns_could_match(const mtk_cbs *v, const mtk_ref *r, unsigned flags) {
  if (v->len == r->name_len && ieq(v->p, r->name, r->name_len)) return true;
  if (v->len < 2 || (flags & MTK_ID_NO_WILDCARDS)) return false;
  if (v->p[0] == '*') return true;
  if (!(flags & MTK_ID_RFC6125)) return false;
  const uint8_t *dot = memchr(v->p, '.', v->len);
  size_t fl = dot != NULL ? (size_t)(dot - v->p) : v->len;
  return memchr(v->p, '*', fl) != NULL;
}

static bool could_match(const presented *p, const mtk_ref *r, unsigned flags) {
  const mtk_cbs *v = &p->item.value;
  switch (p->item.type) {
    case MTK_PID_DNS:
    case MTK_PID_CN: return dns_could_match(v, r, flags);
    case MTK_PID_IP: return v->len == r->ip_len && memcmp(v->p, r->ip, r->ip_len) == 0;
    case MTK_PID_SRV: {
      /* |v| is the whole IA5String element: "_service.name" and its header */
      size_t len = 1 + r->service_len + 1 + r->name_len;
      return v->len == len + (len < 0x80 ? 2u : len < 0x100 ? 3u : 4u);
    }
    case MTK_PID_URI: return v->len >= r->service_len + 1 + r->name_len; /* "s:host" at least */
    case MTK_PID_OTHER: break;
  }
  return false;
}

typedef struct match_state {
  const mtk_ref *refs;
  size_t n;
  unsigned flags;
  size_t best;          /* lowest reference index matched so far */
  mtk_id_item best_item;
  unsigned kinds;       /* bit k: some reference has kind k */
} match_state;

/* decide: the fast pass (R9): tries |p| against every reference that could
 * still improve on the best match, validating it only if some could. */
static void decide(match_state *st, presented *p, int cn_state) {
  mtk_ref_kind want = kind_for(p->item.type);
  size_t limit = st->best < st->n ? st->best : st->n;
  for (size_t j = 0; j < limit; j++) {
    const mtk_ref *r = &st->refs[j];
    if (r->kind != want || !could_match(p, r, st->flags)) continue;
    judge(p, st->flags, cn_state);
    if (p->malformed != MTK_IDR_NONE) return;
    mtk_id_reason why = compare(p, r);
    if (mtk_id_reason_is_match(why)) {
      st->best = j;
      st->best_item = p->item;
      st->best_item.verdict = MTK_IDV_MATCH;
      st->best_item.reason = why;
      st->best_item.ref = j;
      return; /* only a lower j could do better, and those were tried */
    }
  }
}

/* explain: the report of a failed match for one identifier: its verdict and
 * the most telling reason over all references. */
static void explain(const match_state *st, presented *p, int cn_state, mtk_match_result *out) {
  mtk_id_item *it = &p->item;
  it->verdict = MTK_IDV_SKIPPED;
  mtk_ref_kind want = kind_for(p->item.type);
  if (want != MTK_REF_NONE && !(st->kinds & (1u << want)) &&
      (p->item.type != MTK_PID_CN || cn_state == 2)) {
    /* No reference of its type was asked for: that is the answer, whatever
     * else may be wrong with it (the linter reports malformed SANs). */
    it->reason = MTK_IDR_DIFFERENT_TYPE;
    if (p->item.type == MTK_PID_DNS && (st->kinds & (1u << MTK_REF_IP)) &&
        is_ipv4_text(p->item.value.p, p->item.value.len)) {
      it->reason = MTK_IDR_IP_IN_DNS;
      for (size_t j = 0; j < st->n && it->ref == MTK_ID_NO_REF; j++)
        if (st->refs[j].kind == MTK_REF_IP) it->ref = j;
    } else if (p->item.type == MTK_PID_URI && (st->kinds & (1u << MTK_REF_IP)) &&
               uri_split(p->item.value.p, p->item.value.len, false, &p->uri) ==
                   MTK_IDR_URI_IP_HOST) {
      it->reason = MTK_IDR_URI_IP_HOST; /* I2: not an IP-ID either */
    }
    goto add;
  }
  judge(p, st->flags, cn_state);
  if (p->malformed != MTK_IDR_NONE) {
    it->reason = p->malformed;
  } else {
    it->reason = MTK_IDR_DIFFERENT_TYPE;
    for (size_t j = 0; j < st->n; j++) {
      mtk_id_reason r = compare(p, &st->refs[j]);
      if (r == MTK_IDR_DIFFERENT_TYPE || r == MTK_IDR_IP_IN_DNS) {
        if (it->verdict == MTK_IDV_SKIPPED && it->reason == MTK_IDR_DIFFERENT_TYPE) {
          it->reason = r;
          it->ref = r == MTK_IDR_IP_IN_DNS ? j : MTK_ID_NO_REF;
        }
        continue;
      }
      /* Keep the most telling reason: anything says more than "different". */
      if (it->verdict == MTK_IDV_SKIPPED ||
          (it->reason == MTK_IDR_DIFFERENT && r != MTK_IDR_DIFFERENT)) {
        it->verdict = mtk_id_reason_is_match(r) ? MTK_IDV_MATCH : MTK_IDV_NO_MATCH;
        it->reason = r;
        it->ref = j;
      }
    }
  }
add:
  if (out->n_items < MTK_ID_MAX_ITEMS)
    out->items[out->n_items++] = *it;
  else
    out->n_more++;
}

static void clear_result(mtk_match_result *out) {
  /* Not the whole struct: items[] beyond n_items are never read. */
  out->matched = false;
  out->ref = MTK_ID_NO_REF;
  memset(&out->match, 0, sizeof out->match);
  out->match.ref = MTK_ID_NO_REF;
  out->n_items = 0;
  out->n_more = 0;
  out->has_san = false;
  out->has_service_san = false;
}

/* ref_plausible: |r| looks like the output of a mtk_ref_parse_* function (kinds,
 * bounded lengths, no '*' or NUL in the name). Cheap: it runs per call. */
static bool ref_plausible(const mtk_ref *r) {
  if (r->kind == MTK_REF_IP) return r->ip_len == 4 || r->ip_len == 16;
  if (r->kind != MTK_REF_DNS && r->kind != MTK_REF_SRV && r->kind != MTK_REF_URI) return false;
  if (r->kind != MTK_REF_DNS && (r->service_len == 0 || r->service_len > MTK_REF_SERVICE_MAX))
    return false;
  return r->name_len > 0 && r->name_len <= MTK_DNS_NAME_MAX &&
         memchr(r->name, '*', r->name_len) == NULL && memchr(r->name, 0, r->name_len) == NULL &&
         r->name[r->name_len - 1] != '.';
}

static int cn_state_of(unsigned flags, const mtk_match_result *out) {
  if (!(flags & MTK_ID_RFC6125)) return 0;
  return out->has_service_san ? 1 : 2;
}

mtk_status mtk_identity_match(const mtk_cert *cert, const mtk_ref *refs, size_t n, unsigned flags,
                              mtk_match_result *out) {
  if (out == NULL) return MTK_ERR_ARG;
  clear_result(out);
  if (cert == NULL || refs == NULL || n == 0) return MTK_ERR_ARG;
  for (size_t j = 0; j < n; j++)
    if (!ref_plausible(&refs[j])) return MTK_ERR_ARG;

  match_state st = {refs, n, flags, MTK_ID_NO_REF, {0}, 0};
  for (size_t j = 0; j < n; j++) st.kinds |= 1u << refs[j].kind;
  mtk_san_iter it;
  mtk_san_entry e;
  presented p;
  bool report = (flags & MTK_ID_VERDICT_ONLY) == 0;
  mtk_san_entry kept[MTK_ID_MAX_ITEMS]; /* for the report: no second walk */
  size_t n_entries = 0;
  if (mtk_san_iter_init(&it, cert, &out->has_san) != MTK_OK) return MTK_ERR_X509_EXTENSION;

  /* Pass 1, the decision: SAN entries in order, each against the references
   * that could still improve on the best match (R9, R10). */
  while (st.best != 0 && mtk_san_next(&it, &e)) {
    if (report && n_entries < MTK_ID_MAX_ITEMS) kept[n_entries] = e;
    n_entries++;
    pres_init(&p, &e);
    if (p.item.type != MTK_PID_OTHER) out->has_service_san = true;
    decide(&st, &p, 0);
  }
  if (st.best != 0 && (it.bad || it.rest.len != 0)) { /* R11: fail closed */
    clear_result(out);
    return MTK_ERR_X509_EXTENSION;
  }
  /* R12, R13: the subject CN, in legacy mode and as a last resort only. */
  int cn_state = cn_state_of(flags, out);
  mtk_name_iter ni;
  mtk_attr a;
  size_t index = 0;
  if (st.best == MTK_ID_NO_REF && cn_state == 2) {
    mtk_name_iter_init(&ni, &cert->subject);
    while (st.best != 0 && mtk_name_next(&ni, &a)) {
      size_t this_index = index++;
      if (a.id != MTK_OID_AT_CN) continue;
      pres_init_cn(&p, &a, this_index);
      decide(&st, &p, cn_state);
    }
  }
  if (st.best != MTK_ID_NO_REF) {
    out->matched = true;
    out->ref = st.best;
    out->match = st.best_item;
    return MTK_OK;
  }
  if (!report) return MTK_OK;

  /* Pass 2, only after a failure: why each identifier did not match (pass 1
   * saw every entry, and kept the first MTK_ID_MAX_ITEMS). */
  for (size_t i = 0; i < n_entries; i++) {
    if (i >= MTK_ID_MAX_ITEMS) {
      out->n_more += n_entries - i;
      break;
    }
    pres_init(&p, &kept[i]);
    explain(&st, &p, cn_state, out);
  }
  mtk_name_iter_init(&ni, &cert->subject);
  index = 0;
  while (mtk_name_next(&ni, &a)) {
    size_t this_index = index++;
    if (a.id != MTK_OID_AT_CN) continue;
    if (out->n_items >= MTK_ID_MAX_ITEMS) {
      out->n_more++;
      continue;
    }
    pres_init_cn(&p, &a, this_index);
    explain(&st, &p, cn_state, out);
  }
  return MTK_OK;
}

/* authz.c: access rules for client certificates (authz.h).
 *
 * Building a set parses each rule into a canonical, validated form, and
 * files its index by kind, so that a check only looks at the rules that can
 * match a given SAN entry. A check walks the SAN once (counting URI SANs for
 * the SPIFFE rules), then the subject if there are cn:/ou: rules. Rules are
 * OR-ed; the reported rule is the lowest index that matches. The SAN walk is
 * identity.h's light one (framing only: the certificate was validated by
 * mtk_cert_parse). Nothing allocates at check time. */
#include "mtlskit/authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/identity.h"
#include "mtlskit/oid.h"

#define AZ_KINDS 8 /* mtk_authz_kind values are 1..7 */
#define SPIFFE_MAX 2048
#define SPIFFE_TD_MAX 255

typedef struct az_rule {
  mtk_authz_kind kind;
  char *text;        /* canonical "type:value", NUL-terminated, owned */
  const uint8_t *v;  /* the value: inside |text| */
  size_t vlen;
  size_t at;         /* email: offset of the '@' in v */
  bool pattern;      /* dns: "*." form */
  uint8_t ip[16];
  size_t ip_len;
  unsigned prefix;   /* ip: prefix length in bits */
} az_rule;

struct mtk_authz {
  az_rule *rules;
  size_t n, cap;
  size_t *by_kind[AZ_KINDS];
  size_t n_kind[AZ_KINDS], cap_kind[AZ_KINDS];
};

const char *mtk_authz_kind_name(mtk_authz_kind k) {
  switch (k) {
    case MTK_AUTHZ_SPIFFE: return "spiffe";
    case MTK_AUTHZ_URI: return "uri";
    case MTK_AUTHZ_DNS: return "dns";
    case MTK_AUTHZ_IP: return "ip";
    case MTK_AUTHZ_EMAIL: return "email";
    case MTK_AUTHZ_CN: return "cn";
    case MTK_AUTHZ_OU: return "ou";
  }
  return "?";
}

/* ---- small helpers ---------------------------------------------------------------- */

static uint8_t lower(uint8_t c) { return (uint8_t)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_lower_alnum(uint8_t c) { return (c >= 'a' && c <= 'z') || is_digit(c); }
static bool is_alnum(uint8_t c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

static bool ieq(const uint8_t *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

/* utf8_ok: well-formed UTF-8 (RFC 3629 4: no overlongs, surrogates or values
 * above U+10FFFF) without control characters. */
static bool utf8_ok(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1fu;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0fu;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07u;
      min = 0x10000;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp >= 0x80 && cp <= 0x9f) return false; /* C1 controls */
    i += len;
  }
  return true;
}

/* ---- SPIFFE IDs (SPIFFE-ID spec 2; X509-SVID spec 2) --------------------------- */

const char *mtk_spiffe_id_check(const uint8_t *p, size_t n, bool pattern, size_t *err_off) {
  size_t where = 0;
  const char *why = NULL;
  static const char pre[] = "spiffe://";
  size_t i = sizeof pre - 1, td;
  if (p == NULL || n == 0) {
    why = "empty";
    goto fail;
  }
  if (n > SPIFFE_MAX) {
    where = SPIFFE_MAX;
    why = "longer than 2048 octets";
    goto fail;
  }
  if (n < i || memcmp(p, pre, i) != 0) {
    why = n >= i && ieq(p, (const uint8_t *)pre, i)
              ? "the scheme must be \"spiffe\" in lower case"
              : "not a spiffe:// URI";
    goto fail;
  }
  td = i;
  for (; i < n && p[i] != '/'; i++) {
    uint8_t c = p[i];
    if (is_lower_alnum(c) || c == '.' || c == '-' || c == '_') continue;
    where = i;
    if (c >= 'A' && c <= 'Z')
      why = "the trust domain must be lower case";
    else if (c == ':')
      why = "no port in a SPIFFE ID";
    else if (c == '@')
      why = "no userinfo in a SPIFFE ID";
    else if (c == '?' || c == '#')
      why = "no query or fragment in a SPIFFE ID";
    else if (c == '%')
      why = "no percent-encoding in a SPIFFE ID";
    else if (c == '*')
      why = "no wildcard in a trust domain (only whole path segments)";
    else
      why = "character not allowed in a trust domain (a-z 0-9 . - _)";
    goto fail;
  }
  if (i == td) {
    where = td;
    why = "empty trust domain";
    goto fail;
  }
  if (i - td > SPIFFE_TD_MAX) {
    where = td;
    why = "trust domain longer than 255 octets";
    goto fail;
  }
  if (i == n) {
    where = n;
    why = "no path (a workload's SPIFFE ID has one; X509-SVID 3.1)";
    goto fail;
  }
  while (i < n) { /* p[i] == '/' */
    size_t s = ++i;
    for (; i < n && p[i] != '/'; i++) {
      uint8_t c = p[i];
      if (is_alnum(c) || c == '.' || c == '-' || c == '_' || (pattern && c == '*')) continue;
      where = i;
      if (c == '?' || c == '#')
        why = "no query or fragment in a SPIFFE ID";
      else if (c == '%')
        why = "no percent-encoding in a SPIFFE ID";
      else
        why = "character not allowed in a path segment (A-Z a-z 0-9 . - _)";
      goto fail;
    }
    size_t len = i - s;
    where = s;
    if (len == 0) {
      why = i == n ? "trailing '/'" : "empty path segment";
      goto fail;
    }
    if (p[s] == '.' && (len == 1 || (len == 2 && p[s + 1] == '.'))) {
      why = "'.' and '..' segments are not allowed";
      goto fail;
    }
    if (pattern && memchr(p + s, '*', len) != NULL) {
      if (len == 2 && p[s] == '*' && p[s + 1] == '*') {
        if (i != n) {
          why = "'**' must be the last segment";
          goto fail;
        }
      } else if (len != 1) {
        why = "'*' must be a whole segment";
        goto fail;
      }
    }
  }
  return NULL;
fail:
  if (err_off != NULL) *err_off = where;
  return why;
}

/* next_segment: from |i| (at a '/' or at the end), the segment that follows:
 * [*s, *e). */
static void next_segment(const uint8_t *p, size_t n, size_t i, size_t *s, size_t *e) {
  size_t k = i + 1;
  *s = k;
  while (k < n && p[k] != '/') k++;
  *e = k;
}

bool mtk_spiffe_match(const uint8_t *pattern, size_t plen, const uint8_t *id, size_t idlen) {
  static const size_t pre = 9; /* "spiffe://" */
  if (pattern == NULL || id == NULL || plen < pre || idlen < pre) return false;
  const uint8_t *a = memchr(pattern + pre, '/', plen - pre);
  const uint8_t *b = memchr(id + pre, '/', idlen - pre);
  size_t i = a != NULL ? (size_t)(a - pattern) : plen;
  size_t k = b != NULL ? (size_t)(b - id) : idlen;
  if (i != k || memcmp(pattern, id, i) != 0) return false; /* trust domains */
  for (;;) {
    if (i == plen) return k == idlen;
    if (k == idlen) return false;
    size_t ps, pe, is, ie;
    next_segment(pattern, plen, i, &ps, &pe);
    next_segment(id, idlen, k, &is, &ie);
    size_t pl = pe - ps;
    if (pl == 2 && pattern[ps] == '*' && pattern[ps + 1] == '*') return true; /* one or more */
    if (!(pl == 1 && pattern[ps] == '*') && (pl != ie - is || memcmp(pattern + ps, id + is, pl) != 0))
      return false;
    i = pe;
    k = ie;
  }
}

/* ---- building ------------------------------------------------------------------- */

mtk_status mtk_authz_new(mtk_authz **out) {
  if (out == NULL) return MTK_ERR_ARG;
  *out = calloc(1, sizeof **out);
  return *out != NULL ? MTK_OK : MTK_ERR_NOMEM;
}

void mtk_authz_free(mtk_authz *az) {
  if (az == NULL) return;
  for (size_t i = 0; i < az->n; i++) free(az->rules[i].text);
  for (size_t k = 0; k < AZ_KINDS; k++) free(az->by_kind[k]);
  free(az->rules);
  free(az);
}

size_t mtk_authz_count(const mtk_authz *az) { return az != NULL ? az->n : 0; }

const char *mtk_authz_rule(const mtk_authz *az, size_t i) {
  return az != NULL && i < az->n ? az->rules[i].text : NULL;
}

mtk_authz_kind mtk_authz_kind_of(const mtk_authz *az, size_t i) {
  return az != NULL && i < az->n ? az->rules[i].kind : (mtk_authz_kind)0;
}

/* rule_fail records |code| at offset |off| of the rule. */
static mtk_status rule_fail(mtk_diag *d, mtk_status code, size_t off, const char *why) {
  return mtk_diag_fail(d, code, off, "%s", why);
}

/* domain_of normalises a DNS name of a rule with mtk_ref_parse_dns, moving
 * its error (offset shifted by |base|) to |d|. */
static mtk_status domain_of(const uint8_t *p, size_t n, size_t base, mtk_ref *ref, mtk_diag *d) {
  mtk_diag inner;
  mtk_diag_init(&inner);
  mtk_status s = mtk_ref_parse_dns((const char *)p, n, ref, &inner);
  if (s == MTK_OK) return MTK_OK;
  mtk_status code = s == MTK_ERR_IDENTITY_IDNA ? s : MTK_ERR_AUTHZ_RULE;
  return mtk_diag_fail(d, code, base + inner.err.offset, "%s", inner.err.detail);
}

/* The parsed form of one rule, before it is stored. */
typedef struct rule_draft {
  mtk_authz_kind kind;
  const char *type;      /* "dns" ... */
  uint8_t buf[MTK_AUTHZ_RULE_MAX + 8];
  size_t len;            /* canonical value in buf */
  size_t at;
  bool pattern;
  uint8_t ip[16];
  size_t ip_len;
  unsigned prefix;
} rule_draft;

static mtk_status parse_uri(const uint8_t *v, size_t n, size_t base, rule_draft *r, mtk_diag *d) {
  if (n >= 7 && ieq(v, (const uint8_t *)"spiffe:", 7)) {
    size_t off = 0;
    const char *why = mtk_spiffe_id_check(v, n, true, &off);
    if (why != NULL) return rule_fail(d, MTK_ERR_AUTHZ_SPIFFE, base + off, why);
    r->kind = MTK_AUTHZ_SPIFFE;
  } else {
    const uint8_t *star = memchr(v, '*', n);
    if (star != NULL)
      return rule_fail(d, MTK_ERR_AUTHZ_RULE, base + (size_t)(star - v),
                       "'*' patterns exist only for spiffe:// IDs; other URIs compare exactly");
    mtk_uri_parts u;
    mtk_id_reason why = mtk_uri_split(v, n, &u);
    if (why != MTK_IDR_NONE && why != MTK_IDR_URI_NO_HOST && why != MTK_IDR_URI_IP_HOST)
      return rule_fail(d, MTK_ERR_AUTHZ_RULE, base, mtk_id_reason_text(why));
    r->kind = MTK_AUTHZ_URI;
  }
  memcpy(r->buf, v, n);
  r->len = n;
  return MTK_OK;
}

static mtk_status parse_dns(const uint8_t *v, size_t n, size_t base, rule_draft *r, mtk_diag *d) {
  mtk_ref ref;
  size_t skip = 0;
  r->kind = MTK_AUTHZ_DNS;
  if (n >= 2 && v[0] == '*' && v[1] == '.') {
    skip = 2;
    r->pattern = true;
  } else if (n >= 1 && v[0] == '*') {
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base,
                     "a dns: pattern is \"*.\" followed by a domain (one label per '*')");
  }
  mtk_status s = domain_of(v + skip, n - skip, base + skip, &ref, d);
  if (s != MTK_OK) return s;
  if (skip) memcpy(r->buf, "*.", 2);
  memcpy(r->buf + skip, ref.name, ref.name_len);
  r->len = skip + ref.name_len;
  if (r->pattern &&
      mtk_dns_presented_check(r->buf, r->len, 0, true) != MTK_IDR_NONE)
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base,
                     "a dns: pattern needs at least two labels after \"*.\" "
                     "(and at most 253 octets)");
  return MTK_OK;
}

static mtk_status parse_ip(const uint8_t *v, size_t n, size_t base, rule_draft *r, mtk_diag *d) {
  const uint8_t *slash = memchr(v, '/', n);
  size_t al = slash != NULL ? (size_t)(slash - v) : n;
  r->kind = MTK_AUTHZ_IP;
  if (!mtk_ip_parse(v, al, r->ip, &r->ip_len))
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base,
                     "not an IPv4 or IPv6 address in strict form (no leading zeros, "
                     "no short forms, no zone id)");
  unsigned bits = (unsigned)r->ip_len * 8u;
  r->prefix = bits;
  if (slash != NULL) {
    const uint8_t *q = slash + 1;
    size_t ql = n - al - 1;
    unsigned pfx = 0;
    if (ql == 0 || ql > 3 || (ql > 1 && q[0] == '0'))
      return rule_fail(d, MTK_ERR_AUTHZ_RULE, base + al + 1, "bad prefix length");
    for (size_t i = 0; i < ql; i++) {
      if (!is_digit(q[i])) return rule_fail(d, MTK_ERR_AUTHZ_RULE, base + al + 1, "bad prefix length");
      pfx = pfx * 10u + (unsigned)(q[i] - '0');
    }
    if (pfx > bits)
      return rule_fail(d, MTK_ERR_AUTHZ_RULE, base + al + 1,
                       bits == 32 ? "prefix longer than 32 bits" : "prefix longer than 128 bits");
    for (unsigned b = pfx; b < bits; b++)
      if (r->ip[b / 8] & (0x80u >> (b % 8)))
        return rule_fail(d, MTK_ERR_AUTHZ_RULE, base,
                         "host bits are set after the prefix (write the network address)");
    r->prefix = pfx;
  }
  for (size_t i = 0; i < n; i++) r->buf[i] = lower(v[i]);
  r->len = n;
  return MTK_OK;
}

static mtk_status parse_email(const uint8_t *v, size_t n, size_t base, rule_draft *r,
                              mtk_diag *d) {
  const uint8_t *at = memchr(v, '@', n);
  r->kind = MTK_AUTHZ_EMAIL;
  if (at == NULL || memchr(at + 1, '@', n - (size_t)(at - v) - 1) != NULL)
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base, "an e-mail address has exactly one '@'");
  size_t ll = (size_t)(at - v);
  if (ll == 0 || ll > 64)
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base, "the local part must be 1 to 64 octets");
  for (size_t i = 0; i < ll; i++)
    if (v[i] <= 0x20 || v[i] >= 0x7f || v[i] == '"' || v[i] == '\\')
      return rule_fail(d, MTK_ERR_AUTHZ_RULE, base + i,
                       "the local part must be printable ASCII without quotes or spaces");
  mtk_ref ref;
  mtk_status s = domain_of(at + 1, n - ll - 1, base + ll + 1, &ref, d);
  if (s != MTK_OK) return s;
  memcpy(r->buf, v, ll + 1);
  memcpy(r->buf + ll + 1, ref.name, ref.name_len);
  r->len = ll + 1 + ref.name_len;
  r->at = ll;
  return MTK_OK;
}

static mtk_status parse_attr(const uint8_t *v, size_t n, size_t base, mtk_authz_kind kind,
                             rule_draft *r, mtk_diag *d) {
  r->kind = kind;
  if (!utf8_ok(v, n))
    return rule_fail(d, MTK_ERR_AUTHZ_RULE, base,
                     "the value must be UTF-8 text without control characters");
  memcpy(r->buf, v, n);
  r->len = n;
  return MTK_OK;
}

static bool push_index(mtk_authz *az, mtk_authz_kind kind, size_t idx) {
  size_t k = (size_t)kind;
  if (az->n_kind[k] == az->cap_kind[k]) {
    size_t cap = az->cap_kind[k] ? az->cap_kind[k] * 2 : 8;
    size_t *p = realloc(az->by_kind[k], cap * sizeof *p);
    if (p == NULL) return false;
    az->by_kind[k] = p;
    az->cap_kind[k] = cap;
  }
  az->by_kind[k][az->n_kind[k]++] = idx;
  return true;
}

static mtk_status store(mtk_authz *az, const rule_draft *r, const char *type) {
  if (az->n == az->cap) {
    size_t cap = az->cap ? az->cap * 2 : 8;
    az_rule *p = realloc(az->rules, cap * sizeof *p);
    if (p == NULL) return MTK_ERR_NOMEM;
    az->rules = p;
    az->cap = cap;
  }
  size_t tl = strlen(type);
  char *text = malloc(tl + 1 + r->len + 1);
  if (text == NULL) return MTK_ERR_NOMEM;
  memcpy(text, type, tl);
  text[tl] = ':';
  memcpy(text + tl + 1, r->buf, r->len);
  text[tl + 1 + r->len] = '\0';
  if (!push_index(az, r->kind, az->n)) {
    free(text);
    return MTK_ERR_NOMEM;
  }
  az_rule *x = &az->rules[az->n++];
  memset(x, 0, sizeof *x);
  x->kind = r->kind;
  x->text = text;
  x->v = (const uint8_t *)text + tl + 1;
  x->vlen = r->len;
  x->at = r->at;
  x->pattern = r->pattern;
  memcpy(x->ip, r->ip, sizeof x->ip);
  x->ip_len = r->ip_len;
  x->prefix = r->prefix;
  return MTK_OK;
}

mtk_status mtk_authz_add(mtk_authz *az, const char *rule, size_t len, mtk_diag *d) {
  if (az == NULL || (rule == NULL && len > 0)) return MTK_ERR_ARG;
  if (az->n >= MTK_AUTHZ_MAX_RULES) return mtk_diag_fail(d, MTK_ERR_LIMIT, 0, "too many rules");
  const uint8_t *p = (const uint8_t *)rule;
  if (len == 0) return rule_fail(d, MTK_ERR_AUTHZ_RULE, 0, "empty rule");
  if (len > MTK_AUTHZ_RULE_MAX) return rule_fail(d, MTK_ERR_AUTHZ_RULE, 0, "longer than 4096 octets");
  const uint8_t *nul = memchr(p, 0, len);
  if (nul != NULL) return rule_fail(d, MTK_ERR_AUTHZ_RULE, (size_t)(nul - p), "embedded NUL");
  const uint8_t *colon = memchr(p, ':', len);
  if (colon == NULL)
    return rule_fail(d, MTK_ERR_AUTHZ_KIND, 0,
                     "no type: write TYPE:VALUE with TYPE uri, dns, ip, email, cn or ou");
  size_t tl = (size_t)(colon - p), base = tl + 1;
  const uint8_t *v = colon + 1;
  size_t vn = len - base;
  static const struct {
    const char *name;
    mtk_authz_kind kind;
  } types[] = {{"uri", MTK_AUTHZ_URI}, {"dns", MTK_AUTHZ_DNS}, {"ip", MTK_AUTHZ_IP},
               {"email", MTK_AUTHZ_EMAIL}, {"cn", MTK_AUTHZ_CN}, {"ou", MTK_AUTHZ_OU}};
  size_t t = 0;
  while (t < sizeof types / sizeof types[0] &&
         (strlen(types[t].name) != tl || memcmp(types[t].name, p, tl) != 0))
    t++;
  if (t == sizeof types / sizeof types[0]) {
    char msg[96];
    snprintf(msg, sizeof msg, "unknown type '%.*s' (uri, dns, ip, email, cn, ou)",
             (int)(tl > 20 ? 20 : tl), rule);
    return rule_fail(d, MTK_ERR_AUTHZ_KIND, 0, msg);
  }
  if (vn == 0) return rule_fail(d, MTK_ERR_AUTHZ_RULE, base, "empty value");
  rule_draft *r = calloc(1, sizeof *r);
  if (r == NULL) return MTK_ERR_NOMEM;
  mtk_status s;
  switch (types[t].kind) {
    case MTK_AUTHZ_URI: s = parse_uri(v, vn, base, r, d); break;
    case MTK_AUTHZ_DNS: s = parse_dns(v, vn, base, r, d); break;
    case MTK_AUTHZ_IP: s = parse_ip(v, vn, base, r, d); break;
    case MTK_AUTHZ_EMAIL: s = parse_email(v, vn, base, r, d); break;
    case MTK_AUTHZ_CN:
    case MTK_AUTHZ_OU: s = parse_attr(v, vn, base, types[t].kind, r, d); break;
    case MTK_AUTHZ_SPIFFE:
    default: s = MTK_ERR_INTERNAL; break;
  }
  if (s == MTK_OK) s = store(az, r, types[t].name);
  free(r);
  return s;
}

mtk_status mtk_authz_parse(const char *const *rules, size_t n, mtk_authz **out, size_t *bad_index,
                           mtk_diag *d) {
  if (out == NULL) return MTK_ERR_ARG;
  *out = NULL;
  if (bad_index != NULL) *bad_index = 0;
  if (rules == NULL && n > 0) return MTK_ERR_ARG;
  mtk_authz *az;
  mtk_status s = mtk_authz_new(&az);
  if (s != MTK_OK) return s;
  for (size_t i = 0; i < n; i++) {
    size_t m1 = mtk_diag_push(d, "rules");
    size_t m2 = mtk_diag_push(d, "[%zu]", i);
    s = rules[i] == NULL ? MTK_ERR_ARG : mtk_authz_add(az, rules[i], strlen(rules[i]), d);
    mtk_diag_pop(d, m2);
    mtk_diag_pop(d, m1);
    if (s != MTK_OK) {
      if (bad_index != NULL) *bad_index = i;
      mtk_authz_free(az);
      return s;
    }
  }
  *out = az;
  return MTK_OK;
}

/* ---- checking ----------------------------------------------------------------------- */

typedef struct check_state {
  const mtk_authz *az;
  mtk_authz_result *out;
  size_t best;
} check_state;

static void hit(check_state *st, size_t rule, const mtk_cbs *value, mtk_gn_type type, size_t index,
                bool subject) {
  if (rule >= st->best) return;
  st->best = rule;
  st->out->rule = rule;
  st->out->kind = st->az->rules[rule].kind;
  st->out->presented = *value;
  st->out->san_type = type;
  st->out->san_index = index;
  st->out->from_subject = subject;
}

/* dns_rule_match: the well-formed client name |p| against rule |r|. */
static bool dns_rule_match(const az_rule *r, const uint8_t *p, size_t n) {
  if (!r->pattern) return n == r->vlen && ieq(p, r->v, n);
  size_t rest = r->vlen - 1; /* ".example.com" */
  const uint8_t *dot = memchr(p, '.', n);
  if (dot == NULL || dot == p) return false;
  size_t fl = (size_t)(dot - p);
  return n - fl == rest && ieq(dot, r->v + 1, rest);
}

static bool ip_rule_match(const az_rule *r, const uint8_t *p, size_t n) {
  if (n != r->ip_len) return false;
  size_t full = r->prefix / 8;
  if (memcmp(p, r->ip, full) != 0) return false;
  unsigned extra = r->prefix % 8;
  if (extra == 0) return true;
  uint8_t mask = (uint8_t)(0xffu << (8 - extra));
  return (p[full] & mask) == (r->ip[full] & mask);
}

/* email_split: a well-formed rfc822Name (exactly one '@', non-empty local
 * part of printable ASCII, a valid domain without wildcard). */
static bool email_split(const uint8_t *p, size_t n, size_t *at) {
  const uint8_t *a = memchr(p, '@', n);
  if (a == NULL || a == p) return false;
  size_t ll = (size_t)(a - p);
  if (memchr(a + 1, '@', n - ll - 1) != NULL) return false;
  for (size_t i = 0; i < ll; i++)
    if (p[i] <= 0x20 || p[i] >= 0x7f) return false;
  if (mtk_dns_presented_check(a + 1, n - ll - 1, 0, false) != MTK_IDR_NONE) return false;
  *at = ll;
  return true;
}

static void check_san(check_state *st, const mtk_san_entry *g, size_t index, mtk_cbs *first_uri,
                      size_t *first_uri_index) {
  const mtk_authz *az = st->az;
  const uint8_t *p = g->value.p;
  size_t n = g->value.len;
  size_t k;
  switch (g->type) {
    case MTK_GN_DNS:
      k = MTK_AUTHZ_DNS;
      if (az->n_kind[k] == 0 || mtk_dns_presented_check(p, n, 0, false) != MTK_IDR_NONE) return;
      for (size_t i = 0; i < az->n_kind[k] && az->by_kind[k][i] < st->best; i++)
        if (dns_rule_match(&az->rules[az->by_kind[k][i]], p, n))
          hit(st, az->by_kind[k][i], &g->value, g->type, index, false);
      return;
    case MTK_GN_IP:
      k = MTK_AUTHZ_IP;
      if (n != 4 && n != 16) return;
      for (size_t i = 0; i < az->n_kind[k] && az->by_kind[k][i] < st->best; i++)
        if (ip_rule_match(&az->rules[az->by_kind[k][i]], p, n))
          hit(st, az->by_kind[k][i], &g->value, g->type, index, false);
      return;
    case MTK_GN_URI:
      k = MTK_AUTHZ_URI;
      if (st->out->n_uri_sans++ == 0) {
        *first_uri = g->value; /* a copy: |g| is the caller's loop variable */
        *first_uri_index = index;
      }
      for (size_t i = 0; i < az->n_kind[k] && az->by_kind[k][i] < st->best; i++) {
        const az_rule *r = &az->rules[az->by_kind[k][i]];
        if (r->vlen == n && memcmp(r->v, p, n) == 0)
          hit(st, az->by_kind[k][i], &g->value, g->type, index, false);
      }
      return;
    case MTK_GN_EMAIL: {
      size_t at;
      k = MTK_AUTHZ_EMAIL;
      if (az->n_kind[k] == 0 || !email_split(p, n, &at)) return;
      for (size_t i = 0; i < az->n_kind[k] && az->by_kind[k][i] < st->best; i++) {
        const az_rule *r = &az->rules[az->by_kind[k][i]];
        if (r->vlen == n && r->at == at && memcmp(r->v, p, at) == 0 &&
            ieq(r->v + at + 1, p + at + 1, n - at - 1))
          hit(st, az->by_kind[k][i], &g->value, g->type, index, false);
      }
      return;
    }
    case MTK_GN_OTHER:
    case MTK_GN_X400:
    case MTK_GN_DIRNAME:
    case MTK_GN_EDIPARTY:
    case MTK_GN_RID:
      return;
  }
}

static bool attr_tag_ok(mtk_tag t) {
  return t == MTK_ASN1_UTF8STRING || t == MTK_ASN1_PRINTABLESTRING;
}

static void attr_rules(check_state *st, mtk_authz_kind kind, const mtk_attr *a, size_t index) {
  const mtk_authz *az = st->az;
  size_t k = (size_t)kind;
  if (!attr_tag_ok(a->tag)) return;
  for (size_t i = 0; i < az->n_kind[k] && az->by_kind[k][i] < st->best; i++) {
    const az_rule *r = &az->rules[az->by_kind[k][i]];
    if (r->vlen == a->value.len && memcmp(r->v, a->value.p, r->vlen) == 0)
      hit(st, az->by_kind[k][i], &a->value, MTK_GN_DIRNAME, index, true);
  }
}

/* walk_san runs the SAN rules over every SAN entry; false if the SAN cannot
 * be iterated or appears twice (fail closed). */
static bool walk_san(check_state *st, const mtk_cert *cert, mtk_cbs *first_uri,
                     size_t *first_uri_index) {
  mtk_san_iter it;
  mtk_san_entry g;
  if (mtk_san_iter_init(&it, cert, NULL) != MTK_OK) return false;
  while (mtk_san_next(&it, &g)) check_san(st, &g, g.index, first_uri, first_uri_index);
  return !it.bad && it.rest.len == 0;
}

mtk_status mtk_authz_check(const mtk_authz *az, const mtk_cert *cert, mtk_authz_result *out) {
  if (out == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof *out);
  out->rule = SIZE_MAX;
  if (az == NULL || cert == NULL) return MTK_ERR_ARG;
  check_state st = {az, out, SIZE_MAX};

  mtk_cbs first_uri = {NULL, 0, 0};
  size_t first_uri_index = 0;
  if (!walk_san(&st, cert, &first_uri, &first_uri_index)) {
    size_t n_uri = out->n_uri_sans;
    memset(out, 0, sizeof *out);
    out->rule = SIZE_MAX;
    out->n_uri_sans = n_uri;
    return MTK_ERR_X509_EXTENSION;
  }

  /* SPIFFE: exactly one URI SAN, itself a valid SPIFFE ID (X509-SVID 2). */
  size_t ks = MTK_AUTHZ_SPIFFE;
  if (az->n_kind[ks] > 0 && out->n_uri_sans == 1 && az->by_kind[ks][0] < st.best &&
      mtk_spiffe_id_check(first_uri.p, first_uri.len, false, NULL) == NULL) {
    for (size_t i = 0; i < az->n_kind[ks] && az->by_kind[ks][i] < st.best; i++) {
      const az_rule *r = &az->rules[az->by_kind[ks][i]];
      if (mtk_spiffe_match(r->v, r->vlen, first_uri.p, first_uri.len))
        hit(&st, az->by_kind[ks][i], &first_uri, MTK_GN_URI, first_uri_index, false);
    }
  }

  /* Legacy subject rules: the subject only, never the issuer. */
  if (az->n_kind[MTK_AUTHZ_CN] + az->n_kind[MTK_AUTHZ_OU] > 0) {
    mtk_name_iter ni;
    mtk_attr a, cn;
    size_t index = 0, n_cn = 0, cn_index = 0;
    memset(&cn, 0, sizeof cn);
    mtk_name_iter_init(&ni, &cert->subject);
    while (mtk_name_next(&ni, &a)) {
      if (a.id == MTK_OID_AT_CN) {
        n_cn++;
        cn = a;
        cn_index = index;
      } else if (a.id == MTK_OID_AT_OU) {
        attr_rules(&st, MTK_AUTHZ_OU, &a, index);
      }
      index++;
    }
    if (n_cn == 1) attr_rules(&st, MTK_AUTHZ_CN, &cn, cn_index);
  }

  out->allowed = st.best != SIZE_MAX;
  return MTK_OK;
}

/* lint_san.c: checks of identities: subjectAltName presence and criticality,
 * dNSName syntax and wildcards, iPAddress lengths, the CN against the SAN
 * entries, and SPIFFE IDs (emitted only when a spiffe:// URI is present). */
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"

/* ---- dNSName ----------------------------------------------------------------------- */

static bool is_ldh(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

static bool has_byte(const uint8_t *p, size_t n, uint8_t b) { return memchr(p, b, n) != NULL; }

/* Flags of what one dNSName contains, each reported once per name. */
typedef struct dns_scan {
  bool empty_label, long_label, bad_hyphen, underscore, bad_char, upper;
  bool wild_not_leftmost, wild_partial;
  size_t labels;
  bool first_is_star;
} dns_scan;

static void scan_label(const uint8_t *l, size_t n, size_t index, dns_scan *s) {
  if (n == 0) {
    s->empty_label = true;
    return;
  }
  if (n > 63) s->long_label = true;
  bool star = has_byte(l, n, '*');
  if (star) {
    if (index > 0) s->wild_not_leftmost = true;
    else if (n != 1) s->wild_partial = true;
    else s->first_is_star = true;
  }
  if (!star && (l[0] == '-' || l[n - 1] == '-')) s->bad_hyphen = true;
  for (size_t i = 0; i < n; i++) {
    if (l[i] == '_') s->underscore = true;
    else if (l[i] >= 'A' && l[i] <= 'Z') s->upper = true;
    else if (l[i] != '*' && !is_ldh(l[i])) s->bad_char = true;
  }
}

static bool looks_like_ip(const uint8_t *p, size_t n) {
  uint8_t ip[16];
  return lint_parse_ipv4(p, n, ip) || (has_byte(p, n, ':') && lint_parse_ipv6(p, n, ip));
}

/* RFC 5280 4.2.1.6: dNSName in the preferred name syntax of RFC 1034 3.5
 * (as modified by RFC 1123 2.1); RFC 9525 6.3 for wildcards. */
static void check_dns_name(lint_ctx *x, const uint8_t *p, size_t n, size_t off, const char *path) {
  char q[80];
  lint_quote(p, n, q, sizeof(q));
  if (n == 0) {
    lint_emit(x, LC_e_dns_name_empty, off, path, "empty dNSName");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (p[i] >= 0x80) {
      lint_emit(x, LC_e_dns_name_not_ascii, off, path, "\"%s\"", q);
      return;
    }
  }
  if (n > 253) lint_emit(x, LC_e_dns_name_too_long, off, path, "%zu characters", n);
  if (looks_like_ip(p, n)) {
    lint_emit(x, LC_e_dns_name_is_ip, off, path, "\"%s\" is an IP address", q);
    return;
  }
  dns_scan s;
  memset(&s, 0, sizeof(s));
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || p[i] == '.') {
      scan_label(p + start, i - start, s.labels++, &s);
      start = i + 1;
    }
  }
  if (s.empty_label) lint_emit(x, LC_e_dns_name_empty_label, off, path, "\"%s\"", q);
  if (s.long_label) lint_emit(x, LC_e_dns_label_too_long, off, path, "\"%s\"", q);
  if (s.bad_hyphen) lint_emit(x, LC_e_dns_label_bad_hyphen, off, path, "\"%s\"", q);
  if (s.underscore) lint_emit(x, LC_e_dns_underscore, off, path, "\"%s\"", q);
  if (s.bad_char) lint_emit(x, LC_e_dns_name_bad_char, off, path, "\"%s\"", q);
  if (s.wild_not_leftmost) lint_emit(x, LC_e_dns_wildcard_not_leftmost, off, path, "\"%s\"", q);
  if (s.wild_partial) lint_emit(x, LC_e_dns_wildcard_partial_label, off, path, "\"%s\"", q);
  /* "*.com" (or a bare "*"): the wildcard would cover a whole top-level
   * domain. Deeper public suffixes ("*.co.uk") need the PSL; not checked. */
  if (s.first_is_star && s.labels <= 2 && !s.empty_label)
    lint_emit(x, LC_e_dns_wildcard_too_broad, off, path, "\"%s\"", q);
  if (s.upper) lint_emit(x, LC_n_dns_name_uppercase, off, path, "\"%s\"", q);
}

/* ---- SPIFFE IDs (SPIFFE-ID 2, X.509-SVID 2 and 4) --------------------------------------- */

static bool is_td_char(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

static bool is_path_char(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

static void check_spiffe_trust_domain(lint_ctx *x, const uint8_t *td, size_t n, size_t off,
                                      const char *path, const char *q) {
  if (n == 0) {
    lint_emit(x, LC_e_spiffe_trust_domain_invalid, off, path, "empty trust domain in \"%s\"", q);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (!is_td_char(td[i])) {
      lint_emit(x, LC_e_spiffe_trust_domain_invalid, off, path,
                "%s in the trust domain of \"%s\"",
                (td[i] >= 'A' && td[i] <= 'Z') ? "upper-case letter" : "invalid character", q);
      return;
    }
  }
}

/* |p| is the path part, starting with '/' (n > 0). */
static void check_spiffe_path(lint_ctx *x, const uint8_t *p, size_t n, size_t off,
                              const char *path, const char *q) {
  size_t start = 1;
  for (size_t i = 1; i <= n; i++) {
    if (i < n && p[i] != '/') continue;
    const uint8_t *seg = p + start;
    size_t len = i - start;
    const char *why = NULL;
    if (len == 0) why = "an empty segment (or a trailing '/')";
    else if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
      why = "a '.' or '..' segment";
    for (size_t k = 0; why == NULL && k < len; k++)
      if (!is_path_char(seg[k])) why = "a character outside [A-Za-z0-9._-]";
    if (why != NULL) {
      lint_emit(x, LC_e_spiffe_path_invalid, off, path, "%s in \"%s\"", why, q);
      return;
    }
    start = i + 1;
  }
}

static void check_spiffe_id(lint_ctx *x, const uint8_t *p, size_t n, size_t off,
                            const char *path) {
  char q[96];
  lint_quote(p, n, q, sizeof(q));
  if (n > 2048) lint_emit(x, LC_w_spiffe_id_too_long, off, path, "%zu bytes", n);
  if (memcmp(p, "spiffe://", 9) != 0)
    lint_emit(x, LC_e_spiffe_id_malformed, off, path, "scheme of \"%s\" is not lower case", q);
  const uint8_t *rest = p + 9;
  size_t rn = n - 9;
  /* No query or fragment; checks below see the part before them. */
  for (size_t i = 0; i < rn; i++) {
    if (rest[i] == '?' || rest[i] == '#') {
      lint_emit(x, LC_e_spiffe_id_malformed, off, path, "%s in \"%s\"",
                rest[i] == '?' ? "a query" : "a fragment", q);
      rn = i;
      break;
    }
  }
  size_t auth = 0;
  while (auth < rn && rest[auth] != '/') auth++;
  if (has_byte(rest, auth, '@'))
    lint_emit(x, LC_e_spiffe_id_malformed, off, path, "user info in \"%s\"", q);
  else if (has_byte(rest, auth, ':'))
    lint_emit(x, LC_e_spiffe_id_malformed, off, path, "a port in \"%s\"", q);
  else
    check_spiffe_trust_domain(x, rest, auth, off, path, q);
  if (auth < rn) check_spiffe_path(x, rest + auth, rn - auth, off, path, q);
}

/* X.509-SVID 4.3: leaf SVIDs "MUST set digitalSignature" and "MUST NOT set
 * keyCertSign or cRLSign". A CSR without keyUsage leaves it to the CA. */
static void check_svid_key_usage(lint_ctx *x, const char *san_path, size_t san_off) {
  uint32_t ku;
  if (!lint_ku(x->exts, &ku)) {
    if (x->cert != NULL)
      lint_emit(x, LC_e_spiffe_leaf_key_usage, san_off, san_path, "no keyUsage extension");
    return;
  }
  const mtk_ext *e = mtk_ext_get(x->exts, MTK_XK_KU);
  char path[MTK_PATH_MAX];
  lint_ext_path(x, e, ".extnValue", path, sizeof(path));
  size_t off = e->value.off;
  if ((ku & MTK_KU_DIGITAL_SIGNATURE) == 0)
    lint_emit(x, LC_e_spiffe_leaf_key_usage, off, path, "keyUsage lacks digitalSignature");
  if ((ku & (MTK_KU_KEY_CERT_SIGN | MTK_KU_CRL_SIGN)) != 0)
    lint_emit(x, LC_e_spiffe_leaf_key_usage, off, path, "keyUsage has keyCertSign or cRLSign");
}

/* ---- CN against the SAN entries (BR 7.1.2.7.2) -------------------------------------- */

/* The CN as ASCII, for comparison: false if it has other characters. */
static bool cn_ascii(const mtk_attr *a, uint8_t *buf, size_t cap, size_t *len) {
  const mtk_cbs *v = &a->value;
  size_t n = 0;
  if (a->tag == MTK_ASN1_BMPSTRING) {
    if (v->len % 2 != 0 || v->len / 2 > cap) return false;
    for (size_t i = 0; i < v->len; i += 2) {
      if (v->p[i] != 0 || v->p[i + 1] >= 0x80) return false;
      buf[n++] = v->p[i + 1];
    }
  } else if (a->tag == MTK_ASN1_UNIVERSALSTRING) {
    return false;
  } else {
    if (v->len > cap) return false;
    for (size_t i = 0; i < v->len; i++) {
      if (v->p[i] >= 0x80) return false;
      buf[n++] = v->p[i];
    }
  }
  *len = n;
  return true;
}

static bool cn_in_san(const uint8_t *cn, size_t n, const mtk_cbs *san_value) {
  uint8_t ip[16];
  size_t ip_len = 0;
  if (lint_parse_ipv4(cn, n, ip)) ip_len = 4;
  else if (lint_parse_ipv6(cn, n, ip)) ip_len = 16;
  mtk_gn_iter it;
  mtk_gn g;
  if (!mtk_gn_iter_init_ext(&it, san_value)) return false;
  while (mtk_gn_next(&it, &g)) {
    if (g.type == MTK_GN_DNS && lint_ieq(g.value.p, g.value.len, cn, n)) return true;
    if (g.type == MTK_GN_IP && ip_len != 0 && mtk_cbs_eq_bytes(&g.value, ip, ip_len)) return true;
  }
  return false;
}

static void check_cn_in_san(lint_ctx *x, const mtk_ext *san) {
  lint_id id = x->csr != NULL ? LC_w_csr_cn_not_in_san : LC_e_cn_not_in_san;
  if (!lint_wants(x, id)) return;
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, x->subject);
  while (mtk_name_next(&it, &a)) {
    if (a.id != MTK_OID_AT_CN) continue;
    uint8_t buf[256];
    size_t n = 0;
    char path[MTK_PATH_MAX], q[80];
    lint_pathf(path, sizeof(path), "%s[%u][%u]", x->subject_path, a.rdn, a.pos);
    lint_quote(a.value.p, a.value.len, q, sizeof(q));
    if (!cn_ascii(&a, buf, sizeof(buf), &n) || !cn_in_san(buf, n, &san->value))
      lint_emit(x, id, a.offset, path, "CN \"%s\" is not a SAN dNSName or iPAddress", q);
  }
}

/* ---- the SAN extension ---------------------------------------------------------------- */

/* The GeneralName choice as the ASN.1 names it, for paths (as the parser's). */
static const char *gn_field(mtk_gn_type t) {
  switch (t) {
    case MTK_GN_OTHER: return "otherName";
    case MTK_GN_EMAIL: return "rfc822Name";
    case MTK_GN_DNS: return "dNSName";
    case MTK_GN_X400: return "x400Address";
    case MTK_GN_DIRNAME: return "directoryName";
    case MTK_GN_EDIPARTY: return "ediPartyName";
    case MTK_GN_URI: return "uniformResourceIdentifier";
    case MTK_GN_IP: return "iPAddress";
    case MTK_GN_RID: return "registeredID";
  }
  return "generalName";
}

static void check_san_missing(lint_ctx *x) {
  size_t off = x->exts->present ? x->exts->elem.off : (x->cert ? x->cert->tbs.off : x->csr->tbs.off);
  const char *path = x->ext_path[0] != '\0' ? x->ext_path : x->root;
  lint_emit(x, LC_e_server_cert_no_san, off, path, "no subjectAltName extension");
  lint_emit(x, LC_w_client_cert_no_san, off, path, "no subjectAltName extension");
  lint_emit(x, LC_w_csr_no_san, off, path, "no subjectAltName requested");
}

typedef struct san_tally {
  unsigned uris, spiffe;
  size_t spiffe_off;
} san_tally;

static void check_general_name(lint_ctx *x, const mtk_gn *g, const char *path, san_tally *t) {
  switch (g->type) {
    case MTK_GN_DNS:
      check_dns_name(x, g->value.p, g->value.len, g->offset, path);
      break;
    case MTK_GN_IP:
      if (g->value.len != 4 && g->value.len != 16)
        lint_emit(x, LC_e_san_ip_bad_length, g->offset, path, "%zu-octet iPAddress",
                  g->value.len);
      break;
    case MTK_GN_URI:
      t->uris++;
      if (lint_has_prefix_ci(g->value.p, g->value.len, "spiffe://")) {
        if (t->spiffe++ == 0) t->spiffe_off = g->offset;
        check_spiffe_id(x, g->value.p, g->value.len, g->offset, path);
      }
      break;
    default:
      break;
  }
}

void lint_san(lint_ctx *x) {
  const mtk_ext *san = mtk_ext_get(x->exts, MTK_XK_SAN);
  if (san == NULL) {
    check_san_missing(x);
    return;
  }
  char epath[MTK_PATH_MAX];
  if (san->critical && x->subject->n_rdns > 0) {
    lint_ext_path(x, san, ".critical", epath, sizeof(epath));
    lint_emit(x, LC_w_san_critical_with_subject, san->elem.off, epath,
              "critical subjectAltName with a non-empty subject");
  }
  san_tally t = {0, 0, 0};
  mtk_gn_iter it;
  mtk_gn g;
  if (mtk_gn_iter_init_ext(&it, &san->value)) {
    for (unsigned k = 0; mtk_gn_next(&it, &g); k++) {
      char path[MTK_PATH_MAX];
      lint_pathf(path, sizeof(path), "%s[%u].subjectAltName[%u].%s", x->ext_path, san->index, k,
                 gn_field(g.type));
      check_general_name(x, &g, path, &t);
    }
  }
  lint_ext_path(x, san, ".extnValue", epath, sizeof(epath));
  if (t.spiffe > 0 && t.uris > 1)
    lint_emit(x, LC_e_spiffe_multiple_uri_sans, san->value.off, epath,
              "%u URI SANs, %u of them SPIFFE IDs", t.uris, t.spiffe);
  if (t.spiffe > 0 && x->role != MTK_APPLIES_CA) check_svid_key_usage(x, epath, t.spiffe_off);
  check_cn_in_san(x, san);
}

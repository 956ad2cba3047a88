/* pki_names.c: validation of the names that go into issued certificates
 * and requests (host names, IP addresses, URIs and SPIFFE IDs, e-mail
 * addresses, URLs, subject attribute values) and the subject string
 * parser. Every check refuses with a message a user can act on; the rules
 * are listed in pki.h (mtk_pki_names, mtk_pki_csr_opts.subject). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/objects.h>

#include "pki_internal.h"

mtk_status pki_fail(mtk_pki_err *err, mtk_status code, const char *fmt, ...) {
  if (err != NULL) {
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
  }
  return code;
}

/* ---- helpers ------------------------------------------------------------------------ */

/* quote writes |p| for a message: printable ASCII as is, anything else as
 * \xNN, cut at about 80 characters. */
static const char *quote(const uint8_t *p, size_t len, char *buf, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < len && o + 8 < cap; i++) {
    if (o >= 80) {
      memcpy(buf + o, "...", 3);
      o += 3;
      break;
    }
    uint8_t c = p[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      buf[o++] = (char)c;
    } else {
      int n = snprintf(buf + o, cap - o, "\\x%02x", c);
      if (n < 0) break;
      o += (size_t)n;
    }
  }
  buf[o < cap ? o : cap - 1] = '\0';
  return buf;
}

static bool is_lower(uint8_t c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(uint8_t c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static bool is_alpha(uint8_t c) { return is_lower(c) || is_upper(c); }
static uint8_t to_lower(uint8_t c) { return is_upper(c) ? (uint8_t)(c + 32) : c; }

static char *dup_bytes(const uint8_t *p, size_t len) {
  char *s = malloc(len + 1);
  if (s == NULL) return NULL;
  if (len > 0) memcpy(s, p, len);
  s[len] = '\0';
  return s;
}

/* ---- host names (RFC 1034 3.5, RFC 1123 2.1, RFC 5280 4.2.1.6, RFC 9525 6.3) ---- */

/* check_host validates a host name and writes it in lower case to |out|
 * (|len| + 1 bytes). */
static mtk_status check_host(const uint8_t *p, size_t len, bool allow_wildcard, const char *what,
                             char *out, mtk_pki_err *err) {
  char q[128];
  if (len == 0) return pki_fail(err, MTK_ERR_PKI_NAME, "%s: empty host name", what);
  quote(p, len, q, sizeof(q));
  for (size_t i = 0; i < len; i++) {
    if (p[i] >= 0x80)
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s \"%s\": not ASCII; write internationalised names as A-labels "
                      "(xn--..., RFC 5280 7.2)",
                      what, q);
    if (p[i] < 0x20 || p[i] == 0x7f)
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": control character in a host name", what,
                      q);
  }
  if (len > 253)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": %zu characters (at most 253)", what, q,
                    len);
  if (p[len - 1] == '.')
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": write the name without the trailing dot", what, q);
  size_t labels = 0, start = 0;
  bool last_all_digits = false;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && p[i] != '.') continue;
    const uint8_t *l = p + start;
    size_t n = i - start;
    if (n == 0)
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": empty label (leading or doubled dot)",
                      what, q);
    if (n > 63)
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": a label of %zu characters (at most 63)",
                      what, q, n);
    if (memchr(l, '*', n) != NULL) {
      if (!allow_wildcard)
        return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": no wildcard allowed here", what, q);
      if (labels != 0 || n != 1)
        return pki_fail(err, MTK_ERR_PKI_NAME,
                        "%s \"%s\": a wildcard must be the whole left-most label, as in "
                        "*.example.com (RFC 9525 6.3)",
                        what, q);
    } else {
      if (l[0] == '-' || l[n - 1] == '-')
        return pki_fail(err, MTK_ERR_PKI_NAME,
                        "%s \"%s\": a label starts or ends with '-' (RFC 1034 3.5)", what, q);
      for (size_t k = 0; k < n; k++) {
        uint8_t c = l[k];
        if (is_alpha(c) || is_digit(c) || c == '-') continue;
        if (c == '_')
          return pki_fail(err, MTK_ERR_PKI_NAME,
                          "%s \"%s\": '_' is not allowed in a host name (RFC 1034 3.5; public "
                          "CAs refuse it since 2019)",
                          what, q);
        return pki_fail(err, MTK_ERR_PKI_NAME,
                        "%s \"%s\": '%c' is not allowed in a host name (letters, digits, '-', "
                        "'.')",
                        what, q, (char)c);
      }
    }
    last_all_digits = true;
    for (size_t k = 0; k < n; k++)
      if (!is_digit(l[k])) last_all_digits = false;
    labels++;
    start = i + 1;
  }
  if (last_all_digits) {
    char tmp[256];
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    uint8_t ip[4];
    if (inet_pton(AF_INET, tmp, ip) == 1)
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": an IP address; give it with --ip", what,
                      q);
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": the top-level label is all digits (RFC 3696 2)", what, q);
  }
  if (p[0] == '*' && labels < 3)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": a wildcard needs at least two labels under it (it would cover a "
                    "whole top-level domain)",
                    what, q);
  for (size_t i = 0; i < len; i++) out[i] = (char)to_lower(p[i]);
  out[len] = '\0';
  return MTK_OK;
}

/* ---- IP addresses ------------------------------------------------------------------ */

static mtk_status check_ip(const uint8_t *p, size_t len, const char *what, pki_gn *g,
                           mtk_pki_err *err) {
  char q[128], tmp[64];
  quote(p, len, q, sizeof(q));
  if (len == 0 || len >= sizeof(tmp) || memchr(p, '\0', len) != NULL)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not an IP address", what, q);
  memcpy(tmp, p, len);
  tmp[len] = '\0';
  if (inet_pton(AF_INET, tmp, g->ip) == 1) {
    g->ip_len = 4;
  } else if (inet_pton(AF_INET6, tmp, g->ip) == 1) {
    g->ip_len = 16;
  } else {
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": not an IPv4 or IPv6 address (no zone, no prefix length)", what,
                    q);
  }
  char text[INET6_ADDRSTRLEN];
  if (inet_ntop(g->ip_len == 4 ? AF_INET : AF_INET6, g->ip, text, sizeof(text)) == NULL)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not an IP address", what, q);
  g->text = dup_bytes((const uint8_t *)text, strlen(text));
  return g->text != NULL ? MTK_OK : pki_fail(err, MTK_ERR_NOMEM, "out of memory");
}

void pki_ip_text(const uint8_t *ip, size_t len, char *buf, size_t cap) {
  if (cap == 0) return;
  buf[0] = '\0';
  if ((len == 4 || len == 16) && cap >= INET6_ADDRSTRLEN &&
      inet_ntop(len == 4 ? AF_INET : AF_INET6, ip, buf, (socklen_t)cap) == NULL)
    buf[0] = '\0';
}

/* ---- URIs and SPIFFE IDs ------------------------------------------------------------- */

static bool is_spiffe_path_char(uint8_t c) {
  return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_';
}

/* SPIFFE-ID 2: "spiffe://" trust-domain path; the trust domain of lower
 * case letters, digits, '.', '-', '_'; path segments of letters, digits,
 * '.', '-', '_', none empty, "." or ".."; no query, fragment, user or port.
 * X.509-SVID 2: a leaf's SPIFFE ID has a path. */
static mtk_status check_spiffe(const uint8_t *p, size_t len, const char *what, const char *q,
                               mtk_pki_err *err) {
  if (len < 9 || memcmp(p, "spiffe://", 9) != 0)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": a SPIFFE ID starts with \"spiffe://\" in lower case (SPIFFE-ID "
                    "2)",
                    what, q);
  const uint8_t *td = p + 9;
  size_t rest = len - 9, n = 0;
  while (n < rest && td[n] != '/') n++;
  if (n == 0)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": empty SPIFFE trust domain", what, q);
  for (size_t i = 0; i < n; i++) {
    uint8_t c = td[i];
    if (is_lower(c) || is_digit(c) || c == '.' || c == '-' || c == '_') continue;
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": '%c' in the trust domain (lower-case letters, digits, '.', '-', "
                    "'_'; no port or user, SPIFFE-ID 2.1)",
                    what, q, (char)c);
  }
  if (n == rest)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": a workload's SPIFFE ID needs a path, as in "
                    "spiffe://example.org/ns/prod/sa/web (X.509-SVID 2)",
                    what, q);
  const uint8_t *path = td + n;
  size_t plen = rest - n, start = 1;
  for (size_t i = 1; i <= plen; i++) {
    if (i < plen && path[i] != '/') continue;
    const uint8_t *seg = path + start;
    size_t sl = i - start;
    if (sl == 0)
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s \"%s\": empty path segment or trailing '/' (SPIFFE-ID 2.2)", what, q);
    if ((sl == 1 && seg[0] == '.') || (sl == 2 && seg[0] == '.' && seg[1] == '.'))
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": '.' or '..' path segment (SPIFFE-ID 2.2)",
                      what, q);
    for (size_t k = 0; k < sl; k++)
      if (!is_spiffe_path_char(seg[k]))
        return pki_fail(err, MTK_ERR_PKI_NAME,
                        "%s \"%s\": '%c' in the path (letters, digits, '.', '-', '_'; no query "
                        "or fragment, SPIFFE-ID 2.2)",
                        what, q, (char)seg[k]);
    start = i + 1;
  }
  return MTK_OK;
}

static mtk_status check_uri(const uint8_t *p, size_t len, const char *what, pki_gn *g,
                            mtk_pki_err *err) {
  char q[128];
  quote(p, len, q, sizeof(q));
  if (len == 0) return pki_fail(err, MTK_ERR_PKI_NAME, "%s: empty URI", what);
  if (len > MTK_PKI_URI_MAX)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": %zu octets (at most %d)", what, q, len,
                    MTK_PKI_URI_MAX);
  for (size_t i = 0; i < len; i++)
    if (p[i] <= 0x20 || p[i] >= 0x7f)
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s \"%s\": only printable ASCII without spaces (percent-encode the rest, "
                      "RFC 3986)",
                      what, q);
  size_t colon = 0;
  while (colon < len && p[colon] != ':') colon++;
  bool scheme_ok = colon > 0 && colon + 1 < len && is_alpha(p[0]);
  for (size_t i = 1; scheme_ok && i < colon; i++)
    scheme_ok = is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' || p[i] == '-' || p[i] == '.';
  if (!scheme_ok)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": not an absolute URI (scheme:..., RFC 3986 4.3; RFC 5280 4.2.1.6)",
                    what, q);
  if (colon == 6) {
    char scheme[7];
    for (size_t i = 0; i < 6; i++) scheme[i] = (char)to_lower(p[i]);
    scheme[6] = '\0';
    if (strcmp(scheme, "spiffe") == 0) {
      mtk_status s = check_spiffe(p, len, what, q, err);
      if (s != MTK_OK) return s;
      g->spiffe = true;
    }
  }
  g->text = dup_bytes(p, len);
  return g->text != NULL ? MTK_OK : pki_fail(err, MTK_ERR_NOMEM, "out of memory");
}

/* ---- e-mail addresses (RFC 5322 3.2.3 dot-atom, RFC 5280 4.2.1.6) ------------------- */

static bool is_atext(uint8_t c) {
  return is_alpha(c) || is_digit(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static mtk_status check_email(const uint8_t *p, size_t len, const char *what, pki_gn *g,
                              mtk_pki_err *err) {
  char q[128];
  quote(p, len, q, sizeof(q));
  const uint8_t *at = NULL;
  for (size_t i = 0; i < len; i++)
    if (p[i] == '@') at = p + i;
  if (at == NULL || at == p || at == p + len - 1)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not an e-mail address (local@domain)", what,
                    q);
  size_t local = (size_t)(at - p);
  if (local > 64)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": local part over 64 characters", what, q);
  for (size_t i = 0; i < local; i++) {
    uint8_t c = p[i];
    bool dot_ok = c == '.' && i > 0 && i + 1 < local && p[i + 1] != '.';
    if (!is_atext(c) && !dot_ok)
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s \"%s\": the local part must be a dot-atom of ASCII letters, digits and "
                      "!#$%%&'*+-/=?^_`{|}~ (RFC 5322 3.2.3)",
                      what, q);
  }
  size_t dlen = len - local - 1;
  char *text = malloc(len + 1);
  if (text == NULL) return pki_fail(err, MTK_ERR_NOMEM, "out of memory");
  memcpy(text, p, local + 1);
  mtk_status s = check_host(at + 1, dlen, false, what, text + local + 1, err);
  if (s != MTK_OK) {
    free(text);
    return s;
  }
  g->text = text;
  return MTK_OK;
}

/* ---- the list ----------------------------------------------------------------------- */

static bool same_entry(const pki_gn *a, const pki_gn *b) {
  if (a->type != b->type) return false;
  if (a->type == MTK_GN_IP) return a->ip_len == b->ip_len && memcmp(a->ip, b->ip, a->ip_len) == 0;
  return strcmp(a->text, b->text) == 0;
}

mtk_status pki_sans_add(pki_sans *s, mtk_gn_type type, const uint8_t *p, size_t len,
                        const char *what, mtk_pki_err *err) {
  pki_gn g;
  memset(&g, 0, sizeof(g));
  g.type = type;
  mtk_status st;
  switch (type) {
    case MTK_GN_DNS:
      g.text = malloc(len + 1);
      if (g.text == NULL) return pki_fail(err, MTK_ERR_NOMEM, "out of memory");
      st = check_host(p, len, true, what, g.text, err);
      break;
    case MTK_GN_IP: st = check_ip(p, len, what, &g, err); break;
    case MTK_GN_URI: st = check_uri(p, len, what, &g, err); break;
    case MTK_GN_EMAIL: st = check_email(p, len, what, &g, err); break;
    default: return pki_fail(err, MTK_ERR_PKI_NAME, "%s: this kind of name is not issued", what);
  }
  if (st != MTK_OK) {
    free(g.text);
    return st;
  }
  for (size_t i = 0; i < s->n; i++) {
    if (same_entry(&s->v[i], &g)) {
      free(g.text);
      return MTK_OK;
    }
  }
  if (s->n >= MTK_PKI_MAX_NAMES) {
    free(g.text);
    return pki_fail(err, MTK_ERR_PKI_NAME, "more than %d subjectAltName entries",
                    MTK_PKI_MAX_NAMES);
  }
  if (s->n == s->cap) {
    size_t ncap = s->cap ? s->cap * 2 : 8;
    pki_gn *v = realloc(s->v, ncap * sizeof(*v));
    if (v == NULL) {
      free(g.text);
      return pki_fail(err, MTK_ERR_NOMEM, "out of memory");
    }
    s->v = v;
    s->cap = ncap;
  }
  s->v[s->n++] = g;
  switch (type) {
    case MTK_GN_DNS: s->n_dns++; break;
    case MTK_GN_IP: s->n_ip++; break;
    case MTK_GN_URI: s->n_uri++; s->n_spiffe += g.spiffe ? 1u : 0u; break;
    default: s->n_email++; break;
  }
  return MTK_OK;
}

static mtk_status add_list(pki_sans *s, mtk_gn_type type, const char *const *v, size_t n,
                           const char *what, mtk_pki_err *err) {
  if (n > 0 && v == NULL) return pki_fail(err, MTK_ERR_ARG, "%s: NULL list", what);
  for (size_t i = 0; i < n; i++) {
    if (v[i] == NULL) return pki_fail(err, MTK_ERR_ARG, "%s: NULL entry", what);
    mtk_status st = pki_sans_add(s, type, (const uint8_t *)v[i], strlen(v[i]), what, err);
    if (st != MTK_OK) return st;
  }
  return MTK_OK;
}

mtk_status pki_sans_add_names(pki_sans *s, const mtk_pki_names *names, mtk_pki_err *err) {
  mtk_status st = add_list(s, MTK_GN_DNS, names->dns, names->n_dns, "--dns", err);
  if (st == MTK_OK) st = add_list(s, MTK_GN_IP, names->ip, names->n_ip, "--ip", err);
  if (st == MTK_OK) st = add_list(s, MTK_GN_URI, names->uri, names->n_uri, "--uri", err);
  if (st == MTK_OK) st = add_list(s, MTK_GN_EMAIL, names->email, names->n_email, "--email", err);
  return st;
}

mtk_status pki_sans_finish(const pki_sans *s, unsigned usage, mtk_pki_err *err) {
  if (s->n == 0)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "no subjectAltName: give at least one --dns, --ip, --uri or --email (RFC 9525 "
                    "and mTLS peers identify by these, never by the CN)");
  if ((usage & MTK_PKI_SERVER) != 0 && s->n_dns + s->n_ip == 0)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "a server certificate needs at least one --dns or --ip name: TLS clients "
                    "match the host they connect to against these only (RFC 9525 6.3)");
  if (s->n_spiffe > 0 && s->n_uri > 1)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "a SPIFFE ID must be the only URI in the certificate (X.509-SVID 2); got %zu "
                    "URIs",
                    s->n_uri);
  return MTK_OK;
}

void pki_sans_free(pki_sans *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i].text);
  free(s->v);
  memset(s, 0, sizeof(*s));
}

const pki_gn *pki_sans_first(const pki_sans *s, mtk_gn_type type) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].type == type) return &s->v[i];
  return NULL;
}

static bool ieq(const uint8_t *a, size_t n, const char *b) {
  if (strlen(b) != n) return false;
  for (size_t i = 0; i < n; i++)
    if (to_lower(a[i]) != to_lower((uint8_t)b[i])) return false;
  return true;
}

bool pki_sans_matches_cn(const pki_sans *s, const uint8_t *cn, size_t len, bool dns_ip_only) {
  uint8_t ip[16];
  size_t ip_len = 0;
  char tmp[64];
  if (len < sizeof(tmp) && memchr(cn, '\0', len) == NULL) {
    memcpy(tmp, cn, len);
    tmp[len] = '\0';
    if (inet_pton(AF_INET, tmp, ip) == 1) ip_len = 4;
    else if (inet_pton(AF_INET6, tmp, ip) == 1) ip_len = 16;
  }
  for (size_t i = 0; i < s->n; i++) {
    const pki_gn *g = &s->v[i];
    switch (g->type) {
      case MTK_GN_DNS:
        if (ieq(cn, len, g->text)) return true;
        break;
      case MTK_GN_IP:
        if (ip_len != 0 && ip_len == g->ip_len && memcmp(ip, g->ip, ip_len) == 0) return true;
        break;
      default:
        if (!dns_ip_only && strlen(g->text) == len && memcmp(g->text, cn, len) == 0) return true;
        break;
    }
  }
  return false;
}

GENERAL_NAMES *pki_sans_general_names(const pki_sans *s) {
  GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
  if (gens == NULL) return NULL;
  for (size_t i = 0; i < s->n; i++) {
    const pki_gn *g = &s->v[i];
    GENERAL_NAME *gn = GENERAL_NAME_new();
    ASN1_STRING *v = g->type == MTK_GN_IP ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();
    bool ok = gn != NULL && v != NULL;
    if (ok && g->type == MTK_GN_IP) ok = ASN1_OCTET_STRING_set(v, g->ip, (int)g->ip_len) == 1;
    else if (ok) ok = ASN1_STRING_set(v, g->text, (int)strlen(g->text)) == 1;
    if (!ok) {
      ASN1_STRING_free(v);
      GENERAL_NAME_free(gn);
      GENERAL_NAMES_free(gens);
      return NULL;
    }
    int type = g->type == MTK_GN_DNS ? GEN_DNS
               : g->type == MTK_GN_IP ? GEN_IPADD
               : g->type == MTK_GN_URI ? GEN_URI
                                       : GEN_EMAIL;
    GENERAL_NAME_set0_value(gn, type, v);
    if (sk_GENERAL_NAME_push(gens, gn) <= 0) {
      GENERAL_NAME_free(gn);
      GENERAL_NAMES_free(gens);
      return NULL;
    }
  }
  return gens;
}

mtk_status pki_check_url(const char *url, const char *what, mtk_pki_err *err) {
  size_t len = strlen(url);
  char q[128];
  quote((const uint8_t *)url, len, q, sizeof(q));
  if (len <= 7 || strncmp(url, "http://", 7) != 0)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "%s \"%s\": must be an http:// URL (clients fetch CRLs and OCSP over plain "
                    "HTTP; CABF BR 7.1.2.11.2)",
                    what, q);
  if (len > MTK_PKI_URI_MAX)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s: longer than %d octets", what, MTK_PKI_URI_MAX);
  for (size_t i = 0; i < len; i++)
    if ((uint8_t)url[i] <= 0x20 || (uint8_t)url[i] >= 0x7f)
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s \"%s\": only printable ASCII without spaces", what, q);
  return MTK_OK;
}

/* ---- UTF-8 text --------------------------------------------------------------------- */

mtk_status pki_check_text(const char *str, size_t len, size_t max_chars, const char *what,
                          mtk_pki_err *err) {
  const uint8_t *p = (const uint8_t *)str;
  char q[128];
  quote(p, len, q, sizeof(q));
  if (len == 0) return pki_fail(err, MTK_ERR_PKI_NAME, "%s: empty value", what);
  size_t chars = 0;
  for (size_t i = 0; i < len;) {
    uint8_t c = p[i];
    uint32_t cp;
    size_t n;
    if (c < 0x80) { cp = c; n = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1Fu; n = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0Fu; n = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07u; n = 4; }
    else return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not valid UTF-8", what, q);
    if (i + n > len) return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not valid UTF-8", what, q);
    for (size_t k = 1; k < n; k++) {
      if ((p[i + k] & 0xC0) != 0x80)
        return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not valid UTF-8", what, q);
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    static const uint32_t min_of[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_of[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": not valid UTF-8", what, q);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": control character", what, q);
    /* Bidirectional overrides and isolates make a name display as
     * something else (CVE-2021-42574, "Trojan Source"). */
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
      return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": bidirectional control character", what,
                      q);
    chars++;
    i += n;
  }
  if (chars > max_chars)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s \"%s\": %zu characters (at most %zu, RFC 5280 "
                    "Appendix A)", what, q, chars, max_chars);
  return MTK_OK;
}

/* ---- the subject string ---------------------------------------------------------------- */

typedef struct subj_attr_def {
  const char *name;
  int nid;
  size_t max_chars;
  bool single;     /* may appear once */
} subj_attr_def;

static const subj_attr_def k_subject_attrs[] = {
    {"CN", NID_commonName, 64, true},
    {"O", NID_organizationName, 64, true},
    {"OU", NID_organizationalUnitName, 64, false},
    {"L", NID_localityName, 128, true},
    {"ST", NID_stateOrProvinceName, 128, true},
    {"C", NID_countryName, 2, true},
    {"DC", NID_domainComponent, 63, false},
};

#define SUBJ_MAX_ATTRS 16
#define SUBJ_VALUE_MAX 1024

typedef struct subj_item {
  const subj_attr_def *def;
  char value[SUBJ_VALUE_MAX];
  size_t len;
} subj_item;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* parse_value reads a value from |*pp| up to an unescaped |sep| (or the
 * end), un-escaping RFC 4514 escapes ("\," "\+" "\\" ... and "\XX") and
 * trimming unescaped spaces at both ends. */
static mtk_status parse_value(const char **pp, char sep, subj_item *it, mtk_pki_err *err) {
  const char *p = *pp;
  size_t n = 0, keep = 0; /* keep: length up to the last escaped or non-space octet */
  while (*p == ' ') p++;
  for (; *p != '\0' && *p != sep; p++) {
    char c = *p;
    if (c == '+')
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "--subject: multi-valued RDNs ('+') are not issued; escape a literal '+' as "
                      "'\\+'");
    if (c == '"')
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "--subject: quoted values are not RFC 4514; escape the characters with '\\'");
    bool escaped = false;
    if (c == '\\') {
      int h1 = p[1] != '\0' ? hexval(p[1]) : -1, h2 = h1 >= 0 && p[2] != '\0' ? hexval(p[2]) : -1;
      if (h1 >= 0 && h2 >= 0) {
        c = (char)(h1 * 16 + h2);
        p += 2;
      } else if (p[1] != '\0' && strchr(" \"#+,;<=>\\/", p[1]) != NULL) {
        c = p[1];
        p++;
      } else {
        return pki_fail(err, MTK_ERR_PKI_NAME, "--subject: bad escape '\\%c'", p[1] ? p[1] : ' ');
      }
      escaped = true;
    }
    if (n >= SUBJ_VALUE_MAX - 1)
      return pki_fail(err, MTK_ERR_PKI_NAME, "--subject: a value is too long");
    it->value[n++] = c;
    if (escaped || c != ' ') keep = n;
  }
  it->len = keep;
  it->value[keep] = '\0';
  *pp = p;
  return MTK_OK;
}

static mtk_status parse_item(const char **pp, char sep, subj_item *it, mtk_pki_err *err) {
  const char *p = *pp;
  while (*p == ' ') p++;
  const char *t = p;
  while (*p != '\0' && *p != '=' && *p != sep && *p != ' ') p++;
  size_t tlen = (size_t)(p - t);
  while (*p == ' ') p++;
  if (*p != '=' || tlen == 0)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "--subject: expected TYPE=value, as in \"CN=api.example,O=Example\"");
  it->def = NULL;
  for (size_t i = 0; i < sizeof(k_subject_attrs) / sizeof(k_subject_attrs[0]); i++)
    if (ieq((const uint8_t *)t, tlen, k_subject_attrs[i].name)) it->def = &k_subject_attrs[i];
  if (it->def == NULL)
    return pki_fail(err, MTK_ERR_PKI_NAME,
                    "--subject: attribute \"%.*s\" is not issued (use CN, O, OU, L, ST, C or DC; "
                    "e-mail addresses go in --email)",
                    (int)(tlen < 32 ? tlen : 32), t);
  p++;
  *pp = p;
  return parse_value(pp, sep, it, err);
}

static mtk_status check_item(const subj_item *it, mtk_pki_err *err) {
  char what[32];
  snprintf(what, sizeof(what), "--subject %s", it->def->name);
  if (it->len == 0 || memchr(it->value, '\0', it->len) != NULL)
    return pki_fail(err, MTK_ERR_PKI_NAME, "%s: empty value or NUL", what);
  if (it->def->nid == NID_countryName) {
    const uint8_t *v = (const uint8_t *)it->value;
    if (it->len != 2 || !is_upper(v[0]) || !is_upper(v[1]))
      return pki_fail(err, MTK_ERR_PKI_NAME,
                      "%s: a two-letter upper-case ISO 3166 code, such as \"DE\" (RFC 5280 "
                      "Appendix A)",
                      what);
    return MTK_OK;
  }
  if (it->def->nid == NID_domainComponent) {
    char out[64];
    if (it->len > 63) return pki_fail(err, MTK_ERR_PKI_NAME, "%s: over 63 characters", what);
    return check_host((const uint8_t *)it->value, it->len, false, what, out, err);
  }
  return pki_check_text(it->value, it->len, it->def->max_chars, what, err);
}

mtk_status pki_subject_parse(const char *s, X509_NAME **out, mtk_pki_err *err) {
  *out = NULL;
  subj_item *items = calloc(SUBJ_MAX_ATTRS, sizeof(*items));
  if (items == NULL) return pki_fail(err, MTK_ERR_NOMEM, "out of memory");
  bool slash = s[0] == '/';
  char sep = slash ? '/' : ',';
  const char *p = slash ? s + 1 : s;
  size_t n = 0;
  mtk_status st = MTK_OK;
  while (st == MTK_OK) {
    while (*p == ' ') p++;
    if (*p == '\0') break;
    if (n == SUBJ_MAX_ATTRS) {
      st = pki_fail(err, MTK_ERR_PKI_NAME, "--subject: more than %d attributes", SUBJ_MAX_ATTRS);
      break;
    }
    st = parse_item(&p, sep, &items[n], err);
    if (st != MTK_OK) break;
    st = check_item(&items[n], err);
    if (st != MTK_OK) break;
    for (size_t i = 0; i < n; i++)
      if (items[n].def->single && items[i].def == items[n].def)
        st = pki_fail(err, MTK_ERR_PKI_NAME,
                      "--subject: %s given twice (software that reads one value may pick the "
                      "other)",
                      items[n].def->name);
    n++;
    if (*p == sep) {
      p++;
      if (*p == '\0') st = pki_fail(err, MTK_ERR_PKI_NAME, "--subject: ends with a separator");
    }
  }
  X509_NAME *name = NULL;
  if (st == MTK_OK && (name = X509_NAME_new()) == NULL) st = pki_fail(err, MTK_ERR_NOMEM, "out of memory");
  /* RFC 4514 2.1 writes the last RDN of the sequence first; OpenSSL's
   * slash form is in encoding order. */
  for (size_t k = 0; st == MTK_OK && k < n; k++) {
    const subj_item *it = &items[slash ? k : n - 1 - k];
    if (X509_NAME_add_entry_by_NID(name, it->def->nid, MBSTRING_UTF8,
                                   (const unsigned char *)it->value, (int)it->len, -1, 0) != 1)
      st = pki_fail(err, MTK_ERR_PKI_NAME, "--subject %s: OpenSSL refused the value",
                    it->def->name);
  }
  free(items);
  if (st != MTK_OK) {
    X509_NAME_free(name);
    return st;
  }
  *out = name;
  return MTK_OK;
}

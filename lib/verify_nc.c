/* verify_nc.c: name constraints over a candidate path (RFC 5280 4.2.1.10,
 * 6.1.3 (b), (c), 6.1.4 (g)), and the expected peer names against the leaf.
 *
 * Rules kept here (docs/verify.md):
 *  - Constraints of every CA of the path apply to every certificate below
 *    it, except self-issued intermediates (6.1.4: "unless it is self-issued
 *    ... and not the final certificate").
 *  - Names checked: SAN dNSName, iPAddress, rfc822Name, URI, directoryName;
 *    the subject DN against directoryName constraints; subject emailAddress
 *    against rfc822Name constraints when the SAN has no rfc822Name
 *    (4.2.1.10). The subject commonName is never read as a DNS name.
 *  - A wildcard SAN "*.X" is excluded when an excluded DNS subtree is one
 *    label under X (it would match a name in that subtree).
 *  - A malformed constraint fails the path; so does a name of a form with
 *    constraints that cannot be checked (otherName, x400Address,
 *    ediPartyName, registeredID), when constraints of that form exist.
 *  - At most 2^20 name/subtree comparisons per path. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "mtlskit/buf.h"
#include "mtlskit/identity.h"
#include "mtlskit/str.h"
#include "verify_int.h"

#define NC_BUDGET ((size_t)1 << 20)

/* ---- syntax ---------------------------------------------------------------- */

static bool ldh_label(const uint8_t *p, size_t len) {
  if (len == 0 || len > 63) return false;
  if (p[0] == '-' || p[len - 1] == '-') return false;
  for (size_t i = 0; i < len; i++)
    if (!isalnum(p[i]) && p[i] != '-') return false;
  return true;
}

/* Host name in RFC 1034 3.5 preferred syntax (digits first allowed, RFC
 * 1123 2.1), no trailing dot; with |allow_wildcard| the first label may be
 * exactly "*". */
bool vdns_syntax_ok(const uint8_t *p, size_t len, bool allow_wildcard) {
  if (len == 0 || len > 253) return false;
  size_t start = 0;
  bool first = true;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && p[i] != '.') continue;
    size_t l = i - start;
    if (first && allow_wildcard && l == 1 && p[start] == '*' && i < len) {
      /* "*." followed by at least one more label */
    } else if (!ldh_label(p + start, l)) {
      return false;
    }
    first = false;
    start = i + 1;
  }
  return true;
}

/* A DNS name constraint: empty (everything), or a host name without
 * wildcard. RFC 5280 4.2.1.10 has no leading-period form for dNSName. */
static bool dns_constraint_ok(const uint8_t *p, size_t len) {
  return len == 0 || vdns_syntax_ok(p, len, false);
}

/* local-part "@" domain, one "@", a printable ASCII local part without
 * spaces, a host-name domain (RFC 5321 4.1.2 Mailbox, simplified). */
bool vemail_syntax_ok(const uint8_t *p, size_t len) {
  const uint8_t *at = memchr(p, '@', len);
  if (at == NULL || at == p) return false;
  size_t local = (size_t)(at - p);
  if (memchr(at + 1, '@', len - local - 1) != NULL) return false;
  for (size_t i = 0; i < local; i++)
    if (p[i] <= 0x20 || p[i] >= 0x7f) return false;
  return vdns_syntax_ok(at + 1, len - local - 1, false);
}

/* rfc822Name constraint: a mailbox, a host, or ".domain". */
static bool email_constraint_ok(const uint8_t *p, size_t len) {
  if (len == 0) return true;
  if (memchr(p, '@', len) != NULL) return vemail_syntax_ok(p, len);
  if (p[0] == '.') return vdns_syntax_ok(p + 1, len - 1, false);
  return vdns_syntax_ok(p, len, false);
}

static bool uri_constraint_ok(const uint8_t *p, size_t len) {
  if (len == 0) return true;
  if (p[0] == '.') return vdns_syntax_ok(p + 1, len - 1, false);
  return vdns_syntax_ok(p, len, false);
}

/* iPAddress constraint: address and a contiguous prefix mask, 8 or 32. */
static bool ip_constraint_ok(const uint8_t *p, size_t len) {
  if (len != 8 && len != 32) return false;
  size_t half = len / 2;
  bool zeros = false;
  for (size_t i = 0; i < half; i++) {
    uint8_t m = p[half + i];
    for (int b = 7; b >= 0; b--) {
      bool bit = (m >> b) & 1;
      if (bit && zeros) return false;
      if (!bit) zeros = true;
    }
  }
  return true;
}

/* ---- matching ---------------------------------------------------------------- */

static bool ieq(const uint8_t *a, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tolower(a[i]) != tolower(b[i])) return false;
  return true;
}

/* |name| is |base| or ends with "." |base| (case-insensitive). */
static bool dns_in_subtree(const uint8_t *name, size_t nlen, const uint8_t *base, size_t blen) {
  if (blen == 0) return true;
  if (nlen == blen) return ieq(name, base, blen);
  if (nlen > blen && name[nlen - blen - 1] == '.') return ieq(name + nlen - blen, base, blen);
  return false;
}

static bool dns_excluded(const uint8_t *name, size_t nlen, const uint8_t *base, size_t blen) {
  if (dns_in_subtree(name, nlen, base, blen)) return true;
  /* "*.X" reaches "L.X": excluded if |base| is one label under X. */
  if (nlen >= 2 && name[0] == '*' && name[1] == '.') {
    const uint8_t *x = name + 2;
    size_t xlen = nlen - 2;
    if (blen > xlen + 1 && base[blen - xlen - 1] == '.' && ieq(base + blen - xlen, x, xlen) &&
        memchr(base, '.', blen - xlen - 1) == NULL)
      return true;
  }
  return false;
}

static bool ip_in_subtree(const uint8_t *ip, size_t len, const uint8_t *base, size_t blen) {
  if (blen != 2 * len) return false;
  for (size_t i = 0; i < len; i++)
    if ((ip[i] & base[len + i]) != (base[i] & base[len + i])) return false;
  return true;
}

static bool email_in_subtree(const uint8_t *m, size_t mlen, const uint8_t *base, size_t blen) {
  const uint8_t *at = memchr(m, '@', mlen);
  if (at == NULL) return false;
  const uint8_t *dom = at + 1;
  size_t dlen = mlen - (size_t)(dom - m);
  if (blen == 0) return true;
  const uint8_t *bat = memchr(base, '@', blen);
  if (bat != NULL) {
    /* a mailbox: local part exact, host case-insensitive */
    size_t bl = (size_t)(bat - base), ml = (size_t)(at - m);
    return bl == ml && memcmp(base, m, ml) == 0 && blen - bl == mlen - ml &&
           ieq(bat + 1, dom, dlen);
  }
  if (base[0] == '.') return dlen > blen && ieq(dom + dlen - blen, base, blen);
  return dlen == blen && ieq(dom, base, blen);
}

/* The host of a URI "scheme://[userinfo@]host[:port][/...]"; false if none
 * (RFC 5280 4.2.1.10: the constraint applies to the host part). */
static bool uri_host(const uint8_t *u, size_t len, const uint8_t **host, size_t *hlen) {
  const uint8_t *c = memchr(u, ':', len);
  if (c == NULL || c == u) return false;
  size_t rest = len - (size_t)(c - u) - 1;
  const uint8_t *a = c + 1;
  if (rest < 2 || a[0] != '/' || a[1] != '/') return false;
  a += 2;
  rest -= 2;
  size_t end = 0;
  while (end < rest && a[end] != '/' && a[end] != '?' && a[end] != '#') end++;
  const uint8_t *at = NULL;
  for (size_t i = 0; i < end; i++)
    if (a[i] == '@') at = a + i;
  if (at != NULL) {
    end -= (size_t)(at + 1 - a);
    a = at + 1;
  }
  if (end > 0 && a[0] == '[') return false; /* IP literal: no host name */
  size_t h = 0;
  while (h < end && a[h] != ':') h++;
  if (h == 0) return false;
  *host = a;
  *hlen = h;
  return true;
}

static bool uri_in_subtree(const uint8_t *u, size_t len, const uint8_t *base, size_t blen,
                           bool *no_host) {
  const uint8_t *h;
  size_t hl;
  if (!uri_host(u, len, &h, &hl)) {
    *no_host = true;
    return false;
  }
  if (blen == 0) return true;
  if (base[0] == '.') return hl > blen && ieq(h + hl - blen, base, blen);
  return hl == blen && ieq(h, base, blen);
}

/* Attribute values equal: same bytes, or both strings equal ignoring ASCII
 * case and runs of spaces (RFC 5280 7.1, simplified). */
static bool value_eq(const mtk_attr *a, const mtk_attr *b) {
  if (a->value_elem.len == b->value_elem.len &&
      memcmp(a->value_elem.p, b->value_elem.p, a->value_elem.len) == 0)
    return true;
  if (!mtk_str_is_string_tag(a->tag) || !mtk_str_is_string_tag(b->tag)) return false;
  const uint8_t *x = a->value.p, *y = b->value.p;
  size_t i = 0, j = 0, n = a->value.len, m = b->value.len;
  while (i < n && x[i] == ' ') i++;
  while (j < m && y[j] == ' ') j++;
  while (n > i && x[n - 1] == ' ') n--;
  while (m > j && y[m - 1] == ' ') m--;
  while (i < n && j < m) {
    if (x[i] == ' ' && y[j] == ' ') {
      while (i < n && x[i] == ' ') i++;
      while (j < m && y[j] == ' ') j++;
      continue;
    }
    if (tolower(x[i]) != tolower(y[j])) return false;
    i++;
    j++;
  }
  return i == n && j == m;
}

/* |base|'s RDNs are the first RDNs of |name| (4.2.1.10 directoryName). */
static bool dn_in_subtree(const mtk_name *name, const mtk_name *base) {
  if (base->n_rdns == 0) return true;
  if (base->n_rdns > name->n_rdns) return false;
  mtk_name_iter bi;
  mtk_attr ba;
  mtk_name_iter_init(&bi, base);
  while (mtk_name_next(&bi, &ba)) {
    /* find the attribute of |name| in the same RDN with the same type */
    mtk_name_iter ni;
    mtk_attr na;
    bool found = false;
    mtk_name_iter_init(&ni, name);
    while (!found && mtk_name_next(&ni, &na))
      found = na.rdn == ba.rdn && na.rdn_size == ba.rdn_size && na.oid.len == ba.oid.len &&
              memcmp(na.oid.p, ba.oid.p, na.oid.len) == 0 && value_eq(&na, &ba);
    if (!found) return false;
  }
  return true;
}

/* ---- one CA's constraints over one certificate ------------------------------------- */

typedef struct ncstate {
  vctx *v;
  vpath *p;
  size_t ca;           /* depth of the constraining CA */
  mtk_name_constraints nc;
  size_t budget;
  bool failed;
} ncstate;

/* A name to check. */
typedef struct ncname {
  mtk_gn_type type;
  const uint8_t *p;   /* DNS/email/URI/IP value */
  size_t len;
  const mtk_name *dn; /* DIRNAME */
  mtk_cbs other_oid;  /* OTHER */
} ncname;

static void name_text(mtk_buf *b, const ncname *n) {
  if (n->type == MTK_GN_DIRNAME) {
    if (mtk_str_name(b, n->dn, MTK_DN_RFC4514, MTK_ESC_TEXT) != MTK_OK) mtk_buf_reset(b);
  } else if (n->type == MTK_GN_IP) {
    if (mtk_str_ip(b, n->p, n->len) != MTK_OK) mtk_buf_reset(b);
  } else if (n->p != NULL) {
    if (mtk_str_escape_utf8(b, n->p, n->len, MTK_ESC_TEXT) != MTK_OK) mtk_buf_reset(b);
  }
}

static void nc_fail(ncstate *s, size_t k, const ncname *n, const char *what) {
  char lab[256], ca[256];
  vlabel(lab, sizeof lab, s->p, k);
  vlabel(ca, sizeof ca, s->p, s->ca);
  mtk_buf b;
  mtk_buf_init(&b, 1024);
  name_text(&b, n);
  vreason(s->p, MTK_ERR_CHAIN_NAME_CONSTRAINTS, (int)k, "name constraint of %s %s %s:%.*s of %s",
          ca, what, mtk_gn_type_name(n->type), (int)(b.len > 160 ? 160 : b.len),
          b.p ? (const char *)b.p : "", lab);
  mtk_buf_free(&b);
  s->failed = true;
}

/* 1 the name is in the subtree, 0 not, -1 cannot tell (unsupported). */
static int in_subtree(const ncname *n, const mtk_gn *base, bool excluded) {
  bool no_host = false;
  switch (n->type) {
    case MTK_GN_DNS:
      return excluded ? dns_excluded(n->p, n->len, base->value.p, base->value.len)
                      : dns_in_subtree(n->p, n->len, base->value.p, base->value.len);
    case MTK_GN_IP:
      return ip_in_subtree(n->p, n->len, base->value.p, base->value.len);
    case MTK_GN_EMAIL:
      return email_in_subtree(n->p, n->len, base->value.p, base->value.len);
    case MTK_GN_URI: {
      bool r = uri_in_subtree(n->p, n->len, base->value.p, base->value.len, &no_host);
      return no_host ? -1 : r;
    }
    case MTK_GN_DIRNAME:
      return dn_in_subtree(n->dn, &base->name);
    default:
      return -1;
  }
}

static void check_name(ncstate *s, size_t k, const ncname *n) {
  if (s->failed) return;
  mtk_subtree st;
  mtk_cbs rest;
  if (s->nc.has_excluded) {
    rest = s->nc.excluded;
    while (mtk_subtree_next(&rest, &st)) {
      if (st.base.type != n->type) continue;
      if (s->budget-- == 0) return;
      int r = in_subtree(n, &st.base, true);
      if (r != 0) {
        nc_fail(s, k, n, r > 0 ? "excludes" : "cannot be checked for");
        return;
      }
    }
  }
  if (s->nc.has_permitted) {
    bool any = false, ok = false;
    rest = s->nc.permitted;
    while (!ok && mtk_subtree_next(&rest, &st)) {
      if (st.base.type != n->type) continue;
      any = true;
      if (s->budget-- == 0) return;
      int r = in_subtree(n, &st.base, false);
      if (r < 0) {
        nc_fail(s, k, n, "cannot be checked for");
        return;
      }
      ok = r > 0;
    }
    if (any && !ok) nc_fail(s, k, n, "does not permit");
  }
}

static void check_cert(ncstate *s, size_t k) {
  vcert *vc = s->p->c[k];
  const mtk_cert *c = &vc->c;
  ncname n;
  if (c->subject.n_rdns > 0) {
    memset(&n, 0, sizeof n);
    n.type = MTK_GN_DIRNAME;
    n.dn = &c->subject;
    check_name(s, k, &n);
  }
  const mtk_ext *x = mtk_ext_get(&c->exts, MTK_XK_SAN);
  bool san_email = false;
  if (x != NULL) {
    mtk_gn_iter it;
    mtk_gn g;
    if (mtk_gn_iter_init_ext(&it, &x->value))
      while (!s->failed && mtk_gn_next(&it, &g)) {
        memset(&n, 0, sizeof n);
        n.type = g.type;
        n.p = g.value.p;
        n.len = g.value.len;
        if (g.type == MTK_GN_DIRNAME) n.dn = &g.name;
        if (g.type == MTK_GN_OTHER) n.other_oid = g.other_oid;
        if (g.type == MTK_GN_EMAIL) san_email = true;
        check_name(s, k, &n);
      }
  }
  if (!san_email) {
    mtk_name_iter it;
    mtk_attr a;
    mtk_name_iter_init(&it, &c->subject);
    while (!s->failed && mtk_name_next(&it, &a)) {
      if (a.id != MTK_OID_EMAIL_ADDRESS) continue;
      memset(&n, 0, sizeof n);
      n.type = MTK_GN_EMAIL;
      n.p = a.value.p;
      n.len = a.value.len;
      check_name(s, k, &n);
    }
  }
}

/* Malformed subtrees fail the path (RFC 5280 4.2.1.10 forms; minimum 0 and
 * no maximum). */
static bool subtrees_ok(ncstate *s, const mtk_cbs *trees, bool present, size_t *count) {
  if (!present) return true;
  mtk_cbs rest = *trees;
  mtk_subtree st;
  size_t n = 0;
  char ca[256];
  vlabel(ca, sizeof ca, s->p, s->ca);
  while (mtk_subtree_next(&rest, &st)) {
    n++;
    const mtk_gn *g = &st.base;
    bool ok = true;
    switch (g->type) {
      case MTK_GN_DNS: ok = dns_constraint_ok(g->value.p, g->value.len); break;
      case MTK_GN_IP: ok = ip_constraint_ok(g->value.p, g->value.len); break;
      case MTK_GN_EMAIL: ok = email_constraint_ok(g->value.p, g->value.len); break;
      case MTK_GN_URI: ok = uri_constraint_ok(g->value.p, g->value.len); break;
      default: break;
    }
    if (ok && (st.minimum != 0 || st.has_maximum)) ok = false;
    if (!ok) {
      mtk_buf b;
      mtk_buf_init(&b, 512);
      ncname nn = {.type = g->type, .p = g->value.p, .len = g->value.len, .dn = &g->name};
      if (g->type == MTK_GN_IP) {
        if (mtk_str_ip(&b, g->value.p, g->value.len) != MTK_OK) mtk_buf_reset(&b);
      } else {
        name_text(&b, &nn);
      }
      vreason(s->p, MTK_ERR_CHAIN_NAME_CONSTRAINTS, (int)s->ca,
              "%s has a malformed name constraint %s:%.*s", ca, mtk_gn_type_name(g->type),
              (int)(b.len > 160 ? 160 : b.len), b.p ? (const char *)b.p : "");
      mtk_buf_free(&b);
      return false;
    }
  }
  if (n == 0) {
    vreason(s->p, MTK_ERR_CHAIN_NAME_CONSTRAINTS, (int)s->ca,
            "%s has an empty GeneralSubtrees in nameConstraints (RFC 5280 4.2.1.10)", ca);
    return false;
  }
  *count += n;
  return true;
}

void vnc_path(vctx *v, vpath *p) {
  size_t budget = NC_BUDGET;
  for (size_t i = 1; i < p->n; i++) {
    const mtk_ext *x = mtk_ext_get(&p->c[i]->c.exts, MTK_XK_NC);
    if (x == NULL) continue;
    ncstate s;
    memset(&s, 0, sizeof s);
    s.v = v;
    s.p = p;
    s.ca = i;
    char ca[256];
    vlabel(ca, sizeof ca, p, i);
    if (mtk_ext_name_constraints(&x->value, &s.nc, NULL) != MTK_OK ||
        (!s.nc.has_permitted && !s.nc.has_excluded)) {
      vreason(p, MTK_ERR_CHAIN_NAME_CONSTRAINTS, (int)i,
              "%s has a nameConstraints with neither permitted nor excluded subtrees (RFC 5280 "
              "4.2.1.10)",
              ca);
      continue;
    }
    size_t count = 0;
    if (!subtrees_ok(&s, &s.nc.permitted, s.nc.has_permitted, &count) ||
        !subtrees_ok(&s, &s.nc.excluded, s.nc.has_excluded, &count))
      continue;
    s.budget = budget;
    for (size_t k = 0; k < i && !s.failed; k++) {
      if (k > 0 && p->c[k]->self_issued) continue;
      check_cert(&s, k);
      if (s.budget == (size_t)-1 || s.budget == 0) break;
    }
    if (s.budget == (size_t)-1 || s.budget == 0) {
      vreason(p, MTK_ERR_CHAIN_NAME_CONSTRAINTS, (int)i,
              "%s: checking the name constraints takes more than %zu comparisons; refused", ca,
              NC_BUDGET);
      return;
    }
    budget = s.budget;
  }
}

/* ---- expected peer names (identity.h) ---------------------------------------------------------- */

static const char *kind_name(mtk_name_kind k) {
  switch (k) {
    case MTK_NAME_DNS: return "DNS";
    case MTK_NAME_IP: return "IP";
    case MTK_NAME_EMAIL: return "email";
    case MTK_NAME_URI: return "URI";
    case MTK_NAME_SRV: return "SRV";
  }
  return "?";
}

/* rfc822Name matching (identity.h has no e-mail identities): the local
 * part byte for byte, the domain ASCII case-insensitively. */
static bool email_match(const vcert *leaf, const uint8_t *ref, size_t len) {
  const uint8_t *at = memchr(ref, '@', len);
  if (at == NULL) return false;
  size_t local = (size_t)(at - ref);
  const mtk_ext *x = mtk_ext_get(&leaf->c.exts, MTK_XK_SAN);
  mtk_gn_iter it;
  mtk_gn g;
  if (x == NULL || !mtk_gn_iter_init_ext(&it, &x->value)) return false;
  while (mtk_gn_next(&it, &g))
    if (g.type == MTK_GN_EMAIL && g.value.len == len && memcmp(g.value.p, ref, local) == 0 &&
        ieq(g.value.p + local, at, len - local))
      return true;
  return false;
}

/* 1 match, 0 no match, -1 malformed reference: RFC 9525 through
 * identity.h (no CN, whole-label wildcards only), e-mail here. */
static int match_one(const vcert *leaf, const mtk_verify_name *n) {
  if (n->value == NULL || n->len == 0) return -1;
  if (n->kind == MTK_NAME_EMAIL) {
    if (!vemail_syntax_ok((const uint8_t *)n->value, n->len)) return -1;
    return email_match(leaf, (const uint8_t *)n->value, n->len);
  }
  mtk_ref ref;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s;
  switch (n->kind) {
    case MTK_NAME_DNS: s = mtk_ref_parse_dns(n->value, n->len, &ref, &d); break;
    case MTK_NAME_IP: s = mtk_ref_parse_ip(n->value, n->len, &ref, &d); break;
    case MTK_NAME_URI: s = mtk_ref_parse_uri(n->value, n->len, &ref, &d); break;
    case MTK_NAME_SRV: s = mtk_ref_parse_srv(n->value, n->len, &ref, &d); break;
    default: return -1;
  }
  if (s != MTK_OK) return -1;
  mtk_match_result mr;
  s = mtk_identity_match(&leaf->c, &ref, 1, MTK_ID_VERDICT_ONLY, &mr);
  if (s == MTK_ERR_ARG) return -1;
  return s == MTK_OK && mr.matched;
}

/* "DNS:a, IP:b" for the message (at most a few). */
static void leaf_names(const vcert *leaf, char *out, size_t cap) {
  out[0] = '\0';
  const mtk_ext *x = mtk_ext_get(&leaf->c.exts, MTK_XK_SAN);
  mtk_gn_iter it;
  mtk_gn g;
  mtk_buf b;
  mtk_buf_init(&b, 2048);
  size_t n = 0;
  if (x != NULL && mtk_gn_iter_init_ext(&it, &x->value))
    while (mtk_gn_next(&it, &g)) {
      if (g.type != MTK_GN_DNS && g.type != MTK_GN_IP && g.type != MTK_GN_EMAIL &&
          g.type != MTK_GN_URI)
        continue;
      if (n == 4) {
        if (mtk_buf_puts(&b, ", ...") != MTK_OK) break;
        break;
      }
      ncname nn = {.type = g.type, .p = g.value.p, .len = g.value.len};
      if (n > 0 && mtk_buf_puts(&b, ", ") != MTK_OK) break;
      if (mtk_buf_printf(&b, "%s:", mtk_gn_type_name(g.type)) != MTK_OK) break;
      name_text(&b, &nn);
      n++;
    }
  if (n == 0)
    snprintf(out, cap, "it has no DNS, IP, email or URI subjectAltName");
  else
    snprintf(out, cap, "its names: %.*s", (int)(b.len > 200 ? 200 : b.len), (const char *)b.p);
  mtk_buf_free(&b);
}

mtk_status vnames_check(vctx *v) {
  const mtk_verify_opts *o = v->o;
  if (o->n_names == 0) return MTK_OK;
  bool all = (o->flags & MTK_VERIFY_ALL_NAMES) != 0;
  int matched = -1;
  size_t missing = 0;
  const mtk_verify_name *first_missing = NULL;
  for (size_t i = 0; i < o->n_names; i++) {
    int r = match_one(v->leaf, &o->names[i]);
    if (r < 0) return MTK_ERR_ARG;
    if (r > 0 && matched < 0) matched = (int)i;
    if (r == 0) {
      missing++;
      if (first_missing == NULL) first_missing = &o->names[i];
    }
  }
  bool ok = all ? missing == 0 : matched >= 0;
  if (ok) {
    v->res->matched_name = matched;
    return MTK_OK;
  }
  char names[320];
  leaf_names(v->leaf, names, sizeof names);
  v->name_bad = true;
  v->name_code = MTK_ERR_CHAIN_NAME_MISMATCH;
  const mtk_verify_name *n = first_missing != NULL ? first_missing : &o->names[0];
  /* A long message is cut; that is fine for a message. */
  if (snprintf(v->name_msg, sizeof v->name_msg, "leaf (%s) does not match %s%s:%.*s (%s)",
               v->leaf->subject, (!all && o->n_names > 1) ? "any expected name, e.g. " : "",
               kind_name(n->kind), (int)(n->len > 120 ? 120 : n->len), n->value, names) < 0)
    v->name_msg[0] = '\0';
  return MTK_OK;
}

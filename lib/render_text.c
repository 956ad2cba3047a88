/* render_text.c: a parsed certificate or CSR as text for a person.
 *
 * Layout: a header line, then sections (Identity, Validity, Key, Signature,
 * Usage, Extensions, Fingerprints, Findings). Section titles start in column
 * 0; fields are "  label         value" with the value in column 16 and
 * continuation lines aligned under it; extension values sit in column 6
 * under the extension's name. Every certificate string is escaped for a
 * terminal (str.h, MTK_ESC_TEXT); names are RFC 4514 strings, whose own
 * escaping already leaves no control character. */
#include <stdio.h>
#include <string.h>

#include "mtlskit/keys.h"
#include "mtlskit/oid.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "render_int.h"

#define LABEL_WIDTH 13
#define VALUE_COL "                " /* 16 spaces: under a field's value */
#define EXT_COL "      "             /* 6 spaces: under an extension's name */

static void field(mtk_buf *b, const char *label) {
  (void)mtk_buf_printf(b, "  %-*s ", LABEL_WIDTH, label);
}

static void cont(mtk_buf *b) { (void)mtk_buf_puts(b, VALUE_COL); }

static void nl(mtk_buf *b) { (void)mtk_buf_putc(b, '\n'); }

static void section(mtk_buf *b, const char *title) {
  (void)mtk_buf_puts(b, title);
  nl(b);
}

static void put_cstr(mtk_buf *b, const char *s) {
  (void)mtk_str_escape_utf8(b, (const uint8_t *)s, strlen(s), MTK_ESC_TEXT);
}

/* A certificate string, escaped; flags ill-formed input. */
static void put_str(mtk_buf *b, mtk_tag tag, const uint8_t *p, size_t len) {
  unsigned flags = 0;
  (void)mtk_str_append(b, tag, p, len, MTK_ESC_TEXT, &flags);
  if (flags & MTK_STR_LOSSY) {
    (void)mtk_buf_puts(b, "  [invalid ");
    (void)mtk_str_tag(b, tag);
    (void)mtk_buf_puts(b, ": octets replaced by U+FFFD]");
  }
}

static void put_hexc(mtk_buf *b, const uint8_t *p, size_t len) {
  if (len == 0) {
    (void)mtk_buf_puts(b, "(empty)");
    return;
  }
  (void)mtk_str_hex(b, p, len, ':', true);
}

/* Hex in lines of 20 octets (a SHA-1 key identifier fits one), continuation
 * lines prefixed by |indent|. */
static void put_hex_block(mtk_buf *b, const uint8_t *p, size_t len, const char *indent) {
  if (len == 0) {
    (void)mtk_buf_puts(b, "(empty)");
    return;
  }
  for (size_t i = 0; i < len; i += 20) {
    if (i > 0) {
      nl(b);
      (void)mtk_buf_puts(b, indent);
    }
    (void)mtk_str_hex(b, p + i, len - i < 20 ? len - i : 20, ':', true);
  }
}

static void put_oid_named(mtk_buf *b, const mtk_cbs *oid) {
  mtk_oid_id id = mtk_oid_lookup(oid);
  const char *sn = mtk_oid_short_name(id);
  if (id != MTK_OID_UNKNOWN && sn[0] != '\0') {
    (void)mtk_buf_puts(b, sn);
    (void)mtk_buf_puts(b, " (");
    (void)mtk_str_oid(b, oid);
    (void)mtk_buf_putc(b, ')');
  } else {
    (void)mtk_str_oid(b, oid);
  }
}

static void put_name(mtk_buf *b, const mtk_name *n) {
  if (n->n_attrs == 0) {
    (void)mtk_buf_puts(b, "(empty name)");
    return;
  }
  (void)mtk_str_name(b, n, MTK_DN_RFC4514, MTK_ESC_TEXT);
}

/* The CN of |n|, else its RFC 4514 form. */
static void put_short_name(mtk_buf *b, const mtk_name *n) {
  if (!mtk_str_name_cn(b, n, MTK_ESC_TEXT)) put_name(b, n);
}

static const char *curve_alias(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_PRIME256V1: return "P-256";
    case MTK_OID_SECP384R1: return "P-384";
    case MTK_OID_SECP521R1: return "P-521";
    case MTK_OID_SECP224R1: return "P-224";
    case MTK_OID_PRIME192V1: return "P-192";
    default: return NULL;
  }
}

static bool ordinary_string_tag(mtk_tag t) {
  return t == MTK_ASN1_UTF8STRING || t == MTK_ASN1_PRINTABLESTRING || t == MTK_ASN1_IA5STRING;
}

/* ---- general names ---------------------------------------------------------------------- */

static void put_gn_value(mtk_buf *b, const mtk_gn *g) {
  switch (g->type) {
    case MTK_GN_DNS:
    case MTK_GN_EMAIL:
    case MTK_GN_URI:
      put_str(b, MTK_ASN1_IA5STRING, g->value.p, g->value.len);
      break;
    case MTK_GN_IP:
      (void)mtk_str_ip(b, g->value.p, g->value.len);
      if (g->value.len != 4 && g->value.len != 16 && g->value.len != 8 && g->value.len != 32)
        (void)mtk_buf_printf(b, "  [%zu octets: not an address]", g->value.len);
      break;
    case MTK_GN_RID:
      put_oid_named(b, &g->value);
      break;
    case MTK_GN_DIRNAME:
      put_name(b, &g->name);
      break;
    case MTK_GN_OTHER: {
      mtk_cbs v = g->other_value, body;
      mtk_tag t = 0;
      put_oid_named(b, &g->other_oid);
      (void)mtk_buf_puts(b, ": ");
      if (mtk_der_get_any(&v, &t, &body, NULL, NULL) == MTK_OK && mtk_str_is_string_tag(t))
        put_str(b, t, body.p, body.len);
      else
        put_hexc(b, g->other_value.p, g->other_value.len);
      break;
    }
    case MTK_GN_X400:
    case MTK_GN_EDIPARTY:
      put_hexc(b, g->elem.p, g->elem.len);
      break;
  }
}

static void put_gn(mtk_buf *b, const mtk_gn *g) {
  (void)mtk_buf_puts(b, mtk_gn_type_name(g->type));
  (void)mtk_buf_putc(b, ' ');
  put_gn_value(b, g);
}

/* Each GeneralName on its own line (the first continues the current one). */
static void put_gn_lines(mtk_buf *b, mtk_gn_iter it, const char *indent) {
  mtk_gn g;
  bool first = true;
  while (mtk_gn_next(&it, &g)) {
    if (!first) {
      nl(b);
      (void)mtk_buf_puts(b, indent);
    }
    first = false;
    put_gn(b, &g);
  }
}

/* ---- header, identity ---------------------------------------------------------------------- */

static void put_source(mtk_buf *b, const mtk_render_ctx *ctx) {
  (void)mtk_buf_puts(b, "  from ");
  if (ctx->file != NULL) {
    put_cstr(b, ctx->file);
    (void)mtk_buf_puts(b, ", ");
  }
  (void)mtk_buf_printf(b, "object %zu at offset %zu", ctx->index + 1, ctx->offset);
  if (ctx->encoding != NULL || ctx->line > 0) {
    (void)mtk_buf_puts(b, " (");
    if (ctx->encoding != NULL) put_cstr(b, ctx->encoding);
    if (ctx->line > 0) (void)mtk_buf_printf(b, "%sline %zu", ctx->encoding != NULL ? ", " : "", ctx->line);
    (void)mtk_buf_putc(b, ')');
  }
  nl(b);
}

static void put_name_field(mtk_buf *b, const char *label, const mtk_name *n, bool same) {
  field(b, label);
  put_name(b, n);
  if (same) (void)mtk_buf_puts(b, "  (same as the subject)");
  nl(b);
  if (same) return;
  /* Attribute per line, in encoding order; "+" marks the later members of a
   * multi-valued RDN. The ASN.1 type is shown when it is not one of the
   * ordinary ones. */
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, n);
  while (mtk_name_next(&it, &a)) {
    const char *tn = mtk_str_attr_type_name(a.id, false);
    (void)mtk_buf_printf(b, "%s%s", VALUE_COL, a.pos > 0 ? "+ " : "  ");
    size_t start = b->len;
    if (tn != NULL) (void)mtk_buf_puts(b, tn); else (void)mtk_str_oid(b, &a.oid);
    size_t w = b->overflow ? 5 : b->len - start;
    if (w < 5) (void)mtk_buf_printf(b, "%*s", (int)(5 - w), "");
    (void)mtk_buf_putc(b, ' ');
    put_str(b, a.tag, a.value.p, a.value.len);
    if (!ordinary_string_tag(a.tag)) {
      (void)mtk_buf_puts(b, "  (");
      (void)mtk_str_tag(b, a.tag);
      (void)mtk_buf_putc(b, ')');
    }
    nl(b);
  }
}

static void put_alt_names(mtk_buf *b, const mtk_ext *san, const char *label) {
  static const mtk_gn_type order[] = {MTK_GN_DNS,   MTK_GN_IP,    MTK_GN_URI,
                                      MTK_GN_EMAIL, MTK_GN_DIRNAME, MTK_GN_OTHER,
                                      MTK_GN_RID,   MTK_GN_X400,  MTK_GN_EDIPARTY};
  field(b, label);
  if (san == NULL) {
    (void)mtk_buf_puts(b, "(none)");
    nl(b);
    return;
  }
  bool any = false;
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    mtk_gn_iter it;
    mtk_gn g;
    bool first = true;
    if (!mtk_gn_iter_init_ext(&it, &san->value)) break;
    while (mtk_gn_next(&it, &g)) {
      if (g.type != order[k]) continue;
      if (any) cont(b);
      (void)mtk_buf_printf(b, "%-9s ", first ? mtk_gn_type_name(g.type) : "");
      put_gn_value(b, &g);
      if (!any && san->critical) (void)mtk_buf_puts(b, "  (critical)");
      nl(b);
      first = false;
      any = true;
    }
  }
  if (!any) {
    (void)mtk_buf_puts(b, "(empty)");
    nl(b);
  }
}

/* ---- key, signature ---------------------------------------------------------------------------- */

static void put_pss(mtk_buf *b, const mtk_algid *a) {
  mtk_pss_params pp;
  if (!a->has_params) {
    field(b, "PSS params");
    (void)mtk_buf_puts(b, "(absent: any)");
    nl(b);
    return;
  }
  if (mtk_pss_params_parse(&a->params, &pp, NULL) != MTK_OK) return;
  field(b, "PSS params");
  (void)mtk_buf_printf(b, "hash %s, mask %s with %s, salt %llu bytes, trailer %llu",
                       mtk_oid_short_name(pp.hash), mtk_oid_short_name(pp.mgf),
                       mtk_oid_short_name(pp.mgf_hash), (unsigned long long)pp.salt_len,
                       (unsigned long long)pp.trailer);
  nl(b);
}

static void put_key(mtk_buf *b, const mtk_spki *k) {
  section(b, "Key");
  field(b, "Type");
  if (k->type == MTK_KEY_UNKNOWN) {
    (void)mtk_buf_puts(b, "unknown algorithm ");
    put_oid_named(b, &k->alg.oid);
  } else {
    (void)mtk_buf_puts(b, mtk_key_type_name(k->type));
    if (k->bits > 0) (void)mtk_buf_printf(b, ", %u bits", k->bits);
    if (k->type == MTK_KEY_EC && !k->ec_explicit && !k->ec_implicit) {
      (void)mtk_buf_puts(b, ", curve ");
      if (k->curve != MTK_OID_UNKNOWN) {
        (void)mtk_buf_puts(b, mtk_oid_short_name(k->curve));
        const char *alias = curve_alias(k->curve);
        if (alias != NULL) (void)mtk_buf_printf(b, " (%s)", alias);
      } else {
        (void)mtk_str_oid(b, &k->curve_oid);
        (void)mtk_buf_puts(b, " (unknown)");
      }
    }
  }
  nl(b);
  if ((k->type == MTK_KEY_RSA || k->type == MTK_KEY_RSA_PSS) && !k->key_malformed) {
    uint64_t e;
    field(b, "Exponent");
    if (mtk_render_int_u64(&k->rsa_e, &e)) (void)mtk_buf_printf(b, "%llu", (unsigned long long)e);
    else put_hexc(b, k->rsa_e.p, k->rsa_e.len);
    nl(b);
  }
  if (k->type == MTK_KEY_RSA_PSS) put_pss(b, &k->alg);
  if (k->type == MTK_KEY_EC) {
    if (k->key.len > 0) {
      field(b, "Point");
      (void)mtk_buf_printf(b, "%s (0x%02x)", mtk_render_point_form(k->ec_point_form),
                           k->ec_point_form);
      nl(b);
    }
    if (k->ec_explicit) {
      field(b, "Curve");
      (void)mtk_buf_puts(b, "explicit curve parameters! (RFC 5480 2.1.1 allows only named "
                            "curves; CVE-2020-0601)");
      nl(b);
    }
    if (k->ec_implicit) {
      field(b, "Curve");
      (void)mtk_buf_puts(b, "implicit curve (NULL parameters)! (RFC 5480 2.1.1)");
      nl(b);
    }
  }
  if (k->key_malformed) {
    field(b, "Malformed");
    put_cstr(b, k->key_err.detail[0] ? k->key_err.detail : mtk_status_message(k->key_err.code));
    (void)mtk_buf_printf(b, " (at 0x%zx)", k->key_err.offset);
    nl(b);
  }
}

static bool params_are_null(const mtk_algid *a) {
  return a->has_params && a->params.len == 2 && a->params.p[0] == 0x05 && a->params.p[1] == 0x00;
}

static void put_algid_line(mtk_buf *b, const char *label, const mtk_algid *a) {
  field(b, label);
  put_oid_named(b, &a->oid);
  nl(b);
  if (a->id == MTK_OID_RSASSA_PSS) {
    put_pss(b, a);
  } else if (a->has_params && !params_are_null(a)) {
    field(b, "Parameters");
    put_hex_block(b, a->params.p, a->params.len, VALUE_COL);
    nl(b);
  }
}

static void put_sig_check(mtk_buf *b, const mtk_render_extras *x) {
  if (x == NULL || !x->has_signature_check) return;
  bool self = x->signer != NULL && strcmp(x->signer, "self") == 0;
  field(b, "Verified");
  switch (x->signature_status) {
    case MTK_OK:
      (void)mtk_buf_puts(b, "yes, under ");
      break;
    case MTK_ERR_SIG_INVALID:
      (void)mtk_buf_puts(b, "NO, the signature does not verify under ");
      break;
    default:
      (void)mtk_buf_printf(b, "not checked (%s) under ", mtk_status_message(x->signature_status));
      break;
  }
  if (self) (void)mtk_buf_puts(b, "its own key");
  else if (x->signer != NULL) put_cstr(b, x->signer);
  else (void)mtk_buf_puts(b, "the issuer's key");
  nl(b);
}

/* ---- usage ----------------------------------------------------------------------------------------- */

static void put_bits_list(mtk_buf *b, uint32_t bits, const char *(*name)(unsigned)) {
  bool first = true;
  for (unsigned i = 0; i < 32; i++) {
    if (!(bits & (1u << i))) continue;
    if (!first) (void)mtk_buf_puts(b, ", ");
    first = false;
    const char *n = name(i);
    if (n != NULL) (void)mtk_buf_puts(b, n); else (void)mtk_buf_printf(b, "bit %u", i);
  }
  if (first) (void)mtk_buf_puts(b, "(no bits set)");
}

static void put_critical(mtk_buf *b, const mtk_ext *e) {
  if (e->critical) (void)mtk_buf_puts(b, "  (critical)");
}

static void put_usage(mtk_buf *b, const mtk_extensions *exts) {
  section(b, "Usage");
  const mtk_ext *ku = exts->present ? mtk_ext_get(exts, MTK_XK_KU) : NULL;
  const mtk_ext *eku = exts->present ? mtk_ext_get(exts, MTK_XK_EKU) : NULL;
  const mtk_ext *bc = exts->present ? mtk_ext_get(exts, MTK_XK_BC) : NULL;
  uint32_t bits;
  field(b, "Key usage");
  if (ku == NULL) {
    (void)mtk_buf_puts(b, "(no keyUsage extension: any)");
  } else if (mtk_ext_key_usage(&ku->value, &bits, NULL) == MTK_OK) {
    put_bits_list(b, bits, mtk_ku_bit_name);
    put_critical(b, ku);
  }
  nl(b);
  field(b, "Ext. usage");
  if (eku == NULL) {
    (void)mtk_buf_puts(b, "(no extendedKeyUsage extension: any)");
  } else {
    mtk_oid_iter it;
    mtk_cbs oid;
    bool first = true;
    if (mtk_oid_iter_init_ext(&it, &eku->value)) {
      while (mtk_oid_next(&it, &oid, NULL)) {
        if (!first) (void)mtk_buf_puts(b, ", ");
        first = false;
        (void)mtk_str_oid_name(b, &oid);
      }
    }
    put_critical(b, eku);
  }
  nl(b);
  field(b, "CA");
  mtk_basic_constraints c;
  if (bc == NULL) {
    (void)mtk_buf_puts(b, "no (no basicConstraints extension)");
  } else if (mtk_ext_basic_constraints(&bc->value, &c, NULL) == MTK_OK) {
    (void)mtk_buf_puts(b, c.ca ? "yes" : "no");
    if (c.has_pathlen) (void)mtk_buf_printf(b, ", path length %llu", (unsigned long long)c.pathlen);
    else if (c.ca) (void)mtk_buf_puts(b, ", no path length limit");
    put_critical(b, bc);
  }
  nl(b);
}

/* ---- the other extensions ------------------------------------------------------------------------- */

static void put_rdn_set(mtk_buf *b, mtk_cbs set) {
  bool first = true;
  while (set.len > 0) {
    mtk_cbs atv;
    mtk_attr a;
    memset(&a, 0, sizeof a);
    if (mtk_der_get(&set, MTK_ASN1_SEQUENCE, &atv, NULL) != MTK_OK ||
        mtk_der_get_oid(&atv, &a.oid, NULL) != MTK_OK ||
        mtk_der_get_any(&atv, &a.tag, &a.value, &a.value_elem, NULL) != MTK_OK)
      break;
    a.id = mtk_oid_lookup(&a.oid);
    if (!first) (void)mtk_buf_putc(b, '+');
    first = false;
    const char *tn = mtk_str_attr_type_name(a.id, false);
    if (tn != NULL) (void)mtk_buf_puts(b, tn); else (void)mtk_str_oid(b, &a.oid);
    (void)mtk_buf_putc(b, '=');
    (void)mtk_str_attr_value(b, &a, false);
  }
}

static void put_sct_time(mtk_buf *b, uint64_t ms) {
  char tmp[64];
  mtk_time_format((mtk_time)(ms / 1000), tmp, sizeof tmp);
  size_t n = strlen(tmp);
  if (n > 0 && tmp[n - 1] == 'Z') tmp[n - 1] = '\0';
  (void)mtk_buf_printf(b, "%s.%03uZ", tmp, (unsigned)(ms % 1000));
}

static void ext_line(mtk_buf *b) { (void)mtk_buf_puts(b, EXT_COL); }

static bool put_ext_value(mtk_buf *b, const mtk_ext *e) {
  const mtk_cbs *v = &e->value;
  switch (e->id) {
    case MTK_OID_EXT_SAN:
    case MTK_OID_EXT_IAN: {
      mtk_gn_iter it;
      if (!mtk_gn_iter_init_ext(&it, v)) return false;
      ext_line(b);
      put_gn_lines(b, it, EXT_COL);
      nl(b);
      return true;
    }
    case MTK_OID_EXT_KU:
    case MTK_OID_EXT_NS_CERT_TYPE: {
      uint32_t bits;
      mtk_cbs c = *v;
      if (mtk_der_get_named_bits(&c, &bits, NULL) != MTK_OK) return false;
      ext_line(b);
      put_bits_list(b, bits, e->id == MTK_OID_EXT_KU ? mtk_ku_bit_name
                                                     : mtk_render_ns_cert_type_name);
      nl(b);
      return true;
    }
    case MTK_OID_EXT_EKU: {
      mtk_oid_iter it;
      mtk_cbs oid;
      if (!mtk_oid_iter_init_ext(&it, v)) return false;
      while (mtk_oid_next(&it, &oid, NULL)) {
        ext_line(b);
        put_oid_named(b, &oid);
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_BC: {
      mtk_basic_constraints c;
      if (mtk_ext_basic_constraints(v, &c, NULL) != MTK_OK) return false;
      ext_line(b);
      (void)mtk_buf_printf(b, "CA: %s", c.ca ? "yes" : "no");
      if (c.has_pathlen) (void)mtk_buf_printf(b, ", path length %llu", (unsigned long long)c.pathlen);
      nl(b);
      return true;
    }
    case MTK_OID_EXT_SKI: {
      mtk_cbs kid;
      if (mtk_ext_ski(v, &kid, NULL) != MTK_OK) return false;
      ext_line(b);
      put_hex_block(b, kid.p, kid.len, EXT_COL);
      nl(b);
      return true;
    }
    case MTK_OID_EXT_AKI: {
      mtk_aki a;
      if (mtk_ext_aki(v, &a, NULL) != MTK_OK) return false;
      if (a.has_keyid) {
        ext_line(b);
        (void)mtk_buf_puts(b, "keyid   ");
        put_hex_block(b, a.keyid.p, a.keyid.len, EXT_COL "        ");
        nl(b);
      }
      if (a.has_issuer) {
        mtk_gn_iter it;
        mtk_gn_iter_init(&it, &a.issuer);
        ext_line(b);
        (void)mtk_buf_puts(b, "issuer  ");
        put_gn_lines(b, it, EXT_COL "        ");
        nl(b);
      }
      if (a.has_serial) {
        ext_line(b);
        (void)mtk_buf_puts(b, "serial  ");
        put_hexc(b, a.serial.p, a.serial.len);
        nl(b);
      }
      if (!a.has_keyid && !a.has_issuer && !a.has_serial) {
        ext_line(b);
        (void)mtk_buf_puts(b, "(empty)");
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_CRLDP:
    case MTK_OID_EXT_FRESHEST_CRL: {
      mtk_dp_iter it;
      mtk_dp dp;
      if (!mtk_dp_iter_init_ext(&it, v)) return false;
      while (mtk_dp_next(&it, &dp)) {
        if (dp.has_full_name) {
          mtk_gn_iter gi;
          mtk_gn_iter_init(&gi, &dp.full_name);
          ext_line(b);
          put_gn_lines(b, gi, EXT_COL);
          nl(b);
        }
        if (dp.has_relative_name) {
          ext_line(b);
          (void)mtk_buf_puts(b, "relative name ");
          put_rdn_set(b, dp.relative_name);
          nl(b);
        }
        if (dp.has_reasons) {
          ext_line(b);
          (void)mtk_buf_puts(b, "  reasons: ");
          put_bits_list(b, dp.reasons, mtk_render_reason_name);
          nl(b);
        }
        if (dp.has_crl_issuer) {
          mtk_gn_iter gi;
          mtk_gn_iter_init(&gi, &dp.crl_issuer);
          ext_line(b);
          (void)mtk_buf_puts(b, "  CRL issuer: ");
          put_gn_lines(b, gi, EXT_COL "              ");
          nl(b);
        }
      }
      return true;
    }
    case MTK_OID_EXT_AIA:
    case MTK_OID_EXT_SIA: {
      mtk_ad_iter it;
      mtk_access_desc ad;
      if (!mtk_ad_iter_init_ext(&it, v)) return false;
      while (mtk_ad_next(&it, &ad)) {
        ext_line(b);
        size_t start = b->len;
        (void)mtk_str_oid_name(b, &ad.method);
        size_t w = b->len - start;
        if (!b->overflow && w < 12) (void)mtk_buf_printf(b, "%*s", (int)(12 - w), "");
        (void)mtk_buf_putc(b, ' ');
        put_gn(b, &ad.location);
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_CP: {
      mtk_policy_iter it;
      mtk_policy p;
      if (!mtk_policy_iter_init_ext(&it, v)) return false;
      while (mtk_policy_next(&it, &p)) {
        ext_line(b);
        put_oid_named(b, &p.oid);
        nl(b);
        mtk_cbs qs = p.has_qualifiers ? p.qualifiers : (mtk_cbs){0};
        mtk_policy_qualifier q;
        while (mtk_policy_qualifier_next(&qs, &q)) {
          ext_line(b);
          if (q.id == MTK_OID_QT_CPS) {
            (void)mtk_buf_puts(b, "  CPS: ");
            put_str(b, MTK_ASN1_IA5STRING, q.cps_uri.p, q.cps_uri.len);
          } else if (q.id == MTK_OID_QT_UNOTICE) {
            (void)mtk_buf_puts(b, "  User notice:");
            if (q.has_explicit_text) {
              (void)mtk_buf_puts(b, " \"");
              put_str(b, q.explicit_text_tag, q.explicit_text.p, q.explicit_text.len);
              (void)mtk_buf_putc(b, '"');
            }
            if (q.has_notice_ref) {
              (void)mtk_buf_puts(b, " (ref: ");
              put_str(b, q.notice_org_tag, q.notice_org.p, q.notice_org.len);
              mtk_cbs nums = q.notice_numbers, num;
              while (nums.len > 0 && mtk_der_get(&nums, MTK_ASN1_INTEGER, &num, NULL) == MTK_OK) {
                uint64_t u;
                if (mtk_render_int_u64(&num, &u)) (void)mtk_buf_printf(b, " #%llu", (unsigned long long)u);
                else {
                  (void)mtk_buf_puts(b, " #0x");
                  (void)mtk_str_hex(b, num.p, num.len, 0, false);
                }
              }
              (void)mtk_buf_putc(b, ')');
            }
          } else {
            (void)mtk_buf_puts(b, "  ");
            (void)mtk_str_oid(b, &q.oid);
            (void)mtk_buf_puts(b, ": ");
            put_hexc(b, q.raw.p, q.raw.len);
          }
          nl(b);
        }
      }
      return true;
    }
    case MTK_OID_EXT_PM: {
      mtk_cbs rest, a, c;
      if (!mtk_pm_iter_init_ext(&rest, v)) return false;
      while (mtk_pm_next(&rest, &a, &c)) {
        ext_line(b);
        put_oid_named(b, &a);
        (void)mtk_buf_puts(b, " -> ");
        put_oid_named(b, &c);
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_PC: {
      mtk_policy_constraints pc;
      if (mtk_ext_policy_constraints(v, &pc, NULL) != MTK_OK) return false;
      ext_line(b);
      if (pc.has_require)
        (void)mtk_buf_printf(b, "requireExplicitPolicy %llu", (unsigned long long)pc.require_explicit);
      if (pc.has_require && pc.has_inhibit) (void)mtk_buf_puts(b, ", ");
      if (pc.has_inhibit)
        (void)mtk_buf_printf(b, "inhibitPolicyMapping %llu", (unsigned long long)pc.inhibit_mapping);
      if (!pc.has_require && !pc.has_inhibit) (void)mtk_buf_puts(b, "(empty)");
      nl(b);
      return true;
    }
    case MTK_OID_EXT_NC: {
      mtk_name_constraints nc;
      if (mtk_ext_name_constraints(v, &nc, NULL) != MTK_OK) return false;
      for (int pass = 0; pass < 2; pass++) {
        bool has = pass == 0 ? nc.has_permitted : nc.has_excluded;
        if (!has) continue;
        mtk_cbs rest = pass == 0 ? nc.permitted : nc.excluded;
        mtk_subtree st;
        bool first = true;
        while (mtk_subtree_next(&rest, &st)) {
          ext_line(b);
          (void)mtk_buf_printf(b, "%-10s ", first ? (pass == 0 ? "permitted" : "excluded") : "");
          first = false;
          put_gn(b, &st.base);
          if (st.minimum != 0 || st.has_maximum) {
            (void)mtk_buf_printf(b, "  (minimum %llu", (unsigned long long)st.minimum);
            if (st.has_maximum) (void)mtk_buf_printf(b, ", maximum %llu", (unsigned long long)st.maximum);
            (void)mtk_buf_putc(b, ')');
          }
          nl(b);
        }
      }
      if (!nc.has_permitted && !nc.has_excluded) {
        ext_line(b);
        (void)mtk_buf_puts(b, "(empty)");
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_INHIBIT_ANY: {
      uint64_t skip;
      if (mtk_ext_inhibit_any(v, &skip, NULL) != MTK_OK) return false;
      ext_line(b);
      (void)mtk_buf_printf(b, "skipCerts %llu", (unsigned long long)skip);
      nl(b);
      return true;
    }
    case MTK_OID_EXT_SCT_LIST: {
      mtk_sct_iter it;
      mtk_sct s;
      if (!mtk_sct_iter_init_ext(&it, v)) return false;
      while (mtk_sct_next(&it, &s)) {
        ext_line(b);
        (void)mtk_buf_printf(b, "SCT v%u  log ", (unsigned)s.version + 1);
        (void)mtk_str_base64(b, s.log_id.p, s.log_id.len);
        nl(b);
        ext_line(b);
        (void)mtk_buf_puts(b, "        ");
        put_sct_time(b, s.timestamp_ms);
        (void)mtk_buf_printf(b, ", %s/%s", mtk_render_tls_hash_name(s.hash_alg),
                             mtk_render_tls_sig_name(s.sig_alg));
        if (s.extensions.len > 0) (void)mtk_buf_printf(b, ", %zu octets of extensions", s.extensions.len);
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_TLS_FEATURE: {
      mtk_cbs rest;
      uint64_t f;
      if (!mtk_tls_feature_iter_init_ext(&rest, v)) return false;
      while (mtk_tls_feature_next(&rest, &f)) {
        const char *n = mtk_render_tls_feature_name(f);
        ext_line(b);
        if (n != NULL) (void)mtk_buf_puts(b, n); else (void)mtk_buf_printf(b, "%llu", (unsigned long long)f);
        if (f == 5) (void)mtk_buf_puts(b, " (OCSP must-staple)");
        nl(b);
      }
      return true;
    }
    case MTK_OID_EXT_OCSP_NOCHECK:
      ext_line(b);
      (void)mtk_buf_puts(b, "the OCSP responder's own certificate is not checked for revocation");
      nl(b);
      return true;
    case MTK_OID_EXT_CT_POISON:
      ext_line(b);
      (void)mtk_buf_puts(b, "precertificate: not usable as a certificate (RFC 6962 3.1)");
      nl(b);
      return true;
    case MTK_OID_EXT_PKUP: {
      mtk_render_pkup pk;
      if (!mtk_render_pkup_decode(v, &pk)) return false;
      ext_line(b);
      if (pk.has_not_before) {
        (void)mtk_buf_puts(b, "not before ");
        (void)mtk_str_time(b, pk.not_before);
      }
      if (pk.has_not_before && pk.has_not_after) (void)mtk_buf_puts(b, ", ");
      if (pk.has_not_after) {
        (void)mtk_buf_puts(b, "not after ");
        (void)mtk_str_time(b, pk.not_after);
      }
      nl(b);
      return true;
    }
    case MTK_OID_EXT_NS_COMMENT: {
      mtk_cbs c = *v, body;
      mtk_tag t;
      if (mtk_der_get_any(&c, &t, &body, NULL, NULL) != MTK_OK || c.len != 0 ||
          !mtk_str_is_string_tag(t))
        return false;
      ext_line(b);
      put_str(b, t, body.p, body.len);
      nl(b);
      return true;
    }
    default:
      return false;
  }
}

/* Whether |e| was shown in Identity or Usage already (the first of its
 * kind; a duplicate is shown with the other extensions). */
static bool shown_elsewhere(const mtk_extensions *exts, const mtk_ext *e) {
  int k = mtk_xk_of(e->id);
  if (k != MTK_XK_SAN && k != MTK_XK_KU && k != MTK_XK_EKU && k != MTK_XK_BC) return false;
  const mtk_ext *first = mtk_ext_get(exts, (mtk_xk)k);
  return first != NULL && first->index == e->index;
}

static void put_extensions(mtk_buf *b, const mtk_extensions *exts, const char *title) {
  mtk_ext_iter it;
  mtk_ext e;
  bool titled = false;
  if (!exts->present) return;
  mtk_ext_iter_init(&it, exts);
  while (mtk_ext_next(&it, &e)) {
    if (shown_elsewhere(exts, &e)) continue;
    if (!titled) section(b, title);
    titled = true;
    mtk_oid_id id = e.id;
    (void)mtk_buf_puts(b, "  ");
    if (id != MTK_OID_UNKNOWN) {
      (void)mtk_buf_puts(b, mtk_oid_long_name(id));
    } else {
      (void)mtk_str_oid(b, &e.oid);
      (void)mtk_buf_puts(b, " (unknown)");
    }
    if (e.critical) (void)mtk_buf_puts(b, "  (critical)");
    nl(b);
    bool ok = mtk_render_ext_decoded(id) && (id == MTK_OID_EXT_PKUP || id == MTK_OID_EXT_NS_COMMENT ||
                                             mtk_ext_check(&e, NULL) == MTK_OK);
    size_t mark = b->len;
    if (!ok || !put_ext_value(b, &e)) {
      if (!b->overflow) b->len = mark; /* drop a partial decode */
      ext_line(b);
      put_hex_block(b, e.value.p, e.value.len, EXT_COL);
      nl(b);
    }
  }
}

/* ---- extras, findings -------------------------------------------------------------------------------- */

static void put_extras(mtk_buf *b, const mtk_render_extras *x) {
  if (x == NULL || (!x->has_fingerprints && x->n_key_matches == 0)) return;
  section(b, "Fingerprints");
  if (x->has_fingerprints) {
    field(b, "SHA-256");
    put_hexc(b, x->sha256, sizeof x->sha256);
    nl(b);
    field(b, "SHA-1");
    put_hexc(b, x->sha1, sizeof x->sha1);
    nl(b);
    field(b, "SPKI SHA-256");
    put_hexc(b, x->spki_sha256, sizeof x->spki_sha256);
    nl(b);
    if (x->has_spki) {
      field(b, "Pin (curl)");
      (void)mtk_buf_puts(b, x->spki_pin);
      nl(b);
    }
  }
  size_t n = x->n_key_matches < MTK_RENDER_MAX_KEY_MATCHES ? x->n_key_matches
                                                           : MTK_RENDER_MAX_KEY_MATCHES;
  for (size_t i = 0; i < n; i++) {
    const mtk_render_key_match *m = &x->key_matches[i];
    field(b, "Private key");
    put_cstr(b, m->file != NULL ? m->file : "(key)");
    if (m->status != MTK_OK)
      (void)mtk_buf_printf(b, ": not compared (%s)", mtk_status_message(m->status));
    else
      (void)mtk_buf_puts(b, m->match ? ": matches this public key" : ": DOES NOT MATCH this public key");
    nl(b);
  }
}

static void plural(mtk_buf *b, size_t n, const char *word) {
  (void)mtk_buf_printf(b, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

void mtk_render_findings_text(mtk_buf *b, const mtk_findings *f) {
  (void)mtk_buf_puts(b, "Findings: ");
  plural(b, f->n_error, "error");
  (void)mtk_buf_puts(b, ", ");
  plural(b, f->n_warning, "warning");
  (void)mtk_buf_puts(b, ", ");
  plural(b, f->n_notice, "notice");
  nl(b);
  static const mtk_severity order[3] = {MTK_SEV_ERROR, MTK_SEV_WARNING, MTK_SEV_NOTICE};
  size_t n = f->n < MTK_MAX_FINDINGS ? f->n : MTK_MAX_FINDINGS;
  for (size_t k = 0; k < 3; k++) {
    for (size_t i = 0; i < n; i++) {
      const mtk_finding *x = &f->items[i];
      if (x->severity != order[k]) continue;
      (void)mtk_buf_printf(b, "  %-8s ", mtk_severity_name(x->severity));
      put_cstr(b, x->check != NULL && x->check->id != NULL ? x->check->id : "?");
      nl(b);
      (void)mtk_buf_puts(b, "           ");
      if (x->path[0] != '\0') put_cstr(b, x->path);
      else (void)mtk_buf_puts(b, "(object)");
      (void)mtk_buf_printf(b, " @ 0x%zx", x->offset);
      if (x->detail[0] != '\0') {
        (void)mtk_buf_puts(b, ": ");
        put_cstr(b, x->detail);
      }
      nl(b);
      if (x->check != NULL && x->check->summary != NULL && x->check->summary[0] != '\0') {
        (void)mtk_buf_puts(b, "           ");
        put_cstr(b, x->check->summary);
        if (x->check->source != NULL && x->check->source[0] != '\0') {
          (void)mtk_buf_puts(b, " [");
          put_cstr(b, x->check->source);
          (void)mtk_buf_putc(b, ']');
        }
        nl(b);
      }
    }
  }
  if (f->dropped > 0) (void)mtk_buf_printf(b, "  ... and %zu more (not kept)\n", f->dropped);
}

void mtk_render_error_text(mtk_buf *b, const mtk_error *e, const mtk_render_ctx *ctx) {
  (void)mtk_buf_puts(b, "error: ");
  if (ctx->file != NULL) {
    put_cstr(b, ctx->file);
    (void)mtk_buf_puts(b, ": ");
  }
  (void)mtk_buf_printf(b, "object %zu at offset %zu: ", ctx->index + 1, ctx->offset);
  if (e->path[0] != '\0') {
    put_cstr(b, e->path);
    (void)mtk_buf_puts(b, ": ");
  }
  if (e->detail[0] != '\0') {
    put_cstr(b, e->detail);
    (void)mtk_buf_printf(b, " (%s)", mtk_status_message(e->code));
  } else {
    (void)mtk_buf_puts(b, mtk_status_message(e->code));
  }
  (void)mtk_buf_printf(b, " at 0x%zx [%s]\n", e->offset, mtk_status_name(e->code));
}

/* ---- objects ------------------------------------------------------------------------------------------ */

static void put_validity(mtk_buf *b, const mtk_cert *c, const mtk_render_ctx *ctx) {
  section(b, "Validity");
  field(b, "Not before");
  (void)mtk_str_time(b, c->not_before);
  nl(b);
  field(b, "Not after");
  (void)mtk_str_time(b, c->not_after);
  nl(b);
  field(b, "Status");
  int st = mtk_str_validity_status(b, c->not_before, c->not_after, ctx->now);
  (void)mtk_buf_puts(b, st == 0 ? "" : " (!)");
  (void)mtk_buf_puts(b, "  [at ");
  (void)mtk_str_time(b, ctx->now);
  (void)mtk_buf_putc(b, ']');
  nl(b);
  field(b, "Lifetime");
  (void)mtk_str_lifetime(b, c->not_before, c->not_after);
  nl(b);
}

void mtk_render_cert_text(mtk_buf *b, const mtk_cert *c, const mtk_render_ctx *ctx) {
  bool self = mtk_cert_is_self_issued(c);
  (void)mtk_buf_puts(b, "Certificate: ");
  put_short_name(b, &c->subject);
  if (self) {
    (void)mtk_buf_puts(b, " (self-issued)");
  } else {
    (void)mtk_buf_puts(b, " (issued by ");
    put_short_name(b, &c->issuer);
    (void)mtk_buf_putc(b, ')');
  }
  nl(b);
  put_source(b, ctx);

  section(b, "Identity");
  put_name_field(b, "Subject", &c->subject, false);
  put_name_field(b, "Issuer", &c->issuer, self);
  field(b, "Serial");
  put_hexc(b, c->serial.p, c->serial.len);
  if (c->serial_negative) (void)mtk_buf_puts(b, "  (negative!)");
  nl(b);
  field(b, "Version");
  (void)mtk_buf_printf(b, "%u", c->version);
  nl(b);
  put_alt_names(b, c->exts.present ? mtk_ext_get(&c->exts, MTK_XK_SAN) : NULL, "Alt names");
  if (c->has_issuer_uid) {
    field(b, "Issuer UID");
    put_hexc(b, c->issuer_uid.p, c->issuer_uid.len);
    nl(b);
  }
  if (c->has_subject_uid) {
    field(b, "Subject UID");
    put_hexc(b, c->subject_uid.p, c->subject_uid.len);
    nl(b);
  }

  put_validity(b, c, ctx);
  put_key(b, &c->spki);

  section(b, "Signature");
  put_algid_line(b, "Algorithm", &c->sig_alg);
  if (c->tbs_sig_alg.elem.len != c->sig_alg.elem.len ||
      memcmp(c->tbs_sig_alg.elem.p, c->sig_alg.elem.p, c->sig_alg.elem.len) != 0) {
    field(b, "Mismatch!");
    (void)mtk_buf_puts(b, "tbsCertificate.signature says ");
    put_oid_named(b, &c->tbs_sig_alg.oid);
    (void)mtk_buf_puts(b, " (RFC 5280 4.1.1.2: they MUST be the same)");
    nl(b);
  }
  put_sig_check(b, ctx->extras);

  put_usage(b, &c->exts);
  put_extensions(b, &c->exts, "Extensions");
  put_extras(b, ctx->extras);
  if (ctx->findings != NULL) mtk_render_findings_text(b, ctx->findings);
}

void mtk_render_csr_text(mtk_buf *b, const mtk_csr *r, const mtk_render_ctx *ctx) {
  (void)mtk_buf_puts(b, "Certificate request: ");
  put_short_name(b, &r->subject);
  nl(b);
  put_source(b, ctx);

  section(b, "Identity");
  put_name_field(b, "Subject", &r->subject, false);
  field(b, "Version");
  (void)mtk_buf_printf(b, "%llu", (unsigned long long)(r->version < UINT64_MAX ? r->version + 1 : r->version));
  nl(b);
  put_alt_names(b, r->has_ext_request ? mtk_ext_get(&r->exts, MTK_XK_SAN) : NULL,
                "Alt names");

  put_key(b, &r->spki);
  section(b, "Signature");
  put_algid_line(b, "Algorithm", &r->sig_alg);
  put_sig_check(b, ctx->extras);

  section(b, "Attributes");
  mtk_cbs rest = r->attributes;
  mtk_csr_attr a;
  bool any = false;
  while (mtk_csr_attr_next(&rest, &a)) {
    any = true;
    const char *label = a.id == MTK_OID_CHALLENGE_PASSWORD  ? "Challenge pw"
                        : a.id == MTK_OID_UNSTRUCTURED_NAME ? "Unstr. name"
                        : a.id == MTK_OID_EXTENSION_REQUEST ? "Ext. request"
                                                            : NULL;
    if (label != NULL) {
      field(b, label);
    } else {
      (void)mtk_buf_puts(b, "  ");
      put_oid_named(b, &a.oid);
      nl(b);
      cont(b);
    }
    if (a.id == MTK_OID_CHALLENGE_PASSWORD) {
      if (r->has_challenge_password)
        (void)mtk_buf_printf(b, "(present, %zu octets, not shown)", r->challenge_password.len);
      else
        (void)mtk_buf_puts(b, "(present, not shown)");
    } else if (a.id == MTK_OID_UNSTRUCTURED_NAME && r->has_unstructured_name) {
      put_str(b, r->unstructured_name_tag, r->unstructured_name.p, r->unstructured_name.len);
    } else if (a.id == MTK_OID_EXTENSION_REQUEST) {
      (void)mtk_buf_printf(b, "%u extension%s (below)", r->exts.count, r->exts.count == 1 ? "" : "s");
    } else {
      put_hex_block(b, a.values.p, a.values.len, VALUE_COL);
    }
    nl(b);
  }
  if (!any) {
    field(b, "(none)");
    nl(b);
  }

  if (r->has_ext_request) {
    put_usage(b, &r->exts);
    put_extensions(b, &r->exts, "Requested extensions");
  }
  put_extras(b, ctx->extras);
  if (ctx->findings != NULL) mtk_render_findings_text(b, ctx->findings);
}

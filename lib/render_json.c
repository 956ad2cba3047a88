/* render_json.c: a parsed certificate or CSR as one JSON object of the
 * "mtlskit.decode/1" schema (docs/json-schema.md). Every member has a fixed
 * type; optional members are left out rather than set to null, except where
 * the schema says null. */
#include <stdio.h>
#include <string.h>

#include "mtlskit/keys.h"
#include "mtlskit/oid.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "render_int.h"

/* ---- small pieces ------------------------------------------------------------------ */

static void json_tag(mtk_jw *w, mtk_tag tag) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_tag(w->b, tag);
  (void)mtk_buf_putc(w->b, '"');
}

/* An INTEGER's contents: a number when it fits, else its hex as a string. */
static void json_integer(mtk_jw *w, const mtk_cbs *v) {
  uint64_t u;
  if (mtk_render_int_u64(v, &u)) {
    mtk_jw_u64(w, u);
  } else {
    mtk_jw_value_prefix(w);
    (void)mtk_buf_puts(w->b, "\"0x");
    (void)mtk_str_hex(w->b, v->p, v->len, 0, false);
    (void)mtk_buf_putc(w->b, '"');
  }
}

static void json_time_obj(mtk_jw *w, mtk_time t, mtk_tag tag) {
  mtk_jw_obj(w);
  mtk_jw_key(w, "time");
  mtk_jw_time(w, t);
  mtk_jw_ki64(w, "unix", t);
  mtk_jw_key(w, "asn1_type");
  json_tag(w, tag);
  mtk_jw_end_obj(w);
}

static void json_name(mtk_jw *w, const mtk_name *n) {
  mtk_jw_obj(w);
  mtk_jw_key(w, "rfc4514");
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_name(w->b, n, MTK_DN_RFC4514, MTK_ESC_JSON);
  (void)mtk_buf_putc(w->b, '"');
  mtk_jw_key(w, "oneline");
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_name(w->b, n, MTK_DN_ONELINE, MTK_ESC_JSON);
  (void)mtk_buf_putc(w->b, '"');
  mtk_jw_key(w, "attributes");
  mtk_jw_arr(w);
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, n);
  while (mtk_name_next(&it, &a)) {
    unsigned flags = 0;
    const char *tn = mtk_str_attr_type_name(a.id, false);
    mtk_jw_obj(w);
    mtk_jw_koid(w, "oid", &a.oid);
    mtk_jw_key(w, "name");
    if (tn != NULL) mtk_jw_str(w, tn); else mtk_jw_null(w);
    mtk_jw_ku64(w, "rdn", a.rdn);
    mtk_jw_kbool(w, "multi_valued", a.rdn_size > 1);
    mtk_jw_key(w, "asn1_type");
    json_tag(w, a.tag);
    mtk_jw_key(w, "value");
    mtk_jw_asn1str(w, a.tag, a.value.p, a.value.len, &flags);
    if (flags & MTK_STR_LOSSY) mtk_jw_kbool(w, "lossy", true);
    if (flags & (MTK_STR_LOSSY | MTK_STR_HEX))
      mtk_jw_khex(w, "der_hex", a.value_elem.p, a.value_elem.len);
    mtk_jw_end_obj(w);
  }
  mtk_jw_end_arr(w);
  mtk_jw_end_obj(w);
}

static bool params_are_null(const mtk_algid *a) {
  return a->has_params && a->params.len == 2 && a->params.p[0] == 0x05 && a->params.p[1] == 0x00;
}

static void json_algid(mtk_jw *w, const mtk_algid *a) {
  mtk_jw_obj(w);
  mtk_jw_koid(w, "oid", &a->oid);
  mtk_jw_koid_name(w, "name", &a->oid);
  mtk_jw_kstr(w, "parameters", !a->has_params ? "absent" : params_are_null(a) ? "null" : "present");
  if (a->has_params && !params_are_null(a))
    mtk_jw_khex(w, "parameters_hex", a->params.p, a->params.len);
  mtk_pss_params pp;
  if (a->id == MTK_OID_RSASSA_PSS && a->has_params &&
      mtk_pss_params_parse(&a->params, &pp, NULL) == MTK_OK) {
    mtk_jw_key(w, "pss");
    mtk_jw_obj(w);
    mtk_jw_kstr(w, "hash", mtk_oid_short_name(pp.hash));
    mtk_jw_kstr(w, "mgf", mtk_oid_short_name(pp.mgf));
    mtk_jw_kstr(w, "mgf_hash", mtk_oid_short_name(pp.mgf_hash));
    mtk_jw_ku64(w, "salt_length", pp.salt_len);
    mtk_jw_ku64(w, "trailer", pp.trailer);
    mtk_jw_end_obj(w);
  }
  mtk_jw_end_obj(w);
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

static void json_error_fields(mtk_jw *w, const mtk_error *e) {
  mtk_jw_kstr(w, "code", mtk_status_name(e->code));
  mtk_jw_ku64(w, "code_num", (uint64_t)e->code);
  mtk_jw_kstr(w, "message", mtk_status_message(e->code));
  mtk_jw_kstr(w, "path", e->path);
  mtk_jw_ku64(w, "offset", e->offset);
  mtk_jw_kstr(w, "detail", e->detail);
}

static void json_spki(mtk_jw *w, const mtk_spki *k) {
  mtk_jw_obj(w);
  mtk_jw_kstr(w, "type", mtk_key_type_name(k->type));
  mtk_jw_ku64(w, "bits", k->bits);
  mtk_jw_key(w, "algorithm");
  json_algid(w, &k->alg);
  mtk_jw_kbool(w, "malformed", k->key_malformed);
  if (k->key_malformed) {
    mtk_jw_key(w, "error");
    mtk_jw_obj(w);
    json_error_fields(w, &k->key_err);
    mtk_jw_end_obj(w);
  }
  if ((k->type == MTK_KEY_RSA || k->type == MTK_KEY_RSA_PSS) && !k->key_malformed) {
    mtk_jw_key(w, "rsa");
    mtk_jw_obj(w);
    if (!w->no_hex) mtk_jw_khex(w, "modulus_hex", k->rsa_n.p, k->rsa_n.len);
    mtk_jw_key(w, "exponent");
    json_integer(w, &k->rsa_e);
    mtk_jw_end_obj(w);
  }
  if (k->type == MTK_KEY_EC) {
    mtk_jw_key(w, "ec");
    mtk_jw_obj(w);
    bool named = !k->ec_explicit && !k->ec_implicit;
    mtk_jw_kbool(w, "named", named);
    mtk_jw_kbool(w, "explicit", k->ec_explicit);
    mtk_jw_kbool(w, "implicit", k->ec_implicit);
    if (named) {
      mtk_jw_koid(w, "curve_oid", &k->curve_oid);
      mtk_jw_key(w, "curve");
      if (k->curve != MTK_OID_UNKNOWN) mtk_jw_str(w, mtk_oid_short_name(k->curve));
      else mtk_jw_null(w);
      const char *alias = curve_alias(k->curve);
      if (alias != NULL) mtk_jw_kstr(w, "nist_name", alias);
    }
    if (k->key.len > 0) mtk_jw_kstr(w, "point_form", mtk_render_point_form(k->ec_point_form));
    mtk_jw_end_obj(w);
  }
  if (k->type == MTK_KEY_DSA && k->dsa_p.len > 0) {
    mtk_jw_key(w, "dsa");
    mtk_jw_obj(w);
    if (!w->no_hex) {
      mtk_jw_khex(w, "p_hex", k->dsa_p.p, k->dsa_p.len);
      mtk_jw_khex(w, "q_hex", k->dsa_q.p, k->dsa_q.len);
      mtk_jw_khex(w, "g_hex", k->dsa_g.p, k->dsa_g.len);
    }
    mtk_jw_end_obj(w);
  }
  if (!w->no_hex) mtk_jw_khex(w, "public_key_hex", k->key.p, k->key.len);
  mtk_jw_end_obj(w);
}

/* ---- general names ------------------------------------------------------------------ */

static void json_gn(mtk_jw *w, const mtk_gn *g) {
  unsigned flags = 0;
  mtk_jw_obj(w);
  mtk_jw_kstr(w, "type", mtk_gn_type_name(g->type));
  switch (g->type) {
    case MTK_GN_DNS:
    case MTK_GN_EMAIL:
    case MTK_GN_URI:
      mtk_jw_key(w, "value");
      mtk_jw_asn1str(w, MTK_ASN1_IA5STRING, g->value.p, g->value.len, &flags);
      if (flags & MTK_STR_LOSSY) {
        mtk_jw_kbool(w, "lossy", true);
        mtk_jw_khex(w, "value_hex", g->value.p, g->value.len);
      }
      break;
    case MTK_GN_IP:
      mtk_jw_key(w, "value");
      mtk_jw_value_prefix(w);
      (void)mtk_buf_putc(w->b, '"');
      (void)mtk_str_ip(w->b, g->value.p, g->value.len);
      (void)mtk_buf_putc(w->b, '"');
      mtk_jw_khex(w, "value_hex", g->value.p, g->value.len);
      break;
    case MTK_GN_RID:
      mtk_jw_koid(w, "value", &g->value);
      mtk_jw_koid_name(w, "value_name", &g->value);
      break;
    case MTK_GN_DIRNAME:
      mtk_jw_key(w, "value");
      mtk_jw_value_prefix(w);
      (void)mtk_buf_putc(w->b, '"');
      (void)mtk_str_name(w->b, &g->name, MTK_DN_RFC4514, MTK_ESC_JSON);
      (void)mtk_buf_putc(w->b, '"');
      mtk_jw_key(w, "name");
      json_name(w, &g->name);
      break;
    case MTK_GN_OTHER: {
      mtk_cbs v = g->other_value, body;
      mtk_tag t = 0;
      mtk_jw_koid(w, "type_id", &g->other_oid);
      mtk_jw_koid_name(w, "type_id_name", &g->other_oid);
      if (mtk_der_get_any(&v, &t, &body, NULL, NULL) == MTK_OK) {
        mtk_jw_key(w, "asn1_type");
        json_tag(w, t);
        mtk_jw_key(w, "value");
        mtk_jw_asn1str(w, t, body.p, body.len, &flags);
        if (flags & MTK_STR_LOSSY) mtk_jw_kbool(w, "lossy", true);
      }
      mtk_jw_khex(w, "value_hex", g->other_value.p, g->other_value.len);
      break;
    }
    case MTK_GN_X400:
    case MTK_GN_EDIPARTY:
      mtk_jw_khex(w, "value_hex", g->elem.p, g->elem.len);
      break;
  }
  mtk_jw_end_obj(w);
}

static void json_gn_list(mtk_jw *w, mtk_gn_iter *it) {
  mtk_gn g;
  mtk_jw_arr(w);
  while (mtk_gn_next(it, &g)) json_gn(w, &g);
  mtk_jw_end_arr(w);
}

static void json_bits(mtk_jw *w, uint32_t bits, const char *(*name)(unsigned)) {
  mtk_jw_ku64(w, "bits", bits);
  mtk_jw_key(w, "names");
  mtk_jw_arr(w);
  for (unsigned i = 0; i < 32; i++) {
    if (!(bits & (1u << i))) continue;
    const char *n = name(i);
    if (n != NULL) {
      mtk_jw_str(w, n);
    } else {
      char tmp[16];
      (void)snprintf(tmp, sizeof tmp, "bit%u", i);
      mtk_jw_str(w, tmp);
    }
  }
  mtk_jw_end_arr(w);
}

/* An RDN (SET contents of AttributeTypeAndValue) in RFC 4514 form. */
static void put_rdn_string(mtk_buf *b, mtk_cbs set, mtk_esc esc) {
  mtk_buf tmp;
  mtk_buf_init(&tmp, b->cap);
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
    if (!first) (void)mtk_buf_putc(&tmp, '+');
    first = false;
    const char *tn = mtk_str_attr_type_name(a.id, false);
    if (tn != NULL) (void)mtk_buf_puts(&tmp, tn); else (void)mtk_str_oid(&tmp, &a.oid);
    (void)mtk_buf_putc(&tmp, '=');
    (void)mtk_str_attr_value(&tmp, &a, false);
  }
  if (tmp.overflow) b->overflow = true;
  else if (tmp.len > 0) {
    if (esc == MTK_ESC_JSON) (void)mtk_str_escape_utf8(b, tmp.p, tmp.len, MTK_ESC_JSON);
    else (void)mtk_buf_append(b, tmp.p, tmp.len);
  }
  mtk_buf_free(&tmp);
}

static void json_sct_time(mtk_jw *w, uint64_t ms) {
  char tmp[64];
  mtk_time_format((mtk_time)(ms / 1000), tmp, sizeof tmp);
  size_t n = strlen(tmp);
  if (n > 0 && tmp[n - 1] == 'Z') tmp[n - 1] = '\0';
  mtk_jw_value_prefix(w);
  (void)mtk_buf_printf(w->b, "\"%s.%03uZ\"", tmp, (unsigned)(ms % 1000));
}

/* ---- extension values ------------------------------------------------------------------- */

static void json_ext_value(mtk_jw *w, const mtk_ext *e) {
  const mtk_cbs *v = &e->value;
  mtk_jw_obj(w);
  switch (e->id) {
    case MTK_OID_EXT_SAN:
    case MTK_OID_EXT_IAN: {
      mtk_gn_iter it;
      if (mtk_gn_iter_init_ext(&it, v)) {
        mtk_jw_key(w, "names");
        json_gn_list(w, &it);
      }
      break;
    }
    case MTK_OID_EXT_KU: {
      uint32_t bits = 0;
      if (mtk_ext_key_usage(v, &bits, NULL) == MTK_OK) json_bits(w, bits, mtk_ku_bit_name);
      break;
    }
    case MTK_OID_EXT_NS_CERT_TYPE: {
      uint32_t bits = 0;
      mtk_cbs c = *v;
      if (mtk_der_get_named_bits(&c, &bits, NULL) == MTK_OK)
        json_bits(w, bits, mtk_render_ns_cert_type_name);
      break;
    }
    case MTK_OID_EXT_EKU: {
      mtk_oid_iter it;
      mtk_cbs oid;
      mtk_jw_key(w, "purposes");
      mtk_jw_arr(w);
      if (mtk_oid_iter_init_ext(&it, v)) {
        while (mtk_oid_next(&it, &oid, NULL)) {
          mtk_jw_obj(w);
          mtk_jw_koid(w, "oid", &oid);
          mtk_jw_koid_name(w, "name", &oid);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_BC: {
      mtk_basic_constraints bc;
      if (mtk_ext_basic_constraints(v, &bc, NULL) == MTK_OK) {
        mtk_jw_kbool(w, "ca", bc.ca);
        mtk_jw_key(w, "path_len");
        if (bc.has_pathlen) mtk_jw_u64(w, bc.pathlen); else mtk_jw_null(w);
      }
      break;
    }
    case MTK_OID_EXT_SKI: {
      mtk_cbs kid;
      if (mtk_ext_ski(v, &kid, NULL) == MTK_OK) mtk_jw_khex(w, "key_id", kid.p, kid.len);
      break;
    }
    case MTK_OID_EXT_AKI: {
      mtk_aki a;
      if (mtk_ext_aki(v, &a, NULL) == MTK_OK) {
        if (a.has_keyid) mtk_jw_khex(w, "key_id", a.keyid.p, a.keyid.len);
        if (a.has_issuer) {
          mtk_gn_iter it;
          mtk_gn_iter_init(&it, &a.issuer);
          mtk_jw_key(w, "issuer");
          json_gn_list(w, &it);
        }
        if (a.has_serial) mtk_jw_khex(w, "serial", a.serial.p, a.serial.len);
      }
      break;
    }
    case MTK_OID_EXT_CRLDP:
    case MTK_OID_EXT_FRESHEST_CRL: {
      mtk_dp_iter it;
      mtk_dp dp;
      mtk_jw_key(w, "points");
      mtk_jw_arr(w);
      if (mtk_dp_iter_init_ext(&it, v)) {
        while (mtk_dp_next(&it, &dp)) {
          mtk_jw_obj(w);
          if (dp.has_full_name) {
            mtk_gn_iter gi;
            mtk_gn_iter_init(&gi, &dp.full_name);
            mtk_jw_key(w, "full_name");
            json_gn_list(w, &gi);
          }
          if (dp.has_relative_name) {
            mtk_jw_key(w, "relative_name");
            mtk_jw_value_prefix(w);
            (void)mtk_buf_putc(w->b, '"');
            put_rdn_string(w->b, dp.relative_name, MTK_ESC_JSON);
            (void)mtk_buf_putc(w->b, '"');
          }
          if (dp.has_reasons) {
            mtk_jw_key(w, "reasons");
            mtk_jw_obj(w);
            json_bits(w, dp.reasons, mtk_render_reason_name);
            mtk_jw_end_obj(w);
          }
          if (dp.has_crl_issuer) {
            mtk_gn_iter gi;
            mtk_gn_iter_init(&gi, &dp.crl_issuer);
            mtk_jw_key(w, "crl_issuer");
            json_gn_list(w, &gi);
          }
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_AIA:
    case MTK_OID_EXT_SIA: {
      mtk_ad_iter it;
      mtk_access_desc ad;
      mtk_jw_key(w, "descriptions");
      mtk_jw_arr(w);
      if (mtk_ad_iter_init_ext(&it, v)) {
        while (mtk_ad_next(&it, &ad)) {
          mtk_jw_obj(w);
          mtk_jw_koid(w, "method", &ad.method);
          mtk_jw_koid_name(w, "method_name", &ad.method);
          mtk_jw_key(w, "location");
          json_gn(w, &ad.location);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_CP: {
      mtk_policy_iter it;
      mtk_policy p;
      mtk_jw_key(w, "policies");
      mtk_jw_arr(w);
      if (mtk_policy_iter_init_ext(&it, v)) {
        while (mtk_policy_next(&it, &p)) {
          mtk_jw_obj(w);
          mtk_jw_koid(w, "oid", &p.oid);
          mtk_jw_koid_name(w, "name", &p.oid);
          mtk_jw_key(w, "qualifiers");
          mtk_jw_arr(w);
          mtk_cbs qs = p.has_qualifiers ? p.qualifiers : (mtk_cbs){0};
          mtk_policy_qualifier q;
          while (mtk_policy_qualifier_next(&qs, &q)) {
            mtk_jw_obj(w);
            mtk_jw_koid(w, "oid", &q.oid);
            if (q.id == MTK_OID_QT_CPS) {
              mtk_jw_kstr(w, "type", "cps");
              mtk_jw_key(w, "cps_uri");
              mtk_jw_asn1str(w, MTK_ASN1_IA5STRING, q.cps_uri.p, q.cps_uri.len, NULL);
            } else if (q.id == MTK_OID_QT_UNOTICE) {
              mtk_jw_kstr(w, "type", "user_notice");
              if (q.has_notice_ref) {
                mtk_jw_key(w, "organization");
                mtk_jw_asn1str(w, q.notice_org_tag, q.notice_org.p, q.notice_org.len, NULL);
                mtk_jw_key(w, "notice_numbers");
                mtk_jw_arr(w);
                mtk_cbs nums = q.notice_numbers, num;
                while (nums.len > 0 && mtk_der_get(&nums, MTK_ASN1_INTEGER, &num, NULL) == MTK_OK)
                  json_integer(w, &num);
                mtk_jw_end_arr(w);
              }
              if (q.has_explicit_text) {
                mtk_jw_key(w, "explicit_text");
                mtk_jw_asn1str(w, q.explicit_text_tag, q.explicit_text.p, q.explicit_text.len,
                               NULL);
                mtk_jw_key(w, "explicit_text_asn1_type");
                json_tag(w, q.explicit_text_tag);
              }
            } else {
              mtk_jw_kstr(w, "type", "unknown");
              mtk_jw_khex(w, "value_hex", q.raw.p, q.raw.len);
            }
            mtk_jw_end_obj(w);
          }
          mtk_jw_end_arr(w);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_PM: {
      mtk_cbs rest, a, b;
      mtk_jw_key(w, "mappings");
      mtk_jw_arr(w);
      if (mtk_pm_iter_init_ext(&rest, v)) {
        while (mtk_pm_next(&rest, &a, &b)) {
          mtk_jw_obj(w);
          mtk_jw_koid(w, "issuer_domain_policy", &a);
          mtk_jw_koid_name(w, "issuer_domain_policy_name", &a);
          mtk_jw_koid(w, "subject_domain_policy", &b);
          mtk_jw_koid_name(w, "subject_domain_policy_name", &b);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_PC: {
      mtk_policy_constraints pc;
      if (mtk_ext_policy_constraints(v, &pc, NULL) == MTK_OK) {
        if (pc.has_require) mtk_jw_ku64(w, "require_explicit_policy", pc.require_explicit);
        if (pc.has_inhibit) mtk_jw_ku64(w, "inhibit_policy_mapping", pc.inhibit_mapping);
      }
      break;
    }
    case MTK_OID_EXT_NC: {
      mtk_name_constraints nc;
      if (mtk_ext_name_constraints(v, &nc, NULL) == MTK_OK) {
        for (int pass = 0; pass < 2; pass++) {
          bool has = pass == 0 ? nc.has_permitted : nc.has_excluded;
          if (!has) continue;
          mtk_cbs rest = pass == 0 ? nc.permitted : nc.excluded;
          mtk_subtree st;
          mtk_jw_key(w, pass == 0 ? "permitted" : "excluded");
          mtk_jw_arr(w);
          while (mtk_subtree_next(&rest, &st)) {
            mtk_jw_obj(w);
            mtk_jw_key(w, "base");
            json_gn(w, &st.base);
            mtk_jw_ku64(w, "minimum", st.minimum);
            if (st.has_maximum) mtk_jw_ku64(w, "maximum", st.maximum);
            mtk_jw_end_obj(w);
          }
          mtk_jw_end_arr(w);
        }
      }
      break;
    }
    case MTK_OID_EXT_INHIBIT_ANY: {
      uint64_t skip;
      if (mtk_ext_inhibit_any(v, &skip, NULL) == MTK_OK) mtk_jw_ku64(w, "skip_certs", skip);
      break;
    }
    case MTK_OID_EXT_SCT_LIST: {
      mtk_sct_iter it;
      mtk_sct s;
      mtk_jw_key(w, "scts");
      mtk_jw_arr(w);
      if (mtk_sct_iter_init_ext(&it, v)) {
        while (mtk_sct_next(&it, &s)) {
          mtk_jw_obj(w);
          mtk_jw_ku64(w, "version", s.version);
          mtk_jw_khex(w, "log_id_hex", s.log_id.p, s.log_id.len);
          mtk_jw_key(w, "log_id_base64");
          mtk_jw_value_prefix(w);
          (void)mtk_buf_putc(w->b, '"');
          (void)mtk_str_base64(w->b, s.log_id.p, s.log_id.len);
          (void)mtk_buf_putc(w->b, '"');
          mtk_jw_ku64(w, "timestamp_ms", s.timestamp_ms);
          mtk_jw_key(w, "time");
          json_sct_time(w, s.timestamp_ms);
          mtk_jw_kstr(w, "hash", mtk_render_tls_hash_name(s.hash_alg));
          mtk_jw_kstr(w, "signature_algorithm", mtk_render_tls_sig_name(s.sig_alg));
          if (!w->no_hex) mtk_jw_khex(w, "signature_hex", s.signature.p, s.signature.len);
          mtk_jw_khex(w, "extensions_hex", s.extensions.p, s.extensions.len);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      break;
    }
    case MTK_OID_EXT_TLS_FEATURE: {
      mtk_cbs rest;
      uint64_t f;
      bool staple = false;
      mtk_jw_key(w, "features");
      mtk_jw_arr(w);
      if (mtk_tls_feature_iter_init_ext(&rest, v)) {
        while (mtk_tls_feature_next(&rest, &f)) {
          const char *n = mtk_render_tls_feature_name(f);
          if (f == 5) staple = true;
          mtk_jw_obj(w);
          mtk_jw_ku64(w, "value", f);
          mtk_jw_key(w, "name");
          if (n != NULL) mtk_jw_str(w, n); else mtk_jw_null(w);
          mtk_jw_end_obj(w);
        }
      }
      mtk_jw_end_arr(w);
      mtk_jw_kbool(w, "must_staple", staple);
      break;
    }
    case MTK_OID_EXT_PKUP: {
      mtk_render_pkup pk;
      if (mtk_render_pkup_decode(v, &pk)) {
        if (pk.has_not_before) {
          mtk_jw_key(w, "not_before");
          mtk_jw_time(w, pk.not_before);
        }
        if (pk.has_not_after) {
          mtk_jw_key(w, "not_after");
          mtk_jw_time(w, pk.not_after);
        }
      }
      break;
    }
    case MTK_OID_EXT_NS_COMMENT: {
      mtk_cbs c = *v, body;
      mtk_tag t;
      if (mtk_der_get_any(&c, &t, &body, NULL, NULL) == MTK_OK) {
        mtk_jw_key(w, "comment");
        mtk_jw_asn1str(w, t, body.p, body.len, NULL);
        mtk_jw_key(w, "asn1_type");
        json_tag(w, t);
      }
      break;
    }
    default: /* OCSP no check, CT poison: NULL values; nothing to show */
      break;
  }
  mtk_jw_end_obj(w);
}

/* Whether the decoders accept |e| (always true after a parse, except for
 * the few kinds that only the renderer decodes). */
static bool ext_decodable(const mtk_ext *e) {
  if (!mtk_render_ext_decoded(e->id)) return false;
  if (e->id == MTK_OID_EXT_PKUP) {
    mtk_render_pkup pk;
    return mtk_render_pkup_decode(&e->value, &pk);
  }
  if (e->id == MTK_OID_EXT_NS_COMMENT) {
    mtk_cbs c = e->value;
    mtk_tag t;
    return mtk_der_get_any(&c, &t, NULL, NULL, NULL) == MTK_OK && c.len == 0 &&
           mtk_str_is_string_tag(t);
  }
  return mtk_ext_check(e, NULL) == MTK_OK;
}

static void json_extensions(mtk_jw *w, const mtk_extensions *exts) {
  mtk_ext_iter it;
  mtk_ext e;
  mtk_jw_arr(w);
  if (exts->present) {
    mtk_ext_iter_init(&it, exts);
    while (mtk_ext_next(&it, &e)) {
      mtk_jw_obj(w);
      mtk_jw_ku64(w, "index", e.index);
      mtk_jw_ku64(w, "offset", e.elem.off);
      mtk_jw_koid(w, "oid", &e.oid);
      mtk_jw_koid_name(w, "name", &e.oid);
      mtk_jw_kbool(w, "critical", e.critical);
      if (ext_decodable(&e)) {
        mtk_jw_kbool(w, "raw", false);
        mtk_jw_key(w, "value");
        json_ext_value(w, &e);
      } else {
        mtk_jw_kbool(w, "raw", true);
        mtk_jw_khex(w, "value_hex", e.value.p, e.value.len);
      }
      mtk_jw_end_obj(w);
    }
  }
  mtk_jw_end_arr(w);
}

/* ---- extras, findings, errors -------------------------------------------------------------- */

static void json_extras(mtk_jw *w, const mtk_render_extras *x) {
  if (x == NULL) return;
  if (x->has_fingerprints) {
    mtk_jw_key(w, "fingerprints");
    mtk_jw_obj(w);
    mtk_jw_khex(w, "sha256", x->sha256, sizeof x->sha256);
    mtk_jw_khex(w, "sha1", x->sha1, sizeof x->sha1);
    mtk_jw_khex(w, "spki_sha256", x->spki_sha256, sizeof x->spki_sha256);
    if (x->has_spki) mtk_jw_kstr(w, "spki_pin", x->spki_pin);
    mtk_jw_end_obj(w);
  }
  if (x->has_signature_check) {
    mtk_jw_key(w, "signature_check");
    mtk_jw_obj(w);
    mtk_jw_kstr(w, "signer", x->signer != NULL ? x->signer : "");
    mtk_jw_kstr(w, "result", mtk_render_sig_status_word(x->signature_status));
    mtk_jw_kbool(w, "verified", x->signature_status == MTK_OK);
    mtk_jw_kstr(w, "status", mtk_status_name(x->signature_status));
    mtk_jw_kstr(w, "message", mtk_status_message(x->signature_status));
    mtk_jw_end_obj(w);
  }
  if (x->n_key_matches > 0) {
    size_t n = x->n_key_matches < MTK_RENDER_MAX_KEY_MATCHES ? x->n_key_matches
                                                             : MTK_RENDER_MAX_KEY_MATCHES;
    mtk_jw_key(w, "key_matches");
    mtk_jw_arr(w);
    for (size_t i = 0; i < n; i++) {
      const mtk_render_key_match *m = &x->key_matches[i];
      mtk_jw_obj(w);
      mtk_jw_kstr(w, "file", m->file != NULL ? m->file : "");
      mtk_jw_key(w, "match");
      if (m->status == MTK_OK) mtk_jw_bool(w, m->match); else mtk_jw_null(w);
      mtk_jw_kstr(w, "status", mtk_status_name(m->status));
      mtk_jw_kstr(w, "message", mtk_status_message(m->status));
      mtk_jw_end_obj(w);
    }
    mtk_jw_end_arr(w);
  }
}

void mtk_render_findings_json(mtk_jw *w, const mtk_findings *f) {
  mtk_jw_obj(w);
  mtk_jw_key(w, "counts");
  mtk_jw_obj(w);
  mtk_jw_ku64(w, "error", f->n_error);
  mtk_jw_ku64(w, "warning", f->n_warning);
  mtk_jw_ku64(w, "notice", f->n_notice);
  mtk_jw_end_obj(w);
  mtk_jw_ku64(w, "dropped", f->dropped);
  mtk_jw_key(w, "items");
  mtk_jw_arr(w);
  size_t n = f->n < MTK_MAX_FINDINGS ? f->n : MTK_MAX_FINDINGS;
  for (size_t i = 0; i < n; i++) {
    const mtk_finding *x = &f->items[i];
    mtk_jw_obj(w);
    mtk_jw_kstr(w, "id", x->check != NULL ? x->check->id : "");
    mtk_jw_kstr(w, "severity", mtk_severity_name(x->severity));
    mtk_jw_kstr(w, "path", x->path);
    mtk_jw_ku64(w, "offset", x->offset);
    mtk_jw_kstr(w, "detail", x->detail);
    if (x->check != NULL) {
      mtk_jw_kstr(w, "summary", x->check->summary != NULL ? x->check->summary : "");
      mtk_jw_kstr(w, "source", x->check->source != NULL ? x->check->source : "");
      mtk_jw_kstr(w, "effective", x->check->effective != NULL ? x->check->effective : "");
    }
    mtk_jw_end_obj(w);
  }
  mtk_jw_end_arr(w);
  mtk_jw_end_obj(w);
}

void mtk_render_error_json(mtk_jw *w, const mtk_error *e, const mtk_render_ctx *ctx) {
  mtk_jw_obj(w);
  json_error_fields(w, e);
  mtk_jw_ku64(w, "object_index", ctx->index);
  mtk_jw_ku64(w, "object_offset", ctx->offset);
  mtk_jw_end_obj(w);
}

static void json_source(mtk_jw *w, const mtk_render_ctx *ctx) {
  mtk_jw_ku64(w, "index", ctx->index);
  mtk_jw_ku64(w, "offset", ctx->offset);
  if (ctx->line > 0) mtk_jw_ku64(w, "line", ctx->line);
  if (ctx->encoding != NULL) mtk_jw_kstr(w, "encoding", ctx->encoding);
}

/* ---- objects ---------------------------------------------------------------------------------- */

void mtk_render_cert_json(mtk_jw *w, const mtk_cert *c, const mtk_render_ctx *ctx) {
  mtk_jw_obj(w);
  mtk_jw_kstr(w, "kind", "certificate");
  json_source(w, ctx);
  mtk_jw_ku64(w, "der_length", c->der.len);
  mtk_jw_ku64(w, "version", c->version);
  mtk_jw_khex(w, "serial", c->serial.p, c->serial.len);
  mtk_jw_kbool(w, "serial_negative", c->serial_negative);
  mtk_jw_key(w, "signature_algorithm");
  json_algid(w, &c->sig_alg);
  bool same = c->tbs_sig_alg.elem.len == c->sig_alg.elem.len &&
              memcmp(c->tbs_sig_alg.elem.p, c->sig_alg.elem.p, c->sig_alg.elem.len) == 0;
  mtk_jw_kbool(w, "signature_algorithms_match", same);
  if (!same) {
    mtk_jw_key(w, "tbs_signature_algorithm");
    json_algid(w, &c->tbs_sig_alg);
  }
  mtk_jw_key(w, "issuer");
  json_name(w, &c->issuer);
  mtk_jw_key(w, "subject");
  json_name(w, &c->subject);
  mtk_jw_kbool(w, "self_issued", mtk_cert_is_self_issued(c));

  mtk_jw_key(w, "validity");
  mtk_jw_obj(w);
  mtk_jw_key(w, "not_before");
  json_time_obj(w, c->not_before, c->not_before_tag);
  mtk_jw_key(w, "not_after");
  json_time_obj(w, c->not_after, c->not_after_tag);
  /* RFC 5280 4.1.2.5: both ends inclusive. */
  int64_t secs = c->not_after >= c->not_before ? c->not_after - c->not_before + 1 : 0;
  mtk_jw_ki64(w, "length_seconds", secs);
  mtk_jw_ki64(w, "length_days", secs / 86400);
  const char *status = ctx->now < c->not_before ? "not_yet_valid"
                       : ctx->now > c->not_after ? "expired"
                                                 : "valid";
  mtk_jw_kstr(w, "status", status);
  mtk_jw_ki64(w, "seconds_to_expiry", c->not_after - ctx->now);
  mtk_jw_end_obj(w);

  mtk_jw_key(w, "public_key");
  json_spki(w, &c->spki);
  if (c->has_issuer_uid) mtk_jw_khex(w, "issuer_unique_id", c->issuer_uid.p, c->issuer_uid.len);
  if (c->has_subject_uid)
    mtk_jw_khex(w, "subject_unique_id", c->subject_uid.p, c->subject_uid.len);
  mtk_jw_kbool(w, "extensions_present", c->exts.present);
  mtk_jw_key(w, "extensions");
  json_extensions(w, &c->exts);
  if (!w->no_hex) mtk_jw_khex(w, "signature_hex", c->signature.p, c->signature.len);
  json_extras(w, ctx->extras);
  if (ctx->findings != NULL) {
    mtk_jw_key(w, "findings");
    mtk_render_findings_json(w, ctx->findings);
  }
  mtk_jw_end_obj(w);
}

void mtk_render_csr_json(mtk_jw *w, const mtk_csr *r, const mtk_render_ctx *ctx) {
  mtk_jw_obj(w);
  mtk_jw_kstr(w, "kind", "csr");
  json_source(w, ctx);
  mtk_jw_ku64(w, "der_length", r->der.len);
  mtk_jw_ku64(w, "version", r->version < UINT64_MAX ? r->version + 1 : r->version);
  mtk_jw_key(w, "signature_algorithm");
  json_algid(w, &r->sig_alg);
  mtk_jw_key(w, "subject");
  json_name(w, &r->subject);
  mtk_jw_key(w, "public_key");
  json_spki(w, &r->spki);

  mtk_jw_key(w, "attributes");
  mtk_jw_arr(w);
  mtk_cbs rest = r->attributes;
  mtk_csr_attr a;
  while (mtk_csr_attr_next(&rest, &a)) {
    mtk_jw_obj(w);
    mtk_jw_koid(w, "oid", &a.oid);
    mtk_jw_koid_name(w, "name", &a.oid);
    mtk_jw_ku64(w, "offset", a.offset);
    if (a.id == MTK_OID_CHALLENGE_PASSWORD && r->has_challenge_password) {
      mtk_jw_kbool(w, "redacted", true);
      mtk_jw_ku64(w, "length", r->challenge_password.len);
    } else if (a.id == MTK_OID_UNSTRUCTURED_NAME && r->has_unstructured_name) {
      mtk_jw_key(w, "value");
      mtk_jw_asn1str(w, r->unstructured_name_tag, r->unstructured_name.p,
                     r->unstructured_name.len, NULL);
      mtk_jw_key(w, "asn1_type");
      json_tag(w, r->unstructured_name_tag);
    } else if (a.id == MTK_OID_EXTENSION_REQUEST) {
      mtk_jw_ku64(w, "extensions", r->exts.count);
    } else if (a.id != MTK_OID_CHALLENGE_PASSWORD) {
      mtk_jw_khex(w, "values_hex", a.values.p, a.values.len);
    } else {
      mtk_jw_kbool(w, "redacted", true);
    }
    mtk_jw_end_obj(w);
  }
  mtk_jw_end_arr(w);

  mtk_jw_kbool(w, "extensions_present", r->has_ext_request);
  mtk_jw_key(w, "extensions");
  json_extensions(w, &r->exts);
  if (!w->no_hex) mtk_jw_khex(w, "signature_hex", r->signature.p, r->signature.len);
  json_extras(w, ctx->extras);
  if (ctx->findings != NULL) {
    mtk_jw_key(w, "findings");
    mtk_render_findings_json(w, ctx->findings);
  }
  mtk_jw_end_obj(w);
}

/* lint_name.c: checks of the subject (and, for string types, the issuer)
 * distinguished name: empty and over-long values, countryName, repeated
 * attributes, multi-valued RDNs, string types, attributes a profile forbids,
 * and the empty-subject rule. */
#include <stdio.h>
#include <string.h>

#include "lint_internal.h"

/* RFC 5280 Appendix A upper bounds (in characters), 0 = none checked. */
static size_t upper_bound(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_AT_CN: return 64;          /* ub-common-name */
    case MTK_OID_AT_L: return 128;          /* ub-locality-name */
    case MTK_OID_AT_ST: return 128;         /* ub-state-name */
    case MTK_OID_AT_O: return 64;           /* ub-organization-name */
    case MTK_OID_AT_OU: return 64;          /* ub-organizational-unit-name */
    case MTK_OID_AT_TITLE: return 64;       /* ub-title */
    case MTK_OID_AT_SERIAL_NUMBER: return 64; /* ub-serial-number */
    case MTK_OID_AT_PSEUDONYM: return 128;  /* ub-pseudonym */
    case MTK_OID_EMAIL_ADDRESS: return 255; /* ub-emailaddress-length */
    case MTK_OID_AT_NAME: case MTK_OID_AT_SURNAME: case MTK_OID_AT_GIVEN_NAME:
    case MTK_OID_AT_INITIALS: case MTK_OID_AT_GENERATION_QUALIFIER:
      return 32768;                         /* ub-name */
    default: return 0;
  }
}

/* Attributes whose syntax is DirectoryString (RFC 5280 4.1.2.4, A.1). */
static bool is_directory_string_attr(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_AT_CN: case MTK_OID_AT_L: case MTK_OID_AT_ST: case MTK_OID_AT_O:
    case MTK_OID_AT_OU: case MTK_OID_AT_TITLE: case MTK_OID_AT_STREET:
    case MTK_OID_AT_NAME: case MTK_OID_AT_SURNAME: case MTK_OID_AT_GIVEN_NAME:
    case MTK_OID_AT_INITIALS: case MTK_OID_AT_GENERATION_QUALIFIER:
    case MTK_OID_AT_PSEUDONYM: case MTK_OID_AT_BUSINESS_CATEGORY:
    case MTK_OID_AT_POSTAL_CODE: case MTK_OID_AT_DESCRIPTION:
    case MTK_OID_AT_ORG_IDENTIFIER: case MTK_OID_JURIS_L: case MTK_OID_JURIS_ST:
      return true;
    default: return false;
  }
}

/* Attributes that normally appear once in a subject. */
static bool is_single_attr(mtk_oid_id id) {
  switch (id) {
    case MTK_OID_AT_CN: case MTK_OID_AT_C: case MTK_OID_AT_O: case MTK_OID_AT_ST:
    case MTK_OID_AT_L: case MTK_OID_AT_SERIAL_NUMBER: case MTK_OID_AT_GIVEN_NAME:
    case MTK_OID_AT_SURNAME: case MTK_OID_JURIS_C:
      return true;
    default: return false;
  }
}

static size_t char_count(mtk_tag tag, const mtk_cbs *v) {
  switch (tag) {
    case MTK_ASN1_UTF8STRING: {
      size_t n = 0;
      for (size_t i = 0; i < v->len; i++)
        if ((v->p[i] & 0xC0) != 0x80) n++;
      return n;
    }
    case MTK_ASN1_BMPSTRING: return v->len / 2;
    case MTK_ASN1_UNIVERSALSTRING: return v->len / 4;
    default: return v->len;
  }
}

static const char *tag_name(mtk_tag t) {
  switch (t) {
    case MTK_ASN1_UTF8STRING: return "UTF8String";
    case MTK_ASN1_PRINTABLESTRING: return "PrintableString";
    case MTK_ASN1_IA5STRING: return "IA5String";
    case MTK_ASN1_BMPSTRING: return "BMPString";
    case MTK_ASN1_T61STRING: return "TeletexString";
    case MTK_ASN1_UNIVERSALSTRING: return "UniversalString";
    case MTK_ASN1_VISIBLESTRING: return "VisibleString";
    case MTK_ASN1_NUMERICSTRING: return "NumericString";
    default: return "non-string";
  }
}

static const char *attr_name(const mtk_attr *a) {
  return a->id != MTK_OID_UNKNOWN ? mtk_oid_short_name(a->id) : "attribute";
}

/* ---- per attribute ------------------------------------------------------------------ */

static void check_attr_value(lint_ctx *x, const mtk_attr *a, const char *path) {
  if (a->value.len == 0) {
    lint_emit(x, LC_e_subject_attr_empty, a->offset, path, "empty %s", attr_name(a));
    return;
  }
  size_t ub = upper_bound(a->id), n = char_count(a->tag, &a->value);
  if (ub != 0 && n > ub)
    lint_emit(x, LC_e_subject_attr_too_long, a->offset, path, "%s of %zu characters (at most %zu)",
              attr_name(a), n, ub);
}

/* X.520 / RFC 5280 A.1: X520countryName ::= PrintableString (SIZE (2)),
 * ISO 3166 alpha-2 codes (upper case). */
static void check_country(lint_ctx *x, const mtk_attr *a, const char *path) {
  if (a->id != MTK_OID_AT_C && a->id != MTK_OID_JURIS_C) return;
  bool ok = a->tag == MTK_ASN1_PRINTABLESTRING && a->value.len == 2 && a->value.p[0] >= 'A' &&
            a->value.p[0] <= 'Z' && a->value.p[1] >= 'A' && a->value.p[1] <= 'Z';
  if (ok) return;
  char q[32];
  lint_quote(a->value.p, a->value.len, q, sizeof(q));
  lint_emit(x, LC_e_subject_country_invalid, a->offset, path, "%s \"%s\" (%s)", attr_name(a), q,
            tag_name(a->tag));
}

/* RFC 5280 4.1.2.4: "CAs conforming to this profile MUST use either the
 * PrintableString or UTF8String encoding of DirectoryString". Teletex and
 * Universal strings are already the parser's quirks. */
static void check_string_type(lint_ctx *x, const mtk_attr *a, const char *path) {
  if (!is_directory_string_attr(a->id)) return;
  if (a->tag == MTK_ASN1_PRINTABLESTRING || a->tag == MTK_ASN1_UTF8STRING ||
      a->tag == MTK_ASN1_T61STRING || a->tag == MTK_ASN1_UNIVERSALSTRING)
    return;
  lint_emit(x, LC_w_directory_string_type, a->offset, path, "%s is a %s", attr_name(a),
            tag_name(a->tag));
}

static void check_attr_profile(lint_ctx *x, const mtk_attr *a, const char *path) {
  if (a->id == MTK_OID_AT_OU)
    lint_emit(x, LC_e_server_subject_ou, a->offset, path, "organizationalUnitName present");
  if (a->id == MTK_OID_EMAIL_ADDRESS)
    lint_emit(x, LC_n_subject_email_address, a->offset, path, "emailAddress in the subject");
}

/* ---- whole name ------------------------------------------------------------------------ */

#define SEEN_MAX 16

static void check_subject(lint_ctx *x) {
  mtk_name_iter it;
  mtk_attr a;
  mtk_oid_id seen[SEEN_MAX];
  size_t n_seen = 0;
  mtk_name_iter_init(&it, x->subject);
  while (mtk_name_next(&it, &a)) {
    char path[MTK_PATH_MAX];
    lint_pathf(path, sizeof(path), "%s[%u][%u]", x->subject_path, a.rdn, a.pos);
    check_attr_value(x, &a, path);
    check_country(x, &a, path);
    check_string_type(x, &a, path);
    check_attr_profile(x, &a, path);
    if (a.rdn_size > 1 && a.pos == 0) {
      char rpath[MTK_PATH_MAX];
      lint_pathf(rpath, sizeof(rpath), "%s[%u]", x->subject_path, a.rdn);
      lint_emit(x, LC_w_multi_valued_rdn, a.offset, rpath, "%u attributes in one RDN",
                a.rdn_size);
    }
    if (!is_single_attr(a.id)) continue;
    bool dup = false;
    for (size_t i = 0; i < n_seen; i++) dup = dup || seen[i] == a.id;
    if (dup)
      lint_emit(x, LC_n_subject_duplicate_attr, a.offset, path, "%s appears more than once",
                attr_name(&a));
    else if (n_seen < SEEN_MAX)
      seen[n_seen++] = a.id;
  }
}

static void check_issuer_strings(lint_ctx *x) {
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, &x->cert->issuer);
  while (mtk_name_next(&it, &a)) {
    char path[MTK_PATH_MAX];
    lint_pathf(path, sizeof(path), "tbsCertificate.issuer[%u][%u]", a.rdn, a.pos);
    check_string_type(x, &a, path);
  }
}

/* RFC 5280 4.2.1.6: "If the subject field contains an empty sequence, then
 * the issuing CA MUST include a subjectAltName extension that is marked as
 * critical." */
static void check_empty_subject(lint_ctx *x) {
  if (x->subject->n_rdns != 0) return;
  const mtk_ext *san = mtk_ext_get(x->exts, MTK_XK_SAN);
  if (san == NULL)
    lint_emit(x, LC_e_subject_empty_without_critical_san, x->subject->elem.off, x->subject_path,
              "empty subject and no subjectAltName");
  else if (!san->critical)
    lint_emit(x, LC_e_subject_empty_without_critical_san, x->subject->elem.off, x->subject_path,
              "empty subject and a non-critical subjectAltName");
}

void lint_names(lint_ctx *x) {
  check_subject(x);
  check_empty_subject(x);
  if (x->cert != NULL) check_issuer_strings(x);
}

/* x509_ext.c: GeneralName and the typed decoders of the known certificate
 * extensions (RFC 5280 4.2.1 and 4.2.2, RFC 6962 3.3, RFC 7633, RFC 6960
 * 4.2.2.2.1). See include/mtlskit/x509.h for the contract.
 *
 * mtk_ext_check runs the strict decoder of one known extension; every
 * structure is read through the mtk_cbs cursor (der.h), every child cursor
 * must be used up, and tolerated non-DER encodings are recorded as quirks.
 * The iterators re-read values with the same decoders (and a NULL mtk_diag):
 * on any input they stay in bounds and return false on malformed data,
 * leaving their cursor at the element that failed. Nothing allocates; every
 * view is valid while the input buffer lives.
 *
 * "SIZE (1..MAX)" in the ASN.1 below is enforced (an empty list is
 * MTK_ERR_X509_EXTENSION); rules about content ("at least one bit MUST be
 * set", "MUST NOT be an empty sequence", "SIZE (1..200)" of DisplayText,
 * lengths of key identifiers and IP addresses) are the linter's. */
#include "mtlskit/x509.h"

#include <string.h>

#define TRY(expr)                \
  do {                           \
    mtk_status s_ = (expr);      \
    if (s_ != MTK_OK) return s_; \
  } while (0)

/* ---- small helpers ---------------------------------------------------------- */

/* path_mark returns the current path length, so that a public entry point can
 * restore the path whatever happens inside. */
static size_t path_mark(const mtk_diag *d) { return d != NULL ? d->path_len : 0; }

/* whole_seq reads the one SEQUENCE that must make up all of |value| (an
 * extnValue), returning its contents and the element's offset. */
static mtk_status whole_seq(const mtk_cbs *value, mtk_cbs *body, size_t *elem_off,
                            const char *what, mtk_diag *d) {
  mtk_cbs copy = *value, elem;
  TRY(mtk_der_get_element(&copy, MTK_ASN1_SEQUENCE, &elem, body, d));
  TRY(mtk_der_expect_end(&copy, what, d));
  if (elem_off != NULL) *elem_off = elem.off;
  return MTK_OK;
}

/* nonempty enforces SIZE (1..MAX) on the contents |body| of a SEQUENCE OF. */
static mtk_status nonempty(const mtk_cbs *body, size_t elem_off, mtk_status code,
                           const char *what, const char *clause, mtk_diag *d) {
  if (body->len > 0) return MTK_OK;
  return mtk_diag_fail(d, code, elem_off, "empty %s (SIZE (1..MAX), %s)", what, clause);
}

/* opt_ctx reads an OPTIONAL [n] field that must be constructed (|cons|) or
 * primitive. A field with the right number but the wrong form is |code|. */
static mtk_status opt_ctx(mtk_cbs *c, unsigned n, bool cons, mtk_status code, mtk_cbs *elem,
                          mtk_cbs *body, bool *present, mtk_diag *d) {
  mtk_tag t;
  *present = false;
  if (c->len == 0 || !mtk_der_peek_tag(c, &t)) return MTK_OK;
  if ((t & ~MTK_TAG_CONSTRUCTED) != MTK_CTX(n)) return MTK_OK;
  if (((t & MTK_TAG_CONSTRUCTED) != 0) != cons)
    return mtk_diag_fail(d, code, c->off, "[%u] must be %s", n,
                         cons ? "constructed" : "primitive");
  TRY(mtk_der_get_element(c, t, elem, body, d));
  *present = true;
  return MTK_OK;
}

/* implicit_uint64 converts the contents of an IMPLICIT INTEGER (0..MAX). */
static mtk_status implicit_uint64(const mtk_cbs *body, uint64_t *out, mtk_diag *d) {
  TRY(mtk_der_check_integer(body, false, NULL, d));
  return mtk_der_int_to_u64(body, out, d);
}

/* implicit_named_bits decodes the contents of an IMPLICIT named-bit BIT
 * STRING (ReasonFlags as [1]) with the rules of mtk_der_get_named_bits, which
 * only reads the universal tag: X.690 8.6.2 (unused bits 0..7, none for an
 * empty string), 11.2.1 (unused bits zero), 11.2.2 (no trailing zero bits:
 * tolerated and recorded). */
static mtk_status implicit_named_bits(mtk_cbs body, size_t elem_off, uint32_t *bits,
                                      mtk_diag *d) {
  uint8_t u;
  if (!mtk_cbs_get_u8(&body, &u))
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off, "BIT STRING has no content octets");
  if (u > 7)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off - 1, "BIT STRING unused bits %u > 7",
                         u);
  if (body.len == 0 && u != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off - 1,
                         "empty BIT STRING with %u unused bits", u);
  if (u != 0 && (body.p[body.len - 1] & ((1u << u) - 1u)) != 0)
    return mtk_diag_fail(d, MTK_ERR_DER_BITSTRING, body.off + body.len - 1,
                         "BIT STRING unused bits are not zero (X.690 11.2.1)");
  uint32_t v = 0;
  for (size_t i = 0; i < body.len; i++) {
    if (i >= 4) {
      if (body.p[i] != 0)
        return mtk_diag_fail(d, MTK_ERR_DER_RANGE, body.off + i, "named bit beyond bit 31 is set");
      continue;
    }
    for (unsigned b = 0; b < 8; b++)
      if (body.p[i] & (0x80u >> b)) v |= 1u << (i * 8 + b);
  }
  if (body.len > 0 && (body.p[body.len - 1] & (1u << u)) == 0)
    mtk_diag_quirk(d, MTK_QUIRK_BITSTRING_TRAILING_ZERO, elem_off);
  *bits = v;
  return MTK_OK;
}

static bool is_string_tag(mtk_tag t) {
  switch (t) {
    case MTK_ASN1_PRINTABLESTRING:
    case MTK_ASN1_IA5STRING:
    case MTK_ASN1_VISIBLESTRING:
    case MTK_ASN1_NUMERICSTRING:
    case MTK_ASN1_UTF8STRING:
    case MTK_ASN1_BMPSTRING:
    case MTK_ASN1_UNIVERSALSTRING:
    case MTK_ASN1_T61STRING:
    case MTK_ASN1_VIDEOTEXSTRING:
    case MTK_ASN1_GRAPHICSTRING:
    case MTK_ASN1_GENERALSTRING:
      return true;
    default:
      return false;
  }
}

/* DirectoryString ::= CHOICE { teletexString, printableString,
 *   universalString, utf8String, bmpString } (RFC 5280 4.1.2.4) */
static bool is_directory_string_tag(mtk_tag t) {
  return t == MTK_ASN1_T61STRING || t == MTK_ASN1_PRINTABLESTRING ||
         t == MTK_ASN1_UNIVERSALSTRING || t == MTK_ASN1_UTF8STRING || t == MTK_ASN1_BMPSTRING;
}

/* DisplayText ::= CHOICE { ia5String IA5String, visibleString VisibleString,
 *   bmpString BMPString, utf8String UTF8String } (RFC 5280 4.2.1.4; the
 * SIZE (1..200) of each is a content rule, left to the linter). */
static bool is_display_text_tag(mtk_tag t) {
  return t == MTK_ASN1_IA5STRING || t == MTK_ASN1_VISIBLESTRING || t == MTK_ASN1_BMPSTRING ||
         t == MTK_ASN1_UTF8STRING;
}

/* DER order of SET OF elements (X.690 11.6): encodings compared as octet
 * strings, the shorter padded with zeros at the end. */
static int der_set_cmp(const mtk_cbs *a, const mtk_cbs *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int r = n ? memcmp(a->p, b->p, n) : 0;
  if (r != 0) return r;
  return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 * AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }
 * (RFC 5280 4.1.2.4); |set| is the SET contents, |set_off| its offset. */
static mtk_status check_rdn(mtk_cbs set, size_t set_off, mtk_diag *d) {
  TRY(nonempty(&set, set_off, MTK_ERR_X509_NAME, "RelativeDistinguishedName", "RFC 5280 4.1.2.4",
               d));
  mtk_cbs prev = {0};
  for (unsigned j = 0; set.len > 0; j++) {
    mtk_cbs atv_elem, atv, oid, val;
    mtk_tag vt;
    size_t m = mtk_diag_push(d, "[%u]", j);
    TRY(mtk_der_get_element(&set, MTK_ASN1_SEQUENCE, &atv_elem, &atv, d));
    TRY(mtk_der_get_oid(&atv, &oid, d));
    TRY(mtk_der_get_any(&atv, &vt, &val, NULL, d));
    TRY(mtk_der_expect_end(&atv, "AttributeTypeAndValue", d));
    if (is_string_tag(vt)) TRY(mtk_string_check(vt, &val, d));
    if (j > 0 && der_set_cmp(&prev, &atv_elem) > 0)
      mtk_diag_quirk(d, MTK_QUIRK_SET_NOT_SORTED, set_off);
    prev = atv_elem;
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

/* ---- GeneralName (RFC 5280 4.2.1.6) ------------------------------------------ */

/* Field names of the GeneralName choices, as in the ASN.1, for error paths. */
static const char *const gn_field_names[9] = {
    "otherName",    "rfc822Name",    "dNSName",   "x400Address",  "directoryName",
    "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"};

const char *mtk_gn_type_name(mtk_gn_type t) {
  switch (t) {
    case MTK_GN_OTHER: return "otherName";
    case MTK_GN_EMAIL: return "email";
    case MTK_GN_DNS: return "DNS";
    case MTK_GN_X400: return "X400Name";
    case MTK_GN_DIRNAME: return "dirName";
    case MTK_GN_EDIPARTY: return "EdiPartyName";
    case MTK_GN_URI: return "URI";
    case MTK_GN_IP: return "IP";
    case MTK_GN_RID: return "RID";
  }
  return "unknown";
}

/* One DirectoryString inside an EXPLICIT tag: |f| is the tag's contents. */
static mtk_status explicit_directory_string(mtk_cbs f, mtk_diag *d) {
  mtk_tag t;
  mtk_cbs body, elem;
  TRY(mtk_der_get_any(&f, &t, &body, &elem, d));
  if (!is_directory_string_tag(t))
    return mtk_diag_fail(d, MTK_ERR_X509_GENERALNAME, elem.off, "not a DirectoryString");
  TRY(mtk_string_check(t, &body, d));
  return mtk_der_expect_end(&f, "DirectoryString", d);
}

/* gn_choice decodes the contents |body| of GeneralName choice [n], whose tag
 * form has been checked.
 *
 *   GeneralName ::= CHOICE {
 *     otherName                 [0] OtherName,
 *     rfc822Name                [1] IA5String,
 *     dNSName                   [2] IA5String,
 *     x400Address               [3] ORAddress,
 *     directoryName             [4] Name,
 *     ediPartyName              [5] EDIPartyName,
 *     uniformResourceIdentifier [6] IA5String,
 *     iPAddress                 [7] OCTET STRING,
 *     registeredID              [8] OBJECT IDENTIFIER }
 *   OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER,
 *                            value [0] EXPLICIT ANY DEFINED BY type-id }
 *   EDIPartyName ::= SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL,
 *                               partyName    [1] DirectoryString }
 * The module is IMPLICIT; Name and DirectoryString are CHOICEs, so their
 * tags are explicit (constructed, one element inside). */
static mtk_status gn_choice(unsigned n, mtk_cbs body, mtk_gn *out, mtk_diag *d) {
  switch (n) {
    case 0: {
      mtk_cbs v, inner;
      mtk_tag t;
      TRY(mtk_der_get_oid(&body, &out->other_oid, d));
      out->other_id = mtk_oid_lookup(&out->other_oid);
      (void)mtk_diag_push(d, "value");
      TRY(mtk_der_get(&body, MTK_CTX_C(0), &v, d));
      TRY(mtk_der_get_any(&v, &t, &inner, &out->other_value, d));
      TRY(mtk_der_expect_end(&v, "otherName value", d));
      /* The value's type is defined by type-id (SRVName IA5String, UPN and
       * SmtpUTF8Mailbox UTF8String ...): whether it matches is the
       * linter's; a string's alphabet is checked here, as a quirk. */
      if (is_string_tag(t)) TRY(mtk_string_check(t, &inner, d));
      out->value = inner;
      return mtk_der_expect_end(&body, "OtherName", d);
    }
    case 1:
    case 2:
    case 6:
      /* IA5String: octets > 0x7F are kept and recorded (MTK_QUIRK_IA5_CHARSET).
       * An empty name is decoded; the linter reports it. */
      TRY(mtk_string_check(MTK_ASN1_IA5STRING, &body, d));
      out->value = body;
      return MTK_OK;
    case 3:
      /* ORAddress (RFC 5280 A.1): kept as opaque contents. */
      out->value = body;
      return MTK_OK;
    case 4: {
      mtk_cbs nm = body;
      TRY(mtk_name_parse(&nm, &out->name, d));
      TRY(mtk_der_expect_end(&nm, "directoryName", d));
      out->value = out->name.elem;
      return MTK_OK;
    }
    case 5: {
      mtk_cbs f;
      bool present;
      size_t m = mtk_diag_push(d, "nameAssigner");
      TRY(opt_ctx(&body, 0, true, MTK_ERR_X509_GENERALNAME, NULL, &f, &present, d));
      if (present) TRY(explicit_directory_string(f, d));
      mtk_diag_pop(d, m);
      m = mtk_diag_push(d, "partyName");
      TRY(mtk_der_get(&body, MTK_CTX_C(1), &f, d));
      TRY(explicit_directory_string(f, d));
      mtk_diag_pop(d, m);
      TRY(mtk_der_expect_end(&body, "EDIPartyName", d));
      out->value = body;
      return MTK_OK;
    }
    case 7:
      /* Any length is decoded: 4 or 16 octets (8 or 32 in name
       * constraints) are the only meaningful ones; the linter and the
       * matcher judge the rest. */
      out->value = body;
      return MTK_OK;
    case 8:
      TRY(mtk_der_check_oid(&body, d));
      out->value = body;
      return MTK_OK;
    default:
      return mtk_diag_fail(d, MTK_ERR_INTERNAL, body.off, "GeneralName choice %u", n);
  }
}

static mtk_status gn_parse(mtk_cbs *c, mtk_gn *out, mtk_diag *d) {
  mtk_cbs copy = *c, elem, body;
  mtk_tag tag;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get_any(&copy, &tag, &body, &elem, d));
  unsigned n = tag & MTK_TAG_NUMBER_MASK;
  if ((tag & MTK_TAG_CLASS_MASK) != MTK_TAG_CONTEXT || n > 8)
    return mtk_diag_fail(d, MTK_ERR_X509_GENERALNAME, elem.off,
                         "not a GeneralName: the choices are [0] to [8]");
  bool cons = (tag & MTK_TAG_CONSTRUCTED) != 0;
  bool want_cons = n == 0 || n == 3 || n == 4 || n == 5;
  (void)mtk_diag_push(d, "%s", gn_field_names[n]);
  if (cons != want_cons)
    return mtk_diag_fail(d, MTK_ERR_X509_GENERALNAME, elem.off, "[%u] %s must be %s", n,
                         gn_field_names[n], want_cons ? "constructed" : "primitive");
  TRY(gn_choice(n, body, out, d));
  out->type = (mtk_gn_type)n;
  out->elem = elem;
  out->offset = elem.off;
  *c = copy;
  return MTK_OK;
}

mtk_status mtk_gn_parse(mtk_cbs *c, bool constraint, mtk_gn *out, mtk_diag *d) {
  /* |constraint| changes nothing in the decoding: an iPAddress of any length
   * is kept either way. */
  (void)constraint;
  size_t mark = path_mark(d);
  mtk_status s = gn_parse(c, out, d);
  mtk_diag_pop(d, mark);
  return s;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (RFC 5280 4.2.1.6);
 * |body| is the contents, |elem_off| the offset of the element. */
static mtk_status check_general_names(const mtk_cbs *body, size_t elem_off, mtk_diag *d) {
  TRY(nonempty(body, elem_off, MTK_ERR_X509_EXTENSION, "GeneralNames", "RFC 5280 4.2.1.6", d));
  mtk_cbs rest = *body;
  for (unsigned i = 0; rest.len > 0; i++) {
    mtk_gn gn;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(gn_parse(&rest, &gn, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_gn_iter_init_ext(mtk_gn_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return whole_seq(ext_value, &it->rest, NULL, "GeneralNames", NULL) == MTK_OK;
}

void mtk_gn_iter_init(mtk_gn_iter *it, const mtk_cbs *seq_body) { it->rest = *seq_body; }

bool mtk_gn_next(mtk_gn_iter *it, mtk_gn *out) {
  return it->rest.len > 0 && gn_parse(&it->rest, out, NULL) == MTK_OK;
}

/* SubjectAltName ::= GeneralNames (4.2.1.6); IssuerAltName ::= GeneralNames
 * (4.2.1.7). */
static mtk_status check_alt_name(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs body;
  size_t off;
  TRY(whole_seq(value, &body, &off, "GeneralNames", d));
  return check_general_names(&body, off, d);
}

/* ---- BasicConstraints (RFC 5280 4.2.1.9) --------------------------------------- */

/* BasicConstraints ::= SEQUENCE {
 *   cA                BOOLEAN DEFAULT FALSE,
 *   pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static mtk_status basic_constraints(const mtk_cbs *value, mtk_basic_constraints *out,
                                    mtk_diag *d) {
  mtk_cbs seq;
  mtk_tag t;
  memset(out, 0, sizeof(*out));
  TRY(whole_seq(value, &seq, NULL, "BasicConstraints", d));
  if (seq.len > 0 && mtk_der_peek_tag(&seq, &t) && t == MTK_ASN1_BOOLEAN) {
    size_t at = seq.off;
    size_t m = mtk_diag_push(d, "cA");
    TRY(mtk_der_get_bool(&seq, &out->ca, d));
    /* X.690 11.5: a value equal to the DEFAULT is not encoded. */
    if (!out->ca) mtk_diag_quirk(d, MTK_QUIRK_DEFAULT_ENCODED, at);
    mtk_diag_pop(d, m);
  }
  if (seq.len > 0 && mtk_der_peek_tag(&seq, &t) && t == MTK_ASN1_INTEGER) {
    size_t m = mtk_diag_push(d, "pathLenConstraint");
    TRY(mtk_der_get_uint64(&seq, &out->pathlen, d));
    out->has_pathlen = true;
    mtk_diag_pop(d, m);
  }
  return mtk_der_expect_end(&seq, "BasicConstraints", d);
}

mtk_status mtk_ext_basic_constraints(const mtk_cbs *value, mtk_basic_constraints *out,
                                     mtk_diag *d) {
  size_t mark = path_mark(d);
  mtk_status s = basic_constraints(value, out, d);
  mtk_diag_pop(d, mark);
  return s;
}

/* ---- KeyUsage (RFC 5280 4.2.1.3) ------------------------------------------------- */

const char *mtk_ku_bit_name(unsigned bit) {
  static const char *const names[9] = {
      "digitalSignature", "nonRepudiation", "keyEncipherment",
      "dataEncipherment", "keyAgreement",   "keyCertSign",
      "cRLSign",          "encipherOnly",   "decipherOnly"};
  return bit < 9 ? names[bit] : NULL;
}

/* KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1),
 *   keyEncipherment (2), dataEncipherment (3), keyAgreement (4),
 *   keyCertSign (5), cRLSign (6), encipherOnly (7), decipherOnly (8) }
 * Unnamed bits (9..31) are decoded into |*bits| and left to the linter, as
 * is "at least one bit MUST be set". */
mtk_status mtk_ext_key_usage(const mtk_cbs *value, uint32_t *bits, mtk_diag *d) {
  mtk_cbs copy = *value;
  TRY(mtk_der_get_named_bits(&copy, bits, d));
  return mtk_der_expect_end(&copy, "KeyUsage", d);
}

/* netscape-cert-type ::= BIT STRING { sslClient (0), sslServer (1), smime (2),
 *   objectSigning (3), reserved (4), sslCA (5), smimeCA (6),
 *   objectSigningCA (7) } (Netscape Certificate Extensions). */
static mtk_status check_ns_cert_type(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs copy = *value;
  uint32_t bits;
  TRY(mtk_der_get_named_bits(&copy, &bits, d));
  return mtk_der_expect_end(&copy, "NetscapeCertType", d);
}

/* ---- ExtendedKeyUsage (RFC 5280 4.2.1.12) ------------------------------------------ */

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
 * KeyPurposeId ::= OBJECT IDENTIFIER */
static mtk_status check_eku(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq;
  size_t off;
  TRY(whole_seq(value, &seq, &off, "ExtKeyUsageSyntax", d));
  TRY(nonempty(&seq, off, MTK_ERR_X509_EXTENSION, "ExtKeyUsageSyntax", "RFC 5280 4.2.1.12", d));
  for (unsigned i = 0; seq.len > 0; i++) {
    mtk_cbs oid;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(mtk_der_get_oid(&seq, &oid, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_oid_iter_init_ext(mtk_oid_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return whole_seq(ext_value, &it->rest, NULL, "SEQUENCE OF OBJECT IDENTIFIER", NULL) == MTK_OK;
}

bool mtk_oid_next(mtk_oid_iter *it, mtk_cbs *oid, mtk_oid_id *id) {
  mtk_cbs o;
  if (it->rest.len == 0 || mtk_der_get_oid(&it->rest, &o, NULL) != MTK_OK) return false;
  if (oid != NULL) *oid = o;
  if (id != NULL) *id = mtk_oid_lookup(&o);
  return true;
}

bool mtk_ext_has_eku(const mtk_cbs *ext_value, mtk_oid_id id) {
  mtk_oid_iter it;
  mtk_cbs oid;
  if (!mtk_oid_iter_init_ext(&it, ext_value)) return false;
  while (mtk_oid_next(&it, &oid, NULL))
    if (mtk_oid_is(&oid, id)) return true;
  return false;
}

/* ---- key identifiers (RFC 5280 4.2.1.1, 4.2.1.2) ---------------------------------- */

/* SubjectKeyIdentifier ::= KeyIdentifier; KeyIdentifier ::= OCTET STRING */
mtk_status mtk_ext_ski(const mtk_cbs *value, mtk_cbs *keyid, mtk_diag *d) {
  mtk_cbs copy = *value;
  TRY(mtk_der_get(&copy, MTK_ASN1_OCTETSTRING, keyid, d));
  return mtk_der_expect_end(&copy, "SubjectKeyIdentifier", d);
}

/* AuthorityKeyIdentifier ::= SEQUENCE {
 *   keyIdentifier             [0] KeyIdentifier           OPTIONAL,
 *   authorityCertIssuer       [1] GeneralNames            OPTIONAL,
 *   authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
 * "MUST both be present or both be absent" (issuer and serial) is the
 * linter's. */
static mtk_status aki(const mtk_cbs *value, mtk_aki *out, mtk_diag *d) {
  mtk_cbs seq, elem;
  memset(out, 0, sizeof(*out));
  TRY(whole_seq(value, &seq, NULL, "AuthorityKeyIdentifier", d));
  size_t m = mtk_diag_push(d, "keyIdentifier");
  TRY(opt_ctx(&seq, 0, false, MTK_ERR_X509_EXTENSION, NULL, &out->keyid, &out->has_keyid, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "authorityCertIssuer");
  TRY(opt_ctx(&seq, 1, true, MTK_ERR_X509_EXTENSION, &elem, &out->issuer, &out->has_issuer, d));
  if (out->has_issuer) TRY(check_general_names(&out->issuer, elem.off, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "authorityCertSerialNumber");
  TRY(opt_ctx(&seq, 2, false, MTK_ERR_X509_EXTENSION, NULL, &out->serial, &out->has_serial, d));
  if (out->has_serial) TRY(mtk_der_check_integer(&out->serial, false, NULL, d));
  mtk_diag_pop(d, m);
  return mtk_der_expect_end(&seq, "AuthorityKeyIdentifier", d);
}

mtk_status mtk_ext_aki(const mtk_cbs *value, mtk_aki *out, mtk_diag *d) {
  size_t mark = path_mark(d);
  mtk_status s = aki(value, out, d);
  mtk_diag_pop(d, mark);
  return s;
}

/* ---- CRLDistributionPoints / FreshestCRL (RFC 5280 4.2.1.13, 4.2.1.15) -------- */

/* DistributionPoint ::= SEQUENCE {
 *   distributionPoint [0] DistributionPointName OPTIONAL,
 *   reasons           [1] ReasonFlags OPTIONAL,
 *   cRLIssuer         [2] GeneralNames OPTIONAL }
 * DistributionPointName ::= CHOICE {
 *   fullName                [0] GeneralNames,
 *   nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
 * ReasonFlags ::= BIT STRING { unused (0), keyCompromise (1), cACompromise (2),
 *   affiliationChanged (3), superseded (4), cessationOfOperation (5),
 *   certificateHold (6), privilegeWithdrawn (7), aACompromise (8) }
 * distributionPoint is explicitly tagged (a CHOICE). "MUST NOT consist of
 * only the reasons field" is the linter's. */
static mtk_status parse_dp(mtk_cbs *c, mtk_dp *out, mtk_diag *d) {
  mtk_cbs copy = *c, dp, f, elem;
  bool present;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &dp, d));

  size_t m = mtk_diag_push(d, "distributionPoint");
  TRY(opt_ctx(&dp, 0, true, MTK_ERR_X509_EXTENSION, &elem, &f, &present, d));
  if (present) {
    mtk_cbs body, inner;
    mtk_tag t;
    if (f.len == 0)
      return mtk_diag_fail(d, MTK_ERR_X509_EXTENSION, elem.off, "empty DistributionPointName");
    TRY(mtk_der_get_any(&f, &t, &body, &inner, d));
    if (t == MTK_CTX_C(0)) {
      size_t m2 = mtk_diag_push(d, "fullName");
      TRY(check_general_names(&body, inner.off, d));
      out->has_full_name = true;
      out->full_name = body;
      mtk_diag_pop(d, m2);
    } else if (t == MTK_CTX_C(1)) {
      size_t m2 = mtk_diag_push(d, "nameRelativeToCRLIssuer");
      TRY(check_rdn(body, inner.off, d));
      out->has_relative_name = true;
      out->relative_name = body;
      mtk_diag_pop(d, m2);
    } else {
      return mtk_diag_fail(d, MTK_ERR_X509_EXTENSION, inner.off,
                           "DistributionPointName must be [0] fullName or "
                           "[1] nameRelativeToCRLIssuer (constructed)");
    }
    TRY(mtk_der_expect_end(&f, "DistributionPointName", d));
  }
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "reasons");
  TRY(opt_ctx(&dp, 1, false, MTK_ERR_X509_EXTENSION, &elem, &f, &present, d));
  if (present) {
    TRY(implicit_named_bits(f, elem.off, &out->reasons, d));
    out->has_reasons = true;
  }
  mtk_diag_pop(d, m);

  m = mtk_diag_push(d, "cRLIssuer");
  TRY(opt_ctx(&dp, 2, true, MTK_ERR_X509_EXTENSION, &elem, &f, &present, d));
  if (present) {
    TRY(check_general_names(&f, elem.off, d));
    out->has_crl_issuer = true;
    out->crl_issuer = f;
  }
  mtk_diag_pop(d, m);

  TRY(mtk_der_expect_end(&dp, "DistributionPoint", d));
  *c = copy;
  return MTK_OK;
}

/* CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
 * FreshestCRL ::= CRLDistributionPoints */
static mtk_status check_crldp(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq;
  size_t off;
  TRY(whole_seq(value, &seq, &off, "CRLDistributionPoints", d));
  TRY(nonempty(&seq, off, MTK_ERR_X509_EXTENSION, "CRLDistributionPoints", "RFC 5280 4.2.1.13",
               d));
  for (unsigned i = 0; seq.len > 0; i++) {
    mtk_dp dp;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_dp(&seq, &dp, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_dp_iter_init_ext(mtk_dp_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return whole_seq(ext_value, &it->rest, NULL, "CRLDistributionPoints", NULL) == MTK_OK;
}

bool mtk_dp_next(mtk_dp_iter *it, mtk_dp *out) {
  return it->rest.len > 0 && parse_dp(&it->rest, out, NULL) == MTK_OK;
}

/* ---- AuthorityInfoAccess / SubjectInfoAccess (RFC 5280 4.2.2.1, 4.2.2.2) ------ */

/* AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER,
 *                                  accessLocation GeneralName } */
static mtk_status parse_ad(mtk_cbs *c, mtk_access_desc *out, mtk_diag *d) {
  mtk_cbs copy = *c, ad;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &ad, d));
  size_t m = mtk_diag_push(d, "accessMethod");
  TRY(mtk_der_get_oid(&ad, &out->method, d));
  out->method_id = mtk_oid_lookup(&out->method);
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "accessLocation");
  TRY(gn_parse(&ad, &out->location, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&ad, "AccessDescription", d));
  *c = copy;
  return MTK_OK;
}

/* AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
 * SubjectInfoAccessSyntax   ::= SEQUENCE SIZE (1..MAX) OF AccessDescription */
static mtk_status check_info_access(const mtk_cbs *value, const char *clause, mtk_diag *d) {
  mtk_cbs seq;
  size_t off;
  TRY(whole_seq(value, &seq, &off, "InfoAccessSyntax", d));
  TRY(nonempty(&seq, off, MTK_ERR_X509_EXTENSION, "InfoAccessSyntax", clause, d));
  for (unsigned i = 0; seq.len > 0; i++) {
    mtk_access_desc ad;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_ad(&seq, &ad, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_ad_iter_init_ext(mtk_ad_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return whole_seq(ext_value, &it->rest, NULL, "InfoAccessSyntax", NULL) == MTK_OK;
}

bool mtk_ad_next(mtk_ad_iter *it, mtk_access_desc *out) {
  return it->rest.len > 0 && parse_ad(&it->rest, out, NULL) == MTK_OK;
}

/* ---- CertificatePolicies (RFC 5280 4.2.1.4) ------------------------------------- */

/* A DisplayText element (see is_display_text_tag). */
static mtk_status get_display_text(mtk_cbs *c, mtk_cbs *out, mtk_tag *tag, mtk_diag *d) {
  mtk_cbs copy = *c, body, elem;
  mtk_tag t;
  TRY(mtk_der_get_any(&copy, &t, &body, &elem, d));
  if (!is_display_text_tag(t))
    return mtk_diag_fail(d, MTK_ERR_X509_EXTENSION, elem.off,
                         "DisplayText must be an IA5String, VisibleString, BMPString or "
                         "UTF8String");
  TRY(mtk_string_check(t, &body, d));
  *out = body;
  *tag = t;
  *c = copy;
  return MTK_OK;
}

/* UserNotice ::= SEQUENCE { noticeRef NoticeReference OPTIONAL,
 *                           explicitText DisplayText OPTIONAL }
 * NoticeReference ::= SEQUENCE { organization DisplayText,
 *                                noticeNumbers SEQUENCE OF INTEGER }
 * |un| is the UserNotice contents. */
static mtk_status parse_user_notice(mtk_cbs un, mtk_policy_qualifier *out, mtk_diag *d) {
  mtk_tag t;
  if (un.len > 0 && mtk_der_peek_tag(&un, &t) && t == MTK_ASN1_SEQUENCE) {
    mtk_cbs nr, nums;
    size_t m = mtk_diag_push(d, "noticeRef");
    TRY(mtk_der_get(&un, MTK_ASN1_SEQUENCE, &nr, d));
    size_t m2 = mtk_diag_push(d, "organization");
    TRY(get_display_text(&nr, &out->notice_org, &out->notice_org_tag, d));
    mtk_diag_pop(d, m2);
    m2 = mtk_diag_push(d, "noticeNumbers");
    TRY(mtk_der_get(&nr, MTK_ASN1_SEQUENCE, &nums, d));
    out->notice_numbers = nums;
    for (unsigned i = 0; nums.len > 0; i++) {
      mtk_cbs num;
      size_t m3 = mtk_diag_push(d, "[%u]", i);
      TRY(mtk_der_get_integer(&nums, &num, d));
      mtk_diag_pop(d, m3);
    }
    mtk_diag_pop(d, m2);
    TRY(mtk_der_expect_end(&nr, "NoticeReference", d));
    out->has_notice_ref = true;
    mtk_diag_pop(d, m);
  }
  if (un.len > 0) {
    size_t m = mtk_diag_push(d, "explicitText");
    TRY(get_display_text(&un, &out->explicit_text, &out->explicit_text_tag, d));
    out->has_explicit_text = true;
    mtk_diag_pop(d, m);
  }
  return mtk_der_expect_end(&un, "UserNotice", d);
}

/* PolicyQualifierInfo ::= SEQUENCE {
 *   policyQualifierId PolicyQualifierId,
 *   qualifier         ANY DEFINED BY policyQualifierId }
 * Qualifier ::= CHOICE { cPSuri CPSuri, userNotice UserNotice }
 * CPSuri ::= IA5String
 * Qualifiers of other ids are kept (|raw|) and left to the linter (4.2.1.4
 * restricts them to CPS and user notice). */
static mtk_status parse_qualifier(mtk_cbs *c, mtk_policy_qualifier *out, mtk_diag *d) {
  mtk_cbs copy = *c, pqi, body;
  mtk_tag t;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &pqi, d));
  size_t m = mtk_diag_push(d, "policyQualifierId");
  TRY(mtk_der_get_oid(&pqi, &out->oid, d));
  mtk_diag_pop(d, m);
  out->id = mtk_oid_lookup(&out->oid);
  if (out->id != MTK_OID_QT_CPS && out->id != MTK_OID_QT_UNOTICE) out->id = MTK_OID_UNKNOWN;
  m = mtk_diag_push(d, "qualifier");
  TRY(mtk_der_get_any(&pqi, &t, &body, &out->raw, d));
  if (out->id == MTK_OID_QT_CPS) {
    if (t != MTK_ASN1_IA5STRING)
      return mtk_diag_fail(d, MTK_ERR_X509_EXTENSION, out->raw.off, "CPSuri must be an IA5String");
    TRY(mtk_string_check(MTK_ASN1_IA5STRING, &body, d));
    out->cps_uri = body;
  } else if (out->id == MTK_OID_QT_UNOTICE) {
    if (t != MTK_ASN1_SEQUENCE)
      return mtk_diag_fail(d, MTK_ERR_X509_EXTENSION, out->raw.off,
                           "UserNotice must be a SEQUENCE");
    TRY(parse_user_notice(body, out, d));
  }
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&pqi, "PolicyQualifierInfo", d));
  *c = copy;
  return MTK_OK;
}

/* PolicyInformation ::= SEQUENCE {
 *   policyIdentifier CertPolicyId,
 *   policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
 * CertPolicyId ::= OBJECT IDENTIFIER */
static mtk_status parse_policy(mtk_cbs *c, mtk_policy *out, mtk_diag *d) {
  mtk_cbs copy = *c, pi;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &pi, d));
  size_t m = mtk_diag_push(d, "policyIdentifier");
  TRY(mtk_der_get_oid(&pi, &out->oid, d));
  out->id = mtk_oid_lookup(&out->oid);
  mtk_diag_pop(d, m);
  if (pi.len > 0) {
    mtk_cbs elem, qs;
    m = mtk_diag_push(d, "policyQualifiers");
    TRY(mtk_der_get_element(&pi, MTK_ASN1_SEQUENCE, &elem, &qs, d));
    TRY(nonempty(&qs, elem.off, MTK_ERR_X509_EXTENSION, "policyQualifiers", "RFC 5280 4.2.1.4",
                 d));
    out->has_qualifiers = true;
    out->qualifiers = qs;
    for (unsigned j = 0; qs.len > 0; j++) {
      mtk_policy_qualifier q;
      size_t m2 = mtk_diag_push(d, "[%u]", j);
      TRY(parse_qualifier(&qs, &q, d));
      mtk_diag_pop(d, m2);
    }
    mtk_diag_pop(d, m);
  }
  TRY(mtk_der_expect_end(&pi, "PolicyInformation", d));
  *c = copy;
  return MTK_OK;
}

/* certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation
 * (a repeated policy OID is the linter's). */
static mtk_status check_policies(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq;
  size_t off;
  TRY(whole_seq(value, &seq, &off, "certificatePolicies", d));
  TRY(nonempty(&seq, off, MTK_ERR_X509_EXTENSION, "certificatePolicies", "RFC 5280 4.2.1.4", d));
  for (unsigned i = 0; seq.len > 0; i++) {
    mtk_policy p;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_policy(&seq, &p, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_policy_iter_init_ext(mtk_policy_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return whole_seq(ext_value, &it->rest, NULL, "certificatePolicies", NULL) == MTK_OK;
}

bool mtk_policy_next(mtk_policy_iter *it, mtk_policy *out) {
  return it->rest.len > 0 && parse_policy(&it->rest, out, NULL) == MTK_OK;
}

bool mtk_policy_qualifier_next(mtk_cbs *rest, mtk_policy_qualifier *out) {
  return rest->len > 0 && parse_qualifier(rest, out, NULL) == MTK_OK;
}

/* ---- PolicyMappings (RFC 5280 4.2.1.5) --------------------------------------- */

/* SEQUENCE { issuerDomainPolicy CertPolicyId, subjectDomainPolicy CertPolicyId } */
static mtk_status parse_pm(mtk_cbs *c, mtk_cbs *issuer_policy, mtk_cbs *subject_policy,
                           mtk_diag *d) {
  mtk_cbs copy = *c, pm;
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &pm, d));
  size_t m = mtk_diag_push(d, "issuerDomainPolicy");
  TRY(mtk_der_get_oid(&pm, issuer_policy, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "subjectDomainPolicy");
  TRY(mtk_der_get_oid(&pm, subject_policy, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&pm, "PolicyMapping", d));
  *c = copy;
  return MTK_OK;
}

/* PolicyMappings ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {...} (mapping to or
 * from anyPolicy is the linter's). */
static mtk_status check_policy_mappings(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq;
  size_t off;
  TRY(whole_seq(value, &seq, &off, "PolicyMappings", d));
  TRY(nonempty(&seq, off, MTK_ERR_X509_EXTENSION, "PolicyMappings", "RFC 5280 4.2.1.5", d));
  for (unsigned i = 0; seq.len > 0; i++) {
    mtk_cbs a, b;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_pm(&seq, &a, &b, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_pm_iter_init_ext(mtk_cbs *rest, const mtk_cbs *ext_value) {
  *rest = (mtk_cbs){0};
  return whole_seq(ext_value, rest, NULL, "PolicyMappings", NULL) == MTK_OK;
}

bool mtk_pm_next(mtk_cbs *rest, mtk_cbs *issuer_policy, mtk_cbs *subject_policy) {
  return rest->len > 0 && parse_pm(rest, issuer_policy, subject_policy, NULL) == MTK_OK;
}

/* ---- PolicyConstraints, InhibitAnyPolicy (RFC 5280 4.2.1.11, 4.2.1.14) -------- */

/* PolicyConstraints ::= SEQUENCE {
 *   requireExplicitPolicy [0] SkipCerts OPTIONAL,
 *   inhibitPolicyMapping  [1] SkipCerts OPTIONAL }
 * SkipCerts ::= INTEGER (0..MAX)
 * ("MUST NOT issue ... an empty sequence" is the linter's.) */
static mtk_status policy_constraints(const mtk_cbs *value, mtk_policy_constraints *out,
                                     mtk_diag *d) {
  mtk_cbs seq, f;
  memset(out, 0, sizeof(*out));
  TRY(whole_seq(value, &seq, NULL, "PolicyConstraints", d));
  size_t m = mtk_diag_push(d, "requireExplicitPolicy");
  TRY(opt_ctx(&seq, 0, false, MTK_ERR_X509_EXTENSION, NULL, &f, &out->has_require, d));
  if (out->has_require) TRY(implicit_uint64(&f, &out->require_explicit, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "inhibitPolicyMapping");
  TRY(opt_ctx(&seq, 1, false, MTK_ERR_X509_EXTENSION, NULL, &f, &out->has_inhibit, d));
  if (out->has_inhibit) TRY(implicit_uint64(&f, &out->inhibit_mapping, d));
  mtk_diag_pop(d, m);
  return mtk_der_expect_end(&seq, "PolicyConstraints", d);
}

mtk_status mtk_ext_policy_constraints(const mtk_cbs *value, mtk_policy_constraints *out,
                                      mtk_diag *d) {
  size_t mark = path_mark(d);
  mtk_status s = policy_constraints(value, out, d);
  mtk_diag_pop(d, mark);
  return s;
}

/* InhibitAnyPolicy ::= SkipCerts; SkipCerts ::= INTEGER (0..MAX) */
mtk_status mtk_ext_inhibit_any(const mtk_cbs *value, uint64_t *skip, mtk_diag *d) {
  mtk_cbs copy = *value;
  TRY(mtk_der_get_uint64(&copy, skip, d));
  return mtk_der_expect_end(&copy, "InhibitAnyPolicy", d);
}

/* ---- NameConstraints (RFC 5280 4.2.1.10) ---------------------------------------- */

/* GeneralSubtree ::= SEQUENCE {
 *   base    GeneralName,
 *   minimum [0] BaseDistance DEFAULT 0,
 *   maximum [1] BaseDistance OPTIONAL }
 * BaseDistance ::= INTEGER (0..MAX)
 * An explicit minimum 0 is the DEFAULT encoded (a quirk); any other minimum,
 * and any maximum, "MUST" not be used: decoded here, reported by the linter. */
static mtk_status parse_subtree(mtk_cbs *c, mtk_subtree *out, mtk_diag *d) {
  mtk_cbs copy = *c, gs, elem, f;
  bool present;
  memset(out, 0, sizeof(*out));
  TRY(mtk_der_get(&copy, MTK_ASN1_SEQUENCE, &gs, d));
  size_t m = mtk_diag_push(d, "base");
  TRY(gn_parse(&gs, &out->base, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "minimum");
  TRY(opt_ctx(&gs, 0, false, MTK_ERR_X509_EXTENSION, &elem, &f, &present, d));
  if (present) {
    TRY(implicit_uint64(&f, &out->minimum, d));
    /* X.690 11.5: a value equal to the DEFAULT is not encoded. */
    if (out->minimum == 0) mtk_diag_quirk(d, MTK_QUIRK_DEFAULT_ENCODED, elem.off);
  }
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "maximum");
  TRY(opt_ctx(&gs, 1, false, MTK_ERR_X509_EXTENSION, NULL, &f, &out->has_maximum, d));
  if (out->has_maximum) TRY(implicit_uint64(&f, &out->maximum, d));
  mtk_diag_pop(d, m);
  TRY(mtk_der_expect_end(&gs, "GeneralSubtree", d));
  *c = copy;
  return MTK_OK;
}

/* GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree */
static mtk_status check_subtrees(const mtk_cbs *body, size_t elem_off, mtk_diag *d) {
  TRY(nonempty(body, elem_off, MTK_ERR_X509_EXTENSION, "GeneralSubtrees", "RFC 5280 4.2.1.10", d));
  mtk_cbs rest = *body;
  for (unsigned i = 0; rest.len > 0; i++) {
    mtk_subtree st;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_subtree(&rest, &st, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

/* NameConstraints ::= SEQUENCE {
 *   permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *   excludedSubtrees  [1] GeneralSubtrees OPTIONAL }
 * ("MUST NOT issue ... an empty sequence" is the linter's.) */
static mtk_status name_constraints(const mtk_cbs *value, mtk_name_constraints *out,
                                   mtk_diag *d) {
  mtk_cbs seq, elem;
  memset(out, 0, sizeof(*out));
  TRY(whole_seq(value, &seq, NULL, "NameConstraints", d));
  size_t m = mtk_diag_push(d, "permittedSubtrees");
  TRY(opt_ctx(&seq, 0, true, MTK_ERR_X509_EXTENSION, &elem, &out->permitted, &out->has_permitted,
              d));
  if (out->has_permitted) TRY(check_subtrees(&out->permitted, elem.off, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "excludedSubtrees");
  TRY(opt_ctx(&seq, 1, true, MTK_ERR_X509_EXTENSION, &elem, &out->excluded, &out->has_excluded,
              d));
  if (out->has_excluded) TRY(check_subtrees(&out->excluded, elem.off, d));
  mtk_diag_pop(d, m);
  return mtk_der_expect_end(&seq, "NameConstraints", d);
}

mtk_status mtk_ext_name_constraints(const mtk_cbs *value, mtk_name_constraints *out,
                                    mtk_diag *d) {
  size_t mark = path_mark(d);
  mtk_status s = name_constraints(value, out, d);
  mtk_diag_pop(d, mark);
  return s;
}

bool mtk_subtree_next(mtk_cbs *rest, mtk_subtree *out) {
  return rest->len > 0 && parse_subtree(rest, out, NULL) == MTK_OK;
}

/* ---- SignedCertificateTimestampList (RFC 6962 3.3) ---------------------------- */

/* The extnValue is an OCTET STRING whose contents are the TLS encoding of
 *   opaque SerializedSCT<1..2^16-1>;
 *   struct { SerializedSCT sct_list <1..2^16-1>; } SignedCertificateTimestampList;
 * |*list| gets the contents of sct_list. */
static mtk_status sct_list(const mtk_cbs *value, mtk_cbs *list, mtk_diag *d) {
  mtk_cbs copy = *value, os;
  TRY(mtk_der_get(&copy, MTK_ASN1_OCTETSTRING, &os, d));
  TRY(mtk_der_expect_end(&copy, "SignedCertificateTimestampList", d));
  size_t at = os.off;
  if (!mtk_cbs_get_u16_prefixed(&os, list))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, at,
                         "SCT list length exceeds its OCTET STRING (%zu octets)", os.len);
  if (os.len != 0)
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, os.off, "%zu octets after the SCT list", os.len);
  if (list->len == 0)
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, at, "empty SCT list (sct_list<1..2^16-1>)");
  return MTK_OK;
}

/* struct {
 *   Version sct_version;                   -- 1 octet, v1(0)
 *   LogID id;                              -- 32 octets
 *   uint64 timestamp;
 *   CtExtensions extensions;               -- opaque<0..2^16-1>
 *   digitally-signed struct { ... };       -- hash(1) sig(1) opaque<0..2^16-1>
 * } SignedCertificateTimestamp;            (RFC 6962 3.2, RFC 5246 4.7)
 * Each SCT is read as v1; its version value is the linter's. */
static mtk_status parse_sct(mtk_cbs *c, mtk_sct *out, mtk_diag *d) {
  mtk_cbs copy = *c, s;
  size_t at = c->off;
  memset(out, 0, sizeof(*out));
  if (!mtk_cbs_get_u16_prefixed(&copy, &s))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, at, "SerializedSCT length exceeds the list");
  if (s.len == 0)
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, at, "empty SerializedSCT (<1..2^16-1>)");
  out->offset = at;
  if (!mtk_cbs_get_u8(&s, &out->version))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: no version");
  if (!mtk_cbs_get_bytes(&s, &out->log_id, 32))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: LogID needs 32 octets");
  if (!mtk_cbs_get_u64(&s, &out->timestamp_ms))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: timestamp");
  if (!mtk_cbs_get_u16_prefixed(&s, &out->extensions))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: extensions");
  if (!mtk_cbs_get_u8(&s, &out->hash_alg) || !mtk_cbs_get_u8(&s, &out->sig_alg))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: signature algorithm");
  if (!mtk_cbs_get_u16_prefixed(&s, &out->signature))
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "truncated SCT: signature");
  if (s.len != 0)
    return mtk_diag_fail(d, MTK_ERR_X509_SCT, s.off, "%zu octets after the SCT signature",
                         s.len);
  *c = copy;
  return MTK_OK;
}

static mtk_status check_scts(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs list;
  TRY(sct_list(value, &list, d));
  for (unsigned i = 0; list.len > 0; i++) {
    mtk_sct sct;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(parse_sct(&list, &sct, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_sct_iter_init_ext(mtk_sct_iter *it, const mtk_cbs *ext_value) {
  it->rest = (mtk_cbs){0};
  return sct_list(ext_value, &it->rest, NULL) == MTK_OK;
}

bool mtk_sct_next(mtk_sct_iter *it, mtk_sct *out) {
  return it->rest.len > 0 && parse_sct(&it->rest, out, NULL) == MTK_OK;
}

/* ---- TLS Feature (RFC 7633 6) ---------------------------------------------------- */

/* Features ::= SEQUENCE OF INTEGER (TLS extension types; each must fit in 64
 * bits and be non-negative to be decoded). */
static mtk_status check_tls_feature(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq;
  TRY(whole_seq(value, &seq, NULL, "Features", d));
  for (unsigned i = 0; seq.len > 0; i++) {
    uint64_t v;
    size_t m = mtk_diag_push(d, "[%u]", i);
    TRY(mtk_der_get_uint64(&seq, &v, d));
    mtk_diag_pop(d, m);
  }
  return MTK_OK;
}

bool mtk_tls_feature_iter_init_ext(mtk_cbs *rest, const mtk_cbs *ext_value) {
  *rest = (mtk_cbs){0};
  return whole_seq(ext_value, rest, NULL, "Features", NULL) == MTK_OK;
}

bool mtk_tls_feature_next(mtk_cbs *rest, uint64_t *feature) {
  return rest->len > 0 && mtk_der_get_uint64(rest, feature, NULL) == MTK_OK;
}

/* ---- PrivateKeyUsagePeriod (RFC 3280 4.2.1.4; gone from RFC 5280) -------------- */

/* The contents of an IMPLICIT GeneralizedTime: YYYYMMDDHHMMSSZ, as RFC 5280
 * 4.1.2.5.2 profiles it (mtk_der_get_time reads only the universal tag). */
static mtk_status implicit_gentime(const mtk_cbs *body, mtk_diag *d) {
  const uint8_t *p = body->p;
  int f[6] = {0};
  static const size_t width[6] = {4, 2, 2, 2, 2, 2};
  size_t i = 0;
  if (body->len != 15 || p[14] != 'Z')
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body->off,
                         "GeneralizedTime is not YYYYMMDDHHMMSSZ");
  for (size_t k = 0; k < 6; k++) {
    for (size_t j = 0; j < width[k]; j++, i++) {
      if (p[i] < '0' || p[i] > '9')
        return mtk_diag_fail(d, MTK_ERR_DER_TIME, body->off + i, "time has non-digit characters");
      f[k] = f[k] * 10 + (p[i] - '0');
    }
  }
  mtk_time t;
  if (!mtk_time_from_civil(f[0], f[1], f[2], f[3], f[4], f[5], &t))
    return mtk_diag_fail(d, MTK_ERR_DER_TIME, body->off, "date or time field out of range");
  return MTK_OK;
}

/* PrivateKeyUsagePeriod ::= SEQUENCE {
 *   notBefore [0] GeneralizedTime OPTIONAL,
 *   notAfter  [1] GeneralizedTime OPTIONAL } */
static mtk_status check_pkup(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs seq, f;
  bool present;
  TRY(whole_seq(value, &seq, NULL, "PrivateKeyUsagePeriod", d));
  size_t m = mtk_diag_push(d, "notBefore");
  TRY(opt_ctx(&seq, 0, false, MTK_ERR_X509_EXTENSION, NULL, &f, &present, d));
  if (present) TRY(implicit_gentime(&f, d));
  mtk_diag_pop(d, m);
  m = mtk_diag_push(d, "notAfter");
  TRY(opt_ctx(&seq, 1, false, MTK_ERR_X509_EXTENSION, NULL, &f, &present, d));
  if (present) TRY(implicit_gentime(&f, d));
  mtk_diag_pop(d, m);
  return mtk_der_expect_end(&seq, "PrivateKeyUsagePeriod", d);
}

/* ---- dispatch ---------------------------------------------------------------- */

/* ocsp-nocheck ::= NULL (RFC 6960 4.2.2.2.1); the CT poison extnValue is
 * ASN.1 NULL (RFC 6962 3.1). */
static mtk_status check_null_value(const mtk_cbs *value, mtk_diag *d) {
  mtk_cbs copy = *value;
  TRY(mtk_der_get_null(&copy, d));
  return mtk_der_expect_end(&copy, "NULL", d);
}

static mtk_status check_known(mtk_oid_id id, const mtk_cbs *v, mtk_diag *d) {
  switch (id) {
    case MTK_OID_EXT_SAN:
    case MTK_OID_EXT_IAN:
      return check_alt_name(v, d);
    case MTK_OID_EXT_KU: {
      uint32_t bits;
      return mtk_ext_key_usage(v, &bits, d);
    }
    case MTK_OID_EXT_EKU:
      return check_eku(v, d);
    case MTK_OID_EXT_BC: {
      mtk_basic_constraints bc;
      return basic_constraints(v, &bc, d);
    }
    case MTK_OID_EXT_SKI: {
      mtk_cbs keyid;
      return mtk_ext_ski(v, &keyid, d);
    }
    case MTK_OID_EXT_AKI: {
      mtk_aki a;
      return aki(v, &a, d);
    }
    case MTK_OID_EXT_CRLDP:
    case MTK_OID_EXT_FRESHEST_CRL:
      return check_crldp(v, d);
    case MTK_OID_EXT_AIA:
      return check_info_access(v, "RFC 5280 4.2.2.1", d);
    case MTK_OID_EXT_SIA:
      return check_info_access(v, "RFC 5280 4.2.2.2", d);
    case MTK_OID_EXT_CP:
      return check_policies(v, d);
    case MTK_OID_EXT_PM:
      return check_policy_mappings(v, d);
    case MTK_OID_EXT_PC: {
      mtk_policy_constraints pc;
      return policy_constraints(v, &pc, d);
    }
    case MTK_OID_EXT_NC: {
      mtk_name_constraints nc;
      return name_constraints(v, &nc, d);
    }
    case MTK_OID_EXT_INHIBIT_ANY: {
      uint64_t skip;
      return mtk_ext_inhibit_any(v, &skip, d);
    }
    case MTK_OID_EXT_SCT_LIST:
      return check_scts(v, d);
    case MTK_OID_EXT_TLS_FEATURE:
      return check_tls_feature(v, d);
    case MTK_OID_EXT_OCSP_NOCHECK:
    case MTK_OID_EXT_CT_POISON:
      return check_null_value(v, d);
    case MTK_OID_EXT_PKUP:
      return check_pkup(v, d);
    case MTK_OID_EXT_NS_CERT_TYPE:
      return check_ns_cert_type(v, d);
    default:
      return MTK_OK;
  }
}

mtk_status mtk_ext_check(const mtk_ext *ext, mtk_diag *d) {
  /* The kinds a certificate indexes (mtk_xk) are decoded; other extensions,
   * known by name or not, pass. */
  if (mtk_xk_of(ext->id) < 0) return MTK_OK;
  size_t mark = mtk_diag_push(d, "%s", mtk_oid_short_name(ext->id));
  mtk_status s = check_known(ext->id, &ext->value, d);
  mtk_diag_pop(d, mark);
  return s;
}

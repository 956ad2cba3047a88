/* mtlskit/x509.h: zero-copy views of X.509 certificates (RFC 5280) and
 * PKCS#10 certificate requests (RFC 2986), and of their extensions.
 *
 * mtk_cert_parse and mtk_csr_parse check the whole structure strictly, every
 * known extension included, and fill a caller-owned struct of views into the
 * input. Nothing is allocated; every mtk_cbs in the results is valid while the
 * input buffer lives. After a successful parse, the iterators and extension
 * decoders below cannot fail on that input (they were run during the parse),
 * so renderers and linters may call them with a NULL mtk_diag.
 *
 * What is NOT checked here: signatures (see keys.h), chains, time against
 * "now", and policy rules (RFC 5280 MUSTs that are about content rather than
 * encoding, such as "a CA certificate has basicConstraints"). Those are lint
 * findings (lint.h), so that a user sees all of them at once. */
#ifndef MTLSKIT_X509_H
#define MTLSKIT_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/oid.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- AlgorithmIdentifier (RFC 5280 4.1.1.2) ------------------------------- */

typedef struct mtk_algid {
  mtk_cbs elem;    /* the whole SEQUENCE element */
  mtk_cbs oid;     /* OBJECT IDENTIFIER contents */
  mtk_oid_id id;   /* MTK_OID_UNKNOWN if not in the table */
  bool has_params;
  mtk_cbs params;  /* the whole parameters element (header included) */
} mtk_algid;

/* mtk_algid_parse reads an AlgorithmIdentifier element from |c|. */
MTK_EXPORT mtk_status mtk_algid_parse(mtk_cbs *c, mtk_algid *out, mtk_diag *d) MTK_MUST_CHECK;

/* RSASSA-PSS-params (RFC 4055 3.1), with the defaults filled in. */
typedef struct mtk_pss_params {
  mtk_oid_id hash;      /* default MTK_OID_SHA1 */
  mtk_oid_id mgf;       /* default MTK_OID_MGF1 */
  mtk_oid_id mgf_hash;  /* default MTK_OID_SHA1 */
  uint64_t salt_len;    /* default 20 */
  uint64_t trailer;     /* default 1; anything else is invalid */
  unsigned explicit_defaults; /* count of fields encoded equal to DEFAULT */
} mtk_pss_params;

/* mtk_pss_params_parse decodes the parameters element of an RSASSA-PSS
 * AlgorithmIdentifier (a SEQUENCE; |params| is the whole element). */
MTK_EXPORT mtk_status mtk_pss_params_parse(const mtk_cbs *params, mtk_pss_params *out,
                                           mtk_diag *d) MTK_MUST_CHECK;

/* ---- SubjectPublicKeyInfo (RFC 5280 4.1.2.7) ------------------------------ */

typedef enum mtk_key_type {
  MTK_KEY_UNKNOWN = 0,
  MTK_KEY_RSA,
  MTK_KEY_RSA_PSS,
  MTK_KEY_EC,
  MTK_KEY_DSA,
  MTK_KEY_ED25519,
  MTK_KEY_ED448,
  MTK_KEY_X25519,
  MTK_KEY_X448,
  MTK_KEY_ML_DSA,
  MTK_KEY_ML_KEM,
  MTK_KEY_SLH_DSA
} mtk_key_type;

/* mtk_key_type_name: "RSA", "EC", "Ed25519", ... (static). */
MTK_EXPORT const char *mtk_key_type_name(mtk_key_type t);

typedef struct mtk_spki {
  mtk_cbs elem;          /* the whole SubjectPublicKeyInfo element */
  mtk_algid alg;
  mtk_cbs key;           /* subjectPublicKey BIT STRING octets */
  mtk_key_type type;
  unsigned bits;         /* RSA/DSA modulus bits, EC field size, 256 Ed25519 ... */
  /* The key octets do not decode as the algorithm requires (e.g. an RSA key
   * that is not an RSAPublicKey). The certificate still parses; the linter
   * reports it, with |key_err|. */
  bool key_malformed;
  mtk_error key_err;
  /* RSA (RFC 8017 A.1.1): INTEGER contents. */
  mtk_cbs rsa_n, rsa_e;
  /* EC (RFC 5480): named curve, or explicit parameters (flagged). */
  mtk_oid_id curve;      /* MTK_OID_UNKNOWN if unnamed or not in the table */
  mtk_cbs curve_oid;     /* OID contents when named */
  bool ec_explicit;      /* specifiedCurve (explicit parameters) */
  bool ec_implicit;      /* implicitCurve (NULL parameters) */
  uint8_t ec_point_form; /* first octet of the point: 4 uncompressed, 2/3 compressed */
  /* DSA (RFC 3279 2.3.2): parameters p, q, g (INTEGER contents) if present. */
  mtk_cbs dsa_p, dsa_q, dsa_g;
} mtk_spki;

/* mtk_spki_parse reads a SubjectPublicKeyInfo element from |c|. */
MTK_EXPORT mtk_status mtk_spki_parse(mtk_cbs *c, mtk_spki *out, mtk_diag *d) MTK_MUST_CHECK;

/* ---- Names (RFC 5280 4.1.2.4) --------------------------------------------- */

typedef struct mtk_name {
  mtk_cbs elem;     /* the whole Name element (for comparisons and hashing) */
  mtk_cbs body;     /* RDNSequence contents */
  unsigned n_rdns;
  unsigned n_attrs;
} mtk_name;

/* One AttributeTypeAndValue of a Name. */
typedef struct mtk_attr {
  mtk_cbs oid;
  mtk_oid_id id;
  mtk_tag tag;       /* the value's tag (UTF8String, PrintableString, ...) */
  mtk_cbs value;     /* the value's contents */
  mtk_cbs value_elem;/* the whole value element */
  unsigned rdn;      /* index of its RDN (0 = first, most significant) */
  unsigned pos;      /* position inside a multi-valued RDN */
  unsigned rdn_size; /* number of values in its RDN (> 1: multi-valued) */
  size_t offset;     /* absolute offset of the AttributeTypeAndValue */
} mtk_attr;

typedef struct mtk_name_iter {
  mtk_cbs rdns;      /* remaining RDNs */
  mtk_cbs set;       /* remaining values of the current RDN */
  unsigned rdn, pos, rdn_size;
} mtk_name_iter;

MTK_EXPORT void mtk_name_iter_init(mtk_name_iter *it, const mtk_name *name);
/* mtk_name_next yields the next attribute in encoding order; false at the end
 * (or on malformed input, which a parsed name never has). */
MTK_EXPORT bool mtk_name_next(mtk_name_iter *it, mtk_attr *out);

/* mtk_name_parse reads a Name element from |c|, validating every RDN (a
 * non-empty SET of AttributeTypeAndValue) and recording string quirks. */
MTK_EXPORT mtk_status mtk_name_parse(mtk_cbs *c, mtk_name *out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_name_eq: the two names are identical DER (what RFC 5280 7.1 reduces
 * to for names issued by one CA; the verifier uses OpenSSL's comparison). */
MTK_EXPORT bool mtk_name_eq(const mtk_name *a, const mtk_name *b);

/* mtk_string_check validates a string value with tag |tag| against its
 * type's alphabet, recording quirks (PrintableString charset, IA5 > 0x7F,
 * invalid UTF-8, odd BMPString...). MTK_ERR_DER_STRING for a tag that is
 * not a string type at all. */
MTK_EXPORT mtk_status mtk_string_check(mtk_tag tag, const mtk_cbs *value, mtk_diag *d) MTK_MUST_CHECK;

/* ---- Extensions (RFC 5280 4.2) --------------------------------------------- */

/* Known extension kinds that a parsed certificate or CSR indexes. */
typedef enum mtk_xk {
  MTK_XK_SAN = 0,
  MTK_XK_IAN,
  MTK_XK_KU,
  MTK_XK_EKU,
  MTK_XK_BC,
  MTK_XK_SKI,
  MTK_XK_AKI,
  MTK_XK_CRLDP,
  MTK_XK_FRESHEST_CRL,
  MTK_XK_AIA,
  MTK_XK_SIA,
  MTK_XK_CP,
  MTK_XK_PM,
  MTK_XK_PC,
  MTK_XK_NC,
  MTK_XK_INHIBIT_ANY,
  MTK_XK_SCT,
  MTK_XK_TLS_FEATURE,
  MTK_XK_OCSP_NOCHECK,
  MTK_XK_CT_POISON,
  MTK_XK_PKUP,
  MTK_XK_NS_CERT_TYPE,
  MTK_XK__COUNT
} mtk_xk;

/* mtk_xk_of maps an OID id to its known kind; -1 if not indexed. */
MTK_EXPORT int mtk_xk_of(mtk_oid_id id);

typedef struct mtk_ext {
  mtk_cbs elem;     /* the whole Extension SEQUENCE */
  mtk_cbs oid;
  mtk_oid_id id;
  bool critical;
  mtk_cbs value;    /* extnValue OCTET STRING contents */
  unsigned index;   /* position in the extensions list */
} mtk_ext;

typedef struct mtk_extensions {
  bool present;             /* the field is there (may still be empty) */
  mtk_cbs elem;             /* the whole Extensions SEQUENCE */
  mtk_cbs body;             /* its contents */
  unsigned count;
  unsigned n_unknown_critical;
  bool has_duplicates;
  mtk_ext known[MTK_XK__COUNT];         /* first occurrence of each kind */
  uint8_t known_count[MTK_XK__COUNT];   /* occurrences (saturating at 255) */
} mtk_extensions;

/* mtk_ext_get returns the first extension of kind |k|, or NULL. */
MTK_EXPORT const mtk_ext *mtk_ext_get(const mtk_extensions *e, mtk_xk k);

typedef struct mtk_ext_iter {
  mtk_cbs rest;
  unsigned index;
} mtk_ext_iter;

MTK_EXPORT void mtk_ext_iter_init(mtk_ext_iter *it, const mtk_extensions *e);
/* mtk_ext_next yields the next extension in order; false at the end. */
MTK_EXPORT bool mtk_ext_next(mtk_ext_iter *it, mtk_ext *out);

/* mtk_extensions_parse reads an Extensions SEQUENCE element from |c|,
 * validating each Extension and decoding each known one (below). */
MTK_EXPORT mtk_status mtk_extensions_parse(mtk_cbs *c, mtk_extensions *out,
                                           mtk_diag *d) MTK_MUST_CHECK;

/* mtk_ext_check decodes the value of one extension of a known type fully
 * (GeneralNames, policies, SCTs ...), recording errors and quirks. Unknown
 * extensions pass. Called by mtk_extensions_parse. */
MTK_EXPORT mtk_status mtk_ext_check(const mtk_ext *ext, mtk_diag *d) MTK_MUST_CHECK;

/* ---- GeneralName (RFC 5280 4.2.1.6) ------------------------------------- */

typedef enum mtk_gn_type {
  MTK_GN_OTHER = 0,
  MTK_GN_EMAIL = 1,   /* rfc822Name */
  MTK_GN_DNS = 2,
  MTK_GN_X400 = 3,
  MTK_GN_DIRNAME = 4,
  MTK_GN_EDIPARTY = 5,
  MTK_GN_URI = 6,
  MTK_GN_IP = 7,
  MTK_GN_RID = 8
} mtk_gn_type;

/* mtk_gn_type_name: "DNS", "IP", "URI", "email", "dirName", "otherName", ... */
MTK_EXPORT const char *mtk_gn_type_name(mtk_gn_type t);

typedef struct mtk_gn {
  mtk_gn_type type;
  mtk_cbs elem;       /* the whole GeneralName element */
  mtk_cbs value;      /* IA5String octets (DNS, email, URI), IP octets, RID OID
                         contents, X400/EDIParty contents; DIRNAME: the Name
                         element (see name); OTHER: the value's contents */
  mtk_name name;      /* DIRNAME only */
  mtk_cbs other_oid;  /* OTHER only: type-id contents */
  mtk_oid_id other_id;
  mtk_cbs other_value;/* OTHER only: the [0] EXPLICIT value's inner element */
  size_t offset;
} mtk_gn;

/* mtk_gn_parse reads one GeneralName element from |c|. IA5 contents with
 * octets > 0x7F are kept and recorded as a quirk; an IP of length other than
 * 4 or 16 (or 8/32 in name constraints, with |constraint|) is accepted and
 * left to the linter and matcher, which skip it. */
MTK_EXPORT mtk_status mtk_gn_parse(mtk_cbs *c, bool constraint, mtk_gn *out,
                                   mtk_diag *d) MTK_MUST_CHECK;

/* GeneralNames iterator: init over the contents of a GeneralNames SEQUENCE
 * (e.g. a SAN extension value, after its SEQUENCE header: use
 * mtk_gn_iter_init_ext for an extension value). */
typedef struct mtk_gn_iter {
  mtk_cbs rest;
} mtk_gn_iter;

/* mtk_gn_iter_init_ext starts iterating the GeneralNames of a SAN or IAN
 * extension value (the OCTET STRING contents). False if not a SEQUENCE. */
MTK_EXPORT bool mtk_gn_iter_init_ext(mtk_gn_iter *it, const mtk_cbs *ext_value);
/* mtk_gn_next and the other extension iterators below return false at the
 * end, or on malformed data, leaving their cursor at the element that failed
 * (so rest.len == 0 tells a clean end). */
MTK_EXPORT void mtk_gn_iter_init(mtk_gn_iter *it, const mtk_cbs *seq_body);
MTK_EXPORT bool mtk_gn_next(mtk_gn_iter *it, mtk_gn *out);

/* ---- typed extension decoders ------------------------------------------- */

/* BasicConstraints (4.2.1.9). */
typedef struct mtk_basic_constraints {
  bool ca;
  bool has_pathlen;
  uint64_t pathlen;
} mtk_basic_constraints;
MTK_EXPORT mtk_status mtk_ext_basic_constraints(const mtk_cbs *value, mtk_basic_constraints *out,
                                                mtk_diag *d) MTK_MUST_CHECK;

/* KeyUsage (4.2.1.3): bit 0 digitalSignature ... bit 8 decipherOnly. */
enum {
  MTK_KU_DIGITAL_SIGNATURE = 1u << 0,
  MTK_KU_NON_REPUDIATION = 1u << 1,
  MTK_KU_KEY_ENCIPHERMENT = 1u << 2,
  MTK_KU_DATA_ENCIPHERMENT = 1u << 3,
  MTK_KU_KEY_AGREEMENT = 1u << 4,
  MTK_KU_KEY_CERT_SIGN = 1u << 5,
  MTK_KU_CRL_SIGN = 1u << 6,
  MTK_KU_ENCIPHER_ONLY = 1u << 7,
  MTK_KU_DECIPHER_ONLY = 1u << 8
};
/* mtk_ku_bit_name: "digitalSignature" ... for bit index 0..8, else NULL. */
MTK_EXPORT const char *mtk_ku_bit_name(unsigned bit);
MTK_EXPORT mtk_status mtk_ext_key_usage(const mtk_cbs *value, uint32_t *bits,
                                        mtk_diag *d) MTK_MUST_CHECK;

/* A SEQUENCE OF OBJECT IDENTIFIER iterator (ExtKeyUsageSyntax). */
typedef struct mtk_oid_iter {
  mtk_cbs rest;
} mtk_oid_iter;
MTK_EXPORT bool mtk_oid_iter_init_ext(mtk_oid_iter *it, const mtk_cbs *ext_value);
/* yields OID contents and the id */
MTK_EXPORT bool mtk_oid_next(mtk_oid_iter *it, mtk_cbs *oid, mtk_oid_id *id);

/* mtk_ext_has_eku: the EKU extension value lists |id|. */
MTK_EXPORT bool mtk_ext_has_eku(const mtk_cbs *ext_value, mtk_oid_id id);

/* SubjectKeyIdentifier (4.2.1.2): the key identifier octets. */
MTK_EXPORT mtk_status mtk_ext_ski(const mtk_cbs *value, mtk_cbs *keyid, mtk_diag *d) MTK_MUST_CHECK;

/* AuthorityKeyIdentifier (4.2.1.1). */
typedef struct mtk_aki {
  bool has_keyid;
  mtk_cbs keyid;
  bool has_issuer;
  mtk_cbs issuer;   /* GeneralNames contents, iterate with mtk_gn_iter_init */
  bool has_serial;
  mtk_cbs serial;   /* INTEGER contents */
} mtk_aki;
MTK_EXPORT mtk_status mtk_ext_aki(const mtk_cbs *value, mtk_aki *out, mtk_diag *d) MTK_MUST_CHECK;

/* CRLDistributionPoints / FreshestCRL (4.2.1.13, 4.2.1.15). */
typedef struct mtk_dp {
  bool has_full_name;
  mtk_cbs full_name;      /* GeneralNames contents */
  bool has_relative_name;
  mtk_cbs relative_name;  /* RelativeDistinguishedName contents (SET) */
  bool has_reasons;
  uint32_t reasons;       /* ReasonFlags bits */
  bool has_crl_issuer;
  mtk_cbs crl_issuer;     /* GeneralNames contents */
} mtk_dp;
typedef struct mtk_dp_iter {
  mtk_cbs rest;
} mtk_dp_iter;
MTK_EXPORT bool mtk_dp_iter_init_ext(mtk_dp_iter *it, const mtk_cbs *ext_value);
MTK_EXPORT bool mtk_dp_next(mtk_dp_iter *it, mtk_dp *out);

/* AuthorityInfoAccess / SubjectInfoAccess (4.2.2.1, 4.2.2.2). */
typedef struct mtk_access_desc {
  mtk_cbs method;
  mtk_oid_id method_id;
  mtk_gn location;
} mtk_access_desc;
typedef struct mtk_ad_iter {
  mtk_cbs rest;
} mtk_ad_iter;
MTK_EXPORT bool mtk_ad_iter_init_ext(mtk_ad_iter *it, const mtk_cbs *ext_value);
MTK_EXPORT bool mtk_ad_next(mtk_ad_iter *it, mtk_access_desc *out);

/* CertificatePolicies (4.2.1.4). */
typedef struct mtk_policy {
  mtk_cbs oid;
  mtk_oid_id id;
  bool has_qualifiers;
  mtk_cbs qualifiers;     /* SEQUENCE OF PolicyQualifierInfo contents */
} mtk_policy;
typedef struct mtk_policy_qualifier {
  mtk_cbs oid;
  mtk_oid_id id;          /* MTK_OID_QT_CPS or MTK_OID_QT_UNOTICE, else unknown */
  mtk_cbs cps_uri;        /* CPS: IA5String contents */
  bool has_notice_ref;
  mtk_cbs notice_org;     /* DisplayText contents, tag in notice_org_tag */
  mtk_tag notice_org_tag;
  mtk_cbs notice_numbers; /* SEQUENCE OF INTEGER contents */
  bool has_explicit_text;
  mtk_cbs explicit_text;
  mtk_tag explicit_text_tag;
  mtk_cbs raw;            /* the qualifier element for unknown ids */
} mtk_policy_qualifier;
typedef struct mtk_policy_iter {
  mtk_cbs rest;
} mtk_policy_iter;
MTK_EXPORT bool mtk_policy_iter_init_ext(mtk_policy_iter *it, const mtk_cbs *ext_value);
MTK_EXPORT bool mtk_policy_next(mtk_policy_iter *it, mtk_policy *out);
MTK_EXPORT bool mtk_policy_qualifier_next(mtk_cbs *rest, mtk_policy_qualifier *out);

/* PolicyMappings (4.2.1.5): pairs of OIDs. */
MTK_EXPORT bool mtk_pm_next(mtk_cbs *rest, mtk_cbs *issuer_policy, mtk_cbs *subject_policy);
MTK_EXPORT bool mtk_pm_iter_init_ext(mtk_cbs *rest, const mtk_cbs *ext_value);

/* PolicyConstraints (4.2.1.11). */
typedef struct mtk_policy_constraints {
  bool has_require;
  uint64_t require_explicit;
  bool has_inhibit;
  uint64_t inhibit_mapping;
} mtk_policy_constraints;
MTK_EXPORT mtk_status mtk_ext_policy_constraints(const mtk_cbs *value, mtk_policy_constraints *out,
                                                 mtk_diag *d) MTK_MUST_CHECK;

/* InhibitAnyPolicy (4.2.1.14): SkipCerts. */
MTK_EXPORT mtk_status mtk_ext_inhibit_any(const mtk_cbs *value, uint64_t *skip,
                                          mtk_diag *d) MTK_MUST_CHECK;

/* NameConstraints (4.2.1.10). */
typedef struct mtk_name_constraints {
  bool has_permitted;
  mtk_cbs permitted;  /* GeneralSubtrees contents */
  bool has_excluded;
  mtk_cbs excluded;
} mtk_name_constraints;
typedef struct mtk_subtree {
  mtk_gn base;
  uint64_t minimum;   /* must be 0 (RFC 5280), decoded anyway */
  bool has_maximum;
  uint64_t maximum;
} mtk_subtree;
MTK_EXPORT mtk_status mtk_ext_name_constraints(const mtk_cbs *value, mtk_name_constraints *out,
                                               mtk_diag *d) MTK_MUST_CHECK;
MTK_EXPORT bool mtk_subtree_next(mtk_cbs *rest, mtk_subtree *out);

/* SignedCertificateTimestampList (RFC 6962 3.3). */
typedef struct mtk_sct {
  uint8_t version;
  mtk_cbs log_id;       /* 32 octets */
  uint64_t timestamp_ms;
  mtk_cbs extensions;
  uint8_t hash_alg;     /* TLS HashAlgorithm: 4 sha256 ... */
  uint8_t sig_alg;      /* TLS SignatureAlgorithm: 1 rsa, 3 ecdsa */
  mtk_cbs signature;
  size_t offset;
} mtk_sct;
typedef struct mtk_sct_iter {
  mtk_cbs rest;
} mtk_sct_iter;
MTK_EXPORT bool mtk_sct_iter_init_ext(mtk_sct_iter *it, const mtk_cbs *ext_value);
MTK_EXPORT bool mtk_sct_next(mtk_sct_iter *it, mtk_sct *out);

/* TLS Feature (RFC 7633): SEQUENCE OF INTEGER; 5 = status_request
 * (must-staple), 17 = status_request_v2. */
MTK_EXPORT bool mtk_tls_feature_next(mtk_cbs *rest, uint64_t *feature);
MTK_EXPORT bool mtk_tls_feature_iter_init_ext(mtk_cbs *rest, const mtk_cbs *ext_value);

/* ---- Certificate (RFC 5280 4.1) ------------------------------------------ */

typedef struct mtk_cert {
  mtk_cbs der;             /* the whole Certificate element */
  mtk_cbs tbs;             /* the whole TBSCertificate element (signed bytes) */
  unsigned version;        /* 1, 2 or 3 */
  bool version_explicit;   /* the [0] field was present */
  mtk_cbs serial;          /* INTEGER contents (two's complement) */
  bool serial_negative;
  mtk_algid tbs_sig_alg;   /* TBSCertificate.signature */
  mtk_name issuer;
  mtk_time not_before, not_after;
  mtk_tag not_before_tag, not_after_tag;
  size_t not_before_off, not_after_off;
  mtk_name subject;
  mtk_spki spki;
  bool has_issuer_uid, has_subject_uid;
  mtk_cbs issuer_uid, subject_uid;  /* BIT STRING data */
  mtk_extensions exts;
  mtk_algid sig_alg;       /* Certificate.signatureAlgorithm */
  mtk_cbs signature;       /* BIT STRING data */
  uint8_t signature_unused_bits;
} mtk_cert;

/* mtk_cert_parse decodes one DER Certificate that must span |len| bytes
 * exactly. Offsets in errors and quirks are relative to |der|. On failure
 * |*out| is unspecified. */
MTK_EXPORT mtk_status mtk_cert_parse(mtk_cert *out, const uint8_t *der, size_t len,
                                     mtk_diag *d) MTK_MUST_CHECK;

/* mtk_cert_is_self_issued: issuer and subject are the same DER name. */
MTK_EXPORT bool mtk_cert_is_self_issued(const mtk_cert *c);

/* ---- Certification request (RFC 2986 4) -------------------------------- */

typedef struct mtk_csr {
  mtk_cbs der;
  mtk_cbs tbs;             /* the whole CertificationRequestInfo element */
  uint64_t version;        /* must be 0 (v1) */
  mtk_name subject;
  mtk_spki spki;
  mtk_cbs attributes;      /* [0] contents: SET OF Attribute */
  unsigned n_attributes;
  bool has_ext_request;
  mtk_extensions exts;     /* from extensionRequest (PKCS#9 9.4) */
  bool has_challenge_password;
  mtk_tag challenge_password_tag;
  mtk_cbs challenge_password;
  bool has_unstructured_name;
  mtk_tag unstructured_name_tag;
  mtk_cbs unstructured_name;
  mtk_algid sig_alg;
  mtk_cbs signature;
  uint8_t signature_unused_bits;
} mtk_csr;

/* One attribute of a CSR, as an iterator item. */
typedef struct mtk_csr_attr {
  mtk_cbs oid;
  mtk_oid_id id;
  mtk_cbs values;          /* SET contents */
  size_t offset;
} mtk_csr_attr;
MTK_EXPORT bool mtk_csr_attr_next(mtk_cbs *rest, mtk_csr_attr *out);

/* mtk_csr_parse decodes one DER CertificationRequest spanning |len| bytes. */
MTK_EXPORT mtk_status mtk_csr_parse(mtk_csr *out, const uint8_t *der, size_t len,
                                    mtk_diag *d) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_X509_H */

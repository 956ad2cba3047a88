/* certgen.h: a certificate and CSR factory for the unit tests.
 *
 * Tests of the decoder and of the lint checks make exactly the certificate
 * they need here, with fixed dates (never the wall clock; STYLE.md 16). Three
 * levels, from convenient to total control:
 *
 *   1. A spec (tb_cert_spec / tb_csr_spec) with defaults, names, dates,
 *      keys and an ordered extension list filled by builders, turned into a
 *      signed DER certificate or CSR by tb_cert_build / tb_csr_build.
 *      tb_cert_build writes the whole TBSCertificate itself with the DER
 *      writer below (OpenSSL is used only for keys and signatures), so it can
 *      emit what OpenSSL would refuse: duplicate extensions, an empty
 *      extensions SEQUENCE, v1 with extensions, any serial octets, any
 *      string type and bytes in a Name, GeneralizedTime before 2050 ...
 *   2. tb_cert_build_tbs + tb_replace_bytes + tb_resign: build, patch the
 *      TBS bytes, sign again.
 *   3. The DER writer (tb_buf, tb_der_*): write any TBS by hand (explicit
 *      DEFAULT values, BOOLEAN 0x01, unsorted SETs, bad times, non-minimal
 *      lengths ...) and sign it with tb_resign.
 *
 * Conventions. This is test code: allocation failure aborts the process,
 * and nothing is optimised. Fallible functions return 0 on success and -1 on
 * failure, after printing the reason on stderr. Every uint8_t ** output is a
 * malloc'ed buffer the caller frees with free(). Byte values are (pointer,
 * length), never C strings, so tests can put NULs and invalid UTF-8 in them;
 * the *_str convenience forms take C strings. Keys are cached process-wide
 * and are not thread-safe. */
#ifndef MTK_TEST_CERTGEN_H
#define MTK_TEST_CERTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"

/* ==== growable buffer and DER writer ===================================== */

/* tb_buf is a growable byte buffer. Zero-initialise it (or tb_buf_init);
 * tb_buf_free releases it; tb_buf_take hands the bytes over to the caller
 * (free() them) and leaves |b| empty. Appends never fail (abort on OOM). */
typedef struct tb_buf {
  uint8_t *p;
  size_t len;
  size_t cap;
} tb_buf;

void tb_buf_init(tb_buf *b);
void tb_buf_free(tb_buf *b);
uint8_t *tb_buf_take(tb_buf *b, size_t *len);
void tb_buf_add(tb_buf *b, const void *data, size_t len);
void tb_buf_byte(tb_buf *b, uint8_t v);
/* tb_buf_hex appends the bytes written in hex in |hex| ("30 03 02 01 05";
 * spaces, ':' and newlines are ignored). Aborts on a malformed string. */
void tb_buf_hex(tb_buf *b, const char *hex);

/* tb_der_tag appends the identifier octets of |tag| (an mtk_tag from der.h:
 * MTK_ASN1_SEQUENCE, MTK_CTX_C(0), ...), high tag numbers in minimal form. */
void tb_der_tag(tb_buf *b, mtk_tag tag);
/* tb_der_len appends a definite length in its shortest form. */
void tb_der_len(tb_buf *b, size_t len);
/* tb_der_len_forced appends |len| in the long form with exactly |octets|
 * length octets (1..8), minimal or not: for non-minimal-length tests. */
void tb_der_len_forced(tb_buf *b, size_t len, unsigned octets);
/* tb_der_tlv appends the element tag, length, |content|. */
void tb_der_tlv(tb_buf *b, mtk_tag tag, const void *content, size_t len);

/* Nested writer: tb_der_begin appends the tag and returns a mark;
 * tb_der_end inserts the (minimal) length of everything appended since.
 *   size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE); ...; tb_der_end(&b, m); */
size_t tb_der_begin(tb_buf *b, mtk_tag tag);
void tb_der_end(tb_buf *b, size_t mark);

/* Primitive values, DER-correct unless the name says otherwise. */
void tb_der_bool(tb_buf *b, bool v);                 /* TRUE is 0xFF */
void tb_der_null(tb_buf *b);
void tb_der_int(tb_buf *b, int64_t v);               /* minimal two's complement */
void tb_der_int_raw(tb_buf *b, const void *content, size_t len); /* contents as given */
void tb_der_octets(tb_buf *b, const void *data, size_t len);
void tb_der_bitstring(tb_buf *b, uint8_t unused_bits, const void *data, size_t len);
/* tb_der_named_bits writes a named-bit-list BIT STRING (bit 0 = first named
 * bit = MSB of the first octet) with trailing zero bits removed. */
void tb_der_named_bits(tb_buf *b, uint32_t bits);
/* tb_der_oid writes an OBJECT IDENTIFIER from dotted text ("2.5.29.17"),
 * or from an attribute short name known to tb_oid_dotted. Aborts if
 * malformed (tests with malformed OIDs write the bytes themselves). */
void tb_der_oid(tb_buf *b, const char *dotted);
/* tb_oid_dotted maps a short name ("CN", "serialNumber", "DC", ...) to its
 * dotted OID, consulting OpenSSL's table for unknown names; a dotted input is
 * returned as is. NULL if unknown. The string is static or |in|. */
const char *tb_oid_dotted(const char *in);
void tb_der_string(tb_buf *b, mtk_tag tag, const void *data, size_t len);

/* Times. tb_time builds seconds since the epoch from a civil UTC date;
 * tb_der_time writes |t| as UTCTime (TB_TIME_UTC; years outside 1950..2049
 * are written modulo 100, which is wrong on purpose), GeneralizedTime
 * (TB_TIME_GEN) or as RFC 5280 requires (TB_TIME_AUTO). */
typedef enum tb_timefmt { TB_TIME_AUTO = 0, TB_TIME_UTC, TB_TIME_GEN } tb_timefmt;
int64_t tb_time(int year, int month, int day, int hour, int min, int sec);
void tb_der_time(tb_buf *b, int64_t t, tb_timefmt fmt);

/* tb_der_set_of writes SET { elems[0..n) } where each element is complete
 * DER. With |sort| the elements are put in DER order (X.690 11.6). */
typedef struct tb_bytes {
  const uint8_t *p;
  size_t len;
} tb_bytes;
void tb_der_set_of(tb_buf *b, const tb_bytes *elems, size_t n, bool sort);

/* ==== keys ================================================================ */

typedef enum tb_keytype {
  TB_KEY_RSA = 1,      /* param: modulus bits (512 .. 8192), e = 65537 */
  TB_KEY_RSA_E3,       /* param: modulus bits, public exponent 3 */
  TB_KEY_RSA_PSS,      /* param: bits; SPKI id-RSASSA-PSS, no parameters */
  TB_KEY_EC,           /* param: curve NID (NID_X9_62_prime256v1, NID_secp384r1,
                          NID_secp521r1, NID_secp256k1, NID_X9_62_prime192v1,
                          NID_brainpoolP256r1, ...) */
  TB_KEY_EC_EXPLICIT,  /* param: curve NID; SPKI carries explicit parameters */
  TB_KEY_ED25519,      /* param ignored */
  TB_KEY_ED448         /* param ignored */
} tb_keytype;

/* tb_key is a key pair for tests. */
typedef struct tb_key tb_key;

/* tb_key_new returns the cached key of (|type|, |param|), generating it on
 * first use, so a test binary generates each kind once. The key is owned by
 * the cache and lives until exit: tb_key_free on it is a no-op. NULL (and a
 * message) if the provider cannot make it. Not thread-safe. */
tb_key *tb_key_new(tb_keytype type, int param);
/* tb_key_new_slot is tb_key_new for the |slot|-th distinct key of that kind
 * (slot 0 is tb_key_new's): for "signed by another key" tests. */
tb_key *tb_key_new_slot(tb_keytype type, int param, int slot);
/* tb_key_from_pkey wraps |pkey| (ownership taken); tb_key_free frees it. */
tb_key *tb_key_from_pkey(EVP_PKEY *pkey);
/* tb_key_free frees a key made by tb_key_from_pkey; no-op for cached keys
 * and NULL. */
void tb_key_free(tb_key *k);
/* tb_key_pkey returns the key's EVP_PKEY (owned by |k|). */
EVP_PKEY *tb_key_pkey(const tb_key *k);
/* tb_spki_der returns the DER SubjectPublicKeyInfo of |k| (i2d_PUBKEY). */
int tb_spki_der(const tb_key *k, uint8_t **der, size_t *len) MTK_MUST_CHECK;
/* tb_key_id writes the RFC 5280 4.2.1.2 method (1) key identifier of |k|:
 * SHA-1 of the subjectPublicKey BIT STRING value. */
int tb_key_id(const tb_key *k, uint8_t out[20]) MTK_MUST_CHECK;
/* tb_spki_key_id is tb_key_id over a SubjectPublicKeyInfo DER. */
int tb_spki_key_id(const uint8_t *spki, size_t len, uint8_t out[20]) MTK_MUST_CHECK;
/* tb_private_key_pem writes |k| as a PKCS#8 "PRIVATE KEY" PEM (NUL-terminated
 * malloc'ed text; |len| excludes the NUL and may be NULL). */
int tb_private_key_pem(const tb_key *k, char **pem, size_t *len) MTK_MUST_CHECK;

/* ==== signatures ========================================================== */

typedef enum tb_digest {
  TB_MD_DEFAULT = 0, /* SHA-256; none for Ed25519/Ed448 */
  TB_MD_NONE,        /* pure EdDSA */
  TB_MD_MD5,
  TB_MD_SHA1,
  TB_MD_SHA224,
  TB_MD_SHA256,
  TB_MD_SHA384,
  TB_MD_SHA512
} tb_digest;

/* tb_sig_algid writes the signature AlgorithmIdentifier DER that signing
 * with |k| and |md| produces (sha256WithRSAEncryption with NULL params,
 * ecdsa-with-SHA256 without, id-RSASSA-PSS with its parameters, Ed25519 ...). */
int tb_sig_algid(const tb_key *k, tb_digest md, uint8_t **der, size_t *len) MTK_MUST_CHECK;
/* tb_sign signs |data| with |k| and |md| (EVP_DigestSign). */
int tb_sign(const tb_key *k, tb_digest md, const uint8_t *data, size_t len, uint8_t **sig,
            size_t *sig_len) MTK_MUST_CHECK;
/* tb_wrap_signed writes SEQUENCE { tbs, algid, BIT STRING sig } from
 * complete DER |tbs| and |algid| and the raw signature: the outer shape of
 * both Certificate and CertificationRequest. */
int tb_wrap_signed(const uint8_t *tbs, size_t tbs_len, const uint8_t *algid, size_t algid_len,
                   const uint8_t *sig, size_t sig_len, uint8_t **der, size_t *len) MTK_MUST_CHECK;
/* tb_resign signs a hand-written TBSCertificate (or CertificationRequestInfo)
 * |tbs| with |issuer| and |md| and wraps it. The outer signatureAlgorithm is
 * what tb_sig_algid gives; the TBS is signed as is (its own signature field is
 * not checked against it). */
int tb_resign(const uint8_t *tbs, size_t tbs_len, const tb_key *issuer, tb_digest md,
              uint8_t **der, size_t *len) MTK_MUST_CHECK;
/* tb_signed_tbs finds the first element (the TBS) inside a signed
 * Certificate/CSR |der|; |*tbs| points into |der|. */
int tb_signed_tbs(const uint8_t *der, size_t len, const uint8_t **tbs,
                  size_t *tbs_len) MTK_MUST_CHECK;

/* ==== names =============================================================== */

/* One AttributeTypeAndValue. |type| is a short name ("CN") or dotted OID;
 * |tag| the string type (0 = PrintableString for C, serialNumber,
 * dnQualifier, jurisdictionC; IA5String for emailAddress and DC;
 * UTF8String otherwise); |value| any bytes. With |same_rdn| it joins the
 * previous attribute's RDN (a multi-valued RDN). */
typedef struct tb_name_attr {
  char *type;
  mtk_tag tag;
  uint8_t *value;
  size_t len;
  bool same_rdn;
} tb_name_attr;

/* tb_name is a Name as an ordered list of attributes (RDNs in order, first
 * = most significant, as encoded). It owns copies of everything. Zero-init
 * is an empty name; tb_name_clear frees. |raw|, when set with
 * tb_name_set_raw, replaces the whole encoding. Multi-valued RDN members are
 * sorted into DER order unless |unsorted|. */
typedef struct tb_name {
  tb_name_attr *v;
  size_t n, cap;
  uint8_t *raw;
  size_t raw_len;
  bool unsorted;
} tb_name;

void tb_name_add(tb_name *n, const char *type, const char *value);
void tb_name_add_ex(tb_name *n, const char *type, mtk_tag tag, const void *value, size_t len,
                    bool same_rdn);
void tb_name_set_raw(tb_name *n, const void *der, size_t len);
void tb_name_copy(tb_name *dst, const tb_name *src);
void tb_name_clear(tb_name *n);
bool tb_name_empty(const tb_name *n);
/* tb_der_name appends the Name DER; tb_name_der returns it alone. */
void tb_der_name(tb_buf *b, const tb_name *n);
int tb_name_der(const tb_name *n, uint8_t **der, size_t *len) MTK_MUST_CHECK;

/* ==== general names ======================================================= */

typedef enum tb_gn_type {
  TB_GN_OTHER = 0, /* [0] otherName: |oid| + |data| (the complete DER of the
                      value that goes inside [0] EXPLICIT) */
  TB_GN_EMAIL = 1, /* [1] rfc822Name */
  TB_GN_DNS = 2,   /* [2] dNSName */
  TB_GN_DIRNAME = 4, /* [4] directoryName: |dirname| */
  TB_GN_URI = 6,   /* [6] uniformResourceIdentifier */
  TB_GN_IP = 7,    /* [7] iPAddress: 4 or 16 octets (8/32 in name constraints) */
  TB_GN_RID = 8,   /* [8] registeredID: |oid| */
  TB_GN_RAW = 100  /* |data| is a complete GeneralName element */
} tb_gn_type;

/* A GeneralName to be encoded. Pointers are borrowed until the builder
 * returns; the tb_gn_* constructors fill one by value. */
typedef struct tb_gn {
  tb_gn_type type;
  const uint8_t *data;
  size_t len;
  const char *oid;
  const tb_name *dirname;
  uint8_t ip[32];
} tb_gn;

tb_gn tb_gn_dns(const char *s);
tb_gn tb_gn_dns_n(const void *p, size_t len);
tb_gn tb_gn_email(const char *s);
tb_gn tb_gn_uri(const char *s);
tb_gn tb_gn_ip(const void *octets, size_t len); /* len <= 32 */
tb_gn tb_gn_ip_text(const char *s);            /* "192.0.2.1" / "2001:db8::1"; aborts if bad */
tb_gn tb_gn_dirname(const tb_name *n);
tb_gn tb_gn_rid(const char *oid);
tb_gn tb_gn_othername(const char *oid, const void *value_der, size_t len);
tb_gn tb_gn_raw(const void *der, size_t len);
/* tb_gn_str_n returns a string-typed GeneralName of |type| with any bytes. */
tb_gn tb_gn_str_n(tb_gn_type type, const void *p, size_t len);

void tb_der_general_name(tb_buf *b, const tb_gn *g);
void tb_der_general_names(tb_buf *b, const tb_gn *g, size_t n); /* SEQUENCE OF */

/* ==== extensions ========================================================== */

/* One Extension. Either (|oid|, |critical|, |value| = the extnValue
 * contents, i.e. the DER of the extension's own ASN.1 value), or |element|
 * set: |value| is then a complete Extension element written as is (for
 * explicit critical FALSE, BOOLEAN 0x01, ...), or |auto_kind| set: SKI/AKI
 * computed from the certificate's keys at build time. */
typedef enum tb_ext_auto { TB_EXT_NOT_AUTO = 0, TB_EXT_AUTO_SKI, TB_EXT_AUTO_AKI } tb_ext_auto;

typedef struct tb_ext {
  char *oid;
  bool critical;
  uint8_t *value;
  size_t len;
  bool element;
  tb_ext_auto auto_kind;
} tb_ext;

/* tb_exts is an ordered extension list; duplicates are kept. Zero-init is
 * empty; tb_exts_clear frees. */
typedef struct tb_exts {
  tb_ext *v;
  size_t n, cap;
} tb_exts;

void tb_exts_clear(tb_exts *e);
/* tb_der_extensions appends SEQUENCE OF Extension for |e| (auto entries
 * resolved with |subject_key_id| / |issuer_key_id|, which may be NULL if
 * there are none). */
void tb_der_extensions(tb_buf *b, const tb_exts *e, const uint8_t *subject_key_id,
                       const uint8_t *issuer_key_id);

/* Raw: any OID, any extnValue bytes. */
void tb_ext_add(tb_exts *e, const char *oid, bool critical, const void *value, size_t len);
/* Raw: a complete Extension element. */
void tb_ext_add_element(tb_exts *e, const void *der, size_t len);

/* Builders. Each appends one extension with the DER value RFC 5280 gives. */
void tb_ext_san(tb_exts *e, bool critical, const tb_gn *names, size_t n);       /* 2.5.29.17 */
void tb_ext_ian(tb_exts *e, bool critical, const tb_gn *names, size_t n);       /* 2.5.29.18 */
/* Key usage bits, RFC 5280 4.2.1.3 numbering. */
#define TB_KU_DIGITAL_SIGNATURE (1u << 0)
#define TB_KU_NON_REPUDIATION (1u << 1)
#define TB_KU_KEY_ENCIPHERMENT (1u << 2)
#define TB_KU_DATA_ENCIPHERMENT (1u << 3)
#define TB_KU_KEY_AGREEMENT (1u << 4)
#define TB_KU_KEY_CERT_SIGN (1u << 5)
#define TB_KU_CRL_SIGN (1u << 6)
#define TB_KU_ENCIPHER_ONLY (1u << 7)
#define TB_KU_DECIPHER_ONLY (1u << 8)
void tb_ext_key_usage(tb_exts *e, bool critical, uint32_t bits);                 /* 2.5.29.15 */
#define TB_EKU_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define TB_EKU_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"
#define TB_EKU_CODE_SIGNING "1.3.6.1.5.5.7.3.3"
#define TB_EKU_EMAIL_PROTECTION "1.3.6.1.5.5.7.3.4"
#define TB_EKU_TIME_STAMPING "1.3.6.1.5.5.7.3.8"
#define TB_EKU_OCSP_SIGNING "1.3.6.1.5.5.7.3.9"
#define TB_EKU_ANY "2.5.29.37.0"
void tb_ext_eku(tb_exts *e, bool critical, const char *const *oids, size_t n);   /* 2.5.29.37 */
/* basicConstraints; |pathlen| < 0 omits pathLenConstraint; cA FALSE is
 * omitted (DEFAULT). */
void tb_ext_basic_constraints(tb_exts *e, bool critical, bool ca, int pathlen); /* 2.5.29.19 */
/* SKI/AKI from an explicit key, or resolved at build time (auto): SKI from
 * the subject key, AKI (keyIdentifier only) from the issuer key (the subject
 * key when self-signed). */
void tb_ext_ski(tb_exts *e, bool critical, const tb_key *k);                     /* 2.5.29.14 */
void tb_ext_ski_auto(tb_exts *e, bool critical);
void tb_ext_aki(tb_exts *e, bool critical, const tb_key *issuer);               /* 2.5.29.35 */
void tb_ext_aki_auto(tb_exts *e, bool critical);
/* One DistributionPoint with a fullName URI. */
void tb_ext_crl_dp(tb_exts *e, bool critical, const char *uri);                  /* 2.5.29.31 */
/* AIA with an OCSP and/or a caIssuers URI (either may be NULL). */
void tb_ext_aia(tb_exts *e, bool critical, const char *ocsp_uri, const char *ca_issuers_uri);
#define TB_POLICY_ANY "2.5.29.32.0"
#define TB_POLICY_DV "2.23.140.1.2.1"
#define TB_POLICY_OV "2.23.140.1.2.2"
void tb_ext_policies(tb_exts *e, bool critical, const char *const *oids, size_t n); /* 2.5.29.32 */
/* nameConstraints from GeneralSubtrees (base only) or raw DER value. */
void tb_ext_name_constraints(tb_exts *e, bool critical, const tb_gn *permitted, size_t np,
                             const tb_gn *excluded, size_t nx);                 /* 2.5.29.30 */
void tb_ext_name_constraints_raw(tb_exts *e, bool critical, const void *der, size_t len);
/* TLS feature status_request (OCSP must-staple, RFC 7633). */
void tb_ext_must_staple(tb_exts *e, bool critical);                              /* 1.3.6.1.5.5.7.1.24 */
/* SCT list: |tls_list| is the TLS-encoded SignedCertificateTimestampList,
 * wrapped here in the OCTET STRING RFC 6962 3.3 requires. */
void tb_ext_sct_list(tb_exts *e, bool critical, const void *tls_list, size_t len);
/* CT precertificate poison (critical NULL, RFC 6962 3.1). */
void tb_ext_ct_poison(tb_exts *e);

/* ==== certificates ======================================================== */

#define TB_MAX_SERIAL 64
#define TB_V1 0
#define TB_V2 1
#define TB_V3 2

typedef enum tb_ext_mode {
  TB_EXTS_AUTO = 0, /* the extensions field is present iff the list is non-empty */
  TB_EXTS_OMIT,     /* never present, whatever the list holds */
  TB_EXTS_EMPTY     /* present even if empty (an empty SEQUENCE) */
} tb_ext_mode;

/* tb_cert_spec describes one certificate. tb_cert_spec_default fills the
 * defaults; tb_cert_spec_cleanup frees what the spec owns (names and
 * extensions, which the add functions copy). Keys and the raw override
 * pointers are borrowed and must outlive tb_cert_build. */
typedef struct tb_cert_spec {
  long version;              /* INTEGER value: TB_V3 (default), TB_V1 ... */
  bool version_explicit;     /* write [0] version even when it is v1 */
  uint8_t serial[TB_MAX_SERIAL]; /* INTEGER contents, written as given */
  size_t serial_len;         /* default: 16 fixed positive octets */
  tb_name subject;           /* default CN=test.example.com */
  tb_name issuer;            /* empty = same as subject (use a raw 30 00
                                for an empty issuer Name) */
  int64_t not_before, not_after;  /* default TB_DEFAULT_NOT_BEFORE/AFTER */
  tb_timefmt not_before_fmt, not_after_fmt;
  const char *not_before_text;    /* if set: time contents as given */
  const char *not_after_text;     /* (tag from *_fmt; AUTO = UTCTime) */
  tb_key *subject_key;       /* NULL = tb_key_new(TB_KEY_EC, P-256) */
  tb_key *issuer_key;        /* NULL = self-signed with subject_key */
  tb_digest digest;          /* TB_MD_DEFAULT */
  tb_exts exts;
  tb_ext_mode ext_mode;
  /* Malformed-input overrides (borrowed; NULL/0 = normal). */
  const uint8_t *spki_der;   /* replaces subjectPublicKeyInfo */
  size_t spki_len;
  const uint8_t *tbs_sig_alg_der;   /* replaces TBS signature AlgorithmIdentifier */
  size_t tbs_sig_alg_len;
  const uint8_t *outer_sig_alg_der; /* replaces outer signatureAlgorithm */
  size_t outer_sig_alg_len;
  const uint8_t *issuer_uid; /* [1] issuerUniqueID BIT STRING data (0 unused) */
  size_t issuer_uid_len;
  const uint8_t *subject_uid; /* [2] subjectUniqueID */
  size_t subject_uid_len;
  bool corrupt_signature;    /* flip the low bit of the last signature octet */
} tb_cert_spec;

/* 2025-01-01T00:00:00Z and 2025-04-01T00:00:00Z (90 days). */
#define TB_DEFAULT_NOT_BEFORE INT64_C(1735689600)
#define TB_DEFAULT_NOT_AFTER INT64_C(1743465600)

void tb_cert_spec_default(tb_cert_spec *s);
void tb_cert_spec_cleanup(tb_cert_spec *s);
/* tb_cert_spec_set_serial sets the serial INTEGER contents (as given). */
void tb_cert_spec_set_serial(tb_cert_spec *s, const void *content, size_t len);
/* tb_cert_spec_ca turns |s| into a CA: subject CN=|cn| (replacing it),
 * basicConstraints critical cA TRUE (pathLen unless |pathlen| < 0), keyUsage
 * critical keyCertSign|cRLSign, SKI auto, AKI auto (for a self-signed root
 * that is its own key id). Set |s|->issuer and issuer_key for an
 * intermediate. */
void tb_cert_spec_ca(tb_cert_spec *s, const char *cn, int pathlen);
/* tb_cert_spec_leaf turns |s| into a TLS leaf: subject CN=|dns| (replacing
 * it), SAN dNSName |dns|, keyUsage critical digitalSignature, EKU serverAuth
 * + clientAuth, basicConstraints critical with cA FALSE (an empty SEQUENCE),
 * SKI auto, AKI auto. Extensions are appended to what |s| has. */
void tb_cert_spec_leaf(tb_cert_spec *s, const char *dns);

/* tb_cert_build_tbs writes the TBSCertificate of |s|. */
int tb_cert_build_tbs(const tb_cert_spec *s, uint8_t **der, size_t *len) MTK_MUST_CHECK;
/* tb_cert_build writes the signed Certificate of |s|. */
int tb_cert_build(const tb_cert_spec *s, uint8_t **der, size_t *len) MTK_MUST_CHECK;

/* ==== certification requests (PKCS#10, RFC 2986) ========================== */

/* tb_csr_spec describes one CSR; same ownership rules as tb_cert_spec.
 * Attributes are written, in DER order unless |attrs_unsorted|, from:
 * challengePassword, unstructuredName, extensionRequest (per |ext_mode|:
 * AUTO = iff |exts| is non-empty), then |raw_attrs| (complete Attribute
 * elements). */
typedef struct tb_csr_spec {
  long version;              /* 0 */
  tb_name subject;           /* default CN=test.example.com */
  tb_key *key;               /* NULL = P-256 */
  tb_digest digest;
  tb_exts exts;
  tb_ext_mode ext_mode;
  const char *challenge_password; /* PrintableString if printable, else UTF8 */
  const char *unstructured_name;
  const tb_bytes *raw_attrs;
  size_t n_raw_attrs;
  bool attrs_unsorted;
  const uint8_t *spki_der;   /* replaces subjectPKInfo */
  size_t spki_len;
  bool corrupt_signature;    /* flip the low bit of the last signature octet */
} tb_csr_spec;

void tb_csr_spec_default(tb_csr_spec *s);
void tb_csr_spec_cleanup(tb_csr_spec *s);
int tb_csr_build_info(const tb_csr_spec *s, uint8_t **der, size_t *len) MTK_MUST_CHECK;
int tb_csr_build(const tb_csr_spec *s, uint8_t **der, size_t *len) MTK_MUST_CHECK;

/* ==== patching and output ================================================= */

/* tb_replace_bytes replaces the first occurrence of |find| in |*der| by
 * |repl| (reallocating |*der|, updating |*len|). Enclosing lengths are NOT
 * fixed up: replace with equal lengths, or do so on purpose. -1 if absent. */
int tb_replace_bytes(uint8_t **der, size_t *len, const void *find, size_t flen,
                     const void *repl, size_t rlen) MTK_MUST_CHECK;
/* tb_pem encodes |der| as a PEM block "-----BEGIN |label|-----" with 64
 * column base64 (NUL-terminated malloc'ed text, |pem_len| may be NULL). */
void tb_pem(const char *label, const uint8_t *der, size_t len, char **pem, size_t *pem_len);
int tb_write_pem(const char *label, const uint8_t *der, size_t len, FILE *f) MTK_MUST_CHECK;
/* tb_write_file writes |len| bytes to |path| (for fixtures of CLI tests). */
int tb_write_file(const char *path, const void *data, size_t len) MTK_MUST_CHECK;

#endif

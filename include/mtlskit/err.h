/* mtlskit/err.h: status codes, and the diagnostics every decoder fills.
 *
 * One return convention for the whole library: a fallible function returns an
 * mtk_status (MTK_OK is 0) and writes its results through out-parameters.
 * Decoders also take an mtk_diag, which records, on failure, the byte offset
 * and the path of the element that failed ("tbsCertificate.extensions[3]
 * .extnValue"), and, on success, every tolerated non-DER encoding met on the
 * way ("quirks"), so that the linter can report them.
 *
 * The list of codes is append-only: the numeric values are part of the ABI and
 * of the JSON output. */
#ifndef MTLSKIT_ERR_H
#define MTLSKIT_ERR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MTK_MUST_CHECK __attribute__((warn_unused_result))
#define MTK_EXPORT __attribute__((visibility("default")))
#define MTK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MTK_MUST_CHECK
#define MTK_EXPORT
#define MTK_PRINTF(f, a)
#endif

/* X(name, value, short message). Grouped by area; never renumber. */
#define MTK_STATUS_LIST(X)                                                   \
  X(MTK_OK, 0, "success")                                                    \
  /* general 1.. */                                                          \
  X(MTK_ERR_INTERNAL, 1, "internal error")                                   \
  X(MTK_ERR_NOMEM, 2, "out of memory")                                       \
  X(MTK_ERR_LIMIT, 3, "a size or count limit was exceeded")                  \
  X(MTK_ERR_ARG, 4, "invalid argument")                                      \
  X(MTK_ERR_BUFFER, 5, "output buffer too small")                            \
  /* DER 100.. */                                                            \
  X(MTK_ERR_DER_TRUNCATED, 100, "truncated: element extends past its parent") \
  X(MTK_ERR_DER_TAG, 101, "unexpected tag")                                  \
  X(MTK_ERR_DER_HIGH_TAG, 102, "non-minimal or oversized high tag number")   \
  X(MTK_ERR_DER_INDEFINITE, 103, "indefinite length (BER, not DER)")         \
  X(MTK_ERR_DER_LENGTH_NONMINIMAL, 104, "length not in its shortest form")   \
  X(MTK_ERR_DER_LENGTH_TOO_LONG, 105, "length field of more than 4 octets")  \
  X(MTK_ERR_DER_TRAILING, 106, "trailing data after the element")            \
  X(MTK_ERR_DER_DEPTH, 107, "nesting deeper than the limit")                 \
  X(MTK_ERR_DER_INTEGER, 108, "malformed INTEGER")                           \
  X(MTK_ERR_DER_BOOLEAN, 109, "malformed BOOLEAN")                           \
  X(MTK_ERR_DER_OID, 110, "malformed OBJECT IDENTIFIER")                     \
  X(MTK_ERR_DER_BITSTRING, 111, "malformed BIT STRING")                      \
  X(MTK_ERR_DER_TIME, 112, "malformed time")                                 \
  X(MTK_ERR_DER_STRING, 113, "malformed string")                             \
  X(MTK_ERR_DER_NULL, 114, "malformed NULL")                                 \
  X(MTK_ERR_DER_CONSTRUCTED, 115, "constructed form where primitive is required") \
  X(MTK_ERR_DER_EMPTY, 116, "empty where content is required")               \
  X(MTK_ERR_DER_RANGE, 117, "value out of range")                            \
  /* input (PEM, base64, PKCS#7) 200.. */                                    \
  X(MTK_ERR_PEM_BASE64, 200, "malformed base64")                             \
  X(MTK_ERR_PEM_UNTERMINATED, 201, "PEM block has no END line")              \
  X(MTK_ERR_PEM_LABEL, 202, "PEM BEGIN and END labels differ")               \
  X(MTK_ERR_PEM_NOTHING, 203, "no certificate, CSR, key or CRL found")       \
  X(MTK_ERR_PEM_HEADERS, 204, "malformed PEM header lines")                  \
  X(MTK_ERR_PKCS7, 205, "malformed PKCS#7 bundle")                           \
  X(MTK_ERR_INPUT_TOO_LARGE, 206, "input larger than the limit")             \
  /* X.509 structure 300.. */                                                \
  X(MTK_ERR_X509_VERSION, 300, "invalid version")                            \
  X(MTK_ERR_X509_ALGID, 301, "malformed AlgorithmIdentifier")                \
  X(MTK_ERR_X509_NAME, 302, "malformed Name")                                \
  X(MTK_ERR_X509_VALIDITY, 303, "malformed Validity")                        \
  X(MTK_ERR_X509_SPKI, 304, "malformed SubjectPublicKeyInfo")                \
  X(MTK_ERR_X509_EXTENSION, 305, "malformed extension")                      \
  X(MTK_ERR_X509_GENERALNAME, 306, "malformed GeneralName")                  \
  X(MTK_ERR_X509_UNIQUEID, 307, "unique identifier not allowed here")        \
  X(MTK_ERR_X509_ATTRIBUTE, 308, "malformed CSR attribute")                  \
  X(MTK_ERR_X509_NOT_CERT, 309, "not a certificate")                         \
  X(MTK_ERR_X509_NOT_CSR, 310, "not a certificate request")                  \
  X(MTK_ERR_X509_SCT, 311, "malformed signed certificate timestamp list")    \
  /* keys and signatures (OpenSSL) 400.. */                                  \
  X(MTK_ERR_KEY_PARSE, 400, "the key could not be parsed")                   \
  X(MTK_ERR_KEY_UNSUPPORTED, 401, "unsupported key type")                    \
  X(MTK_ERR_SIG_INVALID, 402, "signature does not verify")                   \
  X(MTK_ERR_SIG_UNSUPPORTED, 403, "unsupported signature algorithm")         \
  X(MTK_ERR_CRYPTO, 404, "cryptographic library error")                      \
  /* I/O and usage 500.. */                                                  \
  X(MTK_ERR_IO, 500, "I/O error")                                            \
  X(MTK_ERR_USAGE, 501, "usage error")                                       \
  /* chain verification (verify.h) 700.. */                                 \
  X(MTK_ERR_CHAIN_NO_ISSUER, 700, "no issuer certificate found")             \
  X(MTK_ERR_CHAIN_UNTRUSTED, 701, "the chain does not end at a trusted certificate") \
  X(MTK_ERR_CHAIN_SIGNATURE, 702, "a certificate signature does not verify") \
  X(MTK_ERR_CHAIN_EXPIRED, 703, "a certificate has expired")                 \
  X(MTK_ERR_CHAIN_NOT_YET_VALID, 704, "a certificate is not yet valid")      \
  X(MTK_ERR_CHAIN_NOT_CA, 705, "an issuer is not a CA")                      \
  X(MTK_ERR_CHAIN_KEY_USAGE, 706, "key usage does not allow this use")       \
  X(MTK_ERR_CHAIN_EKU, 707, "extended key usage does not allow this purpose") \
  X(MTK_ERR_CHAIN_PATHLEN, 708, "a path length constraint is exceeded")      \
  X(MTK_ERR_CHAIN_DEPTH, 709, "the chain is longer than the maximum depth")  \
  X(MTK_ERR_CHAIN_NAME_CONSTRAINTS, 710, "a name violates the name constraints") \
  X(MTK_ERR_CHAIN_REVOKED, 711, "a certificate is revoked")                  \
  X(MTK_ERR_CHAIN_CRL, 712, "no valid CRL for a certificate")                \
  X(MTK_ERR_CHAIN_NAME_MISMATCH, 713, "the certificate does not match the expected name") \
  X(MTK_ERR_CHAIN_PROFILE, 714, "a certificate breaks the certificate profile") \
  X(MTK_ERR_CHAIN_KEY, 715, "a forbidden or weak public key")                \
  X(MTK_ERR_CHAIN_CRITICAL_EXT, 716, "an unknown critical extension")        \
  X(MTK_ERR_CHAIN_MALFORMED, 717, "a certificate could not be parsed")       \
  X(MTK_ERR_CHAIN_POLICY, 718, "certificate policy processing failed")       \
  X(MTK_ERR_CHAIN_LIMIT, 719, "path building stopped at its work limit")     \
  X(MTK_ERR_CHAIN_SIG_ALG, 720, "a forbidden or inconsistent signature algorithm") \
  X(MTK_ERR_CHAIN_OTHER, 721, "OpenSSL reported another verification error")                                      \
  /* development PKI (pki.h) 800.. */                                        \
  X(MTK_ERR_PKI_POLICY, 800, "refused by the issuing policy")                \
  X(MTK_ERR_PKI_NAME, 801, "not a valid name for a certificate")             \
  X(MTK_ERR_PKI_WEAK_KEY, 802, "key type or size not allowed")               \
  X(MTK_ERR_PKI_NOT_CA, 803, "not a usable CA certificate and key")          \
  X(MTK_ERR_PKI_SELF_CHECK, 804, "the issued object failed its own checks")  \
  X(MTK_ERR_PKI_EXISTS, 805, "the file exists (not overwritten)")          \
  /* service identity (identity.h) and access rules (authz.h) 600.. */      \
  X(MTK_ERR_IDENTITY_REF, 600, "malformed reference identifier")            \
  X(MTK_ERR_IDENTITY_IDNA, 601, "reference is not a valid IDNA2008 name")    \
  X(MTK_ERR_AUTHZ_RULE, 610, "malformed access rule")                       \
  X(MTK_ERR_AUTHZ_KIND, 611, "unknown access rule type")                    \
  X(MTK_ERR_AUTHZ_SPIFFE, 612, "malformed SPIFFE ID in an access rule")   \
  /* PROXY protocol v2 (ppv2.h) 900.. */                                    \
  X(MTK_ERR_PPV2_SIGNATURE, 900, "not a PROXY protocol v2 header")          \
  X(MTK_ERR_PPV2_TRUNCATED, 901, "PROXY protocol v2 header incomplete")     \
  X(MTK_ERR_PPV2_VERSION, 902, "unsupported PROXY protocol version or command") \
  X(MTK_ERR_PPV2_FAMILY, 903, "unsupported PROXY protocol address family")  \
  X(MTK_ERR_PPV2_LENGTH, 904, "PROXY header length too short for its addresses") \
  X(MTK_ERR_PPV2_TLV, 905, "malformed PROXY protocol TLV")                  \
  X(MTK_ERR_PPV2_SSL_TLV, 906, "malformed PROXY protocol SSL TLV")          \
  X(MTK_ERR_PPV2_DUPLICATE, 907, "a PROXY protocol TLV appears twice")      \
  X(MTK_ERR_PPV2_CRC, 908, "PROXY protocol CRC32C does not match")          \
  X(MTK_ERR_PPV2_TOO_LONG, 909, "PROXY header would exceed 65535 bytes")

typedef enum mtk_status {
#define MTK_X_ENUM(name, value, msg) name = value,
  MTK_STATUS_LIST(MTK_X_ENUM)
#undef MTK_X_ENUM
} mtk_status;

/* mtk_status_name returns the symbolic name of |s| ("MTK_ERR_DER_TAG"), or
 * "MTK_ERR_UNKNOWN". The string is static. */
MTK_EXPORT const char *mtk_status_name(mtk_status s);

/* mtk_status_message returns a short English message for |s|. Static. */
MTK_EXPORT const char *mtk_status_message(mtk_status s);

/* ---- diagnostics --------------------------------------------------------- */

#define MTK_PATH_MAX 160
#define MTK_DETAIL_MAX 128
#define MTK_MAX_QUIRKS 32

/* Tolerated deviations from DER (and from the X.509 profile's encoding
 * rules). Each is decoded as its evident meaning and reported; none is ever
 * accepted silently. X(name, value, lint id, explanation). Append-only. */
#define MTK_QUIRK_LIST(X)                                                     \
  X(MTK_QUIRK_BOOL_NOT_FF, 1, "e_der_boolean_true_not_ff",                    \
    "a BOOLEAN TRUE is not encoded as 0xFF (DER, X.690 11.1)")                \
  X(MTK_QUIRK_DEFAULT_ENCODED, 2, "e_der_default_value_encoded",              \
    "a field equal to its DEFAULT value is encoded; DER omits it (X.690 11.5)") \
  X(MTK_QUIRK_BITSTRING_TRAILING_ZERO, 3, "e_der_named_bits_trailing_zero",   \
    "a named-bit BIT STRING has trailing zero bits; DER removes them (X.690 11.2.2)") \
  X(MTK_QUIRK_SET_NOT_SORTED, 4, "e_der_set_of_not_sorted",                   \
    "the values of a SET OF are not in DER order (X.690 11.6)")               \
  X(MTK_QUIRK_PRINTABLE_CHARSET, 5, "e_der_printablestring_charset",          \
    "a PrintableString holds characters outside its alphabet (X.680 41.4)")   \
  X(MTK_QUIRK_IA5_CHARSET, 6, "e_der_ia5string_charset",                      \
    "an IA5String holds octets above 0x7F")                                   \
  X(MTK_QUIRK_UTF8_INVALID, 7, "e_der_utf8string_invalid",                    \
    "a UTF8String is not valid UTF-8")                                        \
  X(MTK_QUIRK_BMP_ODD, 8, "e_der_bmpstring_invalid",                          \
    "a BMPString has an odd length or a surrogate")                           \
  X(MTK_QUIRK_INTEGER_NEGATIVE, 9, "e_serial_negative",                       \
    "a serial number is negative (RFC 5280 4.1.2.2)")                         \
  X(MTK_QUIRK_INTEGER_PADDED, 10, "e_der_integer_not_minimal",                \
    "an INTEGER has a redundant leading octet (X.690 8.3.2)")                 \
  X(MTK_QUIRK_NULL_PARAMS_MISSING, 11, "w_algid_rsa_params_absent",           \
    "an RSA AlgorithmIdentifier omits its NULL parameters (RFC 4055 / 3279)") \
  X(MTK_QUIRK_TIME_NO_SECONDS, 12, "e_der_time_without_seconds",              \
    "a time omits its seconds (RFC 5280 4.1.2.5.1 requires them)")            \
  X(MTK_QUIRK_TIME_NOT_Z, 13, "e_der_time_not_utc",                           \
    "a time has a zone offset instead of Z (RFC 5280 4.1.2.5)")               \
  X(MTK_QUIRK_GENTIME_BEFORE_2050, 14, "e_gentime_before_2050",               \
    "a date before 2050 is a GeneralizedTime; RFC 5280 4.1.2.5 requires UTCTime") \
  X(MTK_QUIRK_TELETEX_STRING, 15, "w_teletexstring_used",                     \
    "a TeletexString is used; its meaning is uncertain (read as Latin-1)")    \
  X(MTK_QUIRK_UNIVERSAL_STRING, 16, "w_universalstring_used",                 \
    "a UniversalString is used (deprecated by RFC 5280 4.1.2.4)")             \
  X(MTK_QUIRK_EMPTY_EXTENSIONS, 17, "e_empty_extensions_sequence",            \
    "the extensions field is present but empty (RFC 5280 4.1: SIZE (1..MAX))") \
  X(MTK_QUIRK_EXPLICIT_V1, 18, "e_der_default_version_encoded",               \
    "version v1 is encoded explicitly; it is the DEFAULT and DER omits it")   \
  X(MTK_QUIRK_FRACTIONAL_TIME, 19, "e_der_time_fractional_seconds",           \
    "a GeneralizedTime has fractional seconds (RFC 5280 4.1.2.5.2 forbids)")

typedef enum mtk_quirk_kind {
  MTK_QUIRK_NONE = 0,
#define MTK_X_ENUM(name, value, id, msg) name = value,
  MTK_QUIRK_LIST(MTK_X_ENUM)
#undef MTK_X_ENUM
} mtk_quirk_kind;

/* mtk_quirk_id returns the stable lint id of |k| ("e_der_boolean_true_not_ff"). */
MTK_EXPORT const char *mtk_quirk_id(mtk_quirk_kind k);
/* mtk_quirk_message returns the one-line explanation of |k|. */
MTK_EXPORT const char *mtk_quirk_message(mtk_quirk_kind k);

typedef struct mtk_quirk {
  mtk_quirk_kind kind;
  size_t offset;             /* absolute byte offset of the element */
  char path[MTK_PATH_MAX];   /* element path, NUL-terminated */
} mtk_quirk;

typedef struct mtk_error {
  mtk_status code;
  size_t offset;              /* absolute byte offset where it failed */
  char path[MTK_PATH_MAX];    /* element path, NUL-terminated, may be "" */
  char detail[MTK_DETAIL_MAX];/* e.g. "length 0x1f3 exceeds parent (0x40 left)" */
} mtk_error;

/* mtk_diag is the caller-owned context of one decode: the current element
 * path (a stack of components), the first error, and the quirks met.
 * Zero-initialise it (or call mtk_diag_init) before use. It holds no heap
 * memory and needs no cleanup. */
typedef struct mtk_diag {
  char path[MTK_PATH_MAX];
  size_t path_len;
  size_t path_truncated;      /* 0, or the path length when a push did not
                                fit: the path ends in "..." and further
                                pushes are refused until popped below it */
  mtk_error err;
  mtk_quirk quirks[MTK_MAX_QUIRKS];
  size_t n_quirks;
  size_t quirks_dropped;      /* quirks beyond MTK_MAX_QUIRKS, counted only */
} mtk_diag;

MTK_EXPORT void mtk_diag_init(mtk_diag *d);

/* mtk_diag_push appends a path component ("tbsCertificate", "[3]",
 * "extnValue"), with a '.' separator unless it starts with '['. It returns
 * the previous length, to be given back to mtk_diag_pop. |d| may be NULL. */
MTK_EXPORT size_t mtk_diag_push(mtk_diag *d, const char *fmt, ...) MTK_PRINTF(2, 3);
MTK_EXPORT void mtk_diag_pop(mtk_diag *d, size_t mark);

/* mtk_diag_fail records the error |code| at absolute |offset| with the current
 * path and a printf-style detail, unless an error is already recorded (the
 * innermost error wins). It returns |code|, so that `return mtk_diag_fail(...)`
 * reads naturally. |d| may be NULL. */
MTK_EXPORT mtk_status mtk_diag_fail(mtk_diag *d, mtk_status code, size_t offset,
                                    const char *fmt, ...) MTK_PRINTF(4, 5);

/* mtk_diag_quirk records a tolerated deviation at |offset| with the current
 * path. |d| may be NULL. */
MTK_EXPORT void mtk_diag_quirk(mtk_diag *d, mtk_quirk_kind kind, size_t offset);

/* mtk_error_format writes "path: detail (code message) at offset 0x..." into
 * |buf| (always NUL-terminated when |cap| > 0). */
MTK_EXPORT void mtk_error_format(const mtk_error *e, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_ERR_H */

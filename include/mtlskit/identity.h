/* mtlskit/identity.h: service identity, RFC 9525 (and RFC 6125 as a named
 * legacy mode): does a certificate identify the service a client meant?
 *
 * Two steps, kept apart on purpose (RFC 9525 6.1.1: reference identifiers
 * are built "independently" of the certificate):
 *
 *   1. mtk_ref_parse_dns / _ip / _srv / _uri turn what the user or the
 *      configuration names into a parsed reference (mtk_ref): the kind and
 *      normalised bytes in caller storage. This is where text is judged
 *      (strict IP syntax, LDH labels, IDNA2008 U-label to A-label conversion
 *      with libidn2). It may fail, with MTK_ERR_IDENTITY_REF or
 *      MTK_ERR_IDENTITY_IDNA and a detail in the mtk_diag.
 *   2. mtk_identity_match compares the parsed references with the presented
 *      identifiers of a parsed certificate (x509.h). It is a pure function:
 *      no allocation, no I/O, no clock, no global state; every name is a
 *      (pointer, length) view, never a C string.
 *
 * The rules, each with its RFC section, are listed at the top of
 * lib/identity.c and summarised in docs/identity.md; the unit test has one
 * test per rule. In brief, by default (RFC 9525):
 *   - a reference is compared only with SAN entries of its own type (DNS-ID
 *     with dNSName, IP-ID with iPAddress, SRV-ID with the SRVName otherName,
 *     URI-ID with uniformResourceIdentifier); the subject CN is never used;
 *   - DNS names compare label by label, ASCII case-insensitively; a wildcard
 *     is only a whole leftmost "*" label, matches exactly one label, and
 *     needs at least two labels after it;
 *   - IP addresses compare as octets, lengths included (an IPv4-mapped IPv6
 *     address is not the IPv4 address);
 *   - a malformed presented identifier (embedded NUL, non-ASCII, trailing
 *     dot, bad wildcard, wrong IP length, URI without a host ...) is skipped
 *     and never matches; the others are still tried.
 * MTK_ID_RFC6125 adds what RFC 6125 allowed as MAY: partial-label wildcards
 * ("baz*", "*baz", "b*z"; never in or against an "xn--" label), and the
 * subject CN as a DNS-ID of last resort, only when the certificate has no
 * DNS, SRV, URI or IP SAN at all.
 *
 * The low-level comparisons the verifier needs (mtk_dns_match, mtk_ip_match,
 * mtk_srv_match, mtk_uri_match) and the strict text parsers (mtk_ip_parse,
 * mtk_uri_split) are exported as well. */
#ifndef MTLSKIT_IDENTITY_H
#define MTLSKIT_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- flags --------------------------------------------------------------- */

/* MTK_ID_RFC6125: the RFC 6125 legacy mode (partial-label wildcards, CN-ID
 * fallback). Off by default; RFC 9525 obsoletes RFC 6125. */
#define MTK_ID_RFC6125 0x1u
/* MTK_ID_NO_WILDCARDS: no presented wildcard matches (a protocol may
 * disallow them, RFC 9525 3). */
#define MTK_ID_NO_WILDCARDS 0x2u
/* MTK_ID_VERDICT_ONLY: mtk_identity_match decides, but does not fill the
 * per-identifier reasons of a failed match (the fast path of a verifier). */
#define MTK_ID_VERDICT_ONLY 0x4u

/* ---- reasons --------------------------------------------------------------- */

/* Why a presented identifier matched, did not match, or was skipped.
 * X(name, stable id, text). The ids are part of the output; append only. */
#define MTK_ID_REASON_LIST(X)                                                       \
  X(MTK_IDR_NONE, "none", "not compared")                                           \
  X(MTK_IDR_MATCH, "match", "exact match")                                        \
  X(MTK_IDR_MATCH_WILDCARD, "match_wildcard", "matches by wildcard (RFC 9525 6.3)") \
  X(MTK_IDR_MATCH_PARTIAL, "match_partial_wildcard",                                \
    "matches by partial-label wildcard (RFC 6125 6.4.3, legacy mode)")              \
  X(MTK_IDR_MATCH_CN, "match_cn",                                                   \
    "matches the subject CN (RFC 6125 6.4.4 fallback, legacy mode)")                \
  X(MTK_IDR_DIFFERENT, "different_name", "different name")                          \
  X(MTK_IDR_WILDCARD_ONE_LABEL, "wildcard_one_label",                               \
    "a wildcard matches exactly one label (RFC 9525 6.3)")                          \
  X(MTK_IDR_DIFFERENT_TYPE, "different_type",                                       \
    "different type: compared only with references of its own type (RFC 9525 6.2)") \
  X(MTK_IDR_IP_DIFFERENT, "different_address", "different address")                 \
  X(MTK_IDR_IP_MAPPED, "ipv4_mapped", "IPv4-mapped IPv6 is not IPv4 (RFC 9525 6.4)") \
  X(MTK_IDR_IP_FAMILY, "address_family", "IPv4 and IPv6 addresses never match")     \
  X(MTK_IDR_IP_IN_DNS, "ip_in_dns_name",                                            \
    "a dNSName holding an IP address is not an IP-ID (RFC 9525 6.2)")               \
  X(MTK_IDR_SERVICE_DIFFERS, "service_differs",                                     \
    "different SRV service name (RFC 9525 6.5)")                                    \
  X(MTK_IDR_SCHEME_DIFFERS, "scheme_differs", "different URI scheme (RFC 9525 6.5)") \
  X(MTK_IDR_NOT_SERVICE_ID, "not_service_identity",                                 \
    "not a service identity type (RFC 9525 2)")                                     \
  X(MTK_IDR_CN_IGNORED, "cn_ignored", "CN ignored (RFC 9525 2: never the subject CN)") \
  X(MTK_IDR_CN_SAN_PRESENT, "cn_san_present",                                       \
    "CN not used: the certificate has a DNS, SRV, URI or IP SAN (RFC 6125 6.4.4)")  \
  X(MTK_IDR_CN_NOT_DNS, "cn_not_dns_name", "CN is not a DNS name")                  \
  X(MTK_IDR_EMPTY, "malformed_empty", "malformed: empty")                           \
  X(MTK_IDR_NUL, "malformed_nul", "malformed: embedded NUL")                        \
  X(MTK_IDR_NON_ASCII, "malformed_non_ascii", "malformed: non-ASCII octets")        \
  X(MTK_IDR_TRAILING_DOT, "malformed_trailing_dot",                                 \
    "malformed: trailing dot (RFC 5280 4.2.1.6)")                                   \
  X(MTK_IDR_EMPTY_LABEL, "malformed_empty_label", "malformed: empty label")         \
  X(MTK_IDR_BAD_CHAR, "malformed_character",                                        \
    "malformed: character not allowed in a DNS name (letters, digits, hyphen)")     \
  X(MTK_IDR_HYPHEN, "malformed_hyphen", "malformed: label starts or ends with a hyphen") \
  X(MTK_IDR_TOO_LONG, "malformed_too_long",                                         \
    "malformed: label over 63 or name over 253 octets")                             \
  X(MTK_IDR_IP_LENGTH, "malformed_ip_length",                                       \
    "malformed: iPAddress is not 4 or 16 octets")                                   \
  X(MTK_IDR_WILDCARD_NOT_LEFTMOST, "wildcard_not_leftmost",                         \
    "wildcard not in leftmost label")                                               \
  X(MTK_IDR_WILDCARD_MULTIPLE, "wildcard_multiple", "more than one wildcard")       \
  X(MTK_IDR_WILDCARD_PARTIAL, "wildcard_partial",                                   \
    "partial-label wildcard (RFC 9525 6.3; allowed only in RFC 6125 mode)")         \
  X(MTK_IDR_WILDCARD_TOO_FEW_LABELS, "wildcard_too_few_labels",                     \
    "wildcard needs at least two labels after it")                                  \
  X(MTK_IDR_WILDCARD_A_LABEL, "wildcard_in_a_label",                                \
    "wildcard inside an A-label (RFC 6125 6.4.3)")                                  \
  X(MTK_IDR_PARTIAL_VS_A_LABEL, "partial_wildcard_vs_a_label",                      \
    "a partial wildcard never matches an A-label (RFC 6125 6.4.3)")                 \
  X(MTK_IDR_PARTIAL_EMPTY, "partial_wildcard_empty",                                \
    "a partial wildcard must stand for at least one character")                     \
  X(MTK_IDR_WILDCARD_DISABLED, "wildcards_disabled", "wildcards are disabled")      \
  X(MTK_IDR_WILDCARD_RESTRICTED, "wildcard_restricted",                             \
    "no wildcard in the domain of an SRV-ID or URI-ID")                             \
  X(MTK_IDR_SRV_MALFORMED, "malformed_srv",                                         \
    "malformed SRV-ID: not an IA5String \"_service.domain\" (RFC 4985 2)")          \
  X(MTK_IDR_SRV_IP, "srv_ip_name", "an SRV-ID name is never an IP address (RFC 9525 6.4)") \
  X(MTK_IDR_URI_NO_SCHEME, "uri_no_scheme", "malformed URI: no scheme (RFC 3986 3.1)") \
  X(MTK_IDR_URI_NO_HOST, "uri_no_host",                                             \
    "a URI without a host is not a URI-ID (RFC 9525 7.2)")                          \
  X(MTK_IDR_URI_IP_HOST, "uri_ip_host",                                             \
    "a URI whose host is an IP address is not a URI-ID (RFC 9525 6.2)")             \
  X(MTK_IDR_URI_MALFORMED, "malformed_uri", "malformed URI (RFC 3986)")             \
  X(MTK_IDR_BAD_REFERENCE, "bad_reference", "the reference identifier is not valid")

typedef enum mtk_id_reason {
#define MTK_X_ENUM(name, id, text) name,
  MTK_ID_REASON_LIST(MTK_X_ENUM)
#undef MTK_X_ENUM
  MTK_IDR__COUNT
} mtk_id_reason;

/* mtk_id_reason_text: one English line for |r| (static). */
MTK_EXPORT const char *mtk_id_reason_text(mtk_id_reason r);
/* mtk_id_reason_id: the stable id of |r| ("wildcard_not_leftmost"; static). */
MTK_EXPORT const char *mtk_id_reason_id(mtk_id_reason r);
/* mtk_id_reason_is_match: |r| is one of the MTK_IDR_MATCH* reasons. */
MTK_EXPORT bool mtk_id_reason_is_match(mtk_id_reason r);

/* ---- reference identifiers ----------------------------------------------- */

typedef enum mtk_ref_kind {
  MTK_REF_NONE = 0,
  MTK_REF_DNS,  /* DNS-ID: the whole name is the domain */
  MTK_REF_IP,   /* IP-ID: 4 or 16 octets */
  MTK_REF_SRV,  /* SRV-ID "_service.domain" (RFC 4985) */
  MTK_REF_URI   /* URI-ID: scheme and host (RFC 9525 6.2) */
} mtk_ref_kind;

/* mtk_ref_kind_name: "dns", "ip", "srv", "uri" (static). */
MTK_EXPORT const char *mtk_ref_kind_name(mtk_ref_kind k);

#define MTK_DNS_NAME_MAX 253  /* octets of a name without its trailing dot */
#define MTK_REF_SERVICE_MAX 63

/* mtk_ref is one parsed reference identifier, entirely in caller storage
 * (no pointers: it may be copied, and outlives the text it came from).
 * Fill it only with the mtk_ref_parse_* functions. */
typedef struct mtk_ref {
  mtk_ref_kind kind;
  /* DNS: the name; SRV: the domain after "_service."; URI: the host. In
   * A-label form, lower case, without a trailing dot, NUL-terminated
   * (name_len excludes the NUL). Empty for IP. */
  uint8_t name[MTK_DNS_NAME_MAX + 3];
  size_t name_len;
  /* The input held U-labels, converted to A-labels (IDNA2008). */
  bool converted;
  /* SRV: the service name without its '_' (RFC 6335 5.1 syntax); URI: the
   * scheme. Lower case, NUL-terminated. */
  uint8_t service[MTK_REF_SERVICE_MAX + 1];
  size_t service_len;
  /* IP: the address, 4 or 16 octets. */
  uint8_t ip[16];
  size_t ip_len;
} mtk_ref;

/* mtk_ref_parse_dns parses a DNS-ID reference (9525 6.1.1; rules R4, R5,
 * R15 of lib/identity.c): an FQDN in ASCII (case is folded) or with U-labels
 * (converted to A-labels with libidn2, IDNA2008 nontransitional, NFC input);
 * one trailing dot is removed. Refused (MTK_ERR_IDENTITY_REF, detail in |d|):
 * empty input or labels, characters other than letters, digits, hyphen and
 * dot (so '*', '_', ':', '%', whitespace, NUL), labels over 63 or names over
 * 253 octets, a leading or trailing hyphen, an IPv4 address or a name whose
 * last label is all digits (classify as IP first: 9525 3, 7.4; use
 * mtk_ref_parse_ip). Invalid IDNA input or an invalid "xn--" label:
 * MTK_ERR_IDENTITY_IDNA. On failure |*out| is zeroed. */
MTK_EXPORT mtk_status mtk_ref_parse_dns(const char *text, size_t len, mtk_ref *out,
                                        mtk_diag *d) MTK_MUST_CHECK;

/* mtk_ref_parse_ip parses an IP-ID reference with mtk_ip_parse (strict: no
 * leading zeros, no short IPv4 forms, no zone id, no brackets).
 * MTK_ERR_IDENTITY_REF otherwise. */
MTK_EXPORT mtk_status mtk_ref_parse_ip(const char *text, size_t len, mtk_ref *out,
                                       mtk_diag *d) MTK_MUST_CHECK;

/* mtk_ref_parse_srv parses an SRV-ID reference "_service.domain"
 * (RFC 4985 2, 9525 6.1.1): the service name per RFC 6335 5.1 (1 to 15
 * letters, digits and hyphens, at least one letter, no hyphen at either end
 * or doubled), no "_proto" label, the domain as mtk_ref_parse_dns. */
MTK_EXPORT mtk_status mtk_ref_parse_srv(const char *text, size_t len, mtk_ref *out,
                                        mtk_diag *d) MTK_MUST_CHECK;

/* mtk_ref_parse_uri parses a URI-ID reference (9525 6.2): the scheme and
 * the reg-name host of an absolute URI ("https://www.example.com:8443/x",
 * "sip:user@example.net"); userinfo, port, path, query and fragment are
 * dropped. Refused: no scheme, no host, an IP-literal or IPv4 host (build an
 * IP-ID instead, 9525 6.1.2), anything mtk_uri_split refuses. The host may
 * hold U-labels (an IRI); it is parsed as mtk_ref_parse_dns. */
MTK_EXPORT mtk_status mtk_ref_parse_uri(const char *text, size_t len, mtk_ref *out,
                                        mtk_diag *d) MTK_MUST_CHECK;

/* ---- matching a certificate ------------------------------------------------ */

/* The type of a presented identifier. */
typedef enum mtk_pid_type {
  MTK_PID_DNS = 1,  /* SAN dNSName */
  MTK_PID_IP,       /* SAN iPAddress */
  MTK_PID_SRV,      /* SAN otherName id-on-dnsSRV (1.3.6.1.5.5.7.8.7) */
  MTK_PID_URI,      /* SAN uniformResourceIdentifier */
  MTK_PID_CN,       /* subject commonName */
  MTK_PID_OTHER     /* any other SAN entry (rfc822Name, directoryName, ...) */
} mtk_pid_type;

/* mtk_pid_type_name: "DNS", "IP", "SRV", "URI", "CN", "other" (static). */
MTK_EXPORT const char *mtk_pid_type_name(mtk_pid_type t);

typedef enum mtk_id_verdict {
  MTK_IDV_MATCH = 1,  /* matched a reference */
  MTK_IDV_NO_MATCH,   /* compared with the references of its type; none matched */
  MTK_IDV_SKIPPED     /* not compared: malformed, of another type, or ignored */
} mtk_id_verdict;

/* mtk_id_verdict_name: "match", "no match", "skipped" (static). */
MTK_EXPORT const char *mtk_id_verdict_name(mtk_id_verdict v);

#define MTK_ID_NO_REF ((size_t)-1)

/* One presented identifier and what became of it. |value| is a view into
 * the certificate: the IA5String octets of a dNSName, URI or SRVName, the
 * iPAddress octets, or the CN value octets (|tag| says which string type). */
typedef struct mtk_id_item {
  mtk_pid_type type;
  mtk_gn_type gn_type;  /* the GeneralName type (MTK_PID_OTHER, SAN items) */
  mtk_cbs value;
  mtk_tag tag;          /* CN: the value's string tag; SAN: 0 */
  size_t index;         /* position in the SAN (0-based), or in the subject's
                           attributes for a CN */
  mtk_id_verdict verdict;
  mtk_id_reason reason;
  size_t ref;           /* the reference the reason concerns, or MTK_ID_NO_REF */
} mtk_id_item;

#define MTK_ID_MAX_ITEMS 32

/* The outcome of mtk_identity_match.
 *
 * On a match: |matched|, |ref| (index of the matched reference: the
 * validated identity, 9525 6.6) and |match| (the presented identifier that
 * matched). References are tried in the caller's order (their priority) and,
 * for each, the presented identifiers in certificate order (R9), so |ref| is
 * the first reference that any presented identifier satisfies.
 *
 * On no match (unless MTK_ID_VERDICT_ONLY): |items| lists the first
 * MTK_ID_MAX_ITEMS presented identifiers (SAN entries in order, then subject
 * CNs), each with its verdict and reason; |n_more| counts the rest. Entries
 * of |items| past |n_items| are not written. An identifier is judged
 * against the references of its own type: when it is malformed, that is its
 * reason; when no reference has its type, the reason is "different type"
 * (or MTK_IDR_IP_IN_DNS / MTK_IDR_URI_IP_HOST for an IP written as a name,
 * when an IP reference was given), whatever else may be wrong with it; a
 * CN's reason in strict mode is MTK_IDR_CN_IGNORED.
 *
 * Cost: one pass over the SAN that validates only the entries that could
 * match (same length, or a wildcard); the per-identifier report is built in a
 * second pass, only after a failure. */
typedef struct mtk_match_result {
  bool matched;
  size_t ref;
  mtk_id_item match;
  mtk_id_item items[MTK_ID_MAX_ITEMS];
  size_t n_items;
  size_t n_more;
  bool has_san;          /* the certificate has a SAN extension */
  bool has_service_san;  /* ... with a DNS, SRV, URI or IP entry (R13) */
} mtk_match_result;

/* mtk_identity_match decides whether |cert| (parsed by mtk_cert_parse)
 * identifies the service named by any of the |n| references |refs| (R9,
 * R10: any one match is a match), under |flags| (MTK_ID_*), and fills
 * |*out|. Pure: no allocation, no I/O.
 *
 * Errors (|*out| then says no match): MTK_ERR_ARG (NULL pointers, n == 0, a
 * reference not made by mtk_ref_parse_*), MTK_ERR_X509_EXTENSION (the SAN
 * extension cannot be iterated, or appears twice: fail closed, R11). */
MTK_EXPORT mtk_status mtk_identity_match(const mtk_cert *cert, const mtk_ref *refs, size_t n,
                                         unsigned flags, mtk_match_result *out) MTK_MUST_CHECK;

/* ---- a light SAN walk --------------------------------------------------------- */

/* One entry of a SAN, as the matchers need it. |value| views the certificate:
 * the contents of a string or iPAddress entry; for an otherName, the whole
 * element inside its [0] EXPLICIT (tag included), with |other_oid| the
 * type-id contents and |srv| set for id-on-dnsSRV. */
typedef struct mtk_san_entry {
  mtk_gn_type type;
  mtk_cbs value;
  mtk_cbs other_oid;
  bool srv;
  size_t index;  /* position in the SAN, from 0 */
} mtk_san_entry;

typedef struct mtk_san_iter {
  mtk_cbs rest;
  size_t index;
  bool bad;      /* mtk_san_next stopped on an entry it could not frame */
} mtk_san_iter;

/* mtk_san_iter_init starts a walk over the SAN of |cert| (*present says if
 * there is one; none is an empty walk). MTK_ERR_X509_EXTENSION if the SAN
 * appears twice or is not a SEQUENCE. This walk checks DER framing and the
 * GeneralName choice only, not string contents: it is for matchers over a
 * certificate that mtk_cert_parse accepted (which checked everything), and
 * is several times cheaper than mtk_gn_next. */
MTK_EXPORT mtk_status mtk_san_iter_init(mtk_san_iter *it, const mtk_cert *cert,
                                        bool *present) MTK_MUST_CHECK;
/* mtk_san_next yields the next entry; false at the end, or with |it->bad|
 * set on an entry that cannot be framed (fail closed). */
MTK_EXPORT bool mtk_san_next(mtk_san_iter *it, mtk_san_entry *out);

/* ---- low-level pure functions ------------------------------------------------ */

/* mtk_dns_match: does the presented DNS-ID |presented| (|plen| octets from
 * a dNSName, possibly a wildcard pattern) match the reference name |ref|
 * (|reflen| octets: mtk_ref.name, lower-case A-labels without a trailing
 * dot)? Applies every DNS rule (R14-R17, W1-W7, and L1-L4 with
 * MTK_ID_RFC6125). |*reason| (may be NULL) gets the MTK_IDR_MATCH* reason or
 * why not. A reference that is not a valid name (empty, '*', bad labels)
 * never matches (MTK_IDR_BAD_REFERENCE). */
MTK_EXPORT bool mtk_dns_match(const uint8_t *ref, size_t reflen, const uint8_t *presented,
                              size_t plen, unsigned flags, mtk_id_reason *reason);

/* mtk_dns_presented_check: is |p| a well-formed presented DNS-ID under
 * |flags| (R17, W2, W6, L1, L3, L4)? MTK_IDR_NONE if so, else the reason it
 * is malformed. With |allow_wildcard| false any '*' is refused
 * (MTK_IDR_WILDCARD_RESTRICTED). */
MTK_EXPORT mtk_id_reason mtk_dns_presented_check(const uint8_t *p, size_t len, unsigned flags,
                                                 bool allow_wildcard);

/* mtk_ip_match: the iPAddress octets |presented| equal the reference
 * address |ref| (4 or 16 octets), lengths included (I1-I4). */
MTK_EXPORT bool mtk_ip_match(const uint8_t *ref, size_t reflen, const uint8_t *presented,
                             size_t plen, mtk_id_reason *reason);

/* mtk_srv_match: the SRVName IA5String contents |presented|
 * ("_service.domain") match the SRV reference |ref| (S1-S4). */
MTK_EXPORT bool mtk_srv_match(const mtk_ref *ref, const uint8_t *presented, size_t plen,
                              unsigned flags, mtk_id_reason *reason);

/* mtk_uri_match: the URI SAN |presented| matches the URI reference |ref|:
 * same scheme (case-insensitive) and same host (as DNS, no wildcard);
 * userinfo, port, path, query and fragment are ignored (U1-U4). */
MTK_EXPORT bool mtk_uri_match(const mtk_ref *ref, const uint8_t *presented, size_t plen,
                              unsigned flags, mtk_id_reason *reason);

/* mtk_ip_parse parses IP address text strictly (R4, I5): IPv4 as four
 * decimal octets without leading zeros ("10.0.0.1", not "010.0.0.1",
 * "10.1", "0x0a.0.0.1"); IPv6 per RFC 4291 2.2 (hex groups of 1 to 4
 * digits, either case, at most one "::" standing for at least one group,
 * an optional dotted IPv4 tail); no zone id ("%eth0"), no brackets, no
 * whitespace. Writes 4 or 16 octets to |out| and the count to |*out_len|. */
MTK_EXPORT bool mtk_ip_parse(const uint8_t *text, size_t len, uint8_t out[16], size_t *out_len);

/* The parts of a URI that identity needs, as views into the input. */
typedef struct mtk_uri_parts {
  const uint8_t *scheme;
  size_t scheme_len;
  const uint8_t *host;    /* reg-name, or the address of an IP host */
  size_t host_len;        /* (without brackets) */
  bool host_is_ip;
  bool has_authority;     /* "//" form; otherwise the sip/sips form */
} mtk_uri_parts;

/* mtk_uri_split extracts the scheme and host of the absolute URI |p|
 * (RFC 3986 3: scheme ":" "//" [userinfo "@"] host [":" port] ...; for the
 * schemes sip and sips, which have no "//", the host follows an optional
 * "user@" and ends at ';', '?' or ':' (RFC 3261 19.1)). Only the characters
 * RFC 3986 allows are accepted; '%' must start a valid escape and is refused
 * in the host. Returns MTK_IDR_NONE, or MTK_IDR_NUL, MTK_IDR_NON_ASCII,
 * MTK_IDR_URI_NO_SCHEME, MTK_IDR_URI_NO_HOST, MTK_IDR_URI_MALFORMED, or
 * MTK_IDR_URI_IP_HOST (|out| is then filled, host_is_ip set). */
MTK_EXPORT mtk_id_reason mtk_uri_split(const uint8_t *p, size_t len, mtk_uri_parts *out);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_IDENTITY_H */

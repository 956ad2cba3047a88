/* mtlskit/authz.h: access rules for client certificates.
 *
 * Which clients may talk to a service is a different question from RFC 9525
 * service identity: a client certificate names a workload, a host, a mailbox
 * or a person, and for a SPIFFE ID the path *is* the identity. So these
 * rules are their own, and deliberately few. A rule set is built once from
 * strings (building may allocate) and checked per connection by
 * mtk_authz_check, which allocates nothing and takes no lock (a built set is
 * read-only and may be shared by threads).
 *
 * Rule syntax, "type:value"; several rules are OR-ed:
 *
 *   uri:spiffe://prod.example.org/ns/payments/sa/web
 *       A SPIFFE ID (SPIFFE-ID spec 2; X509-SVID spec 2), exact or a
 *       pattern: a path segment that is exactly "*" stands for one segment,
 *       a last segment "**" for one or more (docs/identity.md has examples;
 *       a C comment cannot show them). The ID is validated strictly: scheme
 *       "spiffe" in lower case, a trust domain of [a-z0-9.-_] (at most 255
 *       octets), then one or more segments of [A-Za-z0-9.-_], none empty,
 *       "." or ".."; no port, userinfo, query, fragment or percent-escape;
 *       at most 2048 octets. A SPIFFE rule matches only a certificate with
 *       exactly one URI SAN (X509-SVID 2: "Validators encountering an SVID
 *       containing more than one URI SAN MUST reject the SVID") that is
 *       itself a valid SPIFFE ID with a path. Trust domains compare exactly
 *       (lower case), paths exactly (they are case-sensitive).
 *   uri:https://client.example.com/id
 *       Any other URI: exact octet comparison with a URI SAN (RFC 3986 6.2.1
 *       simple string comparison); no pattern, so no '*'.
 *   dns:client.example.com   dns:*.svc.example.com
 *       A dNSName SAN, ASCII case-insensitive; U-labels in the rule are
 *       converted to A-labels. "*." + at least two labels is a pattern for
 *       exactly one label. A presented dNSName that is malformed (trailing
 *       dot, NUL, non-ASCII, a '*' of its own ...) never matches.
 *   ip:10.1.2.3   ip:10.0.0.0/8   ip:2001:db8::/32
 *       An iPAddress SAN: exact, or inside the CIDR block (host bits of the
 *       rule must be zero). Families never mix (an IPv4-mapped IPv6 address
 *       is not in an IPv4 block).
 *   email:ops@example.com
 *       An rfc822Name SAN: the local part octet for octet, the domain ASCII
 *       case-insensitive.
 *   cn:client-1   ou:payments
 *       Legacy: an attribute of the subject (never the issuer), compared
 *       octet for octet with the value of a UTF8String or PrintableString
 *       (other string types never match). A cn: rule never matches a subject
 *       with more than one CN (which one would be meant?); an ou: rule
 *       matches any OU.
 *
 * Errors name the rule (its index: the mtk_diag path "rules[2]") and the
 * byte offset inside it: MTK_ERR_AUTHZ_KIND (unknown "type:"),
 * MTK_ERR_AUTHZ_SPIFFE (an invalid SPIFFE ID or pattern), MTK_ERR_AUTHZ_RULE
 * (anything else), MTK_ERR_IDENTITY_IDNA (a dns: or email: domain that is
 * not valid IDNA2008), MTK_ERR_NOMEM. */
#ifndef MTLSKIT_AUTHZ_H
#define MTLSKIT_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mtk_authz_kind {
  MTK_AUTHZ_SPIFFE = 1, /* uri:spiffe://... (exact or pattern) */
  MTK_AUTHZ_URI,        /* uri: anything else (exact) */
  MTK_AUTHZ_DNS,
  MTK_AUTHZ_IP,
  MTK_AUTHZ_EMAIL,
  MTK_AUTHZ_CN,
  MTK_AUTHZ_OU
} mtk_authz_kind;

/* mtk_authz_kind_name: "spiffe", "uri", "dns", "ip", "email", "cn", "ou". */
MTK_EXPORT const char *mtk_authz_kind_name(mtk_authz_kind k);

/* The longest rule accepted, in octets (a SPIFFE ID is at most 2048). */
#define MTK_AUTHZ_RULE_MAX 4096
/* The most rules in one set. */
#define MTK_AUTHZ_MAX_RULES 65536

/* An access rule set. Opaque; heap-allocated by mtk_authz_new. */
typedef struct mtk_authz mtk_authz;

/* mtk_authz_new makes an empty rule set (which allows nobody). */
MTK_EXPORT mtk_status mtk_authz_new(mtk_authz **out) MTK_MUST_CHECK;
/* mtk_authz_free frees |az| (NULL is fine). */
MTK_EXPORT void mtk_authz_free(mtk_authz *az);

/* mtk_authz_add parses one rule (|len| octets at |rule|, no NUL) and appends
 * it; its index is the number of rules before it. On error nothing is added
 * and |d| says why and where (offset inside the rule). */
MTK_EXPORT mtk_status mtk_authz_add(mtk_authz *az, const char *rule, size_t len,
                                    mtk_diag *d) MTK_MUST_CHECK;

/* mtk_authz_parse builds a rule set from |n| NUL-terminated rule strings
 * (configuration text). On error |*out| is NULL, |*bad_index| (may be NULL)
 * the index of the rule that failed, and |d| names it ("rules[3]"). */
MTK_EXPORT mtk_status mtk_authz_parse(const char *const *rules, size_t n, mtk_authz **out,
                                      size_t *bad_index, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_authz_count: the number of rules. */
MTK_EXPORT size_t mtk_authz_count(const mtk_authz *az);

/* mtk_authz_rule returns rule |i| in canonical form ("dns:*.svc.example.com",
 * lower-cased and A-label converted where the rule is case-insensitive),
 * NUL-terminated, owned by |az|; NULL if out of range. */
MTK_EXPORT const char *mtk_authz_rule(const mtk_authz *az, size_t i);

/* mtk_authz_kind_of: the kind of rule |i| (0 if out of range). */
MTK_EXPORT mtk_authz_kind mtk_authz_kind_of(const mtk_authz *az, size_t i);

/* The outcome of one check. |presented| views the certificate (valid while
 * it lives): the SAN value or the subject attribute value that matched. */
typedef struct mtk_authz_result {
  bool allowed;
  size_t rule;             /* index of the matching rule (the lowest) */
  mtk_authz_kind kind;
  mtk_cbs presented;
  mtk_gn_type san_type;    /* for SAN identities */
  size_t san_index;        /* position in the SAN, or in the subject's
                              attributes for cn:/ou: */
  bool from_subject;       /* cn: or ou: */
  size_t n_uri_sans;       /* URI SANs seen (a SPIFFE rule needs exactly 1) */
} mtk_authz_result;

/* mtk_authz_check: may the client with certificate |cert| (parsed by
 * mtk_cert_parse; its chain verified by the caller) in? |out->allowed| is
 * true when any rule matches; |out->rule| is then the lowest such rule's
 * index. No allocation. Errors (|out->allowed| false): MTK_ERR_ARG,
 * MTK_ERR_X509_EXTENSION (a SAN that cannot be iterated or appears twice:
 * fail closed). */
MTK_EXPORT mtk_status mtk_authz_check(const mtk_authz *az, const mtk_cert *cert,
                                      mtk_authz_result *out) MTK_MUST_CHECK;

/* mtk_spiffe_id_check validates a SPIFFE ID (|pattern| false) or a rule
 * pattern (|pattern| true: "*" and a last "**" segment allowed) with the
 * rules above. NULL if valid, else a static reason, and |*err_off| (may be
 * NULL) the offset of the fault. */
MTK_EXPORT const char *mtk_spiffe_id_check(const uint8_t *p, size_t len, bool pattern,
                                           size_t *err_off);

/* mtk_spiffe_match: the valid SPIFFE ID |id| matches the valid pattern (or
 * exact ID) |pattern|. Pure; inputs validated by mtk_spiffe_id_check. */
MTK_EXPORT bool mtk_spiffe_match(const uint8_t *pattern, size_t plen, const uint8_t *id,
                                 size_t idlen);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_AUTHZ_H */

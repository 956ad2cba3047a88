/* mtlskit/str.h: certificate strings and values as text, for display.
 *
 * Everything here appends to an mtk_buf (buf.h) and follows its convention:
 * an append that fails (cap or memory) sets the buffer's sticky |overflow|
 * and later appends are ignored, so a caller appends freely and checks
 * mtk_buf_status() once at the end. The functions return the buffer's status
 * after the append for callers that want it, and are deliberately not
 * MTK_MUST_CHECK (like mtk_buf_append).
 *
 * Inputs are (pointer, length) views of certificate bytes, never C strings:
 * an embedded NUL is data. Outputs are UTF-8. None of these functions reads
 * the clock; relative phrases take "now" as an argument.
 *
 * Conversion (mtk_str_append) maps every X.509 string type to Unicode code
 * points, then writes each code point through one of three escapers
 * (mtk_esc). Choices made here, and why:
 *   UTF8String          decoded; each maximal ill-formed subsequence becomes
 *                       one U+FFFD (Unicode 15, 3.9 "U+FFFD substitution of
 *                       maximal subparts"): overlongs, surrogates and values
 *                       above U+10FFFF are ill-formed (RFC 3629 3).
 *   PrintableString, IA5String, VisibleString, NumericString
 *                       ASCII; an octet above 0x7F becomes U+FFFD. The
 *                       alphabets themselves are not enforced here (that is
 *                       a lint finding: a '*' in a PrintableString is shown).
 *   BMPString           UCS-2 big-endian (X.680 41.16); a trailing odd octet
 *                       and every surrogate code unit (D800-DFFF, paired or
 *                       not: UCS-2 has no surrogates) become U+FFFD.
 *   UniversalString     UCS-4 big-endian; a trailing partial unit, a
 *                       surrogate or a value above U+10FFFF becomes U+FFFD.
 *   TeletexString (T61String)
 *                       read as ISO 8859-1 (Latin-1), the common practice
 *                       of OpenSSL, NSS and Go: T.61 proper is a stateful
 *                       code nobody implements, and CAs that used it put
 *                       Latin-1 in it. Octets 0x80-0x9F are C1 controls and
 *                       therefore escaped.
 *   anything else       (VideotexString, GraphicString, GeneralString,
 *                       INTEGER, OCTET STRING, ...) the RFC 4514 2.4 form:
 *                       '#' and the lowercase hex of the whole DER element
 *                       (tag, length and contents), e.g. "#04024869".
 *
 * Escaping, so that no control character or NUL ever reaches a terminal or
 * a JSON consumer raw. "Hidden" below means: U+0080-U+009F (C1 controls; a
 * terminal reads U+009B as CSI), U+00AD, U+200B-U+200F, U+2028, U+2029,
 * U+202A-U+202E, U+2060-U+2064, U+2066-U+2069, U+FEFF (zero-width, bidi
 * override and line-separator characters that change what a reader sees:
 * "Trojan Source", CVE-2021-42574).
 *   MTK_ESC_TEXT  "\xNN" (two lowercase hex digits) for U+0000-U+001F and
 *                 U+007F; "\\" for a backslash, so the form is unambiguous;
 *                 "\u{XXXX}" (lowercase hex) for hidden code points. We chose
 *                 backslash escapes over the U+2400 control pictures because
 *                 they survive copy and paste into a shell or a bug report
 *                 and name the exact code point.
 *   MTK_ESC_JSON  RFC 8259 7: '"' and '\' escaped; \b \f \n \r \t; other
 *                 code points below U+0020 as \u00XX; U+007F and hidden code
 *                 points as \uXXXX too (valid JSON for the same string, and
 *                 safe to cat to a terminal). The caller adds the quotes
 *                 (or uses mtk_str_json_quote).
 *   MTK_ESC_RAW   UTF-8 as converted, nothing escaped. For composing
 *                 (callers that escape afterwards); never print it. */
#ifndef MTLSKIT_STR_H
#define MTLSKIT_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/buf.h"
#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mtk_esc {
  MTK_ESC_RAW = 0,
  MTK_ESC_TEXT = 1,
  MTK_ESC_JSON = 2
} mtk_esc;

/* Flags mtk_str_append reports through |*flags| (OR-ed in; may be NULL). */
#define MTK_STR_LOSSY 0x1u /* some octets were replaced by U+FFFD */
#define MTK_STR_HEX 0x2u   /* not a string type: written as "#" + DER hex */

/* mtk_str_is_string_tag: |tag| is one of the character string types that
 * mtk_str_append converts to text (UTF8, Printable, IA5, Visible, Numeric,
 * BMP, Universal, Teletex). */
MTK_EXPORT bool mtk_str_is_string_tag(mtk_tag tag);

/* mtk_str_tag_name returns the ASN.1 name of a universal tag
 * ("UTF8String", "PrintableString", "TeletexString", "INTEGER", "SEQUENCE")
 * or NULL for other classes and unnamed numbers. Static. */
MTK_EXPORT const char *mtk_str_tag_name(mtk_tag tag);

/* mtk_str_tag appends a name for any tag: the universal name, or "[3]",
 * "[3] constructed", "[APPLICATION 1]", "[PRIVATE 2]", "[UNIVERSAL 31]". */
MTK_EXPORT mtk_status mtk_str_tag(mtk_buf *out, mtk_tag tag);

/* mtk_str_append converts the string value with tag |tag| and contents
 * |p|/|len| (an X.509 DirectoryString, DisplayText, IA5String, ...) to UTF-8
 * and appends it escaped by |esc|. See the file comment for each type. */
MTK_EXPORT mtk_status mtk_str_append(mtk_buf *out, mtk_tag tag, const uint8_t *p, size_t len,
                                     mtk_esc esc, unsigned *flags);

/* mtk_str_escape_utf8 appends the UTF-8 bytes |p|/|len| escaped by |esc|
 * (the same as mtk_str_append with MTK_ASN1_UTF8STRING: ill-formed UTF-8
 * becomes U+FFFD). */
MTK_EXPORT mtk_status mtk_str_escape_utf8(mtk_buf *out, const uint8_t *p, size_t len,
                                          mtk_esc esc);

/* mtk_str_json_quote appends a JSON string literal (with the quotes) for
 * the UTF-8 bytes |p|/|len|. */
MTK_EXPORT mtk_status mtk_str_json_quote(mtk_buf *out, const uint8_t *p, size_t len);

/* mtk_str_hex appends |len| octets as hex pairs, separated by |sep| when it
 * is not 0 (':' gives "ab:01:ff"), in upper case when |upper|. Nothing for
 * |len| 0. */
MTK_EXPORT mtk_status mtk_str_hex(mtk_buf *out, const uint8_t *p, size_t len, char sep,
                                  bool upper);

/* mtk_str_base64 appends the standard base64 of |p|/|len| (RFC 4648 4,
 * with padding): how CT logs name their log ids. */
MTK_EXPORT mtk_status mtk_str_base64(mtk_buf *out, const uint8_t *p, size_t len);

/* mtk_str_ip appends the text form of an iPAddress GeneralName value:
 *   4 octets   dotted quad "192.0.2.1";
 *   16 octets  RFC 5952 4: lowercase, leading zeros dropped, the longest
 *              run of two or more zero groups (the first of equal runs)
 *              compressed to "::", never a single group; an IPv4-mapped
 *              address as "::ffff:192.0.2.1" (RFC 5952 5);
 *   8 or 32    (name constraints, RFC 5280 4.2.1.10: address then mask)
 *              "192.0.2.0/24" when the mask is a prefix, else
 *              "192.0.2.0/255.0.255.0" (mask in the same notation);
 *   other      "#" and the hex of the octets (the linter reports it). */
MTK_EXPORT mtk_status mtk_str_ip(mtk_buf *out, const uint8_t *p, size_t len);

/* mtk_str_oid appends the dotted form of OBJECT IDENTIFIER contents |oid|
 * ("2.5.4.3"); for malformed contents "#" and their hex. */
MTK_EXPORT mtk_status mtk_str_oid(mtk_buf *out, const mtk_cbs *oid);

/* mtk_str_oid_name appends the short name of a known OID, else its dotted
 * form (what a reader wants beside an OID). */
MTK_EXPORT mtk_status mtk_str_oid_name(mtk_buf *out, const mtk_cbs *oid);

/* ---- distinguished names ------------------------------------------------ */

/* Flags of mtk_str_name. */
#define MTK_DN_RFC4514 0x0u /* RFC 4514 2.1: last RDN first, "," between RDNs,
                               "+" inside a multi-valued RDN */
#define MTK_DN_ONELINE 0x1u /* the display order of OpenSSL's one-line form:
                               first RDN first, ", " between RDNs, " + "
                               inside one ("C=US, O=Example, CN=host") */
#define MTK_DN_STRICT 0x2u  /* RFC 4514 to the letter: only the names of
                               RFC 4514 3 (CN L ST O OU C STREET DC UID);
                               every other type as a dotted OID with its value
                               as "#" + DER hex (RFC 4514 2.3, 2.4) */

/* mtk_str_attr_type_name returns the name a DN string uses for attribute
 * type |id|: the RFC 4514 3 names (CN, L, ST, O, OU, C, STREET, DC, UID),
 * otherwise mtlskit's short name for a known type when it is a valid LDAP
 * descriptor (ALPHA *(ALPHA / DIGIT / "-"), RFC 4512 1.4), such as
 * "emailAddress", "serialNumber", "SN", "GN", "organizationIdentifier",
 * "jurisdictionC", as OpenSSL prints them; NULL otherwise (use the dotted
 * OID). With |strict| only the RFC 4514 3 names are returned. Static. */
MTK_EXPORT const char *mtk_str_attr_type_name(mtk_oid_id id, bool strict);

/* mtk_str_attr_value appends the RFC 4514 2.4 form of one attribute value:
 * a string type converted to UTF-8 with '"' '+' ',' ';' '<' '>' '\' escaped
 * by a backslash anywhere, '#' and ' ' at the start and ' ' at the end
 * escaped, and NUL, every other control character (U+0001-U+001F, U+007F)
 * and the hidden code points listed in the file comment written as "\XX"
 * hex pairs of their UTF-8 octets (RFC 4514 2.4 allows escaping any
 * character so). Not a string type (or |hex| set): "#" + DER hex. The
 * result therefore holds no control character and is unambiguous, and is
 * safe to print as it is. */
MTK_EXPORT mtk_status mtk_str_attr_value(mtk_buf *out, const mtk_attr *a, bool hex);

/* mtk_str_name appends the string form of |name| (a parsed Name) in the
 * order and with the separators |flags| select. Types are named by
 * mtk_str_attr_type_name, else dotted. A value is written per
 * mtk_str_attr_value; without MTK_DN_STRICT a string value of an unnamed
 * type is still written as text (readable; RFC 4514 2.4 would use hex),
 * with MTK_DN_STRICT as hex. The empty Name gives "". The output is escaped
 * for RFC 4514 and holds no control characters; |esc| MTK_ESC_JSON
 * additionally JSON-escapes it (for a JSON string), MTK_ESC_TEXT and
 * MTK_ESC_RAW append it as it is. */
MTK_EXPORT mtk_status mtk_str_name(mtk_buf *out, const mtk_name *name, unsigned flags,
                                   mtk_esc esc);

/* mtk_str_name_cn appends the last commonName of |name| (the most specific
 * one, as RFC 6125 6.4.4 legacy matching picks), converted and escaped by
 * |esc|; false (and nothing appended) if there is none. */
MTK_EXPORT bool mtk_str_name_cn(mtk_buf *out, const mtk_name *name, mtk_esc esc);

/* ---- times and durations -------------------------------------------------- */

/* mtk_str_time appends |t| in RFC 3339 form "2026-01-02T03:04:05Z". */
MTK_EXPORT mtk_status mtk_str_time(mtk_buf *out, mtk_time t);

/* mtk_str_span appends a length of time for a person, rounded down to its
 * largest unit: "41 days", "1 day", "5 hours", "1 minute", "0 seconds".
 * |seconds| below 0 is written as its absolute value. */
MTK_EXPORT mtk_status mtk_str_span(mtk_buf *out, int64_t seconds);

/* mtk_str_validity_status appends where |now| stands against the validity
 * period [not_before, not_after] (both inclusive, RFC 5280 4.1.2.5):
 *   "not yet valid, starts in 3 days"   now < not_before
 *   "expired 3 days ago"                now > not_after
 *   "valid, expires in 41 days"         otherwise
 * and returns the state: -1 not yet valid, 0 valid, 1 expired. */
MTK_EXPORT int mtk_str_validity_status(mtk_buf *out, mtk_time not_before, mtk_time not_after,
                                       mtk_time now);

/* mtk_str_lifetime appends the length of the validity period, counted as
 * RFC 5280 4.1.2.5 and CA/B Forum BR 1.6.1 do (both ends inclusive, so
 * notAfter - notBefore + 1 seconds): "398 days", or "397 days 12 hours"
 * when not whole days; "none (notAfter is before notBefore)" if negative. */
MTK_EXPORT mtk_status mtk_str_lifetime(mtk_buf *out, mtk_time not_before, mtk_time not_after);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_STR_H */

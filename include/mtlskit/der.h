/* mtlskit/der.h: the one bounded cursor over DER, and strict DER readers.
 *
 * Every read of untrusted bytes in mtlskit goes through an mtk_cbs: a
 * (pointer, length) view that also knows its absolute offset in the original
 * input, so that every error can name the byte it concerns. Readers check the
 * remaining length first, parse on a copy, and advance the cursor only when
 * the whole element is valid. Nothing allocates; results are sub-views valid
 * while the input buffer lives.
 *
 * Strict DER (X.690 section 10 and 11) is enforced in exactly one place,
 * mtk_der_get_any: definite lengths only, lengths in their shortest form, at
 * most 4 length octets, minimal high-tag-number form, header + length
 * overflow-checked against the parent. Tolerated deviations at the value
 * level (a BOOLEAN TRUE that is not 0xFF, ...) are accepted only by readers
 * that say so and are recorded in the mtk_diag as quirks. */
#ifndef MTLSKIT_DER_H
#define MTLSKIT_DER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mtk_cbs is a view of |len| bytes at |p|, which sit at absolute offset |off|
 * of the input being decoded. */
typedef struct mtk_cbs {
  const uint8_t *p;
  size_t len;
  size_t off;
} mtk_cbs;

/* Tags: class in bits 31-30, constructed in bit 29, number in bits 0-28
 * (as BoringSSL's CBS_ASN1_TAG). */
typedef uint32_t mtk_tag;
#define MTK_TAG_CONSTRUCTED 0x20000000u
#define MTK_TAG_UNIVERSAL 0x00000000u
#define MTK_TAG_APPLICATION 0x40000000u
#define MTK_TAG_CONTEXT 0x80000000u
#define MTK_TAG_PRIVATE 0xC0000000u
#define MTK_TAG_CLASS_MASK 0xC0000000u
#define MTK_TAG_NUMBER_MASK 0x1FFFFFFFu

#define MTK_ASN1_BOOLEAN 0x1u
#define MTK_ASN1_INTEGER 0x2u
#define MTK_ASN1_BITSTRING 0x3u
#define MTK_ASN1_OCTETSTRING 0x4u
#define MTK_ASN1_NULL 0x5u
#define MTK_ASN1_OID 0x6u
#define MTK_ASN1_ENUMERATED 0xau
#define MTK_ASN1_UTF8STRING 0xcu
#define MTK_ASN1_SEQUENCE (0x10u | MTK_TAG_CONSTRUCTED)
#define MTK_ASN1_SET (0x11u | MTK_TAG_CONSTRUCTED)
#define MTK_ASN1_NUMERICSTRING 0x12u
#define MTK_ASN1_PRINTABLESTRING 0x13u
#define MTK_ASN1_T61STRING 0x14u
#define MTK_ASN1_VIDEOTEXSTRING 0x15u
#define MTK_ASN1_IA5STRING 0x16u
#define MTK_ASN1_UTCTIME 0x17u
#define MTK_ASN1_GENERALIZEDTIME 0x18u
#define MTK_ASN1_GRAPHICSTRING 0x19u
#define MTK_ASN1_VISIBLESTRING 0x1au
#define MTK_ASN1_GENERALSTRING 0x1bu
#define MTK_ASN1_UNIVERSALSTRING 0x1cu
#define MTK_ASN1_BMPSTRING 0x1eu

/* Context-specific tags, [n] IMPLICIT primitive and [n] constructed. */
#define MTK_CTX(n) (MTK_TAG_CONTEXT | (mtk_tag)(n))
#define MTK_CTX_C(n) (MTK_TAG_CONTEXT | MTK_TAG_CONSTRUCTED | (mtk_tag)(n))

/* The deepest nesting any mtlskit walker descends (certificates need ~10). */
#define MTK_DER_MAX_DEPTH 64

/* mtk_cbs_init sets |c| to view |len| bytes at |p|, at absolute offset 0. */
MTK_EXPORT void mtk_cbs_init(mtk_cbs *c, const uint8_t *p, size_t len);

/* mtk_cbs_skip advances |c| by |n| bytes; false (and |c| unchanged) if fewer
 * remain. */
MTK_EXPORT bool mtk_cbs_skip(mtk_cbs *c, size_t n) MTK_MUST_CHECK;

/* mtk_cbs_get_u8 reads one byte; false if none remain. */
MTK_EXPORT bool mtk_cbs_get_u8(mtk_cbs *c, uint8_t *out) MTK_MUST_CHECK;

/* mtk_cbs_get_u16 / _u24 read a big-endian integer; false if short. */
MTK_EXPORT bool mtk_cbs_get_u16(mtk_cbs *c, uint16_t *out) MTK_MUST_CHECK;
MTK_EXPORT bool mtk_cbs_get_u24(mtk_cbs *c, uint32_t *out) MTK_MUST_CHECK;
MTK_EXPORT bool mtk_cbs_get_u64(mtk_cbs *c, uint64_t *out) MTK_MUST_CHECK;

/* mtk_cbs_get_bytes splits the first |n| bytes of |c| into |out|. */
MTK_EXPORT bool mtk_cbs_get_bytes(mtk_cbs *c, mtk_cbs *out, size_t n) MTK_MUST_CHECK;

/* mtk_cbs_get_u8_prefixed / _u16_prefixed read a length-prefixed sub-view
 * (TLS-style, used by the SCT list). */
MTK_EXPORT bool mtk_cbs_get_u8_prefixed(mtk_cbs *c, mtk_cbs *out) MTK_MUST_CHECK;
MTK_EXPORT bool mtk_cbs_get_u16_prefixed(mtk_cbs *c, mtk_cbs *out) MTK_MUST_CHECK;

/* mtk_cbs_eq_bytes: |c| holds exactly the |n| bytes at |p|. */
MTK_EXPORT bool mtk_cbs_eq_bytes(const mtk_cbs *c, const uint8_t *p, size_t n);

/* ---- strict DER elements ------------------------------------------------- */

/* mtk_der_get_any reads one whole DER element from the front of |c|: its tag
 * into |*out_tag|, its contents into |*out_body| (may be NULL), the whole
 * element (header and contents) into |*out_elem| (may be NULL). On failure
 * |c| is unchanged and the error (MTK_ERR_DER_*) is recorded in |d| with the
 * offset of the offending octet. This is the only place DER framing is
 * checked. */
MTK_EXPORT mtk_status mtk_der_get_any(mtk_cbs *c, mtk_tag *out_tag, mtk_cbs *out_body,
                                      mtk_cbs *out_elem, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_peek_tag reports the tag of the next element without consuming
 * anything; false if |c| is empty or the tag octets are malformed. */
MTK_EXPORT bool mtk_der_peek_tag(const mtk_cbs *c, mtk_tag *out_tag);

/* mtk_der_get reads one element that must have tag |tag| and splits its
 * contents into |*out_body|. MTK_ERR_DER_TAG if the tag differs. */
MTK_EXPORT mtk_status mtk_der_get(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_body,
                                  mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_element is mtk_der_get but returns the whole element
 * (header included) in |*out_elem|, and its contents in |*out_body|
 * (either may be NULL). */
MTK_EXPORT mtk_status mtk_der_get_element(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_elem,
                                          mtk_cbs *out_body, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_optional reads an element with tag |tag| if the next element
 * has that tag, setting |*present|; otherwise consumes nothing. */
MTK_EXPORT mtk_status mtk_der_get_optional(mtk_cbs *c, mtk_tag tag, mtk_cbs *out_body,
                                           bool *present, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_expect_end fails with MTK_ERR_DER_TRAILING unless |c| is empty.
 * |what| names the structure for the message. */
MTK_EXPORT mtk_status mtk_der_expect_end(const mtk_cbs *c, const char *what,
                                         mtk_diag *d) MTK_MUST_CHECK;

/* ---- primitive values (contents, after the header) ------------------------ */

/* mtk_der_check_integer validates INTEGER contents |body| (non-empty,
 * minimal). With |allow_padding| a redundant leading octet is tolerated and
 * recorded as MTK_QUIRK_INTEGER_PADDED instead. Sets |*negative|
 * (may be NULL). */
MTK_EXPORT mtk_status mtk_der_check_integer(const mtk_cbs *body, bool allow_padding,
                                            bool *negative, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_integer reads an INTEGER element and returns its contents
 * (two's complement, big-endian) in |*out| after validating them strictly. */
MTK_EXPORT mtk_status mtk_der_get_integer(mtk_cbs *c, mtk_cbs *out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_uint64 reads a non-negative INTEGER that fits in 64 bits. */
MTK_EXPORT mtk_status mtk_der_get_uint64(mtk_cbs *c, uint64_t *out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_int_to_u64 converts validated non-negative INTEGER contents;
 * MTK_ERR_DER_RANGE if negative or wider than 64 bits. */
MTK_EXPORT mtk_status mtk_der_int_to_u64(const mtk_cbs *body, uint64_t *out,
                                         mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_bool reads a BOOLEAN. A TRUE that is not 0xFF is tolerated and
 * recorded as MTK_QUIRK_BOOL_NOT_FF. */
MTK_EXPORT mtk_status mtk_der_get_bool(mtk_cbs *c, bool *out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_check_oid validates OBJECT IDENTIFIER contents: non-empty, every
 * arc in minimal base-128, the last octet terminating an arc. */
MTK_EXPORT mtk_status mtk_der_check_oid(const mtk_cbs *body, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_oid reads an OBJECT IDENTIFIER element; |*out| is its contents. */
MTK_EXPORT mtk_status mtk_der_get_oid(mtk_cbs *c, mtk_cbs *out, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_null reads a NULL element (empty contents). */
MTK_EXPORT mtk_status mtk_der_get_null(mtk_cbs *c, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_bitstring reads a BIT STRING; |*out| is the data after the
 * unused-bits octet, |*unused| the count (0..7). Unused bits must be zero
 * (X.690 11.2.1) and an empty string must have 0 unused bits. */
MTK_EXPORT mtk_status mtk_der_get_bitstring(mtk_cbs *c, mtk_cbs *out, uint8_t *unused,
                                            mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_octets_bitstring reads a BIT STRING that must hold whole
 * octets (unused bits 0), as keys and signatures do. */
MTK_EXPORT mtk_status mtk_der_get_octets_bitstring(mtk_cbs *c, mtk_cbs *out,
                                                   mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_get_named_bits reads a named-bit-list BIT STRING (KeyUsage,
 * ReasonFlags, ...) into |*bits| (bit 0 is the first named bit, up to 32
 * bits; more set bits fail with MTK_ERR_DER_RANGE). Trailing zero bits are
 * tolerated and recorded as MTK_QUIRK_BITSTRING_TRAILING_ZERO. */
MTK_EXPORT mtk_status mtk_der_get_named_bits(mtk_cbs *c, uint32_t *bits, mtk_diag *d) MTK_MUST_CHECK;

/* Time. mtk_der_time is seconds since 1970-01-01T00:00:00Z (proleptic
 * Gregorian, no leap seconds), signed 64-bit. */
typedef int64_t mtk_time;

/* mtk_der_get_time reads a UTCTime or GeneralizedTime per RFC 5280 4.1.2.5:
 * UTCTime YYMMDDHHMMSSZ (YY >= 50 is 19YY), GeneralizedTime
 * YYYYMMDDHHMMSSZ. Fields are range-checked (month days, leap years, 23:59:59
 * at most). Tolerated and recorded: missing seconds, fractional seconds,
 * GeneralizedTime before 2050, a zone offset instead of Z (the value is
 * converted to UTC). A malformed offset is MTK_ERR_DER_TIME. |*tag| gets
 * the tag that was read (may be NULL). */
MTK_EXPORT mtk_status mtk_der_get_time(mtk_cbs *c, mtk_time *out, mtk_tag *tag,
                                       mtk_diag *d) MTK_MUST_CHECK;

/* mtk_time_from_civil converts a civil UTC date to mtk_time; false if a field
 * is out of range. */
MTK_EXPORT bool mtk_time_from_civil(int64_t year, int month, int day, int hour, int min,
                                    int sec, mtk_time *out);

/* mtk_time_to_civil splits |t| into civil UTC fields. */
MTK_EXPORT void mtk_time_to_civil(mtk_time t, int64_t *year, int *month, int *day, int *hour,
                                  int *min, int *sec);

/* mtk_time_format writes |t| as RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" into |buf|
 * (at least 32 bytes). */
MTK_EXPORT void mtk_time_format(mtk_time t, char *buf, size_t cap);

/* mtk_time_parse parses RFC 3339 ("2026-01-02T03:04:05Z", also with a
 * numeric offset) or a plain date "2026-01-02". Used for --at arguments. */
MTK_EXPORT bool mtk_time_parse(const char *s, size_t len, mtk_time *out);

/* mtk_der_check_value validates the contents |body| of a primitive element
 * of universal type |tag| read as ANY (algorithm parameters, attribute
 * values): BOOLEAN of one octet (not 0xFF recorded as a quirk), INTEGER and
 * ENUMERATED minimal, NULL empty, OID well-formed, BIT STRING unused bits,
 * UniversalString a multiple of 4 octets. Other tags pass (an odd
 * BMPString is a quirk, recorded by mtk_string_check). */
MTK_EXPORT mtk_status mtk_der_check_value(mtk_tag tag, const mtk_cbs *body,
                                          mtk_diag *d) MTK_MUST_CHECK;

/* mtk_der_walk validates that |c| is a sequence of well-formed DER elements,
 * descending into every constructed element up to |max_depth| levels
 * (MTK_ERR_DER_DEPTH beyond), and checks every primitive universal value
 * with mtk_der_check_value. Recursion is bounded by |max_depth|. Used by the generic dumper and the cursor fuzzer. */
MTK_EXPORT mtk_status mtk_der_walk(const mtk_cbs *c, unsigned max_depth, mtk_diag *d) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_DER_H */

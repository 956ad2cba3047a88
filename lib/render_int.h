/* render_int.h: internals shared by render.c, render_json.c and
 * render_text.c: a small streaming JSON writer over an mtk_buf, and the names
 * both renderers give to decoded values. Not installed. */
#ifndef MTK_RENDER_INT_H
#define MTK_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/buf.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "mtlskit/x509.h"

/* ---- JSON writer --------------------------------------------------------------
 * Commas, newlines and indentation are the writer's: a value is written
 * after a key inside an object, or as an element of an array. Appends follow
 * the mtk_buf convention (sticky overflow; check the buffer at the end). */
typedef struct mtk_jw {
  mtk_buf *b;
  bool pretty;
  bool no_hex;       /* MTK_RENDER_NO_HEX */
  unsigned depth;
  bool has_elem;     /* the innermost open container has an element */
  bool after_key;
} mtk_jw;

void mtk_jw_init(mtk_jw *w, mtk_buf *b, unsigned flags, unsigned depth);
void mtk_jw_obj(mtk_jw *w);
void mtk_jw_end_obj(mtk_jw *w);
void mtk_jw_arr(mtk_jw *w);
void mtk_jw_end_arr(mtk_jw *w);
void mtk_jw_key(mtk_jw *w, const char *key);
/* A C string we wrote or the user gave (escaped like any other). */
void mtk_jw_str(mtk_jw *w, const char *s);
/* UTF-8 bytes (ill-formed sequences become U+FFFD). */
void mtk_jw_utf8(mtk_jw *w, const uint8_t *p, size_t len);
/* A certificate string of ASN.1 type |tag| (see mtk_str_append). */
void mtk_jw_asn1str(mtk_jw *w, mtk_tag tag, const uint8_t *p, size_t len, unsigned *flags);
void mtk_jw_hex(mtk_jw *w, const uint8_t *p, size_t len);
/* Integers: above 2^53 - 1 in magnitude they are written as a decimal
 * string, so that every JSON parser reads them exactly. */
void mtk_jw_u64(mtk_jw *w, uint64_t v);
void mtk_jw_i64(mtk_jw *w, int64_t v);
void mtk_jw_bool(mtk_jw *w, bool v);
void mtk_jw_null(mtk_jw *w);
/* Dotted OID string. */
void mtk_jw_oid(mtk_jw *w, const mtk_cbs *oid);
/* "2026-01-02T03:04:05Z" */
void mtk_jw_time(mtk_jw *w, mtk_time t);
/* Writes the start of a value: comma, newline and indentation as needed.
 * For callers that write a value's text themselves. */
void mtk_jw_value_prefix(mtk_jw *w);

/* key + value shorthands */
void mtk_jw_kstr(mtk_jw *w, const char *key, const char *s);
void mtk_jw_khex(mtk_jw *w, const char *key, const uint8_t *p, size_t len);
void mtk_jw_ku64(mtk_jw *w, const char *key, uint64_t v);
void mtk_jw_ki64(mtk_jw *w, const char *key, int64_t v);
void mtk_jw_kbool(mtk_jw *w, const char *key, bool v);
void mtk_jw_koid(mtk_jw *w, const char *key, const mtk_cbs *oid);
/* "key": short name of a known OID, or null */
void mtk_jw_koid_name(mtk_jw *w, const char *key, const mtk_cbs *oid);

/* ---- shared names ----------------------------------------------------------------- */

/* "valid", "invalid", "unsupported" or "error": the JSON "result" of a
 * signature check with status |s|. */
const char *mtk_render_sig_status_word(mtk_status s);
/* RFC 5280 4.2.1.13 ReasonFlags bit names. */
const char *mtk_render_reason_name(unsigned bit);
/* Netscape cert type bit names. */
const char *mtk_render_ns_cert_type_name(unsigned bit);
/* TLS feature (RFC 7633) extension type names: 5 status_request, 17
 * status_request_v2; NULL otherwise. */
const char *mtk_render_tls_feature_name(uint64_t v);
/* TLS HashAlgorithm / SignatureAlgorithm (RFC 5246 7.4.1.4.1) names. */
const char *mtk_render_tls_hash_name(uint8_t v);
const char *mtk_render_tls_sig_name(uint8_t v);
/* "uncompressed", "compressed", "hybrid", "unknown" */
const char *mtk_render_point_form(uint8_t form);
/* Whether the extension kind of |id| has a decoder the renderers use. */
bool mtk_render_ext_decoded(mtk_oid_id id);

/* mtk_render_int_u64 reads non-negative INTEGER contents of at most 8
 * significant octets; false otherwise. */
bool mtk_render_int_u64(const mtk_cbs *v, uint64_t *out);

/* PrivateKeyUsagePeriod (RFC 3280 4.2.1.4): decodes the optional times. */
typedef struct mtk_render_pkup {
  bool has_not_before, has_not_after;
  mtk_time not_before, not_after;
} mtk_render_pkup;
bool mtk_render_pkup_decode(const mtk_cbs *value, mtk_render_pkup *out);

/* The per-format object renderers (render_json.c, render_text.c). */
void mtk_render_cert_json(mtk_jw *w, const mtk_cert *c, const mtk_render_ctx *ctx);
void mtk_render_csr_json(mtk_jw *w, const mtk_csr *r, const mtk_render_ctx *ctx);
void mtk_render_findings_json(mtk_jw *w, const mtk_findings *f);
void mtk_render_error_json(mtk_jw *w, const mtk_error *e, const mtk_render_ctx *ctx);
void mtk_render_cert_text(mtk_buf *b, const mtk_cert *c, const mtk_render_ctx *ctx);
void mtk_render_csr_text(mtk_buf *b, const mtk_csr *r, const mtk_render_ctx *ctx);
void mtk_render_findings_text(mtk_buf *b, const mtk_findings *f);
void mtk_render_error_text(mtk_buf *b, const mtk_error *e, const mtk_render_ctx *ctx);

#endif

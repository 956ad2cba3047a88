/* mtlskit/render.h: a parsed certificate or CSR as text for a person, or as
 * JSON for a program, from the same decoded result.
 *
 * Two renderers over one input: mtk_render_cert (and _csr, _findings,
 * _error) with MTK_RENDER_TEXT or MTK_RENDER_JSON. Both walk the parsed
 * mtk_cert / mtk_csr (x509.h) and its extension decoders; nothing is parsed
 * again, and after a successful parse no decoder can fail, so rendering has
 * no error of its own beyond the output buffer's cap (MTK_ERR_LIMIT, or
 * MTK_ERR_NOMEM).
 *
 * Output is deterministic: it depends only on the object and on the
 * mtk_render_ctx (whose |now| stands for the clock; the renderer never reads
 * it). Every certificate string goes through str.h: no control character,
 * NUL or bidi override reaches the output raw (text escapes them as \xNN and
 * \u{XXXX}; JSON as \uXXXX).
 *
 * The JSON output follows the versioned schema "mtlskit.decode/1",
 * documented in docs/json-schema.md and docs/schema/decode-v1.schema.json.
 * mtk_render_doc_* build the whole document (tool, inputs, objects, errors,
 * summary); mtk_render_cert alone gives one element of an "objects" array.
 *
 * Private keys are never rendered: a front reports them with
 * mtk_render_doc_add_other ("private_key"), which prints only their kind and
 * position. A CSR's challengePassword is shown only as present, with its
 * length (it is a shared secret for revocation and SCEP enrolment). */
#ifndef MTLSKIT_RENDER_H
#define MTLSKIT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/buf.h"
#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "mtlskit/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MTK_RENDER_SCHEMA is the "schema" member of every JSON document. The
 * number changes only when a member is removed or changes type or meaning;
 * members are added within a version (consumers ignore unknown members). */
#define MTK_RENDER_SCHEMA "mtlskit.decode/1"

typedef enum mtk_render_format {
  MTK_RENDER_TEXT = 0,
  MTK_RENDER_JSON = 1
} mtk_render_format;

/* Flags of mtk_render_ctx.flags and mtk_render_doc_begin. */
#define MTK_RENDER_COMPACT 0x1u   /* JSON on one line (default: 2-space indent) */
#define MTK_RENDER_NO_HEX 0x2u    /* JSON: leave out the bulky hex members
                                     (signature, public key and modulus) */

/* One private-key match result, computed by the front with
 * mtk_private_key_matches_spki (keys.h): the renderer never sees the key. */
typedef struct mtk_render_key_match {
  const char *file;   /* the key file as the user named it (C string); never
                         certificate data */
  mtk_status status;  /* MTK_OK: |match| holds the answer; else why the key
                         could not be compared (MTK_ERR_KEY_PARSE ...) */
  bool match;
} mtk_render_key_match;

#define MTK_RENDER_MAX_KEY_MATCHES 8

/* mtk_render_extras holds what the renderer shows but does not compute from
 * the parsed views: digests and signature checks (OpenSSL work, keys.h) and
 * key-match results. Fill it with mtk_render_extras_cert / _csr, then add
 * key matches; a zeroed struct shows nothing. Plain data, no cleanup. */
typedef struct mtk_render_extras {
  bool has_fingerprints;          /* SHA-256 and SHA-1 of the whole DER */
  uint8_t sha256[32];
  uint8_t sha1[20];
  bool has_spki;                  /* SHA-256 of the DER SubjectPublicKeyInfo */
  uint8_t spki_sha256[32];
  char spki_pin[MTK_SPKI_PIN_SIZE]; /* "sha256//<base64>" (curl --pinnedpubkey) */
  bool has_signature_check;
  const char *signer;             /* "self" for a CSR or a self-issued
                                     certificate; else set by the front (the
                                     issuer file); C string, not cert data */
  mtk_status signature_status;    /* MTK_OK: verifies; MTK_ERR_SIG_INVALID,
                                     MTK_ERR_SIG_UNSUPPORTED, MTK_ERR_KEY_PARSE */
  size_t n_key_matches;
  mtk_render_key_match key_matches[MTK_RENDER_MAX_KEY_MATCHES];
} mtk_render_extras;

/* mtk_render_extras_cert fills |out| (cleared first) for |c|: fingerprints,
 * the SPKI digest and curl pin, and, for a self-issued certificate, the
 * check of its signature under its own key (signer "self"; the result is in
 * |signature_status|, not the return value). Other issuers are the front's
 * to check and record. Returns MTK_OK or the keys.h error of a digest
 * (MTK_ERR_CRYPTO, MTK_ERR_NOMEM); a pin that cannot be computed (its SPKI
 * framing is checked by mtk_spki_pin) leaves |has_spki| false. */
MTK_EXPORT mtk_status mtk_render_extras_cert(mtk_render_extras *out,
                                             const mtk_cert *c) MTK_MUST_CHECK;

/* mtk_render_extras_csr is the same for a CSR, whose self-signature
 * (RFC 2986 4.2: proof of possession) is always checked. */
MTK_EXPORT mtk_status mtk_render_extras_csr(mtk_render_extras *out,
                                            const mtk_csr *r) MTK_MUST_CHECK;

/* mtk_render_ctx is what a renderer knows beside the object. Zero plus
 * |now| (mtk_render_ctx_init) is a valid context. Pointers are borrowed for
 * the call. */
typedef struct mtk_render_ctx {
  mtk_time now;                     /* "expires in", validity status */
  const char *file;                 /* source name for display ("-" = stdin),
                                       a C string from the user; NULL = none */
  size_t index;                     /* 0-based object index in the file */
  size_t offset;                    /* byte offset of the object in the file */
  size_t line;                      /* 1-based line of a PEM block; 0 = n/a */
  const char *encoding;             /* "PEM", "DER", "base64"; NULL = omit */
  const mtk_findings *findings;     /* lint results to show; NULL = none */
  const mtk_render_extras *extras;  /* NULL = none */
  unsigned flags;                   /* MTK_RENDER_* */
} mtk_render_ctx;

/* mtk_render_ctx_init zeroes |ctx| and sets |now|. */
MTK_EXPORT void mtk_render_ctx_init(mtk_render_ctx *ctx, mtk_time now);

/* mtk_render_cert appends |c| to |out|.
 *
 * Text: a header line (kind, subject CN, issuer CN), then sections
 * Identity, Validity, Key, Signature, Usage, Extensions (every other
 * extension, with criticality; unknown ones as OID and hex), Fingerprints
 * (with extras) and Findings (with findings), ending with a newline.
 *
 * JSON: one object (the element of an "objects" array of the document),
 * without a trailing newline; see docs/json-schema.md.
 *
 * |c| must come from a successful mtk_cert_parse and its input must live.
 * Returns mtk_buf_status(out) (MTK_ERR_LIMIT past the cap, MTK_ERR_NOMEM),
 * or MTK_ERR_ARG for a NULL argument. On failure |out| holds a truncated
 * rendering: discard it. */
MTK_EXPORT mtk_status mtk_render_cert(mtk_buf *out, const mtk_cert *c, const mtk_render_ctx *ctx,
                                      mtk_render_format fmt) MTK_MUST_CHECK;

/* mtk_render_csr is mtk_render_cert for a parsed CSR: subject, key,
 * attributes, requested extensions, signature (and its check, with extras). */
MTK_EXPORT mtk_status mtk_render_csr(mtk_buf *out, const mtk_csr *r, const mtk_render_ctx *ctx,
                                     mtk_render_format fmt) MTK_MUST_CHECK;

/* mtk_render_findings appends |f| alone: text grouped by severity (errors,
 * then warnings, then notices), each with its id, element path @ offset,
 * detail and explanation; JSON the "findings" object of the schema. |ctx|
 * may be NULL. */
MTK_EXPORT mtk_status mtk_render_findings(mtk_buf *out, const mtk_findings *f,
                                          const mtk_render_ctx *ctx,
                                          mtk_render_format fmt) MTK_MUST_CHECK;

/* mtk_render_error appends a decode error of the object |ctx| names: text
 * "error: FILE object N @offset: PATH: DETAIL (MESSAGE) at 0x..", one line;
 * JSON an element of an "errors" array. */
MTK_EXPORT mtk_status mtk_render_error(mtk_buf *out, const mtk_error *e, const mtk_render_ctx *ctx,
                                       mtk_render_format fmt) MTK_MUST_CHECK;

/* ---- the whole document ----------------------------------------------------
 *
 *   mtk_render_doc doc;
 *   mtk_render_doc_begin(&doc, &out, MTK_RENDER_JSON, "decode", "0.1.0", now, 0);
 *   for each file:
 *     mtk_render_doc_input_begin(&doc, file);
 *     for each object: mtk_render_doc_add_cert / _csr / _other / _error
 *     mtk_render_doc_input_end(&doc);
 *   s = mtk_render_doc_end(&doc);        (frees the scratch; s is the status)
 *
 * JSON: {"schema": MTK_RENDER_SCHEMA, "tool": {"name", "version"},
 * "command", "now", "inputs": [{"file", "objects": [...], "errors": [...]}],
 * "summary": {...}}. Text: the objects one after another separated by a
 * blank line, errors as single lines, and no summary (the front prints its
 * own). Calls out of order are MTK_ERR_ARG. mtk_render_doc_cleanup frees the
 * scratch of an abandoned document (safe after _end and on a zeroed doc). */
typedef struct mtk_render_doc {
  mtk_buf *out;
  mtk_render_format fmt;
  unsigned flags;
  int state;              /* private */
  mtk_buf errors;         /* the current input's errors, appended at its end */
  size_t n_inputs, n_objects, n_errors, n_input_objects, n_input_errors;
  size_t n_error_findings, n_warning_findings, n_notice_findings;
} mtk_render_doc;

MTK_EXPORT mtk_status mtk_render_doc_begin(mtk_render_doc *doc, mtk_buf *out,
                                           mtk_render_format fmt, const char *command,
                                           const char *version, mtk_time now,
                                           unsigned flags) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_input_begin(mtk_render_doc *doc,
                                                 const char *file) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_add_cert(mtk_render_doc *doc, const mtk_cert *c,
                                              const mtk_render_ctx *ctx) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_add_csr(mtk_render_doc *doc, const mtk_csr *r,
                                             const mtk_render_ctx *ctx) MTK_MUST_CHECK;
/* mtk_render_doc_add_other records an object that is not decoded here, by
 * kind only: "private_key" (never shown), "public_key", "crl", "pkcs7",
 * "parameters", "unknown". |note| (may be NULL) is a short C string. */
MTK_EXPORT mtk_status mtk_render_doc_add_other(mtk_render_doc *doc, const char *kind,
                                               const char *note,
                                               const mtk_render_ctx *ctx) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_add_error(mtk_render_doc *doc, const mtk_error *e,
                                               const mtk_render_ctx *ctx) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_input_end(mtk_render_doc *doc) MTK_MUST_CHECK;
MTK_EXPORT mtk_status mtk_render_doc_end(mtk_render_doc *doc) MTK_MUST_CHECK;
MTK_EXPORT void mtk_render_doc_cleanup(mtk_render_doc *doc);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_RENDER_H */

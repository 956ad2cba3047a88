/* render.c: the public entry points of the renderers, the JSON writer, the
 * names both renderers share, the extras (digests and signature checks via
 * keys.h) and the document wrapper. The object walks are in render_json.c
 * and render_text.c. See include/mtlskit/render.h. */
#include <string.h>

#include "mtlskit/keys.h"
#include "mtlskit/oid.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "render_int.h"

/* ---- JSON writer ------------------------------------------------------------------ */

#define JSON_SAFE_MAX ((uint64_t)9007199254740991) /* 2^53 - 1 */

void mtk_jw_init(mtk_jw *w, mtk_buf *b, unsigned flags, unsigned depth) {
  memset(w, 0, sizeof(*w));
  w->b = b;
  w->pretty = (flags & MTK_RENDER_COMPACT) == 0;
  w->no_hex = (flags & MTK_RENDER_NO_HEX) != 0;
  w->depth = depth;
}

static void jw_newline(mtk_jw *w, unsigned depth) {
  static const char spaces[] = "                                ";
  if (!w->pretty) return;
  (void)mtk_buf_putc(w->b, '\n');
  size_t n = (size_t)depth * 2;
  while (n > 0) {
    size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
    (void)mtk_buf_append(w->b, spaces, k);
    n -= k;
  }
}

void mtk_jw_value_prefix(mtk_jw *w) {
  if (w->after_key) {
    w->after_key = false;
    return;
  }
  if (w->has_elem) (void)mtk_buf_putc(w->b, ',');
  if (w->depth > 0) jw_newline(w, w->depth);
  w->has_elem = true;
}

static void jw_open(mtk_jw *w, char c) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, c);
  w->depth++;
  w->has_elem = false;
}

static void jw_close(mtk_jw *w, char c) {
  if (w->depth > 0) w->depth--;
  if (w->has_elem) jw_newline(w, w->depth);
  (void)mtk_buf_putc(w->b, c);
  w->has_elem = true;
  w->after_key = false;
}

void mtk_jw_obj(mtk_jw *w) { jw_open(w, '{'); }
void mtk_jw_end_obj(mtk_jw *w) { jw_close(w, '}'); }
void mtk_jw_arr(mtk_jw *w) { jw_open(w, '['); }
void mtk_jw_end_arr(mtk_jw *w) { jw_close(w, ']'); }

void mtk_jw_key(mtk_jw *w, const char *key) {
  if (w->has_elem) (void)mtk_buf_putc(w->b, ',');
  jw_newline(w, w->depth);
  w->has_elem = true;
  (void)mtk_str_json_quote(w->b, (const uint8_t *)key, strlen(key));
  (void)mtk_buf_puts(w->b, w->pretty ? ": " : ":");
  w->after_key = true;
}

void mtk_jw_str(mtk_jw *w, const char *s) {
  mtk_jw_value_prefix(w);
  (void)mtk_str_json_quote(w->b, (const uint8_t *)s, strlen(s));
}

void mtk_jw_utf8(mtk_jw *w, const uint8_t *p, size_t len) {
  mtk_jw_value_prefix(w);
  (void)mtk_str_json_quote(w->b, p, len);
}

void mtk_jw_asn1str(mtk_jw *w, mtk_tag tag, const uint8_t *p, size_t len, unsigned *flags) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_append(w->b, tag, p, len, MTK_ESC_JSON, flags);
  (void)mtk_buf_putc(w->b, '"');
}

void mtk_jw_hex(mtk_jw *w, const uint8_t *p, size_t len) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_hex(w->b, p, len, 0, false);
  (void)mtk_buf_putc(w->b, '"');
}

void mtk_jw_u64(mtk_jw *w, uint64_t v) {
  mtk_jw_value_prefix(w);
  if (v > JSON_SAFE_MAX)
    (void)mtk_buf_printf(w->b, "\"%llu\"", (unsigned long long)v);
  else
    (void)mtk_buf_printf(w->b, "%llu", (unsigned long long)v);
}

void mtk_jw_i64(mtk_jw *w, int64_t v) {
  mtk_jw_value_prefix(w);
  bool big = v < 0 ? (uint64_t)0 - (uint64_t)v > JSON_SAFE_MAX : (uint64_t)v > JSON_SAFE_MAX;
  (void)mtk_buf_printf(w->b, big ? "\"%lld\"" : "%lld", (long long)v);
}

void mtk_jw_bool(mtk_jw *w, bool v) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_puts(w->b, v ? "true" : "false");
}

void mtk_jw_null(mtk_jw *w) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_puts(w->b, "null");
}

void mtk_jw_oid(mtk_jw *w, const mtk_cbs *oid) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_oid(w->b, oid);
  (void)mtk_buf_putc(w->b, '"');
}

void mtk_jw_time(mtk_jw *w, mtk_time t) {
  mtk_jw_value_prefix(w);
  (void)mtk_buf_putc(w->b, '"');
  (void)mtk_str_time(w->b, t);
  (void)mtk_buf_putc(w->b, '"');
}

void mtk_jw_kstr(mtk_jw *w, const char *key, const char *s) {
  mtk_jw_key(w, key);
  mtk_jw_str(w, s);
}

void mtk_jw_khex(mtk_jw *w, const char *key, const uint8_t *p, size_t len) {
  mtk_jw_key(w, key);
  mtk_jw_hex(w, p, len);
}

void mtk_jw_ku64(mtk_jw *w, const char *key, uint64_t v) {
  mtk_jw_key(w, key);
  mtk_jw_u64(w, v);
}

void mtk_jw_ki64(mtk_jw *w, const char *key, int64_t v) {
  mtk_jw_key(w, key);
  mtk_jw_i64(w, v);
}

void mtk_jw_kbool(mtk_jw *w, const char *key, bool v) {
  mtk_jw_key(w, key);
  mtk_jw_bool(w, v);
}

void mtk_jw_koid(mtk_jw *w, const char *key, const mtk_cbs *oid) {
  mtk_jw_key(w, key);
  mtk_jw_oid(w, oid);
}

void mtk_jw_koid_name(mtk_jw *w, const char *key, const mtk_cbs *oid) {
  mtk_oid_id id = mtk_oid_lookup(oid);
  mtk_jw_key(w, key);
  if (id == MTK_OID_UNKNOWN || mtk_oid_short_name(id)[0] == '\0')
    mtk_jw_null(w);
  else
    mtk_jw_str(w, mtk_oid_short_name(id));
}

/* ---- shared names -------------------------------------------------------------------- */

const char *mtk_render_sig_status_word(mtk_status s) {
  switch (s) {
    case MTK_OK: return "valid";
    case MTK_ERR_SIG_INVALID: return "invalid";
    case MTK_ERR_SIG_UNSUPPORTED: return "unsupported";
    default: return "error";
  }
}

const char *mtk_render_reason_name(unsigned bit) {
  /* ReasonFlags ::= BIT STRING (RFC 5280 4.2.1.13) */
  static const char *const names[9] = {
      "unused",           "keyCompromise", "cACompromise",        "affiliationChanged",
      "superseded",       "cessationOfOperation", "certificateHold", "privilegeWithdrawn",
      "aACompromise"};
  return bit < 9 ? names[bit] : NULL;
}

const char *mtk_render_ns_cert_type_name(unsigned bit) {
  static const char *const names[8] = {"sslClient", "sslServer", "smime",   "objectSigning",
                                       "reserved",  "sslCA",     "smimeCA", "objectSigningCA"};
  return bit < 8 ? names[bit] : NULL;
}

const char *mtk_render_tls_feature_name(uint64_t v) {
  switch (v) {
    case 5: return "status_request";
    case 17: return "status_request_v2";
    default: return NULL;
  }
}

const char *mtk_render_tls_hash_name(uint8_t v) {
  static const char *const names[9] = {"none",   "md5",    "sha1",   "sha224", "sha256",
                                       "sha384", "sha512", "unassigned", "intrinsic"};
  return v < 9 ? names[v] : "unknown";
}

const char *mtk_render_tls_sig_name(uint8_t v) {
  switch (v) {
    case 0: return "anonymous";
    case 1: return "rsa";
    case 2: return "dsa";
    case 3: return "ecdsa";
    case 7: return "ed25519";
    case 8: return "ed448";
    default: return "unknown";
  }
}

const char *mtk_render_point_form(uint8_t form) {
  switch (form) {
    case 0x04: return "uncompressed";
    case 0x02:
    case 0x03: return "compressed";
    case 0x06:
    case 0x07: return "hybrid";
    default: return "unknown";
  }
}

bool mtk_render_ext_decoded(mtk_oid_id id) {
  if (id == MTK_OID_EXT_NS_COMMENT) return true;
  return mtk_xk_of(id) >= 0;
}

bool mtk_render_int_u64(const mtk_cbs *v, uint64_t *out) {
  size_t i = 0;
  if (v->len == 0 || (v->p[0] & 0x80u) != 0) return false;
  while (i < v->len && v->p[i] == 0) i++;
  if (v->len - i > 8) return false;
  uint64_t r = 0;
  for (; i < v->len; i++) r = r << 8 | v->p[i];
  *out = r;
  return true;
}

/* IMPLICIT GeneralizedTime contents YYYYMMDDHHMMSSZ. */
static bool gentime15(const mtk_cbs *b, mtk_time *out) {
  int f[6] = {0};
  static const size_t width[6] = {4, 2, 2, 2, 2, 2};
  size_t i = 0;
  if (b->len != 15 || b->p[14] != 'Z') return false;
  for (size_t k = 0; k < 6; k++)
    for (size_t j = 0; j < width[k]; j++, i++) {
      if (b->p[i] < '0' || b->p[i] > '9') return false;
      f[k] = f[k] * 10 + (b->p[i] - '0');
    }
  return mtk_time_from_civil(f[0], f[1], f[2], f[3], f[4], f[5], out);
}

bool mtk_render_pkup_decode(const mtk_cbs *value, mtk_render_pkup *out) {
  mtk_cbs c = *value, seq;
  memset(out, 0, sizeof(*out));
  if (mtk_der_get(&c, MTK_ASN1_SEQUENCE, &seq, NULL) != MTK_OK || c.len != 0) return false;
  while (seq.len > 0) {
    mtk_tag t;
    mtk_cbs body;
    mtk_time tm;
    if (mtk_der_get_any(&seq, &t, &body, NULL, NULL) != MTK_OK || !gentime15(&body, &tm))
      return false;
    if (t == MTK_CTX(0) && !out->has_not_before && !out->has_not_after) {
      out->has_not_before = true;
      out->not_before = tm;
    } else if (t == MTK_CTX(1) && !out->has_not_after) {
      out->has_not_after = true;
      out->not_after = tm;
    } else {
      return false;
    }
  }
  return true;
}

/* ---- extras ------------------------------------------------------------------------------ */

static mtk_status digests(mtk_render_extras *out, const mtk_cbs *der, const mtk_spki *spki) {
  size_t n = sizeof out->sha256;
  mtk_status s = mtk_digest(MTK_DIGEST_SHA256, der->p, der->len, out->sha256, &n);
  if (s != MTK_OK) return s;
  n = sizeof out->sha1;
  s = mtk_digest(MTK_DIGEST_SHA1, der->p, der->len, out->sha1, &n);
  if (s != MTK_OK) return s;
  out->has_fingerprints = true;
  n = sizeof out->spki_sha256;
  s = mtk_digest(MTK_DIGEST_SHA256, spki->elem.p, spki->elem.len, out->spki_sha256, &n);
  if (s != MTK_OK) return s;
  if (mtk_spki_pin(spki->elem.p, spki->elem.len, out->spki_pin, sizeof out->spki_pin) == MTK_OK)
    out->has_spki = true;
  return MTK_OK;
}

mtk_status mtk_render_extras_cert(mtk_render_extras *out, const mtk_cert *c) {
  if (out == NULL || c == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof(*out));
  mtk_status s = digests(out, &c->der, &c->spki);
  if (s != MTK_OK) return s;
  if (mtk_cert_is_self_issued(c)) {
    out->has_signature_check = true;
    out->signer = "self";
    out->signature_status =
        mtk_verify_signature(c->tbs.p, c->tbs.len, c->sig_alg.elem.p, c->sig_alg.elem.len,
                             c->signature.p, c->signature.len, c->spki.elem.p, c->spki.elem.len);
  }
  return MTK_OK;
}

mtk_status mtk_render_extras_csr(mtk_render_extras *out, const mtk_csr *r) {
  if (out == NULL || r == NULL) return MTK_ERR_ARG;
  memset(out, 0, sizeof(*out));
  mtk_status s = digests(out, &r->der, &r->spki);
  if (s != MTK_OK) return s;
  out->has_signature_check = true;
  out->signer = "self";
  out->signature_status =
      mtk_verify_signature(r->tbs.p, r->tbs.len, r->sig_alg.elem.p, r->sig_alg.elem.len,
                           r->signature.p, r->signature.len, r->spki.elem.p, r->spki.elem.len);
  return MTK_OK;
}

/* ---- public entry points ---------------------------------------------------------------- */

void mtk_render_ctx_init(mtk_render_ctx *ctx, mtk_time now) {
  memset(ctx, 0, sizeof(*ctx));
  ctx->now = now;
}

static const mtk_render_ctx *ctx_or_default(const mtk_render_ctx *ctx, mtk_render_ctx *tmp) {
  if (ctx != NULL) return ctx;
  mtk_render_ctx_init(tmp, 0);
  return tmp;
}

mtk_status mtk_render_cert(mtk_buf *out, const mtk_cert *c, const mtk_render_ctx *ctx,
                           mtk_render_format fmt) {
  if (out == NULL || c == NULL || ctx == NULL) return MTK_ERR_ARG;
  if (fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    mtk_jw_init(&w, out, ctx->flags, 0);
    mtk_render_cert_json(&w, c, ctx);
  } else {
    mtk_render_cert_text(out, c, ctx);
  }
  return mtk_buf_status(out);
}

mtk_status mtk_render_csr(mtk_buf *out, const mtk_csr *r, const mtk_render_ctx *ctx,
                          mtk_render_format fmt) {
  if (out == NULL || r == NULL || ctx == NULL) return MTK_ERR_ARG;
  if (fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    mtk_jw_init(&w, out, ctx->flags, 0);
    mtk_render_csr_json(&w, r, ctx);
  } else {
    mtk_render_csr_text(out, r, ctx);
  }
  return mtk_buf_status(out);
}

mtk_status mtk_render_findings(mtk_buf *out, const mtk_findings *f, const mtk_render_ctx *ctx,
                               mtk_render_format fmt) {
  mtk_render_ctx tmp;
  if (out == NULL || f == NULL) return MTK_ERR_ARG;
  ctx = ctx_or_default(ctx, &tmp);
  if (fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    mtk_jw_init(&w, out, ctx->flags, 0);
    mtk_render_findings_json(&w, f);
  } else {
    mtk_render_findings_text(out, f);
  }
  return mtk_buf_status(out);
}

mtk_status mtk_render_error(mtk_buf *out, const mtk_error *e, const mtk_render_ctx *ctx,
                            mtk_render_format fmt) {
  mtk_render_ctx tmp;
  if (out == NULL || e == NULL) return MTK_ERR_ARG;
  ctx = ctx_or_default(ctx, &tmp);
  if (fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    mtk_jw_init(&w, out, ctx->flags, 0);
    mtk_render_error_json(&w, e, ctx);
  } else {
    mtk_render_error_text(out, e, ctx);
  }
  return mtk_buf_status(out);
}

/* ---- document ---------------------------------------------------------------------------- */

enum { DOC_NONE = 0, DOC_OPEN, DOC_INPUT, DOC_DONE };

/* JSON nesting of the document: the top object (1) > "inputs" array (2) >
 * an input object (3) > its "objects" / "errors" arrays (4). */
#define DOC_ELEM_DEPTH 4u

static void doc_jw(const mtk_render_doc *doc, mtk_jw *w, unsigned depth, bool has_elem) {
  mtk_jw_init(w, doc->out, doc->flags, depth);
  w->has_elem = has_elem;
}

mtk_status mtk_render_doc_begin(mtk_render_doc *doc, mtk_buf *out, mtk_render_format fmt,
                                const char *command, const char *version, mtk_time now,
                                unsigned flags) {
  if (doc == NULL || out == NULL) return MTK_ERR_ARG;
  memset(doc, 0, sizeof(*doc));
  doc->out = out;
  doc->fmt = fmt;
  doc->flags = flags;
  mtk_buf_init(&doc->errors, out->cap);
  doc->state = DOC_OPEN;
  if (fmt != MTK_RENDER_JSON) return mtk_buf_status(out);
  mtk_jw w;
  mtk_jw_init(&w, out, flags, 0);
  mtk_jw_obj(&w);
  mtk_jw_kstr(&w, "schema", MTK_RENDER_SCHEMA);
  mtk_jw_key(&w, "tool");
  mtk_jw_obj(&w);
  mtk_jw_kstr(&w, "name", "mtlskit");
  mtk_jw_kstr(&w, "version", version != NULL ? version : "");
  mtk_jw_end_obj(&w);
  mtk_jw_kstr(&w, "command", command != NULL ? command : "decode");
  mtk_jw_key(&w, "now");
  mtk_jw_time(&w, now);
  mtk_jw_key(&w, "inputs");
  mtk_jw_arr(&w);
  return mtk_buf_status(out);
}

mtk_status mtk_render_doc_input_begin(mtk_render_doc *doc, const char *file) {
  if (doc == NULL || doc->state != DOC_OPEN) return MTK_ERR_ARG;
  doc->state = DOC_INPUT;
  doc->n_input_objects = 0;
  doc->n_input_errors = 0;
  mtk_buf_reset(&doc->errors);
  if (doc->fmt != MTK_RENDER_JSON) return mtk_buf_status(doc->out);
  mtk_jw w;
  doc_jw(doc, &w, 2, doc->n_inputs > 0);
  mtk_jw_obj(&w);
  mtk_jw_key(&w, "file");
  if (file != NULL) mtk_jw_str(&w, file); else mtk_jw_null(&w);
  mtk_jw_key(&w, "objects");
  mtk_jw_arr(&w);
  return mtk_buf_status(doc->out);
}

static void count_findings(mtk_render_doc *doc, const mtk_render_ctx *ctx) {
  if (ctx->findings == NULL) return;
  doc->n_error_findings += ctx->findings->n_error;
  doc->n_warning_findings += ctx->findings->n_warning;
  doc->n_notice_findings += ctx->findings->n_notice;
}

/* Starts one element of the current input's objects: in JSON a writer
 * positioned after the separator; in text a blank line between objects. */
static void doc_object_prefix(mtk_render_doc *doc, mtk_jw *w) {
  if (doc->fmt == MTK_RENDER_JSON) {
    doc_jw(doc, w, DOC_ELEM_DEPTH, doc->n_input_objects > 0);
    mtk_jw_value_prefix(w);
    w->after_key = true; /* the element's own prefix is written */
  } else if (doc->n_objects > 0 || doc->n_errors > 0) {
    (void)mtk_buf_putc(doc->out, '\n');
  }
  doc->n_input_objects++;
  doc->n_objects++;
}

mtk_status mtk_render_doc_add_cert(mtk_render_doc *doc, const mtk_cert *c,
                                   const mtk_render_ctx *ctx) {
  if (doc == NULL || c == NULL || ctx == NULL || doc->state != DOC_INPUT) return MTK_ERR_ARG;
  mtk_jw w;
  doc_object_prefix(doc, &w);
  if (doc->fmt == MTK_RENDER_JSON) mtk_render_cert_json(&w, c, ctx);
  else mtk_render_cert_text(doc->out, c, ctx);
  count_findings(doc, ctx);
  return mtk_buf_status(doc->out);
}

mtk_status mtk_render_doc_add_csr(mtk_render_doc *doc, const mtk_csr *r,
                                  const mtk_render_ctx *ctx) {
  if (doc == NULL || r == NULL || ctx == NULL || doc->state != DOC_INPUT) return MTK_ERR_ARG;
  mtk_jw w;
  doc_object_prefix(doc, &w);
  if (doc->fmt == MTK_RENDER_JSON) mtk_render_csr_json(&w, r, ctx);
  else mtk_render_csr_text(doc->out, r, ctx);
  count_findings(doc, ctx);
  return mtk_buf_status(doc->out);
}

static const char *other_title(const char *kind) {
  if (strcmp(kind, "private_key") == 0) return "Private key";
  if (strcmp(kind, "public_key") == 0) return "Public key";
  if (strcmp(kind, "crl") == 0) return "CRL";
  if (strcmp(kind, "pkcs7") == 0) return "PKCS#7 bundle";
  if (strcmp(kind, "parameters") == 0) return "Parameters";
  return "Object";
}

mtk_status mtk_render_doc_add_other(mtk_render_doc *doc, const char *kind, const char *note,
                                    const mtk_render_ctx *ctx) {
  if (doc == NULL || kind == NULL || ctx == NULL || doc->state != DOC_INPUT) return MTK_ERR_ARG;
  mtk_jw w;
  doc_object_prefix(doc, &w);
  if (doc->fmt == MTK_RENDER_JSON) {
    mtk_jw_obj(&w);
    mtk_jw_kstr(&w, "kind", kind);
    mtk_jw_ku64(&w, "index", ctx->index);
    mtk_jw_ku64(&w, "offset", ctx->offset);
    if (ctx->line > 0) mtk_jw_ku64(&w, "line", ctx->line);
    if (ctx->encoding != NULL) mtk_jw_kstr(&w, "encoding", ctx->encoding);
    if (note != NULL) mtk_jw_kstr(&w, "note", note);
    mtk_jw_end_obj(&w);
  } else {
    mtk_buf *b = doc->out;
    (void)mtk_buf_printf(b, "%s", other_title(kind));
    if (ctx->file != NULL) {
      (void)mtk_buf_puts(b, " in ");
      (void)mtk_str_escape_utf8(b, (const uint8_t *)ctx->file, strlen(ctx->file), MTK_ESC_TEXT);
    }
    (void)mtk_buf_printf(b, ", object %zu at offset %zu", ctx->index + 1, ctx->offset);
    if (note != NULL) {
      (void)mtk_buf_puts(b, ": ");
      (void)mtk_str_escape_utf8(b, (const uint8_t *)note, strlen(note), MTK_ESC_TEXT);
    }
    (void)mtk_buf_putc(b, '\n');
  }
  return mtk_buf_status(doc->out);
}

mtk_status mtk_render_doc_add_error(mtk_render_doc *doc, const mtk_error *e,
                                    const mtk_render_ctx *ctx) {
  if (doc == NULL || e == NULL || ctx == NULL || doc->state != DOC_INPUT) return MTK_ERR_ARG;
  if (doc->fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    mtk_jw_init(&w, &doc->errors, doc->flags, DOC_ELEM_DEPTH);
    w.has_elem = doc->n_input_errors > 0;
    mtk_render_error_json(&w, e, ctx);
    if (doc->errors.overflow) doc->out->overflow = true;
  } else {
    mtk_render_error_text(doc->out, e, ctx);
  }
  doc->n_input_errors++;
  doc->n_errors++;
  return mtk_buf_status(doc->out);
}

mtk_status mtk_render_doc_input_end(mtk_render_doc *doc) {
  if (doc == NULL || doc->state != DOC_INPUT) return MTK_ERR_ARG;
  doc->state = DOC_OPEN;
  doc->n_inputs++;
  if (doc->fmt != MTK_RENDER_JSON) return mtk_buf_status(doc->out);
  mtk_jw w;
  doc_jw(doc, &w, DOC_ELEM_DEPTH, doc->n_input_objects > 0);
  mtk_jw_end_arr(&w); /* objects */
  mtk_jw_key(&w, "errors");
  mtk_jw_arr(&w);
  if (doc->errors.len > 0) (void)mtk_buf_append(doc->out, doc->errors.p, doc->errors.len);
  w.has_elem = doc->n_input_errors > 0;
  mtk_jw_end_arr(&w); /* errors */
  mtk_jw_end_obj(&w); /* the input */
  mtk_buf_reset(&doc->errors);
  return mtk_buf_status(doc->out);
}

mtk_status mtk_render_doc_end(mtk_render_doc *doc) {
  if (doc == NULL || doc->state != DOC_OPEN) {
    if (doc != NULL) mtk_render_doc_cleanup(doc);
    return MTK_ERR_ARG;
  }
  doc->state = DOC_DONE;
  if (doc->fmt == MTK_RENDER_JSON) {
    mtk_jw w;
    doc_jw(doc, &w, 2, doc->n_inputs > 0);
    mtk_jw_end_arr(&w); /* inputs */
    mtk_jw_key(&w, "summary");
    mtk_jw_obj(&w);
    mtk_jw_ku64(&w, "inputs", doc->n_inputs);
    mtk_jw_ku64(&w, "objects", doc->n_objects);
    mtk_jw_ku64(&w, "errors", doc->n_errors);
    mtk_jw_key(&w, "findings");
    mtk_jw_obj(&w);
    mtk_jw_ku64(&w, "error", doc->n_error_findings);
    mtk_jw_ku64(&w, "warning", doc->n_warning_findings);
    mtk_jw_ku64(&w, "notice", doc->n_notice_findings);
    mtk_jw_end_obj(&w);
    mtk_jw_end_obj(&w);
    mtk_jw_end_obj(&w); /* the document */
    (void)mtk_buf_putc(doc->out, '\n');
  }
  mtk_buf_free(&doc->errors);
  return mtk_buf_status(doc->out);
}

void mtk_render_doc_cleanup(mtk_render_doc *doc) {
  if (doc == NULL) return;
  mtk_buf_free(&doc->errors);
  doc->state = DOC_DONE;
}

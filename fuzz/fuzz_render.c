/* fuzz_render.c: the renderers (text and JSON) on whatever mtk_cert_parse,
 * or else mtk_csr_parse, accepts. Oracles, each an abort():
 *   - rendering never fails below the cap (the buffer status is MTK_OK);
 *   - the text holds no raw control octet but '\n' (no NUL, ESC, DEL, no
 *     C1 control or bidi override in UTF-8) and is valid UTF-8;
 *   - the JSON document is well-formed JSON (checked by the small validator
 *     below: no jansson in fuzzers), holds no raw control octet but '\n',
 *     and is valid UTF-8;
 *   - rendering twice gives the same bytes (no hidden state, no clock). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/buf.h"
#include "mtlskit/render.h"
#include "mtlskit/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2025-12-23T00:00:00Z */
#define FUZZ_NOW INT64_C(1766448000)

/* ---- output checks ---------------------------------------------------------------------- */

/* Well-formed UTF-8 (RFC 3629). */
static bool utf8_ok(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = p[i];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) need = 1;
    else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i <= need) return false;
    for (size_t k = 1; k <= need; k++) {
      uint8_t c = p[i + k];
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
    }
    i += need + 1;
  }
  return true;
}

/* No control octet but '\n'; no C1 control (C2 80..9F) or bidi override
 * (E2 80 AA..AE, E2 81 A6..A9) in UTF-8. */
static bool terminal_safe(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return false;
    if (c == 0xE2 && i + 2 < n &&
        ((p[i + 1] == 0x80 && p[i + 2] >= 0xAA && p[i + 2] <= 0xAE) ||
         (p[i + 1] == 0x81 && p[i + 2] >= 0xA6 && p[i + 2] <= 0xA9)))
      return false;
  }
  return true;
}

/* A small RFC 8259 validator: true if |p| is exactly one JSON value with
 * optional whitespace around it. Depth-bounded. */
typedef struct jcur {
  const uint8_t *p;
  size_t n, i;
} jcur;

static void j_ws(jcur *c) {
  while (c->i < c->n &&
         (c->p[c->i] == ' ' || c->p[c->i] == '\n' || c->p[c->i] == '\r' || c->p[c->i] == '\t'))
    c->i++;
}

static bool j_lit(jcur *c, const char *s) {
  size_t k = strlen(s);
  if (c->n - c->i < k || memcmp(c->p + c->i, s, k) != 0) return false;
  c->i += k;
  return true;
}

static bool j_hex4(jcur *c) {
  if (c->n - c->i < 4) return false;
  for (size_t k = 0; k < 4; k++) {
    uint8_t h = c->p[c->i + k];
    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return false;
  }
  c->i += 4;
  return true;
}

static bool j_string(jcur *c) {
  if (c->i >= c->n || c->p[c->i] != '"') return false;
  c->i++;
  while (c->i < c->n) {
    uint8_t b = c->p[c->i++];
    if (b == '"') return true;
    if (b < 0x20) return false;
    if (b == '\\') {
      if (c->i >= c->n) return false;
      uint8_t e = c->p[c->i++];
      if (e == 'u') {
        if (!j_hex4(c)) return false;
      } else if (strchr("\"\\/bfnrt", e) == NULL || e == 0) {
        return false;
      }
    }
  }
  return false;
}

static bool j_digits(jcur *c) {
  size_t s = c->i;
  while (c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '9') c->i++;
  return c->i > s;
}

static bool j_number(jcur *c) {
  if (c->i < c->n && c->p[c->i] == '-') c->i++;
  if (c->i < c->n && c->p[c->i] == '0') {
    c->i++;
  } else if (!j_digits(c)) {
    return false;
  }
  if (c->i < c->n && c->p[c->i] == '.') {
    c->i++;
    if (!j_digits(c)) return false;
  }
  if (c->i < c->n && (c->p[c->i] == 'e' || c->p[c->i] == 'E')) {
    c->i++;
    if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-')) c->i++;
    if (!j_digits(c)) return false;
  }
  return true;
}

static bool j_value(jcur *c, unsigned depth) {
  if (depth > 200) return false;
  j_ws(c);
  if (c->i >= c->n) return false;
  uint8_t b = c->p[c->i];
  if (b == '{' || b == '[') {
    uint8_t close = b == '{' ? '}' : ']';
    c->i++;
    j_ws(c);
    if (c->i < c->n && c->p[c->i] == close) {
      c->i++;
      return true;
    }
    for (;;) {
      if (b == '{') {
        j_ws(c);
        if (!j_string(c)) return false;
        j_ws(c);
        if (c->i >= c->n || c->p[c->i] != ':') return false;
        c->i++;
      }
      if (!j_value(c, depth + 1)) return false;
      j_ws(c);
      if (c->i >= c->n) return false;
      if (c->p[c->i] == ',') {
        c->i++;
        continue;
      }
      if (c->p[c->i] == close) {
        c->i++;
        return true;
      }
      return false;
    }
  }
  if (b == '"') return j_string(c);
  if (b == 't') return j_lit(c, "true");
  if (b == 'f') return j_lit(c, "false");
  if (b == 'n') return j_lit(c, "null");
  return j_number(c);
}

static bool json_ok(const uint8_t *p, size_t n) {
  jcur c = {p, n, 0};
  if (!j_value(&c, 0)) return false;
  j_ws(&c);
  return c.i == n;
}

static void check_text(const mtk_buf *b) {
  if (mtk_buf_status(b) != MTK_OK) abort();
  if (b->len == 0 || b->p[b->len - 1] != '\n') abort();
  if (!terminal_safe(b->p, b->len) || !utf8_ok(b->p, b->len)) abort();
}

static void check_json(const mtk_buf *b) {
  if (mtk_buf_status(b) != MTK_OK) abort();
  if (!terminal_safe(b->p, b->len) || !utf8_ok(b->p, b->len)) abort();
  if (!json_ok(b->p, b->len)) abort();
}

static void check_same(const mtk_buf *a, const mtk_buf *b) {
  if (a->len != b->len || memcmp(a->p, b->p, a->len) != 0) abort();
}

/* ---- one object ---------------------------------------------------------------------------- */

typedef enum { OBJ_CERT, OBJ_CSR } obj_kind;

static void render_one(obj_kind kind, const mtk_cert *c, const mtk_csr *r,
                       const mtk_render_extras *x) {
  mtk_buf text, json, again;
  mtk_render_ctx ctx;
  mtk_render_doc doc;
  mtk_buf_init(&text, MTK_MAX_RENDER);
  mtk_buf_init(&json, MTK_MAX_RENDER);
  mtk_buf_init(&again, MTK_MAX_RENDER);
  mtk_render_ctx_init(&ctx, FUZZ_NOW);
  ctx.file = "fuzz.der";
  ctx.encoding = "DER";
  ctx.extras = x;

  mtk_status s = kind == OBJ_CERT ? mtk_render_cert(&text, c, &ctx, MTK_RENDER_TEXT)
                                  : mtk_render_csr(&text, r, &ctx, MTK_RENDER_TEXT);
  if (s != MTK_OK) abort();
  check_text(&text);
  s = kind == OBJ_CERT ? mtk_render_cert(&again, c, &ctx, MTK_RENDER_TEXT)
                       : mtk_render_csr(&again, r, &ctx, MTK_RENDER_TEXT);
  if (s != MTK_OK) abort();
  check_same(&text, &again);

  /* The JSON through the document wrapper, with an error beside it. */
  mtk_error e;
  memset(&e, 0, sizeof e);
  e.code = MTK_ERR_DER_TAG;
  if (mtk_render_doc_begin(&doc, &json, MTK_RENDER_JSON, "decode", "fuzz", FUZZ_NOW, 0) != MTK_OK ||
      mtk_render_doc_input_begin(&doc, "fuzz.der") != MTK_OK)
    abort();
  s = kind == OBJ_CERT ? mtk_render_doc_add_cert(&doc, c, &ctx) : mtk_render_doc_add_csr(&doc, r, &ctx);
  if (s != MTK_OK || mtk_render_doc_add_error(&doc, &e, &ctx) != MTK_OK ||
      mtk_render_doc_input_end(&doc) != MTK_OK || mtk_render_doc_end(&doc) != MTK_OK)
    abort();
  check_json(&json);

  /* The bare object, compact. */
  mtk_buf_reset(&again);
  ctx.flags = MTK_RENDER_COMPACT;
  s = kind == OBJ_CERT ? mtk_render_cert(&again, c, &ctx, MTK_RENDER_JSON)
                       : mtk_render_csr(&again, r, &ctx, MTK_RENDER_JSON);
  if (s != MTK_OK) abort();
  check_json(&again);
  if (memchr(again.p, '\n', again.len) != NULL) abort();

  mtk_buf_free(&text);
  mtk_buf_free(&json);
  mtk_buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_diag d;
  mtk_render_extras x;
  mtk_cert c;
  mtk_diag_init(&d);
  if (mtk_cert_parse(&c, data, size, &d) == MTK_OK) {
    /* Digests and (for a self-issued certificate) the signature check;
     * skipped on failure, the renderer takes NULL. */
    bool have = mtk_render_extras_cert(&x, &c) == MTK_OK;
    render_one(OBJ_CERT, &c, NULL, have ? &x : NULL);
    return 0;
  }
  mtk_csr r;
  mtk_diag_init(&d);
  if (mtk_csr_parse(&r, data, size, &d) == MTK_OK) {
    bool have = mtk_render_extras_csr(&x, &r) == MTK_OK;
    render_one(OBJ_CSR, NULL, &r, have ? &x : NULL);
  }
  return 0;
}

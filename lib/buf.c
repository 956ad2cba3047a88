/* buf.c: the capped growable buffer. */
#include "mtlskit/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mtk_buf_init(mtk_buf *b, size_t cap) {
  memset(b, 0, sizeof(*b));
  b->cap = cap;
}

void mtk_buf_free(mtk_buf *b) {
  free(b->p);
  size_t cap = b->cap;
  mtk_buf_init(b, cap);
}

void mtk_buf_reset(mtk_buf *b) {
  b->len = 0;
  b->overflow = false;
  if (b->p != NULL) b->p[0] = 0;
}

static mtk_status grow(mtk_buf *b, size_t extra) {
  if (b->overflow) return MTK_ERR_LIMIT;
  if (extra > b->cap || b->len > b->cap - extra) {
    b->overflow = true;
    return MTK_ERR_LIMIT;
  }
  size_t need = b->len + extra + 1; /* room for the NUL */
  if (need <= b->alloc) return MTK_OK;
  size_t n = b->alloc ? b->alloc : 256;
  while (n < need) n = n > SIZE_MAX / 2 ? need : n * 2;
  uint8_t *p = realloc(b->p, n);
  if (p == NULL) {
    b->overflow = true;
    return MTK_ERR_NOMEM;
  }
  b->p = p;
  b->alloc = n;
  return MTK_OK;
}

mtk_status mtk_buf_append(mtk_buf *b, const void *p, size_t n) {
  mtk_status s = grow(b, n);
  if (s != MTK_OK) return s;
  if (n > 0) memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = 0;
  return MTK_OK;
}

mtk_status mtk_buf_puts(mtk_buf *b, const char *s) { return mtk_buf_append(b, s, strlen(s)); }

mtk_status mtk_buf_putc(mtk_buf *b, char c) { return mtk_buf_append(b, &c, 1); }

mtk_status mtk_buf_vprintf(mtk_buf *b, const char *fmt, va_list ap) {
  char small[256];
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof small, fmt, ap2);
  va_end(ap2);
  if (n < 0) return MTK_ERR_INTERNAL;
  if ((size_t)n < sizeof small) return mtk_buf_append(b, small, (size_t)n);
  mtk_status s = grow(b, (size_t)n);
  if (s != MTK_OK) return s;
  (void)vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return MTK_OK;
}

mtk_status mtk_buf_printf(mtk_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  mtk_status s = mtk_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return s;
}

uint8_t *mtk_buf_take(mtk_buf *b, size_t *len) {
  uint8_t *p = b->p;
  if (len != NULL) *len = b->len;
  size_t cap = b->cap;
  mtk_buf_init(b, cap);
  return p;
}

mtk_status mtk_buf_status(const mtk_buf *b) { return b->overflow ? MTK_ERR_LIMIT : MTK_OK; }

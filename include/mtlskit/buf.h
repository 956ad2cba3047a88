/* mtlskit/buf.h: one growable byte buffer with a hard cap.
 *
 * Used for rendering text and JSON and for reading files. Every buffer has a
 * cap fixed at init; an append that would pass it fails with MTK_ERR_LIMIT
 * and sets |overflow|, and later appends are ignored, so a renderer may
 * append freely and check once at the end (as curl's dynbuf). The contents
 * are always NUL-terminated for convenience, but may hold NUL bytes. */
#ifndef MTLSKIT_BUF_H
#define MTLSKIT_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caps by purpose (the input cap, MTK_MAX_INPUT, is in pem.h). */
#define MTK_MAX_RENDER ((size_t)256 << 20) /* rendered text or JSON */

typedef struct mtk_buf {
  uint8_t *p;
  size_t len;
  size_t alloc;
  size_t cap;
  bool overflow;  /* an append failed (cap or out of memory) */
} mtk_buf;

/* mtk_buf_init sets |b| empty with hard cap |cap|. No allocation yet. */
MTK_EXPORT void mtk_buf_init(mtk_buf *b, size_t cap);
/* mtk_buf_free releases the memory; |b| is empty (and reusable) afterwards. */
MTK_EXPORT void mtk_buf_free(mtk_buf *b);
/* mtk_buf_reset empties |b| keeping its memory and clearing |overflow|. */
MTK_EXPORT void mtk_buf_reset(mtk_buf *b);
MTK_EXPORT mtk_status mtk_buf_append(mtk_buf *b, const void *p, size_t n);
MTK_EXPORT mtk_status mtk_buf_puts(mtk_buf *b, const char *s);
MTK_EXPORT mtk_status mtk_buf_putc(mtk_buf *b, char c);
MTK_EXPORT mtk_status mtk_buf_printf(mtk_buf *b, const char *fmt, ...) MTK_PRINTF(2, 3);
MTK_EXPORT mtk_status mtk_buf_vprintf(mtk_buf *b, const char *fmt, va_list ap) MTK_PRINTF(2, 0);
/* mtk_buf_take hands the memory to the caller (free() it) and empties |b|.
 * |*len| gets the length. NULL if nothing was allocated. */
MTK_EXPORT uint8_t *mtk_buf_take(mtk_buf *b, size_t *len);
/* mtk_buf_status: MTK_ERR_LIMIT if any append failed, else MTK_OK. */
MTK_EXPORT mtk_status mtk_buf_status(const mtk_buf *b);

#ifdef __cplusplus
}
#endif
#endif

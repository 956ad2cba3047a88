/* err.c: status names, and the decode diagnostics (path stack, first error,
 * quirks). */
#include "mtlskit/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *mtk_status_name(mtk_status s) {
  switch (s) {
#define MTK_X_CASE(name, value, msg) \
  case name:                         \
    return #name;
    MTK_STATUS_LIST(MTK_X_CASE)
#undef MTK_X_CASE
  }
  return "MTK_ERR_UNKNOWN";
}

const char *mtk_status_message(mtk_status s) {
  switch (s) {
#define MTK_X_CASE(name, value, msg) \
  case name:                         \
    return msg;
    MTK_STATUS_LIST(MTK_X_CASE)
#undef MTK_X_CASE
  }
  return "unknown error";
}

const char *mtk_quirk_id(mtk_quirk_kind k) {
  switch (k) {
    case MTK_QUIRK_NONE:
      return "none";
#define MTK_X_CASE(name, value, id, msg) \
  case name:                             \
    return id;
      MTK_QUIRK_LIST(MTK_X_CASE)
#undef MTK_X_CASE
  }
  return "unknown";
}

const char *mtk_quirk_message(mtk_quirk_kind k) {
  switch (k) {
    case MTK_QUIRK_NONE:
      return "";
#define MTK_X_CASE(name, value, id, msg) \
  case name:                             \
    return msg;
      MTK_QUIRK_LIST(MTK_X_CASE)
#undef MTK_X_CASE
  }
  return "";
}

void mtk_diag_init(mtk_diag *d) {
  if (d != NULL) memset(d, 0, sizeof(*d));
}

size_t mtk_diag_push(mtk_diag *d, const char *fmt, ...) {
  if (d == NULL) return 0;
  size_t mark = d->path_len;
  if (d->path_truncated) return mark;
  char comp[64];
  size_t clen;
  va_list ap;
  va_start(ap, fmt);
  /* The parsers push on every element: the common forms (a literal, "%s",
   * "[%u]") without vsnprintf, with the same result. */
  if (strchr(fmt, '%') == NULL || strcmp(fmt, "%s") == 0) {
    const char *src = fmt[0] == '%' ? va_arg(ap, const char *) : fmt;
    clen = strnlen(src, sizeof(comp) - 1);
    memcpy(comp, src, clen);
    comp[clen] = '\0';
  } else if (strcmp(fmt, "[%u]") == 0) {
    unsigned u = va_arg(ap, unsigned);
    char digits[16];
    size_t nd = 0;
    do {
      digits[nd++] = (char)('0' + u % 10);
      u /= 10;
    } while (u != 0);
    clen = 0;
    comp[clen++] = '[';
    while (nd > 0) comp[clen++] = digits[--nd];
    comp[clen++] = ']';
    comp[clen] = '\0';
  } else {
    int n = vsnprintf(comp, sizeof(comp), fmt, ap);
    if (n < 0) {
      va_end(ap);
      return mark;
    }
    clen = strnlen(comp, sizeof(comp));
  }
  va_end(ap);
  size_t need = clen + ((d->path_len > 0 && comp[0] != '[') ? 1 : 0);
  if (d->path_len + need >= sizeof(d->path)) {
    /* Mark the cut visibly, so a path is never silently missing a part. */
    if (d->path_len + 3 >= sizeof(d->path)) d->path_len = sizeof(d->path) - 4;
    memcpy(d->path + d->path_len, "...", 4);
    d->path_len += 3;
    d->path_truncated = mark + 1;
    return mark;
  }
  if (d->path_len > 0 && comp[0] != '[') d->path[d->path_len++] = '.';
  memcpy(d->path + d->path_len, comp, clen);
  d->path_len += clen;
  d->path[d->path_len] = '\0';
  return mark;
}

void mtk_diag_pop(mtk_diag *d, size_t mark) {
  if (d == NULL) return;
  if (d->path_truncated) {
    /* Pops of refused pushes return to the cut; the pop of the push that
     * overflowed (its mark is path_truncated - 1) removes the "...". */
    if (mark + 1 > d->path_truncated) return;
    d->path_truncated = 0;
  }
  if (mark > d->path_len) return;
  d->path_len = mark;
  d->path[mark] = '\0';
}

mtk_status mtk_diag_fail(mtk_diag *d, mtk_status code, size_t offset, const char *fmt, ...) {
  if (d == NULL || d->err.code != MTK_OK) return code;
  d->err.code = code;
  d->err.offset = offset;
  memcpy(d->err.path, d->path, d->path_len + 1);
  d->err.detail[0] = '\0';
  if (fmt != NULL) {
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(d->err.detail, sizeof(d->err.detail), fmt, ap);
    va_end(ap);
  }
  return code;
}

void mtk_diag_quirk(mtk_diag *d, mtk_quirk_kind kind, size_t offset) {
  if (d == NULL) return;
  if (d->n_quirks >= MTK_MAX_QUIRKS) {
    d->quirks_dropped++;
    return;
  }
  mtk_quirk *q = &d->quirks[d->n_quirks++];
  q->kind = kind;
  q->offset = offset;
  memcpy(q->path, d->path, d->path_len + 1);
}

void mtk_error_format(const mtk_error *e, char *buf, size_t cap) {
  if (cap == 0) return;
  const char *detail = e->detail[0] != '\0' ? e->detail : mtk_status_message(e->code);
  if (e->path[0] != '\0') {
    (void)snprintf(buf, cap, "%s: %s (%s) at offset 0x%zx", e->path, detail,
                   mtk_status_name(e->code), e->offset);
  } else {
    (void)snprintf(buf, cap, "%s (%s) at offset 0x%zx", detail, mtk_status_name(e->code),
                   e->offset);
  }
}

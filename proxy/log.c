/* log.c: the proxy's JSON log lines (mtlskit/jsonlog.h) on stderr. One
 * write(2) per line, so lines from several workers never interleave. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

#define PXY_LOG_CAP ((size_t)64 << 10) /* a line never passes this */

int64_t pxy_wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void emit(const mtk_buf *b) {
  size_t off = 0;
  while (off < b->len) {
    ssize_t w = write(STDERR_FILENO, b->p + off, b->len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    off += (size_t)w;
  }
}

void pxy_conn_log_line(mtk_buf *scratch, const mtk_connlog *c) {
  mtk_connlog l = *c;
  if (l.ts_ms == 0) l.ts_ms = pxy_wall_ms();
  mtk_buf_reset(scratch);
  if (mtk_jsonlog_conn(scratch, &l) != MTK_OK) {
    /* Over the cap (cannot happen with the proxy's bounded fields) or out
     * of memory: a shorter line without the free text. */
    mtk_buf_reset(scratch);
    l.detail = NULL;
    l.identity = NULL;
    if (mtk_jsonlog_conn(scratch, &l) != MTK_OK) return;
  }
  emit(scratch);
}

void pxy_conn_log(const pxy_conn_record *r) {
  mtk_connlog l;
  memset(&l, 0, sizeof l);
  l.worker = r->worker;
  l.peer = r->peer_addr;
  if (r->identity != NULL && r->identity[0] != '\0') {
    l.identity = (const uint8_t *)r->identity;
    l.identity_len = strlen(r->identity);
  }
  l.allowed = r->allowed;
  l.failed = r->failed;
  l.reason = r->reason;
  l.detail = r->detail;
  l.tls = r->tls_version;
  l.cipher = r->cipher;
  l.bytes_in = r->bytes_in;
  l.bytes_out = r->bytes_out;
  l.duration_ms = r->duration_ms;
  mtk_buf b;
  mtk_buf_init(&b, PXY_LOG_CAP);
  pxy_conn_log_line(&b, &l);
  mtk_buf_free(&b);
}

void pxy_log_fields(const char *event, const mtk_logfield *fields, size_t n) {
  mtk_buf b;
  mtk_buf_init(&b, PXY_LOG_CAP);
  if (mtk_jsonlog_event(&b, pxy_wall_ms(), event, fields, n) == MTK_OK) emit(&b);
  mtk_buf_free(&b);
}

void pxy_log_event(const char *event, const char *detail) {
  mtk_logfield f = MTK_LOG_STR("detail", detail);
  pxy_log_fields(event, &f, detail != NULL ? 1u : 0u);
}

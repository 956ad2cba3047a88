/* mtlskit/jsonlog.h: the proxy's log lines, one JSON object per line.
 *
 * Each function appends exactly one line, ending in "\n", to an mtk_buf
 * (the caller writes it out: the library never prints). Every string value
 * goes through mtk_str_json_quote (str.h): invalid UTF-8 becomes U+FFFD,
 * control, bidi and zero-width characters are \u-escaped, so a certificate
 * identity cannot break the line, forge a field or hide text from a reader.
 * The time is an argument (the library never reads the clock): milliseconds
 * since the Unix epoch, written as RFC 3339 UTC with milliseconds,
 * "2026-01-02T03:04:05.678Z".
 *
 * Connection line (fields in this order; absent strings are null):
 *   {"ts":"...","event":"conn","worker":0,"peer":"192.0.2.1:50000",
 *    "identity":"spiffe://example.org/web","verdict":"allowed"|"refused"|"failed",
 *    "reason":null|"identity",["detail":"...",]"tls":"TLSv1.3",
 *    "cipher":"TLS_AES_128_GCM_SHA256","bytes_in":0,"bytes_out":0,
 *    "duration_ms":0}
 * peer is "a.b.c.d:port", "[v6]:port" (RFC 5952 text via inet_ntop), or
 * "unix:PATH" ("unix:@NAME" for an abstract socket, "unix:" unnamed).
 *
 * Event line: {"ts":"...","event":"reload", then the caller's fields}. */
#ifndef MTLSKIT_JSONLOG_H
#define MTLSKIT_JSONLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mtlskit/buf.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mtk_connlog is one finished (or refused) connection. Borrowed pointers. */
typedef struct mtk_connlog {
  int64_t ts_ms;                        /* when it ended, ms since 1970 UTC */
  unsigned worker;                      /* worker index */
  const struct sockaddr_storage *peer;  /* client address; NULL: null */
  const uint8_t *identity;              /* the identity shown (URI SAN, DNS, CN...),
                                           any bytes; NULL: null */
  size_t identity_len;
  bool allowed;                         /* verdict "allowed" */
  bool failed;                          /* else: "failed" when no check refused the
                                           peer (it vanished, timed out, sent
                                           garbage), else "refused" */
  const char *reason;                   /* mtk_refusal_name(); NULL: null */
  const char *detail;                   /* optional text (OpenSSL or verifier
                                           message); NULL: field omitted */
  const char *tls;                      /* "TLSv1.3"; NULL: null */
  const char *cipher;                   /* NULL: null */
  uint64_t bytes_in;                    /* octets from the client */
  uint64_t bytes_out;                   /* octets to the client */
  uint64_t duration_ms;
} mtk_connlog;

/* mtk_jsonlog_conn appends the connection line for |c| to |out|. Returns
 * mtk_buf_status(out) (MTK_ERR_LIMIT when it would pass the cap). */
MTK_EXPORT mtk_status mtk_jsonlog_conn(mtk_buf *out, const mtk_connlog *c);

/* mtk_logfield is one extra field of an event line: a string when |str| is
 * not NULL (UTF-8, NUL-terminated, escaped on output), else the integer
 * |num|. |key| must match [a-z0-9_]+ (it is written unescaped). */
typedef struct mtk_logfield {
  const char *key;
  const char *str;
  int64_t num;
} mtk_logfield;

#define MTK_LOG_STR(k, s) ((mtk_logfield){(k), (s), 0})
#define MTK_LOG_NUM(k, n) ((mtk_logfield){(k), NULL, (int64_t)(n)})

/* mtk_jsonlog_event appends {"ts":...,"event":EVENT, fields...} to |out|.
 * Events the proxy writes: "start" (listen, target, workers), "reload"
 * (result "ok" | "failed", reason), "drain" (active, deadline_ms), "stop".
 * MTK_ERR_ARG (nothing appended) for a NULL or malformed event name or key;
 * |event| follows the key rule. */
MTK_EXPORT mtk_status mtk_jsonlog_event(mtk_buf *out, int64_t ts_ms, const char *event,
                                        const mtk_logfield *fields, size_t n_fields);

/* mtk_jsonlog_ts appends |ts_ms| as "2026-01-02T03:04:05.678Z" (no quotes). */
MTK_EXPORT mtk_status mtk_jsonlog_ts(mtk_buf *out, int64_t ts_ms);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_JSONLOG_H */

/* mtlskit/metrics.h: the proxy's counters, per worker, with no shared lock.
 *
 * Each worker thread owns one mtk_metrics_worker block (cache-line aligned,
 * so workers never share a line) and is its only writer. Every field is a C11
 * _Atomic uint64_t updated with a relaxed load and a relaxed store, not a
 * read-modify-write: with one writer nothing is lost, and on x86-64 and
 * AArch64 it compiles to the plain load, add and store of an ordinary
 * counter (no lock prefix, no fence). The scraper (mtk_metrics_render, on the
 * status thread) reads every field with relaxed loads and sums the workers.
 * A render is therefore not a snapshot across counters (a connection may be
 * counted in connections_total and not yet in handshakes_total), but every
 * counter is monotonic and exact once the workers are quiet. Reloads are
 * global and counted with atomic_fetch_add from any thread.
 *
 * Exposition: Prometheus text format 0.0.4, metric names prefixed mtlskit_:
 *   mtlskit_connections_total                 counter
 *   mtlskit_connections_active                gauge
 *   mtlskit_handshakes_total{result=...}      counter: ok, failed, refused
 *   mtlskit_refusals_total{reason=...}        counter: mtk_refusal names
 *   mtlskit_bytes_in_total                    counter: octets from clients
 *   mtlskit_bytes_out_total                   counter: octets to clients
 *   mtlskit_reloads_total{result=...}         counter: ok, failed
 *   mtlskit_handshake_duration_seconds        histogram, le = 0.0005 0.001
 *                                             0.0025 0.005 0.01 0.025 0.05
 *                                             0.1 0.25 0.5 1 2.5 5 +Inf */
#ifndef MTLSKIT_METRICS_H
#define MTLSKIT_METRICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/buf.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Handshake results. ok: TLS done and access allowed. refused: the client
 * was refused for its certificate or identity (no_cert, untrusted, expired,
 * not_yet_valid, eku, revoked, identity). failed: the handshake did not
 * complete for another reason (TLS error, timeout, garbage). */
typedef enum mtk_hs_result {
  MTK_HS_OK = 0,
  MTK_HS_FAILED = 1,
  MTK_HS_REFUSED = 2,
  MTK_HS_RESULT_COUNT = 3
} mtk_hs_result;

/* Why a connection was closed without being served. Each value's name
 * (mtk_refusal_name) is its label and its "reason" in the JSON log. */
#define MTK_REFUSAL_LIST(X)       \
  X(MTK_REFUSE_NO_CERT, "no_cert")             \
  X(MTK_REFUSE_UNTRUSTED, "untrusted")         \
  X(MTK_REFUSE_EXPIRED, "expired")             \
  X(MTK_REFUSE_NOT_YET_VALID, "not_yet_valid") \
  X(MTK_REFUSE_EKU, "eku")                     \
  X(MTK_REFUSE_REVOKED, "revoked")             \
  X(MTK_REFUSE_IDENTITY, "identity")           \
  X(MTK_REFUSE_TLS_ERROR, "tls_error")         \
  X(MTK_REFUSE_TIMEOUT, "timeout")             \
  X(MTK_REFUSE_GARBAGE, "garbage")             \
  X(MTK_REFUSE_BACKEND_REFUSED, "backend_refused") \
  X(MTK_REFUSE_LIMIT, "limit")

typedef enum mtk_refusal {
#define MTK_X_ENUM(name, label) name,
  MTK_REFUSAL_LIST(MTK_X_ENUM)
#undef MTK_X_ENUM
  MTK_REFUSE_COUNT
} mtk_refusal;

/* mtk_refusal_name returns the label of |r| ("no_cert"), "unknown" if out of
 * range. Static. */
MTK_EXPORT const char *mtk_refusal_name(mtk_refusal r);
/* mtk_hs_result_name returns "ok", "failed", "refused" ("unknown"). */
MTK_EXPORT const char *mtk_hs_result_name(mtk_hs_result r);

/* Histogram upper bounds in microseconds (le labels in seconds). */
#define MTK_METRICS_LAT_BOUNDS 13

typedef _Atomic uint64_t mtk_counter;

/* mtk_metrics_worker is one worker's counter block. Write it only from its
 * worker thread, through the inline functions below. */
typedef struct mtk_metrics_worker {
  _Alignas(64) mtk_counter conn_total;
  mtk_counter conn_closed;
  mtk_counter handshakes[MTK_HS_RESULT_COUNT];
  mtk_counter refusals[MTK_REFUSE_COUNT];
  mtk_counter bytes_in;
  mtk_counter bytes_out;
  mtk_counter lat_bucket[MTK_METRICS_LAT_BOUNDS + 1]; /* not cumulative; last is +Inf */
  mtk_counter lat_sum_us;
} mtk_metrics_worker;

/* mtk_metrics_bump_ adds |v| to a counter of the calling worker (single
 * writer: a relaxed load and store, no atomic read-modify-write). */
static inline void mtk_metrics_bump_(mtk_counter *c, uint64_t v) {
  atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v,
                        memory_order_relaxed);
}

/* mtk_metrics_conn_open: a client connection was accepted. */
static inline void mtk_metrics_conn_open(mtk_metrics_worker *w) {
  mtk_metrics_bump_(&w->conn_total, 1);
}
/* mtk_metrics_conn_close: it was closed (call exactly once per open). */
static inline void mtk_metrics_conn_close(mtk_metrics_worker *w) {
  mtk_metrics_bump_(&w->conn_closed, 1);
}
/* mtk_metrics_bytes adds octets read from the client (|in|) and written to
 * it (|out|); call it per read/write or once at close, as suits. */
static inline void mtk_metrics_bytes(mtk_metrics_worker *w, uint64_t in, uint64_t out) {
  if (in != 0) mtk_metrics_bump_(&w->bytes_in, in);
  if (out != 0) mtk_metrics_bump_(&w->bytes_out, out);
}
/* mtk_metrics_refusal counts a connection closed unserved for |r|. */
static inline void mtk_metrics_refusal(mtk_metrics_worker *w, mtk_refusal r) {
  if ((unsigned)r < MTK_REFUSE_COUNT) mtk_metrics_bump_(&w->refusals[r], 1);
}

/* mtk_metrics_handshake counts a handshake with result |r| that took
 * |latency_us| microseconds from accept (every result is observed in the
 * histogram: timeouts show in its top buckets). */
MTK_EXPORT void mtk_metrics_handshake(mtk_metrics_worker *w, mtk_hs_result r,
                                      uint64_t latency_us);

/* mtk_metrics is the registry: |n| worker blocks and the global counters. */
typedef struct mtk_metrics mtk_metrics;

/* mtk_metrics_new allocates a registry for |n_workers| (1..4096) workers,
 * all counters zero. MTK_ERR_ARG, MTK_ERR_NOMEM. */
MTK_EXPORT mtk_status mtk_metrics_new(size_t n_workers, mtk_metrics **out) MTK_MUST_CHECK;
/* mtk_metrics_free releases |m| (NULL is fine). No thread may still use it. */
MTK_EXPORT void mtk_metrics_free(mtk_metrics *m);
/* mtk_metrics_worker_block returns worker |i|'s block (NULL if out of range);
 * valid until mtk_metrics_free. */
MTK_EXPORT mtk_metrics_worker *mtk_metrics_worker_block(mtk_metrics *m, size_t i);
/* mtk_metrics_reload counts a reload, successful or not (any thread). */
MTK_EXPORT void mtk_metrics_reload(mtk_metrics *m, bool ok);

/* mtk_metrics_render appends the Prometheus text exposition of |m| (sums
 * over the workers) to |out| and returns mtk_buf_status(out). Safe to call
 * from any thread while the workers run. No allocation besides |out|. */
MTK_EXPORT mtk_status mtk_metrics_render(const mtk_metrics *m, mtk_buf *out);
/* mtk_metrics_render_prefixed: as mtk_metrics_render with every metric name
 * starting with |prefix| instead of "mtlskit_" (client mode uses
 * "mtlskit_client_"). |prefix| must be a valid Prometheus name start
 * ([a-zA-Z_:][a-zA-Z0-9_:]*); it is not checked. */
MTK_EXPORT mtk_status mtk_metrics_render_prefixed(const mtk_metrics *m, const char *prefix,
                                                  mtk_buf *out);

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_METRICS_H */

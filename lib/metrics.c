/* metrics.c: per-worker counters and their Prometheus exposition
 * (metrics.h). Text format 0.0.4:
 * https://prometheus.io/docs/instrumenting/exposition_formats/ */
#include "mtlskit/metrics.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKERS 4096

struct mtk_metrics {
  size_t n;
  mtk_metrics_worker *w; /* n blocks, 64-byte aligned */
  mtk_counter reloads[2]; /* [0] ok, [1] failed */
};

static const char *const k_refusal_names[MTK_REFUSE_COUNT] = {
#define MTK_X_NAME(name, label) label,
    MTK_REFUSAL_LIST(MTK_X_NAME)
#undef MTK_X_NAME
};

static const char *const k_result_names[MTK_HS_RESULT_COUNT] = {"ok", "failed", "refused"};

/* Upper bounds of the latency buckets: microseconds and the le label. */
static const uint64_t k_bound_us[MTK_METRICS_LAT_BOUNDS] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000, 5000000};
static const char *const k_bound_le[MTK_METRICS_LAT_BOUNDS] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5"};

const char *mtk_refusal_name(mtk_refusal r) {
  return (unsigned)r < MTK_REFUSE_COUNT ? k_refusal_names[r] : "unknown";
}

const char *mtk_hs_result_name(mtk_hs_result r) {
  return (unsigned)r < MTK_HS_RESULT_COUNT ? k_result_names[r] : "unknown";
}

void mtk_metrics_handshake(mtk_metrics_worker *w, mtk_hs_result r, uint64_t latency_us) {
  if ((unsigned)r < MTK_HS_RESULT_COUNT) mtk_metrics_bump_(&w->handshakes[r], 1);
  size_t i = 0;
  while (i < MTK_METRICS_LAT_BOUNDS && latency_us > k_bound_us[i]) i++;
  mtk_metrics_bump_(&w->lat_bucket[i], 1);
  mtk_metrics_bump_(&w->lat_sum_us, latency_us);
}

mtk_status mtk_metrics_new(size_t n_workers, mtk_metrics **out) {
  *out = NULL;
  if (n_workers == 0 || n_workers > MAX_WORKERS) return MTK_ERR_ARG;
  mtk_metrics *m = calloc(1, sizeof *m);
  if (m == NULL) return MTK_ERR_NOMEM;
  size_t bytes = n_workers * sizeof(mtk_metrics_worker); /* a multiple of 64 */
  m->w = aligned_alloc(_Alignof(mtk_metrics_worker), bytes);
  if (m->w == NULL) {
    free(m);
    return MTK_ERR_NOMEM;
  }
  memset(m->w, 0, bytes); /* all-zero is a valid zero for atomic uint64 here */
  atomic_init(&m->reloads[0], 0);
  atomic_init(&m->reloads[1], 0);
  m->n = n_workers;
  *out = m;
  return MTK_OK;
}

void mtk_metrics_free(mtk_metrics *m) {
  if (m == NULL) return;
  free(m->w);
  free(m);
}

mtk_metrics_worker *mtk_metrics_worker_block(mtk_metrics *m, size_t i) {
  return i < m->n ? &m->w[i] : NULL;
}

void mtk_metrics_reload(mtk_metrics *m, bool ok) {
  atomic_fetch_add_explicit(&m->reloads[ok ? 0 : 1], 1, memory_order_relaxed);
}

static uint64_t ld(const mtk_counter *c) { return atomic_load_explicit(c, memory_order_relaxed); }

/* sum_at adds the counter at byte offset |off| of every worker block. */
static uint64_t sum_at(const mtk_metrics *m, size_t off) {
  uint64_t s = 0;
  for (size_t i = 0; i < m->n; i++) {
    const unsigned char *base = (const unsigned char *)&m->w[i];
    s += ld((const mtk_counter *)(const void *)(base + off));
  }
  return s;
}

#define SUM(m, field) sum_at((m), offsetof(mtk_metrics_worker, field))
#define SUMI(m, field, i) \
  sum_at((m), offsetof(mtk_metrics_worker, field) + (i) * sizeof(mtk_counter))

static void head(mtk_buf *out, const char *px, const char *name, const char *type,
                 const char *help) {
  (void)mtk_buf_printf(out, "# HELP %s%s %s\n# TYPE %s%s %s\n", px, name, help, px, name, type);
}

mtk_status mtk_metrics_render(const mtk_metrics *m, mtk_buf *out) {
  return mtk_metrics_render_prefixed(m, "mtlskit_", out);
}

mtk_status mtk_metrics_render_prefixed(const mtk_metrics *m, const char *px, mtk_buf *out) {
  /* Per worker, closed before total (a worker's total is never below its
   * closed count, so the gauge never goes below zero), the two loads
   * adjacent to keep the scrape's view of each worker tight. */
  uint64_t total = 0, active = 0;
  for (size_t i = 0; i < m->n; i++) {
    uint64_t c = ld(&m->w[i].conn_closed);
    uint64_t t = ld(&m->w[i].conn_total);
    total += t;
    active += t >= c ? t - c : 0;
  }
  head(out, px, "connections_total", "counter", "Client connections accepted.");
  (void)mtk_buf_printf(out, "%sconnections_total %" PRIu64 "\n", px, total);
  head(out, px, "connections_active", "gauge", "Client connections open now.");
  (void)mtk_buf_printf(out, "%sconnections_active %" PRIu64 "\n", px, active);

  head(out, px, "handshakes_total", "counter", "TLS handshakes by result.");
  for (size_t r = 0; r < MTK_HS_RESULT_COUNT; r++) {
    uint64_t v = SUMI(m, handshakes, r);
    (void)mtk_buf_printf(out, "%shandshakes_total{result=\"%s\"} %" PRIu64 "\n", px,
                         k_result_names[r], v);
  }
  head(out, px, "refusals_total", "counter", "Connections closed unserved, by reason.");
  for (size_t r = 0; r < MTK_REFUSE_COUNT; r++) {
    uint64_t v = SUMI(m, refusals, r);
    (void)mtk_buf_printf(out, "%srefusals_total{reason=\"%s\"} %" PRIu64 "\n", px,
                         k_refusal_names[r], v);
  }
  head(out, px, "bytes_in_total", "counter", "Octets received from clients.");
  (void)mtk_buf_printf(out, "%sbytes_in_total %" PRIu64 "\n", px, SUM(m, bytes_in));
  head(out, px, "bytes_out_total", "counter", "Octets sent to clients.");
  (void)mtk_buf_printf(out, "%sbytes_out_total %" PRIu64 "\n", px, SUM(m, bytes_out));

  head(out, px, "reloads_total", "counter", "Configuration reloads by result.");
  (void)mtk_buf_printf(out, "%sreloads_total{result=\"ok\"} %" PRIu64 "\n", px,
                       ld(&m->reloads[0]));
  (void)mtk_buf_printf(out, "%sreloads_total{result=\"failed\"} %" PRIu64 "\n", px,
                       ld(&m->reloads[1]));

  head(out, px, "handshake_duration_seconds", "histogram",
       "Time from accept to the end of the TLS handshake.");
  uint64_t cum = 0;
  for (size_t i = 0; i <= MTK_METRICS_LAT_BOUNDS; i++) {
    cum += SUMI(m, lat_bucket, i);
    (void)mtk_buf_printf(out, "%shandshake_duration_seconds_bucket{le=\"%s\"} %" PRIu64 "\n", px,
                         i < MTK_METRICS_LAT_BOUNDS ? k_bound_le[i] : "+Inf", cum);
  }
  uint64_t sum_us = SUM(m, lat_sum_us);
  (void)mtk_buf_printf(out,
                       "%shandshake_duration_seconds_sum %" PRIu64 ".%06" PRIu64 "\n"
                       "%shandshake_duration_seconds_count %" PRIu64 "\n",
                       px, sum_us / 1000000u, sum_us % 1000000u, px, cum);
  return mtk_buf_status(out);
}

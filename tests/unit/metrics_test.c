/* metrics_test.c: tests for lib/metrics.c. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/metrics.h"
#include "test.h"

static const char k_fixture[] =
    "# HELP mtlskit_connections_total Client connections accepted.\n"
    "# TYPE mtlskit_connections_total counter\n"
    "mtlskit_connections_total 3\n"
    "# HELP mtlskit_connections_active Client connections open now.\n"
    "# TYPE mtlskit_connections_active gauge\n"
    "mtlskit_connections_active 1\n"
    "# HELP mtlskit_handshakes_total TLS handshakes by result.\n"
    "# TYPE mtlskit_handshakes_total counter\n"
    "mtlskit_handshakes_total{result=\"ok\"} 1\n"
    "mtlskit_handshakes_total{result=\"failed\"} 1\n"
    "mtlskit_handshakes_total{result=\"refused\"} 1\n"
    "# HELP mtlskit_refusals_total Connections closed unserved, by reason.\n"
    "# TYPE mtlskit_refusals_total counter\n"
    "mtlskit_refusals_total{reason=\"no_cert\"} 0\n"
    "mtlskit_refusals_total{reason=\"untrusted\"} 0\n"
    "mtlskit_refusals_total{reason=\"expired\"} 0\n"
    "mtlskit_refusals_total{reason=\"not_yet_valid\"} 0\n"
    "mtlskit_refusals_total{reason=\"eku\"} 0\n"
    "mtlskit_refusals_total{reason=\"revoked\"} 0\n"
    "mtlskit_refusals_total{reason=\"identity\"} 1\n"
    "mtlskit_refusals_total{reason=\"tls_error\"} 0\n"
    "mtlskit_refusals_total{reason=\"timeout\"} 1\n"
    "mtlskit_refusals_total{reason=\"garbage\"} 0\n"
    "mtlskit_refusals_total{reason=\"backend_refused\"} 0\n"
    "mtlskit_refusals_total{reason=\"limit\"} 0\n"
    "# HELP mtlskit_bytes_in_total Octets received from clients.\n"
    "# TYPE mtlskit_bytes_in_total counter\n"
    "mtlskit_bytes_in_total 105\n"
    "# HELP mtlskit_bytes_out_total Octets sent to clients.\n"
    "# TYPE mtlskit_bytes_out_total counter\n"
    "mtlskit_bytes_out_total 200\n"
    "# HELP mtlskit_reloads_total Configuration reloads by result.\n"
    "# TYPE mtlskit_reloads_total counter\n"
    "mtlskit_reloads_total{result=\"ok\"} 1\n"
    "mtlskit_reloads_total{result=\"failed\"} 2\n"
    "# HELP mtlskit_handshake_duration_seconds Time from accept to the end of the TLS handshake.\n"
    "# TYPE mtlskit_handshake_duration_seconds histogram\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.0005\"} 0\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.001\"} 1\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.0025\"} 1\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.005\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.01\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.025\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.05\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.1\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.25\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"0.5\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"1\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"2.5\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"5\"} 2\n"
    "mtlskit_handshake_duration_seconds_bucket{le=\"+Inf\"} 3\n"
    "mtlskit_handshake_duration_seconds_sum 6.004400\n"
    "mtlskit_handshake_duration_seconds_count 3\n";

/* count_of: non-overlapping occurrences of |needle| in |hay|. */
static size_t count_of(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + strlen(needle), needle)) n++;
  return n;
}

TEST(render_fixture) {
  mtk_metrics *m = NULL;
  CHECK_STATUS(mtk_metrics_new(2, &m), MTK_OK);
  if (m == NULL) return;
  mtk_metrics_worker *w0 = mtk_metrics_worker_block(m, 0);
  mtk_metrics_worker *w1 = mtk_metrics_worker_block(m, 1);
  CHECK(w0 != NULL && w1 != NULL && w0 != w1);
  CHECK(mtk_metrics_worker_block(m, 2) == NULL);
  CHECK_EQ_INT((uintptr_t)w1 % 64, 0); /* no false sharing */
  mtk_metrics_conn_open(w0);
  mtk_metrics_conn_open(w0);
  mtk_metrics_conn_close(w0);
  mtk_metrics_handshake(w0, MTK_HS_OK, 700);
  mtk_metrics_handshake(w0, MTK_HS_REFUSED, 5000); /* le is inclusive */
  mtk_metrics_refusal(w0, MTK_REFUSE_IDENTITY);
  mtk_metrics_bytes(w0, 100, 200);
  mtk_metrics_conn_open(w1);
  mtk_metrics_conn_close(w1);
  mtk_metrics_handshake(w1, MTK_HS_FAILED, 6000000 - 1300);
  mtk_metrics_refusal(w1, MTK_REFUSE_TIMEOUT);
  mtk_metrics_refusal(w1, MTK_REFUSE_COUNT); /* out of range: ignored */
  mtk_metrics_bytes(w1, 5, 0);
  mtk_metrics_reload(m, true);
  mtk_metrics_reload(m, false);
  mtk_metrics_reload(m, false);
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  CHECK_STATUS(mtk_metrics_render(m, &b), MTK_OK);
  CHECK_STR((const char *)b.p, k_fixture);
  /* With a prefix (client mode): the same text, every name renamed. */
  mtk_buf px;
  mtk_buf_init(&px, 1 << 16);
  CHECK_STATUS(mtk_metrics_render_prefixed(m, "mtlskit_client_", &px), MTK_OK);
  size_t n_fix = count_of(k_fixture, "mtlskit_");
  CHECK(n_fix > 40);
  CHECK(count_of((const char *)px.p, "mtlskit_") == n_fix);
  CHECK(count_of((const char *)px.p, "mtlskit_client_") == n_fix);
  CHECK(px.len == strlen(k_fixture) + n_fix * strlen("client_"));
  CHECK(strstr((const char *)px.p,
               "\nmtlskit_client_refusals_total{reason=\"identity\"} 1\n") != NULL);
  CHECK(strncmp((const char *)px.p, "# HELP mtlskit_client_connections_total ", 40) == 0);
  mtk_buf_free(&px);
  /* A cap too small is reported. */
  mtk_buf small;
  mtk_buf_init(&small, 100);
  CHECK_STATUS(mtk_metrics_render(m, &small), MTK_ERR_LIMIT);
  mtk_buf_free(&small);
  mtk_buf_free(&b);
  mtk_metrics_free(m);
}

TEST(names_and_args) {
  CHECK_STR(mtk_refusal_name(MTK_REFUSE_NO_CERT), "no_cert");
  CHECK_STR(mtk_refusal_name(MTK_REFUSE_BACKEND_REFUSED), "backend_refused");
  CHECK_STR(mtk_refusal_name(MTK_REFUSE_COUNT), "unknown");
  CHECK_STR(mtk_hs_result_name(MTK_HS_REFUSED), "refused");
  mtk_metrics *m = (mtk_metrics *)1;
  CHECK_STATUS(mtk_metrics_new(0, &m), MTK_ERR_ARG);
  CHECK(m == NULL);
  mtk_metrics_free(NULL);
}

/* ---- concurrency: two writers and a scraper ------------------------------- */

#define ITER 200000u

static mtk_metrics *g_m;
static atomic_int g_running;

static void *writer(void *arg) {
  mtk_metrics_worker *w = arg;
  for (unsigned i = 0; i < ITER; i++) {
    mtk_metrics_conn_open(w);
    mtk_metrics_handshake(w, (mtk_hs_result)(i % 3), i % 7000000u);
    mtk_metrics_bytes(w, 3, 5);
    if (i % 3 != 0) mtk_metrics_refusal(w, (mtk_refusal)(i % MTK_REFUSE_COUNT));
    mtk_metrics_conn_close(w);
  }
  atomic_fetch_sub(&g_running, 1);
  return NULL;
}

static unsigned long long value_of(const mtk_buf *b, const char *line_start) {
  const char *p = strstr((const char *)b->p, line_start);
  if (p == NULL) return ~0ull;
  return strtoull(p + strlen(line_start), NULL, 10);
}

static void *scraper(void *arg) {
  int *bad = arg;
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  unsigned long long last = 0;
  int renders = 0;
  while (atomic_load(&g_running) > 0 || renders == 0) {
    mtk_buf_reset(&b);
    if (mtk_metrics_render(g_m, &b) != MTK_OK) (*bad)++;
    unsigned long long total = value_of(&b, "\nmtlskit_connections_total ");
    unsigned long long active = value_of(&b, "\nmtlskit_connections_active ");
    /* The gauge is read without stopping the writers, so between its two
     * loads a writer may open more connections: only its bounds hold. */
    if (total < last || total > 2ull * ITER || active > 2ull * ITER) (*bad)++;
    last = total;
    renders++;
  }
  mtk_buf_free(&b);
  return NULL;
}

TEST(concurrent_writers_and_scraper) {
  CHECK_STATUS(mtk_metrics_new(2, &g_m), MTK_OK);
  if (g_m == NULL) return;
  atomic_store(&g_running, 2);
  int bad = 0;
  pthread_t t0, t1, t2;
  CHECK(pthread_create(&t2, NULL, scraper, &bad) == 0);
  CHECK(pthread_create(&t0, NULL, writer, mtk_metrics_worker_block(g_m, 0)) == 0);
  CHECK(pthread_create(&t1, NULL, writer, mtk_metrics_worker_block(g_m, 1)) == 0);
  mtk_metrics_reload(g_m, true); /* from another thread meanwhile */
  pthread_join(t0, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  CHECK_EQ_INT(bad, 0);
  mtk_buf b;
  mtk_buf_init(&b, 1 << 16);
  CHECK_STATUS(mtk_metrics_render(g_m, &b), MTK_OK);
  CHECK_EQ_INT(value_of(&b, "\nmtlskit_connections_total "), 2 * ITER);
  CHECK_EQ_INT(value_of(&b, "\nmtlskit_connections_active "), 0);
  CHECK_EQ_INT(value_of(&b, "{result=\"ok\"} "), 2 * ((ITER + 2) / 3));
  CHECK_EQ_INT(value_of(&b, "\nmtlskit_bytes_in_total "), 2ull * 3 * ITER);
  CHECK_EQ_INT(value_of(&b, "\nmtlskit_bytes_out_total "), 2ull * 5 * ITER);
  CHECK_EQ_INT(value_of(&b, "_bucket{le=\"+Inf\"} "), 2 * ITER);
  CHECK_EQ_INT(value_of(&b, "_count "), 2 * ITER);
  CHECK_EQ_INT(value_of(&b, "mtlskit_reloads_total{result=\"ok\"} "), 1);
  unsigned long long refusals = 0;
  for (int r = 0; r < MTK_REFUSE_COUNT; r++) {
    char key[80];
    snprintf(key, sizeof key, "{reason=\"%s\"} ", mtk_refusal_name((mtk_refusal)r));
    refusals += value_of(&b, key);
  }
  CHECK_EQ_INT(refusals, 2 * (ITER - (ITER + 2) / 3));
  mtk_buf_free(&b);
  mtk_metrics_free(g_m);
}

int main(void) {
  RUN(render_fixture);
  RUN(names_and_args);
  RUN(concurrent_writers_and_scraper);
  return test_summary();
}

/* status_test.c: tests for proxy/status.c (the --status listener), over
 * real loopback HTTP. Built with proxy/status.c and libmicrohttpd (see
 * tests/CMakeLists.txt). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "mtlskit/metrics.h"
#include "status.h"
#include "test.h"

static atomic_int g_renders;
static atomic_int g_fail;

static mtk_status render(void *arg, mtk_buf *out) {
  atomic_fetch_add(&g_renders, 1);
  if (atomic_load(&g_fail)) return MTK_ERR_INTERNAL;
  return mtk_metrics_render(arg, out);
}

/* http sends |req| to 127.0.0.1:|port| and reads the whole answer (HTTP/1.0:
 * the server closes). Returns the status code, the body in |body|, the
 * header block in |head|. -1 on a transport error. */
static int http(uint16_t port, const char *req, char *head, size_t headcap, char *body,
                size_t bodycap) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct timeval tv = {5, 0};
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  size_t rl = strlen(req);
  if (send(fd, req, rl, MSG_NOSIGNAL) != (ssize_t)rl) {
    close(fd);
    return -1;
  }
  static char resp[1 << 16];
  size_t n = 0;
  for (;;) {
    ssize_t k = recv(fd, resp + n, sizeof resp - 1 - n, 0);
    if (k <= 0) break;
    n += (size_t)k;
    if (n == sizeof resp - 1) break;
  }
  close(fd);
  resp[n] = '\0';
  int code = 0;
  if (n < 12 || memcmp(resp, "HTTP/1.", 7) != 0) return -1;
  code = (resp[9] - '0') * 100 + (resp[10] - '0') * 10 + (resp[11] - '0');
  char *sep = strstr(resp, "\r\n\r\n");
  if (sep == NULL) return -1;
  size_t hl = (size_t)(sep - resp);
  if (hl >= headcap) hl = headcap - 1;
  memcpy(head, resp, hl);
  head[hl] = '\0';
  (void)snprintf(body, bodycap, "%s", sep + 4);
  return code;
}

static char g_head[4096], g_body[1 << 16];

#define GET(port, path) \
  http((port), "GET " path " HTTP/1.0\r\nHost: t\r\n\r\n", g_head, sizeof g_head, g_body, sizeof g_body)

TEST(serves_healthz_and_metrics) {
  mtk_metrics *m = NULL;
  CHECK_STATUS(mtk_metrics_new(1, &m), MTK_OK);
  if (m == NULL) return;
  mtk_metrics_conn_open(mtk_metrics_worker_block(m, 0));
  char err[256] = "";
  pxy_status *s = pxy_status_start("127.0.0.1:0", render, m, err, sizeof err);
  CHECK(s != NULL);
  if (s == NULL) {
    fprintf(stderr, "%s\n", err);
    mtk_metrics_free(m);
    return;
  }
  uint16_t port = pxy_status_port(s);
  CHECK(port != 0);

  CHECK_EQ_INT(GET(port, "/healthz"), 200);
  CHECK_STR(g_body, "ok\n");
  pxy_status_set_draining(s, true);
  CHECK_EQ_INT(GET(port, "/healthz"), 503);
  CHECK_STR(g_body, "draining\n");
  pxy_status_set_draining(s, false);
  CHECK_EQ_INT(GET(port, "/healthz"), 200);

  CHECK_EQ_INT(GET(port, "/metrics"), 200);
  CHECK(strstr(g_head, "text/plain; version=0.0.4") != NULL);
  mtk_buf want;
  mtk_buf_init(&want, 1 << 16);
  CHECK_STATUS(mtk_metrics_render(m, &want), MTK_OK);
  CHECK_STR(g_body, (const char *)want.p);
  CHECK(strstr(g_body, "\nmtlskit_connections_total 1\n") != NULL);
  mtk_buf_free(&want);

  CHECK_EQ_INT(GET(port, "/metrics?x=1"), 200); /* query ignored */
  CHECK_EQ_INT(GET(port, "/"), 404);
  CHECK_EQ_INT(GET(port, "/metricsX"), 404);
  CHECK_EQ_INT(GET(port, "/healthz/"), 404);
  CHECK_EQ_INT(http(port, "POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n", g_head,
                    sizeof g_head, g_body, sizeof g_body),
               405);
  CHECK(strstr(g_head, "GET, HEAD") != NULL);
  CHECK_EQ_INT(http(port, "HEAD /healthz HTTP/1.0\r\n\r\n", g_head, sizeof g_head, g_body,
                    sizeof g_body),
               200);
  CHECK_STR(g_body, "");

  atomic_store(&g_fail, 1);
  CHECK_EQ_INT(GET(port, "/metrics"), 500);
  atomic_store(&g_fail, 0);
  int before = atomic_load(&g_renders);
  pxy_status_stop(s);
  CHECK(GET(port, "/healthz") == -1); /* closed */
  CHECK_EQ_INT(atomic_load(&g_renders), before);
  mtk_metrics_free(m);
}

TEST(addresses) {
  char err[256];
  const char *bad[] = {"", "abc", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:12a",
                       "::1:80", "[::1]80", "host.example:80", "1.2.3.4.5:1", "999999"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    pxy_status *s = pxy_status_start(bad[i], render, NULL, err, sizeof err);
    CHECK(s == NULL);
    if (s != NULL) {
      fprintf(stderr, "accepted %s\n", bad[i]);
      pxy_status_stop(s);
    }
    CHECK(strstr(err, "--status") != NULL);
  }
  /* Port only: loopback. */
  pxy_status *s = pxy_status_start("0", render, NULL, err, sizeof err);
  CHECK(s != NULL);
  if (s != NULL) {
    CHECK_EQ_INT(GET(pxy_status_port(s), "/healthz"), 200);
    pxy_status_stop(s);
  }
  s = pxy_status_start("localhost:0", render, NULL, err, sizeof err);
  CHECK(s != NULL);
  pxy_status_stop(s);
  pxy_status_stop(NULL);
  /* IPv6 loopback, where the host has it. */
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a6;
  memset(&a6, 0, sizeof a6);
  a6.sin6_family = AF_INET6;
  a6.sin6_addr = in6addr_loopback;
  bool have6 = fd >= 0 && bind(fd, (struct sockaddr *)&a6, sizeof a6) == 0;
  if (fd >= 0) close(fd);
  if (have6) {
    s = pxy_status_start("[::1]:0", render, NULL, err, sizeof err);
    CHECK(s != NULL);
    if (s != NULL) CHECK(pxy_status_port(s) != 0);
    pxy_status_stop(s);
  }
}

int main(void) {
  RUN(serves_healthz_and_metrics);
  RUN(addresses);
  return test_summary();
}

/* status.c: the status HTTP listener on libmicrohttpd (status.h). */
#include "status.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#define STATUS_MAX_BODY ((size_t)16 << 20)
#define STATUS_MAX_CONNS 32u
#define STATUS_TIMEOUT_S 10u

struct pxy_status {
  struct MHD_Daemon *mhd;
  pxy_status_render_fn render;
  void *arg;
  atomic_bool draining;
};

/* Constant bodies (MHD wants non-const pointers for persistent memory). */
static char k_ok[] = "ok\n";
static char k_draining[] = "draining\n";
static char k_not_found[] = "not found\n";
static char k_not_allowed[] = "method not allowed\n";
static char k_error[] = "internal error\n";
static char k_empty[] = "";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, struct MHD_Response *r,
                             const char *ctype) {
  if (r == NULL) return MHD_NO;
  enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  if (ok == MHD_YES) ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (ok == MHD_YES && code == MHD_HTTP_METHOD_NOT_ALLOWED)
    ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  if (ok == MHD_YES) ok = MHD_queue_response(c, code, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result reply_const(struct MHD_Connection *c, unsigned code, char *body) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_PERSISTENT);
  return reply(c, code, r, "text/plain; charset=utf-8");
}

static enum MHD_Result serve_metrics(pxy_status *s, struct MHD_Connection *c) {
  mtk_buf b;
  mtk_buf_init(&b, STATUS_MAX_BODY);
  mtk_status st = s->render(s->arg, &b);
  if (st == MTK_OK) st = mtk_buf_status(&b);
  if (st != MTK_OK) {
    mtk_buf_free(&b);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_error);
  }
  size_t len = 0;
  uint8_t *p = mtk_buf_take(&b, &len);
  struct MHD_Response *r =
      p != NULL ? MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE)
                : MHD_create_response_from_buffer(0, k_empty, MHD_RESPMEM_PERSISTENT);
  if (r == NULL) free(p);
  return reply(c, MHD_HTTP_OK, r, "text/plain; version=0.0.4; charset=utf-8");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  pxy_status *s = cls;
  (void)version;
  (void)upload_data;
  (void)con_cls;
  *upload_data_size = 0;
  if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
    return reply_const(c, MHD_HTTP_METHOD_NOT_ALLOWED, k_not_allowed);
  if (strcmp(url, "/healthz") == 0) {
    if (atomic_load(&s->draining)) return reply_const(c, MHD_HTTP_SERVICE_UNAVAILABLE, k_draining);
    return reply_const(c, MHD_HTTP_OK, k_ok);
  }
  if (strcmp(url, "/metrics") == 0) return serve_metrics(s, c);
  return reply_const(c, MHD_HTTP_NOT_FOUND, k_not_found);
}

bool pxy_parse_port(const char *p, uint16_t *out) {
  unsigned v = 0;
  size_t n = 0;
  for (; p[n] != '\0'; n++) {
    if (p[n] < '0' || p[n] > '9' || n >= 5) return false;
    v = v * 10u + (unsigned)(p[n] - '0');
  }
  if (n == 0 || v > 65535u) return false;
  *out = (uint16_t)v;
  return true;
}

bool pxy_parse_numeric_addr(const char *addr, bool bare_port, struct sockaddr_storage *ss,
                            uint16_t *port, char *host, size_t hostcap) {
  const char *ps = NULL;
  memset(ss, 0, sizeof *ss);
  if (addr == NULL || hostcap < 16) return false;
  const char *colon = strrchr(addr, ':');
  if (colon == NULL || colon == addr) { /* "PORT" or ":PORT": loopback */
    if (!bare_port) return false;
    memcpy(host, "127.0.0.1", 10);
    ps = colon == NULL ? addr : colon + 1;
  } else if (addr[0] == '[') {
    const char *end = strchr(addr, ']');
    if (end == NULL || end[1] != ':' || (size_t)(end - addr - 1) >= hostcap) return false;
    memcpy(host, addr + 1, (size_t)(end - addr - 1));
    host[end - addr - 1] = '\0';
    ps = end + 2;
  } else {
    if ((size_t)(colon - addr) >= hostcap) return false;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    if (strchr(host, ':') != NULL) return false; /* IPv6 needs brackets */
    ps = colon + 1;
  }
  if (!pxy_parse_port(ps, port)) return false;
  if (strcmp(host, "localhost") == 0) memcpy(host, "127.0.0.1", 10);
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    a4.sin_port = htons(*port);
    memcpy(ss, &a4, sizeof a4);
    return true;
  }
  if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(*port);
    memcpy(ss, &a6, sizeof a6);
    return true;
  }
  return false;
}

pxy_status *pxy_status_start(const char *addr, pxy_status_render_fn render, void *arg,
                             char *err, size_t errlen) {
  struct sockaddr_storage ss;
  uint16_t port = 0;
  char host[64];
  if (addr == NULL || render == NULL || !pxy_parse_numeric_addr(addr, true, &ss, &port, host, sizeof host)) {
    (void)snprintf(err, errlen, "--status %s: expected [IP:]PORT or [IPv6]:PORT",
                   addr ? addr : "(null)");
    return NULL;
  }
  pxy_status *s = calloc(1, sizeof *s);
  if (s == NULL) {
    (void)snprintf(err, errlen, "out of memory");
    return NULL;
  }
  s->render = render;
  s->arg = arg;
  atomic_init(&s->draining, false);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  s->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
                            STATUS_MAX_CONNS, MHD_OPTION_CONNECTION_TIMEOUT, STATUS_TIMEOUT_S,
                            MHD_OPTION_END);
  if (s->mhd == NULL) {
    (void)snprintf(err, errlen, "--status %s: cannot listen (address in use or not local?)",
                   addr);
    free(s);
    return NULL;
  }
  return s;
}

uint16_t pxy_status_port(pxy_status *s) {
  const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
  return i != NULL ? i->port : 0;
}

void pxy_status_set_draining(pxy_status *s, bool draining) {
  atomic_store(&s->draining, draining);
}

void pxy_status_stop(pxy_status *s) {
  if (s == NULL) return;
  MHD_stop_daemon(s->mhd);
  free(s);
}

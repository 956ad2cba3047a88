/* status.h: the status HTTP listener (`--status ADDR`): /healthz, /metrics.
 *
 * libmicrohttpd with its own internal polling thread, so nothing of it runs
 * on a worker's event loop. GET only (HEAD too, as HTTP requires of a GET
 * resource); other methods get 405, other paths 404.
 *   /healthz  200 "ok\n", or 503 "draining\n" once pxy_status_set_draining
 *   /metrics  200, Content-Type "text/plain; version=0.0.4; charset=utf-8",
 *             the body the render callback appends (mtk_metrics_render)
 * Bounded: at most 32 concurrent connections, 10 s idle timeout, responses
 * capped at 16 MiB. */
#ifndef MTK_PROXY_STATUS_H
#define MTK_PROXY_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mtlskit/buf.h"
#include "mtlskit/err.h"

/* pxy_status_render_fn appends the /metrics body to |out|. Called on the
 * listener's thread, concurrently with the workers: it must only read what
 * is safe to read so (mtk_metrics_render is). A status other than MTK_OK
 * gives a 500. */
typedef mtk_status (*pxy_status_render_fn)(void *arg, mtk_buf *out);

typedef struct pxy_status pxy_status;

/* pxy_parse_port reads 1-5 decimal digits up to 65535. */
bool pxy_parse_port(const char *p, uint16_t *out);

/* pxy_parse_numeric_addr reads a numeric listen address, for the HTTP
 * listeners (--status, `mtlskit web`): "IPv4:PORT", "[IPv6]:PORT",
 * "localhost:PORT" (= 127.0.0.1), and with |bare_port| also "PORT" and
 * ":PORT" (127.0.0.1). No name lookup. |host| (at least 16 bytes) gets the
 * address text. */
bool pxy_parse_numeric_addr(const char *addr, bool bare_port, struct sockaddr_storage *ss,
                            uint16_t *port, char *host, size_t hostcap);

/* pxy_status_start listens on |addr| and serves until pxy_status_stop.
 * |addr| is numeric, no name lookup: "PORT" or ":PORT" (127.0.0.1, the
 * default: loopback), "127.0.0.1:9090", "[::1]:9090", "0.0.0.0:9090" (any
 * other address only when given explicitly). Port 0 picks a free port (see
 * pxy_status_port). Returns NULL on failure with a reason in |err|. */
pxy_status *pxy_status_start(const char *addr, pxy_status_render_fn render, void *arg,
                             char *err, size_t errlen);

/* pxy_status_port returns the bound TCP port (0 if unknown). */
uint16_t pxy_status_port(pxy_status *s);

/* pxy_status_set_draining makes /healthz answer 503 "draining\n" (true) or
 * 200 "ok\n" (false). Any thread. */
void pxy_status_set_draining(pxy_status *s, bool draining);

/* pxy_status_stop stops the listener, waits for its thread and frees |s|
 * (NULL is fine). After it returns |render| is no longer called. */
void pxy_status_stop(pxy_status *s);

#endif

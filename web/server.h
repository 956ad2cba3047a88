/* server.h: the HTTP front of `mtlskit web` (the local certificate / CSR
 * decoder page and its JSON API), on libmicrohttpd.
 *
 * Routes (docs/web.md):
 *   GET  /, /app.js, /style.css   the page, embedded in the binary (assets.h)
 *   POST /api/decode              body: PEM or DER; `decode --json` document
 *   POST /api/check               the same with the checks (`check --json`)
 *   POST /api/match?dns=NAME      `match --json` for the first certificate
 * Anything else is 404; a known path with the wrong method is 405.
 *
 * Safety, all fail-closed:
 *   - the listen address must be loopback unless |unsafe_listen|;
 *   - the Host header must name localhost, 127.0.0.1, [::1], the listen
 *     address or an |allow_hosts| entry (DNS rebinding): else 421;
 *   - a POST whose Origin names another host, or Origin "null", or
 *     Sec-Fetch-Site "cross-site", is refused with 403;
 *   - request bodies are capped at |max_body| bytes (413), held in one
 *     buffer that is wiped when the request ends; responses with data are
 *     wiped when sent; nothing of a request is logged or stored;
 *   - every response has the security headers (CSP without inline script,
 *     nosniff, no-referrer, no-store, COOP, CORP);
 *   - one internal polling thread (requests are handled one at a time), at
 *     most |max_conns| connections, |timeout_s| idle timeout.
 * "Now" is read from the clock once per request (or taken from ?at=) and
 * passed down: the library never reads the clock. */
#ifndef MTK_WEB_SERVER_H
#define MTK_WEB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WEB_DEFAULT_LISTEN "127.0.0.1:8080"
#define WEB_DEFAULT_MAX_BODY ((size_t)1 << 20)
#define WEB_MAX_MAX_BODY ((size_t)64 << 20) /* MTK_MAX_INPUT */
#define WEB_DEFAULT_MAX_CONNS 32u
#define WEB_DEFAULT_TIMEOUT_S 15u
#define WEB_MAX_ALLOW_HOSTS 16

typedef struct web_config {
  const char *listen;        /* "IP:PORT", "[IPv6]:PORT", "localhost:PORT"; port 0 = any */
  bool unsafe_listen;        /* allow a non-loopback address */
  size_t max_body;           /* bytes, 1 .. WEB_MAX_MAX_BODY */
  unsigned max_conns;        /* >= 1 */
  unsigned timeout_s;        /* idle timeout, >= 1 */
  const char *allow_hosts[WEB_MAX_ALLOW_HOSTS]; /* more Host names (C strings) */
  size_t n_allow_hosts;
} web_config;

/* web_config_init fills |c| with the defaults above. */
void web_config_init(web_config *c);

/* web_listen_is_loopback: |listen| parses and names a loopback address
 * (127.0.0.0/8, ::1, localhost). False also when it does not parse. */
bool web_listen_is_loopback(const char *listen);

/* web_host_allowed: the Host header value |host| (or an Origin's
 * host[:port]) names this server under |c|: see above. */
bool web_host_allowed(const web_config *c, const char *host);

typedef struct web_server web_server;

/* web_start listens and serves until web_stop. Returns NULL with a reason
 * in |err| (bad address, non-loopback without unsafe_listen, cannot bind).
 * |c| and the strings it points to must outlive the server. */
web_server *web_start(const web_config *c, char *err, size_t errlen);

/* web_port: the bound TCP port. */
uint16_t web_port(const web_server *s);

/* web_stop stops the listener, waits for its thread, frees |s| (NULL ok). */
void web_stop(web_server *s);

#endif

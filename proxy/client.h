/* client.h: `mtlskit proxy client` (proxy/client.c): plaintext in (loopback
 * only unless unsafe_listen), mutual TLS out to |target|. The server's chain
 * is verified against |ca| (X509_STRICT; CRLs with |crls|), serverAuth EKU is
 * required, and its identity is checked by RFC 9525 with lib/identity (never
 * the CN). Log lines reuse pxy_conn_record: identity is the server identity
 * that matched, bytes_in is local client -> upstream. As in server mode:
 * --status (status.h) with the metrics of mtlskit/metrics.h rendered with the
 * prefix "mtlskit_client_", and hot reload of cert/key/CA/CRLs on SIGHUP and
 * file change (reload.h). With |resume|, upstream sessions are resumed only
 * within the worker and configuration that verified them (client.c,
 * cx_new_session). Kept apart from proxy.h so the two modes can change
 * independently. */
#ifndef MTK_PROXY_CLIENT_H
#define MTK_PROXY_CLIENT_H

#include "proxy.h"

#define PXY_CLIENT_MAX_REFS 16

typedef struct pxy_client_ref {
  const char *kind;    /* "dns", "uri" or "ip" */
  const char *value;
} pxy_client_ref;

typedef struct pxy_client_cfg {
  const char *listen, *target, *cert, *key, *ca;
  const char **crls;   /* --crl FILE...: revocation of the server's chain */
  size_t n_crls;
  const char *status;  /* --status ADDR (status.h), or NULL */
  pxy_client_ref refs[PXY_CLIENT_MAX_REFS]; /* none: the target's host */
  size_t n_refs;
  bool unsafe_listen;  /* allow a non-loopback --listen */
  bool resume;         /* --session-resumption: reuse upstream sessions (client.c) */
  int min_tls;         /* TLS1_2_VERSION or TLS1_3_VERSION */
  unsigned workers, max_conns;
  unsigned handshake_timeout_ms, idle_timeout_ms, drain_timeout_ms;
} pxy_client_cfg;

struct mtk_ref;
typedef struct pxy_client_ctx {
  const pxy_client_cfg *cfg;
  SSL_CTX *ssl;
  pxy_addr listen, target;
  struct mtk_ref *refs; /* n_refs parsed references (heap) */
  size_t n_refs;
  char sni[256];        /* "" when there is no DNS name to send */
  char refs_text[512];  /* the references, for messages */
} pxy_client_ctx;

/* pxy_client_ctx_build: as pxy_server_ctx_build. A --listen address that is
 * not loopback is refused here unless cfg->unsafe_listen. |ssl| is built by
 * pxy_client_tls_build's rules; pxy_client_run moves it into the first
 * pxy_tls (NULL here afterwards). */
bool pxy_client_ctx_build(const pxy_client_cfg *cfg, pxy_client_ctx *out, char *err,
                          size_t errlen);
void pxy_client_ctx_free(pxy_client_ctx *c);
/* pxy_client_tls_build builds the reloadable part of a client configuration
 * (the SSL_CTX: certificate, key, trust anchors, CRLs, policy) from the files
 * named in |cfg|, with all the checks of a start: a pxy_tls with authz NULL,
 * refs 1; NULL and |err| on failure. The server identity references are not
 * part of it (they come from the command line, not from files). */
pxy_tls *pxy_client_tls_build(const pxy_client_cfg *cfg, char *err, size_t errlen);
/* pxy_addr_is_loopback: 127.0.0.0/8, ::1, ::ffff:127.x.x.x, or unix:. */
bool pxy_addr_is_loopback(const pxy_addr *a);
/* pxy_client_run serves until SIGTERM/SIGINT and the drain; exit code. */
int pxy_client_run(pxy_client_ctx *c);

#endif

/* proxy.h: `mtlskit proxy server`: the mTLS terminating proxy.
 *
 * One epoll event loop per worker thread, each with its own SO_REUSEPORT
 * listening socket (a unix: listener is one socket shared with
 * EPOLLEXCLUSIVE). Nothing on the hot path is shared between workers except
 * an atomic connection count (for --max-conns). docs/proxy.md describes the
 * design. */
#ifndef MTK_PROXY_H
#define MTK_PROXY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "mtlskit/authz.h"
#include "mtlskit/buf.h"
#include "mtlskit/jsonlog.h"

/* A resolved address: host:port (TCP) or unix:/path. */
typedef struct pxy_addr {
  struct sockaddr_storage ss;
  socklen_t len;
  int family;          /* AF_INET, AF_INET6 or AF_UNIX */
  char text[128];      /* as given, for messages */
} pxy_addr;

/* pxy_addr_parse resolves |s| (numeric or a name, resolved once). NULL on
 * success, else a static reason. */
const char *pxy_addr_parse(const char *s, pxy_addr *out);

/* The server configuration, as given on the command line. */
typedef struct pxy_server_cfg {
  const char *listen, *target, *cert, *key, *ca;
  const char **crls;
  size_t n_crls;
  const char **rules;  /* "uri:...", "dns:..." ... (authz.h syntax) */
  size_t n_rules;
  bool allow_any_verified;
  int min_tls;         /* TLS1_2_VERSION or TLS1_3_VERSION */
  unsigned workers;    /* 0: the number of cores */
  unsigned max_conns;  /* 0: unlimited */
  unsigned handshake_timeout_ms, idle_timeout_ms, drain_timeout_ms;
  const char *status;  /* --status ADDR (status.h), or NULL */
  bool proxy_protocol; /* --proxy-protocol: a PROXY v2 header to the backend */
  unsigned session_lifetime_s; /* --session-tickets S: resumption; 0: off */
} pxy_server_cfg;

/* Everything built once from a configuration. pxy_server_run moves |ssl| and
 * |authz| into the first pxy_tls (below; both NULL here afterwards); a
 * reload builds a new pxy_tls and hands it to the workers. */
typedef struct pxy_server_ctx {
  const pxy_server_cfg *cfg;
  SSL_CTX *ssl;
  mtk_authz *authz;    /* NULL with --allow-any-verified */
  pxy_addr listen, target;
} pxy_server_ctx;

/* pxy_tls: the reloadable part of a server configuration (SSL_CTX with its
 * trust store and CRLs, and the access rules), refcounted. The workers take
 * the newest one at accept time; each connection holds a reference until it
 * ends, so a reload never touches a live connection. */
typedef struct pxy_tls {
  _Atomic unsigned long refs;
  SSL_CTX *ssl;        /* one context for every worker (client mode) */
  mtk_authz *authz;    /* NULL with --allow-any-verified */
  /* Server mode: one SSL_CTX per worker, each in the worker's own
   * OSSL_LIB_CTX, so that no libcrypto lock (method stores, the X509_STORE,
   * the DRBG) is shared between workers on the handshake path. All of them
   * share one set of session ticket keys, made for this generation. */
  SSL_CTX **wssl;
  unsigned n_wssl;
  uint64_t gen;        /* a number new with every build (tickets carry it) */
} pxy_tls;

/* pxy_tls_ctx: the SSL_CTX worker |i| makes its connections from. */
static inline SSL_CTX *pxy_tls_ctx(const pxy_tls *t, unsigned i) {
  return t->n_wssl > 0 ? t->wssl[i % t->n_wssl] : t->ssl;
}

/* pxy_tls_build loads everything from the files named in |cfg| (with all the
 * checks of a start): one SSL_CTX per library context in |libs| (|n| > 0),
 * else one in the default library context. NULL and |err| on failure. refs
 * is 1. */
pxy_tls *pxy_tls_build(const pxy_server_cfg *cfg, OSSL_LIB_CTX *const *libs, unsigned n,
                       char *err, size_t errlen);

/* Session tickets (--session-tickets), in server.c: the callbacks every
 * server SSL_CTX gets (SSL_CTX_set_session_ticket_cb). A ticket carries the
 * generation of the configuration it was made under and the time of the
 * full handshake; one is only taken when that generation is still the
 * current one, it is younger than the lifetime, and the client certificate
 * it holds passes the validity, EKU and access rule checks again now. Else
 * the handshake goes on as a full one, client certificate and all. */
int pxy_ticket_gen_cb(SSL *s, void *arg);
int pxy_ticket_dec_cb(SSL *s, SSL_SESSION *ss, const unsigned char *keyname, size_t keyname_len,
                      int status, void *arg);
/* pxy_tls_adopt wraps the ssl/authz of a built context (ownership moves). */
pxy_tls *pxy_tls_adopt(SSL_CTX *ssl, mtk_authz *authz);
void pxy_tls_ref(pxy_tls *t);
void pxy_tls_unref(pxy_tls *t); /* any thread; frees at 0; NULL is fine */

/* pxy_server_ctx_build builds |out| from |cfg|. On failure writes a reason
 * to |err| and returns false (|out| freed). */
bool pxy_server_ctx_build(const pxy_server_cfg *cfg, pxy_server_ctx *out, char *err,
                          size_t errlen);
void pxy_server_ctx_free(pxy_server_ctx *c);

/* pxy_server_run serves until SIGTERM/SIGINT and the drain. Returns the
 * process exit code (0 after a clean drain). */
int pxy_server_run(pxy_server_ctx *c);

/* ---- log lines (proxy/log.c) ---------------------------------------------
 * One JSON object per line on stderr (jsonlog.h), each written with one
 * write(2) so lines from several threads never interleave. */

/* pxy_wall_ms: CLOCK_REALTIME in milliseconds since the epoch (log "ts"). */
int64_t pxy_wall_ms(void);

/* pxy_conn_log_line writes the connection line for |c| (ts_ms 0: now),
 * building it in |scratch|, the caller's reusable buffer (one per worker:
 * no allocation once it has grown). */
void pxy_conn_log_line(mtk_buf *scratch, const mtk_connlog *c);

/* pxy_log_fields: an event line {"ts":...,"event":EVENT, fields...}. */
void pxy_log_fields(const char *event, const mtk_logfield *fields, size_t n);
/* pxy_log_event: an event line with one "detail" field (NULL: none). */
void pxy_log_event(const char *event, const char *detail);

/* pxy_conn_record / pxy_conn_log: the older per-connection hook, kept for
 * callers that fill a record; it writes the same line as pxy_conn_log_line
 * (peer_addr is what the "peer" field shows; |peer| is not used). */
typedef struct pxy_conn_record {
  const char *peer;        /* unused: see peer_addr */
  const char *identity;    /* the SAN/CN that matched an allow rule, or "" */
  const char *identity_kind; /* unused */
  bool allowed;            /* passed the handshake and the access rules */
  bool failed;             /* not allowed, and no check refused the peer */
  const char *reason;      /* NULL when the connection ended normally */
  const char *detail;      /* more words about |reason|, or NULL */
  const char *tls_version; /* "TLSv1.3" or NULL before the handshake */
  uint64_t bytes_in;       /* client -> backend (plaintext) */
  uint64_t bytes_out;      /* backend -> client (plaintext) */
  uint64_t duration_ms;
  unsigned worker;
  const struct sockaddr_storage *peer_addr; /* NULL: "peer":null */
  const char *cipher;      /* NULL: null */
} pxy_conn_record;

void pxy_conn_log(const pxy_conn_record *r);

#endif

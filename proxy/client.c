/* client.c: `mtlskit proxy client`: plaintext in, mutual TLS out.
 *
 * Local clients connect in plaintext to --listen (loopback only unless
 * --unsafe-listen); each connection gets its own TLS client connection to
 * --target, with our certificate, verified by:
 *   - the chain to --ca (X509_STRICT, depth 8; OpenSSL's ssl_server purpose);
 *   - lib/x509's strict decoding of the leaf and serverAuth in its EKU;
 *   - RFC 9525 service identity with lib/identity (mtk_identity_match,
 *     MTK_ID_VERDICT_ONLY): the references are --server-name (DNS-ID),
 *     --server-uri (URI-ID), --server-ip (IP-ID), any one match suffices;
 *     without them, the --target host (an IP literal becomes an IP-ID). The
 *     subject CN is never used.
 * The checks run in the verify callback on the leaf, so a wrong server fails
 * the handshake (the client sends an alert) before any byte moves.
 *
 * Per connection:  CONNECTING (TCP to the target) -> HANDSHAKE -> PROXYING.
 *
 * The mode-independent event-loop layer (buffer pool, FIFO timer lists,
 * listener with --max-conns back-pressure, worker threads, signalfd and the
 * drain eventfd) is shared with server.c in loop.c / loop.h; this file keeps
 * the TLS side (here the upstream socket) and the state machine. Shared
 * too: reload.c (SIGHUP / file change: a new pxy_tls per configuration
 * generation, taken by each worker at its next accept), status.c and the
 * counters of mtlskit/metrics.h (rendered as mtlskit_client_*), tlsconf.c
 * (X509_STRICT and the --crl files). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "mtlskit/identity.h"
#include "mtlskit/oid.h"
#include "mtlskit/x509.h"
#include "client.h"
#include "loop.h"
#include "mtlskit/metrics.h"
#include "reload.h"
#include "status.h"
#include "tlsconf.h"


/* ---- configuration ---------------------------------------------------------------- */

bool pxy_addr_is_loopback(const pxy_addr *a) {
  if (a->family == AF_UNIX) return true;
  if (a->family == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)&a->ss;
    return (ntohl(s->sin_addr.s_addr) >> 24) == 127u;
  }
  if (a->family == AF_INET6) {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&a->ss;
    const uint8_t *b = s->sin6_addr.s6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&s->sin6_addr)) return true;
    return IN6_IS_ADDR_V4MAPPED(&s->sin6_addr) && b[12] == 127u;
  }
  return false;
}

static bool cx_ssl_fail(char *err, size_t errlen, const char *what, const char *file) {
  unsigned long e = ERR_peek_last_error();
  char buf[256] = "";
  if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
  snprintf(err, errlen, "%s%s%s%s%s", what, file ? " " : "", file ? file : "", e ? ": " : "",
           buf);
  ERR_clear_error();
  return false;
}

static const char k_tls12_ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
static const char k_tls13_suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

static int cx_verify_cb(int ok, X509_STORE_CTX *sctx);
static int cx_new_session(SSL *ssl, SSL_SESSION *sess);

static bool build_client_ssl(const pxy_client_cfg *cfg, SSL_CTX **out, char *err, size_t errlen) {
  SSL_CTX *c = SSL_CTX_new(TLS_client_method());
  if (c == NULL) return cx_ssl_fail(err, errlen, "SSL_CTX_new", NULL);
  *out = c;
  if (!SSL_CTX_set_min_proto_version(c, cfg->min_tls) ||
      !SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION))
    return cx_ssl_fail(err, errlen, "TLS versions", NULL);
  if (!SSL_CTX_set_cipher_list(c, k_tls12_ciphers) || !SSL_CTX_set_ciphersuites(c, k_tls13_suites))
    return cx_ssl_fail(err, errlen, "cipher policy", NULL);
  if (!SSL_CTX_set1_groups_list(c, "X25519:P-256:P-384"))
    return cx_ssl_fail(err, errlen, "groups", NULL);
  /* Without --session-resumption every connection verifies the server
   * afresh. With it, sessions go only to the worker's one-slot cache
   * (cx_new_session), never to OpenSSL's internal store. */
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                             (cfg->resume ? 0 : SSL_OP_NO_TICKET));
  if (cfg->resume) {
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(c, cx_new_session);
  } else {
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  }
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(c, cfg->cert) != 1)
    return cx_ssl_fail(err, errlen, "--cert", cfg->cert);
  if (SSL_CTX_use_PrivateKey_file(c, cfg->key, SSL_FILETYPE_PEM) != 1)
    return cx_ssl_fail(err, errlen, "--key", cfg->key);
  if (SSL_CTX_check_private_key(c) != 1)
    return cx_ssl_fail(err, errlen, "--key does not match --cert", NULL);
  if (SSL_CTX_load_verify_locations(c, cfg->ca, NULL) != 1)
    return cx_ssl_fail(err, errlen, "--ca", cfg->ca);
  if (!pxy_ssl_store_strict(SSL_CTX_get_cert_store(c), cfg->crls, cfg->n_crls, err, errlen))
    return false;
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, cx_verify_cb);
  SSL_CTX_set_verify_depth(c, 8);
  return true;
}

/* The host part of HOST:PORT, brackets removed. */
static bool target_host(const char *t, char *out, size_t n) {
  const char *colon = strrchr(t, ':');
  if (colon == NULL || strncmp(t, "unix:", 5) == 0) return false;
  size_t hl = (size_t)(colon - t);
  if (hl >= 2 && t[0] == '[' && t[hl - 1] == ']') {
    t++;
    hl -= 2;
  }
  if (hl == 0 || hl >= n) return false;
  memcpy(out, t, hl);
  out[hl] = '\0';
  return true;
}

static bool add_ref(pxy_client_ctx *out, const char *kind, const char *v, char *err,
                    size_t errlen) {
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_ref *r = &out->refs[out->n_refs];
  size_t len = strlen(v);
  mtk_status st;
  if (strcmp(kind, "ip") == 0)
    st = mtk_ref_parse_ip(v, len, r, &d);
  else if (strcmp(kind, "uri") == 0)
    st = mtk_ref_parse_uri(v, len, r, &d);
  else
    st = mtk_ref_parse_dns(v, len, r, &d);
  if (st != MTK_OK) {
    snprintf(err, errlen, "server identity %s '%s': %s", kind, v,
             d.err.detail[0] ? d.err.detail : mtk_status_message(st));
    return false;
  }
  out->n_refs++;
  size_t used = strlen(out->refs_text);
  snprintf(out->refs_text + used, sizeof out->refs_text - used, "%s%s:%s", used ? "," : "", kind,
           v);
  return true;
}

bool pxy_client_ctx_build(const pxy_client_cfg *cfg, pxy_client_ctx *out, char *err,
                          size_t errlen) {
  memset(out, 0, sizeof *out);
  out->cfg = cfg;
  const char *why;
  char host[256];
  if ((why = pxy_addr_parse(cfg->listen, &out->listen)) != NULL) {
    snprintf(err, errlen, "--listen %s: %s", cfg->listen, why);
    goto fail;
  }
  if (!cfg->unsafe_listen && !pxy_addr_is_loopback(&out->listen)) {
    snprintf(err, errlen,
             "--listen %s is not a loopback address: plaintext would be open to the network. "
             "Use 127.0.0.1:PORT, [::1]:PORT or unix:/path, or add --unsafe-listen if you mean it",
             cfg->listen);
    goto fail;
  }
  if ((why = pxy_addr_parse(cfg->target, &out->target)) != NULL) {
    snprintf(err, errlen, "--target %s: %s", cfg->target, why);
    goto fail;
  }
  out->refs = calloc(cfg->n_refs > 0 ? cfg->n_refs : 1, sizeof *out->refs);
  if (out->refs == NULL) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  if (cfg->n_refs > 0) {
    for (size_t i = 0; i < cfg->n_refs; i++)
      if (!add_ref(out, cfg->refs[i].kind, cfg->refs[i].value, err, errlen)) goto fail;
  } else if (!target_host(cfg->target, host, sizeof host)) {
    snprintf(err, errlen,
             "--target %s has no host name to check the server against: add --server-name, "
             "--server-uri or --server-ip",
             cfg->target);
    goto fail;
  } else {
    uint8_t ip[16];
    size_t iplen;
    bool is_ip = mtk_ip_parse((const uint8_t *)host, strlen(host), ip, &iplen);
    if (!add_ref(out, is_ip ? "ip" : "dns", host, err, errlen)) goto fail;
  }
  /* SNI: the first DNS-ID (else the host of the first URI-ID); never an IP. */
  for (size_t k = 0; k < 2 && out->sni[0] == '\0'; k++)
    for (size_t i = 0; i < out->n_refs; i++)
      if (out->refs[i].kind == (k == 0 ? MTK_REF_DNS : MTK_REF_URI)) {
        snprintf(out->sni, sizeof out->sni, "%s", (const char *)out->refs[i].name);
        break;
      }
  if (!build_client_ssl(cfg, &out->ssl, err, errlen)) goto fail;
  return true;
fail:
  pxy_client_ctx_free(out);
  return false;
}

pxy_tls *pxy_client_tls_build(const pxy_client_cfg *cfg, char *err, size_t errlen) {
  SSL_CTX *ssl = NULL;
  if (!build_client_ssl(cfg, &ssl, err, errlen)) {
    SSL_CTX_free(ssl);
    return NULL;
  }
  pxy_tls *t = pxy_tls_adopt(ssl, NULL);
  if (t == NULL) {
    snprintf(err, errlen, "out of memory");
    SSL_CTX_free(ssl);
  }
  return t;
}

void pxy_client_ctx_free(pxy_client_ctx *c) {
  SSL_CTX_free(c->ssl);
  free(c->refs);
  c->ssl = NULL;
  c->refs = NULL;
  c->n_refs = 0;
}

/* ---- buffers, timers (loop.h) ------------------------------------------------------ */

typedef enum cx_state { CS_CONNECTING, CS_HANDSHAKE, CS_PROXYING } cx_state;
enum { CL_NONE = PXY_TL_NONE, CL_HANDSHAKE = PXY_TL_HANDSHAKE, CL_IDLE = PXY_TL_IDLE };

typedef pxy_buf cbuf;
#define cb_len pxy_buf_len
#define cb_space pxy_buf_space

struct cworker;


/* p: the plaintext local peer; t: the TLS upstream. */
typedef struct cconn {
  struct cworker *w;
  cx_state st;
  int pfd, tfd;
  SSL *ssl;
  pxy_tls *tls;                 /* the config it was accepted with (a reference) */
  uint32_t pev, tev;
  bool t_registered;
  bool hs_counted;              /* the handshake is in the metrics */
  bool hs_failed;               /* ... as failed: no check refused the server */
  bool offered;                 /* a cached session was offered (--session-resumption) */
  bool dead, allowed, checked, matched;
  int rd_want, wr_want;         /* TLS side */
  uint64_t t_start;
  uint64_t t0_us, hs_us;        /* accept; end of our handshake (0: not yet) */
  pxy_tnode tn;                 /* timer list (loop.h); the dead list */
  const char *reason;
  const char *tls_version;
  const char *cipher;
  const char *ident_kind;
  char detail[640];
  struct sockaddr_storage peer;
  char ident[256];
  pxy_half up;                  /* local -> upstream (TLS): p2t, bytes_in */
  pxy_half down;                /* upstream (TLS) -> local: t2p, bytes_out */
} cconn;

typedef struct cworker {
  pxy_loop lp;                  /* epoll, listener, timers, pool (loop.h) */
  pxy_client_ctx *ctx;
  pxy_tls *cur;                 /* new connections use this (a reference) */
  pxy_tls_slot next;            /* a reload hands the newer one over here */
  mtk_metrics_worker *m;        /* this worker's counters (metrics.h) */
  /* --session-resumption: one session, from a connection of this worker
   * whose server was verified under |sess_tls| (== cur), used once. */
  SSL_SESSION *sess;
  const pxy_tls *sess_tls;
  uint64_t sess_until;          /* pxy_now_ms deadline */
  const char *sess_kind;
  char sess_ident[256];
  mtk_diag diag;
  mtk_match_result mres;
  mtk_verify_result *vres;      /* the strict profile's result (large: one per worker) */
  uint8_t *chain_der;           /* the server's chain, re-encoded (PXY_CHAIN_DER_MAX) */
} cworker;

static _Atomic unsigned g_cconns;

static inline bool cb_get(cworker *w, cbuf **slot) { return pxy_buf_get(&w->lp, slot); }
static inline void cb_put(cworker *w, cbuf **slot, bool force) { pxy_buf_put(&w->lp, slot, force); }

/* ---- timers ------------------------------------------------------------------------ */

static inline cconn *cconn_of(pxy_tnode *n) { return PXY_CONTAINER(n, cconn, tn); }
static inline void ctl_remove(cconn *c) { pxy_tl_remove(&c->w->lp, &c->tn); }
static inline void ctl_append(cconn *c, int list, uint64_t now) {
  pxy_tl_append(&c->w->lp, &c->tn, list, now);
}


/* ---- teardown ---------------------------------------------------------------------- */

static void cx_fail(cconn *c, const char *reason, const char *detail) {
  if (c->reason == NULL) {
    c->reason = reason;
    snprintf(c->detail, sizeof c->detail, "%s", detail ? detail : "");
  }
  c->dead = true;
}

/* The metrics label of a log reason (docs/proxy.md, client mode): the
 * refusal counter a connection closed unserved goes to, or -1 (served, or
 * ended by the local client before the upstream was verified). */
static int cx_refusal_of(const cconn *c) {
  static const struct {
    const char *reason;
    mtk_refusal r;
  } map[] = {
      {"untrusted", MTK_REFUSE_UNTRUSTED},
      {"cert_invalid", MTK_REFUSE_UNTRUSTED},
      {"cert_parse", MTK_REFUSE_UNTRUSTED},
      {"cert_profile", MTK_REFUSE_UNTRUSTED},
      {"crl_missing", MTK_REFUSE_UNTRUSTED},
      {"crl_invalid", MTK_REFUSE_UNTRUSTED},
      {"cert_expired", MTK_REFUSE_EXPIRED},
      {"cert_not_yet_valid", MTK_REFUSE_NOT_YET_VALID},
      {"eku", MTK_REFUSE_EKU},
      {"cert_revoked", MTK_REFUSE_REVOKED},
      {"server_identity", MTK_REFUSE_IDENTITY},
      {"handshake_timeout", MTK_REFUSE_TIMEOUT},
      {"upstream_connect_timeout", MTK_REFUSE_TIMEOUT},
      {"upstream_connect", MTK_REFUSE_BACKEND_REFUSED},
  };
  if (c->reason == NULL || c->allowed) return -1;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(c->reason, map[i].reason) == 0) return (int)map[i].r;
  /* The upstream refused us (an alert), broke the handshake or went away
   * during it. */
  if (strcmp(c->reason, "tls_error") == 0 || strncmp(c->reason, "upstream_", 9) == 0)
    return (int)MTK_REFUSE_TLS_ERROR;
  return -1;
}

/* cx_hs_record puts the upstream handshake in the metrics once. Its time is
 * from accept (so it includes the TCP connect) to the end of our handshake;
 * its result is known then with TLS 1.2, but with TLS 1.3 the server judges
 * our certificate after our side is done, so the result waits for the first
 * upstream data or the close (an alert before any data: not ok). */
static void cx_hs_record(cconn *c) {
  if (c->hs_counted) return;
  c->hs_counted = true;
  mtk_hs_result r = MTK_HS_OK;
  if (!c->allowed) {
    int ref = cx_refusal_of(c);
    r = ref >= (int)MTK_REFUSE_UNTRUSTED && ref <= (int)MTK_REFUSE_IDENTITY ? MTK_HS_REFUSED
                                                                           : MTK_HS_FAILED;
  }
  c->hs_failed = r == MTK_HS_FAILED;
  uint64_t t = c->hs_us != 0 ? c->hs_us : pxy_now_us();
  mtk_metrics_handshake(c->w->m, r, t > c->t0_us ? t - c->t0_us : 0);
}

static void cx_free(cconn *c, uint64_t now) {
  cworker *w = c->w;
  cx_hs_record(c);
  int ref = cx_refusal_of(c);
  if (ref >= 0) mtk_metrics_refusal(w->m, (mtk_refusal)ref);
  mtk_metrics_bytes(w->m, c->up.bytes, c->down.bytes);
  mtk_metrics_conn_close(w->m);
  pxy_conn_record r;
  memset(&r, 0, sizeof r);
  r.peer = "";
  r.peer_addr = &c->peer;
  r.cipher = c->cipher;
  r.identity = c->ident;
  r.identity_kind = c->ident_kind ? c->ident_kind : "";
  r.allowed = c->allowed;
  r.failed = !c->allowed && c->hs_failed;
  r.reason = c->reason;
  r.detail = c->detail[0] ? c->detail : NULL;
  r.tls_version = c->tls_version;
  r.bytes_in = c->up.bytes;
  r.bytes_out = c->down.bytes;
  r.duration_ms = now - c->t_start;
  r.worker = w->lp.id;
  pxy_conn_log(&r);
  ctl_remove(c);
  cb_put(w, &c->up.buf, true);
  cb_put(w, &c->down.buf, true);
  SSL_free(c->ssl);
  pxy_tls_unref(c->tls);
  if (c->pfd >= 0) close(c->pfd);
  if (c->tfd >= 0) close(c->tfd);
  free(c);
  w->lp.nconns--;
  pxy_slot_release(&w->lp);
  ERR_clear_error();
}

/* ---- epoll interest: tag = pointer, low bit set for the TLS (upstream) side ------- */

static uint64_t ctag(const cconn *c, bool tls) { return (uint64_t)(uintptr_t)c | (tls ? 1u : 0u); }
static inline void cev_set(cworker *w, int fd, uint32_t *cur, uint32_t want, uint64_t tag) {
  pxy_ev_set(&w->lp, fd, cur, want, tag);
}

static uint32_t cwant(int want) { return want == SSL_ERROR_WANT_WRITE ? EPOLLOUT : EPOLLIN; }

static void cx_interest(cconn *c) {
  cworker *w = c->w;
  uint32_t pe = 0, te = 0;
  switch (c->st) {
  case CS_CONNECTING:
    te = EPOLLOUT;
    break;
  case CS_HANDSHAKE:
    te = cwant(c->rd_want);
    break;
  case CS_PROXYING:
    if (!c->up.src_eof && cb_space(c->up.buf) > 0) pe |= EPOLLIN;
    if (c->down.dst_blocked && cb_len(c->down.buf) > 0) pe |= EPOLLOUT;
    if (!c->down.src_eof && cb_space(c->down.buf) > 0) te |= cwant(c->rd_want);
    if (c->wr_want != 0) te |= cwant(c->wr_want);
    break;
  }
  cev_set(w, c->pfd, &c->pev, pe, ctag(c, false));
  if (c->tfd >= 0) {
    if (!c->t_registered) {
      struct epoll_event ev;
      memset(&ev, 0, sizeof ev);
      ev.events = te;
      ev.data.u64 = ctag(c, true);
      if (epoll_ctl(w->lp.ep, EPOLL_CTL_ADD, c->tfd, &ev) != 0) {
        cx_fail(c, "internal", "epoll_ctl");
        return;
      }
      c->t_registered = true;
      c->tev = te;
    } else {
      cev_set(w, c->tfd, &c->tev, te, ctag(c, true));
    }
  }
}

/* ---- verifying the server ------------------------------------------------------------ */

static const char *cx_verify_reason(long vr) {
  switch (vr) {
  case X509_V_ERR_CERT_HAS_EXPIRED: return "cert_expired";
  case X509_V_ERR_CERT_NOT_YET_VALID: return "cert_not_yet_valid";
  case X509_V_ERR_CERT_REVOKED: return "cert_revoked";
  case X509_V_ERR_INVALID_PURPOSE: return "eku";
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_CERT_UNTRUSTED: return "untrusted";
  default: return "cert_invalid";
  }
}

static void cx_copy_ident(cconn *c, const mtk_id_item *m) {
  if (m->type == MTK_PID_IP) {
    int af = m->value.len == 4 ? AF_INET : AF_INET6;
    if ((m->value.len == 4 || m->value.len == 16) &&
        inet_ntop(af, m->value.p, c->ident, sizeof c->ident) != NULL)
      return;
    snprintf(c->ident, sizeof c->ident, "?");
    return;
  }
  size_t n = m->value.len < sizeof c->ident - 1 ? m->value.len : sizeof c->ident - 1;
  for (size_t i = 0; i < n; i++) {
    uint8_t b = m->value.p[i];
    c->ident[i] = (char)(b >= 0x20 && b < 0x7f ? b : '?');
  }
  c->ident[n] = '\0';
}

/* The checks after the chain, on the server's leaf: strict decoding,
 * serverAuth, RFC 9525 identity. Sets the reason on refusal (false). */
static bool check_server(cconn *c, X509 *leaf) {
  cworker *w = c->w;
  c->checked = true;
  int n = i2d_X509(leaf, NULL);
  if (n <= 0) {
    cx_fail(c, "cert_invalid", "i2d_X509");
    return false;
  }
  uint8_t *der = malloc((size_t)n);
  if (der == NULL) {
    cx_fail(c, "internal", "out of memory");
    return false;
  }
  uint8_t *p = der;
  i2d_X509(leaf, &p);
  bool ok = false;
  mtk_cert cert;
  mtk_diag_init(&w->diag);
  if (mtk_cert_parse(&cert, der, (size_t)n, &w->diag) != MTK_OK) {
    cx_fail(c, "cert_parse", w->diag.err.detail);
  } else {
    const mtk_ext *eku = mtk_ext_get(&cert.exts, MTK_XK_EKU);
    if (eku == NULL || !mtk_ext_has_eku(&eku->value, MTK_OID_EKU_SERVER_AUTH)) {
      cx_fail(c, "eku", eku == NULL ? "server certificate: no extendedKeyUsage"
                                    : "server certificate: no serverAuth in extendedKeyUsage");
    } else {
      const pxy_client_ctx *x = w->ctx;
      mtk_status st = mtk_identity_match(&cert, x->refs, x->n_refs, MTK_ID_VERDICT_ONLY, &w->mres);
      if (st != MTK_OK || !w->mres.matched) {
        char d[640];
        snprintf(d, sizeof d, "%s: the server certificate does not name %s",
                 st != MTK_OK ? mtk_status_message(st) : "no match", x->refs_text);
        cx_fail(c, "server_identity", d);
      } else {
        cx_copy_ident(c, &w->mres.match);
        c->ident_kind = mtk_ref_kind_name(x->refs[w->mres.ref].kind);
        c->matched = true;
        ok = true;
      }
    }
  }
  free(der);
  return ok;
}

static int cx_verify_cb(int ok, X509_STORE_CTX *sctx) {
  SSL *ssl = X509_STORE_CTX_get_ex_data(sctx, SSL_get_ex_data_X509_STORE_CTX_idx());
  cconn *c = ssl ? SSL_get_app_data(ssl) : NULL;
  if (c == NULL) return ok;
  if (ok != 1 || X509_STORE_CTX_get_error_depth(sctx) != 0) return ok;
  X509 *leaf = X509_STORE_CTX_get_current_cert(sctx);
  if (leaf == NULL || c->checked) return ok && c->matched;
  /* mtlskit's strict profile on the chain OpenSSL built (tlsconf.c), then
   * the leaf's serverAuth and the server's identity. */
  mtk_status code;
  const char *why, *reason;
  int verr = X509_V_ERR_APPLICATION_VERIFICATION;
  if (!pxy_chain_profile(sctx, MTK_PURPOSE_SERVER, c->w->chain_der, c->w->vres, &code, &why)) {
    c->checked = true;
    verr = pxy_profile_verr(code, &reason);
    cx_fail(c, reason, why);
  } else if (check_server(c, leaf)) {
    return 1;
  }
  c->dead = false; /* still handshaking: step_handshake reports it */
  X509_STORE_CTX_set_error(sctx, verr);
  return 0;
}

/* --session-resumption: OpenSSL hands over each new session (a TLS 1.3
 * ticket after the handshake, a TLS 1.2 session at its end). It is kept only
 * if this connection's server was verified (a full handshake that passed
 * check_server, or the resumption of such a session) under the worker's
 * current configuration: so a resumed connection trusts the same CA, CRLs
 * and server identity references (fixed for the process, as is the target)
 * and presents the same client certificate as a full one would. It replaces
 * the slot's older session; the slot is per worker (no lock) and each
 * session is offered once. Returns 1 when the reference is kept. */
#define CX_RESUME_MS 300000u

static int cx_new_session(SSL *ssl, SSL_SESSION *sess) {
  cconn *c = SSL_get_app_data(ssl);
  if (c == NULL) return 0;
  cworker *w = c->w;
  if (!c->matched || c->dead || c->tls != w->cur || SSL_get_verify_result(ssl) != X509_V_OK ||
      SSL_SESSION_is_resumable(sess) != 1)
    return 0;
  SSL_SESSION_free(w->sess);
  w->sess = sess;
  w->sess_tls = c->tls;
  w->sess_until = pxy_now_ms() + CX_RESUME_MS;
  w->sess_kind = c->ident_kind;
  snprintf(w->sess_ident, sizeof w->sess_ident, "%s", c->ident);
  return 1;
}

/* After a failed write before the server sent any data: the server may have
 * refused our certificate (TLS 1.3 judges it after our handshake is done),
 * sent an alert and closed. Read once to find that alert, so that the log
 * says upstream_refused rather than a bare reset. */
static bool cx_harvest_alert(cconn *c) {
  uint8_t scratch[256];
  size_t n = 0;
  ERR_clear_error();
  if (SSL_read_ex(c->ssl, scratch, sizeof scratch, &n) == 1) return false;
  unsigned long ec = ERR_peek_error();
  int rsn = ERR_GET_REASON(ec);
  return ERR_GET_LIB(ec) == ERR_LIB_SSL && rsn >= SSL_AD_REASON_OFFSET &&
         rsn < SSL_AD_REASON_OFFSET + 256;
}

static void cx_ssl_io_fail(cconn *c, int e, const char *phase) {
  unsigned long ec = ERR_peek_error();
  int saved = errno;
  if (e == SSL_ERROR_SYSCALL && c->down.bytes == 0 && c->st == CS_PROXYING &&
      strcmp(phase, "read") != 0 && cx_harvest_alert(c)) {
    e = SSL_ERROR_SSL;
    ec = ERR_peek_error();
    phase = "read";
  }
  if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ec == 0)) {
    bool reset = e == SSL_ERROR_SYSCALL && (saved == ECONNRESET || saved == EPIPE);
    cx_fail(c, reset ? "upstream_reset" : "upstream_closed", phase);
    return;
  }
  if (ERR_GET_LIB(ec) == ERR_LIB_SSL && ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    cx_fail(c, "upstream_closed", phase);
    return;
  }
  char buf[160];
  const char *rs = ec ? ERR_reason_error_string(ec) : NULL;
  snprintf(buf, sizeof buf, "%s: %s", phase, rs ? rs : "error");
  int rsn = ERR_GET_REASON(ec);
  if (ERR_GET_LIB(ec) == ERR_LIB_SSL && rsn >= SSL_AD_REASON_OFFSET &&
      rsn < SSL_AD_REASON_OFFSET + 256 && c->down.bytes == 0) {
    /* An alert from the server before it sent any data: with TLS 1.3 the
     * server judges our certificate after our handshake is over, so this is
     * how a refusal of our identity shows. */
    c->allowed = false;
    cx_fail(c, "upstream_refused", buf);
    return;
  }
  cx_fail(c, "tls_error", buf);
}

static void cx_step_handshake(cconn *c, uint64_t now) {
  ERR_clear_error();
  int r = SSL_do_handshake(c->ssl);
  if (r == 1) {
    c->rd_want = SSL_ERROR_WANT_READ;
    c->tls_version = SSL_get_version(c->ssl);
    c->cipher = SSL_get_cipher_name(c->ssl);
    if (SSL_session_reused(c->ssl) && c->offered && !c->checked) {
      /* Resumed: no certificate was sent; the session is one this worker
       * cached after verifying the server, under this same configuration
       * (cx_new_session), and c->ident was copied from it. */
      c->matched = true;
      snprintf(c->detail, sizeof c->detail, "session resumed");
    }
    if (!c->matched || SSL_get_verify_result(c->ssl) != X509_V_OK) {
      cx_fail(c, "server_identity", "the server was not verified");
      return;
    }
    c->allowed = true;
    c->st = CS_PROXYING;
    c->hs_us = pxy_now_us();
    if (SSL_version(c->ssl) != TLS1_3_VERSION) cx_hs_record(c);
    ctl_append(c, CL_IDLE, now);
    return;
  }
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    c->rd_want = e;
    return;
  }
  long vr = SSL_get_verify_result(c->ssl);
  if (c->reason != NULL) {
    cx_fail(c, c->reason, NULL); /* refused by check_server: keep its words */
  } else if (vr != X509_V_OK) {
    cx_fail(c, cx_verify_reason(vr), X509_verify_cert_error_string(vr));
  } else {
    cx_ssl_io_fail(c, e, "handshake");
  }
}

static void cx_start_tls(cconn *c, uint64_t now) {
  if (SSL_set_fd(c->ssl, c->tfd) != 1) {
    cx_fail(c, "internal", "SSL_set_fd");
    return;
  }
  c->st = CS_HANDSHAKE;
  c->rd_want = SSL_ERROR_WANT_WRITE;
  ctl_append(c, CL_HANDSHAKE, now); /* the handshake gets its own full timeout */
  cx_step_handshake(c, now);
}

static void cx_connect(cconn *c, uint64_t now) {
  const pxy_addr *t = &c->w->ctx->target;
  c->tfd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->tfd < 0) {
    cx_fail(c, "upstream_connect", strerror(errno));
    return;
  }
  if (t->family != AF_UNIX) {
    int one = 1;
    setsockopt(c->tfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (connect(c->tfd, (const struct sockaddr *)&t->ss, t->len) == 0) {
    cx_start_tls(c, now);
  } else if (errno == EINPROGRESS) {
    c->st = CS_CONNECTING;
  } else {
    cx_fail(c, "upstream_connect", strerror(errno));
  }
}

static void cx_step_connecting(cconn *c, uint64_t now) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c->tfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err == 0)
    cx_start_tls(c, now);
  else if (err != EINPROGRESS && err != EALREADY)
    cx_fail(c, "upstream_connect", strerror(err));
}

/* ---- proxying ------------------------------------------------------------------------- */

static bool cx_pass(cconn *c) {
  pxy_io io;
  memset(&io, 0, sizeof io);
  uint64_t before = c->down.bytes;
  bool ok = pxy_plain_to_tls(&c->w->lp, c->pfd, &c->up, c->ssl, &c->wr_want, &io) &&
            pxy_tls_to_plain(&c->w->lp, c->ssl, &c->rd_want, &c->down, c->pfd, &io);
  if (before == 0 && c->down.bytes > 0) cx_hs_record(c); /* TLS 1.3: the server let us in */
  if (io.eof_no_notify && c->reason == NULL) c->reason = "upstream_eof_without_close_notify";
  if (!ok) {
    if (io.fail == PXY_IO_NOMEM) {
      cx_fail(c, "internal", "out of memory");
    } else if (io.fail == PXY_IO_SOCK) {
      cx_fail(c, "client_reset", strerror(io.sys_err));
    } else {
      errno = io.sys_err;
      cx_ssl_io_fail(c, io.ssl_err, io.phase);
    }
    return false;
  }
  return io.moved;
}

static bool cx_finished(const cconn *c) {
  return c->up.src_eof && c->up.dst_shut && c->down.src_eof && c->down.dst_shut && cb_len(c->down.buf) == 0;
}

static void cx_step(cconn *c, uint32_t events, bool on_tls, uint64_t now) {
  bool prog = false;
  if (events & EPOLLERR) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(on_tls ? c->tfd : c->pfd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (on_tls && c->st == CS_CONNECTING)
      cx_fail(c, "upstream_connect", strerror(err ? err : ECONNREFUSED));
    else if (on_tls && c->st == CS_PROXYING && c->down.bytes == 0 && cx_harvest_alert(c))
      cx_ssl_io_fail(c, SSL_ERROR_SSL, "read");
    else
      cx_fail(c, on_tls ? "upstream_reset" : "client_reset", err ? strerror(err) : NULL);
    return;
  }
  if (c->st == CS_CONNECTING && on_tls) {
    cx_step_connecting(c, now);
    prog = true;
  } else if (c->st == CS_HANDSHAKE && on_tls) {
    cx_step_handshake(c, now);
    prog = true;
  }
  if (!c->dead && c->st == CS_PROXYING) {
    bool moved = false;
    while (!c->dead && cx_pass(c)) moved = true;
    cb_put(c->w, &c->up.buf, false);
    cb_put(c->w, &c->down.buf, false);
    if (moved) {
      prog = true;
      ctl_append(c, CL_IDLE, now);
    }
    if (!c->dead && cx_finished(c)) {
      c->dead = true;
      return;
    }
  }
  if (c->dead) return;
  if ((events & EPOLLHUP) && !prog) {
    cx_fail(c, on_tls ? "upstream_hangup" : "client_hangup", NULL);
    return;
  }
  cx_interest(c);
}

/* ---- accept ------------------------------------------------------------------------- */

static void cx_accept(cworker *w, uint64_t now) {
  pxy_tls_take(&w->next, &w->cur); /* a reload published a newer config */
  if (w->sess != NULL && (w->sess_tls != w->cur || now >= w->sess_until)) {
    SSL_SESSION_free(w->sess); /* another configuration, or too old */
    w->sess = NULL;
  }
  for (int i = 0; i < PXY_ACCEPT_BATCH; i++) {
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = pxy_accept_fd(&w->lp, now, &ss, &sl);
    if (fd < 0) return;
    cconn *c = calloc(1, sizeof *c);
    SSL *ssl = c ? SSL_new(w->cur->ssl) : NULL;
    if (ssl == NULL || (w->ctx->sni[0] && SSL_set_tlsext_host_name(ssl, w->ctx->sni) != 1)) {
      SSL_free(ssl);
      free(c);
      close(fd);
      pxy_slot_release(&w->lp);
      pxy_log_event("accept_error", "out of memory");
      continue;
    }
    c->w = w;
    c->st = CS_CONNECTING;
    c->pfd = fd;
    c->tfd = -1;
    c->ssl = ssl;
    c->tls = w->cur;
    pxy_tls_ref(c->tls);
    c->tn.list = CL_NONE;
    c->t_start = now;
    c->t0_us = pxy_now_us();
    c->rd_want = SSL_ERROR_WANT_READ;
    SSL_set_connect_state(ssl);
    SSL_set_app_data(ssl, c);
    if (w->sess != NULL && SSL_set_session(ssl, w->sess) == 1) {
      c->offered = true; /* single use: the slot is emptied */
      c->ident_kind = w->sess_kind;
      snprintf(c->ident, sizeof c->ident, "%s", w->sess_ident);
    }
    if (w->sess != NULL) {
      SSL_SESSION_free(w->sess);
      w->sess = NULL;
    }
    memcpy(&c->peer, &ss, sizeof ss);
    pxy_fd_nodelay(fd, ss.ss_family);
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = 0; /* nothing is read from the local peer before the upstream is verified */
    ev.data.u64 = ctag(c, false);
    w->lp.nconns++;
    mtk_metrics_conn_open(w->m);
    if (epoll_ctl(w->lp.ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
      cx_fail(c, "internal", "epoll_ctl");
      cx_free(c, now);
      continue;
    }
    c->pev = 0;
    ctl_append(c, CL_HANDSHAKE, now);
    cx_connect(c, now);
    if (!c->dead) cx_interest(c);
    if (c->dead) cx_free(c, now);
  }
}

/* ---- the loop ----------------------------------------------------------------------- */

/* The mode's part of the worker loop (loop.h, pxy_loop_run). */
static void cx_accept_cb(void *w, uint64_t now) { cx_accept(w, now); }

static pxy_tnode *cx_event(void *w, uint64_t tag, uint32_t events, uint64_t now) {
  (void)w;
  bool on_tls = (tag & 1u) != 0;
  cconn *c = (cconn *)(uintptr_t)(tag & ~(uint64_t)1u);
  if (c->dead || (on_tls && c->tfd < 0)) return NULL;
  cx_step(c, events, on_tls, now);
  return c->dead ? &c->tn : NULL;
}

static void cx_close(pxy_tnode *n, const char *reason, uint64_t now) {
  cconn *c = cconn_of(n);
  if (reason != NULL) cx_fail(c, reason, NULL);
  cx_free(c, now);
}

static const char *cx_timeout_reason(pxy_tnode *n, int list) {
  if (list == CL_IDLE) return "idle_timeout";
  return cconn_of(n)->st == CS_CONNECTING ? "upstream_connect_timeout" : "handshake_timeout";
}

static const pxy_loop_mode k_client_mode = {cx_accept_cb, cx_event, cx_close, cx_timeout_reason};

static void *cworker_main(void *arg) {
  cworker *w = arg;
  pxy_loop_run(&w->lp, w, &k_client_mode);
  SSL_SESSION_free(w->sess);
  w->sess = NULL;
  return NULL;
}

/* ---- start, signals, reload, drain ----------------------------------------------------- */

static mtk_status cx_render_metrics(void *arg, mtk_buf *out) {
  return mtk_metrics_render_prefixed(arg, "mtlskit_client_", out);
}

/* Reload (reload.h): the files of the TLS context; the server identity
 * references and addresses are command-line values and stay. */
static pxy_tls *cx_reload_build(const void *cfg, char *err, size_t errlen) {
  return pxy_client_tls_build(cfg, err, errlen);
}

static uint64_t cx_files_sig(const void *arg) {
  const pxy_client_cfg *cfg = arg;
  uint64_t h = PXY_SIG_INIT;
  h = pxy_sig_file(h, cfg->cert);
  h = pxy_sig_file(h, cfg->key);
  h = pxy_sig_file(h, cfg->ca);
  for (size_t i = 0; i < cfg->n_crls; i++) h = pxy_sig_file(h, cfg->crls[i]);
  return h;
}

static pxy_tls_slot *cx_slot(void *workers, unsigned i) { return &((cworker *)workers)[i].next; }

int pxy_client_run(pxy_client_ctx *ctx) {
  const pxy_client_cfg *cfg = ctx->cfg;
  unsigned nw = pxy_worker_count(cfg->workers);
  char err[256];
  int sfd = pxy_signals_open();
  if (sfd < 0) return 1;
  cworker *ws = calloc(nw, sizeof *ws);
  if (ws == NULL) {
    close(sfd);
    return 1;
  }
  int rc = 0;
  int shared_lfd = -1;
  unsigned started = 0;
  bool is_unix = ctx->listen.family == AF_UNIX;
  mtk_metrics *metrics = NULL;
  pxy_status *status = NULL;
  pxy_tls *tls0 = NULL;
  uint64_t sig0 = cx_files_sig(cfg); /* the files the running config was just built from */
  for (unsigned i = 0; i < nw; i++) pxy_loop_init(&ws[i].lp);
  for (unsigned i = 0; i < nw; i++) {
    ws[i].vres = malloc(sizeof *ws[i].vres);
    ws[i].chain_der = malloc(PXY_CHAIN_DER_MAX);
  }
  pxy_reloader rl = {cx_reload_build, cx_files_sig, cfg, cx_slot, ws, nw, NULL, "client",
                     sig0, sig0};
  bool got = true;
  for (unsigned i = 0; i < nw; i++) got = got && ws[i].vres != NULL && ws[i].chain_der != NULL;
  if (!got || mtk_metrics_new(nw, &metrics) != MTK_OK) {
    fprintf(stderr, "mtlskit: out of memory\n");
    rc = 1;
    goto out;
  }
  rl.metrics = metrics;
  for (unsigned i = 0; i < nw; i++) ws[i].m = mtk_metrics_worker_block(metrics, i);
  if (cfg->status != NULL &&
      (status = pxy_status_start(cfg->status, cx_render_metrics, metrics, err, sizeof err)) ==
          NULL) {
    fprintf(stderr, "mtlskit: %s\n", err);
    rc = 1;
    goto out;
  }
  if (is_unix && (shared_lfd = pxy_listener_open(&ctx->listen, false, err, sizeof err)) < 0) {
    fprintf(stderr, "mtlskit: %s\n", err);
    rc = 1;
    goto out;
  }
  tls0 = pxy_tls_adopt(ctx->ssl, NULL);
  if (tls0 == NULL) {
    fprintf(stderr, "mtlskit: out of memory\n");
    rc = 1;
    goto out;
  }
  ctx->ssl = NULL; /* owned by tls0 now */
  for (unsigned i = 0; i < nw; i++) {
    ws[i].ctx = ctx;
    pxy_tls_ref(tls0);
    ws[i].cur = tls0;
    if (!pxy_loop_open(&ws[i].lp, i, &ctx->listen, shared_lfd, &g_cconns, cfg->max_conns,
                       cfg->handshake_timeout_ms, cfg->idle_timeout_ms, cfg->drain_timeout_ms)) {
      rc = 1;
      goto out;
    }
  }
  for (; started < nw; started++)
    if (!pxy_loop_start(&ws[started].lp, cworker_main, &ws[started])) {
      rc = 1;
      goto out;
    }
  {
    mtk_logfield f[] = {
        MTK_LOG_STR("mode", "client"),
        MTK_LOG_STR("listen", ctx->listen.text),
        MTK_LOG_STR("target", ctx->target.text),
        MTK_LOG_STR("server_identity", ctx->refs_text),
        MTK_LOG_STR("sni", ctx->sni), /* "": none (an IP target) */
        MTK_LOG_NUM("workers", nw),
        MTK_LOG_NUM("status_port", status != NULL ? pxy_status_port(status) : 0),
    };
    pxy_log_fields("start", f, sizeof f / sizeof f[0]);
  }
  {
    pxy_sig_hooks hooks = {pxy_reload_on_hup, pxy_reload_on_tick, PXY_RELOAD_POLL_MS, &rl};
    int signo = pxy_signals_wait(sfd, &hooks);
    if (signo != 0) {
      if (status != NULL) pxy_status_set_draining(status, true);
      mtk_logfield f[] = {
          MTK_LOG_STR("mode", "client"),
          MTK_LOG_STR("signal", signo == SIGTERM ? "SIGTERM" : "SIGINT"),
          MTK_LOG_NUM("active", atomic_load(&g_cconns)),
          MTK_LOG_NUM("deadline_ms", cfg->drain_timeout_ms),
      };
      pxy_log_fields("drain", f, sizeof f / sizeof f[0]);
    }
  }
out:
  for (unsigned i = 0; i < started; i++) pxy_loop_wake(&ws[i].lp);
  for (unsigned i = 0; i < started; i++) pxy_loop_join(&ws[i].lp);
  for (unsigned i = 0; i < nw; i++) {
    pxy_loop_close(&ws[i].lp);
    pxy_tls_unref(ws[i].cur);
  }
  pxy_reload_clear(&rl);
  pxy_tls_unref(tls0);
  pxy_shared_listener_close(shared_lfd, &ctx->listen);
  pxy_status_stop(status);
  if (rc == 0) pxy_log_event("stop", "drained");
  for (unsigned i = 0; i < nw; i++) {
    free(ws[i].vres);
    free(ws[i].chain_der);
  }
  mtk_metrics_free(metrics);
  free(ws);
  close(sfd);
  return rc;
}

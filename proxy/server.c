/* server.c: the event loops of `mtlskit proxy server`.
 *
 * Each worker thread owns an epoll instance, a listening socket (its own with
 * SO_REUSEPORT, or a shared unix: socket added with EPOLLEXCLUSIVE), an
 * eventfd the main thread writes to start the drain, its connections and two
 * timer lists. A connection is an explicit state machine:
 *
 *   HANDSHAKE -> (verify, EKU, access rules) -> CONNECTING -> PROXYING -> freed
 *
 * with two bounded buffers (client->backend, backend->client). Every event
 * on either socket of a connection runs conn_step, which makes all the
 * progress it can and then recomputes the epoll interest of both sockets from
 * the state (SSL_ERROR_WANT_READ/WRITE become EPOLLIN/EPOLLOUT; a full
 * buffer drops the interest in reading its source: back-pressure). A
 * connection is freed only at the end of the event handler (conn_free), the
 * one teardown, which writes the log line.
 *
 * Timers: the handshake (and backend connect) timeout and the idle timeout
 * are constant per worker, so each is a FIFO list sorted by construction:
 * append at the tail with now + timeout, move to the tail on activity, expire
 * from the head. epoll_wait sleeps until the earliest head.
 *
 * The mode-independent parts (buffer pool, timer lists, listener, worker
 * start/join, signalfd and drain eventfd) are in loop.c / loop.h, shared with
 * client.c; the hot-path ones are static inline there. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "mtlskit/jsonlog.h"
#include "mtlskit/metrics.h"
#include "mtlskit/oid.h"
#include "mtlskit/ppv2.h"
#include "mtlskit/verify.h"
#include "mtlskit/x509.h"
#include "proxy.h"
#include "reload.h"
#include "status.h"
#include "tlsconf.h"
#include "loop.h"


typedef enum conn_state { ST_HANDSHAKE, ST_CONNECTING, ST_PROXYING } conn_state;
enum { TL_NONE = PXY_TL_NONE, TL_HANDSHAKE = PXY_TL_HANDSHAKE, TL_IDLE = PXY_TL_IDLE };

typedef pxy_buf pbuf;
#define pb_len pxy_buf_len
#define pb_space pxy_buf_space

struct worker;

typedef struct conn {
  struct worker *w;
  conn_state st;
  int cfd, bfd;
  SSL *ssl;
  pxy_tls *tls;                 /* the config it was accepted with (a reference) */
  uint32_t cev, bev;            /* registered epoll interest */
  bool b_registered;
  bool dead;                    /* tear down at the end of the handler */
  bool allowed;
  bool checked;                 /* check_peer ran (from the verify callback) */
  bool hs_counted;              /* the handshake is in the metrics */
  bool hs_failed;               /* ... as failed: no check refused the client */
  bool garbage;                 /* the handshake failed on a non-TLS record */
  bool resume_ok;               /* a ticket passed every check (ticket_dec) */
  int verr;                     /* X509_V_ERR_* a refusal gives OpenSSL (the alert) */
  int64_t auth_time;            /* the full handshake a resumed session stems from */
  int rd_want, wr_want;         /* 0 or SSL_ERROR_WANT_READ/WRITE */
  uint64_t t_start;
  uint64_t t0_us;               /* accept, monotonic microseconds */
  pxy_tnode tn;                 /* timer list (loop.h); the dead list */
  const char *reason;
  const char *tls_version;
  const char *cipher;
  char detail[256];
  struct sockaddr_storage peer;
  /* --proxy-protocol: the client's leaf DER, kept from check_peer until the
   * PROXY header is written, with the offsets of the identity that matched
   * and of the subject CN inside it (len 0: none). */
  uint8_t *der;
  size_t der_len, id_off, id_len, cn_off, cn_len;
  size_t ident_len;
  uint8_t ident[256];           /* the identity shown, raw (the log escapes) */
  pxy_half up;                  /* client (TLS) -> backend: c2b, bytes_in */
  pxy_half down;                /* backend -> client (TLS): b2c, bytes_out */
} conn;

typedef struct worker {
  pxy_loop lp;                  /* epoll, listener, timers, pool (loop.h) */
  pxy_server_ctx *ctx;
  pxy_tls *cur;                 /* new connections use this (a reference) */
  _Atomic(pxy_tls *) next;      /* a reload hands the newer one over here */
  mtk_metrics_worker *m;        /* this worker's counters (metrics.h) */
  mtk_buf logbuf;               /* reused for every log line */
  mtk_diag diag;
  mtk_verify_result *vres;      /* the strict profile's result (large: one per worker) */
  uint8_t *chain_der;           /* the client's chain, re-encoded (PXY_CHAIN_DER_MAX) */
} worker;

static _Atomic unsigned g_conns;

static inline bool pb_get(worker *w, pbuf **slot) { return pxy_buf_get(&w->lp, slot); }
static inline void pb_put(worker *w, pbuf **slot, bool force) { pxy_buf_put(&w->lp, slot, force); }

/* ---- timers ---------------------------------------------------------------------- */

static inline conn *conn_of(pxy_tnode *n) { return PXY_CONTAINER(n, conn, tn); }
static inline void tl_remove(conn *c) { pxy_tl_remove(&c->w->lp, &c->tn); }
static inline void tl_append(conn *c, int list, uint64_t now) {
  pxy_tl_append(&c->w->lp, &c->tn, list, now);
}


/* ---- teardown -------------------------------------------------------------------- */

static void conn_fail(conn *c, const char *reason, const char *detail) {
  if (c->reason == NULL) {
    c->reason = reason;
    snprintf(c->detail, sizeof c->detail, "%.*s", (int)sizeof c->detail - 1, detail ? detail : "");
  }
  c->dead = true;
}

/* The metrics label of a log reason: the refusal counter a connection
 * closed unserved goes to, or -1 (served, or ended by the client). The log
 * keeps its finer reasons (docs/proxy.md has the table). */
static int refusal_of(const conn *c) {
  static const struct {
    const char *reason;
    mtk_refusal r;
  } map[] = {
      {"no_client_cert", MTK_REFUSE_NO_CERT},
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
      {"not_allowed", MTK_REFUSE_IDENTITY},
      {"handshake_timeout", MTK_REFUSE_TIMEOUT},
      {"backend_connect", MTK_REFUSE_BACKEND_REFUSED},
      {"backend_connect_timeout", MTK_REFUSE_BACKEND_REFUSED},
  };
  if (c->reason == NULL) return -1;
  if (strcmp(c->reason, "tls_error") == 0)
    return c->allowed ? -1 : (int)(c->garbage ? MTK_REFUSE_GARBAGE : MTK_REFUSE_TLS_ERROR);
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(c->reason, map[i].reason) == 0) return (int)map[i].r;
  return -1;
}

/* hs_record puts the handshake in the metrics once: its result and the time
 * from accept to now. */
static void hs_record(conn *c) {
  if (c->hs_counted) return;
  c->hs_counted = true;
  mtk_hs_result r = MTK_HS_OK;
  if (!c->allowed) {
    int ref = refusal_of(c);
    r = ref >= 0 && ref <= (int)MTK_REFUSE_IDENTITY ? MTK_HS_REFUSED : MTK_HS_FAILED;
  }
  c->hs_failed = r == MTK_HS_FAILED;
  uint64_t t = pxy_now_us();
  mtk_metrics_handshake(c->w->m, r, t > c->t0_us ? t - c->t0_us : 0);
}

/* The one teardown: log, count, free the TLS state, close both sockets. */
static void conn_free(conn *c, uint64_t now) {
  worker *w = c->w;
  hs_record(c); /* a handshake that timed out or was cut short */
  mtk_connlog l;
  memset(&l, 0, sizeof l);
  l.worker = w->lp.id;
  l.peer = &c->peer;
  if (c->ident_len > 0) {
    l.identity = c->ident;
    l.identity_len = c->ident_len;
  }
  l.allowed = c->allowed;
  l.failed = !c->allowed && c->hs_failed;
  l.reason = c->reason;
  l.detail = c->detail[0] ? c->detail : NULL;
  l.tls = c->tls_version;
  l.cipher = c->cipher;
  l.bytes_in = c->up.bytes;
  l.bytes_out = c->down.bytes;
  l.duration_ms = now - c->t_start;
  pxy_conn_log_line(&w->logbuf, &l);
  int ref = refusal_of(c);
  if (ref >= 0) mtk_metrics_refusal(w->m, (mtk_refusal)ref);
  mtk_metrics_bytes(w->m, c->up.bytes, c->down.bytes);
  mtk_metrics_conn_close(w->m);
  free(c->der);
  tl_remove(c);
  pb_put(w, &c->up.buf, true);
  pb_put(w, &c->down.buf, true);
  SSL_free(c->ssl);
  pxy_tls_unref(c->tls);
  if (c->cfd >= 0) close(c->cfd);
  if (c->bfd >= 0) close(c->bfd);
  free(c);
  w->lp.nconns--;
  pxy_slot_release(&w->lp);
  ERR_clear_error();
}

/* ---- epoll interest --------------------------------------------------------------- */

/* epoll tags: the connection pointer for the client socket, the pointer with
 * its low bit set for the backend socket. */
static uint64_t tag_of(const conn *c, bool backend) { return (uint64_t)(uintptr_t)c | (backend ? 1u : 0u); }

static inline void ev_set(worker *w, int fd, uint32_t *cur, uint32_t want, uint64_t tag) {
  pxy_ev_set(&w->lp, fd, cur, want, tag);
}

static uint32_t want_to_ev(int want) { return want == SSL_ERROR_WANT_WRITE ? EPOLLOUT : EPOLLIN; }

static void conn_interest(conn *c) {
  worker *w = c->w;
  uint32_t ce = 0, be = 0;
  switch (c->st) {
  case ST_HANDSHAKE:
    ce = want_to_ev(c->rd_want);
    break;
  case ST_CONNECTING:
    be = EPOLLOUT;
    break;
  case ST_PROXYING:
    if (!c->up.src_eof && pb_space(c->up.buf) > 0) ce |= want_to_ev(c->rd_want);
    if (c->wr_want != 0) ce |= want_to_ev(c->wr_want);
    if (!c->down.src_eof && pb_space(c->down.buf) > 0) be |= EPOLLIN;
    if (c->up.dst_blocked && pb_len(c->up.buf) > 0) be |= EPOLLOUT;
    break;
  }
  ev_set(w, c->cfd, &c->cev, ce, tag_of(c, false));
  if (c->bfd >= 0) {
    if (!c->b_registered) {
      struct epoll_event ev;
      memset(&ev, 0, sizeof ev);
      ev.events = be;
      ev.data.u64 = tag_of(c, true);
      if (epoll_ctl(w->lp.ep, EPOLL_CTL_ADD, c->bfd, &ev) != 0) {
        conn_fail(c, "internal", "epoll_ctl");
        return;
      }
      c->b_registered = true;
      c->bev = be;
    } else {
      ev_set(w, c->bfd, &c->bev, be, tag_of(c, true));
    }
  }
}

/* ---- handshake and access --------------------------------------------------------- */

static const char *verify_reason(long vr) {
  switch (vr) {
  case X509_V_ERR_CERT_HAS_EXPIRED: return "cert_expired";
  case X509_V_ERR_CERT_NOT_YET_VALID: return "cert_not_yet_valid";
  case X509_V_ERR_CERT_REVOKED: return "cert_revoked";
  case X509_V_ERR_INVALID_PURPOSE: return "eku";
  case X509_V_ERR_UNABLE_TO_GET_CRL: return "crl_missing";
  case X509_V_ERR_CRL_HAS_EXPIRED:
  case X509_V_ERR_CRL_NOT_YET_VALID: return "crl_invalid";
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
  case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
  case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
  case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
  case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
  case X509_V_ERR_CERT_UNTRUSTED: return "untrusted";
  default: return "cert_invalid";
  }
}

static void ssl_io_fail(conn *c, int e, const char *phase) {
  unsigned long ec = ERR_peek_error();
  int saved = errno;
  if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && ec == 0)) {
    bool reset = e == SSL_ERROR_SYSCALL && (saved == ECONNRESET || saved == EPIPE);
    conn_fail(c, reset ? "client_reset" : "client_closed", phase);
    return;
  }
  if (ERR_GET_LIB(ec) == ERR_LIB_SSL && ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    conn_fail(c, "client_closed", phase);
    return;
  }
  char buf[128];
  const char *rs = ec ? ERR_reason_error_string(ec) : NULL;
  snprintf(buf, sizeof buf, "%s: %s", phase, rs ? rs : "error");
  conn_fail(c, "tls_error", buf);
}

/* copy_ident keeps the identity |v| (a view into c->der) for the log (raw
 * bytes, cut at 256: the log escapes them) and its place for the PROXY
 * header (whole). */
static void copy_ident(conn *c, const mtk_cbs *v) {
  size_t n = v->len < sizeof c->ident ? v->len : sizeof c->ident;
  memcpy(c->ident, v->p, n);
  c->ident_len = n;
  if (c->der != NULL && v->p >= c->der && v->len <= c->der_len &&
      (size_t)(v->p - c->der) <= c->der_len - v->len) {
    c->id_off = (size_t)(v->p - c->der);
    c->id_len = v->len;
  }
}

static void backend_connect(conn *c, uint64_t now);

/* The identity a certificate presents, for the log when no rule picked one
 * (refused, or --allow-any-verified): its first URI SAN, else dNSName, else
 * rfc822Name. */
static void presented_identity(conn *c, const mtk_cert *cert) {
  const mtk_ext *san = mtk_ext_get(&cert->exts, MTK_XK_SAN);
  mtk_gn_iter it;
  mtk_gn gn;
  static const mtk_gn_type order[] = {MTK_GN_URI, MTK_GN_DNS, MTK_GN_EMAIL};
  if (san == NULL) return;
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    if (!mtk_gn_iter_init_ext(&it, &san->value)) return;
    while (mtk_gn_next(&it, &gn))
      if (gn.type == order[k]) {
        copy_ident(c, &gn.value);
        return;
      }
  }
}

static bool check_cert(conn *c, const uint8_t *der, size_t n);

/* The checks after the chain: mtlskit's own decoding of the leaf, clientAuth
 * in its EKU, the access rules. Sets c->reason on refusal (false). */
static bool check_peer(conn *c, X509 *pc) {
  worker *w = c->w;
  c->checked = true;
  int n = i2d_X509(pc, NULL);
  if (n <= 0) {
    conn_fail(c, "cert_invalid", "i2d_X509");
    return false;
  }
  uint8_t *der = malloc((size_t)n);
  if (der == NULL) {
    conn_fail(c, "internal", "out of memory");
    return false;
  }
  uint8_t *p = der;
  i2d_X509(pc, &p);
  free(c->der);
  c->der = der;
  c->der_len = (size_t)n;
  bool ok = check_cert(c, der, (size_t)n);
  if (!ok || !w->ctx->cfg->proxy_protocol) {
    free(c->der); /* kept only for the PROXY header */
    c->der = NULL;
  }
  return ok;
}

static bool check_cert(conn *c, const uint8_t *der, size_t n) {
  worker *w = c->w;
  mtk_cert cert;
  mtk_diag_init(&w->diag);
  if (mtk_cert_parse(&cert, der, n, &w->diag) != MTK_OK) {
    conn_fail(c, "cert_parse", w->diag.err.detail);
    c->verr = X509_V_ERR_CERT_REJECTED; /* bad_certificate */
    return false;
  }
  const mtk_ext *eku = mtk_ext_get(&cert.exts, MTK_XK_EKU);
  if (eku == NULL || !mtk_ext_has_eku(&eku->value, MTK_OID_EKU_CLIENT_AUTH)) {
    conn_fail(c, "eku", eku == NULL ? "no extendedKeyUsage" : "no clientAuth in extendedKeyUsage");
    c->verr = X509_V_ERR_INVALID_PURPOSE; /* unsupported_certificate */
    return false;
  }
  if (w->ctx->cfg->proxy_protocol) { /* the subject CN, for PP2_SUBTYPE_SSL_CN */
    mtk_name_iter it;
    mtk_attr a;
    mtk_name_iter_init(&it, &cert.subject);
    while (mtk_name_next(&it, &a))
      if (a.id == MTK_OID_AT_CN && a.value.len > 0 && a.value.p >= der &&
          (size_t)(a.value.p - der) <= n - a.value.len) {
        c->cn_off = (size_t)(a.value.p - der);
        c->cn_len = a.value.len;
        break;
      }
  }
  if (c->tls->authz != NULL) {
    mtk_authz_result res;
    mtk_status st = mtk_authz_check(c->tls->authz, &cert, &res);
    if (st != MTK_OK || !res.allowed) {
      presented_identity(c, &cert);
      conn_fail(c, "not_allowed",
                st != MTK_OK ? mtk_status_message(st) : "no access rule matches");
      return false;
    }
    copy_ident(c, &res.presented);
  } else {
    presented_identity(c, &cert);
  }
  return true;
}

/* profile_ok runs mtlskit's strict verification profile (lib/verify:
 * mtk_verify_chain_profile) on the chain OpenSSL has just built and
 * verified: the same checks as `mtlskit verify` for a client certificate,
 * without building or verifying the path a second time. */
static bool profile_ok(conn *c, X509_STORE_CTX *sctx) {
  mtk_status code;
  const char *why, *reason;
  if (pxy_chain_profile(sctx, MTK_PURPOSE_CLIENT, c->w->chain_der, c->w->vres, &code, &why))
    return true;
  c->verr = pxy_profile_verr(code, &reason);
  conn_fail(c, reason, why);
  return false;
}

/* The verify callback: on the leaf, once the chain is good, run the strict
 * profile and check_peer, so that a refused client gets a TLS alert during
 * the handshake instead of a connection that closes after it. The alert
 * follows the refusal: unsupported_certificate for the EKU, bad_certificate
 * for a certificate mtlskit's parser or profile refuses, handshake_failure
 * for an identity no access rule allows. */
static int verify_cb(int ok, X509_STORE_CTX *sctx) {
  if (ok != 1 || X509_STORE_CTX_get_error_depth(sctx) != 0) return ok;
  SSL *ssl = X509_STORE_CTX_get_ex_data(sctx, SSL_get_ex_data_X509_STORE_CTX_idx());
  conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
  X509 *leaf = X509_STORE_CTX_get_current_cert(sctx);
  if (c == NULL || leaf == NULL || c->checked) return ok;
  c->verr = X509_V_ERR_APPLICATION_VERIFICATION;
  if (profile_ok(c, sctx) && check_peer(c, leaf)) return 1;
  c->checked = true;
  c->dead = false; /* still handshaking: step_handshake reports it */
  X509_STORE_CTX_set_error(sctx, c->verr);
  return 0;
}

/* ---- session tickets (--session-tickets) -------------------------------------------
 * What a ticket carries besides OpenSSL's session: the configuration
 * generation and the time of the full handshake it stems from (a resumed
 * session's new ticket keeps that time: resumption never extends it). */
typedef struct ticket_data {
  uint64_t gen;
  int64_t auth_time;
} ticket_data;

/* check_undo forgets what a check_peer that did not decide left behind. */
static void check_undo(conn *c) {
  c->checked = false;
  c->dead = false;
  c->reason = NULL;
  c->detail[0] = '\0';
  c->ident_len = 0;
  c->id_len = c->cn_len = 0;
  free(c->der);
  c->der = NULL;
}

int pxy_ticket_gen_cb(SSL *s, void *arg) {
  (void)arg;
  conn *c = SSL_get_app_data(s);
  /* Only a connection that passed every check gets a ticket. */
  if (c == NULL || !((c->checked && c->reason == NULL) || c->resume_ok)) return 0;
  ticket_data td = {c->tls->gen, c->resume_ok ? c->auth_time : (int64_t)time(NULL)};
  SSL_SESSION *ss = SSL_get_session(s);
  return ss != NULL && SSL_SESSION_set1_ticket_appdata(ss, &td, sizeof td) == 1;
}

int pxy_ticket_dec_cb(SSL *s, SSL_SESSION *ss, const unsigned char *keyname, size_t keyname_len,
                      int status, void *arg) {
  (void)keyname;
  (void)keyname_len;
  (void)arg;
  conn *c = SSL_get_app_data(s);
  if (status != SSL_TICKET_SUCCESS && status != SSL_TICKET_SUCCESS_RENEW)
    return SSL_TICKET_RETURN_IGNORE_RENEW; /* a full handshake (and a new ticket) */
  if (c == NULL || ss == NULL) return SSL_TICKET_RETURN_IGNORE_RENEW;
  void *ad = NULL;
  size_t adl = 0;
  ticket_data td;
  int64_t now = (int64_t)time(NULL);
  if (SSL_SESSION_get0_ticket_appdata(ss, &ad, &adl) != 1 || ad == NULL || adl != sizeof td)
    return SSL_TICKET_RETURN_IGNORE_RENEW;
  memcpy(&td, ad, sizeof td);
  if (td.gen != c->tls->gen || now < td.auth_time ||
      now - td.auth_time >= (int64_t)c->w->ctx->cfg->session_lifetime_s)
    return SSL_TICKET_RETURN_IGNORE_RENEW;
  /* The client certificate the session was made with, checked again now:
   * validity, then everything check_peer does (EKU, access rules). */
  X509 *peer = SSL_SESSION_get0_peer(ss);
  if (peer == NULL || X509_cmp_current_time(X509_get0_notBefore(peer)) >= 0 ||
      X509_cmp_current_time(X509_get0_notAfter(peer)) <= 0)
    return SSL_TICKET_RETURN_IGNORE_RENEW;
  bool ok = check_peer(c, peer);
  check_undo(c); /* after_handshake checks the session's certificate again */
  if (!ok) return SSL_TICKET_RETURN_IGNORE_RENEW;
  c->resume_ok = true;
  c->auth_time = td.auth_time;
  return SSL_TICKET_RETURN_USE;
}

/* put_ppv2 puts the PROXY v2 header (ppv2.h) at the front of the empty
 * client->backend buffer, so it goes out first once the backend is
 * connected: the client's address, the address it connected to, the TLS
 * facts, the client's leaf certificate and the identity that matched. A
 * header too big for the buffer goes without the certificate (logged). */
static bool put_ppv2(conn *c) {
  struct sockaddr_storage local;
  socklen_t ll = sizeof local;
  memset(&local, 0, sizeof local);
  bool have_local = getsockname(c->cfd, (struct sockaddr *)&local, &ll) == 0;
  mtk_ppv2_fields f;
  memset(&f, 0, sizeof f);
  f.src = &c->peer;
  f.dst = have_local ? &local : NULL;
  f.tls = true;
  f.cert_conn = c->der != NULL;
  f.verified = true;
  f.version = c->tls_version;
  f.cipher = c->cipher;
  if (c->der != NULL) {
    if (c->cn_len > 0) {
      f.cn = c->der + c->cn_off;
      f.cn_len = c->cn_len;
    }
    if (c->id_len > 0) {
      f.identity = c->der + c->id_off;
      f.identity_len = c->id_len;
    }
    f.cert_der = c->der;
    f.cert_der_len = c->der_len;
  }
  if (!pb_get(c->w, &c->up.buf)) {
    conn_fail(c, "internal", "out of memory");
    return false;
  }
  pbuf *b = c->up.buf;
  size_t n = 0;
  mtk_status st = mtk_ppv2_encode(&f, b->data + b->end, PXY_BUF - b->end, &n);
  if ((st == MTK_ERR_BUFFER || st == MTK_ERR_PPV2_TOO_LONG) && f.cert_der != NULL) {
    snprintf(c->detail, sizeof c->detail,
             "proxy-protocol: the client certificate (%zu octets) was left out of the "
             "PROXY header: too large",
             c->der_len);
    f.cert_der = NULL;
    f.cert_der_len = 0;
    st = mtk_ppv2_encode(&f, b->data + b->end, PXY_BUF - b->end, &n);
  }
  if (st != MTK_OK) {
    conn_fail(c, "internal", mtk_status_message(st));
    return false;
  }
  b->end += n;
  return true;
}

static void after_handshake(conn *c, uint64_t now) {
  c->tls_version = SSL_get_version(c->ssl);
  const SSL_CIPHER *ci = SSL_get_current_cipher(c->ssl);
  c->cipher = ci != NULL ? SSL_CIPHER_get_name(ci) : NULL;
  X509 *pc = SSL_get0_peer_certificate(c->ssl);
  if (pc == NULL) {
    conn_fail(c, "no_client_cert", NULL);
    return;
  }
  if (SSL_session_reused(c->ssl)) {
    /* Resumed: there was no certificate in this handshake, so no verify
     * callback. ticket_dec passed the session's certificate; check it once
     * more here, where a refusal ends the connection. */
    if (!c->resume_ok) {
      conn_fail(c, "internal", "a session was resumed that no ticket check passed");
      return;
    }
    c->checked = false;
    snprintf(c->detail, sizeof c->detail, "session resumed");
  }
  if (!c->checked && !check_peer(c, pc)) return;
  c->allowed = true;
  hs_record(c);
  if (c->w->ctx->cfg->proxy_protocol) {
    bool ok = put_ppv2(c);
    free(c->der);
    c->der = NULL;
    if (!ok) return;
  }
  backend_connect(c, now);
}

static void step_handshake(conn *c, uint64_t now) {
  ERR_clear_error();
  int r = SSL_do_handshake(c->ssl);
  if (r == 1) {
    c->rd_want = SSL_ERROR_WANT_READ;
    after_handshake(c, now);
    hs_record(c);
    return;
  }
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    c->rd_want = e;
    return;
  }
  long vr = SSL_get_verify_result(c->ssl);
  unsigned long ec = ERR_peek_error();
  if (c->reason != NULL) {
    conn_fail(c, c->reason, NULL); /* refused by check_peer: keep its words */
  } else if (vr != X509_V_OK) {
    conn_fail(c, verify_reason(vr), X509_verify_cert_error_string(vr));
  } else if (ERR_GET_LIB(ec) == ERR_LIB_SSL &&
             ERR_GET_REASON(ec) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    conn_fail(c, "no_client_cert", "the client sent no certificate");
  } else {
    int rs = ERR_GET_LIB(ec) == ERR_LIB_SSL ? ERR_GET_REASON(ec) : 0;
    c->garbage = rs == SSL_R_HTTP_REQUEST || rs == SSL_R_HTTPS_PROXY_REQUEST ||
                 rs == SSL_R_WRONG_VERSION_NUMBER || rs == SSL_R_UNKNOWN_PROTOCOL ||
                 rs == SSL_R_PACKET_LENGTH_TOO_LONG || rs == SSL_R_RECORD_LENGTH_MISMATCH;
    ssl_io_fail(c, e, "handshake");
  }
  hs_record(c);
}

/* ---- backend ---------------------------------------------------------------------- */

/* set_sockbuf fixes one kernel socket buffer of the bulk direction (backend
 * -> client): the backend socket's receive buffer and the client socket's
 * send buffer, PXY_SOCKBUF asked (the kernel caps it at net.core.rmem_max /
 * wmem_max). A window that starts large instead of growing with the rate
 * we read at means fewer window-limited stalls on the backend leg and fewer
 * EAGAIN round trips on the client leg: measured on loopback, 15% less
 * proxy CPU and 9% less machine CPU per GB (bench/README.md). The memory is
 * the kernel's, and only while bytes are queued: an idle connection holds
 * none. A failure is harmless (the kernel's default stays). */
#define PXY_SOCKBUF (4 << 20)
static void set_sockbuf(int fd, int which) {
  int v = PXY_SOCKBUF;
  (void)setsockopt(fd, SOL_SOCKET, which, &v, sizeof v);
}

static void backend_connect(conn *c, uint64_t now) {
  const pxy_addr *t = &c->w->ctx->target;
  c->bfd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->bfd < 0) {
    conn_fail(c, "backend_connect", strerror(errno));
    return;
  }
  if (t->family != AF_UNIX) {
    int one = 1;
    setsockopt(c->bfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    set_sockbuf(c->bfd, SO_RCVBUF); /* before connect: it sets the window scale */
  }
  c->rd_want = SSL_ERROR_WANT_READ;
  if (connect(c->bfd, (const struct sockaddr *)&t->ss, t->len) == 0) {
    c->st = ST_PROXYING;
    tl_append(c, TL_IDLE, now);
  } else if (errno == EINPROGRESS) {
    c->st = ST_CONNECTING;
    tl_append(c, TL_HANDSHAKE, now);
  } else {
    conn_fail(c, "backend_connect", strerror(errno));
  }
}

static void step_connecting(conn *c, uint64_t now) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c->bfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err == 0) {
    c->st = ST_PROXYING;
    tl_append(c, TL_IDLE, now);
  } else if (err != EINPROGRESS && err != EALREADY) {
    conn_fail(c, "backend_connect", strerror(err));
  }
}

/* ---- proxying --------------------------------------------------------------------- */

/* One pass over the four movements (loop.h); true if anything moved. */
static bool proxy_pass(conn *c) {
  pxy_io io;
  memset(&io, 0, sizeof io);
  bool ok = pxy_tls_to_plain(&c->w->lp, c->ssl, &c->rd_want, &c->up, c->bfd, &io) &&
            pxy_plain_to_tls(&c->w->lp, c->bfd, &c->down, c->ssl, &c->wr_want, &io);
  /* TCP EOF without close_notify: forwarded as EOF, but noted. */
  if (io.eof_no_notify && c->reason == NULL) c->reason = "client_eof_without_close_notify";
  if (!ok) {
    if (io.fail == PXY_IO_NOMEM) {
      conn_fail(c, "internal", "out of memory");
    } else if (io.fail == PXY_IO_SOCK) {
      conn_fail(c, "backend_reset", strerror(io.sys_err));
    } else {
      errno = io.sys_err;
      ssl_io_fail(c, io.ssl_err, io.phase);
    }
    return false;
  }
  bool prog = io.moved;
  /* The backend is finished both ways: let its socket go now. */
  if (c->down.src_eof && c->up.dst_shut && c->bfd >= 0) {
    close(c->bfd);
    c->bfd = -1;
    c->b_registered = false;
  }
  return prog;
}

static bool conn_finished(const conn *c) {
  return c->up.src_eof && c->up.dst_shut && c->down.src_eof && c->down.dst_shut && pb_len(c->down.buf) == 0;
}

/* Everything one event can lead to; the caller frees a dead connection. */
static void conn_step(conn *c, uint32_t events, bool on_backend, uint64_t now) {
  bool prog = false;
  if (events & EPOLLERR) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(on_backend ? c->bfd : c->cfd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (on_backend && c->st == ST_CONNECTING) {
      conn_fail(c, "backend_connect", strerror(err ? err : ECONNREFUSED));
    } else {
      conn_fail(c, on_backend ? "backend_reset" : "client_reset", err ? strerror(err) : NULL);
    }
    return;
  }
  if (c->st == ST_HANDSHAKE) {
    step_handshake(c, now);
    prog = true;
  }
  if (!c->dead && c->st == ST_CONNECTING && on_backend) {
    step_connecting(c, now);
    prog = true;
  }
  if (!c->dead && c->st == ST_PROXYING) {
    bool moved = false;
    while (!c->dead && proxy_pass(c)) moved = true;
    pb_put(c->w, &c->up.buf, false);
    pb_put(c->w, &c->down.buf, false);
    if (moved) {
      prog = true;
      tl_append(c, TL_IDLE, now);
    }
    if (!c->dead && conn_finished(c)) {
      c->dead = true;
      return;
    }
  }
  if (c->dead) return;
  if ((events & EPOLLHUP) && !prog) {
    conn_fail(c, on_backend ? "backend_hangup" : "client_hangup", NULL);
    return;
  }
  conn_interest(c);
}

/* ---- accept ----------------------------------------------------------------------- */

static void do_accept(worker *w, uint64_t now) {
  /* A reload published a newer config: take it (lock-free; the old one lives
   * on in the connections that hold it). */
  if (atomic_load_explicit(&w->next, memory_order_relaxed) != NULL) {
    pxy_tls *n = atomic_exchange_explicit(&w->next, NULL, memory_order_acquire);
    if (n != NULL) {
      pxy_tls_unref(w->cur);
      w->cur = n;
    }
  }
  for (int i = 0; i < PXY_ACCEPT_BATCH; i++) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss); /* an unnamed unix peer fills only the family */
    socklen_t sl = sizeof ss;
    int fd = pxy_accept_fd(&w->lp, now, &ss, &sl);
    if (fd < 0) return;
    conn *c = calloc(1, sizeof *c);
    SSL *ssl = c ? SSL_new(pxy_tls_ctx(w->cur, w->lp.id)) : NULL;
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
      SSL_free(ssl);
      free(c);
      close(fd);
      pxy_slot_release(&w->lp);
      pxy_log_event("accept_error", "out of memory");
      continue;
    }
    c->w = w;
    c->st = ST_HANDSHAKE;
    c->cfd = fd;
    c->bfd = -1;
    c->ssl = ssl;
    c->tls = w->cur;
    pxy_tls_ref(c->tls);
    c->tn.list = TL_NONE;
    c->t_start = now;
    c->t0_us = pxy_now_us();
    c->rd_want = SSL_ERROR_WANT_READ;
    SSL_set_accept_state(ssl);
    SSL_set_app_data(ssl, c);
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
    c->peer = ss;
    pxy_fd_nodelay(fd, ss.ss_family);
    if (ss.ss_family != AF_UNIX) set_sockbuf(fd, SO_SNDBUF);
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = tag_of(c, false);
    w->lp.nconns++;
    mtk_metrics_conn_open(w->m);
    if (epoll_ctl(w->lp.ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
      conn_fail(c, "internal", "epoll_ctl");
      conn_free(c, now);
      continue;
    }
    c->cev = EPOLLIN;
    tl_append(c, TL_HANDSHAKE, now);
  }
}

/* ---- the loop --------------------------------------------------------------------- */

/* The mode's part of the worker loop (loop.h, pxy_loop_run). */
static void srv_accept(void *w, uint64_t now) { do_accept(w, now); }

static pxy_tnode *srv_event(void *w, uint64_t tag, uint32_t events, uint64_t now) {
  (void)w;
  bool on_backend = (tag & 1u) != 0;
  conn *c = (conn *)(uintptr_t)(tag & ~(uint64_t)1u);
  if (c->dead || (on_backend && c->bfd < 0)) return NULL;
  conn_step(c, events, on_backend, now);
  return c->dead ? &c->tn : NULL;
}

static void srv_close(pxy_tnode *n, const char *reason, uint64_t now) {
  conn *c = conn_of(n);
  if (reason != NULL) conn_fail(c, reason, NULL);
  conn_free(c, now);
}

static const char *srv_timeout_reason(pxy_tnode *n, int list) {
  if (list == TL_IDLE) return "idle_timeout";
  return conn_of(n)->st == ST_HANDSHAKE ? "handshake_timeout" : "backend_connect_timeout";
}

static const pxy_loop_mode k_server_mode = {srv_accept, srv_event, srv_close, srv_timeout_reason};

static void *worker_main(void *arg) {
  worker *w = arg;
  pxy_loop_run(&w->lp, w, &k_server_mode);
  return NULL;
}

/* ---- start, signals, drain -------------------------------------------------------- */

static mtk_status render_metrics(void *arg, mtk_buf *out) {
  return mtk_metrics_render(arg, out);
}

/* ---- reload (main thread) ----------------------------------------------------------
 * SIGHUP or a change of the --cert/--key/--ca/--crl files builds a new pxy_tls
 * with every check of a start; only if that succeeds is it handed to each
 * worker (an atomic exchange on worker.next, taken at its next accept). A
 * broken file keeps the old config and logs why. */

/* The shared part (build, publish to each worker's slot, count, log; the
 * file poll) is proxy/reload.c; this mode says what to build and watch. */
typedef struct build_arg {
  const pxy_server_cfg *cfg;
  OSSL_LIB_CTX **libs; /* one per worker */
  unsigned n;
} build_arg;

static pxy_tls *reload_build(const void *arg, char *err, size_t errlen) {
  const build_arg *b = arg;
  return pxy_tls_build(b->cfg, b->libs, b->n, err, errlen);
}

static pxy_tls_slot *worker_slot(void *ws, unsigned i) { return &((worker *)ws)[i].next; }

static uint64_t files_sig(const void *arg) {
  const pxy_server_cfg *cfg = ((const build_arg *)arg)->cfg;
  uint64_t h = PXY_SIG_INIT;
  h = pxy_sig_file(h, cfg->cert);
  h = pxy_sig_file(h, cfg->key);
  h = pxy_sig_file(h, cfg->ca);
  for (size_t i = 0; i < cfg->n_crls; i++) h = pxy_sig_file(h, cfg->crls[i]);
  return h;
}

static unsigned listen_port(const pxy_addr *a) {
  if (a->family == AF_INET) return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
  if (a->family == AF_INET6) return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
  return 0;
}

int pxy_server_run(pxy_server_ctx *ctx) {
  const pxy_server_cfg *cfg = ctx->cfg;
  unsigned nw = pxy_worker_count(cfg->workers);
  char err[256];
  int sfd = pxy_signals_open();
  if (sfd < 0) return 1;
  worker *ws = calloc(nw, sizeof *ws);
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
  uint64_t sig0 = 0;
  OSSL_LIB_CTX **libs = calloc(nw, sizeof *libs);
  build_arg barg = {cfg, libs, nw};
  for (unsigned i = 0; i < nw; i++) {
    pxy_loop_init(&ws[i].lp);
    mtk_buf_init(&ws[i].logbuf, (size_t)64 << 10);
  }
  bool got = libs != NULL;
  for (unsigned i = 0; got && i < nw; i++) {
    ws[i].vres = malloc(sizeof *ws[i].vres);
    ws[i].chain_der = malloc(PXY_CHAIN_DER_MAX);
    libs[i] = OSSL_LIB_CTX_new();
    got = libs[i] != NULL && ws[i].vres != NULL && ws[i].chain_der != NULL;
  }
  if (!got) {
    fprintf(stderr, "mtlskit: out of memory\n");
    rc = 1;
    goto out;
  }
  if (mtk_metrics_new(nw, &metrics) != MTK_OK) {
    fprintf(stderr, "mtlskit: out of memory\n");
    rc = 1;
    goto out;
  }
  for (unsigned i = 0; i < nw; i++) ws[i].m = mtk_metrics_worker_block(metrics, i);
  if (cfg->status != NULL &&
      (status = pxy_status_start(cfg->status, render_metrics, metrics, err, sizeof err)) == NULL) {
    fprintf(stderr, "mtlskit: --status %s: %s\n", cfg->status, err);
    rc = 1;
    goto out;
  }
  if (is_unix && (shared_lfd = pxy_listener_open(&ctx->listen, false, err, sizeof err)) < 0) {
    fprintf(stderr, "mtlskit: %s\n", err);
    rc = 1;
    goto out;
  }
  sig0 = files_sig(&barg);
  /* The configuration was built and checked once (pxy_server_ctx_build);
   * now for real: one SSL_CTX per worker, each in its library context. */
  tls0 = pxy_tls_build(cfg, libs, nw, err, sizeof err);
  if (tls0 == NULL) {
    fprintf(stderr, "mtlskit: %s\n", err);
    rc = 1;
    goto out;
  }
  pxy_server_ctx_free(ctx);
  for (unsigned i = 0; i < nw; i++) {
    ws[i].ctx = ctx;
    pxy_tls_ref(tls0);
    ws[i].cur = tls0;
    if (!pxy_loop_open(&ws[i].lp, i, &ctx->listen, shared_lfd, &g_conns, cfg->max_conns,
                       cfg->handshake_timeout_ms, cfg->idle_timeout_ms, cfg->drain_timeout_ms)) {
      rc = 1;
      goto out;
    }
  }
  for (; started < nw; started++)
    if (!pxy_loop_start(&ws[started].lp, worker_main, &ws[started])) {
      rc = 1;
      goto out;
    }
  {
    mtk_logfield f[] = {
        MTK_LOG_STR("listen", ctx->listen.text),
        MTK_LOG_NUM("port", listen_port(&ctx->listen)), /* the one bound (--listen :0) */
        MTK_LOG_STR("target", ctx->target.text),
        MTK_LOG_NUM("workers", nw),
        MTK_LOG_NUM("status_port", status != NULL ? pxy_status_port(status) : 0),
        MTK_LOG_STR("proxy_protocol", cfg->proxy_protocol ? "v2" : "off"),
    };
    pxy_log_fields("start", f, sizeof f / sizeof f[0]);
  }
  {
    pxy_reloader rl = {reload_build, files_sig, &barg, worker_slot, ws, nw, metrics, NULL,
                       sig0, sig0};
    pxy_sig_hooks hooks = {pxy_reload_on_hup, pxy_reload_on_tick, PXY_RELOAD_POLL_MS, &rl};
    int signo = pxy_signals_wait(sfd, &hooks);
    if (signo != 0) {
      if (status != NULL) pxy_status_set_draining(status, true);
      mtk_logfield f[] = {
          MTK_LOG_STR("signal", signo == SIGTERM ? "SIGTERM" : "SIGINT"),
          MTK_LOG_NUM("active", atomic_load(&g_conns)),
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
    pxy_tls_unref(atomic_exchange(&ws[i].next, NULL));
  }
  pxy_tls_unref(tls0);
  pxy_shared_listener_close(shared_lfd, &ctx->listen);
  pxy_status_stop(status);
  if (rc == 0) pxy_log_event("stop", "drained");
  for (unsigned i = 0; i < nw; i++) {
    mtk_buf_free(&ws[i].logbuf);
    free(ws[i].vres);
    free(ws[i].chain_der);
    if (libs != NULL) OSSL_LIB_CTX_free(libs[i]); /* after every SSL_CTX made in it */
  }
  free(libs);
  mtk_metrics_free(metrics);
  free(ws);
  close(sfd);
  return rc;
}

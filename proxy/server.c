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
 * from the head. epoll_wait sleeps until the earliest head. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "mtlskit/jsonlog.h"
#include "mtlskit/metrics.h"
#include "mtlskit/oid.h"
#include "mtlskit/ppv2.h"
#include "mtlskit/x509.h"
#include "proxy.h"
#include "status.h"

#define PXY_BUF 16384u          /* per direction */
#define PXY_ACCEPT_BATCH 64     /* accepts per wake-up, for fairness */
#define PXY_PAUSE_POLL_MS 50    /* re-check of a paused listener */

typedef enum conn_state { ST_HANDSHAKE, ST_CONNECTING, ST_PROXYING } conn_state;
enum { TL_NONE = -1, TL_HANDSHAKE = 0, TL_IDLE = 1 };

typedef struct pbuf {
  size_t start, end;
  uint8_t data[PXY_BUF];
} pbuf;

/* A connection holds a buffer only while it has bytes in it: empty buffers go
 * back to a per-worker pool, so an idle connection costs its struct and the
 * SSL (whose own buffers SSL_MODE_RELEASE_BUFFERS releases). NULL counts as
 * an empty buffer. */
static size_t pb_len(const pbuf *b) { return b ? b->end - b->start : 0; }
/* Free room at the end, compacting first (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
 * allows moving the bytes of a pending SSL_write). */
static size_t pb_space(pbuf *b) {
  if (b == NULL) return PXY_BUF;
  if (b->start == b->end) b->start = b->end = 0;
  if (b->end == PXY_BUF && b->start > 0) {
    memmove(b->data, b->data + b->start, b->end - b->start);
    b->end -= b->start;
    b->start = 0;
  }
  return PXY_BUF - b->end;
}

struct worker;

typedef struct conn {
  struct worker *w;
  conn_state st;
  int cfd, bfd;
  SSL *ssl;
  uint32_t cev, bev;            /* registered epoll interest */
  bool b_registered;
  bool c_eof;                   /* no more data from the client */
  bool b_eof;                   /* no more data from the backend */
  bool b_shut_wr;               /* FIN sent to the backend */
  bool c_shut_sent;             /* close_notify sent to the client */
  bool b_wblocked;              /* last backend write hit EAGAIN */
  bool dead;                    /* tear down at the end of the handler */
  bool allowed;
  bool checked;                 /* check_peer ran (from the verify callback) */
  bool hs_counted;              /* the handshake is in the metrics */
  bool garbage;                 /* the handshake failed on a non-TLS record */
  int rd_want, wr_want;         /* 0 or SSL_ERROR_WANT_READ/WRITE */
  uint64_t bytes_in, bytes_out;
  uint64_t t_start, deadline;
  uint64_t t0_us;               /* accept, monotonic microseconds */
  int tlist;
  struct conn *prev, *next;
  const char *reason;
  const char *tls_version;
  const char *cipher;
  char detail[160];
  struct sockaddr_storage peer;
  /* --proxy-protocol: the client's leaf DER, kept from check_peer until the
   * PROXY header is written, with the offsets of the identity that matched
   * and of the subject CN inside it (len 0: none). */
  uint8_t *der;
  size_t der_len, id_off, id_len, cn_off, cn_len;
  size_t ident_len;
  uint8_t ident[256];           /* the identity shown, raw (the log escapes) */
  pbuf *c2b, *b2c;              /* NULL while empty */
} conn;

typedef struct worker {
  unsigned id;
  pthread_t th;
  pxy_server_ctx *ctx;
  int ep, lfd, evfd;
  bool lfd_shared, l_active, draining;
  uint64_t l_retry_at, drain_deadline;
  struct {
    conn *head, *tail;
    uint64_t timeout;
  } tl[2];
  size_t nconns;
  mtk_metrics_worker *m;        /* this worker's counters (metrics.h) */
  mtk_buf logbuf;               /* reused for every log line */
  mtk_diag diag;
  struct pool_item *pool;       /* empty buffers */
  size_t pool_n;
  char tag_listen, tag_event; /* their addresses tag epoll events */
} worker;

static _Atomic unsigned g_conns;

#define PXY_POOL_MAX 256
struct pool_item {
  struct pool_item *next;
};

/* pb_get makes sure *slot holds a buffer; false when out of memory. */
static bool pb_get(worker *w, pbuf **slot) {
  if (*slot != NULL) return true;
  pbuf *b;
  if (w->pool != NULL) {
    b = (pbuf *)(void *)w->pool;
    w->pool = w->pool->next;
    w->pool_n--;
  } else if ((b = malloc(sizeof *b)) == NULL) {
    return false;
  }
  b->start = b->end = 0;
  *slot = b;
  return true;
}

/* pb_put gives *slot back when it is empty (always with |force|). */
static void pb_put(worker *w, pbuf **slot, bool force) {
  pbuf *b = *slot;
  if (b == NULL || (!force && b->start != b->end)) return;
  *slot = NULL;
  if (w->pool_n >= PXY_POOL_MAX) {
    free(b);
    return;
  }
  struct pool_item *it = (struct pool_item *)(void *)b;
  it->next = w->pool;
  w->pool = it;
  w->pool_n++;
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- timers ---------------------------------------------------------------------- */

static void tl_remove(conn *c) {
  if (c->tlist == TL_NONE) return;
  worker *w = c->w;
  if (c->prev) c->prev->next = c->next; else w->tl[c->tlist].head = c->next;
  if (c->next) c->next->prev = c->prev; else w->tl[c->tlist].tail = c->prev;
  c->prev = c->next = NULL;
  c->tlist = TL_NONE;
}

static void tl_append(conn *c, int list, uint64_t now) {
  tl_remove(c);
  worker *w = c->w;
  c->tlist = list;
  c->deadline = now + w->tl[list].timeout;
  c->prev = w->tl[list].tail;
  c->next = NULL;
  if (c->prev) c->prev->next = c; else w->tl[list].head = c;
  w->tl[list].tail = c;
}

/* ---- teardown -------------------------------------------------------------------- */

static void conn_fail(conn *c, const char *reason, const char *detail) {
  if (c->reason == NULL) {
    c->reason = reason;
    snprintf(c->detail, sizeof c->detail, "%s", detail ? detail : "");
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
  uint64_t t = now_us();
  mtk_metrics_handshake(c->w->m, r, t > c->t0_us ? t - c->t0_us : 0);
}

/* The one teardown: log, count, free the TLS state, close both sockets. */
static void conn_free(conn *c, uint64_t now) {
  worker *w = c->w;
  hs_record(c); /* a handshake that timed out or was cut short */
  mtk_connlog l;
  memset(&l, 0, sizeof l);
  l.worker = w->id;
  l.peer = &c->peer;
  if (c->ident_len > 0) {
    l.identity = c->ident;
    l.identity_len = c->ident_len;
  }
  l.allowed = c->allowed;
  l.reason = c->reason;
  l.detail = c->detail[0] ? c->detail : NULL;
  l.tls = c->tls_version;
  l.cipher = c->cipher;
  l.bytes_in = c->bytes_in;
  l.bytes_out = c->bytes_out;
  l.duration_ms = now - c->t_start;
  pxy_conn_log_line(&w->logbuf, &l);
  int ref = refusal_of(c);
  if (ref >= 0) mtk_metrics_refusal(w->m, (mtk_refusal)ref);
  mtk_metrics_bytes(w->m, c->bytes_in, c->bytes_out);
  mtk_metrics_conn_close(w->m);
  free(c->der);
  tl_remove(c);
  pb_put(w, &c->c2b, true);
  pb_put(w, &c->b2c, true);
  SSL_free(c->ssl);
  if (c->cfd >= 0) close(c->cfd);
  if (c->bfd >= 0) close(c->bfd);
  free(c);
  w->nconns--;
  atomic_fetch_sub(&g_conns, 1);
  ERR_clear_error();
}

/* ---- epoll interest --------------------------------------------------------------- */

/* epoll tags: the connection pointer for the client socket, the pointer with
 * its low bit set for the backend socket. */
static uint64_t tag_of(const conn *c, bool backend) { return (uint64_t)(uintptr_t)c | (backend ? 1u : 0u); }

static void ev_set(worker *w, int fd, uint32_t *cur, uint32_t want, uint64_t tag) {
  if (*cur == want) return;
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = want;
  ev.data.u64 = tag;
  if (epoll_ctl(w->ep, EPOLL_CTL_MOD, fd, &ev) == 0) *cur = want;
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
    if (!c->c_eof && pb_space(c->c2b) > 0) ce |= want_to_ev(c->rd_want);
    if (c->wr_want != 0) ce |= want_to_ev(c->wr_want);
    if (!c->b_eof && pb_space(c->b2c) > 0) be |= EPOLLIN;
    if (c->b_wblocked && pb_len(c->c2b) > 0) be |= EPOLLOUT;
    break;
  }
  ev_set(w, c->cfd, &c->cev, ce, tag_of(c, false));
  if (c->bfd >= 0) {
    if (!c->b_registered) {
      struct epoll_event ev;
      memset(&ev, 0, sizeof ev);
      ev.events = be;
      ev.data.u64 = tag_of(c, true);
      if (epoll_ctl(w->ep, EPOLL_CTL_ADD, c->bfd, &ev) != 0) {
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
    return false;
  }
  const mtk_ext *eku = mtk_ext_get(&cert.exts, MTK_XK_EKU);
  if (eku == NULL || !mtk_ext_has_eku(&eku->value, MTK_OID_EKU_CLIENT_AUTH)) {
    conn_fail(c, "eku", eku == NULL ? "no extendedKeyUsage" : "no clientAuth in extendedKeyUsage");
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
  if (w->ctx->authz != NULL) {
    mtk_authz_result res;
    mtk_status st = mtk_authz_check(w->ctx->authz, &cert, &res);
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

/* The verify callback: on the leaf, once the chain is good, run check_peer,
 * so that a refused client gets a TLS alert during the handshake instead of
 * a connection that closes after it. */
static int verify_cb(int ok, X509_STORE_CTX *sctx) {
  if (ok != 1 || X509_STORE_CTX_get_error_depth(sctx) != 0) return ok;
  SSL *ssl = X509_STORE_CTX_get_ex_data(sctx, SSL_get_ex_data_X509_STORE_CTX_idx());
  conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
  X509 *leaf = X509_STORE_CTX_get_current_cert(sctx);
  if (c == NULL || leaf == NULL || c->checked) return ok;
  if (check_peer(c, leaf)) return 1;
  c->dead = false; /* still handshaking: step_handshake reports it */
  X509_STORE_CTX_set_error(sctx, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
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
  if (!pb_get(c->w, &c->c2b)) {
    conn_fail(c, "internal", "out of memory");
    return false;
  }
  pbuf *b = c->c2b;
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

/* One pass over the four movements; true if anything moved. */
static bool proxy_pass(conn *c) {
  bool prog = false;
  /* client -> c2b */
  size_t room = c->c_eof ? 0 : pb_space(c->c2b);
  if (room > 0 && !pb_get(c->w, &c->c2b)) {
    conn_fail(c, "internal", "out of memory");
    return false;
  }
  if (room > 0) {
    size_t n = 0;
    ERR_clear_error();
    if (SSL_read_ex(c->ssl, c->c2b->data + c->c2b->end, room, &n) == 1) {
      c->c2b->end += n;
      c->bytes_in += n;
      c->rd_want = SSL_ERROR_WANT_READ;
      prog = true;
    } else {
      int e = SSL_get_error(c->ssl, 0);
      unsigned long ec = ERR_peek_error();
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        c->rd_want = e;
      } else if (e == SSL_ERROR_ZERO_RETURN) {
        c->c_eof = true;
        prog = true;
      } else if ((e == SSL_ERROR_SYSCALL && ec == 0 && errno == 0) ||
                 (ERR_GET_LIB(ec) == ERR_LIB_SSL &&
                  ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
        /* TCP EOF without close_notify: forwarded as EOF, but noted. */
        c->c_eof = true;
        if (c->reason == NULL) c->reason = "client_eof_without_close_notify";
        prog = true;
      } else {
        ssl_io_fail(c, e, "read");
        return false;
      }
    }
  }
  /* c2b -> backend */
  if (pb_len(c->c2b) > 0) {
    ssize_t n = send(c->bfd, c->c2b->data + c->c2b->start, pb_len(c->c2b), MSG_NOSIGNAL);
    if (n > 0) {
      c->c2b->start += (size_t)n;
      c->b_wblocked = false;
      prog = true;
    } else if (n < 0 && errno == EAGAIN) {
      c->b_wblocked = true;
    } else if (n < 0 && errno != EINTR) {
      conn_fail(c, "backend_reset", strerror(errno));
      return false;
    }
  }
  if (pb_len(c->c2b) == 0 && c->c_eof && !c->b_shut_wr) {
    shutdown(c->bfd, SHUT_WR);
    c->b_shut_wr = true;
    prog = true;
  }
  /* backend -> b2c */
  room = c->b_eof ? 0 : pb_space(c->b2c);
  if (room > 0 && !pb_get(c->w, &c->b2c)) {
    conn_fail(c, "internal", "out of memory");
    return false;
  }
  if (room > 0) {
    ssize_t n = recv(c->bfd, c->b2c->data + c->b2c->end, room, 0);
    if (n > 0) {
      c->b2c->end += (size_t)n;
      prog = true;
    } else if (n == 0) {
      c->b_eof = true;
      prog = true;
    } else if (errno != EAGAIN && errno != EINTR) {
      conn_fail(c, "backend_reset", strerror(errno));
      return false;
    }
  }
  /* b2c -> client */
  if (pb_len(c->b2c) > 0 && !c->c_shut_sent) {
    size_t n = 0;
    ERR_clear_error();
    if (SSL_write_ex(c->ssl, c->b2c->data + c->b2c->start, pb_len(c->b2c), &n) == 1) {
      c->b2c->start += n;
      c->bytes_out += n;
      c->wr_want = 0;
      prog = true;
    } else {
      int e = SSL_get_error(c->ssl, 0);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        c->wr_want = e;
      } else {
        ssl_io_fail(c, e, "write");
        return false;
      }
    }
  }
  if (pb_len(c->b2c) == 0 && c->b_eof && !c->c_shut_sent) {
    ERR_clear_error();
    int r = SSL_shutdown(c->ssl);
    if (r >= 0) {
      c->c_shut_sent = true;
      c->wr_want = 0;
      prog = true;
    } else {
      int e = SSL_get_error(c->ssl, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        c->wr_want = e;
      } else {
        ssl_io_fail(c, e, "shutdown");
        return false;
      }
    }
  }
  /* The backend is finished both ways: let its socket go now. */
  if (c->b_eof && c->b_shut_wr && c->bfd >= 0) {
    close(c->bfd);
    c->bfd = -1;
    c->b_registered = false;
  }
  return prog;
}

static bool conn_finished(const conn *c) {
  return c->c_eof && c->b_shut_wr && c->b_eof && c->c_shut_sent && pb_len(c->b2c) == 0;
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
    pb_put(c->w, &c->c2b, false);
    pb_put(c->w, &c->b2c, false);
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

static void listener_set(worker *w, bool on) {
  if (w->lfd < 0 || on == w->l_active) return;
  if (on) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN | (w->lfd_shared ? EPOLLEXCLUSIVE : 0u);
    ev.data.ptr = &w->tag_listen;
    if (epoll_ctl(w->ep, EPOLL_CTL_ADD, w->lfd, &ev) == 0) w->l_active = true;
  } else {
    epoll_ctl(w->ep, EPOLL_CTL_DEL, w->lfd, NULL);
    w->l_active = false;
  }
}

static bool reserve_slot(const worker *w) {
  unsigned max = w->ctx->cfg->max_conns;
  unsigned cur = atomic_load(&g_conns);
  do {
    if (max != 0 && cur >= max) return false;
  } while (!atomic_compare_exchange_weak(&g_conns, &cur, cur + 1));
  return true;
}

static void do_accept(worker *w, uint64_t now) {
  for (int i = 0; i < PXY_ACCEPT_BATCH; i++) {
    if (!reserve_slot(w)) {
      listener_set(w, false); /* back-pressure: resumed below the limit */
      return;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss); /* an unnamed unix peer fills only the family */
    socklen_t sl = sizeof ss;
    int fd = accept4(w->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      atomic_fetch_sub(&g_conns, 1);
      if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
        pxy_log_event("accept_paused", strerror(e));
        listener_set(w, false);
        w->l_retry_at = now + 100;
      }
      return; /* EAGAIN, or a connection that went away: nothing to do */
    }
    conn *c = calloc(1, sizeof *c);
    SSL *ssl = c ? SSL_new(w->ctx->ssl) : NULL;
    if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
      SSL_free(ssl);
      free(c);
      close(fd);
      atomic_fetch_sub(&g_conns, 1);
      pxy_log_event("accept_error", "out of memory");
      continue;
    }
    c->w = w;
    c->st = ST_HANDSHAKE;
    c->cfd = fd;
    c->bfd = -1;
    c->ssl = ssl;
    c->tlist = TL_NONE;
    c->t_start = now;
    c->t0_us = now_us();
    c->rd_want = SSL_ERROR_WANT_READ;
    SSL_set_accept_state(ssl);
    SSL_set_app_data(ssl, c);
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
    c->peer = ss;
    if (ss.ss_family != AF_UNIX) {
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.u64 = tag_of(c, false);
    w->nconns++;
    mtk_metrics_conn_open(w->m);
    if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
      conn_fail(c, "internal", "epoll_ctl");
      conn_free(c, now);
      continue;
    }
    c->cev = EPOLLIN;
    tl_append(c, TL_HANDSHAKE, now);
  }
}

/* ---- the loop --------------------------------------------------------------------- */

static void expire(worker *w, uint64_t now) {
  conn *c;
  while ((c = w->tl[TL_HANDSHAKE].head) != NULL && c->deadline <= now) {
    conn_fail(c, c->st == ST_HANDSHAKE ? "handshake_timeout" : "backend_connect_timeout", NULL);
    conn_free(c, now);
  }
  while ((c = w->tl[TL_IDLE].head) != NULL && c->deadline <= now) {
    conn_fail(c, "idle_timeout", NULL);
    conn_free(c, now);
  }
}

static void start_drain(worker *w, uint64_t now) {
  if (w->draining) return;
  w->draining = true;
  listener_set(w, false);
  if (!w->lfd_shared && w->lfd >= 0) close(w->lfd);
  w->lfd = -1;
  w->drain_deadline = now + w->ctx->cfg->drain_timeout_ms;
}

static int loop_timeout(const worker *w, uint64_t now) {
  uint64_t next = UINT64_MAX;
  for (int i = 0; i < 2; i++)
    if (w->tl[i].head && w->tl[i].head->deadline < next) next = w->tl[i].head->deadline;
  if (w->draining && w->drain_deadline < next) next = w->drain_deadline;
  if (!w->draining && !w->l_active && now + PXY_PAUSE_POLL_MS < next) next = now + PXY_PAUSE_POLL_MS;
  if (next == UINT64_MAX) return -1;
  if (next <= now) return 0;
  uint64_t d = next - now;
  return d > 60000 ? 60000 : (int)d;
}

static void *worker_main(void *arg) {
  worker *w = arg;
  struct epoll_event evs[128];
  uint64_t now = now_ms();
  listener_set(w, true);
  conn *dead = NULL;
  for (;;) {
    if (w->draining && w->nconns == 0) break;
    if (!w->draining && !w->l_active && now >= w->l_retry_at) {
      unsigned max = w->ctx->cfg->max_conns;
      if (max == 0 || atomic_load(&g_conns) < max) listener_set(w, true);
    }
    int n = epoll_wait(w->ep, evs, 128, loop_timeout(w, now));
    now = now_ms();
    if (n < 0 && errno != EINTR) {
      pxy_log_event("fatal", "epoll_wait failed");
      break;
    }
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      void *p = (void *)(uintptr_t)tag;
      if (p == &w->tag_listen) {
        if (!w->draining) do_accept(w, now);
      } else if (p == &w->tag_event) {
        uint64_t v;
        ssize_t r = read(w->evfd, &v, sizeof v);
        (void)r;
        start_drain(w, now);
      } else {
        bool on_backend = (tag & 1u) != 0;
        conn *c = (conn *)(uintptr_t)(tag & ~(uint64_t)1u);
        /* Dead connections wait in |dead| until the batch is over: a later
         * event of this batch may still name them. */
        if (c->dead || (on_backend && c->bfd < 0)) continue;
        conn_step(c, evs[i].events, on_backend, now);
        if (c->dead) {
          tl_remove(c);
          c->next = dead;
          dead = c;
        }
      }
    }
    while (dead != NULL) {
      conn *c = dead;
      dead = c->next;
      c->next = NULL;
      conn_free(c, now);
    }
    expire(w, now);
    if (w->draining && now >= w->drain_deadline) {
      for (int l = 0; l < 2; l++) {
        conn *c;
        while ((c = w->tl[l].head) != NULL) {
          conn_fail(c, "drain_timeout", NULL);
          conn_free(c, now);
        }
      }
    }
  }
  while (w->pool != NULL) {
    struct pool_item *it = w->pool;
    w->pool = it->next;
    free(it);
  }
  return NULL;
}

/* ---- start, signals, drain -------------------------------------------------------- */

static mtk_status render_metrics(void *arg, mtk_buf *out) {
  return mtk_metrics_render(arg, out);
}

static int make_listener(const pxy_addr *a, bool reuseport, char *err, size_t errlen) {
  int fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return -1;
  }
  int one = 1;
  if (a->family != AF_UNIX) {
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      snprintf(err, errlen, "SO_REUSEPORT: %s", strerror(errno));
      close(fd);
      return -1;
    }
  } else {
    /* A stale socket file from an earlier run; never anything else. */
    const struct sockaddr_un *un = (const struct sockaddr_un *)&a->ss;
    struct stat st;
    if (lstat(un->sun_path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(un->sun_path);
  }
  if (bind(fd, (const struct sockaddr *)&a->ss, a->len) != 0 || listen(fd, 1024) != 0) {
    snprintf(err, errlen, "listen on %s: %s", a->text, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

int pxy_server_run(pxy_server_ctx *ctx) {
  const pxy_server_cfg *cfg = ctx->cfg;
  unsigned nw = cfg->workers;
  if (nw == 0) {
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    nw = nc > 0 ? (unsigned)nc : 1u;
  }
  char err[256];
  /* Signals are read from a signalfd by this thread; every thread blocks
   * them. SIGPIPE is ignored (sends use MSG_NOSIGNAL anyway). */
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) {
    fprintf(stderr, "mtlskit: signalfd: %s\n", strerror(errno));
    return 1;
  }
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
  for (unsigned i = 0; i < nw; i++) {
    ws[i].lfd = ws[i].ep = ws[i].evfd = -1;
    mtk_buf_init(&ws[i].logbuf, (size_t)64 << 10);
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
  if (is_unix && (shared_lfd = make_listener(&ctx->listen, false, err, sizeof err)) < 0) {
    fprintf(stderr, "mtlskit: %s\n", err);
    rc = 1;
    goto out;
  }
  for (unsigned i = 0; i < nw; i++) {
    worker *w = &ws[i];
    w->id = i;
    w->ctx = ctx;
    w->tl[TL_HANDSHAKE].timeout = cfg->handshake_timeout_ms;
    w->tl[TL_IDLE].timeout = cfg->idle_timeout_ms;
    if (is_unix) {
      w->lfd = shared_lfd;
      w->lfd_shared = true;
    } else if ((w->lfd = make_listener(&ctx->listen, true, err, sizeof err)) < 0) {
      fprintf(stderr, "mtlskit: %s\n", err);
      rc = 1;
      goto out;
    } else if (i == 0) {
      /* Port 0: the others bind the port the first one got. */
      ctx->listen.len = sizeof ctx->listen.ss;
      getsockname(w->lfd, (struct sockaddr *)&ctx->listen.ss, &ctx->listen.len);
    }
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.ptr = &w->tag_event;
    if (w->ep < 0 || w->evfd < 0 || epoll_ctl(w->ep, EPOLL_CTL_ADD, w->evfd, &ev) != 0) {
      fprintf(stderr, "mtlskit: epoll: %s\n", strerror(errno));
      rc = 1;
      goto out;
    }
  }
  for (; started < nw; started++)
    if (pthread_create(&ws[started].th, NULL, worker_main, &ws[started]) != 0) {
      fprintf(stderr, "mtlskit: pthread_create failed\n");
      rc = 1;
      goto out;
    }
  {
    mtk_logfield f[] = {
        MTK_LOG_STR("listen", ctx->listen.text),
        MTK_LOG_STR("target", ctx->target.text),
        MTK_LOG_NUM("workers", nw),
        MTK_LOG_NUM("status_port", status != NULL ? pxy_status_port(status) : 0),
        MTK_LOG_STR("proxy_protocol", cfg->proxy_protocol ? "v2" : "off"),
    };
    pxy_log_fields("start", f, sizeof f / sizeof f[0]);
  }
  for (;;) {
    struct signalfd_siginfo si;
    ssize_t r = read(sfd, &si, sizeof si);
    if (r != (ssize_t)sizeof si) {
      if (r < 0 && errno == EINTR) continue;
      break;
    }
    if (si.ssi_signo == SIGHUP) {
      /* Hook for the two-phase reload: build a new pxy_server_ctx, check it,
       * then publish it to the workers. Not done yet. */
      pxy_log_event("reload_skipped", "SIGHUP: reload is not implemented yet");
      continue;
    }
    if (status != NULL) pxy_status_set_draining(status, true);
    mtk_logfield f[] = {
        MTK_LOG_STR("signal", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT"),
        MTK_LOG_NUM("active", atomic_load(&g_conns)),
        MTK_LOG_NUM("deadline_ms", cfg->drain_timeout_ms),
    };
    pxy_log_fields("drain", f, sizeof f / sizeof f[0]);
    break;
  }
out:
  for (unsigned i = 0; i < started; i++) {
    uint64_t one = 1;
    ssize_t r = write(ws[i].evfd, &one, sizeof one);
    (void)r;
  }
  for (unsigned i = 0; i < started; i++) pthread_join(ws[i].th, NULL);
  for (unsigned i = 0; i < nw; i++) {
    if (ws[i].ep >= 0) close(ws[i].ep);
    if (ws[i].evfd >= 0) close(ws[i].evfd);
    if (!ws[i].lfd_shared && ws[i].lfd >= 0) close(ws[i].lfd);
  }
  if (shared_lfd >= 0) {
    close(shared_lfd);
    unlink(((const struct sockaddr_un *)&ctx->listen.ss)->sun_path);
  }
  pxy_status_stop(status);
  if (rc == 0) pxy_log_event("stop", "drained");
  for (unsigned i = 0; i < nw; i++) mtk_buf_free(&ws[i].logbuf);
  mtk_metrics_free(metrics);
  free(ws);
  close(sfd);
  return rc;
}

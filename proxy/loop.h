/* loop.h: the event-loop layer shared by `mtlskit proxy server` (server.c)
 * and `mtlskit proxy client` (client.c): the per-worker buffer pool, the two
 * FIFO timer lists, the listener (SO_REUSEPORT per worker, or one shared
 * unix: socket with EPOLLEXCLUSIVE) with --max-conns back-pressure, worker
 * thread start/join, the signalfd and the eventfd that starts the drain.
 * Each mode keeps its own connection struct, TLS side and state machine and
 * its own worker_main; the hot-path helpers here (buffers, timers, epoll
 * interest) are static inline, so the split adds no call or indirection. */
#ifndef MTK_PROXY_LOOP_H
#define MTK_PROXY_LOOP_H

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "proxy.h"

#define PXY_BUF 16384u          /* per direction */
#define PXY_ACCEPT_BATCH 64     /* accepts per wake-up, for fairness */
#define PXY_PAUSE_POLL_MS 50    /* re-check of a paused listener */
#define PXY_POOL_MAX 256        /* empty buffers kept per worker */

#define PXY_CONTAINER(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---- buffers -------------------------------------------------------------- */

typedef struct pxy_buf {
  size_t start, end;
  uint8_t data[PXY_BUF];
} pxy_buf;

struct pxy_pool_item {
  struct pxy_pool_item *next;
};

/* ---- timers --------------------------------------------------------------- */

enum { PXY_TL_NONE = -1, PXY_TL_HANDSHAKE = 0, PXY_TL_IDLE = 1 };

/* Embedded in a connection: its place in one of the two timer lists. */
typedef struct pxy_tnode {
  struct pxy_tnode *prev, *next;
  uint64_t deadline;
  int list;                     /* PXY_TL_*; PXY_TL_NONE when in neither */
} pxy_tnode;

/* ---- a worker's loop state ------------------------------------------------- */

typedef struct pxy_loop {
  unsigned id;
  pthread_t th;
  int ep, lfd, evfd;
  bool lfd_shared, l_active, draining;
  uint64_t l_retry_at, drain_deadline;
  struct {
    pxy_tnode *head, *tail;
    uint64_t timeout;
  } tl[2];
  size_t nconns;
  struct pxy_pool_item *pool;   /* empty buffers */
  size_t pool_n;
  _Atomic unsigned *conns;      /* the mode's global connection count */
  unsigned max_conns;           /* 0: unlimited */
  unsigned drain_timeout_ms;
  char tag_listen, tag_event;   /* their addresses tag epoll events */
} pxy_loop;

/* A connection holds a buffer only while it has bytes in it: empty buffers go
 * back to a per-worker pool. NULL counts as an empty buffer. */
static inline size_t pxy_buf_len(const pxy_buf *b) { return b ? b->end - b->start : 0; }
/* Free room at the end, compacting first (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
 * allows moving the bytes of a pending SSL_write). */
static inline size_t pxy_buf_space(pxy_buf *b) {
  if (b == NULL) return PXY_BUF;
  if (b->start == b->end) b->start = b->end = 0;
  if (b->end == PXY_BUF && b->start > 0) {
    memmove(b->data, b->data + b->start, b->end - b->start);
    b->end -= b->start;
    b->start = 0;
  }
  return PXY_BUF - b->end;
}

/* pxy_buf_get makes sure *slot holds a buffer; false when out of memory. */
static inline bool pxy_buf_get(pxy_loop *lp, pxy_buf **slot) {
  if (*slot != NULL) return true;
  pxy_buf *b;
  if (lp->pool != NULL) {
    b = (pxy_buf *)(void *)lp->pool;
    lp->pool = lp->pool->next;
    lp->pool_n--;
  } else if ((b = malloc(sizeof *b)) == NULL) {
    return false;
  }
  b->start = b->end = 0;
  *slot = b;
  return true;
}

/* pxy_buf_put gives *slot back when it is empty (always with |force|). */
static inline void pxy_buf_put(pxy_loop *lp, pxy_buf **slot, bool force) {
  pxy_buf *b = *slot;
  if (b == NULL || (!force && b->start != b->end)) return;
  *slot = NULL;
  if (lp->pool_n >= PXY_POOL_MAX) {
    free(b);
    return;
  }
  struct pxy_pool_item *it = (struct pxy_pool_item *)(void *)b;
  it->next = lp->pool;
  lp->pool = it;
  lp->pool_n++;
}

/* ---- the copy loop: one direction of a proxied connection ------------------
 * Both modes move bytes between a TLS socket and a plaintext socket, one
 * pxy_half per direction: its buffer and how far the stream has got. The
 * two helpers below make all the progress they can in one direction and
 * say whether anything moved; on a failure they fill a pxy_io and return
 * false, and the mode names the reason (its own words for its plaintext
 * peer). Static inline: the copy loop is the hot path. */
typedef struct pxy_half {
  pxy_buf *buf;      /* NULL while empty */
  bool src_eof;      /* no more data from the source */
  bool dst_shut;     /* the EOF is passed on (FIN sent, or close_notify sent) */
  bool dst_blocked;  /* plaintext destination: the last send hit EAGAIN */
  uint64_t bytes;    /* plaintext bytes taken from the source */
} pxy_half;

typedef struct pxy_io {
  bool moved;          /* something moved (either call) */
  bool eof_no_notify;  /* the TLS peer closed TCP without close_notify */
  enum { PXY_IO_NOMEM = 1, PXY_IO_TLS, PXY_IO_SOCK } fail;
  int ssl_err;         /* PXY_IO_TLS: SSL_get_error */
  int sys_err;         /* errno at the failure */
  const char *phase;   /* PXY_IO_TLS: "read", "write", "shutdown" */
} pxy_io;

/* pxy_tls_to_plain: SSL_read into h->buf (while there is room and no EOF),
 * send the buffer to |fd|, and shutdown(SHUT_WR) once the TLS side ended
 * and the buffer is empty. A TCP EOF without close_notify is forwarded as
 * EOF and flagged in io->eof_no_notify. */
static inline bool pxy_tls_to_plain(pxy_loop *lp, SSL *ssl, int *rd_want, pxy_half *h, int fd,
                                    pxy_io *io) {
  size_t room = h->src_eof ? 0 : pxy_buf_space(h->buf);
  if (room > 0 && !pxy_buf_get(lp, &h->buf)) {
    io->fail = PXY_IO_NOMEM;
    return false;
  }
  if (room > 0) {
    size_t n = 0;
    ERR_clear_error();
    if (SSL_read_ex(ssl, h->buf->data + h->buf->end, room, &n) == 1) {
      h->buf->end += n;
      h->bytes += n;
      *rd_want = SSL_ERROR_WANT_READ;
      io->moved = true;
    } else {
      int e = SSL_get_error(ssl, 0);
      unsigned long ec = ERR_peek_error();
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        *rd_want = e;
      } else if (e == SSL_ERROR_ZERO_RETURN) {
        h->src_eof = true;
        io->moved = true;
      } else if ((e == SSL_ERROR_SYSCALL && ec == 0 && errno == 0) ||
                 (ERR_GET_LIB(ec) == ERR_LIB_SSL &&
                  ERR_GET_REASON(ec) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
        h->src_eof = true;
        io->eof_no_notify = true;
        io->moved = true;
      } else {
        io->fail = PXY_IO_TLS;
        io->ssl_err = e;
        io->sys_err = errno;
        io->phase = "read";
        return false;
      }
    }
  }
  if (pxy_buf_len(h->buf) > 0) {
    ssize_t n = send(fd, h->buf->data + h->buf->start, pxy_buf_len(h->buf), MSG_NOSIGNAL);
    if (n > 0) {
      h->buf->start += (size_t)n;
      h->dst_blocked = false;
      io->moved = true;
    } else if (n < 0 && errno == EAGAIN) {
      h->dst_blocked = true;
    } else if (n < 0 && errno != EINTR) {
      io->fail = PXY_IO_SOCK;
      io->sys_err = errno;
      return false;
    }
  }
  if (pxy_buf_len(h->buf) == 0 && h->src_eof && !h->dst_shut) {
    shutdown(fd, SHUT_WR);
    h->dst_shut = true;
    io->moved = true;
  }
  return true;
}

/* pxy_plain_to_tls: recv from |fd| into h->buf (while there is room and no
 * EOF), SSL_write the buffer, and send close_notify once the plaintext side
 * ended and the buffer is empty. */
static inline bool pxy_plain_to_tls(pxy_loop *lp, int fd, pxy_half *h, SSL *ssl, int *wr_want,
                                    pxy_io *io) {
  size_t room = h->src_eof ? 0 : pxy_buf_space(h->buf);
  if (room > 0 && !pxy_buf_get(lp, &h->buf)) {
    io->fail = PXY_IO_NOMEM;
    return false;
  }
  if (room > 0) {
    ssize_t n = recv(fd, h->buf->data + h->buf->end, room, 0);
    if (n > 0) {
      h->buf->end += (size_t)n;
      io->moved = true;
    } else if (n == 0) {
      h->src_eof = true;
      io->moved = true;
    } else if (errno != EAGAIN && errno != EINTR) {
      io->fail = PXY_IO_SOCK;
      io->sys_err = errno;
      return false;
    }
  }
  if (pxy_buf_len(h->buf) > 0 && !h->dst_shut) {
    size_t n = 0;
    ERR_clear_error();
    if (SSL_write_ex(ssl, h->buf->data + h->buf->start, pxy_buf_len(h->buf), &n) == 1) {
      h->buf->start += n;
      h->bytes += n;
      *wr_want = 0;
      io->moved = true;
    } else {
      int e = SSL_get_error(ssl, 0);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        *wr_want = e;
      } else {
        io->fail = PXY_IO_TLS;
        io->ssl_err = e;
        io->sys_err = errno;
        io->phase = "write";
        return false;
      }
    }
  }
  if (pxy_buf_len(h->buf) == 0 && h->src_eof && !h->dst_shut) {
    ERR_clear_error();
    int r = SSL_shutdown(ssl);
    if (r >= 0) {
      h->dst_shut = true;
      *wr_want = 0;
      io->moved = true;
    } else {
      int e = SSL_get_error(ssl, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        *wr_want = e;
      } else {
        io->fail = PXY_IO_TLS;
        io->ssl_err = e;
        io->sys_err = errno;
        io->phase = "shutdown";
        return false;
      }
    }
  }
  return true;
}

/* Timers: each list has a constant timeout, so it is a FIFO sorted by
 * construction (append at the tail, expire from the head). */
static inline void pxy_tl_remove(pxy_loop *lp, pxy_tnode *n) {
  if (n->list == PXY_TL_NONE) return;
  if (n->prev) n->prev->next = n->next; else lp->tl[n->list].head = n->next;
  if (n->next) n->next->prev = n->prev; else lp->tl[n->list].tail = n->prev;
  n->prev = n->next = NULL;
  n->list = PXY_TL_NONE;
}

static inline void pxy_tl_append(pxy_loop *lp, pxy_tnode *n, int list, uint64_t now) {
  pxy_tl_remove(lp, n);
  n->list = list;
  n->deadline = now + lp->tl[list].timeout;
  n->prev = lp->tl[list].tail;
  n->next = NULL;
  if (n->prev) n->prev->next = n; else lp->tl[list].head = n;
  lp->tl[list].tail = n;
}

/* pxy_ev_set changes the epoll interest of |fd| to |want| unless it is
 * already *cur. */
static inline void pxy_ev_set(pxy_loop *lp, int fd, uint32_t *cur, uint32_t want, uint64_t tag) {
  if (*cur == want) return;
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = want;
  ev.data.u64 = tag;
  if (epoll_ctl(lp->ep, EPOLL_CTL_MOD, fd, &ev) == 0) *cur = want;
}

/* ---- loop.c ------------------------------------------------------------------ */

uint64_t pxy_now_us(void); /* CLOCK_MONOTONIC */
uint64_t pxy_now_ms(void);

/* Worker side. */
void pxy_listener_set(pxy_loop *lp, bool on);
/* pxy_listener_resume re-adds a paused listener once the pause is over and
 * the --max-conns limit allows (called at the top of every loop turn). */
void pxy_listener_resume(pxy_loop *lp, uint64_t now);
/* pxy_accept_fd reserves a connection slot and accepts one connection into
 * |ss|/|sl|. -1: stop this batch (limit reached, EAGAIN, or a pause on
 * EMFILE & co). The caller gives the slot back with pxy_slot_release if it
 * cannot use the fd. */
int pxy_accept_fd(pxy_loop *lp, uint64_t now, struct sockaddr_storage *ss, socklen_t *sl);
void pxy_slot_release(pxy_loop *lp);
/* pxy_fd_nodelay sets TCP_NODELAY unless |family| is AF_UNIX. */
void pxy_fd_nodelay(int fd, int family);
/* pxy_loop_timeout: the epoll_wait timeout (ms, -1: none) until the earliest
 * timer, the drain deadline or the re-check of a paused listener. */
int pxy_loop_timeout(const pxy_loop *lp, uint64_t now);
/* pxy_loop_drain_event handles the eventfd: closes the listener and starts
 * the drain clock. */
void pxy_loop_drain_event(pxy_loop *lp, uint64_t now);
/* pxy_pool_free frees the pooled buffers (at worker exit). */
void pxy_pool_free(pxy_loop *lp);

/* ---- the worker loop -----------------------------------------------------------
 * pxy_loop_run is the whole life of a worker thread, the same in both modes:
 * epoll_wait until the earliest timer; accept (mode->accept); each event on
 * a connection socket goes to mode->event, which makes the progress it can
 * and returns the connection's timer node if the connection died (dead
 * connections wait until the batch is over: a later event of the same
 * batch may still name them); then the expired timers of the handshake and
 * idle lists, and at the drain deadline every connection left, each closed
 * with mode->close and its reason. It returns when the drain is over (or
 * epoll fails). Static inline, called with a constant |mode|: the compiler
 * inlines the callbacks, so no function pointer is called per event. */
typedef struct pxy_loop_mode {
  void (*accept)(void *w, uint64_t now);
  pxy_tnode *(*event)(void *w, uint64_t tag, uint32_t events, uint64_t now);
  /* close: record |reason| (NULL: the connection has its own) and free */
  void (*close)(pxy_tnode *n, const char *reason, uint64_t now);
  const char *(*timeout_reason)(pxy_tnode *n, int list);
} pxy_loop_mode;

static inline void pxy_loop_run(pxy_loop *lp, void *w, const pxy_loop_mode *mode) {
  struct epoll_event evs[128];
  uint64_t now = pxy_now_ms();
  pxy_listener_set(lp, true);
  pxy_tnode *dead = NULL;
  for (;;) {
    if (lp->draining && lp->nconns == 0) break;
    pxy_listener_resume(lp, now);
    int n = epoll_wait(lp->ep, evs, 128, pxy_loop_timeout(lp, now));
    now = pxy_now_ms();
    if (n < 0 && errno != EINTR) {
      pxy_log_event("fatal", "epoll_wait failed");
      break;
    }
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      void *p = (void *)(uintptr_t)tag;
      if (p == &lp->tag_listen) {
        if (!lp->draining) mode->accept(w, now);
      } else if (p == &lp->tag_event) {
        pxy_loop_drain_event(lp, now);
      } else {
        pxy_tnode *d = mode->event(w, tag, evs[i].events, now);
        if (d != NULL) {
          pxy_tl_remove(lp, d);
          d->next = dead;
          dead = d;
        }
      }
    }
    while (dead != NULL) {
      pxy_tnode *d = dead;
      dead = d->next;
      d->next = NULL;
      mode->close(d, NULL, now);
    }
    for (int l = 0; l < 2; l++) {
      pxy_tnode *t;
      while ((t = lp->tl[l].head) != NULL && t->deadline <= now)
        mode->close(t, mode->timeout_reason(t, l), now);
    }
    if (lp->draining && now >= lp->drain_deadline) {
      for (int l = 0; l < 2; l++) {
        pxy_tnode *t;
        while ((t = lp->tl[l].head) != NULL) mode->close(t, "drain_timeout", now);
      }
    }
  }
  pxy_pool_free(lp);
}

/* Main-thread side. */
unsigned pxy_worker_count(unsigned cfg_workers);
/* pxy_signals_open blocks SIGTERM/SIGINT/SIGHUP in every thread (call before
 * starting any), ignores SIGPIPE and returns a signalfd, or -1 (reported). */
int pxy_signals_open(void);
/* Main-thread hooks while waiting for signals: on_hup for SIGHUP (NULL: it
 * is logged as reload_skipped), on_tick every tick_ms (NULL or 0: none). */
typedef struct pxy_sig_hooks {
  void (*on_hup)(void *arg);
  void (*on_tick)(void *arg);
  unsigned tick_ms;
  void *arg;
} pxy_sig_hooks;
/* pxy_signals_wait reads signals until SIGTERM or SIGINT (returned) or a
 * read error (0), running |h| (may be NULL) meanwhile. */
int pxy_signals_wait(int sfd, const pxy_sig_hooks *h);
/* pxy_listener_open: a listening socket on |a| (SO_REUSEPORT with
 * |reuseport|; a stale unix socket file is removed first). -1 and |err|. */
int pxy_listener_open(const pxy_addr *a, bool reuseport, char *err, size_t errlen);
/* pxy_loop_init: fds -1, before anything can fail. */
void pxy_loop_init(pxy_loop *lp);
/* pxy_loop_open sets up worker |id|: its listener (|shared_lfd| >= 0: that
 * one; else its own SO_REUSEPORT socket, and worker 0 writes the bound
 * address back to |listen| for port 0), its epoll instance and eventfd.
 * false after writing the reason to stderr. */
bool pxy_loop_open(pxy_loop *lp, unsigned id, pxy_addr *listen, int shared_lfd,
                   _Atomic unsigned *conns, unsigned max_conns, unsigned handshake_timeout_ms,
                   unsigned idle_timeout_ms, unsigned drain_timeout_ms);
/* pxy_loop_start starts the worker thread; false after reporting. */
bool pxy_loop_start(pxy_loop *lp, void *(*fn)(void *), void *arg);
/* pxy_loop_wake writes the eventfd (start the drain). */
void pxy_loop_wake(pxy_loop *lp);
void pxy_loop_join(pxy_loop *lp);
void pxy_loop_close(pxy_loop *lp);
/* pxy_shared_listener_close closes the shared unix: socket and unlinks it. */
void pxy_shared_listener_close(int shared_lfd, const pxy_addr *listen);

#endif

/* loop.c: the event-loop layer shared by the proxy's server and client
 * modes (loop.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

uint64_t pxy_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t pxy_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- worker side ----------------------------------------------------------------- */

void pxy_listener_set(pxy_loop *lp, bool on) {
  if (lp->lfd < 0 || on == lp->l_active) return;
  if (on) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN | (lp->lfd_shared ? EPOLLEXCLUSIVE : 0u);
    ev.data.ptr = &lp->tag_listen;
    if (epoll_ctl(lp->ep, EPOLL_CTL_ADD, lp->lfd, &ev) == 0) lp->l_active = true;
  } else {
    epoll_ctl(lp->ep, EPOLL_CTL_DEL, lp->lfd, NULL);
    lp->l_active = false;
  }
}

void pxy_listener_resume(pxy_loop *lp, uint64_t now) {
  if (!lp->draining && !lp->l_active && now >= lp->l_retry_at) {
    unsigned max = lp->max_conns;
    if (max == 0 || atomic_load(lp->conns) < max) pxy_listener_set(lp, true);
  }
}

static bool reserve_slot(const pxy_loop *lp) {
  unsigned max = lp->max_conns;
  unsigned cur = atomic_load(lp->conns);
  do {
    if (max != 0 && cur >= max) return false;
  } while (!atomic_compare_exchange_weak(lp->conns, &cur, cur + 1));
  return true;
}

void pxy_slot_release(pxy_loop *lp) { atomic_fetch_sub(lp->conns, 1); }

int pxy_accept_fd(pxy_loop *lp, uint64_t now, struct sockaddr_storage *ss, socklen_t *sl) {
  if (!reserve_slot(lp)) {
    pxy_listener_set(lp, false); /* back-pressure: resumed below the limit */
    return -1;
  }
  int fd = accept4(lp->lfd, (struct sockaddr *)ss, sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    pxy_slot_release(lp);
    if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
      pxy_log_event("accept_paused", strerror(e));
      pxy_listener_set(lp, false);
      lp->l_retry_at = now + 100;
    }
    return -1; /* EAGAIN, or a connection that went away: nothing to do */
  }
  return fd;
}

void pxy_fd_nodelay(int fd, int family) {
  if (family != AF_UNIX) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
}

int pxy_loop_timeout(const pxy_loop *lp, uint64_t now) {
  uint64_t next = UINT64_MAX;
  for (int i = 0; i < 2; i++)
    if (lp->tl[i].head && lp->tl[i].head->deadline < next) next = lp->tl[i].head->deadline;
  if (lp->draining && lp->drain_deadline < next) next = lp->drain_deadline;
  if (!lp->draining && !lp->l_active && now + PXY_PAUSE_POLL_MS < next) next = now + PXY_PAUSE_POLL_MS;
  if (next == UINT64_MAX) return -1;
  if (next <= now) return 0;
  uint64_t d = next - now;
  return d > 60000 ? 60000 : (int)d;
}

void pxy_loop_drain_event(pxy_loop *lp, uint64_t now) {
  uint64_t v;
  ssize_t r = read(lp->evfd, &v, sizeof v);
  (void)r;
  if (lp->draining) return;
  lp->draining = true;
  pxy_listener_set(lp, false);
  if (!lp->lfd_shared && lp->lfd >= 0) close(lp->lfd);
  lp->lfd = -1;
  lp->drain_deadline = now + lp->drain_timeout_ms;
}

void pxy_pool_free(pxy_loop *lp) {
  while (lp->pool != NULL) {
    struct pxy_pool_item *it = lp->pool;
    lp->pool = it->next;
    free(it);
  }
  lp->pool_n = 0;
}

/* ---- main-thread side ------------------------------------------------------------- */

unsigned pxy_worker_count(unsigned cfg_workers) {
  unsigned nw = cfg_workers;
  if (nw == 0) {
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    nw = nc > 0 ? (unsigned)nc : 1u;
  }
  return nw;
}

int pxy_signals_open(void) {
  /* Signals are read from a signalfd by the main thread; every thread blocks
   * them. SIGPIPE is ignored (sends use MSG_NOSIGNAL anyway). */
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) fprintf(stderr, "mtlskit: signalfd: %s\n", strerror(errno));
  return sfd;
}

int pxy_signals_wait(int sfd, const pxy_sig_hooks *h) {
  bool tick = h != NULL && h->on_tick != NULL && h->tick_ms > 0;
  uint64_t next = tick ? pxy_now_ms() + h->tick_ms : 0;
  for (;;) {
    if (tick) {
      uint64_t now = pxy_now_ms();
      if (now >= next) {
        h->on_tick(h->arg);
        next = pxy_now_ms() + h->tick_ms;
        continue;
      }
      struct pollfd pfd = {.fd = sfd, .events = POLLIN, .revents = 0};
      int pr = poll(&pfd, 1, (int)(next - now));
      if (pr < 0 && errno != EINTR) return 0;
      if (pr <= 0) continue;
    }
    struct signalfd_siginfo si;
    ssize_t r = read(sfd, &si, sizeof si);
    if (r != (ssize_t)sizeof si) {
      if (r < 0 && errno == EINTR) continue;
      return 0;
    }
    if (si.ssi_signo == SIGHUP) {
      if (h != NULL && h->on_hup != NULL)
        h->on_hup(h->arg);
      else
        pxy_log_event("reload_skipped", "SIGHUP: reload is not implemented in this mode");
      continue;
    }
    return (int)si.ssi_signo;
  }
}

int pxy_listener_open(const pxy_addr *a, bool reuseport, char *err, size_t errlen) {
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

/* listen_probe: SO_REUSEPORT lets any process of the same user bind the
 * same port, and the kernel would then split the connections between two
 * proxies without a word. So before the workers bind, one socket without
 * SO_REUSEPORT binds the address: that fails while anyone listens there.
 * Port 0 takes the port the probe got. */
static bool listen_probe(pxy_addr *a, char *err, size_t errlen) {
  int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return false;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  bool ok = bind(fd, (const struct sockaddr *)&a->ss, a->len) == 0;
  if (!ok)
    snprintf(err, errlen, "listen on %s: %s%s", a->text, strerror(errno),
             errno == EADDRINUSE ? " (another process listens there)" : "");
  else {
    a->len = sizeof a->ss;
    getsockname(fd, (struct sockaddr *)&a->ss, &a->len);
  }
  close(fd);
  return ok;
}

void pxy_loop_init(pxy_loop *lp) { lp->lfd = lp->ep = lp->evfd = -1; }

bool pxy_loop_open(pxy_loop *lp, unsigned id, pxy_addr *listen, int shared_lfd,
                   _Atomic unsigned *conns, unsigned max_conns, unsigned handshake_timeout_ms,
                   unsigned idle_timeout_ms, unsigned drain_timeout_ms) {
  char err[256];
  lp->id = id;
  lp->conns = conns;
  lp->max_conns = max_conns;
  lp->drain_timeout_ms = drain_timeout_ms;
  lp->tl[PXY_TL_HANDSHAKE].timeout = handshake_timeout_ms;
  lp->tl[PXY_TL_IDLE].timeout = idle_timeout_ms;
  if (shared_lfd >= 0) {
    lp->lfd = shared_lfd;
    lp->lfd_shared = true;
  } else if ((id == 0 && !listen_probe(listen, err, sizeof err)) ||
             (lp->lfd = pxy_listener_open(listen, true, err, sizeof err)) < 0) {
    fprintf(stderr, "mtlskit: %s\n", err);
    return false;
  }
  lp->ep = epoll_create1(EPOLL_CLOEXEC);
  lp->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.ptr = &lp->tag_event;
  if (lp->ep < 0 || lp->evfd < 0 || epoll_ctl(lp->ep, EPOLL_CTL_ADD, lp->evfd, &ev) != 0) {
    fprintf(stderr, "mtlskit: epoll: %s\n", strerror(errno));
    return false;
  }
  return true;
}

bool pxy_loop_start(pxy_loop *lp, void *(*fn)(void *), void *arg) {
  if (pthread_create(&lp->th, NULL, fn, arg) != 0) {
    fprintf(stderr, "mtlskit: pthread_create failed\n");
    return false;
  }
  return true;
}

void pxy_loop_wake(pxy_loop *lp) {
  uint64_t one = 1;
  ssize_t r = write(lp->evfd, &one, sizeof one);
  (void)r;
}

void pxy_loop_join(pxy_loop *lp) { pthread_join(lp->th, NULL); }

void pxy_loop_close(pxy_loop *lp) {
  if (lp->ep >= 0) close(lp->ep);
  if (lp->evfd >= 0) close(lp->evfd);
  if (!lp->lfd_shared && lp->lfd >= 0) close(lp->lfd);
}

void pxy_shared_listener_close(int shared_lfd, const pxy_addr *listen) {
  if (shared_lfd < 0) return;
  close(shared_lfd);
  unlink(((const struct sockaddr_un *)&listen->ss)->sun_path);
}

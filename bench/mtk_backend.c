/*
 * mtk_backend: the plaintext backend behind the proxies in bench/proxy_bench.sh.
 *
 *   mtk_backend [-l HOST] [-p PORT] [-t THREADS] [-I IDLE_SECONDS]
 *
 * Protocol (one request per connection): the client sends an 8-byte
 * big-endian word W. The low 63 bits are a length L; the backend sends L
 * bytes of a fixed pattern. Bit 63 clear: the backend then shuts down its
 * write side (the proxy must carry that EOF to its client) and closes once
 * the peer's EOF arrives. Bit 63 set ("hold"): the backend sends L bytes and
 * keeps the connection open, doing nothing, until the peer closes it; this is
 * how the idle-connection measurement holds thousands of connections for
 * the price of one small struct each. Bytes after the 8-byte word are read
 * and dropped.
 *
 * Each thread has its own epoll loop and (with -t > 1) its own SO_REUSEPORT
 * listener. A connection without any activity for -I seconds (default 600;
 * 0: never) is closed, so nothing is held forever. SIGTERM or SIGINT: exit 0.
 * Exit status: 0 stopped by a signal, 1 could not listen, 2 bad usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOLD_FLAG (UINT64_C(1) << 63)
#define PATTERN_SIZE (64 * 1024)
#define MAX_THREADS 16

enum bstate { B_HEADER, B_SEND, B_HOLD, B_DRAIN };

struct bconn {
  int fd;
  enum bstate state;
  unsigned char hdr[8];
  unsigned hdr_got;
  int hold;
  int peer_eof;
  uint64_t left;
  uint64_t off;
  double last;
};

struct bthread {
  pthread_t tid;
  int lfd;
  int ep;
  long accepted;
  struct bconn **by_fd; /* this thread's connections, indexed by fd */
};

static const char *opt_host = "127.0.0.1";
static int opt_port = 31100;
static int opt_threads = 1;
static double opt_idle = 600.0;
static unsigned char pattern[PATTERN_SIZE];
static size_t conn_cap; /* size of each thread's fd table (RLIMIT_NOFILE) */
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig) {
  (void)sig;
  stop_flag = 1;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: mtk_backend [-l HOST] [-p PORT] [-t THREADS] [-I IDLE_SECONDS]\n"
          "\n"
          "Plaintext backend for the proxy benchmark. A client sends an 8-byte big-endian\n"
          "word: low 63 bits = L, the number of bytes to send back; bit 63 set = keep the\n"
          "connection open afterwards (idle hold) instead of shutting down the write side.\n"
          "\n"
          "  -l HOST   listen address (default 127.0.0.1)\n"
          "  -p PORT   listen port (default 31100)\n"
          "  -t N      threads, each with its own SO_REUSEPORT listener (default 1, max %d)\n"
          "  -I S      close connections idle for S seconds (default 600; 0: never)\n"
          "  -h        this help\n"
          "\n"
          "Exit status: 0 stopped by SIGTERM/SIGINT, 1 could not listen, 2 bad usage.\n",
          MAX_THREADS);
}

static void conn_close(struct bthread *t, struct bconn *c) {
  epoll_ctl(t->ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  t->by_fd[c->fd] = NULL;
  free(c);
}

static void set_events(struct bthread *t, struct bconn *c, uint32_t ev) {
  struct epoll_event e = {.events = ev, .data.fd = c->fd};
  epoll_ctl(t->ep, EPOLL_CTL_MOD, c->fd, &e);
}

/* Send as much of the reply as the socket takes. Returns -1 when the
 * connection was closed. */
static int conn_send(struct bthread *t, struct bconn *c) {
  while (c->left > 0) {
    size_t start = (size_t)(c->off % PATTERN_SIZE);
    size_t n = PATTERN_SIZE - start;
    if ((uint64_t)n > c->left) n = (size_t)c->left;
    ssize_t w = send(c->fd, pattern + start, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN) {
        set_events(t, c, c->peer_eof ? EPOLLOUT : (EPOLLIN | EPOLLOUT));
        return 0;
      }
      if (errno == EINTR) continue;
      conn_close(t, c);
      return -1;
    }
    c->left -= (uint64_t)w;
    c->off += (uint64_t)w;
  }
  if (c->hold) {
    c->state = B_HOLD;
    if (c->peer_eof) {
      conn_close(t, c);
      return -1;
    }
    set_events(t, c, EPOLLIN);
    return 0;
  }
  shutdown(c->fd, SHUT_WR);
  if (c->peer_eof) {
    conn_close(t, c);
    return -1;
  }
  c->state = B_DRAIN;
  set_events(t, c, EPOLLIN);
  return 0;
}

static void conn_readable(struct bthread *t, struct bconn *c) {
  unsigned char buf[16384];
  for (;;) {
    ssize_t r = recv(c->fd, buf, sizeof buf, 0);
    if (r == 0) {
      c->peer_eof = 1;
      if (c->state == B_SEND) {
        set_events(t, c, EPOLLOUT);
        return;
      }
      conn_close(t, c);
      return;
    }
    if (r < 0) {
      if (errno == EAGAIN) return;
      if (errno == EINTR) continue;
      conn_close(t, c);
      return;
    }
    size_t used = 0;
    if (c->state == B_HEADER) {
      while (c->hdr_got < 8 && used < (size_t)r) c->hdr[c->hdr_got++] = buf[used++];
      if (c->hdr_got == 8) {
        uint64_t w = 0;
        for (int i = 0; i < 8; i++) w = (w << 8) | c->hdr[i];
        c->hold = (w & HOLD_FLAG) != 0;
        c->left = w & ~HOLD_FLAG;
        c->state = B_SEND;
        if (conn_send(t, c) < 0) return;
      }
    }
    /* anything else is dropped */
  }
}

static void sweep_idle(struct bthread *t, double now) {
  if (opt_idle <= 0) return;
  for (size_t fd = 0; fd < conn_cap; fd++) {
    struct bconn *c = t->by_fd[fd];
    if (c != NULL && now - c->last > opt_idle) conn_close(t, c);
  }
}

static void *thread_main(void *arg) {
  struct bthread *t = arg;
  struct epoll_event evs[256];
  double next_sweep = now_s() + 1.0;
  while (!stop_flag) {
    int n = epoll_wait(t->ep, evs, 256, 200);
    double now = now_s();
    for (int i = 0; i < n; i++) {
      int fd = evs[i].data.fd;
      if (fd == t->lfd) {
        for (int k = 0; k < 64; k++) {
          int cfd = accept4(t->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0) break;
          if ((size_t)cfd >= conn_cap) {
            close(cfd);
            continue;
          }
          struct bconn *c = calloc(1, sizeof *c);
          if (c == NULL) {
            close(cfd);
            continue;
          }
          c->fd = cfd;
          c->state = B_HEADER;
          c->last = now;
          int one = 1;
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          t->by_fd[cfd] = c;
          struct epoll_event e = {.events = EPOLLIN, .data.fd = cfd};
          if (epoll_ctl(t->ep, EPOLL_CTL_ADD, cfd, &e) != 0) {
            t->by_fd[cfd] = NULL;
            close(cfd);
            free(c);
            continue;
          }
          t->accepted++;
        }
        continue;
      }
      if (fd < 0 || (size_t)fd >= conn_cap || t->by_fd[fd] == NULL) continue;
      struct bconn *c = t->by_fd[fd];
      c->last = now;
      if (evs[i].events & EPOLLOUT && c->state == B_SEND) {
        if (conn_send(t, c) < 0) continue;
      }
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if ((evs[i].events & (EPOLLHUP | EPOLLERR)) && !(evs[i].events & EPOLLIN)) {
          conn_close(t, c);
          continue;
        }
        conn_readable(t, c);
      }
    }
    if (now >= next_sweep) {
      sweep_idle(t, now);
      next_sweep = now + 1.0;
    }
  }
  return NULL;
}

static int make_listener(int reuseport) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)opt_port);
  if (inet_pton(AF_INET, opt_host, &sa.sin_addr) != 1) {
    fprintf(stderr, "mtk_backend: -l %s: not an IPv4 address\n", opt_host);
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuseport) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4096) != 0) {
    fprintf(stderr, "mtk_backend: listen on %s:%d: %s\n", opt_host, opt_port, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static int parse_num(const char *s, double lo, double hi, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static int bad_usage(void) {
  usage(stderr);
  return 2;
}

int main(int argc, char **argv) {
  int opt;
  double v;
  while ((opt = getopt(argc, argv, "l:p:t:I:h")) != -1) {
    switch (opt) {
      case 'l': opt_host = optarg; break;
      case 'p':
        if (parse_num(optarg, 1, 65535, &v) != 0) return bad_usage();
        opt_port = (int)v;
        break;
      case 't':
        if (parse_num(optarg, 1, MAX_THREADS, &v) != 0) return bad_usage();
        opt_threads = (int)v;
        break;
      case 'I':
        if (parse_num(optarg, 0, 1e6, &v) != 0) return bad_usage();
        opt_idle = v;
        break;
      case 'h': usage(stdout); return 0;
      default: usage(stderr); return 2;
    }
  }
  if (optind != argc) return bad_usage();

  for (size_t i = 0; i < PATTERN_SIZE; i++) pattern[i] = (unsigned char)('a' + i % 26);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) rl.rlim_cur = 65536;
  conn_cap = (size_t)rl.rlim_cur;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct bthread th[MAX_THREADS];
  memset(th, 0, sizeof th);
  for (int i = 0; i < opt_threads; i++) {
    th[i].lfd = make_listener(opt_threads > 1);
    th[i].ep = epoll_create1(EPOLL_CLOEXEC);
    th[i].by_fd = calloc(conn_cap, sizeof *th[i].by_fd);
    if (th[i].lfd < 0 || th[i].ep < 0 || th[i].by_fd == NULL) {
      for (int k = 0; k <= i; k++) {
        free(th[k].by_fd);
        if (th[k].ep >= 0) close(th[k].ep);
        if (th[k].lfd >= 0) close(th[k].lfd);
      }
      return 1;
    }
    struct epoll_event e = {.events = EPOLLIN, .data.fd = th[i].lfd};
    epoll_ctl(th[i].ep, EPOLL_CTL_ADD, th[i].lfd, &e);
  }
  for (int i = 0; i < opt_threads; i++) {
    if (pthread_create(&th[i].tid, NULL, thread_main, &th[i]) != 0) {
      fprintf(stderr, "mtk_backend: cannot start threads\n");
      exit(1);
    }
  }
  long total = 0;
  for (int i = 0; i < opt_threads; i++) {
    pthread_join(th[i].tid, NULL);
    total += th[i].accepted;
  }
  for (int i = 0; i < opt_threads; i++) {
    for (size_t fd = 0; fd < conn_cap; fd++)
      if (th[i].by_fd[fd] != NULL) conn_close(&th[i], th[i].by_fd[fd]);
    free(th[i].by_fd);
    close(th[i].ep);
    close(th[i].lfd);
  }
  fprintf(stderr, "mtk_backend: stopped after %ld connections\n", total);
  return 0;
}

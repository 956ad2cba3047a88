/*
 * mtk_load: the mTLS load generator of bench/proxy_bench.sh.
 *
 * Every connection is new: TCP connect, a full TLS 1.3 handshake with a
 * client certificate (no session is ever offered, and resumption is checked
 * and reported: resumed=0), the server certificate verified against the CA
 * and the connect address (or --verify-name). The client offers one group
 * (P-256) and one suite (TLS_AES_128_GCM_SHA256), so every peer negotiates
 * the same thing. After the handshake it speaks the mtk_backend protocol
 * through the proxy: an 8-byte big-endian request, then the reply.
 *
 * Modes (-m):
 *   hs    -n connections run at once; each one connects, handshakes, asks
 *         for -r bytes, reads them, sends close_notify and closes; then a new
 *         one starts. Warm-up -w seconds, then a window of -d seconds (or -N
 *         connections in all). Reports handshakes/s, latency p50/p99,
 *         errors by kind, session tickets received per connection.
 *   tput  -n connections each pull -b bytes at the same time. Reports MB/s.
 *   idle  opens -n connections (at most -i handshakes in flight), each does
 *         the handshake and a 16-byte round trip asking the backend to hold
 *         the connection; prints "READY up=N ..." on stdout when all are up,
 *         then holds them until SIGTERM/SIGINT, stdin EOF (--stdin) or -H
 *         seconds, counting connections the peer dropped meanwhile.
 *
 * With -P PID (repeatable) and -B PID, the CPU time (utime+stime+cutime+
 * cstime from /proc) of each process and all its descendants is sampled at
 * both ends of the measured window, together with the machine's busy time
 * from /proc/stat, so the result carries the proxy's CPU per handshake or
 * per GB and the share of the machine's busy CPU that proxy, backend and
 * generator account for.
 *
 * Output: one "RESULT key=value ..." line on stdout, a human line on stderr.
 * Every wait has a deadline (-T per connection; the run as a whole too).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define MAX_THREADS 64
#define MAX_PIDS 16
#define READ_BUF (64 * 1024)
#define LAT_CAP (4u << 20) /* latency samples kept per thread */
#define HOLD_FLAG (UINT64_C(1) << 63)
#define IDLE_REQ 16

enum mode { M_HS, M_TPUT, M_IDLE };
enum ekind { E_CONNECT, E_HANDSHAKE, E_ALERT, E_IO, E_SHORT, E_TIMEOUT, E_COUNT };
static const char *const ekind_name[E_COUNT] = {"connect", "handshake", "alert", "io", "short", "timeout"};

enum cstate { C_FREE, C_CONNECT, C_HANDSHAKE, C_WRITE, C_READ, C_UP };

struct conn {
  int fd;
  enum cstate st;
  SSL *ssl;
  struct lthread *th;
  double t_start, t_hs, deadline;
  uint64_t want, got;
  unsigned char req[8];
  int tickets;
};

struct lthread {
  pthread_t tid;
  int id;
  int ep;
  SSL_CTX *ctx;
  struct conn *conns;
  int nconns;      /* slots */
  long to_start;   /* connections this thread may still start (-N, tput, idle) */
  int inflight;    /* idle: handshakes in progress */
  unsigned char *buf;
  /* results */
  long ok, started, resumed, tickets, err[E_COUNT];
  long up, dropped;
  uint64_t bytes;
  double first_start, last_done;
  double *lat_hs, *lat_conn;
  size_t nlat;
  char first_err[200];
};

static struct {
  enum mode mode;
  const char *host, *cert, *key, *ca, *sni, *verify_name, *label;
  int port, conns, threads, inflight, use_stdin, no_cert;
  long count;
  uint64_t req, tput_bytes;
  double warmup, duration, timeout, hold;
  int pids[MAX_PIDS];
  int npids;
  int backend_pid;
} opt;

static volatile sig_atomic_t sig_stop;
static atomic_int stop_all;
static atomic_long idle_up, idle_failed;
static double win_t0, win_t1; /* window bounds (hs timed mode) */
static double run_deadline;
static struct sockaddr_in target;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_signal(int sig) {
  (void)sig;
  sig_stop = 1;
}

/* ------------------------------------------------------------ /proc CPU */

struct procent {
  int pid, ppid;
  unsigned long long ticks;
};

/* Reads pid, ppid and utime+stime+cutime+cstime from /proc/PID/stat. */
static int read_stat(const char *path, struct procent *pe) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  char line[1024];
  size_t n = fread(line, 1, sizeof line - 1, f);
  fclose(f);
  line[n] = '\0';
  char *rp = strrchr(line, ')');
  if (rp == NULL) return -1;
  pe->pid = atoi(line);
  /* after ") ": field 3 state, 4 ppid, ... 14 utime 15 stime 16 cutime 17 cstime */
  char *save = NULL;
  char *tok = strtok_r(rp + 1, " ", &save);
  unsigned long long sum = 0;
  for (int field = 3; tok != NULL && field <= 17; field++, tok = strtok_r(NULL, " ", &save)) {
    if (field == 4) pe->ppid = atoi(tok);
    if (field >= 14) sum += strtoull(tok, NULL, 10);
  }
  pe->ticks = sum;
  return 0;
}

/* CPU seconds of the trees rooted at roots[0..n). */
static double tree_cpu(const int *roots, int n) {
  if (n == 0) return 0;
  size_t cap = 1024, cnt = 0;
  struct procent *all = malloc(cap * sizeof *all);
  if (all == NULL) return -1;
  DIR *d = opendir("/proc");
  if (d == NULL) {
    free(all);
    return -1;
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!isdigit((unsigned char)de->d_name[0])) continue;
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
    struct procent pe = {0, 0, 0};
    if (read_stat(path, &pe) != 0) continue;
    if (cnt == cap) {
      cap *= 2;
      struct procent *na = realloc(all, cap * sizeof *all);
      if (na == NULL) break;
      all = na;
    }
    all[cnt++] = pe;
  }
  closedir(d);
  /* mark the roots, then grow the set until no new child is found */
  char *in = calloc(cnt + 1, 1);
  if (in == NULL) {
    free(all);
    return -1;
  }
  for (size_t i = 0; i < cnt; i++)
    for (int r = 0; r < n; r++)
      if (all[i].pid == roots[r]) in[i] = 1;
  for (int changed = 1, rounds = 0; changed && rounds < 64; rounds++) {
    changed = 0;
    for (size_t i = 0; i < cnt; i++) {
      if (in[i]) continue;
      for (size_t j = 0; j < cnt; j++) {
        if (in[j] && all[j].pid == all[i].ppid) {
          in[i] = 1;
          changed = 1;
          break;
        }
      }
    }
  }
  unsigned long long sum = 0;
  for (size_t i = 0; i < cnt; i++)
    if (in[i]) sum += all[i].ticks;
  free(in);
  free(all);
  return (double)sum / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu(void) {
  struct procent pe = {0, 0, 0};
  if (read_stat("/proc/self/stat", &pe) != 0) return -1;
  return (double)pe.ticks / (double)sysconf(_SC_CLK_TCK);
}

struct machine {
  double busy, softirq;
};

static struct machine machine_cpu(void) {
  struct machine m = {0, 0};
  FILE *f = fopen("/proc/stat", "r");
  if (f == NULL) return m;
  unsigned long long v[10] = {0};
  if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
             &v[5], &v[6], &v[7]) == 8) {
    /* user nice system idle iowait irq softirq steal */
    unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    m.busy = (double)busy / (double)sysconf(_SC_CLK_TCK);
    m.softirq = (double)v[6] / (double)sysconf(_SC_CLK_TCK);
  }
  fclose(f);
  return m;
}

struct sample {
  double t, proxy, backend, self;
  struct machine m;
};

static struct sample take_sample(void) {
  struct sample s;
  s.t = now_s();
  s.proxy = tree_cpu(opt.pids, opt.npids);
  s.backend = opt.backend_pid > 0 ? tree_cpu(&opt.backend_pid, 1) : 0;
  s.self = self_cpu();
  s.m = machine_cpu();
  return s;
}

/* ------------------------------------------------------------- TLS setup */

static int ticket_cb(SSL *ssl, SSL_SESSION *sess) {
  (void)sess;
  struct conn *c = SSL_get_app_data(ssl);
  if (c != NULL) c->tickets++;
  return 0; /* not kept: the generator never resumes */
}

static void print_ssl_errors(const char *what) {
  fprintf(stderr, "mtk_load: %s\n", what);
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    fprintf(stderr, "  %s\n", buf);
  }
}

/* non-const copies: OpenSSL's ctrl macros cast their argument to char * */
static char group_p256[] = "P-256";
static char sni_name[256];

static SSL_CTX *make_ctx(void) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL) return NULL;
  int ok = SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1 &&
           SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") == 1 &&
           SSL_CTX_set1_groups_list(ctx, group_p256) == 1;
  if (!ok) {
    print_ssl_errors("cannot set TLS 1.3 / TLS_AES_128_GCM_SHA256 / P-256");
    SSL_CTX_free(ctx);
    return NULL;
  }
  if (!opt.no_cert) {
    if (SSL_CTX_use_certificate_chain_file(ctx, opt.cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, opt.key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
      fprintf(stderr, "mtk_load: client certificate %s / key %s:\n", opt.cert, opt.key);
      print_ssl_errors("cannot load the client certificate and key");
      SSL_CTX_free(ctx);
      return NULL;
    }
  }
  if (SSL_CTX_load_verify_locations(ctx, opt.ca, NULL) != 1) {
    fprintf(stderr, "mtk_load: CA file %s:\n", opt.ca);
    print_ssl_errors("cannot load the CA");
    SSL_CTX_free(ctx);
    return NULL;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);
  const char *name = opt.verify_name != NULL ? opt.verify_name : opt.host;
  if (X509_VERIFY_PARAM_set1_ip_asc(vp, name) != 1) {
    if (X509_VERIFY_PARAM_set1_host(vp, name, 0) != 1) {
      print_ssl_errors("cannot set the name to verify");
      SSL_CTX_free(ctx);
      return NULL;
    }
  }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, ticket_cb);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  if (opt.mode == M_IDLE) SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  return ctx;
}

/* ----------------------------------------------------------- connections */

static void set_events(struct conn *c, uint32_t ev) {
  struct epoll_event e = {.events = ev, .data.ptr = c};
  epoll_ctl(c->th->ep, EPOLL_CTL_MOD, c->fd, &e);
}

static void conn_release(struct conn *c) {
  if (c->ssl != NULL) SSL_free(c->ssl);
  c->ssl = NULL;
  if (c->fd >= 0) {
    epoll_ctl(c->th->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
  }
  c->fd = -1;
  if (c->th->inflight > 0 && c->st != C_UP && c->st != C_FREE) c->th->inflight--;
  c->st = C_FREE;
}

static void conn_fail(struct conn *c, enum ekind k, const char *detail) {
  struct lthread *t = c->th;
  double now = now_s();
  /* hs timed mode: count failures inside the window only */
  if (opt.mode != M_HS || opt.count > 0 || (now >= win_t0 && now < win_t1)) {
    t->err[k]++;
    if (t->first_err[0] == '\0') snprintf(t->first_err, sizeof t->first_err, "%s: %s", ekind_name[k], detail);
  }
  if (opt.mode == M_IDLE) atomic_fetch_add(&idle_failed, 1);
  ERR_clear_error();
  conn_release(c);
}

/* Classifies an OpenSSL failure: an alert from the peer, or kind k. */
static void conn_ssl_fail(struct conn *c, int sslerr, enum ekind k) {
  unsigned long e = ERR_peek_last_error();
  char buf[160];
  if (e != 0) {
    ERR_error_string_n(e, buf, sizeof buf);
    int reason = ERR_GET_REASON(e);
    if (reason >= SSL_AD_REASON_OFFSET && reason < SSL_AD_REASON_OFFSET + 256) k = E_ALERT;
    if (ERR_GET_REASON(e) == SSL_R_CERTIFICATE_VERIFY_FAILED && c->ssl != NULL) {
      long vr = SSL_get_verify_result(c->ssl);
      snprintf(buf, sizeof buf, "server certificate: %s", X509_verify_cert_error_string(vr));
    }
  } else if (sslerr == SSL_ERROR_SYSCALL) {
    snprintf(buf, sizeof buf, "%s", errno != 0 ? strerror(errno) : "connection closed");
  } else {
    snprintf(buf, sizeof buf, "SSL error %d", sslerr);
  }
  conn_fail(c, k, buf);
}

static int conn_start(struct lthread *t, struct conn *c) {
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  c->th = t;
  c->ssl = NULL;
  c->got = 0;
  c->tickets = 0;
  c->t_start = now_s();
  c->deadline = c->t_start + opt.timeout;
  c->st = C_CONNECT;
  t->started++;
  if (t->to_start > 0) t->to_start--;
  if (opt.mode == M_IDLE) t->inflight++;
  if (t->first_start == 0) t->first_start = c->t_start;
  if (c->fd < 0) {
    conn_fail(c, E_CONNECT, strerror(errno));
    return -1;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
  if (epoll_ctl(t->ep, EPOLL_CTL_ADD, c->fd, &e) != 0) {
    int err = errno;
    close(c->fd);
    c->fd = -1;
    conn_fail(c, E_CONNECT, strerror(err));
    return -1;
  }
  if (connect(c->fd, (const struct sockaddr *)&target, sizeof target) != 0 && errno != EINPROGRESS) {
    conn_fail(c, E_CONNECT, strerror(errno));
    return -1;
  }
  return 0;
}

static void conn_done(struct conn *c) {
  struct lthread *t = c->th;
  double now = now_s();
  int counted = opt.mode != M_HS || opt.count > 0 || (now >= win_t0 && now < win_t1);
  if (counted) {
    t->ok++;
    t->tickets += c->tickets;
    t->bytes += c->got;
    t->last_done = now;
    if (t->nlat < LAT_CAP) {
      t->lat_hs[t->nlat] = (c->t_hs - c->t_start) * 1e6;
      t->lat_conn[t->nlat] = (now - c->t_start) * 1e6;
      t->nlat++;
    }
  }
  /* take what already arrived (usually the peer's close_notify), so that
   * close() sends a FIN and not a reset, then close_notify and close */
  SSL_read(c->ssl, t->buf, READ_BUF);
  ERR_clear_error();
  SSL_shutdown(c->ssl);
  ERR_clear_error();
  conn_release(c);
}

static void conn_read(struct conn *c) {
  struct lthread *t = c->th;
  for (;;) {
    int r = SSL_read(c->ssl, t->buf, READ_BUF);
    if (r > 0) {
      c->got += (uint64_t)r;
      if (c->got >= c->want) {
        if (opt.mode == M_IDLE) {
          c->st = C_UP;
          t->inflight--;
          t->up++;
          t->ok++;
          t->tickets += c->tickets;
          atomic_fetch_add(&idle_up, 1);
          set_events(c, EPOLLIN | EPOLLRDHUP);
        } else {
          conn_done(c);
        }
        return;
      }
      continue;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ) {
      set_events(c, EPOLLIN);
      return;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
      set_events(c, EPOLLOUT);
      return;
    }
    if (e == SSL_ERROR_ZERO_RETURN) {
      char d[64];
      snprintf(d, sizeof d, "EOF after %llu of %llu bytes", (unsigned long long)c->got,
               (unsigned long long)c->want);
      conn_fail(c, E_SHORT, d);
      return;
    }
    conn_ssl_fail(c, e, c->got < c->want ? E_IO : E_SHORT);
    return;
  }
}

static void conn_write(struct conn *c) {
  int r = SSL_write(c->ssl, c->req, 8);
  if (r == 8) {
    c->st = C_READ;
    if (c->want == 0) conn_done(c);
    else conn_read(c);
    return;
  }
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ) set_events(c, EPOLLIN);
  else if (e == SSL_ERROR_WANT_WRITE) set_events(c, EPOLLOUT);
  else conn_ssl_fail(c, e, E_IO);
}

static void conn_handshake(struct conn *c) {
  ERR_clear_error();
  int r = SSL_do_handshake(c->ssl);
  if (r == 1) {
    c->t_hs = now_s();
    if (SSL_session_reused(c->ssl)) c->th->resumed++;
    uint64_t w = c->want | (opt.mode == M_IDLE ? HOLD_FLAG : 0);
    for (int i = 7; i >= 0; i--) {
      c->req[i] = (unsigned char)(w & 0xff);
      w >>= 8;
    }
    c->st = C_WRITE;
    conn_write(c);
    return;
  }
  int e = SSL_get_error(c->ssl, r);
  if (e == SSL_ERROR_WANT_READ) set_events(c, EPOLLIN);
  else if (e == SSL_ERROR_WANT_WRITE) set_events(c, EPOLLOUT);
  else conn_ssl_fail(c, e, E_HANDSHAKE);
}

static void conn_connected(struct conn *c) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    conn_fail(c, E_CONNECT, strerror(err));
    return;
  }
  c->ssl = SSL_new(c->th->ctx);
  if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
    conn_fail(c, E_HANDSHAKE, "SSL_new failed");
    return;
  }
  SSL_set_app_data(c->ssl, c);
  SSL_set_connect_state(c->ssl);
  if (sni_name[0] != '\0') SSL_set_tlsext_host_name(c->ssl, sni_name);
  c->st = C_HANDSHAKE;
  conn_handshake(c);
}

static void conn_event(struct conn *c, uint32_t ev) {
  switch (c->st) {
    case C_CONNECT: conn_connected(c); break;
    case C_HANDSHAKE: conn_handshake(c); break;
    case C_WRITE: conn_write(c); break;
    case C_READ: conn_read(c); break;
    case C_UP: {
      /* an idle connection must stay silent: data or EOF means the peer
       * gave it up (or sent something the generator does not expect) */
      char b[256];
      ssize_t r = recv(c->fd, b, sizeof b, MSG_PEEK);
      if (r == 0 || (r < 0 && errno != EAGAIN) || (ev & (EPOLLHUP | EPOLLERR | EPOLLRDHUP))) {
        c->th->dropped++;
        conn_release(c);
      } else if (r > 0) {
        /* e.g. late session tickets: let OpenSSL consume them */
        int n = SSL_read(c->ssl, c->th->buf, READ_BUF);
        if (n <= 0) {
          int e = SSL_get_error(c->ssl, n);
          if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            c->th->dropped++;
            ERR_clear_error();
            conn_release(c);
          }
        }
      }
      break;
    }
    case C_FREE: break;
  }
}

static int want_more(struct lthread *t, double now) {
  if (atomic_load(&stop_all)) return 0;
  if (opt.mode == M_HS && opt.count == 0) return now < win_t1;
  return t->to_start > 0;
}

static void *thread_main(void *arg) {
  struct lthread *t = arg;
  struct epoll_event evs[256];
  double next_sweep = 0;
  for (;;) {
    double now = now_s();
    if (now >= run_deadline || sig_stop) atomic_store(&stop_all, 1);
    if (atomic_load(&stop_all) && opt.mode != M_IDLE) break;
    if (opt.mode == M_IDLE && atomic_load(&stop_all)) break;
    /* fill free slots */
    int active = 0;
    for (int i = 0; i < t->nconns; i++) {
      struct conn *c = &t->conns[i];
      if (c->st == C_FREE && want_more(t, now) && (opt.mode != M_IDLE || t->inflight < opt.inflight))
        conn_start(t, c);
      if (c->st != C_FREE) active++;
    }
    /* hs: after the window no new connection starts, and the ones in flight
     * may finish (uncounted) until run_deadline, so that the proxy sees
     * ordinary closes rather than clients vanishing mid-handshake */
    if (active == 0 && !want_more(t, now)) break;
    int n = epoll_wait(t->ep, evs, 256, 50);
    for (int i = 0; i < n; i++) conn_event(evs[i].data.ptr, evs[i].events);
    now = now_s();
    if (now >= next_sweep) {
      for (int i = 0; i < t->nconns; i++) {
        struct conn *c = &t->conns[i];
        if (c->st != C_FREE && c->st != C_UP && now > c->deadline) {
          char d[80];
          snprintf(d, sizeof d, "no progress within %.0f s (state %d)", opt.timeout, (int)c->st);
          conn_fail(c, E_TIMEOUT, d);
        }
      }
      next_sweep = now + 0.1;
    }
  }
  for (int i = 0; i < t->nconns; i++) {
    struct conn *c = &t->conns[i];
    if (c->st == C_FREE) continue;
    /* established connections end with close_notify, like in hs mode */
    if (c->ssl != NULL && SSL_is_init_finished(c->ssl)) SSL_shutdown(c->ssl);
    ERR_clear_error();
    conn_release(c);
  }
  return NULL;
}

/* --------------------------------------------------------------- results */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p) {
  if (n == 0) return 0;
  size_t i = (size_t)(p * (double)(n - 1) + 0.5);
  return v[i];
}

static void usage(FILE *f) {
  fprintf(f,
"usage: mtk_load -m hs|tput|idle -p PORT -c CERT -k KEY -C CA [options]\n"
"\n"
"mTLS load generator: every connection is a new TCP connection with a full\n"
"TLS 1.3 handshake (client certificate, no resumption), P-256 and\n"
"TLS_AES_128_GCM_SHA256 only, server certificate verified against CA and the\n"
"address (or --verify-name). Speaks the mtk_backend protocol through the proxy.\n"
"\n"
"Modes:\n"
"  hs     N connections at once: handshake, request R bytes, read them,\n"
"         close_notify, close, repeat; warm-up then a measured window\n"
"  tput   N connections each pull B bytes at once; MB/s (MB = 10^6 bytes)\n"
"  idle   open N connections (handshake + 16-byte round trip, backend told to\n"
"         hold), print \"READY up=...\" on stdout when all are up, hold them\n"
"         until SIGTERM/SIGINT, stdin EOF (--stdin) or --hold seconds\n"
"\n"
"Options:\n"
"  -m, --mode M          hs, tput or idle (required)\n"
"  -a, --host ADDR       IPv4 address of the proxy (default 127.0.0.1)\n"
"  -p, --port PORT       its port (required)\n"
"  -c, --cert FILE       client certificate chain, PEM\n"
"  -k, --key FILE        its private key, PEM\n"
"      --no-cert         send no client certificate (for enforcement checks)\n"
"  -C, --ca FILE         CA for the server certificate (required)\n"
"      --verify-name N   name or IP the server certificate must carry (default: --host)\n"
"  -S, --sni NAME        SNI to send (default: none)\n"
"  -n, --conns N         connections (hs: concurrent, default 32; tput: 8; idle: 10000)\n"
"  -t, --threads N       threads, each with its own epoll loop (default 2)\n"
"  -r, --req BYTES       hs: bytes asked from the backend per connection (default 64)\n"
"  -b, --bytes BYTES     tput: bytes per connection (default 268435456)\n"
"  -w, --warmup S        hs: warm-up seconds (default 1)\n"
"  -d, --duration S      hs: measured window in seconds (default 10)\n"
"  -N, --count N         hs: run exactly N connections instead of a timed window\n"
"  -T, --timeout S       per-connection deadline (default: hs 10, tput 120, idle 60);\n"
"                        tput and idle: also the deadline of the whole run/ramp-up\n"
"  -i, --inflight N      idle: handshakes in flight at once (default 64)\n"
"  -H, --hold S          idle: hold for S seconds after READY (default 0: until\n"
"                        a signal or, with --stdin, stdin EOF; at most 3600)\n"
"      --stdin           idle: stop holding when stdin reaches EOF\n"
"  -P, --pid PID         proxy process: CPU of it and its descendants (repeatable)\n"
"  -B, --backend-pid PID backend process, for the accounted share\n"
"  -L, --label NAME      label copied into the RESULT line\n"
"  -h, --help            this help\n"
"\n"
"Output: one line \"RESULT key=value ...\" on stdout (see bench/README.md for the\n"
"keys) and a human summary on stderr.\n"
"\n"
"Exit status:\n"
"  0  every connection succeeded (idle: all up, none dropped)\n"
"  1  some connections failed (the RESULT line says how), or no connection at all\n"
"  2  bad usage, unreadable certificate/key/CA, or setup failure\n");
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  char *end = NULL;
  errno = 0;
  if (s[0] == '-') return -1;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static int parse_secs(const char *s, double lo, double hi, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) return -1;
  *out = v;
  return 0;
}

static int bad_value(int option, const char *value) {
  fprintf(stderr, "mtk_load: bad value for -%c: '%s' (see --help for the range)\n", option, value);
  return 2;
}

static void free_threads(struct lthread *th, int n) {
  for (int i = 0; i < n; i++) {
    if (th[i].ctx != NULL) SSL_CTX_free(th[i].ctx);
    if (th[i].ep >= 0) close(th[i].ep);
    free(th[i].conns);
    free(th[i].buf);
    free(th[i].lat_hs);
    free(th[i].lat_conn);
  }
  free(th);
}

int main(int argc, char **argv) {
  static const struct option lopts[] = {
      {"mode", required_argument, NULL, 'm'},     {"host", required_argument, NULL, 'a'},
      {"port", required_argument, NULL, 'p'},     {"cert", required_argument, NULL, 'c'},
      {"key", required_argument, NULL, 'k'},      {"ca", required_argument, NULL, 'C'},
      {"sni", required_argument, NULL, 'S'},      {"conns", required_argument, NULL, 'n'},
      {"threads", required_argument, NULL, 't'},  {"req", required_argument, NULL, 'r'},
      {"bytes", required_argument, NULL, 'b'},    {"warmup", required_argument, NULL, 'w'},
      {"duration", required_argument, NULL, 'd'}, {"count", required_argument, NULL, 'N'},
      {"timeout", required_argument, NULL, 'T'},  {"inflight", required_argument, NULL, 'i'},
      {"hold", required_argument, NULL, 'H'},     {"pid", required_argument, NULL, 'P'},
      {"backend-pid", required_argument, NULL, 'B'}, {"label", required_argument, NULL, 'L'},
      {"help", no_argument, NULL, 'h'},           {"no-cert", no_argument, NULL, 1},
      {"stdin", no_argument, NULL, 2},            {"verify-name", required_argument, NULL, 3},
      {NULL, 0, NULL, 0}};
  opt.host = "127.0.0.1";
  opt.threads = 2;
  opt.req = 64;
  opt.tput_bytes = UINT64_C(256) << 20;
  opt.warmup = 1;
  opt.duration = 10;
  opt.inflight = 64;
  opt.label = "-";
  opt.mode = M_HS;
  int have_mode = 0, ch;
  uint64_t u;
  double timeout = -1;
  while ((ch = getopt_long(argc, argv, "m:a:p:c:k:C:S:n:t:r:b:w:d:N:T:i:H:P:B:L:h", lopts, NULL)) != -1) {
    switch (ch) {
      case 'm':
        have_mode = 1;
        if (strcmp(optarg, "hs") == 0) opt.mode = M_HS;
        else if (strcmp(optarg, "tput") == 0) opt.mode = M_TPUT;
        else if (strcmp(optarg, "idle") == 0) opt.mode = M_IDLE;
        else {
          fprintf(stderr, "mtk_load: --mode %s: expected hs, tput or idle\n", optarg);
          return 2;
        }
        break;
      case 'a': opt.host = optarg; break;
      case 'p':
        if (parse_u64(optarg, 1, 65535, &u) != 0) return bad_value(ch, optarg);
        opt.port = (int)u;
        break;
      case 'c': opt.cert = optarg; break;
      case 'k': opt.key = optarg; break;
      case 'C': opt.ca = optarg; break;
      case 'S': opt.sni = optarg; break;
      case 'n':
        if (parse_u64(optarg, 1, 1000000, &u) != 0) return bad_value(ch, optarg);
        opt.conns = (int)u;
        break;
      case 't':
        if (parse_u64(optarg, 1, MAX_THREADS, &u) != 0) return bad_value(ch, optarg);
        opt.threads = (int)u;
        break;
      case 'r':
        if (parse_u64(optarg, 0, UINT64_C(1) << 40, &opt.req) != 0) return bad_value(ch, optarg);
        break;
      case 'b':
        if (parse_u64(optarg, 1, UINT64_C(1) << 40, &opt.tput_bytes) != 0) return bad_value(ch, optarg);
        break;
      case 'w':
        if (parse_secs(optarg, 0, 3600, &opt.warmup) != 0) return bad_value(ch, optarg);
        break;
      case 'd':
        if (parse_secs(optarg, 0.1, 3600, &opt.duration) != 0) return bad_value(ch, optarg);
        break;
      case 'N':
        if (parse_u64(optarg, 1, 100000000, &u) != 0) return bad_value(ch, optarg);
        opt.count = (long)u;
        break;
      case 'T':
        if (parse_secs(optarg, 0.1, 3600, &timeout) != 0) return bad_value(ch, optarg);
        break;
      case 'i':
        if (parse_u64(optarg, 1, 100000, &u) != 0) return bad_value(ch, optarg);
        opt.inflight = (int)u;
        break;
      case 'H':
        if (parse_secs(optarg, 0, 3600, &opt.hold) != 0) return bad_value(ch, optarg);
        break;
      case 'P':
        if (opt.npids == MAX_PIDS || parse_u64(optarg, 1, 1u << 30, &u) != 0) return bad_value(ch, optarg);
        opt.pids[opt.npids++] = (int)u;
        break;
      case 'B':
        if (parse_u64(optarg, 1, 1u << 30, &u) != 0) return bad_value(ch, optarg);
        opt.backend_pid = (int)u;
        break;
      case 'L': opt.label = optarg; break;
      case 1: opt.no_cert = 1; break;
      case 2: opt.use_stdin = 1; break;
      case 3: opt.verify_name = optarg; break;
      case 'h': usage(stdout); return 0;
      default: usage(stderr); return 2;
    }
  }
  if (optind != argc || !have_mode || opt.port == 0 || opt.ca == NULL ||
      (!opt.no_cert && (opt.cert == NULL || opt.key == NULL))) {
    fprintf(stderr, "mtk_load: need -m MODE, -p PORT, -C CA and -c CERT -k KEY (or --no-cert)\n");
    usage(stderr);
    return 2;
  }
  if (opt.sni != NULL) {
    if (strlen(opt.sni) >= sizeof sni_name) {
      fprintf(stderr, "mtk_load: --sni: longer than %zu bytes\n", sizeof sni_name - 1);
      return 2;
    }
    memcpy(sni_name, opt.sni, strlen(opt.sni) + 1);
  }
  if (opt.conns == 0) opt.conns = opt.mode == M_HS ? 32 : opt.mode == M_TPUT ? 8 : 10000;
  if (timeout < 0) timeout = opt.mode == M_HS ? 10 : opt.mode == M_TPUT ? 120 : 60;
  opt.timeout = timeout;
  if (opt.threads > opt.conns) opt.threads = opt.conns;

  memset(&target, 0, sizeof target);
  target.sin_family = AF_INET;
  target.sin_port = htons((uint16_t)opt.port);
  if (inet_pton(AF_INET, opt.host, &target.sin_addr) != 1) {
    fprintf(stderr, "mtk_load: --host %s: not an IPv4 address\n", opt.host);
    return 2;
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct lthread *th = calloc((size_t)opt.threads, sizeof *th);
  if (th == NULL) return 2;
  long per_count = 0;
  for (int i = 0; i < opt.threads; i++) {
    struct lthread *t = &th[i];
    t->id = i;
    t->ep = -1;
    t->nconns = opt.conns / opt.threads + (i < opt.conns % opt.threads ? 1 : 0);
    if (opt.mode == M_HS && opt.count > 0) {
      per_count = opt.count / opt.threads + (i < opt.count % opt.threads ? 1 : 0);
      t->to_start = per_count;
      if (t->nconns > per_count) t->nconns = (int)per_count;
    } else {
      t->to_start = t->nconns;
    }
    t->ctx = make_ctx();
    t->ep = epoll_create1(EPOLL_CLOEXEC);
    t->conns = calloc((size_t)(t->nconns > 0 ? t->nconns : 1), sizeof *t->conns);
    t->buf = malloc(READ_BUF);
    size_t lat = opt.mode == M_IDLE ? 1 : LAT_CAP;
    if (opt.mode == M_IDLE || opt.mode == M_TPUT) lat = (size_t)t->nconns + 1;
    t->lat_hs = malloc(lat * sizeof(double));
    t->lat_conn = malloc(lat * sizeof(double));
    if (t->ctx == NULL || t->ep < 0 || t->conns == NULL || t->buf == NULL || t->lat_hs == NULL ||
        t->lat_conn == NULL) {
      free_threads(th, i + 1);
      return 2;
    }
    for (int k = 0; k < t->nconns; k++) {
      t->conns[k].fd = -1;
      t->conns[k].th = t;
      t->conns[k].st = C_FREE;
      t->conns[k].want = opt.mode == M_HS ? opt.req : opt.mode == M_TPUT ? opt.tput_bytes : IDLE_REQ;
    }
  }

  double start = now_s();
  win_t0 = start + (opt.mode == M_HS && opt.count == 0 ? opt.warmup : 0);
  win_t1 = win_t0 + (opt.mode == M_HS && opt.count == 0 ? opt.duration : 1e9);
  if (opt.mode == M_HS && opt.count == 0) run_deadline = win_t1 + (opt.timeout < 3 ? opt.timeout : 3);
  else if (opt.mode == M_HS) run_deadline = start + opt.timeout * 10 + (double)opt.count / 10.0;
  else if (opt.mode == M_TPUT) run_deadline = start + opt.timeout;
  else run_deadline = start + opt.timeout + (opt.hold > 0 ? opt.hold : 3600) + 5;

  struct sample s0, s1;
  memset(&s0, 0, sizeof s0);
  memset(&s1, 0, sizeof s1);
  int timed = opt.mode == M_HS && opt.count == 0;
  if (!timed && opt.mode != M_IDLE) s0 = take_sample();
  for (int i = 0; i < opt.threads; i++) {
    if (pthread_create(&th[i].tid, NULL, thread_main, &th[i]) != 0) {
      fprintf(stderr, "mtk_load: cannot start threads\n");
      return 2;
    }
  }
  long ready_up = 0, ready_failed = 0;
  double ready_t = 0, held = 0;
  if (timed) {
    struct timespec ts;
    double target_t = win_t0;
    while (now_s() < target_t && !sig_stop) {
      double left = target_t - now_s();
      ts.tv_sec = (time_t)left;
      ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
      nanosleep(&ts, NULL);
    }
    s0 = take_sample();
    target_t = win_t1;
    while (now_s() < target_t && !sig_stop) {
      double left = target_t - now_s();
      if (left > 0.2) left = 0.2;
      ts.tv_sec = (time_t)left;
      ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
      nanosleep(&ts, NULL);
    }
    s1 = take_sample();
  } else if (opt.mode == M_IDLE) {
    /* ramp-up: until every connection is up or failed, bounded by -T */
    double ramp_end = start + opt.timeout;
    while (!sig_stop && now_s() < ramp_end &&
           atomic_load(&idle_up) + atomic_load(&idle_failed) < (long)opt.conns) {
      struct timespec ts = {0, 20000000};
      nanosleep(&ts, NULL);
    }
    ready_t = now_s() - start;
    ready_up = atomic_load(&idle_up);
    ready_failed = atomic_load(&idle_failed);
    printf("READY up=%ld failed=%ld conns=%d ramp_s=%.2f\n", ready_up, ready_failed, opt.conns, ready_t);
    fflush(stdout);
    s0 = take_sample();
    double hold_start = now_s();
    double hold_end = hold_start + (opt.hold > 0 ? opt.hold : 3600);
    while (!sig_stop && now_s() < hold_end) {
      if (opt.use_stdin) {
        struct pollfd p = {.fd = 0, .events = POLLIN};
        if (poll(&p, 1, 100) > 0) {
          char b[256];
          ssize_t r = read(0, b, sizeof b);
          if (r <= 0) break;
        }
      } else {
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
      }
    }
    held = now_s() - hold_start;
    s1 = take_sample();
    atomic_store(&stop_all, 1);
  }
  for (int i = 0; i < opt.threads; i++) pthread_join(th[i].tid, NULL);
  if (!timed && opt.mode != M_IDLE) s1 = take_sample();

  /* aggregate */
  long ok = 0, resumed = 0, tickets = 0, err[E_COUNT] = {0}, errors = 0, dropped = 0;
  uint64_t bytes = 0;
  double first = 0, last = 0;
  size_t nlat = 0;
  const char *first_err = NULL;
  for (int i = 0; i < opt.threads; i++) {
    struct lthread *t = &th[i];
    ok += t->ok;
    resumed += t->resumed;
    tickets += t->tickets;
    bytes += t->bytes;
    dropped += t->dropped;
    nlat += t->nlat;
    for (int k = 0; k < E_COUNT; k++) err[k] += t->err[k];
    if (t->first_start > 0 && (first == 0 || t->first_start < first)) first = t->first_start;
    if (t->last_done > last) last = t->last_done;
    if (first_err == NULL && t->first_err[0] != '\0') first_err = t->first_err;
  }
  for (int k = 0; k < E_COUNT; k++) errors += err[k];
  double *lh = malloc((nlat + 1) * sizeof(double)), *lc = malloc((nlat + 1) * sizeof(double));
  if (lh == NULL || lc == NULL) return 2;
  size_t pos = 0;
  for (int i = 0; i < opt.threads; i++) {
    memcpy(lh + pos, th[i].lat_hs, th[i].nlat * sizeof(double));
    memcpy(lc + pos, th[i].lat_conn, th[i].nlat * sizeof(double));
    pos += th[i].nlat;
  }
  qsort(lh, nlat, sizeof(double), cmp_double);
  qsort(lc, nlat, sizeof(double), cmp_double);

  double win = s1.t - s0.t;
  double proxy_cpu = s1.proxy - s0.proxy;
  double backend_cpu = s1.backend - s0.backend;
  double gen_cpu = s1.self - s0.self;
  double busy = s1.m.busy - s0.m.busy;
  double softirq = s1.m.softirq - s0.m.softirq;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  double busy_pct = win > 0 ? 100.0 * busy / (win * (double)ncpu) : 0;
  double accounted = busy > 0 ? 100.0 * (proxy_cpu + backend_cpu + gen_cpu) / busy : 0;
  double tpc = ok > 0 ? (double)tickets / (double)ok : 0;

  char common[512];
  snprintf(common, sizeof common,
           "proxy_cpu_s=%.3f backend_cpu_s=%.3f gen_cpu_s=%.3f machine_busy_pct=%.1f accounted_pct=%.1f "
           "softirq_s=%.3f ncpu=%ld",
           proxy_cpu, backend_cpu, gen_cpu, busy_pct, accounted, softirq, ncpu);
  char errs[256];
  snprintf(errs, sizeof errs, "errors=%ld err_connect=%ld err_handshake=%ld err_alert=%ld err_io=%ld err_short=%ld err_timeout=%ld",
           errors, err[E_CONNECT], err[E_HANDSHAKE], err[E_ALERT], err[E_IO], err[E_SHORT], err[E_TIMEOUT]);
  int rc = 0;
  if (opt.mode == M_HS) {
    double secs = timed ? win : (last > first ? last - first : 0);
    double rate = secs > 0 ? (double)ok / secs : 0;
    double cpu_hs = ok > 0 ? proxy_cpu / (double)ok * 1e6 : 0;
    printf("RESULT mode=hs label=%s conns=%d threads=%d window_s=%.3f ok=%ld hs_per_s=%.1f hs_p50_us=%.0f "
           "hs_p99_us=%.0f conn_p50_us=%.0f conn_p99_us=%.0f %s resumed=%ld tickets_per_conn=%.2f "
           "proxy_cpu_us_per_hs=%.1f %s\n",
           opt.label, opt.conns, opt.threads, secs, ok, rate, pct(lh, nlat, 0.5), pct(lh, nlat, 0.99),
           pct(lc, nlat, 0.5), pct(lc, nlat, 0.99), errs, resumed, tpc, cpu_hs, common);
    fprintf(stderr,
            "mtk_load hs %s: %ld handshakes in %.2f s = %.0f/s, handshake p50 %.2f ms p99 %.2f ms, "
            "%ld errors, resumed %ld, %.2f tickets/conn, proxy %.0f us CPU/handshake, accounted %.0f%%\n",
            opt.label, ok, secs, rate, pct(lh, nlat, 0.5) / 1e3, pct(lh, nlat, 0.99) / 1e3, errors, resumed,
            tpc, cpu_hs, accounted);
    if (errors > 0 || ok == 0 || resumed > 0) rc = 1;
  } else if (opt.mode == M_TPUT) {
    double secs = last > first ? last - first : 0;
    double mbps = secs > 0 ? (double)bytes / secs / 1e6 : 0;
    double cpu_gb = bytes > 0 ? proxy_cpu / ((double)bytes / 1e9) : 0;
    printf("RESULT mode=tput label=%s conns=%d threads=%d ok=%ld bytes=%llu secs=%.3f mb_per_s=%.1f "
           "proxy_cpu_s_per_gb=%.3f %s resumed=%ld tickets_per_conn=%.2f %s\n",
           opt.label, opt.conns, opt.threads, ok, (unsigned long long)bytes, secs, mbps, cpu_gb, errs, resumed,
           tpc, common);
    fprintf(stderr, "mtk_load tput %s: %llu bytes in %.2f s = %.0f MB/s, proxy %.3f CPU-s/GB, %ld errors, accounted %.0f%%\n",
            opt.label, (unsigned long long)bytes, secs, mbps, cpu_gb, errors, accounted);
    if (errors > 0 || ok != opt.conns || resumed > 0) rc = 1;
  } else {
    printf("RESULT mode=idle label=%s conns=%d threads=%d up=%ld failed=%ld ramp_s=%.2f held_s=%.2f dropped=%ld "
           "%s resumed=%ld tickets_per_conn=%.2f %s\n",
           opt.label, opt.conns, opt.threads, ready_up, ready_failed, ready_t, held, dropped, errs, resumed, tpc,
           common);
    fprintf(stderr, "mtk_load idle %s: %ld of %d up in %.2f s, held %.1f s, %ld dropped, %ld errors\n", opt.label,
            ready_up, opt.conns, ready_t, held, dropped, errors);
    if (ready_up != opt.conns || dropped > 0 || resumed > 0) rc = 1;
  }
  if (first_err != NULL) fprintf(stderr, "mtk_load: first error: %s\n", first_err);
  fflush(stdout);
  free_threads(th, opt.threads);
  free(lh);
  free(lc);
  return rc;
}

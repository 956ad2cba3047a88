/* cmd_demo.c: `mtlskit demo`: the whole mTLS story on 127.0.0.1, with
 * throwaway files. A dev PKI made by this binary's own `pki init|issue`, a
 * tiny plaintext backend (a forked child), `mtlskit proxy server` in front of
 * it and `mtlskit proxy client` (child processes of /proc/self/exe), then an
 * allowed client (through the client proxy, and through curl when it is
 * installed), a client with the wrong identity and one from another CA
 * (both driven here with OpenSSL, and refused), the proxy's log line for
 * each, a short decode of the certificates, and cleanup. Every wait is
 * bounded; every child is killed on every way out (and by PR_SET_PDEATHSIG
 * if the demo itself dies). */
#define _XOPEN_SOURCE 700 /* nftw */

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cli.h"

#define ALLOWED_ID "spiffe://demo.example/ns/prod/sa/web"
#define INTRUDER_ID "spiffe://demo.example/ns/prod/sa/intruder"
#define GREETING "hello from the backend"

static const cli_opt demo_opts[] = {
    {"keep", 'k', "DIR", "work in DIR (created) and keep it: PKI, logs"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_demo = {
    "demo",
    "[--keep DIR]",
    "Run the mutual TLS story on 127.0.0.1: dev PKI, proxy, allowed and refused clients.",
    "Makes a throwaway dev PKI (mtlskit pki), starts a small plaintext backend\n"
    "and `mtlskit proxy server` in front of it on 127.0.0.1 (allowing only\n"
    ALLOWED_ID "), then shows an allowed client getting\n"
    "through (via `mtlskit proxy client`, and via curl if installed), a client\n"
    "with a wrong identity and a client from an untrusted CA being refused\n"
    "(with the proxy's log line), decodes the certificates involved, stops\n"
    "everything and removes its files (unless --keep). Every wait is bounded.",
    demo_opts,
    "  0  every step behaved as expected\n"
    "  1  a step did not (the output says which)\n"
    "  2  bad usage\n",
    cmd_demo,
};

/* ---- state shared by every exit path ------------------------------------------------ */

#define MAX_KIDS 8
static pid_t g_kids[MAX_KIDS];
static volatile sig_atomic_t g_stop;
static int g_pass, g_fail;
static bool g_utf8;
static char g_dir[4096];

static void on_signal(int sig) { g_stop = sig; }

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void kid_add(pid_t p) {
  for (int i = 0; i < MAX_KIDS; i++)
    if (g_kids[i] == 0) {
      g_kids[i] = p;
      return;
    }
}

static void kid_forget(pid_t p) {
  for (int i = 0; i < MAX_KIDS; i++)
    if (g_kids[i] == p) g_kids[i] = 0;
}

/* wait_kid waits up to |secs| for |p|; then SIGKILL. Returns the exit code,
 * 128+signal when it died of a signal, -1 when it had to be killed. */
static int wait_kid(pid_t p, double secs) {
  double end = now_s() + secs;
  int st = 0;
  for (;;) {
    pid_t r = waitpid(p, &st, WNOHANG);
    if (r == p) break;
    if (r < 0 && errno != EINTR) {
      kid_forget(p);
      return -1;
    }
    if (now_s() > end || (g_stop && secs > 1.0)) {
      kill(p, SIGKILL);
      while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
      }
      kid_forget(p);
      return -1;
    }
    nap_ms(10);
  }
  kid_forget(p);
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

/* stop_kid: SIGTERM, wait up to |secs|, then SIGKILL. */
static int stop_kid(pid_t p, double secs) {
  if (p <= 0) return -1;
  kill(p, SIGTERM);
  return wait_kid(p, secs);
}

static void kill_all_kids(void) {
  for (int i = 0; i < MAX_KIDS; i++)
    if (g_kids[i] > 0) {
      pid_t p = g_kids[i];
      kill(p, SIGKILL);
      while (waitpid(p, NULL, 0) < 0 && errno == EINTR) {
      }
      g_kids[i] = 0;
    }
}

/* spawn runs this binary with |args| (NULL-terminated, args[0] is the
 * subcommand), stdout to |out| and stderr to |err| (NULL: /dev/null).
 * |exe| NULL means /proc/self/exe; otherwise execvp(exe). */
static pid_t spawn(const char *exe, const char *const *args, const char *out, const char *err) {
  char *argv[32];
  size_t n = 0;
  const char *self = "mtlskit";
  memcpy(&argv[n++], exe ? &exe : &self, sizeof argv[0]);
  for (; args[n - 1] != NULL && n < 31; n++) memcpy(&argv[n], &args[n - 1], sizeof argv[0]);
  argv[n] = NULL;
  pid_t parent = getpid();
  fflush(stdout);
  fflush(stderr);
  pid_t p = fork();
  if (p < 0) return -1;
  if (p == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int in = open("/dev/null", O_RDONLY);
    int o = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || o < 0 || e < 0) _exit(127);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    if (exe)
      execvp(exe, argv);
    else
      execv("/proc/self/exe", argv);
    _exit(127);
  }
  kid_add(p);
  return p;
}

/* run: spawn and wait (bounded). Returns the exit code (-1 timeout). */
static int run(const char *exe, const char *const *args, const char *out, const char *err,
               double secs) {
  pid_t p = spawn(exe, args, out, err);
  if (p < 0) return -1;
  return wait_kid(p, secs);
}

/* ---- output ---------------------------------------------------------------------------- */

static void step(bool ok, const char *fmt, ...) MTK_PRINTF(2, 3);
static void step(bool ok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs(ok ? (g_utf8 ? "\xE2\x9C\x93 " : "[ok] ") : (g_utf8 ? "\xE2\x9C\x97 " : "[FAIL] "), stdout);
  printf("%d. ", g_pass + g_fail + 1);
  vprintf(fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
  fflush(stdout);
  if (ok)
    g_pass++;
  else
    g_fail++;
}

static void path(char *buf, size_t n, const char *rel) {
  snprintf(buf, n, "%s/%s", g_dir, rel);
}

/* read_text reads a whole (small) file into a malloc'ed NUL-terminated buffer. */
static char *read_text(const char *file) {
  FILE *f = fopen(file, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  char *b = malloc(cap);
  while (b) {
    if (cap - len < 2048) {
      char *nb = realloc(b, cap * 2);
      if (!nb) {
        free(b);
        b = NULL;
        break;
      }
      b = nb;
      cap *= 2;
    }
    size_t r = fread(b + len, 1, cap - len - 1, f);
    if (r == 0) break;
    len += r;
  }
  fclose(f);
  if (b) b[len] = '\0';
  return b;
}

/* find_line waits up to |secs| for a line of |file| holding |a| and |b|
 * (b may be NULL); copies it (without the newline) to |out|. */
static bool find_line(const char *file, const char *a, const char *b, double secs, char *out,
                      size_t outlen) {
  double end = now_s() + secs;
  do {
    char *t = read_text(file);
    if (t) {
      for (char *line = t; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (strstr(line, a) && (b == NULL || strstr(line, b))) {
          snprintf(out, outlen, "%s", line);
          free(t);
          return true;
        }
        if (!nl) break;
        line = nl + 1;
      }
      free(t);
    }
    if (g_stop) return false;
    nap_ms(20);
  } while (now_s() < end);
  return false;
}

/* ---- sockets ----------------------------------------------------------------------------- */

static void set_timeouts(int fd, long secs) {
  struct timeval tv = {secs, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int listen_loopback(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t sl = sizeof sa;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 16) != 0 ||
      getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(sa.sin_port);
  return fd;
}

/* free_port: a port the kernel just had free (bound to 0, then closed). */
static int free_port(void) {
  int port = 0;
  int fd = listen_loopback(&port);
  if (fd < 0) return -1;
  close(fd);
  return port;
}

static int connect_loopback(int port, long secs) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  set_timeouts(fd, secs);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons((uint16_t)port);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static void send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return;
    p += w;
    n -= (size_t)w;
  }
}

/* The backend: one connection at a time (the demo makes them one by one),
 * each bounded by socket timeouts. "GET " gets a minimal HTTP answer; anything
 * else gets the greeting line, then its bytes echoed until EOF. */
static void backend_main(int lfd) {
  for (;;) {
    int c = accept(lfd, NULL, NULL);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      _exit(1);
    }
    set_timeouts(c, 5);
    char buf[4096];
    ssize_t n = recv(c, buf, sizeof buf, 0);
    if (n >= 4 && memcmp(buf, "GET ", 4) == 0) {
      static const char http[] =
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 23\r\n"
          "Connection: close\r\n\r\n" GREETING "\n";
      send_all(c, http, sizeof http - 1);
    } else {
      send_all(c, GREETING "\n", sizeof GREETING);
      while (n > 0) {
        send_all(c, buf, (size_t)n);
        n = recv(c, buf, sizeof buf, 0);
      }
    }
    shutdown(c, SHUT_WR);
    while (recv(c, buf, sizeof buf, 0) > 0) {
    }
    close(c);
  }
}

static pid_t start_backend(int *port) {
  int lfd = listen_loopback(port);
  if (lfd < 0) return -1;
  pid_t parent = getpid();
  fflush(stdout);
  fflush(stderr);
  pid_t p = fork();
  if (p == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    backend_main(lfd);
    _exit(0);
  }
  close(lfd);
  if (p > 0) kid_add(p);
  return p;
}

/* start_proxy starts `mtlskit proxy MODE --listen 127.0.0.1:PORT ...` on a
 * free port (three tries), waits (bounded) for its "start" line. */
static pid_t start_proxy(const char *const *args, size_t listen_idx, const char *log, int *port) {
  for (int attempt = 0; attempt < 3 && !g_stop; attempt++) {
    int p = free_port();
    if (p < 0) continue;
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", p);
    const char *a[32];
    size_t i = 0;
    for (; args[i] != NULL && i < 31; i++) a[i] = args[i];
    a[i] = NULL;
    a[listen_idx] = listen;
    pid_t pid = spawn(NULL, a, NULL, log);
    if (pid < 0) return -1;
    char line[512];
    double end = now_s() + 10.0;
    bool up = false;
    while (now_s() < end && !g_stop) {
      if (find_line(log, "\"event\":\"start\"", NULL, 0.0, line, sizeof line)) {
        up = true;
        break;
      }
      if (waitpid(pid, NULL, WNOHANG) == pid) {
        kid_forget(pid);
        pid = -1;
        break;
      }
      nap_ms(20);
    }
    if (up) {
      *port = p;
      return pid;
    }
    if (pid > 0) stop_kid(pid, 2.0);
  }
  return -1;
}

/* ---- an in-process TLS client --------------------------------------------------------------- */

/* tls_client connects with |cert|/|key| (server verified against |ca|, IP
 * 127.0.0.1), sends a line and reads. Returns 1 when the backend answered,
 * 0 when the proxy refused (|why| says how), -1 on a local error. */
static int tls_client(int port, const char *cert, const char *key, const char *ca, char *why,
                      size_t whylen) {
  int rc = -1;
  SSL *ssl = NULL;
  int fd = -1;
  char buf[256];
  int n = -1, ret, sys_errno, ssl_err;
  ERR_clear_error();
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  snprintf(why, whylen, "local setup failed");
  if (!ctx || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
    goto out;
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  ssl = SSL_new(ctx);
  if (!ssl || X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1") != 1) goto out;
  fd = connect_loopback(port, 10);
  if (fd < 0 || SSL_set_fd(ssl, fd) != 1) {
    snprintf(why, whylen, "could not connect");
    goto out;
  }
  errno = 0;
  ret = SSL_connect(ssl);
  if (ret == 1) {
    /* TLS 1.3: the server judges our certificate after our Finished; wait
     * a moment for its alert before writing (unread data would turn its
     * close into a reset that can swallow the alert). */
    struct pollfd pfd = {fd, POLLIN, 0};
    if (poll(&pfd, 1, 2000) <= 0) ret = SSL_write(ssl, "hi\n", 3);
  }
  if (ret > 0) ret = n = SSL_read(ssl, buf, sizeof buf - 1);
  sys_errno = errno;
  ssl_err = ret > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, ret);
  if (n > 0) {
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl) *nl = '\0';
    snprintf(why, whylen, "%s", buf);
    rc = 1;
  } else {
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    if (r)
      snprintf(why, whylen, "the handshake failed (%s)", r);
    else if (ssl_err == SSL_ERROR_SYSCALL && sys_errno != 0)
      snprintf(why, whylen, "the connection was cut (%s)", strerror(sys_errno));
    else
      snprintf(why, whylen, "the connection was closed without data");
    rc = 0;
  }
out:
  ERR_clear_error();
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0) close(fd);
  return rc;
}

/* ---- the steps -------------------------------------------------------------------------------- */

static void print_log_line(const char *line) { printf("     proxy log: %s\n", line); }

static bool make_pki(void) {
  char pki[4200], other[4200], o1[4200], o2[4200], o3[4200], o4[4200];
  path(pki, sizeof pki, "pki");
  path(other, sizeof other, "other-ca");
  path(o1, sizeof o1, "pki/issued/server");
  path(o2, sizeof o2, "pki/issued/web");
  path(o3, sizeof o3, "pki/issued/intruder");
  path(o4, sizeof o4, "other-ca/issued/web");
  char log[4200];
  path(log, sizeof log, "pki.log");
  const char *init1[] = {"pki", "init", pki, "--name", "mtlskit demo CA", NULL};
  const char *init2[] = {"pki", "init", other, "--name", "some other CA", NULL};
  const char *srv[] = {"pki", "issue", pki, "--server", "--ip", "127.0.0.1",
                       "--dns", "localhost", "--out", o1, NULL};
  const char *web[] = {"pki", "issue", pki, "--client", "--uri", ALLOWED_ID, "--out", o2, NULL};
  const char *bad[] = {"pki", "issue", pki, "--client", "--uri", INTRUDER_ID, "--out", o3, NULL};
  const char *oth[] = {"pki", "issue", other, "--client", "--uri", ALLOWED_ID, "--out", o4, NULL};
  const char *const *cmds[] = {init1, init2, srv, web, bad, oth};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    int rc = run(NULL, cmds[i], log, log, 60.0);
    if (rc != 0) {
      step(false, "dev PKI: `mtlskit %s %s` failed (exit %d)", cmds[i][0], cmds[i][1], rc);
      char *t = read_text(log);
      if (t) fputs(t, stdout);
      free(t);
      return false;
    }
  }
  step(true, "dev PKI made with `mtlskit pki`: a CA, a server certificate for 127.0.0.1,\n"
             "     clients " ALLOWED_ID " and " INTRUDER_ID ",\n"
             "     and a client from a second CA the proxy does not trust");
  return true;
}

/* Prints the short decode of one certificate: the lines that matter. */
static bool decode_brief(const char *cert, const char *label) {
  char out[4200];
  path(out, sizeof out, "decode.txt");
  const char *args[] = {"decode", cert, NULL};
  if (run(NULL, args, out, NULL, 30.0) != 0) return false;
  char *t = read_text(out);
  if (!t) return false;
  printf("     %s:\n", label);
  bool alt = false;
  int shown = 0;
  for (char *line = t; *line && shown < 12;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    if (strncmp(line, "Certificate:", 12) == 0 && shown > 0) break; /* the chain's next */
    bool cont = alt && strncmp(line, "                ", 16) == 0;
    alt = strncmp(line, "  Alt names", 11) == 0 || cont;
    if (strncmp(line, "Certificate:", 12) == 0 || alt || strncmp(line, "  Not after", 11) == 0 ||
        strncmp(line, "  Ext. usage", 12) == 0 || strncmp(line, "  Type", 6) == 0) {
      printf("       %s\n", line);
      shown++;
    }
    if (!nl) break;
    line = nl + 1;
  }
  free(t);
  return shown > 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  remove(p);
  return 0;
}

static pid_t g_backend = -1, g_server = -1, g_client = -1, g_web = -1, g_webproxy = -1;

/* count_in: occurrences of |needle| in |hay|. */
static int count_in(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
  return n;
}

/* web_step: `mtlskit web` (the decoder page) on loopback, a `mtlskit proxy
 * server` in front of it allowing only the demo client, and curl --cert
 * fetching the page and POSTing a certificate to /api/decode through it. */
static void web_step(const char *ca, const char *srv, const char *srvkey, const char *web,
                     const char *webkey) {
  char wout[4200], wlog[4200], pout[4200], line[512], target[64], url[96], url2[112], body[4300];
  path(wout, sizeof wout, "web.out");
  path(wlog, sizeof wlog, "web-proxy.log");
  path(pout, sizeof pout, "web-curl.out");
  const char *wargs[] = {"web", "--listen", "127.0.0.1:0", NULL};
  g_web = spawn(NULL, wargs, wout, NULL);
  int wport = 0;
  if (g_web > 0 && find_line(wout, "mtlskit web: serving http://127.0.0.1:", NULL, 10.0, line,
                             sizeof line)) {
    const char *c = strstr(line, "127.0.0.1:");
    char *end = NULL;
    long v = c ? strtol(c + 10, &end, 10) : 0;
    if (end != NULL && *end == '/' && v > 0 && v < 65536) wport = (int)v;
  }
  if (wport == 0) {
    step(false, "`mtlskit web` did not start");
    return;
  }
  snprintf(target, sizeof target, "127.0.0.1:%d", wport);
  const char *sargs[] = {"proxy", "server", "--listen", "X", "--target", target, "--cert", srv,
                         "--key", srvkey, "--ca", ca, "--allow-uri", ALLOWED_ID, "--workers", "1",
                         "--handshake-timeout", "5", "--drain-timeout", "3", NULL};
  int pport = 0;
  g_webproxy = start_proxy(sargs, 3, wlog, &pport);
  if (g_webproxy < 0) {
    step(false, "`mtlskit proxy server` in front of `mtlskit web` did not start");
    return;
  }
  snprintf(url, sizeof url, "https://127.0.0.1:%d/", pport);
  snprintf(url2, sizeof url2, "https://127.0.0.1:%d/api/decode", pport);
  snprintf(body, sizeof body, "@%s", srv);
  const char *get[] = {"-sS", "--max-time", "10", "--cert", web, "--key", webkey, "--cacert", ca,
                       url, NULL};
  const char *post[] = {"-sS", "--max-time", "10", "--cert", web, "--key", webkey, "--cacert", ca,
                        "-H", "Content-Type: application/octet-stream", "--data-binary", body,
                        url2, NULL};
  bool page = false, api = false;
  int certs = 0;
  if (run("curl", get, pout, pout, 20.0) == 0) {
    char *t = read_text(pout);
    page = t && strstr(t, "<title>mtlskit");
    free(t);
  }
  if (run("curl", post, pout, pout, 20.0) == 0) {
    char *t = read_text(pout);
    api = t && strstr(t, "\"schema\": \"mtlskit.decode/1\"");
    if (t) certs = count_in(t, "\"kind\": \"certificate\"");
    free(t);
  }
  step(page && api && certs > 0,
       "the decoder page served over mTLS: `mtlskit web` on 127.0.0.1:%d behind a proxy on :%d;\n"
       "     curl --cert web.pem: GET / -> %s, POST /api/decode server.pem -> %s",
       wport, pport, page ? "the page" : "failed",
       api ? (certs == 1 ? "mtlskit.decode/1, 1 certificate" : "mtlskit.decode/1") : "failed");
}

/* demo_steps runs the story; a step that cannot go on returns early, and
 * demo() stops whatever was started. */
static void demo_steps(bool keep) {
  char ca[4200], srv[4200], srvkey[4200], web[4200], webkey[4200], bad[4200], badkey[4200],
      oth[4200], othkey[4200], slog[4200], clog[4200], curlout[4200];
  path(ca, sizeof ca, "pki/ca.pem");
  path(srv, sizeof srv, "pki/issued/server.pem");
  path(srvkey, sizeof srvkey, "pki/issued/server-key.pem");
  path(web, sizeof web, "pki/issued/web.pem");
  path(webkey, sizeof webkey, "pki/issued/web-key.pem");
  path(bad, sizeof bad, "pki/issued/intruder.pem");
  path(badkey, sizeof badkey, "pki/issued/intruder-key.pem");
  path(oth, sizeof oth, "other-ca/issued/web.pem");
  path(othkey, sizeof othkey, "other-ca/issued/web-key.pem");
  path(slog, sizeof slog, "proxy-server.log");
  path(clog, sizeof clog, "proxy-client.log");
  path(curlout, sizeof curlout, "curl.out");
  int bport = 0, sport = 0, cport = 0;
  char line[2048], why[512], target[64];

  printf("mtlskit demo: mutual TLS in front of a plaintext service, all on 127.0.0.1\n"
         "  files in %s%s\n\n",
         g_dir, keep ? " (kept)" : " (removed at the end)");
  if (!make_pki()) return;

  g_backend = start_backend(&bport);
  if (g_backend < 0) {
    step(false, "backend: could not listen on 127.0.0.1");
    return;
  }
  snprintf(target, sizeof target, "127.0.0.1:%d", bport);
  const char *sargs[] = {"proxy", "server", "--listen", "X", "--target", target, "--cert", srv,
                         "--key", srvkey, "--ca", ca, "--allow-uri", ALLOWED_ID, "--workers", "1",
                         "--handshake-timeout", "5", "--drain-timeout", "3", NULL};
  g_server = start_proxy(sargs, 3, slog, &sport);
  step(g_server > 0,
       "plaintext backend on 127.0.0.1:%d; `mtlskit proxy server` on 127.0.0.1:%d in front of it,\n"
       "     allowing only clients with --allow-uri " ALLOWED_ID,
       bport, sport);
  if (g_server < 0) {
    char *t = read_text(slog);
    if (t) fputs(t, stdout);
    free(t);
    return;
  }

  /* 1. the allowed client, through `mtlskit proxy client` */
  char upstream[64];
  snprintf(upstream, sizeof upstream, "127.0.0.1:%d", sport);
  const char *cargs[] = {"proxy", "client", "--listen", "X", "--target", upstream, "--cert", web,
                         "--key", webkey, "--ca", ca, "--workers", "1", "--handshake-timeout", "5",
                         "--drain-timeout", "3", NULL};
  g_client = start_proxy(cargs, 3, clog, &cport);
  if (g_client < 0) {
    step(false, "`mtlskit proxy client` did not start");
  } else {
#define PING "ping from a plaintext client"
    char got[1024] = "";
    size_t len = 0;
    int fd = connect_loopback(cport, 10);
    if (fd >= 0) {
      send_all(fd, PING "\n", sizeof PING);
      shutdown(fd, SHUT_WR);
      for (;;) {
        ssize_t n = recv(fd, got + len, sizeof got - 1 - len, 0);
        if (n <= 0) break;
        len += (size_t)n;
        if (len == sizeof got - 1) break;
      }
      close(fd);
    }
    got[len] = '\0';
    bool ok = strstr(got, GREETING) && strstr(got, PING);
    step(ok,
         "allowed: a plaintext connection to `mtlskit proxy client` (127.0.0.1:%d), which\n"
         "     opens mTLS as " ALLOWED_ID ": the backend said \"%s\" and echoed",
         cport, ok ? GREETING : "(nothing)");
    if (find_line(slog, "\"verdict\":\"allowed\"", ALLOWED_ID, 5.0, line, sizeof line))
      print_log_line(line);
  }

  /* 2. curl */
  const char *curl_args[] = {"-sS", "--max-time", "10", "--cert", web, "--key", webkey,
                             "--cacert", ca, NULL, NULL};
  char url[64];
  snprintf(url, sizeof url, "https://127.0.0.1:%d/", sport);
  curl_args[9] = url;
  const char *ver[] = {"--version", NULL};
  if (run("curl", ver, NULL, NULL, 10.0) != 0) {
    printf("- curl is not installed: the curl step is skipped\n");
  } else {
    int rc = run("curl", curl_args, curlout, curlout, 20.0);
    char *body = read_text(curlout);
    bool ok = rc == 0 && body && strstr(body, GREETING);
    step(ok, "allowed: curl --cert web.pem --key web-key.pem --cacert ca.pem %s -> %s", url,
         ok ? "\"" GREETING "\"" : "failed");
    if (!ok && body) fputs(body, stdout);
    free(body);
  }

  /* 3. wrong identity */
  int r = tls_client(sport, bad, badkey, ca, why, sizeof why);
  bool logged = find_line(slog, "\"reason\":\"not_allowed\"", INTRUDER_ID, 5.0, line, sizeof line);
  step(r == 0 && logged,
       "refused: " INTRUDER_ID " (trusted CA, wrong identity): %s;\n"
       "     the proxy says reason not_allowed (identity)",
       r == 1 ? "let in!" : why);
  if (logged) print_log_line(line);

  /* 4. untrusted CA */
  r = tls_client(sport, oth, othkey, ca, why, sizeof why);
  logged = find_line(slog, "\"reason\":\"untrusted\"", NULL, 5.0, line, sizeof line);
  step(r == 0 && logged,
       "refused: a client from another CA (same SPIFFE ID, untrusted CA): %s;\n"
       "     the proxy says reason untrusted",
       r == 1 ? "let in!" : why);
  if (logged) print_log_line(line);

  /* 5. the certificates */
  printf("  the certificates involved (mtlskit decode, shortened):\n");
  bool d1 = decode_brief(srv, "server");
  bool d2 = decode_brief(web, "allowed client");
  step(d1 && d2, "decoded the server and allowed-client certificates");

  /* 6. the decoder page over mTLS (needs curl) */
  if (run("curl", ver, NULL, NULL, 10.0) == 0) web_step(ca, srv, srvkey, web, webkey);
}

static int demo(bool keep) {
  demo_steps(keep);
  int crc = g_client > 0 ? stop_kid(g_client, 6.0) : 0;
  int src = g_server > 0 ? stop_kid(g_server, 6.0) : 0;
  if (g_webproxy > 0 && stop_kid(g_webproxy, 6.0) != 0) src = -1;
  if (g_web > 0 && stop_kid(g_web, 3.0) != 0) src = -1;
  if (g_backend > 0) stop_kid(g_backend, 2.0);
  kill_all_kids();
  if (g_server > 0 || g_client > 0)
    step(crc == 0 && src == 0, "proxies stopped with SIGTERM (drained, exit 0)");
  return g_fail == 0 ? MTK_EXIT_OK : MTK_EXIT_FINDING;
}

int cmd_demo(int argc, char **argv) {
  const cli_cmd *cmd = &cli_cmd_demo;
  cli_args a;
  memset(&a, 0, sizeof a);
  bool help = false;
  int rc = cli_parse(cmd, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  if (a.n_pos != 0) {
    cli_error("demo: unexpected argument '%s'", a.pos[0]);
    free(a.pos);
    return MTK_EXIT_BAD_INPUT;
  }
  const char *keep = cli_get(cmd, &a, "keep");
  free(a.pos);

  const char *lang = getenv("LC_ALL");
  if (!lang || !*lang) lang = getenv("LC_CTYPE");
  if (!lang || !*lang) lang = getenv("LANG");
  g_utf8 = lang && (strstr(lang, "UTF-8") || strstr(lang, "utf8") || strstr(lang, "UTF8") ||
                    strstr(lang, "utf-8"));

  if (keep) {
    if (mkdir(keep, 0700) != 0 && errno != EEXIST) {
      cli_error("demo: %s: %s", keep, strerror(errno));
      return MTK_EXIT_BAD_INPUT;
    }
    if (snprintf(g_dir, sizeof g_dir, "%s", keep) >= (int)sizeof g_dir) {
      cli_error("demo: --keep: path too long");
      return MTK_EXIT_BAD_INPUT;
    }
  } else {
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/mtlskit-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) {
      cli_error("demo: cannot make a temporary directory: %s", strerror(errno));
      return MTK_EXIT_FINDING;
    }
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: blocking calls return EINTR */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  rc = demo(keep != NULL);
  kill_all_kids();
  if (!keep) nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (g_stop) {
    printf("interrupted\n");
    rc = MTK_EXIT_FINDING;
  }
  printf("\n%s: %d step%s as expected, %d not\n", rc == 0 ? "demo OK" : "demo FAILED", g_pass,
         g_pass == 1 ? "" : "s", g_fail);
  return rc;
}

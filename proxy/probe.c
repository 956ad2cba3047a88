/* probe.c: `mtlskit probe`, the mTLS doctor (probe.h).
 *
 * One TLS client connection, bounded in time, that is driven to the end of
 * the handshake whatever the server presents (SSL_VERIFY_NONE: the server's
 * chain is judged afterwards by lib/verify and lib/identity, and nothing but
 * the handshake is ever sent, so a wrong server learns only our public
 * certificate). What OpenSSL does not expose directly is observed:
 *   - the message callback sees the server's CertificateRequest, our
 *     Certificate message (was a certificate in it?) and every alert, with
 *     its direction and when it came (before or after our certificate, and
 *     after our side of the handshake);
 *   - the certificate callback (SSL_CTX_set_cert_cb, which a client calls
 *     only when a CertificateRequest came) copies the CA names the server
 *     accepts.
 * In TLS 1.3 the server reads our certificate after our handshake is over
 * (RFC 8446 4.4.2: the client's Certificate and Finished are its last
 * flight), so a refusal arrives as an alert after SSL_connect returned 1: a
 * read with a short deadline (--settle, 1 s) catches it. A refusal is explained from
 * the alert and from local checks of our certificate against what the server
 * asked for (cause_of()). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "mtlskit/buf.h"
#include "mtlskit/identity.h"
#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "mtlskit/oid.h"
#include "mtlskit/str.h"
#include "mtlskit/verify.h"
#include "mtlskit/x509.h"
#include "probe.h"

/* ---- small helpers --------------------------------------------------------------------- */

static void add_problem(prb_result *r, prb_sev sev, const char *id, const char *hint,
                        const char *fmt, ...) MTK_PRINTF(5, 6);

static void add_problem(prb_result *r, prb_sev sev, const char *id, const char *hint,
                        const char *fmt, ...) {
  if (sev == PRB_ERROR) r->n_errors++;
  if (r->n_problems >= PRB_MAX_PROBLEMS) return;
  prb_problem *p = &r->problems[r->n_problems++];
  p->sev = sev;
  p->id = id;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->message, sizeof p->message, fmt, ap);
  va_end(ap);
  snprintf(p->hint, sizeof p->hint, "%s", hint ? hint : "");
}

/* Copies a buffer's text into |dst| (truncated with "..."). */
static void take_text(char *dst, size_t cap, mtk_buf *b) {
  if (b->p == NULL || b->len == 0) {
    dst[0] = '\0';
  } else if (b->len < cap) {
    memcpy(dst, b->p, b->len);
    dst[b->len] = '\0';
  } else {
    memcpy(dst, b->p, cap - 4);
    memcpy(dst + cap - 4, "...", 4);
  }
  mtk_buf_reset(b);
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* poll |fd| for |events| until |deadline| (monotonic ms): 1 ready, 0 timeout,
 * -1 error. */
static int wait_fd(int fd, short events, uint64_t deadline) {
  for (;;) {
    uint64_t now = now_ms();
    if (now >= deadline) return 0;
    uint64_t left = deadline - now;
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, left > 60000u ? 60000 : (int)left);
    if (n > 0) return 1;
    if (n < 0 && errno != EINTR) return -1;
  }
}

static const struct {
  int code;
  const char *name;
} k_alerts[] = {
    {0, "close_notify"},
    {10, "unexpected_message"},
    {20, "bad_record_mac"},
    {22, "record_overflow"},
    {40, "handshake_failure"},
    {42, "bad_certificate"},
    {43, "unsupported_certificate"},
    {44, "certificate_revoked"},
    {45, "certificate_expired"},
    {46, "certificate_unknown"},
    {47, "illegal_parameter"},
    {48, "unknown_ca"},
    {49, "access_denied"},
    {50, "decode_error"},
    {51, "decrypt_error"},
    {70, "protocol_version"},
    {71, "insufficient_security"},
    {80, "internal_error"},
    {86, "inappropriate_fallback"},
    {90, "user_canceled"},
    {100, "no_renegotiation"},
    {109, "missing_extension"},
    {110, "unsupported_extension"},
    {112, "unrecognized_name"},
    {113, "bad_certificate_status_response"},
    {115, "unknown_psk_identity"},
    {116, "certificate_required"},
    {120, "no_application_protocol"},
};

const char *prb_alert_name(int code) {
  for (size_t i = 0; i < sizeof k_alerts / sizeof k_alerts[0]; i++)
    if (k_alerts[i].code == code) return k_alerts[i].name;
  return "unknown";
}

const char *prb_parse_target(const char *t, char *host, size_t hostlen, unsigned *port) {
  const char *colon = strrchr(t, ':');
  if (colon == NULL) return "expected HOST:PORT (an IPv6 address in brackets: [::1]:443)";
  const char *h = t;
  size_t hl = (size_t)(colon - t);
  if (hl >= 2 && t[0] == '[' && t[hl - 1] == ']') {
    h++;
    hl -= 2;
  } else if (memchr(t, ':', hl) != NULL) {
    return "an IPv6 address needs brackets: [2001:db8::1]:443";
  }
  if (hl == 0) return "no host before the port";
  if (hl >= hostlen) return "host name too long";
  for (size_t i = 0; i < hl; i++)
    if ((unsigned char)h[i] <= 0x20 || (unsigned char)h[i] >= 0x7f || h[i] == '/')
      return "the host holds a character that is not allowed";
  const char *p = colon + 1;
  size_t pl = strlen(p);
  if (pl == 0 || pl > 5 || strspn(p, "0123456789") != pl) return "the port is not a number";
  unsigned long v = strtoul(p, NULL, 10);
  if (v == 0 || v > 65535) return "the port is not from 1 to 65535";
  memcpy(host, h, hl);
  host[hl] = '\0';
  *port = (unsigned)v;
  return NULL;
}

/* ---- describing one certificate ---------------------------------------------------------- */

static void describe_san(mtk_buf *b, const mtk_gn *gn) {
  switch (gn->type) {
  case MTK_GN_DNS:
    (void)mtk_buf_puts(b, "DNS:");
    (void)mtk_str_escape_utf8(b, gn->value.p, gn->value.len, MTK_ESC_TEXT);
    break;
  case MTK_GN_URI:
    (void)mtk_buf_puts(b, "URI:");
    (void)mtk_str_escape_utf8(b, gn->value.p, gn->value.len, MTK_ESC_TEXT);
    break;
  case MTK_GN_EMAIL:
    (void)mtk_buf_puts(b, "email:");
    (void)mtk_str_escape_utf8(b, gn->value.p, gn->value.len, MTK_ESC_TEXT);
    break;
  case MTK_GN_IP:
    (void)mtk_buf_puts(b, "IP:");
    (void)mtk_str_ip(b, gn->value.p, gn->value.len);
    break;
  case MTK_GN_DIRNAME:
    (void)mtk_buf_puts(b, "DirName:");
    (void)mtk_str_name(b, &gn->name, MTK_DN_RFC4514, MTK_ESC_TEXT);
    break;
  default:
    (void)mtk_buf_printf(b, "%s", mtk_gn_type_name(gn->type));
    break;
  }
}

/* Fills |pc| from |der|: the fields people look for first, EKU, lint counts. */
static void describe_cert(const uint8_t *der, size_t len, mtk_profile profile, bool private_pki,
                          mtk_time now, prb_cert *pc) {
  memset(pc, 0, sizeof *pc);
  pc->issuer_matches_next = -1;
  uint8_t md[64];
  size_t mdlen = sizeof md;
  if (mtk_digest(MTK_DIGEST_SHA256, der, len, md, &mdlen) == MTK_OK && mdlen == 32)
    for (size_t i = 0; i < 32; i++) snprintf(pc->sha256 + 2 * i, 3, "%02x", md[i]);
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cert c;
  if (mtk_cert_parse(&c, der, len, &d) != MTK_OK) {
    mtk_error_format(&d.err, pc->parse_error, sizeof pc->parse_error);
    return;
  }
  pc->parsed = true;
  mtk_buf b;
  mtk_buf_init(&b, 1u << 16);
  (void)mtk_str_name(&b, &c.subject, MTK_DN_RFC4514, MTK_ESC_TEXT);
  take_text(pc->subject, sizeof pc->subject, &b);
  (void)mtk_str_name(&b, &c.issuer, MTK_DN_RFC4514, MTK_ESC_TEXT);
  take_text(pc->issuer, sizeof pc->issuer, &b);
  (void)mtk_str_time(&b, c.not_before);
  take_text(pc->not_before, sizeof pc->not_before, &b);
  (void)mtk_str_time(&b, c.not_after);
  take_text(pc->not_after, sizeof pc->not_after, &b);
  pc->validity_state = mtk_str_validity_status(&b, c.not_before, c.not_after, now);
  take_text(pc->validity, sizeof pc->validity, &b);
  if (c.spki.type == MTK_KEY_EC && c.spki.curve != MTK_OID_UNKNOWN)
    snprintf(pc->key, sizeof pc->key, "EC %s", mtk_oid_short_name(c.spki.curve));
  else if (c.spki.bits > 0)
    snprintf(pc->key, sizeof pc->key, "%s %u", mtk_key_type_name(c.spki.type), c.spki.bits);
  else
    snprintf(pc->key, sizeof pc->key, "%s", mtk_key_type_name(c.spki.type));
  const mtk_ext *san = mtk_ext_get(&c.exts, MTK_XK_SAN);
  mtk_gn_iter it;
  mtk_gn gn;
  if (san != NULL && mtk_gn_iter_init_ext(&it, &san->value))
    while (mtk_gn_next(&it, &gn)) {
      if (pc->n_sans >= PRB_MAX_SANS) {
        pc->sans_more++;
        continue;
      }
      describe_san(&b, &gn);
      take_text(pc->sans[pc->n_sans], sizeof pc->sans[0], &b);
      pc->n_sans++;
    }
  const mtk_ext *bc = mtk_ext_get(&c.exts, MTK_XK_BC);
  mtk_basic_constraints bcv;
  mtk_diag d2;
  mtk_diag_init(&d2);
  if (bc != NULL && mtk_ext_basic_constraints(&bc->value, &bcv, &d2) == MTK_OK) pc->is_ca = bcv.ca;
  pc->self_issued = mtk_cert_is_self_issued(&c);
  const mtk_ext *eku = mtk_ext_get(&c.exts, MTK_XK_EKU);
  pc->has_eku = eku != NULL;
  pc->eku_server = eku != NULL && mtk_ext_has_eku(&eku->value, MTK_OID_EKU_SERVER_AUTH);
  pc->eku_client = eku != NULL && mtk_ext_has_eku(&eku->value, MTK_OID_EKU_CLIENT_AUTH);
  mtk_findings *f = calloc(1, sizeof *f);
  if (f != NULL) {
    mtk_lint_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.now = now;
    lo.profile = pc->is_ca ? MTK_PROFILE_CA : profile;
    lo.private_pki = private_pki;
    lo.parse_diag = &d;
    if (mtk_lint_cert(&c, &lo, f) == MTK_OK) {
      pc->lint_errors = f->n_error;
      pc->lint_warnings = f->n_warning;
      pc->lint_notices = f->n_notice;
    }
    free(f);
  }
  mtk_buf_free(&b);
}

/* ---- client credentials from memory --------------------------------------------------- */

static int no_passphrase(char *buf, int size, int rwflag, void *u) {
  (void)buf;
  (void)size;
  (void)rwflag;
  (void)u;
  return -1; /* never prompt: an encrypted key is bad input */
}

static void ossl_reason(char *buf, size_t n) {
  unsigned long e = ERR_peek_last_error();
  const char *r = e ? ERR_reason_error_string(e) : NULL;
  snprintf(buf, n, "%s", r ? r : "not understood");
  ERR_clear_error();
}

/* Loads our chain (leaf first) and key. False with |err| naming the file. */
static bool load_creds(const prb_opts *o, STACK_OF(X509) **chain_out, EVP_PKEY **key_out,
                       char *err, size_t errlen) {
  char why[160];
  STACK_OF(X509) *chain = sk_X509_new_null();
  if (chain == NULL) {
    snprintf(err, errlen, "out of memory");
    return false;
  }
  *chain_out = chain;
  if (o->cert_len > INT32_MAX || o->key_len > INT32_MAX) {
    snprintf(err, errlen, "%s: too large", o->cert_len > INT32_MAX ? o->cert_name : o->key_name);
    return false;
  }
  BIO *bio = BIO_new_mem_buf(o->cert, (int)o->cert_len);
  X509 *x;
  while (bio != NULL && (x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL)) != NULL)
    if (!sk_X509_push(chain, x)) {
      X509_free(x);
      break;
    }
  BIO_free(bio);
  ERR_clear_error();
  if (sk_X509_num(chain) == 0) { /* one DER certificate */
    const unsigned char *p = o->cert;
    x = d2i_X509(NULL, &p, (long)o->cert_len);
    if (x != NULL && p == o->cert + o->cert_len && sk_X509_push(chain, x)) {
      x = NULL;
    }
    X509_free(x);
  }
  if (sk_X509_num(chain) == 0) {
    ossl_reason(why, sizeof why);
    snprintf(err, errlen,
             "%s: no certificate found (PEM CERTIFICATE blocks or one DER certificate): %s",
             o->cert_name, why);
    return false;
  }
  bio = BIO_new_mem_buf(o->key, (int)o->key_len);
  EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL) : NULL;
  BIO_free(bio);
  if (k == NULL) {
    ERR_clear_error();
    const unsigned char *p = o->key;
    k = d2i_AutoPrivateKey(NULL, &p, (long)o->key_len);
  }
  if (k == NULL) {
    ossl_reason(why, sizeof why);
    snprintf(err, errlen,
             "%s: no private key found (PEM or DER; an encrypted key is not supported): %s",
             o->key_name, why);
    return false;
  }
  *key_out = k;
  if (X509_check_private_key(sk_X509_value(chain, 0), k) != 1) {
    ERR_clear_error();
    snprintf(err, errlen, "%s does not match the certificate in %s", o->key_name, o->cert_name);
    return false;
  }
  return true;
}

/* ---- the connection: observed through callbacks ----------------------------------------- */

typedef struct prb_io {
  prb_result *res;
  STACK_OF(X509_NAME) *ca_names;  /* copied in the cert callback */
  bool hs_done;                   /* SSL_connect returned 1 */
  bool our_cert_msg;              /* we sent a Certificate message */
} prb_io;

static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
                   SSL *ssl, void *arg) {
  (void)version;
  (void)arg;
  prb_io *io = SSL_get_app_data(ssl);
  if (io == NULL) return;
  const uint8_t *b = buf;
  prb_result *r = io->res;
  if (content_type == SSL3_RT_HANDSHAKE && len >= 4) {
    if (!write_p && b[0] == SSL3_MT_CERTIFICATE_REQUEST) r->requested = true;
    if (write_p && b[0] == SSL3_MT_CERTIFICATE) {
      io->our_cert_msg = true;
      size_t off = 4;
      if (SSL_version(ssl) >= TLS1_3_VERSION) off += 1u + (len > 4 ? b[4] : 0u);
      if (len >= off + 3) {
        size_t list = ((size_t)b[off] << 16) | ((size_t)b[off + 1] << 8) | b[off + 2];
        r->sent = list > 0;
      }
    }
  } else if (content_type == SSL3_RT_ALERT && len >= 2) {
    int code = b[1];
    if (code == 0 || code == 90) return; /* close_notify, user_canceled */
    if (write_p && io->hs_done) return;  /* ours, on a connection already judged */
    if (r->alert.present && (r->alert.from_server || write_p)) return; /* keep the first */
    r->alert.present = true;
    r->alert.from_server = !write_p;
    r->alert.after_handshake = io->hs_done;
    r->alert.after_our_cert = io->our_cert_msg;
    r->alert.code = code;
    r->alert.name = prb_alert_name(code);
  }
}

/* Called by a client only when the server sent a CertificateRequest. */
static int cert_cb(SSL *ssl, void *arg) {
  (void)arg;
  prb_io *io = SSL_get_app_data(ssl);
  if (io == NULL) return 1;
  io->res->requested = true;
  const STACK_OF(X509_NAME) *names = SSL_get0_peer_CA_list(ssl);
  if (names != NULL && io->ca_names == NULL)
    io->ca_names = sk_X509_NAME_deep_copy(names, X509_NAME_dup, X509_NAME_free);
  return 1;
}

static void set_sockaddr_text(const struct sockaddr *sa, char *out, size_t n) {
  char ip[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)sa;
    inet_ntop(AF_INET, &s->sin_addr, ip, sizeof ip);
    port = ntohs(s->sin_port);
    snprintf(out, n, "%s:%u", ip, port);
  } else {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)sa;
    inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof ip);
    port = ntohs(s->sin6_port);
    snprintf(out, n, "[%s]:%u", ip, port);
  }
}

/* Connects to one of the host's addresses, in order, within the timeout. */
static int do_connect(const prb_opts *o, prb_result *r) {
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  char port[8];
  snprintf(port, sizeof port, "%u", r->port);
  r->stage = PRB_STAGE_RESOLVE;
  int rc = getaddrinfo(r->host, port, &hints, &ai);
  if (rc != 0 || ai == NULL) {
    snprintf(r->error, sizeof r->error, "cannot resolve %s: %s", r->host,
             rc ? gai_strerror(rc) : "no address");
    return -1;
  }
  r->stage = PRB_STAGE_CONNECT;
  uint64_t deadline = now_ms() + o->timeout_ms;
  int fd = -1;
  for (struct addrinfo *a = ai; a != NULL && fd < 0; a = a->ai_next) {
    set_sockaddr_text(a->ai_addr, r->address, sizeof r->address);
    fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      snprintf(r->error, sizeof r->error, "socket: %s", strerror(errno));
      continue;
    }
    int err = 0;
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        int w = wait_fd(fd, POLLOUT, deadline);
        if (w == 0) {
          r->timed_out = true;
          err = ETIMEDOUT;
        } else {
          socklen_t sl = sizeof err;
          if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0) err = errno;
        }
      }
    }
    if (err != 0) {
      if (r->timed_out)
        snprintf(r->error, sizeof r->error, "no answer from %s within %u ms", r->address,
                 o->timeout_ms);
      else
        snprintf(r->error, sizeof r->error, "cannot connect to %s: %s", r->address,
                 strerror(err));
      close(fd);
      fd = -1;
      if (r->timed_out) break;
    }
  }
  freeaddrinfo(ai);
  if (fd >= 0) {
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    r->error[0] = '\0';
  }
  return fd;
}

/* The text of the error that ended a TLS operation. */
static void tls_error_text(SSL *ssl, int ret, char *out, size_t n) {
  int e = SSL_get_error(ssl, ret);
  unsigned long ec = ERR_peek_error();
  if (e == SSL_ERROR_SYSCALL && ec == 0) {
    snprintf(out, n, "%s", errno ? strerror(errno) : "the server closed the connection");
  } else if (e == SSL_ERROR_ZERO_RETURN) {
    snprintf(out, n, "the server closed the connection (close_notify)");
  } else {
    const char *rs = ec ? ERR_reason_error_string(ec) : NULL;
    snprintf(out, n, "%s", rs ? rs : "TLS error");
  }
}

/* Drives the handshake (and for TLS 1.3 the settle read). */
static void do_tls(const prb_opts *o, SSL *ssl, int fd, prb_io *io) {
  prb_result *r = io->res;
  r->stage = PRB_STAGE_HANDSHAKE;
  uint64_t deadline = now_ms() + o->timeout_ms;
  for (;;) {
    ERR_clear_error();
    errno = 0;
    int ret = SSL_connect(ssl);
    if (ret == 1) break;
    int e = SSL_get_error(ssl, ret);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      int w = wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
      if (w == 1) continue;
      r->timed_out = w == 0;
      snprintf(r->error, sizeof r->error, "%s",
               w == 0 ? "the server did not complete the TLS handshake in time" : strerror(errno));
      return;
    }
    tls_error_text(ssl, ret, r->error, sizeof r->error);
    return;
  }
  io->hs_done = true;
  r->stage = PRB_STAGE_DONE;
  snprintf(r->version, sizeof r->version, "%s", SSL_get_version(ssl));
  snprintf(r->cipher, sizeof r->cipher, "%s", SSL_get_cipher_name(ssl));
  int gid = (int)SSL_get_negotiated_group(ssl);
  const char *gn = gid ? SSL_group_to_name(ssl, gid) : NULL;
  if (gn == NULL && gid != 0) gn = OBJ_nid2sn(gid & ~TLSEXT_nid_unknown);
  snprintf(r->group, sizeof r->group, "%s", gn ? gn : "");
  /* TLS 1.3: the server judges our certificate now; wait for its verdict. */
  if (SSL_version(ssl) < TLS1_3_VERSION || !r->requested) return;
  unsigned settle = o->settle_ms ? o->settle_ms : PRB_SETTLE_MS;
  deadline = now_ms() + settle;
  uint8_t scratch[512];
  for (;;) {
    size_t got = 0;
    ERR_clear_error();
    errno = 0;
    if (SSL_read_ex(ssl, scratch, sizeof scratch, &got) == 1) {
      r->accepted = 1; /* the server spoke: we are in */
      return;
    }
    int e = SSL_get_error(ssl, 0);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      int w = wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
      if (w == 1) continue;
      return; /* quiet: no refusal came */
    }
    if (r->alert.present && r->alert.from_server) return; /* refused: cause_of() */
    r->accepted = -2; /* closed without an alert: see the analysis */
    tls_error_text(ssl, 0, r->error, sizeof r->error);
    return;
  }
}

/* ---- the server's side -------------------------------------------------------------------- */

static void check_server_chain(const prb_opts *o, prb_result *r, STACK_OF(X509) *peer,
                               uint8_t **ders, size_t *lens) {
  int n = peer ? sk_X509_num(peer) : 0;
  for (int i = 0; i < n; i++) {
    if ((size_t)i >= PRB_MAX_CHAIN) {
      r->chain_more++;
      continue;
    }
    X509 *x = sk_X509_value(peer, i);
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    if (len <= 0) continue;
    ders[r->n_chain] = der;
    lens[r->n_chain] = (size_t)len;
    describe_cert(der, (size_t)len, i == 0 ? MTK_PROFILE_SERVER : MTK_PROFILE_CA, o->ca_given,
                  o->now, &r->chain[r->n_chain]);
    r->n_chain++;
  }
  /* order: does each certificate's issuer name the next one's subject? */
  for (size_t i = 0; i + 1 < r->n_chain; i++) {
    X509 *a = sk_X509_value(peer, (int)i), *b = sk_X509_value(peer, (int)i + 1);
    r->chain[i].issuer_matches_next =
        X509_NAME_cmp(X509_get_issuer_name(a), X509_get_subject_name(b)) == 0 ? 1 : 0;
  }
}

static void verify_server(const prb_opts *o, prb_result *r, uint8_t **ders, size_t *lens,
                          char *err, size_t errlen, bool *bad_input) {
  if (r->n_chain == 0) return;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_trust *trust = NULL;
  mtk_status s = mtk_trust_new(o->ca, o->ca_len, NULL, 0, &trust, &d);
  if (s != MTK_OK) {
    char msg[400];
    mtk_error_format(&d.err, msg, sizeof msg);
    snprintf(err, errlen, "%s: %s", o->ca_name, msg);
    *bad_input = true;
    return;
  }
  mtk_cbs untrusted[PRB_MAX_CHAIN];
  for (size_t i = 1; i < r->n_chain; i++) mtk_cbs_init(&untrusted[i - 1], ders[i], lens[i]);
  mtk_verify_opts vo;
  mtk_verify_opts_init(&vo, o->now);
  vo.purpose = MTK_PURPOSE_SERVER;
  mtk_verify_result *vr = malloc(sizeof *vr);
  if (vr == NULL) {
    mtk_trust_free(trust);
    return;
  }
  mtk_verify_result_init(vr);
  s = mtk_verify(trust, ders[0], lens[0], r->n_chain > 1 ? untrusted : NULL, r->n_chain - 1, &vo,
                 vr);
  if (s == MTK_OK) {
    r->verify_ran = true;
    r->verify_valid = vr->valid;
    r->verify_code = mtk_status_name(vr->code);
    if (vr->valid) {
      const mtk_verify_path *p = &vr->paths[vr->chain];
      for (size_t k = 0; k < p->n_elems && k < PRB_MAX_CHAIN; k++)
        snprintf(r->verify_path[r->n_verify_path++], sizeof r->verify_path[0], "%s",
                 p->elems[k].subject);
    } else {
      for (size_t i = 0; i < vr->n_paths; i++)
        for (size_t k = 0; k < vr->paths[i].n_reasons; k++) {
          const mtk_verify_reason *rr = &vr->paths[i].reasons[k];
          bool dup = false;
          for (size_t j = 0; j < r->n_verify_reasons; j++)
            if (strcmp(r->verify_reasons[j].msg, rr->msg) == 0) dup = true;
          if (dup || r->n_verify_reasons >= PRB_MAX_REASONS) continue;
          r->verify_reasons[r->n_verify_reasons].code = mtk_status_name(rr->code);
          r->verify_reasons[r->n_verify_reasons].depth = rr->depth;
          snprintf(r->verify_reasons[r->n_verify_reasons].msg,
                   sizeof r->verify_reasons[0].msg, "%s", rr->msg);
          r->n_verify_reasons++;
        }
    }
  } else {
    snprintf(r->error, sizeof r->error, "verification could not run: %s", mtk_status_message(s));
  }
  free(vr);
  mtk_trust_free(trust);
}

static bool parse_ref(const prb_ref *in, bool from_host, mtk_ref *out, char *err,
                      size_t errlen) {
  mtk_diag d;
  mtk_diag_init(&d);
  size_t len = strlen(in->value);
  mtk_status st;
  if (strcmp(in->kind, "ip") == 0)
    st = mtk_ref_parse_ip(in->value, len, out, &d);
  else if (strcmp(in->kind, "uri") == 0)
    st = mtk_ref_parse_uri(in->value, len, out, &d);
  else
    st = mtk_ref_parse_dns(in->value, len, out, &d);
  if (st == MTK_OK) return true;
  const char *why = d.err.detail[0] ? d.err.detail : mtk_status_message(st);
  if (from_host)
    snprintf(err, errlen,
             "the host '%s' is not a valid DNS name to check the server against (%s): give "
             "the name the server's certificate holds with --name, --uri or --ip",
             in->value, why);
  else
    snprintf(err, errlen, "--%s '%s': %s", strcmp(in->kind, "dns") == 0 ? "name" : in->kind,
             in->value, why);
  return false;
}

static void id_value(const mtk_id_item *it, char *out, size_t n) {
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  if (it->type == MTK_PID_IP)
    (void)mtk_str_ip(&b, it->value.p, it->value.len);
  else if (it->type == MTK_PID_CN)
    (void)mtk_str_append(&b, it->tag, it->value.p, it->value.len, MTK_ESC_TEXT, NULL);
  else
    (void)mtk_str_escape_utf8(&b, it->value.p, it->value.len, MTK_ESC_TEXT);
  take_text(out, n, &b);
  mtk_buf_free(&b);
}

static void check_identity(prb_result *r, const mtk_ref *refs, const uint8_t *der, size_t len) {
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_cert_parse(&c, der, len, &d) != MTK_OK) return;
  mtk_match_result *m = calloc(1, sizeof *m);
  if (m == NULL) return;
  mtk_status st = mtk_identity_match(&c, refs, r->n_refs, 0, m);
  r->id_ran = true;
  r->id_matched = st == MTK_OK && m->matched;
  if (r->id_matched) {
    r->id_ref = m->ref;
    char v[PRB_TEXT / 2 - 16];
    id_value(&m->match, v, sizeof v);
    snprintf(r->id_match, sizeof r->id_match, "%s:%s", mtk_pid_type_name(m->match.type), v);
  } else {
    for (size_t i = 0; i < m->n_items && i < PRB_MAX_IDS; i++) {
      prb_id_item *it = &r->ids[r->n_ids++];
      snprintf(it->type, sizeof it->type, "%s", mtk_pid_type_name(m->items[i].type));
      id_value(&m->items[i], it->value, sizeof it->value);
      it->verdict = mtk_id_verdict_name(m->items[i].verdict);
      it->reason_id = mtk_id_reason_id(m->items[i].reason);
      it->reason = mtk_id_reason_text(m->items[i].reason);
    }
    r->ids_more = m->n_more + (m->n_items > PRB_MAX_IDS ? m->n_items - PRB_MAX_IDS : 0);
  }
  free(m);
}

/* ---- our side ----------------------------------------------------------------------------- */

static void describe_ca_names(prb_result *r, STACK_OF(X509_NAME) *names) {
  int n = names ? sk_X509_NAME_num(names) : 0;
  mtk_buf b;
  mtk_buf_init(&b, 1u << 16);
  for (int i = 0; i < n; i++) {
    if (r->n_ca_names >= PRB_MAX_CA_NAMES) {
      r->ca_names_more++;
      continue;
    }
    unsigned char *der = NULL;
    int len = i2d_X509_NAME(sk_X509_NAME_value(names, i), &der);
    mtk_name nm;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_cbs cb;
    mtk_cbs_init(&cb, der, len > 0 ? (size_t)len : 0);
    if (len > 0 && mtk_name_parse(&cb, &nm, &d) == MTK_OK)
      (void)mtk_str_name(&b, &nm, MTK_DN_RFC4514, MTK_ESC_TEXT);
    else
      (void)mtk_buf_puts(&b, "(a name mtlskit cannot decode)");
    take_text(r->ca_names[r->n_ca_names++], sizeof r->ca_names[0], &b);
    OPENSSL_free(der);
  }
  mtk_buf_free(&b);
}

/* 1: some certificate of our chain is issued by a listed CA (or is one);
 * 0: none; -1: the server listed no names. */
static int issuer_listed(STACK_OF(X509) *mine, STACK_OF(X509_NAME) *names) {
  if (names == NULL || sk_X509_NAME_num(names) == 0) return -1;
  for (int i = 0; i < sk_X509_num(mine); i++) {
    X509 *x = sk_X509_value(mine, i);
    for (int k = 0; k < sk_X509_NAME_num(names); k++) {
      const X509_NAME *n = sk_X509_NAME_value(names, k);
      if (X509_NAME_cmp(X509_get_issuer_name(x), n) == 0) return 1;
      if (i > 0 && X509_NAME_cmp(X509_get_subject_name(x), n) == 0) return 1;
    }
  }
  return 0;
}

static void set_cause(prb_result *r, const char *id, bool ambiguous, const char *fmt, ...)
    MTK_PRINTF(4, 5);
static void set_cause(prb_result *r, const char *id, bool ambiguous, const char *fmt, ...) {
  r->cause = id;
  r->cause_ambiguous = ambiguous;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->cause_text, sizeof r->cause_text, fmt, ap);
  va_end(ap);
}

/* The likely cause of a refusal of our certificate, from the alert (RFC 8446
 * 6.2 meanings, and what OpenSSL servers send for each X509_V_ERR: unknown_ca
 * for an unknown issuer, certificate_expired, bad_certificate for a
 * certificate not yet valid, unsupported_certificate for a wrong purpose,
 * handshake_failure for an application's own refusal and, in TLS 1.2, for no
 * certificate) and the local checks of our certificate. */
static void cause_of(prb_result *r) {
  const prb_cert *m = &r->mine;
  int code = r->alert.code;
  bool no_eku = r->have_cert && m->parsed && !m->eku_client;
  if (!r->sent) {
    if (code == 116 || code == 40 || code == 42 || code == 46)
      set_cause(r, "no_certificate_sent", false,
                "the server requires a client certificate and none was sent%s",
                r->have_cert ? " (ours was not usable with what the server asked for)" : "");
    else
      set_cause(r, "refused", true, "the server refused the connection with %s after our empty "
                "certificate message", r->alert.name);
    return;
  }
  switch (code) {
  case 48: /* unknown_ca */
    set_cause(r, "wrong_ca", false,
              "the server does not trust the CA that issued our certificate%s",
              r->mine_issuer_listed == 1 ? " (its issuer is in the server's list: is an "
                                           "intermediate missing from --cert?)" : "");
    return;
  case 45:
    set_cause(r, "expired", false, "the server says our certificate has expired (notAfter %s)",
              m->not_after);
    return;
  case 44:
    set_cause(r, "revoked", false, "the server says our certificate is revoked");
    return;
  case 49:
    set_cause(r, "identity_not_allowed", false,
              "the server verified our certificate but its access rules do not allow our identity");
    return;
  case 116:
    set_cause(r, "no_certificate_sent", false, "the server says no certificate was sent");
    return;
  default:
    break;
  }
  /* Generic alerts: decide by the local checks. */
  if (no_eku && (code == 43 || code == 40 || code == 46 || code == 42)) {
    set_cause(r, "missing_client_auth_eku", false,
              "our certificate lacks clientAuth in its extendedKeyUsage%s",
              m->has_eku ? "" : " (it has no extendedKeyUsage at all)");
    return;
  }
  if (m->validity_state > 0) {
    set_cause(r, "expired", false, "our certificate expired (notAfter %s)", m->not_after);
    return;
  }
  if (m->validity_state < 0) {
    set_cause(r, "not_yet_valid", false, "our certificate is not valid yet (notBefore %s)",
              m->not_before);
    return;
  }
  if (r->mine_issuer_listed == 0) {
    set_cause(r, "wrong_ca", code != 48,
              "our certificate's issuer is not among the CA names the server accepts");
    return;
  }
  if (code == 40 || code == 46) {
    set_cause(r, "identity_not_allowed", true,
              "the server checked our certificate (trusted issuer, valid dates, clientAuth) and "
              "then refused it with %s: most likely its access rules do not allow our identity "
              "(`mtlskit proxy server` sends handshake_failure for this; other servers may send "
              "it for other reasons)",
              r->alert.name);
    return;
  }
  if (code == 43) {
    set_cause(r, "unsupported_certificate", true,
              "the server does not accept our certificate's type or usage (key type, keyUsage "
              "or extendedKeyUsage)");
    return;
  }
  if (code == 42) {
    set_cause(r, "bad_certificate", true,
              "the server found our certificate bad (a signature, an extension, or a chain it "
              "cannot verify)");
    return;
  }
  if (code == 51) {
    set_cause(r, "signature_failed", true,
              "the server could not verify a signature: our chain's signatures or our proof of "
              "the private key");
    return;
  }
  set_cause(r, "refused", true, "the server refused our certificate with %s", r->alert.name);
}

static const char *cause_hint(const char *cause) {
  static const struct {
    const char *id, *hint;
  } k[] = {
      {"no_certificate_sent", "give a client certificate and its key with --cert FILE --key FILE "
                              "(one issued by a CA the server accepts)"},
      {"wrong_ca", "use a certificate issued by one of the CAs the server lists, or add our CA "
                   "to the server's trust anchors (mtlskit proxy server --ca)"},
      {"expired", "renew the client certificate (mtlskit pki issue DIR NAME --client ...)"},
      {"not_yet_valid", "check the clocks, or wait until notBefore"},
      {"revoked", "get a new client certificate; this one is on the CA's revocation list"},
      {"missing_client_auth_eku", "reissue the certificate with clientAuth in its "
                                  "extendedKeyUsage (mtlskit pki issue DIR NAME --client)"},
      {"identity_not_allowed", "ask for our identity (the SAN shown above) to be added to the "
                               "server's access rules (e.g. --allow-uri), or use a certificate "
                               "with an allowed identity"},
      {"unsupported_certificate", "check the key type and the keyUsage/extendedKeyUsage the "
                                  "server expects"},
      {"bad_certificate", "check our chain with `mtlskit verify --purpose client` and the "
                          "server's log"},
      {"signature_failed", "check that --key matches --cert and that the chain is complete"},
  };
  for (size_t i = 0; cause && i < sizeof k / sizeof k[0]; i++)
    if (strcmp(k[i].id, cause) == 0) return k[i].hint;
  return "read the server's log for the reason it gives";
}

/* ---- the verdict -------------------------------------------------------------------------- */

static const char *handshake_alert_hint(int code, int min_tls) {
  switch (code) {
  case 70:
    return min_tls >= TLS1_3_VERSION
               ? "the server does not speak TLS 1.3: drop --min-tls 1.3, or upgrade the server"
               : "the server speaks no TLS version from 1.2 to 1.3: upgrade it";
  case 40:
    return "no cipher suite, group or signature algorithm in common: compare the server's "
           "configuration with what OpenSSL 3 offers";
  case 112:
    return "the server does not know the name sent in SNI: use --servername";
  case 71:
    return "the server wants stronger parameters than we offer";
  default:
    return "read the server's log for the reason it gives";
  }
}

static void judge(const prb_opts *o, prb_result *r) {
  if (r->stage == PRB_STAGE_RESOLVE) {
    add_problem(r, PRB_ERROR, "cannot_resolve", "check the host name, or give an IP address",
                "%s", r->error);
    return;
  }
  if (r->stage == PRB_STAGE_CONNECT) {
    add_problem(r, PRB_ERROR, r->timed_out ? "connect_timeout" : "connect_failed",
                r->timed_out ? "is the host up and the port reachable (firewall)?"
                             : "is the server running and listening on this host and port?",
                "%s", r->error);
    return;
  }
  bool refused_cert = false;
  bool closed = r->accepted == -2;
  if (r->alert.present && r->alert.from_server && r->alert.after_our_cert) {
    refused_cert = true;
  } else if (r->stage == PRB_STAGE_HANDSHAKE || closed) {
    if (r->timed_out) {
      add_problem(r, PRB_ERROR, "handshake_timeout",
                  "the server accepted the connection but did not finish a TLS handshake: is "
                  "this a TLS port (and not plaintext, or a protocol with STARTTLS)?",
                  "%s (%u ms)", r->error, o->timeout_ms);
    } else if (r->alert.present && r->alert.from_server) {
      add_problem(r, PRB_ERROR, "handshake_refused",
                  handshake_alert_hint(r->alert.code, o->min_tls),
                  "the server ended the handshake with the alert %s (%d)", r->alert.name,
                  r->alert.code);
    } else if (r->accepted == -2) {
      add_problem(r, PRB_WARNING, "closed_after_handshake",
                  "read the server's log: some servers close instead of sending an alert",
                  "the server closed the connection right after the handshake without an "
                  "alert (%s): it may have refused our certificate",
                  r->error);
      r->accepted = -1;
    } else {
      add_problem(r, PRB_ERROR, "handshake_failed",
                  "is this a TLS port? `openssl s_client -connect HOST:PORT` shows more",
                  "the TLS handshake failed: %s%s%s", r->error,
                  r->alert.present ? "; we sent the alert " : "",
                  r->alert.present ? r->alert.name : "");
    }
  }
  /* the server's certificate */
  if (r->n_chain == 0) {
    if (r->stage == PRB_STAGE_DONE)
      add_problem(r, PRB_ERROR, "no_server_certificate", "configure a certificate on the server",
                  "the server sent no certificate");
  } else {
    for (size_t i = 0; i + 1 < r->n_chain; i++)
      if (r->chain[i].issuer_matches_next == 0) {
        add_problem(r, PRB_WARNING, "server_chain_order",
                    "send the chain in order: the leaf first, then each certificate's issuer",
                    "certificate %zu's issuer is not certificate %zu of the chain sent", i, i + 1);
        break;
      }
    if (!r->chain[0].parsed)
      add_problem(r, PRB_ERROR, "server_cert_malformed", "reissue the server certificate",
                  "the server certificate is not strict DER X.509: %s", r->chain[0].parse_error);
    if (r->verify_ran && !r->verify_valid) {
      const char *id = "server_chain_invalid";
      const char *hint = "see the reasons above; `mtlskit verify` on the chain gives the detail";
      const char *c = r->verify_code ? r->verify_code : "";
      if (strcmp(c, "MTK_ERR_CHAIN_EXPIRED") == 0) {
        id = "server_cert_expired";
        hint = "renew the expired certificate on the server";
      } else if (strcmp(c, "MTK_ERR_CHAIN_NOT_YET_VALID") == 0) {
        id = "server_cert_not_yet_valid";
        hint = "check the clocks, or wait until notBefore";
      } else if (strcmp(c, "MTK_ERR_CHAIN_UNTRUSTED") == 0 ||
                 strcmp(c, "MTK_ERR_CHAIN_NO_ISSUER") == 0) {
        id = "server_chain_untrusted";
        hint = o->ca_given ? "give the server's CA with --ca, or have the server send its "
                             "intermediates"
                           : "the system store does not know the server's CA: give it with "
                             "--ca FILE, or have the server send its intermediates";
      } else if (strcmp(c, "MTK_ERR_CHAIN_EKU") == 0) {
        id = "server_cert_eku";
        hint = "reissue the server certificate with serverAuth in its extendedKeyUsage";
      }
      add_problem(r, PRB_ERROR, id, hint, "the server's chain does not verify against %s: %s",
                  o->ca_name, r->n_verify_reasons ? r->verify_reasons[0].msg : c);
    }
    if (r->id_ran && !r->id_matched) {
      char refs[400] = "";
      for (size_t i = 0; i < r->n_refs; i++) {
        size_t u = strlen(refs);
        snprintf(refs + u, sizeof refs - u, "%s%s:%s", i ? ", " : "", r->refs[i].kind,
                 r->refs[i].value);
      }
      add_problem(r, PRB_ERROR, "server_name_mismatch",
                  "connect with the name the certificate holds (--name / --ip / --uri), or "
                  "reissue the server certificate with this name in its subjectAltName",
                  "the server certificate does not name %s (RFC 9525: SAN only, never the CN)",
                  refs);
    }
  }
  /* our side */
  if (refused_cert) {
    r->accepted = 0;
    cause_of(r);
    add_problem(r, PRB_ERROR, r->sent ? "client_cert_refused" : "client_cert_required",
                cause_hint(r->cause), "the server refused %s with the alert %s (%d)%s: %s",
                r->sent ? "our client certificate" : "the connection (no client certificate)",
                r->alert.name, r->alert.code,
                r->alert.after_handshake ? " after the handshake" : "", r->cause_text);
    return;
  }
  if (r->stage != PRB_STAGE_DONE) return;
  if (r->requested && r->have_cert && !r->sent) {
    add_problem(r, PRB_ERROR, "client_cert_not_sent",
                "check the key type of --cert against the signature algorithms the server allows",
                "the server asked for a certificate but ours was not sent");
  } else if (r->requested && !r->have_cert) {
    add_problem(r, PRB_WARNING, "client_cert_optional",
                "give --cert and --key to test with a client certificate",
                "the server asked for a client certificate (optional: it went on without one)");
  } else if (!r->requested && r->have_cert) {
    add_problem(r, PRB_ERROR, "client_cert_not_requested",
                "configure the server to request and verify client certificates (OpenSSL: "
                "SSL_VERIFY_PEER; s_server -Verify), or it is not doing mutual TLS",
                "the server did not ask for a client certificate, so ours was not sent: this "
                "is not mutual TLS");
  }
  if (r->sent && r->accepted != 0) {
    if (r->accepted == -1 && !closed && !r->alert.present) r->accepted = 1;
    if (r->mine_issuer_listed == 0)
      add_problem(r, PRB_WARNING, "client_issuer_not_listed",
                  "the server may verify against other names than it lists; if a later "
                  "request is refused, this is the first suspect",
                  "our certificate's issuer is not among the CA names the server sent, yet it "
                  "was not refused");
    if (r->mine.parsed && r->mine.validity_state != 0)
      add_problem(r, PRB_WARNING, "client_cert_validity", "renew the client certificate",
                  "our certificate is %s, yet the server did not refuse it", r->mine.validity);
  }
}

/* ---- the run ------------------------------------------------------------------------------- */

bool prb_run(const prb_opts *o, prb_result *r, char *err, size_t errlen) {
  memset(r, 0, sizeof *r);
  r->accepted = -1;
  r->mine_issuer_listed = -1;
  bool ok = false, bad_input = false;
  STACK_OF(X509) *mine = NULL;
  EVP_PKEY *key = NULL;
  SSL_CTX *ctx = NULL;
  SSL *ssl = NULL;
  int fd = -1;
  mtk_ref refs[PRB_MAX_REFS];
  uint8_t *ders[PRB_MAX_CHAIN] = {0};
  size_t lens[PRB_MAX_CHAIN] = {0};
  prb_io io;
  memset(&io, 0, sizeof io);
  io.res = r;

  const char *why = prb_parse_target(o->target, r->host, sizeof r->host, &r->port);
  if (why != NULL) {
    snprintf(err, errlen, "%s: %s", o->target, why);
    goto out;
  }
  /* references: as given, else the host */
  if (o->n_refs > 0) {
    for (size_t i = 0; i < o->n_refs && i < PRB_MAX_REFS; i++) r->refs[r->n_refs++] = o->refs[i];
  } else {
    uint8_t ip[16];
    size_t iplen;
    bool is_ip = mtk_ip_parse((const uint8_t *)r->host, strlen(r->host), ip, &iplen);
    r->refs[0] = (prb_ref){is_ip ? "ip" : "dns", r->host};
    r->n_refs = 1;
  }
  for (size_t i = 0; i < r->n_refs; i++)
    if (!parse_ref(&r->refs[i], o->n_refs == 0, &refs[i], err, errlen)) goto out;
  /* SNI: --servername, else the first DNS reference (never an IP: RFC 6066 3) */
  if (o->servername != NULL) {
    snprintf(r->sni, sizeof r->sni, "%s", o->servername);
  } else {
    for (size_t i = 0; i < r->n_refs && r->sni[0] == '\0'; i++)
      if (refs[i].kind == MTK_REF_DNS || refs[i].kind == MTK_REF_URI)
        snprintf(r->sni, sizeof r->sni, "%s", (const char *)refs[i].name);
  }
  /* trust anchors: parsed now so that a bad file is bad input before any I/O */
  {
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_trust *t = NULL;
    mtk_status s = mtk_trust_new(o->ca, o->ca_len, NULL, 0, &t, &d);
    mtk_trust_free(t);
    if (s != MTK_OK) {
      char msg[400];
      mtk_error_format(&d.err, msg, sizeof msg);
      snprintf(err, errlen, "%s: %s", o->ca_name, msg);
      goto out;
    }
  }
  ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == NULL || !SSL_CTX_set_min_proto_version(ctx, o->min_tls) ||
      !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)) {
    snprintf(err, errlen, "cannot set up OpenSSL");
    goto out;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* judged by lib/verify afterwards */
  SSL_CTX_set_cert_cb(ctx, cert_cb, NULL);
  SSL_CTX_set_msg_callback(ctx, msg_cb);
  if (o->cert != NULL) {
    if (!load_creds(o, &mine, &key, err, errlen)) goto out;
    r->have_cert = true;
    if (SSL_CTX_use_certificate(ctx, sk_X509_value(mine, 0)) != 1 ||
        SSL_CTX_use_PrivateKey(ctx, key) != 1) {
      char w[160];
      ossl_reason(w, sizeof w);
      snprintf(err, errlen, "%s: OpenSSL refuses this certificate or key: %s", o->cert_name, w);
      goto out;
    }
    for (int i = 1; i < sk_X509_num(mine); i++)
      if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(mine, i)) != 1) {
        snprintf(err, errlen, "%s: cannot use certificate %d of the chain", o->cert_name, i);
        goto out;
      }
    unsigned char *der = NULL;
    int len = i2d_X509(sk_X509_value(mine, 0), &der);
    if (len > 0)
      describe_cert(der, (size_t)len, MTK_PROFILE_CLIENT, true, o->now, &r->mine);
    OPENSSL_free(der);
  }
  ok = true; /* from here on, everything is a finding */

  fd = do_connect(o, r);
  if (fd < 0) goto judge;
  ssl = SSL_new(ctx);
  if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 ||
      (r->sni[0] && SSL_set_tlsext_host_name(ssl, r->sni) != 1)) {
    snprintf(r->error, sizeof r->error, "cannot set up the TLS connection");
    r->stage = PRB_STAGE_HANDSHAKE;
    goto judge;
  }
  SSL_set_app_data(ssl, &io);
  SSL_set_connect_state(ssl);
  do_tls(o, ssl, fd, &io);
  /* what we learned */
  describe_ca_names(r, io.ca_names);
  if (mine != NULL) r->mine_issuer_listed = issuer_listed(mine, io.ca_names);
  check_server_chain(o, r, SSL_get_peer_cert_chain(ssl), ders, lens);
  verify_server(o, r, ders, lens, err, errlen, &bad_input);
  if (bad_input) {
    ok = false;
    goto out;
  }
  if (r->n_chain > 0) check_identity(r, refs, ders[0], lens[0]);
  if (r->stage == PRB_STAGE_DONE && r->sent && r->accepted == -1 &&
      SSL_version(ssl) < TLS1_3_VERSION)
    r->accepted = 1; /* TLS 1.2: the server judged our certificate inside the handshake */
  ERR_clear_error();
  if (r->stage == PRB_STAGE_DONE && !r->alert.present && r->accepted != -2)
    (void)SSL_shutdown(ssl); /* one close_notify, not waited for */
judge:
  judge(o, r);
out:
  ERR_clear_error();
  for (size_t i = 0; i < PRB_MAX_CHAIN; i++) OPENSSL_free(ders[i]);
  sk_X509_NAME_pop_free(io.ca_names, X509_NAME_free);
  SSL_free(ssl);
  if (fd >= 0) close(fd);
  SSL_CTX_free(ctx);
  EVP_PKEY_free(key);
  sk_X509_pop_free(mine, X509_free);
  return ok;
}

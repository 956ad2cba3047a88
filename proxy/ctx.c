/* ctx.c: what a proxy server configuration is built into, once: addresses
 * resolved, the access rules parsed, the SSL_CTX with its trust store. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "proxy.h"
#include "tlsconf.h"

const char *pxy_addr_parse(const char *s, pxy_addr *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->text, sizeof out->text, "%s", s);
  if (strncmp(s, "unix:", 5) == 0) {
    const char *path = s + 5;
    struct sockaddr_un *un = (struct sockaddr_un *)&out->ss;
    size_t n = strlen(path);
    if (n == 0) return "empty unix socket path";
    if (n >= sizeof un->sun_path) return "unix socket path too long";
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, n + 1);
    out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    out->family = AF_UNIX;
    return NULL;
  }
  char host[256];
  const char *colon = strrchr(s, ':');
  if (colon == NULL) return "expected HOST:PORT or unix:/path";
  const char *h = s;
  size_t hl = (size_t)(colon - s);
  if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
    h = s + 1;
    hl -= 2;
  }
  if (hl >= sizeof host) return "host name too long";
  memcpy(host, h, hl);
  host[hl] = '\0';
  const char *port = colon + 1;
  if (*port == '\0' || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
      atoi(port) > 65535)
    return "bad port";
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (hl == 0 ? AI_PASSIVE : 0);
  int rc = getaddrinfo(hl ? host : NULL, port, &hints, &res);
  if (rc != 0 || res == NULL) return rc == 0 ? "no address" : gai_strerror(rc);
  memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
  out->len = res->ai_addrlen;
  out->family = res->ai_family;
  freeaddrinfo(res);
  return NULL;
}

static bool ssl_fail(char *err, size_t errlen, const char *what, const char *file) {
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

/* Session ticket keys: name (16), HMAC key (32), AES key (32). */
#define TICKET_KEYS_LEN 80

static bool build_ssl(const pxy_server_cfg *cfg, OSSL_LIB_CTX *lib, uint64_t gen,
                      const unsigned char tkeys[TICKET_KEYS_LEN], SSL_CTX **out, char *err,
                      size_t errlen) {
  SSL_CTX *c = SSL_CTX_new_ex(lib, NULL, TLS_server_method());
  if (c == NULL) return ssl_fail(err, errlen, "SSL_CTX_new", NULL);
  *out = c;
  if (!SSL_CTX_set_min_proto_version(c, cfg->min_tls) ||
      !SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION))
    return ssl_fail(err, errlen, "TLS versions", NULL);
  if (!SSL_CTX_set_cipher_list(c, k_tls12_ciphers) || !SSL_CTX_set_ciphersuites(c, k_tls13_suites))
    return ssl_fail(err, errlen, "cipher policy", NULL);
  if (!SSL_CTX_set1_groups_list(c, "X25519:P-256:P-384"))
    return ssl_fail(err, errlen, "groups", NULL);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                             SSL_OP_CIPHER_SERVER_PREFERENCE);
  /* No stateful session cache ever. Tickets only with --session-tickets:
   * by default none is sent (making one costs about as much as parsing the
   * client certificate again, wasted on clients that never resume). */
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  /* The session id context names the configuration generation: a session
   * from another one is never resumed (the ticket keys differ too). */
  unsigned char sid[SSL_MAX_SID_CTX_LENGTH];
  memset(sid, 0, sizeof sid);
  memcpy(sid, "mtlskit-server/", 15);
  for (int i = 0; i < 8; i++) sid[15 + i] = (unsigned char)(gen >> (8 * i));
  if (SSL_CTX_set_session_id_context(c, sid, sizeof sid) != 1)
    return ssl_fail(err, errlen, "session id context", NULL);
  if (cfg->session_lifetime_s == 0) {
    SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
    if (!SSL_CTX_set_num_tickets(c, 0)) return ssl_fail(err, errlen, "num_tickets", NULL);
  } else {
    if (!SSL_CTX_set_num_tickets(c, 1) ||
        SSL_CTX_set_tlsext_ticket_keys(c, (void *)(uintptr_t)tkeys, TICKET_KEYS_LEN) != 1 ||
        SSL_CTX_set_session_ticket_cb(c, pxy_ticket_gen_cb, pxy_ticket_dec_cb, NULL) != 1)
      return ssl_fail(err, errlen, "session tickets", NULL);
    SSL_CTX_set_timeout(c, (long)cfg->session_lifetime_s);
  }
  SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(c, cfg->cert) != 1)
    return ssl_fail(err, errlen, "--cert", cfg->cert);
  if (SSL_CTX_use_PrivateKey_file(c, cfg->key, SSL_FILETYPE_PEM) != 1)
    return ssl_fail(err, errlen, "--key", cfg->key);
  if (SSL_CTX_check_private_key(c) != 1)
    return ssl_fail(err, errlen, "--key does not match --cert", NULL);
  /* Trust anchors: parsed once, into the context's store. */
  if (SSL_CTX_load_verify_locations(c, cfg->ca, NULL) != 1)
    return ssl_fail(err, errlen, "--ca", cfg->ca);
  STACK_OF(X509_NAME) *names = SSL_load_client_CA_file_ex(cfg->ca, lib, NULL);
  if (names == NULL) return ssl_fail(err, errlen, "--ca (CA names)", cfg->ca);
  SSL_CTX_set_client_CA_list(c, names);
  if (!pxy_ssl_store_strict(SSL_CTX_get_cert_store(c), cfg->crls, cfg->n_crls, err, errlen))
    return false; /* tlsconf.c: X509_STRICT, the CRLs */
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
  SSL_CTX_set_verify_depth(c, 8);
  return true;
}

static bool build_rules(const pxy_server_cfg *cfg, mtk_authz **out, char *err, size_t errlen) {
  if (cfg->n_rules == 0) return true;
  mtk_diag d;
  mtk_diag_init(&d);
  size_t bad = 0;
  if (mtk_authz_parse(cfg->rules, cfg->n_rules, out, &bad, &d) != MTK_OK) {
    snprintf(err, errlen, "access rule '%s': %s", cfg->rules[bad],
             d.err.detail[0] ? d.err.detail : mtk_status_name(d.err.code));
    return false;
  }
  return true;
}

pxy_tls *pxy_tls_adopt(SSL_CTX *ssl, mtk_authz *authz) {
  pxy_tls *t = calloc(1, sizeof *t);
  if (t == NULL) return NULL;
  atomic_init(&t->refs, 1);
  t->ssl = ssl;
  t->authz = authz;
  return t;
}

static _Atomic uint64_t g_generation;

pxy_tls *pxy_tls_build(const pxy_server_cfg *cfg, OSSL_LIB_CTX *const *libs, unsigned n,
                       char *err, size_t errlen) {
  mtk_authz *authz = NULL;
  if (!build_rules(cfg, &authz, err, errlen)) return NULL;
  pxy_tls *t = pxy_tls_adopt(NULL, authz);
  if (t == NULL || (n > 0 && (t->wssl = calloc(n, sizeof *t->wssl)) == NULL)) {
    snprintf(err, errlen, "out of memory");
    if (t == NULL) mtk_authz_free(authz);
    pxy_tls_unref(t);
    return NULL;
  }
  t->n_wssl = n;
  t->gen = atomic_fetch_add(&g_generation, 1) + 1;
  unsigned char tkeys[TICKET_KEYS_LEN];
  if (RAND_bytes(tkeys, sizeof tkeys) != 1) {
    ssl_fail(err, errlen, "ticket keys", NULL);
    pxy_tls_unref(t);
    return NULL;
  }
  bool ok = n == 0 ? build_ssl(cfg, NULL, t->gen, tkeys, &t->ssl, err, errlen) : true;
  for (unsigned i = 0; ok && i < n; i++)
    ok = build_ssl(cfg, libs[i], t->gen, tkeys, &t->wssl[i], err, errlen);
  OPENSSL_cleanse(tkeys, sizeof tkeys);
  if (!ok) {
    pxy_tls_unref(t);
    return NULL;
  }
  return t;
}

void pxy_tls_ref(pxy_tls *t) { atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed); }

void pxy_tls_unref(pxy_tls *t) {
  if (t == NULL || atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) != 1) return;
  SSL_CTX_free(t->ssl);
  for (unsigned i = 0; i < t->n_wssl; i++) SSL_CTX_free(t->wssl[i]);
  free(t->wssl);
  mtk_authz_free(t->authz);
  free(t);
}

bool pxy_server_ctx_build(const pxy_server_cfg *cfg, pxy_server_ctx *out, char *err,
                          size_t errlen) {
  memset(out, 0, sizeof *out);
  out->cfg = cfg;
  const char *why;
  if ((why = pxy_addr_parse(cfg->listen, &out->listen)) != NULL) {
    snprintf(err, errlen, "--listen %s: %s", cfg->listen, why);
    goto fail;
  }
  if ((why = pxy_addr_parse(cfg->target, &out->target)) != NULL) {
    snprintf(err, errlen, "--target %s: %s", cfg->target, why);
    goto fail;
  }
  if (cfg->n_rules == 0 && !cfg->allow_any_verified) {
    snprintf(err, errlen,
             "no access rule: add --allow-uri, --allow-dns, --allow-ip, --allow-email, "
             "--allow-cn or --allow-ou (or --allow-any-verified to let every client with a "
             "valid certificate in)");
    goto fail;
  }
  if (!build_rules(cfg, &out->authz, err, errlen)) goto fail;
  {
    unsigned char tkeys[TICKET_KEYS_LEN] = {0}; /* this one only checks the files */
    if (!build_ssl(cfg, NULL, 0, tkeys, &out->ssl, err, errlen)) goto fail;
  }
  return true;
fail:
  pxy_server_ctx_free(out);
  return false;
}

void pxy_server_ctx_free(pxy_server_ctx *c) {
  SSL_CTX_free(c->ssl);
  mtk_authz_free(c->authz);
  c->ssl = NULL;
  c->authz = NULL;
}

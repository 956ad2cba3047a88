/* server.c: `mtlskit web`'s HTTP front on libmicrohttpd (server.h).
 *
 * One request is a small state machine driven by MHD's access callback:
 *   first call     check Host, route, method, Origin, Content-Length; a GET
 *                  is answered at once, a refused request too (before any
 *                  body byte is read); an API POST gets a web_req
 *   body calls     append to the web_req's buffer up to max_body; past it,
 *                  count and drop (413 at the end; a client that goes on
 *                  sending far past the cap is disconnected)
 *   last call      run the decoder (cli_decode_json / cli_match_json, the
 *                  code of `decode --json` and `match --json`) and answer
 *   completed      wipe and free the web_req (MHD_OPTION_NOTIFY_COMPLETED)
 * All of it runs on MHD's single internal thread. */
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "assets.h"
#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/identity.h"
#include "mtlskit/render.h"
#include "mtlskit/str.h"
#include "status.h"

/* After the cap, this many more body bytes are read (and dropped) so the
 * 413 can be sent; beyond it the connection is closed. */
#define WEB_DRAIN_MAX ((size_t)4 << 20)
#define WEB_MAX_ARGS 32
#define WEB_MAX_REFS 16

struct web_server {
  struct MHD_Daemon *mhd;
  const web_config *cfg;
  char listen_host[64]; /* the listen address as text, without brackets */
};

typedef enum web_route {
  ROUTE_NONE = 0,
  ROUTE_DECODE,
  ROUTE_CHECK,
  ROUTE_MATCH
} web_route;

/* One API request. |body| holds at most max_body bytes, wiped on free. */
typedef struct web_req {
  web_route route;
  uint8_t *body;
  size_t len, cap;
  size_t dropped; /* bytes past the cap */
} web_req;

/* ---- configuration and addresses ------------------------------------------------- */

void web_config_init(web_config *c) {
  memset(c, 0, sizeof *c);
  c->listen = WEB_DEFAULT_LISTEN;
  c->max_body = WEB_DEFAULT_MAX_BODY;
  c->max_conns = WEB_DEFAULT_MAX_CONNS;
  c->timeout_s = WEB_DEFAULT_TIMEOUT_S;
}

/* parse_listen: "IPv4:PORT", "[IPv6]:PORT", "localhost:PORT" (= 127.0.0.1),
 * numeric only (proxy/status.c). |host| gets the address text. */
static bool parse_listen(const char *addr, struct sockaddr_storage *ss, char *host, size_t hostcap) {
  uint16_t port;
  return pxy_parse_numeric_addr(addr, false, ss, &port, host, hostcap);
}

static bool ss_is_loopback(const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET) {
    struct sockaddr_in a;
    memcpy(&a, ss, sizeof a);
    return (ntohl(a.sin_addr.s_addr) >> 24) == 127u;
  }
  if (ss->ss_family == AF_INET6) {
    struct sockaddr_in6 a;
    memcpy(&a, ss, sizeof a);
    return IN6_IS_ADDR_LOOPBACK(&a.sin6_addr);
  }
  return false;
}

bool web_listen_is_loopback(const char *listen) {
  struct sockaddr_storage ss;
  char host[64];
  return parse_listen(listen, &ss, host, sizeof host) && ss_is_loopback(&ss);
}

/* host_part copies the host of "host", "host:port", "[v6]", "[v6]:port"
 * into |out| (brackets removed). False when malformed. */
static bool host_part(const char *h, char *out, size_t cap) {
  size_t n;
  const char *rest;
  if (h[0] == '[') {
    const char *end = strchr(h, ']');
    if (end == NULL) return false;
    n = (size_t)(end - h - 1);
    h++;
    rest = end + 1;
  } else {
    const char *colon = strchr(h, ':');
    n = colon != NULL ? (size_t)(colon - h) : strlen(h);
    rest = h + n;
  }
  if (n == 0 || n >= cap) return false;
  if (rest[0] != '\0') {
    uint16_t port;
    if (rest[0] != ':' || !pxy_parse_port(rest + 1, &port)) return false;
  }
  memcpy(out, h, n);
  out[n] = '\0';
  return true;
}

static bool host_allowed_with(const web_config *c, const char *listen_host, const char *value) {
  char host[256];
  if (value == NULL || !host_part(value, host, sizeof host)) return false;
  if (strcasecmp(host, "localhost") == 0 || strcmp(host, "127.0.0.1") == 0 ||
      strcmp(host, "::1") == 0)
    return true;
  if (listen_host != NULL && listen_host[0] != '\0' && strcasecmp(host, listen_host) == 0)
    return true;
  for (size_t i = 0; i < c->n_allow_hosts; i++)
    if (c->allow_hosts[i] != NULL && strcasecmp(host, c->allow_hosts[i]) == 0) return true;
  return false;
}

bool web_host_allowed(const web_config *c, const char *host) {
  struct sockaddr_storage ss;
  char lh[64] = "";
  if (!parse_listen(c->listen, &ss, lh, sizeof lh)) lh[0] = '\0';
  return host_allowed_with(c, lh, host);
}

/* origin_allowed: Origin "http(s)://host[:port]" naming this server. */
static bool origin_allowed(const web_server *s, const char *origin) {
  const char *h = NULL;
  if (strncmp(origin, "http://", 7) == 0)
    h = origin + 7;
  else if (strncmp(origin, "https://", 8) == 0)
    h = origin + 8;
  if (h == NULL || strchr(h, '/') != NULL) return false;
  return host_allowed_with(s->cfg, s->listen_host, h);
}

/* ---- responses --------------------------------------------------------------------- */

/* Constant bodies (MHD wants non-const pointers for persistent memory). */
static char k_not_found[] = "{\"error\":{\"status\":404,\"message\":\"not found\"}}\n";
static char k_get_only[] =
    "{\"error\":{\"status\":405,\"message\":\"method not allowed: use GET\"}}\n";
static char k_post_only[] =
    "{\"error\":{\"status\":405,\"message\":\"method not allowed: use POST with the PEM or DER "
    "as the body\"}}\n";
static char k_too_large[] =
    "{\"error\":{\"status\":413,\"message\":\"request body larger than the limit "
    "(mtlskit web --max-body)\"}}\n";
static char k_bad_host[] =
    "{\"error\":{\"status\":421,\"message\":\"this server answers only to localhost, 127.0.0.1, "
    "[::1], its listen address and --allow-host names (Host header refused)\"}}\n";
static char k_cross_site[] =
    "{\"error\":{\"status\":403,\"message\":\"cross-site request refused (Origin or "
    "Sec-Fetch-Site)\"}}\n";
static char k_internal[] =
    "{\"error\":{\"status\":500,\"message\":\"could not build the document (out of memory)\"}}\n";

static const char k_csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/* reply adds the headers every response has and queues |r| (consumed). */
static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, struct MHD_Response *r,
                             const char *ctype, const char *allow, int exit_code) {
  if (r == NULL) return MHD_NO;
  static const char *const hdrs[][2] = {
      {"Content-Security-Policy", k_csp},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
  };
  enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
  for (size_t i = 0; ok == MHD_YES && i < sizeof hdrs / sizeof hdrs[0]; i++)
    ok = MHD_add_response_header(r, hdrs[i][0], hdrs[i][1]);
  if (ok == MHD_YES && allow != NULL) ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
  if (ok == MHD_YES && exit_code >= 0) {
    char v[16];
    snprintf(v, sizeof v, "%d", exit_code);
    ok = MHD_add_response_header(r, "X-Mtlskit-Exit", v);
  }
  if (ok == MHD_YES) ok = MHD_queue_response(c, code, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result reply_const(struct MHD_Connection *c, unsigned code, char *body,
                                   const char *allow) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_PERSISTENT);
  return reply(c, code, r, "application/json; charset=utf-8", allow, -1);
}

/* A response buffer that is wiped before it is freed: it holds decoded
 * certificate data. */
typedef struct wiped {
  uint8_t *p;
  size_t len;
} wiped;

static void wipe_free(void *cls) {
  wiped *w = cls;
  if (w == NULL) return;
  if (w->p != NULL) {
    OPENSSL_cleanse(w->p, w->len);
    free(w->p);
  }
  free(w);
}

/* reply_buf answers with the bytes of |b| (taken; |b| is empty after). */
static enum MHD_Result reply_buf(struct MHD_Connection *c, unsigned code, mtk_buf *b,
                                 int exit_code) {
  wiped *w = calloc(1, sizeof *w);
  if (w == NULL) {
    if (b->p != NULL) OPENSSL_cleanse(b->p, b->len);
    mtk_buf_free(b);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_internal, NULL);
  }
  w->p = mtk_buf_take(b, &w->len);
  static char empty[] = "";
  struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
      w->len, w->p != NULL ? (void *)w->p : (void *)empty, wipe_free, w);
  if (r == NULL) wipe_free(w);
  return reply(c, code, r, "application/json; charset=utf-8", NULL, exit_code);
}

static enum MHD_Result serve_asset(struct MHD_Connection *c, const web_asset *a) {
  /* Embedded assets are constant for the life of the process. */
  void *p;
  memcpy(&p, &a->data, sizeof p);
  struct MHD_Response *r = MHD_create_response_from_buffer(a->len, p, MHD_RESPMEM_PERSISTENT);
  return reply(c, MHD_HTTP_OK, r, a->content_type, NULL, -1);
}

/* ---- query arguments ---------------------------------------------------------------- */

typedef struct web_args {
  const char *key[WEB_MAX_ARGS];
  const char *val[WEB_MAX_ARGS];
  size_t n;
  bool bad;       /* too many, or a NUL inside a value */
} web_args;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size) {
  web_args *a = cls;
  (void)kind;
  if (a->n == WEB_MAX_ARGS || strlen(key) != key_size ||
      (value != NULL && strlen(value) != value_size)) {
    a->bad = true;
    return MHD_NO;
  }
  a->key[a->n] = key;
  a->val[a->n] = value != NULL ? value : "";
  a->n++;
  return MHD_YES;
}

static bool flag_value(const char *v, bool *out) {
  if (strcmp(v, "") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0) {
    *out = true;
    return true;
  }
  if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) {
    *out = false;
    return true;
  }
  return false;
}

/* reply_bad_request: 400 with a message naming the parameter. */
static enum MHD_Result reply_bad_request(struct MHD_Connection *c, const char *msg,
                                         const char *param) {
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  mtk_buf_puts(&b, "{\"error\":{\"status\":400,\"message\":");
  if (mtk_str_json_quote(&b, (const uint8_t *)msg, strlen(msg)) != MTK_OK) b.overflow = true;
  if (param != NULL) {
    mtk_buf_puts(&b, ",\"parameter\":");
    if (mtk_str_json_quote(&b, (const uint8_t *)param, strlen(param)) != MTK_OK) b.overflow = true;
  }
  mtk_buf_puts(&b, "}}\n");
  if (mtk_buf_status(&b) != MTK_OK) {
    mtk_buf_free(&b);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_internal, NULL);
  }
  return reply_buf(c, MHD_HTTP_BAD_REQUEST, &b, -1);
}

/* ---- the API ------------------------------------------------------------------------- */

static enum MHD_Result api_decode(struct MHD_Connection *c, web_req *q, const web_args *a) {
  cli_decode_req d;
  memset(&d, 0, sizeof d);
  d.check = q->route == ROUTE_CHECK;
  d.profile = MTK_PROFILE_AUTO;
  d.now = (mtk_time)time(NULL); /* one clock reading per request */
  d.name = "-";
  for (size_t i = 0; i < a->n; i++) {
    const char *k = a->key[i], *v = a->val[i];
    bool f;
    if (strcmp(k, "name") == 0) {
      d.name = v;
    } else if (strcmp(k, "at") == 0) {
      if (!mtk_time_parse(v, strlen(v), &d.now))
        return reply_bad_request(c, "not a time (RFC 3339, e.g. 2026-01-31T12:00:00Z, or 2026-01-31)",
                                 "at");
    } else if (strcmp(k, "compact") == 0) {
      if (!flag_value(v, &f)) return reply_bad_request(c, "expected 1 or 0", "compact");
      d.flags = f ? MTK_RENDER_COMPACT : 0u;
    } else if (d.check && strcmp(k, "profile") == 0) {
      if (strcmp(v, "auto") != 0 && !mtk_profile_parse(v, &d.profile))
        return reply_bad_request(c, "not one of auto, server, client, ca, csr", "profile");
    } else if (d.check && strcmp(k, "private_pki") == 0) {
      if (!flag_value(v, &d.private_pki))
        return reply_bad_request(c, "expected 1 or 0", "private_pki");
    } else {
      return reply_bad_request(c, "unknown parameter", k);
    }
  }
  mtk_buf out;
  mtk_buf_init(&out, MTK_MAX_RENDER);
  static uint8_t nothing[1];
  int rc = cli_decode_json(&d, q->body != NULL ? q->body : nothing, q->len, &out);
  if (rc < 0) {
    if (out.p != NULL) OPENSSL_cleanse(out.p, out.len);
    mtk_buf_free(&out);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_internal, NULL);
  }
  /* 2 (an object could not be decoded): the document says which and where */
  return reply_buf(c, rc == 2 ? MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_OK, &out, rc);
}

static void json_str(mtk_buf *b, const char *s) {
  if (mtk_str_json_quote(b, (const uint8_t *)s, strlen(s)) != MTK_OK) b->overflow = true;
}

/* match_error: the mtlskit.match/1 document of a request that could not be
 * answered, with the library's error (code, element path, byte offset). */
static enum MHD_Result match_error(struct MHD_Connection *c, const char *file,
                                   const cli_match_fail *f) {
  mtk_buf b;
  mtk_buf_init(&b, 1u << 16);
  mtk_buf_puts(&b, "{\"schema\":\"mtlskit.match/1\",\"file\":");
  json_str(&b, file);
  mtk_buf_puts(&b, ",\"matched\":false,\"match\":null,\"error\":{\"stage\":");
  json_str(&b, f->stage != NULL ? f->stage : "certificate");
  if (f->stage != NULL && strcmp(f->stage, "reference") == 0)
    mtk_buf_printf(&b, ",\"reference\":%zu", f->ref);
  mtk_buf_puts(&b, ",\"code\":");
  json_str(&b, mtk_status_name(f->err.code));
  mtk_buf_printf(&b, ",\"code_num\":%d,\"message\":", (int)f->err.code);
  json_str(&b, mtk_status_message(f->err.code));
  mtk_buf_puts(&b, ",\"path\":");
  if (mtk_str_json_quote(&b, (const uint8_t *)f->err.path, strnlen(f->err.path, sizeof f->err.path)) !=
      MTK_OK)
    b.overflow = true;
  mtk_buf_printf(&b, ",\"offset\":%zu,\"detail\":", f->err.offset);
  if (mtk_str_json_quote(&b, (const uint8_t *)f->err.detail,
                         strnlen(f->err.detail, sizeof f->err.detail)) != MTK_OK)
    b.overflow = true;
  mtk_buf_puts(&b, "}}\n");
  if (mtk_buf_status(&b) != MTK_OK) {
    mtk_buf_free(&b);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_internal, NULL);
  }
  return reply_buf(c, MHD_HTTP_UNPROCESSABLE_CONTENT, &b, 2);
}

static enum MHD_Result api_match(struct MHD_Connection *c, web_req *q, const web_args *a) {
  cli_match_ref refs[WEB_MAX_REFS];
  size_t n = 0;
  unsigned flags = 0;
  const char *file = "-";
  for (size_t i = 0; i < a->n; i++) {
    const char *k = a->key[i], *v = a->val[i];
    bool f;
    if (strcmp(k, "dns") == 0 || strcmp(k, "ip") == 0 || strcmp(k, "uri") == 0 ||
        strcmp(k, "srv") == 0) {
      if (n == WEB_MAX_REFS) return reply_bad_request(c, "too many references (at most 16)", k);
      refs[n].opt = k;
      refs[n].text = v;
      n++;
    } else if (strcmp(k, "rfc6125") == 0) {
      if (!flag_value(v, &f)) return reply_bad_request(c, "expected 1 or 0", k);
      flags = f ? flags | MTK_ID_RFC6125 : flags & ~(unsigned)MTK_ID_RFC6125;
    } else if (strcmp(k, "no_wildcards") == 0) {
      if (!flag_value(v, &f)) return reply_bad_request(c, "expected 1 or 0", k);
      flags = f ? flags | MTK_ID_NO_WILDCARDS : flags & ~(unsigned)MTK_ID_NO_WILDCARDS;
    } else if (strcmp(k, "name") == 0) {
      file = v;
    } else {
      return reply_bad_request(c, "unknown parameter", k);
    }
  }
  if (n == 0)
    return reply_bad_request(c, "give at least one reference: ?dns=, ?ip=, ?uri= or ?srv=", NULL);
  mtk_buf out;
  mtk_buf_init(&out, MTK_MAX_RENDER);
  cli_match_fail fail;
  static const uint8_t nothing[1] = {0};
  int rc = cli_match_json(file, q->body != NULL ? q->body : nothing, q->len, refs, n, flags, &out,
                          &fail);
  if (rc == 2) {
    mtk_buf_free(&out);
    return match_error(c, file, &fail);
  }
  if (mtk_buf_status(&out) != MTK_OK) {
    mtk_buf_free(&out);
    return reply_const(c, MHD_HTTP_INTERNAL_SERVER_ERROR, k_internal, NULL);
  }
  return reply_buf(c, MHD_HTTP_OK, &out, rc);
}

/* ---- the request state machine -------------------------------------------------------- */

static web_route api_route(const char *url) {
  if (strcmp(url, "/api/decode") == 0) return ROUTE_DECODE;
  if (strcmp(url, "/api/check") == 0) return ROUTE_CHECK;
  if (strcmp(url, "/api/match") == 0) return ROUTE_MATCH;
  return ROUTE_NONE;
}

static const web_asset *find_asset(const char *url) {
  if (strcmp(url, "/index.html") == 0) url = "/";
  for (size_t i = 0; i < web_n_assets; i++)
    if (strcmp(web_assets[i].url, url) == 0) return &web_assets[i];
  return NULL;
}

static void req_free(web_req *q) {
  if (q == NULL) return;
  if (q->body != NULL) {
    OPENSSL_cleanse(q->body, q->cap);
    free(q->body);
  }
  free(q);
}

/* req_append adds body bytes; past max_body they are only counted. A
 * growing buffer is copied and the old one wiped (no realloc: it would
 * leave the bytes behind in freed memory). */
static bool req_append(web_req *q, size_t max, const char *data, size_t n) {
  if (q->dropped > 0 || n > max - q->len) {
    q->dropped += n;
    if (q->body != NULL) OPENSSL_cleanse(q->body, q->cap);
    q->len = 0;
    return q->dropped <= WEB_DRAIN_MAX;
  }
  if (q->len + n > q->cap) {
    size_t cap = q->cap ? q->cap : 4096;
    while (cap < q->len + n) cap = cap > max / 2 ? max : cap * 2;
    uint8_t *p = malloc(cap);
    if (p == NULL) return false;
    if (q->len > 0) memcpy(p, q->body, q->len);
    if (q->body != NULL) {
      OPENSSL_cleanse(q->body, q->cap);
      free(q->body);
    }
    q->body = p;
    q->cap = cap;
  }
  memcpy(q->body + q->len, data, n);
  q->len += n;
  return true;
}

/* first_call: everything decided from the request line and headers. */
static enum MHD_Result first_call(web_server *s, struct MHD_Connection *c, const char *url,
                                  const char *method, void **con_cls) {
  const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  if (!host_allowed_with(s->cfg, s->listen_host, host))
    return reply_const(c, MHD_HTTP_MISDIRECTED_REQUEST, k_bad_host, NULL);
  bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
  bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
  const web_asset *asset = find_asset(url);
  if (asset != NULL) {
    if (!get) return reply_const(c, MHD_HTTP_METHOD_NOT_ALLOWED, k_get_only, "GET, HEAD");
    return serve_asset(c, asset);
  }
  web_route route = api_route(url);
  if (route == ROUTE_NONE) return reply_const(c, MHD_HTTP_NOT_FOUND, k_not_found, NULL);
  if (!post) return reply_const(c, MHD_HTTP_METHOD_NOT_ALLOWED, k_post_only, "POST");
  const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
  const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
  if ((origin != NULL && !origin_allowed(s, origin)) ||
      (site != NULL && strcasecmp(site, "cross-site") == 0))
    return reply_const(c, MHD_HTTP_FORBIDDEN, k_cross_site, NULL);
  const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  size_t want = 0;
  if (cl != NULL) {
    /* MHD has already checked that it is a number; a value too long to
     * parse is too large by any cap. */
    size_t digits = strspn(cl, "0123456789");
    if (digits == 0 || digits > 12) return reply_const(c, MHD_HTTP_CONTENT_TOO_LARGE, k_too_large, NULL);
    for (size_t i = 0; i < digits; i++) want = want * 10u + (size_t)(cl[i] - '0');
    if (want > s->cfg->max_body)
      return reply_const(c, MHD_HTTP_CONTENT_TOO_LARGE, k_too_large, NULL);
  }
  web_req *q = calloc(1, sizeof *q);
  if (q == NULL) return MHD_NO;
  q->route = route;
  if (want > 0) {
    q->body = malloc(want);
    if (q->body == NULL) {
      free(q);
      return MHD_NO;
    }
    q->cap = want;
  }
  *con_cls = q;
  return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  web_server *s = cls;
  (void)version;
  web_req *q = *con_cls;
  if (q == NULL) {
    *upload_data_size = 0;
    return first_call(s, c, url, method, con_cls);
  }
  if (*upload_data_size > 0) {
    bool ok = req_append(q, s->cfg->max_body, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return ok ? MHD_YES : MHD_NO;
  }
  if (q->dropped > 0) return reply_const(c, MHD_HTTP_CONTENT_TOO_LARGE, k_too_large, NULL);
  web_args a;
  memset(&a, 0, sizeof a);
  (void)MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
  if (a.bad) return reply_bad_request(c, "too many query parameters, or a NUL byte in one", NULL);
  if (q->route == ROUTE_MATCH) return api_match(c, q, &a);
  return api_decode(c, q, &a);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  (void)toe;
  req_free(*con_cls);
  *con_cls = NULL;
}

/* ---- start and stop -------------------------------------------------------------------- */

web_server *web_start(const web_config *c, char *err, size_t errlen) {
  struct sockaddr_storage ss;
  web_server *s = calloc(1, sizeof *s);
  if (s == NULL) {
    (void)snprintf(err, errlen, "out of memory");
    return NULL;
  }
  s->cfg = c;
  if (!parse_listen(c->listen, &ss, s->listen_host, sizeof s->listen_host)) {
    (void)snprintf(err, errlen,
                   "--listen %s: expected IP:PORT, [IPv6]:PORT or localhost:PORT (numeric, no "
                   "name lookup)",
                   c->listen ? c->listen : "(null)");
    free(s);
    return NULL;
  }
  if (!ss_is_loopback(&ss) && !c->unsafe_listen) {
    (void)snprintf(err, errlen,
                   "--listen %s is not a loopback address: anyone who can reach it could use "
                   "the decoder; add --unsafe-listen if that is really meant",
                   c->listen);
    free(s);
    return NULL;
  }
  if (c->max_body == 0 || c->max_body > WEB_MAX_MAX_BODY || c->max_conns == 0 ||
      c->timeout_s == 0) {
    (void)snprintf(err, errlen, "bad limits");
    free(s);
    return NULL;
  }
  uint16_t port;
  if (ss.ss_family == AF_INET6) {
    struct sockaddr_in6 a6;
    memcpy(&a6, &ss, sizeof a6);
    port = ntohs(a6.sin6_port);
  } else {
    struct sockaddr_in a4;
    memcpy(&a4, &ss, sizeof a4);
    port = ntohs(a4.sin_port);
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  s->mhd = MHD_start_daemon(flags, port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, c->max_conns,
                            MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
  if (s->mhd == NULL) {
    (void)snprintf(err, errlen, "--listen %s: cannot listen (address in use?)", c->listen);
    free(s);
    return NULL;
  }
  return s;
}

uint16_t web_port(const web_server *s) {
  const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
  return i != NULL ? i->port : 0;
}

void web_stop(web_server *s) {
  if (s == NULL) return;
  MHD_stop_daemon(s->mhd);
  free(s);
}

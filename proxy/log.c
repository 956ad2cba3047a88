/* log.c: the per-connection JSON log line, built by a tiny local function
 * until proxy/jsonlog.c replaces it (the hook: pxy_conn_log). One write(2)
 * per line, so lines from several workers never interleave. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

typedef struct jb {
  char *p;
  size_t len, cap;
} jb;

static void jb_raw(jb *b, const char *s, size_t n) {
  if (b->len + n >= b->cap) n = b->cap - 1 - b->len;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void jb_str(jb *b, const char *s) {
  jb_raw(b, "\"", 1);
  for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
    char esc[8];
    if (*u == '"' || *u == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*u;
      jb_raw(b, esc, 2);
    } else if (*u < 0x20 || *u == 0x7f) {
      snprintf(esc, sizeof esc, "\\u%04x", *u);
      jb_raw(b, esc, 6);
    } else {
      jb_raw(b, (const char *)u, 1);
    }
  }
  jb_raw(b, "\"", 1);
}

static void jb_key(jb *b, const char *k) {
  jb_raw(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
  jb_raw(b, k, strlen(k));
  jb_raw(b, "\":", 2);
}

static void jb_kstr(jb *b, const char *k, const char *v) {
  jb_key(b, k);
  if (v == NULL)
    jb_raw(b, "null", 4);
  else
    jb_str(b, v);
}

static void jb_kuint(jb *b, const char *k, unsigned long long v) {
  char num[32];
  int n = snprintf(num, sizeof num, "%llu", v);
  jb_key(b, k);
  jb_raw(b, num, (size_t)n);
}

static void jb_time(jb *b) {
  struct timespec ts;
  struct tm tm;
  char t[64];
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(t + n, sizeof t - n, ".%03ldZ", ts.tv_nsec / 1000000L);
  jb_kstr(b, "time", t);
}

static void jb_emit(jb *b) {
  jb_raw(b, "}\n", 2);
  ssize_t w = write(STDERR_FILENO, b->p, b->len);
  (void)w;
}

void pxy_conn_log(const pxy_conn_record *r) {
  char buf[2048];
  jb b = {buf, 0, sizeof buf};
  buf[0] = '\0';
  jb_raw(&b, "{", 1);
  jb_time(&b);
  jb_kstr(&b, "event", "conn");
  jb_kstr(&b, "peer", r->peer);
  jb_kstr(&b, "identity", r->identity[0] ? r->identity : NULL);
  if (r->identity_kind[0]) jb_kstr(&b, "identity_kind", r->identity_kind);
  jb_kstr(&b, "verdict", r->allowed ? "allowed" : "refused");
  jb_kstr(&b, "reason", r->reason);
  if (r->detail) jb_kstr(&b, "detail", r->detail);
  if (r->tls_version) jb_kstr(&b, "tls", r->tls_version);
  jb_kuint(&b, "bytes_in", r->bytes_in);
  jb_kuint(&b, "bytes_out", r->bytes_out);
  jb_kuint(&b, "duration_ms", r->duration_ms);
  jb_kuint(&b, "worker", r->worker);
  /* Leave room for the closing brace even when a field was cut. */
  if (b.len > b.cap - 3) b.len = b.cap - 3;
  jb_emit(&b);
}

void pxy_log_event(const char *event, const char *detail) {
  char buf[1024];
  jb b = {buf, 0, sizeof buf};
  buf[0] = '\0';
  jb_raw(&b, "{", 1);
  jb_time(&b);
  jb_kstr(&b, "event", event);
  if (detail) jb_kstr(&b, "detail", detail);
  if (b.len > b.cap - 3) b.len = b.cap - 3;
  jb_emit(&b);
}

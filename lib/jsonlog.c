/* jsonlog.c: one-line JSON log records (jsonlog.h). */
#include "mtlskit/jsonlog.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "mtlskit/der.h"
#include "mtlskit/str.h"

mtk_status mtk_jsonlog_ts(mtk_buf *out, int64_t ts_ms) {
  int64_t sec = ts_ms / 1000, ms = ts_ms % 1000;
  if (ms < 0) { /* floor division */
    ms += 1000;
    sec--;
  }
  int64_t y = 0;
  int mo = 0, dd = 0, h = 0, mi = 0, s = 0;
  mtk_time_to_civil(sec, &y, &mo, &dd, &h, &mi, &s);
  return mtk_buf_printf(out, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, mo, dd, h,
                        mi, s, (int)ms);
}

static void put_cstr(mtk_buf *out, const char *s) {
  if (s == NULL) {
    (void)mtk_buf_puts(out, "null");
  } else {
    (void)mtk_str_json_quote(out, (const uint8_t *)s, strlen(s));
  }
}

/* put_peer appends the JSON string for |ss| (null when NULL). */
static void put_peer(mtk_buf *out, const struct sockaddr_storage *ss) {
  char text[INET6_ADDRSTRLEN + 16];
  if (ss == NULL) {
    (void)mtk_buf_puts(out, "null");
    return;
  }
  if (ss->ss_family == AF_INET) {
    struct sockaddr_in a;
    memcpy(&a, ss, sizeof a);
    if (inet_ntop(AF_INET, &a.sin_addr, text, sizeof text) == NULL) text[0] = '\0';
    (void)mtk_buf_printf(out, "\"%s:%u\"", text, (unsigned)ntohs(a.sin_port));
  } else if (ss->ss_family == AF_INET6) {
    struct sockaddr_in6 a;
    memcpy(&a, ss, sizeof a);
    if (inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text) == NULL) text[0] = '\0';
    (void)mtk_buf_printf(out, "\"[%s]:%u\"", text, (unsigned)ntohs(a.sin6_port));
  } else if (ss->ss_family == AF_UNIX) {
    struct sockaddr_un a;
    memcpy(&a, ss, sizeof a);
    uint8_t path[sizeof a.sun_path + 6];
    size_t n = 5;
    memcpy(path, "unix:", 5);
    if (a.sun_path[0] == '\0' && a.sun_path[1] != '\0') { /* abstract */
      path[n++] = '@';
      size_t k = strnlen(a.sun_path + 1, sizeof a.sun_path - 1);
      memcpy(path + n, a.sun_path + 1, k);
      n += k;
    } else {
      size_t k = strnlen(a.sun_path, sizeof a.sun_path);
      memcpy(path + n, a.sun_path, k);
      n += k;
    }
    (void)mtk_str_json_quote(out, path, n);
  } else {
    (void)mtk_buf_puts(out, "null");
  }
}

mtk_status mtk_jsonlog_conn(mtk_buf *out, const mtk_connlog *c) {
  (void)mtk_buf_puts(out, "{\"ts\":\"");
  (void)mtk_jsonlog_ts(out, c->ts_ms);
  (void)mtk_buf_printf(out, "\",\"event\":\"conn\",\"worker\":%u,\"peer\":", c->worker);
  put_peer(out, c->peer);
  (void)mtk_buf_puts(out, ",\"identity\":");
  if (c->identity == NULL) {
    (void)mtk_buf_puts(out, "null");
  } else {
    (void)mtk_str_json_quote(out, c->identity, c->identity_len);
  }
  (void)mtk_buf_puts(out, c->allowed  ? ",\"verdict\":\"allowed\",\"reason\":"
                         : c->failed ? ",\"verdict\":\"failed\",\"reason\":"
                                     : ",\"verdict\":\"refused\",\"reason\":");
  put_cstr(out, c->reason);
  if (c->detail != NULL) {
    (void)mtk_buf_puts(out, ",\"detail\":");
    put_cstr(out, c->detail);
  }
  (void)mtk_buf_puts(out, ",\"tls\":");
  put_cstr(out, c->tls);
  (void)mtk_buf_puts(out, ",\"cipher\":");
  put_cstr(out, c->cipher);
  (void)mtk_buf_printf(out,
                       ",\"bytes_in\":%" PRIu64 ",\"bytes_out\":%" PRIu64
                       ",\"duration_ms\":%" PRIu64 "}\n",
                       c->bytes_in, c->bytes_out, c->duration_ms);
  return mtk_buf_status(out);
}

static bool key_ok(const char *k) {
  if (k == NULL || *k == '\0') return false;
  for (; *k != '\0'; k++) {
    if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_')) return false;
  }
  return true;
}

mtk_status mtk_jsonlog_event(mtk_buf *out, int64_t ts_ms, const char *event,
                             const mtk_logfield *fields, size_t n_fields) {
  if (!key_ok(event)) return MTK_ERR_ARG;
  for (size_t i = 0; i < n_fields; i++) {
    if (!key_ok(fields[i].key) || strcmp(fields[i].key, "ts") == 0 ||
        strcmp(fields[i].key, "event") == 0)
      return MTK_ERR_ARG;
  }
  (void)mtk_buf_puts(out, "{\"ts\":\"");
  (void)mtk_jsonlog_ts(out, ts_ms);
  (void)mtk_buf_printf(out, "\",\"event\":\"%s\"", event);
  for (size_t i = 0; i < n_fields; i++) {
    (void)mtk_buf_printf(out, ",\"%s\":", fields[i].key);
    if (fields[i].str != NULL) {
      put_cstr(out, fields[i].str);
    } else {
      (void)mtk_buf_printf(out, "%" PRId64, fields[i].num);
    }
  }
  (void)mtk_buf_puts(out, "}\n");
  return mtk_buf_status(out);
}

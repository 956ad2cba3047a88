/* jsonlog_test.c: tests for lib/jsonlog.c; lines are read back with jansson. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "mtlskit/jsonlog.h"
#include "test.h"

#define TS 1767323045678LL /* 2026-01-02T03:04:05.678Z */

/* one_line: |b| holds exactly one line: a single '\n', at the end, and no
 * other control octet. */
static bool one_line(const mtk_buf *b) {
  if (b->len == 0 || b->p[b->len - 1] != '\n') return false;
  for (size_t i = 0; i + 1 < b->len; i++) {
    if (b->p[i] < 0x20 || b->p[i] == 0x7F) return false;
  }
  return true;
}

static json_t *parse(const mtk_buf *b) {
  json_error_t e;
  json_t *j = json_loadb((const char *)b->p, b->len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &e);
  if (j == NULL) fprintf(stderr, "jansson: %s at %d\n", e.text, e.position);
  return j;
}

static const char *jstr(json_t *j, const char *k) { return json_string_value(json_object_get(j, k)); }
static long long jint(json_t *j, const char *k) {
  json_t *v = json_object_get(j, k);
  return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

TEST(timestamps) {
  mtk_buf b;
  mtk_buf_init(&b, 256);
  CHECK_STATUS(mtk_jsonlog_ts(&b, TS), MTK_OK);
  CHECK_STR((const char *)b.p, "2026-01-02T03:04:05.678Z");
  mtk_buf_reset(&b);
  (void)mtk_jsonlog_ts(&b, 0);
  CHECK_STR((const char *)b.p, "1970-01-01T00:00:00.000Z");
  mtk_buf_reset(&b);
  (void)mtk_jsonlog_ts(&b, -1);
  CHECK_STR((const char *)b.p, "1969-12-31T23:59:59.999Z");
  mtk_buf_reset(&b);
  (void)mtk_jsonlog_ts(&b, 951782400000LL + 5); /* leap day 2000 */
  CHECK_STR((const char *)b.p, "2000-02-29T00:00:00.005Z");
  mtk_buf_free(&b);
}

TEST(conn_allowed_exact) {
  struct sockaddr_storage ss;
  struct sockaddr_in a;
  memset(&ss, 0, sizeof ss);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(50000);
  a.sin_addr.s_addr = htonl(0xC0000201u);
  memcpy(&ss, &a, sizeof a);
  mtk_connlog c;
  memset(&c, 0, sizeof c);
  c.ts_ms = TS;
  c.worker = 3;
  c.peer = &ss;
  c.identity = (const uint8_t *)"spiffe://example.org/web";
  c.identity_len = 24;
  c.allowed = true;
  c.tls = "TLSv1.3";
  c.cipher = "TLS_AES_128_GCM_SHA256";
  c.bytes_in = 1234;
  c.bytes_out = 9007199254740993ull; /* 2^53 + 1: exact, not a double */
  c.duration_ms = 42;
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  CHECK_STATUS(mtk_jsonlog_conn(&b, &c), MTK_OK);
  CHECK_STR((const char *)b.p,
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"event\":\"conn\",\"worker\":3,"
            "\"peer\":\"192.0.2.1:50000\",\"identity\":\"spiffe://example.org/web\","
            "\"verdict\":\"allowed\",\"reason\":null,\"tls\":\"TLSv1.3\","
            "\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"bytes_in\":1234,"
            "\"bytes_out\":9007199254740993,\"duration_ms\":42}\n");
  CHECK(one_line(&b));
  json_t *j = parse(&b);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "verdict"), "allowed");
    CHECK(json_is_null(json_object_get(j, "reason")));
    CHECK_EQ_INT(jint(j, "worker"), 3);
    CHECK_EQ_INT(json_object_size(j), 12);
    json_decref(j);
  }
  mtk_buf_free(&b);
}

TEST(conn_refused_hostile_identity) {
  /* Quote, brace, newline, NUL, ESC, invalid UTF-8, RLO (U+202E), LS (U+2028). */
  static const uint8_t evil[] = "x\",\"verdict\":\"allowed\"}\n\0\x1b[31m\xff\xe2\x80\xae\xe2\x80\xa8z";
  struct sockaddr_storage ss;
  struct sockaddr_in6 a;
  memset(&ss, 0, sizeof ss);
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(443);
  CHECK(inet_pton(AF_INET6, "2001:db8::1", &a.sin6_addr) == 1);
  memcpy(&ss, &a, sizeof a);
  mtk_connlog c;
  memset(&c, 0, sizeof c);
  c.ts_ms = TS;
  c.peer = &ss;
  c.identity = evil;
  c.identity_len = sizeof evil - 1;
  c.allowed = false;
  c.reason = "identity";
  c.detail = "no rule matches \"uri:spiffe://x/*\"\n";
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  CHECK_STATUS(mtk_jsonlog_conn(&b, &c), MTK_OK);
  CHECK(one_line(&b));
  CHECK(strstr((const char *)b.p, "\xe2\x80\xae") == NULL); /* bidi escaped */
  json_t *j = parse(&b);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "verdict"), "refused");
    CHECK_STR(jstr(j, "reason"), "identity");
    CHECK_STR(jstr(j, "peer"), "[2001:db8::1]:443");
    CHECK_STR(jstr(j, "detail"), "no rule matches \"uri:spiffe://x/*\"\n");
    CHECK(json_is_null(json_object_get(j, "tls")));
    json_t *id = json_object_get(j, "identity");
    static const char want[] = "x\",\"verdict\":\"allowed\"}\n\0\x1b[31m\xef\xbf\xbd\xe2\x80\xae\xe2\x80\xa8z";
    CHECK(json_is_string(id) && json_string_length(id) == sizeof want - 1 &&
          memcmp(json_string_value(id), want, sizeof want - 1) == 0);
    json_decref(j);
  }
  /* no check decided: "failed" */
  c.failed = true;
  c.identity = NULL;
  c.identity_len = 0;
  c.reason = "client_closed";
  c.detail = NULL;
  mtk_buf_reset(&b);
  CHECK_STATUS(mtk_jsonlog_conn(&b, &c), MTK_OK);
  j = parse(&b);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "verdict"), "failed");
    CHECK_STR(jstr(j, "reason"), "client_closed");
    json_decref(j);
  }
  /* allowed wins over failed */
  c.allowed = true;
  mtk_buf_reset(&b);
  CHECK_STATUS(mtk_jsonlog_conn(&b, &c), MTK_OK);
  j = parse(&b);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "verdict"), "allowed");
    json_decref(j);
  }
  mtk_buf_free(&b);
}

TEST(conn_unix_and_null_peer) {
  struct sockaddr_storage ss;
  struct sockaddr_un u;
  memset(&ss, 0, sizeof ss);
  memset(&u, 0, sizeof u);
  u.sun_family = AF_UNIX;
  memcpy(u.sun_path, "/run/a\"b.sock", 13);
  memcpy(&ss, &u, sizeof u);
  mtk_connlog c;
  memset(&c, 0, sizeof c);
  c.peer = &ss;
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  CHECK_STATUS(mtk_jsonlog_conn(&b, &c), MTK_OK);
  json_t *j = parse(&b);
  CHECK(j != NULL);
  if (j != NULL) {
    CHECK_STR(jstr(j, "peer"), "unix:/run/a\"b.sock");
    CHECK(json_is_null(json_object_get(j, "identity")));
    CHECK(json_object_get(j, "detail") == NULL);
    json_decref(j);
  }
  memset(u.sun_path, 0, sizeof u.sun_path);
  memcpy(u.sun_path + 1, "abs", 3);
  memcpy(&ss, &u, sizeof u);
  mtk_buf_reset(&b);
  (void)mtk_jsonlog_conn(&b, &c);
  CHECK(strstr((const char *)b.p, "\"peer\":\"unix:@abs\"") != NULL);
  c.peer = NULL;
  mtk_buf_reset(&b);
  (void)mtk_jsonlog_conn(&b, &c);
  CHECK(strstr((const char *)b.p, "\"peer\":null") != NULL);
  /* The cap is reported. */
  mtk_buf small;
  mtk_buf_init(&small, 40);
  CHECK_STATUS(mtk_jsonlog_conn(&small, &c), MTK_ERR_LIMIT);
  mtk_buf_free(&small);
  mtk_buf_free(&b);
}

TEST(events) {
  mtk_buf b;
  mtk_buf_init(&b, 4096);
  mtk_logfield f[] = {MTK_LOG_STR("result", "failed"),
                      MTK_LOG_STR("reason", "key does not match\ncertificate"),
                      MTK_LOG_NUM("workers", 4), MTK_LOG_NUM("delta", -2)};
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, "reload", f, 4), MTK_OK);
  CHECK_STR((const char *)b.p,
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"event\":\"reload\",\"result\":\"failed\","
            "\"reason\":\"key does not match\\ncertificate\",\"workers\":4,\"delta\":-2}\n");
  CHECK(one_line(&b));
  json_t *j = parse(&b);
  CHECK(j != NULL);
  json_decref(j);
  size_t len = b.len;
  mtk_logfield bad[] = {MTK_LOG_NUM("Bad-Key", 1)};
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, "start", bad, 1), MTK_ERR_ARG);
  mtk_logfield dup[] = {MTK_LOG_NUM("ts", 1)};
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, "start", dup, 1), MTK_ERR_ARG);
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, "dr\"ain", NULL, 0), MTK_ERR_ARG);
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, NULL, NULL, 0), MTK_ERR_ARG);
  CHECK_EQ_INT(b.len, len);
  mtk_buf_reset(&b);
  CHECK_STATUS(mtk_jsonlog_event(&b, TS, "drain", NULL, 0), MTK_OK);
  CHECK_STR((const char *)b.p, "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"event\":\"drain\"}\n");
  mtk_buf_free(&b);
}

int main(void) {
  RUN(timestamps);
  RUN(conn_allowed_exact);
  RUN(conn_refused_hostile_identity);
  RUN(conn_unix_and_null_peer);
  RUN(events);
  return test_summary();
}

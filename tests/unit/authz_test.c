/* authz_test.c: access rules for client certificates (lib/authz.c).
 *
 * A table of rule strings (accepted with their canonical form, or refused
 * with the exact error code), then checks against certificates made here
 * with certgen: SPIFFE IDs (exact, "*", "**", strict validation, exactly one
 * URI SAN), other URIs, DNS (exact and "*." patterns), IP (exact and CIDR),
 * e-mail, and the legacy subject CN / OU rules. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certgen.h"
#include "mtlskit/authz.h"
#include "mtlskit/x509.h"
#include "test.h"

#define B(s) s, sizeof(s) - 1

/* ---- rules ----------------------------------------------------------------------- */

typedef struct rule_row {
  const char *rule;
  size_t len;
  mtk_status want;
  const char *canonical; /* NULL: same as the input */
  mtk_authz_kind kind;
} rule_row;

#define OK MTK_OK
#define ERULE MTK_ERR_AUTHZ_RULE
#define EKIND MTK_ERR_AUTHZ_KIND
#define ESPIFFE MTK_ERR_AUTHZ_SPIFFE
#define EIDNA MTK_ERR_IDENTITY_IDNA

static const rule_row rule_rows[] = {
    /* SPIFFE IDs and patterns */
    {B("uri:spiffe://prod.example.org/ns/web/sa/api"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://prod.example.org/ns/*/sa/web"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://prod.example.org/ns/**"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://prod.example.org/*"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://prod.example.org/**"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://a-b_c.d0/Path.With-All_Chars09"), OK, NULL, MTK_AUTHZ_SPIFFE},
    {B("uri:spiffe://prod.example.org/**/sa"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/ns/we*"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/ns/***"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://*.example.org/ns"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://Prod.example.org/ns"), ESPIFFE, NULL, 0},
    {B("uri:SPIFFE://prod.example.org/ns"), ESPIFFE, NULL, 0},
    {B("uri:spiffe:prod.example.org/ns"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org//a"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/./a"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/a/.."), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org:443/a"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://user@prod.example.org/a"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/a?x=1"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/a#f"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/a%20b"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/a b"), ESPIFFE, NULL, 0},
    {B("uri:spiffe:///a"), ESPIFFE, NULL, 0},
    {B("uri:spiffe://prod.example.org/caf\xc3\xa9"), ESPIFFE, NULL, 0},
    /* other URIs: exact only */
    {B("uri:https://client.example.com/id"), OK, NULL, MTK_AUTHZ_URI},
    {B("uri:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), OK, NULL, MTK_AUTHZ_URI},
    {B("uri:https://*.example.com/"), ERULE, NULL, 0},
    {B("uri:not a uri"), ERULE, NULL, 0},
    {B("uri:client.example.com"), ERULE, NULL, 0},
    /* DNS */
    {B("dns:client.example.com"), OK, NULL, MTK_AUTHZ_DNS},
    {B("dns:Client.Example.COM."), OK, "dns:client.example.com", MTK_AUTHZ_DNS},
    {B("dns:*.svc.example.com"), OK, NULL, MTK_AUTHZ_DNS},
    {B("dns:*.SVC.example.com"), OK, "dns:*.svc.example.com", MTK_AUTHZ_DNS},
    {B("dns:café.example"), OK, "dns:xn--caf-dma.example", MTK_AUTHZ_DNS},
    {B("dns:*.café.example"), OK, "dns:*.xn--caf-dma.example", MTK_AUTHZ_DNS},
    {B("dns:*.com"), ERULE, NULL, 0},
    {B("dns:*"), ERULE, NULL, 0},
    {B("dns:*."), ERULE, NULL, 0},
    {B("dns:*svc.example.com"), ERULE, NULL, 0},
    {B("dns:a.*.example.com"), ERULE, NULL, 0},
    {B("dns:*.*.example.com"), ERULE, NULL, 0},
    {B("dns:192.0.2.1"), ERULE, NULL, 0},
    {B("dns:a_b.example.com"), ERULE, NULL, 0},
    {B("dns:☃.example"), EIDNA, NULL, 0},
    /* IP */
    {B("ip:10.1.2.3"), OK, NULL, MTK_AUTHZ_IP},
    {B("ip:10.0.0.0/8"), OK, NULL, MTK_AUTHZ_IP},
    {B("ip:0.0.0.0/0"), OK, NULL, MTK_AUTHZ_IP},
    {B("ip:192.0.2.1/32"), OK, NULL, MTK_AUTHZ_IP},
    {B("ip:2001:DB8::/32"), OK, "ip:2001:db8::/32", MTK_AUTHZ_IP},
    {B("ip:::/0"), OK, NULL, MTK_AUTHZ_IP},
    {B("ip:10.0.0.1/8"), ERULE, NULL, 0},
    {B("ip:10.0.0.0/33"), ERULE, NULL, 0},
    {B("ip:2001:db8::/129"), ERULE, NULL, 0},
    {B("ip:10.0.0.0/08"), ERULE, NULL, 0},
    {B("ip:10.0.0.0/"), ERULE, NULL, 0},
    {B("ip:10.0.0.0/8/8"), ERULE, NULL, 0},
    {B("ip:010.0.0.0/8"), ERULE, NULL, 0},
    {B("ip:10.0.0"), ERULE, NULL, 0},
    {B("ip:fe80::1%eth0"), ERULE, NULL, 0},
    {B("ip:example.com"), ERULE, NULL, 0},
    /* e-mail */
    {B("email:ops@example.com"), OK, NULL, MTK_AUTHZ_EMAIL},
    {B("email:Ops@EXAMPLE.com"), OK, "email:Ops@example.com", MTK_AUTHZ_EMAIL},
    {B("email:opsexample.com"), ERULE, NULL, 0},
    {B("email:a@b@example.com"), ERULE, NULL, 0},
    {B("email:@example.com"), ERULE, NULL, 0},
    {B("email:o ps@example.com"), ERULE, NULL, 0},
    {B("email:ops@"), ERULE, NULL, 0},
    {B("email:ops@*.example.com"), ERULE, NULL, 0},
    /* legacy subject attributes */
    {B("cn:client-1"), OK, NULL, MTK_AUTHZ_CN},
    {B("cn:Client One"), OK, NULL, MTK_AUTHZ_CN},
    {B("cn:Zoë"), OK, NULL, MTK_AUTHZ_CN},
    {B("ou:payments"), OK, NULL, MTK_AUTHZ_OU},
    {B("cn:"), ERULE, NULL, 0},
    {B("cn:a\x01"), ERULE, NULL, 0},
    {B("cn:\xff"), ERULE, NULL, 0},
    {B("cn:\xc0\xaf"), ERULE, NULL, 0},
    {B("ou:\xed\xa0\x80"), ERULE, NULL, 0},
    /* syntax */
    {B("CN:client"), EKIND, NULL, 0},
    {B("spiffe:spiffe://a/b"), EKIND, NULL, 0},
    {B("client.example.com"), EKIND, NULL, 0},
    {B(""), ERULE, NULL, 0},
    {B("dns:a\0b.example.com"), ERULE, NULL, 0},
};

TEST(rule_syntax) {
  for (size_t i = 0; i < sizeof rule_rows / sizeof rule_rows[0]; i++) {
    const rule_row *r = &rule_rows[i];
    mtk_authz *az;
    CHECK_STATUS(mtk_authz_new(&az), MTK_OK);
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status s = mtk_authz_add(az, r->rule, r->len, &d);
    if (s != r->want) {
      fprintf(stderr, "  rule %zu '%s': %s, expected %s (%s)\n", i, r->rule, mtk_status_name(s),
              mtk_status_name(r->want), d.err.detail);
      test_failures_in_current++;
    } else if (s == MTK_OK) {
      CHECK_EQ_INT(mtk_authz_count(az), 1);
      CHECK_STR(mtk_authz_rule(az, 0), r->canonical ? r->canonical : r->rule);
      CHECK(mtk_authz_kind_of(az, 0) == r->kind);
    } else {
      CHECK(d.err.code == s && d.err.detail[0] != '\0');
      CHECK_EQ_INT(mtk_authz_count(az), 0);
    }
    mtk_authz_free(az);
  }
}

TEST(rule_limits) {
  mtk_authz *az;
  CHECK_STATUS(mtk_authz_new(&az), MTK_OK);
  mtk_diag d;
  mtk_diag_init(&d);
  /* A SPIFFE ID of exactly 2048 octets is fine; 2049 is not. */
  static char id[2100];
  size_t n = (size_t)snprintf(id, sizeof id, "uri:spiffe://td/");
  while (n < 4 + 2048) id[n++] = 'a';
  id[n] = '\0';
  CHECK_STATUS(mtk_authz_add(az, id, n, &d), MTK_OK);
  id[n] = 'a';
  CHECK_STATUS(mtk_authz_add(az, id, n + 1, &d), MTK_ERR_AUTHZ_SPIFFE);
  /* A trust domain of 256 octets is too long. */
  n = (size_t)snprintf(id, sizeof id, "uri:spiffe://");
  for (size_t i = 0; i < 256; i++) id[n++] = 'a';
  n += (size_t)snprintf(id + n, sizeof id - n, "/x");
  CHECK_STATUS(mtk_authz_add(az, id, n, &d), MTK_ERR_AUTHZ_SPIFFE);
  CHECK_STATUS(mtk_authz_add(az, id, MTK_AUTHZ_RULE_MAX + 1, &d), MTK_ERR_AUTHZ_RULE);
  CHECK_STATUS(mtk_authz_add(NULL, "cn:x", 4, &d), MTK_ERR_ARG);
  CHECK_EQ_INT(mtk_authz_count(az), 1);
  CHECK(mtk_authz_rule(az, 1) == NULL);
  mtk_authz_free(az);
  mtk_authz_free(NULL);
}

TEST(parse_names_the_bad_rule) {
  const char *rules[] = {"dns:a.example.com", "ip:10.0.0.0/8", "ip:10.0.0.1/8", "cn:x"};
  mtk_authz *az = (mtk_authz *)1;
  size_t bad = 99;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_authz_parse(rules, 4, &az, &bad, &d), MTK_ERR_AUTHZ_RULE);
  CHECK(az == NULL);
  CHECK_EQ_INT(bad, 2);
  CHECK_STR(d.err.path, "rules[2]");
  CHECK(strstr(d.err.detail, "host bits") != NULL);
  /* the offset is inside the rule: "ip:" + the address */
  CHECK_EQ_INT(d.err.offset, 3);
  mtk_diag_init(&d);
  const char *good[] = {"dns:a.example.com", "cn:x"};
  CHECK_STATUS(mtk_authz_parse(good, 2, &az, &bad, &d), MTK_OK);
  CHECK(az != NULL && mtk_authz_count(az) == 2);
  mtk_authz_free(az);
  mtk_diag_init(&d);
  const char *kinds[] = {"host:a.example.com"};
  CHECK_STATUS(mtk_authz_parse(kinds, 1, &az, &bad, &d), MTK_ERR_AUTHZ_KIND);
  CHECK(strstr(d.err.detail, "unknown type 'host'") != NULL);
  mtk_diag_init(&d);
  const char *spiffe[] = {"uri:spiffe://td/a/b", "uri:spiffe://td/a/b?x"};
  CHECK_STATUS(mtk_authz_parse(spiffe, 2, &az, &bad, &d), MTK_ERR_AUTHZ_SPIFFE);
  CHECK_EQ_INT(bad, 1);
  CHECK_EQ_INT(d.err.offset, 4 + 15);
  CHECK(strstr(d.err.detail, "query") != NULL);
}

/* ---- certificates and checks -------------------------------------------------------- */

typedef struct tcert {
  uint8_t *der;
  size_t len;
  mtk_cert c;
  bool ok;
} tcert;

/* make: a client certificate with SAN |sans| (none if n is 0) and subject
 * |subject| (NULL: CN=client-1). */
static void make(tcert *t, const tb_gn *sans, size_t n, const tb_name *subject,
                 const tb_name *issuer) {
  tb_cert_spec s;
  memset(t, 0, sizeof *t);
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  if (subject != NULL)
    tb_name_copy(&s.subject, subject);
  else
    tb_name_add(&s.subject, "CN", "client-1");
  if (issuer != NULL) tb_name_copy(&s.issuer, issuer);
  else tb_name_add(&s.issuer, "CN", "Client CA");
  if (n > 0) tb_ext_san(&s.exts, false, sans, n);
  int rc = tb_cert_build(&s, &t->der, &t->len);
  tb_cert_spec_cleanup(&s);
  if (rc != 0) return;
  mtk_diag d;
  mtk_diag_init(&d);
  t->ok = mtk_cert_parse(&t->c, t->der, t->len, &d) == MTK_OK;
  if (!t->ok) fprintf(stderr, "certificate does not parse: %s\n", d.err.detail);
}

static void drop(tcert *t) { free(t->der); }

static mtk_authz *rules1(const char *rule) {
  mtk_authz *az = NULL;
  mtk_diag d;
  mtk_diag_init(&d);
  const char *r[1] = {rule};
  if (mtk_authz_parse(r, 1, &az, NULL, &d) != MTK_OK)
    fprintf(stderr, "rule '%s' refused: %s\n", rule, d.err.detail);
  return az;
}

/* allowed: does |rule| let a client with SAN |g| (and the default subject)
 * in? */
static bool allowed_by(const char *rule, const tb_gn *g, size_t n) {
  tcert t;
  make(&t, g, n, NULL, NULL);
  mtk_authz *az = rules1(rule);
  mtk_authz_result res;
  bool ok = t.ok && az != NULL && mtk_authz_check(az, &t.c, &res) == MTK_OK && res.allowed;
  mtk_authz_free(az);
  drop(&t);
  return ok;
}

static bool uri_allowed(const char *rule, const char *uri) {
  tb_gn g = tb_gn_uri(uri);
  return allowed_by(rule, &g, 1);
}

TEST(spiffe_exact) {
  const char *id = "spiffe://prod.example.org/ns/payments/sa/web";
  CHECK(uri_allowed("uri:spiffe://prod.example.org/ns/payments/sa/web", id));
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/ns/payments/sa/api", id));
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/ns/payments", id));     /* no prefix match */
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/ns/payments/sa/web/x", id));
  CHECK(!uri_allowed("uri:spiffe://dev.example.org/ns/payments/sa/web", id)); /* trust domain */
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/ns/Payments/sa/web", id)); /* path case */
  CHECK(!uri_allowed("uri:spiffe://prod.example.or/ns/payments/sa/web", id));
  CHECK(!uri_allowed("uri:spiffe://prod.example.org.evil/ns/payments/sa/web",
                     "spiffe://prod.example.org/ns/payments/sa/web"));
}

TEST(spiffe_star_is_one_segment) {
  const char *rule = "uri:spiffe://prod.example.org/ns/*/sa/web";
  CHECK(uri_allowed(rule, "spiffe://prod.example.org/ns/payments/sa/web"));
  CHECK(uri_allowed(rule, "spiffe://prod.example.org/ns/x/sa/web"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/a/b/sa/web"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/sa/web"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/x/sa/api"));
  CHECK(uri_allowed("uri:spiffe://prod.example.org/*", "spiffe://prod.example.org/a"));
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/*", "spiffe://prod.example.org/a/b"));
}

TEST(spiffe_double_star_is_the_rest) {
  const char *rule = "uri:spiffe://prod.example.org/ns/payments/**";
  CHECK(uri_allowed(rule, "spiffe://prod.example.org/ns/payments/sa/web"));
  CHECK(uri_allowed(rule, "spiffe://prod.example.org/ns/payments/a"));
  CHECK(uri_allowed(rule, "spiffe://prod.example.org/ns/payments/a/b/c/d"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/payments"));   /* one or more */
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/paymentsX/a"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/ns/other/a"));
  CHECK(uri_allowed("uri:spiffe://prod.example.org/**", "spiffe://prod.example.org/x/y"));
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/**", "spiffe://dev.example.org/x/y"));
  CHECK(uri_allowed("uri:spiffe://prod.example.org/*/sa/**",
                    "spiffe://prod.example.org/ns/sa/web/1"));
}

/* The presented SPIFFE ID is validated as strictly as a rule. */
TEST(spiffe_presented_must_be_valid) {
  const char *rule = "uri:spiffe://prod.example.org/**";
  CHECK(!uri_allowed(rule, "spiffe://Prod.example.org/a"));
  CHECK(!uri_allowed(rule, "SPIFFE://prod.example.org/a"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a/"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a//b"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a/../b"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a?x"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a#x"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org:8443/a"));
  CHECK(!uri_allowed(rule, "spiffe://u@prod.example.org/a"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/a%2fb"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org/*"));
  CHECK(!uri_allowed(rule, "spiffe://prod.example.org"));   /* no path */
  CHECK(!uri_allowed("uri:spiffe://prod.example.org/*", "spiffe://prod.example.org/"));
  tb_gn nul = tb_gn_str_n(TB_GN_URI, B("spiffe://prod.example.org/a\0b"));
  CHECK(!allowed_by(rule, &nul, 1));
  CHECK(mtk_spiffe_id_check((const uint8_t *)"spiffe://td/a", 13, false, NULL) == NULL);
  size_t off = 0;
  CHECK(mtk_spiffe_id_check((const uint8_t *)"spiffe://td/a/", 14, false, &off) != NULL);
  CHECK_EQ_INT(off, 14);
}

/* X509-SVID 2: more than one URI SAN, and a SPIFFE rule never matches. */
TEST(spiffe_needs_exactly_one_uri_san) {
  tb_gn two[2] = {tb_gn_uri("spiffe://prod.example.org/ns/a"),
                  tb_gn_uri("spiffe://prod.example.org/ns/b")};
  CHECK(!allowed_by("uri:spiffe://prod.example.org/ns/a", two, 2));
  CHECK(!allowed_by("uri:spiffe://prod.example.org/**", two, 2));
  tb_gn mixed[2] = {tb_gn_uri("spiffe://prod.example.org/ns/a"),
                    tb_gn_uri("https://client.example.com/")};
  CHECK(!allowed_by("uri:spiffe://prod.example.org/ns/a", mixed, 2));
  /* ... but an exact non-SPIFFE URI rule still matches its entry */
  CHECK(allowed_by("uri:https://client.example.com/", mixed, 2));
  /* other SAN types do not count */
  tb_gn with_dns[3] = {tb_gn_dns("web.example.org"), tb_gn_uri("spiffe://prod.example.org/ns/a"),
                       tb_gn_email("ops@example.org")};
  CHECK(allowed_by("uri:spiffe://prod.example.org/ns/a", with_dns, 3));

  tcert t;
  make(&t, two, 2, NULL, NULL);
  mtk_authz *az = rules1("uri:spiffe://prod.example.org/**");
  mtk_authz_result res;
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(!res.allowed && res.n_uri_sans == 2 && res.rule == SIZE_MAX);
  mtk_authz_free(az);
  drop(&t);
}

TEST(uri_exact) {
  CHECK(uri_allowed("uri:https://client.example.com/id", "https://client.example.com/id"));
  CHECK(!uri_allowed("uri:https://client.example.com/id", "https://client.example.com/ID"));
  CHECK(!uri_allowed("uri:https://client.example.com/id", "https://client.example.com/id/"));
  CHECK(!uri_allowed("uri:https://client.example.com/id", "HTTPS://client.example.com/id"));
  CHECK(uri_allowed("uri:urn:uuid:1234", "urn:uuid:1234"));
  /* several URI SANs are fine for an exact non-SPIFFE rule */
  tb_gn g[2] = {tb_gn_uri("urn:a"), tb_gn_uri("urn:b")};
  CHECK(allowed_by("uri:urn:b", g, 2));
}

static bool dns_allowed(const char *rule, const char *name) {
  tb_gn g = tb_gn_dns(name);
  return allowed_by(rule, &g, 1);
}

TEST(dns_rules) {
  CHECK(dns_allowed("dns:client.example.com", "client.example.com"));
  CHECK(dns_allowed("dns:client.example.com", "CLIENT.Example.com"));
  CHECK(dns_allowed("dns:client.example.com.", "client.example.com"));
  CHECK(!dns_allowed("dns:client.example.com", "client.example.com."));  /* malformed SAN */
  CHECK(!dns_allowed("dns:client.example.com", "xclient.example.com"));
  CHECK(!dns_allowed("dns:client.example.com", "example.com"));
  CHECK(dns_allowed("dns:*.svc.example.com", "web.svc.example.com"));
  CHECK(dns_allowed("dns:*.svc.example.com", "WEB.SVC.example.com"));
  CHECK(!dns_allowed("dns:*.svc.example.com", "svc.example.com"));        /* exactly one label */
  CHECK(!dns_allowed("dns:*.svc.example.com", "a.web.svc.example.com"));
  CHECK(!dns_allowed("dns:*.svc.example.com", "web.xsvc.example.com"));
  CHECK(!dns_allowed("dns:*.svc.example.com", "*.svc.example.com"));      /* not an identity */
  CHECK(!dns_allowed("dns:*.svc.example.com", "web.svc.example.com."));
  CHECK(dns_allowed("dns:café.example", "xn--caf-dma.example"));
  tb_gn nul = tb_gn_dns_n(B("client.example.com\0.evil"));
  CHECK(!allowed_by("dns:client.example.com", &nul, 1));
  tb_gn nul2 = tb_gn_dns_n(B("web\0.svc.example.com"));
  CHECK(!allowed_by("dns:*.svc.example.com", &nul2, 1));
}

static bool ip_allowed(const char *rule, const char *ip) {
  tb_gn g = tb_gn_ip_text(ip);
  return allowed_by(rule, &g, 1);
}

TEST(ip_rules) {
  CHECK(ip_allowed("ip:10.1.2.3", "10.1.2.3"));
  CHECK(!ip_allowed("ip:10.1.2.3", "10.1.2.4"));
  CHECK(ip_allowed("ip:10.0.0.0/8", "10.255.0.1"));
  CHECK(ip_allowed("ip:10.0.0.0/8", "10.0.0.0"));
  CHECK(!ip_allowed("ip:10.0.0.0/8", "11.0.0.1"));
  CHECK(!ip_allowed("ip:10.0.0.0/8", "9.255.255.255"));
  CHECK(ip_allowed("ip:192.168.4.0/22", "192.168.7.255"));
  CHECK(!ip_allowed("ip:192.168.4.0/22", "192.168.8.0"));
  CHECK(!ip_allowed("ip:192.168.4.0/22", "192.168.3.255"));
  CHECK(ip_allowed("ip:0.0.0.0/0", "203.0.113.9"));
  CHECK(!ip_allowed("ip:0.0.0.0/0", "2001:db8::1"));                 /* families never mix */
  CHECK(ip_allowed("ip:2001:db8::/32", "2001:db8:ffff::1"));
  CHECK(!ip_allowed("ip:2001:db8::/32", "2001:db9::1"));
  CHECK(ip_allowed("ip:2001:db8::/33", "2001:db8:7fff::1"));
  CHECK(!ip_allowed("ip:2001:db8::/33", "2001:db8:8000::1"));
  CHECK(!ip_allowed("ip:10.0.0.0/8", "::ffff:10.0.0.1"));            /* mapped is not IPv4 */
  CHECK(ip_allowed("ip:::/0", "::1"));
  tb_gn raw = tb_gn_ip("\x0a\x00\x00\x01\xff\x00\x00\x00", 8);       /* wrong length */
  CHECK(!allowed_by("ip:10.0.0.0/8", &raw, 1));
}

static bool email_allowed(const char *rule, const void *mail, size_t len) {
  tb_gn g = tb_gn_str_n(TB_GN_EMAIL, mail, len);
  return allowed_by(rule, &g, 1);
}

TEST(email_rules) {
  CHECK(email_allowed("email:ops@example.com", B("ops@example.com")));
  CHECK(email_allowed("email:ops@example.com", B("ops@EXAMPLE.Com")));     /* domain: any case */
  CHECK(!email_allowed("email:ops@example.com", B("Ops@example.com")));    /* local part: exact */
  CHECK(!email_allowed("email:ops@example.com", B("ops@example.com.")));
  CHECK(!email_allowed("email:ops@example.com", B("ops@sub.example.com")));
  CHECK(!email_allowed("email:ops@example.com", B("x@ops@example.com")));
  CHECK(!email_allowed("email:ops@example.com", B("ops@example.com\0")));
  CHECK(!email_allowed("email:ops@example.com", B("example.com")));
  CHECK(email_allowed("email:ops@café.example", B("ops@xn--caf-dma.example")));
}

static bool subject_allowed(const char *rule, const tb_name *subject, const tb_name *issuer) {
  tcert t;
  make(&t, NULL, 0, subject, issuer);
  mtk_authz *az = rules1(rule);
  mtk_authz_result res;
  bool ok = t.ok && az != NULL && mtk_authz_check(az, &t.c, &res) == MTK_OK && res.allowed;
  if (ok) CHECK(res.from_subject);
  mtk_authz_free(az);
  drop(&t);
  return ok;
}

TEST(cn_ou_rules) {
  tb_name n;
  memset(&n, 0, sizeof n);
  tb_name_add_ex(&n, "CN", MTK_ASN1_UTF8STRING, B("client-1"), false);
  CHECK(subject_allowed("cn:client-1", &n, NULL));
  CHECK(!subject_allowed("cn:Client-1", &n, NULL));        /* exact octets */
  CHECK(!subject_allowed("cn:client-", &n, NULL));
  CHECK(!subject_allowed("ou:client-1", &n, NULL));        /* CN is not OU */
  tb_name_clear(&n);
  tb_name_add_ex(&n, "CN", MTK_ASN1_PRINTABLESTRING, B("client-1"), false);
  CHECK(subject_allowed("cn:client-1", &n, NULL));
  tb_name_clear(&n);
  tb_name_add_ex(&n, "CN", MTK_ASN1_BMPSTRING, B("\0c\0l\0i\0e\0n\0t\0-\0001"), false);
  CHECK(!subject_allowed("cn:client-1", &n, NULL));        /* other string types never */
  tb_name_clear(&n);
  tb_name_add_ex(&n, "CN", MTK_ASN1_UTF8STRING, B("Zoë"), false);
  CHECK(subject_allowed("cn:Zoë", &n, NULL));
  tb_name_clear(&n);
  tb_name_add_ex(&n, "CN", MTK_ASN1_UTF8STRING, B("client-1\0x"), false);
  CHECK(!subject_allowed("cn:client-1", &n, NULL));
  /* two CNs: which one is meant? neither */
  tb_name_clear(&n);
  tb_name_add(&n, "CN", "client-1");
  tb_name_add(&n, "CN", "admin");
  CHECK(!subject_allowed("cn:client-1", &n, NULL));
  CHECK(!subject_allowed("cn:admin", &n, NULL));
  /* only the subject, never the issuer */
  tb_name iss;
  memset(&iss, 0, sizeof iss);
  tb_name_add(&iss, "CN", "client-1");
  tb_name_add(&iss, "OU", "payments");
  tb_name_clear(&n);
  tb_name_add(&n, "CN", "someone-else");
  CHECK(!subject_allowed("cn:client-1", &n, &iss));
  CHECK(!subject_allowed("ou:payments", &n, &iss));
  /* OU: any of several */
  tb_name_clear(&n);
  tb_name_add(&n, "O", "Example");
  tb_name_add(&n, "OU", "eu");
  tb_name_add(&n, "OU", "payments");
  tb_name_add(&n, "CN", "client-1");
  CHECK(subject_allowed("ou:payments", &n, NULL));
  CHECK(subject_allowed("ou:eu", &n, NULL));
  CHECK(!subject_allowed("ou:pay", &n, NULL));
  CHECK(!subject_allowed("ou:Example", &n, NULL));
  tb_name_clear(&n);
  tb_name_clear(&iss);
}

TEST(rules_or_lowest_index_reported) {
  tb_gn g[3] = {tb_gn_dns("web.svc.example.com"), tb_gn_ip_text("10.1.2.3"),
                tb_gn_uri("spiffe://prod.example.org/ns/payments/sa/web")};
  tcert t;
  make(&t, g, 3, NULL, NULL);
  CHECK(t.ok);
  const char *rules[] = {"dns:nope.example.com", "cn:client-1", "ip:10.0.0.0/8",
                         "uri:spiffe://prod.example.org/ns/*/sa/web", "dns:*.svc.example.com"};
  mtk_authz *az;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_authz_parse(rules, 5, &az, NULL, &d), MTK_OK);
  mtk_authz_result res;
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(res.allowed);
  CHECK_EQ_INT(res.rule, 1);
  CHECK(res.kind == MTK_AUTHZ_CN && res.from_subject);
  CHECK(res.presented.len == 8 && memcmp(res.presented.p, "client-1", 8) == 0);
  mtk_authz_free(az);

  const char *rules2[] = {"dns:*.svc.example.com", "uri:spiffe://prod.example.org/ns/*/sa/web"};
  CHECK_STATUS(mtk_authz_parse(rules2 + 1, 1, &az, NULL, &d), MTK_OK);
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(res.allowed && res.rule == 0 && res.kind == MTK_AUTHZ_SPIFFE);
  CHECK(res.san_type == MTK_GN_URI && res.san_index == 2 && !res.from_subject);
  CHECK(res.n_uri_sans == 1);
  mtk_authz_free(az);
  CHECK_STATUS(mtk_authz_parse(rules2, 2, &az, NULL, &d), MTK_OK);
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(res.allowed && res.rule == 0 && res.kind == MTK_AUTHZ_DNS && res.san_index == 0);
  mtk_authz_free(az);

  /* An empty set allows nobody. */
  CHECK_STATUS(mtk_authz_new(&az), MTK_OK);
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(!res.allowed && res.rule == SIZE_MAX);
  CHECK_STATUS(mtk_authz_check(NULL, &t.c, &res), MTK_ERR_ARG);
  CHECK_STATUS(mtk_authz_check(az, NULL, &res), MTK_ERR_ARG);
  CHECK_STATUS(mtk_authz_check(az, &t.c, NULL), MTK_ERR_ARG);
  mtk_authz_free(az);

  /* Fail closed on a SAN that cannot be iterated. */
  az = rules1("dns:*.svc.example.com");
  mtk_cert bad = t.c;
  static const uint8_t garbage[] = {0x30, 0x05, 0x82, 0x09, 'a', 'b', 'c'};
  mtk_cbs_init(&bad.exts.known[MTK_XK_SAN].value, garbage, sizeof garbage);
  CHECK_STATUS(mtk_authz_check(az, &bad, &res), MTK_ERR_X509_EXTENSION);
  CHECK(!res.allowed);
  bad = t.c;
  bad.exts.known_count[MTK_XK_SAN] = 2;
  CHECK_STATUS(mtk_authz_check(az, &bad, &res), MTK_ERR_X509_EXTENSION);
  mtk_authz_free(az);
  drop(&t);
}

TEST(many_rules) {
  mtk_authz *az;
  CHECK_STATUS(mtk_authz_new(&az), MTK_OK);
  mtk_diag d;
  mtk_diag_init(&d);
  char rule[96];
  for (int i = 0; i < 500; i++) {
    snprintf(rule, sizeof rule, "uri:spiffe://prod.example.org/ns/n%d/sa/*", i);
    CHECK_STATUS(mtk_authz_add(az, rule, strlen(rule), &d), MTK_OK);
  }
  tb_gn g = tb_gn_uri("spiffe://prod.example.org/ns/n499/sa/web");
  tcert t;
  make(&t, &g, 1, NULL, NULL);
  mtk_authz_result res;
  CHECK_STATUS(mtk_authz_check(az, &t.c, &res), MTK_OK);
  CHECK(res.allowed && res.rule == 499);
  CHECK_STR(mtk_authz_kind_name(res.kind), "spiffe");
  drop(&t);
  mtk_authz_free(az);
}

int main(void) {
  RUN(rule_syntax);
  RUN(rule_limits);
  RUN(parse_names_the_bad_rule);
  RUN(spiffe_exact);
  RUN(spiffe_star_is_one_segment);
  RUN(spiffe_double_star_is_the_rest);
  RUN(spiffe_presented_must_be_valid);
  RUN(spiffe_needs_exactly_one_uri_san);
  RUN(uri_exact);
  RUN(dns_rules);
  RUN(ip_rules);
  RUN(email_rules);
  RUN(cn_ou_rules);
  RUN(rules_or_lowest_index_reported);
  RUN(many_rules);
  return test_summary();
}

/* match_bench.c: service identity matching, mtlskit against OpenSSL, in one
 * process.
 *
 * Certificates with 1, 10 and 100 DNS SANs (every fourth a wildcard
 * "*.wN.example.net", the others "svcN.clusterM.example.com") plus one IPv4
 * and one IPv6 SAN are made with the test certificate factory (certgen). Each
 * is parsed once by both libraries (mtk_cert_parse; d2i_X509), outside the
 * timing. Then, per certificate and case, interleaved over several rounds
 * (the order of the variants rotates each round):
 *
 *   (o)  OpenSSL: X509_check_host(x, name, len,
 *        X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT)
 *        for DNS cases, X509_check_ip(x, octets, len, 0) for IP cases (the
 *        closest OpenSSL gets to RFC 9525 strict mode);
 *   (m)  mtlskit: mtk_identity_match(&cert, &ref, 1, 0, &res), the reference
 *        parsed beforehand (as a verifier does once per connection target),
 *        with the per-identifier report that a failed match fills;
 *   (v)  mtlskit with MTK_ID_VERDICT_ONLY (no report);
 *   (p)  mtlskit: mtk_ref_parse_dns/_ip and mtk_identity_match, per check,
 *        for a like-for-like comparison with OpenSSL, which takes text.
 *
 * Cases: DNS hit on the first SAN, on the last DNS SAN, by the last wildcard,
 * a DNS miss, an IP hit (the IPv4 SAN, after every DNS SAN) and an IP miss.
 * Both libraries must agree on every verdict, or the program stops. Times are
 * CLOCK_MONOTONIC, ns per check, median of the rounds; ratios are OpenSSL
 * over mtlskit, per round, median. Each variant folds its verdicts into a
 * checksum that is printed.
 *
 * Usage: match_bench [-r ROUNDS] [-t MS_PER_MEASURE] */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "mtlskit/identity.h"
#include "mtlskit/x509.h"

#define MAX_ROUNDS 101
#define N_VARIANTS 4

static const char *const variant_names[N_VARIANTS] = {"openssl", "mtlskit", "verdict-only",
                                                      "parse+match"};

typedef struct bcert {
  size_t n_dns;
  uint8_t *der;
  size_t len;
  mtk_cert mc;
  X509 *x;
} bcert;

typedef struct bcase {
  const char *name;
  bool ip;
  char text[96];
  uint8_t octets[16];
  size_t octets_len;
  bool expect;
  mtk_ref ref;
} bcase;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void dns_name(size_t i, char *out, size_t cap) {
  if (i % 4 == 3)
    snprintf(out, cap, "*.w%zu.example.net", i);
  else
    snprintf(out, cap, "svc%zu.cluster%zu.example.com", i, i % 7);
}

static bool make_cert(bcert *c, size_t n_dns) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "O", "mtlskit bench");
  tb_name_add(&s.issuer, "CN", "Bench CA");
  size_t n = n_dns + 2;
  tb_gn *g = calloc(n, sizeof *g);
  char(*names)[64] = calloc(n_dns, sizeof *names);
  if (g == NULL || names == NULL) return false;
  for (size_t i = 0; i < n_dns; i++) {
    dns_name(i, names[i], sizeof names[i]);
    g[i] = tb_gn_dns(names[i]);
  }
  g[n_dns] = tb_gn_ip_text("192.0.2.10");
  g[n_dns + 1] = tb_gn_ip_text("2001:db8::10");
  tb_ext_san(&s.exts, false, g, n);
  int rc = tb_cert_build(&s, &c->der, &c->len);
  tb_cert_spec_cleanup(&s);
  free(g);
  free(names);
  if (rc != 0) return false;
  c->n_dns = n_dns;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_cert_parse(&c->mc, c->der, c->len, &d) != MTK_OK) return false;
  const unsigned char *p = c->der;
  c->x = d2i_X509(NULL, &p, (long)c->len);
  return c->x != NULL;
}

static size_t make_cases(const bcert *c, bcase *cs) {
  size_t k = 0;
  memset(cs, 0, 6 * sizeof *cs);
  cs[k].name = "dns hit, first SAN";
  dns_name(0, cs[k].text, sizeof cs[k].text);
  cs[k++].expect = true;
  size_t last = c->n_dns - 1;
  while (last > 0 && last % 4 == 3) last--;
  cs[k].name = "dns hit, last DNS SAN";
  dns_name(last, cs[k].text, sizeof cs[k].text);
  cs[k++].expect = true;
  if (c->n_dns >= 4) {
    size_t w = (c->n_dns - 1) / 4 * 4 + 3;
    if (w >= c->n_dns) w -= 4;
    cs[k].name = "dns hit, wildcard";
    snprintf(cs[k].text, sizeof cs[k].text, "host.w%zu.example.net", w);
    cs[k++].expect = true;
  }
  cs[k].name = "dns miss";
  snprintf(cs[k].text, sizeof cs[k].text, "nothere.example.org");
  cs[k++].expect = false;
  cs[k].name = "ip hit (after all DNS)";
  cs[k].ip = true;
  snprintf(cs[k].text, sizeof cs[k].text, "192.0.2.10");
  cs[k++].expect = true;
  cs[k].name = "ip miss";
  cs[k].ip = true;
  snprintf(cs[k].text, sizeof cs[k].text, "198.51.100.7");
  cs[k++].expect = false;
  for (size_t i = 0; i < k; i++) {
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status s = cs[i].ip ? mtk_ref_parse_ip(cs[i].text, strlen(cs[i].text), &cs[i].ref, &d)
                            : mtk_ref_parse_dns(cs[i].text, strlen(cs[i].text), &cs[i].ref, &d);
    if (s != MTK_OK) {
      fprintf(stderr, "reference %s: %s\n", cs[i].text, d.err.detail);
      exit(1);
    }
    memcpy(cs[i].octets, cs[i].ref.ip, 16);
    cs[i].octets_len = cs[i].ref.ip_len;
  }
  return k;
}

static const unsigned ossl_flags =
    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT;

static bool run_one(int v, const bcert *c, const bcase *k, mtk_match_result *res) {
  switch (v) {
    case 0:
      if (k->ip) return X509_check_ip(c->x, k->octets, k->octets_len, 0) == 1;
      return X509_check_host(c->x, k->text, strlen(k->text), ossl_flags, NULL) == 1;
    case 1:
      return mtk_identity_match(&c->mc, &k->ref, 1, 0, res) == MTK_OK && res->matched;
    case 2:
      return mtk_identity_match(&c->mc, &k->ref, 1, MTK_ID_VERDICT_ONLY, res) == MTK_OK &&
             res->matched;
    default: {
      mtk_ref ref;
      mtk_diag d;
      mtk_diag_init(&d);
      size_t len = strlen(k->text);
      mtk_status s = k->ip ? mtk_ref_parse_ip(k->text, len, &ref, &d)
                           : mtk_ref_parse_dns(k->text, len, &ref, &d);
      return s == MTK_OK && mtk_identity_match(&c->mc, &ref, 1, 0, res) == MTK_OK &&
             res->matched;
    }
  }
}

static uint64_t checksum[N_VARIANTS];

/* measure: ns per check of variant |v| over at least |ms| milliseconds. */
static double measure(int v, const bcert *c, const bcase *k, double ms, mtk_match_result *res) {
  size_t iters = 64;
  for (;;) {
    double t0 = now_ns();
    for (size_t i = 0; i < iters; i++) checksum[v] = checksum[v] * 31u + (run_one(v, c, k, res) ? 1u : 2u);
    double dt = now_ns() - t0;
    if (dt >= ms * 1e6 || iters > ((size_t)1 << 30)) return dt / (double)iters;
    iters *= dt > 0 ? (size_t)(ms * 1e6 / dt * 1.2) + 2 : 16;
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
  int rounds = 11;
  double ms = 20;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
      rounds = (int)strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
      ms = strtod(argv[++i], NULL);
    else {
      fprintf(stderr, "usage: match_bench [-r ROUNDS] [-t MS_PER_MEASURE]\n");
      return 2;
    }
  }
  if (rounds < 1) rounds = 1;
  if (rounds > MAX_ROUNDS) rounds = MAX_ROUNDS;
  static const size_t sizes[] = {1, 10, 100};
  bcert certs[3];
  mtk_match_result *res = malloc(sizeof *res);
  if (res == NULL) return 1;
  printf("match_bench: %d rounds, >= %.0f ms per measure; %s\n", rounds, ms,
         OpenSSL_version(OPENSSL_VERSION));
  printf("%-5s %-24s %10s %10s %10s %10s %9s %9s\n", "SANs", "case", "openssl", "mtlskit",
         "verdict", "parse+m", "ratio", "ratio(v)");
  printf("%-5s %-24s %10s %10s %10s %10s %9s %9s\n", "", "", "ns/check", "ns/check", "ns/check",
         "ns/check", "o/m", "o/v");
  for (size_t ci = 0; ci < 3; ci++) {
    bcert *c = &certs[ci];
    memset(c, 0, sizeof *c);
    if (!make_cert(c, sizes[ci])) {
      fprintf(stderr, "could not make a certificate with %zu SANs\n", sizes[ci]);
      return 1;
    }
    bcase cs[6];
    size_t nk = make_cases(c, cs);
    for (size_t ki = 0; ki < nk; ki++) {
      const bcase *k = &cs[ki];
      for (int v = 0; v < N_VARIANTS; v++) {
        if (run_one(v, c, k, res) != k->expect) {
          fprintf(stderr, "%zu SANs, %s (%s): %s says %s, expected %s\n", c->n_dns + 2, k->name,
                  k->text, variant_names[v], k->expect ? "no match" : "match",
                  k->expect ? "match" : "no match");
          return 1;
        }
      }
      double t[N_VARIANTS][MAX_ROUNDS], ratio[MAX_ROUNDS], ratio_v[MAX_ROUNDS];
      for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < N_VARIANTS; j++) {
          int v = (j + r) % N_VARIANTS;
          t[v][r] = measure(v, c, k, ms, res);
        }
        ratio[r] = t[0][r] / t[1][r];
        ratio_v[r] = t[0][r] / t[2][r];
      }
      double med[N_VARIANTS];
      for (int v = 0; v < N_VARIANTS; v++) med[v] = median(t[v], rounds);
      printf("%-5zu %-24s %10.1f %10.1f %10.1f %10.1f %8.1fx %8.1fx\n", c->n_dns + 2, k->name,
             med[0], med[1], med[2], med[3], median(ratio, rounds), median(ratio_v, rounds));
      fflush(stdout);
    }
  }
  printf("checksums: %llx %llx %llx %llx\n", (unsigned long long)checksum[0],
         (unsigned long long)checksum[1], (unsigned long long)checksum[2],
         (unsigned long long)checksum[3]);
  for (size_t ci = 0; ci < 3; ci++) {
    X509_free(certs[ci].x);
    free(certs[ci].der);
  }
  free(res);
  return 0;
}

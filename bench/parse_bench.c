/* parse_bench.c: certificate parsing, mtlskit against OpenSSL, in one process.
 *
 * Loads every certificate of a PEM bundle (default: the system CA bundle) as
 * DER in memory, then times, interleaved over several rounds (the order of the
 * variants rotates each round, so drift and noise hit all of them alike):
 *
 *   (a)  OpenSSL: d2i_X509, then the fields a certificate tool reads: serial,
 *        issuer and subject (DER and every attribute's OID and value), notBefore
 *        and notAfter as seconds since the epoch, the SAN list, key type and
 *        bits (X509_get0_pubkey, EVP_PKEY_get_bits), every extension's OID and
 *        criticality; X509_free.
 *   (a') OpenSSL: d2i_X509 and X509_free only, no extraction.
 *   (b)  mtlskit: mtk_cert_parse, then the same fields from the views (SAN via
 *        the mtk_gn iterator, key type and bits from mtk_spki).
 *   (b') mtlskit: mtk_cert_parse only.
 *   (a'') OpenSSL: d2i_X509_PUBKEY of the certificate's SPKI only. OpenSSL 3.0
 *        decodes the public key into an EVP_PKEY (through its provider
 *        decoders) inside d2i_X509, and that is most of its cost; mtlskit
 *        only splits the key into views. (a) minus (a'') estimates OpenSSL's
 *        cost without that step, for an honest like-for-like ratio.
 *
 * Each variant folds what it read into a checksum that is printed, so nothing
 * is optimised away. Times are CLOCK_MONOTONIC, per certificate, median and best
 * of the rounds. Usage: parse_bench [-r ROUNDS] [-t MS_PER_MEASURE] [BUNDLE] */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mtlskit/pem.h"
#include "mtlskit/x509.h"

#define DEFAULT_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define MAX_ROUNDS 101

typedef struct cert {
  uint8_t *der;
  size_t len;
  size_t spki_off, spki_len;  /* the SubjectPublicKeyInfo inside |der| */
} cert;

static cert *certs;
static size_t n_certs;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- loading -------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *p = malloc(cap);
  while (p != NULL) {
    if (n == cap) {
      uint8_t *q = realloc(p, cap * 2);
      if (q == NULL) {
        free(p);
        p = NULL;
        break;
      }
      p = q;
      cap *= 2;
    }
    size_t got = fread(p + n, 1, cap - n, f);
    if (got == 0) break;
    n += got;
  }
  fclose(f);
  *out_len = n;
  return p;
}

static int load(const char *path) {
  size_t len = 0;
  uint8_t *in = read_file(path, &len);
  if (in == NULL) {
    fprintf(stderr, "parse_bench: cannot read %s\n", path);
    return -1;
  }
  uint8_t *buf = malloc(len ? len : 1);
  certs = calloc(len / 64 + 1, sizeof(*certs));
  if (buf == NULL || certs == NULL) {
    fprintf(stderr, "parse_bench: out of memory\n");
    free(in);
    free(buf);
    return -1;
  }
  mtk_pem_reader r;
  mtk_pem_obj obj;
  mtk_diag d;
  mtk_pem_reader_init(&r, in, len);
  for (;;) {
    mtk_diag_init(&d);
    if (mtk_pem_next(&r, buf, len, &obj, &d) != MTK_OK) {
      char msg[300];
      mtk_error_format(&d.err, msg, sizeof msg);
      fprintf(stderr, "parse_bench: %s: %s\n", path, msg);
      break;
    }
    if (obj.kind == MTK_OBJ_NONE) break;
    if (obj.kind != MTK_OBJ_CERT) continue;
    /* Keep only what both parsers accept, so both do the same work. */
    mtk_cert c;
    const unsigned char *p = obj.der.p;
    X509 *x = d2i_X509(NULL, &p, (long)obj.der.len);
    bool ok = x != NULL && mtk_cert_parse(&c, obj.der.p, obj.der.len, NULL) == MTK_OK;
    X509_free(x);
    if (!ok) continue;
    certs[n_certs].der = malloc(obj.der.len);
    if (certs[n_certs].der == NULL) break;
    memcpy(certs[n_certs].der, obj.der.p, obj.der.len);
    certs[n_certs].len = obj.der.len;
    certs[n_certs].spki_off = (size_t)(c.spki.elem.p - obj.der.p);
    certs[n_certs++].spki_len = c.spki.elem.len;
  }
  free(buf);
  free(in);
  return n_certs > 0 ? 0 : -1;
}

/* ---- the variants ----------------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }

static uint64_t mix_bytes(uint64_t h, const uint8_t *p, size_t n) {
  /* Touch the first and last octets and the length: enough to keep the
   * reads, cheap enough not to dominate. */
  h = mix(h, n);
  if (n > 0) h = mix(h, (uint64_t)p[0] << 8 | p[n - 1]);
  return h;
}

static ASN1_TIME *epoch;

static uint64_t ossl_name(uint64_t h, const X509_NAME *xn) {
  const unsigned char *der = NULL;
  size_t derlen = 0;
  if (X509_NAME_get0_der(xn, &der, &derlen)) h = mix_bytes(h, der, derlen);
  int n = X509_NAME_entry_count(xn);
  for (int i = 0; i < n; i++) {
    const X509_NAME_ENTRY *ne = X509_NAME_get_entry(xn, i);
    const ASN1_OBJECT *o = X509_NAME_ENTRY_get_object(ne);
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(ne);
    h = mix_bytes(h, OBJ_get0_data(o), OBJ_length(o));
    h = mix_bytes(h, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
  }
  return h;
}

static uint64_t ossl_time(uint64_t h, const ASN1_TIME *t) {
  int day = 0, sec = 0;
  if (ASN1_TIME_diff(&day, &sec, epoch, t)) h = mix(h, (uint64_t)((int64_t)day * 86400 + sec));
  return h;
}

static uint64_t run_openssl(int extract) {
  uint64_t h = 0;
  for (size_t i = 0; i < n_certs; i++) {
    const unsigned char *p = certs[i].der;
    X509 *x = d2i_X509(NULL, &p, (long)certs[i].len);
    if (x == NULL) continue;
    h = mix(h, certs[i].len);
    if (extract) {
      const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
      h = mix_bytes(h, ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn));
      h = ossl_name(h, X509_get_issuer_name(x));
      h = ossl_name(h, X509_get_subject_name(x));
      h = ossl_time(h, X509_get0_notBefore(x));
      h = ossl_time(h, X509_get0_notAfter(x));
      GENERAL_NAMES *gns = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
      for (int k = 0; k < sk_GENERAL_NAME_num(gns); k++) {
        int type = 0;
        const ASN1_STRING *v = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gns, k), &type);
        h = mix(h, (uint64_t)type);
        if (type == GEN_DNS || type == GEN_IPADD || type == GEN_EMAIL || type == GEN_URI)
          h = mix_bytes(h, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
      }
      GENERAL_NAMES_free(gns);
      EVP_PKEY *k = X509_get0_pubkey(x);
      if (k != NULL) h = mix(mix(h, (uint64_t)EVP_PKEY_get_base_id(k)), (uint64_t)EVP_PKEY_get_bits(k));
      int n = X509_get_ext_count(x);
      h = mix(h, (uint64_t)n);
      for (int e = 0; e < n; e++) {
        X509_EXTENSION *xe = X509_get_ext(x, e);
        const ASN1_OBJECT *o = X509_EXTENSION_get_object(xe);
        h = mix_bytes(h, OBJ_get0_data(o), OBJ_length(o));
        h = mix(h, (uint64_t)X509_EXTENSION_get_critical(xe));
      }
    }
    X509_free(x);
  }
  return h;
}

/* (a'') the part of d2i_X509 that decodes the public key: OpenSSL 3.0 turns
 * the SPKI into an EVP_PKEY through its provider decoders during d2i_X509. */
static uint64_t run_openssl_spki(int unused) {
  uint64_t h = 0;
  (void)unused;
  for (size_t i = 0; i < n_certs; i++) {
    const unsigned char *p = certs[i].der + certs[i].spki_off;
    X509_PUBKEY *k = d2i_X509_PUBKEY(NULL, &p, (long)certs[i].spki_len);
    if (k == NULL) continue;
    h = mix(h, certs[i].spki_len);
    X509_PUBKEY_free(k);
  }
  return h;
}

static uint64_t mtk_name_sum(uint64_t h, const mtk_name *n) {
  mtk_name_iter it;
  mtk_attr a;
  h = mix_bytes(h, n->elem.p, n->elem.len);
  mtk_name_iter_init(&it, n);
  while (mtk_name_next(&it, &a)) {
    h = mix_bytes(h, a.oid.p, a.oid.len);
    h = mix_bytes(h, a.value.p, a.value.len);
  }
  return h;
}

static uint64_t run_mtlskit(int extract) {
  uint64_t h = 0;
  mtk_cert c;
  for (size_t i = 0; i < n_certs; i++) {
    if (mtk_cert_parse(&c, certs[i].der, certs[i].len, NULL) != MTK_OK) continue;
    if (!extract) {
      h = mix(h, c.der.len);
      continue;
    }
    h = mix_bytes(h, c.serial.p, c.serial.len);
    h = mtk_name_sum(h, &c.issuer);
    h = mtk_name_sum(h, &c.subject);
    h = mix(h, (uint64_t)c.not_before);
    h = mix(h, (uint64_t)c.not_after);
    const mtk_ext *san = mtk_ext_get(&c.exts, MTK_XK_SAN);
    mtk_gn_iter gi;
    mtk_gn g;
    if (san != NULL && mtk_gn_iter_init_ext(&gi, &san->value)) {
      while (mtk_gn_next(&gi, &g)) {
        h = mix(h, (uint64_t)g.type);
        if (g.type == MTK_GN_DNS || g.type == MTK_GN_IP || g.type == MTK_GN_EMAIL ||
            g.type == MTK_GN_URI)
          h = mix_bytes(h, g.value.p, g.value.len);
      }
    }
    h = mix(mix(h, (uint64_t)c.spki.type), c.spki.bits);
    mtk_ext_iter it;
    mtk_ext e;
    h = mix(h, c.exts.count);
    mtk_ext_iter_init(&it, &c.exts);
    while (mtk_ext_next(&it, &e)) {
      h = mix_bytes(h, e.oid.p, e.oid.len);
      h = mix(h, e.critical);
    }
  }
  return h;
}

/* ---- timing ------------------------------------------------------------------- */

typedef struct variant {
  const char *name;
  uint64_t (*fn)(int);
  int extract;
  unsigned reps;   /* passes over the bundle per measurement */
  double ns[MAX_ROUNDS];
  uint64_t sum;
} variant;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double median(const double *v, unsigned n) {
  double s[MAX_ROUNDS];
  memcpy(s, v, n * sizeof(*v));
  qsort(s, n, sizeof(*s), cmp_double);
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double best(const double *v, unsigned n) {
  double b = v[0];
  for (unsigned i = 1; i < n; i++)
    if (v[i] < b) b = v[i];
  return b;
}

int main(int argc, char **argv) {
  unsigned rounds = 15;
  double target_ms = 40;
  const char *path = DEFAULT_BUNDLE;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
      rounds = (unsigned)strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
      target_ms = strtod(argv[++i], NULL);
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: parse_bench [-r ROUNDS] [-t MS_PER_MEASURE] [BUNDLE]\n");
      return 2;
    } else {
      path = argv[i];
    }
  }
  if (rounds < 1 || rounds > MAX_ROUNDS || target_ms <= 0) {
    fprintf(stderr, "parse_bench: rounds must be 1..%d and -t positive\n", MAX_ROUNDS);
    return 2;
  }
  if (load(path) != 0) return 1;
  epoch = ASN1_TIME_set(NULL, 0);

  variant v[5] = {
      {"(a)  OpenSSL d2i_X509 + fields", run_openssl, 1, 1, {0}, 0},
      {"(a') OpenSSL d2i_X509 only", run_openssl, 0, 1, {0}, 0},
      {"(b)  mtlskit parse + fields", run_mtlskit, 1, 1, {0}, 0},
      {"(b') mtlskit parse only", run_mtlskit, 0, 1, {0}, 0},
      {"(a'') OpenSSL d2i_X509_PUBKEY only", run_openssl_spki, 0, 1, {0}, 0},
  };
  const unsigned nv = sizeof v / sizeof v[0];

  /* Warm up and calibrate: enough passes for ~target_ms per measurement. */
  for (unsigned k = 0; k < nv; k++) {
    double t0 = now_ns();
    v[k].sum += v[k].fn(v[k].extract);
    double one = now_ns() - t0;
    double want = target_ms * 1e6 / (one > 1 ? one : 1);
    v[k].reps = want < 1 ? 1 : want > 1e6 ? 1000000 : (unsigned)want;
  }

  for (unsigned r = 0; r < rounds; r++) {
    for (unsigned j = 0; j < nv; j++) {
      variant *x = &v[(r + j) % nv];
      double t0 = now_ns();
      for (unsigned k = 0; k < x->reps; k++) x->sum += x->fn(x->extract);
      double t1 = now_ns();
      x->ns[r] = (t1 - t0) / ((double)x->reps * (double)n_certs);
    }
  }

  printf("parse_bench: %zu certificates from %s, %u rounds, ~%.0f ms per measurement, "
         "interleaved\n",
         n_certs, path, rounds, target_ms);
  printf("%-34s %14s %14s\n", "variant", "median ns/cert", "best ns/cert");
  for (unsigned k = 0; k < nv; k++)
    printf("%-34s %14.0f %14.0f\n", v[k].name, median(v[k].ns, rounds), best(v[k].ns, rounds));
  /* Ratios per round (same round: same machine state), then their median. */
  double ra[MAX_ROUNDS], rb[MAX_ROUNDS], rc[MAX_ROUNDS];
  for (unsigned r = 0; r < rounds; r++) {
    ra[r] = v[0].ns[r] / v[2].ns[r];
    rb[r] = v[1].ns[r] / v[2].ns[r];
    rc[r] = v[1].ns[r] / v[3].ns[r];
  }
  printf("ratio (a)/(b)   OpenSSL+fields / mtlskit+fields: median %.1fx (min %.1fx, best/best %.1fx)\n",
         median(ra, rounds), best(ra, rounds), best(v[0].ns, rounds) / best(v[2].ns, rounds));
  printf("ratio (a')/(b)  OpenSSL d2i only / mtlskit+fields: median %.1fx (min %.1fx)\n",
         median(rb, rounds), best(rb, rounds));
  printf("ratio (a')/(b') OpenSSL d2i only / mtlskit parse only: median %.1fx (min %.1fx)\n",
         median(rc, rounds), best(rc, rounds));
  /* A difference of two noisy measurements: from the medians and from the
   * bests, not per round. */
  printf("ratio ((a)-(a''))/(b) OpenSSL+fields without its key decoding / mtlskit+fields: "
         "%.1fx from medians, %.1fx from bests (an estimate)\n",
         (median(v[0].ns, rounds) - median(v[4].ns, rounds)) / median(v[2].ns, rounds),
         (best(v[0].ns, rounds) - best(v[4].ns, rounds)) / best(v[2].ns, rounds));
  printf("checksum");
  for (unsigned k = 0; k < nv; k++) printf(" %016llx", (unsigned long long)v[k].sum);
  printf("\n");

  ASN1_TIME_free(epoch);
  for (size_t i = 0; i < n_certs; i++) free(certs[i].der);
  free(certs);
  return 0;
}

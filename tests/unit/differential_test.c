/* differential_test.c: mtk_cert_parse against OpenSSL's d2i_X509 on every
 * certificate we can get (STYLE.md 20, the differential oracle).
 *
 * Corpus: every certificate of the system CA bundle
 * (/etc/ssl/certs/ca-certificates.crt) and every PEM certificate of
 * x509-limbo (../shared/limbo/limbo-full.json.gz beside the source tree:
 * trusted_certs, untrusted_intermediates and peer_certificate of all 9,780
 * cases), deduplicated by SHA-256 of the DER. A missing corpus FAILS the test;
 * MTK_NO_LIMBO=1 skips the limbo part on purpose.
 *
 * PEM is decoded twice, by mtk_pem_next and by OpenSSL's PEM_read_bio, and the
 * DER bytes must agree. Then, on the same DER, d2i_X509 and mtk_cert_parse:
 *
 *   - accept/reject must agree, or the certificate must be on the expected list
 *     (tests/unit/differential_expected.tsv: SHA-256 prefix, direction,
 *     mtlskit status, OpenSSL reason, who is right and why). d2i_X509 leaves
 *     extension values undecoded, so OpenSSL's verdict also includes
 *     EXFLAG_INVALID (set when it decodes the extensions it uses) and its own
 *     decoding of the SAN, basicConstraints, keyUsage and extKeyUsage;
 *   - where both accept, every field below must agree exactly: version,
 *     serial (bytes and sign), both signature algorithm OIDs, signature bits,
 *     issuer and subject (whole DER, then per attribute: RDN index, type OID,
 *     value tag, value bytes), validity (seconds since the epoch via
 *     ASN1_TIME_diff, and the tag), unique IDs, SPKI algorithm OID and key
 *     bits, key type and size where OpenSSL can load the key, the extension
 *     list (OID, criticality, value bytes, in order), the SAN GeneralNames
 *     (type and value bytes, in order), basicConstraints, keyUsage bits and
 *     extKeyUsage OIDs. A list entry whose certificate no longer disagrees
 *     that way is stale and fails the test too.
 *
 * The summary line gives the counts; docs/differential.md explains them. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mtlskit/pem.h"
#include "mtlskit/x509.h"
#include "test.h"

#define CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define LIMBO_REL "/../shared/limbo/limbo-full.json.gz"
#define EXPECTED_REL "/tests/unit/differential_expected.tsv"
#define MAX_GUNZIP ((size_t)512 << 20)
#define MAX_PRINTED 60

/* ---- the corpus: unique DER certificates ------------------------------------ */

typedef struct cert_src {
  uint8_t *der;
  size_t len;
  uint8_t sha[32];
  char *origin;  /* where it was first seen */
} cert_src;

static struct {
  cert_src *v;
  size_t n, cap;
  size_t *slot;  /* open addressing: index + 1, 0 = empty */
  size_t nslots;
  size_t occurrences;  /* certificates seen, duplicates included */
  size_t ca_bundle, limbo_cases, pem_texts;
} corpus;

static bool fatal_setup;  /* a corpus could not be read: fail loudly */

static void setup_fail(const char *fmt, ...) MTK_PRINTF(1, 2);
static void setup_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("differential_test: SETUP FAILURE: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  fatal_setup = true;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q == NULL) {
    fputs("differential_test: out of memory\n", stderr);
    exit(2);
  }
  return q;
}

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = xrealloc(NULL, n);
  memcpy(p, s, n);
  return p;
}

static size_t sha_slot_hash(const uint8_t *sha) {
  size_t h = 0;
  for (int i = 0; i < 8; i++) h = h << 8 | sha[i];
  return h;
}

static void corpus_grow_slots(void) {
  size_t n = corpus.nslots ? corpus.nslots * 2 : 1u << 16;
  size_t *slot = xrealloc(NULL, n * sizeof(*slot));
  memset(slot, 0, n * sizeof(*slot));
  for (size_t i = 0; i < corpus.n; i++) {
    size_t h = sha_slot_hash(corpus.v[i].sha) & (n - 1);
    while (slot[h] != 0) h = (h + 1) & (n - 1);
    slot[h] = i + 1;
  }
  free(corpus.slot);
  corpus.slot = slot;
  corpus.nslots = n;
}

/* corpus_add keeps |der| if its SHA-256 is new. */
static void corpus_add(const uint8_t *der, size_t len, const char *origin) {
  uint8_t sha[32];
  unsigned int shalen = 0;
  corpus.occurrences++;
  if (!EVP_Digest(der, len, sha, &shalen, EVP_sha256(), NULL) || shalen != 32) {
    setup_fail("SHA-256 failed");
    return;
  }
  if (corpus.n * 2 >= corpus.nslots) corpus_grow_slots();
  size_t h = sha_slot_hash(sha) & (corpus.nslots - 1);
  while (corpus.slot[h] != 0) {
    if (memcmp(corpus.v[corpus.slot[h] - 1].sha, sha, 32) == 0) return;
    h = (h + 1) & (corpus.nslots - 1);
  }
  if (corpus.n == corpus.cap) {
    corpus.cap = corpus.cap ? corpus.cap * 2 : 1024;
    corpus.v = xrealloc(corpus.v, corpus.cap * sizeof(*corpus.v));
  }
  cert_src *c = &corpus.v[corpus.n];
  c->der = xrealloc(NULL, len ? len : 1);
  memcpy(c->der, der, len);
  c->len = len;
  memcpy(c->sha, sha, 32);
  c->origin = xstrdup(origin);
  corpus.slot[h] = ++corpus.n;
}

static void corpus_free(void) {
  for (size_t i = 0; i < corpus.n; i++) {
    free(corpus.v[i].der);
    free(corpus.v[i].origin);
  }
  free(corpus.v);
  free(corpus.slot);
  memset(&corpus, 0, sizeof(corpus));
}

static void hex_prefix(const uint8_t *sha, char out[17]) {
  static const char hx[] = "0123456789abcdef";
  for (int i = 0; i < 8; i++) {
    out[2 * i] = hx[sha[i] >> 4];
    out[2 * i + 1] = hx[sha[i] & 15];
  }
  out[16] = '\0';
}

/* ---- PEM: mtlskit's reader and OpenSSL's must give the same DER -------------- */

typedef struct der_list {
  uint8_t **der;
  size_t *len;
  size_t n, cap;
} der_list;

static void der_list_push(der_list *l, const uint8_t *p, size_t n) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->der = xrealloc(l->der, l->cap * sizeof(*l->der));
    l->len = xrealloc(l->len, l->cap * sizeof(*l->len));
  }
  l->der[l->n] = xrealloc(NULL, n ? n : 1);
  memcpy(l->der[l->n], p, n);
  l->len[l->n++] = n;
}

static void der_list_free(der_list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->der[i]);
  free(l->der);
  free(l->len);
  memset(l, 0, sizeof(*l));
}

static size_t pem_mismatches, pem_objects;

/* pem_text decodes one PEM text both ways, compares, and adds the
 * certificates to the corpus. */
static void pem_text(const char *text, size_t len, const char *origin) {
  der_list mine = {0}, theirs = {0};
  corpus.pem_texts++;

  /* mtlskit */
  uint8_t *buf = xrealloc(NULL, len ? len : 1);
  mtk_pem_reader r;
  mtk_pem_obj obj;
  mtk_diag d;
  mtk_pem_reader_init(&r, (const uint8_t *)text, len);
  for (;;) {
    mtk_diag_init(&d);
    mtk_status s = mtk_pem_next(&r, buf, len, &obj, &d);
    if (s != MTK_OK) {
      char msg[400];
      mtk_error_format(&d.err, msg, sizeof msg);
      fprintf(stderr, "PEM %s: mtk_pem_next failed: %s\n", origin, msg);
      pem_mismatches++;
      break;
    }
    if (obj.kind == MTK_OBJ_NONE) break;
    if (obj.kind == MTK_OBJ_CERT) der_list_push(&mine, obj.der.p, obj.der.len);
  }
  free(buf);

  /* OpenSSL */
  BIO *bio = BIO_new_mem_buf(text, (int)len);
  for (;;) {
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long dlen = 0;
    if (bio == NULL || !PEM_read_bio(bio, &name, &header, &data, &dlen)) {
      unsigned long e = ERR_peek_last_error();
      if (bio == NULL || ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
        fprintf(stderr, "PEM %s: PEM_read_bio failed: %s\n", origin, ERR_error_string(e, NULL));
        pem_mismatches++;
      }
      ERR_clear_error();
      break;
    }
    if (strcmp(name, "CERTIFICATE") == 0) der_list_push(&theirs, data, (size_t)dlen);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  BIO_free(bio);

  bool same = mine.n == theirs.n;
  for (size_t i = 0; same && i < mine.n; i++)
    same = mine.len[i] == theirs.len[i] && memcmp(mine.der[i], theirs.der[i], mine.len[i]) == 0;
  if (!same) {
    fprintf(stderr, "PEM %s: mtlskit decoded %zu certificate(s), OpenSSL %zu, or the bytes differ\n",
            origin, mine.n, theirs.n);
    pem_mismatches++;
  }
  /* The corpus takes OpenSSL's decoding: a PEM disagreement above fails the
   * test anyway, and the DER comparison below should still run. */
  for (size_t i = 0; i < theirs.n; i++) {
    char o[300];
    if (theirs.n > 1)
      snprintf(o, sizeof o, "%s#%zu", origin, i);
    else
      snprintf(o, sizeof o, "%s", origin);
    corpus_add(theirs.der[i], theirs.len[i], o);
  }
  pem_objects += theirs.n;
  der_list_free(&mine);
  der_list_free(&theirs);
}

/* ---- reading the corpora ------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *out_len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *p = xrealloc(NULL, cap);
  for (;;) {
    if (n == cap) p = xrealloc(p, cap *= 2);
    size_t got = fread(p + n, 1, cap - n, f);
    if (got == 0) break;
    n += got;
  }
  bool err = ferror(f) != 0;
  fclose(f);
  if (err) {
    free(p);
    return NULL;
  }
  *out_len = n;
  return p;
}

/* gunzip runs `gzip -dc -- PATH` (no shell: the path is one argv entry) and
 * returns its output; NULL unless gzip exits 0. */
static uint8_t *gunzip(const char *path, size_t *out_len) {
  int fds[2];
  if (pipe(fds) != 0) return NULL;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return NULL;
  }
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("gzip", "gzip", "-dc", "--", path, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  size_t cap = 1 << 20, n = 0;
  uint8_t *p = xrealloc(NULL, cap + 1);
  bool too_big = false;
  for (;;) {
    if (n == cap) {
      if (cap >= MAX_GUNZIP) {
        too_big = true;
        break;
      }
      cap *= 2;
      p = xrealloc(p, cap + 1);
    }
    ssize_t got = read(fds[0], p + n, cap - n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    n += (size_t)got;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_big || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "differential_test: gzip -dc %s: %s\n", path,
            too_big ? "output too large" : "failed");
    free(p);
    return NULL;
  }
  p[n] = 0;
  *out_len = n;
  return p;
}

static void load_ca_bundle(void) {
  size_t len = 0;
  uint8_t *p = read_file(CA_BUNDLE, &len);
  if (p == NULL) {
    setup_fail("cannot read %s (install ca-certificates)", CA_BUNDLE);
    return;
  }
  size_t before = corpus.occurrences;
  pem_text((const char *)p, len, "ca-bundle");
  corpus.ca_bundle = corpus.occurrences - before;
  if (corpus.ca_bundle == 0) setup_fail("no certificate in %s", CA_BUNDLE);
  free(p);
}

static void limbo_pem(json_t *s, const char *id, const char *role, size_t i) {
  char origin[300];
  if (!json_is_string(s)) {
    setup_fail("limbo %s: %s is not a string", id, role);
    return;
  }
  snprintf(origin, sizeof origin, "limbo:%s:%s[%zu]", id, role, i);
  pem_text(json_string_value(s), json_string_length(s), origin);
}

static void load_limbo(const char *src) {
  if (getenv("MTK_NO_LIMBO") != NULL && strcmp(getenv("MTK_NO_LIMBO"), "1") == 0) {
    fprintf(stderr, "differential_test: MTK_NO_LIMBO=1: the limbo corpus is skipped\n");
    return;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s%s", src, LIMBO_REL);
  struct stat st;
  if (stat(path, &st) != 0) {
    setup_fail("limbo corpus %s not found (set MTK_NO_LIMBO=1 to skip it on purpose)", path);
    return;
  }
  size_t len = 0;
  uint8_t *text = gunzip(path, &len);
  if (text == NULL) {
    setup_fail("cannot decompress %s", path);
    return;
  }
  json_error_t jerr;
  json_t *root = json_loadb((const char *)text, len, 0, &jerr);
  free(text);
  json_t *cases = root ? json_object_get(root, "testcases") : NULL;
  if (!json_is_array(cases)) {
    setup_fail("%s: not a limbo suite (%s)", path, root ? "no testcases" : jerr.text);
    json_decref(root);
    return;
  }
  size_t i;
  json_t *tc;
  json_array_foreach(cases, i, tc) {
    const char *id = json_string_value(json_object_get(tc, "id"));
    if (id == NULL) id = "?";
    const char *roles[2] = {"trusted_certs", "untrusted_intermediates"};
    for (int r = 0; r < 2; r++) {
      json_t *arr = json_object_get(tc, roles[r]), *s;
      size_t k;
      if (!json_is_array(arr)) {
        setup_fail("limbo %s: %s missing", id, roles[r]);
        continue;
      }
      json_array_foreach(arr, k, s) limbo_pem(s, id, roles[r], k);
    }
    limbo_pem(json_object_get(tc, "peer_certificate"), id, "peer", 0);
    corpus.limbo_cases++;
  }
  json_decref(root);
  if (corpus.limbo_cases < 9000) setup_fail("%s: only %zu cases", path, corpus.limbo_cases);
}

/* ---- the expected list -------------------------------------------------------- */

typedef struct expected {
  char prefix[17];
  char direction[32];
  char mtk_code[64];
  char ossl_reason[128];
  bool seen, in_corpus;
} expected;

static expected *exp_v;
static size_t exp_n;

static void load_expected(const char *src) {
  char path[4096];
  snprintf(path, sizeof path, "%s%s", src, EXPECTED_REL);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    setup_fail("cannot read %s", path);
    return;
  }
  char line[2048];
  size_t lineno = 0, cap = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    lineno++;
    if (line[0] == '#' || line[0] == '\n') continue;
    char *fields[5] = {0};
    char *p = line;
    int nf = 0;
    while (nf < 5) {
      fields[nf++] = p;
      char *tab = strchr(p, '\t');
      if (tab == NULL) break;
      *tab = '\0';
      p = tab + 1;
    }
    if (nf < 5 || strlen(fields[0]) != 16 || strlen(fields[4]) < 10) {
      setup_fail("%s:%zu: want 5 tab-separated fields (prefix of 16 hex digits, direction, "
                 "mtlskit status, OpenSSL reason, explanation)",
                 path, lineno);
      continue;
    }
    if (exp_n == cap) {
      cap = cap ? cap * 2 : 64;
      exp_v = xrealloc(exp_v, cap * sizeof(*exp_v));
    }
    expected *e = &exp_v[exp_n++];
    memset(e, 0, sizeof(*e));
    snprintf(e->prefix, sizeof e->prefix, "%s", fields[0]);
    snprintf(e->direction, sizeof e->direction, "%s", fields[1]);
    snprintf(e->mtk_code, sizeof e->mtk_code, "%s", fields[2]);
    snprintf(e->ossl_reason, sizeof e->ossl_reason, "%s", fields[3]);
  }
  fclose(f);
}

static expected *expected_find(const char *prefix) {
  for (size_t i = 0; i < exp_n; i++)
    if (strcmp(exp_v[i].prefix, prefix) == 0) return &exp_v[i];
  return NULL;
}

/* ---- field comparison ------------------------------------------------------- */

static unsigned long long fields_compared;
static size_t field_mismatches, printed;
static size_t certs_with_mismatch;

typedef struct cmpctx {
  const cert_src *src;
  char prefix[17];
  size_t mismatches;
  /* The first extension mtlskit accepted but OpenSSL's own decoder (the
   * one X509_verify_cert uses) rejects: a disagreement, not a mismatch. */
  char ossl_ext_reject[128];
} cmpctx;

/* ossl_ext_rejects records, once, that OpenSSL cannot decode |ext|, with the
 * reason on its error queue, and clears the queue. */
static void ossl_ext_rejects(cmpctx *cx, const char *ext) {
  unsigned long e = ERR_peek_error();
  const char *r = e ? ERR_reason_error_string(e) : NULL;
  if (cx->ossl_ext_reject[0] == '\0')
    snprintf(cx->ossl_ext_reject, sizeof cx->ossl_ext_reject, "%s: %s", ext, r ? r : "unknown");
  ERR_clear_error();
}

static void mismatch(cmpctx *cx, const char *field, const char *fmt, ...) MTK_PRINTF(3, 4);
static void mismatch(cmpctx *cx, const char *field, const char *fmt, ...) {
  cx->mismatches++;
  field_mismatches++;
  if (printed++ >= MAX_PRINTED) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "FIELD MISMATCH %s (%s) %s: ", cx->prefix, cx->src->origin, field);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void cmp_int(cmpctx *cx, const char *field, long long ossl, long long mtk) {
  fields_compared++;
  if (ossl != mtk) mismatch(cx, field, "OpenSSL %lld, mtlskit %lld", ossl, mtk);
}

static void cmp_bytes(cmpctx *cx, const char *field, const uint8_t *ossl, size_t ossl_len,
                      const uint8_t *mtk, size_t mtk_len) {
  fields_compared++;
  if (ossl_len != mtk_len || (ossl_len > 0 && memcmp(ossl, mtk, ossl_len) != 0))
    mismatch(cx, field, "OpenSSL %zu bytes, mtlskit %zu bytes, contents %s", ossl_len, mtk_len,
             ossl_len == mtk_len ? "differ" : "-");
}

static void cmp_cbs(cmpctx *cx, const char *field, const uint8_t *ossl, size_t ossl_len,
                    const mtk_cbs *m) {
  cmp_bytes(cx, field, ossl, ossl_len, m->p, m->len);
}

static void cmp_obj(cmpctx *cx, const char *field, const ASN1_OBJECT *o, const mtk_cbs *m) {
  if (o == NULL) {
    mismatch(cx, field, "OpenSSL has no OBJECT");
    return;
  }
  cmp_cbs(cx, field, OBJ_get0_data(o), OBJ_length(o), m);
}

static void cmp_asn1_string(cmpctx *cx, const char *field, const ASN1_STRING *s, const mtk_cbs *m) {
  if (s == NULL) {
    mismatch(cx, field, "OpenSSL has no value");
    return;
  }
  cmp_cbs(cx, field, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s), m);
}

/* cmp_i2d re-encodes an OpenSSL object and compares it with |m|. */
static void cmp_der_len_buf(cmpctx *cx, const char *field, unsigned char *enc, int n, const mtk_cbs *m) {
  if (n < 0) {
    mismatch(cx, field, "OpenSSL could not encode it");
    return;
  }
  cmp_cbs(cx, field, enc, (size_t)n, m);
}

static void cmp_name(cmpctx *cx, const char *what, const X509_NAME *xn, const mtk_name *mn) {
  char field[128];
  const unsigned char *enc = NULL;
  size_t enclen = 0;
  snprintf(field, sizeof field, "%s.der", what);
  if (!X509_NAME_get0_der(xn, &enc, &enclen)) {
    mismatch(cx, field, "X509_NAME_get0_der failed");
    return;
  }
  cmp_cbs(cx, field, enc, enclen, &mn->elem);

  int n = X509_NAME_entry_count(xn);
  mtk_name_iter it;
  mtk_attr a;
  mtk_name_iter_init(&it, mn);
  int i = 0;
  for (; i < n; i++) {
    const X509_NAME_ENTRY *ne = X509_NAME_get_entry(xn, i);
    snprintf(field, sizeof field, "%s.attr[%d]", what, i);
    if (!mtk_name_next(&it, &a)) {
      mismatch(cx, field, "mtlskit's name iterator ended early");
      return;
    }
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(ne);
    snprintf(field, sizeof field, "%s.attr[%d].rdn", what, i);
    cmp_int(cx, field, X509_NAME_ENTRY_set(ne), a.rdn);
    snprintf(field, sizeof field, "%s.attr[%d].type", what, i);
    cmp_obj(cx, field, X509_NAME_ENTRY_get_object(ne), &a.oid);
    snprintf(field, sizeof field, "%s.attr[%d].tag", what, i);
    int vt = ASN1_STRING_type(v);
    if ((a.tag & (MTK_TAG_CLASS_MASK | MTK_TAG_CONSTRUCTED)) == 0) {
      cmp_int(cx, field, vt, (long long)a.tag);
      snprintf(field, sizeof field, "%s.attr[%d].value", what, i);
      cmp_asn1_string(cx, field, v, &a.value);
    } else {
      /* A value that is not a universal primitive: OpenSSL keeps the whole
       * element (V_ASN1_SEQUENCE, V_ASN1_SET or V_ASN1_OTHER). */
      snprintf(field, sizeof field, "%s.attr[%d].value_elem", what, i);
      cmp_asn1_string(cx, field, v, &a.value_elem);
    }
  }
  snprintf(field, sizeof field, "%s.count", what);
  fields_compared++;
  if (mtk_name_next(&it, &a)) mismatch(cx, field, "mtlskit has more than OpenSSL's %d attributes", n);
}

static ASN1_TIME *epoch;

static void cmp_time(cmpctx *cx, const char *field, const ASN1_TIME *t, mtk_time mt, mtk_tag tag) {
  if (epoch == NULL) epoch = ASN1_TIME_set(NULL, 0);
  int day = 0, sec = 0;
  char f[64];
  if (t == NULL || epoch == NULL || !ASN1_TIME_diff(&day, &sec, epoch, t)) {
    ERR_clear_error();
    mismatch(cx, field, "OpenSSL cannot interpret the time mtlskit read as %lld", (long long)mt);
    return;
  }
  cmp_int(cx, field, (long long)day * 86400 + sec, mt);
  snprintf(f, sizeof f, "%s.tag", field);
  cmp_int(cx, f, ASN1_STRING_type(t), (long long)tag);
}

/* ---- SAN ---------------------------------------------------------------------- */

static size_t san_certs, san_names, san_by_type[9];

static void cmp_gn(cmpctx *cx, const char *field, const GENERAL_NAME *g, const mtk_gn *m) {
  char f[128];
  int type = -1;
  void *val = GENERAL_NAME_get0_value(g, &type);
  snprintf(f, sizeof f, "%s.type", field);
  cmp_int(cx, f, type, m->type);
  if (type != (int)m->type) return;
  snprintf(f, sizeof f, "%s.value", field);
  switch (type) {
    case GEN_EMAIL:
    case GEN_DNS:
    case GEN_URI:
    case GEN_IPADD:
      cmp_asn1_string(cx, f, val, &m->value);
      break;
    case GEN_RID:
      cmp_obj(cx, f, val, &m->value);
      break;
    case GEN_DIRNAME:
      cmp_name(cx, f, val, &m->name);
      break;
    case GEN_OTHERNAME: {
      ASN1_OBJECT *oid = NULL;
      ASN1_TYPE *v = NULL;
      if (!GENERAL_NAME_get0_otherName(g, &oid, &v)) {
        mismatch(cx, f, "GENERAL_NAME_get0_otherName failed");
        break;
      }
      snprintf(f, sizeof f, "%s.type-id", field);
      cmp_obj(cx, f, oid, &m->other_oid);
      snprintf(f, sizeof f, "%s.value", field);
      unsigned char *enc = NULL;
      int n = i2d_ASN1_TYPE(v, &enc);
      cmp_der_len_buf(cx, f, enc, n, &m->other_value);
      OPENSSL_free(enc);
      break;
    }
    default: {
      /* x400Address, ediPartyName: compare the whole re-encoded element. */
      unsigned char *enc = NULL;
      int n = i2d_GENERAL_NAME(g, &enc);
      cmp_der_len_buf(cx, f, enc, n, &m->elem);
      OPENSSL_free(enc);
      break;
    }
  }
}

/* ---- basicConstraints, keyUsage, extKeyUsage ----------------------------------- */

/* ossl_ext_d2i decodes the first extension with |nid|, as mtk_ext_get finds
 * the first of its kind (X509_get_ext_d2i gives up on duplicates). */
static void *ossl_ext_d2i(X509 *x, int nid, bool *present) {
  int idx = X509_get_ext_by_NID(x, nid, -1);
  *present = idx >= 0;
  if (idx < 0) return NULL;
  return X509V3_EXT_d2i(X509_get_ext(x, idx));  /* the caller reads or clears errors */
}

static size_t n_bc, n_ku, n_eku;

static void cmp_typed_exts(cmpctx *cx, X509 *x, const mtk_cert *c) {
  char field[64];
  bool present;
  const mtk_ext *me;

  ERR_clear_error();
  BASIC_CONSTRAINTS *bc = ossl_ext_d2i(x, NID_basic_constraints, &present);
  me = mtk_ext_get(&c->exts, MTK_XK_BC);
  cmp_int(cx, "basicConstraints.present", present, me != NULL);
  if (present && me != NULL) {
    mtk_basic_constraints mbc;
    if (bc == NULL) {
      ossl_ext_rejects(cx, "basicConstraints");
    } else if (mtk_ext_basic_constraints(&me->value, &mbc, NULL) != MTK_OK) {
      mismatch(cx, "basicConstraints", "mtk_ext_basic_constraints fails on a parsed certificate");
    } else {
      n_bc++;
      cmp_int(cx, "basicConstraints.cA", bc->ca != 0, mbc.ca);
      cmp_int(cx, "basicConstraints.pathLen.present", bc->pathlen != NULL, mbc.has_pathlen);
      if (bc->pathlen != NULL && mbc.has_pathlen) {
        uint64_t v = 0;
        if (!ASN1_INTEGER_get_uint64(&v, bc->pathlen)) {
          ERR_clear_error();
          mismatch(cx, "basicConstraints.pathLen", "OpenSSL cannot read it as uint64");
        } else {
          fields_compared++;
          if (v != mbc.pathlen) mismatch(cx, "basicConstraints.pathLen", "differs");
        }
      }
    }
  }
  BASIC_CONSTRAINTS_free(bc);
  ERR_clear_error();

  ASN1_BIT_STRING *ku = ossl_ext_d2i(x, NID_key_usage, &present);
  me = mtk_ext_get(&c->exts, MTK_XK_KU);
  cmp_int(cx, "keyUsage.present", present, me != NULL);
  if (present && me != NULL) {
    uint32_t bits = 0;
    if (ku == NULL) {
      ossl_ext_rejects(cx, "keyUsage");
    } else if (mtk_ext_key_usage(&me->value, &bits, NULL) != MTK_OK) {
      mismatch(cx, "keyUsage", "mtk_ext_key_usage fails on a parsed certificate");
    } else {
      n_ku++;
      for (int b = 0; b < 32; b++) {
        snprintf(field, sizeof field, "keyUsage.bit%d", b);
        cmp_int(cx, field, ASN1_BIT_STRING_get_bit(ku, b), (bits >> b) & 1u);
      }
    }
  }
  ASN1_BIT_STRING_free(ku);
  ERR_clear_error();

  EXTENDED_KEY_USAGE *eku = ossl_ext_d2i(x, NID_ext_key_usage, &present);
  me = mtk_ext_get(&c->exts, MTK_XK_EKU);
  cmp_int(cx, "extKeyUsage.present", present, me != NULL);
  if (present && me != NULL) {
    mtk_oid_iter it;
    mtk_cbs oid;
    if (eku == NULL) {
      ossl_ext_rejects(cx, "extKeyUsage");
    } else if (!mtk_oid_iter_init_ext(&it, &me->value)) {
      mismatch(cx, "extKeyUsage", "mtk_oid_iter_init_ext fails on a parsed certificate");
    } else {
      n_eku++;
      int k = 0;
      for (; k < sk_ASN1_OBJECT_num(eku); k++) {
        snprintf(field, sizeof field, "extKeyUsage[%d]", k);
        if (!mtk_oid_next(&it, &oid, NULL)) {
          mismatch(cx, field, "mtlskit's iterator ended early");
          break;
        }
        cmp_obj(cx, field, sk_ASN1_OBJECT_value(eku, k), &oid);
      }
      fields_compared++;
      if (mtk_oid_next(&it, &oid, NULL)) mismatch(cx, "extKeyUsage.count", "mtlskit has more than %d", k);
    }
  }
  EXTENDED_KEY_USAGE_free(eku);
  ERR_clear_error();
}

/* ---- one certificate ----------------------------------------------------------- */

static size_t n_both_accept, n_both_accept_flagged, n_both_reject, n_expected, n_unexpected;
static size_t keys_compared, keys_ossl_only_failed, keys_mtk_only_malformed, keys_both_failed;

typedef struct dclass {
  char key[320];
  size_t count;
  char example[17];
} dclass;
static dclass classes[64];
static size_t n_classes;

static void class_add(const char *key, const char *prefix) {
  for (size_t i = 0; i < n_classes; i++)
    if (strcmp(classes[i].key, key) == 0) {
      classes[i].count++;
      return;
    }
  if (n_classes == sizeof classes / sizeof classes[0]) return;
  snprintf(classes[n_classes].key, sizeof classes[n_classes].key, "%s", key);
  snprintf(classes[n_classes].example, sizeof classes[n_classes].example, "%s", prefix);
  classes[n_classes++].count = 1;
}

/* strip_indices turns "a.b[3].c" into "a.b[].c" for grouping. */
static void strip_indices(const char *in, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; in[i] && o + 1 < cap; i++) {
    out[o++] = in[i];
    if (in[i] == '[') {
      while (in[i + 1] >= '0' && in[i + 1] <= '9') i++;
    }
  }
  out[o] = '\0';
}

/* ossl_reason describes the first (innermost) error on OpenSSL's queue and
 * the field names OpenSSL attached to the nested errors; clears the queue. */
static void ossl_reason(char *reason, size_t rcap, char *fields, size_t fcap) {
  const char *data = NULL;
  int flags = 0;
  unsigned long e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
  const char *r = e ? ERR_reason_error_string(e) : NULL;
  snprintf(reason, rcap, "%s", r ? r : (e ? "unknown" : "none"));
  size_t o = 0;
  fields[0] = '\0';
  do {
    if (e && data && (flags & ERR_TXT_STRING) && strncmp(data, "Field=", 6) == 0 && o < fcap) {
      int w = snprintf(fields + o, fcap - o, "%s%s", o ? " < " : "", data);
      if (w > 0) o += (size_t)w;
    }
    e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
  } while (e != 0);
  ERR_clear_error();
}

static void compare_fields(cmpctx *cx, X509 *x, const mtk_cert *c) {
  char field[96];
  cmp_int(cx, "version", X509_get_version(x) + 1, c->version);

  /* serial: OpenSSL keeps sign and magnitude; re-encode to two's complement. */
  const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
  unsigned char *enc = NULL;
  int n = i2d_ASN1_INTEGER(sn, &enc);
  if (n < 2) {
    mismatch(cx, "serial", "OpenSSL could not encode its serial");
  } else {
    /* skip the header (tag, length of 1, 2 or 3 octets) */
    size_t hdr = (enc[1] & 0x80) ? 2 + (size_t)(enc[1] & 0x7f) : 2;
    cmp_cbs(cx, "serial", enc + hdr, (size_t)n - hdr, &c->serial);
  }
  OPENSSL_free(enc);
  cmp_int(cx, "serial.negative", ASN1_STRING_type(sn) == V_ASN1_NEG_INTEGER, c->serial_negative);

  const ASN1_BIT_STRING *sig = NULL;
  const X509_ALGOR *salg = NULL;
  const ASN1_OBJECT *aobj = NULL;
  X509_get0_signature(&sig, &salg, x);
  X509_ALGOR_get0(&aobj, NULL, NULL, salg);
  cmp_obj(cx, "signatureAlgorithm", aobj, &c->sig_alg.oid);
  cmp_asn1_string(cx, "signatureValue", sig, &c->signature);
  X509_ALGOR_get0(&aobj, NULL, NULL, X509_get0_tbs_sigalg(x));
  cmp_obj(cx, "tbsCertificate.signature", aobj, &c->tbs_sig_alg.oid);

  cmp_name(cx, "issuer", X509_get_issuer_name(x), &c->issuer);
  cmp_name(cx, "subject", X509_get_subject_name(x), &c->subject);
  cmp_time(cx, "notBefore", X509_get0_notBefore(x), c->not_before, c->not_before_tag);
  cmp_time(cx, "notAfter", X509_get0_notAfter(x), c->not_after, c->not_after_tag);

  const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
  X509_get0_uids(x, &iuid, &suid);
  cmp_int(cx, "issuerUniqueID.present", iuid != NULL, c->has_issuer_uid);
  if (iuid && c->has_issuer_uid) cmp_asn1_string(cx, "issuerUniqueID", iuid, &c->issuer_uid);
  cmp_int(cx, "subjectUniqueID.present", suid != NULL, c->has_subject_uid);
  if (suid && c->has_subject_uid) cmp_asn1_string(cx, "subjectUniqueID", suid, &c->subject_uid);

  /* SubjectPublicKeyInfo: algorithm and key bits as stored. */
  const unsigned char *pk = NULL;
  int pklen = 0;
  X509_ALGOR *pa = NULL;
  ASN1_OBJECT *pobj = NULL;
  if (!X509_PUBKEY_get0_param(&pobj, &pk, &pklen, &pa, X509_get_X509_PUBKEY(x))) {
    mismatch(cx, "spki", "X509_PUBKEY_get0_param failed");
  } else {
    cmp_obj(cx, "spki.algorithm", pobj, &c->spki.alg.oid);
    cmp_bytes(cx, "spki.subjectPublicKey", pk, (size_t)pklen, c->spki.key.p, c->spki.key.len);
  }

  /* The key, where OpenSSL can load it. */
  EVP_PKEY *key = X509_get0_pubkey(x);
  ERR_clear_error();
  if (key == NULL) {
    if (c->spki.key_malformed)
      keys_both_failed++;
    else
      keys_ossl_only_failed++;
    printf("note: OpenSSL cannot load the %s key of %s (%s); mtlskit: %s\n",
           mtk_key_type_name(c->spki.type), cx->prefix, cx->src->origin,
           c->spki.key_malformed ? mtk_status_name(c->spki.key_err.code) : "well-formed");
  } else if (c->spki.key_malformed) {
    /* mtlskit is stricter (a negative or padded RSA INTEGER, say): counted
     * and shown, as the cases where only OpenSSL fails. */
    keys_mtk_only_malformed++;
    printf("note: mtlskit finds the %s key of %s (%s) malformed (%s: %s); OpenSSL loads it\n",
           OBJ_nid2sn(EVP_PKEY_get_base_id(key)), cx->prefix, cx->src->origin,
           mtk_status_name(c->spki.key_err.code), c->spki.key_err.detail);
  } else {
    int want = NID_undef;
    long long want_bits = c->spki.bits;
    switch (c->spki.type) {
      case MTK_KEY_RSA: want = EVP_PKEY_RSA; break;
      case MTK_KEY_RSA_PSS: want = EVP_PKEY_RSA_PSS; break;
      case MTK_KEY_EC: want = EVP_PKEY_EC; break;
      case MTK_KEY_DSA: want = EVP_PKEY_DSA; break;
      /* EVP_PKEY_get_bits gives 253 for the 255-bit curves' keys (the
       * group order's size); mtlskit gives the key size, 256. */
      case MTK_KEY_ED25519: want = EVP_PKEY_ED25519; want_bits = 253; break;
      case MTK_KEY_X25519: want = EVP_PKEY_X25519; want_bits = 253; break;
      case MTK_KEY_ED448: want = EVP_PKEY_ED448; break;
      case MTK_KEY_X448: want = EVP_PKEY_X448; break;
      default: break;
    }
    keys_compared++;
    cmp_int(cx, "key.type", EVP_PKEY_get_base_id(key), want);
    cmp_int(cx, "key.bits", EVP_PKEY_get_bits(key), want_bits);
  }

  /* Extensions, in order. */
  int next = X509_get_ext_count(x);
  mtk_ext_iter it;
  mtk_ext e;
  mtk_ext_iter_init(&it, &c->exts);
  for (int i = 0; i < next; i++) {
    X509_EXTENSION *xe = X509_get_ext(x, i);
    snprintf(field, sizeof field, "extensions[%d]", i);
    if (!mtk_ext_next(&it, &e)) {
      mismatch(cx, field, "mtlskit's iterator ended early");
      break;
    }
    snprintf(field, sizeof field, "extensions[%d].extnID", i);
    cmp_obj(cx, field, X509_EXTENSION_get_object(xe), &e.oid);
    snprintf(field, sizeof field, "extensions[%d].critical", i);
    cmp_int(cx, field, X509_EXTENSION_get_critical(xe), e.critical);
    snprintf(field, sizeof field, "extensions[%d].extnValue", i);
    cmp_asn1_string(cx, field, X509_EXTENSION_get_data(xe), &e.value);
  }
  fields_compared++;
  if (mtk_ext_next(&it, &e)) mismatch(cx, "extensions.count", "mtlskit has more than %d", next);
  cmp_int(cx, "extensions.count", next, c->exts.count);

  cmp_typed_exts(cx, x, c);

  /* SAN: the first subjectAltName extension, decoded by each. */
  int idx = X509_get_ext_by_NID(x, NID_subject_alt_name, -1);
  const mtk_ext *msan = mtk_ext_get(&c->exts, MTK_XK_SAN);
  cmp_int(cx, "san.present", idx >= 0, msan != NULL);
  if (idx >= 0 && msan != NULL) {
    GENERAL_NAMES *gns = X509V3_EXT_d2i(X509_get_ext(x, idx));
    mtk_gn_iter gi;
    mtk_gn g;
    if (gns == NULL) {
      ossl_ext_rejects(cx, "subjectAltName");
      return;
    }
    san_certs++;
    if (!mtk_gn_iter_init_ext(&gi, &msan->value)) {
      mismatch(cx, "san", "mtk_gn_iter_init_ext failed on a parsed certificate");
    } else {
      int k = 0;
      for (; k < sk_GENERAL_NAME_num(gns); k++) {
        snprintf(field, sizeof field, "san[%d]", k);
        if (!mtk_gn_next(&gi, &g)) {
          mismatch(cx, field, "mtlskit's iterator ended early");
          break;
        }
        cmp_gn(cx, field, sk_GENERAL_NAME_value(gns, k), &g);
        san_names++;
        if ((unsigned)g.type < 9) san_by_type[g.type]++;
      }
      fields_compared++;
      if (mtk_gn_next(&gi, &g)) mismatch(cx, "san.count", "mtlskit has more than %d names", k);
    }
    GENERAL_NAMES_free(gns);
  }
}

static void check_one(const cert_src *src) {
  cmpctx cx = {.src = src};
  hex_prefix(src->sha, cx.prefix);

  ERR_clear_error();
  const unsigned char *p = src->der;
  X509 *x = d2i_X509(NULL, &p, (long)src->len);
  bool ossl_ok = x != NULL && p == src->der + src->len;
  char reason[128], ofields[512];
  if (x == NULL) {
    ossl_reason(reason, sizeof reason, ofields, sizeof ofields);
  } else if (!ossl_ok) {
    snprintf(reason, sizeof reason, "trailing data");
    ofields[0] = '\0';
  } else {
    /* d2i_X509 does not decode extension values. OpenSSL decodes the ones
     * it uses (basicConstraints, keyUsage, SAN, name constraints, CRL DPs,
     * key identifiers ...) on first use and marks the certificate
     * EXFLAG_INVALID when one fails; X509_verify_cert then rejects it. */
    uint32_t fl = X509_get_extension_flags(x);
    snprintf(reason, sizeof reason, "%s", (fl & EXFLAG_INVALID) ? "EXFLAG_INVALID" : "-");
    ofields[0] = '\0';
    ERR_clear_error();
  }

  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = mtk_cert_parse(&c, src->der, src->len, &d);
  bool mtk_ok = s == MTK_OK;

  const char *dir = NULL;
  if (ossl_ok && mtk_ok) {
    n_both_accept++;
    compare_fields(&cx, x, &c);
    if (cx.mismatches) certs_with_mismatch++;
    if (strcmp(reason, "EXFLAG_INVALID") == 0) {
      /* OpenSSL parses it but marks it invalid once it decodes the
       * extensions: a disagreement (the fields are still compared). */
      n_both_accept_flagged++;
      dir = "openssl_flags_invalid";
    } else if (cx.ossl_ext_reject[0] != '\0') {
      /* An extension mtlskit accepted that OpenSSL's decoder rejects. */
      n_both_accept_flagged++;
      snprintf(reason, sizeof reason, "%s", cx.ossl_ext_reject);
      dir = "openssl_rejects_ext";
    }
  } else if (!ossl_ok && !mtk_ok) {
    n_both_reject++;
  } else {
    dir = mtk_ok ? "openssl_rejects" : "mtk_rejects";
  }

  if (dir != NULL) {
    const char *code = mtk_status_name(s);
    char path[MTK_PATH_MAX], key[320];
    strip_indices(mtk_ok ? "" : d.err.path, path, sizeof path);
    if ((size_t)snprintf(key, sizeof key, "%s\t%s\t%s\t%s", dir, code, reason,
                         mtk_ok ? ofields : path) >= sizeof key)
      key[sizeof key - 1] = '\0'; /* a class key is for grouping; truncation is harmless */
    class_add(key, cx.prefix);
    expected *e = expected_find(cx.prefix);
    if (e != NULL) e->in_corpus = true;
    if (e != NULL && strcmp(e->direction, dir) == 0 && strcmp(e->mtk_code, code) == 0 &&
        strcmp(e->ossl_reason, reason) == 0) {
      e->seen = true;
      n_expected++;
    } else {
      n_unexpected++;
      char msg[400] = "";
      if (!mtk_ok) mtk_error_format(&d.err, msg, sizeof msg);
      fprintf(stderr, "UNEXPECTED DISAGREEMENT %s (%s): %s; mtlskit: %s; OpenSSL: %s %s\n",
              cx.prefix, src->origin, dir, mtk_ok ? "accepts" : msg,
              ossl_ok && strcmp(reason, "-") == 0 ? "accepts" : reason, ofields);
      fprintf(stderr, "  to list it: %s\t%s\t%s\t%s\t<who is right and why>\n", cx.prefix, dir,
              code, reason);
    }
  }
  X509_free(x);
  ERR_clear_error();
}

/* ---- the tests --------------------------------------------------------------------- */

static size_t stale_entries;

TEST(corpus_is_complete) {
  CHECK(!fatal_setup);
  CHECK(corpus.ca_bundle > 0);
  CHECK(corpus.n > 0);
}

TEST(pem_decoding_agrees) {
  CHECK_EQ_INT(pem_mismatches, 0);
}

TEST(accept_reject_agrees_or_is_expected) {
  CHECK_EQ_INT(n_unexpected, 0);
}

TEST(fields_agree_where_both_accept) {
  CHECK_EQ_INT(field_mismatches, 0);
  CHECK(fields_compared > 0);
}

TEST(expected_list_has_no_stale_entries) {
  /* An entry whose certificate is in the corpus but no longer disagrees (or
   * disagrees differently) is stale: the behaviour changed, so the list (and
   * docs/differential.md) must change with it. Entries for certificates not
   * in this corpus (a CA bundle of another date) are only counted. */
  CHECK_EQ_INT(stale_entries, 0);
}

int main(void) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const char *src = getenv("MTK_SOURCE_DIR");
  if (src == NULL || src[0] == '\0') {
    setup_fail("MTK_SOURCE_DIR is not set (run through ctest)");
    src = ".";
  }
  load_expected(src);
  load_ca_bundle();
  load_limbo(src);

  for (size_t i = 0; i < corpus.n; i++) check_one(&corpus.v[i]);

  size_t not_in_corpus = 0;
  for (size_t i = 0; i < exp_n; i++) {
    if (exp_v[i].seen) continue;
    bool present = exp_v[i].in_corpus;
    for (size_t k = 0; k < corpus.n && !present; k++) {
      char pfx[17];
      hex_prefix(corpus.v[k].sha, pfx);
      present = strcmp(pfx, exp_v[i].prefix) == 0;
    }
    if (present) {
      stale_entries++;
      fprintf(stderr, "STALE EXPECTED ENTRY %s %s %s %s: the certificate no longer disagrees this way\n",
              exp_v[i].prefix, exp_v[i].direction, exp_v[i].mtk_code, exp_v[i].ossl_reason);
    } else {
      not_in_corpus++;
    }
  }

  for (size_t i = 0; i < n_classes; i++)
    printf("disagreement class: %zu x %s (e.g. %s)\n", classes[i].count, classes[i].key,
           classes[i].example);
  printf("SAN names compared by type:");
  for (unsigned t = 0; t < 9; t++) printf(" %s %zu", mtk_gn_type_name((mtk_gn_type)t), san_by_type[t]);
  printf("; basicConstraints %zu, keyUsage %zu, extKeyUsage %zu decoded by both\n", n_bc, n_ku, n_eku);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("differential: %zu certificates (%zu occurrences: %zu CA bundle, %zu limbo cases), "
         "%zu both accept (%zu of them with an extension OpenSSL rejects), %zu both reject, %zu expected disagreements, %zu unexpected, "
         "%llu fields compared (%zu field mismatches in %zu certificates), %zu SANs with %zu names, "
         "keys: %zu compared, %zu only OpenSSL cannot load, %zu only mtlskit finds malformed, "
         "%zu both fail; PEM: %zu objects, "
         "%zu mismatches; expected list: %zu entries, %zu not in this corpus; %.1f s\n",
         corpus.n, corpus.occurrences, corpus.ca_bundle, corpus.limbo_cases, n_both_accept,
         n_both_accept_flagged, n_both_reject, n_expected, n_unexpected, fields_compared, field_mismatches,
         certs_with_mismatch, san_certs, san_names, keys_compared, keys_ossl_only_failed,
         keys_mtk_only_malformed, keys_both_failed, pem_objects, pem_mismatches, exp_n, not_in_corpus, secs);

  RUN(corpus_is_complete);
  RUN(pem_decoding_agrees);
  RUN(accept_reject_agrees_or_is_expected);
  RUN(fields_agree_where_both_accept);
  RUN(expected_list_has_no_stale_entries);

  corpus_free();
  free(exp_v);
  ASN1_TIME_free(epoch);
  return test_summary();
}

/* limbo_harness.c: `mtlskit-limbo`, the x509-limbo harness on mtlskit's
 * public API (verify.h, pem.h).
 *
 *   mtlskit-limbo [OPTIONS] < suite.json > results.json
 *
 * Reads a limbo suite (limbo-schema.json: {"version": 1, "testcases": [...]})
 * on standard input and writes the suite's result format on standard output:
 * {"version": 1, "harness": "mtlskit-limbo 0.1.0", "results": [{"id",
 * "actual_result": "SUCCESS"|"FAILURE"|"SKIPPED", "context"}]}. No case is
 * skipped.
 *
 * Mapping of a case to mtk_verify (docs/verify.md):
 *   - profile by the id namespace (which is what decides the cases the suite
 *     marks as conflicting, conflicts_with): webpki:: gets MTK_VERIFY_WEBPKI;
 *     every other case MTK_VERIFY_RFC5280 with MTK_VERIFY_ALLOW_NO_EKU (RFC
 *     5280 4.2.1.12: no EKU extension means any purpose), except mtlskit's
 *     own mtls:: cases (tests/limbo/client), which keep the mTLS default of
 *     requiring the EKU;
 *   - every trusted certificate is a trust anchor (MTK_VERIFY_PARTIAL_CHAIN);
 *     a trusted certificate mtlskit refuses to parse is not an anchor;
 *   - validation_time, or 2025-01-01T00:00:00Z when null (never the clock);
 *     fractions of a second are truncated;
 *   - SERVER: purpose server, expected_peer_name (if any); CLIENT: purpose
 *     client, every expected_peer_names entry must match
 *     (MTK_VERIFY_ALL_NAMES);
 *   - max_chain_depth as opts.max_depth; crls as DER CRLs; key_usage and
 *     signature_algorithms are not used (no case constrains on them beyond
 *     what the profile checks).
 *
 * Options:
 *   --baseline FILE   compare with FILE (one id per line, '#' comments: the
 *                     cases known right). Prints a summary on stderr; exit 1
 *                     if a case of FILE (among those run) is now wrong;
 *                     lists newly right cases.
 *   --write-baseline FILE   write the ids of the cases now right to FILE.
 *   --sample N        run every case outside bettertls:: and every Nth
 *                     bettertls:: case (a deterministic subset, for ASan).
 *   --only PREFIX     run only cases whose id starts with PREFIX.
 *   --verbose         print every wrong case with its context on stderr. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mtlskit/pem.h"
#include "mtlskit/verify.h"

#define DEFAULT_TIME "2025-01-01T00:00:00Z"

typedef struct der_list {
  mtk_cbs *v;
  uint8_t **bufs;
  size_t n, cap;
} der_list;

static void der_list_free(der_list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->bufs[i]);
  free(l->v);
  free(l->bufs);
  memset(l, 0, sizeof *l);
}

/* Decodes the first object of a PEM string into |l|; false if none. */
static bool der_list_add_pem(der_list *l, const char *pem) {
  size_t len = strlen(pem);
  uint8_t *buf = malloc(len + 1);
  if (buf == NULL) return false;
  mtk_pem_reader r;
  mtk_pem_obj obj;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_pem_reader_init(&r, (const uint8_t *)pem, len);
  if (mtk_pem_next(&r, buf, len + 1, &obj, &d) != MTK_OK || obj.kind == MTK_OBJ_NONE) {
    free(buf);
    return false;
  }
  if (obj.format == MTK_FMT_DER) memcpy(buf, obj.der.p, obj.der.len);
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 8;
    mtk_cbs *v = realloc(l->v, nc * sizeof *v);
    if (v == NULL) {
      free(buf);
      return false;
    }
    l->v = v;
    uint8_t **b = realloc(l->bufs, nc * sizeof *b);
    if (b == NULL) {
      free(buf);
      return false;
    }
    l->bufs = b;
    l->cap = nc;
  }
  l->bufs[l->n] = buf;
  mtk_cbs_init(&l->v[l->n], buf, obj.der.len);
  l->n++;
  return true;
}

static const char *jstr(const json_t *o, const char *key) {
  const json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool parse_time(const char *s, mtk_time *out) {
  char buf[64];
  size_t n = 0;
  bool in_frac = false;
  for (const char *p = s; *p && n + 1 < sizeof buf; p++) {
    if (*p == '.') {
      in_frac = true;
      continue;
    }
    if (in_frac && *p >= '0' && *p <= '9') continue;
    in_frac = false;
    buf[n++] = *p;
  }
  buf[n] = '\0';
  return mtk_time_parse(buf, n, out);
}

static bool name_kind(const char *k, mtk_name_kind *out) {
  if (k == NULL) return false;
  if (strcmp(k, "DNS") == 0)
    *out = MTK_NAME_DNS;
  else if (strcmp(k, "IP") == 0)
    *out = MTK_NAME_IP;
  else if (strcmp(k, "RFC822") == 0)
    *out = MTK_NAME_EMAIL;
  else
    return false;
  return true;
}

typedef struct case_mem {
  mtk_trust *trust;
  der_list inter, crls, leaf;
} case_mem;

/* Runs one case; |ctx| gets the context text. Returns "SUCCESS"/"FAILURE". */
static const char *run_case_body(const json_t *tc, mtk_verify_result *res, char *ctx, size_t cap,
                                 case_mem *m) {
  const char *id = jstr(tc, "id");
  der_list *inter = &m->inter, *crls = &m->crls, *leaf = &m->leaf;
  mtk_verify_name names[16];
  size_t n_names = 0;
  mtk_diag d;
  mtk_diag_init(&d);
  ctx[0] = '\0';

  mtk_verify_opts o;
  mtk_time at;
  const char *vt = jstr(tc, "validation_time");
  if (!parse_time(vt ? vt : DEFAULT_TIME, &at)) {
    snprintf(ctx, cap, "bad validation_time");
    return "FAILURE";
  }
  mtk_verify_opts_init(&o, at);
  o.flags = MTK_VERIFY_PARTIAL_CHAIN;
  if (strncmp(id, "webpki::", 8) == 0) {
    o.profile = MTK_VERIFY_WEBPKI;
  } else {
    o.profile = MTK_VERIFY_RFC5280;
    /* mtls:: (tests/limbo/client) tests mtlskit's mTLS default: EKU required. */
    if (strncmp(id, "mtls::", 6) != 0) o.flags |= MTK_VERIFY_ALLOW_NO_EKU;
  }
  const char *kind = jstr(tc, "validation_kind");
  bool client = kind != NULL && strcmp(kind, "CLIENT") == 0;
  o.purpose = client ? MTK_PURPOSE_CLIENT : MTK_PURPOSE_SERVER;
  const json_t *md = json_object_get(tc, "max_chain_depth");
  if (json_is_integer(md)) o.max_depth = (int)json_integer_value(md);

  size_t i;
  const json_t *e;
  if (client) {
    json_array_foreach(json_object_get(tc, "expected_peer_names"), i, e) {
      const char *v = jstr(e, "value");
      if (n_names < 16 && v != NULL && name_kind(jstr(e, "kind"), &names[n_names].kind)) {
        names[n_names].value = v;
        names[n_names].len = strlen(v);
        n_names++;
      }
    }
    o.flags |= MTK_VERIFY_ALL_NAMES;
  } else {
    e = json_object_get(tc, "expected_peer_name");
    const char *v = json_is_object(e) ? jstr(e, "value") : NULL;
    if (v != NULL && name_kind(jstr(e, "kind"), &names[0].kind)) {
      names[0].value = v;
      names[0].len = strlen(v);
      n_names = 1;
    }
  }
  o.names = n_names ? names : NULL;
  o.n_names = n_names;

  if (mtk_trust_new(NULL, 0, NULL, 0, &m->trust, &d) != MTK_OK) {
    snprintf(ctx, cap, "trust store: out of memory");
    return "FAILURE";
  }
  size_t skipped_anchors = 0;
  json_array_foreach(json_object_get(tc, "trusted_certs"), i, e) {
    const char *pem = json_string_value(e);
    mtk_diag_init(&d);
    if (pem == NULL || mtk_trust_add(m->trust, (const uint8_t *)pem, strlen(pem),
                                     MTK_TRUST_ANCHOR, &d) != MTK_OK)
      skipped_anchors++;
  }
  json_array_foreach(json_object_get(tc, "untrusted_intermediates"), i, e) {
    const char *pem = json_string_value(e);
    if (pem == NULL || !der_list_add_pem(inter, pem)) {
      snprintf(ctx, cap, "untrusted intermediate %zu is not PEM", i);
      return "FAILURE";
    }
  }
  json_array_foreach(json_object_get(tc, "crls"), i, e) {
    const char *pem = json_string_value(e);
    if (pem == NULL || !der_list_add_pem(crls, pem)) {
      snprintf(ctx, cap, "CRL %zu is not PEM", i);
      return "FAILURE";
    }
  }
  o.crls = crls->n ? crls->v : NULL;
  o.n_crls = crls->n;
  const char *peer = jstr(tc, "peer_certificate");
  if (peer == NULL || !der_list_add_pem(leaf, peer)) {
    snprintf(ctx, cap, "peer certificate is not PEM");
    return "FAILURE";
  }
  mtk_status s = mtk_verify(m->trust, leaf->v[0].p, leaf->v[0].len, inter->v, inter->n, &o, res);
  if (s != MTK_OK) {
    snprintf(ctx, cap, "mtk_verify: %s", mtk_status_name(s));
    return "FAILURE";
  }
  size_t used = 0;
  if (res->valid) {
    const mtk_verify_path *p = &res->paths[res->chain];
    used += (size_t)snprintf(ctx, cap, "valid (%s): ", mtk_verify_profile_name(o.profile));
    for (size_t k = 0; k < p->n_elems && used < cap; k++)
      used += (size_t)snprintf(ctx + used, cap - used, "%s%s", k ? " <- " : "", p->elems[k].subject);
    return "SUCCESS";
  }
  used += (size_t)snprintf(ctx, cap, "invalid (%s, %zu path%s)", mtk_verify_profile_name(o.profile),
                           res->n_paths, res->n_paths == 1 ? "" : "s");
  if (skipped_anchors && used < cap)
    used += (size_t)snprintf(ctx + used, cap - used, "; %zu trusted certificate(s) unusable",
                             skipped_anchors);
  for (size_t k = 0; k < res->n_paths && k < 3 && used < cap; k++)
    for (size_t r = 0; r < res->paths[k].n_reasons && r < 2 && used < cap; r++)
      used += (size_t)snprintf(ctx + used, cap - used, "; [%s] %s",
                               mtk_status_name(res->paths[k].reasons[r].code),
                               res->paths[k].reasons[r].msg);
  return "FAILURE";
}

static const char *run_case(const json_t *tc, mtk_verify_result *res, char *ctx, size_t cap) {
  case_mem m;
  memset(&m, 0, sizeof m);
  const char *verdict = run_case_body(tc, res, ctx, cap, &m);
  mtk_trust_free(m.trust);
  der_list_free(&m.inter);
  der_list_free(&m.crls);
  der_list_free(&m.leaf);
  return verdict;
}

/* ---- baseline ------------------------------------------------------------------ */

typedef struct idset {
  char **v;
  size_t n, cap;
} idset;

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool idset_has(const idset *s, const char *id) {
  return s->n > 0 && bsearch(&id, s->v, s->n, sizeof *s->v, cmpstr) != NULL;
}

static bool idset_load(idset *s, const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL) return false;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, "\r\n");
    line[n] = '\0';
    if (n == 0 || line[0] == '#') continue;
    if (s->n == s->cap) {
      size_t nc = s->cap ? s->cap * 2 : 1024;
      char **v = realloc(s->v, nc * sizeof *v);
      if (v == NULL) break;
      s->v = v;
      s->cap = nc;
    }
    s->v[s->n] = malloc(n + 1);
    if (s->v[s->n] == NULL) break;
    memcpy(s->v[s->n], line, n + 1);
    s->n++;
  }
  fclose(f);
  if (s->n > 0) qsort(s->v, s->n, sizeof *s->v, cmpstr);
  return true;
}

static void idset_free(idset *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
}

static int usage(void) {
  fputs("usage: mtlskit-limbo [--baseline FILE] [--write-baseline FILE] [--sample N]\n"
        "                     [--only PREFIX] [--verbose] < suite.json > results.json\n",
        stderr);
  return 2;
}

int main(int argc, char **argv) {
  const char *baseline = NULL, *write_baseline = NULL, *only = NULL;
  long sample = 0;
  bool verbose = false;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--baseline") == 0 && i + 1 < argc)
      baseline = argv[++i];
    else if (strcmp(argv[i], "--write-baseline") == 0 && i + 1 < argc)
      write_baseline = argv[++i];
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else if (strcmp(argv[i], "--sample") == 0 && i + 1 < argc)
      sample = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--verbose") == 0)
      verbose = true;
    else
      return usage();
  }
  json_error_t jerr;
  json_t *suite = json_loadf(stdin, 0, &jerr);
  if (suite == NULL) {
    fprintf(stderr, "mtlskit-limbo: cannot read the suite: %s (line %d)\n", jerr.text, jerr.line);
    return 2;
  }
  const json_t *cases = json_object_get(suite, "testcases");
  if (!json_is_array(cases)) {
    fprintf(stderr, "mtlskit-limbo: no testcases array\n");
    json_decref(suite);
    return 2;
  }
  idset base = {0};
  if (baseline != NULL && !idset_load(&base, baseline)) {
    fprintf(stderr, "mtlskit-limbo: cannot read baseline %s\n", baseline);
    json_decref(suite);
    return 2;
  }
  FILE *wb = NULL;
  if (write_baseline != NULL && (wb = fopen(write_baseline, "w")) == NULL) {
    fprintf(stderr, "mtlskit-limbo: cannot write %s\n", write_baseline);
    json_decref(suite);
    idset_free(&base);
    return 2;
  }
  if (wb != NULL)
    fputs("# x509-limbo cases that mtlskit-limbo gets right, one id per line\n"
          "# (tests/limbo/README.md). The ctest fails if one of them goes wrong.\n",
          wb);

  mtk_verify_result *res = malloc(sizeof *res);
  json_t *results = json_array();
  if (res == NULL || results == NULL) return 2;
  size_t right = 0, wrong = 0, regressions = 0, improvements = 0, run = 0;
  size_t bettertls_seen = 0, baseline_in_run = 0;
  char ctx[2048];
  size_t i;
  const json_t *tc;
  clock_t t0 = clock();
  json_array_foreach(cases, i, tc) {
    const char *id = jstr(tc, "id");
    if (id == NULL) continue;
    if (only != NULL && strncmp(id, only, strlen(only)) != 0) continue;
    if (sample > 1 && strncmp(id, "bettertls::", 11) == 0 && bettertls_seen++ % (size_t)sample != 0)
      continue;
    run++;
    const char *actual = run_case(tc, res, ctx, sizeof ctx);
    const char *expected = jstr(tc, "expected_result");
    bool ok = expected != NULL && strcmp(expected, actual) == 0;
    if (ok)
      right++;
    else
      wrong++;
    bool was_right = baseline != NULL && idset_has(&base, id);
    if (was_right) baseline_in_run++;
    if (baseline != NULL && was_right && !ok) {
      regressions++;
      fprintf(stderr, "REGRESSION %s: expected %s, got %s: %s\n", id, expected, actual, ctx);
    } else if (baseline != NULL && !was_right && ok) {
      improvements++;
      fprintf(stderr, "NEWLY RIGHT %s (add it to the baseline)\n", id);
    } else if (verbose && !ok) {
      fprintf(stderr, "WRONG %s: expected %s, got %s: %s\n", id, expected ? expected : "?", actual,
              ctx);
    }
    if (wb != NULL && ok) fprintf(wb, "%s\n", id);
    json_t *r = json_pack("{s:s, s:s, s:s}", "id", id, "actual_result", actual, "context", ctx);
    if (r != NULL) json_array_append_new(results, r);
  }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  json_t *doc = json_pack("{s:i, s:s, s:o}", "version", 1, "harness", "mtlskit-limbo 0.1.0",
                          "results", results);
  if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) {
    fprintf(stderr, "mtlskit-limbo: cannot write the results\n");
    return 2;
  }
  fputc('\n', stdout);
  fprintf(stderr, "mtlskit-limbo: %zu cases: %zu right, %zu wrong, 0 skipped (%.1f s CPU)\n", run,
          right, wrong, secs);
  int rc = 0;
  if (baseline != NULL) {
    fprintf(stderr,
            "mtlskit-limbo: baseline: %zu of its cases in this run; %zu regressions, %zu newly "
            "right\n",
            baseline_in_run, regressions, improvements);
    if (regressions > 0) rc = 1;
  }
  if (wb != NULL) fclose(wb);
  json_decref(doc);
  json_decref(suite);
  idset_free(&base);
  free(res);
  return rc;
}

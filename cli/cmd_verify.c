/* cmd_verify.c: `mtlskit verify`: chain verification (verify.h).
 *
 * Reads the trust anchors (--ca), extra intermediates (--untrusted), CRLs
 * (--crl) and the certificate to verify (its file may also hold the chain the
 * peer would send: the first certificate is the leaf, the others are
 * untrusted intermediates), runs mtk_verify and prints the verdict, the chain
 * found, or for every candidate path the reasons it failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/pem.h"
#include "mtlskit/str.h"
#include "mtlskit/verify.h"

static const cli_opt verify_opts[] = {
    {"ca", 0, "FILE", "trust anchors (PEM bundle, DER or PKCS#7); repeatable; required"},
    {"untrusted", 0, "FILE", "untrusted intermediates to build the path with; repeatable"},
    {"crl", 0, "FILE", "CRLs (PEM or DER); repeatable; turns revocation checking on"},
    {"purpose", 0, "P", "server or client: require that EKU in the leaf (default: none)"},
    {"profile", 0, "P", "rfc5280 (default) or webpki (adds the CA/B Forum BR profile)"},
    {"dns", 0, "NAME", "expected DNS name (RFC 9525 DNS-ID); repeatable"},
    {"ip", 0, "ADDR", "expected IP address (IP-ID); repeatable"},
    {"uri", 0, "URI", "expected URI (URI-ID: scheme and host); repeatable"},
    {"srv", 0, "NAME", "expected SRV-ID (_service.domain); repeatable"},
    {"email", 0, "ADDR", "expected rfc822Name (client certificates); repeatable"},
    {"all-names", 0, NULL, "every expected name must match (default: any one)"},
    {"at", 0, "TIME", "validate as of TIME (RFC 3339 or YYYY-MM-DD) instead of now"},
    {"max-depth", 0, "N", "at most N intermediate CAs, self-issued ones not counted (default 8)"},
    {"partial-chain", 0, NULL, "a trusted certificate that is not self-signed may end the path"},
    {"allow-no-eku", 0, NULL, "accept a leaf without extendedKeyUsage (RFC 5280 reading)"},
    {"crl-leaf-only", 0, NULL, "with --crl: check only the leaf's revocation"},
    {"json", 'j', NULL, "print JSON (schema mtlskit.verify/1, docs/verify.md)"},
    {"quiet", 'q', NULL, "print only the verdict line"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_verify = {
    "verify",
    "--ca FILE [--untrusted FILE]... [--crl FILE]... [--purpose server|client]\n"
    "       [--profile rfc5280|webpki] [--dns NAME|--ip ADDR|--uri URI|--srv NAME|--email ADDR]...\n"
    "       [--at TIME] [--max-depth N] [--json] CERT",
    "Verify a certificate chain: path building, signatures, and a strict profile.",
    "mtlskit builds every candidate path from CERT (the leaf; any further\n"
    "certificates in its file are untrusted intermediates, as a TLS peer sends\n"
    "them) to a trust anchor of --ca, through the --untrusted intermediates, and\n"
    "validates each with OpenSSL 3 (signatures, X509_V_FLAG_X509_STRICT, CRLs)\n"
    "and with mtlskit's own profile: RFC 5280 (basicConstraints and pathLen, key\n"
    "usage, name constraints including directoryName, AKI/SKI, serial numbers,\n"
    "validity with notAfter inclusive, unknown critical extensions, duplicate\n"
    "extensions, weak keys and signature algorithms), and with --profile webpki\n"
    "the CA/Browser Forum Baseline Requirements' certificate profile.\n"
    "\n"
    "--purpose server requires serverAuth in the leaf's extendedKeyUsage, --purpose\n"
    "client clientAuth (the mTLS case), in every CA that has the extension too.\n"
    "Expected names follow RFC 9525 (no CN fallback, whole-label wildcards only).\n"
    "When the chain is invalid, every candidate path tried is shown with the\n"
    "reasons it failed, in plain words, each with a stable code (MTK_ERR_CHAIN_*).\n"
    "The rules are listed in docs/verify.md.",
    verify_opts,
    "  0  the chain is valid\n  1  the chain is invalid (the reasons are printed)\n"
    "  2  bad input (unreadable file, no certificate, malformed CRL or name, bad option)\n",
    cmd_verify,
};

/* ---- inputs ---------------------------------------------------------------------- */

typedef struct blobs {
  uint8_t **bufs;   /* file contents and decode buffers, freed at the end */
  size_t n, cap;
} blobs;

static bool blobs_keep(blobs *b, uint8_t *p) {
  if (b->n == b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 16;
    uint8_t **v = realloc(b->bufs, nc * sizeof *v);
    if (v == NULL) return false;
    b->bufs = v;
    b->cap = nc;
  }
  b->bufs[b->n++] = p;
  return true;
}

typedef struct cbs_list {
  mtk_cbs *v;
  size_t n, cap;
} cbs_list;

static bool cbs_push(cbs_list *l, mtk_cbs c) {
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 8;
    mtk_cbs *v = realloc(l->v, nc * sizeof *v);
    if (v == NULL) return false;
    l->v = v;
    l->cap = nc;
  }
  l->v[l->n++] = c;
  return true;
}

/* Reads |path| and appends the DER of every object of |kind| in it to |out|.
 * False (with a message) on a read or decode error, or if none is found. */
static bool read_objects(const char *path, mtk_obj_kind kind, blobs *keep, cbs_list *out) {
  uint8_t *data;
  size_t len;
  if (!cli_read_file(path, &data, &len)) return false;
  if (!blobs_keep(keep, data)) {
    free(data);
    return false;
  }
  uint8_t *scratch = malloc(len + 1);
  if (scratch == NULL || !blobs_keep(keep, scratch)) {
    free(scratch);
    cli_error("out of memory");
    return false;
  }
  mtk_pem_reader r;
  mtk_pem_obj obj;
  mtk_diag d;
  size_t used = 0, found = 0;
  mtk_diag_init(&d);
  mtk_pem_reader_init(&r, data, len);
  for (;;) {
    mtk_status s = mtk_pem_next(&r, scratch + used, len + 1 - used, &obj, &d);
    if (s != MTK_OK) {
      char msg[512];
      mtk_error_format(&d.err, msg, sizeof msg);
      cli_error("%s: %s", path, msg);
      return false;
    }
    if (obj.kind == MTK_OBJ_NONE) break;
    if (obj.format != MTK_FMT_DER) used += obj.der.len;
    bool want = obj.kind == kind || (kind == MTK_OBJ_CERT && obj.kind == MTK_OBJ_TRUSTED_CERT);
    if (!want) continue;
    mtk_cbs der = obj.der;
    if (obj.kind == MTK_OBJ_TRUSTED_CERT) {
      mtk_cbs copy = obj.der;
      if (mtk_der_get_any(&copy, NULL, NULL, &der, &d) != MTK_OK) der = obj.der;
    }
    if (!cbs_push(out, der)) {
      cli_error("out of memory");
      return false;
    }
    found++;
  }
  if (found == 0) {
    cli_error("%s: no %s found", path, mtk_obj_kind_name(kind));
    return false;
  }
  return true;
}

/* ---- output ------------------------------------------------------------------------- */

static void json_str(mtk_buf *b, const char *s) {
  if (mtk_str_json_quote(b, (const uint8_t *)s, strlen(s)) != MTK_OK) b->overflow = true;
}

static void print_json(mtk_buf *b, const char *file, const mtk_verify_opts *o,
                       const mtk_verify_result *res) {
  char at[40];
  mtk_time_format(o->at, at, sizeof at);
  if (mtk_buf_puts(b, "{\"schema\":\"mtlskit.verify/1\",\"file\":") != MTK_OK) return;
  json_str(b, file);
  if (mtk_buf_printf(b, ",\"valid\":%s,\"code\":", res->valid ? "true" : "false") != MTK_OK)
    return;
  json_str(b, mtk_status_name(res->code));
  if (mtk_buf_printf(b, ",\"profile\":\"%s\",\"purpose\":\"%s\",\"at\":\"%s\"",
                     mtk_verify_profile_name(o->profile),
                     o->purpose == MTK_PURPOSE_SERVER   ? "server"
                     : o->purpose == MTK_PURPOSE_CLIENT ? "client"
                                                        : "any",
                     at) != MTK_OK)
    return;
  if (res->matched_name >= 0 && (size_t)res->matched_name < o->n_names) {
    const mtk_verify_name *n = &o->names[res->matched_name];
    if (mtk_buf_puts(b, ",\"matched_name\":") != MTK_OK) return;
    if (mtk_str_json_quote(b, (const uint8_t *)n->value, n->len) != MTK_OK) return;
  }
  if (mtk_buf_puts(b, ",\"chain\":") != MTK_OK) return;
  for (size_t pi = 0; pi <= res->n_paths; pi++) {
    /* first the chain (or null), then "paths" */
    const mtk_verify_path *p = NULL;
    if (pi == 0) {
      if (!res->valid) {
        if (mtk_buf_puts(b, "null,\"paths\":[") != MTK_OK) return;
        continue;
      }
      p = &res->paths[res->chain];
    } else {
      p = &res->paths[pi - 1];
      if (pi > 1 && mtk_buf_putc(b, ',') != MTK_OK) return;
      if (mtk_buf_printf(b, "{\"complete\":%s,\"valid\":%s,\"certificates\":",
                         p->complete ? "true" : "false", p->valid ? "true" : "false") != MTK_OK)
        return;
    }
    if (mtk_buf_putc(b, '[') != MTK_OK) return;
    for (size_t k = 0; k < p->n_elems; k++) {
      const mtk_verify_elem *e = &p->elems[k];
      if (mtk_buf_printf(b, "%s{\"depth\":%zu,\"origin\":\"%s\",\"index\":%zu,\"subject\":",
                         k ? "," : "", k, mtk_cert_origin_name(e->origin), e->index) != MTK_OK)
        return;
      json_str(b, e->subject);
      if (mtk_buf_putc(b, '}') != MTK_OK) return;
    }
    if (mtk_buf_putc(b, ']') != MTK_OK) return;
    if (pi == 0) {
      if (mtk_buf_puts(b, ",\"paths\":[") != MTK_OK) return;
      continue;
    }
    if (mtk_buf_puts(b, ",\"reasons\":[") != MTK_OK) return;
    for (size_t r = 0; r < p->n_reasons; r++) {
      const mtk_verify_reason *rr = &p->reasons[r];
      if (mtk_buf_printf(b, "%s{\"code\":%d,\"name\":", r ? "," : "", (int)rr->code) != MTK_OK)
        return;
      json_str(b, mtk_status_name(rr->code));
      if (mtk_buf_printf(b, ",\"depth\":%d,\"message\":", rr->depth) != MTK_OK) return;
      json_str(b, rr->msg);
      if (mtk_buf_putc(b, '}') != MTK_OK) return;
    }
    if (mtk_buf_printf(b, "],\"reasons_dropped\":%zu}", p->reasons_dropped) != MTK_OK) return;
  }
  if (mtk_buf_printf(b, "],\"paths_dropped\":%zu}\n", res->paths_dropped) != MTK_OK) return;
}

static void print_path_line(const mtk_verify_path *p) {
  for (size_t k = 0; k < p->n_elems; k++)
    printf("%s%s", k ? " <- " : "", p->elems[k].subject);
  putchar('\n');
}

static void print_text(const char *file, const mtk_verify_result *res, bool quiet) {
  if (res->valid) {
    printf("%s: OK\n", file);
    if (quiet) return;
    const mtk_verify_path *p = &res->paths[res->chain];
    printf("chain:\n");
    for (size_t k = 0; k < p->n_elems; k++)
      printf("  %zu  %-12s %s\n", k, mtk_cert_origin_name(p->elems[k].origin), p->elems[k].subject);
    return;
  }
  printf("%s: INVALID (%s: %s)\n", file, mtk_status_name(res->code), mtk_status_message(res->code));
  if (quiet) return;
  for (size_t i = 0; i < res->n_paths; i++) {
    const mtk_verify_path *p = &res->paths[i];
    printf("candidate path %zu (%s): ", i + 1, p->complete ? "reaches a trust anchor" : "incomplete");
    print_path_line(p);
    for (size_t r = 0; r < p->n_reasons; r++)
      printf("  - %s [%s]\n", p->reasons[r].msg, mtk_status_name(p->reasons[r].code));
    if (p->reasons_dropped) printf("  - ... and %zu more\n", p->reasons_dropped);
  }
  if (res->paths_dropped) printf("(%zu more candidate paths not shown)\n", res->paths_dropped);
}

/* ---- the command ---------------------------------------------------------------------- */

typedef struct names_list {
  mtk_verify_name *v;
  size_t n;
} names_list;

static int run_verify(const cli_args *a, blobs *keep, cbs_list *certs, cbs_list *crls,
                      names_list *names, mtk_trust **trust, mtk_verify_result *res) {
  const cli_cmd *cmd = &cli_cmd_verify;
  if (a->n_pos != 1) {
    cli_error("verify: give exactly one certificate file (see 'mtlskit verify --help')");
    return MTK_EXIT_BAD_INPUT;
  }
  if (!cli_has(cmd, a, "ca")) {
    cli_error("verify: --ca FILE is required (the trust anchors)");
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_time at = (mtk_time)time(NULL);
  const char *at_s = cli_get(cmd, a, "at");
  if (at_s != NULL && !mtk_time_parse(at_s, strlen(at_s), &at)) {
    cli_error("--at: '%s' is not a time (use RFC 3339, e.g. 2026-01-31T12:00:00Z, or 2026-01-31)",
              at_s);
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_verify_opts o;
  mtk_verify_opts_init(&o, at);
  const char *v;
  if ((v = cli_get(cmd, a, "purpose")) != NULL) {
    if (strcmp(v, "server") == 0)
      o.purpose = MTK_PURPOSE_SERVER;
    else if (strcmp(v, "client") == 0)
      o.purpose = MTK_PURPOSE_CLIENT;
    else if (strcmp(v, "any") != 0) {
      cli_error("--purpose: '%s' is not server, client or any", v);
      return MTK_EXIT_BAD_INPUT;
    }
  }
  if ((v = cli_get(cmd, a, "profile")) != NULL && !mtk_verify_profile_parse(v, &o.profile)) {
    cli_error("--profile: '%s' is not rfc5280 or webpki", v);
    return MTK_EXIT_BAD_INPUT;
  }
  if ((v = cli_get(cmd, a, "max-depth")) != NULL) {
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0 || n > MTK_VERIFY_MAX_PATH - 2) {
      cli_error("--max-depth: '%s' is not a number from 0 to %d", v, MTK_VERIFY_MAX_PATH - 2);
      return MTK_EXIT_BAD_INPUT;
    }
    o.max_depth = (int)n;
  }
  if (cli_has(cmd, a, "partial-chain")) o.flags |= MTK_VERIFY_PARTIAL_CHAIN;
  if (cli_has(cmd, a, "allow-no-eku")) o.flags |= MTK_VERIFY_ALLOW_NO_EKU;
  if (cli_has(cmd, a, "crl-leaf-only")) o.flags |= MTK_VERIFY_CRL_LEAF_ONLY;
  if (cli_has(cmd, a, "all-names")) o.flags |= MTK_VERIFY_ALL_NAMES;

  /* Repeatable options, in command-line order. */
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = mtk_trust_new(NULL, 0, NULL, 0, trust, &d);
  if (s != MTK_OK) {
    cli_error("out of memory");
    return MTK_EXIT_BAD_INPUT;
  }
  names->v = calloc(a->n_values + 1, sizeof *names->v);
  if (names->v == NULL) return MTK_EXIT_BAD_INPUT;
  static const struct {
    const char *opt;
    mtk_name_kind kind;
  } name_opts[] = {{"dns", MTK_NAME_DNS}, {"ip", MTK_NAME_IP},   {"uri", MTK_NAME_URI},
                   {"srv", MTK_NAME_SRV}, {"email", MTK_NAME_EMAIL}};
  for (size_t i = 0; i < a->n_values; i++) {
    const char *opt = cmd->opts[a->value_opt[i]].name;
    const char *val = a->values[i];
    if (strcmp(opt, "ca") == 0 || strcmp(opt, "untrusted") == 0) {
      uint8_t *data;
      size_t len;
      if (!cli_read_file(val, &data, &len)) return MTK_EXIT_BAD_INPUT;
      mtk_diag_init(&d);
      s = mtk_trust_add(*trust, data, len,
                        strcmp(opt, "ca") == 0 ? MTK_TRUST_ANCHOR : MTK_TRUST_INTERMEDIATE, &d);
      free(data);
      if (s != MTK_OK) {
        char msg[512];
        mtk_error_format(&d.err, msg, sizeof msg);
        cli_error("%s: %s", val, msg);
        return MTK_EXIT_BAD_INPUT;
      }
    } else if (strcmp(opt, "crl") == 0) {
      if (!read_objects(val, MTK_OBJ_CRL, keep, crls)) return MTK_EXIT_BAD_INPUT;
    } else {
      for (size_t k = 0; k < sizeof name_opts / sizeof name_opts[0]; k++)
        if (strcmp(opt, name_opts[k].opt) == 0)
          names->v[names->n++] = (mtk_verify_name){name_opts[k].kind, val, strlen(val)};
    }
  }
  if (mtk_trust_count(*trust, MTK_TRUST_ANCHOR) == 0) {
    cli_error("verify: the --ca files hold no certificate");
    return MTK_EXIT_BAD_INPUT;
  }
  const char *file = a->pos[0];
  if (!read_objects(file, MTK_OBJ_CERT, keep, certs)) return MTK_EXIT_BAD_INPUT;
  o.names = names->n ? names->v : NULL;
  o.n_names = names->n;
  o.crls = crls->n ? crls->v : NULL;
  o.n_crls = crls->n;
  s = mtk_verify(*trust, certs->v[0].p, certs->v[0].len, certs->n > 1 ? certs->v + 1 : NULL,
                 certs->n - 1, &o, res);
  if (s == MTK_ERR_ARG) {
    cli_error("verify: an expected name or a CRL is malformed");
    return MTK_EXIT_BAD_INPUT;
  }
  if (s != MTK_OK) {
    cli_error("verify: %s", mtk_status_message(s));
    return MTK_EXIT_BAD_INPUT;
  }
  if (cli_has(cmd, a, "json")) {
    mtk_buf b;
    mtk_buf_init(&b, MTK_MAX_RENDER);
    print_json(&b, file, &o, res);
    if (mtk_buf_status(&b) != MTK_OK) {
      mtk_buf_free(&b);
      cli_error("output larger than the limit");
      return MTK_EXIT_BAD_INPUT;
    }
    fwrite(b.p, 1, b.len, stdout);
    mtk_buf_free(&b);
  } else {
    print_text(file, res, cli_has(cmd, a, "quiet"));
  }
  return res->valid ? MTK_EXIT_OK : MTK_EXIT_FINDING;
}

int cmd_verify(int argc, char **argv) {
  cli_args a;
  bool help;
  int rc = cli_parse(&cli_cmd_verify, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  blobs keep = {0};
  cbs_list certs = {0}, crls = {0};
  names_list names = {0};
  mtk_trust *trust = NULL;
  mtk_verify_result *res = malloc(sizeof *res);
  if (res == NULL) {
    cli_error("out of memory");
    rc = MTK_EXIT_BAD_INPUT;
  } else {
    rc = run_verify(&a, &keep, &certs, &crls, &names, &trust, res);
  }
  fflush(stdout);
  mtk_trust_free(trust);
  for (size_t i = 0; i < keep.n; i++) free(keep.bufs[i]);
  free(keep.bufs);
  free(certs.v);
  free(crls.v);
  free(names.v);
  free(res);
  free(a.pos);
  return rc;
}

/* cmd_decode.c: `mtlskit decode` and `mtlskit check`.
 *
 * Both read every input, find the objects in it (pem.h), parse each
 * certificate and CSR (x509.h), and render them (render.h); check also runs
 * the linter (lint.h). A first pass collects the public keys of every
 * certificate and CSR and every private key found, so the rendering pass can
 * say which belong together. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/keys.h"
#include "mtlskit/lint.h"
#include "mtlskit/pem.h"
#include "mtlskit/render.h"
#include "mtlskit/x509.h"

static const cli_opt decode_opts[] = {
    {"json", 'j', NULL, "print JSON (schema mtlskit.decode/1, docs/json-schema.md)"},
    {"key", 'k', "FILE", "say whether each certificate/CSR belongs to this private key"},
    {"at", 0, "TIME", "judge dates as of TIME (RFC 3339 or YYYY-MM-DD) instead of now"},
    {"compact", 0, NULL, "JSON on one line"},
    {0, 0, 0, 0},
};

static const cli_opt check_opts[] = {
    {"json", 'j', NULL, "print JSON (schema mtlskit.decode/1, docs/json-schema.md)"},
    {"profile", 'p', "P", "rules for: server, client, ca, csr (default: from the certificate)"},
    {"private-pki", 0, NULL, "rules binding only publicly-trusted CAs become notices"},
    {"key", 'k', "FILE", "say whether each certificate/CSR belongs to this private key"},
    {"at", 0, "TIME", "judge dates as of TIME (RFC 3339 or YYYY-MM-DD) instead of now"},
    {"compact", 0, NULL, "JSON on one line"},
    {"quiet", 'q', NULL, "print only the findings and the verdict (text)"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_decode = {
    "decode",
    "[--json] [--key FILE] [--at TIME] FILE...",
    "Decode every certificate, CSR and PKCS#7 bundle in the inputs.",
    "Inputs may be PEM (any label, many blocks, text around them, CRLF), raw DER,\n"
    "base64 without armour, or PKCS#7 (.p7b/.p7c, PEM or DER); '-' reads standard\n"
    "input. Every field and extension is shown. Private keys are recognised and\n"
    "never printed; when the inputs also hold certificates or CSRs, mtlskit says\n"
    "which of them a key belongs to. Errors name the file, the object, the element\n"
    "path and the byte offset.",
    decode_opts,
    "  0  every object decoded\n  2  bad input (unreadable file, malformed PEM/DER, bad option)\n",
    cmd_decode,
};

const cli_cmd cli_cmd_check = {
    "check",
    "[--json] [--profile P] [--private-pki] [--key FILE] [--at TIME] FILE...",
    "Decode, then run every check that applies, with severities.",
    "Checks come from RFC 5280, the CA/Browser Forum Baseline Requirements,\n"
    "RFC 9525, RFC 8813/8410 and common practice (docs/checks.md). Each finding\n"
    "has a stable id, a severity (error, warning, notice), its source, and the\n"
    "element it concerns (path and byte offset). A rule with an effective date\n"
    "binds only certificates issued on or after it.",
    check_opts,
    "  0  no error-level finding\n  1  at least one error-level finding\n"
    "  2  bad input (unreadable file, malformed PEM/DER, bad option)\n",
    cmd_check,
};

/* ---- state of one run ------------------------------------------------------ */

typedef struct input {
  const char *path;
  uint8_t *data;
  size_t len;
  uint8_t *scratch;   /* decoded PEM objects, |len| bytes */
} input;

/* A public key seen in the inputs, or a private key found in them. */
typedef struct seen_key {
  size_t input, object;
  bool is_csr, is_private;
  const uint8_t *p;   /* SPKI DER, or the private key's bytes */
  size_t len;
} seen_key;

typedef struct run {
  const cli_cmd *cmd;
  bool check, json, quiet;
  mtk_lint_opts lint;
  mtk_time now;
  input *inputs;
  size_t n_inputs;
  seen_key *keys;
  size_t n_keys, cap_keys;
  uint8_t *key_file;  /* --key */
  size_t key_len;
  const char *key_path;
  bool bad_input;
  size_t n_error_findings;
} run;

static void add_seen(run *r, seen_key k) {
  if (r->n_keys == r->cap_keys) {
    size_t n = r->cap_keys ? r->cap_keys * 2 : 16;
    seen_key *p = realloc(r->keys, n * sizeof(*p));
    if (p == NULL) return; /* pairing is a convenience: skip on no memory */
    r->keys = p;
    r->cap_keys = n;
  }
  r->keys[r->n_keys++] = k;
}

/* What to call object |obj| of |in| in messages. */
static void describe(char *buf, size_t cap, const input *in, size_t index, const mtk_pem_obj *obj) {
  if (obj->format == MTK_FMT_PEM)
    snprintf(buf, cap, "%s: object %zu (%s, PEM at line %zu)", in->path, index + 1,
             mtk_obj_kind_name(obj->kind), obj->line);
  else
    snprintf(buf, cap, "%s: object %zu (%s, %s)", in->path, index + 1, mtk_obj_kind_name(obj->kind),
             mtk_obj_format_name(obj->format));
}

static void report_error(run *r, mtk_render_doc *doc, const mtk_error *e, const char *where,
                         const mtk_render_ctx *ctx) {
  r->bad_input = true;
  if (r->json) {
    if (mtk_render_doc_add_error(doc, e, ctx) != MTK_OK) cli_error("output limit reached");
    return;
  }
  char msg[512];
  mtk_error_format(e, msg, sizeof msg);
  cli_error("%s: %s", where, msg);
}

/* ---- one object ---------------------------------------------------------------- */

typedef enum pass { PASS_COLLECT, PASS_RENDER } pass;

/* Matches of |spki| against --key and the private keys of the inputs. */
static void add_key_matches(run *r, mtk_render_extras *ex, const mtk_cbs *spki, char names[][160]) {
  if (r->key_file != NULL && ex->n_key_matches < MTK_RENDER_MAX_KEY_MATCHES) {
    mtk_render_key_match *m = &ex->key_matches[ex->n_key_matches++];
    m->file = r->key_path;
    m->status = mtk_private_key_matches_spki(r->key_file, r->key_len, spki->p, spki->len, &m->match);
  }
  for (size_t i = 0; i < r->n_keys && ex->n_key_matches < MTK_RENDER_MAX_KEY_MATCHES; i++) {
    const seen_key *k = &r->keys[i];
    if (!k->is_private) continue;
    size_t slot = ex->n_key_matches;
    mtk_render_key_match *m = &ex->key_matches[ex->n_key_matches++];
    snprintf(names[slot], 160, "%s object %zu", r->inputs[k->input].path, k->object + 1);
    m->file = names[slot];
    m->status = mtk_private_key_matches_spki(k->p, k->len, spki->p, spki->len, &m->match);
  }
}

/* Prints (text) which certificates share the key of CSR/cert |spki|. */
static void print_pairs(run *r, size_t input_i, size_t obj_i, bool is_csr, const mtk_cbs *spki) {
  if (r->json || r->quiet) return;
  for (size_t i = 0; i < r->n_keys; i++) {
    const seen_key *k = &r->keys[i];
    if (k->is_private || k->is_csr == is_csr) continue;
    if (k->len == spki->len && memcmp(k->p, spki->p, spki->len) == 0)
      printf("  Pairing: same public key as the %s %s object %zu\n", k->is_csr ? "CSR" : "certificate",
             r->inputs[k->input].path, k->object + 1);
  }
  (void)input_i;
  (void)obj_i;
}

/* One decoded certificate or CSR: the two differ only in which parse, lint
 * and render calls apply. */
typedef struct parsed {
  bool is_csr;
  mtk_cert cert;
  mtk_csr csr;
  mtk_diag diag;
  mtk_findings findings;
} parsed;

static mtk_status parse_obj(parsed *o, const mtk_cbs *der) {
  mtk_diag_init(&o->diag);
  return o->is_csr ? mtk_csr_parse(&o->csr, der->p, der->len, &o->diag)
                   : mtk_cert_parse(&o->cert, der->p, der->len, &o->diag);
}

static const mtk_cbs *obj_spki(const parsed *o) {
  return o->is_csr ? &o->csr.spki.elem : &o->cert.spki.elem;
}

static mtk_status lint_obj(run *r, parsed *o) {
  mtk_lint_opts lo = r->lint;
  lo.parse_diag = &o->diag;
  if (!o->is_csr) return mtk_lint_cert(&o->cert, &lo, &o->findings);
  lo.profile = MTK_PROFILE_CSR; /* a CSR is linted as a CSR whatever --profile says */
  return mtk_lint_csr(&o->csr, &lo, &o->findings);
}

static mtk_status render_obj(mtk_buf *out, const parsed *o, const mtk_render_ctx *ctx) {
  return o->is_csr ? mtk_render_csr(out, &o->csr, ctx, MTK_RENDER_TEXT)
                   : mtk_render_cert(out, &o->cert, ctx, MTK_RENDER_TEXT);
}

static void obj_body(parsed *o, run *r, pass p, mtk_render_doc *doc, size_t ii, size_t oi,
                     const mtk_cbs *der, const mtk_render_ctx *base, const char *where,
                     mtk_buf *textout) {
  mtk_status s = parse_obj(o, der);
  if (p == PASS_COLLECT) {
    if (s == MTK_OK) {
      const mtk_cbs *k = obj_spki(o);
      add_seen(r, (seen_key){ii, oi, o->is_csr, false, k->p, k->len});
    }
    return;
  }
  if (s != MTK_OK) {
    report_error(r, doc, &o->diag.err, where, base);
    return;
  }
  mtk_render_extras ex;
  char names[MTK_RENDER_MAX_KEY_MATCHES][160];
  s = o->is_csr ? mtk_render_extras_csr(&ex, &o->csr) : mtk_render_extras_cert(&ex, &o->cert);
  if (s != MTK_OK) memset(&ex, 0, sizeof ex);
  add_key_matches(r, &ex, obj_spki(o), names);
  mtk_render_ctx ctx = *base;
  ctx.extras = &ex;
  if (r->check) {
    if (lint_obj(r, o) != MTK_OK) cli_error("%s: lint failed", where);
    r->n_error_findings += o->findings.n_error;
    ctx.findings = &o->findings;
  }
  if (r->json) {
    s = o->is_csr ? mtk_render_doc_add_csr(doc, &o->csr, &ctx) : mtk_render_doc_add_cert(doc, &o->cert, &ctx);
    if (s != MTK_OK) cli_error("output limit reached");
  } else if (r->quiet) {
    printf("%s\n", where);
    if (r->check && mtk_render_findings(textout, &o->findings, &ctx, MTK_RENDER_TEXT) == MTK_OK)
      fwrite(textout->p, 1, textout->len, stdout);
    mtk_buf_reset(textout);
  } else {
    if (render_obj(textout, o, &ctx) == MTK_OK)
      fwrite(textout->p, 1, textout->len, stdout);
    else
      cli_error("%s: output limit reached", where);
    mtk_buf_reset(textout);
    print_pairs(r, ii, oi, o->is_csr, obj_spki(o));
    putchar('\n');
  }
}

/* do_obj parses (and in the render pass lints and renders) one certificate
 * or CSR. The structs are large (findings), so they live on the heap. */
static void do_obj(bool is_csr, run *r, pass p, mtk_render_doc *doc, size_t ii, size_t oi,
                   const mtk_cbs *der, const mtk_render_ctx *base, const char *where,
                   mtk_buf *textout) {
  parsed *o = calloc(1, sizeof *o);
  if (o == NULL) {
    cli_error("out of memory");
    r->bad_input = true;
    return;
  }
  o->is_csr = is_csr;
  obj_body(o, r, p, doc, ii, oi, der, base, where, textout);
  free(o);
}

static void do_other(run *r, pass p, mtk_render_doc *doc, size_t ii, size_t oi,
                     const mtk_pem_obj *obj, const mtk_render_ctx *ctx, const char *where) {
  const char *kind = "unknown";
  const char *note = NULL;
  switch (obj->kind) {
    case MTK_OBJ_PRIVATE_KEY:
      kind = "private_key";
      note = obj->encrypted ? "encrypted; not shown" : "not shown";
      if (p == PASS_COLLECT && !obj->encrypted)
        add_seen(r, (seen_key){ii, oi, false, true, obj->der.p, obj->der.len});
      break;
    case MTK_OBJ_PUBLIC_KEY: kind = "public_key"; break;
    case MTK_OBJ_CRL: kind = "crl"; note = "CRL decoding is not part of decode yet"; break;
    case MTK_OBJ_PARAMS: kind = "parameters"; break;
    case MTK_OBJ_PKCS7: kind = "pkcs7"; break;
    default: break;
  }
  if (p == PASS_COLLECT) return;
  if (r->json) {
    if (mtk_render_doc_add_other(doc, kind, note, ctx) != MTK_OK) cli_error("output limit reached");
  } else if (!r->quiet) {
    printf("%s: %s\n\n", where, note ? note : "not decoded");
  }
}

/* Runs pass |p| over every object of input |ii|. */
static void do_input(run *r, pass p, mtk_render_doc *doc, size_t ii, mtk_buf *textout) {
  input *in = &r->inputs[ii];
  mtk_pem_reader rd;
  mtk_pem_obj obj;
  mtk_diag d;
  size_t used = 0, index = 0;
  mtk_diag_init(&d);
  mtk_pem_reader_init(&rd, in->data, in->len);
  for (;;) {
    mtk_status s = mtk_pem_next(&rd, in->scratch + used, in->len - used, &obj, &d);
    if (s != MTK_OK) {
      if (p == PASS_RENDER) {
        mtk_render_ctx ctx;
        mtk_render_ctx_init(&ctx, r->now);
        ctx.file = in->path;
        ctx.index = index;
        report_error(r, doc, &d.err, in->path, &ctx);
      }
      return;
    }
    if (obj.kind == MTK_OBJ_NONE) return;
    if (obj.format == MTK_FMT_PEM || obj.format == MTK_FMT_BASE64) used += obj.der.len;
    char where[512];
    describe(where, sizeof where, in, index, &obj);
    mtk_render_ctx ctx;
    mtk_render_ctx_init(&ctx, r->now);
    ctx.file = in->path;
    ctx.index = index;
    ctx.offset = obj.offset;
    ctx.line = obj.line;
    ctx.encoding = mtk_obj_format_name(obj.format);
    if (r->json && p == PASS_RENDER) ctx.flags = 0;
    switch (obj.kind) {
      case MTK_OBJ_CERT:
      case MTK_OBJ_TRUSTED_CERT: {
        mtk_cbs der = obj.der;
        if (obj.kind == MTK_OBJ_TRUSTED_CERT) {
          /* The certificate is the first of two elements (the rest is
           * OpenSSL's trust settings). */
          mtk_cbs copy = obj.der, elem;
          mtk_diag dd;
          mtk_diag_init(&dd);
          if (mtk_der_get_any(&copy, NULL, NULL, &elem, &dd) == MTK_OK) der = elem;
        }
        do_obj(false, r, p, doc, ii, index, &der, &ctx, where, textout);
        break;
      }
      case MTK_OBJ_CSR:
        do_obj(true, r, p, doc, ii, index, &obj.der, &ctx, where, textout);
        break;
      case MTK_OBJ_PKCS7: {
        mtk_pkcs7_iter it;
        mtk_diag pd;
        mtk_diag_init(&pd);
        if (mtk_pkcs7_init(&it, &obj.der, &pd) != MTK_OK) {
          if (p == PASS_RENDER) report_error(r, doc, &pd.err, where, &ctx);
          break;
        }
        mtk_cbs cert;
        size_t k = 0;
        while (mtk_pkcs7_next_cert(&it, &cert, &pd) == MTK_OK && cert.len > 0) {
          char w2[600];
          snprintf(w2, sizeof w2, "%s, certificate %zu", where, k + 1);
          do_obj(false, r, p, doc, ii, index, &cert, &ctx, w2, textout);
          k++;
        }
        if (k == 0 && p == PASS_RENDER && !r->json) printf("%s: no certificates in the bundle\n\n", where);
        break;
      }
      case MTK_OBJ_PRIVATE_KEY:
      case MTK_OBJ_PUBLIC_KEY:
      case MTK_OBJ_CRL:
      case MTK_OBJ_PARAMS:
      case MTK_OBJ_UNKNOWN:
      case MTK_OBJ_NONE:
        do_other(r, p, doc, ii, index, &obj, &ctx, where);
        break;
    }
    index++;
  }
}

static bool parse_now(const char *at, mtk_time *now) {
  if (at == NULL) {
    *now = (mtk_time)time(NULL);
    return true;
  }
  if (!mtk_time_parse(at, strlen(at), now)) {
    cli_error("--at: '%s' is not a time (use RFC 3339, e.g. 2026-01-31T12:00:00Z, or 2026-01-31)", at);
    return false;
  }
  return true;
}

/* run_passes runs the collect pass, then the render pass (into |doc| over
 * |out| with --json) over every input. False when the document could not
 * be built (output limit, no memory). */
static bool run_passes(run *r, unsigned flags, mtk_buf *out, mtk_buf *textout, mtk_render_doc *doc) {
  for (size_t i = 0; i < r->n_inputs; i++) do_input(r, PASS_COLLECT, NULL, i, textout);
  if (r->json &&
      mtk_render_doc_begin(doc, out, MTK_RENDER_JSON, r->cmd->name, "0.1.0", r->now, flags) != MTK_OK)
    return false;
  for (size_t i = 0; i < r->n_inputs; i++) {
    if (r->json && mtk_render_doc_input_begin(doc, r->inputs[i].path) != MTK_OK) return false;
    do_input(r, PASS_RENDER, doc, i, textout);
    if (r->json && mtk_render_doc_input_end(doc) != MTK_OK) return false;
  }
  if (r->json && mtk_render_doc_end(doc) != MTK_OK) {
    cli_error("output larger than the limit");
    return false;
  }
  return true;
}

/* Reads the inputs and renders them; returns the exit code. */
static int run_body(run *r, const cli_args *a, mtk_buf *out, mtk_buf *textout, mtk_render_doc *doc) {
  const cli_cmd *cmd = r->cmd;
  if (a->n_pos == 0) {
    cli_error("%s: no input file (use '-' for standard input)", cmd->name);
    return MTK_EXIT_BAD_INPUT;
  }
  if (!parse_now(cli_get(cmd, a, "at"), &r->now)) return MTK_EXIT_BAD_INPUT;
  r->lint.now = r->now;
  if (r->check) {
    const char *prof = cli_get(cmd, a, "profile");
    if (prof != NULL && !mtk_profile_parse(prof, &r->lint.profile)) {
      cli_error("--profile: '%s' is not one of server, client, ca, csr", prof);
      return MTK_EXIT_BAD_INPUT;
    }
    r->lint.private_pki = cli_has(cmd, a, "private-pki");
  }
  r->key_path = cli_get(cmd, a, "key");
  if (r->key_path != NULL && !cli_read_file(r->key_path, &r->key_file, &r->key_len))
    return MTK_EXIT_BAD_INPUT;

  r->inputs = calloc(a->n_pos, sizeof(input));
  if (r->inputs == NULL) return MTK_EXIT_BAD_INPUT;
  r->n_inputs = a->n_pos;
  size_t stdin_uses = 0;
  for (size_t i = 0; i < a->n_pos; i++) {
    r->inputs[i].path = a->pos[i];
    if (strcmp(a->pos[i], "-") == 0 && stdin_uses++ > 0) {
      cli_error("standard input ('-') given twice");
      return MTK_EXIT_BAD_INPUT;
    }
    if (!cli_read_file(a->pos[i], &r->inputs[i].data, &r->inputs[i].len)) return MTK_EXIT_BAD_INPUT;
    r->inputs[i].scratch = malloc(r->inputs[i].len + 1);
    if (r->inputs[i].scratch == NULL) return MTK_EXIT_BAD_INPUT;
  }

  unsigned flags = cli_has(cmd, a, "compact") ? MTK_RENDER_COMPACT : 0;
  if (!run_passes(r, flags, out, textout, doc)) return MTK_EXIT_BAD_INPUT;
  if (r->json) {
    fwrite(out->p, 1, out->len, stdout);
    putchar('\n');
  } else if (r->check) {
    printf("%s: %zu error-level finding%s\n", r->n_error_findings ? "FAIL" : "PASS",
           r->n_error_findings, r->n_error_findings == 1 ? "" : "s");
  }
  if (r->bad_input) return MTK_EXIT_BAD_INPUT;
  return r->check && r->n_error_findings > 0 ? MTK_EXIT_FINDING : MTK_EXIT_OK;
}

static int run_decode(const cli_cmd *cmd, bool check, int argc, char **argv) {
  cli_args a;
  bool help;
  int rc = cli_parse(cmd, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  run r;
  memset(&r, 0, sizeof r);
  r.cmd = cmd;
  r.check = check;
  r.json = cli_has(cmd, &a, "json");
  r.quiet = check && cli_has(cmd, &a, "quiet");
  mtk_buf out, textout;
  mtk_buf_init(&out, MTK_MAX_RENDER);
  mtk_buf_init(&textout, MTK_MAX_RENDER);
  mtk_render_doc doc;
  memset(&doc, 0, sizeof doc);

  rc = run_body(&r, &a, &out, &textout, &doc);

  fflush(stdout);
  mtk_render_doc_cleanup(&doc);
  mtk_buf_free(&out);
  mtk_buf_free(&textout);
  for (size_t i = 0; i < r.n_inputs; i++) {
    /* Inputs may hold private keys: wipe before freeing. */
    if (r.inputs[i].data) OPENSSL_cleanse(r.inputs[i].data, r.inputs[i].len);
    if (r.inputs[i].scratch) OPENSSL_cleanse(r.inputs[i].scratch, r.inputs[i].len);
    free(r.inputs[i].data);
    free(r.inputs[i].scratch);
  }
  if (r.key_file) {
    OPENSSL_cleanse(r.key_file, r.key_len);
    free(r.key_file);
  }
  free(r.inputs);
  free(r.keys);
  free(a.pos);
  return rc;
}

int cmd_decode(int argc, char **argv) { return run_decode(&cli_cmd_decode, false, argc, argv); }
int cmd_check(int argc, char **argv) { return run_decode(&cli_cmd_check, true, argc, argv); }

/* cli_decode_json: see cli.h. The same two passes as `decode --json` /
 * `check --json` over one input held in memory. */
int cli_decode_json(const cli_decode_req *q, uint8_t *data, size_t len, mtk_buf *out) {
  run r;
  memset(&r, 0, sizeof r);
  r.cmd = q->check ? &cli_cmd_check : &cli_cmd_decode;
  r.check = q->check;
  r.json = true;
  r.now = q->now;
  r.lint.now = q->now;
  r.lint.profile = q->profile;
  r.lint.private_pki = q->private_pki;
  input in = {q->name != NULL ? q->name : "-", data, len, NULL};
  in.scratch = malloc(len + 1);
  if (in.scratch == NULL) return -1;
  r.inputs = &in;
  r.n_inputs = 1;
  mtk_buf textout;
  mtk_buf_init(&textout, MTK_MAX_RENDER);
  mtk_render_doc doc;
  memset(&doc, 0, sizeof doc);
  bool built = run_passes(&r, q->flags, out, &textout, &doc);
  mtk_render_doc_cleanup(&doc);
  mtk_buf_free(&textout);
  OPENSSL_cleanse(in.scratch, len);
  free(in.scratch);
  free(r.keys);
  if (!built) return -1;
  if (r.bad_input) return MTK_EXIT_BAD_INPUT;
  return r.check && r.n_error_findings > 0 ? MTK_EXIT_FINDING : MTK_EXIT_OK;
}

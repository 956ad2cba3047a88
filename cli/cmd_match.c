/* cmd_match.c: `mtlskit match`: does a certificate identify the service a
 * client names? (RFC 9525; RFC 6125 legacy mode with --rfc6125.)
 *
 * The references are parsed first, in the order given (their priority), so a
 * malformed one is a usage error before any certificate is read. The first
 * certificate of CERT (the leaf of a chain file) is parsed and matched with
 * mtk_identity_match; the output names the presented identifier that matched,
 * or, for each one, why it did not: as text, or with --json as one JSON
 * document (schema mtlskit.match/1, docs/identity.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/identity.h"
#include "mtlskit/pem.h"
#include "mtlskit/str.h"
#include "mtlskit/x509.h"

static const cli_opt match_opts[] = {
    {"dns", 0, "NAME", "DNS-ID reference: a host name (U-labels are converted to A-labels)"},
    {"srv", 0, "_SVC.NAME", "SRV-ID reference: a service and a domain, e.g. _imaps.example.net"},
    {"uri", 0, "URI", "URI-ID reference: scheme and host, e.g. sip:user@example.net"},
    {"ip", 0, "ADDR", "IP-ID reference: an IPv4 or IPv6 address (strict text form)"},
    {"rfc6125", 0, NULL, "legacy RFC 6125 rules: partial wildcards, subject CN fallback"},
    {"no-wildcards", 0, NULL, "no presented wildcard matches"},
    {"json", 'j', NULL, "print JSON (schema mtlskit.match/1, docs/identity.md)"},
    {"quiet", 'q', NULL, "print only the verdict line"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_match = {
    "match",
    "[--rfc6125] [--no-wildcards] [--json]\n"
    "       (--dns NAME | --srv _SVC.NAME | --uri URI | --ip ADDR)... CERT",
    "Say whether a certificate identifies a service (RFC 9525).",
    "Each reference names the service a client expects; give one or more, in\n"
    "priority order: any one matching is a match. A reference is compared only\n"
    "with SAN entries of its own type (DNS with dNSName, IP with iPAddress, SRV\n"
    "with SRVName, URI with uniformResourceIdentifier); the subject CN is never\n"
    "used. A wildcard is only a whole leftmost '*' label standing for one label,\n"
    "with at least two labels after it. Malformed SAN entries are skipped.\n"
    "--rfc6125 also allows partial-label wildcards (baz*, *baz, b*z) and the\n"
    "subject CN, but only for DNS references and only when the certificate has\n"
    "no DNS, SRV, URI or IP SAN. CERT is PEM or DER; in a chain file the first\n"
    "certificate is used. The output names the presented identifier that\n"
    "matched, or for each one why it did not (docs/identity.md). --json prints\n"
    "the same as one JSON document (schema mtlskit.match/1): the references\n"
    "with their normalised form, the match or null, and each presented\n"
    "identifier's verdict with a stable reason id. Errors still go to stderr.",
    match_opts,
    "  0  match\n  1  no match\n"
    "  2  bad input (unreadable or undecodable certificate, malformed reference, bad option)\n",
    cmd_match,
};

#define MAX_REFS CLI_MAX_VALUES

typedef cli_match_ref ref_arg; /* opt "dns", ...; the text as given */

/* parse_ref parses reference |v| of option |opt| ("dns", "ip", "srv",
 * "uri") into |r|; MTK_ERR_ARG for another option name. */
static mtk_status parse_ref(const char *opt, const char *v, mtk_ref *r, mtk_diag *d) {
  size_t len = strlen(v);
  if (strcmp(opt, "dns") == 0) return mtk_ref_parse_dns(v, len, r, d);
  if (strcmp(opt, "ip") == 0) return mtk_ref_parse_ip(v, len, r, d);
  if (strcmp(opt, "srv") == 0) return mtk_ref_parse_srv(v, len, r, d);
  if (strcmp(opt, "uri") == 0) return mtk_ref_parse_uri(v, len, r, d);
  return MTK_ERR_ARG;
}

/* parse_refs: the reference options in the order given. */
static bool parse_refs(const cli_args *a, mtk_ref *refs, ref_arg *args, size_t *n) {
  *n = 0;
  for (size_t i = 0; i < a->n_values; i++) {
    const char *opt = match_opts[a->value_opt[i]].name;
    const char *v = a->values[i];
    if (strcmp(opt, "dns") != 0 && strcmp(opt, "ip") != 0 && strcmp(opt, "srv") != 0 &&
        strcmp(opt, "uri") != 0)
      continue;
    mtk_diag d;
    mtk_diag_init(&d);
    size_t len = strlen(v);
    mtk_status s = parse_ref(opt, v, &refs[*n], &d);
    if (s != MTK_OK) {
      mtk_buf shown;
      mtk_buf_init(&shown, 4096);
      (void)mtk_str_escape_utf8(&shown, (const uint8_t *)v, len, MTK_ESC_TEXT);
      cli_error("match: --%s '%s': %s (%s, at offset %zu)", opt,
                mtk_buf_status(&shown) == MTK_OK && shown.p ? (const char *)shown.p : "",
                d.err.detail, mtk_status_name(s), d.err.offset);
      mtk_buf_free(&shown);
      return false;
    }
    args[*n].opt = opt;
    args[*n].text = v;
    (*n)++;
  }
  if (*n == 0) {
    cli_error("match: give at least one reference (--dns, --srv, --uri or --ip)");
    fprintf(stderr, "usage: mtlskit match %s\n", cli_cmd_match.synopsis);
    return false;
  }
  return true;
}

/* presented: appends "DNS:name", "IP:192.0.2.1", "CN=...", ... for |it|. */
static void presented(mtk_buf *b, const mtk_id_item *it) {
  switch (it->type) {
    case MTK_PID_DNS:
    case MTK_PID_URI:
    case MTK_PID_SRV:
      mtk_buf_printf(b, "SAN %s:", mtk_pid_type_name(it->type));
      (void)mtk_str_escape_utf8(b, it->value.p, it->value.len, MTK_ESC_TEXT);
      break;
    case MTK_PID_IP:
      mtk_buf_puts(b, "SAN IP:");
      (void)mtk_str_ip(b, it->value.p, it->value.len);
      break;
    case MTK_PID_CN:
      mtk_buf_puts(b, "subject CN=");
      (void)mtk_str_append(b, it->tag, it->value.p, it->value.len, MTK_ESC_TEXT, NULL);
      break;
    case MTK_PID_OTHER:
      mtk_buf_printf(b, "SAN %s", mtk_gn_type_name(it->gn_type));
      if (it->gn_type == MTK_GN_EMAIL) {
        mtk_buf_putc(b, ':');
        (void)mtk_str_escape_utf8(b, it->value.p, it->value.len, MTK_ESC_TEXT);
      }
      break;
  }
}

static void reference(mtk_buf *b, const ref_arg *arg, const mtk_ref *r) {
  mtk_buf_printf(b, "%s:", arg->opt);
  (void)mtk_str_escape_utf8(b, (const uint8_t *)arg->text, strlen(arg->text), MTK_ESC_TEXT);
  if (r->converted) mtk_buf_printf(b, " (A-label form %s)", (const char *)r->name);
}

/* find_first_cert: the first certificate in the bytes; the error in |d|
 * (MTK_ERR_PEM_NOTHING when there is none). */
static mtk_status find_first_cert(const uint8_t *data, size_t len, uint8_t *scratch, mtk_cbs *der,
                                  mtk_diag *d) {
  mtk_pem_reader rd;
  mtk_pem_obj obj;
  mtk_pem_reader_init(&rd, data, len);
  for (;;) {
    mtk_status s = mtk_pem_next(&rd, scratch, len, &obj, d);
    if (s != MTK_OK) return s;
    if (obj.kind == MTK_OBJ_NONE) break;
    if (obj.kind == MTK_OBJ_CERT || obj.kind == MTK_OBJ_TRUSTED_CERT) {
      mtk_cbs copy = obj.der, elem;
      mtk_diag dd;
      mtk_diag_init(&dd);
      *der = obj.der;
      if (obj.kind == MTK_OBJ_TRUSTED_CERT &&
          mtk_der_get_any(&copy, NULL, NULL, &elem, &dd) == MTK_OK)
        *der = elem;
      return MTK_OK;
    }
  }
  d->err.code = MTK_ERR_PEM_NOTHING;
  d->err.offset = 0;
  d->err.path[0] = '\0';
  snprintf(d->err.detail, sizeof d->err.detail, "no certificate found");
  return MTK_ERR_PEM_NOTHING;
}

/* first_cert: find_first_cert with the error on stderr. */
static mtk_status first_cert(const char *path, const uint8_t *data, size_t len, uint8_t *scratch,
                             mtk_cbs *der) {
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status s = find_first_cert(data, len, scratch, der, &d);
  if (s != MTK_OK) {
    char msg[512];
    mtk_error_format(&d.err, msg, sizeof msg);
    cli_error("%s: %s", path, msg);
  }
  return s;
}

static int report(const mtk_match_result *res, const mtk_ref *refs, const ref_arg *args, size_t n,
                  bool quiet, mtk_buf *b) {
  if (res->matched) {
    mtk_buf_puts(b, "MATCH: ");
    reference(b, &args[res->ref], &refs[res->ref]);
    mtk_buf_puts(b, " is matched by ");
    presented(b, &res->match);
    mtk_buf_printf(b, ": %s\n", mtk_id_reason_text(res->match.reason));
  } else {
    mtk_buf_puts(b, "NO MATCH: no presented identifier matches ");
    for (size_t j = 0; j < n; j++) {
      if (j > 0) mtk_buf_puts(b, j + 1 == n ? " or " : ", ");
      reference(b, &args[j], &refs[j]);
    }
    mtk_buf_putc(b, '\n');
    if (!quiet) {
      if (res->n_items == 0) mtk_buf_puts(b, "  (the certificate has no SAN and no subject CN)\n");
      for (size_t i = 0; i < res->n_items; i++) {
        const mtk_id_item *it = &res->items[i];
        mtk_buf_puts(b, "  ");
        presented(b, it);
        mtk_buf_printf(b, ": %s: %s", mtk_id_verdict_name(it->verdict),
                       mtk_id_reason_text(it->reason));
        if (n > 1 && it->ref != MTK_ID_NO_REF) {
          mtk_buf_puts(b, " [");
          reference(b, &args[it->ref], &refs[it->ref]);
          mtk_buf_putc(b, ']');
        }
        mtk_buf_putc(b, '\n');
      }
      if (res->n_more > 0) mtk_buf_printf(b, "  ... and %zu more not shown\n", res->n_more);
    }
  }
  return res->matched ? MTK_EXIT_OK : MTK_EXIT_FINDING;
}

/* ---- JSON (mtlskit.match/1) ------------------------------------------------------ */

static void json_str(mtk_buf *b, const char *s) {
  if (mtk_str_json_quote(b, (const uint8_t *)s, strlen(s)) != MTK_OK) b->overflow = true;
}

/* json_normalized: the reference as it is compared: the A-label name (DNS),
 * the address in RFC 5952 or dotted form (IP), "_service.domain" (SRV),
 * "scheme://host" or, for a URI without "//" (sip:), "scheme:host" (URI). */
static void json_normalized(mtk_buf *b, const ref_arg *arg, const mtk_ref *r) {
  mtk_buf_putc(b, '"');
  switch (r->kind) {
    case MTK_REF_DNS: (void)mtk_str_escape_utf8(b, r->name, r->name_len, MTK_ESC_JSON); break;
    case MTK_REF_IP: (void)mtk_str_ip(b, r->ip, r->ip_len); break;
    case MTK_REF_SRV:
      mtk_buf_putc(b, '_');
      (void)mtk_str_escape_utf8(b, r->service, r->service_len, MTK_ESC_JSON);
      mtk_buf_putc(b, '.');
      (void)mtk_str_escape_utf8(b, r->name, r->name_len, MTK_ESC_JSON);
      break;
    case MTK_REF_URI: {
      mtk_uri_parts parts;
      memset(&parts, 0, sizeof parts);
      bool authority = mtk_uri_split((const uint8_t *)arg->text, strlen(arg->text), &parts) ==
                           MTK_IDR_NONE &&
                       parts.has_authority;
      (void)mtk_str_escape_utf8(b, r->service, r->service_len, MTK_ESC_JSON);
      mtk_buf_puts(b, authority ? "://" : ":");
      (void)mtk_str_escape_utf8(b, r->name, r->name_len, MTK_ESC_JSON);
      break;
    }
    case MTK_REF_NONE:
    default: break;
  }
  mtk_buf_putc(b, '"');
}

/* json_pid: the "type" and "value" members of a presented identifier. The
 * type is the one the text output shows ("DNS", "IP", "SRV", "URI", "CN", or
 * the GeneralName type of any other SAN entry: "email", "dirName", ...); the
 * value is JSON-escaped text, or null for a SAN type shown without one. */
static void json_pid(mtk_buf *b, const mtk_id_item *it) {
  mtk_buf_puts(b, "\"type\":");
  json_str(b, it->type == MTK_PID_OTHER ? mtk_gn_type_name(it->gn_type)
                                        : mtk_pid_type_name(it->type));
  mtk_buf_puts(b, ",\"value\":");
  switch (it->type) {
    case MTK_PID_DNS:
    case MTK_PID_URI:
    case MTK_PID_SRV: (void)mtk_str_json_quote(b, it->value.p, it->value.len); break;
    case MTK_PID_IP:
      mtk_buf_putc(b, '"');
      (void)mtk_str_ip(b, it->value.p, it->value.len);
      mtk_buf_putc(b, '"');
      break;
    case MTK_PID_CN:
      mtk_buf_putc(b, '"');
      (void)mtk_str_append(b, it->tag, it->value.p, it->value.len, MTK_ESC_JSON, NULL);
      mtk_buf_putc(b, '"');
      break;
    case MTK_PID_OTHER:
    default:
      if (it->gn_type == MTK_GN_EMAIL)
        (void)mtk_str_json_quote(b, it->value.p, it->value.len);
      else
        mtk_buf_puts(b, "null");
      break;
  }
}

static const char *json_verdict(mtk_id_verdict v) {
  switch (v) {
    case MTK_IDV_MATCH: return "match";
    case MTK_IDV_NO_MATCH: return "no_match";
    case MTK_IDV_SKIPPED: return "skipped";
  }
  return "skipped";
}

static void json_reason(mtk_buf *b, mtk_id_reason r) {
  mtk_buf_puts(b, ",\"reason_id\":");
  json_str(b, mtk_id_reason_id(r));
  mtk_buf_puts(b, ",\"reason\":");
  json_str(b, mtk_id_reason_text(r));
}

static int report_json(const mtk_match_result *res, const mtk_ref *refs, const ref_arg *args,
                       size_t n, const char *path, unsigned flags, mtk_buf *b) {
  mtk_buf_puts(b, "{\"schema\":\"mtlskit.match/1\",\"file\":");
  json_str(b, path);
  mtk_buf_printf(b, ",\"mode\":\"%s\",\"references\":[",
                 flags & MTK_ID_RFC6125 ? "rfc6125" : "rfc9525");
  for (size_t j = 0; j < n; j++) {
    mtk_buf_printf(b, "%s{\"type\":\"%s\",\"input\":", j ? "," : "",
                   mtk_ref_kind_name(refs[j].kind));
    json_str(b, args[j].text);
    mtk_buf_puts(b, ",\"normalized\":");
    json_normalized(b, &args[j], &refs[j]);
    mtk_buf_putc(b, '}');
  }
  mtk_buf_printf(b, "],\"matched\":%s,\"match\":", res->matched ? "true" : "false");
  if (res->matched) {
    mtk_buf_printf(b, "{\"reference\":%zu,\"presented\":{", res->ref);
    json_pid(b, &res->match);
    mtk_buf_putc(b, '}');
    json_reason(b, res->match.reason);
    mtk_buf_putc(b, '}');
  } else {
    mtk_buf_puts(b, "null");
  }
  mtk_buf_puts(b, ",\"presented\":[");
  size_t n_items = res->matched ? 0 : res->n_items;
  for (size_t i = 0; i < n_items; i++) {
    const mtk_id_item *it = &res->items[i];
    mtk_buf_puts(b, i ? ",{" : "{");
    json_pid(b, it);
    mtk_buf_printf(b, ",\"verdict\":\"%s\"", json_verdict(it->verdict));
    json_reason(b, it->reason);
    if (it->ref != MTK_ID_NO_REF && it->ref < n)
      mtk_buf_printf(b, ",\"reference\":%zu}", it->ref);
    else
      mtk_buf_puts(b, ",\"reference\":null}");
  }
  mtk_buf_printf(b, "],\"more\":%zu}\n", res->matched ? (size_t)0 : res->n_more);
  return res->matched ? MTK_EXIT_OK : MTK_EXIT_FINDING;
}

static int match_body(const cli_args *a, bool quiet, bool json, mtk_ref *refs, ref_arg *args,
                      uint8_t **data, uint8_t **scratch, mtk_buf *out) {
  size_t n;
  if (!parse_refs(a, refs, args, &n)) return MTK_EXIT_BAD_INPUT;
  if (a->n_pos != 1) {
    cli_error("match: give exactly one certificate file (%zu given)", a->n_pos);
    fprintf(stderr, "usage: mtlskit match %s\n", cli_cmd_match.synopsis);
    return MTK_EXIT_BAD_INPUT;
  }
  const char *path = a->pos[0];
  size_t len;
  if (!cli_read_file(path, data, &len)) return MTK_EXIT_BAD_INPUT;
  *scratch = malloc(len + 1);
  if (*scratch == NULL) {
    cli_error("out of memory");
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_cbs der;
  if (first_cert(path, *data, len, *scratch, &der) != MTK_OK) return MTK_EXIT_BAD_INPUT;
  mtk_cert cert;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_cert_parse(&cert, der.p, der.len, &d) != MTK_OK) {
    char msg[512];
    mtk_error_format(&d.err, msg, sizeof msg);
    cli_error("%s: certificate: %s", path, msg);
    return MTK_EXIT_BAD_INPUT;
  }
  unsigned flags = 0;
  if (cli_has(&cli_cmd_match, a, "rfc6125")) flags |= MTK_ID_RFC6125;
  if (cli_has(&cli_cmd_match, a, "no-wildcards")) flags |= MTK_ID_NO_WILDCARDS;
  mtk_match_result *res = malloc(sizeof *res);
  if (res == NULL) {
    cli_error("out of memory");
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_status s = mtk_identity_match(&cert, refs, n, flags, res);
  if (s != MTK_OK) {
    cli_error("%s: %s (%s)", path, mtk_status_message(s), mtk_status_name(s));
    free(res);
    return MTK_EXIT_BAD_INPUT;
  }
  if (json) {
    int jrc = report_json(res, refs, args, n, path, flags, out);
    free(res);
    return jrc;
  }
  if (!quiet) {
    mtk_buf_printf(out, "certificate: %s\nrules: %s\n", path,
                   flags & MTK_ID_RFC6125
                       ? "RFC 6125 (legacy: partial wildcards, subject CN fallback)"
                       : "RFC 9525");
  }
  int rc = report(res, refs, args, n, quiet, out);
  free(res);
  return rc;
}

int cmd_match(int argc, char **argv) {
  cli_args a;
  bool help;
  int rc = cli_parse(&cli_cmd_match, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  mtk_ref *refs = calloc(MAX_REFS, sizeof *refs);
  ref_arg *args = calloc(MAX_REFS, sizeof *args);
  uint8_t *data = NULL, *scratch = NULL;
  mtk_buf out;
  mtk_buf_init(&out, MTK_MAX_RENDER);
  if (refs == NULL || args == NULL) {
    cli_error("out of memory");
    rc = MTK_EXIT_BAD_INPUT;
  } else {
    rc = match_body(&a, cli_has(&cli_cmd_match, &a, "quiet"), cli_has(&cli_cmd_match, &a, "json"),
                    refs, args, &data, &scratch, &out);
  }
  if (mtk_buf_status(&out) != MTK_OK) {
    cli_error("output limit reached");
    rc = MTK_EXIT_BAD_INPUT;
  } else if (out.len > 0) {
    fwrite(out.p, 1, out.len, stdout);
  }
  mtk_buf_free(&out);
  free(refs);
  free(args);
  free(data);
  free(scratch);
  free(a.pos);
  return rc;
}

/* cli_match_json: see cli.h. The steps of `match --json`, with errors
 * returned instead of printed. */
int cli_match_json(const char *file, const uint8_t *data, size_t len, const cli_match_ref *in,
                   size_t n, unsigned flags, mtk_buf *out, cli_match_fail *fail) {
  memset(fail, 0, sizeof *fail);
  mtk_diag d;
  mtk_diag_init(&d);
  if (n == 0 || n > MAX_REFS) {
    fail->stage = "reference";
    fail->err.code = MTK_ERR_ARG;
    snprintf(fail->err.detail, sizeof fail->err.detail, "give 1 to %d references (dns, ip, srv, uri)",
             MAX_REFS);
    return MTK_EXIT_BAD_INPUT;
  }
  int rc = MTK_EXIT_BAD_INPUT;
  mtk_cbs der;
  mtk_cert cert;
  mtk_status s = MTK_OK;
  mtk_ref *refs = calloc(n, sizeof *refs);
  uint8_t *scratch = malloc(len + 1);
  mtk_match_result *res = malloc(sizeof *res);
  if (refs == NULL || scratch == NULL || res == NULL) {
    fail->stage = "certificate";
    fail->err.code = MTK_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    mtk_diag_init(&d);
    s = parse_ref(in[i].opt, in[i].text, &refs[i], &d);
    if (s != MTK_OK) {
      fail->stage = "reference";
      fail->ref = i;
      fail->err = d.err;
      fail->err.code = s;
      goto out;
    }
  }
  mtk_diag_init(&d);
  s = find_first_cert(data, len, scratch, &der, &d);
  if (s == MTK_OK) {
    mtk_diag_init(&d);
    s = mtk_cert_parse(&cert, der.p, der.len, &d);
    if (s != MTK_OK && d.err.code == MTK_OK) d.err.code = s;
  }
  if (s == MTK_OK) s = mtk_identity_match(&cert, refs, n, flags, res);
  if (s != MTK_OK) {
    fail->stage = "certificate";
    fail->err = d.err;
    if (fail->err.code == MTK_OK) fail->err.code = s;
    goto out;
  }
  rc = report_json(res, refs, in, n, file, flags, out);
out:
  free(res);
  free(refs);
  free(scratch);
  return rc;
}

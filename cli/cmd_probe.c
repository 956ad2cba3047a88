/* cmd_probe.c: `mtlskit probe`, the mTLS doctor: options, files, the clock,
 * and the two renderings (text, JSON schema mtlskit.probe/1) of the result
 * that proxy/probe.c fills. docs/probe.md describes both. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ssl.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/str.h"
#include "probe.h"

#define PRB_SYSTEM_CA "/etc/ssl/certs/ca-certificates.crt"

static const cli_opt probe_opts[] = {
    {"cert", 0, "FILE", "our client certificate (PEM chain, leaf first, or one DER certificate)"},
    {"key", 0, "FILE", "its private key (PEM or DER, not encrypted)"},
    {"ca", 0, "FILE", "trust anchors for the server's chain (default: " PRB_SYSTEM_CA ")"},
    {"name", 0, "NAME", "the DNS name the server must hold (default: the host); repeatable"},
    {"uri", 0, "URI", "a URI-ID the server must hold (scheme and host); repeatable"},
    {"ip", 0, "ADDR", "an IP address the server must hold; repeatable"},
    {"servername", 0, "SNI", "the name to send in SNI (default: the first --name, or the host)"},
    {"min-tls", 0, "V", "1.2 (default) or 1.3: the lowest version offered"},
    {"timeout", 0, "S", "seconds for the connect, and again for the handshake (default 10)"},
    {"settle", 0, "S", "TLS 1.3: seconds to wait for the server's verdict on our certificate "
                       "(default 1)"},
    {"json", 'j', NULL, "print JSON (schema mtlskit.probe/1, docs/probe.md)"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_probe = {
    "probe",
    "HOST:PORT [--cert FILE --key FILE] [--ca FILE] [--name N|--uri U|--ip A]...\n"
    "       [--servername SNI] [--min-tls 1.2|1.3] [--timeout S] [--settle S] [--json]",
    "Diagnose a (mutual) TLS server: why is the handshake refused?",
    "mtlskit connects to HOST:PORT as a TLS 1.2/1.3 client and reports, in plain\n"
    "words, everything that decides a mutual TLS handshake:\n"
    "  - the protocol version, cipher suite and key exchange group negotiated;\n"
    "  - the server's chain as sent: each certificate decoded (subject, issuer,\n"
    "    validity, SANs, key), whether each one's issuer is the next one, the\n"
    "    count of lint findings (mtlskit check), and its verification for\n"
    "    serverAuth against --ca or the system store;\n"
    "  - whether the server's identity matches --name/--uri/--ip (default: the\n"
    "    host; an IP address is an IP-ID) under RFC 9525, with the reason for\n"
    "    every SAN that did not match;\n"
    "  - whether the server asks for a client certificate and which CA names it\n"
    "    accepts; with --cert, whether our certificate's issuer is among them,\n"
    "    whether it was sent, and whether it was accepted. When it is refused,\n"
    "    the TLS alert and its likely cause: wrong CA, expired or not yet valid,\n"
    "    no clientAuth EKU, identity not allowed by the server's rules, no\n"
    "    certificate sent. In TLS 1.3 a server refuses a client certificate\n"
    "    after the client's side of the handshake; mtlskit waits up to --settle\n"
    "    seconds (default 1) for that alert: silence then counts as accepted.\n"
    "Each problem is listed with what is wrong and how to fix it. The handshake\n"
    "is completed even with an untrusted server (its certificate is judged\n"
    "afterwards), but no application data is ever sent. The connect and the\n"
    "handshake each wait at most --timeout seconds.\n"
    "\n"
    "Examples:\n"
    "  mtlskit probe api.internal:8443 --ca ca.pem --cert me.pem --key me-key.pem\n"
    "  mtlskit probe 10.0.0.7:443 --ca ca.pem --name api.internal --json\n"
    "\n"
    "docs/probe.md lists every check, problem id and refusal cause, and the JSON\n"
    "schema.",
    probe_opts,
    "  0  the handshake completed and every check passed\n"
    "  1  something is wrong (connection, handshake, server chain or name, client\n"
    "     certificate refused or not asked for): each problem is listed\n"
    "  2  bad usage or input (bad option or address, unreadable or malformed file)\n",
    cmd_probe,
};

/* ---- JSON ------------------------------------------------------------------------------ */

static void jstr(mtk_buf *b, const char *s) {
  if (s == NULL) {
    (void)mtk_buf_puts(b, "null");
    return;
  }
  if (mtk_str_json_quote(b, (const uint8_t *)s, strlen(s)) != MTK_OK) b->overflow = true;
}

static void jkey(mtk_buf *b, const char *k, const char *s) {
  (void)mtk_buf_printf(b, "\"%s\":", k);
  jstr(b, s);
}

static const char *tri(int v) { return v > 0 ? "true" : v == 0 ? "false" : "null"; }

static void json_cert(mtk_buf *b, const prb_cert *c, size_t depth, bool chain) {
  (void)mtk_buf_putc(b, '{');
  if (chain) (void)mtk_buf_printf(b, "\"depth\":%zu,", depth);
  (void)mtk_buf_printf(b, "\"parsed\":%s,", c->parsed ? "true" : "false");
  if (!c->parsed) {
    jkey(b, "parse_error", c->parse_error);
    (void)mtk_buf_putc(b, ',');
    jkey(b, "sha256", c->sha256);
    (void)mtk_buf_putc(b, '}');
    return;
  }
  jkey(b, "subject", c->subject);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "issuer", c->issuer);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "not_before", c->not_before);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "not_after", c->not_after);
  (void)mtk_buf_printf(b, ",\"validity\":\"%s\",",
                       c->validity_state < 0   ? "not_yet_valid"
                       : c->validity_state > 0 ? "expired"
                                               : "valid");
  jkey(b, "validity_text", c->validity);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "key", c->key);
  (void)mtk_buf_puts(b, ",\"sans\":[");
  for (size_t i = 0; i < c->n_sans; i++) {
    if (i) (void)mtk_buf_putc(b, ',');
    jstr(b, c->sans[i]);
  }
  (void)mtk_buf_printf(b, "],\"sans_more\":%zu,\"ca\":%s,\"self_issued\":%s,", c->sans_more,
                       c->is_ca ? "true" : "false", c->self_issued ? "true" : "false");
  (void)mtk_buf_printf(b, "\"eku\":{\"present\":%s,\"server_auth\":%s,\"client_auth\":%s},",
                       c->has_eku ? "true" : "false", c->eku_server ? "true" : "false",
                       c->eku_client ? "true" : "false");
  if (chain) (void)mtk_buf_printf(b, "\"issuer_matches_next\":%s,", tri(c->issuer_matches_next));
  (void)mtk_buf_printf(b, "\"lint\":{\"errors\":%zu,\"warnings\":%zu,\"notices\":%zu},",
                       c->lint_errors, c->lint_warnings, c->lint_notices);
  jkey(b, "sha256", c->sha256);
  (void)mtk_buf_putc(b, '}');
}

static const char *stage_name(prb_stage s) {
  switch (s) {
  case PRB_STAGE_RESOLVE:
    return "resolve";
  case PRB_STAGE_CONNECT:
    return "connect";
  case PRB_STAGE_HANDSHAKE:
    return "handshake";
  default:
    return "done";
  }
}

static void render_json(mtk_buf *b, const prb_opts *o, const prb_result *r) {
  char at[40];
  mtk_time_format(o->now, at, sizeof at);
  (void)mtk_buf_puts(b, "{\"schema\":\"mtlskit.probe/1\",");
  jkey(b, "target", o->target);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "host", r->host);
  (void)mtk_buf_printf(b, ",\"port\":%u,\"at\":\"%s\",\"ok\":%s,\"stage\":\"%s\",", r->port, at,
                       r->n_errors == 0 && r->stage == PRB_STAGE_DONE ? "true" : "false",
                       stage_name(r->stage));
  (void)mtk_buf_puts(b, "\"connection\":{");
  jkey(b, "address", r->address[0] ? r->address : NULL);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "sni", r->sni[0] ? r->sni : NULL);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "error", r->error[0] ? r->error : NULL);
  (void)mtk_buf_printf(b, ",\"timed_out\":%s},", r->timed_out ? "true" : "false");
  (void)mtk_buf_printf(b, "\"tls\":{\"handshake\":%s,",
                       r->stage == PRB_STAGE_DONE ? "true" : "false");
  jkey(b, "version", r->version[0] ? r->version : NULL);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "cipher", r->cipher[0] ? r->cipher : NULL);
  (void)mtk_buf_putc(b, ',');
  jkey(b, "group", r->group[0] ? r->group : NULL);
  (void)mtk_buf_puts(b, ",\"alert\":");
  if (r->alert.present) {
    (void)mtk_buf_printf(b,
                         "{\"name\":\"%s\",\"code\":%d,\"from\":\"%s\",\"after_handshake\":%s,"
                         "\"after_client_certificate\":%s}",
                         r->alert.name, r->alert.code, r->alert.from_server ? "server" : "client",
                         r->alert.after_handshake ? "true" : "false",
                         r->alert.after_our_cert ? "true" : "false");
  } else {
    (void)mtk_buf_puts(b, "null");
  }
  (void)mtk_buf_puts(b, "},\"server\":{\"chain\":[");
  for (size_t i = 0; i < r->n_chain; i++) {
    if (i) (void)mtk_buf_putc(b, ',');
    json_cert(b, &r->chain[i], i, true);
  }
  (void)mtk_buf_printf(b, "],\"chain_more\":%zu,\"verification\":", r->chain_more);
  if (r->verify_ran) {
    (void)mtk_buf_puts(b, "{");
    jkey(b, "trust", o->ca_name);
    (void)mtk_buf_printf(b, ",\"valid\":%s,", r->verify_valid ? "true" : "false");
    jkey(b, "code", r->verify_code);
    (void)mtk_buf_puts(b, ",\"path\":[");
    for (size_t i = 0; i < r->n_verify_path; i++) {
      if (i) (void)mtk_buf_putc(b, ',');
      jstr(b, r->verify_path[i]);
    }
    (void)mtk_buf_puts(b, "],\"reasons\":[");
    for (size_t i = 0; i < r->n_verify_reasons; i++) {
      if (i) (void)mtk_buf_putc(b, ',');
      (void)mtk_buf_puts(b, "{");
      jkey(b, "code", r->verify_reasons[i].code);
      (void)mtk_buf_printf(b, ",\"depth\":%d,", r->verify_reasons[i].depth);
      jkey(b, "message", r->verify_reasons[i].msg);
      (void)mtk_buf_putc(b, '}');
    }
    (void)mtk_buf_puts(b, "]}");
  } else {
    (void)mtk_buf_puts(b, "null");
  }
  (void)mtk_buf_puts(b, ",\"identity\":");
  if (r->id_ran) {
    (void)mtk_buf_puts(b, "{\"references\":[");
    for (size_t i = 0; i < r->n_refs; i++) {
      if (i) (void)mtk_buf_putc(b, ',');
      (void)mtk_buf_puts(b, "{");
      jkey(b, "kind", r->refs[i].kind);
      (void)mtk_buf_putc(b, ',');
      jkey(b, "value", r->refs[i].value);
      (void)mtk_buf_putc(b, '}');
    }
    (void)mtk_buf_printf(b, "],\"matched\":%s,", r->id_matched ? "true" : "false");
    if (r->id_matched) {
      (void)mtk_buf_printf(b, "\"matched_reference\":%zu,", r->id_ref);
      jkey(b, "presented", r->id_match);
      (void)mtk_buf_puts(b, ",\"items\":[]");
    } else {
      (void)mtk_buf_puts(b, "\"matched_reference\":null,\"presented\":null,\"items\":[");
      for (size_t i = 0; i < r->n_ids; i++) {
        const prb_id_item *it = &r->ids[i];
        if (i) (void)mtk_buf_putc(b, ',');
        (void)mtk_buf_puts(b, "{");
        jkey(b, "type", it->type);
        (void)mtk_buf_putc(b, ',');
        jkey(b, "value", it->value);
        (void)mtk_buf_putc(b, ',');
        jkey(b, "verdict", it->verdict);
        (void)mtk_buf_putc(b, ',');
        jkey(b, "reason", it->reason_id);
        (void)mtk_buf_putc(b, ',');
        jkey(b, "reason_text", it->reason);
        (void)mtk_buf_putc(b, '}');
      }
      (void)mtk_buf_putc(b, ']');
    }
    (void)mtk_buf_printf(b, ",\"items_more\":%zu}", r->ids_more);
  } else {
    (void)mtk_buf_puts(b, "null");
  }
  (void)mtk_buf_printf(b, "},\"client\":{\"requested\":%s,\"ca_names\":[",
                       r->requested                     ? "true"
                       : r->stage == PRB_STAGE_DONE ? "false"
                                                        : "null");
  for (size_t i = 0; i < r->n_ca_names; i++) {
    if (i) (void)mtk_buf_putc(b, ',');
    jstr(b, r->ca_names[i]);
  }
  (void)mtk_buf_printf(b, "],\"ca_names_more\":%zu,\"certificate\":", r->ca_names_more);
  if (r->have_cert)
    json_cert(b, &r->mine, 0, false);
  else
    (void)mtk_buf_puts(b, "null");
  (void)mtk_buf_printf(b, ",\"issuer_listed\":%s,\"sent\":%s,\"accepted\":%s,\"refusal\":",
                       tri(r->mine_issuer_listed), r->sent ? "true" : "false", tri(r->accepted));
  if (r->cause != NULL) {
    (void)mtk_buf_printf(b, "{\"alert\":\"%s\",\"alert_code\":%d,\"cause\":\"%s\",", r->alert.name,
                         r->alert.code, r->cause);
    jkey(b, "explanation", r->cause_text);
    (void)mtk_buf_printf(b, ",\"ambiguous\":%s}", r->cause_ambiguous ? "true" : "false");
  } else {
    (void)mtk_buf_puts(b, "null");
  }
  (void)mtk_buf_puts(b, "},\"problems\":[");
  for (size_t i = 0; i < r->n_problems; i++) {
    const prb_problem *p = &r->problems[i];
    if (i) (void)mtk_buf_putc(b, ',');
    (void)mtk_buf_printf(b, "{\"severity\":\"%s\",\"id\":\"%s\",",
                         p->sev == PRB_ERROR ? "error" : "warning", p->id);
    jkey(b, "message", p->message);
    (void)mtk_buf_putc(b, ',');
    jkey(b, "hint", p->hint);
    (void)mtk_buf_putc(b, '}');
  }
  (void)mtk_buf_printf(b, "],\"errors\":%zu}\n", r->n_errors);
}

/* ---- text ------------------------------------------------------------------------------- */

static void text_cert(mtk_buf *b, const prb_cert *c, const char *ind) {
  if (!c->parsed) {
    (void)mtk_buf_printf(b, "%sNOT DECODED: %s\n%ssha256   %s\n", ind, c->parse_error, ind,
                         c->sha256);
    return;
  }
  (void)mtk_buf_printf(b, "%ssubject  %s\n%sissuer   %s\n", ind, c->subject, ind, c->issuer);
  (void)mtk_buf_printf(b, "%svalid    %s .. %s (%s)\n", ind, c->not_before, c->not_after,
                       c->validity);
  (void)mtk_buf_printf(b, "%skey      %s%s%s%s\n", ind, c->key, c->is_ca ? ", CA" : "",
                       c->has_eku ? "" : ", no EKU",
                       c->has_eku ? (c->eku_server && c->eku_client ? ", serverAuth+clientAuth"
                                     : c->eku_server                ? ", serverAuth"
                                     : c->eku_client                ? ", clientAuth"
                                                                    : ", EKU without TLS uses")
                                  : "");
  if (c->n_sans > 0) {
    (void)mtk_buf_printf(b, "%sSANs     ", ind);
    for (size_t i = 0; i < c->n_sans; i++)
      (void)mtk_buf_printf(b, "%s%s", i ? ", " : "", c->sans[i]);
    if (c->sans_more) (void)mtk_buf_printf(b, " (+%zu more)", c->sans_more);
    (void)mtk_buf_putc(b, '\n');
  } else if (!c->is_ca) {
    (void)mtk_buf_printf(b, "%sSANs     none\n", ind);
  }
  (void)mtk_buf_printf(b, "%slint     %zu error%s, %zu warning%s, %zu notice%s (mtlskit check)\n",
                       ind, c->lint_errors, c->lint_errors == 1 ? "" : "s", c->lint_warnings,
                       c->lint_warnings == 1 ? "" : "s", c->lint_notices,
                       c->lint_notices == 1 ? "" : "s");
}

static void render_text(mtk_buf *b, const prb_opts *o, const prb_result *r) {
  char at[40];
  mtk_time_format(o->now, at, sizeof at);
  (void)mtk_buf_printf(b, "mtlskit probe %s at %s\n\n", o->target, at);
  /* connection */
  if (r->stage == PRB_STAGE_RESOLVE || r->stage == PRB_STAGE_CONNECT) {
    (void)mtk_buf_printf(b, "connection   FAILED: %s\n", r->error);
  } else {
    (void)mtk_buf_printf(b, "connection   %s, SNI %s\n", r->address, r->sni[0] ? r->sni : "(none)");
    if (r->stage == PRB_STAGE_DONE)
      (void)mtk_buf_printf(b, "TLS          %s, %s, group %s\n", r->version, r->cipher,
                           r->group[0] ? r->group : "(none)");
    else
      (void)mtk_buf_printf(b, "TLS          handshake FAILED: %s\n", r->error);
    if (r->alert.present)
      (void)mtk_buf_printf(b, "alert        %s (%d) %s %s\n", r->alert.name, r->alert.code,
                           r->alert.from_server ? "from the server" : "sent by us",
                           r->alert.after_handshake ? "after the handshake"
                           : r->alert.after_our_cert ? "after our certificate"
                                                     : "during the handshake");
  }
  /* server */
  if (r->n_chain > 0) {
    (void)mtk_buf_printf(b, "\nserver chain, as sent (%zu certificate%s%s)\n", r->n_chain,
                         r->n_chain == 1 ? "" : "s", r->chain_more ? ", more not shown" : "");
    for (size_t i = 0; i < r->n_chain; i++) {
      (void)mtk_buf_printf(b, "  [%zu]\n", i);
      text_cert(b, &r->chain[i], "      ");
      if (r->chain[i].issuer_matches_next >= 0)
        (void)mtk_buf_printf(b, "      next     %s\n",
                             r->chain[i].issuer_matches_next
                                 ? "its issuer is the next certificate"
                                 : "its issuer is NOT the next certificate (out of order)");
    }
    if (r->verify_ran && r->verify_valid) {
      (void)mtk_buf_printf(b, "verification OK against %s (serverAuth): ", o->ca_name);
      for (size_t i = 0; i < r->n_verify_path; i++)
        (void)mtk_buf_printf(b, "%s%s", i ? " <- " : "", r->verify_path[i]);
      (void)mtk_buf_putc(b, '\n');
    } else if (r->verify_ran) {
      (void)mtk_buf_printf(b, "verification FAILED against %s (serverAuth): %s\n", o->ca_name,
                           r->verify_code);
      for (size_t i = 0; i < r->n_verify_reasons; i++)
        (void)mtk_buf_printf(b, "  - %s [%s]\n", r->verify_reasons[i].msg,
                             r->verify_reasons[i].code);
    }
    if (r->id_ran) {
      (void)mtk_buf_puts(b, "identity     ");
      for (size_t i = 0; i < r->n_refs; i++)
        (void)mtk_buf_printf(b, "%s%s:%s", i ? ", " : "", r->refs[i].kind, r->refs[i].value);
      if (r->id_matched) {
        (void)mtk_buf_printf(b, ": OK, matched by %s (RFC 9525)\n", r->id_match);
      } else {
        (void)mtk_buf_puts(b, ": NO MATCH (RFC 9525)\n");
        for (size_t i = 0; i < r->n_ids; i++)
          (void)mtk_buf_printf(b, "  - %s:%s: %s, %s\n", r->ids[i].type, r->ids[i].value,
                               r->ids[i].verdict, r->ids[i].reason);
        if (r->n_ids == 0) (void)mtk_buf_puts(b, "  - the certificate has no identifier\n");
        if (r->ids_more) (void)mtk_buf_printf(b, "  - ... and %zu more\n", r->ids_more);
      }
    }
  }
  /* client */
  if (r->stage != PRB_STAGE_RESOLVE && r->stage != PRB_STAGE_CONNECT) {
    (void)mtk_buf_puts(b, "\nclient certificate\n");
    if (!r->requested && r->stage != PRB_STAGE_DONE) {
      (void)mtk_buf_puts(b, "  request    not known: the handshake ended before the server "
                            "could ask\n");
    } else if (!r->requested) {
      (void)mtk_buf_puts(b, "  request    the server did not ask for one\n");
    } else if (r->n_ca_names == 0) {
      (void)mtk_buf_puts(b, "  request    the server asked for one, and named no CA\n");
    } else {
      (void)mtk_buf_printf(b, "  request    the server asked for one, from %zu CA name%s:\n",
                           r->n_ca_names + r->ca_names_more,
                           r->n_ca_names + r->ca_names_more == 1 ? "" : "s");
      for (size_t i = 0; i < r->n_ca_names; i++)
        (void)mtk_buf_printf(b, "               %s\n", r->ca_names[i]);
      if (r->ca_names_more)
        (void)mtk_buf_printf(b, "               (+%zu more)\n", r->ca_names_more);
    }
    if (r->have_cert) {
      (void)mtk_buf_printf(b, "  ours       %s\n", o->cert_name);
      text_cert(b, &r->mine, "             ");
      if (r->mine_issuer_listed >= 0)
        (void)mtk_buf_printf(b, "             %s\n",
                             r->mine_issuer_listed ? "its issuer is in the server's CA list"
                                                   : "its issuer is NOT in the server's CA list");
      (void)mtk_buf_printf(b, "  sent       %s\n", r->sent ? "yes" : "no");
      (void)mtk_buf_printf(b, "  accepted   %s\n",
                           r->accepted > 0    ? "yes"
                           : r->accepted == 0 ? "NO"
                                              : "unknown");
    } else {
      (void)mtk_buf_puts(b, "  ours       none given (--cert, --key)\n");
    }
    if (r->cause != NULL)
      (void)mtk_buf_printf(b, "  refused    alert %s: likely cause %s%s: %s\n", r->alert.name,
                           r->cause, r->cause_ambiguous ? " (a guess: the alert is generic)" : "",
                           r->cause_text);
  }
  /* verdict */
  if (r->n_problems > 0) {
    (void)mtk_buf_printf(b, "\nproblems (%zu)\n", r->n_problems);
    for (size_t i = 0; i < r->n_problems; i++) {
      const prb_problem *p = &r->problems[i];
      (void)mtk_buf_printf(b, "  %s [%s] %s\n", p->sev == PRB_ERROR ? "ERROR  " : "warning", p->id,
                           p->message);
      if (p->hint[0]) (void)mtk_buf_printf(b, "          fix: %s\n", p->hint);
    }
  }
  bool ok = r->n_errors == 0 && r->stage == PRB_STAGE_DONE;
  (void)mtk_buf_printf(b, "\nverdict: %s\n",
                       ok ? "OK: the handshake completed and every check passed"
                          : "FAILED: see the problems above");
}

/* ---- the command -------------------------------------------------------------------------- */

static bool parse_seconds(const char *v, unsigned *ms) {
  char *end;
  double s = strtod(v, &end);
  if (*v == '\0' || *end != '\0' || !(s > 0.0) || s > 3600.0) return false;
  *ms = (unsigned)(s * 1000.0);
  if (*ms == 0) *ms = 1;
  return true;
}

static int run_probe(const cli_args *a, prb_opts *o, uint8_t **bufs, prb_result *r) {
  const cli_cmd *cmd = &cli_cmd_probe;
  if (a->n_pos != 1) {
    cli_error("probe: give exactly one HOST:PORT (see 'mtlskit probe --help')");
    return MTK_EXIT_BAD_INPUT;
  }
  o->target = a->pos[0];
  o->min_tls = TLS1_2_VERSION;
  o->timeout_ms = 10000;
  const char *v;
  if ((v = cli_get(cmd, a, "min-tls")) != NULL) {
    if (strcmp(v, "1.2") == 0)
      o->min_tls = TLS1_2_VERSION;
    else if (strcmp(v, "1.3") == 0)
      o->min_tls = TLS1_3_VERSION;
    else {
      cli_error("--min-tls: '%s' is not 1.2 or 1.3 (1.0 and 1.1 are never offered)", v);
      return MTK_EXIT_BAD_INPUT;
    }
  }
  if ((v = cli_get(cmd, a, "timeout")) != NULL && !parse_seconds(v, &o->timeout_ms)) {
    cli_error("--timeout: '%s' is not a number of seconds from 0.001 to 3600", v);
    return MTK_EXIT_BAD_INPUT;
  }
  if ((v = cli_get(cmd, a, "settle")) != NULL && !parse_seconds(v, &o->settle_ms)) {
    cli_error("--settle: '%s' is not a number of seconds from 0.001 to 3600", v);
    return MTK_EXIT_BAD_INPUT;
  }
  o->servername = cli_get(cmd, a, "servername");
  if (o->servername != NULL &&
      (o->servername[0] == '\0' || strlen(o->servername) > 253 ||
       strspn(o->servername, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") !=
           strlen(o->servername))) {
    cli_error("--servername: '%s' is not a DNS host name", o->servername);
    return MTK_EXIT_BAD_INPUT;
  }
  for (size_t i = 0; i < a->n_values; i++) {
    const char *opt = cmd->opts[a->value_opt[i]].name;
    const char *kind = strcmp(opt, "name") == 0  ? "dns"
                       : strcmp(opt, "uri") == 0 ? "uri"
                       : strcmp(opt, "ip") == 0  ? "ip"
                                                 : NULL;
    if (kind == NULL) continue;
    if (o->n_refs >= PRB_MAX_REFS) {
      cli_error("probe: at most %d --name/--uri/--ip", PRB_MAX_REFS);
      return MTK_EXIT_BAD_INPUT;
    }
    o->refs[o->n_refs++] = (prb_ref){kind, a->values[i]};
  }
  const char *cert = cli_get(cmd, a, "cert"), *key = cli_get(cmd, a, "key");
  if ((cert == NULL) != (key == NULL)) {
    cli_error("probe: --cert and --key go together");
    return MTK_EXIT_BAD_INPUT;
  }
  const char *ca = cli_get(cmd, a, "ca");
  o->ca_given = ca != NULL;
  o->ca_name = ca != NULL ? ca : PRB_SYSTEM_CA;
  if (!cli_read_file(o->ca_name, &bufs[0], &o->ca_len)) {
    if (ca == NULL) cli_error("no system trust store: give the server's CA with --ca FILE");
    return MTK_EXIT_BAD_INPUT;
  }
  o->ca = bufs[0];
  if (cert != NULL) {
    if (!cli_read_file(cert, &bufs[1], &o->cert_len)) return MTK_EXIT_BAD_INPUT;
    if (!cli_read_file(key, &bufs[2], &o->key_len)) return MTK_EXIT_BAD_INPUT;
    o->cert = bufs[1];
    o->key = bufs[2];
    o->cert_name = cert;
    o->key_name = key;
  }
  /* a server that resets the connection must not kill us with SIGPIPE */
  signal(SIGPIPE, SIG_IGN);
  o->now = (mtk_time)time(NULL); /* read once, passed down */
  char err[640];
  if (!prb_run(o, r, err, sizeof err)) {
    cli_error("probe: %s", err);
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_buf b;
  mtk_buf_init(&b, MTK_MAX_RENDER);
  if (cli_has(cmd, a, "json"))
    render_json(&b, o, r);
  else
    render_text(&b, o, r);
  if (mtk_buf_status(&b) != MTK_OK) {
    mtk_buf_free(&b);
    cli_error("probe: output larger than the limit");
    return MTK_EXIT_BAD_INPUT;
  }
  fwrite(b.p, 1, b.len, stdout);
  mtk_buf_free(&b);
  return r->n_errors == 0 && r->stage == PRB_STAGE_DONE ? MTK_EXIT_OK : MTK_EXIT_FINDING;
}

int cmd_probe(int argc, char **argv) {
  cli_args a;
  bool help;
  int rc = cli_parse(&cli_cmd_probe, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  uint8_t *bufs[3] = {NULL, NULL, NULL};
  prb_opts o;
  memset(&o, 0, sizeof o);
  prb_result *r = malloc(sizeof *r);
  if (r == NULL) {
    cli_error("out of memory");
    rc = MTK_EXIT_BAD_INPUT;
  } else {
    rc = run_probe(&a, &o, bufs, r);
  }
  fflush(stdout);
  for (size_t i = 0; i < 3; i++) free(bufs[i]);
  free(r);
  free(a.pos);
  return rc;
}

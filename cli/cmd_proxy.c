/* cmd_proxy.c: `mtlskit proxy server|client`: the mTLS proxy
 * (proxy/proxy.h; docs/proxy.md). This file only turns options into a
 * pxy_server_cfg or a pxy_client_cfg. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "cli.h"
#include "client.h"
#include "proxy.h"

static const cli_opt server_opts[] = {
    {"listen", 'l', "ADDR", "where clients connect: HOST:PORT or unix:/path (required)"},
    {"target", 't', "ADDR", "the plaintext backend: HOST:PORT or unix:/path (required)"},
    {"cert", 0, "FILE", "server certificate chain, PEM (required)"},
    {"key", 0, "FILE", "its private key, PEM (required)"},
    {"ca", 0, "FILE", "trust anchors for client certificates, PEM (required)"},
    {"crl", 0, "FILE", "CRLs (PEM or DER); repeatable; turns revocation checking on"},
    {"allow-uri", 0, "P", "allow a URI SAN: exact, or a SPIFFE ID pattern; repeatable"},
    {"allow-dns", 0, "P", "allow a dNSName SAN (*.example.com: one label); repeatable"},
    {"allow-ip", 0, "P", "allow an iPAddress SAN, address or CIDR block; repeatable"},
    {"allow-email", 0, "E", "allow an rfc822Name SAN; repeatable"},
    {"allow-cn", 0, "N", "allow a subject CN (legacy); repeatable"},
    {"allow-ou", 0, "N", "allow a subject OU (legacy); repeatable"},
    {"allow-any-verified", 0, NULL, "allow every client whose certificate verifies"},
    {"min-tls", 0, "V", "1.2 (default) or 1.3"},
    {"workers", 0, "N", "event loops (threads); default: the number of cores"},
    {"max-conns", 0, "N", "at most N connections in all (default 10000; 0: no limit)"},
    {"handshake-timeout", 0, "S", "seconds for the TLS handshake and backend connect (default 10)"},
    {"idle-timeout", 0, "S", "seconds without data either way before closing (default 300)"},
    {"drain-timeout", 0, "S", "seconds to finish connections after SIGTERM (default 30)"},
    {"status", 0, "ADDR", "HTTP /healthz and /metrics on ADDR ([HOST:]PORT; default host 127.0.0.1)"},
    {"proxy-protocol", 0, NULL, "send a PROXY v2 header with the client's address and identity first"},
    {"session-tickets", 0, "S", "let clients resume for S seconds (1..604800; default: no tickets)"},
    {"test-config", 0, NULL, "build everything, print \"config OK\" and exit"},
    {0, 0, 0, 0},
};

static int run_server(int argc, char **argv);

static const cli_cmd cmd_server = {
    "proxy server",
    "--listen ADDR --target ADDR --cert FILE --key FILE --ca FILE [--crl FILE]...\n"
    "       (--allow-uri P|--allow-dns P|--allow-ip P|--allow-email E|--allow-cn N|--allow-ou N)...\n"
    "       [--allow-any-verified] [--min-tls 1.2|1.3] [--workers N] [--max-conns N]\n"
    "       [--handshake-timeout S] [--idle-timeout S] [--drain-timeout S]\n"
    "       [--status ADDR] [--proxy-protocol] [--session-tickets S] [--test-config]",
    "Terminate mutual TLS in front of a plaintext service.",
    "Accepts TLS 1.3 and 1.2 connections on --listen, requires a client\n"
    "certificate that chains to --ca (X509_STRICT, CRLs with --crl) and has\n"
    "clientAuth in its extendedKeyUsage, lets it in when an --allow-... rule\n"
    "matches (several rules: any), then forwards the bytes to --target.\n"
    "Without any rule the proxy refuses to start (--allow-any-verified exists\n"
    "for those who mean it). One JSON line per connection goes to stderr.\n"
    "SIGTERM or SIGINT: stop accepting, finish connections within\n"
    "--drain-timeout, exit 0. SIGHUP, or a change of the --cert, --key, --ca\n"
    "or --crl files: reload them (a broken file keeps the running config).\n"
    "\n"
    "--session-tickets S sends one TLS session ticket per full handshake. A\n"
    "ticket resumes only under the configuration it was made in (a reload\n"
    "voids them all), within S seconds of the full handshake, and only if\n"
    "the client certificate inside it is still within its validity and\n"
    "passes the clientAuth and access rule checks again; otherwise the\n"
    "handshake is a full one. Without it (the default) no ticket is sent.\n"
    "docs/proxy.md has the design and the log format.",
    server_opts,
    "  0  drained after SIGTERM/SIGINT, or --test-config: the configuration is good\n"
    "  1  could not serve (listen failed, ...)\n"
    "  2  bad usage or configuration (the message says why)\n",
    run_server,
};

/* ---- client mode ---------------------------------------------------------- */
static const cli_opt client_opts[] = {
    {"listen", 'l', "ADDR", "plaintext side: loopback HOST:PORT or unix:/path (required)"},
    {"target", 't', "HOST:PORT", "the mTLS server (required); default server identity: HOST"},
    {"cert", 0, "FILE", "client certificate chain, PEM (required)"},
    {"key", 0, "FILE", "its private key, PEM (required)"},
    {"ca", 0, "FILE", "trust anchors for the server's certificate, PEM (required)"},
    {"crl", 0, "FILE", "CRLs for the server's chain (PEM or DER); repeatable; revocation on"},
    {"server-name", 0, "N", "expected server DNS name (DNS-ID, also sent as SNI); repeatable"},
    {"server-uri", 0, "U", "expected server URI-ID (scheme and host); repeatable"},
    {"server-ip", 0, "A", "expected server IP address (IP-ID); repeatable"},
    {"unsafe-listen", 0, NULL, "allow a --listen address that is not loopback"},
    {"session-resumption", 0, NULL, "resume upstream TLS sessions this worker verified (5 min)"},
    {"min-tls", 0, "V", "1.2 (default) or 1.3"},
    {"workers", 0, "N", "event loops (threads); default: the number of cores"},
    {"max-conns", 0, "N", "at most N connections in all (default 10000; 0: no limit)"},
    {"handshake-timeout", 0, "S", "seconds for the upstream connect and TLS handshake (default 10)"},
    {"idle-timeout", 0, "S", "seconds without data either way before closing (default 300)"},
    {"drain-timeout", 0, "S", "seconds to finish connections after SIGTERM (default 30)"},
    {"status", 0, "ADDR", "HTTP /healthz and /metrics on ADDR ([HOST:]PORT; default host 127.0.0.1)"},
    {"test-config", 0, NULL, "build everything, print \"config OK\" and exit"},
    {0, 0, 0, 0},
};

static int run_client(int argc, char **argv);

static const cli_cmd cmd_client = {
    "proxy client",
    "--listen ADDR --target HOST:PORT --cert FILE --key FILE --ca FILE [--crl FILE]...\n"
    "       [--server-name N | --server-uri U | --server-ip A]... [--unsafe-listen]\n"
    "       [--min-tls 1.2|1.3] [--workers N] [--max-conns N] [--handshake-timeout S]\n"
    "       [--idle-timeout S] [--drain-timeout S] [--status ADDR] [--session-resumption]\n"
    "       [--test-config]",
    "Let plaintext clients reach a mutual-TLS service.",
    "Accepts plaintext connections on --listen (loopback or unix: only, unless\n"
    "--unsafe-listen), opens TLS 1.3/1.2 to --target with --cert/--key, and\n"
    "forwards the bytes once the server is verified: its chain to --ca\n"
    "(X509_STRICT), serverAuth in its extendedKeyUsage, and its identity by\n"
    "RFC 9525 (SAN only, never the subject CN) against --server-name,\n"
    "--server-uri, --server-ip (any one match suffices) or, without them, the\n"
    "--target host (an IP literal is matched as an IP address); with --crl, no\n"
    "certificate of its chain may be revoked (each needs a current CRL). SNI is\n"
    "the first DNS name. One JSON line per connection goes to stderr (identity:\n"
    "the server identity that matched).\n\n"
    "--session-resumption lets a worker resume a TLS session (a ticket) it got\n"
    "from the server on a connection whose server it verified, under the same\n"
    "configuration (a reload drops it), each ticket once, within 5 minutes; a\n"
    "resumed connection logs \"detail\":\"session resumed\". Off by default:\n"
    "every connection then verifies the server afresh.\n\n"
    "--status serves GET /healthz (200 ok, 503 draining) and GET /metrics\n"
    "(Prometheus; names start with mtlskit_client_: connections, upstream\n"
    "handshakes by result, refusals by reason, bytes, reloads, handshake latency).\n\n"
    "SIGHUP, or a change of the --cert/--key/--ca/--crl files (polled every\n"
    "second), reloads them: the new TLS context is built and checked first and\n"
    "used for new connections only; a broken file keeps the old one and the\n"
    "\"reload\" log line says why; live connections keep the context they\n"
    "started with. SIGTERM or SIGINT: /healthz turns 503, stop accepting, finish\n"
    "connections within --drain-timeout, exit 0. docs/proxy.md has the details.",
    client_opts,
    "  0  drained after SIGTERM/SIGINT, or --test-config: the configuration is good\n"
    "  1  could not serve (listen failed, ...)\n"
    "  2  bad usage or configuration (the message says why)\n",
    run_client,
};

const cli_cmd cli_cmd_proxy = {
    "proxy",
    "server|client [OPTIONS]",
    "Run the mutual-TLS proxy (server or client mode).",
    "mtlskit proxy server: see 'mtlskit proxy server --help'.\n"
    "mtlskit proxy client: see 'mtlskit proxy client --help'.",
    server_opts,
    "  0  success\n  1  runtime failure\n  2  bad usage or configuration\n",
    cmd_proxy,
};

/* Seconds (integer or decimal) to milliseconds; false if malformed. */
static bool parse_secs(const char *name, const char *v, unsigned dflt, unsigned *ms) {
  if (v == NULL) {
    *ms = dflt * 1000u;
    return true;
  }
  char *end;
  double d = strtod(v, &end);
  if (end == v || *end != '\0' || !(d > 0.0) || d > 86400.0 * 30) {
    cli_error("--%s: '%s' is not a number of seconds", name, v);
    return false;
  }
  *ms = (unsigned)(d * 1000.0);
  if (*ms == 0) *ms = 1;
  return true;
}

static bool parse_uint(const char *name, const char *v, unsigned dflt, unsigned max,
                       unsigned *out) {
  if (v == NULL) {
    *out = dflt;
    return true;
  }
  char *end;
  unsigned long n = strtoul(v, &end, 10);
  if (end == v || *end != '\0' || v[0] == '-' || n > max) {
    cli_error("--%s: '%s' is not a number from 0 to %u", name, v, max);
    return false;
  }
  *out = (unsigned)n;
  return true;
}

static const struct {
  const char *opt, *prefix;
} k_rules[] = {
    {"allow-uri", "uri:"}, {"allow-dns", "dns:"}, {"allow-ip", "ip:"},
    {"allow-email", "email:"}, {"allow-cn", "cn:"}, {"allow-ou", "ou:"},
};

static int run_server(int argc, char **argv) {
  const cli_cmd *cmd = &cmd_server;
  cli_args a;
  memset(&a, 0, sizeof a);
  bool help = false;
  int rc = cli_parse(cmd, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  pxy_server_cfg cfg;
  memset(&cfg, 0, sizeof cfg);
  const char *crls[CLI_MAX_VALUES];
  const char *rules[CLI_MAX_VALUES];
  char *rule_mem[CLI_MAX_VALUES];
  size_t n_mem = 0;
  pxy_server_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  const char *v = NULL;
  char err[512];
  rc = MTK_EXIT_BAD_INPUT;
  if (a.n_pos != 0) {
    cli_error("proxy server: unexpected argument '%s'", a.pos[0]);
    goto out;
  }
  cfg.listen = cli_get(cmd, &a, "listen");
  cfg.target = cli_get(cmd, &a, "target");
  cfg.cert = cli_get(cmd, &a, "cert");
  cfg.key = cli_get(cmd, &a, "key");
  cfg.ca = cli_get(cmd, &a, "ca");
  {
    const char *missing = !cfg.listen ? "--listen" : !cfg.target ? "--target"
                          : !cfg.cert ? "--cert" : !cfg.key ? "--key" : !cfg.ca ? "--ca" : NULL;
    if (missing != NULL) {
      cli_error("proxy server: %s is required", missing);
      goto out;
    }
  }
  cfg.crls = crls;
  cfg.rules = rules;
  for (size_t i = 0; i < a.n_values; i++) {
    const char *name = cmd->opts[a.value_opt[i]].name;
    if (strcmp(name, "crl") == 0) crls[cfg.n_crls++] = a.values[i];
    for (size_t k = 0; k < sizeof k_rules / sizeof k_rules[0]; k++) {
      if (strcmp(name, k_rules[k].opt) != 0) continue;
      size_t len = strlen(k_rules[k].prefix) + strlen(a.values[i]) + 1;
      char *r = malloc(len);
      if (r == NULL) {
        cli_error("out of memory");
        goto out;
      }
      snprintf(r, len, "%s%s", k_rules[k].prefix, a.values[i]);
      rule_mem[n_mem++] = r;
      rules[cfg.n_rules++] = r;
    }
  }
  cfg.allow_any_verified = cli_has(cmd, &a, "allow-any-verified");
  cfg.status = cli_get(cmd, &a, "status");
  cfg.proxy_protocol = cli_has(cmd, &a, "proxy-protocol");
  v = cli_get(cmd, &a, "session-tickets");
  if (v != NULL && !parse_uint("session-tickets", v, 0, 604800, &cfg.session_lifetime_s)) goto out;
  if (v != NULL && cfg.session_lifetime_s == 0) {
    cli_error("--session-tickets: the lifetime must be 1 to 604800 seconds (7 days)");
    goto out;
  }
  v = cli_get(cmd, &a, "min-tls");
  if (v == NULL || strcmp(v, "1.2") == 0) {
    cfg.min_tls = TLS1_2_VERSION;
  } else if (strcmp(v, "1.3") == 0) {
    cfg.min_tls = TLS1_3_VERSION;
  } else {
    cli_error("--min-tls: '%s' is not 1.2 or 1.3 (1.0 and 1.1 are never offered)", v);
    goto out;
  }
  if (!parse_uint("workers", cli_get(cmd, &a, "workers"), 0, 256, &cfg.workers) ||
      !parse_uint("max-conns", cli_get(cmd, &a, "max-conns"), 10000, 10000000, &cfg.max_conns) ||
      !parse_secs("handshake-timeout", cli_get(cmd, &a, "handshake-timeout"), 10,
                  &cfg.handshake_timeout_ms) ||
      !parse_secs("idle-timeout", cli_get(cmd, &a, "idle-timeout"), 300, &cfg.idle_timeout_ms) ||
      !parse_secs("drain-timeout", cli_get(cmd, &a, "drain-timeout"), 30, &cfg.drain_timeout_ms))
    goto out;
  if (!pxy_server_ctx_build(&cfg, &ctx, err, sizeof err)) {
    cli_error("proxy server: %s", err);
    goto out;
  }
  if (cli_has(cmd, &a, "test-config")) {
    printf("config OK\n");
    rc = MTK_EXIT_OK;
    goto out;
  }
  rc = pxy_server_run(&ctx);
out:
  pxy_server_ctx_free(&ctx);
  for (size_t i = 0; i < n_mem; i++) free(rule_mem[i]);
  free(a.pos);
  return rc;
}

static int run_client(int argc, char **argv) {
  const cli_cmd *cmd = &cmd_client;
  cli_args a;
  memset(&a, 0, sizeof a);
  bool help = false;
  int rc = cli_parse(cmd, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  pxy_client_cfg cfg;
  memset(&cfg, 0, sizeof cfg);
  pxy_client_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  const char *crls[CLI_MAX_VALUES];
  const char *v = NULL;
  const char *missing = NULL;
  char err[768];
  rc = MTK_EXIT_BAD_INPUT;
  if (a.n_pos != 0) {
    cli_error("proxy client: unexpected argument '%s'", a.pos[0]);
    goto out;
  }
  cfg.listen = cli_get(cmd, &a, "listen");
  cfg.target = cli_get(cmd, &a, "target");
  cfg.cert = cli_get(cmd, &a, "cert");
  cfg.key = cli_get(cmd, &a, "key");
  cfg.ca = cli_get(cmd, &a, "ca");
  missing = !cfg.listen ? "--listen" : !cfg.target ? "--target" : !cfg.cert ? "--cert"
            : !cfg.key ? "--key" : !cfg.ca ? "--ca" : NULL;
  if (missing != NULL) {
    cli_error("proxy client: %s is required", missing);
    goto out;
  }
  cfg.crls = crls;
  cfg.status = cli_get(cmd, &a, "status");
  for (size_t i = 0; i < a.n_values; i++) {
    const char *name = cmd->opts[a.value_opt[i]].name;
    if (strcmp(name, "crl") == 0) crls[cfg.n_crls++] = a.values[i];
    const char *kind = strcmp(name, "server-name") == 0  ? "dns"
                       : strcmp(name, "server-uri") == 0 ? "uri"
                       : strcmp(name, "server-ip") == 0  ? "ip"
                                                         : NULL;
    if (kind == NULL) continue;
    if (cfg.n_refs == PXY_CLIENT_MAX_REFS) {
      cli_error("proxy client: at most %d server identities", PXY_CLIENT_MAX_REFS);
      goto out;
    }
    cfg.refs[cfg.n_refs].kind = kind;
    cfg.refs[cfg.n_refs].value = a.values[i];
    cfg.n_refs++;
  }
  cfg.unsafe_listen = cli_has(cmd, &a, "unsafe-listen");
  cfg.resume = cli_has(cmd, &a, "session-resumption");
  v = cli_get(cmd, &a, "min-tls");
  if (v == NULL || strcmp(v, "1.2") == 0) {
    cfg.min_tls = TLS1_2_VERSION;
  } else if (strcmp(v, "1.3") == 0) {
    cfg.min_tls = TLS1_3_VERSION;
  } else {
    cli_error("--min-tls: '%s' is not 1.2 or 1.3 (1.0 and 1.1 are never offered)", v);
    goto out;
  }
  if (!parse_uint("workers", cli_get(cmd, &a, "workers"), 0, 256, &cfg.workers) ||
      !parse_uint("max-conns", cli_get(cmd, &a, "max-conns"), 10000, 10000000, &cfg.max_conns) ||
      !parse_secs("handshake-timeout", cli_get(cmd, &a, "handshake-timeout"), 10,
                  &cfg.handshake_timeout_ms) ||
      !parse_secs("idle-timeout", cli_get(cmd, &a, "idle-timeout"), 300, &cfg.idle_timeout_ms) ||
      !parse_secs("drain-timeout", cli_get(cmd, &a, "drain-timeout"), 30, &cfg.drain_timeout_ms))
    goto out;
  if (!pxy_client_ctx_build(&cfg, &ctx, err, sizeof err)) {
    cli_error("proxy client: %s", err);
    goto out;
  }
  if (cli_has(cmd, &a, "test-config")) {
    printf("config OK\n");
    rc = MTK_EXIT_OK;
    goto out;
  }
  rc = pxy_client_run(&ctx);
out:
  pxy_client_ctx_free(&ctx);
  free(a.pos);
  return rc;
}

int cmd_proxy(int argc, char **argv) {
  if (argc < 1) {
    cli_print_help(&cmd_server, stderr);
    return MTK_EXIT_BAD_INPUT;
  }
  if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
      strcmp(argv[0], "help") == 0) {
    cli_print_help(&cmd_server, stdout);
    printf("\nClient mode (plaintext in, mTLS out): mtlskit proxy client --help\n");
    return MTK_EXIT_OK;
  }
  if (strcmp(argv[0], "server") == 0) return run_server(argc - 1, argv + 1);
  if (strcmp(argv[0], "client") == 0) return run_client(argc - 1, argv + 1);
  cli_error("proxy: unknown mode '%s' (server or client)", argv[0]);
  return MTK_EXIT_BAD_INPUT;
}

/* cmd_web.c: `mtlskit web`: the local certificate / CSR decoder page.
 *
 * Thin: options, web_start (web/server.h), one line saying where it is,
 * then wait for SIGINT or SIGTERM (blocked before the server thread starts,
 * so only this thread takes them) and stop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

static const cli_opt web_opts[] = {
    {"listen", 'l', "ADDR", "IP:PORT, [IPv6]:PORT or localhost:PORT (default 127.0.0.1:8080; port 0: any)"},
    {"unsafe-listen", 0, NULL, "allow a non-loopback --listen address (anyone reaching it can use it)"},
    {"allow-host", 0, "NAME", "also answer to Host/Origin NAME, e.g. a proxy's name (repeatable)"},
    {"max-body", 0, "SIZE", "largest request body: bytes, or with K or M (default 1M, at most 64M)"},
    {"max-conns", 0, "N", "concurrent connections (default 32)"},
    {"timeout", 0, "SECS", "idle connection timeout in seconds (default 15)"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_web = {
    "web",
    "[--listen ADDR] [--unsafe-listen] [--allow-host NAME]... [--max-body SIZE]\n"
    "       [--max-conns N] [--timeout SECS]",
    "Serve the certificate and CSR decoder page on this machine (loopback).",
    "Serves one page, shipped inside the binary, that decodes what is pasted or\n"
    "dropped on it (PEM or DER: certificates, bundles, CSRs, PKCS#7) without\n"
    "sending it anywhere else: every field and extension, the checks of\n"
    "`mtlskit check` grouped by severity, the chain order, a CSR's signature,\n"
    "and the RFC 9525 verdict for a host name, IP address or URI. The same JSON\n"
    "as the CLI is available to programs:\n"
    "  POST /api/decode   body PEM or DER -> `mtlskit decode --json` document\n"
    "  POST /api/check    body PEM or DER -> `mtlskit check --json` document\n"
    "                     (?profile=server|client|ca|csr, ?private_pki=1)\n"
    "  POST /api/match?dns=NAME (or ip=, uri=, srv=; repeatable; rfc6125=1)\n"
    "                     body the certificate -> `mtlskit match --json`\n"
    "  (all three: ?at=TIME judges dates as of TIME, ?compact=1)\n"
    "Bad input is answered 422 with the library's error (element path and byte\n"
    "offset) in the document; an oversized body 413, an unknown path 404, a\n"
    "wrong method 405, a foreign Host header 421 (DNS rebinding), a cross-site\n"
    "POST 403. Nothing received is stored or logged; request and response\n"
    "buffers are wiped. Every response carries a strict Content-Security-Policy\n"
    "(no inline script, no third-party assets) and nosniff, no-referrer,\n"
    "no-store, same-origin COOP/CORP. It can sit behind `mtlskit proxy server`\n"
    "for mTLS (add --allow-host for the name clients use). On start it prints\n"
    "\"mtlskit web: serving http://ADDR:PORT/\"; SIGINT or SIGTERM stop it.\n"
    "See docs/web.md.",
    web_opts,
    "  0  stopped by SIGINT or SIGTERM\n"
    "  1  could not listen (address in use, no permission)\n"
    "  2  bad usage (bad option, bad or non-loopback address without --unsafe-listen)\n",
    cmd_web,
};

/* parse_size: "1048576", "512K", "1M" (1024-based). */
static bool parse_size(const char *v, size_t max, size_t *out) {
  size_t n = 0, i = 0;
  for (; v[i] >= '0' && v[i] <= '9'; i++) {
    if (n > max) return false;
    n = n * 10u + (size_t)(v[i] - '0');
  }
  if (i == 0) return false;
  size_t mul = 1;
  if (v[i] == 'K' || v[i] == 'k')
    mul = 1024;
  else if (v[i] == 'M' || v[i] == 'm')
    mul = 1024 * 1024;
  if (mul > 1) i++;
  if (v[i] != '\0' || n == 0 || n > max / mul) return false;
  *out = n * mul;
  return true;
}

static bool parse_count(const char *name, const char *v, unsigned max, unsigned *out) {
  if (v == NULL) return true;
  size_t n;
  if (!parse_size(v, max, &n) || strspn(v, "0123456789") != strlen(v)) {
    cli_error("--%s: '%s' is not a number from 1 to %u", name, v, max);
    return false;
  }
  *out = (unsigned)n;
  return true;
}

/* web_options fills |cfg| from the arguments; false after a message. */
static bool web_options(const cli_cmd *cmd, const cli_args *a, web_config *cfg) {
  if (a->n_pos != 0) {
    cli_error("web: unexpected argument '%s'", a->pos[0]);
    return false;
  }
  const char *listen = cli_get(cmd, a, "listen");
  if (listen != NULL) cfg->listen = listen;
  cfg->unsafe_listen = cli_has(cmd, a, "unsafe-listen");
  const char *mb = cli_get(cmd, a, "max-body");
  if (mb != NULL && !parse_size(mb, WEB_MAX_MAX_BODY, &cfg->max_body)) {
    cli_error("--max-body: '%s' is not a size from 1 byte to 64M (e.g. 1048576, 512K, 2M)", mb);
    return false;
  }
  if (!parse_count("max-conns", cli_get(cmd, a, "max-conns"), 1024, &cfg->max_conns) ||
      !parse_count("timeout", cli_get(cmd, a, "timeout"), 3600, &cfg->timeout_s))
    return false;
  for (size_t i = 0; i < a->n_values; i++) {
    if (strcmp(cmd->opts[a->value_opt[i]].name, "allow-host") != 0) continue;
    const char *h = a->values[i];
    if (cfg->n_allow_hosts == WEB_MAX_ALLOW_HOSTS) {
      cli_error("--allow-host: at most %d names", WEB_MAX_ALLOW_HOSTS);
      return false;
    }
    if (h[0] == '\0' || strlen(h) > 253 || strpbrk(h, ":/[] \t") != NULL) {
      cli_error("--allow-host: '%s' is not a host name (no port, no brackets)", h);
      return false;
    }
    cfg->allow_hosts[cfg->n_allow_hosts++] = h;
  }
  return true;
}

/* serve runs the server until SIGINT or SIGTERM; returns the exit code. */
static int serve(const web_config *cfg) {
  /* Block the stop signals in every thread; this one waits for them. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  char err[512];
  web_server *s = web_start(cfg, err, sizeof err);
  if (s == NULL) {
    cli_error("web: %s", err);
    return strstr(err, "cannot listen") != NULL ? MTK_EXIT_FINDING : MTK_EXIT_BAD_INPUT;
  }
  const char *colon = strrchr(cfg->listen, ':');
  printf("mtlskit web: serving http://%.*s:%u/ (Ctrl-C to stop)\n",
         (int)(colon - cfg->listen), cfg->listen, (unsigned)web_port(s));
  if (!web_listen_is_loopback(cfg->listen))
    printf("mtlskit web: warning: listening on a non-loopback address (--unsafe-listen)\n");
  fflush(stdout);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  web_stop(s);
  printf("mtlskit web: stopped (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  return MTK_EXIT_OK;
}

int cmd_web(int argc, char **argv) {
  const cli_cmd *cmd = &cli_cmd_web;
  cli_args a;
  bool help = false;
  int rc = cli_parse(cmd, argc, argv, &a, &help);
  if (rc >= 0) {
    free(a.pos);
    return rc;
  }
  web_config cfg;
  web_config_init(&cfg);
  rc = web_options(cmd, &a, &cfg) ? serve(&cfg) : MTK_EXIT_BAD_INPUT;
  free(a.pos);
  return rc;
}

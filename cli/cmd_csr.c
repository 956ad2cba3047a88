/* cmd_csr.c: `mtlskit csr`, a PKCS#10 certification request for an
 * existing or a new key, with the names in a subjectAltName request
 * (pki.h mtk_pki_make_csr; files written as pki_files.h says). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mtlskit/keys.h"
#include "mtlskit/pki.h"
#include "pki_files.h"

static const cli_opt csr_opts[] = {
    {"key", 'k', "FILE", "request a certificate for this private key"},
    {"new-key", 0, NULL, "make a new key (see --key-type, --key-out; written 0600)"},
    {"key-type", 't', "T", "with --new-key: ec-p256 (default), ec-p384, rsa-2048/3072/4096, ed25519"},
    {"key-out", 0, "FILE", "where --new-key writes the key (default: OUT less .csr/.pem, -key.pem)"},
    {"dns", 0, "NAME", "a DNS name (repeatable)"},
    {"ip", 0, "ADDR", "an IPv4 or IPv6 address (repeatable)"},
    {"uri", 0, "URI", "a URI, e.g. a SPIFFE ID spiffe://trust-domain/path (repeatable)"},
    {"email", 0, "ADDR", "an e-mail address (repeatable)"},
    {"subject", 0, "DN", "the subject: \"CN=api.example,O=Example\" (RFC 4514) or /O=.../CN=..."},
    {"server", 's', NULL, "also request keyUsage and extendedKeyUsage serverAuth"},
    {"client", 'c', NULL, "also request keyUsage and extendedKeyUsage clientAuth"},
    {"out", 'o', "FILE", "write the CSR here (default: standard output; needed with --new-key)"},
    {"force", 'f', NULL, "overwrite existing files"},
    {0, 0, 0, 0},
};

const cli_cmd cli_cmd_csr = {
    "csr",
    "(--key FILE | --new-key [--key-type T]) [--dns NAME]... [--ip ADDR]... [--uri URI]... "
    "[--email ADDR]... [--subject DN] [--server] [--client] [--out FILE]",
    "Write a PKCS#10 certificate request (CSR) for a key.",
    "The request carries the names as a subjectAltName in its extensionRequest\n"
    "attribute (and, with --server or --client, the keyUsage and\n"
    "extendedKeyUsage to ask for), and is signed by the key, proving possession.\n"
    "Without --subject the CN is the first DNS name (or IP address); a CN given\n"
    "in --subject must be one of the --dns or --ip names. The request passes\n"
    "`mtlskit check` with no error and no warning (Ed25519: with --private-pki),\n"
    "and `mtlskit pki sign` accepts it. A new key is never written over an\n"
    "existing file without --force.",
    csr_opts,
    "  0  the request was written\n  1  the request failed its self-check (a bug: please report)\n"
    "  2  bad usage, key or name, or a file exists (never overwritten without --force)\n",
    cmd_csr,
};

/* The default --key-out for the CSR path |out|: "web.csr" -> "web-key.pem". */
static char *default_key_out(const char *out) {
  size_t n = strlen(out);
  char *base = malloc(n + 1);
  if (base == NULL) return NULL;
  memcpy(base, out, n + 1);
  if (n > 4 && (strcmp(out + n - 4, ".csr") == 0 || strcmp(out + n - 4, ".pem") == 0))
    base[n - 4] = '\0';
  char *k = pf_concat(base, "-key.pem");
  free(base);
  return k;
}

typedef struct csr_run {
  cli_args a;
  mtk_pki_key *key;
  mtk_buf der, pem;
  mtk_findings *f;
  char *key_out;
} csr_run;

static int csr_body(csr_run *r) {
  const cli_cmd *cmd = &cli_cmd_csr;
  const cli_args *a = &r->a;
  const char *dns[CLI_MAX_VALUES], *ip[CLI_MAX_VALUES], *uri[CLI_MAX_VALUES], *email[CLI_MAX_VALUES];
  if (a->n_pos != 0) {
    cli_error("csr: unexpected argument '%s' (names go in --dns, --ip, --uri, --email)", a->pos[0]);
    return MTK_EXIT_BAD_INPUT;
  }
  const char *key_file = cli_get(cmd, a, "key"), *out = cli_get(cmd, a, "out");
  bool new_key = cli_has(cmd, a, "new-key"), force = cli_has(cmd, a, "force");
  if ((key_file != NULL) == new_key) {
    cli_error("csr: give either --key FILE or --new-key");
    return MTK_EXIT_BAD_INPUT;
  }
  if (!new_key && (cli_has(cmd, a, "key-type") || cli_has(cmd, a, "key-out"))) {
    cli_error("csr: --key-type and --key-out go with --new-key");
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_pki_key_type kt = MTK_PKI_KEY_EC_P256;
  const char *kts = cli_get(cmd, a, "key-type");
  if (kts != NULL && !mtk_pki_key_type_parse(kts, &kt)) {
    cli_error("--key-type: '%s' is not one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, "
              "ed25519",
              kts);
    return MTK_EXIT_BAD_INPUT;
  }
  if (new_key) {
    if (out == NULL || strcmp(out, "-") == 0) {
      cli_error("csr: --new-key needs --out FILE (the key is written next to it)");
      return MTK_EXIT_BAD_INPUT;
    }
    const char *ko = cli_get(cmd, a, "key-out");
    r->key_out = ko != NULL ? pf_concat(ko, "") : default_key_out(out);
    if (r->key_out == NULL) return MTK_EXIT_BAD_INPUT;
    if (strcmp(r->key_out, out) == 0) {
      cli_error("csr: --key-out and --out name the same file");
      return MTK_EXIT_BAD_INPUT;
    }
  }
  if (out != NULL && strcmp(out, "-") == 0) out = NULL;
  const char *const files[] = {out, r->key_out};
  if (!force && pf_refuse_existing(files, 2, "use --force to replace it")) return MTK_EXIT_BAD_INPUT;

  mtk_pki_csr_opts o;
  memset(&o, 0, sizeof(o));
  o.subject = cli_get(cmd, a, "subject");
  o.usage = (cli_has(cmd, a, "server") ? MTK_PKI_SERVER : 0u) |
            (cli_has(cmd, a, "client") ? MTK_PKI_CLIENT : 0u);
  o.names.dns = dns;
  o.names.n_dns = pf_values(cmd, a, "dns", dns, CLI_MAX_VALUES);
  o.names.ip = ip;
  o.names.n_ip = pf_values(cmd, a, "ip", ip, CLI_MAX_VALUES);
  o.names.uri = uri;
  o.names.n_uri = pf_values(cmd, a, "uri", uri, CLI_MAX_VALUES);
  o.names.email = email;
  o.names.n_email = pf_values(cmd, a, "email", email, CLI_MAX_VALUES);
  o.findings = r->f;
  o.now = (mtk_time)time(NULL);

  mtk_status s;
  if (key_file != NULL) {
    r->key = pf_read_key(key_file);
    if (r->key == NULL) return MTK_EXIT_BAD_INPUT;
  } else if ((s = mtk_pki_key_generate(kt, &r->key)) != MTK_OK) {
    pf_print_err("csr: key generation", s, NULL);
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  s = mtk_pki_make_csr(r->key, &o, &r->der, &err);
  if (s != MTK_OK) {
    pf_print_err("csr", s, &err);
    return s == MTK_ERR_PKI_SELF_CHECK ? MTK_EXIT_FINDING : MTK_EXIT_BAD_INPUT;
  }
  if (mtk_pki_pem("CERTIFICATE REQUEST", r->der.p, r->der.len, &r->pem) != MTK_OK) {
    cli_error("out of memory");
    return MTK_EXIT_BAD_INPUT;
  }
  if (r->key_out != NULL) {
    mtk_buf kb;
    mtk_buf_init(&kb, MTK_KEY_FILE_MAX);
    bool ok = mtk_pki_key_pem(r->key, &kb) == MTK_OK &&
              pf_write(r->key_out, kb.p, kb.len, true, force) == MTK_OK;
    mtk_pki_buf_wipe(&kb);
    if (!ok) return MTK_EXIT_BAD_INPUT;
  }
  if (out == NULL) {
    fwrite(r->pem.p, 1, r->pem.len, stdout);
    return MTK_EXIT_OK;
  }
  if (pf_write(out, r->pem.p, r->pem.len, false, force) != MTK_OK) return MTK_EXIT_BAD_INPUT;
  printf("wrote %s (%s key, %zu name%s requested%s)\n", out,
         new_key ? mtk_pki_key_type_name(kt) : "existing",
         o.names.n_dns + o.names.n_ip + o.names.n_uri + o.names.n_email,
         o.names.n_dns + o.names.n_ip + o.names.n_uri + o.names.n_email == 1 ? "" : "s",
         o.usage == 0 ? "" : o.usage == MTK_PKI_SERVER ? ", for a server"
                         : o.usage == MTK_PKI_CLIENT   ? ", for a client"
                                                       : ", for a server and client");
  if (r->key_out != NULL) printf("wrote %s (private key, 0600)\n", r->key_out);
  printf("self-check: %zu errors, %zu warnings, %zu notices (as `mtlskit check --private-pki`)\n",
         r->f->n_error, r->f->n_warning, r->f->n_notice);
  return MTK_EXIT_OK;
}

int cmd_csr(int argc, char **argv) {
  csr_run r;
  memset(&r, 0, sizeof(r));
  mtk_buf_init(&r.der, MTK_MAX_INPUT);
  mtk_buf_init(&r.pem, MTK_MAX_INPUT);
  bool help;
  int rc = cli_parse(&cli_cmd_csr, argc, argv, &r.a, &help);
  if (rc < 0) {
    r.f = calloc(1, sizeof(*r.f));
    rc = r.f != NULL ? csr_body(&r) : MTK_EXIT_BAD_INPUT;
  }
  mtk_pki_key_free(r.key);
  mtk_buf_free(&r.der);
  mtk_buf_free(&r.pem);
  free(r.f);
  free(r.key_out);
  free(r.a.pos);
  return rc;
}

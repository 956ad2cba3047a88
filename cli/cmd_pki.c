/* cmd_pki.c: `mtlskit pki init|issue|sign`, a development CA for mutual
 * TLS (docs/pki.md). The library (pki.h) makes the keys, certificates and
 * checks; this front lays out the directory and writes the files
 * (pki_files.h: atomic, 0600 keys, never a silent overwrite). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "mtlskit/keys.h"
#include "mtlskit/pem.h"
#include "mtlskit/pki.h"
#include "mtlskit/x509.h"
#include "pki_files.h"

#define KEY_TYPES "ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519"

/* ---- the tables --------------------------------------------------------------------- */

static const cli_opt pki_opts[] = {{0, 0, 0, 0}};

static const cli_opt init_opts[] = {
    {"key-type", 't', "T", KEY_TYPES},
    {"name", 'n', "CN", "the root CA's common name (default: mtlskit development CA + key id)"},
    {"org", 0, "O", "organizationName of the CA certificates"},
    {"days", 'd', "N", "validity of the CA certificates in days (default 3650)"},
    {"intermediate", 'i', NULL, "also make an issuing intermediate CA; leaves chain through it"},
    {"force", 'f', NULL, "replace an existing CA in DIR (what it issued stops verifying)"},
    {0, 0, 0, 0},
};

static const cli_opt issue_opts[] = {
    {"server", 's', NULL, "a TLS server certificate (extendedKeyUsage serverAuth)"},
    {"client", 'c', NULL, "a TLS client certificate (clientAuth); both flags: both usages"},
    {"dns", 0, "NAME", "a DNS name (repeatable; a wildcard as *.example.com)"},
    {"ip", 0, "ADDR", "an IPv4 or IPv6 address (repeatable)"},
    {"uri", 0, "URI", "a URI, e.g. a SPIFFE ID spiffe://trust-domain/path (repeatable)"},
    {"email", 0, "ADDR", "an e-mail address (repeatable)"},
    {"days", 'd', "N", "validity in days (default 90; servers at most 398)"},
    {"key-type", 't', "T", KEY_TYPES},
    {"key", 'k', "FILE", "certify this existing private key instead of making one"},
    {"out", 'o', "PREFIX", "write PREFIX.pem and PREFIX-key.pem instead of DIR/issued/NAME"},
    {"crl-url", 0, "URL", "add cRLDistributionPoints with this http:// URL"},
    {"ocsp-url", 0, "URL", "add authorityInfoAccess OCSP with this http:// URL"},
    {"force", 'f', NULL, "overwrite existing files"},
    {0, 0, 0, 0},
};

static const cli_opt sign_opts[] = {
    {"server", 's', NULL, "issue for a TLS server (default: what the CSR requests)"},
    {"client", 'c', NULL, "issue for a TLS client (default: what the CSR requests)"},
    {"days", 'd', "N", "validity in days (default 90; servers at most 398)"},
    {"name", 'n', "NAME", "file name under DIR/issued (default: from the CN or first SAN)"},
    {"out", 'o', "PREFIX", "write PREFIX.pem instead of DIR/issued/NAME.pem"},
    {"crl-url", 0, "URL", "add cRLDistributionPoints with this http:// URL"},
    {"ocsp-url", 0, "URL", "add authorityInfoAccess OCSP with this http:// URL"},
    {"force", 'f', NULL, "overwrite an existing certificate file"},
    {0, 0, 0, 0},
};

static int run_pki(int argc, char **argv);
static int run_init(int argc, char **argv);
static int run_issue(int argc, char **argv);
static int run_sign(int argc, char **argv);

const cli_cmd cli_cmd_pki = {
    "pki",
    "init|issue|sign DIR ...",
    "A development CA for mutual TLS: make a root, issue server and client certificates.",
    "Subcommands (each has --help):\n"
    "  pki init DIR           make a root CA (and with --intermediate an issuing CA)\n"
    "  pki issue DIR [NAME]   make a key and a server and/or client certificate\n"
    "  pki sign DIR CSRFILE   check a CSR against the policy and issue its certificate\n"
    "\n"
    "Layout of DIR: ca.pem (the root: give it to every peer as the trust anchor),\n"
    "ca-key.pem (0600), intermediate.pem and intermediate-key.pem (with\n"
    "--intermediate), issued/NAME.pem (certificate, then the intermediate if any)\n"
    "and issued/NAME-key.pem (0600), index.txt (OpenSSL's CA database format).\n"
    "Everything issued passes `mtlskit check --private-pki` with no error and no\n"
    "warning (docs/pki.md lists the notices that remain, and why).",
    pki_opts,
    "  0  done\n  1  refused by the policy (pki sign: the CSR), or a failed self-check\n"
    "  2  bad usage or input, or a file exists (never overwritten without --force)\n",
    run_pki,
};

static const cli_cmd cmd_init = {
    "pki init",
    "DIR [--key-type T] [--name CN] [--org O] [--days N] [--intermediate] [--force]",
    "Make a root CA in DIR (created 0700 if missing).",
    "The root's key is ECDSA P-256 unless --key-type says otherwise; the CA\n"
    "certificate has basicConstraints cA (critical, pathLenConstraint 0, or 1\n"
    "with --intermediate), keyUsage keyCertSign and cRLSign (critical) and a\n"
    "subjectKeyIdentifier, and is valid 10 years. With --intermediate a second,\n"
    "issuing CA is made under the root and every leaf chains through it, so the\n"
    "root key can go offline: the usual shape of an mTLS PKI. Existing CA files\n"
    "are never replaced without --force.",
    init_opts,
    "  0  the CA was made\n  2  bad usage, or a CA file exists (the message names it)\n",
    run_init,
};

static const cli_cmd cmd_issue = {
    "pki issue",
    "DIR [NAME] (--server|--client) [--dns NAME]... [--ip ADDR]... [--uri URI]... "
    "[--email ADDR]... [OPTIONS]",
    "Make a private key and a leaf certificate issued by the CA in DIR.",
    "--server gives extendedKeyUsage serverAuth and needs a --dns or --ip name;\n"
    "--client gives clientAuth (identify clients by --uri spiffe://..., --dns or\n"
    "--email); both flags give both, for peers that accept and make connections.\n"
    "Note: from 2027-03-15 publicly-trusted server certificates may no longer\n"
    "carry clientAuth (Chrome Root Program), so client identities for mTLS come\n"
    "from a private CA like this one.\n"
    "\n"
    "The certificate: keyUsage digitalSignature (plus keyEncipherment for an RSA\n"
    "server key), basicConstraints cA FALSE (critical), subjectKeyIdentifier,\n"
    "authorityKeyIdentifier, subjectAltName, a random 16-octet serial, valid\n"
    "from 5 minutes ago (clock skew) for 90 days. The CN repeats the first DNS\n"
    "name (or IP, SPIFFE ID, e-mail). NAME defaults to the CN. Files:\n"
    "DIR/issued/NAME.pem (certificate, then the intermediate if any: what a peer\n"
    "sends) and DIR/issued/NAME-key.pem (0600).",
    issue_opts,
    "  0  issued\n  1  the certificate failed its self-check (a bug: please report)\n"
    "  2  bad usage or name, no CA in DIR, or a file exists (never overwritten)\n",
    run_issue,
};

static const cli_cmd cmd_sign = {
    "pki sign",
    "DIR CSRFILE [--server] [--client] [--days N] [--name NAME] [--out PREFIX] [--force]",
    "Check a PKCS#10 request against the policy and issue its certificate.",
    "The CSR must parse strictly, its signature must verify (proof of possession),\n"
    "its key must be RSA >= 2048, EC P-256/384/521 or Ed25519, it must not request\n"
    "a CA, `mtlskit check` must find no error in it, its subjectAltName may hold\n"
    "only DNS names, IP addresses, URIs (one SPIFFE ID at most) and e-mail\n"
    "addresses, and a CN must repeat one of them. Only the key, the subject and\n"
    "the subjectAltName are taken from the CSR; every other requested extension\n"
    "is ignored, and the certificate gets the extensions `pki issue` gives.\n"
    "Without --server/--client the usage is the serverAuth/clientAuth the CSR\n"
    "requests. The certificate is written to DIR/issued/NAME.pem.",
    sign_opts,
    "  0  issued\n  1  the CSR was refused by the policy (the message says why)\n"
    "  2  bad usage, unreadable or malformed CSR, no CA in DIR, or a file exists\n",
    run_sign,
};

static const cli_cmd *const k_subcommands[] = {&cmd_init, &cmd_issue, &cmd_sign};

int cmd_pki(int argc, char **argv) { return run_pki(argc, argv); }

static int run_pki(int argc, char **argv) {
  if (argc < 1) {
    cli_print_help(&cli_cmd_pki, stderr);
    return MTK_EXIT_BAD_INPUT;
  }
  if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ||
      strcmp(argv[0], "help") == 0) {
    cli_print_help(&cli_cmd_pki, stdout);
    return MTK_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof(k_subcommands) / sizeof(k_subcommands[0]); i++)
    if (strcmp(k_subcommands[i]->name + 4, argv[0]) == 0)
      return k_subcommands[i]->run(argc - 1, argv + 1);
  cli_error("pki: unknown subcommand '%s' (init, issue or sign)", argv[0]);
  return MTK_EXIT_BAD_INPUT;
}

/* ---- the directory ------------------------------------------------------------------- */

typedef struct pki_paths {
  const char *dir;
  char *ca, *ca_key, *inter, *inter_key, *issued;
} pki_paths;

static void paths_free(pki_paths *p) {
  free(p->ca);
  free(p->ca_key);
  free(p->inter);
  free(p->inter_key);
  free(p->issued);
  memset(p, 0, sizeof(*p));
}

static bool paths_init(pki_paths *p, const char *dir) {
  memset(p, 0, sizeof(*p));
  p->dir = dir;
  p->ca = pf_join(dir, "ca.pem");
  p->ca_key = pf_join(dir, "ca-key.pem");
  p->inter = pf_join(dir, "intermediate.pem");
  p->inter_key = pf_join(dir, "intermediate-key.pem");
  p->issued = pf_join(dir, "issued");
  return p->ca && p->ca_key && p->inter && p->inter_key && p->issued;
}

/* Parses argv for |cmd|; returns -1 to go on, else the exit code. */
static int parse(const cli_cmd *cmd, int argc, char **argv, cli_args *a, size_t min_pos,
                 size_t max_pos) {
  bool help;
  int rc = cli_parse(cmd, argc, argv, a, &help);
  if (rc >= 0) return rc;
  if (a->n_pos < min_pos || a->n_pos > max_pos) {
    cli_error("%s: expected %s", cmd->name, cmd->synopsis);
    return MTK_EXIT_BAD_INPUT;
  }
  return -1;
}

static bool key_type_opt(const cli_cmd *cmd, const cli_args *a, mtk_pki_key_type *t) {
  const char *v = cli_get(cmd, a, "key-type");
  *t = MTK_PKI_KEY_EC_P256;
  if (v != NULL && !mtk_pki_key_type_parse(v, t)) {
    cli_error("--key-type: '%s' is not one of " KEY_TYPES, v);
    return false;
  }
  return true;
}

/* Appends the PEM of |der| to |out|; false (printed) if it does not fit. */
static bool add_pem(mtk_buf *out, const char *label, const uint8_t *der, size_t len) {
  if (mtk_pki_pem(label, der, len, out) == MTK_OK) return true;
  cli_error("out of memory");
  return false;
}

/* Writes |key| PEM to |path| (0600); false on failure (printed). */
static bool write_key(const char *path, const mtk_pki_key *key, bool force) {
  mtk_buf b;
  mtk_buf_init(&b, MTK_KEY_FILE_MAX);
  bool ok = mtk_pki_key_pem(key, &b) == MTK_OK;
  if (!ok) cli_error("%s: cannot encode the key", path);
  ok = ok && pf_write(path, b.p, b.len, true, force) == MTK_OK;
  mtk_pki_buf_wipe(&b);
  return ok;
}

/* ---- pki init ------------------------------------------------------------------------ */

typedef struct init_run {
  const cli_cmd *cmd;
  cli_args a;
  pki_paths p;
  mtk_pki_key *root_key, *inter_key;
  mtk_pki_ca *root;
  mtk_buf root_der, inter_der, pem;
} init_run;

static int init_body(init_run *r) {
  const cli_cmd *cmd = r->cmd;
  mtk_pki_key_type kt;
  uint32_t days;
  bool inter = cli_has(cmd, &r->a, "intermediate"), force = cli_has(cmd, &r->a, "force");
  if (!key_type_opt(cmd, &r->a, &kt) ||
      !pf_days(cli_get(cmd, &r->a, "days"), MTK_PKI_CA_DAYS_MAX, &days))
    return MTK_EXIT_BAD_INPUT;
  if (!paths_init(&r->p, r->a.pos[0])) return MTK_EXIT_BAD_INPUT;
  if (!pf_mkdir(r->p.dir, 0700)) return MTK_EXIT_BAD_INPUT;
  const char *const files[] = {r->p.ca, r->p.ca_key, r->p.inter, r->p.inter_key};
  if (!force &&
      pf_refuse_existing(files, 4, "use --force to replace the CA; what it issued stops verifying"))
    return MTK_EXIT_BAD_INPUT;

  mtk_time now = (mtk_time)time(NULL);
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  mtk_status s = mtk_pki_key_generate(kt, &r->root_key);
  if (s != MTK_OK) {
    pf_print_err("pki init: key generation", s, NULL);
    return MTK_EXIT_BAD_INPUT;
  }
  mtk_pki_ca_opts o;
  memset(&o, 0, sizeof(o));
  o.now = now;
  o.common_name = cli_get(cmd, &r->a, "name");
  o.organization = cli_get(cmd, &r->a, "org");
  o.days = days;
  o.path_len = inter ? 1 : 0;
  s = mtk_pki_make_root(r->root_key, &o, &r->root_der, &err);
  if (s != MTK_OK) {
    pf_print_err("pki init", s, &err);
    return pf_status_exit(s);
  }
  if (inter) {
    s = mtk_pki_ca_new(r->root_der.p, r->root_der.len, r->root_key, &r->root, &err);
    if (s == MTK_OK) s = mtk_pki_key_generate(kt, &r->inter_key);
    if (s == MTK_OK) {
      mtk_pki_ca_opts io = o;
      char cn[80];
      if (o.common_name != NULL) {
        snprintf(cn, sizeof(cn), "%s Intermediate", o.common_name);
        io.common_name = cn;
      }
      io.path_len = 0;
      io.days = 0; /* ends with the root */
      s = mtk_pki_make_intermediate(r->root, r->inter_key, &io, &r->inter_der, &err);
    }
    if (s != MTK_OK) {
      pf_print_err("pki init: intermediate", s, &err);
      return pf_status_exit(s);
    }
  }

  if (!write_key(r->p.ca_key, r->root_key, force)) return MTK_EXIT_BAD_INPUT;
  if (!add_pem(&r->pem, "CERTIFICATE", r->root_der.p, r->root_der.len) ||
      pf_write(r->p.ca, r->pem.p, r->pem.len, false, force) != MTK_OK)
    return MTK_EXIT_BAD_INPUT;
  if (inter) {
    mtk_buf_reset(&r->pem);
    if (!write_key(r->p.inter_key, r->inter_key, force) ||
        !add_pem(&r->pem, "CERTIFICATE", r->inter_der.p, r->inter_der.len) ||
        pf_write(r->p.inter, r->pem.p, r->pem.len, false, force) != MTK_OK)
      return MTK_EXIT_BAD_INPUT;
  } else {
    /* --force without --intermediate: an old issuing CA must not stay in use. */
    for (size_t i = 2; i < 4; i++)
      if (pf_exists(files[i]) && remove(files[i]) == 0) printf("removed %s\n", files[i]);
  }
  if (!pf_mkdir(r->p.issued, 0700)) return MTK_EXIT_BAD_INPUT;

  pf_print_cert("root CA", r->root_der.p, r->root_der.len, NULL);
  printf("  files      %s (the trust anchor: give it to every peer)\n", r->p.ca);
  printf("             %s (private key, 0600)\n", r->p.ca_key);
  if (inter) {
    pf_print_cert("intermediate CA", r->inter_der.p, r->inter_der.len, NULL);
    printf("  files      %s (sent by every peer after its own certificate)\n", r->p.inter);
    printf("             %s (private key, 0600; it signs every leaf)\n", r->p.inter_key);
  }
  printf("next: mtlskit pki issue %s --server --dns localhost --ip 127.0.0.1\n", r->p.dir);
  return MTK_EXIT_OK;
}

static int run_init(int argc, char **argv) {
  init_run r;
  memset(&r, 0, sizeof(r));
  r.cmd = &cmd_init;
  mtk_buf_init(&r.root_der, MTK_MAX_INPUT);
  mtk_buf_init(&r.inter_der, MTK_MAX_INPUT);
  mtk_buf_init(&r.pem, MTK_MAX_INPUT);
  int rc = parse(r.cmd, argc, argv, &r.a, 1, 1);
  if (rc < 0) rc = init_body(&r);
  mtk_pki_ca_free(r.root);
  mtk_pki_key_free(r.root_key);
  mtk_pki_key_free(r.inter_key);
  mtk_buf_free(&r.root_der);
  mtk_buf_free(&r.inter_der);
  mtk_buf_free(&r.pem);
  paths_free(&r.p);
  free(r.a.pos);
  return rc;
}

/* ---- the issuing CA ------------------------------------------------------------------- */

typedef struct issuer {
  mtk_pki_ca *ca;
  uint8_t *inter_der;   /* the intermediate's DER when it issues, else NULL */
  size_t inter_len;
} issuer;

static void issuer_free(issuer *is) {
  mtk_pki_ca_free(is->ca);
  free(is->inter_der);
  memset(is, 0, sizeof(*is));
}

/* There is a CA in the directory (checked before taking its lock). */
static bool have_ca(const pki_paths *p) {
  if (pf_exists(p->ca)) return true;
  cli_error("%s: no CA here; make one with `mtlskit pki init %s`", p->dir, p->dir);
  return false;
}

/* Loads the CA that issues leaves: the intermediate if DIR has one, else
 * the root. */
static bool issuer_load(const pki_paths *p, issuer *is) {
  memset(is, 0, sizeof(*is));
  bool inter = pf_exists(p->inter);
  const char *cert = inter ? p->inter : p->ca, *key = inter ? p->inter_key : p->ca_key;
  if (!pf_exists(cert)) {
    cli_error("%s: no CA here; make one with `mtlskit pki init %s`", p->dir, p->dir);
    return false;
  }
  uint8_t *der = NULL;
  size_t len = 0;
  if (!pf_read_der(cert, MTK_OBJ_CERT, &der, &len)) return false;
  mtk_pki_key *k = pf_read_key(key);
  if (k == NULL) {
    free(der);
    return false;
  }
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  mtk_status s = mtk_pki_ca_new(der, len, k, &is->ca, &err);
  mtk_pki_key_free(k);
  if (s != MTK_OK) {
    pf_print_err(cert, s, &err);
    free(der);
    return false;
  }
  if (inter) {
    is->inter_der = der;
    is->inter_len = len;
  } else {
    free(der);
  }
  return true;
}

/* Writes the certificate (and the intermediate after it) to |path|, adds it
 * to the index, prints the summary. */
static bool write_chain(const pki_paths *p, const issuer *is, const mtk_buf *der, const char *path,
                        bool force) {
  mtk_buf pem;
  mtk_buf_init(&pem, MTK_MAX_INPUT);
  bool ok = add_pem(&pem, "CERTIFICATE", der->p, der->len) &&
            (is->inter_der == NULL || add_pem(&pem, "CERTIFICATE", is->inter_der, is->inter_len));
  ok = ok && pf_write(path, pem.p, pem.len, false, force) == MTK_OK;
  mtk_buf_free(&pem);
  return ok && pf_index_append(p->dir, der->p, der->len);
}

/* The output paths: PREFIX.pem / PREFIX-key.pem, or DIR/issued/NAME.pem and
 * DIR/issued/NAME-key.pem, NAME given or taken from the certificate. */
static bool out_paths(const pki_paths *p, const char *prefix, const char *name,
                      const mtk_buf *der, char **cert, char **key) {
  char def[80];
  *cert = *key = NULL;
  if (prefix == NULL) {
    if (name == NULL) {
      mtk_cert *c = malloc(sizeof(*c));
      mtk_diag d;
      mtk_diag_init(&d);
      if (c == NULL || mtk_cert_parse(c, der->p, der->len, &d) != MTK_OK)
        snprintf(def, sizeof(def), "cert");
      else
        pf_default_name(c, def, sizeof(def));
      free(c);
      name = def;
    }
    if (!pf_mkdir(p->issued, 0700)) return false;
    char *base = pf_join(p->issued, name);
    if (base == NULL) return false;
    *cert = pf_concat(base, ".pem");
    *key = pf_concat(base, "-key.pem");
    free(base);
  } else {
    *cert = pf_concat(prefix, ".pem");
    *key = pf_concat(prefix, "-key.pem");
  }
  return *cert != NULL && *key != NULL;
}

/* ---- pki issue ----------------------------------------------------------------------- */

typedef struct issue_run {
  const cli_cmd *cmd;
  cli_args a;
  pki_paths p;
  issuer is;
  mtk_pki_key *key;
  mtk_buf der;
  mtk_findings *f;
  char *cert_path, *key_path;
  int lock;
} issue_run;

static unsigned usage_opts(const cli_cmd *cmd, const cli_args *a) {
  return (cli_has(cmd, a, "server") ? MTK_PKI_SERVER : 0u) |
         (cli_has(cmd, a, "client") ? MTK_PKI_CLIENT : 0u);
}

static int issue_body(issue_run *r) {
  const cli_cmd *cmd = r->cmd;
  const char *dns[CLI_MAX_VALUES], *ip[CLI_MAX_VALUES], *uri[CLI_MAX_VALUES], *email[CLI_MAX_VALUES];
  mtk_pki_leaf_opts o;
  memset(&o, 0, sizeof(o));
  o.usage = usage_opts(cmd, &r->a);
  if (o.usage == 0) {
    cli_error("pki issue: say what the certificate is for: --server, --client, or both");
    return MTK_EXIT_BAD_INPUT;
  }
  o.names.dns = dns;
  o.names.n_dns = pf_values(cmd, &r->a, "dns", dns, CLI_MAX_VALUES);
  o.names.ip = ip;
  o.names.n_ip = pf_values(cmd, &r->a, "ip", ip, CLI_MAX_VALUES);
  o.names.uri = uri;
  o.names.n_uri = pf_values(cmd, &r->a, "uri", uri, CLI_MAX_VALUES);
  o.names.email = email;
  o.names.n_email = pf_values(cmd, &r->a, "email", email, CLI_MAX_VALUES);
  o.crl_url = cli_get(cmd, &r->a, "crl-url");
  o.ocsp_url = cli_get(cmd, &r->a, "ocsp-url");
  o.findings = r->f;
  bool force = cli_has(cmd, &r->a, "force");
  const char *key_file = cli_get(cmd, &r->a, "key"), *prefix = cli_get(cmd, &r->a, "out");
  const char *name = r->a.n_pos > 1 ? r->a.pos[1] : NULL;
  mtk_pki_key_type kt;
  uint32_t max = (o.usage & MTK_PKI_SERVER) ? MTK_PKI_SERVER_DAYS_MAX : MTK_PKI_CLIENT_DAYS_MAX;
  if (!key_type_opt(cmd, &r->a, &kt) || !pf_days(cli_get(cmd, &r->a, "days"), max, &o.days))
    return MTK_EXIT_BAD_INPUT;
  if (key_file != NULL && cli_has(cmd, &r->a, "key-type")) {
    cli_error("pki issue: --key and --key-type exclude each other");
    return MTK_EXIT_BAD_INPUT;
  }
  if (name != NULL && (prefix != NULL || !pf_check_name(name))) {
    if (prefix != NULL) cli_error("pki issue: give NAME or --out, not both");
    return MTK_EXIT_BAD_INPUT;
  }
  if (!paths_init(&r->p, r->a.pos[0]) || !have_ca(&r->p)) return MTK_EXIT_BAD_INPUT;
  if ((r->lock = pf_lock(r->p.dir)) < 0 || !issuer_load(&r->p, &r->is)) return MTK_EXIT_BAD_INPUT;

  mtk_status s;
  if (key_file != NULL) {
    r->key = pf_read_key(key_file);
    if (r->key == NULL) return MTK_EXIT_BAD_INPUT;
  } else if ((s = mtk_pki_key_generate(kt, &r->key)) != MTK_OK) {
    pf_print_err("pki issue: key generation", s, NULL);
    return MTK_EXIT_BAD_INPUT;
  }
  o.now = (mtk_time)time(NULL);
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  s = mtk_pki_issue(r->is.ca, r->key, &o, &r->der, &err);
  if (s != MTK_OK) {
    pf_print_err("pki issue", s, &err);
    return pf_status_exit(s);
  }
  if (!out_paths(&r->p, prefix, name, &r->der, &r->cert_path, &r->key_path))
    return MTK_EXIT_BAD_INPUT;
  const char *const files[] = {r->cert_path, key_file == NULL ? r->key_path : NULL};
  if (!force && pf_refuse_existing(files, 2, "use another NAME, or --force to replace it"))
    return MTK_EXIT_BAD_INPUT;
  if (key_file == NULL && !write_key(r->key_path, r->key, force)) return MTK_EXIT_BAD_INPUT;
  if (!write_chain(&r->p, &r->is, &r->der, r->cert_path, force)) return MTK_EXIT_BAD_INPUT;

  const char *what = o.usage == (MTK_PKI_SERVER | MTK_PKI_CLIENT) ? "server and client certificate"
                     : o.usage == MTK_PKI_SERVER                   ? "server certificate"
                                                                   : "client certificate";
  pf_print_cert(what, r->der.p, r->der.len, r->f);
  printf("  files      %s (certificate%s)\n", r->cert_path,
         r->is.inter_der != NULL ? ", then the intermediate" : "");
  if (key_file == NULL) printf("             %s (private key, 0600)\n", r->key_path);
  return MTK_EXIT_OK;
}

static int run_issue(int argc, char **argv) {
  issue_run r;
  memset(&r, 0, sizeof(r));
  r.cmd = &cmd_issue;
  r.lock = -1;
  mtk_buf_init(&r.der, MTK_MAX_INPUT);
  int rc = parse(r.cmd, argc, argv, &r.a, 1, 2);
  if (rc < 0) {
    r.f = calloc(1, sizeof(*r.f));
    rc = r.f != NULL ? issue_body(&r) : MTK_EXIT_BAD_INPUT;
  }
  pf_unlock(r.lock);
  issuer_free(&r.is);
  mtk_pki_key_free(r.key);
  mtk_buf_free(&r.der);
  free(r.f);
  free(r.cert_path);
  free(r.key_path);
  paths_free(&r.p);
  free(r.a.pos);
  return rc;
}

/* ---- pki sign ------------------------------------------------------------------------- */

typedef struct sign_run {
  const cli_cmd *cmd;
  cli_args a;
  pki_paths p;
  issuer is;
  uint8_t *csr;
  size_t csr_len;
  mtk_buf der;
  mtk_findings *f, *csr_f;
  char *cert_path, *key_path;
  int lock;
} sign_run;

static int sign_body(sign_run *r) {
  const cli_cmd *cmd = r->cmd;
  mtk_pki_sign_opts o;
  memset(&o, 0, sizeof(o));
  o.usage = usage_opts(cmd, &r->a);
  o.crl_url = cli_get(cmd, &r->a, "crl-url");
  o.ocsp_url = cli_get(cmd, &r->a, "ocsp-url");
  o.findings = r->f;
  o.csr_findings = r->csr_f;
  bool force = cli_has(cmd, &r->a, "force");
  const char *prefix = cli_get(cmd, &r->a, "out"), *name = cli_get(cmd, &r->a, "name");
  if (!pf_days(cli_get(cmd, &r->a, "days"), MTK_PKI_CLIENT_DAYS_MAX, &o.days))
    return MTK_EXIT_BAD_INPUT;
  if (name != NULL && (prefix != NULL || !pf_check_name(name))) {
    if (prefix != NULL) cli_error("pki sign: give --name or --out, not both");
    return MTK_EXIT_BAD_INPUT;
  }
  if (!paths_init(&r->p, r->a.pos[0]) || !have_ca(&r->p)) return MTK_EXIT_BAD_INPUT;
  const char *csr_path = r->a.pos[1];
  if (!pf_read_der(csr_path, MTK_OBJ_CSR, &r->csr, &r->csr_len)) return MTK_EXIT_BAD_INPUT;
  if ((r->lock = pf_lock(r->p.dir)) < 0 || !issuer_load(&r->p, &r->is)) return MTK_EXIT_BAD_INPUT;

  o.now = (mtk_time)time(NULL);
  mtk_pki_err err;
  memset(&err, 0, sizeof(err));
  mtk_status s = mtk_pki_sign_csr(r->is.ca, r->csr, r->csr_len, &o, &r->der, &err);
  if (s != MTK_OK) {
    char ctx[600];
    snprintf(ctx, sizeof(ctx), "pki sign: %s: refused", csr_path);
    bool parse_error = s < MTK_ERR_KEY_PARSE; /* DER, PEM and X.509 structure errors */
    if (parse_error) snprintf(ctx, sizeof(ctx), "pki sign: %s", csr_path);
    pf_print_err(ctx, s, &err);
    if (parse_error) return MTK_EXIT_BAD_INPUT;
    return s == MTK_ERR_PKI_NAME ? MTK_EXIT_FINDING : pf_status_exit(s);
  }
  if (!out_paths(&r->p, prefix, name, &r->der, &r->cert_path, &r->key_path))
    return MTK_EXIT_BAD_INPUT;
  const char *const files[] = {r->cert_path};
  if (!force && pf_refuse_existing(files, 1, "use --name, or --force to replace it"))
    return MTK_EXIT_BAD_INPUT;
  if (!write_chain(&r->p, &r->is, &r->der, r->cert_path, force)) return MTK_EXIT_BAD_INPUT;
  pf_print_cert("issued", r->der.p, r->der.len, r->f);
  printf("  from       %s (only its key, subject and subjectAltName were used)\n", csr_path);
  printf("  files      %s (certificate%s)\n", r->cert_path,
         r->is.inter_der != NULL ? ", then the intermediate" : "");
  return MTK_EXIT_OK;
}

static int run_sign(int argc, char **argv) {
  sign_run r;
  memset(&r, 0, sizeof(r));
  r.cmd = &cmd_sign;
  r.lock = -1;
  mtk_buf_init(&r.der, MTK_MAX_INPUT);
  int rc = parse(r.cmd, argc, argv, &r.a, 2, 2);
  if (rc < 0) {
    r.f = calloc(1, sizeof(*r.f));
    r.csr_f = calloc(1, sizeof(*r.csr_f));
    rc = r.f != NULL && r.csr_f != NULL ? sign_body(&r) : MTK_EXIT_BAD_INPUT;
  }
  pf_unlock(r.lock);
  issuer_free(&r.is);
  mtk_buf_free(&r.der);
  free(r.csr);
  free(r.f);
  free(r.csr_f);
  free(r.cert_path);
  free(r.key_path);
  paths_free(&r.p);
  free(r.a.pos);
  return rc;
}

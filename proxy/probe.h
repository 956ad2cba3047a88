/* probe.h: `mtlskit probe`, the mTLS doctor (proxy/probe.c).
 *
 * prb_run connects to HOST:PORT as a TLS client (1.2 or 1.3), completes the
 * handshake whatever it finds (the server's certificate is judged afterwards
 * with lib/verify and lib/identity, never trusted for anything: no
 * application data is sent), and fills a prb_result with everything that
 * decides a mutual TLS handshake: the version, cipher and group; the
 * server's chain as sent, decoded, ordered and linted; its verification
 * (purpose serverAuth, at opts->now) against the given trust anchors; its
 * RFC 9525 identity against the references; whether the server asked for a
 * client certificate and which CA names it accepts; whether ours was sent,
 * and whether it was accepted, or the alert that refused it and its likely
 * cause. It never prints and never reads the clock; every file has been read
 * by the caller (the CLI), which renders the result (docs/probe.md).
 *
 * Bounded: the connect and the handshake each get opts->timeout_ms; after a
 * TLS 1.3 handshake in which the server asked for a certificate, a read
 * waits at most opts->settle_ms (default PRB_SETTLE_MS) for the alert a
 * refusing server sends then. */
#ifndef MTK_PROXY_PROBE_H
#define MTK_PROXY_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"

#define PRB_SETTLE_MS 1000u      /* default wait for a TLS 1.3 post-handshake refusal */
#define PRB_MAX_CHAIN 12         /* certificates of a chain described */
#define PRB_MAX_SANS 12          /* SAN entries shown per certificate */
#define PRB_MAX_CA_NAMES 32      /* CA names of a CertificateRequest kept */
#define PRB_MAX_REASONS 12       /* verification reasons kept */
#define PRB_MAX_IDS 32           /* presented identifiers with their reasons */
#define PRB_MAX_PROBLEMS 16
#define PRB_MAX_REFS 8
#define PRB_TEXT 512             /* a DN, a SAN, a message */

/* One reference identity: "dns", "uri" or "ip" and its text. */
typedef struct prb_ref {
  const char *kind;
  const char *value;
} prb_ref;

typedef struct prb_opts {
  const char *target;           /* HOST:PORT, [V6]:PORT */
  const char *servername;       /* SNI to send; NULL: the DNS reference, if any */
  prb_ref refs[PRB_MAX_REFS];   /* none: the host (an IP literal is an IP-ID) */
  size_t n_refs;
  /* trust anchors for the server's chain (PEM/DER/PKCS#7 bytes) and a name
   * for messages ("--ca FILE" or the system bundle's path) */
  const uint8_t *ca;
  size_t ca_len;
  const char *ca_name;
  bool ca_given;                /* --ca (private PKI: lint as --private-pki) */
  /* our certificate (PEM chain or one DER certificate) and key (PEM or DER),
   * or NULL; |cert_name|/|key_name| name them in messages */
  const uint8_t *cert, *key;
  size_t cert_len, key_len;
  const char *cert_name, *key_name;
  int min_tls;                  /* TLS1_2_VERSION (default) or TLS1_3_VERSION */
  unsigned timeout_ms;          /* connect, and handshake, each */
  unsigned settle_ms;           /* TLS 1.3: wait for a refusal; 0 = PRB_SETTLE_MS */
  mtk_time now;
} prb_opts;

/* Severity of a problem: an error makes the probe fail (exit 1); a warning
 * is shown but does not. */
typedef enum prb_sev { PRB_WARNING = 1, PRB_ERROR = 2 } prb_sev;

typedef struct prb_problem {
  prb_sev sev;
  const char *id;               /* stable, docs/probe.md: "server_name_mismatch" */
  char message[PRB_TEXT];       /* what is wrong, in plain words */
  char hint[PRB_TEXT];          /* how to fix it */
} prb_problem;

/* One certificate as decoded by mtk_cert_parse (strings safe to print). */
typedef struct prb_cert {
  bool parsed;
  char parse_error[PRB_TEXT];
  char subject[PRB_TEXT], issuer[PRB_TEXT];
  char not_before[32], not_after[32];
  char validity[96];            /* "valid, expires in 41 days" */
  int validity_state;           /* -1 not yet valid, 0 valid, 1 expired */
  char key[64];                 /* "EC P-256", "RSA 2048" */
  char sans[PRB_MAX_SANS][PRB_TEXT / 2]; /* "DNS:www.example.com" */
  size_t n_sans, sans_more;
  bool is_ca, self_issued;
  bool has_eku, eku_server, eku_client;
  int issuer_matches_next;      /* 1 yes, 0 no, -1 last of the chain */
  size_t lint_errors, lint_warnings, lint_notices;
  char sha256[72];              /* hex, no separators */
} prb_cert;

typedef struct prb_id_item {
  char type[8];                 /* "DNS", "IP", "URI", "SRV", "CN", "other" */
  char value[PRB_TEXT / 2];
  const char *verdict;          /* "match", "no match", "skipped" */
  const char *reason_id;        /* mtk_id_reason_id */
  const char *reason;           /* mtk_id_reason_text */
} prb_id_item;

/* How far the probe got. */
typedef enum prb_stage {
  PRB_STAGE_RESOLVE = 0,
  PRB_STAGE_CONNECT,
  PRB_STAGE_HANDSHAKE,
  PRB_STAGE_DONE
} prb_stage;

/* A fatal TLS alert. |from_server|: received (else we sent it). */
typedef struct prb_alert {
  bool present;
  bool from_server;
  bool after_handshake;         /* arrived after our side of the handshake ended */
  bool after_our_cert;          /* arrived after we sent our Certificate message */
  int code;                     /* TLS AlertDescription */
  const char *name;             /* "unknown_ca" (RFC 8446 6.2 spelling) */
} prb_alert;

typedef struct prb_result {
  prb_stage stage;              /* the stage reached (DONE: handshake completed) */
  char host[256];
  unsigned port;
  char address[80];             /* the address connected to (or last tried) */
  char error[PRB_TEXT];         /* resolve/connect/handshake failure, "" if none */
  bool timed_out;
  char sni[256];                /* "" if none sent */
  /* TLS */
  char version[16], cipher[64], group[32];
  prb_alert alert;
  /* the server */
  prb_cert chain[PRB_MAX_CHAIN];
  size_t n_chain, chain_more;
  bool verify_ran, verify_valid;
  const char *verify_code;      /* mtk_status_name */
  char verify_path[PRB_MAX_CHAIN][PRB_TEXT / 2]; /* the valid path, leaf first */
  size_t n_verify_path;
  struct { const char *code; int depth; char msg[PRB_TEXT]; } verify_reasons[PRB_MAX_REASONS];
  size_t n_verify_reasons;
  prb_ref refs[PRB_MAX_REFS];   /* the references used (values point into opts or host) */
  size_t n_refs;
  bool id_ran, id_matched;
  size_t id_ref;                /* the reference that matched */
  char id_match[PRB_TEXT / 2];  /* the presented identifier that matched */
  prb_id_item ids[PRB_MAX_IDS];
  size_t n_ids, ids_more;
  /* the client side */
  bool requested;               /* a CertificateRequest came */
  char ca_names[PRB_MAX_CA_NAMES][PRB_TEXT];
  size_t n_ca_names, ca_names_more;
  bool have_cert;               /* --cert given */
  prb_cert mine;                /* our leaf, decoded */
  int mine_issuer_listed;       /* 1 our chain's issuer is in the CA list, 0 not, -1 unknown */
  bool sent;                    /* our Certificate message had a certificate */
  int accepted;                 /* 1 accepted, 0 refused, -1 not applicable / unknown */
  const char *cause;            /* refusal cause id (docs/probe.md) or NULL */
  char cause_text[PRB_TEXT];
  bool cause_ambiguous;
  /* the verdict */
  prb_problem problems[PRB_MAX_PROBLEMS];
  size_t n_problems, n_errors;
} prb_result;

/* prb_parse_target splits HOST:PORT ("[::1]:443" for IPv6) into |host| and
 * |*port|. NULL on success, else a static reason (bad usage). */
const char *prb_parse_target(const char *target, char *host, size_t hostlen, unsigned *port);

/* prb_run probes as described at the top, filling |*res| (caller storage,
 * large: allocate it). Returns true when the probe ran (res->n_errors says
 * whether anything is wrong); false on bad input, with a reason naming the
 * file or option in |err| (a certificate or key that does not load, a key
 * that does not match, a reference that is not valid, trust anchors that do
 * not parse). */
bool prb_run(const prb_opts *o, prb_result *res, char *err, size_t errlen);

/* prb_alert_name: the RFC 8446 6.2 name of an AlertDescription
 * ("handshake_failure"), or "unknown" (static). */
const char *prb_alert_name(int code);

#endif

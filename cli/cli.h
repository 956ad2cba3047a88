/* cli.h: the mtlskit command line: subcommand table, option tables, file
 * input. Fronts are thin: parse arguments, call the library, render. */
#ifndef MTK_CLI_H
#define MTK_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mtlskit/buf.h"
#include "mtlskit/der.h"
#include "mtlskit/err.h"
#include "mtlskit/lint.h"

/* Exit codes shared by every subcommand (documented in docs/cli.md). */
enum {
  MTK_EXIT_OK = 0,       /* success / valid / match / no error-level finding */
  MTK_EXIT_FINDING = 1,  /* a check failed: error-level finding, no match, invalid */
  MTK_EXIT_BAD_INPUT = 2 /* bad input or usage: unreadable file, malformed DER, bad option */
};

/* An option of a subcommand. |arg| names the argument in --help ("FILE"),
 * NULL for a flag. */
typedef struct cli_opt {
  const char *name;  /* long name without "--" */
  char short_name;   /* 0 if none */
  const char *arg;
  const char *help;
} cli_opt;

typedef struct cli_cmd {
  const char *name;
  const char *synopsis;     /* "[OPTIONS] FILE..." */
  const char *summary;      /* one line */
  const char *description;  /* paragraphs for --help */
  const cli_opt *opts;      /* terminated by {0} */
  const char *exit_codes;   /* text for --help */
  int (*run)(int argc, char **argv);
} cli_cmd;

/* Parsed arguments: values by option index, positionals in order. */
#define CLI_MAX_VALUES 64
typedef struct cli_args {
  const char *values[CLI_MAX_VALUES];   /* value (or "" for a flag) of each occurrence */
  int value_opt[CLI_MAX_VALUES];        /* option index of each occurrence */
  size_t n_values;
  char **pos;
  size_t n_pos;
} cli_args;

/* cli_parse parses argv (after the subcommand name) against |cmd|'s table.
 * "--help"/"-h" prints help and returns 0 with |*help| set. Errors print a
 * usage line and return 2. Returns -1 on success. */
int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out, bool *help);

/* cli_get returns the last value of option |name|, or NULL. */
const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name);
/* cli_has: the option was given. */
bool cli_has(const cli_cmd *cmd, const cli_args *a, const char *name);

void cli_print_help(const cli_cmd *cmd, FILE *f);

/* cli_read_file reads |path| ("-" = stdin) up to MTK_MAX_INPUT bytes into
 * a malloc'ed buffer. On failure prints "mtlskit: PATH: reason" and returns
 * false. */
bool cli_read_file(const char *path, uint8_t **data, size_t *len);

/* cli_error prints "mtlskit: " + message to stderr. */
void cli_error(const char *fmt, ...) MTK_PRINTF(1, 2);

/* Subcommands. */
int cmd_decode(int argc, char **argv);
int cmd_check(int argc, char **argv);
extern const cli_cmd cli_cmd_decode;
extern const cli_cmd cli_cmd_check;
int cmd_match(int argc, char **argv);
extern const cli_cmd cli_cmd_match;
int cmd_pki(int argc, char **argv);
int cmd_csr(int argc, char **argv);
extern const cli_cmd cli_cmd_pki;
extern const cli_cmd cli_cmd_csr;
int cmd_verify(int argc, char **argv);
extern const cli_cmd cli_cmd_verify;
int cmd_proxy(int argc, char **argv);
extern const cli_cmd cli_cmd_proxy;
int cmd_demo(int argc, char **argv);
extern const cli_cmd cli_cmd_demo;
int cmd_probe(int argc, char **argv);
extern const cli_cmd cli_cmd_probe;
int cmd_web(int argc, char **argv);
extern const cli_cmd cli_cmd_web;

/* ---- JSON documents shared by the CLI and `mtlskit web` (web/server.c) ---- */

/* cli_decode_req: one in-memory `decode --json` or `check --json` run. */
typedef struct cli_decode_req {
  bool check;           /* check (lint) as well as decode */
  mtk_profile profile;  /* check: MTK_PROFILE_AUTO or --profile */
  bool private_pki;     /* check: --private-pki */
  mtk_time now;         /* the caller's clock reading, or --at */
  const char *name;     /* inputs[0].file (C string); NULL = "-" */
  unsigned flags;       /* MTK_RENDER_COMPACT ... */
} cli_decode_req;

/* cli_decode_json appends the whole mtlskit.decode/1 document for the bytes
 * |data| (PEM, DER, base64, PKCS#7; read, never modified) to |out|. Returns
 * the CLI's exit code (0; 1 error-level finding; 2 an object could not be
 * decoded, its error being in the document), or -1 when the document could
 * not be built (|out| full, no memory): discard |out| then. Prints nothing
 * but a line on stderr for -1. */
int cli_decode_json(const cli_decode_req *q, uint8_t *data, size_t len, mtk_buf *out);

/* cli_match_ref: a reference as the user wrote it: |opt| "dns", "ip", "srv"
 * or "uri", and its text (C strings). */
typedef struct cli_match_ref {
  const char *opt;
  const char *text;
} cli_match_ref;

/* cli_match_fail: why cli_match_json could not answer. */
typedef struct cli_match_fail {
  const char *stage;  /* "reference", "certificate" */
  size_t ref;         /* stage "reference": which one (0-based) */
  mtk_error err;      /* the library's error: code, path, offset, detail */
} cli_match_fail;

/* cli_match_json matches the first certificate of |data| (PEM or DER) with
 * |refs| under |flags| (MTK_ID_*) and appends the `match --json` document
 * (schema mtlskit.match/1, |file| its "file") to |out|. Returns 0 (match),
 * 1 (no match), or 2 with |fail| filled (malformed reference, no
 * certificate, undecodable certificate; nothing appended). */
int cli_match_json(const char *file, const uint8_t *data, size_t len, const cli_match_ref *refs,
                   size_t n_refs, unsigned flags, mtk_buf *out, cli_match_fail *fail);

#endif

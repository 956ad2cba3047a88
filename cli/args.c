/* args.c: table-driven option parsing and --help for every subcommand. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mtlskit/buf.h"
#include "mtlskit/pem.h"

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("mtlskit: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static int find_long(const cli_cmd *cmd, const char *name, size_t len) {
  for (int i = 0; cmd->opts[i].name != NULL; i++)
    if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0) return i;
  return -1;
}

static int find_short(const cli_cmd *cmd, char c) {
  for (int i = 0; cmd->opts[i].name != NULL; i++)
    if (cmd->opts[i].short_name == c) return i;
  return -1;
}

static int usage_error(const cli_cmd *cmd, const char *what, const char *arg) {
  cli_error("%s: %s '%s'", cmd->name, what, arg);
  fprintf(stderr, "usage: mtlskit %s %s\n(see 'mtlskit %s --help')\n", cmd->name, cmd->synopsis,
          cmd->name);
  return MTK_EXIT_BAD_INPUT;
}

static int add_value(const cli_cmd *cmd, cli_args *out, int opt, const char *v) {
  if (out->n_values >= CLI_MAX_VALUES) return usage_error(cmd, "too many options at", v);
  out->value_opt[out->n_values] = opt;
  out->values[out->n_values++] = v;
  return -1;
}

int cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_args *out, bool *help) {
  memset(out, 0, sizeof(*out));
  *help = false;
  out->pos = calloc((size_t)argc + 1, sizeof(char *));
  if (out->pos == NULL) return MTK_EXIT_BAD_INPUT;
  bool only_pos = false;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
      out->pos[out->n_pos++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_pos = true;
      continue;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      *help = true;
      cli_print_help(cmd, stdout);
      return MTK_EXIT_OK;
    }
    int opt;
    const char *inline_val = NULL;
    if (a[1] == '-') {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
      opt = find_long(cmd, a + 2, len);
      if (eq) inline_val = eq + 1;
    } else {
      if (a[2] != '\0') return usage_error(cmd, "unknown option", a);
      opt = find_short(cmd, a[1]);
    }
    if (opt < 0) return usage_error(cmd, "unknown option", a);
    const cli_opt *o = &cmd->opts[opt];
    if (o->arg == NULL) {
      if (inline_val) return usage_error(cmd, "option takes no value", a);
      int r = add_value(cmd, out, opt, "");
      if (r >= 0) return r;
      continue;
    }
    const char *v = inline_val;
    if (v == NULL) {
      if (i + 1 >= argc) return usage_error(cmd, "option needs a value", a);
      v = argv[++i];
    }
    int r = add_value(cmd, out, opt, v);
    if (r >= 0) return r;
  }
  return -1;
}

static int opt_index(const cli_cmd *cmd, const char *name) {
  return find_long(cmd, name, strlen(name));
}

const char *cli_get(const cli_cmd *cmd, const cli_args *a, const char *name) {
  int idx = opt_index(cmd, name);
  const char *v = NULL;
  for (size_t i = 0; i < a->n_values; i++)
    if (a->value_opt[i] == idx) v = a->values[i];
  return v;
}

bool cli_has(const cli_cmd *cmd, const cli_args *a, const char *name) {
  return cli_get(cmd, a, name) != NULL;
}

void cli_print_help(const cli_cmd *cmd, FILE *f) {
  fprintf(f, "usage: mtlskit %s %s\n\n%s\n\n%s\n", cmd->name, cmd->synopsis, cmd->summary,
          cmd->description);
  fputs("\nOptions:\n", f);
  for (int i = 0; cmd->opts[i].name != NULL; i++) {
    const cli_opt *o = &cmd->opts[i];
    char left[64];
    if (o->short_name)
      snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
               o->arg ? o->arg : "");
    else
      snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    fprintf(f, "  %-26s %s\n", left, o->help);
  }
  fprintf(f, "  %-26s %s\n", "-h, --help", "show this help and exit");
  if (cmd->exit_codes) fprintf(f, "\nExit status:\n%s", cmd->exit_codes);
}

bool cli_read_file(const char *path, uint8_t **data, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    cli_error("%s: %s", path, strerror(errno));
    return false;
  }
  mtk_buf b;
  mtk_buf_init(&b, MTK_MAX_INPUT);
  uint8_t chunk[65536];
  bool ok = true;
  for (;;) {
    size_t n = fread(chunk, 1, sizeof chunk, f);
    if (n > 0 && mtk_buf_append(&b, chunk, n) != MTK_OK) {
      cli_error("%s: input larger than the %zu MiB limit", path, MTK_MAX_INPUT >> 20);
      ok = false;
      break;
    }
    if (n < sizeof chunk) {
      if (ferror(f)) {
        cli_error("%s: read error: %s", path, strerror(errno));
        ok = false;
      }
      break;
    }
  }
  if (f != stdin) fclose(f);
  if (!ok) {
    mtk_buf_free(&b);
    return false;
  }
  *data = mtk_buf_take(&b, len);
  if (*data == NULL) {
    *data = malloc(1);
    if (*data == NULL) return false;
    *len = 0;
  }
  return true;
}

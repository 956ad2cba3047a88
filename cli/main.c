/* main.c: the mtlskit command line: the subcommand table and dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef MTK_VERSION
#define MTK_VERSION "0.1.0"
#endif

static const cli_cmd *const commands[] = {
    &cli_cmd_decode,
    &cli_cmd_check,
    &cli_cmd_match,
    &cli_cmd_pki,
    &cli_cmd_csr,
    &cli_cmd_verify,
    &cli_cmd_proxy,
    &cli_cmd_demo,
    &cli_cmd_probe,
    &cli_cmd_web,
};

static void usage(FILE *f) {
  fputs("usage: mtlskit COMMAND [OPTIONS] [ARGS]\n\n"
        "mtlskit decodes and checks certificates and CSRs, verifies identity and trust,\n"
        "and runs mutual TLS.\n\nCommands:\n",
        f);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  fputs("\nRun 'mtlskit COMMAND --help' for the options of a command.\n"
        "'mtlskit --version' prints the version.\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return MTK_EXIT_BAD_INPUT;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    if (strcmp(name, "help") == 0 && argc > 2) {
      for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i]->name, argv[2]) == 0) {
          cli_print_help(commands[i], stdout);
          return MTK_EXIT_OK;
        }
    }
    usage(stdout);
    return MTK_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("mtlskit %s\n", MTK_VERSION);
    return MTK_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i]->name, name) == 0) return commands[i]->run(argc - 2, argv + 2);
  cli_error("unknown command '%s'", name);
  usage(stderr);
  return MTK_EXIT_BAD_INPUT;
}

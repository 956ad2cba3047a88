/* main.c: the mtlskit command line (subcommand table). */
#include <stdio.h>

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs("usage: mtlskit COMMAND [OPTIONS]\n", stderr);
  return 2;
}

/* test.c: counters and the closing line of the unit-test kit. */
#include "test.h"

int test_failures_in_current = 0;
int tests_passed = 0;
int tests_failed = 0;

int test_summary(void) {
  printf("%d passed, %d failed\n", tests_passed, tests_failed);
  return tests_failed == 0 && tests_passed > 0 ? 0 : 1;
}

/* test.h: the tiny unit-test kit every tests/unit/<module>_test.c uses.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ_INT(a, b); CHECK_STATUS(s, MTK_ERR_DER_TAG); }
 *   int main(void) { RUN(name); ...; return test_summary(); }
 *
 * A failed CHECK prints file:line and the expression and marks the test
 * failed; the test goes on. test_summary prints "N passed, N failed" (the
 * closing line CI reads) and returns the exit code. */
#ifndef MTK_TEST_H
#define MTK_TEST_H

#include <stdio.h>
#include <string.h>

#include "mtlskit/err.h"

extern int test_failures_in_current;
extern int tests_passed;
extern int tests_failed;

#define TEST(name) static void name(void)

#define RUN(name)                                   \
  do {                                              \
    test_failures_in_current = 0;                   \
    name();                                         \
    if (test_failures_in_current == 0) {            \
      tests_passed++;                               \
    } else {                                        \
      tests_failed++;                               \
      fprintf(stderr, "FAILED: %s\n", #name);       \
    }                                               \
  } while (0)

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      test_failures_in_current++;                                        \
    }                                                                    \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                              \
  do {                                                                                  \
    long long a_ = (long long)(a), b_ = (long long)(b);                                 \
    if (a_ != b_) {                                                                     \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, \
              #b, a_, b_);                                                              \
      test_failures_in_current++;                                                       \
    }                                                                                   \
  } while (0)

#define CHECK_STR(a, b)                                                                    \
  do {                                                                                     \
    const char *a_ = (a), *b_ = (b);                                                       \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                                 \
      fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, \
              #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                 \
      test_failures_in_current++;                                                          \
    }                                                                                      \
  } while (0)

#define CHECK_STATUS(got, want)                                                      \
  do {                                                                               \
    mtk_status g_ = (got), w_ = (want);                                              \
    if (g_ != w_) {                                                                  \
      fprintf(stderr, "%s:%d: status %s, expected %s\n", __FILE__, __LINE__,         \
              mtk_status_name(g_), mtk_status_name(w_));                             \
      test_failures_in_current++;                                                    \
    }                                                                                \
  } while (0)

int test_summary(void);

#endif

/* tsan_selftest.c: a deliberate data race, built only with MTK_TSAN=ON.
 * ctest runs it under tests/tsan_run.sh and passes only if the wrapper
 * reports it (tests/CMakeLists.txt), proving that a ThreadSanitizer report
 * from a test's process fails the test. Not part of the product. */
#include <pthread.h>
#include <stdio.h>

static int g_shared; /* written by two threads with no synchronisation */

static void *writer(void *arg) {
  (void)arg;
  g_shared++;
  return NULL;
}

int main(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, writer, NULL) != 0) return 2;
  g_shared++; /* races with writer(): no happens-before until the join */
  pthread_join(t, NULL);
  printf("tsan_selftest: %d\n", g_shared);
  return 0;
}

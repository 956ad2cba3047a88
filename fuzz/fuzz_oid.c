/* fuzz_oid.c: libFuzzer target for lib/oid.c. The input is the contents of
 * an OBJECT IDENTIFIER (no tag, no length).
 *
 * Oracles:
 *  - mtk_oid_format accepts exactly what mtk_der_check_oid accepts (or stops
 *    at MTK_ERR_LIMIT on an arc longer than 1024 octets, and only then);
 *  - its output is digits and single dots, and fits 4 characters per octet;
 *  - the output is exactly as long as it says: one octet less is
 *    MTK_ERR_BUFFER with an empty string;
 *  - round trip: when every arc fits in 64 bits, mtk_oid_from_dotted gives
 *    back the input octets; otherwise it refuses with MTK_ERR_ARG;
 *  - mtk_oid_lookup agrees with mtk_oid_der, mtk_oid_is and mtk_oid_dotted.
 * Any disagreement aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/oid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* arcs_fit_u64: every arc of the dotted string |s| is at most 2^64 - 1. */
static int arcs_fit_u64(const char *s) {
  static const char max[] = "18446744073709551615";
  while (*s != '\0') {
    size_t n = strcspn(s, ".");
    if (n > sizeof max - 1 || (n == sizeof max - 1 && memcmp(s, max, n) > 0)) return 0;
    s += n;
    if (*s == '.') s++;
  }
  return 1;
}

/* longest_arc: the most octets any subidentifier of |p| takes. */
static size_t longest_arc(const uint8_t *p, size_t n) {
  size_t best = 0, cur = 0;
  for (size_t i = 0; i < n; i++) {
    cur++;
    if ((p[i] & 0x80u) == 0) {
      if (cur > best) best = cur;
      cur = 0;
    }
  }
  return cur > best ? cur : best;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_cbs c;
  mtk_cbs_init(&c, data, size);

  mtk_oid_id id = mtk_oid_lookup(&c);
  if (id != MTK_OID_UNKNOWN) {
    size_t n = 0;
    const uint8_t *d = mtk_oid_der(id, &n);
    if (d == NULL || n != size || memcmp(d, data, size) != 0 || !mtk_oid_is(&c, id)) abort();
  }

  size_t cap = 4 * size + 1;
  char *buf = malloc(cap);
  if (buf == NULL) return 0;
  mtk_status s = mtk_oid_format(&c, buf, cap);
  mtk_status valid = mtk_der_check_oid(&c, NULL);
  if (valid != MTK_OK) {
    if (s != MTK_ERR_DER_OID || buf[0] != '\0') abort();
    free(buf);
    return 0;
  }
  if (s == MTK_ERR_LIMIT) {
    if (longest_arc(data, size) <= 1024 || buf[0] != '\0') abort();
    free(buf);
    return 0;
  }
  if (s != MTK_OK) abort(); /* 4 characters per octet always suffice */

  size_t len = strlen(buf);
  if (len < 3 || len >= cap || buf[0] < '0' || buf[0] > '2' || buf[1] != '.') abort();
  for (size_t i = 0; i < len; i++) {
    char ch = buf[i];
    if (ch == '.') {
      if (i + 1 == len || buf[i + 1] == '.') abort();
    } else if (ch < '0' || ch > '9') {
      abort();
    }
  }
  if (id != MTK_OID_UNKNOWN && strcmp(buf, mtk_oid_dotted(id)) != 0) abort();

  /* Exactly len + 1 octets are needed. */
  char *small = malloc(len + 1);
  if (small != NULL) {
    if (mtk_oid_format(&c, small, len + 1) != MTK_OK || strcmp(small, buf) != 0) abort();
    if (mtk_oid_format(&c, small, len) != MTK_ERR_BUFFER || (len > 0 && small[0] != '\0')) abort();
    free(small);
  }

  uint8_t *out = malloc(size + 1);
  if (out != NULL) {
    size_t n = 0;
    mtk_status r = mtk_oid_from_dotted(buf, len, out, size + 1, &n);
    if (arcs_fit_u64(buf)) {
      if (r != MTK_OK || n != size || memcmp(out, data, size) != 0) abort();
    } else if (r != MTK_ERR_ARG) {
      abort();
    }
    free(out);
  }
  free(buf);
  return 0;
}

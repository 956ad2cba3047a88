/* pem_test.c: tests for lib/pem.c, the input module: PEM (labels, bundles,
 * text around blocks, CRLF, indentation, headers), strict base64 with exact
 * error offsets, raw DER and bare base64 with the structural sniff, and the
 * PKCS#7 certificate iterator.
 *
 * The DER fixtures at the top were made once with OpenSSL and are embedded
 * (nothing here checks dates):
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
 *     -subj /CN=t -days 1 -keyout /dev/null -outform DER          (kCertDer)
 *   openssl req -new -newkey ec ... -subj /CN=t -outform DER       (kCsrDer)
 *   openssl ca -gencrl ...; openssl crl -outform DER               (kCrlDer)
 *   openssl crl2pkcs7 -nocrl -certfile cert.pem -outform DER       (kP7bDer)
 * Every other input is built by the test. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/der.h"
#include "mtlskit/pem.h"
#include "test.h"

static const uint8_t kCertDer[] = {
    0x30, 0x82, 0x01, 0x6d, 0x30, 0x82, 0x01, 0x13, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x36,
    0x91, 0xa2, 0x05, 0xc5, 0x85, 0x72, 0x5c, 0x62, 0x85, 0x75, 0x4b, 0x20, 0xb1, 0x1e, 0x98, 0x8e,
    0x12, 0x50, 0xc0, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30,
    0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x74, 0x30, 0x1e, 0x17,
    0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x37, 0x30, 0x32, 0x34, 0x32, 0x34, 0x30, 0x5a, 0x17, 0x0d,
    0x32, 0x36, 0x31, 0x31, 0x32, 0x38, 0x30, 0x32, 0x34, 0x32, 0x34, 0x30, 0x5a, 0x30, 0x0c, 0x31,
    0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06,
    0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03,
    0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0xb9, 0x7a, 0xc7, 0x54, 0x75, 0xf5, 0x82, 0x80, 0xd2, 0xf2,
    0x77, 0xbb, 0xdb, 0x16, 0x7d, 0xf3, 0xa0, 0xd9, 0xb6, 0xc2, 0xc8, 0x52, 0x94, 0x50, 0x2a, 0x38,
    0x37, 0xd6, 0xf1, 0x34, 0xc6, 0x23, 0xb0, 0x15, 0xe7, 0x38, 0x8c, 0xfd, 0xf2, 0xe2, 0x00, 0x6f,
    0x85, 0x42, 0xcc, 0xe7, 0x19, 0x67, 0x04, 0xc6, 0xe4, 0x30, 0x8c, 0x49, 0xa2, 0x68, 0x1a, 0x9b,
    0xdd, 0x00, 0x09, 0x98, 0x31, 0xe8, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
    0x0e, 0x04, 0x16, 0x04, 0x14, 0x43, 0xcf, 0xab, 0x4a, 0x6f, 0xe0, 0xce, 0x4b, 0x36, 0x8c, 0x0d,
    0x53, 0x79, 0xcc, 0x06, 0x40, 0x50, 0x3e, 0x12, 0x30, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23,
    0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x43, 0xcf, 0xab, 0x4a, 0x6f, 0xe0, 0xce, 0x4b, 0x36, 0x8c,
    0x0d, 0x53, 0x79, 0xcc, 0x06, 0x40, 0x50, 0x3e, 0x12, 0x30, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d,
    0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x21, 0x00, 0x9b,
    0x47, 0xaf, 0x50, 0x56, 0x74, 0xa4, 0x98, 0x27, 0xec, 0xd4, 0x40, 0x0f, 0xa9, 0xcd, 0x74, 0x2a,
    0x94, 0xbc, 0x8c, 0xa9, 0x2c, 0xd3, 0xd5, 0x84, 0x04, 0xf7, 0xd0, 0xf9, 0xf1, 0xde, 0x00, 0x02,
    0x20, 0x6d, 0x58, 0xbe, 0xa1, 0xf0, 0x9c, 0xdf, 0x3f, 0x68, 0x9e, 0x05, 0xbe, 0xea, 0x19, 0x0a,
    0xf2, 0x40, 0x0e, 0x1e, 0x29, 0xb3, 0x66, 0xae, 0xca, 0xe6, 0x88, 0xd8, 0x43, 0xe0, 0x03, 0x98,
    0x76,
};
static const uint8_t kCsrDer[] = {
    0x30, 0x81, 0xc7, 0x30, 0x6e, 0x02, 0x01, 0x00, 0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03,
    0x55, 0x04, 0x03, 0x0c, 0x01, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    0x04, 0x5d, 0x5f, 0x17, 0xd1, 0x7f, 0xe4, 0x0d, 0x57, 0x55, 0xc1, 0xf8, 0x68, 0xc4, 0x4b, 0xd0,
    0x0c, 0xd3, 0x1f, 0x9a, 0xbb, 0xe5, 0x3e, 0xfe, 0xaa, 0xd0, 0xc4, 0x82, 0x49, 0xf3, 0x67, 0x81,
    0x3e, 0x00, 0xeb, 0x1e, 0xd7, 0xf7, 0x68, 0x74, 0xf5, 0xe0, 0x16, 0xc0, 0x5c, 0xc7, 0xa4, 0x80,
    0x1d, 0x2c, 0x5f, 0xcb, 0x5a, 0x82, 0xd6, 0x0e, 0xd2, 0x26, 0x2a, 0xb2, 0xf3, 0x0f, 0xcf, 0xe1,
    0x6d, 0xa0, 0x00, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03,
    0x49, 0x00, 0x30, 0x46, 0x02, 0x21, 0x00, 0xcc, 0xa9, 0x05, 0xfe, 0x7d, 0x27, 0xc0, 0x9e, 0x3f,
    0xae, 0x12, 0x2f, 0x6b, 0x63, 0x2a, 0xd1, 0x17, 0xa8, 0x93, 0x0a, 0x94, 0xa4, 0xeb, 0x86, 0xd8,
    0x50, 0xfe, 0xb1, 0xd2, 0x51, 0x89, 0xdd, 0x02, 0x21, 0x00, 0xcc, 0x0d, 0xec, 0xf4, 0x83, 0x96,
    0x08, 0xcd, 0x90, 0x9e, 0xe0, 0x71, 0xbe, 0xdf, 0x22, 0x13, 0xe2, 0x2a, 0x4b, 0x14, 0xa0, 0xf6,
    0xf1, 0xac, 0x2e, 0xab, 0x9f, 0xc1, 0xae, 0x94, 0x82, 0xf5,
};
static const uint8_t kCrlDer[] = {
    0x30, 0x81, 0xa3, 0x30, 0x4c, 0x02, 0x01, 0x01, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x04, 0x03, 0x02, 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
    0x02, 0x63, 0x61, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x37, 0x30, 0x32, 0x34, 0x32, 0x34,
    0x37, 0x5a, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x38, 0x30, 0x32, 0x34, 0x32, 0x34, 0x37,
    0x5a, 0xa0, 0x0e, 0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x14, 0x04, 0x03, 0x02, 0x01,
    0x01, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x47, 0x00,
    0x30, 0x44, 0x02, 0x20, 0x4b, 0xe8, 0x0d, 0x3d, 0x70, 0xff, 0xbc, 0x1f, 0xb3, 0x9c, 0xad, 0x1b,
    0x17, 0xf5, 0x03, 0x8f, 0x85, 0xe1, 0x2d, 0x6a, 0xe7, 0xf8, 0xd6, 0x9e, 0x4d, 0x3a, 0xc9, 0xa6,
    0x57, 0x2d, 0x35, 0x98, 0x02, 0x20, 0x75, 0xf3, 0x53, 0x6a, 0x19, 0xb7, 0x50, 0x4e, 0x72, 0x90,
    0x45, 0x87, 0xfc, 0xf7, 0xf1, 0x41, 0xa5, 0x23, 0x38, 0xd3, 0x32, 0xfe, 0x38, 0x4a, 0xa7, 0x1c,
    0x8d, 0xad, 0xf4, 0x70, 0xb9, 0x60,
};
static const uint8_t kP7bDer[] = {
    0x30, 0x82, 0x01, 0x9c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
    0x82, 0x01, 0x8d, 0x30, 0x82, 0x01, 0x89, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09,
    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x82, 0x01, 0x71, 0x30, 0x82, 0x01,
    0x6d, 0x30, 0x82, 0x01, 0x13, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x36, 0x91, 0xa2, 0x05,
    0xc5, 0x85, 0x72, 0x5c, 0x62, 0x85, 0x75, 0x4b, 0x20, 0xb1, 0x1e, 0x98, 0x8e, 0x12, 0x50, 0xc0,
    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x0c, 0x31, 0x0a,
    0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x74, 0x30, 0x1e, 0x17, 0x0d, 0x32, 0x36,
    0x31, 0x31, 0x32, 0x37, 0x30, 0x32, 0x34, 0x32, 0x34, 0x30, 0x5a, 0x17, 0x0d, 0x32, 0x36, 0x31,
    0x31, 0x32, 0x38, 0x30, 0x32, 0x34, 0x32, 0x34, 0x30, 0x5a, 0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08,
    0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
    0x42, 0x00, 0x04, 0xb9, 0x7a, 0xc7, 0x54, 0x75, 0xf5, 0x82, 0x80, 0xd2, 0xf2, 0x77, 0xbb, 0xdb,
    0x16, 0x7d, 0xf3, 0xa0, 0xd9, 0xb6, 0xc2, 0xc8, 0x52, 0x94, 0x50, 0x2a, 0x38, 0x37, 0xd6, 0xf1,
    0x34, 0xc6, 0x23, 0xb0, 0x15, 0xe7, 0x38, 0x8c, 0xfd, 0xf2, 0xe2, 0x00, 0x6f, 0x85, 0x42, 0xcc,
    0xe7, 0x19, 0x67, 0x04, 0xc6, 0xe4, 0x30, 0x8c, 0x49, 0xa2, 0x68, 0x1a, 0x9b, 0xdd, 0x00, 0x09,
    0x98, 0x31, 0xe8, 0xa3, 0x53, 0x30, 0x51, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16,
    0x04, 0x14, 0x43, 0xcf, 0xab, 0x4a, 0x6f, 0xe0, 0xce, 0x4b, 0x36, 0x8c, 0x0d, 0x53, 0x79, 0xcc,
    0x06, 0x40, 0x50, 0x3e, 0x12, 0x30, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30,
    0x16, 0x80, 0x14, 0x43, 0xcf, 0xab, 0x4a, 0x6f, 0xe0, 0xce, 0x4b, 0x36, 0x8c, 0x0d, 0x53, 0x79,
    0xcc, 0x06, 0x40, 0x50, 0x3e, 0x12, 0x30, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01,
    0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x21, 0x00, 0x9b, 0x47, 0xaf, 0x50,
    0x56, 0x74, 0xa4, 0x98, 0x27, 0xec, 0xd4, 0x40, 0x0f, 0xa9, 0xcd, 0x74, 0x2a, 0x94, 0xbc, 0x8c,
    0xa9, 0x2c, 0xd3, 0xd5, 0x84, 0x04, 0xf7, 0xd0, 0xf9, 0xf1, 0xde, 0x00, 0x02, 0x20, 0x6d, 0x58,
    0xbe, 0xa1, 0xf0, 0x9c, 0xdf, 0x3f, 0x68, 0x9e, 0x05, 0xbe, 0xea, 0x19, 0x0a, 0xf2, 0x40, 0x0e,
    0x1e, 0x29, 0xb3, 0x66, 0xae, 0xca, 0xe6, 0x88, 0xd8, 0x43, 0xe0, 0x03, 0x98, 0x76, 0x31, 0x00,
};

/* ---- builders -------------------------------------------------------------------- */

/* A growable text/bytes buffer for building inputs. */
typedef struct sb {
  uint8_t *p;
  size_t n, cap;
} sb;

static void sb_putn(sb *b, const void *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->cap ? b->cap * 2 : 4096);
    while (cap < b->n + n + 1) cap *= 2;
    uint8_t *np = realloc(b->p, cap);
    if (np == NULL) abort();
    b->p = np;
    b->cap = cap;
  }
  if (n > 0) memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static void sb_put(sb *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_free(sb *b) {
  free(b->p);
  memset(b, 0, sizeof(*b));
}

/* offset_of returns the offset of the first |needle| in |b| (aborts if absent). */
static size_t offset_of(const sb *b, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= b->n; i++)
    if (memcmp(b->p + i, needle, k) == 0) return i;
  fprintf(stderr, "offset_of: \"%s\" not in input\n", needle);
  abort();
}

/* line_at returns the 1-based line of offset |off| of |b|. */
static size_t line_at(const sb *b, size_t off) {
  size_t line = 1;
  for (size_t i = 0; i < off; i++) line += b->p[i] == '\n';
  return line;
}

static size_t nth_offset_of(const sb *b, const char *needle, int nth) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= b->n; i++)
    if (memcmp(b->p + i, needle, k) == 0 && nth-- == 0) return i;
  abort();
}

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* b64 appends the base64 of |in| to |b|, |width| characters a line (0: one
 * line, no line break), each line prefixed with |indent| and ended by |eol|. */
static void b64(sb *b, const uint8_t *in, size_t n, size_t width, const char *indent,
                const char *eol) {
  size_t col = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (i + 1 < n) v |= (uint32_t)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    char q[4] = {kB64[v >> 18 & 63], kB64[v >> 12 & 63], i + 1 < n ? kB64[v >> 6 & 63] : '=',
                 i + 2 < n ? kB64[v & 63] : '='};
    for (int j = 0; j < 4; j++) {
      if (col == 0 && indent != NULL) sb_put(b, indent);
      sb_putn(b, &q[j], 1);
      col++;
      if (width > 0 && col == width) {
        sb_put(b, eol);
        col = 0;
      }
    }
  }
  if (width > 0 && col > 0) sb_put(b, eol);
}

/* pem appends a PEM block. */
static void pem(sb *b, const char *label, const uint8_t *der, size_t n, size_t width,
                const char *eol) {
  sb_put(b, "-----BEGIN ");
  sb_put(b, label);
  sb_put(b, "-----");
  sb_put(b, eol);
  b64(b, der, n, width, NULL, eol);
  sb_put(b, "-----END ");
  sb_put(b, label);
  sb_put(b, "-----");
  sb_put(b, eol);
}

/* pem_body appends a block whose base64 text is given verbatim. */
static void pem_body(sb *b, const char *label, const char *body) {
  sb_put(b, "-----BEGIN ");
  sb_put(b, label);
  sb_put(b, "-----\n");
  sb_put(b, body);
  sb_put(b, "-----END ");
  sb_put(b, label);
  sb_put(b, "-----\n");
}

/* tlv writes tag, DER length and |n| body bytes at |out| (|body| may overlap
 * |out|: wrapping in place) and returns the element length. */
/* noinline: at -O3 gcc 12 inlines this into callers with fixed-size buffers
 * and reports a false -Warray-bounds on the memmove. */
__attribute__((noinline)) static size_t tlv(uint8_t *out, uint8_t tag, const uint8_t *body, size_t n) {
  uint8_t h[6];
  size_t k = 0;
  h[k++] = tag;
  if (n < 0x80) {
    h[k++] = (uint8_t)n;
  } else if (n < 0x100) {
    h[k++] = 0x81;
    h[k++] = (uint8_t)n;
  } else if (n < 0x10000) {
    h[k++] = 0x82;
    h[k++] = (uint8_t)(n >> 8);
    h[k++] = (uint8_t)n;
  } else {
    h[k++] = 0x83;
    h[k++] = (uint8_t)(n >> 16);
    h[k++] = (uint8_t)(n >> 8);
    h[k++] = (uint8_t)n;
  }
  memmove(out + k, body, n);
  memcpy(out, h, k);
  return k + n;
}

/* cat appends |n| bytes to out[*len]. */
static void cat(uint8_t *out, size_t *len, const void *p, size_t n) {
  memcpy(out + *len, p, n);
  *len += n;
}

/* unhex decodes a hex string (spaces ignored) into |out|; returns the length. */
static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = 0;
  int hi = -1;
  for (const char *s = hex; *s; s++) {
    int v;
    if (*s >= '0' && *s <= '9') v = *s - '0';
    else if (*s >= 'a' && *s <= 'f') v = *s - 'a' + 10;
    else if (*s >= 'A' && *s <= 'F') v = *s - 'A' + 10;
    else continue;
    if (hi < 0) {
      hi = v;
    } else {
      out[n++] = (uint8_t)(hi << 4 | v);
      hi = -1;
    }
  }
  return n;
}

/* ---- running the reader ------------------------------------------------------------ */

#define MAX_OBJS 16

typedef struct run_result {
  mtk_pem_obj objs[MAX_OBJS];
  size_t n;
  mtk_status s;
  mtk_diag d;
  uint8_t *buf;
} run_result;

/* run reads |in| to the end (or the first error) with one output buffer of
 * the input's size, passing its unused tail on each call, so that every
 * object stays valid at once. */
static void run(run_result *rr, const void *in, size_t len) {
  memset(rr, 0, sizeof(*rr));
  mtk_diag_init(&rr->d);
  rr->buf = malloc(len > 0 ? len : 1);
  mtk_pem_reader r;
  mtk_pem_reader_init(&r, in, len);
  size_t used = 0;
  for (;;) {
    mtk_pem_obj obj;
    rr->s = mtk_pem_next(&r, rr->buf + used, len - used, &obj, &rr->d);
    if (rr->s != MTK_OK || obj.kind == MTK_OBJ_NONE) break;
    if (rr->n < MAX_OBJS) rr->objs[rr->n] = obj;
    rr->n++;
    if (obj.format != MTK_FMT_DER) used += obj.der.len;
  }
}

static void run_free(run_result *rr) {
  free(rr->buf);
  rr->buf = NULL;
}

static void run_sb(run_result *rr, const sb *b) { run(rr, b->p, b->n); }

static bool der_is(const mtk_pem_obj *o, const uint8_t *p, size_t n) {
  return o->der.len == n && o->der.off == 0 && memcmp(o->der.p, p, n) == 0;
}

static bool label_is(const mtk_pem_obj *o, const char *s) {
  return o->label.len == strlen(s) && memcmp(o->label.p, s, o->label.len) == 0;
}

/* ---- labels and names ------------------------------------------------------------------ */

TEST(label_kinds) {
  static const struct {
    const char *label;
    mtk_obj_kind kind;
  } cases[] = {
      {"CERTIFICATE", MTK_OBJ_CERT},
      {"X509 CERTIFICATE", MTK_OBJ_CERT},
      {"TRUSTED CERTIFICATE", MTK_OBJ_TRUSTED_CERT},
      {"CERTIFICATE REQUEST", MTK_OBJ_CSR},
      {"NEW CERTIFICATE REQUEST", MTK_OBJ_CSR},
      {"X509 CRL", MTK_OBJ_CRL},
      {"PUBLIC KEY", MTK_OBJ_PUBLIC_KEY},
      {"RSA PUBLIC KEY", MTK_OBJ_PUBLIC_KEY},
      {"PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"RSA PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"EC PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"DSA PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"ENCRYPTED PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"OPENSSH PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"ANY PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"private key", MTK_OBJ_PRIVATE_KEY}, /* a secret never falls to UNKNOWN */
      {"PKCS7", MTK_OBJ_PKCS7},
      {"CMS", MTK_OBJ_PKCS7},
      {"PKCS #7 SIGNED DATA", MTK_OBJ_PKCS7},
      {"EC PARAMETERS", MTK_OBJ_PARAMS},
      {"DH PARAMETERS", MTK_OBJ_PARAMS},
      {"X9.42 DH PARAMETERS", MTK_OBJ_PARAMS},
      {"DSA PARAMETERS", MTK_OBJ_PARAMS},
      {"SSL SESSION PARAMETERS", MTK_OBJ_PARAMS},
      {"FOO", MTK_OBJ_UNKNOWN},
      {"", MTK_OBJ_UNKNOWN},
      {"certificate", MTK_OBJ_UNKNOWN}, /* labels are upper case */
      {"CERTIFICATE ", MTK_OBJ_UNKNOWN},
      {"PARAMETERS", MTK_OBJ_UNKNOWN},
      {"X509 CRL2", MTK_OBJ_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtk_obj_kind k =
        mtk_pem_label_kind((const uint8_t *)cases[i].label, strlen(cases[i].label));
    if (k != cases[i].kind) fprintf(stderr, "label \"%s\"\n", cases[i].label);
    CHECK_EQ_INT(k, cases[i].kind);
  }
}

TEST(kind_and_format_names) {
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_NONE), "none");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_CERT), "certificate");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_TRUSTED_CERT), "trusted certificate");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_CSR), "certificate request");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_CRL), "CRL");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_PUBLIC_KEY), "public key");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_PRIVATE_KEY), "private key");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_PKCS7), "PKCS#7 bundle");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_PARAMS), "parameters");
  CHECK_STR(mtk_obj_kind_name(MTK_OBJ_UNKNOWN), "unknown");
  CHECK_STR(mtk_obj_format_name(MTK_FMT_PEM), "PEM");
  CHECK_STR(mtk_obj_format_name(MTK_FMT_DER), "DER");
  CHECK_STR(mtk_obj_format_name(MTK_FMT_BASE64), "base64");
}

/* ---- PEM: positive ---------------------------------------------------------------------- */

TEST(pem_single_certificate) {
  sb b = {0};
  pem(&b, "CERTIFICATE", kCertDer, sizeof kCertDer, 64, "\n");
  mtk_pem_reader r;
  mtk_pem_reader_init(&r, b.p, b.n);
  uint8_t *buf = malloc(b.n);
  mtk_pem_obj o;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, buf, b.n, &o, &d), MTK_OK);
  CHECK_EQ_INT(o.kind, MTK_OBJ_CERT);
  CHECK_EQ_INT(o.format, MTK_FMT_PEM);
  CHECK(label_is(&o, "CERTIFICATE"));
  CHECK_EQ_INT(o.label.off, 11);
  CHECK(o.label.p == b.p + 11);
  CHECK_EQ_INT(o.offset, 0);
  CHECK_EQ_INT(o.line, 1);
  CHECK_EQ_INT(o.end, b.n - 1); /* before the final newline */
  CHECK_EQ_INT(o.headers.len, 0);
  CHECK(!o.encrypted);
  CHECK(der_is(&o, kCertDer, sizeof kCertDer));
  CHECK(o.der.p == buf);
  /* The end, as often as asked. */
  CHECK_STATUS(mtk_pem_next(&r, buf, b.n, &o, &d), MTK_OK);
  CHECK_EQ_INT(o.kind, MTK_OBJ_NONE);
  CHECK_STATUS(mtk_pem_next(&r, buf, b.n, &o, &d), MTK_OK);
  CHECK_EQ_INT(o.kind, MTK_OBJ_NONE);
  CHECK_EQ_INT(d.err.code, MTK_OK);
  free(buf);
  sb_free(&b);
}

TEST(pem_every_label) {
  static const struct {
    const char *label;
    mtk_obj_kind kind;
  } cases[] = {
      {"CERTIFICATE", MTK_OBJ_CERT},
      {"TRUSTED CERTIFICATE", MTK_OBJ_TRUSTED_CERT},
      {"X509 CERTIFICATE", MTK_OBJ_CERT},
      {"CERTIFICATE REQUEST", MTK_OBJ_CSR},
      {"NEW CERTIFICATE REQUEST", MTK_OBJ_CSR},
      {"X509 CRL", MTK_OBJ_CRL},
      {"PUBLIC KEY", MTK_OBJ_PUBLIC_KEY},
      {"RSA PUBLIC KEY", MTK_OBJ_PUBLIC_KEY},
      {"PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"RSA PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"EC PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"ENCRYPTED PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"OPENSSH PRIVATE KEY", MTK_OBJ_PRIVATE_KEY},
      {"PKCS7", MTK_OBJ_PKCS7},
      {"CMS", MTK_OBJ_PKCS7},
      {"EC PARAMETERS", MTK_OBJ_PARAMS},
      {"DH PARAMETERS", MTK_OBJ_PARAMS},
      {"SOMETHING ELSE", MTK_OBJ_UNKNOWN},
  };
  static const uint8_t blob[] = {0x30, 0x03, 0x02, 0x01, 0x07};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sb b = {0};
    pem(&b, cases[i].label, blob, sizeof blob, 64, "\n");
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK_EQ_INT(rr.n, 1);
    CHECK_EQ_INT(rr.objs[0].kind, cases[i].kind);
    CHECK(label_is(&rr.objs[0], cases[i].label));
    CHECK(der_is(&rr.objs[0], blob, sizeof blob));
    CHECK_EQ_INT(rr.objs[0].encrypted, strcmp(cases[i].label, "ENCRYPTED PRIVATE KEY") == 0);
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_bundle_with_text_around) {
  sb b = {0};
  sb_put(&b, "From: alice@example.com\nSubject: the chain you asked for\n\nHi Bob,\n"
             "here it is -- leaf first:\n\n");
  pem(&b, "CERTIFICATE", kCertDer, sizeof kCertDer, 64, "\n");
  sb_put(&b, "\nand the request: (see below)\n");
  pem(&b, "CERTIFICATE REQUEST", kCsrDer, sizeof kCsrDer, 64, "\n");
  sb_put(&b, "and a CRL\n");
  pem(&b, "X509 CRL", kCrlDer, sizeof kCrlDer, 76, "\n");
  sb_put(&b, "\n-- \nAlice: cheers, with 100% certainty; a=b\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 3);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_CERT);
  CHECK_EQ_INT(rr.objs[1].kind, MTK_OBJ_CSR);
  CHECK_EQ_INT(rr.objs[2].kind, MTK_OBJ_CRL);
  CHECK_EQ_INT(rr.objs[0].offset, nth_offset_of(&b, "-----BEGIN", 0));
  CHECK_EQ_INT(rr.objs[1].offset, nth_offset_of(&b, "-----BEGIN", 1));
  CHECK_EQ_INT(rr.objs[2].offset, nth_offset_of(&b, "-----BEGIN", 2));
  CHECK_EQ_INT(rr.objs[0].line, 7);
  CHECK_EQ_INT(rr.objs[1].line, line_at(&b, rr.objs[1].offset));
  CHECK_EQ_INT(rr.objs[2].line, line_at(&b, rr.objs[2].offset));
  CHECK_EQ_INT(rr.objs[1].line, 19);
  CHECK_EQ_INT(rr.objs[0].end, offset_of(&b, "-----END CERTIFICATE-----") + 25);
  /* Every object is still valid: each was decoded into its own part. */
  CHECK(der_is(&rr.objs[0], kCertDer, sizeof kCertDer));
  CHECK(der_is(&rr.objs[1], kCsrDer, sizeof kCsrDer));
  CHECK(der_is(&rr.objs[2], kCrlDer, sizeof kCrlDer));
  CHECK(label_is(&rr.objs[2], "X509 CRL"));
  run_free(&rr);
  sb_free(&b);
}

TEST(pem_after_openssl_text) {
  sb b = {0};
  sb_put(&b,
         "Certificate:\n"
         "    Data:\n"
         "        Version: 3 (0x2)\n"
         "        Serial Number:\n"
         "            36:91:a2:05:c5:85:72:5c:62:85:75:4b:20:b1:1e:98:8e:12:50:c0\n"
         "        Signature Algorithm: ecdsa-with-SHA256\n"
         "        Issuer: CN = t\n"
         "        Subject Public Key Info:\n"
         "            Public Key Algorithm: id-ecPublicKey\n"
         "                pub:\n"
         "                    04:1c:3e:...\n"
         "                ASN1 OID: prime256v1\n"
         "                NIST CURVE: P-256\n"
         "    Signature Value:\n"
         "        30:45:02:20:5a\n");
  size_t at = b.n;
  pem(&b, "CERTIFICATE", kCertDer, sizeof kCertDer, 64, "\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 1);
  CHECK_EQ_INT(rr.objs[0].offset, at);
  CHECK_EQ_INT(rr.objs[0].line, 16);
  CHECK(der_is(&rr.objs[0], kCertDer, sizeof kCertDer));
  run_free(&rr);
  sb_free(&b);
}

/* Layouts: line endings, widths, indentation, whitespace. */
TEST(pem_layouts) {
  static const struct {
    const char *name;
    size_t width;
    const char *indent;
    const char *eol;
  } cases[] = {
      {"LF 64", 64, NULL, "\n"},
      {"CRLF 64", 64, NULL, "\r\n"},
      {"LF 76", 76, NULL, "\n"},
      {"width 1", 1, NULL, "\n"},
      {"width 3", 3, NULL, "\r\n"},
      {"one line", 0, NULL, "\n"},
      {"indented", 64, "    ", "\n"},
      {"tab indented CRLF", 64, "\t", "\r\n"},
      {"trailing blanks", 64, NULL, "  \t\n"},
      {"blank lines", 64, NULL, "\n\n"},
      {"CR CR LF", 16, NULL, "\r\r\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sb b = {0};
    sb_put(&b, cases[i].indent ? cases[i].indent : "");
    sb_put(&b, "-----BEGIN CERTIFICATE-----");
    sb_put(&b, cases[i].eol);
    b64(&b, kCertDer, sizeof kCertDer, cases[i].width, cases[i].indent, cases[i].eol);
    if (cases[i].width == 0) sb_put(&b, cases[i].eol);
    sb_put(&b, cases[i].indent ? cases[i].indent : "");
    sb_put(&b, "-----END CERTIFICATE-----");
    sb_put(&b, cases[i].eol);
    run_result rr;
    run_sb(&rr, &b);
    if (rr.s != MTK_OK || rr.n != 1) fprintf(stderr, "layout %s\n", cases[i].name);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK_EQ_INT(rr.n, 1);
    CHECK(der_is(&rr.objs[0], kCertDer, sizeof kCertDer));
    CHECK_EQ_INT(rr.objs[0].offset, offset_of(&b, "-----BEGIN"));
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_flattened_on_one_line) {
  /* Newlines turned into spaces (environment variables, YAML): two blocks
   * on one line, without a final newline. */
  sb b = {0};
  sb_put(&b, "-----BEGIN CERTIFICATE----- ");
  b64(&b, kCertDer, sizeof kCertDer, 64, NULL, " ");
  sb_put(&b, "-----END CERTIFICATE----- -----BEGIN CERTIFICATE REQUEST-----");
  b64(&b, kCsrDer, sizeof kCsrDer, 0, NULL, "");
  sb_put(&b, "-----END CERTIFICATE REQUEST-----");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 2);
  CHECK(der_is(&rr.objs[0], kCertDer, sizeof kCertDer));
  CHECK(der_is(&rr.objs[1], kCsrDer, sizeof kCsrDer));
  CHECK_EQ_INT(rr.objs[1].offset, offset_of(&b, "-----BEGIN CERTIFICATE REQUEST"));
  CHECK_EQ_INT(rr.objs[1].line, 1);
  CHECK_EQ_INT(rr.objs[1].end, b.n);
  run_free(&rr);
  sb_free(&b);
}

TEST(pem_long_line) {
  /* A 200 KB object on one base64 line. */
  size_t n = 200000;
  uint8_t *blob = malloc(n);
  for (size_t i = 0; i < n; i++) blob[i] = (uint8_t)(i * 7 + 3);
  sb b = {0};
  pem(&b, "BLOB", blob, n, 0, "\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 1);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_UNKNOWN);
  CHECK(der_is(&rr.objs[0], blob, n));
  run_free(&rr);
  sb_free(&b);
  free(blob);
}

TEST(pem_empty_label) {
  static const uint8_t blob[] = {0x05, 0x00};
  sb b = {0};
  pem(&b, "", blob, sizeof blob, 64, "\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 1);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_UNKNOWN);
  CHECK_EQ_INT(rr.objs[0].label.len, 0);
  run_free(&rr);
  sb_free(&b);
}

/* ---- RFC 1421 headers and encryption ----------------------------------------------------- */

/* The shape of a PKCS#1 RSAPrivateKey (INTEGER 0, INTEGER, INTEGER), no
 * secret in it. Base64: MAkCAQACAQUCAQM= */
static const uint8_t kFakeKey[] = {0x30, 0x09, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03};

TEST(pem_headers_encrypted) {
  static const char *eols[] = {"\n", "\r\n"};
  for (size_t e = 0; e < 2; e++) {
    sb b = {0};
    sb_put(&b, "-----BEGIN RSA PRIVATE KEY-----");
    sb_put(&b, eols[e]);
    sb_put(&b, "Proc-Type: 4,ENCRYPTED");
    sb_put(&b, eols[e]);
    sb_put(&b, "DEK-Info: AES-256-CBC,8F1E2D3C4B5A69788796A5B4C3D2E1F0");
    sb_put(&b, eols[e]);
    sb_put(&b, eols[e]);
    b64(&b, kFakeKey, sizeof kFakeKey, 64, NULL, eols[e]);
    sb_put(&b, "-----END RSA PRIVATE KEY-----");
    sb_put(&b, eols[e]);
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK_EQ_INT(rr.n, 1);
    CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_PRIVATE_KEY);
    CHECK(rr.objs[0].encrypted);
    CHECK(der_is(&rr.objs[0], kFakeKey, sizeof kFakeKey));
    const mtk_cbs *h = &rr.objs[0].headers;
    CHECK_EQ_INT(h->off, offset_of(&b, "Proc-Type"));
    CHECK_EQ_INT(h->off + h->len, offset_of(&b, "E1F0") + 4);
    CHECK(h->p == b.p + h->off);
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_headers_variants) {
  static const struct {
    const char *name;
    const char *headers; /* between the BEGIN line and the base64 */
    bool encrypted;
  } cases[] = {
      {"lower-case name, spaces", "proc-type :  4 , ENCRYPTED \n\n", true},
      {"MIC-ONLY", "Proc-Type: 4,MIC-ONLY\n\n", false},
      {"continuation", "Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,\n  0123456789ABCDEF\n\n",
       true},
      {"other header only", "Comment: made by hand\n\n", false},
      {"blank line with spaces", "Proc-Type: 4,ENCRYPTED\n \t \n", true},
      {"blank lines before headers", "\n\nProc-Type: 4,ENCRYPTED\n\n", true},
      {"no headers, blank first", "\n\n", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sb b = {0};
    sb_put(&b, "-----BEGIN EC PRIVATE KEY-----\n");
    sb_put(&b, cases[i].headers);
    b64(&b, kFakeKey, sizeof kFakeKey, 64, NULL, "\n");
    sb_put(&b, "-----END EC PRIVATE KEY-----\n");
    run_result rr;
    run_sb(&rr, &b);
    if (rr.s != MTK_OK) fprintf(stderr, "headers case %s\n", cases[i].name);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK_EQ_INT(rr.n, 1);
    CHECK_EQ_INT(rr.objs[0].encrypted, cases[i].encrypted);
    CHECK(der_is(&rr.objs[0], kFakeKey, sizeof kFakeKey));
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_headers_errors) {
  /* No blank line between headers and base64. */
  {
    sb b = {0};
    sb_put(&b, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: X,00\n");
    b64(&b, kFakeKey, sizeof kFakeKey, 64, NULL, "\n");
    sb_put(&b, "-----END RSA PRIVATE KEY-----\n");
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_ERR_PEM_HEADERS);
    CHECK_EQ_INT(rr.n, 0);
    CHECK_EQ_INT(rr.d.err.offset, offset_of(&b, "MAkCAQACAQUCAQM="));
    CHECK(strstr(rr.d.err.detail, "line 4 column 1") != NULL);
    run_free(&rr);
    sb_free(&b);
  }
  /* Headers run into the END line. */
  {
    sb b = {0};
    sb_put(&b, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
               "-----END RSA PRIVATE KEY-----\n");
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_ERR_PEM_HEADERS);
    CHECK_EQ_INT(rr.d.err.offset, offset_of(&b, "-----END"));
    run_free(&rr);
    sb_free(&b);
  }
  /* A header line after the base64 is a bad base64 character. */
  {
    sb b = {0};
    sb_put(&b, "-----BEGIN RSA PRIVATE KEY-----\nMAYCAQACAQU=\nProc-Type: 4,ENCRYPTED\n"
               "-----END RSA PRIVATE KEY-----\n");
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_ERR_PEM_BASE64);
    CHECK_EQ_INT(rr.d.err.offset, offset_of(&b, "Proc"));
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_encrypted_labels) {
  /* ENCRYPTED PRIVATE KEY is encrypted by its label. */
  sb b = {0};
  pem(&b, "ENCRYPTED PRIVATE KEY", kFakeKey, sizeof kFakeKey, 64, "\n");
  /* OpenSSH keys: the cipher name decides. */
  static const char magic[] = "openssh-key-v1";
  uint8_t plain[64], enc[64];
  size_t np = 0, ne = 0;
  cat(plain, &np, magic, sizeof magic);
  cat(plain, &np, "\0\0\0\4none\0\0\0\4none", 16);
  cat(enc, &ne, magic, sizeof magic);
  cat(enc, &ne, "\0\0\0\12aes256-ctr\0\0\0\6bcrypt", 24);
  pem(&b, "OPENSSH PRIVATE KEY", plain, np, 70, "\n");
  pem(&b, "OPENSSH PRIVATE KEY", enc, ne, 70, "\n");
  /* Truncated OpenSSH key: cannot tell, not marked. */
  pem(&b, "OPENSSH PRIVATE KEY", enc, sizeof magic + 6, 70, "\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.n, 4);
  for (size_t i = 0; i < 4; i++) CHECK_EQ_INT(rr.objs[i].kind, MTK_OBJ_PRIVATE_KEY);
  CHECK(rr.objs[0].encrypted);
  CHECK(!rr.objs[1].encrypted);
  CHECK(rr.objs[2].encrypted);
  CHECK(!rr.objs[3].encrypted);
  CHECK(der_is(&rr.objs[2], enc, ne));
  run_free(&rr);
  sb_free(&b);
}

/* ---- strict base64 ------------------------------------------------------------------------ */

TEST(pem_base64_errors) {
  static const struct {
    const char *name;
    const char *body; /* the text between the BEGIN and END lines */
    const char *at;   /* the error is at the first occurrence of this in the input */
    size_t plus;      /* ... plus this many bytes */
    const char *where;
  } cases[] = {
      {"bad character", "MAYC*QACAQU=\n", "*", 0, "line 2 column 5"},
      {"non-ASCII byte", "MAYCAQ\xc3\xa9\n", "\xc3", 0, "line 2 column 7"},
      {"underscore (base64url)", "MAYC_QACAQU=\n", "_", 0, "line 2 column 5"},
      {"dash in body", "MAYC-QACAQU=\n", "-QAC", 0, "line 2 column 5"},
      {"pad at group start", "MAYC=AAA\n", "=", 0, "line 2 column 5"},
      {"pad second in group", "MAYCA===\n", "=", 0, "line 2 column 6"},
      {"data after padding", "MAYCAQ==AAAA\n", "==AAAA", 2, "line 2 column 9"},
      {"data after padding, next line", "MAYCAQ==\nAAAA\n", "\nAAAA", 1, "line 3 column 1"},
      {"data inside padding", "MAYCAQ=A\n", "=A", 1, "line 2 column 8"},
      {"third pad", "MAYCAQ==\n=\n", "\n=\n", 1, "line 3 column 1"},
      {"pad after full group", "MAYCAQAC=\n", "=", 0, "line 2 column 9"},
      {"missing padding", "MAYCAQACAQU\n", "U\n", 1, "line 2 column 12"},
      {"missing padding, 2 left", "MAYCAQACAQ\n", "Q\n", 1, "line 2 column 11"},
      {"one char left", "MAYCA\n", "A\n", 1, "line 2 column 6"},
      {"incomplete padding", "MAYCAQ=\n", "=\n", 1, "line 2 column 8"},
      {"nonzero pad bits (1 pad)", "MAYCAQACAQV=\n", "V=", 0, "line 2 column 11"},
      {"nonzero pad bits (2 pad)", "MAYCAQ/B\nAB==\n", "B==", 0, "line 3 column 2"},
      {"empty block", "", "-----END", 0, "line 2 column 1"},
      {"only whitespace", "  \n\t\n", "-----END", 0, "line 4 column 1"},
      {"NUL byte", "MAYC\n", NULL, 0, "line 2 column 5"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sb b = {0};
    sb_put(&b, "-----BEGIN CERTIFICATE-----\n");
    size_t body_at = b.n;
    sb_put(&b, cases[i].body);
    size_t want;
    if (cases[i].at == NULL) {
      /* Put a NUL right after "MAYC". */
      uint8_t z = 0;
      b.n = body_at + 4;
      sb_putn(&b, &z, 1);
      sb_put(&b, "AQ==\n");
      want = body_at + 4;
    }
    sb_put(&b, "-----END CERTIFICATE-----\n");
    want = cases[i].at ? offset_of(&b, cases[i].at) + cases[i].plus : body_at + 4;
    run_result rr;
    run_sb(&rr, &b);
    if (rr.s != MTK_ERR_PEM_BASE64 || rr.d.err.offset != want ||
        strstr(rr.d.err.detail, cases[i].where) == NULL)
      fprintf(stderr, "base64 case \"%s\": %s at %zu (want %zu): %s\n", cases[i].name,
              mtk_status_name(rr.s), rr.d.err.offset, want, rr.d.err.detail);
    CHECK_STATUS(rr.s, MTK_ERR_PEM_BASE64);
    CHECK_EQ_INT(rr.n, 0);
    CHECK_EQ_INT(rr.d.err.offset, want);
    CHECK(strstr(rr.d.err.detail, cases[i].where) != NULL);
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_base64_canonical_padding_ok) {
  /* Every tail length decodes: 1, 2 and 3 final bytes. */
  for (size_t n = 1; n <= 7; n++) {
    uint8_t blob[8] = {0xff, 0x00, 0x80, 0x7f, 0x01, 0xfe, 0x55, 0xaa};
    sb b = {0};
    pem(&b, "X", blob, n, 4, "\n");
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK(rr.n == 1 && der_is(&rr.objs[0], blob, n));
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_error_in_second_block) {
  sb b = {0};
  pem(&b, "CERTIFICATE", kCertDer, sizeof kCertDer, 64, "\n");
  pem_body(&b, "CERTIFICATE", "MAYC!QACAQU=\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_EQ_INT(rr.n, 1); /* the first came out */
  CHECK_STATUS(rr.s, MTK_ERR_PEM_BASE64);
  CHECK_EQ_INT(rr.d.err.offset, offset_of(&b, "!"));
  CHECK(strstr(rr.d.err.detail, "line 12 column 5") != NULL);
  CHECK(strstr(rr.d.err.detail, "'!'") != NULL);
  run_free(&rr);
  sb_free(&b);
}

/* ---- framing errors ---------------------------------------------------------------------- */

TEST(pem_framing_errors) {
  static const struct {
    const char *name;
    const char *input;
    mtk_status want;
    const char *at; /* offset of the first occurrence of this */
    int nth;        /* ... or of its nth occurrence */
    size_t yielded; /* objects before the error */
  } cases[] = {
      {"BEGIN without END", "text\n-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n",
       MTK_ERR_PEM_UNTERMINATED, "-----BEGIN", 0, 0},
      {"BEGIN then another BEGIN",
       "-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n-----BEGIN X-----\nMAYCAQACAQU=\n-----END "
       "X-----\n",
       MTK_ERR_PEM_UNTERMINATED, "-----BEGIN", 0, 0},
      {"second block unterminated",
       "-----BEGIN A-----\nMAYCAQACAQU=\n-----END A-----\n-----BEGIN B-----\nMAYCAQACAQU=\n",
       MTK_ERR_PEM_UNTERMINATED, "-----BEGIN", 1, 1},
      {"mismatched END", "-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n-----END X509 CRL-----\n",
       MTK_ERR_PEM_LABEL, "-----END", 0, 0},
      {"END label longer",
       "-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n-----END CERTIFICATE REQUEST-----\n",
       MTK_ERR_PEM_LABEL, "-----END", 0, 0},
      {"END label shorter",
       "-----BEGIN CERTIFICATE REQUEST-----\nMAYCAQACAQU=\n-----END CERTIFICATE-----\n",
       MTK_ERR_PEM_LABEL, "-----END", 0, 0},
      {"BEGIN line not closed", "-----BEGIN CERTIFICATE\nMAYCAQACAQU=\n-----END CERTIFICATE-----\n",
       MTK_ERR_PEM_LABEL, "-----BEGIN", 0, 0},
      {"BEGIN line closed with CR first",
       "-----BEGIN CERTIFICATE\r-----\nMAYCAQACAQU=\n-----END CERTIFICATE\r-----\n",
       MTK_ERR_PEM_LABEL, "\r", 0, 0},
      {"END line not closed", "-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n-----END CERTIFICATE\n",
       MTK_ERR_PEM_LABEL, "-----END", 0, 0},
      {"END before any BEGIN", "-----END CERTIFICATE-----\n", MTK_ERR_PEM_LABEL, "-----END", 0, 0},
      {"stray END after a block",
       "-----BEGIN A-----\nMAYCAQACAQU=\n-----END A-----\ntext\n-----END A-----\n",
       MTK_ERR_PEM_LABEL, "-----END", 1, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sb b = {0};
    sb_put(&b, cases[i].input);
    size_t want = nth_offset_of(&b, cases[i].at, cases[i].nth);
    run_result rr;
    run_sb(&rr, &b);
    if (rr.s != cases[i].want || rr.d.err.offset != want)
      fprintf(stderr, "framing case \"%s\": %s at %zu (want %zu): %s\n", cases[i].name,
              mtk_status_name(rr.s), rr.d.err.offset, want, rr.d.err.detail);
    CHECK_STATUS(rr.s, cases[i].want);
    CHECK_EQ_INT(rr.d.err.offset, want);
    CHECK_EQ_INT(rr.n, cases[i].yielded);
    run_free(&rr);
    sb_free(&b);
  }
}

TEST(pem_error_messages) {
  sb b = {0};
  sb_put(&b, "x\n-----BEGIN CERTIFICATE-----\nMAYCAQACAQU=\n-----END X509 CRL-----\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_ERR_PEM_LABEL);
  CHECK(strstr(rr.d.err.detail, "BEGIN CERTIFICATE is closed by END X509 CRL") != NULL);
  CHECK(strstr(rr.d.err.detail, "line 4 column 1") != NULL);
  char msg[256];
  mtk_error_format(&rr.d.err, msg, sizeof msg);
  CHECK(strstr(msg, "(MTK_ERR_PEM_LABEL) at offset 0x2b") != NULL);
  run_free(&rr);
  sb_free(&b);

  sb_put(&b, "-----BEGIN CERTIFICATE-----\nMAYC\n");
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_ERR_PEM_UNTERMINATED);
  CHECK(strstr(rr.d.err.detail, "BEGIN CERTIFICATE has no END line before the end of the input") !=
        NULL);
  run_free(&rr);
  sb_free(&b);
}

/* ---- nothing ---------------------------------------------------------------------------------- */

TEST(nothing_found) {
  static const struct {
    const char *name;
    const char *input;
    size_t len;
  } cases[] = {
      {"empty", "", 0},
      {"text", "Hello, world.\nNothing to see here.\n", 0},
      {"whitespace", " \n\t\r\n", 0},
      {"one base64 word", "hello", 0},
      {"base64 of non-DER", "aGVsbG8gd29ybGQ=", 0},
      {"base64 of two elements", "BQAFAA==", 0},
      {"base64 bad padding", "MAMCAQ", 0},
      {"binary not DER", "\x01\x02\x03\xff\x00", 5},
      {"text starting with 0", "0 certificates found\n", 0},
      {"four dashes", "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----\n",
       0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len = cases[i].len ? cases[i].len : strlen(cases[i].input);
    run_result rr;
    run(&rr, cases[i].input, len);
    if (rr.s != MTK_ERR_PEM_NOTHING) fprintf(stderr, "nothing case \"%s\"\n", cases[i].name);
    CHECK_STATUS(rr.s, MTK_ERR_PEM_NOTHING);
    CHECK_EQ_INT(rr.n, 0);
    CHECK(rr.d.err.detail[0] != '\0');
    run_free(&rr);
  }
}

/* ---- raw DER and the sniff ------------------------------------------------------------------- */

TEST(der_input) {
  static const struct {
    const char *name;
    const uint8_t *der;
    size_t len;
    mtk_obj_kind kind;
  } cases[] = {
      {"certificate", kCertDer, sizeof kCertDer, MTK_OBJ_CERT},
      {"CSR", kCsrDer, sizeof kCsrDer, MTK_OBJ_CSR},
      {"CRL", kCrlDer, sizeof kCrlDer, MTK_OBJ_CRL},
      {"p7b", kP7bDer, sizeof kP7bDer, MTK_OBJ_PKCS7},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtk_pem_reader r;
    mtk_pem_reader_init(&r, cases[i].der, cases[i].len);
    mtk_pem_obj o;
    mtk_diag d;
    mtk_diag_init(&d);
    /* DER needs no output buffer. */
    CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_OK);
    CHECK_EQ_INT(o.kind, cases[i].kind);
    CHECK_EQ_INT(o.format, MTK_FMT_DER);
    CHECK(o.der.p == cases[i].der);
    CHECK_EQ_INT(o.der.len, cases[i].len);
    CHECK_EQ_INT(o.der.off, 0);
    CHECK_EQ_INT(o.offset, 0);
    CHECK_EQ_INT(o.end, cases[i].len);
    CHECK_EQ_INT(o.label.len, 0);
    CHECK(!o.encrypted);
    CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_OK);
    CHECK_EQ_INT(o.kind, MTK_OBJ_NONE);
  }
}

TEST(der_input_errors) {
  uint8_t buf[600];
  size_t n;
  mtk_pem_reader r;
  mtk_pem_obj o;
  mtk_diag d;
  /* Trailing data after the element (two DER certificates concatenated). */
  n = 0;
  cat(buf, &n, kCsrDer, sizeof kCsrDer);
  cat(buf, &n, kCsrDer, sizeof kCsrDer);
  mtk_pem_reader_init(&r, buf, n);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_ERR_DER_TRAILING);
  CHECK_EQ_INT(d.err.offset, sizeof kCsrDer);
  /* Truncated. */
  mtk_pem_reader_init(&r, kCertDer, sizeof kCertDer - 1);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_EQ_INT(d.err.offset, 0);
  /* BER indefinite length. */
  static const uint8_t ber[] = {0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00};
  mtk_pem_reader_init(&r, ber, sizeof ber);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_ERR_DER_INDEFINITE);
  CHECK_EQ_INT(d.err.offset, 1);
  /* The same error again: the reader does not move. */
  CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_ERR_DER_INDEFINITE);
}

/* Hand-built shapes for the sniff. */
TEST(sniff_shapes) {
  static const struct {
    const char *name;
    const char *hex;
    mtk_obj_kind kind;
    bool encrypted;
  } cases[] = {
      {"SPKI", "30 0a 30 05 06 03 2b 65 70 03 01 00", MTK_OBJ_PUBLIC_KEY, false},
      {"PKCS#8", "30 0e 02 01 00 30 05 06 03 2b 65 70 04 02 04 00", MTK_OBJ_PRIVATE_KEY, false},
      {"OneAsymmetricKey v2", "30 12 02 01 01 30 05 06 03 2b 65 70 04 02 04 00 81 02 00 00",
       MTK_OBJ_PRIVATE_KEY, false},
      {"EncryptedPrivateKeyInfo", "30 0d 30 09 06 07 2a 86 48 86 f7 0d 05 04 00",
       MTK_OBJ_PRIVATE_KEY, true},
      {"SEC1 EC key", "30 07 02 01 01 04 02 aa bb", MTK_OBJ_PRIVATE_KEY, false},
      {"PKCS#1 RSA key", "30 0c 02 01 00 02 01 33 02 01 03 02 01 0b", MTK_OBJ_PRIVATE_KEY, false},
      {"PKCS#1 RSA multi-prime", "30 09 02 01 01 02 01 33 02 01 03", MTK_OBJ_PRIVATE_KEY, false},
      {"PKCS#12", "30 08 02 01 03 30 03 06 01 00", MTK_OBJ_PRIVATE_KEY, false},
      {"ContentInfo signedData",
       "30 0f 06 09 2a 86 48 86 f7 0d 01 07 02 a0 02 30 00", MTK_OBJ_PKCS7, false},
      {"ContentInfo data", "30 0f 06 09 2a 86 48 86 f7 0d 01 07 01 a0 02 04 00", MTK_OBJ_PKCS7,
       false},
      {"ContentInfo without [0]", "30 0b 06 09 2a 86 48 86 f7 0d 01 07 02", MTK_OBJ_UNKNOWN,
       false},
      {"other OID first", "30 07 06 03 2b 65 70 05 00", MTK_OBJ_UNKNOWN, false},
      {"signed, CSR tbs",
       "30 1a 30 13 02 01 00 30 00 30 0a 30 05 06 03 2b 65 70 03 01 00 a0 00 30 00 03 01 00",
       MTK_OBJ_CSR, false},
      {"signed, v1 cert serial 0 (Name, not SPKI)",
       "30 1a 30 13 02 01 00 30 00 30 02 31 00 30 00 30 00 30 04 30 00 30 00 30 00 03 01 00",
       MTK_OBJ_CERT, false},
      {"signed, v3 cert", "30 15 30 0e a0 03 02 01 02 02 01 05 30 00 30 00 30 00 30 00 03 01 00",
       MTK_OBJ_CERT, false},
      {"signed, CRL v2",
       "30 1d 30 16 02 01 01 30 00 30 00 17 0d 32 36 30 31 30 31 30 30 30 30 30 30 5a 30 00 03 01 00",
       MTK_OBJ_CRL, false},
      {"signed, CRL v1 GeneralizedTime",
       "30 1c 30 15 30 00 30 00 18 0f 32 30 35 30 30 31 30 31 30 30 30 30 30 30 5a 30 00 03 01 00",
       MTK_OBJ_CRL, false},
      {"signed, empty tbs", "30 07 30 00 30 00 03 01 00", MTK_OBJ_CERT, false},
      {"two INTEGERs (DH params or RSA public key)", "30 06 02 01 17 02 01 02", MTK_OBJ_UNKNOWN,
       false},
      {"INTEGER 0 alone", "30 03 02 01 00", MTK_OBJ_UNKNOWN, false},
      {"INTEGER 2 then SEQUENCE", "30 05 02 01 02 30 00", MTK_OBJ_UNKNOWN, false},
      {"bad INTEGER", "30 04 02 02 00 01", MTK_OBJ_UNKNOWN, false},
      {"empty SEQUENCE", "30 00", MTK_OBJ_UNKNOWN, false},
      {"not a SEQUENCE", "31 00", MTK_OBJ_UNKNOWN, false},
      {"truncated", "30 05 02 01", MTK_OBJ_UNKNOWN, false},
      {"nothing", "", MTK_OBJ_UNKNOWN, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t der[128];
    size_t n = unhex(cases[i].hex, der);
    mtk_cbs c;
    mtk_cbs_init(&c, der, n);
    bool enc = !cases[i].encrypted; /* must be overwritten */
    mtk_obj_kind k = mtk_pem_sniff_der(&c, &enc);
    if (k != cases[i].kind) fprintf(stderr, "sniff case \"%s\"\n", cases[i].name);
    CHECK_EQ_INT(k, cases[i].kind);
    CHECK_EQ_INT(enc, cases[i].encrypted);
    CHECK_EQ_INT(mtk_pem_sniff_der(&c, NULL), cases[i].kind);
    /* The same shapes as raw DER input: the reader agrees (when it is one
     * DER element). */
    mtk_cbs whole = c;
    if (n > 0 && der[0] == 0x30 && mtk_der_get_any(&whole, NULL, NULL, NULL, NULL) == MTK_OK &&
        whole.len == 0) {
      run_result rr;
      run(&rr, der, n);
      CHECK_STATUS(rr.s, MTK_OK);
      CHECK_EQ_INT(rr.objs[0].kind, cases[i].kind);
      CHECK_EQ_INT(rr.objs[0].encrypted, cases[i].encrypted);
      run_free(&rr);
    }
  }
  /* Real ones. */
  mtk_cbs c;
  mtk_cbs_init(&c, kCertDer, sizeof kCertDer);
  CHECK_EQ_INT(mtk_pem_sniff_der(&c, NULL), MTK_OBJ_CERT);
  mtk_cbs_init(&c, kCsrDer, sizeof kCsrDer);
  CHECK_EQ_INT(mtk_pem_sniff_der(&c, NULL), MTK_OBJ_CSR);
  mtk_cbs_init(&c, kCrlDer, sizeof kCrlDer);
  CHECK_EQ_INT(mtk_pem_sniff_der(&c, NULL), MTK_OBJ_CRL);
  mtk_cbs_init(&c, kP7bDer, sizeof kP7bDer);
  CHECK_EQ_INT(mtk_pem_sniff_der(&c, NULL), MTK_OBJ_PKCS7);
}

TEST(trusted_certificate) {
  /* OpenSSL's TRUSTED CERTIFICATE: the certificate, then X509_CERT_AUX. */
  uint8_t buf[512];
  size_t n = 0;
  static const uint8_t aux[] = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06,
                                0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
  cat(buf, &n, kCertDer, sizeof kCertDer);
  cat(buf, &n, aux, sizeof aux);
  sb b = {0};
  pem(&b, "TRUSTED CERTIFICATE", buf, n, 64, "\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_TRUSTED_CERT);
  CHECK(der_is(&rr.objs[0], buf, n));
  CHECK_EQ_INT(mtk_pem_sniff_der(&rr.objs[0].der, NULL), MTK_OBJ_CERT);
  run_free(&rr);
  sb_free(&b);
}

/* ---- bare base64 ------------------------------------------------------------------------------- */

TEST(bare_base64) {
  static const char *eols[] = {"\n", "\r\n", " "};
  for (size_t e = 0; e < 3; e++) {
    sb b = {0};
    sb_put(&b, "\n  ");
    b64(&b, kCertDer, sizeof kCertDer, 64, "  ", eols[e]);
    run_result rr;
    run_sb(&rr, &b);
    CHECK_STATUS(rr.s, MTK_OK);
    CHECK_EQ_INT(rr.n, 1);
    CHECK_EQ_INT(rr.objs[0].format, MTK_FMT_BASE64);
    CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_CERT);
    CHECK_EQ_INT(rr.objs[0].offset, 0);
    CHECK_EQ_INT(rr.objs[0].end, b.n);
    CHECK_EQ_INT(rr.objs[0].label.len, 0);
    CHECK(der_is(&rr.objs[0], kCertDer, sizeof kCertDer));
    run_free(&rr);
    sb_free(&b);
  }
  /* A key as bare base64 is sniffed as a key. */
  sb b = {0};
  b64(&b, kFakeKey, sizeof kFakeKey, 0, NULL, "");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_PRIVATE_KEY);
  run_free(&rr);
  sb_free(&b);
}

/* ---- the output buffer and arguments ---------------------------------------------------------- */

TEST(output_buffer) {
  sb b = {0};
  pem(&b, "CERTIFICATE", kCertDer, sizeof kCertDer, 64, "\n");
  pem(&b, "CERTIFICATE REQUEST", kCsrDer, sizeof kCsrDer, 64, "\n");
  uint8_t *buf = malloc(b.n);
  mtk_pem_reader r;
  mtk_pem_reader_init(&r, b.p, b.n);
  mtk_pem_obj o;
  mtk_diag d;
  mtk_diag_init(&d);
  /* One byte short: MTK_ERR_BUFFER, and the reader does not move. */
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof kCertDer - 1, &o, &d), MTK_ERR_BUFFER);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, NULL, 0, &o, &d), MTK_ERR_BUFFER);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof kCertDer, &o, &d), MTK_OK);
  CHECK(der_is(&o, kCertDer, sizeof kCertDer));
  /* Reusing the start of the buffer overwrites the first object. */
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof kCsrDer, &o, &d), MTK_OK);
  CHECK(der_is(&o, kCsrDer, sizeof kCsrDer));
  CHECK(o.der.p == buf);
  CHECK_STATUS(mtk_pem_next(&r, buf, 0, &o, &d), MTK_OK);
  CHECK_EQ_INT(o.kind, MTK_OBJ_NONE);
  /* Bare base64 too. */
  sb b2 = {0};
  b64(&b2, kCertDer, sizeof kCertDer, 64, NULL, "\n");
  mtk_pem_reader_init(&r, b2.p, b2.n);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, buf, 10, &o, &d), MTK_ERR_BUFFER);
  free(buf);
  sb_free(&b);
  sb_free(&b2);
}

TEST(arguments) {
  mtk_pem_reader r;
  mtk_pem_obj o;
  mtk_diag d;
  uint8_t buf[4];
  mtk_pem_reader_init(&r, (const uint8_t *)"x", 1);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof buf, NULL, &d), MTK_ERR_ARG);
  CHECK_STATUS(mtk_pem_next(NULL, buf, sizeof buf, &o, NULL), MTK_ERR_ARG);
  CHECK_STATUS(mtk_pem_next(&r, NULL, 4, &o, NULL), MTK_ERR_ARG);
  /* Over the cap (never read: the length is checked first). */
  mtk_pem_reader_init(&r, buf, MTK_MAX_INPUT + 1);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof buf, &o, &d), MTK_ERR_INPUT_TOO_LARGE);
  CHECK_EQ_INT(MTK_MAX_INPUT, 64 * 1024 * 1024);
  /* No diag at all is fine. */
  mtk_pem_reader_init(&r, (const uint8_t *)"", 0);
  CHECK_STATUS(mtk_pem_next(&r, buf, sizeof buf, &o, NULL), MTK_ERR_PEM_NOTHING);
}

/* ---- PKCS#7 ------------------------------------------------------------------------------------- */

static const uint8_t kOidSignedData[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                         0xf7, 0x0d, 0x01, 0x07, 0x02};
static const uint8_t kOidData[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                   0xf7, 0x0d, 0x01, 0x07, 0x01};

typedef struct p7_opts {
  const uint8_t *oid;          /* ContentInfo contentType element (default signedData) */
  const char *version_hex;     /* version element (default "02 01 01") */
  const uint8_t *certs;        /* certificates SET contents; NULL: absent */
  size_t certs_len;
  const char *crls_hex;        /* crls SET contents; NULL: absent */
  bool no_signers;             /* omit signerInfos */
  const char *signers_hex;     /* signerInfos SET contents (default empty) */
  const char *extra_sd_hex;    /* appended inside SignedData */
  const char *extra_ci_hex;    /* appended inside ContentInfo */
  const char *digest_hex;      /* digestAlgorithms contents (default empty) */
} p7_opts;

static size_t build_p7(uint8_t *out, const p7_opts *o) {
  uint8_t sd[4096], tmp[4096];
  size_t n = 0, k;
  k = unhex(o->version_hex ? o->version_hex : "02 01 01", tmp);
  cat(sd, &n, tmp, k);
  k = unhex(o->digest_hex ? o->digest_hex : "", tmp);
  k = tlv(tmp, 0x31, tmp, k);
  cat(sd, &n, tmp, k);
  k = tlv(tmp, 0x30, kOidData, sizeof kOidData);
  cat(sd, &n, tmp, k);
  if (o->certs != NULL) {
    k = tlv(tmp, 0xa0, o->certs, o->certs_len);
    cat(sd, &n, tmp, k);
  }
  if (o->crls_hex != NULL) {
    k = unhex(o->crls_hex, tmp);
    k = tlv(tmp, 0xa1, tmp, k);
    cat(sd, &n, tmp, k);
  }
  if (!o->no_signers) {
    k = unhex(o->signers_hex ? o->signers_hex : "", tmp);
    k = tlv(tmp, 0x31, tmp, k);
    cat(sd, &n, tmp, k);
  }
  if (o->extra_sd_hex) {
    k = unhex(o->extra_sd_hex, tmp);
    cat(sd, &n, tmp, k);
  }
  n = tlv(sd, 0x30, sd, n);
  n = tlv(sd, 0xa0, sd, n);
  size_t m = 0;
  const uint8_t *oid = o->oid ? o->oid : kOidSignedData;
  cat(out, &m, oid, 11);
  cat(out, &m, sd, n);
  if (o->extra_ci_hex) {
    k = unhex(o->extra_ci_hex, tmp);
    cat(out, &m, tmp, k);
  }
  return tlv(out, 0x30, out, m);
}

/* collect runs the iterator to its end. */
static mtk_status collect(const uint8_t *der, size_t n, mtk_cbs *certs, size_t *count,
                          mtk_diag *d) {
  mtk_pkcs7_iter it;
  mtk_cbs c;
  mtk_cbs_init(&c, der, n);
  *count = 0;
  mtk_status s = mtk_pkcs7_init(&it, &c, d);
  if (s != MTK_OK) return s;
  for (;;) {
    mtk_cbs cert;
    s = mtk_pkcs7_next_cert(&it, &cert, d);
    if (s != MTK_OK) return s;
    if (cert.len == 0) {
      if (cert.p != NULL) return MTK_ERR_INTERNAL;
      return MTK_OK;
    }
    if (*count < 8) certs[*count] = cert;
    (*count)++;
  }
}

TEST(pkcs7_openssl_p7b) {
  mtk_cbs certs[8];
  size_t count;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(collect(kP7bDer, sizeof kP7bDer, certs, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 1);
  CHECK(mtk_cbs_eq_bytes(&certs[0], kCertDer, sizeof kCertDer));
  CHECK_EQ_INT(certs[0].off, 45);
  CHECK_EQ_INT(d.n_quirks, 0);
  /* The same through PEM "PKCS7", and as DER input. */
  sb b = {0};
  sb_put(&b, "bundle:\n");
  pem(&b, "PKCS7", kP7bDer, sizeof kP7bDer, 64, "\r\n");
  run_result rr;
  run_sb(&rr, &b);
  CHECK_STATUS(rr.s, MTK_OK);
  CHECK_EQ_INT(rr.objs[0].kind, MTK_OBJ_PKCS7);
  CHECK_STATUS(collect(rr.objs[0].der.p, rr.objs[0].der.len, certs, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 1);
  CHECK(mtk_cbs_eq_bytes(&certs[0], kCertDer, sizeof kCertDer));
  run_free(&rr);
  sb_free(&b);
}

TEST(pkcs7_built) {
  uint8_t der[4096], certs[2048];
  size_t n, nc, count;
  mtk_cbs got[8];
  mtk_diag d;
  static const uint8_t a[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  static const uint8_t bb[] = {0x30, 0x03, 0x02, 0x01, 0x02};
  static const uint8_t attr[] = {0xa1, 0x02, 0x05, 0x00}; /* [1] v1AttrCert */

  /* No certificates at all. */
  p7_opts o = {0};
  n = build_p7(der, &o);
  mtk_diag_init(&d);
  CHECK_STATUS(collect(der, n, got, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 0);

  /* An empty certificates SET. */
  o.certs = certs;
  o.certs_len = 0;
  n = build_p7(der, &o);
  CHECK_STATUS(collect(der, n, got, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 0);

  /* Three, in DER order, an attribute certificate skipped, CRLs skipped,
   * a signer present, a digest algorithm present. */
  nc = 0;
  cat(certs, &nc, kCertDer, sizeof kCertDer);
  cat(certs, &nc, a, sizeof a);
  cat(certs, &nc, bb, sizeof bb);
  cat(certs, &nc, attr, sizeof attr);
  /* DER order: 30 03 .. < 30 03 .. 02 < 30 82 ..; a1 last. */
  nc = 0;
  cat(certs, &nc, a, sizeof a);
  cat(certs, &nc, bb, sizeof bb);
  cat(certs, &nc, kCertDer, sizeof kCertDer);
  cat(certs, &nc, attr, sizeof attr);
  o.certs_len = nc;
  o.crls_hex = "30 00 30 02 05 00";
  o.signers_hex = "30 03 02 01 01";
  o.digest_hex = "30 0b 06 09 60 86 48 01 65 03 04 02 01";
  o.version_hex = "02 01 03";
  n = build_p7(der, &o);
  mtk_diag_init(&d);
  CHECK_STATUS(collect(der, n, got, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 3);
  CHECK(mtk_cbs_eq_bytes(&got[0], a, sizeof a));
  CHECK(mtk_cbs_eq_bytes(&got[1], bb, sizeof bb));
  CHECK(mtk_cbs_eq_bytes(&got[2], kCertDer, sizeof kCertDer));
  CHECK_EQ_INT(got[0].p - der, got[0].off);
  CHECK_EQ_INT(d.n_quirks, 0);

  /* Not in DER order: recorded as a quirk at the element, still yielded. */
  nc = 0;
  cat(certs, &nc, bb, sizeof bb);
  cat(certs, &nc, a, sizeof a);
  o.certs_len = nc;
  n = build_p7(der, &o);
  mtk_diag_init(&d);
  CHECK_STATUS(collect(der, n, got, &count, &d), MTK_OK);
  CHECK_EQ_INT(count, 2);
  CHECK_EQ_INT(d.n_quirks, 1);
  CHECK_EQ_INT(d.quirks[0].kind, MTK_QUIRK_SET_NOT_SORTED);
  CHECK_EQ_INT(d.quirks[0].offset, got[1].off);
  CHECK_STR(d.quirks[0].path, "content.certificates[1]");
  CHECK_EQ_INT(d.path_len, 0);
}

TEST(pkcs7_errors) {
  static const uint8_t a[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  static const uint8_t trunc[] = {0x30, 0x03, 0x02, 0x01, 0x01, 0x30, 0x05, 0x02, 0x01};
  static const uint8_t notseq[] = {0x30, 0x03, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00};
  static const uint8_t prim_ctx[] = {0x80, 0x00};
  static const struct {
    const char *name;
    p7_opts o;
    mtk_status want;
    const char *path;
    long at; /* expected offset; -1: not checked */
  } cases[] = {
      {"content type data", {.oid = kOidData}, MTK_ERR_PKCS7, "contentType", 2},
      {"version 0", {.version_hex = "02 01 00"}, MTK_ERR_PKCS7, "content.version", 17},
      {"version 6", {.version_hex = "02 01 06"}, MTK_ERR_PKCS7, "content.version", 17},
      {"version not minimal", {.version_hex = "02 02 00 01"}, MTK_ERR_DER_INTEGER,
       "content.version", 19},
      {"version missing", {.version_hex = "31 00"}, MTK_ERR_DER_TAG, "content.version", 17},
      {"truncated certificate",
       {.certs = trunc, .certs_len = sizeof trunc},
       MTK_ERR_DER_TRUNCATED,
       "content.certificates[1]",
       37 + 5},
      {"certificate not a SEQUENCE",
       {.certs = notseq, .certs_len = sizeof notseq},
       MTK_ERR_DER_TAG,
       "content.certificates[1]",
       37 + 5},
      {"primitive context tag", {.certs = prim_ctx, .certs_len = 2}, MTK_ERR_DER_TAG,
       "content.certificates[0]", 37},
      {"no signerInfos", {.certs = a, .certs_len = sizeof a, .no_signers = true},
       MTK_ERR_DER_TRUNCATED, "content.signerInfos", 42},
      {"trailing in SignedData", {.extra_sd_hex = "05 00"}, MTK_ERR_DER_TRAILING, "content", 37},
      {"trailing in ContentInfo", {.extra_ci_hex = "05 00"}, MTK_ERR_DER_TRAILING, "", 37},
      {"bad digest algorithm", {.digest_hex = "05 00"}, MTK_ERR_DER_TAG,
       "content.digestAlgorithms[0]", 22},
      {"malformed CRL", {.crls_hex = "30 05"}, MTK_ERR_DER_TRUNCATED, "content.crls[0]", 37},
      {"malformed signer", {.signers_hex = "30 80"}, MTK_ERR_DER_INDEFINITE,
       "content.signerInfos[0]", 38},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t der[1024];
    size_t n = build_p7(der, &cases[i].o), count;
    mtk_cbs got[8];
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status s = collect(der, n, got, &count, &d);
    if (s != cases[i].want || strcmp(d.err.path, cases[i].path) != 0 ||
        (cases[i].at >= 0 && d.err.offset != (size_t)cases[i].at))
      fprintf(stderr, "pkcs7 case \"%s\": %s at %zu path \"%s\": %s\n", cases[i].name,
              mtk_status_name(s), d.err.offset, d.err.path, d.err.detail);
    CHECK_STATUS(s, cases[i].want);
    CHECK_STR(d.err.path, cases[i].path);
    if (cases[i].at >= 0) CHECK_EQ_INT(d.err.offset, cases[i].at);
    CHECK_EQ_INT(d.path_len, 0); /* the path stack is put back */
  }
}

TEST(pkcs7_framing_errors) {
  mtk_diag d;
  mtk_pkcs7_iter it;
  mtk_cbs c, cert;
  /* Not a SEQUENCE; truncated; trailing after the ContentInfo. */
  static const uint8_t notseq[] = {0x31, 0x00};
  mtk_cbs_init(&c, notseq, sizeof notseq);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pkcs7_init(&it, &c, &d), MTK_ERR_DER_TAG);
  CHECK_EQ_INT(d.err.offset, 0);
  mtk_cbs_init(&c, kP7bDer, sizeof kP7bDer - 1);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pkcs7_init(&it, &c, &d), MTK_ERR_DER_TRUNCATED);
  uint8_t buf[sizeof kP7bDer + 2];
  memcpy(buf, kP7bDer, sizeof kP7bDer);
  buf[sizeof kP7bDer] = 0x05;
  buf[sizeof kP7bDer + 1] = 0x00;
  mtk_cbs_init(&c, buf, sizeof buf);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pkcs7_init(&it, &c, &d), MTK_ERR_DER_TRAILING);
  CHECK_EQ_INT(d.err.offset, sizeof kP7bDer);
  /* A certificate of the p7b truncated inside: the error names it. */
  memcpy(buf, kP7bDer, sizeof kP7bDer);
  buf[47] = 0x6e; /* cert length 0x16d -> 0x16e */
  mtk_cbs_init(&c, buf, sizeof kP7bDer);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_pkcs7_init(&it, &c, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_STR(d.err.path, "content.certificates[0]");
  CHECK_EQ_INT(d.err.offset, 45);
  char msg[256];
  mtk_error_format(&d.err, msg, sizeof msg);
  CHECK(strncmp(msg, "content.certificates[0]: ", 25) == 0);
  CHECK(strstr(msg, "at offset 0x2d") != NULL);
  /* Arguments, and a zeroed iterator is at its end. */
  CHECK_STATUS(mtk_pkcs7_init(NULL, &c, NULL), MTK_ERR_ARG);
  memset(&it, 0, sizeof it);
  CHECK_STATUS(mtk_pkcs7_next_cert(&it, &cert, NULL), MTK_OK);
  CHECK_EQ_INT(cert.len, 0);
  CHECK_STATUS(mtk_pkcs7_next_cert(&it, NULL, NULL), MTK_ERR_ARG);
}

int main(void) {
  RUN(label_kinds);
  RUN(kind_and_format_names);
  RUN(pem_single_certificate);
  RUN(pem_every_label);
  RUN(pem_bundle_with_text_around);
  RUN(pem_after_openssl_text);
  RUN(pem_layouts);
  RUN(pem_flattened_on_one_line);
  RUN(pem_long_line);
  RUN(pem_empty_label);
  RUN(pem_headers_encrypted);
  RUN(pem_headers_variants);
  RUN(pem_headers_errors);
  RUN(pem_encrypted_labels);
  RUN(pem_base64_errors);
  RUN(pem_base64_canonical_padding_ok);
  RUN(pem_error_in_second_block);
  RUN(pem_framing_errors);
  RUN(pem_error_messages);
  RUN(nothing_found);
  RUN(der_input);
  RUN(der_input_errors);
  RUN(sniff_shapes);
  RUN(trusted_certificate);
  RUN(bare_base64);
  RUN(output_buffer);
  RUN(arguments);
  RUN(pkcs7_openssl_p7b);
  RUN(pkcs7_built);
  RUN(pkcs7_errors);
  RUN(pkcs7_framing_errors);
  return test_summary();
}

/* fuzz_pem.c: the input module on arbitrary bytes. The reader is driven over
 * the whole input with one output buffer of the input's size (each object
 * decoded into the unused tail, as a front keeping a bundle does), and the
 * PKCS#7 iterator over every PKCS7 object and over the input itself.
 *
 * Oracles (abort on violation):
 *   - every view lies inside the input or the output buffer, and the objects
 *     never need more output than the input's size;
 *   - PEM objects come in input order, their labels sit between "-----BEGIN "
 *     and "-----", and an error repeats when asked again (no hidden state);
 *   - the raw DER object is the whole input;
 *   - the PKCS#7 iterator yields SEQUENCE elements inside the ContentInfo,
 *     in order, and stays at its end. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/pem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(const mtk_cbs *v, const uint8_t *base, size_t len) {
  if (v->len == 0) return true;
  return v->p >= base && v->len <= len && (size_t)(v->p - base) <= len - v->len;
}

static void pkcs7(const mtk_cbs *der) {
  mtk_pkcs7_iter it;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_pkcs7_init(&it, der, &d) != MTK_OK) {
    if (d.err.code == MTK_OK || d.path_len != 0) abort();
    char msg[256];
    mtk_error_format(&d.err, msg, sizeof msg);
    return;
  }
  size_t last_end = 0;
  for (;;) {
    mtk_cbs cert;
    if (mtk_pkcs7_next_cert(&it, &cert, &d) != MTK_OK) abort(); /* cannot fail after init */
    if (cert.len == 0) break;
    if (!inside(&cert, der->p, der->len) || cert.p[0] != 0x30) abort();
    if (cert.off != (size_t)(cert.p - der->p) + der->off || cert.off < last_end) abort();
    last_end = cert.off + cert.len;
    /* The element is well framed. */
    mtk_cbs c = cert;
    if (mtk_der_get(&c, MTK_ASN1_SEQUENCE, NULL, NULL) != MTK_OK || c.len != 0) abort();
  }
  mtk_cbs cert;
  if (mtk_pkcs7_next_cert(&it, &cert, NULL) != MTK_OK || cert.len != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *out = malloc(size > 0 ? size : 1);
  if (out == NULL) return 0;
  mtk_pem_reader r;
  mtk_pem_reader_init(&r, data, size);
  mtk_diag d;
  mtk_diag_init(&d);
  size_t used = 0, last_offset = 0, count = 0;
  mtk_status s;
  mtk_pem_obj obj;
  for (;;) {
    s = mtk_pem_next(&r, out + used, size - used, &obj, &d);
    if (s != MTK_OK || obj.kind == MTK_OBJ_NONE) break;
    count++;
    if (obj.der.off != 0 || obj.der.len == 0 || obj.end > size || obj.offset > obj.end) abort();
    if (!inside(&obj.label, data, size) || !inside(&obj.headers, data, size)) abort();
    switch (obj.format) {
      case MTK_FMT_DER:
        if (obj.der.p != data || obj.der.len != size || count != 1) abort();
        break;
      case MTK_FMT_BASE64:
        if (obj.der.p != out + used || count != 1) abort();
        used += obj.der.len;
        break;
      case MTK_FMT_PEM:
        if (obj.der.p != out + used) abort();
        used += obj.der.len;
        if (count > 1 && obj.offset < last_offset) abort();
        last_offset = obj.end;
        if (obj.label.off != obj.offset + 11 || memcmp(data + obj.offset, "-----BEGIN ", 11) != 0)
          abort();
        if (obj.label.off + obj.label.len + 5 > size ||
            memcmp(data + obj.label.off + obj.label.len, "-----", 5) != 0)
          abort();
        if (obj.kind != mtk_pem_label_kind(obj.label.p, obj.label.len)) abort();
        break;
      default:
        abort();
    }
    if (used > size) abort();
    (void)mtk_obj_kind_name(obj.kind);
    (void)mtk_obj_format_name(obj.format);
    bool enc;
    mtk_obj_kind sniffed = mtk_pem_sniff_der(&obj.der, &enc);
    if (obj.kind == MTK_OBJ_PKCS7 || sniffed == MTK_OBJ_PKCS7) pkcs7(&obj.der);
  }
  if (s != MTK_OK) {
    /* An error names itself, and repeats. */
    if (d.err.code != s) abort();
    char msg[256];
    mtk_error_format(&d.err, msg, sizeof msg);
    mtk_diag d2;
    mtk_diag_init(&d2);
    if (mtk_pem_next(&r, out + used, size - used, &obj, &d2) != s || d2.err.offset != d.err.offset)
      abort();
  } else {
    /* The end repeats too. */
    if (mtk_pem_next(&r, out, size, &obj, NULL) != MTK_OK || obj.kind != MTK_OBJ_NONE) abort();
  }
  /* The input itself as a ContentInfo. */
  mtk_cbs c;
  mtk_cbs_init(&c, data, size);
  pkcs7(&c);
  free(out);
  return 0;
}

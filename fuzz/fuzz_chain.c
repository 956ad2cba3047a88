/* fuzz_chain.c: mtk_verify_chain_profile (lib/verify) on arbitrary chains,
 * the call the mTLS proxy makes on every handshake's chain. Input: one
 * flags byte, then certificates as u16-length-prefixed DER (at most 40,
 * over MTK_VERIFY_MAX_PATH on purpose). Flags: bit 0-1 purpose, bit 2 the
 * webpki profile, bit 3 an expected DNS name, bit 4 an expected URI. The
 * call must return MTK_OK with a verdict (never crash, hang or leak), and
 * a valid result must carry one complete path of n certificates. */
#include <stdlib.h>
#include <string.h>

#include "mtlskit/der.h"
#include "mtlskit/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mtk_verify_result res; /* large: static, one thread */
  mtk_cbs in, chain[40];
  size_t n = 0;
  uint8_t flags = 0;
  mtk_cbs_init(&in, data, size);
  if (!mtk_cbs_get_u8(&in, &flags)) return 0;
  while (n < sizeof chain / sizeof chain[0] && mtk_cbs_get_u16_prefixed(&in, &chain[n])) n++;
  if (n == 0) return 0;
  mtk_verify_opts o;
  mtk_verify_opts_init(&o, (mtk_time)1797292800); /* 2026-12-15: inside the seeds' validity */
  o.purpose = (mtk_purpose)(flags & 3u) == MTK_PURPOSE_CLIENT ? MTK_PURPOSE_CLIENT
              : (flags & 3u) == MTK_PURPOSE_SERVER          ? MTK_PURPOSE_SERVER
                                                            : MTK_PURPOSE_ANY;
  o.profile = (flags & 4u) ? MTK_VERIFY_WEBPKI : MTK_VERIFY_RFC5280;
  mtk_verify_name names[2];
  size_t nn = 0;
  if (flags & 8u) names[nn++] = (mtk_verify_name){MTK_NAME_DNS, "localhost", 9};
  if (flags & 16u)
    names[nn++] = (mtk_verify_name){MTK_NAME_URI, "spiffe://example.org/ns/prod/sa/web", 35};
  o.names = nn > 0 ? names : NULL;
  o.n_names = nn;
  mtk_status st = mtk_verify_chain_profile(chain, n, &o, &res);
  if (st != MTK_OK) abort(); /* the arguments are always well-formed here */
  if (res.valid && (res.n_paths != 1 || res.paths[0].n_elems != n || !res.paths[0].valid))
    abort();
  if (!res.valid && res.code == MTK_OK) abort();
  return 0;
}

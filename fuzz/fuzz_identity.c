/* fuzz_identity.c: libFuzzer target for lib/identity.c and lib/authz.c.
 *
 * Input: byte 0 selects the reference kind (bits 0-1: dns, ip, srv, uri)
 * and the flags (bit 2 MTK_ID_RFC6125, bit 3 MTK_ID_NO_WILDCARDS); byte 1
 * is the length of the reference text that follows; the rest is a presented
 * name (the bytes of a SAN entry).
 *
 * Oracles (any failure aborts):
 *  - every matcher's boolean agrees with its reason (mtk_id_reason_is_match);
 *  - a parsed DNS reference is a valid name and matches itself; a strict
 *    match is also a legacy match, and a match with wildcards off is also a
 *    match with them on; a match of a presented name without '*' is a
 *    case-insensitive equality;
 *  - IP text round trip: mtk_ip_parse, mtk_str_ip, mtk_ip_parse again gives
 *    the same octets, for the reference and for the presented bytes;
 *  - a parsed SRV or URI reference matches the SAN value rebuilt from it;
 *  - SPIFFE: a valid pattern without '*' matches a valid ID exactly when the
 *    two are equal;
 *  - the whole matcher agrees with the low-level function: the presented
 *    bytes are wrapped as the one SAN entry of a certificate view (dNSName,
 *    iPAddress, SRVName or URI, as the reference kind), and
 *    mtk_identity_match (with its cheap pre-filter) must give the same
 *    verdict and reason, on the fast path and with the report;
 *  - the reference text as an access rule is parsed and freed cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/authz.h"
#include "mtlskit/buf.h"
#include "mtlskit/identity.h"
#include "mtlskit/str.h"
#include "mtlskit/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t lower(uint8_t c) { return (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c); }

static int ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  if (an != bn) return 0;
  for (size_t i = 0; i < an; i++)
    if (lower(a[i]) != lower(b[i])) return 0;
  return 1;
}

static void check(int cond) {
  if (!cond) abort();
}

/* put_len writes a DER length; returns the octets written. */
static size_t put_len(uint8_t *o, size_t len) {
  if (len < 0x80) {
    o[0] = (uint8_t)len;
    return 1;
  }
  if (len < 0x100) {
    o[0] = 0x81;
    o[1] = (uint8_t)len;
    return 2;
  }
  o[0] = 0x82;
  o[1] = (uint8_t)(len >> 8);
  o[2] = (uint8_t)len;
  return 3;
}

/* whole_matcher: |p| as the single SAN entry of a certificate view, through
 * mtk_identity_match, against the low-level verdict |want| / |want_why|. */
static void whole_matcher(const mtk_ref *ref, const uint8_t *p, size_t n, unsigned flags,
                          bool want, mtk_id_reason want_why) {
  static uint8_t san[1200];
  static const uint8_t srv_oid[] = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07};
  uint8_t gn[1100];
  size_t g = 0;
  if (n > 1000) return;
  if (ref->kind == MTK_REF_SRV) {
    uint8_t ia5[1010], ex[1020];
    size_t i = 0, e = 0;
    ia5[i++] = 0x16;
    i += put_len(ia5 + i, n);
    memcpy(ia5 + i, p, n);
    i += n;
    ex[e++] = 0xa0;
    e += put_len(ex + e, i);
    memcpy(ex + e, ia5, i);
    e += i;
    gn[g++] = 0xa0;
    g += put_len(gn + g, sizeof srv_oid + e);
    memcpy(gn + g, srv_oid, sizeof srv_oid);
    g += sizeof srv_oid;
    memcpy(gn + g, ex, e);
    g += e;
  } else {
    gn[g++] = ref->kind == MTK_REF_DNS ? 0x82 : ref->kind == MTK_REF_IP ? 0x87 : 0x86;
    g += put_len(gn + g, n);
    memcpy(gn + g, p, n);
    g += n;
  }
  size_t k = 0;
  san[k++] = 0x30;
  k += put_len(san + k, g);
  memcpy(san + k, gn, g);
  k += g;
  mtk_cert *cert = calloc(1, sizeof *cert);
  mtk_match_result *res = malloc(sizeof *res);
  if (cert == NULL || res == NULL) abort();
  mtk_cbs_init(&cert->exts.known[MTK_XK_SAN].value, san, k);
  cert->exts.known_count[MTK_XK_SAN] = 1;
  check(mtk_identity_match(cert, ref, 1, flags, res) == MTK_OK);
  check(res->matched == want);
  if (want) {
    check(res->match.reason == want_why && res->ref == 0);
  } else {
    check(res->n_items == 1 && res->items[0].reason == want_why);
  }
  check(mtk_identity_match(cert, ref, 1, flags | MTK_ID_VERDICT_ONLY, res) == MTK_OK);
  check(res->matched == want);
  free(cert);
  free(res);
}

static void ip_round_trip(const uint8_t *p, size_t n) {
  uint8_t a[16], b[16];
  size_t al = 0, bl = 0;
  if (!mtk_ip_parse(p, n, a, &al)) return;
  check(al == 4 || al == 16);
  mtk_buf buf;
  mtk_buf_init(&buf, 256);
  (void)mtk_str_ip(&buf, a, al);
  check(mtk_buf_status(&buf) == MTK_OK);
  check(mtk_ip_parse(buf.p, buf.len, b, &bl));
  check(al == bl && memcmp(a, b, al) == 0);
  mtk_buf_free(&buf);
}

static void dns_oracles(const mtk_ref *ref, const uint8_t *p, size_t n, unsigned flags) {
  mtk_id_reason why;
  check(mtk_dns_presented_check(ref->name, ref->name_len, 0, false) == MTK_IDR_NONE);
  check(mtk_dns_match(ref->name, ref->name_len, ref->name, ref->name_len, flags, &why));
  bool m = mtk_dns_match(ref->name, ref->name_len, p, n, flags, &why);
  check(m == mtk_id_reason_is_match(why));
  whole_matcher(ref, p, n, flags, m, why);
  if (!m) return;
  check(mtk_dns_match(ref->name, ref->name_len, p, n, flags | MTK_ID_RFC6125, NULL));
  check(mtk_dns_match(ref->name, ref->name_len, p, n, flags & ~MTK_ID_NO_WILDCARDS, NULL));
  if (memchr(p, '*', n) == NULL) check(ieq(ref->name, ref->name_len, p, n));
  if (!(flags & MTK_ID_RFC6125)) check(why != MTK_IDR_MATCH_PARTIAL);
}

static void rebuilt_matches(const mtk_ref *ref) {
  uint8_t v[MTK_REF_SERVICE_MAX + MTK_DNS_NAME_MAX + 8];
  size_t n = 0;
  mtk_id_reason why;
  if (ref->kind == MTK_REF_SRV) {
    v[n++] = '_';
    memcpy(v + n, ref->service, ref->service_len);
    n += ref->service_len;
    v[n++] = '.';
    memcpy(v + n, ref->name, ref->name_len);
    n += ref->name_len;
    check(mtk_srv_match(ref, v, n, 0, &why) && why == MTK_IDR_MATCH);
  } else if (ref->kind == MTK_REF_URI) {
    memcpy(v + n, ref->service, ref->service_len);
    n += ref->service_len;
    memcpy(v + n, "://", 3);
    n += 3;
    memcpy(v + n, ref->name, ref->name_len);
    n += ref->name_len;
    v[n++] = '/';
    check(mtk_uri_match(ref, v, n, 0, &why) && why == MTK_IDR_MATCH);
  }
}

static void spiffe_oracle(const uint8_t *pat, size_t pn, const uint8_t *id, size_t idn) {
  if (mtk_spiffe_id_check(pat, pn, true, NULL) != NULL) return;
  if (mtk_spiffe_id_check(id, idn, false, NULL) != NULL) return;
  bool m = mtk_spiffe_match(pat, pn, id, idn);
  if (memchr(pat, '*', pn) == NULL) check(m == (pn == idn && memcmp(pat, id, pn) == 0));
  check(mtk_spiffe_match(id, idn, id, idn));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  unsigned sel = data[0];
  size_t rl = data[1];
  const uint8_t *rest = data + 2;
  size_t left = size - 2;
  if (rl > left) rl = left;
  const char *text = (const char *)rest;
  const uint8_t *p = rest + rl;
  size_t n = left - rl;
  unsigned flags = ((sel & 4u) ? MTK_ID_RFC6125 : 0u) | ((sel & 8u) ? MTK_ID_NO_WILDCARDS : 0u);

  mtk_ref ref;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_id_reason why;
  mtk_status s;
  switch (sel & 3u) {
    case 0:
      s = mtk_ref_parse_dns(text, rl, &ref, &d);
      if (s == MTK_OK) dns_oracles(&ref, p, n, flags);
      break;
    case 1:
      s = mtk_ref_parse_ip(text, rl, &ref, &d);
      if (s == MTK_OK) {
        ip_round_trip(rest, rl);
        bool m = mtk_ip_match(ref.ip, ref.ip_len, p, n, &why);
        check(m == mtk_id_reason_is_match(why));
        whole_matcher(&ref, p, n, flags, m, why);
        check(mtk_ip_match(ref.ip, ref.ip_len, ref.ip, ref.ip_len, NULL));
      }
      break;
    case 2:
      s = mtk_ref_parse_srv(text, rl, &ref, &d);
      if (s == MTK_OK) {
        bool m = mtk_srv_match(&ref, p, n, flags, &why);
        check(m == mtk_id_reason_is_match(why));
        whole_matcher(&ref, p, n, flags, m, why);
        rebuilt_matches(&ref);
      }
      break;
    default:
      s = mtk_ref_parse_uri(text, rl, &ref, &d);
      if (s == MTK_OK) {
        bool m = mtk_uri_match(&ref, p, n, flags, &why);
        check(m == mtk_id_reason_is_match(why));
        whole_matcher(&ref, p, n, flags, m, why);
        rebuilt_matches(&ref);
      }
      break;
  }
  check(s == MTK_OK || d.err.code == s);
  if (s == MTK_OK) check(ref.name_len <= MTK_DNS_NAME_MAX && ref.service_len <= MTK_REF_SERVICE_MAX);

  /* The presented bytes through every parser. */
  (void)mtk_dns_presented_check(p, n, flags, true);
  mtk_uri_parts u;
  mtk_id_reason ur = mtk_uri_split(p, n, &u);
  if (ur == MTK_IDR_NONE) check(u.host >= p && u.host + u.host_len <= p + n && u.host_len > 0);
  ip_round_trip(p, n);
  spiffe_oracle(rest, rl, p, n);

  /* The reference text as an access rule. */
  mtk_authz *az;
  if (mtk_authz_new(&az) == MTK_OK) {
    mtk_diag ad;
    mtk_diag_init(&ad);
    if (mtk_authz_add(az, text, rl, &ad) == MTK_OK) check(mtk_authz_rule(az, 0) != NULL);
    mtk_authz_free(az);
  }
  return 0;
}

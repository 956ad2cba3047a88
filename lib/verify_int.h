/* verify_int.h: what lib/verify.c (path building, OpenSSL), verify_check.c
 * (the profile) and verify_nc.c (name constraints, names) share. */
#ifndef MTK_VERIFY_INT_H
#define MTK_VERIFY_INT_H

#include <openssl/x509.h>

#include "mtlskit/verify.h"
#include "mtlskit/x509.h"

/* One certificate as the verifier sees it. */
typedef struct vcert {
  const uint8_t *der;
  size_t len;
  uint8_t *own;           /* the store's copy of der, or NULL */
  mtk_cert c;             /* valid when ok */
  X509 *x;                /* valid when ok */
  bool ok;                /* both parsers accepted it */
  mtk_error err;          /* the parse error otherwise */
  uint32_t quirks;        /* bit k set: quirk kind k was met in the parse */
  mtk_cert_origin origin;
  size_t index;
  bool self_issued;       /* issuer and subject names equal (X509_NAME_cmp) */
  int self_signed;        /* -1 not computed yet, else 0/1 (verifies itself) */
  char subject[MTK_VERIFY_SUBJECT_MAX];
} vcert;

struct mtk_trust {
  vcert **anchors;
  size_t n_anchors, cap_anchors;
  vcert **inters;
  size_t n_inters, cap_inters;
  X509_STORE *store;      /* no certificates: carries the callbacks */
};

/* The state of one mtk_verify call. */
typedef struct vctx {
  const mtk_trust *t;
  const mtk_verify_opts *o;
  mtk_verify_result *res;
  vcert *leaf;
  vcert **untrusted;
  size_t n_untrusted;
  STACK_OF(X509_CRL) *crls;
  /* the reason the leaf fails the name check, computed once */
  bool name_bad;
  mtk_status name_code;
  char name_msg[MTK_VERIFY_MSG_MAX];
  /* CRLs that break the profile: their issuer names and why */
  size_t n_bad_crls;
  X509_NAME *bad_crl_issuer[8];
  char bad_crl_msg[8][160];
} vctx;

/* A path under evaluation, leaf first. */
typedef struct vpath {
  vcert *c[MTK_VERIFY_MAX_PATH];
  size_t n;
  mtk_verify_path *out;   /* where reasons go */
} vpath;

/* vreason appends a reason to |p| unless one with the same code and depth
 * is there already. */
void vreason(vpath *p, mtk_status code, int depth, const char *fmt, ...) MTK_PRINTF(4, 5);
bool vreason_has(const vpath *p, mtk_status code, int depth);

/* vlabel writes "leaf (CN)" / "certificate 2 (CN)" for depth |i| of |p|. */
void vlabel(char *buf, size_t cap, const vpath *p, size_t i);

bool vcert_self_signed(vcert *vc);
bool vcert_has_quirk(const vcert *vc, mtk_quirk_kind k);

/* verify_check.c: the profile and per-path checks (no OpenSSL errors). */
void vcheck_path(vctx *v, vpath *p);
/* verify_check.c: CRL profile checks (CRL number), filling v->bad_crl_*. */
void vcheck_crls(vctx *v);

/* verify_nc.c: name constraints over the path. */
void vnc_path(vctx *v, vpath *p);
/* verify_nc.c: the expected names against the leaf; sets v->name_*.
 * MTK_ERR_ARG for a malformed expected name. */
mtk_status vnames_check(vctx *v);
/* verify_nc.c: a SAN dNSName in preferred name syntax, a wildcard allowed
 * as the whole first label. */
bool vdns_syntax_ok(const uint8_t *p, size_t len, bool allow_wildcard);
bool vemail_syntax_ok(const uint8_t *p, size_t len);

#endif

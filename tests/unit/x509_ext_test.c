/* x509_ext_test.c: GeneralName and the typed extension decoders
 * (lib/x509_ext.c). Extension values are built by hand with a tiny DER writer
 * below; every negative case asserts the exact error code, and a few the
 * error path and offset. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mtlskit/x509.h"
#include "test.h"

/* ---- a tiny DER writer ------------------------------------------------------ */

typedef struct w {
  uint8_t b[4096];
  size_t n;
  size_t stack[16];
  int sp;
} w;

static void w_init(w *x) { memset(x, 0, sizeof(*x)); }

static void w_raw(w *x, const void *p, size_t n) {
  if (n == 0 || x->n + n > sizeof(x->b)) return;
  memcpy(x->b + x->n, p, n);
  x->n += n;
}

static void w_byte(w *x, uint8_t v) { w_raw(x, &v, 1); }

static void w_u16(w *x, size_t v) {
  w_byte(x, (uint8_t)(v >> 8));
  w_byte(x, (uint8_t)v);
}

/* w_open starts a constructed element with identifier octet |tag|; the
 * length is written by w_close in its minimal form. */
static void w_open(w *x, uint8_t tag) {
  w_byte(x, tag);
  x->stack[x->sp++] = x->n;
  w_raw(x, "\0\0\0", 3);
}

static void w_close(w *x) {
  size_t start = x->stack[--x->sp];
  size_t len = x->n - start - 3;
  uint8_t hdr[3];
  size_t h;
  if (len < 0x80) {
    hdr[0] = (uint8_t)len;
    h = 1;
  } else if (len < 0x100) {
    hdr[0] = 0x81;
    hdr[1] = (uint8_t)len;
    h = 2;
  } else {
    hdr[0] = 0x82;
    hdr[1] = (uint8_t)(len >> 8);
    hdr[2] = (uint8_t)len;
    h = 3;
  }
  memmove(x->b + start + h, x->b + start + 3, len);
  memcpy(x->b + start, hdr, h);
  x->n -= 3 - h;
}

/* w_prim writes a whole element |tag| with contents |p|. */
static void w_prim(w *x, uint8_t tag, const void *p, size_t n) {
  w_open(x, tag);
  w_raw(x, p, n);
  w_close(x);
}

static void w_str(w *x, uint8_t tag, const char *s) { w_prim(x, tag, s, strlen(s)); }

#define SEQ 0x30
#define SET 0x31
#define OID 0x06
#define INT 0x02
#define BOOL 0x01
#define OCTETS 0x04
#define BITS 0x03
#define NUL 0x05
#define IA5 0x16
#define UTF8 0x0c
#define VIS 0x1a
#define BMP 0x1e
#define PRINTABLE 0x13
#define CTX(n) ((uint8_t)(0x80 | (n)))
#define CTXC(n) ((uint8_t)(0xa0 | (n)))

/* OID contents */
static const uint8_t OID_SRV[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07};
static const uint8_t OID_SMTP[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x09};
static const uint8_t OID_UPN[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03};
static const uint8_t OID_SERVER_AUTH[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
static const uint8_t OID_CLIENT_AUTH[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
static const uint8_t OID_OCSP[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01};
static const uint8_t OID_CA_ISSUERS[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};
static const uint8_t OID_CA_REPO[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x05};
static const uint8_t OID_CPS[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01};
static const uint8_t OID_UNOTICE[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02};
static const uint8_t OID_ANY_POLICY[] = {0x55, 0x1d, 0x20, 0x00};
static const uint8_t OID_CABF_DV[] = {0x67, 0x81, 0x0c, 0x01, 0x02, 0x01};
static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};
static const uint8_t OID_O[] = {0x55, 0x04, 0x0a};
static const uint8_t OID_PRIVATE[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0x80, 0x01};

static void w_oid(w *x, const uint8_t *p, size_t n) { w_prim(x, OID, p, n); }
#define W_OID(x, o) w_oid((x), (o), sizeof(o))

/* A Name with one RDN: CN=|cn|. */
static void w_name_cn(w *x, const char *cn) {
  w_open(x, SEQ);
  w_open(x, SET);
  w_open(x, SEQ);
  W_OID(x, OID_CN);
  w_str(x, UTF8, cn);
  w_close(x);
  w_close(x);
  w_close(x);
}

/* run mtk_ext_check on |x| as the value of extension |id|. */
static mtk_status check(mtk_oid_id id, const w *x, mtk_diag *d) {
  mtk_ext e;
  memset(&e, 0, sizeof(e));
  e.id = id;
  mtk_cbs_init(&e.value, x->b, x->n);
  mtk_diag_init(d);
  return mtk_ext_check(&e, d);
}

static mtk_cbs cbs_of(const w *x) {
  mtk_cbs c;
  mtk_cbs_init(&c, x->b, x->n);
  return c;
}

static bool cbs_is(const mtk_cbs *c, const void *p, size_t n) { return mtk_cbs_eq_bytes(c, p, n); }
#define CBS_IS_STR(c, s) cbs_is((c), (s), strlen(s))

static bool has_quirk(const mtk_diag *d, mtk_quirk_kind k, const char *path) {
  for (size_t i = 0; i < d->n_quirks; i++)
    if (d->quirks[i].kind == k && (path == NULL || strcmp(d->quirks[i].path, path) == 0))
      return true;
  return false;
}

/* ---- GeneralName / SAN ------------------------------------------------------------- */

static void w_othername(w *x, const uint8_t *oid, size_t oid_len, uint8_t vtag, const char *v) {
  w_open(x, CTXC(0));
  w_oid(x, oid, oid_len);
  w_open(x, CTXC(0));
  w_str(x, vtag, v);
  w_close(x);
  w_close(x);
}

TEST(san_every_choice) {
  static const uint8_t ip4[] = {192, 0, 2, 1};
  static const uint8_t ip6[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_othername(&x, OID_SRV, sizeof OID_SRV, IA5, "_imap.example.com");
  w_othername(&x, OID_UPN, sizeof OID_UPN, UTF8, "user@example.com");
  w_othername(&x, OID_SMTP, sizeof OID_SMTP, UTF8, "\xe4\xbd\xa0@example.com");
  w_str(&x, CTX(1), "user@example.com");
  w_str(&x, CTX(2), "www.example.com");
  w_open(&x, CTXC(3)); /* x400Address: ORAddress contents, kept opaque */
  w_open(&x, SEQ);
  w_str(&x, PRINTABLE, "x");
  w_close(&x);
  w_close(&x);
  w_open(&x, CTXC(4));
  w_name_cn(&x, "Dir");
  w_close(&x);
  w_open(&x, CTXC(5));
  w_open(&x, CTXC(0));
  w_str(&x, UTF8, "assigner");
  w_close(&x);
  w_open(&x, CTXC(1));
  w_str(&x, PRINTABLE, "party");
  w_close(&x);
  w_close(&x);
  w_str(&x, CTX(6), "https://example.com/x");
  w_prim(&x, CTX(7), ip4, sizeof ip4);
  w_prim(&x, CTX(7), ip6, sizeof ip6);
  w_prim(&x, CTX(8), OID_PRIVATE, sizeof OID_PRIVATE);
  w_close(&x);

  mtk_diag d;
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_STR(d.path, "");
  CHECK_STATUS(check(MTK_OID_EXT_IAN, &x, &d), MTK_OK);

  mtk_cbs v = cbs_of(&x);
  mtk_gn_iter it;
  mtk_gn gn;
  CHECK(mtk_gn_iter_init_ext(&it, &v));
  static const mtk_gn_type want[] = {MTK_GN_OTHER, MTK_GN_OTHER,   MTK_GN_OTHER, MTK_GN_EMAIL,
                                     MTK_GN_DNS,   MTK_GN_X400,    MTK_GN_DIRNAME,
                                     MTK_GN_EDIPARTY, MTK_GN_URI,  MTK_GN_IP,    MTK_GN_IP,
                                     MTK_GN_RID};
  size_t n = 0;
  while (mtk_gn_next(&it, &gn)) {
    if (n < sizeof want / sizeof want[0]) CHECK_EQ_INT(gn.type, want[n]);
    switch (n) {
      case 0:
        CHECK_EQ_INT(gn.other_id, MTK_OID_ON_SRVNAME);
        CHECK(cbs_is(&gn.other_oid, OID_SRV, sizeof OID_SRV));
        CHECK(CBS_IS_STR(&gn.value, "_imap.example.com"));
        CHECK_EQ_INT(gn.other_value.len, 2 + strlen("_imap.example.com"));
        CHECK_EQ_INT(gn.other_value.p[0], IA5);
        break;
      case 1:
        CHECK_EQ_INT(gn.other_id, MTK_OID_ON_UPN);
        CHECK_EQ_INT(gn.other_value.p[0], UTF8);
        CHECK(CBS_IS_STR(&gn.value, "user@example.com"));
        break;
      case 2:
        CHECK_EQ_INT(gn.other_id, MTK_OID_ON_SMTP_UTF8_MAILBOX);
        break;
      case 3:
        CHECK(CBS_IS_STR(&gn.value, "user@example.com"));
        break;
      case 4:
        CHECK(CBS_IS_STR(&gn.value, "www.example.com"));
        CHECK_EQ_INT(gn.offset, gn.elem.off);
        break;
      case 6: {
        CHECK_EQ_INT(gn.name.n_rdns, 1);
        CHECK_EQ_INT(gn.name.n_attrs, 1);
        mtk_name_iter ni;
        mtk_attr a;
        mtk_name_iter_init(&ni, &gn.name);
        CHECK(mtk_name_next(&ni, &a));
        CHECK_EQ_INT(a.id, MTK_OID_AT_CN);
        CHECK(CBS_IS_STR(&a.value, "Dir"));
        break;
      }
      case 8:
        CHECK(CBS_IS_STR(&gn.value, "https://example.com/x"));
        break;
      case 9:
        CHECK(cbs_is(&gn.value, ip4, sizeof ip4));
        break;
      case 10:
        CHECK(cbs_is(&gn.value, ip6, sizeof ip6));
        break;
      case 11:
        CHECK(cbs_is(&gn.value, OID_PRIVATE, sizeof OID_PRIVATE));
        break;
      default:
        break;
    }
    n++;
  }
  CHECK_EQ_INT(n, 12);
  CHECK_EQ_INT(it.rest.len, 0);
}

TEST(san_empty_is_error) {
  /* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
  w x;
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  mtk_diag d;
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "subjectAltName");
  CHECK_EQ_INT(d.err.offset, 0);
  CHECK_STR(d.path, ""); /* restored */
}

TEST(san_wrong_choice) {
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "a.example");
  w_str(&x, CTX(9), "nope"); /* offset 2 + 11 = 13 */
  w_close(&x);
  mtk_diag d;
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "subjectAltName[1]");
  CHECK_EQ_INT(d.err.offset, 13);

  /* A universal tag is not a choice either. */
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, IA5, "a.example");
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "subjectAltName[0]");
}

TEST(san_wrong_form) {
  mtk_diag d;
  w x;
  /* dNSName constructed */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(2));
  w_str(&x, IA5, "a");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "subjectAltName[0].dNSName");
  CHECK_EQ_INT(d.err.offset, 2);
  /* directoryName primitive */
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(4), "CN=x");
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "subjectAltName[0].directoryName");
  /* otherName primitive */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(0), OID_SRV, sizeof OID_SRV);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  /* iPAddress constructed */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(7));
  w_prim(&x, OCTETS, "\x01\x02\x03\x04", 4);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "subjectAltName[0].iPAddress");
}

TEST(san_ia5_high_octet_is_quirk) {
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "ok.example");
  w_str(&x, CTX(2), "caf\xe9.example");
  w_str(&x, CTX(2), ""); /* empty dNSName: decoded, the linter flags it */
  w_close(&x);
  mtk_diag d;
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 1);
  CHECK(has_quirk(&d, MTK_QUIRK_IA5_CHARSET, "subjectAltName[1].dNSName"));
  CHECK_EQ_INT(d.quirks[0].offset, 2 + 12 + 2 + 3);
}

TEST(san_othername_malformed) {
  mtk_diag d;
  w x;
  /* value not wrapped in [0] EXPLICIT */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  W_OID(&x, OID_SRV);
  w_str(&x, IA5, "_x.example");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TAG);
  CHECK_STR(d.err.path, "subjectAltName[0].otherName.value");
  /* two elements inside the explicit tag */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  W_OID(&x, OID_UPN);
  w_open(&x, CTXC(0));
  w_str(&x, UTF8, "a");
  w_str(&x, UTF8, "b");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TRAILING);
  /* no type-id */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, CTXC(0));
  w_str(&x, UTF8, "a");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TAG);
}

TEST(san_other_malformed) {
  mtk_diag d;
  w x;
  /* registeredID with a non-minimal arc */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(8), "\x2b\x80\x01", 3);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_OID);
  CHECK_STR(d.err.path, "subjectAltName[0].registeredID");
  /* directoryName with trailing data after the Name */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(4));
  w_name_cn(&x, "a");
  w_prim(&x, NUL, NULL, 0);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TRAILING);
  /* directoryName with an empty RDN */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(4));
  w_open(&x, SEQ);
  w_prim(&x, SET, NULL, 0);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_NAME);
  /* ediPartyName without partyName, and with a non-DirectoryString */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(5));
  w_open(&x, CTXC(0));
  w_str(&x, UTF8, "a");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_STR(d.err.path, "subjectAltName[0].ediPartyName.partyName");
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(5));
  w_open(&x, CTXC(1));
  w_str(&x, IA5, "a");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_X509_GENERALNAME);
  /* trailing data after the GeneralNames SEQUENCE */
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "a");
  w_close(&x);
  w_byte(&x, 0);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TRAILING);
  CHECK_EQ_INT(d.err.offset, 5);
  /* not a SEQUENCE */
  w_init(&x);
  w_str(&x, CTX(2), "a");
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TAG);
  /* truncated element */
  static const uint8_t trunc[] = {0x30, 0x05, 0x82, 0x05, 'a', 'b', 'c'};
  w_init(&x);
  w_raw(&x, trunc, sizeof trunc);
  CHECK_STATUS(check(MTK_OID_EXT_SAN, &x, &d), MTK_ERR_DER_TRUNCATED);
}

TEST(gn_parse_direct) {
  /* An IP of 8 octets in a name constraint is decoded as is. */
  static const uint8_t ipnet[] = {10, 0, 0, 0, 255, 0, 0, 0};
  w x;
  w_init(&x);
  w_prim(&x, CTX(7), ipnet, sizeof ipnet);
  w_str(&x, CTX(2), "next");
  mtk_cbs c = cbs_of(&x);
  mtk_gn gn;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_gn_parse(&c, true, &gn, &d), MTK_OK);
  CHECK_EQ_INT(gn.type, MTK_GN_IP);
  CHECK_EQ_INT(gn.value.len, 8);
  CHECK_EQ_INT(c.len, 6); /* advanced over exactly one element */
  CHECK_STATUS(mtk_gn_parse(&c, false, &gn, NULL), MTK_OK);
  CHECK_EQ_INT(gn.type, MTK_GN_DNS);
  CHECK_EQ_INT(gn.offset, 10);
  CHECK_EQ_INT(c.len, 0);
  /* a failure leaves the cursor where it was */
  mtk_cbs bad;
  static const uint8_t b[] = {0x89, 0x00};
  mtk_cbs_init(&bad, b, sizeof b);
  CHECK_STATUS(mtk_gn_parse(&bad, false, &gn, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_EQ_INT(bad.len, 2);
  CHECK_STR(d.path, "");
}

TEST(gn_type_names) {
  CHECK_STR(mtk_gn_type_name(MTK_GN_DNS), "DNS");
  CHECK_STR(mtk_gn_type_name(MTK_GN_IP), "IP");
  CHECK_STR(mtk_gn_type_name(MTK_GN_URI), "URI");
  CHECK_STR(mtk_gn_type_name(MTK_GN_EMAIL), "email");
  CHECK_STR(mtk_gn_type_name(MTK_GN_DIRNAME), "dirName");
  CHECK_STR(mtk_gn_type_name(MTK_GN_OTHER), "otherName");
  CHECK_STR(mtk_gn_type_name(MTK_GN_RID), "RID");
  CHECK_STR(mtk_gn_type_name((mtk_gn_type)42), "unknown");
}

/* ---- BasicConstraints, KeyUsage ------------------------------------------------------- */

TEST(basic_constraints) {
  mtk_diag d;
  mtk_basic_constraints bc;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, BOOL, "\xff", 1);
  w_prim(&x, INT, "\x03", 1);
  w_close(&x);
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_STATUS(mtk_ext_basic_constraints(&v, &bc, NULL), MTK_OK);
  CHECK(bc.ca);
  CHECK(bc.has_pathlen);
  CHECK_EQ_INT(bc.pathlen, 3);

  /* empty SEQUENCE: cA FALSE, no path length */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  v = cbs_of(&x);
  CHECK_STATUS(mtk_ext_basic_constraints(&v, &bc, NULL), MTK_OK);
  CHECK(!bc.ca);
  CHECK(!bc.has_pathlen);

  /* cA FALSE encoded: DEFAULT encoded */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, BOOL, "\x00", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 1);
  CHECK(has_quirk(&d, MTK_QUIRK_DEFAULT_ENCODED, "basicConstraints.cA"));
  CHECK_EQ_INT(d.quirks[0].offset, 2);

  /* TRUE as 0x01 */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, BOOL, "\x01", 1);
  w_close(&x);
  v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_OK);
  CHECK(has_quirk(&d, MTK_QUIRK_BOOL_NOT_FF, "basicConstraints.cA"));
  CHECK_STATUS(mtk_ext_basic_constraints(&v, &bc, NULL), MTK_OK);
  CHECK(bc.ca);

  /* negative path length */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, BOOL, "\xff", 1);
  w_prim(&x, INT, "\xff", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_ERR_DER_RANGE);
  CHECK_STR(d.err.path, "basicConstraints.pathLenConstraint");

  /* fields out of order */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, INT, "\x01", 1);
  w_prim(&x, BOOL, "\xff", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_ERR_DER_TRAILING);
  CHECK_STR(d.err.path, "basicConstraints");
  CHECK_EQ_INT(d.err.offset, 5);

  /* BOOLEAN of two octets */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, BOOL, "\xff\xff", 2);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_ERR_DER_BOOLEAN);
  /* padded INTEGER */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, INT, "\x00\x01", 2);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_BC, &x, &d), MTK_ERR_DER_INTEGER);
}

TEST(key_usage) {
  mtk_diag d;
  uint32_t bits;
  w x;
  w_init(&x);
  w_prim(&x, BITS, "\x05\xa0", 2); /* digitalSignature, keyEncipherment */
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_KU, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_STATUS(mtk_ext_key_usage(&v, &bits, NULL), MTK_OK);
  CHECK_EQ_INT(bits, MTK_KU_DIGITAL_SIGNATURE | MTK_KU_KEY_ENCIPHERMENT);

  /* decipherOnly needs a second octet */
  w_init(&x);
  w_prim(&x, BITS, "\x07\x86\x80", 3);
  v = cbs_of(&x);
  CHECK_STATUS(mtk_ext_key_usage(&v, &bits, NULL), MTK_OK);
  CHECK_EQ_INT(bits, MTK_KU_DIGITAL_SIGNATURE | MTK_KU_KEY_CERT_SIGN | MTK_KU_CRL_SIGN |
                         MTK_KU_DECIPHER_ONLY);

  /* trailing zero bits: tolerated, recorded */
  w_init(&x);
  w_prim(&x, BITS, "\x00\x80", 2);
  v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_KU, &x, &d), MTK_OK);
  CHECK(has_quirk(&d, MTK_QUIRK_BITSTRING_TRAILING_ZERO, "keyUsage"));
  CHECK_STATUS(mtk_ext_key_usage(&v, &bits, NULL), MTK_OK);
  CHECK_EQ_INT(bits, MTK_KU_DIGITAL_SIGNATURE);

  /* unused bits not zero */
  w_init(&x);
  w_prim(&x, BITS, "\x05\xa1", 2);
  CHECK_STATUS(check(MTK_OID_EXT_KU, &x, &d), MTK_ERR_DER_BITSTRING);
  /* not a BIT STRING */
  w_init(&x);
  w_prim(&x, OCTETS, "\xa0", 1);
  CHECK_STATUS(check(MTK_OID_EXT_KU, &x, &d), MTK_ERR_DER_TAG);
  CHECK_STR(d.err.path, "keyUsage");
  /* trailing data */
  w_init(&x);
  w_prim(&x, BITS, "\x05\xa0", 2);
  w_prim(&x, NUL, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_KU, &x, &d), MTK_ERR_DER_TRAILING);

  CHECK_STR(mtk_ku_bit_name(0), "digitalSignature");
  CHECK_STR(mtk_ku_bit_name(5), "keyCertSign");
  CHECK_STR(mtk_ku_bit_name(8), "decipherOnly");
  CHECK(mtk_ku_bit_name(9) == NULL);
}

TEST(ns_cert_type) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_prim(&x, BITS, "\x06\x40", 2); /* sslServer */
  CHECK_STATUS(check(MTK_OID_EXT_NS_CERT_TYPE, &x, &d), MTK_OK);
  w_init(&x);
  w_prim(&x, OCTETS, "\x40", 1);
  CHECK_STATUS(check(MTK_OID_EXT_NS_CERT_TYPE, &x, &d), MTK_ERR_DER_TAG);
}

/* ---- EKU, SKI, AKI ------------------------------------------------------------------- */

TEST(eku) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  W_OID(&x, OID_SERVER_AUTH);
  W_OID(&x, OID_CLIENT_AUTH);
  W_OID(&x, OID_PRIVATE);
  w_close(&x);
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_EKU, &x, &d), MTK_OK);
  CHECK(mtk_ext_has_eku(&v, MTK_OID_EKU_SERVER_AUTH));
  CHECK(mtk_ext_has_eku(&v, MTK_OID_EKU_CLIENT_AUTH));
  CHECK(!mtk_ext_has_eku(&v, MTK_OID_EKU_CODE_SIGNING));
  CHECK(!mtk_ext_has_eku(&v, MTK_OID_EKU_ANY));
  mtk_oid_iter it;
  mtk_cbs oid;
  mtk_oid_id id;
  CHECK(mtk_oid_iter_init_ext(&it, &v));
  CHECK(mtk_oid_next(&it, &oid, &id));
  CHECK_EQ_INT(id, MTK_OID_EKU_SERVER_AUTH);
  CHECK(mtk_oid_next(&it, &oid, &id));
  CHECK_EQ_INT(id, MTK_OID_EKU_CLIENT_AUTH);
  CHECK(mtk_oid_next(&it, &oid, &id));
  CHECK_EQ_INT(id, MTK_OID_UNKNOWN);
  CHECK(cbs_is(&oid, OID_PRIVATE, sizeof OID_PRIVATE));
  CHECK(!mtk_oid_next(&it, &oid, &id));

  /* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_EKU, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "extendedKeyUsage");
  w_init(&x);
  w_open(&x, SEQ);
  W_OID(&x, OID_SERVER_AUTH);
  w_prim(&x, OID, "\x2b\x06\x81", 3); /* ends mid-arc */
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_EKU, &x, &d), MTK_ERR_DER_OID);
  CHECK_STR(d.err.path, "extendedKeyUsage[1]");
  CHECK_EQ_INT(d.err.offset, 12 + 2 + 2); /* the last content octet */
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, UTF8, "serverAuth");
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_EKU, &x, &d), MTK_ERR_DER_TAG);
}

TEST(ski) {
  mtk_diag d;
  mtk_cbs keyid;
  w x;
  w_init(&x);
  w_prim(&x, OCTETS, "\x01\x02\x03\x04\x05", 5);
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SKI, &x, &d), MTK_OK);
  CHECK_STATUS(mtk_ext_ski(&v, &keyid, NULL), MTK_OK);
  CHECK(cbs_is(&keyid, "\x01\x02\x03\x04\x05", 5));
  w_init(&x);
  w_prim(&x, BITS, "\x00\x01", 2);
  CHECK_STATUS(check(MTK_OID_EXT_SKI, &x, &d), MTK_ERR_DER_TAG);
  CHECK_STR(d.err.path, "subjectKeyIdentifier");
}

TEST(aki) {
  mtk_diag d;
  mtk_aki a;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(0), "\xaa\xbb\xcc", 3);
  w_open(&x, CTXC(1));
  w_open(&x, CTXC(4));
  w_name_cn(&x, "Root");
  w_close(&x);
  w_close(&x);
  w_prim(&x, CTX(2), "\x00\x80", 2);
  w_close(&x);
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_OK);
  CHECK_STATUS(mtk_ext_aki(&v, &a, NULL), MTK_OK);
  CHECK(a.has_keyid);
  CHECK(cbs_is(&a.keyid, "\xaa\xbb\xcc", 3));
  CHECK(a.has_issuer);
  CHECK(a.has_serial);
  CHECK(cbs_is(&a.serial, "\x00\x80", 2));
  mtk_gn_iter it;
  mtk_gn gn;
  mtk_gn_iter_init(&it, &a.issuer);
  CHECK(mtk_gn_next(&it, &gn));
  CHECK_EQ_INT(gn.type, MTK_GN_DIRNAME);
  CHECK(!mtk_gn_next(&it, &gn));

  /* keyIdentifier only */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(0), "\x01", 1);
  w_close(&x);
  v = cbs_of(&x);
  CHECK_STATUS(mtk_ext_aki(&v, &a, NULL), MTK_OK);
  CHECK(a.has_keyid && !a.has_issuer && !a.has_serial);

  /* empty authorityCertIssuer: GeneralNames SIZE (1..MAX) */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTXC(1), NULL, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "authorityKeyIdentifier.authorityCertIssuer");
  CHECK_EQ_INT(d.err.offset, 2);
  /* keyIdentifier constructed */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_prim(&x, OCTETS, "\x01", 1);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "authorityKeyIdentifier.keyIdentifier");
  /* padded serial */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(2), "\x00\x01", 2);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_ERR_DER_INTEGER);
  CHECK_STR(d.err.path, "authorityKeyIdentifier.authorityCertSerialNumber");
  /* out of order: serial before keyIdentifier */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(2), "\x01", 1);
  w_prim(&x, CTX(0), "\x01", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_ERR_DER_TRAILING);
  /* a bad GeneralName inside the issuer */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(1));
  w_str(&x, CTX(2), "ok");
  w_open(&x, CTXC(6));
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AKI, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "authorityKeyIdentifier.authorityCertIssuer[1].uniformResourceIdentifier");
}

/* ---- CRLDP ------------------------------------------------------------------------ */

TEST(crldp) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  /* [0] fullName URI, reasons keyCompromise|cACompromise, cRLIssuer dirName */
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, CTXC(0));
  w_str(&x, CTX(6), "http://crl.example/ca.crl");
  w_close(&x);
  w_close(&x);
  w_prim(&x, CTX(1), "\x05\x60", 2);
  w_open(&x, CTXC(2));
  w_open(&x, CTXC(4));
  w_name_cn(&x, "CRL Issuer");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  /* [1] nameRelativeToCRLIssuer: a two-valued RDN, in DER order */
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, CTXC(1));
  w_open(&x, SEQ);
  W_OID(&x, OID_CN);
  w_str(&x, UTF8, "dp");
  w_close(&x);
  w_open(&x, SEQ);
  W_OID(&x, OID_O);
  w_str(&x, UTF8, "org");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  /* only a cRLIssuer */
  w_open(&x, SEQ);
  w_open(&x, CTXC(2));
  w_str(&x, CTX(6), "ldap://x");
  w_close(&x);
  w_close(&x);
  w_close(&x);

  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_STATUS(check(MTK_OID_EXT_FRESHEST_CRL, &x, &d), MTK_OK);

  mtk_cbs v = cbs_of(&x);
  mtk_dp_iter it;
  mtk_dp dp;
  mtk_gn gn;
  mtk_gn_iter gi;
  CHECK(mtk_dp_iter_init_ext(&it, &v));
  CHECK(mtk_dp_next(&it, &dp));
  CHECK(dp.has_full_name && !dp.has_relative_name && dp.has_reasons && dp.has_crl_issuer);
  CHECK_EQ_INT(dp.reasons, (1u << 1) | (1u << 2));
  mtk_gn_iter_init(&gi, &dp.full_name);
  CHECK(mtk_gn_next(&gi, &gn));
  CHECK_EQ_INT(gn.type, MTK_GN_URI);
  CHECK(CBS_IS_STR(&gn.value, "http://crl.example/ca.crl"));
  CHECK(!mtk_gn_next(&gi, &gn));
  mtk_gn_iter_init(&gi, &dp.crl_issuer);
  CHECK(mtk_gn_next(&gi, &gn));
  CHECK_EQ_INT(gn.type, MTK_GN_DIRNAME);
  CHECK(mtk_dp_next(&it, &dp));
  CHECK(!dp.has_full_name && dp.has_relative_name && !dp.has_reasons && !dp.has_crl_issuer);
  CHECK_EQ_INT(dp.relative_name.p[0], SEQ);
  CHECK(mtk_dp_next(&it, &dp));
  CHECK(!dp.has_full_name && !dp.has_relative_name && dp.has_crl_issuer);
  CHECK(!mtk_dp_next(&it, &dp));
  CHECK_EQ_INT(it.rest.len, 0);
}

TEST(crldp_negative) {
  mtk_diag d;
  w x;
  /* CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "cRLDistributionPoints");
  /* empty fullName */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_prim(&x, CTXC(0), NULL, 0);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "cRLDistributionPoints[0].distributionPoint.fullName");
  CHECK_EQ_INT(d.err.offset, 6);
  /* DistributionPointName choice [2] */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, CTXC(2));
  w_str(&x, CTX(6), "http://x");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "cRLDistributionPoints[0].distributionPoint");
  /* fullName given IMPLICIT (primitive [0] URI directly, a common mistake) */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_str(&x, CTX(0), "http://x");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "cRLDistributionPoints[0].distributionPoint");
  /* empty RDN */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_prim(&x, CTXC(1), NULL, 0);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_NAME);
  /* reasons with nonzero unused bits, and with trailing zero bits */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_prim(&x, CTX(1), "\x07\x41", 2);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_DER_BITSTRING);
  CHECK_STR(d.err.path, "cRLDistributionPoints[0].reasons");
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_prim(&x, CTX(1), "\x00\x40", 2);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_OK);
  CHECK(has_quirk(&d, MTK_QUIRK_BITSTRING_TRAILING_ZERO, "cRLDistributionPoints[0].reasons"));
  CHECK_EQ_INT(d.quirks[0].offset, 4);
  /* empty cRLIssuer */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_prim(&x, CTXC(2), NULL, 0);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CRLDP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "cRLDistributionPoints[0].cRLIssuer");
}

/* ---- AIA / SIA --------------------------------------------------------------------- */

TEST(info_access) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_OCSP);
  w_str(&x, CTX(6), "http://ocsp.example");
  w_close(&x);
  w_open(&x, SEQ);
  W_OID(&x, OID_CA_ISSUERS);
  w_str(&x, CTX(6), "http://ca.example/ca.der");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AIA, &x, &d), MTK_OK);
  mtk_cbs v = cbs_of(&x);
  mtk_ad_iter it;
  mtk_access_desc ad;
  CHECK(mtk_ad_iter_init_ext(&it, &v));
  CHECK(mtk_ad_next(&it, &ad));
  CHECK_EQ_INT(ad.method_id, MTK_OID_AD_OCSP);
  CHECK_EQ_INT(ad.location.type, MTK_GN_URI);
  CHECK(CBS_IS_STR(&ad.location.value, "http://ocsp.example"));
  CHECK(mtk_ad_next(&it, &ad));
  CHECK_EQ_INT(ad.method_id, MTK_OID_AD_CA_ISSUERS);
  CHECK(!mtk_ad_next(&it, &ad));

  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CA_REPO);
  w_str(&x, CTX(6), "rsync://repo.example/");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SIA, &x, &d), MTK_OK);

  /* empty: SIZE (1..MAX) */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_AIA, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "authorityInfoAccess");
  CHECK_STATUS(check(MTK_OID_EXT_SIA, &x, &d), MTK_ERR_X509_EXTENSION);
  /* missing location */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_OCSP);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AIA, &x, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_STR(d.err.path, "authorityInfoAccess[0].accessLocation");
  /* bad location choice */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_OCSP);
  w_str(&x, IA5, "http://ocsp.example");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AIA, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "authorityInfoAccess[0].accessLocation");
  CHECK_EQ_INT(d.err.offset, 14);
  /* extra element */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_OCSP);
  w_str(&x, CTX(6), "http://a");
  w_str(&x, CTX(6), "http://b");
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_AIA, &x, &d), MTK_ERR_DER_TRAILING);
}

/* ---- CertificatePolicies, PolicyMappings, PolicyConstraints, inhibitAnyPolicy ----- */

/* S("...") passes a literal and its length (BMPString literals hold NULs). */
#define S(lit) (lit), (sizeof(lit) - 1)

static void w_user_notice(w *x, uint8_t org_tag, const char *org, size_t org_len,
                          uint8_t text_tag, const char *text, size_t text_len) {
  w_open(x, SEQ);
  W_OID(x, OID_UNOTICE);
  w_open(x, SEQ);
  if (org != NULL) {
    w_open(x, SEQ);
    w_prim(x, org_tag, org, org_len);
    w_open(x, SEQ);
    w_prim(x, INT, "\x01", 1);
    w_prim(x, INT, "\x00\x80", 2);
    w_close(x);
    w_close(x);
  }
  if (text != NULL) w_prim(x, text_tag, text, text_len);
  w_close(x);
  w_close(x);
}

TEST(certificate_policies) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  /* DV, no qualifiers */
  w_open(&x, SEQ);
  W_OID(&x, OID_CABF_DV);
  w_close(&x);
  /* anyPolicy with CPS, and user notices with each DisplayText type */
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CPS);
  w_str(&x, IA5, "https://cps.example/");
  w_close(&x);
  w_user_notice(&x, IA5, S("Org IA5"), UTF8, S("utf8 text"));
  w_user_notice(&x, VIS, S("Org Visible"), BMP, S("\0B\0M\0P"));
  w_user_notice(&x, UTF8, S("Org UTF8"), VIS, S("visible text"));
  w_user_notice(&x, BMP, S("\0O"), IA5, S("ia5 text"));
  w_user_notice(&x, 0, NULL, 0, UTF8, S("text only"));
  w_user_notice(&x, UTF8, S("ref only"), 0, NULL, 0);
  w_user_notice(&x, 0, NULL, 0, 0, NULL, 0); /* empty UserNotice */
  w_close(&x);
  w_close(&x);
  /* an unknown qualifier is kept */
  w_open(&x, SEQ);
  W_OID(&x, OID_PRIVATE);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_PRIVATE);
  w_prim(&x, INT, "\x07", 1);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);

  mtk_cbs v = cbs_of(&x);
  mtk_policy_iter it;
  mtk_policy p;
  mtk_policy_qualifier q;
  CHECK(mtk_policy_iter_init_ext(&it, &v));
  CHECK(mtk_policy_next(&it, &p));
  CHECK_EQ_INT(p.id, MTK_OID_CABF_DV);
  CHECK(!p.has_qualifiers);
  CHECK(mtk_policy_next(&it, &p));
  CHECK_EQ_INT(p.id, MTK_OID_ANY_POLICY);
  CHECK(p.has_qualifiers);
  mtk_cbs qs = p.qualifiers;
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.id, MTK_OID_QT_CPS);
  CHECK(CBS_IS_STR(&q.cps_uri, "https://cps.example/"));
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.id, MTK_OID_QT_UNOTICE);
  CHECK(q.has_notice_ref && q.has_explicit_text);
  CHECK_EQ_INT(q.notice_org_tag, MTK_ASN1_IA5STRING);
  CHECK(CBS_IS_STR(&q.notice_org, "Org IA5"));
  CHECK_EQ_INT(q.explicit_text_tag, MTK_ASN1_UTF8STRING);
  CHECK(CBS_IS_STR(&q.explicit_text, "utf8 text"));
  CHECK_EQ_INT(q.notice_numbers.len, 7);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.notice_org_tag, MTK_ASN1_VISIBLESTRING);
  CHECK_EQ_INT(q.explicit_text_tag, MTK_ASN1_BMPSTRING);
  CHECK_EQ_INT(q.explicit_text.len, 6);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.notice_org_tag, MTK_ASN1_UTF8STRING);
  CHECK_EQ_INT(q.explicit_text_tag, MTK_ASN1_VISIBLESTRING);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.notice_org_tag, MTK_ASN1_BMPSTRING);
  CHECK_EQ_INT(q.explicit_text_tag, MTK_ASN1_IA5STRING);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK(!q.has_notice_ref && q.has_explicit_text);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK(q.has_notice_ref && !q.has_explicit_text);
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK(!q.has_notice_ref && !q.has_explicit_text);
  CHECK(!mtk_policy_qualifier_next(&qs, &q));
  CHECK(mtk_policy_next(&it, &p));
  CHECK_EQ_INT(p.id, MTK_OID_UNKNOWN);
  qs = p.qualifiers;
  CHECK(mtk_policy_qualifier_next(&qs, &q));
  CHECK_EQ_INT(q.id, MTK_OID_UNKNOWN);
  CHECK_EQ_INT(q.raw.len, 3);
  CHECK(!mtk_policy_next(&it, &p));
}

TEST(certificate_policies_negative) {
  mtk_diag d;
  w x;
  /* certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "certificatePolicies");
  /* policyQualifiers SEQUENCE SIZE (1..MAX) */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_prim(&x, SEQ, NULL, 0);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "certificatePolicies[0].policyQualifiers");
  CHECK_EQ_INT(d.err.offset, 10);
  /* CPS not IA5 */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CPS);
  w_str(&x, UTF8, "https://cps.example/");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "certificatePolicies[0].policyQualifiers[0].qualifier");
  /* explicitText as a PrintableString: not a DisplayText */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_user_notice(&x, 0, NULL, 0, PRINTABLE, S("text"));
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "certificatePolicies[0].policyQualifiers[0].qualifier.explicitText");
  /* organization as a PrintableString */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_user_notice(&x, PRINTABLE, S("org"), 0, NULL, 0);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path,
            "certificatePolicies[0].policyQualifiers[0].qualifier.noticeRef.organization");
  /* UserNotice not a SEQUENCE */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_UNOTICE);
  w_str(&x, UTF8, "text");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_X509_EXTENSION);
  /* qualifier missing */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CPS);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_DER_TRUNCATED);
  /* IA5 > 0x7F in a CPS URI: a quirk */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CPS);
  w_str(&x, IA5, "https://caf\xe9/");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_OK);
  CHECK(has_quirk(&d, MTK_QUIRK_IA5_CHARSET,
                  "certificatePolicies[0].policyQualifiers[0].qualifier"));
  /* noticeNumbers with a bad INTEGER */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_ANY_POLICY);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_UNOTICE);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  w_str(&x, UTF8, "org");
  w_open(&x, SEQ);
  w_prim(&x, INT, NULL, 0);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_CP, &x, &d), MTK_ERR_DER_INTEGER);
  CHECK_STR(d.err.path, "certificatePolicies[0].policyQualifiers[0].qualifier.noticeRef."
                        "noticeNumbers[0]");
}

TEST(policy_mappings) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CABF_DV);
  W_OID(&x, OID_PRIVATE);
  w_close(&x);
  w_open(&x, SEQ);
  W_OID(&x, OID_PRIVATE);
  W_OID(&x, OID_CABF_DV);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PM, &x, &d), MTK_OK);
  mtk_cbs v = cbs_of(&x), rest, a, b;
  CHECK(mtk_pm_iter_init_ext(&rest, &v));
  CHECK(mtk_pm_next(&rest, &a, &b));
  CHECK(cbs_is(&a, OID_CABF_DV, sizeof OID_CABF_DV));
  CHECK(cbs_is(&b, OID_PRIVATE, sizeof OID_PRIVATE));
  CHECK(mtk_pm_next(&rest, &a, &b));
  CHECK(cbs_is(&a, OID_PRIVATE, sizeof OID_PRIVATE));
  CHECK(!mtk_pm_next(&rest, &a, &b));

  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_PM, &x, &d), MTK_ERR_X509_EXTENSION);
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, SEQ);
  W_OID(&x, OID_CABF_DV);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PM, &x, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_STR(d.err.path, "policyMappings[0].subjectDomainPolicy");
}

TEST(policy_constraints_and_inhibit_any) {
  mtk_diag d;
  mtk_policy_constraints pc;
  uint64_t skip;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(0), "\x00", 1);
  w_prim(&x, CTX(1), "\x02", 1);
  w_close(&x);
  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PC, &x, &d), MTK_OK);
  CHECK_STATUS(mtk_ext_policy_constraints(&v, &pc, NULL), MTK_OK);
  CHECK(pc.has_require && pc.has_inhibit);
  CHECK_EQ_INT(pc.require_explicit, 0);
  CHECK_EQ_INT(pc.inhibit_mapping, 2);
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(1), "\x05", 1);
  w_close(&x);
  v = cbs_of(&x);
  CHECK_STATUS(mtk_ext_policy_constraints(&v, &pc, NULL), MTK_OK);
  CHECK(!pc.has_require && pc.has_inhibit);
  /* an empty sequence decodes; the linter reports it */
  w_init(&x);
  w_prim(&x, SEQ, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_PC, &x, &d), MTK_OK);
  /* negative SkipCerts */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTX(0), "\x80", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PC, &x, &d), MTK_ERR_DER_RANGE);
  CHECK_STR(d.err.path, "policyConstraints.requireExplicitPolicy");
  /* universal INTEGER instead of [0] */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, INT, "\x01", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PC, &x, &d), MTK_ERR_DER_TRAILING);

  w_init(&x);
  w_prim(&x, INT, "\x01\x00", 2);
  v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_INHIBIT_ANY, &x, &d), MTK_OK);
  CHECK_STATUS(mtk_ext_inhibit_any(&v, &skip, NULL), MTK_OK);
  CHECK_EQ_INT(skip, 256);
  w_init(&x);
  w_prim(&x, INT, "\xff", 1);
  CHECK_STATUS(check(MTK_OID_EXT_INHIBIT_ANY, &x, &d), MTK_ERR_DER_RANGE);
  CHECK_STR(d.err.path, "inhibitAnyPolicy");
}

/* ---- NameConstraints ---------------------------------------------------------------- */

TEST(name_constraints) {
  static const uint8_t net[] = {10, 0, 0, 0, 255, 0, 0, 0};
  mtk_diag d;
  mtk_name_constraints nc;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, SEQ); /* .example.com, minimum 0 explicit, maximum 4 */
  w_str(&x, CTX(2), ".example.com");
  w_prim(&x, CTX(0), "\x00", 1);
  w_prim(&x, CTX(1), "\x04", 1);
  w_close(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(4));
  w_name_cn(&x, "Sub");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_open(&x, CTXC(1));
  w_open(&x, SEQ);
  w_prim(&x, CTX(7), net, sizeof net);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 1);
  CHECK(has_quirk(&d, MTK_QUIRK_DEFAULT_ENCODED, "nameConstraints.permittedSubtrees[0].minimum"));
  CHECK_EQ_INT(d.quirks[0].offset, 20);

  mtk_cbs v = cbs_of(&x);
  CHECK_STATUS(mtk_ext_name_constraints(&v, &nc, NULL), MTK_OK);
  CHECK(nc.has_permitted && nc.has_excluded);
  mtk_subtree st;
  mtk_cbs rest = nc.permitted;
  CHECK(mtk_subtree_next(&rest, &st));
  CHECK_EQ_INT(st.base.type, MTK_GN_DNS);
  CHECK(CBS_IS_STR(&st.base.value, ".example.com"));
  CHECK_EQ_INT(st.minimum, 0);
  CHECK(st.has_maximum);
  CHECK_EQ_INT(st.maximum, 4);
  CHECK(mtk_subtree_next(&rest, &st));
  CHECK_EQ_INT(st.base.type, MTK_GN_DIRNAME);
  CHECK(!st.has_maximum);
  CHECK(!mtk_subtree_next(&rest, &st));
  rest = nc.excluded;
  CHECK(mtk_subtree_next(&rest, &st));
  CHECK_EQ_INT(st.base.type, MTK_GN_IP);
  CHECK(cbs_is(&st.base.value, net, sizeof net));
  CHECK(!mtk_subtree_next(&rest, &st));

  /* a minimum of 1 decodes (the linter reports it) */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(1));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "x");
  w_prim(&x, CTX(0), "\x01", 1);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  v = cbs_of(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
  CHECK_STATUS(mtk_ext_name_constraints(&v, &nc, NULL), MTK_OK);
  CHECK(!nc.has_permitted && nc.has_excluded);
  rest = nc.excluded;
  CHECK(mtk_subtree_next(&rest, &st));
  CHECK_EQ_INT(st.minimum, 1);
}

TEST(name_constraints_negative) {
  mtk_diag d;
  w x;
  /* GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree */
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, CTXC(0), NULL, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "nameConstraints.permittedSubtrees");
  CHECK_EQ_INT(d.err.offset, 2);
  /* subtrees out of order */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(1));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "x");
  w_close(&x);
  w_close(&x);
  w_open(&x, CTXC(0));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "y");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_ERR_DER_TRAILING);
  /* bad base */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "ok");
  w_close(&x);
  w_open(&x, SEQ);
  w_str(&x, IA5, "x");
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_ERR_X509_GENERALNAME);
  CHECK_STR(d.err.path, "nameConstraints.permittedSubtrees[1].base");
  /* maximum constructed */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "x");
  w_open(&x, CTXC(1));
  w_prim(&x, INT, "\x01", 1);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_ERR_X509_EXTENSION);
  CHECK_STR(d.err.path, "nameConstraints.permittedSubtrees[0].maximum");
  /* negative minimum */
  w_init(&x);
  w_open(&x, SEQ);
  w_open(&x, CTXC(0));
  w_open(&x, SEQ);
  w_str(&x, CTX(2), "x");
  w_prim(&x, CTX(0), "\xff", 1);
  w_close(&x);
  w_close(&x);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_NC, &x, &d), MTK_ERR_DER_RANGE);
  CHECK_STR(d.err.path, "nameConstraints.permittedSubtrees[0].minimum");
}

/* ---- SCT list --------------------------------------------------------------------- */

/* Appends one SerializedSCT: |sig_len| octets of signature, |ext_len| of
 * extensions. */
static void w_sct(w *x, uint8_t log_byte, uint64_t ts, size_t ext_len, size_t sig_len) {
  size_t len = 1 + 32 + 8 + 2 + ext_len + 2 + 2 + sig_len;
  w_u16(x, len);
  w_byte(x, 0); /* v1 */
  for (int i = 0; i < 32; i++) w_byte(x, log_byte);
  for (int i = 7; i >= 0; i--) w_byte(x, (uint8_t)(ts >> (i * 8)));
  w_u16(x, ext_len);
  for (size_t i = 0; i < ext_len; i++) w_byte(x, 0xee);
  w_byte(x, 4); /* sha256 */
  w_byte(x, 3); /* ecdsa */
  w_u16(x, sig_len);
  for (size_t i = 0; i < sig_len; i++) w_byte(x, 0x5a);
}

TEST(sct_list) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, OCTETS);
  size_t l1 = 2 + 1 + 32 + 8 + 2 + 0 + 2 + 2 + 70;
  size_t l2 = 2 + 1 + 32 + 8 + 2 + 3 + 2 + 2 + 71;
  w_u16(&x, l1 + l2);
  w_sct(&x, 0x11, 1700000000123ull, 0, 70);
  w_sct(&x, 0x22, 1700000000456ull, 3, 71);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_OK);

  mtk_cbs v = cbs_of(&x);
  mtk_sct_iter it;
  mtk_sct s;
  CHECK(mtk_sct_iter_init_ext(&it, &v));
  CHECK(mtk_sct_next(&it, &s));
  CHECK_EQ_INT(s.version, 0);
  CHECK_EQ_INT(s.log_id.len, 32);
  CHECK_EQ_INT(s.log_id.p[0], 0x11);
  CHECK_EQ_INT(s.timestamp_ms, 1700000000123ull);
  CHECK_EQ_INT(s.extensions.len, 0);
  CHECK_EQ_INT(s.hash_alg, 4);
  CHECK_EQ_INT(s.sig_alg, 3);
  CHECK_EQ_INT(s.signature.len, 70);
  CHECK_EQ_INT(s.offset, 3 + 2); /* OCTET STRING header 04 81 xx, list length */
  CHECK(mtk_sct_next(&it, &s));
  CHECK_EQ_INT(s.log_id.p[31], 0x22);
  CHECK_EQ_INT(s.timestamp_ms, 1700000000456ull);
  CHECK_EQ_INT(s.extensions.len, 3);
  CHECK_EQ_INT(s.signature.len, 71);
  CHECK_EQ_INT(s.offset, 3 + 2 + l1);
  CHECK(!mtk_sct_next(&it, &s));
  CHECK_EQ_INT(it.rest.len, 0);
}

TEST(sct_list_negative) {
  mtk_diag d;
  w x;
  /* truncated SCT: signature length claims more than there is */
  w_init(&x);
  w_open(&x, OCTETS);
  size_t l1 = 2 + 1 + 32 + 8 + 2 + 2 + 2 + 10;
  w_u16(&x, l1);
  w_u16(&x, l1 - 2);
  w_byte(&x, 0);
  for (int i = 0; i < 32 + 8; i++) w_byte(&x, 1);
  w_u16(&x, 0);
  w_byte(&x, 4);
  w_byte(&x, 3);
  w_u16(&x, 11); /* one more than follows */
  for (int i = 0; i < 10; i++) w_byte(&x, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);
  CHECK_STR(d.err.path, "ct_precert_scts[0]");
  CHECK_EQ_INT(d.err.offset, 2 + 2 + 2 + 1 + 40 + 2 + 2);

  /* an SCT shorter than a LogID */
  w_init(&x);
  w_open(&x, OCTETS);
  w_u16(&x, 2 + 10);
  w_u16(&x, 10);
  for (int i = 0; i < 10; i++) w_byte(&x, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);
  CHECK_EQ_INT(d.err.offset, 2 + 2 + 2 + 1);

  /* list length larger than the OCTET STRING */
  w_init(&x);
  w_open(&x, OCTETS);
  w_u16(&x, 200);
  w_sct(&x, 1, 1, 0, 4);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);
  CHECK_STR(d.err.path, "ct_precert_scts");
  CHECK_EQ_INT(d.err.offset, 2);

  /* octets after the list */
  w_init(&x);
  w_open(&x, OCTETS);
  w_u16(&x, 2 + 1 + 32 + 8 + 2 + 2 + 2 + 4);
  w_sct(&x, 1, 1, 0, 4);
  w_byte(&x, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);

  /* octets after an SCT's signature (inside its own length) */
  w_init(&x);
  w_open(&x, OCTETS);
  size_t inner = 1 + 32 + 8 + 2 + 2 + 2 + 4;
  w_u16(&x, 2 + inner + 1);
  w_u16(&x, inner + 1);
  w_byte(&x, 0);
  for (int i = 0; i < 40; i++) w_byte(&x, 1);
  w_u16(&x, 0);
  w_byte(&x, 4);
  w_byte(&x, 3);
  w_u16(&x, 4);
  for (int i = 0; i < 5; i++) w_byte(&x, 0);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);

  /* empty list, empty SCT */
  w_init(&x);
  w_prim(&x, OCTETS, "\x00\x00", 2);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);
  w_init(&x);
  w_prim(&x, OCTETS, "\x00\x02\x00\x00", 4);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_X509_SCT);
  CHECK_STR(d.err.path, "ct_precert_scts[0]");
  /* the list not wrapped in an OCTET STRING */
  w_init(&x);
  w_raw(&x, "\x00\x02\x00\x00", 4);
  CHECK_STATUS(check(MTK_OID_EXT_SCT_LIST, &x, &d), MTK_ERR_DER_TAG);
  mtk_sct_iter it;
  mtk_cbs v = cbs_of(&x);
  CHECK(!mtk_sct_iter_init_ext(&it, &v));
}

/* ---- TLS feature, NULL-valued, PKUP, unknown --------------------------------------- */

TEST(tls_feature) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, INT, "\x05", 1);
  w_prim(&x, INT, "\x11", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_TLS_FEATURE, &x, &d), MTK_OK);
  mtk_cbs v = cbs_of(&x), rest;
  uint64_t f;
  CHECK(mtk_tls_feature_iter_init_ext(&rest, &v));
  CHECK(mtk_tls_feature_next(&rest, &f));
  CHECK_EQ_INT(f, 5);
  CHECK(mtk_tls_feature_next(&rest, &f));
  CHECK_EQ_INT(f, 17);
  CHECK(!mtk_tls_feature_next(&rest, &f));
  w_init(&x);
  w_open(&x, SEQ);
  w_prim(&x, INT, "\x05", 1);
  w_prim(&x, OCTETS, "\x05", 1);
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_TLS_FEATURE, &x, &d), MTK_ERR_DER_TAG);
  CHECK_STR(d.err.path, "tlsfeature[1]");
}

TEST(null_valued) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_prim(&x, NUL, NULL, 0);
  CHECK_STATUS(check(MTK_OID_EXT_OCSP_NOCHECK, &x, &d), MTK_OK);
  CHECK_STATUS(check(MTK_OID_EXT_CT_POISON, &x, &d), MTK_OK);
  w_init(&x);
  w_prim(&x, NUL, "\x00", 1);
  CHECK_STATUS(check(MTK_OID_EXT_CT_POISON, &x, &d), MTK_ERR_DER_NULL);
  w_init(&x); /* empty extnValue */
  CHECK_STATUS(check(MTK_OID_EXT_OCSP_NOCHECK, &x, &d), MTK_ERR_DER_TRUNCATED);
}

TEST(private_key_usage_period) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(0), "20240101000000Z");
  w_str(&x, CTX(1), "20251231235959Z");
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PKUP, &x, &d), MTK_OK);
  w_init(&x);
  w_open(&x, SEQ);
  w_str(&x, CTX(1), "20250230000000Z");
  w_close(&x);
  CHECK_STATUS(check(MTK_OID_EXT_PKUP, &x, &d), MTK_ERR_DER_TIME);
  CHECK_STR(d.err.path, "privateKeyUsagePeriod.notAfter");
}

TEST(unknown_extensions_pass) {
  mtk_diag d;
  w x;
  w_init(&x);
  w_raw(&x, "\xff\xff\xff", 3); /* not even DER */
  CHECK_STATUS(check(MTK_OID_UNKNOWN, &x, &d), MTK_OK);
  CHECK_STATUS(check(MTK_OID_EXT_SDA, &x, &d), MTK_OK);
  CHECK_STATUS(check(MTK_OID_EXT_NS_COMMENT, &x, &d), MTK_OK);
  CHECK_EQ_INT(d.n_quirks, 0);
}

/* ---- iterators on garbage ----------------------------------------------------------- */

TEST(iterators_on_garbage) {
  static const uint8_t inputs[][8] = {
      {0x30, 0x03, 0x82, 0x05, 0x61},  /* inner length past the parent */
      {0x30, 0x02, 0x05, 0x00},        /* NULL where elements belong */
      {0x30, 0x80, 0x00, 0x00},        /* indefinite */
      {0x04, 0x02, 0x00, 0x09},        /* SCT list length past the end */
      {0x30, 0x00},                    /* empty */
  };
  static const size_t lens[] = {5, 4, 4, 4, 2};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    mtk_cbs v, rest;
    mtk_cbs_init(&v, inputs[i], lens[i]);
    mtk_gn_iter gi;
    mtk_gn gn;
    if (mtk_gn_iter_init_ext(&gi, &v)) CHECK(!mtk_gn_next(&gi, &gn));
    mtk_dp_iter di;
    mtk_dp dp;
    if (mtk_dp_iter_init_ext(&di, &v)) CHECK(!mtk_dp_next(&di, &dp));
    mtk_ad_iter ai;
    mtk_access_desc ad;
    if (mtk_ad_iter_init_ext(&ai, &v)) CHECK(!mtk_ad_next(&ai, &ad));
    mtk_policy_iter pi;
    mtk_policy p;
    if (mtk_policy_iter_init_ext(&pi, &v)) CHECK(!mtk_policy_next(&pi, &p));
    mtk_sct_iter si;
    mtk_sct s;
    if (mtk_sct_iter_init_ext(&si, &v)) CHECK(!mtk_sct_next(&si, &s));
    mtk_oid_iter oi;
    mtk_cbs oid;
    if (mtk_oid_iter_init_ext(&oi, &v)) CHECK(!mtk_oid_next(&oi, &oid, NULL));
    mtk_cbs a, b;
    if (mtk_pm_iter_init_ext(&rest, &v)) CHECK(!mtk_pm_next(&rest, &a, &b));
    uint64_t f;
    if (mtk_tls_feature_iter_init_ext(&rest, &v)) CHECK(!mtk_tls_feature_next(&rest, &f));
    mtk_subtree st;
    rest = v;
    CHECK(!mtk_subtree_next(&rest, &st));
    mtk_policy_qualifier q;
    rest = v;
    CHECK(!mtk_policy_qualifier_next(&rest, &q));
    CHECK(!mtk_ext_has_eku(&v, MTK_OID_EKU_SERVER_AUTH));
  }
  /* a failing iterator leaves its cursor at the bad element */
  static const uint8_t two[] = {0x30, 0x06, 0x82, 0x01, 0x61, 0x89, 0x01, 0x62};
  mtk_cbs v;
  mtk_cbs_init(&v, two, sizeof two);
  mtk_gn_iter gi;
  mtk_gn gn;
  CHECK(mtk_gn_iter_init_ext(&gi, &v));
  CHECK(mtk_gn_next(&gi, &gn));
  CHECK(!mtk_gn_next(&gi, &gn));
  CHECK_EQ_INT(gi.rest.len, 3);
  CHECK_EQ_INT(gi.rest.off, 5);
}

int main(void) {
  RUN(san_every_choice);
  RUN(san_empty_is_error);
  RUN(san_wrong_choice);
  RUN(san_wrong_form);
  RUN(san_ia5_high_octet_is_quirk);
  RUN(san_othername_malformed);
  RUN(san_other_malformed);
  RUN(gn_parse_direct);
  RUN(gn_type_names);
  RUN(basic_constraints);
  RUN(key_usage);
  RUN(ns_cert_type);
  RUN(eku);
  RUN(ski);
  RUN(aki);
  RUN(crldp);
  RUN(crldp_negative);
  RUN(info_access);
  RUN(certificate_policies);
  RUN(certificate_policies_negative);
  RUN(policy_mappings);
  RUN(policy_constraints_and_inhibit_any);
  RUN(name_constraints);
  RUN(name_constraints_negative);
  RUN(sct_list);
  RUN(sct_list_negative);
  RUN(tls_feature);
  RUN(null_valued);
  RUN(private_key_usage_period);
  RUN(unknown_extensions_pass);
  RUN(iterators_on_garbage);
  return test_summary();
}

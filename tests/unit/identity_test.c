/* identity_test.c: service identity (lib/identity.c), one test per rule.
 *
 * The rule ids are those of the comment at the top of lib/identity.c (and of
 * ../shared/IDENTITY-RULES.md). Two tables drive most tests:
 *   - refs[]: reference text -> parsed reference or the exact error code;
 *   - rows[]: one presented identifier (put in a certificate made here with
 *     certgen) against one reference, in a mode -> verdict and reason.
 * Each rule's test runs the rows tagged with its id (and fails if there are
 * none); the rules that need several identifiers or references have their
 * own tests below the tables. Every match row is also checked against the
 * low-level pure function of its type (mtk_dns_match, ...). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certgen.h"
#include "mtlskit/identity.h"
#include "mtlskit/x509.h"
#include "test.h"

#define RFC6125 MTK_ID_RFC6125
#define NOWILD MTK_ID_NO_WILDCARDS
#define B(s) s, sizeof(s) - 1
#define UB(s) (const uint8_t *)(s), sizeof(s) - 1

/* ---- certificates ------------------------------------------------------------ */

typedef struct tcert {
  uint8_t *der;
  size_t len;
  mtk_cert c;
  bool ok;
} tcert;

/* make: a certificate whose SAN holds |sans| (no SAN extension when |san_ext|
 * is false) and whose subject is one CN per |cns| entry (lengths |cn_lens|,
 * tag |cn_tag|), or O=mtlskit test when there is none. */
static void make(tcert *t, const tb_gn *sans, size_t n_sans, bool san_ext, const char *const *cns,
                 const size_t *cn_lens, size_t n_cns, mtk_tag cn_tag) {
  tb_cert_spec s;
  memset(t, 0, sizeof *t);
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  if (n_cns == 0) tb_name_add(&s.subject, "O", "mtlskit test");
  for (size_t i = 0; i < n_cns; i++)
    tb_name_add_ex(&s.subject, "CN", cn_tag, cns[i], cn_lens ? cn_lens[i] : strlen(cns[i]), false);
  tb_name_add(&s.issuer, "CN", "Identity Test CA");
  if (san_ext) tb_ext_san(&s.exts, false, sans, n_sans);
  int rc = tb_cert_build(&s, &t->der, &t->len);
  tb_cert_spec_cleanup(&s);
  if (rc != 0) return;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_status st = mtk_cert_parse(&t->c, t->der, t->len, &d);
  if (st != MTK_OK) {
    char msg[400];
    mtk_error_format(&d.err, msg, sizeof msg);
    fprintf(stderr, "certificate does not parse: %s\n", msg);
    return;
  }
  t->ok = true;
}

static void make_sans(tcert *t, const tb_gn *sans, size_t n) {
  make(t, sans, n, true, NULL, NULL, 0, 0);
}

static void drop(tcert *t) { free(t->der); }

/* srv_gn: an SRVName otherName holding |len| octets as an IA5String (or
 * another string type |tag|). */
static uint8_t srv_value[512];
static tb_gn srv_gn(const char *v, size_t len, mtk_tag tag) {
  tb_buf b;
  tb_buf_init(&b);
  tb_der_string(&b, tag, v, len);
  size_t n = b.len < sizeof srv_value ? b.len : sizeof srv_value;
  memcpy(srv_value, b.p, n);
  tb_buf_free(&b);
  return tb_gn_othername("1.3.6.1.5.5.7.8.7", srv_value, n);
}

static mtk_status parse_ref(mtk_ref_kind k, const char *text, size_t len, mtk_ref *out,
                            mtk_diag *d) {
  switch (k) {
    case MTK_REF_DNS: return mtk_ref_parse_dns(text, len, out, d);
    case MTK_REF_IP: return mtk_ref_parse_ip(text, len, out, d);
    case MTK_REF_SRV: return mtk_ref_parse_srv(text, len, out, d);
    case MTK_REF_URI: return mtk_ref_parse_uri(text, len, out, d);
    case MTK_REF_NONE: break;
  }
  return MTK_ERR_ARG;
}

/* ---- table 1: parsing references (R1, R3-R6, R15, W5, I5) -------------------- */

typedef struct ref_row {
  const char *rule;
  mtk_ref_kind kind;
  const char *text;
  size_t len;
  mtk_status want;
  const char *name;     /* expected normalised name (DNS, SRV, URI), or NULL */
  const char *service;  /* expected service / scheme, or NULL */
  const char *ip;       /* expected IP octets in hex, or NULL */
} ref_row;

#define D MTK_REF_DNS
#define I MTK_REF_IP
#define S MTK_REF_SRV
#define U MTK_REF_URI
#define OK MTK_OK
#define EREF MTK_ERR_IDENTITY_REF
#define EIDNA MTK_ERR_IDENTITY_IDNA

static const char long63[] = "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc";
static char name253[254], name254[255], label64[80];

static const ref_row refs[] = {
    /* R1, R3: four kinds, parsed from text alone */
    {"R3", D, B("www.example.com"), OK, "www.example.com", NULL, NULL},
    {"R3", I, B("192.0.2.1"), OK, NULL, NULL, "c0000201"},
    {"R3", S, B("_xmpp-client.example.net"), OK, "example.net", "xmpp-client", NULL},
    {"R3", U, B("https://www.example.com/path"), OK, "www.example.com", "https", NULL},
    /* R4: IP text is an IP reference, never DNS; strict IP text */
    {"R4", D, B("192.0.2.1"), EREF, NULL, NULL, NULL},
    {"R4", D, B("01.2.3.4"), EREF, NULL, NULL, NULL},
    {"R4", D, B("10.1"), EREF, NULL, NULL, NULL},
    {"R4", D, B("192.0.513"), EREF, NULL, NULL, NULL},
    {"R4", D, B("::1"), EREF, NULL, NULL, NULL},
    {"R4", D, B("www.123"), EREF, NULL, NULL, NULL},
    {"R4", D, B("123.example.com"), OK, "123.example.com", NULL, NULL},
    /* R5: LDH labels, one trailing dot dropped, no '*', '_', NUL, space, ':' */
    {"R5", D, B("WWW.Example.COM"), OK, "www.example.com", NULL, NULL},
    {"R5", D, B("www.example.com."), OK, "www.example.com", NULL, NULL},
    {"R5", D, B("www.example.com.."), EREF, NULL, NULL, NULL},
    {"R5", D, B(""), EREF, NULL, NULL, NULL},
    {"R5", D, B("."), EREF, NULL, NULL, NULL},
    {"R5", D, B(".example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("www..example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("a_b.example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("www.exa mple.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("www.example.com\0.evil.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("-www.example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("www-.example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("example.com:443"), EREF, NULL, NULL, NULL},
    {"R5", D, B("https://example.com"), EREF, NULL, NULL, NULL},
    {"R5", D, B("r3---sn-abc.example.com"), OK, "r3---sn-abc.example.com", NULL, NULL},
    {"R5", D, B("localhost"), OK, "localhost", NULL, NULL},
    /* W5: a reference never holds a wildcard */
    {"W5", D, B("*.example.com"), EREF, NULL, NULL, NULL},
    {"W5", D, B("w*.example.com"), EREF, NULL, NULL, NULL},
    /* R6: SRV-ID and URI-ID split into service type and domain */
    {"R6", S, B("_IMAPS.Example.NET."), OK, "example.net", "imaps", NULL},
    {"R6", S, B("xmpp.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_xmpp._tcp.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_xmpp-.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_x--y.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_123.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_abcdefghijklmnop.example.net"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_abcdefghijklmno.example.net"), OK, "example.net", "abcdefghijklmno", NULL},
    {"R6", S, B("_xmpp"), EREF, NULL, NULL, NULL},
    {"R6", S, B("_xmpp.192.0.2.1"), EREF, NULL, NULL, NULL},
    {"R6", U, B("HTTPS://WWW.Example.com:8443/x?y#z"), OK, "www.example.com", "https", NULL},
    {"R6", U, B("https://user:pw@www.example.com/"), OK, "www.example.com", "https", NULL},
    {"R6", U, B("https://good.example@evil.example/"), OK, "evil.example", "https", NULL},
    {"R6", U, B("sip:alice@example.net"), OK, "example.net", "sip", NULL},
    {"R6", U, B("sips:alice:pw@example.net:5061;transport=tls"), OK, "example.net", "sips", NULL},
    {"R6", U, B("sip:example.net?subject=x"), OK, "example.net", "sip", NULL},
    {"R6", U, B("https://192.0.2.1/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://[2001:db8::1]:443/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), EREF, NULL, NULL, NULL},
    {"R6", U, B("mailto:ops@example.com"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https:///www.example.com"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://"), EREF, NULL, NULL, NULL},
    {"R6", U, B("//www.example.com/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("www.example.com"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://www.exa mple.com/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://a@b@www.example.com/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://www.example.com:80a/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://www.ex%41mple.com/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://*.example.com/"), EREF, NULL, NULL, NULL},
    {"R6", U, B("https://www.example.com%zz/"), EREF, NULL, NULL, NULL},
    /* R15: U-labels become A-labels (IDNA2008); invalid input is an error */
    {"R15", D, B("café.example"), OK, "xn--caf-dma.example", NULL, NULL},
    {"R15", D, B("CAFÉ.Example."), OK, "xn--caf-dma.example", NULL, NULL},
    {"R15", D, B("bücher.example"), OK, "xn--bcher-kva.example", NULL, NULL},
    {"R15", D, B("faß.de"), OK, "xn--fa-hia.de", NULL, NULL},
    {"R15", D, B("XN--CAF-DMA.example"), OK, "xn--caf-dma.example", NULL, NULL},
    {"R15", D, B("☃.net"), EIDNA, NULL, NULL, NULL},
    {"R15", D, B("xn--zz.example"), EIDNA, NULL, NULL, NULL},
    {"R15", D, B("xn--.example"), EREF, NULL, NULL, NULL},
    {"R15", D, B("xn--ls8h.example"), EIDNA, NULL, NULL, NULL},
    {"R15", D, B("caf\xc3.example"), EIDNA, NULL, NULL, NULL},
    {"R15", S, B("_xmpp.café.example"), OK, "xn--caf-dma.example", "xmpp", NULL},
    {"R15", U, B("https://café.example/menu"), OK, "xn--caf-dma.example", "https", NULL},
    /* I5: strict IP text */
    {"I5", I, B("0.0.0.0"), OK, NULL, NULL, "00000000"},
    {"I5", I, B("255.255.255.255"), OK, NULL, NULL, "ffffffff"},
    {"I5", I, B("01.2.3.4"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1.2.3.04"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1.2.3"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1.2.3.4.5"), EREF, NULL, NULL, NULL},
    {"I5", I, B("256.1.1.1"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1.2.3.1000"), EREF, NULL, NULL, NULL},
    {"I5", I, B("0x7f.0.0.1"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1..2.3"), EREF, NULL, NULL, NULL},
    {"I5", I, B(" 1.2.3.4"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1.2.3.4 "), EREF, NULL, NULL, NULL},
    {"I5", I, B(""), EREF, NULL, NULL, NULL},
    {"I5", I, B("www.example.com"), EREF, NULL, NULL, NULL},
    {"I5", I, B("::"), OK, NULL, NULL, "00000000000000000000000000000000"},
    {"I5", I, B("::1"), OK, NULL, NULL, "00000000000000000000000000000001"},
    {"I5", I, B("2001:db8::1"), OK, NULL, NULL, "20010db8000000000000000000000001"},
    {"I5", I, B("2001:DB8::1"), OK, NULL, NULL, "20010db8000000000000000000000001"},
    {"I5", I, B("2001:0db8:0000:0000:0000:0000:0000:0001"), OK, NULL, NULL,
     "20010db8000000000000000000000001"},
    {"I5", I, B("1:2:3:4:5:6:7:8"), OK, NULL, NULL, "00010002000300040005000600070008"},
    {"I5", I, B("1:2:3:4:5:6:7::"), OK, NULL, NULL, "00010002000300040005000600070000"},
    {"I5", I, B("::2:3:4:5:6:7:8"), OK, NULL, NULL, "00000002000300040005000600070008"},
    {"I5", I, B("fe80::"), OK, NULL, NULL, "fe800000000000000000000000000000"},
    {"I5", I, B("::ffff:1.2.3.4"), OK, NULL, NULL, "00000000000000000000ffff01020304"},
    {"I5", I, B("1:2:3:4:5:6:1.2.3.4"), OK, NULL, NULL, "00010002000300040005000601020304"},
    {"I5", I, B("fe80::1%eth0"), EREF, NULL, NULL, NULL},
    {"I5", I, B("[::1]"), EREF, NULL, NULL, NULL},
    {"I5", I, B(":::1"), EREF, NULL, NULL, NULL},
    {"I5", I, B(":1::"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1::2::3"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1:2:3:4:5:6:7:8:9"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1:2:3:4:5:6:7:8::"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1:2:3:4:5:6:7"), EREF, NULL, NULL, NULL},
    {"I5", I, B("12345::"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1::2:"), EREF, NULL, NULL, NULL},
    {"I5", I, B("::1.2.3"), EREF, NULL, NULL, NULL},
    {"I5", I, B("::1.2.3.4:5"), EREF, NULL, NULL, NULL},
    {"I5", I, B("::01.2.3.4"), EREF, NULL, NULL, NULL},
    {"I5", I, B("g::1"), EREF, NULL, NULL, NULL},
    {"I5", I, B("1:2:3:4:5:6:7:1.2.3.4"), EREF, NULL, NULL, NULL},
};

static void hex_of(const uint8_t *p, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  out[2 * n] = '\0';
}

static size_t run_ref_rows(const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
    const ref_row *r = &refs[i];
    if (strcmp(r->rule, rule) != 0) continue;
    n++;
    mtk_ref ref;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status s = parse_ref(r->kind, r->text, r->len, &ref, &d);
    if (s != r->want) {
      fprintf(stderr, "  ref row %zu (%s '%s'): %s, expected %s (%s)\n", i, rule, r->text,
              mtk_status_name(s), mtk_status_name(r->want), d.err.detail);
      CHECK(s == r->want);
      continue;
    }
    if (s != MTK_OK) {
      CHECK(d.err.code == s);
      CHECK(d.err.detail[0] != '\0');
      CHECK(ref.kind == MTK_REF_NONE);
      continue;
    }
    CHECK(ref.kind == r->kind);
    if (r->name) {
      CHECK_STR((const char *)ref.name, r->name);
      CHECK(ref.name_len == strlen(r->name));
    }
    if (r->service) CHECK_STR((const char *)ref.service, r->service);
    if (r->ip) {
      char hex[40];
      hex_of(ref.ip, ref.ip_len, hex);
      CHECK_STR(hex, r->ip);
    }
  }
  CHECK(n > 0);
  return n;
}

/* ---- table 2: presented against reference -------------------------------------- */

typedef enum ptype {
  P_DNS,     /* dNSName with these octets */
  P_IP,      /* iPAddress from text */
  P_IPRAW,   /* iPAddress with these octets */
  P_URI,     /* uniformResourceIdentifier */
  P_SRV,     /* SRVName otherName, IA5String */
  P_SRVUTF8, /* SRVName otherName, UTF8String (malformed) */
  P_EMAIL,   /* rfc822Name */
  P_CN       /* subject CN (UTF8String), no SAN extension */
} ptype;

typedef struct row {
  const char *rule;
  ptype pt;
  const char *pv;
  size_t pl;
  mtk_ref_kind rk;
  const char *ref;
  unsigned flags;
  char want; /* 'M' match, 'N' no match, 'S' skipped */
  mtk_id_reason reason;
} row;

#define M_ MTK_IDR_MATCH
#define MW MTK_IDR_MATCH_WILDCARD
#define MP MTK_IDR_MATCH_PARTIAL
#define MC MTK_IDR_MATCH_CN

static const row rows[] = {
    /* R7: a reference meets only presented identifiers of its own type */
    {"R7", P_DNS, B("www.example.com"), I, "192.0.2.1", 0, 'S', MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_DNS, B("www.example.com"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_DNS, B("www.example.com"), S, "_https.www.example.com", 0, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_URI, B("https://www.example.com/"), D, "www.example.com", 0, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_SRV, B("_https.www.example.com"), D, "www.example.com", 0, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_IP, B("192.0.2.1"), D, "www.example.com", 0, 'S', MTK_IDR_DIFFERENT_TYPE},
    {"R7", P_EMAIL, B("www.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_NOT_SERVICE_ID},
    {"R7", P_EMAIL, B("ops@www.example.com"), D, "www.example.com", 0, 'S',
     MTK_IDR_NOT_SERVICE_ID},
    /* R12: strict mode never uses the subject CN */
    {"R12", P_CN, B("www.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_CN_IGNORED},
    {"R12", P_CN, B("*.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_CN_IGNORED},
    /* R13: legacy mode, CN of last resort (more in rule_R13_*) */
    {"R13", P_CN, B("www.example.com"), D, "www.example.com", RFC6125, 'M', MC},
    {"R13", P_CN, B("WWW.example.com"), D, "www.example.com.", RFC6125, 'M', MC},
    {"R13", P_CN, B("*.example.com"), D, "www.example.com", RFC6125, 'M', MC},
    {"R13", P_CN, B("w*.example.com"), D, "www.example.com", RFC6125, 'M', MC},
    {"R13", P_CN, B("other.example.com"), D, "www.example.com", RFC6125, 'N',
     MTK_IDR_DIFFERENT},
    {"R13", P_CN, B("Example Corp Web Server"), D, "www.example.com", RFC6125, 'S',
     MTK_IDR_CN_NOT_DNS},
    {"R13", P_CN, B("www.example.com."), D, "www.example.com", RFC6125, 'S',
     MTK_IDR_CN_NOT_DNS},
    {"R13", P_CN, B("192.0.2.1"), I, "192.0.2.1", RFC6125, 'S', MTK_IDR_DIFFERENT_TYPE},
    {"R13", P_CN, B("www.example.com"), S, "_xmpp.www.example.com", RFC6125, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    {"R13", P_CN, B("www.example.com"), U, "https://www.example.com/", RFC6125, 'S',
     MTK_IDR_DIFFERENT_TYPE},
    /* R14: label by label, case-insensitive, no suffix/prefix/substring */
    {"R14", P_DNS, B("www.example.com"), D, "www.example.com", 0, 'M', M_},
    {"R14", P_DNS, B("WWW.Example.COM"), D, "www.example.com", 0, 'M', M_},
    {"R14", P_DNS, B("www.example.com"), D, "WWW.EXAMPLE.COM", 0, 'M', M_},
    {"R14", P_DNS, B("www.example.com"), D, "example.com", 0, 'N', MTK_IDR_DIFFERENT},
    {"R14", P_DNS, B("example.com"), D, "www.example.com", 0, 'N', MTK_IDR_DIFFERENT},
    {"R14", P_DNS, B("ww.example.com"), D, "www.example.com", 0, 'N', MTK_IDR_DIFFERENT},
    {"R14", P_DNS, B("www.example.co"), D, "www.example.com", 0, 'N', MTK_IDR_DIFFERENT},
    {"R14", P_DNS, B("wwwexample.com"), D, "www.example.com", 0, 'N', MTK_IDR_DIFFERENT},
    {"R14", P_DNS, B("www.example.com"), D, "www.example.com", RFC6125, 'M', M_},
    /* R15: A-labels compare as ASCII; presented non-ASCII is malformed */
    {"R15", P_DNS, B("xn--caf-dma.example"), D, "café.example", 0, 'M', M_},
    {"R15", P_DNS, B("XN--CAF-DMA.example"), D, "café.example", 0, 'M', M_},
    {"R15", P_DNS, B("xn--caf-dma.example"), D, "xn--caf-dma.example", 0, 'M', M_},
    {"R15", P_DNS, B("café.example"), D, "café.example", 0, 'S', MTK_IDR_NON_ASCII},
    {"R15", P_DNS, B("xn--cafe-yvc.example"), D, "café.example", 0, 'N', MTK_IDR_DIFFERENT},
    /* R16: a presented trailing dot is malformed; a reference's is dropped */
    {"R16", P_DNS, B("www.example.com."), D, "www.example.com", 0, 'S', MTK_IDR_TRAILING_DOT},
    {"R16", P_DNS, B("www.example.com."), D, "www.example.com.", 0, 'S', MTK_IDR_TRAILING_DOT},
    {"R16", P_DNS, B("www.example.com"), D, "www.example.com.", 0, 'M', M_},
    {"R16", P_DNS, B("*.example.com."), D, "www.example.com", 0, 'S', MTK_IDR_TRAILING_DOT},
    /* R17: presented syntax */
    {"R17", P_DNS, B(""), D, "www.example.com", 0, 'S', MTK_IDR_EMPTY},
    {"R17", P_DNS, B(" "), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B("www.example.com\0.evil.com"), D, "www.example.com", 0, 'S', MTK_IDR_NUL},
    {"R17", P_DNS, B("www.example.com\0"), D, "www.example.com", 0, 'S', MTK_IDR_NUL},
    {"R17", P_DNS, B("www.exa mple.com"), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B("www.example.com "), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B(" www.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B("www.example.com\n"), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B("www_1.example.com"), D, "www1.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    {"R17", P_DNS, B(".www.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_EMPTY_LABEL},
    {"R17", P_DNS, B("www..example.com"), D, "www.example.com", 0, 'S', MTK_IDR_EMPTY_LABEL},
    {"R17", P_DNS, B("-www.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_HYPHEN},
    {"R17", P_DNS, B("www.example-.com"), D, "www.example.com", 0, 'S', MTK_IDR_HYPHEN},
    {"R17", P_DNS, B("www.exam\xc3\xa9.com"), D, "www.example.com", 0, 'S', MTK_IDR_NON_ASCII},
    {"R17", P_DNS, B("www.example.com/"), D, "www.example.com", 0, 'S', MTK_IDR_BAD_CHAR},
    /* W1: wildcards on by default, off with MTK_ID_NO_WILDCARDS */
    {"W1", P_DNS, B("*.example.com"), D, "www.example.com", 0, 'M', MW},
    {"W1", P_DNS, B("*.example.com"), D, "www.example.com", NOWILD, 'S',
     MTK_IDR_WILDCARD_DISABLED},
    {"W1", P_DNS, B("www.example.com"), D, "www.example.com", NOWILD, 'M', M_},
    /* W2: only a whole leftmost "*" label */
    {"W2", P_DNS, B("f*.example.com"), D, "foo.example.com", 0, 'S', MTK_IDR_WILDCARD_PARTIAL},
    {"W2", P_DNS, B("*o.example.com"), D, "foo.example.com", 0, 'S', MTK_IDR_WILDCARD_PARTIAL},
    {"W2", P_DNS, B("f*o.example.com"), D, "foo.example.com", 0, 'S', MTK_IDR_WILDCARD_PARTIAL},
    {"W2", P_DNS, B("www.*.example.com"), D, "www.a.example.com", 0, 'S',
     MTK_IDR_WILDCARD_NOT_LEFTMOST},
    {"W2", P_DNS, B("*.*.example.com"), D, "a.b.example.com", 0, 'S',
     MTK_IDR_WILDCARD_NOT_LEFTMOST},
    {"W2", P_DNS, B("www.example.*"), D, "www.example.com", 0, 'S',
     MTK_IDR_WILDCARD_NOT_LEFTMOST},
    {"W2", P_DNS, B("**.example.com"), D, "www.example.com", 0, 'S', MTK_IDR_WILDCARD_MULTIPLE},
    {"W2", P_DNS, B("xn--*.example.com"), D, "xn--caf-dma.example.com", 0, 'S',
     MTK_IDR_WILDCARD_A_LABEL},
    /* W3: the '*' label is exactly one label */
    {"W3", P_DNS, B("*.example.com"), D, "example.com", 0, 'N', MTK_IDR_WILDCARD_ONE_LABEL},
    {"W3", P_DNS, B("*.example.com"), D, "a.b.example.com", 0, 'N', MTK_IDR_WILDCARD_ONE_LABEL},
    {"W3", P_DNS, B("*.example.com"), D, "a.example.com", 0, 'M', MW},
    {"W3", P_DNS, B("*.Example.COM"), D, "WWW.example.com", 0, 'M', MW},
    {"W3", P_DNS, B("*.example.com"), D, "www.example.net", 0, 'N', MTK_IDR_DIFFERENT},
    {"W3", P_DNS, B("*.example.com"), D, "www.badexample.com", 0, 'N', MTK_IDR_DIFFERENT},
    /* W4: the '*' may match an A-label; A-labels after it */
    {"W4", P_DNS, B("*.example.com"), D, "café.example.com", 0, 'M', MW},
    {"W4", P_DNS, B("*.example.com"), D, "xn--caf-dma.example.com", 0, 'M', MW},
    {"W4", P_DNS, B("*.xn--caf-dma.example"), D, "www.café.example", 0, 'M', MW},
    /* W6: at least two labels after the '*' label; no public suffix list */
    {"W6", P_DNS, B("*.com"), D, "example.com", 0, 'S', MTK_IDR_WILDCARD_TOO_FEW_LABELS},
    {"W6", P_DNS, B("*.example"), D, "www.example", 0, 'S', MTK_IDR_WILDCARD_TOO_FEW_LABELS},
    {"W6", P_DNS, B("*"), D, "localhost", 0, 'S', MTK_IDR_WILDCARD_TOO_FEW_LABELS},
    {"W6", P_DNS, B("*."), D, "localhost", 0, 'S', MTK_IDR_TRAILING_DOT},
    {"W6", P_DNS, B("*.com"), D, "example.com", RFC6125, 'S', MTK_IDR_WILDCARD_TOO_FEW_LABELS},
    {"W6", P_DNS, B("*.co.uk"), D, "example.co.uk", 0, 'M', MW},
    /* W7: no wildcard in SRV-ID or URI-ID domains */
    {"W7", P_SRV, B("_xmpp.*.example.net"), S, "_xmpp.chat.example.net", 0, 'S',
     MTK_IDR_WILDCARD_RESTRICTED},
    {"W7", P_SRV, B("_xmpp.*.example.net"), S, "_xmpp.chat.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_RESTRICTED},
    {"W7", P_SRV, B("_xmpp.c*.example.net"), S, "_xmpp.chat.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_RESTRICTED},
    {"W7", P_URI, B("https://*.example.com/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_WILDCARD_RESTRICTED},
    {"W7", P_URI, B("https://*.example.com/"), U, "https://www.example.com/", RFC6125, 'S',
     MTK_IDR_WILDCARD_RESTRICTED},
    /* L1: legacy partial-label wildcards (6125's own examples) */
    {"L1", P_DNS, B("baz*.example.net"), D, "baz1.example.net", RFC6125, 'M', MP},
    {"L1", P_DNS, B("*baz.example.net"), D, "foobaz.example.net", RFC6125, 'M', MP},
    {"L1", P_DNS, B("b*z.example.net"), D, "buzz.example.net", RFC6125, 'M', MP},
    {"L1", P_DNS, B("B*Z.Example.net"), D, "buzz.example.net", RFC6125, 'M', MP},
    {"L1", P_DNS, B("baz*.example.net"), D, "bar1.example.net", RFC6125, 'N', MTK_IDR_DIFFERENT},
    {"L1", P_DNS, B("b*z.example.net"), D, "buzzer.example.net", RFC6125, 'N',
     MTK_IDR_DIFFERENT},
    {"L1", P_DNS, B("*.example.net"), D, "www.example.net", RFC6125, 'M', MW},
    {"L1", P_DNS, B("baz*.example.net"), D, "baz1.example.net", 0, 'S', MTK_IDR_WILDCARD_PARTIAL},
    /* L2: a partial '*' stands for at least one character, never a dot */
    {"L2", P_DNS, B("baz*.example.net"), D, "baz.example.net", RFC6125, 'N', MTK_IDR_PARTIAL_EMPTY},
    {"L2", P_DNS, B("b*z.example.net"), D, "bz.example.net", RFC6125, 'N', MTK_IDR_PARTIAL_EMPTY},
    {"L2", P_DNS, B("*baz.example.net"), D, "baz.example.net", RFC6125, 'N', MTK_IDR_PARTIAL_EMPTY},
    {"L2", P_DNS, B("baz*.example.net"), D, "baz1.sub.example.net", RFC6125, 'N',
     MTK_IDR_WILDCARD_ONE_LABEL},
    {"L2", P_DNS, B("baz*.example.net"), D, "baza.b.example.net", RFC6125, 'N',
     MTK_IDR_WILDCARD_ONE_LABEL},
    /* L3: never in or against an A-label */
    {"L3", P_DNS, B("xn--*.example.net"), D, "xn--caf-dma.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_A_LABEL},
    {"L3", P_DNS, B("xn--caf*.example.net"), D, "xn--caf-dma.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_A_LABEL},
    {"L3", P_DNS, B("c*.example.net"), D, "café.example.net", RFC6125, 'N',
     MTK_IDR_PARTIAL_VS_A_LABEL},
    {"L3", P_DNS, B("x*.example.net"), D, "xn--caf-dma.example.net", RFC6125, 'N',
     MTK_IDR_PARTIAL_VS_A_LABEL},
    {"L3", P_DNS, B("*.example.net"), D, "café.example.net", RFC6125, 'M', MW},
    /* L4: the rest of the wildcard rules still hold in legacy mode */
    {"L4", P_DNS, B("www.b*z.example.net"), D, "www.buzz.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_NOT_LEFTMOST},
    {"L4", P_DNS, B("b**z.example.net"), D, "buzz.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_MULTIPLE},
    {"L4", P_DNS, B("*z*.example.net"), D, "buzz.example.net", RFC6125, 'S',
     MTK_IDR_WILDCARD_MULTIPLE},
    {"L4", P_DNS, B("b*z.net"), D, "buzz.net", RFC6125, 'S', MTK_IDR_WILDCARD_TOO_FEW_LABELS},
    {"L4", P_DNS, B("*.example.net"), D, "a.b.example.net", RFC6125, 'N',
     MTK_IDR_WILDCARD_ONE_LABEL},
    {"L4", P_DNS, B("b*z.example.net"), D, "buzz.example.net", RFC6125 | NOWILD, 'S',
     MTK_IDR_WILDCARD_DISABLED},
    /* I1: exact octets */
    {"I1", P_IP, B("192.0.2.1"), I, "192.0.2.1", 0, 'M', M_},
    {"I1", P_IP, B("192.0.2.1"), I, "192.0.2.2", 0, 'N', MTK_IDR_IP_DIFFERENT},
    {"I1", P_IP, B("192.0.2.0"), I, "192.0.2.1", 0, 'N', MTK_IDR_IP_DIFFERENT},
    {"I1", P_IP, B("2001:db8::1"), I, "2001:DB8:0:0::1", 0, 'M', M_},
    {"I1", P_IP, B("2001:db8::1"), I, "2001:db8::2", 0, 'N', MTK_IDR_IP_DIFFERENT},
    {"I1", P_IP, B("192.0.2.1"), I, "192.0.2.1", RFC6125, 'M', M_},
    /* I2: an IP reference never meets a dNSName, URI or CN */
    {"I2", P_DNS, B("192.0.2.1"), I, "192.0.2.1", 0, 'S', MTK_IDR_IP_IN_DNS},
    {"I2", P_URI, B("https://192.0.2.1/"), I, "192.0.2.1", 0, 'S', MTK_IDR_URI_IP_HOST},
    {"I2", P_URI, B("https://[2001:db8::1]/"), I, "2001:db8::1", 0, 'S', MTK_IDR_URI_IP_HOST},
    {"I2", P_CN, B("192.0.2.1"), I, "192.0.2.1", RFC6125, 'S', MTK_IDR_DIFFERENT_TYPE},
    /* I3: no family conversion */
    {"I3", P_IP, B("::ffff:192.0.2.1"), I, "192.0.2.1", 0, 'N', MTK_IDR_IP_MAPPED},
    {"I3", P_IP, B("192.0.2.1"), I, "::ffff:192.0.2.1", 0, 'N', MTK_IDR_IP_MAPPED},
    {"I3", P_IP, B("::ffff:c000:201"), I, "::ffff:192.0.2.1", 0, 'M', M_},
    {"I3", P_IP, B("2001:db8::1"), I, "192.0.2.1", 0, 'N', MTK_IDR_IP_FAMILY},
    {"I3", P_IP, B("::192.0.2.1"), I, "192.0.2.1", 0, 'N', MTK_IDR_IP_FAMILY},
    /* I4: an iPAddress of another length is malformed */
    {"I4", P_IPRAW, B("\xc0\x00\x02\x01\x00"), I, "192.0.2.1", 0, 'S', MTK_IDR_IP_LENGTH},
    {"I4", P_IPRAW, B("\xc0\x00\x02\x01\xff\xff\xff\x00"), I, "192.0.2.1", 0, 'S',
     MTK_IDR_IP_LENGTH},
    {"I4", P_IPRAW, B("\xc0\x00\x02"), I, "192.0.2.1", 0, 'S', MTK_IDR_IP_LENGTH},
    {"I4", P_IPRAW, B(""), I, "192.0.2.1", 0, 'S', MTK_IDR_IP_LENGTH},
    /* S1: "_service.name" in an IA5String */
    {"S1", P_SRV, B("_xmpp.example.net"), S, "_xmpp.example.net", 0, 'M', M_},
    {"S1", P_SRV, B("xmpp.example.net"), S, "_xmpp.example.net", 0, 'S', MTK_IDR_SRV_MALFORMED},
    {"S1", P_SRV, B("_xmpp._tcp.example.net"), S, "_xmpp.example.net", 0, 'S',
     MTK_IDR_SRV_MALFORMED},
    {"S1", P_SRV, B("_xmpp"), S, "_xmpp.example.net", 0, 'S', MTK_IDR_SRV_MALFORMED},
    {"S1", P_SRV, B("_.example.net"), S, "_xmpp.example.net", 0, 'S', MTK_IDR_SRV_MALFORMED},
    {"S1", P_SRV, B("_xmpp.example.net\0"), S, "_xmpp.example.net", 0, 'S', MTK_IDR_NUL},
    {"S1", P_SRV, B(""), S, "_xmpp.example.net", 0, 'S', MTK_IDR_EMPTY},
    {"S1", P_SRVUTF8, B("_xmpp.example.net"), S, "_xmpp.example.net", 0, 'S',
     MTK_IDR_SRV_MALFORMED},
    /* S2: service names case-insensitive; the service must be the same */
    {"S2", P_SRV, B("_XMPP.example.net"), S, "_xmpp.example.net", 0, 'M', M_},
    {"S2", P_SRV, B("_imap.example.net"), S, "_xmpp.example.net", 0, 'N',
     MTK_IDR_SERVICE_DIFFERS},
    {"S2", P_SRV, B("_xmpp-server.example.net"), S, "_xmpp.example.net", 0, 'N',
     MTK_IDR_SERVICE_DIFFERS},
    /* S3: the name as a DNS name */
    {"S3", P_SRV, B("_xmpp.EXAMPLE.net"), S, "_xmpp.example.net", 0, 'M', M_},
    {"S3", P_SRV, B("_xmpp.other.net"), S, "_xmpp.example.net", 0, 'N', MTK_IDR_DIFFERENT},
    {"S3", P_SRV, B("_xmpp.example.net."), S, "_xmpp.example.net", 0, 'S', MTK_IDR_TRAILING_DOT},
    {"S3", P_SRV, B("_xmpp.xn--caf-dma.example"), S, "_xmpp.café.example", 0, 'M', M_},
    {"S3", P_SRV, B("_xmpp.café.example"), S, "_xmpp.café.example", 0, 'S', MTK_IDR_NON_ASCII},
    {"S3", P_SRV, B("_xmpp.sub.example.net"), S, "_xmpp.example.net", 0, 'N', MTK_IDR_DIFFERENT},
    /* S4: never an IP address */
    {"S4", P_SRV, B("_xmpp.192.0.2.1"), S, "_xmpp.example.net", 0, 'S', MTK_IDR_SRV_IP},
    /* U1: scheme and reg-name host, or not a URI-ID */
    {"U1", P_URI, B("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), U,
     "https://www.example.com/", 0, 'S', MTK_IDR_URI_NO_HOST},
    {"U1", P_URI, B("https:///www.example.com"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_NO_HOST},
    {"U1", P_URI, B("https://"), U, "https://www.example.com/", 0, 'S', MTK_IDR_URI_NO_HOST},
    {"U1", P_URI, B("www.example.com"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_NO_SCHEME},
    {"U1", P_URI, B("//www.example.com/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_NO_SCHEME},
    {"U1", P_URI, B("https://[2001:db8::1]/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_IP_HOST},
    {"U1", P_URI, B("https://www.example.com/a b"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_MALFORMED},
    {"U1", P_URI, B("https://www.example.com\0/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_NUL},
    {"U1", P_URI, B("https://www.exämple.com/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_NON_ASCII},
    {"U1", P_URI, B("https://a@b@www.example.com/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_MALFORMED},
    {"U1", P_URI, B("https://www.example.com:x/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_MALFORMED},
    {"U1", P_URI, B("https://www%2eexample.com/"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_MALFORMED},
    {"U1", P_URI, B("mailto:www.example.com"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_URI_NO_HOST},
    /* U2: schemes case-insensitive, and must be equal */
    {"U2", P_URI, B("HTTPS://www.example.com/"), U, "https://www.example.com/", 0, 'M', M_},
    {"U2", P_URI, B("http://www.example.com/"), U, "https://www.example.com/", 0, 'N',
     MTK_IDR_SCHEME_DIFFERS},
    {"U2", P_URI, B("sips:www.example.com"), U, "sip:www.example.com", 0, 'N',
     MTK_IDR_SCHEME_DIFFERS},
    /* U3: host as DNS; userinfo, port, path, query, fragment ignored */
    {"U3", P_URI, B("https://www.example.com:8443/p?q#f"), U, "https://www.example.com/", 0, 'M',
     M_},
    {"U3", P_URI, B("https://WWW.EXAMPLE.COM"), U, "https://www.example.com/x", 0, 'M', M_},
    {"U3", P_URI, B("https://good.example@evil.example/"), U, "https://good.example/", 0, 'N',
     MTK_IDR_DIFFERENT},
    {"U3", P_URI, B("https://good.example@evil.example/"), U, "https://evil.example/", 0, 'M', M_},
    {"U3", P_URI, B("sip:alice@example.net;transport=tls"), U, "sip:example.net", 0, 'M', M_},
    {"U3", P_URI, B("sip:example.net"), U, "sip:bob@example.net", 0, 'M', M_},
    {"U3", P_URI, B("https://www.example.com./"), U, "https://www.example.com/", 0, 'S',
     MTK_IDR_TRAILING_DOT},
    {"U3", P_URI, B("https://example.com/"), U, "https://www.example.com/", 0, 'N',
     MTK_IDR_DIFFERENT},
    {"U3", P_URI, B("https://xn--caf-dma.example/"), U, "https://café.example/", 0, 'M', M_},
    /* U4: the acceptable scheme is the reference's */
    {"U4", P_URI, B("sip:example.net"), U, "sips:example.net", 0, 'N', MTK_IDR_SCHEME_DIFFERS},
    {"U4", P_URI, B("sips:example.net"), U, "sips:example.net", 0, 'M', M_},
};

/* low_level: the pure function of the presented type agrees with the row. */
static void low_level(const row *r, const mtk_ref *ref, size_t i) {
  mtk_id_reason why = MTK_IDR_NONE;
  bool m;
  if (r->pt == P_DNS && ref->kind == MTK_REF_DNS) {
    m = mtk_dns_match(ref->name, ref->name_len, (const uint8_t *)r->pv, r->pl, r->flags, &why);
  } else if (r->pt == P_SRV && ref->kind == MTK_REF_SRV) {
    m = mtk_srv_match(ref, (const uint8_t *)r->pv, r->pl, r->flags, &why);
  } else if (r->pt == P_URI && ref->kind == MTK_REF_URI) {
    m = mtk_uri_match(ref, (const uint8_t *)r->pv, r->pl, r->flags, &why);
  } else if (r->pt == P_IPRAW && ref->kind == MTK_REF_IP) {
    m = mtk_ip_match(ref->ip, ref->ip_len, (const uint8_t *)r->pv, r->pl, &why);
  } else if (r->pt == P_IP && ref->kind == MTK_REF_IP) {
    uint8_t ip[16];
    size_t il = 0;
    if (!mtk_ip_parse((const uint8_t *)r->pv, r->pl, ip, &il)) {
      fprintf(stderr, "  row %zu: '%s' does not parse\n", i, r->pv);
      test_failures_in_current++;
      return;
    }
    m = mtk_ip_match(ref->ip, ref->ip_len, ip, il, &why);
  } else {
    return;
  }
  if (m != (r->want == 'M') || why != r->reason) {
    fprintf(stderr, "  row %zu (%s '%s'): low-level %s, expected %s\n", i, r->rule, r->pv,
            mtk_id_reason_id(why), mtk_id_reason_id(r->reason));
    test_failures_in_current++;
  }
}

static void run_row(const row *r, size_t i) {
  mtk_ref ref;
  mtk_diag d;
  mtk_diag_init(&d);
  if (parse_ref(r->rk, r->ref, strlen(r->ref), &ref, &d) != MTK_OK) {
    fprintf(stderr, "  row %zu: reference '%s' does not parse: %s\n", i, r->ref, d.err.detail);
    test_failures_in_current++;
    return;
  }
  tcert t;
  tb_gn g;
  switch (r->pt) {
    case P_DNS: g = tb_gn_dns_n(r->pv, r->pl); break;
    case P_IP: g = tb_gn_ip_text(r->pv); break;
    case P_IPRAW: g = tb_gn_ip(r->pv, r->pl); break;
    case P_URI: g = tb_gn_str_n(TB_GN_URI, r->pv, r->pl); break;
    case P_SRV: g = srv_gn(r->pv, r->pl, MTK_ASN1_IA5STRING); break;
    case P_SRVUTF8: g = srv_gn(r->pv, r->pl, MTK_ASN1_UTF8STRING); break;
    case P_EMAIL: g = tb_gn_str_n(TB_GN_EMAIL, r->pv, r->pl); break;
    case P_CN:
    default: memset(&g, 0, sizeof g); break;
  }
  if (r->pt == P_CN) {
    const char *cn = r->pv;
    make(&t, NULL, 0, false, &cn, &r->pl, 1, MTK_ASN1_UTF8STRING);
  } else {
    make_sans(&t, &g, 1);
  }
  if (!t.ok) {
    fprintf(stderr, "  row %zu: no certificate\n", i);
    test_failures_in_current++;
    drop(&t);
    return;
  }
  mtk_match_result res;
  mtk_status s = mtk_identity_match(&t.c, &ref, 1, r->flags, &res);
  CHECK_STATUS(s, MTK_OK);
  mtk_id_reason got;
  mtk_id_verdict v;
  if (res.matched) {
    got = res.match.reason;
    v = res.match.verdict;
    CHECK(res.ref == 0 && res.match.ref == 0 && res.n_items == 0);
    CHECK(res.match.type == (r->pt == P_CN ? MTK_PID_CN : res.match.type));
  } else {
    CHECK(res.n_items == 1 && res.n_more == 0);
    for (size_t k = 0; k < res.n_items; k++) CHECK(res.items[k].verdict != MTK_IDV_MATCH);
    got = res.n_items ? res.items[0].reason : MTK_IDR_NONE;
    v = res.n_items ? res.items[0].verdict : MTK_IDV_SKIPPED;
  }
  char want_v = v == MTK_IDV_MATCH ? 'M' : v == MTK_IDV_NO_MATCH ? 'N' : 'S';
  if (got != r->reason || want_v != r->want || res.matched != (r->want == 'M')) {
    fprintf(stderr, "  row %zu (%s, '%s' vs %s '%s'%s): %c %s, expected %c %s\n", i, r->rule,
            r->pv, mtk_ref_kind_name(r->rk), r->ref, r->flags & RFC6125 ? ", 6125" : "", want_v,
            mtk_id_reason_id(got), r->want, mtk_id_reason_id(r->reason));
    test_failures_in_current++;
  }
  /* The fast path gives the same verdict. */
  mtk_match_result fast;
  CHECK_STATUS(mtk_identity_match(&t.c, &ref, 1, r->flags | MTK_ID_VERDICT_ONLY, &fast), MTK_OK);
  CHECK(fast.matched == res.matched && fast.n_items == 0);
  low_level(r, &ref, i);
  drop(&t);
}

static void run_rule(const char *rule) {
  size_t n = 0;
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    if (strcmp(rows[i].rule, rule) != 0) continue;
    n++;
    run_row(&rows[i], i);
  }
  if (n == 0) {
    fprintf(stderr, "  no rows for rule %s\n", rule);
    test_failures_in_current++;
  }
}

/* ---- one test per rule ------------------------------------------------------------- */

/* R1: references are built from text alone: the parsers take no certificate,
 * and a parsed reference is plain data (copyable, no pointers). */
TEST(rule_R1) {
  mtk_ref a, b;
  mtk_diag d;
  mtk_diag_init(&d);
  char text[] = "www.example.com";
  CHECK_STATUS(mtk_ref_parse_dns(text, strlen(text), &a, &d), MTK_OK);
  memcpy(&b, &a, sizeof a);
  memset(text, 'x', sizeof text - 1); /* the reference outlives its text */
  CHECK_STR((const char *)b.name, "www.example.com");
}

TEST(rule_R3) { run_ref_rows("R3"); }
TEST(rule_R4) { run_ref_rows("R4"); }
TEST(rule_R5) {
  run_ref_rows("R5");
  mtk_ref ref;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(name253, 253, &ref, &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_dns(name254, 254, &ref, &d), MTK_ERR_IDENTITY_REF);
  CHECK_STATUS(mtk_ref_parse_dns(label64, strlen(label64), &ref, &d), MTK_ERR_IDENTITY_REF);
  char ok63[80];
  snprintf(ok63, sizeof ok63, "%s.example", long63);
  CHECK_STATUS(mtk_ref_parse_dns(ok63, strlen(ok63), &ref, &d), MTK_OK);
  /* The error names the offending offset. */
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns("ab_c.example", 12, &ref, &d), MTK_ERR_IDENTITY_REF);
  CHECK(d.err.offset == 2);
}
TEST(rule_R6) { run_ref_rows("R6"); }
TEST(rule_R7) { run_rule("R7"); }

/* R8: the service type combines only with the domain of its own
 * reference: no cross product of references. */
TEST(rule_R8) {
  tcert t;
  tb_gn g[2] = {srv_gn(B("_xmpp.example.org"), MTK_ASN1_IA5STRING),
                tb_gn_uri("https://example.net/")};
  make_sans(&t, g, 2);
  CHECK(t.ok);
  mtk_ref r[2];
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_srv(B("_xmpp.example.net"), &r[0], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_srv(B("_imap.example.org"), &r[1], &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, r, 2, 0, &res), MTK_OK);
  CHECK(!res.matched);
  CHECK(res.n_items == 2);
  CHECK(res.items[0].reason == MTK_IDR_SERVICE_DIFFERS || res.items[0].reason == MTK_IDR_DIFFERENT);
  CHECK(res.items[1].reason == MTK_IDR_DIFFERENT_TYPE);
  /* URI: scheme of one reference, host of another */
  CHECK_STATUS(mtk_ref_parse_uri(B("http://example.net/"), &r[0], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_uri(B("https://example.org/"), &r[1], &d), MTK_OK);
  CHECK_STATUS(mtk_identity_match(&t.c, r, 2, 0, &res), MTK_OK);
  CHECK(!res.matched);
  CHECK(res.items[1].reason == MTK_IDR_SCHEME_DIFFERS && res.items[1].ref == 0);
  drop(&t);
}

/* R9: references in the caller's order, then certificate order. */
TEST(rule_R9) {
  tcert t;
  tb_gn g[3] = {tb_gn_dns("a.example.com"), tb_gn_dns("*.example.com"), tb_gn_dns("b.example.com")};
  make_sans(&t, g, 3);
  CHECK(t.ok);
  mtk_ref r[2];
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("b.example.com"), &r[0], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_dns(B("a.example.com"), &r[1], &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, r, 2, 0, &res), MTK_OK);
  CHECK(res.matched);
  CHECK_EQ_INT(res.ref, 0);          /* the first reference wins ... */
  CHECK_EQ_INT(res.match.index, 1);  /* ... by the first SAN entry that matches it */
  CHECK(res.match.reason == MTK_IDR_MATCH_WILDCARD);
  CHECK(res.match.type == MTK_PID_DNS);
  CHECK(res.match.value.len == 13 && memcmp(res.match.value.p, "*.example.com", 13) == 0);
  /* The same with the fast path. */
  CHECK_STATUS(mtk_identity_match(&t.c, r, 2, MTK_ID_VERDICT_ONLY, &res), MTK_OK);
  CHECK(res.matched && res.ref == 0 && res.match.index == 1);
  /* Reversed references: reference 0 is now a.example.com, matched by entry 0. */
  mtk_ref rr[2] = {r[1], r[0]};
  CHECK_STATUS(mtk_identity_match(&t.c, rr, 2, 0, &res), MTK_OK);
  CHECK(res.matched && res.ref == 0 && res.match.index == 0);
  drop(&t);
}

/* R10: several identifiers and references: any one match is enough. */
TEST(rule_R10) {
  tcert t;
  tb_gn g[4] = {tb_gn_dns("api.example.com"), tb_gn_ip_text("192.0.2.10"),
                srv_gn(B("_imaps.example.com"), MTK_ASN1_IA5STRING),
                tb_gn_uri("sip:example.com")};
  make_sans(&t, g, 4);
  CHECK(t.ok);
  mtk_ref r[4];
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r[0], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_ip(B("192.0.2.10"), &r[1], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_srv(B("_imaps.example.com"), &r[2], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_uri(B("sip:example.com"), &r[3], &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, r, 4, 0, &res), MTK_OK);
  CHECK(res.matched && res.ref == 1 && res.match.type == MTK_PID_IP);
  CHECK_STATUS(mtk_identity_match(&t.c, r + 2, 2, 0, &res), MTK_OK);
  CHECK(res.matched && res.ref == 0 && res.match.type == MTK_PID_SRV);
  CHECK_STATUS(mtk_identity_match(&t.c, r + 3, 1, 0, &res), MTK_OK);
  CHECK(res.matched && res.match.type == MTK_PID_URI);
  /* None: every presented identifier is listed with its reason. */
  CHECK_STATUS(mtk_identity_match(&t.c, r, 1, 0, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 4);
  CHECK(res.items[0].verdict == MTK_IDV_NO_MATCH && res.items[0].reason == MTK_IDR_DIFFERENT);
  CHECK(res.items[1].verdict == MTK_IDV_SKIPPED && res.items[1].reason == MTK_IDR_DIFFERENT_TYPE);
  CHECK(res.items[2].type == MTK_PID_SRV && res.items[3].type == MTK_PID_URI);
  CHECK(res.has_san && res.has_service_san);
  drop(&t);
}

/* R11: malformed entries are skipped and the rest still tried; a SAN that
 * cannot be decoded, or two SAN extensions, fail closed. */
TEST(rule_R11) {
  tcert t;
  tb_gn g[5] = {tb_gn_dns_n(B("www.example.com\0.evil.com")), tb_gn_dns("*.com"),
                tb_gn_ip("\x01\x02\x03", 3), tb_gn_uri("https:///x"),
                tb_gn_dns("www.example.com")};
  make_sans(&t, g, 5);
  CHECK(t.ok);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, &res), MTK_OK);
  CHECK(res.matched && res.match.index == 4);
  mtk_ref three[3];
  CHECK_STATUS(mtk_ref_parse_dns(B("other.example.com"), &three[0], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_ip(B("10.0.0.1"), &three[1], &d), MTK_OK);
  CHECK_STATUS(mtk_ref_parse_uri(B("https://other.example.com/"), &three[2], &d), MTK_OK);
  CHECK_STATUS(mtk_identity_match(&t.c, three, 3, 0, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 5);
  CHECK(res.items[0].reason == MTK_IDR_NUL && res.items[0].verdict == MTK_IDV_SKIPPED);
  CHECK(res.items[1].reason == MTK_IDR_WILDCARD_TOO_FEW_LABELS);
  CHECK(res.items[2].reason == MTK_IDR_IP_LENGTH);
  CHECK(res.items[3].reason == MTK_IDR_URI_NO_HOST);
  CHECK(res.items[4].reason == MTK_IDR_DIFFERENT && res.items[4].verdict == MTK_IDV_NO_MATCH);
  CHECK(res.items[4].ref == 0);
  /* With a DNS reference only, the IP and URI entries are of another type:
   * that is their reason, malformed or not. */
  CHECK_STATUS(mtk_identity_match(&t.c, three, 1, 0, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 5);
  CHECK(res.items[0].reason == MTK_IDR_NUL);
  CHECK(res.items[2].reason == MTK_IDR_DIFFERENT_TYPE);
  CHECK(res.items[3].reason == MTK_IDR_DIFFERENT_TYPE);

  /* Fail closed: the SAN value made undecodable after the parse. */
  mtk_cert bad = t.c;
  static const uint8_t garbage[] = {0x30, 0x05, 0x82, 0x09, 'a', 'b', 'c'};
  mtk_cbs_init(&bad.exts.known[MTK_XK_SAN].value, garbage, sizeof garbage);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  CHECK_STATUS(mtk_identity_match(&bad, &r, 1, 0, &res), MTK_ERR_X509_EXTENSION);
  CHECK(!res.matched);
  static const uint8_t not_seq[] = {0x04, 0x00};
  mtk_cbs_init(&bad.exts.known[MTK_XK_SAN].value, not_seq, sizeof not_seq);
  CHECK_STATUS(mtk_identity_match(&bad, &r, 1, 0, &res), MTK_ERR_X509_EXTENSION);
  bad = t.c;
  bad.exts.known_count[MTK_XK_SAN] = 2;
  CHECK_STATUS(mtk_identity_match(&bad, &r, 1, 0, &res), MTK_ERR_X509_EXTENSION);
  CHECK(!res.matched);
  drop(&t);
}

TEST(rule_R12) {
  run_rule("R12");
  /* Even a certificate with no SAN at all: the CN is listed, ignored. */
  tcert t;
  const char *cn = "www.example.com";
  make(&t, NULL, 0, false, &cn, NULL, 1, MTK_ASN1_PRINTABLESTRING);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 1 && res.items[0].type == MTK_PID_CN);
  CHECK(!res.has_san);
  drop(&t);
}

/* R13 with SAN entries: any DNS, SRV, URI or IP entry turns the fallback
 * off, malformed ones included; rfc822Name does not. */
static void cn_with(const tb_gn *g, size_t n, bool san_ext, bool want_match, mtk_id_reason want) {
  tcert t;
  const char *cn = "www.example.com";
  make(&t, g, n, san_ext, &cn, NULL, 1, MTK_ASN1_UTF8STRING);
  CHECK(t.ok);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, RFC6125, &res), MTK_OK);
  CHECK(res.matched == want_match);
  if (want_match) {
    CHECK(res.match.type == MTK_PID_CN && res.match.reason == want);
  } else {
    CHECK(res.n_items == n + 1);
    CHECK(res.n_items > n && res.items[n].type == MTK_PID_CN && res.items[n].reason == want);
  }
  drop(&t);
}

TEST(rule_R13) {
  run_rule("R13");
  tb_gn email = tb_gn_email("ops@example.com");
  cn_with(NULL, 0, false, true, MTK_IDR_MATCH_CN);            /* no SAN extension */
  cn_with(&email, 1, true, true, MTK_IDR_MATCH_CN);           /* only an rfc822Name */
  tb_gn dns = tb_gn_dns("other.example.com");
  cn_with(&dns, 1, true, false, MTK_IDR_CN_SAN_PRESENT);
  tb_gn bad_dns = tb_gn_dns("bad..example.com");
  cn_with(&bad_dns, 1, true, false, MTK_IDR_CN_SAN_PRESENT);  /* malformed still counts */
  tb_gn ip = tb_gn_ip_text("192.0.2.1");
  cn_with(&ip, 1, true, false, MTK_IDR_CN_SAN_PRESENT);       /* IP-ID counts (strict reading) */
  tb_gn uri = tb_gn_uri("urn:example:x");
  cn_with(&uri, 1, true, false, MTK_IDR_CN_SAN_PRESENT);
  tb_gn srv = srv_gn(B("_xmpp.example.net"), MTK_ASN1_IA5STRING);
  cn_with(&srv, 1, true, false, MTK_IDR_CN_SAN_PRESENT);

  /* Every DNS-form CN is a candidate, wherever it sits. */
  tcert t;
  const char *cns[3] = {"Example Server", "other.example.com", "www.example.com"};
  make(&t, NULL, 0, false, cns, NULL, 3, MTK_ASN1_UTF8STRING);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, RFC6125, &res), MTK_OK);
  CHECK(res.matched && res.match.index == 2 && res.match.type == MTK_PID_CN);
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 3 && res.items[2].reason == MTK_IDR_CN_IGNORED);
  drop(&t);

  /* A BMPString CN is not an ASCII DNS name. */
  const char bmp[] = "\0w\0w\0w\0.\0e\0x\0a\0m\0p\0l\0e\0.\0c\0o\0m";
  const char *bp = bmp;
  size_t bl = sizeof bmp - 1;
  make(&t, NULL, 0, false, &bp, &bl, 1, MTK_ASN1_BMPSTRING);
  CHECK(t.ok);
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, RFC6125, &res), MTK_OK);
  CHECK(!res.matched && res.n_items == 1 && res.items[0].reason == MTK_IDR_CN_NOT_DNS);
  drop(&t);
}

TEST(rule_R14) { run_rule("R14"); }
TEST(rule_R15) {
  run_ref_rows("R15");
  run_rule("R15");
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("café.example"), &r, &d), MTK_OK);
  CHECK(r.converted);
  CHECK_STATUS(mtk_ref_parse_dns(B("cafe.example"), &r, &d), MTK_OK);
  CHECK(!r.converted);
}
TEST(rule_R16) { run_rule("R16"); }
TEST(rule_R17) {
  run_rule("R17");
  char long_label[90];
  snprintf(long_label, sizeof long_label, "%sx.example.com", long63);
  CHECK(mtk_dns_presented_check((const uint8_t *)long_label, strlen(long_label), 0, true) ==
        MTK_IDR_TOO_LONG);
  CHECK(mtk_dns_presented_check((const uint8_t *)name253, 253, 0, true) == MTK_IDR_NONE);
  CHECK(mtk_dns_presented_check((const uint8_t *)name254, 254, 0, true) == MTK_IDR_TOO_LONG);
}
TEST(rule_W1) { run_rule("W1"); }
TEST(rule_W2) { run_rule("W2"); }
TEST(rule_W3) { run_rule("W3"); }
TEST(rule_W4) { run_rule("W4"); }
TEST(rule_W5) {
  run_ref_rows("W5");
  mtk_id_reason why;
  CHECK(!mtk_dns_match(UB("*.example.com"), UB("*.example.com"), 0, &why));
  CHECK(why == MTK_IDR_BAD_REFERENCE);
  CHECK(!mtk_dns_match((const uint8_t *)"www.example.com.", 16,
                       (const uint8_t *)"www.example.com", 15, 0, &why));
  CHECK(why == MTK_IDR_BAD_REFERENCE);
  CHECK(!mtk_dns_match(NULL, 0, (const uint8_t *)"a.b", 3, 0, &why));
}
TEST(rule_W6) { run_rule("W6"); }
TEST(rule_W7) { run_rule("W7"); }
TEST(rule_L1) { run_rule("L1"); }
TEST(rule_L2) { run_rule("L2"); }
TEST(rule_L3) { run_rule("L3"); }
TEST(rule_L4) { run_rule("L4"); }
TEST(rule_I1) { run_rule("I1"); }
TEST(rule_I2) { run_rule("I2"); }
TEST(rule_I3) { run_rule("I3"); }
TEST(rule_I4) { run_rule("I4"); }
TEST(rule_I5) { run_ref_rows("I5"); }
TEST(rule_S1) { run_rule("S1"); }
TEST(rule_S2) { run_rule("S2"); }
TEST(rule_S3) { run_rule("S3"); }
TEST(rule_S4) { run_rule("S4"); }
TEST(rule_U1) { run_rule("U1"); }
TEST(rule_U2) { run_rule("U2"); }
TEST(rule_U3) { run_rule("U3"); }
TEST(rule_U4) { run_rule("U4"); }

/* ---- the API around the rules --------------------------------------------------- */

TEST(result_overflow_counts_the_rest) {
  enum { N = MTK_ID_MAX_ITEMS + 8 };
  static char names[N][32];
  tb_gn g[N];
  for (size_t i = 0; i < N; i++) {
    snprintf(names[i], sizeof names[i], "h%zu.example.com", i);
    g[i] = tb_gn_dns(names[i]);
  }
  tcert t;
  make_sans(&t, g, N);
  CHECK(t.ok);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, &res), MTK_OK);
  CHECK(!res.matched);
  CHECK_EQ_INT(res.n_items, MTK_ID_MAX_ITEMS);
  CHECK_EQ_INT(res.n_more, 8);
  CHECK_STATUS(mtk_ref_parse_dns(B("h39.example.com"), &r, &d), MTK_OK);
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, &res), MTK_OK);
  CHECK(res.matched && res.match.index == 39);
  drop(&t);
}

TEST(bad_arguments) {
  tcert t;
  tb_gn g = tb_gn_dns("www.example.com");
  make_sans(&t, &g, 1);
  mtk_ref r;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_ref_parse_dns(B("www.example.com"), &r, &d), MTK_OK);
  mtk_match_result res;
  CHECK_STATUS(mtk_identity_match(NULL, &r, 1, 0, &res), MTK_ERR_ARG);
  CHECK_STATUS(mtk_identity_match(&t.c, NULL, 1, 0, &res), MTK_ERR_ARG);
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 0, 0, &res), MTK_ERR_ARG);
  CHECK_STATUS(mtk_identity_match(&t.c, &r, 1, 0, NULL), MTK_ERR_ARG);
  mtk_ref zero;
  memset(&zero, 0, sizeof zero);
  CHECK_STATUS(mtk_identity_match(&t.c, &zero, 1, 0, &res), MTK_ERR_ARG);
  CHECK(!res.matched);
  CHECK_STATUS(mtk_ref_parse_dns(NULL, 3, &r, &d), MTK_ERR_ARG);
  CHECK(!mtk_ip_match((const uint8_t *)"\1\2\3", 3, (const uint8_t *)"\1\2\3", 3, NULL));
  drop(&t);
}

TEST(reason_texts) {
  for (int i = 0; i < MTK_IDR__COUNT; i++) {
    CHECK(mtk_id_reason_text((mtk_id_reason)i)[0] != '\0');
    CHECK(mtk_id_reason_id((mtk_id_reason)i)[0] != '\0');
    for (int j = 0; j < i; j++)
      CHECK(strcmp(mtk_id_reason_id((mtk_id_reason)i), mtk_id_reason_id((mtk_id_reason)j)) != 0);
  }
  CHECK_STR(mtk_id_reason_text(MTK_IDR_WILDCARD_NOT_LEFTMOST), "wildcard not in leftmost label");
  CHECK_STR(mtk_id_reason_text(MTK_IDR_NUL), "malformed: embedded NUL");
  CHECK_STR(mtk_id_reason_text(MTK_IDR_DIFFERENT_TYPE),
            "different type: compared only with references of its own type (RFC 9525 6.2)");
  CHECK_STR(mtk_id_reason_text((mtk_id_reason)999), "unknown reason");
  CHECK_STR(mtk_status_name(MTK_ERR_IDENTITY_REF), "MTK_ERR_IDENTITY_REF");
  CHECK_EQ_INT(MTK_ERR_IDENTITY_REF, 600);
}

TEST(uri_split_parts) {
  mtk_uri_parts u;
  CHECK(mtk_uri_split(UB("https://u:p@Host.Example:8443/a?b#c"), &u) == MTK_IDR_NONE);
  CHECK(u.scheme_len == 5 && memcmp(u.scheme, "https", 5) == 0);
  CHECK(u.host_len == 12 && memcmp(u.host, "Host.Example", 12) == 0 && u.has_authority);
  CHECK(mtk_uri_split(UB("sip:alice@atlanta.example;transport=tcp"), &u) == MTK_IDR_NONE);
  CHECK(u.host_len == 15 && memcmp(u.host, "atlanta.example", 15) == 0 && !u.has_authority);
  CHECK(mtk_uri_split(UB("spiffe://td.example/ns/a"), &u) == MTK_IDR_NONE);
  CHECK(u.host_len == 10);
  CHECK(mtk_uri_split(UB("https://[::1]:8443/"), &u) == MTK_IDR_URI_IP_HOST && u.host_is_ip);
  CHECK(mtk_uri_split(UB("https://[::1/"), &u) == MTK_IDR_URI_MALFORMED);
  CHECK(mtk_uri_split(UB("https://[v1.x]/"), &u) == MTK_IDR_URI_MALFORMED);
  CHECK(mtk_uri_split(UB("1https://x.example/"), &u) == MTK_IDR_URI_NO_SCHEME);
  CHECK(mtk_uri_split(UB("https://x.example/%4"), &u) == MTK_IDR_URI_MALFORMED);
  CHECK(mtk_uri_split(NULL, 0, &u) == MTK_IDR_EMPTY);
}

int main(void) {
  memset(name253, 'a', 253);
  for (size_t i = 63; i < 253; i += 64) name253[i] = '.';
  memcpy(name254, name253, 253);
  name254[253] = 'a';
  for (size_t i = 63; i < 254; i += 64) name254[i] = '.';
  snprintf(label64, sizeof label64, "%sd.example", long63);

  RUN(rule_R1);
  RUN(rule_R3);
  RUN(rule_R4);
  RUN(rule_R5);
  RUN(rule_R6);
  RUN(rule_R7);
  RUN(rule_R8);
  RUN(rule_R9);
  RUN(rule_R10);
  RUN(rule_R11);
  RUN(rule_R12);
  RUN(rule_R13);
  RUN(rule_R14);
  RUN(rule_R15);
  RUN(rule_R16);
  RUN(rule_R17);
  RUN(rule_W1);
  RUN(rule_W2);
  RUN(rule_W3);
  RUN(rule_W4);
  RUN(rule_W5);
  RUN(rule_W6);
  RUN(rule_W7);
  RUN(rule_L1);
  RUN(rule_L2);
  RUN(rule_L3);
  RUN(rule_L4);
  RUN(rule_I1);
  RUN(rule_I2);
  RUN(rule_I3);
  RUN(rule_I4);
  RUN(rule_I5);
  RUN(rule_S1);
  RUN(rule_S2);
  RUN(rule_S3);
  RUN(rule_S4);
  RUN(rule_U1);
  RUN(rule_U2);
  RUN(rule_U3);
  RUN(rule_U4);
  RUN(result_overflow_counts_the_rest);
  RUN(bad_arguments);
  RUN(reason_texts);
  RUN(uri_split_parts);
  return test_summary();
}

/* str_test.c: string conversion, escaping, RFC 4514 names (the RFC's own
 * examples, section 4), IP text (the RFC 5952 cases), hex, base64, times
 * and durations (lib/str.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certgen.h"
#include "mtlskit/buf.h"
#include "mtlskit/str.h"
#include "mtlskit/x509.h"
#include "test.h"

static mtk_buf B;

static const char *S(void) { return B.p != NULL ? (const char *)B.p : ""; }

static void reset(void) { mtk_buf_reset(&B); }

/* Converts (tag, bytes) with |esc| and returns the text; |*flags| gets the
 * flags when not NULL. */
static const char *conv(mtk_tag tag, const void *p, size_t n, mtk_esc esc, unsigned *flags) {
  reset();
  unsigned f = 0;
  CHECK_STATUS(mtk_str_append(&B, tag, p, n, esc, &f), MTK_OK);
  if (flags != NULL) *flags = f;
  return S();
}

/* ---- conversion -------------------------------------------------------------------- */

TEST(utf8_valid_passes_through) {
  unsigned f = 9;
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "h\xC3\xA9llo \xF0\x9F\x98\x80", 11, MTK_ESC_TEXT, &f),
            "h\xC3\xA9llo \xF0\x9F\x98\x80");
  CHECK_EQ_INT(f, 0);
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "", 0, MTK_ESC_TEXT, &f), "");
}

TEST(utf8_invalid_becomes_replacement_per_maximal_subpart) {
  unsigned f = 0;
  /* a lone lead octet at the end */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "a\xC3", 2, MTK_ESC_RAW, &f), "a\xEF\xBF\xBD");
  CHECK(f & MTK_STR_LOSSY);
  /* overlong E0 80 80: E0 alone is the maximal subpart, then two stray
   * continuation octets: three U+FFFD (Unicode 15, 3.9) */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xE0\x80\x80", 3, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  /* an encoded surrogate */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xED\xA0\x80", 3, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  /* beyond U+10FFFF */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xF4\x90\x80\x80", 4, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  /* a truncated 4-octet sequence followed by ASCII: one U+FFFD */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xF0\x9F\x98" "A", 4, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD" "A");
  /* C0, C1, F5..FF are never valid */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xC0\xAF\xFF", 3, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ascii_types_replace_high_octets) {
  static const mtk_tag tags[] = {MTK_ASN1_PRINTABLESTRING, MTK_ASN1_IA5STRING,
                                 MTK_ASN1_VISIBLESTRING, MTK_ASN1_NUMERICSTRING};
  for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
    unsigned f = 0;
    CHECK_STR(conv(tags[i], "ab\xE9" "c", 4, MTK_ESC_RAW, &f), "ab\xEF\xBF\xBD" "c");
    CHECK(f & MTK_STR_LOSSY);
  }
  /* the alphabet is not enforced here: '*' and '@' are shown */
  CHECK_STR(conv(MTK_ASN1_PRINTABLESTRING, "*.example@", 10, MTK_ESC_TEXT, NULL), "*.example@");
}

TEST(bmpstring_ucs2) {
  unsigned f = 0;
  CHECK_STR(conv(MTK_ASN1_BMPSTRING, "\x00\x41\x00\xE9\x4E\x2D", 6, MTK_ESC_RAW, &f),
            "A\xC3\xA9\xE4\xB8\xAD");
  CHECK_EQ_INT(f, 0);
  /* odd length: the trailing octet becomes U+FFFD */
  CHECK_STR(conv(MTK_ASN1_BMPSTRING, "\x00\x41\x00", 3, MTK_ESC_RAW, &f), "A\xEF\xBF\xBD");
  CHECK(f & MTK_STR_LOSSY);
  /* surrogates, even a valid UTF-16 pair: UCS-2 has none */
  CHECK_STR(conv(MTK_ASN1_BMPSTRING, "\xD8\x3D\xDE\x00", 4, MTK_ESC_RAW, NULL),
            "\xEF\xBF\xBD\xEF\xBF\xBD");
  /* NUL inside is data, escaped in text */
  CHECK_STR(conv(MTK_ASN1_BMPSTRING, "\x00\x61\x00\x00\x00\x62", 6, MTK_ESC_TEXT, NULL),
            "a\\x00b");
}

TEST(universalstring_ucs4) {
  unsigned f = 0;
  CHECK_STR(conv(MTK_ASN1_UNIVERSALSTRING, "\x00\x00\x00\x41\x00\x01\xF6\x00", 8, MTK_ESC_RAW, &f),
            "A\xF0\x9F\x98\x80");
  CHECK_EQ_INT(f, 0);
  CHECK_STR(conv(MTK_ASN1_UNIVERSALSTRING, "\x00\x11\x00\x00", 4, MTK_ESC_RAW, &f), "\xEF\xBF\xBD");
  CHECK(f & MTK_STR_LOSSY);
  CHECK_STR(conv(MTK_ASN1_UNIVERSALSTRING, "\x00\x00\xD8\x00", 4, MTK_ESC_RAW, NULL), "\xEF\xBF\xBD");
  CHECK_STR(conv(MTK_ASN1_UNIVERSALSTRING, "\x00\x00\x00\x41\x00\x00", 6, MTK_ESC_RAW, NULL),
            "A\xEF\xBF\xBD");
}

TEST(teletex_is_latin1) {
  unsigned f = 0;
  CHECK_STR(conv(MTK_ASN1_T61STRING, "Caf\xE9", 4, MTK_ESC_RAW, &f), "Caf\xC3\xA9");
  CHECK_EQ_INT(f, 0);
  /* 0x9B is the C1 control CSI: escaped */
  CHECK_STR(conv(MTK_ASN1_T61STRING, "a\x9B" "1m", 4, MTK_ESC_TEXT, NULL), "a\\u{009b}1m");
  CHECK_STR(conv(MTK_ASN1_T61STRING, "a\x9B", 2, MTK_ESC_JSON, NULL), "a\\u009b");
}

TEST(other_types_are_hex_of_the_der) {
  unsigned f = 0;
  CHECK_STR(conv(MTK_ASN1_GENERALSTRING, "ab", 2, MTK_ESC_TEXT, &f), "#1b026162");
  CHECK(f & MTK_STR_HEX);
  CHECK_STR(conv(MTK_ASN1_OCTETSTRING, "Hi", 2, MTK_ESC_TEXT, NULL), "#04024869");
  CHECK_STR(conv(MTK_ASN1_INTEGER, "\x05", 1, MTK_ESC_TEXT, NULL), "#020105");
  CHECK_STR(conv(MTK_CTX(0), "\xFF", 1, MTK_ESC_TEXT, NULL), "#8001ff");
  CHECK_STR(conv(MTK_ASN1_SEQUENCE, "", 0, MTK_ESC_TEXT, NULL), "#3000");
  /* high tag number and long length form */
  uint8_t big[200];
  memset(big, 0xAB, sizeof big);
  const char *s = conv(MTK_TAG_CONTEXT | 31u, big, sizeof big, MTK_ESC_TEXT, NULL);
  CHECK(strncmp(s, "#9f1f81c8abab", 13) == 0);
  CHECK_EQ_INT(strlen(s), 1 + 2 * (2 + 2 + 200));
  s = conv(MTK_TAG_CONTEXT | 200u, "", 0, MTK_ESC_TEXT, NULL);
  CHECK_STR(s, "#9f814800");
}

/* ---- escaping ---------------------------------------------------------------------- */

TEST(text_escapes_controls_and_backslash) {
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "a\0b\x1b[31m\\\x7f\n", 11, MTK_ESC_TEXT, NULL),
            "a\\x00b\\x1b[31m\\\\\\x7f\\x0a");
  /* bidi override, zero-width space, line separator, BOM, soft hyphen */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "x\xE2\x80\xAEy\xE2\x80\x8B\xE2\x80\xA8\xEF\xBB\xBF\xC2\xAD", 16,
                 MTK_ESC_TEXT, NULL),
            "x\\u{202e}y\\u{200b}\\u{2028}\\u{feff}\\u{00ad}");
  /* ordinary non-ASCII stays */
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xC3\xA9\xE2\x82\xAC", 5, MTK_ESC_TEXT, NULL),
            "\xC3\xA9\xE2\x82\xAC");
}

TEST(json_escapes) {
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\"\\/\b\f\n\r\t\x01\x7f", 10, MTK_ESC_JSON, NULL),
            "\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u007f");
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "a\0b", 3, MTK_ESC_JSON, NULL), "a\\u0000b");
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xE2\x80\xAE\xC2\x85", 5, MTK_ESC_JSON, NULL),
            "\\u202e\\u0085");
  CHECK_STR(conv(MTK_ASN1_UTF8STRING, "\xF0\x9F\x98\x80", 4, MTK_ESC_JSON, NULL),
            "\xF0\x9F\x98\x80");
  reset();
  CHECK_STATUS(mtk_str_json_quote(&B, (const uint8_t *)"a\"b", 3), MTK_OK);
  CHECK_STR(S(), "\"a\\\"b\"");
}

TEST(raw_keeps_nul) {
  conv(MTK_ASN1_UTF8STRING, "a\0b", 3, MTK_ESC_RAW, NULL);
  CHECK_EQ_INT(B.len, 3);
  CHECK(memcmp(B.p, "a\0b", 3) == 0);
}

TEST(tag_names) {
  CHECK_STR(mtk_str_tag_name(MTK_ASN1_T61STRING), "TeletexString");
  CHECK_STR(mtk_str_tag_name(MTK_ASN1_BMPSTRING), "BMPString");
  CHECK(mtk_str_tag_name(MTK_CTX(0)) == NULL);
  reset();
  (void)mtk_str_tag(&B, MTK_CTX(3));
  (void)mtk_str_tag(&B, MTK_CTX_C(4));
  (void)mtk_str_tag(&B, MTK_TAG_APPLICATION | 1u);
  (void)mtk_str_tag(&B, MTK_TAG_PRIVATE | 2u);
  (void)mtk_str_tag(&B, 31u);
  CHECK_STR(S(), "[3][4] constructed[APPLICATION 1][PRIVATE 2][UNIVERSAL 31]");
  CHECK(mtk_str_is_string_tag(MTK_ASN1_UTF8STRING));
  CHECK(!mtk_str_is_string_tag(MTK_ASN1_GENERALSTRING));
}

/* ---- hex, base64, OIDs ---------------------------------------------------------------- */

TEST(hex_forms) {
  reset();
  (void)mtk_str_hex(&B, (const uint8_t *)"\x00\xAB\xFF", 3, ':', true);
  CHECK_STR(S(), "00:AB:FF");
  reset();
  (void)mtk_str_hex(&B, (const uint8_t *)"\x00\xAB\xFF", 3, 0, false);
  CHECK_STR(S(), "00abff");
  reset();
  (void)mtk_str_hex(&B, (const uint8_t *)"", 0, ':', true);
  CHECK_STR(S(), "");
  /* longer than the internal chunk */
  uint8_t big[100];
  memset(big, 0x5A, sizeof big);
  reset();
  (void)mtk_str_hex(&B, big, sizeof big, ':', false);
  CHECK_EQ_INT(B.len, 299);
  CHECK(B.p[296] == ':' && B.p[297] == '5' && B.p[298] == 'a');
}

TEST(base64_rfc4648_vectors) {
  static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *const out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t i = 0; i < 7; i++) {
    reset();
    (void)mtk_str_base64(&B, (const uint8_t *)in[i], strlen(in[i]));
    CHECK_STR(S(), out[i]);
  }
}

TEST(oids) {
  mtk_cbs o;
  reset();
  mtk_cbs_init(&o, (const uint8_t *)"\x55\x04\x03", 3);
  (void)mtk_str_oid(&B, &o);
  (void)mtk_buf_putc(&B, ' ');
  (void)mtk_str_oid_name(&B, &o);
  CHECK_STR(S(), "2.5.4.3 CN");
  reset();
  mtk_cbs_init(&o, (const uint8_t *)"\x2b\x06\x01\x04\x01\x8b\x3a\x00", 8);
  (void)mtk_str_oid_name(&B, &o);
  CHECK_STR(S(), "1.3.6.1.4.1.1466.0");
  reset();
  mtk_cbs_init(&o, (const uint8_t *)"\x2b\x86", 2); /* unterminated arc */
  (void)mtk_str_oid(&B, &o);
  CHECK_STR(S(), "#2b86");
}

/* ---- IP addresses (RFC 5952) ------------------------------------------------------------ */

static const char *ip6(const char *hex32) {
  uint8_t a[16];
  for (size_t i = 0; i < 16; i++) {
    char t[3] = {hex32[2 * i], hex32[2 * i + 1], 0};
    a[i] = (uint8_t)strtoul(t, NULL, 16);
  }
  reset();
  (void)mtk_str_ip(&B, a, 16);
  return S();
}

TEST(ipv6_rfc5952) {
  /* 4.2.1: leading zeros suppressed; 4.3: lowercase */
  CHECK_STR(ip6("20010DB8000000000000000000000001"), "2001:db8::1");
  /* 4.2.2: "::" MUST NOT shorten one 16-bit 0 field */
  CHECK_STR(ip6("20010db8000000010001000100010001"), "2001:db8:0:1:1:1:1:1");
  /* 4.2.3: the longest run is compressed */
  CHECK_STR(ip6("20010000000000010000000000000001"), "2001:0:0:1::1");
  /* 4.2.3: of equal runs, the first */
  CHECK_STR(ip6("20010db8000000000001000000000001"), "2001:db8::1:0:0:1");
  /* the section 4.2.1 / 2.1 example */
  CHECK_STR(ip6("20010db8000000000000000000020001"), "2001:db8::2:1");
  CHECK_STR(ip6("00000000000000000000000000000000"), "::");
  CHECK_STR(ip6("00000000000000000000000000000001"), "::1");
  CHECK_STR(ip6("00010000000000000000000000000000"), "1::");
  CHECK_STR(ip6("fe800000000000000000000000000000"), "fe80::");
  CHECK_STR(ip6("20010db8aaaabbbbccccddddeeeeffff"), "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
  CHECK_STR(ip6("20010db800000000000100000000000a"), "2001:db8::1:0:0:a");
  /* section 5: IPv4-mapped in mixed notation */
  CHECK_STR(ip6("00000000000000000000ffffc0000201"), "::ffff:192.0.2.1");
}

TEST(ipv4_and_constraints) {
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\xC0\x00\x02\x01", 4);
  CHECK_STR(S(), "192.0.2.1");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\x0A\x00\x00\x00\xFF\x00\x00\x00", 8);
  CHECK_STR(S(), "10.0.0.0/8");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\xC0\xA8\x01\x00\xFF\xFF\xFF\x80", 8);
  CHECK_STR(S(), "192.168.1.0/25");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\x0A\x00\x00\x00\xFF\x00\xFF\x00", 8);
  CHECK_STR(S(), "10.0.0.0/255.0.255.0");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\x00\x00\x00\x00\x00\x00\x00\x00", 8);
  CHECK_STR(S(), "0.0.0.0/0");
  uint8_t v6[32] = {0x20, 0x01, 0x0d, 0xb8};
  memset(v6 + 16, 0, 16);
  v6[16] = v6[17] = v6[18] = v6[19] = 0xFF;
  reset();
  (void)mtk_str_ip(&B, v6, 32);
  CHECK_STR(S(), "2001:db8::/32");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"\x01\x02\x03\x04\x05", 5);
  CHECK_STR(S(), "#0102030405");
  reset();
  (void)mtk_str_ip(&B, (const uint8_t *)"", 0);
  CHECK_STR(S(), "#");
}

/* ---- distinguished names (RFC 4514) ------------------------------------------------------ */

/* Builds |n| as DER, parses it, and writes it with |flags|. */
static const char *dn(tb_name *n, unsigned flags) {
  uint8_t *der = NULL;
  size_t len = 0;
  static uint8_t keep[4096];
  static mtk_name name;
  reset();
  if (tb_name_der(n, &der, &len) != 0 || len > sizeof keep) {
    CHECK(false);
    free(der);
    return "";
  }
  memcpy(keep, der, len);
  free(der);
  mtk_cbs c;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs_init(&c, keep, len);
  CHECK_STATUS(mtk_name_parse(&c, &name, &d), MTK_OK);
  CHECK_STATUS(mtk_str_name(&B, &name, flags, MTK_ESC_TEXT), MTK_OK);
  return S();
}

static void add(tb_name *n, const char *type, mtk_tag tag, const char *v, size_t len, bool same) {
  tb_name_add_ex(n, type, tag, v, len, same);
}

TEST(rfc4514_examples) {
  tb_name n = {0};
  /* RFC 4514 4: UID=jsmith,DC=example,DC=net */
  add(&n, "DC", MTK_ASN1_IA5STRING, "net", 3, false);
  add(&n, "DC", MTK_ASN1_IA5STRING, "example", 7, false);
  add(&n, "UID", MTK_ASN1_UTF8STRING, "jsmith", 6, false);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "UID=jsmith,DC=example,DC=net");
  CHECK_STR(dn(&n, MTK_DN_ONELINE), "DC=net, DC=example, UID=jsmith");
  tb_name_clear(&n);

  /* OU=Sales+CN=J.  Smith,DC=example,DC=net (multi-valued, encoding order) */
  n.unsorted = true;
  add(&n, "DC", MTK_ASN1_IA5STRING, "net", 3, false);
  add(&n, "DC", MTK_ASN1_IA5STRING, "example", 7, false);
  add(&n, "OU", MTK_ASN1_UTF8STRING, "Sales", 5, false);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "J.  Smith", 9, true);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "OU=Sales+CN=J.  Smith,DC=example,DC=net");
  CHECK_STR(dn(&n, MTK_DN_ONELINE), "DC=net, DC=example, OU=Sales + CN=J.  Smith");
  tb_name_clear(&n);

  /* CN=James \"Jim\" Smith\, III,DC=example,DC=net */
  add(&n, "DC", MTK_ASN1_IA5STRING, "net", 3, false);
  add(&n, "DC", MTK_ASN1_IA5STRING, "example", 7, false);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "James \"Jim\" Smith, III", 22, false);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net");
  tb_name_clear(&n);

  /* CN=Before\0DAfter,DC=example,DC=net (a carriage return) */
  add(&n, "DC", MTK_ASN1_IA5STRING, "net", 3, false);
  add(&n, "DC", MTK_ASN1_IA5STRING, "example", 7, false);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "Before\rAfter", 12, false);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "CN=Before\\0DAfter,DC=example,DC=net");
  tb_name_clear(&n);

  /* 1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com (a non-string value) */
  add(&n, "DC", MTK_ASN1_IA5STRING, "com", 3, false);
  add(&n, "DC", MTK_ASN1_IA5STRING, "example", 7, false);
  add(&n, "1.3.6.1.4.1.1466.0", MTK_ASN1_OCTETSTRING, "Hi", 2, false);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "1.3.6.1.4.1.1466.0=#04024869,DC=example,DC=com");
  tb_name_clear(&n);

  /* CN=Lu\C4\8Di\C4\87: the RFC escapes the UTF-8 octets; the raw UTF-8
   * form is equally valid (2.4) and the one we write. */
  add(&n, "CN", MTK_ASN1_UTF8STRING, "Lu\xC4\x8Di\xC4\x87", 7, false);
  CHECK_STR(dn(&n, MTK_DN_RFC4514), "CN=Lu\xC4\x8Di\xC4\x87");
  tb_name_clear(&n);
}

TEST(rfc4514_escaping_rules) {
  tb_name n = {0};
  /* leading '#' and ' ', trailing ' ', the specials, NUL */
  add(&n, "CN", MTK_ASN1_UTF8STRING, "#a b ", 5, false);
  CHECK_STR(dn(&n, 0), "CN=\\#a b\\ ");
  tb_name_clear(&n);
  add(&n, "CN", MTK_ASN1_UTF8STRING, " ", 1, false);
  CHECK_STR(dn(&n, 0), "CN=\\ ");
  tb_name_clear(&n);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "  ", 2, false);
  CHECK_STR(dn(&n, 0), "CN=\\ \\ ");
  tb_name_clear(&n);
  add(&n, "O", MTK_ASN1_UTF8STRING, "a+b;c<d>e\\f=g#h", 15, false);
  CHECK_STR(dn(&n, 0), "O=a\\+b\\;c\\<d\\>e\\\\f=g#h");
  tb_name_clear(&n);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "a\0b\x1b", 4, false);
  CHECK_STR(dn(&n, 0), "CN=a\\00b\\1B");
  tb_name_clear(&n);
  /* hidden code points as UTF-8 hex pairs */
  add(&n, "CN", MTK_ASN1_UTF8STRING, "a\xE2\x80\xAE" "b", 5, false);
  CHECK_STR(dn(&n, 0), "CN=a\\E2\\80\\AEb");
  tb_name_clear(&n);
  /* a BMPString value is converted before escaping */
  add(&n, "CN", MTK_ASN1_BMPSTRING, "\x00,\x00\xE9", 4, false);
  CHECK_STR(dn(&n, 0), "CN=\\,\xC3\xA9");
  tb_name_clear(&n);
  add(&n, "CN", MTK_ASN1_UTF8STRING, "", 0, false);
  CHECK_STR(dn(&n, 0), "CN=");
  tb_name_clear(&n);
  CHECK_STR(dn(&n, 0), ""); /* the empty Name */
  /* JSON on top of RFC 4514 escaping */
  add(&n, "CN", MTK_ASN1_UTF8STRING, "a,\"b", 4, false);
  dn(&n, 0);
  uint8_t *der = NULL;
  size_t len = 0;
  CHECK(tb_name_der(&n, &der, &len) == 0);
  mtk_cbs c;
  mtk_name name;
  mtk_cbs_init(&c, der, len);
  CHECK_STATUS(mtk_name_parse(&c, &name, NULL), MTK_OK);
  reset();
  (void)mtk_str_name(&B, &name, 0, MTK_ESC_JSON);
  CHECK_STR(S(), "CN=a\\\\,\\\\\\\"b");
  free(der);
  tb_name_clear(&n);
}

TEST(rfc4514_type_names) {
  tb_name n = {0};
  add(&n, "C", MTK_ASN1_PRINTABLESTRING, "FR", 2, false);
  add(&n, "ST", MTK_ASN1_UTF8STRING, "IdF", 3, false);
  add(&n, "L", MTK_ASN1_UTF8STRING, "Paris", 5, false);
  add(&n, "street", MTK_ASN1_UTF8STRING, "1 rue", 5, false);
  add(&n, "O", MTK_ASN1_UTF8STRING, "Ex", 2, false);
  add(&n, "OU", MTK_ASN1_UTF8STRING, "IT", 2, false);
  add(&n, "emailAddress", MTK_ASN1_IA5STRING, "a@b", 3, false);
  add(&n, "serialNumber", MTK_ASN1_PRINTABLESTRING, "42", 2, false);
  add(&n, "1.2.3.4", MTK_ASN1_UTF8STRING, "x", 1, false);
  CHECK_STR(dn(&n, MTK_DN_ONELINE),
            "C=FR, ST=IdF, L=Paris, STREET=1 rue, O=Ex, OU=IT, emailAddress=a@b, "
            "serialNumber=42, 1.2.3.4=x");
  /* strict: only the RFC 4514 3 names; everything else dotted with hex */
  CHECK_STR(dn(&n, MTK_DN_STRICT),
            "1.2.3.4=#0c0178,2.5.4.5=#13023432,1.2.840.113549.1.9.1=#1603614062,OU=IT,O=Ex,"
            "STREET=1 rue,L=Paris,ST=IdF,C=FR");
  tb_name_clear(&n);
  CHECK_STR(mtk_str_attr_type_name(MTK_OID_AT_CN, true), "CN");
  CHECK(mtk_str_attr_type_name(MTK_OID_EMAIL_ADDRESS, true) == NULL);
  CHECK_STR(mtk_str_attr_type_name(MTK_OID_EMAIL_ADDRESS, false), "emailAddress");
  CHECK(mtk_str_attr_type_name(MTK_OID_UNKNOWN, false) == NULL);
}

TEST(name_cn_takes_the_last) {
  tb_name n = {0};
  uint8_t *der = NULL;
  size_t len = 0;
  mtk_name name;
  mtk_cbs c;
  add(&n, "CN", MTK_ASN1_UTF8STRING, "first", 5, false);
  add(&n, "O", MTK_ASN1_UTF8STRING, "org", 3, false);
  add(&n, "CN", MTK_ASN1_BMPSTRING, "\x00l\x00\x00\x00" "a", 6, false);
  CHECK(tb_name_der(&n, &der, &len) == 0);
  mtk_cbs_init(&c, der, len);
  CHECK_STATUS(mtk_name_parse(&c, &name, NULL), MTK_OK);
  reset();
  CHECK(mtk_str_name_cn(&B, &name, MTK_ESC_TEXT));
  CHECK_STR(S(), "l\\x00a");
  free(der);
  tb_name_clear(&n);
  add(&n, "O", MTK_ASN1_UTF8STRING, "org", 3, false);
  CHECK(tb_name_der(&n, &der, &len) == 0);
  mtk_cbs_init(&c, der, len);
  CHECK_STATUS(mtk_name_parse(&c, &name, NULL), MTK_OK);
  reset();
  CHECK(!mtk_str_name_cn(&B, &name, MTK_ESC_TEXT));
  CHECK_EQ_INT(B.len, 0);
  free(der);
  tb_name_clear(&n);
}

TEST(long_name_stays_linear) {
  /* 100000 RDNs: an RFC 4514 walk that re-scanned the name per RDN would
   * take minutes (and the ctest timeout); the indexed walk takes ms. */
  enum { N = 100000 };
  static const uint8_t rdn[] = {0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'a'};
  size_t body = N * sizeof rdn;
  uint8_t *der = malloc(body + 5);
  CHECK(der != NULL);
  if (der == NULL) return;
  der[0] = 0x30; /* SEQUENCE, 3 length octets (1.2 MB) */
  der[1] = 0x83;
  der[2] = (uint8_t)(body >> 16);
  der[3] = (uint8_t)(body >> 8);
  der[4] = (uint8_t)body;
  for (size_t i = 0; i < N; i++) memcpy(der + 5 + i * sizeof rdn, rdn, sizeof rdn);
  mtk_cbs c;
  mtk_name name;
  mtk_cbs_init(&c, der, body + 5);
  CHECK_STATUS(mtk_name_parse(&c, &name, NULL), MTK_OK);
  CHECK_EQ_INT(name.n_rdns, N);
  reset();
  CHECK_STATUS(mtk_str_name(&B, &name, MTK_DN_RFC4514, MTK_ESC_TEXT), MTK_OK);
  CHECK_EQ_INT(B.len, (size_t)N * 5 - 1); /* "CN=a," per RDN, no final comma */
  free(der);
}

/* ---- times and durations ------------------------------------------------------------------ */

TEST(spans) {
  static const struct {
    int64_t s;
    const char *want;
  } cases[] = {{0, "0 seconds"},       {1, "1 second"},      {59, "59 seconds"},
               {60, "1 minute"},       {3599, "59 minutes"}, {3600, "1 hour"},
               {86399, "23 hours"},    {86400, "1 day"},     {41 * 86400 + 5, "41 days"},
               {-3 * 86400, "3 days"}, {INT64_MIN, "106751991167300 days"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    reset();
    (void)mtk_str_span(&B, cases[i].s);
    CHECK_STR(S(), cases[i].want);
  }
}

TEST(validity_phrases) {
  mtk_time nb = tb_time(2025, 1, 1, 0, 0, 0), na = tb_time(2026, 2, 2, 23, 59, 59);
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, na - 41 * 86400 - 100), 0);
  CHECK_STR(S(), "valid, expires in 41 days");
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, na + 3 * 86400 + 7), 1);
  CHECK_STR(S(), "expired 3 days ago");
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, nb - 2 * 86400), -1);
  CHECK_STR(S(), "not yet valid, starts in 2 days");
  /* both ends inclusive */
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, na), 0);
  CHECK_STR(S(), "valid, expires in 0 seconds");
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, nb), 0);
  reset();
  CHECK_EQ_INT(mtk_str_validity_status(&B, nb, na, na + 1), 1);
  CHECK_STR(S(), "expired 1 second ago");
}

TEST(lifetimes) {
  mtk_time nb = tb_time(2025, 1, 1, 0, 0, 0);
  reset();
  (void)mtk_str_lifetime(&B, nb, nb + 398 * 86400 - 1); /* the BR 398-day maximum */
  CHECK_STR(S(), "398 days");
  reset();
  (void)mtk_str_lifetime(&B, nb, nb + 398 * 86400); /* one second more */
  CHECK_STR(S(), "398 days");
  reset();
  (void)mtk_str_lifetime(&B, nb, nb + 397 * 86400 + 12 * 3600 - 1);
  CHECK_STR(S(), "397 days 12 hours");
  reset();
  (void)mtk_str_lifetime(&B, nb, nb);
  CHECK_STR(S(), "1 second");
  reset();
  (void)mtk_str_lifetime(&B, nb, nb + 7199);
  CHECK_STR(S(), "2 hours");
  reset();
  (void)mtk_str_lifetime(&B, nb, nb - 1);
  CHECK_STR(S(), "none (notAfter is before notBefore)");
  reset();
  (void)mtk_str_time(&B, tb_time(2026, 2, 3, 4, 5, 6));
  CHECK_STR(S(), "2026-02-03T04:05:06Z");
}

TEST(overflow_is_sticky) {
  mtk_buf small;
  mtk_buf_init(&small, 8);
  CHECK_STATUS(mtk_str_append(&small, MTK_ASN1_UTF8STRING, (const uint8_t *)"0123456789", 10,
                              MTK_ESC_TEXT, NULL),
               MTK_ERR_LIMIT);
  CHECK_STATUS(mtk_str_hex(&small, (const uint8_t *)"a", 1, 0, false), MTK_ERR_LIMIT);
  CHECK_STATUS(mtk_buf_status(&small), MTK_ERR_LIMIT);
  mtk_buf_free(&small);
}

int main(void) {
  mtk_buf_init(&B, MTK_MAX_RENDER);
  RUN(utf8_valid_passes_through);
  RUN(utf8_invalid_becomes_replacement_per_maximal_subpart);
  RUN(ascii_types_replace_high_octets);
  RUN(bmpstring_ucs2);
  RUN(universalstring_ucs4);
  RUN(teletex_is_latin1);
  RUN(other_types_are_hex_of_the_der);
  RUN(text_escapes_controls_and_backslash);
  RUN(json_escapes);
  RUN(raw_keeps_nul);
  RUN(tag_names);
  RUN(hex_forms);
  RUN(base64_rfc4648_vectors);
  RUN(oids);
  RUN(ipv6_rfc5952);
  RUN(ipv4_and_constraints);
  RUN(rfc4514_examples);
  RUN(rfc4514_escaping_rules);
  RUN(rfc4514_type_names);
  RUN(name_cn_takes_the_last);
  RUN(long_name_stays_linear);
  RUN(spans);
  RUN(validity_phrases);
  RUN(lifetimes);
  RUN(overflow_is_sticky);
  mtk_buf_free(&B);
  return test_summary();
}

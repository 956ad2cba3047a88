/* der_test.c: tests for lib/der.c (the bounded cursor, the strict DER
 * readers, time) and lib/err.c (status names, diagnostics). Every strict-DER
 * rule has an accept and a reject case; negative cases assert the exact
 * status, the offset, and, where it matters, the recorded quirk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtlskit/der.h"
#include "test.h"

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

/* A cursor over a hex string, at absolute offset |base|. */
typedef struct hexbuf {
  uint8_t b[512];
  mtk_cbs c;
} hexbuf;

static mtk_cbs *hx(hexbuf *h, const char *hex, size_t base) {
  size_t n = unhex(hex, h->b);
  h->c.p = h->b;
  h->c.len = n;
  h->c.off = base;
  return &h->c;
}

static bool has_quirk(const mtk_diag *d, mtk_quirk_kind k) {
  for (size_t i = 0; i < d->n_quirks; i++)
    if (d->quirks[i].kind == k) return true;
  return false;
}

/* ---- the cursor ------------------------------------------------------------------ */

TEST(cbs_basics) {
  static const uint8_t data[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  mtk_cbs c;
  mtk_cbs_init(&c, data, sizeof data);
  CHECK(c.p == data && c.len == 10 && c.off == 0);
  uint8_t u8;
  uint16_t u16;
  uint32_t u24;
  uint64_t u64;
  CHECK(mtk_cbs_get_u8(&c, &u8) && u8 == 1 && c.off == 1 && c.len == 9);
  CHECK(mtk_cbs_get_u16(&c, &u16) && u16 == 0x0203 && c.off == 3);
  CHECK(mtk_cbs_get_u24(&c, &u24) && u24 == 0x040506 && c.off == 6);
  /* Short reads fail and leave the cursor alone. */
  CHECK(!mtk_cbs_get_u64(&c, &u64));
  CHECK(c.off == 6 && c.len == 4);
  CHECK(!mtk_cbs_skip(&c, 5));
  CHECK(c.off == 6 && c.len == 4);
  CHECK(mtk_cbs_skip(&c, 0));
  mtk_cbs sub;
  CHECK(mtk_cbs_get_bytes(&c, &sub, 3));
  CHECK(sub.p == data + 6 && sub.len == 3 && sub.off == 6);
  CHECK(c.len == 1 && c.off == 9);
  CHECK(!mtk_cbs_get_bytes(&c, &sub, 2));
  CHECK(!mtk_cbs_get_u16(&c, &u16));
  CHECK(!mtk_cbs_get_u24(&c, &u24));
  CHECK(mtk_cbs_skip(&c, 1) && c.len == 0);
  CHECK(!mtk_cbs_get_u8(&c, &u8));

  mtk_cbs_init(&c, data, 8);
  CHECK(mtk_cbs_get_u64(&c, &u64) && u64 == 0x0102030405060708u && c.len == 0);

  /* eq_bytes */
  mtk_cbs_init(&c, data, 3);
  CHECK(mtk_cbs_eq_bytes(&c, data, 3));
  CHECK(!mtk_cbs_eq_bytes(&c, data, 2));
  CHECK(!mtk_cbs_eq_bytes(&c, data + 1, 3));
  mtk_cbs_init(&c, NULL, 0);
  CHECK(mtk_cbs_eq_bytes(&c, NULL, 0));
}

TEST(cbs_prefixed) {
  hexbuf h;
  mtk_cbs out;
  mtk_cbs *c = hx(&h, "02 aa bb 00 01 cc", 100);
  CHECK(mtk_cbs_get_u8_prefixed(c, &out));
  CHECK(out.len == 2 && out.p[0] == 0xaa && out.off == 101);
  CHECK(mtk_cbs_get_u16_prefixed(c, &out));
  CHECK(out.len == 1 && out.p[0] == 0xcc && out.off == 105 && c->len == 0);
  /* Too short: unchanged. */
  c = hx(&h, "03 aa bb", 0);
  CHECK(!mtk_cbs_get_u8_prefixed(c, &out));
  CHECK(c->len == 3 && c->off == 0);
  c = hx(&h, "00 03 aa bb", 0);
  CHECK(!mtk_cbs_get_u16_prefixed(c, &out));
  CHECK(c->len == 4);
  c = hx(&h, "00", 0);
  CHECK(!mtk_cbs_get_u16_prefixed(c, &out));
  c = hx(&h, "", 0);
  CHECK(!mtk_cbs_get_u8_prefixed(c, &out));
  /* A TLS-style list: each entry u16-prefixed. */
  c = hx(&h, "00 01 aa 00 00 00 02 bb cc", 0);
  size_t n = 0;
  while (c->len > 0 && mtk_cbs_get_u16_prefixed(c, &out)) n++;
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(c->len, 0);
}

/* ---- framing: mtk_der_get_any ---------------------------------------------------- */

TEST(framing_table) {
  static const struct {
    const char *name;
    const char *hex;
    mtk_status want;
    size_t at;       /* error offset (relative to base 0x40) */
    mtk_tag tag;     /* on success */
    size_t body_len; /* on success */
  } cases[] = {
      {"short INTEGER", "02 01 05", MTK_OK, 0, MTK_ASN1_INTEGER, 1},
      {"empty OCTET STRING", "04 00", MTK_OK, 0, MTK_ASN1_OCTETSTRING, 0},
      {"SEQUENCE", "30 03 02 01 00", MTK_OK, 0, MTK_ASN1_SEQUENCE, 3},
      {"context [0] constructed", "a0 00", MTK_OK, 0, MTK_CTX_C(0), 0},
      {"context [2] primitive", "82 01 61", MTK_OK, 0, MTK_CTX(2), 1},
      {"application 1", "41 00", MTK_OK, 0, MTK_TAG_APPLICATION | 1, 0},
      {"private 3 constructed", "e3 00", MTK_OK, 0, MTK_TAG_PRIVATE | MTK_TAG_CONSTRUCTED | 3, 0},
      {"high tag 31", "1f 1f 00", MTK_OK, 0, 31, 0},
      {"high tag 128", "9f 81 00 00", MTK_OK, 0, MTK_TAG_CONTEXT | 128, 0},
      {"high tag max", "1f 81 ff ff ff 7f 00", MTK_OK, 0, 0x1fffffff, 0},
      {"empty input", "", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"no length octet", "02", MTK_ERR_DER_TRUNCATED, 1, 0, 0},
      {"indefinite length", "30 80 02 01 00 00 00", MTK_ERR_DER_INDEFINITE, 1, 0, 0},
      {"non-minimal 0x81 0x05", "04 81 05 00 00 00 00 00", MTK_ERR_DER_LENGTH_NONMINIMAL, 1, 0, 0},
      {"non-minimal 0x81 0x00", "04 81 00", MTK_ERR_DER_LENGTH_NONMINIMAL, 1, 0, 0},
      {"non-minimal leading zero", "04 82 00 80", MTK_ERR_DER_LENGTH_NONMINIMAL, 1, 0, 0},
      {"non-minimal 4 octets", "04 84 00 00 01 00", MTK_ERR_DER_LENGTH_NONMINIMAL, 1, 0, 0},
      {"5 length octets", "04 85 00 00 00 00 01 00", MTK_ERR_DER_LENGTH_TOO_LONG, 1, 0, 0},
      {"0xff length octets", "04 ff", MTK_ERR_DER_LENGTH_TOO_LONG, 1, 0, 0},
      {"truncated length octets", "04 82 01", MTK_ERR_DER_TRUNCATED, 1, 0, 0},
      {"length past the end", "02 05 01", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"4-octet length past the end", "04 84 01 00 00 00", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"huge length", "04 84 ff ff ff ff 00", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"high tag leading 0x80", "1f 80 01 00", MTK_ERR_DER_HIGH_TAG, 0, 0, 0},
      {"high form for tag 30", "1f 1e 00", MTK_ERR_DER_HIGH_TAG, 0, 0, 0},
      {"high form for tag 0", "1f 00 00", MTK_ERR_DER_HIGH_TAG, 0, 0, 0},
      {"high tag too large", "1f 82 80 80 80 00 00", MTK_ERR_DER_HIGH_TAG, 0, 0, 0},
      {"high tag too long", "1f ff ff ff ff 7f 00", MTK_ERR_DER_HIGH_TAG, 0, 0, 0},
      {"high tag truncated", "1f", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"high tag truncated mid", "1f 81", MTK_ERR_DER_TRUNCATED, 0, 0, 0},
      {"high tag, no length", "1f 1f", MTK_ERR_DER_TRUNCATED, 2, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_cbs *c = hx(&h, cases[i].hex, 0x40);
    mtk_cbs before = *c, body = {0}, elem = {0};
    mtk_tag tag = 0;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_status s = mtk_der_get_any(c, &tag, &body, &elem, &d);
    if (s != cases[i].want) fprintf(stderr, "framing case \"%s\"\n", cases[i].name);
    CHECK_STATUS(s, cases[i].want);
    if (s == MTK_OK) {
      CHECK_EQ_INT(tag, cases[i].tag);
      CHECK_EQ_INT(body.len, cases[i].body_len);
      CHECK_EQ_INT(body.off + body.len, 0x40 + before.len - c->len);
      CHECK(elem.p == before.p && elem.off == 0x40);
      CHECK_EQ_INT(elem.len, before.len - c->len);
      CHECK(body.p == before.p + (body.off - 0x40));
      mtk_tag peek = 0;
      CHECK(mtk_der_peek_tag(&before, &peek) && peek == cases[i].tag);
    } else {
      if (d.err.offset != 0x40 + cases[i].at)
        fprintf(stderr, "framing case \"%s\": offset %zu\n", cases[i].name, d.err.offset);
      CHECK_EQ_INT(d.err.offset, 0x40 + cases[i].at);
      CHECK_EQ_INT(d.err.code, cases[i].want);
      CHECK(d.err.detail[0] != '\0');
      /* The cursor did not move. */
      CHECK(c->p == before.p && c->len == before.len && c->off == before.off);
    }
  }
}

TEST(framing_long_lengths) {
  /* 0x81 0x80 (128) is the shortest long form; 0x82 0x01 0x00 (256). */
  static uint8_t buf[70000];
  mtk_cbs c, body;
  mtk_tag tag;
  size_t sizes[] = {127, 128, 255, 256, 65535, 65536};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    size_t n = sizes[i], k = 0;
    buf[k++] = 0x04;
    if (n < 0x80) {
      buf[k++] = (uint8_t)n;
    } else if (n < 0x100) {
      buf[k++] = 0x81;
      buf[k++] = (uint8_t)n;
    } else if (n < 0x10000) {
      buf[k++] = 0x82;
      buf[k++] = (uint8_t)(n >> 8);
      buf[k++] = (uint8_t)n;
    } else {
      buf[k++] = 0x83;
      buf[k++] = (uint8_t)(n >> 16);
      buf[k++] = (uint8_t)(n >> 8);
      buf[k++] = (uint8_t)n;
    }
    memset(buf + k, 0xab, n);
    mtk_cbs_init(&c, buf, k + n);
    CHECK_STATUS(mtk_der_get_any(&c, &tag, &body, NULL, NULL), MTK_OK);
    CHECK_EQ_INT(body.len, n);
    CHECK_EQ_INT(body.off, k);
    CHECK_EQ_INT(c.len, 0);
    /* One byte short. */
    mtk_cbs_init(&c, buf, k + n - 1);
    CHECK_STATUS(mtk_der_get_any(&c, &tag, &body, NULL, NULL), MTK_ERR_DER_TRUNCATED);
  }
  /* NULL out-params are allowed. */
  hexbuf h;
  mtk_cbs *cp = hx(&h, "05 00", 0);
  CHECK_STATUS(mtk_der_get_any(cp, NULL, NULL, NULL, NULL), MTK_OK);
  CHECK_EQ_INT(cp->len, 0);
}

TEST(peek_tag) {
  hexbuf h;
  mtk_tag t = 0;
  CHECK(!mtk_der_peek_tag(hx(&h, "", 0), &t));
  CHECK(!mtk_der_peek_tag(hx(&h, "1f 80 01 00", 0), &t));
  CHECK(!mtk_der_peek_tag(hx(&h, "02", 0), &t)); /* no length octet */
  mtk_cbs *c = hx(&h, "a3 05", 0);              /* body missing: the header is fine */
  CHECK(mtk_der_peek_tag(c, &t) && t == MTK_CTX_C(3));
  CHECK_EQ_INT(c->len, 2);
}

TEST(get_and_tags) {
  hexbuf h;
  mtk_diag d;
  mtk_cbs body, elem;
  mtk_diag_init(&d);
  mtk_cbs *c = hx(&h, "01 01 ff 02 01 05", 10);
  CHECK_STATUS(mtk_der_get(c, MTK_ASN1_INTEGER, &body, &d), MTK_ERR_DER_TAG);
  CHECK_EQ_INT(d.err.offset, 10);
  CHECK_STR(d.err.detail, "expected INTEGER, found BOOLEAN");
  CHECK_EQ_INT(c->len, 6);
  CHECK_STATUS(mtk_der_get(c, MTK_ASN1_BOOLEAN, &body, NULL), MTK_OK);
  CHECK(body.len == 1 && body.off == 12);
  CHECK_STATUS(mtk_der_get_element(c, MTK_ASN1_INTEGER, &elem, &body, NULL), MTK_OK);
  CHECK(elem.off == 13 && elem.len == 3 && body.off == 15 && body.len == 1);
  CHECK_STATUS(mtk_der_get(c, MTK_ASN1_INTEGER, NULL, NULL), MTK_ERR_DER_TRUNCATED);

  /* Tag names in messages. */
  static const struct {
    const char *hex;
    mtk_tag want;
    const char *detail;
  } names[] = {
      {"a0 00", MTK_ASN1_SEQUENCE, "expected SEQUENCE, found [0] constructed"},
      {"81 00", MTK_ASN1_SET, "expected SET, found [1]"},
      {"41 00", MTK_ASN1_OID, "expected OBJECT IDENTIFIER, found [APPLICATION 1]"},
      {"df 20 00", MTK_ASN1_NULL, "expected NULL, found [PRIVATE 32]"},
      {"0c 00", MTK_ASN1_OCTETSTRING, "expected OCTET STRING, found [UNIVERSAL 12]"},
      {"30 00", MTK_ASN1_BITSTRING, "expected BIT STRING, found SEQUENCE"},
      {"17 00", MTK_ASN1_GENERALIZEDTIME, "expected GeneralizedTime, found UTCTime"},
      {"18 00", MTK_ASN1_UTCTIME, "expected UTCTime, found GeneralizedTime"},
      {"31 00", MTK_CTX_C(5), "expected [5] constructed, found SET"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    mtk_diag_init(&d);
    CHECK_STATUS(mtk_der_get(hx(&h, names[i].hex, 0), names[i].want, NULL, &d), MTK_ERR_DER_TAG);
    CHECK_STR(d.err.detail, names[i].detail);
  }
}

TEST(get_optional) {
  hexbuf h;
  mtk_diag d;
  mtk_cbs body;
  bool present = true;
  mtk_diag_init(&d);
  mtk_cbs *c = hx(&h, "a0 03 02 01 02 02 01 05", 0);
  CHECK_STATUS(mtk_der_get_optional(c, MTK_CTX_C(0), &body, &present, &d), MTK_OK);
  CHECK(present && body.len == 3 && c->len == 3);
  CHECK_STATUS(mtk_der_get_optional(c, MTK_CTX_C(0), &body, &present, &d), MTK_OK);
  CHECK(!present && c->len == 3);
  CHECK_STATUS(mtk_der_get_optional(c, MTK_ASN1_INTEGER, &body, &present, &d), MTK_OK);
  CHECK(present && c->len == 0);
  /* Empty: absent. */
  CHECK_STATUS(mtk_der_get_optional(c, MTK_ASN1_INTEGER, &body, &present, &d), MTK_OK);
  CHECK(!present);
  /* A malformed header is left for the next reader. */
  c = hx(&h, "30 80 00 00", 0);
  CHECK_STATUS(mtk_der_get_optional(c, MTK_ASN1_SEQUENCE, &body, &present, &d), MTK_OK);
  CHECK(!present && c->len == 4);
  CHECK_EQ_INT(d.err.code, MTK_OK);
  /* Right tag, body truncated: the error. */
  c = hx(&h, "a0 05 00", 0);
  CHECK_STATUS(mtk_der_get_optional(c, MTK_CTX_C(0), &body, &present, &d), MTK_ERR_DER_TRUNCATED);
  CHECK(!present && c->len == 3);
}

TEST(expect_end) {
  hexbuf h;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_expect_end(hx(&h, "", 7), "x", &d), MTK_OK);
  CHECK_STATUS(mtk_der_expect_end(hx(&h, "00 00", 7), "TBSCertificate", &d),
               MTK_ERR_DER_TRAILING);
  CHECK_EQ_INT(d.err.offset, 7);
  CHECK_STR(d.err.detail, "2 unexpected bytes after TBSCertificate");
}

/* ---- INTEGER ------------------------------------------------------------------------ */

TEST(integers) {
  static const struct {
    const char *hex; /* contents */
    mtk_status strict;
    bool negative;
  } cases[] = {
      {"00", MTK_OK, false},
      {"7f", MTK_OK, false},
      {"80", MTK_OK, true},
      {"ff", MTK_OK, true},
      {"00 80", MTK_OK, false},
      {"ff 7f", MTK_OK, true},
      {"01 00", MTK_OK, false},
      {"00 7f", MTK_ERR_DER_INTEGER, false},
      {"00 00", MTK_ERR_DER_INTEGER, false},
      {"ff 80", MTK_ERR_DER_INTEGER, true},
      {"ff ff", MTK_ERR_DER_INTEGER, true},
      {"", MTK_ERR_DER_INTEGER, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    bool neg = !cases[i].negative;
    mtk_cbs *body = hx(&h, cases[i].hex, 5);
    CHECK_STATUS(mtk_der_check_integer(body, false, &neg, &d), cases[i].strict);
    if (cases[i].strict == MTK_OK) {
      CHECK_EQ_INT(neg, cases[i].negative);
      CHECK_EQ_INT(d.n_quirks, 0);
    } else {
      CHECK_EQ_INT(d.err.offset, 5);
    }
    /* With padding allowed: padded ones pass and are recorded. */
    mtk_diag_init(&d);
    neg = !cases[i].negative;
    mtk_status s = mtk_der_check_integer(body, true, &neg, &d);
    if (body->len == 0) {
      CHECK_STATUS(s, MTK_ERR_DER_INTEGER);
    } else {
      CHECK_STATUS(s, MTK_OK);
      CHECK_EQ_INT(neg, cases[i].negative);
      CHECK_EQ_INT(d.n_quirks, cases[i].strict == MTK_OK ? 0 : 1);
      if (d.n_quirks == 1) {
        CHECK_EQ_INT(d.quirks[0].kind, MTK_QUIRK_INTEGER_PADDED);
        CHECK_EQ_INT(d.quirks[0].offset, 5);
      }
    }
    CHECK_STATUS(mtk_der_check_integer(body, true, NULL, NULL), body->len ? MTK_OK : MTK_ERR_DER_INTEGER);
  }
  /* The element reader. */
  hexbuf h;
  mtk_cbs out;
  mtk_diag d;
  mtk_diag_init(&d);
  mtk_cbs *c = hx(&h, "02 02 00 7f", 0);
  CHECK_STATUS(mtk_der_get_integer(c, &out, &d), MTK_ERR_DER_INTEGER);
  CHECK_EQ_INT(d.err.offset, 2);
  CHECK_EQ_INT(c->len, 4);
  c = hx(&h, "02 00", 0);
  CHECK_STATUS(mtk_der_get_integer(c, &out, NULL), MTK_ERR_DER_INTEGER);
  c = hx(&h, "02 03 00 ff 01", 0);
  CHECK_STATUS(mtk_der_get_integer(c, &out, NULL), MTK_OK);
  CHECK(out.len == 3 && out.off == 2 && c->len == 0);
  c = hx(&h, "0a 01 01", 0); /* ENUMERATED is not INTEGER */
  CHECK_STATUS(mtk_der_get_integer(c, &out, NULL), MTK_ERR_DER_TAG);
}

TEST(uint64s) {
  static const struct {
    const char *hex; /* element */
    mtk_status want;
    uint64_t value;
  } cases[] = {
      {"02 01 00", MTK_OK, 0},
      {"02 01 7f", MTK_OK, 127},
      {"02 02 00 80", MTK_OK, 128},
      {"02 02 01 00", MTK_OK, 256},
      {"02 08 7f ff ff ff ff ff ff ff", MTK_OK, 0x7fffffffffffffffu},
      {"02 09 00 ff ff ff ff ff ff ff ff", MTK_OK, UINT64_MAX},
      {"02 09 01 00 00 00 00 00 00 00 00", MTK_ERR_DER_RANGE, 0},
      {"02 01 ff", MTK_ERR_DER_RANGE, 0},
      {"02 02 80 00", MTK_ERR_DER_RANGE, 0},
      {"02 02 00 01", MTK_ERR_DER_INTEGER, 0},
      {"02 00", MTK_ERR_DER_INTEGER, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    uint64_t v = 12345;
    mtk_cbs *c = hx(&h, cases[i].hex, 0);
    size_t len0 = c->len;
    CHECK_STATUS(mtk_der_get_uint64(c, &v, NULL), cases[i].want);
    if (cases[i].want == MTK_OK) {
      CHECK(v == cases[i].value);
      CHECK_EQ_INT(c->len, 0);
    } else {
      CHECK_EQ_INT(c->len, len0);
    }
  }
  /* int_to_u64 directly. */
  hexbuf h;
  uint64_t v;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_int_to_u64(hx(&h, "", 3), &v, &d), MTK_ERR_DER_RANGE);
  CHECK_EQ_INT(d.err.offset, 3);
  CHECK_STATUS(mtk_der_int_to_u64(hx(&h, "00", 0), &v, NULL), MTK_OK);
  CHECK(v == 0);
  CHECK_STATUS(mtk_der_int_to_u64(hx(&h, "12 34", 0), &v, NULL), MTK_OK);
  CHECK(v == 0x1234);
}

/* ---- BOOLEAN, NULL, OID ------------------------------------------------------------- */

TEST(booleans) {
  static const struct {
    const char *hex;
    mtk_status want;
    bool value;
    bool quirk;
    size_t at;
  } cases[] = {
      {"01 01 ff", MTK_OK, true, false, 0},
      {"01 01 00", MTK_OK, false, false, 0},
      {"01 01 01", MTK_OK, true, true, 2},
      {"01 01 80", MTK_OK, true, true, 2},
      {"01 00", MTK_ERR_DER_BOOLEAN, false, false, 2},
      {"01 02 ff ff", MTK_ERR_DER_BOOLEAN, false, false, 2},
      {"02 01 ff", MTK_ERR_DER_TAG, false, false, 0},
      {"21 01 ff", MTK_ERR_DER_CONSTRUCTED, false, false, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    bool v = !cases[i].value;
    mtk_cbs *c = hx(&h, cases[i].hex, 0);
    CHECK_STATUS(mtk_der_get_bool(c, &v, &d), cases[i].want);
    if (cases[i].want == MTK_OK) {
      CHECK_EQ_INT(v, cases[i].value);
      CHECK_EQ_INT(d.n_quirks, cases[i].quirk ? 1 : 0);
      if (cases[i].quirk) {
        CHECK_EQ_INT(d.quirks[0].kind, MTK_QUIRK_BOOL_NOT_FF);
        CHECK_EQ_INT(d.quirks[0].offset, cases[i].at);
      }
    } else {
      CHECK_EQ_INT(d.err.offset, cases[i].at);
    }
  }
}

TEST(nulls) {
  hexbuf h;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_get_null(hx(&h, "05 00", 0), &d), MTK_OK);
  CHECK_STATUS(mtk_der_get_null(hx(&h, "05 01 00", 0), &d), MTK_ERR_DER_NULL);
  CHECK_EQ_INT(d.err.offset, 2);
  CHECK_STATUS(mtk_der_get_null(hx(&h, "04 00", 0), NULL), MTK_ERR_DER_TAG);
}

TEST(oids) {
  static const struct {
    const char *hex; /* contents */
    mtk_status want;
    size_t at;
  } cases[] = {
      {"2b 65 70", MTK_OK, 0},                          /* 1.3.101.112 */
      {"2a 86 48 86 f7 0d 01 07 02", MTK_OK, 0},        /* 1.2.840.113549.1.7.2 */
      {"00", MTK_OK, 0},                                /* 0.0 */
      {"88 37", MTK_OK, 0},                             /* 2.999 */
      {"ff ff ff ff ff ff ff ff ff ff 7f", MTK_OK, 0},  /* a wide arc is not an error here */
      {"", MTK_ERR_DER_OID, 0},
      {"80 01", MTK_ERR_DER_OID, 0},                    /* leading 0x80, first arc */
      {"2b 80 01", MTK_ERR_DER_OID, 1},                 /* leading 0x80, second arc */
      {"2b 65 80 80 01", MTK_ERR_DER_OID, 2},
      {"2b 86", MTK_ERR_DER_OID, 1},                    /* truncated arc */
      {"86", MTK_ERR_DER_OID, 0},
      {"2b 86 48 86", MTK_ERR_DER_OID, 3},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_cbs *body = hx(&h, cases[i].hex, 10);
    CHECK_STATUS(mtk_der_check_oid(body, &d), cases[i].want);
    if (cases[i].want != MTK_OK) CHECK_EQ_INT(d.err.offset, 10 + cases[i].at);
    /* The same through the element reader. */
    uint8_t el[64];
    el[0] = 0x06;
    el[1] = (uint8_t)body->len;
    memcpy(el + 2, body->p, body->len);
    mtk_cbs c, out;
    mtk_cbs_init(&c, el, body->len + 2);
    mtk_diag_init(&d);
    CHECK_STATUS(mtk_der_get_oid(&c, &out, &d), cases[i].want);
    if (cases[i].want == MTK_OK) {
      CHECK(out.len == body->len && out.off == 2 && c.len == 0);
    } else {
      CHECK_EQ_INT(d.err.offset, 2 + cases[i].at);
      CHECK_EQ_INT(c.len, body->len + 2);
    }
  }
  hexbuf h;
  mtk_cbs out;
  CHECK_STATUS(mtk_der_get_oid(hx(&h, "0d 01 01", 0), &out, NULL), MTK_ERR_DER_TAG); /* RELATIVE-OID */
}

/* ---- BIT STRING ------------------------------------------------------------------------ */

TEST(bitstrings) {
  static const struct {
    const char *name;
    const char *hex;
    mtk_status want;
    size_t at;
    uint8_t unused;
    size_t len;
  } cases[] = {
      {"empty", "03 01 00", MTK_OK, 0, 0, 0},
      {"octets", "03 03 00 ab cd", MTK_OK, 0, 0, 2},
      {"7 unused, zero", "03 02 07 80", MTK_OK, 0, 7, 1},
      {"3 unused, zero", "03 02 03 f8", MTK_OK, 0, 3, 1},
      {"no content octets", "03 00", MTK_ERR_DER_BITSTRING, 2, 0, 0},
      {"unused 8", "03 02 08 00", MTK_ERR_DER_BITSTRING, 2, 0, 0},
      {"unused 0xff", "03 02 ff 00", MTK_ERR_DER_BITSTRING, 2, 0, 0},
      {"empty with unused", "03 01 03", MTK_ERR_DER_BITSTRING, 2, 0, 0},
      {"unused bits not zero", "03 03 01 00 01", MTK_ERR_DER_BITSTRING, 4, 0, 0},
      {"unused bits not zero (7)", "03 02 07 c0", MTK_ERR_DER_BITSTRING, 3, 0, 0},
      {"constructed", "23 01 00", MTK_ERR_DER_CONSTRUCTED, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_cbs out = {0};
    uint8_t unused = 99;
    mtk_cbs *c = hx(&h, cases[i].hex, 0);
    mtk_status s = mtk_der_get_bitstring(c, &out, &unused, &d);
    if (s != cases[i].want) fprintf(stderr, "bitstring case \"%s\"\n", cases[i].name);
    CHECK_STATUS(s, cases[i].want);
    if (s == MTK_OK) {
      CHECK_EQ_INT(unused, cases[i].unused);
      CHECK_EQ_INT(out.len, cases[i].len);
      CHECK_EQ_INT(out.off, 3);
    } else {
      CHECK_EQ_INT(d.err.offset, cases[i].at);
    }
  }
  /* Octet bit strings (keys, signatures). */
  hexbuf h;
  mtk_cbs out;
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_get_octets_bitstring(hx(&h, "03 03 00 01 02", 0), &out, &d), MTK_OK);
  CHECK(out.len == 2 && out.p[0] == 1);
  mtk_cbs *c = hx(&h, "03 02 04 10", 0);
  CHECK_STATUS(mtk_der_get_octets_bitstring(c, &out, &d), MTK_ERR_DER_BITSTRING);
  CHECK_EQ_INT(d.err.offset, 0);
  CHECK_EQ_INT(c->len, 4);
}

TEST(named_bits) {
  static const struct {
    const char *name;
    const char *hex;
    mtk_status want;
    uint32_t bits;
    bool trailing_zero;
  } cases[] = {
      {"empty", "03 01 00", MTK_OK, 0, false},
      {"digitalSignature", "03 02 07 80", MTK_OK, 1u << 0, false},
      {"bits 0 and 2", "03 02 05 a0", MTK_OK, 1u << 0 | 1u << 2, false},
      {"keyCertSign cRLSign", "03 02 01 06", MTK_OK, 1u << 5 | 1u << 6, false},
      {"decipherOnly (bit 8)", "03 03 07 00 80", MTK_OK, 1u << 8, false},
      {"bit 31", "03 05 00 00 00 00 01", MTK_OK, 1u << 31, false},
      {"trailing zero bit", "03 02 04 a0", MTK_OK, 1u << 0 | 1u << 2, true},
      {"unused 0 but trailing zeros", "03 02 00 80", MTK_OK, 1u << 0, true},
      {"all zero", "03 02 00 00", MTK_OK, 0, true},
      {"trailing zero octet", "03 03 07 80 00", MTK_OK, 1u << 0, true},
      {"zero octets past bit 31", "03 06 00 80 00 00 00 00", MTK_OK, 1u << 0, true},
      {"bit 39 set", "03 06 00 00 00 00 00 01", MTK_ERR_DER_RANGE, 0, false},
      {"bit 32 set", "03 06 07 00 00 00 00 80", MTK_ERR_DER_RANGE, 0, false},
      {"unused bits set", "03 02 01 81", MTK_ERR_DER_BITSTRING, 0, false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    uint32_t bits = 0xdeadbeef;
    mtk_status s = mtk_der_get_named_bits(hx(&h, cases[i].hex, 20), &bits, &d);
    if (s != cases[i].want || (s == MTK_OK && bits != cases[i].bits))
      fprintf(stderr, "named bits case \"%s\": %s %08x\n", cases[i].name, mtk_status_name(s),
              bits);
    CHECK_STATUS(s, cases[i].want);
    if (s == MTK_OK) {
      CHECK(bits == cases[i].bits);
      CHECK_EQ_INT(has_quirk(&d, MTK_QUIRK_BITSTRING_TRAILING_ZERO), cases[i].trailing_zero);
      if (cases[i].trailing_zero) CHECK_EQ_INT(d.quirks[0].offset, 20);
    }
  }
}

/* ---- time ------------------------------------------------------------------------------- */

/* time_case reads a time element built from |tag| and the ASCII |text|. */
static mtk_status read_time(uint8_t tag, const char *text, mtk_time *t, mtk_diag *d) {
  uint8_t buf[64];
  size_t n = strlen(text);
  buf[0] = tag;
  buf[1] = (uint8_t)n;
  memcpy(buf + 2, text, n);
  mtk_cbs c;
  mtk_cbs_init(&c, buf, n + 2);
  mtk_tag got = 0;
  mtk_status s = mtk_der_get_time(&c, t, &got, d);
  if (s == MTK_OK && (got != tag || c.len != 0)) return MTK_ERR_INTERNAL;
  if (s != MTK_OK && c.len != n + 2) return MTK_ERR_INTERNAL;
  return s;
}

TEST(times) {
  static const struct {
    const char *name;
    uint8_t tag;
    const char *text;
    mtk_status want;
    const char *iso;      /* expected value */
    mtk_quirk_kind quirk; /* expected quirk (one), or NONE */
    mtk_quirk_kind quirk2;
  } cases[] = {
      /* UTCTime pivot (RFC 5280 4.1.2.5.1). */
      {"UTC 49 is 2049", 0x17, "491231235959Z", MTK_OK, "2049-12-31T23:59:59Z", 0, 0},
      {"UTC 50 is 1950", 0x17, "500101000000Z", MTK_OK, "1950-01-01T00:00:00Z", 0, 0},
      {"UTC 00", 0x17, "000101000000Z", MTK_OK, "2000-01-01T00:00:00Z", 0, 0},
      {"UTC 99", 0x17, "991231235959Z", MTK_OK, "1999-12-31T23:59:59Z", 0, 0},
      /* Feb 29. */
      {"UTC 2000-02-29", 0x17, "000229000000Z", MTK_OK, "2000-02-29T00:00:00Z", 0, 0},
      {"UTC 2024-02-29", 0x17, "240229120000Z", MTK_OK, "2024-02-29T12:00:00Z", 0, 0},
      {"UTC 1996-02-29", 0x17, "960229000000Z", MTK_OK, "1996-02-29T00:00:00Z", 0, 0},
      {"UTC 2001-02-29", 0x17, "010229000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC 2023-02-29", 0x17, "230229000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC 1950-02-29", 0x17, "500229000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC 2000-02-30", 0x17, "000230000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC April 31", 0x17, "250431000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      /* Field ranges. */
      {"UTC 24:00:00", 0x17, "991231240000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC leap second", 0x17, "991231235960Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC minute 60", 0x17, "991231236000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC month 13", 0x17, "991301000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC month 0", 0x17, "990001000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC day 0", 0x17, "990100000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC day 32", 0x17, "990132000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      /* Syntax. */
      {"UTC no Z", 0x17, "991231235959", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC lower z", 0x17, "991231235959z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC ZZ", 0x17, "991231235959ZZ", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC letter", 0x17, "99a231235959Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC space", 0x17, "99123123595 Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC too short", 0x17, "9912312359", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC empty", 0x17, "", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC fraction", 0x17, "991231235959.5Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC one seconds digit", 0x17, "99123123595Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      /* Tolerated, recorded. */
      {"UTC no seconds", 0x17, "9912312359Z", MTK_OK, "1999-12-31T23:59:00Z",
       MTK_QUIRK_TIME_NO_SECONDS, 0},
      {"UTC +0100", 0x17, "000101000000+0100", MTK_OK, "1999-12-31T23:00:00Z",
       MTK_QUIRK_TIME_NOT_Z, 0},
      {"UTC -0130", 0x17, "000101000000-0130", MTK_OK, "2000-01-01T01:30:00Z",
       MTK_QUIRK_TIME_NOT_Z, 0},
      {"UTC +2400", 0x17, "000101000000+2400", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC +0060", 0x17, "000101000000+0060", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC +01", 0x17, "000101000000+01", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"UTC +01000", 0x17, "000101000000+01000", MTK_ERR_DER_TIME, NULL, 0, 0},
      /* GeneralizedTime. */
      {"Gen 2050", 0x18, "20500101000000Z", MTK_OK, "2050-01-01T00:00:00Z", 0, 0},
      {"Gen 9999", 0x18, "99991231235959Z", MTK_OK, "9999-12-31T23:59:59Z", 0, 0},
      {"Gen 2100-02-29", 0x18, "21000229000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen 2400-02-29", 0x18, "24000229000000Z", MTK_OK, "2400-02-29T00:00:00Z", 0, 0},
      {"Gen 24:00:00", 0x18, "20500101240000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen before 2050", 0x18, "20491231235959Z", MTK_OK, "2049-12-31T23:59:59Z",
       MTK_QUIRK_GENTIME_BEFORE_2050, 0},
      {"Gen 1900-02-29", 0x18, "19000229000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen fraction", 0x18, "20500101000000.5Z", MTK_OK, "2050-01-01T00:00:00Z",
       MTK_QUIRK_FRACTIONAL_TIME, 0},
      {"Gen fraction comma", 0x18, "20500101000000,125Z", MTK_OK, "2050-01-01T00:00:00Z",
       MTK_QUIRK_FRACTIONAL_TIME, 0},
      {"Gen empty fraction", 0x18, "20500101000000.Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen no seconds", 0x18, "205001010000Z", MTK_OK, "2050-01-01T00:00:00Z",
       MTK_QUIRK_TIME_NO_SECONDS, 0},
      {"Gen offset", 0x18, "20500101000000+0000", MTK_OK, "2050-01-01T00:00:00Z",
       MTK_QUIRK_TIME_NOT_Z, 0},
      {"Gen old with fraction", 0x18, "19700101000000.0Z", MTK_OK, "1970-01-01T00:00:00Z",
       MTK_QUIRK_FRACTIONAL_TIME, MTK_QUIRK_GENTIME_BEFORE_2050},
      {"Gen too short", 0x18, "2050010100Z", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen no Z", 0x18, "20500101000000", MTK_ERR_DER_TIME, NULL, 0, 0},
      {"Gen letter in year", 0x18, "2O500101000000Z", MTK_ERR_DER_TIME, NULL, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_time t = 0;
    mtk_status s = read_time(cases[i].tag, cases[i].text, &t, &d);
    char iso[40] = "";
    if (s == MTK_OK) mtk_time_format(t, iso, sizeof iso);
    if (s != cases[i].want || (cases[i].iso && strcmp(iso, cases[i].iso) != 0))
      fprintf(stderr, "time case \"%s\": %s %s %s\n", cases[i].name, mtk_status_name(s), iso,
              d.err.detail);
    CHECK_STATUS(s, cases[i].want);
    if (s != MTK_OK) continue;
    CHECK_STR(iso, cases[i].iso);
    size_t want_quirks = (cases[i].quirk ? 1u : 0u) + (cases[i].quirk2 ? 1u : 0u);
    CHECK_EQ_INT(d.n_quirks, want_quirks);
    if (cases[i].quirk) CHECK(has_quirk(&d, cases[i].quirk));
    if (cases[i].quirk2) CHECK(has_quirk(&d, cases[i].quirk2));
  }
  /* Tag and offsets. */
  mtk_diag d;
  mtk_time t;
  mtk_diag_init(&d);
  hexbuf h;
  mtk_cbs *c = hx(&h, "04 0d 39 39 31 32 33 31 32 33 35 39 35 39 5a", 0);
  CHECK_STATUS(mtk_der_get_time(c, &t, NULL, &d), MTK_ERR_DER_TAG);
  CHECK_EQ_INT(d.err.offset, 0);
  mtk_diag_init(&d);
  CHECK_STATUS(read_time(0x17, "991231240000Z", &t, &d), MTK_ERR_DER_TIME);
  CHECK_EQ_INT(d.err.offset, 2);
  mtk_diag_init(&d);
  CHECK_STATUS(read_time(0x18, "20500101000000.Z", &t, &d), MTK_ERR_DER_TIME);
  CHECK_EQ_INT(d.err.offset, 2 + 14);
  mtk_diag_init(&d);
  CHECK_STATUS(read_time(0x17, "9912312359Z", &t, &d), MTK_OK);
  CHECK_EQ_INT(d.quirks[0].offset, 2);
  mtk_diag_init(&d);
  CHECK_STATUS(read_time(0x17, "000101000000+0100", &t, &d), MTK_OK);
  CHECK_EQ_INT(d.quirks[0].offset, 2 + 12);
  mtk_diag_init(&d);
  CHECK_STATUS(read_time(0x18, "20491231235959Z", &t, &d), MTK_OK);
  CHECK_EQ_INT(d.quirks[0].offset, 0); /* the element */
}

TEST(time_parse) {
  static const struct {
    const char *s;
    bool ok;
    const char *iso;
  } cases[] = {
      {"2026-01-02", true, "2026-01-02T00:00:00Z"},
      {"2026-01-02T03:04:05Z", true, "2026-01-02T03:04:05Z"},
      {"2026-01-02t03:04:05z", true, "2026-01-02T03:04:05Z"},
      {"2026-01-02 03:04:05Z", true, "2026-01-02T03:04:05Z"},
      {"2026-01-02T03:04:05.123Z", true, "2026-01-02T03:04:05Z"},
      {"2026-01-02T03:04:05+01:00", true, "2026-01-02T02:04:05Z"},
      {"2026-01-02T03:04:05-01:30", true, "2026-01-02T04:34:05Z"},
      {"2026-01-02T00:30:00+01:00", true, "2026-01-01T23:30:00Z"},
      {"2024-02-29", true, "2024-02-29T00:00:00Z"},
      {"0000-01-01", true, "0000-01-01T00:00:00Z"},
      {"9999-12-31T23:59:59Z", true, "9999-12-31T23:59:59Z"},
      {"2023-02-29", false, NULL},
      {"2026-02-30", false, NULL},
      {"2026-13-01", false, NULL},
      {"2026-1-02", false, NULL},
      {"2026/01/02", false, NULL},
      {"2026-01-02T03:04:05", false, NULL},
      {"2026-01-02T03:04Z", false, NULL},
      {"2026-01-02T24:00:00Z", false, NULL},
      {"2026-01-02T23:59:60Z", false, NULL},
      {"2026-01-02T03:04:05.Z", false, NULL},
      {"2026-01-02T03:04:05+24:00", false, NULL},
      {"2026-01-02T03:04:05+0100", false, NULL},
      {"2026-01-02T03:04:05Zx", false, NULL},
      {"2026-01-02x", false, NULL},
      {"2026-01-0", false, NULL},
      {"", false, NULL},
      {"+026-01-02", false, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mtk_time t = 0;
    bool ok = mtk_time_parse(cases[i].s, strlen(cases[i].s), &t);
    if (ok != cases[i].ok) fprintf(stderr, "time_parse \"%s\"\n", cases[i].s);
    CHECK_EQ_INT(ok, cases[i].ok);
    if (ok && cases[i].iso) {
      char iso[40];
      mtk_time_format(t, iso, sizeof iso);
      CHECK_STR(iso, cases[i].iso);
    }
  }
  /* The length bounds the parse: no NUL needed, none read. */
  mtk_time t;
  CHECK(mtk_time_parse("2026-01-02T03:04:05Zgarbage", 20, &t));
  CHECK(!mtk_time_parse("2026-01-02T03:04:05Z", 19, &t));
}

TEST(civil_known_values) {
  mtk_time t;
  CHECK(mtk_time_from_civil(1970, 1, 1, 0, 0, 0, &t) && t == 0);
  CHECK(mtk_time_from_civil(2000, 1, 1, 0, 0, 0, &t) && t == 946684800);
  CHECK(mtk_time_from_civil(2038, 1, 19, 3, 14, 8, &t) && t == 2147483648);
  CHECK(mtk_time_from_civil(9999, 12, 31, 23, 59, 59, &t) && t == 253402300799);
  CHECK(mtk_time_from_civil(0, 1, 1, 0, 0, 0, &t) && t == -62167219200);
  CHECK(mtk_time_from_civil(1969, 12, 31, 23, 59, 59, &t) && t == -1);
  /* Out of range fields. */
  CHECK(!mtk_time_from_civil(-1, 1, 1, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(10000, 1, 1, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 0, 1, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 13, 1, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 0, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 32, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(1900, 2, 29, 0, 0, 0, &t));
  CHECK(mtk_time_from_civil(2000, 2, 29, 0, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 1, 24, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 1, -1, 0, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 1, 0, 60, 0, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 1, 0, 0, 60, &t));
  CHECK(!mtk_time_from_civil(2000, 1, 1, 0, 0, -1, &t));
  char buf[40];
  mtk_time_format(0, buf, sizeof buf);
  CHECK_STR(buf, "1970-01-01T00:00:00Z");
  mtk_time_format(-1, buf, sizeof buf);
  CHECK_STR(buf, "1969-12-31T23:59:59Z");
  mtk_time_format(-62167219200, buf, sizeof buf);
  CHECK_STR(buf, "0000-01-01T00:00:00Z");
  /* Extremes must not overflow (formerly -INT64_MIN in mtk_time_to_civil). */
  mtk_time_format(INT64_MIN, buf, sizeof buf);
  CHECK(buf[0] == '-');
  mtk_time_format(INT64_MAX, buf, sizeof buf);
  CHECK(buf[0] == '2');
  mtk_time_format(0, buf, 5);
  CHECK_STR(buf, "1970");
}

/* Every day of years 0..9999 against an independent day counter, and the
 * seconds of a day both ways. */
TEST(civil_round_trip) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  mtk_time expect;
  CHECK(mtk_time_from_civil(0, 1, 1, 0, 0, 0, &expect));
  size_t bad = 0;
  for (int64_t y = 0; y <= 9999; y++) {
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; m++) {
      int days = dm[m - 1] + (m == 2 && leap ? 1 : 0);
      for (int dd = 1; dd <= days; dd++) {
        mtk_time t;
        int hh = (int)((y + dd) % 24), mi = (m * 7) % 60, ss = (dd * 13) % 60;
        if (!mtk_time_from_civil(y, m, dd, hh, mi, ss, &t) ||
            t != expect + hh * 3600 + mi * 60 + ss) {
          bad++;
        } else {
          int64_t y2;
          int m2, d2, h2, mi2, s2;
          mtk_time_to_civil(t, &y2, &m2, &d2, &h2, &mi2, &s2);
          if (y2 != y || m2 != m || d2 != dd || h2 != hh || mi2 != mi || s2 != ss) bad++;
        }
        expect += 86400;
      }
      /* The day after the last is invalid. */
      mtk_time t;
      if (mtk_time_from_civil(y, m, days + 1, 0, 0, 0, &t)) bad++;
    }
  }
  CHECK_EQ_INT(bad, 0);
  CHECK(mtk_time_from_civil(9999, 12, 31, 0, 0, 0, &expect));
  /* Before year 0 (to_civil only): proleptic, floor division. */
  int64_t y;
  int mo, dd, h, mi, s;
  mtk_time_to_civil(-62167219201, &y, &mo, &dd, &h, &mi, &s);
  CHECK(y == -1 && mo == 12 && dd == 31 && h == 23 && mi == 59 && s == 59);
}

/* ---- walk -------------------------------------------------------------------------------- */

/* nest builds |depth| nested SEQUENCEs around |inner| into |out| (from the
 * inside out); returns the length. |out| must hold 6 * depth + inner bytes. */
static size_t nest(uint8_t *out, size_t cap, size_t depth, const uint8_t *inner, size_t n) {
  size_t start = cap - n;
  memcpy(out + start, inner, n);
  size_t len = n;
  for (size_t i = 0; i < depth; i++) {
    uint8_t h[6];
    size_t k = 0;
    h[k++] = 0x30;
    if (len < 0x80) {
      h[k++] = (uint8_t)len;
    } else if (len < 0x100) {
      h[k++] = 0x81;
      h[k++] = (uint8_t)len;
    } else if (len < 0x10000) {
      h[k++] = 0x82;
      h[k++] = (uint8_t)(len >> 8);
      h[k++] = (uint8_t)len;
    } else {
      h[k++] = 0x83;
      h[k++] = (uint8_t)(len >> 16);
      h[k++] = (uint8_t)(len >> 8);
      h[k++] = (uint8_t)len;
    }
    start -= k;
    memcpy(out + start, h, k);
    len += k;
  }
  memmove(out, out + start, len);
  return len;
}

TEST(walk) {
  static uint8_t buf[80000];
  static const uint8_t leaf[] = {0x02, 0x01, 0x05};
  mtk_cbs c;
  mtk_diag d;
  /* 10,000 levels: MTK_ERR_DER_DEPTH, no crash. */
  size_t n = nest(buf, sizeof buf, 10000, leaf, sizeof leaf);
  mtk_cbs_init(&c, buf, n);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_walk(&c, MTK_DER_MAX_DEPTH, &d), MTK_ERR_DER_DEPTH);
  CHECK_EQ_INT(d.err.code, MTK_ERR_DER_DEPTH);
  /* The error is at the body of the 65th SEQUENCE: walk the headers. */
  mtk_cbs cur = c, body;
  for (int i = 0; i <= MTK_DER_MAX_DEPTH; i++) {
    CHECK_STATUS(mtk_der_get(&cur, MTK_ASN1_SEQUENCE, &body, NULL), MTK_OK);
    cur = body;
  }
  CHECK_EQ_INT(d.err.offset, body.off);
  CHECK(strstr(d.err.detail, "64") != NULL);

  /* Exactly the limit: fine; one more: not. */
  n = nest(buf, sizeof buf, MTK_DER_MAX_DEPTH, leaf, sizeof leaf);
  mtk_cbs_init(&c, buf, n);
  CHECK_STATUS(mtk_der_walk(&c, MTK_DER_MAX_DEPTH, NULL), MTK_OK);
  n = nest(buf, sizeof buf, MTK_DER_MAX_DEPTH + 1, leaf, sizeof leaf);
  mtk_cbs_init(&c, buf, n);
  CHECK_STATUS(mtk_der_walk(&c, MTK_DER_MAX_DEPTH, NULL), MTK_ERR_DER_DEPTH);
  CHECK_STATUS(mtk_der_walk(&c, MTK_DER_MAX_DEPTH + 1, NULL), MTK_OK);
  /* Depth 0: only primitives at the top. */
  hexbuf h;
  CHECK_STATUS(mtk_der_walk(hx(&h, "02 01 00 04 00", 0), 0, NULL), MTK_OK);
  CHECK_STATUS(mtk_der_walk(hx(&h, "30 00", 0), 0, NULL), MTK_ERR_DER_DEPTH);
  CHECK_STATUS(mtk_der_walk(hx(&h, "", 0), 0, NULL), MTK_OK);
  /* Errors deep inside come out with their offset. */
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_walk(hx(&h, "30 08 31 06 a0 04 04 81 01 00", 0x100), 8, &d),
               MTK_ERR_DER_LENGTH_NONMINIMAL);
  CHECK_EQ_INT(d.err.offset, 0x107);
  mtk_diag_init(&d);
  CHECK_STATUS(mtk_der_walk(hx(&h, "30 03 02 01 00 30", 0), 8, &d), MTK_ERR_DER_TRUNCATED);
  CHECK_EQ_INT(d.err.offset, 6);
  /* Primitive elements with high tags and many siblings. */
  CHECK_STATUS(mtk_der_walk(hx(&h, "1f 1f 00 bf 20 02 05 00 05 00 05 00", 0), 2, NULL), MTK_OK);
}

/* ---- diagnostics (lib/err.c) -------------------------------------------------------------- */

TEST(diag_path) {
  mtk_diag d;
  mtk_diag_init(&d);
  CHECK_STR(d.path, "");
  size_t m0 = mtk_diag_push(&d, "a");
  CHECK_STR(d.path, "a");
  size_t m1 = mtk_diag_push(&d, "b");
  CHECK_STR(d.path, "a.b");
  size_t m2 = mtk_diag_push(&d, "[%d]", 3);
  CHECK_STR(d.path, "a.b[3]");
  size_t m3 = mtk_diag_push(&d, "c");
  CHECK_STR(d.path, "a.b[3].c");
  CHECK_EQ_INT(d.path_len, 8);
  mtk_diag_pop(&d, m3);
  CHECK_STR(d.path, "a.b[3]");
  mtk_diag_pop(&d, m2);
  CHECK_STR(d.path, "a.b");
  mtk_diag_pop(&d, m1);
  CHECK_STR(d.path, "a");
  mtk_diag_pop(&d, m0);
  CHECK_STR(d.path, "");
  CHECK_EQ_INT(m0, 0);
  /* A path that starts with an index has no dot. */
  (void)mtk_diag_push(&d, "[0]");
  (void)mtk_diag_push(&d, "x");
  CHECK_STR(d.path, "[0].x");
  /* Popping to a mark beyond the path is ignored. */
  mtk_diag_pop(&d, 100);
  CHECK_STR(d.path, "[0].x");
  mtk_diag_pop(&d, 0);
  /* NULL diag everywhere. */
  CHECK_EQ_INT(mtk_diag_push(NULL, "x"), 0);
  mtk_diag_pop(NULL, 0);
  mtk_diag_quirk(NULL, MTK_QUIRK_BOOL_NOT_FF, 0);
  CHECK_STATUS(mtk_diag_fail(NULL, MTK_ERR_DER_TAG, 0, "x"), MTK_ERR_DER_TAG);
  mtk_diag_init(NULL);
}

TEST(diag_path_overflow) {
  mtk_diag d;
  mtk_diag_init(&d);
  size_t marks[100];
  size_t pushed = 0;
  for (; pushed < 100; pushed++) marks[pushed] = mtk_diag_push(&d, "component%02zu", pushed);
  CHECK(d.path_truncated);
  CHECK(d.path_len < MTK_PATH_MAX);
  CHECK_EQ_INT(strlen(d.path), d.path_len);
  /* Unwinding all the way works. */
  for (size_t i = pushed; i > 0; i--) mtk_diag_pop(&d, marks[i - 1]);
  CHECK_STR(d.path, "");
  /* A component longer than 63 characters is cut, not overflowed. */
  char big[200];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  mtk_diag_init(&d);
  (void)mtk_diag_push(&d, "%s", big);
  CHECK_EQ_INT(d.path_len, 63);
}

TEST(diag_fail_and_format) {
  mtk_diag d;
  mtk_diag_init(&d);
  (void)mtk_diag_push(&d, "tbsCertificate");
  (void)mtk_diag_push(&d, "extensions");
  (void)mtk_diag_push(&d, "[%d]", 3);
  size_t m = mtk_diag_push(&d, "extnValue");
  CHECK_STATUS(mtk_diag_fail(&d, MTK_ERR_DER_TRUNCATED, 0x1a3, "length 0x%x exceeds parent", 0x40),
               MTK_ERR_DER_TRUNCATED);
  mtk_diag_pop(&d, m);
  /* The first (innermost) error wins. */
  CHECK_STATUS(mtk_diag_fail(&d, MTK_ERR_X509_EXTENSION, 0x10, "outer"), MTK_ERR_X509_EXTENSION);
  CHECK_EQ_INT(d.err.code, MTK_ERR_DER_TRUNCATED);
  CHECK_EQ_INT(d.err.offset, 0x1a3);
  CHECK_STR(d.err.path, "tbsCertificate.extensions[3].extnValue");
  CHECK_STR(d.err.detail, "length 0x40 exceeds parent");
  char buf[256];
  mtk_error_format(&d.err, buf, sizeof buf);
  CHECK_STR(buf, "tbsCertificate.extensions[3].extnValue: length 0x40 exceeds parent "
                 "(MTK_ERR_DER_TRUNCATED) at offset 0x1a3");
  /* No path, no detail: the status message. */
  mtk_diag_init(&d);
  (void)mtk_diag_fail(&d, MTK_ERR_DER_TAG, 0, NULL);
  mtk_error_format(&d.err, buf, sizeof buf);
  CHECK_STR(buf, "unexpected tag (MTK_ERR_DER_TAG) at offset 0x0");
  /* Truncation keeps the NUL; cap 0 writes nothing. */
  mtk_error_format(&d.err, buf, 8);
  CHECK_STR(buf, "unexpec");
  buf[0] = 'Q';
  mtk_error_format(&d.err, buf, 0);
  CHECK(buf[0] == 'Q');
}

TEST(diag_quirks) {
  mtk_diag d;
  mtk_diag_init(&d);
  (void)mtk_diag_push(&d, "a");
  mtk_diag_quirk(&d, MTK_QUIRK_BOOL_NOT_FF, 7);
  CHECK_EQ_INT(d.n_quirks, 1);
  CHECK_EQ_INT(d.quirks[0].kind, MTK_QUIRK_BOOL_NOT_FF);
  CHECK_EQ_INT(d.quirks[0].offset, 7);
  CHECK_STR(d.quirks[0].path, "a");
  for (int i = 0; i < MTK_MAX_QUIRKS + 5; i++) mtk_diag_quirk(&d, MTK_QUIRK_SET_NOT_SORTED, 1);
  CHECK_EQ_INT(d.n_quirks, MTK_MAX_QUIRKS);
  CHECK_EQ_INT(d.quirks_dropped, 6);
}

TEST(status_and_quirk_names) {
#define X_CHECK(name, value, msg)                       \
  CHECK_STR(mtk_status_name((mtk_status)(value)), #name); \
  CHECK_STR(mtk_status_message((mtk_status)(value)), msg);
  MTK_STATUS_LIST(X_CHECK)
#undef X_CHECK
  CHECK_STR(mtk_status_name((mtk_status)9999), "MTK_ERR_UNKNOWN");
  CHECK_STR(mtk_status_message((mtk_status)9999), "unknown error");
#define X_CHECK(name, value, id, msg)                    \
  CHECK_STR(mtk_quirk_id((mtk_quirk_kind)(value)), id);  \
  CHECK_STR(mtk_quirk_message((mtk_quirk_kind)(value)), msg);
  MTK_QUIRK_LIST(X_CHECK)
#undef X_CHECK
  CHECK_STR(mtk_quirk_id(MTK_QUIRK_NONE), "none");
  CHECK_STR(mtk_quirk_message(MTK_QUIRK_NONE), "");
  CHECK_STR(mtk_quirk_id((mtk_quirk_kind)999), "unknown");
  CHECK_STR(mtk_quirk_message((mtk_quirk_kind)999), "");
  CHECK_EQ_INT(MTK_OK, 0);
}

/* X.690 10.2 and 8.x: universal types have one form in DER. */
TEST(universal_forms) {
  static const struct {
    const char *hex;
    mtk_status want;
  } cases[] = {
      {"22 01 00", MTK_ERR_DER_CONSTRUCTED}, /* INTEGER, constructed */
      {"24 00", MTK_ERR_DER_CONSTRUCTED},    /* OCTET STRING, constructed */
      {"33 00", MTK_ERR_DER_CONSTRUCTED},    /* PrintableString, constructed */
      {"10 00", MTK_ERR_DER_TAG},            /* SEQUENCE, primitive */
      {"11 00", MTK_ERR_DER_TAG},            /* SET, primitive */
      {"00 00", MTK_ERR_DER_TAG},            /* universal 0 is reserved */
      {"30 00", MTK_OK},
      {"a2 00", MTK_OK},                     /* context tags: either form */
      {"82 00", MTK_OK},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    mtk_tag t;
    CHECK_STATUS(mtk_der_get_any(hx(&h, cases[i].hex, 0), &t, NULL, NULL, &d), cases[i].want);
  }
}

/* Values read as ANY (algorithm parameters, attribute values). */
TEST(check_value) {
  static const struct {
    const char *hex;
    mtk_status want;
    size_t quirks;
  } cases[] = {
      {"05 00", MTK_OK, 0},
      {"05 01 00", MTK_ERR_DER_NULL, 0},
      {"01 00", MTK_ERR_DER_BOOLEAN, 0},
      {"01 01 01", MTK_OK, 1},
      {"06 00", MTK_ERR_DER_OID, 0},
      {"02 02 00 01", MTK_ERR_DER_INTEGER, 0},
      {"0a 00", MTK_ERR_DER_INTEGER, 0},
      {"03 01 08", MTK_ERR_DER_BITSTRING, 0},
      {"03 02 01 01", MTK_ERR_DER_BITSTRING, 0},
      {"1c 03 00 00 00", MTK_ERR_DER_STRING, 0},
      {"1c 04 00 00 00 41", MTK_OK, 0},
      {"30 05 05 00 01 01 ff", MTK_OK, 0},
      {"30 04 05 01 00 00", MTK_ERR_DER_NULL, 0}, /* nested */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    hexbuf h;
    mtk_diag d;
    mtk_diag_init(&d);
    CHECK_STATUS(mtk_der_walk(hx(&h, cases[i].hex, 0), MTK_DER_MAX_DEPTH, &d), cases[i].want);
    CHECK_EQ_INT(d.n_quirks, cases[i].quirks);
  }
}

int main(void) {
  RUN(cbs_basics);
  RUN(cbs_prefixed);
  RUN(framing_table);
  RUN(framing_long_lengths);
  RUN(peek_tag);
  RUN(get_and_tags);
  RUN(get_optional);
  RUN(expect_end);
  RUN(integers);
  RUN(uint64s);
  RUN(booleans);
  RUN(nulls);
  RUN(oids);
  RUN(bitstrings);
  RUN(named_bits);
  RUN(times);
  RUN(time_parse);
  RUN(civil_known_values);
  RUN(civil_round_trip);
  RUN(walk);
  RUN(diag_path);
  RUN(diag_path_overflow);
  RUN(diag_fail_and_format);
  RUN(diag_quirks);
  RUN(status_and_quirk_names);
  RUN(universal_forms);
  RUN(check_value);
  return test_summary();
}

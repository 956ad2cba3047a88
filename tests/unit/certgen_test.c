/* certgen_test.c: the test certificate factory (tests/unit/support/certgen.c)
 * checked against OpenSSL's own parser and verifier. */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "certgen.h"
#include "test.h"

/* ---- helpers ------------------------------------------------------------- */

static X509 *parse_cert(const uint8_t *der, size_t len) {
  const unsigned char *p = der;
  X509 *x = d2i_X509(NULL, &p, (long)len);
  if (x != NULL && p != der + len) {
    X509_free(x);
    return NULL;
  }
  return x;
}

static X509 *build_parse(const tb_cert_spec *s) {
  uint8_t *der = NULL;
  size_t len = 0;
  if (tb_cert_build(s, &der, &len) != 0) return NULL;
  X509 *x = parse_cert(der, len);
  free(der);
  return x;
}

static bool contains(const uint8_t *hay, size_t hlen, const void *needle, size_t nlen) {
  for (size_t i = 0; i + nlen <= hlen; i++) {
    if (memcmp(hay + i, needle, nlen) == 0) return true;
  }
  return false;
}

static bool buf_is(const tb_buf *b, const char *hex) {
  tb_buf want = {0};
  tb_buf_hex(&want, hex);
  bool ok = want.len == b->len && memcmp(want.p, b->p, b->len) == 0;
  if (!ok) {
    fprintf(stderr, "  got:  ");
    for (size_t i = 0; i < b->len; i++) fprintf(stderr, "%02x", b->p[i]);
    fprintf(stderr, "\n  want: %s\n", hex);
  }
  tb_buf_free(&want);
  return ok;
}

/* time_is compares an ASN1_TIME with |t| and its encoding type. */
static bool time_is(const ASN1_TIME *a, int64_t t, int type) {
  ASN1_TIME *want = ASN1_TIME_set(NULL, (time_t)t);
  int day = -1, sec = -1;
  bool ok = want != NULL && ASN1_TIME_diff(&day, &sec, a, want) == 1 && day == 0 && sec == 0 &&
            ASN1_STRING_type(a) == type;
  ASN1_TIME_free(want);
  return ok;
}

static bool entry_text_is(const X509_NAME *n, int i, int nid, const void *v, size_t len) {
  const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
  if (e == NULL || OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)) != nid) return false;
  const ASN1_STRING *d = X509_NAME_ENTRY_get_data(e);
  return (size_t)ASN1_STRING_length(d) == len && memcmp(ASN1_STRING_get0_data(d), v, len) == 0;
}

static bool ext_oid_is(X509 *x, int i, const char *dotted) {
  X509_EXTENSION *e = X509_get_ext(x, i);
  char buf[80];
  if (e == NULL || OBJ_obj2txt(buf, sizeof buf, X509_EXTENSION_get_object(e), 1) <= 0) return false;
  return strcmp(buf, dotted) == 0;
}

static bool ext_value_is(X509 *x, int i, const char *hex) {
  X509_EXTENSION *e = X509_get_ext(x, i);
  if (e == NULL) return false;
  const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(e);
  tb_buf b = {0};
  tb_buf_add(&b, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
  bool ok = buf_is(&b, hex);
  tb_buf_free(&b);
  return ok;
}

/* ---- DER writer ----------------------------------------------------------- */

TEST(der_integers) {
  const struct {
    int64_t v;
    const char *hex;
  } cases[] = {
      {0, "020100"},        {127, "02017f"},     {128, "02020080"},   {255, "020200ff"},
      {256, "02020100"},    {-1, "0201ff"},      {-128, "020180"},    {-129, "0202ff7f"},
      {INT64_MAX, "02087fffffffffffffff"},        {INT64_MIN, "02088000000000000000"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tb_buf b = {0};
    tb_der_int(&b, cases[i].v);
    CHECK(buf_is(&b, cases[i].hex));
    tb_buf_free(&b);
  }
}

TEST(der_lengths_and_tags) {
  tb_buf b = {0};
  uint8_t big[300];
  memset(big, 0xaa, sizeof big);
  tb_der_octets(&b, big, 200);
  CHECK_EQ_INT(b.len, 203);
  CHECK(b.p[0] == 0x04 && b.p[1] == 0x81 && b.p[2] == 200);
  tb_buf_free(&b);

  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_buf_add(&b, big, 300);
  tb_der_end(&b, m);
  CHECK_EQ_INT(b.len, 304);
  CHECK(b.p[0] == 0x30 && b.p[1] == 0x82 && b.p[2] == 0x01 && b.p[3] == 0x2c && b.p[4] == 0xaa);
  tb_buf_free(&b);

  tb_der_tag(&b, MTK_CTX(31));
  tb_der_tag(&b, MTK_CTX_C(200));
  tb_der_tag(&b, MTK_TAG_APPLICATION | 5u);
  tb_der_tag(&b, MTK_TAG_PRIVATE | MTK_TAG_CONSTRUCTED | 1u);
  CHECK(buf_is(&b, "9f1f bf8148 45 e1"));
  tb_buf_free(&b);

  tb_der_len_forced(&b, 5, 2);
  tb_der_len(&b, 0x80);
  tb_der_len(&b, 0x10000);
  CHECK(buf_is(&b, "820005 8180 83010000"));
  tb_buf_free(&b);

  /* Nested begin/end, empty contents. */
  m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t m2 = tb_der_begin(&b, MTK_ASN1_SET);
  tb_der_end(&b, m2);
  tb_der_null(&b);
  tb_der_bool(&b, true);
  tb_der_bool(&b, false);
  tb_der_end(&b, m);
  CHECK(buf_is(&b, "300a 3100 0500 0101ff 010100"));
  tb_buf_free(&b);
}

TEST(der_oids_bits_strings) {
  tb_buf b = {0};
  tb_der_oid(&b, "1.2.840.113549");
  tb_der_oid(&b, "2.5.29.17");
  tb_der_oid(&b, "2.999.3");
  tb_der_oid(&b, "CN");
  tb_der_oid(&b, "emailAddress");
  CHECK(buf_is(&b, "06062a864886f70d 0603551d11 0603883703 0603550403 06092a864886f70d010901"));
  tb_buf_free(&b);
  CHECK_STR(tb_oid_dotted("DC"), "0.9.2342.19200300.100.1.25");
  CHECK_STR(tb_oid_dotted("subjectAltName"), "2.5.29.17"); /* via OpenSSL */
  CHECK(tb_oid_dotted("no-such-name") == NULL);

  tb_der_named_bits(&b, TB_KU_DIGITAL_SIGNATURE);
  tb_der_named_bits(&b, TB_KU_KEY_CERT_SIGN | TB_KU_CRL_SIGN);
  tb_der_named_bits(&b, TB_KU_DECIPHER_ONLY);
  tb_der_named_bits(&b, 0);
  CHECK(buf_is(&b, "03020780 03020106 0303070080 030100"));
  tb_buf_free(&b);

  tb_der_string(&b, MTK_ASN1_UTF8STRING, "a\0b", 3);
  tb_der_bitstring(&b, 4, "\xf0", 1);
  tb_der_int_raw(&b, "\x00\x01", 2);
  CHECK(buf_is(&b, "0c03610062 030204f0 02020001"));
  tb_buf_free(&b);
}

TEST(der_times) {
  CHECK_EQ_INT(tb_time(1970, 1, 1, 0, 0, 0), 0);
  CHECK_EQ_INT(tb_time(2025, 1, 1, 0, 0, 0), TB_DEFAULT_NOT_BEFORE);
  CHECK_EQ_INT(tb_time(2025, 4, 1, 0, 0, 0), TB_DEFAULT_NOT_AFTER);
  CHECK_EQ_INT(tb_time(2000, 2, 29, 23, 59, 59), 951868799);
  CHECK_EQ_INT(tb_time(1969, 12, 31, 23, 59, 59), -1);

  tb_buf b = {0};
  tb_der_time(&b, tb_time(2025, 1, 2, 3, 4, 5), TB_TIME_AUTO);
  CHECK(buf_is(&b, "170d 323530313032303330343035 5a"));
  tb_buf_free(&b);
  tb_der_time(&b, tb_time(2050, 1, 1, 0, 0, 0), TB_TIME_AUTO);
  CHECK(buf_is(&b, "180f 3230353030313031303030303030 5a"));
  tb_buf_free(&b);
  tb_der_time(&b, tb_time(1949, 12, 31, 23, 59, 59), TB_TIME_AUTO);
  CHECK(buf_is(&b, "180f 3139343931323331323335393539 5a"));
  tb_buf_free(&b);
  tb_der_time(&b, tb_time(2025, 1, 1, 0, 0, 0), TB_TIME_GEN);
  CHECK(buf_is(&b, "180f 3230323530313031303030303030 5a"));
  tb_buf_free(&b);
  tb_der_time(&b, tb_time(2050, 6, 1, 0, 0, 0), TB_TIME_UTC); /* deliberately wrong */
  CHECK(buf_is(&b, "170d 353030363031303030303030 5a"));
  tb_buf_free(&b);
}

TEST(der_set_sorting) {
  tb_bytes e[3] = {{(const uint8_t *)"\x02\x01\x05", 3},
                   {(const uint8_t *)"\x01\x01\xff", 3},
                   {(const uint8_t *)"\x02\x02\x00\x80", 4}};
  tb_buf b = {0};
  tb_der_set_of(&b, e, 3, true);
  CHECK(buf_is(&b, "310a 0101ff 020105 02020080"));
  tb_buf_free(&b);
  tb_der_set_of(&b, e, 3, false);
  CHECK(buf_is(&b, "310a 020105 0101ff 02020080"));
  tb_buf_free(&b);
}

/* ---- keys ---------------------------------------------------------------- */

TEST(keys_cached) {
  tb_key *a = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  tb_key *b = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  tb_key *c = tb_key_new_slot(TB_KEY_EC, NID_X9_62_prime256v1, 1);
  CHECK(a != NULL && a == b);
  CHECK(c != NULL && c != a);
  if (a == NULL || c == NULL) return;
  CHECK(EVP_PKEY_eq(tb_key_pkey(a), tb_key_pkey(c)) != 1);
  tb_key_free(a); /* no-op for a cached key */
  CHECK(tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1) == a);
  CHECK(EVP_PKEY_get_bits(tb_key_pkey(a)) == 256);

  uint8_t id[20], id2[20];
  CHECK(tb_key_id(a, id) == 0);
  CHECK(tb_key_id(c, id2) == 0);
  CHECK(memcmp(id, id2, 20) != 0);
}

TEST(keys_every_kind_signs_a_verifiable_cert) {
  const struct {
    tb_keytype type;
    int param;
    const char *name;
    int bits;
  } kinds[] = {
      {TB_KEY_RSA, 2048, "RSA", 2048},
      {TB_KEY_RSA, 1024, "RSA", 1024},
      {TB_KEY_RSA, 512, "RSA", 512},
      {TB_KEY_RSA_E3, 2048, "RSA", 2048},
      {TB_KEY_RSA_PSS, 2048, "RSA-PSS", 2048},
      {TB_KEY_EC, NID_X9_62_prime256v1, "EC", 256},
      {TB_KEY_EC, NID_secp384r1, "EC", 384},
      {TB_KEY_EC, NID_secp521r1, "EC", 521},
      {TB_KEY_EC, NID_secp256k1, "EC", 256},
      {TB_KEY_EC, NID_brainpoolP256r1, "EC", 256},
      {TB_KEY_EC_EXPLICIT, NID_X9_62_prime256v1, "EC", 256},
      {TB_KEY_ED25519, 0, "ED25519", 256},
      {TB_KEY_ED448, 0, "ED448", 456},
  };
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    tb_key *k = tb_key_new(kinds[i].type, kinds[i].param);
    CHECK(k != NULL);
    if (k == NULL) continue;
    CHECK(EVP_PKEY_is_a(tb_key_pkey(k), kinds[i].name) == 1);
    CHECK_EQ_INT(EVP_PKEY_get_bits(tb_key_pkey(k)), kinds[i].bits);
    tb_cert_spec s;
    tb_cert_spec_default(&s);
    s.subject_key = k;
    X509 *x = build_parse(&s);
    CHECK(x != NULL);
    if (x != NULL) {
      EVP_PKEY *pub = X509_get0_pubkey(x);
      CHECK(pub != NULL && EVP_PKEY_eq(pub, tb_key_pkey(k)) == 1);
      CHECK_EQ_INT(X509_verify(x, tb_key_pkey(k)), 1);
      if (kinds[i].type == TB_KEY_RSA_PSS) CHECK_EQ_INT(X509_get_signature_nid(x), NID_rsassaPss);
      if (kinds[i].type == TB_KEY_ED25519) CHECK_EQ_INT(X509_get_signature_nid(x), NID_ED25519);
    }
    X509_free(x);
    tb_cert_spec_cleanup(&s);
  }

  BIGNUM *e = NULL;
  tb_key *e3 = tb_key_new(TB_KEY_RSA_E3, 2048);
  CHECK(e3 != NULL && EVP_PKEY_get_bn_param(tb_key_pkey(e3), OSSL_PKEY_PARAM_RSA_E, &e) == 1);
  CHECK(e != NULL && BN_is_word(e, 3));
  BN_free(e);

  /* The explicit-parameters key writes specifiedCurve: no named-curve OID. */
  uint8_t *spki = NULL;
  size_t spki_len = 0;
  tb_key *ex = tb_key_new(TB_KEY_EC_EXPLICIT, NID_X9_62_prime256v1);
  CHECK(ex != NULL && tb_spki_der(ex, &spki, &spki_len) == 0);
  CHECK(!contains(spki, spki_len, "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07", 10));
  free(spki);

  /* P-192 only if the provider offers it. */
  tb_key *p192 = tb_key_new(TB_KEY_EC, NID_X9_62_prime192v1);
  if (p192 != NULL) CHECK_EQ_INT(EVP_PKEY_get_bits(tb_key_pkey(p192)), 192);
}

TEST(digests) {
  const struct {
    tb_keytype type;
    int param;
    tb_digest md;
    int nid;
  } cases[] = {
      {TB_KEY_RSA, 2048, TB_MD_DEFAULT, NID_sha256WithRSAEncryption},
      {TB_KEY_RSA, 2048, TB_MD_MD5, NID_md5WithRSAEncryption},
      {TB_KEY_RSA, 2048, TB_MD_SHA1, NID_sha1WithRSAEncryption},
      {TB_KEY_RSA, 2048, TB_MD_SHA224, NID_sha224WithRSAEncryption},
      {TB_KEY_RSA, 2048, TB_MD_SHA384, NID_sha384WithRSAEncryption},
      {TB_KEY_RSA, 2048, TB_MD_SHA512, NID_sha512WithRSAEncryption},
      {TB_KEY_EC, NID_X9_62_prime256v1, TB_MD_SHA1, NID_ecdsa_with_SHA1},
      {TB_KEY_EC, NID_X9_62_prime256v1, TB_MD_DEFAULT, NID_ecdsa_with_SHA256},
      {TB_KEY_EC, NID_secp384r1, TB_MD_SHA384, NID_ecdsa_with_SHA384},
      {TB_KEY_EC, NID_secp521r1, TB_MD_SHA512, NID_ecdsa_with_SHA512},
      {TB_KEY_ED25519, 0, TB_MD_NONE, NID_ED25519},
      {TB_KEY_ED448, 0, TB_MD_DEFAULT, NID_ED448},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tb_cert_spec s;
    tb_cert_spec_default(&s);
    s.subject_key = tb_key_new(cases[i].type, cases[i].param);
    s.digest = cases[i].md;
    X509 *x = build_parse(&s);
    CHECK(x != NULL);
    if (x != NULL) {
      CHECK_EQ_INT(X509_get_signature_nid(x), cases[i].nid);
      CHECK_EQ_INT(X509_verify(x, tb_key_pkey(s.subject_key)), 1);
    }
    X509_free(x);
    tb_cert_spec_cleanup(&s);
  }
  /* Impossible combinations fail cleanly. */
  uint8_t *der = NULL;
  size_t len = 0;
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.digest = TB_MD_MD5; /* no ECDSA-with-MD5 */
  CHECK(tb_cert_build(&s, &der, &len) != 0);
  tb_cert_spec_cleanup(&s);
}

TEST(private_key_pem_round_trip) {
  tb_key *k = tb_key_new(TB_KEY_ED25519, 0);
  char *pem = NULL;
  size_t len = 0;
  CHECK(k != NULL && tb_private_key_pem(k, &pem, &len) == 0);
  if (pem == NULL) return;
  CHECK(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
  CHECK_EQ_INT(strlen(pem), len);
  BIO *bio = BIO_new_mem_buf(pem, (int)len);
  EVP_PKEY *back = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
  CHECK(back != NULL && EVP_PKEY_eq(back, tb_key_pkey(k)) == 1);
  EVP_PKEY_free(back);
  BIO_free(bio);
  free(pem);

  /* tb_key_from_pkey owns what it wraps. */
  EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
  tb_key *w = tb_key_from_pkey(pk);
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.subject_key = w;
  X509 *x = build_parse(&s);
  CHECK(x != NULL && X509_verify(x, pk) == 1);
  X509_free(x);
  tb_cert_spec_cleanup(&s);
  tb_key_free(w);
}

/* ---- certificates ------------------------------------------------------------ */

TEST(default_cert) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  uint8_t *der = NULL;
  size_t len = 0;
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  X509 *x = parse_cert(der, len);
  CHECK(x != NULL);
  if (x != NULL) {
    CHECK_EQ_INT(X509_get_version(x), X509_VERSION_3);
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    CHECK(ASN1_STRING_length(serial) == 16 &&
          memcmp(ASN1_STRING_get0_data(serial), "mtlskit-serial01", 16) == 0);
    CHECK(entry_text_is(X509_get_subject_name(x), 0, NID_commonName, "test.example.com", 16));
    CHECK_EQ_INT(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
    CHECK(time_is(X509_get0_notBefore(x), TB_DEFAULT_NOT_BEFORE, V_ASN1_UTCTIME));
    CHECK(time_is(X509_get0_notAfter(x), TB_DEFAULT_NOT_AFTER, V_ASN1_UTCTIME));
    CHECK_EQ_INT(X509_get_ext_count(x), 0);
    CHECK_EQ_INT(X509_verify(x, tb_key_pkey(tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1))), 1);
    CHECK_EQ_INT(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
  }
  /* Deterministic apart from the signature: the TBS is the same twice. */
  const uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  uint8_t *tbs2 = NULL;
  size_t tbs2_len = 0;
  CHECK(tb_signed_tbs(der, len, &tbs, &tbs_len) == 0);
  CHECK(tb_cert_build_tbs(&s, &tbs2, &tbs2_len) == 0);
  CHECK(tbs_len == tbs2_len && tbs != NULL && memcmp(tbs, tbs2, tbs_len) == 0);
  free(tbs2);

  /* PEM round trip. */
  char *pem = NULL;
  size_t pem_len = 0;
  tb_pem("CERTIFICATE", der, len, &pem, &pem_len);
  BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
  X509 *y = PEM_read_bio_X509(bio, NULL, NULL, NULL);
  CHECK(y != NULL && x != NULL && X509_cmp(x, y) == 0);
  X509_free(y);
  BIO_free(bio);
  free(pem);
  X509_free(x);
  free(der);
  tb_cert_spec_cleanup(&s);
}

TEST(versions_serials_times) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.version = TB_V1;
  X509 *x = build_parse(&s);
  CHECK(x != NULL && X509_get_version(x) == X509_VERSION_1);
  X509_free(x);

  uint8_t *der = NULL;
  size_t len = 0;
  s.version_explicit = true;
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  CHECK(contains(der, len, "\xa0\x03\x02\x01\x00", 5));
  free(der);

  s.version = TB_V3;
  s.version_explicit = false;
  tb_cert_spec_set_serial(&s, "\x00", 1);
  s.not_before = tb_time(2024, 2, 29, 12, 0, 0);
  s.not_before_fmt = TB_TIME_GEN; /* GeneralizedTime before 2050 */
  s.not_after = tb_time(2051, 1, 1, 0, 0, 0);
  x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) {
    CHECK_EQ_INT(ASN1_INTEGER_get(X509_get0_serialNumber(x)), 0);
    CHECK(time_is(X509_get0_notBefore(x), tb_time(2024, 2, 29, 12, 0, 0), V_ASN1_GENERALIZEDTIME));
    CHECK(time_is(X509_get0_notAfter(x), tb_time(2051, 1, 1, 0, 0, 0), V_ASN1_GENERALIZEDTIME));
  }
  X509_free(x);

  /* Raw time text (seconds omitted) and a 20-octet serial. */
  static const uint8_t serial20[20] = {0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
  tb_cert_spec_set_serial(&s, serial20, 20);
  s.not_before_text = "2501010000Z";
  s.not_before_fmt = TB_TIME_UTC;
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  CHECK(contains(der, len, "\x17\x0b" "2501010000Z", 13));
  CHECK(contains(der, len, "\x02\x14\x7f\x01\x02", 5));
  free(der);
  tb_cert_spec_cleanup(&s);
}

TEST(names) {
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "C", "DE");
  tb_name_add(&s.subject, "O", "Example");
  tb_name_add_ex(&s.subject, "OU", 0, "b-unit", 6, false);
  tb_name_add_ex(&s.subject, "2.5.4.11", 0, "a-unit", 6, true); /* same RDN */
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_UTF8STRING, "evil\0.example.com", 17, false);
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_T61STRING, "caf\xe9", 4, false);
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_BMPSTRING, "\x00h\x00i", 4, false);
  tb_name_add(&s.subject, "emailAddress", "a@example.com");
  tb_name_add(&s.issuer, "CN", "Some Issuer");
  X509 *x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) {
    const X509_NAME *n = X509_get_subject_name(x);
    CHECK_EQ_INT(X509_NAME_entry_count(n), 8);
    CHECK(entry_text_is(n, 0, NID_countryName, "DE", 2));
    CHECK_EQ_INT(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, 0))), V_ASN1_PRINTABLESTRING);
    /* The multi-valued RDN: both in set 2, sorted ("a-unit" first). */
    CHECK_EQ_INT(X509_NAME_ENTRY_set(X509_NAME_get_entry(n, 2)), 2);
    CHECK_EQ_INT(X509_NAME_ENTRY_set(X509_NAME_get_entry(n, 3)), 2);
    CHECK(entry_text_is(n, 2, NID_organizationalUnitName, "a-unit", 6));
    CHECK(entry_text_is(n, 4, NID_commonName, "evil\0.example.com", 17));
    CHECK(entry_text_is(n, 5, NID_commonName, "caf\xe9", 4));
    CHECK_EQ_INT(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, 5))), V_ASN1_T61STRING);
    CHECK_EQ_INT(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, 6))), V_ASN1_BMPSTRING);
    CHECK_EQ_INT(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, 7))), V_ASN1_IA5STRING);
    CHECK(entry_text_is(X509_get_issuer_name(x), 0, NID_commonName, "Some Issuer", 11));
  }
  X509_free(x);

  /* Unsorted multi-valued RDN keeps the given order; raw empty issuer. */
  s.subject.unsorted = true;
  tb_name_set_raw(&s.issuer, "\x30\x00", 2);
  x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) {
    CHECK(entry_text_is(X509_get_subject_name(x), 2, NID_organizationalUnitName, "b-unit", 6));
    CHECK_EQ_INT(X509_NAME_entry_count(X509_get_issuer_name(x)), 0);
  }
  X509_free(x);

  /* tb_name_copy and tb_name_der. */
  tb_name copy = {0};
  tb_name_copy(&copy, &s.subject);
  uint8_t *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  CHECK(tb_name_der(&copy, &a, &alen) == 0 && tb_name_der(&s.subject, &b, &blen) == 0);
  CHECK(alen == blen && memcmp(a, b, alen) == 0);
  free(a);
  free(b);
  tb_name_clear(&copy);

  /* Invalid UTF-8 is written as given (OpenSSL's d2i_X509 refuses it). */
  uint8_t *der = NULL;
  size_t len = 0;
  tb_name_add_ex(&s.subject, "CN", MTK_ASN1_UTF8STRING, "\xc3\x28", 2, false);
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  CHECK(contains(der, len, "\x06\x03\x55\x04\x03\x0c\x02\xc3\x28", 9));
  CHECK(parse_cert(der, len) == NULL);
  free(der);
  tb_cert_spec_cleanup(&s);
}

static void check_all_exts(X509 *x, tb_key *key, const uint8_t *ip4) {
  CHECK_EQ_INT(X509_get_ext_count(x), 15);
  CHECK_EQ_INT(X509_verify(x, tb_key_pkey(key)), 1);
  const char *order[] = {"2.5.29.17", "2.5.29.15", "2.5.29.37", "2.5.29.19", "2.5.29.14",
                         "2.5.29.35", "2.5.29.31", "1.3.6.1.5.5.7.1.1", "2.5.29.32", "2.5.29.30",
                         "1.3.6.1.5.5.7.1.24", "1.3.6.1.4.1.11129.2.4.2", "1.3.6.1.4.1.11129.2.4.3",
                         "2.5.29.18", "1.3.6.1.4.1.99999.7"};
  for (int i = 0; i < 15; i++) CHECK(ext_oid_is(x, i, order[i]));
  CHECK_EQ_INT(X509_EXTENSION_get_critical(X509_get_ext(x, 0)), 0);
  CHECK_EQ_INT(X509_EXTENSION_get_critical(X509_get_ext(x, 1)), 1);
  CHECK_EQ_INT(X509_EXTENSION_get_critical(X509_get_ext(x, 12)), 1);

  /* SAN, entry by entry. */
  GENERAL_NAMES *gns = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
  CHECK(gns != NULL && sk_GENERAL_NAME_num(gns) == 8);
  if (gns != NULL && sk_GENERAL_NAME_num(gns) == 8) {
    const int types[] = {GEN_DNS, GEN_IPADD, GEN_IPADD, GEN_URI, GEN_EMAIL, GEN_DIRNAME, GEN_RID, GEN_OTHERNAME};
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(sk_GENERAL_NAME_value(gns, i)->type, types[i]);
    const ASN1_OCTET_STRING *ip = sk_GENERAL_NAME_value(gns, 1)->d.iPAddress;
    CHECK(ASN1_STRING_length(ip) == 4 && memcmp(ASN1_STRING_get0_data(ip), ip4, 4) == 0);
    CHECK_EQ_INT(ASN1_STRING_length(sk_GENERAL_NAME_value(gns, 2)->d.iPAddress), 16);
    CHECK(entry_text_is(sk_GENERAL_NAME_value(gns, 5)->d.directoryName, 0, NID_commonName, "Dir Name", 8));
    CHECK_EQ_INT(OBJ_obj2nid(sk_GENERAL_NAME_value(gns, 7)->d.otherName->type_id), NID_ms_upn);
  }
  GENERAL_NAMES_free(gns);

  CHECK_EQ_INT(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
  CHECK_EQ_INT(X509_get_extended_key_usage(x), XKU_SSL_SERVER | XKU_SSL_CLIENT);
  CHECK((X509_get_extension_flags(x) & EXFLAG_CA) != 0);
  CHECK_EQ_INT(X509_get_pathlen(x), 3);
  uint8_t id[20];
  CHECK(tb_key_id(key, id) == 0);
  const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
  CHECK(ski != NULL && ASN1_STRING_length(ski) == 20 && memcmp(ASN1_STRING_get0_data(ski), id, 20) == 0);
  const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
  CHECK(aki != NULL && ASN1_STRING_length(aki) == 20 && memcmp(ASN1_STRING_get0_data(aki), id, 20) == 0);

  STACK_OF(DIST_POINT) *dps = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
  CHECK(dps != NULL && sk_DIST_POINT_num(dps) == 1);
  if (dps != NULL && sk_DIST_POINT_num(dps) == 1) {
    DIST_POINT_NAME *dpn = sk_DIST_POINT_value(dps, 0)->distpoint;
    CHECK(dpn != NULL && dpn->type == 0 && sk_GENERAL_NAME_num(dpn->name.fullname) == 1);
    if (dpn != NULL && dpn->type == 0) {
      GENERAL_NAME *g = sk_GENERAL_NAME_value(dpn->name.fullname, 0);
      CHECK(g->type == GEN_URI && ASN1_STRING_length(g->d.uniformResourceIdentifier) == 29);
    }
  }
  sk_DIST_POINT_pop_free(dps, DIST_POINT_free);

  AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
  CHECK(aia != NULL && sk_ACCESS_DESCRIPTION_num(aia) == 2);
  if (aia != NULL && sk_ACCESS_DESCRIPTION_num(aia) == 2) {
    CHECK_EQ_INT(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, 0)->method), NID_ad_OCSP);
    CHECK_EQ_INT(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(aia, 1)->method), NID_ad_ca_issuers);
  }
  AUTHORITY_INFO_ACCESS_free(aia);

  CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
  CHECK(cp != NULL && sk_POLICYINFO_num(cp) == 2);
  if (cp != NULL && sk_POLICYINFO_num(cp) == 2) {
    char buf[64];
    OBJ_obj2txt(buf, sizeof buf, sk_POLICYINFO_value(cp, 0)->policyid, 1);
    CHECK_STR(buf, "2.23.140.1.2.1");
  }
  CERTIFICATEPOLICIES_free(cp);

  NAME_CONSTRAINTS *nc = X509_get_ext_d2i(x, NID_name_constraints, NULL, NULL);
  CHECK(nc != NULL && sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) == 2 &&
        sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) == 1);
  NAME_CONSTRAINTS_free(nc);

  CHECK(ext_value_is(x, 10, "3003020105"));
  CHECK(ext_value_is(x, 11, "04020000"));
  CHECK(ext_value_is(x, 12, "0500"));
  CHECK(ext_value_is(x, 14, "0500"));
}

TEST(extension_builders) {
  static const uint8_t ip4[4] = {192, 0, 2, 10};
  static const char *const eku[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH};
  static const char *const pol[] = {TB_POLICY_DV, "1.3.6.1.4.1.99999.1"};
  tb_name dn = {0};
  tb_name_add(&dn, "CN", "Dir Name");
  tb_gn san[] = {
      tb_gn_dns("api.example.com"),
      tb_gn_ip(ip4, 4),
      tb_gn_ip_text("2001:db8::1"),
      tb_gn_uri("spiffe://example.org/ns/prod/sa/billing"),
      tb_gn_email("ops@example.com"),
      tb_gn_dirname(&dn),
      tb_gn_rid("1.2.3.4"),
      tb_gn_othername("1.3.6.1.4.1.311.20.2.3", "\x0c\x03" "a@b", 5),
  };
  tb_gn permitted[] = {tb_gn_dns("example.com"), tb_gn_ip((const uint8_t *)"\xc0\x00\x02\x00\xff\xff\xff\x00", 8)};
  tb_gn excluded[] = {tb_gn_dns("bad.example.com")};
  tb_key *key = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);

  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_ext_san(&s.exts, false, san, sizeof san / sizeof san[0]);                  /* 0 */
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE | TB_KU_KEY_ENCIPHERMENT); /* 1 */
  tb_ext_eku(&s.exts, false, eku, 2);                                           /* 2 */
  tb_ext_basic_constraints(&s.exts, true, true, 3);                             /* 3 */
  tb_ext_ski(&s.exts, false, key);                                              /* 4 */
  tb_ext_aki(&s.exts, false, key);                                              /* 5 */
  tb_ext_crl_dp(&s.exts, false, "http://crl.example.com/ca.crl");              /* 6 */
  tb_ext_aia(&s.exts, false, "http://ocsp.example.com", "http://ca.example.com/ca.crt"); /* 7 */
  tb_ext_policies(&s.exts, false, pol, 2);                                      /* 8 */
  tb_ext_name_constraints(&s.exts, true, permitted, 2, excluded, 1);            /* 9 */
  tb_ext_must_staple(&s.exts, false);                                           /* 10 */
  tb_ext_sct_list(&s.exts, false, "\x00\x00", 2);                               /* 11 */
  tb_ext_ct_poison(&s.exts);                                                    /* 12 */
  tb_ext_ian(&s.exts, false, san, 1);                                           /* 13 */
  tb_ext_add(&s.exts, "1.3.6.1.4.1.99999.7", false, "\x05\x00", 2);             /* 14 */

  X509 *x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) check_all_exts(x, key, ip4);
  X509_free(x);
  tb_cert_spec_cleanup(&s);
  tb_name_clear(&dn);
}

TEST(extension_list_modes) {
  tb_gn g = tb_gn_dns("a.example.com");
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  /* Duplicates are kept, in order. */
  tb_ext_san(&s.exts, false, &g, 1);
  tb_ext_san(&s.exts, false, &g, 1);
  X509 *x = build_parse(&s);
  CHECK(x != NULL && X509_get_ext_count(x) == 2);
  X509_free(x);

  /* Omitted although non-empty. */
  uint8_t *der = NULL;
  size_t len = 0;
  s.ext_mode = TB_EXTS_OMIT;
  x = build_parse(&s);
  CHECK(x != NULL && X509_get_ext_count(x) == 0);
  X509_free(x);

  /* Present but empty. */
  tb_exts_clear(&s.exts);
  s.ext_mode = TB_EXTS_EMPTY;
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  CHECK(contains(der, len, "\xa3\x02\x30\x00", 4));
  free(der);

  /* A raw Extension element: critical encoded explicitly as 0x01. */
  tb_buf e = {0};
  tb_buf_hex(&e, "300c 0603551d13 010101 04023000");
  tb_ext_add_element(&s.exts, e.p, e.len);
  s.ext_mode = TB_EXTS_AUTO;
  CHECK(tb_cert_build(&s, &der, &len) == 0);
  CHECK(contains(der, len, e.p, e.len));
  x = parse_cert(der, len);
  CHECK(x != NULL && X509_get_ext_count(x) == 1);
  X509_free(x);
  free(der);
  tb_buf_free(&e);
  tb_cert_spec_cleanup(&s);
}

TEST(leaf_and_ca_presets_and_overrides) {
  tb_key *ca_key = tb_key_new(TB_KEY_EC, NID_secp384r1);
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  tb_cert_spec_leaf(&s, "www.example.com");
  s.issuer_key = ca_key;
  tb_name_add(&s.issuer, "CN", "Test CA");
  /* Overrides: a mismatching outer algid, unique IDs. */
  static const uint8_t sha1ecdsa[] = {0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01};
  s.outer_sig_alg_der = sha1ecdsa;
  s.outer_sig_alg_len = sizeof sha1ecdsa;
  s.subject_uid = (const uint8_t *)"\x01\x02";
  s.subject_uid_len = 2;
  X509 *x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) {
    CHECK_EQ_INT(X509_get_ext_count(x), 6);
    uint8_t id[20];
    CHECK(tb_key_id(ca_key, id) == 0);
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
    CHECK(aki != NULL && memcmp(ASN1_STRING_get0_data(aki), id, 20) == 0);
    CHECK(X509_check_host(x, "www.example.com", 15, 0, NULL) == 1);
    const X509_ALGOR *outer = NULL;
    X509_get0_signature(NULL, &outer, x);
    CHECK(outer != NULL && OBJ_obj2nid(outer->algorithm) == NID_ecdsa_with_SHA1);
    CHECK_EQ_INT(X509_get_signature_nid(x), NID_ecdsa_with_SHA1);
    const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
    X509_get0_uids(x, &iuid, &suid);
    CHECK(iuid == NULL && suid != NULL && ASN1_STRING_length(suid) == 2);
  }
  X509_free(x);

  /* Corrupt signature. */
  s.outer_sig_alg_der = NULL;
  s.corrupt_signature = true;
  x = build_parse(&s);
  CHECK(x != NULL && X509_verify(x, tb_key_pkey(ca_key)) == 0);
  X509_free(x);
  s.corrupt_signature = false;
  x = build_parse(&s);
  CHECK(x != NULL && X509_verify(x, tb_key_pkey(ca_key)) == 1);
  /* Signed by another key: does not verify. */
  CHECK(x != NULL && X509_verify(x, tb_key_pkey(tb_key_new_slot(TB_KEY_EC, NID_secp384r1, 1))) == 0);
  X509_free(x);

  /* An SPKI override: auto SKI follows it. */
  tb_key *other = tb_key_new(TB_KEY_ED25519, 0);
  uint8_t *spki = NULL;
  size_t spki_len = 0;
  CHECK(tb_spki_der(other, &spki, &spki_len) == 0);
  s.spki_der = spki;
  s.spki_len = spki_len;
  x = build_parse(&s);
  CHECK(x != NULL);
  if (x != NULL) {
    uint8_t id[20];
    CHECK(tb_key_id(other, id) == 0);
    CHECK(EVP_PKEY_eq(X509_get0_pubkey(x), tb_key_pkey(other)) == 1);
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(x);
    CHECK(ski != NULL && memcmp(ASN1_STRING_get0_data(ski), id, 20) == 0);
  }
  X509_free(x);
  free(spki);
  tb_cert_spec_cleanup(&s);
}

static int verify_chain(X509 *root, X509 *inter, X509 *leaf, int64_t at) {
  X509_STORE *store = X509_STORE_new();
  X509_STORE_CTX *ctx = X509_STORE_CTX_new();
  STACK_OF(X509) *untrusted = sk_X509_new_null();
  int rv = -1;
  if (store == NULL || ctx == NULL || untrusted == NULL) goto out;
  X509_STORE_add_cert(store, root);
  sk_X509_push(untrusted, inter);
  if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) goto out;
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
  X509_VERIFY_PARAM_set_purpose(X509_STORE_CTX_get0_param(ctx), X509_PURPOSE_SSL_SERVER);
  rv = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
out:
  sk_X509_free(untrusted);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  return rv;
}

TEST(chain_root_intermediate_leaf) {
  tb_key *root_key = tb_key_new(TB_KEY_RSA, 2048);
  tb_key *inter_key = tb_key_new(TB_KEY_EC, NID_secp384r1);
  tb_key *leaf_key = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  tb_cert_spec root, inter, leaf;
  tb_cert_spec_default(&root);
  tb_cert_spec_default(&inter);
  tb_cert_spec_default(&leaf);

  tb_cert_spec_ca(&root, "Test Root", -1);
  root.subject_key = root_key;
  root.not_before = tb_time(2024, 1, 1, 0, 0, 0);
  root.not_after = tb_time(2044, 1, 1, 0, 0, 0);

  tb_cert_spec_ca(&inter, "Test Intermediate", 0);
  inter.subject_key = inter_key;
  inter.issuer_key = root_key;
  tb_name_copy(&inter.issuer, &root.subject);
  tb_cert_spec_set_serial(&inter, "\x02", 1);
  inter.not_before = tb_time(2024, 6, 1, 0, 0, 0);
  inter.not_after = tb_time(2034, 6, 1, 0, 0, 0);

  tb_cert_spec_leaf(&leaf, "api.example.com");
  leaf.subject_key = leaf_key;
  leaf.issuer_key = inter_key;
  leaf.digest = TB_MD_SHA384;
  tb_name_copy(&leaf.issuer, &inter.subject);
  tb_cert_spec_set_serial(&leaf, "\x03", 1);

  X509 *r = build_parse(&root), *i = build_parse(&inter), *l = build_parse(&leaf);
  CHECK(r != NULL && i != NULL && l != NULL);
  if (r != NULL && i != NULL && l != NULL) {
    CHECK_EQ_INT(X509_verify(r, tb_key_pkey(root_key)), 1);
    CHECK_EQ_INT(X509_verify(i, tb_key_pkey(root_key)), 1);
    CHECK_EQ_INT(X509_verify(l, tb_key_pkey(inter_key)), 1);
    CHECK_EQ_INT(X509_check_issued(r, i), X509_V_OK);
    CHECK_EQ_INT(X509_check_issued(i, l), X509_V_OK);
    CHECK_EQ_INT(X509_get_pathlen(i), 0);
    /* The whole chain validates at a fixed time inside every validity... */
    CHECK_EQ_INT(verify_chain(r, i, l, tb_time(2025, 2, 1, 0, 0, 0)), X509_V_OK);
    /* ...and not after the leaf expired. */
    CHECK_EQ_INT(verify_chain(r, i, l, tb_time(2025, 6, 1, 0, 0, 0)), X509_V_ERR_CERT_HAS_EXPIRED);
  }
  X509_free(r);
  X509_free(i);
  X509_free(l);
  tb_cert_spec_cleanup(&root);
  tb_cert_spec_cleanup(&inter);
  tb_cert_spec_cleanup(&leaf);
}

/* ---- hand-written TBS ------------------------------------------------------------ */

TEST(resign_hand_written_tbs) {
  tb_key *k = tb_key_new(TB_KEY_RSA, 2048);
  uint8_t *aid = NULL, *spki = NULL, *der = NULL;
  size_t aid_len = 0, spki_len = 0, len = 0;
  CHECK(tb_sig_algid(k, TB_MD_SHA256, &aid, &aid_len) == 0);
  CHECK(tb_spki_der(k, &spki, &spki_len) == 0);
  tb_name n = {0};
  tb_name_add(&n, "CN", "hand.example.com");

  tb_buf t = {0};
  size_t m = tb_der_begin(&t, MTK_ASN1_SEQUENCE);
  size_t vm = tb_der_begin(&t, MTK_CTX_C(0));
  tb_der_int(&t, 2);
  tb_der_end(&t, vm);
  tb_der_int(&t, 4660);
  tb_buf_add(&t, aid, aid_len);
  tb_der_name(&t, &n);
  size_t valm = tb_der_begin(&t, MTK_ASN1_SEQUENCE);
  tb_der_time(&t, tb_time(2025, 1, 1, 0, 0, 0), TB_TIME_UTC);
  tb_der_time(&t, tb_time(2025, 12, 31, 23, 59, 59), TB_TIME_UTC);
  tb_der_end(&t, valm);
  tb_der_name(&t, &n);
  tb_buf_add(&t, spki, spki_len);
  size_t em = tb_der_begin(&t, MTK_CTX_C(3));
  size_t esm = tb_der_begin(&t, MTK_ASN1_SEQUENCE);
  /* basicConstraints with critical BOOLEAN 0x01 (not DER). */
  tb_buf_hex(&t, "300c 0603551d13 010101 04023000");
  tb_der_end(&t, esm);
  tb_der_end(&t, em);
  tb_der_end(&t, m);

  CHECK(tb_resign(t.p, t.len, k, TB_MD_SHA256, &der, &len) == 0);
  X509 *x = parse_cert(der, len);
  CHECK(x != NULL);
  if (x != NULL) {
    CHECK_EQ_INT(X509_verify(x, tb_key_pkey(k)), 1);
    CHECK_EQ_INT(ASN1_INTEGER_get(X509_get0_serialNumber(x)), 4660);
    CHECK(time_is(X509_get0_notAfter(x), tb_time(2025, 12, 31, 23, 59, 59), V_ASN1_UTCTIME));
    CHECK_EQ_INT(X509_get_ext_count(x), 1);
  }
  const uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  CHECK(tb_signed_tbs(der, len, &tbs, &tbs_len) == 0);
  CHECK(tbs_len == t.len && memcmp(tbs, t.p, t.len) == 0);
  X509_free(x);
  free(der);

  /* Patch a built TBS (same length) and sign it again. */
  tb_cert_spec s;
  tb_cert_spec_default(&s);
  s.subject_key = k;
  uint8_t *tbs2 = NULL;
  size_t tbs2_len = 0;
  CHECK(tb_cert_build_tbs(&s, &tbs2, &tbs2_len) == 0);
  CHECK(tb_replace_bytes(&tbs2, &tbs2_len, "test.example.com", 16, "TEST.EXAMPLE.COM", 16) == 0);
  CHECK(tb_replace_bytes(&tbs2, &tbs2_len, "no such bytes", 13, "x", 1) != 0);
  CHECK(tb_resign(tbs2, tbs2_len, k, TB_MD_DEFAULT, &der, &len) == 0);
  x = parse_cert(der, len);
  CHECK(x != NULL && X509_verify(x, tb_key_pkey(k)) == 1);
  /* The first occurrence is in the issuer, which precedes the subject. */
  CHECK(x != NULL && entry_text_is(X509_get_issuer_name(x), 0, NID_commonName, "TEST.EXAMPLE.COM", 16));
  CHECK(x != NULL && entry_text_is(X509_get_subject_name(x), 0, NID_commonName, "test.example.com", 16));
  X509_free(x);
  free(der);
  free(tbs2);

  tb_cert_spec_cleanup(&s);
  tb_buf_free(&t);
  tb_name_clear(&n);
  free(aid);
  free(spki);
}

/* ---- CSRs ---------------------------------------------------------------------------- */

static X509_REQ *parse_csr(const uint8_t *der, size_t len) {
  const unsigned char *p = der;
  X509_REQ *r = d2i_X509_REQ(NULL, &p, (long)len);
  if (r != NULL && p != der + len) {
    X509_REQ_free(r);
    return NULL;
  }
  return r;
}

TEST(csr_with_requested_extensions) {
  static const char *const eku[] = {TB_EKU_CLIENT_AUTH};
  tb_key *k = tb_key_new(TB_KEY_RSA, 2048);
  tb_gn san[] = {tb_gn_dns("client.example.com"), tb_gn_uri("spiffe://example.org/ns/prod/sa/billing")};
  tb_csr_spec s;
  tb_csr_spec_default(&s);
  tb_name_clear(&s.subject);
  tb_name_add(&s.subject, "CN", "client.example.com");
  s.key = k;
  tb_ext_san(&s.exts, false, san, 2);
  tb_ext_eku(&s.exts, false, eku, 1);
  tb_ext_key_usage(&s.exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_ski_auto(&s.exts, false);
  s.challenge_password = "secret";
  s.unstructured_name = "unstructured ü";

  uint8_t *der = NULL;
  size_t len = 0;
  CHECK(tb_csr_build(&s, &der, &len) == 0);
  X509_REQ *r = parse_csr(der, len);
  CHECK(r != NULL);
  if (r != NULL) {
    CHECK_EQ_INT(X509_REQ_verify(r, tb_key_pkey(k)), 1);
    CHECK_EQ_INT(X509_REQ_get_version(r), 0);
    CHECK_EQ_INT(X509_REQ_get_attr_count(r), 3);
    CHECK(X509_REQ_get_attr_by_NID(r, NID_pkcs9_challengePassword, -1) >= 0);
    CHECK(X509_REQ_get_attr_by_NID(r, NID_pkcs9_unstructuredName, -1) >= 0);
    STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(r);
    CHECK(exts != NULL && sk_X509_EXTENSION_num(exts) == 4);
    if (exts != NULL && sk_X509_EXTENSION_num(exts) == 4) {
      CHECK_EQ_INT(OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, 0))), NID_subject_alt_name);
      CHECK_EQ_INT(X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(exts, 2)), 1);
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    EVP_PKEY *pub = X509_REQ_get0_pubkey(r);
    CHECK(pub != NULL && EVP_PKEY_eq(pub, tb_key_pkey(k)) == 1);
    CHECK(entry_text_is(X509_REQ_get_subject_name(r), 0, NID_commonName, "client.example.com", 18));
  }
  X509_REQ_free(r);
  free(der);

  /* Corrupted signature: parses, does not verify. */
  s.corrupt_signature = true;
  CHECK(tb_csr_build(&s, &der, &len) == 0);
  r = parse_csr(der, len);
  CHECK(r != NULL && X509_REQ_verify(r, tb_key_pkey(k)) == 0);
  X509_REQ_free(r);
  free(der);

  /* No attributes at all: [0] is still there, empty. Empty extensionRequest. */
  tb_csr_spec d;
  tb_csr_spec_default(&d);
  CHECK(tb_csr_build(&d, &der, &len) == 0);
  CHECK(contains(der, len, "\xa0\x00", 2));
  r = parse_csr(der, len);
  CHECK(r != NULL && X509_REQ_get_attr_count(r) == 0);
  CHECK(r != NULL && X509_REQ_verify(r, X509_REQ_get0_pubkey(r)) == 1);
  X509_REQ_free(r);
  free(der);
  d.ext_mode = TB_EXTS_EMPTY;
  d.key = tb_key_new(TB_KEY_ED25519, 0);
  CHECK(tb_csr_build(&d, &der, &len) == 0);
  CHECK(contains(der, len, "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0e\x31\x02\x30\x00", 15));
  r = parse_csr(der, len);
  CHECK(r != NULL && X509_REQ_verify(r, tb_key_pkey(d.key)) == 1);
  X509_REQ_free(r);
  free(der);
  tb_csr_spec_cleanup(&d);
  tb_csr_spec_cleanup(&s);
}

int main(void) {
  RUN(der_integers);
  RUN(der_lengths_and_tags);
  RUN(der_oids_bits_strings);
  RUN(der_times);
  RUN(der_set_sorting);
  RUN(keys_cached);
  RUN(keys_every_kind_signs_a_verifiable_cert);
  RUN(digests);
  RUN(private_key_pem_round_trip);
  RUN(default_cert);
  RUN(versions_serials_times);
  RUN(names);
  RUN(extension_builders);
  RUN(extension_list_modes);
  RUN(leaf_and_ca_presets_and_overrides);
  RUN(chain_root_intermediate_leaf);
  RUN(resign_hand_written_tbs);
  RUN(csr_with_requested_extensions);
  return test_summary();
}

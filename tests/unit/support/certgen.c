/* certgen.c: the certificate and CSR factory of the unit tests (certgen.h).
 *
 * The TBS structures are written here with the DER writer; OpenSSL only
 * generates keys, encodes SubjectPublicKeyInfo and signs. Test code: any
 * allocation failure aborts. */
#include "certgen.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

/* ---- helpers ------------------------------------------------------------ */

static int tb_fail(const char *fmt, ...) MTK_PRINTF(1, 2);

static int tb_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("certgen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  ERR_print_errors_fp(stderr);
  return -1;
}

static void tb_die(const char *what) {
  fprintf(stderr, "certgen: fatal: %s\n", what);
  abort();
}

static void *tb_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n == 0 ? 1 : n);
  if (q == NULL) tb_die("out of memory");
  return q;
}

static uint8_t *tb_memdup(const void *p, size_t n) {
  uint8_t *q = tb_xrealloc(NULL, n);
  if (n > 0) memcpy(q, p, n);
  return q;
}

static char *tb_strdup(const char *s) {
  return (char *)tb_memdup(s, strlen(s) + 1);
}

/* ---- tb_buf ------------------------------------------------------------- */

void tb_buf_init(tb_buf *b) {
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
}

void tb_buf_free(tb_buf *b) {
  free(b->p);
  tb_buf_init(b);
}

uint8_t *tb_buf_take(tb_buf *b, size_t *len) {
  uint8_t *p = b->p != NULL ? b->p : tb_xrealloc(NULL, 1);
  if (len != NULL) *len = b->len;
  tb_buf_init(b);
  return p;
}

static void tb_buf_reserve(tb_buf *b, size_t extra) {
  if (extra > SIZE_MAX - b->len) tb_die("buffer overflow");
  if (b->len + extra <= b->cap) return;
  size_t cap = b->cap < 64 ? 64 : b->cap;
  while (cap < b->len + extra) cap *= 2;
  b->p = tb_xrealloc(b->p, cap);
  b->cap = cap;
}

void tb_buf_add(tb_buf *b, const void *data, size_t len) {
  if (len == 0) return;
  tb_buf_reserve(b, len);
  memcpy(b->p + b->len, data, len);
  b->len += len;
}

void tb_buf_byte(tb_buf *b, uint8_t v) { tb_buf_add(b, &v, 1); }

static int tb_hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void tb_buf_hex(tb_buf *b, const char *hex) {
  int hi = -1;
  for (const char *p = hex; *p != '\0'; p++) {
    if (*p == ' ' || *p == ':' || *p == '\n' || *p == '\t') continue;
    int v = tb_hexval(*p);
    if (v < 0) tb_die("tb_buf_hex: bad hex digit");
    if (hi < 0) {
      hi = v;
    } else {
      tb_buf_byte(b, (uint8_t)(hi * 16 + v));
      hi = -1;
    }
  }
  if (hi >= 0) tb_die("tb_buf_hex: odd number of digits");
}

/* ---- DER writer ---------------------------------------------------------- */

void tb_der_tag(tb_buf *b, mtk_tag tag) {
  uint8_t first = (uint8_t)(((tag & MTK_TAG_CLASS_MASK) >> 24) | ((tag & MTK_TAG_CONSTRUCTED) >> 24));
  uint32_t num = tag & MTK_TAG_NUMBER_MASK;
  if (num < 31) {
    tb_buf_byte(b, (uint8_t)(first | num));
    return;
  }
  tb_buf_byte(b, (uint8_t)(first | 0x1f));
  uint8_t tmp[5];
  size_t n = 0;
  do {
    tmp[n++] = (uint8_t)(num & 0x7f);
    num >>= 7;
  } while (num != 0);
  while (n > 0) {
    n--;
    tb_buf_byte(b, (uint8_t)(tmp[n] | (n > 0 ? 0x80 : 0)));
  }
}

static size_t tb_len_octets(size_t len) {
  size_t n = 0;
  while (len != 0) {
    n++;
    len >>= 8;
  }
  return n;
}

void tb_der_len_forced(tb_buf *b, size_t len, unsigned octets) {
  if (octets < 1 || octets > 8 || (octets < 8 && (len >> (8 * octets)) != 0)) {
    tb_die("tb_der_len_forced: length does not fit");
  }
  tb_buf_byte(b, (uint8_t)(0x80 | octets));
  for (unsigned i = octets; i > 0; i--) tb_buf_byte(b, (uint8_t)(len >> (8 * (i - 1))));
}

void tb_der_len(tb_buf *b, size_t len) {
  if (len < 0x80) {
    tb_buf_byte(b, (uint8_t)len);
  } else {
    tb_der_len_forced(b, len, (unsigned)tb_len_octets(len));
  }
}

void tb_der_tlv(tb_buf *b, mtk_tag tag, const void *content, size_t len) {
  tb_der_tag(b, tag);
  tb_der_len(b, len);
  tb_buf_add(b, content, len);
}

size_t tb_der_begin(tb_buf *b, mtk_tag tag) {
  tb_der_tag(b, tag);
  return b->len;
}

void tb_der_end(tb_buf *b, size_t mark) {
  if (mark > b->len) tb_die("tb_der_end: bad mark");
  size_t clen = b->len - mark;
  tb_buf hdr = {0};
  tb_der_len(&hdr, clen);
  tb_buf_reserve(b, hdr.len);
  memmove(b->p + mark + hdr.len, b->p + mark, clen);
  memcpy(b->p + mark, hdr.p, hdr.len);
  b->len += hdr.len;
  tb_buf_free(&hdr);
}

void tb_der_bool(tb_buf *b, bool v) {
  uint8_t c = v ? 0xff : 0x00;
  tb_der_tlv(b, MTK_ASN1_BOOLEAN, &c, 1);
}

void tb_der_null(tb_buf *b) { tb_der_tlv(b, MTK_ASN1_NULL, NULL, 0); }

void tb_der_int(tb_buf *b, int64_t v) {
  uint8_t tmp[8];
  uint64_t u = (uint64_t)v;
  for (int i = 7; i >= 0; i--) {
    tmp[i] = (uint8_t)(u & 0xff);
    u >>= 8;
  }
  size_t start = 0;
  while (start < 7 && ((tmp[start] == 0x00 && (tmp[start + 1] & 0x80) == 0) ||
                       (tmp[start] == 0xff && (tmp[start + 1] & 0x80) != 0))) {
    start++;
  }
  tb_der_tlv(b, MTK_ASN1_INTEGER, tmp + start, 8 - start);
}

void tb_der_int_raw(tb_buf *b, const void *content, size_t len) {
  tb_der_tlv(b, MTK_ASN1_INTEGER, content, len);
}

void tb_der_octets(tb_buf *b, const void *data, size_t len) {
  tb_der_tlv(b, MTK_ASN1_OCTETSTRING, data, len);
}

void tb_der_bitstring(tb_buf *b, uint8_t unused_bits, const void *data, size_t len) {
  size_t m = tb_der_begin(b, MTK_ASN1_BITSTRING);
  tb_buf_byte(b, unused_bits);
  tb_buf_add(b, data, len);
  tb_der_end(b, m);
}

void tb_der_named_bits(tb_buf *b, uint32_t bits) {
  uint8_t bytes[4] = {0};
  int high = -1;
  for (int i = 0; i < 32; i++) {
    if ((bits >> i) & 1u) {
      bytes[i / 8] = (uint8_t)(bytes[i / 8] | (0x80u >> (i % 8)));
      high = i;
    }
  }
  if (high < 0) {
    tb_der_bitstring(b, 0, NULL, 0);
    return;
  }
  tb_der_bitstring(b, (uint8_t)(7 - high % 8), bytes, (size_t)(high / 8 + 1));
}

static bool tb_is_dotted(const char *s) {
  if (s == NULL || *s < '0' || *s > '9') return false;
  for (; *s != '\0'; s++) {
    if ((*s < '0' || *s > '9') && *s != '.') return false;
  }
  return true;
}

static const struct {
  const char *name;
  const char *dotted;
} tb_attr_names[] = {
    {"C", "2.5.4.6"},
    {"ST", "2.5.4.8"},
    {"L", "2.5.4.7"},
    {"O", "2.5.4.10"},
    {"OU", "2.5.4.11"},
    {"CN", "2.5.4.3"},
    {"SN", "2.5.4.4"},
    {"serialNumber", "2.5.4.5"},
    {"street", "2.5.4.9"},
    {"title", "2.5.4.12"},
    {"businessCategory", "2.5.4.15"},
    {"postalCode", "2.5.4.17"},
    {"GN", "2.5.4.42"},
    {"givenName", "2.5.4.42"},
    {"initials", "2.5.4.43"},
    {"generationQualifier", "2.5.4.44"},
    {"dnQualifier", "2.5.4.46"},
    {"pseudonym", "2.5.4.65"},
    {"organizationIdentifier", "2.5.4.97"},
    {"emailAddress", "1.2.840.113549.1.9.1"},
    {"DC", "0.9.2342.19200300.100.1.25"},
    {"UID", "0.9.2342.19200300.100.1.1"},
    {"jurisdictionL", "1.3.6.1.4.1.311.60.2.1.1"},
    {"jurisdictionST", "1.3.6.1.4.1.311.60.2.1.2"},
    {"jurisdictionC", "1.3.6.1.4.1.311.60.2.1.3"},
};

const char *tb_oid_dotted(const char *in) {
  static char buf[128];
  if (in == NULL) return NULL;
  if (tb_is_dotted(in)) return in;
  for (size_t i = 0; i < sizeof tb_attr_names / sizeof tb_attr_names[0]; i++) {
    if (strcmp(in, tb_attr_names[i].name) == 0) return tb_attr_names[i].dotted;
  }
  ASN1_OBJECT *o = OBJ_txt2obj(in, 0);
  if (o == NULL) {
    ERR_clear_error();
    return NULL;
  }
  int n = OBJ_obj2txt(buf, (int)sizeof buf, o, 1);
  ASN1_OBJECT_free(o);
  if (n <= 0 || (size_t)n >= sizeof buf) return NULL;
  return buf;
}

/* tb_oid_contents appends the contents octets of the OID |dotted|. */
static void tb_oid_contents(tb_buf *b, const char *in) {
  const char *dotted = tb_oid_dotted(in);
  if (dotted == NULL) {
    fprintf(stderr, "certgen: unknown OID or name \"%s\"\n", in);
    abort();
  }
  uint64_t arcs[64];
  size_t n = 0;
  const char *p = dotted;
  while (*p != '\0') {
    if (n == 64 || *p < '0' || *p > '9') tb_die("tb_der_oid: malformed dotted OID");
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
      if (v > (UINT64_MAX - 9) / 10) tb_die("tb_der_oid: arc too large");
      v = v * 10 + (uint64_t)(*p - '0');
      p++;
    }
    arcs[n++] = v;
    if (*p == '.') {
      p++;
      if (*p == '\0') tb_die("tb_der_oid: trailing dot");
    }
  }
  if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) tb_die("tb_der_oid: bad first arcs");
  arcs[1] += arcs[0] * 40;
  for (size_t i = 1; i < n; i++) {
    uint8_t tmp[10];
    size_t k = 0;
    uint64_t v = arcs[i];
    do {
      tmp[k++] = (uint8_t)(v & 0x7f);
      v >>= 7;
    } while (v != 0);
    while (k > 0) {
      k--;
      tb_buf_byte(b, (uint8_t)(tmp[k] | (k > 0 ? 0x80 : 0)));
    }
  }
}

void tb_der_oid(tb_buf *b, const char *dotted) {
  size_t m = tb_der_begin(b, MTK_ASN1_OID);
  tb_oid_contents(b, dotted);
  tb_der_end(b, m);
}

void tb_der_string(tb_buf *b, mtk_tag tag, const void *data, size_t len) {
  tb_der_tlv(b, tag, data, len);
}

/* ---- time ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t tb_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void tb_civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int64_t tb_time(int year, int month, int day, int hour, int min, int sec) {
  return tb_days_from_civil(year, month, day) * 86400 + (int64_t)hour * 3600 +
         (int64_t)min * 60 + sec;
}

void tb_der_time(tb_buf *b, int64_t t, tb_timefmt fmt) {
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400;
  int64_t y;
  int mo, d;
  tb_civil_from_days(days, &y, &mo, &d);
  int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
  if (fmt == TB_TIME_AUTO) fmt = (y >= 1950 && y <= 2049) ? TB_TIME_UTC : TB_TIME_GEN;
  char s[40];
  int n;
  if (fmt == TB_TIME_UTC) {
    int yy = (int)(((y % 100) + 100) % 100);
    n = snprintf(s, sizeof s, "%02d%02d%02d%02d%02d%02dZ", yy, mo, d, hh, mi, ss);
    tb_der_tlv(b, MTK_ASN1_UTCTIME, s, (size_t)n);
  } else {
    n = snprintf(s, sizeof s, "%04lld%02d%02d%02d%02d%02dZ", (long long)y, mo, d, hh, mi, ss);
    tb_der_tlv(b, MTK_ASN1_GENERALIZEDTIME, s, (size_t)n);
  }
}

/* ---- SET OF -------------------------------------------------------------- */

static int tb_der_cmp(const void *a, const void *b) {
  const tb_bytes *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n > 0 ? memcmp(x->p, y->p, n) : 0;
  if (c != 0) return c;
  return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

static void tb_der_set_tagged(tb_buf *b, mtk_tag tag, const tb_bytes *elems, size_t n, bool sort) {
  tb_bytes *tmp = tb_xrealloc(NULL, (n == 0 ? 1 : n) * sizeof *tmp);
  if (n > 0) memcpy(tmp, elems, n * sizeof *tmp);
  if (sort && n > 1) qsort(tmp, n, sizeof *tmp, tb_der_cmp);
  size_t m = tb_der_begin(b, tag);
  for (size_t i = 0; i < n; i++) tb_buf_add(b, tmp[i].p, tmp[i].len);
  tb_der_end(b, m);
  free(tmp);
}

void tb_der_set_of(tb_buf *b, const tb_bytes *elems, size_t n, bool sort) {
  tb_der_set_tagged(b, MTK_ASN1_SET, elems, n, sort);
}

/* ---- minimal DER reader (for our own and OpenSSL's output) --------------- */

static int tb_tlv_next(const uint8_t **p, size_t *left, uint8_t *tag, const uint8_t **content,
                       size_t *clen, size_t *elem_len) {
  const uint8_t *s = *p;
  size_t n = *left;
  if (n < 2 || (s[0] & 0x1f) == 0x1f) return -1;
  size_t hdr = 2, len = s[1];
  if (len & 0x80) {
    size_t k = len & 0x7f;
    if (k == 0 || k > sizeof(size_t) || n < 2 + k) return -1;
    len = 0;
    for (size_t i = 0; i < k; i++) len = (len << 8) | s[2 + i];
    hdr += k;
  }
  if (len > n - hdr) return -1;
  if (tag != NULL) *tag = s[0];
  if (content != NULL) *content = s + hdr;
  if (clen != NULL) *clen = len;
  if (elem_len != NULL) *elem_len = hdr + len;
  *p = s + hdr + len;
  *left = n - hdr - len;
  return 0;
}

/* ---- keys ------------------------------------------------------------------ */

struct tb_key {
  EVP_PKEY *pkey;
  tb_keytype type;
  int param;
  int slot;
  bool cached;
};

#define TB_KEY_CACHE 64
static struct tb_key tb_key_cache[TB_KEY_CACHE];
static size_t tb_key_cache_n;

static EVP_PKEY *tb_keygen(tb_keytype type, int param) {
  const char *alg = NULL;
  OSSL_PARAM params[4];
  size_t np = 0;
  size_t bits = (size_t)(param > 0 ? param : 0);
  size_t e3 = 3;
  char group[64];
  char explicit_enc[] = OSSL_PKEY_EC_ENCODING_EXPLICIT;
  switch (type) {
    case TB_KEY_RSA:
    case TB_KEY_RSA_E3:
    case TB_KEY_RSA_PSS:
      alg = type == TB_KEY_RSA_PSS ? "RSA-PSS" : "RSA";
      params[np++] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits);
      if (type == TB_KEY_RSA_E3) params[np++] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_E, &e3);
      break;
    case TB_KEY_EC:
    case TB_KEY_EC_EXPLICIT: {
      const char *sn = OBJ_nid2sn(param);
      if (sn == NULL || strlen(sn) >= sizeof group) {
        tb_fail("unknown curve NID %d", param);
        return NULL;
      }
      memcpy(group, sn, strlen(sn) + 1);
      alg = "EC";
      params[np++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
      if (type == TB_KEY_EC_EXPLICIT) {
        params[np++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, explicit_enc, 0);
      }
      break;
    }
    case TB_KEY_ED25519:
      alg = "ED25519";
      break;
    case TB_KEY_ED448:
      alg = "ED448";
      break;
  }
  if (alg == NULL) {
    tb_fail("unknown key type %d", (int)type);
    return NULL;
  }
  params[np] = OSSL_PARAM_construct_end();
  EVP_PKEY *pkey = NULL;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
  if (ctx == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
      (np > 0 && EVP_PKEY_CTX_set_params(ctx, params) <= 0) || EVP_PKEY_generate(ctx, &pkey) <= 0) {
    tb_fail("cannot generate %s key (param %d)", alg, param);
    EVP_PKEY_free(pkey);
    pkey = NULL;
  }
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

tb_key *tb_key_new_slot(tb_keytype type, int param, int slot) {
  if (type == TB_KEY_ED25519 || type == TB_KEY_ED448) param = 0;
  for (size_t i = 0; i < tb_key_cache_n; i++) {
    struct tb_key *k = &tb_key_cache[i];
    if (k->type == type && k->param == param && k->slot == slot) return k;
  }
  if (tb_key_cache_n == TB_KEY_CACHE) tb_die("key cache full");
  EVP_PKEY *pkey = tb_keygen(type, param);
  if (pkey == NULL) return NULL;
  struct tb_key *k = &tb_key_cache[tb_key_cache_n++];
  k->pkey = pkey;
  k->type = type;
  k->param = param;
  k->slot = slot;
  k->cached = true;
  return k;
}

tb_key *tb_key_new(tb_keytype type, int param) { return tb_key_new_slot(type, param, 0); }

tb_key *tb_key_from_pkey(EVP_PKEY *pkey) {
  struct tb_key *k = tb_xrealloc(NULL, sizeof *k);
  memset(k, 0, sizeof *k);
  k->pkey = pkey;
  k->cached = false;
  return k;
}

void tb_key_free(tb_key *k) {
  if (k == NULL || k->cached) return;
  EVP_PKEY_free(k->pkey);
  free(k);
}

EVP_PKEY *tb_key_pkey(const tb_key *k) { return k->pkey; }

static tb_key *tb_default_key(void) {
  tb_key *k = tb_key_new(TB_KEY_EC, NID_X9_62_prime256v1);
  if (k == NULL) tb_die("cannot make the default P-256 key");
  return k;
}

int tb_spki_der(const tb_key *k, uint8_t **der, size_t *len) {
  int n = i2d_PUBKEY(k->pkey, NULL);
  if (n <= 0) return tb_fail("i2d_PUBKEY failed");
  uint8_t *buf = tb_xrealloc(NULL, (size_t)n);
  uint8_t *p = buf;
  if (i2d_PUBKEY(k->pkey, &p) != n) {
    free(buf);
    return tb_fail("i2d_PUBKEY failed");
  }
  *der = buf;
  *len = (size_t)n;
  return 0;
}

int tb_spki_key_id(const uint8_t *spki, size_t len, uint8_t out[20]) {
  const uint8_t *p = spki, *c, *bits;
  size_t left = len, clen, blen;
  uint8_t tag;
  if (tb_tlv_next(&p, &left, &tag, &c, &clen, NULL) != 0 || tag != 0x30) {
    return tb_fail("SPKI: not a SEQUENCE");
  }
  left = clen;
  p = c;
  if (tb_tlv_next(&p, &left, &tag, NULL, NULL, NULL) != 0 ||
      tb_tlv_next(&p, &left, &tag, &bits, &blen, NULL) != 0 || tag != 0x03 || blen < 1) {
    return tb_fail("SPKI: no subjectPublicKey BIT STRING");
  }
  unsigned int mdlen = 0;
  if (EVP_Digest(bits + 1, blen - 1, out, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20) {
    return tb_fail("SHA-1 failed");
  }
  return 0;
}

int tb_key_id(const tb_key *k, uint8_t out[20]) {
  uint8_t *spki = NULL;
  size_t len = 0;
  if (tb_spki_der(k, &spki, &len) != 0) return -1;
  int rv = tb_spki_key_id(spki, len, out);
  free(spki);
  return rv;
}

int tb_private_key_pem(const tb_key *k, char **pem, size_t *len) {
  BIO *bio = BIO_new(BIO_s_mem());
  if (bio == NULL) return tb_fail("BIO_new failed");
  int rv = -1;
  char *data = NULL;
  long n = 0;
  if (PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0, NULL, NULL) != 1) {
    tb_fail("PEM_write_bio_PrivateKey failed");
    goto out;
  }
  n = BIO_get_mem_data(bio, &data);
  if (n <= 0) {
    tb_fail("empty PEM");
    goto out;
  }
  *pem = tb_xrealloc(NULL, (size_t)n + 1);
  memcpy(*pem, data, (size_t)n);
  (*pem)[n] = '\0';
  if (len != NULL) *len = (size_t)n;
  rv = 0;
out:
  BIO_free(bio);
  return rv;
}

/* ---- signatures ------------------------------------------------------------ */

static const char *tb_md_name(const tb_key *k, tb_digest md) {
  bool eddsa = EVP_PKEY_is_a(k->pkey, "ED25519") || EVP_PKEY_is_a(k->pkey, "ED448");
  switch (md) {
    case TB_MD_DEFAULT: return eddsa ? NULL : "SHA256";
    case TB_MD_NONE: return NULL;
    case TB_MD_MD5: return "MD5";
    case TB_MD_SHA1: return "SHA1";
    case TB_MD_SHA224: return "SHA224";
    case TB_MD_SHA256: return "SHA256";
    case TB_MD_SHA384: return "SHA384";
    case TB_MD_SHA512: return "SHA512";
  }
  return NULL;
}

static bool tb_is_pss(const tb_key *k) { return EVP_PKEY_is_a(k->pkey, "RSA-PSS") != 0; }

/* tb_sign_init sets up |mctx| for signing with |k| and |md|. */
static int tb_sign_init(EVP_MD_CTX *mctx, const tb_key *k, tb_digest md, EVP_PKEY_CTX **pctx) {
  const char *mdname = tb_md_name(k, md);
  if (EVP_DigestSignInit_ex(mctx, pctx, mdname, NULL, NULL, k->pkey, NULL) != 1) {
    return tb_fail("EVP_DigestSignInit_ex failed (digest %s)", mdname ? mdname : "none");
  }
  if (tb_is_pss(k)) {
    if (EVP_PKEY_CTX_set_rsa_padding(*pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(*pctx, RSA_PSS_SALTLEN_DIGEST) <= 0) {
      return tb_fail("cannot set PSS parameters");
    }
  }
  return 0;
}

static const char *tb_sig_oid(const tb_key *k, tb_digest md, bool *null_params) {
  *null_params = false;
  if (EVP_PKEY_is_a(k->pkey, "ED25519")) return md == TB_MD_DEFAULT || md == TB_MD_NONE ? "1.3.101.112" : NULL;
  if (EVP_PKEY_is_a(k->pkey, "ED448")) return md == TB_MD_DEFAULT || md == TB_MD_NONE ? "1.3.101.113" : NULL;
  if (EVP_PKEY_is_a(k->pkey, "RSA")) {
    *null_params = true;
    switch (md) {
      case TB_MD_MD5: return "1.2.840.113549.1.1.4";
      case TB_MD_SHA1: return "1.2.840.113549.1.1.5";
      case TB_MD_SHA224: return "1.2.840.113549.1.1.14";
      case TB_MD_DEFAULT:
      case TB_MD_SHA256: return "1.2.840.113549.1.1.11";
      case TB_MD_SHA384: return "1.2.840.113549.1.1.12";
      case TB_MD_SHA512: return "1.2.840.113549.1.1.13";
      case TB_MD_NONE: return NULL;
    }
  }
  if (EVP_PKEY_is_a(k->pkey, "EC")) {
    switch (md) {
      case TB_MD_SHA1: return "1.2.840.10045.4.1";
      case TB_MD_SHA224: return "1.2.840.10045.4.3.1";
      case TB_MD_DEFAULT:
      case TB_MD_SHA256: return "1.2.840.10045.4.3.2";
      case TB_MD_SHA384: return "1.2.840.10045.4.3.3";
      case TB_MD_SHA512: return "1.2.840.10045.4.3.4";
      case TB_MD_MD5:
      case TB_MD_NONE: return NULL;
    }
  }
  return NULL;
}

int tb_sig_algid(const tb_key *k, tb_digest md, uint8_t **der, size_t *len) {
  if (tb_is_pss(k)) {
    /* Let the provider write RSASSA-PSS-params (RFC 4055 3.1). */
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    uint8_t aid[256];
    OSSL_PARAM params[2];
    int rv = -1;
    if (mctx == NULL) return tb_fail("EVP_MD_CTX_new failed");
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, aid, sizeof aid);
    params[1] = OSSL_PARAM_construct_end();
    if (tb_sign_init(mctx, k, md, &pctx) == 0) {
      if (EVP_PKEY_CTX_get_params(pctx, params) != 1 || !OSSL_PARAM_modified(&params[0])) {
        tb_fail("cannot get the RSA-PSS AlgorithmIdentifier");
      } else {
        *der = tb_memdup(aid, params[0].return_size);
        *len = params[0].return_size;
        rv = 0;
      }
    }
    EVP_MD_CTX_free(mctx);
    return rv;
  }
  bool null_params;
  const char *oid = tb_sig_oid(k, md, &null_params);
  if (oid == NULL) return tb_fail("no signature algorithm for this key and digest");
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_oid(&b, oid);
  if (null_params) tb_der_null(&b);
  tb_der_end(&b, m);
  *der = tb_buf_take(&b, len);
  return 0;
}

int tb_sign(const tb_key *k, tb_digest md, const uint8_t *data, size_t len, uint8_t **sig,
            size_t *sig_len) {
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pctx = NULL;
  uint8_t *out = NULL;
  size_t n = 0;
  int rv = -1;
  if (mctx == NULL) return tb_fail("EVP_MD_CTX_new failed");
  if (tb_sign_init(mctx, k, md, &pctx) != 0) goto out;
  if (EVP_DigestSign(mctx, NULL, &n, data, len) != 1) {
    tb_fail("EVP_DigestSign (size) failed");
    goto out;
  }
  out = tb_xrealloc(NULL, n);
  if (EVP_DigestSign(mctx, out, &n, data, len) != 1) {
    tb_fail("EVP_DigestSign failed");
    free(out);
    goto out;
  }
  *sig = out;
  *sig_len = n;
  rv = 0;
out:
  EVP_MD_CTX_free(mctx);
  return rv;
}

int tb_wrap_signed(const uint8_t *tbs, size_t tbs_len, const uint8_t *algid, size_t algid_len,
                   const uint8_t *sig, size_t sig_len, uint8_t **der, size_t *len) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_buf_add(&b, tbs, tbs_len);
  tb_buf_add(&b, algid, algid_len);
  tb_der_bitstring(&b, 0, sig, sig_len);
  tb_der_end(&b, m);
  *der = tb_buf_take(&b, len);
  return 0;
}

/* tb_sign_wrap signs |tbs| and wraps it; |outer_algid| overrides the outer
 * AlgorithmIdentifier; |corrupt| flips a signature bit. */
static int tb_sign_wrap(const uint8_t *tbs, size_t tbs_len, const tb_key *k, tb_digest md,
                        const uint8_t *outer_algid, size_t outer_algid_len, bool corrupt,
                        uint8_t **der, size_t *len) {
  uint8_t *sig = NULL, *aid = NULL;
  size_t sig_len = 0, aid_len = 0;
  int rv = -1;
  if (tb_sign(k, md, tbs, tbs_len, &sig, &sig_len) != 0) goto out;
  if (outer_algid != NULL) {
    aid = tb_memdup(outer_algid, outer_algid_len);
    aid_len = outer_algid_len;
  } else if (tb_sig_algid(k, md, &aid, &aid_len) != 0) {
    goto out;
  }
  if (corrupt && sig_len > 0) sig[sig_len - 1] ^= 0x01;
  rv = tb_wrap_signed(tbs, tbs_len, aid, aid_len, sig, sig_len, der, len);
out:
  free(sig);
  free(aid);
  return rv;
}

int tb_resign(const uint8_t *tbs, size_t tbs_len, const tb_key *issuer, tb_digest md,
              uint8_t **der, size_t *len) {
  return tb_sign_wrap(tbs, tbs_len, issuer, md, NULL, 0, false, der, len);
}

int tb_signed_tbs(const uint8_t *der, size_t len, const uint8_t **tbs, size_t *tbs_len) {
  const uint8_t *p = der, *c;
  size_t left = len, clen;
  uint8_t tag;
  if (tb_tlv_next(&p, &left, &tag, &c, &clen, NULL) != 0 || tag != 0x30) {
    return tb_fail("signed object: not a SEQUENCE");
  }
  p = c;
  left = clen;
  const uint8_t *start = p;
  size_t elem_len = 0;
  if (tb_tlv_next(&p, &left, &tag, NULL, NULL, &elem_len) != 0) {
    return tb_fail("signed object: no TBS element");
  }
  *tbs = start;
  *tbs_len = elem_len;
  return 0;
}

/* ---- names ------------------------------------------------------------------ */

static mtk_tag tb_default_string_tag(const char *dotted) {
  if (strcmp(dotted, "2.5.4.6") == 0 || strcmp(dotted, "2.5.4.5") == 0 ||
      strcmp(dotted, "2.5.4.46") == 0 || strcmp(dotted, "1.3.6.1.4.1.311.60.2.1.3") == 0) {
    return MTK_ASN1_PRINTABLESTRING;
  }
  if (strcmp(dotted, "1.2.840.113549.1.9.1") == 0 || strcmp(dotted, "0.9.2342.19200300.100.1.25") == 0) {
    return MTK_ASN1_IA5STRING;
  }
  return MTK_ASN1_UTF8STRING;
}

void tb_name_add_ex(tb_name *n, const char *type, mtk_tag tag, const void *value, size_t len,
                    bool same_rdn) {
  const char *dotted = tb_oid_dotted(type);
  if (dotted == NULL) {
    fprintf(stderr, "certgen: unknown attribute type \"%s\"\n", type);
    abort();
  }
  if (n->n == n->cap) {
    n->cap = n->cap == 0 ? 8 : n->cap * 2;
    n->v = tb_xrealloc(n->v, n->cap * sizeof *n->v);
  }
  tb_name_attr *a = &n->v[n->n++];
  a->type = tb_strdup(dotted);
  a->tag = tag != 0 ? tag : tb_default_string_tag(dotted);
  a->value = tb_memdup(value, len);
  a->len = len;
  a->same_rdn = same_rdn && n->n > 1;
}

void tb_name_add(tb_name *n, const char *type, const char *value) {
  tb_name_add_ex(n, type, 0, value, strlen(value), false);
}

void tb_name_set_raw(tb_name *n, const void *der, size_t len) {
  free(n->raw);
  n->raw = tb_memdup(der, len);
  n->raw_len = len;
}

void tb_name_clear(tb_name *n) {
  for (size_t i = 0; i < n->n; i++) {
    free(n->v[i].type);
    free(n->v[i].value);
  }
  free(n->v);
  free(n->raw);
  memset(n, 0, sizeof *n);
}

void tb_name_copy(tb_name *dst, const tb_name *src) {
  tb_name tmp = {0};
  for (size_t i = 0; i < src->n; i++) {
    const tb_name_attr *a = &src->v[i];
    tb_name_add_ex(&tmp, a->type, a->tag, a->value, a->len, a->same_rdn);
  }
  if (src->raw != NULL) tb_name_set_raw(&tmp, src->raw, src->raw_len);
  tmp.unsorted = src->unsorted;
  tb_name_clear(dst);
  *dst = tmp;
}

bool tb_name_empty(const tb_name *n) { return n->n == 0 && n->raw == NULL; }

void tb_der_name(tb_buf *b, const tb_name *n) {
  if (n->raw != NULL) {
    tb_buf_add(b, n->raw, n->raw_len);
    return;
  }
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  size_t i = 0;
  while (i < n->n) {
    size_t j = i + 1;
    while (j < n->n && n->v[j].same_rdn) j++;
    /* Attributes i..j-1 form one RDN. */
    tb_buf *atvs = tb_xrealloc(NULL, (j - i) * sizeof *atvs);
    tb_bytes *elems = tb_xrealloc(NULL, (j - i) * sizeof *elems);
    for (size_t k = i; k < j; k++) {
      tb_buf *ab = &atvs[k - i];
      tb_buf_init(ab);
      size_t am = tb_der_begin(ab, MTK_ASN1_SEQUENCE);
      tb_der_oid(ab, n->v[k].type);
      tb_der_string(ab, n->v[k].tag, n->v[k].value, n->v[k].len);
      tb_der_end(ab, am);
      elems[k - i].p = ab->p;
      elems[k - i].len = ab->len;
    }
    tb_der_set_of(b, elems, j - i, !n->unsorted);
    for (size_t k = 0; k < j - i; k++) tb_buf_free(&atvs[k]);
    free(atvs);
    free(elems);
    i = j;
  }
  tb_der_end(b, m);
}

int tb_name_der(const tb_name *n, uint8_t **der, size_t *len) {
  tb_buf b = {0};
  tb_der_name(&b, n);
  *der = tb_buf_take(&b, len);
  return 0;
}

/* ---- general names ------------------------------------------------------------ */

tb_gn tb_gn_str_n(tb_gn_type type, const void *p, size_t len) {
  tb_gn g;
  memset(&g, 0, sizeof g);
  g.type = type;
  g.data = p;
  g.len = len;
  return g;
}

tb_gn tb_gn_dns(const char *s) { return tb_gn_str_n(TB_GN_DNS, s, strlen(s)); }
tb_gn tb_gn_dns_n(const void *p, size_t len) { return tb_gn_str_n(TB_GN_DNS, p, len); }
tb_gn tb_gn_email(const char *s) { return tb_gn_str_n(TB_GN_EMAIL, s, strlen(s)); }
tb_gn tb_gn_uri(const char *s) { return tb_gn_str_n(TB_GN_URI, s, strlen(s)); }
tb_gn tb_gn_raw(const void *der, size_t len) { return tb_gn_str_n(TB_GN_RAW, der, len); }

tb_gn tb_gn_ip(const void *octets, size_t len) {
  tb_gn g = tb_gn_str_n(TB_GN_IP, NULL, len);
  if (len > sizeof g.ip) tb_die("tb_gn_ip: more than 32 octets");
  if (len > 0) memcpy(g.ip, octets, len);
  return g;
}

tb_gn tb_gn_ip_text(const char *s) {
  uint8_t a[16];
  if (inet_pton(AF_INET, s, a) == 1) return tb_gn_ip(a, 4);
  if (inet_pton(AF_INET6, s, a) == 1) return tb_gn_ip(a, 16);
  tb_die("tb_gn_ip_text: not an IP address");
  return tb_gn_ip(a, 0);
}

tb_gn tb_gn_dirname(const tb_name *n) {
  tb_gn g = tb_gn_str_n(TB_GN_DIRNAME, NULL, 0);
  g.dirname = n;
  return g;
}

tb_gn tb_gn_rid(const char *oid) {
  tb_gn g = tb_gn_str_n(TB_GN_RID, NULL, 0);
  g.oid = oid;
  return g;
}

tb_gn tb_gn_othername(const char *oid, const void *value_der, size_t len) {
  tb_gn g = tb_gn_str_n(TB_GN_OTHER, value_der, len);
  g.oid = oid;
  return g;
}

void tb_der_general_name(tb_buf *b, const tb_gn *g) {
  size_t m;
  switch (g->type) {
    case TB_GN_OTHER:
      m = tb_der_begin(b, MTK_CTX_C(0));
      tb_der_oid(b, g->oid);
      tb_der_tlv(b, MTK_CTX_C(0), g->data, g->len);
      tb_der_end(b, m);
      return;
    case TB_GN_EMAIL:
    case TB_GN_DNS:
    case TB_GN_URI:
      tb_der_tlv(b, MTK_CTX((unsigned)g->type), g->data, g->len);
      return;
    case TB_GN_DIRNAME:
      m = tb_der_begin(b, MTK_CTX_C(4));
      tb_der_name(b, g->dirname);
      tb_der_end(b, m);
      return;
    case TB_GN_IP:
      tb_der_tlv(b, MTK_CTX(7), g->ip, g->len);
      return;
    case TB_GN_RID:
      m = tb_der_begin(b, MTK_CTX(8));
      tb_oid_contents(b, g->oid);
      tb_der_end(b, m);
      return;
    case TB_GN_RAW:
      tb_buf_add(b, g->data, g->len);
      return;
  }
  tb_die("tb_der_general_name: unknown type");
}

void tb_der_general_names(tb_buf *b, const tb_gn *g, size_t n) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  for (size_t i = 0; i < n; i++) tb_der_general_name(b, &g[i]);
  tb_der_end(b, m);
}

/* ---- extensions ------------------------------------------------------------------ */

static tb_ext *tb_ext_push(tb_exts *e) {
  if (e->n == e->cap) {
    e->cap = e->cap == 0 ? 8 : e->cap * 2;
    e->v = tb_xrealloc(e->v, e->cap * sizeof *e->v);
  }
  tb_ext *x = &e->v[e->n++];
  memset(x, 0, sizeof *x);
  return x;
}

void tb_exts_clear(tb_exts *e) {
  for (size_t i = 0; i < e->n; i++) {
    free(e->v[i].oid);
    free(e->v[i].value);
  }
  free(e->v);
  memset(e, 0, sizeof *e);
}

void tb_ext_add(tb_exts *e, const char *oid, bool critical, const void *value, size_t len) {
  const char *dotted = tb_oid_dotted(oid);
  if (dotted == NULL) tb_die("tb_ext_add: unknown OID");
  tb_ext *x = tb_ext_push(e);
  x->oid = tb_strdup(dotted);
  x->critical = critical;
  x->value = tb_memdup(value, len);
  x->len = len;
}

void tb_ext_add_element(tb_exts *e, const void *der, size_t len) {
  tb_ext *x = tb_ext_push(e);
  x->element = true;
  x->value = tb_memdup(der, len);
  x->len = len;
}

/* tb_ext_add_buf adds an extension whose value is |b|, and frees |b|. */
static void tb_ext_add_buf(tb_exts *e, const char *oid, bool critical, tb_buf *b) {
  tb_ext_add(e, oid, critical, b->p, b->len);
  tb_buf_free(b);
}

static void tb_ext_write(tb_buf *b, const char *oid, bool critical, const uint8_t *v, size_t len) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, oid);
  if (critical) tb_der_bool(b, true);
  tb_der_octets(b, v, len);
  tb_der_end(b, m);
}

void tb_der_extensions(tb_buf *b, const tb_exts *e, const uint8_t *subject_key_id,
                       const uint8_t *issuer_key_id) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  for (size_t i = 0; i < e->n; i++) {
    const tb_ext *x = &e->v[i];
    tb_buf v = {0};
    size_t vm;
    switch (x->auto_kind) {
      case TB_EXT_NOT_AUTO:
        if (x->element) {
          tb_buf_add(b, x->value, x->len);
        } else {
          tb_ext_write(b, x->oid, x->critical, x->value, x->len);
        }
        break;
      case TB_EXT_AUTO_SKI:
        if (subject_key_id == NULL) tb_die("auto SKI without a subject key");
        tb_der_octets(&v, subject_key_id, 20);
        tb_ext_write(b, "2.5.29.14", x->critical, v.p, v.len);
        break;
      case TB_EXT_AUTO_AKI:
        if (issuer_key_id == NULL) tb_die("auto AKI without an issuer key");
        vm = tb_der_begin(&v, MTK_ASN1_SEQUENCE);
        tb_der_tlv(&v, MTK_CTX(0), issuer_key_id, 20);
        tb_der_end(&v, vm);
        tb_ext_write(b, "2.5.29.35", x->critical, v.p, v.len);
        break;
    }
    tb_buf_free(&v);
  }
  tb_der_end(b, m);
}

static void tb_ext_gns(tb_exts *e, const char *oid, bool critical, const tb_gn *names, size_t n) {
  tb_buf b = {0};
  tb_der_general_names(&b, names, n);
  tb_ext_add_buf(e, oid, critical, &b);
}

void tb_ext_san(tb_exts *e, bool critical, const tb_gn *names, size_t n) {
  tb_ext_gns(e, "2.5.29.17", critical, names, n);
}

void tb_ext_ian(tb_exts *e, bool critical, const tb_gn *names, size_t n) {
  tb_ext_gns(e, "2.5.29.18", critical, names, n);
}

void tb_ext_key_usage(tb_exts *e, bool critical, uint32_t bits) {
  tb_buf b = {0};
  tb_der_named_bits(&b, bits);
  tb_ext_add_buf(e, "2.5.29.15", critical, &b);
}

void tb_ext_eku(tb_exts *e, bool critical, const char *const *oids, size_t n) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  for (size_t i = 0; i < n; i++) tb_der_oid(&b, oids[i]);
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "2.5.29.37", critical, &b);
}

void tb_ext_basic_constraints(tb_exts *e, bool critical, bool ca, int pathlen) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  if (ca) tb_der_bool(&b, true);
  if (pathlen >= 0) tb_der_int(&b, pathlen);
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "2.5.29.19", critical, &b);
}

void tb_ext_ski(tb_exts *e, bool critical, const tb_key *k) {
  uint8_t id[20];
  if (tb_key_id(k, id) != 0) tb_die("tb_ext_ski: no key id");
  tb_buf b = {0};
  tb_der_octets(&b, id, sizeof id);
  tb_ext_add_buf(e, "2.5.29.14", critical, &b);
}

void tb_ext_ski_auto(tb_exts *e, bool critical) {
  tb_ext *x = tb_ext_push(e);
  x->critical = critical;
  x->auto_kind = TB_EXT_AUTO_SKI;
}

void tb_ext_aki(tb_exts *e, bool critical, const tb_key *issuer) {
  uint8_t id[20];
  if (tb_key_id(issuer, id) != 0) tb_die("tb_ext_aki: no key id");
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_tlv(&b, MTK_CTX(0), id, sizeof id);
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "2.5.29.35", critical, &b);
}

void tb_ext_aki_auto(tb_exts *e, bool critical) {
  tb_ext *x = tb_ext_push(e);
  x->critical = critical;
  x->auto_kind = TB_EXT_AUTO_AKI;
}

void tb_ext_crl_dp(tb_exts *e, bool critical, const char *uri) {
  /* CRLDistributionPoints ::= SEQUENCE OF DistributionPoint;
   * DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName
   * OPTIONAL, ... }; DistributionPointName ::= CHOICE { fullName [0]
   * GeneralNames, ... } (RFC 5280 4.2.1.13). [0] on a CHOICE is explicit. */
  tb_buf b = {0};
  size_t m1 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t m2 = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  size_t m3 = tb_der_begin(&b, MTK_CTX_C(0));
  size_t m4 = tb_der_begin(&b, MTK_CTX_C(0));
  tb_gn g = tb_gn_uri(uri);
  tb_der_general_name(&b, &g);
  tb_der_end(&b, m4);
  tb_der_end(&b, m3);
  tb_der_end(&b, m2);
  tb_der_end(&b, m1);
  tb_ext_add_buf(e, "2.5.29.31", critical, &b);
}

void tb_ext_aia(tb_exts *e, bool critical, const char *ocsp_uri, const char *ca_issuers_uri) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  const char *uris[2] = {ocsp_uri, ca_issuers_uri};
  const char *methods[2] = {"1.3.6.1.5.5.7.48.1", "1.3.6.1.5.5.7.48.2"};
  for (size_t i = 0; i < 2; i++) {
    if (uris[i] == NULL) continue;
    size_t am = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    tb_der_oid(&b, methods[i]);
    tb_gn g = tb_gn_uri(uris[i]);
    tb_der_general_name(&b, &g);
    tb_der_end(&b, am);
  }
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "1.3.6.1.5.5.7.1.1", critical, &b);
}

void tb_ext_policies(tb_exts *e, bool critical, const char *const *oids, size_t n) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  for (size_t i = 0; i < n; i++) {
    size_t pm = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
    tb_der_oid(&b, oids[i]);
    tb_der_end(&b, pm);
  }
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "2.5.29.32", critical, &b);
}

static void tb_subtrees(tb_buf *b, mtk_tag tag, const tb_gn *g, size_t n) {
  if (n == 0) return;
  size_t m = tb_der_begin(b, tag);
  for (size_t i = 0; i < n; i++) {
    size_t sm = tb_der_begin(b, MTK_ASN1_SEQUENCE);
    tb_der_general_name(b, &g[i]);
    tb_der_end(b, sm);
  }
  tb_der_end(b, m);
}

void tb_ext_name_constraints(tb_exts *e, bool critical, const tb_gn *permitted, size_t np,
                             const tb_gn *excluded, size_t nx) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_subtrees(&b, MTK_CTX_C(0), permitted, np);
  tb_subtrees(&b, MTK_CTX_C(1), excluded, nx);
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "2.5.29.30", critical, &b);
}

void tb_ext_name_constraints_raw(tb_exts *e, bool critical, const void *der, size_t len) {
  tb_ext_add(e, "2.5.29.30", critical, der, len);
}

void tb_ext_must_staple(tb_exts *e, bool critical) {
  tb_buf b = {0};
  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int(&b, 5); /* status_request */
  tb_der_end(&b, m);
  tb_ext_add_buf(e, "1.3.6.1.5.5.7.1.24", critical, &b);
}

void tb_ext_sct_list(tb_exts *e, bool critical, const void *tls_list, size_t len) {
  tb_buf b = {0};
  tb_der_octets(&b, tls_list, len);
  tb_ext_add_buf(e, "1.3.6.1.4.1.11129.2.4.2", critical, &b);
}

void tb_ext_ct_poison(tb_exts *e) {
  tb_buf b = {0};
  tb_der_null(&b);
  tb_ext_add_buf(e, "1.3.6.1.4.1.11129.2.4.3", true, &b);
}

/* ---- certificates ---------------------------------------------------------------- */

void tb_cert_spec_default(tb_cert_spec *s) {
  static const char serial[] = "mtlskit-serial01"; /* 16 octets, first < 0x80 */
  memset(s, 0, sizeof *s);
  s->version = TB_V3;
  memcpy(s->serial, serial, 16);
  s->serial_len = 16;
  tb_name_add(&s->subject, "CN", "test.example.com");
  s->not_before = TB_DEFAULT_NOT_BEFORE;
  s->not_after = TB_DEFAULT_NOT_AFTER;
  s->digest = TB_MD_DEFAULT;
  s->ext_mode = TB_EXTS_AUTO;
}

void tb_cert_spec_cleanup(tb_cert_spec *s) {
  tb_name_clear(&s->subject);
  tb_name_clear(&s->issuer);
  tb_exts_clear(&s->exts);
}

void tb_cert_spec_set_serial(tb_cert_spec *s, const void *content, size_t len) {
  if (len > TB_MAX_SERIAL) tb_die("serial longer than TB_MAX_SERIAL");
  if (len > 0) memcpy(s->serial, content, len);
  s->serial_len = len;
}

void tb_cert_spec_ca(tb_cert_spec *s, const char *cn, int pathlen) {
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "CN", cn);
  tb_ext_basic_constraints(&s->exts, true, true, pathlen);
  tb_ext_key_usage(&s->exts, true, TB_KU_KEY_CERT_SIGN | TB_KU_CRL_SIGN);
  tb_ext_ski_auto(&s->exts, false);
  tb_ext_aki_auto(&s->exts, false);
}

void tb_cert_spec_leaf(tb_cert_spec *s, const char *dns) {
  static const char *const eku[] = {TB_EKU_SERVER_AUTH, TB_EKU_CLIENT_AUTH};
  tb_name_clear(&s->subject);
  tb_name_add(&s->subject, "CN", dns);
  tb_gn g = tb_gn_dns(dns);
  tb_ext_san(&s->exts, false, &g, 1);
  tb_ext_key_usage(&s->exts, true, TB_KU_DIGITAL_SIGNATURE);
  tb_ext_eku(&s->exts, false, eku, 2);
  tb_ext_basic_constraints(&s->exts, true, false, -1);
  tb_ext_ski_auto(&s->exts, false);
  tb_ext_aki_auto(&s->exts, false);
}

static void tb_write_time(tb_buf *b, int64_t t, tb_timefmt fmt, const char *text) {
  if (text == NULL) {
    tb_der_time(b, t, fmt);
    return;
  }
  mtk_tag tag = fmt == TB_TIME_GEN ? MTK_ASN1_GENERALIZEDTIME : MTK_ASN1_UTCTIME;
  tb_der_tlv(b, tag, text, strlen(text));
}

static void tb_write_uid(tb_buf *b, unsigned n, const uint8_t *p, size_t len) {
  if (p == NULL) return;
  size_t m = tb_der_begin(b, MTK_CTX(n));
  tb_buf_byte(b, 0);
  tb_buf_add(b, p, len);
  tb_der_end(b, m);
}

static const tb_key *tb_cert_signer(const tb_cert_spec *s) {
  if (s->issuer_key != NULL) return s->issuer_key;
  return s->subject_key != NULL ? s->subject_key : tb_default_key();
}

int tb_cert_build_tbs(const tb_cert_spec *s, uint8_t **der, size_t *len) {
  const tb_key *subject_key = s->subject_key != NULL ? s->subject_key : tb_default_key();
  const tb_key *signer = tb_cert_signer(s);
  uint8_t *spki = NULL, *aid = NULL;
  size_t spki_len = 0, aid_len = 0;
  uint8_t ski[20], aki[20];
  tb_buf b = {0};
  size_t m, valm;
  bool have_ski, have_aki;
  int rv = -1;

  if (s->spki_der != NULL) {
    spki = tb_memdup(s->spki_der, s->spki_len);
    spki_len = s->spki_len;
  } else if (tb_spki_der(subject_key, &spki, &spki_len) != 0) {
    goto out;
  }
  if (s->tbs_sig_alg_der != NULL) {
    aid = tb_memdup(s->tbs_sig_alg_der, s->tbs_sig_alg_len);
    aid_len = s->tbs_sig_alg_len;
  } else if (tb_sig_algid(signer, s->digest, &aid, &aid_len) != 0) {
    goto out;
  }
  have_ski = tb_spki_key_id(spki, spki_len, ski) == 0;
  have_aki = tb_key_id(signer, aki) == 0;

  m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  if (s->version != TB_V1 || s->version_explicit) {
    size_t vm = tb_der_begin(&b, MTK_CTX_C(0));
    tb_der_int(&b, s->version);
    tb_der_end(&b, vm);
  }
  tb_der_int_raw(&b, s->serial, s->serial_len);
  tb_buf_add(&b, aid, aid_len);
  tb_der_name(&b, tb_name_empty(&s->issuer) ? &s->subject : &s->issuer);
  valm = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_write_time(&b, s->not_before, s->not_before_fmt, s->not_before_text);
  tb_write_time(&b, s->not_after, s->not_after_fmt, s->not_after_text);
  tb_der_end(&b, valm);
  tb_der_name(&b, &s->subject);
  tb_buf_add(&b, spki, spki_len);
  tb_write_uid(&b, 1, s->issuer_uid, s->issuer_uid_len);
  tb_write_uid(&b, 2, s->subject_uid, s->subject_uid_len);
  if (s->ext_mode == TB_EXTS_EMPTY || (s->ext_mode == TB_EXTS_AUTO && s->exts.n > 0)) {
    size_t em = tb_der_begin(&b, MTK_CTX_C(3));
    tb_der_extensions(&b, &s->exts, have_ski ? ski : NULL, have_aki ? aki : NULL);
    tb_der_end(&b, em);
  }
  tb_der_end(&b, m);
  *der = tb_buf_take(&b, len);
  rv = 0;
out:
  free(spki);
  free(aid);
  tb_buf_free(&b);
  return rv;
}

int tb_cert_build(const tb_cert_spec *s, uint8_t **der, size_t *len) {
  uint8_t *tbs = NULL;
  size_t tbs_len = 0;
  if (tb_cert_build_tbs(s, &tbs, &tbs_len) != 0) return -1;
  int rv = tb_sign_wrap(tbs, tbs_len, tb_cert_signer(s), s->digest, s->outer_sig_alg_der,
                        s->outer_sig_alg_len, s->corrupt_signature, der, len);
  free(tbs);
  return rv;
}

/* ---- CSRs ------------------------------------------------------------------------ */

void tb_csr_spec_default(tb_csr_spec *s) {
  memset(s, 0, sizeof *s);
  s->version = 0;
  tb_name_add(&s->subject, "CN", "test.example.com");
  s->digest = TB_MD_DEFAULT;
  s->ext_mode = TB_EXTS_AUTO;
}

void tb_csr_spec_cleanup(tb_csr_spec *s) {
  tb_name_clear(&s->subject);
  tb_exts_clear(&s->exts);
}

static bool tb_printable(const char *s) {
  for (; *s != '\0'; s++) {
    char c = *s;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          strchr(" '()+,-./:=?", c) != NULL)) {
      return false;
    }
  }
  return true;
}

/* tb_attr_string writes Attribute { type, SET { DirectoryString } }. */
static void tb_attr_string(tb_buf *b, const char *oid, const char *value) {
  size_t m = tb_der_begin(b, MTK_ASN1_SEQUENCE);
  tb_der_oid(b, oid);
  size_t sm = tb_der_begin(b, MTK_ASN1_SET);
  tb_der_string(b, tb_printable(value) ? MTK_ASN1_PRINTABLESTRING : MTK_ASN1_UTF8STRING, value,
                strlen(value));
  tb_der_end(b, sm);
  tb_der_end(b, m);
}

int tb_csr_build_info(const tb_csr_spec *s, uint8_t **der, size_t *len) {
  const tb_key *key = s->key != NULL ? s->key : tb_default_key();
  uint8_t *spki = NULL;
  size_t spki_len = 0;
  uint8_t ski[20];
  tb_buf attrs[3] = {{0}, {0}, {0}};
  size_t nb = 0;
  tb_bytes *elems = NULL;
  size_t ne = 0;
  tb_buf b = {0};

  if (s->spki_der != NULL) {
    spki = tb_memdup(s->spki_der, s->spki_len);
    spki_len = s->spki_len;
  } else if (tb_spki_der(key, &spki, &spki_len) != 0) {
    return -1;
  }
  bool have_ski = tb_spki_key_id(spki, spki_len, ski) == 0;

  if (s->challenge_password != NULL) tb_attr_string(&attrs[nb++], "1.2.840.113549.1.9.7", s->challenge_password);
  if (s->unstructured_name != NULL) tb_attr_string(&attrs[nb++], "1.2.840.113549.1.9.2", s->unstructured_name);
  if (s->ext_mode == TB_EXTS_EMPTY || (s->ext_mode == TB_EXTS_AUTO && s->exts.n > 0)) {
    tb_buf *a = &attrs[nb++];
    size_t m = tb_der_begin(a, MTK_ASN1_SEQUENCE);
    tb_der_oid(a, "1.2.840.113549.1.9.14");
    size_t sm = tb_der_begin(a, MTK_ASN1_SET);
    tb_der_extensions(a, &s->exts, have_ski ? ski : NULL, have_ski ? ski : NULL);
    tb_der_end(a, sm);
    tb_der_end(a, m);
  }
  elems = tb_xrealloc(NULL, (nb + s->n_raw_attrs + 1) * sizeof *elems);
  for (size_t i = 0; i < nb; i++) {
    elems[ne].p = attrs[i].p;
    elems[ne++].len = attrs[i].len;
  }
  for (size_t i = 0; i < s->n_raw_attrs; i++) elems[ne++] = s->raw_attrs[i];

  size_t m = tb_der_begin(&b, MTK_ASN1_SEQUENCE);
  tb_der_int(&b, s->version);
  tb_der_name(&b, &s->subject);
  tb_buf_add(&b, spki, spki_len);
  tb_der_set_tagged(&b, MTK_CTX_C(0), elems, ne, !s->attrs_unsorted);
  tb_der_end(&b, m);
  *der = tb_buf_take(&b, len);

  for (size_t i = 0; i < nb; i++) tb_buf_free(&attrs[i]);
  free(elems);
  free(spki);
  return 0;
}

int tb_csr_build(const tb_csr_spec *s, uint8_t **der, size_t *len) {
  uint8_t *info = NULL;
  size_t info_len = 0;
  if (tb_csr_build_info(s, &info, &info_len) != 0) return -1;
  const tb_key *key = s->key != NULL ? s->key : tb_default_key();
  int rv = tb_sign_wrap(info, info_len, key, s->digest, NULL, 0, s->corrupt_signature, der, len);
  free(info);
  return rv;
}

/* ---- patching and output ------------------------------------------------------- */

int tb_replace_bytes(uint8_t **der, size_t *len, const void *find, size_t flen, const void *repl,
                     size_t rlen) {
  if (flen == 0 || flen > *len) return tb_fail("tb_replace_bytes: pattern not found");
  for (size_t i = 0; i + flen <= *len; i++) {
    if (memcmp(*der + i, find, flen) != 0) continue;
    size_t tail = *len - i - flen;
    size_t nlen = *len - flen + rlen;
    uint8_t *out = tb_xrealloc(NULL, nlen);
    memcpy(out, *der, i);
    if (rlen > 0) memcpy(out + i, repl, rlen);
    memcpy(out + i + rlen, *der + i + flen, tail);
    free(*der);
    *der = out;
    *len = nlen;
    return 0;
  }
  return tb_fail("tb_replace_bytes: pattern not found");
}

void tb_pem(const char *label, const uint8_t *der, size_t len, char **pem, size_t *pem_len) {
  tb_buf b = {0};
  tb_buf_add(&b, "-----BEGIN ", 11);
  tb_buf_add(&b, label, strlen(label));
  tb_buf_add(&b, "-----\n", 6);
  for (size_t i = 0; i < len; i += 48) {
    size_t n = len - i < 48 ? len - i : 48;
    unsigned char line[80];
    int k = EVP_EncodeBlock(line, der + i, (int)n);
    tb_buf_add(&b, line, (size_t)k);
    tb_buf_byte(&b, '\n');
  }
  tb_buf_add(&b, "-----END ", 9);
  tb_buf_add(&b, label, strlen(label));
  tb_buf_add(&b, "-----\n", 6);
  size_t n = b.len;
  tb_buf_byte(&b, 0);
  *pem = (char *)tb_buf_take(&b, NULL);
  if (pem_len != NULL) *pem_len = n;
}

int tb_write_pem(const char *label, const uint8_t *der, size_t len, FILE *f) {
  char *pem = NULL;
  size_t n = 0;
  tb_pem(label, der, len, &pem, &n);
  int rv = fwrite(pem, 1, n, f) == n ? 0 : tb_fail("tb_write_pem: write failed");
  free(pem);
  return rv;
}

int tb_write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return tb_fail("cannot open %s", path);
  size_t w = len > 0 ? fwrite(data, 1, len, f) : 0;
  int rc = fclose(f);
  if (w != len || rc != 0) return tb_fail("cannot write %s", path);
  return 0;
}

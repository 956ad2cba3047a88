/* pem.c: the input module: PEM (RFC 7468, with RFC 1421 headers), raw DER,
 * bare base64, and the certificates of PKCS#7 bundles (RFC 2315, RFC 5652).
 * See include/mtlskit/pem.h for the contract. Nothing here allocates; every
 * read of the decoded DER goes through the mtk_cbs cursor. */
#include "mtlskit/pem.h"

#include <stdio.h>
#include <string.h>

#define NPOS ((size_t)-1)

static const char kBegin[] = "-----BEGIN "; /* RFC 7468 section 2 */
static const char kEnd[] = "-----END ";
static const char kDashes[] = "-----";
#define BEGIN_LEN (sizeof(kBegin) - 1)
#define END_LEN (sizeof(kEnd) - 1)
#define DASHES_LEN (sizeof(kDashes) - 1)

/* signedData, 1.2.840.113549.1.7.2 (RFC 5652 section 5.1), as DER contents;
 * its first 8 octets are the PKCS#7 content-type arc 1.2.840.113549.1.7. */
static const uint8_t kOidSignedData[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02};
#define PKCS7_ARC_LEN 8

/* ---- small text helpers ------------------------------------------------------ */

static bool is_ws(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_blank(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }

/* find returns the offset of the first |needle| (|n| bytes) in in[from, to),
 * or NPOS. */
static size_t find(const uint8_t *in, size_t from, size_t to, const char *needle, size_t n) {
  size_t i = from;
  while (i < to && to - i >= n) {
    const uint8_t *hit = memchr(in + i, (unsigned char)needle[0], to - i - n + 1);
    if (hit == NULL) return NPOS;
    i = (size_t)(hit - in);
    if (memcmp(in + i, needle, n) == 0) return i;
    i++;
  }
  return NPOS;
}

/* find_on_line returns the offset of the first "-----" in in[from, len)
 * before the end of the line, or NPOS. */
static size_t find_on_line(const uint8_t *in, size_t from, size_t len) {
  for (size_t i = from; i < len && in[i] != '\n'; i++) {
    if (in[i] == '-' && len - i >= DASHES_LEN && memcmp(in + i, kDashes, DASHES_LEN) == 0)
      return i;
  }
  return NPOS;
}

static bool bytes_eq(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  return n == k && memcmp(p, s, k) == 0;
}

static bool bytes_ends(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  return n >= k && memcmp(p + n - k, s, k) == 0;
}

static uint8_t ascii_upper(uint8_t c) { return c >= 'a' && c <= 'z' ? (uint8_t)(c - 32) : c; }

/* bytes_ieq: |p| (n bytes) equals the upper-case ASCII |s|, ignoring case. */
static bool bytes_ieq(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  if (n != k) return false;
  for (size_t i = 0; i < k; i++)
    if (ascii_upper(p[i]) != (uint8_t)s[i]) return false;
  return true;
}

/* bytes_icontains: |p| contains the upper-case ASCII |s|, ignoring case. */
static bool bytes_icontains(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  for (size_t i = 0; i + k <= n; i++)
    if (bytes_ieq(p + i, k, s)) return true;
  return false;
}

/* ---- line numbers for messages ------------------------------------------------ */

static size_t count_newlines(const uint8_t *in, size_t from, size_t to) {
  size_t n = 0;
  while (from < to) {
    const uint8_t *hit = memchr(in + from, '\n', to - from);
    if (hit == NULL) break;
    n++;
    from = (size_t)(hit - in) + 1;
  }
  return n;
}

/* line_of returns the 1-based line number of offset |off|, counting from the
 * reader's cache when it can. */
static size_t line_of(const mtk_pem_reader *r, size_t off) {
  if (off >= r->line_pos) return r->line_no + count_newlines(r->in, r->line_pos, off);
  return 1 + count_newlines(r->in, 0, off);
}

/* advance_line moves the line cache forward to |off| (offsets only grow). */
static void advance_line(mtk_pem_reader *r, size_t off) {
  if (off < r->line_pos) return;
  r->line_no += count_newlines(r->in, r->line_pos, off);
  r->line_pos = off;
}

static size_t col_of(const uint8_t *in, size_t off) {
  size_t s = off;
  while (s > 0 && in[s - 1] != '\n') s--;
  return off - s + 1;
}

/* fail_at records |code| at input offset |off| with "line L column C: msg". */
static mtk_status fail_at(const mtk_pem_reader *r, mtk_diag *d, mtk_status code, size_t off,
                          const char *msg) {
  return mtk_diag_fail(d, code, off, "line %zu column %zu: %s", line_of(r, off),
                       col_of(r->in, off), msg);
}

/* ---- base64 (RFC 4648 section 4), strict --------------------------------------- */

static int b64_value(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* b64_decode decodes in[start, end) into |out|, ignoring whitespace and
 * rejecting everything RFC 4648 section 3 lets a decoder reject: characters
 * outside the alphabet (3.3), missing or misplaced padding and data after it
 * (3.2), and nonzero pad bits (3.5, canonical encoding). */
static mtk_status b64_decode(const mtk_pem_reader *r, size_t start, size_t end, uint8_t *out,
                             size_t cap, size_t *out_len, mtk_diag *d) {
  const uint8_t *in = r->in;
  uint32_t acc = 0;
  unsigned n = 0;   /* characters of the current group, padding included */
  unsigned pad = 0; /* '=' in the current group */
  bool done = false; /* a padded group ended the data */
  size_t olen = 0, last = start, last_sig = start;
  char msg[80];
  for (size_t i = start; i < end; i++) {
    uint8_t c = in[i];
    if (is_ws(c)) continue;
    last_sig = i;
    if (c == '=') {
      if (done) return fail_at(r, d, MTK_ERR_PEM_BASE64, i, "base64 data after the padding");
      if (n < 2)
        return fail_at(r, d, MTK_ERR_PEM_BASE64, i,
                       "base64 padding '=' where a data character is required");
      pad++;
      n++;
      if (n == 4) {
        /* 3.5: the bits the padding leaves over must be zero. */
        uint32_t spare = pad == 1 ? (acc & 0x3u) : (acc & 0xFu);
        if (spare != 0)
          return fail_at(r, d, MTK_ERR_PEM_BASE64, last,
                         "base64 character before the padding has nonzero spare bits");
        size_t k = pad == 1 ? 2 : 1;
        if (cap - olen < k) return mtk_diag_fail(d, MTK_ERR_BUFFER, i, "output buffer too small");
        if (pad == 1) {
          out[olen++] = (uint8_t)(acc >> 10);
          out[olen++] = (uint8_t)(acc >> 2);
        } else {
          out[olen++] = (uint8_t)(acc >> 4);
        }
        done = true;
        n = 0;
      }
      continue;
    }
    int v = b64_value(c);
    if (v < 0) {
      if (c >= 0x21 && c <= 0x7e)
        (void)snprintf(msg, sizeof msg, "'%c' is not a base64 character", (char)c);
      else
        (void)snprintf(msg, sizeof msg, "byte 0x%02x is not a base64 character", c);
      return fail_at(r, d, MTK_ERR_PEM_BASE64, i, msg);
    }
    if (done || pad > 0) return fail_at(r, d, MTK_ERR_PEM_BASE64, i, "base64 data after the padding");
    acc = acc << 6 | (uint32_t)v;
    n++;
    last = i;
    if (n == 4) {
      if (cap - olen < 3) return mtk_diag_fail(d, MTK_ERR_BUFFER, i, "output buffer too small");
      out[olen++] = (uint8_t)(acc >> 16);
      out[olen++] = (uint8_t)(acc >> 8);
      out[olen++] = (uint8_t)acc;
      acc = 0;
      n = 0;
    }
  }
  if (n != 0) {
    (void)snprintf(msg, sizeof msg,
                   pad > 0 ? "base64 padding is incomplete (%u of 4 characters)"
                           : "base64 ends in a group of %u characters without padding",
                   n);
    return fail_at(r, d, MTK_ERR_PEM_BASE64, last_sig + 1, msg);
  }
  *out_len = olen;
  return MTK_OK;
}

/* ---- kinds --------------------------------------------------------------------- */

mtk_obj_kind mtk_pem_label_kind(const uint8_t *l, size_t n) {
  if (bytes_eq(l, n, "CERTIFICATE") || bytes_eq(l, n, "X509 CERTIFICATE")) return MTK_OBJ_CERT;
  if (bytes_eq(l, n, "TRUSTED CERTIFICATE")) return MTK_OBJ_TRUSTED_CERT;
  if (bytes_eq(l, n, "CERTIFICATE REQUEST") || bytes_eq(l, n, "NEW CERTIFICATE REQUEST"))
    return MTK_OBJ_CSR;
  if (bytes_eq(l, n, "X509 CRL")) return MTK_OBJ_CRL;
  if (bytes_eq(l, n, "PKCS7") || bytes_eq(l, n, "CMS") || bytes_eq(l, n, "PKCS #7 SIGNED DATA"))
    return MTK_OBJ_PKCS7;
  /* Before PUBLIC KEY, and ignoring case: a secret must never fall through
   * to UNKNOWN, whose bytes a front may dump. */
  if (bytes_icontains(l, n, "PRIVATE KEY")) return MTK_OBJ_PRIVATE_KEY;
  if (bytes_eq(l, n, "PUBLIC KEY") || bytes_ends(l, n, " PUBLIC KEY")) return MTK_OBJ_PUBLIC_KEY;
  if (bytes_ends(l, n, " PARAMETERS")) return MTK_OBJ_PARAMS;
  return MTK_OBJ_UNKNOWN;
}

const char *mtk_obj_kind_name(mtk_obj_kind k) {
  switch (k) {
    case MTK_OBJ_NONE: return "none";
    case MTK_OBJ_CERT: return "certificate";
    case MTK_OBJ_TRUSTED_CERT: return "trusted certificate";
    case MTK_OBJ_CSR: return "certificate request";
    case MTK_OBJ_CRL: return "CRL";
    case MTK_OBJ_PUBLIC_KEY: return "public key";
    case MTK_OBJ_PRIVATE_KEY: return "private key";
    case MTK_OBJ_PKCS7: return "PKCS#7 bundle";
    case MTK_OBJ_PARAMS: return "parameters";
    case MTK_OBJ_UNKNOWN: return "unknown";
  }
  return "unknown";
}

const char *mtk_obj_format_name(mtk_obj_format f) {
  switch (f) {
    case MTK_FMT_PEM: return "PEM";
    case MTK_FMT_DER: return "DER";
    case MTK_FMT_BASE64: return "base64";
  }
  return "unknown";
}

/* shape_is reads the elements of |c| and reports whether their tags are
 * exactly |tags| (|n| of them) with nothing after. */
static bool shape_is(mtk_cbs c, const mtk_tag *tags, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (mtk_der_get(&c, tags[i], NULL, NULL) != MTK_OK) return false;
  return c.len == 0;
}

/* small_int reads an INTEGER of one content octet into |*v|. */
static bool small_int(mtk_cbs *c, unsigned *v) {
  mtk_cbs body;
  if (mtk_der_get_integer(c, &body, NULL) != MTK_OK || body.len != 1) return false;
  *v = body.p[0];
  return true;
}

static bool peek_is(const mtk_cbs *c, mtk_tag tag) {
  mtk_tag t;
  return c->len > 0 && mtk_der_peek_tag(c, &t) && t == tag;
}

/* sniff_tbs tells a certificate, a CSR and a CRL apart by the "to be signed"
 * part of a signed SEQUENCE { tbs, algid, BIT STRING }. */
static mtk_obj_kind sniff_tbs(const mtk_cbs *tbs) {
  static const mtk_tag kSpki[] = {MTK_ASN1_SEQUENCE, MTK_ASN1_BITSTRING};
  mtk_cbs t = *tbs, body;
  unsigned v;
  /* CSR (RFC 2986 4.1): CertificationRequestInfo ::= SEQUENCE { version
   * INTEGER (0), subject Name, subjectPKInfo SubjectPublicKeyInfo (a
   * SEQUENCE { SEQUENCE, BIT STRING }), attributes [0] }. A v1 certificate
   * with serial 0 differs at the third element (a Name, not an SPKI). */
  if (small_int(&t, &v) && v == 0 && mtk_der_get(&t, MTK_ASN1_SEQUENCE, NULL, NULL) == MTK_OK &&
      mtk_der_get(&t, MTK_ASN1_SEQUENCE, &body, NULL) == MTK_OK && shape_is(body, kSpki, 2) &&
      mtk_der_get(&t, MTK_CTX_C(0), NULL, NULL) == MTK_OK && t.len == 0)
    return MTK_OBJ_CSR;
  /* CRL (RFC 5280 5.1.2): TBSCertList ::= SEQUENCE { version INTEGER
   * OPTIONAL, signature AlgorithmIdentifier, issuer Name, thisUpdate Time,
   * ... }. A TBSCertificate (4.1.2) has [0] version OPTIONAL, serial
   * INTEGER, signature, issuer, and then validity, a SEQUENCE: the element
   * after issuer decides. */
  t = *tbs;
  if (peek_is(&t, MTK_CTX_C(0)) && mtk_der_get(&t, MTK_CTX_C(0), NULL, NULL) != MTK_OK)
    return MTK_OBJ_CERT;
  if (peek_is(&t, MTK_ASN1_INTEGER) && mtk_der_get(&t, MTK_ASN1_INTEGER, NULL, NULL) != MTK_OK)
    return MTK_OBJ_CERT;
  if (mtk_der_get(&t, MTK_ASN1_SEQUENCE, NULL, NULL) == MTK_OK &&
      mtk_der_get(&t, MTK_ASN1_SEQUENCE, NULL, NULL) == MTK_OK &&
      (peek_is(&t, MTK_ASN1_UTCTIME) || peek_is(&t, MTK_ASN1_GENERALIZEDTIME)))
    return MTK_OBJ_CRL;
  /* Certificate (RFC 5280 4.1): any other signed structure. */
  return MTK_OBJ_CERT;
}

/* mtk_pem_sniff_der: the structural sniff, one rule per shape, first match
 * wins. Only the tags (and a small version INTEGER) are looked at. */
mtk_obj_kind mtk_pem_sniff_der(const mtk_cbs *der, bool *encrypted) {
  static const mtk_tag kSigned[] = {MTK_ASN1_SEQUENCE, MTK_ASN1_SEQUENCE, MTK_ASN1_BITSTRING};
  static const mtk_tag kSpki[] = {MTK_ASN1_SEQUENCE, MTK_ASN1_BITSTRING};
  static const mtk_tag kEpki[] = {MTK_ASN1_SEQUENCE, MTK_ASN1_OCTETSTRING};
  if (encrypted != NULL) *encrypted = false;
  mtk_cbs c = *der, seq;
  /* Every shape below is a SEQUENCE. Bytes after it are allowed (an OpenSSL
   * TRUSTED CERTIFICATE is a certificate followed by its trust settings). */
  if (mtk_der_get(&c, MTK_ASN1_SEQUENCE, &seq, NULL) != MTK_OK) return MTK_OBJ_UNKNOWN;

  /* 1. PKCS#7 / CMS ContentInfo (RFC 5652 3): SEQUENCE { contentType OID
   *    under 1.2.840.113549.1.7, content [0] EXPLICIT ... }. */
  if (peek_is(&seq, MTK_ASN1_OID)) {
    mtk_cbs s = seq, oid;
    if (mtk_der_get_oid(&s, &oid, NULL) == MTK_OK && oid.len == PKCS7_ARC_LEN + 1 &&
        memcmp(oid.p, kOidSignedData, PKCS7_ARC_LEN) == 0 && peek_is(&s, MTK_CTX_C(0)))
      return MTK_OBJ_PKCS7;
    return MTK_OBJ_UNKNOWN;
  }

  /* 2. Signed structures: SEQUENCE { SEQUENCE tbs, SEQUENCE algid, BIT
   *    STRING }: a certificate, a CSR or a CRL, told apart by sniff_tbs. */
  if (shape_is(seq, kSigned, 3)) {
    mtk_cbs s = seq, tbs;
    if (mtk_der_get(&s, MTK_ASN1_SEQUENCE, &tbs, NULL) != MTK_OK) return MTK_OBJ_UNKNOWN;
    return sniff_tbs(&tbs);
  }

  /* 3. SubjectPublicKeyInfo (RFC 5280 4.1.2.7): SEQUENCE { SEQUENCE algid,
   *    BIT STRING }. */
  if (shape_is(seq, kSpki, 2)) return MTK_OBJ_PUBLIC_KEY;

  /* 4. EncryptedPrivateKeyInfo (RFC 5958 3): SEQUENCE { SEQUENCE algid,
   *    OCTET STRING }. */
  if (shape_is(seq, kEpki, 2)) {
    if (encrypted != NULL) *encrypted = true;
    return MTK_OBJ_PRIVATE_KEY;
  }

  if (peek_is(&seq, MTK_ASN1_INTEGER)) {
    mtk_cbs s = seq;
    unsigned v;
    if (!small_int(&s, &v)) return MTK_OBJ_UNKNOWN;
    /* 5. PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5958 2): SEQUENCE {
     *    INTEGER 0 or 1, SEQUENCE algid, OCTET STRING, ... }. */
    if (v <= 1 && peek_is(&s, MTK_ASN1_SEQUENCE)) {
      mtk_cbs t = s;
      if (mtk_der_get(&t, MTK_ASN1_SEQUENCE, NULL, NULL) == MTK_OK &&
          peek_is(&t, MTK_ASN1_OCTETSTRING))
        return MTK_OBJ_PRIVATE_KEY;
    }
    /* 6. SEC1 ECPrivateKey (RFC 5915 3): SEQUENCE { INTEGER 1, OCTET
     *    STRING, ... }. */
    if (v == 1 && peek_is(&s, MTK_ASN1_OCTETSTRING)) return MTK_OBJ_PRIVATE_KEY;
    /* 7. PKCS#1 RSAPrivateKey (RFC 8017 A.1.2) and OpenSSL's DSA private
     *    key: SEQUENCE { INTEGER 0 or 1, INTEGER, INTEGER, ... }. */
    if (v <= 1 && mtk_der_get(&s, MTK_ASN1_INTEGER, NULL, NULL) == MTK_OK &&
        peek_is(&s, MTK_ASN1_INTEGER))
      return MTK_OBJ_PRIVATE_KEY;
    /* 8. PKCS#12 PFX (RFC 7292 4): SEQUENCE { INTEGER 3, SEQUENCE authSafe,
     *    ... }: a container of keys, so never to be printed. */
    if (v == 3 && peek_is(&s, MTK_ASN1_SEQUENCE)) return MTK_OBJ_PRIVATE_KEY;
  }
  /* Anything else (DH/DSA parameters and PKCS#1 public keys look like any
   * SEQUENCE of INTEGERs) is UNKNOWN: use PEM labels to tell those apart. */
  return MTK_OBJ_UNKNOWN;
}

/* openssh_encrypted: an "openssh-key-v1" key (OpenSSH PROTOCOL.key) whose
 * cipher name is not "none". */
static bool openssh_encrypted(const mtk_cbs *data) {
  static const uint8_t kMagic[] = "openssh-key-v1"; /* with its NUL: 15 octets */
  mtk_cbs c = *data, name;
  uint8_t hi;
  uint32_t lo;
  if (c.len < sizeof kMagic || memcmp(c.p, kMagic, sizeof kMagic) != 0) return false;
  if (!mtk_cbs_skip(&c, sizeof kMagic) || !mtk_cbs_get_u8(&c, &hi) || !mtk_cbs_get_u24(&c, &lo) ||
      hi != 0 || !mtk_cbs_get_bytes(&c, &name, lo))
    return false;
  return !bytes_eq(name.p, name.len, "none");
}

/* ---- the reader ------------------------------------------------------------------ */

void mtk_pem_reader_init(mtk_pem_reader *r, const uint8_t *in, size_t len) {
  memset(r, 0, sizeof(*r));
  r->in = in;
  r->len = len;
  r->line_no = 1;
}

/* proc_type_encrypted: the header line in[p, q) is "Proc-Type: 4,ENCRYPTED"
 * (RFC 1421 4.6.1.1; name compared without case). */
static bool proc_type_encrypted(const uint8_t *in, size_t p, size_t q) {
  while (p < q && is_blank(in[p])) p++;
  size_t colon = p;
  while (colon < q && in[colon] != ':') colon++;
  size_t ne = colon;
  while (ne > p && is_blank(in[ne - 1])) ne--;
  if (colon == q || !bytes_ieq(in + p, ne - p, "PROC-TYPE")) return false;
  size_t v = colon + 1;
  while (v < q && is_blank(in[v])) v++;
  size_t ve = q;
  while (ve > v && is_blank(in[ve - 1])) ve--;
  size_t comma = v;
  while (comma < ve && in[comma] != ',') comma++;
  if (comma == ve) return false;
  size_t t = comma + 1;
  while (t < ve && is_blank(in[t])) t++;
  return bytes_ieq(in + t, ve - t, "ENCRYPTED");
}

/* parse_headers looks for RFC 1421 header lines at the start of a block's
 * body, in[from, endm) (|from| is the start of the line after BEGIN). If the
 * first non-blank line has a ':', lines up to the first blank line are
 * headers ("Name: value", continued by lines starting with a blank); the
 * base64 starts after that blank line. Sets |*body|, |*headers| and
 * |*encrypted|. */
static mtk_status parse_headers(const mtk_pem_reader *r, size_t from, size_t endm, size_t *body,
                                mtk_cbs *headers, bool *encrypted, mtk_diag *d) {
  const uint8_t *in = r->in;
  size_t p = from;
  *body = from;
  /* The first non-blank line. */
  for (;;) {
    size_t q = p;
    while (q < endm && is_blank(in[q])) q++;
    if (q < endm && in[q] == '\n') {
      p = q + 1;
      continue;
    }
    break;
  }
  size_t q = p;
  while (q < endm && in[q] != '\n' && in[q] != ':') q++;
  if (q >= endm || in[q] != ':') return MTK_OK; /* no headers */

  size_t hs = p;
  for (bool first = true;; first = false) {
    size_t le = p;
    while (le < endm && in[le] != '\n') le++;
    if (le == endm)
      return fail_at(r, d, MTK_ERR_PEM_HEADERS, endm,
                     "PEM header lines are not followed by a blank line");
    size_t k = p;
    while (k < le && is_blank(in[k])) k++;
    if (k == le) { /* the blank line: headers end, base64 begins */
      size_t he = p;
      while (he > hs && (in[he - 1] == '\n' || in[he - 1] == '\r')) he--;
      headers->p = in + hs;
      headers->len = he - hs;
      headers->off = hs;
      *body = le + 1;
      return MTK_OK;
    }
    bool has_colon = memchr(in + p, ':', le - p) != NULL;
    if (has_colon) {
      if (proc_type_encrypted(in, p, le)) *encrypted = true;
    } else if (first || !is_blank(in[p])) {
      return fail_at(r, d, MTK_ERR_PEM_HEADERS, p,
                     "line in the PEM header block is neither a header nor blank "
                     "(a blank line must separate headers from base64)");
    }
    p = le + 1;
  }
}

/* pem_block decodes the block whose "-----BEGIN " is at |begin|. On success
 * |*next| is the offset after its END marker. */
static mtk_status pem_block(const mtk_pem_reader *r, size_t begin, uint8_t *out, size_t cap,
                            mtk_pem_obj *obj, size_t *next, mtk_diag *d) {
  const uint8_t *in = r->in;
  size_t len = r->len;
  char msg[MTK_DETAIL_MAX];

  /* BEGIN line: "-----BEGIN " label "-----", label printable ASCII. */
  size_t lab = begin + BEGIN_LEN;
  size_t close = find_on_line(in, lab, len);
  if (close == NPOS)
    return fail_at(r, d, MTK_ERR_PEM_LABEL, begin, "BEGIN line has no closing \"-----\"");
  for (size_t i = lab; i < close; i++)
    if (in[i] < 0x20 || in[i] > 0x7e)
      return fail_at(r, d, MTK_ERR_PEM_LABEL, i, "PEM label has a non-printable byte");
  size_t after = close + DASHES_LEN;

  /* The END must come before the end of the input and before any other
   * BEGIN. */
  size_t endm = find(in, after, len, kEnd, END_LEN);
  if (endm == NPOS || find(in, after, endm, kBegin, BEGIN_LEN) != NPOS) {
    (void)snprintf(msg, sizeof msg, "BEGIN %.*s has no END line before %s",
                   (int)(close - lab > 40 ? 40 : close - lab), (const char *)(in + lab),
                   endm == NPOS ? "the end of the input" : "the next BEGIN");
    return fail_at(r, d, MTK_ERR_PEM_UNTERMINATED, begin, msg);
  }
  size_t elab = endm + END_LEN;
  size_t eclose = find_on_line(in, elab, len);
  if (eclose == NPOS)
    return fail_at(r, d, MTK_ERR_PEM_LABEL, endm, "END line has no closing \"-----\"");
  if (eclose - elab != close - lab || memcmp(in + elab, in + lab, close - lab) != 0) {
    (void)snprintf(msg, sizeof msg, "BEGIN %.*s is closed by END %.*s",
                   (int)(close - lab > 40 ? 40 : close - lab), (const char *)(in + lab),
                   (int)(eclose - elab > 40 ? 40 : eclose - elab), (const char *)(in + elab));
    return fail_at(r, d, MTK_ERR_PEM_LABEL, endm, msg);
  }

  /* Headers: only when the BEGIN line ends after its marker. A block
   * flattened onto one line has its base64 right after the marker. */
  bool encrypted = false;
  mtk_cbs headers = {in + begin, 0, begin};
  size_t body = after;
  size_t i = after;
  while (i < endm && is_blank(in[i])) i++;
  if (i < endm && in[i] == '\n') {
    mtk_status s = parse_headers(r, i + 1, endm, &body, &headers, &encrypted, d);
    if (s != MTK_OK) return s;
  }

  size_t dlen = 0;
  mtk_status s = b64_decode(r, body, endm, out, cap, &dlen, d);
  if (s != MTK_OK) return s;
  if (dlen == 0) return fail_at(r, d, MTK_ERR_PEM_BASE64, endm, "PEM block holds no data");

  memset(obj, 0, sizeof(*obj));
  obj->format = MTK_FMT_PEM;
  obj->label.p = in + lab;
  obj->label.len = close - lab;
  obj->label.off = lab;
  obj->kind = mtk_pem_label_kind(obj->label.p, obj->label.len);
  obj->offset = begin;
  obj->end = eclose + DASHES_LEN;
  obj->headers = headers;
  obj->der.p = out;
  obj->der.len = dlen;
  obj->der.off = 0;
  if (bytes_eq(obj->label.p, obj->label.len, "ENCRYPTED PRIVATE KEY")) encrypted = true;
  if (bytes_eq(obj->label.p, obj->label.len, "OPENSSH PRIVATE KEY") && openssh_encrypted(&obj->der))
    encrypted = true;
  obj->encrypted = encrypted;
  *next = obj->end;
  return MTK_OK;
}

/* whole_object fills |obj| for an input that is one object (DER, base64). */
static void whole_object(const mtk_pem_reader *r, mtk_obj_format f, const uint8_t *p, size_t n,
                         mtk_pem_obj *obj) {
  memset(obj, 0, sizeof(*obj));
  obj->format = f;
  obj->label.p = r->in;
  obj->headers.p = r->in;
  obj->line = 1;
  obj->end = r->len;
  obj->der.p = p;
  obj->der.len = n;
  obj->kind = mtk_pem_sniff_der(&obj->der, &obj->encrypted);
}

static bool looks_binary(const uint8_t *in, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((in[i] < 0x20 || in[i] > 0x7e) && !is_ws(in[i])) return true;
  return false;
}

/* bare_base64 tries the whole input as base64 of one DER SEQUENCE. */
static mtk_status bare_base64(mtk_pem_reader *r, uint8_t *out, size_t cap, mtk_pem_obj *obj,
                              mtk_diag *d) {
  bool any = false;
  for (size_t i = 0; i < r->len; i++) {
    uint8_t c = r->in[i];
    if (is_ws(c)) continue;
    if (c != '=' && b64_value(c) < 0)
      return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, 0,
                           "no PEM block, and the input is neither DER nor base64");
    any = true;
  }
  if (!any) return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, 0, "the input is only whitespace");
  mtk_diag tmp;
  mtk_diag_init(&tmp);
  size_t n = 0;
  mtk_status s = b64_decode(r, 0, r->len, out, cap, &n, &tmp);
  if (s == MTK_ERR_BUFFER) return mtk_diag_fail(d, s, 0, "output buffer too small");
  if (s != MTK_OK)
    return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, tmp.err.offset,
                         "no PEM block; not base64 either: %.80s", tmp.err.detail);
  mtk_cbs c, body;
  mtk_cbs_init(&c, out, n);
  if (mtk_der_get(&c, MTK_ASN1_SEQUENCE, &body, NULL) != MTK_OK || c.len != 0)
    return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, 0,
                         "no PEM block; the input is base64 but not of one DER SEQUENCE");
  whole_object(r, MTK_FMT_BASE64, out, n, obj);
  return MTK_OK;
}

/* pem_next_block yields the next PEM block from r->pos, or the end. */
static mtk_status pem_next_block(mtk_pem_reader *r, uint8_t *out, size_t cap, mtk_pem_obj *obj,
                                 mtk_diag *d) {
  size_t b = find(r->in, r->pos, r->len, kBegin, BEGIN_LEN);
  size_t e = find(r->in, r->pos, b == NPOS ? r->len : b, kEnd, END_LEN);
  if (e != NPOS) return fail_at(r, d, MTK_ERR_PEM_LABEL, e, "END line without a BEGIN line");
  if (b == NPOS) {
    if (r->count == 0) return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, 0, "no PEM block found");
    r->mode = 2;
    return MTK_OK; /* obj is already NONE */
  }
  size_t next = 0;
  mtk_status s = pem_block(r, b, out, cap, obj, &next, d);
  if (s != MTK_OK) return s;
  advance_line(r, b);
  obj->line = r->line_no;
  r->pos = next;
  r->count++;
  return MTK_OK;
}

mtk_status mtk_pem_next(mtk_pem_reader *r, uint8_t *out, size_t cap, mtk_pem_obj *obj,
                        mtk_diag *d) {
  if (r == NULL || obj == NULL || (r->in == NULL && r->len > 0) || (out == NULL && cap > 0))
    return mtk_diag_fail(d, MTK_ERR_ARG, 0, "mtk_pem_next: NULL argument");
  memset(obj, 0, sizeof(*obj));
  if (r->len > MTK_MAX_INPUT)
    return mtk_diag_fail(d, MTK_ERR_INPUT_TOO_LARGE, 0, "input of %zu bytes (limit %zu)", r->len,
                         MTK_MAX_INPUT);
  if (r->mode == 2) return MTK_OK;
  if (r->mode == 1) return pem_next_block(r, out, cap, obj, d);

  /* First call: find out what the input is. */
  if (r->len == 0) return mtk_diag_fail(d, MTK_ERR_PEM_NOTHING, 0, "the input is empty");
  mtk_cbs c;
  mtk_cbs_init(&c, r->in, r->len);
  bool der_whole = false;
  if (r->in[0] == 0x30) {
    mtk_cbs copy = c;
    der_whole = mtk_der_get_any(&copy, NULL, NULL, NULL, NULL) == MTK_OK && copy.len == 0;
  }
  if (der_whole) {
    whole_object(r, MTK_FMT_DER, r->in, r->len, obj);
    r->mode = 2;
    r->count = 1;
    return MTK_OK;
  }
  if (find(r->in, 0, r->len, kBegin, BEGIN_LEN) != NPOS ||
      find(r->in, 0, r->len, kEnd, END_LEN) != NPOS) {
    r->mode = 1;
    mtk_status s = pem_next_block(r, out, cap, obj, d);
    if (s != MTK_OK) r->mode = 0; /* unchanged: the same error again */
    return s;
  }
  if (r->in[0] == 0x30 && looks_binary(r->in, r->len)) {
    /* Binary that starts like DER: report why it is not one DER element. */
    mtk_status s = mtk_der_get_any(&c, NULL, NULL, NULL, d);
    if (s != MTK_OK) return s;
    return mtk_der_expect_end(&c, "the DER element", d);
  }
  mtk_status s = bare_base64(r, out, cap, obj, d);
  if (s != MTK_OK) return s;
  r->mode = 2;
  r->count = 1;
  return MTK_OK;
}

/* ---- PKCS#7 ------------------------------------------------------------------------ */

/* der_order compares two encodings in DER SET OF order (X.690 11.6: as octet
 * strings, the shorter padded at its end with zero octets). */
static int der_order(const mtk_cbs *a, const mtk_cbs *b) {
  size_t n = a->len < b->len ? a->len : b->len;
  int c = n > 0 ? memcmp(a->p, b->p, n) : 0;
  if (c != 0) return c;
  const mtk_cbs *longer = a->len > b->len ? a : b;
  for (size_t i = n; i < longer->len; i++)
    if (longer->p[i] != 0) return longer == a ? 1 : -1;
  return 0;
}

/* check_set_of checks the framing of each element of a SET OF's contents,
 * naming them "<name>[i]"; with |certs| each must be a Certificate
 * (SEQUENCE) or another CertificateChoices alternative (context-tagged,
 * constructed), and DER order is checked. */
static mtk_status check_set_of(mtk_cbs set, const char *name, bool certs, mtk_diag *d) {
  mtk_cbs prev = {NULL, 0, 0};
  for (size_t i = 0; set.len > 0; i++) {
    size_t mark = mtk_diag_push(d, "%s[%zu]", name, i);
    mtk_tag tag;
    mtk_cbs elem;
    size_t at = set.off;
    mtk_status s = mtk_der_get_any(&set, &tag, NULL, &elem, d);
    if (s != MTK_OK) return s;
    if (certs && tag != MTK_ASN1_SEQUENCE &&
        !((tag & MTK_TAG_CLASS_MASK) == MTK_TAG_CONTEXT && (tag & MTK_TAG_CONSTRUCTED) &&
          (tag & MTK_TAG_NUMBER_MASK) <= 3))
      return mtk_diag_fail(d, MTK_ERR_DER_TAG, at,
                           "expected a Certificate (SEQUENCE) or another CertificateChoices");
    if (certs && i > 0 && der_order(&prev, &elem) > 0)
      mtk_diag_quirk(d, MTK_QUIRK_SET_NOT_SORTED, at);
    prev = elem;
    mtk_diag_pop(d, mark);
  }
  return MTK_OK;
}

/* signed_data checks a SignedData's contents |sd| (RFC 5652 5.1) and sets
 * |*certs| to the contents of its certificates SET (empty if absent). */
static mtk_status signed_data(mtk_cbs sd, mtk_cbs *certs, mtk_diag *d) {
  mtk_status s;
  size_t mark = mtk_diag_push(d, "version");
  uint64_t version = 0;
  size_t at = sd.off;
  s = mtk_der_get_uint64(&sd, &version, d);
  if (s != MTK_OK) return s;
  if (version < 1 || version > 5)
    return mtk_diag_fail(d, MTK_ERR_PKCS7, at, "SignedData version %llu (must be 1 to 5)",
                         (unsigned long long)version);
  mtk_diag_pop(d, mark);

  mark = mtk_diag_push(d, "digestAlgorithms");
  mtk_cbs set;
  s = mtk_der_get(&sd, MTK_ASN1_SET, &set, d);
  if (s != MTK_OK) return s;
  for (size_t i = 0; set.len > 0; i++) {
    size_t m2 = mtk_diag_push(d, "[%zu]", i);
    s = mtk_der_get(&set, MTK_ASN1_SEQUENCE, NULL, d);
    if (s != MTK_OK) return s;
    mtk_diag_pop(d, m2);
  }
  mtk_diag_pop(d, mark);

  mark = mtk_diag_push(d, "encapContentInfo");
  mtk_cbs eci, oid;
  bool present;
  s = mtk_der_get(&sd, MTK_ASN1_SEQUENCE, &eci, d);
  if (s == MTK_OK) s = mtk_der_get_oid(&eci, &oid, d);
  if (s == MTK_OK) s = mtk_der_get_optional(&eci, MTK_CTX_C(0), NULL, &present, d);
  if (s == MTK_OK) s = mtk_der_expect_end(&eci, "encapContentInfo", d);
  if (s != MTK_OK) return s;
  mtk_diag_pop(d, mark);

  certs->p = NULL;
  certs->len = 0;
  certs->off = sd.off;
  mtk_cbs body;
  s = mtk_der_get_optional(&sd, MTK_CTX_C(0), &body, &present, d);
  if (s != MTK_OK) return s;
  if (present) {
    s = check_set_of(body, "certificates", true, d);
    if (s != MTK_OK) return s;
    *certs = body;
  }
  s = mtk_der_get_optional(&sd, MTK_CTX_C(1), &body, &present, d);
  if (s != MTK_OK) return s;
  if (present) {
    s = check_set_of(body, "crls", false, d);
    if (s != MTK_OK) return s;
  }

  mark = mtk_diag_push(d, "signerInfos");
  s = mtk_der_get(&sd, MTK_ASN1_SET, &set, d);
  if (s != MTK_OK) return s;
  mtk_diag_pop(d, mark);
  s = check_set_of(set, "signerInfos", false, d);
  if (s != MTK_OK) return s;
  return mtk_der_expect_end(&sd, "SignedData", d);
}

mtk_status mtk_pkcs7_init(mtk_pkcs7_iter *it, const mtk_cbs *der, mtk_diag *d) {
  if (it == NULL || der == NULL) return mtk_diag_fail(d, MTK_ERR_ARG, 0, "NULL argument");
  memset(it, 0, sizeof(*it));
  /* On failure the path is put back as it was (the error keeps its own). */
  size_t mark0 = d != NULL ? d->path_len : 0;
  mtk_cbs in = *der, ci, oid, content, sd, certs;
  size_t at = 0;
  mtk_status s = mtk_der_get(&in, MTK_ASN1_SEQUENCE, &ci, d);
  if (s == MTK_OK) s = mtk_der_expect_end(&in, "ContentInfo", d);
  if (s != MTK_OK) goto out;

  (void)mtk_diag_push(d, "contentType");
  at = ci.off;
  s = mtk_der_get_oid(&ci, &oid, d);
  if (s != MTK_OK) goto out;
  if (!mtk_cbs_eq_bytes(&oid, kOidSignedData, sizeof kOidSignedData)) {
    s = mtk_diag_fail(d, MTK_ERR_PKCS7, at,
                      "content type is not signedData (1.2.840.113549.1.7.2)");
    goto out;
  }
  mtk_diag_pop(d, mark0);

  (void)mtk_diag_push(d, "content");
  s = mtk_der_get(&ci, MTK_CTX_C(0), &content, d);
  if (s == MTK_OK) s = mtk_der_get(&content, MTK_ASN1_SEQUENCE, &sd, d);
  if (s == MTK_OK) s = mtk_der_expect_end(&content, "content", d);
  if (s == MTK_OK) s = signed_data(sd, &certs, d);
  if (s != MTK_OK) goto out;
  mtk_diag_pop(d, mark0);
  s = mtk_der_expect_end(&ci, "ContentInfo", d);
  if (s != MTK_OK) goto out;
  it->certs = certs;
  it->index = 0;
out:
  mtk_diag_pop(d, mark0);
  return s;
}

mtk_status mtk_pkcs7_next_cert(mtk_pkcs7_iter *it, mtk_cbs *out_cert, mtk_diag *d) {
  if (it == NULL || out_cert == NULL) return mtk_diag_fail(d, MTK_ERR_ARG, 0, "NULL argument");
  while (it->certs.len > 0) {
    mtk_tag tag;
    mtk_cbs elem;
    size_t mark = mtk_diag_push(d, "certificates[%zu]", it->index);
    mtk_status s = mtk_der_get_any(&it->certs, &tag, NULL, &elem, d);
    mtk_diag_pop(d, mark);
    if (s != MTK_OK) return s;
    it->index++;
    if (tag == MTK_ASN1_SEQUENCE) {
      *out_cert = elem;
      return MTK_OK;
    }
  }
  out_cert->p = NULL;
  out_cert->len = 0;
  out_cert->off = 0;
  return MTK_OK;
}

/* mtlskit/pem.h: the input module. The raw bytes of a file a user holds go
 * in; the DER objects in it come out, one at a time, without allocation.
 *
 * Accepted inputs (detected in this order):
 *   1. Raw DER: the input starts with 0x30 and is exactly one DER element
 *      (mtk_der_get_any) spanning the whole input. Its kind is sniffed from
 *      its structure (mtk_pem_sniff_der).
 *   2. PEM (RFC 7468): any number of "-----BEGIN <label>-----" ...
 *      "-----END <label>-----" blocks with any labels, with text before,
 *      between and after them (an e-mail, `openssl x509 -text` output),
 *      LF or CRLF line endings, indentation, lines of any length (a whole
 *      block on one line, as when newlines were flattened to spaces, is
 *      accepted), and RFC 1421 header lines ("Proc-Type: 4,ENCRYPTED",
 *      "DEK-Info: ...") closed by a blank line. The base64 inside is decoded
 *      strictly (RFC 4648 section 3: no characters outside the alphabet other
 *      than whitespace, padding required and canonical, nothing after the
 *      padding); errors name the byte offset in the original input and the
 *      line and column. The kind comes from the label.
 *   3. Base64 without armour: the whole input, ignoring whitespace, is strict
 *      base64 of one DER SEQUENCE. The kind is sniffed as for DER.
 *
 * A PEM block's decoded bytes are not checked to be DER here (an OPENSSH
 * PRIVATE KEY is not DER at all); the parser of its kind does that. What IS
 * checked: the framing of the block, the labels, the headers, the base64.
 *
 * Private keys: every object of kind MTK_OBJ_PRIVATE_KEY holds secret
 * material (possibly encrypted). A front must never print, dump, hash into
 * logs or otherwise render its bytes, and should wipe the output buffer it
 * was decoded into (OPENSSL_cleanse) once done with it. The input itself
 * holds the key too (as base64 or DER): wipe it as well. */
#ifndef MTLSKIT_PEM_H
#define MTLSKIT_PEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MTK_MAX_INPUT is the largest input, in bytes, that mtlskit accepts from a
 * user (64 MiB). The fronts enforce it when reading a file or stdin (with
 * MTK_ERR_INPUT_TOO_LARGE); mtk_pem_next also refuses larger inputs. */
#define MTK_MAX_INPUT ((size_t)64 * 1024 * 1024)

/* mtk_obj_kind is what an object in the input is. For PEM it follows the
 * label (mtk_pem_label_kind); for DER and bare base64, the structure
 * (mtk_pem_sniff_der). */
typedef enum mtk_obj_kind {
  MTK_OBJ_NONE = 0,     /* no object: the end of the input (see mtk_pem_next) */
  MTK_OBJ_CERT,         /* X.509 certificate (RFC 5280) */
  MTK_OBJ_TRUSTED_CERT, /* OpenSSL "TRUSTED CERTIFICATE": a certificate followed
                           by OpenSSL's X509_CERT_AUX trust settings, so the
                           bytes are TWO DER elements; the first is the
                           certificate */
  MTK_OBJ_CSR,          /* PKCS#10 certificate request (RFC 2986) */
  MTK_OBJ_CRL,          /* X.509 CRL (RFC 5280 section 5) */
  MTK_OBJ_PUBLIC_KEY,   /* SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey */
  MTK_OBJ_PRIVATE_KEY,  /* any private key (PKCS#8, encrypted PKCS#8, PKCS#1,
                           SEC1, OpenSSH, PKCS#12): SECRET, never print its
                           bytes */
  MTK_OBJ_PKCS7,        /* PKCS#7 / CMS ContentInfo (a .p7b/.p7c bundle) */
  MTK_OBJ_PARAMS,       /* domain parameters (EC, DH, DSA) */
  MTK_OBJ_UNKNOWN       /* any other label, or DER of no known shape */
} mtk_obj_kind;

/* mtk_obj_format is how an object was encoded in the input. */
typedef enum mtk_obj_format {
  MTK_FMT_PEM = 1, /* a PEM block */
  MTK_FMT_DER,     /* the whole input was one DER element */
  MTK_FMT_BASE64   /* the whole input was base64 without armour */
} mtk_obj_format;

/* mtk_pem_obj is one object found in the input. Every view points into the
 * input or into the caller's output buffer, and is valid while both live
 * (and until the caller reuses that part of the output buffer). */
typedef struct mtk_pem_obj {
  mtk_obj_kind kind;
  mtk_obj_format format;
  /* The PEM label ("CERTIFICATE"): a view into the input (NOT a C string);
   * .off is its absolute offset in the input. Empty (len 0) for DER and
   * base64 input. */
  mtk_cbs label;
  /* The absolute input offset of the "-----BEGIN" of a PEM block (0 for DER
   * and base64), its 1-based line number, and the offset just past the
   * END marker's closing "-----" (the input length for DER and base64). */
  size_t offset;
  size_t line;
  size_t end;
  /* The RFC 1421 header lines of a PEM block, raw (a view into the input,
   * .off absolute, without the closing blank line); empty if none. */
  mtk_cbs headers;
  /* The object's bytes: the decoded base64 (in the caller's buffer), or the
   * input itself for DER. .off is 0: offsets in errors from decoding these
   * bytes are relative to the object, not to the input. */
  mtk_cbs der;
  /* The object is an encrypted private key: a "Proc-Type: 4,ENCRYPTED"
   * header, the label "ENCRYPTED PRIVATE KEY", an EncryptedPrivateKeyInfo
   * DER shape, or an OpenSSH key whose cipher is not "none". */
  bool encrypted;
} mtk_pem_obj;

/* mtk_pem_reader is the caller-storage state of one pass over an input.
 * Initialise with mtk_pem_reader_init; it holds no heap memory and needs no
 * cleanup. The fields are private. */
typedef struct mtk_pem_reader {
  const uint8_t *in;
  size_t len;
  size_t pos;        /* next byte to look at */
  size_t line_pos;   /* line_no is the line number at offset line_pos */
  size_t line_no;
  size_t count;      /* objects yielded so far */
  int mode;          /* 0 not started, 1 PEM, 2 finished */
} mtk_pem_reader;

/* mtk_pem_reader_init starts a pass over the |len| bytes at |in|, which must
 * stay alive and unchanged while the reader and the objects it yields are
 * used. */
MTK_EXPORT void mtk_pem_reader_init(mtk_pem_reader *r, const uint8_t *in, size_t len);

/* mtk_pem_next yields the next object of the input in |*obj|.
 *
 *   mtk_pem_reader r;
 *   mtk_pem_obj obj;
 *   mtk_status s;
 *   mtk_pem_reader_init(&r, in, len);
 *   while ((s = mtk_pem_next(&r, buf, cap, &obj, &diag)) == MTK_OK &&
 *          obj.kind != MTK_OBJ_NONE) { ... }
 *   if (s != MTK_OK) { diag.err says what and where }
 *
 * End of input: MTK_OK with obj->kind == MTK_OBJ_NONE, once at least one
 * object was yielded. An input with no object at all fails on the first call
 * with MTK_ERR_PEM_NOTHING instead, so an empty or unrelated file is always
 * an error.
 *
 * Decoded bytes are written at the start of |out| (|cap| bytes; may be NULL
 * when |cap| is 0, which is enough for DER input). Decoded base64 is never
 * longer than its input, so a buffer of |len| bytes always suffices for one
 * object, and also for the whole input: to keep every object of a bundle
 * alive at once, pass the unused tail of one such buffer on each call
 * (out + used, cap - used) and add obj->der.len to |used|.
 *
 * Errors (recorded in |d| with the absolute input offset and, in the detail,
 * the line and column): MTK_ERR_PEM_BASE64 (a bad character, bad or missing
 * padding, data after padding, nonzero pad bits, an empty block),
 * MTK_ERR_PEM_UNTERMINATED (BEGIN with no END before the end of the input or
 * the next BEGIN; offset of the BEGIN), MTK_ERR_PEM_LABEL (END label differs
 * from BEGIN's, a malformed BEGIN or END line, or an END line with no BEGIN;
 * offset of the marker), MTK_ERR_PEM_HEADERS (header lines not closed by a
 * blank line, or a line that is neither), MTK_ERR_PEM_NOTHING,
 * MTK_ERR_INPUT_TOO_LARGE (more than MTK_MAX_INPUT), MTK_ERR_BUFFER (|cap|
 * too small; retry with a larger buffer), MTK_ERR_ARG, and for binary input
 * starting with 0x30 that is not one DER element, the MTK_ERR_DER_* error of
 * mtk_der_get_any. After an error the reader does not advance: calling again
 * gives the same error. */
MTK_EXPORT mtk_status mtk_pem_next(mtk_pem_reader *r, uint8_t *out, size_t cap,
                                   mtk_pem_obj *obj, mtk_diag *d) MTK_MUST_CHECK;

/* mtk_pem_label_kind maps a PEM label (|len| bytes, not a C string, compared
 * exactly: labels are upper case) to a kind: CERTIFICATE and X509 CERTIFICATE
 * are CERT; TRUSTED CERTIFICATE is TRUSTED_CERT; CERTIFICATE REQUEST and NEW
 * CERTIFICATE REQUEST are CSR; X509 CRL is CRL; PUBLIC KEY and any label
 * ending in " PUBLIC KEY" are PUBLIC_KEY; any label containing "PRIVATE KEY"
 * (PRIVATE KEY, RSA/EC/DSA/ENCRYPTED/OPENSSH/ANY PRIVATE KEY, ...) is
 * PRIVATE_KEY; PKCS7, CMS and PKCS #7 SIGNED DATA are PKCS7; any label
 * ending in " PARAMETERS" is PARAMS; anything else is UNKNOWN. */
MTK_EXPORT mtk_obj_kind mtk_pem_label_kind(const uint8_t *label, size_t len);

/* mtk_pem_sniff_der guesses the kind of the DER element |der| from its
 * structure, without a full parse (the rules are listed at its definition in
 * lib/pem.c). It never fails: an unrecognised or malformed shape is
 * MTK_OBJ_UNKNOWN. When the shape is an EncryptedPrivateKeyInfo it sets
 * |*encrypted| (may be NULL). Shapes that may hold private keys (PKCS#12)
 * are PRIVATE_KEY, so that they are never printed. */
MTK_EXPORT mtk_obj_kind mtk_pem_sniff_der(const mtk_cbs *der, bool *encrypted);

/* mtk_obj_kind_name returns a short static name of |k| ("certificate",
 * "private key", ...). */
MTK_EXPORT const char *mtk_obj_kind_name(mtk_obj_kind k);

/* mtk_obj_format_name returns "PEM", "DER" or "base64" (static). */
MTK_EXPORT const char *mtk_obj_format_name(mtk_obj_format f);

/* ---- PKCS#7 certificate bundles (RFC 2315, RFC 5652) ----------------------- */

/* mtk_pkcs7_iter walks the certificates of a PKCS#7 / CMS SignedData, as
 * found in .p7b/.p7c files ("degenerate" SignedData: certificates and no
 * signers). Caller storage; no cleanup. The fields are private. */
typedef struct mtk_pkcs7_iter {
  mtk_cbs certs;   /* the remaining contents of the certificates SET */
  size_t index;    /* index of the next element of that SET */
} mtk_pkcs7_iter;

/* mtk_pkcs7_init checks |der| strictly as one ContentInfo holding a
 * SignedData and positions |it| on its certificates:
 *
 *   ContentInfo ::= SEQUENCE {
 *     contentType  OBJECT IDENTIFIER (signedData 1.2.840.113549.1.7.2),
 *     content      [0] EXPLICIT SignedData }
 *   SignedData ::= SEQUENCE {
 *     version           INTEGER (1..5),
 *     digestAlgorithms  SET OF AlgorithmIdentifier,
 *     encapContentInfo  SEQUENCE { eContentType OBJECT IDENTIFIER,
 *                                  eContent [0] EXPLICIT OCTET STRING OPTIONAL },
 *     certificates      [0] IMPLICIT SET OF CertificateChoices OPTIONAL,
 *     crls              [1] IMPLICIT SET OF RevocationInfoChoice OPTIONAL,
 *     signerInfos       SET OF SignerInfo }
 *
 * Every element's DER framing is checked, each certificate's included (the
 * certificates themselves are not parsed: give each to mtk_cert_parse). CRLs
 * and signers are skipped. A SET OF certificates not in DER order is recorded
 * as MTK_QUIRK_SET_NOT_SORTED. Errors (MTK_ERR_PKCS7 for a wrong content type
 * or version, MTK_ERR_DER_* for the structure) carry the offset within |der|
 * and a path ("content.certificates[2]"). |der| must outlive |it|. */
MTK_EXPORT mtk_status mtk_pkcs7_init(mtk_pkcs7_iter *it, const mtk_cbs *der,
                                     mtk_diag *d) MTK_MUST_CHECK;

/* mtk_pkcs7_next_cert yields the next certificate (the whole Certificate
 * SEQUENCE element, a view into the ContentInfo with offsets relative to
 * it) in |*out_cert|. At the end it returns MTK_OK with out_cert->len == 0
 * (and out_cert->p NULL). Other CertificateChoices (obsolete extended
 * certificates, attribute certificates: context-tagged) are skipped. After
 * a successful mtk_pkcs7_init it cannot fail. */
MTK_EXPORT mtk_status mtk_pkcs7_next_cert(mtk_pkcs7_iter *it, mtk_cbs *out_cert,
                                          mtk_diag *d) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_PEM_H */

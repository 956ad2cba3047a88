/* mtlskit/keys.h: fingerprints, weak-RSA-modulus tests, signature
 * verification and key/certificate matching, over byte slices.
 *
 * This module is, with verify and pki, the only place that asks OpenSSL about
 * certificate facts. Its inputs are the DER slices the X.509 parser hands
 * out (the whole SubjectPublicKeyInfo element, the whole AlgorithmIdentifier
 * element, the signature bits, the modulus INTEGER contents) and plain
 * buffers; its results go to caller-owned out-parameters. Nothing here keeps
 * a pointer into an input after returning, prints, or exits.
 *
 * Every function that calls OpenSSL leaves the thread's OpenSSL error queue
 * as it found it (ERR_set_mark / ERR_pop_to_mark), so that a failed check
 * here never shows up as a stale error in a later TLS call.
 *
 * OpenSSL is used only through its non-deprecated 3.0 APIs (EVP_PKEY,
 * EVP_DigestVerify, OSSL_DECODER, BN). */
#ifndef MTLSKIT_KEYS_H
#define MTLSKIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fingerprints -------------------------------------------------------- */

/* mtk_digest_alg names a hash for mtk_digest. The values are stable. */
typedef enum mtk_digest_alg {
  MTK_DIGEST_SHA1 = 1,
  MTK_DIGEST_SHA256 = 2,
  MTK_DIGEST_SHA384 = 3,
  MTK_DIGEST_SHA512 = 4
} mtk_digest_alg;

/* MTK_DIGEST_MAX is the largest digest mtk_digest writes (SHA-512). */
#define MTK_DIGEST_MAX 64

/* mtk_digest_size returns the output length in bytes of |alg| (20, 32, 48,
 * 64), or 0 if |alg| is not an mtk_digest_alg. */
MTK_EXPORT size_t mtk_digest_size(mtk_digest_alg alg);

/* mtk_digest hashes the |len| bytes at |data| with |alg| (FIPS 180-4) into
 * |out|. |*out_len| is in/out: on entry the capacity of |out|, on success the
 * digest length. MTK_ERR_BUFFER if the capacity is below mtk_digest_size(alg)
 * (nothing is written), MTK_ERR_ARG for an unknown |alg| or NULL pointers
 * (|data| may be NULL when |len| is 0), MTK_ERR_CRYPTO if OpenSSL fails.
 * SHA-1 is offered for fingerprints only (the "SHA1 Fingerprint" users know),
 * not as a security decision. */
MTK_EXPORT mtk_status mtk_digest(mtk_digest_alg alg, const uint8_t *data, size_t len,
                                 uint8_t *out, size_t *out_len) MTK_MUST_CHECK;

/* MTK_SPKI_PIN_SIZE is the buffer size mtk_spki_pin needs: "sha256//", 44
 * base64 characters and the NUL. */
#define MTK_SPKI_PIN_SIZE 53

/* mtk_spki_pin writes the public-key pin of |spki_der| into |buf| as the
 * NUL-terminated string "sha256//" followed by the standard base64 (RFC 4648
 * section 4, with padding) of the SHA-256 of the DER SubjectPublicKeyInfo.
 * This is the form curl's --pinnedpubkey (CURLOPT_PINNEDPUBLICKEY) takes;
 * the base64 part is also the pin-sha256 value of RFC 7469 section 2.4, and
 * equals `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der |
 * openssl dgst -sha256 -binary | base64`.
 *
 * |spki_der| must be the whole SubjectPublicKeyInfo element (tag and length
 * included): the outer DER framing is checked (one SEQUENCE, nothing after
 * it; MTK_ERR_X509_SPKI otherwise) but the contents are not, so the pin of a
 * key OpenSSL cannot load is still computed. MTK_ERR_BUFFER if |cap| is
 * below MTK_SPKI_PIN_SIZE (then |buf| is set to "" when |cap| > 0). */
MTK_EXPORT mtk_status mtk_spki_pin(const uint8_t *spki_der, size_t len, char *buf,
                                   size_t cap) MTK_MUST_CHECK;

/* mtk_hex_colon writes |len| bytes as upper-case hex pairs separated by
 * colons ("AB:01:FF", as `openssl x509 -fingerprint` prints them) into |buf|,
 * NUL-terminated. |cap| must be at least 3 * |len| (1 when |len| is 0);
 * otherwise MTK_ERR_BUFFER and |buf| is set to "" when |cap| > 0. */
MTK_EXPORT mtk_status mtk_hex_colon(const uint8_t *data, size_t len, char *buf,
                                    size_t cap) MTK_MUST_CHECK;

/* ---- weak RSA moduli ----------------------------------------------------- */

/* Which tests mtk_rsa_weakness_checks runs (bits, combinable). */
#define MTK_RSA_CHECK_ROCA 0x1u
#define MTK_RSA_CHECK_SMALL_FACTOR 0x2u
#define MTK_RSA_CHECK_FERMAT 0x4u
#define MTK_RSA_CHECK_ALL 0x7u

/* MTK_RSA_FERMAT_ROUNDS is the number of Fermat iterations tried: the
 * CA/Browser Forum Baseline Requirements, section 6.1.1.3 (for requests on
 * or after 2024-11-15), require rejecting RSA keys that Fermat's
 * factorization method factors within 100 rounds ("Close Primes"). */
#define MTK_RSA_FERMAT_ROUNDS 100u

/* MTK_RSA_SMALL_FACTOR_BOUND: every prime below it is tried as a factor.
 * It covers the BR 6.1.6 recommendation that the modulus have "no factors
 * smaller than 752" (compare |factor| with 752 to apply that rule exactly). */
#define MTK_RSA_SMALL_FACTOR_BOUND 65536u

/* MTK_RSA_MAX_MODULUS_BYTES bounds the work per key: 16384 bits, OpenSSL's
 * own OPENSSL_RSA_MAX_MODULUS_BITS. */
#define MTK_RSA_MAX_MODULUS_BYTES 2048u

/* mtk_rsa_weak_result is what mtk_rsa_weakness found. A field belonging to
 * a test that was not run stays false / 0. */
typedef struct mtk_rsa_weak_result {
  size_t modulus_bits;    /* bit length of N */
  /* ROCA (CVE-2017-15361): N has the fingerprint of the Infineon RSALib key
   * generator (Nemec, Sys, Svenda, Klinec, Matyas, "The Return of
   * Coppersmith's Attack", ACM CCS 2017): for every odd prime p up to 167
   * (the primes of the smallest primorial RSALib uses) N mod p lies in the
   * subgroup of (Z/pZ)* generated by 65537. This is the test of the
   * authors' detector (github.com/crocs-muni/roca); BR 6.1.1.3 lists ROCA
   * among the weak keys a CA must reject. An unrelated modulus passes it
   * with probability about 2^-28 (the product over the primes of
   * |<65537>| / (p - 1)). A flagged key is almost certainly factorable;
   * the test does not factor it. */
  bool roca;
  /* N has a prime factor below MTK_RSA_SMALL_FACTOR_BOUND; |factor| is the
   * smallest one (2 for an even N; N itself if N is such a prime). */
  bool small_factor;
  uint32_t factor;
  /* N = p * q was factored by Fermat's method within MTK_RSA_FERMAT_ROUNDS
   * iterations (|p - q| is tiny, as with the "close primes" generators that
   * BR 6.1.1.3 names). |fermat_round| is the 0-based iteration that found
   * it: a = ceil(sqrt(N)) + fermat_round and a^2 - N is a square b^2,
   * p = a - b, q = a + b. A perfect square N = p^2 is found at round 0. */
  bool fermat;
  unsigned fermat_round;
} mtk_rsa_weak_result;

/* mtk_rsa_weakness runs all the weak-modulus tests (MTK_RSA_CHECK_ALL) on
 * the RSA modulus |n| (|n_len| big-endian bytes, as in the certificate's
 * RSAPublicKey INTEGER contents: leading zero octets are skipped). |*out| is
 * cleared first and filled on MTK_OK; a weakness is a finding in |*out|, not
 * an error status.
 *
 * Not checked: |n| is read as an unsigned magnitude, so a negative INTEGER
 * (high bit set without a leading zero) must be rejected by the parser
 * first; the public exponent is not looked at; "not the power of a prime"
 * (BR 6.1.6) is covered only for squares (Fermat round 0) and small primes;
 * the Debian OpenSSL (CVE-2008-0166) blocklist is not consulted.
 *
 * Errors: MTK_ERR_ARG (NULL pointer), MTK_ERR_DER_RANGE (N is 0 or 1),
 * MTK_ERR_LIMIT (N wider than MTK_RSA_MAX_MODULUS_BYTES), MTK_ERR_NOMEM.
 * Cost for a 2048-bit N: well under a millisecond (see keys_test). */
MTK_EXPORT mtk_status mtk_rsa_weakness(const uint8_t *n, size_t n_len,
                                       mtk_rsa_weak_result *out) MTK_MUST_CHECK;

/* mtk_rsa_weakness_checks is mtk_rsa_weakness running only the tests named
 * in |checks| (MTK_RSA_CHECK_* bits; other bits are MTK_ERR_ARG). */
MTK_EXPORT mtk_status mtk_rsa_weakness_checks(const uint8_t *n, size_t n_len, unsigned checks,
                                              mtk_rsa_weak_result *out) MTK_MUST_CHECK;

/* ---- signatures ---------------------------------------------------------- */

/* mtk_verify_signature checks that |sig| is a signature of |tbs| under the
 * public key |spki_der| with the algorithm |algid_der|.
 *
 * |tbs| is the signed bytes (the whole TBSCertificate / CertificationRequest
 * Info / TBSCertList element); |algid_der| the whole signatureAlgorithm
 * AlgorithmIdentifier element; |sig| the signature BIT STRING contents after
 * the unused-bits octet; |spki_der| the whole SubjectPublicKeyInfo element of
 * the signer. All are borrowed for the call only.
 *
 * Algorithms (the OID is mapped here, not by OpenSSL):
 *  - RSA PKCS#1 v1.5 with MD5, SHA-1, SHA-224/256/384/512 (RFC 3279 2.2.1,
 *    RFC 4055 5); parameters NULL or absent (RFC 4055 5 says NULL; absent is
 *    accepted here and left to the linter). Needs an rsaEncryption key.
 *  - RSASSA-PSS (RFC 4055 3.1): the parameters must be present;
 *    hashAlgorithm [0] (SHA-1/224/256/384/512; hash parameters NULL or
 *    absent), maskGenAlgorithm [1] (MGF1 only, with such a hash), saltLength
 *    [2], trailerField [3] (must be 1), with the RFC defaults SHA-1, MGF1
 *    with SHA-1, 20, 1. The salt length is checked exactly. Works with an
 *    rsaEncryption key or an id-RSASSA-PSS key (whose own restrictions
 *    OpenSSL enforces: a violation is MTK_ERR_SIG_INVALID). A DEFAULT value
 *    that is encoded is accepted here (a DER lint, not a verification fault).
 *  - ECDSA with SHA-1, SHA-224/256/384/512 (RFC 5758 3.2, RFC 3279 2.2.3);
 *    DSA with SHA-1, SHA-224, SHA-256 (RFC 3279 2.2.2, RFC 5758 3.1);
 *    Ed25519 and Ed448 (RFC 8410 3, pure EdDSA). For all these the
 *    parameters must be absent.
 *
 * Returns MTK_OK if the signature verifies; MTK_ERR_SIG_INVALID if it does
 * not, including when the key's type does not fit the algorithm (an EC key
 * under sha256WithRSAEncryption) or is too small for the digest;
 * MTK_ERR_SIG_UNSUPPORTED for an unknown OID (MD2, SHA-3, ML-DSA, SLH-DSA,
 * GOST, SM2 ... on OpenSSL 3.0), a PSS hash or MGF outside the list, a
 * trailerField other than 1, or a digest the OpenSSL configuration refuses
 * (MD5 under a FIPS provider); MTK_ERR_X509_ALGID if |algid_der| is not one
 * DER AlgorithmIdentifier or its parameters are malformed or not allowed for
 * the algorithm; MTK_ERR_KEY_PARSE if OpenSSL cannot load |spki_der| (or
 * bytes follow it); MTK_ERR_ARG for NULL pointers with non-zero lengths;
 * MTK_ERR_NOMEM.
 *
 * Not checked: whether the algorithm or key size is acceptable by policy
 * (SHA-1, MD5, RSA-1024 verify fine here: that is the linter's call), and
 * whether the signatureAlgorithm fields inside and outside the TBS agree. */
MTK_EXPORT mtk_status mtk_verify_signature(const uint8_t *tbs, size_t tbs_len,
                                           const uint8_t *algid_der, size_t algid_len,
                                           const uint8_t *sig, size_t sig_len,
                                           const uint8_t *spki_der,
                                           size_t spki_len) MTK_MUST_CHECK;

/* ---- private keys ------------------------------------------------------ */

/* MTK_KEY_FILE_MAX bounds the private key file bytes accepted (1 MiB). */
#define MTK_KEY_FILE_MAX ((size_t)1 << 20)

/* mtk_private_key_matches_spki loads the private key in |key_file| and sets
 * |*match| to whether its public half is the key in |spki_der| (the whole
 * SubjectPublicKeyInfo element, e.g. from the certificate).
 *
 * |key_file| is the content of a key file, PEM or DER: PKCS#8
 * PrivateKeyInfo ("PRIVATE KEY"), or the traditional "RSA PRIVATE KEY"
 * (PKCS#1) and "EC PRIVATE KEY" (RFC 5915) forms, of any key type OpenSSL's
 * decoders know (RSA, RSA-PSS, EC, Ed25519, Ed448, DSA ...). In PEM the
 * first block must be the key (a certificate before it is not skipped).
 * Matching compares the DER public key OpenSSL derives from the private key
 * with |spki_der|, byte for byte, and falls back to EVP_PKEY_eq on the
 * loaded public key, so an equivalent but differently encoded SPKI (a
 * compressed EC point) still matches.
 *
 * Encrypted keys are not supported: no passphrase is ever asked for (no
 * prompt, no callback to the caller), and an encrypted key ("ENCRYPTED
 * PRIVATE KEY", or "Proc-Type: 4,ENCRYPTED" PEM) fails with
 * MTK_ERR_KEY_PARSE like any unreadable key. Use
 * mtk_private_key_is_encrypted to tell the two apart for the message.
 *
 * Returns MTK_OK (and |*match|); MTK_ERR_KEY_PARSE if |key_file| holds no
 * private key OpenSSL can decode (a public key alone is refused);
 * MTK_ERR_X509_SPKI if OpenSSL cannot load |spki_der| and its bytes differ;
 * MTK_ERR_INPUT_TOO_LARGE beyond MTK_KEY_FILE_MAX; MTK_ERR_ARG; MTK_ERR_NOMEM.
 * |*match| is false on any error. The private key lives only inside OpenSSL
 * objects, which clear it when freed; this module copies no private bytes.
 * Not checked: whether the key pair is internally consistent (d against n:
 * EVP_PKEY_pairwise_check), or key strength. */
MTK_EXPORT mtk_status mtk_private_key_matches_spki(const uint8_t *key_file, size_t len,
                                                   const uint8_t *spki_der, size_t spki_len,
                                                   bool *match) MTK_MUST_CHECK;

/* mtk_private_key_is_encrypted sets |*encrypted| to whether OpenSSL's
 * decoders found |key_file| to be a passphrase-protected key (they asked
 * for a passphrase, which was refused). MTK_OK with false means the key
 * decoded without one; MTK_ERR_KEY_PARSE means it is not a readable key
 * either way; limits as mtk_private_key_matches_spki. */
MTK_EXPORT mtk_status mtk_private_key_is_encrypted(const uint8_t *key_file, size_t len,
                                                   bool *encrypted) MTK_MUST_CHECK;

/* ---- key facts ------------------------------------------------------------ */

/* mtk_spki_key_bits loads |spki_der| (the whole SubjectPublicKeyInfo element)
 * with OpenSSL and sets |*bits| to EVP_PKEY_get_bits: the modulus size for
 * RSA and DSA, the field size for EC (256 for P-256), 256 for Ed25519 and
 * 456 for Ed448 (OpenSSL's values). It is OpenSSL's view, meant as the oracle of differential
 * tests against the X.509 parser. MTK_ERR_KEY_PARSE if OpenSSL cannot load
 * the key or bytes follow it. */
MTK_EXPORT mtk_status mtk_spki_key_bits(const uint8_t *spki_der, size_t len,
                                        int *bits) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_KEYS_H */

/* mtlskit/oid.h: object identifiers by name.
 *
 * One table (MTK_OID_LIST) gives every OID mtlskit knows: an enum id, the
 * dotted form, a short name (as OpenSSL and RFCs spell it) and a
 * descriptive name. Lookups take the DER contents of an OBJECT IDENTIFIER
 * (no tag or length) and never allocate. The table is append-friendly: ids
 * are not part of any output; outputs use the dotted form and the names. */
#ifndef MTLSKIT_OID_H
#define MTLSKIT_OID_H

#include <stdbool.h>
#include <stddef.h>

#include "mtlskit/der.h"
#include "mtlskit/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(id, dotted, short name, long name). Grouped by family. */
#define MTK_OID_LIST(X)                                                                    \
  /* public key algorithms */                                                              \
  X(MTK_OID_RSA_ENCRYPTION, "1.2.840.113549.1.1.1", "rsaEncryption", "RSA")                \
  X(MTK_OID_RSASSA_PSS, "1.2.840.113549.1.1.10", "RSASSA-PSS", "RSA-PSS")                  \
  X(MTK_OID_RSAES_OAEP, "1.2.840.113549.1.1.7", "RSAES-OAEP", "RSA-OAEP")                  \
  X(MTK_OID_EC_PUBLIC_KEY, "1.2.840.10045.2.1", "id-ecPublicKey", "Elliptic curve")        \
  X(MTK_OID_DSA, "1.2.840.10040.4.1", "id-dsa", "DSA")                                     \
  X(MTK_OID_DH, "1.2.840.10046.2.1", "dhpublicnumber", "Diffie-Hellman")                   \
  X(MTK_OID_ED25519, "1.3.101.112", "Ed25519", "Ed25519")                                  \
  X(MTK_OID_ED448, "1.3.101.113", "Ed448", "Ed448")                                        \
  X(MTK_OID_X25519, "1.3.101.110", "X25519", "X25519")                                     \
  X(MTK_OID_X448, "1.3.101.111", "X448", "X448")                                           \
  X(MTK_OID_ML_DSA_44, "2.16.840.1.101.3.4.3.17", "id-ml-dsa-44", "ML-DSA-44")             \
  X(MTK_OID_ML_DSA_65, "2.16.840.1.101.3.4.3.18", "id-ml-dsa-65", "ML-DSA-65")             \
  X(MTK_OID_ML_DSA_87, "2.16.840.1.101.3.4.3.19", "id-ml-dsa-87", "ML-DSA-87")             \
  X(MTK_OID_ML_KEM_512, "2.16.840.1.101.3.4.4.1", "id-alg-ml-kem-512", "ML-KEM-512")       \
  X(MTK_OID_ML_KEM_768, "2.16.840.1.101.3.4.4.2", "id-alg-ml-kem-768", "ML-KEM-768")       \
  X(MTK_OID_ML_KEM_1024, "2.16.840.1.101.3.4.4.3", "id-alg-ml-kem-1024", "ML-KEM-1024")    \
  X(MTK_OID_RSA_X500, "2.5.8.1.1", "rsa", "RSA (X.500 algorithm)")                         \
  X(MTK_OID_DH_PKCS3, "1.2.840.113549.1.3.1", "dhKeyAgreement", "Diffie-Hellman (PKCS#3)") \
  X(MTK_OID_ECDH, "1.3.132.1.12", "id-ecDH", "Elliptic curve Diffie-Hellman")              \
  X(MTK_OID_ECMQV, "1.3.132.1.13", "id-ecMQV", "Elliptic curve MQV")                       \
  X(MTK_OID_SLH_DSA_SHA2_128S, "2.16.840.1.101.3.4.3.20", "id-slh-dsa-sha2-128s", "SLH-DSA-SHA2-128s") \
  X(MTK_OID_SLH_DSA_SHA2_128F, "2.16.840.1.101.3.4.3.21", "id-slh-dsa-sha2-128f", "SLH-DSA-SHA2-128f") \
  X(MTK_OID_SLH_DSA_SHA2_192S, "2.16.840.1.101.3.4.3.22", "id-slh-dsa-sha2-192s", "SLH-DSA-SHA2-192s") \
  X(MTK_OID_SLH_DSA_SHA2_192F, "2.16.840.1.101.3.4.3.23", "id-slh-dsa-sha2-192f", "SLH-DSA-SHA2-192f") \
  X(MTK_OID_SLH_DSA_SHA2_256S, "2.16.840.1.101.3.4.3.24", "id-slh-dsa-sha2-256s", "SLH-DSA-SHA2-256s") \
  X(MTK_OID_SLH_DSA_SHA2_256F, "2.16.840.1.101.3.4.3.25", "id-slh-dsa-sha2-256f", "SLH-DSA-SHA2-256f") \
  X(MTK_OID_SLH_DSA_SHAKE_128S, "2.16.840.1.101.3.4.3.26", "id-slh-dsa-shake-128s", "SLH-DSA-SHAKE-128s") \
  X(MTK_OID_SLH_DSA_SHAKE_128F, "2.16.840.1.101.3.4.3.27", "id-slh-dsa-shake-128f", "SLH-DSA-SHAKE-128f") \
  X(MTK_OID_SLH_DSA_SHAKE_192S, "2.16.840.1.101.3.4.3.28", "id-slh-dsa-shake-192s", "SLH-DSA-SHAKE-192s") \
  X(MTK_OID_SLH_DSA_SHAKE_192F, "2.16.840.1.101.3.4.3.29", "id-slh-dsa-shake-192f", "SLH-DSA-SHAKE-192f") \
  X(MTK_OID_SLH_DSA_SHAKE_256S, "2.16.840.1.101.3.4.3.30", "id-slh-dsa-shake-256s", "SLH-DSA-SHAKE-256s") \
  X(MTK_OID_SLH_DSA_SHAKE_256F, "2.16.840.1.101.3.4.3.31", "id-slh-dsa-shake-256f", "SLH-DSA-SHAKE-256f") \
  X(MTK_OID_HSS_LMS, "1.2.840.113549.1.9.16.3.17", "id-alg-hss-lms-hashsig", "HSS/LMS hash-based signature") \
  X(MTK_OID_XMSS, "1.3.6.1.5.5.7.6.34", "id-alg-xmss-hashsig", "XMSS hash-based signature") \
  X(MTK_OID_XMSSMT, "1.3.6.1.5.5.7.6.35", "id-alg-xmssmt-hashsig", "XMSS^MT hash-based signature") \
  X(MTK_OID_GOST2001, "1.2.643.2.2.19", "gost2001", "GOST R 34.10-2001")                   \
  X(MTK_OID_GOST2012_256, "1.2.643.7.1.1.1.1", "gost2012_256", "GOST R 34.10-2012 (256 bit)") \
  X(MTK_OID_GOST2012_512, "1.2.643.7.1.1.1.2", "gost2012_512", "GOST R 34.10-2012 (512 bit)") \
  /* signature algorithms */                                                               \
  X(MTK_OID_MD2_RSA, "1.2.840.113549.1.1.2", "md2WithRSAEncryption", "RSA with MD2")       \
  X(MTK_OID_MD5_RSA, "1.2.840.113549.1.1.4", "md5WithRSAEncryption", "RSA with MD5")       \
  X(MTK_OID_SHA1_RSA, "1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "RSA with SHA-1")   \
  X(MTK_OID_SHA224_RSA, "1.2.840.113549.1.1.14", "sha224WithRSAEncryption", "RSA with SHA-224") \
  X(MTK_OID_SHA256_RSA, "1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "RSA with SHA-256") \
  X(MTK_OID_SHA384_RSA, "1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "RSA with SHA-384") \
  X(MTK_OID_SHA512_RSA, "1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "RSA with SHA-512") \
  X(MTK_OID_ECDSA_SHA1, "1.2.840.10045.4.1", "ecdsa-with-SHA1", "ECDSA with SHA-1")        \
  X(MTK_OID_ECDSA_SHA224, "1.2.840.10045.4.3.1", "ecdsa-with-SHA224", "ECDSA with SHA-224") \
  X(MTK_OID_ECDSA_SHA256, "1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "ECDSA with SHA-256") \
  X(MTK_OID_ECDSA_SHA384, "1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "ECDSA with SHA-384") \
  X(MTK_OID_ECDSA_SHA512, "1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "ECDSA with SHA-512") \
  X(MTK_OID_DSA_SHA1, "1.2.840.10040.4.3", "dsa-with-sha1", "DSA with SHA-1")              \
  X(MTK_OID_DSA_SHA256, "2.16.840.1.101.3.4.3.2", "dsa-with-sha256", "DSA with SHA-256")   \
  X(MTK_OID_MD4_RSA, "1.2.840.113549.1.1.3", "md4WithRSAEncryption", "RSA with MD4")       \
  X(MTK_OID_SHA512_224_RSA, "1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption", "RSA with SHA-512/224") \
  X(MTK_OID_SHA512_256_RSA, "1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption", "RSA with SHA-512/256") \
  X(MTK_OID_SHA3_224_RSA, "2.16.840.1.101.3.4.3.13", "id-rsassa-pkcs1-v1_5-with-sha3-224", "RSA with SHA3-224") \
  X(MTK_OID_SHA3_256_RSA, "2.16.840.1.101.3.4.3.14", "id-rsassa-pkcs1-v1_5-with-sha3-256", "RSA with SHA3-256") \
  X(MTK_OID_SHA3_384_RSA, "2.16.840.1.101.3.4.3.15", "id-rsassa-pkcs1-v1_5-with-sha3-384", "RSA with SHA3-384") \
  X(MTK_OID_SHA3_512_RSA, "2.16.840.1.101.3.4.3.16", "id-rsassa-pkcs1-v1_5-with-sha3-512", "RSA with SHA3-512") \
  X(MTK_OID_RIPEMD160_RSA, "1.3.36.3.3.1.2", "ripemd160WithRSA", "RSA with RIPEMD-160")    \
  X(MTK_OID_SHA1_RSA_OIW, "1.3.14.3.2.29", "sha1WithRSA", "RSA with SHA-1 (OIW)")          \
  X(MTK_OID_MD5_RSA_OIW, "1.3.14.3.2.3", "md5WithRSA", "RSA with MD5 (OIW)")               \
  X(MTK_OID_RSASSA_PSS_SHAKE128, "1.3.6.1.5.5.7.6.30", "id-RSASSA-PSS-SHAKE128", "RSA-PSS with SHAKE128") \
  X(MTK_OID_RSASSA_PSS_SHAKE256, "1.3.6.1.5.5.7.6.31", "id-RSASSA-PSS-SHAKE256", "RSA-PSS with SHAKE256") \
  X(MTK_OID_ECDSA_RECOMMENDED, "1.2.840.10045.4.2", "ecdsa-with-Recommended", "ECDSA with the recommended hash") \
  X(MTK_OID_ECDSA_SPECIFIED, "1.2.840.10045.4.3", "ecdsa-with-Specified", "ECDSA with a specified hash") \
  X(MTK_OID_ECDSA_SHA3_224, "2.16.840.1.101.3.4.3.9", "id-ecdsa-with-sha3-224", "ECDSA with SHA3-224") \
  X(MTK_OID_ECDSA_SHA3_256, "2.16.840.1.101.3.4.3.10", "id-ecdsa-with-sha3-256", "ECDSA with SHA3-256") \
  X(MTK_OID_ECDSA_SHA3_384, "2.16.840.1.101.3.4.3.11", "id-ecdsa-with-sha3-384", "ECDSA with SHA3-384") \
  X(MTK_OID_ECDSA_SHA3_512, "2.16.840.1.101.3.4.3.12", "id-ecdsa-with-sha3-512", "ECDSA with SHA3-512") \
  X(MTK_OID_ECDSA_SHAKE128, "1.3.6.1.5.5.7.6.32", "id-ecdsa-with-shake128", "ECDSA with SHAKE128") \
  X(MTK_OID_ECDSA_SHAKE256, "1.3.6.1.5.5.7.6.33", "id-ecdsa-with-shake256", "ECDSA with SHAKE256") \
  X(MTK_OID_DSA_SHA1_OIW, "1.3.14.3.2.27", "dsaWithSHA1", "DSA with SHA-1 (OIW)")          \
  X(MTK_OID_DSA_SHA224, "2.16.840.1.101.3.4.3.1", "dsa-with-sha224", "DSA with SHA-224")   \
  X(MTK_OID_DSA_SHA384, "2.16.840.1.101.3.4.3.3", "dsa-with-sha384", "DSA with SHA-384")   \
  X(MTK_OID_DSA_SHA512, "2.16.840.1.101.3.4.3.4", "dsa-with-sha512", "DSA with SHA-512")   \
  X(MTK_OID_DSA_SHA3_224, "2.16.840.1.101.3.4.3.5", "id-dsa-with-sha3-224", "DSA with SHA3-224") \
  X(MTK_OID_DSA_SHA3_256, "2.16.840.1.101.3.4.3.6", "id-dsa-with-sha3-256", "DSA with SHA3-256") \
  X(MTK_OID_DSA_SHA3_384, "2.16.840.1.101.3.4.3.7", "id-dsa-with-sha3-384", "DSA with SHA3-384") \
  X(MTK_OID_DSA_SHA3_512, "2.16.840.1.101.3.4.3.8", "id-dsa-with-sha3-512", "DSA with SHA3-512") \
  X(MTK_OID_HASH_ML_DSA_44_SHA512, "2.16.840.1.101.3.4.3.32", "id-hash-ml-dsa-44-with-sha512", "HashML-DSA-44 with SHA-512") \
  X(MTK_OID_HASH_ML_DSA_65_SHA512, "2.16.840.1.101.3.4.3.33", "id-hash-ml-dsa-65-with-sha512", "HashML-DSA-65 with SHA-512") \
  X(MTK_OID_HASH_ML_DSA_87_SHA512, "2.16.840.1.101.3.4.3.34", "id-hash-ml-dsa-87-with-sha512", "HashML-DSA-87 with SHA-512") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_128S, "2.16.840.1.101.3.4.3.35", "id-hash-slh-dsa-sha2-128s-with-sha256", "HashSLH-DSA-SHA2-128s with SHA-256") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_128F, "2.16.840.1.101.3.4.3.36", "id-hash-slh-dsa-sha2-128f-with-sha256", "HashSLH-DSA-SHA2-128f with SHA-256") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_192S, "2.16.840.1.101.3.4.3.37", "id-hash-slh-dsa-sha2-192s-with-sha512", "HashSLH-DSA-SHA2-192s with SHA-512") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_192F, "2.16.840.1.101.3.4.3.38", "id-hash-slh-dsa-sha2-192f-with-sha512", "HashSLH-DSA-SHA2-192f with SHA-512") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_256S, "2.16.840.1.101.3.4.3.39", "id-hash-slh-dsa-sha2-256s-with-sha512", "HashSLH-DSA-SHA2-256s with SHA-512") \
  X(MTK_OID_HASH_SLH_DSA_SHA2_256F, "2.16.840.1.101.3.4.3.40", "id-hash-slh-dsa-sha2-256f-with-sha512", "HashSLH-DSA-SHA2-256f with SHA-512") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_128S, "2.16.840.1.101.3.4.3.41", "id-hash-slh-dsa-shake-128s-with-shake128", "HashSLH-DSA-SHAKE-128s with SHAKE128") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_128F, "2.16.840.1.101.3.4.3.42", "id-hash-slh-dsa-shake-128f-with-shake128", "HashSLH-DSA-SHAKE-128f with SHAKE128") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_192S, "2.16.840.1.101.3.4.3.43", "id-hash-slh-dsa-shake-192s-with-shake256", "HashSLH-DSA-SHAKE-192s with SHAKE256") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_192F, "2.16.840.1.101.3.4.3.44", "id-hash-slh-dsa-shake-192f-with-shake256", "HashSLH-DSA-SHAKE-192f with SHAKE256") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_256S, "2.16.840.1.101.3.4.3.45", "id-hash-slh-dsa-shake-256s-with-shake256", "HashSLH-DSA-SHAKE-256s with SHAKE256") \
  X(MTK_OID_HASH_SLH_DSA_SHAKE_256F, "2.16.840.1.101.3.4.3.46", "id-hash-slh-dsa-shake-256f-with-shake256", "HashSLH-DSA-SHAKE-256f with SHAKE256") \
  X(MTK_OID_SM2_SM3, "1.2.156.10197.1.501", "SM2-with-SM3", "SM2 with SM3")                \
  X(MTK_OID_GOST2001_GOST94, "1.2.643.2.2.3", "id-GostR3411-94-with-GostR3410-2001", "GOST R 34.10-2001 with GOST R 34.11-94") \
  X(MTK_OID_GOST2012_256_SIG, "1.2.643.7.1.1.3.2", "id-tc26-signwithdigest-gost3410-2012-256", "GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)") \
  X(MTK_OID_GOST2012_512_SIG, "1.2.643.7.1.1.3.3", "id-tc26-signwithdigest-gost3410-2012-512", "GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)") \
  /* hashes and MGF */                                                                     \
  X(MTK_OID_MD5, "1.2.840.113549.2.5", "md5", "MD5")                                       \
  X(MTK_OID_SHA1, "1.3.14.3.2.26", "sha1", "SHA-1")                                        \
  X(MTK_OID_SHA224, "2.16.840.1.101.3.4.2.4", "sha224", "SHA-224")                         \
  X(MTK_OID_SHA256, "2.16.840.1.101.3.4.2.1", "sha256", "SHA-256")                         \
  X(MTK_OID_SHA384, "2.16.840.1.101.3.4.2.2", "sha384", "SHA-384")                         \
  X(MTK_OID_SHA512, "2.16.840.1.101.3.4.2.3", "sha512", "SHA-512")                         \
  X(MTK_OID_MGF1, "1.2.840.113549.1.1.8", "mgf1", "MGF1")                                  \
  X(MTK_OID_MD2, "1.2.840.113549.2.2", "md2", "MD2")                                       \
  X(MTK_OID_MD4, "1.2.840.113549.2.4", "md4", "MD4")                                       \
  X(MTK_OID_SHA512_224, "2.16.840.1.101.3.4.2.5", "sha512-224", "SHA-512/224")             \
  X(MTK_OID_SHA512_256, "2.16.840.1.101.3.4.2.6", "sha512-256", "SHA-512/256")             \
  X(MTK_OID_SHA3_224, "2.16.840.1.101.3.4.2.7", "sha3-224", "SHA3-224")                    \
  X(MTK_OID_SHA3_256, "2.16.840.1.101.3.4.2.8", "sha3-256", "SHA3-256")                    \
  X(MTK_OID_SHA3_384, "2.16.840.1.101.3.4.2.9", "sha3-384", "SHA3-384")                    \
  X(MTK_OID_SHA3_512, "2.16.840.1.101.3.4.2.10", "sha3-512", "SHA3-512")                   \
  X(MTK_OID_SHAKE128, "2.16.840.1.101.3.4.2.11", "shake128", "SHAKE128")                   \
  X(MTK_OID_SHAKE256, "2.16.840.1.101.3.4.2.12", "shake256", "SHAKE256")                   \
  X(MTK_OID_RIPEMD160, "1.3.36.3.2.1", "ripemd160", "RIPEMD-160")                          \
  X(MTK_OID_SM3, "1.2.156.10197.1.401", "SM3", "SM3")                                      \
  X(MTK_OID_GOST94, "1.2.643.2.2.9", "md_gost94", "GOST R 34.11-94")                       \
  X(MTK_OID_STREEBOG_256, "1.2.643.7.1.1.2.2", "md_gost12_256", "GOST R 34.11-2012 (256 bit)") \
  X(MTK_OID_STREEBOG_512, "1.2.643.7.1.1.2.3", "md_gost12_512", "GOST R 34.11-2012 (512 bit)") \
  X(MTK_OID_P_SPECIFIED, "1.2.840.113549.1.1.9", "pSpecified", "OAEP pSpecified")          \
  /* named curves */                                                                       \
  X(MTK_OID_PRIME256V1, "1.2.840.10045.3.1.7", "prime256v1", "P-256")                      \
  X(MTK_OID_SECP384R1, "1.3.132.0.34", "secp384r1", "P-384")                               \
  X(MTK_OID_SECP521R1, "1.3.132.0.35", "secp521r1", "P-521")                               \
  X(MTK_OID_SECP224R1, "1.3.132.0.33", "secp224r1", "P-224")                               \
  X(MTK_OID_PRIME192V1, "1.2.840.10045.3.1.1", "prime192v1", "P-192")                      \
  X(MTK_OID_SECP256K1, "1.3.132.0.10", "secp256k1", "secp256k1")                           \
  X(MTK_OID_BRAINPOOLP256R1, "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", "brainpoolP256r1") \
  X(MTK_OID_BRAINPOOLP384R1, "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", "brainpoolP384r1") \
  X(MTK_OID_BRAINPOOLP512R1, "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", "brainpoolP512r1") \
  X(MTK_OID_PRIME192V2, "1.2.840.10045.3.1.2", "prime192v2", "prime192v2")                 \
  X(MTK_OID_PRIME192V3, "1.2.840.10045.3.1.3", "prime192v3", "prime192v3")                 \
  X(MTK_OID_PRIME239V1, "1.2.840.10045.3.1.4", "prime239v1", "prime239v1")                 \
  X(MTK_OID_PRIME239V2, "1.2.840.10045.3.1.5", "prime239v2", "prime239v2")                 \
  X(MTK_OID_PRIME239V3, "1.2.840.10045.3.1.6", "prime239v3", "prime239v3")                 \
  X(MTK_OID_SECP112R1, "1.3.132.0.6", "secp112r1", "secp112r1")                            \
  X(MTK_OID_SECP112R2, "1.3.132.0.7", "secp112r2", "secp112r2")                            \
  X(MTK_OID_SECP128R1, "1.3.132.0.28", "secp128r1", "secp128r1")                           \
  X(MTK_OID_SECP128R2, "1.3.132.0.29", "secp128r2", "secp128r2")                           \
  X(MTK_OID_SECP160K1, "1.3.132.0.9", "secp160k1", "secp160k1")                            \
  X(MTK_OID_SECP160R1, "1.3.132.0.8", "secp160r1", "secp160r1")                            \
  X(MTK_OID_SECP160R2, "1.3.132.0.30", "secp160r2", "secp160r2")                           \
  X(MTK_OID_SECP192K1, "1.3.132.0.31", "secp192k1", "secp192k1")                           \
  X(MTK_OID_SECP224K1, "1.3.132.0.32", "secp224k1", "secp224k1")                           \
  X(MTK_OID_SECT113R1, "1.3.132.0.4", "sect113r1", "sect113r1")                            \
  X(MTK_OID_SECT113R2, "1.3.132.0.5", "sect113r2", "sect113r2")                            \
  X(MTK_OID_SECT131R1, "1.3.132.0.22", "sect131r1", "sect131r1")                           \
  X(MTK_OID_SECT131R2, "1.3.132.0.23", "sect131r2", "sect131r2")                           \
  X(MTK_OID_SECT163K1, "1.3.132.0.1", "sect163k1", "K-163")                                \
  X(MTK_OID_SECT163R1, "1.3.132.0.2", "sect163r1", "sect163r1")                            \
  X(MTK_OID_SECT163R2, "1.3.132.0.15", "sect163r2", "B-163")                               \
  X(MTK_OID_SECT193R1, "1.3.132.0.24", "sect193r1", "sect193r1")                           \
  X(MTK_OID_SECT193R2, "1.3.132.0.25", "sect193r2", "sect193r2")                           \
  X(MTK_OID_SECT233K1, "1.3.132.0.26", "sect233k1", "K-233")                               \
  X(MTK_OID_SECT233R1, "1.3.132.0.27", "sect233r1", "B-233")                               \
  X(MTK_OID_SECT239K1, "1.3.132.0.3", "sect239k1", "sect239k1")                            \
  X(MTK_OID_SECT283K1, "1.3.132.0.16", "sect283k1", "K-283")                               \
  X(MTK_OID_SECT283R1, "1.3.132.0.17", "sect283r1", "B-283")                               \
  X(MTK_OID_SECT409K1, "1.3.132.0.36", "sect409k1", "K-409")                               \
  X(MTK_OID_SECT409R1, "1.3.132.0.37", "sect409r1", "B-409")                               \
  X(MTK_OID_SECT571K1, "1.3.132.0.38", "sect571k1", "K-571")                               \
  X(MTK_OID_SECT571R1, "1.3.132.0.39", "sect571r1", "B-571")                               \
  X(MTK_OID_C2PNB163V1, "1.2.840.10045.3.0.1", "c2pnb163v1", "c2pnb163v1")                 \
  X(MTK_OID_C2PNB163V2, "1.2.840.10045.3.0.2", "c2pnb163v2", "c2pnb163v2")                 \
  X(MTK_OID_C2PNB163V3, "1.2.840.10045.3.0.3", "c2pnb163v3", "c2pnb163v3")                 \
  X(MTK_OID_C2PNB176V1, "1.2.840.10045.3.0.4", "c2pnb176v1", "c2pnb176v1")                 \
  X(MTK_OID_C2TNB191V1, "1.2.840.10045.3.0.5", "c2tnb191v1", "c2tnb191v1")                 \
  X(MTK_OID_C2TNB191V2, "1.2.840.10045.3.0.6", "c2tnb191v2", "c2tnb191v2")                 \
  X(MTK_OID_C2TNB191V3, "1.2.840.10045.3.0.7", "c2tnb191v3", "c2tnb191v3")                 \
  X(MTK_OID_C2ONB191V4, "1.2.840.10045.3.0.8", "c2onb191v4", "c2onb191v4")                 \
  X(MTK_OID_C2ONB191V5, "1.2.840.10045.3.0.9", "c2onb191v5", "c2onb191v5")                 \
  X(MTK_OID_C2PNB208W1, "1.2.840.10045.3.0.10", "c2pnb208w1", "c2pnb208w1")                \
  X(MTK_OID_C2TNB239V1, "1.2.840.10045.3.0.11", "c2tnb239v1", "c2tnb239v1")                \
  X(MTK_OID_C2TNB239V2, "1.2.840.10045.3.0.12", "c2tnb239v2", "c2tnb239v2")                \
  X(MTK_OID_C2TNB239V3, "1.2.840.10045.3.0.13", "c2tnb239v3", "c2tnb239v3")                \
  X(MTK_OID_C2ONB239V4, "1.2.840.10045.3.0.14", "c2onb239v4", "c2onb239v4")                \
  X(MTK_OID_C2ONB239V5, "1.2.840.10045.3.0.15", "c2onb239v5", "c2onb239v5")                \
  X(MTK_OID_C2PNB272W1, "1.2.840.10045.3.0.16", "c2pnb272w1", "c2pnb272w1")                \
  X(MTK_OID_C2PNB304W1, "1.2.840.10045.3.0.17", "c2pnb304w1", "c2pnb304w1")                \
  X(MTK_OID_C2TNB359V1, "1.2.840.10045.3.0.18", "c2tnb359v1", "c2tnb359v1")                \
  X(MTK_OID_C2PNB368W1, "1.2.840.10045.3.0.19", "c2pnb368w1", "c2pnb368w1")                \
  X(MTK_OID_C2TNB431R1, "1.2.840.10045.3.0.20", "c2tnb431r1", "c2tnb431r1")                \
  X(MTK_OID_BRAINPOOLP160R1, "1.3.36.3.3.2.8.1.1.1", "brainpoolP160r1", "brainpoolP160r1") \
  X(MTK_OID_BRAINPOOLP160T1, "1.3.36.3.3.2.8.1.1.2", "brainpoolP160t1", "brainpoolP160t1") \
  X(MTK_OID_BRAINPOOLP192R1, "1.3.36.3.3.2.8.1.1.3", "brainpoolP192r1", "brainpoolP192r1") \
  X(MTK_OID_BRAINPOOLP192T1, "1.3.36.3.3.2.8.1.1.4", "brainpoolP192t1", "brainpoolP192t1") \
  X(MTK_OID_BRAINPOOLP224R1, "1.3.36.3.3.2.8.1.1.5", "brainpoolP224r1", "brainpoolP224r1") \
  X(MTK_OID_BRAINPOOLP224T1, "1.3.36.3.3.2.8.1.1.6", "brainpoolP224t1", "brainpoolP224t1") \
  X(MTK_OID_BRAINPOOLP256T1, "1.3.36.3.3.2.8.1.1.8", "brainpoolP256t1", "brainpoolP256t1") \
  X(MTK_OID_BRAINPOOLP320R1, "1.3.36.3.3.2.8.1.1.9", "brainpoolP320r1", "brainpoolP320r1") \
  X(MTK_OID_BRAINPOOLP320T1, "1.3.36.3.3.2.8.1.1.10", "brainpoolP320t1", "brainpoolP320t1") \
  X(MTK_OID_BRAINPOOLP384T1, "1.3.36.3.3.2.8.1.1.12", "brainpoolP384t1", "brainpoolP384t1") \
  X(MTK_OID_BRAINPOOLP512T1, "1.3.36.3.3.2.8.1.1.14", "brainpoolP512t1", "brainpoolP512t1") \
  X(MTK_OID_SM2, "1.2.156.10197.1.301", "SM2", "SM2 curve")                                \
  /* name attributes (X.520, RFC 4519, PKCS#9) */                                          \
  X(MTK_OID_AT_CN, "2.5.4.3", "CN", "commonName")                                          \
  X(MTK_OID_AT_SURNAME, "2.5.4.4", "SN", "surname")                                        \
  X(MTK_OID_AT_SERIAL_NUMBER, "2.5.4.5", "serialNumber", "serialNumber")                   \
  X(MTK_OID_AT_C, "2.5.4.6", "C", "countryName")                                           \
  X(MTK_OID_AT_L, "2.5.4.7", "L", "localityName")                                          \
  X(MTK_OID_AT_ST, "2.5.4.8", "ST", "stateOrProvinceName")                                 \
  X(MTK_OID_AT_STREET, "2.5.4.9", "street", "streetAddress")                               \
  X(MTK_OID_AT_O, "2.5.4.10", "O", "organizationName")                                     \
  X(MTK_OID_AT_OU, "2.5.4.11", "OU", "organizationalUnitName")                             \
  X(MTK_OID_AT_TITLE, "2.5.4.12", "title", "title")                                        \
  X(MTK_OID_AT_DESCRIPTION, "2.5.4.13", "description", "description")                      \
  X(MTK_OID_AT_BUSINESS_CATEGORY, "2.5.4.15", "businessCategory", "businessCategory")      \
  X(MTK_OID_AT_POSTAL_CODE, "2.5.4.17", "postalCode", "postalCode")                        \
  X(MTK_OID_AT_GIVEN_NAME, "2.5.4.42", "GN", "givenName")                                  \
  X(MTK_OID_AT_INITIALS, "2.5.4.43", "initials", "initials")                               \
  X(MTK_OID_AT_GENERATION_QUALIFIER, "2.5.4.44", "generationQualifier", "generationQualifier") \
  X(MTK_OID_AT_DN_QUALIFIER, "2.5.4.46", "dnQualifier", "dnQualifier")                     \
  X(MTK_OID_AT_PSEUDONYM, "2.5.4.65", "pseudonym", "pseudonym")                            \
  X(MTK_OID_AT_ORG_IDENTIFIER, "2.5.4.97", "organizationIdentifier", "organizationIdentifier") \
  X(MTK_OID_AT_NAME, "2.5.4.41", "name", "name")                                           \
  X(MTK_OID_DC, "0.9.2342.19200300.100.1.25", "DC", "domainComponent")                     \
  X(MTK_OID_UID, "0.9.2342.19200300.100.1.1", "UID", "userId")                             \
  X(MTK_OID_EMAIL_ADDRESS, "1.2.840.113549.1.9.1", "emailAddress", "emailAddress")         \
  X(MTK_OID_UNSTRUCTURED_NAME, "1.2.840.113549.1.9.2", "unstructuredName", "unstructuredName") \
  X(MTK_OID_CHALLENGE_PASSWORD, "1.2.840.113549.1.9.7", "challengePassword", "challengePassword") \
  X(MTK_OID_EXTENSION_REQUEST, "1.2.840.113549.1.9.14", "extensionRequest", "extensionRequest") \
  X(MTK_OID_JURIS_L, "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", "jurisdictionLocalityName") \
  X(MTK_OID_JURIS_ST, "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST", "jurisdictionStateOrProvinceName") \
  X(MTK_OID_JURIS_C, "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", "jurisdictionCountryName") \
  X(MTK_OID_AT_KNOWLEDGE_INFORMATION, "2.5.4.2", "knowledgeInformation", "knowledgeInformation") \
  X(MTK_OID_AT_SEARCH_GUIDE, "2.5.4.14", "searchGuide", "searchGuide")                     \
  X(MTK_OID_AT_POSTAL_ADDRESS, "2.5.4.16", "postalAddress", "postalAddress")               \
  X(MTK_OID_AT_POST_OFFICE_BOX, "2.5.4.18", "postOfficeBox", "postOfficeBox")              \
  X(MTK_OID_AT_PHYSICAL_DELIVERY_OFFICE_NAME, "2.5.4.19", "physicalDeliveryOfficeName", "physicalDeliveryOfficeName") \
  X(MTK_OID_AT_TELEPHONE_NUMBER, "2.5.4.20", "telephoneNumber", "telephoneNumber")         \
  X(MTK_OID_AT_TELEX_NUMBER, "2.5.4.21", "telexNumber", "telexNumber")                     \
  X(MTK_OID_AT_TELETEX_TERMINAL_IDENTIFIER, "2.5.4.22", "teletexTerminalIdentifier", "teletexTerminalIdentifier") \
  X(MTK_OID_AT_FACSIMILE_TELEPHONE_NUMBER, "2.5.4.23", "facsimileTelephoneNumber", "facsimileTelephoneNumber") \
  X(MTK_OID_AT_X121_ADDRESS, "2.5.4.24", "x121Address", "x121Address")                     \
  X(MTK_OID_AT_INTERNATIONAL_ISDN_NUMBER, "2.5.4.25", "internationaliSDNNumber", "internationaliSDNNumber") \
  X(MTK_OID_AT_REGISTERED_ADDRESS, "2.5.4.26", "registeredAddress", "registeredAddress")   \
  X(MTK_OID_AT_DESTINATION_INDICATOR, "2.5.4.27", "destinationIndicator", "destinationIndicator") \
  X(MTK_OID_AT_PREFERRED_DELIVERY_METHOD, "2.5.4.28", "preferredDeliveryMethod", "preferredDeliveryMethod") \
  X(MTK_OID_AT_PRESENTATION_ADDRESS, "2.5.4.29", "presentationAddress", "presentationAddress") \
  X(MTK_OID_AT_SUPPORTED_APPLICATION_CONTEXT, "2.5.4.30", "supportedApplicationContext", "supportedApplicationContext") \
  X(MTK_OID_AT_MEMBER, "2.5.4.31", "member", "member")                                     \
  X(MTK_OID_AT_OWNER, "2.5.4.32", "owner", "owner")                                        \
  X(MTK_OID_AT_ROLE_OCCUPANT, "2.5.4.33", "roleOccupant", "roleOccupant")                  \
  X(MTK_OID_AT_SEE_ALSO, "2.5.4.34", "seeAlso", "seeAlso")                                 \
  X(MTK_OID_AT_USER_PASSWORD, "2.5.4.35", "userPassword", "userPassword")                  \
  X(MTK_OID_AT_X500_UNIQUE_IDENTIFIER, "2.5.4.45", "x500UniqueIdentifier", "x500UniqueIdentifier") \
  X(MTK_OID_AT_ENHANCED_SEARCH_GUIDE, "2.5.4.47", "enhancedSearchGuide", "enhancedSearchGuide") \
  X(MTK_OID_AT_PROTOCOL_INFORMATION, "2.5.4.48", "protocolInformation", "protocolInformation") \
  X(MTK_OID_AT_DISTINGUISHED_NAME, "2.5.4.49", "distinguishedName", "distinguishedName")   \
  X(MTK_OID_AT_UNIQUE_MEMBER, "2.5.4.50", "uniqueMember", "uniqueMember")                  \
  X(MTK_OID_AT_HOUSE_IDENTIFIER, "2.5.4.51", "houseIdentifier", "houseIdentifier")         \
  X(MTK_OID_AT_DMD_NAME, "2.5.4.54", "dmdName", "dmdName")                                 \
  X(MTK_OID_AT_ROLE, "2.5.4.72", "role", "role")                                           \
  X(MTK_OID_AT_COUNTRY_CODE_3C, "2.5.4.98", "countryCode3c", "countryCode3c")              \
  X(MTK_OID_AT_COUNTRY_CODE_3N, "2.5.4.99", "countryCode3n", "countryCode3n")              \
  X(MTK_OID_AT_DNS_NAME, "2.5.4.100", "dnsName", "dnsName")                                \
  X(MTK_OID_MAIL, "0.9.2342.19200300.100.1.3", "mail", "rfc822Mailbox")                    \
  X(MTK_OID_CONTENT_TYPE, "1.2.840.113549.1.9.3", "contentType", "contentType")            \
  X(MTK_OID_MESSAGE_DIGEST, "1.2.840.113549.1.9.4", "messageDigest", "messageDigest")      \
  X(MTK_OID_SIGNING_TIME, "1.2.840.113549.1.9.5", "signingTime", "signingTime")            \
  X(MTK_OID_UNSTRUCTURED_ADDRESS, "1.2.840.113549.1.9.8", "unstructuredAddress", "unstructuredAddress") \
  X(MTK_OID_EXTENDED_CERT_ATTRIBUTES, "1.2.840.113549.1.9.9", "extendedCertificateAttributes", "extendedCertificateAttributes") \
  X(MTK_OID_FRIENDLY_NAME, "1.2.840.113549.1.9.20", "friendlyName", "friendlyName")        \
  X(MTK_OID_LOCAL_KEY_ID, "1.2.840.113549.1.9.21", "localKeyID", "localKeyID")             \
  X(MTK_OID_PDA_DATE_OF_BIRTH, "1.3.6.1.5.5.7.9.1", "dateOfBirth", "dateOfBirth")          \
  X(MTK_OID_PDA_PLACE_OF_BIRTH, "1.3.6.1.5.5.7.9.2", "placeOfBirth", "placeOfBirth")       \
  X(MTK_OID_PDA_GENDER, "1.3.6.1.5.5.7.9.3", "gender", "gender")                           \
  X(MTK_OID_PDA_COUNTRY_OF_CITIZENSHIP, "1.3.6.1.5.5.7.9.4", "countryOfCitizenship", "countryOfCitizenship") \
  X(MTK_OID_PDA_COUNTRY_OF_RESIDENCE, "1.3.6.1.5.5.7.9.5", "countryOfResidence", "countryOfResidence") \
  X(MTK_OID_MS_ENROLLMENT_NAME_VALUE_PAIR, "1.3.6.1.4.1.311.13.2.1", "msEnrollmentNameValuePair", "Microsoft Enrollment Name Value Pair") \
  X(MTK_OID_MS_ENROLLMENT_CSP, "1.3.6.1.4.1.311.13.2.2", "msEnrollmentCSPProvider", "Microsoft Enrollment CSP Provider") \
  X(MTK_OID_MS_OS_VERSION, "1.3.6.1.4.1.311.13.2.3", "msOSVersion", "Microsoft OS Version") \
  X(MTK_OID_MS_REQUEST_CLIENT_INFO, "1.3.6.1.4.1.311.21.20", "msRequestClientInfo", "Microsoft Request Client Info") \
  /* certificate extensions (RFC 5280 4.2 and others) */                                   \
  X(MTK_OID_EXT_SKI, "2.5.29.14", "subjectKeyIdentifier", "Subject Key Identifier")        \
  X(MTK_OID_EXT_KU, "2.5.29.15", "keyUsage", "Key Usage")                                  \
  X(MTK_OID_EXT_PKUP, "2.5.29.16", "privateKeyUsagePeriod", "Private Key Usage Period")    \
  X(MTK_OID_EXT_SAN, "2.5.29.17", "subjectAltName", "Subject Alternative Name")            \
  X(MTK_OID_EXT_IAN, "2.5.29.18", "issuerAltName", "Issuer Alternative Name")              \
  X(MTK_OID_EXT_BC, "2.5.29.19", "basicConstraints", "Basic Constraints")                  \
  X(MTK_OID_EXT_CRL_NUMBER, "2.5.29.20", "cRLNumber", "CRL Number")                        \
  X(MTK_OID_EXT_NC, "2.5.29.30", "nameConstraints", "Name Constraints")                    \
  X(MTK_OID_EXT_CRLDP, "2.5.29.31", "cRLDistributionPoints", "CRL Distribution Points")    \
  X(MTK_OID_EXT_CP, "2.5.29.32", "certificatePolicies", "Certificate Policies")            \
  X(MTK_OID_EXT_PM, "2.5.29.33", "policyMappings", "Policy Mappings")                      \
  X(MTK_OID_EXT_AKI, "2.5.29.35", "authorityKeyIdentifier", "Authority Key Identifier")    \
  X(MTK_OID_EXT_PC, "2.5.29.36", "policyConstraints", "Policy Constraints")                \
  X(MTK_OID_EXT_EKU, "2.5.29.37", "extendedKeyUsage", "Extended Key Usage")                \
  X(MTK_OID_EXT_FRESHEST_CRL, "2.5.29.46", "freshestCRL", "Freshest CRL")                  \
  X(MTK_OID_EXT_INHIBIT_ANY, "2.5.29.54", "inhibitAnyPolicy", "Inhibit anyPolicy")         \
  X(MTK_OID_EXT_SDA, "2.5.29.9", "subjectDirectoryAttributes", "Subject Directory Attributes") \
  X(MTK_OID_EXT_AIA, "1.3.6.1.5.5.7.1.1", "authorityInfoAccess", "Authority Information Access") \
  X(MTK_OID_EXT_SIA, "1.3.6.1.5.5.7.1.11", "subjectInfoAccess", "Subject Information Access") \
  X(MTK_OID_EXT_TLS_FEATURE, "1.3.6.1.5.5.7.1.24", "tlsfeature", "TLS Feature")            \
  X(MTK_OID_EXT_QC_STATEMENTS, "1.3.6.1.5.5.7.1.3", "qcStatements", "Qualified Certificate Statements") \
  X(MTK_OID_EXT_SCT_LIST, "1.3.6.1.4.1.11129.2.4.2", "ct_precert_scts", "CT Signed Certificate Timestamps") \
  X(MTK_OID_EXT_CT_POISON, "1.3.6.1.4.1.11129.2.4.3", "ct_precert_poison", "CT Precertificate Poison") \
  X(MTK_OID_EXT_OCSP_NOCHECK, "1.3.6.1.5.5.7.48.1.5", "noCheck", "OCSP No Check")          \
  X(MTK_OID_EXT_NS_CERT_TYPE, "2.16.840.1.113730.1.1", "nsCertType", "Netscape Cert Type") \
  X(MTK_OID_EXT_NS_COMMENT, "2.16.840.1.113730.1.13", "nsComment", "Netscape Comment")     \
  X(MTK_OID_EXT_MS_TEMPLATE_NAME, "1.3.6.1.4.1.311.20.2", "msCertificateTemplateName", "Microsoft Certificate Template Name") \
  X(MTK_OID_EXT_MS_TEMPLATE, "1.3.6.1.4.1.311.21.7", "msCertificateTemplate", "Microsoft Certificate Template") \
  X(MTK_OID_EXT_MS_CA_VERSION, "1.3.6.1.4.1.311.21.1", "msCAVersion", "Microsoft CA Version") \
  X(MTK_OID_EXT_MS_APP_POLICIES, "1.3.6.1.4.1.311.21.10", "msApplicationPolicies", "Microsoft Application Policies") \
  X(MTK_OID_EXT_OBSOLETE_1, "2.5.29.1", "authorityKeyIdentifier-obsolete", "Authority Key Identifier (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_2, "2.5.29.2", "keyAttributes", "Key Attributes (obsolete)")      \
  X(MTK_OID_EXT_OBSOLETE_3, "2.5.29.3", "certificatePolicies-obsolete", "Certificate Policies (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_4, "2.5.29.4", "keyUsageRestriction", "Key Usage Restriction (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_5, "2.5.29.5", "policyMapping-obsolete", "Policy Mapping (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_6, "2.5.29.6", "subtreesConstraint", "Subtrees Constraint (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_7, "2.5.29.7", "subjectAltName-obsolete", "Subject Alternative Name (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_8, "2.5.29.8", "issuerAltName-obsolete", "Issuer Alternative Name (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_10, "2.5.29.10", "basicConstraints-obsolete", "Basic Constraints (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_11, "2.5.29.11", "nameConstraints-obsolete", "Name Constraints (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_12, "2.5.29.12", "policyConstraints-obsolete", "Policy Constraints (obsolete)") \
  X(MTK_OID_EXT_OBSOLETE_13, "2.5.29.13", "basicConstraints-obsolete2", "Basic Constraints (obsolete, second draft)") \
  X(MTK_OID_EXT_CRL_REASON, "2.5.29.21", "CRLReason", "CRL Reason Code")                   \
  X(MTK_OID_EXT_HOLD_INSTRUCTION, "2.5.29.23", "holdInstructionCode", "Hold Instruction Code") \
  X(MTK_OID_EXT_INVALIDITY_DATE, "2.5.29.24", "invalidityDate", "Invalidity Date")         \
  X(MTK_OID_EXT_DELTA_CRL, "2.5.29.27", "deltaCRL", "Delta CRL Indicator")                 \
  X(MTK_OID_EXT_IDP, "2.5.29.28", "issuingDistributionPoint", "Issuing Distribution Point") \
  X(MTK_OID_EXT_CERT_ISSUER, "2.5.29.29", "certificateIssuer", "Certificate Issuer")       \
  X(MTK_OID_EXT_NO_REV_AVAIL, "2.5.29.56", "noRevAvail", "No Revocation Available")        \
  X(MTK_OID_EXT_EXPIRED_CERTS_ON_CRL, "2.5.29.60", "expiredCertsOnCRL", "Expired Certificates on CRL") \
  X(MTK_OID_EXT_ALT_SPKI, "2.5.29.72", "subjectAltPublicKeyInfo", "Subject Alternative Public Key Info") \
  X(MTK_OID_EXT_ALT_SIG_ALG, "2.5.29.73", "altSignatureAlgorithm", "Alternative Signature Algorithm") \
  X(MTK_OID_EXT_ALT_SIG_VALUE, "2.5.29.74", "altSignatureValue", "Alternative Signature Value") \
  X(MTK_OID_EXT_BIOMETRIC_INFO, "1.3.6.1.5.5.7.1.2", "biometricInfo", "Biometric Info")    \
  X(MTK_OID_EXT_IP_ADDR_BLOCKS, "1.3.6.1.5.5.7.1.7", "sbgp-ipAddrBlock", "IP Address Delegation") \
  X(MTK_OID_EXT_AS_IDS, "1.3.6.1.5.5.7.1.8", "sbgp-autonomousSysNum", "AS Identifier Delegation") \
  X(MTK_OID_EXT_LOGOTYPE, "1.3.6.1.5.5.7.1.12", "logotype", "Logotype")                    \
  X(MTK_OID_EXT_PROXY_CERT_INFO, "1.3.6.1.5.5.7.1.14", "proxyCertInfo", "Proxy Certificate Information") \
  X(MTK_OID_EXT_TN_AUTH_LIST, "1.3.6.1.5.5.7.1.26", "TNAuthList", "TNAuthorizationList")   \
  X(MTK_OID_EXT_JWT_CLAIM_CONSTRAINTS, "1.3.6.1.5.5.7.1.27", "JWTClaimConstraints", "JWT Claim Constraints") \
  X(MTK_OID_EXT_IP_ADDR_BLOCKS_V2, "1.3.6.1.5.5.7.1.28", "sbgp-ipAddrBlockv2", "IP Address Delegation (v2)") \
  X(MTK_OID_EXT_AS_IDS_V2, "1.3.6.1.5.5.7.1.29", "sbgp-autonomousSysNumv2", "AS Identifier Delegation (v2)") \
  X(MTK_OID_EXT_ACME_IDENTIFIER, "1.3.6.1.5.5.7.1.31", "id-pe-acmeIdentifier", "ACME Identifier") \
  X(MTK_OID_EXT_SMIME_CAPABILITIES, "1.2.840.113549.1.9.15", "SMIME-CAPS", "S/MIME Capabilities") \
  X(MTK_OID_EXT_CT_OCSP_SCTS, "1.3.6.1.4.1.11129.2.4.5", "ct_cert_scts", "CT Certificate SCTs (OCSP)") \
  X(MTK_OID_EXT_CABF_ORG_ID, "2.23.140.3.1", "cabfOrganizationIdentifier", "CA/B Forum Organization Identifier") \
  X(MTK_OID_EXT_CABF_TOR_SERVICE_DESCRIPTORS, "2.23.140.1.31", "cabf-TorServiceDescriptors", "CA/B Forum Tor Service Descriptors") \
  X(MTK_OID_EXT_ENTRUST_VERSION, "1.2.840.113533.7.65.0", "entrustVersionInfo", "Entrust Version Info") \
  X(MTK_OID_EXT_NS_BASE_URL, "2.16.840.1.113730.1.2", "nsBaseUrl", "Netscape Base URL")    \
  X(MTK_OID_EXT_NS_REVOCATION_URL, "2.16.840.1.113730.1.3", "nsRevocationUrl", "Netscape Revocation URL") \
  X(MTK_OID_EXT_NS_CA_REVOCATION_URL, "2.16.840.1.113730.1.4", "nsCaRevocationUrl", "Netscape CA Revocation URL") \
  X(MTK_OID_EXT_NS_RENEWAL_URL, "2.16.840.1.113730.1.7", "nsRenewalUrl", "Netscape Renewal URL") \
  X(MTK_OID_EXT_NS_CA_POLICY_URL, "2.16.840.1.113730.1.8", "nsCaPolicyUrl", "Netscape CA Policy URL") \
  X(MTK_OID_EXT_NS_SSL_SERVER_NAME, "2.16.840.1.113730.1.12", "nsSslServerName", "Netscape SSL Server Name") \
  X(MTK_OID_EXT_MS_PREVIOUS_CA_CERT_HASH, "1.3.6.1.4.1.311.21.2", "msCAPreviousCertHash", "Microsoft Previous CA Certificate Hash") \
  X(MTK_OID_EXT_MS_APP_POLICY_MAPPINGS, "1.3.6.1.4.1.311.21.11", "msApplicationPolicyMappings", "Microsoft Application Policy Mappings") \
  X(MTK_OID_EXT_MS_APP_POLICY_CONSTRAINTS, "1.3.6.1.4.1.311.21.12", "msApplicationPolicyConstraints", "Microsoft Application Policy Constraints") \
  X(MTK_OID_EXT_MS_NTDS_CA_SECURITY, "1.3.6.1.4.1.311.25.2", "msNTDSCASecurityExt", "Microsoft NTDS CA Security (SID)") \
  X(MTK_OID_EXT_APPLE_IPHONE_DEVELOPER, "1.2.840.113635.100.6.1.2", "appleIPhoneDeveloper", "Apple iPhone Developer") \
  X(MTK_OID_EXT_APPLE_IPHONE_DISTRIBUTION, "1.2.840.113635.100.6.1.4", "appleIPhoneDistribution", "Apple Developer Certificate (Submission)") \
  X(MTK_OID_EXT_APPLE_MAC_APP_DEVELOPMENT, "1.2.840.113635.100.6.1.7", "appleMacAppSigningDevelopment", "Apple Mac App Signing (Development)") \
  X(MTK_OID_EXT_APPLE_MAC_DEVELOPER, "1.2.840.113635.100.6.1.12", "appleMacDeveloper", "Apple Mac Developer") \
  X(MTK_OID_EXT_APPLE_DEVELOPER_ID_APP, "1.2.840.113635.100.6.1.13", "appleDeveloperIDApplication", "Apple Developer ID Application") \
  X(MTK_OID_EXT_APPLE_DEVELOPER_ID_INSTALLER, "1.2.840.113635.100.6.1.14", "appleDeveloperIDInstaller", "Apple Developer ID Installer") \
  X(MTK_OID_EXT_APPLE_DEVELOPER_ID_DATE, "1.2.840.113635.100.6.1.33", "appleDeveloperIDDate", "Apple Developer ID Date") \
  X(MTK_OID_EXT_APPLE_WWDR_CA, "1.2.840.113635.100.6.2.1", "appleWWDRIntermediate", "Apple Worldwide Developer Relations CA") \
  X(MTK_OID_EXT_APPLE_DEVELOPER_ID_CA, "1.2.840.113635.100.6.2.6", "appleDeveloperIDIntermediate", "Apple Developer ID CA") \
  /* extended key usages (RFC 5280 4.2.1.12 and others) */                                 \
  X(MTK_OID_EKU_ANY, "2.5.29.37.0", "anyExtendedKeyUsage", "Any Extended Key Usage")       \
  X(MTK_OID_EKU_SERVER_AUTH, "1.3.6.1.5.5.7.3.1", "serverAuth", "TLS Web Server Authentication") \
  X(MTK_OID_EKU_CLIENT_AUTH, "1.3.6.1.5.5.7.3.2", "clientAuth", "TLS Web Client Authentication") \
  X(MTK_OID_EKU_CODE_SIGNING, "1.3.6.1.5.5.7.3.3", "codeSigning", "Code Signing")          \
  X(MTK_OID_EKU_EMAIL_PROTECTION, "1.3.6.1.5.5.7.3.4", "emailProtection", "E-mail Protection") \
  X(MTK_OID_EKU_IPSEC_END_SYSTEM, "1.3.6.1.5.5.7.3.5", "ipsecEndSystem", "IPSec End System") \
  X(MTK_OID_EKU_IPSEC_TUNNEL, "1.3.6.1.5.5.7.3.6", "ipsecTunnel", "IPSec Tunnel")          \
  X(MTK_OID_EKU_IPSEC_USER, "1.3.6.1.5.5.7.3.7", "ipsecUser", "IPSec User")                \
  X(MTK_OID_EKU_TIME_STAMPING, "1.3.6.1.5.5.7.3.8", "timeStamping", "Time Stamping")       \
  X(MTK_OID_EKU_OCSP_SIGNING, "1.3.6.1.5.5.7.3.9", "OCSPSigning", "OCSP Signing")          \
  X(MTK_OID_EKU_IPSEC_IKE, "1.3.6.1.5.5.7.3.17", "ipsecIKE", "IPSec IKE")                  \
  X(MTK_OID_EKU_SSH_CLIENT, "1.3.6.1.5.5.7.3.21", "secureShellClient", "SSH Client")       \
  X(MTK_OID_EKU_SSH_SERVER, "1.3.6.1.5.5.7.3.22", "secureShellServer", "SSH Server")       \
  X(MTK_OID_EKU_DOCUMENT_SIGNING, "1.3.6.1.5.5.7.3.36", "documentSigning", "Document Signing") \
  X(MTK_OID_EKU_MS_SMARTCARD_LOGON, "1.3.6.1.4.1.311.20.2.2", "msSmartcardLogin", "Microsoft Smartcard Logon") \
  X(MTK_OID_EKU_MS_SGC, "1.3.6.1.4.1.311.10.3.3", "msSGC", "Microsoft Server Gated Crypto") \
  X(MTK_OID_EKU_NS_SGC, "2.16.840.1.113730.4.1", "nsSGC", "Netscape Server Gated Crypto")  \
  X(MTK_OID_EKU_PRECERT_SIGNING, "1.3.6.1.4.1.11129.2.4.4", "precertificateSigning", "CT Precertificate Signing") \
  X(MTK_OID_EKU_DVCS, "1.3.6.1.5.5.7.3.10", "dvcs", "Data Validation and Certification Server") \
  X(MTK_OID_EKU_SBGP_CERT_AA_SERVER_AUTH, "1.3.6.1.5.5.7.3.11", "sbgpCertAAServerAuth", "SBGP Cert AA Server Authentication (obsolete)") \
  X(MTK_OID_EKU_SCVP_RESPONDER, "1.3.6.1.5.5.7.3.12", "scvp-responder", "SCVP Responder (obsolete)") \
  X(MTK_OID_EKU_EAP_OVER_PPP, "1.3.6.1.5.5.7.3.13", "eapOverPPP", "EAP over PPP")          \
  X(MTK_OID_EKU_EAP_OVER_LAN, "1.3.6.1.5.5.7.3.14", "eapOverLAN", "EAP over LAN")          \
  X(MTK_OID_EKU_SCVP_SERVER, "1.3.6.1.5.5.7.3.15", "scvpServer", "SCVP Server")            \
  X(MTK_OID_EKU_SCVP_CLIENT, "1.3.6.1.5.5.7.3.16", "scvpClient", "SCVP Client")            \
  X(MTK_OID_EKU_CAPWAP_AC, "1.3.6.1.5.5.7.3.18", "capwapAC", "CAPWAP Access Controller")   \
  X(MTK_OID_EKU_CAPWAP_WTP, "1.3.6.1.5.5.7.3.19", "capwapWTP", "CAPWAP Wireless Termination Point") \
  X(MTK_OID_EKU_SIP_DOMAIN, "1.3.6.1.5.5.7.3.20", "sipDomain", "SIP Domain")               \
  X(MTK_OID_EKU_SEND_ROUTER, "1.3.6.1.5.5.7.3.23", "sendRouter", "SEND Router")            \
  X(MTK_OID_EKU_SEND_PROXIED_ROUTER, "1.3.6.1.5.5.7.3.24", "sendProxiedRouter", "SEND Proxied Router") \
  X(MTK_OID_EKU_SEND_OWNER, "1.3.6.1.5.5.7.3.25", "sendOwner", "SEND Owner")               \
  X(MTK_OID_EKU_SEND_PROXIED_OWNER, "1.3.6.1.5.5.7.3.26", "sendProxiedOwner", "SEND Proxied Owner") \
  X(MTK_OID_EKU_CMC_CA, "1.3.6.1.5.5.7.3.27", "cmcCA", "CMC Certification Authority")      \
  X(MTK_OID_EKU_CMC_RA, "1.3.6.1.5.5.7.3.28", "cmcRA", "CMC Registration Authority")       \
  X(MTK_OID_EKU_CMC_ARCHIVE, "1.3.6.1.5.5.7.3.29", "cmcArchive", "CMC Archive Server")     \
  X(MTK_OID_EKU_BGPSEC_ROUTER, "1.3.6.1.5.5.7.3.30", "bgpsec-router", "BGPsec Router")     \
  X(MTK_OID_EKU_BIMI, "1.3.6.1.5.5.7.3.31", "brandIndicatorforMessageIdentification", "Brand Indicator for Message Identification") \
  X(MTK_OID_EKU_CM_KGA, "1.3.6.1.5.5.7.3.32", "cmKGA", "Certificate Management Key Generation Authority") \
  X(MTK_OID_EKU_RPC_TLS_CLIENT, "1.3.6.1.5.5.7.3.33", "rpcTLSClient", "RPC-over-TLS Client") \
  X(MTK_OID_EKU_RPC_TLS_SERVER, "1.3.6.1.5.5.7.3.34", "rpcTLSServer", "RPC-over-TLS Server") \
  X(MTK_OID_EKU_BUNDLE_SECURITY, "1.3.6.1.5.5.7.3.35", "bundleSecurity", "DTN Bundle Security") \
  X(MTK_OID_EKU_PKINIT_CLIENT, "1.3.6.1.5.2.3.4", "pkInitClientAuth", "PKINIT Client Authentication") \
  X(MTK_OID_EKU_PKINIT_KDC, "1.3.6.1.5.2.3.5", "pkInitKDC", "PKINIT Key Distribution Center") \
  X(MTK_OID_EKU_IKE_INTERMEDIATE, "1.3.6.1.5.5.8.2.2", "iKEIntermediate", "IKE Intermediate") \
  X(MTK_OID_EKU_MS_CODE_IND, "1.3.6.1.4.1.311.2.1.21", "msCodeInd", "Microsoft Individual Code Signing") \
  X(MTK_OID_EKU_MS_CODE_COM, "1.3.6.1.4.1.311.2.1.22", "msCodeCom", "Microsoft Commercial Code Signing") \
  X(MTK_OID_EKU_MS_CTL_SIGN, "1.3.6.1.4.1.311.10.3.1", "msCTLSign", "Microsoft Trust List Signing") \
  X(MTK_OID_EKU_MS_TIME_STAMPING, "1.3.6.1.4.1.311.10.3.2", "msTimeStamping", "Microsoft Time Stamping") \
  X(MTK_OID_EKU_MS_EFS, "1.3.6.1.4.1.311.10.3.4", "msEFS", "Microsoft Encrypted File System") \
  X(MTK_OID_EKU_MS_EFS_RECOVERY, "1.3.6.1.4.1.311.10.3.4.1", "msEFSRecovery", "Microsoft EFS File Recovery") \
  X(MTK_OID_EKU_MS_WHQL, "1.3.6.1.4.1.311.10.3.5", "msWHQLCrypto", "Microsoft Windows Hardware Driver Verification") \
  X(MTK_OID_EKU_MS_NT5_CRYPTO, "1.3.6.1.4.1.311.10.3.6", "msNT5Crypto", "Microsoft Windows System Component Verification") \
  X(MTK_OID_EKU_MS_OEM_WHQL, "1.3.6.1.4.1.311.10.3.7", "msOEMWHQLCrypto", "Microsoft OEM Windows System Component Verification") \
  X(MTK_OID_EKU_MS_EMBEDDED_NT_CRYPTO, "1.3.6.1.4.1.311.10.3.8", "msEmbeddedNTCrypto", "Microsoft Embedded Windows System Component Verification") \
  X(MTK_OID_EKU_MS_ROOT_LIST_SIGNER, "1.3.6.1.4.1.311.10.3.9", "msRootListSigner", "Microsoft Root List Signer") \
  X(MTK_OID_EKU_MS_QUALIFIED_SUBORDINATION, "1.3.6.1.4.1.311.10.3.10", "msQualifiedSubordination", "Microsoft Qualified Subordination") \
  X(MTK_OID_EKU_MS_KEY_RECOVERY, "1.3.6.1.4.1.311.10.3.11", "msKeyRecovery", "Microsoft Key Recovery") \
  X(MTK_OID_EKU_MS_DOCUMENT_SIGNING, "1.3.6.1.4.1.311.10.3.12", "msDocumentSigning", "Microsoft Document Signing") \
  X(MTK_OID_EKU_MS_LIFETIME_SIGNING, "1.3.6.1.4.1.311.10.3.13", "msLifetimeSigning", "Microsoft Lifetime Signing") \
  X(MTK_OID_EKU_MS_ANY_APPLICATION_POLICY, "1.3.6.1.4.1.311.10.12.1", "msAnyApplicationPolicy", "Microsoft Any Application Policy") \
  X(MTK_OID_EKU_MS_ENROLLMENT_AGENT, "1.3.6.1.4.1.311.20.2.1", "msEnrollmentAgent", "Microsoft Certificate Request Agent") \
  X(MTK_OID_EKU_MS_CA_EXCHANGE, "1.3.6.1.4.1.311.21.5", "msCAExchange", "Microsoft Private Key Archival") \
  X(MTK_OID_EKU_MS_KEY_RECOVERY_AGENT, "1.3.6.1.4.1.311.21.6", "msKeyRecoveryAgent", "Microsoft Key Recovery Agent") \
  X(MTK_OID_EKU_MS_DS_EMAIL_REPLICATION, "1.3.6.1.4.1.311.21.19", "msDSEmailReplication", "Microsoft Directory Service Email Replication") \
  X(MTK_OID_EKU_MS_KERNEL_MODE_CODE_SIGNING, "1.3.6.1.4.1.311.61.1.1", "msKernelModeCodeSigning", "Microsoft Kernel Mode Code Signing") \
  X(MTK_OID_EKU_APPLE_CODE_SIGNING, "1.2.840.113635.100.4.1", "appleCodeSigning", "Apple Code Signing") \
  X(MTK_OID_EKU_APPLE_CODE_SIGNING_DEV, "1.2.840.113635.100.4.1.1", "appleCodeSigningDevelopment", "Apple Code Signing (Development)") \
  X(MTK_OID_EKU_APPLE_SOFTWARE_UPDATE, "1.2.840.113635.100.4.1.2", "appleSoftwareUpdateSigning", "Apple Software Update Signing") \
  X(MTK_OID_EKU_APPLE_CODE_SIGNING_THIRD_PARTY, "1.2.840.113635.100.4.1.3", "appleCodeSigningThirdParty", "Apple Code Signing (Third Party)") \
  X(MTK_OID_EKU_APPLE_RESOURCE_SIGNING, "1.2.840.113635.100.4.1.4", "appleResourceSigning", "Apple Resource Signing") \
  X(MTK_OID_EKU_APPLE_ICHAT_SIGNING, "1.2.840.113635.100.4.2", "appleIChatSigning", "Apple iChat Signing") \
  X(MTK_OID_EKU_APPLE_ICHAT_ENCRYPTION, "1.2.840.113635.100.4.3", "appleIChatEncryption", "Apple iChat Encryption") \
  X(MTK_OID_EKU_APPLE_SYSTEM_IDENTITY, "1.2.840.113635.100.4.4", "appleSystemIdentity", "Apple System Identity") \
  X(MTK_OID_EKU_APPLE_SAFARI_DEVELOPER, "1.2.840.113635.100.4.8", "appleSafariDeveloper", "Apple Safari Developer") \
  X(MTK_OID_EKU_APPLE_MAC_INSTALLER, "1.2.840.113635.100.4.9", "appleThirdPartyMacInstaller", "Apple 3rd Party Mac Developer Installer") \
  X(MTK_OID_EKU_APPLE_DEVELOPER_ID_INSTALLER, "1.2.840.113635.100.4.13", "appleDeveloperIDInstallerSigning", "Apple Developer ID Installer Package Signing") \
  /* access methods and qualifiers */                                                      \
  X(MTK_OID_AD_OCSP, "1.3.6.1.5.5.7.48.1", "OCSP", "OCSP")                                 \
  X(MTK_OID_AD_CA_ISSUERS, "1.3.6.1.5.5.7.48.2", "caIssuers", "CA Issuers")                \
  X(MTK_OID_AD_TIME_STAMPING, "1.3.6.1.5.5.7.48.3", "timeStamping", "Time Stamping")       \
  X(MTK_OID_AD_CA_REPOSITORY, "1.3.6.1.5.5.7.48.5", "caRepository", "CA Repository")       \
  X(MTK_OID_QT_CPS, "1.3.6.1.5.5.7.2.1", "id-qt-cps", "CPS")                               \
  X(MTK_OID_QT_UNOTICE, "1.3.6.1.5.5.7.2.2", "id-qt-unotice", "User Notice")               \
  X(MTK_OID_AD_DVCS, "1.3.6.1.5.5.7.48.4", "id-ad-dvcs", "DVCS")                           \
  X(MTK_OID_AD_RPKI_MANIFEST, "1.3.6.1.5.5.7.48.10", "id-ad-rpkiManifest", "RPKI Manifest") \
  X(MTK_OID_AD_SIGNED_OBJECT, "1.3.6.1.5.5.7.48.11", "id-ad-signedObject", "Signed Object") \
  X(MTK_OID_AD_RPKI_NOTIFY, "1.3.6.1.5.5.7.48.13", "id-ad-rpkiNotify", "RPKI Notify (RRDP)") \
  /* otherName types */                                                                    \
  X(MTK_OID_ON_SRVNAME, "1.3.6.1.5.5.7.8.7", "id-on-dnsSRV", "SRVName")                    \
  X(MTK_OID_ON_SMTP_UTF8_MAILBOX, "1.3.6.1.5.5.7.8.9", "id-on-SmtpUTF8Mailbox", "SmtpUTF8Mailbox") \
  X(MTK_OID_ON_UPN, "1.3.6.1.4.1.311.20.2.3", "msUPN", "Microsoft Universal Principal Name") \
  X(MTK_OID_ON_PERMANENT_ID, "1.3.6.1.5.5.7.8.3", "id-on-permanentIdentifier", "Permanent Identifier") \
  X(MTK_OID_ON_HW_MODULE, "1.3.6.1.5.5.7.8.4", "id-on-hardwareModuleName", "Hardware Module Name") \
  X(MTK_OID_ON_XMPP_ADDR, "1.3.6.1.5.5.7.8.5", "id-on-xmppAddr", "XmppAddr")               \
  X(MTK_OID_ON_SIM, "1.3.6.1.5.5.7.8.6", "id-on-SIM", "Subject Identification Method")     \
  X(MTK_OID_ON_NAI_REALM, "1.3.6.1.5.5.7.8.8", "id-on-naiRealm", "NAIRealm")               \
  X(MTK_OID_ON_KRB5_PRINCIPAL, "1.3.6.1.5.2.2", "id-pkinit-san", "Kerberos Principal Name") \
  X(MTK_OID_ON_MS_GUID, "1.3.6.1.4.1.311.25.1", "msNTDSReplication", "Microsoft Directory Object GUID") \
  X(MTK_OID_ON_MS_SID, "1.3.6.1.4.1.311.25.2.1", "msNTDSObjectSid", "Microsoft Directory Object SID") \
  /* certificate policies */                                                               \
  X(MTK_OID_ANY_POLICY, "2.5.29.32.0", "anyPolicy", "Any Policy")                          \
  X(MTK_OID_CABF_DV, "2.23.140.1.2.1", "domain-validated", "CA/B Forum Domain Validated")  \
  X(MTK_OID_CABF_OV, "2.23.140.1.2.2", "organization-validated", "CA/B Forum Organization Validated") \
  X(MTK_OID_CABF_IV, "2.23.140.1.2.3", "individual-validated", "CA/B Forum Individual Validated") \
  X(MTK_OID_CABF_EV, "2.23.140.1.1", "ev-guidelines", "CA/B Forum Extended Validation")    \
  X(MTK_OID_CABF_CODE_SIGNING, "2.23.140.1.4.1", "code-signing-requirements", "CA/B Forum Code Signing") \
  X(MTK_OID_CABF_EV_CODE_SIGNING, "2.23.140.1.3", "ev-code-signing", "CA/B Forum EV Code Signing") \
  X(MTK_OID_CABF_TIMESTAMPING, "2.23.140.1.4.2", "timestamping-requirements", "CA/B Forum Timestamping") \
  X(MTK_OID_CABF_SMIME_MAILBOX_LEGACY, "2.23.140.1.5.1.1", "smime-mailbox-validated-legacy", "CA/B Forum S/MIME Mailbox-validated legacy") \
  X(MTK_OID_CABF_SMIME_MAILBOX_MULTIPURPOSE, "2.23.140.1.5.1.2", "smime-mailbox-validated-multipurpose", "CA/B Forum S/MIME Mailbox-validated multipurpose") \
  X(MTK_OID_CABF_SMIME_MAILBOX_STRICT, "2.23.140.1.5.1.3", "smime-mailbox-validated-strict", "CA/B Forum S/MIME Mailbox-validated strict") \
  X(MTK_OID_CABF_SMIME_ORGANIZATION_LEGACY, "2.23.140.1.5.2.1", "smime-organization-validated-legacy", "CA/B Forum S/MIME Organization-validated legacy") \
  X(MTK_OID_CABF_SMIME_ORGANIZATION_MULTIPURPOSE, "2.23.140.1.5.2.2", "smime-organization-validated-multipurpose", "CA/B Forum S/MIME Organization-validated multipurpose") \
  X(MTK_OID_CABF_SMIME_ORGANIZATION_STRICT, "2.23.140.1.5.2.3", "smime-organization-validated-strict", "CA/B Forum S/MIME Organization-validated strict") \
  X(MTK_OID_CABF_SMIME_SPONSOR_LEGACY, "2.23.140.1.5.3.1", "smime-sponsor-validated-legacy", "CA/B Forum S/MIME Sponsor-validated legacy") \
  X(MTK_OID_CABF_SMIME_SPONSOR_MULTIPURPOSE, "2.23.140.1.5.3.2", "smime-sponsor-validated-multipurpose", "CA/B Forum S/MIME Sponsor-validated multipurpose") \
  X(MTK_OID_CABF_SMIME_SPONSOR_STRICT, "2.23.140.1.5.3.3", "smime-sponsor-validated-strict", "CA/B Forum S/MIME Sponsor-validated strict") \
  X(MTK_OID_CABF_SMIME_INDIVIDUAL_LEGACY, "2.23.140.1.5.4.1", "smime-individual-validated-legacy", "CA/B Forum S/MIME Individual-validated legacy") \
  X(MTK_OID_CABF_SMIME_INDIVIDUAL_MULTIPURPOSE, "2.23.140.1.5.4.2", "smime-individual-validated-multipurpose", "CA/B Forum S/MIME Individual-validated multipurpose") \
  X(MTK_OID_CABF_SMIME_INDIVIDUAL_STRICT, "2.23.140.1.5.4.3", "smime-individual-validated-strict", "CA/B Forum S/MIME Individual-validated strict") \
  X(MTK_OID_ETSI_NCP, "0.4.0.2042.1.1", "etsi-ncp", "ETSI NCP")                            \
  X(MTK_OID_ETSI_NCP_PLUS, "0.4.0.2042.1.2", "etsi-ncp-plus", "ETSI NCP+")                 \
  X(MTK_OID_ETSI_LCP, "0.4.0.2042.1.3", "etsi-lcp", "ETSI LCP")                            \
  X(MTK_OID_ETSI_EVCP, "0.4.0.2042.1.4", "etsi-evcp", "ETSI EVCP")                         \
  X(MTK_OID_ETSI_DVCP, "0.4.0.2042.1.6", "etsi-dvcp", "ETSI DVCP")                         \
  X(MTK_OID_ETSI_OVCP, "0.4.0.2042.1.7", "etsi-ovcp", "ETSI OVCP")                         \
  X(MTK_OID_ETSI_IVCP, "0.4.0.2042.1.8", "etsi-ivcp", "ETSI IVCP")                         \
  X(MTK_OID_ETSI_QCP_NATURAL, "0.4.0.194112.1.0", "qcp-natural", "ETSI QCP-n")             \
  X(MTK_OID_ETSI_QCP_LEGAL, "0.4.0.194112.1.1", "qcp-legal", "ETSI QCP-l")                 \
  X(MTK_OID_ETSI_QCP_NATURAL_QSCD, "0.4.0.194112.1.2", "qcp-natural-qscd", "ETSI QCP-n-qscd") \
  X(MTK_OID_ETSI_QCP_LEGAL_QSCD, "0.4.0.194112.1.3", "qcp-legal-qscd", "ETSI QCP-l-qscd")  \
  X(MTK_OID_ETSI_QCP_WEB, "0.4.0.194112.1.4", "qcp-web", "ETSI QCP-w")                     \
  X(MTK_OID_ETSI_QNCP_WEB, "0.4.0.194112.1.5", "qncp-web", "ETSI QNCP-w")                  \
  X(MTK_OID_ETSI_QNCP_WEB_GEN, "0.4.0.194112.1.6", "qncp-web-gen", "ETSI QNCP-w-gen")      \
  /* qualified certificate statements (RFC 3739, ETSI EN 319 412-5) */                     \
  X(MTK_OID_QCS_PKIX_SYNTAX_V1, "1.3.6.1.5.5.7.11.1", "id-qcs-pkixQCSyntax-v1", "QC Syntax v1") \
  X(MTK_OID_QCS_PKIX_SYNTAX_V2, "1.3.6.1.5.5.7.11.2", "id-qcs-pkixQCSyntax-v2", "QC Syntax v2") \
  X(MTK_OID_QCS_COMPLIANCE, "0.4.0.1862.1.1", "id-etsi-qcs-QcCompliance", "QC Compliance") \
  X(MTK_OID_QCS_LIMIT_VALUE, "0.4.0.1862.1.2", "id-etsi-qcs-QcLimitValue", "QC Limit Value") \
  X(MTK_OID_QCS_RETENTION_PERIOD, "0.4.0.1862.1.3", "id-etsi-qcs-QcRetentionPeriod", "QC Retention Period") \
  X(MTK_OID_QCS_SSCD, "0.4.0.1862.1.4", "id-etsi-qcs-QcSSCD", "QC SSCD")                   \
  X(MTK_OID_QCS_PDS, "0.4.0.1862.1.5", "id-etsi-qcs-QcPDS", "QC PKI Disclosure Statements") \
  X(MTK_OID_QCS_TYPE, "0.4.0.1862.1.6", "id-etsi-qcs-QcType", "QC Type")                   \
  X(MTK_OID_QCT_ESIGN, "0.4.0.1862.1.6.1", "id-etsi-qct-esign", "QC Type eSign")           \
  X(MTK_OID_QCT_ESEAL, "0.4.0.1862.1.6.2", "id-etsi-qct-eseal", "QC Type eSeal")           \
  X(MTK_OID_QCT_WEB, "0.4.0.1862.1.6.3", "id-etsi-qct-web", "QC Type Web")                 \
  X(MTK_OID_QCS_CC_LEGISLATION, "0.4.0.1862.1.7", "id-etsi-qcs-QcCClegislation", "QC Legislation Countries") \
  X(MTK_OID_QCS_SEMANTICS_NATURAL, "0.4.0.194121.1.1", "id-etsi-qcs-semanticsId-Natural", "QC Semantics Natural Person") \
  X(MTK_OID_QCS_SEMANTICS_LEGAL, "0.4.0.194121.1.2", "id-etsi-qcs-semanticsId-Legal", "QC Semantics Legal Person") \
  X(MTK_OID_QCS_PSD2, "0.4.0.19495.2", "id-etsi-psd2-qcStatement", "QC PSD2")              \
  /* TLS features (RFC 7633) are integers, not OIDs; PKCS#7 content types */               \
  X(MTK_OID_PKCS7_DATA, "1.2.840.113549.1.7.1", "pkcs7-data", "PKCS#7 data")               \
  X(MTK_OID_PKCS7_SIGNED_DATA, "1.2.840.113549.1.7.2", "pkcs7-signedData", "PKCS#7 signedData") \
  X(MTK_OID_PKCS7_ENVELOPED_DATA, "1.2.840.113549.1.7.3", "pkcs7-envelopedData", "PKCS#7 envelopedData") \
  X(MTK_OID_PKCS7_SIGNED_AND_ENVELOPED, "1.2.840.113549.1.7.4", "pkcs7-signedAndEnvelopedData", "PKCS#7 signedAndEnvelopedData") \
  X(MTK_OID_PKCS7_DIGESTED_DATA, "1.2.840.113549.1.7.5", "pkcs7-digestData", "PKCS#7 digestedData") \
  X(MTK_OID_PKCS7_ENCRYPTED_DATA, "1.2.840.113549.1.7.6", "pkcs7-encryptedData", "PKCS#7 encryptedData")

typedef enum mtk_oid_id {
  MTK_OID_UNKNOWN = 0,
#define MTK_X_ENUM(id, dotted, sn, ln) id,
  MTK_OID_LIST(MTK_X_ENUM)
#undef MTK_X_ENUM
      MTK_OID__COUNT
} mtk_oid_id;

/* mtk_oid_lookup returns the id of the OID whose DER contents are |oid|, or
 * MTK_OID_UNKNOWN. Compares octets; never allocates. Thread-safe. */
MTK_EXPORT mtk_oid_id mtk_oid_lookup(const mtk_cbs *oid);

/* mtk_oid_is: |oid| (DER contents) is the OID |id|. */
MTK_EXPORT bool mtk_oid_is(const mtk_cbs *oid, mtk_oid_id id);

/* mtk_oid_dotted, mtk_oid_short_name, mtk_oid_long_name: the table entries
 * of |id|; "" for MTK_OID_UNKNOWN or an out-of-range id. Static strings. */
MTK_EXPORT const char *mtk_oid_dotted(mtk_oid_id id);
MTK_EXPORT const char *mtk_oid_short_name(mtk_oid_id id);
MTK_EXPORT const char *mtk_oid_long_name(mtk_oid_id id);

/* mtk_oid_der returns the DER contents of |id| (static storage) and its
 * length in |*len|; NULL for MTK_OID_UNKNOWN. */
MTK_EXPORT const uint8_t *mtk_oid_der(mtk_oid_id id, size_t *len);

/* mtk_oid_format writes the dotted form of any OID contents |oid| into |buf|
 * (NUL-terminated; "" on any error). Arcs wider than 64 bits are written in
 * full (decimal arithmetic on the octets). MTK_ERR_DER_OID if malformed,
 * MTK_ERR_BUFFER if |cap| is too small (cap >= 4 * oid->len + 1 always
 * suffices), MTK_ERR_LIMIT for a single arc of more than 1024 octets. */
MTK_EXPORT mtk_status mtk_oid_format(const mtk_cbs *oid, char *buf, size_t cap) MTK_MUST_CHECK;

/* mtk_oid_from_dotted encodes a dotted OID string into DER contents in |out|;
 * |*out_len| gets the length. MTK_ERR_ARG if malformed. For tests and
 * command-line arguments. */
MTK_EXPORT mtk_status mtk_oid_from_dotted(const char *dotted, size_t len, uint8_t *out,
                                          size_t cap, size_t *out_len) MTK_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif /* MTLSKIT_OID_H */

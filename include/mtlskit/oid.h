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
  /* hashes and MGF */                                                                     \
  X(MTK_OID_MD5, "1.2.840.113549.2.5", "md5", "MD5")                                       \
  X(MTK_OID_SHA1, "1.3.14.3.2.26", "sha1", "SHA-1")                                        \
  X(MTK_OID_SHA224, "2.16.840.1.101.3.4.2.4", "sha224", "SHA-224")                         \
  X(MTK_OID_SHA256, "2.16.840.1.101.3.4.2.1", "sha256", "SHA-256")                         \
  X(MTK_OID_SHA384, "2.16.840.1.101.3.4.2.2", "sha384", "SHA-384")                         \
  X(MTK_OID_SHA512, "2.16.840.1.101.3.4.2.3", "sha512", "SHA-512")                         \
  X(MTK_OID_MGF1, "1.2.840.113549.1.1.8", "mgf1", "MGF1")                                  \
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
  /* access methods and qualifiers */                                                      \
  X(MTK_OID_AD_OCSP, "1.3.6.1.5.5.7.48.1", "OCSP", "OCSP")                                 \
  X(MTK_OID_AD_CA_ISSUERS, "1.3.6.1.5.5.7.48.2", "caIssuers", "CA Issuers")                \
  X(MTK_OID_AD_TIME_STAMPING, "1.3.6.1.5.5.7.48.3", "timeStamping", "Time Stamping")       \
  X(MTK_OID_AD_CA_REPOSITORY, "1.3.6.1.5.5.7.48.5", "caRepository", "CA Repository")       \
  X(MTK_OID_QT_CPS, "1.3.6.1.5.5.7.2.1", "id-qt-cps", "CPS")                               \
  X(MTK_OID_QT_UNOTICE, "1.3.6.1.5.5.7.2.2", "id-qt-unotice", "User Notice")               \
  /* otherName types */                                                                    \
  X(MTK_OID_ON_SRVNAME, "1.3.6.1.5.5.7.8.7", "id-on-dnsSRV", "SRVName")                    \
  X(MTK_OID_ON_SMTP_UTF8_MAILBOX, "1.3.6.1.5.5.7.8.9", "id-on-SmtpUTF8Mailbox", "SmtpUTF8Mailbox") \
  X(MTK_OID_ON_UPN, "1.3.6.1.4.1.311.20.2.3", "msUPN", "Microsoft Universal Principal Name") \
  X(MTK_OID_ON_PERMANENT_ID, "1.3.6.1.5.5.7.8.3", "id-on-permanentIdentifier", "Permanent Identifier") \
  X(MTK_OID_ON_HW_MODULE, "1.3.6.1.5.5.7.8.4", "id-on-hardwareModuleName", "Hardware Module Name") \
  X(MTK_OID_ON_XMPP_ADDR, "1.3.6.1.5.5.7.8.5", "id-on-xmppAddr", "XmppAddr")               \
  /* certificate policies */                                                               \
  X(MTK_OID_ANY_POLICY, "2.5.29.32.0", "anyPolicy", "Any Policy")                          \
  X(MTK_OID_CABF_DV, "2.23.140.1.2.1", "domain-validated", "CA/B Forum Domain Validated")  \
  X(MTK_OID_CABF_OV, "2.23.140.1.2.2", "organization-validated", "CA/B Forum Organization Validated") \
  X(MTK_OID_CABF_IV, "2.23.140.1.2.3", "individual-validated", "CA/B Forum Individual Validated") \
  X(MTK_OID_CABF_EV, "2.23.140.1.1", "ev-guidelines", "CA/B Forum Extended Validation")    \
  X(MTK_OID_CABF_CODE_SIGNING, "2.23.140.1.4.1", "code-signing-requirements", "CA/B Forum Code Signing") \
  /* TLS features (RFC 7633) are integers, not OIDs; PKCS#7 content types */               \
  X(MTK_OID_PKCS7_DATA, "1.2.840.113549.1.7.1", "pkcs7-data", "PKCS#7 data")               \
  X(MTK_OID_PKCS7_SIGNED_DATA, "1.2.840.113549.1.7.2", "pkcs7-signedData", "PKCS#7 signedData")

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
 * (NUL-terminated). Arcs wider than 64 bits are written in full (decimal
 * arithmetic on the octets). MTK_ERR_DER_OID if malformed, MTK_ERR_BUFFER if
 * |cap| is too small (a 128-byte buffer holds any OID of up to ~55 octets;
 * 512 holds any OID mtlskit will accept in a certificate). */
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

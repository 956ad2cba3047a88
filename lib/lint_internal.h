/* lint_internal.h: the check table and the context the lint areas share.
 *
 * lint.c owns the registry, the public entry points and the finding list;
 * each lint_<area>.c holds the checks of one area as small functions over a
 * lint_ctx. A check computes, then calls lint_emit, which drops what does
 * not apply (role, effective date) and applies --private-pki. */
#ifndef MTLSKIT_LINT_INTERNAL_H
#define MTLSKIT_LINT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mtlskit/lint.h"

/* Days since 1970-01-01 of a civil date, as a constant expression (the
 * days_from_civil algorithm; years >= 1970). */
#define LINT_Y_(y, m) ((int64_t)(y) - ((m) <= 2 ? 1 : 0))
#define LINT_DOY_(m, d) ((153 * ((m) > 2 ? (m)-3 : (m) + 9) + 2) / 5 + (d)-1)
#define LINT_DOE_(y, m, d)                                                          \
  ((LINT_Y_(y, m) % 400) * 365 + (LINT_Y_(y, m) % 400) / 4 - (LINT_Y_(y, m) % 400) / 100 + \
   LINT_DOY_(m, d))
#define LINT_DAYS(y, m, d) ((LINT_Y_(y, m) / 400) * 146097 + LINT_DOE_(y, m, d) - 719468)
#define LINT_TIME(y, m, d) ((mtk_time)LINT_DAYS(y, m, d) * 86400)

/* Effective-date columns of the table: the text and the time. */
#define ALWAYS "", 0
#define SINCE(text, y, m, d) text, LINT_TIME(y, m, d)

/* Applies-to columns. */
#define A_SRV MTK_APPLIES_SERVER
#define A_CLI MTK_APPLIES_CLIENT
#define A_CA MTK_APPLIES_CA
#define A_CSR MTK_APPLIES_CSR
#define A_LEAF (MTK_APPLIES_SERVER | MTK_APPLIES_CLIENT)
#define A_LEAFR (MTK_APPLIES_SERVER | MTK_APPLIES_CLIENT | MTK_APPLIES_CSR)
#define A_CERT MTK_APPLIES_CERT
#define A_ALL MTK_APPLIES_ALL

#define SEV_E MTK_SEV_ERROR
#define SEV_W MTK_SEV_WARNING
#define SEV_N MTK_SEV_NOTICE

/* X(id, severity, effective, source, applies, public_only, quirk, summary)
 *
 * The id's prefix matches the severity (lint_test checks it). |quirk| is the
 * MTK_QUIRK_* kind a check reports, 0 for checks computed here. Append new
 * checks in their area; ids are stable once released. */
#define LINT_CHECK_LIST(X)                                                                  \
  /* ---- keys ---- */                                                                      \
  X(e_spki_key_malformed, SEV_E, ALWAYS, "RFC 5280 4.1.2.7; RFC 8017 A.1.1; RFC 5480 2.2",  \
    A_ALL, false, 0,                                                                        \
    "The public key bytes do not decode as their algorithm requires, so no TLS library can use the key.") \
  X(e_key_algorithm_not_allowed_public, SEV_E, ALWAYS, "CABF BR 6.1.5, 7.1.3.1.1", A_ALL,   \
    true, 0,                                                                                \
    "Publicly-trusted certificates may only carry RSA (rsaEncryption) or ECDSA keys; browsers reject other key types.") \
  X(e_rsa_modulus_too_small, SEV_E, ALWAYS, "CABF BR 6.1.5; NIST SP 800-131A", A_ALL,       \
    false, 0,                                                                               \
    "Browsers and TLS libraries reject RSA keys under 2048 bits; an attacker can factor them.") \
  X(e_rsa_modulus_not_multiple_of_8, SEV_E, ALWAYS, "CABF BR 6.1.5", A_ALL, true, 0,        \
    "The BRs require an RSA modulus size divisible by 8; an odd size usually means a faulty key generator.") \
  X(e_rsa_exponent_even, SEV_E, ALWAYS, "CABF BR 6.1.6; RFC 8017 3.1", A_ALL, false, 0,     \
    "An even RSA public exponent cannot belong to a working RSA key: no private exponent exists for it.") \
  X(e_rsa_exponent_too_small, SEV_E, ALWAYS, "CABF BR 6.1.6; RFC 8017 3.1", A_ALL, false, 0, \
    "An RSA public exponent below 3 (0 or 1) does not encrypt at all, so signatures under it are forgeable.") \
  X(w_rsa_exponent_not_recommended, SEV_W, ALWAYS, "CABF BR 6.1.6", A_ALL, true, 0,         \
    "The BRs recommend a public exponent from 2^16+1 to 2^256-1; small ones such as 3 have a long history of padding attacks.") \
  X(e_rsa_roca_vulnerable, SEV_E, ALWAYS, "CABF BR 6.1.1.3; CVE-2017-15361", A_ALL, false, 0, \
    "The modulus has the fingerprint of Infineon's flawed generator (ROCA); its private key can be computed.") \
  X(e_rsa_small_prime_factor, SEV_E, ALWAYS, "CABF BR 6.1.6", A_ALL, false, 0,              \
    "The modulus has a small prime factor, so anyone can factor it and recover the private key.") \
  X(e_rsa_fermat_factorable, SEV_E, SINCE("2024-11-15", 2024, 11, 15), "CABF BR 6.1.1.3",   \
    A_ALL, false, 0,                                                                        \
    "The two primes are so close that Fermat's method factors the modulus within 100 rounds; the key is broken.") \
  X(e_ec_explicit_curve_params, SEV_E, ALWAYS, "RFC 5480 2.1.1", A_ALL, false, 0,           \
    "The EC key spells out curve parameters instead of naming a curve; RFC 5480 forbids it and crafted parameters enabled spoofing (CVE-2020-0601).") \
  X(e_ec_implicit_curve, SEV_E, ALWAYS, "RFC 5480 2.1.1", A_ALL, false, 0,                  \
    "The EC key inherits its curve from the issuer (implicitCurve), which RFC 5480 forbids and TLS libraries do not support.") \
  X(e_ec_curve_unknown, SEV_E, ALWAYS, "RFC 5480 2.1.1.1", A_ALL, false, 0,                 \
    "The EC key names a curve that is not recognised; TLS peers will not be able to use it.") \
  X(e_ec_curve_weak, SEV_E, ALWAYS, "NIST SP 800-57 Part 1 5.6.1", A_ALL, false, 0,         \
    "The curve gives under 112 bits of security (a field under 224 bits); such keys can be broken.") \
  X(e_ec_curve_not_allowed_public, SEV_E, ALWAYS, "CABF BR 6.1.5", A_ALL, true, 0,          \
    "Publicly-trusted certificates may only use P-256, P-384 or P-521; browsers refuse other curves such as brainpool or secp256k1.") \
  X(n_ec_point_compressed, SEV_N, ALWAYS, "RFC 5480 2.2; RFC 8422 5.1.2", A_ALL, false, 0,  \
    "The EC point is compressed; only the uncompressed form must be supported, and some TLS peers reject the other.") \
  X(w_dsa_key_deprecated, SEV_W, ALWAYS, "RFC 8446 4.2.3; FIPS 186-5", A_ALL, false, 0,     \
    "DSA is not part of TLS 1.3 and was withdrawn by FIPS 186-5; most clients no longer accept it.") \
  /* ---- signatures ---- */                                                                \
  X(e_signature_md2_md4, SEV_E, ALWAYS, "RFC 6149; RFC 6150", A_ALL, false, 0,              \
    "MD2 and MD4 are broken hash functions; a signature over them proves nothing.")         \
  X(e_signature_md5, SEV_E, ALWAYS, "RFC 6151; CABF BR 7.1.3.2", A_ALL, false, 0,           \
    "MD5 collisions are practical (a rogue CA certificate was forged with them in 2008); no client accepts MD5 signatures.") \
  X(e_signature_sha1, SEV_E, ALWAYS, "CABF BR 7.1.3.2; RFC 9155", A_CERT, false, 0,         \
    "SHA-1 collisions are practical (SHAttered, 2017); browsers and OpenSSL at its default level reject SHA-1 certificate signatures.") \
  X(w_csr_signature_sha1, SEV_W, ALWAYS, "RFC 9155; common practice", A_CSR, false, 0,      \
    "The request is signed with SHA-1; a CSR signature only proves possession of the key, so collisions matter less, but many CAs refuse SHA-1 requests.") \
  X(e_signature_algorithm_mismatch, SEV_E, ALWAYS, "RFC 5280 4.1.1.2", A_CERT, false, 0,    \
    "The signature algorithm inside the signed part differs from the one outside; RFC 5280 requires identical encodings, and a mismatch hints at tampering.") \
  X(e_signature_rsa_params_not_null, SEV_E, ALWAYS, "RFC 4055 5; RFC 3279 2.2.1", A_ALL,    \
    false, 0,                                                                               \
    "PKCS#1 v1.5 signature algorithms must carry NULL parameters; strict verifiers reject any other encoding.") \
  X(e_signature_params_not_absent, SEV_E, ALWAYS, "RFC 5758 3.1, 3.2; RFC 8410 6", A_ALL,   \
    false, 0,                                                                               \
    "ECDSA, DSA and EdDSA signature algorithms must omit their parameters; strict verifiers reject them otherwise.") \
  X(e_pss_params_missing, SEV_E, ALWAYS, "RFC 4055 3.1", A_ALL, false, 0,                   \
    "An RSASSA-PSS signature algorithm must state its parameters; without them verifiers fall back to SHA-1 defaults or fail.") \
  X(e_pss_params_malformed, SEV_E, ALWAYS, "RFC 4055 3.1", A_ALL, false, 0,                 \
    "The RSASSA-PSS parameters do not decode, so no verifier can check the signature.")    \
  X(e_pss_trailer_field_invalid, SEV_E, ALWAYS, "RFC 8017 A.2.3; RFC 4055 3.1", A_ALL,      \
    false, 0, "The PSS trailerField must be 1; other values are undefined and verifiers refuse them.") \
  X(e_pss_mgf_not_mgf1, SEV_E, ALWAYS, "RFC 8017 A.2.3; RFC 4055 3.1", A_ALL, false, 0,     \
    "The PSS mask generation function must be MGF1, the only one defined; verifiers refuse others.") \
  X(w_pss_mgf_hash_mismatch, SEV_W, ALWAYS, "RFC 4055 3.1; CABF BR 7.1.3.2", A_ALL, false,  \
    0, "MGF1 should use the same hash as the signature; mixed hashes are refused by the BRs and by some verifiers.") \
  X(e_pss_salt_length_not_hash_length, SEV_E, ALWAYS, "CABF BR 7.1.3.2", A_ALL, true, 0,    \
    "The BRs allow only a PSS salt as long as the hash output (32, 48 or 64 octets).")     \
  X(e_pss_default_params_encoded, SEV_E, ALWAYS, "X.690 11.5; CABF BR 7.1.3.2", A_ALL,      \
    false, 0,                                                                               \
    "A PSS parameter equal to its DEFAULT is written out; DER omits defaults, so verifiers comparing encodings disagree.") \
  X(e_signature_algorithm_not_allowed_public, SEV_E, ALWAYS, "CABF BR 7.1.3.2", A_CERT,     \
    true, 0,                                                                                \
    "Publicly-trusted certificates may only be signed with RSA (PKCS#1 v1.5 or PSS) or ECDSA using SHA-256, SHA-384 or SHA-512.") \
  X(e_csr_signature_invalid, SEV_E, ALWAYS, "RFC 2986 3, 4.2", A_CSR, false, 0,             \
    "The request's signature does not verify with its own key, so it does not prove possession of the private key; a CA must refuse it.") \
  X(n_csr_signature_unsupported, SEV_N, ALWAYS, "RFC 2986 4.2", A_CSR, false, 0,            \
    "The request's signature uses an algorithm this tool cannot verify; the CA's software has to check it.") \
  /* ---- validity, serial, version ---- */                                                 \
  X(e_cert_expired, SEV_E, ALWAYS, "RFC 5280 4.1.2.5", A_CERT, false, 0,                    \
    "The certificate's notAfter is in the past; every TLS peer rejects it.")                \
  X(e_cert_not_yet_valid, SEV_E, ALWAYS, "RFC 5280 4.1.2.5", A_CERT, false, 0,              \
    "The certificate's notBefore is in the future; peers reject it until then (check the issuer's clock).") \
  X(e_validity_negative, SEV_E, ALWAYS, "RFC 5280 4.1.2.5", A_CERT, false, 0,               \
    "notBefore is after notAfter, so the certificate is never valid.")                     \
  X(e_server_validity_too_long, SEV_E, SINCE("2020-09-01", 2020, 9, 1), "CABF BR 6.3.2",    \
    A_SRV, true, 0,                                                                         \
    "Publicly-trusted server certificates may be valid for at most 398 days, 200 from 2026-03-15, 100 from 2027-03-15 and 47 from 2029-03-15.") \
  X(e_serial_zero, SEV_E, ALWAYS, "RFC 5280 4.1.2.2", A_CERT, false, 0,                     \
    "The serial number must be a positive integer; zero breaks revocation by serial number.") \
  X(e_serial_too_long, SEV_E, ALWAYS, "RFC 5280 4.1.2.2", A_CERT, false, 0,                 \
    "Serial numbers longer than 20 octets are forbidden; verifiers may truncate or reject them.") \
  X(w_serial_low_entropy, SEV_W, ALWAYS, "CABF BR 7.1", A_CERT, true, 0,                    \
    "The serial is too short to hold the 64 random bits the BRs require; unpredictable serials defeat chosen-prefix collision attacks.") \
  X(e_cert_not_v3, SEV_E, ALWAYS, "CABF BR 7.1.1; RFC 5280 4.1.2.1", A_LEAF, false, 0,      \
    "A v1 or v2 leaf certificate cannot carry extensions (no subjectAltName, no key usage), so modern clients cannot match or constrain it.") \
  X(n_ca_cert_v1, SEV_N, ALWAYS, "RFC 5280 4.1.2.1, 6.1.4", A_CA, false, 0,                 \
    "A v1 CA certificate has no basicConstraints; only old roots look like this, and verifiers refuse v1 intermediates.") \
  X(e_issuer_empty, SEV_E, ALWAYS, "RFC 5280 4.1.2.4", A_CERT, false, 0,                    \
    "The issuer name must not be empty; path building matches it against the issuing CA's subject.") \
  X(e_unique_id_present, SEV_E, ALWAYS, "RFC 5280 4.1.2.8", A_CERT, false, 0,               \
    "CAs must not issue certificates with issuer or subject unique identifiers; they are obsolete and confuse name matching.") \
  /* ---- subject and issuer names ---- */                                                  \
  X(e_subject_empty_without_critical_san, SEV_E, ALWAYS, "RFC 5280 4.2.1.6", A_CERT, false, \
    0, "With an empty subject the identity lives only in subjectAltName, which must then be present and critical.") \
  X(e_subject_attr_empty, SEV_E, ALWAYS, "RFC 5280 Appendix A", A_ALL, false, 0,            \
    "A name attribute has an empty value; the ASN.1 requires at least one character and parsers disagree on empty strings.") \
  X(e_subject_attr_too_long, SEV_E, ALWAYS, "RFC 5280 Appendix A", A_ALL, false, 0,         \
    "A name attribute is longer than its upper bound (CN, O, OU 64; L, ST 128; ...); strict parsers reject the certificate.") \
  X(e_subject_country_invalid, SEV_E, ALWAYS, "RFC 5280 Appendix A; ISO 3166-1", A_ALL,     \
    false, 0, "countryName must be a two-letter upper-case ISO 3166 code in a PrintableString.") \
  X(n_subject_duplicate_attr, SEV_N, ALWAYS, "common practice", A_ALL, false, 0,            \
    "The subject repeats an attribute that normally appears once (CN, O, C ...); software that reads one value may pick the wrong one.") \
  X(w_multi_valued_rdn, SEV_W, ALWAYS, "CABF BR 7.1.4; common practice", A_ALL, false, 0,   \
    "Several attributes share one RDN; software that treats names as lists renders and compares them inconsistently, and the BRs forbid it.") \
  X(e_server_subject_ou, SEV_E, SINCE("2022-09-01", 2022, 9, 1), "CABF BR 7.1.2.7.2",       \
    A_SRV, true, 0,                                                                         \
    "Publicly-trusted server certificates may not contain organizationalUnitName since 2022-09-01; CAs could not validate it.") \
  X(n_subject_email_address, SEV_N, ALWAYS, "RFC 5280 4.1.2.6", A_ALL, false, 0,            \
    "emailAddress in the subject is legacy; software matches e-mail addresses in subjectAltName rfc822Name.") \
  X(w_directory_string_type, SEV_W, ALWAYS, "RFC 5280 4.1.2.4", A_ALL, false, 0,            \
    "Names should use PrintableString or UTF8String; other string types are decoded inconsistently and break name comparison.") \
  /* ---- subjectAltName and identities ---- */                                             \
  X(e_server_cert_no_san, SEV_E, ALWAYS, "CABF BR 7.1.2.7.12; RFC 9525 6.3", A_SRV, false,  \
    0, "A server certificate without subjectAltName has no identity clients check: RFC 9525 and current browsers never use the CN.") \
  X(w_client_cert_no_san, SEV_W, ALWAYS, "common practice (mTLS); RFC 9525 6.3", A_CLI,     \
    false, 0,                                                                               \
    "A client certificate without subjectAltName forces servers to authorise by CN; access rules by DNS name, URI or SPIFFE ID need a SAN.") \
  X(w_csr_no_san, SEV_W, ALWAYS, "CABF BR 7.1.2.7.12; RFC 9525 6.3", A_CSR, false, 0,       \
    "The request asks for no subjectAltName; the certificate's identity would rest on the CN, which clients ignore.") \
  X(e_cn_not_in_san, SEV_E, ALWAYS, "CABF BR 7.1.2.7.2", A_SRV, true, 0,                    \
    "The common name must repeat one of the subjectAltName DNS names or IP addresses; a differing CN shows an identity nobody checks.") \
  X(w_csr_cn_not_in_san, SEV_W, ALWAYS, "CABF BR 7.1.2.7.2", A_CSR, false, 0,               \
    "The requested common name is not among the requested SAN names; a public CA will refuse the request or drop the CN.") \
  X(w_san_critical_with_subject, SEV_W, ALWAYS, "RFC 5280 4.2.1.6", A_CERT, false, 0,       \
    "subjectAltName should not be critical when the subject is not empty; old clients that do not know it would reject the certificate.") \
  X(e_san_ip_bad_length, SEV_E, ALWAYS, "RFC 5280 4.2.1.6", A_ALL, false, 0,                \
    "A SAN iPAddress must be 4 (IPv4) or 16 (IPv6) octets; other lengths match nothing and some parsers reject the certificate.") \
  X(e_dns_name_empty, SEV_E, ALWAYS, "RFC 5280 4.2.1.6", A_ALL, false, 0,                   \
    "A dNSName is empty; RFC 5280 forbids it, and careless matchers treat an empty name as matching anything.") \
  X(e_dns_name_not_ascii, SEV_E, ALWAYS, "RFC 5280 4.2.1.6, 7.2; RFC 9549", A_ALL, false, 0, \
    "A dNSName holds non-ASCII octets; internationalised names must be written as A-labels (xn--...), or no client matches them.") \
  X(e_dns_name_bad_char, SEV_E, ALWAYS, "RFC 5280 4.2.1.6; RFC 1034 3.5", A_ALL, false, 0,  \
    "A dNSName holds characters other than letters, digits, hyphens and dots; no real host name matches it.") \
  X(e_dns_name_empty_label, SEV_E, ALWAYS, "RFC 5280 4.2.1.6; RFC 1034 3.5", A_ALL, false,  \
    0, "A dNSName has a leading, trailing or doubled dot; it is not a valid host name and clients do not match it.") \
  X(e_dns_label_too_long, SEV_E, ALWAYS, "RFC 1035 2.3.4", A_ALL, false, 0,                 \
    "A DNS label is longer than 63 octets, which DNS cannot represent.")                    \
  X(e_dns_name_too_long, SEV_E, ALWAYS, "RFC 1035 2.3.4", A_ALL, false, 0,                  \
    "A dNSName is longer than 253 characters, which DNS cannot represent.")                 \
  X(e_dns_label_bad_hyphen, SEV_E, ALWAYS, "RFC 1034 3.5; RFC 5891 4.2.3.1", A_ALL, false,  \
    0, "A DNS label starts or ends with a hyphen, which host names may not do.")            \
  X(e_dns_underscore, SEV_E, SINCE("2019-04-01", 2019, 4, 1), "CABF BR 7.1.4.2.1 (Ballot SC12)", \
    A_ALL, true, 0,                                                                         \
    "Underscores are not allowed in host names of publicly-trusted certificates since April 2019.") \
  X(e_dns_name_is_ip, SEV_E, ALWAYS, "RFC 5280 4.2.1.6; CABF BR 7.1.2.7.12", A_ALL, false,  \
    0, "An IP address is written as a dNSName; clients match IP addresses only against iPAddress entries.") \
  X(e_dns_wildcard_not_leftmost, SEV_E, ALWAYS, "RFC 9525 6.3", A_ALL, false, 0,            \
    "A wildcard appears in a label other than the first; clients only honour '*' as the whole left-most label.") \
  X(e_dns_wildcard_partial_label, SEV_E, ALWAYS, "RFC 9525 6.3", A_ALL, false, 0,           \
    "A wildcard is only part of a label (as in 'f*.example.com'); clients do not match partial-label wildcards.") \
  X(e_dns_wildcard_too_broad, SEV_E, ALWAYS, "CABF BR 3.2.2.6; RFC 9525 6.3", A_ALL, false, \
    0, "A wildcard sits directly above a top-level label ('*.com') and would cover every domain there; clients refuse it.") \
  X(n_dns_name_uppercase, SEV_N, ALWAYS, "RFC 4343; common practice", A_ALL, false, 0,      \
    "A dNSName has upper-case letters; matching ignores case, but lower case is the canonical form CAs issue.") \
  X(e_spiffe_multiple_uri_sans, SEV_E, ALWAYS, "X.509-SVID 2", A_LEAFR, false, 0,           \
    "An X.509-SVID must carry exactly one URI SAN; with several, SPIFFE verifiers reject it as ambiguous.") \
  X(e_spiffe_id_malformed, SEV_E, ALWAYS, "SPIFFE-ID 2", A_ALL, false, 0,                   \
    "The SPIFFE ID is not of the form spiffe://trust-domain/path (lower-case scheme, no user, port, query or fragment); SPIFFE libraries reject it.") \
  X(e_spiffe_trust_domain_invalid, SEV_E, ALWAYS, "SPIFFE-ID 2.1", A_ALL, false, 0,         \
    "The SPIFFE trust domain must be non-empty and use only lower-case letters, digits, '.', '-' and '_'.") \
  X(e_spiffe_path_invalid, SEV_E, ALWAYS, "SPIFFE-ID 2.2", A_ALL, false, 0,                 \
    "A SPIFFE ID path segment is empty, '.' or '..', or has characters other than letters, digits, '.', '-' and '_'; SPIFFE libraries reject it.") \
  X(w_spiffe_id_too_long, SEV_W, ALWAYS, "SPIFFE-ID 2.3", A_ALL, false, 0,                  \
    "The SPIFFE ID is longer than 2048 bytes; implementations need not accept longer IDs.") \
  X(e_spiffe_leaf_key_usage, SEV_E, ALWAYS, "X.509-SVID 4.3", A_LEAFR, false, 0,            \
    "A leaf X.509-SVID must have keyUsage with digitalSignature and without keyCertSign or cRLSign.") \
  /* ---- extensions ---- */                                                                \
  X(e_ext_duplicate, SEV_E, ALWAYS, "RFC 5280 4.2", A_ALL, false, 0,                        \
    "An extension appears twice; RFC 5280 forbids it, and verifiers read either copy or reject the certificate.") \
  X(e_ext_unknown_critical, SEV_E, ALWAYS, "RFC 5280 4.2", A_ALL, false, 0,                 \
    "A critical extension is not recognised; verifiers must reject certificates with critical extensions they do not understand.") \
  X(e_ca_ku_missing, SEV_E, ALWAYS, "RFC 5280 4.2.1.3", A_CA, false, 0,                     \
    "A CA certificate must have keyUsage; without it verifiers cannot tell that the key may sign certificates.") \
  X(e_ca_ku_no_cert_sign, SEV_E, ALWAYS, "RFC 5280 4.2.1.3, 4.2.1.9", A_CA, false, 0,       \
    "The CA certificate's keyUsage lacks keyCertSign, so certificates it signs fail verification.") \
  X(w_ca_ku_not_critical, SEV_W, ALWAYS, "RFC 5280 4.2.1.3; CABF BR 7.1.2.10.7", A_CA,      \
    false, 0, "keyUsage in a CA certificate should be critical, so that verifiers ignoring it cannot misuse the key.") \
  X(e_ku_cert_sign_without_ca, SEV_E, ALWAYS, "RFC 5280 4.2.1.3", A_ALL, false, 0,          \
    "keyUsage asserts keyCertSign but basicConstraints does not say CA; RFC 5280 forbids the mix and verifiers handle it inconsistently.") \
  X(e_leaf_ku_no_digital_signature, SEV_E, ALWAYS, "RFC 8446 4.4.2.4; RFC 5280 4.2.1.3",    \
    A_LEAFR, false, 0,                                                                      \
    "keyUsage lacks digitalSignature, which TLS 1.3, ECDHE suites and every client authentication need to sign the handshake.") \
  X(w_server_rsa_ku_key_encipherment_only, SEV_W, ALWAYS, "RFC 5246 7.4.7.1; RFC 8446 4.4.2.4", \
    A_SRV | A_CSR, false, 0,                                                                \
    "The RSA key may only do keyEncipherment (TLS 1.2 RSA key exchange); TLS 1.3 and forward-secret suites need digitalSignature.") \
  X(e_ku_encipherment_with_signature_key, SEV_E, ALWAYS, "RFC 8813 3; RFC 8410 5", A_ALL,   \
    false, 0,                                                                               \
    "keyUsage allows keyEncipherment or dataEncipherment for an EC or EdDSA key, which cannot encrypt; RFC 8813 forbids it.") \
  X(w_server_ku_missing, SEV_W, ALWAYS, "CABF BR 7.1.2.7.6", A_SRV, true, 0,                \
    "The BRs recommend keyUsage in server certificates, limiting the key to what TLS needs.") \
  X(e_server_eku_missing, SEV_E, ALWAYS, "CABF BR 7.1.2.7.6, 7.1.2.7.10", A_SRV, true, 0,   \
    "Publicly-trusted server certificates must have extendedKeyUsage with serverAuth; without it the key is good for anything.") \
  X(e_server_eku_no_server_auth, SEV_E, ALWAYS, "RFC 5280 4.2.1.12; CABF BR 7.1.2.7.10",    \
    A_SRV, false, 0, "extendedKeyUsage lacks serverAuth, so TLS clients reject the certificate for a server.") \
  X(e_client_eku_no_client_auth, SEV_E, ALWAYS, "RFC 5280 4.2.1.12", A_CLI, false, 0,       \
    "extendedKeyUsage lacks clientAuth, so mTLS servers (OpenSSL, Go, Envoy ...) reject the certificate for a client.") \
  X(n_client_eku_missing, SEV_N, ALWAYS, "RFC 5280 4.2.1.12", A_CLI, false, 0,              \
    "A client certificate without extendedKeyUsage is valid for every purpose; naming clientAuth limits what a stolen key can do.") \
  X(e_server_cert_has_client_auth_eku, SEV_E, SINCE("2027-03-15", 2027, 3, 15),             \
    "Chrome Root Program Policy 1.6; CABF BR 7.1.2.7.10", A_SRV, true, 0,                   \
    "Publicly-trusted server certificates may not carry clientAuth from 2027-03-15; mTLS client certificates need their own hierarchy.") \
  X(n_client_auth_in_public_server_cert, SEV_N, ALWAYS, "Chrome Root Program Policy 1.6",   \
    A_SRV, true, 0,                                                                         \
    "This server certificate also allows clientAuth, which public CAs are phasing out (forbidden from 2027-03-15); build mTLS client identity on a private CA.") \
  X(w_leaf_eku_any, SEV_W, ALWAYS, "CABF BR 7.1.2.7.10; RFC 5280 4.2.1.12", A_LEAFR, false, \
    0, "anyExtendedKeyUsage lets the key be used for anything (code signing, e-mail ...); name only the usages needed.") \
  X(e_leaf_bc_ca_true, SEV_E, ALWAYS, "RFC 5280 4.2.1.9", A_LEAF, false, 0,                 \
    "basicConstraints says CA in what should be a leaf certificate: its key could issue certificates for any name.") \
  X(e_ca_bc_missing, SEV_E, ALWAYS, "RFC 5280 4.2.1.9", A_CA, false, 0,                     \
    "A CA certificate must have basicConstraints with cA TRUE; without it verifiers refuse the certificates it issues.") \
  X(e_ca_bc_not_critical, SEV_E, ALWAYS, "RFC 5280 4.2.1.9", A_CA, false, 0,                \
    "basicConstraints must be critical in CA certificates, so that verifiers that do not understand it fail closed.") \
  X(e_bc_pathlen_invalid, SEV_E, ALWAYS, "RFC 5280 4.2.1.9", A_ALL, false, 0,               \
    "pathLenConstraint is only allowed when cA is TRUE and keyUsage, if present, asserts keyCertSign.") \
  X(e_ca_ski_missing, SEV_E, ALWAYS, "RFC 5280 4.2.1.2", A_CA, false, 0,                    \
    "CA certificates must have subjectKeyIdentifier; path building uses it to find the issuer of each certificate.") \
  X(w_client_ski_missing, SEV_W, ALWAYS, "RFC 5280 4.2.1.2", A_CLI, false, 0,               \
    "End-entity certificates should have subjectKeyIdentifier to identify the key (public server certificates are exempt: the BRs no longer recommend it).") \
  X(e_ski_critical, SEV_E, ALWAYS, "RFC 5280 4.2.1.2", A_ALL, false, 0,                     \
    "subjectKeyIdentifier must not be critical.")                                           \
  X(e_aki_missing, SEV_E, ALWAYS, "RFC 5280 4.2.1.1", A_CERT, false, 0,                     \
    "Every certificate but a self-signed one must have authorityKeyIdentifier; path building uses it to pick the issuer's key.") \
  X(e_aki_no_key_id, SEV_E, ALWAYS, "RFC 5280 4.2.1.1", A_CERT, false, 0,                   \
    "authorityKeyIdentifier must contain keyIdentifier; issuer and serial alone break when the issuer is re-certified.") \
  X(e_aki_critical, SEV_E, ALWAYS, "RFC 5280 4.2.1.1", A_CERT, false, 0,                    \
    "authorityKeyIdentifier must not be critical.")                                         \
  X(e_aki_issuer_serial_public, SEV_E, ALWAYS, "CABF BR 7.1.2.11.1", A_CERT, true, 0,       \
    "The BRs forbid authorityCertIssuer and authorityCertSerialNumber; they tie the certificate to one copy of the issuer certificate.") \
  X(e_crldp_no_http_uri, SEV_E, ALWAYS, "CABF BR 7.1.2.11.2", A_CERT, true, 0,              \
    "cRLDistributionPoints in publicly-trusted certificates must give an http:// URL that clients can fetch.") \
  X(e_aia_not_http_uri, SEV_E, ALWAYS, "CABF BR 7.1.2.7.7", A_CERT, true, 0,                \
    "authorityInformationAccess locations in publicly-trusted certificates must be http:// URLs.") \
  X(e_server_no_revocation_info, SEV_E, ALWAYS, "CABF BR 7.1.2.11.2, 7.1.2.7.7", A_SRV,     \
    true, 0, "The certificate names neither a CRL nor an OCSP responder, so clients cannot learn that it was revoked.") \
  X(n_aia_ocsp_missing, SEV_N, ALWAYS, "CABF BR 7.1.2.7.7", A_SRV, true, 0,                 \
    "No OCSP responder is named; OCSP is optional since 2024 when a CRL is given, but some clients still look for it.") \
  X(e_cert_policies_missing, SEV_E, ALWAYS, "CABF BR 7.1.2.7.9", A_SRV, true, 0,            \
    "Publicly-trusted server certificates must name the CA/Browser Forum policy they were validated under.") \
  X(w_policy_qualifier_not_cps, SEV_W, ALWAYS, "CABF BR 7.1.2.7.9, 7.1.2.10.5", A_CERT,     \
    true, 0, "Policy qualifiers other than a CPS URI (user notices, unknown ones) are forbidden by the BRs; clients never show them.") \
  X(w_nc_not_critical, SEV_W, ALWAYS, "RFC 5280 4.2.1.10; CABF BR 7.1.2.10.8", A_CA, false, \
    0, "nameConstraints should be critical so that verifiers ignoring it fail closed; RFC 5280 requires it, the BRs tolerate it.") \
  X(e_nc_in_leaf, SEV_E, ALWAYS, "RFC 5280 4.2.1.10", A_LEAF, false, 0,                      \
    "nameConstraints belongs only in CA certificates; in a leaf it constrains nothing and suggests a mis-issued CA.") \
  X(e_precert_poison, SEV_E, ALWAYS, "RFC 6962 3.1", A_CERT, false, 0,                      \
    "This is a Certificate Transparency precertificate (poison extension), not a usable certificate; TLS libraries reject it.") \
  X(n_must_staple, SEV_N, ALWAYS, "RFC 7633 4", A_LEAFR, false, 0,                          \
    "OCSP must-staple is set: the server must staple a fresh OCSP response or clients that honour it fail; several public CAs no longer run OCSP.") \
  X(w_ocsp_nocheck_not_ocsp_signing, SEV_W, ALWAYS, "RFC 6960 4.2.2.2.1", A_CERT, false, 0, \
    "id-pkix-ocsp-nocheck tells clients never to check this certificate's revocation; it belongs only in OCSP responder certificates.") \
  X(n_server_no_sct, SEV_N, ALWAYS, "RFC 6962 3.3; Chrome and Apple CT policies", A_SRV,    \
    true, 0, "No embedded SCTs: browsers require Certificate Transparency, so the server must deliver SCTs in TLS or OCSP.") \
  X(n_netscape_cert_type, SEV_N, ALWAYS, "common practice", A_ALL, false, 0,                \
    "The Netscape certificate type extension is obsolete; software uses extendedKeyUsage instead.") \
  /* ---- certification requests ---- */                                                   \
  X(n_csr_challenge_password, SEV_N, ALWAYS, "RFC 2985 5.4.1", A_CSR, false, 0,             \
    "A challengePassword travels in clear inside the request and is often a shared secret; anyone who sees the CSR learns it.") \
  X(n_csr_ext_ignored, SEV_N, ALWAYS, "common practice", A_CSR, false, 0,                   \
    "The request asks for an extension that CAs set themselves (key identifiers, CRL, AIA, policies ...); it will be ignored or replaced.") \
  X(w_csr_requests_ca, SEV_W, ALWAYS, "RFC 5280 4.2.1.9", A_CSR, false, 0,                  \
    "The request asks for basicConstraints cA TRUE; a CA that honoured it would let the key issue certificates.") \
  /* ---- DER and encoding quirks met by the parser (MTK_QUIRK_LIST) ---- */                \
  X(e_der_boolean_true_not_ff, SEV_E, ALWAYS, "X.690 11.1", A_ALL, false,                   \
    MTK_QUIRK_BOOL_NOT_FF,                                                                  \
    "A BOOLEAN TRUE is not 0xFF; DER allows one encoding only, and parsers that compare bytes disagree.") \
  X(e_der_default_value_encoded, SEV_E, ALWAYS, "X.690 11.5", A_ALL, false,                 \
    MTK_QUIRK_DEFAULT_ENCODED,                                                              \
    "A field equal to its DEFAULT (such as critical FALSE) is written out; DER omits it, and strict parsers reject it.") \
  X(e_der_named_bits_trailing_zero, SEV_E, ALWAYS, "X.690 11.2.2", A_ALL, false,            \
    MTK_QUIRK_BITSTRING_TRAILING_ZERO,                                                      \
    "A named-bit BIT STRING (such as keyUsage) has trailing zero bits; DER removes them, and strict parsers reject it.") \
  X(e_der_set_of_not_sorted, SEV_E, ALWAYS, "X.690 11.6", A_ALL, false,                     \
    MTK_QUIRK_SET_NOT_SORTED,                                                               \
    "The values of a SET OF are not in DER order; re-encoding changes the bytes and breaks signatures over them.") \
  X(e_der_printablestring_charset, SEV_E, ALWAYS, "X.680 41.4; RFC 5280 4.1.2.4", A_ALL,    \
    false, MTK_QUIRK_PRINTABLE_CHARSET,                                                     \
    "A PrintableString holds characters outside its alphabet (such as '*', '@' or '_'); strict parsers reject it.") \
  X(e_der_ia5string_charset, SEV_E, ALWAYS, "X.680 41 (IA5String); RFC 5280 4.2.1.6", A_ALL, \
    false, MTK_QUIRK_IA5_CHARSET,                                                           \
    "An IA5String holds octets above 0x7F; it is ASCII only, and software reads such bytes in different character sets.") \
  X(e_der_utf8string_invalid, SEV_E, ALWAYS, "RFC 3629; RFC 5280 4.1.2.4", A_ALL, false,    \
    MTK_QUIRK_UTF8_INVALID,                                                                 \
    "A UTF8String is not valid UTF-8; software displays or compares it inconsistently.")    \
  X(e_der_bmpstring_invalid, SEV_E, ALWAYS, "X.680 41 (BMPString)", A_ALL, false,           \
    MTK_QUIRK_BMP_ODD,                                                                      \
    "A BMPString has an odd length or a surrogate, so it is not valid UCS-2.")              \
  X(e_serial_negative, SEV_E, ALWAYS, "RFC 5280 4.1.2.2", A_CERT, false,                    \
    MTK_QUIRK_INTEGER_NEGATIVE,                                                             \
    "The serial number is negative; RFC 5280 requires a positive integer and some verifiers reject it.") \
  X(e_der_integer_not_minimal, SEV_E, ALWAYS, "X.690 8.3.2", A_ALL, false,                  \
    MTK_QUIRK_INTEGER_PADDED,                                                               \
    "An INTEGER has a redundant leading octet; DER requires the shortest form and strict parsers reject it.") \
  X(w_algid_rsa_params_absent, SEV_W, ALWAYS, "RFC 3279 2.3.1; RFC 4055 1.2", A_ALL, false, \
    MTK_QUIRK_NULL_PARAMS_MISSING,                                                          \
    "The RSA key's AlgorithmIdentifier omits its NULL parameters; most software accepts it, strict parsers do not.") \
  X(e_der_time_without_seconds, SEV_E, ALWAYS, "RFC 5280 4.1.2.5.1, 4.1.2.5.2", A_ALL,      \
    false, MTK_QUIRK_TIME_NO_SECONDS,                                                       \
    "A time omits its seconds; RFC 5280 requires them, and parsers disagree on the value.") \
  X(e_der_time_not_utc, SEV_E, ALWAYS, "RFC 5280 4.1.2.5", A_ALL, false,                    \
    MTK_QUIRK_TIME_NOT_Z,                                                                   \
    "A time has a zone offset instead of Z; RFC 5280 requires UTC (Z) and parsers disagree on the value.") \
  X(e_gentime_before_2050, SEV_E, ALWAYS, "RFC 5280 4.1.2.5", A_ALL, false,                 \
    MTK_QUIRK_GENTIME_BEFORE_2050,                                                          \
    "A date before 2050 is a GeneralizedTime; RFC 5280 requires UTCTime up to 2049 and strict parsers reject it.") \
  X(w_teletexstring_used, SEV_W, ALWAYS, "RFC 5280 4.1.2.4", A_ALL, false,                  \
    MTK_QUIRK_TELETEX_STRING,                                                               \
    "A TeletexString is used; its character set is ambiguous (read here as Latin-1), so names display and compare differently.") \
  X(w_universalstring_used, SEV_W, ALWAYS, "RFC 5280 4.1.2.4", A_ALL, false,                \
    MTK_QUIRK_UNIVERSAL_STRING,                                                             \
    "A UniversalString is used; RFC 5280 deprecates it and many libraries cannot display it.") \
  X(e_empty_extensions_sequence, SEV_E, ALWAYS, "RFC 5280 4.1", A_ALL, false,               \
    MTK_QUIRK_EMPTY_EXTENSIONS,                                                             \
    "The extensions field is present but empty; the ASN.1 requires at least one extension, so omit the field instead.") \
  X(e_der_default_version_encoded, SEV_E, ALWAYS, "X.690 11.5; RFC 5280 4.1", A_ALL, false, \
    MTK_QUIRK_EXPLICIT_V1,                                                                  \
    "Version v1 is written out although it is the DEFAULT; DER omits it and strict parsers reject it.") \
  X(e_der_time_fractional_seconds, SEV_E, ALWAYS, "RFC 5280 4.1.2.5.2", A_ALL, false,       \
    MTK_QUIRK_FRACTIONAL_TIME,                                                              \
    "A GeneralizedTime has fractional seconds, which RFC 5280 forbids; parsers disagree on the value.")

/* Check indices, in table order: LC_e_rsa_modulus_too_small ... */
typedef enum lint_id {
#define LINT_X_ENUM(id, sev, eff, src, app, pub, quirk, sum) LC_##id,
  LINT_CHECK_LIST(LINT_X_ENUM)
#undef LINT_X_ENUM
      LC__COUNT
} lint_id;

/* The context of one lint run. */
typedef struct lint_ctx {
  const mtk_lint_opts *opts;
  mtk_findings *out;
  unsigned role;                 /* one MTK_APPLIES_* bit */
  mtk_time issued;               /* notBefore; opts->now for a CSR */
  const mtk_cert *cert;          /* NULL when linting a CSR */
  const mtk_csr *csr;            /* NULL when linting a certificate */
  const mtk_name *subject;
  const mtk_spki *spki;
  const mtk_extensions *exts;
  const char *root;              /* "tbsCertificate" or "certificationRequestInfo" */
  char subject_path[64];
  char spki_path[64];
  char ext_path[96];             /* the Extensions list ("" when there is none) */
  mtk_status fatal;              /* first MTK_ERR_NOMEM from a helper */
} lint_ctx;

/* lint_check_of returns the registry entry of |id|. */
const mtk_check *lint_check_of(lint_id id);

/* lint_wants: |id| applies to this object (role and effective date). Use it
 * to skip costly work; lint_emit checks again. */
bool lint_wants(const lint_ctx *x, lint_id id);

/* lint_emit appends a finding of |id| about the element at |path| / |off|
 * with a printf-style detail, if the check applies. */
void lint_emit(lint_ctx *x, lint_id id, size_t off, const char *path, const char *fmt, ...)
    MTK_PRINTF(5, 6);

/* lint_pathf writes a path into |buf| (always NUL-terminated). */
void lint_pathf(char *buf, size_t cap, const char *fmt, ...) MTK_PRINTF(3, 4);

/* lint_ext_path writes "<extensions>[index]<suffix>" for |e|. */
void lint_ext_path(const lint_ctx *x, const mtk_ext *e, const char *suffix, char *buf,
                   size_t cap);

/* lint_quote writes |n| certificate bytes as printable ASCII for a detail:
 * other octets as \xNN, cut with "..." past |cap|. */
void lint_quote(const uint8_t *p, size_t n, char *buf, size_t cap);

/* ASCII helpers over (pointer, length) data. */
bool lint_ieq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn);
bool lint_has_prefix_ci(const uint8_t *p, size_t n, const char *prefix);

/* IP address text (dotted quad; RFC 4291 2.2 text with "::") to octets. */
bool lint_parse_ipv4(const uint8_t *p, size_t n, uint8_t out[4]);
bool lint_parse_ipv6(const uint8_t *p, size_t n, uint8_t out[16]);

/* Decoders over the parsed extensions (NULL when absent or undecodable). */
bool lint_ku(const mtk_extensions *e, uint32_t *bits);
bool lint_bc(const mtk_extensions *e, mtk_basic_constraints *bc);
bool lint_eku_has(const mtk_extensions *e, mtk_oid_id id);

/* The areas. Each runs its checks over |x|. */
void lint_key(lint_ctx *x);
void lint_sig_cert(lint_ctx *x);
void lint_sig_csr(lint_ctx *x);
void lint_validity(lint_ctx *x);
void lint_tbs_fields(lint_ctx *x);
void lint_names(lint_ctx *x);
void lint_san(lint_ctx *x);
void lint_ext_common(lint_ctx *x);
void lint_ext_cert(lint_ctx *x);
void lint_ext_csr(lint_ctx *x);

#endif

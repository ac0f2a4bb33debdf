// Package legacy is the "internal-legacy" backend: a liberal OpenPGP verifier
// that reproduces, on purpose, what rpm 4.18's internal OpenPGP parser does
// (rpmio/rpmpgp_internal.c and rpmio/digest_libgcrypt.c at tag
// rpm-4.18.0-release, as shipped by Debian 12 in librpmio.so.9). That is the
// profile RHEL 8/9 and Debian 12 users get from `rpmkeys --checksig`.
//
// It has its own hand-written packet parser (it deliberately does not use
// go-crypto, so the conformance harness compares two independent
// implementations) and does its cryptography with Go's standard library
// (crypto/rsa, crypto/dsa, crypto/ed25519, the crypto/* hashes).
//
// What rpm 4.18 accepts and this backend therefore accepts too, although the
// strict profile (rpm-sequoia) rejects or downgrades it:
//   - MPIs whose bit count is wrong (rpm issue 2351): only the total length is
//     checked, never the top bit;
//   - any hash and key size the crypto supports (MD5, SHA-1, RSA-1024, ...);
//   - v3 signatures; expired or revoked keys and subkeys; expired signatures;
//   - certificates whose user IDs carry no (or a bad) self-signature;
//   - signing subkeys without a primary-key back-signature;
//   - signatures without an issuer (key ID 0 => NOKEY).
//
// What rpm 4.18 rejects and this backend therefore rejects too:
//   - v3, v5 and v6 keys ("Unsupported version of key: V6"), ECDSA keys and
//     EdDSA keys on curves other than Ed25519;
//   - any signature in a certificate with an unknown critical subpacket
//     (Issuer Fingerprint, Key Expiration Time, ... when marked critical);
//   - a subkey not immediately followed by a valid subkey binding signature;
//   - blobs larger than 65535 bytes (RPM_MAX_OPENPGP_BYTES);
//   - armor other than "PUBLIC KEY BLOCK" or without a CRC24 line.
//
// It never returns NOTTRUSTED, has no policy and no lints (rpm 4.18's
// pgpPubKeyLint is a stub), and matches keys by key ID only.
package legacy

package core

import "fmt"

// HashAlgo is an OpenPGP hash algorithm ID (RFC 9580, Section 9.5).
type HashAlgo uint8

// Hash algorithm IDs, as rpm's PGPHASHALGO_* constants.
const (
	HashMD5       HashAlgo = 1
	HashSHA1      HashAlgo = 2
	HashRIPEMD160 HashAlgo = 3
	HashMD2       HashAlgo = 5
	HashTIGER192  HashAlgo = 6
	HashHAVAL5160 HashAlgo = 7
	HashSHA256    HashAlgo = 8
	HashSHA384    HashAlgo = 9
	HashSHA512    HashAlgo = 10
	HashSHA224    HashAlgo = 11
	HashSHA3_256  HashAlgo = 12
	HashSHA3_512  HashAlgo = 14
)

// hashNames is rpm's pgpHashTbl (rpmio/rpmpgpval.hh).
var hashNames = map[HashAlgo]string{
	HashMD5: "MD5", HashSHA1: "SHA1", HashRIPEMD160: "RIPEMD160", HashMD2: "MD2",
	HashTIGER192: "TIGER192", HashHAVAL5160: "HAVAL-5-160", HashSHA256: "SHA256",
	HashSHA384: "SHA384", HashSHA512: "SHA512", HashSHA224: "SHA224",
	HashSHA3_256: "SHA3-256", HashSHA3_512: "SHA3-512",
}

// hashSizes gives the digest length in bytes of the hashes a backend must
// implement (rpmDigestLength).
var hashSizes = map[HashAlgo]int{
	HashMD5: 16, HashSHA1: 20, HashRIPEMD160: 20, HashSHA224: 28, HashSHA256: 32,
	HashSHA384: 48, HashSHA512: 64, HashSHA3_256: 32, HashSHA3_512: 64,
}

// String returns rpm's name for the algorithm (pgpValString(PGPVAL_HASHALGO)).
func (h HashAlgo) String() string {
	if s, ok := hashNames[h]; ok {
		return s
	}
	return "Unknown hash algorithm"
}

// Size returns the digest length in bytes, or 0 for an unknown algorithm.
func (h HashAlgo) Size() int { return hashSizes[h] }

// RequiredDigests lists the digests every backend must offer through
// [Digester] (the contract's rpmcrypto.h half).
var RequiredDigests = []HashAlgo{HashMD5, HashSHA1, HashSHA224, HashSHA256, HashSHA384, HashSHA512, HashSHA3_256, HashSHA3_512}

// PubKeyAlgo is an OpenPGP public-key algorithm ID (RFC 9580, Section 9.1).
type PubKeyAlgo uint8

// Public-key algorithm IDs, as rpm's PGPPUBKEYALGO_* constants.
const (
	PubKeyRSA             PubKeyAlgo = 1
	PubKeyRSAEncrypt      PubKeyAlgo = 2
	PubKeyRSASign         PubKeyAlgo = 3
	PubKeyElgamalEncrypt  PubKeyAlgo = 16
	PubKeyDSA             PubKeyAlgo = 17
	PubKeyECDH            PubKeyAlgo = 18
	PubKeyECDSA           PubKeyAlgo = 19
	PubKeyElgamal         PubKeyAlgo = 20
	PubKeyDH              PubKeyAlgo = 21
	PubKeyEdDSA           PubKeyAlgo = 22
	PubKeyX25519          PubKeyAlgo = 25
	PubKeyX448            PubKeyAlgo = 26
	PubKeyEd25519         PubKeyAlgo = 27
	PubKeyEd448           PubKeyAlgo = 28
	PubKeyMLDSA65Ed25519  PubKeyAlgo = 30
	PubKeyMLDSA87Ed448    PubKeyAlgo = 31
	PubKeySLHDSAShake128s PubKeyAlgo = 32
	PubKeySLHDSAShake128f PubKeyAlgo = 33
	PubKeySLHDSAShake256s PubKeyAlgo = 34
	PubKeyMLKEM768X25519  PubKeyAlgo = 35
	PubKeyMLKEM1024X448   PubKeyAlgo = 36
)

// pubKeyNames is rpm's pgpPubkeyTbl (rpmio/rpmpgpval.hh).
var pubKeyNames = map[PubKeyAlgo]string{
	PubKeyRSA: "RSA", PubKeyRSAEncrypt: "RSA(Encrypt-Only)", PubKeyRSASign: "RSA(Sign-Only)",
	PubKeyElgamalEncrypt: "Elgamal(Encrypt-Only)", PubKeyDSA: "DSA", PubKeyECDH: "Elliptic Curve",
	PubKeyECDSA: "ECDSA", PubKeyElgamal: "Elgamal", PubKeyDH: "Diffie-Hellman (X9.42)",
	PubKeyEdDSA: "EdDSA", PubKeyX25519: "X25519", PubKeyX448: "X448", PubKeyEd25519: "Ed25519",
	PubKeyEd448: "Ed448", PubKeyMLDSA65Ed25519: "ML-DSA-65+Ed25519", PubKeyMLDSA87Ed448: "ML-DSA-87+Ed448",
	PubKeySLHDSAShake128s: "SLH-DSA-SHAKE-128s", PubKeySLHDSAShake128f: "SLH-DSA-SHAKE-128f",
	PubKeySLHDSAShake256s: "SLH-DSA-SHAKE-256s", PubKeyMLKEM768X25519: "ML-KEM-768+X25519",
	PubKeyMLKEM1024X448: "ML-KEM-1024+X448",
}

// String returns rpm's name for the algorithm (pgpValString(PGPVAL_PUBKEYALGO)).
func (a PubKeyAlgo) String() string {
	if s, ok := pubKeyNames[a]; ok {
		return s
	}
	return "Unknown public key algorithm"
}

// KeyID is a 64-bit OpenPGP key ID (rpm's pgpKeyID_t).
type KeyID [8]byte

// IsZero reports whether the key ID is all zero ("unknown issuer").
func (k KeyID) IsZero() bool { return k == KeyID{} }

// String returns the 16 lower-case hex digits rpm 6 prints.
func (k KeyID) String() string { return fmt.Sprintf("%x", k[:]) }

// Short returns the last 8 hex digits that rpm 4.x prints.
func (k KeyID) Short() string { return fmt.Sprintf("%x", k[4:]) }

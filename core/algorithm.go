package core

import (
	"crypto"
	"fmt"
	"slices"
)

// This file is the one table of OpenPGP algorithms: every ID, the names rpm
// and Sequoia print, digest sizes, curve OIDs, and which backend supports
// what. Other packages derive their lists from [Hashes], [PubKeyAlgos] and
// the curve lookups instead of keeping their own.

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

// HashInfo is one row of the hash algorithm table. The zero value (what
// [HashAlgo.Info] returns for an unknown ID) supports nothing.
type HashInfo struct {
	// Algo is the RFC 9580 ID.
	Algo HashAlgo
	// Name is rpm's name (pgpHashTbl, rpmio/rpmpgpval.hh): "SHA256" in
	// "V4 RSA/SHA256 Signature". Sequoia's Display prints the same names
	// in policy lints ("SHA1 is not considered secure since ...").
	Name string
	// Size is the digest length in bytes (rpmDigestLength); 0 for the
	// algorithms no backend implements.
	Size int
	// Crypto is the Go standard library's identifier, 0 where Go has none.
	// Crypto.New needs the implementing package linked in (crypto/sha256...).
	Crypto crypto.Hash
	// Required marks the digests every backend offers through [Digester]
	// (the contract's rpmcrypto.h half; see [RequiredDigests]).
	Required bool
	// RPM418 marks the hashes rpm 4.18's rpmio/digest_libgcrypt.c computes
	// (hashalgo2gcryalgo): the only ones the internal-legacy backend
	// accepts in signatures ("rpm 4.18 has no SHA3-256 digest").
	RPM418 bool
	// V6Salt is the salt size in bytes RFC 9580 (Section 9.5, Table 23)
	// fixes for v6 signatures; 0 where v6 signatures may not use the hash.
	V6Salt int
	// Policy is the name in sequoia-policy-config files ("sha256",
	// src/lib.rs HASH_ALGO_MAP); "" where the format has none.
	Policy string
	// OpenSSL is the name the openssl backend fetches (EVP_MD_fetch:
	// "SHA2-256"); "" where it offers no such digest.
	OpenSSL string
}

// hashTable lists the hash algorithms in the order rpmpgp lists them (the
// backends' Describe): by family, then by size.
var hashTable = []HashInfo{
	{Algo: HashMD5, Name: "MD5", Size: 16, Crypto: crypto.MD5, Required: true, RPM418: true, Policy: "md5", OpenSSL: "MD5"},
	{Algo: HashSHA1, Name: "SHA1", Size: 20, Crypto: crypto.SHA1, Required: true, RPM418: true, Policy: "sha1", OpenSSL: "SHA1"},
	{Algo: HashRIPEMD160, Name: "RIPEMD160", Size: 20, Crypto: crypto.RIPEMD160, Policy: "ripemd160"},
	{Algo: HashMD2, Name: "MD2"},
	{Algo: HashTIGER192, Name: "TIGER192"},
	{Algo: HashHAVAL5160, Name: "HAVAL-5-160"},
	{Algo: HashSHA224, Name: "SHA224", Size: 28, Crypto: crypto.SHA224, Required: true, RPM418: true, V6Salt: 16, Policy: "sha224", OpenSSL: "SHA2-224"},
	{Algo: HashSHA256, Name: "SHA256", Size: 32, Crypto: crypto.SHA256, Required: true, RPM418: true, V6Salt: 16, Policy: "sha256", OpenSSL: "SHA2-256"},
	{Algo: HashSHA384, Name: "SHA384", Size: 48, Crypto: crypto.SHA384, Required: true, RPM418: true, V6Salt: 24, Policy: "sha384", OpenSSL: "SHA2-384"},
	{Algo: HashSHA512, Name: "SHA512", Size: 64, Crypto: crypto.SHA512, Required: true, RPM418: true, V6Salt: 32, Policy: "sha512", OpenSSL: "SHA2-512"},
	{Algo: HashSHA3_256, Name: "SHA3-256", Size: 32, Crypto: crypto.SHA3_256, Required: true, V6Salt: 16, Policy: "sha3-256", OpenSSL: "SHA3-256"},
	{Algo: HashSHA3_512, Name: "SHA3-512", Size: 64, Crypto: crypto.SHA3_512, Required: true, V6Salt: 32, Policy: "sha3-512", OpenSSL: "SHA3-512"},
}

// hashIndex finds a row by ID.
var hashIndex = func() map[HashAlgo]*HashInfo {
	m := make(map[HashAlgo]*HashInfo, len(hashTable))
	for i := range hashTable {
		m[hashTable[i].Algo] = &hashTable[i]
	}
	return m
}()

// Hashes returns the rows of the hash algorithm table whose row satisfies
// keep (all rows for a nil keep), in listing order.
func Hashes(keep func(HashInfo) bool) []HashInfo {
	var out []HashInfo
	for _, h := range hashTable {
		if keep == nil || keep(h) {
			out = append(out, h)
		}
	}
	return out
}

// HashesByID is [Hashes] in ID order (the order Sequoia lists hash
// algorithms, e.g. in a policy file).
func HashesByID(keep func(HashInfo) bool) []HashInfo {
	return slices.SortedFunc(slices.Values(Hashes(keep)), func(a, b HashInfo) int { return int(a.Algo) - int(b.Algo) })
}

// HashAlgos returns the IDs of the rows that satisfy keep (all for nil), in
// listing order.
func HashAlgos(keep func(HashInfo) bool) []HashAlgo {
	var out []HashAlgo
	for _, h := range Hashes(keep) {
		out = append(out, h.Algo)
	}
	return out
}

// Info returns h's row of the table; for an unknown ID the zero row with
// Algo set.
func (h HashAlgo) Info() HashInfo {
	if r, ok := hashIndex[h]; ok {
		return *r
	}
	return HashInfo{Algo: h}
}

// String returns rpm's name for the algorithm (pgpValString(PGPVAL_HASHALGO)).
func (h HashAlgo) String() string {
	if r, ok := hashIndex[h]; ok {
		return r.Name
	}
	return "Unknown hash algorithm"
}

// Size returns the digest length in bytes, or 0 for an unknown algorithm.
func (h HashAlgo) Size() int { return h.Info().Size }

// RequiredDigests lists the digests every backend must offer through
// [Digester] (the contract's rpmcrypto.h half): the Required rows.
var RequiredDigests = HashAlgos(func(h HashInfo) bool { return h.Required })

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

// PolicyKeying says how a key of an algorithm is named in a
// sequoia-policy-config file (sequoia-openpgp policy.rs key()).
type PolicyKeying uint8

const (
	// PolicyNone: the policy format cannot name the algorithm (rejected).
	PolicyNone PolicyKeying = iota
	// PolicyFixed: one name, [PubKeyInfo.Policy] ("ed25519").
	PolicyFixed
	// PolicyBySize: [PubKeyInfo.Policy] followed by the key size rounded
	// down to 1024, 2048, 3072 or 4096 ("rsa2048").
	PolicyBySize
	// PolicyByCurve: named after the key's curve ("nistp256", "cv25519").
	PolicyByCurve
)

// PubKeyInfo is one row of the public-key algorithm table. The zero value
// (what [PubKeyAlgo.Info] returns for an unknown ID) supports nothing.
type PubKeyInfo struct {
	// Algo is the RFC 9580 ID.
	Algo PubKeyAlgo
	// Name is rpm's name (pgpPubkeyTbl, rpmio/rpmpgpval.hh).
	Name string
	// Family is the algorithm this one is a deprecated variant of (RSA for
	// RSA Encrypt-Only and Sign-Only, RFC 9580 Section 9.1), else Algo.
	Family PubKeyAlgo
	// Strict marks the algorithms whose signatures the strict backends'
	// shared code (backends/internal/strict, rpm-sequoia semantics)
	// verifies; a backend's primitives may still lack one (its Supports).
	Strict bool
	// RPM418 marks the algorithms rpm 4.18's internal OpenPGP code verifies
	// (rpmio/rpmpgp_internal.c pgpPrtSigParams and pgpPrtPubkeyParams:
	// RSA, DSA and EdDSA on Ed25519).
	RPM418 bool
	// PolicyBy and Policy give the key's sequoia-policy-config name (see
	// [PolicyKeying]).
	PolicyBy PolicyKeying
	Policy   string
	// KeyBytes and SigBytes are the sizes of the fixed-size public key
	// material and signature of the algorithms that have them (RFC 9580,
	// Sections 5.5.5.7-10 and 5.2.3.3-4; draft-ietf-openpgp-pqc for the
	// ML-DSA, ML-KEM and SLH-DSA ones, composites as the sum of their
	// parts); 0 for the MPI-based algorithms and where there is none.
	KeyBytes, SigBytes int
}

// pubKeyTable lists the public-key algorithms in ID order.
var pubKeyTable = []PubKeyInfo{
	{Algo: PubKeyRSA, Name: "RSA", Family: PubKeyRSA, Strict: true, RPM418: true, PolicyBy: PolicyBySize, Policy: "rsa"},
	{Algo: PubKeyRSAEncrypt, Name: "RSA(Encrypt-Only)", Family: PubKeyRSA, PolicyBy: PolicyBySize, Policy: "rsa"},
	{Algo: PubKeyRSASign, Name: "RSA(Sign-Only)", Family: PubKeyRSA, Strict: true, PolicyBy: PolicyBySize, Policy: "rsa"},
	{Algo: PubKeyElgamalEncrypt, Name: "Elgamal(Encrypt-Only)", Family: PubKeyElgamal, PolicyBy: PolicyBySize, Policy: "elgamal"},
	{Algo: PubKeyDSA, Name: "DSA", Family: PubKeyDSA, Strict: true, RPM418: true, PolicyBy: PolicyBySize, Policy: "dsa"},
	{Algo: PubKeyECDH, Name: "Elliptic Curve", Family: PubKeyECDH, PolicyBy: PolicyByCurve},
	{Algo: PubKeyECDSA, Name: "ECDSA", Family: PubKeyECDSA, Strict: true, PolicyBy: PolicyByCurve},
	{Algo: PubKeyElgamal, Name: "Elgamal", Family: PubKeyElgamal, PolicyBy: PolicyBySize, Policy: "elgamal"},
	{Algo: PubKeyDH, Name: "Diffie-Hellman (X9.42)", Family: PubKeyDH},
	{Algo: PubKeyEdDSA, Name: "EdDSA", Family: PubKeyEdDSA, Strict: true, RPM418: true, PolicyBy: PolicyByCurve},
	{Algo: PubKeyX25519, Name: "X25519", Family: PubKeyX25519, PolicyBy: PolicyFixed, Policy: "x25519", KeyBytes: 32},
	{Algo: PubKeyX448, Name: "X448", Family: PubKeyX448, PolicyBy: PolicyFixed, Policy: "x448", KeyBytes: 56},
	{Algo: PubKeyEd25519, Name: "Ed25519", Family: PubKeyEd25519, Strict: true, PolicyBy: PolicyFixed, Policy: "ed25519", KeyBytes: 32, SigBytes: 64},
	{Algo: PubKeyEd448, Name: "Ed448", Family: PubKeyEd448, Strict: true, PolicyBy: PolicyFixed, Policy: "ed448", KeyBytes: 57, SigBytes: 114},
	{Algo: PubKeyMLDSA65Ed25519, Name: "ML-DSA-65+Ed25519", Family: PubKeyMLDSA65Ed25519, Strict: true, PolicyBy: PolicyFixed, Policy: "mldsa65-ed25519", KeyBytes: 32 + 1952, SigBytes: 64 + 3309},
	{Algo: PubKeyMLDSA87Ed448, Name: "ML-DSA-87+Ed448", Family: PubKeyMLDSA87Ed448, Strict: true, PolicyBy: PolicyFixed, Policy: "mldsa87-ed448", KeyBytes: 57 + 2592, SigBytes: 114 + 4627},
	{Algo: PubKeySLHDSAShake128s, Name: "SLH-DSA-SHAKE-128s", Family: PubKeySLHDSAShake128s, PolicyBy: PolicyFixed, Policy: "slhdsa128s", KeyBytes: 32, SigBytes: 7856},
	{Algo: PubKeySLHDSAShake128f, Name: "SLH-DSA-SHAKE-128f", Family: PubKeySLHDSAShake128f, PolicyBy: PolicyFixed, Policy: "slhdsa128f", KeyBytes: 32, SigBytes: 17088},
	{Algo: PubKeySLHDSAShake256s, Name: "SLH-DSA-SHAKE-256s", Family: PubKeySLHDSAShake256s, PolicyBy: PolicyFixed, Policy: "slhdsa256s", KeyBytes: 64, SigBytes: 29792},
	{Algo: PubKeyMLKEM768X25519, Name: "ML-KEM-768+X25519", Family: PubKeyMLKEM768X25519, PolicyBy: PolicyFixed, Policy: "mlkem768-x25519", KeyBytes: 32 + 1184},
	{Algo: PubKeyMLKEM1024X448, Name: "ML-KEM-1024+X448", Family: PubKeyMLKEM1024X448, PolicyBy: PolicyFixed, Policy: "mlkem1024-x448", KeyBytes: 56 + 1568},
}

// pubKeyIndex finds a row by ID.
var pubKeyIndex = func() map[PubKeyAlgo]*PubKeyInfo {
	m := make(map[PubKeyAlgo]*PubKeyInfo, len(pubKeyTable))
	for i := range pubKeyTable {
		m[pubKeyTable[i].Algo] = &pubKeyTable[i]
	}
	return m
}()

// PubKeyAlgos returns the IDs of the public-key rows that satisfy keep (all
// for nil), in ID order.
func PubKeyAlgos(keep func(PubKeyInfo) bool) []PubKeyAlgo {
	var out []PubKeyAlgo
	for _, a := range pubKeyTable {
		if keep == nil || keep(a) {
			out = append(out, a.Algo)
		}
	}
	return out
}

// Info returns a's row of the table; for an unknown ID the zero row with
// Algo and Family set to a.
func (a PubKeyAlgo) Info() PubKeyInfo {
	if r, ok := pubKeyIndex[a]; ok {
		return *r
	}
	return PubKeyInfo{Algo: a, Family: a}
}

// String returns rpm's name for the algorithm (pgpValString(PGPVAL_PUBKEYALGO)).
func (a PubKeyAlgo) String() string {
	if r, ok := pubKeyIndex[a]; ok {
		return r.Name
	}
	return "Unknown public key algorithm"
}

// CurveInfo is one row of the elliptic curve table (RFC 9580, Section 9.2).
type CurveInfo struct {
	// Name names the curve as the strict backends and the policy code do
	// ("P-256", "brainpoolP256r1", "Ed25519", "Curve25519").
	Name string
	// OID is the curve's object identifier as key material carries it: the
	// DER contents octets, without tag and length (Section 9.2, Table 18).
	OID []byte
	// Policy is the sequoia-policy-config name of ECDSA and ECDH keys on the
	// curve ("nistp256", "cv25519"); "" for a curve they cannot use.
	Policy string
}

// curveTable lists the curves of RFC 9580, Section 9.2, with the Brainpool
// curves of RFC 6637 / sequoia-openpgp.
var curveTable = []CurveInfo{
	{Name: "P-256", OID: []byte{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}, Policy: "nistp256"},
	{Name: "P-384", OID: []byte{0x2b, 0x81, 0x04, 0x00, 0x22}, Policy: "nistp384"},
	{Name: "P-521", OID: []byte{0x2b, 0x81, 0x04, 0x00, 0x23}, Policy: "nistp521"},
	{Name: "brainpoolP256r1", OID: []byte{0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07}, Policy: "brainpoolp256"},
	{Name: "brainpoolP384r1", OID: []byte{0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0b}, Policy: "brainpoolp384"},
	{Name: "brainpoolP512r1", OID: []byte{0x2b, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0d}, Policy: "brainpoolp512"},
	{Name: "Ed25519", OID: []byte{0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01}},
	{Name: "Curve25519", OID: []byte{0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01}, Policy: "cv25519"},
}

// CurveByOID returns the row of the curve with the given OID (contents
// octets); ok is false for a curve the table does not know.
func CurveByOID(oid []byte) (CurveInfo, bool) {
	for _, c := range curveTable {
		if string(c.OID) == string(oid) {
			return c, true
		}
	}
	return CurveInfo{}, false
}

// CurveByName returns the row of the named curve.
func CurveByName(name string) (CurveInfo, bool) {
	for _, c := range curveTable {
		if c.Name == name {
			return c, true
		}
	}
	return CurveInfo{}, false
}

// KeyID is a 64-bit OpenPGP key ID (rpm's pgpKeyID_t).
type KeyID [8]byte

// IsZero reports whether the key ID is all zero ("unknown issuer").
func (k KeyID) IsZero() bool { return k == KeyID{} }

// String returns the 16 lower-case hex digits rpm 6 prints.
func (k KeyID) String() string { return fmt.Sprintf("%x", k[:]) }

// Short returns the last 8 hex digits that rpm 4.x prints.
func (k KeyID) Short() string { return fmt.Sprintf("%x", k[4:]) }

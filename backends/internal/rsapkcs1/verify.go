package rsapkcs1

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"maps"
	"math/big"
)

// MinBits is the smallest modulus a backend verifies with [Verify] instead
// of crypto/rsa: from 2049 bits up this package's arithmetic is several
// times faster than crypto/rsa's bigmod on amd64.
const MinBits = 2049

// digestInfoPrefixes holds the DER encoding of DigestInfo up to the digest
// value for each hash NewHash offers (core.RequiredDigests), as listed in
// RFC 8017, Section 9.2, Note 1 (byte for byte the table of Go's
// crypto/internal/fips140/rsa). SHA3-256 and SHA3-512 use the NIST OIDs
// 2.16.840.1.101.3.4.2.8 and 2.16.840.1.101.3.4.2.10 with the same NULL
// parameters.
var digestInfoPrefixes = map[crypto.Hash][]byte{
	crypto.MD5:      {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10},
	crypto.SHA1:     {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
	crypto.SHA224:   {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c},
	crypto.SHA256:   {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA384:   {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30},
	crypto.SHA512:   {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40},
	crypto.SHA3_256: {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08, 0x05, 0x00, 0x04, 0x20},
	crypto.SHA3_512: {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0a, 0x05, 0x00, 0x04, 0x40},
}

// Prefixes returns a copy of the DigestInfo prefix of every hash [Verify]
// knows.
func Prefixes() map[crypto.Hash][]byte { return maps.Clone(digestInfoPrefixes) }

// Supports reports whether [Verify] knows the DigestInfo of h; for any
// other hash a backend keeps crypto/rsa's answer.
func Supports(h crypto.Hash) bool {
	_, ok := digestInfoPrefixes[h]
	return ok
}

// Verify checks an RSASSA-PKCS1-v1_5 signature (RFC 8017, Section 8.2.2)
// in Montgomery arithmetic, exactly as strictly as
// crypto/rsa.VerifyPKCS1v15: the same public-key checks, and the decrypted
// block is compared whole with the expected EMSA-PKCS1-v1_5 encoding,
// never parsed. sig must be exactly the modulus length (callers left-pad
// OpenPGP MPIs). The error, nil when the signature verifies, says which
// check failed; callers wrap it in their own failure.
func Verify(n *big.Int, e int, h crypto.Hash, digest, sig []byte) error {
	prefix, ok := digestInfoPrefixes[h]
	if !ok {
		return fmt.Errorf("no DigestInfo for %v", h)
	}
	// RFC 8017, Section 9.2, step 1: H = Hash(M); the caller hashed, so H
	// must be exactly hLen octets (crypto/rsa: "input must be hashed").
	if len(digest) != h.Size() {
		return fmt.Errorf("%d-octet digest for %v", len(digest), h)
	}
	// RFC 8017, Section 3.1: n is a product of odd primes, so it is odd
	// (crypto/rsa checkPublicKey).
	if n.Bit(0) == 0 {
		return errors.New("RSA modulus is not odd")
	}
	// RFC 8017, Section 3.1: 3 <= e <= n-1 with e coprime to λ(n), so e is
	// odd; crypto/rsa checkPublicKey also caps e at 2^31-1.
	if e < 2 || e&1 == 0 || e > 1<<31-1 {
		return fmt.Errorf("RSA exponent %d", e)
	}
	// RFC 8017, Section 8.2.2, step 1: the signature must be k octets.
	k := (n.BitLen() + 7) / 8
	if len(sig) != k {
		return fmt.Errorf("%d-octet signature for a %d-octet modulus", len(sig), k)
	}
	// RFC 8017, Section 9.2, step 3: "intended encoded message length too
	// short" if emLen < tLen + 11.
	tLen := len(prefix) + len(digest)
	if k < tLen+11 {
		return fmt.Errorf("modulus too short for %v", h)
	}
	// RFC 8017, Section 5.2.2 (RSAVP1), step 1: s must lie in [0, n-1].
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(n) >= 0 {
		return errors.New("signature representative out of range")
	}
	// RFC 8017, Section 5.2.2, step 2, and Section 8.2.2, step 2c (I2OSP
	// to k octets; m < n always fits), in Montgomery arithmetic with the
	// context of n cached (montgomery.go, cache.go).
	var em []byte
	if montgomeryVerify {
		mod := moduli.get(n)
		if mod == nil { // unreachable: n is odd and at least 11 octets long
			return errors.New("RSA modulus unusable")
		}
		em = mod.exp(sig, uint32(e))
	} else {
		em = new(big.Int).Exp(s, big.NewInt(int64(e)), n).FillBytes(make([]byte, k))
	}
	// RFC 8017, Section 9.2, steps 2 and 4-5: EM = 0x00 || 0x01 || PS ||
	// 0x00 || T with PS = emLen - tLen - 3 octets 0xff, T = DigestInfo || H.
	want := make([]byte, k)
	want[1] = 0x01
	for i := 2; i < k-tLen-1; i++ {
		want[i] = 0xff
	}
	copy(want[k-tLen:], prefix)
	copy(want[k-len(digest):], digest)
	// RFC 8017, Section 8.2.2, step 4: compare EM and EM' whole.
	if !bytes.Equal(em, want) {
		return errors.New("encoded message mismatch")
	}
	return nil
}

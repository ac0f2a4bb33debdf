package legacy

import (
	"crypto"
	//lint:ignore SA1019 rpm 4.18 verifies DSA; deprecated but the only stdlib DSA
	"crypto/dsa"
	"crypto/ed25519"
	"crypto/rsa"
	"hash"
	"math/big"

	"github.com/rpmpgp/rpmpgp/backends/internal/rsapkcs1"
	"github.com/rpmpgp/rpmpgp/core"
)

// Signature verification, ported from rpm 4.18 rpmio/rpmpgp_internal.c
// (pgpVerifySignature) and rpmio/digest_libgcrypt.c (pgpVerifySig*), with
// Go's standard library in place of libgcrypt.

// legacyRC is the subset of rpmRC that pgpVerifySignature returns in 4.18.
type legacyRC int

const (
	rcFail legacyRC = iota
	rcOK
	rcNoKey
)

// legacyCryptoHash returns Go's hash for the hashes rpm 4.18's
// digest_libgcrypt.c knows (hashalgo2gcryalgo: the RPM418 column of core's
// algorithm table). Anything else (RIPEMD-160, SHA-3, ...) makes
// rpmDigestInit fail in 4.18, so such signatures can never verify there.
func legacyCryptoHash(algo uint8) (crypto.Hash, bool) {
	info := core.HashAlgo(algo).Info()
	if !info.RPM418 || !info.Crypto.Available() {
		return 0, false
	}
	return info.Crypto, true
}

// newLegacyHash is rpmDigestInit restricted to 4.18's hashes.
func newLegacyHash(algo uint8) (hash.Hash, bool) {
	ch, ok := legacyCryptoHash(algo)
	if !ok {
		return nil, false
	}
	return ch.New(), true
}

// sigTrailer is what pgpVerifySignature appends to the signed data: the
// hashed part of the signature (v3: type + creation time, RFC 4880 section
// 5.2.4) and for v4 the six-byte trailer 0x04 0xff <hashed length>.
func sigTrailer(sig *digParams) []byte {
	t := append([]byte(nil), sig.hash...)
	if sig.version == 4 {
		n := uint32(len(sig.hash))
		t = append(t, 4, 0xff, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return t
}

// verifyDigest is rpm 4.18's pgpVerifySignature on a running hash h that
// already holds the signed data; h is consumed. Order of checks as in rpm:
// the 16-bit digest prefix first (mismatch: FAIL, with or without a key);
// then no key means NOKEY; then the public-key math decides OK or FAIL.
// 4.18 checks neither the signature type, nor expiry, nor key flags, nor
// revocations, and never returns NOTTRUSTED (the strict profile does all of
// that, see rpm-api.md section 1.3).
func verifyDigest(key, sig *digParams, h hash.Hash) legacyRC {
	h.Write(sigTrailer(sig))
	return verifySum(key, sig, h.Sum(nil))
}

// verifySum is verifyDigest once the trailer is hashed: sum is the digest
// of the signed data followed by sigTrailer(sig).
func verifySum(key, sig *digParams, sum []byte) legacyRC {
	// "Compare leading 16 bits of digest for quick check."
	if len(sum) < 2 || sum[0] != sig.signhash16[0] || sum[1] != sig.signhash16[1] {
		return rcFail
	}
	if key == nil || key.alg == nil {
		// "looks okay but dunno"
		return rcNoKey
	}
	if sig.alg == nil {
		return rcFail
	}
	if verifyMath(key.alg, sig.alg, sum, sig.hashAlgo) {
		return rcOK
	}
	return rcFail
}

// verifyMath is the sa->verify(ka, sa, hash, hashlen, hash_algo) call. rpm
// 4.18 picks the verifier from the signature's algorithm and does not check
// that the key has the same algorithm (its keyring lookup findbySig does);
// a mismatch here is FAIL rather than 4.18's undefined behaviour.
func verifyMath(ka, sa *digAlg, sum []byte, hashAlgo uint8) bool {
	if ka.algo != sa.algo {
		return false
	}
	switch sa.algo {
	case algoRSA:
		return verifyRSA(ka, sa, sum, hashAlgo)
	case algoDSA:
		return verifyDSA(ka, sa, sum)
	case algoEdDSA:
		return verifyEdDSA(ka, sa, sum)
	}
	return false
}

// trimZeros strips leading zero bytes: the value of an MPI whatever its
// declared bit count (libgcrypt normalises the same way).
func trimZeros(b []byte) []byte {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// verifyRSA is pgpVerifySigRSA: PKCS#1 v1.5 with the DigestInfo of the
// signature's hash (RFC 4880 section 5.2.2). The signature MPI is
// left-padded to the modulus length because crypto/rsa (unlike libgcrypt)
// refuses short signatures; that is what lets the rpm issue 2351 signatures
// (x/crypto's wrong bit counts) and any signature with leading zero bytes
// verify, as in 4.18.
func verifyRSA(ka, sa *digAlg, sum []byte, hashAlgo uint8) bool {
	if len(ka.mpis) != 2 || len(sa.mpis) != 1 {
		return false
	}
	ch, ok := legacyCryptoHash(hashAlgo)
	if !ok {
		// gcry_md_algo_name(0) gives "?" and the s-expression fails.
		return false
	}
	n := new(big.Int).SetBytes(ka.mpis[0])
	e := new(big.Int).SetBytes(ka.mpis[1])
	// crypto/rsa needs an int exponent; libgcrypt would take any e. Keys with
	// e >= 2^31 are FAIL here (a documented divergence, never seen in use).
	if n.Sign() == 0 || !e.IsInt64() || e.Int64() > 1<<31-1 {
		return false
	}
	k := (n.BitLen() + 7) / 8
	// libgcrypt computes s^e mod n without checking s < n, so 4.18 accepts a
	// signature value that is not reduced modulo n (s + n verifies like s;
	// checked against librpmio here). crypto/rsa refuses s >= n, so reduce
	// first. The strict profile (Sequoia/nettle) rejects such signatures.
	s := new(big.Int).SetBytes(sa.mpis[0])
	s.Mod(s, n)
	padded := s.FillBytes(make([]byte, k)) // k <= 2048 bytes: bounded by maxMPIBits
	// Above 2048 bits the same check in backends/internal/rsapkcs1
	// (crypto/rsa's checks exactly, in Montgomery arithmetic several times
	// faster for RSA-4096); the verdict rules of 4.18 are the ones above,
	// not the arithmetic.
	if n.BitLen() >= rsapkcs1.MinBits && rsapkcs1.Supports(ch) {
		return rsapkcs1.Verify(n, int(e.Int64()), ch, sum, padded) == nil
	}
	pub := &rsa.PublicKey{N: n, E: int(e.Int64())}
	return rsa.VerifyPKCS1v15(pub, ch, sum, padded) == nil
}

// verifyDSA is pgpVerifySigDSA: the digest is truncated to the byte length
// of q (at least 20 bytes), FIPS 186-3 section 4.6, as rpm does.
func verifyDSA(ka, sa *digAlg, sum []byte) bool {
	if len(ka.mpis) != 4 || len(sa.mpis) != 2 {
		return false
	}
	q := new(big.Int).SetBytes(ka.mpis[1])
	qlen := (q.BitLen() + 7) / 8
	if qlen < 20 {
		qlen = 20 // "sanity"
	}
	if len(sum) > qlen {
		sum = sum[:qlen]
	}
	pub := &dsa.PublicKey{
		Parameters: dsa.Parameters{
			P: new(big.Int).SetBytes(ka.mpis[0]),
			Q: q,
			G: new(big.Int).SetBytes(ka.mpis[2]),
		},
		Y: new(big.Int).SetBytes(ka.mpis[3]),
	}
	if pub.P.Sign() == 0 || pub.Q.Sign() == 0 {
		return false
	}
	r := new(big.Int).SetBytes(sa.mpis[0])
	s := new(big.Int).SetBytes(sa.mpis[1])
	return dsa.Verify(pub, sum, r, s)
}

// verifyEdDSA is pgpVerifySigEDDSA: Ed25519 over the digest (RFC 4880bis
// EdDSA signatures sign the hash), r and s zero-extended to 32 bytes; a zero
// or over-long r or s fails (ed25519_zero_extend).
func verifyEdDSA(ka, sa *digAlg, sum []byte) bool {
	if ka.curve != curveEd25519 || len(ka.mpis) != 1 || len(sa.mpis) != 2 {
		return false
	}
	q := trimZeros(ka.mpis[0])
	var pub []byte
	switch {
	case len(q) == 33 && q[0] == 0x40: // native point prefix
		pub = q[1:]
	case len(q) == 32 && q[0]&0x80 == 0: // raw point, as libgcrypt accepts
		pub = q
	default:
		return false
	}
	sig := make([]byte, 64)
	for i, m := range sa.mpis {
		v := trimZeros(m)
		if len(v) == 0 || len(v) > 32 {
			return false
		}
		copy(sig[i*32+32-len(v):(i+1)*32], v)
	}
	return ed25519.Verify(ed25519.PublicKey(pub), sum, sig)
}

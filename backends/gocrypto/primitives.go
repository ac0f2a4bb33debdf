package gocrypto

import (
	"crypto"
	//lint:ignore SA1019 DSA keys still sign RPMs (RFC 9580, Section 5.2.3.2)
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	_ "crypto/md5" // crypto.Hash.New (core.HashInfo.Crypto)
	"crypto/rsa"
	_ "crypto/sha1"   // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha256" // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha3"   // crypto.Hash.New (core.HashInfo.Crypto)
	_ "crypto/sha512" // crypto.Hash.New (core.HashInfo.Crypto)
	"encoding"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"runtime"

	"github.com/ProtonMail/go-crypto/brainpool"
	circlsign "github.com/cloudflare/circl/sign"
	"github.com/cloudflare/circl/sign/ed448"
	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/core"
)

// Primitives implements [strict.Primitives] with Go's standard library,
// go-crypto's brainpool curves and circl's Ed448 and ML-DSA.
type Primitives struct{}

var _ strict.Primitives = Primitives{}

// errBad is returned for a signature that does not verify.
var errBad = errors.New("gocrypto: signature verification failed")

// Name reports the Go version the primitives come from.
func (Primitives) Name() string { return "Go " + runtime.Version() }

// FIPS reports false: this backend does not claim FIPS 140 mode.
func (Primitives) FIPS() bool { return false }

// goHashFor returns Go's hash for a digest every backend must offer
// (core.RequiredDigests); ok is false for any other.
func goHashFor(algo core.HashAlgo) (crypto.Hash, bool) {
	info := algo.Info()
	if !info.Required || info.Crypto == 0 || !info.Crypto.Available() {
		return 0, false
	}
	return info.Crypto, true
}

// NewHash starts a digest; RIPEMD-160 and other hashes are unsupported.
func (Primitives) NewHash(algo core.HashAlgo) (strict.Hash, error) {
	ch, ok := goHashFor(algo)
	if !ok {
		return nil, fmt.Errorf("gocrypto: hash %v: %w", algo, strict.ErrUnsupported)
	}
	return &goHash{algo: algo, h: ch.New(), mk: ch.New}, nil
}

type goHash struct {
	algo core.HashAlgo
	h    hash.Hash
	mk   func() hash.Hash
}

func (g *goHash) Write(p []byte) (int, error) { return g.h.Write(p) }
func (g *goHash) Algo() core.HashAlgo         { return g.algo }
func (g *goHash) Sum() ([]byte, error)        { return g.h.Sum(nil), nil }

// Clone copies the state through the standard hashes' binary marshaling.
func (g *goHash) Clone() (strict.Hash, error) {
	m, ok := g.h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, errors.New("gocrypto: hash state cannot be copied")
	}
	state, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	n := g.mk()
	if err := n.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return nil, err
	}
	return &goHash{algo: g.algo, h: n, mk: g.mk}, nil
}

// VerifyRSA checks a PKCS#1 v1.5 signature. OpenPGP MPIs drop leading zero
// octets, so sig is left-padded to the modulus length first (crypto/rsa
// rejects short signatures, golang/go#21896).
func (Primitives) VerifyRSA(n, e []byte, h core.HashAlgo, digest, sig []byte) error {
	ch, ok := goHashFor(h)
	if !ok {
		return fmt.Errorf("gocrypto: RSA with %v: %w", h, strict.ErrUnsupported)
	}
	eb := new(big.Int).SetBytes(e)
	if !eb.IsInt64() || eb.Int64() > 1<<31-1 || eb.Int64() < 3 {
		return fmt.Errorf("gocrypto: RSA exponent: %w", strict.ErrUnsupported)
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(eb.Int64())}
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) > k {
		return errBad
	}
	padded := make([]byte, k)
	copy(padded[k-len(sig):], sig)
	// Above 2048 bits rsapkcs1's variable-time Montgomery arithmetic is
	// several times faster than crypto/rsa's constant-time one, with the
	// same checks (rsa.go).
	if pub.N.BitLen() >= bigRSAMinBits {
		return verifyRSABig(pub.N, pub.E, ch, digest, padded)
	}
	if err := rsa.VerifyPKCS1v15(pub, ch, digest, padded); err != nil {
		return fmt.Errorf("%w: %v", errBad, err)
	}
	return nil
}

// VerifyDSA checks a DSA signature; the digest is truncated to the bit
// length of q (FIPS 186-4, Section 4.6; RFC 9580, Section 5.2.3.2).
func (Primitives) VerifyDSA(p, q, g, y []byte, digest, r, s []byte) error {
	pub := &dsa.PublicKey{
		Parameters: dsa.Parameters{P: new(big.Int).SetBytes(p), Q: new(big.Int).SetBytes(q), G: new(big.Int).SetBytes(g)},
		Y:          new(big.Int).SetBytes(y),
	}
	if qb := (pub.Q.BitLen() + 7) / 8; len(digest) > qb {
		digest = digest[:qb]
	}
	if !dsa.Verify(pub, digest, new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)) {
		return errBad
	}
	return nil
}

func curveOf(c strict.Curve) elliptic.Curve {
	switch c {
	case strict.CurveP256:
		return elliptic.P256()
	case strict.CurveP384:
		return elliptic.P384()
	case strict.CurveP521:
		return elliptic.P521()
	case strict.CurveBrainpoolP256:
		return brainpool.P256r1()
	case strict.CurveBrainpoolP384:
		return brainpool.P384r1()
	case strict.CurveBrainpoolP512:
		return brainpool.P512r1()
	}
	return nil
}

// VerifyECDSA checks an ECDSA signature on a NIST or brainpool curve.
func (Primitives) VerifyECDSA(c strict.Curve, point []byte, digest, r, s []byte) error {
	curve := curveOf(c)
	if curve == nil {
		return fmt.Errorf("gocrypto: curve %s: %w", c, strict.ErrUnsupported)
	}
	var pub *ecdsa.PublicKey
	switch c {
	case strict.CurveP256, strict.CurveP384, strict.CurveP521:
		k, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil {
			return fmt.Errorf("%w: %v", errBad, err)
		}
		pub = k
	default:
		//lint:ignore SA1019 brainpool curves need the generic path (ParseUncompressedPublicKey is NIST only)
		x, y := elliptic.Unmarshal(curve, point)
		if x == nil {
			return fmt.Errorf("%w: invalid point", errBad)
		}
		//lint:ignore SA1019 the only way to build a brainpool public key for crypto/ecdsa
		pub = &ecdsa.PublicKey{Curve: curve, X: x, Y: y}
	}
	if !ecdsa.Verify(pub, digest, new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)) {
		return errBad
	}
	return nil
}

// VerifyEdDSA checks an Ed25519 or Ed448 signature over digest.
func (Primitives) VerifyEdDSA(c strict.Curve, pub, digest, sig []byte) error {
	switch c {
	case strict.CurveEd25519:
		if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
			return errBad
		}
		if !ed25519.Verify(ed25519.PublicKey(pub), digest, sig) {
			return errBad
		}
		return nil
	case strict.CurveEd448:
		// RFC 9580, Section 5.2.3.5: Ed448 signs the digest as the message
		// with an empty context string (RFC 8032 Ed448, not Ed448ph).
		if len(pub) != ed448.PublicKeySize || len(sig) != ed448.SignatureSize {
			return errBad
		}
		if !ed448.Verify(ed448.PublicKey(pub), digest, sig, "") {
			return errBad
		}
		return nil
	}
	return fmt.Errorf("gocrypto: curve %s: %w", c, strict.ErrUnsupported)
}

// VerifyMLDSA checks a pure ML-DSA-65 or ML-DSA-87 signature (FIPS 204,
// empty context string) whose message is digest, with circl.
func (Primitives) VerifyMLDSA(set strict.MLDSA, pub, digest, sig []byte) error {
	var scheme circlsign.Scheme
	switch set {
	case strict.MLDSA65:
		scheme = mldsa65.Scheme()
	case strict.MLDSA87:
		scheme = mldsa87.Scheme()
	default:
		return fmt.Errorf("gocrypto: %s: %w", set, strict.ErrUnsupported)
	}
	if len(pub) != scheme.PublicKeySize() || len(sig) != scheme.SignatureSize() {
		return errBad
	}
	pk, err := scheme.UnmarshalBinaryPublicKey(pub)
	if err != nil {
		return fmt.Errorf("%w: %v", errBad, err)
	}
	if !scheme.Verify(pk, digest, sig, nil) {
		return errBad
	}
	return nil
}

// Supports reports nil for every public-key algorithm the strict code can
// verify (the Strict column of core's algorithm table): RSA, DSA, ECDSA,
// EdDSA, Ed25519, Ed448 and the ML-DSA + EdDSA composites.
func (Primitives) Supports(algo core.PubKeyAlgo) error {
	if algo.Info().Strict {
		return nil
	}
	return fmt.Errorf("gocrypto: %v: %w", algo, strict.ErrUnsupported)
}

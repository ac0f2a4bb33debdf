package strict

import (
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"hash"
	"math/big"

	_ "crypto/md5"    // crypto.Hash.New
	_ "crypto/sha1"   // crypto.Hash.New
	_ "crypto/sha256" // crypto.Hash.New
	_ "crypto/sha3"   // crypto.Hash.New
	_ "crypto/sha512" // crypto.Hash.New

	"github.com/rpmpgp/rpmpgp/core"
)

// testPrims is the smallest [Primitives] the tests of this package need:
// the required digests, RSA and Ed25519 from Go's standard library, and
// nothing else (DSA, ECDSA, Ed448 and ML-DSA are unsupported, which lets
// the tests reach the "not supported" rules).
type testPrims struct{}

var _ Primitives = testPrims{}

// errTestBad is the failure of a signature check.
var errTestBad = errors.New("testprims: bad signature")

func (testPrims) Name() string { return "testprims" }
func (testPrims) FIPS() bool   { return false }

func (testPrims) NewHash(algo core.HashAlgo) (Hash, error) {
	info := algo.Info()
	if !info.Required {
		return nil, fmt.Errorf("testprims: hash %v: %w", algo, ErrUnsupported)
	}
	return &testHash{algo: algo, h: info.Crypto.New()}, nil
}

func (testPrims) VerifyRSA(n, e []byte, h core.HashAlgo, digest, sig []byte) error {
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) > k {
		return errTestBad
	}
	padded := make([]byte, k)
	copy(padded[k-len(sig):], sig)
	if err := rsa.VerifyPKCS1v15(pub, h.Info().Crypto, digest, padded); err != nil {
		return fmt.Errorf("%w: %v", errTestBad, err)
	}
	return nil
}

func (testPrims) VerifyDSA(p, q, g, y []byte, digest, r, s []byte) error {
	return fmt.Errorf("testprims: DSA: %w", ErrUnsupported)
}

func (testPrims) VerifyECDSA(curve Curve, point []byte, digest, r, s []byte) error {
	return fmt.Errorf("testprims: ECDSA: %w", ErrUnsupported)
}

func (testPrims) VerifyEdDSA(curve Curve, pub, digest, sig []byte) error {
	if curve != CurveEd25519 {
		return fmt.Errorf("testprims: %s: %w", curve, ErrUnsupported)
	}
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, digest, sig) {
		return errTestBad
	}
	return nil
}

func (testPrims) VerifyMLDSA(set MLDSA, pub, digest, sig []byte) error {
	return fmt.Errorf("testprims: %s: %w", set, ErrUnsupported)
}

func (testPrims) Supports(algo core.PubKeyAlgo) error {
	switch algo {
	case core.PubKeyRSA, core.PubKeyRSASign, core.PubKeyEdDSA, core.PubKeyEd25519:
		return nil
	}
	return fmt.Errorf("testprims has no %v: %w", algo, ErrUnsupported)
}

// testHash is a [Hash] over a standard library hash.
type testHash struct {
	algo core.HashAlgo
	h    hash.Hash
}

func (t *testHash) Write(p []byte) (int, error) { return t.h.Write(p) }
func (t *testHash) Algo() core.HashAlgo         { return t.algo }
func (t *testHash) Sum() ([]byte, error)        { return t.h.Sum(nil), nil }
func (t *testHash) Clone() (Hash, error) {
	c, ok := t.h.(hash.Cloner)
	if !ok {
		return nil, errors.New("testprims: hash cannot be cloned")
	}
	n, err := c.Clone()
	if err != nil {
		return nil, err
	}
	return &testHash{algo: t.algo, h: n}, nil
}

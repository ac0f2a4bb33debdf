package strict

import (
	"io"

	"github.com/rpmpgp/rpmpgp/core"
)

// Hash is a running digest computed by a [Primitives] implementation.
type Hash interface {
	io.Writer
	// Algo is the OpenPGP hash algorithm.
	Algo() core.HashAlgo
	// Clone returns an independent copy of the current state.
	Clone() (Hash, error)
	// Sum returns the digest of what was written so far; the state is unchanged.
	Sum() ([]byte, error)
}

// FinalHash is a [Hash] that can be finalised in place when it will not be
// used again (Sum must leave the state unchanged, which costs a copy) and
// whose resources can be freed at once. The strict backend's digests use
// it when the primitives' Hash implements it.
type FinalHash interface {
	Hash
	// Final returns the digest of what was written so far and releases
	// the state; the Hash must not be used afterwards.
	Final() ([]byte, error)
	// Close releases the state without a digest; further calls do
	// nothing.
	Close()
}

// Curve names an elliptic curve for [Primitives.VerifyECDSA] and
// [Primitives.VerifyEdDSA].
type Curve string

// Curves the strict backends know.
const (
	CurveP256          Curve = "P-256"
	CurveP384          Curve = "P-384"
	CurveP521          Curve = "P-521"
	CurveBrainpoolP256 Curve = "brainpoolP256r1"
	CurveBrainpoolP384 Curve = "brainpoolP384r1"
	CurveBrainpoolP512 Curve = "brainpoolP512r1"
	CurveEd25519       Curve = "Ed25519"
	CurveEd448         Curve = "Ed448"
)

// MLDSA names an ML-DSA parameter set (FIPS 204) for [Primitives.VerifyMLDSA].
type MLDSA string

// ML-DSA parameter sets used by the OpenPGP composite algorithms
// (draft-ietf-openpgp-pqc: ML-DSA-65+Ed25519 and ML-DSA-87+Ed448).
const (
	MLDSA65 MLDSA = "ML-DSA-65"
	MLDSA87 MLDSA = "ML-DSA-87"
)

// Primitives is the crypto a strict backend delegates. Every digest and every
// signature check of a verdict (data signatures and the binding signatures of
// certificates) goes through it. Big integers are unsigned big-endian byte
// strings with leading zeros allowed. Verify methods return nil on a valid
// signature and an error describing the failure otherwise; an error wrapping
// [ErrUnsupported] means the algorithm or parameter is unavailable (or
// refused by FIPS), which the shared logic turns into the right verdict and
// lint.
type Primitives interface {
	// Name names the implementation and its library version for Describe.
	Name() string
	// FIPS reports whether the primitives run in FIPS mode.
	FIPS() bool
	// NewHash starts a digest.
	NewHash(algo core.HashAlgo) (Hash, error)
	// VerifyRSA checks an RSA PKCS#1 v1.5 signature over digest (computed
	// with hash). sig may be shorter than the modulus: implementations
	// left-pad it (Go's crypto/rsa rejects short signatures, golang/go#21896).
	VerifyRSA(n, e []byte, hash core.HashAlgo, digest, sig []byte) error
	// VerifyDSA checks a DSA signature (r, s) over digest (FIPS 186-4: the
	// digest is truncated to the bit length of q).
	VerifyDSA(p, q, g, y []byte, digest, r, s []byte) error
	// VerifyECDSA checks an ECDSA signature (r, s) over digest; point is the
	// uncompressed SEC1 public point (0x04 || X || Y).
	VerifyECDSA(curve Curve, point []byte, digest, r, s []byte) error
	// VerifyEdDSA checks an Ed25519 or Ed448 signature whose message is
	// digest (OpenPGP signs the hash). pub is the raw public key (32 or 57
	// bytes); sig is R || S (64 or 114 bytes).
	VerifyEdDSA(curve Curve, pub, digest, sig []byte) error
	// VerifyMLDSA checks a pure ML-DSA signature (FIPS 204, Algorithm 3,
	// empty context string) whose message is digest, as the ML-DSA half of
	// an OpenPGP composite signature (draft-ietf-openpgp-pqc). pub and sig
	// are the encoded public key and signature of the parameter set.
	VerifyMLDSA(set MLDSA, pub, digest, sig []byte) error
	// Supports reports whether signatures of the public-key algorithm can
	// be verified at all: nil, or an error wrapping [ErrUnsupported] that
	// says why not (it is shown to users, e.g. in pgpPubKeyLint). Limits
	// that depend on parameters (key sizes, curves, FIPS refusals) are
	// reported by the Verify methods instead.
	Supports(algo core.PubKeyAlgo) error
}

// ErrUnsupported is wrapped by [Primitives] errors for algorithms or
// parameters the implementation cannot (or, in FIPS mode, may not) use.
var ErrUnsupported = errUnsupported{}

type errUnsupported struct{}

func (errUnsupported) Error() string { return "algorithm not supported by the crypto primitives" }

//go:build cgo

package openssl

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// The openssl backend has no ML-DSA: OpenSSL gained ML-DSA (FIPS 204) in
// 3.5, and Debian 12 ships 3.0. The ML-DSA + EdDSA composite algorithms of
// draft-ietf-openpgp-pqc are therefore reported unsupported, with a reason
// that says so; the strict code then applies rpm-sequoia's rules for
// unsupported algorithms (a signature without a key is NOTTRUSTED, a
// certificate whose self-signatures cannot be checked is not usable).

// Supports reports nil for the public-key algorithms this backend verifies
// through OpenSSL (the Strict column of core's algorithm table: RSA, DSA,
// ECDSA, EdDSA, Ed25519, Ed448) except the ML-DSA composites; for the
// ML-DSA composites, an error wrapping [strict.ErrUnsupported] saying that
// OpenSSL lacks ML-DSA. FIPS refusals depend on parameters and come from
// the Verify methods.
func (p *Primitives) Supports(algo core.PubKeyAlgo) error {
	switch {
	case algo == core.PubKeyMLDSA65Ed25519, algo == core.PubKeyMLDSA87Ed448:
		return refuse(fmt.Sprintf("%v is not supported: %s", algo, noMLDSA(ossl.Version())), nil)
	case algo.Info().Strict:
		return nil
	}
	return refuse(fmt.Sprintf("public-key algorithm %v (%d) is not supported", algo, uint8(algo)), nil)
}

// VerifyMLDSA always fails with an error wrapping [strict.ErrUnsupported]:
// see [Primitives.Supports].
func (p *Primitives) VerifyMLDSA(set strict.MLDSA, pub, digest, sig []byte) error {
	return refuse(fmt.Sprintf("%s is not supported: %s", set, noMLDSA(ossl.Version())), nil)
}

// noMLDSA words why there is no ML-DSA for the OpenSSL version string
// version ("OpenSSL 3.0.19 27 Jan 2026").
func noMLDSA(version string) string {
	f := strings.Fields(version)
	lib := version
	if len(f) >= 2 {
		lib = f[0] + " " + f[1]
		nums := strings.SplitN(f[1], ".", 3)
		if len(nums) >= 2 {
			major, err1 := strconv.Atoi(nums[0])
			minor, err2 := strconv.Atoi(nums[1])
			if err1 == nil && err2 == nil && (major > 3 || major == 3 && minor >= 5) {
				return lib + " has ML-DSA, but the openssl backend does not use it yet"
			}
		}
	}
	return lib + " lacks ML-DSA (FIPS 204; OpenSSL 3.5 or later has it)"
}

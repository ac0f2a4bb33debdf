package strict

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/core"
)

// errNoPrimitives is what a backend built from a [Config] without
// Primitives answers for every digest and signature.
var errNoPrimitives = fmt.Errorf("strict: no primitives configured: %w", ErrUnsupported)

// noPrimitives stands in for a missing [Config.Primitives]: it supports
// nothing, so such a backend fails closed (Init fails; every digest is
// unsupported and no signature verifies) instead of dereferencing nil.
type noPrimitives struct{}

func (noPrimitives) Name() string { return "no primitives" }
func (noPrimitives) FIPS() bool   { return false }
func (noPrimitives) NewHash(core.HashAlgo) (Hash, error) {
	return nil, errNoPrimitives
}
func (noPrimitives) VerifyRSA(_, _ []byte, _ core.HashAlgo, _, _ []byte) error {
	return errNoPrimitives
}
func (noPrimitives) VerifyDSA(_, _, _, _ []byte, _, _, _ []byte) error       { return errNoPrimitives }
func (noPrimitives) VerifyECDSA(Curve, []byte, []byte, []byte, []byte) error { return errNoPrimitives }
func (noPrimitives) VerifyEdDSA(Curve, []byte, []byte, []byte) error         { return errNoPrimitives }
func (noPrimitives) VerifyMLDSA(MLDSA, []byte, []byte, []byte) error         { return errNoPrimitives }
func (noPrimitives) Supports(core.PubKeyAlgo) error                          { return errNoPrimitives }

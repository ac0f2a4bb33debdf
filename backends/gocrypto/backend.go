// Package gocrypto is the default strict backend: rpm-sequoia semantics
// (package strict) on Go's standard crypto, go-crypto's brainpool curves
// and circl's Ed448 and ML-DSA (the ML-DSA + EdDSA composites of
// draft-ietf-openpgp-pqc).
package gocrypto

import (
	"runtime"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/internal/version"
)

// New returns the gocrypto backend (profile "strict").
func New() *strict.Backend {
	return strict.New(strict.Config{
		Name:       "gocrypto",
		Version:    version.Version,
		Library:    "Go " + runtime.Version() + " crypto, go-crypto brainpool, circl Ed448 and ML-DSA",
		Primitives: Primitives{},
	})
}

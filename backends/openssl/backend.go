//go:build cgo

package openssl

import (
	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
)

// New returns the openssl backend: strict semantics on [Primitives] in the
// FIPS mode opts.FIPS. It fails when the mode is unknown or when "require"
// is asked for and OpenSSL's FIPS provider cannot be loaded; the error
// names OpenSSL's reason.
func New(opts Options) (*strict.Backend, error) {
	p, err := NewPrimitives(opts.FIPS)
	if err != nil {
		return nil, err
	}
	return strict.New(strict.Config{
		Name:       Name,
		Version:    opts.version(),
		Library:    ossl.Version(),
		Primitives: p,
	}), nil
}

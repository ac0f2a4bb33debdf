//go:build !cgo

package openssl

import "github.com/rpmpgp/rpmpgp/backends/internal/strict"

// Backend is the openssl backend; without cgo it cannot be built (see
// [New]).
type Backend struct {
	*strict.Backend
}

// New always fails in a build without cgo: the backend calls OpenSSL
// through cgo.
func New(opts Options) (*Backend, error) {
	_ = opts.version()
	_ = opts.kernelFIPS()
	return nil, ErrNoCgo
}

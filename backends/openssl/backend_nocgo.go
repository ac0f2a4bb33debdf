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

// NewDeferred cannot make a backend in a build without cgo; it returns nil.
// Use [New] to learn why ([ErrNoCgo]).
func NewDeferred(opts Options) *Backend {
	_ = opts.version()
	return nil
}

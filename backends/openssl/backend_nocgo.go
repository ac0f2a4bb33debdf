//go:build !cgo

package openssl

import "github.com/rpmpgp/rpmpgp/backends/internal/strict"

// New always fails in a build without cgo: the backend calls OpenSSL
// through cgo.
func New(opts Options) (*strict.Backend, error) {
	_ = opts.version()
	return nil, ErrNoCgo
}

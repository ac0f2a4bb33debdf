package core

import "errors"

// ErrUnsupportedDigest is returned (wrapped) by [Digester.NewDigest] for an
// algorithm the backend does not implement.
var ErrUnsupportedDigest = errors.New("rpmpgp: unsupported digest algorithm")

// ErrNotSupported is returned (wrapped) by backends for an operation they do
// not implement (for example Merge in a legacy backend).
var ErrNotSupported = errors.New("rpmpgp: operation not supported by this backend")

//go:build cgo

package openssl

import (
	"github.com/rpmpgp/rpmpgp/backends/internal/strict"
	"github.com/rpmpgp/rpmpgp/backends/openssl/internal/ossl"
	"github.com/rpmpgp/rpmpgp/core"
)

// Backend is the openssl backend: a [strict.Backend] on [Primitives] whose
// OpenSSL library context follows the FIPS mode of Init.
type Backend struct {
	*strict.Backend
	prims *Primitives
}

var _ core.Backend = (*Backend)(nil)

// New returns the openssl backend: strict semantics on [Primitives] in the
// FIPS mode opts.FIPS until Init sets another. It fails when the mode is
// unknown or when FIPS mode is asked for (or, with "auto", the system is in
// FIPS mode) and OpenSSL's FIPS provider cannot be loaded; the error names
// OpenSSL's reason.
func New(opts Options) (*Backend, error) {
	p, err := NewPrimitivesWith(opts)
	if err != nil {
		return nil, err
	}
	return withPrimitives(opts, p), nil
}

// NewDeferred returns the openssl backend with no OpenSSL library context
// until Init chooses one from core.Options.FIPS: before that every digest
// and signature check fails and Describe lists no digests, so nothing
// runs in a FIPS mode nobody asked for, and a system in FIPS mode without
// a FIPS provider does not stop a backend that Init will set to "off". The
// plugin's main uses it (rpmpgp always initialises a backend before use,
// and again after a restart). opts.FIPS is ignored.
func NewDeferred(opts Options) *Backend {
	return withPrimitives(opts, &Primitives{opts: opts})
}

// withPrimitives is the strict backend over p, named and versioned.
func withPrimitives(opts Options, p *Primitives) *Backend {
	return &Backend{
		Backend: strict.New(strict.Config{
			Name:       Name,
			Version:    opts.version(),
			Library:    ossl.Version(),
			Primitives: p,
		}),
		prims: p,
	}
}

// Init applies opts: it switches OpenSSL's library context to the FIPS
// mode opts.FIPS (the only way the plugin learns it) and then applies the
// policy and time as every strict backend does. A FIPS mode that cannot be
// had (require, or auto on a system in FIPS mode, without a usable FIPS
// provider) fails Init; the backend must not be used then.
func (b *Backend) Init(opts core.Options) error {
	if err := b.prims.setMode(opts.FIPS); err != nil {
		return err
	}
	return b.Backend.Init(opts)
}

// Close frees what OpenSSL keeps for the backend across verifications
// (the imported public keys, see [Primitives.Close]). The plugin's main
// calls it when the host stops the plugin. It always returns nil.
func (b *Backend) Close() error { return b.prims.Close() }

// Describe adds to the strict description how the FIPS mode was chosen
// and the OpenSSL providers in use (name, version, state).
func (b *Backend) Describe() (core.Description, error) {
	d, err := b.Backend.Describe()
	if err != nil {
		return d, err
	}
	d.Notes = b.prims.notes()
	return d, nil
}

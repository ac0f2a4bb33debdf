package strict

import (
	"errors"
	"sync"

	"github.com/rpmpgp/rpmpgp/core"
)

// errDigestDone is returned when a digest is used after Final or Close.
var errDigestDone = errors.New("rpmpgp: digest already finalised")

// digest adapts a [Hash] from the primitives to [core.Digest] (rpm's
// DIGEST_CTX). It is safe for concurrent use, although rpm never shares one.
type digest struct {
	mu   sync.Mutex
	h    Hash
	done bool
}

var _ core.Digest = (*digest)(nil)

func (d *digest) Algo() core.HashAlgo { return d.h.Algo() }

func (d *digest) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return 0, errDigestDone
	}
	return d.h.Write(p)
}

func (d *digest) Dup() (core.Digest, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return nil, errDigestDone
	}
	c, err := d.h.Clone()
	if err != nil {
		return nil, err
	}
	return &digest{h: c}, nil
}

func (d *digest) Final() ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return nil, errDigestDone
	}
	d.done = true
	if f, ok := d.h.(FinalHash); ok {
		return f.Final()
	}
	return d.h.Sum()
}

func (d *digest) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if f, ok := d.h.(FinalHash); ok && !d.done {
		f.Close()
	}
	d.done = true
	return nil
}

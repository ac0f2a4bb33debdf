package core

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Digester creates digests; it mirrors rpmDigestInit.
type Digester interface {
	// NewDigest mirrors rpmDigestInit. Every backend supports at least
	// [RequiredDigests] (unless refused by FIPS, with an error saying so).
	NewDigest(algo HashAlgo) (Digest, error)
}

// Digest is a running hash owned by a backend (rpm's DIGEST_CTX).
type Digest interface {
	// Algo is the hash algorithm.
	Algo() HashAlgo
	// Write mirrors rpmDigestUpdate.
	Write(p []byte) (int, error)
	// Dup mirrors rpmDigestDup: an independent copy of the current state.
	Dup() (Digest, error)
	// Final mirrors rpmDigestFinal: the digest value; the Digest must not be
	// used afterwards.
	Final() ([]byte, error)
	// Close releases the digest without a result. Close after Final is a no-op.
	Close() error
}

// BulkUpdater is the bulk digest path ([Capabilities.Digests]) of a
// [Backend] whose digests are expensive to feed one by one (an
// out-of-process backend): it feeds the same bytes from r into every digest
// in ds, reading r once. All digests must belong to the backend. An
// implementation may read an [*os.File] through its descriptor in another
// process (core/plugin does), so callers pass the file itself, not a
// wrapper, when r is one.
type BulkUpdater interface {
	UpdateDigests(ds []Digest, r io.Reader) (int64, error)
}

// bulkChunk is the read size when feeding digests ourselves.
const bulkChunk = 256 << 10

// chunks recycles UpdateDigests' read buffers: a fresh one per call (two per
// package) made the garbage collector the largest cost of verifying small
// packages.
var chunks = sync.Pool{New: func() any { b := make([]byte, bulkChunk); return &b }}

// UpdateDigests feeds everything from r into every digest in ds, through the
// [BulkUpdater] the backend declares in [Capabilities.Digests] when it
// declares one, else by writing every chunk to every digest. It returns the
// number of bytes read.
func UpdateDigests(b Capable, ds []Digest, r io.Reader) (int64, error) {
	if len(ds) == 0 {
		return io.Copy(io.Discard, r)
	}
	if bu := b.Capabilities().Digests; bu != nil {
		return bu.UpdateDigests(ds, r)
	}
	bp := chunks.Get().(*[]byte)
	buf := *bp
	var total int64
	for {
		n, err := r.Read(buf)
		if n == len(buf) && err == nil {
			// A read that fills the buffer: a large input (the first
			// read of a payload may be short, the rest of a buffered
			// reader's buffer), read ahead on another goroutine while
			// this one hashes (digestpipe.go), which takes bp over.
			m, err := pipelined(ds, r, bp)
			return total + m, err
		}
		if n > 0 {
			total += int64(n)
			if werr := writeDigests(ds, buf[:n]); werr != nil {
				chunks.Put(bp)
				return total, werr
			}
		}
		if err != nil {
			chunks.Put(bp)
			if errors.Is(err, io.EOF) {
				return total, nil
			}
			return total, err
		}
	}
}

// writeDigests writes p to every digest in ds, in order, and returns the
// first failure.
func writeDigests(ds []Digest, p []byte) error {
	for _, d := range ds {
		if _, err := d.Write(p); err != nil {
			return fmt.Errorf("updating %v digest: %w", d.Algo(), err)
		}
	}
	return nil
}

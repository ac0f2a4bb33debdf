package core

import (
	"errors"
	"io"
	"sync"
)

// pipeDepth is how many read buffers (of bulkChunk) a pipelined update
// cycles through: one being hashed, the others being read or waiting.
const pipeDepth = 3

// pipeChunk is one read of the read-ahead goroutine: the buffer, how much
// of it was read and the read's error.
type pipeChunk struct {
	bp  *[]byte
	n   int
	err error
}

// pipelined is [UpdateDigests] for the rest of a large input whose next
// bulkChunk octets are in *first (a buffer of the chunks pool, which it
// takes over), the octets before them already written:
// one goroutine reads ahead into pipeDepth buffers while the calling one
// hashes, so that the copy out of the page cache is no longer added to the
// hashing, and two or more digests are fed in parallel (MD5 and SHA-256
// over the same payload, say). The octets reach every digest in order and
// exactly once, as in the sequential loop; the result, the count and the
// errors are the same: a digest's failure (the first in ds order) ends
// the update, and a read error comes after the octets read before it. It
// returns only once the read-ahead goroutine has stopped, so r is never
// read after it returns.
func pipelined(ds []Digest, r io.Reader, first *[]byte) (int64, error) {
	free := make(chan *[]byte, pipeDepth)
	// full has room for every buffer, so the reader never blocks on it.
	full := make(chan pipeChunk, pipeDepth)
	stop := make(chan struct{})
	done := make(chan struct{})
	for range pipeDepth - 1 {
		free <- chunks.Get().(*[]byte)
	}
	go func() {
		defer close(done)
		for {
			var bp *[]byte
			select {
			case <-stop:
				return
			default:
			}
			select {
			case bp = <-free:
			case <-stop:
				return
			}
			n, err := r.Read(*bp)
			full <- pipeChunk{bp: bp, n: n, err: err}
			if err != nil {
				return
			}
		}
	}()
	total := int64(len(*first))
	err := writeParallel(ds, *first)
	free <- first
	for err == nil {
		c := <-full
		if c.n > 0 {
			total += int64(c.n)
			err = writeParallel(ds, (*c.bp)[:c.n])
		}
		free <- c.bp
		if err == nil && c.err != nil {
			if !errors.Is(c.err, io.EOF) {
				err = c.err
			}
			break
		}
	}
	close(stop)
	<-done
	for len(free) > 0 {
		chunks.Put(<-free)
	}
	for len(full) > 0 {
		chunks.Put((<-full).bp)
	}
	return total, err
}

// writeParallel is [writeDigests] with every digest after the first fed
// on a goroutine of its own; it returns once all have p, with the failure
// of the first digest in ds order that failed.
func writeParallel(ds []Digest, p []byte) error {
	if len(ds) == 1 {
		return writeDigests(ds, p)
	}
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i := 1; i < len(ds); i++ {
		wg.Go(func() { errs[i] = writeDigests(ds[i:i+1], p) })
	}
	errs[0] = writeDigests(ds[:1], p)
	wg.Wait()
	return firstNonNil(errs)
}

// firstNonNil returns the first error in errs that is not nil.
func firstNonNil(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

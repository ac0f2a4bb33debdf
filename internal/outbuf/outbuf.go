// Package outbuf is the output buffer of rpmpgp checksig: the lines of a
// burst of results that are ready together go out in one write instead of
// one or two writes a line (issue 16: 1,000 packages made 2,000 writes to
// standard output, each waking whatever reads it), and nothing is held back
// while the command waits for the next result ([Writer.Flush] is called
// then). Standard error stays unbuffered; a writer made by [Writer.Before]
// flushes the buffer before each of its writes, so that the order of
// standard output and standard error lines on a shared descriptor (2>&1)
// is what it was without the buffer.
package outbuf

import (
	"io"
	"sync"
)

// Size is the most bytes a [Writer] holds: a burst larger than that is
// written in pieces of Size. It is the default pipe capacity on Linux
// (pipe(7)), which a reader takes in one read.
const Size = 64 << 10

// Writer buffers what is written to it until [Writer.Flush], or until
// [Size] bytes are held. It is safe for concurrent use. The first write
// error of a buffering Writer is kept and returned by every later Write
// and Flush; what is buffered after it is dropped. A [Direct] Writer
// returns each write's own result.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	direct bool // write through ([Direct])
	buf    []byte
	err    error
}

// New returns a Writer that buffers writes to w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Direct returns a Writer that writes through to w at once, for a
// terminal: a person watches the lines come, and a progress bar on the
// same terminal is cleared just before each of them (rpm's stdio is
// line-buffered there too). Flush has nothing to do.
func Direct(w io.Writer) *Writer { return &Writer{w: w, direct: true} }

// Write appends p to the buffer, writing the buffer out first when p does
// not fit beside what it holds, and p itself when it is [Size] or larger.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return 0, b.err
	}
	if b.direct {
		return b.w.Write(p)
	}
	if len(b.buf)+len(p) > Size {
		if err := b.flush(); err != nil {
			return 0, err
		}
	}
	if len(p) >= Size {
		n, err := b.w.Write(p)
		if err != nil {
			b.err = err
		}
		return n, err
	}
	if b.buf == nil {
		b.buf = make([]byte, 0, Size)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes what the buffer holds.
func (b *Writer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flush()
}

// flush is Flush with b.mu held.
func (b *Writer) flush() error {
	if b.err != nil {
		return b.err
	}
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	if err != nil {
		b.err = err
	}
	return err
}

// Before returns a writer to w that flushes b before each write, so that
// what was written to b comes out first.
func (b *Writer) Before(w io.Writer) io.Writer { return &before{b: b, w: w} }

// before is the writer of [Writer.Before].
type before struct {
	b *Writer
	w io.Writer
}

func (x *before) Write(p []byte) (int, error) {
	x.b.mu.Lock()
	defer x.b.mu.Unlock()
	_ = x.b.flush() // its error is the buffer's, reported by its own writes
	return x.w.Write(p)
}

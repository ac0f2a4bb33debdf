package core

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// plainBackend has no batch paths: UpdateDigests feeds the digests itself.
type plainBackend struct{}

func (plainBackend) Capabilities() Capabilities { return Capabilities{} }

// hashDigest is a Digest over a hash.Hash; failAt > 0 makes the Write that
// would take it past failAt octets fail.
type hashDigest struct {
	algo    HashAlgo
	h       hash.Hash
	written int64
	failAt  int64
}

var errDigestWrite = errors.New("digest write refused")

func (d *hashDigest) Algo() HashAlgo { return d.algo }
func (d *hashDigest) Write(p []byte) (int, error) {
	if d.failAt > 0 && d.written+int64(len(p)) > d.failAt {
		return 0, errDigestWrite
	}
	d.written += int64(len(p))
	return d.h.Write(p)
}
func (d *hashDigest) Dup() (Digest, error)   { return nil, errors.New("no Dup") }
func (d *hashDigest) Final() ([]byte, error) { return d.h.Sum(nil), nil }
func (d *hashDigest) Close() error           { return nil }

func newDigests() []Digest {
	return []Digest{&hashDigest{algo: HashSHA256, h: sha256.New()}, &hashDigest{algo: HashMD5, h: md5.New()}}
}

func sums(t *testing.T, ds []Digest) []string {
	t.Helper()
	var out []string
	for _, d := range ds {
		v, err := d.Final()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hex.EncodeToString(v))
	}
	return out
}

// TestUpdateDigestsSizes: every size around the read-ahead's thresholds,
// with whole and with short reads, gives the digests and count of hashing
// the data directly (one digest, and two fed in parallel).
func TestUpdateDigestsSizes(t *testing.T) {
	data := make([]byte, 4*bulkChunk+7)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	sizes := []int{0, 1, bulkChunk - 1, bulkChunk, bulkChunk + 1, 2 * bulkChunk, 3*bulkChunk + 5, len(data)}
	readers := map[string]func([]byte) io.Reader{
		"whole":   func(b []byte) io.Reader { return bytes.NewReader(b) },
		"half":    func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		"dataerr": func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) },
	}
	for _, size := range sizes {
		want := []string{hexSum(sha256.New(), data[:size]), hexSum(md5.New(), data[:size])}
		for name, mk := range readers {
			for _, n := range []int{1, 2} {
				ds := newDigests()[:n]
				got, err := UpdateDigests(plainBackend{}, ds, mk(data[:size]))
				if err != nil || got != int64(size) {
					t.Fatalf("size %d %s %d digests: got %d, %v", size, name, n, got, err)
				}
				if s := sums(t, ds); !equal(s, want[:n]) {
					t.Fatalf("size %d %s %d digests: sums %v, want %v", size, name, n, s, want[:n])
				}
			}
		}
	}
}

func hexSum(h hash.Hash, p []byte) string {
	h.Write(p)
	return hex.EncodeToString(h.Sum(nil))
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// failingReader returns data, then err; it counts the reads made after
// closed is set.
type failingReader struct {
	r      io.Reader
	err    error
	closed atomic.Bool
	late   atomic.Int32
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.closed.Load() {
		f.late.Add(1)
	}
	n, err := f.r.Read(p)
	if err == io.EOF {
		err = f.err
	}
	return n, err
}

// TestUpdateDigestsReadError: a read error after 3 chunks and a bit is
// returned as it is, after the octets before it, whether or not the input
// took the read-ahead path.
func TestUpdateDigestsReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, size := range []int{10, 3*bulkChunk + 100} {
		fr := &failingReader{r: bytes.NewReader(make([]byte, size)), err: boom}
		got, err := UpdateDigests(plainBackend{}, newDigests(), fr)
		fr.closed.Store(true)
		if !errors.Is(err, boom) || err.Error() != "disk on fire" || got != int64(size) {
			t.Fatalf("size %d: got %d, %v; want %d, disk on fire", size, got, err, size)
		}
	}
}

// TestUpdateDigestsWriteError: a digest that fails in the middle ends the
// update with that digest's error (the first failing one in order), and
// the input is not read after UpdateDigests returns.
func TestUpdateDigestsWriteError(t *testing.T) {
	for _, size := range []int{bulkChunk / 2, 5 * bulkChunk} {
		for _, which := range []int{0, 1} {
			ds := newDigests()
			ds[which].(*hashDigest).failAt = int64(size) - 10
			fr := &failingReader{r: bytes.NewReader(make([]byte, size)), err: io.EOF}
			_, err := UpdateDigests(plainBackend{}, ds, fr)
			fr.closed.Store(true)
			name := []string{"SHA256", "MD5"}[which]
			if !errors.Is(err, errDigestWrite) || err.Error() != "updating "+name+" digest: digest write refused" {
				t.Fatalf("size %d, digest %d failing: %v", size, which, err)
			}
			if n := fr.late.Load(); n != 0 {
				t.Fatalf("size %d: %d reads after UpdateDigests returned", size, n)
			}
		}
	}
}

// gatedReader blocks its third Read until gate is closed, saying so on
// entered, and records that it was released.
type gatedReader struct {
	r        io.Reader
	short    bool // the first Read returns 100 octets, as a buffered reader's rest
	reads    int
	entered  chan struct{}
	gate     chan struct{}
	released atomic.Bool
}

func (g *gatedReader) Read(p []byte) (int, error) {
	g.reads++
	if g.reads == 1 && g.short {
		return g.r.Read(p[:100])
	}
	if g.reads == 3 {
		close(g.entered)
		<-g.gate
		g.released.Store(true)
	}
	return g.r.Read(p)
}

// TestUpdateDigestsWaitsForReadAhead: when a digest fails while the
// read-ahead goroutine is inside a Read, UpdateDigests returns only after
// that Read has returned, so the caller may close the file at once.
func TestUpdateDigestsWaitsForReadAhead(t *testing.T) {
	for _, short := range []bool{false, true} {
		ds := newDigests()
		// Fails on the second chunk, or, after a short first read, on
		// the first full one (the read-ahead's first).
		fail := int64(bulkChunk + 10)
		if short {
			fail = 110
		}
		ds[0].(*hashDigest).failAt = fail
		g := &gatedReader{r: bytes.NewReader(make([]byte, 5*bulkChunk)), short: short, entered: make(chan struct{}), gate: make(chan struct{})}
		type result struct {
			err      error
			released bool
		}
		done := make(chan result, 1)
		go func() {
			_, err := UpdateDigests(plainBackend{}, ds, g)
			done <- result{err, g.released.Load()}
		}()
		select {
		case <-g.entered:
		case r := <-done:
			t.Fatalf("short first read %v: no read-ahead (UpdateDigests returned %v before a third Read)", short, r.err)
		}
		// A correct UpdateDigests cannot return before the gate opens;
		// one that does not wait for its reader returns meanwhile, and is
		// caught below (the wait only gives it the chance).
		var r result
		select {
		case r = <-done:
			close(g.gate)
		case <-time.After(100 * time.Millisecond):
			close(g.gate)
			r = <-done
		}
		if !r.released {
			t.Fatalf("short first read %v: UpdateDigests returned while its read-ahead goroutine was inside Read", short)
		}
		if r.err == nil || r.err.Error() != "updating SHA256 digest: digest write refused" {
			t.Fatalf("short first read %v: error %v", short, r.err)
		}
	}
}

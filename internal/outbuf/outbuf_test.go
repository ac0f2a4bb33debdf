package outbuf

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// recorder keeps every write it gets, one string each.
type recorder struct {
	writes []string
	err    error
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

// TestBuffered: writes are held until Flush, which writes them in one
// call; a Flush of an empty buffer writes nothing.
func TestBuffered(t *testing.T) {
	var r recorder
	b := New(&r)
	for _, s := range []string{"a.rpm:", " digests signatures OK\n", "b.rpm:", " digests OK\n"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if len(r.writes) != 0 {
		t.Fatalf("before Flush: %q written", r.writes)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{"a.rpm: digests signatures OK\nb.rpm: digests OK\n"}
	if !slices.Equal(r.writes, want) {
		t.Errorf("writes %q, want %q", r.writes, want)
	}
}

// TestBefore: a write through Before flushes the buffer first, so that the
// two streams on one descriptor keep the order of the writes.
func TestBefore(t *testing.T) {
	var shared recorder
	b := New(&shared)
	stderr := b.Before(&shared)
	b.Write([]byte("a.rpm:"))
	stderr.Write([]byte("error: a.rpm: no verdict\n"))
	b.Write([]byte("\n"))
	stderr.Write([]byte("error: b.rpm: open failed\n"))
	stderr.Write([]byte("warning: x\n"))
	b.Write([]byte("c.rpm: digests OK\n"))
	b.Flush()
	want := []string{"a.rpm:", "error: a.rpm: no verdict\n", "\n", "error: b.rpm: open failed\n", "warning: x\n", "c.rpm: digests OK\n"}
	if !slices.Equal(shared.writes, want) {
		t.Errorf("writes %q, want %q", shared.writes, want)
	}
}

// TestSize: the buffer never holds more than Size bytes: a write that
// does not fit flushes what is held first, and a write of Size or more
// goes out on its own, in order.
func TestSize(t *testing.T) {
	var r recorder
	b := New(&r)
	small := strings.Repeat("x", Size-10)
	b.Write([]byte(small))
	b.Write([]byte(strings.Repeat("y", 20))) // does not fit: small goes out
	if !slices.Equal(r.writes, []string{small}) {
		t.Fatalf("after overflow: %d writes, want the %d bytes held", len(r.writes), len(small))
	}
	big := strings.Repeat("z", Size)
	b.Write([]byte(big)) // the 20 y first, then big itself
	b.Write([]byte("end\n"))
	b.Flush()
	want := []string{small, strings.Repeat("y", 20), big, "end\n"}
	if !slices.Equal(r.writes, want) {
		t.Errorf("writes of %v bytes, want %v", lens(r.writes), lens(want))
	}
	var all bytes.Buffer
	for _, w := range r.writes {
		all.WriteString(w)
	}
	if got := all.String(); got != small+strings.Repeat("y", 20)+big+"end\n" {
		t.Errorf("bytes out differ from bytes in (%d bytes)", len(got))
	}
}

// TestError: the first write error is returned by Flush and by every later
// Write and Flush.
func TestError(t *testing.T) {
	broken := errors.New("broken pipe")
	r := recorder{err: broken}
	b := New(&r)
	if _, err := b.Write([]byte("a\n")); err != nil {
		t.Fatalf("buffered Write: %v", err)
	}
	if err := b.Flush(); !errors.Is(err, broken) {
		t.Fatalf("Flush: %v, want %v", err, broken)
	}
	if _, err := b.Write([]byte("b\n")); !errors.Is(err, broken) {
		t.Errorf("Write after the error: %v, want %v", err, broken)
	}
	if err := b.Flush(); !errors.Is(err, broken) {
		t.Errorf("second Flush: %v, want %v", err, broken)
	}
}

func lens(ss []string) []int {
	var n []int
	for _, s := range ss {
		n = append(n, len(s))
	}
	return n
}

// TestDirect: a Direct writer writes every write at once.
func TestDirect(t *testing.T) {
	var r recorder
	b := Direct(&r)
	stderr := b.Before(&r)
	b.Write([]byte("a.rpm:"))
	b.Write([]byte(" digests OK\n"))
	stderr.Write([]byte("warning: x\n"))
	if want := []string{"a.rpm:", " digests OK\n", "warning: x\n"}; !slices.Equal(r.writes, want) {
		t.Errorf("writes %q, want %q", r.writes, want)
	}
	if err := b.Flush(); err != nil || len(r.writes) != 3 {
		t.Errorf("Flush: %v, %d writes", err, len(r.writes))
	}
}

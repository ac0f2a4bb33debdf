package strict

import (
	"bytes"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// finalHash is a FinalHash that records how it was finished.
type finalHash struct {
	buf            bytes.Buffer
	sums, finals   int
	closes, clones int
}

func (h *finalHash) Write(p []byte) (int, error) { return h.buf.Write(p) }
func (h *finalHash) Algo() core.HashAlgo         { return core.HashSHA256 }
func (h *finalHash) Clone() (Hash, error) {
	h.clones++
	c := &finalHash{}
	c.buf.Write(h.buf.Bytes())
	return c, nil
}
func (h *finalHash) Sum() ([]byte, error)   { h.sums++; return bytes.Clone(h.buf.Bytes()), nil }
func (h *finalHash) Final() ([]byte, error) { h.finals++; return bytes.Clone(h.buf.Bytes()), nil }
func (h *finalHash) Close()                 { h.closes++ }

// TestDigestFinalHash: a digest over a FinalHash finishes it with Final
// (no Sum), frees it on Close unless finished, and neither twice.
func TestDigestFinalHash(t *testing.T) {
	h := &finalHash{}
	d := &digest{h: h}
	d.Write([]byte("ab"))
	got, err := d.Final()
	if err != nil || string(got) != "ab" {
		t.Fatalf("Final = %q, %v", got, err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Final(); err != errDigestDone {
		t.Errorf("second Final: %v, want errDigestDone", err)
	}
	if h.finals != 1 || h.sums != 0 || h.closes != 0 {
		t.Errorf("finished digest: %d Final, %d Sum, %d Close; want 1, 0, 0", h.finals, h.sums, h.closes)
	}

	h2 := &finalHash{}
	d2 := &digest{h: h2}
	d2.Close()
	d2.Close()
	if h2.closes != 1 || h2.finals != 0 {
		t.Errorf("closed digest: %d Close, %d Final; want 1, 0", h2.closes, h2.finals)
	}
}

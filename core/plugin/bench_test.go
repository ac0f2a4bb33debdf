package plugin

import (
	"bytes"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
)

// BenchmarkCall measures per-call overhead: a trivial LintKey in process and
// through the real test backend binary.
func BenchmarkCall(b *testing.B) {
	cert := []byte("certificate")
	run := func(b *testing.B, be core.Backend) {
		for b.Loop() {
			if _, err := be.LintKey(cert); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("in-process", func(b *testing.B) { run(b, testbackend.New()) })
	b.Run("out-of-process", func(b *testing.B) { run(b, openTest(b, LoadConfig{})) })
}

// BenchmarkBulkUpdate feeds 20 MiB into SHA-256, SHA-1 and SHA-512 digests
// with core.UpdateDigests, in process and out of process.
func BenchmarkBulkUpdate(b *testing.B) {
	data := make([]byte, 20<<20)
	for i := range data {
		data[i] = byte(i)
	}
	run := func(b *testing.B, be core.Backend) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var ds []core.Digest
			for _, a := range []core.HashAlgo{core.HashSHA256, core.HashSHA1, core.HashSHA512} {
				d, err := be.NewDigest(a)
				if err != nil {
					b.Fatal(err)
				}
				ds = append(ds, d)
			}
			if _, err := core.UpdateDigests(be, ds, bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
			for _, d := range ds {
				if _, err := d.Final(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("in-process", func(b *testing.B) { run(b, testbackend.New()) })
	b.Run("out-of-process", func(b *testing.B) { run(b, openTest(b, LoadConfig{})) })
}

// BenchmarkDigestSmallWrites: 64-byte writes into one remote digest
// (buffered client-side) versus in process.
func BenchmarkDigestSmallWrites(b *testing.B) {
	p := make([]byte, 64)
	run := func(b *testing.B, be core.Backend) {
		d, err := be.NewDigest(core.HashSHA256)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			if _, err := d.Write(p); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := d.Final(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("in-process", func(b *testing.B) { run(b, testbackend.New()) })
	b.Run("out-of-process", func(b *testing.B) { run(b, openTest(b, LoadConfig{})) })
}

// BenchmarkStart measures Open+Close of the test backend (fork/exec,
// handshake), with a cached checksum pin.
func BenchmarkStart(b *testing.B) {
	cfg := LoadConfig{Checksums: map[string]string{"test": sha256File(b, testBackendPath())}, CacheDir: b.TempDir()}
	for b.Loop() {
		c := openTest(b, cfg)
		c.Close()
	}
}

package launch

import (
	"os"
	"testing"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// BenchmarkChecksum: verifying a backend binary's SHA-256 without cache
// (cold) and with the (device, inode, size, mtime, ctime) cache.
func BenchmarkChecksum(b *testing.B) {
	path, err := os.Executable() // the test binary: a few MiB of Go
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	id, err := spawn.IDOf(fi)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("binary: %d bytes", fi.Size())
	b.Run("cold", func(b *testing.B) {
		b.SetBytes(fi.Size())
		for b.Loop() {
			if _, cached, err := hashFile(f, path, id, ""); err != nil || cached {
				b.Fatal(err, cached)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		dir := b.TempDir()
		if _, _, err := hashFile(f, path, id, dir); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, cached, err := hashFile(f, path, id, dir); err != nil || !cached {
				b.Fatal(err, cached)
			}
		}
	})
}

package launch

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// TestChecksumCache: the cache answers for the same file identity and is
// bypassed when the file changes or the cache file is not private.
func TestChecksumCache(t *testing.T) {
	t.Parallel()
	dir, cache := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "bin")
	write := func(content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hash := func() (string, bool) {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		id, err := spawn.IDOf(fi)
		if err != nil {
			t.Fatal(err)
		}
		sum, cached, err := hashFile(f, path, id, cache)
		if err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(sum), cached
	}
	sumOf := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

	write("one")
	if sum, cached := hash(); sum != sumOf("one") || cached {
		t.Errorf("cold: %s cached=%v", sum, cached)
	}
	if sum, cached := hash(); sum != sumOf("one") || !cached {
		t.Errorf("warm: %s cached=%v", sum, cached)
	}
	// Same size, same mtime, new content: the ctime changes.
	fi, _ := os.Stat(path)
	write("two")
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if sum, cached := hash(); sum != sumOf("two") || cached {
		t.Errorf("after rewrite: %s cached=%v", sum, cached)
	}
	if _, cached := hash(); !cached {
		t.Error("not cached after rewrite")
	}
	// A cache file others can write is ignored.
	if err := os.Chmod(filepath.Join(cache, checksumCacheFile), 0o666); err != nil {
		t.Fatal(err)
	}
	if sum, cached := hash(); sum != sumOf("two") || cached {
		t.Errorf("world-writable cache was trusted: %s cached=%v", sum, cached)
	}
	// No cache directory, or a relative one: always hashed.
	f, _ := os.Open(path)
	defer f.Close()
	fi, _ = f.Stat()
	id, _ := spawn.IDOf(fi)
	for _, dir := range []string{"", "relative/dir"} {
		if _, cached, err := hashFile(f, path, id, dir); err != nil || cached {
			t.Errorf("cache dir %q: cached=%v err=%v", dir, cached, err)
		}
	}
}

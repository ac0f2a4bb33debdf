package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sha256File returns the hex SHA-256 of path.
func sha256File(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestChecksumMismatchRefusedBeforeRun: a backend whose binary does not
// have the pinned checksum never runs; with the right checksum it does.
func TestChecksumMismatchRefusedBeforeRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	script := filepath.Join(dir, BinaryPrefix+"marker")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	wrong := strings.Repeat("ab", 32)
	_, err := Open("marker", LoadConfig{Dirs: []string{dir}, Checksums: map[string]string{"marker": wrong}})
	want := fmt.Sprintf(`backend "marker": checksum mismatch for %s: expected %s, got %s`, script, wrong, sha256File(t, script))
	if !errors.Is(err, ErrChecksumMismatch) || err.Error() != want {
		t.Fatalf("Open = %v\nwant %q", err, want)
	}
	var ce *ChecksumError
	if !errors.As(err, &ce) || ce.Backend != "marker" || ce.Path != script {
		t.Errorf("ChecksumError = %+v", ce)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the mismatching backend ran (marker: %v)", err)
	}
	// Control: with the right checksum the script runs (and then fails the
	// handshake, as it is no plugin).
	_, err = Open("marker", LoadConfig{Dirs: []string{dir}, Checksums: map[string]string{"marker": sha256File(t, script)}, CallTimeout: 5 * time.Second})
	if err == nil || errors.Is(err, ErrChecksumMismatch) {
		t.Fatalf("Open with the right checksum: %v", err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the matching backend did not run: %v", err)
	}
}

func TestChecksumMatchStarts(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	sum := sha256File(t, testBackendPath())
	for i := range 2 { // cold, then cached
		c := openTest(t, LoadConfig{Checksums: map[string]string{"test": strings.ToUpper(sum)}, CacheDir: cache})
		if _, err := c.Describe(); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		c.Close()
	}
	data, err := os.ReadFile(filepath.Join(cache, "checksums.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cached struct {
		Entries map[string]struct {
			SHA256 string `json:"sha256"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(data, &cached); err != nil {
		t.Fatal(err)
	}
	if e := cached.Entries[testBackendPath()]; e.SHA256 != sum {
		t.Errorf("cache entry = %+v, want sha256 %s", e, sum)
	}
}

func TestInvalidConfiguredChecksum(t *testing.T) {
	t.Parallel()
	_, err := Open("test", LoadConfig{Dirs: []string{testBinDir}, Checksums: map[string]string{"test": "abc"}})
	if want := `backend "test": configured checksum "abc" is not a hex SHA-256 (64 hex digits)`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

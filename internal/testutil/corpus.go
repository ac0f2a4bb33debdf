// Package testutil holds helpers shared by the project's tests.
package testutil

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot returns the repository root (the directory holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CorpusDir returns the third-party corpus root: $RPMPGP_CORPUS, or
// ../shared/corpus next to the repository. ok is false when it is absent.
func CorpusDir() (string, bool) {
	dir := os.Getenv("RPMPGP_CORPUS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared", "corpus")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return dir, false
	}
	return dir, true
}

// Corpus returns the corpus root or skips the test with a clear message.
func Corpus(t testing.TB) string {
	t.Helper()
	dir, ok := CorpusDir()
	if !ok {
		t.Skipf("third-party corpus not found at %s (set RPMPGP_CORPUS to run this test)", dir)
	}
	return dir
}

// PoliciesDir returns $RPMPGP_POLICIES or ../shared/policies, skipping the
// test when absent.
func PoliciesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("RPMPGP_POLICIES")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared", "policies")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("policy files not found at %s (set RPMPGP_POLICIES to run this test)", dir)
	}
	return dir
}

// Fixtures returns the project's own fixture directory (testdata/ at the
// repository root).
func Fixtures() string { return filepath.Join(RepoRoot(), "testdata") }

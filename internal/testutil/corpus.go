// Package testutil holds helpers shared by the project's tests.
package testutil

import (
	"os"
	"os/exec"
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

// Missing reports that something a test needs (an oracle tool, the shared
// corpus) is absent: the test is skipped, or fails when $CI is set, so
// that a CI run never passes by skipping.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI: "+format, args...)
	}
	t.Skipf(format, args...)
}

// NeedTool skips the test when tool is not on PATH (fails under $CI).
func NeedTool(t testing.TB, tool, why string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		Missing(t, "%s not found on PATH: %s", tool, why)
	}
}

// Corpus returns the corpus root or skips the test with a clear message
// (fails under $CI).
func Corpus(t testing.TB) string {
	t.Helper()
	dir, ok := CorpusDir()
	if !ok {
		Missing(t, "third-party corpus not found at %s (set RPMPGP_CORPUS to run this test)", dir)
	}
	return dir
}

// PoliciesDir returns $RPMPGP_POLICIES or ../shared/policies, skipping the
// test when absent (failing under $CI).
func PoliciesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("RPMPGP_POLICIES")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared", "policies")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		Missing(t, "policy files not found at %s (set RPMPGP_POLICIES to run this test)", dir)
	}
	return dir
}

// Fixtures returns the project's own fixture directory (testdata/ at the
// repository root).
func Fixtures() string { return filepath.Join(RepoRoot(), "testdata") }

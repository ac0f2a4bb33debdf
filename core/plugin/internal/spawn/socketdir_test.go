package spawn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSocketDir: a start removes the socket directories of hosts that no
// longer run, keeps those of live ones, makes its own private directory
// and removes it (and the parent once empty) afterwards.
func TestSocketDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	parent := filepath.Join(tmp, fmt.Sprintf("rpmpgp-%d", os.Geteuid()))
	must(t, os.Mkdir(parent, 0o700))
	stale := filepath.Join(parent, "999999999.1") // above any pid_max
	must(t, os.Mkdir(stale, 0o700))
	must(t, os.WriteFile(filepath.Join(stale, "plugin123"), nil, 0o600))
	live := filepath.Join(parent, fmt.Sprintf("%d.1", os.Getppid()))
	must(t, os.Mkdir(live, 0o700))

	dir := NewSocketDir()
	if filepath.Dir(dir) != parent || !strings.HasPrefix(filepath.Base(dir), fmt.Sprintf("%d.", os.Getpid())) {
		t.Fatalf("NewSocketDir() = %q; want %s/%d.N", dir, parent, os.Getpid())
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("socket directory: %v, %v; want mode 0700", fi, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale directory of a dead host not removed: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("directory of a live host removed: %v", err)
	}
	RemoveSocketDir(dir)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("own directory not removed: %v", err)
	}
	must(t, os.Remove(live))
	RemoveSocketDir(NewSocketDir())
	if _, err := os.Stat(parent); !os.IsNotExist(err) {
		t.Errorf("empty parent not removed: %v", err)
	}
	// A parent that others can write is not used.
	must(t, os.Mkdir(parent, 0o777))
	must(t, os.Chmod(parent, 0o777))
	if dir := NewSocketDir(); dir != "" {
		t.Errorf("NewSocketDir() with a shared parent = %q; want \"\"", dir)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

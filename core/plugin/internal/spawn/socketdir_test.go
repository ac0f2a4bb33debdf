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
	// A parent that others can write, or that is not a directory (any
	// user can make rpmpgp-<uid> in a shared $TMPDIR first), is not used:
	// a private directory of a random name in $TMPDIR is, removed alone.
	must(t, os.Mkdir(parent, 0o777))
	must(t, os.Chmod(parent, 0o777))
	for _, taken := range []string{"shared", "a file"} {
		if taken == "a file" {
			must(t, os.Remove(parent))
			must(t, os.WriteFile(parent, nil, 0o600))
		}
		dir := NewSocketDir()
		prefix := fmt.Sprintf("rpmpgp-%d-", os.Geteuid())
		if filepath.Dir(dir) != tmp || !strings.HasPrefix(filepath.Base(dir), prefix) {
			t.Fatalf("parent %s: NewSocketDir() = %q; want %s/%s*", taken, dir, tmp, prefix)
		}
		if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("parent %s: socket directory %v, %v; want a 0700 directory", taken, fi, err)
		}
		RemoveSocketDir(dir)
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("parent %s: directory not removed: %v", taken, err)
		}
		if _, err := os.Stat(tmp); err != nil {
			t.Errorf("parent %s: $TMPDIR removed with it: %v", taken, err)
		}
	}
	// Neither can be had: go-plugin's default.
	t.Setenv("TMPDIR", filepath.Join(tmp, "missing"))
	if dir := NewSocketDir(); dir != "" {
		t.Errorf("NewSocketDir() without a $TMPDIR = %q; want \"\"", dir)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

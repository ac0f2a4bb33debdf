package plugin

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestBackendHoldsNoBinaryDescriptor: the host executes the checked
// backend binary through an inherited descriptor
// (launch.execThrough); once started, the backend no longer holds it.
func TestBackendHoldsNoBinaryDescriptor(t *testing.T) {
	bin, err := filepath.EvalSymlinks(testBackendPath())
	if err != nil {
		t.Fatal(err)
	}
	c := openTest(t, LoadConfig{})
	if _, err := c.Describe(); err != nil {
		t.Fatal(err)
	}
	pid := c.PID()
	if pid == 0 {
		t.Fatal("no backend process")
	}
	dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if target, _ := os.Readlink(filepath.Join(dir, e.Name())); target == bin {
			t.Errorf("the backend holds its binary %s as descriptor %s", bin, e.Name())
		}
	}
}

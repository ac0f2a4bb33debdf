package plugin

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// TestBackendHoldsNoBinaryDescriptor: the host executes the checked
// backend binary through an inherited descriptor
// (launch.execThrough); once started, the backend no longer holds it, even
// when the host's environment names another descriptor, and it bears its
// binary's name, not the descriptor's number.
func TestBackendHoldsNoBinaryDescriptor(t *testing.T) {
	for _, inherited := range []string{"", "9"} {
		t.Run("inherited="+inherited, func(t *testing.T) {
			if inherited != "" {
				t.Setenv(wire.EnvExecFD, inherited)
			}
			checkNoBinaryDescriptor(t)
		})
	}
}

func checkNoBinaryDescriptor(t *testing.T) {
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
	// The main thread's name is the process's (ps, pgrep); the other
	// threads are renamed too, but one the runtime starts meanwhile may
	// keep the old name, so only the main thread is checked.
	comm, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
	if want := BinaryPrefix + "test"; err != nil || string(comm) != want[:15]+"\n" {
		t.Errorf("backend process named %q (%v), want %q", comm, err, want[:15])
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

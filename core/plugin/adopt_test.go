package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/prestart"
)

// earlyEnv is the environment a launch gives a backend (go-plugin adds its
// variables to the host's), as a host's early start computes it.
func earlyEnv(extra ...string) []string {
	env := append([]string{EnvFDChannel + "=" + strconv.Itoa(childFDChannel)}, os.Environ()...)
	env = append(env, extra...)
	return append(env, prestart.PluginEnv...)
}

// startEarly starts the test backend the way package early does.
func startEarly(t *testing.T, path string, env []string) *prestart.Process {
	t.Helper()
	p := prestart.Start(path, env)
	if p == nil {
		t.Fatalf("prestart.Start(%s) failed", path)
	}
	return p
}

// privateTemp gives the test (and the backends it starts) a temporary
// directory of its own, where their Unix sockets go.
func privateTemp(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// assertDiscarded checks that an early process is gone and that nothing
// (socket files, socket directories) is left in tmp.
func assertDiscarded(t *testing.T, p *prestart.Process, tmp string) {
	t.Helper()
	if !waitGone(p.Proc.Pid, 5*time.Second) {
		t.Errorf("early process %d still runs", p.Proc.Pid)
	}
	assertEmpty(t, tmp)
}

// assertEmpty checks that dir is empty.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", dir, e.Name())
	}
}

// TestAdoptEarlyProcess: Open adopts a process started early when it runs
// the binary Open finds with the environment Open would give it; the
// adopted process answers calls, takes packages over its descriptor
// channel, and leaves no socket or directory behind.
func TestAdoptEarlyProcess(t *testing.T) {
	tmp := privateTemp(t)
	pre := startEarly(t, testBackendPath(), earlyEnv())
	c := openTest(t, LoadConfig{Prestarted: pre})
	if c.PID() != pre.Proc.Pid {
		t.Fatalf("backend pid %d, want the early process %d", c.PID(), pre.Proc.Pid)
	}
	if got := pidOf(t, c); got != pre.Proc.Pid {
		t.Errorf("the backend answering is %d, want %d", got, pre.Proc.Pid)
	}
	pkg := commandPackage(t, t.TempDir(), "p.rpm", "pid")
	v, err := core.NewVerifier(c, core.NewKeyring(c), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyFile(pkg); err != nil {
		t.Fatal(err)
	}
	if n := c.batched.Load(); n != 1 {
		t.Errorf("%d packages through VerifyPackage, want 1 (the adopted descriptor channel)", n)
	}
	assertEmpty(t, tmp) // the socket is removed once connected
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if !waitGone(pre.Proc.Pid, 5*time.Second) {
		t.Errorf("adopted process %d survived Close", pre.Proc.Pid)
	}
}

// TestEarlyProcessNotAdopted: an early process with another environment,
// another binary, a binary whose checksum is pinned, or for a backend that
// is not found, is discarded (killed, its socket directory removed) and Open
// starts (or refuses) the backend as without it.
func TestEarlyProcessNotAdopted(t *testing.T) {
	sum, err := fileSHA256(testBackendPath())
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), BinaryPrefix+"test")
	if err := copyFile(testBackendPath(), other); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		path string
		env  []string
		cfg  LoadConfig
	}{
		{"other environment", testBackendPath(), earlyEnv("RPMPGP_TEST_EXTRA=1"), LoadConfig{}},
		{"other binary", other, earlyEnv(), LoadConfig{}},
		{"pinned checksum", testBackendPath(), earlyEnv(), LoadConfig{Checksums: map[string]string{"test": sum}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := privateTemp(t)
			env := append(tc.env[:len(tc.env):len(tc.env)], "TMPDIR="+tmp)
			pre := startEarly(t, tc.path, env)
			tc.cfg.Prestarted = pre
			c := openTest(t, tc.cfg)
			if c.PID() == pre.Proc.Pid || pidOf(t, c) == pre.Proc.Pid {
				t.Errorf("early process %d adopted", pre.Proc.Pid)
			}
			c.Close()
			assertDiscarded(t, pre, tmp)
		})
	}
	t.Run("backend not found", func(t *testing.T) {
		tmp := privateTemp(t)
		pre := startEarly(t, testBackendPath(), earlyEnv())
		time.Sleep(50 * time.Millisecond) // let it make its socket
		_, err := Open("missing", LoadConfig{Dirs: []string{testBinDir}, Prestarted: pre})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(missing) = %v, want ErrNotFound", err)
		}
		assertDiscarded(t, pre, tmp)
	})
}

// TestEarlyProcessExitedBeforeAdoption: an early process that died before
// the handshake is discarded and the backend started anew.
func TestEarlyProcessExitedBeforeAdoption(t *testing.T) {
	tmp := privateTemp(t)
	pre := startEarly(t, testBackendPath(), earlyEnv())
	if err := pre.Proc.Kill(); err != nil {
		t.Fatal(err)
	}
	c := openTest(t, LoadConfig{Prestarted: pre})
	if pid := pidOf(t, c); pid == pre.Proc.Pid {
		t.Errorf("killed early process %d adopted", pid)
	}
	c.Close()
	assertDiscarded(t, pre, tmp)
}

// fileSHA256 is the hex SHA-256 of a file.
func fileSHA256(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// copyFile copies an executable.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

func TestSameEnv(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		want bool
	}{
		{[]string{"A=1", "B=2"}, []string{"B=2", "A=1"}, true},
		{[]string{"A=1", "A=9"}, []string{"A=1"}, true}, // the first entry counts
		{[]string{"A=1"}, []string{"A=9", "A=1"}, false},
		{[]string{"A=1", prestart.EnvSocketDir + "=/x"}, []string{"A=1", prestart.EnvSocketDir + "=/y"}, true},
		{[]string{"A=1"}, []string{"A=1", "B="}, false},
		{[]string{"A="}, []string{"A"}, true}, // no "=": an empty value
		{nil, nil, true},
	} {
		if got := sameEnv(tc.a, tc.b); got != tc.want {
			t.Errorf("sameEnv(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

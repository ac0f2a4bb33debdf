package launch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// testBinDir holds rpmpgp-backend-test, built once by TestMain.
var testBinDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rpmpgp-launch-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testBinDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, spawn.BinaryPrefix+"test"), "../testbackend/cmd/rpmpgp-backend-test")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// adoptCase starts the test backend early in a fresh $TMPDIR and returns
// a Launcher for it with a debug log, the early process's pid and the log.
func adoptCase(t *testing.T) (*Launcher, int, *bytes.Buffer) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	t.Cleanup(spawn.DiscardEarly)
	if err := spawn.StartEarly("test", "", []string{testBinDir}, ""); err != nil {
		t.Fatal(err)
	}
	pid := spawn.EarlyPID()
	if pid == 0 {
		t.Fatal("no process started early")
	}
	var log bytes.Buffer
	l := &Launcher{Name: "test", Path: filepath.Join(testBinDir, spawn.BinaryPrefix+"test"), StartTimeout: 20 * time.Second,
		Logger: hclog.New(&hclog.LoggerOptions{Level: hclog.Debug, Output: &log})}
	return l, pid, &log
}

// launched starts l, checks that the backend answers and stops it.
func launched(t *testing.T, l *Launcher) int {
	t.Helper()
	p, err := l.Launch()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := p.RPC().Describe(ctx, &pb.DescribeRequest{}); err != nil {
		t.Fatalf("Describe: %v", err)
	}
	if p.FDs() == nil {
		t.Error("no descriptor channel")
	}
	return p.PID()
}

// gone reports whether pid has exited and been reaped.
func gone(pid int) bool {
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}

// leftovers lists what is left in $TMPDIR.
func leftovers(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(os.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// openFDs counts this process's descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestAdoptEarly: Launch uses the process started early for its binary:
// the same pid answers, through the descriptor channel; stopping it leaves
// no process, file or descriptor behind.
func TestAdoptEarly(t *testing.T) {
	before := openFDs(t)
	l, pid, log := adoptCase(t)
	if got := launched(t, l); got != pid {
		t.Errorf("Launch started pid %d; the process started early is %d\n%s", got, pid, log)
	}
	if !strings.Contains(log.String(), "backend started early: backend=test") {
		t.Errorf("log:\n%s", log)
	}
	if !gone(pid) {
		t.Errorf("process %d still runs after Stop", pid)
	}
	if left := leftovers(t); len(left) > 0 {
		t.Errorf("left in $TMPDIR: %q", left)
	}
	if after := openFDs(t); after != before {
		t.Errorf("%d descriptors after Stop, %d before the early start", after, before)
	}
}

// TestAdoptEarlyFallbacks: a process started early that is not the one
// Launch would start, that died, or whose handshake environment go-plugin
// would not have given, is ended and Launch starts its own; nothing is
// left behind.
func TestAdoptEarlyFallbacks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prep   func(t *testing.T, l *Launcher, pid int)
		reason string
	}{
		{"pinned", func(t *testing.T, l *Launcher, _ int) {
			data, err := os.ReadFile(l.Path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			l.Want = sum[:]
		}, "a checksum is pinned"},
		{"other binary", func(t *testing.T, l *Launcher, _ int) {
			data, err := os.ReadFile(l.Path)
			if err != nil {
				t.Fatal(err)
			}
			other := filepath.Join(t.TempDir(), spawn.BinaryPrefix+"test")
			if err := os.WriteFile(other, data, 0o755); err != nil {
				t.Fatal(err)
			}
			l.Path = other
		}, "the configuration chose"},
		{"died", func(t *testing.T, _ *Launcher, pid int) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			// go-plugin sees the exit or the end of stdout first.
		}, "plugin exited before we could connect|Failed to read any lines from plugin's stdout"},
		{"handshake", func(t *testing.T, _ *Launcher, _ int) {
			old := handshakeCheck
			handshakeCheck = func([]string) error { return errors.New("test: refused") }
			t.Cleanup(func() { handshakeCheck = old })
		}, "test: refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, pid, log := adoptCase(t)
			tc.prep(t, l, pid)
			if got := launched(t, l); got == pid {
				t.Errorf("Launch used the process started early\n%s", log)
			}
			said := false
			for _, r := range strings.Split(tc.reason, "|") {
				said = said || strings.Contains(log.String(), r)
			}
			if !said {
				t.Errorf("log does not say %q:\n%s", tc.reason, log)
			}
			if !gone(pid) {
				t.Errorf("process %d started early still runs", pid)
			}
			if left := leftovers(t); len(left) > 0 {
				t.Errorf("left in $TMPDIR: %q", left)
			}
		})
	}
}

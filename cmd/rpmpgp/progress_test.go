package main

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// runOnPTY runs rpmpgp with stderr (and stdout when both) on a new
// pseudo-terminal and returns what the terminal got and stdout's bytes
// when it is a pipe.
func runOnPTY(t *testing.T, both bool, args ...string) (term, stdout string) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	cmd := rpmpgpCmd(t, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, tty
	if both {
		cmd.Stdout = tty
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(master) // EIO once the child has closed the tty
		got <- b
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return string(<-got), out.String()
}

// TestProgress: --progress always draws the bar on a terminal stderr and
// clears it before every line and at the end; into a pipe nothing is
// drawn (stderr is empty, stdout has the lines only).
func TestProgress(t *testing.T) {
	t.Parallel()
	fx := testutil.Fixtures()
	args := []string{"checksig", "--progress", "always", "-j", "1", "--no-system-keys"}
	var pkgs []string
	var want strings.Builder
	for _, n := range []string{"rsa2048", "ed25519", "rsa4096"} {
		p := filepath.Join(fx, "rpms", "rpmsign-"+n+".rpm")
		pkgs = append(pkgs, p)
		want.WriteString(p + ": digests signatures OK\n")
		args = append(args, "--keyring", filepath.Join(fx, "keys", n+".asc"))
	}
	args = append(args, pkgs...)

	t.Run("stderr-tty", func(t *testing.T) {
		t.Parallel()
		term, stdout := runOnPTY(t, false, args...)
		if stdout != want.String() {
			t.Errorf("stdout %q, want %q", stdout, want.String())
		}
		// At least the first package's bar (later ones are drawn at
		// most every 100 ms).
		if !strings.Contains(term, "\rchecksig  33% |") || !strings.Contains(term, "(1/3") {
			t.Errorf("no bar on the terminal: %q", term)
		}
		// Done clears it: the terminal ends on "\r<spaces>\r".
		if i := strings.LastIndex(strings.TrimSuffix(term, "\r"), "\r"); i < 0 || strings.Trim(term[i:], "\r ") != "" {
			t.Errorf("the bar is not cleared at the end: %q", term)
		}
	})
	t.Run("both-tty", func(t *testing.T) {
		t.Parallel()
		term, _ := runOnPTY(t, true, args...)
		lines := strings.Split(strings.TrimSuffix(want.String(), "\n"), "\n")
		// The first line comes before any bar; each later one right
		// after the bar was cleared ("\r"), whole (the terminal's
		// "\r\n" for "\n").
		if !strings.HasPrefix(term, lines[0]+"\r\n") {
			t.Errorf("terminal does not start with the first line: %q", term)
		}
		for _, l := range lines[1:] {
			if !strings.Contains(term, "\r"+l+"\r\n") {
				t.Errorf("line %q not written whole after the bar was cleared: %q", l, term)
			}
		}
		if !strings.Contains(term, "checksig") {
			t.Errorf("no bar: %q", term)
		}
	})
	t.Run("pipe", func(t *testing.T) {
		t.Parallel()
		for _, mode := range []string{"always", "auto"} {
			a := append([]string{}, args...)
			a[2] = mode
			cmd := rpmpgpCmd(t, a...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatal(err)
			}
			if stdout.String() != want.String() || stderr.String() != "" {
				t.Errorf("--progress %s into pipes: stdout %q stderr %q", mode, stdout.String(), stderr.String())
			}
		}
	})
	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		_, stderr, code := exitCode(t, rpmpgpCmd(t, "checksig", "--progress", "yes", pkgs[0]))
		if code != exitUsage || !strings.Contains(stderr, `--progress "yes": expected auto, always or never`) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

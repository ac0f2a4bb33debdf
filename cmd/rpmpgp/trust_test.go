package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// copyBackend copies the gocrypto backend of binDir into dir with mode.
func copyBackend(t *testing.T, dir string, mode os.FileMode) string {
	t.Helper()
	return copyBackendNamed(t, dir, "gocrypto", mode)
}

// copyBackendNamed copies the backend name of binDir into dir with mode.
func copyBackendNamed(t *testing.T, dir, name string, mode os.FileMode) string {
	t.Helper()
	src, err := os.Open(filepath.Join(binDir, "rpmpgp-backend-"+name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := filepath.Join(dir, "rpmpgp-backend-"+name)
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o700)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, src); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dst, mode); err != nil {
		t.Fatal(err)
	}
	return dst
}

// runExit runs cmd and returns its exit status and output.
func runExit(t *testing.T, cmd *exec.Cmd) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	rc := 0
	if errors.As(err, &ee) {
		rc = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return rc, stdout.String(), stderr.String()
}

// TestUntrustedBackendRefused: a backend binary that someone else could
// have replaced — in a world-writable directory, itself world-writable,
// owned by another user — or a relative plugin directory makes rpmpgp
// refuse to run (255) naming the binary and why; nothing is verified.
func TestUntrustedBackendRefused(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	open := filepath.Join(t.TempDir(), "open")
	must(t, os.Mkdir(open, 0o755))
	openBin := copyBackend(t, open, 0o755)
	must(t, os.Chmod(open, 0o777))
	t.Cleanup(func() { os.Chmod(open, 0o755) })
	private := t.TempDir()
	writable := copyBackend(t, private, 0o777)
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"world-writable directory", []string{"RPMPGP_PLUGIN_DIR=" + open}, nil,
			`error: backend "gocrypto": untrusted backend binary ` + openBin + ": directory " + open + " is writable by group or others (mode 0777)\n"},
		{"world-writable binary", []string{"RPMPGP_PLUGIN_DIR="}, []string{"--plugin-dir", private},
			`error: backend "gocrypto": untrusted backend binary ` + writable + ": binary is writable by group or others (mode 0777)\n"},
		{"relative plugin dir by env", []string{"RPMPGP_PLUGIN_DIR=bin"}, nil,
			`error: backend "gocrypto": untrusted backend binary: plugin directory "bin" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)` + "\n"},
		{"relative plugin dir by flag", []string{"RPMPGP_PLUGIN_DIR="}, []string{"--plugin-dir", "./bin"},
			`error: backend "gocrypto": untrusted backend binary: plugin directory "bin" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)` + "\n"},
	}
	if os.Geteuid() == 0 {
		foreign := t.TempDir()
		bin := copyBackend(t, foreign, 0o755)
		must(t, os.Chown(bin, 65534, 65534))
		cases = append(cases, struct {
			name string
			env  []string
			args []string
			want string
		}{"binary of another user", []string{"RPMPGP_PLUGIN_DIR=" + foreign}, nil,
			`error: backend "gocrypto": untrusted backend binary ` + bin + ": binary is owned by uid 65534, not by root or the invoking user (uid 0)\n"})
	} else if os.Getenv("CI") != "" {
		t.Error("the foreign-owner case needs root under CI")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd := rpmpgpCmd(t, append(append([]string{"checksig"}, tc.args...), unsigned)...)
			cmd.Env = append(cmd.Env, tc.env...)
			rc, stdout, stderr := runExit(t, cmd)
			if rc != exitConfig || stdout != "" || stderr != tc.want {
				t.Errorf("rc %d, stdout %q, stderr %q; want 255, %q", rc, stdout, stderr, tc.want)
			}
		})
	}
}

// TestAnsweringBinaryNamed: checksig's JSON output (its summary record)
// names the binary that answered.
func TestAnsweringBinaryNamed(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	rc, stdout, stderr := runExit(t, rpmpgpCmd(t, "checksig", "--output", "json", unsigned))
	// JSON lines: the summary record names the backend.
	var rep struct {
		Type    string `json:"type"`
		Backend struct {
			Path string `json:"path"`
		} `json:"backend"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	for dec.More() {
		if err := dec.Decode(&rep); err != nil {
			t.Fatalf("rc %d, stderr %q: %v", rc, stderr, err)
		}
		if rep.Type == "summary" {
			break
		}
	}
	if rep.Type != "summary" {
		t.Fatalf("no summary record in %q", stdout)
	}
	if want := filepath.Join(binDir, "rpmpgp-backend-gocrypto"); rep.Backend.Path != want {
		t.Errorf("backend.path %q; want %q", rep.Backend.Path, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestCheckSigLeavesNothing runs checksig to a verdict and to a usage error
// (before any backend is opened): the verdicts and exit statuses are the
// expected ones, and nothing is left in the temporary directory (go-plugin's
// socket files and socket directories).
func TestCheckSigLeavesNothing(t *testing.T) {
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa4096.asc")
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"verdict", []string{"checksig", "--keyring", key, pkg}, 0, pkg + ": digests signatures OK\n"},
		{"usage error", []string{"checksig", "--at", "yesterday", pkg}, exitUsage, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			cmd := rpmpgpCmd(t, tc.args...)
			cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, _ := cmd.Output()
			if code := cmd.ProcessState.ExitCode(); code != tc.code || string(out) != tc.out {
				t.Errorf("exit %d, stdout %q; want %d, %q; stderr:\n%s", code, out, tc.code, tc.out, stderr.String())
			}
			entries, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				t.Errorf("left in the temporary directory: %s", e.Name())
			}
		})
	}
}

// TestHungBackendFails: a backend that never completes its handshake (it
// sleeps, or prints half of its handshake line) makes checksig fail after
// the one start-up deadline (call_timeout) with exit 255 and an error
// saying the handshake deadline expired; the backend and the child it
// started are gone and nothing is left in the temporary directory.
func TestHungBackendFails(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	for name, handshake := range map[string]string{
		"silent":    "",
		"half line": "printf '1|1|unix|'",
	} {
		t.Run(name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			pids := filepath.Join(dir, "pids")
			script := fmt.Sprintf("#!/bin/sh\n%s\nsleep 3600 </dev/null >/dev/null 2>&1 &\necho $$ $! > %s.tmp && mv %s.tmp %s\nwait\n", handshake, pids, pids, pids)
			path := filepath.Join(dir, "rpmpgp-backend-hung")
			must(t, os.WriteFile(path, []byte(script), 0o755))
			config := filepath.Join(dir, "config.toml")
			must(t, os.WriteFile(config, []byte("call_timeout = \"2s\"\n"), 0o644))
			cmd := rpmpgpCmd(t, "checksig", "--config", config, "--backend", "hung", "--plugin-dir", dir, unsigned)
			cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
			rc, stdout, stderr := runExit(t, cmd)
			want := fmt.Sprintf("error: backend \"hung\": starting %s: handshake deadline of 2s expired: the backend did not complete the plugin handshake and was killed (searched %q, %q)\n", path, dir, binDir)
			if rc != exitConfig || stdout != "" || stderr != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want 255, %q", rc, stdout, stderr, want)
			}
			data, err := os.ReadFile(pids)
			if err != nil {
				t.Fatalf("the backend did not record its pids: %v", err)
			}
			var shell, child int
			if n, err := fmt.Sscanf(string(data), "%d %d", &shell, &child); n != 2 || err != nil {
				t.Fatalf("pids file %q", data)
			}
			// rpmpgp has exited; the backend's process group was killed
			// (the processes, reparented, are reaped by init soon after).
			for _, pid := range []int{shell, child} {
				if !testutil.WaitGone(pid, 5*time.Second) {
					t.Errorf("process %d (of the backend) outlived rpmpgp", pid)
				}
			}
			entries, err := os.ReadDir(tmp)
			must(t, err)
			for _, e := range entries {
				t.Errorf("left in the temporary directory: %s", e.Name())
			}
		})
	}
}

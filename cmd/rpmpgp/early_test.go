package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/cmd/rpmpgp/internal/early"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestEarlyStartLeavesNothing runs checksig with the early backend start,
// adopted (a verdict) and not taken (an error before the backend is
// opened), with and without it: the verdicts and exit statuses are the
// same, and nothing is left in the temporary directory (socket files,
// socket directories).
func TestEarlyStartLeavesNothing(t *testing.T) {
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa4096.asc")
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		out     string
		adopted bool
	}{
		{"adopted", []string{"checksig", "--keyring", key, pkg}, 0, pkg + ": digests signatures OK\n", true},
		{"not taken", []string{"checksig", "--at", "yesterday", pkg}, exitUsage, "", false},
	} {
		for _, mode := range []string{"", "0"} {
			t.Run(tc.name+"/"+early.EnvDisable+"="+mode, func(t *testing.T) {
				tmp := t.TempDir()
				cmd := rpmpgpCmd(t, tc.args...)
				cmd.Env = append(cmd.Env, "TMPDIR="+tmp, early.EnvDisable+"="+mode, envLogLevel+"=debug")
				var stderr strings.Builder
				cmd.Stderr = &stderr
				out, _ := cmd.Output()
				if code := cmd.ProcessState.ExitCode(); code != tc.code || string(out) != tc.out {
					t.Errorf("exit %d, stdout %q; want %d, %q", code, out, tc.code, tc.out)
				}
				// The CLI's own settings flow must give the environment
				// package early predicted, or the start is wasted.
				if adopted := strings.Contains(stderr.String(), "backend adopted"); adopted != (tc.adopted && mode == "") {
					t.Errorf("adopted %v; env %q; stderr:\n%s", adopted, cmd.Env[len(cmd.Env)-8:], stderr.String())
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
}

// TestConfigPaths: package early reads the config files loadSettings reads.
func TestConfigPaths(t *testing.T) {
	if systemConfig != early.SystemConfig {
		t.Errorf("system config %q, early reads %q", systemConfig, early.SystemConfig)
	}
	for _, xdg := range []string{"", "/xdg"} {
		t.Setenv("XDG_CONFIG_HOME", xdg)
		t.Setenv("HOME", "/home/u")
		if got, want := early.UserConfig(os.LookupEnv), userConfig(); got != want {
			t.Errorf("XDG_CONFIG_HOME=%q: early reads %q, loadSettings %q", xdg, got, want)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

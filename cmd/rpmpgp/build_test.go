package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// binDir holds rpmpgp and the backend binaries built once for the CLI tests,
// so that the tests run them out of process exactly as users do.
var binDir string

// testVersion is linked into every binary the CLI tests build, as the
// Makefile links the build's version into all of them.
const testVersion = "v0.0.0-clitest"

// hasOpenSSL reports whether the openssl backend binary could be built.
var hasOpenSSL bool

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rpmpgp-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	root := testutil.RepoRoot()
	build := func(cgo string, pkgs ...string) error {
		args := append([]string{"build", "-ldflags=-X github.com/rpmpgp/rpmpgp/internal/version.Version=" + testVersion, "-o", dir + "/"}, pkgs...)
		cmd := exec.Command("go", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("go build %v: %v\n%s", pkgs, err, out)
		}
		return nil
	}
	if err := build("0", "./cmd/rpmpgp", "./backends/gocrypto/cmd/rpmpgp-backend-gocrypto", "./backends/internal-legacy/cmd/rpmpgp-backend-internal-legacy"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := build("1", "./backends/openssl/cmd/rpmpgp-backend-openssl"); err == nil {
		hasOpenSSL = true
	} else {
		fmt.Fprintf(os.Stderr, "openssl backend not built (its tests skip): %v\n", err)
	}
	return m.Run()
}

// rpmpgpCmd returns a command running the built rpmpgp with a clean config.
// Its backends are found beside it in binDir, as installed ones are: no
// $RPMPGP_PLUGIN_DIR, which rpmpgp would name on stderr.
func rpmpgpCmd(t testing.TB, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(binDir, "rpmpgp"), args...)
	cmd.Env = append(os.Environ(),
		"RPMPGP_PLUGIN_DIR=",
		"RPMPGP_BACKEND=",
		"XDG_CONFIG_HOME="+t.TempDir(),
		"XDG_CACHE_HOME="+t.TempDir(),
		"RPM_SEQUOIA_CRYPTO_POLICY=",
		// Hermetic: the host's rpm keystore never changes a verdict.
		"RPMPGP_ROOT="+t.TempDir(),
	)
	return cmd
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// conformanceOutside runs rpmpgp conformance in a directory outside the
// source checkout, as a user comparing their own packages would.
func conformanceOutside(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := rpmpgpCmd(t, append([]string{"conformance"}, args...)...)
	cmd.Dir = t.TempDir()
	// Nothing of the developer's environment picks a source.
	cmd.Env = append(cmd.Env, "HOME="+cmd.Dir, "RPMPGP_CORPUS=")
	cmd.Env = append(cmd.Env, env...)
	return runExit(t, cmd)
}

// TestConformanceUserPackages: --packages DIR --keyring DIR from outside
// the checkout runs just the packages: no corpus warning (even with
// $RPMPGP_CORPUS pointing nowhere), no fixtures; the keyring directory
// holds an armored multi-certificate file and a binary certificate.
func TestConformanceUserPackages(t *testing.T) {
	demo := filepath.Join(testutil.Fixtures(), "demo")
	keys := t.TempDir()
	var both []byte
	for _, k := range []string{"ed25519.asc", "rsa2048.asc"} {
		b, err := os.ReadFile(filepath.Join(demo, "keys", k))
		must(t, err)
		both = append(both, b...)
	}
	must(t, os.WriteFile(filepath.Join(keys, "both.asc"), both, 0o644))
	rc, stdout, stderr := conformanceOutside(t, []string{"RPMPGP_CORPUS=/nonexistent"},
		"--plugin-dir", binDir, "--backends", "gocrypto,internal-legacy", "--external", "", "--packages", demo, "--keyring", keys)
	wantOut := "rpmpgp conformance (rpmpgp-conformance/v1)\n" +
		"  gocrypto         backend  strict  available\n" +
		"  internal-legacy  backend  legacy  available\n" +
		"  source dir                 4 cases  " + demo + "\n\n" +
		"CASE  gocrypto  internal-legacy\n\n" +
		"4 cases (0 not applicable): 8 agreements, 0 expected divergences, 0 failures (0 unexplained, 0 stale entries), 0 errors, 0 without expectation\n" +
		"PASS\n"
	if rc != 0 || stdout != wantOut || stderr != "" {
		t.Errorf("rc %d, stderr %q, stdout:\n%s\nwant:\n%s", rc, stderr, stdout, wantOut)
	}
}

// TestConformanceRefusals: what cannot give a meaningful run is an error
// naming the cause, never a PASS over nothing.
func TestConformanceRefusals(t *testing.T) {
	demo := filepath.Join(testutil.Fixtures(), "demo")
	empty := t.TempDir()
	hint := "rpmpgp: hint: see 'rpmpgp conformance --help'\n"
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		rc   int
		want string
	}{
		{"empty keyring directory", nil, []string{"--packages", demo, "--keyring", empty}, exitConfig,
			"error: conformance: --packages " + demo + ": keyring " + empty + ": no OpenPGP certificate found\n"},
		{"missing keyring", nil, []string{"--packages", demo, "--keyring", "/nonexistent/keys"}, exitConfig,
			"error: conformance: --packages " + demo + ": keyring: stat /nonexistent/keys: no such file or directory\n"},
		{"no keyring", nil, []string{"--packages", demo}, exitUsage,
			"error: --packages " + demo + " needs --keyring FILE|DIR (the certificates the packages are signed with)\n" + hint},
		{"keyring without packages", nil, []string{"--keyring", empty}, exitUsage,
			"error: --keyring is the keyring of --packages DIR: give both\n" + hint},
		{"nothing to run", nil, nil, exitUsage,
			"error: nothing to run: give --packages DIR --keyring FILE|DIR, --fixtures FILE or --corpus DIR (the defaults exist only inside an rpmpgp source checkout)\n" + hint},
		{"missing fixtures", nil, []string{"--fixtures", "/nonexistent/fixtures.tsv"}, exitConfig,
			"error: fixtures file /nonexistent/fixtures.tsv not found\n"},
		// The same refusal, with the same message, as checksig's.
		{"relative plugin dir", nil, []string{"--plugin-dir", "bin", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, exitConfig,
			"error: backend \"gocrypto\": untrusted backend binary: plugin directory \"bin\" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)\n"},
		{"named backend missing", nil, []string{"--plugin-dir", binDir, "--backends", "gocrypto,nonesuch", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, exitConfig,
			"error: conformance: backend column nonesuch: "},
		{"named external missing", []string{"PATH=/nonexistent"}, []string{"--plugin-dir", binDir, "--backends", "gocrypto", "--external", "sqv", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}, exitConfig,
			"error: conformance: external verifier sqv: sqv not found on PATH\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, stdout, stderr := conformanceOutside(t, tc.env, tc.args...)
			ok := stderr == tc.want || strings.HasSuffix(tc.want, ": ") && strings.HasPrefix(stderr, tc.want)
			if rc != tc.rc || stdout != "" || !ok {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q", rc, stdout, stderr, tc.rc, tc.want)
			}
		})
	}
	// The columns run exactly the binaries checksig would run: the pins
	// and pins = "required" of the configuration hold here too.
	for _, tc := range []struct{ name, conf, want string }{
		{"pin mismatch", "[plugins.checksums]\ngocrypto = \"" + strings.Repeat("0", 64) + "\"\n",
			"error: backend \"gocrypto\": checksum mismatch for " + filepath.Join(binDir, "rpmpgp-backend-gocrypto") + ": expected " + strings.Repeat("0", 64) + ", got "},
		{"pins required", "pins = \"required\"\n", "error: backend \"gocrypto\": "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "config.toml")
			must(t, os.WriteFile(conf, []byte(tc.conf), 0o644))
			rc, stdout, stderr := conformanceOutside(t, nil, "--config", conf, "--plugin-dir", binDir, "--backends", "gocrypto", "--external", "",
				"--packages", demo, "--keyring", filepath.Join(demo, "keys"))
			if rc != exitConfig || stdout != "" || !strings.HasPrefix(stderr, tc.want) {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, prefix %q", rc, stdout, stderr, exitConfig, tc.want)
			}
		})
	}
	t.Run("checksig says the same", func(t *testing.T) {
		cmd := rpmpgpCmd(t, "checksig", "--plugin-dir", "bin", filepath.Join(demo, "good-rsa.rpm"))
		rc, _, stderr := runExit(t, cmd)
		if want := "error: backend \"gocrypto\": untrusted backend binary: plugin directory \"bin\" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)\n"; rc != exitConfig || stderr != want {
			t.Errorf("checksig: rc %d, stderr %q", rc, stderr)
		}
	})
}

// TestConformanceUnavailableColumn: a default backend column that cannot
// be opened (openssl-fips without a FIPS provider) is named on stderr and
// in the result line, never a silent PASS; under CI it is an error.
func TestConformanceUnavailableColumn(t *testing.T) {
	if !hasOpenSSL {
		testutil.Missing(t, "the openssl backend was not built")
	}
	demo := filepath.Join(testutil.Fixtures(), "demo")
	conf := filepath.Join(t.TempDir(), "openssl.cnf")
	must(t, os.WriteFile(conf, []byte("# no FIPS provider\n"), 0o644))
	env := []string{"OPENSSL_CONF=" + conf, "OPENSSL_MODULES=/nonexistent", "CI="}
	args := []string{"--plugin-dir", binDir, "--external", "", "--packages", demo, "--keyring", filepath.Join(demo, "keys")}
	rc, stdout, stderr := conformanceOutside(t, env, args...)
	if rc != 0 || !strings.HasPrefix(stderr, "warning: backend column openssl-fips unavailable, not compared: ") ||
		!strings.Contains(stdout, "\n  openssl-fips     backend          UNAVAILABLE: ") ||
		!strings.HasSuffix(stdout, "\nPASS (incomplete: openssl-fips not run, see UNAVAILABLE above)\n") {
		t.Errorf("rc %d, stderr %q, stdout:\n%s", rc, stderr, stdout)
	}
	rc, stdout, stderr = conformanceOutside(t, append(env, "CI=1"), args...)
	if rc != exitConfig || stdout != "" || !strings.HasPrefix(stderr, "error: conformance: backend column openssl-fips: ") {
		t.Errorf("CI: rc %d, stdout %q, stderr %q", rc, stdout, stderr)
	}
}

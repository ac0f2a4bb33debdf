package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	conf "github.com/rpmpgp/rpmpgp/internal/settings"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// cliRun runs rpmpgp in process with sys as the system config ("" : none)
// and user as the user's config ("": none), the backends of binDir and a
// hermetic environment; env entries are set on top.
func cliRun(t *testing.T, sys, user string, env map[string]string, args ...string) (rc int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	return cliRunHome(t, sys, user, filepath.Join(dir, "home"), env, args...)
}

// cliRunHome is cliRun with home as $XDG_CONFIG_HOME.
func cliRunHome(t *testing.T, sys, user, home string, env map[string]string, args ...string) (rc int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	old := conf.SystemConfig
	t.Cleanup(func() { conf.SystemConfig = old })
	conf.SystemConfig = filepath.Join(dir, "etc", "config.toml")
	if sys != "" {
		writeFile(t, conf.SystemConfig, sys)
	}
	if user != "" {
		writeFile(t, filepath.Join(home, "rpmpgp", "config.toml"), user)
	}
	for k, v := range map[string]string{
		"XDG_CONFIG_HOME":           home,
		"XDG_CACHE_HOME":            filepath.Join(dir, "cache"),
		"RPMPGP_PLUGIN_DIR":         "",
		"RPMPGP_BACKEND":            "",
		"RPMPGP_FIPS":               "",
		"RPM_SEQUOIA_CRYPTO_POLICY": "",
		"RPMPGP_ROOT":               filepath.Join(dir, "sysroot"),
	} {
		t.Setenv(k, v)
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	// The backends are in binDir, not beside the test binary: unless the
	// test chooses the plugin directory itself, --plugin-dir says so (the
	// command line, which is not noted on stderr as $RPMPGP_PLUGIN_DIR is).
	if _, ok := env["RPMPGP_PLUGIN_DIR"]; !ok && !slices.Contains(args, "--plugin-dir") && len(args) > 0 {
		args = append([]string{args[0], "--plugin-dir", binDir}, args[1:]...)
	}
	var out, errb bytes.Buffer
	rc = run(args, &out, &errb)
	return rc, out.String(), errb.String()
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// binarySum is the hex SHA-256 of a backend binary in binDir.
func binarySum(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(binDir, "rpmpgp-backend-"+name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// TestStrictConfig: an unknown key or section, a mistyped pin section or
// backend name, a value of the wrong type: each is an error (255) naming
// the key and the one probably meant; the user's config and the system
// config are held to the same rules.
func TestStrictConfig(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	zeros := "0000000000000000000000000000000000000000000000000000000000000000"
	for _, tc := range []struct{ name, config, want string }{
		{"pin section singular", "[plugins.checksum]\ngocrypto = \"" + zeros + "\"\n", `unknown section "plugins.checksum" (did you mean "plugins.checksums"?)`},
		{"plugin table singular", "[plugin.checksums]\ngocrypto = \"" + zeros + "\"\n", `unknown section "plugin.checksums" (did you mean "plugins.checksums"?)`},
		{"pinned backend misspelled", "[plugins.checksums]\ngocrpyto = \"" + zeros + "\"\n", `unknown backend "gocrpyto" in [plugins.checksums] (did you mean "gocrypto"?)`},
		{"pinned backend misspelled 2", "[plugins.checksums]\nopenssl3 = \"" + zeros + "\"\n", `unknown backend "openssl3" in [plugins.checksums] (did you mean "openssl"?)`},
		{"backnd", "backnd = \"openssl\"\n", `unknown key "backnd" (did you mean "backend"?)`},
		{"call_timout", "call_timout = \"5s\"\n", `unknown key "call_timout" (did you mean "call_timeout"?)`},
		{"fisp", "fisp = \"off\"\n", `unknown key "fisp" (did you mean "fips"?)`},
		{"nothing close", "colour = \"blue\"\n", "unknown key \"colour\"\n"},
		{"unknown section", "[keyring]\npath = \"/x\"\n", "unknown section \"keyring\"\n"},
		{"wrong type", "fips = 1\n", `fips: expected a string, got an integer`},
		{"checksums not a table", "[plugins]\nchecksums = 3\n", `plugins.checksums: expected a table (section), got an integer`},
		{"short pin", "[plugins.checksums]\ngocrypto = \"abcd\"\n", `plugins.checksums.gocrypto = "abcd": expected a hex SHA-256 (64 hex digits)`},
		{"pins value", "pins = \"yes\"\n", `pins = "yes": expected "required" or "optional"`},
		{"not toml", "backend = \n", `toml: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, where := range []string{"system", "user"} {
				sys, user, path := tc.config, "", "etc/config.toml"
				if where == "user" {
					sys, user, path = "", tc.config, "home/rpmpgp/config.toml"
				}
				rc, stdout, stderr := cliRun(t, sys, user, nil, "checksig", unsigned)
				prefix := "error: config "
				if tc.name == "not toml" {
					prefix = "error: reading config "
				}
				if rc != exitConfig || stdout != "" || !bytes.HasPrefix([]byte(stderr), []byte(prefix)) ||
					!bytes.Contains([]byte(stderr), []byte(path+": "+tc.want)) {
					t.Errorf("%s config: rc %d, stdout %q, stderr %q; want 255 and %q", where, rc, stdout, stderr, path+": "+tc.want)
				}
			}
		})
	}
	// Every key of a valid config: accepted, the verdict unchanged.
	valid := "backend = \"gocrypto\"\nfips = \"auto\"\ncall_timeout = \"30s\"\npins = \"optional\"\nsystem_keys = true\n" +
		"[plugins.checksums]\ngocrypto = \"" + binarySum(t, "gocrypto") + "\"\ncustom-backend = \"" + zeros + "\"\n"
	rc, stdout, stderr := cliRun(t, valid, "", nil, "checksig", unsigned)
	if want := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != want || stderr != "" {
		t.Errorf("valid config: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
}

// TestPinsRequired: pins = "required" refuses a backend without a pin,
// however it was chosen, and runs a pinned one.
func TestPinsRequired(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	sys := "pins = \"required\"\n[plugins.checksums]\ngocrypto = \"" + binarySum(t, "gocrypto") + "\"\n"
	rc, stdout, stderr := cliRun(t, sys, "", nil, "checksig", unsigned)
	if want := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != want || stderr != "" {
		t.Errorf("pinned backend: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
	want := "error: backend \"internal-legacy\": backend not pinned: no checksum pinned for it and pins are required\n"
	for name, run := range map[string]func() (int, string, string){
		"env": func() (int, string, string) {
			return cliRun(t, sys, "", map[string]string{"RPMPGP_BACKEND": "internal-legacy"}, "checksig", unsigned)
		},
		"flag": func() (int, string, string) {
			return cliRun(t, sys, "", nil, "checksig", "--backend", "internal-legacy", unsigned)
		},
		"user": func() (int, string, string) {
			return cliRun(t, sys, "backend = \"internal-legacy\"\n", nil, "checksig", unsigned)
		},
	} {
		rc, stdout, stderr := run()
		if rc != exitConfig || stdout != "" || stderr != want {
			t.Errorf("unpinned backend by %s: rc %d, stdout %q, stderr %q; want 255, %q", name, rc, stdout, stderr, want)
		}
	}
}

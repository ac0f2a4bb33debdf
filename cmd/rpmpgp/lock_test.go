package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	conf "github.com/rpmpgp/rpmpgp/internal/settings"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestLockedSettings: a key the system config locks cannot be changed by a
// user config, an explicit --config, the environment or a flag (255, naming
// the key and the system file); the same value is accepted.
func TestLockedSettings(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	sys := "backend = \"gocrypto\"\nfips = \"require\"\nlock = [\"backend\", \"fips\", \"policy\", \"plugin_dir\"]\n"
	for _, tc := range []struct {
		name string
		user string
		env  map[string]string
		args []string
		want string // the refusal after "error: <key> is locked by the system config <file> (<key> = <value>); "
		key  string
	}{
		{name: "backend by env", env: map[string]string{"RPMPGP_BACKEND": "internal-legacy"}, key: "backend", want: `$RPMPGP_BACKEND sets it to "internal-legacy"`},
		{name: "backend by flag", args: []string{"--backend", "internal-legacy"}, key: "backend", want: `--backend sets it to "internal-legacy"`},
		{name: "backend by user config", user: "backend = \"internal-legacy\"\n", key: "backend", want: `config %HOME%/rpmpgp/config.toml sets it to "internal-legacy"`},
		{name: "backend by --config", args: []string{"--config", "%HOME%/explicit.toml"}, key: "backend", want: `config %HOME%/explicit.toml sets it to "openssl"`},
		{name: "fips by env", env: map[string]string{"RPMPGP_FIPS": "off"}, key: "fips", want: `$RPMPGP_FIPS sets it to "off"`},
		{name: "fips by flag", args: []string{"--fips", "auto"}, key: "fips", want: `--fips sets it to "auto"`},
		{name: "fips by user config", user: "fips = \"off\"\n", key: "fips", want: `config %HOME%/rpmpgp/config.toml sets it to "off"`},
		{name: "policy by env", env: map[string]string{"RPM_SEQUOIA_CRYPTO_POLICY": "/tmp/weak.toml"}, key: "policy", want: `$RPM_SEQUOIA_CRYPTO_POLICY sets it to "/tmp/weak.toml"`},
		{name: "policy by flag", args: []string{"--policy", "/tmp/weak.toml"}, key: "policy", want: `--policy sets it to "/tmp/weak.toml"`},
		{name: "plugin_dir by env", env: map[string]string{"RPMPGP_PLUGIN_DIR": "/tmp/evil"}, key: "plugin_dir", want: `$RPMPGP_PLUGIN_DIR sets it to "/tmp/evil"`},
		{name: "plugin_dir by flag", args: []string{"--plugin-dir", "/tmp/evil"}, key: "plugin_dir", want: `--plugin-dir sets it to "/tmp/evil"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			writeFile(t, filepath.Join(home, "explicit.toml"), "backend = \"openssl\"\n")
			args := []string{"checksig"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "%HOME%", home))
			}
			args = append(args, unsigned)
			env := map[string]string{"RPMPGP_PLUGIN_DIR": ""}
			for k, v := range tc.env {
				env[k] = v
			}
			rc, stdout, stderr := cliRunHome(t, sys, tc.user, home, env, args...)
			values := map[string]string{"backend": `"gocrypto"`, "fips": `"require"`, "policy": `""`, "plugin_dir": `""`}
			want := fmt.Sprintf("error: %s is locked by the system config %s (%s = %s); %s\n",
				tc.key, conf.SystemConfig, tc.key, values[tc.key], strings.ReplaceAll(tc.want, "%HOME%", home))
			if rc != exitConfig || stdout != "" || stderr != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want 255, %q", rc, stdout, stderr, want)
			}
		})
	}
	// The locked values themselves, from any source, are accepted.
	same := "backend = \"gocrypto\"\nlock = [\"backend\", \"fips\"]\n"
	rc, stdout, stderr := cliRun(t, same, "backend = \"gocrypto\"\n", map[string]string{"RPMPGP_BACKEND": "gocrypto", "RPMPGP_FIPS": "auto"}, "checksig", "--backend", "gocrypto", unsigned)
	if want := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != want || stderr != "" {
		t.Errorf("same values: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
	// A lock names known keys only.
	rc, _, stderr = cliRun(t, "lock = [\"backnd\"]\n", "", nil, "checksig", unsigned)
	if want := fmt.Sprintf("error: config %s: lock: unknown key \"backnd\" (did you mean \"backend\"?)\n", conf.SystemConfig); rc != exitConfig || stderr != want {
		t.Errorf("lock of an unknown key: rc %d, stderr %q; want 255, %q", rc, stderr, want)
	}
}

// TestBackendChoiceNoted: a backend chosen by the environment or the user's
// config is named on stderr with its binary; one chosen on the command line
// or by the system config is not. Verdicts are unchanged.
func TestBackendChoiceNoted(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	legacy := filepath.Join(binDir, "rpmpgp-backend-internal-legacy")
	verdict := unsigned + ": digests OK\n" // internal-legacy: no signature is no failure
	for _, tc := range []struct {
		name, sys, user string
		env             map[string]string
		args            []string
		stderr          string
	}{
		{name: "env", env: map[string]string{"RPMPGP_BACKEND": "internal-legacy"},
			stderr: `rpmpgp: backend "internal-legacy" chosen by $RPMPGP_BACKEND: ` + legacy + "\n"},
		{name: "user config", user: "backend = \"internal-legacy\"\n",
			stderr: `rpmpgp: backend "internal-legacy" chosen by config %HOME%/rpmpgp/config.toml: ` + legacy + "\n"},
		{name: "flag", env: map[string]string{"RPMPGP_BACKEND": "openssl"}, args: []string{"--backend", "internal-legacy"}},
		{name: "system config", sys: "backend = \"internal-legacy\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			args := append(append([]string{"checksig"}, tc.args...), unsigned)
			rc, stdout, stderr := cliRunHome(t, tc.sys, tc.user, home, tc.env, args...)
			want := strings.ReplaceAll(tc.stderr, "%HOME%", home)
			if rc != 0 || stdout != verdict || stderr != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want 0, %q, %q", rc, stdout, stderr, verdict, want)
			}
		})
	}
}

// TestBinaryChoiceNoted: a plugin directory chosen by $RPMPGP_PLUGIN_DIR or
// the user's plugin_dir, when it decides which binary runs, is named on
// stderr with the binary (one line, with the backend's own source when that
// was noted too); one chosen by --plugin-dir, an explicit --config or the
// system config is not, nor is $RPMPGP_PLUGIN_DIR when it finds the binary
// that would run without it. Verdicts are unchanged.
func TestBinaryChoiceNoted(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	private := t.TempDir()
	gocrypto := copyBackend(t, private, 0o755)
	legacy := copyBackendNamed(t, private, "internal-legacy", 0o755)
	strict, lenient := unsigned+": digests SIGNATURES NOT OK\n", unsigned+": digests OK\n"
	dirConf := fmt.Sprintf("plugin_dir = %q\n", private)
	noEnv := map[string]string{"RPMPGP_PLUGIN_DIR": ""}
	for _, tc := range []struct {
		name, sys, user string
		env             map[string]string
		args            []string
		rc              int
		stdout, stderr  string
	}{
		{name: "env", env: map[string]string{"RPMPGP_PLUGIN_DIR": private}, rc: 1, stdout: strict,
			stderr: `rpmpgp: backend "gocrypto" binary chosen by $RPMPGP_PLUGIN_DIR: ` + gocrypto + "\n"},
		{name: "env over flag", env: map[string]string{"RPMPGP_PLUGIN_DIR": private}, args: []string{"--plugin-dir", binDir}, rc: 1, stdout: strict,
			stderr: `rpmpgp: backend "gocrypto" binary chosen by $RPMPGP_PLUGIN_DIR: ` + gocrypto + "\n"},
		{name: "user config", user: dirConf, env: noEnv, rc: 1, stdout: strict,
			stderr: `rpmpgp: backend "gocrypto" binary chosen by config %HOME%/rpmpgp/config.toml: ` + gocrypto + "\n"},
		{name: "env backend and env dir", env: map[string]string{"RPMPGP_PLUGIN_DIR": private, "RPMPGP_BACKEND": "internal-legacy"}, rc: 0, stdout: lenient,
			stderr: `rpmpgp: backend "internal-legacy" chosen by $RPMPGP_BACKEND, its binary by $RPMPGP_PLUGIN_DIR: ` + legacy + "\n"},
		{name: "user config backend and dir", user: "backend = \"internal-legacy\"\n" + dirConf, env: noEnv, rc: 0, stdout: lenient,
			stderr: `rpmpgp: backend "internal-legacy" and its binary chosen by config %HOME%/rpmpgp/config.toml: ` + legacy + "\n"},
		{name: "flag", args: []string{"--plugin-dir", private}, rc: 1, stdout: strict},
		{name: "system config", sys: dirConf, env: noEnv, rc: 1, stdout: strict},
		{name: "explicit config", args: []string{"--config", "%HOME%/explicit.toml"}, env: noEnv, rc: 1, stdout: strict},
		{name: "env finds the same binary", env: map[string]string{"RPMPGP_PLUGIN_DIR": binDir}, args: []string{"--plugin-dir", binDir}, rc: 1, stdout: strict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			writeFile(t, filepath.Join(home, "explicit.toml"), dirConf)
			args := []string{"checksig"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "%HOME%", home))
			}
			rc, stdout, stderr := cliRunHome(t, tc.sys, tc.user, home, tc.env, append(args, unsigned)...)
			want := strings.ReplaceAll(tc.stderr, "%HOME%", home)
			if rc != tc.rc || stdout != tc.stdout || stderr != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q, %q", rc, stdout, stderr, tc.rc, tc.stdout, want)
			}
		})
	}
}

// TestFIPSOverrideWarned: $RPMPGP_FIPS=off over the system config's
// fips = "require" (not locked) is said on stderr.
func TestFIPSOverrideWarned(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	rc, stdout, stderr := cliRun(t, "fips = \"require\"\n", "", map[string]string{"RPMPGP_FIPS": "off"}, "checksig", unsigned)
	want := fmt.Sprintf("warning: fips = \"require\" of the system config %s is overridden by $RPMPGP_FIPS (fips = \"off\")\n", conf.SystemConfig)
	if v := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != v || stderr != want {
		t.Errorf("rc %d, stdout %q, stderr %q; want 1, %q, %q", rc, stdout, stderr, v, want)
	}
}

package early

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/settings"
)

// TestDecide: a backend is started early for checksig and verify with what
// the command line and the environment choose, and not when a
// configuration file exists, a resident backend or another configuration
// file is asked for, or the command does not verify.
func TestDecide(t *testing.T) {
	home := map[string]string{"HOME": "/home/u"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"HOME": "/home/u"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name  string
		args  []string
		env   map[string]string
		files []string // existing files
		want  string   // backend, or "" for none
		dirs  []string
		why   string
	}{
		{name: "default", args: []string{"checksig", "a.rpm"}, env: home, want: "gocrypto"},
		{name: "verify", args: []string{"verify", "sig", "data"}, env: home, want: "gocrypto"},
		{name: "-K", args: []string{"-K", "--backend", "openssl", "a.rpm"}, env: home, want: "openssl"},
		{name: "--checksig", args: []string{"--checksig", "a.rpm"}, env: home, want: "gocrypto"},
		{name: "-Kv", args: []string{"-Kv", "a.rpm"}, env: home, want: "gocrypto"},
		{name: "-vK", args: []string{"-vK", "a.rpm"}, env: home, want: "gocrypto"},
		{name: "-v", args: []string{"-v", "checksig", "a.rpm"}, env: home, why: "not a command that verifies"},
		{name: "-K=", args: []string{"-K=1", "a.rpm"}, env: home, why: "not a command that verifies"},
		{name: "flag", args: []string{"checksig", "--backend", "openssl", "a.rpm"}, env: home, want: "openssl"},
		{name: "flag=", args: []string{"checksig", "--backend=internal-legacy", "--plugin-dir=/opt/b", "a.rpm"}, env: home, want: "internal-legacy", dirs: []string{"/opt/b"}},
		{name: "plugin dir", args: []string{"checksig", "--plugin-dir", "/opt/b", "a.rpm"}, env: home, want: "gocrypto", dirs: []string{"/opt/b"}},
		{name: "env", args: []string{"checksig", "a.rpm"}, env: with("RPMPGP_BACKEND", "openssl"), want: "openssl"},
		{name: "flag over env", args: []string{"checksig", "--backend", "gocrypto"}, env: with("RPMPGP_BACKEND", "openssl"), want: "gocrypto"},
		{name: "after --", args: []string{"checksig", "--", "--backend", "openssl"}, env: home, want: "gocrypto"},
		{name: "no command", args: nil, env: home, why: "not a command that verifies"},
		{name: "other command", args: []string{"keys", "list"}, env: home, why: "not a command that verifies"},
		{name: "flag first", args: []string{"--backend", "openssl", "checksig"}, env: home, why: "not a command that verifies"},
		{name: "system config", args: []string{"checksig"}, env: home, files: []string{"/etc/rpmpgp/config.toml"}, why: "a configuration file exists or cannot be located"},
		{name: "user config", args: []string{"checksig"}, env: home, files: []string{"/home/u/.config/rpmpgp/config.toml"}, why: "a configuration file exists or cannot be located"},
		{name: "xdg config", args: []string{"checksig"}, env: with("XDG_CONFIG_HOME", "/x"), files: []string{"/x/rpmpgp/config.toml"}, why: "a configuration file exists or cannot be located"},
		{name: "no home", args: []string{"checksig"}, env: map[string]string{}, why: "a configuration file exists or cannot be located"},
		{name: "--config", args: []string{"checksig", "--config", "c.toml"}, env: home, why: "--config given"},
		{name: "--config=", args: []string{"checksig", "--config=c.toml"}, env: home, why: "--config given"},
		{name: "--resident", args: []string{"checksig", "--resident"}, env: home, why: "--resident given"},
		{name: "resident env", args: []string{"checksig"}, env: with("RPMPGP_RESIDENT", "0"), why: "$RPMPGP_RESIDENT is set"},
		{name: "help", args: []string{"checksig", "-h"}, env: home, why: "-h given"},
		{name: "missing value", args: []string{"checksig", "--backend"}, env: home, why: "--backend without a value"},
		{name: "off", args: []string{"checksig"}, env: with("RPMPGP_EARLY_START", "0"), why: "turned off by $RPMPGP_EARLY_START"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			exists := func(p string) bool {
				for _, f := range tc.files {
					if f == p {
						return true
					}
				}
				return false
			}
			name, dirs, err := decide(tc.args, lookup, exists)
			if tc.why != "" {
				if err == nil || err.Error() != tc.why {
					t.Fatalf("decide = %q, %v; want error %q", name, err, tc.why)
				}
				return
			}
			if err != nil || name != tc.want || len(dirs) != len(tc.dirs) || len(dirs) > 0 && dirs[0] != tc.dirs[0] {
				t.Fatalf("decide = %q, %q, %v; want %q, %q", name, dirs, err, tc.want, tc.dirs)
			}
		})
	}
}

// TestInStepWithSettings: the names decide uses are the settings' own.
func TestInStepWithSettings(t *testing.T) {
	if defaultBackend != settings.DefaultBackend {
		t.Errorf("default backend %q, settings say %q", defaultBackend, settings.DefaultBackend)
	}
	if systemConfig != settings.SystemConfig {
		t.Errorf("system config %q, settings say %q", systemConfig, settings.SystemConfig)
	}
	for _, xdg := range []string{"", "/x"} {
		t.Setenv("XDG_CONFIG_HOME", xdg)
		t.Setenv("HOME", "/home/u")
		if got, want := userConfig(func(k string) (string, bool) {
			v := map[string]string{"XDG_CONFIG_HOME": xdg, "HOME": "/home/u"}[k]
			return v, true
		}), settings.UserConfig(); got != want {
			t.Errorf("user config %q, settings say %q", got, want)
		}
	}
	env := map[string][]string{}
	for _, k := range settings.Keys() {
		env[k.Name] = k.Env
	}
	if e := env["backend"]; len(e) != 1 || e[0] != envBackend {
		t.Errorf("backend variables %q, want [%s]", e, envBackend)
	}
	if e := env["resident"]; len(e) != 1 || e[0] != envResident {
		t.Errorf("resident variables %q, want [%s]", e, envResident)
	}
	// Every setting is known here: backend and plugin_dir choose the
	// process and decide reads them; resident is refused; pins and plugins
	// (checksums) exist only in configuration files, which stop an early
	// start; the others change how the backend is used (Init options,
	// keys, timeouts), not which process runs or its environment. A new
	// setting must be placed in one of these.
	known := map[string]string{
		"backend": "read", "plugin_dir": "read", "resident": "refused",
		"pins": "files only", "plugins": "files only", "lock": "files only",
		"fips": "use", "policy": "use", "call_timeout": "use", "root": "use", "dbpath": "use",
		"keystore": "use", "keyringpath": "use", "system_keys": "use",
	}
	for _, k := range settings.Keys() {
		how, ok := known[k.Name]
		switch {
		case !ok:
			t.Errorf("setting %q is unknown to the early start: does it choose the backend process?", k.Name)
		case how == "files only" && (k.Flag != "" || len(k.Env) > 0):
			t.Errorf("%s can be set without a configuration file (flag %q, env %q): an early start would run a binary it may pin", k.Name, k.Flag, k.Env)
		}
	}
}

// TestInitialisedEarly: package early and what it imports use no package
// that Go initialises late (packages are initialised in the order of their
// import paths once their imports are: strings, path/filepath, os/exec,
// net and regexp sort after gRPC's and protobuf's, and everything that
// imports them waits for those), so that its init starts the backend right
// after package os, before the costly initialisations. Measured with
// GODEBUG=inittrace=1: position 28 of 236 packages without these,
// 175 with package net among its imports.
func TestInitialisedEarly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	late := []string{"strings", "path/filepath", "os/exec", "net", "regexp"}
	for _, dep := range strings.Fields(string(out)) {
		if slices.Contains(late, dep) {
			t.Errorf("package early imports %s (directly or not)", dep)
		}
	}
}

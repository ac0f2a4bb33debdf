package early

import (
	"io/fs"
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
	const sys, userFile = "/etc/rpmpgp/config.toml", "/home/u/.config/rpmpgp/config.toml"
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
		files map[string]string // existing config files and their contents
		want  string            // backend, or "" for none
		dirs  []string
		// envDir is the $RPMPGP_PLUGIN_DIR searched first: tc.env's
		// unless set ("-" for none).
		envDir string
		why    string
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
		{name: "after --", args: []string{"checksig", "--", "--backend", "openssl"}, env: home, why: "-- given"},
		{name: "-- as a value first", args: []string{"--policy", "--", "checksig", "--config", "p.toml"}, env: home, why: "-- given"},
		{name: "-- as a value", args: []string{"checksig", "--keyring", "--", "--config", "p.toml", "a.rpm"}, env: home, why: "-- given"},
		{name: "--config as a value", args: []string{"checksig", "--keyring", "--config", "a.rpm"}, env: home, why: "--config given"},
		{name: "--plugin-dir as a value", args: []string{"checksig", "-k", "--plugin-dir", "/srv/pkgs", "a.rpm"}, env: home, why: "--plugin-dir may be the value of -k"},
		{name: "--backend as a value in a cluster", args: []string{"checksig", "-vk", "--backend", "openssl", "a.rpm"}, env: home, why: "--backend may be the value of -vk"},
		{name: "--backend as an unknown flag's value", args: []string{"checksig", "--newflag", "--backend", "openssl"}, env: home, why: "--backend may be the value of --newflag"},
		{name: "after switches", args: []string{"checksig", "-qv", "--no-system-keys", "--backend", "openssl", "-Kv", "--plugin-dir=/b", "a.rpm"}, env: home, want: "openssl", dirs: []string{"/b"}},
		{name: "after values", args: []string{"checksig", "-j2", "--backend", "openssl", "--keyring=k", "--plugin-dir", "/b", "-ojson", "--backend", "internal-legacy"}, env: home, want: "internal-legacy", dirs: []string{"/b"}},
		{name: "help in a cluster", args: []string{"checksig", "-vh", "a.rpm"}, env: home, why: "-h given"},
		{name: "value flags skipped", args: []string{"--fips", "--backend", "checksig", "--policy", "--plugin-dir", "a.rpm"}, env: home, want: "gocrypto"},
		{name: "plugin dir variable", args: []string{"checksig"}, env: with("RPMPGP_PLUGIN_DIR", "/env/b"), want: "gocrypto"},
		{name: "no command", args: nil, env: home, why: "not a command that verifies"},
		{name: "other command", args: []string{"keys", "list"}, env: home, why: "not a command that verifies"},
		{name: "flag first", args: []string{"--backend", "openssl", "checksig"}, env: home, want: "openssl"},
		{name: "flags first", args: []string{"--fips", "off", "--policy=p", "--plugin-dir=/opt/b", "-K", "a.rpm"}, env: home, want: "gocrypto", dirs: []string{"/opt/b"}},
		{name: "flag first and after", args: []string{"--backend", "openssl", "checksig", "--backend", "internal-legacy"}, env: home, want: "internal-legacy"},
		{name: "other flag first", args: []string{"--root", "/r", "checksig"}, env: home, why: "not a command that verifies"},
		{name: "-v first", args: []string{"-v", "checksig", "a.rpm"}, env: home, why: "not a command that verifies"},
		{name: "--config first", args: []string{"--config", "c.toml", "checksig"}, env: home, why: "--config given"},
		{name: "--resident first", args: []string{"--resident", "checksig"}, env: home, why: "--resident given"},
		{name: "flag first, no command", args: []string{"--backend", "openssl"}, env: home, why: "not a command that verifies"},
		{name: "system config", args: []string{"checksig"}, env: home, files: map[string]string{sys: "backend = \"openssl\"\n"}, want: "openssl"},
		{name: "user config", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "# mine\nbackend = 'internal-legacy' # legacy\nfips = \"off\"\n"}, want: "internal-legacy"},
		{name: "user over system", args: []string{"checksig"}, env: home, files: map[string]string{sys: "backend = \"openssl\"\nplugin_dir = \"/opt/sys\"\n", userFile: "backend = \"internal-legacy\"\n"}, want: "internal-legacy", dirs: []string{"/opt/sys"}},
		{name: "env over config", args: []string{"checksig"}, env: with("RPMPGP_BACKEND", "gocrypto"), files: map[string]string{sys: "backend = \"openssl\"\n"}, want: "gocrypto"},
		{name: "flag over config", args: []string{"checksig", "--plugin-dir", "/opt/b"}, env: home, files: map[string]string{userFile: "plugin_dir = \"/opt/u\"\n"}, want: "gocrypto", dirs: []string{"/opt/b"}},
		{name: "xdg config", args: []string{"checksig"}, env: with("XDG_CONFIG_HOME", "/x"), files: map[string]string{"/x/rpmpgp/config.toml": "backend = \"openssl\"\r\n"}, want: "openssl"},
		{name: "every other key", args: []string{"checksig"}, env: home, files: map[string]string{sys: "lock = [\"backend\", \"fips\",]\npins = \"optional\"\nresident = false\nsystem_keys = true\ncall_timeout = \"10s\"\npolicy = \"/p#1\"\nkeyringpath = \"/k\"\nroot = \"/\"\ndbpath = \"/d\"\nkeystore = \"rpmdb\"\n\n"}, want: "gocrypto"},
		{name: "checksums", args: []string{"checksig"}, env: home, files: map[string]string{sys: "[plugins.checksums]\ngocrypto = \"00\"\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: line 1: a table"},
		{name: "dotted checksums", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "plugins.checksums.gocrypto = \"00\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: plugins: not key = value"},
		{name: "inline checksums", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "plugins = { checksums = { gocrypto = \"00\" } }\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: plugins: a value not read here"},
		{name: "pins required", args: []string{"checksig"}, env: home, files: map[string]string{sys: "pins = \"required\"\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: pins are required"},
		{name: "resident in config", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "resident = true\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: a resident backend is asked for"},
		{name: "user lock", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "lock = [\"backend\"]\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: lock outside the system config"},
		{name: "escapes", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "backend = \"open\\u0073sl\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: it uses escapes"},
		{name: "quoted key", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "\"backend\" = \"openssl\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: not a bare key"},
		{name: "multi-line string", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "policy = \"\"\"\nbackend = \"openssl\"\n\"\"\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: policy: text after the value"},
		{name: "multi-line array", args: []string{"checksig"}, env: home, files: map[string]string{sys: "lock = [\n\"backend\",\n]\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: line 1: lock: a value not read here"},
		{name: "twice", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "backend = \"openssl\"\nbackend = \"gocrypto\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 2: backend is set twice"},
		{name: "unknown key", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "Backend = \"openssl\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: unknown key Backend"},
		{name: "backend not a string", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "backend = [\"openssl\"]\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: backend has a value of another type"},
		{name: "unreadable", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "\x00unreadable"}, why: "config /home/u/.config/rpmpgp/config.toml: permission denied"},
		{name: "no home", args: []string{"checksig"}, env: map[string]string{}, why: "the user's configuration file cannot be located"},
		{name: "empty in the user's file", args: []string{"checksig"}, env: home, files: map[string]string{sys: "backend = \"openssl\"\nplugin_dir = \"/opt/sys\"\n", userFile: "backend = \"\"\nplugin_dir = ''\n"}, want: ""},
		{name: "locked backend", args: []string{"checksig", "--backend", "internal-legacy"}, env: with("RPMPGP_BACKEND", "gocrypto"), files: map[string]string{sys: "lock = [\"backend\"]\nbackend = \"openssl\"\n", userFile: "backend = \"gocrypto\"\n"}, want: "openssl"},
		{name: "locked default backend", args: []string{"checksig", "--backend", "openssl"}, env: home, files: map[string]string{sys: "lock = ['backend']\n"}, want: "gocrypto"},
		{name: "locked plugin dir", args: []string{"checksig", "--plugin-dir", "/flag"}, env: with("RPMPGP_PLUGIN_DIR", "/env/b"), files: map[string]string{sys: "lock = [\"fips\", \"plugin_dir\"]\nplugin_dir = \"/opt/sys\"\n", userFile: "plugin_dir = \"/home/u/bin\"\n"}, want: "gocrypto", dirs: []string{"/opt/sys"}, envDir: "-"},
		{name: "locked default plugin dir", args: []string{"checksig"}, env: with("RPMPGP_PLUGIN_DIR", "/env/b"), files: map[string]string{sys: "lock = [\"plugin_dir\"]\n", userFile: "plugin_dir = \"/home/u/bin\"\n"}, want: "gocrypto", envDir: "-"},
		{name: "lone carriage return", args: []string{"checksig"}, env: home, files: map[string]string{sys: "# mine\r[plugins.checksums]\rgocrypto = \"00\"\rpins = \"required\"\r"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: byte 0x0d at offset 6"},
		{name: "control character", args: []string{"checksig"}, env: home, files: map[string]string{sys: "# x\x01\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: byte 0x01 at offset 3"},
		{name: "not ASCII", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "plugin_dir = \"/opt/b\xc3\xa9\"\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: byte 0xc3 at offset 20"},
		{name: "lock of no setting", args: []string{"checksig"}, env: home, files: map[string]string{sys: "lock = [\"Backend\"]\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: line 1: lock: unknown key \"Backend\""},
		{name: "lock of lock", args: []string{"checksig"}, env: home, files: map[string]string{sys: "lock = [\"lock\"]\n"}, why: "config /etc/rpmpgp/config.toml: not read before the configuration is loaded: line 1: lock: unknown key \"lock\""},
		{name: "lock of checksums", args: []string{"checksig"}, env: home, files: map[string]string{sys: "lock = [\"plugins.checksums\", \"plugins\", \"pins\"]\n"}, want: "gocrypto"},
		{name: "wrong type", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "fips = true\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: fips has a value of another type"},
		{name: "integer", args: []string{"checksig"}, env: home, files: map[string]string{userFile: "call_timeout = 01\n"}, why: "config /home/u/.config/rpmpgp/config.toml: not read before the configuration is loaded: line 1: call_timeout: a value not read here"},
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
			read := func(p string) ([]byte, error) {
				data, ok := tc.files[p]
				switch {
				case !ok:
					return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
				case strings.HasPrefix(data, "\x00"):
					return nil, fs.ErrPermission
				}
				return []byte(data), nil
			}
			name, dirs, env, err := decide(tc.args, lookup, read)
			if tc.why != "" {
				if err == nil || err.Error() != tc.why {
					t.Fatalf("decide = %q, %v; want error %q", name, err, tc.why)
				}
				return
			}
			wantEnv := tc.env["RPMPGP_PLUGIN_DIR"]
			if tc.envDir == "-" {
				wantEnv = ""
			}
			if err != nil || name != tc.want || !slices.Equal(dirs, tc.dirs) || env != wantEnv {
				t.Fatalf("decide = %q, %q, $RPMPGP_PLUGIN_DIR %q, %v; want %q, %q, %q", name, dirs, env, err, tc.want, tc.dirs, wantEnv)
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
	// Every setting is known here, in config files too (configKeys):
	// backend and plugin_dir choose the process and decide reads them;
	// resident is refused; pins, plugins (checksums) and lock exist only in
	// configuration files, which decide reads for them; the others change
	// how the backend is used (Init options, keys, timeouts), not which
	// process runs or its environment. A new setting must be placed here.
	want := map[string]keyUse{
		"backend": useBackend, "plugin_dir": usePluginDir, "resident": onlyFalse,
		"pins": onlyOptional, "plugins": refused, "lock": systemOnly,
	}
	filesOnly := []string{"pins", "plugins", "lock"}
	kinds := map[string]int{"string": kindString, "bool": kindBool, "strings": kindArray, "table": 0}
	names := map[string]bool{}
	for _, k := range settings.Keys() {
		names[k.Name] = true
		ck, ok := configKeys[k.Name]
		switch {
		case !ok:
			t.Errorf("setting %q is unknown to the early start: does it choose the backend process?", k.Name)
		case ck.use != want[k.Name]:
			t.Errorf("setting %q: the early start treats it as %d, want %d", k.Name, ck.use, want[k.Name])
		case ck.kind != kinds[k.Type]:
			t.Errorf("setting %q of type %s: the early start reads a value of kind %d", k.Name, k.Type, ck.kind)
		case k.Lockable != (k.Name != "lock"):
			t.Errorf("setting %q: lockable %v; the early start takes every key but lock in a lock", k.Name, k.Lockable)
		case slices.Contains(filesOnly, k.Name) && (k.Flag != "" || len(k.Env) > 0):
			t.Errorf("%s can be set without a configuration file (flag %q, env %q): an early start would run a binary it may pin", k.Name, k.Flag, k.Env)
		}
	}
	for name := range configKeys {
		if !names[name] {
			t.Errorf("config key %q of the early start is no setting", name)
		}
	}
	if settings.PinsOptional != "optional" {
		t.Errorf("pins = %q lets a binary run unpinned, the early start reads \"optional\"", settings.PinsOptional)
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

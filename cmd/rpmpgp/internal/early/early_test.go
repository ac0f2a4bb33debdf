package early

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/viper"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/core/plugin/prestart"
)

func TestParseArgs(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, tc := range []struct {
		args []string
		want flags
		ok   bool
	}{
		{[]string{"checksig", "a.rpm"}, flags{}, true},
		{[]string{"K", "a.rpm"}, flags{}, true},
		{[]string{"-K", "a.rpm"}, flags{}, true},
		{[]string{"-Kv", "a.rpm"}, flags{}, true},
		{[]string{"--checksig", "--backend", "openssl", "a.rpm"}, flags{backend: s("openssl")}, true},
		{[]string{"verify", "sig.asc", "data"}, flags{}, true},
		{[]string{"lint-key", "key.asc"}, flags{}, true},
		{[]string{"--backend=openssl", "--fips", "off", "checksig", "-v", "a.rpm"}, flags{backend: s("openssl"), fips: s("off")}, true},
		{[]string{"--config", "/c.toml", "checksig", "--plugin-dir=/p", "a.rpm"}, flags{config: s("/c.toml"), pluginDir: s("/p")}, true},
		// A value that looks like a flag is the value.
		{[]string{"checksig", "-k", "--backend", "a.rpm"}, flags{}, true},
		{[]string{"checksig", "--keyring", "--backend", "--jobs", "2", "-o", "json", "a.rpm"}, flags{}, true},
		{[]string{"checksig", "--keyring=k.asc", "--backend", "x", "a.rpm"}, flags{backend: s("x")}, true},
		// The last occurrence wins, as in pflag.
		{[]string{"--backend", "a", "checksig", "--backend", "b"}, flags{backend: s("b")}, true},
		// Everything after -- is an argument.
		{[]string{"checksig", "--", "--backend", "x"}, flags{}, true},
		// Not a verifying command, help, or not followed exactly.
		{nil, flags{}, false},
		{[]string{"backends"}, flags{}, false},
		{[]string{"conformance"}, flags{}, false},
		{[]string{"help", "checksig"}, flags{}, false},
		{[]string{"--help"}, flags{}, false},
		{[]string{"checksig", "--help"}, flags{}, false},
		{[]string{"checksig", "-h"}, flags{}, false},
		{[]string{"--verbose", "checksig"}, flags{}, false},
		{[]string{"checksig", "-vk", "k.asc", "a.rpm"}, flags{}, false},
		{[]string{"checksig", "--backend"}, flags{}, false},
		{[]string{"--backend"}, flags{}, false},
	} {
		got, ok := parseArgs(tc.args)
		if ok != tc.ok || (ok && !cmp.Equal(got, tc.want, cmp.AllowUnexported(flags{}))) {
			t.Errorf("parseArgs(%q) = %+v, %v; want %+v, %v", tc.args, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseConfig(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       settings
		ok         bool
	}{
		{"empty", "", settings{}, true},
		{"documented", `# rpmpgp configuration
backend = "openssl"          # the crypto backend
plugin_dir = '/usr/libexec/rpmpgp'
fips = "require"
call_timeout = "60s"
policy = "/etc/crypto-policies/back-ends/rpm-sequoia.config"
`, settings{backend: "openssl", pluginDir: "/usr/libexec/rpmpgp", fips: "require"}, true},
		{"keys without case, CRLF", "Backend = \"internal-legacy\"\r\nFIPS = 'off'\r\n", settings{backend: "internal-legacy", fips: "off"}, true},
		{"other tables are skipped", "[plugins]\nbackend = \"ignored\"\n[other.sub]\nx = 1\n", settings{}, true},
		{"numbers and booleans for other keys", "retries = 3\nverbose = true\n", settings{}, true},
		{"hash inside a string", "plugin_dir = \"/opt/a#b\" # comment\n", settings{pluginDir: "/opt/a#b"}, true},
		{"pinned checksums", "[plugins.checksums]\ngocrypto = \"00\"\n", settings{}, false},
		{"pinned checksums, other case", "[Plugins.Checksums]\ngocrypto = \"00\"\n", settings{}, false},
		{"below pinned checksums", "[plugins.checksums.gocrypto]\nsha256 = \"00\"\n", settings{}, false},
		{"a table named like it", "[plugins.checksumsx]\nx = \"00\"\n", settings{}, true},
		{"inline table", "plugins = { checksums = { gocrypto = \"00\" } }\n", settings{}, false},
		{"dotted key", "plugins.checksums.gocrypto = \"00\"\n", settings{}, false},
		{"quoted key", "\"backend\" = \"x\"\n", settings{}, false},
		{"escape", "backend = \"go\\u0063rypto\"\n", settings{}, false},
		{"multi-line string", "backend = \"\"\"\ngocrypto\"\"\"\n", settings{}, false},
		{"array", "x = [\n1]\n", settings{}, false},
		{"array of tables", "[[x]]\n", settings{}, false},
		{"key twice", "backend = \"a\"\nBACKEND = \"b\"\n", settings{}, false},
		{"number for a used key", "backend = 1\n", settings{}, false},
		{"no value", "backend =\n", settings{}, false},
		{"trailing garbage", "backend = \"a\" b\n", settings{}, false},
		{"not a key", "backend\n", settings{}, false},
	} {
		var got settings
		ok := parseConfig([]byte(tc.text), &got)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: parseConfig = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestPlanFor resolves the backend like loadSettings: flags over
// environment over config files (user over system, or --config alone) over
// defaults, then the plugin search path.
func TestPlanFor(t *testing.T) {
	dir := t.TempDir()
	exeDir := filepath.Join(dir, "exe")
	envDir := filepath.Join(dir, "env")
	cfgDir := filepath.Join(dir, "cfg")
	for _, d := range []string{exeDir, envDir, cfgDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path string, mode os.FileMode) {
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(exeDir, "rpmpgp-backend-gocrypto"), 0o755)
	write(filepath.Join(exeDir, "rpmpgp-backend-openssl"), 0o755)
	write(filepath.Join(envDir, "rpmpgp-backend-openssl"), 0o755)
	write(filepath.Join(cfgDir, "rpmpgp-backend-internal-legacy"), 0o755)
	write(filepath.Join(envDir, "rpmpgp-backend-internal-legacy"), 0o644) // not executable: skipped

	files := map[string]string{
		SystemConfig:                         "backend = \"openssl\"\nfips = \"off\"\n",
		"/home/u/.config/rpmpgp/config.toml": "backend = \"internal-legacy\"\nplugin_dir = \"" + cfgDir + "\"\n",
		"/xdg/rpmpgp/config.toml":            "fips = \"require\"\n",
		"/explicit.toml":                     "backend = \"gocrypto\"\n",
		"/pinned.toml":                       "[plugins.checksums]\ngocrypto = \"ab\"\n",
		"/bad.toml":                          "backend = [\n",
	}
	for _, tc := range []struct {
		name  string
		args  []string
		env   map[string]string
		files []string // of files, the ones that exist
		path  string   // "" when nothing is started
		fips  string
	}{
		{"defaults", []string{"checksig", "a.rpm"}, nil, nil, filepath.Join(exeDir, "rpmpgp-backend-gocrypto"), "auto"},
		{"system config", []string{"checksig"}, nil, []string{SystemConfig}, filepath.Join(exeDir, "rpmpgp-backend-openssl"), "off"},
		{"user over system", []string{"checksig"}, map[string]string{"HOME": "/home/u"}, []string{SystemConfig, "/home/u/.config/rpmpgp/config.toml"}, filepath.Join(cfgDir, "rpmpgp-backend-internal-legacy"), "off"},
		{"XDG_CONFIG_HOME over HOME", []string{"checksig"}, map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "/xdg"}, []string{SystemConfig, "/home/u/.config/rpmpgp/config.toml", "/xdg/rpmpgp/config.toml"}, filepath.Join(exeDir, "rpmpgp-backend-openssl"), "require"},
		{"environment over config", []string{"checksig"}, map[string]string{"RPMPGP_BACKEND": "gocrypto", "RPMPGP_FIPS": "auto"}, []string{SystemConfig}, filepath.Join(exeDir, "rpmpgp-backend-gocrypto"), "auto"},
		{"empty environment ignored", []string{"checksig"}, map[string]string{"RPMPGP_BACKEND": ""}, []string{SystemConfig}, filepath.Join(exeDir, "rpmpgp-backend-openssl"), "off"},
		{"flag over environment", []string{"--backend", "openssl", "checksig"}, map[string]string{"RPMPGP_BACKEND": "gocrypto"}, nil, filepath.Join(exeDir, "rpmpgp-backend-openssl"), "auto"},
		{"RPMPGP_PLUGIN_DIR first", []string{"checksig", "--backend=openssl"}, map[string]string{"RPMPGP_PLUGIN_DIR": "/nowhere:" + envDir}, nil, filepath.Join(envDir, "rpmpgp-backend-openssl"), "auto"},
		{"non-executable skipped", []string{"checksig", "--backend=internal-legacy", "--plugin-dir", cfgDir}, map[string]string{"RPMPGP_PLUGIN_DIR": envDir}, nil, filepath.Join(cfgDir, "rpmpgp-backend-internal-legacy"), "auto"},
		{"--config alone", []string{"--config", "/explicit.toml", "checksig"}, nil, []string{SystemConfig, "/explicit.toml"}, filepath.Join(exeDir, "rpmpgp-backend-gocrypto"), "auto"},
		{"--config missing", []string{"--config", "/missing.toml", "checksig"}, nil, nil, "", ""},
		{"pinned checksums", []string{"--config", "/pinned.toml", "checksig"}, nil, []string{"/pinned.toml"}, "", ""},
		{"unreadable config", []string{"checksig"}, nil, []string{SystemConfig + ".bad"}, "", ""},
		{"config not understood", []string{"--config=/bad.toml", "checksig"}, nil, []string{"/bad.toml"}, "", ""},
		{"backend not found", []string{"checksig", "--backend", "sequoia"}, nil, nil, "", ""},
		{"invalid backend name", []string{"checksig", "--backend", "../x"}, nil, nil, "", ""},
		{"invalid FIPS mode", []string{"checksig", "--fips", "yes"}, nil, nil, "", ""},
		{"not a verifying command", []string{"backends"}, nil, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			readFile := func(name string) ([]byte, error) {
				for _, f := range tc.files {
					if f == SystemConfig+".bad" && name == SystemConfig {
						return nil, errors.New("permission denied")
					}
					if f == name {
						return []byte(files[name]), nil
					}
				}
				return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
			}
			p, ok := planFor(tc.args, lookup, readFile, exeDir)
			if tc.path == "" {
				if ok {
					t.Fatalf("planned %+v, want no early start", p)
				}
				return
			}
			if !ok || p.path != tc.path {
				t.Fatalf("planned %q, %v; want %q", p.path, ok, tc.path)
			}
			want := append([]string{prestart.EnvFDChannel + "=3"}, prestart.Environ(prestart.EnvOpenSSLFIPS, tc.fips)...)
			want = append(want, prestart.PluginEnv...)
			if diff := cmp.Diff(want, p.env); diff != "" {
				t.Errorf("environment (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	if got := dirOf("/usr/bin/rpmpgp"); got != "/usr/bin" {
		t.Errorf("dirOf = %q", got)
	}
	if got := dirOf("/rpmpgp"); got != "/" {
		t.Errorf("dirOf(/rpmpgp) = %q", got)
	}
	if got := strings.Join(splitList("a::b:"), ","); got != "a,,b," {
		t.Errorf("splitList = %q", got)
	}
	for name, want := range map[string]bool{"gocrypto": true, "internal-legacy": true, "a.b_c": true, "9x": true, "": false, "-x": false, ".x": false, "_x": false, "a/b": false, "a b": false, "é": false, "x\n": false} {
		if validName(name) != want || plugin.ValidName(name) != want {
			t.Errorf("%q: validName %v, plugin.ValidName %v; want %v", name, validName(name), plugin.ValidName(name), want)
		}
	}
}

// FuzzParseConfig holds parseConfig to viper, which reads the config for
// real: a file that viper reads with pinned checksums is never understood,
// and an understood file gives viper's values.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"backend = \"openssl\"\nfips = 'off'\nplugin_dir = \"/p\"\n",
		"[plugins.checksums]\ngocrypto = \"00\"\n",
		"[plugins]\nchecksums = { gocrypto = \"00\" }\n",
		"Backend = \"a\" # c\n[x]\ny = 1\n",
		"call_timeout = \"60s\"\npolicy = '/etc/p'\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s settings
		ok := parseConfig(data, &s)
		v := viper.New()
		v.SetConfigType("toml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return // rpmpgp refuses the file: an early start is discarded
		}
		if !ok {
			return
		}
		// What loadSettings reads as the pins.
		if pins := v.GetStringMapString("plugins.checksums"); len(pins) > 0 {
			t.Fatalf("understood %q, where viper finds checksums %v", data, pins)
		}
		got := settings{backend: v.GetString("backend"), pluginDir: v.GetString("plugin_dir"), fips: v.GetString("fips")}
		if got != s {
			t.Fatalf("%q: parsed %+v, viper reads %+v", data, s, got)
		}
	})
}

// TestReadConfig: config files are read whole, up to maxConfig bytes, and
// only regular files.
func TestReadConfig(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.toml")
	if err := os.WriteFile(small, []byte("backend = \"openssl\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := readConfig(small); err != nil || string(data) != "backend = \"openssl\"\n" {
		t.Errorf("readConfig(small) = %q, %v", data, err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, make([]byte, maxConfig+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := readConfig(big); err == nil {
		t.Errorf("readConfig(big) read %d bytes", len(data))
	}
	if _, err := readConfig(dir); err == nil {
		t.Error("readConfig(directory): no error")
	}
	if _, err := readConfig(filepath.Join(dir, "missing.toml")); !os.IsNotExist(err) {
		t.Errorf("readConfig(missing) = %v, want not-exist", err)
	}
}

package early

import (
	"cmp"
	"os"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"

	"github.com/rpmpgp/rpmpgp/internal/settings"
)

// TestDecideAgreesWithTheLoader: over every combination of a grid of
// system and user config files, variables and command lines, the backend
// and plugin directory decide starts early are the ones the loader
// (internal/settings.Load) gives the command, whenever both go ahead; when
// the loader refuses to run (a setting the system config locks is changed)
// decide starts nothing or only the locked value; and decide never starts
// anything when the loader's configuration pins or requires pins. The
// grid covers the precedence (flag > variable > user file > system file),
// locks, a --plugin-dir that is another flag's value, and paths that only
// compare equal cleaned.
func TestDecideAgreesWithTheLoader(t *testing.T) {
	dir := t.TempDir()
	sysPath := filepath.Join(dir, "system.toml")
	xdg := filepath.Join(dir, "xdg")
	userPath := filepath.Join(xdg, "rpmpgp", "config.toml")
	if err := os.MkdirAll(filepath.Dir(userPath), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", xdg)
	t.Setenv("HOME", dir)
	saved := settings.SystemConfig
	settings.SystemConfig = sysPath
	t.Cleanup(func() { settings.SystemConfig = saved })

	systems := []string{
		"",
		"backend = \"openssl\"\n",
		"backend = \"openssl\"\nplugin_dir = \"/opt/sys\"\n",
		"lock = [\"backend\"]\nbackend = \"openssl\"\n",
		"lock = [\"plugin_dir\"]\nplugin_dir = \"/opt/sys\"\n",
		"lock = [\"backend\", \"plugin_dir\"]\n",
		"pins = \"required\"\n",
	}
	users := []string{
		"",
		"backend = \"internal-legacy\"\n",
		"plugin_dir = \"/opt/u\"\n",
		"backend = \"openssl\"\nplugin_dir = \"/opt/sys/\"\n",
		"[plugins.checksums]\nopenssl = \"0000000000000000000000000000000000000000000000000000000000000000\"\n",
	}
	envBackends := []string{"", "gocrypto"}
	envDirs := []string{"", "/env", "/opt/sys"}
	commands := [][]string{
		{"checksig", "a.rpm"},
		{"checksig", "--backend", "openssl", "a.rpm"},
		{"--plugin-dir", "/flag", "checksig", "a.rpm"},
		{"checksig", "-k", "--plugin-dir", "/x", "a.rpm"},
		{"checksig", "--plugin-dir=/opt/sys", "a.rpm"},
	}
	write := func(p, content string) {
		if content == "" {
			_ = os.Remove(p)
			return
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var agreed, refusedEarly, refusedByLoader int
	for _, sys := range systems {
		write(sysPath, sys)
		for _, user := range users {
			write(userPath, user)
			for _, envBackend := range envBackends {
				for _, envDir := range envDirs {
					for _, args := range commands {
						env := map[string]string{"XDG_CONFIG_HOME": xdg, "HOME": dir}
						for k, v := range map[string]string{"RPMPGP_BACKEND": envBackend, "RPMPGP_PLUGIN_DIR": envDir} {
							t.Setenv(k, v)
							if v != "" {
								env[k] = v
							}
						}
						lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
						read := func(p string) ([]byte, error) {
							if p == systemConfig {
								p = sysPath
							}
							return readConfig(p)
						}
						name, dirs, envSearched, decideErr := decide(args, lookup, read)
						s, loadErr := load(t, args)
						where := func() string {
							return "system " + quote(sys) + ", user " + quote(user) + ", $RPMPGP_BACKEND " + quote(envBackend) + ", $RPMPGP_PLUGIN_DIR " + quote(envDir) + ", args " + quote(args...)
						}
						switch {
						case decideErr != nil:
							refusedEarly++
						case loadErr != nil:
							refusedByLoader++
							// Only what the system config locks may have
							// been started.
							c, _ := parseConfig([]byte(sys), true)
							switch {
							case len(c.locks) == 0:
								t.Errorf("%s: the loader refuses (%v), and nothing is locked, but decide starts %q from %q", where(), loadErr, name, dirs)
							case slices.Contains(c.locks, "backend") && name != cmp.Or(c.backend, defaultBackend):
								t.Errorf("%s: the loader refuses (%v); decide starts %q, not the locked %q", where(), loadErr, name, cmp.Or(c.backend, defaultBackend))
							case slices.Contains(c.locks, "plugin_dir") && (!sameDirs(dirs, []string{c.pluginDir}) || envSearched != ""):
								t.Errorf("%s: the loader refuses (%v); decide searches %q then %q, not only the locked %q", where(), loadErr, envSearched, dirs, c.pluginDir)
							}
						default:
							agreed++
							var want []string
							if s.PluginDir != "" {
								want = []string{s.PluginDir}
							}
							if name != s.Backend || !sameDirs(dirs, want) {
								t.Errorf("%s: decide starts %q from %q, the loader uses %q from %q", where(), name, dirs, s.Backend, want)
							}
							if envSearched != envDir && (envSearched != "" || !sameDirs([]string{envDir}, want)) {
								t.Errorf("%s: decide searches $RPMPGP_PLUGIN_DIR %q first, the loader %q", where(), envSearched, envDir)
							}
						}
						if decideErr == nil && (s != nil && (len(s.Checksums) > 0 || s.PinsRequired)) {
							t.Errorf("%s: decide starts %q though the configuration pins checksums or requires pins", where(), name)
						}
					}
				}
			}
		}
	}
	total := len(systems) * len(users) * len(envBackends) * len(envDirs) * len(commands)
	if agreed+refusedEarly+refusedByLoader != total || agreed < total/4 || refusedByLoader == 0 {
		t.Errorf("%d combinations: %d agreed, %d not started early, %d refused by the loader", total, agreed, refusedEarly, refusedByLoader)
	}
	t.Logf("%d combinations: %d agreed, %d not started early, %d refused by the loader", total, agreed, refusedEarly, refusedByLoader)
}

// load runs the loader on the command line args as rpmpgp parses it: the
// global flags (cmd/rpmpgp addGlobalFlags) and checksig's -k.
func load(t *testing.T, args []string) (*settings.Settings, error) {
	t.Helper()
	flags := pflag.NewFlagSet("rpmpgp", pflag.ContinueOnError)
	for _, f := range []string{"config", "backend", "plugin-dir", "policy", "fips"} {
		flags.String(f, "", "")
	}
	flags.Bool("resident", false, "")
	flags.StringArrayP("keyring", "k", nil, "")
	if err := flags.Parse(args); err != nil {
		t.Fatalf("%q: %v", args, err)
	}
	return settings.Load("", flags, func(string) {})
}

// sameDirs compares directory lists as the loader compares paths
// (cleaned).
func sameDirs(a, b []string) bool {
	clean := func(ds []string) []string {
		var out []string
		for _, d := range ds {
			if d != "" {
				out = append(out, path.Clean(d))
			}
		}
		return out
	}
	return slices.Equal(clean(a), clean(b))
}

// quote quotes words for a failure message.
func quote(words ...string) string {
	out := ""
	for i, w := range words {
		if i > 0 {
			out += " "
		}
		out += "'" + w + "'"
	}
	return out
}

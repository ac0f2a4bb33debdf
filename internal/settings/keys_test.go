package settings

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"

	"github.com/rpmpgp/rpmpgp/policyconf"
)

// flagsLike registers the flags of rpmpgp's commands that set settings
// (cmd/rpmpgp config.go, keystore.go) and parses args.
func flagsLike(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	f := pflag.NewFlagSet("test", pflag.ContinueOnError)
	for _, name := range []string{"backend", "plugin-dir", "policy", "fips", "root", "dbpath", "keystore", "keyringpath"} {
		f.String(name, "", "")
	}
	f.Bool("no-system-keys", false, "")
	f.Bool("resident", false, "")
	if err := f.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f
}

// noPolicyFiles makes the crypto policy search see env and no file.
func noPolicyFiles(t *testing.T, env map[string]string) {
	t.Helper()
	saved := policyEnv
	policyEnv = func() policyconf.Env {
		return policyconf.Env{
			Getenv:   func(name string) (string, bool) { v, ok := env[name]; return v, ok },
			ReadFile: func(string) ([]byte, error) { return nil, fs.ErrNotExist },
			Exists:   func(string) bool { return false },
		}
	}
	t.Cleanup(func() { policyEnv = saved })
}

// TestSourceFollowsTheTable: Source names the source that really sets each
// key, as Load applies it. The cases marked "was" were reported wrong when
// `rpmpgp config` passed its own flag and variable names to Source.
func TestSourceFollowsTheTable(t *testing.T) {
	const user = "plugin_dir = \"/etc/pd\"\npolicy = \"/etc/p.toml\"\nsystem_keys = true\nbackend = \"openssl\"\n"
	for _, tc := range []struct {
		name      string
		env       map[string]string // process environment
		policyEnv map[string]string // what the crypto policy search sees
		args      []string
		key       string
		want      [3]any // source, from, line
	}{
		// was: file (config listed plugin_dir with no variable), though
		// $RPMPGP_PLUGIN_DIR is searched before plugin_dir.
		{name: "plugin dir variable over the file", env: map[string]string{"RPMPGP_PLUGIN_DIR": "/x"},
			key: "plugin_dir", want: [3]any{"env", "RPMPGP_PLUGIN_DIR", 0}},
		{name: "plugin dir variable over the flag", env: map[string]string{"RPMPGP_PLUGIN_DIR": "/x"}, args: []string{"--plugin-dir", "/y"},
			key: "plugin_dir", want: [3]any{"env", "RPMPGP_PLUGIN_DIR", 0}},
		{name: "plugin dir flag", args: []string{"--plugin-dir", "/y"}, key: "plugin_dir", want: [3]any{"flag", "--plugin-dir", 0}},
		// was: env, though a configured policy file wins over the
		// variables (policyconf.Load).
		{name: "policy file over the variable", policyEnv: map[string]string{policyconf.EnvRPMSequoia: "/srv/weak.toml"},
			key: "policy", want: [3]any{"file", "user", 2}},
		{name: "policy flag", args: []string{"--policy", "/p"}, key: "policy", want: [3]any{"flag", "--policy", 0}},
		{name: "backend variable over the file", env: map[string]string{"RPMPGP_BACKEND": "gocrypto"},
			key: "backend", want: [3]any{"env", "RPMPGP_BACKEND", 0}},
		{name: "backend flag over the variable", env: map[string]string{"RPMPGP_BACKEND": "gocrypto"}, args: []string{"--backend", "openssl"},
			key: "backend", want: [3]any{"flag", "--backend", 0}},
		{name: "fips variable", env: map[string]string{"RPMPGP_FIPS": "off"}, key: "fips", want: [3]any{"env", "RPMPGP_FIPS", 0}},
		{name: "root variable", env: map[string]string{"RPMPGP_ROOT": "/r"}, key: "root", want: [3]any{"env", "RPMPGP_ROOT", 0}},
		{name: "dbpath flag", args: []string{"--dbpath", "/d"}, key: "dbpath", want: [3]any{"flag", "--dbpath", 0}},
		// was: flag, though --no-system-keys=false leaves the key alone.
		{name: "inverting flag given false", args: []string{"--no-system-keys=false"}, key: "system_keys", want: [3]any{"file", "user", 3}},
		{name: "inverting flag", args: []string{"--no-system-keys"}, key: "system_keys", want: [3]any{"flag", "--no-system-keys", 0}},
		{name: "resident variable", env: map[string]string{"RPMPGP_RESIDENT": "1"}, key: "resident", want: [3]any{"env", "RPMPGP_RESIDENT", 0}},
		{name: "resident flag over the variable", env: map[string]string{"RPMPGP_RESIDENT": "0"}, args: []string{"--resident"}, key: "resident", want: [3]any{"flag", "--resident", 0}},
		{name: "resident default", key: "resident", want: [3]any{"", "", 0}},
		{name: "default", key: "call_timeout", want: [3]any{"", "", 0}},
		{name: "unknown key", key: "nonsense", want: [3]any{"", "", 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t, "", user)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			noPolicyFiles(t, tc.policyEnv)
			s, err := Load("", flagsLike(t, tc.args...), nil)
			if err != nil {
				t.Fatal(err)
			}
			src, from, line := s.Source(tc.key)
			if from == UserConfig() {
				from = "user"
			}
			if got := [3]any{src, from, line}; got != tc.want {
				t.Errorf("Source(%q) = %v, want %v", tc.key, got, tc.want)
			}
		})
	}
}

// TestSourcePolicyVariables: with no policy file or flag, the policy's
// source is the variable rpm-sequoia's search takes, set but empty
// included; $SEQUOIA_CRYPTO_POLICY was never reported (config named only
// $RPM_SEQUOIA_CRYPTO_POLICY, and only when not empty).
func TestSourcePolicyVariables(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{policyconf.EnvSequoia: "/srv/p.toml"}, "env SEQUOIA_CRYPTO_POLICY"},
		{map[string]string{policyconf.EnvRPMSequoia: ""}, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{map[string]string{policyconf.EnvRPMSequoia: "/a", policyconf.EnvSequoia: "/b"}, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{nil, " "},
	} {
		setup(t, "", "")
		noPolicyFiles(t, tc.env)
		s, err := Load("", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if src, from, _ := s.Source("policy"); src+" "+from != tc.want {
			t.Errorf("%v: source %q %q, want %q", tc.env, src, from, tc.want)
		}
	}
}

// TestSourcePolicyGivenEmpty: a config file or --policy that gives the
// crypto policy as "" is rpm-sequoia's search, so the variable the search
// takes is the source (it was reported as the file or the flag).
func TestSourcePolicyGivenEmpty(t *testing.T) {
	env := map[string]string{policyconf.EnvRPMSequoia: "/x/p.toml"}
	for _, tc := range []struct {
		system, user string
		args         []string
		want         string
	}{
		{"", "policy = \"\"\n", nil, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{"policy = \"/etc/p.toml\"\n", "policy = \"\"\n", nil, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{"", "", []string{"--policy", ""}, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{"", "policy = \"/u/p.toml\"\n", []string{"--policy", ""}, "env RPM_SEQUOIA_CRYPTO_POLICY"},
		{"", "policy = \"/u/p.toml\"\n", nil, "file user"},
		{"", "", []string{"--policy", "/f/p.toml"}, "flag --policy"},
	} {
		setup(t, tc.system, tc.user)
		noPolicyFiles(t, env)
		s, err := Load("", flagsLike(t, tc.args...), nil)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		src, from, _ := s.Source("policy")
		if src == "file" && from == UserConfig() {
			from = "user"
		}
		if got := src + " " + from; got != tc.want {
			t.Errorf("%+v: source %q, want %q", tc, got, tc.want)
		}
	}
}

// TestSourceOfHeldLock: under an explicit --config that leaves a locked
// key out, the key's value and source are the system config's (it was
// reported as the default).
func TestSourceOfHeldLock(t *testing.T) {
	setup(t, "# system\nbackend = \"openssl\"\nlock = [\"backend\"]\n", "")
	explicit := filepath.Join(t.TempDir(), "explicit.toml")
	if err := os.WriteFile(explicit, []byte("fips = \"off\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(explicit, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if src, from, line := s.Source("backend"); s.Backend != "openssl" || src != "file" || from != SystemConfig || line != 2 {
		t.Errorf("backend %q from %s %s:%d, want openssl from file %s:2", s.Backend, src, from, line, SystemConfig)
	}
	if src, from, line := s.Source("fips"); src != "file" || from != explicit || line != 1 {
		t.Errorf("fips from %s %s:%d, want file %s:1", src, from, line, explicit)
	}
}

// TestTable: every key of the table is read from a file with its type
// (and refused with another), the system config can lock it exactly where
// the table says so, and the names it gives are unique.
func TestTable(t *testing.T) {
	var names, flags []string
	for _, k := range Keys() {
		if slices.Contains(names, k.Name) || (k.Flag != "" && slices.Contains(flags, k.Flag)) {
			t.Errorf("%s: name or flag %q twice", k.Name, k.Flag)
		}
		names, flags = append(names, k.Name), append(flags, k.Flag)
		// A file reads the key with a value of its type, and refuses
		// another type.
		good, bad := map[string]string{"string": `"x"`, "bool": "true", "strings": `["x"]`, "table": "{}"}[k.Type], "1"
		if k.Type == "bool" {
			bad = `"x"`
		}
		if k.Name == "pins" {
			good = `"optional"`
		}
		for _, v := range []string{good, bad} {
			file := filepath.Join(t.TempDir(), "c.toml")
			if err := os.WriteFile(file, []byte(k.Name+" = "+v+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadFile(file); (err == nil) != (v == good) {
				t.Errorf("%s = %s: %v", k.Name, v, err)
			}
		}
		// The system config locks it only where the table says so.
		setup(t, "lock = [\""+k.Name+"\"]\n", "")
		if _, err := Load("", nil, nil); (err == nil) != k.Lockable {
			t.Errorf("lock = [%q]: %v; lockable %v", k.Name, err, k.Lockable)
		}
		if got, ok := LookupKey(k.Name + ".sub"); !ok || got.Name != k.Name {
			t.Errorf("LookupKey(%q) = %v, %v", k.Name+".sub", got, ok)
		}
	}
	if len(configKeys) != len(names) {
		t.Errorf("config file keys %d, table %d", len(configKeys), len(names))
	}
	// Keys returns a copy.
	Keys()[0].Env[0] = "CHANGED"
	if k, _ := LookupKey("backend"); k.Env[0] != "RPMPGP_BACKEND" {
		t.Errorf("Keys shares the table: %v", k.Env)
	}
}

package settings

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// TestExplicitConfigKeepsLocks: an explicit --config replaces the system
// config, not its locks: a locked key the explicit file leaves out keeps
// the system config's value (it fell back to the built-in default, so
// --config of an empty file undid locked pins and FIPS).
func TestExplicitConfigKeepsLocks(t *testing.T) {
	setup(t, "backend = \"openssl\"\npins = \"required\"\nfips = \"require\"\ncall_timeout = \"5s\"\nlock = [\"backend\", \"pins\", \"fips\"]\n", "")
	empty := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var notes []string
	s, err := Load(empty, nil, func(n string) { notes = append(notes, n) })
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend != "openssl" || !s.PinsRequired || s.FIPS != core.FIPSRequire {
		t.Errorf("locked keys under --config: backend %q, pins required %v, fips %q; want openssl, true, require", s.Backend, s.PinsRequired, s.FIPS)
	}
	// An unlocked key is the explicit file's (here the default).
	if s.CallTimeout.String() != "1m0s" || len(notes) != 0 {
		t.Errorf("unlocked call_timeout %v, notes %q", s.CallTimeout, notes)
	}

	// Unlocked, a weakened FIPS requirement names the file that replaced
	// the system config.
	setup(t, "fips = \"require\"\n", "")
	notes = nil
	if _, err := Load(empty, nil, func(n string) { notes = append(notes, n) }); err != nil {
		t.Fatal(err)
	}
	want := "fips = \"require\" of the system config " + SystemConfig + " is overridden by --config " + empty + ", which replaces it (fips = \"auto\")"
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q, want %q", notes, want)
	}
}

// TestPolicyLockEnv: with the policy locked and no policy file configured,
// a crypto policy variable that changes what rpm-sequoia's search finds is
// refused, set but empty (the built-in defaults instead of the system
// policy file) and $SEQUOIA_CRYPTO_POLICY included; one that changes
// nothing is not.
func TestPolicyLockEnv(t *testing.T) {
	sysPolicy := policyconf.RPMSequoiaConfig
	fake := func(env map[string]string, files ...string) func() policyconf.Env {
		return func() policyconf.Env {
			return policyconf.Env{
				Getenv: func(name string) (string, bool) { v, ok := env[name]; return v, ok },
				ReadFile: func(path string) ([]byte, error) {
					for _, f := range files {
						if f == path {
							return []byte("[hash_algorithms]\nsha1 = \"never\"\n"), nil
						}
					}
					return nil, fs.ErrNotExist
				},
				Exists: func(path string) bool {
					for _, f := range files {
						if f == path {
							return true
						}
					}
					return false
				},
			}
		}
	}
	weak := "/srv/weak.toml"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		files   []string
		wantErr string
	}{
		{"empty variable over the system file", map[string]string{policyconf.EnvRPMSequoia: ""}, []string{sysPolicy},
			`; $RPM_SEQUOIA_CRYPTO_POLICY sets it to ""`},
		{"variable to another file", map[string]string{policyconf.EnvRPMSequoia: weak}, []string{sysPolicy, weak},
			`; $RPM_SEQUOIA_CRYPTO_POLICY sets it to "/srv/weak.toml"`},
		{"sequoia variable, no rpm-sequoia.config", map[string]string{policyconf.EnvSequoia: weak}, []string{weak},
			`; $SEQUOIA_CRYPTO_POLICY sets it to "/srv/weak.toml"`},
		{"sequoia variable under rpm-sequoia.config", map[string]string{policyconf.EnvSequoia: weak}, []string{sysPolicy, weak}, ""},
		{"empty variable, no policy file anywhere", map[string]string{policyconf.EnvRPMSequoia: ""}, nil, ""},
		{"variable to the system file", map[string]string{policyconf.EnvRPMSequoia: sysPolicy}, []string{sysPolicy}, ""},
		{"missing file", map[string]string{policyconf.EnvRPMSequoia: "/nonexistent.toml"}, []string{sysPolicy},
			`; $RPM_SEQUOIA_CRYPTO_POLICY sets it to "/nonexistent.toml"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t, "lock = [\"policy\"]\n", "")
			saved := policyEnv
			policyEnv = fake(tc.env, tc.files...)
			t.Cleanup(func() { policyEnv = saved })
			_, err := Load("", nil, nil)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want one ending in %q", err, tc.wantErr)
			}
		})
	}
}

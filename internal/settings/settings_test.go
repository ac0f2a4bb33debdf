package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// setup points the system and user config at files of the test.
func setup(t *testing.T, system, user string) {
	t.Helper()
	dir := t.TempDir()
	sys := filepath.Join(dir, "system.toml")
	if system != "" {
		if err := os.WriteFile(sys, []byte(system), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	saved := SystemConfig
	SystemConfig = sys
	t.Cleanup(func() { SystemConfig = saved })
	t.Setenv("XDG_CONFIG_HOME", dir)
	if user != "" {
		if err := os.MkdirAll(filepath.Join(dir, "rpmpgp"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "rpmpgp", "config.toml"), []byte(user), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, env := range []string{"RPMPGP_BACKEND", "RPMPGP_FIPS", "RPMPGP_PLUGIN_DIR"} {
		t.Setenv(env, "")
	}
}

func TestLoad(t *testing.T) {
	setup(t, "backend = \"openssl\"\ncall_timeout = \"5s\"\npins = \"required\"\n[plugins.checksums]\nopenssl = \"ab\"\n", "fips = \"off\"\n")
	s, _, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend != "openssl" || s.FIPS != core.FIPSMode("off") || s.CallTimeout != 5*time.Second || !s.PinsRequired || s.Checksums["openssl"] != "ab" || len(s.ConfigFiles) != 2 {
		t.Errorf("settings = %+v", s)
	}
	t.Setenv("RPMPGP_BACKEND", "internal-legacy")
	if s, _, err = Load("", nil); err != nil || s.Backend != "internal-legacy" {
		t.Errorf("$RPMPGP_BACKEND: %+v %v", s, err)
	}
}

func TestLoadDefaults(t *testing.T) {
	setup(t, "", "")
	s, _, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend != DefaultBackend || s.FIPS != core.FIPSMode("auto") || s.CallTimeout != time.Minute || s.PinsRequired || len(s.ConfigFiles) != 0 {
		t.Errorf("settings = %+v", s)
	}
}

func TestLocks(t *testing.T) {
	const sys = "backend = \"openssl\"\nfips = \"require\"\nlock = [\"backend\", \"fips\", \"keystore\"]\n"
	for _, tc := range []struct {
		name, user, envBackend, wantErr string
	}{
		{"same values", "backend = \"openssl\"\n", "openssl", ""},
		{"environment", "", "gocrypto", `backend is locked by the system config`},
		{"user config", "fips = \"off\"\n", "", `fips is locked by the system config`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t, sys, tc.user)
			if tc.envBackend != "" {
				t.Setenv("RPMPGP_BACKEND", tc.envBackend)
			}
			_, _, err := Load("", nil)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadRefusesBadValues(t *testing.T) {
	for _, user := range []string{"fips = \"maybe\"\n", "call_timeout = \"-1s\"\n", "fips = \"\"\n"} {
		setup(t, "", user)
		if _, _, err := Load("", nil); err == nil {
			t.Errorf("%q: no error", user)
		}
	}
}

package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/readlimit"
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
	for _, env := range []string{"RPMPGP_BACKEND", "RPMPGP_FIPS", "RPMPGP_PLUGIN_DIR", "RPMPGP_ROOT", "RPM_SEQUOIA_CRYPTO_POLICY"} {
		t.Setenv(env, "")
	}
}

// pin is a well-formed pinned checksum (64 hex digits).
var pin = strings.Repeat("0", 64)

func TestLoad(t *testing.T) {
	setup(t, "backend = \"openssl\"\ncall_timeout = \"5s\"\npins = \"required\"\n[plugins.checksums]\nopenssl = \""+pin+"\"\n", "fips = \"off\"\n")
	s, err := Load("", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend != "openssl" || s.FIPS != core.FIPSMode("off") || s.CallTimeout != 5*time.Second || !s.PinsRequired || s.Checksums["openssl"] != pin || len(s.ConfigFiles) != 2 {
		t.Errorf("settings = %+v", s)
	}
	t.Setenv("RPMPGP_BACKEND", "internal-legacy")
	if s, err = Load("", nil, nil); err != nil || s.Backend != "internal-legacy" {
		t.Errorf("$RPMPGP_BACKEND: %+v %v", s, err)
	}
}

func TestLoadDefaults(t *testing.T) {
	setup(t, "", "")
	s, err := Load("", nil, nil)
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
			_, err := Load("", nil, nil)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadRefusesBadValues(t *testing.T) {
	for _, user := range []string{"fips = \"maybe\"\n", "call_timeout = \"-1s\"\n", "fips = \"\"\n"} {
		setup(t, "", user)
		if _, err := Load("", nil, nil); err == nil {
			t.Errorf("%q: no error", user)
		}
	}
}

// TestStrictFiles: every config file is read strictly and bounded, whoever
// loads it; a pin typo is an error naming the key meant, not a backend
// left unpinned. The error names the file.
func TestStrictFiles(t *testing.T) {
	for _, tc := range []struct{ name, user, want string }{
		{"pin typo", "[plugins.checksums]\ngocrpyto = \"" + pin + "\"\n", `unknown backend "gocrpyto" in [plugins.checksums] (did you mean "gocrypto"?)`},
		{"section typo", "[plugins.checksum]\ngocrypto = \"" + pin + "\"\n", `unknown section "plugins.checksum" (did you mean "plugins.checksums"?)`},
		{"key typo", "call_timout = \"5s\"\n", `unknown key "call_timout" (did you mean "call_timeout"?)`},
		{"short pin", "[plugins.checksums]\ngocrypto = \"ab\"\n", `plugins.checksums.gocrypto = "ab": expected a hex SHA-256 (64 hex digits)`},
		{"pins value", "pins = \"require\"\n", `pins = "require": expected "required" or "optional"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t, "", tc.user)
			_, err := Load("", nil, nil)
			want := "config " + UserConfig() + ": " + tc.want
			if err == nil || err.Error() != want {
				t.Errorf("err = %v, want %q", err, want)
			}
		})
	}
}

// TestBoundedRead: a config file is read through a limit, not trusted
// from stat: a device without a size is refused at maxConfigFile bytes.
func TestBoundedRead(t *testing.T) {
	setup(t, "", "")
	_, err := Load("/dev/zero", nil, nil)
	if !errors.Is(err, readlimit.ErrTooLarge) || !strings.HasPrefix(err.Error(), "reading config: /dev/zero") {
		t.Fatalf("err = %v, want a bounded-read error naming /dev/zero", err)
	}
}

package preload

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/internal/settings"
)

// TestPinTypoRefused: the library loads its settings with the CLI's strict
// loader, so a mistyped pin in the user's config (which would otherwise
// leave the backend unpinned) refuses to start any backend, naming the key
// meant; every call then fails closed.
func TestPinTypoRefused(t *testing.T) {
	pin := strings.Repeat("0", 64)
	for _, tc := range []struct {
		name, config, want string
	}{
		{"backend name", "[plugins.checksums]\ngocrpyto = \"" + pin + "\"\n",
			`unknown backend "gocrpyto" in [plugins.checksums] (did you mean "gocrypto"?)`},
		{"section", "[plugin.checksums]\ngocrypto = \"" + pin + "\"\n",
			`unknown section "plugin.checksums" (did you mean "plugins.checksums"?)`},
		{"key", "backnd = \"openssl\"\n", `unknown key "backnd" (did you mean "backend"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			saved := settings.SystemConfig
			settings.SystemConfig = filepath.Join(dir, "system.toml") // absent
			t.Cleanup(func() { settings.SystemConfig = saved })
			t.Setenv("XDG_CONFIG_HOME", dir)
			t.Setenv("RPMPGP_PLUGIN_DIR", t.TempDir())
			for _, env := range []string{"RPMPGP_BACKEND", "RPMPGP_FIPS", "RPMPGP_ROOT", "RPM_SEQUOIA_CRYPTO_POLICY"} {
				t.Setenv(env, "")
			}
			user := filepath.Join(dir, "rpmpgp", "config.toml")
			if err := os.MkdirAll(filepath.Dir(user), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(user, []byte(tc.config), 0o644); err != nil {
				t.Fatal(err)
			}
			Shutdown()
			var buf bytes.Buffer
			session.Lock()
			session.stderr = &buf
			session.Unlock()
			t.Cleanup(func() {
				Shutdown()
				session.Lock()
				session.stderr = nil
				session.Unlock()
			})
			want := "settings: config " + user + ": " + tc.want
			if _, err := Get(); err == nil || err.Error() != want {
				t.Fatalf("Get: %v, want %q", err, want)
			}
			if got, wantOut := buf.String(), "rpmpgp-preload: "+want+"; every OpenPGP operation of this process fails\n"; got != wantOut {
				t.Errorf("stderr = %q, want %q", got, wantOut)
			}
		})
	}
}

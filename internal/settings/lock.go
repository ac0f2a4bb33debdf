package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/viper"
)

// A system config can lock keys: lock = ["backend", "fips", ...]. The value
// of a locked key is the system config's (or the default), and any later
// source that changes it is refused, as the CLI refuses it
// (cmd/rpmpgp/lock.go). Here the final values are compared with the system
// config's, which covers every later source at once.

// checkLocks refuses settings s whose locked keys differ from the system
// config's values.
func checkLocks(s *Settings) error {
	if _, err := os.Stat(SystemConfig); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	sys := viper.New()
	sys.SetConfigType("toml")
	sys.SetConfigFile(SystemConfig)
	sys.SetDefault("backend", DefaultBackend)
	sys.SetDefault("fips", "auto")
	sys.SetDefault("call_timeout", "60s")
	if err := sys.ReadInConfig(); err != nil {
		return fmt.Errorf("reading config %s: %w", SystemConfig, err)
	}
	clean := func(p string) string {
		if p == "" {
			return p
		}
		return filepath.Clean(p)
	}
	for _, key := range sys.GetStringSlice("lock") {
		var want, got string
		switch key {
		case "backend":
			want, got = sys.GetString(key), s.Backend
		case "fips":
			want, got = sys.GetString(key), string(s.FIPS)
		case "policy":
			want, got = clean(sys.GetString(key)), clean(s.Policy)
		case "plugin_dir":
			want, got = clean(sys.GetString(key)), clean(s.PluginDir)
			// $RPMPGP_PLUGIN_DIR is searched before plugin_dir.
			if env := os.Getenv("RPMPGP_PLUGIN_DIR"); env != "" && clean(env) != want {
				got = env
			}
		case "call_timeout":
			want, got = sys.GetString(key), s.CallTimeout.String()
			if d, err := parseDuration(want); err == nil {
				want = d
			}
		case "pins":
			want, got = sys.GetString(key), "optional"
			if want == "" {
				want = "optional"
			}
			if s.PinsRequired {
				got = "required"
			}
		case "plugins", "plugins.checksums":
			want, got = fmt.Sprint(sys.GetStringMapString("plugins.checksums")), fmt.Sprint(s.Checksums)
		default:
			continue // keys of the CLI only (keystore, root, ...)
		}
		if want != got {
			return fmt.Errorf("%s is locked by the system config %s (%s = %q); the environment or the user's config sets it to %q",
				key, SystemConfig, key, want, got)
		}
	}
	return nil
}

// parseDuration normalises a duration's spelling ("60s" and "1m" match).
func parseDuration(s string) (string, error) {
	d, err := time.ParseDuration(s)
	return d.String(), err
}

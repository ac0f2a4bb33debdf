package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/rpmpgp/rpmpgp/core"
)

// settings is the deployment configuration: flags over environment over
// config files (viper), read once per command.
type settings struct {
	Backend     string
	PluginDir   string // from --plugin-dir or the config file; $RPMPGP_PLUGIN_DIR is searched first
	Policy      string
	FIPS        core.FIPSMode // reaches the backend only in Init (core.Options.FIPS)
	CallTimeout time.Duration
	Checksums   map[string]string
	ConfigFiles []string
	// PinsRequired (pins = "required") refuses a backend without an entry
	// in Checksums.
	PinsRequired bool
	// Locks are the keys the system config locks (lock.go).
	Locks    []string
	Keystore keystoreSettings // keystore.go
	// backendFrom names the source that chose Backend when it was the
	// environment or the user's config ("$RPMPGP_BACKEND", "config PATH"),
	// else "".
	backendFrom string
	// stderr receives the notes of loading and opening.
	stderr io.Writer
}

// defaultBackend is used when nothing selects one.
const defaultBackend = "gocrypto"

// systemConfig and userConfig are the config files read when --config is
// not given (user settings override system ones). The system config's
// locks hold even under --config. A variable only so that tests can point
// it at a file of their own; nothing else sets it.
var systemConfig = "/etc/rpmpgp/config.toml"

// readOptionalConfig reads a config file that may be missing (nil, nil).
func readOptionalConfig(path string) (map[string]any, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return readConfigFile(path)
}

func userConfig() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "rpmpgp", "config.toml")
}

// addGlobalFlags registers the flags shared by every command.
func addGlobalFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: /etc/rpmpgp/config.toml, then $XDG_CONFIG_HOME/rpmpgp/config.toml)")
	f.String("backend", "", "crypto backend: gocrypto, openssl, internal-legacy (env RPMPGP_BACKEND; default gocrypto)")
	f.String("plugin-dir", "", "directory with rpmpgp-backend-* binaries (env RPMPGP_PLUGIN_DIR)")
	f.String("policy", "", "crypto policy file (default: rpm-sequoia's search order)")
	f.String("fips", "", `FIPS mode for backends that support it: "auto", "require" or "off"`)
}

// loadSettings resolves the configuration for cmd.
func loadSettings(cmd *cobra.Command) (*settings, error) {
	v := viper.New()
	v.SetConfigType("toml")
	v.SetDefault("backend", defaultBackend)
	v.SetDefault("fips", "auto")
	v.SetDefault("call_timeout", "60s")
	s := &settings{}
	explicit, _ := cmd.Flags().GetString("config")
	sys, err := readOptionalConfig(systemConfig)
	if err != nil {
		return nil, configError(err)
	}
	locks, err := readLocks(sys, systemConfig)
	if err != nil {
		return nil, configError(err)
	}
	var files []string
	var maps []map[string]any
	if explicit != "" {
		m, err := readConfigFile(explicit)
		if err != nil {
			return nil, configError(err)
		}
		files, maps = []string{explicit}, []map[string]any{m}
	} else {
		if sys != nil {
			files, maps = []string{systemConfig}, []map[string]any{sys}
		}
		if path := userConfig(); path != "" {
			m, err := readOptionalConfig(path)
			if err != nil {
				return nil, configError(err)
			}
			if m != nil {
				files, maps = append(files, path), append(maps, m)
			}
		}
	}
	var later []string
	var laterMaps []map[string]any
	for i, m := range maps {
		if files[i] == systemConfig {
			continue
		}
		if _, ok := m["lock"]; ok {
			return nil, configError(fmt.Errorf("config %s: lock: only the system config %s can lock settings", files[i], systemConfig))
		}
		later, laterMaps = append(later, files[i]), append(laterMaps, m)
	}
	if err := checkLocks(cmd, sys, systemConfig, locks, later, laterMaps); err != nil {
		return nil, configError(err)
	}
	for _, m := range maps {
		if err := v.MergeConfigMap(m); err != nil {
			return nil, configError(err)
		}
	}
	s.ConfigFiles = files
	s.Locks = locks
	s.stderr = cmd.ErrOrStderr()
	// Who chose the backend, when it was not the command line or the
	// system config: openBackend says which binary that is.
	if from := sourceOf(cmd, "backend", later, laterMaps); from != "" && !strings.HasPrefix(from, "--") && from != "config "+explicit {
		s.backendFrom = from
	}
	_ = v.BindEnv("backend", "RPMPGP_BACKEND")
	_ = v.BindEnv("fips", "RPMPGP_FIPS")
	for key, flag := range map[string]string{"backend": "backend", "plugin_dir": "plugin-dir", "policy": "policy", "fips": "fips"} {
		if f := cmd.Flags().Lookup(flag); f != nil {
			_ = v.BindPFlag(key, f)
		}
	}
	s.Backend = v.GetString("backend")
	s.PluginDir = v.GetString("plugin_dir")
	s.Policy = v.GetString("policy")
	// An explicit "" is refused too: the zero value means auto only where
	// nothing was said.
	fips := v.GetString("fips")
	if s.FIPS, err = core.ParseFIPSMode(fips); err != nil || fips == "" {
		if f := cmd.Flags().Lookup("fips"); f != nil && f.Changed {
			// A bad flag value is a usage error; from a file or the
			// environment, rpmpgp refuses to run.
			return nil, usageErrorf(`--fips %q: expected "auto", "require" or "off"`, fips)
		}
		return nil, configError(fmt.Errorf(`fips = %q: expected "auto", "require" or "off"`, fips))
	}
	// Weakening the system's FIPS requirement is never silent (locked, it
	// was refused above).
	if sys["fips"] == "require" && fips != "require" {
		warningf(s.stderr, "fips = \"require\" of the system config %s is overridden by %s (fips = %q)",
			systemConfig, sourceOf(cmd, "fips", later, laterMaps), fips)
	}
	d, err := time.ParseDuration(v.GetString("call_timeout"))
	if err != nil || d <= 0 {
		return nil, configError(fmt.Errorf("call_timeout = %q: expected a positive duration such as \"60s\"", v.GetString("call_timeout")))
	}
	s.CallTimeout = d
	s.Checksums = v.GetStringMapString("plugins.checksums")
	s.PinsRequired = v.GetString("pins") == pinsRequired
	if s.Keystore, err = readKeystoreSettings(v, cmd); err != nil {
		return nil, configError(err)
	}
	return s, nil
}

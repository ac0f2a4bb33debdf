// Package settings resolves the backend settings of the rpm 4.18 preload
// library (capi/) from rpmpgp's config files and environment: backend,
// plugin directory, crypto policy, FIPS mode, call timeout, pinned backend
// checksums, pins = "required" and the system config's locks on those keys,
// with the same files, keys, variables and defaults as the rpmpgp CLI.
//
// The CLI's own loader (cmd/rpmpgp: config.go, configfile.go, lock.go) does
// more (strict key checking with suggestions, notes on who chose the
// backend, keystore keys) and is not built on this package yet; the two
// must be kept in step until it moves here.
package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/rpmpgp/rpmpgp/core"
)

// Settings is the deployment configuration: flags over environment over
// config files (viper), read once per command.
type Settings struct {
	Backend     string
	PluginDir   string // from --plugin-dir or the config file; $RPMPGP_PLUGIN_DIR is searched first
	Policy      string
	FIPS        core.FIPSMode // reaches the backend only in Init (core.Options.FIPS)
	CallTimeout time.Duration
	Checksums   map[string]string
	// PinsRequired (pins = "required") refuses a backend without an entry
	// in Checksums.
	PinsRequired bool
	ConfigFiles  []string
}

// DefaultBackend is used when nothing selects one.
const DefaultBackend = "gocrypto"

// SystemConfig is the system-wide config file, read (when it exists) before
// [UserConfig] unless an explicit config file is given; its locks hold
// always. A variable only so that tests can point it at a file of their
// own; nothing else sets it.
var SystemConfig = "/etc/rpmpgp/config.toml"

// UserConfig returns the user's config file ($XDG_CONFIG_HOME/rpmpgp/
// config.toml, else ~/.config/rpmpgp/config.toml; "" without a home).
func UserConfig() string {
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

// Load resolves the settings. explicit is the --config file ("" reads
// [SystemConfig] then [UserConfig], the user's values winning); flags, when
// not nil, are bound over the environment ($RPMPGP_BACKEND, $RPMPGP_FIPS)
// under the names backend, plugin-dir, policy and fips. A key the system
// config locks (lock = [...]) that a later source sets to another value is
// an error ([checkLocks]). It also returns the viper instance, for callers
// that read more keys from the same sources.
func Load(explicit string, flags *pflag.FlagSet) (*Settings, *viper.Viper, error) {
	v := viper.New()
	v.SetConfigType("toml")
	v.SetDefault("backend", DefaultBackend)
	v.SetDefault("fips", "auto")
	v.SetDefault("call_timeout", "60s")
	s := &Settings{}
	if explicit != "" {
		v.SetConfigFile(explicit)
		if err := v.ReadInConfig(); err != nil {
			return nil, nil, fmt.Errorf("reading config %s: %w", explicit, err)
		}
		s.ConfigFiles = append(s.ConfigFiles, explicit)
	} else {
		for _, path := range []string{SystemConfig, UserConfig()} {
			if path == "" {
				continue
			}
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				continue
			}
			v.SetConfigFile(path)
			if err := v.MergeInConfig(); err != nil {
				return nil, nil, fmt.Errorf("reading config %s: %w", path, err)
			}
			s.ConfigFiles = append(s.ConfigFiles, path)
		}
	}
	_ = v.BindEnv("backend", "RPMPGP_BACKEND")
	_ = v.BindEnv("fips", "RPMPGP_FIPS")
	if flags != nil {
		for key, flag := range map[string]string{"backend": "backend", "plugin_dir": "plugin-dir", "policy": "policy", "fips": "fips"} {
			if f := flags.Lookup(flag); f != nil {
				_ = v.BindPFlag(key, f)
			}
		}
	}
	s.Backend = v.GetString("backend")
	s.PluginDir = v.GetString("plugin_dir")
	s.Policy = v.GetString("policy")
	// An explicit "" is refused too: the zero value means auto only where
	// nothing was said.
	fips := v.GetString("fips")
	var err error
	if s.FIPS, err = core.ParseFIPSMode(fips); err != nil || fips == "" {
		return nil, nil, fmt.Errorf(`fips = %q: expected "auto", "require" or "off"`, fips)
	}
	d, err := time.ParseDuration(v.GetString("call_timeout"))
	if err != nil || d <= 0 {
		return nil, nil, fmt.Errorf("call_timeout = %q: expected a positive duration such as \"60s\"", v.GetString("call_timeout"))
	}
	s.CallTimeout = d
	s.Checksums = v.GetStringMapString("plugins.checksums")
	s.PinsRequired = v.GetString("pins") == "required"
	if err := checkLocks(s); err != nil {
		return nil, nil, err
	}
	return s, v, nil
}

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	Keystore    keystoreSettings // keystore.go
}

// defaultBackend is used when nothing selects one.
const defaultBackend = "gocrypto"

// systemConfig and userConfig are the config files read when --config is
// not given (user settings override system ones).
const systemConfig = "/etc/rpmpgp/config.toml"

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
	if explicit != "" {
		v.SetConfigFile(explicit)
		if err := v.ReadInConfig(); err != nil {
			return nil, configError(fmt.Errorf("reading config %s: %w", explicit, err))
		}
		s.ConfigFiles = append(s.ConfigFiles, explicit)
	} else {
		for _, path := range []string{systemConfig, userConfig()} {
			if path == "" {
				continue
			}
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				continue
			}
			v.SetConfigFile(path)
			if err := v.MergeInConfig(); err != nil {
				return nil, configError(fmt.Errorf("reading config %s: %w", path, err))
			}
			s.ConfigFiles = append(s.ConfigFiles, path)
		}
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
	var err error
	if s.FIPS, err = core.ParseFIPSMode(fips); err != nil || fips == "" {
		return nil, configError(fmt.Errorf(`fips = %q: expected "auto", "require" or "off"`, fips))
	}
	d, err := time.ParseDuration(v.GetString("call_timeout"))
	if err != nil || d <= 0 {
		return nil, configError(fmt.Errorf("call_timeout = %q: expected a positive duration such as \"60s\"", v.GetString("call_timeout")))
	}
	s.CallTimeout = d
	s.Checksums = v.GetStringMapString("plugins.checksums")
	if s.Keystore, err = readKeystoreSettings(v, cmd); err != nil {
		return nil, configError(err)
	}
	return s, nil
}

// Package settings is rpmpgp's one configuration loader, used by the CLI
// (cmd/rpmpgp) and by the rpm 4.18 preload library (capi/): the config
// files (the system's, then the user's, or an explicit one), their strict
// keys (an unknown key or section is an error naming the key that was
// probably meant), bounded reads, the system config's locks, the
// environment, the flags, the defaults and the precedence among them
// (flag over environment over the user's file over the system's over the
// default, through viper).
package settings

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	// ConfigFiles are the config files read, in the order they apply.
	ConfigFiles []string
	// PinsRequired (pins = "required") refuses a backend without an entry
	// in Checksums.
	PinsRequired bool
	// Locks are the keys the system config locks (lock.go).
	Locks []string
	// BackendFrom names the source that chose Backend when it was the
	// environment or the user's config ("$RPMPGP_BACKEND", "config PATH"),
	// else "".
	BackendFrom string
	// PluginDirFrom names the user's config file that set PluginDir
	// ("config PATH"), else "" (the command line, an explicit --config,
	// the system config or nothing). [Settings.ChoiceNote] uses it.
	PluginDirFrom string
	// Keystore keys (root, dbpath, keystore, keyringpath, system_keys),
	// as set; the keystore package checks and resolves them.
	Root, DBPath, KeystoreKind, KeyringPath string
	// SystemKeys is false when --no-system-keys or system_keys = false
	// says to use only the given keyrings.
	SystemKeys bool
	// Resident (resident = true, --resident, $RPMPGP_RESIDENT) lets
	// backends stay running for later commands of the same user
	// (plugin.LoadConfig.Resident). Off by default.
	Resident bool

	// flags and files are the sources, for [Settings.Source].
	flags *pflag.FlagSet
	files []map[string]any
	// held are the system config's values of its locked keys that an
	// explicit --config leaves in force (the system config is not one of
	// ConfigFiles then).
	held map[string]any
}

// DefaultBackend is used when nothing selects one.
const DefaultBackend = "gocrypto"

// SystemConfig is the system-wide config file, read (when it exists) before
// [UserConfig] unless an explicit config file is given; its locks hold
// always, even under an explicit config file. A variable only so that
// tests can point it at a file of their own; nothing else sets it.
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

// FlagError is a bad value given by a flag (a usage error, where the same
// value from a file or the environment is a configuration error).
type FlagError struct{ msg string }

// Error returns the message.
func (e *FlagError) Error() string { return e.msg }

// readOptional reads a config file that may be missing (nil, nil).
func readOptional(path string) (map[string]any, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return ReadFile(path)
}

// changedFlag returns the flag name of flags when it was given, else nil
// (flags may be nil).
func changedFlag(flags *pflag.FlagSet, name string) *pflag.Flag {
	if flags == nil {
		return nil
	}
	if f := flags.Lookup(name); f != nil && f.Changed {
		return f
	}
	return nil
}

// Load resolves the settings. explicit is the --config file ("" reads
// [SystemConfig] then [UserConfig], the user's values winning); flags,
// when not nil, are bound over the environment under the names the table
// of settings gives (keys.go: backend, plugin-dir, policy, fips, root,
// dbpath, keystore, keyringpath and no-system-keys). Every file is read
// strictly and bounded ([ReadFile]). A key the system config locks (lock = [...]) that a later source sets to
// another value is an error. warn, when not nil, receives the notes of
// loading (a weakened FIPS requirement of the system config). A bad
// --fips is a [*FlagError].
func Load(explicit string, flags *pflag.FlagSet, warn func(string)) (*Settings, error) {
	v := viper.New()
	v.SetConfigType("toml")
	for _, k := range keys {
		if k.Default != nil {
			v.SetDefault(k.Name, k.Default)
		}
	}
	s := &Settings{flags: flags}
	sys, err := readOptional(SystemConfig)
	if err != nil {
		return nil, err
	}
	locks, err := readLocks(sys, SystemConfig)
	if err != nil {
		return nil, err
	}
	var files []string
	var maps []map[string]any
	if explicit != "" {
		m, err := ReadFile(explicit)
		if err != nil {
			return nil, err
		}
		files, maps = []string{explicit}, []map[string]any{m}
	} else {
		if sys != nil {
			files, maps = []string{SystemConfig}, []map[string]any{sys}
		}
		if path := UserConfig(); path != "" {
			m, err := readOptional(path)
			if err != nil {
				return nil, err
			}
			if m != nil {
				files, maps = append(files, path), append(maps, m)
			}
		}
	}
	var later []string
	var laterMaps []map[string]any
	for i, m := range maps {
		if files[i] == SystemConfig {
			continue
		}
		if _, ok := m["lock"]; ok {
			return nil, fmt.Errorf("config %s: lock: only the system config %s can lock settings", files[i], SystemConfig)
		}
		later, laterMaps = append(later, files[i]), append(laterMaps, m)
	}
	if err := checkLocks(flags, sys, SystemConfig, locks, later, laterMaps); err != nil {
		return nil, err
	}
	// An explicit --config replaces the system config, but not its locks:
	// a locked key keeps the system config's value even where the
	// explicit file leaves the key out (checkLocks refused the file if it
	// set another value).
	if explicit != "" && len(locks) > 0 {
		held := map[string]any{}
		for _, k := range locks {
			if v, ok := sys[k]; ok {
				held[k] = v
			}
		}
		if err := v.MergeConfigMap(held); err != nil {
			return nil, err
		}
		s.held = held
	}
	for _, m := range maps {
		if err := v.MergeConfigMap(m); err != nil {
			return nil, err
		}
	}
	s.ConfigFiles, s.files = files, maps
	s.Locks = locks
	// Who chose the backend, when it was not the command line or the
	// system config: the caller says which binary that is.
	if from := sourceOf(flags, "backend", later, laterMaps); from != "" && !strings.HasPrefix(from, "--") && from != "config "+explicit {
		s.BackendFrom = from
	}
	// Likewise the plugin directory, when a user's config set it and no
	// flag overrides it ($RPMPGP_PLUGIN_DIR is searched before it, see
	// ChoiceNote).
	if changedFlag(flags, "plugin-dir") == nil {
		for i := len(laterMaps) - 1; i >= 0; i-- {
			if _, ok := laterMaps[i]["plugin_dir"]; ok {
				if later[i] != explicit {
					s.PluginDirFrom = "config " + later[i]
				}
				break
			}
		}
	}
	// Viper applies the flags over the variables that rank over the
	// files; the others are searched by their users (keys.go). An
	// inverting flag is applied below.
	for _, k := range keys {
		if k.Rank == EnvOverFiles && len(k.Env) > 0 {
			_ = v.BindEnv(append([]string{k.Name}, k.Env...)...)
		}
		if flags != nil && k.Flag != "" && !k.FlagInverts {
			if f := flags.Lookup(k.Flag); f != nil {
				_ = v.BindPFlag(k.Name, f)
			}
		}
	}
	s.Backend = v.GetString("backend")
	s.PluginDir = v.GetString("plugin_dir")
	s.Policy = v.GetString("policy")
	// An explicit "" is refused too: the zero value means auto only where
	// nothing was said.
	fips := v.GetString("fips")
	if s.FIPS, err = core.ParseFIPSMode(fips); err != nil || fips == "" {
		if changedFlag(flags, "fips") != nil {
			// A bad flag value is a usage error; from a file or the
			// environment, rpmpgp refuses to run.
			return nil, &FlagError{fmt.Sprintf(`--fips %q: expected "auto", "require" or "off"`, fips)}
		}
		return nil, fmt.Errorf(`fips = %q: expected "auto", "require" or "off"`, fips)
	}
	// Weakening the system's FIPS requirement is never silent (locked, it
	// was refused above).
	if sys["fips"] == "require" && fips != "require" && warn != nil {
		by := sourceOf(flags, "fips", later, laterMaps)
		if by == "" {
			by = "--config " + explicit + ", which replaces it"
		}
		warn(fmt.Sprintf("fips = \"require\" of the system config %s is overridden by %s (fips = %q)",
			SystemConfig, by, fips))
	}
	d, err := time.ParseDuration(v.GetString("call_timeout"))
	if err != nil || d <= 0 {
		return nil, fmt.Errorf("call_timeout = %q: expected a positive duration such as \"60s\"", v.GetString("call_timeout"))
	}
	s.CallTimeout = d
	s.Checksums = v.GetStringMapString("plugins.checksums")
	s.PinsRequired = v.GetString("pins") == PinsRequired
	s.Root = v.GetString("root")
	s.DBPath = v.GetString("dbpath")
	s.KeystoreKind = v.GetString("keystore")
	s.KeyringPath = v.GetString("keyringpath")
	s.SystemKeys = v.GetBool("system_keys")
	if k, _ := LookupKey("system_keys"); k.flagSet(flags) {
		s.SystemKeys = false
	}
	// A value viper cannot read as a boolean would silently mean false.
	if env := os.Getenv("RPMPGP_RESIDENT"); env != "" && changedFlag(flags, "resident") == nil {
		if _, err := strconv.ParseBool(env); err != nil {
			return nil, fmt.Errorf("$RPMPGP_RESIDENT = %q: expected true or false", env)
		}
	}
	s.Resident = v.GetBool("resident")
	return s, nil
}

package settings

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/rpmpgp/rpmpgp/policyconf"
)

// A system config can lock settings: lock = ["backend", "fips", ...]. The
// value of a locked key is the system config's (or the default when it does
// not set the key), and any later source — an explicit --config file, the
// user's config file, the environment or a flag — that sets it to another
// value makes rpmpgp refuse to run, naming the key and the system file.
// Setting it to the same value is allowed.

// lockable returns the entry of the table of settings (keys.go) for a key
// the system config may lock.
func lockable(name string) (Key, bool) {
	for _, k := range keys {
		if k.Name == name && k.Lockable {
			return k, true
		}
	}
	return Key{}, false
}

// readLocks returns the keys the system config sys locks.
func readLocks(sys map[string]any, sysPath string) ([]string, error) {
	raw, _ := sys["lock"].([]any)
	var locks []string
	for _, e := range raw {
		k := e.(string) // checkConfig checked the type
		if k == "plugins.checksums" {
			k = "plugins"
		}
		if _, ok := lockable(k); !ok {
			var all []string
			for _, l := range keys {
				if l.Lockable {
					all = append(all, l.Name)
				}
			}
			msg := fmt.Sprintf("config %s: lock: unknown key %q", sysPath, k)
			if near := closest(k, all); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			return nil, fmt.Errorf("%s", msg)
		}
		if !slices.Contains(locks, k) {
			locks = append(locks, k)
		}
	}
	return locks, nil
}

// lockedValue is the value a locked key keeps.
func lockedValue(sys map[string]any, key string) any {
	if v, ok := sys[key]; ok {
		return v
	}
	k, _ := LookupKey(key)
	return k.Default
}

// sameValue compares a config value with another source's; paths compare
// cleaned.
func sameValue(key string, a, b any) bool {
	sa, sb := fmt.Sprint(a), fmt.Sprint(b)
	if a == nil {
		sa = ""
	}
	if b == nil {
		sb = ""
	}
	if k, ok := LookupKey(key); ok && k.Type == "bool" {
		// "1" from the environment is true.
		if ba, err := strconv.ParseBool(sa); err == nil {
			sa = strconv.FormatBool(ba)
		}
		if bb, err := strconv.ParseBool(sb); err == nil {
			sb = strconv.FormatBool(bb)
		}
	}
	if key == "plugin_dir" || key == "policy" || key == "root" || key == "dbpath" || key == "keyringpath" {
		if sa != "" && sb != "" {
			sa, sb = filepath.Clean(sa), filepath.Clean(sb)
		}
	}
	return sa == sb
}

// checkLocks refuses any source after the system config that changes a
// locked key: later config files (path and parsed contents), the
// environment and the flags (nil: none).
func checkLocks(flags *pflag.FlagSet, sys map[string]any, sysPath string, locks []string, later []string, laterMaps []map[string]any) error {
	refuse := func(key, by string, v any) error {
		return fmt.Errorf("%s is locked by the system config %s (%s = %v); %s sets it to %v",
			key, sysPath, key, quoteValue(lockedValue(sys, key)), by, quoteValue(v))
	}
	for _, key := range locks {
		want := lockedValue(sys, key)
		for i, m := range laterMaps {
			if v, ok := m[key]; ok && !sameValue(key, want, v) {
				return refuse(key, "config "+later[i], v)
			}
		}
		src, _ := lockable(key)
		if src.Rank == EnvUnderFiles {
			// The crypto policy variables only count where no policy
			// file is configured, and then as they change what
			// rpm-sequoia's search finds.
			if want == nil || fmt.Sprint(want) == "" {
				if env, v, changed := policyEnvChanges(); changed {
					return refuse(key, "$"+env, v)
				}
			}
		} else {
			for _, env := range src.Env {
				v := os.Getenv(env)
				if v == "" {
					continue
				}
				// $RPMPGP_PLUGIN_DIR is searched before plugin_dir
				// (EnvSearchedFirst), so it always counts.
				if !sameValue(key, want, v) {
					return refuse(key, "$"+env, v)
				}
			}
		}
		if src.Flag == "" {
			continue
		}
		f := changedFlag(flags, src.Flag)
		if f == nil {
			continue
		}
		var v any = f.Value.String()
		if src.FlagInverts {
			if f.Value.String() != "true" {
				continue
			}
			v = false
		}
		if !sameValue(key, want, v) {
			return refuse(key, "--"+src.Flag, v)
		}
	}
	return nil
}

// policyEnv is the process's environment and files as the crypto policy
// search sees them (tests replace it).
var policyEnv = policyconf.OSEnv

// policyEnvChanges reports whether the crypto policy variables change the
// policy rpm-sequoia's search finds (policyconf.Locate), naming the
// variable and its value. A variable counts when it is set at all: set but
// empty, it means the built-in defaults instead of the system's policy
// file; $SEQUOIA_CRYPTO_POLICY counts only where no rpm-sequoia.config
// exists. A search that fails either way counts as a change (fail closed).
func policyEnvChanges() (env, value string, changed bool) {
	with := policyEnv()
	for _, name := range []string{policyconf.EnvRPMSequoia, policyconf.EnvSequoia} {
		if v, ok := with.Getenv(name); ok {
			env, value = name, v
			break
		}
	}
	if env == "" {
		return "", "", false
	}
	without := with
	without.Getenv = func(name string) (string, bool) {
		if name == policyconf.EnvRPMSequoia || name == policyconf.EnvSequoia {
			return "", false
		}
		return with.Getenv(name)
	}
	sys, _, errSys := policyconf.Locate(without)
	got, _, errGot := policyconf.Locate(with)
	switch {
	case errSys != nil || errGot != nil:
		return env, value, true
	case got.IsDefault() && sys.IsDefault(),
		got.Path != "" && filepath.Clean(got.Path) == filepath.Clean(sys.Path):
		return "", "", false
	}
	if got.Var != "" { // the variable the search took
		env = got.Var
		value, _ = with.Getenv(got.Var)
	}
	return env, value, true
}

// quoteValue spells a config value as TOML would.
func quoteValue(v any) string {
	switch v := v.(type) {
	case nil:
		return `""`
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

// sourceOf names the source after the system config that sets key, the
// one that wins ("--fips", "$RPMPGP_FIPS", "config PATH"), or "" when the
// value comes from the system config or the default.
func sourceOf(flags *pflag.FlagSet, key string, later []string, laterMaps []map[string]any) string {
	k, _ := LookupKey(key)
	switch kind, name, i := k.origin(key, flags, laterMaps); kind {
	case fromFlag:
		return "--" + name
	case fromEnv:
		return "$" + name
	case fromFile:
		return "config " + later[i]
	}
	return ""
}

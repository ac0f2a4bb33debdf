package settings

import (
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// The one table of rpmpgp's settings: for every key a config file may set,
// its TOML type, the command-line flag and the environment variables that
// set it too, how those variables rank against the config files, its
// default and whether the system config can lock it. Reading a file
// (file.go), loading (settings.go), the locks (lock.go), the sources that
// `rpmpgp config` reports ([Settings.Source]) and the choice notes
// (choice.go, through [Settings.BackendFrom]) all read it; nothing else
// spells the mapping out.

// EnvRank says how the environment variables of a key rank against its
// flag and its config files.
type EnvRank int

const (
	// EnvOverFiles: the first variable that is set (not empty) wins over
	// every config file and loses to the flag (viper's precedence).
	EnvOverFiles EnvRank = iota
	// EnvSearchedFirst: the directories the variable lists are searched
	// before the value the flag or a file gives, which still applies
	// after them ($RPMPGP_PLUGIN_DIR, plugin.SearchPath).
	EnvSearchedFirst
	// EnvUnderFiles: the variables count only where neither the flag nor
	// a config file names a value, through rpm-sequoia's search order
	// (the crypto policy: policyconf.Locate). A variable set to "" counts.
	EnvUnderFiles
)

// Key is one top-level config key and the other sources that set it.
type Key struct {
	// Name is the config file key ("plugin_dir").
	Name string
	// Type is its TOML type: "string", "bool", "strings" (an array of
	// strings) or "table".
	Type string
	// Flag names the command-line flag that sets it, without "--" (""
	// when none does).
	Flag string
	// FlagInverts is true when the flag is a boolean that sets the key to
	// false when given as true (--no-system-keys for system_keys).
	FlagInverts bool
	// Env are the environment variables that set it, in the order they
	// are consulted; Rank says how they rank against the files.
	Env  []string
	Rank EnvRank
	// Default is the value when nothing sets the key, as a config file
	// would spell it ("" for the crypto policy: rpm-sequoia's search
	// order); nil when the key is unset by default (the built-in
	// behaviour applies).
	Default any
	// Lockable is true when the system config may lock the key (lock.go).
	Lockable bool
}

// keys is the table, in the order `rpmpgp config` lists the keys.
var keys = []Key{
	{Name: "backend", Type: "string", Flag: "backend", Env: []string{"RPMPGP_BACKEND"}, Default: DefaultBackend, Lockable: true},
	{Name: "plugin_dir", Type: "string", Flag: "plugin-dir", Env: []string{plugin.EnvPluginDir}, Rank: EnvSearchedFirst, Lockable: true},
	{Name: "fips", Type: "string", Flag: "fips", Env: []string{"RPMPGP_FIPS"}, Default: "auto", Lockable: true},
	// The default policy is rpm-sequoia's search order (policyconf.Locate).
	{Name: "policy", Type: "string", Flag: "policy", Env: []string{policyconf.EnvRPMSequoia, policyconf.EnvSequoia}, Rank: EnvUnderFiles, Default: "", Lockable: true},
	{Name: "call_timeout", Type: "string", Default: "60s", Lockable: true},
	{Name: "pins", Type: "string", Default: PinsOptional, Lockable: true},
	{Name: "plugins", Type: "table", Lockable: true},
	// $RPMPGP_ROOT lets a test or a build root point every command at
	// another system's keys.
	{Name: "root", Type: "string", Flag: "root", Env: []string{"RPMPGP_ROOT"}, Lockable: true},
	{Name: "dbpath", Type: "string", Flag: "dbpath", Lockable: true},
	{Name: "keystore", Type: "string", Flag: "keystore", Lockable: true},
	{Name: "keyringpath", Type: "string", Flag: "keyringpath", Lockable: true},
	{Name: "system_keys", Type: "bool", Flag: "no-system-keys", FlagInverts: true, Default: true, Lockable: true},
	// A resident backend (plugin.LoadConfig.Resident) is off unless asked
	// for: the system config can lock it off.
	{Name: "resident", Type: "bool", Flag: "resident", Env: []string{"RPMPGP_RESIDENT"}, Default: false, Lockable: true},
	{Name: "lock", Type: "strings"}, // system config only (lock.go)
}

// Keys returns the table of settings, in the order `rpmpgp config` lists
// them (a copy: the caller may keep it).
func Keys() []Key {
	out := make([]Key, len(keys))
	copy(out, keys)
	for i := range out {
		out[i].Env = append([]string(nil), keys[i].Env...)
	}
	return out
}

// LookupKey returns the entry of the table for the dotted key
// ("plugins.checksums.openssl" is under "plugins"), a copy the caller may
// change.
func LookupKey(dotted string) (Key, bool) {
	name, _, _ := strings.Cut(dotted, ".")
	for _, k := range keys {
		if k.Name == name {
			k.Env = slices.Clone(k.Env)
			return k, true
		}
	}
	return Key{}, false
}

// flagSet reports whether the flag of k was given on flags (nil: none) in
// a way that sets the key: an inverting flag only when given as true.
func (k Key) flagSet(flags *pflag.FlagSet) bool {
	if k.Flag == "" {
		return false
	}
	f := changedFlag(flags, k.Flag)
	if f == nil {
		return false
	}
	return !k.FlagInverts || f.Value.String() == "true"
}

// envSet returns the variable of k that sets it in this process, or "". An
// EnvUnderFiles variable is the one rpm-sequoia's search takes (set to ""
// included); the others count when not empty.
func (k Key) envSet() string {
	if k.Rank == EnvUnderFiles {
		src, _, _ := policyconf.Locate(policyEnv())
		return src.Var
	}
	for _, e := range k.Env {
		if os.Getenv(e) != "" {
			return e
		}
	}
	return ""
}

// origin kinds, as [Settings.Source] names them.
const (
	fromFlag = "flag"
	fromEnv  = "env"
	fromFile = "file"
)

// origin says which source sets the dotted key of k, in the precedence of
// [Load]: kind "flag" (name: the flag), "env" (name: the variable) or
// "file" (file: the index in maps of the last file that has the key);
// kind "" when none does (the default, or unset).
func (k Key) origin(dotted string, flags *pflag.FlagSet, maps []map[string]any) (kind, name string, file int) {
	if k.Rank == EnvSearchedFirst {
		if e := k.envSet(); e != "" {
			return fromEnv, e, -1
		}
	}
	// An EnvUnderFiles key given as "" is rpm-sequoia's search, which
	// its variables decide (policyconf.Load): the flag or file that says
	// "" is not where the value comes from.
	searched := func(v any) bool { return k.Rank == EnvUnderFiles && v == "" }
	if k.flagSet(flags) {
		if !searched(changedFlag(flags, k.Flag).Value.String()) {
			return fromFlag, k.Flag, -1
		}
	} else {
		if k.Rank == EnvOverFiles {
			if e := k.envSet(); e != "" {
				return fromEnv, e, -1
			}
		}
		for i := len(maps) - 1; i >= 0; i-- {
			if v, ok := valueOf(maps[i], dotted); ok {
				if searched(v) {
					break
				}
				return fromFile, "", i
			}
		}
	}
	if k.Rank == EnvUnderFiles {
		if e := k.envSet(); e != "" {
			return fromEnv, e, -1
		}
	}
	return "", "", -1
}

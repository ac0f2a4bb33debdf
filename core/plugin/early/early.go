// Package early starts the backend of a verifying rpmpgp command while
// the rest of the host initialises. Importing it (rpmpgp's main package
// does, for its side effect) runs its init, which comes before the
// initialisation of the heavy packages (gRPC, protobuf, go-plugin, SQLite)
// that make up most of a Go host's start-up: a backend process needs about
// as long to reach its handshake as the host needs to reach main, so
// starting it first runs the two one beside the other instead of one
// after the other (issue 16: ~4 ms of a ~15 ms one-package run).
//
// The host's plugin.Open then adopts the process when it is the one it
// would have started (same binary and identity, same environment, no
// checksum pinned, no resident backend), and discards it otherwise
// (core/plugin/internal/spawn, early.go). The decision reads the command
// line, the environment and the configuration files, the files in a
// subset of TOML of its own (config.go): none is started when a file
// could pin checksums, which must be checked before the binary runs, or
// holds anything outside the subset. The binary is found and checked as
// always; what the command line says is read only as far as choosing it:
// anything else unusual, and no backend is started early.
package early

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// EnvDisable names the variable that turns the early start off ("0").
const EnvDisable = "RPMPGP_EARLY_START"

// commands are the subcommands that start a backend at once, and rpmkeys'
// spellings of checksig as the first argument (rpmpgp -K a.rpm; the CLI
// accepts them anywhere, args.go, but the first place is the usual one).
var commands = []string{"checksig", "verify", "-K", "--checksig"}

// Names kept in step with internal/settings (TestInStepWithSettings).
const (
	defaultBackend = "gocrypto"
	systemConfig   = "/etc/rpmpgp/config.toml"
	envBackend     = "RPMPGP_BACKEND"
	envResident    = "RPMPGP_RESIDENT"
)

func init() {
	// When none is started, the host starts its backend as usual; with
	// RPMPGP_LOG_LEVEL=debug it says why none was started early.
	name, dirs, env, err := decide(os.Args[1:], os.LookupEnv, readConfig)
	if err != nil {
		spawn.NotStarted(err)
		return
	}
	_ = spawn.StartEarly(name, env, dirs, exeDir())
}

// Discard ends the backend started early when nothing adopted it; a host
// calls it before it exits (the process would die with the host anyway,
// through its parent-death signal, but its socket directory would stay
// until the next start cleans it).
func Discard() { spawn.DiscardEarly() }

// globalValueFlags are rpmpgp's global flags that take a value, which may
// come before the command (cmd/rpmpgp addGlobalFlags): `rpmpgp --backend
// openssl checksig ...`.
var globalValueFlags = []string{"--backend", "--plugin-dir", "--fips", "--policy"}

// refusedFlags stop an early start wherever they come, even as another
// flag's value (reading that right would need every command's flags):
// another config file, a resident backend, or no verification at all.
// "--" is refused too: after it pflag reads no flag, but a "--" may also
// be a flag's value (--policy --), after which it reads them all.
var refusedFlags = []string{"--", "--config", "--resident", "--help", "-h", "--version"}

// switches are the flags of checksig and verify that take no value, long
// and short (in clusters such as -qv and rpmkeys' -Kv): any other flag
// before --backend or --plugin-dir may take it as its value (checksig -k
// --plugin-dir /srv: a keyring named --plugin-dir), which stops an early
// start rather than guess.
var (
	switches      = []string{"--no-system-keys", "--nodigest", "--nosignature", "--quiet", "--recursive", "--verbose", "--json"}
	shortSwitches = "qrvK"
)

// Flags returns the flags of rpmpgp the early start knows: the global
// flags that take a value, the flags that stop it and the switches of
// checksig and verify, long and short (cmd/rpmpgp's tests hold its flags
// to them).
func Flags() (withValue, refused, long []string, short string) {
	return slices.Clone(globalValueFlags), slices.Clone(refusedFlags), slices.Clone(switches), shortSwitches
}

// takesNext reports whether arg is a flag that may take the next argument
// as its value: a flag with no value after "=" (or after its letter, in a
// cluster) that is not a switch; an unknown flag counts as one that may.
func takesNext(arg string) bool {
	if len(arg) < 2 || arg[0] != '-' {
		return false
	}
	if _, _, hasValue := spawn.Cut(arg, '='); hasValue {
		return false
	}
	if arg[1] == '-' {
		return !slices.Contains(switches, arg)
	}
	// A cluster: the first letter that is no switch takes the rest of
	// the argument as its value, or the next argument when it is last.
	for i := 1; i < len(arg); i++ {
		if _, _, ok := spawn.Cut(shortSwitches, arg[i]); !ok {
			return i == len(arg)-1
		}
	}
	return false
}

// decide returns the backend to start early and the plugin directories
// the command line or a config file gives, from the arguments (without
// the program name), the environment and the config files, or an error
// saying why none is started. read reads a config file (readConfig); an
// error wrapping fs.ErrNotExist is a missing file. env is the value of
// $RPMPGP_PLUGIN_DIR to search first ("" when the system config locks
// plugin_dir: only its value may be searched).
//
// The precedence is the loader's (internal/settings): the flag, then the
// variable, then the user's config file, then the system's; a key the
// system config locks keeps its value there (the loader refuses any other
// source that changes it, so the early start runs only the locked one).
func decide(args []string, lookup func(string) (string, bool), read func(string) ([]byte, error)) (name string, dirs []string, env string, err error) {
	if v, _ := lookup(EnvDisable); v == "0" {
		return "", nil, "", errors.New("turned off by $" + EnvDisable)
	}
	for _, a := range args {
		key, _, _ := spawn.Cut(a, '=')
		if slices.Contains(refusedFlags, key) {
			return "", nil, "", errors.New(key + " given")
		}
		if _, _, help := spawn.Cut(a, 'h'); help && len(a) > 1 && a[0] == '-' && a[1] != '-' {
			return "", nil, "", errors.New("-h given")
		}
	}
	// Global flags may come before the command.
	cmd := 0
	for cmd < len(args) && len(args[cmd]) > 1 && args[cmd][0] == '-' && !isCommand(args[cmd]) {
		key, _, hasValue := spawn.Cut(args[cmd], '=')
		if !slices.Contains(globalValueFlags, key) {
			return "", nil, "", errors.New("not a command that verifies")
		}
		if !hasValue {
			cmd++
		}
		cmd++
	}
	if cmd >= len(args) || !isCommand(args[cmd]) {
		return "", nil, "", errors.New("not a command that verifies")
	}
	if v, ok := lookup(envResident); ok && v != "" {
		return "", nil, "", errors.New("$" + envResident + " is set")
	}
	user := userConfig(lookup)
	if user == "" {
		return "", nil, "", errors.New("the user's configuration file cannot be located")
	}
	var sys, usr fileChoice
	for _, f := range []struct {
		path string
		c    *fileChoice
	}{{systemConfig, &sys}, {user, &usr}} {
		data, err := read(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			*f.c, err = parseConfig(data, f.path == systemConfig)
		}
		if err != nil {
			return "", nil, "", fmt.Errorf("config %s: %w", f.path, err)
		}
	}
	name, env = defaultBackend, lookupValue(lookup, spawn.EnvPluginDir)
	var dir string
	for _, c := range []fileChoice{sys, usr} {
		if c.setBackend {
			name = c.backend
		}
		if c.setPluginDir {
			dir = c.pluginDir
		}
	}
	if v := lookupValue(lookup, envBackend); v != "" {
		name = v
	}
	for i := 0; i < len(args); i++ {
		key, value, hasValue := spawn.Cut(args[i], '=')
		if !slices.Contains(globalValueFlags, key) {
			continue
		}
		if (key == "--backend" || key == "--plugin-dir") && i > 0 && takesNext(args[i-1]) && !slices.Contains(globalValueFlags, args[i-1]) {
			return "", nil, "", errors.New(key + " may be the value of " + args[i-1])
		}
		if !hasValue {
			if i+1 >= len(args) {
				return "", nil, "", errors.New(key + " without a value")
			}
			i++
			value = args[i]
		}
		switch key {
		case "--backend":
			name = value
		case "--plugin-dir":
			dir = value
		}
	}
	if slices.Contains(sys.locks, "backend") {
		name = defaultBackend
		if sys.setBackend {
			name = sys.backend
		}
	}
	if slices.Contains(sys.locks, "plugin_dir") {
		dir, env = sys.pluginDir, ""
	}
	if dir != "" {
		dirs = []string{dir}
	}
	return name, dirs, env, nil
}

// lookupValue is the value of the variable name, "" when unset.
func lookupValue(lookup func(string) (string, bool), name string) string {
	v, _ := lookup(name)
	return v
}

// isCommand reports whether arg names a subcommand that verifies, or is
// rpmkeys' -K in a cluster of short options (-Kv; the CLI checks which
// letters it accepts, args.go).
func isCommand(arg string) bool {
	if slices.Contains(commands, arg) {
		return true
	}
	if len(arg) < 3 || arg[0] != '-' || arg[1] == '-' {
		return false
	}
	k := false
	for i := 1; i < len(arg); i++ {
		c := arg[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
		k = k || c == 'K'
	}
	return k
}

// userConfig is the user's configuration file ($XDG_CONFIG_HOME/rpmpgp/
// config.toml, else ~/.config/rpmpgp/config.toml; "" without a home).
func userConfig(lookup func(string) (string, bool)) string {
	dir, _ := lookup("XDG_CONFIG_HOME")
	if dir == "" {
		home, _ := lookup("HOME")
		if home == "" {
			return ""
		}
		dir = path.Join(home, ".config")
	}
	return path.Join(dir, "rpmpgp", "config.toml")
}

// exeDir is the directory of the running executable: os.Executable reads
// /proc/self/exe, where the kernel has resolved the symlinks; "" if
// unknown (no backend is then searched beside it).
func exeDir() string {
	exe, err := os.Executable()
	if err != nil || !path.IsAbs(exe) {
		return ""
	}
	return path.Dir(exe)
}

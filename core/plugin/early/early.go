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
	name, dirs, err := decide(os.Args[1:], os.LookupEnv, readConfig)
	if err != nil {
		spawn.NotStarted(err)
		return
	}
	_ = spawn.StartEarly(name, os.Getenv(spawn.EnvPluginDir), dirs, exeDir())
}

// Discard ends the backend started early when nothing adopted it; a host
// calls it before it exits (the process would die with the host anyway,
// through its parent-death signal, but its socket directory would stay
// until the next start cleans it).
func Discard() { spawn.DiscardEarly() }

// globalValueFlags are rpmpgp's global flags that take a value, which may
// come before the command (cmd/rpmpgp addGlobalFlags; --config is
// refused): `rpmpgp --backend openssl checksig ...`.
var globalValueFlags = []string{"--backend", "--plugin-dir", "--fips", "--policy"}

// refusedFlags stop an early start wherever they come (before "--"):
// another config file, a resident backend, or no verification at all.
var refusedFlags = []string{"--config", "--resident", "--help", "-h", "--version"}

// decide returns the backend to start early and the plugin directory the
// command line or a config file gives, from the arguments (without the
// program name), the environment and the config files, or an error saying
// why none is started. read reads a config file (readConfig); an error
// wrapping fs.ErrNotExist is a missing file.
//
// The precedence is the loader's (internal/settings): the flag, then the
// variable, then the user's config file, then the system's.
func decide(args []string, lookup func(string) (string, bool), read func(string) ([]byte, error)) (name string, dirs []string, err error) {
	if v, _ := lookup(EnvDisable); v == "0" {
		return "", nil, errors.New("turned off by $" + EnvDisable)
	}
	// Global flags may come before the command.
	cmd := 0
	for cmd < len(args) && len(args[cmd]) > 1 && args[cmd][0] == '-' && !isCommand(args[cmd]) {
		key, _, hasValue := spawn.Cut(args[cmd], '=')
		if slices.Contains(refusedFlags, key) {
			return "", nil, errors.New(key + " given")
		}
		if !slices.Contains(globalValueFlags, key) {
			return "", nil, errors.New("not a command that verifies")
		}
		if !hasValue {
			cmd++
		}
		cmd++
	}
	if cmd >= len(args) || !isCommand(args[cmd]) {
		return "", nil, errors.New("not a command that verifies")
	}
	if v, ok := lookup(envResident); ok && v != "" {
		return "", nil, errors.New("$" + envResident + " is set")
	}
	user := userConfig(lookup)
	if user == "" {
		return "", nil, errors.New("the user's configuration file cannot be located")
	}
	name = defaultBackend
	for _, f := range []string{systemConfig, user} {
		data, err := read(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		var c fileChoice
		if err == nil {
			c, err = parseConfig(data, f == systemConfig)
		}
		if err != nil {
			return "", nil, fmt.Errorf("config %s: %w", f, err)
		}
		if c.backend != "" {
			name = c.backend
		}
		if c.pluginDir != "" {
			dirs = []string{c.pluginDir}
		}
	}
	if v, ok := lookup(envBackend); ok && v != "" {
		name = v
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		key, value, hasValue := spawn.Cut(a, '=')
		switch {
		case key == "--backend" || key == "--plugin-dir":
			if !hasValue {
				if i+1 >= len(args) {
					return "", nil, errors.New(key + " without a value")
				}
				i++
				value = args[i]
			}
			if key == "--backend" {
				name = value
			} else {
				dirs = []string{value}
			}
		case slices.Contains(refusedFlags, key):
			return "", nil, errors.New(key + " given")
		}
	}
	return name, dirs, nil
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

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
// (core/plugin/internal/spawn, early.go). The decision here needs no
// configuration file, so it is only taken when no configuration file
// exists: one could pin checksums, which must be checked before the binary
// runs, or choose another backend. The binary is found and checked as
// always; what the command line says is read only as far as choosing it:
// anything else unusual, and no backend is started early.
package early

import (
	"errors"
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
	name, dirs, err := decide(os.Args[1:], os.LookupEnv, exists)
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

// decide returns the backend to start early and the plugin directory the
// command line gives, from the arguments (without the program name) and
// the environment, or an error saying why none is started. exists reports
// whether a file exists; an error other than its absence counts as
// existing.
func decide(args []string, lookup func(string) (string, bool), exists func(string) bool) (name string, dirs []string, err error) {
	if v, _ := lookup(EnvDisable); v == "0" {
		return "", nil, errors.New("turned off by $" + EnvDisable)
	}
	if len(args) == 0 || !isCommand(args[0]) {
		return "", nil, errors.New("not a command that verifies")
	}
	for _, f := range []string{systemConfig, userConfig(lookup)} {
		if f == "" || exists(f) {
			return "", nil, errors.New("a configuration file exists or cannot be located")
		}
	}
	if v, ok := lookup(envResident); ok && v != "" {
		return "", nil, errors.New("$" + envResident + " is set")
	}
	if v, ok := lookup(envBackend); ok && v != "" {
		name = v
	}
	for i := 1; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		key, value, hasValue := spawn.Cut(a, '=')
		switch key {
		case "--backend", "--plugin-dir":
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
		case "--config", "--resident", "--help", "-h", "--version":
			return "", nil, errors.New(key + " given")
		}
	}
	if name == "" {
		name = defaultBackend
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

// exists reports whether a file is at path (an error other than its
// absence counts as one).
func exists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, fs.ErrNotExist)
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

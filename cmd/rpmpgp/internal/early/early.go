// Package early starts the backend of a verifying rpmpgp command while
// rpmpgp itself is still initialising (package prestart explains why), so
// that the two start-ups overlap: about 2 ms, a sixth of a one-package
// `rpmpgp checksig`.
//
// It guesses the backend from the command line, the environment and the
// config files with a deliberately narrow reading of each: anything it
// does not follow exactly (an unknown flag, --help, a TOML construct beyond
// "key = string", pinned checksums) means no early start. A guess is never
// trusted: core/plugin adopts the process only if it runs the binary and
// has the environment that the real settings give, and otherwise the
// process is discarded (see prestart).
//
// Like prestart, this package imports only io, os and runtime (and
// prestart): every further import can delay its initialisation behind the
// host's protobuf and gRPC set-up.
package early

import (
	"io"
	"os"
	"runtime"

	"github.com/rpmpgp/rpmpgp/core/plugin/prestart"
)

// EnvDisable names the environment variable that turns the early start off
// ("0").
const EnvDisable = "RPMPGP_EARLY_START"

// Config files, as cmd/rpmpgp reads them (TestConfigPaths keeps the two in
// step).
const (
	SystemConfig  = "/etc/rpmpgp/config.toml"
	userConfigRel = "rpmpgp/config.toml"
)

// started is the early process until Take or Discard.
var started *prestart.Process

func init() {
	if runtime.NumCPU() < 2 || os.Getenv(EnvDisable) == "0" {
		// One CPU: the early start would only compete with the host's.
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	if p, ok := planFor(os.Args[1:], os.LookupEnv, readConfig, dirOf(exe)); ok {
		started = prestart.Start(p.path, p.env)
	}
}

// Take returns the early process (nil if none) and leaves it to the caller
// (core/plugin's LoadConfig.Prestarted).
func Take() *prestart.Process {
	p := started
	started = nil
	return p
}

// Discard ends the early process if nobody took it.
func Discard() {
	started.Discard()
	started = nil
}

// maxConfig bounds a config file the guess reads; a larger one (or one
// that is not a regular file) means no early start.
const maxConfig = 1 << 20

// readConfig reads a config file of at most maxConfig bytes.
func readConfig(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxConfig {
		return nil, errNotUnderstood
	}
	// One byte more than the size shows a file that grew meanwhile.
	buf := make([]byte, fi.Size()+1)
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err // never a guess from part of a file
		}
	}
	if n > int(fi.Size()) {
		return nil, errNotUnderstood
	}
	return buf[:n], nil
}

// errNotUnderstood refuses a config file the guess does not read.
var errNotUnderstood = os.ErrInvalid

// plan is what to start: the binary and its environment.
type plan struct {
	path string
	env  []string
}

// settings is what the guess needs of rpmpgp's settings.
type settings struct {
	backend, pluginDir, fips string
}

// planFor guesses the backend of the command line args from the environment
// and the config files (read with readFile), as cmd/rpmpgp's loadSettings
// resolves them: flags over environment over config files (user over
// system, or only --config's) over defaults. ok is false when the command
// starts no backend or anything is not understood exactly.
func planFor(args []string, lookup func(string) (string, bool), readFile func(string) ([]byte, error), exeDir string) (plan, bool) {
	fl, ok := parseArgs(args)
	if !ok {
		return plan{}, false
	}
	var files []string
	if fl.config != nil {
		files = []string{*fl.config}
	} else {
		files = []string{SystemConfig}
		if u := UserConfig(lookup); u != "" {
			files = append(files, u)
		}
	}
	var s settings
	for _, name := range files {
		data, err := readFile(name)
		if err != nil {
			if fl.config == nil && os.IsNotExist(err) {
				continue // the default files are optional
			}
			return plan{}, false
		}
		if !parseConfig(data, &s) {
			return plan{}, false
		}
	}
	backend := pick(fl.backend, env(lookup, "RPMPGP_BACKEND"), s.backend, "gocrypto")
	fips := pick(fl.fips, env(lookup, "RPMPGP_FIPS"), s.fips, "auto")
	pluginDir := pick(fl.pluginDir, nil, s.pluginDir, "")
	if !validName(backend) || (fips != "auto" && fips != "require" && fips != "off") {
		return plan{}, false
	}
	var dirs []string
	if v, ok := lookup(prestart.EnvPluginDir); ok {
		dirs = splitList(v)
	}
	dirs = append(dirs, pluginDir, exeDir)
	for _, d := range dirs {
		if d == "" {
			continue
		}
		path := d + "/" + prestart.BinaryPrefix + backend
		if executable(path) {
			env := append([]string{prestart.EnvFDChannel + "=3"}, prestart.Environ(prestart.EnvOpenSSLFIPS, fips)...)
			return plan{path: path, env: append(env, prestart.PluginEnv...)}, true
		}
	}
	return plan{}, false
}

// pick returns the first set value of flag, environment and config file,
// else def. An empty flag value is kept (and then refused as a name).
func pick(flag, envValue *string, config, def string) string {
	switch {
	case flag != nil:
		return *flag
	case envValue != nil:
		return *envValue
	case config != "":
		return config
	}
	return def
}

// env returns a non-empty environment variable (viper ignores empty ones).
func env(lookup func(string) (string, bool), key string) *string {
	if v, ok := lookup(key); ok && v != "" {
		return &v
	}
	return nil
}

// UserConfig is cmd/rpmpgp's user config file: $XDG_CONFIG_HOME, else
// $HOME/.config, then rpmpgp/config.toml.
func UserConfig(lookup func(string) (string, bool)) string {
	if dir, ok := lookup("XDG_CONFIG_HOME"); ok && dir != "" {
		return dir + "/" + userConfigRel
	}
	if home, ok := lookup("HOME"); ok && home != "" {
		return home + "/.config/" + userConfigRel
	}
	return ""
}

// executable reports whether path is an executable regular file, as
// core/plugin's discovery wants it.
func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// dirOf is filepath.Dir for the absolute path os.Executable returns.
func dirOf(path string) string {
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '/' {
			return path[:i]
		}
	}
	return "/"
}

// splitList is filepath.SplitList on Unix.
func splitList(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ':' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// validName is core/plugin.ValidName: ^[A-Za-z0-9][A-Za-z0-9._-]*$.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

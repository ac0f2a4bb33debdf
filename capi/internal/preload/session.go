package preload

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/settings"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// Backend is what the preload asks of a backend: parsing, the key tools,
// armor and verification over a sum rpm finalised ([core.HashVerifier]).
type Backend interface {
	core.Parser
	core.KeyTools
	core.Armorer
	core.HashVerifier
}

// envLogLevel is the CLI's log level variable (cmd/rpmpgp): warn unless
// set, so that nothing is printed while all goes well.
const envLogLevel = "RPMPGP_LOG_LEVEL"

// The process-wide session: started by the first call, then kept (a backend
// process that dies is restarted by the plugin client). A failed start is
// final: every later call fails with the same error.
var session struct {
	sync.Mutex
	started bool
	b       Backend
	client  *plugin.Client
	legacy  bool // the backend has rpm 4.18's semantics (core.ProfileLegacy)
	err     error
	stderr  io.Writer
}

// LibraryDir, when set, returns the directory the library was loaded from;
// the backend binaries are searched there after $RPMPGP_PLUGIN_DIR and the
// configured plugin_dir (core/plugin SearchPath), so that an install that
// puts librpmpgp-preload.so next to its backends needs no configuration.
var LibraryDir func() string

// Get returns the backend, starting it on first use. The error of a failed
// start is returned by every call; it is written to stderr once, prefixed
// "rpmpgp-preload:", at the first failure.
func Get() (Backend, error) {
	session.Lock()
	defer session.Unlock()
	if !session.started {
		session.started = true
		var dir string
		if LibraryDir != nil {
			dir = LibraryDir()
		}
		session.b, session.client, session.legacy, session.err = start(dir)
		if session.err != nil {
			fmt.Fprintf(stderrLocked(), "rpmpgp-preload: %v; every OpenPGP operation of this process fails\n", session.err)
		}
	}
	return session.b, session.err
}

// Use makes b the session's backend (tests and in-process use); a started
// backend is closed first.
func Use(b Backend) {
	Shutdown()
	session.Lock()
	defer session.Unlock()
	session.started, session.b, session.client, session.legacy, session.err = true, b, nil, false, nil
}

// Shutdown ends the backend process (without waiting for it: the library
// calls it from a destructor as the host exits) and forgets the session,
// so that the next call starts a new one.
func Shutdown() {
	session.Lock()
	c := session.client
	session.started, session.b, session.client, session.legacy, session.err = false, nil, nil, false, nil
	session.Unlock()
	if c != nil {
		c.Abandon()
	}
}

// start opens and initialises the configured backend with the settings
// the rpmpgp CLI loads, through the same loader (internal/settings): config
// files read strictly and bounded, their locks, $RPMPGP_BACKEND,
// $RPMPGP_FIPS, $RPMPGP_PLUGIN_DIR, pinned checksums and pins =
// "required", call timeout and, for strict backends, the crypto policy
// (rpm-sequoia's search order). The loader's notes go to the library's
// stderr (the caller holds the session lock). Unlike the CLI, the library
// does not name a backend or plugin directory chosen by the environment or
// the user's config (settings.ChoiceNote): whoever sets its environment
// also sets LD_PRELOAD, and rpm's stderr must stay byte for byte rpm's.
func start(libDir string) (Backend, *plugin.Client, bool, error) {
	s, err := settings.Load("", nil, func(msg string) {
		fmt.Fprintf(stderrLocked(), "rpmpgp-preload: warning: %s\n", msg)
	})
	if err != nil {
		return nil, nil, false, fmt.Errorf("settings: %w", err)
	}
	var dirs []string
	if s.PluginDir != "" {
		dirs = append(dirs, s.PluginDir)
	}
	if libDir != "" {
		dirs = append(dirs, libDir)
	}
	level := hclog.LevelFromString(os.Getenv(envLogLevel))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	c, err := plugin.Open(s.Backend, plugin.LoadConfig{
		Dirs:        dirs,
		Checksums:   s.Checksums,
		RequirePins: s.PinsRequired,
		CallTimeout: s.CallTimeout,
		Logger:      hclog.New(&hclog.LoggerOptions{Name: "rpmpgp-preload", Level: level, Output: os.Stderr}),
		CacheDir:    plugin.DefaultCacheDir(),
	})
	if err != nil {
		return nil, nil, false, err
	}
	fail := func(err error) (Backend, *plugin.Client, bool, error) {
		c.Abandon()
		return nil, nil, false, err
	}
	desc, err := c.Describe()
	if err != nil {
		return fail(fmt.Errorf("backend %q: describe: %w", s.Backend, err))
	}
	opts := core.Options{FIPS: s.FIPS}
	if desc.Profile == core.ProfileStrict {
		_, src, data, err := policyconf.Load(s.Policy, policyconf.OSEnv())
		if err != nil {
			return fail(fmt.Errorf("crypto policy: %w", err))
		}
		if !src.IsDefault() {
			opts.Policy, opts.PolicySource = data, src.String()
		}
	}
	if err := c.Init(opts); err != nil {
		return fail(err)
	}
	return c, c, desc.Profile == core.ProfileLegacy, nil
}

// legacyProfile reports whether the started backend has rpm 4.18's
// semantics, whose errors may carry the warnings rpm itself logs.
func legacyProfile() bool {
	session.Lock()
	defer session.Unlock()
	return session.legacy
}

// stderr is where the library writes its messages (tests replace it).
func stderr() io.Writer {
	session.Lock()
	defer session.Unlock()
	return stderrLocked()
}

func stderrLocked() io.Writer {
	if session.stderr != nil {
		return session.stderr
	}
	return os.Stderr
}

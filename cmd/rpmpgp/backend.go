package main

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/spf13/cobra"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/tuning"
	"github.com/rpmpgp/rpmpgp/policyconf"
)

// pluginDirs is the configured plugin directory; core/plugin adds
// $RPMPGP_PLUGIN_DIR before it and the rpmpgp executable's directory after
// it (plugin.SearchPath).
func pluginDirs(s *settings) []string {
	if s.PluginDir == "" {
		return nil
	}
	return []string{s.PluginDir}
}

func cacheDir() string { return plugin.DefaultCacheDir() }

// envLogLevel names the environment variable that sets the level of
// rpmpgp's own log (trace, debug, info, warn, error; default warn), which
// shows how backends are found, started and restarted.
const envLogLevel = "RPMPGP_LOG_LEVEL"

func loadConfig(s *settings) plugin.LoadConfig {
	level := hclog.LevelFromString(os.Getenv(envLogLevel))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	return plugin.LoadConfig{
		Dirs:        pluginDirs(s),
		Checksums:   s.Checksums,
		RequirePins: s.PinsRequired,
		CallTimeout: s.CallTimeout,
		Logger:      hclog.New(&hclog.LoggerOptions{Name: "rpmpgp", Level: level, Output: os.Stderr}),
		CacheDir:    cacheDir(),
		Resident:    s.Resident,
		ResidentKey: "fips=" + string(s.FIPS),
		Warn:        func(msg string) { warningf(s.stderr, "%s", msg) },
	}
}

// openedBackend is a started, initialised backend.
type openedBackend struct {
	// Client is the backend; it declares its batch paths itself
	// (core.Capabilities), which embedding keeps.
	*plugin.Client
	// desc is the backend's description as Describe gave it beside
	// Init: its name, version and profile are fixed, but its FIPS state
	// and algorithms may predate Init's choices; outputs that show
	// those use [openedBackend.initialised].
	desc       core.Description
	redescribe sync.Once
	policy     policyconf.Source
	close      func()
	// keyring holds the certificates of the keySpec given to
	// openBackend; imports reports the ones refused.
	keyring *core.Keyring
	imports []core.ImportResult
}

// openBackend starts the selected backend out of process, initialises it
// with the crypto policy (strict backends) and reference time, and imports
// the certificates of keys (a keystore, files or directories) into its
// keyring. Any failure is a configuration error: rpmpgp refuses to run
// rather than fall back.
func openBackend(s *settings, at time.Time, keys keySpec) (*openedBackend, error) {
	// The backend process starts while the key files and the crypto policy
	// are read; their errors come first, as if it had not been started.
	type started struct {
		c   *plugin.Client
		err error
	}
	opened := make(chan started, 1)
	go func() {
		c, err := plugin.Open(s.Backend, loadConfig(s))
		opened <- started{c, err}
	}()
	go tuning.WarmProto(tuning.BackendService, tuning.StartupMethods...) // while the backend starts
	keyFiles, err := keys.keyFiles()
	opts := core.Options{Time: at, FIPS: s.FIPS}
	var src policyconf.Source
	var policyErr error
	if err == nil {
		var data []byte
		_, src, data, policyErr = policyconf.Load(s.Policy, policyconf.OSEnv())
		if policyErr == nil && !src.IsDefault() {
			opts.Policy = data
			opts.PolicySource = src.String()
		}
	}
	o := <-opened
	if err != nil {
		if o.c != nil {
			o.c.Abandon()
		}
		return nil, configError(err)
	}
	if o.err != nil {
		return nil, configError(o.err)
	}
	c := o.c
	// Which binary answers, when the environment or the user's config
	// chose the backend or its directory.
	if note := s.ChoiceNote(c.Path()); note != "" && s.stderr != nil {
		fmt.Fprintln(s.stderr, note)
	}
	// rpmpgp exits after the command: the backend is killed, not waited for.
	ob := &openedBackend{Client: c, close: c.Abandon}
	// Describe and Init go out together (one round trip instead of two on
	// the start-up path). An unusable policy file is an error for every
	// backend; Init then carried no policy and the backend is not used.
	var desc core.Description
	var descErr error
	described := make(chan struct{})
	go func() {
		defer close(described)
		desc, descErr = c.Describe()
	}()
	// The key files travel with Init: one round trip for both.
	certs, imports, initErr := c.InitImport(opts, keyFiles)
	<-described
	if descErr != nil {
		ob.close()
		return nil, configError(fmt.Errorf("backend %q: describe: %w", s.Backend, descErr))
	}
	ob.desc = desc
	// A malformed or unreadable policy fails closed whatever the backend.
	if policyErr != nil {
		ob.close()
		return nil, configError(fmt.Errorf("crypto policy: %w", policyErr))
	}
	if desc.Profile == core.ProfileStrict {
		ob.policy = src
	} else if src.Kind == policyconf.SourceExplicit || src.Kind == policyconf.SourceEnvFile {
		// Only strict backends apply a policy: one that was asked for
		// and cannot be applied is said, never dropped silently.
		if s.stderr != nil {
			warningf(s.stderr, "backend %q does not apply crypto policies: the policy %s is not applied", s.Backend, src)
		}
	}
	switch {
	case errors.Is(initErr, core.ErrNotSupported):
		// Initialised, but the key files did not fit one message.
		ob.keyring, ob.imports, err = core.ImportKeyFiles(c, keyFiles)
		if err != nil {
			ob.close()
			return nil, configError(err)
		}
	case initErr != nil:
		ob.close()
		return nil, configError(initErr) // the client's errors already name the backend
	default:
		ob.keyring, ob.imports = core.NewKeyringFrom(c, certs), imports
	}
	return ob, nil
}

// initialised returns the backend's description after Init. Describe
// goes out beside Init on the start-up path (one round trip for both), so
// desc can predate Init's choices (openssl's FIPS state and the hash
// algorithms it allows); the first call asks again. A backend that cannot
// answer any more keeps the earlier description (the run fails on its
// next call anyway).
func (ob *openedBackend) initialised() core.Description {
	ob.redescribe.Do(func() {
		if d, err := ob.Describe(); err == nil {
			ob.desc = d
		}
	})
	return ob.desc
}

// settingsAt loads the settings and parses --at: the preamble of every
// command that verifies. A bad --at is a usage error.
func settingsAt(cmd *cobra.Command, at string) (*settings, time.Time, error) {
	s, err := loadSettings(cmd)
	if err != nil {
		return nil, time.Time{}, err
	}
	t, err := parseAt(at)
	if err != nil {
		return nil, time.Time{}, &exitError{code: exitUsage, err: err}
	}
	return s, t, nil
}

// parseAt parses --at (RFC 3339 or a date); empty means the wall clock.
func parseAt(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--at %q: expected an RFC 3339 time (2024-01-02T15:04:05Z) or a date (2024-01-02)", s)
}

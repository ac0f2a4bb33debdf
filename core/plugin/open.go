package plugin

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/launch"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
)

// BinaryPrefix starts the file name of every backend binary:
// rpmpgp-backend-<name>.
const BinaryPrefix = spawn.BinaryPrefix

// EnvPluginDir names the environment variable that lists directories to
// search first (separated by ':', like PATH).
const EnvPluginDir = spawn.EnvPluginDir

// DefaultCallTimeout is the per-call deadline when [LoadConfig.CallTimeout]
// is zero. A bulk digest update gets this much time per chunk of 1 MiB, so
// its deadline scales with the size of the data.
const DefaultCallTimeout = supervise.DefaultCallTimeout

// Found is a backend binary found by [Discover].
type Found = launch.Found

// ValidName reports whether name can name a backend ("gocrypto",
// "internal-legacy").
func ValidName(name string) bool { return spawn.ValidName(name) }

// SearchPath returns the directories searched for backends, in order: the
// entries of $RPMPGP_PLUGIN_DIR, then dirs (the configured plugin
// directories), then the directory of the running executable (symlinks
// resolved). Empty entries and repeats are dropped.
func SearchPath(dirs []string) []string { return launch.SearchPath(dirs) }

// Discover lists the backends in [SearchPath](dirs), sorted by name. When a
// name exists in several directories, the first one in search order wins
// (it is what [Open] runs). Missing directories are skipped; other
// directory errors are returned, joined, next to what was found.
func Discover(dirs []string) ([]Found, error) { return launch.Discover(dirs) }

// DefaultCacheDir returns the default [LoadConfig.CacheDir]:
// $XDG_CACHE_HOME/rpmpgp, else ~/.cache/rpmpgp; "" if neither is known.
func DefaultCacheDir() string { return launch.DefaultCacheDir() }

// LoadConfig configures [Open]. The zero value searches only
// $RPMPGP_PLUGIN_DIR and the executable's directory, pins no checksum, uses
// [DefaultCallTimeout], logs nothing and caches nothing.
type LoadConfig struct {
	// Dirs are the configured plugin directories, searched after
	// $RPMPGP_PLUGIN_DIR and before the executable's directory.
	Dirs []string
	// Checksums maps a backend name to the hex SHA-256 its binary must
	// have. A backend with an entry is hashed before it runs and refused on
	// mismatch; one without an entry runs unchecked.
	Checksums map[string]string
	// RequirePins refuses a backend without an entry in Checksums (rpmpgp's
	// pins = "required"); it is not found, hashed or run.
	RequirePins bool
	// CallTimeout bounds each call (zero: DefaultCallTimeout); a bulk digest
	// update gets it per 1 MiB chunk streamed, or per 16 MiB of a file the
	// backend reads itself. It also bounds the start-up handshake.
	CallTimeout time.Duration
	// Logger receives go-plugin's messages and the backend's log lines
	// (nil: discarded).
	Logger hclog.Logger
	// CacheDir holds the checksum cache (checksums.json), so that a pinned
	// binary is only re-hashed when its device, inode, size, mtime or ctime
	// changes. Empty: no cache, every start hashes the binary; a relative
	// path is ignored. [DefaultCacheDir] is the usual value.
	CacheDir string
	// Resident lets the backend process stay running for this user's
	// later Opens, which attach to it (rpmpgp's resident setting; see the
	// README): the instance lives in $XDG_RUNTIME_DIR/rpmpgp, is shared
	// only by the same user with the same binary (device, inode, size,
	// times, pin), ResidentKey and backend-relevant environment, serves
	// one session at a time with a fresh backend each and exits after 60 s
	// without one. When it cannot be used, Open starts the backend as
	// usual, after one line to Warn saying why (a busy instance is not
	// worth a line). False: nothing is created under $XDG_RUNTIME_DIR.
	Resident bool
	// ResidentKey names the settings that fix process-wide state of a
	// backend and so must match for an instance to be shared (rpmpgp
	// passes the FIPS mode).
	ResidentKey string
	// Warn receives the warning of a resident backend that could not be
	// used (nil: Logger's Warn).
	Warn func(string)
}

// Open finds the binary rpmpgp-backend-<name> in [SearchPath](cfg.Dirs),
// checks its checksum when cfg.Checksums pins one, starts it and returns a
// Client for it. A missing, unrunnable or mismatching backend gives one
// error naming the backend and every directory searched. The caller must
// Close the Client; [CloseAll] and [CloseOnSignal] help with that.
func Open(name string, cfg LoadConfig) (*Client, error) {
	dirs := SearchPath(cfg.Dirs)
	where := "searched " + strings.Join(quoteAll(dirs), ", ")
	if len(dirs) == 0 {
		where = "no directory to search"
	}
	if !ValidName(name) {
		return nil, fmt.Errorf("backend %q: invalid backend name", name)
	}
	var want []byte
	if _, ok := cfg.Checksums[name]; !ok && cfg.RequirePins {
		return nil, fmt.Errorf("backend %q: %w: no checksum pinned for it and pins are required", name, ErrNotPinned)
	}
	if s, ok := cfg.Checksums[name]; ok {
		var err error
		if want, err = launch.ParseChecksum(s); err != nil {
			return nil, fmt.Errorf("backend %q: %w", name, err)
		}
	}
	if err := spawn.CheckDirs(dirs); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
	}
	path, unusable := spawn.Find(name, dirs)
	if path == "" {
		if len(unusable) > 0 {
			where += "; not executable regular files: " + strings.Join(quoteAll(unusable), ", ")
		}
		return nil, fmt.Errorf("backend %q: %w: no executable %s%s (%s)", name, ErrNotFound, BinaryPrefix, name, where)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	timeout := cfg.CallTimeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	l := &launch.Launcher{Name: name, Path: path, Want: want, CacheDir: cfg.CacheDir, StartTimeout: timeout, Logger: logger,
		Resident: cfg.Resident, ResidentKey: cfg.ResidentKey, Warn: cfg.Warn}
	c := newClient(supervise.New(name, path, timeout, logger, func() (supervise.Process, error) { return l.Launch() }))
	if err := c.sup.Start(); err != nil {
		c.Close()
		if errors.Is(err, ErrChecksumMismatch) || errors.Is(err, ErrUntrusted) {
			return nil, fmt.Errorf("backend %q: %w", name, err)
		}
		return nil, fmt.Errorf("backend %q: %w (%s)", name, err, where)
	}
	register(c)
	return c, nil
}

// quoteAll quotes every string.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

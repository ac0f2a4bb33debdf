package plugin

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

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
	// CallTimeout bounds each call (zero: DefaultCallTimeout); a bulk digest
	// update gets it per 1 MiB chunk. It also bounds the start-up handshake.
	CallTimeout time.Duration
	// Logger receives go-plugin's messages and the backend's log lines
	// (nil: discarded).
	Logger hclog.Logger
	// CacheDir holds the checksum cache (checksums.json), so that a pinned
	// binary is only re-hashed when its device, inode, size, mtime or ctime
	// changes. Empty: no cache, every start hashes the binary; a relative
	// path is ignored. [DefaultCacheDir] is the usual value.
	CacheDir string
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
	if s, ok := cfg.Checksums[name]; ok {
		var err error
		if want, err = parseChecksum(s); err != nil {
			return nil, fmt.Errorf("backend %q: %w", name, err)
		}
	}
	path, unusable := find(name, dirs)
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
	l := &launcher{name: name, path: path, want: want, cfg: cfg, logger: logger}
	c := newClient(name, path, cfg.CallTimeout, logger, l.launch)
	if err := c.start(); err != nil {
		c.Close()
		if errors.Is(err, ErrChecksumMismatch) {
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

// ChecksumError is the error (wrapping [ErrChecksumMismatch]) for a backend
// binary whose SHA-256 is not the configured one. The binary was not run.
// Open reports it as `backend "gocrypto": checksum mismatch for /path:
// expected ..., got ...`.
type ChecksumError struct {
	Backend  string
	Path     string
	Expected string
	Got      string
}

// Error implements error.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s: expected %s, got %s", e.Path, e.Expected, e.Got)
}

// Unwrap returns [ErrChecksumMismatch].
func (e *ChecksumError) Unwrap() error { return ErrChecksumMismatch }

// launcher starts processes of one backend binary.
type launcher struct {
	name   string
	path   string
	want   []byte
	cfg    LoadConfig
	logger hclog.Logger
}

// procFD reports whether /proc/self/fd can be used to exec an open file.
var procFD = sync.OnceValue(func() bool {
	fi, err := os.Stat("/proc/self/fd")
	return err == nil && fi.IsDir()
})

// launch opens the binary, checks its checksum on the open file and execs
// that same file through /proc/self/fd/N, so that the bytes that were
// checked are the bytes that run (no window between check and exec in which
// the path could be swapped). After the start it checks that the file was
// not modified in place meanwhile (once running, the kernel refuses writes
// to it with ETXTBSY).
func (l *launcher) launch() (*instance, error) {
	f, err := os.Open(l.path)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", l.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", l.path)
	}
	id, err := idOf(fi)
	if err != nil {
		return nil, err
	}
	if l.want != nil {
		sum, cached, err := hashFile(f, l.path, id, l.cfg.CacheDir)
		if err != nil {
			return nil, err
		}
		l.logger.Debug("backend checksum", "backend", l.name, "path", l.path, "cached", cached)
		if !bytes.Equal(sum, l.want) {
			return nil, &ChecksumError{Backend: l.name, Path: l.path, Expected: hex.EncodeToString(l.want), Got: hex.EncodeToString(sum)}
		}
	}
	execPath := l.path
	switch {
	case isScript(f):
		// The interpreter of a script opens it by name after exec, when
		// our close-on-exec descriptor is already gone.
		if l.want != nil {
			l.logger.Warn("backend is a script: the checked file is executed by path", "path", l.path)
		}
	case procFD():
		execPath = fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	case l.want != nil:
		l.logger.Warn("/proc/self/fd is not available: the checked backend binary is executed by path", "path", l.path)
	}
	cmd := &exec.Cmd{
		Path: execPath,
		Args: []string{l.path},
		// The backend dies with the host, even on SIGKILL of the host.
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL},
	}
	// The descriptor channel (fdpass.go); without one, packages are
	// verified call by call.
	fds, childEnd, err := newFDChannel()
	if err == nil {
		cmd.ExtraFiles = []*os.File{childEnd}
		// go-plugin appends the host's environment after this, so an
		// inherited value would win: the backend checks the descriptor.
		cmd.Env = []string{fmt.Sprintf("%s=%d", EnvFDChannel, childFDChannel)}
		defer childEnd.Close()
	} else {
		l.logger.Warn("no descriptor channel; packages are verified call by call", "error", err)
	}
	stderr := &tailBuffer{}
	pcfg := l.clientConfig(stderr)
	pcfg.Cmd = cmd
	pc := goplugin.NewClient(pcfg)
	inst, err := connect(pc, cmd, stderr)
	runtime.KeepAlive(f)
	if err != nil {
		fds.close()
		return nil, fmt.Errorf("starting %s: %w", l.path, err)
	}
	inst.fds = fds
	if l.want != nil {
		fi, err := f.Stat()
		if err == nil {
			var now fileID
			if now, err = idOf(fi); err == nil && now != id {
				err = errors.New("the binary was modified while it was started")
			}
		}
		if err != nil {
			inst.kill()
			return nil, fmt.Errorf("starting %s: %w", l.path, err)
		}
	}
	l.logger.Debug("backend started", "backend", l.name, "path", l.path, "pid", inst.pid)
	return inst, nil
}

// clientConfig is go-plugin's configuration for a start of l's backend,
// without the process (Cmd); stderr collects what the backend writes there.
func (l *launcher) clientConfig(stderr *tailBuffer) *goplugin.ClientConfig {
	timeout := l.cfg.CallTimeout
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	return &goplugin.ClientConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: pluginSets(nil, nil, nil),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           pluginLogFilter{l.logger.Named(l.name)},
		StartTimeout:     timeout,
		Stderr:           stderr,
		// What the backend's Go code writes to os.Stderr after Serve
		// (go-plugin redirects it) arrives here, asynchronously.
		SyncStderr: stderr,
	}
}

// connect starts the process of pc (cmd) and dispenses the backend client.
func connect(pc *goplugin.Client, cmd *exec.Cmd, stderr *tailBuffer) (*instance, error) {
	inst := &instance{pc: pc, cmd: cmd, stderr: stderr}
	fail := func(err error) (*instance, error) {
		// go-plugin's start-up errors span many lines; the first says it.
		msg, _, _ := strings.Cut(err.Error(), "\n")
		msg = strings.TrimSpace(msg)
		if inst.process() != nil {
			inst.waitExited(exitWait)
		}
		if reason := inst.exitReason(); reason != "" {
			// exitReason quotes stderr itself.
			msg = "handshake failed: " + reason
		} else if why := stderr.lastError(); why != "" {
			msg += " (stderr: " + why + ")"
		}
		inst.kill()
		return nil, errors.New(msg)
	}
	rpc, err := pc.Client()
	if err != nil {
		return fail(err)
	}
	// The connection is up (go-plugin opened its stdio stream over it), so
	// the socket file has served its purpose. Removed now, it is not left
	// behind when the host dies by SIGKILL.
	if sock := inst.socket(); sock != "" {
		_ = os.Remove(sock)
	}
	if cmd.Process != nil {
		inst.pid = cmd.Process.Pid
	}
	raw, err := rpc.Dispense(PluginName)
	if err != nil {
		return fail(err)
	}
	bc, ok := raw.(pb.BackendClient)
	if !ok {
		return fail(fmt.Errorf("plugin %q has type %T", PluginName, raw))
	}
	inst.rpc = bc
	return inst, nil
}

// isScript reports whether f starts with "#!".
func isScript(f *os.File) bool {
	var magic [2]byte
	n, _ := f.ReadAt(magic[:], 0)
	return n == 2 && string(magic[:]) == "#!"
}

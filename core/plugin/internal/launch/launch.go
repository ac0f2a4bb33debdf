// Package launch checks and starts backend processes: the search path and
// discovery of rpmpgp-backend-* binaries with symlinks resolved
// (discover.go, over package spawn's search and trust checks), the SHA-256
// pinning with its cache (checksum.go), the command that executes the
// checked bytes through /proc/self/fd and gives the process its end of the
// descriptor channel (command.go), the start itself (launch.go), the
// adoption of a process started early (early.go) and resident instances
// (resident.go). A started process is a [Process] (process.go).
package launch

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
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// ErrChecksumMismatch is wrapped when a backend binary does not have its
// configured SHA-256 checksum; the binary was not run.
var ErrChecksumMismatch = errors.New("checksum mismatch")

// ChecksumError is the error (wrapping [ErrChecksumMismatch]) for a backend
// binary whose SHA-256 is not the configured one. The binary was not run.
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

// Launcher starts processes of one backend binary.
type Launcher struct {
	// Name is the backend's name, Path its binary.
	Name, Path string
	// Want is the SHA-256 the binary must have (nil: not pinned).
	Want []byte
	// CacheDir holds the checksum cache ("": none; see hashFile).
	CacheDir string
	// StartTimeout bounds the start-up handshake.
	StartTimeout time.Duration
	// Logger receives go-plugin's messages and the backend's log lines;
	// it must not be nil.
	Logger hclog.Logger
	// Resident attaches to this user's resident instance of the binary,
	// starting one when none runs (resident.go); ResidentKey names what
	// else must match for an instance to be shared (the FIPS mode).
	Resident    bool
	ResidentKey string
	// Warn receives the one line that says why a resident backend could
	// not be used (nil: the Logger's Warn).
	Warn func(string)

	warnOnce sync.Once
}

// Launch opens the binary, checks its checksum on the open file and execs
// that same file through /proc/self/fd/N, so that the bytes that were
// checked are the bytes that run (no window between check and exec in which
// the path could be swapped). After the start it checks that the file was
// not modified in place meanwhile (once running, the kernel refuses writes
// to it with ETXTBSY).
func (l *Launcher) Launch() (*Process, error) {
	f, id, err := openBinary(l.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if l.Want != nil {
		sum, cached, err := hashFile(f, l.Path, id, l.CacheDir)
		if err != nil {
			return nil, err
		}
		l.Logger.Debug("backend checksum", "backend", l.Name, "path", l.Path, "cached", cached)
		if !bytes.Equal(sum, l.Want) {
			return nil, &ChecksumError{Backend: l.Name, Path: l.Path, Expected: hex.EncodeToString(l.Want), Got: hex.EncodeToString(sum)}
		}
	}
	if l.Resident {
		if p := l.launchResident(f, id); p != nil {
			return p, nil
		}
	}
	if p := l.adoptEarly(id); p != nil {
		return p, nil
	}
	c := newCommand(l.Path, f)
	// The socket file is removed once connected (connect), its directory
	// when the start is over.
	defer spawn.RemoveSocketDir(c.SockDir)
	if c.NoChannel != nil {
		l.Logger.Warn("no descriptor channel; packages are verified call by call", "error", c.NoChannel)
	}
	if c.ByPath && l.Want != nil {
		if spawn.IsScript(f) {
			l.Logger.Warn("backend is a script: the checked file is executed by path", "path", l.Path)
		} else {
			l.Logger.Warn("/proc/self/fd is not available: the checked backend binary is executed by path", "path", l.Path)
		}
	}
	stderr := &tailBuffer{}
	pc := goplugin.NewClient(l.clientConfig(stderr, func(cfg *goplugin.ClientConfig) {
		cfg.Cmd = c.Cmd
	}))
	p, err := connect(pc, c.Cmd, stderr, l.StartTimeout)
	c.Started()
	runtime.KeepAlive(f)
	if err != nil {
		c.FDs.Close()
		return nil, fmt.Errorf("starting %s: %w", l.Path, err)
	}
	p.fds = c.FDs
	if l.Want != nil {
		if err := unchanged(f, id); err != nil {
			p.Kill()
			return nil, fmt.Errorf("starting %s: %w", l.Path, err)
		}
	}
	l.Logger.Debug("backend started", "backend", l.Name, "path", l.Path, "pid", p.pid)
	return p, nil
}

// clientConfig is go-plugin's configuration of a started backend process;
// with sets how go-plugin gets the process (Cmd or RunnerFunc).
func (l *Launcher) clientConfig(stderr *tailBuffer, with func(*goplugin.ClientConfig)) *goplugin.ClientConfig {
	cfg := &goplugin.ClientConfig{
		HandshakeConfig:  wire.Handshake,
		VersionedPlugins: wire.Plugins(nil),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           pluginLogFilter{l.Logger.Named(l.Name)},
		StartTimeout:     l.StartTimeout,
		// The command's environment holds the host's already
		// (spawn.BackendEnv).
		SkipHostEnv: true,
		Stderr:      stderr,
		// What the backend's Go code writes to os.Stderr after Serve
		// (go-plugin redirects it) arrives here, asynchronously.
		SyncStderr: stderr,
	}
	with(cfg)
	return cfg
}

// unchanged checks that the pinned binary f, opened and hashed as id, was
// not modified in place while it was started (once it runs, the kernel
// refuses writes to it with ETXTBSY).
func unchanged(f *os.File, id spawn.FileID) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	now, err := spawn.IDOf(fi)
	if err == nil && now != id {
		err = errors.New("the binary was modified while it was started")
	}
	return err
}

// goPluginStartTimeout starts go-plugin's error for a backend that did not
// complete its handshake within ClientConfig.StartTimeout
// (github.com/hashicorp/go-plugin client.go, Client.Start).
const goPluginStartTimeout = "timeout while waiting for plugin to start"

// connect starts the process of pc (cmd) and dispenses the backend client;
// deadline is the handshake deadline pc was configured with.
func connect(pc *goplugin.Client, cmd *exec.Cmd, stderr *tailBuffer, deadline time.Duration) (*Process, error) {
	p := &Process{pc: pc, cmd: cmd, stderr: stderr}
	fail := func(err error) (*Process, error) {
		// go-plugin's start-up errors span many lines; the first says it.
		msg, _, _ := strings.Cut(err.Error(), "\n")
		msg = strings.TrimSpace(msg)
		// A process that ended gets a moment to be reaped, so that its exit
		// status and last words are quoted; one that let the handshake
		// deadline pass is killed at once (one deadline in total).
		hung := strings.HasPrefix(msg, goPluginStartTimeout)
		if cmd.Process != nil && !hung {
			p.WaitExited(exitWait)
		}
		if hung {
			if deadline <= 0 {
				deadline = time.Minute // go-plugin's default StartTimeout
			}
			// Killed below, with its process group.
			msg = fmt.Sprintf("handshake deadline of %v expired: the backend did not complete the plugin handshake and was killed", deadline)
			if why := stderr.lastError(); why != "" {
				msg += " (stderr: " + why + ")"
			}
		} else if reason := p.ExitReason(); reason != "" {
			// ExitReason quotes stderr itself.
			msg = "handshake failed: " + reason
		} else if why := stderr.lastError(); why != "" {
			msg += " (stderr: " + why + ")"
		}
		p.Kill()
		return nil, errors.New(msg)
	}
	rpc, err := pc.Client()
	if err != nil {
		return fail(err)
	}
	// The connection is up (go-plugin opened its stdio stream over it), so
	// the socket file has served its purpose. Removed now, it is not left
	// behind when the host dies by SIGKILL.
	if sock := p.Socket(); sock != "" {
		_ = os.Remove(sock)
	}
	if cmd.Process != nil {
		p.pid = cmd.Process.Pid
	}
	bc, err := dispense(rpc)
	if err != nil {
		return fail(err)
	}
	p.rpc = bc
	return p, nil
}

// dispense returns the backend service's client of a connected go-plugin
// client.
func dispense(rpc goplugin.ClientProtocol) (pb.BackendClient, error) {
	raw, err := rpc.Dispense(wire.PluginName)
	if err != nil {
		return nil, err
	}
	bc, ok := raw.(pb.BackendClient)
	if !ok {
		return nil, fmt.Errorf("plugin %q has type %T", wire.PluginName, raw)
	}
	return bc, nil
}

package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// adoptEarly returns the backend process the host started early
// (spawn.StartEarly, before its configuration was read) when it is the
// process this Launcher would start: the same binary (path and identity
// id, which the caller opened and checked), no checksum pinned (an early
// start runs the binary before the configuration could pin one), and the
// same environment. It completes go-plugin's handshake with it. Otherwise,
// or when the handshake fails, the process is discarded and adoptEarly
// returns nil: the caller starts the backend as usual.
func (l *Launcher) adoptEarly(id spawn.FileID) *Process {
	if l.Want != nil {
		spawn.DiscardEarly()
		l.Logger.Debug("backend started early not used", "reason", "a checksum is pinned")
		return nil
	}
	e, err := spawn.TakeEarly(l.Path, id)
	if e == nil {
		l.Logger.Debug("backend started early not used", "reason", err)
		return nil
	}
	defer spawn.RemoveSocketDir(e.SockDir)
	fds, err := fdpass.SenderFrom(e.Channel)
	e.Channel = nil // taken over
	if err != nil {
		l.Logger.Debug("backend started early not used", "reason", err)
		e.Discard()
		return nil
	}
	// go-plugin's view of the process: its Process and, once waited for,
	// its ProcessState.
	cmd := &exec.Cmd{Path: e.Path, Args: []string{e.Path}, Env: e.Env, Process: e.Process}
	var refused error
	handed := false // go-plugin got the process (and waits for it)
	stderr := &tailBuffer{}
	pc := goplugin.NewClient(l.clientConfig(stderr, func(cfg *goplugin.ClientConfig) {
		// go-plugin makes a directory for the sockets of a runner's
		// plugin (os.MkdirTemp in UnixSocketConfig.TempDir): inside the
		// process's own socket directory, which the deferred
		// RemoveSocketDir, or the next start when this host is killed,
		// removes with it (in $TMPDIR itself nothing would).
		cfg.UnixSocketConfig = &goplugin.UnixSocketConfig{TempDir: e.SockDir}
		cfg.RunnerFunc = func(_ hclog.Logger, spec *exec.Cmd, _ string) (runner.Runner, error) {
			if refused = handshakeCheck(spec.Env); refused != nil {
				return nil, refused
			}
			handed = true
			return &earlyRunner{e: e, cmd: cmd}, nil
		}
	}))
	// The handshake alone first: go-plugin's Client would start again
	// after a failed start.
	if _, err := pc.Start(); err != nil {
		l.Logger.Debug("backend started early not used", "reason", err)
		fds.Close()
		if !handed {
			// go-plugin never ran it (a refused handshake, or a failure
			// before): it is still ours to end.
			e.Discard()
			return nil
		}
		// go-plugin ran it and killed its leader; its group too while
		// the leader is not reaped (its pid cannot have been reused),
		// then pc.Kill waits for go-plugin's goroutines, Wait included.
		if !pc.Exited() {
			_ = syscall.Kill(-e.Process.Pid, syscall.SIGKILL)
		}
		pc.Kill()
		e.Release()
		return nil
	}
	p, err := connect(pc, cmd, stderr, l.StartTimeout)
	if err != nil {
		l.Logger.Debug("backend started early not used", "reason", err)
		fds.Close()
		// connect killed the process (as for a normal start) and
		// go-plugin reaped it: only the descriptors are left.
		e.Release()
		return nil
	}
	p.fds = fds
	l.Logger.Debug("backend started early", "backend", l.Name, "path", l.Path, "pid", p.pid)
	return p
}

// handshakeCheck is checkHandshake; tests replace it.
var handshakeCheck = checkHandshake

// checkHandshake reports whether env, the environment go-plugin made for
// the plugin it starts, holds what spawn.HandshakeEnv gave the process
// started early (PLUGIN_UNIX_SOCKET_DIR aside: that process has its own).
func checkHandshake(env []string) error {
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, spawn.EnvUnixSocketDir+"=") })
	if want := spawn.HandshakeEnv(); !slices.Equal(env, want) {
		return fmt.Errorf("go-plugin's handshake environment is %q, the process started early has %q", env, want)
	}
	return nil
}

// earlyRunner is go-plugin's view of a process started early: already
// running, with the pipes it was started with (go-plugin's own command
// runner, internal/cmdrunner, otherwise).
type earlyRunner struct {
	e   *spawn.Early
	cmd *exec.Cmd
}

var _ runner.Runner = (*earlyRunner)(nil)

// Start implements runner.Runner: the process runs already.
func (r *earlyRunner) Start(context.Context) error { return nil }

// Diagnose implements runner.Runner.
func (r *earlyRunner) Diagnose(context.Context) string { return "" }

// Stdout implements runner.Runner.
func (r *earlyRunner) Stdout() io.ReadCloser { return r.e.Stdout }

// Stderr implements runner.Runner.
func (r *earlyRunner) Stderr() io.ReadCloser { return r.e.Stderr }

// Name implements runner.Runner.
func (r *earlyRunner) Name() string { return r.e.Path }

// Wait implements runner.AttachedRunner. Like exec.Cmd.Wait for a
// process started with StdoutPipe and StderrPipe, it closes the host's
// ends of the pipes (go-plugin has read them to the end before it waits).
func (r *earlyRunner) Wait(context.Context) error {
	err := r.cmd.Wait()
	r.e.Stdout.Close()
	r.e.Stderr.Close()
	return err
}

// Kill implements runner.AttachedRunner; killing an exited process again
// is not an error.
func (r *earlyRunner) Kill(context.Context) error {
	if err := r.e.Process.Kill(); !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

// ID implements runner.AttachedRunner.
func (r *earlyRunner) ID() string { return strconv.Itoa(r.e.Process.Pid) }

// PluginToHost implements runner.AddrTranslator: same host, same address.
func (r *earlyRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

// HostToPlugin implements runner.AddrTranslator.
func (r *earlyRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

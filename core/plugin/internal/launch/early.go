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
		return nil
	}
	e, err := spawn.TakeEarly(l.Path, id)
	if err != nil {
		l.Logger.Debug("backend started early not used", "reason", err)
	}
	if e == nil {
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
	// The command go-plugin's view of the process is made of (Process
	// and, once waited for, ProcessState).
	cmd := &exec.Cmd{Path: e.Path, Args: []string{e.Path}, Env: e.Env, Process: e.Process}
	stderr := &tailBuffer{}
	pc := goplugin.NewClient(l.clientConfig(stderr, func(cfg *goplugin.ClientConfig) {
		cfg.RunnerFunc = func(_ hclog.Logger, spec *exec.Cmd, tmpDir string) (runner.Runner, error) {
			// go-plugin made a socket directory for it; the process
			// has its own.
			_ = os.Remove(tmpDir)
			if err := checkHandshake(spec.Env); err != nil {
				return nil, err
			}
			return &earlyRunner{e: e, cmd: cmd}, nil
		}
	}))
	p, err := connect(pc, cmd, stderr, l.StartTimeout)
	if err != nil {
		l.Logger.Debug("backend started early not used", "reason", err)
		fds.Close()
		e.Discard()
		return nil
	}
	p.fds = fds
	l.Logger.Debug("backend started early", "backend", l.Name, "path", l.Path, "pid", p.pid)
	return p
}

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

// Wait implements runner.AttachedRunner.
func (r *earlyRunner) Wait(context.Context) error { return r.cmd.Wait() }

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

package plugin

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/rpmpgp/rpmpgp/core/plugin/prestart"
)

// errNotAdopted means that go-plugin would give the backend another
// environment than the early process got: the launcher then starts the
// backend itself.
var errNotAdopted = errors.New("early backend process not adopted: its environment differs")

// adoption hands a process started by package prestart to go-plugin in
// place of the process go-plugin would start, when it is that process: the
// same binary (device and inode, checked by the launcher) and the same
// environment, which go-plugin computes only when it starts the backend
// (its RunnerFunc).
type adoption struct {
	pre *prestart.Process

	// Set by runnerFunc.
	runner    *adoptedRunner
	socketDir string // go-plugin's socket directory, unused: removed once connected
}

// runnerFunc is go-plugin's ClientConfig.RunnerFunc: cmd carries the
// environment go-plugin gives a backend (the host's, its cookie and
// versions, and socketDir for the Unix socket).
func (a *adoption) runnerFunc(_ hclog.Logger, cmd *exec.Cmd, socketDir string) (runner.Runner, error) {
	a.socketDir = socketDir
	env := append([]string{EnvFDChannel + "=" + strconv.Itoa(childFDChannel)}, cmd.Env...)
	if !sameEnv(a.pre.Env, env) {
		return nil, errNotAdopted
	}
	a.runner = &adoptedRunner{p: a.pre}
	return a.runner, nil
}

// sameEnv reports whether two environments give a process the same
// variables, apart from the Unix socket directory (each start has its own).
// The first entry of a name counts, as in Go's os.Getenv.
func sameEnv(a, b []string) bool {
	ma, mb := effectiveEnv(a), effectiveEnv(b)
	if len(ma) != len(mb) {
		return false
	}
	for k, v := range ma {
		if w, ok := mb[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// effectiveEnv maps each name of env to its first value, without
// prestart.EnvSocketDir.
func effectiveEnv(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		k, v := kv, ""
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				k, v = kv[:i], kv[i+1:]
				break
			}
		}
		if _, seen := m[k]; !seen && k != prestart.EnvSocketDir {
			m[k] = v
		}
	}
	return m
}

// adoptedRunner is go-plugin's runner for an adopted process: already
// started, with its own pipes.
type adoptedRunner struct {
	p *prestart.Process

	mu    sync.Mutex
	state *os.ProcessState
}

var _ runner.Runner = (*adoptedRunner)(nil)

// Start implements runner.Runner: the process runs already.
func (r *adoptedRunner) Start(context.Context) error { return nil }

// Diagnose implements runner.Runner.
func (r *adoptedRunner) Diagnose(context.Context) string { return "" }

// Stdout implements runner.Runner.
func (r *adoptedRunner) Stdout() io.ReadCloser { return r.p.Stdout }

// Stderr implements runner.Runner.
func (r *adoptedRunner) Stderr() io.ReadCloser { return r.p.Stderr }

// Name implements runner.Runner.
func (r *adoptedRunner) Name() string { return r.p.Path }

// Wait implements runner.Runner: it reaps the process and keeps its exit
// status for [instance.exitReason].
func (r *adoptedRunner) Wait(context.Context) error {
	st, err := r.p.Proc.Wait()
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.state = st
	r.mu.Unlock()
	if !st.Success() {
		return &exec.ExitError{ProcessState: st}
	}
	return nil
}

// processState returns the exit status once reaped (nil before).
func (r *adoptedRunner) processState() *os.ProcessState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// Kill implements runner.Runner.
func (r *adoptedRunner) Kill(context.Context) error {
	if err := r.p.Proc.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

// ID implements runner.Runner.
func (r *adoptedRunner) ID() string { return strconv.Itoa(r.p.Proc.Pid) }

// PluginToHost implements runner.Runner: host and backend share the
// network namespace.
func (r *adoptedRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

// HostToPlugin implements runner.Runner.
func (r *adoptedRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

// closePipes closes the host's ends of the pipes once the process is gone.
func (r *adoptedRunner) closePipes() {
	_ = r.p.Stdout.Close()
	_ = r.p.Stderr.Close()
}

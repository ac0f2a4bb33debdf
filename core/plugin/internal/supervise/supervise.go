// Package supervise keeps one backend process usable for the calls of a
// host: it starts the process on first use, applies the last Init options
// again to a process it had to restart, turns a crash, an exit, a lost
// connection or a missed deadline into [ErrBackendFailed] (killing the
// process if it still runs), and fails every call after a failed Init or
// Close. The calls themselves (package calls, package batch) go through
// [Invoke] and [InvokeOn].
package supervise

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// Errors of supervision.
var (
	// ErrBackendFailed is wrapped by the error of a call during which the
	// backend process crashed, exited, hung (no answer within the call
	// timeout; the process is then killed) or lost its connection. The
	// next call starts a new process; digests of the old process are gone.
	ErrBackendFailed = errors.New("backend process failed")
	// ErrClosed is returned by every call after Close.
	ErrClosed = errors.New("backend client is closed")
)

// DefaultCallTimeout is the per-call deadline when none is configured. A
// bulk digest update gets this much time per chunk of 1 MiB, so its
// deadline scales with the size of the data.
const DefaultCallTimeout = 30 * time.Second

// exitWait is how long a failed call waits for the backend process to be
// seen exiting, so that the error can say how it exited.
const exitWait = 2 * time.Second

// ErrCallTimeout is the context cause of a call that ran out of time.
var ErrCallTimeout = errors.New("call timeout")

// BudgetTimeout is the context cause of a streamed call that waited longer
// than its budget (D) for the backend's next message.
type BudgetTimeout struct{ D time.Duration }

func (b BudgetTimeout) Error() string { return fmt.Sprintf("no answer within %v", b.D) }

// Process is a started backend process (package launch's, or an in-memory
// server in tests).
type Process interface {
	// RPC is the backend service's client.
	RPC() pb.BackendClient
	// PID is the process ID (negative in memory).
	PID() int
	// FDs is the host's end of the descriptor channel (nil: none).
	FDs() *fdpass.Sender
	// Exited reports whether the process is known to have exited;
	// WaitExited waits up to d for that.
	Exited() bool
	WaitExited(d time.Duration)
	// ExitReason says how the process ended ("" while it runs).
	ExitReason() string
	// SigKill kills the process at once; Kill also reaps it and releases
	// everything (Stop after SigKill).
	SigKill()
	Kill()
	// Stop ends the process and waits for it; Abandon does not wait.
	// Only the first of Stop, Abandon and Kill acts.
	Stop()
	Abandon()
}

// Instance is a process as the supervisor uses it.
type Instance struct {
	Process
	retired atomic.Bool

	// keyrings are the keyring versions this process was sent (the batch
	// protocol's cache of keyrings in the backend process).
	kmu      sync.Mutex
	keyrings map[uint64]bool
}

// Usable reports whether calls may go to i.
func (i *Instance) Usable() bool { return !i.retired.Load() && !i.Exited() }

// AddKeyring records that the process holds keyring version v.
func (i *Instance) AddKeyring(v uint64) {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	if i.keyrings == nil {
		i.keyrings = make(map[uint64]bool)
	}
	i.keyrings[v] = true
}

// HasKeyring reports whether the process was sent keyring version v.
func (i *Instance) HasKeyring(v uint64) bool {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	return i.keyrings[v]
}

// ForgetKeyring records that the process no longer holds version v.
func (i *Instance) ForgetKeyring(v uint64) {
	i.kmu.Lock()
	defer i.kmu.Unlock()
	delete(i.keyrings, v)
}

// Supervisor keeps the process of one backend. It is safe for concurrent
// use.
type Supervisor struct {
	name    string
	path    string
	timeout time.Duration
	logger  hclog.Logger
	launch  func() (Process, error)

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	inst     *Instance
	started  bool
	closed   bool
	opts     *core.Options
	initErr  error
	restarts int
}

// New returns a Supervisor that starts processes with launch; nothing is
// started yet. A timeout <= 0 is [DefaultCallTimeout]; a nil logger
// discards.
func New(name, path string, timeout time.Duration, logger hclog.Logger, launch func() (Process, error)) *Supervisor {
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Supervisor{name: name, path: path, timeout: timeout, logger: logger, launch: launch, ctx: ctx, cancel: cancel}
}

// Name returns the backend's name.
func (s *Supervisor) Name() string { return s.name }

// Path returns the backend binary's path.
func (s *Supervisor) Path() string { return s.path }

// Timeout returns the call timeout.
func (s *Supervisor) Timeout() time.Duration { return s.timeout }

// Context is cancelled by Close; every call's context derives from it.
func (s *Supervisor) Context() context.Context { return s.ctx }

// Restarts returns how many times a process was started to replace one
// that failed.
func (s *Supervisor) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// Running returns the running instance without starting one (nil: none
// runs: not started yet, failed, or closed).
func (s *Supervisor) Running() *Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inst == nil || !s.inst.Usable() {
		return nil
	}
	return s.inst
}

// Close kills the process and waits for it to exit; calls in flight fail
// with [ErrClosed]. It is idempotent.
func (s *Supervisor) Close() {
	if inst := s.closeSupervisor(); inst != nil {
		inst.Stop()
	}
}

// Abandon is Close without waiting for the process, for a program that is
// about to exit.
func (s *Supervisor) Abandon() {
	if inst := s.closeSupervisor(); inst != nil {
		inst.Abandon()
	}
}

// closeSupervisor marks s closed and returns its instance to end (nil:
// none, or already closed).
func (s *Supervisor) closeSupervisor() *Instance {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	inst := s.inst
	s.inst = nil
	s.mu.Unlock()
	s.cancel()
	if inst != nil {
		inst.retired.Store(true)
	}
	return inst
}

// Start makes sure a process runs (to fail early).
func (s *Supervisor) Start() error {
	_, err := s.Current()
	return err
}

// Current returns the running instance, starting one if none runs.
func (s *Supervisor) Current() (*Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if s.initErr != nil {
		return nil, fmt.Errorf("backend is unusable after a failed Init: %w", s.initErr)
	}
	if s.inst != nil {
		if s.inst.Usable() {
			return s.inst, nil
		}
		s.retireLocked(s.inst)
	}
	p, err := s.launch()
	if err != nil {
		return nil, err
	}
	inst := &Instance{Process: p}
	if s.started {
		s.restarts++
		s.logger.Warn("backend process restarted", "backend", s.name, "pid", inst.PID(), "restarts", s.restarts)
	}
	s.started = true
	if s.opts != nil {
		ctx, cancel := context.WithTimeoutCause(s.ctx, s.timeout, ErrCallTimeout)
		resp, err := inst.RPC().Init(ctx, &pb.InitRequest{Options: convert.OptionsToProto(*s.opts)})
		cancel()
		if err == nil {
			err = convert.ErrorFromProto(resp.GetError())
		}
		if err != nil {
			inst.retired.Store(true)
			inst.Stop()
			return nil, fmt.Errorf("re-initialising the restarted backend process: %w", err)
		}
	}
	s.inst = inst
	return inst, nil
}

// retireLocked forgets inst and makes sure its process is gone. s.mu is
// held.
func (s *Supervisor) retireLocked(inst *Instance) {
	inst.retired.Store(true)
	if s.inst == inst {
		s.inst = nil
	}
	inst.Kill()
}

// Retire forgets inst and makes sure its process is gone: the next call
// starts a new one.
func (s *Supervisor) Retire(inst *Instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retireLocked(inst)
}

// Init sends Init with key files to import after it (none: a plain Init)
// and remembers opts for restarted processes once the backend accepted
// them. After an error, every call fails until an Init succeeds, so that a
// caller that ignores the error cannot verify with default settings.
func (s *Supervisor) Init(opts core.Options, files []core.KeyFile) (*pb.InitResponse, error) {
	const op = "Init"
	s.mu.Lock()
	s.initErr = nil // let this Init reach the backend
	s.mu.Unlock()
	resp, err := Invoke(s, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.InitResponse, error) {
		return rpc.Init(ctx, &pb.InitRequest{Options: convert.OptionsToProto(opts), KeyFiles: convert.KeyFilesToProto(files)})
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if !errors.Is(err, ErrClosed) {
			s.initErr = err
		}
		return nil, err
	}
	saved := opts
	saved.Policy = bytes.Clone(opts.Policy)
	s.opts = &saved
	return resp, nil
}

// fatalCode reports whether a gRPC status code means that the backend
// process or the connection to it is broken.
func fatalCode(code codes.Code) bool {
	switch code {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.Internal,
		codes.Unknown, codes.DataLoss, codes.Aborted:
		return true
	}
	return false
}

// OpError names the backend and the operation.
func (s *Supervisor) OpError(op string, err error) error {
	return fmt.Errorf("backend %q: %s: %w", s.name, op, err)
}

// CheckSize refuses a request whose byte payload cannot fit one message.
func (s *Supervisor) CheckSize(op string, n int) error {
	if n > wire.MaxRequestData {
		return s.OpError(op, fmt.Errorf("request carries %d bytes, more than the %d MiB message limit", n, wire.MaxMessageSize>>20))
	}
	return nil
}

// CallFailed turns the transport error of a call on inst into the call's
// error, retiring inst (so the next call restarts the backend) when the
// process or its connection is broken.
func (s *Supervisor) CallFailed(ctx context.Context, inst *Instance, op string, err error) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return s.OpError(op, ErrClosed)
	}
	// The backend's gRPC server cancels the stream at the same deadline,
	// so its RST_STREAM can arrive before our own timer fires: a call that
	// failed at or after its deadline timed out either way.
	deadline, hasDeadline := ctx.Deadline()
	waited := s.timeout
	var bt BudgetTimeout
	if errors.As(context.Cause(ctx), &bt) {
		waited = bt.D
	}
	timedOut := errors.Is(context.Cause(ctx), ErrCallTimeout) || bt.D > 0 || hasDeadline && !time.Now().Before(deadline)
	if !timedOut && !inst.Exited() && !fatalCode(status.Code(err)) {
		// The process is fine; the request was refused (too large, not
		// implemented by an older backend, ...).
		return s.OpError(op, err)
	}
	var reason string
	if timedOut {
		inst.SigKill()
		reason = fmt.Sprintf("no answer within %v; process killed", waited)
	} else {
		inst.WaitExited(exitWait)
		reason = inst.ExitReason()
		if reason == "" {
			reason = "connection lost: " + status.Convert(err).Message()
		}
	}
	s.Retire(inst)
	s.logger.Error("backend call failed", "backend", s.name, "op", op, "pid", inst.PID(), "reason", reason)
	return fmt.Errorf("backend %q: %s: %w (%s); a new process is started for the next call",
		s.name, op, ErrBackendFailed, reason)
}

// response is implemented by every answer message: a backend's own error
// travels in-band.
type response interface{ GetError() *pb.Error }

// Invoke runs one unary call on the current instance.
func Invoke[R response](s *Supervisor, op string, f func(context.Context, pb.BackendClient) (R, error)) (R, error) {
	inst, err := s.Current()
	if err != nil {
		var zero R
		return zero, s.OpError(op, err)
	}
	return InvokeOn(s, inst, op, f)
}

// InvokeOn runs one unary call on inst, which must be usable.
func InvokeOn[R response](s *Supervisor, inst *Instance, op string, f func(context.Context, pb.BackendClient) (R, error)) (R, error) {
	var zero R
	ctx, cancel := context.WithTimeoutCause(s.ctx, s.timeout, ErrCallTimeout)
	defer cancel()
	resp, err := f(ctx, inst.RPC())
	if err != nil {
		return zero, s.CallFailed(ctx, inst, op, err)
	}
	if e := resp.GetError(); e != nil {
		return zero, s.OpError(op, convert.ErrorFromProto(e))
	}
	return resp, nil
}

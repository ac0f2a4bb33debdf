package plugin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// DefaultCallTimeout is the per-call deadline when [LoadConfig.CallTimeout]
// is zero. A bulk digest update gets this much time per chunk of 1 MiB, so
// its deadline scales with the size of the data.
const DefaultCallTimeout = 30 * time.Second

// exitWait is how long a failed call waits for the backend process to be
// seen exiting, so that the error can say how it exited.
const exitWait = 2 * time.Second

// errCallTimeout is the context cause of a call that ran out of time.
var errCallTimeout = errors.New("call timeout")

// budgetTimeout is the context cause of a streamed call that waited longer
// than its budget (d) for the backend's next message.
type budgetTimeout struct{ d time.Duration }

func (b budgetTimeout) Error() string { return fmt.Sprintf("no answer within %v", b.d) }

// Client is an out-of-process backend: it implements [core.Backend] and
// [core.BulkUpdater] by calling a backend binary over gRPC, and [io.Closer].
// It is safe for concurrent use.
//
// Isolation: when the backend process crashes, exits or does not answer
// within the call timeout during a call, that call returns an error wrapping
// [ErrBackendFailed] (never a verdict), the process is killed if it still
// runs, and the next call starts a new process, initialised with the
// Options of the last successful Init. [Client.Restarts] counts those
// restarts. Digests created by a process that is gone return errors.
//
// After a failed Init every call fails until an Init succeeds, so that a
// caller that ignores the error cannot verify with default settings.
type Client struct {
	name    string
	path    string
	timeout time.Duration
	logger  hclog.Logger
	launch  func() (*instance, error)

	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	inst     *instance
	started  bool
	closed   bool
	opts     *core.Options
	initErr  error
	restarts int

	// batched counts packages verified by VerifyPackages (for tests).
	batched atomic.Int64
}

var (
	_ core.Backend     = (*Client)(nil)
	_ core.BulkUpdater = (*Client)(nil)
)

// newClient returns a Client that starts processes with launch; nothing is
// started yet.
func newClient(name, path string, timeout time.Duration, logger hclog.Logger, launch func() (*instance, error)) *Client {
	if timeout <= 0 {
		timeout = DefaultCallTimeout
	}
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Client{name: name, path: path, timeout: timeout, logger: logger, launch: launch, ctx: ctx, cancel: cancel}
}

// Name returns the backend's name ("gocrypto").
func (c *Client) Name() string { return c.name }

// Path returns the backend binary's path.
func (c *Client) Path() string { return c.path }

// Restarts returns how many times a backend process was started to replace
// one that failed.
func (c *Client) Restarts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.restarts
}

// PID returns the process ID of the running backend process, or 0 when none
// runs (not started yet, failed, or closed).
func (c *Client) PID() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inst == nil || !c.inst.usable() {
		return 0
	}
	return c.inst.pid
}

// Close kills the backend process and waits for it to exit; calls in
// flight fail with [ErrClosed]. Close is idempotent.
func (c *Client) Close() error {
	if inst := c.closeClient(); inst != nil {
		inst.stop()
	}
	return nil
}

// Abandon is Close for a program that is about to exit: the backend
// process is killed (SIGKILL) and its socket removed at once, but not
// waited for, which saves about a millisecond of a one-package run; the
// kernel reaps it when the program exits. A long-running program uses
// Close.
func (c *Client) Abandon() {
	if inst := c.closeClient(); inst != nil {
		inst.abandon()
	}
}

// closeClient marks c closed and returns its instance to end (nil: none,
// or already closed).
func (c *Client) closeClient() *instance {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	inst := c.inst
	c.inst = nil
	c.mu.Unlock()
	c.cancel()
	unregister(c)
	if inst != nil {
		inst.retired.Store(true)
	}
	return inst
}

// start makes sure a process runs (used by Open to fail early).
func (c *Client) start() error {
	_, err := c.current()
	return err
}

// current returns the running instance, starting one if none runs.
func (c *Client) current() (*instance, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.initErr != nil {
		return nil, fmt.Errorf("backend is unusable after a failed Init: %w", c.initErr)
	}
	if c.inst != nil {
		if c.inst.usable() {
			return c.inst, nil
		}
		c.retireLocked(c.inst)
	}
	inst, err := c.launch()
	if err != nil {
		return nil, err
	}
	if c.started {
		c.restarts++
		c.logger.Warn("backend process restarted", "backend", c.name, "pid", inst.pid, "restarts", c.restarts)
	}
	c.started = true
	if c.opts != nil {
		ctx, cancel := context.WithTimeoutCause(c.ctx, c.timeout, errCallTimeout)
		resp, err := inst.rpc.Init(ctx, &pb.InitRequest{Options: convert.OptionsToProto(*c.opts)})
		cancel()
		if err == nil {
			err = convert.ErrorFromProto(resp.GetError())
		}
		if err != nil {
			inst.retired.Store(true)
			inst.stop()
			return nil, fmt.Errorf("re-initialising the restarted backend process: %w", err)
		}
	}
	c.inst = inst
	return inst, nil
}

// retireLocked forgets inst and makes sure its process is gone. c.mu is
// held.
func (c *Client) retireLocked(inst *instance) {
	inst.retired.Store(true)
	if c.inst == inst {
		c.inst = nil
	}
	inst.kill()
}

// retire is retireLocked without the lock held.
func (c *Client) retire(inst *instance) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.retireLocked(inst)
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

// opError names the backend and the operation.
func (c *Client) opError(op string, err error) error {
	return fmt.Errorf("backend %q: %s: %w", c.name, op, err)
}

// callFailed turns the transport error of a call on inst into the call's
// error, retiring inst (so the next call restarts the backend) when the
// process or its connection is broken.
func (c *Client) callFailed(ctx context.Context, inst *instance, op string, err error) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return c.opError(op, ErrClosed)
	}
	// The backend's gRPC server cancels the stream at the same deadline,
	// so its RST_STREAM can arrive before our own timer fires: a call that
	// failed at or after its deadline timed out either way.
	deadline, hasDeadline := ctx.Deadline()
	waited := c.timeout
	var bt budgetTimeout
	if errors.As(context.Cause(ctx), &bt) {
		waited = bt.d
	}
	timedOut := errors.Is(context.Cause(ctx), errCallTimeout) || bt.d > 0 || hasDeadline && !time.Now().Before(deadline)
	if !timedOut && !inst.exited() && !fatalCode(status.Code(err)) {
		// The process is fine; the request was refused (too large, not
		// implemented by an older backend, ...).
		return c.opError(op, err)
	}
	var reason string
	if timedOut {
		inst.sigkill()
		reason = fmt.Sprintf("no answer within %v; process killed", waited)
	} else {
		inst.waitExited(exitWait)
		reason = inst.exitReason()
		if reason == "" {
			reason = "connection lost: " + status.Convert(err).Message()
		}
	}
	c.retire(inst)
	c.logger.Error("backend call failed", "backend", c.name, "op", op, "pid", inst.pid, "reason", reason)
	return fmt.Errorf("backend %q: %s: %w (%s); a new process is started for the next call",
		c.name, op, ErrBackendFailed, reason)
}

// response is implemented by every answer message: a backend's own error
// travels in-band.
type response interface{ GetError() *pb.Error }

// invoke runs one unary call on the current instance.
func invoke[R response](c *Client, op string, f func(context.Context, pb.BackendClient) (R, error)) (R, error) {
	inst, err := c.current()
	if err != nil {
		var zero R
		return zero, c.opError(op, err)
	}
	return invokeOn(c, inst, op, f)
}

// invokeOn runs one unary call on inst, which must be usable.
func invokeOn[R response](c *Client, inst *instance, op string, f func(context.Context, pb.BackendClient) (R, error)) (R, error) {
	var zero R
	ctx, cancel := context.WithTimeoutCause(c.ctx, c.timeout, errCallTimeout)
	defer cancel()
	resp, err := f(ctx, inst.rpc)
	if err != nil {
		return zero, c.callFailed(ctx, inst, op, err)
	}
	if e := resp.GetError(); e != nil {
		return zero, c.opError(op, convert.ErrorFromProto(e))
	}
	return resp, nil
}

// checkSize refuses a request whose byte payload cannot fit one message.
func (c *Client) checkSize(op string, n int) error {
	if n > maxRequestData {
		return c.opError(op, fmt.Errorf("request carries %d bytes, more than the %d MiB message limit", n, maxMessageSize>>20))
	}
	return nil
}

// instance is one backend process (or, in tests, one in-memory server).
type instance struct {
	rpc pb.BackendClient
	pid int

	// Process-backed instances; nil in memory.
	pc     *goplugin.Client
	cmd    *exec.Cmd
	stderr *tailBuffer

	// closeFn releases an in-memory instance.
	closeFn func()

	// fds is the descriptor channel (nil: none).
	fds *fdSender
	// keyrings are the keyring versions this process was sent.
	kmu      sync.Mutex
	keyrings map[uint64]bool

	retired  atomic.Bool
	stopOnce sync.Once
}

// exited reports whether the process is known to have exited.
func (i *instance) exited() bool { return i.pc != nil && i.pc.Exited() }

// usable reports whether calls may go to i.
func (i *instance) usable() bool { return !i.retired.Load() && !i.exited() }

// waitExited waits up to d for the process to be seen exiting.
func (i *instance) waitExited(d time.Duration) {
	if i.pc == nil {
		return
	}
	deadline := time.Now().Add(d)
	for !i.pc.Exited() && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
}

// process returns the backend process (nil if not started).
func (i *instance) process() *os.Process {
	if i.cmd != nil {
		return i.cmd.Process
	}
	return nil
}

// processState returns the exit status of the process once reaped.
func (i *instance) processState() *os.ProcessState {
	if i.cmd != nil {
		return i.cmd.ProcessState
	}
	return nil
}

// sigkill kills the process at once (a hung backend gets no grace period).
func (i *instance) sigkill() {
	if p := i.process(); p != nil {
		_ = p.Kill()
	}
}

// kill makes sure the process is gone, at once.
func (i *instance) kill() {
	i.sigkill()
	i.stop()
}

// socket returns the Unix socket the backend listens on ("" if unknown).
func (i *instance) socket() string {
	if rc := i.pc.ReattachConfig(); rc != nil {
		if ua, ok := rc.Addr.(*net.UnixAddr); ok {
			return ua.Name
		}
	}
	return ""
}

// stop ends the instance: the process is killed at once and reaped. A
// backend holds no state worth a graceful exit, and go-plugin's (a Shutdown
// call, then waiting for the exit) costs ~2 ms, a tenth of a one-package
// run. Only a graceful exit removes the Unix socket the backend listened
// on: connect removes it once connected, and stop again in case the start
// failed before.
func (i *instance) stop() { i.end(true) }

// abandon is stop without waiting for the process (Client.Abandon).
func (i *instance) abandon() { i.end(false) }

// end kills the process, removes its socket and, when wait is set, waits
// for the process and go-plugin's goroutines; only the first call acts.
func (i *instance) end(wait bool) {
	i.stopOnce.Do(func() {
		if i.pc != nil {
			sock := i.socket()
			i.sigkill()
			if wait {
				i.pc.Kill()
			}
			if sock != "" {
				_ = os.Remove(sock)
			}
		}
		if i.closeFn != nil {
			i.closeFn()
		}
		i.fds.close()
	})
}

// exitReason describes how the process ended ("" while it runs), with the
// first line of a Go panic or fatal error from its stderr.
func (i *instance) exitReason() string {
	if i.pc == nil {
		return ""
	}
	if !i.pc.Exited() {
		return ""
	}
	reason := "process exited"
	if st := i.processState(); st != nil {
		if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			reason = fmt.Sprintf("process killed by signal %v", ws.Signal())
		} else {
			reason = fmt.Sprintf("process exited with status %d", st.ExitCode())
		}
	}
	if line := i.stderr.lastError(); line != "" {
		reason += ": " + line
	}
	return reason
}

// tailBuffer keeps the last bytes a backend wrote to stderr (go-plugin's
// ClientConfig.Stderr), to quote a panic in the call's error.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

// tailSize is how much stderr a tailBuffer keeps.
const tailSize = 16 << 10

// Write implements io.Writer.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailSize; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// lastError returns the first line of the last Go panic or fatal error in
// the buffer, or else the last non-JSON line; "" if there is none.
func (t *tailBuffer) lastError() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(string(t.buf), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return truncate(l, maxReason)
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "{") {
			return truncate(l, maxReason)
		}
	}
	return ""
}

// maxReason bounds the backend's last words quoted in an error (OpenSSL's
// error chains are long; the useful part is often not the first 200 bytes).
const maxReason = 600

// truncate shortens s to at most n bytes of valid UTF-8.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "..."
}

package launch

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	goplugin "github.com/hashicorp/go-plugin"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// exitWait is how long a failed start waits for the backend process to be
// seen exiting, so that the error can say how it exited.
const exitWait = 2 * time.Second

// Process is one started backend process: its gRPC client, its end of the
// descriptor channel and what it wrote to stderr.
type Process struct {
	rpc    pb.BackendClient
	pid    int
	pc     *goplugin.Client
	cmd    *exec.Cmd
	stderr *tailBuffer
	fds    *fdpass.Sender
	// attached is set for a resident instance this host attached to
	// (resident.go): it is not this host's to kill or wait for.
	attached *attachment

	stopOnce sync.Once
}

// RPC returns the backend service's client.
func (p *Process) RPC() pb.BackendClient { return p.rpc }

// PID returns the process ID.
func (p *Process) PID() int { return p.pid }

// FDs returns the host's end of the descriptor channel (nil: none).
func (p *Process) FDs() *fdpass.Sender { return p.fds }

// OS returns the operating system's process (nil if not started).
func (p *Process) OS() *os.Process {
	if p.cmd != nil {
		return p.cmd.Process
	}
	return nil
}

// Exited reports whether the process is known to have exited.
func (p *Process) Exited() bool { return p.pc.Exited() }

// WaitExited waits up to d for the process to be seen exiting.
func (p *Process) WaitExited(d time.Duration) {
	deadline := time.Now().Add(d)
	for !p.pc.Exited() && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
}

// SigKill kills the process at once (a hung backend gets no grace period).
func (p *Process) SigKill() {
	if p.attached != nil {
		// A hung resident instance: killed through its pidfd.
		p.attached.kill()
		return
	}
	if op := p.OS(); op != nil {
		// The backend leads its own process group (Launch): anything it
		// started dies with it, so no descendant keeps its output pipes
		// open and makes the host wait for them. Only while the leader is
		// not reaped: until then its pid, the group's id, cannot be
		// another process's; after, the number may have been reused and
		// the signal would reach a stranger's group (os.Process.Kill goes
		// through a pidfd and is safe either way).
		if !p.pc.Exited() {
			_ = syscall.Kill(-op.Pid, syscall.SIGKILL)
		}
		_ = op.Kill()
	}
}

// Kill makes sure the process is gone, at once.
func (p *Process) Kill() {
	p.SigKill()
	p.Stop()
}

// Socket returns the Unix socket the backend listens on ("" if unknown or
// a resident instance's, which stays).
func (p *Process) Socket() string {
	if p.attached != nil {
		return ""
	}
	if rc := p.pc.ReattachConfig(); rc != nil {
		if ua, ok := rc.Addr.(*net.UnixAddr); ok {
			return ua.Name
		}
	}
	return ""
}

// Stop ends the process: it is killed at once and reaped. A backend holds
// no state worth a graceful exit, and go-plugin's (a Shutdown call, then
// waiting for the exit) costs ~2 ms, a tenth of a one-package run. Only a
// graceful exit removes the Unix socket the backend listened on: connect
// removes it once connected, and Stop again in case the start failed
// before.
func (p *Process) Stop() { p.end(true) }

// Abandon is Stop without waiting for the process, for a host about to
// exit.
func (p *Process) Abandon() { p.end(false) }

// end kills the process, removes its socket and, when wait is set, waits
// for the process and go-plugin's goroutines; only the first call acts.
// A resident instance is not killed: its session ends (connections
// closed, lock released) and it waits for the next.
func (p *Process) end(wait bool) {
	p.stopOnce.Do(func() {
		if p.attached != nil {
			p.fds.Close()
			p.attached.close()
			return
		}
		sock := p.Socket()
		p.SigKill()
		if wait {
			p.pc.Kill()
		}
		if sock != "" {
			_ = os.Remove(sock)
		}
		p.fds.Close()
	})
}

// ExitReason describes how the process ended ("" while it runs), with the
// first line of a Go panic or fatal error from its stderr.
func (p *Process) ExitReason() string {
	if !p.pc.Exited() {
		return ""
	}
	reason := "process exited"
	if p.cmd != nil {
		if st := p.cmd.ProcessState; st != nil {
			if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				reason = fmt.Sprintf("process killed by signal %v", ws.Signal())
			} else {
				reason = fmt.Sprintf("process exited with status %d", st.ExitCode())
			}
		}
	}
	if line := p.stderr.lastError(); line != "" {
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
func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - tailSize; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
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

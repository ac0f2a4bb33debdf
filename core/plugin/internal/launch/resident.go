package launch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"
	"golang.org/x/sys/unix"
	"google.golang.org/grpc"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// A resident backend (package resident) is started through the same
// checked descriptor as any other (/proc/self/fd, Launch), in its own
// session and without Pdeathsig, and later hosts of the same user attach
// to it after the same checks of the binary (trust, pin) plus: the
// instance's record is a private file of this user; /proc/PID/exe is the
// very file (device, inode) this host opened and checked; both sockets
// are served by that PID as this user (SO_PEERCRED). A host holds the
// instance's lock for its whole session.

// warn reports, once per Launcher, why the resident backend is not used.
func (l *Launcher) warn(msg string) {
	l.warnOnce.Do(func() {
		if l.Warn != nil {
			l.Warn(msg)
			return
		}
		l.Logger.Warn(msg)
	})
}

// launchResident returns a Process attached to this user's resident
// instance of the checked binary f (id), starting the instance when none
// runs; nil when the host must start a backend of its own: the instance
// is busy with another host (said at debug level), or the resident
// backend cannot be had (said once by l.warn).
func (l *Launcher) launchResident(f *os.File, id spawn.FileID) *Process {
	const not = "resident backend not used: "
	if spawn.IsScript(f) || !procFD() {
		l.warn(not + "the backend binary cannot be executed through /proc/self/fd")
		return nil
	}
	dir, err := resident.Dir()
	if err != nil {
		l.warn(not + err.Error())
		return nil
	}
	view, err := viewOf("self")
	if err != nil {
		l.warn(not + err.Error())
		return nil
	}
	base := filepath.Join(dir, resident.Name(l.Name, append(identity(id, l.Want), view.name()...), l.ResidentKey, spawn.BackendEnv(os.Environ())))
	lock, err := resident.TryLock(base + resident.SuffixLock)
	if errors.Is(err, resident.ErrBusy) {
		l.Logger.Debug("resident backend busy: starting one for this command", "backend", l.Name, "instance", base)
		return nil
	}
	if err != nil {
		l.warn(not + err.Error())
		return nil
	}
	p, err := l.attach(base, id, view, lock)
	if err == nil {
		return p
	}
	l.Logger.Debug("no resident backend to attach to", "backend", l.Name, "instance", base, "reason", err)
	removeDeadSocket(dir, base)
	var pid int
	if pid, err = l.startResident(f, id, dir, base); err == nil {
		if p, err = l.attach(base, id, view, lock); err != nil {
			// The instance this host just started is of no use to
			// anyone (the next host would fail the same way): it does
			// not wait out its idle time.
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
	if err != nil {
		lock.Close()
		l.warn(not + err.Error())
		return nil
	}
	return p
}

// removeDeadSocket removes the go-plugin socket of an instance at base
// whose process is gone (killed: it could not remove it), when the socket
// is in dir.
func removeDeadSocket(dir, base string) {
	rec, err := resident.ReadRecord(base + resident.SuffixRecord)
	if err != nil || filepath.Dir(rec.Addr) != dir {
		return
	}
	if processGone(rec.PID) {
		_ = os.Remove(rec.Addr)
	}
}

// processGone reports whether process pid has exited (a zombie that
// nobody reaped included).
func processGone(pid int) bool {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return errors.Is(err, unix.ESRCH)
	}
	defer unix.Close(fd)
	exited, err := pidfdPoll(fd, 0)
	return err == nil && exited
}

// pidfdPoll waits up to ms milliseconds (0: not at all) for the process of
// the pidfd fd to exit: pidfd_open(2), the descriptor is readable once it
// has.
func pidfdPoll(fd, ms int) (bool, error) {
	n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, ms)
	return err == nil && n > 0, err
}

// pidfdExited reports whether the process of the pidfd f has exited.
func pidfdExited(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return true
	}
	exited := true
	_ = rc.Control(func(fd uintptr) {
		e, err := pidfdPoll(int(fd), 0)
		exited = e || err != nil
	})
	return exited
}

// identity encodes what names the binary's contents (its fileID and pin)
// and the backend protocol this host speaks.
func identity(id spawn.FileID, want []byte) []byte {
	return fmt.Appendf(nil, "dev=%d ino=%d size=%d mtime=%d ctime=%d sha256=%x protocol=%d", id.Dev, id.Ino, id.Size, id.MtimeNS, id.CtimeNS, want, wire.ProtocolVersion)
}

// startResident starts a resident instance at base from the checked
// binary f, waits for its ready line and returns its pid (the leader of
// its process group).
func (l *Launcher) startResident(f *os.File, id spawn.FileID, dir, base string) (int, error) {
	cmd := &exec.Cmd{
		Path: l.Path,
		Args: []string{l.Path},
		// Its own session: no terminal's signals, no host's process
		// group; no Pdeathsig: it outlives this host.
		SysProcAttr: &syscall.SysProcAttr{Setsid: true},
		// It must not keep the host's working directory busy.
		Dir: "/",
	}
	cmd.Path = execThrough(cmd, f)
	cmd.Env = append(spawn.BackendEnv(os.Environ()), append(cmd.Env,
		goplugin.EnvUnixSocketDir+"="+dir,
		resident.EnvInstance+"="+base)...)
	if fds := spawn.InheritedFDs(); fds != "" {
		cmd.Env = append(cmd.Env, spawn.EnvInheritedFDs+"="+fds)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	cmd.Stdout, cmd.Stderr = w, w
	// It outlives this host: it closes the descriptors named in
	// $RPMPGP_BACKEND_INHERITED_FDS first thing (core/plugin, ServeFunc).
	err = cmd.Start()
	w.Close()
	if err != nil {
		return 0, fmt.Errorf("starting %s: %w", l.Path, err)
	}
	pid := cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }() // reaps it if it dies while this host runs
	if err := waitReady(r, pid, l.StartTimeout); err != nil {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		select {
		case werr := <-exited:
			if werr != nil {
				err = fmt.Errorf("%w (%v)", err, werr)
			}
		case <-time.After(exitWait):
		}
		return 0, fmt.Errorf("starting a resident %s: %w", l.Path, err)
	}
	if l.Want != nil {
		if err := unchanged(f, id); err != nil {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			return 0, fmt.Errorf("starting %s: %w", l.Path, err)
		}
	}
	l.Logger.Debug("resident backend started", "backend", l.Name, "path", l.Path, "pid", pid, "instance", base)
	return pid, nil
}

// waitReady reads what a starting instance writes until its ready line
// (resident.ReadyPrefix and pid); anything else it wrote is quoted in the
// error of a start that fails.
func waitReady(r *os.File, pid int, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = time.Minute
	}
	_ = r.SetReadDeadline(time.Now().Add(timeout))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	var last string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, resident.ReadyPrefix); ok {
			if rest != strconv.Itoa(pid) {
				return fmt.Errorf("ready line of process %s, not %d", rest, pid)
			}
			return nil
		}
		if line != "" && !strings.HasPrefix(line, "{") {
			last = truncate(line, maxReason)
		}
	}
	err := sc.Err()
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		err = fmt.Errorf("no ready line within %v", timeout)
	case err == nil:
		err = errors.New("it exited before it was ready")
	}
	if last != "" {
		err = fmt.Errorf("%w (stderr: %s)", err, last)
	}
	return err
}

// attach connects to the instance at base after checking that it runs the
// binary this host checked (id) and sees the files as this host does
// (view), and returns its Process, which owns lock.
func (l *Launcher) attach(base string, id spawn.FileID, view fsView, lock *os.File) (*Process, error) {
	rec, err := resident.ReadRecord(base + resident.SuffixRecord)
	if err != nil {
		return nil, err
	}
	// The pidfd pins the process: checked through it, the PID cannot be
	// another process's by the time the sockets are checked.
	pidfd, err := unix.PidfdOpen(rec.PID, unix.PIDFD_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("process %d of the record: %w", rec.PID, err)
	}
	pf := os.NewFile(uintptr(pidfd), "pidfd")
	ok := false
	defer func() {
		if !ok {
			pf.Close()
		}
	}()
	var exe syscall.Stat_t
	if err := syscall.Stat(fmt.Sprintf("/proc/%d/exe", rec.PID), &exe); err != nil {
		return nil, fmt.Errorf("process %d of the record: %w", rec.PID, err)
	}
	if exe.Dev != id.Dev || exe.Ino != id.Ino {
		return nil, fmt.Errorf("process %d of the record does not run the checked binary %s", rec.PID, l.Path)
	}
	if err := sameFilesystemView(rec.PID, view); err != nil {
		return nil, err
	}
	if err := resident.CheckMappings(rec.PID); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), l.startTimeout())
	defer cancel()
	fdc, token, err := resident.OpenSession(ctx, base+resident.SuffixFD, rec.PID)
	if err != nil {
		return nil, fmt.Errorf("descriptor socket: %w", err)
	}
	// The pid was checked by number (exe, maps) and the sockets by their
	// peer's pid: the pidfd says whether that process is still the one
	// that was opened (a pid reused meanwhile would show it exited).
	if pidfdExited(pf) {
		fdc.Close()
		return nil, fmt.Errorf("process %d of the record exited while it was checked", rec.PID)
	}
	fds := fdpass.SenderOf(fdc)
	run := &pidfdRunner{pid: rec.PID, pidfd: pf}
	stderr := &tailBuffer{}
	pc := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: wire.Handshake,
		// No version is negotiated on reattachment: go-plugin dispenses
		// from Plugins.
		Plugins:          wire.Plugins(nil)[wire.ProtocolVersion],
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           pluginLogFilter{l.Logger.Named(l.Name)},
		StartTimeout:     l.startTimeout(),
		// Test: go-plugin neither kills nor shuts down a process it
		// attached to; the host only closes its connection.
		Reattach: &goplugin.ReattachConfig{
			Protocol:        goplugin.ProtocolGRPC,
			ProtocolVersion: wire.ProtocolVersion,
			Addr:            &net.UnixAddr{Name: rec.Addr, Net: "unix"},
			Pid:             rec.PID,
			Test:            true,
			ReattachFunc:    func() (runner.AttachedRunner, error) { return run, nil },
		},
		// Every call carries the session's token: the instance serves no
		// other session's calls, and this session none of another's.
		GRPCDialOptions: append(resident.DialOptions(token), grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			return resident.Dial(ctx, "unix", rec.Addr, rec.PID)
		})),
		SyncStderr: stderr,
	})
	p := &Process{pc: pc, pid: rec.PID, stderr: stderr, fds: fds, attached: &attachment{lock: lock, pidfd: pf}}
	fail := func(err error) (*Process, error) {
		p.attached.lock = nil // the caller keeps it
		p.end(false)
		ok = true // closed by end
		return nil, err
	}
	rpc, err := pc.Client()
	if err != nil {
		return fail(err)
	}
	gc, isGRPC := rpc.(*goplugin.GRPCClient)
	if !isGRPC {
		return fail(fmt.Errorf("go-plugin client of type %T", rpc))
	}
	p.attached.conn = gc.Conn
	// The first call: the connection and its peer check happen here.
	if err := rpc.Ping(); err != nil {
		return fail(fmt.Errorf("reaching process %d: %w", rec.PID, err))
	}
	bc, err := dispense(rpc)
	if err != nil {
		return fail(err)
	}
	p.rpc = bc
	ok = true
	l.Logger.Debug("resident backend attached", "backend", l.Name, "path", l.Path, "pid", rec.PID)
	return p, nil
}

// startTimeout is StartTimeout or go-plugin's default.
func (l *Launcher) startTimeout() time.Duration {
	if l.StartTimeout > 0 {
		return l.StartTimeout
	}
	return time.Minute
}

// attachment is what a Process attached to a resident instance holds
// besides what go-plugin keeps: the instance's lock (this host's
// session), the process's pidfd and the gRPC connection.
type attachment struct {
	lock  *os.File
	pidfd *os.File
	conn  *grpc.ClientConn
}

// close ends the session: the connections, then the lock.
func (a *attachment) close() {
	if a.conn != nil {
		_ = a.conn.Close()
	}
	if a.lock != nil {
		_ = a.lock.Close()
	}
	_ = a.pidfd.Close()
}

// kill sends SIGKILL through the pidfd (a hung instance).
func (a *attachment) kill() {
	_ = unix.PidfdSendSignal(int(a.pidfd.Fd()), unix.SIGKILL, nil, 0)
}

// pidfdRunner is go-plugin's view of a process this host attached to: it
// waits for the process's end on its pidfd (pidfd_open(2): readable once
// the process has exited), whoever's child it is.
type pidfdRunner struct {
	pid   int
	pidfd *os.File
}

var _ runner.AttachedRunner = (*pidfdRunner)(nil)

// Wait implements runner.AttachedRunner: it returns when the process has
// exited (or the pidfd was closed, at the end of the session).
func (r *pidfdRunner) Wait(context.Context) error {
	rc, err := r.pidfd.SyscallConn()
	if err != nil {
		return err
	}
	exited := func(fd uintptr) bool {
		e, _ := pidfdPoll(int(fd), 0)
		return e
	}
	if err := rc.Read(exited); err == nil {
		return nil
	}
	// Not pollable through Go's poller: poll(2) in steps, so that Close
	// (which waits for Control) is not held up for long.
	for {
		var done bool
		if cerr := rc.Control(func(fd uintptr) {
			e, err := pidfdPoll(int(fd), 200)
			done = e || err != nil && !errors.Is(err, unix.EINTR)
		}); cerr != nil || done {
			return nil
		}
	}
}

// Kill implements runner.AttachedRunner (go-plugin does not call it for a
// Test reattachment).
func (r *pidfdRunner) Kill(context.Context) error {
	return unix.PidfdSendSignal(int(r.pidfd.Fd()), unix.SIGKILL, nil, 0)
}

// ID implements runner.AttachedRunner.
func (r *pidfdRunner) ID() string { return strconv.Itoa(r.pid) }

// PluginToHost implements runner.AddrTranslator: same host, same paths.
func (r *pidfdRunner) PluginToHost(network, addr string) (string, string, error) {
	return network, addr, nil
}

// HostToPlugin implements runner.AddrTranslator.
func (r *pidfdRunner) HostToPlugin(network, addr string) (string, string, error) {
	return network, addr, nil
}

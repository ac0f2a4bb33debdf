package spawn

import (
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"sync"
	"syscall"
)

// An early start is the start of a backend process before the host has
// read its configuration: rpmpgp's main package begins it while the rest
// of the host initialises (core/plugin/early decides when), and the host's
// Launcher adopts it once the configuration is read, when it names the
// same binary (path and FileID), no checksum is pinned, no resident backend
// is used and the environment is the one a normal start gives. Otherwise
// it is discarded and the backend is started as usual. The binary is found
// and checked as for a normal start (SearchPathFrom, CheckDirs, Find,
// OpenBinary) and executed through that
// descriptor, with the same descriptors and environment as exec.Cmd gives
// a normal start (package launch, command.go): only the decision is taken
// early. This file uses no package that comes late in Go's initialisation
// order (strings, path/filepath, os/exec, net), so that package early's
// init runs before the costly ones.

// Early is a backend process started early, not yet adopted.
type Early struct {
	// Path is the binary and ID the identity of the descriptor it was
	// executed through.
	Path string
	ID   FileID
	// Process is the running process; Stdout and Stderr are the host's
	// ends of its output pipes.
	Process        *os.Process
	Stdout, Stderr *os.File
	// Channel is the host's end of the descriptor channel.
	Channel *os.File
	// SockDir is the private directory of its Unix socket.
	SockDir string
	// Env is the environment it was started with; hostEnv is
	// BackendEnv(os.Environ()) at that time.
	Env     []string
	hostEnv []string
}

// early holds the process started early until it is taken or discarded,
// or why none was started.
var early struct {
	sync.Mutex
	e   *Early
	why error
}

// NotStarted records why no backend was started early (package early's
// decision); TakeEarly reports it.
func NotStarted(why error) {
	early.Lock()
	defer early.Unlock()
	early.why = why
}

// StartEarly finds backend name in SearchPathFrom(env, dirs, exeDir),
// checks it and starts it as a normal start would, go-plugin's handshake
// variables included, and keeps it for TakeEarly. It returns why it did
// not start one.
func StartEarly(name, env string, dirs []string, exeDir string) error {
	err := startEarlyFound(name, env, dirs, exeDir)
	if err != nil {
		NotStarted(err)
	}
	return err
}

// startEarlyFound is StartEarly.
func startEarlyFound(name, env string, dirs []string, exeDir string) error {
	if !ValidName(name) {
		return fmt.Errorf("invalid backend name %q", name)
	}
	dirs = SearchPathFrom(env, dirs, exeDir)
	if err := CheckDirs(dirs); err != nil {
		return err
	}
	file, _ := Find(name, dirs)
	if file == "" {
		return fmt.Errorf("backend %q: %w", name, ErrNotFound)
	}
	f, id, err := OpenBinary(file, func(f *os.File) (string, error) {
		// The kernel's name of the opened file, symlinks resolved.
		real, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
		if err != nil || !path.IsAbs(real) {
			// No /proc: a normal start executes such binaries by path.
			return "", fmt.Errorf("%s: cannot resolve the opened binary", file)
		}
		return real, nil
	})
	if err != nil {
		return err
	}
	defer f.Close()
	if IsScript(f) {
		return fmt.Errorf("%s is a script, executed by path", file)
	}
	e, err := startEarly(file, id, f)
	if err != nil {
		return fmt.Errorf("starting %s: %w", file, err)
	}
	early.Lock()
	defer early.Unlock()
	if early.e != nil {
		e.Discard()
		return errors.New("a backend was started early already")
	}
	early.e = e
	return nil
}

// startEarly starts the opened binary f through its descriptor, with what
// exec.Cmd gives a normal start: standard input, pipes for its output, its
// end of the descriptor channel as descriptor ChildFD and the binary as
// ExecFD, its own process group and SIGKILL when the host dies.
func startEarly(file string, id FileID, f *os.File) (_ *Early, err error) {
	// Not a named result: every error return sets that to nil before the
	// deferred release below reads it (a nil dereference, a panic in
	// package early's init, when any step after the first failed).
	e := &Early{Path: file, ID: id}
	var childOut, childErr, childChannel *os.File
	defer func() {
		for _, c := range []*os.File{childOut, childErr, childChannel} {
			if c != nil {
				c.Close()
			}
		}
		if err != nil {
			e.Release()
		}
	}()
	// The descriptor channel as fdpass.NewChannel makes it (a connected
	// SOCK_SEQPACKET pair; package fdpass needs package net, which comes
	// late in the initialisation order): the two must stay in step.
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("descriptor channel: %w", err)
	}
	e.Channel = os.NewFile(uintptr(fds[0]), "rpmpgp-fdchannel-host")
	childChannel = os.NewFile(uintptr(fds[1]), "rpmpgp-fdchannel-backend")
	if e.Stdout, childOut, err = os.Pipe(); err != nil {
		return nil, err
	}
	if e.Stderr, childErr, err = os.Pipe(); err != nil {
		return nil, err
	}
	// Without a private socket directory go-plugin would put its files
	// straight into $TMPDIR, where nothing cleans up after a killed host.
	if e.SockDir = NewSocketDir(); e.SockDir == "" {
		return nil, errors.New("no private socket directory")
	}
	e.hostEnv = BackendEnv(os.Environ())
	e.Env = earlyEnv(e.hostEnv, e.SockDir)
	e.Process, err = os.StartProcess("/proc/self/fd/"+strconv.Itoa(ExecFD), []string{file}, &os.ProcAttr{
		Env:   e.Env,
		Files: []*os.File{os.Stdin, childOut, childErr, childChannel, f},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true},
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// EarlyEnv is the environment of a normal start with a descriptor channel
// and the binary executed through ExecFD (launch's newCommand, then
// go-plugin's handshake variables), for the host environment environ and
// the socket directory sockDir, as exec.Cmd passes it: the last of
// duplicate variables wins (exec.Cmd.Environ), so that an inherited
// PLUGIN_UNIX_SOCKET_DIR, say, does not override rpmpgp's own.
func EarlyEnv(environ []string, sockDir string) []string {
	return earlyEnv(BackendEnv(environ), sockDir)
}

// earlyEnv is EarlyEnv of the environment backendEnv that BackendEnv made.
func earlyEnv(backendEnv []string, sockDir string) []string {
	env := append(slices.Clip(backendEnv), EnvChannel+"="+strconv.Itoa(ChildFD), EnvExecFD+"="+strconv.Itoa(ExecFD))
	if sockDir != "" {
		env = append(env, EnvUnixSocketDir+"="+sockDir)
	}
	return dedupEnv(append(env, HandshakeEnv()...))
}

// dedupEnv is what exec.Cmd does to an environment before it starts a
// process on Linux (os/exec dedupEnvCase): it keeps the last of the
// entries with the same name, in the order of those last entries; the
// name of an entry that starts with '=' runs to its second '='; an entry
// without '=' is kept as it is, an empty one dropped. (exec.Cmd refuses an
// entry holding a NUL byte; os.Environ never has one.)
func dedupEnv(env []string) []string {
	seen := make(map[string]bool, len(env))
	out := make([]string, 0, len(env))
	for n := len(env); n > 0; n-- {
		kv := env[n-1]
		i := indexByte(kv, '=')
		if i == 0 {
			i = indexByte(kv[1:], '=') + 1
		}
		if i < 0 {
			if kv != "" {
				out = append(out, kv)
			}
			continue
		}
		if seen[kv[:i]] {
			continue
		}
		seen[kv[:i]] = true
		out = append(out, kv)
	}
	slices.Reverse(out)
	return out
}

// indexByte is strings.IndexByte.
func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// TakeEarly returns the process started early when it runs the binary at
// file with the identity id and the host's environment has not changed
// since; otherwise it discards it and returns nil and why. Only the first
// call can return one.
func TakeEarly(file string, id FileID) (*Early, error) {
	early.Lock()
	e, why := early.e, early.why
	early.e, early.why = nil, errors.New("taken")
	early.Unlock()
	if e == nil {
		if why == nil {
			why = errors.New("not tried")
		}
		return nil, fmt.Errorf("none started early: %w", why)
	}
	var err error
	switch {
	case e.Path != file:
		err = fmt.Errorf("started %s, the configuration chose %s", e.Path, file)
	case e.ID != id:
		err = fmt.Errorf("%s changed since it was started", file)
	case !slices.Equal(e.hostEnv, BackendEnv(os.Environ())):
		err = errors.New("the environment changed since it was started")
	}
	if err != nil {
		e.Discard()
		return nil, err
	}
	return e, nil
}

// DiscardEarly ends a process started early that was not taken.
func DiscardEarly() {
	early.Lock()
	e := early.e
	early.e = nil
	early.Unlock()
	if e != nil {
		e.Discard()
	}
}

// Discard kills e's process group, reaps it and releases it. Only for a
// process nothing else has reaped (go-plugin does once it runs it): its
// pid, and so its group, cannot have been reused before.
func (e *Early) Discard() {
	if e.Process != nil {
		_ = syscall.Kill(-e.Process.Pid, syscall.SIGKILL)
		_ = e.Process.Kill()
		_, _ = e.Process.Wait()
	}
	e.Release()
}

// Release closes the host's descriptors and removes the socket directory.
func (e *Early) Release() {
	for _, f := range []*os.File{e.Stdout, e.Stderr, e.Channel} {
		if f != nil {
			f.Close()
		}
	}
	RemoveSocketDir(e.SockDir)
}

// EarlyPID returns the pid of the backend started early and not yet taken
// (0: none), for tests and diagnostics.
func EarlyPID() int {
	early.Lock()
	defer early.Unlock()
	if early.e == nil || early.e.Process == nil {
		return 0
	}
	return early.e.Process.Pid
}

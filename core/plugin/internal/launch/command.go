package launch

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// openBinary opens the backend binary at path and checks it
// (spawn.OpenBinary, symlinks resolved by realPath): the caller executes
// this descriptor, so that the checked bytes are the bytes that run.
func openBinary(path string) (*os.File, spawn.FileID, error) {
	return spawn.OpenBinary(path, func(*os.File) (string, error) { return realPath(path) })
}

// command is a backend process ready to start: its exec.Cmd and the
// host's end of its descriptor channel.
type command struct {
	// Cmd executes the binary. Its environment is the host's (spawn.BackendEnv)
	// and what the host gives the backend; go-plugin's handshake variables
	// are added by whoever starts it.
	Cmd *exec.Cmd
	// FDs is the host's end of the descriptor channel; nil without one
	// (NoChannel says why: packages are then verified call by call).
	FDs       *fdpass.Sender
	NoChannel error
	// ByPath is true when the binary is executed by its path rather than
	// through the checked descriptor: a script (its interpreter opens it
	// by name), or /proc/self/fd missing.
	ByPath bool
	// SockDir is the private directory of the backend's Unix socket (""
	// when none could be had: go-plugin's default is used).
	SockDir string

	child *os.File
}

// newCommand prepares the start of the binary f, opened from path by openBinary:
// the backend leads its own process group and dies with the host
// (Pdeathsig, even on SIGKILL of the host), it gets its end of the
// descriptor channel as descriptor 3 and is executed through f
// (/proc/self/fd/N, execThrough) unless it is a script or /proc is
// missing, with the host's environment (spawn.BackendEnv) and a private socket
// directory. The caller starts Cmd and then calls Started, or calls
// Release when it does not start it.
func newCommand(path string, f *os.File) *command {
	cmd := &exec.Cmd{
		Path: path,
		Args: []string{path},
		// The backend dies with the host, even on SIGKILL of the host.
		// It leads its own process group, which a kill of -pid kills whole.
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true},
	}
	c := &command{Cmd: cmd}
	// The descriptor channel; without one, packages are verified call by
	// call.
	fds, childEnd, err := fdpass.NewChannel()
	if err == nil {
		cmd.ExtraFiles = []*os.File{childEnd}
		cmd.Env = []string{fmt.Sprintf("%s=%d", spawn.EnvChannel, spawn.ChildFD)}
		c.FDs, c.child = fds, childEnd
	} else {
		c.NoChannel = err
	}
	if spawn.IsScript(f) || !procFD() {
		// The interpreter of a script opens it by name after exec, when
		// our descriptor is already gone.
		c.ByPath = true
	} else {
		cmd.Path = execThrough(cmd, f)
	}
	// The backend's socket goes into a private directory that the next
	// start cleans up if this host is killed before removing it.
	c.SockDir = spawn.NewSocketDir()
	if c.SockDir != "" {
		cmd.Env = append(cmd.Env, spawn.EnvUnixSocketDir+"="+c.SockDir)
	}
	// The host's environment goes first, so that the values set above
	// win over inherited ones (exec.Cmd keeps the last of duplicates).
	cmd.Env = append(spawn.BackendEnv(os.Environ()), cmd.Env...)
	return c
}

// Started closes what the host no longer needs once Cmd has started (or
// failed to): the backend's end of the descriptor channel.
func (c *command) Started() {
	if c.child != nil {
		c.child.Close()
		c.child = nil
	}
}

// Release undoes newCommand for a command that will not run: it closes
// both ends of the descriptor channel and removes the socket directory.
func (c *command) Release() {
	c.Started()
	if c.FDs != nil {
		c.FDs.Close()
	}
	spawn.RemoveSocketDir(c.SockDir)
}

// procFD reports whether /proc/self/fd can be used to exec an open file.
var procFD = sync.OnceValue(func() bool {
	fi, err := os.Stat("/proc/self/fd")
	return err == nil && fi.IsDir()
})

// execThrough makes the checked open binary f one of cmd's inherited
// descriptors and returns the path that executes it: /proc/self/fd/N in
// the child, where N is f's place among the descriptors the child is
// given (3 + its index in ExtraFiles). Any other number could name another
// file by the time the child execs: before the exec, Go's fork moves its
// own error pipe to the descriptor above the highest host descriptor the
// child is given (or above their count, when larger), and then installs
// those as 0, 1, 2, 3, ... (syscall/exec_linux.go,
// forkAndExecInChild1, passes 1 and 2), so a binary opened as, say, 16 was
// executed as the error pipe whenever the child's stdout and stderr pipes
// were 14 and 15 ("fork/exec /proc/self/fd/16: permission denied"). The
// inherited descriptor survives the exec; the backend closes it first
// thing (plugin.Serve).
func execThrough(cmd *exec.Cmd, f *os.File) string {
	cmd.ExtraFiles = append(cmd.ExtraFiles, f)
	n := 2 + len(cmd.ExtraFiles)
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", spawn.EnvExecFD, n))
	return fmt.Sprintf("/proc/self/fd/%d", n)
}

package resident

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// State is what a check of an instance's record found ([Inspect]).
type State int

const (
	// Running: the recorded process runs and serves the recorded socket
	// as this user.
	Running State = iota
	// Stale: the record names no running instance (the process is gone,
	// or does not serve the socket: its pid was reused); nothing is
	// signalled, and the record is left to the next host, which replaces
	// it (as core/plugin/internal/launch does).
	Stale
	// Invalid: the record fails the record checks ([ReadRecord]), or its
	// file name is not an instance's; nothing is signalled.
	Invalid
	// Unchecked: the checks could not be made (too many open files, a
	// connection that timed out): it may run; nothing is signalled.
	Unchecked
)

// String returns "running", "stale", "invalid" or "unchecked".
func (s State) String() string {
	switch s {
	case Running:
		return "running"
	case Stale:
		return "stale"
	case Invalid:
		return "invalid"
	case Unchecked:
		return "unchecked"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// dialTimeout bounds the connection to an instance's socket in [Inspect].
const dialTimeout = 2 * time.Second

// Instance is an instance's record in [Dir] and what [Inspect] found of
// it.
type Instance struct {
	// Name is the instance's name ([Name]).
	Name string
	// Record is its record (the zero Record when it is Invalid).
	Record Record
	// Written is when the record was written (the instance got ready);
	// zero when unknown.
	Written time.Time
	// State says whether it runs.
	State State
	// Why says why it is Stale, Invalid or Unchecked.
	Why string
}

// List returns the instances recorded in dir (from [ExistingDir] or
// [Dir]), sorted by name, each checked by [Inspect]. It creates nothing
// and signals nothing.
func List(dir string) ([]Instance, error) {
	names, err := Names(dir)
	if err != nil {
		return nil, err
	}
	out := make([]Instance, 0, len(names))
	for _, name := range names {
		in, pidfd, err := Inspect(dir, name)
		if errors.Is(err, ErrNoRecord) {
			continue // gone since it was listed
		}
		if pidfd >= 0 {
			unix.Close(pidfd)
		}
		out = append(out, in)
	}
	return out, nil
}

// Names returns the names of the instances that have a record in dir
// (file names ending in .rec, without it), sorted; files whose names are
// not an instance's ([ValidName]) are no instance's, and left out. An
// error reading dir is returned, not taken for an empty directory.
func Names(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), SuffixRecord); ok && ValidName(name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// Inspect checks the instance name in dir without taking its lock or
// signalling it. It is Running when its record passes [ReadRecord]'s
// checks (a 0600 regular file of this user), names a socket in dir, and
// the recorded process is alive and itself listens on that socket as this
// user (SO_PEERCRED through [Dial]; getpeername names the socket it
// bound, not a link to it); the process is pinned by a pidfd from before
// the socket check until after it, so a pid reused meanwhile shows as
// gone. A check that cannot be made (a failure other than "no such
// process", "no such socket", "refused" or another peer) makes it
// Unchecked, never Stale. A Running instance comes with that pidfd (the
// caller closes it), any other with -1. A missing record is an error
// wrapping [ErrNoRecord].
func Inspect(dir, name string) (Instance, int, error) {
	in := Instance{Name: name}
	if !ValidName(name) {
		in.State, in.Why = Invalid, "not the name of an instance"
		return in, -1, nil
	}
	path := filepath.Join(dir, name+SuffixRecord)
	rec, err := ReadRecord(path)
	if errors.Is(err, ErrNoRecord) {
		return in, -1, err
	}
	if fi, serr := os.Lstat(path); serr == nil {
		in.Written = fi.ModTime()
	}
	if err != nil {
		in.State, in.Why = Invalid, err.Error()
		return in, -1, nil
	}
	in.Record = rec
	stale := func(format string, args ...any) (Instance, int, error) {
		in.State, in.Why = Stale, fmt.Sprintf(format, args...)
		return in, -1, nil
	}
	unchecked := func(format string, args ...any) (Instance, int, error) {
		in.State, in.Why = Unchecked, fmt.Sprintf(format, args...)
		return in, -1, nil
	}
	// The same directory, however it is spelt ($XDG_RUNTIME_DIR through a
	// link, /var/run for /run): compared by device and inode.
	if !sameDir(filepath.Dir(rec.Addr), dir) {
		return stale("its socket %s is not in %s", rec.Addr, dir)
	}
	pidfd, gone, err := openPidfd(rec.PID)
	if gone {
		return stale("process %d is gone", rec.PID)
	}
	if err != nil {
		return unchecked("process %d: %v", rec.PID, err)
	}
	if waitPidfd(pidfd, 0) {
		unix.Close(pidfd)
		return stale("process %d is gone", rec.PID) // a zombie
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	c, err := Dial(ctx, rec.Network, rec.Addr, rec.PID)
	switch {
	case errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, errPeer):
		unix.Close(pidfd)
		return stale("process %d does not serve its socket: %v", rec.PID, err)
	case err != nil:
		unix.Close(pidfd)
		return unchecked("process %d, its socket %s: %v", rec.PID, rec.Addr, err)
	}
	// The kernel's name of the socket the process listens on
	// (getpeername(2), asked directly: net falls back to the dialled
	// address when it fails): a symbolic link in the directory to another
	// socket, or a socket bound elsewhere, is not the instance's.
	bound, err := peerName(c)
	c.Close()
	if err != nil {
		unix.Close(pidfd)
		return unchecked("process %d, its socket %s: getpeername: %v", rec.PID, rec.Addr, err)
	}
	if bound != rec.Addr {
		unix.Close(pidfd)
		return stale("process %d serves %s, not the recorded socket %s", rec.PID, bound, rec.Addr)
	}
	if waitPidfd(pidfd, 0) {
		unix.Close(pidfd)
		return stale("process %d exited while it was checked", rec.PID)
	}
	in.State = Running
	return in, pidfd, nil
}

// sameDir reports whether a and b name the same directory.
func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// peerName is the path of the Unix socket at the other end of c
// (getpeername(2)).
func peerName(c *net.UnixConn) (string, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return "", err
	}
	var sa unix.Sockaddr
	var gerr error
	if err := rc.Control(func(fd uintptr) { sa, gerr = unix.Getpeername(int(fd)) }); err != nil {
		return "", err
	}
	if gerr != nil {
		return "", gerr
	}
	un, ok := sa.(*unix.SockaddrUnix)
	if !ok {
		return "", fmt.Errorf("not a Unix socket address: %T", sa)
	}
	return un.Name, nil
}

package resident

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	// Invalid: the record fails the record checks ([ReadRecord]); nothing
	// is signalled.
	Invalid
)

// String returns "running", "stale" or "invalid".
func (s State) String() string {
	switch s {
	case Running:
		return "running"
	case Stale:
		return "stale"
	case Invalid:
		return "invalid"
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
	// Why says why it is Stale or Invalid.
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

// Names returns the names of the instances that have a record in dir,
// sorted.
func Names(dir string) ([]string, error) {
	recs, err := filepath.Glob(filepath.Join(dir, "*"+SuffixRecord))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(recs))
	for _, r := range recs {
		names = append(names, strings.TrimSuffix(filepath.Base(r), SuffixRecord))
	}
	return names, nil
}

// Inspect checks the instance name in dir without taking its lock or
// signalling it. It is Running when its record passes [ReadRecord]'s
// checks (a 0600 regular file of this user), names a socket in dir, and
// the recorded process is alive and serves that socket as this user
// (SO_PEERCRED, [Dial]); the process is pinned by a pidfd from before the
// socket check until after it, so a pid reused meanwhile shows as gone.
// A Running instance comes with that pidfd (the caller closes it), any
// other with -1. A missing record is an error wrapping [ErrNoRecord].
func Inspect(dir, name string) (Instance, int, error) {
	in := Instance{Name: name}
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
	if filepath.Dir(rec.Addr) != dir {
		return stale("its socket %s is not in %s", rec.Addr, dir)
	}
	pidfd, gone, err := openPidfd(rec.PID)
	if gone {
		return stale("process %d is gone", rec.PID)
	}
	if err != nil {
		return stale("process %d: %v", rec.PID, err)
	}
	if waitPidfd(pidfd, 0) {
		unix.Close(pidfd)
		return stale("process %d is gone", rec.PID) // a zombie
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	c, err := Dial(ctx, rec.Network, rec.Addr, rec.PID)
	if err != nil {
		unix.Close(pidfd)
		return stale("process %d does not serve its socket: %v", rec.PID, err)
	}
	c.Close()
	if waitPidfd(pidfd, 0) {
		unix.Close(pidfd)
		return stale("process %d exited while it was checked", rec.PID)
	}
	in.State = Running
	return in, pidfd, nil
}

package resident

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// Outcome is what [Stop] did with an instance.
type Outcome int

const (
	// Stopped: it was verified running, sent SIGTERM and exited.
	Stopped Outcome = iota
	// NotRunning: its record is stale (left alone, [Stale]) or was removed
	// meanwhile (the instance exited by itself): nothing was signalled.
	NotRunning
	// NotStopped: it could not be stopped (Why says why): its record is
	// [Invalid], it could not be checked ([Unchecked]), it stayed busy, or
	// it still ran after SIGTERM.
	NotStopped
	// Unknown: no instance of that name has a record.
	Unknown
)

// StopResult is what [Stop] did with one instance.
type StopResult struct {
	// Name is the instance's name.
	Name string
	// PID is the recorded process (0 when no record was read).
	PID int
	// Outcome says what was done.
	Outcome Outcome
	// Why says why an instance is NotRunning or NotStopped.
	Why string
}

// pollEvery is how often [Stop] tries the lock of a busy instance.
const pollEvery = 50 * time.Millisecond

// Stop stops the instance name in dir: it takes the instance's lock as a
// host would ([TryLock], retried until wait has passed: a host in a
// session holds it, and no host attaches while Stop holds it), checks the
// instance with [Inspect], sends SIGTERM through the pidfd of that check
// (never by pid number, never to a group) and waits up to wait (again) for the
// process to exit (it removes its record and sockets itself). A stale
// record is reported and left alone, as hosts leave it (a new instance
// replaces it); an invalid one is refused.
func Stop(dir, name string, wait time.Duration) StopResult {
	res := StopResult{Name: name}
	fail := func(outcome Outcome, format string, args ...any) StopResult {
		res.Outcome, res.Why = outcome, fmt.Sprintf(format, args...)
		return res
	}
	if !ValidName(name) {
		return fail(Unknown, "not the name of an instance")
	}
	base := filepath.Join(dir, name)
	// No lock file is made for a name that has no record.
	if _, err := os.Lstat(base + SuffixRecord); errors.Is(err, os.ErrNotExist) {
		return fail(Unknown, "no record %s", base+SuffixRecord)
	}
	deadline := time.Now().Add(wait)
	var lock *os.File
	for {
		var err error
		lock, err = TryLock(base + SuffixLock)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrBusy) {
			return fail(NotStopped, "%v", err)
		}
		if time.Now().After(deadline) {
			if rec, rerr := ReadRecord(base + SuffixRecord); rerr == nil {
				res.PID = rec.PID
			}
			return fail(NotStopped, "busy for %v: a command is using it (its lock %s is held)", wait, base+SuffixLock)
		}
		time.Sleep(pollEvery)
	}
	// Released once the process has exited (or Stop gave up on it).
	defer lock.Close()
	in, pidfd, err := Inspect(dir, name)
	res.PID = in.Record.PID
	if errors.Is(err, ErrNoRecord) {
		return fail(NotRunning, "it exited by itself")
	}
	switch in.State {
	case Stale:
		return fail(NotRunning, "stale record: %s", in.Why)
	case Invalid:
		return fail(NotStopped, "%s", in.Why)
	case Unchecked:
		return fail(NotStopped, "not checked: %s", in.Why)
	}
	defer unix.Close(pidfd)
	if res.PID <= 0 {
		return fail(NotStopped, "bad process ID %d", res.PID) // ReadRecord refuses it
	}
	if err := unix.PidfdSendSignal(pidfd, unix.SIGTERM, nil, 0); err != nil {
		if errors.Is(err, unix.ESRCH) {
			return fail(NotRunning, "process %d exited before it was signalled", res.PID)
		}
		return fail(NotStopped, "SIGTERM to process %d: %v", res.PID, err)
	}
	if !waitPidfd(pidfd, wait) {
		return fail(NotStopped, "process %d still runs %v after SIGTERM", res.PID, wait)
	}
	res.Outcome = Stopped
	return res
}

// StopAll stops every instance recorded in dir ([Names]), one after the
// other, as [Stop] does. An instance listed whose record is gone by its
// turn exited by itself meanwhile (an idle exit while another one was
// waited for): NotRunning, not Unknown.
func StopAll(dir string, wait time.Duration) ([]StopResult, error) {
	names, err := Names(dir)
	if err != nil {
		return nil, err
	}
	out := make([]StopResult, 0, len(names))
	for _, name := range names {
		r := Stop(dir, name, wait)
		if r.Outcome == Unknown {
			r.Outcome, r.Why = NotRunning, "it exited by itself"
		}
		out = append(out, r)
	}
	return out, nil
}

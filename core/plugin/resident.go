package plugin

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
)

// ResidentInstances returns the resident backend instances recorded under
// runtimeDir (a user's $XDG_RUNTIME_DIR; see [LoadConfig].Resident): the
// process ID of each, by the instance's name. A record that is not a
// private file of this user in the record format is an error, naming it.
// It reads the records only: whether a process still runs is the
// caller's question.
func ResidentInstances(runtimeDir string) (map[string]int, error) {
	recs, err := filepath.Glob(filepath.Join(runtimeDir, "rpmpgp", "*"+resident.SuffixRecord))
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(recs))
	for _, path := range recs {
		rec, err := resident.ReadRecord(path)
		if err != nil {
			return out, fmt.Errorf("resident backend record: %w", err)
		}
		out[strings.TrimSuffix(filepath.Base(path), resident.SuffixRecord)] = rec.PID
	}
	return out, nil
}

// StopResidentIn stops every instance recorded under runtimeDir (a user's
// $XDG_RUNTIME_DIR, given rather than read from the environment: test
// and benchmark clean-ups) as [StopResident] does, each verified before
// it is signalled, and returns what was done with each. Nothing is
// created; a missing directory has no instances.
func StopResidentIn(runtimeDir string, wait time.Duration) ([]ResidentStopResult, error) {
	out, err := resident.StopAll(filepath.Join(runtimeDir, "rpmpgp"), wait)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return out, err
}

// ResidentInstance is a resident backend instance's record and what
// [ListResident] found of it: its name, record (process ID, socket), when
// the record was written, its state and, unless it is running, why not.
type ResidentInstance = resident.Instance

// ResidentState says whether a recorded instance runs.
type ResidentState = resident.State

// The states of a [ResidentInstance].
const (
	// ResidentRunning: the recorded process runs and serves the
	// recorded socket as this user (SO_PEERCRED).
	ResidentRunning = resident.Running
	// ResidentStale: the record names no running instance (the process
	// is gone, or does not serve the recorded socket itself); the next
	// host replaces it.
	ResidentStale = resident.Stale
	// ResidentInvalid: the record is not a private file of this user in
	// the record format, or its name is not an instance's.
	ResidentInvalid = resident.Invalid
	// ResidentUnchecked: the checks could not be made (too many open
	// files, a connection that timed out): it may run.
	ResidentUnchecked = resident.Unchecked
)

// ResidentStopResult is what [StopResident] did with one instance.
type ResidentStopResult = resident.StopResult

// The outcomes of a [ResidentStopResult].
const (
	// ResidentStopped: verified running, sent SIGTERM, exited.
	ResidentStopped = resident.Stopped
	// ResidentNotRunning: a stale record (left alone) or one that went
	// away meanwhile; nothing was signalled.
	ResidentNotRunning = resident.NotRunning
	// ResidentNotStopped: an invalid record, an instance that could not
	// be checked, a busy one or one that outlived the wait.
	ResidentNotStopped = resident.NotStopped
	// ResidentUnknown: no instance of that name has a record.
	ResidentUnknown = resident.Unknown
)

// ListResident returns the directory of this user's resident backends
// ($XDG_RUNTIME_DIR/rpmpgp) and the instances recorded there, sorted by
// name, each checked (record, process, socket; see [ResidentInstance]). It
// refuses an unsafe runtime directory as [Open] does, with the same
// message, and creates nothing: a missing directory has no instances.
func ListResident() (string, []ResidentInstance, error) {
	dir, exists, err := resident.ExistingDir()
	if err != nil || !exists {
		return dir, nil, err
	}
	ins, err := resident.List(dir)
	return dir, ins, err
}

// StopResident stops this user's resident backends named (all recorded
// ones when names is empty), one after the other, and returns the
// directory and what was done with each, in order. An instance is only
// signalled (SIGTERM, through a pidfd) after its lock was taken (a busy
// one is waited for up to wait) and its record, process and socket were
// checked as [ListResident] does; then its exit is waited for up to wait
// again. The directory checks and creating nothing are as [ListResident].
func StopResident(names []string, wait time.Duration) (string, []ResidentStopResult, error) {
	dir, exists, err := resident.ExistingDir()
	if err != nil {
		return "", nil, err
	}
	if len(names) == 0 {
		if !exists {
			return dir, nil, nil
		}
		out, err := resident.StopAll(dir, wait)
		return dir, out, err
	}
	out := make([]ResidentStopResult, 0, len(names))
	for _, name := range names {
		if !exists {
			out = append(out, ResidentStopResult{Name: name, Outcome: ResidentUnknown, Why: "no instance has run here"})
			continue
		}
		out = append(out, resident.Stop(dir, name, wait))
	}
	return dir, out, nil
}

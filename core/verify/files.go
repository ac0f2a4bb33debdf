package verify

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/rpm"
)

// VerifyFile verifies the package at path. A package that cannot be opened or
// read is a failed Result, not an error; the error is for a backend that gave
// no verdict.
func (v *Verifier) VerifyFile(path string) (*core.Result, error) {
	out := v.verifyBatch([]string{path})
	return out[0].Result, out[0].Err
}

// FileResult is [Verifier.VerifyFiles]' answer for one path: a Result, or
// the error of a backend that gave no verdict.
type FileResult struct {
	Path   string
	Result *core.Result
	Err    error
}

// batchSize is the most packages a worker of VerifyFiles hands to a
// [core.Capabilities.Packages] path at once: enough to spread a round trip's cost, few
// enough to keep every worker busy.
const batchSize = 16

// maxOpenPackages bounds the package files VerifyFiles holds open at once
// (batches of all workers), well below the usual limit of 1024 descriptors.
const maxOpenPackages = 256

// StreamWindow is the least number of packages [Verifier.StreamFiles] holds
// between taking a path and handing its result over: paths being verified
// and results waiting for an earlier one. It is raised to two full rounds
// of batches when the workers need more, so that the window never starves
// them.
const StreamWindow = 512

// VerifyFiles verifies the packages at paths with jobs workers and returns
// the results in the order of paths ([Verifier.StreamFiles] collected).
func (v *Verifier) VerifyFiles(paths []string, jobs int) []FileResult {
	out := make([]FileResult, 0, len(paths))
	v.StreamFiles(slices.Values(paths), jobs, func(r FileResult) bool {
		out = append(out, r)
		return true
	})
	return out
}

// streamHooks lets tests watch the window of StreamFiles; nil in
// production.
var streamHooks *streamHook

// streamHook is called by StreamFiles (under its lock): held after each
// result is stored, with the number of results stored and not yet handed
// over; full when the reader of paths waits for the window.
type streamHook struct {
	held func(n int)
	full func()
}

// StreamFiles verifies the packages whose paths next yields with jobs
// workers and calls emit with each result in the order of the paths, as
// soon as it and every earlier one are verified; emit runs on the calling
// goroutine, one call at a time. At most the window (see [StreamWindow])
// of paths is taken from next ahead of the last result handed over, so the
// memory StreamFiles uses does not grow with the number of packages. When
// emit returns false no further path is taken; the batches already in
// flight finish and their results are dropped. StreamFiles returns only
// once next is no longer running: after a stop it waits for the call of
// next in progress (a list read from a pipe waits for its writer).
//
// With a [core.Capabilities.Packages] backend the packages go over in batches,
// two per job in flight, so that the backend process has the next batch
// while the host takes the answers of the last one; otherwise each package
// is verified by [Verifier.Verify].
func (v *Verifier) StreamFiles(next iter.Seq[string], jobs int, emit func(FileResult) bool) {
	v.StreamFilesIdle(next, jobs, emit, nil)
}

// StreamFilesIdle is [Verifier.StreamFiles] that calls idle (when not nil)
// whenever the next result is not ready yet and StreamFilesIdle is about
// to wait for it, on the calling goroutine like emit: the moment for a
// caller that buffers what emit writes to hand it on (rpmpgp checksig
// writes a burst of results with one system call instead of one per line,
// and never holds a line back while it waits).
func (v *Verifier) StreamFilesIdle(next iter.Seq[string], jobs int, emit func(FileResult) bool, idle func()) {
	if v.b.Capabilities().Packages != nil {
		jobs *= 2
	}
	jobs = max(1, min(jobs, maxOpenPackages))
	maxSize := max(1, min(batchSize, maxOpenPackages/jobs))
	window := max(StreamWindow, 2*jobs*maxSize)

	s := &stream{ring: make([]FileResult, window), ready: make([]bool, window), total: -1}
	s.cond = sync.NewCond(&s.mu)
	slots := make(chan struct{}, window)
	type batch struct {
		seq   int
		paths []string
	}
	batches := make(chan batch)
	// completed counts the batches the workers have stored; finished
	// wakes the reader after one (a pending wake stands for any number).
	var completed atomic.Int64
	finished := make(chan struct{}, 1)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for b := range batches {
				s.store(b.seq, v.verifyBatch(b.paths))
				completed.Add(1)
				select {
				case finished <- struct{}{}:
				default:
				}
			}
		})
	}
	// The feeder takes a slot of the window for every path, then the
	// path, and hands it to the reader. The channel holds a batch for
	// every worker: unbuffered, each path the reader took made the feeder
	// runnable without running it, so the reader's next look found no
	// path ready and cut a short batch as for a slow list whenever a
	// worker was idle (measured over 1,000 small packages from the
	// command line: 81 calls of 1 to 16 packages instead of 63 of 16,
	// issue 16). The slots bound the paths taken all the same.
	paths := make(chan string, jobs*maxSize)
	// feeder and reader end before StreamFiles returns, so that next is
	// never running once it has returned (after a stop, that waits for
	// the call of next in progress, whose path is dropped).
	var bg sync.WaitGroup
	bg.Go(func() {
		defer close(paths)
		pull, stop := iter.Pull(next)
		defer stop()
		for !s.stopped() {
			select {
			case slots <- struct{}{}:
			default:
				if streamHooks != nil && streamHooks.full != nil {
					streamHooks.full()
				}
				slots <- struct{}{}
			}
			p, ok := pull()
			if !ok {
				<-slots
				return
			}
			paths <- p
		}
	})
	// The reader hands the paths to the workers in batches: full ones
	// while paths come faster than the workers take them; what it has
	// when a worker is idle and no path is ready (a slow list: the first
	// verdict does not wait for a full batch); and at the end, small
	// inputs cut so that every worker gets a share.
	bg.Go(func() {
		defer func() {
			for range paths { // after a stop: the feeder's last path
				<-slots
			}
		}()
		defer close(batches) // first: the workers need not wait for the drain
		pending := make([]string, 0, jobs*maxSize)
		seq, done, dispatched := 0, false, int64(0)
		for {
			starved := false
			for !done && !starved && len(pending) < cap(pending) {
				if s.stopped() {
					done = true
					break
				}
				var p string
				var ok bool
				if len(pending) > 0 && dispatched-completed.Load() < int64(jobs) {
					select {
					case p, ok = <-paths:
					default:
						starved = true
						continue
					}
				} else {
					select {
					case p, ok = <-paths:
					case <-finished:
						continue
					}
				}
				if !ok {
					done = true
					break
				}
				pending = append(pending, p)
			}
			if len(pending) == 0 || s.stopped() {
				s.finish(seq)
				return
			}
			size := maxSize
			if done || starved {
				size = max(1, min(maxSize, (len(pending)+jobs-1)/jobs))
			}
			size = min(size, len(pending))
			b := batch{seq: seq, paths: slices.Clone(pending[:size])}
			pending = append(pending[:0], pending[size:]...)
			seq += size
			batches <- b
			dispatched++
		}
	})
	for i := 0; ; i++ {
		r, ok := s.take(i, idle)
		if !ok {
			break
		}
		<-slots
		if !s.stopped() && !emit(r) {
			s.stop()
		}
	}
	wg.Wait()
	bg.Wait()
}

// stream is the reorder window of StreamFiles: a ring of results indexed
// by sequence number modulo its size.
type stream struct {
	mu    sync.Mutex
	cond  *sync.Cond
	ring  []FileResult
	ready []bool
	held  int
	// total is the number of paths taken, -1 while the reader runs.
	total int
	halt  bool
}

// store puts the results of the batch that starts at seq into the ring.
func (s *stream) store(seq int, rs []FileResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for j, r := range rs {
		k := (seq + j) % len(s.ring)
		s.ring[k], s.ready[k] = r, true
		s.held++
	}
	if streamHooks != nil && streamHooks.held != nil {
		streamHooks.held(s.held)
	}
	s.cond.Broadcast()
}

// take waits for result i and removes it from the ring; false when the
// reader has finished and i is past the last path taken. Before it first
// waits, it calls idle (when not nil) without the lock held.
func (s *stream) take(i int, idle func()) (FileResult, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := i % len(s.ring)
	for !s.ready[k] {
		if s.total >= 0 && i >= s.total {
			return FileResult{}, false
		}
		if idle != nil {
			s.mu.Unlock()
			idle()
			idle = nil
			s.mu.Lock()
			continue
		}
		s.cond.Wait()
	}
	r := s.ring[k]
	s.ring[k], s.ready[k] = FileResult{}, false
	s.held--
	return r, true
}

// finish records that the reader took n paths in all.
func (s *stream) finish(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total = n
	s.cond.Broadcast()
}

// stop makes the reader take no further path.
func (s *stream) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.halt = true
}

// stopped reports whether stop was called.
func (s *stream) stopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.halt
}

// verifyBatch verifies the packages at paths.
func (v *Verifier) verifyBatch(paths []string) []FileResult {
	out := make([]FileResult, len(paths))
	var files []*os.File
	var names []string
	var at []int
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for i, p := range paths {
		out[i].Path = p
		f, err := openPackage(p)
		if err != nil {
			out[i].Result = &core.Result{Path: p, Failed: true, OpenFailed: true, Error: "open failed: " + rpm.Strerror(err)}
			continue
		}
		files, names, at = append(files, f), append(names, p), append(at, i)
	}
	if len(files) == 0 {
		return out
	}
	if pv := v.b.Capabilities().Packages; pv != nil {
		rs, err := pv.VerifyPackages(files, names, v.kr, v.cfg)
		if err == nil && len(rs) == len(files) {
			for j, r := range rs {
				out[at[j]].Result, out[at[j]].Err = r.Result, r.Err
				if r.Result == nil && r.Err == nil {
					out[at[j]].Err = fmt.Errorf("backend: no result for %s", names[j])
				}
			}
			return out
		}
		if err == nil {
			err = fmt.Errorf("backend: %d results for %d packages", len(rs), len(files))
		}
		if !errors.Is(err, core.ErrNotSupported) {
			for _, i := range at {
				out[i].Err = err
			}
			return out
		}
	}
	for j, f := range files {
		out[at[j]].Result, out[at[j]].Err = v.Verify(f, names[j])
	}
	return out
}

package verify

import (
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestStreamFilesWindow: while the first package is held up, StreamFiles
// takes no more than its window of paths, holds no more results than
// that, and then hands every result over in the order of the paths. Not
// parallel: the hooks are package-wide.
func TestStreamFilesWindow(t *testing.T) {
	_, signed, unsigned, _, _, _ := testFiles(t)
	const n = 3 * StreamWindow
	paths := []string{signed}
	for range n - 1 {
		paths = append(paths, unsigned)
	}
	release := make(chan struct{})
	var once sync.Once
	var others, othersAtRelease atomic.Int64
	open := func() {
		once.Do(func() {
			othersAtRelease.Store(others.Load())
			close(release)
		})
	}
	b := &batchBackend{fakeBackend: &fakeBackend{}}
	b.answer = func(files []*os.File, names []string) ([]core.PackageResult, error) {
		if names[0] == signed {
			<-release
		}
		out := make([]core.PackageResult, len(names))
		for i, name := range names {
			out[i].Result = &core.Result{Path: name}
			if name != signed && others.Add(1) == n-1 {
				open()
			}
		}
		return out, nil
	}
	var maxHeld atomic.Int64
	streamHooks = &streamHook{
		held: func(h int) {
			if int64(h) > maxHeld.Load() {
				maxHeld.Store(int64(h))
			}
		},
		full: open,
	}
	defer func() { streamHooks = nil }()
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	v.StreamFiles(slices.Values(paths), 2, func(r FileResult) bool {
		got = append(got, r.Path)
		return true
	})
	if !slices.Equal(got, paths) {
		t.Fatalf("results out of order or missing: %d results for %d paths", len(got), len(paths))
	}
	if a := othersAtRelease.Load(); a >= StreamWindow {
		t.Errorf("%d later packages verified while the first was held up; window %d", a, StreamWindow)
	}
	if m := maxHeld.Load(); m > StreamWindow {
		t.Errorf("%d results held at once; window %d", m, StreamWindow)
	}
}

// TestStreamFilesStop: when emit returns false no further path is taken
// and emit is not called again.
func TestStreamFilesStop(t *testing.T) {
	t.Parallel()
	_, signed, _, _, _, _ := testFiles(t)
	b := &fakeBackend{}
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	taken := 0
	next := func(yield func(string) bool) {
		for range 10 * StreamWindow {
			taken++
			if !yield(signed) {
				return
			}
		}
	}
	calls := 0
	v.StreamFiles(next, 2, func(r FileResult) bool {
		calls++
		return calls < 3
	})
	if calls != 3 {
		t.Errorf("emit called %d times after returning false on the 3rd", calls)
	}
	if taken > 3+2*StreamWindow {
		t.Errorf("%d paths taken after emit stopped", taken)
	}
}

// TestStreamFilesIdle: StreamFilesIdle calls idle each time it is about to
// wait for a result that is not ready, and only then: the list below
// yields its next path only from idle, so each result is preceded by
// exactly one idle (a missing call would end the list early), and after
// the last one the end of the list comes from idle too.
func TestStreamFilesIdle(t *testing.T) {
	t.Parallel()
	_, signed, unsigned, _, _, _ := testFiles(t)
	paths := []string{signed, unsigned, signed, unsigned}
	b := &batchBackend{fakeBackend: &fakeBackend{}}
	b.answer = func(files []*os.File, names []string) ([]core.PackageResult, error) {
		out := make([]core.PackageResult, len(names))
		for i, name := range names {
			out[i].Result = &core.Result{Path: name}
		}
		return out, nil
	}
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	feed := make(chan string, 1)
	list := func(yield func(string) bool) {
		for {
			select {
			case p, ok := <-feed:
				if !ok || !yield(p) {
					return
				}
			case <-time.After(10 * time.Second):
				return // idle was not called: the events below say so
			}
		}
	}
	var events []string
	next := 0
	idle := func() {
		events = append(events, "idle")
		if next == len(paths) {
			close(feed)
			next++
			return
		}
		if next < len(paths) {
			feed <- paths[next]
			next++
		}
	}
	v.StreamFilesIdle(list, 2, func(r FileResult) bool {
		events = append(events, r.Path)
		return true
	}, idle)
	var want []string
	for _, p := range paths {
		want = append(want, "idle", p)
	}
	want = append(want, "idle")
	if !slices.Equal(events, want) {
		t.Errorf("events\n%q\nwant\n%q", events, want)
	}
}

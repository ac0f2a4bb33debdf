// Package progress draws checksig's progress bar on standard error
// (github.com/schollz/progressbar/v3) without disturbing the lines of the
// run: every line written through [Bar.Writer] first clears the bar, and
// the bar is drawn again after the package's lines. It is drawn only on a
// terminal, never into a pipe or a file.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Mode says when the bar is drawn.
type Mode string

// The modes of --progress.
const (
	// Auto draws the bar on a terminal once the run has lasted Delay.
	Auto Mode = "auto"
	// Always draws the bar on a terminal from the first package.
	Always Mode = "always"
	// Never draws no bar.
	Never Mode = "never"
)

// ParseMode parses a --progress value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Always, Never:
		return m, nil
	}
	return "", fmt.Errorf("--progress %q: expected auto, always or never", s)
}

// Delay is how long a run lasts before Auto draws the bar: short runs
// never show one.
const Delay = time.Second

// redraw bounds how often the bar is drawn while it is shown.
const redraw = 100 * time.Millisecond

// Bar is the progress of one run. A nil *Bar draws nothing; its methods
// are safe to call.
type Bar struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	start time.Time
	delay time.Duration
	last  time.Time
	n     int
	shown bool
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// New returns the bar of a run of total packages (-1: not known yet,
// e.g. a --files-from list) drawn on stderr, or nil when mode or stderr
// say there is none: stderr is not a terminal, or mode is Never.
func New(mode Mode, stderr io.Writer, total int) *Bar {
	if mode == Never || !IsTerminal(stderr) {
		return nil
	}
	if total == 0 {
		total = -1
	}
	b := &Bar{start: time.Now()}
	if mode == Auto {
		b.delay = Delay
	}
	b.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("checksig"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		// No spinner goroutine: the bar is drawn only from Step.
		progressbar.OptionSetSpinnerChangeInterval(0),
	)
	return b
}

// Step counts one package whose lines have been written, and draws the
// bar: at once when it was cleared for a line, else at most every 100 ms.
func (b *Bar) Step() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n++
	now := time.Now()
	if now.Sub(b.start) < b.delay || (b.shown && now.Sub(b.last) < redraw) {
		return
	}
	_ = b.bar.Set(b.n)
	b.shown, b.last = true, now
}

// hide clears the bar if it is drawn.
func (b *Bar) hide() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		_ = b.bar.Clear()
		b.shown = false
	}
}

// Done clears the bar for good: nothing of it stays on the terminal.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.hide()
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.bar.Exit()
}

// Writer returns w, writing through which clears the bar first when w is
// a terminal (the bar's line is the terminal's current line); w itself
// otherwise (a file or pipe does not show the bar).
func (b *Bar) Writer(w io.Writer) io.Writer {
	if b == nil || !IsTerminal(w) {
		return w
	}
	return &clearing{b: b, w: w}
}

type clearing struct {
	b *Bar
	w io.Writer
}

func (c *clearing) Write(p []byte) (int, error) {
	c.b.hide()
	return c.w.Write(p)
}

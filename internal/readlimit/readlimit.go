// Package readlimit reads the small files rpmpgp is given by name (config
// files, crypto policies, detached signatures) through a limit, never
// trusting stat: a device such as /dev/zero or a FIFO has no size, and a
// sparse file has a size it never occupies in memory until it is read.
package readlimit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// ErrTooLarge is wrapped when a file holds more than the limit.
var ErrTooLarge = errors.New("file too large")

// FIFOTimeout bounds the wait for the data of a FIFO or socket: a writer
// that keeps it open without writing does not block rpmpgp.
const FIFOTimeout = 3 * time.Second

// fifoTimeout is FIFOTimeout; tests shorten it.
var fifoTimeout = FIFOTimeout

// File reads at most limit bytes of path. A file with more is an error
// wrapping [ErrTooLarge] that names the file and the limit, after reading
// limit+1 bytes and no more. A FIFO is opened and read as [Open] says; a
// directory is an error.
func File(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", path)
	}
	return Reader(f, path, limit)
}

// Opened is an open file from [Open]; a FIFO or socket is read with a
// deadline.
type Opened struct {
	*os.File
	fifo     bool
	got      bool // a FIFO gave data, so its end of file is the end
	deadline time.Time
}

// Open opens path for reading without blocking on a FIFO that has no
// writer. A FIFO or socket must give its data within [FIFOTimeout]: until
// it gave some, an end of file means "no writer yet" and is waited out;
// after the deadline a read fails with an error wrapping
// os.ErrDeadlineExceeded ([Reader] names it).
func Open(path string) (*Opened, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	out := &Opened{File: f}
	if fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) != 0 {
		// The descriptor is non-blocking, so Go's poller serves it and
		// honours the deadline.
		out.fifo, out.deadline = true, time.Now().Add(fifoTimeout)
		if err := f.SetReadDeadline(out.deadline); err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return out, nil
}

// Read implements io.Reader.
func (f *Opened) Read(p []byte) (int, error) {
	for {
		n, err := f.File.Read(p)
		if !f.fifo || n > 0 || f.got || !errors.Is(err, io.EOF) {
			if n > 0 {
				f.got = true
			}
			return n, err
		}
		// No writer yet: wait for one, up to the deadline.
		if !time.Now().Before(f.deadline) {
			return 0, fmt.Errorf("read %s: %w", f.Name(), os.ErrDeadlineExceeded)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Reader reads r to its end through the limit; name is what errors call it.
func Reader(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, fmt.Errorf("reading %s: no end of data within %v", name, fifoTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w: more than the limit of %s", name, ErrTooLarge, Size(limit))
	}
	return data, nil
}

// Size spells a byte count the way the limits are written: "1 MiB",
// "64 KiB", "1000 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

package readlimit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFile: every kind of input is read through the limit: a regular file
// at and over it, a sparse file far over it, /dev/zero, /dev/null, a FIFO
// without a writer, with an endless writer and with a silent writer, and a
// directory.
func TestFile(t *testing.T) {
	dir := t.TempDir()
	at := filepath.Join(dir, "at")
	if err := os.WriteFile(at, []byte(strings.Repeat("x", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	over := filepath.Join(dir, "over")
	if err := os.WriteFile(over, []byte(strings.Repeat("x", 101)), 0o644); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(dir, "sparse")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()

	if data, err := File(at, 100); err != nil || len(data) != 100 {
		t.Errorf("File(at, 100) = %d bytes, %v; want 100, nil", len(data), err)
	}
	if data, err := File("/dev/null", 100); err != nil || len(data) != 0 {
		t.Errorf("File(/dev/null) = %d bytes, %v; want 0, nil", len(data), err)
	}
	for path, want := range map[string]string{
		over:        over + ": file too large: more than the limit of 100 bytes",
		sparse:      sparse + ": file too large: more than the limit of 1 MiB",
		"/dev/zero": "/dev/zero: file too large: more than the limit of 1 MiB",
	} {
		limit := int64(100)
		if path != over {
			limit = 1 << 20
		}
		data, err := File(path, limit)
		if err == nil || err.Error() != want || !errors.Is(err, ErrTooLarge) || data != nil {
			t.Errorf("File(%s) = %d bytes, %v; want %q", path, len(data), err, want)
		}
	}
	if _, err := File(dir, 100); err == nil || err.Error() != dir+": is a directory" {
		t.Errorf("File(dir) error %v; want %q", err, dir+": is a directory")
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	fifoTimeout = 100 * time.Millisecond
	defer func() { fifoTimeout = FIFOTimeout }()
	// No writer: opened without blocking; no data by the deadline.
	if _, err := File(fifo, 100); err == nil || err.Error() != "reading "+fifo+": no end of data within 100ms" {
		t.Errorf("File(fifo without writer) error %v; want %q", err, "reading "+fifo+": no end of data within 100ms")
	}
	fifoTimeout = FIFOTimeout
	// A writer that opens the FIFO after the reader, writes and closes.
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write([]byte("late data"))
		w.Close()
	}()
	if data, err := File(fifo, 100); err != nil || string(data) != "late data" {
		t.Errorf("File(fifo with late writer) = %q, %v; want %q", data, err, "late data")
	}
	// An endless writer: the limit.
	stop := make(chan struct{})
	done := make(chan struct{})
	w := openWriter(t, fifo)
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}()
	_, err = File(fifo, 1<<20)
	w.Close()
	close(stop)
	<-done
	if want := fifo + ": file too large: more than the limit of 1 MiB"; err == nil || err.Error() != want {
		t.Errorf("File(fifo with endless writer) error %v; want %q", err, want)
	}
	// A writer that never writes nor closes: the deadline.
	fifoTimeout = 100 * time.Millisecond
	w = openWriter(t, fifo)
	defer w.Close()
	_, err = File(fifo, 100)
	if want := "reading " + fifo + ": no end of data within 100ms"; err == nil || err.Error() != want {
		t.Errorf("File(fifo with silent writer) error %v; want %q", err, want)
	}
}

// openWriter opens fifo for writing without a reader (O_RDWR never blocks
// on Linux).
func openWriter(t *testing.T, fifo string) *os.File {
	t.Helper()
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q; want %q", n, got, want)
		}
	}
}

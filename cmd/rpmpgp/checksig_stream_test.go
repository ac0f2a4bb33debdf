package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestChecksigStreams: checksig prints a package's verdict as soon as it
// and every earlier package are verified. The second package is a FIFO
// that is written only after the first verdict has been read: a checksig
// that waited for every package before printing would never print it.
// (The watchdog only turns a hang into a failure; nothing is timed.)
func TestChecksigStreams(t *testing.T) {
	t.Parallel()
	fx := testutil.Fixtures()
	good := filepath.Join(fx, "rpms", "rpmsign-rsa2048.rpm")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"rpm6", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			fifo := filepath.Join(t.TempDir(), "later.rpm")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			cmd := rpmpgpCmd(t, "checksig", "-o", format, "-j", "2", "--no-system-keys", "--keyring", filepath.Join(fx, "keys", "rsa2048.asc"), good, fifo)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			first := make(chan string, 1)
			r := bufio.NewReader(out)
			go func() {
				l, _ := r.ReadString('\n')
				first <- l
			}()
			var line string
			select {
			case line = <-first:
			case <-time.After(5 * time.Minute):
				t.Error("no verdict printed while a later package was not verified yet")
			}
			// Now the later package: write it into the FIFO.
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = w.Write(data)
			w.Close()
			rest, _ := io.ReadAll(r)
			_ = cmd.Wait()
			want := good + ": digests signatures OK\n"
			if format == "json" {
				want = `{"type":"package","path":"` + good + `","failed":false,"summary":"digests signatures OK",`
				if len(line) > len(want) {
					line = line[:len(want)]
				}
			}
			if line != want {
				t.Errorf("first line %q, want %q", line, want)
			}
			wantRest := fifo + ": digests signatures OK\n"
			if format == "json" {
				wantRest = `{"type":"package","path":"` + fifo + `","failed":false,"summary":"digests signatures OK",`
				if len(rest) > len(wantRest) {
					rest = rest[:len(wantRest)]
				}
			}
			if string(rest) != wantRest {
				t.Errorf("after the FIFO: %q, want %q", rest, wantRest)
			}
		})
	}
}

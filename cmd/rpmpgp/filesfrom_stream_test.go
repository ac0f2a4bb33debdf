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

// TestFilesFromStreams: checksig --files-from verifies the packages of the
// list as its entries arrive. The list is a pipe (standard input) and a
// FIFO that get the second entry only after the first verdict has been
// read: a checksig that read the whole list first would never print it.
// (The watchdog only turns a hang into a failure; nothing is timed.)
func TestFilesFromStreams(t *testing.T) {
	t.Parallel()
	fx := testutil.Fixtures()
	good := filepath.Join(fx, "rpms", "rpmsign-rsa2048.rpm")
	other := filepath.Join(fx, "rpms", "rpmsign-ed25519.rpm")
	for _, via := range []string{"stdin", "fifo"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			list := "-"
			if via == "fifo" {
				list = filepath.Join(t.TempDir(), "list")
				if err := syscall.Mkfifo(list, 0o600); err != nil {
					t.Skipf("mkfifo: %v", err)
				}
			}
			cmd := rpmpgpCmd(t, "checksig", "-j", "2", "--no-system-keys", "--keyring", filepath.Join(fx, "keys"), "--files-from", list)
			var w io.WriteCloser
			if via == "stdin" {
				var err error
				if w, err = cmd.StdinPipe(); err != nil {
					t.Fatal(err)
				}
			}
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if via == "fifo" {
				if w, err = os.OpenFile(list, os.O_WRONLY, 0); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := io.WriteString(w, good+"\n"); err != nil {
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
				t.Error("no verdict printed while the list was still open")
			}
			// Now the rest of the list, and its end.
			_, _ = io.WriteString(w, other+"\n")
			w.Close()
			rest, _ := io.ReadAll(r)
			if err := cmd.Wait(); err != nil {
				t.Errorf("exit: %v", err)
			}
			if want := good + ": digests signatures OK\n"; line != want {
				t.Errorf("first line %q, want %q", line, want)
			}
			if want := other + ": digests signatures OK\n"; string(rest) != want {
				t.Errorf("rest %q, want %q", rest, want)
			}
		})
	}
}

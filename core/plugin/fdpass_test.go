package plugin

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// fdPair returns both ends of a descriptor channel in this process.
func fdPair(t *testing.T) (*fdSender, *fdReceiver) {
	t.Helper()
	s, child, err := newFDChannel()
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.FileConn(child)
	child.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := &fdReceiver{conn: c.(*net.UnixConn), slots: map[uint64]chan []*os.File{}}
	go r.loop()
	t.Cleanup(func() { s.close(); r.conn.Close() })
	return s, r
}

// tempFiles makes n open files whose contents are their index.
func tempFiles(t *testing.T, n int) []*os.File {
	t.Helper()
	var out []*os.File
	for i := range n {
		p := filepath.Join(t.TempDir(), strconv.Itoa(i))
		if err := os.WriteFile(p, []byte(strconv.Itoa(i)), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		out = append(out, f)
	}
	return out
}

func TestFDChannel(t *testing.T) {
	t.Parallel()
	s, r := fdPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	files := tempFiles(t, 3)
	tok, err := s.send(files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.take(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("received %d descriptors, want 3", len(got))
	}
	for i, f := range got {
		// The received descriptor reads the same file, from offset 0 with
		// pread, without moving the sender's offset.
		data, err := io.ReadAll(io.NewSectionReader(f, 0, 100))
		if err != nil || string(data) != strconv.Itoa(i) {
			t.Errorf("descriptor %d reads %q, %v", i, data, err)
		}
		f.Close()
	}

	if _, err := s.send(nil); err == nil {
		t.Error("sending no descriptors succeeded")
	}
	if _, err := s.send(make([]*os.File, maxFDsPerMessage+1)); err == nil {
		t.Error("sending too many descriptors succeeded")
	}

	// A token nobody sent times out with the caller's context.
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if _, err := r.take(short, 1<<40); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("take of an unsent token: %v", err)
	}

	// Unclaimed descriptors are bounded: the oldest are closed.
	one := tempFiles(t, 1)
	for range maxPendingSends + 10 {
		if _, err := s.send(one); err != nil {
			t.Fatal(err)
		}
	}
	tok, err = s.send(one)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.take(ctx, tok); err != nil || len(got) != 1 {
		t.Fatalf("take after many unclaimed sends: %v, %v", got, err)
	} else {
		got[0].Close()
	}
	r.mu.Lock()
	pending := len(r.slots)
	r.mu.Unlock()
	if pending > maxPendingSends {
		t.Errorf("%d unclaimed messages held, limit %d", pending, maxPendingSends)
	}

	// When the host's end closes, take fails with errNoFDChannel.
	s.close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := r.take(short, 1<<41)
		if errors.Is(err, errNoFDChannel) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("take after the sender closed: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

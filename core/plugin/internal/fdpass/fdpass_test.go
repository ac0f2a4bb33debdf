package fdpass

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
func fdPair(t *testing.T) (*Sender, *Receiver) {
	t.Helper()
	s, child, err := NewChannel()
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.FileConn(child)
	child.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := ReceiverOf(c.(*net.UnixConn))
	t.Cleanup(func() { s.Close(); r.Close() })
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
	tok, err := s.Send(files)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Take(ctx, tok)
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

	if _, err := s.Send(nil); err == nil {
		t.Error("sending no descriptors succeeded")
	}
	if _, err := s.Send(make([]*os.File, MaxPerMessage+1)); err == nil {
		t.Error("sending too many descriptors succeeded")
	}

	// A token nobody sent times out with the caller's context.
	short, cancelShort := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelShort()
	if _, err := r.Take(short, 1<<40); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("take of an unsent token: %v", err)
	}

	// Unclaimed descriptors are bounded: the oldest are closed.
	one := tempFiles(t, 1)
	for range maxPendingSends + 10 {
		if _, err := s.Send(one); err != nil {
			t.Fatal(err)
		}
	}
	tok, err = s.Send(one)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Take(ctx, tok); err != nil || len(got) != 1 {
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

	// When the host's end closes, take fails with ErrNoChannel.
	s.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := r.Take(short, 1<<41)
		if errors.Is(err, ErrNoChannel) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("take after the sender closed: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestTakeEndsWithTheChannel: a call waiting for descriptors that will
// never come returns ErrNoChannel once the host's end is closed, without
// waiting for its own context (a resident session that ends frees its
// backend only after its calls have returned).
func TestTakeEndsWithTheChannel(t *testing.T) {
	t.Parallel()
	s, r := fdPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	waiting := make(chan error, 1)
	go func() {
		_, err := r.Take(ctx, 1000) // never sent
		waiting <- err
	}()
	s.Close()
	err := <-waiting
	if !errors.Is(err, ErrNoChannel) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting call: %v, want ErrNoChannel", err)
	}
}

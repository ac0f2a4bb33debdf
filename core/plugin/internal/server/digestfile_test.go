package server

import (
	"context"
	"crypto/sha256"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
)

// fakeStream records what DigestFile sends.
type fakeStream struct {
	grpc.ServerStream
	ctx context.Context

	mu   sync.Mutex
	sent []*pb.DigestFileResponse
}

func (f *fakeStream) Context() context.Context { return f.ctx }

func (f *fakeStream) Send(m *pb.DigestFileResponse) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

func sha256Digest(t *testing.T) core.Digest {
	t.Helper()
	d, err := testbackend.New().NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestHashProgress: a pipe of 40 MiB is hashed whole, with a progress
// message after each 16 MiB (16 and 32 MiB), none of them waiting once
// the writer is done.
func TestHashProgress(t *testing.T) {
	t.Parallel()
	data := make([]byte, 40<<20)
	for i := range data {
		data[i] = byte(i >> 9)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		defer w.Close()
		_, _ = w.Write(data)
	}()
	st := &fakeStream{ctx: context.Background()}
	fh := &fileHasher{stream: st}
	d := sha256Digest(t)
	if err := fh.hash(r, []core.Digest{d}); err != nil {
		t.Fatal(err)
	}
	if got := fh.written.Load(); got != int64(len(data)) {
		t.Errorf("written %d, want %d", got, len(data))
	}
	var progress []int64
	for _, m := range st.sent {
		progress = append(progress, m.GetWritten())
	}
	if len(progress) != 2 || progress[0] != 16<<20 || progress[1] != 32<<20 {
		t.Errorf("progress messages at %v, want [16 MiB 32 MiB]", progress)
	}
	sum, err := d.Final()
	if want := sha256.Sum256(data); err != nil || string(sum) != string(want[:]) {
		t.Errorf("digest %x, %v; want %x", sum, err, want)
	}
}

// TestHashReadError: a read error is the hash's error, never a shorter
// input (a directory fails its first read).
func TestHashReadError(t *testing.T) {
	t.Parallel()
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	fh := &fileHasher{stream: &fakeStream{ctx: context.Background()}}
	err = fh.hash(dir, []core.Digest{sha256Digest(t)})
	if err == nil || !strings.HasPrefix(err.Error(), "reading the data after 0 bytes: read ") || !strings.HasSuffix(err.Error(), ": is a directory") {
		t.Errorf("hash of a directory: %v", err)
	}
}

// TestHashHeartbeat: while the hashing waits for a slow writer, heartbeats
// with waiting set go out (3 bytes written: a chunk is hashed once full, so
// nothing is hashed yet); a cancelled call stops the hashing.
func TestHashHeartbeat(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &fakeStream{ctx: ctx}
	fh := &fileHasher{stream: st}
	stop := fh.heartbeat(time.Millisecond)
	done := make(chan error, 1)
	go func() { done <- fh.hash(r, []core.Digest{sha256Digest(t)}) }()
	if _, err := w.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st.mu.Lock()
		n := len(st.sent)
		st.mu.Unlock()
		if n >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	err = <-done
	stop()
	if err == nil || err.Error() != "hashing the data: context canceled" {
		t.Errorf("hash after cancel: %v", err)
	}
	if len(st.sent) < 2 {
		t.Fatalf("%d heartbeats in 10 s", len(st.sent))
	}
	for _, m := range st.sent {
		if !m.GetWaiting() || m.GetDone() || m.GetWritten() != 0 {
			t.Errorf("heartbeat %v: want waiting, not done, nothing written", m)
		}
	}
}

// TestNothingAfterDone: once the last message is out, a late heartbeat is
// dropped.
func TestNothingAfterDone(t *testing.T) {
	t.Parallel()
	st := &fakeStream{ctx: context.Background()}
	fh := &fileHasher{stream: st}
	fh.written.Store(7)
	if err := fh.finish(nil); err != nil {
		t.Fatal(err)
	}
	if err := fh.send(&pb.DigestFileResponse{Written: 7, Waiting: true}); err != nil {
		t.Fatal(err)
	}
	if len(st.sent) != 1 || !st.sent[0].GetDone() || st.sent[0].GetWritten() != 7 {
		t.Errorf("sent %v, want only the last message (done, written 7)", st.sent)
	}
}

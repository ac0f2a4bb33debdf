package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// fileReadSize is the size of DigestFile's reads, into fileBuffers buffers
// reused, so that the process does not grow with the data.
const fileReadSize = wire.ChunkSize

// progressEvery is how many bytes DigestFile hashes between two progress
// messages: the host gives each message the call timeout.
const progressEvery = 16 << 20

// DigestFile implements pb.BackendServer: it reads the file the host passed
// over the descriptor channel from its current offset to its end, with
// plain reads of fileReadSize into a few reused buffers, and writes every
// chunk into every named digest. A read error is an error, never a shorter input; the
// total goes back in the last message so that the host can check it.
func (s *server) DigestFile(req *pb.DigestFileRequest, stream pb.Backend_DigestFileServer) error {
	fh := &fileHasher{stream: stream}
	if s.fds == nil {
		return fh.finish(fmt.Errorf("%w: %w", core.ErrNotSupported, fdpass.ErrNoChannel))
	}
	// The descriptor is claimed before anything else can fail, so that it
	// does not stay open in this process.
	taken, err := s.fds.Take(stream.Context(), req.GetFilesToken())
	if err != nil {
		if errors.Is(err, fdpass.ErrNoChannel) {
			err = fmt.Errorf("%w: %w", core.ErrNotSupported, err)
		}
		return fh.finish(err)
	}
	defer fdpass.CloseFiles(taken)
	if len(taken) != 1 {
		return fh.finish(fmt.Errorf("%d descriptors for one file to hash", len(taken)))
	}
	sds, err := s.lockAll(req.GetDigests())
	if err != nil {
		return fh.finish(err)
	}
	defer func() {
		for _, sd := range sds {
			sd.mu.Unlock()
		}
	}()
	if hb := time.Duration(req.GetHeartbeatMillis()) * time.Millisecond; hb > 0 {
		stop := fh.heartbeat(hb)
		defer stop()
	}
	ds := make([]core.Digest, len(sds))
	for i, sd := range sds {
		ds[i] = sd.d
	}
	return fh.finish(fh.hash(taken[0], ds))
}

// fileHasher is one DigestFile call.
type fileHasher struct {
	stream pb.Backend_DigestFileServer

	// mu serialises Send (progress, heartbeats and the last message);
	// nothing goes out after the last message.
	mu       sync.Mutex
	sendErr  error
	finished bool

	written atomic.Int64
	waiting atomic.Bool // blocked in a read
}

// send sends one message; the first failure sticks.
func (fh *fileHasher) send(m *pb.DigestFileResponse) error {
	fh.mu.Lock()
	defer fh.mu.Unlock()
	if fh.sendErr == nil && !fh.finished {
		fh.sendErr = fh.stream.Send(m)
		fh.finished = m.GetDone()
	}
	return fh.sendErr
}

// finish sends the last message, with err in-band.
func (fh *fileHasher) finish(err error) error {
	return fh.send(&pb.DigestFileResponse{Done: true, Written: fh.written.Load(), Error: convert.ErrorToProto(err)})
}

// heartbeat reports every period while a read blocks (a pipe whose writer
// is slow); the returned function stops it. A hashing that hangs sends
// nothing, and the host's call timeout ends it.
func (fh *fileHasher) heartbeat(period time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if fh.waiting.Load() {
					_ = fh.send(&pb.DigestFileResponse{Written: fh.written.Load(), Waiting: true})
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// hash reads f to its end into ds, reporting progress every progressEvery
// bytes; it stops when the call is cancelled. A goroutine reads the next
// chunks while this one hashes (fileBuffers buffers, reused), so the copy
// out of the page cache overlaps the hashing.
func (fh *fileHasher) hash(f *os.File, ds []core.Digest) error {
	ctx := fh.stream.Context()
	free := make(chan []byte, fileBuffers)
	full := make(chan chunk, fileBuffers)
	for range fileBuffers {
		free <- make([]byte, fileReadSize)
	}
	stop := make(chan struct{})
	defer close(stop)
	go readChunks(f, free, full, stop)
	var since int64
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("hashing the data: %w", context.Cause(ctx))
		}
		var c chunk
		select {
		case c = <-full:
		default:
			// The hashing waits for input: heartbeats may go out.
			fh.waiting.Store(true)
			select {
			case c = <-full:
			case <-ctx.Done():
			}
			fh.waiting.Store(false)
			if c.buf == nil {
				return fmt.Errorf("hashing the data: %w", context.Cause(ctx))
			}
		}
		if n := len(c.buf); n > 0 {
			if err := writeAll(ds, c.buf); err != nil {
				return err
			}
			fh.written.Add(int64(n))
			if since += int64(n); since >= progressEvery {
				since = 0
				if err := fh.send(&pb.DigestFileResponse{Written: fh.written.Load()}); err != nil {
					return err
				}
			}
		}
		switch {
		case errors.Is(c.err, io.EOF), errors.Is(c.err, io.ErrUnexpectedEOF):
			return nil
		case c.err != nil:
			return fmt.Errorf("reading the data after %d bytes: %w", fh.written.Load(), c.err)
		}
		free <- c.buf[:cap(c.buf)]
	}
}

// fileBuffers is how many read buffers of fileReadSize one DigestFile
// call uses: one being hashed, the others being filled.
const fileBuffers = 3

// chunk is one read of readChunks: the bytes read and the read's error.
type chunk struct {
	buf []byte
	err error
}

// readChunks fills the buffers from free with f's bytes (ReadFull: a pipe
// gives at most 64 KiB per read) and queues them on full, until the end of
// f, a read error (the last chunk carries it) or stop. full has room for
// every buffer, so it never blocks.
func readChunks(f *os.File, free chan []byte, full chan<- chunk, stop <-chan struct{}) {
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-stop:
			return
		}
		n, err := io.ReadFull(f, buf)
		full <- chunk{buf: buf[:n], err: err}
		if err != nil {
			return
		}
	}
}

// writeAll writes p into every digest of ds, concurrently when there are
// several (they hash the same bytes on several cores).
func writeAll(ds []core.Digest, p []byte) error {
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i, d := range ds[1:] {
		wg.Go(func() { _, errs[i+1] = d.Write(p) })
	}
	_, errs[0] = ds[0].Write(p)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("updating %v digest: %w", ds[i].Algo(), err)
		}
	}
	return nil
}

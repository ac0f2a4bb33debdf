package calls

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// writeBuffer is how many bytes of small writes a remote digest collects
// before one DigestWrite call: a call costs ~0.15 ms, as much as hashing
// ~30 KiB, so per-call overhead stays small next to the hashing.
const writeBuffer = 64 << 10

// errDigestDone is returned when a digest is used after Final or Close.
var errDigestDone = errors.New("digest used after Final or Close")

// remoteDigest is a [core.Digest] held by a backend process: a handle plus a
// client-side buffer of small writes. Write reports success once the bytes
// are buffered; a failure to deliver them is returned by the next call
// (Write, Dup, Final, VerifySignature or UpdateDigests), so an incomplete
// digest can never produce a value.
type remoteDigest struct {
	c    *Client
	inst *supervise.Instance
	id   uint64
	algo core.HashAlgo

	mu   sync.Mutex
	buf  []byte
	done bool
	// err is sticky: once data may be lost, the digest is unusable.
	err error
}

var _ core.Digest = (*remoteDigest)(nil)

// Algo implements [core.Digest].
func (d *remoteDigest) Algo() core.HashAlgo { return d.algo }

// usableLocked checks that d may still be used.
func (d *remoteDigest) usableLocked() error {
	switch {
	case d.done:
		return errDigestDone
	case d.err != nil:
		return d.err
	case !d.inst.Usable():
		return fmt.Errorf("%w: the %v digest belonged to backend process %d, which is gone", supervise.ErrBackendFailed, d.algo, d.inst.PID())
	}
	return nil
}

// Write implements [core.Digest].
func (d *remoteDigest) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usableLocked(); err != nil {
		return 0, d.c.s.OpError("DigestWrite", err)
	}
	if len(d.buf)+len(p) <= writeBuffer {
		if d.buf == nil {
			d.buf = make([]byte, 0, writeBuffer)
		}
		d.buf = append(d.buf, p...)
		return len(p), nil
	}
	if err := d.flushLocked(); err != nil {
		return 0, err
	}
	if len(p) < writeBuffer {
		d.buf = append(d.buf, p...)
		return len(p), nil
	}
	for off := 0; off < len(p); off += wire.ChunkSize {
		if err := d.sendLocked(p[off:min(off+wire.ChunkSize, len(p))]); err != nil {
			return off, err
		}
	}
	return len(p), nil
}

// flushLocked sends the buffered bytes.
func (d *remoteDigest) flushLocked() error {
	if len(d.buf) == 0 {
		return nil
	}
	err := d.sendLocked(d.buf)
	d.buf = d.buf[:0]
	return err
}

// sendLocked sends one chunk; a failure makes d unusable.
func (d *remoteDigest) sendLocked(chunk []byte) error {
	if err := d.usableLocked(); err != nil {
		return d.c.s.OpError("DigestWrite", err)
	}
	_, err := supervise.InvokeOn(d.c.s, d.inst, "DigestWrite", func(ctx context.Context, rpc pb.BackendClient) (*pb.DigestWriteResponse, error) {
		return rpc.DigestWrite(ctx, &pb.DigestWriteRequest{Digest: d.id, Data: chunk})
	})
	if err != nil {
		d.err = err
	}
	return err
}

// Dup implements [core.Digest].
func (d *remoteDigest) Dup() (core.Digest, error) {
	const op = "DigestDup"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usableLocked(); err != nil {
		return nil, d.c.s.OpError(op, err)
	}
	if err := d.flushLocked(); err != nil {
		return nil, err
	}
	resp, err := supervise.InvokeOn(d.c.s, d.inst, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.DigestResponse, error) {
		return rpc.DigestDup(ctx, &pb.DigestRequest{Digest: d.id})
	})
	if err != nil {
		return nil, err
	}
	return d.c.newRemoteDigest(op, d.inst, d.algo, resp)
}

// Final implements [core.Digest]; the value has the algorithm's size or the
// call fails.
func (d *remoteDigest) Final() ([]byte, error) {
	const op = "DigestFinal"
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.usableLocked(); err != nil {
		return nil, d.c.s.OpError(op, err)
	}
	if err := d.flushLocked(); err != nil {
		return nil, err
	}
	d.done = true
	d.buf = nil
	resp, err := supervise.InvokeOn(d.c.s, d.inst, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.DigestFinalResponse, error) {
		return rpc.DigestFinal(ctx, &pb.DigestRequest{Digest: d.id})
	})
	if err != nil {
		return nil, err
	}
	v := resp.GetValue()
	if want := d.algo.Size(); len(v) == 0 || (want > 0 && len(v) != want) {
		return nil, d.c.s.OpError(op, wire.ProtocolError(fmt.Errorf("%v digest of %d bytes", d.algo, len(v))))
	}
	return v, nil
}

// Close implements [core.Digest]. A digest whose process is gone has
// nothing left to release; Close then returns nil.
func (d *remoteDigest) Close() error {
	const op = "DigestClose"
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return nil
	}
	d.done = true
	d.buf = nil
	if !d.inst.Usable() {
		return nil
	}
	_, err := supervise.InvokeOn(d.c.s, d.inst, op, func(ctx context.Context, rpc pb.BackendClient) (*pb.DigestCloseResponse, error) {
		return rpc.DigestClose(ctx, &pb.DigestRequest{Digest: d.id})
	})
	return err
}

// UpdateDigests implements [core.BulkUpdater]: when r is an [*os.File]
// (a regular file, a pipe or a socket) and the backend process has a descriptor
// channel, it hands the descriptor over and the process reads and hashes
// the file itself (digestfile.go). Otherwise it reads r once, in chunks
// of 1 MiB, and streams each chunk once to the backend process, which
// writes it into every digest of ds. All digests must belong to this
// Client. The deadline is the call timeout per chunk sent (time spent
// reading r does not count), so it scales with the size of the data. On
// error the digests of ds are unusable (their state is unknown).
func (c *Client) UpdateDigests(ds []core.Digest, r io.Reader) (int64, error) {
	const op = "UpdateDigests"
	if len(ds) == 0 {
		return io.Copy(io.Discard, r)
	}
	rds := make([]*remoteDigest, len(ds))
	ids := make([]uint64, len(ds))
	for i, d := range ds {
		rd, err := c.ownDigest(d)
		if err != nil {
			return 0, c.s.OpError(op, err)
		}
		if i > 0 && rd.inst != rds[0].inst {
			return 0, c.s.OpError(op, errors.New("digests belong to different backend processes"))
		}
		rds[i], ids[i] = rd, rd.id
	}
	if !distinct(ids) {
		return 0, c.s.OpError(op, errors.New("the same digest is listed twice"))
	}
	// Lock in handle order (as the server does) so that concurrent bulk
	// updates cannot deadlock.
	locked := slices.Clone(rds)
	slices.SortFunc(locked, func(a, b *remoteDigest) int { return cmp.Compare(a.id, b.id) })
	for _, rd := range locked {
		rd.mu.Lock()
		defer rd.mu.Unlock()
	}
	for _, rd := range rds {
		if err := rd.usableLocked(); err != nil {
			return 0, c.s.OpError(op, err)
		}
		if err := rd.flushLocked(); err != nil {
			return 0, err
		}
	}
	var n int64
	var err error
	handled := false
	if f, ok := r.(*os.File); ok {
		n, handled, err = c.digestFile(op, rds[0].inst, ids, f)
	}
	if !handled {
		n, err = c.streamDigests(op, rds[0].inst, ids, r)
	}
	if err != nil {
		for _, rd := range rds {
			rd.err = err
		}
	}
	return n, err
}

// streamDigests runs the UpdateDigests stream.
func (c *Client) streamDigests(op string, inst *supervise.Instance, ids []uint64, r io.Reader) (int64, error) {
	ctx, cancel := context.WithCancelCause(c.s.Context())
	defer cancel(nil)
	// The watchdog runs only while the backend is being waited for.
	watchdog := time.AfterFunc(time.Hour, func() { cancel(supervise.ErrCallTimeout) })
	watchdog.Stop()
	defer watchdog.Stop()
	arm := func() { watchdog.Reset(c.s.Timeout()) }
	disarm := func() { watchdog.Stop() }

	arm()
	stream, err := inst.RPC().UpdateDigests(ctx)
	disarm()
	if err != nil {
		return 0, c.s.CallFailed(ctx, inst, op, err)
	}
	buf := make([]byte, wire.ChunkSize)
	var sent int64
	first := true
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 || first {
			msg := &pb.UpdateDigestsRequest{Data: buf[:n]}
			if first {
				msg.Digests, first = ids, false
			}
			arm()
			serr := stream.Send(msg)
			disarm()
			if errors.Is(serr, io.EOF) {
				break // the server answered early; CloseAndRecv says why
			}
			if serr != nil {
				return sent, c.s.CallFailed(ctx, inst, op, serr)
			}
			sent += int64(n)
		}
		if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
			break
		}
		if rerr != nil {
			// Our reader failed: abandon the stream; the backend is fine.
			cancel(rerr)
			return sent, c.s.OpError(op, fmt.Errorf("reading data: %w", rerr))
		}
	}
	arm()
	resp, err := stream.CloseAndRecv()
	disarm()
	if err != nil {
		return sent, c.s.CallFailed(ctx, inst, op, err)
	}
	if e := resp.GetError(); e != nil {
		return resp.GetWritten(), c.s.OpError(op, convert.ErrorFromProto(e))
	}
	if resp.GetWritten() != sent {
		return sent, c.s.OpError(op, wire.ProtocolError(fmt.Errorf("backend hashed %d bytes of %d", resp.GetWritten(), sent)))
	}
	return sent, nil
}

package calls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/convert"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/supervise"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// ErrDataChanged is wrapped by the error of a bulk update of a regular file
// whose length changed while the backend process read it: the bytes hashed
// are not the file's, whatever they are.
var ErrDataChanged = errors.New("the data changed while it was read")

// remaining returns how many bytes f has left to read when it is a regular
// file, -1 for a pipe or a socket (whose length nobody knows beforehand);
// ok is false for other files (a terminal, which a backend in another
// process group must not read, a device), which are streamed.
func remaining(f *os.File) (n int64, ok bool) {
	fi, err := f.Stat()
	if err != nil {
		return 0, false
	}
	switch m := fi.Mode(); {
	case m.IsRegular():
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return max(fi.Size()-off, 0), true
	case m&(os.ModeNamedPipe|os.ModeSocket) != 0:
		return -1, true
	}
	return 0, false
}

// digestFile is UpdateDigests for a file: it hands f's descriptor to the
// backend process (DigestFile), which reads and hashes f itself, so the
// data never crosses the connection and neither process grows with it.
// handled is false when f cannot go that way (not a regular file or a
// pipe, no descriptor channel, a backend that predates DigestFile or has
// no channel); nothing of f was read then, and the caller streams it.
//
// The backend reports the bytes it hashed; for a regular file they must be
// exactly what was left of it when the call started, else the update fails
// with [ErrDataChanged] (a file truncated, or appended to, meanwhile). A
// read error in the backend fails the update. The deadline is the call
// timeout per progress message (one per 16 MiB hashed, or heartbeats
// while the backend waits for a pipe's writer).
func (c *Client) digestFile(op string, inst *supervise.Instance, ids []uint64, f *os.File) (n int64, handled bool, err error) {
	want, ok := remaining(f)
	if !ok || inst.FDs() == nil {
		return 0, false, nil
	}
	tok, err := inst.FDs().Send([]*os.File{f})
	if err != nil {
		// The backend's end is gone: so is the backend.
		c.s.Retire(inst)
		return 0, true, c.s.OpError(op, fmt.Errorf("%w (%v); a new process is started for the next call", supervise.ErrBackendFailed, err))
	}
	ctx, cancel := context.WithCancelCause(c.s.Context())
	defer cancel(nil)
	watchdog := time.AfterFunc(c.s.Timeout(), func() { cancel(supervise.ErrCallTimeout) })
	defer watchdog.Stop()
	heartbeat := max(c.s.Timeout()/4, time.Millisecond)
	stream, err := inst.RPC().DigestFile(ctx, &pb.DigestFileRequest{Digests: ids, FilesToken: tok, HeartbeatMillis: heartbeat.Milliseconds()})
	if err != nil {
		return 0, true, c.s.CallFailed(ctx, inst, op, err)
	}
	var written int64
	for first := true; ; first = false {
		resp, err := stream.Recv()
		switch {
		case err != nil && first && status.Code(err) == codes.Unimplemented:
			return 0, false, nil // a backend older than DigestFile
		case errors.Is(err, io.EOF):
			return written, true, c.s.OpError(op, wire.ProtocolError(errors.New("DigestFile ended without its last message")))
		case err != nil:
			return written, true, c.s.CallFailed(ctx, inst, op, err)
		}
		watchdog.Reset(c.s.Timeout())
		if resp.GetWritten() < written {
			return written, true, c.s.OpError(op, wire.ProtocolError(fmt.Errorf("hashed bytes went from %d down to %d", written, resp.GetWritten())))
		}
		written = resp.GetWritten()
		if !resp.GetDone() {
			continue
		}
		if e := resp.GetError(); e != nil {
			err := convert.ErrorFromProto(e)
			if written == 0 && errors.Is(err, core.ErrNotSupported) {
				return 0, false, nil // no descriptor channel in the backend
			}
			return written, true, c.s.OpError(op, err)
		}
		if want >= 0 && written != want {
			return written, true, c.s.OpError(op, fmt.Errorf("%w: the backend hashed %d bytes, the file had %d left", ErrDataChanged, written, want))
		}
		return written, true, nil
	}
}

// Package fdpass is the descriptor channel between rpmpgp and a backend
// process. It lets the host hand package files (VerifyPackages) and the
// data of detached signatures (DigestFile) to the backend process instead
// of streaming their bytes: a SOCK_SEQPACKET socket pair whose child end
// the backend inherits, over which each message is an 8-byte token with up
// to MaxPerMessage open file descriptors attached (SCM_RIGHTS, unix(7)). A
// VerifyPackages or DigestFile call names the token; the backend reads each
// file through its descriptor, so the bytes it parses and hashes are those
// of the file the host opened, whatever happens to the path meanwhile.
package fdpass

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// EnvChannel names the environment variable that tells a backend process
// which inherited descriptor is its end of the descriptor channel.
const EnvChannel = spawn.EnvChannel

// ChildFD is the descriptor number of the child's end: the first of
// exec.Cmd.ExtraFiles.
const ChildFD = spawn.ChildFD

// MaxPerMessage is the most descriptors one message carries (the kernel
// allows 253, SCM_MAX_FD).
const MaxPerMessage = 64

// maxPendingSends bounds the messages of descriptors a backend holds that
// no call has claimed (a host that sends and then fails before its call);
// the oldest are closed first.
const maxPendingSends = 64

// ErrNoChannel means the process has no working descriptor channel.
var ErrNoChannel = errors.New("no descriptor channel to the backend process")

// Sender is the host's end of a descriptor channel.
type Sender struct {
	conn *net.UnixConn
	next atomic.Uint64
}

// NewChannel makes a descriptor channel: the host's sender and the file
// the child must inherit (the caller closes it after the start).
func NewChannel() (*Sender, *os.File, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("descriptor channel: %w", err)
	}
	host := os.NewFile(uintptr(fds[0]), "rpmpgp-fdchannel-host")
	child := os.NewFile(uintptr(fds[1]), "rpmpgp-fdchannel-backend")
	s, err := SenderFrom(host)
	if err != nil {
		child.Close()
		return nil, nil, err
	}
	return s, child, nil
}

// SenderFrom makes a sender of the host's end of a descriptor channel (a
// connected SOCK_SEQPACKET socket, as NewChannel makes); it takes host
// over (closed in every case).
func SenderFrom(host *os.File) (*Sender, error) {
	c, err := net.FileConn(host)
	host.Close()
	if err != nil {
		return nil, fmt.Errorf("descriptor channel: %w", err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("descriptor channel: unexpected connection type %T", c)
	}
	return &Sender{conn: uc}, nil
}

// SenderOf makes a sender of a connected SOCK_SEQPACKET Unix socket (a
// resident backend's descriptor socket, core/plugin/internal/resident);
// the Sender owns uc.
func SenderOf(uc *net.UnixConn) *Sender { return &Sender{conn: uc} }

// Send passes the descriptors of files (at most MaxPerMessage) in one
// message and returns the token that names them.
func (s *Sender) Send(files []*os.File) (uint64, error) {
	if s == nil {
		return 0, ErrNoChannel
	}
	if len(files) == 0 || len(files) > MaxPerMessage {
		return 0, fmt.Errorf("passing %d descriptors in one message (1 to %d)", len(files), MaxPerMessage)
	}
	tok := s.next.Add(1)
	var msg [8]byte
	binary.LittleEndian.PutUint64(msg[:], tok)
	fds := make([]int, len(files))
	for i, f := range files {
		// Fd keeps f's descriptor valid until f is closed, which the
		// caller does after the call.
		fds[i] = int(f.Fd())
	}
	_, _, err := s.conn.WriteMsgUnix(msg[:], syscall.UnixRights(fds...), nil)
	runtime.KeepAlive(files)
	if err != nil {
		return 0, fmt.Errorf("passing %d descriptors: %w", len(files), err)
	}
	return tok, nil
}

// Close closes the host's end.
func (s *Sender) Close() {
	if s != nil {
		_ = s.conn.Close()
	}
}

// Receiver is the backend's end: a goroutine files each received
// descriptor under its token until a call claims it.
type Receiver struct {
	conn *net.UnixConn

	mu    sync.Mutex
	slots map[uint64]chan []*os.File
	dead  error
	// done is closed when the host's end is gone (loop ended).
	done chan struct{}
}

// Open returns the backend's end named by $RPMPGP_BACKEND_FD_CHANNEL,
// or nil when there is none or it is not a SOCK_SEQPACKET socket (the host
// then streams nothing through it and falls back).
func Open() *Receiver {
	if os.Getenv(EnvChannel) != fmt.Sprint(ChildFD) {
		return nil
	}
	typ, err := syscall.GetsockoptInt(ChildFD, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil || typ != syscall.SOCK_SEQPACKET {
		return nil
	}
	syscall.CloseOnExec(ChildFD)
	f := os.NewFile(ChildFD, "rpmpgp-fdchannel-backend")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil
	}
	return ReceiverOf(uc)
}

// ReceiverOf makes the backend's end of a connected SOCK_SEQPACKET Unix
// socket (a resident backend's session, core/plugin/internal/resident);
// the Receiver owns uc.
func ReceiverOf(uc *net.UnixConn) *Receiver {
	r := &Receiver{conn: uc, slots: make(map[uint64]chan []*os.File), done: make(chan struct{})}
	go r.loop()
	return r
}

// Done is closed once the host's end is closed (or the channel broke).
func (r *Receiver) Done() <-chan struct{} { return r.done }

// Close closes the backend's end and the descriptors no call claimed.
func (r *Receiver) Close() {
	if r == nil {
		return
	}
	_ = r.conn.Close()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	for tok, ch := range r.slots {
		select {
		case files := <-ch:
			CloseFiles(files)
		default:
		}
		delete(r.slots, tok)
	}
}

// slotLocked returns the channel of tok, creating it. r.mu is held.
func (r *Receiver) slotLocked(tok uint64) chan []*os.File {
	ch, ok := r.slots[tok]
	if !ok {
		ch = make(chan []*os.File, 1)
		r.slots[tok] = ch
	}
	return ch
}

// loop receives descriptors until the host's end closes.
func (r *Receiver) loop() {
	defer close(r.done)
	buf := make([]byte, 16)
	oob := make([]byte, syscall.CmsgSpace(4*MaxPerMessage))
	for {
		n, oobn, flags, _, err := r.conn.ReadMsgUnix(buf, oob)
		if err != nil {
			r.mu.Lock()
			r.dead = fmt.Errorf("%w: %v", ErrNoChannel, err)
			r.mu.Unlock()
			return
		}
		files := parseRights(oob[:oobn])
		if n != 8 || len(files) == 0 || flags&syscall.MSG_CTRUNC != 0 {
			CloseFiles(files)
			continue
		}
		tok := binary.LittleEndian.Uint64(buf[:8])
		r.mu.Lock()
		r.evictLocked()
		select {
		case r.slotLocked(tok) <- files:
		default: // a token sent twice: keep the first
			CloseFiles(files)
		}
		r.mu.Unlock()
	}
}

// CloseFiles closes files.
func CloseFiles(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// parseRights returns the descriptors of SCM_RIGHTS messages in oob, as
// files (the kernel set close-on-exec: Go receives with MSG_CMSG_CLOEXEC).
func parseRights(oob []byte) []*os.File {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return nil
	}
	var out []*os.File
	for i := range msgs {
		fds, err := syscall.ParseUnixRights(&msgs[i])
		if err != nil {
			continue
		}
		for _, fd := range fds {
			out = append(out, os.NewFile(uintptr(fd), "rpmpgp-package"))
		}
	}
	return out
}

// evictLocked closes the oldest unclaimed descriptors beyond
// maxPendingSends messages. r.mu is held.
func (r *Receiver) evictLocked() {
	for len(r.slots) >= maxPendingSends {
		var oldest uint64
		first := true
		for tok := range r.slots {
			if first || tok < oldest {
				oldest, first = tok, false
			}
		}
		select {
		case files := <-r.slots[oldest]:
			CloseFiles(files)
		default:
		}
		delete(r.slots, oldest)
	}
}

// Take waits for the descriptors of tok and returns them; the caller
// closes them.
func (r *Receiver) Take(ctx context.Context, tok uint64) ([]*os.File, error) {
	if r == nil {
		return nil, ErrNoChannel
	}
	r.mu.Lock()
	if r.dead != nil {
		r.mu.Unlock()
		return nil, r.dead
	}
	ch := r.slotLocked(tok)
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.slots, tok)
		r.mu.Unlock()
	}()
	select {
	case files := <-ch:
		return files, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the package descriptors %d: %w", tok, ctx.Err())
	case <-r.done:
		// The host's end is gone (or Close was called): nothing more
		// will come, and the channel is dead as for a Take made now.
		r.mu.Lock()
		err := r.dead
		r.mu.Unlock()
		if err == nil {
			err = ErrNoChannel
		}
		return nil, fmt.Errorf("waiting for the package descriptors %d: %w", tok, err)
	}
}

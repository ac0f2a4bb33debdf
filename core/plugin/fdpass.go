package plugin

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
)

// The descriptor channel lets the host hand a package file to the backend
// process instead of streaming its bytes: a SOCK_SEQPACKET socket pair whose
// child end the backend inherits, over which each message is an 8-byte
// token with one open file descriptor attached (SCM_RIGHTS, unix(7)). A
// VerifyPackage call names the token; the backend reads the file through
// that descriptor, so the bytes it parses and hashes are those of the file
// the host opened, whatever happens to the path meanwhile.

// EnvFDChannel names the environment variable that tells a backend process
// which inherited descriptor is its end of the descriptor channel.
const EnvFDChannel = "RPMPGP_BACKEND_FD_CHANNEL"

// childFDChannel is the descriptor number of the child's end: the first of
// exec.Cmd.ExtraFiles.
const childFDChannel = 3

// maxPendingFDs bounds the descriptors a backend holds that no call has
// claimed (a host that sends and then fails before its call); the oldest
// are closed first.
const maxPendingFDs = 256

// errNoFDChannel means the process has no working descriptor channel.
var errNoFDChannel = errors.New("no descriptor channel to the backend process")

// fdSender is the host's end of a descriptor channel.
type fdSender struct {
	conn *net.UnixConn
	next atomic.Uint64
}

// newFDChannel makes a descriptor channel: the host's sender and the file
// the child must inherit (the caller closes it after the start).
func newFDChannel() (*fdSender, *os.File, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("descriptor channel: %w", err)
	}
	host := os.NewFile(uintptr(fds[0]), "rpmpgp-fdchannel-host")
	child := os.NewFile(uintptr(fds[1]), "rpmpgp-fdchannel-backend")
	c, err := net.FileConn(host)
	host.Close()
	if err != nil {
		child.Close()
		return nil, nil, fmt.Errorf("descriptor channel: %w", err)
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		child.Close()
		return nil, nil, fmt.Errorf("descriptor channel: unexpected connection type %T", c)
	}
	return &fdSender{conn: uc}, child, nil
}

// send passes f's descriptor and returns the token that names it.
func (s *fdSender) send(f *os.File) (uint64, error) {
	if s == nil {
		return 0, errNoFDChannel
	}
	tok := s.next.Add(1)
	var msg [8]byte
	binary.LittleEndian.PutUint64(msg[:], tok)
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("passing %s: %w", f.Name(), err)
	}
	var werr error
	if err := rc.Control(func(fd uintptr) {
		_, _, werr = s.conn.WriteMsgUnix(msg[:], syscall.UnixRights(int(fd)), nil)
	}); err != nil {
		return 0, fmt.Errorf("passing %s: %w", f.Name(), err)
	}
	if werr != nil {
		return 0, fmt.Errorf("passing %s: %w", f.Name(), werr)
	}
	return tok, nil
}

// close closes the host's end.
func (s *fdSender) close() {
	if s != nil {
		_ = s.conn.Close()
	}
}

// fdReceiver is the backend's end: a goroutine files each received
// descriptor under its token until a call claims it.
type fdReceiver struct {
	conn *net.UnixConn

	mu    sync.Mutex
	slots map[uint64]chan *os.File
	dead  error
}

// openFDChannel returns the backend's end named by $RPMPGP_BACKEND_FD_CHANNEL,
// or nil when there is none or it is not a SOCK_SEQPACKET socket (the host
// then streams nothing through it and falls back).
func openFDChannel() *fdReceiver {
	if os.Getenv(EnvFDChannel) != fmt.Sprint(childFDChannel) {
		return nil
	}
	typ, err := syscall.GetsockoptInt(childFDChannel, syscall.SOL_SOCKET, syscall.SO_TYPE)
	if err != nil || typ != syscall.SOCK_SEQPACKET {
		return nil
	}
	syscall.CloseOnExec(childFDChannel)
	f := os.NewFile(childFDChannel, "rpmpgp-fdchannel-backend")
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
	r := &fdReceiver{conn: uc, slots: make(map[uint64]chan *os.File)}
	go r.loop()
	return r
}

// slot returns the channel of tok, creating it. r.mu is held.
func (r *fdReceiver) slotLocked(tok uint64) chan *os.File {
	ch, ok := r.slots[tok]
	if !ok {
		ch = make(chan *os.File, 1)
		r.slots[tok] = ch
	}
	return ch
}

// loop receives descriptors until the host's end closes.
func (r *fdReceiver) loop() {
	buf := make([]byte, 16)
	oob := make([]byte, syscall.CmsgSpace(4*4))
	for {
		n, oobn, _, _, err := r.conn.ReadMsgUnix(buf, oob)
		if err != nil {
			r.mu.Lock()
			r.dead = fmt.Errorf("%w: %v", errNoFDChannel, err)
			r.mu.Unlock()
			return
		}
		files := parseRights(oob[:oobn])
		if n != 8 || len(files) != 1 {
			for _, f := range files {
				f.Close()
			}
			continue
		}
		tok := binary.LittleEndian.Uint64(buf[:8])
		r.mu.Lock()
		r.evictLocked()
		select {
		case r.slotLocked(tok) <- files[0]:
		default: // a token sent twice: keep the first
			files[0].Close()
		}
		r.mu.Unlock()
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
// maxPendingFDs. r.mu is held.
func (r *fdReceiver) evictLocked() {
	for len(r.slots) >= maxPendingFDs {
		var oldest uint64
		first := true
		for tok := range r.slots {
			if first || tok < oldest {
				oldest, first = tok, false
			}
		}
		select {
		case f := <-r.slots[oldest]:
			f.Close()
		default:
		}
		delete(r.slots, oldest)
	}
}

// take waits for the descriptor of tok and returns it; the caller closes it.
func (r *fdReceiver) take(ctx context.Context, tok uint64) (*os.File, error) {
	if r == nil {
		return nil, errNoFDChannel
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
	case f := <-ch:
		return f, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the package descriptor %d: %w", tok, ctx.Err())
	}
}

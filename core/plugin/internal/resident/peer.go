package resident

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// peerCred returns the credentials of the process at the other end of the
// Unix socket c, as the kernel recorded them at connect(2) or listen(2)
// (SO_PEERCRED, unix(7)).
func peerCred(c syscall.Conn) (*syscall.Ucred, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	var cred *syscall.Ucred
	var cerr error
	if err := rc.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return nil, err
	}
	return cred, cerr
}

// errPeer is wrapped by the errors of [Dial] and [OpenSession] when the
// socket is served by another user or process than the record's (not when
// the check could not be made).
var errPeer = errors.New("not the recorded process of this user")

// peerMismatch is an error that wraps errPeer with a message of its own.
type peerMismatch string

func (e peerMismatch) Error() string        { return string(e) }
func (e peerMismatch) Is(target error) bool { return target == errPeer }

// checkPeer checks that the process at the other end of c runs as this
// user and, when pid is not 0, is process pid.
func checkPeer(c syscall.Conn, pid int) error {
	cred, err := peerCred(c)
	if err != nil {
		return fmt.Errorf("SO_PEERCRED: %w", err)
	}
	if int(cred.Uid) != os.Geteuid() {
		return peerMismatch(fmt.Sprintf("the peer runs as uid %d, not as this user (uid %d)", cred.Uid, os.Geteuid()))
	}
	if pid != 0 && int(cred.Pid) != pid {
		return peerMismatch(fmt.Sprintf("the peer is process %d, not the recorded %d", cred.Pid, pid))
	}
	return nil
}

// Dial connects to the Unix socket addr of network ("unix" or
// "unixpacket") and checks with SO_PEERCRED that process pid of this user
// listens on it.
func Dial(ctx context.Context, network, addr string, pid int) (*net.UnixConn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return nil, peerMismatch(addr + ": not a Unix socket")
	}
	if err := checkPeer(uc, pid); err != nil {
		uc.Close()
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	return uc, nil
}

// sessionAck starts the message an instance sends on a new descriptor
// connection once the session is the current one: "rpmpgp-session TOKEN
// PROTOCOL", the session's token and the backend protocol version the
// instance speaks (wire.ProtocolVersion; a reattachment negotiates none,
// so the host compares it). Calls made after it reach the session when
// they carry the token ([DialOptions]).
const sessionAck = "rpmpgp-session "

// tokenLen is the length of a session token: 128 random bits in hex.
const tokenLen = 32

// OpenSession connects to an instance's descriptor socket at path, checks
// that process pid of this user serves it and waits (within ctx) until
// the instance has made it the current session. It returns the connection
// and the session's token, which every call of the session must carry
// ([DialOptions]).
func OpenSession(ctx context.Context, path string, pid int) (*net.UnixConn, string, error) {
	uc, err := Dial(ctx, "unixpacket", path, pid)
	if err != nil {
		return nil, "", err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = uc.SetReadDeadline(dl)
	}
	buf := make([]byte, 64)
	n, err := uc.Read(buf)
	_ = uc.SetReadDeadline(time.Time{})
	rest, ok := strings.CutPrefix(string(buf[:n]), sessionAck)
	token, proto, _ := strings.Cut(rest, " ")
	switch {
	case err != nil:
	case !ok || !validToken(token):
		err = fmt.Errorf("unexpected message %q", buf[:n])
	case proto != strconv.Itoa(wire.ProtocolVersion):
		err = fmt.Errorf("the instance speaks backend protocol %q, not %d", proto, wire.ProtocolVersion)
	}
	if err != nil {
		uc.Close()
		return nil, "", fmt.Errorf("%s: waiting for the session: %w", path, err)
	}
	return uc, token, nil
}

// validToken reports whether t has the form of a session token.
func validToken(t string) bool {
	if len(t) != tokenLen {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}

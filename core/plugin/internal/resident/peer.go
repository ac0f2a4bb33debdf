package resident

import (
	"context"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
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

// checkPeer checks that the process at the other end of c runs as this
// user and, when pid is not 0, is process pid.
func checkPeer(c syscall.Conn, pid int) error {
	cred, err := peerCred(c)
	if err != nil {
		return fmt.Errorf("SO_PEERCRED: %w", err)
	}
	if int(cred.Uid) != os.Geteuid() {
		return fmt.Errorf("the peer runs as uid %d, not as this user (uid %d)", cred.Uid, os.Geteuid())
	}
	if pid != 0 && int(cred.Pid) != pid {
		return fmt.Errorf("the peer is process %d, not the recorded %d", cred.Pid, pid)
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
		return nil, fmt.Errorf("%s: not a Unix socket", addr)
	}
	if err := checkPeer(uc, pid); err != nil {
		uc.Close()
		return nil, fmt.Errorf("%s: %w", addr, err)
	}
	return uc, nil
}

// sessionAck is the message an instance sends on a new descriptor
// connection once the session is the current one: calls made after it
// reach the session.
const sessionAck = "rpmpgp-session"

// OpenSession connects to an instance's descriptor socket at path, checks
// that process pid of this user serves it and waits (within ctx) until
// the instance has made it the current session.
func OpenSession(ctx context.Context, path string, pid int) (*net.UnixConn, error) {
	uc, err := Dial(ctx, "unixpacket", path, pid)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = uc.SetReadDeadline(dl)
	}
	buf := make([]byte, 64)
	n, err := uc.Read(buf)
	_ = uc.SetReadDeadline(time.Time{})
	if err == nil && string(buf[:n]) != sessionAck {
		err = fmt.Errorf("unexpected message %q", buf[:n])
	}
	if err != nil {
		uc.Close()
		return nil, fmt.Errorf("%s: waiting for the session: %w", path, err)
	}
	return uc, nil
}

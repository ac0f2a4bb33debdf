package resident

import (
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// A process is pinned by a pidfd (pidfd_open(2)) from its first check to
// its signal: a pid that is reused meanwhile belongs to another process,
// which the pidfd does not refer to (it shows as exited, and
// pidfd_send_signal(2) never reaches the new one).

// openPidfd returns a pidfd of process pid; gone is true when no such
// process exists (ESRCH).
func openPidfd(pid int) (fd int, gone bool, err error) {
	if pid <= 0 {
		return -1, false, errors.New("not a process ID")
	}
	fd, err = unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if errors.Is(err, unix.ESRCH) {
		return -1, true, err
	}
	return fd, false, err
}

// waitPidfd waits up to d (0: not at all) for the process of the pidfd
// fd to exit and reports whether it has: the descriptor is readable once
// it has (a zombie that nobody reaped included).
func waitPidfd(fd int, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		ms := int(time.Until(deadline).Milliseconds())
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, max(ms, 0))
		if err == nil {
			return n > 0
		}
		if !errors.Is(err, unix.EINTR) {
			return false
		}
	}
}

package resident

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrBusy is returned by [TryLock] when another process holds the lock:
// a host is in a session with the instance, or it is going away.
var ErrBusy = errors.New("the resident instance is busy")

// TryLock takes the exclusive lock of an instance (flock(2) on the file at
// path, created 0600 if missing) without waiting; the lock is released
// when the returned file is closed or the process ends. A lock file that
// is not a regular file of this user is refused.
func TryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !fi.Mode().IsRegular() || !ok || int(st.Uid) != os.Geteuid() {
			err = fmt.Errorf("lock %s is not a regular file of this user", path)
		}
	}
	if err == nil {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			err = ErrBusy
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

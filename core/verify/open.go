package verify

import (
	"errors"
	"os"
	"syscall"
)

// openPackage opens the package at path for reading, as [os.Open] does
// (O_RDONLY|O_CLOEXEC, retried on EINTR, a *os.PathError on failure), with
// fewer system calls. os.Open offers every descriptor it opens to the
// runtime's poller: on Linux that is two fcntl calls to make it
// non-blocking, an epoll_ctl that a regular file is refused, and two more
// fcntl calls to make it blocking again. A package is read with plain
// blocking reads (or only passed to a backend process), so that is five
// wasted calls of the seven a package costs to open, stat and close;
// [os.NewFile] takes the descriptor as it is (one fcntl to see its mode),
// blocking. Measured over 1,000 small packages in one command: about 5,000
// system calls fewer in the host (issue 16).
func openPackage(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == nil {
			return os.NewFile(uintptr(fd), path), nil
		}
		if !errors.Is(err, syscall.EINTR) {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
	}
}

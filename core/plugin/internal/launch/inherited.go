package launch

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"golang.org/x/sys/unix"
)

// startWithoutInherited starts cmd with none of the descriptors this
// process inherited: exec.Cmd passes on every descriptor that lacks
// close-on-exec, and Go sets the flag only on those it opens, so a
// descriptor the caller of rpmpgp left open (a flock(1) lock, the write
// end of a pipe the caller waits on, make's jobserver) would reach the
// child. For a process that outlives this one (a resident instance) that
// holds the lock, or the caller's pipe open, for as long as it lives.
//
// Every descriptor from 3 up without the flag gets it for the moment of
// the start and loses it again after: this process keeps using them as
// before (rpmpgp in another program, through the preload library, must
// not change that program's descriptors). cmd's own ExtraFiles still
// reach the child, which copies them into place (dup2 clears the flag on
// the copy). When /proc/self/fd cannot be read nothing is started.
func startWithoutInherited(cmd *exec.Cmd) error {
	marked, err := markCloseOnExec()
	defer clearCloseOnExec(marked)
	if err != nil {
		return fmt.Errorf("closing inherited descriptors on exec: %w", err)
	}
	return cmd.Start()
}

// markCloseOnExec sets close-on-exec on every descriptor from 3 up that
// lacks it and returns them.
func markCloseOnExec() ([]int, error) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil, err
	}
	var marked []int
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		// The directory's own descriptor, closed by now, fails here.
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err != nil || flags&unix.FD_CLOEXEC != 0 {
			continue
		}
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags|unix.FD_CLOEXEC); err != nil {
			return marked, fmt.Errorf("descriptor %d: %w", fd, err)
		}
		marked = append(marked, fd)
	}
	return marked, nil
}

// clearCloseOnExec clears close-on-exec on the descriptors fds again.
func clearCloseOnExec(fds []int) {
	for _, fd := range fds {
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil {
			_, _ = unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags&^unix.FD_CLOEXEC)
		}
	}
}

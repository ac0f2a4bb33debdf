package plugin

import (
	"os"
	"strconv"
	"syscall"
)

// closeInherited closes every descriptor from 3 up that lacks close-on-exec,
// first thing in a resident instance: those are the ones inherited from
// the host that started it, which had them from its own caller (exec.Cmd
// passes every descriptor without the flag; a flock(1) lock, the write
// end of a pipe the caller waits on, make's jobserver). A normal backend
// dies with its host; an instance outlives it and would hold them until
// its idle exit. Every descriptor Go opens has the flag, and the only one
// an instance is given, its binary (wire.EnvExecFD), is closed by then
// (closeExecFD). The host does not clear them itself before the start:
// that would change the descriptors of the whole host process, which may
// be another program using the preload library, while it runs.
func closeInherited() {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		// The directory's own descriptor, closed by now, fails here.
		flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
		if errno == 0 && flags&syscall.FD_CLOEXEC == 0 {
			syscall.Close(fd)
		}
	}
}

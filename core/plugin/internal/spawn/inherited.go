package spawn

import (
	"os"
	"strconv"
	"syscall"
)

// A process started with exec.Cmd inherits every descriptor of its parent
// that lacks close-on-exec, and Go sets the flag only on those it opens
// itself: a host passes on what its own caller left open (a flock(1)
// lock, the write end of a pipe the caller waits on, make's jobserver). A
// normal backend dies with its host; a resident instance outlives it and
// would hold them until its idle exit. The host names them (InheritedFDs,
// in $RPMPGP_BACKEND_INHERITED_FDS) and the instance closes those, and only
// those, before anything else (CloseInheritedFDs): not every descriptor
// without the flag, since a library preloaded into the instance may have
// opened some of its own before Go's runtime started. The host does not
// clear its descriptors itself: it may be another program using the
// preload library.

// maxInheritedFDs bounds the descriptors named in EnvInheritedFDs.
const maxInheritedFDs = 1024

// InheritedFDs names the descriptors of this process, from 3 up, that
// lack close-on-exec, as "N:DEV:INO" separated by commas ("" for none; at
// most maxInheritedFDs).
func InheritedFDs() string {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return ""
	}
	out, n := "", 0
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 || n == maxInheritedFDs {
			continue
		}
		// The directory's own descriptor, closed by now, fails here.
		flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
		var st syscall.Stat_t
		if errno != 0 || flags&syscall.FD_CLOEXEC != 0 || syscall.Fstat(fd, &st) != nil {
			continue
		}
		if out != "" {
			out += ","
		}
		out += strconv.Itoa(fd) + ":" + strconv.FormatUint(st.Dev, 10) + ":" + strconv.FormatUint(st.Ino, 10)
		n++
	}
	return out
}

// CloseInheritedFDs closes the descriptors that list (InheritedFDs of the
// host) names and that still refer to the same file (device and inode),
// and returns how many it closed. Malformed entries, descriptors below 3
// and entries past maxInheritedFDs are ignored.
func CloseInheritedFDs(list string) int {
	closed := 0
	for n := 0; list != "" && n < maxInheritedFDs; n++ {
		var entry string
		entry, list, _ = Cut(list, ',')
		fdText, rest, _ := Cut(entry, ':')
		devText, inoText, _ := Cut(rest, ':')
		fd, err1 := strconv.Atoi(fdText)
		dev, err2 := strconv.ParseUint(devText, 10, 64)
		ino, err3 := strconv.ParseUint(inoText, 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || fd < 3 {
			continue
		}
		var st syscall.Stat_t
		if syscall.Fstat(fd, &st) == nil && st.Dev == dev && st.Ino == ino {
			if syscall.Close(fd) == nil {
				closed++
			}
		}
	}
	return closed
}

package launch

import (
	"fmt"
	"strconv"
	"syscall"
)

// viewFiles name a process's view of the files (proc(5)): /proc/PID/ns/mnt
// its mount namespace, /proc/PID/root its root directory.
var viewFiles = [...]struct{ path, what string }{
	{"ns/mnt", "mount namespace"},
	{"root", "root directory"},
}

// fsView is a process's view of the files: the device and inode of each
// of viewFiles.
type fsView [len(viewFiles)]struct{ dev, ino uint64 }

// viewOf is the view of the process /proc/proc ("self" or a PID).
func viewOf(proc string) (fsView, error) {
	var v fsView
	for i, f := range viewFiles {
		var st syscall.Stat_t
		if err := syscall.Stat("/proc/"+proc+"/"+f.path, &st); err != nil {
			return v, fmt.Errorf("the %s of process %s: %w", f.path, proc, err)
		}
		v[i].dev, v[i].ino = st.Dev, st.Ino
	}
	return v, nil
}

// name encodes v for the name of a resident instance: hosts that see
// other files (a toolbox container and its host) get instances of their
// own, instead of replacing each other's record at every command
// (sameFilesystemView refuses the other's).
func (v fsView) name() []byte {
	var out []byte
	for i, f := range viewFiles {
		out = fmt.Appendf(out, " %s=%d:%d", f.path, v[i].dev, v[i].ino)
	}
	return out
}

// sameFilesystemView refuses an instance (process pid) that sees other
// files than this host, whose view is self: another mount namespace or
// another root directory (a toolbox or distrobox container of the same
// user, which shares $XDG_RUNTIME_DIR and the pid namespace). Its
// libraries, OpenSSL configuration, crypto policies and
// /proc/sys/crypto/fips_enabled may then differ from those a normal start
// of this host would use, although it runs the same binary (device and
// inode).
func sameFilesystemView(pid int, self fsView) error {
	inst, err := viewOf(strconv.Itoa(pid))
	if err != nil {
		return fmt.Errorf("process %d of the record: %w", pid, err)
	}
	for i, f := range viewFiles {
		if inst[i] != self[i] {
			return fmt.Errorf("process %d of the record runs in another %s than this host", pid, f.what)
		}
	}
	return nil
}

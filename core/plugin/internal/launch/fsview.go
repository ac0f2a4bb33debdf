package launch

import (
	"fmt"
	"syscall"
)

// viewFiles are what names a process's view of the files (proc(5)).
var viewFiles = []string{"ns/mnt", "root"}

// filesystemView encodes this process's view of the files (the device and
// inode of its mount namespace and root directory) for the name of a
// resident instance: hosts that see other files (a toolbox container and
// its host) get instances of their own, instead of replacing each other's
// record at every command (sameFilesystemView refuses the other's).
func filesystemView() ([]byte, error) { return viewOf("self") }

// viewOf is filesystemView of the process /proc/proc.
func viewOf(proc string) ([]byte, error) {
	var out []byte
	for _, p := range viewFiles {
		var st syscall.Stat_t
		if err := syscall.Stat("/proc/"+proc+"/"+p, &st); err != nil {
			return nil, fmt.Errorf("the %s of process %s: %w", p, proc, err)
		}
		out = fmt.Appendf(out, " %s=%d:%d", p, st.Dev, st.Ino)
	}
	return out, nil
}

// sameFilesystemView refuses an instance (process pid) that sees other
// files than this host: another mount namespace or another root directory
// (a toolbox or distrobox container of the same user, which shares
// $XDG_RUNTIME_DIR and the pid namespace). Its libraries, OpenSSL
// configuration, crypto policies and /proc/sys/crypto/fips_enabled may
// then differ from those a normal start of this host would use, although
// it runs the same binary (device and inode). proc(5): /proc/PID/ns/mnt
// names the mount namespace, /proc/PID/root the root directory; both are
// compared by device and inode with this process's.
func sameFilesystemView(pid int) error {
	for _, p := range viewFiles {
		var self, inst syscall.Stat_t
		if err := syscall.Stat("/proc/self/"+p, &self); err != nil {
			return fmt.Errorf("this process's %s: %w", p, err)
		}
		if err := syscall.Stat(fmt.Sprintf("/proc/%d/%s", pid, p), &inst); err != nil {
			return fmt.Errorf("process %d of the record: %w", pid, err)
		}
		if self.Dev != inst.Dev || self.Ino != inst.Ino {
			what := map[string]string{"ns/mnt": "mount namespace", "root": "root directory"}[p]
			return fmt.Errorf("process %d of the record runs in another %s than this host", pid, what)
		}
	}
	return nil
}

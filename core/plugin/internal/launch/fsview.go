package launch

import (
	"fmt"
	"syscall"
)

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
	for _, p := range []string{"ns/mnt", "root"} {
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

package spawn

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"sync/atomic"
	"syscall"
)

// The backend creates its go-plugin socket in a directory the host gives
// it ($PLUGIN_UNIX_SOCKET_DIR): a private directory per start,
// $TMPDIR/rpmpgp-<uid>/<host pid>.<n>. The host removes it once the
// connection is up; a host killed before that leaves it behind, and the
// next start removes the directories of hosts that no longer run, then the
// parent when it is empty. So nothing stays in $TMPDIR for long, whenever
// the host is killed (but for the fallback below, used only when another
// user made the parent).

// socketSeq numbers the socket directories of this process.
var socketSeq atomic.Uint64

// socketParent is the per-user parent directory.
func socketParent() string {
	return path.Join(os.TempDir(), fmt.Sprintf("rpmpgp-%d", os.Geteuid()))
}

// NewSocketDir cleans up after dead hosts and creates a private socket
// directory. When the parent is not this user's alone (in a shared
// $TMPDIR any user can make rpmpgp-<uid> first), it is a directory of a
// random name in $TMPDIR instead (os.MkdirTemp, 0700), which nobody can
// make first; "" when neither can be had, and go-plugin's default is
// used.
func NewSocketDir() string {
	if dir := newSocketDirIn(socketParent()); dir != "" {
		return dir
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("rpmpgp-%d-", os.Geteuid()))
	if err != nil {
		return ""
	}
	return dir
}

// newSocketDirIn is NewSocketDir in the per-user parent.
func newSocketDirIn(parent string) string {
	for range 3 {
		if err := os.Mkdir(parent, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return ""
		}
		fi, err := os.Lstat(parent)
		if err != nil || !fi.IsDir() || owner(fi) != os.Geteuid() || fi.Mode().Perm() != 0o700 {
			return ""
		}
		removeStale(parent)
		dir := path.Join(parent, fmt.Sprintf("%d.%d", os.Getpid(), socketSeq.Add(1)))
		err = os.Mkdir(dir, 0o700)
		if err == nil {
			return dir
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		// Another host removed the empty parent meanwhile: again.
	}
	return ""
}

// removeStale removes the socket directories of hosts that no longer run.
func removeStale(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		pidText, _, _ := Cut(e.Name(), '.')
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = os.RemoveAll(path.Join(parent, e.Name()))
		}
	}
}

// RemoveSocketDir removes dir (its socket is gone once connected) and the
// per-user parent when it is empty (never the parent of a directory
// NewSocketDir made elsewhere: that is $TMPDIR).
func RemoveSocketDir(dir string) {
	if dir == "" {
		return
	}
	_ = os.RemoveAll(dir)
	if parent := path.Dir(dir); parent == socketParent() {
		_ = os.Remove(parent) // fails while another host uses it
	}
}

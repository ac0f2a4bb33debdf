package plugin

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
)

// maxExecFD bounds the descriptor number closeExecFD accepts: the host
// passes its binary right after the few descriptors it gives every backend.
const maxExecFD = 64

// closeExecFD closes the descriptor of this backend's own binary that the
// host executed it through (/proc/self/fd/N, named by $RPMPGP_BACKEND_EXEC_FD;
// see launch.execThrough), so that the backend holds no descriptor it does
// not use. It closes N only if N is this process's executable (the same
// device and inode as /proc/self/exe): an inherited stray value closes
// nothing else.
func closeExecFD() {
	v, ok := os.LookupEnv(wire.EnvExecFD)
	if !ok {
		return
	}
	os.Unsetenv(wire.EnvExecFD)
	n, err := strconv.Atoi(v)
	if err != nil || n < 3 || n > maxExecFD {
		return
	}
	var fd, exe syscall.Stat_t
	if syscall.Fstat(n, &fd) != nil || syscall.Stat("/proc/self/exe", &exe) != nil {
		return
	}
	if fd.Dev == exe.Dev && fd.Ino == exe.Ino {
		syscall.Close(n)
	}
}

// nameProcess gives the process and its threads the name of its binary
// (the comm of ps, top and pgrep, which the kernel cuts to 15 bytes):
// executed through /proc/self/fd/N, they would be named "N". The process
// (its leader, what ps and pgrep show) is named at once; its threads
// beside the start-up, since the dozen system calls that takes (~0.2 ms)
// would otherwise delay the handshake the host waits for. Threads the
// runtime starts later take the name of the thread that starts them (one
// started during the renaming may keep the old name: best effort).
func nameProcess() {
	if os.Getenv(wire.EnvExecFD) == "" || len(os.Args) == 0 {
		return
	}
	name := []byte(filepath.Base(os.Args[0]))
	_ = os.WriteFile("/proc/self/comm", name, 0)
	go func() {
		tasks, _ := os.ReadDir("/proc/self/task")
		for _, t := range tasks {
			_ = os.WriteFile(filepath.Join("/proc/self/task", t.Name(), "comm"), name, 0)
		}
	}()
}

package launch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestStartWithoutInherited: a descriptor this process holds without
// close-on-exec (as one inherited from rpmpgp's caller) does not reach a
// child started by startWithoutInherited, keeps its flags in this
// process, and the child's ExtraFiles still reach it; exec.Cmd alone
// passes the descriptor (what the test guards against).
func TestStartWithoutInherited(t *testing.T) {
	held := filepath.Join(t.TempDir(), "held")
	fd, err := syscall.Open(held, syscall.O_CREAT|syscall.O_RDWR, 0o600) // no O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	extra, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	start := func(withoutInherited bool) []string {
		t.Helper()
		cmd := exec.Command("sleep", "30")
		cmd.ExtraFiles = []*os.File{extra}
		if withoutInherited {
			err = startWithoutInherited(cmd)
		} else {
			err = cmd.Start()
		}
		if err != nil {
			t.Skip("no sleep:", err)
		}
		defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
		return childFiles(t, cmd.Process.Pid)
	}
	if got := start(false); !slices.Contains(got, held) {
		t.Fatalf("exec.Cmd alone: the child holds %q; the test needs it to inherit %s", got, held)
	}
	got := start(true)
	if slices.Contains(got, held) {
		t.Errorf("startWithoutInherited: the child holds %s (%q)", held, got)
	}
	if len(got) < 4 || got[3] != "/dev/null" {
		t.Errorf("startWithoutInherited: the child's descriptors %q; want its ExtraFiles at 3", got)
	}
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	if err != nil || flags&unix.FD_CLOEXEC != 0 {
		t.Errorf("the held descriptor's flags after the start: %#x, %v; want close-on-exec clear again", flags, err)
	}
}

// childFiles lists what the descriptors of process pid name, by number
// ("" for a gap), once its exec has happened.
func childFiles(t *testing.T, pid int) []string {
	t.Helper()
	for range 500 {
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); filepath.Base(exe) == "sleep" {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		var n int
		fmt.Sscan(e.Name(), &n)
		for len(out) <= n {
			out = append(out, "")
		}
		out[n], _ = os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, n))
	}
	return out
}

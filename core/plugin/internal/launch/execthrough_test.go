package launch

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestExecThroughAnyDescriptor: a binary executed through execThrough runs
// whatever descriptor numbers the host's files have. Executing
// /proc/self/fd/N for the host's own N failed ("permission denied") when
// the child's stdout and stderr were N-2 and N-1: Go's fork moves its
// error pipe onto N, the number above the child's highest descriptor,
// before the exec (syscall/exec_linux.go, forkAndExecInChild1, pass 1).
func TestExecThroughAnyDescriptor(t *testing.T) {
	const binary = "/usr/bin/true"
	for _, n := range []int{16, 17, 32, 48} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			out := fileAt(t, os.DevNull, os.O_WRONLY, n-2)
			errOut := fileAt(t, os.DevNull, os.O_WRONLY, n-1)
			bin := fileAt(t, binary, os.O_RDONLY, n)
			for _, extra := range [][]*os.File{nil, {out}} {
				cmd := &exec.Cmd{Args: []string{binary}, Stdout: out, Stderr: errOut, ExtraFiles: extra}
				cmd.Path = execThrough(cmd, bin)
				if want := fmt.Sprintf("/proc/self/fd/%d", 3+len(extra)); cmd.Path != want {
					t.Errorf("path %s, want %s", cmd.Path, want)
				}
				if err := cmd.Run(); err != nil {
					t.Errorf("%d extra files: %v", len(extra), err)
				}
			}
		})
	}
}

// fileAt opens name as descriptor n (close-on-exec), which must be free.
func fileAt(t *testing.T, name string, flag, n int) *os.File {
	t.Helper()
	f, err := os.OpenFile(name, flag, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(n), syscall.F_GETFD, 0); errno == 0 {
		t.Fatalf("descriptor %d is in use", n)
	}
	if err := syscall.Dup3(int(f.Fd()), n, syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	g := os.NewFile(uintptr(n), name)
	t.Cleanup(func() { g.Close() })
	return g
}

package launch

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"testing"
)

// TestSameFilesystemView: this process and a child of it see the same
// files; a process in another mount namespace (unshare -m, which needs
// root) is refused, saying so.
func TestSameFilesystemView(t *testing.T) {
	if err := sameFilesystemView(os.Getpid()); err != nil {
		t.Fatalf("this process: %v", err)
	}
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	if err := sameFilesystemView(child.Process.Pid); err != nil {
		t.Errorf("a child in the same view: %v", err)
	}
	self, err := filesystemView()
	if theirs, cerr := viewOf(strconv.Itoa(child.Process.Pid)); err != nil || cerr != nil || len(self) == 0 || string(theirs) != string(self) {
		t.Errorf("views %q, %v and %q, %v: want the same, not empty", self, err, theirs, cerr)
	}
	if os.Geteuid() != 0 {
		t.Skip("another mount namespace needs root")
	}
	// The line comes once unshare has entered the new namespace.
	other := exec.Command("unshare", "-m", "sh", "-c", "echo in; exec sleep 30")
	out, err := other.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Start(); err != nil {
		t.Skip("no unshare:", err)
	}
	defer func() { _ = other.Process.Kill(); _ = other.Wait() }()
	line := make([]byte, 3)
	if _, err := io.ReadFull(out, line); err != nil || string(line) != "in\n" {
		t.Skipf("unshare -m did not run here (%q, %v)", line, err)
	}
	pid := other.Process.Pid
	want := fmt.Sprintf("process %d of the record runs in another mount namespace than this host", pid)
	if err := sameFilesystemView(pid); err == nil || err.Error() != want {
		t.Errorf("sameFilesystemView = %v, want %q", err, want)
	}
	// Its hosts name their instances apart.
	self, err = filesystemView()
	if err != nil {
		t.Fatal(err)
	}
	if theirs, err := viewOf(strconv.Itoa(pid)); err != nil || string(theirs) == string(self) {
		t.Errorf("view of process %d: %q, %v; want one that differs from this process's %q", pid, theirs, err, self)
	}
}

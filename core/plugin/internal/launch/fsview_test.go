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
// files and name them alike; a process in another mount namespace
// (unshare -m, which needs root) is refused, saying so, and its view is
// named apart.
func TestSameFilesystemView(t *testing.T) {
	self, err := viewOf("self")
	if err != nil {
		t.Fatal(err)
	}
	if err := sameFilesystemView(os.Getpid(), self); err != nil {
		t.Fatalf("this process: %v", err)
	}
	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	if err := sameFilesystemView(child.Process.Pid, self); err != nil {
		t.Errorf("a child in the same view: %v", err)
	}
	if theirs, err := viewOf(strconv.Itoa(child.Process.Pid)); err != nil || len(self.name()) == 0 || string(theirs.name()) != string(self.name()) {
		t.Errorf("views %q and %q, %v: want the same, not empty", self.name(), theirs.name(), err)
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
	if err := sameFilesystemView(pid, self); err == nil || err.Error() != want {
		t.Errorf("sameFilesystemView = %v, want %q", err, want)
	}
	// Its hosts name their instances apart.
	if theirs, err := viewOf(strconv.Itoa(pid)); err != nil || string(theirs.name()) == string(self.name()) {
		t.Errorf("view of process %d: %q, %v; want one that differs from this process's %q", pid, theirs.name(), err, self.name())
	}
}

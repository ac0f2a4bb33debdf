package resident

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestCheckMappings: this test process maps no deleted file; a process
// that maps one is refused, naming the file.
func TestCheckMappings(t *testing.T) {
	if err := CheckMappings(os.Getpid()); err != nil {
		t.Fatalf("this process: %v", err)
	}
	// A copy of /bin/sleep, started and then deleted: its binary mapping
	// ends in " (deleted)".
	dir := t.TempDir()
	bin := filepath.Join(dir, "sleep copy")
	data, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Skip("no /bin/sleep:", err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	// Wait until the exec has happened (its exe is the copy).
	for range 500 {
		if target, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", cmd.Process.Pid)); target == bin {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := CheckMappings(cmd.Process.Pid); err != nil {
		t.Fatalf("before the deletion: %v", err)
	}
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("process %d runs a file that was deleted or replaced since it started: %s", cmd.Process.Pid, bin)
	if err := CheckMappings(cmd.Process.Pid); err == nil || err.Error() != want {
		t.Fatalf("after the deletion: %v, want %q", err, want)
	}
}

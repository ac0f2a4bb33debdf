package resident

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// TestCheckMapsLimit: a maps text longer than maxMaps is refused, even
// when its lines past the limit are the only ones that name a deleted
// file; one just within the limit is read to its end.
func TestCheckMapsLimit(t *testing.T) {
	line := "7f0000000000-7f0000001000 r-xp 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libfoo.so.1\n"
	deleted := "7f0000002000-7f0000003000 r-xp 00000000 08:01 1235 /usr/lib/libcrypto.so.3 (deleted)\n"
	fill := func(n int) string { return strings.Repeat(line, n/len(line)) }
	within := fill(maxMaps - len(deleted) - len(line))
	if err := checkMaps(7, strings.NewReader(within)); err != nil {
		t.Errorf("%d bytes, no deleted file: %v", len(within), err)
	}
	want := "process 7 runs a file that was deleted or replaced since it started: /usr/lib/libcrypto.so.3"
	if err := checkMaps(7, strings.NewReader(within+deleted)); err == nil || err.Error() != want {
		t.Errorf("%d bytes ending in a deleted file: %v, want %q", len(within+deleted), err, want)
	}
	over := fill(maxMaps+len(line)) + deleted
	want = fmt.Sprintf("/proc/7/maps is longer than %d bytes: the process is not checked, not used", maxMaps)
	if err := checkMaps(7, strings.NewReader(over)); err == nil || err.Error() != want {
		t.Errorf("%d bytes: %v, want %q", len(over), err, want)
	}
	if err := checkMaps(7, strings.NewReader(fill(maxMaps+len(line)))); err == nil || err.Error() != want {
		t.Errorf("%d bytes, no deleted file: %v, want %q", maxMaps+len(line), err, want)
	}
}

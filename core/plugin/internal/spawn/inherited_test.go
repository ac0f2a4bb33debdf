package spawn

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInheritedFDs: InheritedFDs names a descriptor without close-on-exec
// (not one with it); CloseInheritedFDs closes what it names while the
// number still refers to the same file, and nothing else: not a number
// that now names another file (a library's own descriptor), not one below
// 3, not a malformed entry.
func TestInheritedFDs(t *testing.T) {
	dir := t.TempDir()
	open := func(name string, flags int) (int, string) {
		t.Helper()
		fd, err := syscall.Open(filepath.Join(dir, name), syscall.O_CREAT|syscall.O_RDWR|flags, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		var st syscall.Stat_t
		must(t, syscall.Fstat(fd, &st))
		return fd, fmt.Sprintf("%d:%d:%d", fd, st.Dev, st.Ino)
	}
	isOpen := func(fd int) bool {
		_, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
		return errno == 0
	}
	// Closed by CloseInheritedFDs (or below, when the test fails first):
	// closing its number twice could close another descriptor.
	inherited, inheritedID := open("inherited", 0)
	closedInherited := false
	defer func() {
		if !closedInherited {
			syscall.Close(inherited)
		}
	}()
	cloexec, cloexecID := open("cloexec", syscall.O_CLOEXEC)
	defer syscall.Close(cloexec)
	other, _ := open("other", 0)
	defer syscall.Close(other)

	list := InheritedFDs()
	entries := strings.Split(list, ",")
	if !contains(entries, inheritedID) || contains(entries, cloexecID) {
		t.Fatalf("InheritedFDs() = %q; want %s in it and not %s", list, inheritedID, cloexecID)
	}
	// other's number with inherited's file: no longer the same file.
	var st syscall.Stat_t
	must(t, syscall.Fstat(inherited, &st))
	stale := fmt.Sprintf("%d:%d:%d", other, st.Dev, st.Ino)
	if n := CloseInheritedFDs(strings.Join([]string{"x", "2:0:0", "5:a:b", stale, inheritedID, ",,"}, ",")); n != 1 {
		t.Errorf("CloseInheritedFDs closed %d descriptors, want 1", n)
	}
	if isOpen(inherited) {
		t.Errorf("descriptor %d named with its file is still open", inherited)
	} else {
		closedInherited = true
	}
	if !isOpen(other) || !isOpen(cloexec) || !isOpen(2) {
		t.Errorf("a descriptor not named, or named with another file, was closed")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

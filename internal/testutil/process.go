package testutil

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// ProcessAlive reports whether pid runs; a zombie counts as gone
// (proc(5): the state is the field after "pid (comm) " in /proc/PID/stat).
func ProcessAlive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// WaitGone waits up to d for pid to be gone and reports whether it is.
func WaitGone(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if !ProcessAlive(pid) {
			return true
		}
	}
	return !ProcessAlive(pid)
}

package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestTreePeakLastSeen: a process's peak is the last high-water mark seen
// (the one of its final program image), so a child sampled between fork
// and exec, while it still shows its parent's memory, is not counted at
// the parent's size; the tree's peak is the sum over the processes.
func TestTreePeakLastSeen(t *testing.T) {
	p := newTreePeak(1)
	p.see(1, 18<<20)
	p.see(2, 18<<20) // the backend before exec: the host's pages
	p.see(2, 5<<20)  // after exec
	p.see(2, 16<<20)
	p.see(1, 19<<20)
	if got, want := p.total(), int64(35<<20); got != want {
		t.Errorf("total = %d MiB, want %d MiB", got>>20, want>>20)
	}
}

// TestSampleCountsExecdChildren: sample counts the root and a child that
// runs another program; ownImage tells a process from another program and
// refuses a process that is gone.
func TestSampleCountsExecdChildren(t *testing.T) {
	cmd := exec.Command("sleep", "10")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	self, child := os.Getpid(), cmd.Process.Pid
	// Until the child has exec'd sleep, it is this program.
	deadline := time.Now().Add(5 * time.Second)
	for _, own := ownImage(self, child); !own && time.Now().Before(deadline); _, own = ownImage(self, child) {
		time.Sleep(time.Millisecond)
	}
	if _, own := ownImage(self, child); !own {
		t.Fatal("ownImage(self, sleep) = false")
	}
	if _, own := ownImage(self, self); own {
		t.Error("ownImage(self, self) = true")
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if _, own := ownImage(self, gone.Process.Pid); own {
		t.Error("ownImage of a process that is gone = true")
	}
	p := newTreePeak(self)
	p.sample()
	if p.peaks[self] <= 0 || p.peaks[child] <= 0 {
		t.Errorf("peaks %v: want this process (%d) and sleep (%d)", p.peaks, self, child)
	}
}

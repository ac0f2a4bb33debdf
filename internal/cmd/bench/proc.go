package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// run is what one command run measured.
type run struct {
	wall      time.Duration // start to exit
	firstLine time.Duration // start to the first complete line on standard output; 0 if none
	peak      int64         // peak memory of the process tree, bytes (0 unless sampled)
}

// sampleEvery is the interval of the process-tree memory sampler.
const sampleEvery = 2 * time.Millisecond

// runCmd runs argv with env added to the environment, discarding its
// output but timing its first line; with sampleMem it also follows the
// peak memory of the whole process tree (see treePeak). A non-zero exit
// is an error: a benchmark of failing verification measures nothing.
func runCmd(argv []string, env []string, sampleMem bool) (run, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return run{}, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return run{}, err
	}
	first := make(chan time.Duration, 1)
	go func() {
		r := bufio.NewReaderSize(out, 64<<10)
		var at time.Duration
		if _, err := r.ReadSlice('\n'); err == nil || errors.Is(err, bufio.ErrBufferFull) {
			at = time.Since(start)
		}
		_, _ = io.Copy(io.Discard, r)
		first <- at
	}()
	var peaks *treePeak
	stop := make(chan struct{})
	sampled := make(chan struct{})
	if sampleMem {
		peaks = newTreePeak(cmd.Process.Pid)
		go func() {
			defer close(sampled)
			t := time.NewTicker(sampleEvery)
			defer t.Stop()
			for {
				peaks.sample()
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
	} else {
		close(sampled)
	}
	fl := <-first // the pipe closes when the tree's last writer exits
	werr := cmd.Wait()
	wall := time.Since(start)
	close(stop)
	<-sampled
	res := run{wall: wall, firstLine: fl}
	if peaks != nil {
		// Not the root's rusage (ru_maxrss): it is the larger of the
		// root's and its reaped children's peaks, so adding the backend's
		// own would count the backend twice.
		res.peak = peaks.total()
	}
	if werr != nil {
		return res, fmt.Errorf("%s: %w: %s", filepath.Base(argv[0]), werr, strings.TrimSpace(stderr.String()))
	}
	return res, nil
}

// limited passes on the first n bytes written to it and drops the rest.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(l.n, len(p))
		_, _ = l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

// treePeak follows the peak resident memory of a process and of all its
// descendants by sampling /proc: each process's own high-water mark
// (VmHWM) is kept as last seen, and the tree's peak is their sum. That
// counts a backend the host started but does not wait for (which
// getrusage and /usr/bin/time miss), and it is an upper bound of the
// tree's simultaneous peak, never below it except for growth in a
// process's last sampleEvery before it exits. (cgroup v2's memory.peak of
// a child cgroup would be exact, but it also charges the page cache of the
// files read, and this machine has no cgroup v2 memory controller.)
type treePeak struct {
	root  int
	peaks map[int]int64
}

func newTreePeak(root int) *treePeak { return &treePeak{root: root, peaks: map[int]int64{}} }

// sample reads the high-water marks of the tree under root. A child that
// still runs its parent's program image (forked, not yet exec'd: Go forks
// with CLONE_VM, so it shows the very same pages) is not counted, nor is
// one whose image cannot be read or changes while it is read: a child that
// exits at once (Go's pidfd probe, a CLONE_VM child that never execs) was
// counted with its parent's memory when it vanished between the reads, and
// as it was never seen again its sample stayed: +20 MiB in about one
// round in five of the 10,000-package JSON row under load.
func (t *treePeak) sample() {
	seen := map[int]bool{}
	type proc struct{ pid, parent int }
	queue := []proc{{t.root, 0}}
	for len(queue) > 0 && len(seen) < 256 {
		p := queue[0]
		queue = queue[1:]
		if seen[p.pid] {
			continue
		}
		seen[p.pid] = true
		if p.parent == 0 {
			if hwm, ok := vmHWM(p.pid); ok {
				t.see(p.pid, hwm)
			}
		} else if own, ok := ownImage(p.parent, p.pid); ok {
			if hwm, ok := vmHWM(p.pid); ok {
				if again, ok := image(p.pid); ok && again == own {
					t.see(p.pid, hwm)
				}
			}
		}
		for _, c := range children(p.pid) {
			queue = append(queue, proc{c, p.pid})
		}
	}
}

// image names the program a process runs, with its arguments (proc(5):
// exe, cmdline); false when the process is gone.
func image(pid int) (string, bool) {
	dir := "/proc/" + strconv.Itoa(pid)
	exe, err := os.Readlink(dir + "/exe")
	if err != nil {
		return "", false
	}
	cmdline, err := os.ReadFile(dir + "/cmdline")
	if err != nil {
		return "", false
	}
	return exe + "\x00" + string(cmdline), true
}

// ownImage returns child's image when it runs a program of its own, not
// its parent's (a fork before its exec), and both can be read.
func ownImage(parent, child int) (string, bool) {
	c, ok := image(child)
	if !ok {
		return "", false
	}
	p, ok := image(parent)
	return c, ok && p != c
}

// see records b as pid's peak. The last value seen, not the largest: a
// high-water mark only grows within one program image, and exec starts a
// new one. Between fork and exec a child still shows its parent's memory
// (Go forks with CLONE_VM: the very same pages), so keeping the largest
// counted the host a second time whenever a sample fell in that window
// (+16 MiB in about one round in five of the detached rows; sample also
// skips such a child).
func (t *treePeak) see(pid int, b int64) {
	t.peaks[pid] = b
}

// total is the sum of the peaks seen.
func (t *treePeak) total() int64 {
	var s int64
	for _, b := range t.peaks {
		s += b
	}
	return s
}

// vmHWM reads a process's peak resident set size (proc(5): VmHWM, kB).
func vmHWM(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				return 0, false
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// children lists a process's children (proc(5): /proc/PID/task/TID/children,
// one file per thread, each listing the children that thread forked).
func children(pid int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, task.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

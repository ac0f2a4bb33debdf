package rpmtest

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRepeatedRuns runs rpmkeys -K under the preload (gocrypto) many times
// ($RPMPGP_PRELOAD_RUNS, default 100; make preload-bench: 1000), each run
// interleaved with one of plain rpmkeys: every run must give the same
// output and exit status (no crash), and afterwards no backend process
// started by the runs may be left and the runs' $TMPDIR must be empty. The
// median cost per run of both is logged (not asserted).
func TestRepeatedRuns(t *testing.T) {
	h := newHarness(t)
	runs := 100
	if s := os.Getenv("RPMPGP_PRELOAD_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("RPMPGP_PRELOAD_RUNS=%q: want a positive count", s)
		}
		runs = n
	}
	// A token in the environment of every run (and so of every backend
	// process they start) finds leftover processes.
	token := "rpmpgp-preload-runs-" + strconv.Itoa(os.Getpid())
	h.extraEnv = []string{"RPMPGP_PRELOAD_TEST_TOKEN=" + token}
	db := filepath.Join(t.TempDir(), "db")
	for _, key := range []string{"rsa2048", "p256"} {
		if r := h.run("gocrypto", "rpmkeys", "--dbpath", db, "--import", fixture("keys/"+key+".asc")); r.rc != 0 {
			t.Fatalf("import %s: %d %s", key, r.rc, r.stderr)
		}
	}
	pkgs := []string{fixture("rpms/rpmsign-rsa2048.rpm"), fixture("rpms/go-p256.rpm"), fixture("rpms/rpmsign-rsa2048-tamper-header.rpm")}
	argv := append([]string{"rpmkeys", "--dbpath", db, "-K"}, pkgs...)
	want := strings.Join([]string{
		pkgs[0] + ": digests signatures OK",
		pkgs[1] + ": digests signatures OK",
		pkgs[2] + ": DIGESTS SIGNATURES NOT OK",
	}, "\n") + "\n"
	var preload, plain []time.Duration
	for i := range runs {
		start := time.Now()
		r := h.runQuiet("gocrypto", argv...)
		preload = append(preload, time.Since(start))
		if r.stdout != want || r.rc != 1 || r.stderr != "" {
			t.Fatalf("run %d: exit %d, stdout %q, stderr %q; want exit 1, stdout %q", i+1, r.rc, r.stdout, r.stderr, want)
		}
		start = time.Now()
		h.runQuiet("", argv...)
		plain = append(plain, time.Since(start))
	}
	// Backend processes die with the rpmkeys that started them
	// (Pdeathsig); give the kernel a moment to deliver it.
	var left []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if left = processesWith(t, token); len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("backend processes left after %d runs: %v", runs, left)
	}
	if ents, err := os.ReadDir(h.tmp); err != nil || len(ents) > 0 {
		t.Errorf("$TMPDIR after %d runs: %v %v", runs, names(ents), err)
	}
	t.Logf("%d runs of rpmkeys -K on 3 packages, interleaved: median %v under the preload (gocrypto), %v plain",
		runs, median(preload), median(plain))
}

// runQuiet is run without the trace.
func (h *harness) runQuiet(backend string, argv ...string) result {
	h.t.Helper()
	saved := h.extraEnv
	h.extraEnv = append(slices.Clone(saved), "RPMPGP_PRELOAD_TRACE=0")
	defer func() { h.extraEnv = saved }()
	return h.run(backend, argv...)
}

// processesWith lists the processes whose environment holds token.
func processesWith(t *testing.T, token string) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err != nil || !bytes.Contains(env, []byte(token)) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		out = append(out, e.Name()+":"+strings.ReplaceAll(string(cmd), "\x00", " "))
	}
	return out
}

func names(ents []os.DirEntry) []string {
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

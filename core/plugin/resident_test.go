package plugin

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/resident"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// residentEnv gives the test a private $XDG_RUNTIME_DIR (short: socket
// paths have at most 108 bytes) and stops the instances started in it at
// the end.
func residentEnv(t *testing.T) string {
	t.Helper()
	tmp, err := os.MkdirTemp("", "rp")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Cleanup(func() {
		_, _ = StopResidentIn(dir, 5*time.Second)
		os.RemoveAll(tmp)
	})
	return dir
}

// lintOptions returns what the backend says its Options are.
func lintOptions(t *testing.T, c *Client) string {
	t.Helper()
	v, err := c.LintKey([]byte(testbackend.CommandPrefix + "options"))
	if err != nil {
		t.Fatal(err)
	}
	return v.Lint
}

// TestResidentSessions: a second Open attaches to the instance the first
// started (same PID, in a session of its own, still running after the
// first Close), and gets a fresh backend: the first session's Options are
// not the second's.
func TestResidentSessions(t *testing.T) {
	residentEnv(t)
	c1 := openTest(t, LoadConfig{Resident: true})
	pid := pidOf(t, c1)
	opts := core.Options{Policy: []byte("policy of session 1"), PolicySource: "test", Time: time.Unix(1e9, 0)}
	if err := c1.Init(opts); err != nil {
		t.Fatal(err)
	}
	if got, want := lintOptions(t, c1), testbackend.FormatOptions(opts); got != want {
		t.Fatalf("session 1 options %q, want %q", got, want)
	}
	c1.Close()
	if !testutil.ProcessAlive(pid) {
		t.Fatalf("instance %d is gone after the host closed its client", pid)
	}
	if sid, err := unix.Getsid(pid); err != nil || sid != pid {
		t.Errorf("instance %d is in session %d (%v), want its own", pid, sid, err)
	}
	// Detached: nothing it writes reaches (or blocks on, or dies of) the
	// pipes of the host that started it.
	for fd := range 3 {
		if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd)); err != nil || target != os.DevNull {
			t.Errorf("instance %d has descriptor %d on %q (%v), want %s", pid, fd, target, err, os.DevNull)
		}
	}
	c2 := openTest(t, LoadConfig{Resident: true})
	if got := pidOf(t, c2); got != pid {
		t.Fatalf("second Open runs in process %d, want the instance %d", got, pid)
	}
	if got, want := lintOptions(t, c2), testbackend.FormatOptions(core.Options{}); got != want {
		t.Fatalf("session 2 options %q, want the zero Options %q", got, want)
	}
}

// TestResidentCrash: an instance that dies during a call (exits, or is
// killed by a signal) fails the call with
// ErrBackendFailed and no verdict, and the next call runs in a new
// instance.
func TestResidentCrash(t *testing.T) {
	residentEnv(t)
	hanging := filepath.Join(t.TempDir(), "hanging")
	t.Setenv(testbackend.EnvHanging, hanging)
	c := openTest(t, LoadConfig{Resident: true})
	pid := pidOf(t, c)
	v, err := c.LintKey([]byte(testbackend.CommandPrefix + "exit"))
	want := `backend "test": LintKey: backend process failed (process exited); a new process is started for the next call`
	if !errors.Is(err, ErrBackendFailed) || err.Error() != want || v != (core.Verdict{}) {
		t.Fatalf("LintKey(exit) = %+v, %v\nwant error %q", v, err, want)
	}
	second := pidOf(t, c)
	if second == pid || c.Restarts() != 1 {
		t.Fatalf("after the crash: process %d (was %d), %d restarts; want a new process, 1 restart", second, pid, c.Restarts())
	}
	// Killed during a call (the backend hangs in it).
	type result struct {
		v   core.Verdict
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := c.LintKey([]byte(testbackend.CommandPrefix + "hang"))
		done <- result{v, err}
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(hanging); err == nil {
			break // the call is in flight
		}
		if time.Now().After(deadline) {
			t.Fatal("cmd:hang did not start within 10s")
		}
	}
	if err := syscall.Kill(second, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if !errors.Is(r.err, ErrBackendFailed) || r.err.Error() != want || r.v != (core.Verdict{}) {
		t.Fatalf("LintKey(hang) killed = %+v, %v\nwant error %q", r.v, r.err, want)
	}
	if third := pidOf(t, c); third == second || third == pid || c.Restarts() != 2 {
		t.Fatalf("after SIGKILL: process %d (%d restarts), want a new one, 2 restarts", third, c.Restarts())
	}
}

// TestResidentForeignRecord: a record that names a live process that does
// not run the checked binary (this test) is not attached to: the host
// starts a new instance, which replaces the record.
func TestResidentForeignRecord(t *testing.T) {
	dir := residentEnv(t)
	c := openTest(t, LoadConfig{Resident: true})
	first := pidOf(t, c)
	// Pinned now, while it is the instance: it loses its record below,
	// and is stopped through this at the end (never by pid number).
	firstFD, err := unix.PidfdOpen(first, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(firstFD)
	c.Close()
	recs, _ := filepath.Glob(filepath.Join(dir, "rpmpgp", "*.rec"))
	if len(recs) != 1 {
		t.Fatalf("records %v, want one", recs)
	}
	data, err := os.ReadFile(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(data), "pid "+strconv.Itoa(first)+"\n", "pid "+strconv.Itoa(os.Getpid())+"\n", 1)
	if forged == string(data) {
		t.Fatalf("record %q does not name %d", data, first)
	}
	if err := os.WriteFile(recs[0], []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	c2 := openTest(t, LoadConfig{Resident: true})
	if got := pidOf(t, c2); got == os.Getpid() || got == first {
		t.Fatalf("attached to process %d (this test %d, the first instance %d), want a new instance", got, os.Getpid(), first)
	}
	// The first instance lost its record: stop it here.
	if unix.PidfdSendSignal(firstFD, unix.SIGTERM, nil, 0) == nil {
		testutil.WaitGone(first, 5*time.Second)
	}
}

// TestResidentInstances: the records under a runtime directory, by
// instance name; none is an empty map; a record that fails the record
// checks is an error naming it.
func TestResidentInstances(t *testing.T) {
	run := t.TempDir()
	if got, err := ResidentInstances(run); err != nil || len(got) != 0 {
		t.Fatalf("no rpmpgp directory: %v, %v", got, err)
	}
	dir := filepath.Join(run, "rpmpgp")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, pid := range map[string]int{"gocrypto-0011": 1234, "openssl-2233": 5678} {
		if err := resident.WriteRecord(filepath.Join(dir, name+resident.SuffixRecord), resident.Record{PID: pid, Network: "unix", Addr: "/x/plugin1"}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ResidentInstances(run)
	if err != nil || len(got) != 2 || got["gocrypto-0011"] != 1234 || got["openssl-2233"] != 5678 {
		t.Fatalf("got %v, %v", got, err)
	}
	bad := filepath.Join(dir, "x"+resident.SuffixRecord)
	if err := os.WriteFile(bad, []byte("rpmpgp-resident 1\npid 9\nnetwork unix\naddr /a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "resident backend record: record " + bad + " has mode 0644, want 0600"
	if _, err := ResidentInstances(run); err == nil || err.Error() != want {
		t.Fatalf("open record: %v, want %q", err, want)
	}
}

// TestStopResident: ListResident and StopResident create nothing where no
// instance has run; an instance in its session is busy (not stopped,
// still running); after its host closed, it is listed running and
// StopResident stops it (it is gone, and so is its record).
func TestStopResident(t *testing.T) {
	run := residentEnv(t)
	dir := filepath.Join(run, "rpmpgp")
	if got, ins, err := ListResident(); got != dir || len(ins) != 0 || err != nil {
		t.Fatalf("ListResident before any instance: %q, %v, %v", got, ins, err)
	}
	if got, res, err := StopResident([]string{"test-0123456789abcdef"}, time.Second); got != dir || len(res) != 1 || res[0].Outcome != ResidentUnknown || err != nil {
		t.Fatalf("StopResident before any instance: %q, %+v, %v", got, res, err)
	}
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s after list and stop: %v, want it not created", dir, err)
	}
	c := openTest(t, LoadConfig{Resident: true})
	pid := pidOf(t, c)
	_, ins, err := ListResident()
	if err != nil || len(ins) != 1 || ins[0].State != ResidentRunning || ins[0].Record.PID != pid {
		t.Fatalf("ListResident = %+v, %v; want instance %d running", ins, err, pid)
	}
	name := ins[0].Name
	_, res, err := StopResident(nil, 200*time.Millisecond)
	if err != nil || len(res) != 1 || res[0].Outcome != ResidentNotStopped || res[0].PID != pid || !strings.HasPrefix(res[0].Why, "busy for 200ms: ") {
		t.Fatalf("StopResident in a session = %+v, %v; want busy", res, err)
	}
	if !testutil.ProcessAlive(pid) {
		t.Fatal("the busy instance was stopped")
	}
	c.Close()
	_, res, err = StopResident(nil, 5*time.Second)
	if want := (ResidentStopResult{Name: name, PID: pid, Outcome: ResidentStopped}); err != nil || len(res) != 1 || res[0] != want {
		t.Fatalf("StopResident = %+v, %v; want %+v", res, err, want)
	}
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Fatalf("instance %d runs after it was stopped", pid)
	}
	if _, ins, err := ListResident(); len(ins) != 0 || err != nil {
		t.Fatalf("ListResident after the stop = %+v, %v", ins, err)
	}
}

// TestResidentInheritsNoDescriptors: a descriptor the host holds without
// close-on-exec (as one inherited from rpmpgp's caller: a flock(1) lock)
// is not held by the instance, which outlives the host; the host keeps it.
func TestResidentInheritsNoDescriptors(t *testing.T) {
	residentEnv(t)
	held := filepath.Join(t.TempDir(), "held")
	fd, err := syscall.Open(held, syscall.O_CREAT|syscall.O_RDWR, 0o600) // no O_CLOEXEC
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	c := openTest(t, LoadConfig{Resident: true})
	pid := pidOf(t, c)
	c.Close()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range ents {
		target, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, e.Name()))
		files = append(files, e.Name()+" -> "+target)
		if target == held {
			t.Errorf("instance %d holds %s as descriptor %s", pid, held, e.Name())
		}
	}
	if len(files) < 3 {
		t.Fatalf("instance %d has descriptors %q; want at least its standard streams", pid, files)
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0); errno != 0 {
		t.Errorf("the host's descriptor %d: %v", fd, errno)
	}
}

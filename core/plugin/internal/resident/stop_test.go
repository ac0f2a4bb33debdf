package resident

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"golang.org/x/sys/unix"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/fdpass"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestMain runs this test binary as a resident instance (Serve, with a
// describer for every session) when EnvInstance is set: a real instance
// for the tests of Stop.
func TestMain(m *testing.M) {
	if base := os.Getenv(EnvInstance); base != "" {
		err := Serve(ServeConfig{Base: base, Idle: time.Minute, NewSession: func(*fdpass.Receiver) (pb.BackendServer, func(), error) {
			return describer{name: "instance"}, nil, nil
		}})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// stopDir makes a private runtime directory (short: socket paths have at
// most 108 bytes) and returns its rpmpgp directory, created by Dir.
func stopDir(t *testing.T) string {
	t.Helper()
	tmp, err := os.MkdirTemp("", "rs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	run := filepath.Join(tmp, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvRuntimeDir, run)
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// startInstance starts this test binary as the instance name in dir and
// waits for its ready line; the process is killed at the end of the test
// if it still runs.
func startInstance(t *testing.T, dir, name string) *exec.Cmd {
	t.Helper()
	base := filepath.Join(dir, name)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), EnvInstance+"="+base, goplugin.EnvUnixSocketDir+"="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if want := fmt.Sprintf("%s%d\n", ReadyPrefix, cmd.Process.Pid); err != nil || line != want {
		t.Fatalf("instance: ready line %q (%v), want %q", line, err, want)
	}
	return cmd
}

// startSleep starts a sleep process that is no instance; it is killed at
// the end of the test.
func startSleep(t *testing.T) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep:", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd
}

// alive reports whether cmd's process still runs (not a zombie: the test
// has not waited for it).
func alive(cmd *exec.Cmd) bool { return testutil.ProcessAlive(cmd.Process.Pid) }

const instName = "test-0123456789abcdef"

// TestStopRealInstance: a running instance is listed as running with its
// pid and socket, and Stop stops it (SIGTERM): it exits and removes its
// record, and the list is empty again; a second Stop finds no record.
func TestStopRealInstance(t *testing.T) {
	dir := stopDir(t)
	inst := startInstance(t, dir, instName)
	pid := inst.Process.Pid
	rec, err := ReadRecord(filepath.Join(dir, instName+SuffixRecord))
	if err != nil {
		t.Fatal(err)
	}
	list, err := List(dir)
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %+v, %v; want one instance", list, err)
	}
	if in := list[0]; in.Name != instName || in.Record != rec || rec.PID != pid || in.State != Running || in.Why != "" || in.Written.IsZero() {
		t.Fatalf("listed %+v; want %s, running, record %+v of pid %d", in, instName, rec, pid)
	}
	got := Stop(dir, instName, 10*time.Second)
	if want := (StopResult{Name: instName, PID: pid, Outcome: Stopped}); got != want {
		t.Fatalf("Stop = %+v, want %+v", got, want)
	}
	if err := inst.Wait(); err != nil {
		t.Fatalf("the instance exited with %v after SIGTERM, want status 0", err)
	}
	if _, err := ReadRecord(filepath.Join(dir, instName+SuffixRecord)); !errors.Is(err, ErrNoRecord) {
		t.Fatalf("record after the stop: %v, want ErrNoRecord", err)
	}
	if list, err := List(dir); err != nil || len(list) != 0 {
		t.Fatalf("List after the stop = %+v, %v; want none", list, err)
	}
	got = Stop(dir, instName, time.Second)
	if got.Outcome != Unknown || got.Why != "no record "+filepath.Join(dir, instName+SuffixRecord) {
		t.Fatalf("second Stop = %+v, want Unknown", got)
	}
}

// TestStopBusy: while a host holds the instance's lock, Stop waits, gives
// up and signals nothing.
func TestStopBusy(t *testing.T) {
	dir := stopDir(t)
	inst := startInstance(t, dir, instName)
	lock, err := TryLock(filepath.Join(dir, instName+SuffixLock))
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	got := Stop(dir, instName, 100*time.Millisecond)
	want := StopResult{Name: instName, PID: inst.Process.Pid, Outcome: NotStopped,
		Why: "busy for 100ms: a command is using it (its lock " + filepath.Join(dir, instName+SuffixLock) + " is held)"}
	if got != want {
		t.Fatalf("Stop = %+v, want %+v", got, want)
	}
	if !alive(inst) {
		t.Fatal("the busy instance was stopped")
	}
	list, err := List(dir)
	if err != nil || len(list) != 1 || list[0].State != Running {
		t.Fatalf("List = %+v, %v; want it running", list, err)
	}
}

// TestStopStaleRecords: records that name no instance are reported stale,
// nothing is signalled (the live process they name still runs) and they
// are left in place: a process that is gone; a live process (sleep) with
// no socket, or with a socket that another process (this test) serves;
// a socket outside the directory. An invalid record (mode 0644) is not
// stopped either.
func TestStopStaleRecords(t *testing.T) {
	dir := stopDir(t)
	sleep := startSleep(t)
	sp := sleep.Process.Pid
	// A process that has exited and been reaped.
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Skip("no true:", err)
	}
	gone := done.Process.Pid
	// A socket of this test process.
	served := filepath.Join(dir, "plugin-served")
	ln, err := net.Listen("unix", served)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	missing := filepath.Join(dir, "plugin-missing")
	// A symbolic link in the directory to a socket this test process
	// serves elsewhere: the peer is the recorded process, but the socket
	// it listens on is not the recorded one (getpeername).
	outside := filepath.Join(t.TempDir(), "sock")
	lnOut, err := net.Listen("unix", outside)
	if err != nil {
		t.Fatal(err)
	}
	defer lnOut.Close()
	link := filepath.Join(dir, "plugin-link")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	// A record file whose name is no instance's: no instance, not listed.
	if err := WriteRecord(filepath.Join(dir, "foo"+SuffixRecord), Record{PID: sp, Network: "unix", Addr: served}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		rec  Record
		why  string
	}{
		{"gone-0000000000000001", Record{PID: gone, Network: "unix", Addr: missing},
			fmt.Sprintf("process %d is gone", gone)},
		{"nosocket-0000000000000002", Record{PID: sp, Network: "unix", Addr: missing},
			fmt.Sprintf("process %d does not serve its socket: dial unix %s: connect: no such file or directory", sp, missing)},
		{"other-0000000000000003", Record{PID: sp, Network: "unix", Addr: served},
			fmt.Sprintf("process %d does not serve its socket: %s: the peer is process %d, not the recorded %d", sp, served, os.Getpid(), sp)},
		{"outside-0000000000000004", Record{PID: sp, Network: "unix", Addr: "/tmp/plugin1"},
			"its socket /tmp/plugin1 is not in " + dir},
		{"symlink-0000000000000006", Record{PID: os.Getpid(), Network: "unix", Addr: link},
			fmt.Sprintf("process %d serves %s, not the recorded socket %s", os.Getpid(), outside, link)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+SuffixRecord)
			if err := WriteRecord(path, tc.rec); err != nil {
				t.Fatal(err)
			}
			in, pidfd, err := Inspect(dir, tc.name)
			if err != nil || pidfd != -1 || in.State != Stale || in.Why != tc.why || in.Record != tc.rec {
				t.Fatalf("Inspect = %+v, %d, %v; want stale: %q", in, pidfd, err, tc.why)
			}
			got := Stop(dir, tc.name, time.Second)
			want := StopResult{Name: tc.name, PID: tc.rec.PID, Outcome: NotRunning, Why: "stale record: " + tc.why}
			if got != want {
				t.Fatalf("Stop = %+v, want %+v", got, want)
			}
			if !alive(sleep) {
				t.Fatal("the sleep process named by the record was signalled")
			}
			if r, err := ReadRecord(path); err != nil || r != tc.rec {
				t.Fatalf("record after Stop: %+v, %v; want it left in place", r, err)
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		name := "invalid-0000000000000005"
		path := filepath.Join(dir, name+SuffixRecord)
		if err := os.WriteFile(path, fmt.Appendf(nil, "%s\npid %d\nnetwork unix\naddr %s\n", recordMagic, sp, served), 0o644); err != nil {
			t.Fatal(err)
		}
		why := "record " + path + " has mode 0644, want 0600"
		got := Stop(dir, name, time.Second)
		if want := (StopResult{Name: name, Outcome: NotStopped, Why: why}); got != want {
			t.Fatalf("Stop = %+v, want %+v", got, want)
		}
		if !alive(sleep) {
			t.Fatal("the sleep process named by the invalid record was signalled")
		}
		list, err := List(dir)
		if err != nil || len(list) != 6 {
			t.Fatalf("List = %+v, %v; want 6 records (not foo.rec)", list, err)
		}
		if in := list[1]; in.Name != name || in.State != Invalid || in.Why != why || in.Record != (Record{}) {
			t.Fatalf("listed %+v, want %s invalid: %q", in, name, why)
		}
	})
	// Names that are no instance's are refused before any file is used.
	for _, name := range []string{"", "../run/x-0123456789abcdef", "test-0123456789ABCDEF", "test-0123", ".x-0123456789abcdef", "x"} {
		if got := Stop(dir, name, time.Second); got.Outcome != Unknown || got.Why != "not the name of an instance" {
			t.Errorf("Stop(%q) = %+v, want Unknown", name, got)
		}
	}
	if !alive(sleep) {
		t.Fatal("the sleep process was signalled")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Count(strings.Join(names, " "), ".lock") != 6 {
		t.Errorf("files %v: want a lock for each of the 6 records (as a host makes), no other", names)
	}
}

// TestExistingDir: the same refusals as Dir, and nothing is created.
func TestExistingDir(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvRuntimeDir, run)
	want := filepath.Join(run, "rpmpgp")
	if dir, ok, err := ExistingDir(); dir != want || ok || err != nil {
		t.Fatalf("no rpmpgp directory: %q, %v, %v; want %q, false", dir, ok, err, want)
	}
	if entries, _ := os.ReadDir(run); len(entries) != 0 {
		t.Fatalf("created %v", entries)
	}
	if err := os.Mkdir(want, 0o700); err != nil {
		t.Fatal(err)
	}
	if dir, ok, err := ExistingDir(); dir != want || !ok || err != nil {
		t.Fatalf("existing: %q, %v, %v", dir, ok, err)
	}
	if err := os.Chmod(want, 0o750); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ExistingDir(); err == nil || err.Error() != want+" has mode 0750, want 0700" {
		t.Fatalf("rpmpgp 0750: %v", err)
	}
	if err := os.Chmod(run, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ExistingDir(); err == nil || err.Error() != "$XDG_RUNTIME_DIR: "+run+" has mode 0755, want 0700" {
		t.Fatalf("runtime 0755: %v", err)
	}
	t.Setenv(EnvRuntimeDir, "")
	if _, _, err := ExistingDir(); err == nil || err.Error() != "$XDG_RUNTIME_DIR is not set" {
		t.Fatalf("unset: %v", err)
	}
}

// TestInspectUnchecked: a check that cannot be made (here a socket whose
// backlog is full: connect fails with EAGAIN) leaves the instance
// unchecked, not stale, and Stop does not report it as not running.
func TestInspectUnchecked(t *testing.T) {
	dir := stopDir(t)
	sock := filepath.Join(dir, "plugin-full")
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: sock}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	// Fill the backlog with connections nobody accepts.
	for i := 0; ; i++ {
		c, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC|syscall.SOCK_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer syscall.Close(c)
		if err := syscall.Connect(c, &syscall.SockaddrUnix{Name: sock}); err != nil {
			if !errors.Is(err, syscall.EAGAIN) {
				t.Skipf("connect %d: %v, not EAGAIN", i, err)
			}
			break
		}
		if i > 64 {
			t.Skip("the backlog does not fill")
		}
	}
	name := "full-0000000000000007"
	rec := Record{PID: os.Getpid(), Network: "unix", Addr: sock}
	if err := WriteRecord(filepath.Join(dir, name+SuffixRecord), rec); err != nil {
		t.Fatal(err)
	}
	in, pidfd, err := Inspect(dir, name)
	wantWhy := fmt.Sprintf("process %d, its socket %s: dial unix %s: connect: resource temporarily unavailable", os.Getpid(), sock, sock)
	if err != nil || pidfd != -1 || in.State != Unchecked || in.Why != wantWhy {
		t.Fatalf("Inspect = %+v, %d, %v; want unchecked: %q", in, pidfd, err, wantWhy)
	}
	got := Stop(dir, name, 100*time.Millisecond)
	if want := (StopResult{Name: name, PID: os.Getpid(), Outcome: NotStopped, Why: "not checked: " + wantWhy}); got != want {
		t.Fatalf("Stop = %+v, want %+v", got, want)
	}
}

// TestInspectDirSpelling: an instance whose host spelt the runtime
// directory another way (through a symbolic link, as /var/run for /run)
// is the same instance, not a stale record. (The process here is this
// test, which is only inspected, never stopped.)
func TestInspectDirSpelling(t *testing.T) {
	dir := stopDir(t)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(link, "plugin-spelt")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	name := "spelt-0000000000000008"
	rec := Record{PID: os.Getpid(), Network: "unix", Addr: sock}
	if err := WriteRecord(filepath.Join(dir, name+SuffixRecord), rec); err != nil {
		t.Fatal(err)
	}
	in, pidfd, err := Inspect(dir, name)
	if pidfd >= 0 {
		unix.Close(pidfd)
	}
	if err != nil || in.State != Running || in.Record != rec {
		t.Fatalf("Inspect = %+v, %d, %v; want running", in, pidfd, err)
	}
}

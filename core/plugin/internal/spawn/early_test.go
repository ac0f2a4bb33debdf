package spawn

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// backendDir makes a directory with an executable rpmpgp-backend-name that
// copies its standard input to its standard output (cat), and gives the
// test a standard input that stays open, so that the process runs until
// it is killed.
func backendDir(t *testing.T, name string) (dir, file string) {
	t.Helper()
	r, w, err := os.Pipe()
	must(t, err)
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() {
		os.Stdin = stdin
		w.Close()
		r.Close()
	})
	dir = t.TempDir()
	data, err := os.ReadFile("/bin/cat")
	if err != nil {
		t.Skip("no /bin/cat")
	}
	file = path.Join(dir, BinaryPrefix+name)
	must(t, os.WriteFile(file, data, 0o755))
	return dir, file
}

// takeEarlyReset makes sure no process started early outlives the test.
func takeEarlyReset(t *testing.T) {
	t.Cleanup(DiscardEarly)
	DiscardEarly()
}

// TestStartEarly: StartEarly runs the binary Find finds, through its
// descriptor, with the channel and binary descriptors and the environment a
// normal start gives; TakeEarly returns it to a host that asks for the same
// binary, once.
func TestStartEarly(t *testing.T) {
	takeEarlyReset(t)
	t.Setenv("TMPDIR", t.TempDir())
	dir, file := backendDir(t, "cat")
	must(t, StartEarly("cat", "", []string{dir}, ""))
	fi, err := os.Stat(file)
	must(t, err)
	id, err := IDOf(fi)
	must(t, err)
	e, err := TakeEarly(file, id)
	if e == nil || err != nil {
		t.Fatalf("TakeEarly = %v, %v; want the process", e, err)
	}
	defer e.Discard()
	if again, err := TakeEarly(file, id); again != nil || err == nil || err.Error() != "none started early: taken" {
		t.Errorf("second TakeEarly = %v, %v; want nil, none started early: taken", again, err)
	}
	// What the process was given (/proc/PID/environ, /proc/PID/exe). The
	// start returns once the kernel has closed the child's close-on-exec
	// descriptors, which comes before it records the new environment: a
	// read in between (seen under load) finds it empty.
	var environ []byte
	for range 1000 {
		environ, err = os.ReadFile("/proc/" + strconv.Itoa(e.Process.Pid) + "/environ")
		must(t, err)
		if len(environ) > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	got := splitNUL(environ)
	if !slices.Equal(got, e.Env) || !slices.Equal(e.Env, EarlyEnv(os.Environ(), e.SockDir)) {
		t.Errorf("environment %q; want %q", got, e.Env)
	}
	if exe, err := os.Readlink("/proc/" + strconv.Itoa(e.Process.Pid) + "/exe"); err != nil || exe != file {
		t.Errorf("executable %q, %v; want %s", exe, err, file)
	}
	// It leads its own process group (a kill of the group ends anything
	// it starts).
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(e.Process.Pid) + "/stat")
	must(t, err)
	if f := statFields(stat); len(f) < 3 || f[2] != strconv.Itoa(e.Process.Pid) {
		t.Errorf("process group of %d: /proc stat fields %q", e.Process.Pid, f)
	}
	e.Discard()
	if _, err := os.Stat(e.SockDir); !os.IsNotExist(err) {
		t.Errorf("socket directory %s left: %v", e.SockDir, err)
	}
	if err := syscall.Kill(e.Process.Pid, 0); err == nil {
		t.Errorf("process %d still there after Discard", e.Process.Pid)
	}
}

// TestTakeEarlyMismatch: a process started early for another binary, for a
// binary that changed since, or under another environment is discarded,
// not returned.
func TestTakeEarlyMismatch(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	dir, file := backendDir(t, "cat")
	fi, err := os.Stat(file)
	must(t, err)
	id, err := IDOf(fi)
	must(t, err)
	other := id
	other.CtimeNS++
	for _, tc := range []struct {
		name string
		file string
		id   FileID
		env  bool
		want string
	}{
		{"other binary", "/usr/libexec/rpmpgp/rpmpgp-backend-cat", id, false, "started " + file + ", the configuration chose /usr/libexec/rpmpgp/rpmpgp-backend-cat"},
		{"changed", file, other, false, file + " changed since it was started"},
		{"environment", file, id, true, "the environment changed since it was started"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			takeEarlyReset(t)
			must(t, StartEarly("cat", "", []string{dir}, ""))
			early.Lock()
			e := early.e
			early.Unlock()
			if tc.env {
				t.Setenv("RPMPGP_TEST_EARLY", "1")
			}
			got, err := TakeEarly(tc.file, tc.id)
			if got != nil || err == nil || err.Error() != tc.want {
				t.Fatalf("TakeEarly = %v, %v; want nil, %q", got, err, tc.want)
			}
			if err := syscall.Kill(e.Process.Pid, 0); err == nil {
				t.Errorf("process %d not discarded", e.Process.Pid)
			}
		})
	}
}

// TestStartEarlyRefuses: the checks of a normal start hold: an invalid
// name, a relative plugin directory, a missing binary, an untrusted one.
func TestStartEarlyRefuses(t *testing.T) {
	takeEarlyReset(t)
	dir, file := backendDir(t, "cat")
	for _, tc := range []struct {
		name, backend, env string
		dirs               []string
		want               string
	}{
		{"invalid name", "../cat", "", []string{dir}, `invalid backend name "../cat"`},
		{"relative dir", "cat", "bin", nil, `untrusted backend binary: plugin directory "bin" is relative (from $RPMPGP_PLUGIN_DIR or the configuration)`},
		{"missing", "nothere", "", []string{dir}, `backend "nothere": backend not found`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := StartEarly(tc.backend, tc.env, tc.dirs, ""); err == nil || err.Error() != tc.want {
				t.Errorf("StartEarly = %v; want %q", err, tc.want)
			}
		})
	}
	must(t, os.Chmod(file, 0o775))
	want := "untrusted backend binary " + file + ": binary is writable by group or others (mode 0775)"
	if err := StartEarly("cat", "", []string{dir}, ""); err == nil || err.Error() != want {
		t.Errorf("StartEarly(group-writable) = %v; want %q", err, want)
	}
	early.Lock()
	defer early.Unlock()
	if early.e != nil {
		t.Errorf("a refused start left a process")
	}
}

// statFields are the fields of /proc/PID/stat after the command name:
// state, ppid, pgrp, ...
func statFields(b []byte) []string {
	i := len(b) - 1
	for i >= 0 && b[i] != ')' {
		i--
	}
	return splitSpace(b[i+1:])
}

func splitSpace(b []byte) []string {
	var out []string
	start := -1
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == ' ' || b[i] == '\n' {
			if start >= 0 {
				out = append(out, string(b[start:i]))
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func splitNUL(b []byte) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == 0 {
			out = append(out, string(b[start:i]))
			start = i + 1
		}
	}
	return out
}

// TestMain lets the test binary play two more parts: a backend that only
// sleeps ($SPAWN_TEST_SLEEP), and a host that starts one early from the
// directory $SPAWN_TEST_HOST, prints its pid and exits at once.
func TestMain(m *testing.M) {
	if os.Getenv("SPAWN_TEST_SLEEP") != "" {
		time.Sleep(time.Hour)
		os.Exit(0)
	}
	if dir := os.Getenv("SPAWN_TEST_HOST"); dir != "" {
		os.Unsetenv("SPAWN_TEST_HOST")
		os.Setenv("SPAWN_TEST_SLEEP", "1") // for the backend it starts
		if err := StartEarly("sleep", "", []string{dir}, ""); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString(strconv.Itoa(EarlyPID()) + "\n")
		// Alive until the test has looked at the backend.
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestEarlyDiesWithItsHost: a backend started early is killed when its
// host exits without ending it (the parent-death signal of a process
// forked by the main thread during init).
func TestEarlyDiesWithItsHost(t *testing.T) {
	self, err := os.Executable()
	must(t, err)
	data, err := os.ReadFile(self)
	must(t, err)
	dir := t.TempDir()
	must(t, os.WriteFile(path.Join(dir, BinaryPrefix+"sleep"), data, 0o755))
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), "SPAWN_TEST_HOST="+dir, "TMPDIR="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	must(t, err)
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stdin.Close()
		t.Fatalf("host: %v (%q)", err, line)
	}
	pid, err := strconv.Atoi(line[:len(line)-1])
	if err != nil || pid <= 0 {
		t.Fatalf("host printed %q", line)
	}
	// The backend's start time tells it from a process that gets its pid
	// later; a zombie (state Z, X) waiting for PID 1 to reap it is dead.
	start, state := procStat(pid)
	if start == "" || state == "Z" || state == "X" {
		t.Fatalf("backend %d not running while its host runs (state %q)", pid, state)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("host: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		now, state := procStat(pid)
		if now != start || state == "Z" || state == "X" {
			return
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("backend %d outlived its host", pid)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// procStat returns the start time and state of process pid from
// /proc/PID/stat ("" when there is none).
func procStat(pid int) (start, state string) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", ""
	}
	f := statFields(b)
	if len(f) < 20 {
		return "", ""
	}
	return f[19], f[0]
}

// TestDedupEnvIsExecs: dedupEnv gives what exec.Cmd passes of an
// environment.
func TestDedupEnvIsExecs(t *testing.T) {
	for _, env := range [][]string{
		{},
		{"A=1", "B=2", "A=3"},
		{"A=1", "A"},
		{"A", "A=1"},
		{"=A=1", "=B=2", "=A=3"},
		{"=A", "=B"},
		{"", "X=1", ""},
		{"A=1=2", "A=3"},
		{"PLUGIN_UNIX_SOCKET_DIR=/shared", "B=1", "PLUGIN_UNIX_SOCKET_DIR=/own"},
	} {
		want := (&exec.Cmd{Path: "/nonexistent", Env: env}).Environ()
		if got := dedupEnv(env); !slices.Equal(got, want) {
			t.Errorf("dedupEnv(%q) = %q; exec.Cmd passes %q", env, got, want)
		}
	}
}

// TestStartEarlyFailsLate: a start that fails after the descriptors are
// made (no private socket directory: a $TMPDIR that is not there; an exec
// the kernel refuses) is an error that says so and leaves nothing
// behind, never a panic (it runs in package early's init: a panic there
// ended every verifying command with status 2).
func TestStartEarlyFailsLate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, tmp, file string)
		want    string
	}{
		{"no socket directory", func(t *testing.T, tmp, _ string) {
			t.Setenv("TMPDIR", path.Join(tmp, "missing"))
		}, "no private socket directory"},
		{"exec refused", func(t *testing.T, _, file string) {
			must(t, os.WriteFile(file, []byte("\x00\x01 not an executable format"), 0o755))
		}, "exec format error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			takeEarlyReset(t)
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			dir, file := backendDir(t, "cat")
			tc.prepare(t, tmp, file)
			before := openFDs(t)
			err := StartEarly("cat", "", []string{dir}, "")
			want := "starting " + file + ": "
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("StartEarly = %v; want %q…%q", err, want, tc.want)
			}
			if pid := EarlyPID(); pid != 0 {
				t.Errorf("EarlyPID = %d after a failed start", pid)
			}
			if e, err := TakeEarly(file, FileID{}); e != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("TakeEarly = %v, %v; want none, saying %q", e, err, tc.want)
			}
			if after := openFDs(t); after != before {
				t.Errorf("%d descriptors open after the failed start, %d before", after, before)
			}
			if left, _ := os.ReadDir(path.Join(tmp, "rpmpgp-"+strconv.Itoa(os.Geteuid()))); len(left) != 0 {
				t.Errorf("socket directories left behind: %v", left)
			}
		})
	}
}

// openFDs counts the test process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	must(t, err)
	return len(ents)
}

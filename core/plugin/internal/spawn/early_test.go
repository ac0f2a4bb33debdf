package spawn

import (
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"syscall"
	"testing"
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
	if again, err := TakeEarly(file, id); again != nil || err != nil {
		t.Errorf("second TakeEarly = %v, %v; want nothing", again, err)
	}
	// What the process was given (/proc/PID/environ, /proc/PID/exe).
	environ, err := os.ReadFile("/proc/" + strconv.Itoa(e.Process.Pid) + "/environ")
	must(t, err)
	got := splitNUL(environ)
	if !slices.Equal(got, e.Env) || !slices.Equal(e.Env, EarlyEnv(os.Environ(), e.SockDir)) {
		t.Errorf("environment %q; want %q", got, e.Env)
	}
	if exe, err := os.Readlink("/proc/" + strconv.Itoa(e.Process.Pid) + "/exe"); err != nil || exe != file {
		t.Errorf("executable %q, %v; want %s", exe, err, file)
	}
	// Its stdout is the pipe: cat echoes nothing until stdin closes, and
	// ends when killed.
	e.Discard()
	if _, err := io.ReadAll(e.Stdout); err == nil {
		t.Errorf("stdout still readable after Discard")
	}
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
		{"missing", "nothere", "", []string{dir}, "backend not found"},
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

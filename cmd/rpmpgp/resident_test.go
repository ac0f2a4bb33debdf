package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// residentRun is one test's environment for resident backends: a private
// $XDG_RUNTIME_DIR and a fixed $RPMPGP_ROOT (every variable RPMPGP_* names
// the instance, so each run must have the same).
type residentRun struct {
	t       *testing.T
	runtime string // $XDG_RUNTIME_DIR
	env     []string
}

// newResidentRun makes a 0700 runtime directory; the instances started in
// it are stopped (SIGTERM) when the test ends.
func newResidentRun(t *testing.T, env ...string) *residentRun {
	t.Helper()
	// Short: a Unix socket's path has at most 108 bytes, and t.TempDir's
	// names are long.
	tmp, err := os.MkdirTemp("", "rr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	dir := filepath.Join(tmp, "run")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	r := &residentRun{t: t, runtime: dir, env: append([]string{
		"XDG_RUNTIME_DIR=" + dir,
		"RPMPGP_ROOT=" + t.TempDir(),
		"RPMPGP_RESIDENT=",
	}, env...)}
	t.Cleanup(r.stopAll)
	return r
}

// cmd is rpmpgpCmd with the run's environment.
func (r *residentRun) cmd(args ...string) *exec.Cmd {
	cmd := rpmpgpCmd(r.t, args...)
	cmd.Env = append(cmd.Env, r.env...)
	return cmd
}

// records returns the PIDs of the instance records, by instance name.
func (r *residentRun) records() map[string]int {
	r.t.Helper()
	out, err := plugin.ResidentInstances(r.runtime)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// onlyPID returns the PID of the only instance, failing when there is not
// exactly one.
func (r *residentRun) onlyPID() int {
	r.t.Helper()
	recs := r.records()
	if len(recs) != 1 {
		r.t.Fatalf("instances: %v, want exactly one", recs)
	}
	for _, pid := range recs {
		return pid
	}
	return 0
}

// stopAll ends the instances of the run, each verified before it is
// signalled (plugin.StopResidentIn): a stale record's pid may be another
// process's by then.
func (r *residentRun) stopAll() {
	results, err := plugin.StopResidentIn(r.runtime, 5*time.Second)
	if err != nil {
		r.t.Errorf("stopping the run's resident backends: %v", err)
	}
	for _, res := range results {
		if res.Outcome != plugin.ResidentStopped && res.Outcome != plugin.ResidentNotRunning {
			r.t.Errorf("resident backend %s (pid %d) not stopped: %s", res.Name, res.PID, res.Why)
		}
	}
}

// fixtureRPMs are the fixture packages, sorted.
func fixtureRPMs(t *testing.T) []string {
	t.Helper()
	rpms, err := filepath.Glob(filepath.Join(testutil.Fixtures(), "rpms", "*.rpm"))
	if err != nil || len(rpms) < 20 {
		t.Fatalf("fixture packages: %d (%v), want at least 20", len(rpms), err)
	}
	return rpms
}

// publicKeys are the fixture certificates (not the secret keys).
func publicKeys(t *testing.T) []string {
	t.Helper()
	keys, _ := filepath.Glob(filepath.Join(testutil.Fixtures(), "keys", "*.asc"))
	keys = slices.DeleteFunc(keys, func(k string) bool { return strings.HasSuffix(k, ".secret.asc") })
	if len(keys) < 10 {
		t.Fatalf("fixture keys: %d, want at least 10", len(keys))
	}
	return keys
}

// stamp matches the times in key import warnings.
var stamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)

// TestResidentSameOutput: for every backend, checksig -v of every fixture
// package with every fixture key prints the same bytes and exits the same
// with a resident backend as without, both when the run starts the
// instance and when it attaches to it (the same PID serves both).
func TestResidentSameOutput(t *testing.T) {
	backends := []string{"gocrypto", "internal-legacy"}
	if hasOpenSSL {
		backends = append(backends, "openssl")
	}
	args := []string{"checksig", "-v", "--no-system-keys"}
	for _, k := range publicKeys(t) {
		args = append(args, "--keyring", k)
	}
	args = append(args, fixtureRPMs(t)...)
	for _, b := range backends {
		t.Run(b, func(t *testing.T) {
			r := newResidentRun(t)
			all := append([]string{"--backend", b}, args...)
			rc, stdout, stderr := runExit(t, r.cmd(all...))
			// Some fixtures fail on purpose (rc counts them), most verify.
			if rc == 0 || strings.Count(stdout, "signature, key fingerprint: ")+strings.Count(stdout, "Signature, key ID ") < 10 {
				t.Fatalf("normal run: rc %d, stderr %q, stdout:\n%s\nwant failing packages and at least 10 verified signatures", rc, stderr, stdout)
			}
			if recs := r.records(); len(recs) != 0 {
				t.Fatalf("a normal run made instances: %v", recs)
			}
			var pid int
			for i, what := range []string{"starting the instance", "attached"} {
				rrc, rout, rerr := runExit(t, r.cmd(append([]string{"--resident"}, all...)...))
				// Key warnings name the time of the run ("at time ...Z").
				if rrc != rc || rout != stdout || stamp.ReplaceAllString(rerr, "T") != stamp.ReplaceAllString(stderr, "T") {
					t.Fatalf("resident run (%s): rc %d (normal %d), stderr %q (normal %q), stdout:\n%s\n--- normal stdout:\n%s", what, rrc, rc, rerr, stderr, rout, stdout)
				}
				if got := r.onlyPID(); i == 0 {
					pid = got
				} else if got != pid {
					t.Fatalf("second run: instance %d, want the first run's %d", got, pid)
				}
			}
			if !testutil.ProcessAlive(pid) {
				t.Fatalf("instance %d is gone after the runs", pid)
			}
		})
	}
}

// TestResidentKeysDoNotLeak: the keys of one session do not reach the
// next: a package that verifies with its key gets NOKEY from the next
// command, which gives none, on the same instance.
func TestResidentKeysDoNotLeak(t *testing.T) {
	r := newResidentRun(t, "RPMPGP_RESIDENT=1")
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	rc, stdout, stderr := runExit(t, r.cmd("checksig", "--no-system-keys", "--keyring", key, pkg))
	if want := pkg + ": digests signatures OK\n"; rc != 0 || stdout != want || stderr != "" {
		t.Fatalf("with the key: rc %d, stdout %q, stderr %q; want 0, %q", rc, stdout, stderr, want)
	}
	pid := r.onlyPID()
	// An unrelated key, so that the keyring is not empty either.
	other := filepath.Join(testutil.Fixtures(), "keys", "ed25519.asc")
	rc, stdout, stderr = runExit(t, r.cmd("checksig", "-v", "--no-system-keys", "--keyring", other, pkg))
	want := pkg + ":\n" +
		"    Header OpenPGP DSA signature: NOTFOUND\n" +
		"    Header OpenPGP V4 RSA/SHA512 signature, key ID b87ce62b9606154f: NOKEY\n" +
		"    Header OpenPGP signature: NOTFOUND\n" +
		"    Header SHA256 digest: OK\n" +
		"    Payload SHA256 digest: OK\n" +
		"    Legacy OpenPGP DSA signature: NOTFOUND\n" +
		"    Legacy OpenPGP RSA signature: NOTFOUND\n"
	if rc != 1 || stdout != want || stderr != "" {
		t.Fatalf("without its key: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
	if got := r.onlyPID(); got != pid {
		t.Fatalf("second run: instance %d, want %d", got, pid)
	}
}

// TestResidentDefaultOff: without the setting nothing is created under
// $XDG_RUNTIME_DIR.
func TestResidentDefaultOff(t *testing.T) {
	r := newResidentRun(t)
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	if rc, stdout, stderr := runExit(t, r.cmd("checksig", "--no-system-keys", "--keyring", key, pkg)); rc != 0 || stdout != pkg+": digests signatures OK\n" || stderr != "" {
		t.Fatalf("rc %d, stdout %q, stderr %q; want 0, OK, no stderr", rc, stdout, stderr)
	}
	entries, err := os.ReadDir(r.runtime)
	if err != nil || len(entries) != 0 {
		t.Fatalf("$XDG_RUNTIME_DIR holds %v (%v), want nothing", entries, err)
	}
}

// TestResidentBadRuntimeDir: a runtime directory open to others, or an
// rpmpgp directory in it that is, is refused with one warning line and
// the command verifies with its own backend.
func TestResidentBadRuntimeDir(t *testing.T) {
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	for _, tc := range []struct {
		name  string
		setup func(dir string) error
		warn  func(dir string) string
	}{
		{"runtime-0755", func(dir string) error { return os.Chmod(dir, 0o755) },
			func(dir string) string { return "$XDG_RUNTIME_DIR: " + dir + " has mode 0755, want 0700" }},
		{"rpmpgp-0750", func(dir string) error { return os.Mkdir(filepath.Join(dir, "rpmpgp"), 0o750) },
			func(dir string) string { return filepath.Join(dir, "rpmpgp") + " has mode 0750, want 0700" }},
		{"rpmpgp-symlink", func(dir string) error { return os.Symlink(t.TempDir(), filepath.Join(dir, "rpmpgp")) },
			func(dir string) string { return filepath.Join(dir, "rpmpgp") + " is not a directory" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newResidentRun(t)
			if err := tc.setup(r.runtime); err != nil {
				t.Fatal(err)
			}
			rc, stdout, stderr := runExit(t, r.cmd("checksig", "--resident", "--no-system-keys", "--keyring", key, pkg))
			want := "warning: resident backend not used: " + tc.warn(r.runtime) + "\n"
			if rc != 0 || stdout != pkg+": digests signatures OK\n" || stderr != want {
				t.Fatalf("rc %d, stdout %q, stderr %q; want 0, OK, %q", rc, stdout, stderr, want)
			}
			if recs := r.records(); len(recs) != 0 {
				t.Fatalf("instances %v in a refused directory", recs)
			}
		})
	}
	t.Run("unset", func(t *testing.T) {
		r := newResidentRun(t)
		cmd := r.cmd("checksig", "--resident", "--no-system-keys", "--keyring", key, pkg)
		cmd.Env = append(cmd.Env, "XDG_RUNTIME_DIR=")
		rc, stdout, stderr := runExit(t, cmd)
		if want := "warning: resident backend not used: $XDG_RUNTIME_DIR is not set\n"; rc != 0 || stdout != pkg+": digests signatures OK\n" || stderr != want {
			t.Fatalf("rc %d, stdout %q, stderr %q; want 0, OK, %q", rc, stdout, stderr, want)
		}
	})
}

// TestResidentLifecycle: a dead instance's record is replaced by a new
// instance; a busy instance (its lock held) makes the command start its
// own backend and leaves the instance alone; a replaced binary (new
// inode) is not attached to; an instance exits after its idle time and
// removes its record and sockets.
func TestResidentLifecycle(t *testing.T) {
	// A directory of its own, so that the backend can be replaced.
	bin := t.TempDir()
	for _, name := range []string{"rpmpgp", "rpmpgp-backend-gocrypto"} {
		copyExecutable(t, filepath.Join(binDir, name), filepath.Join(bin, name))
	}
	// Long enough not to exit between the steps; the idle exit is tested
	// at the end with its own instance.
	r := newResidentRun(t, "RPMPGP_RESIDENT=true", "RPMPGP_RESIDENT_IDLE=10m")
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	run := func(r *residentRun, what string) {
		t.Helper()
		cmd := r.cmd("checksig", "--no-system-keys", "--keyring", key, pkg)
		cmd.Path = filepath.Join(bin, "rpmpgp")
		rc, stdout, stderr := runExit(t, cmd)
		if want := pkg + ": digests signatures OK\n"; rc != 0 || stdout != want || stderr != "" {
			t.Fatalf("%s: rc %d, stdout %q, stderr %q; want 0, %q", what, rc, stdout, stderr, want)
		}
	}
	run(r, "first run")
	first := r.onlyPID()

	// Dead: SIGKILL leaves the record; the next run replaces it.
	_ = syscall.Kill(first, syscall.SIGKILL)
	if !testutil.WaitGone(first, 5*time.Second) {
		t.Fatalf("instance %d did not die", first)
	}
	run(r, "after the instance died")
	second := r.onlyPID()
	if second == first {
		t.Fatalf("the record still names the dead instance %d", first)
	}

	// Busy: with its lock held, the command runs its own backend.
	recs := r.records()
	var name string
	for n := range recs {
		name = n
	}
	lock, err := os.OpenFile(filepath.Join(r.runtime, "rpmpgp", name+".lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	run(r, "while the instance is busy")
	if got := r.onlyPID(); got != second {
		t.Fatalf("busy: instance %d, want %d untouched", got, second)
	}
	lock.Close()

	// Replaced: a new file (new inode) at the backend's path gets an
	// instance of its own.
	backend := filepath.Join(bin, "rpmpgp-backend-gocrypto")
	if err := os.Remove(backend); err != nil {
		t.Fatal(err)
	}
	copyExecutable(t, filepath.Join(binDir, "rpmpgp-backend-gocrypto"), backend)
	var st syscall.Stat_t
	if err := syscall.Stat(backend, &st); err != nil {
		t.Fatal(err)
	}
	run(r, "after the binary was replaced")
	recs = r.records()
	if len(recs) != 2 {
		t.Fatalf("after the binary was replaced: instances %v, want the old and a new one", recs)
	}
	for _, pid := range recs {
		var exe syscall.Stat_t
		if err := syscall.Stat("/proc/"+strconv.Itoa(pid)+"/exe", &exe); err != nil {
			t.Fatal(err)
		}
		if (exe.Ino == st.Ino) == (pid == second) {
			t.Fatalf("instance %d runs inode %d; the new binary is inode %d, the old instance %d", pid, exe.Ino, st.Ino, second)
		}
	}

	// Idle: an instance exits after 2s without a session, leaving no
	// record or socket.
	idle := newResidentRun(t, "RPMPGP_RESIDENT=true", "RPMPGP_RESIDENT_IDLE=2s")
	run(idle, "with a short idle time")
	pid := idle.onlyPID()
	if !testutil.WaitGone(pid, 10*time.Second) {
		t.Fatalf("instance %d still runs 10s after its last session (idle time 2s)", pid)
	}
	entries, _ := os.ReadDir(filepath.Join(idle.runtime, "rpmpgp"))
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("left after the idle exit: %s", e.Name())
		}
	}
}

// copyExecutable copies the executable src to dst (mode 0755).
func copyExecutable(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestResidentLocked: the system config can lock resident off; the flag
// and the variable that turn it on are refused, "0" is the locked value;
// a variable that is not a boolean is an error.
func TestResidentLocked(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	sys := "resident = false\nlock = [\"resident\"]\n"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "flag", args: []string{"--resident"}, want: `--resident sets it to "true"`},
		{name: "variable", env: map[string]string{"RPMPGP_RESIDENT": "1"}, want: `$RPMPGP_RESIDENT sets it to "1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, stdout, stderr := cliRun(t, sys, "", tc.env, append(append([]string{"checksig"}, tc.args...), unsigned)...)
			// SystemConfig is the test's own file while cliRun runs.
			if rc != exitConfig || stdout != "" || !strings.HasPrefix(stderr, "error: resident is locked by the system config ") || !strings.HasSuffix(stderr, "(resident = false); "+tc.want+"\n") {
				t.Errorf("rc %d, stdout %q, stderr %q; want 255 and the refusal ending %q", rc, stdout, stderr, tc.want)
			}
		})
	}
	rc, stdout, stderr := cliRun(t, sys, "", map[string]string{"RPMPGP_RESIDENT": "0"}, "checksig", unsigned)
	if want := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != want || stderr != "" {
		t.Errorf("the locked value: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
	rc, stdout, stderr = cliRun(t, "", "", map[string]string{"RPMPGP_RESIDENT": "yes"}, "checksig", unsigned)
	if want := "error: $RPMPGP_RESIDENT = \"yes\": expected true or false\n"; rc != exitConfig || stdout != "" || stderr != want {
		t.Errorf("RPMPGP_RESIDENT=yes: rc %d, stdout %q, stderr %q; want 255, %q", rc, stdout, stderr, want)
	}
}

// TestResidentPinned: a pin that the binary does not match refuses the
// run with --resident as without (the binary is not run, no instance is
// made); a matching pin runs it as a resident instance.
func TestResidentPinned(t *testing.T) {
	r := newResidentRun(t)
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[plugins.checksums]\ngocrypto = \""+strings.Repeat("00", 32)+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"checksig", "--config", bad, "--no-system-keys", "--keyring", key, pkg}
	rc, stdout, stderr := runExit(t, r.cmd(args...))
	if rc != exitConfig || stdout != "" || !strings.Contains(stderr, "checksum mismatch") {
		t.Fatalf("normal run with a wrong pin: rc %d, stdout %q, stderr %q; want 255, a checksum mismatch", rc, stdout, stderr)
	}
	rrc, rout, rerr := runExit(t, r.cmd(append([]string{"--resident"}, args...)...))
	if rrc != rc || rout != stdout || rerr != stderr {
		t.Fatalf("resident run with a wrong pin: rc %d, stdout %q, stderr %q; want the normal run's %d, %q, %q", rrc, rout, rerr, rc, stdout, stderr)
	}
	if recs := r.records(); len(recs) != 0 {
		t.Fatalf("instances %v of a binary refused by its pin", recs)
	}
	bin, err := os.ReadFile(filepath.Join(binDir, "rpmpgp-backend-gocrypto"))
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "good.toml")
	if err := os.WriteFile(good, fmt.Appendf(nil, "[plugins.checksums]\ngocrypto = \"%x\"\n", sha256.Sum256(bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	args[2] = good
	rc, stdout, stderr = runExit(t, r.cmd(append([]string{"--resident"}, args...)...))
	if want := pkg + ": digests signatures OK\n"; rc != 0 || stdout != want || stderr != "" {
		t.Fatalf("resident run with the right pin: rc %d, stdout %q, stderr %q; want 0, %q", rc, stdout, stderr, want)
	}
	r.onlyPID()
}

// TestResidentChoiceNoted: a binary chosen by $RPMPGP_PLUGIN_DIR is named
// on stderr (issue #13) with --resident as without, both when the command
// starts the instance and when it attaches to it.
func TestResidentChoiceNoted(t *testing.T) {
	private := t.TempDir()
	gocrypto := copyBackend(t, private, 0o755)
	r := newResidentRun(t)
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	want := `rpmpgp: backend "gocrypto" binary chosen by $RPMPGP_PLUGIN_DIR: ` + gocrypto + "\n"
	var pid int
	for i, args := range [][]string{{"checksig"}, {"checksig", "--resident"}, {"checksig", "--resident"}} {
		cmd := r.cmd(append(args, unsigned)...)
		cmd.Env = append(cmd.Env, "RPMPGP_PLUGIN_DIR="+private)
		rc, stdout, stderr := runExit(t, cmd)
		if rc != 1 || stdout != unsigned+": digests SIGNATURES NOT OK\n" || stderr != want {
			t.Fatalf("run %d %v: rc %d, stdout %q, stderr %q; want 1, NOT OK, %q", i, args, rc, stdout, stderr, want)
		}
		switch i {
		case 1:
			pid = r.onlyPID()
		case 2:
			if got := r.onlyPID(); got != pid {
				t.Fatalf("third run: instance %d, want %d", got, pid)
			}
		}
	}
}

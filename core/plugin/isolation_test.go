package plugin

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// pidOf asks the running test backend for its process ID.
func pidOf(t *testing.T, c *Client) int {
	t.Helper()
	v, err := c.LintKey([]byte(testbackend.CommandPrefix + "pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(v.Lint)
	if err != nil {
		t.Fatal(err)
	}
	if pid != c.PID() {
		t.Fatalf("backend says pid %d, Client.PID says %d", pid, c.PID())
	}
	return pid
}

// TestBackendFailureIsolation: a backend that panics, exits or hangs
// during a call makes that call fail with a clear error (no verdict), the
// dead process is gone, the next call runs in a new process, and digests
// of the old process fail.
func TestBackendFailureIsolation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cmd     string
		timeout time.Duration
		want    string
	}{
		"panic": {
			cmd:  "panic",
			want: `backend "test": LintKey: backend process failed (process exited with status 2: panic: testbackend: panic on command); a new process is started for the next call`,
		},
		"exit": {
			cmd:  "exit",
			want: `backend "test": LintKey: backend process failed (process exited with status 3: testbackend: exiting on command); a new process is started for the next call`,
		},
		"hang": {
			cmd:     "hang",
			timeout: time.Second,
			want:    `backend "test": LintKey: backend process failed (no answer within 1s; process killed); a new process is started for the next call`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := openTest(t, LoadConfig{CallTimeout: tc.timeout})
			pid := pidOf(t, c)
			d, err := c.NewDigest(core.HashSHA256)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Write([]byte("abc")); err != nil {
				t.Fatal(err)
			}

			v, err := c.LintKey([]byte(testbackend.CommandPrefix + tc.cmd))
			if !errors.Is(err, ErrBackendFailed) || err.Error() != tc.want {
				t.Fatalf("LintKey(%s) = %+v, %v\nwant error %q", tc.cmd, v, err, tc.want)
			}
			if v != (core.Verdict{}) {
				t.Errorf("a failed call returned verdict %+v", v)
			}
			if !testutil.WaitGone(pid, 5*time.Second) {
				t.Errorf("failed backend process %d still runs", pid)
			}
			if c.PID() != 0 {
				t.Errorf("PID after failure = %d, want 0", c.PID())
			}

			// The next call restarts the backend.
			v, err = c.LintKey([]byte("key"))
			if err != nil || v != (core.Verdict{RC: core.RCOK}) {
				t.Fatalf("LintKey after restart = %+v, %v", v, err)
			}
			if c.Restarts() != 1 {
				t.Errorf("Restarts = %d, want 1", c.Restarts())
			}
			if newPID := pidOf(t, c); newPID == pid {
				t.Errorf("same pid %d after restart", pid)
			}

			// Digests of the dead process are errors, never values.
			_, err = d.Final()
			want := fmt.Sprintf(`backend "test": DigestFinal: backend process failed: the SHA256 digest belonged to backend process %d, which is gone`, pid)
			if !errors.Is(err, ErrBackendFailed) || err.Error() != want {
				t.Errorf("Final of old digest: %v\nwant %q", err, want)
			}
			key, sig := verifyCase([]byte("abc"))
			if _, err := c.VerifySignature(key, sig, d); !errors.Is(err, ErrBackendFailed) {
				t.Errorf("VerifySignature with old digest: %v", err)
			}
			if err := d.Close(); err != nil {
				t.Errorf("Close of old digest: %v", err)
			}
		})
	}
}

// TestCrashDuringBulkUpdate: a backend that dies in the middle of a
// streamed update fails the update and the digests.
func TestCrashDuringBulkUpdate(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	pid := pidOf(t, c)
	d, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	r := &killingReader{after: 3 * wire.ChunkSize, kill: func() { _ = osProcess(c).OS().Kill() }}
	_, err = c.UpdateDigests([]core.Digest{d}, r)
	if !errors.Is(err, ErrBackendFailed) || !strings.Contains(err.Error(), "process killed by signal killed") {
		t.Fatalf("UpdateDigests with a dying backend: %v", err)
	}
	if _, err := d.Final(); err == nil {
		t.Fatal("Final after a failed bulk update succeeded")
	}
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Errorf("process %d still runs", pid)
	}
	if _, err := c.Describe(); err != nil || c.Restarts() != 1 {
		t.Errorf("after restart: %v, restarts %d", err, c.Restarts())
	}
}

// killingReader yields zeros and calls kill once after `after` bytes.
type killingReader struct {
	after, n int
	kill     func()
	killed   bool
}

func (r *killingReader) Read(p []byte) (int, error) {
	if r.n >= r.after && !r.killed {
		r.killed = true
		r.kill()
		time.Sleep(100 * time.Millisecond)
	}
	if r.n > 100*wire.ChunkSize {
		return 0, errors.New("killingReader: the stream should have failed by now")
	}
	clear(p)
	r.n += len(p)
	return len(p), nil
}

// TestGarbageAnswers: values no backend may return are errors wrapping
// ErrProtocol, and the process is not restarted for them.
func TestGarbageAnswers(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	v, err := c.LintKey([]byte(testbackend.CommandPrefix + "garbage"))
	if !errors.Is(err, ErrProtocol) || err.Error() != `backend "test": LintKey: backend broke the protocol: verdict: unknown result code 99` || v != (core.Verdict{}) {
		t.Errorf("LintKey garbage = %+v, %v", v, err)
	}
	r, err := c.ParseSignature([]byte(testbackend.CommandPrefix + "garbage"))
	if !errors.Is(err, ErrProtocol) || err.Error() != `backend "test": ParseSignature: backend broke the protocol: parse result: params: unknown kind 9` || r.Params != nil {
		t.Errorf("ParseSignature garbage = %+v, %v", r, err)
	}
	// Invalid UTF-8 from the backend arrives repaired.
	v, err = c.LintKey([]byte(testbackend.CommandPrefix + "badutf8"))
	if err != nil || v != (core.Verdict{RC: core.RCOK, Lint: "bad \uFFFD utf-8"}) {
		t.Errorf("LintKey badutf8 = %+q, %v", v, err)
	}
	if c.Restarts() != 0 {
		t.Errorf("Restarts = %d, want 0", c.Restarts())
	}
}

// TestRestartReappliesInit: a restarted backend runs with the Options of
// the last successful Init, never with defaults.
func TestRestartReappliesInit(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	opts := core.Options{
		Policy: []byte("[hash_algorithms]\nsha1 = \"never\"\n"), PolicySource: "/etc/test.config",
		Time: time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC), FIPS: "off",
	}
	if err := c.Init(opts); err != nil {
		t.Fatal(err)
	}
	want := testbackend.FormatOptions(opts)
	ask := func() string {
		t.Helper()
		v, err := c.LintKey([]byte(testbackend.CommandPrefix + "options"))
		if err != nil {
			t.Fatal(err)
		}
		return v.Lint
	}
	if got := ask(); got != want {
		t.Fatalf("options before crash: %s\nwant %s", got, want)
	}
	if _, err := c.LintKey([]byte(testbackend.CommandPrefix + "exit")); !errors.Is(err, ErrBackendFailed) {
		t.Fatalf("exit: %v", err)
	}
	if got := ask(); got != want {
		t.Errorf("options after restart: %s\nwant %s", got, want)
	}
	if c.Restarts() != 1 {
		t.Errorf("Restarts = %d", c.Restarts())
	}
}

// TestFailedInitBlocksUse: after a failed Init, calls fail until an Init
// succeeds.
func TestFailedInitBlocksUse(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	err := c.Init(core.Options{FIPS: "require"})
	if err == nil || err.Error() != `backend "test": Init: testbackend: FIPS mode is not available` {
		t.Fatalf("Init(require) = %v", err)
	}
	_, err = c.LintKey([]byte("k"))
	want := `backend "test": LintKey: backend is unusable after a failed Init: backend "test": Init: testbackend: FIPS mode is not available`
	if err == nil || err.Error() != want {
		t.Errorf("LintKey after failed Init: %v\nwant %q", err, want)
	}
	if err := c.Init(core.Options{}); err != nil {
		t.Fatalf("Init: %v", err)
	}
	if v, err := c.LintKey([]byte("k")); err != nil || v.RC != core.RCOK {
		t.Errorf("LintKey after good Init: %+v, %v", v, err)
	}
}

// TestCloseLeavesNoProcess: Close ends the backend process (checked in
// /proc) and is idempotent.
// TestAbandonLeavesNoProcess: Abandon kills the backend and removes its
// socket without waiting; the process is gone soon after (it is reaped by
// the test binary's os/exec machinery or, for rpmpgp, when rpmpgp exits).
func TestAbandonLeavesNoProcess(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	pid := pidOf(t, c)
	sock := osProcess(c).Socket()
	if sock == "" {
		t.Fatal("no socket path")
	}
	// Removed once connected (connect): nothing to clean up at exit.
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket %s while connected: %v", sock, err)
	}
	c.Abandon()
	if !testutil.WaitGone(pid, 5*time.Second) {
		t.Errorf("backend %d still runs after Abandon", pid)
	}
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket %s after Abandon: %v", sock, err)
	}
	if _, err := c.Describe(); !errors.Is(err, ErrClosed) {
		t.Errorf("Describe after Abandon: %v", err)
	}
	c.Abandon()
	if err := c.Close(); err != nil {
		t.Errorf("Close after Abandon: %v", err)
	}
}

func TestCloseLeavesNoProcess(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	pid := pidOf(t, c)
	if !testutil.ProcessAlive(pid) {
		t.Fatalf("backend %d not running", pid)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if testutil.ProcessAlive(pid) {
		t.Errorf("backend %d still runs after Close returned", pid)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.Describe(); !errors.Is(err, ErrClosed) {
		t.Errorf("Describe after Close: %v", err)
	}
}

// TestCloseAll closes every open client.
func TestCloseAll(t *testing.T) {
	c1 := openTest(t, LoadConfig{})
	c2 := openTest(t, LoadConfig{})
	p1, p2 := pidOf(t, c1), pidOf(t, c2)
	CloseAll()
	for _, pid := range []int{p1, p2} {
		if testutil.ProcessAlive(pid) {
			t.Errorf("backend %d still runs after CloseAll", pid)
		}
	}
	if _, err := c1.Describe(); !errors.Is(err, ErrClosed) {
		t.Errorf("c1 after CloseAll: %v", err)
	}
}

// TestOutOfProcessRoundTrip exercises the real binary: digests, bulk
// update, verification.
func TestOutOfProcessRoundTrip(t *testing.T) {
	t.Parallel()
	c := openTest(t, LoadConfig{})
	d, err := c.Describe()
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "test" || d.Protocol != ProtocolVersion || d.Path != testBackendPath() {
		t.Errorf("Describe = %+v", d)
	}
	data := make([]byte, 2*wire.ChunkSize+3)
	key, sig := verifyCase(data)
	dg, err := c.NewDigest(core.HashSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDigests([]core.Digest{dg}, strings.NewReader(string(data))); err != nil {
		t.Fatal(err)
	}
	v, err := c.VerifySignature(key, sig, dg)
	if err != nil || v != (core.Verdict{RC: core.RCOK}) {
		t.Errorf("VerifySignature = %+v, %v", v, err)
	}
}

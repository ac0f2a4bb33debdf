package plugin

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/wire"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/rpmgen"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// commandPackage writes the unsigned fixture package with a tag 268
// "signature" that is a test backend command (see testbackend).
func commandPackage(t *testing.T, dir, name, cmd string) string {
	t.Helper()
	base, err := os.ReadFile(filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm"))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := rpmgen.Resign(base, rpmgen.Bin(rpmgen.SigTagRSA, []byte(testbackend.CommandPrefix+cmd)))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCrashDuringVerifyPackage: a backend process that dies or hangs while
// it verifies a package (in one VerifyPackage call) gives that package an
// error, never a Result; the packages after it are verified by a new
// process, in one call each again; no process is left behind.
func TestCrashDuringVerifyPackage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cmd     string
		timeout time.Duration
		want    string
	}{
		{cmd: "exit", want: `backend "test": VerifyPackage: backend process failed (process exited with status 3: testbackend: exiting on command); a new process is started for the next call`},
		{cmd: "panic", want: `backend "test": VerifyPackage: backend process failed (process exited with status 2: panic: testbackend: panic on command); a new process is started for the next call`},
		{cmd: "hang", timeout: time.Second, want: `backend "test": VerifyPackage: backend process failed (no answer within 1s; process killed); a new process is started for the next call`},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			good := commandPackage(t, dir, "good.rpm", "pid")
			bad := commandPackage(t, dir, "bad.rpm", tc.cmd)
			c := openTest(t, LoadConfig{CallTimeout: tc.timeout})
			v, err := verify.NewVerifier(c, core.NewKeyring(c), core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			var pids []int
			for i, pkg := range []string{good, good, bad, good, good} {
				pid := c.PID()
				res, err := v.VerifyFile(pkg)
				if pkg == bad {
					if !errors.Is(err, ErrBackendFailed) || err.Error() != tc.want {
						t.Fatalf("package %d: VerifyFile = %+v, %v\nwant error %q", i, res, err, tc.want)
					}
					if res != nil {
						t.Errorf("package %d: a failed call returned a result", i)
					}
					if !testutil.WaitGone(pid, 5*time.Second) {
						t.Errorf("failed backend process %d still runs", pid)
					}
					continue
				}
				if err != nil {
					t.Fatalf("package %d: %v", i, err)
				}
				// The "pid" command makes the signature unparsable, with
				// the backend's pid as the lint (rpm 6 prints it).
				if len(res.Items) == 0 || !res.Failed {
					t.Fatalf("package %d: unexpected result %+v", i, res)
				}
				pids = append(pids, c.PID())
			}
			if c.Restarts() != 1 {
				t.Errorf("Restarts = %d, want 1", c.Restarts())
			}
			if pids[0] != pids[1] || pids[2] != pids[3] || pids[1] == pids[2] {
				t.Errorf("backend pids per package = %v, want two processes, before and after the failure", pids)
			}
			if n := c.batch.Batched(); n != 4 {
				t.Errorf("%d packages went through VerifyPackage, want 4", n)
			}

			// The same packages in one batch: the failing package gets the
			// error and the others their results. Which package broke the
			// process is unknown after a batch fails, so the unanswered
			// ones are sent again one per call: the culprit breaks a
			// second process.
			paths := []string{good, good, bad, good, good}
			var files []*os.File
			for _, p := range paths {
				f, err := os.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				files = append(files, f)
			}
			rs, err := c.VerifyPackages(files, paths, core.NewKeyring(c), core.StrictDefaults())
			if err != nil || len(rs) != len(paths) {
				t.Fatalf("VerifyPackages = %d results, %v", len(rs), err)
			}
			for i, r := range rs {
				if paths[i] == bad {
					if !errors.Is(r.Err, ErrBackendFailed) || r.Err.Error() != tc.want || r.Result != nil {
						t.Errorf("batch, package %d: %+v, %v\nwant error %q", i, r.Result, r.Err, tc.want)
					}
					continue
				}
				if r.Err != nil || r.Result == nil || !r.Result.Failed {
					t.Errorf("batch, package %d: %+v, %v", i, r.Result, r.Err)
				}
			}
			if c.Restarts() != 3 {
				t.Errorf("Restarts after the batch = %d, want 3", c.Restarts())
			}
			if n := c.batch.Batched(); n != 8 {
				t.Errorf("%d packages went through VerifyPackages, want 8", n)
			}
		})
	}
}

// TestVerifyPackageFallsBack: without a descriptor channel (an in-memory
// backend here) or for a file that is not a regular file, VerifyFile runs
// the flow call by call and still gives the verdict.
func TestVerifyPackageFallsBack(t *testing.T) {
	c := memClient(t, testbackend.New())
	pkg := commandPackage(t, t.TempDir(), "p.rpm", "pid")
	v, err := verify.NewVerifier(c, core.NewKeyring(c), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.VerifyFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed || !strings.Contains(res.CaseItems(), "HeaderSig@268=BAD") {
		t.Errorf("result %s, failed=%v", res.CaseItems(), res.Failed)
	}
	if n := c.batch.Batched(); n != 0 {
		t.Errorf("%d packages went through VerifyPackage without a descriptor channel", n)
	}
	f, err := os.Open(pkg)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := c.VerifyPackages([]*os.File{f}, []string{pkg}, core.NewKeyring(c), core.StrictDefaults()); !errors.Is(err, core.ErrNotSupported) {
		t.Errorf("VerifyPackage without a descriptor channel: %v, want ErrNotSupported", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	proc := openTest(t, LoadConfig{})
	if _, err := proc.VerifyPackages([]*os.File{r}, []string{"pipe"}, core.NewKeyring(proc), core.StrictDefaults()); !errors.Is(err, core.ErrNotSupported) {
		t.Errorf("VerifyPackage of a pipe: %v, want ErrNotSupported", err)
	}
}

// TestWrappedClientKeepsBatchPath: a wrapper that embeds the Client as a
// core.Backend keeps the batch paths the Client declares
// (core.Capabilities), so core sends the wrapped backend's packages in
// VerifyPackages calls; a wrapper that declares none gets the same verdicts
// call by call. The bulk digest update of the call-by-call path is
// declared the same way.
func TestWrappedClientKeepsBatchPath(t *testing.T) {
	c := openTest(t, LoadConfig{})
	dir := t.TempDir()
	pkgs := []string{commandPackage(t, dir, "a.rpm", "pid"), commandPackage(t, dir, "b.rpm", "pid")}
	verifyAll := func(b core.Backend) []string {
		t.Helper()
		v, err := verify.NewVerifier(b, core.NewKeyring(b), core.StrictDefaults())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range v.VerifyFiles(pkgs, 2) {
			if r.Err != nil {
				t.Fatalf("%s: %v", r.Path, r.Err)
			}
			out = append(out, r.Result.CaseItems())
		}
		return out
	}
	caps := struct{ core.Backend }{c}.Capabilities()
	if caps.Keys != c || caps.Packages != c || caps.Digests != c {
		t.Errorf("wrapped client declares %+v, want the client for the key import, the package flow and the bulk digest update", caps)
	}
	wrapped := verifyAll(struct{ core.Backend }{c})
	if n := c.batch.Batched(); n != int64(len(pkgs)) {
		t.Errorf("wrapped client: %d packages went through VerifyPackages, want %d", n, len(pkgs))
	}
	direct := verifyAll(sealedBackend{c})
	if n := c.batch.Batched(); n != int64(len(pkgs)) {
		t.Errorf("client declaring no batch path: %d more packages went through VerifyPackages", n-int64(len(pkgs)))
	}
	if diff := cmp.Diff(direct, wrapped); diff != "" {
		t.Errorf("verdicts (-call by call +batch):\n%s", diff)
	}
}

// sealedBackend wraps a backend and declares no batch path.
type sealedBackend struct{ core.Backend }

func (sealedBackend) Capabilities() core.Capabilities { return core.Capabilities{} }

// TestVerifyPackageKeyrings: the backend process verifies with the keyring
// of each call, also when several keyrings alternate and more than
// wire.MaxKeyrings are in use (evicted ones are sent again).
func TestVerifyPackageKeyrings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds rpmpgp-backend-gocrypto")
	}
	t.Parallel()
	dir := t.TempDir()
	if err := goBuild(filepath.Join(dir, BinaryPrefix+"gocrypto"), "../../backends/gocrypto/cmd/rpmpgp-backend-gocrypto"); err != nil {
		t.Fatal(err)
	}
	c, err := Open("gocrypto", LoadConfig{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Init(core.Options{Time: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa2048.rpm")
	key := filepath.Join(testutil.Fixtures(), "keys", "rsa2048.asc")
	other := filepath.Join(testutil.Fixtures(), "keys", "ed25519.asc")
	var rings []*core.Keyring
	var want []string
	for i := range wire.MaxKeyrings + 2 {
		var files []string
		w := "HeaderSig@268=NOKEY"
		switch i % 3 {
		case 0:
			files, w = []string{key}, "HeaderSig@268=OK"
		case 1:
			files = []string{other}
		}
		kr, _, err := core.LoadKeyring(c, files...)
		if err != nil {
			t.Fatal(err)
		}
		rings, want = append(rings, kr), append(want, w)
	}
	check := func(round int) {
		for i, kr := range rings {
			v, err := verify.NewVerifier(c, kr, core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			res, err := v.VerifyFile(pkg)
			if err != nil {
				t.Fatalf("round %d, keyring %d: %v", round, i, err)
			}
			if got := res.CaseItems(); !strings.Contains(got, want[i]) {
				t.Errorf("round %d, keyring %d: %s, want %s", round, i, got, want[i])
			}
		}
	}
	check(1)
	check(2) // the first keyrings were evicted by now and are sent again
	if n := c.batch.Batched(); n != int64(2*len(rings)) {
		t.Errorf("%d packages went through VerifyPackage, want %d", n, 2*len(rings))
	}
}

// TestInitImport: Init with key files imports them in the same call, with
// the answer ImportKeys gives; an Init error imports nothing and makes the
// client unusable; key files too large for one message are refused with
// core.ErrNotSupported after a successful Init.
func TestInitImport(t *testing.T) {
	t.Parallel()
	opts := core.Options{Time: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), PolicySource: "test"}
	files := []core.KeyFile{
		{Source: "one.asc", Data: []byte("first key")},
		{Source: "two.asc", Data: []byte("second key\x00third key")},
	}

	ref := memClient(t, testbackend.New())
	if err := ref.Init(opts); err != nil {
		t.Fatal(err)
	}
	wantCerts, wantResults, err := ref.ImportKeys(files)
	if err != nil {
		t.Fatal(err)
	}
	c := memClient(t, testbackend.New())
	certs, results, err := c.InitImport(opts, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) == 0 {
		t.Fatal("InitImport imported no certificate")
	}
	if diff := cmp.Diff(wantCerts, certs); diff != "" {
		t.Errorf("certs (-ImportKeys +InitImport):\n%s", diff)
	}
	if diff := cmp.Diff(wantResults, results); diff != "" {
		t.Errorf("results (-ImportKeys +InitImport):\n%s", diff)
	}
	if v, err := c.LintKey([]byte(testbackend.CommandPrefix + "options")); err != nil || v.Lint != testbackend.FormatOptions(opts) {
		t.Errorf("options after InitImport: %q, %v", v.Lint, err)
	}

	failing := memClient(t, testbackend.New())
	certs, results, err = failing.InitImport(core.Options{FIPS: "require"}, files)
	want := `backend "mem": Init: testbackend: FIPS mode is not available`
	if err == nil || err.Error() != want || certs != nil || results != nil {
		t.Errorf("failed Init: %v, %v, %v; want error %q", certs, results, err, want)
	}
	if _, err := failing.LintKey([]byte("k")); err == nil || !strings.Contains(err.Error(), "unusable after a failed Init") {
		t.Errorf("call after a failed InitImport: %v", err)
	}

	big := memClient(t, testbackend.New())
	_, _, err = big.InitImport(opts, []core.KeyFile{{Source: "huge.asc", Data: make([]byte, wire.MaxRequestData)}})
	want = `backend "mem": Init: rpmpgp: operation not supported by this backend: 67043340 bytes of key files and policy do not fit one message`
	if !errors.Is(err, core.ErrNotSupported) || err.Error() != want {
		t.Errorf("oversized key files: %v; want %q", err, want)
	}
	if v, err := big.LintKey([]byte(testbackend.CommandPrefix + "options")); err != nil || v.Lint != testbackend.FormatOptions(opts) {
		t.Errorf("options after oversized InitImport: %q, %v", v.Lint, err)
	}
}

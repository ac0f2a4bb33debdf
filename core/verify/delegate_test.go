package verify_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// batchMarker is the error text of the fake batch paths' answers, which no
// real verification gives.
const batchMarker = "answered by the batch path"

// fakeBatch records the batch calls it gets and answers each package with
// a marked result and each import with no certificate. VerifyFiles calls
// it from several workers at once.
type fakeBatch struct {
	packages, imports atomic.Int64
}

func (f *fakeBatch) VerifyPackages(files []*os.File, names []string, _ *core.Keyring, _ core.VerifyConfig) ([]core.PackageResult, error) {
	f.packages.Add(int64(len(files)))
	out := make([]core.PackageResult, len(files))
	for i, n := range names {
		out[i].Result = &core.Result{Path: n, Failed: true, Error: batchMarker}
	}
	return out, nil
}

func (f *fakeBatch) ImportKeys(files []core.KeyFile) ([]core.KeyringCert, []core.ImportResult, error) {
	f.imports.Add(int64(len(files)))
	return nil, []core.ImportResult{{RC: core.RCFail, Err: batchMarker}}, nil
}

// batching is an in-process backend that declares the fake batch paths.
type batching struct {
	core.Backend
	fake *fakeBatch
}

func (b batching) Capabilities() core.Capabilities {
	return core.Capabilities{Keys: b.fake, Packages: b.fake}
}

// wrapper embeds a Backend and adds nothing: it keeps the batch paths.
type wrapper struct{ core.Backend }

// sealed wraps a Backend and declares no batch path: core must drive it
// call by call.
type sealed struct{ core.Backend }

func (sealed) Capabilities() core.Capabilities { return core.Capabilities{} }

// TestBatchPathIsDeclared: VerifyFiles and ImportKeyFiles take the batch
// paths a backend declares, also through a wrapper that embeds it, and the
// call-by-call path (real verdicts of the in-process backend) when the
// backend, or a wrapper around it, declares none.
func TestBatchPathIsDeclared(t *testing.T) {
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm")
	keyPath := filepath.Join(testutil.Fixtures(), "keys", "rsa4096.asc")
	keyData, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		b     func(*fakeBatch) core.Backend
		batch bool
	}{
		{"in process", func(*fakeBatch) core.Backend { return gocrypto.New() }, false},
		{"batching", func(f *fakeBatch) core.Backend { return batching{gocrypto.New(), f} }, true},
		{"wrapped batching", func(f *fakeBatch) core.Backend { return wrapper{batching{gocrypto.New(), f}} }, true},
		{"sealed batching", func(f *fakeBatch) core.Backend { return sealed{batching{gocrypto.New(), f}} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &fakeBatch{}
			b := tc.b(fake)
			if err := b.Init(core.Options{}); err != nil {
				t.Fatal(err)
			}
			kr, results, err := core.ImportKeyFiles(b, []core.KeyFile{{Source: keyPath, Data: keyData}})
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 {
				t.Fatalf("%d import results, want 1: %+v", len(results), results)
			}
			if got := results[0].Err == batchMarker; got != tc.batch {
				t.Errorf("import by the batch path: %v, want %v (result %+v)", got, tc.batch, results[0])
			}
			if tc.batch {
				// The fake imported nothing: verify with a real keyring.
				kr, _, err = core.ImportKeyFiles(sealed{b}, []core.KeyFile{{Source: keyPath, Data: keyData}})
				if err != nil {
					t.Fatal(err)
				}
			}
			v, err := verify.NewVerifier(b, kr, core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			rs := v.VerifyFiles([]string{pkg, pkg}, 2)
			for _, r := range rs {
				if r.Err != nil || r.Result == nil {
					t.Fatalf("%s: no result: %v", r.Path, r.Err)
				}
				batched := r.Result.Error == batchMarker
				if batched != tc.batch {
					t.Errorf("%s: verified by the batch path: %v, want %v", r.Path, batched, tc.batch)
				}
				if !tc.batch && r.Result.Failed {
					t.Errorf("%s: call by call: failed: %s", r.Path, r.Result.CaseItems())
				}
			}
			wantPkgs, wantFiles := 0, 0
			if tc.batch {
				wantPkgs, wantFiles = 2, 1
			}
			if fake.packages.Load() != int64(wantPkgs) || fake.imports.Load() != int64(wantFiles) {
				t.Errorf("batch calls: %d packages, %d key files; want %d, %d", fake.packages.Load(), fake.imports.Load(), wantPkgs, wantFiles)
			}
		})
	}
}

// bulk is an in-process backend that declares a counting bulk digest
// update: it feeds the digests through sealed (which declares none), so
// the digests get the real bytes.
type bulk struct {
	core.Backend
	calls *atomic.Int64
}

func (b bulk) Capabilities() core.Capabilities {
	return core.Capabilities{Digests: b}
}

func (b bulk) UpdateDigests(ds []core.Digest, r io.Reader) (int64, error) {
	b.calls.Add(1)
	return core.UpdateDigests(sealed{b.Backend}, ds, r)
}

// TestBulkDigestsAreDeclared: the call-by-call path feeds digests through
// the bulk update a backend declares, also through a wrapper that embeds
// it, and writes them itself when the backend, or a wrapper around it,
// declares none; the digests and the verdicts are the same either way.
func TestBulkDigestsAreDeclared(t *testing.T) {
	pkg := filepath.Join(testutil.Fixtures(), "rpms", "rpmsign-rsa4096.rpm")
	keyPath := filepath.Join(testutil.Fixtures(), "keys", "rsa4096.asc")
	keyData, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("the same bytes into every digest")
	want := sha256.Sum256(data)
	for _, tc := range []struct {
		name string
		b    func(*atomic.Int64) core.Backend
		bulk bool
	}{
		{"in process", func(*atomic.Int64) core.Backend { return gocrypto.New() }, false},
		{"bulk", func(n *atomic.Int64) core.Backend { return bulk{gocrypto.New(), n} }, true},
		{"wrapped bulk", func(n *atomic.Int64) core.Backend { return wrapper{bulk{gocrypto.New(), n}} }, true},
		{"sealed bulk", func(n *atomic.Int64) core.Backend { return sealed{bulk{gocrypto.New(), n}} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			b := tc.b(&calls)
			if err := b.Init(core.Options{}); err != nil {
				t.Fatal(err)
			}
			ds := make([]core.Digest, 2)
			for i := range ds {
				if ds[i], err = b.NewDigest(core.HashSHA256); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := core.UpdateDigests(b, ds, bytes.NewReader(data)); n != int64(len(data)) || err != nil {
				t.Fatalf("UpdateDigests: %d, %v; want %d, nil", n, err, len(data))
			}
			for i, d := range ds {
				got, err := d.Final()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want[:]) {
					t.Errorf("digest %d: %x, want %x", i, got, want)
				}
			}
			wantCalls := int64(0)
			if tc.bulk {
				wantCalls = 1
			}
			if calls.Load() != wantCalls {
				t.Errorf("bulk updates: %d, want %d", calls.Load(), wantCalls)
			}

			calls.Store(0)
			kr, _, err := core.ImportKeyFiles(b, []core.KeyFile{{Source: keyPath, Data: keyData}})
			if err != nil {
				t.Fatal(err)
			}
			v, err := verify.NewVerifier(b, kr, core.StrictDefaults())
			if err != nil {
				t.Fatal(err)
			}
			r, err := v.VerifyFile(pkg)
			if err != nil {
				t.Fatal(err)
			}
			if r.Failed {
				t.Errorf("%s: failed: %s", pkg, r.CaseItems())
			}
			// One bulk update for the header, one for the payload.
			if tc.bulk {
				wantCalls = 2
			}
			if calls.Load() != wantCalls {
				t.Errorf("package digests fed by %d bulk updates, want %d", calls.Load(), wantCalls)
			}
		})
	}
}

package plugin

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rpmpgp/rpmpgp/backends/gocrypto"
	legacy "github.com/rpmpgp/rpmpgp/backends/internal-legacy"
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// agreementPackages returns the project's fixture packages and, when the
// corpus is present, the rpm-testsuite packages.
func agreementPackages(t *testing.T) []string {
	t.Helper()
	pkgs, err := filepath.Glob(filepath.Join(testutil.Fixtures(), "rpms", "*.rpm"))
	if err != nil || len(pkgs) == 0 {
		t.Fatalf("no fixture packages (%v)", err)
	}
	if dir, ok := testutil.CorpusDir(); ok {
		for _, sub := range []string{"RPMS", "derived"} {
			more, _ := filepath.Glob(filepath.Join(dir, "rpm-testsuite", sub, "*.rpm"))
			pkgs = append(pkgs, more...)
		}
	} else if os.Getenv("CI") != "" {
		// A CI run never passes on the fixtures alone.
		t.Fatalf("CI: third-party corpus not found at %s (set RPMPGP_CORPUS): only the fixture packages would be compared", dir)
	} else {
		t.Logf("third-party corpus not found at %s (set RPMPGP_CORPUS): fixture packages only", dir)
	}
	return pkgs
}

// resultOpts compares Results across the process boundary: the signature
// packet bytes of Item.Sig do not travel back (convert.ResultToProto).
var resultOpts = cmp.Options{cmpopts.IgnoreUnexported(core.Item{}), cmpopts.IgnoreFields(core.Params{}, "Packet")}

// TestPackagesAgreeInAndOutOfProcess verifies every fixture and corpus
// package three ways, with the same keyring and flow: in process, out of
// process in one VerifyPackage call (the package read by the backend
// through the descriptor channel), and out of process call by call (the
// host reads the package and streams it). All three must give the same
// Result, item by item.
func TestPackagesAgreeInAndOutOfProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the backends")
	}
	pkgs := agreementPackages(t)
	keys := filepath.Join(testutil.Fixtures(), "keys")
	at := core.Options{Time: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	backends := []struct {
		name  string
		main  string
		local core.Backend
		cfg   core.VerifyConfig
	}{
		{"gocrypto", "../../backends/gocrypto/cmd/rpmpgp-backend-gocrypto", gocrypto.New(), core.StrictDefaults()},
		{"internal-legacy", "../../backends/internal-legacy/cmd/rpmpgp-backend-internal-legacy", legacy.New(), core.LegacyDefaults()},
	}
	dir := t.TempDir()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if err := goBuild(filepath.Join(dir, BinaryPrefix+b.name), b.main); err != nil {
				t.Fatal(err)
			}
			remote, err := Open(b.name, LoadConfig{Dirs: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			defer remote.Close()
			for _, be := range []core.Backend{b.local, remote} {
				if err := be.Init(at); err != nil {
					t.Fatal(err)
				}
			}
			localKR, localImports, err := core.LoadKeyring(b.local, keys)
			if err != nil {
				t.Fatal(err)
			}
			remoteKR, remoteImports, err := core.LoadKeyring(remote, keys)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(localImports, remoteImports); diff != "" {
				t.Errorf("key import (-in process +ImportKeys):\n%s", diff)
			}
			if diff := cmp.Diff(localKR.Names(false), remoteKR.Names(false)); diff != "" {
				t.Errorf("keyring (-in process +ImportKeys):\n%s", diff)
			}
			// The CLI's start-up path: Init and the import in one call.
			files, err := core.ReadKeyFiles(keys)
			if err != nil {
				t.Fatal(err)
			}
			certs, initImports, err := remote.InitImport(at, files)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(localImports, initImports); diff != "" {
				t.Errorf("key import (-in process +InitImport):\n%s", diff)
			}
			if diff := cmp.Diff(localKR.Names(false), core.NewKeyringFrom(remote, certs).Names(false)); diff != "" {
				t.Errorf("keyring (-in process +InitImport):\n%s", diff)
			}
			for _, cfg := range []core.VerifyConfig{b.cfg, {Profile: b.cfg.Profile, Level: core.LevelAll}} {
				local, err := verify.NewVerifier(b.local, localKR, cfg)
				if err != nil {
					t.Fatal(err)
				}
				batched, err := verify.NewVerifier(remote, remoteKR, cfg)
				if err != nil {
					t.Fatal(err)
				}
				wants := make([]*core.Result, len(pkgs))
				for i, pkg := range pkgs {
					want, err := local.VerifyFile(pkg)
					wants[i] = want
					if err != nil {
						t.Fatalf("%s: in process: %v", pkg, err)
					}
					got, err := batched.VerifyFile(pkg)
					if err != nil {
						t.Fatalf("%s: VerifyPackage: %v", pkg, err)
					}
					opts := resultOpts
					if diff := cmp.Diff(want, got, opts); diff != "" {
						t.Errorf("%s, level %v: (-in process +VerifyPackage):\n%s", filepath.Base(pkg), cfg.Level, diff)
					}
					f, err := os.Open(pkg)
					if err != nil {
						t.Fatal(err)
					}
					stepwise, err := batched.Verify(f, pkg)
					f.Close()
					if err != nil {
						t.Fatalf("%s: call by call: %v", pkg, err)
					}
					if diff := cmp.Diff(want, stepwise, opts); diff != "" {
						t.Errorf("%s, level %v: (-in process +call by call):\n%s", filepath.Base(pkg), cfg.Level, diff)
					}
				}
				// All packages in batches, two calls in flight.
				for i, r := range batched.VerifyFiles(pkgs, 2) {
					if r.Err != nil {
						t.Fatalf("%s: VerifyPackages: %v", pkgs[i], r.Err)
					}
					opts := resultOpts
					if diff := cmp.Diff(wants[i], r.Result, opts); diff != "" {
						t.Errorf("%s, level %v: (-in process +batched):\n%s", filepath.Base(pkgs[i]), cfg.Level, diff)
					}
				}
			}
			if n := remote.batch.Batched(); n != int64(4*len(pkgs)) {
				t.Errorf("%d packages went through VerifyPackages, want %d", n, 4*len(pkgs))
			}
		})
	}
}

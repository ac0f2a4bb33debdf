package verifytest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/verify"
	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestVerifyFilesInOrder: VerifyFiles with several workers gives, path by
// path and in order, what VerifyFile gives, including for a path that
// cannot be opened (a failed Result, not an error).
func TestVerifyFilesInOrder(t *testing.T) {
	b := newStrict(t, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	kr, _, err := core.LoadKeyring(b, filepath.Join(testutil.Fixtures(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(b, kr, core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(testutil.Fixtures(), "rpms", "*.rpm"))
	if err != nil || len(paths) < 10 {
		t.Fatalf("fixture packages: %d, %v", len(paths), err)
	}
	paths = append(paths[:3:3], append([]string{filepath.Join(t.TempDir(), "missing.rpm")}, paths[3:]...)...)
	for _, jobs := range []int{1, 3, 1000} {
		got := v.VerifyFiles(paths, jobs)
		if len(got) != len(paths) {
			t.Fatalf("jobs %d: %d results for %d paths", jobs, len(got), len(paths))
		}
		for i, p := range paths {
			want, werr := v.VerifyFile(p)
			if got[i].Path != p || (got[i].Err == nil) != (werr == nil) {
				t.Fatalf("jobs %d, %s: got path %s, error %v; want error %v", jobs, p, got[i].Path, got[i].Err, werr)
			}
			if diff := cmp.Diff(want, got[i].Result, cmpopts.IgnoreUnexported(core.Item{})); diff != "" {
				t.Errorf("jobs %d, %s (-VerifyFile +VerifyFiles):\n%s", jobs, filepath.Base(p), diff)
			}
		}
		if r := got[3].Result; r == nil || !r.OpenFailed || r.Error != "open failed: No such file or directory" {
			t.Errorf("jobs %d: missing file gave %+v", jobs, r)
		}
	}
}

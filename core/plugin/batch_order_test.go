package plugin

import (
	"fmt"
	"os"
	"testing"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestVerifyPackagesAnswerOrder: the backend process verifies the packages
// of one VerifyPackages call in parallel (server.parallelAnswers), and each
// package still gets its own answer, in request order, over several answer
// messages: the first package is slow, so that those after it are done
// first.
func TestVerifyPackagesAnswerOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmds := []string{"slow"}
	for i := 1; i < 40; i++ {
		cmds = append(cmds, fmt.Sprintf("n%02d", i))
	}
	var files []*os.File
	var paths, want []string
	for i, cmd := range cmds {
		p := commandPackage(t, dir, fmt.Sprintf("p%02d.rpm", i), cmd)
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		files, paths = append(files, f), append(paths, p)
		lint := "slow"
		if cmd != "slow" {
			lint = fmt.Sprintf("unknown command %q", cmd)
		}
		want = append(want, "package tag 268: invalid OpenPGP signature: "+lint)
	}
	c := openTest(t, LoadConfig{})
	rs, err := c.VerifyPackages(files, paths, core.NewKeyring(c), core.StrictDefaults())
	if err != nil || len(rs) != len(paths) {
		t.Fatalf("VerifyPackages = %d results, %v", len(rs), err)
	}
	for i, r := range rs {
		if r.Err != nil || r.Result == nil {
			t.Fatalf("package %d: %+v, %v", i, r.Result, r.Err)
		}
		if r.Result.Path != paths[i] {
			t.Errorf("package %d: result for %s, want %s", i, r.Result.Path, paths[i])
		}
		var got []string
		for _, it := range r.Result.Items {
			if it.Tag == 268 {
				got = append(got, it.Msg)
			}
		}
		if len(got) != 1 || got[0] != want[i] {
			t.Errorf("package %d: tag 268 items %q, want one %q", i, got, want[i])
		}
	}
	if n := c.batch.Batched(); n != int64(len(paths)) {
		t.Errorf("%d packages went through VerifyPackages, want %d", n, len(paths))
	}
}

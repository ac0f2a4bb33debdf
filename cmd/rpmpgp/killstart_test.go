package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/internal/testutil"
)

// TestKilledDuringStartLeavesNothing: rpmpgp killed (SIGKILL) 40 times at
// random moments of its start-up leaves, once the next run has started,
// nothing in $TMPDIR (the backends' socket directories of dead hosts are
// removed by the next start).
func TestKilledDuringStartLeavesNothing(t *testing.T) {
	unsigned := filepath.Join(testutil.Fixtures(), "rpms", "unsigned.rpm")
	tmp := t.TempDir()
	for i := range 40 {
		cmd := rpmpgpCmd(t, "checksig", unsigned)
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Spread over the start-up: from before the backend runs to after
		// the verdict.
		time.Sleep(time.Duration(rand.IntN(80)) * time.Millisecond * time.Duration(1+i%2))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	cmd := rpmpgpCmd(t, "checksig", unsigned)
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	rc, stdout, stderr := runExit(t, cmd)
	if want := unsigned + ": digests SIGNATURES NOT OK\n"; rc != 1 || stdout != want || stderr != "" {
		t.Fatalf("normal run: rc %d, stdout %q, stderr %q; want 1, %q", rc, stdout, stderr, want)
	}
	// The killed hosts' backends die with them (Pdeathsig); their last
	// moments may still create a socket, so look once they are gone.
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if len(left) != 0 {
		t.Errorf("left in $TMPDIR after 40 kills and one run: %v", left)
	}
}

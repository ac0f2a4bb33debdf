package tuning

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TestGC: without GOGC and GOMEMLIMIT in the environment, the collector
// target and the soft memory limit become BatchGCPercent and
// BatchMemoryLimit; values the environment chose are left alone.
func TestGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
	GC()
	if got := debug.SetGCPercent(100); got != BatchGCPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, BatchGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != BatchMemoryLimit {
		t.Errorf("without GOMEMLIMIT: memory limit %d, want %d", got, BatchMemoryLimit)
	}
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	GC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC=150: GC changed the GC percent to %d", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set: GC changed the memory limit to %d", got)
	}
}

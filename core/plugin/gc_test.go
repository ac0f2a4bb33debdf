package plugin

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: without GOGC in the environment the collector target becomes
// BatchGCPercent; an explicit GOGC is left alone.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv("GOGC", "") // restored after the test
	os.Unsetenv("GOGC")
	TuneGC()
	if got := debug.SetGCPercent(100); got != BatchGCPercent {
		t.Errorf("without GOGC: GC percent %d, want %d", got, BatchGCPercent)
	}
	t.Setenv("GOGC", "150")
	TuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC=150: TuneGC changed the GC percent to %d", got)
	}
}

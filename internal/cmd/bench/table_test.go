package main

import (
	"strings"
	"testing"
)

func TestSampleMedianBounds(t *testing.T) {
	for _, c := range []struct {
		s           sample
		med, lo, hi float64
	}{
		{nil, 0, 0, 0},
		{sample{3}, 3, 3, 3},
		{sample{5, 1, 3}, 3, 1, 5},
		{sample{4, 1, 3, 2}, 2.5, 1, 4},
	} {
		lo, hi := c.s.bounds()
		if got := c.s.median(); got != c.med || lo != c.lo || hi != c.hi {
			t.Errorf("%v: median %v [%v %v], want %v [%v %v]", c.s, got, lo, hi, c.med, c.lo, c.hi)
		}
	}
	s := sample{5, 1, 3}
	_ = s.median()
	if s[0] != 5 || s[1] != 1 {
		t.Errorf("median sorted its receiver: %v", s)
	}
}

func TestRatiosPerRound(t *testing.T) {
	// Ratios pair the rounds, skip a zero reference and stop at the
	// shorter sample.
	got := ratios(sample{2, 3, 8, 9}, sample{1, 0, 4})
	want := sample{2, 2}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ratios = %v, want %v", got, want)
	}
}

func TestTargetMet(t *testing.T) {
	for _, c := range []struct {
		t       target
		s       sample
		met, ok bool
	}{
		{target{limit: 0.5, unit: unitRatio}, sample{0.4, 0.6, 0.5}, true, true},
		{target{limit: 0.5, unit: unitRatio}, sample{0.4, 0.6, 0.7}, false, true},
		{target{atLeast: true, limit: 0.9, unit: unitRatio}, sample{0.95, 0.8, 0.9}, true, true},
		{target{atLeast: true, limit: 0.9, unit: unitRatio}, sample{0.85, 0.8, 0.95}, false, true},
		// Peak memory: the worst round counts, not the median.
		{target{limit: 64 << 20, unit: unitBytes, worst: true}, sample{10 << 20, 65 << 20, 20 << 20}, false, true},
		{target{limit: 64 << 20, unit: unitBytes, worst: true}, sample{10 << 20, 64 << 20}, true, true},
		{target{}, sample{1}, false, false},
		{target{limit: 1, unit: unitRatio}, nil, false, false},
	} {
		met, ok := c.t.met(c.s)
		if met != c.met || ok != c.ok {
			t.Errorf("%v met %v = %v, %v; want %v, %v", c.t, c.s, met, ok, c.met, c.ok)
		}
	}
}

func TestRowCells(t *testing.T) {
	r := row{
		workload: "w",
		ours:     sample{0.2, 0.3, 0.1},
		oursUnit: unitTime,
		refName:  "rpmkeys",
		ref:      sample{0.4, 0.3, 0.4},
		target:   target{limit: 0.5, unit: unitRatio},
	}
	want := []string{"w", "200.0 ms [100.0 ms - 300.0 ms]", "rpmkeys 400.0 ms [300.0 ms - 400.0 ms]", "0.50x [0.25x - 1.00x]", "<= 0.50x", "yes"}
	for i, c := range r.cells() {
		if c != want[i] {
			t.Errorf("cell %d = %q, want %q", i, c, want[i])
		}
	}
	// A row without reference checks its own values against an absolute
	// target; a row that could not run says so.
	r = row{workload: "m", ours: sample{70 << 20}, oursUnit: unitBytes, target: target{limit: 64 << 20, unit: unitBytes, worst: true}}
	if got := r.cells(); got[1] != "70.0 MiB" || got[3] != "-" || got[4] != "<= 64.0 MiB" || got[5] != "no" {
		t.Errorf("memory row = %q", got)
	}
	r.note = "sqv not installed"
	if got := r.cells(); got[1] != "sqv not installed" || got[5] != "n/a" {
		t.Errorf("absent row = %q", got)
	}
	var b strings.Builder
	writeTable(&b, []row{r})
	if !strings.Contains(b.String(), "sqv not installed") || !strings.Contains(b.String(), "MET?") {
		t.Errorf("table:\n%s", b.String())
	}
}

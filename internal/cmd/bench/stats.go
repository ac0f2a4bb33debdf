package main

import (
	"fmt"
	"slices"
	"time"
)

// sample is one quantity measured once per round (seconds, bytes or a
// ratio), in round order.
type sample []float64

// sorted returns a sorted copy of s.
func (s sample) sorted() sample {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// median is the middle value (the mean of the two middle ones for an even
// count); 0 for an empty sample.
func (s sample) median() float64 {
	if len(s) == 0 {
		return 0
	}
	c := s.sorted()
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

// bounds is the smallest and the largest value; 0, 0 for an empty sample.
func (s sample) bounds() (lo, hi float64) {
	if len(s) == 0 {
		return 0, 0
	}
	return slices.Min(s), slices.Max(s)
}

// ratios divides a by b round by round (a[i]/b[i]): ratios taken inside a
// round are steadier on a noisy machine than a ratio of two medians.
func ratios(a, b sample) sample {
	n := min(len(a), len(b))
	r := make(sample, 0, n)
	for i := range n {
		if b[i] != 0 {
			r = append(r, a[i]/b[i])
		}
	}
	return r
}

// seconds converts a duration to a sample value.
func seconds(d time.Duration) float64 { return d.Seconds() }

// fmtDuration renders seconds with a unit fitting their size.
func fmtDuration(s float64) string {
	switch {
	case s >= 10:
		return fmt.Sprintf("%.1f s", s)
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	default:
		return fmt.Sprintf("%.1f ms", s*1e3)
	}
}

// fmtMiB renders bytes in MiB.
func fmtMiB(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

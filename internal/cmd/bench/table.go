package main

import (
	"fmt"
	"io"

	"github.com/jedib0t/go-pretty/v6/table"
)

// unit says how a sample's values are shown.
type unit int

const (
	unitTime  unit = iota // seconds
	unitBytes             // bytes, shown in MiB
	unitRatio             // a dimensionless ratio, shown as "1.23x"
)

// format renders one value of the unit.
func (u unit) format(v float64) string {
	switch u {
	case unitBytes:
		return fmtMiB(v)
	case unitRatio:
		return fmt.Sprintf("%.2fx", v)
	default:
		return fmtDuration(v)
	}
}

// target is what a row must meet: the row's checked sample (its ratios if
// it has a reference, else its own values) compared with limit.
type target struct {
	atLeast bool    // the value must be >= limit (else <= limit)
	limit   float64 // in the checked sample's unit
	unit    unit
	worst   bool // compare the worst round, not the median (peak memory)
}

// String renders the target: "<= 0.50x", "<= 64.0 MiB".
func (t target) String() string {
	if t.limit == 0 {
		return "-"
	}
	op := "<="
	if t.atLeast {
		op = ">="
	}
	return op + " " + t.unit.format(t.limit)
}

// met reports whether s meets the target; ok is false when there is
// nothing to check.
func (t target) met(s sample) (met, ok bool) {
	if t.limit == 0 || len(s) == 0 {
		return false, false
	}
	v := s.median()
	if t.worst {
		lo, hi := s.bounds()
		v = hi
		if t.atLeast {
			v = lo
		}
	}
	if t.atLeast {
		return v >= t.limit, true
	}
	return v <= t.limit, true
}

// row is one line of the result table.
type row struct {
	workload string
	ours     sample // rpmpgp's values
	oursUnit unit
	refName  string // the reference's name, "" for none
	ref      sample // the reference's values, same unit as ours
	target   target
	note     string // shown instead of the values when the row could not be measured
}

// checked is the sample the target applies to: per-round ratios when the
// row has a reference and the target is a ratio, else rpmpgp's values.
func (r row) checked() sample {
	if r.target.unit == unitRatio && len(r.ref) > 0 && r.oursUnit != unitRatio {
		return ratios(r.ours, r.ref)
	}
	return r.ours
}

// spread renders a sample's median and range: "1.23x [1.10-1.40]".
func spread(s sample, u unit) string {
	if len(s) == 0 {
		return "-"
	}
	if len(s) == 1 {
		return u.format(s[0])
	}
	lo, hi := s.bounds()
	return fmt.Sprintf("%s [%s - %s]", u.format(s.median()), u.format(lo), u.format(hi))
}

// cells renders the row: workload, rpmpgp, reference, ratio, target, met?.
func (r row) cells() table.Row {
	if r.note != "" {
		return table.Row{r.workload, r.note, "", "", r.target.String(), "n/a"}
	}
	ref, ratio := "-", "-"
	if r.refName != "" {
		ref = r.refName + " " + spread(r.ref, r.oursUnit)
		ratio = spread(ratios(r.ours, r.ref), unitRatio)
	}
	met := "-"
	if m, ok := r.target.met(r.checked()); ok {
		met = "no"
		if m {
			met = "yes"
		}
	}
	return table.Row{r.workload, spread(r.ours, r.oursUnit), ref, ratio, r.target.String(), met}
}

// writeTable prints the rows as one table.
func writeTable(w io.Writer, rows []row) {
	t := table.NewWriter()
	t.SetOutputMirror(w)
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"workload", "rpmpgp", "reference", "ratio (median [range])", "target", "met?"})
	for _, r := range rows {
		t.AppendRow(r.cells())
	}
	t.Render()
}

package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Classes of a mutant's comparison with rpm 4.18.
const (
	classSame       = "identical"
	classRegistered = "registered"
	classMessage    = "message"
	classVerdict    = "verdict"
)

// counts is a row of the report.
type counts struct {
	mutants int
	class   map[string]int
	// strictAccepts counts, per backend, mutants the strict backend
	// passed; covered ones (signed or digested bytes changed) are errors.
	strictAccepts map[string]int
}

func newCounts() *counts {
	return &counts{class: map[string]int{}, strictAccepts: map[string]int{}}
}

// finding is a mutant with an unregistered difference or a strict accept.
type finding struct {
	id    string
	what  string
	diffs []Diff
}

// report collects the sweep's results.
type report struct {
	strict   []string
	byPkg    map[string]*counts
	byRegion map[Region]*counts
	total    *counts
	// findings are the failures of the run; registered lists the
	// differences registered exceptions excluded (shown with -v).
	findings   []finding
	registered []finding
	stale      []*Exception
	// verdictDiffs and messageDiffs count mutants with differences
	// before exceptions are applied.
	verdictDiffs, messageDiffs int
}

func newReport(strict []string) *report {
	return &report{strict: strict, byPkg: map[string]*counts{}, byRegion: map[Region]*counts{}, total: newCounts()}
}

func (r *report) row(pkg string, region Region) []*counts {
	if r.byPkg[pkg] == nil {
		r.byPkg[pkg] = newCounts()
	}
	if r.byRegion[region] == nil {
		r.byRegion[region] = newCounts()
	}
	return []*counts{r.total, r.byPkg[pkg], r.byRegion[region]}
}

// add records one mutant's result.
func (r *report) add(res *result, diffs []Diff, rules []*Exception) {
	m := res.m
	class := classSame
	var open []Diff
	for _, d := range diffs {
		if e := explain(rules, d, m.Pkg.Name, m.Region, m.ID()); e != nil && d.Stream != StreamVerdict {
			e.Hits++
			continue
		}
		open = append(open, d)
	}
	switch {
	case isVerdict(diffs):
		class = classVerdict
		r.verdictDiffs++
	case len(open) > 0:
		class = classMessage
		r.messageDiffs++
	case len(diffs) > 0:
		class = classRegistered
		r.messageDiffs++
	}
	for _, c := range r.row(m.Pkg.Name, m.Region) {
		c.mutants++
		c.class[class]++
		for b, fail := range res.strict {
			if !fail {
				c.strictAccepts[b]++
			}
		}
	}
	if len(open) > 0 {
		r.findings = append(r.findings, finding{id: m.ID() + " (" + string(m.Region) + ")", what: "differs from rpmkeys 4.18", diffs: open})
	} else if len(diffs) > 0 {
		r.registered = append(r.registered, finding{id: m.ID(), what: "registered", diffs: diffs})
	}
	if m.Region.covered() {
		for _, b := range r.strict {
			if !res.strict[b] {
				r.findings = append(r.findings, finding{id: m.ID() + " (" + string(m.Region) + ")", what: "strict backend " + b + " passed a package whose signed or digested bytes changed"})
			}
		}
	}
}

// addCase records a special case (not a mutant).
func (r *report) addCase(name string, diffs []Diff, rules []*Exception) {
	var open []Diff
	for _, d := range diffs {
		if e := explain(rules, d, "", "", "case:"+name); e != nil && d.Stream != StreamVerdict {
			e.Hits++
			continue
		}
		open = append(open, d)
	}
	if isVerdict(diffs) {
		r.verdictDiffs++
	} else if len(diffs) > 0 {
		r.messageDiffs++
	}
	if len(open) > 0 {
		r.findings = append(r.findings, finding{id: "case:" + name, what: "differs from rpmkeys 4.18", diffs: open})
	} else if len(diffs) > 0 {
		r.registered = append(r.registered, finding{id: "case:" + name, what: "registered", diffs: diffs})
	}
}

// ok reports whether the run passed.
func (r *report) ok() bool { return len(r.findings) == 0 && len(r.stale) == 0 }

var classes = []string{classSame, classRegistered, classMessage, classVerdict}

func (r *report) write(w io.Writer, rules []*Exception, verbose bool) {
	head := fmt.Sprintf("%-16s %8s", "", "mutants")
	for _, c := range classes {
		head += fmt.Sprintf(" %10s", c)
	}
	for _, b := range r.strict {
		head += fmt.Sprintf(" %10s", b+"-ok")
	}
	fmt.Fprintln(w, "internal-legacy vs rpmkeys 4.18 (-Kv and -K), and strict accepts (-ok: mutants that verified):")
	fmt.Fprintln(w, head)
	line := func(name string, c *counts) {
		s := fmt.Sprintf("%-16s %8d", name, c.mutants)
		for _, cl := range classes {
			s += fmt.Sprintf(" %10d", c.class[cl])
		}
		for _, b := range r.strict {
			s += fmt.Sprintf(" %10d", c.strictAccepts[b])
		}
		fmt.Fprintln(w, s)
	}
	for _, p := range sortedKeys(r.byPkg) {
		line(p, r.byPkg[p])
	}
	for _, reg := range sortedKeys(r.byRegion) {
		line(string(reg), r.byRegion[reg])
	}
	line("total", r.total)
	fmt.Fprintf(w, "before exceptions: %d verdict differences, %d message differences\n", r.verdictDiffs, r.messageDiffs)
	for _, e := range rules {
		fmt.Fprintf(w, "exception line %d (%s %s): %d differences: %s\n", e.Line, e.Scope, e.Stream, e.Hits, e.Reason)
	}
	if verbose {
		for _, f := range r.registered {
			fmt.Fprintf(w, "registered %s:\n", f.id)
			for _, d := range f.diffs {
				fmt.Fprintf(w, "    %v\n", d)
			}
		}
	}
	// Findings with the same differences are listed once, with a few of
	// their mutants.
	groups := map[string][]finding{}
	var order []string
	for _, f := range r.findings {
		key := f.what
		for _, d := range f.diffs {
			key += "\x00" + d.String()
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], f)
	}
	for _, key := range order {
		g := groups[key]
		ids := make([]string, 0, 4)
		for _, f := range g[:min(len(g), 4)] {
			ids = append(ids, f.id)
		}
		more := ""
		if len(g) > 4 {
			more = fmt.Sprintf(" and %d more", len(g)-4)
		}
		fmt.Fprintf(w, "FAIL %s: %s%s\n", g[0].what, strings.Join(ids, ", "), more)
		for _, d := range g[0].diffs {
			fmt.Fprintf(w, "    %v\n", d)
			fmt.Fprintf(w, "    registry form: %s\t%s\t%s\n", d.Stream, escape(d.RPM), escape(d.Ours))
		}
	}
	for _, e := range r.stale {
		fmt.Fprintf(w, "FAIL stale exception at line %d (%s %s): it matched no difference\n", e.Line, e.Scope, e.Stream)
	}
	if r.ok() {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintf(w, "FAIL: %d findings, %d stale exceptions\n", len(r.findings), len(r.stale))
	}
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Compare(string(out[i]), string(out[j])) < 0 })
	return out
}

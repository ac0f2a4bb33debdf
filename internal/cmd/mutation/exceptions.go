package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Exception registers one known difference between rpm 4.18 and the
// legacy backend that is not fixed, with its reason. It excludes a
// difference only if all of these match exactly: the scope (which mutants),
// the stream, rpm's lines and ours. A rule names the very text on both
// sides; the only placeholders are <addr> in rpm's text, for the C pointer
// rpm 4.18 prints with %p (it changes from run to run), and <n>, a number
// bound to the same value on both sides (see textsMatch).
type Exception struct {
	// Line is the rule's line in the file (for messages).
	Line int
	// Scope selects mutants: "*", "<package>", "<package>@<region>",
	// "*@<region>" or one mutant's ID ("<package>@<offset>:<op>"); the
	// special cases use their own names ("case:<name>").
	Scope  string
	Stream Stream
	// RPM and Ours are the differing lines as in [Diff] ("\n" written as
	// the two characters \n in the file).
	RPM, Ours string
	Reason    string
	// Hits counts the differences the rule excluded in this run.
	Hits int
}

// parseExceptions reads the registry: tab-separated scope, stream, rpm,
// ours, reason; "#" starts a comment line; the first line is the header.
func parseExceptions(r io.Reader) ([]*Exception, error) {
	var out []*Exception
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n, header := 0, false
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if !header {
			if strings.Join(f, ",") != "scope,stream,rpm,ours,reason" {
				return nil, fmt.Errorf("line %d: header %q, want scope, stream, rpm, ours, reason", n, line)
			}
			header = true
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", n, len(f))
		}
		e := &Exception{Line: n, Scope: f[0], Stream: Stream(f[1]), RPM: unescape(f[2]), Ours: unescape(f[3]), Reason: f[4]}
		switch e.Stream {
		case StreamStdout, StreamStderr, StreamSummary:
		case StreamVerdict:
			return nil, fmt.Errorf("line %d: verdict differences cannot be registered", n)
		default:
			return nil, fmt.Errorf("line %d: unknown stream %q", n, f[1])
		}
		if e.Scope == "" || strings.TrimSpace(e.Reason) == "" {
			return nil, fmt.Errorf("line %d: scope and reason are required", n)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, fmt.Errorf("no header line")
	}
	return out, nil
}

func unescape(s string) string { return strings.ReplaceAll(s, `\n`, "\n") }

// escape writes a diff side the way the registry spells it.
func escape(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

// scopeMatches reports whether scope selects the mutant (or case) id.
func scopeMatches(scope string, pkg string, region Region, id string) bool {
	switch {
	case scope == "*" || scope == id || scope == pkg:
		return true
	case scope == pkg+"@"+string(region) || scope == "*@"+string(region):
		return region != ""
	}
	return false
}

// explain returns the rule that registers d for the mutant, or nil.
func explain(rules []*Exception, d Diff, pkg string, region Region, id string) *Exception {
	for _, e := range rules {
		if e.Stream == d.Stream && textsMatch(e.RPM, e.Ours, d.RPM, d.Ours) && scopeMatches(e.Scope, pkg, region, id) {
			return e
		}
	}
	return nil
}

// The placeholders of the registry's texts.
const (
	addrToken = "<addr>" // rpm's side only: a C pointer printed with %p
	numToken  = "<n>"    // a decimal number, the same on both sides
)

// textsMatch reports whether a difference (rpm, ours) is the rule's pair
// (ruleRPM, ruleOurs): exact text, except that <addr> in rpm's text stands
// for one pointer ("0x" and hex digits, or "(nil)") and each <n> for a
// number that must be the same, in order, on both sides.
func textsMatch(ruleRPM, ruleOurs, rpm, ours string) bool {
	if !strings.Contains(ruleRPM, "<") {
		return ruleRPM == rpm && ruleOurs == ours
	}
	pat := regexp.QuoteMeta(ruleRPM)
	pat = strings.ReplaceAll(pat, regexp.QuoteMeta(addrToken), `(?:0x[0-9a-f]+|\(nil\))`)
	pat = strings.ReplaceAll(pat, regexp.QuoteMeta(numToken), `([0-9]+)`)
	m := regexp.MustCompile("^" + pat + "$").FindStringSubmatch(rpm)
	if m == nil {
		return false
	}
	want := ruleOurs
	for _, n := range m[1:] {
		want = strings.Replace(want, numToken, n, 1)
	}
	return want == ours
}

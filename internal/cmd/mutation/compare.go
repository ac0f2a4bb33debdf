package main

import (
	"fmt"
	"strings"
)

// Stream names a compared part of the output.
type Stream string

// The compared streams.
const (
	StreamStdout  Stream = "stdout"   // -Kv stdout
	StreamStderr  Stream = "stderr"   // -Kv stderr
	StreamSummary Stream = "stdout-K" // -K stdout (the one-line summary)
	StreamVerdict Stream = "verdict"  // pass or fail: the exit status of a run on this package alone
)

// Diff is one difference between rpm 4.18 and the legacy backend. RPM and
// Ours are the differing lines (the common leading and trailing lines cut
// off), the package's path replaced by "<file>".
type Diff struct {
	Stream    Stream
	RPM, Ours string
}

func (d Diff) String() string {
	return fmt.Sprintf("%s: rpm %q, ours %q", d.Stream, d.RPM, d.Ours)
}

// record is one verifier's result for one package.
type record struct {
	kv, k output
	fail  bool
}

// pathToken stands for the package's path in diffs and in the exceptions.
const pathToken = "<file>"

// compare returns the differences between rpm's and our records of the
// package at path.
func compare(rpm, ours record, path string) []Diff {
	var out []Diff
	text := func(s Stream, a, b string) {
		if a == b {
			return
		}
		a, b = strings.ReplaceAll(a, path, pathToken), strings.ReplaceAll(b, path, pathToken)
		ra, rb := differingLines(a, b)
		out = append(out, Diff{Stream: s, RPM: ra, Ours: rb})
	}
	text(StreamStdout, rpm.kv.Stdout, ours.kv.Stdout)
	text(StreamStderr, rpm.kv.Stderr, ours.kv.Stderr)
	text(StreamSummary, rpm.k.Stdout, ours.k.Stdout)
	if rpm.fail != ours.fail {
		out = append(out, Diff{Stream: StreamVerdict, RPM: verdictName(rpm.fail), Ours: verdictName(ours.fail)})
	}
	return out
}

func verdictName(fail bool) string {
	if fail {
		return "fail"
	}
	return "pass"
}

// differingLines cuts the lines a and b have in common at the start and
// at the end and returns the rest of each.
func differingLines(a, b string) (string, string) {
	la, lb := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	j := 0
	for j < len(la)-i && j < len(lb)-i && la[len(la)-1-j] == lb[len(lb)-1-j] {
		j++
	}
	return strings.Join(la[i:len(la)-j], ""), strings.Join(lb[i:len(lb)-j], "")
}

// isVerdict reports whether diffs hold a verdict difference.
func isVerdict(diffs []Diff) bool {
	for _, d := range diffs {
		if d.Stream == StreamVerdict {
			return true
		}
	}
	return false
}

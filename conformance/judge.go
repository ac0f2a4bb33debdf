package conformance

import (
	"fmt"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/core"
)

// Cell statuses, from best to worst.
const (
	StatusAgree       = "agree"       // matches the expectation (or the other verifiers)
	StatusInfo        = "info"        // ran, but there is nothing to compare it with
	StatusNA          = "n-a"         // the verifier does not support the case
	StatusExplained   = "explained"   // differs; a registry entry explains why
	StatusUnexplained = "unexplained" // differs and nothing explains it: the run fails
)

// classComparer is implemented by verifiers whose verdicts are compared
// only at the accept/reject level (the OpenPGP tools, which cannot tell
// NOKEY from BAD reliably and check only a package's header signature).
type classComparer interface{ comparesByClass() bool }

func (Sqv) comparesByClass() bool  { return true }
func (SOP) comparesByClass() bool  { return true }
func (Gpgv) comparesByClass() bool { return true }

func byClass(v Verifier) bool {
	cc, ok := v.(classComparer)
	return ok && cc.comparesByClass()
}

// expectationFor returns the cases.tsv expectation that applies to a
// verifier of the given profile ("" = none).
func expectationFor(c *corpus.Case, profile core.Profile) string {
	if profile == core.ProfileLegacy {
		return c.ExpectLegacy
	}
	return c.ExpectStrict
}

// vectorClass maps an openpgp-vectors expected class to accept/reject for a
// profile: legacy-weak verifies only under the legacy profile.
func vectorClass(expected string, profile core.Profile) string {
	switch expected {
	case corpus.ExpectValid:
		return "accept"
	case corpus.ExpectLegacyWeak:
		if profile == core.ProfileLegacy {
			return "accept"
		}
	}
	return "reject"
}

// judge compares one outcome with the case's expectation for the
// verifier. It returns what was expected (for reports), the differences,
// and whether anything was compared at all.
func judge(c *corpus.Case, v Verifier, o Outcome) (expected string, problems []string, compared bool) {
	if o.Verdict == VerdictNA {
		return "", nil, false
	}
	profile := v.Profile()
	switch {
	case c.ExpectStrict != "" || c.ExpectLegacy != "":
		raw := expectationFor(c, profile)
		exp, err := ParseExpectation(c.Kind, raw)
		if err != nil {
			return raw, []string{"bad expectation: " + err.Error()}, true
		}
		if byClass(v) {
			return judgeByClass(c, exp, o)
		}
		return raw, diffExact(c.Kind, exp, o), true
	case c.Expected != "":
		want := vectorClass(c.Expected, profile)
		expected = fmt.Sprintf("%s (%s)", want, c.Expected)
		if got := class(o.Verdict); got != want {
			problems = append(problems, fmt.Sprintf("verdict %s is %s, expected %s for %s profile (%s)", o.Verdict, got, want, profile, c.Expected))
		}
		if code, ok := c.Observed[v.Name()]; ok && byClass(v) && code != o.ExitCode {
			problems = append(problems, fmt.Sprintf("exit code %d differs from the manifest's observed %s=%d", o.ExitCode, v.Name(), code))
		}
		return expected, problems, true
	}
	return "", nil, false
}

// diffExact compares a full outcome (our backends, rpmkeys) with a
// cases.tsv expectation: verdict, items (NOTFOUND dropped on both sides),
// unreadable, and the keyring content of key rows.
func diffExact(kind corpus.Kind, exp Expectation, o Outcome) []string {
	var p []string
	if o.Verdict != exp.Verdict {
		p = append(p, fmt.Sprintf("verdict: want %s, got %s", exp.Verdict, o.Verdict))
	}
	switch kind {
	case corpus.KindPackage:
		if o.Verdict == VerdictError {
			break
		}
		switch {
		case exp.Unreadable && !o.Unreadable:
			p = append(p, "items: want unreadable, got "+FormatItems(o.Items))
		case !exp.Unreadable && o.Unreadable:
			p = append(p, "items: want "+FormatItems(exp.Items)+", got unreadable")
		case !exp.Unreadable:
			p = append(p, diffItems(exp.Items, o.Items)...)
		}
	case corpus.KindKey:
		if o.Keys != "" && o.Keys != exp.Keys {
			p = append(p, fmt.Sprintf("keys: want %s, got %s", exp.Keys, o.Keys))
		}
	}
	return p
}

// judgeByClass compares an OpenPGP tool's verdict with the expectation at
// the accept/reject level: detached rows directly, packages through the
// expected result of the header-only signature the tool checked.
func judgeByClass(c *corpus.Case, exp Expectation, o Outcome) (string, []string, bool) {
	want := exp.Verdict
	if c.Kind == corpus.KindPackage {
		if exp.Unreadable {
			return "unreadable", nil, false
		}
		name, res, ok := headerSigItem(exp.Items)
		if !ok {
			return "", nil, false
		}
		if _, checked := o.Items[name]; !checked && o.Verdict != VerdictError {
			return name + "=" + res, nil, false // the tool checked another tag
		}
		want = name + "=" + res
		if class(o.Verdict) != class(res) {
			return want, []string{fmt.Sprintf("header signature: want %s (%s), got %s (%s)", res, class(res), o.Verdict, class(o.Verdict))}, true
		}
		return want, nil, true
	}
	if class(o.Verdict) != class(want) {
		return want, []string{fmt.Sprintf("verdict: want %s (%s), got %s (%s)", want, class(want), o.Verdict, class(o.Verdict))}, true
	}
	return want, nil, true
}

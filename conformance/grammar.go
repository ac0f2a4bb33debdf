package conformance

import (
	"fmt"
	"maps"
	"slices"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
	"github.com/rpmpgp/rpmpgp/internal/casefile"
)

// Verdict words used in outcomes beyond rpm's OK/BAD/NOKEY/NOTTRUSTED/NOTFOUND.
const (
	VerdictParseFail = casefile.VerdictParseFail // the signature or input did not parse
	VerdictError     = "error"                   // the verifier crashed, timed out or could not run
	VerdictNA        = "n-a"                     // the verifier does not support the case
	VerdictPass      = casefile.VerdictPass      // package kind: rpmkeys -K exit status 0
	VerdictFail      = casefile.VerdictFail      // package kind: non-zero exit; key kind: import failed
)

// Expectation is one parsed cases.tsv expectation column (expect_strict,
// expect_legacy or observed_rpm418); the grammar lives in internal/casefile,
// the one reader of cases.tsv.
type Expectation = casefile.Expectation

// ParseExpectation parses one expectation column of a cases.tsv row of the
// given kind, following CASES-FORMAT.md exactly. Unknown fields are errors.
func ParseExpectation(kind corpus.Kind, s string) (Expectation, error) {
	return casefile.ParseExpectation(string(kind), s)
}

// ParseItems parses the ITEMS grammar: "ITEM=RESULT,..." or "unreadable"
// (returned as a nil map).
func ParseItems(s string) (map[string]string, error) { return casefile.ParseItems(s) }

// FormatItems renders items in the ITEMS grammar, sorted by name (the
// comparison ignores order). A nil map renders as "unreadable".
func FormatItems(items map[string]string) string { return casefile.FormatItems(items) }

// withoutNotFound returns items minus every NOTFOUND pair (CASES-FORMAT.md:
// a harness may drop them on both sides before comparing).
func withoutNotFound(items map[string]string) map[string]string {
	if items == nil {
		return nil
	}
	out := make(map[string]string, len(items))
	for k, v := range items {
		if v != "NOTFOUND" {
			out[k] = v
		}
	}
	return out
}

// diffItems lists the item differences between want and got, NOTFOUND
// pairs dropped on both sides, in item order.
func diffItems(want, got map[string]string) []string {
	w, g := withoutNotFound(want), withoutNotFound(got)
	names := map[string]bool{}
	for k := range w {
		names[k] = true
	}
	for k := range g {
		names[k] = true
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(names)) {
		wv, gv := w[k], g[k]
		if wv == gv {
			continue
		}
		if wv == "" {
			wv = "absent"
		}
		if gv == "" {
			gv = "absent"
		}
		out = append(out, fmt.Sprintf("%s: want %s, got %s", k, wv, gv))
	}
	return out
}

// headerSigItem returns the header-only signature item of a package
// expectation (HeaderSig@268 or @267, whichever is not NOTFOUND) and its
// result; ok is false when there is none.
func headerSigItem(items map[string]string) (name, result string, ok bool) {
	for _, n := range []string{"HeaderSig@268", "HeaderSig@267"} {
		if v, found := items[n]; found && v != "NOTFOUND" {
			return n, v, true
		}
	}
	return "", "", false
}

package casefile

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Verdict words of the expectation columns.
const (
	VerdictPass      = "pass"       // package: pkg=pass or rc=0
	VerdictFail      = "fail"       // package: pkg=fail or rc!=0; fingerprint: none
	VerdictParseFail = "parse-fail" // sigparse, detached: the input did not parse
)

// Expectation is one parsed expectation column (expect_strict,
// expect_legacy or observed_rpm418), normalised to the fields that are
// compared.
type Expectation struct {
	// Raw is the column text.
	Raw string `json:"raw"`
	// Verdict is "pass"/"fail" (package), the import= value (key), or the
	// whole column (fingerprint, sigparse, detached).
	Verdict string `json:"verdict"`
	// Items are the package items (ITEM -> RESULT); nil for other kinds.
	Items map[string]string `json:"items,omitempty"`
	// Unreadable is set when a package expectation is "unreadable".
	Unreadable bool `json:"unreadable,omitempty"`
	// Lint is the advisory lint keyword of key rows.
	Lint string `json:"lint,omitempty"`
	// Keys is the keys= field of key rows ("-" = none).
	Keys string `json:"keys,omitempty"`
}

// Canonical renders a package expectation for order-insensitive
// comparison: the items sorted by name (or "unreadable"), then ";pkg=" and
// the verdict, so that "rc=0" and "pkg=pass" compare equal.
func (e Expectation) Canonical() string {
	return FormatItems(e.Items) + ";pkg=" + e.Verdict
}

var validResults = map[string]bool{"OK": true, "BAD": true, "NOKEY": true, "NOTTRUSTED": true, "NOTFOUND": true}

// ValidResult reports whether s is an item RESULT of the grammar: OK, BAD,
// NOKEY, NOTTRUSTED or NOTFOUND.
func ValidResult(s string) bool { return validResults[s] }

// ParseExpectation parses one expectation column of a row of the given
// kind, following CASES-FORMAT.md exactly. Unknown fields are errors.
func ParseExpectation(kind, s string) (Expectation, error) {
	e := Expectation{Raw: s}
	switch kind {
	case KindPackage:
		parts := strings.Split(s, ";")
		items, err := ParseItems(parts[0])
		if err != nil {
			return e, err
		}
		if items == nil {
			e.Unreadable = true
		} else {
			e.Items = items
		}
		for _, p := range parts[1:] {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				return e, fmt.Errorf("bad field %q", p)
			}
			switch k {
			case "pkg":
				if v != VerdictPass && v != VerdictFail {
					return e, fmt.Errorf("bad pkg=%q", v)
				}
				e.Verdict = v
			case "rc":
				if v == "0" {
					e.Verdict = VerdictPass
				} else {
					e.Verdict = VerdictFail
				}
			case "imports":
			default:
				return e, fmt.Errorf("unknown field %q", k)
			}
		}
		if e.Verdict == "" {
			return e, fmt.Errorf("missing pkg= or rc= in %q", s)
		}
	case KindKey:
		for _, p := range strings.Split(s, ";") {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				return e, fmt.Errorf("bad field %q", p)
			}
			switch k {
			case "import":
				if v != "ok" && v != "fail" && v != "nottrusted" {
					return e, fmt.Errorf("bad import=%q", v)
				}
				e.Verdict = v
			case "lint":
				e.Lint = v
			case "keys":
				e.Keys = v
			case "rc", "imports":
			default:
				return e, fmt.Errorf("unknown field %q", k)
			}
		}
		if e.Verdict == "" || e.Keys == "" {
			return e, fmt.Errorf("missing import= or keys= in %q", s)
		}
	case KindFingerprint:
		if s != VerdictFail && !isLowerHex(s) {
			return e, fmt.Errorf("bad fingerprint expectation %q", s)
		}
		e.Verdict = s
	case KindSigParse:
		if s != "OK" && s != VerdictParseFail {
			return e, fmt.Errorf("bad sigparse expectation %q", s)
		}
		e.Verdict = s
	case KindDetached:
		if s != VerdictParseFail && (!validResults[s] || s == "NOTFOUND") {
			return e, fmt.Errorf("bad detached expectation %q", s)
		}
		e.Verdict = s
	default:
		return e, fmt.Errorf("kind %q has no cases.tsv grammar", kind)
	}
	return e, nil
}

// ParseItems parses the ITEMS grammar: "ITEM=RESULT,..." or "unreadable"
// (returned as a nil map).
func ParseItems(s string) (map[string]string, error) {
	if s == "unreadable" {
		return nil, nil
	}
	items := map[string]string{}
	for _, p := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(p, "=")
		if !ok || !validItem(k) || !validResults[v] {
			return nil, fmt.Errorf("bad item %q", p)
		}
		if _, dup := items[k]; dup {
			return nil, fmt.Errorf("duplicate item %q", k)
		}
		items[k] = v
	}
	return items, nil
}

var plainItems = map[string]bool{
	"HeaderSHA1": true, "HeaderSHA256": true, "HeaderSHA3-256": true,
	"PayloadSHA256": true, "PayloadSHA256ALT": true, "PayloadSHA512": true,
	"PayloadSHA512ALT": true, "PayloadSHA3-256": true, "PayloadSHA3-256ALT": true,
	"MD5": true,
}

// validItem checks an ITEM name: a digest name, HeaderSig@267/268/278[#i]
// or LegacySig@1002/1005.
func validItem(s string) bool {
	if plainItems[s] {
		return true
	}
	switch s {
	case "HeaderSig@267", "HeaderSig@268", "HeaderSig@278", "LegacySig@1002", "LegacySig@1005":
		return true
	}
	if rest, ok := strings.CutPrefix(s, "HeaderSig@278#"); ok && rest != "" && rest[0] != '0' {
		for _, r := range rest {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	return false
}

func isLowerHex(s string) bool {
	if len(s) == 0 || len(s)%2 != 0 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// FormatItems renders items in the ITEMS grammar, sorted by name (the
// comparison ignores order). A nil map renders as "unreadable".
func FormatItems(items map[string]string) string {
	if items == nil {
		return "unreadable"
	}
	keys := slices.Sorted(maps.Keys(items))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + items[k]
	}
	return strings.Join(parts, ",")
}

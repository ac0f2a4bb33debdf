// Package casefile reads the cases.tsv grammar shared by the third-party
// rpm-testsuite corpus (rpm-testsuite/CASES-FORMAT.md) and the project's own
// testdata/fixtures.tsv.
package casefile

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Case is one row.
type Case struct {
	ID, Kind     string
	Inputs       []string
	Keyring      []string
	ExpectStrict string
	ExpectLegacy string
	Observed418  string
	Notes        string
	Line         int
}

// maxLine bounds one row.
const maxLine = 1 << 20

// Read parses a cases file: a header line, '#' comments, 8 TAB-separated
// columns, "-" for none.
func Read(r io.Reader) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var out []Case
	n := 0
	header := false
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !header {
			header = true
			if !strings.HasPrefix(line, "case_id\t") {
				return nil, fmt.Errorf("line %d: expected the header line", n)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 8 {
			return nil, fmt.Errorf("line %d: %d columns, want 8", n, len(f))
		}
		list := func(s string) []string {
			if s == "-" {
				return nil
			}
			return strings.Split(s, ";")
		}
		out = append(out, Case{ID: f[0], Kind: f[1], Inputs: list(f[2]), Keyring: list(f[3]),
			ExpectStrict: f[4], ExpectLegacy: f[5], Observed418: f[6], Notes: f[7], Line: n})
	}
	return out, sc.Err()
}

// PackageExpect is a parsed package expectation: "ITEMS;pkg=pass|fail".
type PackageExpect struct {
	Items map[string]string // item name -> result; nil for "unreadable"
	Order []string
	Pass  bool
}

// ParsePackage parses expect_strict / expect_legacy of a package row (and
// observed_rpm418, whose ";rc=N" replaces ";pkg=").
func ParsePackage(s string) (PackageExpect, error) {
	var pe PackageExpect
	parts := strings.Split(s, ";")
	if len(parts) < 2 {
		return pe, fmt.Errorf("package expectation %q: missing ;pkg=", s)
	}
	switch {
	case parts[1] == "pkg=pass" || parts[1] == "rc=0":
		pe.Pass = true
	case parts[1] == "pkg=fail" || strings.HasPrefix(parts[1], "rc="):
	default:
		return pe, fmt.Errorf("package expectation %q: bad verdict %q", s, parts[1])
	}
	if parts[0] == "unreadable" {
		return pe, nil
	}
	pe.Items = map[string]string{}
	for _, kv := range strings.Split(parts[0], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return pe, fmt.Errorf("package expectation %q: bad item %q", s, kv)
		}
		pe.Items[k] = v
		pe.Order = append(pe.Order, k)
	}
	return pe, nil
}

// Canonical renders items sorted by name, for order-insensitive comparison.
func (pe PackageExpect) Canonical() string {
	if pe.Items == nil {
		return "unreadable"
	}
	keys := make([]string, 0, len(pe.Items))
	for k := range pe.Items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k + "=" + pe.Items[k])
	}
	if pe.Pass {
		b.WriteString(";pkg=pass")
	} else {
		b.WriteString(";pkg=fail")
	}
	return b.String()
}

package conformance

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// casesHeader is the exact header line of the cases.tsv grammar.
var casesHeader = []string{"case_id", "kind", "inputs", "keyring", "expect_strict", "expect_legacy", "observed_rpm418", "notes"}

// ReadCasesTSV reads a file in the cases.tsv grammar
// (shared/corpus/rpm-testsuite/CASES-FORMAT.md; also the project's
// testdata/fixtures.tsv). Paths are resolved relative to the file's folder.
// source names the corpus in the report (SourceFixtures, SourceRPMTestsuite).
// Every row is validated: 8 non-empty columns, a known kind, inputs that fit
// the kind, and expectation columns that parse; the first error aborts with
// file:line.
func ReadCasesTSV(path, source string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir := filepath.Dir(path)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var cases []Case
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != strings.Join(casesHeader, "\t") {
				return nil, fmt.Errorf("%s:1: header is not the cases.tsv header %q", path, strings.Join(casesHeader, " "))
			}
			continue
		}
		if strings.HasPrefix(text, "#") {
			continue
		}
		c, err := parseCaseRow(dir, text)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, fmt.Errorf("%s:%d: duplicate case_id %q (first on line %d)", path, line, c.ID, prev)
		}
		seen[c.ID] = line
		c.Source, c.File, c.Line = source, path, line
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%s: empty file (no header)", path)
	}
	return cases, nil
}

func parseCaseRow(dir, text string) (Case, error) {
	f := strings.Split(text, "\t")
	if len(f) != len(casesHeader) {
		return Case{}, fmt.Errorf("%d columns, want %d", len(f), len(casesHeader))
	}
	for i, v := range f {
		if v == "" {
			return Case{}, fmt.Errorf("empty %s column (use -)", casesHeader[i])
		}
	}
	c := Case{ID: f[0], Kind: Kind(f[1]), Notes: dash(f[7])}
	inputs := strings.Split(f[2], ";")
	switch c.Kind {
	case KindPackage, KindKey, KindFingerprint, KindSigParse:
		if len(inputs) != 1 || inputs[0] == "-" {
			return c, fmt.Errorf("kind %s takes exactly one input, got %q", c.Kind, f[2])
		}
		c.Input = joinPath(dir, inputs[0])
	case KindDetached:
		if len(inputs) != 2 {
			return c, fmt.Errorf("kind detached takes <sig>;<data>, got %q", f[2])
		}
		c.Input = joinPath(dir, inputs[0])
		d, err := parseData(dir, inputs[1])
		if err != nil {
			return c, err
		}
		c.Data = &d
	default:
		return c, fmt.Errorf("unknown kind %q", f[1])
	}
	if f[3] != "-" {
		for _, k := range strings.Split(f[3], ";") {
			if k == "" {
				return c, fmt.Errorf("empty keyring entry in %q", f[3])
			}
			c.Keyring = append(c.Keyring, joinPath(dir, k))
		}
	}
	for i, col := range []*string{&c.ExpectStrict, &c.ExpectLegacy, &c.ObservedRPM418} {
		v := f[4+i]
		if v == "-" && i == 2 {
			continue // observed_rpm418 may be absent in project fixtures
		}
		if _, err := ParseExpectation(c.Kind, v); err != nil {
			return c, fmt.Errorf("%s: %w", casesHeader[4+i], err)
		}
		*col = v
	}
	return c, nil
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func joinPath(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

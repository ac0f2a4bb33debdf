package corpus

import (
	"fmt"
	"path/filepath"

	"github.com/rpmpgp/rpmpgp/internal/casefile"
)

// casesHeader is the exact header line of the cases.tsv grammar.
var casesHeader = casefile.Header

// ReadCasesTSV reads a file in the cases.tsv grammar
// (shared/corpus/rpm-testsuite/CASES-FORMAT.md; also the project's
// testdata/fixtures.tsv) with internal/casefile, the one reader of that
// grammar. Paths are resolved relative to the file's folder. source names
// the corpus in the report (SourceFixtures, SourceRPMTestsuite). Every row
// is validated: 8 non-empty columns, a known kind, inputs that fit the
// kind, expectation columns that parse, unique IDs and (detached rows)
// data references that parse; the first error aborts with file:line.
func ReadCasesTSV(path, source string) ([]Case, error) {
	rows, err := casefile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	cases := make([]Case, 0, len(rows))
	for _, r := range rows {
		c := Case{
			ID: r.ID, Source: source, Kind: Kind(r.Kind), File: path, Line: r.Line,
			Input:        joinPath(dir, r.Inputs[0]),
			ExpectStrict: r.ExpectStrict, ExpectLegacy: r.ExpectLegacy, ObservedRPM418: r.Observed418,
			Notes: r.Notes,
		}
		if c.Kind == KindDetached {
			d, err := parseData(dir, r.Inputs[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, r.Line, err)
			}
			c.Data = &d
		}
		for _, k := range r.Keyring {
			c.Keyring = append(c.Keyring, joinPath(dir, k))
		}
		cases = append(cases, c)
	}
	return cases, nil
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

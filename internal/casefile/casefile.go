// Package casefile is the one reader of the cases.tsv grammar
// (shared/corpus/rpm-testsuite/CASES-FORMAT.md): the third-party
// rpm-testsuite corpus's cases.tsv and the project's own
// testdata/fixtures.tsv. The conformance harness and every test that walks
// those files read them here, rows and expectation columns alike
// ([ParseExpectation]), so the grammar is checked in one place.
package casefile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Header is the exact header line of the grammar, column by column.
var Header = []string{"case_id", "kind", "inputs", "keyring", "expect_strict", "expect_legacy", "observed_rpm418", "notes"}

// The kinds of the grammar.
const (
	KindPackage     = "package"     // an .rpm verified like rpmkeys -Kv
	KindKey         = "key"         // a key imported like rpmkeys --import
	KindFingerprint = "fingerprint" // pgpPubkeyFingerprint on raw bytes
	KindSigParse    = "sigparse"    // pgpPrtParams on a bare signature packet
	KindDetached    = "detached"    // a detached signature over data
)

// Case is one row, validated: its kind is known, its inputs fit the kind
// and its expectation columns parse.
type Case struct {
	// ID is the case_id, unique within the file.
	ID string
	// Kind is one of the Kind constants.
	Kind string
	// Inputs are the inputs column split at ';', as written (paths
	// relative to the file's folder): one input, or for detached rows the
	// signature and the data reference ("hex:...", "gen:zeros:N" or a
	// path).
	Inputs []string
	// Keyring lists the key files of the keyring column, as written; nil
	// for "-".
	Keyring []string
	// ExpectStrict and ExpectLegacy are the expectation columns, verbatim.
	ExpectStrict, ExpectLegacy string
	// Observed418 is the observed_rpm418 column, verbatim; "" for "-"
	// (project fixtures may have none).
	Observed418 string
	// Notes is the notes column; "" for "-".
	Notes string
	// Line is the row's 1-based line number.
	Line int
}

// maxLine bounds one line; longer lines are an error.
const maxLine = 1 << 20

// Error is a reading error at a line of the file.
type Error struct {
	// Line is the 1-based line; 0 when the error concerns the whole file.
	Line int
	// Err is what is wrong.
	Err error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads a cases file with [Read]; errors start with "path:line: "
// (or "path: " for the file as a whole).
func ReadFile(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cs, err := Read(f)
	var le *Error
	switch {
	case errors.As(err, &le) && le.Line > 0:
		return nil, fmt.Errorf("%s:%d: %w", path, le.Line, le.Err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

// Read reads a cases file: the header line, then one row per line of
// exactly 8 TAB-separated, non-empty columns ("-" for none); lines starting
// with '#' are comments; case IDs are unique. The first bad line stops the
// reading with an [*Error].
func Read(r io.Reader) ([]Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var cases []Case
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if n == 1 {
			if text != strings.Join(Header, "\t") {
				return nil, &Error{1, fmt.Errorf("header is not the cases.tsv header %q", strings.Join(Header, " "))}
			}
			continue
		}
		if strings.HasPrefix(text, "#") {
			continue
		}
		c, err := parseRow(text)
		if err != nil {
			return nil, &Error{n, err}
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, &Error{n, fmt.Errorf("duplicate case_id %q (first on line %d)", c.ID, prev)}
		}
		seen[c.ID] = n
		c.Line = n
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{n + 1, err}
	}
	if n == 0 {
		return nil, &Error{0, errors.New("empty file (no header)")}
	}
	return cases, nil
}

func parseRow(text string) (Case, error) {
	f := strings.Split(text, "\t")
	if len(f) != len(Header) {
		return Case{}, fmt.Errorf("%d columns, want %d", len(f), len(Header))
	}
	for i, v := range f {
		if v == "" {
			return Case{}, fmt.Errorf("empty %s column (use -)", Header[i])
		}
	}
	c := Case{ID: f[0], Kind: f[1], Inputs: strings.Split(f[2], ";"), Notes: dash(f[7])}
	switch c.Kind {
	case KindPackage, KindKey, KindFingerprint, KindSigParse:
		if len(c.Inputs) != 1 || c.Inputs[0] == "-" {
			return c, fmt.Errorf("kind %s takes exactly one input, got %q", c.Kind, f[2])
		}
	case KindDetached:
		if len(c.Inputs) != 2 || c.Inputs[0] == "" || c.Inputs[0] == "-" {
			return c, fmt.Errorf("kind detached takes <sig>;<data>, got %q", f[2])
		}
		if d := c.Inputs[1]; d == "" || d == "-" {
			return c, fmt.Errorf("kind detached takes <sig>;<data>, got %q: missing data", f[2])
		}
	default:
		return c, fmt.Errorf("unknown kind %q", f[1])
	}
	if f[3] != "-" {
		for _, k := range strings.Split(f[3], ";") {
			if k == "" {
				return c, fmt.Errorf("empty keyring entry in %q", f[3])
			}
			c.Keyring = append(c.Keyring, k)
		}
	}
	for i, col := range []*string{&c.ExpectStrict, &c.ExpectLegacy, &c.Observed418} {
		v := f[4+i]
		if v == "-" && i == 2 {
			continue // observed_rpm418 may be absent in project fixtures
		}
		if _, err := ParseExpectation(c.Kind, v); err != nil {
			return c, fmt.Errorf("%s: %w", Header[4+i], err)
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

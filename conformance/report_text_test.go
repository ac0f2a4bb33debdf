package conformance

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
)

// TestWriteTextMatrixDisplayWidth checks that the matrix pads columns by
// display width, not bytes: a case key with a two-byte "ü" and a
// double-width "検" lines up with plain ASCII keys, colour escapes do not
// count, and no line has trailing spaces.
func TestWriteTextMatrixDisplayWidth(t *testing.T) {
	cell := func(v, verdict, status string) Cell {
		return Cell{Verifier: v, Outcome: Outcome{Verdict: verdict}, Status: status}
	}
	rep := &Report{
		Schema:    "rpmpgp-conformance/v1",
		Verifiers: []VerifierInfo{{Name: "gocrypto", Type: "backend", Profile: "strict", Available: true}, {Name: "x", Type: "external", Profile: "strict", Available: true}},
		Cases: []CaseResult{
			{Case: corpus.Case{Source: "dir", ID: "a"}, Status: StatusExplained, Cells: []Cell{cell("gocrypto", "OK", StatusAgree), cell("x", "BAD", StatusExplained)}},
			{Case: corpus.Case{Source: "dir", ID: "müde-検"}, Status: StatusUnexplained, Cells: []Cell{cell("gocrypto", "pass", StatusUnexplained), cell("x", "", StatusNA)}},
		},
	}
	matrix := func(opts TextOptions) []string {
		var buf bytes.Buffer
		if err := WriteText(&buf, rep, opts); err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(buf.String(), "\n\n")
		m, _, _ := strings.Cut(rest, "\n\n")
		return strings.Split(m, "\n")
	}
	want := []string{
		"CASE         gocrypto  x",
		"dir:a        OK        BAD~",
		"dir:müde-検  pass!     -",
	}
	if got := matrix(TextOptions{}); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("matrix:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantColor := []string{
		"CASE         gocrypto  x",
		"dir:a        \x1b[32mOK\x1b[0m        \x1b[33mBAD~\x1b[0m",
		"dir:müde-検  \x1b[1;31mpass!\x1b[0m     \x1b[2m-\x1b[0m",
	}
	if got := matrix(TextOptions{Color: true}); strings.Join(got, "\n") != strings.Join(wantColor, "\n") {
		t.Errorf("colour matrix:\n%q\nwant:\n%q", got, wantColor)
	}
}

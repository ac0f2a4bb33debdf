package conformance

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
)

// TextOptions tunes [WriteText].
type TextOptions struct {
	// Color enables ANSI colours; use [ColorFor] to enable it only on a TTY.
	Color bool
	// OnlyDisagreements prints only cases with an explained or unexplained
	// cell. Package-directory cases (no expectations) are always printed
	// this way.
	OnlyDisagreements bool
}

// ColorFor reports whether w is a terminal that should get colours (a
// character device, and NO_COLOR unset).
func ColorFor(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// cellMark is the suffix that tells statuses apart without colour.
var cellMark = map[string]string{
	StatusAgree: "", StatusInfo: "?", StatusNA: "", StatusExplained: "~", StatusUnexplained: "!",
}

// matrixStyle lays the matrix out as plain columns: no borders, no header
// separator, two spaces between columns, cells left-aligned and padded to
// the column's display width (go-pretty measures runes and East Asian
// widths and skips colour escapes), headers as written.
var matrixStyle = func() table.Style {
	s := table.StyleDefault
	s.Name = "conformance-matrix"
	s.Box = table.BoxStyle{MiddleVertical: "  "}
	s.Format.Header = text.FormatDefault
	s.Options = table.Options{SeparateColumns: true}
	return s
}()

var cellColor = map[string]string{
	StatusAgree: "\x1b[32m", StatusInfo: "\x1b[36m", StatusNA: "\x1b[2m", StatusExplained: "\x1b[33m", StatusUnexplained: "\x1b[1;31m",
}

// cellText is the short matrix text of a cell.
func cellText(c Cell) string {
	if c.Status == StatusNA {
		return "-"
	}
	return c.Outcome.Verdict + cellMark[c.Status]
}

func shown(cr CaseResult, only bool) bool {
	if cr.Case.Source == corpus.SourceDir || only {
		return cr.Status == StatusExplained || cr.Status == StatusUnexplained
	}
	return true
}

// WriteText prints the case × verifier matrix, the explanation of every
// cell that is not an agreement, stale registry entries and the summary.
// Marks: "~" explained by the registry, "!" unexplained (fails the run),
// "?" nothing to compare with, "-" not applicable.
func WriteText(w io.Writer, rep *Report, opts TextOptions) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "rpmpgp conformance (%s)", rep.Schema)
	if rep.At != "" {
		fmt.Fprintf(ew, ", reference time %s", rep.At)
	}
	fmt.Fprintln(ew)
	for _, v := range rep.Verifiers {
		state := "available"
		if !v.Available {
			state = "UNAVAILABLE: " + v.Note
		}
		fmt.Fprintf(ew, "  %-16s %-8s %-7s %s\n", v.Name, v.Type, v.Profile, state)
	}
	for _, s := range rep.Sources {
		fmt.Fprintf(ew, "  source %-16s %4d cases  %s\n", s.Name, s.Cases, s.File)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(ew, "  note: %s\n", n)
	}
	fmt.Fprintln(ew)

	t := table.NewWriter()
	t.SetStyle(matrixStyle)
	t.SuppressTrailingSpaces()
	header := table.Row{"CASE"}
	for _, v := range rep.Verifiers {
		header = append(header, v.Name)
	}
	t.AppendHeader(header)
	for _, cr := range rep.Cases {
		if !shown(cr, opts.OnlyDisagreements) {
			continue
		}
		key := cr.Case.Key()
		if cr.Case.NotApplicable != "" {
			key += " (n-a: " + string(cr.Case.Kind) + ")"
		}
		row := table.Row{key}
		for _, c := range cr.Cells {
			f := cellText(c)
			if opts.Color {
				f = cellColor[c.Status] + f + "\x1b[0m"
			}
			row = append(row, f)
		}
		t.AppendRow(row)
	}
	fmt.Fprintln(ew, t.Render())
	var details []string
	for _, cr := range rep.Cases {
		for _, c := range cr.Cells {
			if c.Status != StatusExplained && c.Status != StatusUnexplained {
				continue
			}
			mark := "EXPLAINED"
			if c.Status == StatusUnexplained {
				mark = "FAIL"
			}
			line := fmt.Sprintf("%s %s / %s: got %s", mark, cr.Case.Key(), c.Verifier, outcomeSummary(cr.Case.Kind, c.Outcome))
			if c.Expected != "" {
				line += ", expected " + c.Expected
			}
			for _, p := range c.Problems {
				line += "\n      " + p
			}
			if c.Reason != "" {
				line += fmt.Sprintf("\n      reason (registry line %d): %s", c.RegistryLine, c.Reason)
			} else if d := firstLine(c.Outcome.Detail); d != "" {
				line += "\n      detail: " + d
			}
			details = append(details, line)
		}
	}
	if len(details) > 0 {
		fmt.Fprintln(ew)
		for _, d := range details {
			fmt.Fprintln(ew, d)
		}
	}
	for _, e := range rep.Stale {
		fmt.Fprintf(ew, "FAIL stale registry entry %s:%d (%s / %s): explained nothing: %s\n", rep.Registry, e.Line, e.Case, e.Verifier, e.Reason)
	}
	s := rep.Summary
	fmt.Fprintf(ew, "\n%d cases (%d not applicable): %d agreements, %d expected divergences, %d failures (%d unexplained, %d stale entries), %d errors, %d without expectation\n",
		s.Cases, s.NotApplicable, s.Agreements, s.ExpectedDivergences, s.Failures, s.Unexplained, s.StaleEntries, s.Errors, s.Info)
	switch {
	case rep.Failed:
		fmt.Fprintln(ew, "FAIL")
	case len(rep.Unavailable) > 0:
		fmt.Fprintf(ew, "PASS (incomplete: %s not run, see UNAVAILABLE above)\n", strings.Join(rep.Unavailable, ", "))
	default:
		fmt.Fprintln(ew, "PASS")
	}
	return ew.err
}

// outcomeSummary renders an outcome in the case grammar.
func outcomeSummary(kind corpus.Kind, o Outcome) string {
	switch {
	case kind == corpus.KindPackage && o.Unreadable:
		return "unreadable;pkg=" + o.Verdict
	case kind == corpus.KindPackage && o.Items != nil && (o.Verdict == VerdictPass || o.Verdict == VerdictFail):
		return FormatItems(o.Items) + ";pkg=" + o.Verdict
	case kind == corpus.KindKey && o.Keys != "":
		return "import=" + o.Verdict + ";keys=" + o.Keys
	case o.ExitCode >= 0:
		return fmt.Sprintf("%s (exit %d)", o.Verdict, o.ExitCode)
	}
	return o.Verdict
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

package conformance

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rpmpgp/rpmpgp/conformance/corpus"
)

//go:embed report.html.tmpl
var htmlTemplate string

// htmlTmpl is parsed on first use: every rpmpgp command links this
// package, and parsing at start-up cost a quarter of a millisecond of each.
var htmlTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"summary":  outcomeSummary,
		"join":     strings.Join,
		"disagree": func(status string) bool { return status == StatusExplained || status == StatusUnexplained },
	}).Parse(htmlTemplate))
})

// bytesNote is where WriteHTML says that foreign bytes were escaped: an
// element only the template can write (html/template escapes every "<" of
// the data).
const bytesNote = `<div id="bytes-note-slot"></div>`

// maxTitle bounds the raw tool output kept in a cell's tooltip.
const maxTitle = 600

// htmlView is what the template renders: the report plus the matrix in
// display form.
type htmlView struct {
	*Report
	Rows []htmlRow
	// SourceNames are the sources of the cases, for the filter.
	SourceNames []string
}

type htmlRow struct {
	Index                     int
	Key, Kind, Source, Status string
	NotApplicable             string
	Cells                     []htmlCell
}

// htmlCell is one matrix cell: Word in the one verdict vocabulary, Tone
// its accept/reject class, Status the comparison result (the cell's
// colour), Title the tooltip (what was expected, the raw verdict and the
// tool's output).
type htmlCell struct {
	Verifier, Status, Word, Mark, Tone, Title string
}

// WriteHTML writes the report as one self-contained HTML page (inline CSS
// and JavaScript, no external assets): a legend, summary counts, the matrix
// (table id "matrix") with one verdict vocabulary for every column (see
// [DisplayVerdict]) and the raw verdict and tool output on hover, filters
// (only disagreements, per verifier, per source) and per-case details
// (inputs, every verifier's verdict and detail, the registry reason). It
// fits a 1400 px window with nine verifier columns: case names and long
// values wrap, fingerprints are abbreviated (full value on hover). The page
// is always valid UTF-8: bytes of tool output that are not (raw gpgv or
// rpmkeys output, file names) are written as the text \xNN and the page
// says so.
func WriteHTML(w io.Writer, rep *Report) error {
	var buf bytes.Buffer
	if err := htmlTmpl().Execute(&buf, newHTMLView(rep)); err != nil {
		return err
	}
	out, n := escapeInvalidUTF8(buf.Bytes())
	note := ""
	if n > 0 {
		note = fmt.Sprintf(`<p class="note" id="bytes-note">%d byte(s) of tool output or file names were not valid UTF-8; they are shown as <code>\xNN</code>.</p>`, n)
	}
	out = bytes.Replace(out, []byte(bytesNote), []byte(note), 1)
	_, err := w.Write(out)
	return err
}

func newHTMLView(rep *Report) htmlView {
	v := htmlView{Report: rep}
	set := map[string]bool{}
	for i, cr := range rep.Cases {
		set[cr.Case.Source] = true
		row := htmlRow{Index: i, Key: cr.Case.Key(), Kind: string(cr.Case.Kind), Source: cr.Case.Source, Status: cr.Status, NotApplicable: cr.Case.NotApplicable}
		for _, c := range cr.Cells {
			row.Cells = append(row.Cells, newHTMLCell(cr.Case.Kind, c))
		}
		v.Rows = append(v.Rows, row)
	}
	for s := range set {
		v.SourceNames = append(v.SourceNames, s)
	}
	sort.Strings(v.SourceNames)
	return v
}

func newHTMLCell(kind corpus.Kind, c Cell) htmlCell {
	word, full := DisplayVerdict(kind, c.Outcome)
	hc := htmlCell{Verifier: c.Verifier, Status: c.Status, Word: word, Mark: cellMark[c.Status], Tone: tone(kind, c.Outcome)}
	if c.Status == StatusNA {
		hc.Word, hc.Tone = "–", "na"
	}
	var t []string
	t = append(t, c.Verifier+": "+c.Status)
	if full != "" {
		t = append(t, "value: "+full)
	}
	if c.Status != StatusNA {
		t = append(t, "raw verdict: "+outcomeSummary(kind, c.Outcome))
	}
	if c.Expected != "" {
		t = append(t, "expected: "+c.Expected)
	}
	t = append(t, c.Problems...)
	if c.Reason != "" {
		t = append(t, fmt.Sprintf("registry line %d: %s", c.RegistryLine, c.Reason))
	}
	if d := c.Outcome.Detail; d != "" {
		if len(d) > maxTitle {
			i := maxTitle
			for i > 0 && !utf8.RuneStart(d[i]) {
				i-- // never cut a valid sequence into foreign bytes
			}
			d = d[:i] + " …"
		}
		t = append(t, "output:\n"+d)
	}
	hc.Title = strings.Join(t, "\n")
	return hc
}

// DisplayVerdict maps an outcome to the one vocabulary of the HTML matrix,
// whatever the verifier: rpm's result words OK, BAD, NOKEY, NOTTRUSTED,
// NOTFOUND, plus UNREADABLE (rpm could not read the package), parse-fail,
// ERROR (the verifier crashed or could not run) and "–" (not run). A
// package a full verifier (ours, rpmkeys) passed is OK; one it failed shows
// its worst item (BAD before NOKEY, NOTTRUSTED, NOTFOUND); the OpenPGP
// tools' verdicts on a package's header signature are already words of
// the vocabulary. A key import is OK, BAD (refused) or NOTTRUSTED. A
// fingerprint is abbreviated (first and last 8 hex digits) and returned in
// full as the second value.
func DisplayVerdict(kind corpus.Kind, o Outcome) (word, full string) {
	v := o.Verdict
	switch {
	case v == VerdictNA || v == "":
		return "–", ""
	case v == VerdictError:
		return "ERROR", ""
	case v == VerdictParseFail:
		return VerdictParseFail, ""
	case kind == corpus.KindPackage && o.Unreadable:
		return "UNREADABLE", ""
	case v == VerdictPass, v == "ok":
		return "OK", ""
	case kind == corpus.KindPackage && v == VerdictFail:
		for _, w := range []string{"BAD", "NOKEY", "NOTTRUSTED", "NOTFOUND"} {
			for _, r := range o.Items {
				if r == w {
					return w, ""
				}
			}
		}
		return "BAD", ""
	case v == VerdictFail:
		return "BAD", ""
	case v == "nottrusted":
		return "NOTTRUSTED", ""
	case kind == corpus.KindFingerprint && len(v) > 20:
		return v[:8] + "…" + v[len(v)-8:], v
	}
	return v, ""
}

// tone is the accept/reject class of a cell's verdict, its text colour.
func tone(kind corpus.Kind, o Outcome) string {
	if kind == corpus.KindFingerprint && o.Verdict != VerdictFail && class(o.Verdict) == "reject" {
		return "acc" // a fingerprint value
	}
	switch class(o.Verdict) {
	case "accept":
		return "acc"
	case "reject":
		return "rej"
	case VerdictError:
		return "err"
	}
	return "na"
}

// escapeInvalidUTF8 replaces every byte of b that is not part of a valid
// UTF-8 sequence with the text \xNN and counts them.
func escapeInvalidUTF8(b []byte) ([]byte, int) {
	if utf8.Valid(b) {
		return b, 0
	}
	out := make([]byte, 0, len(b)+64)
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = fmt.Appendf(out, `\x%02x`, b[0])
			n++
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out, n
}

package conformance

import (
	_ "embed"
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:embed report.html.tmpl
var htmlTemplate string

// htmlTmpl is parsed on first use: every rpmpgp command links this
// package, and parsing at start-up cost a quarter of a millisecond of each.
var htmlTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"cellText": cellText,
		"summary":  outcomeSummary,
		"join":     strings.Join,
		"items":    FormatItems,
		"sources": func(rep *Report) []string {
			set := map[string]bool{}
			for _, c := range rep.Cases {
				set[c.Case.Source] = true
			}
			var out []string
			for s := range set {
				out = append(out, s)
			}
			sort.Strings(out)
			return out
		},
		"disagree": func(status string) bool { return status == StatusExplained || status == StatusUnexplained },
	}).Parse(htmlTemplate))
})

// WriteHTML writes the report as one self-contained HTML page (inline CSS
// and JavaScript, no external assets): summary counts, the matrix (table
// id "matrix"), filters (only disagreements, per verifier, per source) and
// per-case details (inputs, every verifier's verdict and detail, the
// registry reason).
func WriteHTML(w io.Writer, rep *Report) error {
	return htmlTmpl().Execute(w, rep)
}

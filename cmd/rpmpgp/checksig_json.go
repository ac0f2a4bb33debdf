package main

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/lintcode"
)

// checksigSchema names the shape of `checksig --output json`; the JSON
// Schema is docs/schema/rpmpgp-checksig-v2.json. v1 was one indented
// document per run.
const checksigSchema = "rpmpgp-checksig/v2"

// jsonOutput writes `checksig --output json` as NDJSON: one package
// object per line in input order, each written as soon as it is verified,
// then one summary object. Without -v a package's NOTFOUND items (no such
// signature or digest in the package) are left out: the summary and
// failed carry the verdict; with -v every item is there, with shown
// telling which ones rpmkeys -Kv prints.
type jsonOutput struct {
	enc     *json.Encoder
	desc    core.Description
	imports []core.ImportResult
	all     bool
	n       int
}

func newJSONOutput(w io.Writer, desc core.Description, imports []core.ImportResult, all bool) *jsonOutput {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &jsonOutput{enc: enc, desc: desc, imports: imports, all: all}
}

// jsonLint is one explanation with its stable code (see [lintcode.Of]).
type jsonLint struct {
	Code  string `json:"code"`
	Error bool   `json:"error"`
	Text  string `json:"text"`
}

// jsonItem is one signature or digest check of a package.
type jsonItem struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Tag     uint32 `json:"tag"`
	Verdict string `json:"verdict"`
	Line    string `json:"line"`
	Msg     string `json:"msg,omitempty"`
	Shown   bool   `json:"shown"`
	// KeyID is the signature's issuer key ID; KeyFingerprint the
	// fingerprint of the key tried, else the issuer fingerprint the
	// signature names. Lower-case hex.
	KeyID          string     `json:"key_id,omitempty"`
	KeyFingerprint string     `json:"key_fingerprint,omitempty"`
	Lints          []jsonLint `json:"lints,omitempty"`
}

// jsonError says why a package has no items.
type jsonError struct {
	// Code is one of open-failed, read-failed, not-rpm, no-verdict.
	Code string `json:"code"`
	Text string `json:"text"`
}

// jsonPackage is one line of the NDJSON stream.
type jsonPackage struct {
	Type    string     `json:"type"`
	Path    string     `json:"path"`
	Failed  bool       `json:"failed"`
	Error   *jsonError `json:"error,omitempty"`
	Summary string     `json:"summary,omitempty"`
	Items   []jsonItem `json:"items"`
	Lints   []jsonLint `json:"lints,omitempty"`
}

// jsonImport is a certificate the import refused or warned about.
type jsonImport struct {
	Source         string     `json:"source"`
	Index          int        `json:"index"`
	Imported       bool       `json:"imported"`
	KeyFingerprint string     `json:"key_fingerprint,omitempty"`
	Error          string     `json:"error,omitempty"`
	Lints          []jsonLint `json:"lints,omitempty"`
}

// jsonSummary is the last line of the stream.
type jsonSummary struct {
	Type     string           `json:"type"`
	Schema   string           `json:"schema"`
	Backend  core.Description `json:"backend"`
	Packages int              `json:"packages"`
	Failed   int              `json:"failed"`
	Imports  []jsonImport     `json:"key_imports"`
}

func (o *jsonOutput) add(pr pkgResult) bool {
	o.n++
	jp := jsonPackage{Type: "package", Path: pr.path, Items: []jsonItem{}}
	switch {
	case pr.err != nil:
		jp.Failed, jp.Error = true, &jsonError{Code: "no-verdict", Text: "no verdict: " + pr.err.Error()}
	case pr.res.OpenFailed:
		jp.Failed, jp.Error = true, &jsonError{Code: "open-failed", Text: pr.res.Error}
	case pr.res.ReadFailed && (pr.res.NotRPM || pr.res.Error == ""):
		jp.Failed, jp.Error = true, &jsonError{Code: "not-rpm", Text: notRPMMessage}
	case pr.res.ReadFailed:
		jp.Failed, jp.Error = true, &jsonError{Code: "read-failed", Text: strings.TrimRight(pr.res.Error, "\n")}
	default:
		jp.Failed = pr.res.Failed
		jp.Summary = strings.TrimPrefix(pr.res.Summary(), " ")
		jp.Lints = jsonLints(pr.res.Lints)
		for _, it := range pr.res.Items {
			if it.RC == core.RCNotFound && !o.all {
				continue
			}
			jp.Items = append(jp.Items, o.item(it))
		}
	}
	_ = o.enc.Encode(jp)
	return jp.Failed
}

// item is the JSON form of one item.
func (o *jsonOutput) item(it *core.Item) jsonItem {
	ji := jsonItem{Name: it.Name(), Type: "digest", Tag: it.Tag, Verdict: it.RC.String(), Line: it.Line(o.desc.Profile), Msg: it.Msg, Shown: it.Shown, Lints: jsonLints(it.Lints)}
	if it.Type == core.TypeSignature {
		ji.Type = "signature"
	}
	if it.Sig != nil {
		if !it.Sig.KeyID.IsZero() {
			ji.KeyID = it.Sig.KeyID.String()
		}
		ji.KeyFingerprint = hex.EncodeToString(it.Sig.Fingerprint)
	}
	if len(it.KeyFingerprint) > 0 {
		ji.KeyFingerprint = hex.EncodeToString(it.KeyFingerprint)
	}
	return ji
}

func (o *jsonOutput) finish(failed int) {
	s := jsonSummary{Type: "summary", Schema: checksigSchema, Backend: o.desc, Packages: o.n, Failed: failed, Imports: []jsonImport{}}
	// Lists are arrays, never null.
	if s.Backend.PubKeyAlgos == nil {
		s.Backend.PubKeyAlgos = []string{}
	}
	if s.Backend.HashAlgos == nil {
		s.Backend.HashAlgos = []string{}
	}
	for _, r := range o.imports {
		if r.OK() && r.Lint == "" {
			continue
		}
		ji := jsonImport{Source: r.Source, Index: r.Index, Imported: r.OK(), KeyFingerprint: hex.EncodeToString(r.Fingerprint), Error: r.Err}
		if r.Lint != "" {
			ji.Lints = []jsonLint{{Code: lintcode.Of(r.Lint), Error: !r.OK(), Text: r.Lint}}
		}
		s.Imports = append(s.Imports, ji)
	}
	_ = o.enc.Encode(s)
}

// jsonLints gives lints their codes; nil for none.
func jsonLints(ls []core.Lint) []jsonLint {
	if len(ls) == 0 {
		return nil
	}
	out := make([]jsonLint, len(ls))
	for i, l := range ls {
		out[i] = jsonLint{Code: lintcode.Of(l.Text), Error: l.Error, Text: l.Text}
	}
	return out
}

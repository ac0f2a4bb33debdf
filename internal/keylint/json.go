package keylint

import "encoding/hex"

// Schema names the shape of `lint-key --output json`; the JSON Schema is
// docs/schema/rpmpgp-lint-key-v1.json.
const Schema = "rpmpgp-lint-key/v1"

// Document is the one object `lint-key --output json` writes.
type Document struct {
	Schema  string    `json:"schema"`
	Backend string    `json:"backend"`
	Keys    []JSONKey `json:"keys"`
	// Errors are the files that could not be read.
	Errors []FileError `json:"errors"`
	// NotOK is the number of keys not OK plus the unreadable files: the
	// exit status (capped at 253).
	NotOK int `json:"not_ok"`
}

// JSONKey is one certificate's verdict.
type JSONKey struct {
	Source string `json:"source"`
	Index  int    `json:"index"`
	// Fingerprint is lower-case hex; absent when the backend cannot
	// compute it (e.g. rpm 4.18 and a key it does not support).
	Fingerprint string `json:"fingerprint,omitempty"`
	Verdict     string `json:"verdict"`
	OK          bool   `json:"ok"`
	// Text is pgpPubKeyLint's explanation as the text output prints it.
	Text    string     `json:"text,omitempty"`
	Lints   []JSONLint `json:"lints"`
	Refused string     `json:"refused,omitempty"`
}

// JSONLint is one line of the explanation with its stable code.
type JSONLint struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// FileError is a file or directory that could not be read.
type FileError struct {
	Source string `json:"source"`
	Text   string `json:"text"`
}

// NewDocument returns an empty document for the backend.
func NewDocument(backend string) *Document {
	return &Document{Schema: Schema, Backend: backend, Keys: []JSONKey{}, Errors: []FileError{}}
}

// Add records one verdict.
func (d *Document) Add(r Report) {
	k := JSONKey{
		Source: r.Source, Index: r.Index, Fingerprint: hex.EncodeToString(r.Fingerprint),
		Verdict: r.Verdict.String(), OK: r.OK(), Text: r.Explanation, Lints: []JSONLint{}, Refused: r.Refused,
	}
	for _, l := range r.Lints() {
		k.Lints = append(k.Lints, JSONLint(l))
	}
	d.Keys = append(d.Keys, k)
	if !r.OK() {
		d.NotOK++
	}
}

// AddError records a file that could not be read.
func (d *Document) AddError(source string, err error) {
	d.Errors = append(d.Errors, FileError{Source: source, Text: err.Error()})
	d.NotOK++
}

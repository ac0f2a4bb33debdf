package main

import (
	"encoding/hex"
	"encoding/json"
	"io"

	"github.com/rpmpgp/rpmpgp/core/verify"
)

// verifySchema names the shape of `verify --output json`; the JSON Schema
// is docs/schema/rpmpgp-verify-v1.json.
const verifySchema = "rpmpgp-verify/v1"

// jsonVerify is `verify --output json`: one object, hex in lower case,
// lints with codes as in checksig's JSON.
type jsonVerify struct {
	Schema string `json:"schema"`
	// Verdict is OK, BAD, NOKEY, NOTTRUSTED or parse-fail.
	Verdict        string     `json:"verdict"`
	ParseFailed    bool       `json:"parse_failed"`
	Description    string     `json:"description,omitempty"`
	KeyID          string     `json:"key_id,omitempty"`
	KeyFingerprint string     `json:"key_fingerprint,omitempty"`
	Lints          []jsonLint `json:"lints,omitempty"`
}

// writeVerifyJSON writes res as one JSON object.
func writeVerifyJSON(w io.Writer, res verify.DetachedResult) error {
	out := jsonVerify{Schema: verifySchema, Verdict: res.Verdict, ParseFailed: res.ParseFailed, Description: res.Descr, Lints: jsonLints(res.Lints)}
	if res.Sig != nil {
		if !res.Sig.KeyID.IsZero() {
			out.KeyID = res.Sig.KeyID.String()
		}
		out.KeyFingerprint = hex.EncodeToString(res.Sig.Fingerprint)
	}
	if len(res.KeyFingerprint) > 0 {
		out.KeyFingerprint = hex.EncodeToString(res.KeyFingerprint)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

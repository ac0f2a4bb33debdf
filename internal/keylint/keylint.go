// Package keylint gives `rpmpgp lint-key` its verdict: whether a
// certificate can verify packages with a backend. It combines the
// backend's pgpPubKeyLint with the import checksig runs (rpm's
// rpmtsImportPubkey through core.Keyring) and with what pgpPubKeyLint's
// explanation says about the certificate.
//
// rpm-sequoia's pgpPubKeyLint (src/lib.rs, _pgpPubKeyLint) returns
// RPMRC_OK for a revoked or expired certificate and for one without a
// usable signing key, with an explanation ("The certificate was
// revoked: ...", "The certificate is expired: ...", "Certificate does
// not have any usable signing keys"): rpm imports such keys with a
// warning. Signatures by them never verify under the policy, so lint-key
// does not call them OK.
package keylint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/internal/lintcode"
)

// pgpMark starts an armor block (rpmchecksig.cc doImport splits at it).
const pgpMark = "-----BEGIN PGP "

// minArmored is the size below which rpmcliImportPubkeys refuses a key
// file ("import read failed(0)."), as core.Keyring.Import does.
const minArmored = 64

// Cert is one certificate of a key file, or the failure to get one out
// of the file.
type Cert struct {
	// Source is the file the certificate came from.
	Source string
	// Index is rpm's 1-based "key N" number: the armor block in the file
	// (1 for a binary file).
	Index int
	// Data is the binary certificate; nil when Err is set.
	Data []byte
	// Err is rpm's message for what could not be split into
	// certificates ("key 1 not an armored public key."), with the
	// backend's reason after it when there is one.
	Err string
}

// Split returns the certificates of one key file as checksig's import
// splits them (core.Keyring.Add: armored when the file holds
// "-----BEGIN PGP ", every block a public key block, each block or a
// binary file split with the backend's pgpPubKeyCertLen).
func Split(b core.Backend, data []byte, source string) []Cert {
	if !bytes.Contains(data, []byte(pgpMark)) {
		return splitBinary(b, data, source, 1)
	}
	if len(data) < minArmored {
		return []Cert{{Source: source, Index: 1, Err: "import read failed(0)."}}
	}
	var out []Cert
	text := string(data)
	start := strings.Index(text, pgpMark)
	for keyno := 1; ; keyno++ {
		kind, pkts, err := b.ParseArmor([]byte(text[start:]))
		if err != nil || kind != core.ArmorPubKey || len(pkts) == 0 {
			out = append(out, Cert{Source: source, Index: keyno, Err: withReason(fmt.Sprintf("key %d not an armored public key.", keyno), err)})
		} else {
			out = append(out, splitBinary(b, pkts, source, keyno)...)
		}
		next := strings.Index(text[start+len(pgpMark):], pgpMark)
		if next < 0 {
			return out
		}
		start += len(pgpMark) + next
	}
}

func splitBinary(b core.Backend, pkts []byte, source string, keyno int) []Cert {
	var out []Cert
	for len(pkts) > 0 {
		n, err := b.CertLen(pkts)
		if err != nil || n <= 0 || n > len(pkts) {
			return append(out, Cert{Source: source, Index: keyno, Err: withReason(fmt.Sprintf("key %d import failed.", keyno), err)})
		}
		out = append(out, Cert{Source: source, Index: keyno, Data: pkts[:n]})
		pkts = pkts[n:]
	}
	if len(out) == 0 {
		out = append(out, Cert{Source: source, Index: keyno, Err: fmt.Sprintf("key %d import failed.", keyno)})
	}
	return out
}

func withReason(msg string, err error) string {
	if err == nil {
		return msg
	}
	return msg + " " + err.Error()
}

// Report is lint-key's verdict on one certificate.
type Report struct {
	Cert
	// Fingerprint of the primary key, when the backend computes one.
	Fingerprint []byte
	// Verdict is OK only when the certificate can verify packages: see
	// [Check].
	Verdict core.RC
	// Explanation is pgpPubKeyLint's text ("" when none).
	Explanation string
	// Refused is why the certificate is not usable besides the
	// explanation: the import's refusal, a split failure or a backend
	// error; "" when none.
	Refused string
}

// OK reports whether the certificate can verify packages.
func (r Report) OK() bool { return r.Verdict == core.RCOK }

// Check gives the verdict on one certificate:
//
//   - pgpPubKeyLint says FAIL (BAD) or NOTTRUSTED: that verdict;
//   - the import checksig runs refuses it (rpmtsImportPubkey: KeyID,
//     pgpPrtParams, fingerprint, merge; e.g. rpm 4.18 and a P-256 key):
//     BAD, with the import's reason;
//   - pgpPubKeyLint says OK but its explanation says the certificate is
//     revoked, expired or not yet live: NOTTRUSTED (rpm-sequoia verifies
//     signatures by it as NOTTRUSTED, pgp_verify_signature's legacy path);
//   - it says that no signing-capable (sub)key is valid under the policy:
//     NOTTRUSTED when signing keys are revoked or expired, else BAD (a
//     signature by a key that cannot sign is BAD, "not signing capable");
//   - otherwise OK.
func Check(b core.Backend, c Cert) Report {
	r := Report{Cert: c, Verdict: core.RCFail}
	if c.Err != "" {
		r.Refused = c.Err
		return r
	}
	if fp, err := b.Fingerprint(c.Data); err == nil {
		r.Fingerprint = fp
	}
	lint, err := b.LintKey(c.Data)
	if err != nil {
		r.Refused = fmt.Sprintf("no verdict: %v", err)
		return r
	}
	r.Explanation = lint.Lint
	if lint.RC != core.RCOK {
		if lint.RC == core.RCNotTrusted {
			r.Verdict = core.RCNotTrusted
		}
		return r
	}
	if why := importRefusal(b, c, lint.Lint); why != "" {
		r.Refused = why
		return r
	}
	r.Verdict = judge(lint.Lint)
	return r
}

// importRefusal imports the certificate into a new keyring as checksig
// does (core.Keyring, rpmtsImportPubkey) and says why it was refused; ""
// when it was imported. explanation is pgpPubKeyLint's, which the
// import's reason repeats first.
func importRefusal(b core.Backend, c Cert, explanation string) string {
	data, source := c.Data, c.Source
	kr := core.NewKeyring(b)
	var results []core.ImportResult
	if bytes.Contains(data, []byte(pgpMark)) {
		// Keyring.Add would read the binary certificate as armor.
		armored, err := b.WrapArmor(core.ArmorPubKey, data)
		if err != nil {
			return fmt.Sprintf("key %d import failed. %v", c.Index, err)
		}
		results = kr.Import([]byte(armored), source)
	} else {
		results = kr.Add(data, source)
	}
	for _, res := range results {
		if res.OK() {
			continue
		}
		msg := res.Err
		if msg == "" {
			msg = "import failed."
		}
		if why := strings.TrimLeft(strings.TrimPrefix(res.Lint, explanation), "\n"); why != "" {
			msg += " " + why
		}
		// The keyring numbers the certificate 1: say rpm's number.
		return strings.Replace(msg, "key 1 ", fmt.Sprintf("key %d ", c.Index), 1)
	}
	if len(results) == 0 {
		return fmt.Sprintf("key %d import failed.", c.Index)
	}
	return ""
}

// The line prefixes of rpm-sequoia's pgpPubKeyLint explanation
// (src/lib.rs _pgpPubKeyLint) that make a certificate unusable.
const (
	certRevoked  = "The certificate was revoked: "
	certExpired  = "The certificate is expired: "
	certNotLive  = "The certificate is not live: "
	noSigningKey = "Certificate does not have any usable signing keys"
)

// subkeyDead reports whether a line says a signing subkey is revoked,
// expired or not live ("Subkey %s was revoked: ", "Subkey %s is
// expired: ", "Subkey %s is not live: ").
func subkeyDead(line string) bool {
	rest, ok := strings.CutPrefix(line, "Subkey ")
	if !ok {
		return false
	}
	_, rest, ok = strings.Cut(rest, " ")
	return ok && (strings.HasPrefix(rest, "was revoked: ") || strings.HasPrefix(rest, "is expired: ") || strings.HasPrefix(rest, "is not live: "))
}

// judge is the verdict of an explanation that came with RPMRC_OK.
func judge(explanation string) core.RC {
	noSigning, dead := false, false
	for _, l := range Lines(explanation) {
		switch {
		case strings.HasPrefix(l, certRevoked), strings.HasPrefix(l, certExpired), strings.HasPrefix(l, certNotLive):
			return core.RCNotTrusted
		case l == noSigningKey:
			noSigning = true
		case subkeyDead(l):
			dead = true
		}
	}
	switch {
	case noSigning && dead:
		return core.RCNotTrusted
	case noSigning:
		return core.RCFail
	}
	return core.RCOK
}

// Lines splits an explanation into its lints: rpm-sequoia's
// "Certificate <KEYID>:" header is dropped and the two-space indent of
// each line removed. rpm 4.18's texts are one lint each.
func Lines(explanation string) []string {
	if explanation == "" {
		return nil
	}
	lines := strings.Split(explanation, "\n")
	if len(lines) > 1 && strings.HasPrefix(lines[0], "Certificate ") && strings.HasSuffix(lines[0], ":") {
		lines = lines[1:]
	}
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Lint is one line of an explanation with its stable code.
type Lint struct {
	// Code is the line's [lintcode] code.
	Code string
	// Text is the line.
	Text string
}

// Lints gives each line of the explanation its code.
func (r Report) Lints() []Lint {
	var out []Lint
	for _, l := range Lines(r.Explanation) {
		out = append(out, Lint{Code: lintcode.Of(l), Text: l})
	}
	return out
}

package verify

import (
	"bytes"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/rpmpgp/rpmpgp/core"
)

// dearmorSignature decodes an ASCII-armored "PGP SIGNATURE" block (RFC 9580,
// Section 6), bounded by maxDetachedSig.
func dearmorSignature(data []byte) ([]byte, bool) {
	if !bytes.Contains(data, []byte("-----BEGIN PGP SIGNATURE-----")) {
		return nil, false
	}
	blk, err := armor.Decode(bytes.NewReader(data))
	if err != nil || blk.Type != "PGP SIGNATURE" {
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(blk.Body, maxDetachedSig+1))
	if err != nil || len(body) == 0 || len(body) > maxDetachedSig {
		return nil, false
	}
	return body, true
}

// maxDetachedSig bounds a detached signature file (rpm's
// RPM_MAX_OPENPGP_BYTES is 64 KiB per packet; a file may hold a few).
const maxDetachedSig = 1 << 20

// DetachedResult is the outcome of [Verifier.VerifyDetached].
type DetachedResult struct {
	// RC is the verdict (RCInvalid never appears: a parse failure is
	// ParseFailed with RC RCFail).
	RC core.RC `json:"-"`
	// Verdict is RC's text, or "parse-fail".
	Verdict string `json:"verdict"`
	// ParseFailed is true when the signature did not parse.
	ParseFailed bool `json:"parse_failed,omitempty"`
	// Sig is the parsed signature.
	Sig *core.Params `json:"-"`
	// Descr is rpm 6's description of the signature ("V4 RSA/SHA256
	// signature, key ID ...").
	Descr string `json:"description,omitempty"`
	// KeyFingerprint is the primary fingerprint of the last key tried.
	KeyFingerprint []byte `json:"key_fingerprint,omitempty"`
	// Lints are the backend's explanations.
	Lints []core.Lint `json:"lints,omitempty"`
}

// VerifyDetached verifies a detached signature over data (like sqv, and the
// corpus "detached" kind): parse the signature, hash data with its hash (a
// v6 salt first), and verify against the keyring like a package signature.
// sig may be armored (a SIGNATURE block) or a bare binary signature packet.
func (v *Verifier) VerifyDetached(sig []byte, data io.Reader) (DetachedResult, error) {
	if len(sig) > maxDetachedSig {
		return DetachedResult{RC: core.RCFail, Verdict: "parse-fail", ParseFailed: true,
			Lints: []core.Lint{{Error: true, Text: fmt.Sprintf("signature file too large (%d bytes)", len(sig))}}}, nil
	}
	pkt := sig
	if kind, body, err := v.b.ParseArmor(sig); err == nil && kind == core.ArmorSignature && len(body) > 0 {
		pkt = body
	} else if body, ok := dearmorSignature(sig); ok {
		// A backend whose pgpParsePkts knows only key blocks (rpm 4.18's)
		// still gets the signature packet: armor is transport encoding,
		// not part of the verdict.
		pkt = body
	}
	pr, err := v.b.ParseSignature(pkt)
	if err != nil {
		return DetachedResult{}, fmt.Errorf("backend: parsing signature: %w", err)
	}
	if !pr.OK() {
		res := DetachedResult{RC: core.RCFail, Verdict: "parse-fail", ParseFailed: true}
		if pr.Lint != "" {
			res.Lints = []core.Lint{{Error: true, Text: pr.Lint}}
		}
		return res, nil
	}
	vs := &vstate{v: v, res: &core.Result{}}
	it := &item{Item: &core.Item{Type: core.TypeSignature, Range: core.RangeHeader, Sig: pr.Params, HashAlgo: pr.Params.HashAlgo, RC: core.RCOK}}
	if pr.Lint != "" {
		vs.lint(it, false, pr.Lint)
	}
	vs.items = []*item{it}
	defer vs.closeAll()
	if err := vs.initRange(core.RangeHeader); err != nil {
		return DetachedResult{}, err
	}
	if it.ctx == nil {
		return DetachedResult{RC: core.RCNotFound, Verdict: core.RCNotFound.String(), Sig: pr.Params, Descr: core.IdentItem(pr.Params, core.ProfileStrict),
			Lints: []core.Lint{{Error: true, Text: fmt.Sprintf("unsupported hash algorithm %v", pr.Params.HashAlgo)}}}, nil
	}
	if _, err := core.UpdateDigests(v.b, []core.Digest{it.ctx}, data); err != nil {
		return DetachedResult{}, fmt.Errorf("hashing data: %w", err)
	}
	// Unlike package signatures (binary only, rpmvs verifySignature), a
	// detached check takes the signature type as it is, like
	// rpmKeyringVerifySig on the corpus "detached" kind.
	if err := vs.keyringVerify(it); err != nil {
		return DetachedResult{}, err
	}
	return DetachedResult{RC: it.RC, Verdict: it.RC.String(), Sig: pr.Params, Descr: core.IdentItem(pr.Params, core.ProfileStrict),
		KeyFingerprint: it.KeyFingerprint, Lints: it.Lints}, nil
}

package verify

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/rpmpgp/rpmpgp/core"
)

// verifyItem is rpmVerifySignature.
func (vs *vstate) verifyItem(it *item) error {
	defer func() {
		if it.ctx != nil {
			_ = it.ctx.Close()
			it.ctx = nil
		}
	}()
	switch it.Type {
	case core.TypeDigest:
		sum, err := it.ctx.Final()
		it.ctx = nil
		if err != nil {
			return fmt.Errorf("backend: finishing %v digest: %w", it.HashAlgo, err)
		}
		got := hex.EncodeToString(sum)
		if len(sum) > 0 && strings.EqualFold(it.expected, got) {
			it.RC = core.RCOK
		} else {
			it.RC = core.RCFail
			it.Msg = fmt.Sprintf("Expected %s != %s", it.expected, got)
		}
		return nil
	case core.TypeSignature:
		// verifySignature: only binary document signatures sign packages.
		if it.Sig.SigType != 0x00 {
			it.RC = core.RCFail
			return nil
		}
		return vs.keyringVerify(it)
	}
	it.RC = core.RCFail
	return nil
}

// keyringVerify is rpmKeyringVerifySig2 (rpm 6: every key and subkey with
// the signature's key ID and algorithm is tried until one verifies; rpm 4.18:
// the first such key only), then the key-less sanity check.
func (vs *vstate) keyringVerify(it *item) error {
	type attempt struct {
		rc   core.RC
		lint string
	}
	var results []attempt
	var last *core.KeyEntry
	rc := core.RCFail
	cands := vs.v.kr.Lookup(it.Sig.KeyID)
	if vs.profile() == core.ProfileLegacy && len(cands) > 1 {
		// rpm 4.18 findbySig: the first key with the key ID only; when its
		// algorithm differs the signature is verified without a key.
		cands = cands[:1]
	}
	for i := range cands {
		c := &cands[i]
		if c.Key.PubKeyAlgo != it.Sig.PubKeyAlgo {
			continue
		}
		last = c
		vd, err := vs.v.b.VerifySignature(c.Key, it.Sig, it.ctx)
		if err != nil {
			return fmt.Errorf("backend: verifying signature: %w", err)
		}
		rc = vd.RC
		if rc == core.RCOK {
			results = results[:0]
		}
		results = append(results, attempt{rc, vd.Lint})
		if rc == core.RCOK {
			break
		}
	}
	if len(results) == 0 {
		last = nil
		vd, err := vs.v.b.VerifySignature(nil, it.Sig, it.ctx)
		if err != nil {
			return fmt.Errorf("backend: verifying signature: %w", err)
		}
		rc = vd.RC
		if rc == core.RCOK {
			// rpm asserts this cannot happen; fail closed.
			rc = core.RCFail
		}
		results = append(results, attempt{rc, vd.Lint})
	}
	if rc == core.RCInvalid {
		rc = core.RCFail
	}
	for _, a := range results {
		if a.lint != "" {
			vs.lint(it, a.rc != core.RCOK, a.lint)
		}
	}
	it.RC = rc
	if last != nil {
		it.KeyFingerprint = last.Primary.Fingerprint
	}
	return nil
}

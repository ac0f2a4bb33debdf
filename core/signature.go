package core

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// verifyItem is rpmVerifySignature.
func (vs *vstate) verifyItem(it *Item) error {
	defer func() {
		if it.ctx != nil {
			_ = it.ctx.Close()
			it.ctx = nil
		}
	}()
	switch it.Type {
	case TypeDigest:
		sum, err := it.ctx.Final()
		it.ctx = nil
		if err != nil {
			return fmt.Errorf("backend: finishing %v digest: %w", it.HashAlgo, err)
		}
		got := hex.EncodeToString(sum)
		if len(sum) > 0 && strings.EqualFold(it.expected, got) {
			it.RC = RCOK
		} else {
			it.RC = RCFail
			it.Msg = fmt.Sprintf("Expected %s != %s", it.expected, got)
		}
		return nil
	case TypeSignature:
		// verifySignature: only binary document signatures sign packages.
		if it.Sig.SigType != 0x00 {
			it.RC = RCFail
			return nil
		}
		return vs.keyringVerify(it)
	}
	it.RC = RCFail
	return nil
}

// keyringVerify is rpmKeyringVerifySig2 (rpm 6: every key and subkey with
// the signature's key ID and algorithm is tried until one verifies; rpm 4.18:
// the first such key only), then the key-less sanity check.
func (vs *vstate) keyringVerify(it *Item) error {
	type attempt struct {
		rc   RC
		lint string
	}
	var results []attempt
	var last *KeyEntry
	rc := RCFail
	cands := vs.v.kr.Lookup(it.Sig.KeyID)
	if vs.profile() == ProfileLegacy && len(cands) > 1 {
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
		if rc == RCOK {
			results = results[:0]
		}
		results = append(results, attempt{rc, vd.Lint})
		if rc == RCOK {
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
		if rc == RCOK {
			// rpm asserts this cannot happen; fail closed.
			rc = RCFail
		}
		results = append(results, attempt{rc, vd.Lint})
	}
	if rc == RCInvalid {
		rc = RCFail
	}
	for _, a := range results {
		if a.lint != "" {
			vs.lint(it, a.rc != RCOK, a.lint)
		}
	}
	it.RC = rc
	if last != nil {
		it.KeyFingerprint = last.Primary.Fingerprint
	}
	return nil
}

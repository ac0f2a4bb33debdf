package core

import (
	"bytes"
	"testing"
)

// TestItemLine: rpmsinfoDescr/rpmsinfoMsg in rpm 6's and rpm 4.18's words,
// and the cases.tsv name, for each kind of item.
func TestItemLine(t *testing.T) {
	t.Parallel()
	sig := &Params{Kind: KindSignature, Version: 4, PubKeyAlgo: PubKeyRSA, HashAlgo: HashSHA256,
		KeyID: KeyID{0x43, 0x44, 0x59, 0x1e, 0x19, 0x64, 0xc5, 0xfc}}
	fpr := bytes.Repeat([]byte{0xab}, 20)
	tests := []struct {
		name         string
		it           Item
		line6, line4 string
		caseName     string
	}{
		{"header digest", Item{Tag: 273, Type: TypeDigest, Range: RangeHeader, HashAlgo: HashSHA256, RC: RCOK},
			"Header SHA256 digest: OK", "Header SHA256 digest: OK", "HeaderSHA256"},
		{"payload ALT digest", Item{Tag: 5097, Type: TypeDigest, Range: RangePayload, HashAlgo: HashSHA256, Alt: true, RC: RCNotFound},
			"Payload SHA256 ALT digest: NOTFOUND", "Payload SHA256 ALT digest: NOTFOUND", "PayloadSHA256ALT"},
		{"MD5 (legacy range)", Item{Tag: 1004, Type: TypeDigest, Range: RangeBoth, HashAlgo: HashMD5, RC: RCFail, Msg: "Expected aa != bb"},
			"Legacy MD5 digest: BAD (Expected aa != bb)", "MD5 digest: BAD (Expected aa != bb)", "MD5"},
		{"absent header signature slot", Item{Tag: 268, Type: TypeSignature, Range: RangeHeader, SigAlgo: PubKeyRSA, RC: RCNotFound},
			"Header OpenPGP RSA signature: NOTFOUND", "Header RSA signature: NOTFOUND", "HeaderSig@268"},
		// rpm 4.18 has no OPENPGP slot; its words for algorithm 0 are
		// pgpValString's.
		{"absent OPENPGP slot", Item{Tag: 278, Type: TypeSignature, Range: RangeHeader, RC: RCNotFound},
			"Header OpenPGP signature: NOTFOUND", "Header Unknown public key algorithm signature: NOTFOUND", "HeaderSig@278"},
		{"signature without a key", Item{Tag: 268, Type: TypeSignature, Range: RangeHeader, Sig: sig, RC: RCNoKey},
			"Header OpenPGP V4 RSA/SHA256 signature, key ID 4344591e1964c5fc: NOKEY",
			"Header V4 RSA/SHA256 Signature, key ID 1964c5fc: NOKEY", "HeaderSig@268"},
		{"signature with the key tried", Item{Tag: 1002, Type: TypeSignature, Range: RangeBoth, Sig: sig, RC: RCOK, KeyFingerprint: fpr},
			"Legacy OpenPGP V4 RSA/SHA256 signature, key fingerprint: " + string(bytes.Repeat([]byte("ab"), 20)) + ": OK",
			"V4 RSA/SHA256 Signature, key ID 1964c5fc: OK", "LegacySig@1002"},
		{"second of three v6 signatures", Item{Tag: 278, Index: 1, Count: 3, Type: TypeSignature, Range: RangeHeader, RC: RCFail, Msg: "package tag 278: invalid base64"},
			"Header OpenPGP signature: BAD (package tag 278: invalid base64)", "Header Unknown public key algorithm signature: BAD (package tag 278: invalid base64)", "HeaderSig@278#2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.it.Line(ProfileStrict); got != tc.line6 {
				t.Errorf("rpm 6:    %q\nwant      %q", got, tc.line6)
			}
			if got := tc.it.Line(ProfileLegacy); got != tc.line4 {
				t.Errorf("rpm 4.18: %q\nwant      %q", got, tc.line4)
			}
			if got := tc.it.Name(); got != tc.caseName {
				t.Errorf("Name() = %q, want %q", got, tc.caseName)
			}
		})
	}
}

// TestSummary: rpmpkgVerifySigs' one-line tail and the cases.tsv rendering.
func TestSummary(t *testing.T) {
	t.Parallel()
	dig := func(rc RC, shown bool) *Item {
		return &Item{Tag: 273, Type: TypeDigest, Range: RangeHeader, HashAlgo: HashSHA256, RC: rc, Shown: shown}
	}
	sig := func(rc RC, shown bool) *Item {
		return &Item{Tag: 268, Type: TypeSignature, Range: RangeHeader, SigAlgo: PubKeyRSA, RC: rc, Shown: shown}
	}
	tests := []struct {
		name    string
		res     Result
		summary string
		items   string
	}{
		{"nothing shown", Result{}, " OK", ""},
		{"nothing shown, failed", Result{Failed: true}, " NOT OK", ""},
		{"digests and signatures", Result{Items: []*Item{sig(RCOK, true), dig(RCOK, true)}}, " digests signatures OK", "HeaderSig@268=OK,HeaderSHA256=OK"},
		{"hidden items do not count", Result{Items: []*Item{sig(RCNotFound, false), dig(RCOK, true)}}, " digests OK", "HeaderSHA256=OK"},
		{"bad signature", Result{Items: []*Item{sig(RCNoKey, true), dig(RCOK, true)}, Failed: true}, " digests SIGNATURES NOT OK", "HeaderSig@268=NOKEY,HeaderSHA256=OK"},
		{"bad digest", Result{Items: []*Item{dig(RCFail, true)}, Failed: true}, " DIGESTS NOT OK", "HeaderSHA256=BAD"},
		{"unreadable", Result{ReadFailed: true, Failed: true}, " NOT OK", "unreadable"},
		{"not opened", Result{OpenFailed: true, Failed: true}, " NOT OK", "unreadable"},
	}
	for _, tc := range tests {
		if got := tc.res.Summary(); got != tc.summary {
			t.Errorf("%s: Summary() = %q, want %q", tc.name, got, tc.summary)
		}
		if got := tc.res.CaseItems(); got != tc.items {
			t.Errorf("%s: CaseItems() = %q, want %q", tc.name, got, tc.items)
		}
	}
}

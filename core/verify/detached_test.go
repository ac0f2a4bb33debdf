package verify

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestVerifyDetached: a detached signature over data is hashed (salt
// first) and checked against the keyring like a package signature, but
// any signature type is taken as it is.
func TestVerifyDetached(t *testing.T) {
	t.Parallel()
	data := []byte("repomd.xml contents\n")
	sig := func(s fakeSig) []byte { return signFake(t, s, data) }
	tests := []struct {
		name string
		sig  []byte
		want DetachedResult
	}{
		{"good", sig(fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id1}),
			DetachedResult{RC: core.RCOK, Verdict: "OK", Descr: "V4 RSA/SHA256 signature, key ID 1111111111111111", KeyFingerprint: key1.Primary.Fingerprint}},
		{"text signature, v6 salted", sig(fakeSig{version: 6, algo: core.PubKeyEdDSA, hash: core.HashSHA512, keyID: id2, sigType: 1, salt: []byte("0123456789abcdef")}),
			DetachedResult{RC: core.RCOK, Verdict: "OK", Descr: "V6 EdDSA/SHA512 signature, key ID 2222222222222222", KeyFingerprint: key2.Primary.Fingerprint}},
		{"unknown key", sig(fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: idNoKey}),
			DetachedResult{RC: core.RCNoKey, Verdict: "NOKEY", Descr: "V4 RSA/SHA256 signature, key ID 9999999999999999"}},
		{"other data", signFake(t, fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id1}, []byte("other")),
			DetachedResult{RC: core.RCFail, Verdict: "BAD", Descr: "V4 RSA/SHA256 signature, key ID 1111111111111111", KeyFingerprint: key1.Primary.Fingerprint,
				Lints: []core.Lint{{Error: true, Text: "fake: digest mismatch"}}}},
		{"unsupported hash", fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA224, keyID: id1}.encode(),
			DetachedResult{RC: core.RCNotFound, Verdict: "NOTFOUND", Descr: "V4 RSA/SHA224 signature, key ID 1111111111111111",
				Lints: []core.Lint{{Error: true, Text: "unsupported hash algorithm SHA224"}}}},
		{"not a signature", []byte("garbage"),
			DetachedResult{RC: core.RCFail, Verdict: "parse-fail", ParseFailed: true, Lints: []core.Lint{{Error: true, Text: "fake: not a signature"}}}},
		{"too large", bytes.Repeat([]byte{'x'}, maxDetachedSig+1),
			DetachedResult{RC: core.RCFail, Verdict: "parse-fail", ParseFailed: true, Lints: []core.Lint{{Error: true, Text: "signature file too large (1048577 bytes)"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &fakeBackend{}
			v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1, key2}), core.VerifyConfig{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.VerifyDetached(tc.sig, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			got.Sig = nil
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// An armored signature is decoded before the backend sees it.
	b := &fakeBackend{}
	v, _ := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1}), core.VerifyConfig{})
	armored := "-----BEGIN PGP SIGNATURE-----\n\n" + base64.StdEncoding.EncodeToString(sig(fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, keyID: id1})) + "\n-----END PGP SIGNATURE-----\n"
	if got, err := v.VerifyDetached([]byte(armored), bytes.NewReader(data)); err != nil || got.Verdict != "OK" {
		t.Errorf("armored: %+v, %v", got, err)
	}
}

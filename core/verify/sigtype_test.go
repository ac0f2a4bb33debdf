package verify

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rpmpgp/rpmpgp/internal/rpmgen"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestOnlyBinarySignatures: rpm verifies only binary-document signatures
// (RFC 9580 type 0x00) of packages; any other type is BAD without asking
// the backend (rpm lib/rpmvs.cc: pgpSignatureType != PGPSIGTYPE_BINARY).
// docs/strict-rules.md rule 18.
func TestOnlyBinarySignatures(t *testing.T) {
	textSig := func(t testing.TB, p *rpmgen.Package) []rpmgen.Entry {
		return []rpmgen.Entry{rpmgen.Bin(rpmgen.SigTagRSA, signFake(t, fakeSig{version: 4, algo: core.PubKeyRSA, hash: core.HashSHA256, sigType: 0x01, keyID: id1}, p.Header))}
	}
	b := &fakeBackend{noHash: map[core.HashAlgo]bool{}}
	v, err := NewVerifier(b, core.NewKeyringFrom(b, []core.KeyringCert{key1, key2}), core.StrictDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(bytes.NewReader(buildPackage(t, textSig)), "test.rpm")
	if err != nil {
		t.Fatalf("no verdict: %v", err)
	}
	want := []string{noHeaderDSA, "Header OpenPGP V4 RSA/SHA256 signature, key ID 1111111111111111: BAD", noOpenPGP, sha256OK6, payloadOK6,
		noLegacyDSA, noLegacyRSA, "summary: digests SIGNATURES NOT OK"}
	if diff := cmp.Diff(want, render(res, core.ProfileStrict)); diff != "" || !res.Failed {
		t.Errorf("failed=%v, lines (-want +got):\n%s", res.Failed, diff)
	}
	if len(b.calls) != 0 {
		t.Errorf("backend asked to verify a text signature: %v", b.calls)
	}
}

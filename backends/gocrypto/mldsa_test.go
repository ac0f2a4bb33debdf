package gocrypto

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cloudflare/circl/sign/mldsa/mldsa65"
	"github.com/cloudflare/circl/sign/mldsa/mldsa87"

	"github.com/rpmpgp/rpmpgp/core"
)

// TestMLDSAComposite checks the ML-DSA + EdDSA composite signatures of
// draft-ietf-openpgp-pqc (algorithm 30 = ML-DSA-65+Ed25519, 31 =
// ML-DSA-87+Ed448) end to end: v6 certificates whose self-signatures are
// composite, data signatures that are OK only when both the EdDSA and the
// ML-DSA half verify, the 256-bit minimum digest, and the v6-only rule.
func TestMLDSAComposite(t *testing.T) {
	b := newBackend(t)
	for _, tc := range []struct {
		algo         byte
		mldsaSigSize int
	}{{30, mldsa65.SignatureSize}, {31, mldsa87.SignatureSize}} {
		name := core.PubKeyAlgo(tc.algo).String()
		t.Run(name, func(t *testing.T) {
			k := newMLDSAKey(t, tc.algo, 6, keyTime)
			cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
			if v, err := b.LintKey(cert); err != nil || v.RC != core.RCOK || v.Lint != "" {
				t.Fatalf("LintKey: %v %v %q, want OK", err, v.RC, v.Lint)
			}
			good := sign(t, k, sigSpec{sigType: 0, created: sigTime, hash: 10}, message)
			if v := verify(t, b, cert, good, message, false); v.RC != core.RCOK || v.Lint != "" {
				t.Errorf("SHA512 signature: got %v %q, want OK", v.RC, v.Lint)
			}
			if v := verify(t, b, nil, good, message, false); v.RC != core.RCNoKey || v.Lint != "" {
				t.Errorf("without the key: got %v %q, want NOKEY", v.RC, v.Lint)
			}
			// Flip one octet in the EdDSA half (just before the ML-DSA
			// signature) and one in the ML-DSA half: each alone must fail.
			badEd := slices.Clone(good)
			badEd[len(badEd)-tc.mldsaSigSize-1] ^= 0x01
			badML := slices.Clone(good)
			badML[len(badML)-tc.mldsaSigSize/2] ^= 0x01
			for what, sig := range map[string][]byte{"EdDSA half": badEd, "ML-DSA half": badML} {
				if v := verify(t, b, cert, sig, message, false); v.RC != core.RCFail || v.Lint != "" {
					t.Errorf("bad %s: got %v %q, want BAD", what, v.RC, v.Lint)
				}
			}
			if v := verify(t, b, cert, good, []byte("hello rpm!\n"), false); v.RC != core.RCFail {
				t.Errorf("tampered data: got %v %q, want BAD", v.RC, v.Lint)
			}
			// SHA-224 is acceptable to the policy, but shorter than the
			// 256 bits the draft requires for composite signatures.
			short := sign(t, k, sigSpec{sigType: 0, created: sigTime, hash: 11}, message)
			if v := verify(t, b, cert, short, message, false); v.RC != core.RCFail {
				t.Errorf("SHA224 signature: got %v %q, want BAD", v.RC, v.Lint)
			}
		})
	}

	// A v4 key with a composite algorithm: the draft allows only v6, so its
	// self-signatures do not count and the certificate is not usable.
	k4 := newMLDSAKey(t, 31, 4, keyTime)
	cert4 := makeCert(t, k4, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	want := fmt.Sprintf("Certificate %X:\n  Policy rejects %X: No binding signature at time 2025-01-01T00:00:00Z", k4.keyID(), k4.keyID())
	if v, err := b.LintKey(cert4); err != nil || v.RC != core.RCFail || v.Lint != want {
		t.Errorf("v4 ML-DSA-87+Ed448 key: LintKey %v %v %q\nwant FAIL %q", err, v.RC, v.Lint, want)
	}
}

// TestDescribeMLDSA: the gocrypto backend announces the composites.
func TestDescribeMLDSA(t *testing.T) {
	d, err := New().Describe()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"ML-DSA-65+Ed25519", "ML-DSA-87+Ed448"} {
		if !slices.Contains(d.PubKeyAlgos, a) {
			t.Errorf("PubKeyAlgos %v lacks %s", d.PubKeyAlgos, a)
		}
	}
}

package gocrypto

import (
	"fmt"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
)

// Tests that pin rows of docs/strict-rules.md not covered elsewhere: which
// subpackets count (hashed area only, the last instance), which critical
// subpackets the policy rejects, and what a subkey takes from the
// certificate's direct-key signature and primary key (Sequoia
// ValidAmalgamation::map, direct_key_signature, ValidKeyAmalgamation::alive).

// TestCriticalSubpackets: StandardPolicy::signature rejects a critical
// subpacket it does not accept (an unknown type, Signature Target 31, any
// notation) in the hashed area; a legacy rejection (the NullPolicy accepts
// everything) makes a good signature NOTTRUSTED. Criticality in the
// unhashed area is ignored, and Preferred AEAD Algorithms (34) may be
// critical.
func TestCriticalSubpackets(t *testing.T) {
	b := newBackend(t)
	k := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	notation := append([]byte{0x80, 0, 0, 0, 0, 4, 0, 1}, "test"...)
	notation = append(notation, 'x')
	tests := []struct {
		name               string
		hashed, unhashed   []byte
		rc                 core.RC
		because1, because2 string
	}{
		{"unknown type, hashed", sub(0x80|100, []byte{1}), nil, core.RCNotTrusted,
			"Policy rejected critical signature subpacket", "Private(100) is not considered secure"},
		{"unknown type 60, hashed", sub(0x80|60, []byte{1}), nil, core.RCNotTrusted,
			"Policy rejected critical signature subpacket", "Unknown(60) is not considered secure"},
		{"signature target, hashed", sub(0x80|31, []byte{22, 8, 0}), nil, core.RCNotTrusted,
			"Policy rejected critical signature subpacket", "SignatureTarget is not considered secure"},
		{"notation, hashed", sub(0x80|20, notation), nil, core.RCNotTrusted,
			"Policy rejected critical notation", `Critical notation "test" is not considered secure`},
		{"unknown type, unhashed", nil, sub(0x80|100, []byte{1}), core.RCOK, "", ""},
		{"preferred AEAD algorithms, hashed", sub(0x80|34, []byte{2}), nil, core.RCOK, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig := sign(t, k, sigSpec{sigType: 0, created: sigTime, hashed: tc.hashed, unhashed: tc.unhashed}, message)
			want := ""
			if tc.rc != core.RCOK {
				want = header(k) + "\n  Signature " + sigID(sig, b, sigTime) + " invalid: signature relies on legacy cryptography\n      because: " + tc.because1 + "\n      because: " + tc.because2
			}
			if v := verify(t, b, cert, sig, message, false); v.RC != tc.rc || v.Lint != want {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, want)
			}
		})
	}
}

// TestLastCreationTimeCounts: of several Signature Creation Time
// subpackets in the hashed area the last one counts (Sequoia
// SubpacketAreas::signature_creation_time); the unhashed area is never
// consulted.
func TestLastCreationTimeCounts(t *testing.T) {
	b := newBackend(t)
	k := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	future := now.Add(time.Hour)
	// sign writes sigTime first; a later hashed one from the future wins.
	fromFuture := sign(t, k, sigSpec{sigType: 0, created: sigTime, hashed: sub(2, u32(uint32(future.Unix())))}, message)
	want := header(k) + "\n  Signature " + sigID(fromFuture, b, future) + " invalid: signature is not alive\n      because: Not live until 2025-01-01T01:00:00Z"
	if v := verify(t, b, cert, fromFuture, message, false); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("hashed: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}
	unhashed := sign(t, k, sigSpec{sigType: 0, created: sigTime, unhashed: sub(2, u32(uint32(future.Unix())))}, message)
	if v := verify(t, b, cert, unhashed, message, false); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("unhashed: got %v %q, want OK", v.RC, v.Lint)
	}
}

// directKeyCert builds a certificate whose direct-key signature carries
// direct (hashed subpackets) and whose User ID binding carries uid; the
// subkey binding carries subHashed and, if backsig, a Primary Key Binding
// signature.
func directKeyCert(t *testing.T, pk, sk *testKey, direct, uid, subHashed []byte, backsig bool) []byte {
	t.Helper()
	const name = "Test <test@example.org>"
	out := pkt(6, pk.body)
	out = append(out, sign(t, pk, sigSpec{sigType: 0x1f, created: keyTime, hashed: direct}, pk.hashed())...)
	out = append(out, pkt(13, []byte(name))...)
	out = append(out, sign(t, pk, sigSpec{sigType: 0x13, created: keyTime, hashed: uid}, pk.hashed(), uidHashed(name))...)
	out = append(out, pkt(14, sk.body)...)
	h := subHashed
	if backsig {
		back := sign(t, sk, sigSpec{sigType: 0x19, created: keyTime}, pk.hashed(), sk.hashed())
		h = append(append([]byte{}, h...), sub(32, pktBody(back))...)
	}
	return append(out, sign(t, pk, sigSpec{sigType: 0x18, created: keyTime, hashed: h}, pk.hashed(), sk.hashed())...)
}

// TestSubkeyInheritsFromDirectKeySignature: a subkey binding without Key
// Flags takes the direct-key signature's (the signing flag there makes the
// subkey signing capable; the binding itself needs no backsig then, as
// Sequoia checks backsigs only for bindings whose own flags say signing);
// without flags anywhere nothing is inferred and the subkey cannot sign. A
// binding without Key Expiration Time takes the direct-key signature's,
// counted from the subkey's creation.
func TestSubkeyInheritsFromDirectKeySignature(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	sk := newEd25519Key(t, 4, keyTime)
	sig := sign(t, sk, sigSpec{sigType: 0, created: sigTime}, message)
	skID := fmt.Sprintf("%X", sk.keyID())
	neverExpires := sub(9, u32(0))

	flagsFromDirect := directKeyCert(t, pk, sk, sub(27, []byte{0x03}), sub(27, []byte{0x01}), nil, false)
	if v := verify(t, b, flagsFromDirect, sig, message, true); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("flags from the direct-key signature: got %v %q, want OK", v.RC, v.Lint)
	}

	noFlags := directKeyCert(t, pk, sk, nil, sub(27, []byte{0x03}), nil, true)
	want := header(pk) + "\n  Key " + skID + " invalid: not signing capable"
	if v := verify(t, b, noFlags, sig, message, true); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("no flags: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}

	// The direct-key signature expires keys an hour after creation; the
	// User ID binding says the primary key never expires.
	expiryFromDirect := directKeyCert(t, pk, sk, sub(9, u32(3600)), append(sub(27, []byte{0x01}), neverExpires...), sub(27, []byte{0x02}), true)
	want = header(pk) + "\n  Key " + skID + " invalid: key is not alive\n      because: The subkey is not live\n      because: Expired on 2024-01-01T01:00:00Z"
	if v := verify(t, b, expiryFromDirect, sig, message, true); v.RC != core.RCNotTrusted || v.Lint != want {
		t.Errorf("expiry from the direct-key signature: got %v %q\nwant NOTTRUSTED %q", v.RC, v.Lint, want)
	}
}

// TestSubkeyOfExpiredCertificate: a subkey is alive only while its
// certificate is (ValidKeyAmalgamation::alive: "The certificate is not
// live"), so pgpVerifySignature2 names both, and pgpPubKeyLint does not
// count the subkey as a usable signing key.
func TestSubkeyOfExpiredCertificate(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	sk := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, pk, certSpec{primaryFlags: []byte{0x01}, primaryExp: 3600, subkey: sk, subFlags: []byte{0x02}}, keyTime)
	sig := sign(t, sk, sigSpec{sigType: 0, created: sigTime}, message)
	pkID, skID := fmt.Sprintf("%X", pk.keyID()), fmt.Sprintf("%X", sk.keyID())
	const expired = "\n      because: The primary key is not live\n      because: Expired on 2024-01-01T01:00:00Z"
	want := header(pk) + "\n  1. Certificate " + pkID + " invalid: certificate is not alive" + expired +
		"\n  2. Key " + skID + " invalid: key is not alive\n      because: The certificate is not live" + expired
	if v := verify(t, b, cert, sig, message, true); v.RC != core.RCNotTrusted || v.Lint != want {
		t.Errorf("verify: got %v %q\nwant NOTTRUSTED %q", v.RC, v.Lint, want)
	}
	wantLint := "Certificate " + pkID + ":\n  The certificate is expired: The primary key is not live\n  Certificate does not have any usable signing keys"
	if v, err := b.LintKey(cert); err != nil || v.RC != core.RCOK || v.Lint != wantLint {
		t.Errorf("LintKey: %v %v %q\nwant OK %q", err, v.RC, v.Lint, wantLint)
	}
}

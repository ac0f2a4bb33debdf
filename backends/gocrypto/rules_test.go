package gocrypto

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/policyconf"
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

// TestPacketFraming: partial body lengths are refused for signatures, and
// pgpPubKeyCertLen (rpm-sequoia _pgpPubKeyCertLen) refuses a buffer that
// does not start with a key, packets that do not belong in a certificate
// and indeterminate lengths, and stops at the next primary key.
func TestPacketFraming(t *testing.T) {
	b := newBackend(t)
	k := newEd25519Key(t, 4, keyTime)
	good := sign(t, k, sigSpec{sigType: 0, created: sigTime}, message)
	body := pktBody(good)
	// A partial body length of 2^5 octets, then the rest as one final chunk.
	partial := append([]byte{0xc2, 0xe5}, body[:32]...)
	partial = append(partial, byte(len(body)-32))
	partial = append(partial, body[32:]...)
	if pr, err := b.ParseSignature(partial); err != nil || pr.OK() {
		t.Errorf("partial body length: %v, OK=%v", err, pr.OK())
	}

	cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	other := makeCert(t, newEd25519Key(t, 4, keyTime), certSpec{primaryFlags: []byte{0x03}}, keyTime)
	if n, err := b.CertLen(append(append([]byte{}, cert...), other...)); err != nil || n != len(cert) {
		t.Errorf("two certificates: %d %v, want %d", n, err, len(cert))
	}
	literal := pkt(11, []byte("b\x00\x00\x00\x00\x00x"))
	indeterminate := append([]byte{0xb7}, []byte("Test")...) // old-format User ID, length type 3
	for name, in := range map[string][]byte{
		"starts with a User ID":       pkt(13, []byte("Test")),
		"literal data packet":         append(append([]byte{}, cert...), literal...),
		"indeterminate length":        append(append([]byte{}, cert...), indeterminate...),
		"truncated":                   cert[:len(cert)-1],
		"starts with a signature":     good,
		"nothing but a marker packet": pkt(10, []byte("PGP")),
	} {
		if n, err := b.CertLen(in); err == nil {
			t.Errorf("CertLen(%s) = %d, want an error", name, n)
		}
	}
}

// TestSignatureFields: a v6 signature's salt must have the size its hash
// fixes (RFC 9580, Section 5.2.3); a signature without a creation time
// or without an issuer is FAIL; a signature from the future is accepted
// within 5 minutes of clock skew; an expired signature is FAIL.
func TestSignatureFields(t *testing.T) {
	b := newBackend(t)
	k := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)

	v6 := newEd25519Key(t, 6, keyTime)
	s6 := pktBody(sign(t, v6, sigSpec{sigType: 0, created: sigTime}, message))
	hashedLen := int(s6[4])<<24 | int(s6[5])<<16 | int(s6[6])<<8 | int(s6[7])
	pos := 8 + hashedLen + 4 + 2 // salt size octet
	if s6[pos] != 16 {
		t.Fatalf("salt size %d at %d", s6[pos], pos)
	}
	short := append(append(append([]byte{}, s6[:pos]...), 15), s6[pos+2:]...)
	if pr, err := b.ParseSignature(pkt(2, short)); err != nil || pr.OK() {
		t.Errorf("v6 salt of 15 octets for SHA256: %v, OK=%v", err, pr.OK())
	}

	noTime := sign(t, k, sigSpec{sigType: 0, noCreated: true}, message)
	want := header(k) + "\n  Signature " + fmt.Sprintf("%02x%02x", noTime[len(noTime)-66], noTime[len(noTime)-65]) + " created at <unknown> invalid: signature missing a creation time"
	if v := verify(t, b, cert, noTime, message, false); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("no creation time: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}

	noIssuer := sign(t, k, sigSpec{sigType: 0, created: sigTime, noIssuer: true}, message)
	want = header(k) + "\n  Signature " + sigID(noIssuer, b, sigTime) + " invalid: signature has no issuer subpacket"
	if v := verify(t, b, cert, noIssuer, message, false); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("no issuer: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}
	if v := verify(t, b, nil, noIssuer, message, false); v.RC != core.RCFail {
		t.Errorf("no issuer, no key: got %v, want FAIL", v.RC)
	}

	skewed := sign(t, k, sigSpec{sigType: 0, created: now.Add(4 * time.Minute)}, message)
	if v := verify(t, b, cert, skewed, message, false); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("4 minutes ahead: got %v %q, want OK", v.RC, v.Lint)
	}
	tooFar := sign(t, k, sigSpec{sigType: 0, created: now.Add(5*time.Minute + time.Second)}, message)
	if v := verify(t, b, cert, tooFar, message, false); v.RC != core.RCFail {
		t.Errorf("5 minutes 1 second ahead: got %v %q, want FAIL", v.RC, v.Lint)
	}

	// Signature Expiration Time: a day after creation, long before now.
	expired := sign(t, k, sigSpec{sigType: 0, created: sigTime, hashed: sub(3, u32(86400))}, message)
	want = header(k) + "\n  Signature " + sigID(expired, b, sigTime) + " invalid: signature is not alive\n      because: Expired on 2024-06-02T12:00:00Z"
	if v := verify(t, b, cert, expired, message, false); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("expired signature: got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}
}

// TestWrongSubkey: rpm passes the key whose key ID the signature names; if
// the certificate's key for the issuer is not that key, the verdict is
// FAIL ("wrong subkey").
func TestWrongSubkey(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	sk := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, pk, certSpec{primaryFlags: []byte{0x03}, subkey: sk, subFlags: []byte{0x02}}, keyTime)
	byPrimary := sign(t, pk, sigSpec{sigType: 0, created: sigTime}, message)
	want := header(pk) + fmt.Sprintf("\n  Key %X invalid: wrong subkey (%X)", pk.keyID(), sk.fpr())
	if v := verify(t, b, cert, byPrimary, message, true); v.RC != core.RCFail || v.Lint != want {
		t.Errorf("got %v %q\nwant FAIL %q", v.RC, v.Lint, want)
	}
}

// TestThirdPartyOnly: signatures by other keys are not self-signatures
// (third-party certifications and revocations are ignored, as
// rpm-sequoia uses only self-signatures): a certificate whose only User ID
// binding is by another key has no binding even under the NullPolicy, so
// pgpPubKeyLint and pgpVerifySignature2 are FAIL; a key revocation by
// another key does not revoke.
func TestThirdPartyOnly(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	other := newEd25519Key(t, 4, keyTime)
	const uid = "Test <test@example.org>"
	cert := pkt(6, pk.body)
	cert = append(cert, pkt(13, []byte(uid))...)
	cert = append(cert, sign(t, other, sigSpec{sigType: 0x13, created: keyTime, hashed: sub(27, []byte{0x03})}, pk.hashed(), uidHashed(uid))...)
	id := fmt.Sprintf("%X", pk.keyID())
	wantLint := "Certificate " + id + ":\n  Policy rejects " + id + ": No binding signature at time 2025-01-01T00:00:00Z"
	if v, err := b.LintKey(cert); err != nil || v.RC != core.RCFail || v.Lint != wantLint {
		t.Errorf("LintKey: %v %v %q\nwant FAIL %q", err, v.RC, v.Lint, wantLint)
	}
	sig := sign(t, pk, sigSpec{sigType: 0, created: sigTime}, message)
	if v := verify(t, b, cert, sig, message, false); v.RC != core.RCFail {
		t.Errorf("verify: got %v %q, want FAIL", v.RC, v.Lint)
	}

	good := makeCert(t, pk, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	revokedByOther := append(append([]byte{}, good...), sign(t, other, sigSpec{sigType: 0x20, created: sigTime}, pk.hashed())...)
	if v := verify(t, b, revokedByOther, sig, message, false); v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("revoked by another key: got %v %q, want OK", v.RC, v.Lint)
	}
}

// TestUserIDHashSecurity: a self-signature over a User ID of at most 96
// octets of printable UTF-8 needs only second pre-image resistance
// (Sequoia UserID hash_algo_security), so SHA-1 binds it until
// 2023-02-01; a longer User ID needs collision resistance (SHA-1 until
// 2013-02-01), so at a 2020 reference time its SHA-1 binding is legacy
// and pgpPubKeyLint is NOTTRUSTED.
func TestUserIDHashSecurity(t *testing.T) {
	b := New()
	if err := b.Init(core.Options{Time: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	pk := newEd25519Key(t, 4, created)
	build := func(uid string) []byte {
		out := pkt(6, pk.body)
		out = append(out, pkt(13, []byte(uid))...)
		return append(out, sign(t, pk, sigSpec{sigType: 0x13, created: created, hash: 2, hashed: sub(27, []byte{0x03})}, pk.hashed(), uidHashed(uid))...)
	}
	if v, err := b.LintKey(build("Short <short@example.org>")); err != nil || v.RC != core.RCOK || v.Lint != "" {
		t.Errorf("short User ID: %v %v %q, want OK", err, v.RC, v.Lint)
	}
	long := "Long " + strings.Repeat("x", 100) + " <long@example.org>"
	id := fmt.Sprintf("%X", pk.keyID())
	want := "Certificate " + id + ":\n  Policy rejects " + id + ": No binding signature at time 2020-01-01T00:00:00Z, because SHA1 is not considered secure since 2013-02-01T00:00:00Z"
	if v, err := b.LintKey(build(long)); err != nil || v.RC != core.RCNotTrusted || v.Lint != want {
		t.Errorf("long User ID: %v %v %q\nwant NOTTRUSTED %q", err, v.RC, v.Lint, want)
	}
}

// TestRevocationHashTolerance: revocation signatures get 7 years (and 2
// days) beyond a hash's cutoff (Sequoia hash_revocation_tolerance), so a
// SHA-1 key revocation (SPR cutoff 2023-02-01) still counts in 2029 and no
// longer in 2031.
func TestRevocationHashTolerance(t *testing.T) {
	p := policyconf.Default()
	in2029 := time.Date(2029, 6, 1, 0, 0, 0, 0, time.UTC)
	in2031 := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := p.CheckHash(core.HashSHA1, policyconf.SecondPreimageResistance, true, in2029); err != nil {
		t.Errorf("SHA-1 revocation in 2029: %v", err)
	}
	if err := p.CheckHash(core.HashSHA1, policyconf.SecondPreimageResistance, false, in2029); err == nil {
		t.Error("SHA-1 binding in 2029 accepted")
	}
	if err := p.CheckHash(core.HashSHA1, policyconf.SecondPreimageResistance, true, in2031); err == nil {
		t.Error("SHA-1 revocation in 2031 accepted")
	}
}

// TestPacketVersionPolicy: rpm-sequoia checks Policy::packet on data
// signatures itself (sequoia issue #953): a policy rejecting signature
// packets v4 makes a good v4 signature legacy (NOTTRUSTED), with and
// without the key; v3 is accepted by default (the v3 exception).
func TestPacketVersionPolicy(t *testing.T) {
	b := New()
	if err := b.Init(core.Options{Time: now, Policy: []byte("[packets]\nsignature.v4 = \"never\"\n")}); err != nil {
		t.Fatal(err)
	}
	k := newEd25519Key(t, 4, keyTime)
	cert := makeCert(t, k, certSpec{primaryFlags: []byte{0x03}}, keyTime)
	sig := sign(t, k, sigSpec{sigType: 0, created: sigTime}, message)
	v := verify(t, b, cert, sig, message, false)
	if v.RC != core.RCNotTrusted || !strings.Contains(v.Lint, "invalid: signature relies on legacy cryptography\n      because: Signature Packet v4 is not considered secure") {
		t.Errorf("with key: got %v %q, want NOTTRUSTED (Signature Packet v4)", v.RC, v.Lint)
	}
	if v := verify(t, b, nil, sig, message, false); v.RC != core.RCNotTrusted {
		t.Errorf("without key: got %v %q, want NOTTRUSTED", v.RC, v.Lint)
	}
}

// TestLintKeyNotACertificate: pgpPubKeyLint on bytes that are not a
// certificate is FAIL.
func TestLintKeyNotACertificate(t *testing.T) {
	b := newBackend(t)
	v, err := b.LintKey([]byte("not a key"))
	if err != nil || v.RC != core.RCFail || !strings.HasPrefix(v.Lint, "Not an OpenPGP certificate: ") {
		t.Errorf("got %v %v %q, want FAIL", err, v.RC, v.Lint)
	}
}

// TestPrimaryUserID: pgpPrtParams of a certificate reports the primary
// User ID valid now: one whose binding has the Primary User ID flag wins,
// else the one with the newest binding (Sequoia primary_userid).
func TestPrimaryUserID(t *testing.T) {
	b := newBackend(t)
	pk := newEd25519Key(t, 4, keyTime)
	build := func(primary string) []byte {
		out := pkt(6, pk.body)
		for i, uid := range []string{"First <a@example.org>", "Second <b@example.org>"} {
			h := sub(27, []byte{0x03})
			if uid == primary {
				h = append(h, sub(25, []byte{1})...)
			}
			out = append(out, pkt(13, []byte(uid))...)
			out = append(out, sign(t, pk, sigSpec{sigType: 0x13, created: keyTime.Add(time.Duration(1-i) * time.Hour), hashed: h}, pk.hashed(), uidHashed(uid))...)
		}
		return out
	}
	for primary, want := range map[string]string{
		"":                       "First <a@example.org>", // newest binding
		"Second <b@example.org>": "Second <b@example.org>",
	} {
		pr, err := b.ParseCertificate(build(primary))
		if err != nil || !pr.OK() || pr.Params.UserID != want {
			t.Errorf("primary %q: %v %q, want %q", primary, err, pr.Params.UserID, want)
		}
	}
}

// TestSubpacketLimits: our bound on the subpackets of one signature (no
// upstream equivalent; Sequoia has none): 512 parse, 513 do not.
func TestSubpacketLimits(t *testing.T) {
	b := newBackend(t)
	k := newEd25519Key(t, 4, keyTime)
	pad := func(n int) []byte {
		var out []byte
		for i := 0; i < n; i++ {
			out = append(out, sub(101, nil)...) // Private(101), not critical
		}
		return out
	}
	// sign adds a creation time and an issuer fingerprint (hashed) and an
	// issuer key ID (unhashed): 3 subpackets.
	if pr, err := b.ParseSignature(sign(t, k, sigSpec{sigType: 0, created: sigTime, hashed: pad(509)}, message)); err != nil || !pr.OK() {
		t.Errorf("512 subpackets: %v %q", err, pr.Lint)
	}
	if pr, err := b.ParseSignature(sign(t, k, sigSpec{sigType: 0, created: sigTime, hashed: pad(510)}, message)); err != nil || pr.OK() {
		t.Errorf("513 subpackets parsed: %v", err)
	}
}

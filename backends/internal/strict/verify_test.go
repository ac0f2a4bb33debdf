package strict

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// newTestBackend returns a strict backend over [testPrims] with the default
// policy and the reference time now.
func newTestBackend(t testing.TB, now time.Time) *Backend {
	t.Helper()
	b := New(Config{Name: "test", Version: "0", Primitives: testPrims{}})
	if err := b.Init(core.Options{Time: now}); err != nil {
		t.Fatal(err)
	}
	return b
}

// verifyData runs the rpmvs steps for one signature: parse it, parse the
// certificate (the subkey's Params when subkey is set), hash data and
// verify. certData nil means no key.
func verifyData(t *testing.T, b *Backend, certData []byte, subkey bool, sig, data []byte) core.Verdict {
	t.Helper()
	pr, err := b.ParseSignature(sig)
	if err != nil || !pr.OK() {
		t.Fatalf("ParseSignature: %v %q", err, pr.Lint)
	}
	var key *core.Params
	if certData != nil {
		kp, err := b.ParseCertificate(certData)
		if err != nil || !kp.OK() {
			t.Fatalf("ParseCertificate: %v %q", err, kp.Lint)
		}
		key = kp.Params
		if subkey {
			subs, err := b.Subkeys(certData)
			if err != nil || len(subs) != 1 {
				t.Fatalf("Subkeys: %d, %v", len(subs), err)
			}
			key = subs[0]
		}
	}
	d, err := b.NewDigest(pr.Params.HashAlgo)
	if err != nil {
		t.Fatal(err)
	}
	d.Write(pr.Params.Salt) // rpm feeds a v6 salt first (pgpDigParamsSalt)
	d.Write(data)
	v, err := b.VerifySignature(key, pr.Params, d)
	if err != nil {
		t.Fatalf("VerifySignature: %v", err)
	}
	return v
}

// hexID is a key ID or fingerprint as the lints print it.
func hexID(b []byte) string { return strings.ToUpper(fmt.Sprintf("%x", b)) }

// TestVerifySignature pins rpm-sequoia's pgpVerifySignature2 decisions
// (verify.go) with exact verdicts and lints: signature liveness and
// policy, issuer, the keyless check, certificate validity, expiry,
// revocation, key flags and back-signatures.
func TestVerifySignature(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	b := newTestBackend(t, now)
	data := []byte("payload")
	pk := ed25519Key(t, 4, at)
	sk := ed25519Key(t, 4, at)
	v6 := ed25519Key(t, 6, at)
	ed := eddsaKey(t, at)
	r1024 := rsaKey(t, 1024, at)
	ed448 := rawKey(4, core.PubKeyEd448, at, make([]byte, 57))
	signed := now.Add(-24 * time.Hour)
	good := sigSpec{when: signed}
	with := func(f func(*sigSpec)) sigSpec { s := good; f(&s); return s }

	cGood := makeCert(t, pk, certSpec{flags: 0x03})
	cCertifyOnly := makeCert(t, pk, certSpec{flags: 0x01})
	cExpired := makeCert(t, pk, certSpec{flags: 0x03, self: sigSpec{hashed: keyExpires(365 * 24 * time.Hour)}})
	cRevoked := makeCert(t, pk, certSpec{flags: 0x03, extra: func(k *testKey) []byte {
		return sign(t, k, sigSpec{sigType: packet.SigKeyRevocation, when: at.Add(time.Hour), hashed: reason(2)}, k.hashed())
	}})
	cSub := makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign})
	cNoBacksig := makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign, noBacksig: true})
	cSHA1 := makeCert(t, pk, certSpec{flags: 0x03, self: sigSpec{hash: core.HashSHA1}})
	cV6 := makeCert(t, v6, certSpec{flags: 0x03})
	cEd := makeCert(t, ed, certSpec{flags: 0x03})
	cRSA1024 := makeCert(t, r1024, certSpec{flags: 0x03})

	// Lint templates: {H} is the header for the case's certificate, {P}
	// the signature's digest prefix, {PK} the primary key ID, {SK} the
	// subkey's fingerprint, {R} the RSA key ID; signed is printed as
	// "Sat May 31 00:00:00 2025".
	const (
		sig    = "Signature {P} created at Sat May 31 00:00:00 2025 invalid: "
		notSig = "{H}\n  Key {PK} invalid: not signing capable"
		noKey  = "{H}\n  Certificate {PK} does not contain key {SK} or it is not valid"
		legacy = "signature relies on legacy cryptography\n      because: "
	)
	tests := []struct {
		name   string
		key    *testKey // the certificate's primary key (nil: no key)
		cert   []byte
		subkey bool
		sig    []byte
		data   []byte
		rc     core.RC
		lint   string
	}{
		{"good", pk, cGood, false, sign(t, pk, good, data), data, core.RCOK, ""},
		{"good v6", v6, cV6, false, sign(t, v6, good, data), data, core.RCOK, ""},
		{"good legacy EdDSA", ed, cEd, false, sign(t, ed, good, data), data, core.RCOK, ""},
		{"good SHA3-512", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.hash = core.HashSHA3_512 }), data), data, core.RCOK, ""},
		{"good subkey", pk, cSub, true, sign(t, sk, good, data), data, core.RCOK, ""},
		{"tampered data", pk, cGood, false, sign(t, pk, good, data), []byte("payloae"), core.RCFail, ""},
		{"corrupt signature", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.corrupt = true }), data), data, core.RCFail, ""},
		{"corrupt v6 signature", v6, cV6, false, sign(t, v6, with(func(s *sigSpec) { s.corrupt = true }), data), data, core.RCFail, ""},
		{"no key", nil, nil, false, sign(t, pk, good, data), data, core.RCNoKey, ""},
		{"no key, prefix mismatch", nil, nil, false, sign(t, pk, good, data), []byte("other"), core.RCFail, ""},
		{"no creation time", pk, cGood, false, sign(t, pk, sigSpec{}, data), data, core.RCFail,
			"{H}\n  Signature {P} created at <unknown> invalid: signature missing a creation time"},
		{"from the future", pk, cGood, false, sign(t, pk, sigSpec{when: now.Add(6 * time.Minute)}, data), data, core.RCFail,
			"{H}\n  Signature {P} created at Sun Jun  1 00:06:00 2025 invalid: signature is not alive\n      because: Not live until 2025-06-01T00:06:00Z"},
		{"within clock skew", pk, cGood, false, sign(t, pk, sigSpec{when: now.Add(4 * time.Minute)}, data), data, core.RCOK, ""},
		{"expired signature", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.hashed = sigExpires(time.Hour) }), data), data, core.RCFail,
			"{H}\n  " + sig + "signature is not alive\n      because: Expired on 2025-05-31T01:00:00Z"},
		{"no issuer", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.noIssuer = true }), data), data, core.RCFail,
			"{H}\n  " + sig + "signature has no issuer subpacket"},
		{"SHA-1 data signature", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.hash = core.HashSHA1 }), data), data, core.RCNotTrusted,
			"{H}\n  " + sig + legacy + "SHA1 is not considered secure since 2013-02-01T00:00:00Z"},
		{"SHA-1, no key", nil, nil, false, sign(t, pk, with(func(s *sigSpec) { s.hash = core.HashSHA1 }), data), data, core.RCNotTrusted,
			"{H}\n  " + sig + legacy + "SHA1 is not considered secure since 2013-02-01T00:00:00Z"},
		{"MD5 data signature", pk, cGood, false, sign(t, pk, with(func(s *sigSpec) { s.hash = core.HashMD5 }), data), data, core.RCNotTrusted,
			"{H}\n  " + sig + legacy + "MD5 is not considered secure since 1997-02-01T00:00:00Z"},
		{"certify-only key", pk, cCertifyOnly, false, sign(t, pk, good, data), data, core.RCFail, notSig},
		{"primary of a subkey certificate signs", pk, cSub, false, sign(t, pk, good, data), data, core.RCFail, notSig},
		{"expired key", pk, cExpired, false, sign(t, pk, good, data), data, core.RCNotTrusted,
			"{H}\n  1. Certificate {PK} invalid: certificate is not alive\n      because: The primary key is not live\n      because: Expired on 2024-12-31T00:00:00Z" +
				"\n  2. Key {PK} invalid: key is not alive\n      because: The primary key is not live\n      because: Expired on 2024-12-31T00:00:00Z"},
		// The certificate is evaluated at the signature time first.
		{"signed while the key was alive", pk, cExpired, false, sign(t, pk, sigSpec{when: at.Add(24 * time.Hour)}, data), data, core.RCOK, ""},
		{"revoked key", pk, cRevoked, false, sign(t, pk, good, data), data, core.RCNotTrusted,
			"{H}\n  1. Certificate {PK} invalid: certificate is revoked\n  2. Key {PK} is invalid: key is revoked"},
		{"subkey without back-signature", pk, cNoBacksig, true, sign(t, sk, good, data), data, core.RCFail, noKey},
		{"key not in the certificate", pk, cGood, false, sign(t, sk, good, data), data, core.RCFail, noKey},
		{"SHA-1 self-signature", pk, cSHA1, false, sign(t, pk, good, data), data, core.RCNotTrusted,
			"{H}\n  1. Certificate {PK} invalid: policy violation\n      because: No binding signature at time 2025-05-31T00:00:00Z\n      because: SHA1 is not considered secure since 2023-02-01T00:00:00Z" +
				"\n  2. Certificate {PK} invalid: policy violation\n      because: No binding signature at time 2025-06-01T00:00:00Z\n      because: SHA1 is not considered secure since 2023-02-01T00:00:00Z"},
		{"RSA-1024 key", r1024, cRSA1024, false, sign(t, r1024, good, data), data, core.RCNotTrusted,
			"{H}\n  1. Certificate {R} invalid: policy violation\n      because: Policy rejected asymmetric algorithm\n      because: RSA1024 is not considered secure since 2014-02-01T00:00:00Z" +
				"\n  2. Certificate {R} invalid: policy violation\n      because: Policy rejected asymmetric algorithm\n      because: RSA1024 is not considered secure since 2014-02-01T00:00:00Z"},
		{"unsupported algorithm, no key", nil, nil, false, sign(t, ed448, good, data), data, core.RCNotTrusted,
			"{H}\n  " + sig + "public key algorithm Ed448 is not supported\n      because: testprims has no Ed448\n      because: algorithm not supported by the crypto primitives"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verifyData(t, b, tc.cert, tc.subkey, tc.sig, tc.data)
			h := "Verifying a signature, but no certificate was provided:"
			if tc.key != nil {
				h = fmt.Sprintf("Verifying a signature using certificate %s (Test <test@example.org>):", hexID(tc.key.fpr()))
			}
			want := strings.NewReplacer("{H}", h, "{P}", fmt.Sprintf("%x", prefixOf(t, b, tc.sig)),
				"{PK}", hexID(pk.keyID()), "{SK}", hexID(sk.fpr()), "{R}", hexID(r1024.keyID())).Replace(tc.lint)
			if v.RC != tc.rc || v.Lint != want {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, want)
			}
		})
	}
}

// prefixOf returns a signature packet's 16-bit digest prefix.
func prefixOf(t *testing.T, b *Backend, sig []byte) []byte {
	t.Helper()
	pr, err := b.ParseSignature(sig)
	if err != nil || !pr.OK() {
		t.Fatalf("ParseSignature: %v %q", err, pr.Lint)
	}
	return pr.Params.HashPrefix[:]
}

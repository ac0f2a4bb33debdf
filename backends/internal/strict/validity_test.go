package strict

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// TestValidity pins certificate validity decisions (validity.go) through
// verification: subkey revocations, soft and hard key revocations against
// newer self-signatures, direct-key signatures and back-signature expiry.
func TestValidity(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	b := newTestBackend(t, now)
	data := []byte("payload")
	pk := ed25519Key(t, 4, at)
	sk := ed25519Key(t, 4, at)
	day := 24 * time.Hour
	signed := now.Add(-day)
	signedBy := func(k *testKey, when time.Time) []byte { return sign(t, k, sigSpec{when: when}, data) }

	// A subkey revocation (0x28) made after the binding.
	subRevoked := func(code byte) []byte {
		c := makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign})
		return append(c, sign(t, pk, sigSpec{sigType: packet.SigSubkeyRevoke, when: at.Add(day), hashed: reason(code)}, pk.hashed(), sk.hashed())...)
	}
	// A key revocation on day 2, then a newer direct-key signature on day 3.
	keyRevokedThenRevalidated := func(code byte) []byte {
		return makeCert(t, pk, certSpec{flags: 0x03, extra: func(k *testKey) []byte {
			r := sign(t, k, sigSpec{sigType: packet.SigKeyRevocation, when: at.Add(day), hashed: reason(code)}, k.hashed())
			d := sign(t, k, sigSpec{sigType: packet.SigDirectKey, when: at.Add(2 * day), hashed: keyFlags(0x03)}, k.hashed())
			return append(r, d...)
		}})
	}
	// A direct-key signature whose flags say certify-only, newer than the
	// User ID binding that says "sign".
	directCertifyOnly := makeCert(t, pk, certSpec{flags: 0x03, extra: func(k *testKey) []byte {
		return sign(t, k, sigSpec{sigType: packet.SigDirectKey, when: at.Add(day), hashed: keyFlags(0x01)}, k.hashed())
	}})
	// A back-signature that expired before the data signature.
	backsigExpired := func() []byte {
		out := append(pk.pub(), framePacket(13, []byte("Test <test@example.org>"))...)
		out = append(out, sign(t, pk, sigSpec{sigType: packet.SigPositiveCert, when: at, hashed: keyFlags(0x01)}, pk.hashed(), uidHashed("Test <test@example.org>"))...)
		out = append(out, sk.sub()...)
		back := sign(t, sk, sigSpec{sigType: packet.SigPrimaryBinding, when: at, hashed: sigExpires(day)}, pk.hashed(), sk.hashed())
		h := append(keyFlags(packet.KeyFlagSign), embedded(back)...)
		return append(out, sign(t, pk, sigSpec{sigType: packet.SigSubkeyBinding, when: at, hashed: h}, pk.hashed(), sk.hashed())...)
	}()

	const (
		revoked   = "{H}\n  1. Certificate {PK} invalid: certificate is revoked\n  2. Key {PK} is invalid: key is revoked"
		subRevoke = "{H}\n  Key {SK} is invalid: key is revoked"
		noSubkey  = "{H}\n  Certificate {PK} does not contain key {SKF} or it is not valid"
	)
	tests := []struct {
		name   string
		cert   []byte
		subkey bool
		sig    []byte
		rc     core.RC
		lint   string
	}{
		{"subkey revoked, superseded", subRevoked(1), true, signedBy(sk, signed), core.RCNotTrusted, subRevoke},
		{"subkey revoked, compromised", subRevoked(2), true, signedBy(sk, signed), core.RCNotTrusted, subRevoke},
		{"subkey signature before a soft revocation", subRevoked(1), true, signedBy(sk, at.Add(time.Hour)), core.RCOK, ""},
		{"soft key revocation, re-validated", keyRevokedThenRevalidated(1), false, signedBy(pk, signed), core.RCOK, ""},
		{"hard key revocation, re-validated", keyRevokedThenRevalidated(2), false, signedBy(pk, signed), core.RCNotTrusted, revoked},
		{"soft key revocation, signed while revoked", keyRevokedThenRevalidated(1), false, signedBy(pk, at.Add(day+time.Hour)), core.RCNotTrusted, revoked},
		// The primary's flags come from its User ID binding (Sequoia's
		// binding_signature), the direct-key signature only fills gaps.
		{"User ID binding flags over direct-key flags", directCertifyOnly, false, signedBy(pk, signed), core.RCOK, ""},
		{"back-signature expired", backsigExpired, true, signedBy(sk, signed), core.RCFail, noSubkey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := verifyData(t, b, tc.cert, tc.subkey, tc.sig, data)
			want := strings.NewReplacer("{H}", fmt.Sprintf("Verifying a signature using certificate %s (Test <test@example.org>):", hexID(pk.fpr())),
				"{PK}", hexID(pk.keyID()), "{SK}", hexID(sk.keyID()), "{SKF}", hexID(sk.fpr())).Replace(tc.lint)
			if v.RC != tc.rc || v.Lint != want {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, want)
			}
		})
	}
}

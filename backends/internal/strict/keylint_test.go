package strict

import (
	"strings"
	"testing"
	"time"

	"github.com/rpmpgp/rpmpgp/backends/internal/strict/internal/packet"
	"github.com/rpmpgp/rpmpgp/core"
)

// TestLintKey pins rpm-sequoia's pgpPubKeyLint (keylint.go): the verdict
// and every line it prints about revocation, expiry, policy rejections and
// keys that cannot sign.
func TestLintKey(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	b := newTestBackend(t, now)
	pk := ed25519Key(t, 4, at)
	sk := ed25519Key(t, 4, at)
	r1024 := rsaKey(t, 1024, at)
	ed448 := rawKey(4, core.PubKeyEd448, at, make([]byte, 57))
	encOnly := rsaKey(t, 2048, at)
	encOnly.algo = core.PubKeyRSAEncrypt
	encOnly.body[5] = byte(core.PubKeyRSAEncrypt)
	year := 365 * 24 * time.Hour
	revokeKey := func(code byte) func(*testKey) []byte {
		return func(k *testKey) []byte {
			return sign(t, k, sigSpec{sigType: packet.SigKeyRevocation, when: at.Add(time.Hour), hashed: reason(code)}, k.hashed())
		}
	}
	tests := []struct {
		name string
		key  *testKey
		cert []byte
		rc   core.RC
		// lines after "Certificate <key ID>:"; {PK}, {SK}, {R}, {E} and {X}
		// are the key IDs of pk, sk, r1024, ed448 and encOnly.
		lines []string
	}{
		{"good", pk, makeCert(t, pk, certSpec{flags: 0x03}), core.RCOK, nil},
		{"good with signing subkey", pk, makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign}), core.RCOK, nil},
		{"certify only", pk, makeCert(t, pk, certSpec{flags: 0x01}), core.RCOK,
			[]string{"Certificate does not have any usable signing keys"}},
		{"encryption subkey only", pk, makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: 0x0c}), core.RCOK,
			[]string{"Certificate does not have any usable signing keys"}},
		{"expired", pk, makeCert(t, pk, certSpec{flags: 0x03, self: sigSpec{hashed: keyExpires(year)}}), core.RCOK,
			// rpm-sequoia's loop over keys includes the primary, as "Subkey".
			[]string{"The certificate is expired: The primary key is not live", "Subkey {PK} is expired: The primary key is not live",
				"Certificate does not have any usable signing keys"}},
		{"expired subkey", pk, makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign, subExtra: keyExpires(year)}), core.RCOK,
			[]string{"Subkey {SK} is expired: The subkey is not live", "Certificate does not have any usable signing keys"}},
		{"revoked, compromised", pk, makeCert(t, pk, certSpec{flags: 0x03, extra: revokeKey(2)}), core.RCOK,
			[]string{"The certificate was revoked: Key material has been compromised", "Subkey {PK} was revoked: Key material has been compromised",
				"Certificate does not have any usable signing keys"}},
		{"revoked, unknown reason", pk, makeCert(t, pk, certSpec{flags: 0x03, extra: revokeKey(99)}), core.RCOK,
			[]string{"The certificate was revoked: Unknown reason (99)", "Subkey {PK} was revoked: Unknown reason (99)",
				"Certificate does not have any usable signing keys"}},
		{"subkey without back-signature", pk, makeCert(t, pk, certSpec{flags: 0x01, sub: sk, subFlags: packet.KeyFlagSign, noBacksig: true}), core.RCOK,
			[]string{"Policy rejects subkey {SK}: No binding signature at time 2025-06-01T00:00:00Z", "Certificate does not have any usable signing keys"}},
		{"SHA-1 self-signature", pk, makeCert(t, pk, certSpec{flags: 0x03, self: sigSpec{hash: core.HashSHA1}}), core.RCNotTrusted,
			[]string{"Policy rejects {PK}: No binding signature at time 2025-06-01T00:00:00Z, because SHA1 is not considered secure since 2023-02-01T00:00:00Z"}},
		{"RSA-1024", r1024, makeCert(t, r1024, certSpec{flags: 0x03}), core.RCNotTrusted,
			[]string{"Policy rejects {R}: Policy rejected asymmetric algorithm, because RSA1024 is not considered secure since 2014-02-01T00:00:00Z"}},
		// A subkey whose backsig the primitives cannot check is not valid.
		{"subkey of an unsupported algorithm", pk, makeCert(t, pk, certSpec{flags: 0x01, sub: ed448, subFlags: packet.KeyFlagSign, noBacksig: true}), core.RCOK,
			[]string{"Policy rejects subkey {E}: No binding signature at time 2025-06-01T00:00:00Z", "Certificate does not have any usable signing keys"}},
		// RSA Encrypt-Only verifies its own bindings (RSA math) but is not
		// a signing algorithm (the Strict column of core's table).
		{"RSA Encrypt-Only", encOnly, makeCert(t, encOnly, certSpec{flags: 0x03}), core.RCOK,
			[]string{"Subkey {X} is not supported (no support for RSA(Encrypt-Only))", "Certificate does not have any usable signing keys"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := b.LintKey(tc.cert)
			if err != nil {
				t.Fatal(err)
			}
			r := strings.NewReplacer("{PK}", hexID(pk.keyID()), "{SK}", hexID(sk.keyID()), "{R}", hexID(r1024.keyID()),
				"{E}", hexID(ed448.keyID()), "{X}", hexID(encOnly.keyID()))
			want := ""
			if tc.lines != nil {
				want = "Certificate " + hexID(tc.key.keyID()) + ":\n  " + r.Replace(strings.Join(tc.lines, "\n  "))
			}
			if v.RC != tc.rc || v.Lint != want {
				t.Errorf("got %v %q\nwant %v %q", v.RC, v.Lint, tc.rc, want)
			}
		})
	}
}
